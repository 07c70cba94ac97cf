//! `printf` as BusyBox's `printf.c` and GNU coreutils' run it: the format reused until the
//! arguments are spent, each directive (flags `-+ #0`, width and precision with `*`, length
//! modifiers skipped) handed to C's `printf` conversion, which `conv_*` below does as glibc
//! does; numbers read as `strtoll(…, 0)` and `strtod`, with each flavour's complaints.

use crate::cli::quote;
use crate::text::escapes;
use crate::{Ctx, Output};

/// A directive's flags, width and precision.
#[derive(Debug, Default, Clone, Copy)]
struct Directive {
    minus: bool,
    plus: bool,
    space: bool,
    hash: bool,
    zero: bool,
    width: usize,
    prec: Option<usize>,
}

/// The most a width or precision may pad: the output stops at `MAX_OUTPUT` anyway.
const MAX_PAD: usize = 1 << 20;

impl Directive {
    /// `body` padded to the width: spaces on the left (on the right with `-`), or zeros after
    /// the sign and prefix (`lead` bytes of `body`) when `0` applies.
    fn pad(&self, body: Vec<u8>, lead: usize, zeros: bool) -> Vec<u8> {
        let width = self.width.min(MAX_PAD);
        if body.len() >= width {
            return body;
        }
        let fill = width - body.len();
        let mut out = Vec::with_capacity(width);
        if self.minus {
            out.extend_from_slice(&body);
            out.resize(width, b' ');
        } else if zeros {
            out.extend_from_slice(&body[..lead]);
            out.resize(lead + fill, b'0');
            out.extend_from_slice(&body[lead..]);
        } else {
            out.resize(fill, b' ');
            out.extend_from_slice(&body);
        }
        out
    }

    fn sign(&self, negative: bool) -> &'static str {
        if negative {
            "-"
        } else if self.plus {
            "+"
        } else if self.space {
            " "
        } else {
            ""
        }
    }
}

/// `%d %i %o %u %x %X` of a 64-bit value.
fn conv_int(d: &Directive, conv: u8, v: i64) -> Vec<u8> {
    let (prefix, mut digits) = match conv {
        b'd' | b'i' => (d.sign(v < 0), v.unsigned_abs().to_string()),
        b'u' => ("", (v as u64).to_string()),
        b'o' => ("", format!("{:o}", v as u64)),
        b'x' => (
            if d.hash && v != 0 { "0x" } else { "" },
            format!("{:x}", v as u64),
        ),
        _ => (
            if d.hash && v != 0 { "0X" } else { "" },
            format!("{:X}", v as u64),
        ),
    };
    if let Some(p) = d.prec {
        if p == 0 && v == 0 {
            digits.clear();
        }
        let p = p.min(MAX_PAD);
        if digits.len() < p {
            digits = "0".repeat(p - digits.len()) + &digits;
        }
    }
    if conv == b'o' && d.hash && !digits.starts_with('0') {
        digits.insert(0, '0');
    }
    let body = format!("{prefix}{digits}").into_bytes();
    d.pad(body, prefix.len(), d.zero && d.prec.is_none())
}

/// Digits past this many are zeros in every double's exact decimal expansion (at most 1074
/// after the point): a larger precision is formatted to here and filled with zeros, since
/// Rust's formatter takes no precision above 65535.
const EXACT_DIGITS: usize = 1100;

/// `%f` of a non-negative finite double.
fn fixed(a: f64, prec: usize) -> String {
    let p = prec.min(EXACT_DIGITS);
    let mut s = format!("{a:.p$}");
    s.extend(std::iter::repeat_n('0', prec - p));
    s
}

/// `%e`'s mantissa and exponent as C writes them (`1.500000e+00`).
fn exp_form(v: f64, prec: usize, upper: bool) -> String {
    let p = prec.min(EXACT_DIGITS);
    let s = format!("{:.*e}", p, v);
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let e = if upper { 'E' } else { 'e' };
    let sign = if exp < 0 { '-' } else { '+' };
    let zeros = "0".repeat(prec - p);
    format!("{mant}{zeros}{e}{sign}{:02}", exp.unsigned_abs())
}

