//! `install`: copy files and give them a mode (0755 unless `-m`), an owner (`-o`) and a group
//! (`-g`); `-d` makes directories, `-D` the leading directories of the destination, `-t DIR`
//! names the directory. GNU coreutils' on the host; in containers BusyBox's, which Debian's
//! busybox lacks, so its words follow BusyBox 1.36's `coreutils/install.c` and libbb's
//! `copy_file` and `bb_make_directory`.

use layerbox_fstree::passwd::Accounts;
use layerbox_fstree::{Cred, Errno, FileSystem, FileType};

use crate::attrs::parse_mode;
use crate::cli::{base_name, join_display, parse_or_usage, quote, quote_always, usage_error, Spec};
use crate::{Ctx, Output};

pub fn install(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let gnu = ctx.gnu();
    let spec = Spec {
        short: "bcCdDg:m:o:pst:Tv",
        long: &[
            ("directory", 'd'),
            ("group", 'g'),
            ("mode", 'm'),
            ("owner", 'o'),
            ("preserve-timestamps", 'p'),
            ("strip", 's'),
            ("target-directory", 't'),
            ("no-target-directory", 'T'),
            ("verbose", 'v'),
        ],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let mut out = Output::default();
    for c in ['s', 'b', 'C', 'T'] {
        if o.has(c) {
            out.err(format!("layerbox: {prog} -{c} is not modelled\n"));
            out.code = 69;
            return out;
        }
    }
    let mode = match o.value('m') {
        None => 0o755,
        Some(m) => match parse_mode(m, 0o755, false, 0) {
            Some(v) => v & 0o7777,
            None => {
                if gnu {
                    out.fail(prog, format!("invalid mode {}", quote(ctx, m)), 1);
                } else {
                    out.fail(prog, format!("invalid mode '{m}'"), 1);
                }
                return out;
            }
        },
    };
    let accounts = Accounts::read(&*ctx.fs, &Cred::root());
    let uid = match o.value('o') {
        None => None,
        Some(u) => match accounts.getpwnam(u).map(|p| p.uid).or(u.parse().ok()) {
            Some(id) => Some(id),
            None => {
                if gnu {
                    out.fail(prog, format!("invalid user {}", quote(ctx, u)), 1);
                } else {
                    out.fail(prog, format!("unknown user {u}"), 1);
                }
                return out;
            }
        },
    };
    let gid = match o.value('g') {
        None => None,
        Some(g) => match accounts.getgrnam(g).map(|p| p.gid).or(g.parse().ok()) {
            Some(id) => Some(id),
            None => {
                if gnu {
                    out.fail(prog, format!("invalid group {}", quote(ctx, g)), 1);
                } else {
                    out.fail(prog, format!("unknown group {g}"), 1);
                }
                return out;
            }
        },
    };
    let ops = o.operands.clone();
    let verbose = o.has('v');
    if o.has('d') {
        if ops.is_empty() {
            return missing(ctx, prog, None);
        }
        for d in &ops {
            let path = ctx.abs(d);
            if let Err(e) = make_dirs(ctx, &path) {
                if gnu {
                    out.err(format!(
                        "{prog}: cannot create directory {}: {}\n",
                        quote_always(d),
                        e.strerror()
                    ));
                } else {
                    out.err(format!(
                        "{prog}: can't create directory '{d}': {}\n",
                        e.strerror()
                    ));
                }
                out.code = 1;
                continue;
            }
            if verbose && gnu {
                out.out(format!("{prog}: creating directory {}\n", quote_always(d)));
            }
            finish(ctx, prog, d, mode, uid, gid, &mut out);
        }
        return out;
    }
    let (sources, target, into_dir) = match o.value('t') {
        Some(t) => (ops.clone(), t.to_string(), true),
        None => {
            if ops.is_empty() {
                return missing(ctx, prog, None);
            }
            if ops.len() == 1 {
                return missing(ctx, prog, Some(&ops[0]));
            }
            let (last, rest) = ops
                .split_last()
                .map_or((String::new(), Vec::new()), |(l, r)| {
                    (l.clone(), r.to_vec())
                });
            let is_dir = ctx
                .fs
                .stat(&ctx.cred, &ctx.abs(&last))
                .is_ok_and(|s| s.kind == FileType::Dir);
            if rest.len() > 1 && !is_dir && !o.has('D') {
                let mut u = Output::default();
                if gnu {
                    u.fail(
                        prog,
                        format!("target {}: Not a directory", quote_always(&last)),
                        1,
                    );
                } else {
                    u.fail(prog, format!("'{last}' is not a directory"), 1);
                }
                return u;
            }
            (rest, last, is_dir)
        }
    };
    if o.has('D') {
        let lead = if into_dir {
            ctx.abs(&target)
        } else {
            let p = ctx.abs(&target);
            match p.rfind('/') {
                Some(0) | None => "/".to_string(),
                Some(i) => p[..i].to_string(),
            }
        };
        let _ = make_dirs(ctx, &lead);
    }
    for src in &sources {
        let dest = if into_dir {
            join_display(&target, base_name(src))
        } else {
            target.clone()
        };
        let st = match ctx.fs.stat(&ctx.cred, &ctx.abs(src)) {
            Ok(st) => st,
            Err(e) => {
                if gnu {
                    out.err(format!(
                        "{prog}: cannot stat {}: {}\n",
                        quote_always(src),
                        e.strerror()
                    ));
                } else {
                    out.err(format!("{prog}: can't stat '{src}': {}\n", e.strerror()));
                }
                out.code = 1;
                continue;
            }
        };
        if st.kind == FileType::Dir {
            out.err(format!(
                "{prog}: omitting directory {}\n",
                quote_always(src)
            ));
            out.code = 1;
            continue;
        }
        let data = match ctx.fs.read_file(&ctx.cred, &ctx.abs(src)) {
            Ok(d) => d.to_vec(),
            Err(e) => {
                out.err(format!(
                    "{prog}: cannot open {} for reading: {}\n",
                    quote_always(src),
                    e.strerror()
                ));
                out.code = 1;
                continue;
            }
        };
        let dpath = ctx.abs(&dest);
        // install replaces the destination rather than writing into it.
        let _ = ctx.fs.unlink(&ctx.cred, &dpath, ctx.now);
        if let Err(e) = ctx.fs.write_file(&ctx.cred, &dpath, &data, 0o600, ctx.now) {
            if gnu {
                out.err(format!(
                    "{prog}: cannot create regular file {}: {}\n",
                    quote_always(&dest),
                    e.strerror()
                ));
            } else {
                out.err(format!("{prog}: can't create '{dest}': {}\n", e.strerror()));
            }
            out.code = 1;
            continue;
        }
        if o.has('p') {
            let _ = ctx.fs.set_mtime(&ctx.cred, &dpath, st.mtime);
        }
        if verbose {
            out.out(format!(
                "{} -> {}\n",
                quote_always(src),
                quote_always(&dest)
            ));
        }
        finish(ctx, prog, &dest, mode, uid, gid, &mut out);
    }
    out
}

fn missing(ctx: &Ctx<'_>, prog: &str, after: Option<&str>) -> Output {
    if !ctx.gnu() {
        return usage_error(ctx, prog, None, 1);
    }
    let msg = match after {
        Some(a) => format!("missing destination file operand after {}", quote_always(a)),
        None => "missing file operand".to_string(),
    };
    usage_error(ctx, prog, Some(&msg), 1)
}

/// `mkdir -p`, each new directory 0755.
fn make_dirs(ctx: &mut Ctx<'_>, path: &str) -> Result<(), Errno> {
    let mut cur = String::new();
    for part in path.split('/').filter(|p| !p.is_empty()) {
        cur.push('/');
        cur.push_str(part);
        match ctx.fs.stat(&ctx.cred, &cur) {
            Ok(st) if st.kind == FileType::Dir => continue,
            Ok(_) => return Err(Errno::EEXIST),
            Err(Errno::ENOENT) => ctx.fs.mkdir(&ctx.cred, &cur, 0o755, ctx.now)?,
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// The mode (always) and the owner and group (when given) of what was installed.
fn finish(
    ctx: &mut Ctx<'_>,
    prog: &str,
    name: &str,
    mode: u32,
    uid: Option<u32>,
    gid: Option<u32>,
    out: &mut Output,
) {
    let path = ctx.abs(name);
    if uid.is_some() || gid.is_some() {
        if let Err(e) = ctx.fs.chown(&ctx.cred, &path, uid, gid) {
            if ctx.gnu() {
                out.err(format!(
                    "{prog}: cannot change ownership of {}: {}\n",
                    quote_always(name),
                    e.strerror()
                ));
            } else {
                out.err(format!(
                    "{prog}: can't change ownership of {name}: {}\n",
                    e.strerror()
                ));
            }
            out.code = 1;
        }
    }
    if let Err(e) = ctx.fs.chmod(&ctx.cred, &path, mode) {
        if ctx.gnu() {
            out.err(format!(
                "{prog}: cannot change permissions of {}: {}\n",
                quote_always(name),
                e.strerror()
            ));
        } else {
            out.err(format!(
                "{prog}: can't change permissions of {name}: {}\n",
                e.strerror()
            ));
        }
        out.code = 1;
    }
}
