//! `awk` as BusyBox 1.36 has it: `-F -v -f -e`, then a program of patterns (regular
//! expressions, expressions, ranges, `BEGIN`, `END`) and actions over records and fields, with
//! POSIX awk's values (numbers, strings, strnums), associative arrays, user functions,
//! `print`/`printf` (to files too), `getline` and the built-in functions.
//!
//! `lexer.rs` reads tokens, `parser.rs` builds the tree, `value.rs` holds values and C's
//! `printf` conversions, `array.rs` arrays in BusyBox's order, `interp.rs` runs the tree.
//!
//! Emulation notes: every run has a budget ([`interp::STEPS`] steps: statements, loop rounds,
//! calls, records, text made); a program that spends it stops with `layerbox: awk: stopped
//! after N steps (layerbox limit)` and exit status 2, after the output made so far. Pipes
//! (`print | "cmd"`, `"cmd" | getline`) and `system()` run `sh -c` through the caller's
//! [`Exec`](crate::Exec) hook; a command `print` pipes to runs when the pipe is closed (at
//! `close()` or the end), with all that was printed to it as its input.
//! `rand()` is musl's generator as Alpine's BusyBox calls it (unseeded: `srand(1)`), and
//! `srand()` seeds from the logical clock where BusyBox reads `time(NULL)`. The Debian host's
//! awk is mawk, which layerbox does not model: there `awk` says so.

mod array;
mod interp;
mod lexer;
mod parser;
mod value;

use interp::{Interp, Jump};

use crate::{Ctx, Output};

/// `NOT_MODELLED` of `layerbox-runtime` (`EX_UNAVAILABLE`), which this crate cannot name.
const NOT_MODELLED: i32 = 69;

pub fn awk(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let mut warnings = String::new();
    let mut fs: Option<String> = None;
    let mut assigns: Vec<String> = Vec::new();
    // Program pieces: (text, name for messages).
    let mut pieces: Vec<(String, String)> = Vec::new();
    let mut i = 0;
    // BusyBox on musl: options stop at the first operand.
    while i < args.len() {
        let a = &args[i];
        if a == "--" {
            i += 1;
            break;
        }
        if !a.starts_with('-') || a == "-" {
            break;
        }
        for (at, c) in a[1..].char_indices() {
            match c {
                'F' | 'v' | 'f' | 'e' => {
                    let rest = &a[1 + at + 1..];
                    let val = if !rest.is_empty() {
                        rest.to_string()
                    } else if let Some(v) = args.get(i + 1) {
                        i += 1;
                        v.clone()
                    } else {
                        return crate::cli::usage_error(
                            ctx,
                            prog,
                            Some(&format!("option requires an argument -- '{c}'")),
                            1,
                        );
                    };
                    match c {
                        'F' => fs = Some(unescape(&val)),
                        'v' => {
                            if interp::assignment(&val).is_none() {
                                return crate::cli::usage_error(ctx, prog, None, 1);
                            }
                            assigns.push(val);
                        }
                        'f' => {
                            let text = match crate::text::read_input(ctx, &val) {
                                Ok(t) => String::from_utf8_lossy(&t).into_owned(),
                                Err(e) => {
                                    let mut out = Output::default();
                                    out.fail(prog, format!("can't open '{val}': {e}"), 1);
                                    return out;
                                }
                            };
                            pieces.push((text, val));
                        }
                        _ => pieces.push((val, "cmd. line".into())),
                    }
                    break;
                }
                'W' => {
                    // BusyBox: `-W` is accepted and ignored.
                    warnings.push_str(&format!("{prog}: warning: option -W is ignored\n"));
                    continue;
                }
                _ => {
                    return crate::cli::usage_error(
                        ctx,
                        prog,
                        Some(&format!("invalid option -- '{c}'")),
                        1,
                    );
                }
            }
        }
        i += 1;
    }
    let mut operands: Vec<String> = args[i.min(args.len())..].to_vec();
    if pieces.is_empty() {
        if operands.is_empty() {
            return crate::cli::usage_error(ctx, prog, None, 1);
        }
        pieces.push((operands.remove(0), "cmd. line".into()));
    }
    // Each piece is parsed on its own in BusyBox; here they are one text, and a message names
    // the piece its line falls in.
    let mut src = String::new();
    let mut starts: Vec<(u32, String)> = Vec::new();
    let mut line = 1u32;
    for (text, name) in &pieces {
        if !src.is_empty() {
            src.push('\n');
        }
        starts.push((line, name.clone()));
        src.push_str(text);
        line += text.matches('\n').count() as u32 + 1;
    }
    let place = |l: u32| -> (String, u32) {
        let (first, name) = starts
            .iter()
            .rev()
            .find(|(s, _)| *s <= l)
            .cloned()
            .unwrap_or((1, "cmd. line".into()));
        (name, l - first + 1)
    };
    let program = match parser::parse(&src) {
        Ok(p) => p,
        Err(e) => {
            let (name, l) = place(e.line);
            let mut out = Output::default();
            out.fail(prog, format!("{name}:{l}: {}", e.msg), 1);
            return out;
        }
    };
    let mut it = Interp::new(&program, ctx);
    if let Some(fs) = fs {
        it.assign_cmdline("FS", &escape_back(&fs));
    }
    for a in &assigns {
        if let Some((n, v)) = interp::assignment(a) {
            it.assign_cmdline(n, v);
        }
    }
    it.set_argv(&operands);
    let mut result = it.run();
    let line = it.line;
    // Files are written and pipes' commands run at the end, after an `exit` too.
    if matches!(result, Ok(()) | Err(Jump::Exit)) {
        if let Err(e) = it.close_all() {
            result = Err(e);
        }
    } else {
        let _ = it.close_all();
    }
    let used = it.work_used();
    it.ctx.spend_work(used);
    let line_gone = it.ctx.line_work_gone();
    let mut out = std::mem::take(&mut it.out);
    out.stderr.splice(0..0, warnings.into_bytes());
    match result {
        Ok(()) | Err(Jump::Exit) => out.code = it.exit_code,
        Err(Jump::Fatal(msg)) => {
            let (name, l) = place(line);
            out.stderr
                .extend_from_slice(format!("{prog}: {name}:{l}: {msg}\n").as_bytes());
            out.code = 1;
        }
        Err(Jump::Die(msg)) => {
            out.stderr.extend_from_slice(format!("{msg}\n").as_bytes());
            out.code = 1;
        }
        // The typed line's work ran out: its shell ends the line with the budget's message.
        Err(Jump::Limit(msg)) if line_gone && !msg.ends_with("is not modelled") => out.code = 2,
        Err(Jump::Limit(msg)) => {
            out.stderr.extend_from_slice(format!("{msg}\n").as_bytes());
            out.code = if msg.ends_with("is not modelled") {
                NOT_MODELLED
            } else {
                2
            };
        }
        Err(Jump::Full) => out.code = 1,
        Err(Jump::Break | Jump::Continue | Jump::Next | Jump::NextFile | Jump::Return(_)) => {
            out.code = it.exit_code
        }
    }
    out
}

/// `-F`'s C escapes (`-F '\t'`, `-F '\x21'`), as BusyBox's `unescape_string_in_place`.
fn unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 1 < b.len() {
            i += 1;
            i += lexer::escape(&b[i..], &mut out, false);
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `s` written so that [`Interp::assign_cmdline`]'s escape pass gives it back unchanged.
fn escape_back(s: &str) -> String {
    s.replace('\\', "\\\\")
}

#[cfg(test)]
mod tests;
