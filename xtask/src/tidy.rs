//! `cargo xtask tidy`: the rules this repository writes down, checked over its sources in plain
//! Rust, each violation printed as `path:line: message` (rust-analyzer's tidy test):
//!
//! - every `.rs` file under `crates/`, `xtask/` and `tests/` opens with a `//!` line saying what
//!   it owns, test files and build scripts included (`target/` is not looked at);
//! - ARCHITECTURE.md names every crate (`crates/NAME/`) and every top-level folder git tracks
//!   (hidden ones such as `.cargo/` aside);
//! - library code (`crates/*/src/`, unit-test files aside) sorts only through `layerbox-order`:
//!   the standard library's slice sorts compile one copy per call site into the wasm bundle
//!   (`clippy.toml` refuses them too; tests, benches and xtask may use them);
//! - no source file outside tests passes [`LONG_FILE`] lines unless its opening `//!` block has
//!   a paragraph starting [`LONG_FILE_REASON`];
//! - the crates of [`ACYCLIC_CRATES`] have no import cycle between their files (see
//!   [`import_cycles`]).

mod imports;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, ExitCode};

use anyhow::{bail, Context, Result};

use imports::import_cycles;

/// Crates whose files never import each other in a cycle; a listed crate that does not exist
/// yet is skipped with a note.
const ACYCLIC_CRATES: &[&str] = &["crates/docker-cli"];

/// The folders whose `.rs` files are checked.
const SOURCE_ROOTS: &[&str] = &["crates", "xtask", "tests"];

/// A source file longer than this many lines needs a reason.
const LONG_FILE: usize = 1000;

/// The paragraph of a long file's `//!` block that says why it is long.
const LONG_FILE_REASON: &str = "Why this file is long:";

/// The standard library's slice sorts, as method names.
const SORTS: &[&str] = &[
    "sort",
    "sort_by",
    "sort_by_key",
    "sort_by_cached_key",
    "sort_unstable",
    "sort_unstable_by",
    "sort_unstable_by_key",
];

/// One broken rule.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Violation {
    path: String,
    line: usize,
    message: String,
}

impl Violation {
    fn new(path: &str, line: usize, message: impl Into<String>) -> Violation {
        Violation {
            path: path.to_string(),
            line,
            message: message.into(),
        }
    }
}

/// `cargo xtask tidy`.
pub fn run() -> Result<ExitCode> {
    match check(&crate::root()) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) => {
            eprintln!("xtask: {e:#}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// Checks the repository at `root`, prints every violation, and fails if there is one.
pub fn check(root: &Path) -> Result<()> {
    let files = source_files(root)?;
    let mut found = Vec::new();
    for (path, text) in &files {
        found.extend(module_doc(path, text));
        found.extend(long_file(path, text));
        if is_library_code(path) {
            found.extend(sorts(path, text));
        }
    }
    let architecture =
        std::fs::read_to_string(root.join("ARCHITECTURE.md")).context("reading ARCHITECTURE.md")?;
    found.extend(architecture_names(
        &architecture,
        &crate_dirs(root)?,
        &tracked_folders(root)?,
    ));
    for krate in ACYCLIC_CRATES {
        if !root.join(krate).is_dir() {
            println!("tidy: skipped the import-cycle check of {krate}/: no such crate yet");
            continue;
        }
        let src = format!("{krate}/src/");
        let modules: Vec<(&str, &str)> = files
            .iter()
            .filter_map(|(p, t)| Some((p.strip_prefix(&src)?, t.as_str())))
            .collect();
        for cycle in import_cycles(&modules) {
            let (first, line) = &cycle[0];
            let mut shown: Vec<String> = cycle
                .iter()
                .map(|(file, line)| format!("{src}{file}:{line}"))
                .collect();
            shown.push(format!("{src}{first}"));
            found.push(Violation::new(
                &format!("{src}{first}"),
                *line,
                format!("import cycle: {}", shown.join(" -> ")),
            ));
        }
    }
    found.sort();
    for v in &found {
        println!("{}:{}: {}", v.path, v.line, v.message);
    }
    if !found.is_empty() {
        bail!(
            "tidy: {} violation(s) in {} files",
            found.len(),
            files.len()
        );
    }
    println!("tidy: {} files follow the rules", files.len());
    Ok(())
}

/// Every `.rs` file under [`SOURCE_ROOTS`] with its text, by path relative to `root` (with `/`),
/// skipping `target/` and hidden folders.
fn source_files(root: &Path) -> Result<Vec<(String, String)>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) -> Result<()> {
        let entries =
            std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?;
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                if name != "target" && !name.starts_with('.') {
                    walk(root, &path, out)?;
                }
            } else if name.ends_with(".rs") {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("reading {}", path.display()))?;
                let rel = path.strip_prefix(root).unwrap_or(&path);
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push((rel.join("/"), text));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for dir in SOURCE_ROOTS {
        walk(root, &root.join(dir), &mut out)?;
    }
    out.sort();
    Ok(out)
}

