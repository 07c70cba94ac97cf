//! BusyBox's usage texts are loaded by the web app after its terminal is usable: a line that
//! needs them when they cannot be had says so, and prints nothing it cannot know.

use layerbox_tools::Flavor;

use crate::fixture::{exec, fixture};

#[test]
fn without_usage_texts_a_usage_error_says_why_and_no_usage_is_made_up() {
    let mut fs = fixture();
    let notice = layerbox_texts::unavailable(layerbox_texts::BUSYBOX_USAGE);
    // The texts are there: BusyBox's usage after the error.
    let out = exec(&mut fs, Flavor::BusyBox, false, "seq", "");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(err.starts_with("BusyBox v1.36.1"), "{err}");
    assert!(err.contains("Usage: seq"), "{err}");
    layerbox_texts::without_embedded(|| {
        let out = exec(&mut fs, Flavor::BusyBox, false, "seq", "");
        assert_eq!(String::from_utf8_lossy(&out.stderr), notice);
        assert_eq!(out.code, 1, "BusyBox's status for a usage error stays");
        // Whether BusyBox has an option is in the texts: not guessed.
        let out = exec(&mut fs, Flavor::BusyBox, false, "ls -Z", "");
        assert_eq!(String::from_utf8_lossy(&out.stderr), notice);
        assert_eq!(out.code, layerbox_texts::UNAVAILABLE);
        // GNU's usage errors need no text.
        let out = exec(&mut fs, Flavor::Coreutils, false, "ls -Z", "");
        assert!(String::from_utf8_lossy(&out.stderr).contains("Try 'ls --help'"));
    });
}
