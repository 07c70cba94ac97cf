//! `find`: paths, then `-name -iname -path -type -maxdepth -mindepth -print` and `!`/`-not`,
//! walked depth-first without following symlinks; names matched as `fnmatch(3)` patterns.

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
    }
}

pub fn find(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let gnu = ctx.gnu();
    let mut out = Output::default();
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
            "-print" | "-a" | "-and" => continue,
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
            if depth >= mindepth && tests.iter().all(|t| matches(t, &name, &shown, &st)) {
                out.out(format!("{shown}\n"));
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
    out
}
