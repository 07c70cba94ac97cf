//! `ls`: short, column (`-C`, the default on a terminal) and long (`-l`) listings, `-a -A -R
//! -d -1 -h -i -n -r -t -S -s -p`, with GNU's and BusyBox's column algorithms, date rules,
//! widths, quoting and exit codes.

use layerbox_fstree::{FileSystem, FileType, Stat};

use crate::cli::{
    join_display, ls_needs_quotes, parse_or_usage, quote_always, quote_if_needed, Spec,
};
use crate::clock::strftime;
use crate::users::Names;
use crate::{human, Ctx, Output};

/// Terminal width the simulated terminal reports.
const TERM_WIDTH: usize = 80;
/// GNU's "recent" window: half of an average Gregorian year.
const GNU_SIX_MONTHS: u64 = 31_556_952 / 2;
/// BusyBox's "recent" window.
const BB_SIX_MONTHS: u64 = 3600 * 24 * 365 / 2;

struct Flags {
    all: bool,
    almost_all: bool,
    dir_only: bool,
    long: bool,
    recursive: bool,
    human: bool,
    inode: bool,
    numeric: bool,
    reverse: bool,
    by_time: bool,
    by_size: bool,
    blocks: bool,
    slash: bool,
    columns: bool,
}

/// One name to show.
struct Entry {
    /// The name as listed (`a.txt`, or the operand as typed).
    name: String,
    /// Absolute path for the filesystem.
    path: String,
    st: Stat,
    target: Option<String>,
}

/// Blocks of 512 bytes the node occupies on a 4 KiB-block filesystem (as ext4 below overlayfs).
pub fn blocks_512(st: &Stat) -> u64 {
    st.blocks
}

