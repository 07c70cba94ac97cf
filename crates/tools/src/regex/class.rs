//! Bracket expressions and character classes (`[a-z]`, `[[:alpha:]]`, `\w`, `\s`), matched
//! against one character (GNU grep, in C.UTF-8) or one byte (BusyBox, built without locale
//! support, in the C locale).

/// A POSIX character class, or GNU's `\w` word class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    Alpha,
    Digit,
    Alnum,
    Upper,
    Lower,
    Space,
    Blank,
    Punct,
    Print,
    Graph,
    Cntrl,
    XDigit,
    /// `\w`: alphanumerics and `_`.
    Word,
}

impl Class {
    /// The class `[:name:]` names.
    pub(super) fn named(name: &str) -> Option<Class> {
        Some(match name {
            "alpha" => Class::Alpha,
            "digit" => Class::Digit,
            "alnum" => Class::Alnum,
            "upper" => Class::Upper,
            "lower" => Class::Lower,
            "space" => Class::Space,
            "blank" => Class::Blank,
            "punct" => Class::Punct,
            "print" => Class::Print,
            "graph" => Class::Graph,
            "cntrl" => Class::Cntrl,
            "xdigit" => Class::XDigit,
            _ => return None,
        })
    }

    /// Whether `u` is in the class; `wide` for characters, else bytes in the C locale (where
    /// only ASCII is classified).
    pub(super) fn contains(self, u: u32, wide: bool) -> bool {
        let Some(c) = char::from_u32(u).filter(|c| wide || c.is_ascii()) else {
            return false;
        };
        match self {
            Class::Alpha => c.is_alphabetic(),
            Class::Digit => c.is_ascii_digit(),
            Class::Alnum => c.is_alphanumeric(),
            Class::Upper => c.is_uppercase(),
            Class::Lower => c.is_lowercase(),
            Class::Space => c.is_whitespace(),
            Class::Blank => {
                c == ' '
                    || c == '\t'
                    || (!c.is_ascii()
                        && c.is_whitespace()
                        && !matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}'))
            }
            Class::Punct => {
                if c.is_ascii() {
                    c.is_ascii_punctuation()
                } else {
                    !c.is_alphanumeric() && !c.is_whitespace() && !c.is_control()
                }
            }
            Class::Print => !c.is_control(),
            Class::Graph => !c.is_control() && !c.is_whitespace(),
            Class::Cntrl => c.is_control(),
            Class::XDigit => c.is_ascii_hexdigit(),
            Class::Word => c.is_alphanumeric() || c == '_',
        }
    }
}

/// A bracket expression: ranges of characters and classes, maybe negated.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Set {
    pub(super) negated: bool,
    pub(super) ranges: Vec<(u32, u32)>,
    pub(super) classes: Vec<Class>,
}

impl Set {
    pub(super) fn new(negated: bool) -> Set {
        Set {
            negated,
            ranges: Vec::new(),
            classes: Vec::new(),
        }
    }

    /// `\w`, `\W`, `\s`, `\S`.
    pub(super) fn perl(class: Class, negated: bool) -> Set {
        Set {
            negated,
            ranges: Vec::new(),
            classes: vec![class],
        }
    }

    /// Whether `u` is in the set, its case variants too under `icase`.
    pub(super) fn matches(&self, u: u32, wide: bool, icase: bool) -> bool {
        let hit = |u: u32| {
            self.ranges.iter().any(|&(lo, hi)| lo <= u && u <= hi)
                || self.classes.iter().any(|c| c.contains(u, wide))
        };
        let found = hit(u) || (icase && fold(u, wide).into_iter().flatten().any(hit));
        found != self.negated
    }
}

/// The other cases of `u`: its lower and upper case when they are one character each (only
/// ASCII's in the C locale).
pub(super) fn fold(u: u32, wide: bool) -> [Option<u32>; 2] {
    let Some(c) = char::from_u32(u).filter(|c| wide || c.is_ascii()) else {
        return [None, None];
    };
    fn single(mut it: impl Iterator<Item = char>) -> Option<char> {
        let first = it.next()?;
        it.next().is_none().then_some(first)
    }
    [single(c.to_lowercase()), single(c.to_uppercase())]
        .map(|x| x.map(u32::from).filter(|&f| f != u))
}

/// Whether `a` and `b` are the same character, ignoring case under `icase`.
pub(super) fn same(a: u32, b: u32, wide: bool, icase: bool) -> bool {
    a == b || (icase && fold(a, wide).contains(&Some(b)))
}

/// A word character for `\b`, `\<`, `\>` and `grep -w`.
pub(super) fn is_word(u: u32, wide: bool) -> bool {
    Class::Word.contains(u, wide)
}
