//! The host's `tar` program (GNU tar 1.34): its three option styles, `-c` writing an archive
//! of the names given, `-t` listing and `-x` extracting one, and its messages and exit codes.

use std::collections::BTreeMap;

use layerbox_fstree::{Errno, FileSystem, FileType};

use crate::clock::strftime;
use crate::gzip::{self, Compression};
use crate::users::Names;
use crate::{Ctx, Output};

use super::format::{read, read_prefix, write_gnu, TarEntry, TarError, TarKind};

/// `ls -l`'s mode column for a member, as GNU tar lists it (`h` for a hard link).
fn mode_column(e: &TarEntry) -> String {
    let kind = match e.kind {
        TarKind::File(_) => '-',
        TarKind::Dir => 'd',
        TarKind::Symlink(_) => 'l',
        TarKind::Link(_) => 'h',
    };
    let st = layerbox_fstree::Stat {
        ino: 0,
        kind: layerbox_fstree::FileType::File,
        mode: e.mode,
        uid: e.uid,
        gid: e.gid,
        size: 0,
        blocks: 0,
        mtime: e.mtime,
        nlink: 1,
        rdev: None,
    };
    let mut text = st.mode_string();
    text.replace_range(0..1, &kind.to_string());
    text
}

/// What the command line asks for.
#[derive(Default)]
struct Args {
    mode: Option<char>,
    verbose: bool,
    /// `-z`: through gzip.
    gzip: bool,
    file: Option<String>,
    /// The last `-C` (where `-x` writes).
    dir: Option<String>,
    /// The names given, each with the `-C` in effect before it (what `-c` reads them in).
    members: Vec<String>,
    member_dirs: Vec<Option<String>>,
}

impl Args {
    /// Sets the operation; GNU tar takes one.
    fn set_mode(&mut self, mode: char) -> Result<(), Output> {
        if self.mode.is_some_and(|m| m != mode) {
            let mut o = Output::default();
            usage_error(
                &mut o,
                "You may not specify more than one '-Acdtrux', '--delete' or  '--test-label' option",
            );
            return Err(o);
        }
        self.mode = Some(mode);
        Ok(())
    }
}

fn usage_error(out: &mut Output, text: &str) {
    out.err(format!(
        "tar: {text}\nTry 'tar --help' or 'tar --usage' for more information.\n"
    ));
    out.code = 2;
}

/// GNU tar's three ways of giving options: old style (`tar tvf FILE`), short (`-tvf FILE`)
/// and long (`--list --file=FILE`). `Err` holds what was printed.
fn parse_args(args: &[String]) -> Result<Args, Output> {
    let mut a = Args::default();
    let mut out = Output::default();
    let mut rest: Vec<String> = args.to_vec();
    // Old style: a first word without a dash is a cluster of letters.
    if let Some(first) = rest.first().cloned() {
        if !first.starts_with('-') && !first.is_empty() {
            rest[0] = format!("-{first}");
        }
    }
    let mut i = 0;
    let mut only_names = false;
    let take = |i: &mut usize, rest: &[String], out: &mut Output, opt: &str| {
        *i += 1;
        match rest.get(*i) {
            Some(v) => Ok(v.clone()),
            None => {
                let mut o = std::mem::take(out);
                usage_error(&mut o, &format!("option requires an argument -- '{opt}'"));
                Err(o)
            }
        }
    };
    while i < rest.len() {
        let arg = rest[i].clone();
        if only_names || arg == "-" || !arg.starts_with('-') {
            a.members.push(arg);
            a.member_dirs.push(a.dir.clone());
        } else if arg == "--" {
            only_names = true;
        } else if let Some(long) = arg.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            match name {
                "list" => a.set_mode('t')?,
                "extract" | "get" => a.set_mode('x')?,
                "create" => a.set_mode('c')?,
                "gzip" | "gunzip" | "ungzip" => a.gzip = true,
                "verbose" => a.verbose = true,
                "file" => {
                    a.file = Some(value.map_or_else(|| take(&mut i, &rest, &mut out, "f"), Ok)?)
                }
                "directory" => {
                    a.dir = Some(value.map_or_else(|| take(&mut i, &rest, &mut out, "C"), Ok)?)
                }
                _ => {
                    let mut o = Output::default();
                    o.err(format!("layerbox: tar --{name} is not modelled\n"));
                    o.code = 2;
                    return Err(o);
                }
            }
        } else {
            let letters: Vec<char> = arg[1..].chars().collect();
            let mut k = 0;
            while k < letters.len() {
                let c = letters[k];
                match c {
                    't' | 'x' | 'c' => a.set_mode(c)?,
                    'z' => a.gzip = true,
                    'v' => a.verbose = true,
                    'f' | 'C' => {
                        let attached: String = letters[k + 1..].iter().collect();
                        let value = if attached.is_empty() {
                            take(&mut i, &rest, &mut out, &c.to_string())?
                        } else {
                            attached
                        };
                        if c == 'f' {
                            a.file = Some(value);
                        } else {
                            a.dir = Some(value);
                        }
                        k = letters.len();
                        continue;
                    }
                    'r' | 'u' | 'A' | 'd' | 'j' | 'J' | 'p' | 'o' | 'O' | 'h' | 'k' | 'm' | 'P'
                    | 'T' | 'X' | 'W' | 'a' | 'S' | 'g' | 'G' | 'b' | 'B' | 'i' | 'l' | 'L'
                    | 'M' | 'n' | 'N' | 'R' | 's' | 'U' | 'V' | 'w' | 'Z' | 'F' | 'H' | 'I'
                    | 'K' => {
                        let mut o = Output::default();
                        o.err(format!("layerbox: tar -{c} is not modelled\n"));
                        o.code = 2;
                        return Err(o);
                    }
                    _ => {
                        let mut o = Output::default();
                        usage_error(&mut o, &format!("invalid option -- '{c}'"));
                        return Err(o);
                    }
                }
                k += 1;
            }
        }
        i += 1;
    }
    Ok(a)
}

