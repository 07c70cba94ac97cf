//! `xargs`: reads items from stdin (blank-separated with quotes and backslashes, `-0` NUL
//! separated, `-I` one per line) and runs a program (`echo` by default) with them, `-n` at a
//! time, through the caller's [`Exec`](crate::Exec) hook; `-t -r -E -a -s -x -P` as BusyBox and
//! GNU findutils have them, and their exit statuses (123 a command failed, 124 one exited 255,
//! 127 not found).

/// The most commands one `xargs` runs, as many as the shell runs for one typed line.
/// Emulation note: the real xargs runs as many as its input makes.
pub const MAX_COMMANDS: usize = 10_000;

use crate::cli::usage_error;
use crate::exec::NO_EXEC;
use crate::{Ctx, Output};

struct Opts {
    null: bool,
    replace: Option<String>,
    max_args: Option<usize>,
    gnu: bool,
    trace: bool,
    no_run_if_empty: bool,
    eof: Option<String>,
    arg_file: Option<String>,
    /// `-s N`: the most bytes of a command line (each argument with its NUL).
    max_chars: Option<usize>,
}

/// BusyBox's command-line size without `-s`: `bb_arg_max()` capped at 32 KiB, less the 2048
/// bytes POSIX keeps for the environment (xargs.c).
const BUSYBOX_MAX_CHARS: usize = 32 * 1024 - 2048;

