//! BusyBox's `diff` (editors/diff.c, 1.36), followed step by step: lines hashed by tokens
//! (`-b -w -i` change what a token is), Harold Stone's longest common subsequence (`stone`),
//! the hash matches checked against the text, and unified hunks whose context lines come from
//! the old file; `-B` drops a hunk whose changed lines are all blank, `-q -s -N -L -t -T -U -a
//! -d`, and directories (`-r`, `Only in`, `Common subdirectories`). Which lines pair up
//! decides the output, so the algorithm is BusyBox's own, not another shortest edit script.
//!
//! Emulation note: the real diff compares files of any size; here the matching stops after
//! [`MAX_WORK`] steps with `layerbox: diff: files too different, stopped (layerbox limit)` and
//! status 2, and a directory walk after [`MAX_ENTRIES`] names.

use layerbox_fstree::{FileSystem, FileType, Stat};

use crate::cli::{parse_or_usage, Spec};
use crate::{Ctx, Output};

/// The most steps the matching of two files may take.
const MAX_WORK: usize = 20_000_000;

/// The most names one directory walk lists.
const MAX_ENTRIES: usize = 10_000;

/// `read_token()`'s bits: the line is done, the file ended, a newline was seen (sticky), `-b`
/// is skipping blanks; the low 9 bits are the character (0x1ff for EOF).
const TOK_EMPTY: i32 = 1 << 9;
const TOK_EOF: i32 = 1 << 10;
const TOK_EOL: i32 = 1 << 11;
const TOK_SPACE: i32 = 1 << 12;
const CHAR_MASK: i32 = 0x1ff;

const TOO_DIFFERENT: &str = "layerbox: diff: files too different, stopped (layerbox limit)\n";

#[derive(Default)]
struct Flags {
    a: bool,
    b: bool,
    d: bool,
    i: bool,
    n: bool,
    q: bool,
    r: bool,
    s: bool,
    t: bool,
    tab: bool,
    w: bool,
    blank: bool,
    context: usize,
    labels: [Option<String>; 2],
}

/// One file being read: its bytes and the read position (`FILE_and_pos_t`).
struct Reader<'d> {
    data: &'d [u8],
    pos: usize,
}

/// C's `isspace()` in the C locale.
fn is_space(c: i32) -> bool {
    matches!(c, 0x20 | 0x09..=0x0d)
}

impl Reader<'_> {
    /// `read_token()`: the next character of the line as `-b -w -i` see it, or `TOK_EMPTY`
    /// once the line is done.
    fn token(&mut self, mut tok: i32, f: &Flags) -> i32 {
        tok |= TOK_EMPTY;
        while tok & TOK_EOL == 0 {
            let mut t: i32 = match self.data.get(self.pos) {
                Some(&c) => {
                    self.pos += 1;
                    i32::from(c)
                }
                None => -1,
            };
            let space = t == -1 || is_space(t);
            tok |= t & (TOK_EOF + TOK_EOL);
            if t == i32::from(b'\n') {
                tok |= TOK_EOL;
            }
            if f.i && (i32::from(b'A')..=i32::from(b'Z')).contains(&t) {
                t += 32;
            }
            if f.w && space {
                continue;
            }
            t &= CHAR_MASK;
            if f.b {
                if tok & TOK_SPACE != 0 {
                    if space {
                        continue;
                    }
                    tok &= !TOK_SPACE;
                } else if space {
                    t = TOK_SPACE + i32::from(b' ');
                }
            }
            tok &= !(TOK_EMPTY + CHAR_MASK);
            tok |= t;
            break;
        }
        tok
    }
}

/// A line in the sort: its hash (`value`), then its place (`serial`).
#[derive(Clone, Copy, Default)]
struct Line {
    serial: usize,
    value: u32,
}

#[derive(Clone, Copy, Default)]
struct Cand {
    x: usize,
    y: i64,
    pred: usize,
}

/// Counts the matching's steps against its cap.
struct Work {
    used: usize,
    cap: usize,
}

impl Work {
    fn take(&mut self, n: usize) -> Result<(), ()> {
        self.used += n;
        if self.used > self.cap {
            Err(())
        } else {
            Ok(())
        }
    }
}

