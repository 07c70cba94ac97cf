//! The matcher against Go's behaviour (unit tests) and against regex-lite (a differential
//! property test over the syntax both accept the same way).

use super::Regex;
use proptest::prelude::*;

/// `Some(matched)`, or `None` when Go refuses the pattern.
fn go(pattern: &str, haystack: &str) -> Option<bool> {
    Regex::new(pattern).ok().map(|re| re.is_match(haystack))
}

fn valid(pattern: &str) -> bool {
    Regex::new(pattern).is_ok()
}

#[test]
fn literals_match_anywhere() {
    assert_eq!(go("web", "my-web-1"), Some(true));
    assert_eq!(go("web", "we-b"), Some(false));
    assert_eq!(go("", ""), Some(true));
    assert_eq!(go("", "abc"), Some(true));
    assert_eq!(go("é", "café"), Some(true));
}

#[test]
fn escapes_stand_for_one_character() {
    assert_eq!(go(r"a\.b", "a.b"), Some(true));
    assert_eq!(go(r"a\.b", "axb"), Some(false));
    assert_eq!(go(r"\\", r"a\b"), Some(true));
    assert_eq!(go(r"\t\n\r\f\v\a", "\t\n\r\x0c\x0b\x07"), Some(true));
    assert_eq!(go(r"\x41", "A"), Some(true));
    assert_eq!(go(r"\x{10FFFF}", "\u{10FFFF}"), Some(true));
    assert_eq!(go(r"\x{0000041}", "A"), Some(true));
    assert_eq!(go(r"\101", "A"), Some(true));
    assert_eq!(go(r"\0", "\0"), Some(true));
    assert_eq!(go(r"\12", "\n"), Some(true));
    assert_eq!(go(r"\1014", "A4"), Some(true));
    assert_eq!(go(r"\_\ \<\>\-", "_ <>-"), Some(true));
}

#[test]
fn escapes_go_does_not_know_are_invalid() {
    for pattern in [
        r"\q",
        r"\8",
        r"\1",
        r"\18",
        r"\x",
        r"\x4",
        r"\xg1",
        r"\x{}",
        r"\x{110000}",
        r"\x{41",
        r"\u0041",
        r"\U00000041",
        r"\C",
        r"\Z",
        r"\e",
        r"\E",
        "\\",
        r"\pL",
        r"\p{Greek}",
        r"\PL",
        r"[\pL]",
        r"\k<a>",
    ] {
        assert!(!valid(pattern), "{pattern:?} should be invalid");
    }
}

#[test]
fn a_surrogate_escape_is_valid_but_matches_nothing() {
    assert_eq!(go(r"\x{D800}", "\u{FFFD}"), Some(false));
    assert_eq!(go(r"a|\x{D800}", "a"), Some(true));
}

#[test]
fn quoted_text_is_literal() {
    assert_eq!(go(r"\Qa.b*\E", "a.b*"), Some(true));
    assert_eq!(go(r"\Qa.b*\E", "axbb"), Some(false));
    assert_eq!(go(r"\Qa.b", "a.b"), Some(true));
    assert_eq!(go(r"^\Qab\E+$", "abbb"), Some(true));
    assert!(!valid(r"[\Qa\E]"));
}

#[test]
fn dot_is_any_character_but_newline_unless_s() {
    assert_eq!(go("a.c", "abc"), Some(true));
    assert_eq!(go("a.c", "aλc"), Some(true));
    assert_eq!(go("a.c", "a\nc"), Some(false));
    assert_eq!(go("(?s)a.c", "a\nc"), Some(true));
    assert_eq!(go("(?s:a.)c", "a\nc"), Some(true));
    assert_eq!(go("(?s)(?-s:a.)c", "a\nc"), Some(false));
}