pub fn xargs(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let gnu = ctx.gnu();
    let mut o = Opts {
        null: false,
        replace: None,
        max_args: None,
        gnu,
        trace: false,
        no_run_if_empty: false,
        eof: None,
        arg_file: None,
        max_chars: None,
    };
    // Options stop at the program's name (both xargs parse with a leading `+`).
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if a == "--" {
            i += 1;
            break;
        }
        if let Some(long) = a.strip_prefix("--").filter(|_| gnu) {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let value = |i: &mut usize| -> Option<String> {
                inline.clone().or_else(|| {
                    *i += 1;
                    args.get(*i).cloned()
                })
            };
            match name {
                "null" => o.null = true,
                "verbose" => o.trace = true,
                "no-run-if-empty" => o.no_run_if_empty = true,
                "max-args" => match value(&mut i).and_then(|v| v.parse().ok()) {
                    Some(n) => o.max_args = Some(n),
                    None => return usage_error(ctx, prog, None, 1),
                },
                "arg-file" => o.arg_file = value(&mut i),
                "replace" => o.replace = Some(inline.unwrap_or_else(|| "{}".into())),
                _ => return usage_error(ctx, prog, Some(&format!("unrecognized option '{a}'")), 1),
            }
            i += 1;
            continue;
        }
        if !a.starts_with('-') || a == "-" {
            break;
        }
        let bytes: Vec<char> = a[1..].chars().collect();
        let mut k = 0;
        while k < bytes.len() {
            let c = bytes[k];
            k += 1;
            if c == 'e' {
                // `-e[STR]`: the end-of-input string is in the same argument, if any.
                let rest: String = bytes[k..].iter().collect();
                k = bytes.len();
                o.eof = (!rest.is_empty()).then_some(rest);
                continue;
            }
            let takes = matches!(c, 'I' | 'n' | 's' | 'P' | 'a' | 'E' | 'L' | 'd');
            let val = if takes {
                let rest: String = bytes[k..].iter().collect();
                k = bytes.len();
                if !rest.is_empty() {
                    Some(rest)
                } else {
                    i += 1;
                    match args.get(i) {
                        Some(v) => Some(v.clone()),
                        None => {
                            return usage_error(
                                ctx,
                                prog,
                                Some(&format!("option requires an argument -- '{c}'")),
                                1,
                            )
                        }
                    }
                }
            } else {
                None
            };
            match c {
                '0' => o.null = true,
                't' => o.trace = true,
                'r' => o.no_run_if_empty = true,
                'x' => {}
                'I' => o.replace = val,
                'E' => o.eof = val,
                'a' => o.arg_file = val,
                'n' | 's' | 'P' => {
                    let v = val.unwrap_or_default();
                    let Ok(n) = v.parse::<usize>() else {
                        let mut out = Output::default();
                        if gnu {
                            out.fail(prog, format!("invalid number \"{v}\" for -{c} option"), 1);
                            out.err(format!("Try '{prog} --help' for more information.\n"));
                        } else {
                            out.fail(prog, format!("invalid number '{v}'"), 1);
                        }
                        return out;
                    };
                    if n == 0 && c != 'P' {
                        let mut out = Output::default();
                        if gnu {
                            out.fail(prog, format!("value 0 for -{c} option should be >= 1"), 1);
                            out.err(format!("Try '{prog} --help' for more information.\n"));
                        } else {
                            out.fail(prog, "number 0 is not in 1..2147483647 range", 1);
                        }
                        return out;
                    }
                    // Emulation note: `-P` runs the commands one after another.
                    match c {
                        'n' => o.max_args = Some(n),
                        's' => o.max_chars = Some(n),
                        _ => {}
                    }
                }
                'p' | 'o' | 'L' | 'd' | 'i' | 'l' => {
                    let mut out = Output::default();
                    out.err(format!("layerbox: {prog}: -{c} is not modelled\n"));
                    out.code = 69;
                    return out;
                }
                _ => return usage_error(ctx, prog, Some(&format!("invalid option -- '{c}'")), 1),
            }
        }
        i += 1;
    }
    let mut command: Vec<String> = args[i.min(args.len())..].to_vec();
    if command.is_empty() {
        command.push("echo".into());
    }
    // What is left of a command line for the items, once the command is in it.
    let limit = o.max_chars.or((!gnu).then_some(BUSYBOX_MAX_CHARS));
    let room = match limit {
        Some(max) => {
            let fixed: usize = command.iter().map(|a| a.len() + 1).sum();
            match max.checked_sub(fixed).filter(|r| *r > 0) {
                Some(r) => Some(r),
                None => {
                    let mut out = Output::default();
                    let cant = if gnu { "cannot" } else { "can't" };
                    out.fail(
                        prog,
                        format!("{cant} fit single argument within argument list size limit"),
                        1,
                    );
                    return out;
                }
            }
        }
        None => None,
    };
    let input: Vec<u8> = match &o.arg_file {
        Some(f) => match crate::text::read_input(ctx, f) {
            Ok(d) => d,
            Err(e) => {
                let mut out = Output::default();
                let shown = if gnu {
                    format!("cannot open {}", crate::cli::quote(ctx, f))
                } else {
                    f.clone()
                };
                out.fail(prog, format!("{shown}: {e}"), 1);
                return out;
            }
        },
        None => ctx.stdin.to_vec(),
    };
    let mut out = Output::default();
    let items = match items(&input, &o) {
        Ok(v) => v,
        Err(quote) => {
            let msg = if gnu {
                format!("unmatched {quote} quote; by default quotes are special to xargs unless you use the -0 option")
            } else {
                format!("unmatched {quote} quote")
            };
            out.fail(prog, msg, 1);
            return out;
        }
    };
    let mut status = 0;
    let mut runs = 0;
    let mut run = |argv: Vec<String>, ctx: &mut Ctx<'_>, out: &mut Output| -> Option<i32> {
        runs += 1;
        if runs > MAX_COMMANDS {
            out.err(format!(
                "layerbox: {prog}: stopped after {MAX_COMMANDS} commands (layerbox limit)\n"
            ));
            return Some(1);
        }
        if o.trace {
            out.err(format!("{}\n", argv.join(" ")));
        }
        let name = argv[0].clone();
        match ctx.run_program(&argv, b"") {
            Ok(Some(r)) => {
                out.out(&r.stdout);
                out.err(&r.stderr);
                match r.code {
                    0 => {}
                    255 => {
                        out.err(format!(
                            "{prog}: {name}: exited with status 255; aborting\n"
                        ));
                        return Some(124);
                    }
                    c if c > 128 && c < 160 => {
                        out.err(format!(
                            "{prog}: {name}: terminated by signal {}\n",
                            c - 128
                        ));
                        return Some(125);
                    }
                    _ => status = 123,
                }
                None
            }
            Ok(None) => {
                out.err(format!("{prog}: {name}: No such file or directory\n"));
                Some(127)
            }
            Err(crate::exec::NoExec) => {
                out.err(format!("layerbox: {prog}: {NO_EXEC}\n"));
                Some(69)
            }
        }
    };
    if let Some(r) = &o.replace {
        for item in &items {
            let argv: Vec<String> = command
                .iter()
                .map(|a| a.replace(r.as_str(), item))
                .collect();
            if let Some(code) = run(argv, ctx, &mut out) {
                out.code = code;
                return out;
            }
            if out.full() {
                break;
            }
        }
    } else if items.is_empty() {
        if !o.no_run_if_empty {
            if let Some(code) = run(command.clone(), ctx, &mut out) {
                out.code = code;
                return out;
            }
        }
    } else {
        let n = o.max_args.unwrap_or(usize::MAX).max(1);
        let mut at = 0;
        while at < items.len() {
            // As many items as `-n` and the line's size let in (each with its NUL).
            let mut end = at;
            let mut used = 0;
            while end < items.len() && end - at < n {
                let size = items[end].len() + 1;
                if room.is_some_and(|r| used + size > r) {
                    break;
                }
                used += size;
                end += 1;
            }
            if end == at {
                out.fail(prog, "argument line too long", 1);
                return out;
            }
            let mut argv = command.clone();
            argv.extend(items[at..end].iter().cloned());
            at = end;
            if let Some(code) = run(argv, ctx, &mut out) {
                out.code = code;
                return out;
            }
            if out.full() {
                break;
            }
        }
    }
    out.code = status;
    out
}