/// `tar -t`/`-x` (GNU tar 1.34): the archive from `-f FILE`, else standard input.
pub fn tar(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let a = match parse_args(args) {
        Ok(a) => a,
        Err(out) => return out,
    };
    let mut out = Output::default();
    let Some(mode) = a.mode else {
        usage_error(
            &mut out,
            "You must specify one of the '-Acdtrux', '--delete' or '--test-label' options",
        );
        return out;
    };
    if mode == 'c' {
        return create(prog, &a, ctx);
    }
    let from_stdin = matches!(a.file.as_deref(), None | Some("-"));
    let bytes = match a.file.as_deref() {
        None | Some("-") => ctx.stdin.to_vec(),
        Some(file) => {
            let path = ctx.abs(file);
            match ctx.fs.read_file(&ctx.cred, &path) {
                Ok(data) => data.to_vec(),
                Err(e) => {
                    out.err(format!(
                        "{prog}: {file}: Cannot open: {}\n{prog}: Error is not recoverable: exiting now\n",
                        e.strerror()
                    ));
                    out.code = 2;
                    return out;
                }
            }
        }
    };
    let bytes = match decompressed(prog, bytes, a.gzip, from_stdin) {
        Ok(bytes) => bytes,
        Err(fail) => return fail,
    };
    let (entries, truncated) = match read(&bytes) {
        Ok(entries) => (entries, false),
        Err(TarError::NotTar) => {
            out.err(format!(
                "{prog}: This does not look like a tar archive\n{prog}: Exiting with failure status due to previous errors\n"
            ));
            out.code = 2;
            return out;
        }
        Err(TarError::Truncated) => (read_prefix(&bytes), true),
    };
    let wanted = |e: &TarEntry| {
        a.members.is_empty()
            || a.members.iter().any(|m| {
                let m = m.trim_end_matches('/');
                let n = e.name.trim_end_matches('/');
                n == m || n.starts_with(&format!("{m}/"))
            })
    };
    let base = match a.dir.as_deref() {
        Some(d) => ctx.abs(d),
        None => ctx.cwd.clone(),
    };
    let mut width = 19;
    let mut failed = false;
    for e in entries.iter().filter(|e| wanted(e)) {
        if mode == 't' || a.verbose {
            if mode == 't' && a.verbose {
                let owner = if e.uname.is_empty() {
                    e.uid.to_string()
                } else {
                    e.uname.clone()
                };
                let group = if e.gname.is_empty() {
                    e.gid.to_string()
                } else {
                    e.gname.clone()
                };
                let size = match &e.kind {
                    TarKind::File(d) => d.len(),
                    _ => 0,
                }
                .to_string();
                // GNU tar's `ugswidth`: "USER/GROUP SIZE" takes 19 columns or more, and
                // grows for the rest of the listing once a row needs more.
                width = width.max(owner.len() + group.len() + 2 + size.len());
                let gap = width - owner.len() - group.len() - 2;
                let mut line = format!(
                    "{} {owner}/{group} {size:>gap$} {} {}",
                    mode_column(e),
                    strftime("%Y-%m-%d %H:%M", e.mtime),
                    e.name
                );
                match &e.kind {
                    TarKind::Symlink(t) => line.push_str(&format!(" -> {t}")),
                    TarKind::Link(t) => line.push_str(&format!(" link to {t}")),
                    _ => {}
                }
                out.out(format!("{line}\n"));
            } else {
                out.out(format!("{}\n", e.name));
            }
        }
        if mode == 'x' {
            if let Err((path, errno)) = extract(ctx, &base, e) {
                out.err(format!(
                    "{prog}: {path}: Cannot open: {}\n",
                    errno.strerror()
                ));
                failed = true;
            }
        }
    }
    for m in &a.members {
        let m_clean = m.trim_end_matches('/');
        if !entries.iter().any(|e| {
            let n = e.name.trim_end_matches('/');
            n == m_clean || n.starts_with(&format!("{m_clean}/"))
        }) {
            out.err(format!("{prog}: {m}: Not found in archive\n"));
            failed = true;
        }
    }
    if truncated {
        out.err(format!(
            "{prog}: Unexpected EOF in archive\n{prog}: Error is not recoverable: exiting now\n"
        ));
        out.code = 2;
        return out;
    }
    finish(out, failed, prog)
}

