//! Shell patterns as POSIX `fnmatch(3)` matches them (`*`, `?`, bracket expressions): the one
//! matcher behind the shell's globs and `case`, `${v#pattern}`, and `find -name`/`-path`.
//!
//! No `FNM_PATHNAME` or `FNM_PERIOD`: `*` and `?` match `/` and a leading `.`; callers that
//! treat those specially (pathname expansion) split and check before calling. Go's
//! `filepath.Match`, whose `*` stops at `/`, is a different dialect and lives with the
//! Dockerfile code that uses it (`layerbox_dockerfile::glob`).

/// The `fnmatch(3)` flags layerbox's callers use; the default is `fnmatch(pattern, name, 0)`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flags {
    /// `FNM_NOESCAPE`: `\` is an ordinary character. The shell sets it: quote removal has
    /// already turned `\x`, `'x'` and `"x"` into quoted characters of the pattern.
    pub noescape: bool,
    /// `FNM_CASEFOLD` (`find -iname`): letters match either case. Inside a bracket expression
    /// only the name's character is folded, to ASCII lower case, as BusyBox's and GNU's
    /// `find -iname` see it (`[a-z]` matches `Q`, `[A-Z]` does not match `q`).
    pub casefold: bool,
}

/// Whether `name` matches `pattern`, given as (character, quoted) pairs: a quoted character
/// matches only itself, never as `*`, `?`, `[`, `]`, `!`, `^` or `-`.
///
/// `*` matches any run of characters, `?` any one; `[...]` one character from a set of
/// characters and `a-z` ranges, negated by a leading `!` or `^`, with a `]` first in the set
/// taken literally; a `[` with no closing `]` is an ordinary character. Without
/// [`Flags::noescape`], `\` outside a bracket expression quotes the next character (a
/// trailing `\` matches itself).
pub fn fnmatch(pattern: &[(char, bool)], name: &[char], flags: Flags) -> bool {
    let eq = |a: char, b: char| {
        if flags.casefold {
            a.to_lowercase().eq(b.to_lowercase())
        } else {
            a == b
        }
    };
    // One backtrack point, at the last `*`: linear enough for names and short strings.
    let (mut p, mut i) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while i < name.len() {
        if let Some(&(c, quoted)) = pattern.get(p) {
            if !quoted && c == '*' {
                star = Some((p, i));
                p += 1;
                continue;
            }
            let step = match c {
                _ if quoted => eq(c, name[i]).then_some(1),
                '?' => Some(1),
                '[' => match bracket(&pattern[p..], name[i], flags.casefold) {
                    Some((true, len)) => Some(len),
                    Some((false, _)) => None,
                    None => eq('[', name[i]).then_some(1),
                },
                '\\' if !flags.noescape && p + 1 < pattern.len() => {
                    eq(pattern[p + 1].0, name[i]).then_some(2)
                }
                c => eq(c, name[i]).then_some(1),
            };
            if let Some(len) = step {
                p += len;
                i += 1;
                continue;
            }
        }
        match star {
            Some((sp, si)) => {
                p = sp + 1;
                i = si + 1;
                star = Some((sp, si + 1));
            }
            None => return false,
        }
    }
    pattern[p..].iter().all(|&(c, quoted)| !quoted && c == '*')
}

/// [`fnmatch`] of a pattern written as plain text (no character quoted), as `find -name`
/// receives it.
pub fn fnmatch_str(pattern: &str, name: &str, flags: Flags) -> bool {
    let pattern: Vec<(char, bool)> = pattern.chars().map(|c| (c, false)).collect();
    let name: Vec<char> = name.chars().collect();
    fnmatch(&pattern, &name, flags)
}

