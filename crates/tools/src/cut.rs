//! `cut`: bytes, characters or delimited fields of each line, BusyBox's and GNU's.

use crate::cli::{parse_or_usage, quote, usage_error, Spec};
use crate::text::read_input;
use crate::{Ctx, Output};

/// What the list selects.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    Bytes,
    Chars,
    /// `-f`: fields split at one delimiter character.
    Fields,
    /// BusyBox `-F`: fields split at runs of whitespace (or at `-d`'s text).
    Words,
}

/// Zero-based inclusive ranges of positions; `usize::MAX` is the end of the line.
type Ranges = Vec<(usize, usize)>;

pub fn cut(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let gnu = ctx.gnu();
    let spec = if gnu {
        Spec {
            short: "b:c:f:d:sn",
            long: &[
                ("bytes", 'b'),
                ("characters", 'c'),
                ("fields", 'f'),
                ("delimiter", 'd'),
                ("only-delimited", 's'),
                ("complement", 'C'),
                ("output-delimiter", 'O'),
            ],
        }
    } else {
        Spec {
            short: "b:c:f:F:d:O:Dsn",
            long: &[],
        }
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let lists: Vec<(Unit, &str)> = o
        .flags
        .iter()
        .filter_map(|(f, v)| {
            let unit = match f {
                'b' => Unit::Bytes,
                'c' => Unit::Chars,
                'f' => Unit::Fields,
                'F' => Unit::Words,
                _ => return None,
            };
            Some((unit, v.as_deref().unwrap_or("")))
        })
        .collect();
    let kinds = {
        let mut k: Vec<Unit> = lists.iter().map(|(u, _)| *u).collect();
        k.dedup();
        k
    };
    let usage = |msg: &str| usage_error(ctx, prog, Some(msg), 1);
    let mut out = Output::default();
    let Some(&(unit, list)) = lists.last() else {
        if gnu {
            return usage("you must specify a list of bytes, characters, or fields");
        }
        out.fail(prog, "expected a list of bytes, characters, or fields", 1);
        return out;
    };
    if kinds.len() > 1 {
        return if gnu {
            usage("only one list may be specified")
        } else {
            usage_error(ctx, prog, None, 1)
        };
    }
    let fields = matches!(unit, Unit::Fields | Unit::Words);
    let delimiter = o.value('d');
    if !fields && o.has('s') {
        if gnu {
            return usage(
                "suppressing non-delimited lines makes sense\n\tonly when operating on fields",
            );
        }
        out.fail(
            prog,
            "suppressing non-delimited lines makes sense only when operating on fields",
            1,
        );
        return out;
    }
    if gnu && !fields && delimiter.is_some() {
        return usage("an input delimiter may be specified only when operating on fields");
    }
    if gnu && delimiter.is_some_and(|d| d.chars().count() > 1) {
        return usage("the delimiter must be a single character");
    }
    let ranges = if gnu {
        match gnu_ranges(list, unit, |s| quote(ctx, s)) {
            Ok(r) => r,
            Err(msg) => return usage(&msg),
        }
    } else {
        match busybox_ranges(list, o.has('D')) {
            Ok(r) => r,
            Err(msg) => {
                out.fail(prog, msg, 1);
                return out;
            }
        }
    };
    let ranges = if o.has('C') {
        complement(&ranges)
    } else {
        ranges
    };
    let delim: Vec<u8> = match delimiter {
        // GNU takes an empty delimiter as NUL, as BusyBox does.
        Some(d) if unit == Unit::Words => d.as_bytes().to_vec(),
        Some(d) => d
            .chars()
            .next()
            .map_or(vec![0], |c| c.to_string().into_bytes()),
        None if unit == Unit::Words => Vec::new(),
        None => vec![b'\t'],
    };
    let out_delim: Vec<u8> = match o.value('O') {
        Some(d) => d.as_bytes().to_vec(),
        None if unit == Unit::Words => b" ".to_vec(),
        None => delim.clone(),
    };
    let files = if o.operands.is_empty() {
        vec!["-".to_string()]
    } else {
        o.operands.clone()
    };
    for f in &files {
        let data = match read_input(ctx, f) {
            Ok(d) => d,
            Err(e) => {
                out.fail(prog, format!("{f}: {e}"), 1);
                continue;
            }
        };
        for line in data.split_inclusive(|&b| b == b'\n') {
            let body = line.strip_suffix(b"\n").unwrap_or(line);
            let picked = match unit {
                Unit::Bytes => Some(pick(&split_bytes(body), &ranges, b"")),
                Unit::Chars => Some(pick(&split_chars(body), &ranges, b"")),
                Unit::Fields | Unit::Words => {
                    let parts = if unit == Unit::Words {
                        split_words(body, &delim)
                    } else {
                        split_at(body, &delim)
                    };
                    // A line without a separator: -f prints it whole unless -s; -F (even
                    // with -s) takes it as one field.
                    if parts.len() < 2 && unit == Unit::Fields {
                        (!o.has('s')).then(|| body.to_vec())
                    } else if parts.len() < 2 {
                        // BusyBox's loop stops after the first range: the line if that range
                        // starts at field 1, else nothing.
                        Some(if ranges.first().is_some_and(|r| r.0 == 0) {
                            body.to_vec()
                        } else {
                            Vec::new()
                        })
                    } else {
                        Some(pick(&parts, &ranges, &out_delim))
                    }
                }
            };
            if let Some(text) = picked {
                out.out(text);
                out.out(b"\n");
            }
        }
    }
    out
}

/// The selected parts in the order of `ranges`, each part once, joined by `sep`.
fn pick(parts: &[&[u8]], ranges: &Ranges, sep: &[u8]) -> Vec<u8> {
    let mut printed = vec![false; parts.len()];
    let mut out = Vec::new();
    let mut first = true;
    for &(start, end) in ranges {
        let mut i = start;
        while i <= end && i < parts.len() {
            if !printed[i] {
                printed[i] = true;
                if !first {
                    out.extend_from_slice(sep);
                }
                first = false;
                out.extend_from_slice(parts[i]);
            }
            i += 1;
        }
    }
    out
}

fn split_bytes(line: &[u8]) -> Vec<&[u8]> {
    line.chunks(1).collect()
}

/// UTF-8 characters (a stray byte counts as one).
fn split_chars(line: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < line.len() {
        let len = match line[i] {
            b if b >= 0xF0 => 4,
            b if b >= 0xE0 => 3,
            b if b >= 0xC0 => 2,
            _ => 1,
        };
        let end = (i + len).min(line.len());
        out.push(&line[i..end]);
        i = end;
    }
    out
}

fn split_at<'l>(line: &'l [u8], delim: &[u8]) -> Vec<&'l [u8]> {
    if delim.is_empty() {
        return vec![line];
    }
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.windows(delim.len()).position(|w| w == delim) {
        out.push(&rest[..at]);
        rest = &rest[at + delim.len()..];
    }
    out.push(rest);
    out
}

