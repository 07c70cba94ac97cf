//! Interactive shells on the learner's terminal: `docker exec -it`, `docker run -it`, the
//! prompts, continuation lines, Ctrl-C and Ctrl-D.
//!
//! The expected prompts and messages were read off a real Docker Engine 20.10.24 (CLI 28.2.2)
//! through `script -qc 'docker run -it ...'`, which gives the CLI a terminal.

use layerbox_session::Session;

/// Runs `line` and returns what it printed.
fn run(s: &mut Session, line: &str) -> String {
    s.run_line(line).text()
}

#[test]
fn host_prompt_shows_the_cwd_with_home_as_tilde() {
    let mut s = Session::new();
    assert_eq!(s.prompt(), "user@docker-host:~$ ");
    run(&mut s, "mkdir -p sub && cd sub");
    assert_eq!(s.prompt(), "user@docker-host:~/sub$ ");
    run(&mut s, "cd /tmp");
    assert_eq!(s.prompt(), "user@docker-host:/tmp$ ");
}

#[test]
fn exec_it_sh_enters_the_container_until_exit() {
    let mut s = Session::new();
    run(&mut s, "docker run -d --name web alpine sleep 1000");
    let entered = s.run_line("docker exec -it web sh");
    assert_eq!(entered.text(), "");
    assert_eq!(s.prompt(), "/ # ");
    assert!(s.attached_container().is_some());
    assert_eq!(run(&mut s, "pwd"), "/\n");
    assert_eq!(run(&mut s, "echo $TERM $HOME"), "xterm /root\n");
    run(&mut s, "cd /tmp; X=kept; echo hi > note");
    assert_eq!(s.prompt(), "/tmp # ");
    assert_eq!(run(&mut s, "echo $X; cat note"), "kept\nhi\n");
    // A command the container has not got.
    let missing = s.run_line("docker ps");
    assert_eq!(missing.text(), "sh: docker: not found\n");
    assert_eq!(missing.code, 127);
    let out = s.run_line("exit 4");
    assert_eq!(out.text(), "");
    assert_eq!(s.prompt(), "user@docker-host:~$ ");
    assert_eq!(s.attached_container(), None);
    assert_eq!(run(&mut s, "echo $?"), "4\n");
    // The exec ended, the container runs on with what the shell wrote.
    assert_eq!(
        run(&mut s, "docker ps --format '{{.Names}} {{.State}}'"),
        "web running\n"
    );
    assert_eq!(run(&mut s, "docker exec web cat /tmp/note"), "hi\n");
}

#[test]
fn exec_it_variants_all_attach() {
    for line in [
        "docker exec -it c1 sh",
        "docker exec -ti c1 /bin/sh",
        "docker exec -i -t c1 ash",
        "docker container exec -it c1 sh -l",
    ] {
        let mut s = Session::new();
        run(&mut s, "docker run -d --name c1 alpine sleep 1000");
        run(&mut s, line);
        assert_eq!(s.prompt(), "/ # ", "{line}");
        run(&mut s, "exit");
        assert_eq!(s.prompt(), "user@docker-host:~$ ", "{line}");
    }
}

#[test]
fn exec_it_bash_in_alpine_fails_as_docker_does() {
    let mut s = Session::new();
    run(&mut s, "docker run -d --name c1 alpine sleep 1000");
    let out = s.run_line("docker exec -it c1 bash");
    assert_eq!(
        out.text(),
        "OCI runtime exec failed: exec failed: unable to start container process: exec: \"bash\": executable file not found in $PATH: unknown\n"
    );
    assert_eq!(out.code, 126);
    assert_eq!(s.prompt(), "user@docker-host:~$ ");
}

#[test]
fn exec_it_in_a_stopped_container_is_refused() {
    let mut s = Session::new();
    run(&mut s, "docker create --name c1 alpine");
    let out = s.run_line("docker exec -it c1 sh");
    assert_eq!(out.code, 1);
    assert!(out.text().ends_with("is not running\n"), "{}", out.text());
    assert_eq!(s.attached_container(), None);
}

#[test]
fn non_root_prompt_ends_in_dollar_and_home_slash_is_not_abbreviated() {
    let mut s = Session::new();
    run(&mut s, "docker run -d --name c1 alpine sleep 1000");
    run(&mut s, "docker exec -it -u 1000 -w /tmp c1 sh");
    assert_eq!(s.prompt(), "/tmp $ ");
    run(&mut s, "exit");
    run(&mut s, "docker exec -it -u nobody c1 sh");
    assert_eq!(s.prompt(), "/ $ ");
    assert_eq!(run(&mut s, "id -u"), "65534\n");
    run(&mut s, "exit");
    run(&mut s, "docker exec -it c1 sh");
    run(&mut s, "cd");
    assert_eq!(s.prompt(), "~ # ");
    run(&mut s, "cd /usr/bin");
    assert_eq!(s.prompt(), "/usr/bin # ");
}

#[test]
fn run_it_alpine_runs_its_shell_and_exit_stops_the_container() {
    let mut s = Session::new();
    let out = s.run_line("docker run -it --name t1 alpine");
    assert_eq!(out.text(), "");
    assert_eq!(s.prompt(), "/ # ");
    assert_eq!(
        run(&mut s, "echo inside"),
        "inside\n",
        "the line runs in the container"
    );
    run(&mut s, "touch /made-here");
    run(&mut s, "exit 3");
    assert_eq!(s.prompt(), "user@docker-host:~$ ");
    assert_eq!(run(&mut s, "echo $?"), "3\n");
    assert_eq!(
        run(
            &mut s,
            "docker ps -a --format '{{.Names}} {{.Command}} {{.Status}}'"
        ),
        "t1 \"/bin/sh\" Exited (3) Less than a second ago\n"
    );
    assert_eq!(run(&mut s, "docker diff t1"), "A /made-here\n");
    // What the shell printed is the container's log.
    assert_eq!(run(&mut s, "docker logs t1"), "inside\n");
}

