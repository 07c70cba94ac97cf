//! Tools that report on the process and the machine: `id`, `whoami`, `hostname`, `uname`,
//! `date`, `env`, `sleep`, `true`, `false`.

use crate::cli::{missing_operand, parse_or_usage, quote, Spec};
use crate::clock::strftime;
use crate::users::Names;
use crate::{Ctx, Flavor, Output};
use layerbox_fstree::FileSystem;

/// The kernel a Debian 12 Docker host runs (containers share it).
pub const KERNEL_RELEASE: &str = "6.1.0-28-amd64";
pub const KERNEL_VERSION: &str = "#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)";
pub const MACHINE: &str = "x86_64";

fn uname_of(ctx: &Ctx<'_>, names: &mut Names, uid: u32) -> Option<String> {
    if uid == ctx.cred.uid {
        if let Some(n) = &ctx.user_name {
            return Some(n.clone());
        }
    }
    names.user(&*ctx.fs, uid)
}

fn gname_of(ctx: &Ctx<'_>, names: &mut Names, gid: u32) -> Option<String> {
    if gid == ctx.cred.gid {
        if let Some(n) = &ctx.group_name {
            return Some(n.clone());
        }
    }
    names.group(&*ctx.fs, gid)
}

fn with_name(id: u32, name: Option<String>) -> String {
    match name {
        Some(n) => format!("{id}({n})"),
        None => id.to_string(),
    }
}

