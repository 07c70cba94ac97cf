//! The course: lessons as data, their goals checked against the engine's state, and a
//! learner's progress through them. No UI: a widget renders what this crate returns.
//!
//! # Code map
//! `lesson.rs` the lesson, step and hint types as the `lessons/*.toml` files hold them (one
//! file per lesson); `build.rs` parses the files at build time, a broken one failing the build,
//! and writes the course in a compact encoding (`encode.rs`) that `decode.rs` reads back for
//! [`course`]: the web bundle carries no TOML parser and no serde deserializer (natively,
//! [`parse_course`] still parses the files);
//! `goal.rs` the goal predicates (`goal/def.rs`, the types, which `build.rs` reads too) and
//! their evaluation over a [`layerbox_session::Session`]; `run.rs` [`LessonRun`],
//! the progress tracker (steps, wrong attempts, hints, "show me", jumping to a step);
//! `markdown.rs` the markdown subset of lesson texts as a small tree. The two languages and a
//! text in both ([`layerbox_i18n::Lang`], [`layerbox_i18n::Text`]) come from `layerbox-i18n`.
//!
//! # Writing a lesson
//! One file per lesson in `lessons/`, listed in [`COURSE`] and `SOURCES` (`src/sources.rs`):
//!
//! ```toml
//! id = "my-lesson"
//! setup = ["mkdir work"]                       # run in a fresh session before step 1
//! title = { ko = "...", en = "..." }
//! summary = { ko = "...", en = "..." }         # markdown, like every text below
//!
//! [[steps]]
//! goal = { all = [{ container_running = "web" }, { bind_mount = { container = "web", destination = "/srv" } }] }
//! solution = ["docker run -d --name web -v /home/user/work:/srv alpine sleep 3600"]
//! instruction = { ko = "...", en = "..." }
//! explanation = { ko = "...", en = "..." }     # shown when the step completes
//!
//! [[steps.hints]]                              # on request, or after wrong attempts
//! ko = "..."
//! en = "..."
//!
//! [[steps.hints]]                              # shown as soon as `when` holds: a mistake
//! ko = "..."
//! en = "..."
//! when = { container_stopped = "web" }
//! ```
//!
//! Goals are [`Goal`]s. `tests/it/course.rs` replays every solution, checks that no goal holds
//! before its step and that every `when` hint is provoked by the mistake it names (list the
//! mistake in its `MISTAKES` table), and checks both languages and the markdown.
//!
//! # Driving a lesson
//! ```
//! use layerbox_lessons::{lesson, LessonEvent, LessonRun};
//!
//! let (mut run, mut session) = LessonRun::start(lesson("writable-layer").expect("in the course"));
//! for line in run.solution_commands().to_vec() {
//!     session.run_line(&line);
//!     let events = run.after_command(&session);
//!     if events.contains(&LessonEvent::StepCompleted { index: 0 }) {
//!         break;
//!     }
//! }
//! assert_eq!(run.step_index(), 1);
//! ```

pub mod goal;
pub mod lesson;
pub mod markdown;
pub mod run;

mod decode;
#[cfg(test)]
mod encode;
#[cfg(not(target_arch = "wasm32"))]
mod sources;

use std::sync::OnceLock;

pub use goal::{Backing, DiffKind, Goal, Kind};
pub use lesson::{Hint, Lesson, Step};
pub use markdown::{Block, Inline};
pub use run::{
    left_changes, lines_before, session_at, LessonEvent, LessonRun, Obstacle, Progress, ShowMe,
    WRONG_ATTEMPTS_PER_HINT,
};

/// The course's lesson ids, in order.
pub const COURSE: [&str; 8] = [
    "writable-layer",
    "volumes-in-images",
    "named-volumes",
    "volume-flag-vs-instruction",
    "bind-mounts",
    "bind-mount-limits",
    "union-filesystem",
    "choosing-storage",
];

/// Every embedded lesson file parsed, or the first error with its file's index (natively; the
/// build script parsed them all for the web bundle).
#[cfg(not(target_arch = "wasm32"))]
pub fn parse_course() -> Result<Vec<Lesson>, (usize, toml::de::Error)> {
    sources::SOURCES
        .iter()
        .enumerate()
        .map(|(i, (_, src))| Lesson::from_toml(src).map_err(|e| (i, e)))
        .collect()
}

/// The course as `build.rs` encoded it from `lessons/*.toml` (see `src/encode.rs`).
const COURSE_ENCODED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/course.bin"));

/// The course's lessons in order.
pub fn course() -> Vec<Lesson> {
    built().to_vec()
}

/// The course, decoded once.
fn built() -> &'static [Lesson] {
    static BUILT: OnceLock<Vec<Lesson>> = OnceLock::new();
    // `build.rs` parsed every lesson file: a broken one fails the build.
    BUILT.get_or_init(|| decode::course(COURSE_ENCODED))
}

/// The lesson with id `id`.
pub fn lesson(id: &str) -> Option<Lesson> {
    lesson_ref(id).cloned()
}

/// The lesson with id `id`, to read without a copy (a page asks on every render what a lesson's
/// start runs).
pub fn lesson_ref(id: &str) -> Option<&'static Lesson> {
    built().iter().find(|l| l.id == id)
}
