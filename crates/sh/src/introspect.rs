//! What a command name is, as `type` and `command -v`/`-V` say it: a keyword, an alias, a
//! function, a builtin (ash: a special one), or a file on `PATH`; and `command NAME`, which
//! runs a builtin or a program but never a function. The lists are the real shells' (BusyBox
//! 1.36 ash as Alpine configures it, `shell/ash.c`'s `builtintab`; bash 5.2's `enable` list),
//! not what this model runs itself: ash's `echo` is a builtin even though the host runs it.

use layerbox_fstree::FileSystem;

use crate::exec::{Flow, Interp, Io, Status};
use crate::Dialect;

/// BusyBox ash's reserved words.
const ASH_KEYWORDS: &[&str] = &[
    "!", "case", "do", "done", "elif", "else", "esac", "fi", "for", "function", "if", "in", "then",
    "until", "while", "{", "}",
];

/// bash's reserved words.
const BASH_KEYWORDS: &[&str] = &[
    "!", "[[", "]]", "case", "coproc", "do", "done", "elif", "else", "esac", "fi", "for",
    "function", "if", "in", "select", "then", "time", "until", "while", "{", "}",
];

/// BusyBox ash's builtins, and whether POSIX calls each special.
const ASH_BUILTINS: &[(&str, bool)] = &[
    (".", true),
    (":", true),
    ("[", false),
    ("[[", false),
    ("alias", false),
    ("bg", false),
    ("break", true),
    ("cd", false),
    ("chdir", false),
    ("command", false),
    ("continue", true),
    ("echo", false),
    ("eval", true),
    ("exec", true),
    ("exit", true),
    ("export", true),
    ("false", false),
    ("fg", false),
    ("getopts", false),
    ("hash", false),
    ("help", false),
    ("history", false),
    ("jobs", false),
    ("kill", false),
    ("let", false),
    ("local", true),
    ("printf", false),
    ("pwd", false),
    ("read", false),
    ("readonly", true),
    ("return", true),
    ("set", true),
    ("shift", true),
    ("source", true),
    ("test", false),
    ("times", true),
    ("trap", true),
    ("true", false),
    ("type", false),
    ("ulimit", false),
    ("umask", false),
    ("unalias", false),
    ("unset", true),
    ("wait", false),
];

/// bash 5.2's builtins.
const BASH_BUILTINS: &[&str] = &[
    ".",
    ":",
    "[",
    "alias",
    "bg",
    "bind",
    "break",
    "builtin",
    "caller",
    "cd",
    "command",
    "compgen",
    "complete",
    "compopt",
    "continue",
    "declare",
    "dirs",
    "disown",
    "echo",
    "enable",
    "eval",
    "exec",
    "exit",
    "export",
    "false",
    "fc",
    "fg",
    "getopts",
    "hash",
    "help",
    "history",
    "jobs",
    "kill",
    "let",
    "local",
    "logout",
    "mapfile",
    "popd",
    "printf",
    "pushd",
    "pwd",
    "read",
    "readarray",
    "readonly",
    "return",
    "set",
    "shift",
    "shopt",
    "source",
    "suspend",
    "test",
    "times",
    "trap",
    "true",
    "type",
    "typeset",
    "ulimit",
    "umask",
    "unalias",
    "unset",
    "wait",
];

/// What a name is to the shell.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Found {
    Keyword,
    Function,
    Builtin {
        special: bool,
    },
    /// A file: the path as the shell shows it, and whether bash has it hashed.
    File {
        path: String,
        hashed: bool,
    },
}

/// Whether the real shell of `dialect` has a builtin `name`.
pub fn is_real_builtin(dialect: Dialect, name: &str) -> bool {
    match dialect {
        Dialect::BusyBoxAsh => ASH_BUILTINS.iter().any(|(n, _)| *n == name),
        Dialect::Bash => BASH_BUILTINS.contains(&name),
    }
}

/// The first thing `name` is, in the shell's lookup order, if anything.
fn find(me: &mut Interp<'_>, name: &str, path: Option<&str>) -> Option<Found> {
    let dialect = me.sh.dialect;
    let keywords = match dialect {
        Dialect::BusyBoxAsh => ASH_KEYWORDS,
        Dialect::Bash => BASH_KEYWORDS,
    };
    if keywords.contains(&name) {
        return Some(Found::Keyword);
    }
    if me.sh.functions.contains_key(name) {
        return Some(Found::Function);
    }
    if is_real_builtin(dialect, name) {
        let special = ASH_BUILTINS.iter().any(|(n, s)| *n == name && *s);
        return Some(Found::Builtin {
            special: special && dialect == Dialect::BusyBoxAsh,
        });
    }
    locate(me, name, path)
}

