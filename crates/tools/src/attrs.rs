//! Tools that read or change metadata: `stat`, `chmod` (octal and symbolic modes), `chown`,
//! `readlink`.

use layerbox_fstree::passwd::Accounts;
use layerbox_fstree::{Cred, Errno, FileSystem, FileType, Stat};

use crate::cli::{
    join_display, missing_operand, parse_operands, parse_or_usage, quote, quote_always,
    quote_if_needed, Spec,
};
use crate::clock::strftime;
use crate::users::Names;
use crate::{Ctx, Output};

/// Apply a `chmod` mode (`755`, `u+x,go-w`, `a=r`, `g=u`) to `current`; `None` if invalid.
/// Without a `who`, `+`/`-`/`=` leave the bits of `umask` alone, as POSIX says.
pub fn parse_mode(spec: &str, current: u32, is_dir: bool, umask: u32) -> Option<u32> {
    if !spec.is_empty() && spec.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        let v = u32::from_str_radix(spec, 8).ok()?;
        if v > 0o7777 {
            return None;
        }
        // A short octal mode keeps a directory's set-id bits (GNU and BusyBox alike).
        let keep = if is_dir && spec.len() <= 3 {
            current & 0o6000
        } else {
            0
        };
        return Some(v | keep);
    }
    let mut mode = current & 0o7777;
    for clause in spec.split(',') {
        let b = clause.as_bytes();
        let mut i = 0;
        let mut who = 0u32;
        while i < b.len() && b"ugoa".contains(&b[i]) {
            who |= match b[i] {
                b'u' => 0o4700,
                b'g' => 0o2070,
                b'o' => 0o1007,
                _ => 0o7777,
            };
            i += 1;
        }
        let implicit = who == 0;
        if i == b.len() {
            return None;
        }
        while i < b.len() {
            let op = b[i];
            if !b"+-=".contains(&op) {
                return None;
            }
            i += 1;
            let mut perm = 0u32;
            if i < b.len() && b"ugo".contains(&b[i]) {
                let src = match b[i] {
                    b'u' => (mode >> 6) & 7,
                    b'g' => (mode >> 3) & 7,
                    _ => mode & 7,
                };
                perm = src * 0o111;
                i += 1;
            } else {
                while i < b.len() && b"rwxXst".contains(&b[i]) {
                    perm |= match b[i] {
                        b'r' => 0o444,
                        b'w' => 0o222,
                        b'x' => 0o111,
                        b'X' if is_dir || mode & 0o111 != 0 => 0o111,
                        b'X' => 0,
                        b's' => 0o6000,
                        _ => 0o1000,
                    };
                    i += 1;
                }
            }
            let mask = if implicit { 0o7777 & !umask } else { who };
            let bits = perm & mask;
            match op {
                b'+' => mode |= bits,
                b'-' => mode &= !bits,
                _ => {
                    let clear = if implicit { 0o7777 } else { who };
                    // `=` does not clear a directory's set-id bits unless asked (GNU).
                    let clear = if is_dir {
                        clear & !0o6000 | (perm & 0o6000 & clear)
                    } else {
                        clear
                    };
                    mode = (mode & !clear) | bits;
                }
            }
        }
    }
    Some(mode)
}

