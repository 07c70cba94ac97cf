//! `truncate -s SIZE FILE...`: a file cut or extended with zeros to a size (GNU's `+ - < > / %`
//! relative sizes and its suffixes; BusyBox's `k M G`), created unless `-c`.

use layerbox_fstree::{Errno, FileSystem};

use crate::cli::{parse_or_usage, quote, usage_error, Spec};
use crate::{Ctx, Output};

/// The largest size layerbox lets a file grow to this way.
/// Emulation note: the real `truncate` makes sparse files of any size; layerbox keeps every
/// byte, so it refuses sizes past this and says so.
const MAX_SIZE: u64 = 64 << 20;

/// A size with its suffix: GNU's `K M G T P E` (powers of 1024, `KB`... powers of 1000, `KiB`...),
/// BusyBox's `k M G`.
fn parse_size(s: &str, gnu: bool) -> Option<u64> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let n: u64 = s[..digits].parse().ok()?;
    let suffix = &s[digits..];
    let mult: u64 = if gnu {
        let (unit, rest) = suffix.split_at(suffix.len().min(1));
        let pow = match unit {
            "" => return Some(n),
            "K" | "k" => 1,
            "M" => 2,
            "G" => 3,
            "T" => 4,
            "P" => 5,
            "E" => 6,
            _ => return None,
        };
        let base: u64 = match rest {
            "" | "iB" => 1024,
            "B" => 1000,
            _ => return None,
        };
        base.checked_pow(pow)?
    } else {
        match suffix {
            "" => 1,
            "k" | "K" => 1024,
            "M" => 1 << 20,
            "G" => 1 << 30,
            _ => return None,
        }
    };
    n.checked_mul(mult)
}

pub fn truncate(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let gnu = ctx.gnu();
    let spec = Spec {
        short: if gnu { "cor:s:" } else { "cs:" },
        long: &[
            ("no-create", 'c'),
            ("io-blocks", 'o'),
            ("reference", 'r'),
            ("size", 's'),
        ],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let mut out = Output::default();
    for c in ['o', 'r'] {
        if o.has(c) {
            out.err(format!("layerbox: {prog} -{c} is not modelled\n"));
            out.code = 69;
            return out;
        }
    }
    let Some(size) = o.value('s') else {
        if gnu {
            return usage_error(
                ctx,
                prog,
                Some(&format!(
                    "you must specify either {} or {}",
                    quote(ctx, "--size"),
                    quote(ctx, "--reference")
                )),
                1,
            );
        }
        return usage_error(ctx, prog, None, 1);
    };
    if o.operands.is_empty() {
        if gnu {
            return usage_error(ctx, prog, Some("missing file operand"), 1);
        }
        return usage_error(ctx, prog, None, 1);
    }
    let (mode, rest) = match size.chars().next() {
        Some(c @ ('+' | '-' | '<' | '>' | '/' | '%')) if gnu => (c, &size[1..]),
        _ => ('=', size),
    };
    let Some(n) = parse_size(rest, gnu) else {
        if gnu {
            out.fail(prog, format!("Invalid number: {}", quote(ctx, size)), 1);
        } else {
            out.fail(prog, format!("invalid number '{size}'"), 1);
        }
        return out;
    };
    if matches!(mode, '/' | '%') && n == 0 {
        out.fail(prog, "division by zero", 1);
        return out;
    }
    for name in &o.operands {
        let path = ctx.abs(name);
        let old = match ctx.fs.read_file(&ctx.cred, &path) {
            Ok(c) => Some(c.to_vec()),
            Err(Errno::ENOENT) => None,
            Err(e) => {
                report(ctx, prog, name, e, &mut out);
                continue;
            }
        };
        if old.is_none() && o.has('c') {
            continue;
        }
        let mut data = old.unwrap_or_default();
        let cur = data.len() as u64;
        let want = match mode {
            '+' => cur.saturating_add(n),
            '-' => cur.saturating_sub(n),
            '<' => cur.min(n),
            '>' => cur.max(n),
            '/' => cur / n * n,
            '%' => cur.div_ceil(n).saturating_mul(n),
            _ => n,
        };
        if want > MAX_SIZE {
            out.err(format!(
                "layerbox: {prog}: {name}: a size past 64 MiB is not modelled (layerbox limit)\n"
            ));
            out.code = 1;
            continue;
        }
        data.resize(want as usize, 0);
        if let Err(e) = ctx
            .fs
            .write_file(&ctx.cred, &path, &data, 0o666 & !ctx.umask, ctx.now)
        {
            report(ctx, prog, name, e, &mut out);
        }
    }
    out
}

fn report(ctx: &Ctx<'_>, prog: &str, name: &str, e: Errno, out: &mut Output) {
    if ctx.gnu() {
        out.err(format!(
            "{prog}: cannot open {} for writing: {}\n",
            crate::cli::quote_always(name),
            e.strerror()
        ));
    } else {
        out.err(format!("{prog}: {name}: open: {}\n", e.strerror()));
    }
    out.code = 1;
}