fn isqrt(n: usize) -> usize {
    let mut r = (n as f64).sqrt() as usize;
    while r * r > n {
        r -= 1;
    }
    while (r + 1) * (r + 1) <= n {
        r += 1;
    }
    r
}

fn search(c: &[usize], k: usize, y: i64, list: &[Cand]) -> usize {
    if list[c[k]].y < y {
        return k + 1;
    }
    let (mut i, mut j) = (0, k + 1);
    loop {
        let l = (i + j) >> 1;
        if l > i {
            let t = list[c[l]].y;
            if t > y {
                j = l;
            } else if t < y {
                i = l;
            } else {
                return l;
            }
        } else {
            return l + 1;
        }
    }
}

/// `stone()`: the longest common subsequence of the classes `a[1..=n]` in the members `b`,
/// written into `j` (shifted by `pref`).
fn stone(
    a: &[i64],
    n: usize,
    b: &[i64],
    jv: &mut [usize],
    pref: usize,
    f: &Flags,
    work: &mut Work,
) -> Result<(), ()> {
    let bound = if f.d { usize::MAX } else { isqrt(n).max(256) };
    let mut clist: Vec<Cand> = vec![Cand::default()];
    let mut klist = vec![0usize; n + 2];
    let mut k = 0;
    for (x, &class) in a.iter().enumerate().take(n + 1).skip(1) {
        let Ok(mut jj) = usize::try_from(class) else {
            continue;
        };
        if jj == 0 {
            continue;
        }
        let mut oldl = 0;
        let mut tries = 0usize;
        let mut cand = Cand {
            x,
            y: -b[jj],
            pred: klist[0],
        };
        loop {
            work.take(1)?;
            let mut stop = false;
            'body: {
                if cand.y <= clist[cand.pred].y {
                    break 'body;
                }
                let l = search(&klist, k, cand.y, &clist);
                work.take(1 + usize::BITS as usize - k.leading_zeros() as usize)?;
                if l != oldl + 1 {
                    cand.pred = klist[l - 1];
                }
                if l <= k && clist[klist[l]].y <= cand.y {
                    break 'body;
                }
                clist.push(cand);
                let tc = klist[l];
                klist[l] = clist.len() - 1;
                if l <= k {
                    cand.pred = tc;
                    oldl = l;
                    tries += 1;
                } else {
                    k += 1;
                    stop = true;
                }
            }
            if stop {
                break;
            }
            jj += 1;
            cand.y = b[jj];
            if !(cand.y > 0 && tries < bound) {
                break;
            }
        }
    }
    let mut q = klist[k];
    while clist[q].y != 0 {
        let c = clist[q];
        jv[c.x + pref] = usize::try_from(c.y).unwrap_or(0) + pref;
        q = c.pred;
    }
    Ok(())
}

/// One file's lines: `ix[k]` is where line `k + 1` starts (`ix[0]` is 0); the end of a last
/// line without a newline counts one more, for the EOF that ends it.
struct Lines {
    n: usize,
    ix: Vec<usize>,
    hash: Vec<u32>,
}

fn hash_lines(data: &[u8], f: &Flags, work: &mut Work) -> Result<Lines, ()> {
    let mut r = Reader { data, pos: 0 };
    let mut hash: Vec<u32> = vec![0];
    let mut ix: Vec<usize> = vec![0];
    loop {
        let mut h: u32 = 0;
        let mut tok = 0;
        loop {
            tok = r.token(tok, f);
            if tok & TOK_EMPTY != 0 {
                break;
            }
            h = h.wrapping_mul(127).wrapping_add((tok & CHAR_MASK) as u32);
        }
        work.take(1 + (r.pos - ix[ix.len() - 1]) / 16)?;
        hash.push(h & i32::MAX as u32);
        if tok & TOK_EOF != 0 {
            ix.push(r.pos + 1);
            break;
        }
        ix.push(r.pos);
    }
    let mut n = hash.len() - 1;
    // A lone EOF after the last newline is no line.
    if ix[n] - ix[n - 1] == 1 && (ix[n] > data.len()) {
        n -= 1;
        hash.truncate(n + 1);
        ix.truncate(n + 1);
    }
    Ok(Lines { n, ix, hash })
}

