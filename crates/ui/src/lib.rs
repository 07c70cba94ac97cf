//! The layerbox playground in the browser: Yew components, the page's texts in Korean and English.
//!
//! The app knows nothing of Docker's rules itself; it shows what the engine reports.

mod app;
mod i18n;
mod legend;

pub use app::{App, AppProps};
pub use i18n::Lang;
