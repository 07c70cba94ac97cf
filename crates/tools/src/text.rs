//! Tools that print or filter text: `echo`, `printf`, `cat`, `head`, `tail`, `wc`, `sort`,
//! `uniq`, `tee`.

use layerbox_fstree::{Errno, FileSystem};

use crate::cli::{parse_or_usage, quote, quote_always, Spec};
use crate::{Ctx, Output};

/// The bytes of operand `name` (`-` is stdin); of an endless device (`/dev/zero`), what one
/// read that wants everything gets ([`layerbox_fstree::ENDLESS_READ`] bytes).
pub fn read_input(ctx: &Ctx<'_>, name: &str) -> Result<Vec<u8>, Errno> {
    read_input_max(ctx, name, layerbox_fstree::ENDLESS_READ)
}

/// [`read_input`] by a reader that wants at most `max` bytes (`head -c 16 /dev/urandom`):
/// an endless device gives that many, a file all it holds.
pub fn read_input_max(ctx: &Ctx<'_>, name: &str, max: usize) -> Result<Vec<u8>, Errno> {
    if name == "-" {
        return Ok(ctx.stdin.to_vec());
    }
    ctx.fs
        .read_file_max(&ctx.cred, &ctx.abs(name), max)
        .map(|c| c.to_vec())
}

/// Split into lines, each keeping its `\n` (the last may lack one).
fn lines(data: &[u8]) -> Vec<&[u8]> {
    data.split_inclusive(|&b| b == b'\n').collect()
}

fn strip_nl(l: &[u8]) -> &[u8] {
    l.strip_suffix(b"\n").unwrap_or(l)
}

/// Backslash escapes of `echo -e` and `printf %b`; returns the text and whether `\c` stopped it.
pub(crate) fn escapes(s: &str, octal_needs_zero: bool) -> (Vec<u8>, bool) {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' || i + 1 >= b.len() {
            out.push(b[i]);
            i += 1;
            continue;
        }
        i += 1;
        let c = b[i];
        i += 1;
        match c {
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'r' => out.push(b'\r'),
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'e' => out.push(27),
            b'f' => out.push(12),
            b'v' => out.push(11),
            b'\\' => out.push(b'\\'),
            b'c' => return (out, true),
            b'0'..=b'7' if c == b'0' || !octal_needs_zero => {
                let mut v: u32 = if c == b'0' { 0 } else { u32::from(c - b'0') };
                let max = if c == b'0' { 3 } else { 2 };
                let mut k = 0;
                while k < max && i < b.len() && (b'0'..=b'7').contains(&b[i]) {
                    v = v * 8 + u32::from(b[i] - b'0');
                    i += 1;
                    k += 1;
                }
                out.push((v & 0xff) as u8);
            }
            other => {
                out.push(b'\\');
                out.push(other);
            }
        }
    }
    (out, false)
}

pub fn echo(_prog: &str, args: &[String], _ctx: &mut Ctx<'_>) -> Output {
    let mut newline = true;
    let mut interpret = false;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if a.len() < 2 || !a.starts_with('-') || !a[1..].bytes().all(|b| b"neE".contains(&b)) {
            break;
        }
        for b in a[1..].bytes() {
            match b {
                b'n' => newline = false,
                b'e' => interpret = true,
                _ => interpret = false,
            }
        }
        i += 1;
    }
    let mut out = Output::default();
    let text = args[i..].join(" ");
    if interpret {
        let (bytes, stop) = escapes(&text, true);
        out.out(bytes);
        if stop {
            return out;
        }
    } else {
        out.out(text);
    }
    if newline {
        out.out("\n");
    }
    out
}

pub fn printf(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    crate::printf::printf(prog, args, ctx)
}

/// BusyBox's `visible()` and GNU's `-v`: `^X` for a control byte, `M-` before a high one, `^I`
/// for a tab only when `tabs`.
fn visible(c: u8, tabs: bool, out: &mut Vec<u8>) {
    if c == b'\t' && !tabs || c == b'\n' {
        out.push(c);
        return;
    }
    let mut c = c;
    if c >= 128 {
        out.extend_from_slice(b"M-");
        c -= 128;
    }
    if c < 32 || c == 127 {
        out.push(b'^');
        c ^= 0x40;
    }
    out.push(c);
}

