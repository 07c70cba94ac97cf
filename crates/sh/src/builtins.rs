//! The builtins the shell itself runs: `cd`, `pwd`, `export`, `unset`, `exit`, `true`, `false`,
//! `:`, `test`/`[`, `break`, `continue`, `shift`, `set`, `read`, `local`, `return`, `eval`,
//! `.`/`source`, and through their modules `type`, `command`, `umask` and `kill`. Everything
//! else is the host's program.

use layerbox_fstree::{FileSystem, FileType, MAY_EXEC};

use crate::exec::{Flow, Interp, Io, Status};
use crate::parse::is_name;
use crate::test_cmd::{self, Files};
use crate::Dialect;

const BUILTINS: [&str; 27] = [
    "cd", "pwd", "export", "unset", "exit", "true", "false", ":", "test", "[", "break", "continue",
    "shift", "set", "read", "local", "return", "trap", "wait", "exec", "eval", ".", "source",
    "type", "command", "umask", "kill",
];

pub fn is_builtin(name: &str) -> bool {
    BUILTINS.contains(&name)
}

pub fn run(me: &mut Interp<'_>, argv: &[String], io: &Io, line: usize) -> Status {
    let args = &argv[1..];
    match argv[0].as_str() {
        "true" | ":" => Ok(0),
        "false" => Ok(1),
        "pwd" => {
            let text = format!("{}\n", me.sh.cwd);
            Ok(match me.write_to(&io.out, text.as_bytes()) {
                Ok(()) => 0,
                Err(e) => me.write_failed(io, line, "pwd", e, 0),
            })
        }
        "cd" => cd(me, args, io, line),
        "export" => export(me, args, io, line),
        "unset" => {
            for name in args.iter().filter(|a| !a.starts_with('-')) {
                me.sh.env.remove(name);
                me.sh.exported.remove(name);
            }
            Ok(0)
        }
        "exit" => exit(me, args, io, line),
        "test" | "[" => test(me, &argv[0], args, io, line),
        "break" | "continue" => loop_control(me, &argv[0], args, io, line),
        "shift" => {
            let n = args
                .first()
                .and_then(|a| a.parse::<usize>().ok())
                .unwrap_or(1);
            if n > me.sh.args.len() {
                return Ok(1);
            }
            me.sh.args.drain(..n);
            Ok(0)
        }
        "set" => set(me, args, io, line),
        // `exec` with no command: its redirections stay, for the shell's later commands.
        "exec" => {
            me.exec_fds = Some((io.out.clone(), io.err.clone()));
            Ok(0)
        }
        "wait" => {
            // `wait PID` of a job a signal ended: 128 + the signal, and ash says which
            // (tests/conformance/processes-wait-for-a-killed-job.txt).
            let mut status = None;
            for a in args {
                if let Some(code) = a.parse::<u32>().ok().and_then(|pid| me.host.wait_for(pid)) {
                    // ash describes the signal (`strsignal`), as recorded.
                    let said: &[u8] = match code - 128 {
                        9 => b"Killed\n",
                        15 => b"Terminated\n",
                        _ => b"",
                    };
                    if me.sh.dialect == Dialect::BusyBoxAsh {
                        me.write(&io.err, said);
                    }
                    status = Some(code);
                }
            }
            if let Some(code) = status {
                return Ok(code);
            }
            me.host.wait();
            Ok(0)
        }
        "trap" => {
            match args {
                [] => {
                    let text: String = me
                        .sh
                        .traps
                        .iter()
                        .map(|(sig, action)| {
                            format!("trap -- '{}' {sig}\n", action.replace('\'', "'\\''"))
                        })
                        .collect();
                    me.write(&io.out, text.as_bytes());
                }
                [action, signals @ ..] => {
                    for sig in signals {
                        let name = signal_name(sig);
                        if action == "-" {
                            me.sh.traps.remove(&name);
                        } else {
                            me.sh.traps.insert(name, action.clone());
                        }
                    }
                }
            }
            Ok(0)
        }
        "read" => read(me, args, io, line),
        "local" => local(me, args, io, line),
        "eval" => eval(me, args, io, line),
        "." | "source" => dot(me, argv, io, line),
        "type" => crate::introspect::type_(me, args, io, line),
        "command" => crate::introspect::command(me, argv, io, line),
        "umask" => crate::umask::umask(me, args, io, line),
        "kill" => crate::signals::kill(me, argv, io, line),
        "return" => match args.first() {
            None => Err(Flow::Return(me.sh.last_status)),
            Some(a) => match a.parse::<i64>() {
                Ok(n) => Err(Flow::Return((n & 0xff) as i32)),
                Err(_) => {
                    let text = match me.sh.dialect {
                        Dialect::BusyBoxAsh => format!("Illegal number: {a}"),
                        Dialect::Bash => format!("{a}: numeric argument required"),
                    };
                    me.diag(io, line, Some("return"), &text);
                    Err(Flow::Return(2))
                }
            },
        },
        // Invariant: `is_builtin` was checked by the caller.
        _ => Ok(127),
    }
}

