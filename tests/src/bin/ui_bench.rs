//! The playground's budgets, measured in headless Chromium over the built site (`dist/`):
//!
//! * the release bundle (wasm + JS) gzipped: at most 600 kB;
//! * navigation to a usable terminal (the page's `layerbox-ready` performance mark): under 1 s;
//! * Enter to updated views (the keydown until the frame after the timeline grew): p95 under
//!   50 ms on the sample images, and under 200 ms on an image of 10,000 files.
//!
//! Usage: ui_bench DIST_DIR. Prints every number and exits non-zero when a budget is missed.

// Native only: the one-shared-sort rule of clippy.toml is for the wasm bundle.
#![allow(clippy::disallowed_methods)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use layerbox_acceptance::static_server::StaticServer;
use layerbox_acceptance::webdriver::Browser;
use serde_json::json;

const WAIT: Duration = Duration::from_secs(60);

/// Sets the line, presses Enter, and reports the milliseconds from the keydown to the animation
/// frame after the update that added the step (the views are redrawn in that same update).
const TIME_ENTER: &str = r#"
const [line, done] = [arguments[0], arguments[arguments.length - 1]];
const input = document.querySelector('[data-testid=terminal-input]');
const timeline = document.querySelector('[data-testid=timeline]');
const steps = () => timeline.querySelectorAll('li').length;
input.value = line;
input.dispatchEvent(new InputEvent('input', { bubbles: true }));
setTimeout(() => {
  const before = steps();
  let t0 = 0;
  // The views are drawn in the same update as the timeline; the frame after it shows them.
  const seen = new MutationObserver(() => {
    if (steps() > before) {
      seen.disconnect();
      requestAnimationFrame(() => done(performance.now() - t0));
    }
  });
  seen.observe(timeline, { childList: true, subtree: true });
  t0 = performance.now();
  input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
}, 0);
"#;

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("ui_bench: a budget was missed");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("ui_bench: FAILED: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn gzipped(path: &Path) -> Result<usize> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(miniz_oxide::deflate::compress_to_vec(&bytes, 9).len() + 18)
}

fn p95(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let i = ((xs.len() as f64) * 0.95).ceil() as usize;
    xs[i.clamp(1, xs.len()) - 1]
}

fn report(name: &str, value: f64, unit: &str, budget: f64) -> bool {
    let ok = value <= budget;
    println!(
        "ui_bench: {name:<44} {value:>9.1} {unit:<3} (budget {budget} {unit}) {}",
        if ok { "ok" } else { "OVER" }
    );
    ok
}

