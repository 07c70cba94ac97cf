//! `mount`, `df` and `date` against text recorded from a real Alpine container (see
//! tests/conformance/tmpfs-mount-flag-in-mounts.txt at the workspace root).

use std::collections::BTreeMap;

use layerbox_fstree::{Cred, FileSystem, Tree};
use layerbox_tools::{run, Ctx, Flavor, MountInfo, Output};

fn exec(flavor: Flavor, line: &[&str]) -> Output {
    let mut fs = Tree::new();
    fs.mkdir(&Cred::root(), "/scratch", 0o755, 0).unwrap();
    let env = BTreeMap::new();
    let mounts = [
        MountInfo {
            device: "overlay".into(),
            target: "/".into(),
            fstype: "overlay".into(),
            options: "rw,relatime,lowerdir=/l,upperdir=/u,workdir=/w".into(),
            blocks: 264_212_084,
            used: 17_863_128,
            avail: 77_422_760,
        },
        MountInfo {
            device: "tmpfs".into(),
            target: "/scratch".into(),
            fstype: "tmpfs".into(),
            options: "rw,nosuid,nodev,noexec,relatime,size=1024k".into(),
            blocks: 1024,
            used: 0,
            avail: 1024,
        },
    ];
    let args: Vec<String> = line[1..].iter().map(|s| s.to_string()).collect();
    let mut ctx = Ctx {
        fs: &mut fs,
        cred: Cred::root(),
        cwd: "/".into(),
        env: &env,
        now: 1_795_850_151,
        flavor,
        stdin: b"",
        hostname: "c1".into(),
        user_name: None,
        group_name: None,
        mounts: &mounts,
        tty: false,
        exec: None,
        umask: layerbox_tools::DEFAULT_UMASK,
        work: None,
        max_output: layerbox_tools::MAX_OUTPUT,
    };
    run(line[0], &args, &mut ctx).unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn busybox_df_h_of_a_tmpfs_mount() {
    let o = exec(Flavor::BusyBox, &["df", "-h", "/scratch"]);
    assert_eq!(
        stdout(&o),
        "Filesystem                Size      Used Available Use% Mounted on\n\
         tmpfs                     1.0M         0      1.0M   0% /scratch\n"
    );
}

#[test]
fn gnu_df_aligns_columns() {
    let o = exec(Flavor::Coreutils, &["df", "/"]);
    assert_eq!(
        stdout(&o),
        "Filesystem     1K-blocks     Used Available Use% Mounted on\n\
         overlay        264212084 17863128  77422760  19% /\n"
    );
    let o = exec(Flavor::Coreutils, &["df", "-h", "/"]);
    assert_eq!(
        stdout(&o),
        "Filesystem      Size  Used Avail Use% Mounted on\n\
         overlay         252G   18G   74G  19% /\n"
    );
}

#[test]
fn mount_lists_the_table_as_proc_mounts_does() {
    let o = exec(Flavor::BusyBox, &["mount"]);
    assert_eq!(
        stdout(&o),
        "overlay on / type overlay (rw,relatime,lowerdir=/l,upperdir=/u,workdir=/w)\n\
         tmpfs on /scratch type tmpfs (rw,nosuid,nodev,noexec,relatime,size=1024k)\n"
    );
}

#[test]
fn date_default_format_is_the_same_in_both() {
    for f in [Flavor::BusyBox, Flavor::Coreutils] {
        assert_eq!(
            stdout(&exec(f, &["date"])),
            "Sat Nov 28 07:15:51 UTC 2026\n"
        );
    }
    assert_eq!(
        stdout(&exec(Flavor::BusyBox, &["date", "+%F %T"])),
        "2026-11-28 07:15:51\n"
    );
}

#[test]
fn name_may_be_a_path_and_unknown_tools_are_none() {
    assert_eq!(stdout(&exec(Flavor::BusyBox, &["/bin/hostname"])), "c1\n");
    assert!(!layerbox_tools::is_tool("vi", Flavor::BusyBox));
    assert!(layerbox_tools::is_tool("/usr/bin/ls", Flavor::Coreutils));
}