pub fn ls(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let spec = Spec {
        short: "aAdlRhinrtSsp1Cx",
        long: &[
            ("all", 'a'),
            ("almost-all", 'A'),
            ("directory", 'd'),
            ("recursive", 'R'),
            ("human-readable", 'h'),
            ("inode", 'i'),
            ("numeric-uid-gid", 'n'),
            ("reverse", 'r'),
            ("size", 's'),
        ],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 2) {
        Ok(o) => o,
        Err(out) => return out,
    };
    // The last of -l / -1 / -C wins, as in both implementations.
    let mut long = false;
    let mut one = false;
    let mut columns = false;
    for (c, _) in &o.flags {
        match c {
            'l' | 'n' => (long, one, columns) = (true, false, false),
            '1' => (long, one, columns) = (false, true, false),
            'C' | 'x' => (long, one, columns) = (false, false, true),
            _ => {}
        }
    }
    let f = Flags {
        all: o.has('a'),
        almost_all: o.has('A'),
        dir_only: o.has('d'),
        long,
        recursive: o.has('R') && !o.has('d'),
        human: o.has('h'),
        inode: o.has('i'),
        numeric: o.has('n'),
        reverse: o.has('r'),
        by_time: o.has('t'),
        by_size: o.has('S'),
        blocks: o.has('s'),
        slash: o.has('p'),
        columns: columns || (ctx.tty && !long && !one),
    };
    let mut out = Output::default();
    let operands = if o.operands.is_empty() {
        vec![".".to_string()]
    } else {
        o.operands.clone()
    };
    let many = operands.len() > 1;
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for op in &operands {
        let path = ctx.abs(op);
        let lst = match ctx.fs.lstat(&ctx.cred, &path) {
            Ok(st) => st,
            Err(e) => {
                let msg = if ctx.gnu() {
                    format!("cannot access {}: {e}", quote_always(op))
                } else {
                    format!("{op}: {e}")
                };
                out.fail(prog, msg, if ctx.gnu() { 2 } else { 1 });
                continue;
            }
        };
        let mut st = lst;
        // A symlink operand is followed unless -l or -d (or with a trailing slash).
        let follow = (!f.long && !f.dir_only) || op.ends_with('/');
        if lst.kind == FileType::Symlink && follow {
            if let Ok(t) = ctx.fs.stat(&ctx.cred, &path) {
                st = t;
            }
        }
        let target = if st.kind == FileType::Symlink {
            ctx.fs.readlink(&ctx.cred, &path).ok()
        } else {
            None
        };
        let e = Entry {
            name: op.clone(),
            path,
            st,
            target,
        };
        if st.is_dir() && !f.dir_only {
            dirs.push(e);
        } else {
            files.push(e);
        }
    }
    sort_entries(&mut files, &f);
    sort_entries(&mut dirs, &f);
    let mut names = Names::default();
    let mut printed = false;
    if !files.is_empty() {
        // GNU sizes the columns of the file operands with the directory operands counted too.
        let extra: &[Entry] = if ctx.gnu() { &dirs } else { &[] };
        print_entries(ctx, &f, &files, extra, &mut names, &mut out);
        printed = true;
    }
    // Directories to list, with whether each came from the command line.
    let mut queue: Vec<(Entry, bool)> = dirs.into_iter().map(|d| (d, true)).collect();
    queue.reverse();
    let header = many || f.recursive;
    while let Some((d, top)) = queue.pop() {
        if printed {
            out.out("\n");
        }
        if header {
            out.out(format!("{}:\n", display(ctx, &d.name)));
        }
        printed = true;
        let listed = match ctx.fs.read_dir(&ctx.cred, &d.path) {
            Ok(l) => Some(l),
            Err(e) => {
                let code = if ctx.gnu() && top { 2 } else { 1 };
                let msg = if ctx.gnu() {
                    format!("cannot open directory {}: {e}", quote_always(&d.name))
                } else {
                    format!("can't open '{}': {e}", d.name)
                };
                out.fail(prog, msg, code.max(out.code));
                if ctx.gnu() {
                    continue;
                }
                // BusyBox goes on with no entries: `-l` and `-s` still print `total 0`.
                None
            }
        };
        let mut entries = Vec::new();
        if f.all && listed.is_some() {
            for dot in [".", ".."] {
                let p = join_display(&d.path, dot);
                if let Ok(st) = ctx.fs.lstat(&ctx.cred, &p) {
                    entries.push(Entry {
                        name: dot.to_string(),
                        path: p,
                        st,
                        target: None,
                    });
                }
            }
        }
        for de in listed.into_iter().flatten() {
            if de.name.starts_with('.') && !f.all && !f.almost_all {
                continue;
            }
            let p = join_display(&d.path, &de.name);
            match ctx.fs.lstat(&ctx.cred, &p) {
                Ok(st) => {
                    let target = if st.kind == FileType::Symlink {
                        ctx.fs.readlink(&ctx.cred, &p).ok()
                    } else {
                        None
                    };
                    entries.push(Entry {
                        name: de.name,
                        path: p,
                        st,
                        target,
                    });
                }
                Err(e) => {
                    let shown = join_display(&d.name, &de.name);
                    let msg = if ctx.gnu() {
                        format!("cannot access {}: {e}", quote_always(&shown))
                    } else {
                        format!("{shown}: {e}")
                    };
                    out.fail(prog, msg, 1.max(out.code));
                }
            }
        }
        sort_entries(&mut entries, &f);
        if f.long || f.blocks {
            let total: u64 = entries.iter().map(|e| blocks_512(&e.st)).sum::<u64>() / 2;
            let t = if f.human {
                if ctx.gnu() {
                    human::gnu(total * 1024)
                } else {
                    format!("{:<7}", format!("{total}K"))
                }
            } else {
                total.to_string()
            };
            out.out(format!("total {t}\n"));
        }
        print_entries(ctx, &f, &entries, &[], &mut names, &mut out);
        if f.recursive {
            let subs: Vec<Entry> = entries
                .into_iter()
                .filter(|e| e.st.is_dir() && e.name != "." && e.name != "..")
                .map(|e| Entry {
                    name: join_display(&d.name, &e.name),
                    ..e
                })
                .collect();
            for s in subs.into_iter().rev() {
                queue.push((s, false));
            }
        }
    }
    if !ctx.gnu() {
        out.err(names.take_bad_records(prog));
    }
    out
}

