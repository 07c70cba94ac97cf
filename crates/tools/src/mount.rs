//! Tools that report on mounts and space: `mount` (the mount table), `df`, `du`.

use layerbox_fstree::{path as fpath, FileSystem, FileType};

use crate::cli::{join_display, parse_or_usage, quote_always, Spec};
use crate::ls::blocks_512;
use crate::{human, Ctx, MountInfo, Output};

pub fn mount(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let spec = Spec {
        short: "t:",
        long: &[("types", 't')],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let mut out = Output::default();
    if !o.operands.is_empty() {
        // Mounting needs CAP_SYS_ADMIN, which neither a learner's container nor user has.
        let msg = if ctx.gnu() {
            "only root can do that".to_string()
        } else {
            "permission denied (are you root?)".to_string()
        };
        out.fail(prog, msg, if ctx.gnu() { 1 } else { 255 });
        return out;
    }
    for m in ctx.mounts {
        if o.value('t').is_some_and(|t| t != m.fstype) {
            continue;
        }
        out.out(format!(
            "{} on {} type {} ({})\n",
            m.device, m.target, m.fstype, m.options
        ));
    }
    out
}

/// The mount serving canonical `path`: the last mounted at its longest prefix.
fn mount_of<'m>(mounts: &'m [MountInfo], path: &str) -> Option<&'m MountInfo> {
    mounts
        .iter()
        .enumerate()
        .filter(|(_, m)| fpath::is_within(path, &m.target))
        .max_by_key(|(i, m)| (m.target.len(), *i))
        .map(|(_, m)| m)
}

/// A tmpfs row as `statfs` finds it now: its used blocks are the pages its files hold (the
/// table's numbers were taken when the process started).
fn live_usage(ctx: &Ctx<'_>, m: &MountInfo) -> MountInfo {
    let mut m = m.clone();
    if m.fstype != "tmpfs" || m.blocks == 0 {
        return m;
    }
    let nested: Vec<&str> = ctx
        .mounts
        .iter()
        .map(|n| n.target.as_str())
        .filter(|t| *t != m.target && layerbox_fstree::path::is_within(t, &m.target))
        .collect();
    let mut blocks = 0u64;
    let mut stack = vec![m.target.clone()];
    let mut steps = 0usize;
    while let Some(dir) = stack.pop() {
        steps += 1;
        if steps > 100_000 {
            break;
        }
        let Ok(entries) = ctx.fs.entries(&dir) else {
            continue;
        };
        for e in entries {
            let p = layerbox_fstree::path::join(&dir, &e.name);
            if nested.contains(&p.as_str()) {
                continue;
            }
            if let Some(st) = ctx.fs.node(&p) {
                blocks += st.blocks;
                if st.is_dir() {
                    stack.push(p);
                }
            }
        }
    }
    m.used = blocks / 2;
    m.avail = m.blocks.saturating_sub(m.used);
    m
}

