//! The worker's protocol and the page's copy of what it ran, tested natively against the
//! timeline run directly.

use super::*;

/// `reply` as the page reads it: through its text and the buffers beside it.
fn wire(reply: &Reply) -> Option<Reply> {
    let (text, buffers) = reply.to_wire();
    Reply::from_wire(&text, &buffers)
}

/// What `replica` answers `request`, as the page reads it.
fn through_wire(replica: &mut Replica, request: &Request) -> Answer {
    let answer = replica.run(request).expect("ran");
    let reply = Reply::Done {
        id: request.id,
        ms: 0.0,
        answer,
    };
    match wire(&reply) {
        Some(Reply::Done { answer, .. }) => answer,
        _ => panic!("no reply"),
    }
}

fn line(s: &str) -> Action {
    Action::Line { line: s.into() }
}

#[test]
fn requests_and_replies_round_trip() {
    let request = Request {
        id: 3,
        start: Start::Lesson {
            id: "named-volumes".into(),
            step: Some(2),
        },
        keep: 4,
        actions: vec![line("ls"), Action::EndOfInput],
        run: vec![Action::Wait { seconds: 2 }, line("echo hi")],
        progress: Some(Progress {
            step: 1,
            wrong_attempts: 2,
            due: vec![0, 2],
            obstacles: vec![
                layerbox_lessons::Obstacle::NameTaken { name: "f1".into() },
                layerbox_lessons::Obstacle::PortTaken {
                    port: 8010,
                    container: "todo1".into(),
                },
            ],
        }),
        base: true,
        plan: true,
    };
    assert_eq!(
        Request::from_json(&request.to_json()),
        Some(request.clone())
    );
    let prime = Request {
        run: Vec::new(),
        ..request
    };
    assert_eq!(Request::from_json(&prime.to_json()), Some(prime));
    let mut replica = Replica::default();
    let answer = replica
        .run(&Request {
            id: 1,
            start: Start::Fresh,
            keep: 0,
            actions: vec![],
            run: vec![line(
                "docker run --name c1 -v data:/data alpine sh -c 'echo hi; ls /nope'",
            )],
            progress: None,
            base: false,
            plan: false,
        })
        .expect("ran");
    for reply in [
        Reply::Ready,
        Reply::Done {
            id: 4,
            ms: 12.5,
            answer,
        },
        Reply::Stale { id: 6 },
        Reply::Crashed {
            id: 5,
            at: 2,
            why: "boom".into(),
        },
    ] {
        assert_eq!(wire(&reply), Some(reply));
    }
    assert_eq!(Request::from_json("{\"id\": -1}"), None);
}

/// The page's side: its timeline grows by the steps put together from the worker's replies.
struct Page {
    timeline: Timeline,
    layers: LayerCache,
    replica: Replica,
}

impl Page {
    fn new() -> Page {
        Page {
            timeline: Timeline::new(),
            layers: LayerCache::default(),
            replica: Replica::default(),
        }
    }

    /// Sends the whole applied timeline (as a fresh worker would get it) and runs `run`.
    fn run(&mut self, run: Vec<Action>) {
        let request = Request {
            id: 1,
            start: Start::Fresh,
            keep: 0,
            actions: self
                .timeline
                .applied()
                .iter()
                .map(|s| s.action.clone())
                .collect(),
            run: run.clone(),
            progress: None,
            base: false,
            plan: false,
        };
        // Through the message's text, as the page reads it.
        let steps = through_wire(&mut self.replica, &request).steps;
        let ran = put_together(self.timeline.current(), run, steps, &mut self.layers)
            .expect("put together");
        for (action, ran) in ran {
            self.timeline.push(action, ran);
        }
    }
}

