//! The shells against their golden transcripts (`tests/golden/*.txt`, recorded from the real
//! BusyBox ash and bash by `tests/record/record.py`).

use layerbox_sh::{Dialect, RunResult};

use crate::host::run;

/// `1| ` stdout, `2| ` stderr and `rc N`, the golden files' form.
fn render(r: &RunResult) -> String {
    let mut s = String::new();
    for (prefix, bytes) in [("1| ", &r.stdout), ("2| ", &r.stderr)] {
        for line in String::from_utf8_lossy(bytes).lines() {
            s += &format!("{prefix}{line}\n");
        }
    }
    s + &format!("rc {}\n", r.code)
}

fn replay(dialect: Dialect, golden: &str) {
    replay_at_least(dialect, golden, 60);
}

/// Replays a golden file whose inputs may hold `␤` (a newline) and `⇥` (a tab).
fn replay_at_least(dialect: Dialect, golden: &str, min: usize) {
    let mut failures = Vec::new();
    let mut count = 0;
    let mut cases: Vec<(&str, String)> = Vec::new();
    for line in golden.lines().filter(|l| !l.starts_with('#')) {
        match line.strip_prefix("=== ") {
            Some(input) => cases.push((input, String::new())),
            None => {
                if let Some((_, expected)) = cases.last_mut() {
                    *expected += &format!("{line}\n");
                }
            }
        }
    }
    for (input, expected) in cases {
        let text = input.replace('␤', "\n").replace('⇥', "\t");
        let (mut got, _) = run(dialect, &text);
        // As the recorder does: bash -i's "exit" as its input ends is not kept.
        if got.stderr.ends_with(b"exit\n")
            && (got.stderr.len() == 5 || got.stderr.ends_with(b"\nexit\n"))
        {
            got.stderr.truncate(got.stderr.len() - 5);
        }
        count += 1;
        if render(&got) != expected {
            failures.push(format!(
                "=== {input}\n--- expected\n{expected}--- got\n{}",
                render(&got)
            ));
        }
    }
    assert!(count > min, "only {count} cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn busybox_ash_matches_its_recording() {
    replay(Dialect::BusyBoxAsh, include_str!("../golden/ash.txt"));
}

#[test]
fn bash_matches_its_recording() {
    replay(Dialect::Bash, include_str!("../golden/bash.txt"));
}

#[test]
fn busybox_ash_scripts_match_their_recording() {
    replay_at_least(
        Dialect::BusyBoxAsh,
        include_str!("../golden/ash-scripts.txt"),
        25,
    );
}

#[test]
fn bash_scripts_match_their_recording() {
    replay_at_least(
        Dialect::Bash,
        include_str!("../golden/bash-scripts.txt"),
        25,
    );
}