fn sort_entries(v: &mut [Entry], f: &Flags) {
    layerbox_order::sort_by(v, |a, b| {
        let by_name = a.name.as_bytes().cmp(b.name.as_bytes());
        if f.by_time {
            b.st.mtime.cmp(&a.st.mtime).then(by_name)
        } else if f.by_size {
            b.st.size.cmp(&a.st.size).then(by_name)
        } else {
            by_name
        }
    });
    if f.reverse {
        v.reverse();
    }
}

/// A name as GNU `ls` shows it on a terminal (shell-escape quoting) or as given otherwise.
fn display(ctx: &Ctx<'_>, name: &str) -> String {
    if ctx.gnu() && ctx.tty {
        quote_if_needed(name)
    } else {
        name.to_string()
    }
}

fn print_entries(
    ctx: &Ctx<'_>,
    f: &Flags,
    entries: &[Entry],
    extra: &[Entry],
    names: &mut Names,
    out: &mut Output,
) {
    if entries.is_empty() {
        return;
    }
    // GNU on a terminal: if any name needs quotes, the others get a leading space to line up.
    let pad_quotes = ctx.gnu()
        && ctx.tty
        && (f.long || f.columns)
        && entries.iter().any(|e| ls_needs_quotes(&e.name));
    let shown: Vec<String> = entries
        .iter()
        .map(|e| {
            let mut s = display(ctx, &e.name);
            if pad_quotes && !ls_needs_quotes(&e.name) {
                s.insert(0, ' ');
            }
            if f.slash && e.st.is_dir() {
                s.push('/');
            }
            s
        })
        .collect();
    if f.long {
        long_format(ctx, f, entries, extra, &shown, names, out);
        return;
    }
    // Prefixes for -i and -s.
    let ino_w = entries
        .iter()
        .map(|e| e.st.ino.to_string().len())
        .max()
        .unwrap_or(0);
    let blk_w = entries
        .iter()
        .map(|e| (blocks_512(&e.st) / 2).to_string().len())
        .max()
        .unwrap_or(0);
    let cells: Vec<String> = entries
        .iter()
        .zip(&shown)
        .map(|(e, s)| {
            let mut c = String::new();
            if f.inode {
                if ctx.gnu() {
                    c.push_str(&format!("{:>ino_w$} ", e.st.ino));
                } else {
                    c.push_str(&format!("{:>7} ", e.st.ino));
                }
            }
            if f.blocks {
                let b = blocks_512(&e.st) / 2;
                let b = if f.human {
                    if ctx.gnu() {
                        human::gnu(b * 1024)
                    } else {
                        human::busybox(b * 1024)
                    }
                } else {
                    b.to_string()
                };
                if ctx.gnu() {
                    c.push_str(&format!("{b:>blk_w$} "));
                } else {
                    c.push_str(&format!("{b:>4} "));
                }
            }
            c.push_str(s);
            c
        })
        .collect();
    if !f.columns {
        for c in cells {
            out.out(c);
            out.out("\n");
        }
        return;
    }
    if ctx.gnu() {
        gnu_columns(&cells, out);
    } else {
        busybox_columns(&cells, out);
    }
}

