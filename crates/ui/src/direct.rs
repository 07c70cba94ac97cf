//! The page running the engine itself: the one place the page's code runs an action, used
//! only when it has no worker (`WorkerStart::Never`: the wasm tests, or a browser that could
//! not start one). With a worker every action runs there (`runner.rs`, `worker.rs`) and the
//! page only puts the steps together from what it sends back.
//!
//! Everything the page would need the engine's programs for goes through these functions. The
//! site's page module is built without the `engine` feature: there they run nothing and say so
//! (`None`), so that module holds none of the code that runs a line (`tests/src/bundle.rs`).

use layerbox_lessons::{LessonEvent, ShowMe};

use crate::lesson_track::LessonTrack;
use crate::model::Taken;
use crate::timeline::{Action, SessionFile, Step, Timeline};
use crate::worker::Start;

/// Runs `action` on the page's timeline at its cursor (`None`: the page runs nothing).
#[cfg(feature = "engine")]
pub fn apply(timeline: &mut Timeline, action: Action) -> Option<&Step> {
    Some(timeline.apply(action))
}

#[cfg(not(feature = "engine"))]
pub fn apply(_: &mut Timeline, _: Action) -> Option<&Step> {
    None
}

/// The timeline `start` makes with a session file's actions run on the page, and the lesson's
/// progress after each step (`run`: the progress at the start, in a lesson).
#[cfg(feature = "engine")]
pub fn restore(
    start: &Start,
    run: Option<layerbox_lessons::LessonRun>,
    file: &SessionFile,
) -> Option<(Timeline, Vec<Taken>)> {
    let mut timeline = Timeline::from_session(start.session());
    let mut run = run;
    let mut taken = Vec::new();
    for action in &file.actions {
        let step = timeline.apply(action.clone());
        taken.push(run.as_mut().map(|run| {
            let events = crate::lesson_track::progress(run, step);
            (run.progress(), events)
        }));
    }
    timeline.seek(file.cursor.checked_sub(1));
    Some((timeline, taken))
}

#[cfg(not(feature = "engine"))]
pub fn restore(
    _: &Start,
    _: Option<layerbox_lessons::LessonRun>,
    _: &SessionFile,
) -> Option<(Timeline, Vec<Taken>)> {
    None
}

/// The lesson's progress after a step the page ran itself (`step`, applied at
/// `cursor_before`): its goal checked and its solution tried on the page.
#[cfg(feature = "engine")]
pub fn lesson_progress(
    track: &mut LessonTrack,
    cursor_before: usize,
    step: &Step,
) -> Vec<LessonEvent> {
    track.applied(cursor_before, step)
}

/// Without the engine the page runs no step, so it has none to try: the learner stays.
#[cfg(not(feature = "engine"))]
pub fn lesson_progress(
    track: &mut LessonTrack,
    cursor_before: usize,
    _: &Step,
) -> Vec<LessonEvent> {
    track.interrupted(cursor_before);
    Vec::new()
}

/// What "show me" would play from the timeline's session at its cursor, tried on the page.
#[cfg(feature = "engine")]
pub fn show_me(track: &LessonTrack, timeline: &Timeline) -> Option<ShowMe> {
    Some(track.at(timeline.cursor()).show_me(timeline.current()))
}

#[cfg(not(feature = "engine"))]
pub fn show_me(_: &LessonTrack, _: &Timeline) -> Option<ShowMe> {
    None
}
