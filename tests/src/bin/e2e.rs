//! End-to-end test of the built site: serve `dist/` under a sub-path, drive it in headless
//! Chromium, assert what the page shows, and save screenshots.
//!
//! Usage: e2e DIST_DIR OUT_DIR (chromedriver and chromium from $CHROMEDRIVER and $CHROMIUM).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, ensure, Context, Result};
use layerbox_acceptance::static_server::StaticServer;
use layerbox_acceptance::webdriver::Browser;
use serde_json::json;

const WAIT: Duration = Duration::from_secs(20);

fn main() -> ExitCode {
    match run() {
        Ok(()) => {
            println!("e2e: every check passed");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("e2e: FAILED: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(dist), Some(out)) = (args.next(), args.next()) else {
        bail!("usage: e2e DIST_DIR OUT_DIR");
    };
    let (dist, out) = (PathBuf::from(dist), PathBuf::from(out));
    ensure!(
        dist.join("index.html").is_file(),
        "{} has no index.html: build the site first",
        dist.display()
    );
    let chromedriver =
        std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());

    // A sub-path proves the site's asset URLs are relative.
    let server = StaticServer::start(&dist, "/some/sub/path/")?;
    let browser = Browser::start(&chromedriver, &chromium, 1280, 900)?;

    check("the playground renders in English under a sub-path", || {
        browser.goto(&server.url("?lang=en"))?;
        browser.wait_for_text(
            "[data-testid=tagline]",
            "Docker's storage model, in your browser",
            WAIT,
        )?;
        let kinds = browser.eval(
            "return document.querySelectorAll('.legend li').length",
            json!([]),
        )?;
        ensure!(
            kinds == json!(7),
            "the legend shows {kinds} kinds of storage, expected 7"
        );
        let lang = browser.eval("return document.documentElement.lang", json!([]))?;
        ensure!(lang == json!("en"), "html lang is {lang}");
        screenshot(&browser, &out, "playground-en.png")
    })?;

    check(
        "no request left 127.0.0.1 and every asset was found",
        || {
            let origin = format!("http://127.0.0.1:{}", server.port);
            let urls = browser.eval(
            "return performance.getEntriesByType('resource').map(e => e.name).concat([location.href])",
            json!([]),
        )?;
            let urls: Vec<String> = urls
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|u| u.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            ensure!(
                urls.len() >= 3,
                "expected the page, its script and its wasm, saw {urls:?}"
            );
            for u in &urls {
                ensure!(
                    u.starts_with(&origin),
                    "the page requested {u}, outside {origin}"
                );
            }
            let missing: Vec<_> = server
                .log()
                .into_iter()
                .filter(|l| l.status != 200)
                .collect();
            ensure!(missing.is_empty(), "requests that failed: {missing:?}");
            let wasm = server.log().iter().any(|l| l.path.ends_with(".wasm"));
            ensure!(wasm, "the WebAssembly module was never fetched");
            Ok(())
        },
    )?;

    check("the language switch turns the page Korean", || {
        let switch = browser.wait_for("[data-testid=lang-switch]", WAIT)?;
        browser.click(&switch)?;
        browser.wait_for_text(
            "[data-testid=tagline]",
            "브라우저에서 살펴보는 도커 스토리지",
            WAIT,
        )?;
        let lang = browser.eval("return document.documentElement.lang", json!([]))?;
        ensure!(lang == json!("ko"), "html lang is {lang} after switching");
        screenshot(&browser, &out, "playground-ko.png")
    })?;

    check("?lang=ko on a 375 px wide screen", || {
        browser.set_window_size(375, 812)?;
        browser.goto(&server.url("?lang=ko"))?;
        browser.wait_for_text(
            "[data-testid=tagline]",
            "브라우저에서 살펴보는 도커 스토리지",
            WAIT,
        )?;
        let overflow = browser.eval(
            "return document.documentElement.scrollWidth > document.documentElement.clientWidth",
            json!([]),
        )?;
        ensure!(
            overflow == json!(false),
            "the page scrolls sideways at 375 px"
        );
        screenshot(&browser, &out, "playground-ko-375.png")
    })?;
    Ok(())
}

fn check(name: &str, f: impl FnOnce() -> Result<()>) -> Result<()> {
    f().with_context(|| format!("check '{name}'"))?;
    println!("e2e: ok  {name}");
    Ok(())
}

fn screenshot(browser: &Browser, out: &Path, name: &str) -> Result<()> {
    let file = out.join(name);
    browser.screenshot(&file)?;
    println!("e2e: saved {}", file.display());
    Ok(())
}
