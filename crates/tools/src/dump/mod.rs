//! BusyBox's `hexdump` and the format engine under it (libbb/dump.c, 1.36, from util-linux):
//! format strings (`-e '16/1 "%02x " "\n"'`) break into format units (an iteration count, a
//! byte count, a quoted format) and print units (one conversion each: `%d %u %o %x %c %s %e
//! %f %g`, and `%_a %_A %_c %_p %_u`); the input is read in blocks as long as the widest
//! format, a block equal to the one before is printed once as `*`, and the last block is
//! padded with blanks. `-b -c -d -o -x -C` and the default are such formats too.
//!
//! Emulation note: standard input is read as a pipe, so `-s` over it fails as BusyBox's does
//! on one (`Illegal seek`); a redirected file is a pipe here too. One dump does at most
//! [`MAX_STEPS`] print units and reads.

use layerbox_fstree::{FileSystem, FileType};

use crate::printf::{c_printf, CArg};
use crate::{Ctx, Output};

mod format;

use format::*;

/// The most bytes one dump reads (it prints at most the output limit anyway).
const MAX_INPUT: usize = 64 << 20;

/// The largest block a format may read at once.
const MAX_BLOCK: usize = 1 << 20;

/// The most print units and reads one dump does.
const MAX_STEPS: usize = 50_000_000;

/// One input of the dump: its name and bytes, or why it could not be opened.
struct Input {
    name: String,
    data: Result<Vec<u8>, &'static str>,
    /// A regular file (its size known to `-s`).
    regular: bool,
    /// `-s` can seek it (not a pipe).
    seekable: bool,
}

/// The dump's state, `priv_dumper_t`'s fields.
struct Dumper {
    fs: Vec<Fs>,
    endfu: Option<(usize, usize)>,
    length: i64,
    skip: u64,
    vflag: VFlag,
    blocksize: usize,
    address: u64,
    savaddress: u64,
    eaddress: u64,
    exitval: i32,
    inputs: Vec<Input>,
    /// The next input to open; `stdin` when there were none.
    next_input: usize,
    /// The open input and how far it was read.
    cur: Option<(usize, usize)>,
    done: bool,
    ateof: bool,
    curp: Vec<u8>,
    savp: Vec<u8>,
    started: bool,
    out: Vec<u8>,
    err: Vec<u8>,
    fatal: bool,
    /// The work done, against `cap`.
    steps: usize,
    cap: usize,
}

impl Dumper {
    /// `do_skip()`.
    fn do_skip(&mut self, idx: usize) {
        let (size, regular, name) = {
            let i = &self.inputs[idx];
            (
                i.data.as_ref().map_or(0, Vec::len) as u64,
                (i.regular, i.seekable),
                i.name.clone(),
            )
        };
        let (regular, seekable) = regular;
        if regular && self.skip >= size {
            self.skip -= size;
            self.address += size;
            return;
        }
        if !seekable {
            self.err
                .extend_from_slice(format!("hexdump: {name}: Illegal seek\n").as_bytes());
            self.fatal = true;
            return;
        }
        if let Some((_, pos)) = self.cur.as_mut() {
            *pos = usize::try_from(self.skip).unwrap_or(usize::MAX);
        }
        self.address += self.skip;
        self.savaddress = self.address;
        self.skip = 0;
    }

    /// `next()`: opens the next input; `false` when there is none.
    fn next(&mut self) -> bool {
        loop {
            if self.fatal {
                return false;
            }
            if self.next_input < self.inputs.len() {
                let idx = self.next_input;
                self.next_input += 1;
                if let Err(e) = &self.inputs[idx].data {
                    let msg = format!("hexdump: {}: {e}\n", self.inputs[idx].name);
                    self.err.extend_from_slice(msg.as_bytes());
                    self.exitval = 1;
                    self.done = true;
                    continue;
                }
                self.cur = Some((idx, 0));
                self.done = true;
                if self.skip > 0 {
                    self.do_skip(idx);
                }
                if self.skip == 0 {
                    return !self.fatal;
                }
            } else {
                return false;
            }
        }
    }