pub fn id(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let spec = Spec {
        short: "ugGnr",
        long: &[
            ("user", 'u'),
            ("group", 'g'),
            ("groups", 'G'),
            ("name", 'n'),
        ],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let mut out = Output::default();
    let mut names = Names::default();
    if let Some(u) = o.operands.first() {
        // Emulation note: `id USER` looks the user up but reports only passwd's ids.
        let accounts = names.accounts(&*ctx.fs);
        match accounts.getpwnam(u) {
            Some(p) => {
                let group = accounts.getgrgid(p.gid).map(|g| g.name.clone());
                out.out(format!(
                    "uid={} gid={} groups={}\n",
                    with_name(p.uid, Some(p.name.clone())),
                    with_name(p.gid, group.clone()),
                    with_name(p.gid, group)
                ));
            }
            None => {
                let msg = if ctx.gnu() {
                    format!("{}: no such user", quote(ctx, u))
                } else {
                    format!("unknown user {u}")
                };
                out.fail(prog, msg, 1);
            }
        }
        return out;
    }
    let cred = ctx.cred.clone();
    // GNU lists the effective gid first, then the supplementary groups; BusyBox only what
    // getgroups(2) returns (Docker fills it from /etc/group or --group-add).
    let mut groups: Vec<u32> = Vec::new();
    if ctx.gnu() {
        groups.push(cred.gid);
    }
    for g in &cred.groups {
        if !groups.contains(g) {
            groups.push(*g);
        }
    }
    let name_flag = o.has('n');
    if o.has('u') || o.has('g') || o.has('G') {
        let ids: Vec<(u32, Option<String>)> = if o.has('u') {
            vec![(cred.uid, uname_of(ctx, &mut names, cred.uid))]
        } else if o.has('g') {
            vec![(cred.gid, gname_of(ctx, &mut names, cred.gid))]
        } else {
            let mut all = vec![cred.gid];
            all.extend(cred.groups.iter().filter(|g| **g != cred.gid));
            all.into_iter()
                .map(|g| (g, gname_of(ctx, &mut names, g)))
                .collect()
        };
        let text: Vec<String> = ids
            .into_iter()
            .map(|(id, n)| match (name_flag, n) {
                (true, Some(n)) => n,
                _ => id.to_string(),
            })
            .collect();
        out.out(format!("{}\n", text.join(" ")));
        return out;
    }
    let mut line = format!(
        "uid={} gid={}",
        with_name(cred.uid, uname_of(ctx, &mut names, cred.uid)),
        with_name(cred.gid, gname_of(ctx, &mut names, cred.gid))
    );
    if !groups.is_empty() {
        let gs: Vec<String> = groups
            .iter()
            .map(|&g| with_name(g, gname_of(ctx, &mut names, g)))
            .collect();
        line.push_str(&format!(" groups={}", gs.join(",")));
    }
    line.push('\n');
    out.out(line);
    out
}

pub fn whoami(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let spec = Spec {
        short: "",
        long: &[],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    if let Some(x) = o.operands.first() {
        if ctx.gnu() {
            let m = format!("extra operand {}", crate::cli::quote_always(x));
            return crate::cli::usage_error(ctx, prog, Some(&m), 1);
        }
        return crate::cli::usage_error(ctx, prog, None, 1);
    }
    let mut out = Output::default();
    match uname_of(ctx, &mut Names::default(), ctx.cred.uid) {
        Some(n) => out.out(format!("{n}\n")),
        None => {
            let msg = if ctx.gnu() {
                format!("cannot find name for user ID {}", ctx.cred.uid)
            } else {
                format!("unknown uid {}", ctx.cred.uid)
            };
            out.fail(prog, msg, 1);
        }
    }
    out
}

pub fn hostname(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let spec = Spec {
        short: "sfdiIF:",
        long: &[("short", 's'), ("fqdn", 'f')],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let mut out = Output::default();
    if !o.operands.is_empty() {
        let msg = if ctx.gnu() {
            "you must be root to change the host name".to_string()
        } else {
            "sethostname: Operation not permitted".to_string()
        };
        out.fail(prog, msg, 1);
        return out;
    }
    let h = if o.has('s') {
        ctx.hostname.split('.').next().unwrap_or("").to_string()
    } else {
        ctx.hostname.clone()
    };
    out.out(format!("{h}\n"));
    out
}

pub fn uname(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let spec = Spec {
        short: "asnrvmpio",
        long: &[
            ("all", 'a'),
            ("kernel-name", 's'),
            ("nodename", 'n'),
            ("kernel-release", 'r'),
            ("kernel-version", 'v'),
            ("machine", 'm'),
            ("processor", 'p'),
            ("hardware-platform", 'i'),
            ("operating-system", 'o'),
        ],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let os = match ctx.flavor {
        Flavor::Coreutils => "GNU/Linux",
        Flavor::BusyBox => "Linux",
    };
    let all = o.has('a');
    let mut parts: Vec<String> = Vec::new();
    let none = o.flags.is_empty();
    let want = |c: char| all || o.has(c);
    if none || want('s') {
        parts.push("Linux".into());
    }
    if want('n') {
        parts.push(ctx.hostname.clone());
    }
    if want('r') {
        parts.push(KERNEL_RELEASE.into());
    }
    if want('v') {
        parts.push(KERNEL_VERSION.into());
    }
    if want('m') {
        parts.push(MACHINE.into());
    }
    // GNU -a omits unknown -p/-i; asked for alone they print "unknown".
    if !all && o.has('p') {
        parts.push(if ctx.gnu() { "unknown" } else { MACHINE }.into());
    }
    if !all && o.has('i') {
        parts.push(if ctx.gnu() { "unknown" } else { MACHINE }.into());
    }
    if want('o') {
        parts.push(os.into());
    }
    let mut out = Output::default();
    out.out(format!("{}\n", parts.join(" ")));
    out
}

pub fn date(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let gnu = ctx.gnu();
    let spec = if gnu {
        Spec {
            short: "uRId:r:s:",
            long: &[
                ("utc", 'u'),
                ("universal", 'u'),
                ("rfc-email", 'R'),
                ("date", 'd'),
                ("reference", 'r'),
                ("set", 's'),
            ],
        }
    } else {
        Spec {
            short: "uRId:r:D:s:",
            long: &[],
        }
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 1) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let mut out = Output::default();
    if o.has('D') {
        out.err("layerbox: date -D (a strptime format for -d) is not modelled\n");
        // The exit status of everything layerbox does not model (runtime's NOT_MODELLED).
        out.code = 69;
        return out;
    }
    // BusyBox reads a TIME operand (not `+FMT`) as `-s TIME`.
    let busybox_set = match o.operands.as_slice() {
        [t] if !gnu && !t.starts_with('+') && !o.has('s') => Some(t.clone()),
        _ => None,
    };
    let set = o.value('s').map(str::to_string).or(busybox_set);
    let operands: &[String] = if set.is_some() && !o.has('s') {
        &[]
    } else {
        &o.operands
    };
    let fmt = match operands {
        [] if o.has('R') => "%a, %d %b %Y %H:%M:%S +0000".to_string(),
        [] if o.has('I') => "%Y-%m-%d".to_string(),
        [] => "%a %b %e %H:%M:%S %Z %Y".to_string(),
        [f] if f.starts_with('+') => f[1..].to_string(),
        [f, ..] if gnu && f.bytes().all(|b| b.is_ascii_digit() || b == b'.') => {
            out.err("layerbox: date MMDDhhmm[[CC]YY][.ss] (setting the date) is not modelled\n");
            // The exit status of everything layerbox does not model (runtime's NOT_MODELLED).
            out.code = 69;
            return out;
        }
        [f, ..] => {
            // Setting the clock needs CAP_SYS_TIME, which nobody has here.
            let msg = if gnu {
                format!("invalid date {}", quote(ctx, f))
            } else {
                format!("invalid date '{f}'")
            };
            out.fail(prog, msg, 1);
            return out;
        }
    };
    let mut t = ctx.now;
    if let Some(d) = set.as_deref().or(o.value('d')) {
        let parsed = if gnu {
            crate::datetime::gnu(d, ctx.now)
        } else {
            Ok(crate::datetime::busybox(d, ctx.now, true))
        };
        match parsed {
            Ok(Some(v)) => t = v,
            Ok(None) => {
                let msg = if gnu {
                    format!("invalid date {}", quote(ctx, d))
                } else {
                    format!("invalid date '{d}'")
                };
                out.fail(prog, msg, 1);
                return out;
            }
            Err(()) => {
                out.err(format!(
                    "layerbox: date: {d:?} is not in the part of GNU's date syntax that layerbox reads\n"
                ));
                out.code = 69;
                return out;
            }
        }
    } else if let Some(r) = o.value('r') {
        match ctx.fs.stat(&ctx.cred, &ctx.abs(r)) {
            Ok(st) => t = st.mtime,
            Err(e) => {
                let msg = if gnu {
                    format!("{r}: {e}")
                } else {
                    format!("can't stat '{r}': {e}")
                };
                out.fail(prog, msg, 1);
                return out;
            }
        }
    }
    if set.is_some() {
        // settimeofday needs CAP_SYS_TIME, which no container (not even its root) and not the
        // host's user has: EPERM. Both print the date they would have set; only GNU fails.
        if gnu {
            out.fail(prog, "cannot set date: Operation not permitted", 1);
        } else {
            out.err("date: can't set date: Operation not permitted\n");
        }
    }
    out.out(format!("{}\n", strftime(&fmt, t)));
    out
}

pub fn env(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let mut vars = ctx.env.clone();
    let mut out = Output::default();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        match a.as_str() {
            "-i" | "-" | "--ignore-environment" => vars.clear(),
            "-u" => {
                i += 1;
                match args.get(i) {
                    Some(n) => {
                        vars.remove(n);
                    }
                    None => return missing_operand(ctx, prog),
                }
            }
            _ => match a.split_once('=') {
                Some((k, v)) if !k.is_empty() => {
                    vars.insert(k.to_string(), v.to_string());
                }
                _ => {
                    // Emulation note: running a command is the shell's job (it handles
                    // `env CMD` itself); if it asks us, the command is not found.
                    let msg = if ctx.gnu() {
                        format!("{}: No such file or directory", quote(ctx, a))
                    } else {
                        format!("can't execute '{a}': No such file or directory")
                    };
                    out.fail(prog, msg, 127);
                    return out;
                }
            },
        }
        i += 1;
    }
    for (k, v) in vars {
        out.out(format!("{k}={v}\n"));
    }
    out
}

/// Seconds `sleep ARGS` would sleep (each `N[smhd]`, summed), or the error it prints.
/// The shell advances its logical clock by this much.
pub fn sleep_seconds(args: &[String], flavor: Flavor) -> Result<f64, Output> {
    let mut out = Output::default();
    let ops: Vec<&String> = args.iter().filter(|a| *a != "--").collect();
    if ops.is_empty() {
        match flavor {
            Flavor::Coreutils => {
                out.err("sleep: missing operand\nTry 'sleep --help' for more information.\n")
            }
            Flavor::BusyBox => out.err(crate::cli::busybox_usage("sleep")),
        }
        out.code = 1;
        return Err(out);
    }
    let mut total = 0.0;
    for a in ops {
        let (num, mult) = match a.chars().last() {
            Some('s') => (&a[..a.len() - 1], 1.0),
            Some('m') => (&a[..a.len() - 1], 60.0),
            Some('h') => (&a[..a.len() - 1], 3600.0),
            Some('d') => (&a[..a.len() - 1], 86400.0),
            _ => (a.as_str(), 1.0),
        };
        let v: Option<f64> = if num == "inf" || num == "infinity" {
            Some(f64::INFINITY)
        } else if !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            crate::number::parse_f64(num)
        } else {
            None
        };
        match v {
            Some(v) => total += v * mult,
            None => {
                match flavor {
                    Flavor::Coreutils => out.err(format!(
                        "sleep: invalid time interval \u{2018}{a}\u{2019}\nTry 'sleep --help' for more information.\n"
                    )),
                    Flavor::BusyBox => out.err(format!("sleep: invalid number '{a}'\n")),
                }
                out.code = 1;
                return Err(out);
            }
        }
    }
    Ok(total)
}

pub fn sleep(_prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    match sleep_seconds(args, ctx.flavor) {
        Ok(_) => Output::default(),
        Err(o) => o,
    }
}

pub fn true_(_prog: &str, _args: &[String], _ctx: &mut Ctx<'_>) -> Output {
    Output::default()
}

pub fn false_(_prog: &str, _args: &[String], _ctx: &mut Ctx<'_>) -> Output {
    Output::code(1)
}
