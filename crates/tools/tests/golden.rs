//! Golden outputs recorded from the real BusyBox and GNU coreutils (see `tests/record/`),
//! replayed against the model over the same scratch tree; plus hand-recorded terminal cases.

use layerbox_tools::{Flavor, Output};

mod common;
use common::{exec, fixture};

#[path = "golden/cases.rs"]
mod golden_cases;

fn flavor(s: &str) -> Flavor {
    if s == "BusyBox" {
        Flavor::BusyBox
    } else {
        Flavor::Coreutils
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
    for &(fl, line, stdin, stdout, stderr, code) in golden_cases::CASES {
        let mut fs = fixture();
        let (first, check) = match line.split_once(" ;; ") {
            Some((a, b)) => (a, Some(b)),
            None => (line, None),
        };
        let mut got = exec(&mut fs, flavor(fl), false, first, stdin);
        if let Some(check) = check {
            // The effect: what a second command shows afterwards.
            let then = exec(&mut fs, flavor(fl), false, check, "");
            got.stdout.extend_from_slice(b"--\n");
            got.stdout.extend(then.stdout);
            got.stderr.extend(then.stderr);
            if got.code == 0 {
                got.code = then.code;
            }
        }
        let want = Output {
            stdout: stdout.as_bytes().to_vec(),
            stderr: stderr.as_bytes().to_vec(),
            code,
        };
        if got != want {
            failures.push(format!(
                "== {fl}: {line}\n-- want\n{}\n-- got\n{}\n",
                show(&want),
                show(&got)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        golden_cases::CASES.len(),
        failures.join("\n")
    );
}
