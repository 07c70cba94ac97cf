//! Where a step's time goes in a long session (a measuring aid beside `ui_bench`'s long-session
//! part): for saved sessions of N steps, each `true` typed is split into the page's time before
//! it posts to the worker, the worker's round trip, and the page's time from the reply to the
//! next frame; the DOM mutations, the saves (`localStorage.setItem`: how many, their bytes and
//! milliseconds, and whether one fell between Enter and the frame), Chromium's metrics (script,
//! style, layout) and a sampling profile of the page's thread over the typed steps are printed
//! beside them, and the reload's moments (usable, posted to the worker, replayed, shown).
//!
//! Usage: long_profile DIST_DIR [N ...] (default: 10 1000). `LONG_PROFILE_SAMPLES` (20) steps
//! are timed after 5 untimed; `LONG_PROFILE_TOP` (30) functions are listed (a site built with
//! `CARGO_PROFILE_RELEASE_STRIP=false` names the wasm's). `LONG_PROFILE_ROWS` prints every
//! step's numbers, `LONG_PROFILE_RELOAD` profiles the reload, `LONG_PROFILE_CLEAR` presses
//! Ctrl-L before the steps (the terminal then shows none of the earlier ones).

// Native only: the one-shared-sort rule of clippy.toml is for the wasm bundle.
#![allow(clippy::disallowed_methods)]

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use layerbox_acceptance::static_server::StaticServer;
use layerbox_acceptance::webdriver::Browser;
use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(60);

/// Before the page's scripts: the worker's messages timed, the DOM's mutations counted.
const SPY: &str = r#"
globalThis.__spy = { posts: [], replies: [], mutations: 0, added: 0, removed: 0, where: {}, saves: [] };
const realSetItem = Storage.prototype.setItem;
Storage.prototype.setItem = function (k, v) {
  const t = performance.now();
  const r = realSetItem.call(this, k, v);
  __spy.saves.push([t, performance.now() - t, String(v).length]);
  return r;
};
const RealWorker = globalThis.Worker;
globalThis.Worker = function (...args) {
  const w = new RealWorker(...args);
  const post = w.postMessage.bind(w);
  w.postMessage = (m, ...rest) => { __spy.posts.push([performance.now(), typeof m === 'string' ? m.length : -1]); return post(m, ...rest); };
  w.addEventListener('message', (e) => __spy.replies.push([performance.now(), typeof e.data === 'string' ? e.data.length : -1]));
  return w;
};
globalThis.Worker.prototype = RealWorker.prototype;
document.addEventListener('DOMContentLoaded', () => {
  new MutationObserver((list) => {
    for (const r of list) { __spy.mutations++; __spy.added += r.addedNodes.length; __spy.removed += r.removedNodes.length;
      if (r.addedNodes.length) { const t = r.target; const k = (t.className || t.nodeName) + '<' + ((t.parentNode && (t.parentNode.className || t.parentNode.nodeName)) || ''); __spy.where[k] = (__spy.where[k] || 0) + r.addedNodes.length; } }
  }).observe(document.documentElement, { attributes: true, childList: true, subtree: true, characterData: true });
});
"#;

