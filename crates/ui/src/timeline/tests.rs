//! The timeline's steps, undo and redo, session files and sizes, tested natively.

use super::*;

fn line(s: &str) -> Action {
    Action::Line { line: s.into() }
}

#[test]
fn undo_shows_the_state_before_and_redo_brings_it_back() {
    let mut t = Timeline::new();
    t.apply(line("docker volume create data"));
    assert!(t.current().world().volumes().get("data").is_ok());
    t.undo();
    assert!(t.current().world().volumes().get("data").is_err());
    t.redo();
    assert!(t.current().world().volumes().get("data").is_ok());
}

#[test]
fn typing_after_undo_drops_the_redo_future() {
    let mut t = Timeline::new();
    t.apply(line("docker volume create a"));
    t.apply(line("docker volume create b"));
    t.undo();
    t.apply(line("docker volume create c"));
    assert_eq!(t.steps().len(), 2);
    assert!(!t.can_redo());
    assert!(t.current().world().volumes().get("b").is_err());
}

#[test]
fn a_saved_file_replays_to_the_same_state_and_cursor() {
    let mut t = Timeline::new();
    t.apply(line(
        "docker run --name c1 -v data:/data alpine touch /data/x",
    ));
    t.apply(Action::HostWrite {
        path: "/home/user/note.txt".into(),
        text: "hello\n".into(),
    });
    t.apply(line("cat note.txt"));
    t.undo();
    let file = SessionFile::from_json(&t.file().to_json()).expect("valid");
    let back = Timeline::replay(Session::new(), &file);
    assert_eq!(back.cursor(), 2);
    assert_eq!(back.steps().len(), 3);
    assert_eq!(back.steps()[2].printed[0].text, "hello\n");
    assert_eq!(
        back.current().world().save().ok(),
        t.current().world().save().ok()
    );
}

#[test]
fn the_kept_file_text_writes_what_the_whole_file_would() {
    let mut t = Timeline::new();
    let mut kept = FileText::default();
    assert_eq!(t.file_json(&mut kept), t.file().to_json());
    for l in ["docker volume create a", "echo \"hi\" > f", "ls"] {
        t.apply(line(l));
        assert_eq!(t.file_json(&mut kept), t.file().to_json());
    }
    t.undo();
    assert_eq!(t.file_json(&mut kept), t.file().to_json());
    t.undo();
    t.apply(line("true"));
    assert_eq!(t.file_json(&mut kept), t.file().to_json());
    t = Timeline::new();
    t.apply(line("pwd"));
    assert_eq!(t.file_json(&mut kept), t.file().to_json());
}

#[test]
fn the_room_check_counts_the_files_bytes_as_writing_it_would() {
    let mut t = Timeline::new();
    let actions = [
        line("docker volume create data"),
        Action::HostWrite {
            path: "/home/user/n\"ote".into(),
            text: "héllo\n\t".into(),
        },
        Action::Wait { seconds: 3 },
        line("true"),
    ];
    for (i, action) in actions.iter().enumerate() {
        t.apply(action.clone());
        let file = t.file();
        assert_eq!(
            SessionFile::json_bytes(t.steps()[i].file_bytes, i + 1),
            file.to_json().len(),
            "{}",
            file.to_json()
        );
    }
    t.undo();
    t.undo();
    let mut file = t.file();
    file.actions.truncate(2);
    file.actions.push(line("ls"));
    file.cursor = 3;
    assert_eq!(
        SessionFile::json_bytes(t.file_bytes_with(&line("ls")), 3),
        file.to_json().len()
    );
}

#[test]
fn the_views_find_the_latest_change_and_visit_without_walking_every_step() {
    let mut t = Timeline::new();
    t.apply(line("docker run --name c1 alpine touch /a"));
    t.apply(line("true"));
    t.apply(Action::Browse {
        port: 8010,
        path: "/".into(),
    });
    t.apply(line("docker run --name c2 alpine touch /b"));
    t.apply(line("true"));
    assert!(t.steps()[1].changes.is_empty() && !t.steps()[3].changes.is_empty());
    let changed: Vec<usize> = t
        .changed_steps()
        .map(|s| t.steps().iter().position(|x| x.id == s.id).unwrap())
        .collect();
    assert_eq!(changed, [3, 0]);
    assert!(matches!(
        t.last_browse().map(|s| &s.action),
        Some(Action::Browse { .. })
    ));
    t.seek(Some(1));
    assert_eq!(t.changed_steps().count(), 1);
    assert!(t.last_browse().is_none());
}

#[test]
fn a_share_link_round_trips_and_is_compressed() {
    let mut t = Timeline::new();
    for i in 0..20 {
        t.apply(line(&format!("docker volume create volume-number-{i}")));
    }
    let file = t.file();
    let link = file.to_link().expect("short enough");
    assert!(link.len() < file.to_json().len() / 3, "{}", link.len());
    assert_eq!(SessionFile::from_link(&link), Ok(file));
}