/// GNU `ls -C`: the most columns that fit in 80, filled down then across, padded with tabs.
fn gnu_columns(cells: &[String], out: &mut Output) {
    const MIN_COL: usize = 3;
    let n = cells.len();
    let lens: Vec<usize> = cells.iter().map(|c| c.chars().count()).collect();
    let max_idx = (TERM_WIDTH / MIN_COL).max(1);
    let max_cols = if max_idx < n { max_idx } else { n };
    // For each candidate column count (i + 1): widths per column, line length, validity.
    let mut info: Vec<(Vec<usize>, usize, bool)> = (0..max_cols)
        .map(|i| (vec![MIN_COL; i + 1], (i + 1) * MIN_COL, true))
        .collect();
    for (k, &len) in lens.iter().enumerate() {
        for (i, (widths, line, valid)) in info.iter_mut().enumerate() {
            if !*valid {
                continue;
            }
            let rows = n.div_ceil(i + 1).max(1);
            let idx = k / rows;
            let real = len + if idx == i { 0 } else { 2 };
            if let Some(w) = widths.get_mut(idx) {
                if *w < real {
                    *line += real - *w;
                    *w = real;
                    *valid = *line < TERM_WIDTH;
                }
            }
        }
    }
    let mut cols = max_cols.max(1);
    while cols > 1 && !info[cols - 1].2 {
        cols -= 1;
    }
    let widths = &info[cols - 1].0;
    let rows = n.div_ceil(cols);
    for row in 0..rows {
        let mut col = 0;
        let mut k = row;
        let mut pos = 0;
        loop {
            out.out(&cells[k]);
            let maxw = widths.get(col).copied().unwrap_or(0);
            col += 1;
            k += rows;
            if k >= n {
                break;
            }
            indent(out, pos + lens[k - rows], pos + maxw);
            pos += maxw;
        }
        out.out("\n");
    }
}

/// GNU's `indent`: reach column `to` from `from` with tabs (every 8) and spaces.
fn indent(out: &mut Output, mut from: usize, to: usize) {
    while from < to {
        if to / 8 > (from + 1) / 8 {
            out.out("\t");
            from += 8 - from % 8;
        } else {
            out.out(" ");
            from += 1;
        }
    }
}

/// BusyBox `ls -C`: one column width (longest name + 2) for all, as many as fit in 79.
fn busybox_columns(cells: &[String], out: &mut Output) {
    let n = cells.len();
    let width = cells.iter().map(|c| c.chars().count()).max().unwrap_or(0) + 2;
    let mut ncols = (TERM_WIDTH - 1) / width;
    let nrows = if ncols > 1 {
        n.div_ceil(ncols)
    } else {
        ncols = 1;
        n
    };
    for row in 0..nrows {
        let mut column = 0;
        let mut nexttab = 0;
        for nc in 0..ncols {
            let i = nc * nrows + row;
            if let Some(c) = cells.get(i) {
                if column > 0 {
                    let pad = nexttab - column;
                    out.out(" ".repeat(pad));
                    column += pad;
                }
                nexttab = column + width;
                out.out(c);
                column += c.chars().count();
            }
        }
        out.out("\n");
    }
}

