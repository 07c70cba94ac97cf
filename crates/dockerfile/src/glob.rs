//! Go's `filepath.Match`, the glob dialect of Docker's build: `COPY`/`ADD` source wildcards,
//! and `.dockerignore` patterns with moby's `**`.
//!
//! Not POSIX `fnmatch(3)` (`layerbox_fstree::fnmatch`): `*` and `?` stop at `/`, a bracket
//! expression's first `]` closes it, and an unclosed `[` is Go's `ErrBadPattern`, which matches
//! nothing.

/// Go's `filepath.Match(pattern, name)` on `/`-separated paths: `*` matches any run of
/// characters but `/`, `?` any one character but `/`, `[...]` one character of a set of
/// characters and `a-z` ranges (a leading `^` or `!` negates), `\` quotes the next character.
pub fn filepath_match(pattern: &str, name: &str) -> bool {
    glob(pattern, name, false)
}

/// A `.dockerignore` pattern against a context path (moby's `patternmatcher`):
/// [`filepath_match`] where `**` also matches any run of characters, `/` included, and `**/`
/// any number of leading directories, none included.
pub fn ignore_match(pattern: &str, path: &str) -> bool {
    glob(pattern, path, true)
}

fn glob(pattern: &str, path: &str, double_star: bool) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let s: Vec<char> = path.chars().collect();
    glob_at(&p, &s, double_star)
}

fn glob_at(p: &[char], s: &[char], double_star: bool) -> bool {
    match p.first() {
        None => s.is_empty(),
        Some('*') if double_star && p.get(1) == Some(&'*') => {
            let rest = if p.get(2) == Some(&'/') {
                &p[3..]
            } else {
                &p[2..]
            };
            (0..=s.len()).any(|i| glob_at(rest, &s[i..], double_star))
        }
        Some('*') => {
            let mut i = 0;
            loop {
                if glob_at(&p[1..], &s[i..], double_star) {
                    return true;
                }
                if i >= s.len() || s[i] == '/' {
                    return false;
                }
                i += 1;
            }
        }
        Some('?') => s.first().is_some_and(|c| *c != '/') && glob_at(&p[1..], &s[1..], double_star),
        Some('[') => {
            let Some(close) = p.iter().position(|c| *c == ']') else {
                return false;
            };
            let Some(&c) = s.first() else { return false };
            let class = &p[1..close];
            let (negate, class) = match class.first() {
                Some('^') | Some('!') => (true, &class[1..]),
                _ => (false, class),
            };
            let mut hit = false;
            let mut i = 0;
            while i < class.len() {
                if class.get(i + 1) == Some(&'-') && i + 2 < class.len() {
                    hit |= class[i] <= c && c <= class[i + 2];
                    i += 3;
                } else {
                    hit |= class[i] == c;
                    i += 1;
                }
            }
            hit != negate && glob_at(&p[close + 1..], &s[1..], double_star)
        }
        Some('\\') if p.len() > 1 => {
            s.first() == Some(&p[1]) && glob_at(&p[2..], &s[1..], double_star)
        }
        Some(c) => s.first() == Some(c) && glob_at(&p[1..], &s[1..], double_star),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_and_question_mark_stop_at_a_slash() {
        assert!(filepath_match("*.txt", "a.txt"));
        assert!(filepath_match("*", ".hidden"));
        assert!(!filepath_match("*.txt", "sub/a.txt"));
        assert!(filepath_match("*/a.txt", "sub/a.txt"));
        assert!(!filepath_match("a?b", "a/b"));
        assert!(filepath_match("a?b", "a.b"));
        assert!(!filepath_match("*", "a/b"));
    }

    #[test]
    fn brackets_take_ranges_and_both_negations_and_close_at_the_first_bracket() {
        assert!(filepath_match("file[12].txt", "file2.txt"));
        assert!(!filepath_match("file[12].txt", "file3.txt"));
        assert!(filepath_match("[a-c]x", "bx"));
        assert!(filepath_match("[^a-c]x", "dx"));
        assert!(filepath_match("[!a-c]x", "dx"));
        assert!(!filepath_match("[!a-c]x", "ax"));
        // The first `]` closes: `[]a]` is an empty set, then `a]`.
        assert!(!filepath_match("[]a]", "a"));
        assert!(!filepath_match("[]a]", "]"));
        // A trailing `-` is literal.
        assert!(filepath_match("[a-]", "-"));
        // An unclosed `[` is a bad pattern: nothing matches.
        assert!(!filepath_match("[ab", "[ab"));
        assert!(!filepath_match("[ab", "a"));
    }

    #[test]
    fn backslash_quotes_the_next_character() {
        assert!(filepath_match("\\*", "*"));
        assert!(!filepath_match("\\*", "a"));
        assert!(filepath_match("a\\?", "a?"));
        assert!(filepath_match("a\\", "a\\"));
    }

    #[test]
    fn only_ignore_patterns_take_double_star_across_directories() {
        assert!(ignore_match("**/*.md", "docs/a/b.md"));
        assert!(ignore_match("**/*.md", "b.md"));
        assert!(ignore_match("docs/**", "docs/a/b"));
        assert!(ignore_match("a**b", "a/x/b"));
        assert!(!filepath_match("**/*.md", "b.md"));
        assert!(filepath_match("**/*.md", "docs/b.md"));
        assert!(!filepath_match("docs/**", "docs/a/b"));
        assert!(!ignore_match("*.log", "sub/debug.log"));
    }
}
