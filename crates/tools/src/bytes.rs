//! Tools that look at bytes: `cmp` (GNU diffutils' on the host), `od` (`-A`, `-t` with its
//! `a c d o u x` types and sizes, `-a -b -c -d -h -i -l -o -s -x`, `-j -N -v`, GNU's `z`;
//! BusyBox's `f`/`-f` floats, GNU's not modelled) and `hexdump` (util-linux's on the host:
//! the default shorts, `-C`, `-v`, `-n`, `-s`; BusyBox's in `dump.rs`).

use crate::cli::{parse_or_usage, usage_error, Spec};
use crate::text::read_input;
use crate::{Ctx, Output};

pub fn cmp(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let gnu = ctx.gnu();
    let spec = Spec {
        short: if gnu { "bln:s" } else { "lsn:" },
        long: &[
            ("print-bytes", 'b'),
            ("verbose", 'l'),
            ("bytes", 'n'),
            ("quiet", 's'),
            ("silent", 's'),
        ],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 2) {
        Ok(o) => o,
        Err(mut out) => {
            if gnu {
                out.code = 2;
            }
            return out;
        }
    };
    let ops = &o.operands;
    if ops.is_empty() {
        if gnu {
            let mut out = Output::default();
            out.err(format!(
                "{prog}: missing operand after '{prog}'\n{prog}: Try '{prog} --help' for more information.\n"
            ));
            out.code = 2;
            return out;
        }
        return usage_error(ctx, prog, None, 2);
    }
    if o.has('b') {
        let mut out = Output::default();
        out.err(format!("layerbox: {prog} -b is not modelled\n"));
        out.code = 69;
        return out;
    }
    let a_name = ops[0].clone();
    let b_name = ops.get(1).cloned().unwrap_or_else(|| "-".to_string());
    let skip = |k: usize| -> usize {
        ops.get(k)
            .and_then(|s| s.parse::<usize>().ok())
            .unwrap_or(0)
    };
    let mut out = Output::default();
    let read = |name: &str, out: &mut Output| -> Option<Vec<u8>> {
        match read_input(ctx, name) {
            Ok(d) => Some(d),
            Err(e) => {
                out.err(format!("{prog}: {name}: {}\n", e.strerror()));
                out.code = 2;
                None
            }
        }
    };
    let (Some(a), Some(b)) = (read(&a_name, &mut out), read(&b_name, &mut out)) else {
        return out;
    };
    let a = a.get(skip(2)..).unwrap_or_default();
    let b = b.get(skip(3)..).unwrap_or_default();
    let limit = o
        .value('n')
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(usize::MAX);
    let n = a.len().min(b.len()).min(limit);
    let silent = o.has('s');
    let mut line = 1;
    let mut differ = false;
    let mut rows = Vec::new();
    let width = a.len().min(b.len()).min(limit).to_string().len();
    for i in 0..n {
        if a[i] != b[i] {
            differ = true;
            if silent {
                break;
            }
            if !o.has('l') {
                let unit = if gnu { "byte" } else { "char" };
                out.out(format!(
                    "{a_name} {b_name} differ: {unit} {}, line {line}\n",
                    i + 1
                ));
                break;
            }
            if gnu {
                rows.push(format!("{:>width$} {:3o} {:3o}\n", i + 1, a[i], b[i]));
            } else {
                rows.push(format!("{} {:3o} {:3o}\n", i + 1, a[i], b[i]));
            }
        }
        if a[i] == b'\n' {
            line += 1;
        }
    }
    out.out(rows.concat());
    if (!differ || o.has('l')) && a.len().min(limit) != b.len().min(limit) {
        differ = true;
        if !silent {
            let (short, len) = if a.len() < b.len() {
                (&a_name, a.len())
            } else {
                (&b_name, b.len())
            };
            if !gnu {
                out.err(format!("{prog}: EOF on {short}\n"));
            } else if len == 0 {
                out.err(format!("{prog}: EOF on {short} which is empty\n"));
            } else if o.has('l') {
                out.err(format!("{prog}: EOF on {short} after byte {len}\n"));
            } else {
                let lines = if a.len() < b.len() { a } else { b };
                let nl = lines.iter().filter(|&&c| c == b'\n').count();
                let at = if lines.last() == Some(&b'\n') {
                    format!("line {nl}")
                } else {
                    format!("in line {}", nl + 1)
                };
                out.err(format!("{prog}: EOF on {short} after byte {len}, {at}\n"));
            }
        }
    }
    out.code = i32::from(differ);
    out
}

