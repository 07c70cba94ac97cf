//! Every flag a command's code reads names a flag that command declares: a misspelt
//! `m.on("quite")` would otherwise read as never given and silently drop the flag.
//!
//! Flags are looked up by name (`m.on`, `m.last`, `m.all`, `filters(m, …)`); this test reads
//! each file under `src/commands/`, finds the commands it declares (their `path`), and checks
//! each looked-up name against those commands' flags as the CLI's catalog has them.

// Native only: it reads the sources from disk.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Files that read flags for commands declared elsewhere: the shared options of `run` and
/// `create` (docker/cli's `containerOptions`).
const SHARED: &[(&str, &[&str])] = &[("commands/container/opts.rs", &["run", "create"])];

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable source folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The string literals that follow `needle` in `text`: `m.on("quiet")` gives `quiet`.
fn literals_after<'a>(text: &'a str, needle: &str) -> Vec<&'a str> {
    text.match_indices(needle)
        .filter_map(|(at, _)| {
            let rest = &text[at + needle.len()..];
            let rest = rest.strip_prefix('"')?;
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

#[test]
fn every_flag_a_command_reads_is_one_it_declares() {
    let catalog: BTreeMap<&str, BTreeSet<&str>> = layerbox_docker_cli::catalog()
        .map(|(name, flags)| (name, flags.iter().map(|f| f.long).collect()))
        .collect();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root.join("commands"), &mut files);
    assert!(files.len() > 30, "the command files were found");
    let mut checked = 0;
    let mut wrong = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable source");
        let rel = file
            .strip_prefix(&root)
            .expect("under src")
            .to_string_lossy()
            .replace('\\', "/");
        let mut lookups: Vec<&str> = Vec::new();
        for needle in ["m.on(", "m.last(", "m.all(", "filters(m, "] {
            lookups.extend(literals_after(&text, needle));
        }
        if lookups.is_empty() {
            continue;
        }
        let mut commands: Vec<&str> = literals_after(&text, "path: ");
        if let Some((_, shared)) = SHARED.iter().find(|(f, _)| *f == rel) {
            commands.extend(shared.iter().copied());
        }
        assert!(
            !commands.is_empty(),
            "{rel} reads flags but declares no command; name its commands in SHARED"
        );
        for command in &commands {
            let Some(declared) = catalog.get(command) else {
                wrong.push(format!("{rel}: `{command}` is not in the catalog"));
                continue;
            };
            for flag in &lookups {
                checked += 1;
                if !declared.contains(flag) {
                    wrong.push(format!(
                        "{rel}: `docker {command}` reads --{flag}, which it does not declare"
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(checked > 80, "only {checked} lookups were checked");
}

#[test]
fn a_misspelt_lookup_is_caught() {
    let text = r#"if m.on("quite") { } let f = filters(m, "filter");"#;
    assert_eq!(literals_after(text, "m.on("), ["quite"]);
    assert_eq!(literals_after(text, "filters(m, "), ["filter"]);
}
