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

#[test]
fn a_sed_script_that_loops_for_ever_stops_at_its_step_limit() {
    for script in [":a;ba", ":a;s/x*/&/;ta", "h;:a;G;H;x;ba", ":a;p;ba"] {
        for flavor in [Flavor::BusyBox, Flavor::Coreutils] {
            let mut fs = fixture();
            let out = exec(&mut fs, flavor, false, &format!("sed '{script}'"), "x\n");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                err.ends_with("(layerbox limit)\n"),
                "{script} in {flavor:?}: {err}"
            );
            assert_ne!(out.code, 0);
        }
    }
}

#[test]
fn sed_in_place_through_a_read_only_file_replaces_it_as_the_real_one_does() {
    let mut fs = fixture();
    fs.chmod(&Cred::root(), "/tmp/g/a.txt", 0o444)
        .expect("chmod");
    for flavor in [Flavor::BusyBox, Flavor::Coreutils] {
        let out = exec(&mut fs, flavor, false, "sed -i s/l/L/ a.txt", "");
        assert_eq!(out.code, 0, "{out:?}");
        let st = fs.stat(&Cred::root(), "/tmp/g/a.txt").expect("still there");
        assert_eq!(st.mode & 0o777, 0o444);
    }
    let text = fs.read_file(&Cred::root(), "/tmp/g/a.txt").expect("read");
    assert_eq!(&text[..], b"heLLo\n");
}

#[test]
fn yes_and_an_endless_seq_stop_at_the_output_limit() {
    for (flavor, line) in [
        (Flavor::BusyBox, "yes"),
        (Flavor::Coreutils, "yes a b"),
        (Flavor::BusyBox, "seq 1 0 2"),
    ] {
        let mut fs = fixture();
        let out = exec(&mut fs, flavor, false, line, "");
        assert_eq!(out.stdout.len(), MAX_OUTPUT, "{line}");
        let prog = line.split(' ').next().unwrap_or(line);
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            format!("layerbox: {prog}: output too large, stopped (layerbox limit)\n")
        );
        assert!(out.stdout.starts_with(if line == "yes" {
            b"y\ny\n".as_slice()
        } else if line == "yes a b" {
            b"a b\na b\n".as_slice()
        } else {
            b"1\n1\n".as_slice()
        }));
    }
}

#[test]
fn diff_of_files_too_different_says_it_stopped() {
    // GNU's shortest edit script stops past its edits: 6000 lines, none in common.
    let mut fs = fixture();
    let a: String = (0..3000).map(|i| format!("a{i}\n")).collect();
    let b: String = (0..3000).map(|i| format!("b{i}\n")).collect();
    fs.write_file(&Cred::root(), "/tmp/g/big", a.as_bytes(), 0o644, 0)
        .expect("write");
    let out = exec(&mut fs, Flavor::Coreutils, false, "diff big -", &b);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "layerbox: diff: files too different, stopped (layerbox limit)\n"
    );
    assert_eq!(out.code, 2);
    // BusyBox's matching has nothing to pair there, and answers at once.
    let out = exec(&mut fs, Flavor::BusyBox, false, "diff big -", &b);
    assert_eq!(out.code, 1);
    assert!(out
        .stdout
        .starts_with(b"--- big\n+++ -\n@@ -1,3000 +1,3000 @@\n-a0\n"));
    // Its Stone search works hardest when every line has many mates: two lines, swapped.
    let a = "x\ny\n".repeat(100_000);
    let b = "y\nx\n".repeat(100_000);
    fs.write_file(&Cred::root(), "/tmp/g/big", a.as_bytes(), 0o644, 0)
        .expect("write");
    let out = exec(&mut fs, Flavor::BusyBox, false, "diff big -", &b);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "layerbox: diff: files too different, stopped (layerbox limit)\n"
    );
    assert_eq!(out.code, 2);
}