/// One `od` output type: how many bytes an element takes and how it is printed.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Named,
    Char,
    Signed,
    Octal,
    Unsigned,
    Hex,
    /// BusyBox's `f`: C's `float` or `double`, as `" %*.*e"` with `FLT_DIG`/`DBL_DIG` digits.
    Float,
}

#[derive(Clone, Copy)]
struct Type {
    kind: Kind,
    size: usize,
    /// GNU's `z`: the printable bytes after the line.
    text: bool,
}

impl Type {
    /// The field width: the widest value's digits plus a space.
    fn width(&self) -> usize {
        let bits = 8 * self.size as u32;
        match self.kind {
            Kind::Named | Kind::Char => 4,
            Kind::Octal => (bits as usize).div_ceil(3) + 1,
            Kind::Hex => 2 * self.size + 1,
            // od_bloaty.c: `FLT_DIG + 8` (or `DBL_DIG + 8`) and the space before it.
            Kind::Float => self.float_digits() + 9,
            Kind::Unsigned => {
                (if bits >= 64 {
                    u64::MAX
                } else {
                    (1u64 << bits) - 1
                })
                .to_string()
                .len()
                    + 1
            }
            Kind::Signed => {
                (-(if bits >= 64 {
                    i64::MAX
                } else {
                    (1i64 << (bits - 1)) - 1
                }) - 1)
                    .to_string()
                    .len()
                    + 1
            }
        }
    }

    /// `FLT_DIG` or `DBL_DIG`.
    fn float_digits(&self) -> usize {
        if self.size == 4 {
            7
        } else {
            15
        }
    }

    fn element(&self, b: &[u8]) -> String {
        let mut v: u64 = 0;
        for (i, &x) in b.iter().enumerate() {
            v |= u64::from(x) << (8 * i);
        }
        let w = self.width();
        match self.kind {
            Kind::Char => format!("{:>w$}", char_name(b[0])),
            Kind::Named => format!("{:>w$}", ascii_name(b[0])),
            Kind::Octal => {
                let d = w - 1;
                format!(" {v:0d$o}")
            }
            Kind::Hex => {
                let d = w - 1;
                format!(" {v:0d$x}")
            }
            Kind::Unsigned => format!("{v:>w$}"),
            Kind::Float => {
                let x = if self.size == 4 {
                    f64::from(f32::from_bits(v as u32))
                } else {
                    f64::from_bits(v)
                };
                let fmt = format!(" %{}.{}e", w - 1, self.float_digits());
                String::from_utf8_lossy(&crate::printf::c_printf(
                    fmt.as_bytes(),
                    crate::printf::CArg::Float(x),
                ))
                .into_owned()
            }
            Kind::Signed => {
                let bits = 8 * self.size;
                let s = if bits >= 64 {
                    v as i64
                } else {
                    ((v << (64 - bits)) as i64) >> (64 - bits)
                };
                format!("{s:>w$}")
            }
        }
    }
}

fn char_name(b: u8) -> String {
    match b {
        0 => "\\0".into(),
        7 => "\\a".into(),
        8 => "\\b".into(),
        12 => "\\f".into(),
        b'\n' => "\\n".into(),
        b'\r' => "\\r".into(),
        b'\t' => "\\t".into(),
        11 => "\\v".into(),
        0x20..=0x7e => (b as char).to_string(),
        _ => format!("{b:03o}"),
    }
}

