//! `sed`: the stream editor, as BusyBox 1.36 (containers) and GNU sed 4.9 (the Debian host)
//! read and run a script: addresses (`N`, `$`, `/re/`, `\cREc`, `first~step`, `0,/re/`),
//! ranges (`a,b`, `a,+N`, `a,~N`), `!`, blocks, and the commands `s y p P d D q Q a i c = n N g G
//! h H x b t T : l r w z F`, with `-n -e -f -E -r -i -s -z`.
//!
//! `parse.rs` reads the script into [`Cmd`]s with each flavour's error messages; `exec.rs` runs
//! it over the input, line by line, as both programs' cycles do.
//!
//! Emulation note: the real sed runs as long as its script loops; here one run has [`STEPS`]
//! steps (each command executed, each byte a command copies, each step of the regex matcher).
//! A script that needs more ends with `layerbox: sed: script too costly, stopped (layerbox
//! limit)` on stderr and exit status 4 after what it printed so far, and writes no file.

mod exec;
mod parse;

use layerbox_fstree::{Errno, FileSystem, FileType};

use crate::cli::busybox_usage;
use crate::{Ctx, Output};

use parse::Script;

/// layerbox's exit status for what it does not model (as `layerbox-runtime`'s).
const NOT_MODELLED: i32 = 69;

/// The steps one sed run may take.
const STEPS: usize = 10_000_000;

const TOO_COSTLY: &str = "layerbox: sed: script too costly, stopped (layerbox limit)\n";

/// The most bytes the pattern or hold space may hold.
const MAX_SPACE: usize = 16 << 20;

