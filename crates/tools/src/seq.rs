//! The producers of lines: `seq` (numbers from FIRST by INC to LAST, `-s -w`, GNU's `-f`) and
//! `yes`. Both can print for ever (`yes`, BusyBox's `seq 1 0 2`): they stop at the output
//! limit, [`crate::MAX_OUTPUT`], filled by copying one repeated chunk, and [`crate::run`] says so.
//!
//! Emulation note: a real `yes | head -1` ends when `head` closes the pipe; layerbox runs a
//! pipeline's programs one after the other, so `yes` first prints up to the limit and says it
//! stopped there, and `head` then reads the first line of it.

use crate::cli::{busybox_usage, parse_or_usage, quote, usage_error, Spec};
use crate::number::parse_f64;
use crate::{output_limit, Ctx, Output};

/// Appends `chunk` to stdout again and again until the output limit.
fn repeat_to_limit(out: &mut Output, chunk: &[u8]) {
    if chunk.is_empty() {
        return;
    }
    let room = output_limit().saturating_sub(out.stdout.len() + out.stderr.len());
    let mut data = Vec::with_capacity(room);
    while data.len() + chunk.len() <= room {
        data.extend_from_slice(chunk);
    }
    data.extend_from_slice(&chunk[..room - data.len()]);
    out.out(data);
}

pub fn yes(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let args: &[String] = if ctx.gnu() {
        match args.first().map(String::as_str) {
            Some("--help") => {
                let mut o = Output::default();
                o.out(format!("Usage: {prog} [STRING]...\n  or:  {prog} OPTION\n"));
                return o;
            }
            Some("--version") => {
                let mut o = Output::default();
                o.out("yes (GNU coreutils) 9.1\n");
                return o;
            }
            Some("--") => &args[1..],
            Some(a) if a.starts_with('-') && a.len() > 1 => {
                let msg = if a.starts_with("--") {
                    format!("unrecognized option '{a}'")
                } else {
                    format!("invalid option -- '{}'", a.chars().nth(1).unwrap_or('-'))
                };
                return usage_error(ctx, prog, Some(&msg), 1);
            }
            _ => args,
        }
    } else {
        args
    };
    let mut line = if args.is_empty() {
        "y".to_string()
    } else {
        args.join(" ")
    };
    line.push('\n');
    let mut out = Output::default();
    repeat_to_limit(&mut out, line.as_bytes());
    out
}

/// C's `strtod` over a whole argument: decimal (as [`parse_f64`]) or a `0x` hexadecimal
/// integer, after optional spaces.
fn strtod(text: &str) -> Option<f64> {
    let t = text.trim_start_matches([' ', '\t', '\n']);
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    if let Some(hex) = body.strip_prefix("0x").or(body.strip_prefix("0X")) {
        if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            let v = hex.bytes().fold(0f64, |a, b| {
                a * 16.0 + f64::from((b as char).to_digit(16).unwrap_or(0))
            });
            return Some(if neg { -v } else { v });
        }
        return None;
    }
    parse_f64(t)
}

/// GNU's precision of an argument: the digits after its `.`, less its exponent.
fn precision(arg: &str) -> Option<usize> {
    if arg.contains(['x', 'X']) || arg.to_ascii_lowercase().contains("inf") {
        return None;
    }
    let mant_end = arg.find(['e', 'E']).unwrap_or(arg.len());
    let frac = arg[..mant_end].find('.').map_or(0, |d| mant_end - d - 1) as i64;
    let exp: i64 = arg
        .get(mant_end + 1..)
        .and_then(|e| e.parse().ok())
        .unwrap_or(0);
    // Emulation note: GNU prints as many digits as the arguments ask for; layerbox stops at
    // 1000, past which no learner reads them.
    Some((frac.saturating_sub(exp)).clamp(0, 1000) as usize)
}

pub fn seq(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    if ctx.gnu() {
        gnu_seq(prog, args, ctx)
    } else {
        busybox_seq(prog, args, ctx)
    }
}

