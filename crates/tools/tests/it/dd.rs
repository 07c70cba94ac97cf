//! GNU dd's last summary line when the copy takes no logical time, which the recorded cases
//! cannot show (the real one's time varies from run to run).

use layerbox_fstree::{Cred, FileSystem};
use layerbox_tools::Flavor;

use crate::fixture::{exec, fixture};

#[test]
fn gnu_dd_says_how_much_it_copied_in_no_time() {
    let mut fs = fixture();
    let out = exec(&mut fs, Flavor::Coreutils, false, "dd if=a.txt of=b", "");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "0+1 records in\n0+1 records out\n6 bytes copied, 0 s, Infinity B/s\n"
    );
    fs.write_file(&Cred::root(), "/tmp/g/big", &[7; 4096], 0o644, 0)
        .expect("write");
    let out = exec(
        &mut fs,
        Flavor::Coreutils,
        false,
        "dd if=big of=c bs=1K",
        "",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "4+0 records in\n4+0 records out\n4096 bytes (4.1 kB, 4.0 KiB) copied, 0 s, Infinity B/s\n"
    );
    assert_eq!(
        fs.read_file(&Cred::root(), "/tmp/g/c").expect("c").len(),
        4096
    );
    let out = exec(
        &mut fs,
        Flavor::BusyBox,
        false,
        "dd if=big of=c bs=1k count=1",
        "",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "1+0 records in\n1+0 records out\n"
    );
}
