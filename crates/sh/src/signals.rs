//! The `kill` builtin's signal names and its `-l` listing, in BusyBox ash's words
//! (`procps/kill.c`, which ash runs as its builtin, and libbb's signal table) and bash's.
//! Sending a signal to a process is the host's: the builtin hands `kill PID...` on.

use crate::exec::{Interp, Io, Status};
use crate::Dialect;

/// Linux's signal names, by number (x86-64), as both shells print them without `SIG`.
const NAMES: [&str; 32] = [
    "EXIT", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV",
    "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU",
    "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "POLL", "PWR", "SYS",
];

/// bash 5.2's `kill -l` on Linux x86-64, recorded (its table of 62 signals with real-time
/// ones, five to a line, tab-separated).
const BASH_LIST: &str = include_str!("bash_kill_l.txt");

/// A signal named as `kill` reads it (`TERM`, `SIGTERM`, `term`, `15`); `None` if unknown.
fn number(name: &str, dialect: Dialect) -> Option<u32> {
    if let Ok(n) = name.parse::<u32>() {
        return (n < 65).then_some(n);
    }
    let upper = name.to_ascii_uppercase();
    let bare = upper.strip_prefix("SIG").unwrap_or(&upper);
    let alias = match bare {
        "IO" if dialect == Dialect::BusyBoxAsh => "POLL",
        "POLL" if dialect == Dialect::Bash => "IO",
        "CLD" => "CHLD",
        "IOT" => "ABRT",
        other => other,
    };
    if dialect == Dialect::Bash && alias == "IO" {
        return Some(29);
    }
    NAMES.iter().position(|n| *n == alias).map(|i| i as u32)
}

/// A signal's name as `kill -l N` prints it, for 0 to 31.
fn name(n: u32, dialect: Dialect) -> Option<&'static str> {
    match (n, dialect) {
        (29, Dialect::Bash) => Some("IO"),
        (n, _) => NAMES.get(n as usize).copied(),
    }
}

/// `kill [-s SIG | -SIG] PID...` and `kill -l [SIG...]`: the listing and the argument errors
/// here, the signalling by the host's `kill` (or `no such job` for a job this shell never
/// started).
pub fn kill(me: &mut Interp<'_>, argv: &[String], io: &Io, line: usize) -> Status {
    match me.sh.dialect {
        Dialect::BusyBoxAsh => ash_kill(me, argv, io, line),
        Dialect::Bash => bash_kill(me, argv, io, line),
    }
}

/// ash's own message: `sh: TEXT`, as `kill_main`'s `bb_error_msg` words it under ash.
fn ash_error(me: &mut Interp<'_>, io: &Io, text: &str) -> Status {
    let msg = format!("{}: {text}\n", me.sh.name);
    me.write(&io.err, msg.as_bytes());
    Ok(1)
}

fn ash_kill(me: &mut Interp<'_>, argv: &[String], io: &Io, line: usize) -> Status {
    let args = &argv[1..];
    if args.first().is_some_and(|a| a == "-l") {
        if args.len() == 1 {
            let text: String = (1..NAMES.len())
                .map(|i| format!("{i:2}) {}\n", NAMES[i]))
                .collect();
            me.write(&io.out, text.as_bytes());
            return Ok(0);
        }
        for a in &args[1..] {
            if a.starts_with(|c: char| c.is_ascii_digit()) {
                let Ok(n) = a.parse::<u32>() else {
                    return ash_error(me, io, &format!("unknown signal '{a}'"));
                };
                // An exit status over 128 names the signal that ended a process.
                let text = match name(n & 0x7f, Dialect::BusyBoxAsh) {
                    Some(s) => format!("{s}\n"),
                    None => format!("{}\n", n & 0x7f),
                };
                me.write(&io.out, text.as_bytes());
            } else {
                match number(a, Dialect::BusyBoxAsh).filter(|n| *n < 32) {
                    Some(n) => me.write(&io.out, format!("{n}\n").as_bytes()),
                    None => return ash_error(me, io, &format!("unknown signal '{a}'")),
                }
            }
        }
        return Ok(0);
    }
    if let Some(job) = args.iter().find(|a| a.starts_with('%')) {
        return no_such_job(me, io, line, job);
    }
    let mut rest = args;
    if let Some(first) = rest.first().filter(|a| a.starts_with('-')) {
        let opt = &first[1..];
        if opt == "-" {
            rest = &rest[1..];
        } else {
            let (sig, skip) = if opt == "s" && rest.len() > 1 {
                (rest[1].as_str(), 2)
            } else {
                (opt, 1)
            };
            if number(sig, Dialect::BusyBoxAsh)
                .filter(|n| *n < 32)
                .is_none()
            {
                return ash_error(me, io, &format!("bad signal name '{sig}'"));
            }
            rest = &rest[skip..];
        }
    }
    if rest.is_empty() {
        return ash_error(me, io, "you need to specify whom to kill");
    }
    if let Some(bad) = rest.iter().find(|a| a.trim().parse::<i64>().is_err()) {
        return ash_error(me, io, &format!("invalid number '{bad}'"));
    }
    Ok(me.run_host(argv, io, line))
}