    /// Reads up to `want` bytes of the open input into `curp[at..]`.
    fn fread(&mut self, at: usize, want: usize) -> usize {
        let Some((idx, pos)) = self.cur else {
            return 0;
        };
        let data = self.inputs[idx].data.as_deref().unwrap_or_default();
        self.steps += 1 + want / 64;
        let n = want.min(data.len().saturating_sub(pos));
        self.curp[at..at + n].copy_from_slice(&data[pos..pos + n]);
        self.cur = Some((idx, pos + n));
        n
    }

    /// `get()`: the next block to print, `None` at the end.
    fn get(&mut self) -> Option<()> {
        let bs = self.blocksize;
        if !self.started {
            self.started = true;
            self.address = 0;
            self.curp = vec![0; bs];
            self.savp = vec![0; bs];
        } else {
            std::mem::swap(&mut self.curp, &mut self.savp);
            self.savaddress += bs as u64;
            self.address = self.savaddress;
        }
        let mut need = bs;
        let mut nread = 0;
        loop {
            if self.length == 0 || (self.ateof && !self.next()) {
                if need == bs {
                    return None;
                }
                if self.vflag != VFlag::All
                    && self.vflag != VFlag::First
                    && self.curp[..nread] == self.savp[..nread]
                    && self.vflag != VFlag::Dup
                {
                    self.out.extend_from_slice(b"*\n");
                }
                for b in &mut self.curp[nread..] {
                    *b = 0;
                }
                self.eaddress = self.address + nread as u64;
                return Some(());
            }
            let want = if self.length == -1 {
                need
            } else {
                need.min(usize::try_from(self.length).unwrap_or(usize::MAX))
            };
            let n = self.fread(nread, want);
            if n == 0 {
                self.ateof = true;
                continue;
            }
            self.ateof = false;
            if self.length != -1 {
                self.length -= n as i64;
            }
            need -= n;
            if need == 0 {
                if self.vflag == VFlag::All || self.vflag == VFlag::First || self.curp != self.savp
                {
                    if self.vflag == VFlag::Dup || self.vflag == VFlag::First {
                        self.vflag = VFlag::Wait;
                    }
                    return Some(());
                }
                if self.vflag == VFlag::Wait {
                    self.out.extend_from_slice(b"*\n");
                }
                self.vflag = VFlag::Dup;
                self.savaddress += bs as u64;
                self.address = self.savaddress;
                need = bs;
                nread = 0;
            } else {
                nread += n;
            }
        }
    }