fn long_format(
    ctx: &Ctx<'_>,
    f: &Flags,
    entries: &[Entry],
    extra: &[Entry],
    shown: &[String],
    names: &mut Names,
    out: &mut Output,
) {
    let gnu = ctx.gnu();
    struct Row {
        ino: String,
        blocks: String,
        mode: String,
        nlink: String,
        user: String,
        user_numeric: bool,
        group: String,
        group_numeric: bool,
        size: String,
        date: String,
    }
    let rows: Vec<Row> = entries
        .iter()
        .chain(extra)
        .map(|e| {
            let st = &e.st;
            // -n looks nothing up. BusyBox's printf evaluates its arguments last first, so it
            // looks the group up before the user (the order of its bad-record messages).
            let (group_name, user_name) = if f.numeric {
                (None, None)
            } else if gnu {
                let u = names.user(&*ctx.fs, st.uid);
                (names.group(&*ctx.fs, st.gid), u)
            } else {
                let g = names.group(&*ctx.fs, st.gid);
                (g, names.user(&*ctx.fs, st.uid))
            };
            let (user, un) = match user_name {
                Some(n) => (n, false),
                None => (st.uid.to_string(), true),
            };
            let (group, gn) = match group_name {
                Some(n) => (n, false),
                None => (st.gid.to_string(), true),
            };
            let size = if let Some(device) = st.rdev {
                // A device's numbers stand in the size column: BusyBox's `%4u, %3u`.
                let (major, minor) = device.numbers();
                if gnu {
                    format!("{major}, {minor}")
                } else {
                    format!("{major:>4}, {minor:>3}")
                }
            } else if f.human {
                if gnu {
                    human::gnu(st.size)
                } else {
                    human::busybox(st.size)
                }
            } else {
                st.size.to_string()
            };
            let b = blocks_512(st) / 2;
            Row {
                ino: st.ino.to_string(),
                blocks: if f.human {
                    if gnu {
                        human::gnu(b * 1024)
                    } else {
                        human::busybox(b * 1024)
                    }
                } else {
                    b.to_string()
                },
                mode: st.mode_string(),
                nlink: st.nlink.to_string(),
                user,
                user_numeric: un,
                group,
                group_numeric: gn,
                size,
                date: date_column(ctx, st.mtime),
            }
        })
        .collect();
    let w = |get: &dyn Fn(&Row) -> usize| rows.iter().map(get).max().unwrap_or(0);
    let ino_w = w(&|r| r.ino.len());
    let blk_w = w(&|r| r.blocks.len());
    let nlink_w = w(&|r| r.nlink.len());
    let user_w = w(&|r| r.user.chars().count());
    let group_w = w(&|r| r.group.chars().count());
    let size_w = w(&|r| r.size.len());
    for ((e, r), name) in entries.iter().zip(&rows).zip(shown) {
        let mut line = String::new();
        if gnu {
            if f.inode {
                line.push_str(&format!("{:>ino_w$} ", r.ino));
            }
            if f.blocks {
                line.push_str(&format!("{:>blk_w$} ", r.blocks));
            }
            line.push_str(&format!("{} {:>nlink_w$} ", r.mode, r.nlink));
            if r.user_numeric {
                line.push_str(&format!("{:>user_w$} ", r.user));
            } else {
                line.push_str(&format!("{:<user_w$} ", r.user));
            }
            if r.group_numeric {
                line.push_str(&format!("{:>group_w$} ", r.group));
            } else {
                line.push_str(&format!("{:<group_w$} ", r.group));
            }
            line.push_str(&format!("{:>size_w$} {} {name}", r.size, r.date));
        } else {
            if f.inode {
                line.push_str(&format!("{:>7} ", r.ino));
            }
            if f.blocks {
                line.push_str(&format!("{:>6} ", r.blocks));
            }
            let user: String = r.user.chars().take(8).collect();
            let group: String = r.group.chars().take(8).collect();
            line.push_str(&format!(
                "{:<10} {:>4} {user:<8} {group:<8} ",
                r.mode, r.nlink
            ));
            if f.human {
                line.push_str(&format!("{:>7} ", r.size));
            } else {
                line.push_str(&format!("{:>9} ", r.size));
            }
            line.push_str(&format!("{} {name}", r.date));
        }
        if let Some(t) = &e.target {
            line.push_str(" -> ");
            line.push_str(&display(ctx, t));
        }
        line.push('\n');
        out.out(line);
    }
}

/// `Jun  1 09:00` for a recent time, `Jan  2  2020` for an old or future one.
fn date_column(ctx: &Ctx<'_>, mtime: u64) -> String {
    let recent = if ctx.gnu() {
        mtime <= ctx.now && ctx.now - mtime < GNU_SIX_MONTHS
    } else {
        let age = ctx.now as i128 - mtime as i128;
        age < BB_SIX_MONTHS as i128 && age > -15 * 60
    };
    if recent {
        strftime("%b %e %H:%M", mtime)
    } else {
        strftime("%b %e  %Y", mtime)
    }
}
