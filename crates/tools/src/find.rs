//! `find`: paths, then `-name -iname -path -type -maxdepth -mindepth -print -exec` and
//! `!`/`-not`, walked depth-first without following symlinks; names matched as `fnmatch(3)`
//! patterns. `-exec CMD {} ;` runs CMD per file (true when it exits 0), `-exec CMD {} +` once
//! with all the files at the end, both through the caller's [`Exec`](crate::Exec) hook.

use layerbox_fstree::fnmatch::{fnmatch_str, Flags};
use layerbox_fstree::{FileSystem, FileType, Stat};

use crate::cli::{join_display, quote};
use crate::{Ctx, Output};

#[derive(Debug)]
enum Test {
    Name(String, bool),
    Path(String),
    Type(FileType),
    Not(Box<Test>),
    /// `-print`: prints, is true.
    Print,
    /// `-exec ARGV ;` (`batch` `None`) or `-exec ARGV +` (the files gathered so far).
    Exec {
        argv: Vec<String>,
        batch: Option<Vec<String>>,
    },
}

/// The most files one `-exec … +` gathers before it runs its command (BusyBox runs it when
/// the list nears the kernel's argument size limit).
const EXEC_PLUS_BATCH: usize = 4096;

/// Whether `t` prints or runs something, so `find` prints nothing by itself.
fn is_action(t: &Test) -> bool {
    match t {
        Test::Print | Test::Exec { .. } => true,
        Test::Not(inner) => is_action(inner),
        _ => false,
    }
}

/// Runs `-exec`'s command `argv`; whether it exited 0. A command that cannot be found gets
/// find's `NAME: No such file or directory`.
fn run_exec(
    prog: &str,
    argv: &[String],
    ctx: &mut Ctx<'_>,
    out: &mut Output,
    runs: &mut usize,
) -> bool {
    *runs += 1;
    if *runs > crate::xargs::MAX_COMMANDS {
        if *runs == crate::xargs::MAX_COMMANDS + 1 {
            out.err(format!(
                "layerbox: {prog}: -exec stopped after {} commands (layerbox limit)\n",
                crate::xargs::MAX_COMMANDS
            ));
            out.code = 1;
        }
        return false;
    }
    match ctx.run_program(argv, b"") {
        Ok(Some(o)) => {
            out.out(&o.stdout);
            out.err(&o.stderr);
            o.code == 0
        }
        Ok(None) => {
            let name = argv.first().map(String::as_str).unwrap_or("");
            let shown = if ctx.gnu() {
                quote(ctx, name)
            } else {
                name.to_string()
            };
            out.err(format!("{prog}: {shown}: No such file or directory\n"));
            false
        }
        Err(crate::exec::NoExec) => {
            out.err(format!(
                "layerbox: {prog}: -exec: {}\n",
                crate::exec::NO_EXEC
            ));
            out.code = 69;
            false
        }
    }
}

/// Evaluates one test on a file, running `-exec` and `-print` as it goes.
fn eval(
    prog: &str,
    t: &mut Test,
    f: (&str, &str, &Stat),
    ctx: &mut Ctx<'_>,
    out: &mut Output,
    runs: &mut usize,
) -> bool {
    let (name, path, st) = f;
    match t {
        Test::Not(inner) => !eval(prog, inner, f, ctx, out, runs),
        Test::Print => {
            out.out(format!("{path}\n"));
            true
        }
        Test::Exec { argv, batch: None } => {
            let argv: Vec<String> = argv.iter().map(|a| a.replace("{}", path)).collect();
            run_exec(prog, &argv, ctx, out, runs)
        }
        Test::Exec {
            argv,
            batch: Some(files),
        } => {
            files.push(path.to_string());
            if files.len() >= EXEC_PLUS_BATCH {
                let argv = plus_argv(argv, files);
                files.clear();
                return run_exec(prog, &argv, ctx, out, runs);
            }
            true
        }
        other => matches(other, name, path, st),
    }
}