    /// Prints one print unit over the block at `bp`.
    fn print(&mut self, pr: &Pr, bp: usize) {
        let mut fmt = pr.fmt.clone();
        let block = &self.curp;
        let at = |k: usize| block.get(bp + k).copied().unwrap_or(0);
        let bytes =
            |n: usize| -> u64 { (0..n).fold(0u64, |v, k| v | (u64::from(at(k)) << (8 * k))) };
        let text = match pr.flags {
            F_ADDRESS => c_printf(&fmt, CArg::Int(self.address as i64)),
            F_BPAD => c_printf(&fmt, CArg::Str(b"")),
            F_C => {
                let b = at(0);
                let named = match b {
                    0 => Some("\\0"),
                    7 => Some("\\a"),
                    8 => Some("\\b"),
                    12 => Some("\\f"),
                    b'\n' => Some("\\n"),
                    b'\r' => Some("\\r"),
                    b'\t' => Some("\\t"),
                    11 => Some("\\v"),
                    _ => None,
                };
                match named {
                    Some(s) => {
                        fmt[pr.cchar] = b's';
                        c_printf(&fmt, CArg::Str(s.as_bytes()))
                    }
                    None if (0x20..0x7f).contains(&b) => {
                        fmt[pr.cchar] = b'c';
                        c_printf(&fmt, CArg::Int(i64::from(b)))
                    }
                    None => {
                        fmt[pr.cchar] = b's';
                        c_printf(&fmt, CArg::Str(format!("{b:03o}").as_bytes()))
                    }
                }
            }
            F_CHAR => c_printf(&fmt, CArg::Int(i64::from(at(0)))),
            F_DBL => match pr.bcnt {
                4 => c_printf(
                    &fmt,
                    CArg::Float(f64::from(f32::from_bits(bytes(4) as u32))),
                ),
                _ => c_printf(&fmt, CArg::Float(f64::from_bits(bytes(8)))),
            },
            F_INT => {
                let v = match pr.bcnt {
                    1 => i64::from(at(0)),
                    2 => i64::from(bytes(2) as u16 as i16),
                    _ => i64::from(bytes(4) as u32 as i32),
                };
                c_printf(&fmt, CArg::Int(v))
            }
            F_P => {
                let b = at(0);
                let b = if (0x20..0x7f).contains(&b) { b } else { b'.' };
                c_printf(&fmt, CArg::Int(i64::from(b)))
            }
            F_STR => c_printf(&fmt, CArg::Str(block.get(bp..).unwrap_or_default())),
            F_U => {
                const NAMES: [&str; 32] = [
                    "nul", "soh", "stx", "etx", "eot", "enq", "ack", "bel", "bs", "ht", "lf", "vt",
                    "ff", "cr", "so", "si", "dle", "dcl", "dc2", "dc3", "dc4", "nak", "syn", "etb",
                    "can", "em", "sub", "esc", "fs", "gs", "rs", "us",
                ];
                let b = at(0);
                if b <= 0x1f {
                    fmt[pr.cchar] = b's';
                    c_printf(&fmt, CArg::Str(NAMES[usize::from(b)].as_bytes()))
                } else if b == 0x7f {
                    fmt[pr.cchar] = b's';
                    c_printf(&fmt, CArg::Str(b"del"))
                } else if b < 0x7f {
                    fmt[pr.cchar] = b'c';
                    c_printf(&fmt, CArg::Int(i64::from(b)))
                } else {
                    fmt[pr.cchar] = b'x';
                    c_printf(&fmt, CArg::Int(i64::from(b)))
                }
            }
            F_UINT => {
                let v = match pr.bcnt {
                    1 => u64::from(at(0)),
                    2 => bytes(2) & 0xffff,
                    _ => bytes(4) & 0xffff_ffff,
                };
                c_printf(&fmt, CArg::Int(v as i64))
            }
            _ => c_printf(&fmt, CArg::None),
        };
        self.out.extend_from_slice(&text);
    }

    /// `display()`.
    fn display(&mut self) {
        while self.get().is_some() {
            if self.out.len() >= MAX_INPUT || self.steps > self.cap {
                break;
            }
            let save_address = self.address;
            for fsi in 0..self.fs.len() {
                let mut bp = 0;
                self.address = save_address;
                for fui in 0..self.fs[fsi].fus.len() {
                    if self.fs[fsi].fus[fui].ignore {
                        break;
                    }
                    let reps = self.fs[fsi].fus[fui].reps;
                    for cnt in (1..=reps).rev() {
                        for pri in 0..self.fs[fsi].fus[fui].prs.len() {
                            let mut pr = self.fs[fsi].fus[fui].prs[pri].clone();
                            if self.eaddress != 0
                                && self.address >= self.eaddress
                                && pr.flags & (F_TEXT | F_BPAD) == 0
                            {
                                bpad(&mut pr);
                                self.fs[fsi].fus[fui].prs[pri] = pr.clone();
                            }
                            if cnt == 1 {
                                if let Some(ns) = pr.nospace {
                                    pr.fmt.truncate(ns);
                                }
                            }
                            self.print(&pr, bp);
                            self.steps += 1;
                            self.address += pr.bcnt as u64;
                            bp += pr.bcnt;
                        }
                        if self.out.len() >= MAX_INPUT || self.steps > self.cap {
                            return;
                        }
                    }
                }
            }
        }
        if let Some((fsi, fui)) = self.endfu {
            if self.eaddress == 0 {
                if self.address == 0 {
                    return;
                }
                self.eaddress = self.address;
            }
            for pr in self.fs[fsi].fus[fui].prs.clone() {
                match pr.flags {
                    F_ADDRESS => {
                        let t = c_printf(&pr.fmt, CArg::Int(self.eaddress as i64));
                        self.out.extend_from_slice(&t);
                    }
                    F_TEXT => {
                        let t = c_printf(&pr.fmt, CArg::None);
                        self.out.extend_from_slice(&t);
                    }
                    _ => {}
                }
            }
        }
    }
}

