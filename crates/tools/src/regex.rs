//! A small POSIX basic regular expression matcher (`.` `*` `^` `$` `[...]` `\{m,n\}`, and
//! `\+ \? \|` as GNU extensions) for `grep`; plain backtracking, no regex crate (bundle size).

/// One atom of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Atom {
    Char(char),
    Any,
    Set {
        negated: bool,
        items: Vec<(char, char)>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Piece {
    atom: Atom,
    min: usize,
    max: usize,
}

/// A compiled basic regular expression: alternatives of anchored piece sequences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Regex {
    alts: Vec<Branch>,
    icase: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Branch {
    start: bool,
    end: bool,
    pieces: Vec<Piece>,
}

/// Most steps one match may take before giving up (no runaway backtracking).
const STEP_LIMIT: usize = 200_000;

impl Regex {
    /// Compile a BRE (`extended` for `grep -E`: `+ ? | {}` without backslashes); `None` if
    /// malformed (an unterminated `[`).
    pub fn new(pat: &str, icase: bool, extended: bool) -> Option<Regex> {
        let chars: Vec<char> = pat.chars().collect();
        let mut alts = Vec::new();
        let mut cur = Branch {
            start: false,
            end: false,
            pieces: Vec::new(),
        };
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let special = |x: char| {
                if extended {
                    c == x
                } else {
                    c == '\\' && chars.get(i + 1) == Some(&x)
                }
            };
            if special('|') {
                alts.push(std::mem::replace(
                    &mut cur,
                    Branch {
                        start: false,
                        end: false,
                        pieces: Vec::new(),
                    },
                ));
                i += if extended { 1 } else { 2 };
                continue;
            }
            if c == '^' && cur.pieces.is_empty() && !cur.start {
                cur.start = true;
                i += 1;
                continue;
            }
            let at_end = if extended {
                i + 1 == chars.len() || chars.get(i + 1) == Some(&'|')
            } else {
                i + 1 == chars.len()
                    || (chars.get(i + 1) == Some(&'\\') && chars.get(i + 2) == Some(&'|'))
            };
            if c == '$' && at_end {
                cur.end = true;
                i += 1;
                continue;
            }
            let quant = |min: usize, max: usize, cur: &mut Branch| -> bool {
                match cur.pieces.last_mut() {
                    Some(p) if p.min == 1 && p.max == 1 => {
                        p.min = min;
                        p.max = max;
                        true
                    }
                    _ => false,
                }
            };
            if c == '*' && !cur.pieces.is_empty() && quant(0, usize::MAX, &mut cur) {
                i += 1;
                continue;
            }
            if special('+') && quant(1, usize::MAX, &mut cur) {
                i += if extended { 1 } else { 2 };
                continue;
            }
            if special('?') && quant(0, 1, &mut cur) {
                i += if extended { 1 } else { 2 };
                continue;
            }
            if special('{') && !cur.pieces.is_empty() {
                let from = i + if extended { 1 } else { 2 };
                let close: Vec<char> = if extended { vec!['}'] } else { vec!['\\', '}'] };
                let mut j = from;
                while j < chars.len() && !chars[j..].starts_with(&close) {
                    j += 1;
                }
                if j < chars.len() {
                    let body: String = chars[from..j].iter().collect();
                    let (a, b) = match body.split_once(',') {
                        Some((a, "")) => (a.parse().ok(), Some(usize::MAX)),
                        Some((a, b)) => (a.parse().ok(), b.parse().ok()),
                        None => (body.parse().ok(), body.parse().ok()),
                    };
                    if let (Some(a), Some(b)) = (a, b) {
                        if a <= b && quant(a, b, &mut cur) {
                            i = j + close.len();
                            continue;
                        }
                    }
                }
            }
            let (atom, next) = match c {
                '.' => (Atom::Any, i + 1),
                '[' => parse_set(&chars, i)?,
                '\\' if i + 1 < chars.len() => {
                    let n = chars[i + 1];
                    let atom = match n {
                        't' => Atom::Char('\t'),
                        'n' => Atom::Char('\n'),
                        _ => Atom::Char(n),
                    };
                    (atom, i + 2)
                }
                _ => (Atom::Char(c), i + 1),
            };
            cur.pieces.push(Piece {
                atom,
                min: 1,
                max: 1,
            });
            i = next;
        }
        alts.push(cur);
        Some(Regex { alts, icase })
    }

    /// A pattern matching the literal text `s` (`grep -F`).
    pub fn literal(s: &str, icase: bool) -> Regex {
        Regex {
            alts: vec![Branch {
                start: false,
                end: false,
                pieces: s
                    .chars()
                    .map(|c| Piece {
                        atom: Atom::Char(c),
                        min: 1,
                        max: 1,
                    })
                    .collect(),
            }],
            icase,
        }
    }

    /// Whether the pattern matches anywhere in `line`.
    pub fn is_match(&self, line: &str) -> bool {
        let text: Vec<char> = line.chars().collect();
        let mut steps = 0;
        self.alts.iter().any(|b| {
            let starts: Vec<usize> = if b.start {
                vec![0]
            } else {
                (0..=text.len()).collect()
            };
            starts
                .into_iter()
                .any(|s| self.match_here(b, 0, &text, s, &mut steps))
        })
    }

    fn atom_matches(&self, a: &Atom, c: char) -> bool {
        let eq = |x: char, y: char| {
            if self.icase {
                x.to_lowercase().eq(y.to_lowercase())
            } else {
                x == y
            }
        };
        match a {
            Atom::Any => c != '\n',
            Atom::Char(x) => eq(*x, c),
            Atom::Set { negated, items } => {
                let hit = items.iter().any(|&(lo, hi)| {
                    (lo <= c && c <= hi)
                        || (self.icase && {
                            let l = c.to_ascii_lowercase();
                            let u = c.to_ascii_uppercase();
                            (lo <= l && l <= hi) || (lo <= u && u <= hi)
                        })
                });
                hit != *negated
            }
        }
    }

    fn match_here(
        &self,
        b: &Branch,
        pi: usize,
        text: &[char],
        ti: usize,
        steps: &mut usize,
    ) -> bool {
        *steps += 1;
        if *steps > STEP_LIMIT {
            return false;
        }
        let Some(p) = b.pieces.get(pi) else {
            return !b.end || ti == text.len();
        };
        // Greedy: count how many we can take, then back off.
        let mut n = 0;
        while n < p.max && ti + n < text.len() && self.atom_matches(&p.atom, text[ti + n]) {
            n += 1;
        }
        if n < p.min {
            return false;
        }
        loop {
            if self.match_here(b, pi + 1, text, ti + n, steps) {
                return true;
            }
            if n == p.min {
                return false;
            }
            n -= 1;
        }
    }
}

