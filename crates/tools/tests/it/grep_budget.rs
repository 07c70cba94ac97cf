//! grep's matcher is bounded: a costly search ends with layerbox's message and status 2, never
//! with a "no match"; no pattern overflows the stack.

use layerbox_tools::Flavor;

use crate::fixture::{exec, fixture};

const TOO_COSTLY: &str = "layerbox: grep: pattern too costly, stopped (layerbox limit)\n";

fn grep(flavor: Flavor, line: &str, stdin: &str) -> (String, String, i32) {
    let mut fs = fixture();
    let out = exec(&mut fs, flavor, false, line, stdin);
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.code,
    )
}

#[test]
fn nested_stars_over_many_lines_run_in_linear_time() {
    let mut lines = format!("{}\n", "a".repeat(60)).repeat(3_000);
    lines.push_str("ax\n");
    for flavor in [Flavor::BusyBox, Flavor::Coreutils] {
        let (out, err, code) = grep(flavor, "grep .*.*.*.*.*x", &lines);
        assert_eq!((out.as_str(), err.as_str(), code), ("ax\n", "", 0));
    }
}

#[test]
fn a_search_beyond_the_budget_says_so_and_fails() {
    let long = format!("{}\n", "a".repeat(2_000)).repeat(2_000);
    for flavor in [Flavor::BusyBox, Flavor::Coreutils] {
        let (out, err, code) = grep(flavor, "grep -c .*.*.*.*.*.*.*.*x", &long);
        assert_eq!((out.as_str(), err.as_str(), code), ("", TOO_COSTLY, 2));
        let (_, err, code) = grep(flavor, "grep '\\(a*\\)*b\\1'", &long);
        assert_eq!((err.as_str(), code), (TOO_COSTLY, 2));
    }
}

#[test]
fn long_and_deep_patterns_do_not_overflow_the_stack() {
    let long = "ab".repeat(40_000);
    for flavor in [Flavor::BusyBox, Flavor::Coreutils] {
        let (_, err, code) = grep(flavor, &format!("grep {long}"), &format!("x{long}\n"));
        assert_eq!((err.as_str(), code), ("", 0));
        for line in [format!("grep -i {long}"), format!("grep -E ({long})+")] {
            let (_, err, code) = grep(flavor, &line, "xb\nab\n");
            assert_eq!((err.as_str(), code), ("", 1), "{}", &line[..20]);
        }
        let deep = format!("grep {}a{}", "\\(".repeat(5_000), "\\)".repeat(5_000));
        let (_, err, code) = grep(flavor, &deep, "a\n");
        assert_eq!((err.as_str(), code), (TOO_COSTLY, 2));
        let stars = format!("grep -c a{}", "*".repeat(100_000));
        let (out, _, code) = grep(flavor, &stars, "b\n");
        assert_eq!((out.as_str(), code), ("1\n", 0));
    }
}