/// `bpad()`: a print unit past the end of the data prints blanks as wide as its field.
fn bpad(pr: &mut Pr) {
    pr.flags = F_BPAD;
    pr.fmt[pr.cchar] = b's';
    let Some(pct) = pr.fmt.iter().position(|&c| c == b'%') else {
        return;
    };
    let from = pct + 1;
    let mut to = from;
    while to < pr.fmt.len() && b" -0+#".contains(&pr.fmt[to]) {
        to += 1;
        if let Some(ns) = pr.nospace.as_mut() {
            *ns = ns.saturating_sub(1);
        }
    }
    pr.fmt.drain(from..to);
    pr.cchar -= to - from;
}

const ADD_FIRST: &[u8] = b"\"%07.7_Ax\n\"";

/// hexdump's `-b -c -d -o -x` formats.
fn option_format(c: char) -> &'static [u8] {
    match c {
        'b' => b"\"%07.7_ax \"16/1 \"%03o \"\"\n\"",
        'c' => b"\"%07.7_ax \"16/1 \"%3_c \"\"\n\"",
        'd' => b"\"%07.7_ax \"8/2 \"  %05u \"\"\n\"",
        'o' => b"\"%07.7_ax \"8/2 \" %06o \"\"\n\"",
        _ => b"\"%07.7_ax \"8/2 \"   %04x \"\"\n\"",
    }
}