fn busybox_seq(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let spec = Spec {
        short: "+ws:",
        long: &[],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let usage = || {
        let mut u = Output::default();
        u.err(busybox_usage(prog));
        u.code = 1;
        u
    };
    let ops = &o.operands;
    let nums: Option<Vec<f64>> = ops.iter().map(|a| strtod(a)).collect();
    let Some(nums) = nums else {
        return usage();
    };
    let (first, inc, last) = match nums.as_slice() {
        [l] => (1.0, 1.0, *l),
        [f, l] => (*f, 1.0, *l),
        [f, i, l] => (*f, *i, *l),
        _ => return usage(),
    };
    let mut width = 0;
    let mut frac = 0;
    for (k, a) in ops.iter().enumerate() {
        let dot = a.find('.').unwrap_or(a.len());
        width = width.max(dot);
        if k + 1 == ops.len() {
            break;
        }
        frac = frac.max(a.len() - dot);
    }
    if frac > 0 {
        frac -= 1;
        if frac > 0 {
            width += frac + 1;
        }
    }
    if !o.has('w') {
        width = 0;
    }
    let sep = o.value('s').unwrap_or("\n").to_string();
    let mut out = Output::default();
    let fmt = |v: f64| format!("{v:0width$.frac$}");
    let mut n: u64 = 0;
    let mut v = first;
    let mut text = Vec::new();
    while if inc >= 0.0 { v <= last } else { v >= last } {
        if n > 0 {
            text.extend_from_slice(sep.as_bytes());
        }
        text.extend_from_slice(fmt(v).as_bytes());
        n += 1;
        let next = first + n as f64 * inc;
        if next == v {
            // The same number for ever (an increment of 0, or one lost in rounding).
            out.out(&text);
            let chunk = format!("{sep}{}", fmt(v));
            repeat_to_limit(&mut out, chunk.as_bytes());
            return out;
        }
        v = next;
        if text.len() >= 1 << 16 {
            out.out(std::mem::take(&mut text));
            if out.full() {
                return out;
            }
        }
    }
    out.out(text);
    if n > 0 {
        out.out("\n");
    }
    out
}

fn gnu_seq(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    // Negative numbers are operands, not options.
    let mut opts: Vec<String> = Vec::new();
    let mut ops: Vec<String> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        let numeric = a.len() > 1 && a.starts_with('-') && strtod(a).is_some();
        if a == "--" {
            ops.extend(args[i..].iter().cloned());
            break;
        }
        if a.starts_with('-') && a.len() > 1 && !numeric {
            opts.push(a.clone());
            if matches!(a.as_str(), "-s" | "-f") && i < args.len() {
                opts.push(args[i].clone());
                i += 1;
            }
        } else {
            ops.push(a.clone());
        }
    }
    let spec = Spec {
        short: "ws:f:",
        long: &[("equal-width", 'w'), ("separator", 's'), ("format", 'f')],
    };
    let o = match parse_or_usage(ctx, prog, &opts, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    if ops.is_empty() {
        return usage_error(ctx, prog, Some("missing operand"), 1);
    }
    if ops.len() > 3 {
        let msg = format!("extra operand {}", quote(ctx, &ops[3]));
        return usage_error(ctx, prog, Some(&msg), 1);
    }
    let mut nums = Vec::new();
    for a in &ops {
        match strtod(a) {
            Some(v) if v.is_nan() => {
                let msg = format!(
                    "invalid {} argument: {}",
                    quote(ctx, "not-a-number"),
                    quote(ctx, a)
                );
                return usage_error(ctx, prog, Some(&msg), 1);
            }
            Some(v) => nums.push(v),
            None => {
                let msg = format!("invalid floating point argument: {}", quote(ctx, a));
                return usage_error(ctx, prog, Some(&msg), 1);
            }
        }
    }
    let (first, inc, last) = match nums.as_slice() {
        [l] => (1.0, 1.0, *l),
        [f, l] => (*f, 1.0, *l),
        [f, i, l] => (*f, *i, *l),
        _ => (1.0, 1.0, 0.0),
    };
    if inc == 0.0 {
        let msg = format!("invalid Zero increment value: {}", quote(ctx, &ops[1]));
        return usage_error(ctx, prog, Some(&msg), 1);
    }
    if o.has('f') {
        let mut out = Output::default();
        out.err("layerbox: seq -f is not modelled\n");
        out.code = 69;
        return out;
    }
    let prec_of = |k: Option<usize>| k.and_then(|k| ops.get(k)).map_or(Some(0), |a| precision(a));
    let (pf, pi) = match ops.len() {
        1 => (Some(0), Some(0)),
        2 => (prec_of(Some(0)), Some(0)),
        _ => (prec_of(Some(0)), prec_of(Some(1))),
    };
    let prec = match (pf, pi) {
        (Some(a), Some(b)) => Some(a.max(b)),
        _ => None,
    };
    let fmt = |v: f64| -> String {
        match prec {
            Some(p) => format!("{v:.p$}"),
            None => crate::seq::general(v),
        }
    };
    let width = if o.has('w') {
        fmt(first).len().max(fmt(last).len())
    } else {
        0
    };
    let pad = |s: String| -> String {
        if s.len() >= width {
            return s;
        }
        match s.strip_prefix('-') {
            Some(rest) => format!("-{}{rest}", "0".repeat(width - s.len())),
            None => format!("{}{s}", "0".repeat(width - s.len())),
        }
    };
    let sep = o.value('s').unwrap_or("\n").to_string();
    let last_text = fmt(last);
    let mut out = Output::default();
    let mut text = Vec::new();
    let mut n: u64 = 0;
    loop {
        let v = first + n as f64 * inc;
        let past = if inc < 0.0 { v < last } else { v > last };
        if past {
            // A value past LAST only by rounding is printed when it reads as LAST.
            if n == 0 || fmt(v) != last_text {
                break;
            }
        }
        if n > 0 {
            text.extend_from_slice(sep.as_bytes());
        }
        text.extend_from_slice(pad(fmt(v)).as_bytes());
        n += 1;
        if past || first + n as f64 * inc == v {
            break;
        }
        if text.len() >= 1 << 16 {
            out.out(std::mem::take(&mut text));
            if out.full() {
                return out;
            }
        }
    }
    out.out(text);
    if n > 0 {
        out.out("\n");
    }
    out
}

/// `%g` as C prints it: six significant digits, trailing zeros dropped, an exponent below
/// 1e-4 or from 1e6.
pub fn general(v: f64) -> String {
    if v.is_infinite() {
        return if v < 0.0 { "-inf" } else { "inf" }.to_string();
    }
    if v == 0.0 {
        return "0".to_string();
    }
    let exp = v.abs().log10().floor() as i32;
    let s = format!("{:.5e}", v);
    let (mant, e) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = e.parse().unwrap_or(exp);
    if !(-4..6).contains(&e) {
        let mant = mant.trim_end_matches('0').trim_end_matches('.');
        let sign = if e < 0 { '-' } else { '+' };
        return format!("{mant}e{sign}{:02}", e.abs());
    }
    let p = (5 - e).max(0) as usize;
    let s = format!("{v:.p$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}
