//! The builtins the shell itself runs: `cd`, `pwd`, `export`, `unset`, `exit`, `true`, `false`,
//! `:`, `test`/`[`, `break`, `continue`, `shift`. Everything else is the host's program.

use layerbox_fstree::{FileSystem, FileType, MAY_EXEC};

use crate::exec::{Flow, Interp, Io, Status};
use crate::parse::is_name;
use crate::test_cmd::{self, Files};
use crate::Dialect;

const BUILTINS: [&str; 13] = [
    "cd", "pwd", "export", "unset", "exit", "true", "false", ":", "test", "[", "break", "continue",
    "shift",
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
            me.write(&io.out, text.as_bytes());
            Ok(0)
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
        // Invariant: `is_builtin` was checked by the caller.
        _ => Ok(127),
    }
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
            me.sh.env.insert(name.to_string(), v.to_string());
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
