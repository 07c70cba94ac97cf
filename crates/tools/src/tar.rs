//! The tar format and the host's `tar` (GNU tar 1.34, Debian 12): the ustar archive as Go's
//! `archive/tar` writes it for the Docker daemon ([`write`]), an archive read back ([`read`]),
//! and `tar -t`/`tar -x` over a file or standard input.

use layerbox_fstree::{Errno, FileSystem};

use crate::clock::strftime;
use crate::{Ctx, Output};

/// What one archive member is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TarKind {
    File(Vec<u8>),
    Dir,
    Symlink(String),
    /// A hard link to the member named here (tar's `LNKTYPE`).
    Link(String),
}

/// One archive member: its name as stored (a directory's ends in `/`) and its header fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TarEntry {
    pub name: String,
    pub kind: TarKind,
    /// Permission bits with setuid, setgid and sticky (no file-type bits).
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub uname: String,
    pub gname: String,
    pub mtime: u64,
}

/// Why bytes are not a readable archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TarError {
    /// The first block is no tar header (GNU tar: `This does not look like a tar archive`).
    NotTar,
    /// A member's data or a header stops short (GNU tar: `Unexpected EOF in archive`).
    Truncated,
}

const BLOCK: usize = 512;

/// Go's `formatOctal`: leading zeros, then a NUL in the field's last byte.
fn octal(field: &mut [u8], value: u64) {
    let digits = format!("{value:o}");
    let width = field.len() - 1;
    let text = format!("{digits:0>width$}");
    let bytes = text.as_bytes();
    let n = bytes.len().min(width);
    field[..n].copy_from_slice(&bytes[bytes.len() - n..]);
    field[width] = 0;
}

fn string(field: &mut [u8], text: &str) {
    let n = text.len().min(field.len());
    field[..n].copy_from_slice(&text.as_bytes()[..n]);
}

/// The ustar split of a long name into prefix and name (`None` if it has no such split).
fn split_name(name: &str) -> Option<(&str, &str)> {
    if name.len() <= 100 {
        return Some(("", name));
    }
    let bytes = name.as_bytes();
    (1..bytes.len().min(156))
        .rev()
        .filter(|&i| bytes[i] == b'/')
        .map(|i| (&name[..i], &name[i + 1..]))
        .find(|(_, rest)| !rest.is_empty() && rest.len() <= 100)
}

fn header(name: &str, prefix: &str, e: &TarEntry, flag: u8, size: u64) -> [u8; BLOCK] {
    let mut h = [0u8; BLOCK];
    string(&mut h[0..100], name);
    // moby's FileInfoHeader keeps the Go 1.8 file-type bits in the mode field.
    let type_bits = match e.kind {
        TarKind::Dir => 0o040000,
        TarKind::Symlink(_) => 0o120000,
        TarKind::File(_) | TarKind::Link(_) => 0o100000,
    };
    octal(&mut h[100..108], u64::from(type_bits | (e.mode & 0o7777)));
    octal(&mut h[108..116], u64::from(e.uid));
    octal(&mut h[116..124], u64::from(e.gid));
    octal(&mut h[124..136], size);
    octal(&mut h[136..148], e.mtime);
    h[156] = flag;
    match &e.kind {
        TarKind::Symlink(target) | TarKind::Link(target) => string(&mut h[157..257], target),
        _ => {}
    }
    string(&mut h[257..263], "ustar\0");
    string(&mut h[263..265], "00");
    string(&mut h[265..297], &e.uname);
    string(&mut h[297..329], &e.gname);
    octal(&mut h[329..337], 0);
    octal(&mut h[337..345], 0);
    string(&mut h[345..500], prefix);
    // The checksum counts its own field as spaces; Go writes six digits, a NUL and a space.
    h[148..156].fill(b' ');
    let sum: u64 = h.iter().map(|&b| u64::from(b)).sum();
    octal(&mut h[148..155], sum);
    h[155] = b' ';
    h
}

fn pad(out: &mut Vec<u8>) {
    let rest = out.len() % BLOCK;
    if rest != 0 {
        out.resize(out.len() + BLOCK - rest, 0);
    }
}

