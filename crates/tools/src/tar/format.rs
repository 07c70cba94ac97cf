//! The tar archive format: ustar headers as the Docker daemon streams them (Go's
//! `archive/tar`), GNU tar 1.34's own format with its long-name members, and the members of an
//! archive read back (ustar, PAX and GNU forms).

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

/// GNU tar's numeric field: octal digits with leading zeros and a NUL, or the base-256 form
/// (first byte 0x80) for a value the digits cannot hold.
fn gnu_number(field: &mut [u8], value: u64) {
    let width = field.len() - 1;
    if value < 1u64 << (3 * width) {
        octal(field, value);
    } else {
        field.fill(0);
        field[0] = 0x80;
        for (i, b) in value.to_be_bytes().iter().rev().enumerate() {
            if let Some(slot) = field.len().checked_sub(1 + i).filter(|&s| s > 0) {
                field[slot] = *b;
            }
        }
    }
}

/// One header in GNU tar 1.34's default format (`--format=gnu`): magic `ustar  \0`, numbers in
/// seven or eleven octal digits and a NUL, no prefix field, no device numbers for files.
fn gnu_header(name: &str, link: &str, e: &TarEntry, flag: u8, size: u64) -> [u8; BLOCK] {
    let mut h = [0u8; BLOCK];
    string(&mut h[0..100], name);
    gnu_number(&mut h[100..108], u64::from(e.mode & 0o7777));
    gnu_number(&mut h[108..116], u64::from(e.uid));
    gnu_number(&mut h[116..124], u64::from(e.gid));
    gnu_number(&mut h[124..136], size);
    gnu_number(&mut h[136..148], e.mtime);
    h[156] = flag;
    string(&mut h[157..257], link);
    string(&mut h[257..265], "ustar  \0");
    string(&mut h[265..297], &e.uname);
    string(&mut h[297..329], &e.gname);
    h[148..156].fill(b' ');
    let sum: u64 = h.iter().map(|&b| u64::from(b)).sum();
    octal(&mut h[148..155], sum);
    h[155] = b' ';
    h
}

/// GNU's `././@LongLink` member carrying a name (`L`) or link target (`K`) over 100 bytes.
fn gnu_long_link(out: &mut Vec<u8>, flag: u8, text: &str) {
    let meta = TarEntry {
        name: String::new(),
        kind: TarKind::File(Vec::new()),
        mode: 0o644,
        uid: 0,
        gid: 0,
        uname: "root".into(),
        gname: "root".into(),
        mtime: 0,
    };
    let mut data = text.as_bytes().to_vec();
    data.push(0);
    out.extend_from_slice(&gnu_header(
        "././@LongLink",
        "",
        &meta,
        flag,
        data.len() as u64,
    ));
    out.extend_from_slice(&data);
    pad(out);
}

/// GNU tar's record: the archive is written in 10240-byte records (`-b 20`).
const RECORD: usize = 20 * BLOCK;

