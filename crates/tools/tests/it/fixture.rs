//! The scratch tree of `tests/record/fixture.sh` built in fstree, and a one-line runner.

use std::cell::RefCell;
use std::collections::BTreeMap;

use layerbox_fstree::{Cred, FileSystem, Meta, Tree};
use layerbox_tools::{run, Ctx, Exec, Flavor, MountInfo, Output, SharedStore};

/// 2026-11-28 07:15:05 UTC: when the fixture's recent files were touched.
const T_RECENT: u64 = 1_795_850_105;
/// 2026-11-28 08:00:00 UTC: "now" for every case.
const NOW: u64 = 1_795_852_800;

/// The tree `tests/record/fixture.sh` makes in /tmp/g.
pub fn fixture() -> Tree {
    let mut t = Tree::with_root(Meta::default(), Default::default());
    let r = Cred::root();
    t.mkdir_all(&r, "/etc", 0o755, 0).unwrap();
    t.mkdir_all(&r, "/tmp/g/d/e", 0o755, 0).unwrap();
    t.chmod(&r, "/tmp", 0o1777).unwrap();
    t.write_file(&r, "/etc/passwd", b"root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000::/home/user:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n", 0o644, 0).unwrap();
    t.write_file(
        &r,
        "/etc/group",
        b"root:x:0:\nuser:x:1000:\nnogroup:x:65534:\n",
        0o644,
        0,
    )
    .unwrap();
    t.write_file(&r, "/tmp/g/a.txt", b"hello\n", 0o644, T_RECENT)
        .unwrap();
    t.write_file(&r, "/tmp/g/app.json", &[b'x'; 77], 0o644, 1_748_768_400)
        .unwrap();
    t.write_file(&r, "/tmp/g/a b", b"\n", 0o644, 1_577_934_240)
        .unwrap();
    t.write_file(
        &r,
        "/tmp/g/s.txt",
        b"b\na\nb\nb\nc\n10\n9\n",
        0o644,
        T_RECENT,
    )
    .unwrap();
    t.write_file(&r, "/tmp/g/d/f", b"", 0o644, T_RECENT)
        .unwrap();
    t.symlink(&r, "a.txt", "/tmp/g/lnk", T_RECENT).unwrap();
    for p in ["/tmp/g/d/e", "/tmp/g/d", "/tmp/g"] {
        t.set_mtime(&r, p, T_RECENT).unwrap();
    }
    t
}

pub fn split_words(line: &str) -> Vec<String> {
    // Enough of sh for the case table: words, '...' and "..." quoting.
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            '\'' | '"' => {
                in_word = true;
                for d in chars.by_ref() {
                    if d == c {
                        break;
                    }
                    cur.push(d);
                }
            }
            _ => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    words
}

pub fn exec(fs: &mut Tree, flavor: Flavor, tty: bool, line: &str, stdin: &str) -> Output {
    let env: BTreeMap<String, String> = [
        ("LANG", "C.UTF-8"),
        ("HOME", "/root"),
        ("PATH", "/usr/bin:/bin"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let mounts = [MountInfo {
        device: "/dev/vda".into(),
        target: "/".into(),
        fstype: "ext4".into(),
        options: "rw,relatime".into(),
        blocks: 264_212_084,
        used: 17_863_128,
        avail: 77_422_760,
    }];
    let words = split_words(line);
    // The filesystem is shared with the hook that runs the programs `xargs` and `find -exec`
    // start: the modelled tools of the same flavour (what runs the recorded cases' `echo`).
    let cell = RefCell::new(fs);
    let mut hook = Tools {
        cell: &cell,
        flavor,
        mounts: &mounts,
    };
    let mut shared = SharedStore::new(&cell, |t| &**t, |t| &mut **t);
    let mut ctx = Ctx {
        fs: &mut shared,
        cred: Cred::root(),
        cwd: "/tmp/g".into(),
        env: &env,
        now: NOW,
        flavor,
        stdin: stdin.as_bytes(),
        hostname: "vm".into(),
        user_name: None,
        group_name: None,
        mounts: &mounts,
        tty,
        exec: Some(&mut hook),
        umask: layerbox_tools::DEFAULT_UMASK,
        work: None,
        max_output: layerbox_tools::MAX_OUTPUT,
    };
    run(&words[0], &words[1..], &mut ctx).expect("a modelled tool")
}

/// Runs a program a tool starts: a modelled tool, or nothing (not found).
struct Tools<'r, 'f> {
    cell: &'r RefCell<&'f mut Tree>,
    flavor: Flavor,
    mounts: &'r [MountInfo],
}

impl Exec for Tools<'_, '_> {
    fn exec(
        &mut self,
        argv: &[String],
        stdin: &[u8],
        env: &BTreeMap<String, String>,
        cwd: &str,
    ) -> Option<Output> {
        let mut fs = self.cell.try_borrow_mut().ok()?;
        let mut ctx = Ctx {
            fs: &mut **fs,
            cred: Cred::root(),
            cwd: cwd.into(),
            env,
            now: NOW,
            flavor: self.flavor,
            stdin,
            hostname: "vm".into(),
            user_name: None,
            group_name: None,
            mounts: self.mounts,
            tty: false,
            exec: None,
            umask: layerbox_tools::DEFAULT_UMASK,
            work: None,
            max_output: layerbox_tools::MAX_OUTPUT,
        };
        run(argv.first()?, &argv[1..], &mut ctx)
    }
}