/// The crates: folders of `crates/` with a `Cargo.toml`.
fn crate_dirs(root: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root.join("crates")).context("reading crates/")? {
        let entry = entry?;
        if entry.path().join("Cargo.toml").is_file() {
            out.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    out.sort();
    Ok(out)
}

/// The top-level folders that hold a file git tracks, hidden ones aside.
fn tracked_folders(root: &Path) -> Result<Vec<String>> {
    let out = Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(root)
        .output()
        .context("running git ls-files")?;
    if !out.status.success() {
        bail!("git ls-files failed ({})", out.status);
    }
    let folders: BTreeSet<String> = String::from_utf8_lossy(&out.stdout)
        .split('\0')
        .filter_map(|p| p.split_once('/'))
        .map(|(top, _)| top.to_string())
        .filter(|top| !top.starts_with('.'))
        .collect();
    Ok(folders.into_iter().collect())
}

/// Test code: under a `tests/` or `benches/` folder, or a unit-test file `tests.rs`.
fn is_test_code(path: &str) -> bool {
    let mut parts = path.split('/');
    let file = parts.next_back().unwrap_or("");
    file == "tests.rs" || parts.any(|p| p == "tests" || p == "benches")
}

/// Library code: `crates/NAME/src/**` of every crate but `crates/order`, test files aside.
fn is_library_code(path: &str) -> bool {
    match path.split('/').collect::<Vec<_>>()[..] {
        ["crates", krate, "src", ..] => krate != "order" && !is_test_code(path),
        _ => false,
    }
}

/// Every module opens with a `//!` line saying what it owns.
fn module_doc(path: &str, text: &str) -> Option<Violation> {
    if text.starts_with("//!") {
        return None;
    }
    Some(Violation::new(
        path,
        1,
        "does not open with a `//!` line saying what the module owns",
    ))
}

/// A source file outside tests over [`LONG_FILE`] lines says why in its opening `//!` block.
fn long_file(path: &str, text: &str) -> Option<Violation> {
    let lines = text.lines().count();
    if is_test_code(path) || lines <= LONG_FILE {
        return None;
    }
    let mut paragraph_starts = true;
    for line in text.lines() {
        let Some(doc) = line.strip_prefix("//!") else {
            break;
        };
        let doc = doc.trim();
        if paragraph_starts && doc.starts_with(LONG_FILE_REASON) {
            return None;
        }
        paragraph_starts = doc.is_empty();
    }
    Some(Violation::new(
        path,
        1,
        format!(
            "{lines} lines, over {LONG_FILE}: split it, or say why in a paragraph of its \
             opening `//!` block starting `{LONG_FILE_REASON}`"
        ),
    ))
}

/// Calls of the standard library's slice sorts (`.sort(`, `.sort_by_key(`, ...) outside comments.
fn sorts(path: &str, text: &str) -> Vec<Violation> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        for (i, _) in code.match_indices(".sort") {
            let name: String = code[i + 1..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let after = &code[i + 1 + name.len()..];
            if SORTS.contains(&name.as_str())
                && (after.starts_with('(') || after.starts_with("::<"))
            {
                found.push(Violation::new(
                    path,
                    n + 1,
                    format!(
                        "`.{name}(`: library code sorts through layerbox_order (one shared sort \
                         in the wasm bundle; clippy.toml's disallowed-methods)"
                    ),
                ));
            }
        }
    }
    found
}