pub fn chmod(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    // A mode like `-w` looks like an option: take it as the mode if it parses as one.
    let mut args = args.to_vec();
    let mut mode_arg: Option<String> = None;
    if let Some(i) = args.iter().position(|a| {
        a.len() > 1 && a.starts_with('-') && a[1..].bytes().all(|b| b"rwxXst".contains(&b))
    }) {
        mode_arg = Some(args.remove(i));
    }
    let spec = Spec {
        short: "Rcvf",
        long: &[
            ("recursive", 'R'),
            ("changes", 'c'),
            ("verbose", 'v'),
            ("silent", 'f'),
            ("quiet", 'f'),
        ],
    };
    let o = match parse_or_usage(ctx, prog, &args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let mut ops = o.operands.clone();
    let mode = match mode_arg {
        Some(m) => m,
        None => {
            if ops.is_empty() {
                return missing_operand(ctx, prog);
            }
            ops.remove(0)
        }
    };
    if ops.is_empty() {
        if ctx.gnu() {
            return crate::cli::usage_error(
                ctx,
                prog,
                Some(&format!("missing operand after {}", quote(ctx, &mode))),
                1,
            );
        }
        return missing_operand(ctx, prog);
    }
    let mut out = Output::default();
    if parse_mode(&mode, 0, false, ctx.umask).is_none() {
        if ctx.gnu() {
            return crate::cli::usage_error(
                ctx,
                prog,
                Some(&format!("invalid mode: {}", quote(ctx, &mode))),
                1,
            );
        }
        out.fail(prog, format!("invalid mode '{mode}'"), 1);
        return out;
    }
    for name in &ops {
        let mut todo = vec![name.clone()];
        while let Some(n) = todo.pop() {
            let p = ctx.abs(&n);
            let st = match ctx.fs.stat(&ctx.cred, &p) {
                Ok(st) => st,
                Err(e) => {
                    if !o.has('f') {
                        let dangling = e == Errno::ENOENT
                            && ctx
                                .fs
                                .lstat(&ctx.cred, &p)
                                .is_ok_and(|l| l.kind == FileType::Symlink);
                        let msg = if ctx.gnu() && dangling {
                            format!("cannot operate on dangling symlink {}", quote_always(&n))
                        } else if ctx.gnu() {
                            format!("cannot access {}: {e}", quote_always(&n))
                        } else {
                            format!("{n}: {e}")
                        };
                        out.fail(prog, msg, 1);
                    } else {
                        out.code = 1;
                    }
                    continue;
                }
            };
            let new = parse_mode(&mode, st.mode, st.is_dir(), ctx.umask).unwrap_or(st.mode);
            if let Err(e) = ctx.fs.chmod(&ctx.cred, &p, new) {
                if !o.has('f') {
                    let msg = if ctx.gnu() {
                        format!("changing permissions of {}: {e}", quote_always(&n))
                    } else {
                        format!("{n}: {e}")
                    };
                    out.fail(prog, msg, 1);
                } else {
                    out.code = 1;
                }
            }
            if o.has('R') && st.is_dir() {
                if let Ok(l) = ctx.fs.lstat(&ctx.cred, &p) {
                    if l.kind == FileType::Symlink && n != *name {
                        continue;
                    }
                }
                if let Ok(children) = ctx.fs.read_dir(&ctx.cred, &p) {
                    for c in children.into_iter().rev() {
                        if c.kind != FileType::Symlink {
                            todo.push(join_display(&n, &c.name));
                        }
                    }
                }
            }
        }
    }
    out
}

pub fn chown(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    change_owner(prog, args, ctx, false)
}

/// `chgrp [-RhLHP] GROUP FILE...`: BusyBox's runs `chown :GROUP FILE...` under its own name;
/// GNU's words its refusals about the group.
pub fn chgrp(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    change_owner(prog, args, ctx, true)
}

/// `chown`, or with `group_only` `chgrp`, whose first operand is the group alone.
fn change_owner(prog: &str, args: &[String], ctx: &mut Ctx<'_>, group_only: bool) -> Output {
    let spec = Spec {
        short: "RhvcfLHP",
        long: &[
            ("recursive", 'R'),
            ("no-dereference", 'h'),
            ("verbose", 'v'),
            ("changes", 'c'),
            ("silent", 'f'),
        ],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let gnu = ctx.gnu();
    let (owner, names) = match o.operands.split_first() {
        None => return missing_operand(ctx, prog),
        Some((_, [])) if gnu => {
            let m = format!("missing operand after {}", quote(ctx, &o.operands[0]));
            return crate::cli::usage_error(ctx, prog, Some(&m), 1);
        }
        Some((_, [])) => return missing_operand(ctx, prog),
        Some((a, rest)) => (a.clone(), rest.to_vec()),
    };
    let mut out = Output::default();
    let (user, group) = match owner.split_once(':') {
        _ if group_only => ("", Some(owner.as_str())),
        Some((u, g)) => (u, Some(g)),
        None => (owner.as_str(), None),
    };
    let accounts = Accounts::read(&*ctx.fs, &Cred::root());
    if !gnu {
        // BusyBox's own passwd parser reports each malformed line its lookups read, user
        // first, then a named group. A user alone or a group alone is looked up only by
        // name (get_ug_id); in `user:group` a numeric user is looked up by uid (get_uidgid).
        let mut bad = Vec::new();
        if !user.is_empty() {
            let n = match user.parse::<u32>() {
                Ok(uid) if group.is_some() => accounts.bad_records_before_uid(uid),
                Ok(_) => 0,
                Err(_) => accounts.bad_records_before_user_name(user),
            };
            bad.extend(std::iter::repeat_n("/etc/passwd", n));
        }
        if let Some(g) = group.filter(|g| !g.is_empty() && g.parse::<u32>().is_err()) {
            let n = accounts.bad_records_before_group_name(g);
            bad.extend(std::iter::repeat_n("/etc/group", n));
        }
        for file in bad {
            out.err(format!("{prog}: {file}: bad record\n"));
        }
    }
    let uid = if user.is_empty() {
        None
    } else {
        match accounts.getpwnam(user) {
            Some(p) => Some(p.uid),
            None => match user.parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    let msg = if gnu {
                        format!("invalid user: {}", quote(ctx, &owner))
                    } else if group.is_some() {
                        format!("unknown user/group {owner}")
                    } else {
                        format!("unknown user {user}")
                    };
                    out.fail(prog, msg, 1);
                    return out;
                }
            },
        }
    };
    let gid = match group {
        None | Some("") => {
            // `user:` means the user's login group.
            if group == Some("") && !user.is_empty() {
                accounts.getpwnam(user).map(|p| p.gid)
            } else {
                None
            }
        }
        Some(g) => match accounts.getgrnam(g) {
            Some(e) => Some(e.gid),
            None => match g.parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    let msg = if gnu {
                        format!("invalid group: {}", quote(ctx, &owner))
                    } else if user.is_empty() {
                        format!("unknown group {g}")
                    } else {
                        format!("unknown user/group {owner}")
                    };
                    out.fail(prog, msg, 1);
                    return out;
                }
            },
        },
    };
    for name in &names {
        let mut todo = vec![name.clone()];
        while let Some(n) = todo.pop() {
            let p = ctx.abs(&n);
            let st = match ctx.fs.lstat(&ctx.cred, &p) {
                Ok(st) => st,
                Err(e) => {
                    let msg = if gnu {
                        format!("cannot access {}: {e}", quote_always(&n))
                    } else {
                        format!("{n}: {e}")
                    };
                    out.fail(prog, msg, 1);
                    continue;
                }
            };
            // A symlink itself changes with `-h`, and with `-R` unless `-L` (or `-H` for a
            // command-line name) says to follow: GNU's rule, and BusyBox's as Alpine builds it.
            let top = n == *name;
            let follow = !o.has('h') && (!o.has('R') || o.has('L') || (o.has('H') && top));
            let changed = if st.kind == FileType::Symlink && !follow {
                ctx.fs.lchown(&ctx.cred, &p, uid, gid)
            } else {
                ctx.fs.chown(&ctx.cred, &p, uid, gid)
            };
            if let Err(e) = changed {
                let what = if group_only { "group" } else { "ownership" };
                let msg = if gnu {
                    format!("changing {what} of {}: {e}", quote_always(&n))
                } else {
                    format!("{n}: {e}")
                };
                out.fail(prog, msg, 1);
            }
            if o.has('R') && st.is_dir() {
                if let Ok(children) = ctx.fs.read_dir(&ctx.cred, &p) {
                    for c in children.into_iter().rev() {
                        todo.push(join_display(&n, &c.name));
                    }
                }
            }
        }
    }
    out
}

