//! POSIX basic and extended regular expressions as glibc's `regcomp` reads them (with GNU's
//! operators `\| \+ \? \< \> \b \B \w \W \s \S`, back-references `\1`...`\9`), parsed into a
//! [`Node`] tree, with glibc's error kinds and, for GNU grep, its warnings.

use super::class::{Class, Set};

/// How deep groups may nest. Emulation note: glibc has no such limit; deeper patterns are refused
/// with layerbox's own message.
pub(super) const MAX_NESTING: usize = 200;
/// glibc's `RE_DUP_MAX`: the largest count in `\{m,n\}`.
const DUP_MAX: u32 = 0x7fff;

/// A zero-width assertion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Look {
    /// `^`, `` \` ``: the start of the line.
    Start,
    /// `$`, `\'`: the end of the line.
    End,
    /// `\b`.
    WordBoundary,
    /// `\B`.
    NotWordBoundary,
    /// `\<`.
    WordStart,
    /// `\>`.
    WordEnd,
    /// `grep -w`: no word character before.
    NoWordBefore,
    /// `grep -w`: no word character after.
    NoWordAfter,
}

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Node {
    Empty,
    /// One character (a byte in BusyBox's C locale).
    Unit(u32),
    /// `.`
    Any,
    Set(Box<Set>),
    Look(Look),
    /// A group; `Some(k)` when it is one of the first nine (`\k` can refer to it).
    Group(Box<Node>, Option<u8>),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
    },
    /// `\k`.
    Backref(u8),
}

impl Node {
    /// Whether a back-reference occurs anywhere (the Pike VM cannot run those).
    pub(super) fn has_backref(&self) -> bool {
        match self {
            Node::Backref(_) => true,
            Node::Group(n, _) | Node::Repeat { node: n, .. } => n.has_backref(),
            Node::Concat(v) | Node::Alt(v) => v.iter().any(Node::has_backref),
            _ => false,
        }
    }
}

/// Why a pattern does not compile: glibc's error codes, and layerbox's own limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    Collate,
    ClassName,
    TrailingBackslash,
    Backref,
    Bracket,
    Paren,
    Brace,
    BadBrace,
    Range,
    RightParen,
    TooBig,
    /// GNU grep's own: `[:space:]` written for `[[:space:]]`.
    ColonClass,
    /// layerbox's limits (nesting, program size).
    TooCostly,
}

impl ErrorKind {
    /// The message glibc's `regerror` (or GNU grep's dfa) prints.
    pub fn message(self) -> &'static str {
        match self {
            ErrorKind::Collate => "Invalid collation character",
            ErrorKind::ClassName => "Invalid character class name",
            ErrorKind::TrailingBackslash => "Trailing backslash",
            ErrorKind::Backref => "Invalid back reference",
            ErrorKind::Bracket => "Unmatched [, [^, [:, [., or [=",
            ErrorKind::Paren => "Unmatched ( or \\(",
            ErrorKind::Brace => "Unmatched \\{",
            ErrorKind::BadBrace => "Invalid content of \\{\\}",
            ErrorKind::Range => "Invalid range end",
            ErrorKind::RightParen => "Unmatched ) or \\)",
            ErrorKind::TooBig => "Regular expression too big",
            ErrorKind::ColonClass => "character class syntax is [[:space:]], not [:space:]",
            ErrorKind::TooCostly => "pattern too costly",
        }
    }
}

/// How to read a pattern.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Syntax {
    /// ERE (`grep -E`) instead of BRE.
    pub(super) extended: bool,
    /// GNU grep: its dfa's warnings, its reading of `{` at the start of an ERE, and its
    /// `[:space:]` error.
    pub(super) gnu: bool,
}

/// One lexical token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Unit(u32),
    Any,
    Bracket,
    Open,
    Close,
    Alt,
    Star,
    Plus,
    Question,
    /// `{` (ERE) or `\{` (BRE).
    Brace,
    Look(Look),
    /// `\w \W \s \S`.
    Perl(Class, bool),
    Backref(u8),
    End,
}

pub(super) struct Parser<'a> {
    s: &'a [u32],
    i: usize,
    syntax: Syntax,
    /// Groups opened so far.
    groups: u32,
    /// Groups (1..=9) closed so far on the way here: what `\k` may name (glibc's
    /// `completed_bkref_map`).
    completed: u16,
    pub(super) warnings: Vec<String>,
}