/// `eval ARG...`: the arguments joined by spaces, run in this shell.
fn eval(me: &mut Interp<'_>, args: &[String], io: &Io, line: usize) -> Status {
    let text = args.join(" ");
    run_text(me, &text, io, line, "eval")
}

/// `. FILE [ARG...]` (and `source`): the file's commands run in this shell, with the
/// arguments as `$1`... while they run; a `return` in it ends the file. A name without `/` is
/// looked up on `PATH` (bash then tries the working directory; ash does not).
fn dot(me: &mut Interp<'_>, argv: &[String], io: &Io, line: usize) -> Status {
    let name = argv[0].as_str();
    let ash = me.sh.dialect == Dialect::BusyBoxAsh;
    let Some(file) = argv.get(1) else {
        if !ash {
            me.diag(io, line, Some(name), "filename argument required");
            let usage = format!("{name}: usage: {name} filename [arguments]\n");
            me.write(&io.err, usage.as_bytes());
        }
        return Ok(2);
    };
    let path = if file.contains('/') {
        Some(file.clone())
    } else {
        let search = me.sh.env.get("PATH").cloned().unwrap_or_default();
        let cwd = me.sh.cwd.clone();
        let (fs, cred, _) = me.host.fs();
        search.split(':').find_map(|dir| {
            let p = if dir.is_empty() {
                file.clone()
            } else {
                layerbox_fstree::path::join(dir, file)
            };
            fs.stat(cred, &crate::absolute(&cwd, &p))
                .is_ok_and(|st| st.kind == FileType::File)
                .then_some(p)
        })
    };
    let path = match path {
        Some(p) => p,
        None if ash => {
            me.diag(io, line, Some(name), &format!("{file}: not found"));
            return Err(Flow::Fail(2));
        }
        None => file.clone(),
    };
    let abs = me.sh.absolute(&path);
    let (fs, cred, _) = me.host.fs();
    let read = if abs == "/dev/null" {
        Ok(Default::default())
    } else {
        fs.read_file(cred, &abs)
    };
    let text = match read {
        Ok(c) => String::from_utf8_lossy(&c).into_owned(),
        // ash reads a directory as an empty script.
        Err(layerbox_fstree::Errno::EISDIR) if ash => String::new(),
        Err(layerbox_fstree::Errno::EISDIR) => {
            me.diag(io, line, Some(name), &format!("{file}: is a directory"));
            return Ok(1);
        }
        Err(e) if ash => {
            let text = format!("can't open '{file}': {}", e.strerror());
            me.diag(io, line, Some(name), &text);
            return Err(Flow::Fail(2));
        }
        Err(e) => {
            me.diag(io, line, None, &format!("{file}: {}", e.strerror()));
            return Ok(1);
        }
    };
    let saved = (argv.len() > 2).then(|| std::mem::replace(&mut me.sh.args, argv[2..].to_vec()));
    let result = run_text(me, &text, io, line, name);
    if let Some(args) = saved {
        me.sh.args = args;
    }
    match result {
        Err(Flow::Return(code)) => Ok(code),
        other => other,
    }
}