fn file_type(st: &Stat) -> &'static str {
    match st.kind {
        FileType::Dir => "directory",
        FileType::Symlink => "symbolic link",
        FileType::File if st.size == 0 => "regular empty file",
        FileType::File => "regular file",
        FileType::CharDev => "character special file",
    }
}

pub fn stat(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let spec = Spec {
        short: "Lc:t",
        long: &[("dereference", 'L'), ("format", 'c'), ("terse", 't')],
    };
    let o = match parse_operands(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let gnu = ctx.gnu();
    let mut out = Output::default();
    let mut names = Names::default();
    for n in &o.operands {
        let p = ctx.abs(n);
        let r = if o.has('L') {
            ctx.fs.stat(&ctx.cred, &p)
        } else {
            ctx.fs.lstat(&ctx.cred, &p)
        };
        let st = match r {
            Ok(st) => st,
            Err(e) => {
                let msg = if gnu {
                    format!("cannot statx {}: {e}", quote_always(n))
                } else {
                    format!("can't stat '{n}': {e}")
                };
                out.fail(prog, msg, 1);
                continue;
            }
        };
        let user = names
            .user(&*ctx.fs, st.uid)
            .unwrap_or_else(|| "UNKNOWN".into());
        let group = names
            .group(&*ctx.fs, st.gid)
            .unwrap_or_else(|| "UNKNOWN".into());
        if let Some(fmt) = o.value('c') {
            out.out(format_stat(fmt, n, &st, &user, &group));
            out.out("\n");
            continue;
        }
        let target = if st.kind == FileType::Symlink {
            ctx.fs.readlink(&ctx.cred, &p).ok()
        } else {
            None
        };
        let file = match (&target, gnu) {
            (Some(t), true) => format!("{} -> {}", quote_if_needed(n), quote_if_needed(t)),
            (Some(t), false) => format!("'{n}' -> '{t}'"),
            (None, true) => quote_if_needed(n),
            (None, false) => n.clone(),
        };
        // Emulation note: one device number per mount (major 254 as on a Debian host).
        let canon = ctx
            .fs
            .resolve(&ctx.cred, &p, false)
            .map(|r| r.path)
            .unwrap_or_default();
        let minor = ctx.fs.device(&canon);
        let dev = if gnu {
            format!("254,{minor}")
        } else {
            let d = (254u64 << 8) | minor;
            format!("{d:x}h/{d}d")
        };
        let blocks = crate::ls::blocks_512(&st);
        let time = strftime("%Y-%m-%d %H:%M:%S.000000000 +0000", st.mtime);
        out.out(format!("  File: {file}\n"));
        out.out(format!(
            "  Size: {:<10}\tBlocks: {:<10} IO Block: 4096   {}\n",
            st.size,
            blocks,
            file_type(&st)
        ));
        out.out(format!(
            "Device: {dev}\tInode: {:<10}  Links: {}\n",
            st.ino, st.nlink
        ));
        out.out(format!(
            "Access: ({:04o}/{})  Uid: ({:>5}/{:>8})   Gid: ({:>5}/{:>8})\n",
            st.mode & 0o7777,
            st.mode_string(),
            st.uid,
            user,
            st.gid,
            group
        ));
        // Emulation note: fstree keeps one time per inode; access and change times show it too.
        out.out(format!("Access: {time}\nModify: {time}\nChange: {time}\n"));
        if gnu {
            out.out(format!(" Birth: {time}\n"));
        }
    }
    out
}

/// `stat -c FORMAT`: `%n %s %a %A %U %G %u %g %F %h %i %Y %y %N %b %B %%`.
fn format_stat(fmt: &str, name: &str, st: &Stat, user: &str, group: &str) -> String {
    let mut s = String::new();
    let mut it = fmt.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('n') => s.push('\n'),
                Some('t') => s.push('\t'),
                Some(x) => {
                    s.push('\\');
                    s.push(x);
                }
                None => s.push('\\'),
            }
            continue;
        }
        if c != '%' {
            s.push(c);
            continue;
        }
        match it.next() {
            Some('n') => s.push_str(name),
            Some('N') => s.push_str(&format!("'{name}'")),
            Some('s') => s.push_str(&st.size.to_string()),
            Some('a') => s.push_str(&format!("{:o}", st.mode & 0o7777)),
            Some('A') => s.push_str(&st.mode_string()),
            Some('U') => s.push_str(user),
            Some('G') => s.push_str(group),
            Some('u') => s.push_str(&st.uid.to_string()),
            Some('g') => s.push_str(&st.gid.to_string()),
            Some('F') => s.push_str(file_type(st)),
            Some('h') => s.push_str(&st.nlink.to_string()),
            Some('i') => s.push_str(&st.ino.to_string()),
            Some('Y') | Some('Z') | Some('X') => s.push_str(&st.mtime.to_string()),
            Some('y') | Some('z') | Some('x') => {
                s.push_str(&strftime("%Y-%m-%d %H:%M:%S.000000000 +0000", st.mtime))
            }
            Some('b') => s.push_str(&crate::ls::blocks_512(st).to_string()),
            // A device's major and minor numbers, in hex.
            Some('t') => s.push_str(&format!("{:x}", st.rdev.map_or(0, |d| d.numbers().0))),
            Some('T') => s.push_str(&format!("{:x}", st.rdev.map_or(0, |d| d.numbers().1))),
            Some('B') => s.push_str("512"),
            Some('%') => s.push('%'),
            Some(x) => {
                s.push('?');
                let _ = x;
            }
            None => s.push('%'),
        }
    }
    s
}