/// `-exec … {} +`'s command: the argument holding `{}` once per file.
fn plus_argv(argv: &[String], files: &[String]) -> Vec<String> {
    let mut v = Vec::new();
    for a in argv {
        if a.contains("{}") {
            v.extend(files.iter().map(|f| a.replacen("{}", f, 1)));
        } else {
            v.push(a.clone());
        }
    }
    v
}

/// Runs every `-exec … +` that has files left; whether all their commands exited 0.
fn flush_plus(
    prog: &str,
    tests: &mut [Test],
    ctx: &mut Ctx<'_>,
    out: &mut Output,
    runs: &mut usize,
) -> bool {
    let mut ok = true;
    for t in tests {
        let t = match t {
            Test::Not(inner) => &mut **inner,
            t => t,
        };
        if let Test::Exec {
            argv,
            batch: Some(files),
        } = t
        {
            if !files.is_empty() {
                let argv = plus_argv(argv, files);
                files.clear();
                ok &= run_exec(prog, &argv, ctx, out, runs);
            }
        }
    }
    ok
}

/// `find`'s `fnmatch(3)`: `\` quotes, `-iname` folds case.
fn fnmatch(pattern: &str, name: &str, icase: bool) -> bool {
    let flags = Flags {
        noescape: false,
        casefold: icase,
    };
    fnmatch_str(pattern, name, flags)
}

fn matches(t: &Test, name: &str, path: &str, st: &Stat) -> bool {
    match t {
        Test::Name(p, icase) => fnmatch(p, name, *icase),
        Test::Path(p) => fnmatch(p, path, false),
        Test::Type(k) => st.kind == *k,
        Test::Not(inner) => !matches(inner, name, path, st),
        Test::Print | Test::Exec { .. } => true,
    }
}

