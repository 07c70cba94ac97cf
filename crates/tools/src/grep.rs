//! `grep`: basic (and `-E`, `-F`) patterns over files, stdin or trees (`-r`), with `-i -n -v -l
//! -L -c -q -s -h -H -x -w -e -f -o -a -m`, and grep's exit codes (0 match, 1 none, 2 trouble).
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
use crate::regex::{Budget, ErrorKind, Exhausted, FindError, Options, Regex, Search};
use crate::text::read_input;
use crate::{Ctx, Output};

pub fn grep(prog: &str, args: &[String], ctx: &mut Ctx<'_>) -> Output {
    let spec = Spec {
        short: "rRinvlLcqshHFEGxe:f:woaIm:A:B:C:",
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
            ("file", 'f'),
            ("word-regexp", 'w'),
            ("only-matching", 'o'),
            ("text", 'a'),
            ("max-count", 'm'),
            ("after-context", 'A'),
            ("before-context", 'B'),
            ("context", 'C'),
        ],
    };
    let o = match parse_or_usage(ctx, prog, args, &spec, 2) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let mut operands = o.operands.clone();
    // -e patterns and the lines of -f files, in the order given.
    let mut patterns: Vec<String> = Vec::new();
    let mut out = Output::default();
    for (c, v) in &o.flags {
        let v = v.clone().unwrap_or_default();
        match c {
            'e' => patterns.push(v),
            'f' => match read_input(ctx, &v) {
                Ok(data) => {
                    let text = String::from_utf8_lossy(&data).into_owned();
                    let body = text.strip_suffix('\n').unwrap_or(&text);
                    if !data.is_empty() {
                        patterns.extend(body.split('\n').map(str::to_string));
                    }
                }
                Err(e) => {
                    out.fail(prog, format!("{v}: {e}"), 2);
                    return out;
                }
            },
            _ => {}
        }
    }
    if !o.has('e') && !o.has('f') {
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
    // BusyBox's -o prints the matches of the first pattern that matches, in the order of its
    // pattern list (the reverse of the command line's), with the pattern as such (no -w or -x).
    let mut raw = Vec::new();
    let mut texts: Vec<&str> = patterns.iter().flat_map(|p| p.split('\n')).collect();
    if !ctx.gnu() {
        texts.reverse();
    }
    for &p in &texts {
        let compile = |options: Options| {
            if o.has('F') {
                Regex::fixed(p, options).map(|r| (r, Vec::new()))
            } else {
                Regex::new(p, options)
            }
        };
        let compiled = compile(options).and_then(|(r, w)| {
            let bare = Options {
                whole_line: false,
                whole_word: false,
                ..options
            };
            let bare = if o.has('o') && !ctx.gnu() {
                Some(compile(bare)?.0)
            } else {
                None
            };
            Ok((r, w, bare))
        });
        match compiled {
            Ok((r, warnings, bare)) => {
                for w in warnings {
                    out.err(format!("{prog}: {w}\n"));
                }
                res.push(r);
                raw.extend(bare);
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
    // -m N: at most N selected lines a file.
    let max = match o.value('m').map(str::parse::<usize>) {
        None => None,
        Some(Ok(n)) => Some(n),
        Some(Err(_)) => {
            let v = o.value('m').unwrap_or_default();
            let msg = if ctx.gnu() {
                "invalid max count".to_string()
            } else {
                format!("invalid number '{v}'")
            };
            out.fail(prog, msg, 2);
            return out;
        }
    };
    // -A, -B and -C: lines of context. GNU's -A and -B win over -C whatever their order;
    // in BusyBox the last one given wins.
    let (mut after, mut before, mut both) = (None, None, None);
    for (c, v) in &o.flags {
        let slot = match c {
            'A' => &mut after,
            'B' => &mut before,
            'C' => &mut both,
            _ => continue,
        };
        let v = v.clone().unwrap_or_default();
        let Ok(n) = v.parse::<usize>() else {
            let msg = if ctx.gnu() {
                format!("{v}: invalid context length argument")
            } else {
                format!("invalid number '{v}'")
            };
            out.fail(prog, msg, 2);
            return out;
        };
        *slot = Some(n);
        if *c == 'C' && !ctx.gnu() {
            (after, before) = (Some(n), Some(n));
        }
    }
    let after = after.or(both).unwrap_or(0);
    let before = before.or(both).unwrap_or(0);
    if ctx.gnu() && max == Some(0) {
        // GNU grep reads nothing then.
        out.code = 1;
        return out;
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
    let cap = ctx.work_cap(STEPS);
    let mut g = Grep {
        o: &o,
        res: &res,
        raw: &raw,
        texts: &texts,
        search: Search::new(Budget::new(cap)),
        show_names,
        max,
        after,
        before,
        matched: false,
        listed: false,
        backrefs_o: false,
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
    ctx.spend_work(g.search.budget.used());
    if g.stopped {
        // The line's shared work ran out: its shell says so, once.
        if !ctx.line_work_gone() {
            out.err(format!("{TOO_COSTLY}\n"));
        }
        out.code = 2;
        return out;
    }
    if g.backrefs_o {
        out.err("layerbox: grep: -o with a back-reference is not modelled\n");
        // The exit status of everything layerbox does not model (runtime's NOT_MODELLED).
        out.code = 69;
        return out;
    }
    // BusyBox's -L succeeds when it lists a file; GNU's exit status is about lines selected.
    let success = if o.has('L') && !ctx.gnu() {
        g.listed
    } else {
        g.matched
    };
    out.code = if g.trouble && !(o.has('q') && g.matched) {
        2
    } else if success {
        0
    } else {
        1
    };
    out
}

struct Grep<'a> {
    o: &'a crate::cli::Opts,
    res: &'a [Regex],
    /// BusyBox's -o: each pattern without -w and -x.
    raw: &'a [Regex],
    /// The patterns as given (BusyBox's -F -o prints them).
    texts: &'a [&'a str],
    /// The budget of the whole run, over every pattern, file and line.
    search: Search,
    show_names: bool,
    max: Option<usize>,
    /// Lines of context after and before each selected line (`-A`, `-B`, `-C`).
    after: usize,
    before: usize,
    matched: bool,
    /// `-L` listed a file.
    listed: bool,
    /// `-o` met a pattern with back-references, which only tells match or no match.
    backrefs_o: bool,
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

    /// `-o`: each leftmost-longest match of any pattern on its own line, empty ones skipped.
    fn only_matching(&mut self, line: &[u8], prefix: &[u8], printed: &mut Vec<u8>) {
        let mut pos = 0;
        while pos <= line.len() {
            let mut best: Option<(usize, usize)> = None;
            for r in self.res {
                match r.find(line, pos, &mut self.search) {
                    Ok(Some((s, e))) => {
                        if best.is_none_or(|(bs, be)| s < bs || s == bs && e > be) {
                            best = Some((s, e));
                        }
                    }
                    Ok(None) => {}
                    Err(FindError::Exhausted) => {
                        self.stopped = true;
                        return;
                    }
                    Err(FindError::Backrefs) => {
                        self.backrefs_o = true;
                        return;
                    }
                }
            }
            let Some((s, e)) = best else {
                return;
            };
            if s == e {
                pos = s + 1;
                continue;
            }
            printed.extend_from_slice(prefix);
            printed.extend_from_slice(&line[s..e]);
            printed.push(b'\n');
            pos = e;
        }
    }

    /// BusyBox's -o for a line that pattern `k` matched: with -F the pattern itself; else its
    /// match (under -w the first one with no word character beside it, retried from each
    /// match's end; under -x the line), then every later match of the bare pattern.
    fn busybox_only_matching(
        &mut self,
        k: usize,
        line: &[u8],
        prefix: &[u8],
        printed: &mut Vec<u8>,
    ) {
        let o = self.o;
        if o.has('F') {
            printed.extend_from_slice(prefix);
            printed.extend_from_slice(self.texts[k].as_bytes());
            printed.push(b'\n');
            return;
        }
        let is_word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
        let find = |g: &mut Self, from: usize| match g.raw[k].find(line, from, &mut g.search) {
            Ok(span) => Some(span),
            Err(FindError::Exhausted) => {
                g.stopped = true;
                None
            }
            Err(FindError::Backrefs) => {
                g.backrefs_o = true;
                None
            }
        };
        let mut span = if o.has('x') {
            Some((0, line.len()))
        } else if o.has('w') {
            let mut pos = 0;
            loop {
                let Some(Some((s, e))) = find(self, pos) else {
                    break None;
                };
                let before = if s > 0 { line[s - 1] } else { b' ' };
                let after = line.get(e).copied().unwrap_or(b' ');
                if !is_word(before) && !is_word(after) {
                    break Some((s, e));
                }
                if e == pos {
                    break None;
                }
                pos = e;
            }
        } else {
            find(self, 0).flatten()
        };
        while let Some((s, e)) = span {
            if e > s {
                printed.extend_from_slice(prefix);
                printed.extend_from_slice(&line[s..e]);
                printed.push(b'\n');
            }
            if e >= line.len() {
                break;
            }
            span = find(self, if e == s { e + 1 } else { e }).flatten();
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
        // GNU tells of a binary file's match (unless -a); BusyBox prints the line as it is.
        let binary = ctx.gnu() && !o.has('a') && data.contains(&0);
        let mut count = 0usize;
        let body = data.strip_suffix(b"\n").unwrap_or(&data);
        let mut printed = Vec::new();
        // Only the first match counts where nothing else is printed.
        let first_only = o.has('q') || o.has('l') || o.has('L');
        // GNU's -I: a binary file has no matching line.
        let skip = ctx.gnu() && o.has('I') && data.contains(&0);
        let lines: Vec<&[u8]> = body.split(|&b| b == b'\n').collect();
        // Context: the last line printed, and how many lines of after-context are owed.
        // GNU's -o prints no context; BusyBox's prints it around the matches.
        let with_context = (self.after > 0 || self.before > 0) && !(o.has('o') && ctx.gnu());
        let mut last_printed: Option<usize> = None;
        let mut owed = 0usize;
        let show_names = self.show_names;
        let context_prefix = |i: usize| {
            let mut prefix = Vec::new();
            if show_names {
                prefix.extend_from_slice(format!("{shown}-").as_bytes());
            }
            if o.has('n') {
                prefix.extend_from_slice(format!("{}-", i + 1).as_bytes());
            }
            prefix
        };
        // Prints line `i` as context, after `--` if it does not follow the last line printed.
        let print_context = |printed: &mut Vec<u8>, last: &mut Option<usize>, i: usize| {
            if last.is_some_and(|l| l + 1 < i) {
                printed.extend_from_slice(b"--\n");
            }
            printed.extend_from_slice(&context_prefix(i));
            printed.extend_from_slice(lines[i]);
            printed.push(b'\n');
            *last = Some(i);
        };
        if !data.is_empty() && !skip {
            for (i, &line) in lines.iter().enumerate() {
                // Past -m's count only the last selected line's trailing context is printed
                // (GNU's whatever it holds, BusyBox's up to the next selected line).
                let reached = self.max.is_some_and(|m| m > 0 && count >= m);
                if reached && !(with_context && owed > 0) {
                    break;
                }
                // Reading a line is a step too, whatever the pattern skips.
                if self.search.budget.spend(1).is_err() {
                    self.stopped = true;
                    break;
                }
                let mut hit = false;
                let mut which = 0;
                for (k, r) in self.res.iter().enumerate() {
                    match r.is_match(line, &mut self.search) {
                        Ok(true) => {
                            hit = true;
                            which = k;
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
                if reached {
                    if hit != o.has('v') && !ctx.gnu() {
                        break;
                    }
                    print_context(&mut printed, &mut last_printed, i);
                    owed -= 1;
                    continue;
                }
                if hit == o.has('v') {
                    if with_context && owed > 0 && !(o.has('c') || first_only || binary) {
                        print_context(&mut printed, &mut last_printed, i);
                        owed -= 1;
                    }
                    continue;
                }
                count += 1;
                // BusyBox's -m 0 counts the first selected line, then stops before printing it.
                if first_only || self.max == Some(0) {
                    break;
                }
                if o.has('c') || binary {
                    continue;
                }
                if with_context {
                    let first = last_printed
                        .map_or(0, |l| l + 1)
                        .max(i.saturating_sub(self.before));
                    for j in first..i {
                        print_context(&mut printed, &mut last_printed, j);
                    }
                    if last_printed.is_some_and(|l| l + 1 < i) {
                        printed.extend_from_slice(b"--\n");
                    }
                    last_printed = Some(i);
                    owed = self.after;
                }
                let mut prefix = Vec::new();
                if self.show_names {
                    prefix.extend_from_slice(format!("{shown}:").as_bytes());
                }
                if o.has('n') {
                    prefix.extend_from_slice(format!("{}:", i + 1).as_bytes());
                }
                if o.has('o') {
                    if !o.has('v') && ctx.gnu() {
                        self.only_matching(line, &prefix, &mut printed);
                    } else if !o.has('v') {
                        self.busybox_only_matching(which, line, &prefix, &mut printed);
                    }
                    if self.stopped || self.backrefs_o {
                        break;
                    }
                    continue;
                }
                printed.extend_from_slice(&prefix);
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
                self.listed = true;
                self.out.out(format!("{shown}\n"));
            }
        } else if o.has('c') {
            if self.show_names {
                self.out.out(format!("{shown}:{count}\n"));
            } else {
                self.out.out(format!("{count}\n"));
            }
        } else if binary && count > 0 {
            // GNU grep 3.8 says so on stderr (binary is GNU's only).
            self.out
                .err(format!("grep: {shown}: binary file matches\n"));
        } else {
            self.out.out(printed);
        }
    }
}
