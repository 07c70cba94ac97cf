//! `tr`: translate, delete (`-d`) and squeeze (`-s`) bytes of stdin, with complemented sets
//! (`-c`, `-C`), ranges, escapes and classes; GNU's `[c*n]` repeats, `[=c=]` and `-t`, and
//! its checks, which BusyBox does not make.

use crate::cli::{parse_or_usage, quote, usage_error, Spec};
use crate::{Ctx, Output};

pub fn tr(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let gnu = ctx.gnu();
    let spec = Spec {
        short: if gnu { "+cCdst" } else { "+Ccds" },
        long: &[
            ("complement", 'c'),
            ("delete", 'd'),
            ("squeeze-repeats", 's'),
            ("truncate-set1", 't'),
        ],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let comp = o.has('c') || o.has('C');
    let (del, squeeze, trunc) = (o.has('d'), o.has('s'), o.has('t'));
    let ops = &o.operands;
    if ops.is_empty() {
        return if gnu {
            usage_error(ctx, prog, Some("missing operand"), 1)
        } else {
            usage_error(ctx, prog, None, 1)
        };
    }
    if gnu {
        let two = !del && (!squeeze || ops.len() > 1) || (del && squeeze);
        if two && ops.len() < 2 {
            let why = if del {
                "Two strings must be given when both deleting and squeezing repeats."
            } else {
                "Two strings must be given when translating."
            };
            let msg = format!("missing operand after {}\n{why}", quote(ctx, &ops[0]));
            return usage_error(ctx, prog, Some(&msg), 1);
        }
        let max = if del && !squeeze { 1 } else { 2 };
        if ops.len() > max {
            let mut msg = format!("extra operand {}", quote(ctx, &ops[max]));
            if max == 1 {
                msg.push_str(
                    "\nOnly one string may be given when deleting without squeezing repeats.",
                );
            }
            return usage_error(ctx, prog, Some(&msg), 1);
        }
    }
    let mut out = Output::default();
    let set1 = match expand(ops[0].as_bytes(), gnu, false) {
        Ok(s) => s,
        Err(m) => {
            out.fail(prog, m, 1);
            return out;
        }
    };
    let mut set1 = set1;
    if comp {
        set1 = (0..=255u8).filter(|b| !set1.contains(b)).collect();
    }
    let mut set2 = match ops.get(1) {
        Some(s) if !s.is_empty() || gnu => match expand(s.as_bytes(), gnu, true) {
            Ok(v) => Some(v),
            Err(m) => {
                out.fail(prog, m, 1);
                return out;
            }
        },
        Some(_) => {
            out.fail(prog, "STRING2 cannot be empty", 1);
            return out;
        }
        None => None,
    };
    let translating = set2.is_some() && !del;
    if let Some(s2) = set2.as_mut() {
        if translating {
            if s2.is_empty() && gnu && !trunc {
                out.fail(
                    prog,
                    "when not truncating set1, string2 must be non-empty",
                    1,
                );
                return out;
            }
            if trunc && gnu {
                set1.truncate(s2.len());
            }
        }
        if translating && gnu {
            if let Some(&last) = s2.last() {
                while s2.len() < set1.len() {
                    s2.push(last);
                }
            }
        }
    }
    let mut map: Vec<u8> = (0..=255u8).collect();
    let mut in1 = [false; 256];
    let mut in2 = [false; 256];
    for &b in &set1 {
        in1[usize::from(b)] = true;
    }
    if let Some(s2) = &set2 {
        for &b in s2.iter() {
            in2[usize::from(b)] = true;
        }
        if translating || !gnu {
            let mut last = b'0';
            for (i, &b) in set1.iter().enumerate() {
                let to = match s2.get(i) {
                    Some(&t) => {
                        last = t;
                        t
                    }
                    None => last,
                };
                map[usize::from(b)] = to;
            }
        }
    }
    let squeeze_set = if gnu {
        if set2.is_some() {
            in2
        } else {
            in1
        }
    } else {
        let mut s = in1;
        for (i, v) in in2.iter().enumerate() {
            s[i] |= *v;
        }
        s
    };
    let mut result = Vec::with_capacity(ctx.stdin.len());
    let mut last: Option<u8> = None;
    for &c in ctx.stdin {
        if del && in1[usize::from(c)] {
            continue;
        }
        let coded = if del && gnu { c } else { map[usize::from(c)] };
        if squeeze && last == Some(coded) {
            let hit = if gnu {
                squeeze_set[usize::from(coded)]
            } else {
                in1[usize::from(c)] || in2[usize::from(coded)]
            };
            if hit {
                continue;
            }
        }
        result.push(coded);
        last = Some(coded);
    }
    out.out(result);
    out
}

/// The bytes a set names, in order.
fn expand(arg: &[u8], gnu: bool, second: bool) -> Result<Vec<u8>, String> {
    // First resolve escapes into (byte, was_escaped) units.
    let mut units: Vec<(u8, bool)> = Vec::new();
    let mut i = 0;
    while i < arg.len() {
        if arg[i] != b'\\' {
            units.push((arg[i], false));
            i += 1;
            continue;
        }
        i += 1;
        let Some(&c) = arg.get(i) else {
            units.push((b'\\', true));
            break;
        };
        i += 1;
        let b = match c {
            b'a' => 7,
            b'b' => 8,
            b'f' => 12,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'v' => 11,
            b'\\' => b'\\',
            b'0'..=b'7' => {
                let mut v = u32::from(c - b'0');
                let mut k = 1;
                while k < 3 && matches!(arg.get(i), Some(b'0'..=b'7')) {
                    v = v * 8 + u32::from(arg[i] - b'0');
                    i += 1;
                    k += 1;
                }
                (v & 0xff) as u8
            }
            other => other,
        };
        units.push((b, true));
    }
    let mut out = Vec::new();
    let mut k = 0;
    while k < units.len() {
        let (c, esc) = units[k];
        if c == b'[' && !esc {
            if let Some((bytes, used)) = bracket(&units[k..], gnu, second)? {
                out.extend(bytes);
                k += used;
                continue;
            }
        }
        if k + 2 < units.len() && units[k + 1] == (b'-', false) {
            let hi = units[k + 2].0;
            if hi < c {
                if gnu {
                    return Err(format!(
                        "range-endpoints of '{}-{}' are in reverse collating sequence order",
                        show(c),
                        show(hi)
                    ));
                }
            } else {
                out.extend(c..=hi);
            }
            k += 3;
            continue;
        }
        out.push(c);
        k += 1;
    }
    if out.len() > 1 << 16 {
        out.truncate(1 << 16);
    }
    Ok(out)
}

fn show(b: u8) -> String {
    if b.is_ascii_graphic() || b == b' ' {
        (b as char).to_string()
    } else {
        format!("\\{b:03o}")
    }
}

/// A bracket construct at the start of `u`: `[:class:]`, `[=c=]`, GNU's `[c*n]`; its bytes and
/// how many units it took, or `None` if `[` is an ordinary character here.
#[allow(clippy::type_complexity)]
fn bracket(u: &[(u8, bool)], gnu: bool, second: bool) -> Result<Option<(Vec<u8>, usize)>, String> {
    let text: Vec<u8> = u.iter().map(|p| p.0).collect();
    if text.starts_with(b"[:") {
        if let Some(end) = text[2..].windows(2).position(|w| w == b":]") {
            let name = &text[2..2 + end];
            let bytes: Vec<u8> = match name {
                b"alpha" => (0..=255u8).filter(u8::is_ascii_alphabetic).collect(),
                b"alnum" => (0..=255u8).filter(u8::is_ascii_alphanumeric).collect(),
                b"digit" => (b'0'..=b'9').collect(),
                b"lower" => (b'a'..=b'z').collect(),
                b"upper" => (b'A'..=b'Z').collect(),
                b"space" => vec![9, 10, 11, 12, 13, 32],
                b"blank" => vec![9, 32],
                b"punct" => (0..=255u8).filter(u8::is_ascii_punctuation).collect(),
                b"cntrl" => (0..=255u8).filter(u8::is_ascii_control).collect(),
                b"xdigit" => {
                    if gnu {
                        (0..=255u8).filter(u8::is_ascii_hexdigit).collect()
                    } else {
                        b"0123456789ABCDEFabcdef".to_vec()
                    }
                }
                b"graph" if gnu => (0..=255u8).filter(u8::is_ascii_graphic).collect(),
                b"print" if gnu => (0..=255u8)
                    .filter(|b| b.is_ascii_graphic() || *b == b' ')
                    .collect(),
                _ => {
                    if gnu {
                        return Err(format!(
                            "invalid character class \u{2018}{}\u{2019}",
                            String::from_utf8_lossy(name)
                        ));
                    }
                    return Ok(None);
                }
            };
            return Ok(Some((bytes, end + 4)));
        }
        return Ok(None);
    }
    if text.len() >= 5 && text[1] == b'=' && text[3] == b'=' && text[4] == b']' {
        return Ok(Some((vec![text[2]], 5)));
    }
    if gnu && second && text.len() >= 4 && text[2] == b'*' {
        if let Some(end) = text.iter().position(|&b| b == b']') {
            if end >= 3 {
                let count = &text[3..end];
                if count.iter().all(u8::is_ascii_digit) {
                    let n = if count.is_empty() {
                        // `[c*]`: as many as string1 needs; 256 is as many as any set.
                        256
                    } else {
                        let s = String::from_utf8_lossy(count);
                        let radix = if count.starts_with(b"0") { 8 } else { 10 };
                        match usize::from_str_radix(&s, radix) {
                            Ok(0) | Err(_) => 256,
                            Ok(n) => n.min(256),
                        }
                    };
                    return Ok(Some((vec![text[1]; n], end + 1)));
                }
            }
        }
    }
    Ok(None)
}