#[test]
fn bad_files_are_refused_with_a_reason() {
    assert!(matches!(
        SessionFile::from_json("not json"),
        Err(LoadError::Malformed(_))
    ));
    assert_eq!(
        SessionFile::from_json(r#"{"version": 99, "actions": [], "cursor": 0}"#),
        Err(LoadError::Version(99))
    );
    assert!(matches!(
        SessionFile::from_json(r#"{"version": 1, "actions": [], "cursor": 3}"#),
        Err(LoadError::Malformed(_))
    ));
    assert!(matches!(
        SessionFile::from_json(r#"{"version": 1, "actions": [{"kind": "rm-rf"}], "cursor": 0}"#),
        Err(LoadError::Malformed(_))
    ));
    assert_eq!(SessionFile::from_link("%%%"), Err(LoadError::BadLink));
}

#[test]
fn a_replayed_wait_lets_a_detached_loop_run_on() {
    let file = SessionFile {
        version: SessionFile::VERSION,
        actions: vec![
            line("docker run -d --name tick alpine sh -c 'while :; do echo tick; sleep 1; done'"),
            Action::Wait { seconds: 4 },
            line("docker logs tick"),
        ],
        cursor: 3,
    };
    let t = Timeline::replay(
        Session::new(),
        &SessionFile::from_json(&file.to_json()).unwrap(),
    );
    let printed: String = t.applied()[2]
        .printed
        .iter()
        .map(|p| p.text.clone())
        .collect();
    assert_eq!(printed, "tick\ntick\ntick\ntick\ntick\n");
}

#[test]
fn every_kind_of_action_round_trips_through_a_file() {
    let actions = vec![
        line("ls"),
        Action::Interrupt {
            typed: "cat".into(),
        },
        Action::EndOfInput,
        Action::Browse {
            port: 8010,
            path: "/".into(),
        },
        Action::HostWrite {
            path: "/home/user/a".into(),
            text: "x\n".into(),
        },
        Action::HostMkdir {
            path: "/home/user/d".into(),
        },
        Action::HostRemove {
            path: "/home/user/d".into(),
        },
        Action::Wait { seconds: 12 },
    ];
    let file = SessionFile {
        version: SessionFile::VERSION,
        cursor: actions.len(),
        actions,
    };
    assert_eq!(SessionFile::from_json(&file.to_json()), Ok(file));
}

#[test]
fn a_refused_file_says_what_is_wrong_in_serdes_words() {
    let reason = |text: &str| match SessionFile::from_json(text) {
        Err(LoadError::Malformed(why)) => why,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        reason(r#"{"version": 1, "actions": [{"kind": "rm-rf"}], "cursor": 0}"#),
        "unknown variant `rm-rf`, expected one of `line`, `interrupt`, `end-of-input`, \
         `browse`, `host-write`, `host-mkdir`, `host-remove`, `wait`"
    );
    assert_eq!(
        reason(r#"{"version": 1, "actions": [{"kind": "line"}], "cursor": 0}"#),
        "missing field `line`"
    );
    assert_eq!(
        reason(
            r#"{"version": 1, "actions": [{"kind": "browse", "port": 70000, "path": "/"}], "cursor": 0}"#
        ),
        "invalid value: integer `70000`, expected u16"
    );
    assert_eq!(
        reason(r#"{"version": 1, "actions": "ls", "cursor": 0}"#),
        "invalid type: string \"ls\", expected a sequence"
    );
    assert_eq!(
        reason(r#"{"version": 1, "actions": [], "cursor": 0, "extra": true}"#),
        "unknown field `extra`, expected one of `version`, `actions`, `cursor`"
    );
}

#[test]
fn an_interactive_container_shell_changes_the_prompt_until_exit() {
    let mut t = Timeline::new();
    t.apply(line("docker run -d --name c1 alpine sleep 1d"));
    t.apply(line("docker exec -it c1 sh"));
    assert_eq!(t.current().prompt(), "/ # ");
    let step = t.apply(line("echo hi > /tmp/x; cat /tmp/x"));
    assert_eq!(step.prompt, "/ # ");
    t.apply(Action::EndOfInput);
    assert_eq!(t.current().prompt(), "user@docker-host:~$ ");
    t.undo();
    assert_eq!(t.current().prompt(), "/ # ");
}

#[test]
fn the_browser_reaches_the_todo_app_on_its_published_port() {
    let mut t = Timeline::new();
    t.apply(line(
        "docker run -d --name todo1 -p 8010:80 -v todo-list:/data diamol/ch06-todo-list",
    ));
    let add = t.apply(Action::Browse {
        port: 8010,
        path: "/cgi-bin/add.cgi?item=buy%20milk".into(),
    });
    assert_eq!(add.code, 0, "{:?}", add.printed);
    let page = t.apply(Action::Browse {
        port: 8010,
        path: "/".into(),
    });
    assert!(
        page.printed[0].text.contains("<li>buy milk</li>"),
        "{:?}",
        page.printed
    );
    let closed = t.apply(Action::Browse {
        port: 8011,
        path: "/".into(),
    });
    assert_eq!(closed.code, 7);
}

#[test]
fn a_host_edit_is_seen_by_a_container_bind_mounting_it() {
    let mut t = Timeline::new();
    t.apply(Action::HostMkdir {
        path: "/home/user/site".into(),
    });
    t.apply(Action::HostWrite {
        path: "/home/user/site/index.html".into(),
        text: "<h1>hi</h1>\n".into(),
    });
    let step = t.apply(line(
        "docker run --rm -v /home/user/site:/site alpine cat /site/index.html",
    ));
    assert_eq!(step.code, 0);
    assert_eq!(step.printed[0].text, "<h1>hi</h1>\n");
}