pub fn df(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let spec = Spec {
        short: "hkPaT",
        long: &[("human-readable", 'h'), ("all", 'a'), ("portability", 'P')],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let gnu = ctx.gnu();
    let mut out = Output::default();
    let mut rows: Vec<&MountInfo> = Vec::new();
    if o.operands.is_empty() {
        rows.extend(ctx.mounts.iter().filter(|m| o.has('a') || m.blocks > 0));
    } else {
        for op in &o.operands {
            let p = ctx.abs(op);
            match ctx.fs.resolve(&ctx.cred, &p, true) {
                Ok(r) if r.stat.is_some() => {
                    if let Some(m) = mount_of(ctx.mounts, &r.path) {
                        rows.push(m);
                    }
                }
                Ok(_) | Err(_) => {
                    let e = ctx
                        .fs
                        .stat(&ctx.cred, &p)
                        .err()
                        .unwrap_or(layerbox_fstree::Errno::ENOENT);
                    out.fail(prog, format!("{op}: {e}"), 1);
                }
            }
        }
    }
    let rows: Vec<MountInfo> = rows.into_iter().map(|m| live_usage(ctx, m)).collect();
    let h = o.has('h');
    let size = |k: u64| {
        if h {
            if gnu {
                human::gnu(k * 1024)
            } else {
                human::busybox(k * 1024)
            }
        } else {
            k.to_string()
        }
    };
    if rows.is_empty() && out.code != 0 {
        if gnu {
            out.fail(prog, "no file systems processed", 1);
        }
        return out;
    }
    if gnu {
        let head = if h {
            ["Filesystem", "Size", "Used", "Avail", "Use%", "Mounted on"]
        } else {
            [
                "Filesystem",
                "1K-blocks",
                "Used",
                "Available",
                "Use%",
                "Mounted on",
            ]
        };
        let mut table: Vec<[String; 6]> = vec![head.map(str::to_string)];
        for m in &rows {
            let pct = if m.used + m.avail == 0 {
                "-".to_string()
            } else {
                format!("{}%", (m.used * 100).div_ceil(m.used + m.avail))
            };
            table.push([
                m.device.clone(),
                size(m.blocks),
                size(m.used),
                size(m.avail),
                pct,
                m.target.clone(),
            ]);
        }
        let mins = [14, 5, 5, 5, 4, 0];
        let widths: Vec<usize> = (0..6)
            .map(|c| {
                table
                    .iter()
                    .map(|r| r[c].chars().count())
                    .max()
                    .unwrap_or(0)
                    .max(mins[c])
            })
            .collect();
        for r in table {
            let line = format!(
                "{:<w0$} {:>w1$} {:>w2$} {:>w3$} {:>w4$} {}\n",
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                r[5],
                w0 = widths[0],
                w1 = widths[1],
                w2 = widths[2],
                w3 = widths[3],
                w4 = widths[4]
            );
            out.out(line);
        }
    } else {
        out.out(if h {
            "Filesystem                Size      Used Available Use% Mounted on\n"
        } else {
            "Filesystem           1K-blocks      Used Available Use% Mounted on\n"
        });
        for m in &rows {
            let total = m.used + m.avail;
            let pct = (m.used * 100 + total / 2).checked_div(total).unwrap_or(0);
            let dev = if m.device.chars().count() > 20 {
                format!("{}\n{:20}", m.device, "")
            } else {
                format!("{:<20}", m.device)
            };
            out.out(format!(
                "{dev} {:>9} {:>9} {:>9} {:>3}% {}\n",
                size(m.blocks),
                size(m.used),
                size(m.avail),
                pct,
                m.target
            ));
        }
    }
    out
}

pub fn du(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let spec = Spec {
        short: "sahkcd:x",
        long: &[
            ("summarize", 's'),
            ("all", 'a'),
            ("human-readable", 'h'),
            ("total", 'c'),
            ("max-depth", 'd'),
        ],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let gnu = ctx.gnu();
    let mut out = Output::default();
    let max_depth = if o.has('s') {
        Some(0)
    } else {
        o.value('d').and_then(|d| d.parse::<usize>().ok())
    };
    let ops = if o.operands.is_empty() {
        vec![".".to_string()]
    } else {
        o.operands.clone()
    };
    let fmt = |k: u64| {
        if o.has('h') {
            if gnu {
                human::gnu(k * 1024)
            } else {
                human::busybox(k * 1024)
            }
        } else {
            k.to_string()
        }
    };
    let mut grand = 0;
    // BusyBox remembers every entry with more than one link (every directory, hard-linked
    // files) across all its arguments: a second visit counts nothing and prints nothing, so
    // `du -s /d /d` shows /d once (recorded). GNU's rule is kept as it was: hard-linked files
    // once per argument.
    let mut seen_busybox: Vec<u64> = Vec::new();
    for top in &ops {
        let tp = ctx.abs(top);
        let st = match ctx.fs.lstat(&ctx.cred, &tp) {
            Ok(st) => st,
            Err(e) => {
                let msg = if gnu {
                    format!("cannot access {}: {e}", quote_always(top))
                } else {
                    format!("{top}: {e}")
                };
                out.fail(prog, msg, 1);
                continue;
            }
        };
        // Post-order walk: (shown, path, depth, expanded); sizes accumulate on a parallel stack.
        let mut stack = vec![(top.clone(), tp, st, 0usize, false)];
        let mut sums: Vec<u64> = Vec::new();
        let mut seen: Vec<u64> = Vec::new();
        while let Some((shown, p, st, depth, expanded)) = stack.pop() {
            if !gnu && !expanded && st.nlink > 1 {
                if seen_busybox.contains(&st.ino) {
                    continue;
                }
                seen_busybox.push(st.ino);
            }
            let own = if gnu && st.kind != FileType::Dir && st.nlink > 1 {
                if seen.contains(&st.ino) {
                    0
                } else {
                    seen.push(st.ino);
                    blocks_512(&st) / 2
                }
            } else {
                blocks_512(&st) / 2
            };
            if !st.is_dir() {
                if o.has('a') && max_depth.is_none_or(|m| depth <= m) || depth == 0 {
                    out.out(format!("{}\t{shown}\n", fmt(own)));
                }
                if let Some(s) = sums.last_mut() {
                    *s += own;
                } else {
                    grand += own;
                }
                continue;
            }
            if expanded {
                let total = sums.pop().unwrap_or(0) + own;
                if max_depth.is_none_or(|m| depth <= m) {
                    out.out(format!("{}\t{shown}\n", fmt(total)));
                }
                if let Some(s) = sums.last_mut() {
                    *s += total;
                } else {
                    grand += total;
                }
                continue;
            }
            sums.push(0);
            stack.push((shown.clone(), p.clone(), st, depth, true));
            match ctx.fs.read_dir(&ctx.cred, &p) {
                Ok(children) => {
                    for c in children.into_iter().rev() {
                        let cp = join_display(&p, &c.name);
                        if let Ok(cst) = ctx.fs.lstat(&ctx.cred, &cp) {
                            stack.push((join_display(&shown, &c.name), cp, cst, depth + 1, false));
                        }
                    }
                }
                Err(e) => {
                    let msg = if gnu {
                        format!("cannot read directory {}: {e}", quote_always(&shown))
                    } else {
                        format!("{shown}: {e}")
                    };
                    out.fail(prog, msg, 1);
                }
            }
        }
    }
    if o.has('c') {
        out.out(format!("{}\ttotal\n", fmt(grand)));
    }
    out
}