/// The archive inside `bytes`: through gzip with `-z`; otherwise a compressed file is
/// recognised by its magic bytes as GNU tar does (on standard input it asks for the option).
fn decompressed(prog: &str, bytes: Vec<u8>, gzip: bool, stdin: bool) -> Result<Vec<u8>, Output> {
    let mut out = Output {
        code: 2,
        ..Output::default()
    };
    let kind = Compression::detect(&bytes);
    if !gzip {
        if kind == Compression::None {
            return Ok(bytes);
        }
        if stdin {
            let option = match kind {
                Compression::Gzip => "-z",
                Compression::Bzip2 => "-j",
                Compression::Xz => "-J",
                _ => "--zstd",
            };
            out.err(format!(
                "{prog}: Archive is compressed. Use {option} option\n{prog}: Error is not recoverable: exiting now\n"
            ));
            return Err(out);
        }
        if kind != Compression::Gzip {
            out.err(format!(
                "layerbox: tar of a {} archive is not modelled\n",
                kind.name()
            ));
            return Err(out);
        }
    }
    gzip::decompress(&bytes).map_err(|e| {
        out.err(format!(
            "gzip: stdin: {}\n{prog}: Child returned status 1\n{prog}: Error is not recoverable: exiting now\n",
            e.message()
        ));
        out
    })
}

/// A user's or group's name for the archive's header: the caller's own as the shell knows it,
/// else `/etc/passwd` / `/etc/group`, else empty (GNU tar then leaves the field empty).
fn owner_names(ctx: &Ctx<'_>, names: &mut Names, uid: u32, gid: u32) -> (String, String) {
    let user = match &ctx.user_name {
        Some(n) if uid == ctx.cred.uid => Some(n.clone()),
        _ => names.user(&*ctx.fs, uid),
    };
    let group = match &ctx.group_name {
        Some(n) if gid == ctx.cred.gid => Some(n.clone()),
        _ => names.group(&*ctx.fs, gid),
    };
    (user.unwrap_or_default(), group.unwrap_or_default())
}

