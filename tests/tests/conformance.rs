//! Replays every session recorded from a real Docker Engine (`tests/conformance/*.txt`)
//! through a fresh `Session` and compares the normalised transcripts.
//!
//! Every session must match exactly (a `docker diff` block compares as a set); a session that
//! does not is reported with its first differing line.
//!
//! Native only: it reads the corpus from disk.

// Native only: the one-shared-sort rule of clippy.toml is for the wasm bundle.
#![allow(clippy::disallowed_methods)]
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

use layerbox_acceptance::transcript::{output_lines, Normalizer, Transcript};
use layerbox_session::Session;

fn corpus() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("conformance");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("conformance directory")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| {
            let name = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, std::fs::read_to_string(&p).expect("readable session"))
        })
        .collect();
    files.sort();
    files
}

fn is_diff(command: &str) -> bool {
    command.starts_with("docker diff") || command.starts_with("docker container diff")
}

/// The first difference between the recorded session and layerbox's replay, if any.
fn first_difference(text: &str) -> Option<String> {
    let expected = Normalizer::new().normalize_transcript(&Transcript::parse(text));
    let mut session = Session::new();
    let mut ours = Normalizer::new();
    for block in &expected.blocks {
        if block.waited() > 0 {
            session.wait(block.waited());
        }
        let result = session.run_line(&block.command);
        let mut got = ours.normalize_lines(&output_lines(&result.text()));
        let mut want = block.output.clone();
        if is_diff(&block.command) {
            got.sort();
            want.sort();
        }
        if got != want {
            let at = got
                .iter()
                .zip(&want)
                .position(|(g, w)| g != w)
                .unwrap_or(got.len().min(want.len()));
            return Some(format!(
                "$ {}\n      want: {:?}\n      got:  {:?}",
                block.command,
                want.get(at).map(String::as_str).unwrap_or("<end>"),
                got.get(at).map(String::as_str).unwrap_or("<end>")
            ));
        }
        if result.code != block.exit {
            return Some(format!(
                "$ {}\n      want: [exit {}]\n      got:  [exit {}]",
                block.command, block.exit, result.code
            ));
        }
    }
    None
}

#[test]
fn recorded_docker_sessions_replay_identically() {
    let sessions = corpus();
    let mut matching = Vec::new();
    let mut report = String::new();
    for (name, text) in &sessions {
        match first_difference(text) {
            None => matching.push(name.clone()),
            Some(diff) => report.push_str(&format!("  {name}:\n    {diff}\n")),
        }
    }
    println!(
        "conformance: {} of {} sessions match",
        matching.len(),
        sessions.len()
    );
    println!("matching: {}", matching.join(" "));
    print!("{report}");
    assert!(
        sessions.len() >= 150,
        "the corpus has {} sessions; it must keep at least 150",
        sessions.len()
    );
    assert!(
        report.is_empty(),
        "every recorded session must replay identically; these differ:\n{report}"
    );
}