/// GNU sed's `--help` text.
const GNU_USAGE: &str = "Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...

  -n, --quiet, --silent
                 suppress automatic printing of pattern space
      --debug
                 annotate program execution
  -e script, --expression=script
                 add the script to the commands to be executed
  -f script-file, --file=script-file
                 add the contents of script-file to the commands to be executed
  --follow-symlinks
                 follow symlinks when processing in place
  -i[SUFFIX], --in-place[=SUFFIX]
                 edit files in place (makes backup if SUFFIX supplied)
  -l N, --line-length=N
                 specify the desired line-wrap length for the `l' command
  --posix
                 disable all GNU extensions.
  -E, -r, --regexp-extended
                 use extended regular expressions in the script
                 (for portability use POSIX -E).
  -s, --separate
                 consider files as separate rather than as a single,
                 continuous long stream.
      --sandbox
                 operate in sandbox mode (disable e/r/w commands).
  -u, --unbuffered
                 load minimal amounts of data from the input files and flush
                 the output buffers more often
  -z, --null-data
                 separate lines by NUL characters
      --help     display this help and exit
      --version  output version information and exit

If no -e, --expression, -f, or --file option is given, then the first
non-option argument is taken as the sed script to interpret.  All
remaining arguments are names of input files; if no input files are
specified, then the standard input is read.

GNU sed home page: <https://www.gnu.org/software/sed/>.
General help using GNU software: <https://www.gnu.org/gethelp/>.
";

/// Where a piece of the script came from, for GNU's error positions.
#[derive(Debug, Clone)]
enum Source {
    /// `-e` (or the script operand), numbered from 1.
    Expr(usize),
    /// `-f FILE`.
    File(String),
}

/// What the command line asked for.
#[derive(Debug, Default)]
struct Args {
    quiet: bool,
    extended: bool,
    separate: bool,
    null_data: bool,
    in_place: Option<String>,
    line_len: usize,
    pieces: Vec<(Source, Vec<u8>)>,
    files: Vec<String>,
}

pub fn sed(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let a = match parse_args(args, ctx) {
        Ok(a) => a,
        Err(out) => return out,
    };
    let script = match parse::parse(&a.pieces, a.extended, ctx.flavor) {
        Ok(s) => s,
        Err(msg) => {
            let mut o = Output::default();
            o.err(format!("{prog}: {msg}\n"));
            // GNU reports a missing label through `panic()`, whose status is 4.
            o.code = if ctx.gnu() && msg.starts_with("can't find label") {
                4
            } else {
                1
            };
            return o;
        }
    };
    run(prog, &a, script, ctx)
}

fn usage(ctx: &Ctx<'_>, msg: Option<String>) -> Output {
    let mut o = Output::default();
    if let Some(m) = msg {
        o.err(format!("sed: {m}\n"));
    }
    if ctx.gnu() {
        o.err(GNU_USAGE);
    } else {
        o.err(busybox_usage("sed"));
    }
    o.code = 1;
    o
}

/// The command line, in getopt's order. Both permute: options may follow the operands (GNU's
/// getopt, and BusyBox's getopt32, which calls musl's `getopt_long` when built with
/// `CONFIG_LONG_OPTS`, as Alpine's is).
fn parse_args(args: &[String], ctx: &Ctx<'_>) -> Result<Args, Output> {
    let gnu = ctx.gnu();
    // BusyBox lies to autoconf when `--version` comes first (sed.c, "Lie to autoconf").
    if !gnu && args.first().map(String::as_str) == Some("--version") {
        let mut o = Output::default();
        o.out("This is not GNU sed version 4.0\n");
        return Err(o);
    }
    let mut a = Args {
        line_len: 70,
        ..Args::default()
    };
    let mut operands = Vec::new();
    let mut exprs = 0;
    let mut scripted = false;
    let mut i = 0;
    let mut only_operands = false;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if only_operands || arg == "-" || !arg.starts_with('-') {
            operands.push(arg.clone());
            continue;
        }
        if arg == "--" {
            only_operands = true;
            continue;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let (name, val) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let names: &[&str] = if gnu {
                &[
                    "quiet",
                    "silent",
                    "expression",
                    "file",
                    "in-place",
                    "line-length",
                    "regexp-extended",
                    "separate",
                    "null-data",
                    "zero-terminated",
                    "help",
                    "version",
                    "posix",
                    "debug",
                    "sandbox",
                    "unbuffered",
                    "follow-symlinks",
                ]
            } else {
                &[
                    "in-place",
                    "regexp-extended",
                    "quiet",
                    "silent",
                    "expression",
                    "file",
                    "help",
                ]
            };
            let hits: Vec<&&str> = names.iter().filter(|n| n.starts_with(name)).collect();
            let full = match hits.iter().find(|n| ***n == name).or(if hits.len() == 1 {
                hits.first()
            } else {
                None
            }) {
                Some(n) => **n,
                None => {
                    return Err(usage(ctx, Some(format!("unrecognized option '{arg}'"))));
                }
            };
            let needs = matches!(full, "expression" | "file" | "line-length");
            let val = if needs {
                match val {
                    Some(v) => Some(v),
                    None if i < args.len() => {
                        i += 1;
                        Some(args[i - 1].clone())
                    }
                    None => {
                        return Err(usage(
                            ctx,
                            Some(format!("option '--{full}' requires an argument")),
                        ))
                    }
                }
            } else {
                val
            };
            let c = match full {
                "quiet" | "silent" => 'n',
                "expression" => 'e',
                "file" => 'f',
                "in-place" => 'i',
                "line-length" => 'l',
                "regexp-extended" => 'E',
                "separate" => 's',
                "null-data" | "zero-terminated" => 'z',
                "help" => {
                    let mut o = Output::default();
                    if gnu {
                        o.out(GNU_USAGE);
                        return Err(o);
                    }
                    o.err(busybox_usage("sed"));
                    return Err(o);
                }
                "version" => {
                    let mut o = Output::default();
                    o.out("sed (GNU sed) 4.9\n");
                    return Err(o);
                }
                "posix" | "debug" | "sandbox" | "unbuffered" | "follow-symlinks" => {
                    let mut o = Output::default();
                    o.err(format!("layerbox: sed --{full} is not modelled\n"));
                    o.code = NOT_MODELLED;
                    return Err(o);
                }
                _ => 'n',
            };
            if c == 'i' && !gnu && val.is_none() {
                a.in_place = Some(String::new());
            }
            option(&mut a, c, val, &mut exprs, &mut scripted, ctx)?;
            continue;
        }
        let body: Vec<char> = arg[1..].chars().collect();
        let mut k = 0;
        while k < body.len() {
            let c = body[k];
            k += 1;
            let valid = if gnu { "nrEsuzie:f:l:" } else { "nrEie:f:" };
            match c {
                'e' | 'f' | 'l' if valid.contains(c) => {
                    let rest: String = body[k..].iter().collect();
                    let v = if !rest.is_empty() {
                        rest
                    } else if i < args.len() {
                        i += 1;
                        args[i - 1].clone()
                    } else {
                        return Err(usage(
                            ctx,
                            Some(format!("option requires an argument -- '{c}'")),
                        ));
                    };
                    option(&mut a, c, Some(v), &mut exprs, &mut scripted, ctx)?;
                    break;
                }
                'i' => {
                    let rest: String = body[k..].iter().collect();
                    option(&mut a, 'i', Some(rest), &mut exprs, &mut scripted, ctx)?;
                    break;
                }
                'u' if gnu => {}
                _ if valid.contains(c) => option(&mut a, c, None, &mut exprs, &mut scripted, ctx)?,
                _ => {
                    return Err(usage(ctx, Some(format!("invalid option -- '{c}'"))));
                }
            }
        }
    }
    if !scripted {
        if operands.is_empty() {
            return Err(usage(ctx, None));
        }
        let s = operands.remove(0);
        a.pieces.push((Source::Expr(1), s.into_bytes()));
    }
    a.files = operands;
    Ok(a)
}

fn option(
    a: &mut Args,
    c: char,
    val: Option<String>,
    exprs: &mut usize,
    scripted: &mut bool,
    ctx: &Ctx<'_>,
) -> Result<(), Output> {
    match c {
        'n' => a.quiet = true,
        'r' | 'E' => a.extended = true,
        's' => a.separate = true,
        'z' => a.null_data = true,
        'i' => {
            a.in_place = Some(val.unwrap_or_default());
            a.separate = true;
        }
        'l' => {
            let v = val.unwrap_or_default();
            match v.parse::<usize>() {
                Ok(n) => a.line_len = n,
                Err(_) => {
                    let mut o = Output::default();
                    o.err(format!("sed: invalid line length: {v}\n"));
                    o.code = 1;
                    return Err(o);
                }
            }
        }
        'e' => {
            *exprs += 1;
            *scripted = true;
            a.pieces
                .push((Source::Expr(*exprs), val.unwrap_or_default().into_bytes()));
        }
        'f' => {
            *scripted = true;
            let name = val.unwrap_or_default();
            let data = match crate::text::read_input(ctx, &name) {
                Ok(d) => d,
                Err(e) => {
                    let mut o = Output::default();
                    if ctx.gnu() {
                        o.err(format!(
                            "sed: couldn't open file {name}: {}\n",
                            e.strerror()
                        ));
                        o.code = 4;
                    } else {
                        o.err(format!("sed: {name}: {}\n", e.strerror()));
                        o.code = 1;
                    }
                    return Err(o);
                }
            };
            let mut data = data;
            if data.last() == Some(&b'\n') {
                data.pop();
            }
            // BusyBox reads the script's lines as C strings up to a newline or a NUL.
            if !ctx.gnu() {
                for b in &mut data {
                    if *b == 0 {
                        *b = b'\n';
                    }
                }
            }
            a.pieces.push((Source::File(name), data));
        }
        _ => {}
    }
    Ok(())
}

/// One input file's lines, each with whether a terminator ended it, and which.
struct InputFile {
    name: String,
    lines: Vec<Line>,
}

/// A line, whether a terminator ended it, and the terminator: `sep` (a newline, or NUL with
/// GNU's `-z`); for BusyBox a newline, a NUL, or [`LAST_IS_NUL`].
type Line = (Vec<u8>, bool, u8);

/// BusyBox's mark for a NUL that was the last byte of its file (sed.c's `LAST_IS_NUL`): it is
/// written back, and the next output starts a new line first.
pub(crate) const LAST_IS_NUL: u8 = 2;

/// `data`'s lines. BusyBox reads a line up to a newline or a NUL (`bb_get_chunk_from_file`),
/// and ends it as it was ended; GNU up to `sep`.
fn split_lines(data: &[u8], sep: u8, gnu: bool) -> Vec<Line> {
    let mut out = Vec::new();
    let ends = |b: &u8| *b == sep || !gnu && *b == 0;
    for piece in data.split_inclusive(ends) {
        match piece.split_last() {
            Some((&t, l)) if ends(&t) => {
                let last = piece.as_ptr_range().end == data.as_ptr_range().end;
                let term = if t == 0 && !gnu && last {
                    LAST_IS_NUL
                } else {
                    t
                };
                out.push((l.to_vec(), true, term));
            }
            _ => out.push((piece.to_vec(), false, sep)),
        }
    }
    out
}

/// Reads operand `name` as sed does, or the message for why it cannot.
fn read_operand(ctx: &Ctx<'_>, name: &str) -> Result<Vec<u8>, String> {
    if name == "-" {
        return Ok(ctx.stdin.to_vec());
    }
    match ctx.fs.read_file(&ctx.cred, &ctx.abs(name)) {
        Ok(c) => Ok(c.to_vec()),
        Err(Errno::EISDIR) if ctx.gnu() => Err(format!("read error on {name}: Is a directory")),
        // BusyBox opens a directory and reads nothing from it.
        Err(Errno::EISDIR) => Ok(Vec::new()),
        Err(e) if ctx.gnu() => Err(format!("can't read {name}: {}", e.strerror())),
        Err(e) => Err(format!("{name}: {}", e.strerror())),
    }
}

/// Runs `script` over the inputs, its work taken off the typed line's; a run stopped because
/// the line's work ran out leaves the budget's message to the shell.
fn run(prog: &str, a: &Args, script: Script, ctx: &mut Ctx<'_>) -> Output {
    let caps = exec::Exec::caps(ctx);
    let mut exec = exec::Exec::new(
        &script,
        a.quiet || script.quiet,
        ctx.gnu(),
        a.line_len,
        caps,
    );
    let mut out = run_on(prog, a, &mut exec, ctx);
    ctx.spend_work(exec.used());
    if ctx.line_work_gone() && out.stderr.ends_with(TOO_COSTLY.as_bytes()) {
        out.stderr.truncate(out.stderr.len() - TOO_COSTLY.len());
    }
    out
}

fn run_on(prog: &str, a: &Args, exec: &mut exec::Exec<'_>, ctx: &mut Ctx<'_>) -> Output {
    let mut out = Output::default();
    let sep = if a.null_data { 0 } else { b'\n' };
    let names: Vec<String> = if a.files.is_empty() {
        if a.in_place.is_some() {
            if ctx.gnu() {
                out.fail(prog, "no input files", 1);
                out.code = 4;
            } else {
                out.fail(prog, "-i requires an argument", 1);
            }
            return out;
        }
        vec!["-".to_string()]
    } else {
        a.files.clone()
    };
    let fail_code = if ctx.gnu() { 2 } else { 1 };
    if let Some(suffix) = &a.in_place {
        for name in &names {
            let path = ctx.abs(name);
            let st = match ctx.fs.stat(&ctx.cred, &path) {
                Ok(st) => st,
                Err(e) => {
                    if ctx.gnu() {
                        out.err(format!("{prog}: can't read {name}: {}\n", e.strerror()));
                    } else {
                        out.err(format!("{prog}: {name}: {}\n", e.strerror()));
                    }
                    out.code = fail_code;
                    continue;
                }
            };
            if st.kind != FileType::File {
                if ctx.gnu() {
                    out.err(format!(
                        "{prog}: couldn't edit {name}: not a regular file\n"
                    ));
                    out.code = 4;
                    return out;
                }
                out.err(format!("{prog}: read error on {name}: Is a directory\n"));
                out.code = 1;
                continue;
            }
            let data = match read_operand(ctx, name) {
                Ok(d) => d,
                Err(m) => {
                    out.err(format!("{prog}: {m}\n"));
                    out.code = fail_code;
                    continue;
                }
            };
            let input = [InputFile {
                name: name.clone(),
                lines: split_lines(&data, sep, ctx.gnu()),
            }];
            let mut file_out = Output::default();
            let status = exec.run(&input, sep, &mut file_out, ctx);
            out.err(&file_out.stderr);
            if let exec::Status::TooCostly = status {
                out.err(TOO_COSTLY);
                out.code = 4;
                return out;
            }
            if let Err(m) = replace_in_place(ctx, name, &path, &st, suffix, &file_out.stdout) {
                out.err(format!("{prog}: {m}\n"));
                out.code = 4;
                return out;
            }
            if let exec::Status::Quit(code) = status {
                out.code = code;
                exec.write_files(ctx, &mut out);
                return out;
            }
        }
        exec.write_files(ctx, &mut out);
        return out;
    }
    let mut inputs = Vec::new();
    // GNU stops at a read error (a directory), after the lines before it.
    let mut fatal = None;
    // Standard input is read once: a second `-` finds it at its end.
    let mut stdin_read = false;
    for name in &names {
        if name == "-" && std::mem::replace(&mut stdin_read, true) {
            inputs.push(InputFile {
                name: name.clone(),
                lines: Vec::new(),
            });
            continue;
        }
        match read_operand(ctx, name) {
            Ok(d) => inputs.push(InputFile {
                name: name.clone(),
                lines: split_lines(&d, sep, ctx.gnu()),
            }),
            Err(m) if m.starts_with("read error") => {
                fatal = Some(m);
                break;
            }
            Err(m) => {
                out.err(format!("{prog}: {m}\n"));
                out.code = fail_code;
            }
        }
    }
    let status = if a.separate {
        let mut st = exec::Status::Done;
        for input in inputs.chunks(1) {
            st = exec.run(input, sep, &mut out, ctx);
            if !matches!(st, exec::Status::Done) {
                break;
            }
        }
        st
    } else {
        exec.run(&inputs, sep, &mut out, ctx)
    };
    match status {
        exec::Status::TooCostly => {
            out.err(TOO_COSTLY);
            out.code = 4;
            return out;
        }
        exec::Status::Quit(code) => {
            if code != 0 {
                out.code = code;
            }
        }
        exec::Status::Done => {}
    }
    if let Some(code) = exec.error_code {
        out.code = code;
    }
    exec.write_files(ctx, &mut out);
    if let Some(m) = fatal {
        out.err(format!("{prog}: {m}\n"));
        out.code = 4;
    }
    out
}

/// `-i`: the edited text goes to a new file in the same directory (with the old file's mode and,
/// for root, owner), which is renamed over the old one; with a suffix the old one is kept under
/// its name plus the suffix (`*` in it stands for the file's name, GNU).
fn replace_in_place(
    ctx: &mut Ctx<'_>,
    name: &str,
    path: &str,
    st: &layerbox_fstree::Stat,
    suffix: &str,
    data: &[u8],
) -> Result<(), String> {
    let dir = match path.rfind('/') {
        Some(0) => "/".to_string(),
        Some(i) => path[..i].to_string(),
        None => ctx.cwd.clone(),
    };
    let shown_dir = match name.rfind('/') {
        Some(i) => name[..=i].to_string(),
        None => "./".to_string(),
    };
    // Emulation note: the real programs pick the temporary name at random; it never outlives
    // the rename, so a fixed one is as good.
    let (tmp, shown) = if ctx.gnu() {
        (
            crate::cli::join_display(&dir, "sedLBX0Z1"),
            format!("{shown_dir}sedLBX0Z1"),
        )
    } else {
        (format!("{path}LBX0Z1"), format!("{name}XXXXXX"))
    };
    let mode = st.mode & 0o7777;
    if let Err(e) = ctx.fs.write_file(&ctx.cred, &tmp, data, 0o600, ctx.now) {
        return Err(if ctx.gnu() {
            format!("couldn't open temporary file {shown}: {}", e.strerror())
        } else {
            format!("can't create temp file '{shown}': {}", e.strerror())
        });
    }
    let _ = ctx
        .fs
        .chmod(&ctx.cred, &tmp, mode & !0o6000 | (mode & 0o6000));
    if ctx.cred.uid == 0 {
        let _ = ctx.fs.chown(&ctx.cred, &tmp, Some(st.uid), Some(st.gid));
    }
    if !suffix.is_empty() {
        let backup = if suffix.contains('*') && ctx.gnu() {
            let base = crate::cli::base_name(name);
            let b = suffix.replace('*', base);
            if b.contains('/') {
                ctx.abs(&b)
            } else {
                crate::cli::join_display(&dir, &b)
            }
        } else {
            format!("{path}{suffix}")
        };
        if let Err(e) = ctx.fs.rename(&ctx.cred, path, &backup, ctx.now) {
            let _ = ctx.fs.unlink(&ctx.cred, &tmp, ctx.now);
            return Err(format!("cannot rename {name}: {}", e.strerror()));
        }
    }
    if let Err(e) = ctx.fs.rename(&ctx.cred, &tmp, path, ctx.now) {
        let _ = ctx.fs.unlink(&ctx.cred, &tmp, ctx.now);
        return Err(format!("cannot rename {shown}: {}", e.strerror()));
    }
    Ok(())
}