/// Parse a bracket expression starting at `chars[i] == '['`: the atom and the index after it.
fn parse_set(chars: &[char], i: usize) -> Option<(Atom, usize)> {
    let mut j = i + 1;
    let negated = chars.get(j) == Some(&'^');
    if negated {
        j += 1;
    }
    let mut items = Vec::new();
    let mut first = true;
    while j < chars.len() {
        let c = chars[j];
        if c == ']' && !first {
            return Some((Atom::Set { negated, items }, j + 1));
        }
        first = false;
        if c == '[' && chars.get(j + 1) == Some(&':') {
            let rest: String = chars[j + 2..].iter().collect();
            if let Some(end) = rest.find(":]") {
                let class = &rest[..end];
                let ranges: &[(char, char)] = match class {
                    "alpha" => &[('a', 'z'), ('A', 'Z')],
                    "digit" => &[('0', '9')],
                    "alnum" => &[('a', 'z'), ('A', 'Z'), ('0', '9')],
                    "upper" => &[('A', 'Z')],
                    "lower" => &[('a', 'z')],
                    "space" => &[(' ', ' '), ('\t', '\r')],
                    "blank" => &[(' ', ' '), ('\t', '\t')],
                    "punct" => &[('!', '/'), (':', '@'), ('[', '`'), ('{', '~')],
                    "xdigit" => &[('0', '9'), ('a', 'f'), ('A', 'F')],
                    _ => return None,
                };
                items.extend_from_slice(ranges);
                j += 2 + end + 2;
                continue;
            }
        }
        if chars.get(j + 1) == Some(&'-') && chars.get(j + 2).is_some_and(|&e| e != ']') {
            items.push((c, chars[j + 2]));
            j += 3;
        } else {
            items.push((c, c));
            j += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::Regex;

    fn m(p: &str, s: &str) -> bool {
        Regex::new(p, false, false).is_some_and(|r| r.is_match(s))
    }

    #[test]
    fn basic_regular_expressions() {
        assert!(m("ab*c", "xac"));
        assert!(m("^a.c$", "abc"));
        assert!(!m("^a.c$", "abcd"));
        assert!(m("[0-9][0-9]*", "x42"));
        assert!(!m("[^a-z]", "abc"));
        assert!(m("a\\{2\\}", "caab"));
        assert!(m("x\\|y", "y"));
        assert!(m("a+", "a+"));
        assert!(m("*a", "*a"));
        assert!(m("", "anything"));
        assert!(Regex::new("[abc", false, false).is_none());
        assert!(Regex::new("HELLO", true, false).is_some_and(|r| r.is_match("hello")));
        assert!(Regex::new("a+b?", false, true).is_some_and(|r| r.is_match("aa")));
    }
}
