//! `layerbox-lesson-starts FILE`: writes the starts of the course's lessons whose setup runs
//! lines, each as the worker sends a start (`worker::Answer::start`: the parts of its world
//! that differ from a fresh host's), into one JSON file that `index.html` names. Trunk runs it
//! before each build (`web/lesson-starts.sh`), so the file is always this engine's; a page
//! opening such a lesson fetches it (`lesson_starts.rs`) rather than starting a worker to run
//! the setup, which a widget that is only read would otherwise hold.

use std::process::ExitCode;

use layerbox_ui::worker::Start;

fn main() -> ExitCode {
    let Some(file) = std::env::args().nth(1) else {
        eprintln!("usage: layerbox-lesson-starts FILE");
        return ExitCode::from(2);
    };
    let mut starts = serde_json::Map::new();
    for id in layerbox_lessons::COURSE {
        let start = Start::Lesson {
            id: id.to_string(),
            step: None,
        };
        if start.runs_nothing() {
            continue;
        }
        let sent = layerbox_ui::worker::start_sent(&start).to_plain_value();
        // A start that cannot be written (it holds a large file's bytes) is left to the worker.
        if let Some(value) = sent {
            starts.insert(id.to_string(), value);
        }
    }
    let text = serde_json::Value::Object(starts).to_string();
    if let Err(e) = std::fs::write(&file, text) {
        eprintln!("layerbox-lesson-starts: {file}: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
