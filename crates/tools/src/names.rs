//! Tools that answer with a path name: `realpath` (the canonical path, through the
//! filesystem's own resolution) and `mktemp` (a new file or directory from a template).
//!
//! Emulation note: the real `mktemp` fills the `X`s at random; layerbox derives them from the
//! logical clock, the template and the attempt, so a session replays the same names, which
//! still have the real shape (the template's letters, `/tmp/tmp.` and six or ten of them).

use layerbox_fstree::{Errno, FileSystem};

use crate::cli::{parse_or_usage, quote, usage_error, Spec};
use crate::{Ctx, Output};

pub fn realpath(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let gnu = ctx.gnu();
    let spec = Spec {
        short: if gnu { "emLPqsz" } else { "" },
        long: &[
            ("canonicalize-existing", 'e'),
            ("canonicalize-missing", 'm'),
            ("logical", 'L'),
            ("physical", 'P'),
            ("quiet", 'q'),
            ("strip", 's'),
            ("no-symlinks", 's'),
            ("zero", 'z'),
        ],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    if o.operands.is_empty() {
        return if gnu {
            usage_error(ctx, prog, Some("missing operand"), 1)
        } else {
            usage_error(ctx, prog, None, 1)
        };
    }
    for c in ['L', 's'] {
        if o.has(c) {
            let mut out = Output::default();
            out.err(format!("layerbox: {prog} -{c} is not modelled\n"));
            out.code = 69;
            return out;
        }
    }
    let mut out = Output::default();
    let end = if o.has('z') { "\0" } else { "\n" };
    for n in &o.operands {
        let p = ctx.abs(n);
        let r = if o.has('m') {
            Ok(lexical(&p))
        } else if !gnu {
            busybox_realpath(ctx, n)
        } else {
            match ctx.fs.resolve(&ctx.cred, &p, true) {
                Ok(r) if r.stat.is_none() && (!gnu || o.has('e')) => Err(Errno::ENOENT),
                Ok(r) => Ok(r.path),
                Err(e) => Err(e),
            }
        };
        match r {
            Ok(t) => out.out(format!("{t}{end}")),
            Err(e) => {
                if !o.has('q') {
                    out.err(format!("{prog}: {n}: {}\n", e.strerror()));
                }
                out.code = 1;
            }
        }
    }
    out
}

/// BusyBox's `xmalloc_realpath_coreutils`: the whole path must exist, except that a last
/// component after a `/` may be missing.
fn busybox_realpath(ctx: &Ctx<'_>, name: &str) -> Result<String, Errno> {
    realpath_coreutils(ctx, name, 0)
}

/// How many dangling links `realpath` follows by their text before it gives up.
/// Emulation note: BusyBox recurses without a bound; a chain this long ends in ELOOP.
const MAX_DANGLING: usize = 40;

/// BusyBox's `xmalloc_realpath_coreutils` (libbb/xreadlink.c): the real path, or, when that
/// fails with ENOENT, the target of a dangling link (a relative target taken from the working
/// directory, not the link's), or else the real path of the parent with the last name added.
fn realpath_coreutils(ctx: &Ctx<'_>, name: &str, depth: usize) -> Result<String, Errno> {
    let p = ctx.abs(name);
    match ctx.fs.resolve(&ctx.cred, &p, true) {
        Ok(r) if r.stat.is_some() => return Ok(r.path),
        Ok(_) | Err(Errno::ENOENT) => {}
        Err(e) => return Err(e),
    }
    if let Ok(target) = ctx.fs.readlink(&ctx.cred, &p) {
        if depth >= MAX_DANGLING {
            return Err(Errno::ELOOP);
        }
        let target = ctx.abs(&target);
        return realpath_coreutils(ctx, &target, depth + 1);
    }
    // Leading `//` and trailing slashes do not count.
    let mut path = name;
    while path.starts_with("//") {
        path = &path[1..];
    }
    let b = path.as_bytes();
    if b.is_empty() {
        return Err(Errno::ENOENT);
    }
    let mut i = b.len() - 1;
    while i > 0 && b[i] == b'/' {
        i -= 1;
    }
    let path = &path[..=i];
    match path.rfind('/') {
        Some(0) => Ok(path.to_string()),
        Some(i) => {
            let dir = &path[..i];
            let r = ctx.fs.resolve(&ctx.cred, &ctx.abs(dir), true)?;
            if r.stat.is_none() {
                return Err(Errno::ENOENT);
            }
            Ok(crate::cli::join_display(&r.path, &path[i + 1..]))
        }
        None => Err(Errno::ENOENT),
    }
}

/// `realpath -m`: `.` and `..` resolved by the text alone, where nothing exists.
fn lexical(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    format!("/{}", parts.join("/"))
}

const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// The template with its trailing `X`s filled for attempt `n`.
fn fill(template: &str, xs: usize, seed: u64, n: u64) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed ^ n.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for b in template.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    let mut s = template[..template.len() - xs].to_string();
    for _ in 0..xs {
        h ^= h >> 29;
        h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
        s.push(char::from(LETTERS[(h >> 33) as usize % LETTERS.len()]));
    }
    s
}

