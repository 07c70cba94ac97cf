//! `sort`: keys (`-k START[.C][OPTS][,END[.C][OPTS]]`), `-t`, the orderings (`-n -g -M -V -d -f
//! -i -b -r`), `-s`, `-u`, `-z`, `-c` and `-o`, as BusyBox 1.35/1.36's `sort.c` and GNU
//! coreutils 9.1's `sort.c` each find keys and break ties.
//!
//! The flavours differ where keys are cut: BusyBox counts a key's end character from the start
//! of the line and takes a field's leading blanks only for the first field, GNU counts both
//! characters inside their fields and keeps leading blanks in every field unless `-b`; a key
//! with no options of its own takes all the global ones in both.

use crate::clock::MONTHS_LONG;
use std::cmp::Ordering;

use crate::cli::{parse_or_usage, utf8_locale, Spec};
use crate::text::read_input;
use crate::{Ctx, Flavor, Output};
use layerbox_fstree::FileSystem;

const N: u32 = 1 << 0;
const G: u32 = 1 << 1;
const MONTH: u32 = 1 << 2;
const V: u32 = 1 << 3;
/// Ignore leading blanks (of the key's start).
const B: u32 = 1 << 4;
const R: u32 = 1 << 5;
const D: u32 = 1 << 6;
const F: u32 = 1 << 7;
const I: u32 = 1 << 8;
/// Ignore blanks before the key's end character (`b` after the comma).
const BB: u32 = 1 << 9;

/// One `-k`: fields and characters are 1-based; 0 means "not given" (`end_field` 0: to the end
/// of the line).
#[derive(Debug, Clone, Copy, Default)]
struct Key {
    start_field: usize,
    start_char: usize,
    end_field: usize,
    end_char: usize,
    flags: u32,
}

struct Config {
    keys: Vec<Key>,
    global: u32,
    tab: Option<u8>,
    stable: bool,
    unique: bool,
    gnu: bool,
}

fn is_blank(c: u8) -> bool {
    // BusyBox's isspace() and GNU's blanks in the C and C.UTF-8 locales.
    matches!(c, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// The ordering flag of a key option letter; `b` after the comma is [`BB`].
fn key_flag(c: u8, after_comma: bool) -> Option<u32> {
    Some(match c {
        b'n' => N,
        b'g' => G,
        b'M' => MONTH,
        b'V' => V,
        b'b' if after_comma => BB,
        b'b' => B,
        b'r' => R,
        b'd' => D,
        b'f' => F,
        b'i' => I,
        _ => return None,
    })
}

/// Parses one `-k` value as BusyBox's `sort_main` does; the error is its message.
fn busybox_parse_key(spec: &str) -> Result<Key, &'static str> {
    let s = spec.as_bytes();
    let mut key = Key::default();
    let mut i = 0;
    let num = |i: &mut usize| -> Result<usize, &'static str> {
        let start = *i;
        while *i < s.len() && s[*i].is_ascii_digit() {
            *i += 1;
        }
        match spec[start..*i].parse::<usize>() {
            Ok(n) if n > 0 && n <= i32::MAX as usize => Ok(n),
            _ => Err("bad field specification"),
        }
    };
    let mut after_comma = false;
    while i < s.len() {
        let n = num(&mut i)?;
        let c = if s.get(i) == Some(&b'.') {
            i += 1;
            num(&mut i)?
        } else {
            0
        };
        if after_comma {
            (key.end_field, key.end_char) = (n, c);
        } else {
            (key.start_field, key.start_char) = (n, c);
        }
        while i < s.len() {
            let ch = s[i];
            if ch == b',' && !after_comma {
                after_comma = true;
                i += 1;
                break;
            }
            // The letters of sort's option string that a key may not take.
            if ch != b'V' && key_flag(ch, after_comma).is_some() {
                key.flags |= key_flag(ch, after_comma).unwrap_or(0);
            } else if b"VucszmS:T:o:k:*t".contains(&ch) {
                return Err("unknown sort type");
            } else {
                return Err("unknown key option");
            }
            i += 1;
        }
    }
    Ok(key)
}

/// `t` in GNU's quotes for a message: ‘t’ in a UTF-8 locale, 't' otherwise.
fn quote_always_gnu(ctx: &Ctx<'_>, t: &str) -> String {
    if utf8_locale(ctx) {
        format!("\u{2018}{t}\u{2019}")
    } else {
        format!("'{t}'")
    }
}

