//! The matcher against what GNU grep 3.8 and Debian's BusyBox grep (glibc's `regcomp`) answer.

use super::*;

fn opts(extended: bool, gnu: bool) -> Options {
    Options {
        extended,
        gnu,
        ..Options::default()
    }
}

fn matches_with(p: &str, line: &str, o: Options) -> Result<bool, ErrorKind> {
    let (re, _) = Regex::new(p, o)?;
    let mut search = Search::new(Budget::new(1_000_000));
    Ok(re
        .is_match(line.as_bytes(), &mut search)
        .expect("within budget"))
}

fn bre(p: &str, line: &str) -> bool {
    matches_with(p, line, opts(false, true)).expect("compiles")
}

fn ere(p: &str, line: &str) -> bool {
    matches_with(p, line, opts(true, true)).expect("compiles")
}

fn bre_error(p: &str) -> ErrorKind {
    Regex::new(p, opts(false, true)).expect_err("refused")
}

fn ere_error(p: &str) -> ErrorKind {
    Regex::new(p, opts(true, true)).expect_err("refused")
}

#[test]
fn basic_expressions() {
    assert!(bre("ab*c", "xac"));
    assert!(bre("^a.c$", "abc"));
    assert!(!bre("^a.c$", "abcd"));
    assert!(bre("[0-9][0-9]*", "x42"));
    assert!(!bre("[^a-z]", "abc"));
    assert!(bre("a\\{2\\}", "caab"));
    assert!(bre("x\\|y", "y"));
    assert!(bre("a+", "a+"));
    assert!(bre("", "anything"));
    assert!(bre("a\\tb", "atb"));
    assert!(!bre("a\\tb", "a\tb"));
    assert!(bre("\\.", "a.b") && !bre("\\.", "ab"));
}

#[test]
fn operators_with_nothing_to_repeat() {
    // A BRE takes them as characters.
    assert!(bre("*a", "*a") && !bre("*a", "a"));
    assert!(bre("\\(*a\\)", "*a") && !bre("\\(*a\\)", "a"));
    assert!(bre("^*a", "*a") && !bre("^*a", "a"));
    assert!(bre("\\+a", "+a") && !bre("\\+a", "a"));
    assert!(bre("\\{1\\}a", "{1}a"));
    assert!(bre("**", "anything"));
    // An ERE skips them.
    assert!(ere("*a", "a") && ere("+a", "a") && ere("a|*b", "b"));
    assert!(ere("(*a)", "xa"));
    assert!(ere("a{1", "a{1") && !ere("a{1", "a"));
    assert!(!ere("a{1,2", "a"));
    assert!(!ere("a{1a}", "a"));
    assert!(ere("{", "a{1") && !ere("{", "abc"));
    let (_, warnings) = Regex::new("*a|+b", opts(true, true)).expect("compiles");
    assert_eq!(
        warnings,
        [
            "warning: * at start of expression",
            "warning: + at start of expression"
        ]
    );
}

#[test]
fn anchors_by_context() {
    assert!(bre("\\(^a\\)", "abc") && !bre("b\\(^a\\)", "ba"));
    assert!(bre("a\\|^b", "bc") && !bre("a\\|^b", "cb"));
    assert!(bre("c$\\|b", "abc") && bre("\\(c$\\)", "abc"));
    assert!(bre("a^b", "a^b") && bre("a$b", "a$b"));
    assert!(bre("^^a", "^a") && bre("a$$", "a$"));
    assert!(!ere("a^b", "a^b") && !ere("a$b", "a$b"));
    assert!(ere("(^a)", "abc") && ere("(c$)", "abc"));
}

#[test]
fn intervals_and_stacked_repetitions() {
    assert!(!bre("a\\{1\\}\\{2\\}", "a") && bre("a\\{1\\}\\{2\\}", "aa"));
    assert!(bre(".\\{3\\}\\{2\\}", "foo bar") && !bre(".\\{3\\}\\{2\\}", "abc"));
    assert!(bre("a\\{,2\\}c", "c") && ere("a{,2}c", "xc"));
    assert!(bre("x\\{0\\}", "") && ere("a{,}", ""));
    assert!(ere("(a|b){2}c", "abc") && !ere("(a|b){2}c", "xac"));
    assert!(ere("a**b", "b") && ere("a+?", "x"));
    assert_eq!(bre_error("a\\{1"), ErrorKind::Brace);
    assert_eq!(bre_error("a\\{1,2"), ErrorKind::Brace);
    assert_eq!(bre_error("a\\{1a\\}"), ErrorKind::BadBrace);
    assert_eq!(bre_error("a\\{\\}"), ErrorKind::BadBrace);
    assert_eq!(bre_error("a\\{2,1\\}"), ErrorKind::BadBrace);
    assert_eq!(ere_error("a{}"), ErrorKind::BadBrace);
    assert_eq!(ere_error("a{2,1}"), ErrorKind::BadBrace);
    assert_eq!(bre_error("a\\{32768\\}"), ErrorKind::TooBig);
    assert_eq!(ere_error("a{99999}"), ErrorKind::TooBig);
}