/// As ui_bench's TIME_ENTER, and the moments the page posted to its worker and heard back.
const TIME_ENTER: &str = r#"
const [line, done] = [arguments[0], arguments[arguments.length - 1]];
const input = document.querySelector('[data-testid=terminal-input]');
const timeline = document.querySelector('[data-testid=timeline]');
const steps = () => Number(timeline.dataset.steps);
input.value = line;
input.dispatchEvent(new InputEvent('input', { bubbles: true }));
setTimeout(() => {
  const before = steps();
  const [p0, r0] = [__spy.posts.length, __spy.replies.length];
  const [m0, a0, d0] = [__spy.mutations, __spy.added, __spy.removed];
  const s0 = __spy.saves.length;
  __spy.where = {};
  let t0 = 0;
  const seen = new MutationObserver(() => {
    if (steps() > before) {
      seen.disconnect();
      const changed = performance.now();
      requestAnimationFrame(() => {
        const frame = performance.now();
        // The mutations of the step are counted after the frame (the observer runs late).
        setTimeout(() => {
          const post = __spy.posts.slice(p0).map((p) => p[0]).filter((t) => t >= t0);
          const reply = __spy.replies.slice(r0).map((r) => r[0]);
          done({
            total: frame - t0,
            posted: post.length ? post[0] - t0 : null,
            replied: reply.length ? reply[reply.length - 1] - t0 : null,
            changed: changed - t0,
            posts: __spy.posts.length - p0,
            post_bytes: __spy.posts.slice(p0).reduce((s, p) => s + p[1], 0),
            reply_bytes: __spy.replies.slice(r0).reduce((s, r) => s + r[1], 0),
            mutations: __spy.mutations - m0,
            added: __spy.added - a0,
            removed: __spy.removed - d0,
            steps: steps(),
            saves_in_window: __spy.saves.slice(s0).filter((x) => x[0] >= t0 && x[0] <= frame).length,
            saves: __spy.saves.length - s0,
            save_ms: __spy.saves.slice(s0).reduce((a, x) => a + x[1], 0),
            save_bytes: __spy.saves.slice(s0).reduce((a, x) => a + x[2], 0),
            where: Object.entries(__spy.where).sort((a, b) => b[1] - a[1]).slice(0, 6),
          });
        }, 50);
      });
    }
  });
  seen.observe(timeline, { attributes: true, childList: true, subtree: true });
  t0 = performance.now();
  input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
}, 0);
"#;

const TIME_RESTORED: &str = r#"
const [steps, done] = [arguments[0], arguments[arguments.length - 1]];
const check = () => {
  const t = document.querySelector('[data-testid=timeline]');
  if (t && Number(t.dataset.steps) === steps) done(performance.now()); else setTimeout(check, 5);
};
check();
"#;

fn session_file(n: usize) -> String {
    let actions: Vec<_> = (0..n)
        .map(|_| json!({"kind": "line", "line": "true"}))
        .collect();
    json!({"version": 1, "actions": actions, "cursor": n}).to_string()
}

fn pct(xs: &[f64], p: f64) -> f64 {
    let mut xs: Vec<f64> = xs.to_vec();
    xs.sort_by(f64::total_cmp);
    if xs.is_empty() {
        return f64::NAN;
    }
    xs[((xs.len() as f64 * p).ceil() as usize).clamp(1, xs.len()) - 1]
}

fn metrics(browser: &Browser) -> Result<HashMap<String, f64>> {
    let v = browser.cdp("Performance.getMetrics", json!({}))?;
    Ok(v["metrics"]
        .as_array()
        .context("no metrics")?
        .iter()
        .filter_map(|m| Some((m["name"].as_str()?.to_string(), m["value"].as_f64()?)))
        .collect())
}

