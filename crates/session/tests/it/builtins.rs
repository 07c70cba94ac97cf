//! The shells' introspection builtins where they meet the world: `type` and `command -v` find
//! programs on the container's `PATH` and on the host's, and editors and network tools say
//! what to do instead.

use layerbox_runtime::NOT_MODELLED;
use layerbox_session::Session;

fn run(s: &mut Session, line: &str) -> (String, i32) {
    let r = s.run_line(line);
    (r.text(), r.code)
}

#[test]
fn type_and_command_v_find_programs_where_they_run() {
    let mut s = Session::new();
    // Debian 12's bash with Debian's PATH; `docker` is Docker's package's /usr/bin/docker.
    assert_eq!(
        run(&mut s, "type ls cd; command -v docker; ls > /dev/null; type ls"),
        (
            "ls is /usr/bin/ls\ncd is a shell builtin\n/usr/bin/docker\nls is hashed (/usr/bin/ls)\n".to_string(),
            0
        )
    );
    // Alpine's ash (no FEATURE_SH_STANDALONE): an applet is its link on PATH.
    assert_eq!(
        run(
            &mut s,
            "docker run --rm alpine sh -c 'type ls echo adduser; command -v sed; type nope'"
        ),
        (
            "ls is /bin/ls\necho is a shell builtin\nadduser is /usr/sbin/adduser\n/bin/sed\nnope: not found\n".to_string(),
            127
        )
    );
}

#[test]
fn editors_and_network_tools_say_what_to_use_instead() {
    let mut s = Session::new();
    let (out, code) = run(&mut s, "docker run --rm alpine vi /etc/hosts");
    assert_eq!(code, NOT_MODELLED);
    assert_eq!(
        out,
        "layerbox: vi is not modelled (BusyBox applet): there is no full-screen editor here; \
         write a file with cat > FILE <<'EOF' (then its lines, then EOF), or edit a \
         bind-mounted file in the Host panel's editor\n"
    );
    let (out, _) = run(&mut s, "nano notes.txt");
    assert!(
        out.starts_with("layerbox: nano is not modelled: there is no full-screen editor here"),
        "{out}"
    );
    assert!(out.ends_with("or use the Host panel's editor\n"), "{out}");
    let (out, code) = run(&mut s, "docker run --rm alpine ping -c 1 example.com");
    assert_eq!(code, NOT_MODELLED);
    assert_eq!(
        out,
        "layerbox: ping is not modelled (BusyBox applet): the only network here is HTTP, with \
         curl and wget, to servers that containers run\n"
    );
    // The way the message points to works.
    run(&mut s, "cat > notes.txt <<'EOF'\none\nEOF");
    assert_eq!(run(&mut s, "cat notes.txt"), ("one\n".to_string(), 0));
}

#[test]
fn umask_kill_l_eval_and_source_in_a_container() {
    let mut s = Session::new();
    let (out, code) = run(
        &mut s,
        "docker run --rm alpine sh -c 'umask; umask 027; echo x > /tmp/f; ls -l /tmp/f; kill -l 9; eval \"echo \\$((1+2))\"; echo \"echo sourced \\$1\" > /tmp/s; . /tmp/s arg'",
    );
    assert_eq!(code, 0, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "0022");
    assert!(
        lines[1].starts_with("-rw-r-----    1 root     root"),
        "{out}"
    );
    assert_eq!(&lines[2..], ["KILL", "3", "sourced arg"]);
}

#[test]
fn programs_and_child_shells_create_files_under_the_shells_umask() {
    let mut s = Session::new();
    let (out, code) = run(
        &mut s,
        "docker run --rm alpine sh -c 'umask 077; touch /tmp/f; mkdir /tmp/d; sh -c \"echo > /tmp/g; touch /tmp/h\"; cd /tmp; stat -c \"%a %n\" f d g h; umask 0; touch i; chmod -x i; stat -c \"%a %n\" i'",
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(out, "600 f\n700 d\n600 g\n600 h\n666 i\n");
    // On the host, and back to Debian's 022 for the next container.
    assert_eq!(
        run(
            &mut s,
            "umask 027; touch hf; mkdir hd; stat -c '%a %n' hf hd"
        ),
        ("640 hf\n750 hd\n".to_string(), 0)
    );
    assert_eq!(
        run(
            &mut s,
            "docker run --rm alpine sh -c 'touch /f; stat -c %a /f'"
        ),
        ("644\n".to_string(), 0)
    );
}

/// `tee`, `sort -o`, `dd of=`, `truncate` and sed's `w` create files under the shell's umask,
/// as they do on Debian and in BusyBox (checked against both on this machine).
#[test]
fn programs_that_create_files_honour_the_umask() {
    let mut s = Session::new();
    let make = "umask 077; echo x | tee t1 > /dev/null; seq 3 | sort -o s1; \
                dd if=/dev/null of=d1 2>/dev/null; truncate -s 0 r1; echo a | sed -n 'w w1'; \
                stat -c '%a %n' t1 s1 d1 r1 w1";
    let want = "600 t1\n600 s1\n600 d1\n600 r1\n600 w1\n";
    assert_eq!(s.run_line(make).text(), want);
    let r = s.run_line(&format!(
        "docker run --rm busybox sh -c \"{}\"",
        make.replace('\'', "\\\"")
    ));
    assert_eq!(r.text(), want);
}