/// BusyBox `-F`: runs of whitespace (or of `delim`) separate fields.
fn split_words<'l>(line: &'l [u8], delim: &[u8]) -> Vec<&'l [u8]> {
    if !delim.is_empty() {
        return split_at(line, delim)
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect();
    }
    line.split(|b| b.is_ascii_whitespace())
        .filter(|p| !p.is_empty())
        .collect()
}

/// BusyBox's list: `N`, `N-`, `-M`, `N-M` separated by commas, sorted by start unless `-D`.
fn busybox_ranges(list: &str, keep_order: bool) -> Result<Ranges, String> {
    let number = |s: &str| {
        s.parse::<usize>()
            .map_err(|_| format!("invalid number '{s}'"))
    };
    let mut ranges = Vec::new();
    for item in list.split(',') {
        if item.is_empty() {
            continue;
        }
        let (from, to) = match item.split_once('-') {
            Some((a, b)) => (a, Some(b)),
            None => (item, None),
        };
        let start = if from.is_empty() {
            0
        } else {
            number(from)?.saturating_sub(1)
        };
        let end = match to {
            None => start,
            Some("") => usize::MAX,
            Some(to) => {
                let e = number(to)?;
                if e < start {
                    return Err(format!("{e}<{start}"));
                }
                e.saturating_sub(1)
            }
        };
        ranges.push((start, end));
    }
    if ranges.is_empty() {
        return Err("missing list of positions".to_string());
    }
    if !keep_order {
        layerbox_order::sort_by_key(&mut ranges, |r| r.0);
    }
    Ok(ranges)
}

/// GNU's list: the same forms, numbered from 1, sorted and merged.
fn gnu_ranges(list: &str, unit: Unit, quote: impl Fn(&str) -> String) -> Result<Ranges, String> {
    let (from1, invalid) = if unit == Unit::Fields {
        ("fields are numbered from 1", "invalid field value")
    } else {
        (
            "byte/character positions are numbered from 1",
            "invalid byte/character position",
        )
    };
    let number = |s: &str| match s.parse::<usize>() {
        Ok(0) => Err(from1.to_string()),
        Ok(n) => Ok(n - 1),
        Err(_) => Err(format!("{invalid} {}", quote(s))),
    };
    let mut ranges: Ranges = Vec::new();
    for item in list.split([',', ' ']) {
        let (start, end) = match item.split_once('-') {
            None => {
                let n = number(item)?;
                (n, n)
            }
            Some(("", "")) => return Err("invalid range with no endpoint: -".to_string()),
            Some(("", to)) => (0, number(to)?),
            Some((from, "")) => (number(from)?, usize::MAX),
            Some((from, to)) => {
                let (a, b) = (number(from)?, number(to)?);
                if b < a {
                    return Err("invalid decreasing range".to_string());
                }
                (a, b)
            }
        };
        ranges.push((start, end));
    }
    layerbox_order::sort(&mut ranges);
    let mut merged: Ranges = Vec::new();
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.0 <= last.1.saturating_add(1) => last.1 = last.1.max(r.1),
            _ => merged.push(r),
        }
    }
    Ok(merged)
}

/// `--complement`: the positions no range selects.
fn complement(ranges: &Ranges) -> Ranges {
    let mut out = Vec::new();
    let mut next = 0usize;
    for &(start, end) in ranges {
        if start > next {
            out.push((next, start - 1));
        }
        if end == usize::MAX {
            return out;
        }
        next = end + 1;
    }
    out.push((next, usize::MAX));
    out
}
