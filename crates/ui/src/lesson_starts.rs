//! The starts of the lessons whose setup runs lines, made when the site was built
//! (`bin/lesson_starts.rs`, run by Trunk before each build) and fetched from the site when a
//! page opens such a lesson: the page puts the start together as it does a start its worker
//! sent (`worker::session_after`), without starting a worker to run the setup. A widget that
//! is only read then holds no worker at all; one that is used starts it then, and the worker
//! makes the same start itself. When the file cannot be had (a build without it, the site not
//! answering), the worker makes the start, as it does for "go to step".
//!
//! `index.html` names the file in a `<script type="text/plain" data-layerbox-starts src=...>`,
//! which no browser runs or fetches; Trunk names it by its hash.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::worker::StepSent;

/// The file's address, if the page names one of its own site.
fn url() -> Option<String> {
    let window = web_sys::window()?;
    let document = window.document()?;
    let src = document
        .query_selector("script[data-layerbox-starts]")
        .ok()??
        .get_attribute("src")?;
    let base = document.base_uri().ok().flatten()?;
    crate::texts::same_site(&src, &base, window.location().origin().ok())
}

/// Fetches lesson `id`'s start in the background and hands it to `then`: `None` when the
/// file or the lesson in it could not be had.
pub fn fetch(id: String, then: impl FnOnce(Option<StepSent>) + 'static) {
    let Some(xhr) = url().and_then(|url| {
        let xhr = web_sys::XmlHttpRequest::new().ok()?;
        xhr.open_with_async("GET", &url, true).ok()?;
        xhr.override_mime_type("application/json; charset=utf-8")
            .ok()?;
        Some(xhr)
    }) else {
        then(None);
        return;
    };
    let done = xhr.clone();
    let onloadend = Closure::once_into_js(move || {
        let text = match done.status() {
            Ok(200) => done.response_text().ok().flatten(),
            _ => None,
        };
        then(text.and_then(|text| start_of(&text, &id)));
    });
    xhr.set_onloadend(Some(onloadend.unchecked_ref()));
    if xhr.send().is_err() {
        xhr.set_onloadend(None);
    }
}

/// Lesson `id`'s start in the file's text.
pub fn start_of(text: &str, id: &str) -> Option<StepSent> {
    let starts: serde_json::Value = serde_json::from_str(text).ok()?;
    StepSent::from_plain_value(starts.get(id)?)
}
