//! `ls` on a terminal: columns (GNU's tab-padded layout for 80 columns, BusyBox's fixed-width
//! one for 79) and GNU's quoting of names with spaces. Expected text recorded with `script(1)`
//! from the real programs over the fixture of `tests/record/fixture.sh` plus 14 more files.

use layerbox_fstree::{Cred, FileSystem};
use layerbox_tools::Flavor;

use crate::fixture;

fn fixture_with_many() -> layerbox_fstree::Tree {
    let mut t = fixture::fixture();
    for i in 1..=14 {
        t.write_file(
            &Cred::root(),
            &format!("/tmp/g/file_number_{i}"),
            b"",
            0o644,
            0,
        )
        .unwrap();
    }
    t.unlink(&Cred::root(), "/tmp/g/s.txt", 0).unwrap();
    t
}

fn check(flavor: Flavor, line: &str, want: &str) {
    let mut fs = fixture_with_many();
    let got = fixture::exec(&mut fs, flavor, true, line, "");
    assert_eq!(
        String::from_utf8_lossy(&got.stdout),
        want,
        "{flavor:?}: {line}"
    );
}

#[test]
fn gnu_ls_columns_pad_with_tabs_and_quote_spaces() {
    check(
        Flavor::Coreutils,
        "ls",
        "'a b'\t    file_number_1    file_number_13   file_number_4   file_number_8\n \
a.txt\t    file_number_10   file_number_14   file_number_5   file_number_9\n \
app.json   file_number_11   file_number_2    file_number_6   lnk\n \
d\t    file_number_12   file_number_3    file_number_7\n",
    );
}

#[test]
fn busybox_ls_columns_fit_79() {
    check(
        Flavor::BusyBox,
        "ls",
        "a b             file_number_10  file_number_2   file_number_7\n\
a.txt           file_number_11  file_number_3   file_number_8\n\
app.json        file_number_12  file_number_4   file_number_9\n\
d               file_number_13  file_number_5   lnk\n\
file_number_1   file_number_14  file_number_6\n",
    );
}

#[test]
fn gnu_ls_long_pads_unquoted_names_on_a_terminal() {
    let mut fs = fixture_with_many();
    let got = fixture::exec(&mut fs, Flavor::Coreutils, true, "ls -l d", "");
    assert_eq!(
        String::from_utf8_lossy(&got.stdout),
        "total 4\ndrwxr-xr-x 2 root root 4096 Nov 28 07:15 e\n-rw-r--r-- 1 root root    0 Nov 28 07:15 f\n"
    );
    let got = fixture::exec(&mut fs, Flavor::Coreutils, true, "ls -l 'a b' a.txt", "");
    assert_eq!(
        String::from_utf8_lossy(&got.stdout),
        "-rw-r--r-- 1 root root 1 Jan  2  2020 'a b'\n-rw-r--r-- 1 root root 6 Nov 28 07:15  a.txt\n"
    );
}

#[test]
fn short_dir_listing_on_a_terminal() {
    check(Flavor::Coreutils, "ls d", "e  f\n");
    check(Flavor::BusyBox, "ls d", "e  f\n");
}