/// The archive of `entries` as the Docker daemon streams it (`GET /containers/{id}/archive`,
/// so `docker cp c1:/etc/hostname -`): Go's `archive/tar` in ustar form (a PAX `path` record
/// before a name too long for it), data padded to 512-byte blocks, two zero blocks at the end.
pub fn write(entries: &[TarEntry]) -> Vec<u8> {
    let mut out = Vec::new();
    for e in entries {
        let (flag, data): (u8, &[u8]) = match &e.kind {
            TarKind::File(bytes) => (b'0', bytes),
            TarKind::Dir => (b'5', &[]),
            TarKind::Symlink(_) => (b'2', &[]),
            TarKind::Link(_) => (b'1', &[]),
        };
        let (prefix, name) = match split_name(&e.name) {
            Some(split) => split,
            None => {
                let record = pax_record("path", &e.name);
                let pax = TarEntry {
                    name: "././@PaxHeader".into(),
                    kind: TarKind::File(Vec::new()),
                    mode: 0o644,
                    ..e.clone()
                };
                out.extend_from_slice(&header(&pax.name, "", &pax, b'x', record.len() as u64));
                out.extend_from_slice(record.as_bytes());
                pad(&mut out);
                ("", &e.name[..100.min(e.name.len())])
            }
        };
        out.extend_from_slice(&header(name, prefix, e, flag, data.len() as u64));
        out.extend_from_slice(data);
        pad(&mut out);
    }
    out.extend_from_slice(&[0u8; 2 * BLOCK]);
    out
}

/// A PAX record: `LEN KEY=VALUE\n`, where LEN counts the whole record, itself included.
fn pax_record(key: &str, value: &str) -> String {
    let body = format!(" {key}={value}\n");
    let mut len = body.len() + 1;
    while len.to_string().len() + body.len() != len {
        len = len.to_string().len() + body.len();
    }
    format!("{len}{body}")
}

fn field_str(field: &[u8]) -> String {
    let end = field.iter().position(|&b| b == 0).unwrap_or(field.len());
    String::from_utf8_lossy(&field[..end]).into_owned()
}

fn field_octal(field: &[u8]) -> Option<u64> {
    let text = field_str(field);
    let text = text.trim_matches(|c| c == ' ' || c == '\0');
    if text.is_empty() {
        return Some(0);
    }
    u64::from_str_radix(text, 8).ok()
}

fn checksum_ok(h: &[u8]) -> bool {
    let Some(want) = field_octal(&h[148..156]) else {
        return false;
    };
    let sum: u64 = h
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            if (148..156).contains(&i) {
                32
            } else {
                u64::from(b)
            }
        })
        .sum();
    sum == want
}

