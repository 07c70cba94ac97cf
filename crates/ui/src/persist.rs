//! Where a session is kept between visits: the browser's local storage (after every command), a
//! share link (`#s=...` in the address), and exported files.
//!
//! A kept session is read here as its file; the page's runner replays it (in the worker) and
//! the page builds its timeline from the steps the worker sends back.

use gloo_storage::{LocalStorage, Storage};
use wasm_bindgen::JsCast;

use crate::timeline::{LoadError, SessionFile};

/// The local-storage key of the playground's session.
pub const PLAYGROUND_KEY: &str = "layerbox.session";

/// The share payload in the address, if any.
fn link_payload() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    hash.strip_prefix("#s=").map(str::to_string)
}

/// The address's query parameter the crash notice adds to reload without the last step.
pub const UNDO_LAST: &str = "undo-last";

/// The address's query parameter the crash notice adds to reload with only the first `N` steps
/// (a saved session whose replay crashed at step `N + 1`).
pub const KEEP_STEPS: &str = "keep-steps";

/// Removes the share link and `?undo-last` from the address (the page keeps what they said),
/// so a reload never opens them again: a link whose line crashed the page cannot crash it in a
/// loop.
fn consume_address() {
    let Some(w) = web_sys::window() else {
        return;
    };
    let loc = w.location();
    let search = loc.search().unwrap_or_default();
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok();
    let undo_last = params
        .as_ref()
        .is_some_and(|p| p.has(UNDO_LAST) || p.has(KEEP_STEPS));
    if link_payload().is_none() && !undo_last {
        return;
    }
    let mut path = loc.pathname().unwrap_or_default();
    if let Some(p) = params {
        p.delete(UNDO_LAST);
        p.delete(KEEP_STEPS);
        let rest = String::from(p.to_string());
        if !rest.is_empty() {
            path = format!("{path}?{rest}");
        }
    }
    let _ = w
        .history()
        .and_then(|h| h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path)));
}

/// Sets `name=value` in the address's query without reloading or adding a history entry (the
/// page's language, so a reload or a copied address keeps it).
pub fn set_address_param(name: &str, value: &str) {
    let Some(w) = web_sys::window() else {
        return;
    };
    let loc = w.location();
    let search = loc.search().unwrap_or_default();
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else {
        return;
    };
    if params.get(name).as_deref() == Some(value) {
        return;
    }
    params.set(name, value);
    let path = format!(
        "{}?{}{}",
        loc.pathname().unwrap_or_default(),
        String::from(params.to_string()),
        loc.hash().unwrap_or_default()
    );
    let _ = w
        .history()
        .and_then(|h| h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path)));
}

/// How the page's session was opened, which says whether it may be saved.
#[derive(Clone, Debug, PartialEq)]
pub enum Opening {
    /// The saved session (or a fresh one when none was saved): saved after every change.
    Saved,
    /// A share link, opened as a visit: nothing is saved until the learner keeps it.
    Visit,
    /// The saved session could not be loaded: its text is kept where it was, and nothing is
    /// saved over it until the learner downloads or discards it.
    LoadFailed { text: String, why: LoadError },
}

/// What the crash notice's reload asked to leave out of the saved session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Drop {
    Nothing,
    /// The step at the cursor (a step that crashed the page).
    LastStep,
    /// Every step after the first `N` (a replay that crashed at step `N + 1`).
    After(usize),
}

/// The session to start with, as a file for the runner to replay (`None`: a fresh one): a share
/// link opens as a visit, else the saved session. A link that cannot be read is reported and
/// the saved session is used instead.
pub fn initial(key: &str) -> (Option<SessionFile>, Opening, Option<LoadError>) {
    let link = link_payload();
    let params = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .and_then(|s| web_sys::UrlSearchParams::new_with_str(&s).ok());
    let keep = params
        .as_ref()
        .and_then(|p| p.get(KEEP_STEPS))
        .and_then(|n| n.parse().ok());
    let drop = match keep {
        Some(n) => Drop::After(n),
        None if params.is_some_and(|p| p.has(UNDO_LAST)) => Drop::LastStep,
        None => Drop::Nothing,
    };
    consume_address();
    let mut problem = None;
    if let Some(payload) = link {
        match SessionFile::from_link(&payload) {
            Ok(file) => return (Some(file), Opening::Visit, None),
            Err(e) => problem = Some(e),
        }
    }
    let (file, opening) = load(key, drop);
    (file, opening, problem)
}