/// Runs `text` in this shell one complete command at a time, as `eval` and `.` do: a syntax
/// error stops it with the shell's message for `builtin`.
fn run_text(me: &mut Interp<'_>, text: &str, io: &Io, line: usize, builtin: &str) -> Status {
    // Function calls and `eval`/`.` share one nesting limit: each level costs the native
    // stack, which is small in a browser tab.
    if me.depth + me.locals.len() >= crate::exec::MAX_CALLS {
        me.diag(io, line, Some(builtin), "nesting too deep (layerbox limit)");
        return Err(Flow::Abort(2));
    }
    let mut text = text.to_string();
    // bash reads the text as if a newline ended it; ash reads it to its end (`eval 'echo ('`
    // is an unexpected end of file there).
    if me.sh.dialect == Dialect::Bash && !text.ends_with('\n') {
        text.push('\n');
    }
    let chars: Vec<char> = text.chars().collect();
    let mut lx = crate::lex::Lexer::new(&chars);
    lx.bash = me.sh.dialect == crate::Dialect::Bash;
    let mut status = 0;
    me.depth += 1;
    let result = loop {
        match crate::parse::parse_line(&mut lx) {
            Ok(Some(program)) => match me.run_program(&program, io) {
                Ok(s) => status = s,
                Err(flow) => break Err(flow),
            },
            Ok(None) => break Ok(status),
            Err(e) => {
                let at = line + lx.line.saturating_sub(1);
                let line_text = text.lines().nth(lx.line.saturating_sub(1)).unwrap_or("");
                break syntax_error(me, &e, io, at, line_text, builtin);
            }
        }
    };
    me.depth -= 1;
    result
}

/// A syntax error in `eval`'s or `.`'s text: ash names the builtin and ends the command line
/// (a special builtin's error); bash says it as for any line (in `-c`, with `eval: line N:`)
/// and goes on with status 2.
fn syntax_error(
    me: &mut Interp<'_>,
    e: &crate::parse::SyntaxError,
    io: &Io,
    line: usize,
    line_text: &str,
    builtin: &str,
) -> Status {
    let (msg, code) = crate::syntax_message(me, e, line, line_text);
    let name = me.sh.name.clone();
    match me.sh.dialect {
        Dialect::BusyBoxAsh => {
            let text = msg.trim_end_matches('\n');
            let text = text.strip_prefix(&format!("{name}: ")).unwrap_or(text);
            me.diag(io, line, Some(builtin), text);
            Err(Flow::Fail(code))
        }
        Dialect::Bash => {
            let msg = msg.replace(&format!("{name}: -c: "), &format!("{name}: {builtin}: "));
            me.write(&io.err, msg.as_bytes());
            Ok(code)
        }
    }
}

/// A signal as `trap` names it: `INT` for `SIGINT`, `int` or `2`.
fn signal_name(sig: &str) -> String {
    let upper = sig.to_ascii_uppercase();
    let name = upper.strip_prefix("SIG").unwrap_or(&upper);
    match name {
        "0" => "EXIT",
        "1" => "HUP",
        "2" => "INT",
        "3" => "QUIT",
        "9" => "KILL",
        "15" => "TERM",
        other => other,
    }
    .to_string()
}

/// `set [-+eux] [-o NAME] [--] [ARG...]`: shell options and the positional parameters; with
/// no arguments, the variables.
fn set(me: &mut Interp<'_>, args: &[String], io: &Io, line: usize) -> Status {
    if args.is_empty() {
        let text: String = me
            .sh
            .env
            .iter()
            .map(|(k, v)| format!("{k}='{}'\n", v.replace('\'', "'\"'\"'")))
            .collect();
        me.write(&io.out, text.as_bytes());
        return Ok(0);
    }
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "--" {
            me.sh.args = args[i + 1..].to_vec();
            return Ok(0);
        }
        let Some(on) = (match a.chars().next() {
            Some('-') if a.len() > 1 => Some(true),
            Some('+') if a.len() > 1 => Some(false),
            _ => None,
        }) else {
            break;
        };
        for c in a[1..].chars() {
            let name = match c {
                'e' => "errexit",
                'u' => "nounset",
                'x' => "xtrace",
                'C' => "noclobber",
                'o' => {
                    i += 1;
                    match args.get(i) {
                        Some(n) => n.as_str(),
                        None => return Ok(0),
                    }
                }
                _ => {
                    let text = match me.sh.dialect {
                        Dialect::BusyBoxAsh => format!("illegal option -{c}"),
                        Dialect::Bash => format!("-{c}: invalid option"),
                    };
                    me.diag(io, line, Some("set"), &text);
                    return Ok(2);
                }
            };
            match name {
                "errexit" => me.sh.errexit = on,
                "nounset" => me.sh.nounset = on,
                "xtrace" => me.sh.xtrace = on,
                "noclobber" => me.sh.noclobber = on,
                // Options without an effect here (`pipefail`, `noglob`...) are accepted.
                _ => {}
            }
        }
        i += 1;
    }
    if i < args.len() {
        me.sh.args = args[i..].to_vec();
    }
    Ok(0)
}

