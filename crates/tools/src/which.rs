//! BusyBox's `which`: the first executable file of each name on `PATH` (every one with
//! `-a`), as the container side finds a program to run. The Debian host's `which` lives beside
//! the host's program list in `crates/session`.

use layerbox_fstree::{FileSystem, FileType, MAY_EXEC};

use crate::cli::usage_error;
use crate::{Ctx, Output};

/// BusyBox's `which` when `PATH` is unset.
const DEFAULT_PATH: &str = "/sbin:/usr/sbin:/bin:/usr/bin";

pub fn which(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let mut all = false;
    let mut i = 0;
    while let Some(a) = args.get(i).filter(|a| a.starts_with('-') && a.len() > 1) {
        if a == "--" {
            i += 1;
            break;
        }
        for c in a[1..].chars() {
            match c {
                'a' => all = true,
                _ => return usage_error(ctx, prog, Some(&format!("invalid option -- '{c}'")), 1),
            }
        }
        i += 1;
    }
    let names = &args[i..];
    if names.is_empty() {
        return usage_error(ctx, prog, None, 1);
    }
    let path = ctx
        .env
        .get("PATH")
        .cloned()
        .unwrap_or_else(|| DEFAULT_PATH.to_string());
    let mut out = Output::default();
    let executable = |ctx: &Ctx<'_>, p: &str| {
        ctx.fs
            .stat(&ctx.cred, &ctx.abs(p))
            .is_ok_and(|s| s.kind == FileType::File && ctx.cred.may(&s, MAY_EXEC))
    };
    for name in names {
        let mut found = false;
        if name.contains('/') {
            if executable(ctx, name) {
                out.out(format!("{name}\n"));
                found = true;
            }
        } else {
            for dir in path.split(':') {
                let dir = if dir.is_empty() { "." } else { dir };
                let p = format!("{}/{name}", dir.trim_end_matches('/'));
                if executable(ctx, &p) {
                    out.out(format!("{p}\n"));
                    found = true;
                    if !all {
                        break;
                    }
                }
            }
        }
        if !found {
            out.code = 1;
        }
    }
    out
}
