//! The format strings of BusyBox's dump engine (libbb/dump.c): a format string breaks into
//! format units and print units (`add`), and a unit's byte counts and conversions are fixed
//! for the block size (`rewrite`).

/// Print unit kinds (`F_*` in dump.c).
pub(super) const F_ADDRESS: u16 = 0x001;
pub(super) const F_BPAD: u16 = 0x002;
pub(super) const F_C: u16 = 0x004;
pub(super) const F_CHAR: u16 = 0x008;
pub(super) const F_DBL: u16 = 0x010;
pub(super) const F_INT: u16 = 0x020;
pub(super) const F_P: u16 = 0x040;
pub(super) const F_STR: u16 = 0x080;
pub(super) const F_U: u16 = 0x100;
pub(super) const F_UINT: u16 = 0x200;
pub(super) const F_TEXT: u16 = 0x400;

/// A print unit: text, then one conversion (at `cchar`), then text.
#[derive(Debug, Clone)]
pub(super) struct Pr {
    pub(super) fmt: Vec<u8>,
    pub(super) cchar: usize,
    pub(super) flags: u16,
    pub(super) bcnt: usize,
    /// Where the trailing blank of the unit's last iteration is cut (`nospace`).
    pub(super) nospace: Option<usize>,
}

/// A format unit: `reps/bcnt "format"`.
#[derive(Debug, Clone)]
pub(super) struct Fu {
    pub(super) reps: usize,
    pub(super) bcnt: usize,
    pub(super) setrep: bool,
    pub(super) ignore: bool,
    pub(super) fmt: Vec<u8>,
    pub(super) prs: Vec<Pr>,
}

/// One format string (`-e`): its units and the bytes a block of it takes.
#[derive(Debug, Clone, Default)]
pub(super) struct Fs {
    pub(super) fus: Vec<Fu>,
    pub(super) bcnt: usize,
}

/// C's `isspace()`.
pub(super) fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t'..=b'\r')
}

pub(super) fn skip_ws(s: &[u8], mut p: usize) -> usize {
    while p < s.len() && is_space(s[p]) {
        p += 1;
    }
    p
}

/// libbb's `bb_process_escape_sequence()`: `s[*p..]` follows a backslash.
pub(super) fn escape(s: &[u8], p: &mut usize) -> u8 {
    let mut q = *p;
    let mut digits = 0;
    let mut n: u32 = 0;
    let mut base = 8;
    if s.get(q) == Some(&b'x') {
        q += 1;
        base = 16;
        digits += 1;
    }
    loop {
        let c = s.get(q).copied().unwrap_or(0);
        let mut d = u32::from(c).wrapping_sub(u32::from(b'0'));
        if d >= 10 {
            d = u32::from(c | 0x20).wrapping_sub(u32::from(b'a'));
            if (d as i32) >= 0 {
                d += 10;
            }
        }
        if d >= base {
            if base == 16 {
                digits -= 1;
                if digits == 0 {
                    return b'\\';
                }
            }
            break;
        }
        let r = n * base + d;
        if r > 255 {
            break;
        }
        n = r;
        q += 1;
        digits += 1;
        if digits >= 3 {
            break;
        }
    }
    if digits == 0 {
        const MAP: [(u8, u8); 9] = [
            (b'a', 7),
            (b'b', 8),
            (b'e', 27),
            (b'f', 12),
            (b'n', b'\n'),
            (b'r', b'\r'),
            (b't', b'\t'),
            (b'v', 11),
            (b'\\', b'\\'),
        ];
        let c = s.get(q).copied().unwrap_or(0);
        n = u32::from(b'\\');
        if let Some(&(_, to)) = MAP.iter().find(|(from, _)| *from == c) {
            q += 1;
            n = u32::from(to);
        }
    }
    *p = q;
    n as u8
}

/// `strcpy_and_process_escape_sequences()`, cut at the first NUL as the C string is.
pub(super) fn unescape(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut p = 0;
    while p < s.len() {
        let c = s[p];
        p += 1;
        let c = if c == b'\\' { escape(s, &mut p) } else { c };
        if c == 0 {
            break;
        }
        out.push(c);
    }
    out
}

pub(super) fn atoi(s: &[u8]) -> usize {
    s.iter()
        .take_while(|c| c.is_ascii_digit())
        .fold(0usize, |n, c| {
            n.saturating_mul(10).saturating_add(usize::from(c - b'0'))
        })
}

