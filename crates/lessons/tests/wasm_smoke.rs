//! wasm32 smoke test in a real browser: the embedded course parses, and a whole lesson runs
//! from its setup through every reference solution without a wasm-only panic.
#![cfg(target_arch = "wasm32")]

use layerbox_i18n::Lang;
use layerbox_lessons::{course, lesson, LessonEvent, LessonRun};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_course_parses_and_a_lesson_completes_in_the_browser() {
    let all = course();
    assert_eq!(all.len(), 8);
    for l in &all {
        for s in &l.steps {
            assert!(!s.instruction_blocks(Lang::Ko).is_empty());
        }
    }
    let (mut run, mut session) = LessonRun::start(lesson("choosing-storage").expect("lesson"));
    let mut events = Vec::new();
    while let Some(step) = run.current_step().cloned() {
        for line in &step.solution {
            session.run_line(line);
            events.extend(run.after_command(&session));
        }
    }
    assert_eq!(events.last(), Some(&LessonEvent::LessonCompleted));
    let again = run.goto_step(1);
    assert!(run.lesson().steps[0].goal.holds(&again));
}
