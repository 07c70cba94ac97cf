//! Where a session is kept between visits: the browser's local storage (after every command), a
//! share link (`#s=...` in the address), and exported files.

use gloo_storage::{LocalStorage, Storage};
use layerbox_session::Session;
use wasm_bindgen::JsCast;

use crate::timeline::{LoadError, SessionFile, Timeline};

/// The local-storage key of the playground's session.
pub const PLAYGROUND_KEY: &str = "layerbox.session";

/// The share payload in the address, if any.
fn link_payload() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    hash.strip_prefix("#s=").map(str::to_string)
}

/// The session to start with: a share link wins, then the saved session, else a fresh one.
/// A link that cannot be read is reported and the saved session is used instead.
pub fn initial(key: &str, start: impl Fn() -> Session) -> (Timeline, Option<LoadError>) {
    let mut problem = None;
    if let Some(payload) = link_payload() {
        match SessionFile::from_link(&payload) {
            Ok(file) => return (Timeline::replay(start(), &file), None),
            Err(e) => problem = Some(e),
        }
    }
    let saved = LocalStorage::raw()
        .get_item(key)
        .ok()
        .flatten()
        .and_then(|json| SessionFile::from_json(&json).ok());
    match saved {
        Some(file) => (Timeline::replay(start(), &file), problem),
        None => (Timeline::from_session(start()), problem),
    }
}

/// Saves the session; storage being full or disabled is not an error worth a dialog.
pub fn save(key: &str, file: &SessionFile) {
    if let Ok(json) = serde_json::to_string(file) {
        let _ = LocalStorage::raw().set_item(key, &json);
    }
}

/// Forgets the saved session and any share link in the address.
pub fn forget(key: &str) {
    LocalStorage::delete(key);
    if let Some(w) = web_sys::window() {
        if link_payload().is_some() {
            let path = w.location().pathname().unwrap_or_default()
                + &w.location().search().unwrap_or_default();
            let _ = w.history().and_then(|h| {
                h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path))
            });
        }
    }
}

/// The address of this page with `file` as its share link, written to the address bar too.
pub fn share_url(file: &SessionFile) -> Option<String> {
    let payload = file.to_link()?;
    let w = web_sys::window()?;
    let loc = w.location();
    let base = format!(
        "{}{}{}",
        loc.origin().ok()?,
        loc.pathname().ok()?,
        loc.search().ok()?
    );
    let url = format!("{base}#s={payload}");
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
    // Copying needs a secure context and permission; the link is shown either way.
    let _ = w.navigator().clipboard().write_text(&url);
    Some(url)
}

/// Offers `text` as a download named `name`.
pub fn download(name: &str, text: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = document
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
