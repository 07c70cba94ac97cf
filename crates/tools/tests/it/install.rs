//! BusyBox's `install`, which Debian's busybox lacks (so no golden case records it): copies
//! with 0755 or `-m`, makes leading directories with `-D` and directories with `-d`, as
//! BusyBox 1.36's `coreutils/install.c` does.

use layerbox_fstree::{Cred, FileSystem};
use layerbox_tools::Flavor;

use crate::fixture::{exec, fixture};

#[test]
fn busybox_install_copies_with_a_mode_and_makes_directories() {
    let mut fs = fixture();
    let out = exec(
        &mut fs,
        Flavor::BusyBox,
        false,
        "install -D a.txt usr/local/bin/hello",
        "",
    );
    assert_eq!((out.code, out.stderr.as_slice()), (0, b"".as_slice()));
    let st = fs
        .stat(&Cred::root(), "/tmp/g/usr/local/bin/hello")
        .expect("installed");
    assert_eq!(st.mode & 0o7777, 0o755);
    let text = fs
        .read_file(&Cred::root(), "/tmp/g/usr/local/bin/hello")
        .expect("read");
    assert_eq!(&text[..], b"hello\n");
    let out = exec(
        &mut fs,
        Flavor::BusyBox,
        false,
        "install -m 600 s.txt d",
        "",
    );
    assert_eq!(out.code, 0);
    let st = fs.stat(&Cred::root(), "/tmp/g/d/s.txt").expect("installed");
    assert_eq!(st.mode & 0o7777, 0o600);
    let out = exec(&mut fs, Flavor::BusyBox, false, "install -d -m 700 x/y", "");
    assert_eq!(out.code, 0);
    assert!(fs
        .stat(&Cred::root(), "/tmp/g/x/y")
        .is_ok_and(|s| s.is_dir()));
    let out = exec(&mut fs, Flavor::BusyBox, false, "install nope z", "");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "install: can't stat 'nope': No such file or directory\n"
    );
    assert_eq!(out.code, 1);
}