#[test]
fn the_page_follows_the_worker_without_running_a_line() {
    let mut page = Page::new();
    let mut direct = Timeline::new();
    let lines = [
        "docker volume create va",
        "docker run -d --name c1 -v va:/data alpine sh -c 'while :; do date >> /data/log; sleep 1; done'",
        "mkdir site && echo hello > site/index.html && cd site",
        "docker run --name c2 -v $(pwd):/site alpine sh -c 'echo more >> /site/index.html; rm /etc/motd'",
        "docker commit c2 snap",
        "docker run --name c3 snap cat /site/index.html /etc/motd",
        "echo 'open",
        "quote'",
        "docker exec -it c1 sh",
        "cd /data && ls",
    ];
    for l in lines {
        page.run(vec![line(l)]);
        direct.apply(line(l));
    }
    page.run(vec![Action::Wait { seconds: 3 }, Action::EndOfInput]);
    direct.apply(Action::Wait { seconds: 3 });
    direct.apply(Action::EndOfInput);
    page.run(vec![
        Action::HostWrite {
            path: "/home/user/site/x".into(),
            text: "x\n".into(),
        },
        line("docker rm -f c1 c2 c3 && docker rmi snap && docker volume rm va"),
    ]);
    direct.apply(Action::HostWrite {
        path: "/home/user/site/x".into(),
        text: "x\n".into(),
    });
    direct.apply(line(
        "docker rm -f c1 c2 c3 && docker rmi snap && docker volume rm va",
    ));
    assert_eq!(page.timeline.steps().len(), direct.steps().len());
    for (p, d) in page.timeline.steps().iter().zip(direct.steps()) {
        assert_eq!(p.printed, d.printed, "{:?}", d.action);
        assert_eq!(
            (p.code, &p.changes, &p.prompt),
            (d.code, &d.changes, &d.prompt)
        );
        assert_eq!(p.shown, d.shown, "{:?}", d.action);
        assert_eq!(
            p.after.world().save().ok(),
            d.after.world().save().ok(),
            "{:?}",
            d.action
        );
    }
    // The committed image's lower layers are the page's own alpine layers, shared.
    let at = page
        .timeline
        .steps()
        .iter()
        .position(
            |s| matches!(&s.action, Action::Line { line } if line.starts_with("docker commit")),
        )
        .expect("commit");
    let world = page.timeline.steps()[at].after.world();
    let snap = world.images().find("snap").expect("snap");
    let alpine = world.images().find("alpine").expect("alpine");
    assert!(std::sync::Arc::ptr_eq(&snap.layers[0], &alpine.layers[0]));
    // Ctrl-C at a `> ` prompt brings back the prompt the open command was typed at.
    page.run(vec![line("echo 'again")]);
    assert_eq!(page.timeline.shown().prompt, "> ");
    page.timeline.apply(Action::Interrupt {
        typed: String::new(),
    });
    assert_eq!(page.timeline.shown().prompt, "user@docker-host:~/site$ ");
}

/// A saved session, replayed in the worker in one request as the page restores it
/// (`runner.rs`), makes every step as replaying it directly does.
#[test]
fn a_session_restored_through_the_worker_is_the_direct_replay_step_by_step() {
    let actions: Vec<Action> = [
        "docker volume create va",
        "docker run -d --name c1 -v va:/data alpine sh -c 'while :; do date >> /data/log; sleep 1; done'",
        "docker pull nginx",
        "docker run --name c2 alpine sh -c 'echo more > /f; rm /etc/motd'",
        "docker commit c2 snap",
        "docker run --name c3 snap cat /f",
        "docker tag snap snap:two",
        "docker rmi snap",
        "docker rm -f c2 c3",
        "docker run --name c4 snap:two ls /",
        "docker image prune -af",
        "docker exec -it c1 sh",
        "ls /data",
    ]
    .into_iter()
    .map(line)
    .chain([
        Action::Wait { seconds: 3 },
        Action::EndOfInput,
        Action::HostMkdir {
            path: "/home/user/site".into(),
        },
        line("docker run --rm -v $(pwd)/site:/site alpine touch /site/x"),
        line("docker rm -f c1 && docker volume rm va && docker volume prune -f"),
    ])
    .collect();
    let file = crate::timeline::SessionFile {
        version: crate::timeline::SessionFile::VERSION,
        cursor: actions.len() - 2,
        actions: actions.clone(),
    };
    let mut page = Page::new();
    page.run(actions);
    page.timeline.seek(file.cursor.checked_sub(1));
    let direct = Timeline::replay(Session::new(), &file);
    assert_eq!(page.timeline.cursor(), direct.cursor());
    assert_eq!(page.timeline.steps().len(), direct.steps().len());
    for (p, d) in page.timeline.steps().iter().zip(direct.steps()) {
        assert_eq!((&p.printed, p.code), (&d.printed, d.code), "{:?}", d.action);
        assert_eq!(
            (&p.changes, &p.shown),
            (&d.changes, &d.shown),
            "{:?}",
            d.action
        );
        assert_eq!(
            p.after.world().save().ok(),
            d.after.world().save().ok(),
            "{:?}",
            d.action
        );
    }
    // And a line after it runs as it would have.
    page.timeline.seek(None);
    let mut direct = direct;
    direct.seek(None);
    page.run(vec![line(
        "docker images -q | wc -l; docker ps -aq | wc -l",
    )]);
    let step = direct.apply(line("docker images -q | wc -l; docker ps -aq | wc -l"));
    assert_eq!(page.timeline.steps()[0].printed, step.printed);
}

