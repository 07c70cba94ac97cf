//! Logical time: what a detached process does as the learner waits, and the bounds the
//! recorder cannot show (the cap on one wait, the background budget, waits that never end).

use layerbox_session::{Session, MAX_WAIT};

fn lines(s: &mut Session, line: &str) -> usize {
    s.run_line(line).text().lines().count()
}

#[test]
fn a_detached_loop_writes_a_line_per_second_the_learner_waits() {
    let mut s = Session::new();
    s.run_line(
        "docker run -d --name log -v logs:/logs alpine sh -c 'while true; do date >> /logs/log; sleep 1; done'",
    );
    let cat = "docker run --rm -v logs:/logs alpine cat /logs/log";
    assert_eq!(lines(&mut s, cat), 1);
    s.wait(3);
    assert_eq!(lines(&mut s, cat), 4);
    // A foreground `sleep` on the host takes its time too, within the line.
    assert_eq!(lines(&mut s, &format!("sleep 2; {cat}")), 6);
    // The dates are the logical times the process wrote them at.
    let text = s.run_line(cat).text();
    assert!(text.starts_with("Sat Jun  1 09:00:00 UTC 2024\nSat Jun  1 09:00:01 UTC 2024\n"));
}

#[test]
fn one_wait_passes_at_most_the_cap() {
    let mut s = Session::new();
    s.run_line("docker run -d --name tick alpine sh -c 'while true; do echo tick; sleep 1; done'");
    s.wait(24 * 3600);
    let logged = lines(&mut s, "docker logs tick");
    assert_eq!(logged as u64, MAX_WAIT + 1);
}

#[test]
fn the_same_waits_replay_to_the_same_world() {
    let run = || {
        let mut s = Session::new();
        s.run_line("docker run -d --name counter alpine sh -c 'for i in 1 2 3 4 5; do echo $i; sleep 2; done'");
        s.wait(3);
        s.run_line("echo typed");
        s.wait(4);
        s.run_line("docker logs counter").text()
    };
    assert_eq!(run(), "1\n2\n3\n4\n");
    assert_eq!(run(), run());
}

#[test]
fn background_work_is_bounded_and_says_so() {
    let mut s = Session::new();
    // Each second runs many commands: the background budget runs out within one wait.
    s.run_line(
        "docker run -d --name busy alpine sh -c 'while true; do i=0; while [ $i -lt 100 ]; do i=$((i+1)); done; sleep 1; done'",
    );
    let r = s.wait(MAX_WAIT);
    assert!(
        r.text()
            .contains("layerbox: the process of container busy was stopped after"),
        "{}",
        r.text()
    );
    assert!(s
        .run_line("docker ps -a --format '{{.Status}}'")
        .text()
        .starts_with("Exited (130)"));
    assert_eq!(s.run_line("echo still here").text(), "still here\n");
}

#[test]
fn waits_that_would_never_end_end_as_an_interrupted_wait() {
    let mut s = Session::new();
    s.run_line("docker run -d --name forever alpine tail -f /dev/null");
    let before = s.world().now();
    let r = s.run_line("docker wait forever");
    assert_eq!(
        r.text(),
        "layerbox: docker wait forever: nothing in it will end it; the real command waits until it stops (Ctrl-C ends it), so the wait ends here as if interrupted\n"
    );
    // SIGINT's status, as the real CLI killed by Ctrl-C; no time passed.
    assert_eq!(r.code, 130);
    assert_eq!(s.world().now(), before);
    // A loop that sleeps runs on for five minutes of logical time, then the wait ends.
    s.run_line(
        "docker run -d --name ticking alpine sh -c 'while true; do echo tick; sleep 1; done'",
    );
    let r = s.run_line("docker wait ticking forever");
    assert!(
        r.text()
            .starts_with("layerbox: docker wait ticking: it still runs after 300 seconds"),
        "{}",
        r.text()
    );
    assert_eq!(r.code, 130);
    assert_eq!(s.run_line("docker logs ticking | wc -l").text(), "301\n");
    // A container that stops within the wait gives its status.
    s.run_line("docker run -d --name soon alpine sh -c 'sleep 200; exit 4'");
    assert_eq!(s.run_line("docker wait soon").text(), "4\n");
    let r = s.run_line("docker logs -f forever");
    assert!(r
        .text()
        .starts_with("layerbox: docker logs --follow of a running container"));
}

#[test]
fn a_trap_runs_when_the_foreground_sleep_ends() {
    let mut s = Session::new();
    s.run_line("docker run -d --name trapd alpine sh -c 'trap \"echo bye; exit 3\" TERM; sleep 5; echo after'");
    s.wait(1);
    // TERM at second 1; the sleep ends at second 5, within stop's 10 seconds.
    assert_eq!(s.run_line("docker stop trapd").text(), "trapd\n");
    assert_eq!(s.run_line("docker logs trapd").text(), "bye\n");
    assert_eq!(
        s.run_line("docker inspect -f '{{.State.ExitCode}}' trapd")
            .text(),
        "3\n"
    );
}

#[test]
fn a_container_waiting_for_its_restart_shows_as_restarting_until_stopped() {
    let mut s = Session::new();
    s.run_line("docker run -d --name again --restart always alpine sh -c 'echo hi; exit 1'");
    assert_eq!(
        s.run_line("docker ps --format '{{.Status}}'").text(),
        "Restarting (1) Less than a second ago\n"
    );
    s.wait(30);
    let count = s
        .run_line("docker inspect -f '{{.RestartCount}}' again")
        .text();
    assert!(count.trim().parse::<u32>().unwrap() > 3, "{count}");
    s.run_line("docker stop again");
    s.wait(60);
    assert_eq!(
        s.run_line("docker inspect -f '{{.State.Status}} {{.RestartCount}}' again")
            .text(),
        format!("exited {count}")
    );
}