/// Match `c` against the bracket expression at the start of `pat` (`pat[0]` is `[`): whether it
/// matched and the expression's length, or `None` if the `[` has no closing `]`.
fn bracket(pat: &[(char, bool)], c: char, casefold: bool) -> Option<(bool, usize)> {
    let mut j = 1;
    let negate = matches!(pat.get(1), Some(&('!' | '^', false)));
    if negate {
        j += 1;
    }
    let start = j;
    let lc = c.to_ascii_lowercase();
    let mut matched = false;
    loop {
        let &(pc, quoted) = pat.get(j)?;
        if pc == ']' && !quoted && j > start {
            return Some((matched != negate, j + 1));
        }
        if matches!(pat.get(j + 1), Some(&('-', false)))
            && pat.get(j + 2).is_some_and(|&(e, _)| e != ']')
        {
            let (lo, hi) = (pc, pat[j + 2].0);
            matched |= (lo <= c && c <= hi) || (casefold && lo <= lc && lc <= hi);
            j += 3;
        } else {
            matched |= pc == c || (casefold && pc.to_ascii_lowercase() == lc);
            j += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: Flags = Flags {
        noescape: false,
        casefold: false,
    };
    const SHELL: Flags = Flags {
        noescape: true,
        casefold: false,
    };
    const ICASE: Flags = Flags {
        noescape: false,
        casefold: true,
    };

    fn m(pattern: &str, name: &str) -> bool {
        fnmatch_str(pattern, name, PLAIN)
    }

    /// A shell word: characters between `'...'` are quoted.
    fn shell(word: &str, name: &str) -> bool {
        let mut quoted = false;
        let mut pat = Vec::new();
        for c in word.chars() {
            if c == '\'' {
                quoted = !quoted;
            } else {
                pat.push((c, quoted));
            }
        }
        let name: Vec<char> = name.chars().collect();
        fnmatch(&pat, &name, SHELL)
    }

    #[test]
    fn star_and_question_mark_match_any_characters_slash_and_dot_included() {
        assert!(m("*.txt", "a.txt"));
        assert!(m("*", ".hidden"));
        assert!(m("*", ""));
        assert!(!m("*.txt", "a.txt.bak"));
        assert!(m("a*b*c", "aXbYbc"));
        assert!(m("*/b", "a/x/b"));
        assert!(m("a?c", "a/c"));
        assert!(!m("a?c", "ac"));
        assert!(m("a**", "a"));
        assert!(!m("", "a"));
        assert!(m("", ""));
    }

    #[test]
    fn bracket_expressions_take_ranges_negation_and_a_leading_bracket() {
        assert!(m("f?[0-9]", "fx7"));
        assert!(!m("f?[0-9]", "fxa"));
        assert!(m("[!a]*", "bc"));
        assert!(m("[^a]*", "bc"));
        assert!(!m("[!a]*", "ac"));
        assert!(m("[]a]", "]"));
        assert!(m("[!]]", "x"));
        assert!(!m("[!]]", "]"));
        // `-` first or last is literal; a range cannot end at the closing `]`.
        assert!(m("[-a]", "-"));
        assert!(m("[a-]", "-"));
        assert!(!m("[a-]", "b"));
        assert!(m("[a-cx]", "x"));
        // A bracket expression matches `/` too (no FNM_PATHNAME).
        assert!(m("a[/]b", "a/b"));
    }

    #[test]
    fn an_unclosed_bracket_is_an_ordinary_character() {
        assert!(m("[ab", "[ab"));
        assert!(!m("[ab", "a"));
        assert!(m("x[", "x["));
    }

    #[test]
    fn backslash_quotes_the_next_character_outside_brackets_only() {
        assert!(m("\\*", "*"));
        assert!(!m("\\*", "a"));
        assert!(m("a\\?", "a?"));
        assert!(!m("a\\?", "ab"));
        // A trailing backslash matches itself.
        assert!(m("a\\", "a\\"));
        // Inside brackets `\` is a member of the set: `[\]` then a literal `]`.
        assert!(m("[\\]]", "\\]"));
        assert!(!m("[\\]]", "]"));
        // A quoted `*` at the end is not a trailing star.
        assert!(!m("a\\*", "a"));
    }

    #[test]
    fn quoted_characters_match_only_themselves() {
        assert!(shell("'*'", "*"));
        assert!(!shell("'*'", "a"));
        assert!(shell("a'?'", "a?"));
        assert!(!shell("a'?'", "ab"));
        assert!(shell("'['ab]", "[ab]"));
        assert!(!shell("'['ab]", "a"));
        // A quoted `!` does not negate, a quoted `-` is no range, a quoted `]` does not close.
        assert!(shell("['!']a]", "!a]"));
        assert!(!shell("['!']a]", "ba]"));
        assert!(shell("[a'-'c]", "-"));
        assert!(!shell("[a'-'c]", "b"));
        assert!(shell("[a']'b]", "]"));
        assert!(!shell("[a']'", "a"));
        // Without escapes, a backslash is an ordinary character.
        assert!(shell("\\*", "\\x"));
        assert!(!shell("\\*", "*"));
        assert!(!shell("*'*'", "a"));
        assert!(shell("*'*'", "a*"));
    }

    #[test]
    fn casefold_folds_letters_and_the_names_side_of_brackets() {
        assert!(fnmatch_str("*A*", "xay", ICASE));
        assert!(!fnmatch_str("*A*", "xay", PLAIN));
        assert!(fnmatch_str("README", "readme", ICASE));
        assert!(fnmatch_str("\\R", "r", ICASE));
        assert!(fnmatch_str("[a-z]", "Q", ICASE));
        assert!(!fnmatch_str("[A-Z]", "q", ICASE));
        assert!(fnmatch_str("[Q]", "q", ICASE));
        assert!(fnmatch_str("[q]", "Q", ICASE));
        assert!(!fnmatch_str("[a-z]", "Q", PLAIN));
    }
}