/// `%f %F %e %E %g %G` of a double.
fn conv_float(d: &Directive, conv: u8, v: f64) -> Vec<u8> {
    let upper = conv.is_ascii_uppercase();
    let sign = d.sign(v.is_sign_negative() && !v.is_nan());
    let a = v.abs();
    if !a.is_finite() {
        let word = match (a.is_nan(), upper) {
            (true, false) => "nan",
            (true, true) => "NAN",
            (false, false) => "inf",
            (false, true) => "INF",
        };
        return d.pad(format!("{sign}{word}").into_bytes(), 0, false);
    }
    let prec = d.prec.unwrap_or(6).min(MAX_PAD);
    let mut body = match conv {
        b'f' | b'F' => fixed(a, prec),
        b'e' | b'E' => exp_form(a, prec, upper),
        _ => {
            // %g: %e's exponent after rounding to P digits picks the style.
            let p = prec.max(1);
            let e = exp_form(a, p - 1, false);
            let x: i64 = e
                .rsplit_once('e')
                .and_then(|(_, x)| x.parse().ok())
                .unwrap_or(0);
            let mut s = if x < p as i64 && x >= -4 {
                fixed(a, (p as i64 - 1 - x) as usize)
            } else {
                exp_form(a, p - 1, upper)
            };
            if !d.hash {
                let (mant, exp) = match s.find(['e', 'E']) {
                    Some(i) => (s[..i].to_string(), s[i..].to_string()),
                    None => (s.clone(), String::new()),
                };
                let mant = if mant.contains('.') {
                    mant.trim_end_matches('0').trim_end_matches('.').to_string()
                } else {
                    mant
                };
                s = mant + &exp;
            }
            s
        }
    };
    if d.hash && !body.contains('.') && conv != b'g' && conv != b'G' {
        match body.find(['e', 'E']) {
            Some(i) => body.insert(i, '.'),
            None => body.push('.'),
        }
    }
    let body = format!("{sign}{body}").into_bytes();
    d.pad(body, sign.len(), d.zero)
}

/// `%s` (and `%c`, one byte): bytes, cut at the precision.
fn conv_str(d: &Directive, s: &[u8]) -> Vec<u8> {
    let s = match d.prec {
        Some(p) if p < s.len() => &s[..p],
        _ => s,
    };
    d.pad(s.to_vec(), 0, false)
}

/// C's `strtoll(s, &end, 0)`: the value (saturated) and how many bytes it read (0: none).
fn strtoll(s: &[u8]) -> (i64, usize) {
    let mut i = 0;
    while i < s.len() && (s[i] == b' ' || (b'\t'..=b'\r').contains(&s[i])) {
        i += 1;
    }
    let neg = s.get(i) == Some(&b'-');
    if neg || s.get(i) == Some(&b'+') {
        i += 1;
    }
    let (base, start) = match (s.get(i), s.get(i + 1), s.get(i + 2)) {
        (Some(b'0'), Some(b'x' | b'X'), Some(h)) if h.is_ascii_hexdigit() => (16, i + 2),
        (Some(b'0'), _, _) => (8, i),
        _ => (10, i),
    };
    let mut j = start;
    let mut v: u64 = 0;
    let mut overflow = false;
    while let Some(digit) = s.get(j).and_then(|&c| char::from(c).to_digit(base)) {
        match v
            .checked_mul(u64::from(base))
            .and_then(|x| x.checked_add(u64::from(digit)))
        {
            Some(x) => v = x,
            None => overflow = true,
        }
        j += 1;
    }
    if j == start {
        return (0, 0);
    }
    let v = if neg {
        if overflow || v > 1 << 63 {
            i64::MIN
        } else {
            (v as i64).wrapping_neg()
        }
    } else if overflow || v > i64::MAX as u64 {
        // strtoull's wrap for the unsigned conversions is what printf shows of it.
        if overflow {
            i64::MAX
        } else {
            v as i64
        }
    } else {
        v as i64
    };
    (v, j)
}

