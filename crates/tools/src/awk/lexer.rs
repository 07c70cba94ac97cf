//! awk's tokens: numbers, strings, regular expressions (where an operand may stand), names,
//! keywords and operators, each with the program line it starts on.

/// One token.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Num(f64),
    Str(String),
    Regex(String),
    /// A name.
    Name(String),
    /// A name followed at once by `(`: a call of a user function.
    Call(String),
    /// A built-in function (`length`, `substr`, ...).
    Builtin(String),
    /// A keyword (`BEGIN`, `if`, `print`, `getline`, ...).
    Kw(&'static str),
    /// An operator or punctuation.
    Op(&'static str),
    Newline,
    Eof,
}

/// The syntax error of an unterminated string or regular expression, or a stray character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LexError {
    UnexpectedEos(u32),
    UnexpectedToken(u32),
}

const KEYWORDS: &[&str] = &[
    "BEGIN", "END", "function", "func", "if", "else", "while", "for", "do", "break", "continue",
    "next", "nextfile", "exit", "return", "delete", "in", "getline", "print", "printf",
];

pub const BUILTINS: &[&str] = &[
    "length", "substr", "index", "split", "sub", "gsub", "match", "sprintf", "tolower", "toupper",
    "int", "sqrt", "exp", "log", "sin", "cos", "atan2", "rand", "srand", "system", "close",
    "fflush", "and", "or", "xor", "lshift", "rshift", "compl", "gensub",
];

/// Operators, longest first.
const OPS: &[&str] = &[
    "**=", "&&", "||", "==", "<=", ">=", "!=", "++", "--", "+=", "-=", "*=", "/=", "%=", "^=",
    "**", ">>", "!~", "{", "}", "(", ")", "[", "]", ";", ",", "+", "-", "*", "/", "%", "^", "!",
    ">", "<", "|", "?", ":", "~", "$", "=",
];