/// Self and total milliseconds per function of a CPU profile.
fn summarise(profile: &Value, top: usize) {
    let nodes = profile["nodes"].as_array().cloned().unwrap_or_default();
    let mut parent: HashMap<u64, u64> = HashMap::new();
    let mut name: HashMap<u64, String> = HashMap::new();
    for n in &nodes {
        let id = n["id"].as_u64().unwrap_or(0);
        let cf = &n["callFrame"];
        let f = cf["functionName"].as_str().unwrap_or("");
        let url = cf["url"].as_str().unwrap_or("");
        let short = url.rsplit('/').next().unwrap_or("");
        let label = if f.is_empty() {
            format!("(anonymous) {short}:{}", cf["lineNumber"])
        } else {
            format!("{f} {short}")
        };
        name.insert(id, label);
        for c in n["children"].as_array().into_iter().flatten() {
            parent.insert(c.as_u64().unwrap_or(0), id);
        }
    }
    let samples = profile["samples"].as_array().cloned().unwrap_or_default();
    let deltas = profile["timeDeltas"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut own: HashMap<String, f64> = HashMap::new();
    let mut total: HashMap<String, f64> = HashMap::new();
    // A sample's time is the delta to the next sample.
    for (k, s) in samples.iter().enumerate() {
        let dt = deltas.get(k + 1).and_then(Value::as_f64).unwrap_or(0.0) / 1000.0;
        let id = s.as_u64().unwrap_or(0);
        *own.entry(name[&id].clone()).or_default() += dt;
        let mut seen = std::collections::HashSet::new();
        let mut at = Some(id);
        while let Some(i) = at {
            if seen.insert(name[&i].clone()) {
                *total.entry(name[&i].clone()).or_default() += dt;
            }
            at = parent.get(&i).copied();
        }
    }
    let mut own: Vec<_> = own.into_iter().collect();
    own.sort_by(|a, b| b.1.total_cmp(&a.1));
    println!("    self ms (top {top}):");
    for (f, ms) in own.iter().take(top) {
        println!("      {ms:8.1}  {f}");
    }
    let mut total: Vec<_> = total.into_iter().collect();
    total.sort_by(|a, b| b.1.total_cmp(&a.1));
    println!("    total ms (top {top}):");
    for (f, ms) in total.iter().take(top) {
        println!("      {ms:8.1}  {f}");
    }
}

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let dist = PathBuf::from(args.next().unwrap_or_else(|| "dist".into()));
    let mut sizes: Vec<usize> = args.filter_map(|a| a.parse().ok()).collect();
    if sizes.is_empty() {
        sizes = vec![10, 1000];
    }
    let samples: usize = std::env::var("LONG_PROFILE_SAMPLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let top: usize = std::env::var("LONG_PROFILE_TOP")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    let server = StaticServer::start(&dist, "/")?;
    let browser = Browser::start("/usr/bin/chromedriver", "/usr/bin/chromium", 1400, 1000)?;
    browser.set_script_timeout(WAIT)?;
    browser.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": SPY }),
    )?;
    browser.cdp("Performance.enable", json!({}))?;
    for &n in &sizes {
        browser.goto(&server.url("no-such-page"))?;
        browser.eval(
            "localStorage.clear(); localStorage.setItem('layerbox.session', arguments[0]); return true",
            json!([session_file(n)]),
        )?;
        // LONG_PROFILE_RELOAD: the CPU profile of the page's thread from the navigation until
        // the session is shown.
        let profile_reload = std::env::var("LONG_PROFILE_RELOAD").is_ok();
        if profile_reload {
            browser.cdp("Profiler.enable", json!({}))?;
            browser.cdp("Profiler.setSamplingInterval", json!({ "interval": 100 }))?;
            browser.cdp("Profiler.start", json!({}))?;
        }
        browser.goto(&server.url("?lang=en"))?;
        browser.wait_for("[data-testid=terminal-input]", WAIT)?;
        let shown = browser.eval_async(TIME_RESTORED, json!([n]))?;
        if profile_reload {
            let profile = browser.cdp("Profiler.stop", json!({}))?;
            println!("== the reload's profile");
            summarise(&profile["profile"], top);
        }
        // The reload: when the page was usable, posted the session to its worker, heard the
        // replayed steps back, and showed them.
        let reload = browser.eval(
            "const m = performance.getEntriesByName('layerbox-ready')[0]; \
             return { ready: m ? m.startTime : null, posts: __spy.posts, replies: __spy.replies }",
            json!([]),
        )?;
        let big = reload["replies"]
            .as_array()
            .into_iter()
            .flatten()
            .max_by_key(|r| r[1].as_i64().unwrap_or(0))
            .cloned()
            .unwrap_or_default();
        println!(
            "== reload of {n} steps: usable at {:.0} ms, posts at {:?}, the longest reply ({} bytes) at {:.0} ms, shown at {:.0} ms",
            reload["ready"].as_f64().unwrap_or(f64::NAN),
            reload["posts"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| format!("{:.0}", p[0].as_f64().unwrap_or(0.0)))
                .collect::<Vec<_>>(),
            big[1],
            big[0].as_f64().unwrap_or(f64::NAN),
            shown.as_f64().unwrap_or(f64::NAN)
        );
        // LONG_PROFILE_CLEAR: Ctrl-L first, so the terminal shows none of the earlier steps
        // (the timeline still lists them all).
        if std::env::var("LONG_PROFILE_CLEAR").is_ok() {
            browser.eval(
                "document.querySelector('[data-testid=terminal-input]').dispatchEvent(\
                 new KeyboardEvent('keydown', { key: 'l', ctrlKey: true, bubbles: true, cancelable: true })); return true",
                json!([]),
            )?;
        }
        for _ in 0..5 {
            browser.eval_async(TIME_ENTER, json!(["true"]))?;
        }
        let nodes = browser.eval(
            "return document.getElementsByTagName('*').length",
            json!([]),
        )?;
        let m0 = metrics(&browser)?;
        browser.cdp("Profiler.enable", json!({}))?;
        browser.cdp("Profiler.setSamplingInterval", json!({ "interval": 100 }))?;
        browser.cdp("Profiler.start", json!({}))?;
        let mut rows = Vec::new();
        for _ in 0..samples {
            rows.push(browser.eval_async(TIME_ENTER, json!(["true"]))?);
        }
        let profile = browser.cdp("Profiler.stop", json!({}))?;
        let m1 = metrics(&browser)?;
        if std::env::var("LONG_PROFILE_ROWS").is_ok() {
            for r in &rows {
                println!("  row {}", r);
            }
        }
        let col = |k: &str| -> Vec<f64> { rows.iter().filter_map(|r| r[k].as_f64()).collect() };
        let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
        println!(
            "== {n} steps (+5 warm-up), {samples} typed, {} elements; load {}",
            nodes,
            load.trim()
        );
        for k in ["total", "posted", "replied", "changed"] {
            let xs = col(k);
            println!(
                "  {k:8} median {:6.2} ms  p95 {:6.2} ms  max {:6.2}",
                pct(&xs, 0.5),
                pct(&xs, 0.95),
                pct(&xs, 1.0)
            );
        }
        let save_ms = col("save_ms");
        println!(
            "  setItem ms   per step median {:.3} max {:.3}",
            pct(&save_ms, 0.5),
            pct(&save_ms, 1.0)
        );
        let after: Vec<f64> = rows
            .iter()
            .filter_map(|r| Some(r["total"].as_f64()? - r["replied"].as_f64()?))
            .collect();
        println!(
            "  reply→frame median {:6.2} ms  p95 {:6.2} ms",
            pct(&after, 0.5),
            pct(&after, 0.95)
        );
        for k in [
            "posts",
            "post_bytes",
            "reply_bytes",
            "mutations",
            "added",
            "removed",
            "saves",
            "saves_in_window",
            "save_bytes",
        ] {
            let xs = col(k);
            println!(
                "  {k:12} per step median {:.0} max {:.0}",
                pct(&xs, 0.5),
                pct(&xs, 1.0)
            );
        }
        for k in [
            "TaskDuration",
            "ScriptDuration",
            "RecalcStyleDuration",
            "LayoutDuration",
            "RecalcStyleCount",
            "LayoutCount",
            "Nodes",
            "JSHeapUsedSize",
            "JSEventListeners",
        ] {
            let (a, b) = (
                m0.get(k).copied().unwrap_or(0.0),
                m1.get(k).copied().unwrap_or(0.0),
            );
            let per = (b - a) / samples as f64;
            if k.ends_with("Duration") {
                println!("  {k:20} per step {:.2} ms", per * 1000.0);
            } else {
                println!("  {k:20} now {b:.0}, per step {per:+.1}");
            }
        }
        summarise(&profile["profile"], top);
    }
    Ok(())
}