/// `read [-r] [-p PROMPT] [NAME...]`: the next line of stdin split at `IFS` into the names, the
/// last taking the rest (default `REPLY`); status 1 at the end of the input.
fn read(me: &mut Interp<'_>, args: &[String], io: &Io, line: usize) -> Status {
    let mut raw = false;
    let mut names = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-r" => raw = true,
            "-p" => {
                if let Some(prompt) = it.next() {
                    me.write(&io.err, prompt.as_bytes());
                }
            }
            n => {
                if !is_name(n) {
                    let text = match me.sh.dialect {
                        Dialect::BusyBoxAsh => format!("'{n}': bad variable name"),
                        Dialect::Bash => format!("`{n}': not a valid identifier"),
                    };
                    me.diag(io, line, Some("read"), &text);
                    return Ok(if me.sh.dialect == Dialect::BusyBoxAsh {
                        2
                    } else {
                        1
                    });
                }
                names.push(n.to_string());
            }
        }
    }
    if names.is_empty() {
        names.push("REPLY".into());
    }
    let mut text = String::new();
    let mut status = 0;
    loop {
        match io.stdin.read_line() {
            None => {
                status = 1;
                break;
            }
            Some((l, newline)) => {
                if !newline {
                    status = 1;
                }
                if !raw && l.ends_with('\\') && newline {
                    // A backslash-newline joins the next line.
                    text.push_str(&l[..l.len() - 1]);
                    continue;
                }
                text.push_str(&l);
                break;
            }
        }
    }
    // Without -r a backslash quotes the next character (and is removed).
    let chars: Vec<(char, bool)> = if raw {
        text.chars().map(|c| (c, false)).collect()
    } else {
        let mut out = Vec::new();
        let mut cs = text.chars();
        while let Some(c) = cs.next() {
            match c {
                '\\' => {
                    if let Some(n) = cs.next() {
                        out.push((n, true));
                    }
                }
                c => out.push((c, false)),
            }
        }
        out
    };
    let ifs = me
        .sh
        .env
        .get("IFS")
        .cloned()
        .unwrap_or_else(|| " \t\n".into());
    let is_ws = |c: char| ifs.contains(c) && c.is_ascii_whitespace();
    let is_sep = |c: char, quoted: bool| !quoted && ifs.contains(c);
    let mut pos = 0;
    while pos < chars.len() && !chars[pos].1 && is_ws(chars[pos].0) {
        pos += 1;
    }
    for (k, name) in names.iter().enumerate() {
        let value: String = if k + 1 == names.len() {
            // The last name: the rest, less trailing IFS white space.
            let mut end = chars.len();
            while end > pos && !chars[end - 1].1 && is_ws(chars[end - 1].0) {
                end -= 1;
            }
            chars[pos.min(end)..end].iter().map(|(c, _)| *c).collect()
        } else {
            let start = pos;
            while pos < chars.len() && !is_sep(chars[pos].0, chars[pos].1) {
                pos += 1;
            }
            let field: String = chars[start..pos].iter().map(|(c, _)| *c).collect();
            // Skip the separator: white space around one non-white delimiter counts once.
            while pos < chars.len() && !chars[pos].1 && is_ws(chars[pos].0) {
                pos += 1;
            }
            if pos < chars.len() && is_sep(chars[pos].0, chars[pos].1) && !is_ws(chars[pos].0) {
                pos += 1;
                while pos < chars.len() && !chars[pos].1 && is_ws(chars[pos].0) {
                    pos += 1;
                }
            }
            field
        };
        me.sh.set_var(name, value);
    }
    Ok(status)
}