/// A lesson played through the worker: the page's track, built from the progress the
/// worker sends, is the one the page would have made itself, step by step.
#[test]
fn a_lessons_progress_made_in_the_worker_is_the_pages_own() {
    use crate::lesson_track::LessonTrack;
    let lesson = layerbox_lessons::lesson("volumes-in-images").expect("lesson");
    let start = Start::Lesson {
        id: lesson.id.clone(),
        step: None,
    };
    let (run, session) = layerbox_lessons::LessonRun::start(lesson.clone());
    let mut direct = LessonTrack::from_run(run.clone());
    let mut direct_t = Timeline::from_session(session.clone());
    let mut page = LessonTrack::from_run(run);
    let mut page_t = Timeline::from_session(session);
    let mut replica = Replica::default();
    let mut layers = LayerCache::default();
    let mut lines: Vec<String> = vec![
        "docker run -d --name todo2 -p 8010:80 alpine sleep 1d".into(),
        "docker volume ls".into(),
        "docker rm -f todo2".into(),
    ];
    lines.extend(lesson.steps.iter().flat_map(|s| s.solution.clone()));
    for l in &lines {
        let request = Request {
            id: 1,
            start: start.clone(),
            keep: 0,
            actions: page_t.applied().iter().map(|s| s.action.clone()).collect(),
            run: vec![line(l)],
            progress: Some(page.progress_at(page_t.cursor())),
            base: false,
            plan: false,
        };
        let request = Request::from_json(&request.to_json()).expect("request");
        let answer = through_wire(&mut replica, &request);
        let mut steps = answer.steps;
        let (progress, events) = steps[0].lesson.take().expect("progress");
        let ran = put_together(page_t.current(), vec![line(l)], steps, &mut layers)
            .expect("put together");
        for (action, ran) in ran {
            let before = page_t.cursor();
            page_t.push(action, ran);
            page.took(before, progress.clone());
        }
        let before = direct_t.cursor();
        let step = direct_t.apply(line(l)).clone();
        let want = direct.applied(before, &step);
        assert_eq!(events, want, "{l}");
        assert_eq!(
            page.progress_at(page_t.cursor()),
            direct.progress_at(direct_t.cursor()),
            "{l}"
        );
    }
    assert!(page.at(page_t.cursor()).is_complete());
    // Undo moves the page's lesson back as it moves the direct one.
    for cursor in 0..=page_t.cursor() {
        assert_eq!(page.progress_at(cursor), direct.progress_at(cursor));
    }
}

#[test]
fn a_long_output_reaches_the_page_as_its_head_and_tail() {
    // 3 lines of 64 KiB and a last one: 192 KiB printed.
    let l = "x=aaaaaaaaaaaaaaaa; for i in 1 2 3 4 5 6 7 8 9 10 11 12; do x=$x$x; done; \
             for i in 1 2 3; do echo $x; done; echo end";
    let mut replica = Replica::default();
    let sent = replica
        .run(&Request {
            id: 1,
            start: Start::Fresh,
            keep: 0,
            actions: vec![],
            run: vec![line(l)],
            progress: None,
            base: false,
            plan: false,
        })
        .expect("ran");
    let (reply, buffers) = Reply::Done {
        id: 1,
        ms: 0.0,
        answer: sent,
    }
    .to_wire();
    assert!(reply.len() < 3 * crate::output::KEEP, "{}", reply.len());
    let Some(Reply::Done { answer, .. }) = Reply::from_wire(&reply, &buffers) else {
        panic!("no reply")
    };
    let steps = answer.steps;
    let mut page = Timeline::new();
    let ran = put_together(
        page.current(),
        vec![line(l)],
        steps,
        &mut LayerCache::default(),
    )
    .expect("put together");
    for (action, ran) in ran {
        page.push(action, ran);
    }
    let mut direct = Timeline::new();
    direct.apply(line(l));
    let (p, d) = (&page.steps()[0], &direct.steps()[0]);
    assert_eq!(p.printed, d.printed);
    assert_eq!(p.omitted, d.omitted);
    let omitted = d.omitted.expect("cut");
    // The line ends after the first two lines; the third ends in the tail.
    assert_eq!(omitted.lines, 2);
    let tail: String = d.printed[omitted.at..]
        .iter()
        .map(|p| p.text.as_str())
        .collect();
    assert!(tail.ends_with("\nend\n"), "{}", &tail[tail.len() - 20..]);
}

