//! `docker restart`, `kill`, `wait`, `top` and `cp` beyond what the recorded sessions pin
//! (`restart-kill-wait`, `top-lists-the-container-processes`, `cp-directories-and-errors`).

use layerbox_session::Session;

fn run(s: &mut Session, line: &str) -> String {
    s.run_line(line).text()
}

#[test]
fn cp_a_directory_contents_with_slash_dot() {
    let mut s = Session::new();
    run(&mut s, "mkdir -p d/sub && echo a > d/a && echo b > d/sub/b");
    run(&mut s, "docker create --name c1 alpine true");
    run(&mut s, "docker cp d/. c1:/etc/");
    run(&mut s, "docker start c1");
    assert_eq!(run(&mut s, "docker cp c1:/etc/sub/b out && cat out"), "b\n");
    let diff = run(&mut s, "docker diff c1");
    assert!(diff.contains("A /etc/a\n"), "{diff}");
    assert!(diff.contains("A /etc/sub/b\n"), "{diff}");
}

#[test]
fn cp_into_a_container_keeps_the_local_owner_and_a_chowns_to_its_user() {
    // Recorded in tests/conformance/cp-in-keeps-owner.txt: the daemon extracts the CLI's tar
    // with its owners; `-a` chowns to the container's user when it names one.
    let mut s = Session::new();
    run(&mut s, "echo hi > f && chmod 640 f");
    run(&mut s, "docker run -d --name c1 alpine sleep 1000");
    run(&mut s, "docker cp f c1:/tmp/plain");
    run(&mut s, "docker cp -a f c1:/tmp/kept");
    assert_eq!(
        run(
            &mut s,
            "docker exec c1 stat -c '%u %g %a %n' /tmp/plain /tmp/kept"
        ),
        "1000 1000 640 /tmp/plain\n1000 1000 640 /tmp/kept\n"
    );
    run(
        &mut s,
        "docker run -d --name c2 --user nobody alpine sleep 1000",
    );
    run(&mut s, "docker cp -a f c2:/tmp/kept");
    assert_eq!(
        run(&mut s, "docker exec c2 stat -c '%u %g %n' /tmp/kept"),
        "65534 65534 /tmp/kept\n"
    );
}

#[test]
fn cp_out_of_a_container_belongs_to_the_user() {
    let mut s = Session::new();
    run(
        &mut s,
        "docker run --name c1 alpine sh -c 'echo x > /root.txt'",
    );
    run(&mut s, "docker cp c1:/root.txt .");
    assert_eq!(run(&mut s, "stat -c '%U %a' root.txt"), "user 644\n");
}

#[test]
fn kill_with_a_trapped_signal_runs_the_trap() {
    let mut s = Session::new();
    run(&mut s, "docker run -d --name pg postgres");
    assert_eq!(run(&mut s, "docker kill -s TERM pg"), "pg\n");
    assert_eq!(run(&mut s, "docker wait pg"), "0\n");
    assert_eq!(
        run(&mut s, "docker logs pg | tail -n 1"),
        "LOG:  database system is shut down\n"
    );
}

#[test]
fn top_shows_the_command_of_the_container() {
    let mut s = Session::new();
    run(&mut s, "docker run -d --name t1 alpine sleep 1000");
    let top = run(&mut s, "docker top t1");
    let lines: Vec<&str> = top.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[1].starts_with("root "), "{top}");
    assert!(lines[1].ends_with("sleep 1000"), "{top}");
}

#[test]
fn restart_runs_the_command_again_and_keeps_the_writable_layer() {
    let mut s = Session::new();
    run(
        &mut s,
        "docker run -d --name r1 alpine sh -c 'echo run >> /log; sleep 1000'",
    );
    run(&mut s, "docker restart r1");
    run(&mut s, "docker restart r1");
    assert_eq!(run(&mut s, "docker exec r1 cat /log"), "run\nrun\nrun\n");
}

/// On a terminal the CLI reports the size of the tar stream it sent (seen through
/// `script -qc 'docker cp ...'` on the recording engine).
#[test]
fn cp_on_a_terminal_says_how_much_it_copied() {
    let mut s = Session::new();
    s.tty = true;
    run(
        &mut s,
        "echo hi > f.txt && mkdir -p d/sub && echo a > d/a && echo b > d/sub/b",
    );
    run(&mut s, "printf '%01000d' 0 > k.bin");
    run(&mut s, "docker create --name c9 alpine true");
    assert_eq!(
        run(&mut s, "docker cp f.txt c9:/tmp/"),
        "Successfully copied 2.05kB to c9:/tmp/\n"
    );
    assert_eq!(
        run(&mut s, "docker cp d c9:/tmp/"),
        "Successfully copied 4.1kB to c9:/tmp/\n"
    );
    assert_eq!(
        run(&mut s, "docker cp k.bin c9:/tmp/"),
        "Successfully copied 2.56kB to c9:/tmp/\n"
    );
    assert_eq!(
        run(&mut s, "docker cp c9:/tmp/f.txt out.txt"),
        "Successfully copied 2.05kB to /home/user/out.txt\n"
    );
    assert_eq!(
        run(&mut s, "docker cp c9:/tmp/d dout"),
        "Successfully copied 4.1kB to /home/user/dout\n"
    );
    assert_eq!(run(&mut s, "docker cp -q f.txt c9:/tmp/"), "");
}