#[test]
fn bracket_classes_take_ranges_negation_and_escapes() {
    assert_eq!(go("^[a-c]+$", "abcba"), Some(true));
    assert_eq!(go("^[a-c]+$", "abd"), Some(false));
    assert_eq!(go("^[^a-c]$", "d"), Some(true));
    assert_eq!(go("^[^a-c]$", "\n"), Some(true));
    assert_eq!(go("^[]a]+$", "]a"), Some(true));
    assert_eq!(go("^[^]a]$", "b"), Some(true));
    assert_eq!(go("^[a-]+$", "a-"), Some(true));
    assert_eq!(go("^[-a]+$", "-a"), Some(true));
    assert_eq!(go(r"^[\d-z]+$", "1-z"), Some(true));
    assert_eq!(go(r"^[\x41-\x43\]]+$", "ABC]"), Some(true));
    assert_eq!(go(r"^[\n]$", "\n"), Some(true));
    assert_eq!(go("^[[]$", "["), Some(true));
    assert_eq!(go("^[[:x]$", "x"), Some(true));
    for pattern in [
        "[",
        "[]",
        "[a",
        "[^",
        "[z-a]",
        r"[a-\d]",
        r"[\b]",
        "[[:foo:]]",
        "[[::]]",
        r"[\z]",
    ] {
        assert!(!valid(pattern), "{pattern:?} should be invalid");
    }
}

#[test]
fn posix_classes_are_ascii_and_may_be_negated() {
    assert_eq!(go("^[[:alpha:]]+$", "abcXYZ"), Some(true));
    assert_eq!(go("^[[:alpha:]]+$", "abc1"), Some(false));
    assert_eq!(go("^[[:alpha:]]$", "é"), Some(false));
    assert_eq!(go("^[[:^alpha:]]+$", "1é-"), Some(true));
    assert_eq!(go("^[[:digit:][:upper:]]+$", "A1B2"), Some(true));
    assert_eq!(go("^[[:space:]]$", "\x0b"), Some(true));
    assert_eq!(go("^[[:punct:]]+$", "!/:@[`{~"), Some(true));
    assert_eq!(go("^[[:xdigit:]]+$", "09afAF"), Some(true));
    assert_eq!(go("^[[:word:]]+$", "a_1"), Some(true));
    assert_eq!(go("[:alpha:]", "p"), Some(true));
}

#[test]
fn perl_classes_are_ascii_and_space_excludes_vertical_tab() {
    assert_eq!(go(r"^\d+$", "0123456789"), Some(true));
    assert_eq!(go(r"\d", "٣"), Some(false));
    assert_eq!(go(r"^\D$", "٣"), Some(true));
    assert_eq!(go(r"^\w+$", "a_Z9"), Some(true));
    assert_eq!(go(r"\w", "é"), Some(false));
    assert_eq!(go(r"^\W$", "é"), Some(true));
    assert_eq!(go(r"^\s+$", " \t\n\r\x0c"), Some(true));
    assert_eq!(go(r"\s", "\x0b"), Some(false));
    assert_eq!(go(r"^\S$", "\x0b"), Some(true));
    assert_eq!(go(r"^[\s\S]$", "λ"), Some(true));
    assert_eq!(go(r"[^\s\S]", "λ"), Some(false));
}

#[test]
fn anchors_and_multi_line_mode() {
    assert_eq!(go("^a$", "a"), Some(true));
    assert_eq!(go("^a$", "a\n"), Some(false));
    assert_eq!(go("^b", "a\nb"), Some(false));
    assert_eq!(go("(?m)^b$", "a\nb\nc"), Some(true));
    assert_eq!(go(r"(?m)\Ab", "a\nb"), Some(false));
    assert_eq!(go(r"(?m)a\z", "a\nb"), Some(false));
    assert_eq!(go(r"\Aa\z", "a"), Some(true));
    assert_eq!(go("(?m:^)b", "a\nb"), Some(true));
}

#[test]
fn word_boundaries_are_ascii() {
    assert_eq!(go(r"\bweb\b", "my web"), Some(true));
    assert_eq!(go(r"\bweb\b", "myweb"), Some(false));
    assert_eq!(go(r"\Bweb", "myweb"), Some(true));
    assert_eq!(go(r"\bé", "é"), Some(false));
    assert_eq!(go(r"\b", ""), Some(false));
    assert_eq!(go(r"\B", ""), Some(true));
}