fn ascii_name(b: u8) -> String {
    const NAMES: [&str; 33] = [
        "nul", "soh", "stx", "etx", "eot", "enq", "ack", "bel", "bs", "ht", "nl", "vt", "ff", "cr",
        "so", "si", "dle", "dc1", "dc2", "dc3", "dc4", "nak", "syn", "etb", "can", "em", "sub",
        "esc", "fs", "gs", "rs", "us", "sp",
    ];
    let b = b & 0x7f;
    match b {
        0..=32 => NAMES[usize::from(b)].to_string(),
        127 => "del".into(),
        _ => (b as char).to_string(),
    }
}

/// A `-t` type string: `x1`, `o2`, `d4`, `c`, `a`, `u`, with GNU's `z`.
fn parse_type(s: &str, gnu: bool) -> Result<Vec<Type>, String> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let kind = match b[i] {
            b'a' => Kind::Named,
            b'c' => Kind::Char,
            b'd' => Kind::Signed,
            b'o' => Kind::Octal,
            b'u' => Kind::Unsigned,
            b'x' => Kind::Hex,
            b'f' if !gnu => Kind::Float,
            _ => {
                return Err(format!(
                    "invalid character '{}' in type string '{s}'",
                    b[i] as char
                ))
            }
        };
        i += 1;
        let mut size = if matches!(kind, Kind::Named | Kind::Char) {
            1
        } else {
            4
        };
        if kind == Kind::Float {
            // `F` float, `D` double (the default), `L` long double; or a size in bytes.
            size = 8;
            match b.get(i) {
                Some(b'F') => {
                    size = 4;
                    i += 1;
                }
                Some(b'D') => i += 1,
                Some(b'L') => {
                    return Err("layerbox: od of long doubles is not modelled".into());
                }
                Some(c) if c.is_ascii_digit() => {
                    let start = i;
                    while i < b.len() && b[i].is_ascii_digit() {
                        i += 1;
                    }
                    size = s[start..i].parse().unwrap_or(0);
                    if size != 4 && size != 8 {
                        return Err(format!(
                            "invalid type string '{s}'; {size}-byte floating point type is not supported"
                        ));
                    }
                }
                _ => {}
            }
            out.push(Type {
                kind,
                size,
                text: false,
            });
            continue;
        }
        if !matches!(kind, Kind::Named | Kind::Char) {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i > start {
                size = s[start..i].parse().unwrap_or(0);
            } else if i < b.len() && b"CSIL".contains(&b[i]) {
                size = match b[i] {
                    b'C' => 1,
                    b'S' => 2,
                    b'I' => 4,
                    _ => 8,
                };
                i += 1;
            }
            if ![1, 2, 4, 8].contains(&size) {
                return Err(format!(
                    "invalid type string '{s}'; this system doesn't provide a {size}-byte integral type"
                ));
            }
        }
        let text = gnu && b.get(i) == Some(&b'z');
        if text {
            i += 1;
        }
        out.push(Type { kind, size, text });
    }
    Ok(out)
}

