//! Tools that only compute paths: `pwd`, `basename`, `dirname`.

use crate::cli::{missing_operand, parse_operands, parse_or_usage, Spec};
use crate::{Ctx, Output};

pub fn pwd(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let spec = Spec {
        short: "LP",
        long: &[("logical", 'L'), ("physical", 'P')],
    };
    if let Err(out) = parse_or_usage(ctx, prog, args, &spec, 1) {
        return out;
    }
    let mut out = Output::default();
    out.out(format!("{}\n", ctx.cwd));
    out
}

pub fn basename(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let spec = Spec {
        short: "+as:z",
        long: &[("multiple", 'a'), ("suffix", 's'), ("zero", 'z')],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let ops = &o.operands;
    if ops.is_empty() {
        return missing_operand(ctx, prog);
    }
    let multiple = o.has('a') || o.has('s');
    let (names, suffix): (Vec<&String>, Option<&str>) = if multiple {
        (ops.iter().collect(), o.value('s'))
    } else if ops.len() > 2 {
        if ctx.gnu() {
            return crate::cli::usage_error(
                ctx,
                prog,
                Some(&format!(
                    "extra operand {}",
                    crate::cli::quote(ctx, &ops[2])
                )),
                1,
            );
        }
        return crate::cli::usage_error(ctx, prog, None, 1);
    } else {
        (vec![&ops[0]], ops.get(1).map(String::as_str))
    };
    let mut out = Output::default();
    for n in names {
        let mut b = crate::cli::base_name(n).to_string();
        if let Some(s) = suffix {
            if !s.is_empty() && b.len() > s.len() && b.ends_with(s) {
                b.truncate(b.len() - s.len());
            }
        }
        out.out(format!("{b}\n"));
    }
    out
}

/// `dirname(3)`-style parent of a path as text: `a/b/` is `a`, `a` is `.`, `/` is `/`.
pub fn dir_name(p: &str) -> String {
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return if p.starts_with('/') { "/" } else { "." }.to_string();
    }
    match t.rfind('/') {
        None => ".".to_string(),
        Some(i) => {
            let d = t[..i].trim_end_matches('/');
            if d.is_empty() {
                "/".to_string()
            } else {
                d.to_string()
            }
        }
    }
}

pub fn dirname(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let spec = Spec {
        short: "z",
        long: &[("zero", 'z')],
    };
    let o = match parse_operands(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    if !ctx.gnu() && o.operands.len() > 1 {
        return crate::cli::usage_error(ctx, prog, None, 1);
    }
    let mut out = Output::default();
    for n in &o.operands {
        out.out(format!("{}\n", dir_name(n)));
    }
    out
}

/// BusyBox's `cp_mv_stat` message (its build has FEATURE_VERBOSE_CP_MESSAGE, recorded).
pub(crate) fn cant_stat(path: &str, e: layerbox_fstree::Errno) -> String {
    if e == layerbox_fstree::Errno::ENOTDIR {
        format!("can't stat '{path}': Path has non-directory component")
    } else {
        format!("can't stat '{path}': {e}")
    }
}
