//! The web app's entry point. `index.html` is the playground; a page whose body says
//! `data-layerbox="widget"` (`widget.html`) is the embeddable lesson widget. In the page's Web
//! Worker (`worker.js`, no window) the same module serves the engine instead (`worker.rs`).

use wasm_bindgen::prelude::*;

fn main() {
    let Some(window) = web_sys::window() else {
        // The worker: `worker.js` calls `layerbox_worker` once the module is loaded.
        return;
    };
    layerbox_ui::install_panic_hook();
    let body = window.document().and_then(|d| d.body());
    let widget = body
        .as_ref()
        .and_then(|b| b.get_attribute("data-layerbox"))
        .is_some_and(|v| v == "widget");
    match body {
        Some(body) if widget => {
            let search = window.location().search().unwrap_or_default();
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
    layerbox_ui::worker::serve();
}