#[test]
fn groups_and_alternation() {
    assert_eq!(go("^(web|db)-[0-9]$", "db-1"), Some(true));
    assert_eq!(go("^(?:web|db)$", "cache"), Some(false));
    assert_eq!(go("^(?P<role>web|db)$", "web"), Some(true));
    assert_eq!(go("^(?<role>web|db)$", "web"), Some(true));
    assert_eq!(go("(?P<a>x)(?P<a>y)", "xy"), Some(true));
    assert_eq!(go("(?P<1_a>x)", "x"), Some(true));
    assert_eq!(go("a|", "b"), Some(true));
    assert_eq!(go("()", ""), Some(true));
    assert_eq!(go("(|)", "x"), Some(true));
    for pattern in [
        "(",
        ")",
        "a)",
        "(a",
        "(?P<>a)",
        "(?<>a)",
        "(?P<a-b>x)",
        "(?P<é>x)",
        "(?P<a",
        "(?P=a)",
        "(?P>a)",
        "(?<=a)",
        "(?<!a)",
        "(?=a)",
        "(?!a)",
        "(?#c)",
    ] {
        assert!(!valid(pattern), "{pattern:?} should be invalid");
    }
}

#[test]
fn repetitions_and_counts() {
    assert_eq!(go("^a*$", ""), Some(true));
    assert_eq!(go("^a+$", ""), Some(false));
    assert_eq!(go("^ab?c$", "ac"), Some(true));
    assert_eq!(go("^a{3}$", "aaa"), Some(true));
    assert_eq!(go("^a{3}$", "aa"), Some(false));
    assert_eq!(go("^a{2,}$", "aaaaa"), Some(true));
    assert_eq!(go("^a{2,3}$", "aaaa"), Some(false));
    assert_eq!(go("^a{0}b$", "b"), Some(true));
    assert_eq!(go("^a*?b+?c??d{1,2}?$", "bdd"), Some(true));
    assert_eq!(go("(?U)^a+$", "aaa"), Some(true));
    assert_eq!(go("^a{1000}$", &"a".repeat(1000)), Some(true));
    assert_eq!(go("^(?:a{10}){100}$", &"a".repeat(1000)), Some(true));
}

#[test]
fn a_brace_that_is_no_count_is_literal() {
    assert_eq!(go("^a{$", "a{"), Some(true));
    assert_eq!(go("^a{,3}$", "a{,3}"), Some(true));
    assert_eq!(go("^a{01}$", "a{01}"), Some(true));
    assert_eq!(go("^a{1,x}$", "a{1,x}"), Some(true));
    assert_eq!(go("^{$", "{"), Some(true));
    assert_eq!(go("^}$", "}"), Some(true));
    assert_eq!(go("^]$", "]"), Some(true));
}

#[test]
fn repetitions_go_refuses_are_invalid() {
    for pattern in [
        "*",
        "+a",
        "?",
        "{2}",
        "a**",
        "a*+",
        "a+?*",
        "a???",
        "a{2}*",
        "a{2}{3}",
        "(*)",
        "a|*",
        "x{1001}",
        "x{0,1001}",
        "x{2,1}",
        "x{99999999999}",
        "(a{1000}){2}",
        "((a{10}){10}){11}",
        "(?i)*",
    ] {
        assert!(!valid(pattern), "{pattern:?} should be invalid");
    }
}

#[test]
fn repetitions_go_accepts_that_look_odd() {
    assert_eq!(go("^*a", "a"), Some(true));
    assert_eq!(go(r"\b+a", "a"), Some(true));
    assert_eq!(go("a(?i)*", ""), Some(true));
    assert_eq!(go("(?:a*)*b", "b"), Some(true));
    assert_eq!(go("(a{0}){1000}", ""), Some(true));
    assert_eq!(go("(a*){1000}", "b"), Some(true));
    assert!(valid("((a{10}){10}){10}"));
}

