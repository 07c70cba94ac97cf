//! The course as a whole: every lesson file is well formed in both languages, and every
//! reference solution, replayed from the lesson's setup, completes each step in order.
// The lesson files are parsed natively only (the browser gets them pre-built).
#![cfg(not(target_arch = "wasm32"))]

use layerbox_i18n::Lang;
use layerbox_lessons::markdown::parse_strict;
use layerbox_lessons::{course, lesson, parse_course, session_at, LessonEvent, LessonRun, COURSE};
use layerbox_session::Session;

fn has_hangul(s: &str) -> bool {
    s.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
}

/// Every text of the course with where it is, per language.
fn texts(lang: Lang) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for l in course() {
        out.push((format!("{} title", l.id), l.title.get(lang).to_string()));
        out.push((format!("{} summary", l.id), l.summary.get(lang).to_string()));
        for (i, s) in l.steps.iter().enumerate() {
            let at = format!("{} step {}", l.id, i + 1);
            out.push((
                format!("{at} instruction"),
                s.instruction.get(lang).to_string(),
            ));
            out.push((
                format!("{at} explanation"),
                s.explanation.get(lang).to_string(),
            ));
            for (h, hint) in s.hints.iter().enumerate() {
                out.push((format!("{at} hint {}", h + 1), hint.text(lang).to_string()));
            }
        }
    }
    out
}

fn run_ok(session: &mut Session, line: &str, at: &str) {
    let result = session.run_line(line);
    assert_eq!(result.code, 0, "{at}: `{line}` failed:\n{}", result.text());
}

#[test]
fn every_lesson_file_parses() {
    if let Err((i, e)) = parse_course() {
        panic!("lesson file {}: {e}", i + 1);
    }
}

#[test]
fn the_course_built_in_is_the_lesson_files_parsed() {
    let parsed = parse_course().unwrap_or_else(|(i, e)| panic!("lesson file {}: {e}", i + 1));
    assert_eq!(course(), parsed);
}

#[test]
fn the_course_has_the_fixed_lessons_in_order_with_unique_ids() {
    let ids: Vec<String> = course().into_iter().map(|l| l.id).collect();
    assert_eq!(ids, COURSE);
    for id in COURSE {
        assert_eq!(lesson(id).map(|l| l.id).as_deref(), Some(id));
    }
    assert!(lesson("no-such-lesson").is_none());
}

#[test]
fn every_text_is_written_in_both_languages() {
    for (at, text) in texts(Lang::Ko) {
        assert!(!text.trim().is_empty(), "{at}: Korean text is empty");
        assert!(has_hangul(&text), "{at}: Korean text has no Hangul: {text}");
    }
    for (at, text) in texts(Lang::En) {
        assert!(!text.trim().is_empty(), "{at}: English text is empty");
        assert!(!has_hangul(&text), "{at}: English text has Hangul: {text}");
    }
}

#[test]
fn every_text_is_well_formed_markdown() {
    for lang in [Lang::Ko, Lang::En] {
        for (at, text) in texts(lang) {
            if let Err(e) = parse_strict(&text) {
                panic!("{at} ({}): {e}\n{text}", lang.code());
            }
        }
    }
}

#[test]
fn every_lesson_has_three_to_six_steps_each_with_hints_and_a_solution() {
    for l in course() {
        assert!(
            (3..=6).contains(&l.steps.len()),
            "{}: {} steps",
            l.id,
            l.steps.len()
        );
        for (i, s) in l.steps.iter().enumerate() {
            let at = format!("{} step {}", l.id, i + 1);
            assert!(!s.solution.is_empty(), "{at}: no solution");
            assert!(
                s.hints.iter().any(|h| h.when.is_none()),
                "{at}: no hint to give on request"
            );
        }
    }
}

#[test]
fn no_step_goal_holds_at_the_start_of_its_lesson() {
    for l in course() {
        let session = session_at(&l, 0);
        for (i, s) in l.steps.iter().enumerate() {
            assert!(
                !s.goal.holds(&session),
                "{} step {}: goal holds before anything was done",
                l.id,
                i + 1
            );
        }
    }
}

