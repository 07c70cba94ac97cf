//! More cases than the recordings hold, as a table checked by hand against the real shells,
//! and single behaviours: environments, redirections, state between runs, budgets, `sh -c`.

use layerbox_fstree::{Cred, FileSystem};
use layerbox_sh::{Dialect, Stream};

use crate::host::{run, shell, FakeHost};

/// (dialect, input, stdout, stderr, status): behaviour beyond the recordings, and lines checked
/// by hand against `busybox sh` and `bash` on this machine.
const CASES: &[(Dialect, &str, &str, &str, i32)] = {
    use Dialect::{Bash, BusyBoxAsh as Ash};
    &[
        (Ash, "exit 3", "", "", 3),
        // `type` on Alpine: its ash has no FEATURE_SH_STANDALONE (Debian's static build, the
        // recorder's, says `cat is cat`), so a program is its path (ash.c's describe_command).
        (Ash, "type cat; cat a.txt; type cat", "cat is /usr/bin/cat\ncat is /usr/bin/cat\n", "", 0),
        (Ash, "PATH=/nowhere; type cat; echo $?", "cat: not found\n127\n", "", 0),
        (Ash, "type export . source", "export is a special shell builtin\n. is a special shell builtin\nsource is a special shell builtin\n", "", 0),
        (Ash, "f() { :; }; type f; command -v f; type -p cat", "f is a function\nf\n/usr/bin/cat\n", "", 0),
        (Bash, "type cat; cat a.txt; type cat", "cat is /usr/bin/cat\ncat is hashed (/usr/bin/cat)\n", "", 0),
        (Bash, "cat a.txt; PATH=/usr/bin; type cat", "cat is /usr/bin/cat\n", "", 0),
        (Bash, "PATH=/nowhere; type cat; echo $?", "1\n", "bash: type: cat: not found\n", 0),
        (Bash, "f() { :; }; type -t cd if cat f; type -p cat cd; echo $?; type -P cd; echo $?", "builtin\nkeyword\nfile\nfunction\n/usr/bin/cat\n0\n1\n", "", 0),
        (Bash, "type -x", "", "bash: type: -x: invalid option\ntype: usage: type [-afptP] name [name ...]\n", 2),
        (Ash, "echo '. ./r.sh' > r.sh; . ./r.sh", "", "sh: .: nesting too deep (layerbox limit)\n", 2),
        (Bash, "eval 'eval \"echo deep\"'; x=$(eval 'echo sub'); echo $x", "deep\nsub\n", "", 0),
        (Ash, "f() { f | f; }; f", "", "sh: function nesting too deep (layerbox limit)\n", 2),
        (Ash, "f() { local a=1; echo $a; }; f; echo [$a]", "1\n[]\n", "", 0),
        (Ash, "case a in [ab]) echo class;; esac", "class\n", "", 0),
        (Bash, "cat <<E1; cat <<E2\none\nE1\ntwo\nE2", "one\ntwo\n", "", 0),
        (Bash, "exit 3", "", "exit\n", 3),
        (Ash, "(exit 4); echo $?", "4\n", "", 0),
        (Bash, "(exit 4); echo $?", "4\n", "", 0),
        (Ash, "echo a & echo b", "a\nb\n", "", 0),
        (Ash, "i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done", "0\n1\n2\n", "", 0),
        (Ash, "for i in 1 2 3; do if [ $i = 2 ]; then continue; fi; echo $i; done", "1\n3\n", "", 0),
        (Ash, "for i in 1 2 3; do echo $i; break; done", "1\n", "", 0),
        (Ash, "until true; do echo x; done; echo end", "end\n", "", 0),
        (Ash, "{ echo a; echo b; } > out; cat out", "a\nb\n", "", 0),
        (Ash, "for x in a b; do echo $x; done | cat", "a\nb\n", "", 0),
        (Ash, "cd sub | cat; pwd", "/tmp/rs/w\n", "", 0),
        (Ash, "(cd sub; pwd); pwd", "/tmp/rs/w/sub\n/tmp/rs/w\n", "", 0),
        (Ash, "A=1; A=2 echo $A", "1\n", "", 0),
        (Ash, "echo \"$(echo a; echo b)\"", "a\nb\n", "", 0),
        (Ash, "echo $(echo a; echo b)", "a b\n", "", 0),
        (Ash, "X='a  b'; echo $X; echo \"$X\"", "a b\na  b\n", "", 0),
        (Ash, "E=; echo [$E] \"[$E]\" x${E}y", "[] [] xy\n", "", 0),
        (Ash, "echo ${#HOME} ${HOME%/*} ${HOME#*/} ${HOME##*/}", "12 /tmp/rs tmp/rs/home home\n", "", 0),
        (Ash, "echo ${U-unset} ${U+set} ${HOME:+set}", "unset set\n", "", 0),
        (Ash, "echo ${U:=dflt}; echo $U", "dflt\ndflt\n", "", 0),
        (Ash, "echo ${U:?no value}", "", "sh: U: no value\n", 2),
        (Ash, "echo /tmp/rs/w/*.txt", "/tmp/rs/w/a.txt /tmp/rs/w/b.txt\n", "", 0),
        (Ash, "echo */", "ro/ sub/\n", "", 0),
        (Ash, "echo \\*.txt '*'.txt", "*.txt *.txt\n", "", 0),
        (Ash, "echo a > /dev/stderr", "", "a\n", 0),
        (Ash, "echo a 1>&2 2>/dev/null", "", "a\n", 0),
        (Ash, "cat nope 2>&1 >/dev/null | cat", "cat: can't open 'nope': No such file or directory\n", "", 0),
        (Bash, "cat nope", "", "cat: nope: No such file or directory\n", 1),
        (Ash, "! false && echo negated", "negated\n", "", 0),
        (Ash, "true || { echo no; }; echo $?", "0\n", "", 0),
        (Ash, "A=$(false); echo $?", "1\n", "", 0),
        (Ash, "echo $((7 / 2)) $((1 + 2 * 3)) $(( (1+2)*3 ))", "3 7 9\n", "", 0),
        (Ash, "echo $((1/0)); echo after", "", "sh: divide by zero\n", 2),
        (Ash, "export A=exported; echo x", "x\n", "", 0),
        (Ash, "export 1x", "", "sh: export: 1x: bad variable name\n", 2),
        (Bash, "export 1x", "", "bash: export: `1x': not a valid identifier\n", 1),
        (Ash, "A=1; export A; export", "export A='1'\nexport HOME='/tmp/rs/home'\nexport PATH='/usr/bin:/bin'\nexport PWD='/tmp/rs/w'\n", "", 0),
        (Bash, "cd /nope", "", "bash: cd: /nope: No such file or directory\n", 1),
        (Bash, "cd -", "", "bash: cd: OLDPWD not set\n", 1),
        (Ash, "cd sub; cd ..; pwd; echo $OLDPWD", "/tmp/rs/w\n/tmp/rs/w/sub\n", "", 0),
        (Ash, "exit abc", "", "sh: exit: Illegal number: abc\n", 2),
        (Bash, "exit abc", "", "exit\nbash: exit: abc: numeric argument required\n", 2),
        (Ash, "[ a b ]", "", "sh: b: unknown operand\n", 2),
        (Bash, "[ a b ]", "", "bash: [: a: unary operator expected\n", 2),
        (Bash, "test 1 -lt", "", "bash: test: 1: unary operator expected\n", 2),
        (Ash, "[ 1 -eq 1 -a 2 -gt 1 ] && echo y", "y\n", "", 0),
        (Ash, "[ ! -d a.txt -o -f a.txt ] && echo y", "y\n", "", 0),
        (Ash, "echo >", "", "sh: syntax error: unexpected newline\n", 2),
        (Bash, "echo >", "", "bash: syntax error near unexpected token `newline'\n", 2),
        (Ash, "echo ${A B}", "", "sh: syntax error: bad substitution\n", 2),
        (Bash, "echo ${A B}", "", "bash: ${A B}: bad substitution\n", 1),
        (Ash, "for 1 in a; do echo; done", "", "sh: syntax error: bad for loop variable\n", 2),
        (Ash, "echo `echo a", "", "sh: syntax error: EOF in backquote substitution\n", 2),
        (Bash, "echo `echo a", "", "bash: unexpected EOF while looking for matching ``'\n", 2),
        (Ash, "echo $(echo a", "", "sh: syntax error: unexpected end of file (expecting \")\")\n", 2),
        (Ash, "(echo a", "", "sh: syntax error: unexpected end of file (expecting \")\")\n", 2),
        (Ash, "echo ${A", "", "sh: syntax error: missing '}'\n", 2),
        (Ash, "echo a;;", "", "sh: syntax error: unexpected \";;\"\n", 2),
        (Ash, "echo a\necho b\nfi\necho c", "a\nb\n", "sh: syntax error: unexpected \"fi\"\n", 2),
        (Ash, "echo a \\\nb", "a b\n", "", 0),
        (Ash, "echo 'multi\nline'", "multi\nline\n", "", 0),
        (Ash, "vi", "", "sh: vi: not found\n", 127),
        (Bash, "vi", "", "bash: vi: command not found\n", 127),
        (Bash, "./run", "", "bash: ./run: No such file or directory\n", 127),
        (Ash, "echo hi > /tmp/rs/w/ro/y", "", "sh: can't create /tmp/rs/w/ro/y: Read-only file system\n", 1),
        (Ash, "break; echo after", "after\n", "", 0),
        (Ash, "A=b; echo $A", "b\n", "", 0),
        (Ash, "echo $# $0 \"$@\"", "0 sh\n", "", 0),
    ]
};

