//! Every line of `tests/hostile.txt` (crashes and freezes found by trying layerbox as a
//! hostile or careless learner would) runs through a fresh `Session`: it must not panic, it
//! must end with a layerbox limit's message (or, marked `ends:`, on its own), its memory stays
//! bounded, and the session must still run `echo ok` afterwards.
//!
//! Time is asserted only in release (`cargo xtask bench` runs the ignored
//! `hostile_lines_end_within_two_seconds_in_release`): a debug test under a loaded machine is
//! no benchmark. With `--nocapture` each line's duration is printed, which is how the slowest
//! line is found.
//!
//! Native only: it reads the list from disk and the memory from `/proc`.

#![cfg(not(target_arch = "wasm32"))]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use layerbox_acceptance::memory;
use layerbox_session::Session;

/// What a line's text must hold unless it is marked `ends:`: every limit's message says it.
const LIMIT: &str = "(layerbox limit)";

/// The most a line's run may add to the process's peak memory (resident set).
const MEMORY_BOUND: u64 = 768 << 20;

/// The longest a line may take natively in release.
const TIME_BOUND: Duration = Duration::from_secs(2);

/// One hostile line and whether it must end at a limit.
struct Hostile {
    line: String,
    at_limit: bool,
}

fn hostile_lines() -> Vec<Hostile> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("hostile.txt");
    std::fs::read_to_string(&path)
        .expect("tests/hostile.txt")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| match l.strip_prefix("ends: ") {
            Some(line) => Hostile {
                line: line.to_string(),
                at_limit: false,
            },
            None => Hostile {
                line: l.to_string(),
                at_limit: true,
            },
        })
        .collect()
}

/// What running one line showed.
struct Ran {
    took: Duration,
    /// Peak memory the line added, when `/proc` tells.
    grew: Option<u64>,
    code: i32,
    text: String,
    after: String,
}

fn run(line: &str) -> Result<Ran, String> {
    let (ran, grew) = memory::growth(|| {
        catch_unwind(AssertUnwindSafe(|| {
            let mut session = Session::new();
            let started = Instant::now();
            let result = session.run_line(line);
            let took = started.elapsed();
            let after = session.run_line("echo ok");
            (result, took, after)
        }))
    });
    match ran {
        Ok((result, took, after)) => Ok(Ran {
            took,
            grew,
            code: result.code,
            text: result.text(),
            after: after.text(),
        }),
        Err(_) => Err("panicked".into()),
    }
}

fn shown(line: &str) -> String {
    line.chars().take(100).collect()
}

#[test]
fn hostile_lines_end_at_a_limit_within_memory_and_leave_the_session_usable() {
    let lines = hostile_lines();
    assert!(lines.len() >= 20, "the list is there");
    let mut failures = Vec::new();
    for h in &lines {
        let shown = shown(&h.line);
        eprintln!("running: {shown}");
        match run(&h.line) {
            Ok(ran) => {
                let tail: String = ran
                    .text
                    .lines()
                    .last()
                    .unwrap_or("")
                    .chars()
                    .take(100)
                    .collect();
                println!(
                    "{:>8.3} s {:>6} MiB  exit {:>3}  {shown}\n            last line: {tail}",
                    ran.took.as_secs_f64(),
                    ran.grew.map_or("?".into(), |g| (g >> 20).to_string()),
                    ran.code
                );
                if ran.after != "ok\n" {
                    failures.push(format!(
                        "{shown}: `echo ok` afterwards printed {:?}",
                        ran.after
                    ));
                }
                if h.at_limit && !ran.text.contains(LIMIT) {
                    failures.push(format!("{shown}: ended without a limit's message: {tail}"));
                }
                if ran.grew.is_some_and(|g| g > MEMORY_BOUND) {
                    failures.push(format!("{shown}: took {} MiB", ran.grew.unwrap_or(0) >> 20));
                }
            }
            Err(why) => failures.push(format!("{shown}: {why}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `cargo xtask bench` runs this in release: every line ends within [`TIME_BOUND`], and the
/// slowest is printed.
#[test]
#[ignore = "a timing: cargo xtask bench runs it in release"]
fn hostile_lines_end_within_two_seconds_in_release() {
    if cfg!(debug_assertions) {
        panic!("run in release: cargo test --release -p layerbox-acceptance --test hostile -- --ignored");
    }
    let mut slowest = (Duration::ZERO, String::new());
    let mut failures = Vec::new();
    for h in hostile_lines() {
        let shown = shown(&h.line);
        match run(&h.line) {
            Ok(ran) => {
                if ran.took > slowest.0 {
                    slowest = (ran.took, shown.clone());
                }
                if ran.took > TIME_BOUND {
                    failures.push(format!("{:.3} s  {shown}", ran.took.as_secs_f64()));
                }
            }
            Err(why) => failures.push(format!("{shown}: {why}")),
        }
    }
    println!(
        "slowest hostile line: {:.3} s  {}",
        slowest.0.as_secs_f64(),
        slowest.1
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