#[test]
fn setup_commands_succeed() {
    for l in course() {
        let mut session = Session::new();
        for line in &l.setup {
            run_ok(&mut session, line, &format!("{} setup", l.id));
        }
    }
}

#[test]
fn every_reference_solution_completes_its_step_in_order() {
    for l in course() {
        let mut session = session_at(&l, 0);
        for (i, step) in l.steps.iter().enumerate() {
            let at = format!("{} step {}", l.id, i + 1);
            assert!(
                !step.goal.holds(&session),
                "{at}: the goal holds before the step's solution"
            );
            for line in &step.solution {
                run_ok(&mut session, line, &at);
            }
            assert!(
                step.goal.holds(&session),
                "{at}: the goal does not hold after the reference solution"
            );
        }
    }
}

#[test]
fn a_lesson_run_driven_by_the_solutions_completes_every_step_then_the_lesson() {
    for l in course() {
        let steps = l.steps.len();
        let (mut run, mut session) = LessonRun::start(l.clone());
        let mut completed = Vec::new();
        let mut finished = false;
        while let Some(step) = run.current_step().cloned() {
            let index = run.step_index();
            for line in &step.solution {
                session.run_line(line);
                for e in run.after_command(&session) {
                    match e {
                        LessonEvent::StepCompleted { index } => completed.push(index),
                        LessonEvent::LessonCompleted => finished = true,
                        LessonEvent::HintDue { .. } | LessonEvent::Blocked { .. } => {}
                    }
                }
            }
            assert_eq!(
                run.step_index(),
                index + 1,
                "{}: step {} not completed by its solution",
                l.id,
                index + 1
            );
        }
        assert_eq!(completed, (0..steps).collect::<Vec<_>>(), "{}", l.id);
        assert!(finished, "{}: no LessonCompleted", l.id);
        assert!(run.is_complete());
        assert!(run.solution_commands().is_empty());
        // Free play: commands go on, progress does not change.
        session.run_line("docker ps -a");
        assert!(run.after_command(&session).is_empty());
    }
}

#[test]
fn goto_step_puts_the_host_where_the_step_starts() {
    for l in course() {
        let (mut run, _) = LessonRun::start(l.clone());
        for i in 1..l.steps.len() {
            let session = run.goto_step(i);
            assert_eq!(run.step_index(), i);
            assert!(l.steps[i - 1].goal.holds(&session), "{} step {i}", l.id);
            assert!(!l.steps[i].goal.holds(&session), "{} step {}", l.id, i + 1);
        }
    }
}

#[test]
fn mistake_hints_stay_quiet_along_the_reference_solutions() {
    // Hints with `when` describe mistakes; the one listed here is guidance meant to show
    // half-way through the reference solution (after `docker rm -f f1`).
    let expected = [("writable-layer".to_string(), 4, 1)];
    let mut fired = Vec::new();
    for l in course() {
        let (mut run, mut session) = LessonRun::start(l.clone());
        run.set_wrong_attempts_per_hint(0);
        while let Some(step) = run.current_step().cloned() {
            for line in &step.solution {
                session.run_line(line);
                for e in run.after_command(&session) {
                    if let LessonEvent::HintDue { step, hint } = e {
                        fired.push((l.id.clone(), step, hint));
                    }
                }
            }
        }
    }
    assert_eq!(fired, expected);
}