/// Reads `src` into tokens with their line numbers (from 1).
pub fn tokens(src: &str) -> Result<Vec<(Tok, u32)>, LexError> {
    let b = src.as_bytes();
    let mut i = 0;
    let mut line = 1u32;
    let mut out: Vec<(Tok, u32)> = Vec::new();
    while i < b.len() {
        let c = b[i];
        if c == b' ' || c == b'\t' || c == b'\r' {
            i += 1;
            continue;
        }
        if c == b'\\' && b.get(i + 1) == Some(&b'\n') {
            i += 2;
            line += 1;
            continue;
        }
        if c == b'#' {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if c == b'\n' {
            out.push((Tok::Newline, line));
            line += 1;
            i += 1;
            continue;
        }
        let start_line = line;
        if c == b'"' {
            i += 1;
            let mut s = Vec::new();
            loop {
                match b.get(i) {
                    None | Some(b'\n') => return Err(LexError::UnexpectedEos(line)),
                    Some(b'"') => {
                        i += 1;
                        break;
                    }
                    Some(b'\\') if b.get(i + 1) == Some(&b'\n') => {
                        // A backslash-newline in a string is eaten with no trace.
                        i += 2;
                        line += 1;
                    }
                    Some(b'\\') => {
                        i += 1;
                        i += escape(&b[i..], &mut s, false);
                    }
                    Some(&ch) => {
                        s.push(ch);
                        i += 1;
                    }
                }
            }
            out.push((
                Tok::Str(String::from_utf8_lossy(&s).into_owned()),
                start_line,
            ));
            continue;
        }
        if c == b'/' && regex_allowed(out.last().map(|t| &t.0)) {
            i += 1;
            let mut s = Vec::new();
            loop {
                match b.get(i) {
                    None | Some(b'\n') => return Err(LexError::UnexpectedEos(line)),
                    Some(b'/') => {
                        i += 1;
                        break;
                    }
                    Some(b'\\') => {
                        i += 1;
                        match b.get(i) {
                            Some(b'/') => {
                                s.push(b'/');
                                i += 1;
                            }
                            Some(b'n' | b't' | b'r' | b'a' | b'b' | b'f' | b'v') => {
                                i += escape(&b[i..], &mut s, true);
                            }
                            Some(&ch) => {
                                s.push(b'\\');
                                s.push(ch);
                                i += 1;
                            }
                            None => return Err(LexError::UnexpectedEos(line)),
                        }
                    }
                    Some(&ch) => {
                        s.push(ch);
                        i += 1;
                    }
                }
            }
            out.push((
                Tok::Regex(String::from_utf8_lossy(&s).into_owned()),
                start_line,
            ));
            continue;
        }
        if c.is_ascii_digit() || (c == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            let (n, len) = program_number(&b[i..]);
            i += len;
            if b.get(i) == Some(&b'.') {
                return Err(LexError::UnexpectedToken(line));
            }
            out.push((Tok::Num(n), start_line));
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let s = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            let word = &src[s..i];
            if let Some(k) = KEYWORDS.iter().find(|k| **k == word) {
                out.push((Tok::Kw(k), start_line));
            } else if BUILTINS.contains(&word) {
                out.push((Tok::Builtin(word.to_string()), start_line));
            } else if b.get(i) == Some(&b'(') {
                out.push((Tok::Call(word.to_string()), start_line));
                i += 1;
            } else {
                out.push((Tok::Name(word.to_string()), start_line));
            }
            continue;
        }
        match OPS.iter().find(|op| b[i..].starts_with(op.as_bytes())) {
            Some(op) => {
                out.push((Tok::Op(op), start_line));
                i += op.len();
            }
            None => return Err(LexError::UnexpectedToken(line)),
        }
    }
    out.push((Tok::Eof, line));
    Ok(out)
}

/// Whether a `/` after `prev` starts a regular expression rather than dividing.
fn regex_allowed(prev: Option<&Tok>) -> bool {
    match prev {
        None => true,
        Some(Tok::Num(_) | Tok::Str(_) | Tok::Name(_) | Tok::Regex(_) | Tok::Builtin(_)) => false,
        Some(Tok::Op(op)) => !matches!(*op, ")" | "]" | "$" | "++" | "--"),
        _ => true,
    }
}

/// A C escape after `\` in a string (`\n`, `\t`, `\"`, `\/`, octal); how many bytes it used.
/// In a regular expression (`in_regex`) only the control letters come here.
pub fn escape(rest: &[u8], out: &mut Vec<u8>, in_regex: bool) -> usize {
    let Some(&c) = rest.first() else {
        out.push(b'\\');
        return 0;
    };
    let ctl = match c {
        b'n' => Some(b'\n'),
        b't' => Some(b'\t'),
        b'r' => Some(b'\r'),
        b'a' => Some(7),
        b'b' => Some(8),
        b'f' => Some(12),
        b'v' => Some(11),
        b'\\' => Some(b'\\'),
        b'"' => Some(b'"'),
        b'/' => Some(b'/'),
        _ => None,
    };
    if let Some(v) = ctl {
        out.push(v);
        return 1;
    }
    if c == b'x' && rest.get(1).is_some_and(u8::is_ascii_hexdigit) {
        let mut v = 0u32;
        let mut n = 1;
        while n < 3 && rest.get(n).is_some_and(u8::is_ascii_hexdigit) {
            v = v * 16 + (rest[n] as char).to_digit(16).unwrap_or(0);
            n += 1;
        }
        out.push(v as u8);
        return n;
    }
    if !in_regex && (b'0'..=b'7').contains(&c) {
        let mut v = 0u32;
        let mut n = 0;
        while n < 3 && rest.get(n).is_some_and(|d| (b'0'..=b'7').contains(d)) {
            v = v * 8 + u32::from(rest[n] - b'0');
            n += 1;
        }
        out.push(v as u8);
        return n;
    }
    // BusyBox keeps the backslash of an unknown escape.
    out.push(b'\\');
    out.push(c);
    1
}

/// A number in the program text: decimal, or C's hex (`0x1f`) and octal (`017`) constants.
fn program_number(b: &[u8]) -> (f64, usize) {
    if b.len() > 2 && b[0] == b'0' && (b[1] == b'x' || b[1] == b'X') && b[2].is_ascii_hexdigit() {
        let mut i = 2;
        let mut v = 0f64;
        while i < b.len() && b[i].is_ascii_hexdigit() {
            v = v * 16.0 + f64::from((b[i] as char).to_digit(16).unwrap_or(0));
            i += 1;
        }
        return (v, i);
    }
    if b.len() > 1 && b[0] == b'0' && b[1].is_ascii_digit() {
        let mut i = 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if b[1..i].iter().all(|d| *d < b'8') && b.get(i) != Some(&b'.') {
            let v = b[1..i]
                .iter()
                .fold(0f64, |v, d| v * 8.0 + f64::from(d - b'0'));
            return (v, i);
        }
    }
    let (v, len) = crate::awk::value::strtod(b);
    (v, len.max(1))
}