/// The items of `input`: NUL-separated (`-0`), lines with leading blanks dropped (`-I`), or
/// words with `'…'`, `"…"` and `\` quoting; `Err` names an unmatched quote. `-E STR` ends the
/// input at the item `STR`.
fn items(input: &[u8], o: &Opts) -> Result<Vec<String>, &'static str> {
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let mut items: Vec<String> = if o.null {
        let mut v: Vec<String> = input.split(|&c| c == 0).map(text).collect();
        if input.last().is_none_or(|&c| c == 0) {
            v.pop();
        }
        v
    } else if o.replace.is_some() {
        // BusyBox skips a line's leading `isspace()` (\v \f \r too), GNU its blanks.
        let blank = |c: &u8| *c != b'\n' && separates(*c, o.gnu);
        input
            .split(|&c| c == b'\n')
            .map(|l| {
                let start = l.iter().take_while(|c| blank(c)).count();
                text(&l[start..])
            })
            .filter(|l| !l.is_empty())
            .collect()
    } else {
        let mut v = Vec::new();
        let mut cur: Vec<u8> = Vec::new();
        let mut in_word = false;
        let mut quote: Option<u8> = None;
        let mut i = 0;
        while i < input.len() {
            let c = input[i];
            i += 1;
            if let Some(q) = quote {
                if c == q {
                    quote = None;
                } else if c == b'\n' {
                    return Err(if q == b'\'' { "single" } else { "double" });
                } else {
                    cur.push(c);
                }
                continue;
            }
            match c {
                _ if separates(c, o.gnu) => {
                    if in_word {
                        v.push(text(&cur));
                        cur.clear();
                        in_word = false;
                    }
                }
                b'\'' | b'"' => {
                    quote = Some(c);
                    in_word = true;
                }
                b'\\' => {
                    if let Some(&n) = input.get(i) {
                        cur.push(n);
                        i += 1;
                    }
                    in_word = true;
                }
                _ => {
                    cur.push(c);
                    in_word = true;
                }
            }
        }
        if let Some(q) = quote {
            return Err(if q == b'\'' { "single" } else { "double" });
        }
        if in_word {
            v.push(text(&cur));
        }
        v
    };
    if let Some(eof) = &o.eof {
        if let Some(at) = items.iter().position(|i| i == eof) {
            items.truncate(at);
        }
    }
    Ok(items)
}

/// Whether `c` ends a word: any `isspace()` for BusyBox (\v \f \r too), a blank or a
/// newline for GNU.
fn separates(c: u8, gnu: bool) -> bool {
    matches!(c, b' ' | b'\t' | b'\n') || !gnu && matches!(c, 0x0b | 0x0c | b'\r')
}