#[test]
fn the_replica_follows_the_pages_timeline_and_its_undo() {
    let mut replica = Replica::default();
    let request = |keep: usize, actions: Vec<Action>, l: &str| Request {
        id: 1,
        start: Start::Fresh,
        keep,
        actions,
        run: vec![line(l)],
        progress: None,
        base: false,
        plan: false,
    };
    assert!(replica
        .run(&request(0, vec![], "docker volume create va"))
        .is_some());
    // The page applied the line too; the worker keeps nothing of its own run of it.
    assert!(replica
        .run(&request(
            0,
            vec![line("docker volume create va")],
            "docker volume create vb",
        ))
        .is_some());
    let session = |r: &Replica| r.at.as_ref().expect("ran").1.current().clone();
    assert!(session(&replica).world().volumes().get("vb").is_ok());
    // Only the new step is sent: the first one is kept.
    assert!(replica
        .run(&request(
            1,
            vec![line("docker volume create vb")],
            "docker volume create vd",
        ))
        .is_some());
    let now = session(&replica);
    assert!(now.world().volumes().get("vb").is_ok());
    assert!(now.world().volumes().get("vd").is_ok());
    // The page undid both lines and typed another.
    assert!(replica
        .run(&request(0, vec![], "docker volume create vc"))
        .is_some());
    let now = session(&replica);
    assert!(now.world().volumes().get("va").is_err());
    assert!(now.world().volumes().get("vc").is_ok());
    // A copy that lacks what the page thinks it holds says so and runs nothing.
    assert!(replica
        .run(&request(5, vec![], "docker volume create ve"))
        .is_none());
}

/// A lesson's start that runs lines is made in the worker only: the page puts it together from
/// its own fresh host and the parts sent, and it is the start the lesson makes, on which the
/// next line the worker runs is put together as the direct run makes it.
#[test]
fn a_lessons_start_reaches_the_page_as_parts_of_a_fresh_host() {
    for (id, step) in [
        ("named-volumes", None),
        ("choosing-storage", None),
        ("bind-mount-limits", Some(2)),
    ] {
        let start = Start::Lesson {
            id: id.into(),
            step,
        };
        assert!(!start.runs_nothing(), "{id}");
        let run = start.lesson_run().expect("a lesson");
        let mut replica = Replica::default();
        let request = Request {
            id: 1,
            start: start.clone(),
            keep: 0,
            actions: vec![],
            run: vec![line("docker volume create more; cd /tmp; ls -a")],
            progress: Some(run.progress()),
            base: true,
            plan: false,
        };
        let answer = through_wire(&mut replica, &request);
        let mut layers = LayerCache::default();
        let fresh = Timeline::new();
        let sent = answer.start.as_ref().expect("the start");
        let page_start = session_after(fresh.start(), sent, &mut layers).expect("start");
        let direct = Timeline::from_session(start.session());
        assert_eq!(
            page_start.world().save().ok(),
            direct.start().world().save().ok(),
            "{id}"
        );
        assert_eq!(Shown::of(&page_start), direct.shown(), "{id}");
        let mut page = Timeline::from_session(page_start);
        let ran = put_together(
            page.current(),
            request.run.clone(),
            answer.steps,
            &mut layers,
        )
        .expect("put together");
        for (action, ran) in ran {
            page.push(action, ran);
        }
        let mut direct = direct;
        let step = direct.apply(request.run[0].clone()).clone();
        let got = &page.steps()[0];
        assert_eq!((&got.printed, &got.shown), (&step.printed, &step.shown));
        assert_eq!(
            got.after.world().save().ok(),
            step.after.world().save().ok(),
            "{id}"
        );
        // A start the page makes itself is not asked for.
        assert!(Start::Fresh.runs_nothing());
        assert!(Start::Lesson {
            id: "writable-layer".into(),
            step: None
        }
        .runs_nothing());
    }
}