/// `tar -c` (GNU tar 1.34): the names given, directories walked depth first, written to `-f
/// FILE` (opened first, as GNU tar does) or standard output, through gzip with `-z`.
///
/// Emulation note: GNU tar walks a directory in `readdir` order, which on ext4 follows a hash
/// of the names; layerbox's directories list in name order, so its archives do too.
fn create(prog: &str, a: &Args, ctx: &mut Ctx<'_>) -> Output {
    let mut out = Output::default();
    if a.members.is_empty() {
        usage_error(&mut out, "Cowardly refusing to create an empty archive");
        return out;
    }
    let archive = match a.file.as_deref() {
        None | Some("-") => None,
        Some(file) => Some((file, ctx.abs(file))),
    };
    if archive.is_none() && ctx.tty {
        out.err(format!(
            "{prog}: Refusing to write archive contents to terminal (missing -f option?)\n{prog}: Error is not recoverable: exiting now\n"
        ));
        out.code = 2;
        return out;
    }
    let cred = ctx.cred.clone();
    let now = ctx.now;
    let mut archive_ino = None;
    if let Some((file, path)) = &archive {
        if let Err(e) = ctx.fs.write_file(&cred, path, &[], 0o644, now) {
            out.err(format!(
                "{prog}: {file}: Cannot open: {}\n{prog}: Error is not recoverable: exiting now\n",
                e.strerror()
            ));
            out.code = 2;
            return out;
        }
        archive_ino = ctx.fs.stat(&cred, path).ok().map(|st| st.ino);
    }
    let mut names = Names::default();
    let mut entries: Vec<TarEntry> = Vec::new();
    let mut first_names: BTreeMap<u64, String> = BTreeMap::new();
    let mut failed = false;
    let mut said_slash = false;
    for (given, dir) in a.members.iter().zip(&a.member_dirs) {
        let base = match dir {
            Some(d) => ctx.abs(d),
            None => ctx.cwd.clone(),
        };
        let member = given.trim_start_matches('/');
        if member.len() != given.len() && !said_slash {
            out.err(format!("{prog}: Removing leading `/' from member names\n"));
            said_slash = true;
        }
        let top = if given.starts_with('/') {
            given.clone()
        } else {
            layerbox_fstree::path::join(&base, given)
        };
        // Pre-order walk: (path, shown name, member name).
        let mut stack = vec![(top, given.clone(), member.to_string())];
        while let Some((path, shown, member)) = stack.pop() {
            let st = match ctx.fs.lstat(&cred, &path) {
                Ok(st) => st,
                Err(e) => {
                    out.err(format!("{prog}: {shown}: Cannot stat: {}\n", e.strerror()));
                    failed = true;
                    continue;
                }
            };
            if archive_ino == Some(st.ino) && st.kind == FileType::File {
                out.err(format!(
                    "{prog}: {shown}: file is the archive; not dumped\n"
                ));
                continue;
            }
            let (uname, gname) = owner_names(ctx, &mut names, st.uid, st.gid);
            let mut entry = TarEntry {
                name: member.clone(),
                kind: TarKind::Dir,
                mode: st.mode & 0o7777,
                uid: st.uid,
                gid: st.gid,
                uname,
                gname,
                mtime: st.mtime,
            };
            match st.kind {
                FileType::Dir => {
                    let trimmed = member.trim_end_matches('/');
                    entry.name = format!("{trimmed}/");
                    entries.push(entry);
                    match ctx.fs.read_dir(&cred, &path) {
                        Ok(children) => {
                            let shown_dir = shown.trim_end_matches('/');
                            for c in children.into_iter().rev() {
                                stack.push((
                                    layerbox_fstree::path::join(&path, &c.name),
                                    format!("{shown_dir}/{}", c.name),
                                    if trimmed.is_empty() {
                                        c.name.clone()
                                    } else {
                                        format!("{trimmed}/{}", c.name)
                                    },
                                ));
                            }
                        }
                        Err(e) => {
                            out.err(format!("{prog}: {shown}: Cannot open: {}\n", e.strerror()));
                            failed = true;
                        }
                    }
                }
                FileType::Symlink => {
                    entry.kind =
                        TarKind::Symlink(ctx.fs.readlink(&cred, &path).unwrap_or_default());
                    entries.push(entry);
                }
                FileType::CharDev => {
                    out.err(format!(
                        "layerbox: {prog}: {shown}: a device node in an archive is not modelled\n"
                    ));
                    failed = true;
                }
                FileType::File => {
                    if let Some(first) = (st.nlink > 1).then(|| first_names.get(&st.ino)).flatten()
                    {
                        entry.kind = TarKind::Link(first.clone());
                        entries.push(entry);
                        continue;
                    }
                    match ctx.fs.read_file(&cred, &path) {
                        Ok(data) => {
                            if st.nlink > 1 {
                                first_names.insert(st.ino, member.clone());
                            }
                            entry.kind = TarKind::File(data.to_vec());
                            entries.push(entry);
                        }
                        Err(e) => {
                            out.err(format!("{prog}: {shown}: Cannot open: {}\n", e.strerror()));
                            failed = true;
                        }
                    }
                }
            }
        }
    }
    let mut bytes = write_gnu(&entries);
    if a.gzip {
        bytes = gzip::compress(&bytes);
    }
    match &archive {
        None => out.stdout.extend_from_slice(&bytes),
        Some((file, path)) => {
            if let Err(e) = ctx.fs.write_file(&cred, path, &bytes, 0o644, now) {
                out.err(format!(
                    "{prog}: {file}: Cannot write: {}\n{prog}: Error is not recoverable: exiting now\n",
                    e.strerror()
                ));
                out.code = 2;
                return out;
            }
        }
    }
    finish(out, failed, prog)
}

