//! Go's regular expressions (RE2 syntax, `regexp.MatchString`) for match or no match only: a
//! parser that accepts exactly what Go's `regexp/syntax` accepts, a compiler to a small
//! Thompson-NFA program, and a Pike VM that runs it in time bounded by program size × input length.
//!
//! Emulation note: Go accepts Unicode classes (`\pL`, `\p{Greek}`, `\PN`); they are refused here
//! (as regex-lite, which this replaces, refused them), so such a filter matches only itself.
//! Emulation note: Go's case folding follows Unicode's simple folding orbits; here a character's
//! orbit is its one-character lower and upper case (plus U+212A KELVIN SIGN for `k`, `ſ` for
//! `s`), which misses a few orbits such as `µ` seen from `μ`, or `ẞ` from `ß`.

/// How far groups may nest: Go refuses a parse tree higher than 1000 (`expression nests too
/// deeply`), so 999 capture groups around a literal at most. Emulation note: Go measures the
/// tree, where `(?:...)` adds no level and a repetition does; this counts every group.
const MAX_DEPTH: usize = 1000;
/// The largest count in `{n,m}` (Go: `invalid repeat count`).
const MAX_REPEAT: u32 = 1000;
/// Emulation note: Go refuses a program of more than about 3.3 million instructions
/// (`expression too large`); a filter value that compiles to more than this is refused here.
const MAX_INSTS: usize = 100_000;
/// Emulation note: a pattern longer than this is refused (Go has no such limit).
const MAX_PATTERN_BYTES: usize = 1 << 16;

/// The pattern is not one Go's `regexp.Compile` accepts (or is beyond this matcher's limits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invalid;

/// A compiled expression.
#[derive(Debug)]
pub struct Regex {
    prog: Vec<Inst>,
    classes: Vec<Class>,
}

impl Regex {
    /// Parses and compiles `pattern` with Go's default (Perl) flags.
    pub fn new(pattern: &str) -> Result<Regex, Invalid> {
        if pattern.len() > MAX_PATTERN_BYTES {
            return Err(Invalid);
        }
        let mut parser = Parser {
            s: pattern.chars().collect(),
            i: 0,
            classes: Vec::new(),
        };
        let node = parser.parse()?;
        let mut compiler = Compiler {
            prog: Vec::new(),
            steps: 0,
        };
        compiler.compile(&node)?;
        compiler.emit(Inst::Match)?;
        Ok(Regex {
            prog: compiler.prog,
            classes: parser.classes,
        })
    }

    /// Whether the expression matches anywhere in `haystack` (Go's `MatchString`).
    pub fn is_match(&self, haystack: &str) -> bool {
        let text: Vec<u32> = haystack.chars().map(u32::from).collect();
        let mut clist = SparseSet::new(self.prog.len());
        let mut nlist = SparseSet::new(self.prog.len());
        let mut stack = Vec::new();
        for at in 0..=text.len() {
            self.add(&mut clist, &mut stack, 0, &text, at);
            let next = text.get(at).copied();
            for k in 0..clist.dense.len() {
                let pc = clist.dense[k] as usize;
                match self.prog[pc] {
                    Inst::Match => return true,
                    Inst::Class(class) => {
                        if let Some(c) = next {
                            if self.classes[class as usize].matches(c) {
                                self.add(&mut nlist, &mut stack, pc + 1, &text, at + 1);
                            }
                        }
                    }
                    _ => {}
                }
            }
            std::mem::swap(&mut clist, &mut nlist);
            nlist.clear();
        }
        clist
            .dense
            .iter()
            .any(|&pc| matches!(self.prog[pc as usize], Inst::Match))
    }

    /// Adds `pc` and everything reachable from it without consuming input, at position `at`.
    fn add(&self, set: &mut SparseSet, stack: &mut Vec<usize>, pc: usize, text: &[u32], at: usize) {
        stack.push(pc);
        while let Some(pc) = stack.pop() {
            if !set.insert(pc) {
                continue;
            }
            match self.prog[pc] {
                Inst::Jmp(to) => stack.push(to as usize),
                Inst::Split(a, b) => {
                    stack.push(b as usize);
                    stack.push(a as usize);
                }
                Inst::Assert(look) => {
                    if look.holds(text, at) {
                        stack.push(pc + 1);
                    }
                }
                Inst::Class(_) | Inst::Match => {}
            }
        }
    }
}