pub fn readlink(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let spec = Spec {
        short: "femnqsvz",
        long: &[
            ("canonicalize", 'f'),
            ("canonicalize-existing", 'e'),
            ("canonicalize-missing", 'm'),
            ("no-newline", 'n'),
            ("quiet", 'q'),
            ("silent", 's'),
            ("verbose", 'v'),
        ],
    };
    let o = match parse_operands(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let mut out = Output::default();
    let nl = if o.has('n') && o.operands.len() == 1 {
        ""
    } else {
        "\n"
    };
    for n in &o.operands {
        let p = ctx.abs(n);
        let r = if o.has('f') || o.has('e') || o.has('m') {
            match ctx.fs.resolve(&ctx.cred, &p, true) {
                Ok(r) if o.has('e') && r.stat.is_none() => Err(layerbox_fstree::Errno::ENOENT),
                Ok(r) => Ok(r.path),
                Err(e) => Err(e),
            }
        } else {
            ctx.fs.readlink(&ctx.cred, &p)
        };
        match r {
            Ok(t) => out.out(format!("{t}{nl}")),
            Err(e) => {
                if o.has('v') {
                    out.fail(prog, format!("{n}: {e}"), 1);
                } else {
                    out.code = 1;
                }
            }
        }
    }
    out
}