#[test]
fn groups_and_back_references() {
    assert!(bre("\\(ab\\)\\1", "xabab") && !bre("\\(ab\\)\\1", "abba"));
    assert!(ere("(ab)\\1", "abab"));
    assert!(bre("\\(a*\\)*b\\1", "foo bar"));
    assert!(bre("\\(\\(a\\)\\2\\)", "aa"));
    assert!(bre("\\(a\\|b\\)\\1", "bb") && !bre("\\(a\\|b\\)\\1", "ab"));
    assert!(bre("\\(\\)", "") && ere("()", "x") && ere("(|a)", "x"));
    assert!(matches_with(
        "\\(f\\)\\1",
        "fF",
        Options {
            icase: true,
            ..opts(false, true)
        }
    )
    .expect("compiles"));
    assert_eq!(bre_error("\\1"), ErrorKind::Backref);
    assert_eq!(bre_error("\\(a\\)\\2"), ErrorKind::Backref);
    assert_eq!(bre_error("\\(a\\)\\|b\\1"), ErrorKind::Backref);
    assert_eq!(ere_error("(a)|b\\1"), ErrorKind::Backref);
    assert_eq!(bre_error("\\("), ErrorKind::Paren);
    assert_eq!(ere_error("(()"), ErrorKind::Paren);
    assert_eq!(bre_error("\\)"), ErrorKind::RightParen);
    assert_eq!(bre_error("\\(\\)\\)"), ErrorKind::RightParen);
    assert!(ere("a)", "(a)") && ere(")", ")"));
    assert_eq!(bre_error("a\\"), ErrorKind::TrailingBackslash);
}

#[test]
fn bracket_expressions() {
    assert!(bre("[]a]", "]") && bre("[^]a]", "b") && !bre("[^]a]", "]"));
    assert!(bre("[a-]", "-") && bre("[]-a]", "^"));
    assert!(bre("[\\]", "\\") && !bre("[\\]", "n"));
    assert!(bre("[%--]", "*") && !bre("[%--]", "a"));
    assert!(bre("[[:alpha:]]\\{3\\}", "abc") && !bre("[[:alpha:]]\\{3\\}", "ab1"));
    assert!(bre("[[.a.]]b", "ab") && bre("[[=a=]]b", "ab"));
    assert!(bre("[[:alpha:]]", "é"));
    assert_eq!(bre_error("[a"), ErrorKind::Bracket);
    assert_eq!(bre_error("[[:alpha:]"), ErrorKind::Bracket);
    assert_eq!(bre_error("[[:foo:]]"), ErrorKind::ClassName);
    assert_eq!(bre_error("[z-a]"), ErrorKind::Range);
    assert_eq!(bre_error("[[:alpha:]-z]"), ErrorKind::Range);
    assert_eq!(bre_error("[[.ab.]]"), ErrorKind::Collate);
    assert_eq!(bre_error("[:space:]"), ErrorKind::ColonClass);
    assert!(matches_with("[:space:]", "s", opts(false, false)).expect("BusyBox reads a set"));
}

#[test]
fn gnu_operators() {
    assert!(bre("a\\>", "a b") && !bre("a\\>", "ab"));
    assert!(bre("\\<f", "x foo") && !bre("\\<o", "foo"));
    assert!(bre("\\bbar", "foo bar") && !bre("\\Bbar", "foo bar"));
    assert!(bre("\\w\\+", "_") && !bre("\\w", "  "));
    assert!(bre("\\S\\s\\S", "a b") && !bre("\\s", "ab"));
    assert!(bre("\\`a", "ab") && bre("b\\'", "ab"));
}

#[test]
fn busybox_matches_bytes_and_gnu_characters() {
    assert!(bre("^.$", "é"));
    assert!(!matches_with("^.$", "é", opts(false, false)).expect("compiles"));
    let icase = |gnu| Options {
        icase: true,
        ..opts(false, gnu)
    };
    assert!(matches_with("äb", "ÄB", icase(true)).expect("compiles"));
    assert!(!matches_with("äb", "ÄB", icase(false)).expect("compiles"));
}

#[test]
fn whole_lines_and_words() {
    let o = |whole_line, whole_word| Options {
        whole_line,
        whole_word,
        ..opts(false, true)
    };
    assert!(matches_with("foo bar\\|foobar", "foobar", o(true, false)).expect("compiles"));
    assert!(!matches_with("foo", "foo bar", o(true, false)).expect("compiles"));
    assert!(matches_with("foo", "bar-foo", o(false, true)).expect("compiles"));
    assert!(!matches_with("foo", "foo_bar", o(false, true)).expect("compiles"));
}

#[test]
fn costly_searches_end_with_exhausted_never_with_no() {
    let mut search = Search::new(Budget::new(10_000));
    let (re, _) = Regex::new(".*.*.*.*.*x", opts(false, true)).expect("compiles");
    let line = "a".repeat(5_000);
    assert_eq!(re.is_match(line.as_bytes(), &mut search), Err(Exhausted));
    let (re, _) = Regex::new("\\(a*\\)*b\\1", opts(false, true)).expect("compiles");
    let mut search = Search::new(Budget::new(100_000));
    assert_eq!(re.is_match(line.as_bytes(), &mut search), Err(Exhausted));
}

#[test]
fn huge_patterns_are_refused_or_run_without_recursion() {
    let long = "a".repeat(50_000);
    assert!(bre(&long, &long));
    let nested = format!("{}a{}", "\\(".repeat(1_000), "\\)".repeat(1_000));
    assert_eq!(bre_error(&nested), ErrorKind::TooCostly);
    assert_eq!(ere_error("((a{1000}){1000}){1000}"), ErrorKind::TooCostly);
    assert_eq!(
        ere_error("(((){32767}){32767}){32767}"),
        ErrorKind::TooCostly
    );
    assert!(ere(&format!("a{}", "*".repeat(100_000)), "b"));
}
