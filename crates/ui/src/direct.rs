//! The page running the engine itself: the one place the page's code runs an action, used
//! only when it has no worker (`WorkerStart::Never`: the wasm tests, or a browser that could
//! not start one). With a worker every action runs there (`runner.rs`, `worker.rs`) and the
//! page only puts the steps together from what it sends back.
//!
//! Everything the page would need the engine's programs for goes through these functions, so
//! a page built without them needs to replace only this module.

use layerbox_session::Session;

use layerbox_lessons::LessonEvent;

use crate::lesson_track::LessonTrack;
use crate::timeline::{Action, SessionFile, Step, Timeline};

/// Runs `action` on the page's timeline at its cursor.
pub fn apply(timeline: &mut Timeline, action: Action) -> &Step {
    timeline.apply(action)
}

/// Rebuilds a timeline by running a session file's actions from `start` on the page.
pub fn replay(start: Session, file: &SessionFile) -> Timeline {
    Timeline::replay(start, file)
}

/// The lesson's progress after a step the page ran itself (`step`, applied at
/// `cursor_before`): its goal checked and its solution tried on the page.
pub fn lesson_progress(
    track: &mut LessonTrack,
    cursor_before: usize,
    step: &Step,
) -> Vec<LessonEvent> {
    track.applied(cursor_before, step)
}
