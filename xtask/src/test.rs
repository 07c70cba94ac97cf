//! `cargo xtask test`: every check and test, in stages, with a summary; non-zero on any failure.

use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use anyhow::{bail, Result};

use crate::{tidy, tools};

/// Crates that run in the browser: linted for wasm32, and the test target of each that
/// `wasm-pack test --headless --chrome` runs in headless Chromium.
const WASM_CRATES: &[&str] = &[
    "layerbox-order",
    "layerbox-i18n",
    "layerbox-texts",
    "layerbox-fstree",
    "layerbox-engine",
    "layerbox-dockerfile",
    "layerbox-images",
    "layerbox-sh",
    "layerbox-tools",
    "layerbox-runtime",
    "layerbox-docker-cli",
    "layerbox-session",
    "layerbox-view",
    "layerbox-lessons",
    "layerbox-ui",
];
const BROWSER_TESTS: &[(&str, &str)] = &[
    ("crates/fstree", "wasm_smoke"),
    ("crates/engine", "wasm_smoke"),
    ("crates/lessons", "wasm_smoke"),
    ("crates/ui", "browser"),
];

/// A stage could not run because something outside cargo is missing (Chromium, the fonts):
/// it is reported as skipped, with the command that installs it.
#[derive(Debug)]
struct Missing(String);

impl std::fmt::Display for Missing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Missing {}

struct Stage {
    name: &'static str,
    what: String,
    outcome: Outcome,
    took: Duration,
}

enum Outcome {
    Passed,
    Failed(String),
    Skipped(String),
}