/// `create_J()`: for each line of the old file, the line of the new one it stays as (0: none).
fn create_j(d: [&[u8]; 2], l: [&Lines; 2], f: &Flags, work: &mut Work) -> Result<Vec<usize>, ()> {
    let (n0, n1) = (l[0].n, l[1].n);
    let mut pref = 0;
    while pref < n0 && pref < n1 && l[0].hash[pref + 1] == l[1].hash[pref + 1] {
        pref += 1;
    }
    let mut suff = 0;
    while suff < n0 - pref && suff < n1 - pref && l[0].hash[n0 - suff] == l[1].hash[n1 - suff] {
        suff += 1;
    }
    let mut sfile: [Vec<Line>; 2] = [Vec::new(), Vec::new()];
    let mut slen = [0; 2];
    for j in 0..2 {
        slen[j] = l[j].n - pref - suff;
        let mut v: Vec<Line> = (0..=slen[j] + 1)
            .map(|i| Line {
                serial: i,
                value: if i <= slen[j] { l[j].hash[pref + i] } else { 0 },
            })
            .collect();
        work.take(slen[j] * 2)?;
        layerbox_order::sort_by_key(&mut v[1..=slen[j]], |l| (l.value, l.serial));
        sfile[j] = v;
    }
    // equiv()
    let (m, n) = (slen[1], slen[0]);
    let mut member = vec![0i64; m + 2];
    {
        let [a, b] = &mut sfile;
        let (mut i, mut j) = (1, 1);
        let mut class_of = vec![0u32; n + 1];
        while i <= n && j <= m {
            if a[i].value < b[j].value {
                class_of[i] = 0;
                i += 1;
            } else if a[i].value == b[j].value {
                class_of[i] = j as u32;
                i += 1;
            } else {
                j += 1;
            }
        }
        for (k, line) in a.iter_mut().enumerate().take(n + 1).skip(1) {
            line.value = class_of[k];
        }
        b[m + 1].value = 0;
        let mut j = 1;
        while j <= m {
            member[j] = -(b[j].serial as i64);
            while j < m && b[j + 1].value == b[j].value {
                j += 1;
                member[j] = b[j].serial as i64;
            }
            j += 1;
        }
        member[j.min(m + 1)] = -1;
    }
    // unsort()
    let mut class = vec![0i64; n + 2];
    for line in &sfile[0][1..=n] {
        class[line.serial] = i64::from(line.value);
    }
    let mut jv = vec![0usize; n0 + 2];
    for (i, slot) in jv.iter_mut().enumerate().take(n0 + 1) {
        *slot = if i <= pref {
            i
        } else if i > n0 - suff {
            i + n1 - n0
        } else {
            0
        };
    }
    stone(&class, n, &member, &mut jv, pref, f, work)?;
    jv[n0 + 1] = n1 + 1;
    // Hash matches are checked against the text.
    let mut r0 = Reader { data: d[0], pos: 0 };
    let mut r1 = Reader { data: d[1], pos: 0 };
    let mut i = 1;
    while i <= n0 {
        if jv[i] != 0 {
            r0.pos = l[0].ix[i - 1];
            r1.pos = l[1].ix[jv[i] - 1];
            let mut j = jv[i];
            while i <= n0 && jv[i] == j {
                let (mut t0, mut t1) = (0, 0);
                loop {
                    work.take(1)?;
                    t0 = r0.token(t0, f);
                    t1 = r1.token(t1, f);
                    if (t0 ^ t1) & TOK_EMPTY != 0
                        || (t0 & TOK_EMPTY == 0 && (t0 & CHAR_MASK) != (t1 & CHAR_MASK))
                    {
                        jv[i] = 0;
                    }
                    if t0 & t1 & TOK_EMPTY != 0 {
                        break;
                    }
                }
                i += 1;
                j += 1;
            }
        }
        // The C loop's own `i++` comes on top of the inner loop's.
        i += 1;
    }
    Ok(jv)
}

