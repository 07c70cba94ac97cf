//! The web app's entry point: mounts the playground into the page's body.

fn main() {
    yew::Renderer::<layerbox_ui::App>::new().render();
}