/// For every hint with `when`: the mistake it describes, typed from the start of its step.
/// (lesson, step, hint, commands), steps and hints counted from 1.
const MISTAKES: &[(&str, usize, usize, &[&str])] = &[
    ("writable-layer", 1, 2, &["docker run --name f1 alpine"]),
    ("writable-layer", 1, 3, &["docker run --name f1 alpine sleep 3600"]),
    ("writable-layer", 2, 2, &["docker exec f1 echo hello > note.txt"]),
    ("writable-layer", 3, 2, &["docker rm -f f1"]),
    ("writable-layer", 5, 2, &["docker rm -f f1"]),
    ("volumes-in-images", 1, 2, &["docker run -d --name todo1 -v mine:/data diamol/ch06-todo-list"]),
    ("volumes-in-images", 3, 2, &["docker run -d --name todo2 --volumes-from todo1 diamol/ch06-todo-list"]),
    ("volumes-in-images", 4, 2, &["docker run -d --name t3 diamol/ch06-todo-list"]),
    ("named-volumes", 2, 2, &["docker run -d --name todo-v1 diamol/ch06-todo-list"]),
    (
        "named-volumes",
        4,
        2,
        &["docker rm -f todo-v1", "docker run -d --name todo-v2 -v todo-list:/data diamol/ch06-todo-list"],
    ),
    (
        "named-volumes",
        4,
        3,
        &["docker run -d --name todo-v2 -p 8011:80 -v todo-list:/data diamol/ch06-todo-list:v2"],
    ),
    ("volume-flag-vs-instruction", 1, 2, &["docker run -d --name todo-a -v mine:/data diamol/ch06-todo-list"]),
    ("volume-flag-vs-instruction", 2, 2, &["docker rm -f -v todo-a"]),
    (
        "volume-flag-vs-instruction",
        5,
        2,
        &["docker rm -f todo-c reader", "docker volume prune -a -f"],
    ),
    ("bind-mounts", 1, 2, &["docker run -d --name todo-bind -v /home/user/databases:/data diamol/ch06-todo-list"]),
    ("bind-mounts", 2, 2, &["docker run -d --name todo-bind diamol/ch06-todo-list"]),
    (
        "bind-mounts",
        5,
        2,
        &["docker run --rm -v /home/user/databases:/data alpine sh -c 'echo mine > /data/user-note.txt'"],
    ),
    ("union-filesystem", 1, 2, &["docker run --name u1 diamol/ch06-bind-mount"]),
    (
        "choosing-storage",
        1,
        3,
        &["docker run -d --name app -v /mnt/share/config:/app/config:ro -v /home/user/uploads:/app/uploads diamol/ch06-todo-list"],
    ),
    ("choosing-storage", 1, 4, &["mkdir db", "docker run -d --name app -v /home/user/db:/data diamol/ch06-todo-list"]),
    ("choosing-storage", 1, 5, &["docker run -d --name app -v cache:/app/cache diamol/ch06-todo-list"]),
    ("choosing-storage", 1, 6, &["docker run -d --name app -v /mnt/share/config:/app/config diamol/ch06-todo-list"]),
    ("choosing-storage", 1, 7, &["docker run --name app diamol/ch06-todo-list true"]),
    (
        "choosing-storage",
        3,
        2,
        &[
            "docker rm -f app",
            "docker run -d --name app -v other:/data -v /mnt/share/config:/app/config:ro -v /home/user/uploads:/app/uploads diamol/ch06-todo-list:v2",
        ],
    ),
];

#[test]
fn every_mistake_hint_shows_after_the_mistake_it_describes() {
    let mut with_when = 0;
    for l in course() {
        for (s, step) in l.steps.iter().enumerate() {
            for (h, hint) in step.hints.iter().enumerate() {
                let Some(when) = &hint.when else { continue };
                with_when += 1;
                let at = format!("{} step {} hint {}", l.id, s + 1, h + 1);
                let Some((.., lines)) = MISTAKES
                    .iter()
                    .find(|(id, st, hi, _)| *id == l.id && *st == s + 1 && *hi == h + 1)
                else {
                    panic!("{at}: no mistake listed for this hint");
                };
                let mut session = session_at(&l, s);
                assert!(!when.holds(&session), "{at}: shows before any mistake");
                for line in *lines {
                    session.run_line(line);
                }
                assert!(when.holds(&session), "{at}: does not show after {lines:?}");
                assert!(
                    !step.goal.holds(&session),
                    "{at}: the mistake completes the step"
                );
            }
        }
    }
    assert_eq!(with_when, MISTAKES.len());
}
