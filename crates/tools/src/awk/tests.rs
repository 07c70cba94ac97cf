//! awk programs and what BusyBox's awk prints for them (checked against the real one; the
//! recorded goldens in `tests/golden` cover the command-line side).

use std::collections::BTreeMap;

use layerbox_fstree::{Cred, Tree};

use crate::{Ctx, Flavor, Output};

fn run(args: &[&str], stdin: &str) -> Output {
    let mut fs = Tree::new();
    let env = BTreeMap::new();
    let mut ctx = Ctx {
        fs: &mut fs,
        cred: Cred::root(),
        cwd: "/".into(),
        env: &env,
        now: 0,
        flavor: Flavor::BusyBox,
        stdin: stdin.as_bytes(),
        hostname: "h".into(),
        user_name: None,
        group_name: None,
        mounts: &[],
        tty: false,
        exec: None,
        umask: crate::DEFAULT_UMASK,
        work: None,
        max_output: crate::MAX_OUTPUT,
    };
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    super::awk("awk", &args, &mut ctx)
}

fn check(prog: &str, stdin: &str, want: &str) {
    let out = run(&[prog], stdin);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        want,
        "{prog}: stderr {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn programs_print_what_busybox_awk_prints() {
    check("{print $2}", "a b c\nd e\n", "b\ne\n");
    check(
        "BEGIN{print 0.1+0.2, 1e6, 1e20, 100000000, 3.0, -0}",
        "",
        "0.3 1000000 1e+20 100000000 3 0\n",
    );
    check(
        "BEGIN{CONVFMT=\"%.2g\"; a=3.14159; b=a \"\"; print b; print a}",
        "",
        "3.1\n3.14159\n",
    );
    check(
        "BEGIN{print substr(\"hello\",0,2), substr(\"hello\",-1), substr(\"hello\",2)}",
        "",
        "he hello ello\n",
    );
    check("BEGIN{print index(\"abc\",\"c\"), toupper(\"aB\"), match(\"xxab\",\"a+b\"), RSTART, RLENGTH}", "", "3 AB 3 3 2\n");
    check(
        "BEGIN{s=\"aaa\"; n=gsub(/a/,\"[&]\",s); print n, s}",
        "",
        "3 [a][a][a]\n",
    );
    check(
        "BEGIN{n=split(\"a:b:c\",arr,\":\"); print n, arr[1], arr[3]}",
        "",
        "3 a c\n",
    );
    check("function f(a){return a*2} BEGIN{print f(3)}", "", "6\n");
    check(
        "BEGIN{print 1==1.0, \"a\"<\"b\", 2<10, \"2\"<\"10\"}",
        "",
        "1 1 1 0\n",
    );
    check("{ s += $1 } END { print s, NR }", "1\n2\n3\n", "6 3\n");
    check("/b/,/d/", "a\nb\nc\nd\ne\n", "b\nc\nd\n");
    check("{$2=\"X\"; print; print NF}", "a b c\n", "a X c\n3\n");
    check(
        "{ a[$1]++ } END { for (k in a) print k, a[k] }",
        "x\ny\nx\n",
        "x 2\ny 1\n",
    );
    check(
        "BEGIN { while (i < 3) { i++; if (i == 2) continue; print i } }",
        "",
        "1\n3\n",
    );
    check("BEGIN { do { print \"once\" } while (0) }", "", "once\n");
    check(
        "BEGIN { x[1]; if (1 in x) print \"in\"; delete x; print length(x) }",
        "",
        "in\n0\n",
    );
    check("NR==1{next} {print}", "a\nb\n", "b\n");
    check(
        "BEGIN { printf \"%d %5.2f %s %c %x|%-4s|\\n\", 3.9, 2.345, \"a\", 65, 255, \"b\" }",
        "",
        "3  2.35 a A ff|b   |\n",
    );
    check(
        "$1 ~ /^[0-9]+$/ { print \"num\" } $1 !~ /^[0-9]+$/ { print \"str\" }",
        "12\nab\n",
        "num\nstr\n",
    );
    check("{ print length }", "abc\n", "3\n");
    check("BEGIN { getline; print \"got\" $0 }", "l1\n", "gotl1\n");
    check(
        "BEGIN { s = \"a.b.c\"; gsub(\".\", \"-\", s); print s }",
        "",
        "-----\n",
    );
    check(
        "BEGIN { s = \"abc\"; sub(/b/, \"[\\\\&]\", s); print s }",
        "",
        "a[&]c\n",
    );
}

#[test]
fn field_separators_and_output_separators() {
    let out = run(
        &[
            "-F:",
            "-v",
            "OFS=-",
            "{$2=\"X\"; print; NF=2; print; $5=\"e\"; print; print NF}",
        ],
        "a:b:c\n",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "a-X-c\na-X\na-X---e\n5\n"
    );
    let out = run(
        &["BEGIN{RS=\"\"}{print NR\": \"$0\" NF=\"NF}"],
        "a b\n\nc d\ne\n",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "1: a b NF=2\n2: c d\ne\n NF=3\n"
    );
}

#[test]
fn errors_name_the_program_line() {
    let out = run(&["BEGIN{print 1/0}"], "");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "awk: cmd. line:1: Division by zero\n"
    );
    assert_eq!(out.code, 1);
    let out = run(&["BEGIN{x=}"], "");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "awk: cmd. line:1: Unexpected token\n"
    );
    let out = run(&["BEGIN { exit 3 }"], "");
    assert_eq!(out.code, 3);
}

#[test]
fn an_endless_loop_stops_at_the_budget() {
    let out = run(&["BEGIN { while (1) x++ }"], "");
    assert_eq!(out.code, 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("(layerbox limit)"));
    let out = run(&["BEGIN { s = \"x\"; while (1) s = s s }"], "");
    assert_eq!(out.code, 2);
    let out = run(&["function f(n) { return f(n+1) } BEGIN { f(1) }"], "");
    assert_eq!(out.code, 2);
    let out = run(&["BEGIN { while (1) print \"yes\" }"], "");
    assert!(out.code != 0);
}

#[test]
fn deeply_nested_programs_are_refused_not_overflowed() {
    for (open, close) in [("(", ")"), ("-", ""), ("!", ""), ("$", ""), ("a[", "]")] {
        let prog = format!(
            "BEGIN {{ x = {}1{} }}",
            open.repeat(5000),
            close.repeat(5000)
        );
        let out = run(&[&prog], "");
        assert_ne!(out.code, 0, "{open}");
    }
    let prog = format!("BEGIN {{ {} }}", "if (1) ".repeat(5000));
    assert_ne!(run(&[&prog], "").code, 0);
    let prog = format!("BEGIN {{ {} }}", "{".repeat(5000));
    assert_ne!(run(&[&prog], "").code, 0);
}

#[test]
fn deep_recursion_through_deep_expressions_stops_at_a_limit() {
    let deep = format!("{}f(n + 1){}", "(".repeat(40), ")".repeat(40));
    let prog = format!("function f(n) {{ return {deep} }} BEGIN {{ f(1) }}");
    let out = run(&[&prog], "");
    assert_eq!(out.code, 2, "{}", String::from_utf8_lossy(&out.stderr));
    let out = run(&["function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2) } BEGIN { print fib(15) }"], "");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "610\n");
}