#[test]
fn flags_set_clear_and_scope() {
    assert_eq!(go("(?i)WEB", "web"), Some(true));
    assert_eq!(go("(?i:W)EB", "wEB"), Some(true));
    assert_eq!(go("(?i:W)EB", "web"), Some(false));
    assert_eq!(go("(?i)W(?-i)EB", "wEB"), Some(true));
    assert_eq!(go("(?i)W(?-i)EB", "web"), Some(false));
    assert_eq!(go("(a(?i)b)c", "aBc"), Some(true));
    assert_eq!(go("(a(?i)b)c", "aBC"), Some(false));
    assert_eq!(go("a(?i)b|c", "C"), Some(true));
    assert_eq!(go("(?im-s:^A.)", "x\nab"), Some(true));
    assert_eq!(go("(?im-s:^A.)", "x\na\n"), Some(false));
    assert_eq!(go("(?)a", "a"), Some(true));
    assert_eq!(go("(?ii)a", "A"), Some(true));
    for pattern in [
        "(?x)a", "(?R)a", "(?", "(?i", "(?-)a", "(?i-)a", "(?i--m)a", "(?^i)a", "(?u)a",
    ] {
        assert!(!valid(pattern), "{pattern:?} should be invalid");
    }
}

#[test]
fn case_folding_covers_classes_and_unicode() {
    assert_eq!(go("(?i)^[a-c]+$", "AbC"), Some(true));
    assert_eq!(go("(?i)^[^a]$", "A"), Some(false));
    assert_eq!(go("(?i)^[[:upper:]]+$", "abc"), Some(true));
    assert_eq!(go("(?i)é", "É"), Some(true));
    assert_eq!(go("(?i)λ", "Λ"), Some(true));
    assert_eq!(go("(?i)k", "\u{212A}"), Some(true));
    assert_eq!(go("(?i)\u{212A}", "K"), Some(true));
    assert_eq!(go("(?i)s", "ſ"), Some(true));
    assert_eq!(go("(?i)ſ", "S"), Some(true));
    // Go folds \w before negating it: (?i)\W matches neither ſ nor the Kelvin sign.
    assert_eq!(go(r"(?i)\W", "ſ"), Some(false));
    assert_eq!(go(r"\W", "ſ"), Some(true));
    assert_eq!(go(r"(?i)^\D$", "x"), Some(true));
    assert_eq!(go("(?i)1", "1"), Some(true));
}

#[test]
fn nesting_deeper_than_go_allows_is_invalid() {
    let deep = |n: usize| format!("{}a{}", "(".repeat(n), ")".repeat(n));
    assert_eq!(go(&deep(999), "a"), Some(true));
    assert!(!valid(&deep(1000)));
    assert!(!valid(&"(".repeat(100_000)));
}

#[test]
fn the_deepest_patterns_fit_a_small_stack() {
    let run = || {
        let captures = format!("{}a*{}", "(".repeat(999), ")+".repeat(999));
        let groups = format!("{}a{}", "(?:".repeat(999), "|b)".repeat(999));
        (go(&captures, "aa"), go(&groups, "b"))
    };
    // wasm32's stack is 1 MiB; unoptimised frames are about twice the size.
    let stack = if cfg!(debug_assertions) {
        2 << 20
    } else {
        1 << 20
    };
    let thread = std::thread::Builder::new().stack_size(stack).spawn(run);
    let joined = thread.map(|t| t.join());
    assert!(matches!(joined, Ok(Ok((Some(true), Some(true))))));
}

#[test]
fn nested_plus_does_not_double_the_program() {
    let pattern = format!("^{}a{}$", "(".repeat(40), ")+".repeat(40));
    assert_eq!(go(&pattern, "aaa"), Some(true));
    assert_eq!(go(&pattern, "aab"), Some(false));
}

#[test]
fn huge_patterns_are_refused() {
    assert!(!valid(&"a".repeat(1 << 17)));
    // 120 copies of 1000 instructions each is beyond the program limit.
    assert!(!valid(&"(?:a{1000})".repeat(120)));
    assert!(!valid(&"(?:(?:){1000})".repeat(4000)));
}