/// `fetch()`: lines `a..=b` of a file, each after `mark`.
fn fetch(out: &mut Vec<u8>, data: &[u8], ix: &[usize], a: usize, b: usize, mark: u8, f: &Flags) {
    for i in a..=b {
        if i == 0 || i >= ix.len() {
            continue;
        }
        out.push(mark);
        if f.tab {
            out.push(b'\t');
        }
        let mut col = 0;
        for p in ix[i - 1]..ix[i] {
            let Some(&c) = data.get(p) else {
                out.extend_from_slice(b"\n\\ No newline at end of file\n");
                return;
            };
            if c == b'\t' && f.t {
                loop {
                    out.push(b' ');
                    col += 1;
                    if col & 7 == 0 {
                        break;
                    }
                }
            } else {
                out.push(c);
                col += 1;
            }
        }
    }
}

#[derive(Clone, Copy)]
struct Span {
    a: usize,
    b: usize,
}

/// `diff()`: the hunks, printed unless `-q`; whether there was any (after `-B`).
fn diff_files(
    out: &mut Vec<u8>,
    d: [&[u8]; 2],
    names: [&str; 2],
    f: &Flags,
    work: &mut Work,
) -> Result<bool, ()> {
    let l0 = hash_lines(d[0], f, work)?;
    let l1 = hash_lines(d[1], f, work)?;
    let l = [&l0, &l1];
    let nlen = [l0.n, l1.n];
    let mut jv = create_j(d, l, f, work)?;
    let ctx = f.context;
    let mut i = 1;
    let mut anychange = false;
    loop {
        let mut nonempty = false;
        let mut vec: Vec<[Span; 2]> = Vec::new();
        loop {
            work.take(1)?;
            let mut a0 = i;
            while a0 <= nlen[0] && jv[a0] == jv[a0 - 1] + 1 {
                a0 += 1;
            }
            let a1 = jv[a0 - 1] + 1;
            let mut b0 = a0 - 1;
            while b0 < nlen[0] && jv[b0 + 1] == 0 {
                b0 += 1;
            }
            let b1 = jv[b0 + 1].wrapping_sub(1);
            let v = [Span { a: a0, b: b0 }, Span { a: a1, b: b1 }];
            if a0 <= b0 || a1 <= b1 {
                let ct = 2 * ctx + 1;
                if let Some(last) = vec.last() {
                    if a0 > last[0].b + ct && a1 > last[1].b.wrapping_add(ct) {
                        break;
                    }
                }
                for (j, s) in v.iter().enumerate() {
                    for k in s.a..=s.b {
                        if k == 0 || k >= l[j].ix.len() {
                            continue;
                        }
                        nonempty |= l[j].ix[k] - l[j].ix[k - 1] != 1;
                    }
                }
                vec.push(v);
            }
            i = b0 + 1;
            if i > nlen[0] {
                break;
            }
            jv[b0] = b1;
        }
        if !vec.is_empty() && (!f.blank || nonempty) {
            if !f.q {
                if !anychange {
                    for (j, mark) in ["---", "+++"].iter().enumerate() {
                        let name = f.labels[j].as_deref().unwrap_or(names[j]);
                        out.extend_from_slice(format!("{mark} {name}\n").as_bytes());
                    }
                }
                let mut span = [Span { a: 0, b: 0 }; 2];
                let mut head = String::from("@@");
                let last = vec.len() - 1;
                for j in 0..2 {
                    let a = vec[0][j].a.saturating_sub(ctx).max(1);
                    let b = (vec[last][j].b.wrapping_add(ctx)).min(nlen[j]);
                    span[j] = Span { a, b };
                    head.push_str(&format!(" {}{}", if j == 1 { '+' } else { '-' }, a.min(b)));
                    if a != b {
                        head.push_str(&format!(",{}", if a < b { b - a + 1 } else { 0 }));
                    }
                }
                head.push_str(" @@\n");
                out.extend_from_slice(head.as_bytes());
                let mut lowa = span[0].a;
                let mut cv = 0;
                loop {
                    let end = cv > last;
                    let to = if end {
                        span[0].b
                    } else {
                        vec[cv][0].a.wrapping_sub(1)
                    };
                    fetch(out, d[0], &l0.ix, lowa, to, b' ', f);
                    if end {
                        break;
                    }
                    for (j, mark) in [b'-', b'+'].into_iter().enumerate() {
                        fetch(out, d[j], &l[j].ix, vec[cv][j].a, vec[cv][j].b, mark, f);
                    }
                    lowa = vec[cv][0].b + 1;
                    cv += 1;
                }
                work.take(out.len() / 64)?;
            }
            anychange = true;
        }
        if i > nlen[0] {
            break;
        }
    }
    Ok(anychange)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    Same,
    Differ,
    Binary,
}