pub fn od(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let gnu = ctx.gnu();
    let spec = Spec {
        short: "A:abcdfhij:lN:ost:vxw:",
        long: &[
            ("traditional", 'T'),
            ("address-radix", 'A'),
            ("skip-bytes", 'j'),
            ("read-bytes", 'N'),
            ("format", 't'),
            ("output-duplicates", 'v'),
            ("width", 'w'),
        ],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let mut out = Output::default();
    let floats = o.has('f') || o.value('t').is_some_and(|t| t.contains('f'));
    if floats && gnu {
        out.err(format!(
            "layerbox: {prog} of floating-point numbers is not modelled\n"
        ));
        out.code = 69;
        return out;
    }
    let mut types = Vec::new();
    for (c, v) in &o.flags {
        let t = match c {
            'a' => "a",
            'b' => "o1",
            'c' => "c",
            'h' => "x2",
            // Traditional `-i` and `-l` are C's `int` and `long`: BusyBox reads them as two
            // and four bytes, GNU as four and eight.
            'i' if gnu => "d4",
            'i' => "d2",
            'l' if gnu => "d8",
            'l' => "d4",
            'd' => "u2",
            'o' => "o2",
            's' => "d2",
            'x' => "x2",
            'f' => "fF",
            't' => v.as_deref().unwrap_or(""),
            _ => continue,
        };
        match parse_type(t, gnu) {
            Ok(mut t) => types.append(&mut t),
            Err(m) if m.starts_with("layerbox:") => {
                out.err(format!("{m}\n"));
                out.code = 69;
                return out;
            }
            Err(m) => {
                let m = if gnu { fix_quotes(&m) } else { m };
                out.fail(prog, m, 1);
                return out;
            }
        }
    }
    if types.is_empty() {
        types.push(Type {
            kind: Kind::Octal,
            size: 2,
            text: false,
        });
    }
    let radix = o.value('A').unwrap_or("o");
    if !matches!(radix, "o" | "d" | "x" | "n") {
        let msg = if gnu {
            format!(
                "invalid output address radix '{}'; it must be one character from [doxn]",
                radix
            )
        } else {
            "bad -A".to_string()
        };
        out.fail(prog, msg, 1);
        return out;
    }
    let names: Vec<String> = if o.operands.is_empty() {
        vec!["-".into()]
    } else {
        o.operands.clone()
    };
    let mut data = Vec::new();
    for n in &names {
        match read_input(ctx, n) {
            Ok(d) => data.extend(d),
            Err(e) => {
                out.err(format!("{prog}: {n}: {}\n", e.strerror()));
                out.code = 1;
            }
        }
    }
    if out.code != 0 && data.is_empty() {
        return out;
    }
    let skip = o
        .value('j')
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut data = data.get(skip..).unwrap_or_default().to_vec();
    if let Some(n) = o.value('N').and_then(|v| v.parse::<usize>().ok()) {
        data.truncate(n);
    }
    let per_line = o
        .value('w')
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(16)
        .clamp(1, 4096);
    let addr = |n: usize| -> String {
        match radix {
            "d" => format!("{n:07}"),
            "x" => format!("{n:06x}"),
            "n" => String::new(),
            _ => format!("{n:07o}"),
        }
    };
    let mut text = String::new();
    let mut prev: Option<&[u8]> = None;
    let mut starred = false;
    for (k, chunk) in data.chunks(per_line).enumerate() {
        let at = skip + k * per_line;
        if !o.has('v') && prev == Some(chunk) && chunk.len() == per_line {
            if !starred {
                text.push_str("*\n");
                starred = true;
            }
            continue;
        }
        starred = false;
        prev = Some(chunk);
        for (ti, t) in types.iter().enumerate() {
            text.push_str(&if ti == 0 {
                addr(at)
            } else {
                " ".repeat(addr(0).len())
            });
            // A last, short line is padded with zeros to a multiple of every type's size.
            let mut padded = chunk.to_vec();
            while types.iter().any(|t| padded.len() % t.size != 0) {
                padded.push(0);
            }
            for e in padded.chunks(t.size) {
                text.push_str(&t.element(e));
            }
            if t.text {
                let full = per_line / t.size * t.width();
                let used = padded.len() / t.size * t.width();
                text.push_str(&" ".repeat(full.saturating_sub(used)));
                text.push_str("  >");
                for &b in chunk {
                    text.push(if (0x20..0x7f).contains(&b) {
                        b as char
                    } else {
                        '.'
                    });
                }
                text.push('<');
            }
            text.push('\n');
        }
        if text.len() >= 1 << 16 {
            out.out(std::mem::take(&mut text));
            if out.full() {
                return out;
            }
        }
    }
    if radix != "n" {
        text.push_str(&addr(skip + data.len()));
        text.push('\n');
    }
    out.out(text);
    out
}

/// GNU quotes the type string with ‘’.
fn fix_quotes(m: &str) -> String {
    let mut out = String::new();
    let mut open = true;
    for c in m.chars() {
        if c == '\u{2018}' || c == '\'' {
            out.push(if open { '\u{2018}' } else { '\u{2019}' });
            open = !open;
        } else {
            out.push(c);
        }
    }
    out
}

pub fn hexdump(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    if !ctx.gnu() {
        return crate::dump::hexdump(prog, args, ctx);
    }
    let spec = Spec {
        short: "bcCdoxvn:s:e:f:",
        long: &[
            ("canonical", 'C'),
            ("no-squeezing", 'v'),
            ("length", 'n'),
            ("skip", 's'),
        ],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let mut out = Output::default();
    for c in ['b', 'c', 'd', 'o', 'x', 'e', 'f'] {
        if o.has(c) {
            out.err(format!("layerbox: {prog} -{c} is not modelled\n"));
            out.code = 69;
            return out;
        }
    }
    let names: Vec<String> = if o.operands.is_empty() {
        vec!["-".into()]
    } else {
        o.operands.clone()
    };
    let mut data = Vec::new();
    for n in &names {
        match read_input(ctx, n) {
            Ok(d) => data.extend(d),
            Err(e) => {
                out.err(format!("{prog}: {n}: {}\n", e.strerror()));
                out.code = 1;
            }
        }
    }
    if out.code != 0 && data.is_empty() {
        if ctx.gnu() {
            out.err(format!("{prog}: all input file arguments failed\n"));
        }
        return out;
    }
    let skip = o
        .value('s')
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut data = data.get(skip..).unwrap_or_default().to_vec();
    if let Some(n) = o.value('n').and_then(|v| v.parse::<usize>().ok()) {
        data.truncate(n);
    }
    let canonical = o.has('C');
    let mut text = String::new();
    let mut prev: Option<&[u8]> = None;
    let mut starred = false;
    for (k, chunk) in data.chunks(16).enumerate() {
        let at = skip + k * 16;
        if !o.has('v') && prev == Some(chunk) && chunk.len() == 16 {
            if !starred {
                text.push_str("*\n");
                starred = true;
            }
            continue;
        }
        starred = false;
        prev = Some(chunk);
        if canonical {
            text.push_str(&format!("{at:08x} "));
            for i in 0..16 {
                if i == 8 {
                    text.push(' ');
                }
                match chunk.get(i) {
                    Some(b) => text.push_str(&format!(" {b:02x}")),
                    None => text.push_str("   "),
                }
            }
            text.push_str("  |");
            for &b in chunk {
                text.push(if (0x20..0x7f).contains(&b) {
                    b as char
                } else {
                    '.'
                });
            }
            text.push_str("|\n");
        } else {
            text.push_str(&format!("{at:07x}"));
            let mut padded = chunk.to_vec();
            if padded.len() % 2 == 1 {
                padded.push(0);
            }
            for i in 0..8 {
                match padded.get(2 * i..2 * i + 2) {
                    Some(w) => text.push_str(&format!(" {:04x}", u16::from_le_bytes([w[0], w[1]]))),
                    None => text.push_str("     "),
                }
            }
            text.push('\n');
        }
        if text.len() >= 1 << 16 {
            out.out(std::mem::take(&mut text));
            if out.full() {
                return out;
            }
        }
    }
    if !data.is_empty() {
        let end = skip + data.len();
        text.push_str(&if canonical {
            format!("{end:08x}\n")
        } else {
            format!("{end:07x}\n")
        });
    }
    out.out(text);
    out
}
