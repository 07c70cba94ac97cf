//! awk's values: numbers, strings and the "strnum" strings of input that compare as numbers
//! when they look like one; their conversions (`CONVFMT`, `OFMT`, integers as `%d`) and C's
//! `printf` conversions for `printf` and `sprintf`.

/// One scalar value.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// Never assigned: `0` and `""` at once.
    Uninit,
    Num(f64),
    Str(String),
    /// Text from input (fields, `getline`, `split`, `-v`, `ARGV`, `ENVIRON`): a number when all
    /// of it reads as one.
    StrNum(String),
}

impl Val {
    pub fn num(&self) -> f64 {
        match self {
            Val::Uninit => 0.0,
            Val::Num(n) => *n,
            Val::Str(s) | Val::StrNum(s) => strtod(s.as_bytes()).0,
        }
    }

    /// The value as text, numbers by `convfmt` (integers as `%d`).
    pub fn str(&self, convfmt: &str) -> String {
        match self {
            Val::Uninit => String::new(),
            Val::Num(n) => num_to_str(*n, convfmt),
            Val::Str(s) | Val::StrNum(s) => s.clone(),
        }
    }

    /// Whether comparisons treat the value as a number (BusyBox's `is_numeric`).
    pub fn is_numeric(&self) -> bool {
        match self {
            Val::Uninit | Val::Num(_) => true,
            Val::Str(_) => false,
            Val::StrNum(s) => looks_numeric(s),
        }
    }

    /// The value as a condition.
    pub fn truth(&self) -> bool {
        match self {
            Val::Uninit => false,
            Val::Num(n) => *n != 0.0,
            Val::Str(s) => !s.is_empty(),
            Val::StrNum(s) => {
                if looks_numeric(s) {
                    strtod(s.as_bytes()).0 != 0.0
                } else {
                    !s.is_empty()
                }
            }
        }
    }
}

/// Whether all of `s` (spaces around allowed) is one decimal number.
pub fn looks_numeric(s: &str) -> bool {
    let b = s.as_bytes();
    let lead = b
        .iter()
        .take_while(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 11 | 12))
        .count();
    let (_, len) = strtod(&b[lead..]);
    if len == 0 {
        return false;
    }
    b[lead + len..]
        .iter()
        .all(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 11 | 12))
}

/// C's `strtod` on the longest prefix that is a number (decimal, hexadecimal, `inf`, `nan`): the value and
/// how many bytes it used (0 when none; leading blanks are skipped and counted).
pub fn strtod(b: &[u8]) -> (f64, usize) {
    let mut i = 0;
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | 11 | 12) {
        i += 1;
    }
    let start = i;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let rest = &b[i..];
    for (word, value) in [
        ("infinity", f64::INFINITY),
        ("inf", f64::INFINITY),
        ("nan", f64::NAN),
    ] {
        if rest.len() >= word.len() && rest[..word.len()].eq_ignore_ascii_case(word.as_bytes()) {
            let v = if b[start] == b'-' { -value } else { value };
            return (v, i + word.len());
        }
    }
    if rest.len() > 2 && rest[0] == b'0' && (rest[1] | 0x20) == b'x' && rest[2].is_ascii_hexdigit()
    {
        // C99's strtod reads hexadecimal too.
        let mut j = i + 2;
        let mut v = 0f64;
        while j < b.len() && b[j].is_ascii_hexdigit() {
            v = v * 16.0 + f64::from((b[j] as char).to_digit(16).unwrap_or(0));
            j += 1;
        }
        return (if b[start] == b'-' { -v } else { v }, j);
    }
    let digits_from = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut digits = i - digits_from;
    if i < b.len() && b[i] == b'.' {
        let f = i + 1;
        let mut j = f;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        digits += j - f;
        if digits > 0 {
            i = j;
        }
    }
    if digits == 0 {
        return (0.0, 0);
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        let e = j;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j > e {
            i = j;
        }
    }
    let text = std::str::from_utf8(&b[start..i]).unwrap_or("0");
    let text = text.strip_prefix('+').unwrap_or(text);
    let text = text.strip_suffix('.').unwrap_or(text);
    let text = text.replace("-.", "-0.");
    let text = if text.starts_with('.') {
        format!("0{text}")
    } else {
        text
    };
    (crate::number::parse_f64(&text).unwrap_or(0.0), i)
}