#[test]
fn matching_time_stays_linear() {
    let haystack = "a".repeat(5000);
    assert_eq!(go("(a*)*b", &haystack), Some(false));
    assert_eq!(go("(a|aa)+$", &haystack), Some(true));
    assert_eq!(go("(x+x+)+y", &"x".repeat(5000)), Some(false));
    assert_eq!(go("(?:(?:)*)*$", &haystack), Some(true));
}

/// Where regex-lite and Go disagree; the matcher follows Go.
#[test]
fn regex_lite_differs_from_go_here() {
    let lite = |p: &str| regex_lite::Regex::new(p).is_ok();
    // Go reads an octal escape; regex-lite refuses it as a backreference.
    assert!(valid(r"\101") && !lite(r"\101"));
    // \Q...\E quotes in Go only.
    assert!(valid(r"\Qa.b\E") && !lite(r"\Qa.b\E"));
    // A `{` that starts no count is a literal in Go.
    assert!(valid("a{") && !lite("a{"));
    assert!(valid("a{,3}") && !lite("a{,3}"));
    // Go allows repeated flags, empty flag groups, duplicate and digit-first group names.
    assert!(valid("(?ii)a") && !lite("(?ii)a"));
    assert!(valid("(?)a") && !lite("(?)a"));
    assert!(valid("(?P<a>x)(?P<a>y)") && !lite("(?P<a>x)(?P<a>y)"));
    assert!(valid("(?P<1>x)") && !lite("(?P<1>x)"));
    // Go refuses regex-lite's extensions: \u, \U, (?x), (?R), \b{start}.
    assert!(!valid(r"\u0041") && lite(r"\u0041"));
    assert!(!valid("(?x)a") && lite("(?x)a"));
    assert!(!valid("(?R)a") && lite("(?R)a"));
    // `\<` is a literal `<` in Go, a start-of-word assertion in regex-lite.
    assert_eq!(go(r"\<", "<"), Some(true));
    assert!(regex_lite::Regex::new(r"\<").is_ok_and(|re| !re.is_match("<")));
    // Under (?i) regex-lite refuses a range whose ends are escaped letters.
    assert!(valid(r"(?i)[\x41-\x5a]") && !lite(r"(?i)[\x41-\x5a]"));
    // `\b{start}` in Go is `\b` then the literal text `{start}`.
    assert_eq!(go(r"a\b{start}", "a{start}"), Some(true));
    // Go's \s has no vertical tab.
    assert_eq!(go(r"\s", "\x0b"), Some(false));
    assert!(regex_lite::Regex::new(r"\s").is_ok_and(|re| re.is_match("\x0b")));
    // Go folds case beyond ASCII.
    assert_eq!(go("(?i)é", "É"), Some(true));
    assert!(regex_lite::Regex::new("(?i)é").is_ok_and(|re| !re.is_match("É")));
    // A `[` inside a class is an ordinary character in Go; regex-lite reads a nested class.
    assert!(valid("[[a]") && !lite("[[a]"));
    // Go refuses counts above 1000, and nested counts above 1000 copies.
    assert!(!valid("a{1001}") && lite("a{1001}"));
    assert!(!valid("(a{100}){11}") && lite("(a{100}){11}"));
    // Go repeats a repetition only through a group.
    assert!(!valid("a**") && lite("a**"));
}