/// `local NAME[=VALUE]...`: variables that get their old values back when the function returns.
fn local(me: &mut Interp<'_>, args: &[String], io: &Io, line: usize) -> Status {
    if me.locals.is_empty() {
        let (text, status) = match me.sh.dialect {
            Dialect::BusyBoxAsh => ("not in a function", 2),
            Dialect::Bash => ("can only be used in a function", 1),
        };
        me.diag(io, line, Some("local"), text);
        return Ok(status);
    }
    for a in args {
        let (name, value) = match a.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (a.as_str(), None),
        };
        if !is_name(name) {
            continue;
        }
        let old = me.sh.env.get(name).cloned();
        let exported = me.sh.exported.contains(name);
        if let Some(frame) = me.locals.last_mut() {
            if !frame.iter().any(|(n, ..)| n == name) {
                frame.push((name.to_string(), old, exported));
            }
        }
        if let Some(v) = value {
            me.sh.set_var(name, v);
        }
    }
    Ok(0)
}

fn cd(me: &mut Interp<'_>, args: &[String], io: &Io, line: usize) -> Status {
    let ash = me.sh.dialect == Dialect::BusyBoxAsh;
    if !ash && args.len() > 1 {
        me.diag(io, line, Some("cd"), "too many arguments");
        return Ok(1);
    }
    let mut print = false;
    let target = match args.first().map(String::as_str) {
        None => match me.sh.env.get("HOME") {
            Some(home) => home.clone(),
            None if ash => return Ok(0),
            None => {
                me.diag(io, line, Some("cd"), "HOME not set");
                return Ok(1);
            }
        },
        Some("-") => {
            print = true;
            match me.sh.env.get("OLDPWD") {
                Some(old) => old.clone(),
                None if ash => me.sh.cwd.clone(),
                None => {
                    me.diag(io, line, Some("cd"), "OLDPWD not set");
                    return Ok(1);
                }
            }
        }
        Some(dir) => dir.to_string(),
    };
    // Logical `cd` (both shells' default): `..` drops the last component of the path typed.
    let dest = logical(&crate::absolute(&me.sh.cwd, &target));
    let (fs, cred, _) = me.host.fs();
    let checked = match fs.stat(cred, &dest) {
        Ok(st) if st.kind != FileType::Dir => Err(layerbox_fstree::Errno::ENOTDIR),
        Ok(st) if !cred.may(&st, MAY_EXEC) => Err(layerbox_fstree::Errno::EACCES),
        Ok(_) => Ok(()),
        Err(e) => Err(e),
    };
    if let Err(e) = checked {
        let (text, code) = if ash {
            (format!("can't cd to {target}: {}", e.strerror()), 2)
        } else {
            (format!("{target}: {}", e.strerror()), 1)
        };
        me.diag(io, line, Some("cd"), &text);
        return Ok(code);
    }
    let old = std::mem::replace(&mut me.sh.cwd, dest.clone());
    me.sh.set_var("OLDPWD", old);
    me.sh.set_var("PWD", dest.clone());
    if print {
        me.write(&io.out, format!("{dest}\n").as_bytes());
    }
    Ok(0)
}

/// Resolve `.` and `..` lexically in an absolute path.
fn logical(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for c in path.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    format!("/{}", parts.join("/"))
}

