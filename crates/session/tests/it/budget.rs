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
        text.ends_with("bash: stopped after 64 MiB of output (layerbox limit)\n"),
        "{}",
        &text[text.len().saturating_sub(200)..]
    );
    assert_eq!(r.code, 130);
    assert_eq!(s.run_line("echo ok").text(), "ok\n");
}