fn run() -> Result<bool> {
    let dist = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "dist".into()));
    let mut ok = true;

    let wasm = gzipped(&dist.join("layerbox-ui_bg.wasm"))?;
    let js = gzipped(&dist.join("layerbox-ui.js"))?;
    ok &= report(
        "bundle, wasm + JS, gzipped",
        (wasm + js) as f64 / 1000.0,
        "kB",
        600.0,
    );

    let chromedriver =
        std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let server = StaticServer::start(&dist, "/")?;
    let browser = Browser::start(&chromedriver, &chromium, 1400, 1000)?;
    browser.set_script_timeout(WAIT)?;

    // Usable terminal: five fresh loads, the slowest counts.
    let mut loads = Vec::new();
    for _ in 0..5 {
        browser.goto(&server.url("?lang=en"))?;
        browser.eval("localStorage.clear(); return true", json!([]))?;
        browser.goto(&server.url("?lang=en"))?;
        browser.wait_for("[data-testid=terminal-input]", WAIT)?;
        let ms = browser.eval(
            "const m = performance.getEntriesByName('layerbox-ready')[0]; return m ? m.startTime : null",
            json!([]),
        )?;
        loads.push(ms.as_f64().context("the page set no layerbox-ready mark")?);
    }
    let slowest = loads.iter().copied().fold(0.0, f64::max);
    ok &= report(
        "navigation to a usable terminal (slowest of 5)",
        slowest,
        "ms",
        1000.0,
    );

    // Enter to updated views on the sample images: a chapter session, twice over.
    let session = [
        "docker volume create todo-list",
        "docker run -d --name todo1 -v todo-list:/data diamol/ch06-todo-list",
        "docker exec todo1 add-todo 'buy milk'",
        "docker diff todo1",
        "docker run --name t1 alpine sh -c 'echo hi >> /etc/motd; rm /etc/issue; mkdir /new'",
        "docker diff t1",
        "mkdir -p site && echo hello > site/index.html",
        "docker run -d --name web -v $(pwd)/site:/usr/share/nginx/html nginx",
        "docker exec web cat /usr/share/nginx/html/index.html",
        "docker ps -a",
        "docker volume ls",
        "docker rm -f todo1",
        "docker run -d --name todo2 -v todo-list:/data diamol/ch06-todo-list",
        "docker exec todo2 cat /data/todo-list.db",
        "docker run --name tm --tmpfs /cache alpine touch /cache/x",
        "docker commit t1 t1-image",
        "docker inspect --format '{{json .Mounts}}' todo2",
        "docker rm -f web todo2 t1 tm",
        "docker volume prune -f",
        "ls -la site",
    ];
    let mut samples = Vec::new();
    let mut slowest: Vec<(f64, &str)> = Vec::new();
    for tab in ["storage-map", "volume-list"] {
        browser.goto(&server.url("?lang=en"))?;
        browser.eval("localStorage.clear(); return true", json!([]))?;
        browser.goto(&server.url("?lang=en"))?;
        browser.wait_for("[data-testid=terminal-input]", WAIT)?;
        let t = browser.wait_for(&format!("[data-testid=tab-{tab}]"), WAIT)?;
        browser.click(&t)?;
        for line in session {
            let ms = browser.eval_async(TIME_ENTER, json!([line]))?;
            let ms = ms.as_f64().context("no timing")?;
            slowest.push((ms, line));
            samples.push(ms);
        }
    }
    slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (ms, line) in slowest.iter().take(5) {
        println!("ui_bench:   {ms:7.1} ms  {line}");
    }
    let n = samples.len();
    ok &= report(
        &format!("Enter to updated views, sample images, p95 of {n}"),
        p95(samples),
        "ms",
        50.0,
    );

    // The same on an image of 10,000 files: made by a container, committed, then used.
    browser.goto(&server.url("?lang=en"))?;
    browser.eval("localStorage.clear(); return true", json!([]))?;
    browser.goto(&server.url("?lang=en"))?;
    browser.wait_for("[data-testid=terminal-input]", WAIT)?;
    let digits = "0 1 2 3 4 5 6 7 8 9";
    let make = format!(
        "docker run --name big alpine sh -c 'mkdir /big; for a in {digits}; do for b in {digits}; do for c in {digits}; do touch /big/f$a$b${{c}}0 /big/f$a$b${{c}}1 /big/f$a$b${{c}}2 /big/f$a$b${{c}}3 /big/f$a$b${{c}}4 /big/f$a$b${{c}}5 /big/f$a$b${{c}}6 /big/f$a$b${{c}}7 /big/f$a$b${{c}}8 /big/f$a$b${{c}}9; done; done; done'"
    );
    for setup in [
        make.as_str(),
        "docker commit big big-image",
        "docker rm big",
    ] {
        browser.eval_async(TIME_ENTER, json!([setup]))?;
    }
    let files = browser.eval_async(
        TIME_ENTER,
        json!(["docker run --rm big-image sh -c 'ls /big | wc -l'"]),
    )?;
    let _ = files;
    let out = browser.text(&browser.wait_for("[data-testid=terminal-output]", WAIT)?)?;
    if !out.contains("10000") {
        bail!(
            "the 10,000-file image was not made: {}",
            &out[out.len().saturating_sub(400)..]
        );
    }
    let mut big = Vec::new();
    for i in 0..10 {
        for line in [
            format!("docker run --name b{i} big-image touch /big/f000{i}"),
            format!("docker diff b{i}"),
            format!("docker rm b{i}"),
        ] {
            let ms = browser.eval_async(TIME_ENTER, json!([line]))?;
            big.push(ms.as_f64().context("no timing")?);
        }
    }
    let n = big.len();
    ok &= report(
        &format!("Enter to updated views, 10,000 files, p95 of {n}"),
        p95(big),
        "ms",
        200.0,
    );
    Ok(ok)
}
