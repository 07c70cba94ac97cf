//! The web app's entry point. `index.html` is the playground; a page whose body says
//! `data-layerbox="widget"` (`widget.html`) is the embeddable lesson widget.

fn main() {
    let document = web_sys::window().and_then(|w| w.document());
    let body = document.as_ref().and_then(|d| d.body());
    let widget = body
        .as_ref()
        .and_then(|b| b.get_attribute("data-layerbox"))
        .is_some_and(|v| v == "widget");
    match body {
        Some(body) if widget => {
            let search = web_sys::window()
                .and_then(|w| w.location().search().ok())
                .unwrap_or_default();
            yew::Renderer::<layerbox_ui::Widget>::with_root_and_props(
                body.into(),
                layerbox_ui::props_from_query(&search),
            )
            .render();
        }
        _ => {
            yew::Renderer::<layerbox_ui::App>::new().render();
        }
    }
}