/// `bb_dump_add()`: one format string, as a new [`Fs`].
pub(super) fn add(fmt: &[u8]) -> Result<Fs, String> {
    let bad = || format!("bad format {{{}}}", String::from_utf8_lossy(fmt));
    let mut fs = Fs::default();
    let mut p = 0;
    loop {
        p = skip_ws(fmt, p);
        if p >= fmt.len() {
            break;
        }
        let mut fu = Fu {
            reps: 1,
            bcnt: 0,
            setrep: false,
            ignore: false,
            fmt: Vec::new(),
            prs: Vec::new(),
        };
        if fmt[p].is_ascii_digit() {
            let start = p;
            while p < fmt.len() && fmt[p].is_ascii_digit() {
                p += 1;
            }
            if p >= fmt.len() || !is_space(fmt[p]) && fmt[p] != b'/' {
                return Err(bad());
            }
            fu.reps = atoi(&fmt[start..]);
            fu.setrep = true;
            p = skip_ws(fmt, p + 1);
        }
        if fmt.get(p) == Some(&b'/') {
            p = skip_ws(fmt, p + 1);
        }
        if fmt.get(p).is_some_and(u8::is_ascii_digit) {
            let start = p;
            p += 1;
            while p < fmt.len() && fmt[p].is_ascii_digit() {
                p += 1;
            }
            if p >= fmt.len() || !is_space(fmt[p]) {
                return Err(bad());
            }
            fu.bcnt = atoi(&fmt[start..]);
            p = skip_ws(fmt, p + 1);
        }
        if fmt.get(p) != Some(&b'"') {
            return Err(bad());
        }
        p += 1;
        let start = p;
        while fmt.get(p) != Some(&b'"') {
            if p >= fmt.len() {
                return Err(bad());
            }
            p += 1;
        }
        fu.fmt = unescape(&fmt[start..p]);
        p += 1;
        fs.fus.push(fu);
    }
    Ok(fs)
}

pub(super) const FLAG_CHARS: &[u8] = b".#-+ 0123456789";

