//! `dd`: copy from `if=` (or stdin) to `of=` (or stdout) in blocks (`bs= ibs= obs=`), with
//! `count= skip= seek=`, `conv=notrunc,sync,noerror,fsync` (GNU also `ucase,lcase,excl,nocreat,
//! fdatasync`) and
//! `status=none|noxfer`, and its `N+M records in/out` summary.
//!
//! Emulation note: the summary's third line tells how long the copy took. layerbox's commands
//! take no logical time, so GNU dd's line reads as the real one does when its clock shows no
//! time passing (`0 s, Infinity B/s`); BusyBox's third line is left out, as the Debian build
//! of BusyBox that the recorded cases come from leaves it out.
//! Emulation note: the kernel's devices (`/dev/zero`, `/dev/urandom`) are not in layerbox's
//! filesystems, so `dd` reads only files and stdin.

use layerbox_fstree::{Errno, FileSystem};

use crate::cli::{quote, quote_always, usage_error};
use crate::text::read_input_max;
use crate::{Ctx, Output, MAX_OUTPUT};

/// A number with dd's suffixes (`c w b kB K MB M GB G`, GNU also `xN` products).
fn number(s: &str, gnu: bool) -> Option<u64> {
    if gnu {
        if let Some((a, b)) = s.split_once('x') {
            return number(a, gnu)?.checked_mul(number(b, gnu)?);
        }
    }
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let n: u64 = s[..digits].parse().ok()?;
    let mult: u64 = match &s[digits..] {
        "" | "c" => 1,
        "w" => 2,
        "b" => 512,
        "kB" | "kD" => 1000,
        "K" | "k" | "KiB" => 1024,
        "MB" | "MD" => 1_000_000,
        "M" | "MiB" => 1 << 20,
        "GB" | "GD" => 1_000_000_000,
        "G" | "GiB" => 1 << 30,
        _ => return None,
    };
    n.checked_mul(mult)
}

/// GNU's `human_readable` as dd's summary uses it: one decimal under 10, the unit after a space.
fn human(n: u64, base: f64, units: &[&str]) -> String {
    let mut v = n as f64;
    let mut u = 0;
    while v >= base && u + 1 < units.len() {
        v /= base;
        u += 1;
    }
    if u == 0 {
        return format!("{n} B");
    }
    if v < 10.0 {
        let r = (v * 10.0).round() / 10.0;
        if r >= 10.0 {
            return format!("10 {}", units[u]);
        }
        format!("{r:.1} {}", units[u])
    } else {
        format!("{} {}", v.round() as u64, units[u])
    }
}

