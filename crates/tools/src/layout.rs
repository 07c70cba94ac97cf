//! Tools that lay lines out again: `nl` (number them), `fold` (wrap them at a width) and `rev`
//! (reverse each one's characters; util-linux's on the Debian host).

use crate::cli::{parse_or_usage, quote, usage_error, Spec};
use crate::regex::{Budget, Options, Regex, Search};
use crate::{Ctx, Output};

/// Each operand's bytes (stdin when there is none, or for `-`), with the message for one
/// that cannot be read: `PROG: NAME: error` (`cannot open NAME: error` for util-linux `rev`).
fn inputs(
    ctx: &Ctx<'_>,
    prog: &str,
    operands: &[String],
    out: &mut Output,
    util_linux: bool,
) -> Vec<Vec<u8>> {
    let names: Vec<String> = if operands.is_empty() {
        vec!["-".to_string()]
    } else {
        operands.to_vec()
    };
    let mut all = Vec::new();
    for name in &names {
        match crate::text::read_input(ctx, name) {
            Ok(d) => all.push(d),
            Err(e) => {
                if util_linux {
                    out.err(format!("{prog}: cannot open {name}: {}\n", e.strerror()));
                } else {
                    out.err(format!("{prog}: {name}: {}\n", e.strerror()));
                }
                out.code = 1;
            }
        }
    }
    all
}

