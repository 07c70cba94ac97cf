//! Hostile Dockerfiles: the parser and the builder's word expansion never panic, end within a
//! time bound on any text, and refuse substitutions nested past `MAX_NESTING` with a layerbox
//! limit instead of recursing with the text.
//!
//! `LAYERBOX_FUZZ_CASES` sets the number of cases (a few thousand by default; more by hand).

#![cfg(not(target_arch = "wasm32"))]

use std::time::{Duration, Instant};

use layerbox_dockerfile::word::{expand, expand_words, MAX_NESTING};
use layerbox_dockerfile::{parse, Instruction};
use proptest::prelude::*;

/// Every parse or expansion of one case ends well within this, even in a debug build.
const BOUND: Duration = Duration::from_millis(500);

fn cases(default: u32) -> u32 {
    std::env::var("LAYERBOX_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

fn env(name: &str) -> Option<String> {
    match name {
        "a" => Some("x y".into()),
        "e" => Some(String::new()),
        _ => None,
    }
}

/// A word made of the characters the lexer treats apart, nested substitutions among them.
fn word() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        "[ab_ ]{0,3}",
        Just("$a".to_string()),
        Just("${e}".to_string()),
        Just("'".to_string()),
        Just("\"".to_string()),
        Just("\\".to_string()),
        Just("$".to_string()),
        Just("}".to_string()),
        Just("{".to_string()),
    ];
    leaf.prop_recursive(8, 64, 4, |inner| {
        prop_oneof![
            (
                prop_oneof![
                    Just(":-"),
                    Just("-"),
                    Just(":+"),
                    Just("+"),
                    Just(":?"),
                    Just("?"),
                    Just(":")
                ],
                prop_oneof![Just("a"), Just("e"), Just("u")],
                prop::collection::vec(inner.clone(), 0..4)
            )
                .prop_map(|(op, name, parts)| format!("${{{name}{op}{}}}", parts.concat())),
            prop::collection::vec(inner.clone(), 0..4).prop_map(|p| format!("\"{}\"", p.concat())),
            prop::collection::vec(inner, 0..4).prop_map(|p| p.concat()),
        ]
    })
}

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let began = Instant::now();
    let value = f();
    assert!(began.elapsed() < BOUND, "{what} took {:?}", began.elapsed());
    value
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(2000)))]

    #[test]
    fn any_text_parses_into_lines_and_instructions_or_errors(text in "([A-Za-z]{0,8}[ \\t]?(\\[|\\]|\"|'|\\\\|\\$|[a-z=:/.-]|\\{|\\}| |\\n|#){0,40}\\n?){0,8}") {
        let lines = timed("parse", || parse(&text));
        for line in &lines {
            let _ = timed("an instruction", || Instruction::from_line(line));
        }
    }

    #[test]
    fn words_expand_or_are_refused(w in word()) {
        let lookup: &dyn Fn(&str) -> Option<String> = &env;
        let one = timed("expand", || expand(&w, lookup));
        let all = timed("expand_words", || expand_words(&w, lookup));
        prop_assert_eq!(one.is_ok(), all.is_ok());
    }

    #[test]
    fn deep_substitutions_stop_at_the_nesting_limit(depth in 0usize..400, op in prop_oneof![Just(":-"), Just("+"), Just(":?")]) {
        let w = format!("{}x{}", format!("${{u{op}").repeat(depth), "}".repeat(depth));
        let lookup: &dyn Fn(&str) -> Option<String> = &env;
        let r = timed("a deep word", || expand(&w, lookup));
        if depth > MAX_NESTING + 1 {
            prop_assert_eq!(r, Err(format!("layerbox: substitutions nested deeper than {MAX_NESTING} (layerbox limit)")));
        }
    }
}