#[test]
fn run_it_rm_removes_the_container_on_exit() {
    let mut s = Session::new();
    run(&mut s, "docker run -it --rm alpine sh");
    assert_eq!(s.prompt(), "/ # ");
    assert_eq!(
        run(&mut s, "echo $HOSTNAME | wc -c"),
        "13\n",
        "the hostname is the short id"
    );
    run(&mut s, "exit");
    assert_eq!(run(&mut s, "docker ps -aq"), "");
}

#[test]
fn run_it_with_a_command_that_is_not_a_shell_just_runs_it() {
    let mut s = Session::new();
    let out = s.run_line("docker run -it --rm alpine echo hi");
    assert_eq!(out.text(), "hi\n");
    assert_eq!(s.prompt(), "user@docker-host:~$ ");
}

#[test]
fn run_dit_keeps_the_shell_waiting_and_the_container_running() {
    let mut s = Session::new();
    run(&mut s, "docker run -dit --name bg alpine");
    assert_eq!(s.prompt(), "user@docker-host:~$ ");
    assert_eq!(
        run(&mut s, "docker ps --format '{{.Names}} {{.State}}'"),
        "bg running\n"
    );
}

#[test]
fn start_ai_attaches_the_shell_of_a_created_container() {
    let mut s = Session::new();
    run(&mut s, "docker create -it --name c1 alpine");
    run(&mut s, "docker start -ai c1");
    assert_eq!(s.prompt(), "/ # ");
    run(&mut s, "exit 2");
    assert_eq!(
        run(&mut s, "docker ps -a --format '{{.Status}}'"),
        "Exited (2) Less than a second ago\n"
    );
}

#[test]
fn ctrl_d_leaves_the_container_shell_with_its_last_status() {
    let mut s = Session::new();
    run(&mut s, "docker run -it --name c1 alpine");
    run(&mut s, "false");
    let out = s.end_of_input();
    assert_eq!(out.text(), "\n");
    assert_eq!(out.code, 1);
    assert_eq!(s.prompt(), "user@docker-host:~$ ");
    assert_eq!(
        run(&mut s, "docker ps -a --format '{{.Status}}'"),
        "Exited (1) Less than a second ago\n"
    );
    assert!(!s.closed());
    let out = s.end_of_input();
    assert_eq!(out.text(), "exit\n");
    assert!(s.closed());
}

#[test]
fn an_open_quote_waits_for_the_next_line_at_the_continuation_prompt() {
    let mut s = Session::new();
    assert_eq!(run(&mut s, "echo \"one"), "");
    assert_eq!(s.prompt(), "> ");
    assert_eq!(run(&mut s, "two\""), "one\ntwo\n");
    assert_eq!(s.prompt(), "user@docker-host:~$ ");
    run(&mut s, "for i in 1 2");
    run(&mut s, "do echo $i");
    assert_eq!(run(&mut s, "done"), "1\n2\n");
    run(&mut s, "echo a \\");
    assert_eq!(run(&mut s, "b"), "a b\n");
}

#[test]
fn ctrl_c_drops_the_half_typed_command() {
    let mut s = Session::new();
    run(&mut s, "if true");
    assert_eq!(s.prompt(), "> ");
    let out = s.interrupt();
    assert_eq!(out.text(), "^C\n");
    assert_eq!(s.prompt(), "user@docker-host:~$ ");
    assert_eq!(run(&mut s, "echo $?"), "130\n");
    run(&mut s, "docker run -it alpine");
    s.interrupt();
    assert_eq!(s.prompt(), "/ # ", "Ctrl-C does not end the shell");
    assert_eq!(run(&mut s, "echo $?"), "130\n");
}

#[test]
fn docker_stop_runs_the_waiting_shells_trap() {
    let mut s = Session::new();
    run(&mut s, "docker run -d --name pg postgres");
    run(&mut s, "docker run -d --name web nginx");
    run(&mut s, "docker stop pg web");
    assert_eq!(
        run(&mut s, "docker logs pg | tail -n 1"),
        "LOG:  database system is shut down\n"
    );
    // Both shells trap the signal and exit 0, as the real ones do.
    assert_eq!(
        run(&mut s, "docker ps -a --format '{{.Names}} {{.Status}}'"),
        "web Exited (0) Less than a second ago\npg Exited (0) Less than a second ago\n"
    );
}

#[test]
fn programs_on_the_container_terminal_print_columns() {
    let mut s = Session::new();
    let columns = "bin    etc    lib    mnt    proc   run    srv    tmp    var\ndev    home   media  opt    root   sbin   sys    usr\n";
    // As `script -qc 'docker run --rm -t alpine ls /'` shows it.
    assert_eq!(run(&mut s, "docker run --rm -t alpine ls /"), columns);
    run(&mut s, "docker run -it --name c1 alpine");
    assert_eq!(run(&mut s, "ls /"), columns);
    run(&mut s, "exit");
    assert_eq!(
        run(&mut s, "docker run --rm alpine ls /").lines().count(),
        17
    );
}