/// ARCHITECTURE.md names every crate as `crates/NAME/` and every top-level folder as `NAME/`
/// (not as the tail of a longer path); a violation points at its code map.
fn architecture_names(text: &str, crates: &[String], folders: &[String]) -> Vec<Violation> {
    let line = text
        .lines()
        .position(|l| l.trim() == "## Code map")
        .map_or(1, |i| i + 1);
    let named = |needle: &str| {
        text.match_indices(needle).any(|(i, _)| {
            !text[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || "_-./".contains(c))
        })
    };
    let mut found = Vec::new();
    for krate in crates {
        let needle = format!("crates/{krate}/");
        if !named(&needle) {
            found.push(Violation::new(
                "ARCHITECTURE.md",
                line,
                format!("names no `{needle}`: every crate has its place in the code map"),
            ));
        }
    }
    for folder in folders {
        let needle = format!("{folder}/");
        if !named(&needle) {
            found.push(Violation::new(
                "ARCHITECTURE.md",
                line,
                format!(
                    "names no `{needle}`: every top-level folder git tracks has its place in \
                     the code map"
                ),
            ));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(found: Vec<Violation>) -> Vec<String> {
        found
            .into_iter()
            .map(|v| format!("{}:{}: {}", v.path, v.line, v.message))
            .collect()
    }

    #[test]
    fn a_module_opens_with_its_doc_line() {
        assert_eq!(module_doc("a.rs", "//! Owns a.\nfn a() {}\n"), None);
        for text in [
            "",
            "// a plain comment\n",
            "#![allow(x)]\n//! late\n",
            "/// an item doc\n",
        ] {
            assert_eq!(
                module_doc("a.rs", text).map(|v| v.line),
                Some(1),
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_long_file_needs_a_reason_paragraph() {
        let body = "fn f() {}\n".repeat(LONG_FILE);
        let short = format!("//! Owns f.\n{}", "fn f() {}\n".repeat(LONG_FILE - 1));
        assert_eq!(long_file("crates/a/src/f.rs", &short), None);
        let plain = format!("//! Owns f.\n{body}");
        assert_eq!(
            messages(long_file("crates/a/src/f.rs", &plain).into_iter().collect()),
            [format!(
                "crates/a/src/f.rs:1: 1001 lines, over 1000: split it, or say why in a \
                 paragraph of its opening `//!` block starting `{LONG_FILE_REASON}`"
            )]
        );
        let reason = format!("//! Owns f.\n//!\n//! Why this file is long: one table.\n{body}");
        assert_eq!(long_file("crates/a/src/f.rs", &reason), None);
        // Mid-paragraph, or after the opening block, is no reason.
        for text in [
            format!("//! Owns f.\n//! Why this file is long: no.\n{body}"),
            format!("//! Owns f.\n\n//!\n//! Why this file is long: no.\n{body}"),
        ] {
            assert!(long_file("crates/a/src/f.rs", &text).is_some());
        }
        assert_eq!(long_file("crates/a/tests/it/f.rs", &plain), None);
        assert_eq!(long_file("crates/a/src/filter/tests.rs", &plain), None);
    }

    #[test]
    fn library_code_sorts_only_through_layerbox_order() {
        let text = "//! x\nfn f(v: &mut Vec<u8>) {\n    v.sort();\n    v.sort_unstable_by_key(|x| *x);\n    layerbox_order::sort(v); // not v.sort_by(..)\n    v.sorted(); v.sort_by::<u8>(x);\n}\n";
        assert_eq!(
            sorts("crates/a/src/f.rs", text)
                .iter()
                .map(|v| (v.line, v.message.split(':').next().unwrap_or("")))
                .collect::<Vec<_>>(),
            [
                (3, "`.sort(`"),
                (4, "`.sort_unstable_by_key(`"),
                (6, "`.sort_by(`")
            ]
        );
        assert!(is_library_code("crates/engine/src/world.rs"));
        assert!(is_library_code("crates/cli/src/main.rs"));
        for path in [
            "crates/order/src/lib.rs",
            "crates/engine/src/filter/regex/tests.rs",
            "crates/engine/benches/storage.rs",
            "crates/engine/tests/it/world.rs",
            "xtask/src/tidy.rs",
            "tests/src/transcript.rs",
        ] {
            assert!(!is_library_code(path), "{path}");
        }
    }

    #[test]
    fn architecture_names_every_crate_and_folder() {
        let text =
            "# A\n\n## Code map\n\n### `crates/engine/`\nSee `web/` and crates/engine/tests/x.\n";
        let found = architecture_names(
            text,
            &["engine".into(), "ui".into()],
            &["crates".into(), "tests".into(), "web".into()],
        );
        assert_eq!(
            messages(found),
            [
                "ARCHITECTURE.md:3: names no `crates/ui/`: every crate has its place in the code map",
                "ARCHITECTURE.md:3: names no `tests/`: every top-level folder git tracks has its place in the code map",
            ]
        );
    }
}