/// A set of program counters in insertion order, cleared in constant time.
struct SparseSet {
    dense: Vec<u32>,
    sparse: Vec<u32>,
}

impl SparseSet {
    fn new(n: usize) -> SparseSet {
        SparseSet {
            dense: Vec::with_capacity(n),
            sparse: vec![0; n],
        }
    }

    fn insert(&mut self, pc: usize) -> bool {
        let k = self.sparse[pc] as usize;
        if k < self.dense.len() && self.dense[k] as usize == pc {
            return false;
        }
        // MAX_INSTS keeps every index within u32.
        self.sparse[pc] = self.dense.len() as u32;
        self.dense.push(pc as u32);
        true
    }

    fn clear(&mut self) {
        self.dense.clear();
    }
}

#[derive(Debug, Clone, Copy)]
enum Inst {
    /// Consume one character of the class.
    Class(u32),
    Split(u32, u32),
    Jmp(u32),
    Assert(Look),
    Match,
}

/// A zero-width assertion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Look {
    /// `\A`, or `^` without `(?m)`.
    BeginText,
    /// `\z`, or `$` without `(?m)`.
    EndText,
    /// `^` in `(?m)`: at the start or after `\n`.
    BeginLine,
    /// `$` in `(?m)`: at the end or before `\n`.
    EndLine,
    /// `\b`: between an ASCII word character and a non-word character (or an end).
    WordBoundary,
    /// `\B`.
    NotWordBoundary,
}

impl Look {
    fn holds(self, text: &[u32], at: usize) -> bool {
        let before = at.checked_sub(1).and_then(|k| text.get(k)).copied();
        let after = text.get(at).copied();
        let word = |c: Option<u32>| c.is_some_and(is_word);
        match self {
            Look::BeginText => at == 0,
            Look::EndText => at == text.len(),
            Look::BeginLine => before.is_none_or(|c| c == u32::from('\n')),
            Look::EndLine => after.is_none_or(|c| c == u32::from('\n')),
            Look::WordBoundary => word(before) != word(after),
            Look::NotWordBoundary => word(before) == word(after),
        }
    }
}

fn is_word(c: u32) -> bool {
    in_ranges(WORD, c)
}

fn in_ranges(ranges: &[(u32, u32)], c: u32) -> bool {
    ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi)
}

/// A bracket class, a Perl class, `.` or a literal character: a union of items, then negated
/// if `[^...]`. Under `(?i)` each item matches a character whose case orbit meets it (Go folds
/// each range and Perl or POSIX group as it is added, and negates a negated group after folding).
#[derive(Debug, Default)]
struct Class {
    items: Vec<Item>,
    negated: bool,
    fold: bool,
}

#[derive(Debug, Default)]
struct Item {
    ranges: Vec<(u32, u32)>,
    negated: bool,
}

impl Class {
    fn matches(&self, c: u32) -> bool {
        let hit = self.items.iter().any(|item| {
            let inside = |x: u32| in_ranges(&item.ranges, x);
            let meets = if self.fold {
                any_in_orbit(c, inside)
            } else {
                inside(c)
            };
            meets != item.negated
        });
        hit != self.negated
    }
}

/// Whether `f` holds for `c` or a character of its case orbit.
fn any_in_orbit(c: u32, mut f: impl FnMut(u32) -> bool) -> bool {
    if f(c) {
        return true;
    }
    if c < 0x80 {
        let b = c as u8;
        if !b.is_ascii_alphabetic() {
            return false;
        }
        return f(c ^ 0x20)
            || match b | 0x20 {
                b'k' => f(0x212A),
                b's' => f(0x17F),
                _ => false,
            };
    }
    let Some(ch) = char::from_u32(c) else {
        return false;
    };
    let lower = single(ch.to_lowercase());
    let upper = single(ch.to_uppercase());
    let candidates = [
        lower,
        upper,
        upper.and_then(|u| single(u.to_lowercase())),
        lower.and_then(|l| single(l.to_uppercase())),
    ];
    candidates.into_iter().flatten().any(|x| f(u32::from(x)))
}