fn bash_kill(me: &mut Interp<'_>, argv: &[String], io: &Io, line: usize) -> Status {
    let args = &argv[1..];
    let usage = |me: &mut Interp<'_>| -> Status {
        me.write(
            &io.err,
            b"kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n",
        );
        Ok(2)
    };
    let invalid = |me: &mut Interp<'_>, spec: &str| -> Status {
        me.diag(
            io,
            line,
            Some("kill"),
            &format!("{spec}: invalid signal specification"),
        );
        Ok(1)
    };
    if args.is_empty() {
        return usage(me);
    }
    if args[0] == "-l" || args[0] == "-L" {
        if args.len() == 1 {
            me.write(&io.out, BASH_LIST.as_bytes());
            return Ok(0);
        }
        let mut status = 0;
        for a in &args[1..] {
            if let Ok(n) = a.parse::<u32>() {
                let n = if n > 128 { n - 128 } else { n };
                match name(n, Dialect::Bash) {
                    Some(s) => me.write(&io.out, format!("{s}\n").as_bytes()),
                    None => status = invalid(me, a)?,
                }
            } else {
                match number(a, Dialect::Bash).filter(|n| *n < 32) {
                    Some(n) => me.write(&io.out, format!("{n}\n").as_bytes()),
                    None => status = invalid(me, a)?,
                }
            }
        }
        return Ok(status);
    }
    let mut rest = args;
    match rest[0].as_str() {
        "-s" | "-n" => {
            let Some(sig) = rest.get(1) else {
                let opt = rest[0].clone();
                me.diag(
                    io,
                    line,
                    Some("kill"),
                    &format!("{opt}: option requires an argument"),
                );
                return Ok(1);
            };
            if number(sig, Dialect::Bash).filter(|n| *n < 32).is_none() {
                return invalid(me, sig);
            }
            rest = &rest[2..];
        }
        "--" => rest = &rest[1..],
        a if a.starts_with('-') && a.len() > 1 => {
            if number(&a[1..], Dialect::Bash).filter(|n| *n < 32).is_none() {
                return invalid(me, &a[1..]);
            }
            rest = &rest[1..];
        }
        _ => {}
    }
    if rest.is_empty() {
        return usage(me);
    }
    if let Some(job) = rest.iter().find(|a| a.starts_with('%')) {
        return no_such_job(me, io, line, job);
    }
    if let Some(bad) = rest.iter().find(|a| a.parse::<i64>().is_err()) {
        me.diag(
            io,
            line,
            Some("kill"),
            &format!("{bad}: arguments must be process or job IDs"),
        );
        return Ok(1);
    }
    Ok(me.run_host(argv, io, line))
}

/// `kill %N`: this shell keeps no job table, so a job it started is not modelled and any other
/// is `no such job`.
fn no_such_job(me: &mut Interp<'_>, io: &Io, line: usize, job: &str) -> Status {
    if me.sh.jobs_started > 0 {
        me.write(&io.err, b"layerbox: kill of a shell job is not modelled\n");
        return Ok(crate::NOT_MODELLED);
    }
    me.diag(io, line, Some("kill"), &format!("{job}: no such job"));
    Ok(match me.sh.dialect {
        Dialect::BusyBoxAsh => 2,
        Dialect::Bash => 1,
    })
}