pub fn find(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let gnu = ctx.gnu();
    let mut out = Output::default();
    // `-H` and `-L` (follow symbolic links) come before the paths, as both usage texts list
    // them; GNU's `-P` (the default, never follow) is read and has nothing to change.
    let leading = |a: &&String| matches!(a.as_str(), "-H" | "-L") || (gnu && a.as_str() == "-P");
    if let Some(flag) = args.first().filter(leading) {
        if flag != "-P" {
            out.err(format!("layerbox: {prog} {flag} is not modelled\n"));
            // The exit status of everything layerbox does not model (runtime's NOT_MODELLED).
            out.code = 69;
            return out;
        }
        return find(prog, &args[1..], ctx);
    }
    let split = args
        .iter()
        .position(|a| a.starts_with('-') && a.len() > 1 || a == "!" || a == "(")
        .unwrap_or(args.len());
    let mut paths: Vec<String> = args[..split].to_vec();
    if paths.is_empty() {
        paths.push(".".into());
    }
    let mut tests = Vec::new();
    let mut maxdepth = usize::MAX;
    let mut mindepth = 0;
    let mut i = split;
    let mut negate = false;
    while i < args.len() {
        let a = args[i].as_str();
        i += 1;
        let needs_arg = matches!(
            a,
            "-name" | "-iname" | "-type" | "-maxdepth" | "-mindepth" | "-path" | "-wholename"
        );
        let val = if needs_arg {
            match args.get(i) {
                Some(v) => {
                    i += 1;
                    v.clone()
                }
                None => {
                    let msg = if gnu {
                        format!("missing argument to `{a}'")
                    } else {
                        format!("{a} requires an argument")
                    };
                    out.fail(prog, msg, 1);
                    return out;
                }
            }
        } else {
            String::new()
        };
        let t = match a {
            "-name" => Test::Name(val, false),
            "-iname" => Test::Name(val, true),
            "-path" | "-wholename" => Test::Path(val),
            "-type" => {
                let k = match val.as_str() {
                    "f" => FileType::File,
                    "d" => FileType::Dir,
                    "l" => FileType::Symlink,
                    "c" => FileType::CharDev,
                    _ => {
                        let msg = if gnu {
                            format!("Unknown argument to -type: {val}")
                        } else {
                            format!("invalid argument '{val}' to '-type'")
                        };
                        out.fail(prog, msg, 1);
                        return out;
                    }
                };
                Test::Type(k)
            }
            "-maxdepth" | "-mindepth" => {
                let Ok(n) = val.parse::<usize>() else {
                    let msg = if gnu {
                        format!(
                            "Expected a positive decimal integer argument to {a}, but got {}",
                            quote(ctx, &val)
                        )
                    } else {
                        format!("invalid number '{val}'")
                    };
                    out.fail(prog, msg, 1);
                    return out;
                };
                if a == "-maxdepth" {
                    maxdepth = n;
                } else {
                    mindepth = n;
                }
                continue;
            }
            "-print" => Test::Print,
            "-exec" => {
                let Some(len) = args[i..].iter().position(|a| a == ";" || a == "+") else {
                    let msg = if gnu {
                        "missing argument to `-exec'".to_string()
                    } else {
                        "-exec requires an argument".to_string()
                    };
                    out.fail(prog, msg, 1);
                    return out;
                };
                let argv = args[i..i + len].to_vec();
                let plus = args[i + len] == "+";
                i += len + 1;
                if argv.is_empty() {
                    let msg = if gnu {
                        "invalid argument `;' to `-exec'"
                    } else {
                        "-exec requires an argument"
                    };
                    out.fail(prog, msg, 1);
                    return out;
                }
                if plus && argv.iter().map(|a| a.matches("{}").count()).sum::<usize>() != 1 {
                    let msg = if gnu {
                        "Only one instance of {} is supported with -exec ... +"
                    } else {
                        "only one '{}' allowed for -exec +"
                    };
                    out.fail(prog, msg, 1);
                    return out;
                }
                Test::Exec {
                    argv,
                    batch: plus.then(Vec::new),
                }
            }
            "-a" | "-and" => continue,
            "!" | "-not" => {
                negate = !negate;
                continue;
            }
            _ => {
                if gnu {
                    out.fail(prog, format!("unknown predicate `{a}'"), 1);
                } else {
                    out =
                        crate::cli::usage_error(ctx, prog, Some(&format!("unrecognized: {a}")), 1);
                }
                return out;
            }
        };
        tests.push(if std::mem::take(&mut negate) {
            Test::Not(Box::new(t))
        } else {
            t
        });
    }
    let acts = tests.iter().any(is_action);
    let mut runs = 0;
    for top in &paths {
        let tp = ctx.abs(top);
        let st = match ctx.fs.lstat(&ctx.cred, &tp) {
            Ok(st) => st,
            Err(e) => {
                let msg = if gnu {
                    format!("{}: {e}", quote(ctx, top))
                } else {
                    format!("{top}: {e}")
                };
                out.fail(prog, msg, 1);
                continue;
            }
        };
        // Iterative pre-order walk: (shown path, fs path, stat, depth).
        let mut stack = vec![(top.clone(), tp, st, 0usize)];
        while let Some((shown, p, st, depth)) = stack.pop() {
            let name = if depth == 0 {
                crate::cli::base_name(&shown).to_string()
            } else {
                shown.rsplit('/').next().unwrap_or(&shown).to_string()
            };
            if depth >= mindepth {
                let mut all = true;
                for t in tests.iter_mut() {
                    if !eval(prog, t, (&name, &shown, &st), ctx, &mut out, &mut runs) {
                        all = false;
                        break;
                    }
                }
                if all && !acts {
                    out.out(format!("{shown}\n"));
                }
                if out.full() {
                    return out;
                }
            }
            if !st.is_dir() || depth >= maxdepth {
                continue;
            }
            match ctx.fs.read_dir(&ctx.cred, &p) {
                Ok(children) => {
                    for c in children.into_iter().rev() {
                        let cp = join_display(&p, &c.name);
                        if let Ok(cst) = ctx.fs.lstat(&ctx.cred, &cp) {
                            stack.push((join_display(&shown, &c.name), cp, cst, depth + 1));
                        }
                    }
                }
                Err(e) => {
                    let msg = if gnu {
                        format!("{}: {e}", quote(ctx, &shown))
                    } else {
                        format!("{shown}: {e}")
                    };
                    out.fail(prog, msg, 1);
                }
            }
        }
    }
    if !flush_plus(prog, &mut tests, ctx, &mut out, &mut runs) && out.code == 0 {
        out.code = 1;
    }
    out
}