/// "show me" asks the worker, which tries the solution on copies of its own session: it
/// answers as the lesson does from the same state.
#[test]
fn show_me_is_found_in_the_worker() {
    let lesson = layerbox_lessons::lesson("volumes-in-images").expect("lesson");
    let start = Start::Lesson {
        id: lesson.id.clone(),
        step: None,
    };
    let (run, session) = layerbox_lessons::LessonRun::start(lesson.clone());
    // A container holds the name and port the solution asks for.
    let typed = vec![line(
        "docker run -d --name todo1 -p 8010:80 alpine sleep 1d",
    )];
    let mut direct = Timeline::from_session(session);
    for action in &typed {
        direct.apply(action.clone());
    }
    let want = run.show_me(direct.current());
    assert!(
        matches!(want, layerbox_lessons::ShowMe::CleanUpFirst { .. }),
        "{want:?}"
    );
    let mut replica = Replica::default();
    let request = Request {
        id: 1,
        start,
        keep: 0,
        actions: typed,
        run: vec![],
        progress: Some(run.progress()),
        base: false,
        plan: true,
    };
    let answer = through_wire(&mut replica, &request);
    assert_eq!(answer.plan, Some(want));
    assert!(answer.steps.is_empty() && answer.start.is_none());
}

/// A large file reaches the page once, as its bytes beside the reply's text, not inside it:
/// the text stays small however large the file, and the page's copy of the world holds it.
#[test]
fn a_large_files_bytes_go_beside_the_text() {
    let l =
        "x=abcdefghijklmnop; for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do x=$x$x; done; \
             echo $x > big; wc -c big";
    let mut page = Page::new();
    let request = Request {
        id: 1,
        start: Start::Fresh,
        keep: 0,
        actions: vec![],
        run: vec![line(l)],
        progress: None,
        base: false,
        plan: false,
    };
    let answer = page.replica.run(&request).expect("ran");
    let (text, buffers) = Reply::Done {
        id: 1,
        ms: 0.0,
        answer,
    }
    .to_wire();
    // 16 << 16 bytes and a newline, sent once beside a text of under 64 KiB.
    assert_eq!(
        buffers.iter().map(|b| b.len()).collect::<Vec<_>>(),
        [(16 << 16) + 1]
    );
    assert!(text.len() < 64 << 10, "{}", text.len());
    let Some(Reply::Done { answer, .. }) = Reply::from_wire(&text, &buffers) else {
        panic!("no reply")
    };
    let ran = put_together(
        page.timeline.current(),
        vec![line(l)],
        answer.steps,
        &mut page.layers,
    )
    .expect("put together");
    for (action, ran) in ran {
        page.timeline.push(action, ran);
    }
    let mut direct = Timeline::new();
    direct.apply(line(l));
    assert_eq!(
        page.timeline.current().world().save().ok(),
        direct.current().world().save().ok()
    );
    // A reply whose text names a buffer it was not given is refused, not read as empty.
    assert_eq!(Reply::from_wire(&text, &[]), None);
}

/// The file of lesson starts the site is built with (`bin/lesson_starts.rs`) holds each start
/// as plain JSON, which the page reads back into the start the worker would have sent.
#[test]
fn a_lessons_start_written_to_a_file_reads_back_as_the_same_start() {
    let start = Start::Lesson {
        id: "named-volumes".into(),
        step: None,
    };
    let sent = start_sent(&start);
    let value = sent.to_plain_value().expect("no large file");
    let file = serde_json::json!({ "named-volumes": value }).to_string();
    let read = crate::lesson_starts::start_of(&file, "named-volumes").expect("read");
    assert_eq!(read, sent);
    let fresh = Timeline::new();
    let page = session_after(fresh.start(), &read, &mut LayerCache::default()).expect("start");
    assert_eq!(
        page.world().save().ok(),
        start.session().world().save().ok()
    );
    assert_eq!(crate::lesson_starts::start_of(&file, "bind-mounts"), None);
}