/// Writes one member under `base` as GNU tar does: a root caller keeps the archive's owners
/// and modes (`--same-owner`, `--preserve-permissions`), anyone else owns what they extract,
/// with the umask (022) applied to the mode.
fn extract(ctx: &mut Ctx<'_>, base: &str, e: &TarEntry) -> Result<(), (String, Errno)> {
    let rel = e.name.trim_start_matches('/').trim_end_matches('/');
    if rel.is_empty() || rel == "." {
        return Ok(());
    }
    let path = layerbox_fstree::path::join(base, rel);
    let cred = ctx.cred.clone();
    let now = ctx.now;
    let root = cred.uid == 0;
    let mode = if root { e.mode } else { e.mode & !0o022 };
    let fail = |errno: Errno| (rel.to_string(), errno);
    if let Some(parent) = path
        .rsplit_once('/')
        .map(|(p, _)| p)
        .filter(|p| !p.is_empty())
    {
        if ctx.fs.lstat(&cred, parent).is_err() {
            ctx.fs.mkdir_all(&cred, parent, 0o755, now).map_err(fail)?;
        }
    }
    let existing = ctx.fs.lstat(&cred, &path).ok();
    match &e.kind {
        TarKind::Dir => {
            if !existing.is_some_and(|st| st.is_dir()) {
                if existing.is_some() {
                    ctx.fs.unlink(&cred, &path, now).map_err(fail)?;
                }
                ctx.fs.mkdir(&cred, &path, mode, now).map_err(fail)?;
            }
            ctx.fs.chmod(&cred, &path, mode).map_err(fail)?;
        }
        TarKind::File(data) => {
            if existing.is_some_and(|st| !st.is_dir()) {
                ctx.fs.unlink(&cred, &path, now).map_err(fail)?;
            }
            ctx.fs
                .write_file(&cred, &path, data, mode, now)
                .map_err(fail)?;
            ctx.fs.chmod(&cred, &path, mode).map_err(fail)?;
        }
        TarKind::Symlink(target) => {
            if existing.is_some() {
                ctx.fs.unlink(&cred, &path, now).map_err(fail)?;
            }
            ctx.fs.symlink(&cred, target, &path, now).map_err(fail)?;
        }
        TarKind::Link(target) => {
            if existing.is_some() {
                ctx.fs.unlink(&cred, &path, now).map_err(fail)?;
            }
            let from = layerbox_fstree::path::join(base, target.trim_start_matches('/'));
            ctx.fs.link(&cred, &from, &path, now).map_err(fail)?;
        }
    }
    if root {
        // GNU tar restores a symlink's own owner (`lchown`), never its target's.
        let _ = ctx.fs.lchown(&cred, &path, Some(e.uid), Some(e.gid));
    }
    if !matches!(e.kind, TarKind::Symlink(_)) {
        let _ = ctx.fs.set_mtime(&cred, &path, e.mtime);
    }
    Ok(())
}

/// GNU tar's ending after errors it went past: a last line and exit status 2.
fn finish(mut out: Output, failed: bool, prog: &str) -> Output {
    if failed {
        out.err(format!(
            "{prog}: Exiting with failure status due to previous errors\n"
        ));
        out.code = 2;
    }
    out
}
