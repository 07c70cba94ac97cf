//! The web app's entry point. `index.html` is the playground; `index.html?embed&lesson=ID...`
//! (where `widget.html?...` redirects, and what `embed.js` frames) is the embeddable lesson
//! widget, as is a page whose body says `data-layerbox="widget"`. In the page's Web
//! Worker (`worker.js`, no window) the same module serves the engine instead (`worker.rs`).

use wasm_bindgen::prelude::*;

fn main() {
    let Some(window) = web_sys::window() else {
        // The worker: `worker.js` calls `layerbox_worker` once the module is loaded.
        return;
    };
    layerbox_ui::install_panic_hook();
    // Where the texts loaded on demand are, before a saved session is replayed (texts.rs).
    layerbox_ui::texts::prepare();
    let body = window.document().and_then(|d| d.body());
    let search = window.location().search().unwrap_or_default();
    let embed = web_sys::UrlSearchParams::new_with_str(&search).is_ok_and(|p| p.has("embed"));
    let widget = embed
        || body
            .as_ref()
            .and_then(|b| b.get_attribute("data-layerbox"))
            .is_some_and(|v| v == "widget");
    match body {
        Some(body) if widget => {
            // The widget's own page style (styles.css: `.widget-page`).
            let _ = body.set_attribute("data-layerbox", "widget");
            let class = body.class_name();
            if !class.split_whitespace().any(|c| c == "widget-page") {
                body.set_class_name(format!("{class} widget-page").trim());
            }
            let mut props = layerbox_ui::props_from_query(&search);
            props.worker = true;
            yew::Renderer::<layerbox_ui::Widget>::with_root_and_props(body.into(), props).render();
        }
        _ => {
            yew::Renderer::<layerbox_ui::App>::with_props(layerbox_ui::AppProps {
                worker: true,
                ..Default::default()
            })
            .render();
        }
    }
}

/// The worker's entry point, called by `worker.js`.
#[wasm_bindgen]
pub fn layerbox_worker() {
    // The texts the page named in the worker's address load while the worker serves.
    layerbox_ui::texts::start();
    layerbox_ui::worker::serve();
}
