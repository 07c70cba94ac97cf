//! `docker build` and `docker history` beyond what the recorded `build-*` sessions pin.

use layerbox_shell::Session;

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
    let world = &s.daemon.world;
    let alpine = world.images.find("alpine").expect("alpine");
    let made = world.images.find("made").expect("built image");
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
fn add_of_a_local_tar_is_refused_plainly() {
    let mut s = Session::new();
    run(&mut s, "mkdir app && touch app/x.tar");
    dockerfile(&mut s, "FROM alpine\nADD x.tar /\n");
    let result = s.run_line("docker build app");
    assert_eq!(result.code, 1);
    assert!(
        result.text().contains("is not modelled"),
        "{}",
        result.text()
    );
}

#[test]
fn history_of_an_unknown_image_is_a_daemon_error() {
    let mut s = Session::new();
    let result = s.run_line("docker history nosuch");
    assert_eq!(result.code, 1);
    assert_eq!(
        result.text(),
        "Error response from daemon: No such image: nosuch\n"
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