#[test]
fn cases_behave_as_the_shells_do() {
    let mut failures = Vec::new();
    for &(dialect, input, stdout, stderr, code) in CASES {
        let (r, _) = run(dialect, input);
        let got = (
            String::from_utf8_lossy(&r.stdout).into_owned(),
            String::from_utf8_lossy(&r.stderr).into_owned(),
            r.code,
        );
        if got != (stdout.to_string(), stderr.to_string(), code) {
            failures.push(format!("{dialect:?} {input:?}: got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn assignment_before_a_program_is_in_its_environment_only() {
    let (r, host) = run(Dialect::BusyBoxAsh, "A=tmp echo x; echo $A");
    assert_eq!(r.stdout, b"x\n\n");
    assert_eq!(host.log[0].1.as_deref(), Some("tmp"));
    assert_eq!(host.log[1].1, None);
}

#[test]
fn redirection_creates_and_appends_files_through_the_filesystem() {
    let (_, host) = run(
        Dialect::BusyBoxAsh,
        "echo one > f; echo two >> f; : > empty",
    );
    let root = Cred::root();
    assert_eq!(
        &*host.fs.read_file(&root, "/tmp/rs/w/f").unwrap(),
        b"one\ntwo\n"
    );
    assert_eq!(&*host.fs.read_file(&root, "/tmp/rs/w/empty").unwrap(), b"");
}

#[test]
fn umask_sets_the_mode_of_files_redirections_create() {
    for dialect in [Dialect::BusyBoxAsh, Dialect::Bash] {
        let (r, host) = run(dialect, "echo a > dflt; umask 077; echo b > private; umask");
        assert_eq!(r.stdout, b"0077\n");
        let root = Cred::root();
        let mode = |p: &str| host.fs.stat(&root, p).unwrap().mode & 0o7777;
        assert_eq!(mode("/tmp/rs/w/dflt"), 0o644);
        assert_eq!(mode("/tmp/rs/w/private"), 0o600);
    }
}

#[test]
fn kill_l_lists_the_signals_as_each_shell_does() {
    // BusyBox's `print_signames()`: `%2d) %s`, one a line, 1 to 31 (checked against
    // `busybox sh -c 'kill -l'`).
    let (r, _) = run(Dialect::BusyBoxAsh, "kill -l");
    let text = String::from_utf8_lossy(&r.stdout).into_owned();
    assert!(text.starts_with(" 1) HUP\n 2) INT\n"), "{text}");
    assert!(text.ends_with("29) POLL\n30) PWR\n31) SYS\n"), "{text}");
    assert_eq!(text.lines().count(), 31);
    let (r, _) = run(Dialect::Bash, "kill -l");
    let text = String::from_utf8_lossy(&r.stdout).into_owned();
    assert!(text.starts_with(" 1) SIGHUP\t 2) SIGINT\t"), "{text}");
    assert!(
        text.contains("29) SIGIO\t30) SIGPWR\n31) SIGSYS\t34) SIGRTMIN\t"),
        "{text}"
    );
    assert!(text.ends_with("64) SIGRTMAX\t\n"), "{text}");
}

#[test]
fn kill_of_a_process_is_the_hosts() {
    // The fake host runs no `kill`: the builtin hands the signalling on and the host's "not
    // found" comes back, as it would from any program.
    let (r, host) = run(Dialect::BusyBoxAsh, "kill -9 42");
    assert_eq!(
        host.log.last().map(|l| l.0.clone()),
        Some(vec!["kill".to_string(), "-9".into(), "42".into()])
    );
    assert_eq!(r.code, 127);
    let (r, _) = run(Dialect::BusyBoxAsh, "echo a & kill %1");
    assert_eq!(
        String::from_utf8_lossy(&r.stderr),
        "layerbox: kill of a shell job is not modelled\n"
    );
    assert_eq!(r.code, 69);
}

#[test]
fn state_survives_between_runs() {
    let mut host = FakeHost::new(Dialect::BusyBoxAsh);
    let mut sh = shell(Dialect::BusyBoxAsh);
    sh.run("cd sub; X=1", &mut host);
    let r = sh.run("pwd; echo $X; false", &mut host);
    assert_eq!(r.stdout, b"/tmp/rs/w/sub\n1\n");
    assert_eq!(sh.run("echo $?", &mut host).stdout, b"1\n");
}

#[test]
fn transcript_keeps_the_order_of_stdout_and_stderr() {
    let (r, _) = run(Dialect::BusyBoxAsh, "echo a; nope; echo b");
    assert_eq!(
        r.transcript,
        vec![
            (Stream::Stdout, b"a\n".to_vec()),
            (Stream::Stderr, b"sh: nope: not found\n".to_vec()),
            (Stream::Stdout, b"b\n".to_vec()),
        ]
    );
}

#[test]
fn exit_ends_the_shell_and_the_rest_of_the_input() {
    let (r, _) = run(Dialect::BusyBoxAsh, "echo a; exit 5; echo b");
    assert!(r.exited);
    assert_eq!((r.stdout.as_slice(), r.code), (&b"a\n"[..], 5));
}

#[test]
fn endless_loop_is_stopped_with_a_message() {
    for input in [
        "while true; do :; done",
        "while true; do echo y; done | cat",
        "for a in 1 2 3; do while :; do :; done; done",
        "until false; do echo $(while :; do :; done); done",
    ] {
        let (r, _) = run(Dialect::BusyBoxAsh, input);
        let err = String::from_utf8_lossy(&r.stderr);
        assert!(err.contains("layerbox limit"), "{input}: {err}");
        assert_eq!(r.code, 130, "{input}");
    }
}

#[test]
fn sh_dash_c_words_errors_with_line_numbers() {
    for (dialect, input, stderr) in [
        (Dialect::BusyBoxAsh, "cd /nope", "sh: cd: line 0: can't cd to /nope: No such file or directory\n"),
        (Dialect::BusyBoxAsh, "true\n\ncd /nope", "sh: cd: line 2: can't cd to /nope: No such file or directory\n"),
        (Dialect::BusyBoxAsh, "nosuch", "sh: nosuch: not found\n"),
        (Dialect::Bash, "nosuch", "bash: line 1: nosuch: command not found\n"),
        (Dialect::Bash, "cd /nope", "bash: line 1: cd: /nope: No such file or directory\n"),
        (Dialect::Bash, "true\ncd /nope", "bash: cd: /nope: No such file or directory\n"),
        (
            Dialect::Bash,
            "if true; then fi",
            "bash: -c: line 1: syntax error near unexpected token `fi'\nbash: -c: line 1: `if true; then fi'\n",
        ),
    ] {
        let mut host = FakeHost::new(dialect);
        let mut sh = shell(dialect);
        sh.interactive = false;
        let r = sh.run(input, &mut host);
        assert_eq!(String::from_utf8_lossy(&r.stderr), stderr, "{input}");
    }
}

#[test]
fn positional_parameters_of_sh_dash_c() {
    let mut host = FakeHost::new(Dialect::BusyBoxAsh);
    let mut sh = shell(Dialect::BusyBoxAsh);
    sh.interactive = false;
    sh.args = vec!["x y".into(), "z".into()];
    let r = sh.run(
        "echo $# $1; for a in \"$@\"; do echo [$a]; done; shift; echo $*",
        &mut host,
    );
    assert_eq!(String::from_utf8_lossy(&r.stdout), "2 x y\n[x y]\n[z]\nz\n");
}

#[test]
fn eval_and_dot_recursion_stops_at_the_nesting_limit() {
    for dialect in [Dialect::BusyBoxAsh, Dialect::Bash] {
        let (r, _) = run(dialect, "f() { eval f; }; f; echo after");
        assert_eq!(r.code, 2, "{dialect:?}");
        let (r, _) = run(dialect, "f() { eval 'eval \"eval f\"'; }; f");
        assert_eq!(r.code, 2, "{dialect:?}");
        let (r, _) = run(
            dialect,
            "echo 'f() { . ./r.sh; }; f' > r.sh; . ./r.sh; echo after",
        );
        assert_eq!(r.code, 2, "{dialect:?}");
    }
}
