//! `LessonRun`: steps, wrong attempts, hints, "show me", jumping and free play, on a small
//! lesson made for the purpose.
// The lesson files are parsed natively only (the browser gets them pre-built).
#![cfg(not(target_arch = "wasm32"))]

use layerbox_lessons::{Lesson, LessonEvent, LessonRun, WRONG_ATTEMPTS_PER_HINT};

const LESSON: &str = r#"
id = "test"
setup = ["mkdir work"]
title = { ko = "시험", en = "Test" }
summary = { ko = "시험", en = "Test" }

[[steps]]
goal = { volume_exists = "one" }
solution = ["docker volume create one"]
instruction = { ko = "하나", en = "One" }
explanation = { ko = "좋아요", en = "Good" }
hints = [
  { ko = "첫째", en = "first" },
  { ko = "둘째", en = "second" },
  { ko = "이름", en = "wrong name", when = { volume_exists = "two" } },
]

[[steps]]
goal = { volume_exists = "three" }
solution = ["docker volume create three"]
instruction = { ko = "셋", en = "Three" }
explanation = { ko = "좋아요", en = "Good" }
hints = [{ ko = "셋째", en = "third" }]

[[steps]]
goal = { volume_exists = "four" }
solution = ["docker volume create four"]
instruction = { ko = "넷", en = "Four" }
explanation = { ko = "좋아요", en = "Good" }
hints = [{ ko = "넷째", en = "fourth" }]
"#;

fn start() -> (LessonRun, layerbox_session::Session) {
    let lesson = Lesson::from_toml(LESSON).expect("the test lesson parses");
    LessonRun::start(lesson)
}

#[test]
fn start_runs_the_setup_and_begins_at_the_first_step() {
    let (run, session) = start();
    assert_eq!(run.step_index(), 0);
    assert!(!run.is_complete());
    assert_eq!(run.solution_commands(), ["docker volume create one"]);
    assert!(run.hints_due().is_empty());
    let home = session.world().host().clone();
    assert!(layerbox_fstree::FileSystem::exists(
        &home,
        &layerbox_fstree::Cred::root(),
        "/home/user/work"
    ));
}

#[test]
fn a_command_that_reaches_the_goal_completes_the_step() {
    let (mut run, mut session) = start();
    session.run_line("docker volume create one");
    assert_eq!(
        run.after_command(&session),
        [LessonEvent::StepCompleted { index: 0 }]
    );
    assert_eq!(run.step_index(), 1);
    assert_eq!(run.solution_commands(), ["docker volume create three"]);
}

#[test]
fn every_second_wrong_attempt_makes_the_next_plain_hint_due() {
    let (mut run, mut session) = start();
    assert_eq!(WRONG_ATTEMPTS_PER_HINT, 2);
    session.run_line("ls");
    assert!(run.after_command(&session).is_empty());
    assert_eq!(run.wrong_attempts(), 1);
    session.run_line("docker ps");
    assert_eq!(
        run.after_command(&session),
        [LessonEvent::HintDue { step: 0, hint: 0 }]
    );
    session.run_line("pwd");
    run.after_command(&session);
    session.run_line("pwd");
    assert_eq!(
        run.after_command(&session),
        [LessonEvent::HintDue { step: 0, hint: 1 }]
    );
    // Only the hint with `when` is left, and wrong attempts never give it.
    session.run_line("pwd");
    run.after_command(&session);
    session.run_line("pwd");
    assert!(run.after_command(&session).is_empty());
    let due: Vec<usize> = run.hints_due().iter().map(|(i, _)| *i).collect();
    assert_eq!(due, [0, 1]);
}

#[test]
fn requested_hints_come_in_order_and_run_out() {
    let (mut run, _) = start();
    assert_eq!(
        run.request_hint(),
        Some(LessonEvent::HintDue { step: 0, hint: 0 })
    );
    assert_eq!(
        run.request_hint(),
        Some(LessonEvent::HintDue { step: 0, hint: 1 })
    );
    assert_eq!(run.request_hint(), None);
    assert_eq!(run.hints_due()[1].1.en, "second");
}

#[test]
fn a_hint_with_when_is_due_as_soon_as_its_state_holds_and_stays_due() {
    let (mut run, mut session) = start();
    run.set_wrong_attempts_per_hint(0);
    session.run_line("docker volume create two");
    assert_eq!(
        run.after_command(&session),
        [LessonEvent::HintDue { step: 0, hint: 2 }]
    );
    session.run_line("docker volume rm two");
    assert!(run.after_command(&session).is_empty());
    assert_eq!(run.hints_due().len(), 1);
    assert_eq!(run.hints_due()[0].1.en, "wrong name");
}

#[test]
fn with_no_automatic_hints_wrong_attempts_give_none() {
    let (mut run, mut session) = start();
    run.set_wrong_attempts_per_hint(0);
    for _ in 0..5 {
        session.run_line("ls");
        assert!(run.after_command(&session).is_empty());
    }
    assert_eq!(run.wrong_attempts(), 5);
}

#[test]
fn completing_a_step_clears_attempts_and_hints() {
    let (mut run, mut session) = start();
    run.request_hint();
    session.run_line("ls");
    run.after_command(&session);
    session.run_line("docker volume create one");
    run.after_command(&session);
    assert_eq!(run.wrong_attempts(), 0);
    assert!(run.hints_due().is_empty());
}

#[test]
fn one_command_can_complete_consecutive_steps() {
    let (mut run, mut session) = start();
    session.run_line("docker volume create three");
    // Step 2's goal holds, but step 1 comes first.
    assert_eq!(run.after_command(&session).len(), 0);
    session.run_line("docker volume create one");
    assert_eq!(
        run.after_command(&session),
        [
            LessonEvent::StepCompleted { index: 0 },
            LessonEvent::StepCompleted { index: 1 }
        ]
    );
    assert_eq!(run.step_index(), 2);
}

#[test]
fn the_last_step_completes_the_lesson_and_free_play_follows() {
    let (mut run, _) = start();
    let mut session = run.goto_step(2);
    session.run_line("docker volume create four");
    assert_eq!(
        run.after_command(&session),
        [
            LessonEvent::StepCompleted { index: 2 },
            LessonEvent::LessonCompleted
        ]
    );
    assert!(run.is_complete());
    assert!(run.current_step().is_none());
    assert!(run.solution_commands().is_empty());
    assert_eq!(run.request_hint(), None);
    session.run_line("docker volume rm four");
    assert!(run.after_command(&session).is_empty());
    assert!(!run.goal_holds(&session));
}

#[test]
fn goto_step_runs_the_earlier_solutions_on_a_fresh_session() {
    let (mut run, _) = start();
    let session = run.goto_step(2);
    assert_eq!(run.step_index(), 2);
    let volumes: Vec<&String> = session.world().volumes().volumes.keys().collect();
    assert_eq!(volumes, ["one", "three"]);
    let end = run.goto_step(99);
    assert!(run.is_complete());
    assert_eq!(end.world().volumes().volumes.len(), 3);
}

#[test]
fn reset_starts_over_with_only_the_setup() {
    let (mut run, mut session) = start();
    session.run_line("docker volume create one");
    run.after_command(&session);
    let fresh = run.reset();
    assert_eq!(run.step_index(), 0);
    assert!(fresh.world().volumes().volumes.is_empty());
    assert!(!run.goal_holds(&fresh));
}
