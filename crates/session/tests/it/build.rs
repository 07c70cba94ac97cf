//! `docker build` and `docker history` beyond what the recorded `build-*` sessions pin.

use layerbox_session::Session;

fn run(s: &mut Session, line: &str) -> String {
    s.run_line(line).text()
}

fn dockerfile(s: &mut Session, text: &str) {
    let quoted = text.replace('\'', "'\\''");
    let result = s.run_line(&format!("printf '%s' '{quoted}' > app/Dockerfile"));
    assert_eq!(result.code, 0, "{}", result.text());
}

#[test]
fn build_from_the_current_directory_tags_an_image_that_runs() {
    let mut s = Session::new();
    run(&mut s, "mkdir app && cd app && echo hi > index.html");
    run(
        &mut s,
        "printf 'FROM alpine\\nCOPY index.html /www/\\nCMD [\"cat\", \"/www/index.html\"]\\n' > Dockerfile",
    );
    let out = run(&mut s, "docker build -t web .");
    assert!(out.contains("Successfully tagged web:latest"), "{out}");
    assert_eq!(run(&mut s, "docker run --rm web"), "hi\n");
}

#[test]
fn a_run_step_adds_a_layer_and_a_history_row() {
    let mut s = Session::new();
    run(&mut s, "mkdir app");
    dockerfile(
        &mut s,
        "FROM alpine\nRUN mkdir /out && echo made > /out/f\n",
    );
    run(&mut s, "docker build -t made app");
    let world = s.world();
    let alpine = world.images().find("alpine").expect("alpine");
    let made = world.images().find("made").expect("built image");
    assert_eq!(made.layers.len(), alpine.layers.len() + 1);
    assert_eq!(
        made.history.last().map(|h| h.created_by.as_str()),
        Some("/bin/sh -c mkdir /out && echo made > /out/f")
    );
    assert_eq!(
        run(
            &mut s,
            "docker history --format '{{.CreatedBy}} {{.Size}}' made | head -1"
        ),
        "/bin/sh -c mkdir /out && echo made > /out/f 5B\n"
    );
}

#[test]
fn a_failing_run_keeps_its_container_unless_force_rm() {
    let mut s = Session::new();
    run(&mut s, "mkdir app");
    dockerfile(&mut s, "FROM alpine\nRUN exit 7\n");
    let result = s.run_line("docker build app");
    assert_eq!(result.code, 7);
    assert!(result
        .text()
        .contains("The command '/bin/sh -c exit 7' returned a non-zero code: 7"));
    assert_eq!(run(&mut s, "docker ps -aq | wc -l"), "1\n");
    assert_eq!(s.run_line("docker build --force-rm app").code, 7);
    assert_eq!(run(&mut s, "docker ps -aq | wc -l"), "1\n");
}

#[test]
fn build_args_reach_run_and_its_history_row() {
    let mut s = Session::new();
    run(&mut s, "mkdir app");
    dockerfile(
        &mut s,
        "FROM alpine\nARG WHO=world\nRUN echo hello $WHO > /greeting\n",
    );
    run(&mut s, "docker build --build-arg WHO=learner -t greet app");
    assert_eq!(
        run(&mut s, "docker run --rm greet cat /greeting"),
        "hello learner\n"
    );
    assert_eq!(
        run(
            &mut s,
            "docker history --no-trunc --format '{{.CreatedBy}}' greet | head -1"
        ),
        "|1 WHO=learner /bin/sh -c echo hello $WHO > /greeting\n"
    );
}

#[test]
fn a_dockerfile_volume_gives_each_run_a_fresh_anonymous_volume() {
    let mut s = Session::new();
    run(&mut s, "mkdir app");
    dockerfile(
        &mut s,
        "FROM alpine\nRUN mkdir /data && echo seed > /data/seed\nVOLUME /data\n",
    );
    run(&mut s, "docker build -t vol app");
    assert_eq!(run(&mut s, "docker volume ls -q | wc -l"), "0\n");
    run(&mut s, "docker run --name v1 vol sh -c 'echo a > /data/a'");
    assert_eq!(run(&mut s, "docker run --rm vol ls /data"), "seed\n");
    assert_eq!(run(&mut s, "docker volume ls -q | wc -l"), "1\n");
}

