//! The learner's progress through the course, kept in this browser's local storage: which
//! lessons are finished (the course's checkmarks) and each lesson's own session (the step it
//! started from and the timeline's actions), so `?lesson=ID` comes back where it was left.

use crate::persist;
use crate::timeline::SessionFile;

/// The key of the finished lessons' ids, one a line.
const DONE_KEY: &str = "layerbox.course.done";

/// The key of lesson `id`'s session file.
fn session_key(id: &str) -> String {
    format!("layerbox.lesson.{id}")
}

/// The key of the lesson step lesson `id`'s session started from, if not the first.
fn step_key(id: &str) -> String {
    format!("layerbox.lesson.{id}.step")
}

/// The lessons finished in this browser.
pub fn done() -> Vec<String> {
    persist::saved_text(DONE_KEY)
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

/// Lesson `id` was finished: its checkmark is kept.
pub fn mark_done(id: &str) {
    let mut ids = done();
    if !ids.iter().any(|d| d == id) {
        ids.push(id.to_string());
        // A full storage loses the checkmark only; the lesson goes on.
        let _ = persist::save_text(DONE_KEY, &ids.join("\n"));
    }
}

/// Lesson `id`'s kept session: the step it started from and its actions, if any and readable.
pub fn load(id: &str) -> Option<(Option<usize>, SessionFile)> {
    let file = SessionFile::from_json(&persist::saved_text(&session_key(id))?).ok()?;
    let step = persist::saved_text(&step_key(id)).and_then(|s| s.trim().parse().ok());
    Some((step, file))
}

/// Keeps lesson `id`'s session (started from step `step`, `None`: the first).
pub fn save(id: &str, step: Option<usize>, file: &SessionFile) -> Result<(), persist::SaveError> {
    persist::save(&session_key(id), file)?;
    match step {
        Some(step) => persist::save_text(&step_key(id), &step.to_string()),
        None => {
            persist::forget(&step_key(id));
            Ok(())
        }
    }
}
