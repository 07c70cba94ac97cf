//! Texts a learner may never need, kept out of the web bundle's wasm: Docker's help texts and
//! BusyBox's usage texts. The web app loads them after its terminal is usable.
//!
//! Each text stays with the crate that owns it (`docker-cli/src/help.txt`,
//! `tools/src/busybox_usage.txt`), which asks [`get`] for it by its key, giving its own
//! embedded copy natively and `None` in the web bundle. There the text comes from a file Trunk
//! emits beside the bundle (`index.html` names it, hashed, in a
//! `<script type="text/plain" data-layerbox-text=KEY>` that no browser runs): the web app
//! ([`provide`]) loads every text once the terminal is usable, and a line that needs one before
//! it arrived waits for it ([`set_fetch`]: the web app's synchronous load of the same file).
//! A text that cannot be had at all (offline before it was ever loaded) is never guessed: the
//! owner prints [`unavailable`] instead, in layerbox's words, with `NOT_MODELLED`'s status.
//!
//! The store is per thread (the page and its Web Worker are two wasm instances, each with its
//! own copy); a text is kept for the life of the instance.

use std::cell::{Cell, RefCell};

/// Docker 28.2.2's help texts (`docker-cli/src/help.txt`).
pub const DOCKER_HELP: &str = "docker-help";
/// BusyBox 1.36's usage texts (`tools/src/busybox_usage.txt`).
pub const BUSYBOX_USAGE: &str = "busybox-usage";
/// Every text loaded on demand, by key.
pub const KEYS: [&str; 2] = [DOCKER_HELP, BUSYBOX_USAGE];

/// The exit status of a line that needed a text that cannot be had: `EX_UNAVAILABLE`, the
/// status of everything layerbox cannot do (`layerbox_sh`'s `NOT_MODELLED`).
pub const UNAVAILABLE: i32 = 69;

/// How the web app loads a text when a line needs it before the load that follows the start
/// ended: the file's text, or `None` when the site cannot be reached.
pub type Fetch = fn(&str) -> Option<String>;

thread_local! {
    static LOADED: RefCell<[Option<&'static str>; KEYS.len()]> = const { RefCell::new([None; KEYS.len()]) };
    static FETCH: Cell<Option<Fetch>> = const { Cell::new(None) };
    static EMBEDDED: Cell<bool> = const { Cell::new(true) };
}

fn index(key: &str) -> Option<usize> {
    KEYS.iter().position(|k| *k == key)
}

/// The text `key` names: `embedded` (the owner's own copy, natively), or the loaded one, or,
/// when it has not arrived yet, the one [`set_fetch`]'s function loads now. `None` only when
/// the text cannot be had.
pub fn get(key: &str, embedded: Option<&'static str>) -> Option<&'static str> {
    if EMBEDDED.get() {
        if let Some(text) = embedded {
            return Some(text);
        }
    }
    if let Some(text) = loaded(key) {
        return Some(text);
    }
    let text = FETCH.get()?(key)?;
    provide(key, text)
}

/// The text `key` names if it was loaded (or provided) already.
pub fn loaded(key: &str) -> Option<&'static str> {
    let i = index(key)?;
    LOADED.with_borrow(|texts| texts[i])
}

/// Keeps `text` as the text `key` names, for the rest of the instance's life; a text already
/// kept stays (so at most one copy of each is ever kept). `None` for a key not in [`KEYS`].
pub fn provide(key: &str, text: String) -> Option<&'static str> {
    let i = index(key)?;
    Some(LOADED.with_borrow_mut(|texts| {
        // Leaked once per key: the texts live as long as the instance, and a second copy is
        // dropped here, so the store never holds more than `KEYS` texts.
        *texts[i].get_or_insert_with(|| Box::leak(text.into_boxed_str()))
    }))
}

/// Sets how a text not loaded yet is loaded when a line needs it.
pub fn set_fetch(fetch: Fetch) {
    FETCH.set(Some(fetch));
}

/// What a program prints instead of a text that cannot be had.
pub fn unavailable(key: &str) -> String {
    let what = match key {
        DOCKER_HELP => "Docker's help texts",
        BUSYBOX_USAGE => "BusyBox's usage texts",
        _ => "a text",
    };
    format!(
        "layerbox: {what} could not be loaded from the site; run the line again once it can be reached\n"
    )
}

/// Runs `f` on this thread as the web bundle runs before its texts arrive: owners' embedded
/// copies ignored (for tests of what a line does without them).
pub fn without_embedded<R>(f: impl FnOnce() -> R) -> R {
    let before = EMBEDDED.replace(false);
    let result = f();
    EMBEDDED.set(before);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_owner_copy_is_used_natively() {
        assert_eq!(get(DOCKER_HELP, Some("help")), Some("help"));
        assert_eq!(without_embedded(|| get(DOCKER_HELP, Some("help"))), None);
    }

    #[test]
    fn a_text_not_loaded_is_fetched_once_and_kept() {
        thread_local!(static CALLS: Cell<u32> = const { Cell::new(0) });
        fn fetch(key: &str) -> Option<String> {
            CALLS.set(CALLS.get() + 1);
            (key == BUSYBOX_USAGE).then(|| "usage".to_string())
        }
        assert_eq!(get(BUSYBOX_USAGE, None), None, "no fetch set");
        set_fetch(fetch);
        assert_eq!(get(BUSYBOX_USAGE, None), Some("usage"));
        assert_eq!(get(BUSYBOX_USAGE, None), Some("usage"));
        assert_eq!(CALLS.get(), 1, "kept after the first load");
        assert_eq!(
            get(DOCKER_HELP, None),
            None,
            "the site could not be reached"
        );
        assert_eq!(get("nosuch", None), None);
    }

    #[test]
    fn the_first_text_provided_stays() {
        assert_eq!(loaded(DOCKER_HELP), None);
        assert_eq!(provide(DOCKER_HELP, "one".into()), Some("one"));
        assert_eq!(provide(DOCKER_HELP, "two".into()), Some("one"));
        assert_eq!(loaded(DOCKER_HELP), Some("one"));
        assert_eq!(provide("nosuch", "x".into()), None);
    }

    #[test]
    fn the_unavailable_notice_names_the_text() {
        assert!(unavailable(DOCKER_HELP).starts_with("layerbox: Docker's help texts could not"));
        assert!(unavailable(BUSYBOX_USAGE).contains("BusyBox's usage texts"));
    }
}