#[test]
fn add_copies_a_file_that_is_no_archive_as_it_is() {
    let mut s = Session::new();
    run(
        &mut s,
        "mkdir app && touch app/x.tar && echo plain > app/notes.tgz",
    );
    dockerfile(&mut s, "FROM alpine\nADD x.tar notes.tgz /in/\n");
    let result = s.run_line("docker build -t plain app");
    assert_eq!(result.code, 0, "{}", result.text());
    assert_eq!(
        run(&mut s, "docker run --rm plain ls /in"),
        "notes.tgz\nx.tar\n"
    );
}

#[test]
fn add_of_a_bzip2_archive_is_refused_plainly() {
    let mut s = Session::new();
    run(&mut s, "mkdir app && printf 'BZh91AY&SY' > app/x.tar.bz2");
    dockerfile(&mut s, "FROM alpine\nADD x.tar.bz2 /\n");
    let result = s.run_line("docker build app");
    assert_eq!(result.code, 1);
    assert!(
        result
            .text()
            .contains("layerbox: ADD of a bzip2 archive is not modelled"),
        "{}",
        result.text()
    );
}

#[test]
fn add_unpacks_by_content_keeping_links_modes_and_owners() {
    let mut s = Session::new();
    run(
        &mut s,
        "mkdir -p app/t/d && echo x > app/t/d/f && chmod 600 app/t/d/f && ln app/t/d/f app/t/hard && ln -s d/f app/t/sym",
    );
    // A gzip'd archive whose name says nothing: ADD looks at the bytes.
    run(&mut s, "tar -C app/t -czf app/bundle d hard sym");
    dockerfile(&mut s, "FROM alpine\nWORKDIR /w\nADD bundle dest\n");
    let result = s.run_line("docker build -t unpacked app");
    assert_eq!(result.code, 0, "{}", result.text());
    assert_eq!(
        run(
            &mut s,
            "docker run --rm unpacked stat -c '%a %u %g %h' /w/dest/d/f"
        ),
        "600 1000 1000 2\n"
    );
    assert_eq!(
        run(&mut s, "docker run --rm unpacked readlink /w/dest/sym"),
        "d/f\n"
    );
    assert_eq!(
        run(&mut s, "docker run --rm unpacked cat /w/dest/hard"),
        "x\n"
    );
}

#[test]
fn history_of_an_unknown_image_is_a_daemon_error() {
    let mut s = Session::new();
    let result = s.run_line("docker history nosuch");
    assert_eq!(result.code, 1);
    assert_eq!(
        result.text(),
        // The tag it looked for, as Engine 20.10 says it (recorded in history-cp-du).
        "Error response from daemon: No such image: nosuch:latest\n"
    );
}

#[test]
fn entrypoint_keeps_a_cmd_set_earlier_in_the_dockerfile() {
    let mut s = Session::new();
    run(&mut s, "mkdir app");
    dockerfile(
        &mut s,
        "FROM alpine\nCMD [\"from\", \"cmd\"]\nENTRYPOINT [\"echo\"]\n",
    );
    run(&mut s, "docker build -t e1 app");
    assert_eq!(run(&mut s, "docker run --rm e1"), "from cmd\n");
    dockerfile(&mut s, "FROM alpine\nENTRYPOINT [\"echo\"]\n");
    run(&mut s, "docker build -t e2 app");
    // alpine's CMD ["/bin/sh"] does not survive an ENTRYPOINT.
    assert_eq!(run(&mut s, "docker run --rm e2"), "\n");
}

