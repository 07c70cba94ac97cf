//! Fuzzing: no input, random or shaped like a script, panics or runs unbounded.

use layerbox_sh::Dialect;
use proptest::prelude::*;

use crate::host::run;

fn ends_well(input: &str) {
    for dialect in [Dialect::BusyBoxAsh, Dialect::Bash] {
        let (r, _) = run(dialect, input);
        assert!(r.code >= 0 && r.code <= 255, "{input:?}: {}", r.code);
    }
}

const ATOMS: &[&str] = &[
    "echo a",
    "cat",
    "true",
    "false",
    "x=$((1+2))",
    "echo $x",
    "[ -f a.txt ]",
    "test 1 -lt 2",
    "cd sub",
    "cd ..",
    "cd -",
    "echo *",
    "echo ${x:-d}",
    "echo \"$(echo q)\"",
    "echo `echo b`",
    "exit 1",
    "break",
    "continue",
    ": > f",
    "cat < f",
    "echo z >> f",
    "nope",
    "echo a 2>&1",
    "export y=1",
    "unset y",
    "(echo s)",
    "{ echo g; }",
    "echo ${#x}",
];

fn script() -> impl Strategy<Value = String> {
    let atom = proptest::sample::select(ATOMS).prop_map(str::to_string);
    atom.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a}; {b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} && {b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} || {b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} | {b}")),
            (inner.clone(), inner.clone())
                .prop_map(|(a, b)| format!("if {a}; then {b}; else {a}; fi")),
            inner
                .clone()
                .prop_map(|a| format!("for i in 1 2 *; do {a}; done")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("while {a}; do {b}; done")),
            inner.clone().prop_map(|a| format!("echo $({a})")),
            inner.prop_map(|a| format!("({a}) > out")),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_input_ends(input in "\\PC{0,60}") {
        ends_well(&input);
    }

    #[test]
    fn shell_like_input_ends(input in "[a-z $'\"`(){};|&<>*?\\[\\]!#=\\\\\n0-9-]{0,60}") {
        ends_well(&input);
    }

    #[test]
    fn structured_scripts_end(input in script()) {
        ends_well(&input);
    }
}
