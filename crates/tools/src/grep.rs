//! `grep`: basic (and `-E`, `-F`) patterns over files, stdin or trees (`-r`), with `-i -n -v -l
//! -L -c -q -s -h -H -x -e`, and grep's exit codes (0 match, 1 none, 2 trouble).

use layerbox_fstree::{Errno, FileSystem, FileType};

use crate::cli::{join_display, parse_or_usage, Spec};
use crate::regex::Regex;
use crate::text::read_input;
use crate::{Ctx, Output};

pub fn grep(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let spec = Spec {
        short: "rRinvlLcqshHFEGxe:wo",
        long: &[
            ("recursive", 'r'),
            ("dereference-recursive", 'R'),
            ("ignore-case", 'i'),
            ("line-number", 'n'),
            ("invert-match", 'v'),
            ("files-with-matches", 'l'),
            ("files-without-match", 'L'),
            ("count", 'c'),
            ("quiet", 'q'),
            ("silent", 'q'),
            ("no-messages", 's'),
            ("no-filename", 'h'),
            ("with-filename", 'H'),
            ("fixed-strings", 'F'),
            ("extended-regexp", 'E'),
            ("line-regexp", 'x'),
            ("regexp", 'e'),
        ],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 2) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let mut operands = o.operands.clone();
    let mut patterns: Vec<String> = o
        .flags
        .iter()
        .filter(|(c, _)| *c == 'e')
        .filter_map(|(_, v)| v.clone())
        .collect();
    if patterns.is_empty() {
        if operands.is_empty() {
            return crate::cli::usage_error(ctx, prog, None, 2);
        }
        patterns.push(operands.remove(0));
    }
    let icase = o.has('i');
    let mut res = Vec::new();
    let mut out = Output::default();
    for p in patterns.iter().flat_map(|p| p.split('\n')) {
        let p = if o.has('x') && !o.has('F') {
            format!("^{p}$")
        } else {
            p.to_string()
        };
        let r = if o.has('F') {
            Some(Regex::literal(&p, icase))
        } else {
            Regex::new(&p, icase, o.has('E'))
        };
        match r {
            Some(r) => res.push((r, p)),
            None => {
                let msg = if ctx.gnu() {
                    "Unmatched [, [^, [:, [., or [="
                } else {
                    "bad regex: Unmatched [, [^, [:, [., or [="
                };
                out.fail(prog, msg, 2);
                return out;
            }
        }
    }
    let recursive = o.has('r') || o.has('R');
    let mut implicit_dot = false;
    if operands.is_empty() {
        if recursive && ctx.gnu() {
            operands.push(".".into());
            implicit_dot = true;
        } else {
            operands.push("-".into());
        }
    }
    let show_names = !o.has('h') && (o.has('H') || operands.len() > 1 || recursive);
    let mut g = Grep {
        o: &o,
        res: &res,
        show_names,
        matched: false,
        trouble: false,
        out,
    };
    for op in &operands {
        if recursive && op != "-" {
            g.walk(ctx, prog, op, implicit_dot);
        } else {
            g.file(ctx, prog, op);
        }
        if g.matched && g.o.has('q') {
            break;
        }
    }
    let mut out = g.out;
    out.code = if g.trouble && !(o.has('q') && g.matched) {
        2
    } else if g.matched {
        0
    } else {
        1
    };
    out
}

struct Grep<'a> {
    o: &'a crate::cli::Opts,
    res: &'a [(Regex, String)],
    show_names: bool,
    matched: bool,
    trouble: bool,
    out: Output,
}

impl Grep<'_> {
    fn error(&mut self, prog: &str, name: &str, e: Errno) {
        self.trouble = true;
        if !self.o.has('s') {
            self.out.err(format!("{prog}: {name}: {e}\n"));
        }
    }

    fn walk(&mut self, ctx: &Ctx<'_>, prog: &str, top: &str, implicit_dot: bool) {
        let follow_all = self.o.has('R');
        let mut stack = vec![(top.to_string(), true)];
        while let Some((name, is_top)) = stack.pop() {
            let p = ctx.abs(&name);
            let st = if is_top || follow_all {
                ctx.fs.stat(&ctx.cred, &p)
            } else {
                ctx.fs.lstat(&ctx.cred, &p)
            };
            let st = match st {
                Ok(st) => st,
                Err(e) => {
                    self.error(prog, &name, e);
                    continue;
                }
            };
            if st.kind == FileType::Symlink {
                // GNU -r skips symlinks met while walking; BusyBox follows those to files.
                if ctx.gnu() {
                    continue;
                }
                match ctx.fs.stat(&ctx.cred, &p) {
                    Ok(t) if !t.is_dir() => self.file(ctx, prog, &name),
                    _ => {}
                }
                continue;
            }
            if !st.is_dir() {
                self.file(ctx, prog, &name);
                continue;
            }
            match ctx.fs.read_dir(&ctx.cred, &p) {
                Ok(children) => {
                    for c in children.into_iter().rev() {
                        let child = if implicit_dot && is_top {
                            c.name
                        } else {
                            join_display(&name, &c.name)
                        };
                        stack.push((child, false));
                    }
                }
                Err(e) => self.error(prog, &name, e),
            }
        }
    }

    fn file(&mut self, ctx: &Ctx<'_>, prog: &str, name: &str) {
        let data = match read_input(ctx, name) {
            Ok(d) => d,
            Err(e) => return self.error(prog, name, e),
        };
        let shown = if name == "-" {
            "(standard input)"
        } else {
            name
        };
        let o = self.o;
        let binary = data.contains(&0);
        let mut count = 0usize;
        let text = String::from_utf8_lossy(&data);
        let body = text.strip_suffix('\n').unwrap_or(&text);
        let mut printed = Vec::new();
        if !data.is_empty() {
            for (i, line) in body.split('\n').enumerate() {
                let hit = self.res.iter().any(|(r, _)| r.is_match(line)) != o.has('v');
                if !hit {
                    continue;
                }
                count += 1;
                if o.has('q') || o.has('l') || o.has('L') || o.has('c') || binary {
                    continue;
                }
                if self.show_names {
                    printed.extend_from_slice(format!("{shown}:").as_bytes());
                }
                if o.has('n') {
                    printed.extend_from_slice(format!("{}:", i + 1).as_bytes());
                }
                printed.extend_from_slice(line.as_bytes());
                printed.push(b'\n');
            }
        }
        if count > 0 {
            self.matched = true;
        }
        if o.has('q') {
            return;
        }
        if o.has('l') {
            if count > 0 {
                self.out.out(format!("{shown}\n"));
            }
        } else if o.has('L') {
            if count == 0 {
                self.out.out(format!("{shown}\n"));
            }
        } else if o.has('c') {
            if self.show_names {
                self.out.out(format!("{shown}:{count}\n"));
            } else {
                self.out.out(format!("{count}\n"));
            }
        } else if binary && count > 0 {
            if ctx.gnu() {
                self.out
                    .out(format!("grep: {shown}: binary file matches\n"));
            } else {
                self.out.out(format!("Binary file {shown} matches\n"));
            }
        } else {
            self.out.out(printed);
        }
    }
}
