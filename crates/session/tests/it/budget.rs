//! One budget per typed line: every shell the line starts, however nested, counts against it,
//! and the line ends once with the budget message.

use layerbox_session::Session;

const MESSAGE: &str = "stopped after 10000 loop iterations and commands (layerbox limit)";

#[test]
fn nested_shells_in_a_container_share_the_lines_budget() {
    let mut s = Session::new();
    for line in [
        "docker run --rm alpine sh -c 'while :; do sh -c \"while :; do sh -c \\\"while :; do :; done\\\"; done\"; done'",
        "docker run --rm alpine sh -c 'while :; do :; done' 2>/dev/null",
        "for i in 1 2 3; do docker run --rm alpine sh -c 'while :; do :; done'; done",
    ] {
        let r = s.run_line(line);
        let text = r.text();
        assert_eq!(text.matches(MESSAGE).count(), 1, "{line}: {text}");
        assert!(text.ends_with(&format!("bash: {MESSAGE}\n")), "{line}: {text}");
        assert_eq!(r.code, 130, "{line}");
        assert_eq!(s.run_line("echo ok").text(), "ok\n");
    }
}

#[test]
fn an_attached_shell_ends_a_line_with_its_own_message() {
    let mut s = Session::new();
    s.run_line("docker run -it --name c1 alpine");
    let r = s.run_line("sh -c 'while :; do :; done'; echo never");
    assert_eq!(r.text(), format!("sh: {MESSAGE}\n"));
    // The next line has a budget of its own.
    assert_eq!(s.run_line("echo ok").text(), "ok\n");
}

#[test]
fn output_of_a_line_is_bounded_too() {
    let mut s = Session::new();
    let r = s.run_line(
        "x=aaaaaaaaaaaaaaaa; for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do x=$x$x; done; \
         while :; do echo $x; done | wc -c",
    );
    let text = r.text();
    assert!(
        text.ends_with("bash: stopped after 16 MiB of output (layerbox limit)\n"),
        "{}",
        &text[text.len().saturating_sub(200)..]
    );
    assert_eq!(r.code, 130);
    assert_eq!(s.run_line("echo ok").text(), "ok\n");
}

#[test]
fn a_file_written_past_the_output_budget_holds_what_the_message_says() {
    let mut s = Session::new();
    let r = s.run_line("head -c 40000000 /dev/urandom > big");
    assert_eq!(
        r.text(),
        "bash: stopped after 16 MiB of output (layerbox limit)\n"
    );
    assert_eq!(s.run_line("wc -c < big").text(), "16777216\n");
}

#[test]
fn a_detached_busy_loop_spends_a_background_budget_not_the_lines() {
    let mut s = Session::new();
    let r = s.run_line("docker run -d --name c1 alpine sh -c 'while true; do :; done'; echo after");
    let text = r.text();
    assert!(!text.contains(MESSAGE), "{text}");
    assert!(
        text.contains(&layerbox_runtime::cut_notice("c1")),
        "the notice names the container: {text}"
    );
    assert!(text.ends_with("after\n"), "the line goes on: {text}");
    assert_eq!(r.code, 0);
    // The container's own shell says why it stopped, in its logs.
    let logs = s.run_line("docker logs c1").text();
    assert_eq!(
        logs,
        format!(
            "sh: stopped after {} loop iterations and commands (layerbox limit)\n",
            layerbox_runtime::BACKGROUND_STEPS
        )
    );
    assert!(
        s.run_line("docker ps -aq --filter status=exited")
            .text()
            .len()
            > 1
    );
}

#[test]
fn detached_processes_of_one_line_share_one_background_budget() {
    let mut s = Session::new();
    let r = s.run_line(
        "for i in 1 2 3; do docker run -d alpine sh -c 'while :; do :; done' >/dev/null; done",
    );
    let text = r.text();
    // Each was stopped (the first spent the budget, the others stopped at their first step).
    assert_eq!(
        text.matches("in the background (layerbox limit)").count(),
        3,
        "{text}"
    );
    assert_eq!(r.code, 0);
    let r = s.run_line("docker run -d --name e1 alpine sleep 1000 >/dev/null; docker exec -d e1 sh -c 'while :; do :; done'");
    assert!(
        r.text().contains(&layerbox_runtime::exec_cut_notice("e1")),
        "{}",
        r.text()
    );
}

#[test]
fn programs_in_a_loop_share_the_lines_work() {
    let mut s = Session::new();
    s.run_line(
        "x=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa; \
         echo $x > f; for i in 1 2 3 4 5 6 7 8 9 10; do cat f f > g; mv g f; done",
    );
    let work = format!(
        "bash: stopped after {} million steps of work (layerbox limit)\n",
        layerbox_sh::WORK_BUDGET / 1_000_000
    );
    for line in [
        "while :; do sed -n 's/\\(a*\\)*b/x/p' f; done",
        "while :; do docker inspect -f '{{range 100000}}{{end}}' alpine >/dev/null 2>&1; done",
        "while :; do docker ps -q; done",
    ] {
        let r = s.run_line(line);
        let text = r.text();
        assert!(text.ends_with(&work), "{line}: {text}");
        assert_eq!(
            text.matches("(layerbox limit)").count(),
            1,
            "{line}: one message: {text}"
        );
        assert_eq!(r.code, 130);
        assert_eq!(s.run_line("echo ok").text(), "ok\n");
    }
}

#[test]
fn a_scaled_session_stops_lines_at_a_hundredth_of_each_limit() {
    let mut s = Session::new();
    s.scale_budgets(100);
    let r = s.run_line("while :; do :; done");
    assert_eq!(
        r.text(),
        "bash: stopped after 100 loop iterations and commands (layerbox limit)\n"
    );
    let r = s.run_line("seq 1 20000 | wc -c");
    assert_eq!(r.text(), "108894\n");
    let r = s.run_line("yes | head -c 400000 | wc -c; yes | head -c 400000 | wc -c");
    assert!(
        r.text()
            .ends_with("bash: stopped after 167772 bytes of output (layerbox limit)\n"),
        "{}",
        r.text()
    );
    let r = s.run_line("for i in 1 2 3 4 5 6 7 8 9 10 11; do docker ps -q; done");
    assert_eq!(
        r.text(),
        "bash: stopped after 250000 steps of work (layerbox limit)\n"
    );
    assert_eq!(s.run_line("echo ok").text(), "ok\n");
}