fn single(mut chars: impl Iterator<Item = char>) -> Option<char> {
    let first = chars.next()?;
    chars.next().is_none().then_some(first)
}

const DIGIT: &[(u32, u32)] = &[(0x30, 0x39)];
/// Go's `\s` is `[\t\n\f\r ]` (no `\v`, unlike `[[:space:]]`).
const PERL_SPACE: &[(u32, u32)] = &[(0x09, 0x0A), (0x0C, 0x0D), (0x20, 0x20)];
const WORD: &[(u32, u32)] = &[(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)];

/// `\d \D \s \S \w \W`: the group and whether it is negated.
fn perl_class(c: char) -> Option<(&'static [(u32, u32)], bool)> {
    let group = match c.to_ascii_lowercase() {
        'd' => DIGIT,
        's' => PERL_SPACE,
        'w' => WORD,
        _ => return None,
    };
    Some((group, c.is_ascii_uppercase()))
}

/// `[:alpha:]` and the other POSIX classes Go knows (ASCII only).
fn posix_class(name: &str) -> Option<&'static [(u32, u32)]> {
    Some(match name {
        "alnum" => &[(0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)],
        "alpha" => &[(0x41, 0x5A), (0x61, 0x7A)],
        "ascii" => &[(0x00, 0x7F)],
        "blank" => &[(0x09, 0x09), (0x20, 0x20)],
        "cntrl" => &[(0x00, 0x1F), (0x7F, 0x7F)],
        "digit" => DIGIT,
        "graph" => &[(0x21, 0x7E)],
        "lower" => &[(0x61, 0x7A)],
        "print" => &[(0x20, 0x7E)],
        "punct" => &[(0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)],
        "space" => &[(0x09, 0x0D), (0x20, 0x20)],
        "upper" => &[(0x41, 0x5A)],
        "word" => WORD,
        "xdigit" => &[(0x30, 0x39), (0x41, 0x46), (0x61, 0x66)],
        _ => return None,
    })
}

/// The parse tree. Groups leave no node of their own: only matching is asked of it.
#[derive(Debug)]
enum Node {
    Empty,
    Class(u32),
    Look(Look),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    /// `max: None` is unbounded. `counted` marks `{n,m}`, which Go's nesting limit looks at.
    Repeat {
        sub: Box<Node>,
        min: u32,
        max: Option<u32>,
        counted: bool,
    },
}