/// Parses one `-k` value as GNU's `sort` does; the error is its message.
fn gnu_parse_key(spec: &str, ctx: &Ctx<'_>) -> Result<Key, String> {
    let s = spec.as_bytes();
    let q = |t: &str| quote_always_gnu(ctx, t);
    let bad = |why: &str| format!("{why}: invalid field specification {}", q(spec));
    let mut i = 0;
    let num = |i: &mut usize, what: &str| -> Result<usize, String> {
        let start = *i;
        while *i < s.len() && s[*i].is_ascii_digit() {
            *i += 1;
        }
        if start == *i {
            return Err(format!(
                "invalid number {what}: invalid count at start of {}",
                q(&spec[start..])
            ));
        }
        Ok(spec[start..*i].parse::<usize>().unwrap_or(usize::MAX))
    };
    let mut key = Key {
        start_field: num(&mut i, "at field start")?,
        ..Key::default()
    };
    if key.start_field == 0 {
        return Err(bad("field number is zero"));
    }
    if s.get(i) == Some(&b'.') {
        i += 1;
        key.start_char = num(&mut i, "after '.'")?;
        if key.start_char == 0 {
            return Err(bad("character offset is zero"));
        }
    }
    let mut after_comma = false;
    while i < s.len() {
        if s[i] == b',' && !after_comma {
            after_comma = true;
            i += 1;
            key.end_field = num(&mut i, "after ','")?;
            if key.end_field == 0 {
                return Err(bad("field number is zero"));
            }
            if s.get(i) == Some(&b'.') {
                i += 1;
                key.end_char = num(&mut i, "after '.'")?;
            }
            continue;
        }
        match key_flag(s[i], after_comma) {
            Some(f) => key.flags |= f,
            None => return Err(bad("stray character in field spec")),
        }
        i += 1;
    }
    Ok(key)
}

/// BusyBox's `get_key`: the key's bytes, with `-d`, `-i` and `-f` applied.
fn busybox_key(line: &[u8], key: &Key, flags: u32, tab: Option<u8>) -> Vec<u8> {
    let len = line.len();
    let mut start = 0;
    let mut end = len;
    for j in 0..2 {
        let field = if j == 0 {
            key.start_field
        } else {
            key.end_field
        };
        if field == 0 {
            end = len;
        } else {
            let mut last = 0u8;
            end = 0;
            for _ in 1..field + j {
                if end >= len {
                    // Past the end nothing more is skipped (and no separator was).
                    last = 0;
                    break;
                }
                if let Some(t) = tab {
                    // Skip the field's body and the separator after it.
                    last = 0;
                    while end < len {
                        let c = line[end];
                        end += 1;
                        if c == t {
                            last = t;
                            break;
                        }
                    }
                } else {
                    while end < len && is_blank(line[end]) {
                        end += 1;
                    }
                    while end < len && !is_blank(line[end]) {
                        end += 1;
                    }
                }
            }
            if j == 1 && last != 0 {
                end -= 1;
            }
        }
        if j == 0 {
            start = end;
        }
    }
    if flags & B != 0 {
        while start < len && is_blank(line[start]) {
            start += 1;
        }
    }
    if flags & BB != 0 {
        while end > start && is_blank(line[end - 1]) {
            end -= 1;
        }
    }
    if key.end_char != 0 {
        end = key.end_char.min(len);
    }
    if key.start_char != 0 {
        start = start.saturating_add(key.start_char - 1).min(len);
    }
    end = end.max(start);
    filter(&line[start..end], flags)
}