/// What a name on the command line or in a directory stands for (`stat()`, links followed).
fn stat(ctx: &Ctx<'_>, path: &str) -> Result<Stat, layerbox_fstree::Errno> {
    ctx.fs.stat(&ctx.cred, &ctx.abs(path))
}

struct Run<'r, 'a> {
    ctx: &'r mut Ctx<'a>,
    f: Flags,
    out: Output,
    status: i32,
    work: Work,
    too_much: bool,
}

impl Run<'_, '_> {
    fn read(&mut self, name: &str) -> Option<Vec<u8>> {
        if name == "-" {
            return Some(self.ctx.stdin.to_vec());
        }
        match crate::text::read_input(self.ctx, name) {
            Ok(d) => Some(d),
            Err(_) if self.f.n => Some(Vec::new()),
            Err(e) => {
                self.out
                    .err(format!("diff: can't open '{name}': {}\n", e.strerror()));
                None
            }
        }
    }

    /// `diffreg()`.
    fn diffreg(&mut self, names: [&str; 2]) -> Status {
        // A file that cannot be opened is warned about, and counts as the same.
        let Some(d0) = self.read(names[0]) else {
            return Status::Same;
        };
        let Some(d1) = self.read(names[1]) else {
            return Status::Same;
        };
        let common = d0.len().min(d1.len());
        let differ = d0.len() != d1.len() || d0[..common] != d1[..common];
        let binary = d0[..common].contains(&0) || d1[..common].contains(&0);
        let mut status = Status::Same;
        if differ {
            if binary && !self.f.a {
                status = Status::Binary;
            } else {
                let mut text = Vec::new();
                match diff_files(&mut text, [&d0, &d1], names, &self.f, &mut self.work) {
                    Ok(true) => status = Status::Differ,
                    Ok(false) => {}
                    Err(()) => {
                        self.too_much = true;
                        return Status::Same;
                    }
                }
                self.out.out(text);
            }
        }
        if status != Status::Same {
            self.status |= 1;
        }
        status
    }

    fn print_status(&mut self, status: Status, paths: [&str; 2]) {
        match status {
            Status::Binary | Status::Differ => {
                if self.f.q || status == Status::Binary {
                    self.out
                        .out(format!("Files {} and {} differ\n", paths[0], paths[1]));
                }
            }
            Status::Same => {
                if self.f.s {
                    self.out.out(format!(
                        "Files {} and {} are identical\n",
                        paths[0], paths[1]
                    ));
                }
            }
        }
    }

    /// The names below `root` (`recursive_action` with `add_to_dirlist` and `skip_dir`),
    /// relative to it, sorted.
    fn list(&mut self, root: &str, other: &str) -> Vec<String> {
        let mut names = Vec::new();
        let mut stack = vec![root.to_string()];
        let mut seen = 0;
        while let Some(dir) = stack.pop() {
            let Ok(entries) = self.ctx.fs.read_dir(&self.ctx.cred, &self.ctx.abs(&dir)) else {
                continue;
            };
            for e in entries {
                seen += 1;
                if seen > MAX_ENTRIES {
                    self.too_much = true;
                    return names;
                }
                let path = concat_path_file(&dir, &e.name);
                let rel = path[root.len()..].trim_start_matches('/').to_string();
                let is_dir = stat(self.ctx, &path).is_ok_and(|s| s.kind == FileType::Dir);
                if !is_dir {
                    names.push(rel);
                    continue;
                }
                if !self.f.r {
                    names.push(rel);
                    continue;
                }
                if !self.f.n {
                    // -r without -N: a directory the other side has not is not entered.
                    let there = concat_path_file(other, &rel);
                    if !stat(self.ctx, &there).is_ok_and(|s| s.kind == FileType::Dir) {
                        self.status |= 1;
                        continue;
                    }
                }
                stack.push(path);
            }
        }
        layerbox_order::sort(&mut names);
        names
    }

