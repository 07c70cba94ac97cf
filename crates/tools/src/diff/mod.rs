//! `diff` of two files (or a file and stdin): GNU diffutils' normal format and `-u`/`-U N`
//! on the host, `-q` and `-s`, with diff's exit codes (0 same, 1 different, 2 trouble), by
//! Myers' shortest edit script; in containers BusyBox's own diff (`busybox.rs`).
//!
//! Emulation note: the real diff compares files of any size; layerbox stops looking past
//! [`MAX_EDITS`] differing lines with `layerbox: diff: files too different, stopped
//! (layerbox limit)` and status 2, and GNU's directories and `-b -B -i -N -r -w` are not
//! modelled (they say so).

mod busybox;

use layerbox_fstree::{FileSystem, FileType};

use crate::cli::{parse_or_usage, usage_error, Spec};
use crate::{Ctx, Output};

/// The most inserted plus deleted lines the search for the shortest edit script allows.
const MAX_EDITS: usize = 1000;

/// The most steps the search may take (diagonals tried plus lines compared).
const MAX_WORK: usize = 20_000_000;

#[derive(Clone, Copy, PartialEq)]
enum Op {
    Same,
    Del,
    Ins,
}

/// The shortest edit script from `a` to `b` (Myers 1986), or `None` past [`MAX_EDITS`].
fn myers(a: &[&[u8]], b: &[&[u8]]) -> Option<Vec<Op>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = (n + m).min(MAX_EDITS as isize);
    let off = max + 1;
    let mut v = vec![0isize; 2 * off as usize + 1];
    let mut trace: Vec<Vec<isize>> = Vec::new();
    let mut found = None;
    // The work of the search (each diagonal tried, each line compared), bounded as the edits are.
    let mut work: usize = 0;
    'outer: for d in 0..=max {
        trace.push(v.clone());
        let mut k = -d;
        while k <= d {
            work += 1;
            let idx = (k + off) as usize;
            let mut x = if k == -d || (k != d && v[idx - 1] < v[idx + 1]) {
                v[idx + 1]
            } else {
                v[idx - 1] + 1
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
                work += 1;
            }
            if work > MAX_WORK {
                return None;
            }
            v[idx] = x;
            if x >= n && y >= m {
                found = Some(d);
                break 'outer;
            }
            k += 2;
        }
    }
    let d_end = found?;
    // Walk back through the saved rows.
    let mut ops = Vec::new();
    let (mut x, mut y) = (n, m);
    for d in (1..=d_end).rev() {
        let v = &trace[d as usize];
        let k = x - y;
        let idx = (k + off) as usize;
        let prev_k = if k == -d || (k != d && v[idx - 1] < v[idx + 1]) {
            k + 1
        } else {
            k - 1
        };
        let prev_x = v[(prev_k + off) as usize];
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            ops.push(Op::Same);
            x -= 1;
            y -= 1;
        }
        if x == prev_x {
            ops.push(Op::Ins);
        } else {
            ops.push(Op::Del);
        }
        x = prev_x;
        y = prev_y;
    }
    while x > 0 && y > 0 {
        ops.push(Op::Same);
        x -= 1;
        y -= 1;
    }
    ops.reverse();
    Some(ops)
}

/// One change: lines `a.0..a.1` of the first file became `b.0..b.1` of the second.
struct Change {
    a: (usize, usize),
    b: (usize, usize),
}

fn changes(ops: &[Op]) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::new();
    let (mut i, mut j) = (0, 0);
    let mut k = 0;
    while k < ops.len() {
        if ops[k] == Op::Same {
            i += 1;
            j += 1;
            k += 1;
            continue;
        }
        let (si, sj) = (i, j);
        // GNU groups a run's deletions before its insertions.
        while k < ops.len() && ops[k] != Op::Same {
            match ops[k] {
                Op::Del => i += 1,
                _ => j += 1,
            }
            k += 1;
        }
        out.push(Change {
            a: (si, i),
            b: (sj, j),
        });
    }
    out
}

fn split(data: &[u8]) -> Vec<&[u8]> {
    data.split_inclusive(|&c| c == b'\n').collect()
}

/// A line as diff prints it after its mark, with GNU's note when it has no newline.
fn show(out: &mut Vec<u8>, mark: &str, line: &[u8]) {
    out.extend_from_slice(mark.as_bytes());
    out.extend_from_slice(line);
    if !line.ends_with(b"\n") {
        out.extend_from_slice(b"\n\\ No newline at end of file\n");
    }
}

fn range(from: usize, to: usize) -> String {
    if to - from <= 1 {
        format!("{}", from + 1)
    } else {
        format!("{},{}", from + 1, to)
    }
}

fn normal(a: &[&[u8]], b: &[&[u8]], ch: &[Change]) -> Vec<u8> {
    let mut out = Vec::new();
    for c in ch {
        let head = match (c.a.0 == c.a.1, c.b.0 == c.b.1) {
            (false, true) => format!("{}d{}\n", range(c.a.0, c.a.1), c.b.0),
            (true, false) => format!("{}a{}\n", c.a.0, range(c.b.0, c.b.1)),
            _ => format!("{}c{}\n", range(c.a.0, c.a.1), range(c.b.0, c.b.1)),
        };
        out.extend_from_slice(head.as_bytes());
        for l in &a[c.a.0..c.a.1] {
            show(&mut out, "< ", l);
        }
        if c.a.0 != c.a.1 && c.b.0 != c.b.1 {
            out.extend_from_slice(b"---\n");
        }
        for l in &b[c.b.0..c.b.1] {
            show(&mut out, "> ", l);
        }
    }
    out
}

