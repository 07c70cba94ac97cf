//! `timeout` and `nohup`: programs that run one other program through the caller's
//! [`Exec`](crate::Exec) hook. BusyBox's `nohup` follows its source (Debian's busybox lacks the
//! applet): on a terminal the output goes to `nohup.out`.
//!
//! Emulation note: a program takes logical time only by sleeping, so `timeout SECS sleep N`
//! with `N > SECS` sleeps `SECS` and is killed (BusyBox: the signal's status, 143 for TERM;
//! GNU: 124), and any other program ends before its time is up.

use crate::cli::{quote, usage_error};
use crate::exec::NO_EXEC;
use crate::{Ctx, Flavor, Output};

/// Signal numbers by name, as `kill -l` has them.
const SIGNALS: &[(&str, i32)] = &[
    ("HUP", 1),
    ("INT", 2),
    ("QUIT", 3),
    ("KILL", 9),
    ("USR1", 10),
    ("USR2", 12),
    ("ALRM", 14),
    ("TERM", 15),
    ("CONT", 18),
    ("STOP", 19),
];

fn signal(name: &str) -> Option<i32> {
    if let Ok(n) = name.parse::<i32>() {
        return (0..65).contains(&n).then_some(n);
    }
    let n = name.to_ascii_uppercase();
    let n = n.strip_prefix("SIG").unwrap_or(&n);
    SIGNALS.iter().find(|(s, _)| *s == n).map(|&(_, v)| v)
}

/// A duration: a number with an optional `s`, `m`, `h` or `d` suffix.
fn duration(s: &str) -> Option<f64> {
    let (num, mult) = match s.as_bytes().last() {
        Some(b's') => (&s[..s.len() - 1], 1.0),
        Some(b'm') => (&s[..s.len() - 1], 60.0),
        Some(b'h') => (&s[..s.len() - 1], 3600.0),
        Some(b'd') => (&s[..s.len() - 1], 86400.0),
        _ => (s, 1.0),
    };
    let v = crate::number::parse_f64(num)?;
    (v >= 0.0 && v.is_finite()).then_some(v * mult)
}

pub fn timeout(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let gnu = ctx.gnu();
    let mut sig = 15;
    let mut preserve = false;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if a == "--" {
            i += 1;
            break;
        }
        if !a.starts_with('-') || a == "-" {
            break;
        }
        let (opt, inline) = if let Some(long) = a.strip_prefix("--").filter(|_| gnu) {
            match long.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (long.to_string(), None),
            }
        } else if a.len() > 2 {
            (a[1..2].to_string(), Some(a[2..].to_string()))
        } else {
            (a[1..].to_string(), None)
        };
        let takes = matches!(opt.as_str(), "s" | "k" | "signal" | "kill-after");
        let val = if takes {
            match inline.or_else(|| {
                i += 1;
                args.get(i).cloned()
            }) {
                Some(v) => v,
                None => {
                    return usage_error(
                        ctx,
                        prog,
                        Some(&format!("option requires an argument -- '{opt}'")),
                        125,
                    )
                }
            }
        } else {
            String::new()
        };
        match opt.as_str() {
            "s" | "signal" => match signal(&val) {
                Some(n) => sig = n,
                None => {
                    let mut out = Output::default();
                    if gnu {
                        out.fail(prog, format!("{}: invalid signal", quote(ctx, &val)), 125);
                        out.err(format!("Try '{prog} --help' for more information.\n"));
                    } else {
                        out.fail(prog, format!("bad signal name '{val}'"), 1);
                    }
                    return out;
                }
            },
            "k" | "kill-after" => {
                if duration(&val).is_none() {
                    return bad_duration(ctx, prog, &val);
                }
            }
            "preserve-status" if gnu => preserve = true,
            "foreground" | "v" | "verbose" if gnu => {}
            _ => {
                let msg = if gnu && a.starts_with("--") {
                    format!("unrecognized option '{a}'")
                } else {
                    format!("invalid option -- '{}'", &opt[..1.min(opt.len())])
                };
                return usage_error(ctx, prog, Some(&msg), 125);
            }
        }
        i += 1;
    }
    let rest = &args[i.min(args.len())..];
    let Some(secs) = rest.first() else {
        // GNU's timeout names no reason here.
        return if gnu {
            usage_error(ctx, prog, None, 125)
        } else {
            usage_error(ctx, prog, None, 1)
        };
    };
    let Some(limit) = duration(secs) else {
        return bad_duration(ctx, prog, secs);
    };
    let argv = &rest[1..];
    if argv.is_empty() {
        return if gnu {
            usage_error(ctx, prog, None, 125)
        } else {
            usage_error(ctx, prog, None, 1)
        };
    }
    // `sleep` is the one program that takes logical time: past the limit it is killed.
    let base = argv[0].rsplit('/').next().unwrap_or(&argv[0]);
    let killed = limit > 0.0
        && base == "sleep"
        && crate::sleep_seconds(&argv[1..], ctx.flavor).is_ok_and(|s| s > limit);
    let run: Vec<String> = if killed {
        vec![argv[0].clone(), format!("{limit}")]
    } else {
        argv.to_vec()
    };
    let mut out = run_one(prog, &run, ctx.stdin.to_vec(), ctx, "failed to run command");
    if killed && out.code == 0 {
        out.code = if gnu && !preserve && sig != 9 {
            124
        } else {
            128 + sig
        };
    }
    out
}

