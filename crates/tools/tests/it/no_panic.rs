//! Every tool, any arguments, any stdin: an `Output` comes back and nothing panics.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use layerbox_fstree::{Cred, FileSystem, Tree};
use layerbox_tools::{is_tool, run, tool_names, Ctx, Flavor, MountInfo};
use proptest::prelude::*;

fn small_tree() -> Tree {
    let mut t = Tree::new();
    let r = Cred::root();
    t.mkdir_all(&r, "/etc", 0o755, 0).unwrap();
    t.mkdir_all(&r, "/w/d/e", 0o755, 0).unwrap();
    t.write_file(
        &r,
        "/etc/passwd",
        b"root:x:0:0::/root:/bin/sh\nu:x:1000:1000::/:/bin/sh\n",
        0o644,
        0,
    )
    .unwrap();
    t.write_file(&r, "/etc/group", b"root:x:0:\n", 0o644, 0)
        .unwrap();
    t.write_file(&r, "/w/a", b"hello\nworld\n", 0o644, 5)
        .unwrap();
    t.write_file(&r, "/w/d/secret", b"x", 0o600, 5).unwrap();
    t.symlink(&r, "a", "/w/l", 5).unwrap();
    t.symlink(&r, "loop", "/w/loop", 5).unwrap();
    t.mkdir(&r, "/w/ro", 0o555, 5).unwrap();
    t
}

fn arg() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("-".to_string()),
        Just("--".to_string()),
        Just(".".to_string()),
        Just("/".to_string()),
        Just("..".to_string()),
        Just("a".to_string()),
        Just("d".to_string()),
        Just("l".to_string()),
        Just("loop".to_string()),
        Just("ro/x".to_string()),
        Just("d/secret".to_string()),
        "-[a-zA-Z0-9]{1,3}",
        "--[a-z-]{1,8}(=[a-z0-9]{0,3})?",
        "[a-z./*?\\[\\]^$\\\\%+-]{0,6}",
        "[0-7]{1,5}",
        "[ugoa]{0,2}[+=-][rwxXst]{0,3}",
        "%[-0-9.*]{0,3}[sdbxcfq%]",
        any::<String>().prop_map(|s| s.chars().take(12).collect()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn no_tool_panics(
        tool in 0usize..64,
        args in proptest::collection::vec(arg(), 0..6),
        stdin in proptest::collection::vec(any::<u8>(), 0..40),
        busybox in any::<bool>(),
        tty in any::<bool>(),
        root in any::<bool>(),
    ) {
        let names: Vec<&str> = tool_names().collect();
        let name = names[tool % names.len()];
        let mut fs = small_tree();
        let env = BTreeMap::from([("LANG".to_string(), "C.UTF-8".to_string())]);
        let mounts = [MountInfo { device: "overlay".into(), target: "/".into(), fstype: "overlay".into(), options: "rw".into(), blocks: 10, used: 3, avail: 7 }];
        let mut ctx = Ctx {
            fs: &mut fs,
            cred: if root { Cred::root() } else { Cred::user(1000, 1000) },
            cwd: "/w".into(),
            env: &env,
            now: 1_000_000,
            flavor: if busybox { Flavor::BusyBox } else { Flavor::Coreutils },
            stdin: &stdin,
            hostname: "h".into(),
            user_name: None,
            group_name: None,
            mounts: &mounts,
            tty,
            exec: None,
            umask: layerbox_tools::DEFAULT_UMASK,
            work: None,
            max_output: layerbox_tools::MAX_OUTPUT,
        };
        let flavor = ctx.flavor;
        let out = run(name, &args, &mut ctx);
        // `run` answers for every program modelled in the flavour (BusyBox `tar` is not).
        prop_assert_eq!(out.is_some(), is_tool(name, flavor));
    }
}

/// A small real archive to damage, so the reader is driven past its first header.
fn sample_archive() -> Vec<u8> {
    use layerbox_tools::tar::{write_gnu, TarEntry, TarKind};
    let e = |name: &str, kind| TarEntry {
        name: name.into(),
        kind,
        mode: 0o644,
        uid: 1000,
        gid: 1000,
        uname: "user".into(),
        gname: "user".into(),
        mtime: 1_000_000,
    };
    write_gnu(&[
        e("d/", TarKind::Dir),
        e("d/f", TarKind::File(b"hello\n".to_vec())),
        e("d/l", TarKind::Symlink("f".into())),
        e("d/h", TarKind::Link("d/f".into())),
    ])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Archives are untrusted input: any bytes given to `tar -t`/`-x`, plain or gzip'd, from
    /// standard input or a file, get GNU tar's answer and never a panic.
    #[test]
    fn tar_never_panics_on_any_archive(
        bytes in proptest::collection::vec(any::<u8>(), 0..3000),
        damage in any::<bool>(),
        gzip in any::<bool>(),
        op in 0usize..6,
        from_file in any::<bool>(),
    ) {
        let mut data = if damage { sample_archive() } else { Vec::new() };
        for (i, b) in bytes.iter().enumerate() {
            let at = i.wrapping_mul(131) % data.len().max(1);
            match data.get_mut(at) {
                Some(slot) if damage => *slot = *b,
                _ => data.push(*b),
            }
        }
        if gzip {
            data = layerbox_tools::gzip::compress(&data);
        }
        let mut fs = small_tree();
        let _ = fs.write_file(&Cred::root(), "/w/in.tar", &data, 0o644, 0);
        let env = BTreeMap::new();
        let mounts = [];
        let stdin = if from_file { Vec::new() } else { data.clone() };
        let mut ctx = Ctx {
            fs: &mut fs,
            cred: Cred::root(),
            cwd: "/w".into(),
            env: &env,
            now: 1_000_000,
            flavor: Flavor::Coreutils,
            stdin: &stdin,
            hostname: "h".into(),
            user_name: None,
            group_name: None,
            mounts: &mounts,
            tty: false,
            exec: None,
            umask: layerbox_tools::DEFAULT_UMASK,
            work: None,
            max_output: layerbox_tools::MAX_OUTPUT,
        };
        let mut args: Vec<String> = ["-t", "-tv", "-x", "-xv", "-tz", "-xz"][op]
            .split(' ')
            .map(String::from)
            .collect();
        if from_file {
            args.extend(["-f".to_string(), "in.tar".to_string()]);
        }
        let out = run("tar", &args, &mut ctx).expect("GNU tar is modelled on the host");
        prop_assert!(out.code == 0 || out.code == 2, "{:?}", out);
    }
}
