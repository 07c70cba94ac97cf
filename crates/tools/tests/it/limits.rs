//! A program's output is bounded: past `MAX_OUTPUT` it stops and says so.

use layerbox_fstree::{Cred, FileSystem};
use layerbox_tools::{Flavor, MAX_OUTPUT};

use crate::fixture::{exec, fixture};

#[test]
fn cat_of_a_big_file_many_times_stops_at_the_output_limit() {
    let mut fs = fixture();
    let big = vec![b'x'; 16 << 20];
    fs.write_file(&Cred::root(), "/tmp/g/big", &big, 0o644, 0)
        .expect("room for 16 MiB");
    for flavor in [Flavor::BusyBox, Flavor::Coreutils] {
        let out = exec(
            &mut fs,
            flavor,
            false,
            &format!("cat{}", " big".repeat(100)),
            "",
        );
        assert_eq!(out.stdout.len(), MAX_OUTPUT);
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "layerbox: cat: output too large, stopped (layerbox limit)\n"
        );
        assert_eq!(out.code, 1);
    }
}