/// C's `strtod`: the value and how many bytes it read (0: none).
fn strtod(s: &[u8]) -> (f64, usize) {
    let mut i = 0;
    while i < s.len() && (s[i] == b' ' || (b'\t'..=b'\r').contains(&s[i])) {
        i += 1;
    }
    let start = i;
    if matches!(s.get(i), Some(b'-' | b'+')) {
        i += 1;
    }
    let word = String::from_utf8_lossy(&s[i..]).to_ascii_lowercase();
    for (w, v) in [
        ("infinity", f64::INFINITY),
        ("inf", f64::INFINITY),
        ("nan", f64::NAN),
    ] {
        if word.starts_with(w) {
            let neg = s.get(start) == Some(&b'-');
            return (if neg { -v } else { v }, i + w.len());
        }
    }
    let digits = |i: &mut usize| {
        let at = *i;
        while *i < s.len() && s[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - at
    };
    let mut n = digits(&mut i);
    if s.get(i) == Some(&b'.') {
        let dot = i;
        i += 1;
        let f = digits(&mut i);
        if n + f == 0 {
            i = dot;
        }
        n += f;
    }
    if n == 0 {
        return (0.0, 0);
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(s.get(j), Some(b'-' | b'+')) {
            j += 1;
        }
        if digits(&mut j) > 0 {
            i = j;
        }
    }
    let text = String::from_utf8_lossy(&s[start..i]);
    let text = text.strip_prefix('+').unwrap_or(&text);
    let text = text.replace("-.", "-0.");
    let text = if text.starts_with('.') {
        format!("0{text}")
    } else {
        text
    };
    let text = if text.contains('.')
        && text
            .split(['e', 'E'])
            .next()
            .is_some_and(|m| m.ends_with('.'))
    {
        text.replacen('.', ".0", 1)
    } else {
        text
    };
    (crate::number::parse_f64(&text).unwrap_or(0.0), i)
}

/// One printf run's state: the arguments, where they are, and whether a number was bad.
struct Run<'a, 'c> {
    ctx: &'a Ctx<'c>,
    prog: &'a str,
    args: &'a [String],
    k: usize,
    bad: bool,
    out: Output,
}

enum Stop {
    /// The format ended.
    Done,
    /// `\c`: nothing more is printed.
    Quit,
    /// An invalid directive: the error is written, exit 1.
    Invalid,
}

impl Run<'_, '_> {
    fn next(&mut self) -> Option<&str> {
        let a = self.args.get(self.k)?;
        self.k += 1;
        Some(a)
    }

    fn complain(&mut self, msg: String) {
        self.out.err(format!("{}: {msg}\n", self.prog));
    }

    /// An integer argument, as the flavour reads it (its complaint written, `bad` set).
    fn int(&mut self, a: Option<&str>, unsigned: bool) -> i64 {
        let gnu = self.ctx.gnu();
        let a = a.unwrap_or("").to_string();
        let b = a.as_bytes();
        if matches!(b.first(), Some(b'\'' | b'"')) && (b.len() > 1 || !gnu) {
            if gnu {
                let mut chars = a[1..].chars();
                let c = chars.next().map_or(0, |c| c as i64);
                if chars.next().is_some() {
                    self.complain(format!(
                        "warning: {}: character(s) following character constant have been ignored",
                        &a[1 + a[1..].chars().next().map_or(0, char::len_utf8)..]
                    ));
                }
                return c;
            }
            return i64::from(b.get(1).copied().unwrap_or(0));
        }
        if gnu {
            let (v, n) = strtoll(b);
            if n == 0 {
                self.bad = true;
                self.complain(format!("{}: expected a numeric value", quote(self.ctx, &a)));
            } else if n < b.len() {
                self.bad = true;
                self.complain(format!(
                    "{}: value not completely converted",
                    quote(self.ctx, &a)
                ));
            }
            return v;
        }
        // BusyBox: blanks skipped, one `+` dropped, then bb_strtoll: the first character (after
        // a minus) must be a letter or digit and every byte must be read, or the value is 0.
        let t = a.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
        let t = t.strip_prefix('+').unwrap_or(t);
        let _ = unsigned;
        let first = t.as_bytes().get(usize::from(t.starts_with('-')));
        let (v, n) = strtoll(t.as_bytes());
        if !first.is_some_and(u8::is_ascii_alphanumeric) || n < t.len() || n == 0 {
            self.bad = true;
            self.complain(format!("invalid number '{t}'"));
            return 0;
        }
        v
    }

    fn float(&mut self, a: Option<&str>) -> f64 {
        let gnu = self.ctx.gnu();
        let a = a.unwrap_or("").to_string();
        let b = a.as_bytes();
        if gnu && matches!(b.first(), Some(b'\'' | b'"')) && b.len() > 1 {
            return a[1..].chars().next().map_or(0.0, |c| f64::from(c as u32));
        }
        if !gnu && matches!(b.first(), Some(b'\'' | b'"')) {
            return f64::from(b.get(1).copied().unwrap_or(0));
        }
        let (v, n) = strtod(b);
        if gnu && b.is_empty() {
            return 0.0;
        }
        if n == 0 && !b.is_empty() || n < b.len() {
            self.bad = true;
            let msg = match (gnu, n) {
                (false, _) => format!("invalid number '{a}'"),
                (true, 0) => format!("{}: expected a numeric value", quote(self.ctx, &a)),
                (true, _) => format!("{}: value not completely converted", quote(self.ctx, &a)),
            };
            self.complain(msg);
            return if gnu { v } else { 0.0 };
        }
        v
    }

    /// A `*` width or precision: negative values are kept (a negative width means `-`).
    fn star(&mut self) -> i64 {
        let Some(a) = self.next().map(str::to_string) else {
            return 0;
        };
        if self.ctx.gnu() {
            let v = self.int(Some(&a), false);
            return v.clamp(i64::from(i32::MIN), i64::from(i32::MAX));
        }
        // bb_strtoi: an error is reported and the value is 0, but the exit status stays.
        let (v, n) = strtoll(a.as_bytes());
        let first = a.strip_prefix('-').unwrap_or(&a).bytes().next();
        if n == 0 || n < a.len() || !first.is_some_and(|c| c.is_ascii_alphanumeric()) {
            self.complain(format!("invalid number '{a}'"));
            return 0;
        }
        v.clamp(i64::from(i32::MIN), i64::from(i32::MAX))
    }

    /// One pass of the format over the arguments.
    fn pass(&mut self, fmt: &[u8]) -> Stop {
        let gnu = self.ctx.gnu();
        let mut i = 0;
        while i < fmt.len() {
            if self.out.full() {
                return Stop::Quit;
            }
            let c = fmt[i];
            if c == b'\\' {
                let mut j = i + 1;
                if fmt.get(j) == Some(&b'c') {
                    return Stop::Quit;
                }
                if j < fmt.len() {
                    j += 1;
                    if (b'0'..=b'7').contains(&fmt[i + 1]) {
                        while j < fmt.len() && j < i + 4 && (b'0'..=b'7').contains(&fmt[j]) {
                            j += 1;
                        }
                    } else if fmt[i + 1] == b'x' {
                        while j < fmt.len() && j < i + 4 && fmt[j].is_ascii_hexdigit() {
                            j += 1;
                        }
                    }
                }
                let seq = String::from_utf8_lossy(&fmt[i..j]).into_owned();
                let bytes = escape_in_format(&seq);
                self.out.out(bytes);
                i = j;
                continue;
            }
            if c != b'%' {
                let end = fmt[i..]
                    .iter()
                    .position(|&b| b == b'%' || b == b'\\')
                    .map_or(fmt.len(), |p| i + p);
                self.out.out(&fmt[i..end]);
                i = end;
                continue;
            }
            let start = i;
            i += 1;
            if fmt.get(i) == Some(&b'%') {
                self.out.out("%");
                i += 1;
                continue;
            }
            // `%b` only as written so: flags or a width make it an invalid directive.
            if fmt.get(i) == Some(&b'b') {
                if let Some(a) = self.next().map(str::to_string) {
                    let (b, stop) = escapes(&a, true);
                    self.out.out(b);
                    if stop {
                        return Stop::Quit;
                    }
                }
                i += 1;
                continue;
            }
            let mut d = Directive::default();
            while let Some(&f) = fmt.get(i) {
                match f {
                    b'-' => d.minus = true,
                    b'+' => d.plus = true,
                    b' ' => d.space = true,
                    b'#' => d.hash = true,
                    b'0' => d.zero = true,
                    b'\'' if gnu => {}
                    _ => break,
                }
                i += 1;
            }
            if fmt.get(i) == Some(&b'*') {
                i += 1;
                let w = self.star();
                if w < 0 {
                    d.minus = true;
                }
                d.width = w.unsigned_abs() as usize;
            } else {
                while let Some(x) = fmt.get(i).filter(|x| x.is_ascii_digit()) {
                    d.width = d
                        .width
                        .saturating_mul(10)
                        .saturating_add(usize::from(x - b'0'));
                    i += 1;
                }
            }
            if fmt.get(i) == Some(&b'.') {
                i += 1;
                if fmt.get(i) == Some(&b'*') {
                    i += 1;
                    let p = self.star();
                    d.prec = usize::try_from(p).ok();
                } else {
                    let mut p = 0usize;
                    while let Some(x) = fmt.get(i).filter(|x| x.is_ascii_digit()) {
                        p = p.saturating_mul(10).saturating_add(usize::from(x - b'0'));
                        i += 1;
                    }
                    d.prec = Some(p);
                }
            }
            let lengths: &[u8] = if gnu { b"hlLjqtz" } else { b"lLhz" };
            while fmt.get(i).is_some_and(|x| lengths.contains(x)) {
                i += 1;
            }
            let convs: &[u8] = if gnu {
                b"diouxXfFeEgGcs"
            } else {
                b"diouxXfeEgGcs"
            };
            let Some(&conv) = fmt.get(i).filter(|x| convs.contains(x)) else {
                if gnu && fmt.get(i).is_some_and(|x| b"aAq".contains(x)) {
                    let what = String::from_utf8_lossy(&fmt[start..=i]).into_owned();
                    self.out
                        .err(format!("layerbox: {}: {what} is not modelled\n", self.prog));
                    // The exit status of everything layerbox does not model (runtime's NOT_MODELLED).
                    self.out.code = 69;
                    return Stop::Invalid;
                }
                // BusyBox names the rest of the format, GNU the directive.
                let end = if gnu {
                    (i + 1).min(fmt.len())
                } else {
                    fmt.len()
                };
                let text = String::from_utf8_lossy(&fmt[start..end]).into_owned();
                let msg = if gnu {
                    format!("{text}: invalid conversion specification")
                } else {
                    format!("{text}: invalid format")
                };
                self.complain(msg);
                return Stop::Invalid;
            };
            i += 1;
            let arg = self.next().map(str::to_string);
            let body = match conv {
                b'd' | b'i' => {
                    // BusyBox reads a missing argument as "", which is not a number.
                    let missing = arg.is_none() && gnu;
                    let v = if missing {
                        0
                    } else {
                        self.int(arg.as_deref(), false)
                    };
                    conv_int(&d, conv, v)
                }
                b'o' | b'u' | b'x' | b'X' => {
                    let missing = arg.is_none() && gnu;
                    let v = if missing {
                        0
                    } else {
                        self.int(arg.as_deref(), true)
                    };
                    conv_int(&d, conv, v)
                }
                b'f' | b'F' | b'e' | b'E' | b'g' | b'G' => {
                    let v = self.float(arg.as_deref());
                    conv_float(&d, conv, v)
                }
                b'c' => {
                    let first = arg.as_deref().map_or(0, |a| a.bytes().next().unwrap_or(0));
                    let mut one = Directive { prec: None, ..d };
                    one.zero = false;
                    conv_str(&one, &[first])
                }
                _ => conv_str(&d, arg.as_deref().unwrap_or("").as_bytes()),
            };
            self.out.out(body);
        }
        Stop::Done
    }
}

/// A backslash escape of the format itself (`\n`, `\0NNN`, `\xHH`, `\\`...).
fn escape_in_format(seq: &str) -> Vec<u8> {
    let b = seq.as_bytes();
    if b.len() >= 3 && b[1] == b'x' {
        let v = u8::from_str_radix(&seq[2..], 16).unwrap_or(0);
        return vec![v];
    }
    if b.len() >= 2 && (b'0'..=b'7').contains(&b[1]) {
        let v = u32::from_str_radix(&seq[1..], 8).unwrap_or(0);
        return vec![(v & 0xff) as u8];
    }
    escapes(seq, false).0
}

pub fn printf(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let args: &[String] = if args.first().is_some_and(|a| a == "--") {
        &args[1..]
    } else {
        args
    };
    let Some((fmt, rest)) = args.split_first() else {
        return crate::cli::missing_operand(ctx, prog);
    };
    let mut run = Run {
        ctx,
        prog,
        args: rest,
        k: 0,
        bad: false,
        out: Output::default(),
    };
    loop {
        let before = run.k;
        match run.pass(fmt.as_bytes()) {
            Stop::Quit => break,
            Stop::Invalid => {
                if run.out.code == 0 {
                    run.out.code = 1;
                }
                return run.out;
            }
            Stop::Done => {}
        }
        if run.k >= rest.len() || run.k == before {
            break;
        }
    }
    if run.bad {
        run.out.code = 1;
    }
    run.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_widths_and_precisions_are_filled_not_panics() {
        let d = |prec| Directive {
            prec: Some(prec),
            hash: true,
            ..Directive::default()
        };
        for conv in [b'f', b'e', b'g', b'G', b'E'] {
            let body = conv_float(&d(999_999_999), conv, 1.5);
            assert!(body.len() > 70_000, "{}", conv as char);
        }
        assert_eq!(conv_float(&d(2), b'f', 1.5), b"1.50");
        let s = String::from_utf8(conv_float(&d(70_000), b'f', 0.1)).unwrap();
        assert!(s.starts_with("0.1000000000000000055511151231257827"));
        assert_eq!(s.len(), 70_002);
        assert_eq!(conv_int(&d(100_000), b'd', 7).len(), 100_000);
    }
}

/// The one value a C `printf` call gives its format (hexdump's and od's print units).
#[derive(Debug, Clone, Copy)]
pub(crate) enum CArg<'a> {
    None,
    Int(i64),
    Float(f64),
    /// `%s`: a C string (cut at its first NUL).
    Str(&'a [u8]),
}

/// C's `printf(fmt, arg)` for a format with at most one conversion (`%[-+ #0][W][.P][hh h l
/// ll L]C`, `%%`), as glibc formats it. A conversion whose value is missing or of another
/// kind prints as if given 0 or "".
pub(crate) fn c_printf(fmt: &[u8], arg: CArg<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < fmt.len() {
        if fmt[i] != b'%' {
            out.push(fmt[i]);
            i += 1;
            continue;
        }
        i += 1;
        let mut d = Directive::default();
        while let Some(&c) = fmt.get(i) {
            match c {
                b'-' => d.minus = true,
                b'+' => d.plus = true,
                b' ' => d.space = true,
                b'#' => d.hash = true,
                b'0' => d.zero = true,
                _ => break,
            }
            i += 1;
        }
        let number = |i: &mut usize| {
            let mut n: usize = 0;
            while let Some(c) = fmt.get(*i).filter(|c| c.is_ascii_digit()) {
                n = n.saturating_mul(10).saturating_add(usize::from(c - b'0'));
                *i += 1;
            }
            n
        };
        d.width = number(&mut i);
        if fmt.get(i) == Some(&b'.') {
            i += 1;
            d.prec = Some(number(&mut i));
        }
        while matches!(
            fmt.get(i),
            Some(b'h' | b'l' | b'L' | b'q' | b'j' | b'z' | b't')
        ) {
            i += 1;
        }
        let Some(&conv) = fmt.get(i) else {
            break;
        };
        i += 1;
        let int = match arg {
            CArg::Int(v) => v,
            CArg::Float(f) => f as i64,
            _ => 0,
        };
        match conv {
            b'%' => out.push(b'%'),
            b'd' | b'i' | b'o' | b'u' | b'x' | b'X' => out.extend(conv_int(&d, conv, int)),
            b'e' | b'E' | b'f' | b'F' | b'g' | b'G' => {
                let v = match arg {
                    CArg::Float(f) => f,
                    CArg::Int(v) => v as f64,
                    _ => 0.0,
                };
                out.extend(conv_float(&d, conv, v));
            }
            b'c' => {
                let one = Directive { prec: None, ..d };
                out.extend(conv_str(&one, &[int as u8]));
            }
            b's' => {
                let s = match arg {
                    CArg::Str(s) => s.split(|&b| b == 0).next().unwrap_or_default(),
                    _ => b"",
                };
                out.extend(conv_str(&d, s));
            }
            other => {
                out.push(b'%');
                out.push(other);
            }
        }
    }
    out
}