/// The members of an archive (ustar, PAX `path`/`linkpath` records and GNU long names read);
/// the end is two zero blocks or the end of the bytes.
pub fn read(bytes: &[u8]) -> Result<Vec<TarEntry>, TarError> {
    let mut out = Vec::new();
    let mut at = 0;
    let mut long_name: Option<String> = None;
    let mut long_link: Option<String> = None;
    while at + BLOCK <= bytes.len() {
        let h = &bytes[at..at + BLOCK];
        if h.iter().all(|&b| b == 0) {
            break;
        }
        if !checksum_ok(h) {
            return Err(if out.is_empty() && long_name.is_none() {
                TarError::NotTar
            } else {
                TarError::Truncated
            });
        }
        let size = field_octal(&h[124..136]).ok_or(TarError::NotTar)? as usize;
        let data_at = at + BLOCK;
        let Some(data) = bytes.get(data_at..data_at + size) else {
            return Err(TarError::Truncated);
        };
        at = data_at + size.div_ceil(BLOCK) * BLOCK;
        let flag = h[156];
        match flag {
            b'x' => {
                let text = String::from_utf8_lossy(data);
                for record in text.split_terminator('\n') {
                    let Some((_, kv)) = record.split_once(' ') else {
                        continue;
                    };
                    match kv.split_once('=') {
                        Some(("path", v)) => long_name = Some(v.to_string()),
                        Some(("linkpath", v)) => long_link = Some(v.to_string()),
                        _ => {}
                    }
                }
                continue;
            }
            b'L' => {
                long_name = Some(field_str(data));
                continue;
            }
            b'K' => {
                long_link = Some(field_str(data));
                continue;
            }
            b'g' => continue,
            _ => {}
        }
        let prefix = field_str(&h[345..500]);
        let base = field_str(&h[0..100]);
        let name = long_name.take().unwrap_or_else(|| {
            if prefix.is_empty() {
                base
            } else {
                format!("{prefix}/{base}")
            }
        });
        let link = long_link.take().unwrap_or_else(|| field_str(&h[157..257]));
        let kind = match flag {
            b'5' => TarKind::Dir,
            b'2' => TarKind::Symlink(link),
            b'1' => TarKind::Link(link),
            _ if name.ends_with('/') => TarKind::Dir,
            _ => TarKind::File(data.to_vec()),
        };
        out.push(TarEntry {
            name,
            kind,
            mode: field_octal(&h[100..108]).unwrap_or(0) as u32 & 0o7777,
            uid: field_octal(&h[108..116]).unwrap_or(0) as u32,
            gid: field_octal(&h[116..124]).unwrap_or(0) as u32,
            uname: field_str(&h[265..297]),
            gname: field_str(&h[297..329]),
            mtime: field_octal(&h[136..148]).unwrap_or(0),
        });
    }
    if out.is_empty() && at == 0 {
        return Err(TarError::NotTar);
    }
    Ok(out)
}

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
        mtime: e.mtime,
        nlink: 1,
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
    file: Option<String>,
    dir: Option<String>,
    members: Vec<String>,
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
        } else if arg == "--" {
            only_names = true;
        } else if let Some(long) = arg.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            match name {
                "list" => a.mode = Some('t'),
                "extract" | "get" => a.mode = Some('x'),
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
                    't' | 'x' => a.mode = Some(c),
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
                    'c' | 'r' | 'u' | 'A' | 'd' | 'z' | 'j' | 'J' | 'p' | 'o' | 'O' | 'h' | 'k'
                    | 'm' | 'P' | 'T' | 'X' | 'W' | 'a' | 'S' | 'g' | 'G' | 'b' | 'B' | 'i'
                    | 'l' | 'L' | 'M' | 'n' | 'N' | 'R' | 's' | 'U' | 'V' | 'w' | 'Z' | 'F'
                    | 'H' | 'I' | 'K' => {
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
    if failed {
        out.err(format!(
            "{prog}: Exiting with failure status due to previous errors\n"
        ));
        out.code = 2;
    }
    out
}

/// The members before the point where an archive stops short.
fn read_prefix(bytes: &[u8]) -> Vec<TarEntry> {
    let mut end = bytes.len() / BLOCK * BLOCK;
    while end > 0 {
        end -= BLOCK;
        if let Ok(entries) = read(&bytes[..end]) {
            return entries;
        }
    }
    Vec::new()
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
        let _ = ctx.fs.chown(&cred, &path, Some(e.uid), Some(e.gid));
    }
    if !matches!(e.kind, TarKind::Symlink(_)) {
        let _ = ctx.fs.set_mtime(&cred, &path, e.mtime);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, kind: TarKind, mode: u32) -> TarEntry {
        TarEntry {
            name: name.into(),
            kind,
            mode,
            uid: 0,
            gid: 0,
            uname: "root".into(),
            gname: "root".into(),
            mtime: 0o15302544604,
        }
    }

    #[test]
    fn a_member_header_is_the_one_go_writes_for_the_daemon() {
        let bytes = write(&[entry("hostname", TarKind::File(Vec::new()), 0o755)]);
        assert_eq!(bytes.len(), 1536);
        assert_eq!(&bytes[100..108], b"0100755\0");
        assert_eq!(&bytes[124..136], b"00000000000\0");
        // What Engine 20.10 streamed for `docker cp c:/etc/hostname -` at that mtime.
        assert_eq!(&bytes[136..148], b"15302544604\0");
        assert_eq!(&bytes[148..156], b"012612\0 ");
        assert_eq!(&bytes[257..265], b"ustar\x0000");
        assert_eq!(&bytes[265..270], b"root\0");
        assert_eq!(&bytes[329..345], b"0000000\x000000000\0");
    }

    #[test]
    fn what_is_written_reads_back() {
        let long = format!("{}/{}", "d".repeat(120), "f".repeat(90));
        let longer = "x".repeat(300);
        let entries = vec![
            entry("etc/", TarKind::Dir, 0o755),
            entry("etc/motd", TarKind::File(b"hello\n".to_vec()), 0o644),
            entry("etc/mtab", TarKind::Symlink("/proc/mounts".into()), 0o777),
            entry("etc/again", TarKind::Link("etc/motd".into()), 0o644),
            entry(&long, TarKind::File(vec![7; 700]), 0o600),
            entry(&longer, TarKind::File(Vec::new()), 0o600),
        ];
        assert_eq!(read(&write(&entries)), Ok(entries));
    }

    #[test]
    fn bytes_that_are_no_archive_are_told_apart_from_a_cut_one() {
        assert_eq!(read(b""), Err(TarError::NotTar));
        assert_eq!(read(&[b'x'; 1024]), Err(TarError::NotTar));
        let mut cut = write(&[entry("f", TarKind::File(vec![1; 600]), 0o644)]);
        cut.truncate(700);
        assert_eq!(read(&cut), Err(TarError::Truncated));
    }
}