/// The saved session (`None`: none is saved, or it failed to load, and why).
pub fn load_saved(key: &str) -> (Option<SessionFile>, Opening) {
    load(key, Drop::Nothing)
}

fn load(key: &str, drop: Drop) -> (Option<SessionFile>, Opening) {
    let Some(text) = LocalStorage::raw().get_item(key).ok().flatten() else {
        return (None, Opening::Saved);
    };
    match SessionFile::from_json(&text) {
        Ok(mut file) => {
            let keep = match drop {
                Drop::Nothing => file.actions.len(),
                // The crash notice's reload: the step at the cursor is dropped.
                Drop::LastStep => file.cursor.saturating_sub(1),
                Drop::After(n) => n,
            };
            if keep < file.actions.len() {
                file.actions.truncate(keep);
                file.cursor = file.actions.len();
            }
            (Some(file), Opening::Saved)
        }
        Err(why) => (None, Opening::LoadFailed { text, why }),
    }
}

/// The saved session's text, if any (kept aside when a visit is kept).
pub fn saved_text(key: &str) -> Option<String> {
    LocalStorage::raw().get_item(key).ok().flatten()
}

/// Why a session was not saved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveError {
    /// The browser's storage is full or blocked.
    Storage,
    /// Larger than a session file may be (the page refuses actions before this).
    TooLarge,
}

/// Saves the session under `key`, in the form and within the limits that loading accepts.
pub fn save(key: &str, file: &SessionFile) -> Result<(), SaveError> {
    save_json(key, &file.to_json(), file.actions.len())
}

/// Saves a session file's JSON of `actions` actions (`Timeline::file_json`), refused as
/// [`save`] refuses it.
pub fn save_json(key: &str, json: &str, actions: usize) -> Result<(), SaveError> {
    if !SessionFile::within_limits(actions, json.len()) {
        return Err(SaveError::TooLarge);
    }
    LocalStorage::raw()
        .set_item(key, json)
        .map_err(|_| SaveError::Storage)
}

/// Runs `job` when the browser is next idle after the coming frame (or within a second of it):
/// an idle period before that frame would delay the frame that shows the step.
pub fn when_idle(job: impl FnOnce() + 'static) {
    let Some(w) = web_sys::window() else {
        return;
    };
    let job = wasm_bindgen::closure::Closure::once_into_js(job);
    let idle = {
        let w = w.clone();
        let job = job.clone();
        move || {
            let options = web_sys::IdleRequestOptions::new();
            options.set_timeout(1000);
            if w.request_idle_callback_with_options(job.unchecked_ref(), &options)
                .is_err()
            {
                let _ = w.set_timeout_with_callback(job.unchecked_ref());
            }
        }
    };
    let frame = wasm_bindgen::closure::Closure::once_into_js(idle.clone());
    if w.request_animation_frame(frame.unchecked_ref()).is_err() {
        idle();
    }
}

/// Stores `text` under `key` as it is.
pub fn save_text(key: &str, text: &str) -> Result<(), SaveError> {
    LocalStorage::raw()
        .set_item(key, text)
        .map_err(|_| SaveError::Storage)
}

/// Forgets the saved session.
pub fn forget(key: &str) {
    LocalStorage::delete(key);
}

/// The address of this page with `file` as its share link.
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
    // Not written to the address bar: a reload there would open the link as a visit, not the
    // session the learner goes on with.
    let url = format!("{base}#s={payload}");
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