pub fn cat(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let gnu = ctx.gnu();
    let spec = if gnu {
        Spec {
            short: "AbeEnstTuv",
            long: &[
                ("show-all", 'A'),
                ("number-nonblank", 'b'),
                ("show-ends", 'E'),
                ("number", 'n'),
                ("squeeze-blank", 's'),
                ("show-tabs", 'T'),
                ("show-nonprinting", 'v'),
            ],
        }
    } else {
        Spec {
            short: "etvAnbu",
            long: &[],
        }
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let any = |cs: &str| cs.chars().any(|c| o.has(c));
    let nonprinting = any("vetA");
    let ends = if gnu { any("EeA") } else { any("eA") };
    let tabs = if gnu { any("TtA") } else { any("tA") };
    let squeeze = gnu && o.has('s');
    let number = o.has('n') || o.has('b');
    let files = if o.operands.is_empty() {
        vec!["-".to_string()]
    } else {
        o.operands.clone()
    };
    let mut out = Output::default();
    let mut n = 0;
    // BusyBox's -v path numbers before the first byte of a line; GNU's squeeze remembers the
    // last line across files.
    let mut at_line_start = true;
    let mut last_blank = false;
    for f in &files {
        if out.full() {
            break;
        }
        let data = match read_input(ctx, f) {
            Ok(data) => data,
            Err(e) => {
                let msg = match (gnu, e) {
                    (true, _) => format!("{f}: {e}"),
                    (false, Errno::EISDIR) => format!("read error: {e}"),
                    (false, _) => format!("can't open '{f}': {e}"),
                };
                out.fail(prog, msg, 1);
                continue;
            }
        };
        if !nonprinting && !ends && !tabs && !squeeze && !number {
            out.out(data);
            continue;
        }
        let mut buf = Vec::with_capacity(data.len());
        if !gnu && nonprinting {
            for &c in &data {
                if number && at_line_start && !(o.has('b') && c == b'\n') {
                    n += 1;
                    buf.extend_from_slice(format!("{n:>6}  ").as_bytes());
                }
                at_line_start = c == b'\n';
                if c == b'\n' && ends {
                    buf.push(b'$');
                }
                visible(c, tabs, &mut buf);
            }
            out.out(buf);
            continue;
        }
        for l in lines(&data) {
            let body = strip_nl(l);
            let blank = body.is_empty() && l.len() == 1;
            if squeeze && blank && last_blank {
                continue;
            }
            last_blank = blank;
            if number && !(o.has('b') && body.is_empty()) {
                n += 1;
                buf.extend_from_slice(format!("{n:>6}\t").as_bytes());
            }
            if nonprinting || tabs {
                for &c in body {
                    if nonprinting {
                        visible(c, tabs, &mut buf);
                    } else if c == b'\t' {
                        buf.extend_from_slice(b"^I");
                    } else {
                        buf.push(c);
                    }
                }
            } else {
                buf.extend_from_slice(body);
            }
            if body.len() < l.len() {
                if ends {
                    buf.push(b'$');
                }
                buf.push(b'\n');
            }
        }
        out.out(buf);
    }
    out
}

/// `-5` (old style) to `-n 5`.
fn legacy_count(args: &[String]) -> Vec<String> {
    args.iter()
        .enumerate()
        .flat_map(|(i, a)| {
            let after_opt = i > 0 && matches!(args[i - 1].as_str(), "-n" | "-c");
            if !after_opt
                && a.len() > 1
                && a.starts_with('-')
                && a[1..].bytes().all(|b| b.is_ascii_digit())
            {
                vec!["-n".to_string(), a[1..].to_string()]
            } else {
                vec![a.clone()]
            }
        })
        .collect()
}

fn head_tail(prog: &str, args: &[String], ctx: &mut Ctx<'_>, tail: bool) -> Output {
    let args = legacy_count(args);
    let spec = Spec {
        // BusyBox's head reads its options with plain getopt(), which musl does not permute.
        short: match (tail, ctx.gnu()) {
            (true, _) => "n:c:fFqvs:",
            (false, true) => "n:c:qv",
            (false, false) => "+n:c:qv",
        },
        long: &[
            ("lines", 'n'),
            ("bytes", 'c'),
            ("follow", 'f'),
            ("quiet", 'q'),
            ("silent", 'q'),
            ("verbose", 'v'),
        ],
    };
    let o = match parse_or_usage(ctx, prog, &args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let gnu = ctx.gnu();
    let mut out = Output::default();
    let (count_s, bytes) = match (o.value('n'), o.value('c')) {
        (_, Some(c))
            if o.flags
                .iter()
                .rev()
                .find(|(f, _)| *f == 'n' || *f == 'c')
                .is_some_and(|(f, _)| *f == 'c') =>
        {
            (c.to_string(), true)
        }
        (Some(n), _) => (n.to_string(), false),
        (None, Some(c)) => (c.to_string(), true),
        (None, None) => ("10".to_string(), false),
    };
    let from_start = tail && count_s.starts_with('+');
    let all_but = !tail && count_s.starts_with('-');
    let digits = count_s.trim_start_matches(['+', '-']);
    let Ok(count) = digits.parse::<usize>() else {
        let what = if bytes { "bytes" } else { "lines" };
        let msg = if gnu {
            format!("invalid number of {what}: {}", quote(ctx, &count_s))
        } else {
            format!("invalid number '{count_s}'")
        };
        out.fail(prog, msg, 1);
        return out;
    };
    let files = if o.operands.is_empty() {
        vec!["-".to_string()]
    } else {
        o.operands.clone()
    };
    let headers = (files.len() > 1 || o.has('v')) && !o.has('q');
    let mut first = true;
    let mut opened = 0;
    let mut read_errors = 0;
    // `head -c N` of an endless device reads N bytes of it.
    let wanted = if bytes && !tail && !all_but {
        count
    } else {
        layerbox_fstree::ENDLESS_READ
    };
    for f in &files {
        let data = match read_input_max(ctx, f, wanted) {
            Ok(d) => d,
            Err(e) => {
                let msg = match (gnu, e) {
                    (true, Errno::EISDIR) => format!("error reading {}: {e}", quote_always(f)),
                    (true, _) => format!("cannot open {} for reading: {e}", quote_always(f)),
                    (false, Errno::EISDIR) if tail => format!("read error: {e}"),
                    (false, Errno::EISDIR) => format!("{f}: Input/output error"),
                    (false, _) if tail => format!("can't open '{f}': {e}"),
                    (false, _) => format!("{f}: {e}"),
                };
                if e == Errno::EISDIR {
                    read_errors += 1;
                }
                out.fail(prog, msg, 1);
                continue;
            }
        };
        opened += 1;
        if headers {
            let name = if f == "-" { "standard input" } else { f };
            out.out(format!("{}==> {name} <==\n", if first { "" } else { "\n" }));
        }
        first = false;
        let slice: Vec<u8> = if bytes {
            let n = data.len();
            if tail {
                if from_start {
                    data[count.saturating_sub(1).min(n)..].to_vec()
                } else {
                    data[n - count.min(n)..].to_vec()
                }
            } else if all_but {
                data[..n - count.min(n)].to_vec()
            } else {
                data[..count.min(n)].to_vec()
            }
        } else {
            let ls = lines(&data);
            let n = ls.len();
            let pick: &[&[u8]] = if tail {
                if from_start {
                    &ls[count.saturating_sub(1).min(n)..]
                } else {
                    &ls[n - count.min(n)..]
                }
            } else if all_but {
                &ls[..n - count.min(n)]
            } else {
                &ls[..count.min(n)]
            };
            pick.concat()
        };
        out.out(slice);
    }
    if tail && !gnu && opened == 0 && read_errors == 0 && out.code != 0 {
        out.err("tail: no files\n");
    }
    // `tail -f` would now wait for more data: the shell decides how time passes.
    out
}

pub fn head(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    head_tail(prog, args, ctx, false)
}

pub fn tail(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    head_tail(prog, args, ctx, true)
}

pub fn wc(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let spec = Spec {
        short: "lwcmL",
        long: &[
            ("lines", 'l'),
            ("words", 'w'),
            ("bytes", 'c'),
            ("chars", 'm'),
        ],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let (mut l, mut w, mut c) = (o.has('l'), o.has('w'), o.has('c') || o.has('m'));
    if !l && !w && !c {
        (l, w, c) = (true, true, true);
    }
    let ncounts = [l, w, c].iter().filter(|x| **x).count();
    let stdin_only = o.operands.is_empty();
    let files = if stdin_only {
        vec!["-".to_string()]
    } else {
        o.operands.clone()
    };
    let mut out = Output::default();
    // (counts, name, regular-file size) per input; None counts for a failed open.
    let mut rows: Vec<([u64; 3], String)> = Vec::new();
    let mut regular_total: u64 = 0;
    let mut not_regular = false;
    let mut opened = 0;
    for f in &files {
        let data = match read_input(ctx, f) {
            Ok(d) => {
                opened += 1;
                if f == "-" {
                    not_regular = true;
                } else {
                    regular_total += d.len() as u64;
                }
                d
            }
            Err(e) => {
                out.fail(prog, format!("{f}: {e}"), 1);
                if e == Errno::EISDIR {
                    not_regular = true;
                    rows.push(([0, 0, 0], f.clone()));
                }
                continue;
            }
        };
        let lines = data.iter().filter(|&&b| b == b'\n').count() as u64;
        let words = data
            .split(|b| b.is_ascii_whitespace())
            .filter(|s| !s.is_empty())
            .count() as u64;
        let name = if stdin_only { String::new() } else { f.clone() };
        rows.push(([lines, words, data.len() as u64], name));
    }
    if rows.len() > 1 {
        let mut t = [0u64; 3];
        for (r, _) in &rows {
            for i in 0..3 {
                t[i] += r[i];
            }
        }
        rows.push((t, "total".to_string()));
    }
    let gnu = ctx.gnu();
    let width = if gnu {
        if files.len() == 1 && ncounts == 1 || opened == 0 && !not_regular {
            1
        } else {
            let mut w = regular_total.to_string().len();
            if not_regular {
                w = w.max(7);
            }
            w
        }
    } else {
        0
    };
    let one = !gnu && ncounts == 1;
    for (r, name) in rows {
        let mut fields = Vec::new();
        for (i, on) in [l, w, c].iter().enumerate() {
            if *on {
                fields.push(if gnu {
                    format!("{:>width$}", r[i])
                } else if one {
                    r[i].to_string()
                } else {
                    format!("{:>9}", r[i])
                });
            }
        }
        let mut line = fields.join(" ");
        if !name.is_empty() {
            line.push(' ');
            line.push_str(&name);
        }
        line.push('\n');
        out.out(line);
    }
    out
}

pub fn sort(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    crate::sort::sort(prog, args, ctx)
}

/// The part of a line `uniq` compares: `fields` blank-separated fields and then `chars` bytes
/// skipped, at most `width` bytes kept.
fn uniq_key(line: &[u8], fields: usize, chars: usize, width: usize) -> &[u8] {
    let mut at = 0;
    for _ in 0..fields {
        while at < line.len() && line[at].is_ascii_whitespace() {
            at += 1;
        }
        while at < line.len() && !line[at].is_ascii_whitespace() {
            at += 1;
        }
    }
    at = at.saturating_add(chars).min(line.len());
    let end = at.saturating_add(width).min(line.len());
    &line[at..end]
}

pub fn uniq(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let spec = Spec {
        short: "cduif:s:w:z",
        long: &[
            ("count", 'c'),
            ("repeated", 'd'),
            ("unique", 'u'),
            ("ignore-case", 'i'),
            ("skip-fields", 'f'),
            ("skip-chars", 's'),
            ("check-chars", 'w'),
            ("zero-terminated", 'z'),
        ],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let mut out = Output::default();
    let mut number = |c: char, what: &str| -> Option<usize> {
        let v = o.value(c)?;
        match v.parse::<usize>() {
            Ok(n) => Some(n),
            Err(_) => {
                let msg = if ctx.gnu() {
                    format!("{v}: invalid number of {what}")
                } else {
                    format!("invalid number '{v}'")
                };
                out.fail(prog, msg, 1);
                Some(usize::MAX)
            }
        }
    };
    let fields = number('f', "fields to skip");
    let chars = number('s', "bytes to skip");
    let width = number('w', "bytes to compare");
    if out.code != 0 {
        return out;
    }
    let (fields, chars, width) = (
        fields.unwrap_or(0),
        chars.unwrap_or(0),
        width.unwrap_or(usize::MAX),
    );
    if o.operands.len() > 2 {
        let extra = o.operands[2].clone();
        let msg = format!("extra operand {}", quote(ctx, &extra));
        return crate::cli::usage_error(ctx, prog, ctx.gnu().then_some(msg.as_str()), 1);
    }
    let input = o.operands.first().cloned().unwrap_or_else(|| "-".into());
    let data = match read_input(ctx, &input) {
        Ok(d) => d,
        Err(e) => {
            let msg = if ctx.gnu() {
                format!("{input}: {e}")
            } else {
                format!("can't open '{input}': {e}")
            };
            out.fail(prog, msg, 1);
            return out;
        }
    };
    let sep = if o.has('z') { b'\0' } else { b'\n' };
    let mut groups: Vec<(&[u8], usize)> = Vec::new();
    let mut records: Vec<&[u8]> = data.split(|&b| b == sep).collect();
    if records.last().is_some_and(|l| l.is_empty()) {
        records.pop();
    }
    for l in records {
        let key = uniq_key(l, fields, chars, width);
        match groups.last_mut() {
            Some((prev, n)) => {
                let pk = uniq_key(prev, fields, chars, width);
                if pk == key || (o.has('i') && pk.eq_ignore_ascii_case(key)) {
                    *n += 1;
                } else {
                    groups.push((l, 1));
                }
            }
            None => groups.push((l, 1)),
        }
    }
    let mut text = Vec::new();
    for (l, n) in groups {
        if (o.has('d') && n < 2) || (o.has('u') && n > 1) {
            continue;
        }
        if o.has('c') {
            text.extend_from_slice(format!("{n:>7} ").as_bytes());
        }
        text.extend_from_slice(l);
        text.push(sep);
    }
    match o.operands.get(1).filter(|d| *d != "-") {
        Some(dest) => {
            let p = ctx.abs(dest);
            if let Err(e) = ctx
                .fs
                .write_file(&ctx.cred, &p, &text, 0o666 & !ctx.umask, ctx.now)
            {
                let msg = if ctx.gnu() {
                    format!("{dest}: {e}")
                } else {
                    format!("can't open '{dest}': {e}")
                };
                out.fail(prog, msg, 1);
            }
        }
        None => out.out(text),
    }
    out
}

pub fn tee(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let spec = Spec {
        short: "ai",
        long: &[("append", 'a'), ("ignore-interrupts", 'i')],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let mut out = Output::default();
    let data = ctx.stdin.to_vec();
    for f in &o.operands {
        let p = ctx.abs(f);
        let r = if o.has('a') {
            ctx.fs
                .append_file(&ctx.cred, &p, &data, 0o666 & !ctx.umask, ctx.now)
        } else {
            ctx.fs
                .write_file(&ctx.cred, &p, &data, 0o666 & !ctx.umask, ctx.now)
        };
        match r {
            Ok(()) => {}
            // The file opens, and fills up: what fits is written. BusyBox finds its stream in
            // error when it closes it and says so in its own words (measured: `tee /dev/full`).
            Err(Errno::ENOSPC) => {
                let opened = if o.has('a') {
                    ctx.fs
                        .append_file(&ctx.cred, &p, b"", 0o666 & !ctx.umask, ctx.now)
                } else {
                    ctx.fs
                        .write_file(&ctx.cred, &p, b"", 0o666 & !ctx.umask, ctx.now)
                };
                if let Err(e) = opened {
                    out.fail(prog, format!("{f}: {e}"), 1);
                    continue;
                }
                let room = ctx.fs.room_at(&ctx.cred, &p).unwrap_or(0);
                let fits = usize::try_from(room).unwrap_or(usize::MAX).min(data.len());
                let _ =
                    ctx.fs
                        .append_file(&ctx.cred, &p, &data[..fits], 0o666 & !ctx.umask, ctx.now);
                let why = if ctx.gnu() {
                    Errno::ENOSPC.strerror()
                } else {
                    "I/O error"
                };
                out.fail(prog, format!("{f}: {why}"), 1);
            }
            Err(e) => out.fail(prog, format!("{f}: {e}"), 1),
        }
    }
    out.out(data);
    out
}
