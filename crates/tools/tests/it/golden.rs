//! Golden outputs recorded from the real BusyBox and GNU coreutils (`tests/golden/*.txt`,
//! written by `tests/record/record.py`; the format is in `tests/golden/README.md`), replayed
//! against the model over the same scratch tree.

use layerbox_tools::{Flavor, Output};

use crate::fixture::{exec, fixture};

/// Each flavour's recording: its file name and its text.
const RECORDINGS: &[(Flavor, &str, &str)] = &[
    (
        Flavor::BusyBox,
        "golden/busybox.txt",
        include_str!("../golden/busybox.txt"),
    ),
    (
        Flavor::Coreutils,
        "golden/coreutils.txt",
        include_str!("../golden/coreutils.txt"),
    ),
];

/// Fewer cases than this in one file means a recording was cut short.
const MIN_CASES_PER_FLAVOR: usize = 200;

/// One recorded run: the command line (` ;; ` before a command that shows the effect), what it
/// read, and what the real program printed.
#[derive(Debug, Default, PartialEq)]
struct Case {
    /// Where the case starts, `file:line`.
    at: String,
    line: String,
    stdin: String,
    stdout: String,
    stderr: String,
    code: i32,
}

/// Reads a golden file; an error names the malformed line as `file:line`.
fn parse(file: &str, text: &str) -> Result<Vec<Case>, String> {
    let mut cases = Vec::new();
    let mut open: Option<Case> = None;
    // The stream the last line went to, and whether it ended without a newline.
    let mut last = (0, false);
    for (n, row) in text.split('\n').enumerate() {
        let at = format!("{file}:{}", n + 1);
        if row.is_empty() || row.starts_with('#') {
            continue;
        }
        if let Some(line) = row.strip_prefix("=== ") {
            if open.is_some() {
                return Err(format!("{at}: the case before has no `rc` line"));
            }
            open = Some(Case {
                at: at.clone(),
                line: line.to_string(),
                ..Case::default()
            });
            last = (0, false);
            continue;
        }
        let Some(case) = open.as_mut() else {
            return Err(format!(
                "{at}: `{row}` is outside a case (no `=== ` line before it)"
            ));
        };
        if let Some(code) = row.strip_prefix("rc ") {
            case.code = code
                .parse()
                .map_err(|_| format!("{at}: `{code}` is not an exit code"))?;
            cases.extend(open.take());
            continue;
        }
        let mut chars = row.chars();
        let (fd, mark, rest) = (chars.next(), chars.next(), chars.as_str());
        let fd = match fd {
            Some('0') => 0,
            Some('1') => 1,
            Some('2') => 2,
            _ => {
                return Err(format!(
                    "{at}: `{row}` is not `N| `, `N~ `, `=== ` or `rc `"
                ))
            }
        };
        let ends_line = match mark {
            Some('|') => true,
            Some('~') => false,
            _ => {
                return Err(format!(
                    "{at}: `{row}` is not `N| `, `N~ `, `=== ` or `rc `"
                ))
            }
        };
        let content = match rest.strip_prefix(' ') {
            Some(c) if !c.is_empty() || ends_line => c,
            None if rest.is_empty() && ends_line => "",
            _ => {
                return Err(format!(
                    "{at}: `{row}`: a space must follow `{fd}|` or `{fd}~`, then the text"
                ))
            }
        };
        if fd < last.0 || (fd == last.0 && last.1) {
            return Err(format!(
                "{at}: streams go 0, 1, 2, and a `~` line is the last of its stream"
            ));
        }
        last = (fd, !ends_line);
        let stream = match fd {
            0 => &mut case.stdin,
            1 => &mut case.stdout,
            _ => &mut case.stderr,
        };
        stream.push_str(content);
        if ends_line {
            stream.push('\n');
        }
    }
    match open {
        Some(case) => Err(format!("{}: the case has no `rc` line", case.at)),
        None => Ok(cases),
    }
}

fn show(o: &Output) -> String {
    format!(
        "stdout:\n{}stderr:\n{}code: {}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
        o.code
    )
}

#[test]
fn recorded_outputs_match_the_real_programs() {
    let mut failures = Vec::new();
    let mut count = 0;
    for &(flavor, file, text) in RECORDINGS {
        let cases = parse(file, text).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            cases.len() >= MIN_CASES_PER_FLAVOR,
            "{file}: only {} cases",
            cases.len()
        );
        count += cases.len();
        for case in cases {
            let mut fs = fixture();
            let (first, check) = match case.line.split_once(" ;; ") {
                Some((a, b)) => (a, Some(b)),
                None => (case.line.as_str(), None),
            };
            let mut got = exec(&mut fs, flavor, false, first, &case.stdin);
            if let Some(check) = check {
                // The effect: what a second command shows afterwards.
                let then = exec(&mut fs, flavor, false, check, "");
                got.stdout.extend_from_slice(b"--\n");
                got.stdout.extend(then.stdout);
                got.stderr.extend(then.stderr);
                if got.code == 0 {
                    got.code = then.code;
                }
            }
            let want = Output {
                stdout: case.stdout.into_bytes(),
                stderr: case.stderr.into_bytes(),
                code: case.code,
            };
            if got != want {
                failures.push(format!(
                    "== {} {flavor:?}: {}\n-- want\n{}\n-- got\n{}\n",
                    case.at,
                    case.line,
                    show(&want),
                    show(&got)
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn golden_format_keeps_every_byte() {
    let text =
        "# a comment\n=== cat -A\n0| a\tb \n0|\n0~ end\n1| x\n2~ warn\nrc 3\n=== true\nrc 0\n";
    let cases = parse("t.txt", text).unwrap();
    assert_eq!(
        cases,
        [
            Case {
                at: "t.txt:2".into(),
                line: "cat -A".into(),
                stdin: "a\tb \n\nend".into(),
                stdout: "x\n".into(),
                stderr: "warn".into(),
                code: 3,
            },
            Case {
                at: "t.txt:9".into(),
                line: "true".into(),
                ..Case::default()
            },
        ]
    );
}

#[test]
fn golden_format_names_the_line_it_refuses() {
    for (text, error) in [
        ("=== ls\n1| a\n0| b\nrc 0\n", "t.txt:3: streams go 0, 1, 2"),
        ("=== ls\n1~ a\n1| b\nrc 0\n", "t.txt:3: streams go 0, 1, 2"),
        ("=== ls\n1|a\nrc 0\n", "t.txt:2: `1|a`: a space must follow"),
        ("1| a\n", "t.txt:1: `1| a` is outside a case"),
        ("=== ls\n3| a\nrc 0\n", "t.txt:2: `3| a` is not"),
        ("=== ls\nrc x\n", "t.txt:2: `x` is not an exit code"),
        (
            "=== ls\n=== ls\nrc 0\n",
            "t.txt:2: the case before has no `rc` line",
        ),
        ("=== ls\n1| a\n", "t.txt:1: the case has no `rc` line"),
    ] {
        let got = parse("t.txt", text).unwrap_err();
        assert!(got.starts_with(error), "{text:?}: {got}");
    }
}