fn hunk_range(start: usize, len: usize) -> String {
    match len {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        _ => format!("{},{len}", start + 1),
    }
}

fn unified(a: &[&[u8]], b: &[&[u8]], ch: &[Change], context: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < ch.len() {
        // Changes closer than twice the context share a hunk.
        let mut last = k;
        while last + 1 < ch.len() && ch[last + 1].a.0 - ch[last].a.1 <= 2 * context {
            last += 1;
        }
        let a_start = ch[k].a.0.saturating_sub(context);
        let b_start = ch[k].b.0 - (ch[k].a.0 - a_start);
        let a_end = (ch[last].a.1 + context).min(a.len());
        let b_end = ch[last].b.1 + (a_end - ch[last].a.1);
        out.extend_from_slice(
            format!(
                "@@ -{} +{} @@\n",
                hunk_range(a_start, a_end - a_start),
                hunk_range(b_start, b_end - b_start)
            )
            .as_bytes(),
        );
        let mut i = a_start;
        for c in &ch[k..=last] {
            for l in &a[i..c.a.0] {
                show(&mut out, " ", l);
            }
            for l in &a[c.a.0..c.a.1] {
                show(&mut out, "-", l);
            }
            for l in &b[c.b.0..c.b.1] {
                show(&mut out, "+", l);
            }
            i = c.a.1;
        }
        for l in &a[i..a_end] {
            show(&mut out, " ", l);
        }
        k = last + 1;
    }
    out
}

pub fn diff(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let gnu = ctx.gnu();
    if !gnu {
        return busybox::diff(prog, args, ctx);
    }
    let spec = Spec {
        short: "qsuU:abBdiNrtTwx:",
        long: &[
            ("brief", 'q'),
            ("report-identical-files", 's'),
            ("unified", 'u'),
            ("text", 'a'),
            ("ignore-case", 'i'),
            ("recursive", 'r'),
            ("new-file", 'N'),
        ],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 2) {
        Ok(o) => o,
        Err(mut out) => {
            if gnu {
                out.code = 2;
            }
            return out;
        }
    };
    let mut out = Output::default();
    for c in ['b', 'B', 'd', 'i', 'N', 'r', 't', 'T', 'w', 'x'] {
        if o.has(c) {
            out.err(format!("layerbox: {prog} -{c} is not modelled\n"));
            out.code = 69;
            return out;
        }
    }
    if o.operands.len() != 2 {
        let u = if gnu {
            let msg = match o.operands.len() {
                0 => "missing operand after 'diff'".to_string(),
                1 => format!("missing operand after '{}'", o.operands[0]),
                _ => format!("extra operand '{}'", o.operands[2]),
            };
            let mut u = Output::default();
            u.err(format!(
                "{prog}: {msg}\n{prog}: Try '{prog} --help' for more information.\n"
            ));
            u.code = 2;
            u
        } else {
            usage_error(ctx, prog, None, 2)
        };
        return u;
    }
    let context = match o.value('U') {
        Some(n) => match n.parse::<usize>() {
            Ok(n) => Some(n),
            Err(_) => {
                out.fail(prog, format!("invalid context length '{n}'"), 2);
                return out;
            }
        },
        None if o.has('u') || !gnu => Some(3),
        None => None,
    };
    let mut files = Vec::new();
    for name in &o.operands {
        if name != "-" {
            match ctx.fs.stat(&ctx.cred, &ctx.abs(name)) {
                Ok(st) if st.kind == FileType::Dir => {
                    out.err(format!("layerbox: {prog} of directories is not modelled\n"));
                    out.code = 69;
                    return out;
                }
                Ok(_) => {}
                Err(e) => {
                    if gnu {
                        out.fail(prog, format!("{name}: {}", e.strerror()), 2);
                    } else {
                        out.fail(prog, format!("can't stat '{name}': {}", e.strerror()), 2);
                    }
                    return out;
                }
            }
        }
        match crate::text::read_input(ctx, name) {
            Ok(d) => files.push(d),
            Err(e) => {
                out.fail(prog, format!("{name}: {}", e.strerror()), 2);
                return out;
            }
        }
    }
    let (da, db) = (&files[0], &files[1]);
    if da == db {
        if o.has('s') && gnu {
            out.out(format!(
                "Files {} and {} are identical\n",
                o.operands[0], o.operands[1]
            ));
        }
        return out;
    }
    out.code = 1;
    if o.has('q') {
        out.out(format!(
            "Files {} and {} differ\n",
            o.operands[0], o.operands[1]
        ));
        return out;
    }
    let (a, b) = (split(da), split(db));
    let Some(ops) = myers(&a, &b) else {
        out.err(format!(
            "layerbox: {prog}: files too different, stopped (layerbox limit)\n"
        ));
        out.code = 2;
        return out;
    };
    let ch = changes(&ops);
    match context {
        None => out.out(normal(&a, &b, &ch)),
        Some(c) => {
            for (mark, name) in [("---", &o.operands[0]), ("+++", &o.operands[1])] {
                if gnu {
                    let mtime = if name == "-" {
                        ctx.now
                    } else {
                        ctx.fs
                            .stat(&ctx.cred, &ctx.abs(name))
                            .map_or(ctx.now, |s| s.mtime)
                    };
                    let when = crate::clock::strftime("%Y-%m-%d %H:%M:%S", mtime);
                    out.out(format!("{mark} {name}\t{when}.000000000 +0000\n"));
                } else {
                    out.out(format!("{mark} {name}\n"));
                }
            }
            out.out(unified(&a, &b, &ch, c));
        }
    }
    out
}