pub fn run(args: &[String]) -> Result<ExitCode> {
    let only: Option<Vec<String>> = match args {
        [] => None,
        [flag, list] if flag == "--only" => Some(list.split(',').map(str::to_string).collect()),
        _ => bail!(
            "usage: cargo xtask test [--only tidy,tools,fmt,clippy,clippy-wasm,native,browser,site,bundle,e2e]"
        ),
    };
    let wanted = |name: &str| only.as_ref().is_none_or(|o| o.iter().any(|n| n == name));
    let started = Instant::now();
    let root = crate::root();
    let mut stages: Vec<Stage> = Vec::new();

    let names = [
        "tidy",
        "tools",
        "fmt",
        "clippy",
        "clippy-wasm",
        "native",
        "browser",
        "site",
        "bundle",
        "e2e",
    ];
    let total = names.iter().filter(|n| wanted(n)).count();
    let mut stage = |name: &'static str, what: String, f: &mut dyn FnMut() -> Result<()>| {
        if !wanted(name) {
            return;
        }
        let blocked = stages
            .iter()
            .find(|s| matches!(s.outcome, Outcome::Failed(_)) && s.name == "tools");
        println!(
            "\n==> [{}/{total}] {name}: {what} ({:.1} min so far)",
            stages.len() + 1,
            started.elapsed().as_secs_f64() / 60.0
        );
        let t = Instant::now();
        let outcome = if let Some(b) = blocked {
            Outcome::Skipped(format!("needs the tools, and stage '{}' failed", b.name))
        } else {
            match f() {
                Ok(()) => Outcome::Passed,
                Err(e) => match e.downcast_ref::<Missing>() {
                    Some(Missing(why)) => Outcome::Skipped(why.clone()),
                    None => Outcome::Failed(format!("{e:#}")),
                },
            }
        };
        stages.push(Stage {
            name,
            what,
            outcome,
            took: t.elapsed(),
        });
    };

    stage(
        "tidy",
        "the repository's own rules (xtask/src/tidy.rs)".into(),
        &mut || tidy::check(&root),
    );
    stage("tools", "install what is missing".into(), &mut || {
        tools::ensure_all(tools::Purpose::Test)
    });
    stage("fmt", "cargo fmt --all --check".into(), &mut || {
        cargo(&["fmt", "--all", "--", "--check"], &[])
    });
    stage(
        "clippy",
        "cargo clippy --workspace --all-targets -D warnings".into(),
        &mut || {
            cargo(
                &[
                    "clippy",
                    "--workspace",
                    "--all-targets",
                    "--",
                    "-D",
                    "warnings",
                ],
                &[],
            )
        },
    );
    stage(
        "clippy-wasm",
        format!(
            "cargo clippy --target wasm32-unknown-unknown ({})",
            WASM_CRATES.join(", ")
        ),
        &mut || {
            let mut a: Vec<&str> = vec![
                "clippy",
                "--target",
                "wasm32-unknown-unknown",
                "--all-targets",
            ];
            for c in WASM_CRATES {
                a.extend(["-p", c]);
            }
            a.extend(["--", "-D", "warnings"]);
            cargo(&a, &[])
        },
    );
    stage(
        "native",
        "cargo test --workspace (native)".into(),
        &mut || cargo(&["test", "--workspace"], &[]),
    );
    stage(
        "browser",
        "wasm-pack test --headless --chrome".into(),
        &mut || {
            tools::browser().map_err(Missing)?;
            for (krate, test) in BROWSER_TESTS {
                let dir = root.join(krate);
                let status = Command::new("wasm-pack")
                    .args(["test", "--headless", "--chrome"])
                    .arg(&dir)
                    .args(["--test", test])
                    .env("CHROMEDRIVER", tools::CHROMEDRIVER)
                    // Headless Chromium as root: no sandbox, no calls home (see the file).
                    .env(
                        "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
                        root.join("tests/webdriver.json"),
                    )
                    .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
                    .status()?;
                if !status.success() {
                    bail!("wasm-pack test {} failed ({status})", dir.display());
                }
            }
            Ok(())
        },
    );
    stage(
        "site",
        "trunk build --release into dist/".into(),
        &mut || {
            let status = Command::new("trunk")
                .args(["build", "--release"])
                // Offline: a missing or mismatched wasm-bindgen is an error, not a download.
                .env("TRUNK_OFFLINE", "true")
                .current_dir(&root)
                .status()?;
            if !status.success() {
                bail!("trunk build --release failed ({status})");
            }
            Ok(())
        },
    );
    stage(
        "bundle",
        format!(
            "the page's gzipped wasm + JS in dist/ at most {} bytes, the texts loaded on demand at most {}",
            layerbox_acceptance::bundle::CEILING,
            layerbox_acceptance::bundle::TEXTS_CEILING
        ),
        &mut || {
            use layerbox_acceptance::bundle;
            let dist = root.join("dist");
            let bytes = bundle::wasm_and_js(&dist)?;
            let ceiling = bundle::CEILING;
            let worker = bundle::worker_wasm_and_js(&dist)?;
            let texts = bundle::deferred_bytes(&dist)?;
            let texts_ceiling = bundle::TEXTS_CEILING;
            println!(
                "xtask: the page's gzipped wasm + JS: {bytes} bytes (ceiling {ceiling}); the \
                 worker's, loaded in parallel: {worker} bytes; texts loaded on demand: {texts} \
                 bytes (ceiling {texts_ceiling})"
            );
            let page_wasm = bundle::bundle_file(&dist, "_bg.wasm")?;
            let running = bundle::running_code(&page_wasm)?;
            if !running.is_empty() {
                bail!(
                    "the page's wasm module holds code that runs lines (of {}): only the worker's \
                     may; find what on the page reaches it (tests/src/bundle.rs: \
                     RUNNING_CODE_MARKERS)",
                    running.join(", ")
                );
            }
            let worker_wasm = bundle::module_file(&dist, bundle::WORKER, "_bg.wasm")?;
            let missing: Vec<&str> = bundle::RUNNING_CODE_MARKERS
                .iter()
                .map(|(krate, _)| *krate)
                .filter(|k| !bundle::running_code(&worker_wasm).is_ok_and(|r| r.contains(k)))
                .collect();
            if !missing.is_empty() {
                bail!(
                    "the worker's wasm module holds no text of {} (tests/src/bundle.rs: \
                     RUNNING_CODE_MARKERS): a marker that no module holds checks nothing",
                    missing.join(", ")
                );
            }
            if bytes > ceiling {
                bail!(
                    "the page's gzipped wasm + JS is {bytes} bytes, over the ceiling of {ceiling} \
                     (tests/src/bundle.rs): make it smaller, or raise the ceiling with a reason"
                );
            }
            if texts > texts_ceiling {
                bail!(
                    "the texts loaded on demand are {texts} bytes gzipped, over the ceiling of \
                     {texts_ceiling} (tests/src/bundle.rs): make them smaller, or raise the \
                     ceiling with a reason"
                );
            }
            Ok(())
        },
    );
    stage(
        "e2e",
        "the built site in headless Chromium (screenshots in target/e2e)".into(),
        &mut || {
            tools::browser().map_err(Missing)?;
            tools::cjk_fonts().map_err(Missing)?;
            cargo(
                &[
                    "run",
                    "--quiet",
                    "-p",
                    "layerbox-acceptance",
                    "--bin",
                    "e2e",
                    "--",
                    "dist",
                    "target/e2e",
                ],
                &[
                    ("CHROMEDRIVER", tools::CHROMEDRIVER),
                    ("CHROMIUM", tools::CHROMIUM),
                ],
            )
        },
    );

    println!("\nlayerbox test summary");
    let mut failed = 0;
    for s in &stages {
        let (mark, detail) = match &s.outcome {
            Outcome::Passed => ("ok  ", String::new()),
            Outcome::Failed(e) => {
                failed += 1;
                ("FAIL", format!("  -- {e}"))
            }
            Outcome::Skipped(why) => {
                failed += 1;
                ("SKIP", format!("  -- {why}"))
            }
        };
        println!(
            "  {mark}  {:<12} {:>7.1}s  {}{detail}",
            s.name,
            s.took.as_secs_f64(),
            s.what
        );
    }
    println!("  total {:.1} min", started.elapsed().as_secs_f64() / 60.0);
    if failed > 0 {
        println!("  {failed} stage(s) did not pass");
        Ok(ExitCode::FAILURE)
    } else {
        println!("  every stage passed");
        Ok(ExitCode::SUCCESS)
    }
}

fn cargo(args: &[&str], env: &[(&str, &str)]) -> Result<()> {
    let mut cmd = Command::new("cargo");
    cmd.args(args).current_dir(crate::root());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let status = cmd.status()?;
    if !status.success() {
        bail!("cargo {} failed ({status})", args.join(" "));
    }
    Ok(())
}
