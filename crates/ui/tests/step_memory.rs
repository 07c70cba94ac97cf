//! What a step of the timeline holds: its session shares the world's parts the step did not
//! change with the step before, so a long session costs each step what it changed (the images,
//! the host's files and the layers are not copied per step).
//!
//! The one test of this file counts the heap's live bytes (`stats_alloc`), so it is alone in
//! its test binary: no other test allocates meanwhile.
#![cfg(not(target_arch = "wasm32"))]

use layerbox_session::Session;
use layerbox_ui::timeline::{Action, SessionFile, Timeline};
use stats_alloc::{StatsAlloc, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &StatsAlloc<std::alloc::System> = &INSTRUMENTED_SYSTEM;

/// The heap's live bytes.
fn live() -> i64 {
    let s = INSTRUMENTED_SYSTEM.stats();
    s.bytes_allocated as i64 + s.bytes_reallocated as i64 - s.bytes_deallocated as i64
}

/// A session file of `n` steps of `true`.
fn steps_of_true(n: usize) -> SessionFile {
    SessionFile {
        version: SessionFile::VERSION,
        actions: vec![
            Action::Line {
                line: "true".into()
            };
            n
        ],
        cursor: n,
    }
}

/// The live bytes of a timeline replayed from a fresh session.
fn held(file: &SessionFile) -> (i64, Timeline) {
    let before = live();
    let timeline = Timeline::replay(Session::new(), file);
    (live() - before, timeline)
}

#[test]
fn a_step_holds_what_it_changed_not_a_copy_of_the_world() {
    let (short, t) = held(&steps_of_true(10));
    drop(t);
    let (long, t) = held(&steps_of_true(410));
    assert_eq!(t.steps().len(), 410);
    let per_step = (long - short) / 400;
    // A step of `true` holds its action, prompt and the session's shells (about 5 kB with the
    // spare room of the step list); a copy of the sample images' metadata alone was 27 kB.
    assert!(per_step < 8_000, "a step of `true` holds {per_step} bytes");
}
