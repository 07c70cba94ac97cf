//! The page's entry point (`layerbox-ui`, the module `web/boot.js` starts). `index.html` is
//! the playground; `index.html?embed&lesson=ID...` (where `widget.html?...` redirects, and what
//! `embed.js` frames) is the embeddable lesson widget, as is a page whose body says
//! `data-layerbox="widget"`. The page's Web Worker loads the other module, `layerbox-worker`
//! (`bin/worker.rs`), which runs the lines; this one only shows them, so it is linked without
//! the programs, the shell and the docker CLI (the site's build turns off the `engine`
//! feature, see `Cargo.toml`).

fn main() {
    let Some(window) = web_sys::window() else {
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
