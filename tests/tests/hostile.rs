//! Every line of `tests/hostile.txt` (crashes and freezes found by trying layerbox as a
//! hostile or careless learner would) runs through a fresh `Session`: it must not panic, it
//! must end, and the session must still run `echo ok` afterwards.
//!
//! Time is not asserted here (a test is no benchmark); with `--nocapture` each line's
//! duration is printed, which is how the slowest line is found.
//!
//! Native only: it reads the list from disk.

#![cfg(not(target_arch = "wasm32"))]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::time::Instant;

use layerbox_session::Session;

fn hostile_lines() -> Vec<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("hostile.txt");
    std::fs::read_to_string(&path)
        .expect("tests/hostile.txt")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

#[test]
fn hostile_lines_end_without_panic_and_leave_the_session_usable() {
    let lines = hostile_lines();
    assert!(lines.len() >= 20, "the list is there");
    let mut failures = Vec::new();
    for line in &lines {
        let shown: String = line.chars().take(100).collect();
        eprintln!("running: {shown}");
        let started = Instant::now();
        let ran = catch_unwind(AssertUnwindSafe(|| {
            let mut session = Session::new();
            let result = session.run_line(line);
            let after = session.run_line("echo ok");
            (result, after)
        }));
        let took = started.elapsed();
        match ran {
            Ok((result, after)) => {
                let text = result.text();
                let tail: String = text
                    .lines()
                    .last()
                    .unwrap_or("")
                    .chars()
                    .take(100)
                    .collect();
                println!(
                    "{:>8.3} s  exit {:>3}  {shown}\n            last line: {tail}",
                    took.as_secs_f64(),
                    result.code
                );
                if after.text() != "ok\n" {
                    failures.push(format!(
                        "{shown}: `echo ok` afterwards printed {:?}",
                        after.text()
                    ));
                }
            }
            Err(_) => failures.push(format!("{shown}: panicked")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