    /// `diffdir()`.
    fn diffdir(&mut self, p: [&str; 2]) {
        let lists = [self.list(p[0], p[1]), self.list(p[1], p[0])];
        let (mut s0, mut s1) = (0, 0);
        loop {
            let d0 = lists[0].get(s0);
            let d1 = lists[1].get(s1);
            let (pos, k) = match (d0, d1) {
                (None, None) => break,
                (None, Some(_)) => (1, 1),
                (Some(_), None) => (-1, 0),
                (Some(a), Some(b)) => match a.cmp(b) {
                    std::cmp::Ordering::Less => (-1, 0),
                    std::cmp::Ordering::Equal => (0, 0),
                    std::cmp::Ordering::Greater => (1, 1),
                },
            };
            let dp = [
                d0.cloned().unwrap_or_default(),
                d1.cloned().unwrap_or_default(),
            ];
            if pos != 0 && !self.f.n {
                self.out.out(format!("Only in {}: {}\n", p[k], dp[k]));
                self.status |= 1;
            } else {
                let mut full = [String::new(), String::new()];
                let mut path = [String::new(), String::new()];
                let mut st: [Option<Stat>; 2] = [None, None];
                for i in 0..2 {
                    if pos == 0 || i == k {
                        full[i] = concat_path_file(p[i], &dp[i]);
                        path[i] = full[i].clone();
                        st[i] = stat(self.ctx, &full[i]).ok();
                    } else {
                        full[i] = concat_path_file(p[i], &dp[1 - i]);
                        path[i] = "/dev/null".into();
                    }
                }
                if pos != 0 {
                    st[1 - k] = st[k];
                }
                let kind = |s: &Option<Stat>| s.map(|s| s.kind);
                let is_dir = |s: &Option<Stat>| kind(s) == Some(FileType::Dir);
                let is_reg = |s: &Option<Stat>| kind(s) == Some(FileType::File);
                if is_dir(&st[0]) && is_dir(&st[1]) {
                    self.out.out(format!(
                        "Common subdirectories: {} and {}\n",
                        full[0], full[1]
                    ));
                } else if !is_reg(&st[0]) && !is_dir(&st[0]) {
                    self.out.out(format!(
                        "File {} is not a regular file or directory and was skipped\n",
                        full[0]
                    ));
                } else if !is_reg(&st[1]) && !is_dir(&st[1]) {
                    self.out.out(format!(
                        "File {} is not a regular file or directory and was skipped\n",
                        full[1]
                    ));
                } else if is_dir(&st[0]) != is_dir(&st[1]) {
                    let (a, b) = if is_dir(&st[0]) {
                        ("directory", "regular file")
                    } else {
                        ("regular file", "directory")
                    };
                    self.out.out(format!(
                        "File {} is a {a} while file {} is a {b}\n",
                        full[0], full[1]
                    ));
                } else {
                    let s = self.diffreg([&path[0], &path[1]]);
                    self.print_status(s, [&full[0], &full[1]]);
                }
            }
            if k == 0 {
                s0 += 1;
            } else {
                s1 += 1;
            }
            if pos == 0 {
                s1 += 1;
            }
            if self.too_much {
                break;
            }
        }
    }
}

/// libbb's `concat_path_file()`: `path/name`, with no second slash after a path ending in one
/// and the name's leading slashes dropped.
fn concat_path_file(path: &str, name: &str) -> String {
    let name = name.trim_start_matches('/');
    if path.ends_with('/') {
        format!("{path}{name}")
    } else {
        format!("{path}/{name}")
    }
}

/// Whether two stats are of one file (`diff_main`'s metadata check).
fn same_file(a: &Stat, b: &Stat) -> bool {
    a.ino == b.ino
        && a.size == b.size
        && a.mtime == b.mtime
        && a.mode == b.mode
        && a.kind == b.kind
        && a.nlink == b.nlink
        && a.uid == b.uid
        && a.gid == b.gid
}

