//! No dead ends: from a learner's plausible mistake (a name taken, a port taken, a forgotten
//! `-v` or `-d`, a wrong path) "show me" names what is in the way and still reaches the step's
//! goal, and the checks a lesson asks for never count as wrong attempts or bring a hint.
// The lesson files are parsed natively only (the browser gets them pre-built).
#![cfg(not(target_arch = "wasm32"))]

use layerbox_lessons::markdown::{parse, Block};
use layerbox_lessons::{
    course, left_changes, lesson, session_at, LessonEvent, LessonRun, Obstacle, ShowMe,
};
use layerbox_session::Session;

/// Lesson `id` at step `step` (1-based), on the session that step expects.
fn at_step(id: &str, step: usize) -> (LessonRun, Session) {
    let l = lesson(id).expect("in the course");
    let (mut run, _) = LessonRun::start(l);
    let session = run.goto_step(step - 1);
    (run, session)
}

/// Runs `line` as the page does: a line that changed nothing only looked.
fn type_line(run: &mut LessonRun, session: &mut Session, line: &str) -> Vec<LessonEvent> {
    let r = session.run_line(line);
    run.after_line(session, left_changes(&r.changes))
}

/// Plays "show me" from where the learner is and checks that it completes the step.
fn show_me_completes(run: &mut LessonRun, session: &mut Session) -> ShowMe {
    let step = run.step_index();
    let plan = run.show_me(session);
    let lines = match &plan {
        ShowMe::Solution(lines) | ShowMe::CleanUpFirst { lines, .. } => lines.clone(),
        ShowMe::StartOver(_) => panic!("show me cannot mend this state: {plan:?}"),
    };
    let mut done = false;
    for line in &lines {
        done |= type_line(run, session, line).contains(&LessonEvent::StepCompleted { index: step });
    }
    assert!(done, "show me did not complete step {}: {plan:?}", step + 1);
    plan
}