/// Go's `repeatIsValid`: nested `{n,m}` may not multiply beyond 1000 copies.
fn repeat_is_valid(node: &Node, mut n: u32) -> bool {
    match node {
        Node::Repeat {
            sub,
            min,
            max,
            counted,
        } => {
            if *counted {
                if *max == Some(0) {
                    return true;
                }
                let m = max.unwrap_or(*min);
                if m > n {
                    return false;
                }
                n = n.checked_div(m).unwrap_or(n);
            }
            repeat_is_valid(sub, n)
        }
        Node::Concat(subs) | Node::Alt(subs) => subs.iter().all(|sub| repeat_is_valid(sub, n)),
        Node::Empty | Node::Class(_) | Node::Look(_) => true,
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Flags {
    fold: bool,
    multi_line: bool,
    dot_nl: bool,
}

/// An open group: its finished alternatives, the sequence being built, and the flags to restore
/// when it closes.
#[derive(Debug, Default)]
struct Group {
    alts: Vec<Node>,
    seq: Vec<Node>,
    restore: Flags,
}

impl Group {
    fn finish(mut self) -> Node {
        let last = concat(self.seq);
        if self.alts.is_empty() {
            last
        } else {
            self.alts.push(last);
            Node::Alt(self.alts)
        }
    }
}

fn concat(mut seq: Vec<Node>) -> Node {
    match seq.len() {
        0 => Node::Empty,
        1 => seq.pop().unwrap_or(Node::Empty),
        _ => Node::Concat(seq),
    }
}

struct Parser {
    s: Vec<char>,
    i: usize,
    classes: Vec<Class>,
}

impl Parser {
    fn peek(&self, k: usize) -> Option<char> {
        self.s.get(self.i + k).copied()
    }

    fn class(&mut self, class: Class) -> Node {
        self.classes.push(class);
        Node::Class((self.classes.len() - 1) as u32)
    }

    fn literal(&mut self, c: u32, flags: Flags) -> Node {
        let item = Item {
            ranges: vec![(c, c)],
            negated: false,
        };
        self.class(Class {
            items: vec![item],
            negated: false,
            fold: flags.fold,
        })
    }

    /// Go's `parse` loop, with an explicit stack of open groups so nesting costs no recursion.
    fn parse(&mut self) -> Result<Node, Invalid> {
        let mut flags = Flags::default();
        let mut stack: Vec<Group> = Vec::new();
        let mut cur = Group::default();
        let mut last_was_repeat = false;
        while let Some(c) = self.peek(0) {
            let after_repeat = std::mem::take(&mut last_was_repeat);
            match c {
                '(' => {
                    if self.peek(1) == Some('?') {
                        if let Some(restore) = self.parse_perl_group(&mut flags)? {
                            stack.push(std::mem::take(&mut cur));
                            cur.restore = restore;
                        }
                    } else {
                        self.i += 1;
                        stack.push(std::mem::take(&mut cur));
                        cur.restore = flags;
                    }
                    if stack.len() >= MAX_DEPTH {
                        return Err(Invalid);
                    }
                }
                ')' => {
                    self.i += 1;
                    let outer = stack.pop().ok_or(Invalid)?;
                    let group = std::mem::replace(&mut cur, outer);
                    flags = group.restore;
                    let node = group.finish();
                    cur.seq.push(node);
                }
                '|' => {
                    self.i += 1;
                    let seq = std::mem::take(&mut cur.seq);
                    cur.alts.push(concat(seq));
                }
                '*' | '+' | '?' => {
                    self.i += 1;
                    let (min, max) = match c {
                        '*' => (0, None),
                        '+' => (1, None),
                        _ => (0, Some(1)),
                    };
                    self.repeat(&mut cur, after_repeat, min, max, false)?;
                    last_was_repeat = true;
                }
                '{' => match self.parse_repeat() {
                    Some((min, max, end)) => {
                        if min > MAX_REPEAT || max.is_some_and(|m| m > MAX_REPEAT || m < min) {
                            return Err(Invalid);
                        }
                        self.i = end;
                        self.repeat(&mut cur, after_repeat, min, max, true)?;
                        last_was_repeat = true;
                    }
                    None => {
                        self.i += 1;
                        let node = self.literal(u32::from('{'), flags);
                        cur.seq.push(node);
                    }
                },
                '^' | '$' => {
                    self.i += 1;
                    let look = match (c, flags.multi_line) {
                        ('^', false) => Look::BeginText,
                        ('^', true) => Look::BeginLine,
                        (_, false) => Look::EndText,
                        (_, true) => Look::EndLine,
                    };
                    cur.seq.push(Node::Look(look));
                }
                '.' => {
                    self.i += 1;
                    let class = if flags.dot_nl {
                        Class {
                            items: vec![Item {
                                ranges: vec![(0, 0x10FFFF)],
                                negated: false,
                            }],
                            ..Class::default()
                        }
                    } else {
                        Class {
                            items: vec![Item {
                                ranges: vec![(0x0A, 0x0A)],
                                negated: false,
                            }],
                            negated: true,
                            fold: false,
                        }
                    };
                    let node = self.class(class);
                    cur.seq.push(node);
                }
                '[' => {
                    let node = self.parse_class(flags)?;
                    cur.seq.push(node);
                }
                '\\' => self.parse_top_escape(&mut cur, flags)?,
                _ => {
                    self.i += 1;
                    let node = self.literal(u32::from(c), flags);
                    cur.seq.push(node);
                }
            }
        }
        if !stack.is_empty() {
            return Err(Invalid);
        }
        Ok(cur.finish())
    }

    /// Go's `repeat`: `x**` and a repetition of nothing are refused, and nested counts may not
    /// multiply beyond 1000. A lazy `?` suffix changes nothing for match or no match.
    fn repeat(
        &mut self,
        cur: &mut Group,
        after_repeat: bool,
        min: u32,
        max: Option<u32>,
        counted: bool,
    ) -> Result<(), Invalid> {
        if self.peek(0) == Some('?') {
            self.i += 1;
        }
        if after_repeat {
            return Err(Invalid);
        }
        let sub = cur.seq.pop().ok_or(Invalid)?;
        let node = Node::Repeat {
            sub: Box::new(sub),
            min,
            max,
            counted,
        };
        if counted
            && (min >= 2 || max.is_some_and(|m| m >= 2))
            && !repeat_is_valid(&node, MAX_REPEAT)
        {
            return Err(Invalid);
        }
        cur.seq.push(node);
        Ok(())
    }

    /// Go's `parseRepeat` at `{`: `{n}`, `{n,}` or `{n,m}`, numbers without leading zeros;
    /// anything else is not a repetition (and `{` is a literal). Returns the end index.
    fn parse_repeat(&self) -> Option<(u32, Option<u32>, usize)> {
        let mut i = self.i + 1;
        let min = self.parse_int(&mut i)?;
        let max = match self.s.get(i)? {
            ',' => {
                i += 1;
                if *self.s.get(i)? == '}' {
                    None
                } else {
                    Some(self.parse_int(&mut i)?)
                }
            }
            _ => Some(min),
        };
        (*self.s.get(i)? == '}').then_some((min, max, i + 1))
    }

    /// Decimal digits at `i` (no leading zero unless alone), saturating above the repeat limit.
    fn parse_int(&self, i: &mut usize) -> Option<u32> {
        let start = *i;
        let mut n: u32 = 0;
        while let Some(d) = self.s.get(*i).and_then(|c| c.to_digit(10)) {
            n = (n * 10 + d).min(MAX_REPEAT + 1);
            *i += 1;
        }
        let digits = *i - start;
        if digits == 0 || (digits > 1 && self.s[start] == '0') {
            return None;
        }
        Some(n)
    }

    /// `(?` at `self.i`: a named group, a flag group `(?i:`, or flags alone `(?i)`. Returns the
    /// flags to restore if a group opens.
    fn parse_perl_group(&mut self, flags: &mut Flags) -> Result<Option<Flags>, Invalid> {
        let named = match (self.peek(2), self.peek(3)) {
            (Some('P'), Some('<')) if self.peek(4).is_some() => Some(4),
            (Some('<'), _) if self.peek(3).is_some() => Some(3),
            _ => None,
        };
        if let Some(begin) = named {
            // Go's names are ASCII letters, digits and `_`; duplicates are allowed.
            let mut j = self.i + begin;
            while let Some(&c) = self.s.get(j) {
                if c == '>' {
                    break;
                }
                if c != '_' && !c.is_ascii_alphanumeric() {
                    return Err(Invalid);
                }
                j += 1;
            }
            if j == self.i + begin || j == self.s.len() {
                return Err(Invalid);
            }
            self.i = j + 1;
            return Ok(Some(*flags));
        }
        let mut next = *flags;
        let mut negated = false;
        let mut saw_flag = false;
        let mut j = self.i + 2;
        loop {
            let c = *self.s.get(j).ok_or(Invalid)?;
            j += 1;
            match c {
                'i' => next.fold = !negated,
                'm' => next.multi_line = !negated,
                's' => next.dot_nl = !negated,
                'U' => {}
                '-' if !negated => {
                    negated = true;
                    saw_flag = false;
                    continue;
                }
                ':' | ')' => {
                    if negated && !saw_flag {
                        return Err(Invalid);
                    }
                    self.i = j;
                    let restore = *flags;
                    *flags = next;
                    return Ok((c == ':').then_some(restore));
                }
                _ => return Err(Invalid),
            }
            saw_flag = true;
        }
    }

    /// A backslash outside a class: assertions, `\Q...\E`, Perl classes, or one character.
    fn parse_top_escape(&mut self, cur: &mut Group, flags: Flags) -> Result<(), Invalid> {
        let look = match self.peek(1) {
            Some('A') => Some(Look::BeginText),
            Some('z') => Some(Look::EndText),
            Some('b') => Some(Look::WordBoundary),
            Some('B') => Some(Look::NotWordBoundary),
            _ => None,
        };
        if let Some(look) = look {
            self.i += 2;
            cur.seq.push(Node::Look(look));
            return Ok(());
        }
        if self.peek(1) == Some('Q') {
            // Everything up to `\E` (or the end) is literal, one character at a time.
            self.i += 2;
            while let Some(c) = self.peek(0) {
                if c == '\\' && self.peek(1) == Some('E') {
                    self.i += 2;
                    break;
                }
                self.i += 1;
                let node = self.literal(u32::from(c), flags);
                cur.seq.push(node);
            }
            return Ok(());
        }
        if let Some((group, negated)) = self.peek(1).and_then(perl_class) {
            self.i += 2;
            let item = Item {
                ranges: group.to_vec(),
                negated,
            };
            let node = self.class(Class {
                items: vec![item],
                negated: false,
                fold: flags.fold,
            });
            cur.seq.push(node);
            return Ok(());
        }
        let c = self.parse_escape()?;
        let node = self.literal(c, flags);
        cur.seq.push(node);
        Ok(())
    }

    /// Go's `parseEscape` at a backslash: one character. `\C`, `\p`, `\Q` inside a class,
    /// backreferences and escaped letters Go does not know are refused.
    fn parse_escape(&mut self) -> Result<u32, Invalid> {
        let c = self.peek(1).ok_or(Invalid)?;
        self.i += 2;
        let simple = match c {
            'a' => Some(0x07),
            'f' => Some(0x0C),
            'n' => Some(0x0A),
            'r' => Some(0x0D),
            't' => Some(0x09),
            'v' => Some(0x0B),
            _ if c.is_ascii() && !c.is_ascii_alphanumeric() => Some(u32::from(c)),
            _ => None,
        };
        if let Some(r) = simple {
            return Ok(r);
        }
        match c {
            '0'..='7' => {
                // A lone non-zero digit would be a backreference, which Go does not support.
                let is_octal = |c: Option<char>| c.is_some_and(|c| ('0'..='7').contains(&c));
                if c != '0' && !is_octal(self.peek(0)) {
                    return Err(Invalid);
                }
                let mut r = c as u32 - u32::from('0');
                for _ in 0..2 {
                    match self.peek(0) {
                        Some(d @ '0'..='7') => {
                            r = r * 8 + (d as u32 - u32::from('0'));
                            self.i += 1;
                        }
                        _ => break,
                    }
                }
                Ok(r)
            }
            'x' => {
                if self.peek(0) == Some('{') {
                    self.i += 1;
                    let mut r: u32 = 0;
                    let mut digits = 0;
                    loop {
                        let d = self.peek(0).ok_or(Invalid)?;
                        self.i += 1;
                        if d == '}' {
                            break;
                        }
                        r = r * 16 + d.to_digit(16).ok_or(Invalid)?;
                        if r > 0x10FFFF {
                            return Err(Invalid);
                        }
                        digits += 1;
                    }
                    if digits == 0 {
                        return Err(Invalid);
                    }
                    return Ok(r);
                }
                let hi = self.peek(0).and_then(|d| d.to_digit(16)).ok_or(Invalid)?;
                let lo = self.peek(1).and_then(|d| d.to_digit(16)).ok_or(Invalid)?;
                self.i += 2;
                Ok(hi * 16 + lo)
            }
            _ => Err(Invalid),
        }
    }

    /// Go's `parseClass` at `[`.
    fn parse_class(&mut self, flags: Flags) -> Result<Node, Invalid> {
        self.i += 1;
        let mut class = Class {
            items: vec![Item::default()],
            negated: false,
            fold: flags.fold,
        };
        if self.peek(0) == Some('^') {
            class.negated = true;
            self.i += 1;
        }
        let mut first = true;
        loop {
            let c = self.peek(0).ok_or(Invalid)?;
            if c == ']' && !first {
                self.i += 1;
                break;
            }
            first = false;
            if c == '[' && self.peek(1) == Some(':') {
                if let Some(item) = self.parse_named_class()? {
                    class.items.push(item);
                    continue;
                }
            }
            if c == '\\' {
                match self.peek(1) {
                    // Emulation note: Go accepts Unicode classes; see the module comment.
                    Some('p' | 'P') => return Err(Invalid),
                    Some(p) => {
                        if let Some((group, negated)) = perl_class(p) {
                            self.i += 2;
                            class.items.push(Item {
                                ranges: group.to_vec(),
                                negated,
                            });
                            continue;
                        }
                    }
                    None => {}
                }
            }
            let lo = self.parse_class_char()?;
            let mut hi = lo;
            if self.peek(0) == Some('-') && self.peek(1).is_some_and(|c| c != ']') {
                self.i += 1;
                hi = self.parse_class_char()?;
                if hi < lo {
                    return Err(Invalid);
                }
            }
            class.items[0].ranges.push((lo, hi));
        }
        Ok(self.class(class))
    }

    fn parse_class_char(&mut self) -> Result<u32, Invalid> {
        match self.peek(0).ok_or(Invalid)? {
            '\\' => self.parse_escape(),
            c => {
                self.i += 1;
                Ok(u32::from(c))
            }
        }
    }

    /// `[:name:]` or `[:^name:]` at `self.i`, where Go looks for the first `:]` after it; no
    /// `:]` at all means the `[` is an ordinary character.
    fn parse_named_class(&mut self) -> Result<Option<Item>, Invalid> {
        let start = self.i + 2;
        let Some(end) = (start..self.s.len().saturating_sub(1))
            .find(|&j| self.s[j] == ':' && self.s[j + 1] == ']')
        else {
            return Ok(None);
        };
        let name: String = self.s[start..end].iter().collect();
        let (name, negated) = match name.strip_prefix('^') {
            Some(rest) => (rest, true),
            None => (name.as_str(), false),
        };
        let group = posix_class(name).ok_or(Invalid)?;
        self.i = end + 2;
        Ok(Some(Item {
            ranges: group.to_vec(),
            negated,
        }))
    }
}

struct Compiler {
    prog: Vec<Inst>,
    steps: usize,
}

impl Compiler {
    fn emit(&mut self, inst: Inst) -> Result<usize, Invalid> {
        if self.prog.len() >= MAX_INSTS {
            return Err(Invalid);
        }
        self.prog.push(inst);
        Ok(self.prog.len() - 1)
    }

    fn pc(&self) -> u32 {
        // MAX_INSTS keeps every index within u32.
        self.prog.len() as u32
    }

    fn compile(&mut self, node: &Node) -> Result<(), Invalid> {
        // Repetitions of empty groups emit nothing but still cost time to walk.
        self.steps += 1;
        if self.steps > MAX_INSTS * 4 {
            return Err(Invalid);
        }
        match node {
            Node::Empty => {}
            Node::Class(k) => {
                self.emit(Inst::Class(*k))?;
            }
            Node::Look(look) => {
                self.emit(Inst::Assert(*look))?;
            }
            Node::Concat(subs) => {
                for sub in subs {
                    self.compile(sub)?;
                }
            }
            Node::Alt(subs) => {
                let mut jumps = Vec::new();
                for (k, sub) in subs.iter().enumerate() {
                    if k + 1 == subs.len() {
                        self.compile(sub)?;
                    } else {
                        let split = self.emit(Inst::Split(0, 0))?;
                        self.compile(sub)?;
                        jumps.push(self.emit(Inst::Jmp(0))?);
                        self.prog[split] = Inst::Split(split as u32 + 1, self.pc());
                    }
                }
                let end = self.pc();
                for jump in jumps {
                    self.prog[jump] = Inst::Jmp(end);
                }
            }
            Node::Repeat { sub, min, max, .. } => {
                // `x{n,}` is n-1 copies and a loop `x+`, so `x+` nested in `x+` does not double.
                let copies = if max.is_none() {
                    min.saturating_sub(1)
                } else {
                    *min
                };
                for _ in 0..copies {
                    self.compile(sub)?;
                }
                match max {
                    None if *min == 0 => {
                        let split = self.emit(Inst::Split(0, 0))?;
                        self.compile(sub)?;
                        self.emit(Inst::Jmp(split as u32))?;
                        self.prog[split] = Inst::Split(split as u32 + 1, self.pc());
                    }
                    None => {
                        let start = self.pc();
                        self.compile(sub)?;
                        self.emit(Inst::Split(start, self.pc() + 1))?;
                    }
                    Some(max) => {
                        let mut splits = Vec::new();
                        for _ in *min..*max {
                            splits.push(self.emit(Inst::Split(0, 0))?);
                            self.compile(sub)?;
                        }
                        let end = self.pc();
                        for split in splits {
                            self.prog[split] = Inst::Split(split as u32 + 1, end);
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