/// A pattern from the syntax Go and regex-lite read alike, at most `depth` levels deep.
fn pattern(depth: u32) -> BoxedStrategy<String> {
    let atom = prop_oneof![
        4 => proptest::sample::select(vec![
            "a", "b", "c", "A", "x", "0", "1", "-", "_", " ", "é", "λ", r"\.", r"\\", r"\n", r"\t", r"\x41",
            r"\x{3bb}", r"\-", ".", "^", "$", r"\A", r"\z", r"\b", r"\B", r"\d", r"\D", r"\s", r"\S", r"\w",
            r"\W", "[abc]", "[^a-c]", "[a-zA-Z0-9_]", "[[:alpha:]]", "[[:^digit:]]", r"[\d\s]", "[^\\n]",
            "[]a]", "[x-]", "[[:punct:][:space:]]", "[\\x30-\\x{3bb}]",
        ])
        .prop_map(str::to_owned),
        // Invalid in both.
        1 => proptest::sample::select(vec![
            "(", ")", "[z-a]", r"\q", "(*)", "a{3,2}", "(?P<>a)", r"\8", "(?z)",
        ])
        .prop_map(str::to_owned),
    ];
    if depth == 0 {
        return atom.boxed();
    }
    let sub = pattern(depth - 1);
    let group = |s: String| format!("(?:{s})");
    prop_oneof![
        3 => atom,
        2 => proptest::collection::vec(sub.clone(), 0..4).prop_map(|v| v.concat()),
        1 => proptest::collection::vec(sub.clone(), 1..4).prop_map(|v| v.join("|")),
        1 => sub.clone().prop_map(|s| format!("({s})")),
        1 => sub.clone().prop_map(group),
        1 => (proptest::sample::select(vec!["i", "m", "s", "U", "-i", "i-s", "ms"]), sub.clone())
            .prop_map(|(f, s)| format!("(?{f}:{s})")),
        1 => (proptest::sample::select(vec!["i", "m", "s", "-i"]), sub.clone())
            .prop_map(|(f, s)| format!("(?{f}){s}")),
        1 => (
            proptest::sample::select(vec!["a", "x", ".", r"\d", r"\W", "[^a-c]", "[[:alpha:]]", r"\x41", "é"]),
            proptest::sample::select(vec!["*", "+", "?", "{2}", "{1,2}", "{0,}", "*?", "{2}?"]),
        )
            .prop_map(|(a, r)| format!("{a}{r}")),
        1 => sub.clone().prop_map(|s| format!("(?P<name>{s})")),
        2 => (
            sub,
            proptest::sample::select(vec!["*", "+", "?", "{2}", "{0,2}", "{1,}", "{0}", "*?", "+?", "??", "{1,3}?"]),
        )
            .prop_map(|(s, r)| format!("(?:{s}){r}")),
    ]
    .boxed()
}

/// Numbers the `(?P<name>` groups: regex-lite refuses duplicate names, which Go allows.
fn with_unique_names(pattern: String) -> String {
    let mut parts = pattern.split("(?P<name>");
    let mut out = parts.next().unwrap_or_default().to_owned();
    for (k, part) in parts.enumerate() {
        out.push_str(&format!("(?P<name{k}>{part}"));
    }
    out
}

fn haystack() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        proptest::sample::select(vec![
            'a', 'b', 'c', 'A', 'B', 'x', '0', '1', '-', '_', ' ', '.', '\n', 'é', 'É', 'λ', 'Λ',
            'ſ',
        ]),
        0..8,
    )
    .prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5000))]

    #[test]
    fn agrees_with_regex_lite_on_the_syntax_both_read_alike(p in pattern(3).prop_map(with_unique_names), hays in proptest::collection::vec(haystack(), 1..6)) {
        let ours = Regex::new(&p);
        let lite = regex_lite::Regex::new(&p);
        prop_assert_eq!(ours.is_ok(), lite.is_ok(), "validity of {:?}", p);
        if let (Ok(ours), Ok(lite)) = (ours, lite) {
            for h in &hays {
                // regex-lite folds ASCII only; Go folds all of Unicode.
                if p.contains('i') && !h.is_ascii() {
                    continue;
                }
                prop_assert_eq!(ours.is_match(h), lite.is_match(h), "{:?} on {:?}", p, h);
            }
        }
    }

    #[test]
    fn any_pattern_on_any_input_never_panics(
        p in prop_oneof![any::<String>(), "[\\\\()\\[\\]{}*+?|^$.:<>=!PQEaAbBdDwWsSzxpk0-9,\\-imsU]{0,40}"],
        h in any::<String>(),
    ) {
        if let Ok(re) = Regex::new(&p) {
            let _ = re.is_match(&h);
        }
    }
}