/// The archive of `entries` as GNU tar 1.34 writes it with `tar -cf` (its default GNU format):
/// long names and link targets in `././@LongLink` members, two zero blocks at the end, the
/// whole padded with zeros to a multiple of the 10240-byte record.
pub fn write_gnu(entries: &[TarEntry]) -> Vec<u8> {
    let mut out = Vec::new();
    for e in entries {
        let (flag, data, link): (u8, &[u8], &str) = match &e.kind {
            TarKind::File(bytes) => (b'0', bytes, ""),
            TarKind::Dir => (b'5', &[], ""),
            TarKind::Symlink(target) => (b'2', &[], target),
            TarKind::Link(target) => (b'1', &[], target),
        };
        if link.len() > 100 {
            gnu_long_link(&mut out, b'K', link);
        }
        if e.name.len() > 100 {
            gnu_long_link(&mut out, b'L', &e.name);
        }
        out.extend_from_slice(&gnu_header(&e.name, link, e, flag, data.len() as u64));
        out.extend_from_slice(data);
        pad(&mut out);
    }
    out.extend_from_slice(&[0u8; 2 * BLOCK]);
    let rest = out.len() % RECORD;
    if rest != 0 {
        out.resize(out.len() + RECORD - rest, 0);
    }
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
    // GNU's base-256 form for numbers too large for octal digits.
    if field.first().is_some_and(|&b| b & 0x80 != 0) {
        let mut value: u64 = u64::from(field[0] & 0x3f);
        for &b in &field[1..] {
            value = value.checked_mul(256)?.checked_add(u64::from(b))?;
        }
        return Some(value);
    }
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
        let size = field_octal(&h[124..136]).ok_or(TarError::NotTar)?;
        let data_at = at + BLOCK;
        // A size past the end of the bytes (however large) is a cut archive.
        let Some(data) = usize::try_from(size)
            .ok()
            .and_then(|size| bytes.get(data_at..data_at.checked_add(size)?))
        else {
            return Err(TarError::Truncated);
        };
        at = data_at + data.len().div_ceil(BLOCK) * BLOCK;
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

/// The members before the point where an archive stops short.
pub(super) fn read_prefix(bytes: &[u8]) -> Vec<TarEntry> {
    let mut end = bytes.len() / BLOCK * BLOCK;
    while end > 0 {
        end -= BLOCK;
        if let Ok(entries) = read(&bytes[..end]) {
            return entries;
        }
    }
    Vec::new()
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

    fn root_entry(name: &str, kind: TarKind, mode: u32, mtime: u64) -> TarEntry {
        TarEntry {
            mtime,
            ..entry(name, kind, mode)
        }
    }

    /// `(offset, checksum field, type)` of each header in `bytes`.
    fn headers(bytes: &[u8]) -> Vec<(usize, Vec<u8>, u8)> {
        (0..bytes.len() / BLOCK)
            .map(|i| i * BLOCK)
            .filter(|&at| &bytes[at + 257..at + 265] == b"ustar  \0")
            .map(|at| (at, bytes[at + 148..at + 156].to_vec(), bytes[at + 156]))
            .collect()
    }

    #[test]
    fn gnu_headers_are_the_ones_gnu_tar_1_34_writes() {
        // `tar -C app/src -cf files.tar .` as root on Debian 12 (GNU tar 1.34), each member's
        // checksum field as recorded; a checksum covers every other byte of its header.
        let mtime = 0o15302550457;
        let cases = [
            (root_entry("./", TarKind::Dir, 0o755, mtime), b"007717\0 "),
            (
                root_entry("./sub/", TarKind::Dir, 0o755, mtime),
                b"010510\0 ",
            ),
            (
                root_entry("./sub/b.txt", TarKind::File(b"b\n".to_vec()), 0o644, mtime),
                b"011462\0 ",
            ),
            (
                root_entry("./a.txt", TarKind::File(b"a\n".to_vec()), 0o644, mtime),
                b"010670\0 ",
            ),
        ];
        for (e, sum) in cases {
            let bytes = write_gnu(std::slice::from_ref(&e));
            assert_eq!(bytes.len(), RECORD, "{}", e.name);
            assert_eq!(&bytes[100..108], format!("{:07o}\0", e.mode).as_bytes());
            assert_eq!(&bytes[148..156], sum, "{}", e.name);
            assert_eq!(&bytes[257..265], b"ustar  \0");
            assert_eq!(&bytes[329..345], &[0u8; 16]);
        }
    }

    #[test]
    fn long_names_and_targets_go_in_gnu_long_link_members() {
        // `tar -cf t3.tar t3` (GNU tar 1.34): a symlink to 110 `q`s, a file `t3/hard` and a
        // hard link to it named `t3/` and 120 `n`s, in that order.
        let mtime = 0o15302550516;
        let long = format!("t3/{}", "n".repeat(120));
        let entries = [
            root_entry(
                "t3/longsym",
                TarKind::Symlink("q".repeat(110)),
                0o777,
                mtime,
            ),
            root_entry("t3/hard", TarKind::File(b"x\n".to_vec()), 0o644, mtime),
            root_entry(&long, TarKind::Link("t3/hard".into()), 0o644, mtime),
        ];
        let bytes = write_gnu(&entries);
        let got = headers(&bytes);
        let want: Vec<(usize, Vec<u8>, u8)> = vec![
            (0, b"011605\0 ".to_vec(), b'K'),
            (1024, b"037562\0 ".to_vec(), b'2'),
            (1536, b"010735\0 ".to_vec(), b'0'),
            (2560, b"011605\0 ".to_vec(), b'L'),
            (3584, b"036140\0 ".to_vec(), b'1'),
        ];
        assert_eq!(got, want);
        assert_eq!(&bytes[..13], b"././@LongLink");
        assert_eq!(&bytes[124..136], b"00000000157\0");
        assert_eq!(bytes.len(), RECORD);
        assert_eq!(read(&bytes), Ok(entries.to_vec()));
    }

    #[test]
    fn gnu_archives_fill_whole_records() {
        let big = root_entry("f", TarKind::File(vec![1; 9000]), 0o644, 0);
        // 512 + 9216 + 1024 bytes do not fit in one 10240-byte record.
        assert_eq!(write_gnu(&[big]).len(), 2 * RECORD);
        assert_eq!(write_gnu(&[]).len(), RECORD);
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