/// `-d`, `-i`, `-f` over a key.
fn filter(key: &[u8], flags: u32) -> Vec<u8> {
    key.iter()
        .copied()
        .filter(|&c| flags & D == 0 || is_blank(c) || c.is_ascii_alphanumeric())
        .filter(|&c| flags & I == 0 || (b' '..=b'~').contains(&c))
        .map(|c| {
            if flags & F != 0 {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect()
}

/// GNU's `begfield` and `limfield`: the key's bytes, with `-d`, `-i` and `-f` applied.
fn gnu_key(line: &[u8], key: &Key, flags: u32, tab: Option<u8>) -> Vec<u8> {
    let lim = line.len();
    let mut beg = 0;
    if key.start_field <= 1 && key.start_char <= 1 {
        if flags & B != 0 {
            while beg < lim && is_blank(line[beg]) {
                beg += 1;
            }
        }
    } else {
        let mut sword = key.start_field - 1;
        while beg < lim && sword > 0 {
            sword -= 1;
            match tab {
                Some(t) => {
                    while beg < lim && line[beg] != t {
                        beg += 1;
                    }
                    if beg < lim {
                        beg += 1;
                    }
                }
                None => {
                    while beg < lim && is_blank(line[beg]) {
                        beg += 1;
                    }
                    while beg < lim && !is_blank(line[beg]) {
                        beg += 1;
                    }
                }
            }
        }
        if flags & B != 0 {
            while beg < lim && is_blank(line[beg]) {
                beg += 1;
            }
        }
        beg = beg
            .saturating_add(key.start_char.saturating_sub(1))
            .min(lim);
    }
    let mut end = lim;
    if key.end_field != 0 {
        let mut eword = key.end_field - 1;
        let echar = key.end_char;
        if echar == 0 {
            eword += 1;
        }
        end = 0;
        while end < lim && eword > 0 {
            eword -= 1;
            match tab {
                Some(t) => {
                    while end < lim && line[end] != t {
                        end += 1;
                    }
                    if end < lim && (eword > 0 || echar != 0) {
                        end += 1;
                    }
                }
                None => {
                    while end < lim && is_blank(line[end]) {
                        end += 1;
                    }
                    while end < lim && !is_blank(line[end]) {
                        end += 1;
                    }
                }
            }
        }
        if echar != 0 {
            if flags & BB != 0 {
                while end < lim && is_blank(line[end]) {
                    end += 1;
                }
            }
            end = end.saturating_add(echar).min(lim);
        }
    }
    end = end.max(beg);
    filter(&line[beg..end], flags)
}

/// The number at the start of `s` (after blanks) as `strtod` reads it (`gnu_numeric`: as GNU's
/// `-n` does, with no `+`, exponent, infinity or NaN); `None` when there is none.
fn strtod(s: &[u8], gnu_numeric: bool) -> Option<f64> {
    let mut i = 0;
    while i < s.len() && is_blank(s[i]) {
        i += 1;
    }
    let neg = s.get(i) == Some(&b'-');
    if neg || s.get(i) == Some(&b'+') && !gnu_numeric {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let at = *i;
        while *i < s.len() && s[*i].is_ascii_digit() {
            *i += 1;
        }
        &s[at..*i]
    };
    let int = digits(&mut i);
    let frac: &[u8] = if s.get(i) == Some(&b'.') {
        i += 1;
        digits(&mut i)
    } else {
        &[]
    };
    let sign = if neg { "-" } else { "" };
    if int.is_empty() && frac.is_empty() {
        if gnu_numeric {
            return None;
        }
        let word = String::from_utf8_lossy(&s[i.min(s.len())..]).to_ascii_lowercase();
        return if word.starts_with("inf") {
            Some(if neg {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            })
        } else if word.starts_with("nan") {
            Some(f64::NAN)
        } else {
            None
        };
    }
    let mut exp = String::new();
    if !gnu_numeric && i < s.len() && s[i] | 0x20 == b'e' {
        let mut j = i + 1;
        let esign = match s.get(j) {
            Some(b'-') => {
                j += 1;
                "-"
            }
            Some(b'+') => {
                j += 1;
                ""
            }
            _ => "",
        };
        let e = digits(&mut j);
        if !e.is_empty() {
            exp = format!("e{esign}{}", String::from_utf8_lossy(e));
        }
    }
    let text = format!(
        "{sign}{}.{}{exp}",
        if int.is_empty() {
            "0".into()
        } else {
            String::from_utf8_lossy(int)
        },
        if frac.is_empty() {
            "0".into()
        } else {
            String::from_utf8_lossy(frac)
        },
    );
    crate::number::parse_f64(&text)
}

/// The month a key starts with (0 for none), as BusyBox's `strptime("%b")` or GNU's first three
/// letters read it.
fn month(s: &[u8]) -> usize {
    let t = String::from_utf8_lossy(s);
    let t = t
        .trim_start_matches(|c: char| c.is_ascii_whitespace())
        .to_ascii_lowercase();
    for (i, m) in MONTHS_LONG.iter().enumerate() {
        let m = m.to_ascii_lowercase();
        if t.starts_with(&m) || t.get(..3) == Some(&m[..3]) {
            return i + 1;
        }
    }
    0
}

/// glibc's `strverscmp`.
fn strverscmp(a: &[u8], b: &[u8]) -> Ordering {
    const CMP: i8 = 2;
    const LEN: i8 = 3;
    const NEXT: [usize; 12] = [0, 3, 9, 0, 3, 3, 0, 6, 6, 0, 6, 9];
    const RESULT: [i8; 36] = [
        CMP, CMP, CMP, CMP, LEN, CMP, CMP, CMP, CMP, //
        CMP, -1, -1, 1, LEN, LEN, 1, LEN, LEN, //
        CMP, CMP, CMP, CMP, CMP, CMP, CMP, CMP, CMP, //
        CMP, 1, 1, -1, CMP, CMP, -1, CMP, CMP,
    ];
    let at = |s: &[u8], i: usize| s.get(i).copied().unwrap_or(0);
    let class = |c: u8| usize::from(c == b'0') + usize::from(c.is_ascii_digit());
    let (mut i, mut c1, mut c2) = (0, at(a, 0), at(b, 0));
    let mut state = class(c1);
    while c1 == c2 {
        if c1 == 0 {
            return Ordering::Equal;
        }
        state = NEXT[state];
        i += 1;
        c1 = at(a, i);
        c2 = at(b, i);
        state += class(c1);
    }
    let diff = i32::from(c1) - i32::from(c2);
    match RESULT[state * 3 + class(c2)] {
        CMP => diff.cmp(&0),
        LEN => {
            let mut j = i;
            loop {
                let (d1, d2) = (at(a, j).is_ascii_digit(), at(b, j).is_ascii_digit());
                j += 1;
                if !d1 {
                    return if d2 { Ordering::Less } else { diff.cmp(&0) };
                }
                if !d2 {
                    return Ordering::Greater;
                }
            }
        }
        r => r.cmp(&0),
    }
}

fn compare_key(x: &[u8], y: &[u8], flags: u32, gnu: bool) -> Ordering {
    if flags & G != 0 {
        // strtod: not numbers < NaN < numbers.
        return match (strtod(x, false), strtod(y, false)) {
            (None, None) => Ordering::Equal,
            (None, _) => Ordering::Less,
            (_, None) => Ordering::Greater,
            (Some(a), Some(b)) if a.is_nan() || b.is_nan() => b.is_nan().cmp(&a.is_nan()),
            (Some(a), Some(b)) => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
        };
    }
    if flags & N != 0 {
        // BusyBox's -n is atof(); GNU's reads blanks, a minus sign, digits and one point.
        let (dx, dy) = (strtod(x, gnu).unwrap_or(0.0), strtod(y, gnu).unwrap_or(0.0));
        return dx.partial_cmp(&dy).unwrap_or(Ordering::Equal);
    }
    if flags & MONTH != 0 {
        return month(x).cmp(&month(y));
    }
    if flags & V != 0 {
        return strverscmp(x, y);
    }
    x.cmp(y)
}

fn compare(a: &[u8], b: &[u8], c: &Config, tie_break: bool) -> Ordering {
    let mut r = Ordering::Equal;
    let mut flags = c.global;
    for key in &c.keys {
        flags = if key.flags != 0 { key.flags } else { c.global };
        let (x, y) = if c.gnu {
            (gnu_key(a, key, flags, c.tab), gnu_key(b, key, flags, c.tab))
        } else {
            (
                busybox_key(a, key, flags, c.tab),
                busybox_key(b, key, flags, c.tab),
            )
        };
        r = compare_key(&x, &y, flags, c.gnu);
        if c.gnu && flags & R != 0 {
            r = r.reverse();
        }
        if r != Ordering::Equal {
            break;
        }
    }
    if c.gnu {
        if r != Ordering::Equal || !tie_break || c.stable || c.unique {
            return r;
        }
        let r = a.cmp(b);
        return if c.global & R != 0 { r.reverse() } else { r };
    }
    if r == Ordering::Equal {
        if c.stable && tie_break {
            // The caller's stable sort keeps equal lines in input order, whatever -r says.
            return Ordering::Equal;
        }
        if tie_break {
            flags = c.global;
            r = a.cmp(b);
        }
    }
    if flags & R != 0 {
        r.reverse()
    } else {
        r
    }
}

pub fn sort(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let gnu = ctx.gnu();
    let spec = match ctx.flavor {
        Flavor::BusyBox => Spec {
            short: "ngMVucszbrdfimS:T:o:k:t:",
            long: &[],
        },
        Flavor::Coreutils => Spec {
            short: "bcdfgiMmno:rsS:t:T:uzk:",
            long: &[
                ("ignore-leading-blanks", 'b'),
                ("check", 'c'),
                ("dictionary-order", 'd'),
                ("ignore-case", 'f'),
                ("general-numeric-sort", 'g'),
                ("ignore-nonprinting", 'i'),
                ("month-sort", 'M'),
                ("merge", 'm'),
                ("numeric-sort", 'n'),
                ("output", 'o'),
                ("reverse", 'r'),
                ("stable", 's'),
                ("buffer-size", 'S'),
                ("field-separator", 't'),
                ("temporary-directory", 'T'),
                ("unique", 'u'),
                ("zero-terminated", 'z'),
                ("key", 'k'),
            ],
        },
    };
    let mut o = match parse_or_usage(ctx, prog, args, &spec, 2) {
        Ok(o) => o,
        Err(mut out) => {
            // BusyBox's sort dies with 2 (`xfunc_error_retval`), its usage error too.
            out.code = 2;
            return out;
        }
    };
    let mut out = Output::default();
    let mut global = 0;
    for (c, flag) in [
        ('n', N),
        ('g', G),
        ('M', MONTH),
        ('V', V),
        ('b', B | BB),
        ('r', R),
        ('d', D),
        ('f', F),
        ('i', I),
    ] {
        if o.has(c) {
            global |= flag;
        }
    }
    let tab = match o.value('t') {
        None => None,
        Some(t) if t.len() == 1 => Some(t.as_bytes()[0]),
        Some(t) => {
            let msg = if !gnu {
                "bad -t parameter".to_string()
            } else if t.is_empty() {
                "empty tab".to_string()
            } else {
                format!("multi-character tab {}", quote_always_gnu(ctx, t))
            };
            out.fail(prog, msg, 2);
            return out;
        }
    };
    let mut keys = Vec::new();
    for (c, v) in &o.flags {
        if *c != 'k' {
            continue;
        }
        let v = v.as_deref().unwrap_or("");
        let key = if gnu {
            gnu_parse_key(v, ctx)
        } else {
            busybox_parse_key(v).map_err(str::to_string)
        };
        match key {
            Ok(k) => keys.push(k),
            Err(msg) => {
                out.fail(prog, msg, 2);
                return out;
            }
        }
    }
    if keys.is_empty() {
        keys.push(Key {
            start_field: 1,
            ..Key::default()
        });
    }
    let config = Config {
        keys,
        global,
        tab,
        stable: o.has('s'),
        unique: o.has('u'),
        gnu,
    };
    let files = if o.operands.is_empty() {
        vec!["-".to_string()]
    } else {
        std::mem::take(&mut o.operands)
    };
    let sep = if o.has('z') { b'\0' } else { b'\n' };
    let mut all: Vec<Vec<u8>> = Vec::new();
    for f in &files {
        match read_input(ctx, f) {
            Ok(d) => {
                let mut parts: Vec<&[u8]> = d.split(|&b| b == sep).collect();
                if parts.last().is_some_and(|l| l.is_empty()) {
                    parts.pop();
                }
                all.extend(parts.into_iter().map(<[u8]>::to_vec));
            }
            Err(e) => {
                let msg = if gnu {
                    format!("cannot read: {f}: {e}")
                } else {
                    format!("{f}: {e}")
                };
                out.fail(prog, msg, 2);
                return out;
            }
        }
    }
    if o.has('c') {
        for i in 1..all.len() {
            let r = compare(&all[i - 1], &all[i], &config, !config.unique);
            if r == Ordering::Greater || config.unique && r == Ordering::Equal {
                let msg = if gnu {
                    let name = files.first().map_or("-", String::as_str);
                    format!(
                        "{prog}: {name}:{}: disorder: {}\n",
                        i + 1,
                        String::from_utf8_lossy(&all[i])
                    )
                } else {
                    format!("Check line {i}\n")
                };
                out.err(msg);
                out.code = 1;
                return out;
            }
        }
        return out;
    }
    layerbox_order::sort_by(&mut all, |a, b| compare(a, b, &config, true));
    if config.unique {
        all.dedup_by(|later, kept| compare(kept, later, &config, false) == Ordering::Equal);
    }
    let mut text = Vec::new();
    for l in all {
        text.extend_from_slice(&l);
        text.push(sep);
    }
    if let Some(dest) = o.value('o') {
        let p = ctx.abs(dest);
        if let Err(e) = ctx
            .fs
            .write_file(&ctx.cred, &p, &text, 0o666 & !ctx.umask, ctx.now)
        {
            let msg = if gnu {
                format!("open failed: {dest}: {e}")
            } else {
                format!("can't open '{dest}': {e}")
            };
            out.fail(prog, msg, 2);
        }
    } else {
        out.out(text);
    }
    out
}
