//! What the page shows when its own code panics: a plain notice in the page's language over
//! the page, with a reload and a reload without the last step, written straight into the
//! document (the app that panicked cannot draw it). The session saved before the step that
//! panicked is intact: saving follows a step's rendering, which the panic cut short.

use layerbox_i18n::Lang;

use crate::persist::{KEEP_STEPS, UNDO_LAST};

/// Installs the hook; the release build aborts after it, the page stays as the notice left it.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        show(&info.to_string(), Some((UNDO_LAST, "1".into())))
    }));
}

/// A kept session's replay crashed the worker's engine as the page opened. The page saved
/// nothing while it replayed, so the saved session is intact. The same notice; for the saved
/// session (`keep`: the replay crashed at its step `keep + 1`) its second reload keeps only the
/// steps before it. A share link has been taken out of the address: a reload opens the saved
/// session.
pub fn replay_crashed(why: &str, keep: Option<usize>) {
    show(why, keep.map(|n| (KEEP_STEPS, n.to_string())));
}

/// Shows the notice; its second link, if any, reloads with `without` in the address.
fn show(why: &str, without: Option<(&str, String)>) {
    let lang = crate::i18n::detect();
    let replay = without
        .as_ref()
        .is_some_and(|(name, _)| *name == KEEP_STEPS);
    let (title, message, reload, mut without_label) = match lang {
        Lang::En => (
            "layerbox stopped because of an error in the page.",
            "It is layerbox's fault, not yours. Your saved session is as it was before the step \
             that caused it.",
            "Reload",
            "Reload without the last step",
        ),
        Lang::Ko => (
            "페이지 오류로 layerbox가 멈췄습니다.",
            "layerbox의 잘못이지 여러분의 잘못이 아닙니다. 저장된 세션은 오류를 일으킨 단계 전 \
             그대로입니다.",
            "다시 불러오기",
            "마지막 단계 없이 다시 불러오기",
        ),
    };
    if replay {
        without_label = match lang {
            Lang::En => "Reload with only the steps before the one that caused it",
            Lang::Ko => "오류를 일으킨 단계 전까지만 다시 불러오기",
        };
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(document) = window.document() else {
        return;
    };
    let Some(body) = document.body() else {
        return;
    };
    if document.get_element_by_id("layerbox-crash").is_some() {
        return;
    }
    let loc = window.location();
    let path = loc.pathname().unwrap_or_default();
    let search = loc.search().unwrap_or_default();
    let without_href =
        without.map(
            |(name, value)| match web_sys::UrlSearchParams::new_with_str(&search) {
                Ok(p) => {
                    p.set(name, &value);
                    format!("{path}?{}", String::from(p.to_string()))
                }
                Err(_) => format!("{path}?{name}={value}"),
            },
        );
    let reload_href = format!("{path}{search}");
    let el = |tag: &str, text: &str| -> Option<web_sys::Element> {
        let e = document.create_element(tag).ok()?;
        e.set_text_content(Some(text));
        Some(e)
    };
    let build = || -> Option<web_sys::Element> {
        let root = document.create_element("div").ok()?;
        root.set_id("layerbox-crash");
        root.set_class_name("crash");
        root.set_attribute("role", "alertdialog").ok()?;
        root.set_attribute("data-testid", "crash").ok()?;
        for e in [el("h2", title)?, el("p", message)?] {
            root.append_child(&e).ok()?;
        }
        let links = document.create_element("p").ok()?;
        let without = without_href.as_deref().map(|href| (without_label, href));
        for (text, href) in std::iter::once((reload, reload_href.as_str())).chain(without) {
            let a: web_sys::Element = el("a", text)?;
            a.set_attribute("href", href).ok()?;
            a.set_class_name("button-link");
            links.append_child(&a).ok()?;
        }
        root.append_child(&links).ok()?;
        let details: web_sys::Element = el("pre", why)?;
        root.append_child(&details).ok()?;
        Some(root)
    };
    if let Some(root) = build() {
        let _ = body.append_child(&root);
    }
}
