//! The Yew components the pages are made of, one per file: the terminal, the lesson panel, the
//! timeline, the tabbed storage views (the storage diagram first) (all drawn from `layerbox-view` for the session at the
//! timeline's cursor), the explain panel, the legend, the course and the notice that storage is
//! nearly full.

mod at_cursor;
mod browser;
mod course;
mod diagram;
mod explain;
mod host_tree;
mod layer_stack;
mod legend;
mod lesson_panel;
mod markdown;
mod panel;
mod steps;
mod storage_map;
mod storage_notice;
mod terminal;
mod tree;
mod volumes;

pub use course::Lessons;
pub use explain::Explain;
pub use legend::Legend;
pub use lesson_panel::LessonPanel;
pub use markdown::title_html;
pub use panel::{Tab, Views};
pub use steps::Steps;
pub use storage_notice::StorageNotice;
pub use terminal::Terminal;