fn export(me: &mut Interp<'_>, args: &[String], io: &Io, line: usize) -> Status {
    let names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    if names.is_empty() {
        let mut text = String::new();
        for name in me.sh.exported.iter() {
            let value = me.sh.env.get(name);
            match (me.sh.dialect, value) {
                (Dialect::BusyBoxAsh, Some(v)) => {
                    text += &format!("export {name}='{}'\n", v.replace('\'', "'\"'\"'"))
                }
                (Dialect::BusyBoxAsh, None) => text += &format!("export {name}\n"),
                (Dialect::Bash, Some(v)) => {
                    let v = v
                        .replace('\\', "\\\\")
                        .replace('"', "\\\"")
                        .replace('$', "\\$");
                    text += &format!("declare -x {name}=\"{v}\"\n")
                }
                (Dialect::Bash, None) => text += &format!("declare -x {name}\n"),
            }
        }
        me.write(&io.out, text.as_bytes());
        return Ok(0);
    }
    let mut status = 0;
    for arg in names {
        let (name, value) = match arg.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (arg.as_str(), None),
        };
        if !is_name(name) {
            let text = match me.sh.dialect {
                Dialect::BusyBoxAsh => format!("{arg}: bad variable name"),
                Dialect::Bash => format!("`{arg}': not a valid identifier"),
            };
            me.diag(io, line, Some("export"), &text);
            status = match me.sh.dialect {
                Dialect::BusyBoxAsh => 2,
                Dialect::Bash => 1,
            };
            continue;
        }
        if let Some(v) = value {
            me.sh.set_var(name, v.to_string());
        }
        me.sh.exported.insert(name.to_string());
    }
    Ok(status)
}

fn exit(me: &mut Interp<'_>, args: &[String], io: &Io, line: usize) -> Status {
    if me.sh.interactive && me.sh.dialect == Dialect::Bash && me.subshells == 0 {
        // Interactive bash says goodbye on stderr.
        me.write(&io.err, b"exit\n");
    }
    let Some(arg) = args.first() else {
        return Err(Flow::Exit(me.sh.last_status));
    };
    match arg.trim().parse::<i64>() {
        Ok(n) => Err(Flow::Exit((n & 0xff) as i32)),
        Err(_) => {
            let text = match me.sh.dialect {
                Dialect::BusyBoxAsh => format!("Illegal number: {arg}"),
                Dialect::Bash => format!("{arg}: numeric argument required"),
            };
            me.diag(io, line, Some("exit"), &text);
            Err(Flow::Exit(2))
        }
    }
}

fn test(me: &mut Interp<'_>, name: &str, args: &[String], io: &Io, line: usize) -> Status {
    let mut args = args;
    if name == "[" {
        match args.split_last() {
            Some((last, rest)) if last == "]" => args = rest,
            _ => {
                let text = match me.sh.dialect {
                    Dialect::BusyBoxAsh => "missing ]",
                    Dialect::Bash => "missing `]'",
                };
                report(me, name, text, io, line);
                return Ok(2);
            }
        }
    }
    let cwd = me.sh.cwd.clone();
    let (fs, cred, _) = me.host.fs();
    let files = Files {
        fs: &*fs,
        cred,
        cwd: &cwd,
    };
    match test_cmd::test(args, &files) {
        Ok(true) => Ok(0),
        Ok(false) => Ok(1),
        Err(e) => {
            let text = match me.sh.dialect {
                Dialect::BusyBoxAsh => e.ash,
                Dialect::Bash => e.bash,
            };
            report(me, name, &text, io, line);
            Ok(2)
        }
    }
}

/// `test`'s own messages: ash's carry no builtin name; bash's name `[` or `test`.
fn report(me: &mut Interp<'_>, name: &str, text: &str, io: &Io, line: usize) {
    match me.sh.dialect {
        Dialect::BusyBoxAsh => {
            let msg = format!("{}: {text}\n", me.sh.name);
            me.write(&io.err, msg.as_bytes());
        }
        Dialect::Bash => me.diag(io, line, Some(name), text),
    }
}

fn loop_control(me: &mut Interp<'_>, name: &str, args: &[String], io: &Io, line: usize) -> Status {
    let n = match args.first() {
        None => 1,
        Some(a) => match a.parse::<u32>() {
            Ok(n) if n > 0 => n,
            _ => {
                let text = match me.sh.dialect {
                    Dialect::BusyBoxAsh => format!("Illegal number: {a}"),
                    Dialect::Bash => format!("{a}: loop count out of range"),
                };
                me.diag(io, line, Some(name), &text);
                return Ok(1);
            }
        },
    };
    if me.loops == 0 {
        if me.sh.dialect == Dialect::Bash {
            me.diag(
                io,
                line,
                Some(name),
                "only meaningful in a `for', `while', or `until' loop",
            );
        }
        return Ok(0);
    }
    Err(if name == "break" {
        Flow::Break(n)
    } else {
        Flow::Continue(n)
    })
}
