//! End-to-end test of the built site: serve `dist/` under a sub-path, drive it in headless
//! Chromium, assert what the page shows, and save screenshots.
//!
//! Usage: e2e DIST_DIR OUT_DIR (chromedriver and chromium from $CHROMEDRIVER and $CHROMIUM).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, ensure, Context, Result};
use layerbox_acceptance::static_server::StaticServer;
use layerbox_acceptance::webdriver::Browser;
use serde_json::json;

const WAIT: Duration = Duration::from_secs(20);

fn main() -> ExitCode {
    match run() {
        Ok(()) => {
            println!("e2e: every check passed");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("e2e: FAILED: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(dist), Some(out)) = (args.next(), args.next()) else {
        bail!("usage: e2e DIST_DIR OUT_DIR");
    };
    let (dist, out) = (PathBuf::from(dist), PathBuf::from(out));
    ensure!(
        dist.join("index.html").is_file(),
        "{} has no index.html: build the site first",
        dist.display()
    );
    let chromedriver =
        std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());

    // A sub-path proves the site's asset URLs are relative.
    let server = StaticServer::start(&dist, "/some/sub/path/")?;
    let browser = Browser::start(&chromedriver, &chromium, 1280, 900)?;

    check("the playground renders in English under a sub-path", || {
        browser.goto(&server.url("?lang=en"))?;
        browser.wait_for_text(
            "[data-testid=tagline]",
            "Docker's storage model, in your browser",
            WAIT,
        )?;
        let kinds = browser.eval(
            "return document.querySelectorAll('.legend li').length",
            json!([]),
        )?;
        ensure!(
            kinds == json!(8),
            "the legend shows {kinds} kinds of storage, expected 8"
        );
        let lang = browser.eval("return document.documentElement.lang", json!([]))?;
        ensure!(lang == json!("en"), "html lang is {lang}");
        screenshot(&browser, &out, "playground-en.png")
    })?;

    check(
        "no request left 127.0.0.1 and every asset was found",
        || {
            let origin = format!("http://127.0.0.1:{}", server.port);
            let urls = browser.eval(
            "return performance.getEntriesByType('resource').map(e => e.name).concat([location.href])",
            json!([]),
        )?;
            let urls: Vec<String> = urls
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|u| u.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            ensure!(
                urls.len() >= 3,
                "expected the page, its script and its wasm, saw {urls:?}"
            );
            for u in &urls {
                ensure!(
                    u.starts_with(&origin),
                    "the page requested {u}, outside {origin}"
                );
            }
            let missing: Vec<_> = server
                .log()
                .into_iter()
                .filter(|l| l.status != 200)
                .collect();
            ensure!(missing.is_empty(), "requests that failed: {missing:?}");
            let wasm = server.log().iter().any(|l| l.path.ends_with(".wasm"));
            ensure!(wasm, "the WebAssembly module was never fetched");
            Ok(())
        },
    )?;

    check(
        "Docker's help and BusyBox's usage texts load after the terminal is usable and answer lines",
        || {
            browser.goto(&server.url("?lang=en"))?;
            browser.eval("localStorage.clear(); return true", json!([]))?;
            browser.goto(&server.url("?lang=en"))?;
            type_line(&browser, "docker volume --help")?;
            browser.wait_for_contains(
                "[data-testid=terminal-output]",
                "Usage:  docker volume COMMAND",
                WAIT,
            )?;
            type_line(&browser, "docker run --rm alpine seq")?;
            browser.wait_for_contains("[data-testid=terminal-output]", "Usage: seq", WAIT)?;
            // The page asked for each text only after it marked the terminal usable.
            let late = browser.eval(
                "const ready = performance.getEntriesByName('layerbox-ready')[0].startTime; \
                 return performance.getEntriesByType('resource') \
                   .filter(e => e.initiatorType === 'xmlhttprequest' && e.name.endsWith('.txt')) \
                   .map(e => e.startTime >= ready)",
                json!([]),
            )?;
            ensure!(
                late == json!([true, true]),
                "the two texts' requests, each after the terminal was usable: {late}"
            );
            for text in ["help-", "busybox_usage-"] {
                ensure!(
                    server
                        .log()
                        .iter()
                        .any(|l| l.path.contains(text) && l.status == 200),
                    "{text}*.txt was never served"
                );
            }
            // A reload replays the saved session before the texts load in the background: the
            // replayed lines wait for them (here the texts load before the terminal is usable).
            browser.goto(&server.url("?lang=en"))?;
            let term = browser.wait_for_contains(
                "[data-testid=terminal-output]",
                "Usage:  docker volume COMMAND",
                WAIT,
            )?;
            ensure!(
                term.contains("Usage: seq") && !term.contains("could not be loaded"),
                "after a reload the terminal shows {term}"
            );
            Ok(())
        },
    )?;

    check("the language switch turns the page Korean", || {
        let switch = browser.wait_for("[data-testid=lang-switch]", WAIT)?;
        browser.click(&switch)?;
        browser.wait_for_text(
            "[data-testid=tagline]",
            "브라우저에서 살펴보는 도커 스토리지",
            WAIT,
        )?;
        let lang = browser.eval("return document.documentElement.lang", json!([]))?;
        ensure!(lang == json!("ko"), "html lang is {lang} after switching");
        screenshot(&browser, &out, "playground-ko.png")
    })?;

    check(
        "a session from the chapter: volume, run -v, diff, rm, run again, undo, reload",
        || {
            browser.set_window_size(1400, 1000)?;
            browser.goto(&server.url("?lang=en"))?;
            browser.eval("localStorage.clear(); return true", json!([]))?;
            browser.goto(&server.url("?lang=en"))?;
            let lines = [
                "docker volume create todo-list",
                "docker run -d --name todo1 -v todo-list:/data diamol/ch06-todo-list",
                "docker exec todo1 add-todo 'buy milk'",
                "docker diff todo1",
                "docker rm -f todo1",
                "docker run -d --name todo2 -v todo-list:/data diamol/ch06-todo-list",
                "docker exec todo2 cat /data/todo-list.db",
            ];
            for line in lines {
                type_line(&browser, line)?;
            }
            let term = browser.wait_for_contains(
                "[data-testid=terminal-output]",
                "todo-list.db\nbuy milk",
                WAIT,
            )?;
            ensure!(
                !term.contains("C /data"),
                "docker diff listed volume content: {term}"
            );
            ensure!(
                term.contains("todo1\n"),
                "docker rm -f todo1 printed nothing: {term}"
            );
            // The views: the volume survived the rm and is used by todo2 now. With a container
            // the diagram is shown first; the storage map is a tab away.
            click(&browser, "[data-testid=tab-storage-map]")?;
            let map =
                browser.wait_for_contains("[data-testid=storage-map]", "volume todo-list", WAIT)?;
            ensure!(map.contains("data/"), "storage map: {map}");
            click(&browser, "[data-testid=tab-volume-list]")?;
            let volumes =
                browser.wait_for_contains("[data-testid=volume-list]", "todo2 → /data", WAIT)?;
            ensure!(
                !volumes.contains("todo1"),
                "todo1 still uses the volume: {volumes}"
            );
            let mounts = browser.wait_for_contains("[data-testid=mount-table]", "/data", WAIT)?;
            ensure!(mounts.contains("todo-list"), "mount table: {mounts}");
            click(&browser, "[data-testid=tab-layer-stack]")?;
            browser.wait_for_contains(
                "[data-testid=layer-stack]",
                "writable layer of todo2",
                WAIT,
            )?;
            screenshot(&browser, &out, "session-en.png")?;
            // Undo the last command: its output leaves the terminal; the timeline keeps it.
            click(&browser, "[data-testid=undo]")?;
            let text = browser.wait_for("[data-testid=terminal-output]", WAIT)?;
            let after = browser.text(&text)?;
            ensure!(
                !after.contains("todo-list.db\nbuy milk"),
                "undo left the output: {after}"
            );
            let timeline = browser.wait_for_contains(
                "[data-testid=timeline]",
                "cat /data/todo-list.db",
                WAIT,
            )?;
            ensure!(
                timeline.contains("docker volume create todo-list"),
                "{timeline}"
            );
            // Reload: the session is restored as it was, undo included.
            browser.goto(&server.url("?lang=en"))?;
            let restored = browser.wait_for_contains(
                "[data-testid=terminal-output]",
                "docker run -d --name todo2",
                WAIT,
            )?;
            ensure!(
                !restored.contains("todo-list.db\nbuy milk"),
                "reload redid the undone step: {restored}"
            );
            click(&browser, "[data-testid=redo]")?;
            browser.wait_for_contains(
                "[data-testid=terminal-output]",
                "todo-list.db\nbuy milk",
                WAIT,
            )?;
            // Korean: the explanation of the last command in Korean, Docker's output as it is.
            click(&browser, "[data-testid=lang-switch]")?;
            type_line(
                &browser,
                "docker run --name t1 alpine sh -c 'echo hi >> /etc/motd'",
            )?;
            browser.wait_for_contains("[data-testid=explain-panel]", "복사", WAIT)?;
            screenshot(&browser, &out, "session-ko.png")
        },
    )?;

    check(
        "the tutorial page: a step solved in one widget moves only that widget",
        || {
            browser.set_window_size(1000, 1400)?;
            browser.goto(&server.url("tutorial.html?lang=en"))?;
            // Every widget announces itself; embed.js records the last event on its element.
            for id in ["w1", "w2"] {
                wait_attr(&browser, id, "ready")?;
            }
            let frame = browser.wait_for("#w1 iframe", WAIT)?;
            browser.switch_to_frame(&frame)?;
            browser.wait_for_contains("[data-testid=lesson-status]", "Step 1 of", WAIT)?;
            click(&browser, "[data-testid=lesson-show-me]")?;
            browser.wait_for_contains("[data-testid=lesson-status]", "Step 2 of", WAIT)?;
            browser.wait_for("[data-testid=lesson-success]", WAIT)?;
            browser.switch_to_top()?;
            wait_attr(&browser, "w1", "step-completed:1")?;
            let other = browser.eval(
                "return document.getElementById('w2').getAttribute('data-layerbox-last')",
                json!([]),
            )?;
            ensure!(other == json!("ready"), "the second widget moved: {other}");
            let progress = browser.wait_for_contains("#progress-w1", "Steps done: 1", WAIT)?;
            ensure!(!progress.is_empty(), "no progress line");
            // The embedder may command its widget: reset takes it back to step 1.
            browser.eval(
                "document.getElementById('w1').layerbox.reset(); return true",
                json!([]),
            )?;
            let frame = browser.wait_for("#w1 iframe", WAIT)?;
            browser.switch_to_frame(&frame)?;
            browser.wait_for_contains("[data-testid=lesson-status]", "Step 1 of", WAIT)?;
            browser.switch_to_top()?;
            screenshot(&browser, &out, "tutorial-en.png")
        },
    )?;

    check(
        "a long line shows that it runs, the page answers meanwhile, and Stop ends it with ^C",
        || {
            browser.set_window_size(1280, 900)?;
            browser.goto(&server.url("?lang=en"))?;
            // The page saves its session when the browser is next idle: let that save happen
            // before clearing, so the fresh page starts empty.
            std::thread::sleep(Duration::from_millis(800));
            browser.eval("localStorage.clear(); return true", json!([]))?;
            browser.goto(&server.url("?lang=en"))?;
            type_line(&browser, "docker volume create before-the-line")?;
            browser.wait_for_contains(
                "[data-testid=terminal-output]",
                "before-the-line\n",
                WAIT,
            )?;
            // Each pass lists every file of the image; the budget counts the loop, not the
            // listing, so the line runs for many seconds.
            type_line(
                &browser,
                "docker run --rm alpine sh -c 'while :; do ls -R / > /dev/null; done'",
            )?;
            browser.wait_for_contains("[data-testid=running]", "docker run --rm alpine", WAIT)?;
            // The line runs in the worker, on the worker's own module (the page's holds no
            // code that runs lines): it was fetched, under its hashed name.
            let log = server.log();
            ensure!(
                log.iter().any(|l| {
                    let name = l.path.rsplit('/').next().unwrap_or_default();
                    name.starts_with("layerbox-worker-") && name.ends_with("_bg.wasm")
                }),
                "the worker's module (layerbox-worker-HASH_bg.wasm) was never fetched: {log:?}"
            );
            // The page's thread is free: a script runs at once and the input takes keys.
            let began = std::time::Instant::now();
            browser.eval("return document.title", json!([]))?;
            let took = began.elapsed();
            ensure!(
                took < Duration::from_millis(500),
                "a script waited {took:?} while the line ran"
            );
            screenshot(&browser, &out, "running-en.png")?;
            click(&browser, "[data-testid=stop]")?;
            let term = browser.wait_for_contains("[data-testid=terminal-output]", "^C", WAIT)?;
            ensure!(
                term.contains("ls -R / > /dev/null; done'^C"),
                "no ^C after the stopped line: {term}"
            );
            // The session is as it was before the line, and it still runs lines.
            type_line(&browser, "docker volume ls -q; docker ps -aq | wc -l")?;
            browser.wait_for_contains(
                "[data-testid=terminal-output]",
                "before-the-line\n0",
                WAIT,
            )?;
            // Ctrl-C stops a running line too.
            type_line(
                &browser,
                "docker run --rm alpine sh -c 'while :; do ls -R / > /dev/null; done'",
            )?;
            browser.wait_for("[data-testid=running]", WAIT)?;
            let input = browser.wait_for("[data-testid=terminal-input]", WAIT)?;
            browser.send_keys(&input, "\u{E009}c\u{E000}")?;
            let term = browser.wait_for("[data-testid=terminal-output]", WAIT)?;
            let deadline = std::time::Instant::now() + WAIT;
            while browser.text(&term)?.matches("^C").count() < 2 {
                ensure!(
                    std::time::Instant::now() < deadline,
                    "Ctrl-C did not stop the line"
                );
                std::thread::sleep(Duration::from_millis(50));
            }
            screenshot(&browser, &out, "stopped-en.png")
        },
    )?;

    check(
        "a long output shows its head and tail, and says how much was left out",
        || {
            type_line(&browser, "seq 1 20000")?;
            let term = browser.wait_for_contains(
                "[data-testid=terminal-output]",
                "\n19999\n20000",
                WAIT,
            )?;
            ensure!(term.contains("\n1\n2\n3\n"), "no head: {}", &term[..200]);
            let note = browser.text(&browser.wait_for("[data-testid=output-omitted]", WAIT)?)?;
            ensure!(
                note.contains("lines") && note.contains("not shown"),
                "the note: {note}"
            );
            ensure!(
                !term.contains("\n10000\n"),
                "the middle of the output is drawn"
            );
            browser.eval(
                "document.querySelector('[data-testid=output-omitted]').scrollIntoView({block: 'center'}); return true",
                json!([]),
            )?;
            screenshot(&browser, &out, "long-output-en.png")
        },
    )?;

    check(
        "a session near its storage limit says so in the page's language, and not once freed",
        || {
            browser.goto(&server.url("?lang=ko"))?;
            std::thread::sleep(Duration::from_millis(800));
            browser.eval("localStorage.clear(); return true", json!([]))?;
            browser.goto(&server.url("?lang=ko"))?;
            // 8 files of 15 MB: 120 MB of the session's 128 MiB (df rounds up to 90%, the notice says 89%). A line may write 16 MiB;
            // a copy stores its bytes again.
            type_line(&browser, "head -c 15000000 /dev/zero > b1; echo made")?;
            browser.wait_for_contains("[data-testid=terminal-output]", "made\n", WAIT)?;
            let none = browser.eval(
                "return document.querySelector('[data-testid=storage-notice]') === null",
                json!([]),
            )?;
            ensure!(none == json!(true), "a notice at 11% full");
            type_line(
                &browser,
                "for i in 2 3 4 5 6 7 8; do cp b1 b$i; done; df -h / | tail -1",
            )?;
            browser.wait_for_contains("[data-testid=terminal-output]", "14M  90% /", WAIT)?;
            let notice = browser.wait_for_contains(
                "[data-testid=storage-notice]",
                "저장 공간이 거의 찼습니다",
                WAIT,
            )?;
            ensure!(notice.contains("(89%)"), "the notice: {notice}");
            screenshot(&browser, &out, "storage-nearly-full-ko.png")?;
            type_line(&browser, "rm b*; echo freed")?;
            browser.wait_for_contains("[data-testid=terminal-output]", "\nfreed", WAIT)?;
            let deadline = std::time::Instant::now() + WAIT;
            while browser.eval(
                "return document.querySelector('[data-testid=storage-notice]') !== null",
                json!([]),
            )? == json!(true)
            {
                ensure!(
                    std::time::Instant::now() < deadline,
                    "the notice stayed after the files went"
                );
                std::thread::sleep(Duration::from_millis(50));
            }
            Ok(())
        },
    )?;

    check(
        "a share link opens as a visit; the saved session stays and can be kept aside",
        || {
            browser.goto(&server.url("?lang=en"))?;
            browser.eval("localStorage.clear(); return true", json!([]))?;
            browser.goto(&server.url("?lang=en"))?;
            type_line(&browser, "docker volume create shared-one")?;
            browser.wait_for_contains("[data-testid=terminal-output]", "shared-one\n", WAIT)?;
            click(&browser, "[data-testid=share]")?;
            browser.wait_for("[data-testid=share-link]", WAIT)?;
            let url = browser.eval(
                "return document.querySelector('[data-testid=share-link]').value",
                json!([]),
            )?;
            let url = url
                .as_str()
                .context("the share link has no text")?
                .to_string();
            type_line(&browser, "docker volume create mine-only")?;
            browser.wait_for_contains("[data-testid=terminal-output]", "mine-only\n", WAIT)?;
            browser.goto("about:blank")?;
            browser.goto(&url)?;
            browser.wait_for("[data-testid=visit-keep]", WAIT)?;
            let term =
                browser.wait_for_contains("[data-testid=terminal-output]", "shared-one", WAIT)?;
            ensure!(
                !term.contains("mine-only"),
                "the visit shows the saved session: {term}"
            );
            let state = browser.eval(
                "return [location.hash, localStorage.getItem('layerbox.session').includes('mine-only')]",
                json!([]),
            )?;
            ensure!(
                state == json!(["", true]),
                "address hash and saved session: {state}"
            );
            screenshot(&browser, &out, "visit-en.png")?;
            click(&browser, "[data-testid=visit-back]")?;
            browser.wait_for_contains("[data-testid=terminal-output]", "mine-only", WAIT)?;
            // Kept: the link's session is saved, the earlier one is kept aside.
            browser.goto("about:blank")?;
            browser.goto(&url)?;
            click(&browser, "[data-testid=visit-keep]")?;
            browser.wait_for("[data-testid=download-earlier]", WAIT)?;
            let state = browser.eval(
                "return [localStorage.getItem('layerbox.session').includes('mine-only'), \
                 localStorage.getItem('layerbox.session.earlier').includes('mine-only')]",
                json!([]),
            )?;
            ensure!(
                state == json!([false, true]),
                "saved and kept aside: {state}"
            );
            Ok(())
        },
    )?;

    check(
        "a saved session that does not load is kept, not saved over",
        || {
            // Written from a page of the same origin that runs no playground, so no save of
            // a playground still open can overwrite it.
            browser.goto(&server.url("styles.css"))?;
            browser.eval(
            "localStorage.setItem('layerbox.session', '{\"version\": 1, \"actions\": 7}'); return true",
            json!([]),
        )?;
            browser.goto(&server.url("?lang=en"))?;
            browser.wait_for("[data-testid=discard-saved]", WAIT)?;
            type_line(&browser, "echo still here")?;
            browser.wait_for_contains("[data-testid=terminal-output]", "still here", WAIT)?;
            let kept =
                browser.eval("return localStorage.getItem('layerbox.session')", json!([]))?;
            ensure!(
                kept == json!("{\"version\": 1, \"actions\": 7}"),
                "the unloadable session was saved over: {kept}"
            );
            screenshot(&browser, &out, "load-failed-en.png")?;
            browser.eval("localStorage.clear(); return true", json!([]))?;
            Ok(())
        },
    )?;

    check(
        "a session at the size limit reloads, refuses one more line, and exports and imports whole",
        || at_the_size_limit(&browser, &server),
    )?;

    check(
        "the storage diagram follows a chapter session, undo and both languages",
        || diagram_session(&browser, &server, &out),
    )?;

    check(
        "a lesson's step, its terminal, its language and its log survive a reload; a finished lesson is checked in the course",
        || {
            browser.set_window_size(1280, 900)?;
            browser.goto(&server.url("?lesson=writable-layer&lang=en"))?;
            browser.eval("localStorage.clear(); return true", json!([]))?;
            browser.goto(&server.url("?lesson=writable-layer&lang=en"))?;
            browser.wait_for_contains("[data-testid=lesson-status]", "Step 1 of 5", WAIT)?;
            // A leftover container holding the step's name is named, and cleaned up on request.
            type_line(&browser, "docker create --name f1 alpine")?;
            browser.wait_for_contains("[data-testid=lesson-blocked]", "docker rm -f f1", WAIT)?;
            screenshot(&browser, &out, "lesson-blocked-en.png")?;
            click(&browser, "[data-testid=lesson-clean-up]")?;
            browser.wait_for_contains("[data-testid=lesson-status]", "Step 2 of 5", WAIT)?;
            browser.wait_for_contains("[data-testid=lesson-log]", "writable layer", WAIT)?;
            click(&browser, "[data-testid=lang-switch]")?;
            browser.wait_for_contains("[data-testid=lesson-status]", "5단계 중 2단계", WAIT)?;
            let search = browser.eval("return location.search", json!([]))?;
            ensure!(
                search.as_str().is_some_and(|q| q.contains("lang=ko") && q.contains("lesson=writable-layer")),
                "the address does not keep the language: {search}"
            );
            browser.eval("location.reload(); return true", json!([]))?;
            browser.wait_for_contains("[data-testid=lesson-status]", "5단계 중 2단계", WAIT)?;
            browser.wait_for_contains("[data-testid=lesson-log]", "기록 가능 레이어", WAIT)?;
            browser.wait_for_contains(
                "[data-testid=terminal-output]",
                "docker run -d --name f1 alpine sleep 3600",
                WAIT,
            )?;
            screenshot(&browser, &out, "lesson-reloaded-ko.png")?;
            type_line(&browser, "docker exec f1 sh -c 'echo hello > /root/note.txt'")?;
            browser.wait_for_contains("[data-testid=lesson-status]", "5단계 중 3단계", WAIT)?;
            for n in 4..=5 {
                click(&browser, "[data-testid=lesson-show-me]")?;
                browser.wait_for_contains("[data-testid=lesson-status]", &format!("5단계 중 {n}단계"), WAIT)?;
            }
            click(&browser, "[data-testid=lesson-show-me]")?;
            browser.wait_for_contains("[data-testid=lesson-status]", "레슨 완료", WAIT)?;
            browser.wait_for("[data-testid=next-lesson]", WAIT)?;
            browser.wait_for_contains(
                "[data-testid=course-lesson][data-lesson=writable-layer]",
                "완료",
                WAIT,
            )?;
            screenshot(&browser, &out, "lesson-finished-ko.png")?;
            browser.eval("location.reload(); return true", json!([]))?;
            browser.wait_for_contains("[data-testid=lesson-status]", "레슨 완료", WAIT)?;
            browser.wait_for("[data-testid=course-done]", WAIT)?;
            browser.eval(
                "document.getElementById('course').scrollIntoView(); return true",
                json!([]),
            )?;
            screenshot(&browser, &out, "course-ko.png")?;
            browser.goto(&server.url("?lesson=volumes-in-images&lang=en"))?;
            browser.wait_for_contains("[data-testid=lesson-status]", "Step 1 of", WAIT)?;
            screenshot(&browser, &out, "lesson-en.png")?;
            browser.eval(
                "document.getElementById('course').scrollIntoView(); return true",
                json!([]),
            )?;
            screenshot(&browser, &out, "course-en.png")?;
            browser.set_window_size(375, 812)?;
            browser.goto(&server.url("?lesson=writable-layer&lang=ko"))?;
            browser.wait_for_contains("[data-testid=lesson-status]", "레슨 완료", WAIT)?;
            screenshot(&browser, &out, "lesson-ko-375.png")?;
            browser.set_window_size(1280, 900)?;
            browser.eval("localStorage.clear(); return true", json!([]))?;
            Ok(())
        },
    )?;

    check(
        "a lesson's setup, its \"go to step\" and its kept session are made in the worker",
        || {
            browser.goto(&server.url("?lesson=named-volumes&lang=en"))?;
            browser.eval("localStorage.clear(); return true", json!([]))?;
            browser.goto(&server.url("?lesson=named-volumes&lang=en"))?;
            browser.wait_for_contains("[data-testid=lesson-status]", "Step 1 of 5", WAIT)?;
            // The setup committed a v2 of the image: the page holds what the worker made.
            type_line(
                &browser,
                "docker images --format '{{.Repository}}:{{.Tag}}' | sort",
            )?;
            browser.wait_for_contains(
                "[data-testid=terminal-output]",
                "diamol/ch06-todo-list:v2",
                WAIT,
            )?;
            click(&browser, ".step-dots li:nth-child(3) button")?;
            browser.wait_for_contains("[data-testid=lesson-status]", "Step 3 of 5", WAIT)?;
            // The steps before it were played: their volume is there, and still the setup's image.
            type_line(
                &browser,
                "docker volume ls -q | tr '\\n' ,; docker images -q diamol/ch06-todo-list:v2 | wc -l",
            )?;
            browser.wait_for_contains("[data-testid=terminal-output]", "todo-list,1", WAIT)?;
            screenshot(&browser, &out, "lesson-goto-en.png")?;
            browser.eval("location.reload(); return true", json!([]))?;
            browser.wait_for_contains("[data-testid=lesson-status]", "Step 3 of 5", WAIT)?;
            browser.wait_for_contains("[data-testid=terminal-output]", "todo-list,1", WAIT)?;
            browser.eval("localStorage.clear(); return true", json!([]))?;
            Ok(())
        },
    )?;

    check("tutorial.html?lang=ko embeds its widgets in Korean", || {
        browser.set_window_size(1000, 1400)?;
        browser.goto(&server.url("tutorial.html?lang=ko"))?;
        wait_attr(&browser, "w1", "ready")?;
        let frame = browser.wait_for("#w1 iframe", WAIT)?;
        browser.switch_to_frame(&frame)?;
        browser.wait_for_contains("[data-testid=lesson-status]", "단계 중 1단계", WAIT)?;
        browser.switch_to_top()?;
        screenshot(&browser, &out, "tutorial-ko.png")?;
        browser.set_window_size(1280, 900)
    })?;

    check("a widget in Korean with its chosen view", || {
        browser.goto(&server.url("widget.html?lesson=named-volumes&lang=ko&view=volume-list"))?;
        browser.wait_for_contains("[data-testid=lesson-status]", "5단계 중 1단계", WAIT)?;
        browser.wait_for("[data-testid=volume-list]", WAIT)?;
        // The lesson's setup ran when the site was built: its start is fetched, and no worker
        // starts until the widget is used.
        let deadline = std::time::Instant::now() + WAIT;
        while browser.eval(
            "return !!document.querySelector('[data-testid=preparing]')",
            json!([]),
        )? == json!(true)
        {
            ensure!(
                std::time::Instant::now() < deadline,
                "the lesson's start never came"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let loaded = browser.eval(
            "return performance.getEntriesByType('resource').map(e => e.name).join(' ')",
            json!([]),
        )?;
        let loaded = loaded.as_str().unwrap_or_default();
        ensure!(
            loaded.contains("lesson-starts-"),
            "the lessons' starts were not fetched: {loaded}"
        );
        ensure!(
            !loaded.contains("layerbox-worker-"),
            "a worker started before the widget was used: {loaded}"
        );
        type_line(&browser, "docker volume create todo-list")?;
        browser.wait_for_contains("[data-testid=volume-list]", "todo-list", WAIT)?;
        browser.wait_for_contains("[data-testid=lesson-status]", "2단계", WAIT)?;
        screenshot(&browser, &out, "widget-ko.png")
    })?;

    check("?lang=ko on a 375 px wide screen", || {
        browser.set_window_size(375, 812)?;
        browser.goto(&server.url("?lang=ko"))?;
        browser.wait_for_text(
            "[data-testid=tagline]",
            "브라우저에서 살펴보는 도커 스토리지",
            WAIT,
        )?;
        let overflow = browser.eval(
            "return document.documentElement.scrollWidth > document.documentElement.clientWidth",
            json!([]),
        )?;
        ensure!(
            overflow == json!(false),
            "the page scrolls sideways at 375 px"
        );
        screenshot(&browser, &out, "playground-ko-375.png")
    })?;
    Ok(())
}

/// The ids of the storage diagram's elements, with their `data-kind`.
fn diagram_ids(browser: &Browser) -> Result<Vec<(String, String)>> {
    let v = browser.eval(
        "return Array.from(document.querySelectorAll('[data-testid=storage-diagram] [data-kind]')).map(e => [e.id, e.getAttribute('data-kind')])",
        json!([]),
    )?;
    Ok(v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| {
                    Some((
                        p.get(0)?.as_str()?.to_string(),
                        p.get(1)?.as_str()?.to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default())
}

/// Waits until the diagram has each of `want` (id, data-kind) and none of `gone` (ids).
fn wait_diagram(browser: &Browser, want: &[(&str, &str)], gone: &[&str]) -> Result<()> {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let ids = diagram_ids(browser)?;
        let has = |id: &str, kind: &str| ids.iter().any(|(i, k)| i == id && k == kind);
        let missing: Vec<_> = want.iter().filter(|(i, k)| !has(i, k)).collect();
        let present: Vec<_> = gone
            .iter()
            .filter(|g| ids.iter().any(|(i, _)| i == *g))
            .collect();
        if missing.is_empty() && present.is_empty() {
            return Ok(());
        }
        if std::time::Instant::now() > deadline {
            bail!("diagram lacks {missing:?}, still has {present:?}; it has {ids:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Whether element `css` has class `class`.
fn has_class(browser: &Browser, css: &str, class: &str) -> Result<bool> {
    let v = browser.eval(
        "const e = document.querySelector(arguments[0]); return !!e && e.classList.contains(arguments[1])",
        json!([css, class]),
    )?;
    Ok(v == json!(true))
}

/// The chapter's storage scenario with the diagram checked after every command: a named
/// volume, a bind over an image directory with a tmpfs, a write into the volume, the network
/// share, `docker rm` (the writable layer goes, the volume stays), undo, selecting an element,
/// Korean, 375 px and the widget's compact layout.
fn diagram_session(browser: &Browser, server: &StaticServer, out: &Path) -> Result<()> {
    browser.set_window_size(1400, 1100)?;
    browser.goto(&server.url("?lang=en"))?;
    browser.eval("localStorage.clear(); return true", json!([]))?;
    browser.goto(&server.url("?lang=en"))?;
    type_line(browser, "docker volume create todo-list")?;
    browser.wait_for_contains("[data-testid=terminal-output]", "\ntodo-list", WAIT)?;
    click(browser, "[data-testid=tab-diagram]")?;
    wait_diagram(browser, &[("dg-volume-todo-list", "volume")], &[])?;
    type_line(
        browser,
        "docker run -d --name todo1 -v todo-list:/data diamol/ch06-todo-list",
    )?;
    wait_diagram(
        browser,
        &[
            ("dg-container-todo1", "container"),
            ("dg-writable-todo1", "writable-layer"),
            ("dg-init-todo1", "init-layer"),
            ("dg-mount-todo1-data", "mount"),
            ("dg-volume-todo-list", "volume"),
            ("dg-layer-alpine-latest-1", "image-layer"),
            ("dg-layer-diamol-ch06-todo-list-latest-2", "image-layer"),
        ],
        &[],
    )?;
    let label = browser.wait_for_contains(
        "[data-testid=storage-diagram] [data-mount=dg-mount-todo1-data]",
        "/data · volume · rw",
        WAIT,
    )?;
    ensure!(label.contains("rw"), "{label}");
    type_line(browser, "mkdir -p site && echo hello > site/index.html")?;
    type_line(
        browser,
        "docker run -d --name web -v $(pwd)/site:/usr/share/nginx/html:ro --tmpfs /tmp nginx",
    )?;
    wait_diagram(
        browser,
        &[
            ("dg-container-web", "container"),
            ("dg-bind-home-user-site", "bind"),
            ("dg-mount-web-usr-share-nginx-html", "mount"),
            ("dg-tmpfs-web-tmp", "tmpfs"),
            ("dg-container-todo1", "container"),
        ],
        &[],
    )?;
    browser.wait_for_contains(
        "#dg-mount-web-usr-share-nginx-html",
        "hides the image's",
        WAIT,
    )?;
    let hides = browser.eval(
        "return document.getElementById('dg-mount-web-usr-share-nginx-html').getAttribute('aria-label')",
        json!([]),
    )?;
    let hides = hides.as_str().unwrap_or_default();
    ensure!(
        hides.contains("index.html") && hides.contains("bind /home/user/site (ro)"),
        "{hides}"
    );
    type_line(browser, "docker exec todo1 add-todo 'buy milk'")?;
    browser.wait_for_contains("[data-testid=diagram-notes]", "volume todo-list", WAIT)?;
    ensure!(
        has_class(browser, "#dg-volume-todo-list", "dg-changed")?,
        "the write into the volume is not shown on it"
    );
    type_line(
        browser,
        "docker run --name share-test -v /mnt/share:/shared alpine sh -c 'echo data > /shared/a.txt'",
    )?;
    wait_diagram(
        browser,
        &[
            ("dg-bind-mnt-share", "network-share"),
            ("dg-container-share-test", "container"),
        ],
        &[],
    )?;
    browser.wait_for_contains("#dg-bind-mnt-share", "slow", WAIT)?;
    screenshot(browser, out, "diagram-en.png")?;
    type_line(browser, "docker rm -f todo1")?;
    wait_diagram(
        browser,
        &[
            ("dg-removed-writable-todo1", "writable-layer"),
            ("dg-volume-todo-list", "volume"),
        ],
        &["dg-container-todo1", "dg-writable-todo1"],
    )?;
    browser.wait_for_contains(
        "[data-testid=diagram-notes]",
        "volume todo-list stays",
        WAIT,
    )?;
    screenshot(browser, out, "diagram-rm-en.png")?;
    // Undo shows the diagram as it was; redo as it is.
    click(browser, "[data-testid=undo]")?;
    wait_diagram(
        browser,
        &[("dg-container-todo1", "container")],
        &["dg-removed-writable-todo1"],
    )?;
    click(browser, "[data-testid=redo]")?;
    wait_diagram(browser, &[], &["dg-container-todo1"])?;
    // Selecting an element opens it where it is detailed.
    click(browser, "#dg-volume-todo-list")?;
    browser.wait_for("[data-testid=volume-list] .volume.selected", WAIT)?;
    click(browser, "[data-testid=tab-diagram]")?;
    let web = browser.wait_for("#dg-writable-web", WAIT)?;
    browser.click(&web)?;
    browser.wait_for_contains(
        "[data-testid=layer-stack] .layer.selected",
        "writable layer of web",
        WAIT,
    )?;
    // Korean.
    click(browser, "[data-testid=lang-switch]")?;
    click(browser, "[data-testid=tab-diagram]")?;
    browser.wait_for_contains("[data-testid=storage-diagram]", "도커 영역", WAIT)?;
    browser.wait_for_contains("[data-testid=storage-diagram]", "기록 가능 레이어", WAIT)?;
    screenshot(browser, out, "diagram-ko.png")?;
    // A line that removes twenty containers: six outlines are drawn, the rest counted.
    type_line(
        browser,
        "for i in $(seq 1 20); do docker run --rm alpine true; done",
    )?;
    browser.wait_for_contains("[data-testid=diagram-not-drawn]", "14개", WAIT)?;
    browser.eval(
        "document.querySelector('[data-testid=diagram-not-drawn]').scrollIntoView({block: 'center'}); return true",
        json!([]),
    )?;
    screenshot(browser, out, "diagram-not-drawn-ko.png")?;
    // 375 px: the page itself does not scroll sideways; the diagram is shown first again.
    browser.set_window_size(375, 812)?;
    browser.goto(&server.url("?lang=ko"))?;
    wait_diagram(browser, &[("dg-container-web", "container")], &[])?;
    let overflow = browser.eval(
        "return document.documentElement.scrollWidth > document.documentElement.clientWidth",
        json!([]),
    )?;
    ensure!(
        overflow == json!(false),
        "the page scrolls sideways at 375 px with the diagram"
    );
    browser.eval(
        "document.querySelector('[data-testid=storage-diagram]').scrollIntoView(); return true",
        json!([]),
    )?;
    screenshot(browser, out, "diagram-ko-375.png")?;
    // The widget's compact layout, its lesson's default view.
    browser.set_window_size(700, 1100)?;
    browser.goto(&server.url("widget.html?lesson=bind-mounts&lang=en"))?;
    browser.wait_for("[data-testid=terminal-input]", WAIT)?;
    type_line(browser, "mkdir databases")?;
    type_line(
        browser,
        "docker run -d --name todo-bind --mount type=bind,source=$(pwd)/databases,target=/data diamol/ch06-todo-list",
    )?;
    wait_diagram(
        browser,
        &[
            ("dg-bind-home-user-databases", "bind"),
            ("dg-mount-todo-bind-data", "mount"),
        ],
        &[],
    )?;
    browser.eval(
        "document.querySelector('[data-testid=storage-diagram]').scrollIntoView(); return true",
        json!([]),
    )?;
    screenshot(browser, out, "widget-diagram-en.png")?;
    browser.goto(&server.url("?lang=en"))?;
    browser.eval("localStorage.clear(); return true", json!([]))?;
    Ok(())
}

/// Types a line into the terminal and presses Enter.
/// The timeline's number of steps, once it shows `n` (a restore replaces it whole).
fn wait_for_steps(browser: &Browser, n: usize) -> Result<()> {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let steps = browser.eval(
            "const t = document.querySelector('[data-testid=timeline]'); \
             return t ? t.getAttribute('data-steps') : null",
            json!([]),
        )?;
        if steps == json!(n.to_string()) {
            return Ok(());
        }
        ensure!(
            std::time::Instant::now() < deadline,
            "the timeline shows {steps} steps, not {n}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A saved session of 2,000 steps, the most a session file holds: it reloads whole, one more
/// line is refused (and says to export), the export holds every step, and importing it after a
/// reset brings them all back.
fn at_the_size_limit(browser: &Browser, server: &StaticServer) -> Result<()> {
    // Written from a page of the same origin that runs no playground.
    browser.goto(&server.url("styles.css"))?;
    browser.eval(
        "const actions = []; \
         for (let i = 0; i < 2000; i++) actions.push({ kind: 'line', line: 'true' }); \
         localStorage.setItem('layerbox.session', \
             JSON.stringify({ version: 1, actions, cursor: 2000 })); \
         return true",
        json!([]),
    )?;
    browser.goto(&server.url("?lang=en"))?;
    wait_for_steps(browser, 2000)?;
    type_line(browser, "echo one more")?;
    browser.wait_for_contains(
        "[data-testid=notice]",
        "largest size a session may have",
        WAIT,
    )?;
    wait_for_steps(browser, 2000)?;
    // Export: the file the browser would download, caught before it is.
    browser.eval(
        "window.exported = null; \
         const create = URL.createObjectURL; \
         URL.createObjectURL = function (blob) { window.exported = blob; return create.call(URL, blob); }; \
         HTMLAnchorElement.prototype.click = function () {}; \
         window.confirm = () => true; \
         return true",
        json!([]),
    )?;
    click(browser, "[data-testid=export]")?;
    let text = browser.eval_async(
        "const done = arguments[arguments.length - 1]; \
         window.exported.text().then(done, () => done(null));",
        json!([]),
    )?;
    let text = text.as_str().unwrap_or_default().to_string();
    let file: serde_json::Value = serde_json::from_str(&text)?;
    let actions = file["actions"].as_array().map_or(0, Vec::len);
    ensure!(actions == 2000, "the export holds {actions} steps");
    click(browser, "[data-testid=reset]")?;
    wait_for_steps(browser, 0)?;
    browser.eval(
        "const input = document.querySelector('[data-testid=import-file]'); \
         const files = new DataTransfer(); \
         files.items.add(new File([arguments[0]], 'layerbox-session.json', { type: 'application/json' })); \
         input.files = files.files; \
         input.dispatchEvent(new Event('change', { bubbles: true })); \
         return true",
        json!([text]),
    )?;
    wait_for_steps(browser, 2000)?;
    browser.eval("localStorage.clear(); return true", json!([]))?;
    Ok(())
}

fn type_line(browser: &Browser, line: &str) -> Result<()> {
    let input = browser.wait_for("[data-testid=terminal-input]", WAIT)?;
    browser.send_keys(&input, &format!("{line}\u{E007}"))
}

fn click(browser: &Browser, css: &str) -> Result<()> {
    let el = browser.wait_for(css, WAIT)?;
    browser.click(&el)
}

/// Waits until embed.js has recorded `want` as the last event of widget element `id`.
fn wait_attr(browser: &Browser, id: &str, want: &str) -> Result<()> {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let got = browser.eval(
            "return document.getElementById(arguments[0]).getAttribute('data-layerbox-last')",
            json!([id]),
        )?;
        if got == json!(want) {
            return Ok(());
        }
        if std::time::Instant::now() > deadline {
            bail!("widget {id}: last event {got}, expected {want}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn check(name: &str, f: impl FnOnce() -> Result<()>) -> Result<()> {
    f().with_context(|| format!("check '{name}'"))?;
    println!("e2e: ok  {name}");
    Ok(())
}

fn screenshot(browser: &Browser, out: &Path, name: &str) -> Result<()> {
    let file = out.join(name);
    browser.screenshot(&file)?;
    println!("e2e: saved {}", file.display());
    Ok(())
}
