//! `grep`: basic (and `-E`, `-F`) patterns over files, stdin or trees (`-r`), with `-i -n -v -l
//! -L -c -q -s -h -H -x -w -e`, and grep's exit codes (0 match, 1 none, 2 trouble).
//!
//! Emulation note: the real grep searches as long as it takes; layerbox gives one run
//! [`STEPS`] steps of its matcher (see `regex/`) over every pattern, file and line. A search that
//! needs more ends with `layerbox: grep: pattern too costly, stopped (layerbox limit)` on stderr
//! and exit status 2 (trouble), after the lines found so far: it never answers "no match"
//! when it could not tell. A pattern too big or too deeply nested to compile gets the same line.

/// The steps of the matcher one grep run may take: about a quarter of a second natively.
const STEPS: usize = 20_000_000;

const TOO_COSTLY: &str = "layerbox: grep: pattern too costly, stopped (layerbox limit)";

use layerbox_fstree::{Errno, FileSystem, FileType};

use crate::cli::{join_display, parse_or_usage, Spec};
use crate::regex::{Budget, ErrorKind, Exhausted, Options, Regex, Search};
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
    let options = Options {
        extended: o.has('E'),
        icase: o.has('i'),
        gnu: ctx.gnu(),
        whole_line: o.has('x'),
        whole_word: o.has('w'),
    };
    let mut res = Vec::new();
    let mut out = Output::default();
    for p in patterns.iter().flat_map(|p| p.split('\n')) {
        let compiled = if o.has('F') {
            Regex::fixed(p, options).map(|r| (r, Vec::new()))
        } else {
            Regex::new(p, options)
        };
        match compiled {
            Ok((r, warnings)) => {
                for w in warnings {
                    out.err(format!("{prog}: {w}\n"));
                }
                res.push(r);
            }
            Err(ErrorKind::TooCostly) => {
                out.err(format!("{TOO_COSTLY}\n"));
                out.code = 2;
                return out;
            }
            Err(e) => {
                if ctx.gnu() {
                    out.fail(prog, e.message(), 2);
                } else {
                    out.fail(prog, format!("bad regex '{p}'"), 2);
                }
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
        search: Search::new(Budget::new(STEPS)),
        show_names,
        matched: false,
        trouble: false,
        stopped: false,
        out,
    };
    for op in &operands {
        if recursive && op != "-" {
            g.walk(ctx, prog, op, implicit_dot);
        } else {
            g.file(ctx, prog, op);
        }
        if (g.matched && g.o.has('q')) || g.stopped {
            break;
        }
    }
    let mut out = g.out;
    if g.stopped {
        out.err(format!("{TOO_COSTLY}\n"));
        out.code = 2;
        return out;
    }
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
    res: &'a [Regex],
    /// The budget of the whole run, over every pattern, file and line.
    search: Search,
    show_names: bool,
    matched: bool,
    trouble: bool,
    /// The budget ran out: nothing more is searched.
    stopped: bool,
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
            if self.stopped || (self.matched && self.o.has('q')) {
                return;
            }
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
        let body = data.strip_suffix(b"\n").unwrap_or(&data);
        let mut printed = Vec::new();
        // Only the first match counts where nothing else is printed.
        let first_only = o.has('q') || o.has('l') || o.has('L');
        if !data.is_empty() {
            for (i, line) in body.split(|&b| b == b'\n').enumerate() {
                let mut hit = false;
                for r in self.res {
                    match r.is_match(line, &mut self.search) {
                        Ok(true) => {
                            hit = true;
                            break;
                        }
                        Ok(false) => {}
                        Err(Exhausted) => {
                            self.stopped = true;
                            break;
                        }
                    }
                }
                if self.stopped {
                    break;
                }
                if hit == o.has('v') {
                    continue;
                }
                count += 1;
                if first_only {
                    break;
                }
                if o.has('c') || binary {
                    continue;
                }
                if self.show_names {
                    printed.extend_from_slice(format!("{shown}:").as_bytes());
                }
                if o.has('n') {
                    printed.extend_from_slice(format!("{}:", i + 1).as_bytes());
                }
                printed.extend_from_slice(line);
                printed.push(b'\n');
            }
        }
        if self.stopped {
            // What was found before the budget ran out is printed, as by a killed grep.
            self.out.out(printed);
            return;
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