pub fn rev(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let spec = Spec {
        short: "",
        long: &[],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let mut out = Output::default();
    for data in inputs(ctx, prog, &o.operands, &mut out, ctx.gnu()) {
        for line in data.split_inclusive(|&b| b == b'\n') {
            let (mut body, mut nl) = match line.strip_suffix(b"\n") {
                Some(b) => (b, true),
                None => (line, false),
            };
            // BusyBox reverses and prints the line as a C string: up to its first NUL.
            if let Some(nul) = body.iter().position(|&b| b == 0).filter(|_| !ctx.gnu()) {
                body = &body[..nul];
                nl = false;
            }
            let mut r = Vec::with_capacity(line.len());
            for chunk in body.utf8_chunks().collect::<Vec<_>>().into_iter().rev() {
                r.extend(chunk.invalid().iter().rev());
                for c in chunk.valid().chars().rev() {
                    let mut b = [0; 4];
                    r.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
                }
            }
            if nl {
                r.push(b'\n');
            }
            out.out(r);
        }
    }
    out
}

pub fn fold(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let spec = Spec {
        short: "bsw:",
        long: &[("bytes", 'b'), ("spaces", 's'), ("width", 'w')],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let mut out = Output::default();
    let width = match o.value('w') {
        None => 80,
        Some(w) => match w.parse::<usize>() {
            Ok(n) if ctx.gnu() && n > 0 => n,
            Ok(n) if !ctx.gnu() && (1..=10000).contains(&n) => n,
            Ok(n) => {
                if ctx.gnu() {
                    out.fail(
                        prog,
                        format!(
                            "invalid number of columns: {}: Numerical result out of range",
                            quote(ctx, w)
                        ),
                        1,
                    );
                } else {
                    out.fail(prog, format!("number {n} is not in 1..10000 range"), 1);
                }
                return out;
            }
            Err(_) => {
                if ctx.gnu() {
                    out.fail(
                        prog,
                        format!("invalid number of columns: {}", quote(ctx, w)),
                        1,
                    );
                } else {
                    out.fail(prog, format!("invalid number '{w}'"), 1);
                }
                return out;
            }
        },
    };
    let bytes = o.has('b');
    let spaces = o.has('s');
    let adjust = |col: usize, c: u8| -> usize {
        if bytes {
            return col + 1;
        }
        match c {
            8 => col.saturating_sub(1),
            b'\r' => 0,
            b'\t' => col + 8 - col % 8,
            _ => col + 1,
        }
    };
    for data in inputs(ctx, prog, &o.operands, &mut out, false) {
        let mut result = Vec::with_capacity(data.len() + data.len() / width.max(1));
        let mut buf: Vec<u8> = Vec::new();
        let mut col = 0;
        for &c in &data {
            if c == b'\n' {
                result.extend_from_slice(&buf);
                result.push(b'\n');
                buf.clear();
                col = 0;
                continue;
            }
            loop {
                let next = adjust(col, c);
                if next <= width {
                    col = next;
                    buf.push(c);
                    break;
                }
                if spaces {
                    if let Some(at) = buf.iter().rposition(|&b| b == b' ' || b == b'\t') {
                        result.extend_from_slice(&buf[..=at]);
                        result.push(b'\n');
                        buf.drain(..=at);
                        col = buf.iter().fold(0, |k, &b| adjust(k, b));
                        continue;
                    }
                }
                if buf.is_empty() {
                    col = next;
                    buf.push(c);
                    break;
                }
                result.extend_from_slice(&buf);
                result.push(b'\n');
                buf.clear();
                col = 0;
            }
        }
        result.extend_from_slice(&buf);
        out.out(result);
    }
    out
}

/// Which lines `nl -b`, `-h` or `-f` numbers.
enum Style {
    All,
    NonEmpty,
    None,
    Matching(Box<Regex>),
}

pub fn nl(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let gnu = ctx.gnu();
    let spec = Spec {
        short: if gnu {
            "b:d:f:h:i:l:n:ps:v:w:"
        } else {
            "pb:E:s:v:i:w:"
        },
        long: &[
            ("body-numbering", 'b'),
            ("section-delimiter", 'd'),
            ("footer-numbering", 'f'),
            ("header-numbering", 'h'),
            ("line-increment", 'i'),
            ("join-blank-lines", 'l'),
            ("number-format", 'n'),
            ("no-renumber", 'p'),
            ("number-separator", 's'),
            ("starting-line-number", 'v'),
            ("number-width", 'w'),
        ],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    for c in ['d', 'f', 'h', 'l', 'E'] {
        if o.has(c) {
            let mut out = Output::default();
            out.err(format!("layerbox: {prog} -{c} is not modelled\n"));
            out.code = 69;
            return out;
        }
    }
    let style = match o.value('b').unwrap_or("t") {
        "a" => Style::All,
        "t" => Style::NonEmpty,
        "n" => Style::None,
        s if s.starts_with('p') && gnu => {
            let opts = Options {
                gnu,
                ..Options::default()
            };
            match Regex::new(&s[1..], opts) {
                Ok((re, _)) => Style::Matching(Box::new(re)),
                Err(e) => {
                    let mut out = Output::default();
                    out.fail(prog, e.message(), 1);
                    return out;
                }
            }
        }
        s => {
            if gnu {
                let msg = format!("invalid body numbering style: {}", quote(ctx, s));
                return usage_error(ctx, prog, Some(&msg), 1);
            }
            // BusyBox reads an unknown style as "number no line".
            Style::None
        }
    };
    let number = |c: char, default: i64, ctx: &Ctx<'_>| -> Result<i64, Output> {
        match o.value(c) {
            None => Ok(default),
            Some(v) => v.parse::<i64>().map_err(|_| {
                let mut out = Output::default();
                if ctx.gnu() {
                    let what = match c {
                        'i' => "line number increment",
                        'v' => "starting line number",
                        _ => "line number field width",
                    };
                    out.fail(prog, format!("invalid {what}: {}", quote(ctx, v)), 1);
                } else {
                    out.fail(prog, format!("invalid number '{v}'"), 1);
                }
                out
            }),
        }
    };
    let (start, incr, width) = match (
        number('v', 1, ctx),
        number('i', 1, ctx),
        number('w', 6, ctx),
    ) {
        (Ok(a), Ok(b), Ok(c)) => (a, b, c.clamp(1, 1 << 12) as usize),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return e,
    };
    let format = o.value('n').unwrap_or("rn").to_string();
    let sep = o.value('s').unwrap_or("\t").to_string();
    let mut out = Output::default();
    let mut n = start;
    let mut search = Search::new(Budget::new(20_000_000));
    for data in inputs(ctx, prog, &o.operands, &mut out, false) {
        let mut result = Vec::new();
        for line in data.split_inclusive(|&b| b == b'\n') {
            let body = line.strip_suffix(b"\n").unwrap_or(line);
            let numbered = match &style {
                Style::All => true,
                Style::NonEmpty => !body.is_empty(),
                Style::None => false,
                Style::Matching(re) => re.is_match(body, &mut search).unwrap_or(false),
            };
            if numbered {
                let s = match format.as_str() {
                    "ln" => format!("{n:<width$}"),
                    "rz" => format!("{n:0width$}"),
                    _ => format!("{n:>width$}"),
                };
                result.extend_from_slice(s.as_bytes());
                result.extend_from_slice(sep.as_bytes());
                n = n.saturating_add(incr);
            } else {
                result.extend(std::iter::repeat_n(b' ', width + sep.len()));
            }
            result.extend_from_slice(line);
            if result.len() >= 1 << 16 {
                out.out(std::mem::take(&mut result));
                if out.full() {
                    return out;
                }
            }
        }
        out.out(result);
    }
    out
}