pub fn diff(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let spec = Spec {
        short: "abdiL:NqrsS:tTU:wupBE",
        long: &[
            ("ignore-case", 'i'),
            ("ignore-tab-expansion", 'E'),
            ("ignore-space-change", 'b'),
            ("ignore-all-space", 'w'),
            ("ignore-blank-lines", 'B'),
            ("text", 'a'),
            ("unified", 'U'),
            ("label", 'L'),
            ("show-c-function", 'p'),
            ("brief", 'q'),
            ("expand-tabs", 't'),
            ("initial-tab", 'T'),
            ("recursive", 'r'),
            ("new-file", 'N'),
            ("report-identical-files", 's'),
            ("starting-file", 'S'),
            ("minimal", 'd'),
        ],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    if o.operands.len() != 2 {
        return crate::cli::usage_error(ctx, prog, None, 1);
    }
    if o.has('S') {
        let mut out = Output::default();
        out.err(format!("layerbox: {prog} -S is not modelled\n"));
        out.code = 69;
        return out;
    }
    let mut f = Flags {
        a: o.has('a'),
        b: o.has('b'),
        d: o.has('d'),
        i: o.has('i'),
        n: o.has('N'),
        q: o.has('q'),
        r: o.has('r'),
        s: o.has('s'),
        t: o.has('t'),
        tab: o.has('T'),
        w: o.has('w'),
        blank: o.has('B'),
        context: 3,
        labels: [None, None],
    };
    if let Some(u) = o.value('U') {
        match u.parse::<usize>() {
            Ok(n) => f.context = n,
            Err(_) => {
                let mut out = Output::default();
                out.fail(prog, format!("invalid number '{u}'"), 1);
                return out;
            }
        }
    }
    for (c, v) in &o.flags {
        if *c == 'L' {
            let slot = usize::from(f.labels[0].is_some());
            f.labels[slot] = v.clone();
        }
    }
    let mut files = [o.operands[0].clone(), o.operands[1].clone()];
    let mut stb: [Option<Stat>; 2] = [None, None];
    let mut gotstdin = 0;
    for i in 0..2 {
        if files[i] == "-" {
            gotstdin += 1;
            continue;
        }
        match stat(ctx, &files[i]) {
            Ok(s) => stb[i] = Some(s),
            Err(_) if f.n => stb[i] = stat(ctx, "/dev/null").ok(),
            Err(e) => {
                let mut out = Output::default();
                out.fail(
                    prog,
                    format!("can't stat '{}': {}", files[i], e.strerror()),
                    2,
                );
                return out;
            }
        }
    }
    let is_dir = |s: &Option<Stat>| s.is_some_and(|s| s.kind == FileType::Dir);
    if gotstdin > 0 && (is_dir(&stb[0]) || is_dir(&stb[1])) {
        let mut out = Output::default();
        out.fail(prog, "can't compare stdin to a directory", 1);
        return out;
    }
    if let (Some(a), Some(b)) = (&stb[0], &stb[1]) {
        if same_file(a, b) {
            return Output::default();
        }
    }
    let cap = ctx.work_cap(MAX_WORK);
    let mut run = Run {
        ctx,
        f,
        out: Output::default(),
        status: 0,
        work: Work { used: 0, cap },
        too_much: false,
    };
    if is_dir(&stb[0]) && is_dir(&stb[1]) {
        run.diffdir([&files[0], &files[1]]);
    } else {
        let dirfile = is_dir(&stb[0]) || is_dir(&stb[1]);
        if dirfile {
            let dir = usize::from(is_dir(&stb[1]));
            let other = &files[1 - dir];
            let base = other.rsplit('/').next().unwrap_or(other).to_string();
            files[dir] = concat_path_file(&files[dir], &base);
            // By now `xfunc_error_retval` is back to 1.
            if let Err(e) = stat(run.ctx, &files[dir]) {
                let mut out = run.out;
                out.fail(
                    prog,
                    format!("can't stat '{}': {}", files[dir], e.strerror()),
                    1,
                );
                return out;
            }
        }
        let s = if gotstdin > 1 {
            Status::Same
        } else {
            run.diffreg([&files[0], &files[1]])
        };
        run.print_status(s, [&files[0], &files[1]]);
    }
    run.ctx.spend_work(run.work.used);
    let mut out = run.out;
    if run.too_much {
        out.err(TOO_DIFFERENT);
        out.code = 2;
        return out;
    }
    out.code = run.status;
    out
}