/// `name` as a file: a path is itself if it exists (ash) or is executable (bash); a bare name
/// is looked up on `PATH` (bash first in its hash table).
fn locate(me: &mut Interp<'_>, name: &str, path: Option<&str>) -> Option<Found> {
    let dialect = me.sh.dialect;
    if name.contains('/') {
        let abs = me.sh.absolute(name);
        let (fs, cred, _) = me.host.fs();
        let ok = match fs.stat(cred, &abs) {
            Ok(_) if dialect == Dialect::BusyBoxAsh => true,
            Ok(st) => {
                st.kind == layerbox_fstree::FileType::File
                    && cred.may(&st, layerbox_fstree::MAY_EXEC)
            }
            Err(_) => false,
        };
        return ok.then(|| Found::File {
            path: name.to_string(),
            hashed: false,
        });
    }
    if dialect == Dialect::Bash && path.is_none() {
        if let Some(p) = me.sh.hashed.get(name) {
            return Some(Found::File {
                path: p.clone(),
                hashed: true,
            });
        }
    }
    let search = path
        .map(str::to_string)
        .or_else(|| me.sh.env.get("PATH").cloned())
        .unwrap_or_default();
    let cwd = me.sh.cwd.clone();
    me.host.locate(name, &search, &cwd).map(|path| Found::File {
        path,
        hashed: false,
    })
}

/// `type [-afptP] NAME...` (ash: `command -V`, a first `-` option makes it `command -v`).
pub fn type_(me: &mut Interp<'_>, args: &[String], io: &Io, line: usize) -> Status {
    match me.sh.dialect {
        Dialect::BusyBoxAsh => {
            let (verbose, names) = match args.first() {
                Some(a) if a.starts_with('-') => (false, &args[1..]),
                _ => (true, args),
            };
            let mut status = 0;
            for name in names {
                status |= describe_ash(me, name, None, verbose, io);
            }
            Ok(status)
        }
        Dialect::Bash => bash_type(me, args, io, line),
    }
}

/// ash's `describe_command`: `NAME is ...` (verbose) or the bare word or path; `NAME: not
/// found` on stdout, 127, when nothing is found.
fn describe_ash(
    me: &mut Interp<'_>,
    name: &str,
    path: Option<&str>,
    verbose: bool,
    io: &Io,
) -> i32 {
    let text = match (find(me, name, path), verbose) {
        (None, true) => {
            me.write(&io.out, format!("{name}: not found\n").as_bytes());
            return 127;
        }
        (None, false) => return 127,
        (Some(Found::Keyword), true) => format!("{name} is a shell keyword"),
        (Some(Found::Function), true) => format!("{name} is a function"),
        (Some(Found::Builtin { special }), true) => format!(
            "{name} is a {}shell builtin",
            if special { "special " } else { "" }
        ),
        (Some(Found::File { path, .. }), true) => format!("{name} is {path}"),
        (Some(Found::File { path, .. }), false) => path,
        (Some(_), false) => name.to_string(),
    };
    me.write(&io.out, format!("{text}\n").as_bytes());
    0
}

