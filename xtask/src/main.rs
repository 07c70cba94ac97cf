//! `cargo xtask`: the one entry point for development tasks (install, serve, record, test).

// Native only: the one-shared-sort rule of clippy.toml is for the wasm bundle.
#![allow(clippy::disallowed_methods)]

mod difftest;
mod record;
mod test;
mod tidy;
mod tools;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  serve     install what is missing, then serve the playground at http://127.0.0.1:8080
            with live reload (trunk serve)
  record    record tests/conformance/*.txt (or the named sessions) from a real Docker Engine
            (root; needs docker.io and busybox-static): cargo xtask record [--rebuild] [SESSION...]
  difftest  generate sessions around storage, run them on a real Docker Engine and on layerbox,
            shrink each difference to a minimal transcript (root; needs what record needs):
            cargo xtask difftest [--sessions N] [--seed S] [--keep DIR] [--budget RUNS] [--print]
  test      install what is missing, then run every check and test and print a summary
            (cargo xtask test --only tidy,fmt,... runs the named stages)
  tidy      the repository's own rules: module docs, ARCHITECTURE.md's code map, sorts only
            through layerbox-order, long files say why, no import cycles (xtask/src/tidy.rs)
  bench     the speed and size budgets: the storage engine's benchmarks (cargo bench), every
            hostile line within 2 s in release (tests/hostile.txt), then the release site in
            headless Chromium (bundle size, load, Enter to updated views)
  tools     only install what is missing (the wasm32 target, trunk, wasm-bindgen-cli,
            wasm-pack, and Chromium with chromedriver)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(),
        Some("record") => record::run(&args[1..]),
        Some("difftest") => difftest::run(&args[1..]),
        Some("test") => test::run(&args[1..]),
        Some("tidy") => tidy::run(),
        Some("bench") => bench(),
        Some("tools") => tools::ensure_all(tools::Purpose::Test)
            .and_then(|()| tools::browser().map_err(anyhow::Error::msg))
            .and_then(|()| tools::cjk_fonts().map_err(anyhow::Error::msg))
            .map(|()| ExitCode::SUCCESS),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        Some(other) => {
            eprint!("xtask: unknown task '{other}'\n\n{USAGE}");
            Ok(ExitCode::from(2))
        }
        None => {
            eprint!("{USAGE}");
            Ok(ExitCode::from(2))
        }
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("xtask: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (the parent of this crate's directory).
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

fn serve() -> anyhow::Result<ExitCode> {
    tools::ensure_all(tools::Purpose::Serve)?;
    println!("xtask: serving the playground at http://127.0.0.1:8080 (live reload; Ctrl-C stops)");
    let status = std::process::Command::new("trunk")
        .arg("serve")
        // Offline: a missing or mismatched wasm-bindgen is an error, not a download.
        .env("TRUNK_OFFLINE", "true")
        .current_dir(root())
        .status()?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Runs the engine's benchmarks, times the hostile lines in release, builds the release site
/// and measures it in Chromium.
fn bench() -> anyhow::Result<ExitCode> {
    tools::ensure_all(tools::Purpose::Test)?;
    let run = |program: &str, args: &[&str]| -> anyhow::Result<bool> {
        println!("xtask: {program} {}", args.join(" "));
        Ok(std::process::Command::new(program)
            .args(args)
            .current_dir(root())
            .status()?
            .success())
    };
    let mut ok = run(
        "cargo",
        &["bench", "-p", "layerbox-engine", "--bench", "storage"],
    )?;
    // Every hostile line ends within two seconds natively in release (tests/hostile.txt).
    ok &= run(
        "cargo",
        &[
            "test",
            "--release",
            "-p",
            "layerbox-acceptance",
            "--test",
            "hostile",
            "--",
            "--ignored",
            "--nocapture",
            "hostile_lines_end_within_two_seconds_in_release",
        ],
    )?;
    tools::browser().map_err(anyhow::Error::msg)?;
    ok &= run("trunk", &["build", "--release", "--offline"])?;
    ok &= run(
        "cargo",
        &[
            "run",
            "--release",
            "-p",
            "layerbox-acceptance",
            "--bin",
            "ui_bench",
            "--",
            "dist",
        ],
    )?;
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