const BS: u32 = '\\' as u32;

fn unit(c: char) -> u32 {
    c as u32
}

impl<'a> Parser<'a> {
    pub(super) fn new(s: &'a [u32], syntax: Syntax) -> Parser<'a> {
        Parser {
            s,
            i: 0,
            syntax,
            groups: 0,
            completed: 0,
            warnings: Vec::new(),
        }
    }

    pub(super) fn parse(&mut self) -> Result<Node, ErrorKind> {
        let node = self.alternation(0)?;
        match self.peek(true).0 {
            Tok::End => Ok(node),
            // Only a `\)` without its `\(` stops the top level.
            _ => Err(ErrorKind::RightParen),
        }
    }

    fn at(&self, k: usize) -> Option<u32> {
        self.s.get(self.i + k).copied()
    }

    /// The next token and its length; `start` says the token begins an expression (where `^`
    /// anchors in a BRE).
    fn peek(&self, start: bool) -> (Tok, usize) {
        let ext = self.syntax.extended;
        let Some(c) = self.at(0) else {
            return (Tok::End, 0);
        };
        let ch = char::from_u32(c).unwrap_or('\u{fffd}');
        if c == BS {
            let Some(n) = self.at(1) else {
                // Reported by the caller as a trailing backslash.
                return (Tok::Unit(BS), 1);
            };
            let nc = char::from_u32(n).unwrap_or('\u{fffd}');
            let tok = match nc {
                '(' if !ext => Tok::Open,
                ')' if !ext => Tok::Close,
                '{' if !ext => Tok::Brace,
                '|' if !ext => Tok::Alt,
                '+' if !ext => Tok::Plus,
                '?' if !ext => Tok::Question,
                '1'..='9' => Tok::Backref(nc as u8 - b'0'),
                '<' => Tok::Look(Look::WordStart),
                '>' => Tok::Look(Look::WordEnd),
                'b' => Tok::Look(Look::WordBoundary),
                'B' => Tok::Look(Look::NotWordBoundary),
                '`' => Tok::Look(Look::Start),
                '\'' => Tok::Look(Look::End),
                'w' => Tok::Perl(Class::Word, false),
                'W' => Tok::Perl(Class::Word, true),
                's' => Tok::Perl(Class::Space, false),
                'S' => Tok::Perl(Class::Space, true),
                _ => Tok::Unit(n),
            };
            return (tok, 2);
        }
        let tok = match ch {
            '.' => Tok::Any,
            '[' => Tok::Bracket,
            '*' => Tok::Star,
            '(' if ext => Tok::Open,
            ')' if ext => Tok::Close,
            '{' if ext => Tok::Brace,
            '|' if ext => Tok::Alt,
            '+' if ext => Tok::Plus,
            '?' if ext => Tok::Question,
            '^' if ext || start => Tok::Look(Look::Start),
            '$' if ext || self.dollar_anchors() => Tok::Look(Look::End),
            _ => Tok::Unit(c),
        };
        (tok, 1)
    }

    /// A BRE's `$` anchors at the end of the pattern and before `\)` or `\|`.
    fn dollar_anchors(&self) -> bool {
        match (self.at(1), self.at(2)) {
            (None, _) => true,
            (Some(BS), Some(n)) => n == unit(')') || n == unit('|'),
            _ => false,
        }
    }

    fn alternation(&mut self, depth: usize) -> Result<Node, ErrorKind> {
        let initial = self.completed;
        let mut branches = vec![self.branch(depth)?];
        while self.peek(false).0 == Tok::Alt {
            self.i += self.peek(false).1;
            let accumulated = self.completed;
            self.completed = initial;
            branches.push(self.branch(depth)?);
            self.completed |= accumulated;
        }
        Ok(if branches.len() == 1 {
            branches.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alt(branches)
        })
    }

    /// A sequence of expressions up to `|`, a closing group or the end.
    fn branch(&mut self, depth: usize) -> Result<Node, ErrorKind> {
        let mut seq: Vec<Node> = Vec::new();
        // Whether a repetition operator here would have nothing to repeat: at the start of the
        // branch and after an anchor.
        let mut start = true;
        // GNU grep's dfa warns of an operator while this holds: at the start of the branch
        // and after anchors and `*+?` there, not after a character or an interval.
        let mut laststart = true;
        let branch_start = self.i;
        loop {
            // A BRE's `^` anchors only first in the pattern, a group or an alternative.
            let (tok, len) = self.peek(self.i == branch_start);
            match tok {
                Tok::End | Tok::Alt => break,
                Tok::Close if depth > 0 || self.syntax.extended => {
                    if depth > 0 {
                        break;
                    }
                    // An ERE's `)` without its `(` is an ordinary character.
                    self.i += len;
                    seq.push(Node::Unit(unit(')')));
                    start = false;
                    laststart = false;
                    continue;
                }
                Tok::Close => break,
                Tok::Star | Tok::Plus | Tok::Question | Tok::Brace if start => {
                    laststart = self.leading_operator(tok, len, laststart, &mut seq);
                    // A BRE's operator became a character, which the next one may repeat.
                    start = self.syntax.extended;
                    continue;
                }
                Tok::Star | Tok::Plus | Tok::Question | Tok::Brace => {
                    let Some(last) = seq.pop() else {
                        break;
                    };
                    match self.repetition(tok, len, last)? {
                        Ok(repeated) => seq.push(repeated),
                        Err(last) => {
                            // An ERE's `{` that opens no interval is an ordinary character.
                            seq.push(last);
                            seq.push(Node::Unit(unit('{')));
                        }
                    }
                    laststart = false;
                    continue;
                }
                _ => {}
            }
            self.i += len;
            start = false;
            laststart &= matches!(tok, Tok::Look(_));
            let node = match tok {
                Tok::Unit(BS) if self.at(0).is_none() => return Err(ErrorKind::TrailingBackslash),
                Tok::Unit(c) => Node::Unit(c),
                Tok::Any => Node::Any,
                Tok::Bracket => Node::Set(Box::new(self.bracket()?)),
                Tok::Perl(class, negated) => Node::Set(Box::new(Set::perl(class, negated))),
                Tok::Look(look) => {
                    start = true;
                    Node::Look(look)
                }
                Tok::Backref(k) => {
                    if self.completed & (1 << k) == 0 {
                        return Err(ErrorKind::Backref);
                    }
                    Node::Backref(k)
                }
                Tok::Open => self.group(depth)?,
                _ => Node::Empty,
            };
            seq.push(node);
        }
        Ok(match seq.len() {
            0 => Node::Empty,
            1 => seq.pop().unwrap_or(Node::Empty),
            _ => Node::Concat(seq),
        })
    }

    /// `*`, `+`, `?` or an interval with nothing before it to repeat: a BRE takes it as an
    /// ordinary character; an ERE skips it (GNU grep reads a whole valid `{m,n}`, and warns
    /// while `laststart` holds). Returns whether GNU's `laststart` still holds after it.
    fn leading_operator(
        &mut self,
        tok: Tok,
        len: usize,
        laststart: bool,
        seq: &mut Vec<Node>,
    ) -> bool {
        if !self.syntax.extended {
            self.i += len;
            let c = self.s[self.i - 1];
            seq.push(Node::Unit(c));
            return false;
        }
        let name = match tok {
            Tok::Star => "*",
            Tok::Plus => "+",
            Tok::Question => "?",
            _ => "{...}",
        };
        let warn = laststart && self.syntax.gnu;
        self.i += len;
        if tok == Tok::Brace && self.syntax.gnu {
            let save = self.i;
            let valid = matches!(self.interval(), Ok(Some(_)));
            if valid && self.needs_glibc() {
                // GNU grep's dfa warns, but glibc, which runs patterns the dfa cannot, skips
                // only the brace.
                self.warnings
                    .push(format!("warning: {name} at start of expression"));
                self.i = save;
                return false;
            }
            if valid {
                if warn {
                    self.warnings
                        .push(format!("warning: {name} at start of expression"));
                }
            } else {
                self.i = save;
                seq.push(Node::Unit(unit('{')));
            }
            return false;
        }
        if warn {
            self.warnings
                .push(format!("warning: {name} at start of expression"));
        }
        laststart
    }

    /// Whether GNU grep runs this pattern with glibc's matcher rather than its dfa: with word
    /// anchors (which its dfa cannot match in a multibyte locale) or back-references.
    fn needs_glibc(&self) -> bool {
        self.s.windows(2).any(|w| {
            w[0] == BS
                && char::from_u32(w[1])
                    .is_some_and(|c| matches!(c, '<' | '>' | 'b' | 'B' | '1'..='9'))
        })
    }

    /// The operator `tok` applied to `last`, or `last` back when `tok` is an ERE's `{` that
    /// opens no interval (consumed: the caller adds it as a character).
    fn repetition(
        &mut self,
        tok: Tok,
        len: usize,
        last: Node,
    ) -> Result<Result<Node, Node>, ErrorKind> {
        let save = self.i;
        self.i += len;
        let (min, max) = match tok {
            Tok::Star => (0, None),
            Tok::Plus => (1, None),
            Tok::Question => (0, Some(1)),
            _ => match self.interval()? {
                Some(bounds) => bounds,
                None => {
                    self.i = save + len;
                    return Ok(Err(last));
                }
            },
        };
        stack_repeat(last, min, max).map(Ok)
    }

    /// The rest of `{m,n}` after the brace, as glibc's `parse_dup_op` reads it: the bounds, or
    /// `None` for an ERE's brace that opens no interval (`RE_INVALID_INTERVAL_ORD`).
    fn interval(&mut self) -> Result<Option<(u32, Option<u32>)>, ErrorKind> {
        let (start, first) = self.number();
        let start = match (start, first) {
            (Number::None, Stop::Comma) => Number::Digits(0),
            (Number::None, _) => return Err(ErrorKind::BadBrace),
            (n, _) => n,
        };
        let (end, last) = match (start, first) {
            (Number::Bad, _) => (Number::Bad, first),
            (_, Stop::Close) => (start, Stop::Close),
            (_, Stop::Comma) => self.number(),
            (_, Stop::End) => (Number::Bad, Stop::End),
        };
        if start == Number::Bad || end == Number::Bad {
            if self.syntax.extended {
                return Ok(None);
            }
            return Err(if last == Stop::End {
                ErrorKind::Brace
            } else {
                ErrorKind::BadBrace
            });
        }
        let Number::Digits(min) = start else {
            return Err(ErrorKind::BadBrace);
        };
        let max = match end {
            Number::Digits(n) => Some(n),
            _ => None,
        };
        if max.is_some_and(|m| min > m) || last != Stop::Close {
            return Err(ErrorKind::BadBrace);
        }
        if max.unwrap_or(min) > DUP_MAX {
            return Err(ErrorKind::TooBig);
        }
        Ok(Some((min, max)))
    }

    /// Digits up to `,` or the closing brace (both consumed), as glibc's `fetch_number`, and
    /// what stopped them.
    fn number(&mut self) -> (Number, Stop) {
        let mut n = Number::None;
        loop {
            let Some(c) = self.at(0) else {
                return (Number::Bad, Stop::End);
            };
            let close = if self.syntax.extended {
                (c == unit('}')).then_some(1)
            } else {
                (c == BS && self.at(1) == Some(unit('}'))).then_some(2)
            };
            if let Some(len) = close {
                self.i += len;
                return (n, Stop::Close);
            }
            self.i += if c == BS && self.at(1).is_some() {
                2
            } else {
                1
            };
            if c == unit(',') {
                return (n, Stop::Comma);
            }
            let digit = if c == BS {
                None
            } else {
                char::from_u32(c).and_then(|d| d.to_digit(10))
            };
            n = match (n, digit) {
                (Number::None, Some(d)) => Number::Digits(d),
                (Number::Digits(v), Some(d)) => Number::Digits((v * 10 + d).min(DUP_MAX + 1)),
                _ => Number::Bad,
            };
        }
    }

    fn group(&mut self, depth: usize) -> Result<Node, ErrorKind> {
        if depth + 1 > MAX_NESTING {
            return Err(ErrorKind::TooCostly);
        }
        self.groups += 1;
        let index = self.groups;
        let inner = if self.peek(true).0 == Tok::Close {
            Node::Empty
        } else {
            self.alternation(depth + 1)?
        };
        match self.peek(false) {
            (Tok::Close, len) => self.i += len,
            _ => return Err(ErrorKind::Paren),
        }
        let k = (index <= 9).then_some(index as u8);
        if let Some(k) = k {
            self.completed |= 1 << k;
        }
        Ok(Node::Group(Box::new(inner), k))
    }

    /// A bracket expression after its `[`.
    fn bracket(&mut self) -> Result<Set, ErrorKind> {
        let open = self.i;
        let negated = self.at(0) == Some(unit('^'));
        if negated {
            self.i += 1;
        }
        if self.syntax.gnu && !negated {
            self.colon_class_check(open)?;
        }
        let mut set = Set::new(negated);
        let mut first = true;
        loop {
            let Some(c) = self.at(0) else {
                return Err(ErrorKind::Bracket);
            };
            if c == unit(']') && !first {
                self.i += 1;
                return Ok(set);
            }
            first = false;
            let lo = self.bracket_element()?;
            let is_range =
                self.at(0) == Some(unit('-')) && self.at(1).is_some_and(|n| n != unit(']'));
            if !is_range {
                match lo {
                    Element::Unit(u) => set.ranges.push((u, u)),
                    Element::Class(class) => set.classes.push(class),
                }
                continue;
            }
            self.i += 1;
            let hi = self.bracket_element()?;
            match (lo, hi) {
                (Element::Unit(a), Element::Unit(b)) if a <= b => set.ranges.push((a, b)),
                _ => return Err(ErrorKind::Range),
            }
        }
    }

    /// GNU grep refuses `[:alpha:]` meant as `[[:alpha:]]`.
    fn colon_class_check(&self, open: usize) -> Result<(), ErrorKind> {
        if self.s.get(open) != Some(&unit(':')) {
            return Ok(());
        }
        let rest = &self.s[open + 1..];
        let Some(close) = rest.iter().position(|&c| c == unit(']')) else {
            return Ok(());
        };
        if close >= 1 && rest[close - 1] == unit(':') {
            return Err(ErrorKind::ColonClass);
        }
        Ok(())
    }

    /// One element of a bracket expression: a character, `[:class:]`, `[=c=]` or `[.c.]`.
    fn bracket_element(&mut self) -> Result<Element, ErrorKind> {
        let c = self.at(0).ok_or(ErrorKind::Bracket)?;
        if c == unit('[') {
            if let Some(kind) = self.at(1).filter(|k| [':', '=', '.'].map(unit).contains(k)) {
                let body_start = self.i + 2;
                let mut j = body_start;
                while j + 1 < self.s.len() && !(self.s[j] == kind && self.s[j + 1] == unit(']')) {
                    j += 1;
                }
                if j + 1 >= self.s.len() {
                    return Err(ErrorKind::Bracket);
                }
                let body = &self.s[body_start..j];
                self.i = j + 2;
                if kind == unit(':') {
                    let name: String = body.iter().filter_map(|&u| char::from_u32(u)).collect();
                    return Class::named(&name)
                        .map(Element::Class)
                        .ok_or(ErrorKind::ClassName);
                }
                return match body {
                    [one] => Ok(Element::Unit(*one)),
                    _ => Err(ErrorKind::Collate),
                };
            }
        }
        self.i += 1;
        Ok(Element::Unit(c))
    }
}

/// `node` repeated `min` to `max` times. A repetition of a repetition by `*`, `+` and `?` alone
/// is one repetition (`a**` is `a*`, `\(a+\)?` is `a*`), so a run of operators stays flat;
/// other stacks (`a\{2\}\{3\}`) may go only as deep as groups.
fn stack_repeat(node: Node, min: u32, max: Option<u32>) -> Result<Node, ErrorKind> {
    let simple = |min: u32, max: Option<u32>| min <= 1 && matches!(max, None | Some(1));
    match node {
        Node::Repeat {
            node: inner,
            min: m1,
            max: x1,
        } if simple(m1, x1) && simple(min, max) => Ok(Node::Repeat {
            node: inner,
            min: m1 * min,
            max: if x1.is_none() || max.is_none() {
                None
            } else {
                Some(1)
            },
        }),
        node => {
            let mut depth = 0;
            let mut at = &node;
            while let Node::Repeat { node: inner, .. } = at {
                depth += 1;
                at = inner;
            }
            if depth >= MAX_NESTING {
                return Err(ErrorKind::TooCostly);
            }
            Ok(Node::Repeat {
                node: Box::new(node),
                min,
                max,
            })
        }
    }
}

/// A count in an interval as glibc's `fetch_number` reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Number {
    /// No digits (`-1`).
    None,
    Digits(u32),
    /// Not a number (`-2`).
    Bad,
}

/// What ended a count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    Close,
    Comma,
    End,
}

enum Element {
    Unit(u32),
    Class(Class),
}
