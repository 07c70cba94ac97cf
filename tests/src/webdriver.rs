//! A small W3C WebDriver client that drives Debian's headless Chromium through chromedriver.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use base64::Engine as _;
use serde_json::{json, Value};

use crate::http;

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Flags that keep headless Chromium as root from needing a sandbox or dialling out.
pub const CHROMIUM_ARGS: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
];

/// A browser session; the browser and chromedriver end when it is dropped.
pub struct Browser {
    port: u16,
    session: String,
    driver: Child,
}

/// A found element.
#[derive(Clone, Debug)]
pub struct Element(String);

impl Browser {
    /// Starts chromedriver and a headless Chromium with a fresh profile.
    pub fn start(chromedriver: &str, chromium: &str, width: u32, height: u32) -> Result<Browser> {
        let port = TcpListener::bind(("127.0.0.1", 0))?.local_addr()?.port();
        let mut driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {chromedriver}"))?;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(r) = http::request(port, "GET", "/status", None) {
                let v: Value = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
                if v["value"]["ready"] == json!(true) {
                    break;
                }
            }
            if Instant::now() > deadline {
                // Not yet owned by a `Browser`, so nothing else would end it.
                let _ = driver.kill();
                let _ = driver.wait();
                bail!("chromedriver did not become ready on port {port}");
            }
            sleep(Duration::from_millis(100));
        }
        let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|s| s.to_string()).collect();
        args.push(format!("--window-size={width},{height}"));
        let caps = json!({
            "capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {"binary": chromium, "args": args}
            }}
        });
        let mut browser = Browser {
            port,
            session: String::new(),
            driver,
        };
        let v = browser.call("POST", "/session", Some(caps))?;
        browser.session = v["sessionId"]
            .as_str()
            .ok_or_else(|| anyhow!("no session id in {v}"))?
            .to_string();
        Ok(browser)
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        let text = body.map(|b| b.to_string());
        let r = http::request(self.port, method, path, text.as_deref())?;
        let v: Value = serde_json::from_slice(&r.body)
            .with_context(|| format!("chromedriver answered {method} {path} with non-JSON"))?;
        if r.status != 200 {
            bail!(
                "{method} {path}: {} {}",
                v["value"]["error"],
                v["value"]["message"]
            );
        }
        Ok(v["value"].clone())
    }

    fn session_call(&self, method: &str, rest: &str, body: Option<Value>) -> Result<Value> {
        self.call(method, &format!("/session/{}{rest}", self.session), body)
    }

    pub fn goto(&self, url: &str) -> Result<()> {
        self.session_call("POST", "/url", Some(json!({ "url": url })))
            .map(|_| ())
    }

    pub fn set_window_size(&self, width: u32, height: u32) -> Result<()> {
        self.session_call(
            "POST",
            "/window/rect",
            Some(json!({"width": width, "height": height})),
        )
        .map(|_| ())
    }

    /// Runs a script (a function body; `arguments` holds `args`) and returns its value.
    pub fn eval(&self, script: &str, args: Value) -> Result<Value> {
        self.session_call(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
    }

    /// Sends a Chrome DevTools protocol command (`Profiler.start`, `Performance.getMetrics`,
    /// ...) to the page through chromedriver, and returns its result.
    pub fn cdp(&self, cmd: &str, params: Value) -> Result<Value> {
        self.session_call(
            "POST",
            "/goog/cdp/execute",
            Some(json!({"cmd": cmd, "params": params})),
        )
    }

    /// Runs an asynchronous script: it ends by calling its last argument with the result.
    pub fn eval_async(&self, script: &str, args: Value) -> Result<Value> {
        self.session_call(
            "POST",
            "/execute/async",
            Some(json!({"script": script, "args": args})),
        )
    }

    /// Sets how long asynchronous scripts may run.
    pub fn set_script_timeout(&self, timeout: Duration) -> Result<()> {
        self.session_call(
            "POST",
            "/timeouts",
            Some(json!({"script": timeout.as_millis() as u64})),
        )
        .map(|_| ())
    }

    /// Waits until `css` matches an element, up to `timeout`.
    pub fn wait_for(&self, css: &str, timeout: Duration) -> Result<Element> {
        let deadline = Instant::now() + timeout;
        loop {
            let found = self.session_call(
                "POST",
                "/element",
                Some(json!({"using": "css selector", "value": css})),
            );
            match found {
                Ok(v) => {
                    if let Some(id) = v[ELEMENT_KEY].as_str() {
                        return Ok(Element(id.to_string()));
                    }
                }
                Err(e) if Instant::now() > deadline => {
                    return Err(e.context(format!("waiting {timeout:?} for `{css}`")));
                }
                Err(_) => {}
            }
            sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the element's visible text equals `want`.
    pub fn wait_for_text(&self, css: &str, want: &str, timeout: Duration) -> Result<()> {
        let deadline = Instant::now() + timeout;
        let mut last = String::new();
        while Instant::now() < deadline {
            if let Ok(el) = self.wait_for(css, Duration::from_millis(200)) {
                last = self.text(&el).unwrap_or_default();
                if last == want {
                    return Ok(());
                }
            }
            sleep(Duration::from_millis(50));
        }
        bail!("`{css}` shows {last:?}, expected {want:?}")
    }

    /// Waits until the element's visible text contains `want`; returns the text.
    pub fn wait_for_contains(&self, css: &str, want: &str, timeout: Duration) -> Result<String> {
        let deadline = Instant::now() + timeout;
        let mut last = String::new();
        while Instant::now() < deadline {
            if let Ok(el) = self.wait_for(css, Duration::from_millis(200)) {
                last = self.text(&el).unwrap_or_default();
                if last.contains(want) {
                    return Ok(last);
                }
            }
            sleep(Duration::from_millis(50));
        }
        bail!("`{css}` shows {last:?}, which lacks {want:?}")
    }

    /// Makes later calls act inside the iframe `frame`.
    pub fn switch_to_frame(&self, frame: &Element) -> Result<()> {
        self.session_call(
            "POST",
            "/frame",
            Some(json!({"id": {ELEMENT_KEY: frame.0}})),
        )
        .map(|_| ())
    }

    /// Back to the top-level page.
    pub fn switch_to_top(&self) -> Result<()> {
        self.session_call("POST", "/frame", Some(json!({"id": null})))
            .map(|_| ())
    }

    pub fn text(&self, el: &Element) -> Result<String> {
        let v = self.session_call("GET", &format!("/element/{}/text", el.0), None)?;
        Ok(v.as_str().unwrap_or_default().to_string())
    }

    pub fn click(&self, el: &Element) -> Result<()> {
        self.session_call("POST", &format!("/element/{}/click", el.0), Some(json!({})))
            .map(|_| ())
    }

    /// Types text into an element (WebDriver key codes such as `\u{E007}` for Enter allowed).
    pub fn send_keys(&self, el: &Element, text: &str) -> Result<()> {
        self.session_call(
            "POST",
            &format!("/element/{}/value", el.0),
            Some(json!({"text": text})),
        )
        .map(|_| ())
    }

    /// The resident memory, in kB, of this browser's renderer processes (pages, frames and
    /// their workers): the processes below this session's chromedriver whose command line says
    /// `--type=renderer`, read from `/proc` (Linux only).
    pub fn renderer_rss_kb(&self) -> Result<u64> {
        let mut parent = std::collections::HashMap::new();
        let mut renderers = Vec::new();
        for entry in std::fs::read_dir("/proc")?.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|s| s.parse::<u32>().ok())
            else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                continue;
            };
            // `pid (comm) state ppid ...`: the command name may hold spaces, so read after `)`.
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|p| p.parse::<u32>().ok());
            if let Some(ppid) = ppid {
                parent.insert(pid, ppid);
            }
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            if String::from_utf8_lossy(&cmdline).contains("--type=renderer") {
                renderers.push(pid);
            }
        }
        let driver = self.driver.id();
        let below_driver = |mut pid: u32| {
            for _ in 0..64 {
                match parent.get(&pid) {
                    Some(&p) if p == driver => return true,
                    Some(&p) if p > 1 => pid = p,
                    _ => return false,
                }
            }
            false
        };
        let mut total = 0;
        for pid in renderers.into_iter().filter(|&p| below_driver(p)) {
            let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
            total += status
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0);
        }
        Ok(total)
    }

    /// Saves a PNG screenshot of the viewport.
    pub fn screenshot(&self, file: &Path) -> Result<()> {
        let v = self.session_call("GET", "/screenshot", None)?;
        let png = base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap_or_default())
            .context("decoding the screenshot")?;
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(file, png).with_context(|| format!("writing {}", file.display()))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.session_call("DELETE", "", None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