/// A number as text: integers as `%lld`, others through `fmt` (`CONVFMT` or `OFMT`), as
/// BusyBox's `fmt_num` does.
pub fn num_to_str(n: f64, fmt: &str) -> String {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 9.2e18 {
        return format!("{}", n as i64);
    }
    let conv = fmt.chars().last().unwrap_or('g');
    let arg = if "diouxX".contains(conv) {
        Val::Num(n.trunc())
    } else {
        Val::Num(n)
    };
    match sprintf(fmt, &[arg], "%.6g") {
        Ok(s) => String::from_utf8_lossy(&s).into_owned(),
        Err(_) => format_float('g', n, 6, &Flags::default()),
    }
}

/// The flags of one conversion.
#[derive(Debug, Default, Clone)]
pub struct Flags {
    pub left: bool,
    pub plus: bool,
    pub space: bool,
    pub alt: bool,
    pub zero: bool,
}

/// What `printf` cannot do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatError {
    /// `%*d`: BusyBox says "%*x formats are not supported".
    Star,
}

/// C's `sprintf(fmt, args...)` as awk's `printf` uses it: a missing argument is empty or 0,
/// extra arguments are ignored.
pub fn sprintf(fmt: &str, args: &[Val], convfmt: &str) -> Result<Vec<u8>, FormatError> {
    let f = fmt.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut next = 0;
    while i < f.len() {
        if f[i] != b'%' {
            out.push(f[i]);
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        if f.get(i) == Some(&b'%') {
            out.push(b'%');
            i += 1;
            continue;
        }
        let mut fl = Flags::default();
        while let Some(&c) = f.get(i) {
            match c {
                b'-' => fl.left = true,
                b'+' => fl.plus = true,
                b' ' => fl.space = true,
                b'#' => fl.alt = true,
                b'0' => fl.zero = true,
                _ => break,
            }
            i += 1;
        }
        let mut width = 0usize;
        while let Some(c) = f.get(i).filter(|c| c.is_ascii_digit()) {
            width = width
                .saturating_mul(10)
                .saturating_add(usize::from(c - b'0'));
            i += 1;
        }
        if f.get(i) == Some(&b'*') {
            return Err(FormatError::Star);
        }
        let mut prec = None;
        if f.get(i) == Some(&b'.') {
            i += 1;
            let mut p = 0usize;
            while let Some(c) = f.get(i).filter(|c| c.is_ascii_digit()) {
                p = p.saturating_mul(10).saturating_add(usize::from(c - b'0'));
                i += 1;
            }
            if f.get(i) == Some(&b'*') {
                return Err(FormatError::Star);
            }
            prec = Some(p);
        }
        // Length modifiers mean nothing here.
        while matches!(
            f.get(i),
            Some(b'h' | b'l' | b'L' | b'q' | b'j' | b'z' | b't')
        ) {
            i += 1;
        }
        let Some(&conv) = f.get(i) else {
            out.extend_from_slice(&f[start..]);
            break;
        };
        i += 1;
        // Widths past what anyone prints are clamped: layerbox keeps output bounded.
        let width = width.min(1 << 16);
        let prec = prec.map(|p| p.min(1 << 10));
        let arg = args.get(next);
        let body: Vec<u8> = match conv {
            b'd' | b'i' => {
                next += 1;
                let v = arg.map_or(0.0, Val::num);
                int_body(v, &fl, prec)
            }
            b'o' | b'x' | b'X' | b'u' => {
                next += 1;
                let v = arg.map_or(0.0, Val::num);
                let u = if v < 0.0 { (v as i64) as u64 } else { v as u64 };
                let mut digits = match conv {
                    b'o' => format!("{u:o}"),
                    b'x' => format!("{u:x}"),
                    b'X' => format!("{u:X}"),
                    _ => u.to_string(),
                };
                if let Some(p) = prec {
                    if p == 0 && u == 0 {
                        digits.clear();
                    }
                    while digits.len() < p {
                        digits.insert(0, '0');
                    }
                }
                if fl.alt && u != 0 {
                    match conv {
                        b'x' => digits.insert_str(0, "0x"),
                        b'X' => digits.insert_str(0, "0X"),
                        b'o' if !digits.starts_with('0') => digits.insert(0, '0'),
                        _ => {}
                    }
                }
                digits.into_bytes()
            }
            b'e' | b'E' | b'f' | b'F' | b'g' | b'G' | b'a' | b'A' => {
                next += 1;
                let v = arg.map_or(0.0, Val::num);
                let c = if conv == b'a' || conv == b'A' {
                    b'e'
                } else {
                    conv
                };
                format_float(c as char, v, prec.unwrap_or(6), &fl).into_bytes()
            }
            b'c' => {
                next += 1;
                match arg {
                    Some(Val::Num(n)) => {
                        let b = (*n as i64) as u8;
                        vec![b]
                    }
                    Some(v) => {
                        let s = v.str(convfmt);
                        s.as_bytes().first().map(|b| vec![*b]).unwrap_or_default()
                    }
                    None => Vec::new(),
                }
            }
            b's' => {
                next += 1;
                let s = arg.map(|v| v.str(convfmt)).unwrap_or_default();
                let mut b = s.into_bytes();
                if let Some(p) = prec {
                    b.truncate(p);
                }
                b
            }
            _ => {
                // An unknown conversion is printed as written.
                out.extend_from_slice(&f[start..i]);
                continue;
            }
        };
        pad(&mut out, body, width, &fl, !matches!(conv, b's' | b'c'));
    }
    Ok(out)
}

fn int_body(v: f64, fl: &Flags, prec: Option<usize>) -> Vec<u8> {
    let n = if v.is_nan() { i64::MIN } else { v as i64 };
    let mut digits = n.unsigned_abs().to_string();
    if let Some(p) = prec {
        if p == 0 && n == 0 {
            digits.clear();
        }
        while digits.len() < p {
            digits.insert(0, '0');
        }
    }
    let sign = if n < 0 {
        "-"
    } else if fl.plus {
        "+"
    } else if fl.space {
        " "
    } else {
        ""
    };
    format!("{sign}{digits}").into_bytes()
}

fn pad(out: &mut Vec<u8>, body: Vec<u8>, width: usize, fl: &Flags, numeric: bool) {
    if body.len() >= width {
        out.extend_from_slice(&body);
        return;
    }
    let n = width - body.len();
    if fl.left {
        out.extend_from_slice(&body);
        out.extend(std::iter::repeat_n(b' ', n));
    } else if fl.zero
        && numeric
        && body.iter().all(|c| {
            !c.is_ascii_alphabetic() || *c == b'e' || *c == b'E' || *c == b'x' || *c == b'X'
        })
    {
        let sign = match body.first() {
            Some(b'-' | b'+' | b' ') => 1,
            _ => 0,
        };
        let prefix = if body[sign..].starts_with(b"0x") || body[sign..].starts_with(b"0X") {
            sign + 2
        } else {
            sign
        };
        out.extend_from_slice(&body[..prefix]);
        out.extend(std::iter::repeat_n(b'0', n));
        out.extend_from_slice(&body[prefix..]);
    } else {
        out.extend(std::iter::repeat_n(b' ', n));
        out.extend_from_slice(&body);
    }
}

/// C's `%e`, `%f`, `%g` (and upper case) of `v`.
pub fn format_float(conv: char, v: f64, prec: usize, fl: &Flags) -> String {
    let upper = conv.is_ascii_uppercase();
    let sign = if v.is_sign_negative() && !v.is_nan() {
        "-"
    } else if fl.plus {
        "+"
    } else if fl.space {
        " "
    } else {
        ""
    };
    let a = v.abs();
    let body = if a.is_infinite() {
        "inf".to_string()
    } else if v.is_nan() {
        "nan".to_string()
    } else {
        match conv.to_ascii_lowercase() {
            'f' => {
                let mut s = format!("{a:.prec$}");
                if fl.alt && prec == 0 {
                    s.push('.');
                }
                s
            }
            'e' => exp_form(a, prec, fl.alt),
            _ => {
                let p = if prec == 0 { 1 } else { prec };
                let e = format!("{:.*e}", p - 1, a);
                let x: i32 = e
                    .rsplit_once('e')
                    .and_then(|(_, x)| x.parse().ok())
                    .unwrap_or(0);
                let mut s = if x < -4 || x >= p as i32 {
                    exp_form(a, p - 1, fl.alt)
                } else {
                    let fp = (p as i32 - 1 - x).max(0) as usize;
                    format!("{a:.fp$}")
                };
                if !fl.alt {
                    s = strip_zeros(&s);
                } else if !s.contains('.') {
                    if let Some(at) = s.find('e') {
                        s.insert(at, '.');
                    } else {
                        s.push('.');
                    }
                }
                s
            }
        }
    };
    let s = format!("{sign}{body}");
    if upper {
        s.to_ascii_uppercase()
    } else {
        s
    }
}

/// `d.ddde±XX`.
fn exp_form(a: f64, prec: usize, alt: bool) -> String {
    let e = format!("{a:.prec$e}");
    let (mant, x) = e.split_once('e').unwrap_or((&e, "0"));
    let x: i32 = x.parse().unwrap_or(0);
    let mut mant = mant.to_string();
    if alt && prec == 0 {
        mant.push('.');
    }
    let xs = if x < 0 { '-' } else { '+' };
    format!("{mant}e{xs}{:02}", x.unsigned_abs())
}

/// `%g`'s removal of trailing zeros in the fraction.
fn strip_zeros(s: &str) -> String {
    let (mant, exp) = match s.find('e') {
        Some(at) => (&s[..at], &s[at..]),
        None => (s, ""),
    };
    let mant = if mant.contains('.') {
        mant.trim_end_matches('0').trim_end_matches('.')
    } else {
        mant
    };
    format!("{mant}{exp}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(f: &str, args: &[Val]) -> String {
        String::from_utf8(sprintf(f, args, "%.6g").unwrap()).unwrap()
    }

    #[test]
    fn printf_conversions_read_as_c_prints_them() {
        assert_eq!(fmt("%.6g", &[Val::Num(0.1 + 0.2)]), "0.3");
        assert_eq!(fmt("%g", &[Val::Num(1e20)]), "1e+20");
        assert_eq!(fmt("%g", &[Val::Num(0.0001)]), "0.0001");
        assert_eq!(fmt("%g", &[Val::Num(0.00001)]), "1e-05");
        assert_eq!(fmt("%e", &[Val::Num(1234.5)]), "1.234500e+03");
        assert_eq!(
            fmt(
                "%5.2f|%-4s|%03d",
                &[Val::Num(2.345), Val::Str("b".into()), Val::Num(7.0)]
            ),
            " 2.35|b   |007"
        );
        assert_eq!(fmt("%c%c", &[Val::Num(65.0), Val::Str("xyz".into())]), "Ax");
        assert_eq!(
            fmt(
                "%x %o %X",
                &[Val::Num(255.0), Val::Num(8.0), Val::Num(255.0)]
            ),
            "ff 10 FF"
        );
        assert_eq!(num_to_str(1.23456, "%.2g"), "1.2");
        assert_eq!(num_to_str(-0.0, "%.6g"), "0");
    }

    #[test]
    fn input_text_is_numeric_only_when_all_of_it_is_a_number() {
        assert!(looks_numeric(" 12 "));
        assert!(looks_numeric("1e3"));
        assert!(!looks_numeric("12abc"));
        assert!(!looks_numeric(""));
        assert!(looks_numeric("0x1A"));
        assert_eq!(strtod(b"3.5kg"), (3.5, 3));
        assert_eq!(strtod(b".5").0, 0.5);
    }
}