pub fn dd(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let gnu = ctx.gnu();
    let mut out = Output::default();
    let (mut input, mut output) = (None::<String>, None::<String>);
    let (mut ibs, mut obs, mut bs) = (512u64, 512u64, None::<u64>);
    let (mut count, mut skip, mut seek) = (None::<u64>, 0u64, 0u64);
    let mut conv: Vec<String> = Vec::new();
    let mut status = String::new();
    for a in args {
        let Some((key, val)) = a.split_once('=') else {
            if gnu {
                let msg = format!("unrecognized operand {}", quote(ctx, a));
                return usage_error(ctx, prog, Some(&msg), 1);
            }
            return usage_error(ctx, prog, None, 1);
        };
        let num = |ctx: &Ctx<'_>| -> Result<u64, Output> {
            number(val, gnu)
                .filter(|n| *n > 0 || !key.ends_with("bs"))
                .ok_or_else(|| {
                    let mut o = Output::default();
                    if gnu {
                        o.fail(prog, format!("invalid number: {}", quote(ctx, val)), 1);
                    } else {
                        o.fail(prog, format!("invalid number '{val}'"), 1);
                    }
                    o
                })
        };
        let r = match key {
            "if" => {
                input = Some(val.to_string());
                Ok(())
            }
            "of" => {
                output = Some(val.to_string());
                Ok(())
            }
            "bs" => num(ctx).map(|n| bs = Some(n)),
            "ibs" => num(ctx).map(|n| ibs = n),
            "obs" => num(ctx).map(|n| obs = n),
            "count" => num(ctx).map(|n| count = Some(n)),
            "skip" | "iseek" => num(ctx).map(|n| skip = n),
            "seek" | "oseek" => num(ctx).map(|n| seek = n),
            "conv" => {
                conv.extend(val.split(',').map(str::to_string));
                Ok(())
            }
            "status" => {
                status = val.to_string();
                Ok(())
            }
            "iflag" | "oflag" | "cbs" => {
                out.err(format!("layerbox: {prog} {key}= is not modelled\n"));
                out.code = 69;
                return out;
            }
            _ => {
                if gnu {
                    let msg = format!("unrecognized operand {}", quote(ctx, a));
                    return usage_error(ctx, prog, Some(&msg), 1);
                }
                return usage_error(ctx, prog, None, 1);
            }
        };
        if let Err(o) = r {
            return o;
        }
    }
    for c in &conv {
        match c.as_str() {
            "notrunc" | "sync" | "fsync" | "noerror" => {}
            "ucase" | "lcase" | "excl" | "nocreat" | "fdatasync" if gnu => {}
            "" if gnu => {}
            other if !gnu && other != "swab" => {
                out.fail(prog, format!("invalid argument '{other}' to 'conv'"), 1);
                return out;
            }
            other => {
                if gnu
                    && !matches!(
                        other,
                        "swab" | "ascii" | "ebcdic" | "ibm" | "block" | "unblock" | "sparse"
                    )
                {
                    out.fail(
                        prog,
                        format!("invalid conversion: {}", quote(ctx, other)),
                        1,
                    );
                    let mut u = usage_error(ctx, prog, None, 1);
                    out.err(std::mem::take(&mut u.stderr));
                    return out;
                }
                out.err(format!("layerbox: {prog} conv={other} is not modelled\n"));
                out.code = 69;
                return out;
            }
        }
    }
    if !matches!(status.as_str(), "" | "none" | "noxfer" | "progress") {
        if gnu {
            let msg = format!("invalid status level: {}", quote(ctx, &status));
            return usage_error(ctx, prog, Some(&msg), 1);
        } else {
            out.fail(prog, format!("invalid argument '{status}' to 'status'"), 1);
        }
        return out;
    }
    let has = |c: &str| conv.iter().any(|x| x == c);
    if let Some(b) = bs {
        ibs = b;
        obs = b;
    }
    let in_name = input.clone().unwrap_or_else(|| "-".to_string());
    // Of an endless device (`if=/dev/zero`), only what `skip` and `count` take is read.
    let wanted = count.map_or(layerbox_fstree::ENDLESS_READ, |c| {
        let blocks = skip.saturating_add(c).saturating_mul(ibs);
        usize::try_from(blocks).map_or(layerbox_fstree::ENDLESS_READ, |b| {
            b.min(layerbox_fstree::ENDLESS_READ)
        })
    });
    let data = match read_input_max(ctx, &in_name, wanted) {
        Ok(d) => d,
        Err(e) => {
            if gnu {
                out.fail(
                    prog,
                    format!(
                        "failed to open {}: {}",
                        quote_always(&in_name),
                        e.strerror()
                    ),
                    1,
                );
            } else {
                out.fail(prog, format!("can't open '{in_name}': {}", e.strerror()), 1);
            }
            return out;
        }
    };
    let start = skip.saturating_mul(ibs).min(data.len() as u64) as usize;
    let mut rest = &data[start..];
    let (mut in_full, mut in_part) = (0u64, 0u64);
    let mut copied: Vec<u8> = Vec::new();
    // With `bs=` each block is written as it was read: full if it is `obs` long.
    let (mut bs_full, mut bs_part) = (0u64, 0u64);
    while !rest.is_empty() && count.is_none_or(|c| in_full + in_part < c) {
        let n = (ibs as usize).min(rest.len());
        let mut block = rest[..n].to_vec();
        rest = &rest[n..];
        if n as u64 == ibs {
            in_full += 1;
        } else {
            in_part += 1;
            if has("sync") {
                block.resize(ibs as usize, 0);
            }
        }
        if has("ucase") {
            block.make_ascii_uppercase();
        } else if has("lcase") {
            block.make_ascii_lowercase();
        }
        if block.len() as u64 == obs {
            bs_full += 1;
        } else {
            bs_part += 1;
        }
        copied.extend_from_slice(&block);
        if copied.len() > MAX_OUTPUT {
            out.err(format!(
                "layerbox: {prog}: a copy past 64 MiB is not modelled (layerbox limit)\n"
            ));
            out.code = 1;
            return out;
        }
    }
    let (mut out_full, mut out_part) = if bs.is_some() {
        (bs_full, bs_part)
    } else {
        let total = copied.len() as u64;
        (total / obs, u64::from(!total.is_multiple_of(obs)))
    };
    match &output {
        None => out.out(&copied),
        Some(name) => {
            let path = ctx.abs(name);
            let old = match ctx.fs.read_file(&ctx.cred, &path) {
                Ok(c) => Some(c.to_vec()),
                Err(Errno::ENOENT) => None,
                Err(e) => {
                    report_open(ctx, prog, name, e, &mut out);
                    return out;
                }
            };
            if old.is_some() && has("excl") {
                report_open(ctx, prog, name, Errno::EEXIST, &mut out);
                return out;
            }
            if old.is_none() && has("nocreat") {
                report_open(ctx, prog, name, Errno::ENOENT, &mut out);
                return out;
            }
            let at = seek.saturating_mul(obs);
            let mut file = old.unwrap_or_default();
            if !has("notrunc") {
                file.truncate(at.min(file.len() as u64) as usize);
            }
            let end = at.saturating_add(copied.len() as u64);
            if end > MAX_OUTPUT as u64 {
                out.err(format!(
                    "layerbox: {prog}: a file past 64 MiB is not modelled (layerbox limit)\n"
                ));
                out.code = 1;
                return out;
            }
            if (file.len() as u64) < end {
                file.resize(end as usize, 0);
            }
            file[at as usize..end as usize].copy_from_slice(&copied);
            let mode = 0o666 & !ctx.umask;
            match ctx.fs.write_file(&ctx.cred, &path, &file, mode, ctx.now) {
                Ok(()) => {}
                // The disk fills up during the copy (when it is a plain one): the blocks that
                // fit are written, the write of the next one fails.
                Err(Errno::ENOSPC) if !has("notrunc") => {
                    let before = &file[..at as usize];
                    if let Err(e) = ctx.fs.write_file(&ctx.cred, &path, before, mode, ctx.now) {
                        report_open(ctx, prog, name, e, &mut out);
                        return out;
                    }
                    let room = ctx.fs.room_at(&ctx.cred, &path).unwrap_or(0);
                    let fits = room.min(copied.len() as u64);
                    let _ = ctx.fs.append_file(
                        &ctx.cred,
                        &path,
                        &copied[..fits as usize],
                        mode,
                        ctx.now,
                    );
                    out_full = fits / obs;
                    out_part = u64::from(!fits.is_multiple_of(obs));
                    // Read: what was written, and the block whose write failed.
                    let read = (out_full + out_part + 1).min(in_full + in_part);
                    in_part = in_part.min(read);
                    in_full = read - in_part;
                    let what = if gnu {
                        quote_always(name)
                    } else {
                        format!("'{name}'")
                    };
                    out.fail(
                        prog,
                        format!("error writing {what}: {}", Errno::ENOSPC.strerror()),
                        1,
                    );
                }
                Err(e) => {
                    report_open(ctx, prog, name, e, &mut out);
                    return out;
                }
            }
        }
    }
    if status != "none" {
        out.err(format!(
            "{in_full}+{in_part} records in\n{out_full}+{out_part} records out\n"
        ));
        if gnu && status != "noxfer" {
            let n = copied.len() as u64;
            let si = human(n, 1000.0, &["B", "kB", "MB", "GB", "TB"]);
            let iec = human(n, 1024.0, &["B", "KiB", "MiB", "GiB", "TiB"]);
            let what = if n == 1 {
                "1 byte copied".to_string()
            } else if si.ends_with(" B") {
                format!("{n} bytes copied")
            } else if iec.ends_with(" B") {
                format!("{n} bytes ({si}) copied")
            } else {
                format!("{n} bytes ({si}, {iec}) copied")
            };
            out.err(format!("{what}, 0 s, Infinity B/s\n"));
        }
    }
    out
}

fn report_open(ctx: &Ctx<'_>, prog: &str, name: &str, e: Errno, out: &mut Output) {
    if ctx.gnu() {
        out.fail(
            prog,
            format!("failed to open {}: {}", quote_always(name), e.strerror()),
            1,
        );
    } else {
        out.fail(prog, format!("can't open '{name}': {}", e.strerror()), 1);
    }
}