/// `bb_dump_size()`: the bytes one block of `fs` takes.
pub(super) fn size(fs: &Fs) -> usize {
    let mut cur = 0usize;
    for fu in &fs.fus {
        if fu.bcnt > 0 {
            cur = cur.saturating_add(fu.bcnt.saturating_mul(fu.reps));
            continue;
        }
        let f = &fu.fmt;
        let (mut bcnt, mut prec) = (0usize, 0usize);
        let mut i = 0;
        while i < f.len() {
            if f[i] != b'%' {
                i += 1;
                continue;
            }
            i += 1;
            while i < f.len() && FLAG_CHARS[1..].contains(&f[i]) {
                i += 1;
            }
            if f.get(i) == Some(&b'.') {
                i += 1;
                if f.get(i).is_some_and(u8::is_ascii_digit) {
                    prec = atoi(&f[i..]);
                    while f.get(i).is_some_and(u8::is_ascii_digit) {
                        i += 1;
                    }
                }
            }
            match f.get(i) {
                Some(b'c') => bcnt += 1,
                Some(b'd' | b'i' | b'o' | b'u' | b'x' | b'X') => bcnt += 4,
                Some(b'e' | b'E' | b'f' | b'g' | b'G') => bcnt += 8,
                Some(b's') => bcnt += prec,
                Some(b'_') => {
                    i += 1;
                    if matches!(f.get(i), Some(b'c' | b'p' | b'u')) {
                        bcnt += 1;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        cur = cur.saturating_add(bcnt.saturating_mul(fu.reps));
    }
    cur
}

/// `rewrite()`: each format unit broken into print units, checked; the last unit repeated to
/// fill the block. Gives the index of the `%_A` unit, if any.
pub(super) fn rewrite(fs: &mut Fs, blocksize: usize) -> Result<Option<usize>, String> {
    let mut endfu = None;
    for (ui, fu) in fs.fus.iter_mut().enumerate() {
        let f = fu.fmt.clone();
        let mut at = 0;
        let mut nconv = 0;
        while at < f.len() {
            let Some(pct) = f[at..].iter().position(|&c| c == b'%').map(|k| at + k) else {
                fu.prs.push(Pr {
                    fmt: f[at..].to_vec(),
                    cchar: 0,
                    flags: F_TEXT,
                    bcnt: 0,
                    nospace: None,
                });
                break;
            };
            let mut p1 = pct + 1;
            let mut prec: Option<usize> = None;
            if fu.bcnt > 0 {
                while p1 < f.len() && FLAG_CHARS.contains(&f[p1]) {
                    p1 += 1;
                }
            } else {
                while p1 < f.len() && FLAG_CHARS[1..].contains(&f[p1]) {
                    p1 += 1;
                }
                if f.get(p1) == Some(&b'.') {
                    p1 += 1;
                    if f.get(p1).is_some_and(u8::is_ascii_digit) {
                        prec = Some(atoi(&f[p1..]));
                        while f.get(p1).is_some_and(u8::is_ascii_digit) {
                            p1 += 1;
                        }
                    }
                }
            }
            let rest = String::from_utf8_lossy(f.get(p1..).unwrap_or_default()).into_owned();
            let bad_conv = || format!("bad conversion character %{rest}");
            let mut fmt = f[at..p1].to_vec();
            let mut p2 = p1 + 1;
            let c = f.get(p1).copied().unwrap_or(0);
            // The byte counts a conversion may take, the first its default.
            let counts: &[usize];
            let flags;
            let mut conv = c;
            match c {
                b'c' => {
                    flags = F_CHAR;
                    counts = &[1];
                }
                b'l' | b'd' | b'i' | b'o' | b'u' | b'x' | b'X' => {
                    if c == b'l' {
                        p2 += 1;
                        conv = f.get(p1 + 1).copied().unwrap_or(0);
                        fmt.push(b'l');
                    }
                    flags = match conv {
                        b'd' | b'i' => F_INT,
                        b'o' | b'u' | b'x' | b'X' => F_UINT,
                        _ => return Err(bad_conv()),
                    };
                    counts = &[4, 2, 1];
                }
                b'e' | b'E' | b'f' | b'g' | b'G' => {
                    flags = F_DBL;
                    counts = &[8, 4];
                }
                b's' => {
                    flags = F_STR;
                    counts = &[];
                }
                b'_' => {
                    p2 += 1;
                    match f.get(p1 + 1) {
                        Some(b'A' | b'a') => {
                            if f.get(p1 + 1) == Some(&b'A') {
                                endfu = Some(ui);
                                fu.ignore = true;
                            }
                            p2 += 1;
                            let radix = f.get(p1 + 2).copied().unwrap_or(0);
                            if !matches!(radix, b'd' | b'o' | b'x') {
                                return Err(bad_conv());
                            }
                            flags = F_ADDRESS;
                            counts = &[];
                            fmt.extend_from_slice(b"ll");
                            conv = radix;
                        }
                        Some(b'c') => {
                            flags = F_C;
                            counts = &[1];
                        }
                        Some(b'p') => {
                            flags = F_P;
                            counts = &[1];
                            conv = b'c';
                        }
                        Some(b'u') => {
                            flags = F_U;
                            counts = &[1];
                        }
                        _ => return Err(bad_conv()),
                    }
                }
                _ => return Err(bad_conv()),
            }
            let bcnt = if flags == F_STR {
                if fu.bcnt > 0 {
                    fu.bcnt
                } else {
                    match prec {
                        Some(p) => p,
                        None => return Err("%s needs precision or byte count".into()),
                    }
                }
            } else if counts.is_empty() {
                0
            } else if fu.bcnt > 0 {
                if !counts.contains(&fu.bcnt) {
                    return Err(format!("bad byte count for conversion character {rest}"));
                }
                fu.bcnt
            } else {
                counts[0]
            };
            fmt.push(conv);
            let cchar = fmt.len() - 1;
            // The text after the conversion, up to the next `%`, goes with it.
            let p2 = p2.min(f.len());
            let p3 = f[p2..]
                .iter()
                .position(|&c| c == b'%')
                .map_or(f.len(), |k| p2 + k);
            fmt.extend_from_slice(&f[p2..p3]);
            fu.prs.push(Pr {
                fmt,
                cchar,
                flags,
                bcnt,
                nospace: None,
            });
            at = p3;
            if flags != F_ADDRESS && fu.bcnt > 0 {
                nconv += 1;
                if nconv > 1 {
                    return Err("byte count with multiple conversion characters".into());
                }
            }
            if at >= f.len() {
                break;
            }
        }
        if fu.bcnt == 0 {
            fu.bcnt = fu.prs.iter().map(|p| p.bcnt).sum();
        }
    }
    let n = fs.fus.len();
    for (k, fu) in fs.fus.iter_mut().enumerate() {
        if k + 1 == n && fs.bcnt < blocksize && !fu.setrep && fu.bcnt > 0 {
            fu.reps += (blocksize - fs.bcnt) / fu.bcnt;
        }
        if fu.reps > 1 {
            if let Some(pr) = fu.prs.last_mut() {
                let mut at = None;
                for (i, &c) in pr.fmt.iter().enumerate() {
                    at = if is_space(c) { Some(i) } else { None };
                }
                pr.nospace = at;
            }
        }
    }
    Ok(endfu)
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum VFlag {
    All,
    First,
    Dup,
    Wait,
}