pub fn mktemp(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let gnu = ctx.gnu();
    let spec = Spec {
        short: "dqtp:u",
        long: &[
            ("directory", 'd'),
            ("quiet", 'q'),
            ("dry-run", 'u'),
            ("tmpdir", 'p'),
        ],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let mut out = Output::default();
    if o.operands.len() > 1 {
        if gnu {
            return usage_error(ctx, prog, Some("too many templates"), 1);
        }
        return usage_error(ctx, prog, None, 1);
    }
    let tmpdir = ctx
        .env
        .get("TMPDIR")
        .filter(|v| !v.is_empty())
        .cloned()
        .unwrap_or_else(|| "/tmp".to_string());
    let (mut template, in_dir) = match o.operands.first() {
        Some(t) => (t.clone(), o.has('t') || o.has('p')),
        None => (
            if gnu { "tmp.XXXXXXXXXX" } else { "tmp.XXXXXX" }.to_string(),
            true,
        ),
    };
    if gnu && o.has('t') && template.contains('/') {
        let msg = format!(
            "invalid template, {}, contains directory separator",
            quote(ctx, &template)
        );
        out.fail(prog, msg, 1);
        return out;
    }
    if in_dir {
        let dir = o
            .value('p')
            .filter(|p| !p.is_empty() || !gnu)
            .map_or(tmpdir, str::to_string);
        let dir = if o.has('t') && gnu {
            ctx.env
                .get("TMPDIR")
                .filter(|v| !v.is_empty())
                .cloned()
                .unwrap_or_else(|| "/tmp".into())
        } else {
            dir
        };
        template = crate::cli::join_display(&dir, &template);
    }
    let xs = template.bytes().rev().take_while(|&b| b == b'X').count();
    let min = if gnu { 3 } else { 6 };
    if xs < min {
        if o.has('q') {
            out.code = 1;
            return out;
        }
        if gnu {
            out.fail(
                prog,
                format!("too few X's in template {}", quote(ctx, &template)),
                1,
            );
        } else {
            // Emulation note: BusyBox prints a null message here (glibc shows `(null)`).
            out.fail(prog, "(null): Invalid argument", 1);
        }
        return out;
    }
    let seed = ctx.now ^ (u64::from(ctx.cred.uid) << 32);
    for attempt in 0..100 {
        let name = fill(&template, xs, seed, attempt);
        let path = ctx.abs(&name);
        if ctx.fs.lstat(&ctx.cred, &path).is_ok() {
            continue;
        }
        let made = if o.has('u') {
            Ok(())
        } else if o.has('d') {
            ctx.fs.mkdir(&ctx.cred, &path, 0o700, ctx.now)
        } else {
            ctx.fs.write_file(&ctx.cred, &path, b"", 0o600, ctx.now)
        };
        match made {
            Ok(()) => {
                out.out(format!("{name}\n"));
            }
            Err(e) => {
                if !o.has('q') {
                    if gnu {
                        let what = if o.has('d') { "directory" } else { "file" };
                        out.err(format!(
                            "{prog}: failed to create {what} via template {}: {}\n",
                            quote(ctx, &template),
                            e.strerror()
                        ));
                    } else {
                        out.err(format!("{prog}: (null): {}\n", e.strerror()));
                    }
                }
                out.code = 1;
            }
        }
        return out;
    }
    out.fail(
        prog,
        "layerbox: no free name for the template (layerbox limit)",
        1,
    );
    out
}