fn bash_type(me: &mut Interp<'_>, args: &[String], io: &Io, line: usize) -> Status {
    let mut kind_only = false;
    let mut path_only = false;
    let mut force_path = false;
    let mut names = Vec::new();
    let mut options = true;
    for a in args {
        if options && a == "--" {
            options = false;
        } else if options && a.len() > 1 && a.starts_with('-') {
            for c in a[1..].chars() {
                match c {
                    't' => kind_only = true,
                    'p' => path_only = true,
                    'P' => force_path = true,
                    'f' => {}
                    'a' => {
                        me.write(&io.err, b"layerbox: type -a is not modelled\n");
                        return Ok(crate::NOT_MODELLED);
                    }
                    c => {
                        me.diag(io, line, Some("type"), &format!("-{c}: invalid option"));
                        me.write(&io.err, b"type: usage: type [-afptP] name [name ...]\n");
                        return Ok(2);
                    }
                }
            }
        } else {
            options = false;
            names.push(a.clone());
        }
    }
    let mut found_any = false;
    let mut missing = false;
    for name in &names {
        let found = if force_path {
            locate(me, name, None)
        } else {
            find(me, name, None)
        };
        let text = match (&found, kind_only, path_only || force_path) {
            (None, _, _) => {
                missing = true;
                if !kind_only && !path_only && !force_path {
                    me.diag(io, line, Some("type"), &format!("{name}: not found"));
                }
                continue;
            }
            (Some(f), true, _) => match f {
                Found::Keyword => "keyword".to_string(),
                Found::Function => "function".to_string(),
                Found::Builtin { .. } => "builtin".to_string(),
                Found::File { .. } => "file".to_string(),
            },
            (Some(Found::File { path, .. }), false, true) => path.clone(),
            (Some(_), false, true) => {
                found_any = true;
                continue;
            }
            (Some(Found::Keyword), false, false) => format!("{name} is a shell keyword"),
            (Some(Found::Builtin { .. }), false, false) => format!("{name} is a shell builtin"),
            (Some(Found::File { path, hashed }), false, false) => {
                if *hashed {
                    format!("{name} is hashed ({path})")
                } else {
                    format!("{name} is {path}")
                }
            }
            (Some(Found::Function), false, false) => {
                found_any = true;
                me.write(&io.out, format!("{name} is a function\n").as_bytes());
                me.write(
                    &io.err,
                    b"layerbox: bash's listing of a function's body is not modelled\n",
                );
                continue;
            }
        };
        found_any = true;
        me.write(&io.out, format!("{text}\n").as_bytes());
    }
    let _ = found_any;
    Ok(i32::from(missing))
}

/// `command [-pvV] NAME [ARG...]`: describe NAME, or run it as a builtin or a program,
/// never as a function.
pub fn command(me: &mut Interp<'_>, argv: &[String], io: &Io, line: usize) -> Status {
    let args = &argv[1..];
    let dialect = me.sh.dialect;
    let mut i = 0;
    let (mut brief, mut verbose, mut default_path) = (false, false, false);
    while let Some(a) = args.get(i) {
        if a == "--" {
            i += 1;
            break;
        }
        if !a.starts_with('-') || a == "-" {
            break;
        }
        for c in a[1..].chars() {
            match c {
                'v' => brief = true,
                'V' => verbose = true,
                'p' => default_path = true,
                c => {
                    match dialect {
                        Dialect::BusyBoxAsh => {
                            me.diag(io, line, Some("command"), &format!("illegal option -{c}"))
                        }
                        Dialect::Bash => {
                            me.diag(io, line, Some("command"), &format!("-{c}: invalid option"));
                            me.write(
                                &io.err,
                                b"command: usage: command [-pVv] command [arg ...]\n",
                            );
                        }
                    }
                    return Ok(2);
                }
            }
        }
        i += 1;
    }
    let rest = &args[i..];
    // `command -p` searches the shells' default path.
    let path = default_path.then_some(match dialect {
        Dialect::BusyBoxAsh => "/sbin:/usr/sbin:/bin:/usr/bin",
        Dialect::Bash => "/bin:/usr/bin",
    });
    if brief || verbose {
        let Some(first) = rest.first() else {
            return Ok(0);
        };
        return Ok(match dialect {
            // ash describes the first name only.
            Dialect::BusyBoxAsh => describe_ash(me, first, path, verbose, io),
            Dialect::Bash => {
                let mut found_any = false;
                for name in rest {
                    let found = find(me, name, path);
                    let text = match (found, verbose) {
                        (None, true) => {
                            me.diag(io, line, Some("command"), &format!("{name}: not found"));
                            continue;
                        }
                        (None, false) => continue,
                        (Some(Found::File { path, .. }), false) => path,
                        (Some(_), false) => name.clone(),
                        (Some(Found::Keyword), true) => format!("{name} is a shell keyword"),
                        (Some(Found::Function), true) => {
                            found_any = true;
                            me.write(&io.out, format!("{name} is a function\n").as_bytes());
                            me.write(
                                &io.err,
                                b"layerbox: bash's listing of a function's body is not modelled\n",
                            );
                            continue;
                        }
                        (Some(Found::Builtin { .. }), true) => {
                            format!("{name} is a shell builtin")
                        }
                        (Some(Found::File { path, hashed }), true) => {
                            if hashed {
                                format!("{name} is hashed ({path})")
                            } else {
                                format!("{name} is {path}")
                            }
                        }
                    };
                    found_any = true;
                    me.write(&io.out, format!("{text}\n").as_bytes());
                }
                i32::from(!found_any)
            }
        });
    }
    if rest.is_empty() {
        return Ok(0);
    }
    me.run_without_functions(rest, io, line)
        .or_else(|flow| match flow {
            Flow::Fail(code) => Ok(code),
            other => Err(other),
        })
}
