//! The layerbox playground in the browser: Yew components, the timeline, the page's texts in
//! Korean and English.
//!
//! The app knows nothing of Docker's rules itself; it shows what the engine reports. The parts
//! that need no browser (`timeline`, `complete`, `lesson_track`) are plain Rust with native
//! tests. The two pages (`app`, `widget`) hold the state (`model`) and the language, and provide
//! both as contexts (`context`) to the components under `views/`, one per file.

mod app;
pub mod complete;
mod context;
mod course_progress;
mod crash;
mod ctrl_c;
mod direct;
mod i18n;
mod i18n_diagram;
mod i18n_panels;
mod lesson_starts;
pub mod lesson_track;
mod lesson_wire;
mod model;
pub mod output;
mod persist;
mod runner;
pub mod texts;
pub mod timeline;
mod views;
mod widget;
pub mod worker;

pub use app::{App, AppProps};
pub use crash::install_panic_hook;
pub use views::Tab;
pub use widget::{props_from_query, Widget, WidgetProps};

/// Sets the `layerbox-ready` performance mark: the terminal can be typed into. Then the texts
/// a learner may never need start loading (`texts.rs`).
fn mark_ready() {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark("layerbox-ready");
    }
    texts::start();
}
