//! Loads the texts a learner may never need (`layerbox-texts`: Docker's help, BusyBox's usage
//! texts) from the site after the terminal is usable, in the page and in its Web Worker, so
//! they are not on the page's critical path.
//!
//! Trunk emits each text beside the bundle under a hashed name, and `index.html` names it in a
//! `<script type="text/plain" data-layerbox-text=KEY src=...>`, which no browser runs or
//! fetches; the page reads those addresses when its module starts ([`prepare`]) and hands them
//! to its worker in the worker's address ([`pass_to_worker`]; the worker's [`prepare`] reads
//! them back, keeping only addresses of its own site). Once the terminal is usable ([`start`];
//! in the worker, when it starts serving), each instance loads every
//! text in the background, trying again after 1, 2, 4 and 8 seconds if the site does not
//! answer; the browser's HTTP cache keeps them for offline use (hashed names never go stale).
//! A line that needs a text before it arrived waits for it: `layerbox-texts` calls
//! [`fetch_now`], a synchronous load of the same file (in the worker, where lines run first,
//! that blocks nothing the learner sees; on the page only a line the worker already ran, or a
//! saved session replayed at start, can need it). Only when the site cannot give it at all
//! does the line say so, in layerbox's words.

use std::cell::{Cell, RefCell};

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The worker address parameter that carries a text's address: `text-KEY=URL`.
const PARAM: &str = "text-";
/// Background tries of one text before it is left to the line that needs it.
const TRIES: u32 = 5;

thread_local! {
    /// Each text's address, by key, in this instance (page or worker).
    static URLS: RefCell<Vec<(String, String)>> = const { RefCell::new(Vec::new()) };
    /// Whether the background loads were started.
    static STARTED: Cell<bool> = const { Cell::new(false) };
}

/// Reads where the texts are (on the page from `index.html`, in the worker from its own
/// address) and lets a line that needs one load it at once. No request yet: called when the
/// module starts, before a saved session is replayed.
pub fn prepare() {
    if URLS.with_borrow(|known| !known.is_empty()) {
        return;
    }
    let urls = match web_sys::window() {
        Some(window) => page_urls(&window),
        None => worker_urls(),
    };
    URLS.set(urls);
    layerbox_texts::set_fetch(fetch_now);
}

/// Starts loading every text not loaded yet in the background. Called once the terminal is
/// usable (in the worker, when it starts serving).
pub fn start() {
    if STARTED.replace(true) {
        return;
    }
    prepare();
    for (key, url) in URLS.with_borrow(Clone::clone) {
        load(key, url, 0);
    }
}

/// Adds the texts' addresses to the worker's address (`runner.rs`), so the worker loads the
/// same files the page does.
pub fn pass_to_worker(params: &web_sys::UrlSearchParams) {
    let urls = match web_sys::window() {
        Some(window) => page_urls(&window),
        None => Vec::new(),
    };
    for (key, url) in urls {
        params.append(&format!("{PARAM}{key}"), &url);
    }
}

/// The texts `index.html` names: `script[data-layerbox-text]` elements and their addresses,
/// made absolute against the page.
fn page_urls(window: &web_sys::Window) -> Vec<(String, String)> {
    let Some(document) = window.document() else {
        return Vec::new();
    };
    let base = document.base_uri().ok().flatten().unwrap_or_default();
    let Ok(nodes) = document.query_selector_all("script[data-layerbox-text]") else {
        return Vec::new();
    };
    let mut urls = Vec::new();
    for i in 0..nodes.length() {
        let Some(element) = nodes
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let key = element.get_attribute("data-layerbox-text");
        let src = element.get_attribute("src");
        if let (Some(key), Some(src)) = (key, src) {
            if let Some(url) = same_site(&src, &base, window.location().origin().ok()) {
                urls.push((key, url));
            }
        }
    }
    urls
}

/// The texts the page named in the worker's address.
fn worker_urls() -> Vec<(String, String)> {
    let scope: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
    let location = scope.location();
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&location.search()) else {
        return Vec::new();
    };
    let mut urls = Vec::new();
    for key in layerbox_texts::KEYS {
        if let Some(src) = params.get(&format!("{PARAM}{key}")) {
            if let Some(url) = same_site(&src, &location.href(), Some(location.origin())) {
                urls.push((key.to_string(), url));
            }
        }
    }
    urls
}

/// `src` made absolute against `base`, if it is an address of this site (`origin`).
pub(crate) fn same_site(src: &str, base: &str, origin: Option<String>) -> Option<String> {
    let url = web_sys::Url::new_with_base(src, base).ok()?;
    (Some(url.origin()) == origin).then(|| url.href())
}

fn url_of(key: &str) -> Option<String> {
    URLS.with_borrow(|urls| {
        urls.iter()
            .find(|(k, _)| k == key)
            .map(|(_, url)| url.clone())
    })
}

/// A text's request: GET, read as UTF-8 text whatever type the server gives it.
fn request(url: &str, background: bool) -> Option<web_sys::XmlHttpRequest> {
    let xhr = web_sys::XmlHttpRequest::new().ok()?;
    xhr.open_with_async("GET", url, background).ok()?;
    xhr.override_mime_type("text/plain; charset=utf-8").ok()?;
    Some(xhr)
}

/// The answer's text, if the site gave the file.
fn answer(xhr: &web_sys::XmlHttpRequest) -> Option<String> {
    match xhr.status() {
        Ok(200) => xhr.response_text().ok().flatten(),
        _ => None,
    }
}

/// Loads the text `key` in the background (try `tries`), keeping it when it arrives.
fn load(key: String, url: String, tries: u32) {
    if layerbox_texts::loaded(&key).is_some() {
        return;
    }
    let Some(xhr) = request(&url, true) else {
        return;
    };
    let done = xhr.clone();
    let onloadend = Closure::once_into_js(move || match answer(&done) {
        Some(text) => {
            layerbox_texts::provide(&key, text);
        }
        None if tries + 1 < TRIES => {
            let again = Closure::once_into_js(move || load(key, url, tries + 1));
            later(again.unchecked_ref(), 1000 << tries);
        }
        // Left to the line that needs it (`fetch_now` tries again then).
        None => {}
    });
    xhr.set_onloadend(Some(onloadend.unchecked_ref()));
    let _ = xhr.send();
}

/// Calls `f` after `ms` milliseconds, on the page or in the worker.
fn later(f: &js_sys::Function, ms: i32) {
    let global = js_sys::global();
    if let Ok(set_timeout) = js_sys::Reflect::get(&global, &JsValue::from_str("setTimeout")) {
        if let Ok(set_timeout) = set_timeout.dyn_into::<js_sys::Function>() {
            let _ = set_timeout.call2(&global, f, &JsValue::from(ms));
        }
    }
}

/// The text `key` loaded now, for a line that needs it before the background load ended: a
/// synchronous request (the HTTP cache answers it if the background load got that far).
fn fetch_now(key: &str) -> Option<String> {
    let xhr = request(&url_of(key)?, false)?;
    xhr.send().ok()?;
    answer(&xhr)
}
