//! `find`: paths, then `-name -iname -path -type -maxdepth -mindepth -print` and `!`/`-not`,
//! walked depth-first without following symlinks; names matched as `fnmatch(3)` patterns.

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

/// `fnmatch` without flags: `*`, `?`, `[...]` (`!`/`^` negates), `\` quotes.
pub fn fnmatch(pat: &str, s: &str, icase: bool) -> bool {
    let p: Vec<char> = pat.chars().collect();
    let t: Vec<char> = s.chars().collect();
    let eq = |a: char, b: char| {
        if icase {
            a.to_lowercase().eq(b.to_lowercase())
        } else {
            a == b
        }
    };
    // Iterative with one backtrack point for the last `*` (linear enough for short names).
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        let mut advanced = false;
        if pi < p.len() {
            match p[pi] {
                '*' => {
                    star = Some((pi, ti));
                    pi += 1;
                    continue;
                }
                '?' => {
                    pi += 1;
                    ti += 1;
                    advanced = true;
                }
                '[' => {
                    if let Some((hit, next)) = bracket(&p, pi, t[ti], icase) {
                        if hit {
                            pi = next;
                            ti += 1;
                            advanced = true;
                        }
                    } else if eq('[', t[ti]) {
                        pi += 1;
                        ti += 1;
                        advanced = true;
                    }
                }
                '\\' if pi + 1 < p.len() => {
                    if eq(p[pi + 1], t[ti]) {
                        pi += 2;
                        ti += 1;
                        advanced = true;
                    }
                }
                c => {
                    if eq(c, t[ti]) {
                        pi += 1;
                        ti += 1;
                        advanced = true;
                    }
                }
            }
        }
        if !advanced {
            match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            }
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Match `c` against the bracket expression at `p[i] == '['`: (matched, index after).
fn bracket(p: &[char], i: usize, c: char, icase: bool) -> Option<(bool, usize)> {
    let mut j = i + 1;
    let neg = matches!(p.get(j), Some('!') | Some('^'));
    if neg {
        j += 1;
    }
    let mut hit = false;
    let mut first = true;
    let lc = c.to_ascii_lowercase();
    while j < p.len() {
        if p[j] == ']' && !first {
            return Some((hit != neg, j + 1));
        }
        first = false;
        if p.get(j + 1) == Some(&'-') && p.get(j + 2).is_some_and(|&e| e != ']') {
            let (lo, hi) = (p[j], p[j + 2]);
            hit |= (lo <= c && c <= hi) || (icase && lo <= lc && lc <= hi);
            j += 3;
        } else {
            hit |= p[j] == c || (icase && p[j].to_ascii_lowercase() == lc);
            j += 1;
        }
    }
    None
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

#[cfg(test)]
mod tests {
    use super::fnmatch;

    #[test]
    fn shell_patterns() {
        assert!(fnmatch("*.txt", "a.txt", false));
        assert!(fnmatch("*", ".hidden", false));
        assert!(!fnmatch("*.txt", "a.txt.bak", false));
        assert!(fnmatch("f?[0-9]", "fx7", false));
        assert!(fnmatch("[!a]*", "bc", false));
        assert!(fnmatch("*A*", "xay", true));
        assert!(fnmatch("a*b*c", "aXbYbc", false));
    }
}