// Native only: proptest is not a wasm32 dev-dependency.
#[cfg(not(target_arch = "wasm32"))]
mod untrusted_archives {
    use layerbox_fstree::FileSystem;
    use layerbox_session::{HostEdit, Session};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        /// Whatever bytes ADD is given, the build answers without panicking.
        #[test]
        fn add_of_arbitrary_bytes_never_panics(
            bytes in proptest::collection::vec(any::<u8>(), 0..2048),
            gzip in any::<bool>(),
        ) {
            let mut s = Session::new();
            super::run(&mut s, "mkdir app && echo a > app/a && tar -C app -cf app/x.tar a");
            let real = s.world().host().local.read_file(&layerbox_fstree::Cred::root(), "/home/user/app/x.tar").map(|c| c.to_vec()).unwrap_or_default();
            // Half the time, damage a real archive rather than start from noise.
            let mut data = if bytes.len() % 2 == 0 { real } else { Vec::new() };
            for (i, b) in bytes.iter().enumerate() {
                let at = i * 7 % data.len().max(1);
                match data.get_mut(at) {
                    Some(slot) if i % 3 == 0 => *slot = *b,
                    _ => data.push(*b),
                }
            }
            if gzip {
                data = layerbox_tools::gzip::compress(&data);
            }
            let (written, _) = s.edit_host(HostEdit::Write { path: "/home/user/app/x.tar", bytes: &data });
            prop_assert!(written.is_ok());
            super::dockerfile(&mut s, "FROM alpine\nADD x.tar /in/\n");
            let result = s.run_line("docker build app");
            prop_assert!(result.code == 0 || result.code == 1, "{}", result.text());
        }
    }
}

/// cmd/docker/builder.go announces the fallback to the legacy builder before cobra runs the
/// command, so help and flag errors print it too (seen with CLI 28.2.2 without buildx).
#[test]
fn the_legacy_builder_notice_comes_before_help_and_flag_errors() {
    let mut s = Session::new();
    for line in [
        "docker build --help",
        "docker build --nosuchflag",
        "docker image build",
    ] {
        let result = s.run_line(line);
        let text = result.text();
        assert!(
            text.starts_with("DEPRECATED: The legacy builder is deprecated"),
            "{line}: {text}"
        );
    }
}

/// The course's way to a `USER` that owns a directory: `adduser` writes the account files in a
/// `RUN` step (BusyBox's rules, see crates/tools/src/loginutils.rs: Debian's BusyBox, which the
/// recorder runs, has no `adduser`, so this is not recorded), and `USER` and `--user` find it.
#[test]
fn a_user_made_by_adduser_in_a_run_step_owns_its_directory_and_runs_the_image() {
    let mut s = Session::new();
    run(&mut s, "mkdir app");
    dockerfile(
        &mut s,
        "FROM alpine\nRUN mkdir /data && adduser -D app && chown app /data\nUSER app\nCMD [\"sh\", \"-c\", \"id && touch /data/f && ls -ln /data\"]\n",
    );
    let result = s.run_line("docker build -t owned app");
    assert_eq!(result.code, 0, "{}", result.text());
    let out = run(&mut s, "docker run --rm owned");
    assert!(
        out.starts_with("uid=1000(app) gid=1000(app) groups=1000(app)\n"),
        "{out}"
    );
    assert!(out.contains(" 1000     1000 "), "{out}");
    let out = run(&mut s, "docker run --rm --user app owned id -un");
    assert_eq!(out, "app\n");
    let out = run(
        &mut s,
        "docker run --rm owned sh -c 'grep app /etc/passwd /etc/group; ls -ld /home/app'",
    );
    assert!(
        out.contains("/etc/passwd:app:x:1000:1000:Linux User,,,:/home/app:/bin/sh\n"),
        "{out}"
    );
    assert!(out.contains("/etc/group:app:x:1000:\n"), "{out}");
    assert!(out.contains("drwxr-sr-x    2 app      app "), "{out}");
}