#[test]
fn a_name_conflict_left_by_a_port_conflict_is_named_and_cleaned_up_before_the_solution() {
    // Step 3 of volumes-in-images, with the port `todo1` holds: `todo2` is created, not started.
    let (mut run, mut session) = at_step("volumes-in-images", 3);
    let r = session.run_line("docker run -d --name todo2 -p 8010:80 diamol/ch06-todo-list");
    assert!(
        r.text().contains("port is already allocated"),
        "{}",
        r.text()
    );
    let events = run.after_line(&session, left_changes(&r.changes));
    assert!(
        events.contains(&LessonEvent::Blocked { step: 2 }),
        "{events:?}"
    );
    assert_eq!(
        run.obstacles(),
        [Obstacle::NameTaken {
            name: "todo2".into()
        }]
    );
    // Typing the instruction's command now fails with Docker's conflict, and is not the end.
    let r = session.run_line("docker run -d --name todo2 diamol/ch06-todo-list");
    assert!(
        r.text()
            .contains(r#"Conflict. The container name "/todo2" is already in use"#),
        "{}",
        r.text()
    );
    run.after_line(&session, left_changes(&r.changes));
    let plan = show_me_completes(&mut run, &mut session);
    match plan {
        ShowMe::CleanUpFirst { obstacles, lines } => {
            assert_eq!(obstacles.len(), 1);
            assert_eq!(lines[0], "docker rm -f todo2");
        }
        other => panic!("expected a clean-up first: {other:?}"),
    }
    assert!(run.obstacles().is_empty());
}

#[test]
fn a_port_conflict_names_the_container_holding_the_port() {
    // Step 4 of named-volumes: the new version run before the old one is removed.
    let (mut run, mut session) = at_step("named-volumes", 4);
    let line =
        "docker run -d --name todo-v2 -p 8011:80 -v todo-list:/data diamol/ch06-todo-list:v2";
    type_line(&mut run, &mut session, line);
    assert!(
        run.obstacles().contains(&Obstacle::PortTaken {
            port: 8011,
            container: "todo-v1".into()
        }),
        "{:?}",
        run.obstacles()
    );
    assert!(run.obstacles().contains(&Obstacle::NameTaken {
        name: "todo-v2".into()
    }));
    match show_me_completes(&mut run, &mut session) {
        ShowMe::CleanUpFirst { lines, .. } => assert_eq!(lines[0], "docker rm -f todo-v2 todo-v1"),
        other => panic!("expected a clean-up first: {other:?}"),
    }
}

#[test]
fn a_forgotten_dash_v_gets_its_hint_and_show_me_replaces_the_container() {
    let (mut run, mut session) = at_step("named-volumes", 2);
    let events = type_line(
        &mut run,
        &mut session,
        "docker run -d --name todo-v1 -p 8011:80 diamol/ch06-todo-list",
    );
    assert!(
        events
            .iter()
            .any(|e| matches!(e, LessonEvent::HintDue { step: 1, .. })),
        "{events:?}"
    );
    match show_me_completes(&mut run, &mut session) {
        ShowMe::CleanUpFirst { obstacles, lines } => {
            // The name and the port are held by one container, removed once.
            assert_eq!(lines[0], "docker rm -f todo-v1");
            assert!(obstacles.iter().all(|o| o.container() == "todo-v1"));
        }
        other => panic!("expected a clean-up first: {other:?}"),
    }
}

#[test]
fn a_forgotten_dash_d_is_diagnosed_as_such_not_as_a_command_that_ended() {
    let (mut run, mut session) = at_step("writable-layer", 1);
    let events = type_line(
        &mut run,
        &mut session,
        "docker run --name f1 alpine sleep 3600",
    );
    let due: Vec<usize> = events
        .iter()
        .filter_map(|e| match e {
            LessonEvent::HintDue { hint, .. } => Some(*hint),
            _ => None,
        })
        .collect();
    let hints = &run.lesson().steps[0].hints;
    assert_eq!(due.len(), 1, "{events:?}");
    let text = hints[due[0]].en.as_str();
    assert!(text.contains("-d"), "{text}");
    assert!(!text.contains("run it again with `sleep 3600`"), "{text}");
    show_me_completes(&mut run, &mut session);
}

#[test]
fn a_wrong_path_is_no_dead_end() {
    // The host note written in the home directory instead of the bind source.
    let (mut run, mut session) = at_step("bind-mounts", 4);
    let events = type_line(
        &mut run,
        &mut session,
        "echo 'from the host' > host-note.txt",
    );
    assert!(!events
        .iter()
        .any(|e| matches!(e, LessonEvent::StepCompleted { .. })));
    assert!(matches!(
        show_me_completes(&mut run, &mut session),
        ShowMe::Solution(_)
    ));
    // A redirection on the host instead of in the container.
    let (mut run, mut session) = at_step("writable-layer", 2);
    type_line(
        &mut run,
        &mut session,
        "docker exec f1 echo hello > /root/note.txt",
    );
    show_me_completes(&mut run, &mut session);
}

#[test]
fn a_state_the_solution_cannot_mend_asks_to_start_the_step_over() {
    // `todo-a` removed with its volume: the item the step needs is gone for good.
    let (mut run, mut session) = at_step("volume-flag-vs-instruction", 2);
    type_line(&mut run, &mut session, "docker rm -f -v todo-a");
    assert!(matches!(run.show_me(&session), ShowMe::StartOver(_)));
}

/// The commands of a text's code blocks.
fn code_lines(text: &str) -> Vec<String> {
    parse(text)
        .into_iter()
        .filter_map(|b| match b {
            Block::Code { text, .. } => Some(text),
            _ => None,
        })
        .flat_map(|code| {
            code.lines()
                .map(str::to_string)
                .filter(|l| !l.trim().is_empty())
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn the_checks_a_lesson_asks_for_bring_no_hint_before_or_after_their_step() {
    for l in course() {
        let (mut run, mut session) = LessonRun::start(l.clone());
        for (i, step) in l.steps.iter().enumerate() {
            let at = format!("{} step {}", l.id, i + 1);
            // The checks: code lines of the explanation, and of the instruction beyond the
            // solution (`docker diff f1` before stopping it).
            let mut checks: Vec<String> = code_lines(step.explanation.en.as_str());
            checks.extend(
                code_lines(step.instruction.en.as_str())
                    .into_iter()
                    .filter(|c| !step.solution.contains(c)),
            );
            let before = session.clone();
            for check in &checks {
                let events = type_line(&mut run, &mut session, check);
                assert!(
                    !events
                        .iter()
                        .any(|e| matches!(e, LessonEvent::HintDue { .. })),
                    "{at}: `{check}` before the step brought a hint: {events:?}"
                );
            }
            assert_eq!(run.step_index(), i, "{at}: a check completed the step");
            assert_eq!(run.wrong_attempts(), 0, "{at}: a check counted as wrong");
            drop(before);
            for line in &step.solution {
                type_line(&mut run, &mut session, line);
            }
            assert_eq!(
                run.step_index(),
                i + 1,
                "{at}: the solution did not complete it"
            );
            for check in &checks {
                let events = type_line(&mut run, &mut session, check);
                assert!(
                    !events
                        .iter()
                        .any(|e| matches!(e, LessonEvent::HintDue { .. })),
                    "{at}: `{check}` after the step brought a hint: {events:?}"
                );
            }
            assert_eq!(run.step_index(), i + 1, "{at}");
        }
        assert!(run.is_complete(), "{}", l.id);
        let fresh = session_at(&l, l.steps.len());
        drop(fresh);
    }
}

#[test]
fn any_item_completes_a_step_that_says_add_an_item() {
    for (id, step, line) in [
        (
            "volumes-in-images",
            2,
            "docker exec todo1 add-todo 'buy bread'",
        ),
        (
            "named-volumes",
            3,
            "docker exec todo-v1 add-todo walk the dog",
        ),
        ("bind-mounts", 3, "docker exec todo-bind add-todo hello"),
    ] {
        let (mut run, mut session) = at_step(id, step);
        let events = type_line(&mut run, &mut session, line);
        assert!(
            events.contains(&LessonEvent::StepCompleted { index: step - 1 }),
            "{id} step {step}: `{line}` did not complete it: {events:?}"
        );
    }
}

#[test]
fn a_tmpfs_cache_is_a_valid_choice_in_the_storage_challenge() {
    let (mut run, mut session) = at_step("choosing-storage", 1);
    type_line(&mut run, &mut session, "docker volume create app-data");
    let events = type_line(
        &mut run,
        &mut session,
        "docker run -d --name app -v app-data:/data -v /mnt/share/config:/app/config:ro -v $(pwd)/uploads:/app/uploads --tmpfs /app/cache diamol/ch06-todo-list",
    );
    assert!(
        events.contains(&LessonEvent::StepCompleted { index: 0 }),
        "{events:?}"
    );
    for line in run.solution_commands().to_vec() {
        type_line(&mut run, &mut session, &line);
    }
    assert_eq!(run.step_index(), 2, "the cache in a tmpfs completes step 2");
}

#[test]
fn the_to_do_apps_commands_are_said_to_be_the_simulators_own_where_a_lesson_uses_them() {
    for l in course() {
        let uses = l
            .steps
            .iter()
            .any(|s| s.solution.iter().any(|c| c.contains("add-todo")));
        if !uses {
            continue;
        }
        let said = |pick: fn(&layerbox_lessons::Step) -> &str, needle: &str| {
            l.steps.iter().any(|s| pick(s).contains(needle))
        };
        assert!(
            said(|s| s.instruction.en.as_str(), "this simulator's"),
            "{}: add-todo is not said to be the simulator's own",
            l.id
        );
        assert!(
            said(|s| s.instruction.ko.as_str(), "이 시뮬레이터"),
            "{}: add-todo is not said to be the simulator's own (ko)",
            l.id
        );
    }
}

#[test]
fn program_output_quoted_in_korean_text_stays_in_the_programs_language() {
    let l = lesson("writable-layer").expect("in the course");
    let ko = l.steps[4].explanation.ko.as_str();
    assert!(
        ko.contains("cat: can't open '/root/note.txt': No such file or directory"),
        "{ko}"
    );
    // And it is what the program prints.
    let mut session = session_at(&l, l.steps.len());
    let r = session.run_line("docker exec f1 cat /root/note.txt");
    assert_eq!(
        r.text(),
        "cat: can't open '/root/note.txt': No such file or directory\n"
    );
}