fn bad_duration(ctx: &Ctx<'_>, prog: &str, val: &str) -> Output {
    let mut out = Output::default();
    if ctx.flavor == Flavor::Coreutils {
        out.fail(
            prog,
            format!("invalid time interval {}", quote(ctx, val)),
            125,
        );
        out.err(format!("Try '{prog} --help' for more information.\n"));
    } else {
        out.fail(prog, format!("invalid number '{val}'"), 1);
    }
    out
}

/// Runs `argv` through the hook; "can't execute" (BusyBox) or `gnu_failed` (GNU) with 127
/// when it does not exist.
fn run_one(
    prog: &str,
    argv: &[String],
    stdin: Vec<u8>,
    ctx: &mut Ctx<'_>,
    gnu_failed: &str,
) -> Output {
    match ctx.run_program(argv, &stdin) {
        Ok(Some(o)) => o,
        Ok(None) => {
            let mut out = Output::default();
            let name = &argv[0];
            let msg = if ctx.gnu() {
                // timeout quotes as the locale does, nohup always with ASCII quotes.
                let shown = if prog == "nohup" {
                    format!("'{name}'")
                } else {
                    quote(ctx, name)
                };
                format!("{gnu_failed} {shown}: No such file or directory")
            } else {
                format!("can't execute '{name}': No such file or directory")
            };
            out.fail(prog, msg, 127);
            out
        }
        Err(crate::exec::NoExec) => {
            let mut out = Output::default();
            out.err(format!("layerbox: {prog}: {NO_EXEC}\n"));
            out.code = 69;
            out
        }
    }
}

pub fn nohup(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let gnu = ctx.gnu();
    let mut argv = args;
    if gnu && argv.first().is_some_and(|a| a == "--") {
        argv = &argv[1..];
    }
    if argv.is_empty() {
        return if gnu {
            usage_error(ctx, prog, Some("missing operand"), 125)
        } else {
            usage_error(ctx, prog, None, 1)
        };
    }
    if !ctx.tty {
        return run_one(prog, argv, ctx.stdin.to_vec(), ctx, "failed to run command");
    }
    // On a terminal: input from /dev/null, stdout and stderr appended to `nohup.out` (or
    // `$HOME/nohup.out` when the working directory is not writable).
    let mut out = Output::default();
    let mut target = "nohup.out".to_string();
    let cred = ctx.cred.clone();
    let opened = open_append(ctx, &target, &cred);
    if !opened {
        if let Some(home) = ctx.env.get("HOME") {
            target = layerbox_fstree::path::join(home, "nohup.out");
            if !open_append(ctx, &target, &cred) {
                out.fail(
                    prog,
                    format!("can't open '{target}': Permission denied"),
                    127,
                );
                return out;
            }
        }
    }
    if gnu {
        out.err(format!(
            "{prog}: ignoring input and appending output to '{target}'\n"
        ));
    } else {
        out.err(format!("{prog}: appending output to {target}\n"));
    }
    let ran = run_one(prog, argv, Vec::new(), ctx, "failed to run command");
    let mut text = ran.stdout;
    text.extend_from_slice(&ran.stderr);
    let path = ctx.abs(&target);
    let now = ctx.now;
    use layerbox_fstree::FileSystem;
    if let Err(e) = ctx.fs.append_file(&cred, &path, &text, 0o600, now) {
        out.fail(prog, format!("{target}: {e}"), 127);
        return out;
    }
    out.code = ran.code;
    out
}

/// Creates `name` (mode 0600) if absent; whether it can be appended to.
fn open_append(ctx: &mut Ctx<'_>, name: &str, cred: &layerbox_fstree::Cred) -> bool {
    use layerbox_fstree::FileSystem;
    let path = ctx.abs(name);
    let now = ctx.now;
    ctx.fs.append_file(cred, &path, b"", 0o600, now).is_ok()
}
