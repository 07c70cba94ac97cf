//! `mktemp`'s names have the real shape and are made as the real one makes them; the same
//! session makes the same names.

use layerbox_fstree::{Cred, FileSystem};
use layerbox_tools::Flavor;

use crate::fixture::{exec, fixture};

#[test]
fn mktemp_makes_a_private_file_or_directory_named_like_the_real_ones() {
    for (flavor, xs) in [(Flavor::BusyBox, 6), (Flavor::Coreutils, 10)] {
        let mut fs = fixture();
        fs.mkdir_all(&Cred::root(), "/tmp", 0o1777, 0)
            .expect("/tmp");
        let out = exec(&mut fs, flavor, false, "mktemp", "");
        let name = String::from_utf8_lossy(&out.stdout).trim_end().to_string();
        let tail = name.strip_prefix("/tmp/tmp.").expect("in /tmp");
        assert_eq!(tail.len(), xs, "{name}");
        assert!(tail.bytes().all(|b| b.is_ascii_alphanumeric()), "{name}");
        let st = fs.stat(&Cred::root(), &name).expect("made");
        assert_eq!(st.mode & 0o777, 0o600);
        let again = exec(&mut fs, flavor, false, "mktemp", "");
        assert_ne!(again.stdout, out.stdout, "a second name is a new one");
        let dir = exec(&mut fs, flavor, false, "mktemp -d x.XXXXXX", "");
        let dir = String::from_utf8_lossy(&dir.stdout).trim_end().to_string();
        assert!(dir.starts_with("x.") && dir.len() == 8, "{dir}");
        let st = fs
            .stat(&Cred::root(), &format!("/tmp/g/{dir}"))
            .expect("made");
        assert!(st.is_dir() && st.mode & 0o777 == 0o700);
    }
    let (mut a, mut b) = (fixture(), fixture());
    let one = exec(&mut a, Flavor::BusyBox, false, "mktemp -u", "");
    let two = exec(&mut b, Flavor::BusyBox, false, "mktemp -u", "");
    assert_eq!(one.stdout, two.stdout, "replayed, the same name");
}