/// BusyBox's `hexdump`. Its options are read by plain `getopt()`, which musl stops at the
/// first operand, and they add up: `-C -C` dumps each line twice.
pub fn hexdump(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let mut formats: Vec<Vec<u8>> = Vec::new();
    let mut length: i64 = -1;
    let mut skip: u64 = 0;
    let mut all = false;
    let mut i = 0;
    let usage = |ctx: &Ctx<'_>, msg: Option<&str>| crate::cli::usage_error(ctx, prog, msg, 1);
    let die = |msg: String| {
        let mut o = Output::default();
        o.fail(prog, msg, 1);
        o
    };
    'args: while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            break;
        }
        if !a.starts_with('-') || a == "-" {
            i -= 1;
            break;
        }
        let body: Vec<char> = a[1..].chars().collect();
        let mut k = 0;
        while k < body.len() {
            let c = body[k];
            k += 1;
            match c {
                'b' | 'c' | 'd' | 'o' | 'x' => {
                    formats.push(ADD_FIRST.to_vec());
                    formats.push(option_format(c).to_vec());
                }
                'C' => {
                    formats.push(b"\"%08.8_Ax\n\"".to_vec());
                    formats.push(b"\"%08.8_ax  \"8/1 \"%02x \"\"  \"8/1 \"%02x \"".to_vec());
                    formats.push(b"\"  |\"16/1 \"%_p\"\"|\n\"".to_vec());
                }
                'v' => all = true,
                'e' | 'f' | 'n' | 's' => {
                    let rest: String = body[k..].iter().collect();
                    let val = if !rest.is_empty() {
                        rest
                    } else if let Some(v) = args.get(i) {
                        i += 1;
                        v.clone()
                    } else {
                        let msg = format!("option requires an argument -- '{c}'");
                        return usage(ctx, Some(&msg));
                    };
                    match c {
                        'e' => formats.push(val.into_bytes()),
                        'f' => match crate::text::read_input(ctx, &val) {
                            Ok(d) => {
                                for line in d.split(|&b| b == b'\n') {
                                    let p = skip_ws(line, 0);
                                    if p < line.len() && line[p] != b'#' {
                                        formats.push(line[p..].to_vec());
                                    }
                                }
                            }
                            Err(e) => {
                                return die(format!("can't open '{val}': {}", e.strerror()));
                            }
                        },
                        'n' => match val.parse::<i64>() {
                            Ok(n) if n >= 0 && n <= i64::from(i32::MAX) => length = n,
                            _ => return die(format!("invalid number '{val}'")),
                        },
                        _ => match parse_skip(&val) {
                            Some(n) => skip = n,
                            None => return die(format!("invalid number '{val}'")),
                        },
                    }
                    continue 'args;
                }
                _ => return usage(ctx, Some(&format!("invalid option -- '{c}'"))),
            }
        }
    }
    if formats.is_empty() {
        formats.push(ADD_FIRST.to_vec());
        formats.push(b"\"%07.7_ax \"8/2 \"%04x \"\"\n\"".to_vec());
    }
    let mut fs = Vec::new();
    for f in &formats {
        match add(f) {
            Ok(s) => fs.push(s),
            Err(m) => return die(m),
        }
    }
    let mut blocksize = 0;
    for s in &mut fs {
        s.bcnt = size(s);
        blocksize = blocksize.max(s.bcnt);
    }
    if blocksize > MAX_BLOCK {
        let mut o = Output::default();
        o.err(format!(
            "layerbox: {prog}: a format block of {blocksize} bytes is too large (layerbox limit)\n"
        ));
        o.code = 1;
        return o;
    }
    let mut endfu = None;
    for (k, s) in fs.iter_mut().enumerate() {
        match rewrite(s, blocksize) {
            Ok(Some(u)) => endfu = Some((k, u)),
            Ok(None) => {}
            Err(m) => return die(m),
        }
    }
    let mut out = Output::default();
    let names: Vec<String> = args[i.min(args.len())..].to_vec();
    let mut inputs = Vec::new();
    // Standard input is read once: a second `-` finds it at its end.
    let mut stdin = Some(ctx.stdin.to_vec());
    if names.is_empty() {
        inputs.push(Input {
            name: "stdin".into(),
            data: Ok(stdin.take().unwrap_or_default()),
            regular: false,
            seekable: false,
        });
    }
    for n in &names {
        if n == "-" {
            inputs.push(Input {
                name: n.clone(),
                data: Ok(stdin.take().unwrap_or_default()),
                regular: false,
                seekable: false,
            });
            continue;
        }
        let st = ctx.fs.stat(&ctx.cred, &ctx.abs(n)).ok();
        let regular = st.is_some_and(|s| s.kind == FileType::File);
        inputs.push(Input {
            name: n.clone(),
            data: crate::text::read_input_max(ctx, n, MAX_INPUT).map_err(|e| e.strerror()),
            regular,
            seekable: st.is_some(),
        });
    }
    let mut d = Dumper {
        fs,
        endfu,
        length,
        skip,
        vflag: if all { VFlag::All } else { VFlag::First },
        blocksize,
        address: 0,
        savaddress: 0,
        eaddress: 0,
        exitval: 0,
        inputs,
        next_input: 0,
        cur: None,
        done: false,
        ateof: true,
        curp: Vec::new(),
        savp: Vec::new(),
        started: false,
        out: Vec::new(),
        err: Vec::new(),
        fatal: false,
        steps: 0,
        cap: ctx.work_cap(MAX_STEPS),
    };
    d.display();
    ctx.spend_work(d.steps);
    out.out(d.out);
    out.err(d.err);
    out.code = if d.fatal { 1 } else { d.exitval };
    if d.steps > d.cap {
        out.err(format!(
            "layerbox: {prog}: stopped after {MAX_STEPS} steps (layerbox limit)\n"
        ));
        out.code = 1;
    }
    out
}

/// `-s`: a number in C's bases (`0x`, leading `0`) with BusyBox's `b k m` suffixes.
fn parse_skip(s: &str) -> Option<u64> {
    let (num, mult) = match s.as_bytes().last() {
        Some(b'b') if !s.starts_with("0x") && !s.starts_with("0X") => (&s[..s.len() - 1], 512),
        Some(b'k') => (&s[..s.len() - 1], 1024),
        Some(b'm') => (&s[..s.len() - 1], 1024 * 1024),
        _ => (s, 1),
    };
    let v = if let Some(h) = num.strip_prefix("0x").or_else(|| num.strip_prefix("0X")) {
        u64::from_str_radix(h, 16).ok()?
    } else if num.len() > 1 && num.starts_with('0') {
        u64::from_str_radix(&num[1..], 8).ok()?
    } else {
        num.parse().ok()?
    };
    v.checked_mul(mult)
}
