//! Users in containers: `adduser` and friends (crates/tools/src/loginutils.rs) and `su`, as
//! BusyBox's source has them. Debian's BusyBox, which the recorder runs, has no `adduser`, so
//! these are not recorded sessions.

use layerbox_session::Session;

fn run(s: &mut Session, line: &str) -> (String, i32) {
    let r = s.run_line(line);
    (r.text(), r.code)
}

#[test]
fn su_runs_a_command_as_the_user_with_its_home_and_names() {
    let mut s = Session::new();
    let (out, code) = run(
        &mut s,
        "docker run --rm -e HOME=/root alpine sh -c 'adduser -D app && su app -c \"id; echo \\$HOME \\$USER \\$LOGNAME; pwd\"'",
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out,
        "uid=1000(app) gid=1000(app) groups=1000(app)\n/home/app app app\n/\n"
    );
    // `su -` clears the environment, sets BusyBox's PATH and starts in the home directory.
    let (out, _) = run(
        &mut s,
        "docker run --rm -e X=1 alpine sh -c 'adduser -D app && su - app -c \"pwd; echo \\$PATH x\\$X\"'",
    );
    assert_eq!(out, "/home/app\n/bin:/usr/bin x\n");
    // To root, USER and LOGNAME stay as they were.
    let (out, _) = run(
        &mut s,
        "docker run --rm alpine su -c 'echo $HOME ${USER-unset}'",
    );
    assert_eq!(out, "/root unset\n");
}

#[test]
fn su_refusals_in_busybox_words() {
    let mut s = Session::new();
    let (out, code) = run(&mut s, "docker run --rm alpine su nobody2 -c id");
    assert_eq!((out.as_str(), code), ("su: unknown user nobody2\n", 1));
    let (out, code) = run(&mut s, "docker run --rm --user nobody alpine su -c id");
    assert_eq!(
        (out.as_str(), code),
        ("su: must be suid to work properly\n", 1)
    );
    let (out, code) = run(&mut s, "docker run --rm alpine su -x");
    assert!(
        out.starts_with("su: invalid option -- 'x'\nBusyBox v1.36.1"),
        "{out}"
    );
    assert_eq!(code, 1);
}

#[test]
fn a_system_user_has_no_login_shell() {
    let mut s = Session::new();
    let (out, code) = run(
        &mut s,
        "docker run --rm alpine sh -c 'addgroup -S app && adduser -S app -G app && grep app /etc/passwd /etc/group'",
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out,
        "/etc/passwd:app:x:100:101:Linux User,,,:/home/app:/sbin/nologin\n/etc/group:app:x:101:app\n"
    );
}
