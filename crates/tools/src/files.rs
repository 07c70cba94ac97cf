//! Tools that create, remove and move names: `rmdir`, `rm`, `touch`, `cp`, `mv`, `ln` (`mkdir`
//! is in `mkdir.rs`).

use layerbox_fstree::{path as fpath, Errno, FileSystem, FileType, Stat};

use crate::cli::{
    base_name, join_display, missing_operand, parse_operands, parse_or_usage, quote_always, Spec,
};
use crate::{Ctx, Output};

pub fn rmdir(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let spec = Spec {
        short: "pv",
        long: &[
            ("parents", 'p'),
            ("verbose", 'v'),
            ("ignore-fail-on-non-empty", 'I'),
        ],
    };
    let o = match parse_operands(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let mut out = Output::default();
    for d in &o.operands {
        let mut cur = d.trim_end_matches('/').to_string();
        if cur.is_empty() {
            cur = d.clone();
        }
        loop {
            let r = ctx.fs.rmdir(&ctx.cred, &ctx.abs(&cur), ctx.now);
            if let Err(e) = r {
                if !(o.has('I') && e == Errno::ENOTEMPTY) {
                    let msg = if ctx.gnu() {
                        format!("failed to remove {}: {e}", quote_always(&cur))
                    } else {
                        format!("'{cur}': {e}")
                    };
                    out.fail(prog, msg, 1);
                }
                break;
            }
            if !o.has('p') {
                break;
            }
            match cur.rfind('/') {
                Some(0) | None => break,
                Some(i) => cur.truncate(i),
            }
            cur = cur.trim_end_matches('/').to_string();
            if cur.is_empty() {
                break;
            }
        }
    }
    out
}

pub fn rm(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let spec = Spec {
        short: "rRfiIdv",
        long: &[
            ("recursive", 'r'),
            ("force", 'f'),
            ("dir", 'd'),
            ("verbose", 'v'),
            ("no-preserve-root", 'N'),
            ("preserve-root", 'P'),
        ],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let force = o.has('f');
    let recursive = o.has('r') || o.has('R');
    if o.operands.is_empty() {
        if force {
            return Output::default();
        }
        return missing_operand(ctx, prog);
    }
    let mut out = Output::default();
    for name in &o.operands {
        let b = base_name(name);
        if b == "." || b == ".." {
            let msg = if ctx.gnu() {
                format!(
                    "refusing to remove '.' or '..' directory: skipping {}",
                    quote_always(name)
                )
            } else {
                "can't remove '.' or '..'".to_string()
            };
            out.fail(prog, msg, 1);
            continue;
        }
        let path = ctx.abs(name);
        if recursive && ctx.gnu() && !o.has('N') {
            if let Ok(r) = ctx.fs.resolve(&ctx.cred, &path, true) {
                if r.path == "/" {
                    out.fail(
                        prog,
                        format!(
                            "it is dangerous to operate recursively on {}",
                            quote_always(name)
                        ),
                        1,
                    );
                    out.fail(prog, "use --no-preserve-root to override this failsafe", 1);
                    continue;
                }
            }
        }
        let st = match ctx.fs.lstat(&ctx.cred, &path) {
            Ok(st) => st,
            Err(e) => {
                if !ctx.gnu() && e != Errno::ENOENT {
                    // BusyBox's remove_file: an lstat that fails for another reason.
                    out.fail(prog, format!("can't stat '{name}': {e}"), 1);
                } else if !(force && e == Errno::ENOENT) {
                    rm_error(ctx, prog, name, e, &mut out);
                }
                continue;
            }
        };
        if st.is_dir() && !recursive {
            if o.has('d') {
                if let Err(e) = ctx.fs.rmdir(&ctx.cred, &path, ctx.now) {
                    rm_error(ctx, prog, name, e, &mut out);
                }
                continue;
            }
            let msg = if ctx.gnu() {
                format!("cannot remove {}: Is a directory", quote_always(name))
            } else {
                format!("'{name}' is a directory")
            };
            out.fail(prog, msg, 1);
            continue;
        }
        remove_tree(ctx, prog, name, &path, st, &mut out);
    }
    out
}

fn rm_error(ctx: &Ctx<'_>, prog: &str, name: &str, e: Errno, out: &mut Output) {
    let msg = if ctx.gnu() {
        format!("cannot remove {}: {e}", quote_always(name))
    } else {
        format!("can't remove '{name}': {e}")
    };
    out.fail(prog, msg, 1);
}

/// Remove `path` and everything below it, reporting each failure by its displayed name;
/// returns whether everything went.
fn remove_tree(
    ctx: &mut Ctx<'_>,
    prog: &str,
    name: &str,
    path: &str,
    st: Stat,
    out: &mut Output,
) -> bool {
    // Iterative post-order walk: (display name, path, expanded, ok so far).
    let mut stack = vec![(name.to_string(), path.to_string(), st.is_dir(), false)];
    let mut failed_dirs: Vec<String> = Vec::new();
    let mut ok = true;
    while let Some((shown, p, is_dir, expanded)) = stack.pop() {
        if !is_dir {
            if let Err(e) = ctx.fs.unlink(&ctx.cred, &p, ctx.now) {
                rm_error(ctx, prog, &shown, e, out);
                ok = false;
                mark_failed(&mut failed_dirs, &p);
            }
            continue;
        }
        if expanded {
            if failed_dirs
                .iter()
                .any(|f| fpath::is_within(f, &p) && f != &p)
            {
                mark_failed(&mut failed_dirs, &p);
                continue;
            }
            if let Err(e) = ctx.fs.rmdir(&ctx.cred, &p, ctx.now) {
                rm_error(ctx, prog, &shown, e, out);
                ok = false;
                mark_failed(&mut failed_dirs, &p);
            }
            continue;
        }
        match ctx.fs.read_dir(&ctx.cred, &p) {
            Ok(children) => {
                stack.push((shown.clone(), p.clone(), true, true));
                for c in children.into_iter().rev() {
                    stack.push((
                        join_display(&shown, &c.name),
                        join_display(&p, &c.name),
                        c.kind == FileType::Dir,
                        false,
                    ));
                }
            }
            Err(e) => {
                rm_error(ctx, prog, &shown, e, out);
                ok = false;
                mark_failed(&mut failed_dirs, &p);
            }
        }
    }
    ok
}

fn mark_failed(failed: &mut Vec<String>, p: &str) {
    if let Some((parent, _)) = fpath::split(p) {
        failed.push(parent.to_string());
    }
    failed.push(p.to_string());
}

pub fn touch(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let gnu = ctx.gnu();
    let spec = if gnu {
        Spec {
            short: "acd:fhmr:t:",
            long: &[
                ("no-create", 'c'),
                ("no-dereference", 'h'),
                ("date", 'd'),
                ("reference", 'r'),
            ],
        }
    } else {
        Spec {
            short: "chr:d:t:amf",
            long: &[
                ("no-create", 'c'),
                ("no-dereference", 'h'),
                ("reference", 'r'),
                ("date", 'd'),
            ],
        }
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    if o.operands.is_empty() {
        if gnu {
            return crate::cli::usage_error(ctx, prog, Some("missing file operand"), 1);
        }
        return missing_operand(ctx, prog);
    }
    let mut out = Output::default();
    // The time to set: -r's file's, then -d or -t (both: BusyBox's parse_datestr; GNU's date
    // syntax or POSIX's [[CC]YY]MMDDhhmm[.ss]), else now.
    let mut when = ctx.now;
    if let Some(r) = o.value('r') {
        match ctx.fs.stat(&ctx.cred, &ctx.abs(r)) {
            Ok(st) => when = st.mtime,
            Err(e) => {
                let msg = if gnu {
                    format!("failed to get attributes of {}: {e}", quote_always(r))
                } else {
                    format!("can't stat '{r}': {e}")
                };
                out.fail(prog, msg, 1);
                return out;
            }
        }
    }
    for (c, v) in &o.flags {
        let (Some(v), true) = (v.as_deref(), *c == 'd' || *c == 't') else {
            continue;
        };
        let parsed = match (gnu, c) {
            (false, _) => Ok(crate::datetime::busybox(v, ctx.now, false)),
            (true, 't') => Ok(crate::datetime::gnu_stamp(v, ctx.now)),
            (true, _) => crate::datetime::gnu(v, when),
        };
        match parsed {
            Ok(Some(t)) => when = t,
            Ok(None) => {
                let msg = if gnu {
                    format!("invalid date format {}", crate::cli::quote(ctx, v))
                } else {
                    format!("invalid date '{v}'")
                };
                out.fail(prog, msg, 1);
                return out;
            }
            Err(()) => {
                out.err(format!(
                    "layerbox: touch: {v:?} is not in the part of GNU's date syntax that layerbox reads\n"
                ));
                // The exit status of everything layerbox does not model (runtime's NOT_MODELLED).
                out.code = 69;
                return out;
            }
        }
    }
    // Given times (-d, -t, -r) need ownership; "now" needs only write permission.
    let explicit = o.value('d').is_some() || o.value('t').is_some() || o.value('r').is_some();
    // -a alone changes only the access time, which layerbox does not keep.
    let set_mtime = !o.has('a') || o.has('m');
    for name in &o.operands {
        let path = ctx.abs(name);
        let exists = ctx.fs.stat(&ctx.cred, &path).is_ok();
        let r = if exists {
            if set_mtime && explicit {
                ctx.fs
                    .set_mtime(&ctx.cred, &path, when)
                    .map_err(|e| (e, true))
            } else if set_mtime {
                ctx.fs
                    .touch_now(&ctx.cred, &path, when)
                    .map_err(|e| (e, true))
            } else {
                Ok(())
            }
        } else if o.has('c') {
            Ok(())
        } else {
            ctx.fs
                .create_file(&ctx.cred, &path, 0o666 & !ctx.umask, ctx.now)
                .map(|_| ())
                .and_then(|()| {
                    if when == ctx.now {
                        Ok(())
                    } else {
                        ctx.fs.set_mtime(&ctx.cred, &path, when)
                    }
                })
                .map_err(|e| (e, false))
        };
        if let Err((e, existed)) = r {
            let msg = match (gnu, existed) {
                (true, true) => format!("setting times of {}: {e}", quote_always(name)),
                (true, false) => format!("cannot touch {}: {e}", quote_always(name)),
                (false, _) => format!("{name}: {e}"),
            };
            out.fail(prog, msg, 1);
        }
    }
    out
}

struct CopyOpts {
    recursive: bool,
    /// `-l` / `-s`: link files instead of copying them.
    link: Option<crate::cp_link::LinkKind>,
    /// `-u`: copy a file only over an older one (or none).
    update: bool,
    preserve: bool,
    /// Follow a symlink named on the command line (`-H`, `-L`, or `cp` without `-R`).
    deref_top: bool,
    /// Follow symlinks met inside a copied directory too (`-L`).
    deref_all: bool,
    no_clobber: bool,
}

pub fn cp(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let spec = Spec {
        short: "aRrpdPLHfinuvTlst:",
        long: &[
            ("link", 'l'),
            ("symbolic-link", 's'),
            ("target-directory", 't'),
            ("update", 'u'),
            ("archive", 'a'),
            ("recursive", 'r'),
            ("no-dereference", 'P'),
            ("dereference", 'L'),
            ("force", 'f'),
            ("no-clobber", 'n'),
            ("verbose", 'v'),
        ],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let recursive = o.has('r') || o.has('R') || o.has('a');
    let (deref_top, deref_all) = if ctx.gnu() {
        // The last of -H, -L and -P (-a and -d are -P) wins; -R alone is -P.
        let last = o
            .flags
            .iter()
            .rev()
            .find_map(|(c, _)| match c {
                'H' | 'L' => Some(*c),
                'P' | 'd' | 'a' => Some('P'),
                _ => None,
            })
            .unwrap_or(if recursive { 'P' } else { 'L' });
        (last != 'P', last == 'L')
    } else {
        // BusyBox: -L always follows; -d, -P and -R keep links; -H follows the operands.
        let all = o.has('L') || !(recursive || o.has('d') || o.has('P'));
        (all || o.has('H'), all)
    };
    // The last of -l and -s counts.
    let link = o.flags.iter().rev().find_map(|(c, _)| match c {
        'l' => Some(crate::cp_link::LinkKind::Hard),
        's' => Some(crate::cp_link::LinkKind::Symbolic),
        _ => None,
    });
    let c = CopyOpts {
        link,
        update: o.has('u'),
        recursive,
        preserve: o.has('p') || o.has('a'),
        deref_top,
        deref_all,
        no_clobber: o.has('n'),
    };
    let target_dir = o.value('t').map(str::to_string);
    let (srcs, dest) = match &target_dir {
        // -t DIR: every operand is a source.
        Some(dir) if !o.operands.is_empty() => (o.operands.clone(), dir.clone()),
        Some(_) => return missing_operand(ctx, prog),
        None => match operands_and_dest(ctx, prog, &o.operands) {
            Ok(x) => x,
            Err(out) => return out,
        },
    };
    let mut out = Output::default();
    let dest_path = ctx.abs(&dest);
    let dest_stat = ctx.fs.stat(&ctx.cred, &dest_path);
    if target_dir.is_some() && ctx.gnu() && !dest_stat.as_ref().is_ok_and(|s| s.is_dir()) {
        let e = match dest_stat {
            Ok(_) => Errno::ENOTDIR,
            Err(e) => e,
        };
        out.fail(
            prog,
            format!("target directory {}: {e}", quote_always(&dest)),
            1,
        );
        return out;
    }
    // BusyBox copies into DIR/name whatever DIR is.
    let dest_is_dir = target_dir.is_some() || dest_stat.is_ok_and(|s| s.is_dir());
    // BusyBox does not check: it copies each source to DEST/name and reports each failure.
    let into_dir = dest_is_dir || (srcs.len() > 1 && !ctx.gnu());
    if srcs.len() > 1 && !into_dir {
        return not_a_directory(ctx, prog, &dest);
    }
    for src in &srcs {
        let target = if into_dir {
            join_display(&dest, base_name(src))
        } else {
            dest.clone()
        };
        copy_one(ctx, prog, &c, src, &target, &mut out);
    }
    out
}

/// Split `SOURCE... DEST`, or the "missing operand" outputs.
fn operands_and_dest(
    ctx: &Ctx<'_>,
    prog: &str,
    ops: &[String],
) -> Result<(Vec<String>, String), Output> {
    match ops {
        [] => Err(if ctx.gnu() {
            crate::cli::usage_error(ctx, prog, Some("missing file operand"), 1)
        } else {
            crate::cli::usage_error(ctx, prog, None, 1)
        }),
        [one] => Err(if ctx.gnu() {
            crate::cli::usage_error(
                ctx,
                prog,
                Some(&format!(
                    "missing destination file operand after {}",
                    quote_always(one)
                )),
                1,
            )
        } else {
            crate::cli::usage_error(ctx, prog, None, 1)
        }),
        [srcs @ .., dest] => Ok((srcs.to_vec(), dest.clone())),
    }
}

fn not_a_directory(ctx: &Ctx<'_>, prog: &str, dest: &str) -> Output {
    let mut out = Output::default();
    let e = match ctx.fs.stat(&ctx.cred, &ctx.abs(dest)) {
        Ok(_) => Errno::ENOTDIR,
        Err(e) => e,
    };
    let msg = if ctx.gnu() {
        format!("target {}: {e}", quote_always(dest))
    } else {
        format!("'{dest}' is not a directory")
    };
    out.fail(prog, msg, 1);
    out
}

fn copy_one(ctx: &mut Ctx<'_>, prog: &str, c: &CopyOpts, src: &str, dst: &str, out: &mut Output) {
    let gnu = ctx.gnu();
    let sp = ctx.abs(src);
    let dp = ctx.abs(dst);
    let st = if c.deref_top {
        ctx.fs.stat(&ctx.cred, &sp)
    } else {
        ctx.fs.lstat(&ctx.cred, &sp)
    };
    let st = match st {
        Ok(st) => st,
        Err(e) => {
            let msg = if gnu {
                format!("cannot stat {}: {e}", quote_always(src))
            } else {
                format!("can't stat '{src}': {e}")
            };
            return out.fail(prog, msg, 1);
        }
    };
    let dst_st = match ctx.fs.lstat(&ctx.cred, &dp) {
        Ok(st) => Some(st),
        Err(e) if !gnu && e != Errno::ENOENT => {
            return out.fail(prog, format!("can't stat '{dst}': {e}"), 1);
        }
        Err(_) => None,
    };
    if let (Some(d), Ok(s_res), Ok(d_res)) = (
        dst_st,
        ctx.fs.resolve(&ctx.cred, &sp, true),
        ctx.fs.resolve(&ctx.cred, &dp, true),
    ) {
        if s_res.path == d_res.path || (d.ino == st.ino && !st.is_dir()) {
            let msg = if gnu {
                format!(
                    "{} and {} are the same file",
                    quote_always(src),
                    quote_always(dst)
                )
            } else {
                format!("'{src}' and '{dst}' are the same file")
            };
            return out.fail(prog, msg, 1);
        }
    }
    if st.is_dir() {
        if !c.recursive {
            let msg = if gnu {
                format!("-r not specified; omitting directory {}", quote_always(src))
            } else {
                format!("omitting directory '{src}'")
            };
            return out.fail(prog, msg, 1);
        }
        if let (Ok(s_res), Ok(d_res)) = (
            ctx.fs.resolve(&ctx.cred, &sp, true),
            ctx.fs.resolve(&ctx.cred, &dp, false),
        ) {
            if fpath::is_within(&d_res.path, &s_res.path) {
                let msg = if gnu {
                    format!(
                        "cannot copy a directory, {}, into itself, {}",
                        quote_always(src),
                        quote_always(dst)
                    )
                } else {
                    format!("recursion detected, omitting directory '{src}'")
                };
                return out.fail(prog, msg, 1);
            }
        }
        copy_dir(ctx, prog, c, src, dst, st, out);
        return;
    }
    copy_leaf(ctx, prog, c, src, dst, st, out);
}

fn copy_dir(
    ctx: &mut Ctx<'_>,
    prog: &str,
    c: &CopyOpts,
    src: &str,
    dst: &str,
    st: Stat,
    out: &mut Output,
) {
    let gnu = ctx.gnu();
    // Iterative walk: (source display, dest display, source stat).
    let mut stack = vec![(src.to_string(), dst.to_string(), st)];
    let mut fixups: Vec<(String, Stat)> = Vec::new();
    while let Some((s, d, st)) = stack.pop() {
        if !st.is_dir() {
            copy_leaf(ctx, prog, c, &s, &d, st, out);
            continue;
        }
        let dp = ctx.abs(&d);
        match ctx.fs.stat(&ctx.cred, &dp) {
            Ok(x) if x.is_dir() => {}
            Ok(_) => {
                let msg = if gnu {
                    format!(
                        "cannot overwrite non-directory {} with directory {}",
                        quote_always(&d),
                        quote_always(&s)
                    )
                } else {
                    format!("can't create directory '{d}': File exists")
                };
                out.fail(prog, msg, 1);
                continue;
            }
            Err(_) => {
                if let Err(e) = ctx.fs.mkdir(&ctx.cred, &dp, st.mode | 0o700, ctx.now) {
                    let msg = if gnu {
                        format!("cannot create directory {}: {e}", quote_always(&d))
                    } else {
                        format!("can't create directory '{d}': {e}")
                    };
                    out.fail(prog, msg, 1);
                    continue;
                }
            }
        }
        fixups.push((dp, st));
        let sp = ctx.abs(&s);
        let children = match ctx.fs.read_dir(&ctx.cred, &sp) {
            Ok(c) => c,
            Err(e) => {
                let msg = if gnu {
                    format!("cannot access {}: {e}", quote_always(&s))
                } else {
                    format!("can't open '{s}': {e}")
                };
                out.fail(prog, msg, 1);
                continue;
            }
        };
        for ch in children.into_iter().rev() {
            let cs = join_display(&s, &ch.name);
            let cp = ctx.abs(&cs);
            let cst = if c.deref_all {
                ctx.fs.stat(&ctx.cred, &cp)
            } else {
                ctx.fs.lstat(&ctx.cred, &cp)
            };
            let cst = match cst {
                Ok(x) => x,
                Err(e) => {
                    let msg = if gnu {
                        format!("cannot stat {}: {e}", quote_always(&cs))
                    } else {
                        format!("can't stat '{cs}': {e}")
                    };
                    out.fail(prog, msg, 1);
                    continue;
                }
            };
            stack.push((cs, join_display(&d, &ch.name), cst));
        }
    }
    // Directory modes and times last, as cp does (a read-only source directory still copies).
    for (dp, st) in fixups.into_iter().rev() {
        let mode = if c.preserve {
            st.mode
        } else {
            st.mode & !ctx.umask
        };
        let _ = ctx.fs.chmod(&ctx.cred, &dp, mode);
        if c.preserve {
            preserve(ctx, &dp, st);
        }
    }
}

fn preserve(ctx: &mut Ctx<'_>, dp: &str, st: Stat) {
    let _ = ctx.fs.set_mtime(&ctx.cred, dp, st.mtime);
    if ctx.cred.is_root() {
        let _ = ctx.fs.chown(&ctx.cred, dp, Some(st.uid), Some(st.gid));
        let _ = ctx.fs.chmod(&ctx.cred, dp, st.mode);
    }
}

fn copy_leaf(
    ctx: &mut Ctx<'_>,
    prog: &str,
    c: &CopyOpts,
    src: &str,
    dst: &str,
    st: Stat,
    out: &mut Output,
) {
    let gnu = ctx.gnu();
    let sp = ctx.abs(src);
    let dp = ctx.abs(dst);
    let existing = ctx.fs.lstat(&ctx.cred, &dp).ok();
    if existing.is_some() && c.no_clobber {
        return;
    }
    // -u: an existing file at least as new as the source stays.
    if c.update && existing.is_some_and(|d| d.mtime >= st.mtime) {
        return;
    }
    if let Some(kind) = c.link {
        return crate::cp_link::link_leaf(ctx, prog, kind, src, dst, existing.is_some(), out);
    }
    if st.kind == FileType::Symlink {
        let target = match ctx.fs.readlink(&ctx.cred, &sp) {
            Ok(t) => t,
            Err(e) => return out.fail(prog, format!("{src}: {e}"), 1),
        };
        if existing.is_some() {
            let _ = ctx.fs.unlink(&ctx.cred, &dp, ctx.now);
        }
        if let Err(e) = ctx.fs.symlink(&ctx.cred, &target, &dp, ctx.now) {
            let msg = if gnu {
                format!("cannot create symbolic link {}: {e}", quote_always(dst))
            } else {
                format!("can't create symlink '{dst}': {e}")
            };
            out.fail(prog, msg, 1);
        }
        return;
    }
    let data = match ctx.fs.read_file(&ctx.cred, &sp) {
        Ok(d) => d,
        Err(e) => {
            let msg = if gnu {
                format!("cannot open {} for reading: {e}", quote_always(src))
            } else {
                format!("can't open '{src}': {e}")
            };
            return out.fail(prog, msg, 1);
        }
    };
    if existing.is_some_and(|d| d.is_dir()) {
        let msg = if gnu {
            format!(
                "cannot overwrite directory {} with non-directory",
                quote_always(dst)
            )
        } else {
            format!("can't create '{dst}': Is a directory")
        };
        return out.fail(prog, msg, 1);
    }
    let mode = st.mode & 0o777 & !ctx.umask;
    let written = match ctx.fs.write_file(&ctx.cred, &dp, &data, mode, ctx.now) {
        // The disk fills during the copy: the file is made, holding what fit.
        Err(Errno::ENOSPC) => match ctx.fs.write_file(&ctx.cred, &dp, b"", mode, ctx.now) {
            Ok(()) => {
                let room = ctx.fs.room_at(&ctx.cred, &dp).unwrap_or(0);
                let fits = usize::try_from(room).unwrap_or(usize::MAX).min(data.len());
                let _ = ctx
                    .fs
                    .append_file(&ctx.cred, &dp, &data[..fits], mode, ctx.now);
                let msg = if gnu {
                    format!("error writing {}: {}", quote_always(dst), Errno::ENOSPC)
                } else {
                    format!("write error: {}", Errno::ENOSPC)
                };
                return out.fail(prog, msg, 1);
            }
            Err(e) => Err(e),
        },
        other => other,
    };
    if let Err(e) = written {
        let msg = if gnu {
            format!("cannot create regular file {}: {e}", quote_always(dst))
        } else {
            format!("can't create '{dst}': {e}")
        };
        return out.fail(prog, msg, 1);
    }
    if c.preserve {
        preserve(ctx, &dp, st);
    }
}

pub fn mv(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let spec = Spec {
        short: "finvT",
        long: &[("force", 'f'), ("no-clobber", 'n'), ("verbose", 'v')],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let (srcs, dest) = match operands_and_dest(ctx, prog, &o.operands) {
        Ok(x) => x,
        Err(out) => return out,
    };
    let gnu = ctx.gnu();
    let mut out = Output::default();
    let dest_path = ctx.abs(&dest);
    let dest_stat = ctx.fs.stat(&ctx.cred, &dest_path);
    let dest_is_dir = dest_stat.as_ref().is_ok_and(|s| s.is_dir());
    // BusyBox stats the destination first (cp_mv_stat): an error other than ENOENT ends it.
    if let (false, Err(e)) = (gnu, &dest_stat) {
        if *e != Errno::ENOENT && srcs.len() == 1 {
            out.fail(prog, crate::paths::cant_stat(&dest, *e), 1);
            return out;
        }
    }
    if srcs.len() > 1 && !dest_is_dir {
        return not_a_directory(ctx, prog, &dest);
    }
    for src in &srcs {
        let target = if dest_is_dir {
            join_display(&dest, base_name(src))
        } else {
            dest.clone()
        };
        let sp = ctx.abs(src);
        let tp = ctx.abs(&target);
        if !gnu && dest_is_dir {
            if let Err(e) = ctx.fs.stat(&ctx.cred, &tp) {
                if e != Errno::ENOENT {
                    out.fail(prog, crate::paths::cant_stat(&target, e), 1);
                    continue;
                }
            }
        }
        // GNU stats the source first; BusyBox calls rename(2) and reports its errno, so on a
        // read-only filesystem a missing source is `Read-only file system`.
        let st = ctx.fs.lstat(&ctx.cred, &sp);
        if let (true, Err(e)) = (gnu, &st) {
            out.fail(prog, format!("cannot stat {}: {e}", quote_always(src)), 1);
            continue;
        }
        if o.has('n') && ctx.fs.lstat(&ctx.cred, &tp).is_ok() {
            continue;
        }
        let r = match (ctx.fs.rename(&ctx.cred, &sp, &tp, ctx.now), st) {
            (Err(Errno::EXDEV), Ok(st)) => move_across(ctx, prog, src, &target, st, &mut out),
            // BusyBox stats the source only after EXDEV, and reports that errno.
            (Err(Errno::EXDEV), Err(e)) => Err(e),
            (r, _) => r,
        };
        if let Err(e) = r {
            let msg = if gnu {
                match e {
                    Errno::EINVAL => format!(
                        "cannot move {} to a subdirectory of itself, {}",
                        quote_always(src),
                        quote_always(&target)
                    ),
                    _ => format!(
                        "cannot move {} to {}: {e}",
                        quote_always(src),
                        quote_always(&target)
                    ),
                }
            } else {
                format!("can't rename '{src}': {e}")
            };
            out.fail(prog, msg, 1);
        }
    }
    out
}

/// `rename` said `EXDEV`: copy (preserving everything) then remove, as `mv` does.
fn move_across(
    ctx: &mut Ctx<'_>,
    prog: &str,
    src: &str,
    dst: &str,
    st: Stat,
    out: &mut Output,
) -> Result<(), Errno> {
    let c = CopyOpts {
        link: None,
        update: false,
        recursive: true,
        preserve: true,
        deref_top: false,
        deref_all: false,
        no_clobber: false,
    };
    let before = out.code;
    if st.is_dir() {
        copy_dir(ctx, prog, &c, src, dst, st, out);
    } else {
        copy_leaf(ctx, prog, &c, src, dst, st, out);
    }
    if out.code != before {
        return Ok(());
    }
    let sp = ctx.abs(src);
    remove_tree(ctx, prog, src, &sp, st, out);
    Ok(())
}

pub fn ln(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let spec = Spec {
        short: "sfnvT",
        long: &[
            ("symbolic", 's'),
            ("force", 'f'),
            ("no-dereference", 'n'),
            ("verbose", 'v'),
        ],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let gnu = ctx.gnu();
    let (targets, link) = match o.operands.as_slice() {
        [] => {
            return if gnu {
                crate::cli::usage_error(ctx, prog, Some("missing file operand"), 1)
            } else {
                crate::cli::usage_error(ctx, prog, None, 1)
            }
        }
        // `ln -s TARGET` makes ./basename(TARGET).
        [one] => (vec![one.clone()], ".".to_string()),
        [t @ .., l] => (t.to_vec(), l.clone()),
    };
    let link_path = ctx.abs(&link);
    let link_is_dir = !o.has('n') && ctx.fs.stat(&ctx.cred, &link_path).is_ok_and(|s| s.is_dir())
        || (o.has('n')
            && ctx
                .fs
                .lstat(&ctx.cred, &link_path)
                .is_ok_and(|s| s.is_dir()));
    if targets.len() > 1 && !link_is_dir {
        return not_a_directory(ctx, prog, &link);
    }
    let mut out = Output::default();
    for t in &targets {
        let name = if link_is_dir {
            join_display(&link, base_name(t))
        } else {
            link.clone()
        };
        let np = ctx.abs(&name);
        if o.has('f') {
            if let Ok(st) = ctx.fs.lstat(&ctx.cred, &np) {
                if !st.is_dir() {
                    let _ = ctx.fs.unlink(&ctx.cred, &np, ctx.now);
                }
            }
        }
        let r = if o.has('s') {
            ctx.fs.symlink(&ctx.cred, t, &np, ctx.now)
        } else {
            let tp = ctx.abs(t);
            match ctx.fs.lstat(&ctx.cred, &tp) {
                Err(e) => {
                    let msg = if gnu {
                        format!("failed to access {}: {e}", quote_always(t))
                    } else {
                        format!("{t}: {e}")
                    };
                    out.fail(prog, msg, 1);
                    continue;
                }
                Ok(st) if st.is_dir() => {
                    let msg = if gnu {
                        format!("{}: hard link not allowed for directory", t)
                    } else {
                        format!("{name}: Operation not permitted")
                    };
                    out.fail(prog, msg, 1);
                    continue;
                }
                Ok(_) => ctx.fs.link(&ctx.cred, &tp, &np, ctx.now),
            }
        };
        if let Err(e) = r {
            let msg = if gnu {
                let kind = if o.has('s') { "symbolic" } else { "hard" };
                format!("failed to create {kind} link {}: {e}", quote_always(&name))
            } else {
                format!("{name}: {e}")
            };
            out.fail(prog, msg, 1);
        }
    }
    out
}
