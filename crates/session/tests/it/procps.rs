//! The host's procps (`free`, `uptime`, `ps`, `top -b -n 1`): a container's processes are
//! host processes, with the PIDs `docker top` shows. Formats recorded from procps-ng 4.0.2 on
//! Debian 12 (see `layerbox_runtime::procps`); the machine and the host's processes are the
//! simulation's.

use layerbox_session::Session;

fn run(s: &mut Session, line: &str) -> String {
    s.run_line(line).text()
}

#[test]
fn a_containers_process_is_a_host_process_with_docker_tops_pid() {
    let mut s = Session::new();
    run(&mut s, "docker run -d --name web alpine sleep 1000");
    let top = run(&mut s, "docker top web");
    let pid = top
        .lines()
        .nth(1)
        .and_then(|l| l.split_whitespace().nth(1))
        .expect("a row")
        .to_string();
    let ps = run(&mut s, "ps -ef");
    let row = ps
        .lines()
        .find(|l| l.ends_with(" sleep 1000"))
        .expect("the container's sleep");
    assert_eq!(row.split_whitespace().nth(1), Some(pid.as_str()), "{ps}");
    let shim = row.split_whitespace().nth(2).expect("ppid");
    assert!(
        ps.lines().any(|l| l.split_whitespace().nth(1) == Some(shim)
            && l.contains("containerd-shim-runc-v2 -namespace moby -id ")),
        "{ps}"
    );
    assert!(ps.starts_with("UID          PID    PPID  C STIME TTY          TIME CMD\nroot           1       0  0 09:00 ?        00:00:00 /sbin/init\n"), "{ps}");
    assert_eq!(
        run(&mut s, &format!("ps -p {pid} -o pid=,comm=")),
        format!("{pid:>7} sleep\n")
    );
    assert_eq!(run(&mut s, "ps -C sleep -o args="), "sleep 1000\n");
    assert_eq!(
        run(&mut s, "ps -u root -o pid= | head -2"),
        "      1\n      2\n"
    );
    let r = s.run_line("ps -p 99999");
    assert_eq!(
        (r.text().as_str(), r.code),
        ("    PID TTY          TIME CMD\n", 1)
    );
    let r = s.run_line("ps -u nosuch");
    assert_eq!(r.code, 1);
    assert!(r
        .text()
        .starts_with("error: user name does not exist\n\nUsage:\n ps [options]\n"));
    run(&mut s, "docker stop -t 0 web");
    assert!(!run(&mut s, "ps aux").contains("sleep 1000"));
}

#[test]
fn ps_without_options_lists_the_learners_terminal() {
    let mut s = Session::new();
    assert_eq!(
        run(&mut s, "ps"),
        "    PID TTY          TIME CMD\n   1062 pts/0    00:00:00 bash\n   1063 pts/0    00:00:00 ps\n"
    );
    assert_eq!(run(&mut s, "ps -o pid=,comm= | head -1"), "   1062 bash\n");
    let aux = run(&mut s, "ps aux");
    assert!(aux.starts_with("USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\nroot           1  0.0  0.5 167640 11976 ?        Ss   09:00   0:00 /sbin/init\n"), "{aux}");
    assert!(
        aux.contains(
            "\nuser        1062  0.0  0.2   8264  5120 pts/0    Ss   09:00   0:00 -bash\n"
        ),
        "{aux}"
    );
}

#[test]
fn free_and_uptime_read_the_simulated_machine() {
    let mut s = Session::new();
    assert_eq!(
        run(&mut s, "free -m"),
        "               total        used        free      shared  buff/cache   available\n\
Mem:            2048         208        1536           4         304        1840\n\
Swap:              0           0           0\n"
    );
    run(&mut s, "sleep 125");
    assert_eq!(
        run(&mut s, "uptime"),
        " 09:02:05 up 2 min,  1 user,  load average: 0.00, 0.00, 0.00\n"
    );
    assert_eq!(run(&mut s, "uptime -s"), "2024-06-01 09:00:00\n");
}

#[test]
fn top_in_batch_mode_lists_every_host_process() {
    let mut s = Session::new();
    run(&mut s, "docker run -d --name db alpine sleep 1000");
    let out = run(&mut s, "top -b -n 1");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "top - 09:00:00 up 0 min,  1 user,  load average: 0.00, 0.00, 0.00"
    );
    assert_eq!(
        lines[1],
        "Tasks:  18 total,   1 running,  17 sleeping,   0 stopped,   0 zombie"
    );
    assert_eq!(
        lines[3],
        "MiB Mem :   2048.0 total,   1536.0 free,    208.0 used,    304.0 buff/cache     "
    );
    assert_eq!(
        lines[6],
        "    PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND"
    );
    assert!(
        out.contains(
            "\n    498 root      20   0 1800740  46880  31104 S   0.0   2.2   0:00.00 contain+\n"
        ),
        "{out}"
    );
    assert!(lines.iter().all(|l| l.chars().count() <= 80), "{out}");
    assert!(out.contains(" sleep\n"), "{out}");
}

#[test]
fn options_procps_has_that_are_not_modelled_say_so() {
    let mut s = Session::new();
    for (line, said) in [
        ("ps -X", "layerbox: ps -X is not modelled\n"),
        ("ps -o pid,wchan", "layerbox: ps -o wchan is not modelled\n"),
        (
            "free -s 1",
            "layerbox: free -s without -c 1 is not modelled\n",
        ),
        ("top -b -n 2", "layerbox: top -n 2 is not modelled\n"),
    ] {
        let r = s.run_line(line);
        assert_eq!((r.text().as_str(), r.code), (said, 69), "{line}");
    }
    let r = s.run_line("free -x");
    assert_eq!(r.code, 1);
    assert!(r
        .text()
        .starts_with("free: invalid option -- 'x'\n\nUsage:\n free [options]\n"));
}

#[test]
fn odd_arguments_never_panic() {
    let mut s = Session::new();
    run(&mut s, "docker run -d --name cc alpine sleep 1000");
    let words = [
        "", "-", "--", "-o", "-o=", "-n", "-n1", "-bn", "--x=", "-oo", "aux", "-eo", ",,", "pid=,",
        "=", "-p", "-h", "--si", "-hw", "x", "-V", "--help", "comm=", "-c", "1", "-b",
    ];
    for prog in ["free", "uptime", "ps", "top"] {
        for a in words {
            for b in words {
                let r = s.run_line(&format!("{prog} '{a}' '{b}'"));
                assert!(
                    r.code == 0 || r.code == 1 || r.code == 69,
                    "{prog} {a} {b}: {}",
                    r.text()
                );
            }
        }
    }
}
