//! Running a parsed sed script: the cycle (read a line into the pattern space, run the
//! commands whose addresses select it, print it unless `-n`, then the queued `a` and `r`
//! text), ranges, the hold space, and every command's effect.

use std::collections::BTreeMap;

use layerbox_fstree::FileSystem;

use crate::regex::{Budget, Search};
use crate::{Ctx, Output};

use super::parse::{Addr, Addr2, Kind, Rep, Script, Subst};
use super::{InputFile, MAX_SPACE, STEPS};

/// The steps the regex matcher may take in one run (as grep's).
const REGEX_STEPS: usize = 20_000_000;

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// The input ran out.
    Done,
    /// `q` or `Q`, with this exit status.
    Quit(i32),
    /// The run spent its steps.
    TooCostly,
}

/// Why the commands of a cycle stopped.
enum Flow {
    /// Go on with the next command.
    Next,
    /// End the cycle; print the pattern space unless `-n` if `true`.
    End(bool),
    /// `D`: start again with what is left, without reading.
    Restart,
    /// `q` (prints) or `Q`, with the status.
    Quit(bool, i32),
    /// A run-time error: the message after `sed: ` and the exit status.
    Fail(String, i32),
    Costly,
}

/// Text queued by `a`, `r` and `R` for the end of the cycle.
enum Append {
    Text(Vec<u8>),
    File(String),
    Line(String),
}

/// The state that lives across lines and files.
pub struct Exec<'s> {
    script: &'s Script,
    quiet: bool,
    gnu: bool,
    line_len: usize,
    hold: Vec<u8>,
    hold_nl: bool,
    active: Vec<bool>,
    range_end: Vec<u64>,
    /// BusyBox: a range whose first address is a line number starts once.
    spent: Vec<bool>,
    last_re: Option<usize>,
    wdata: Vec<Vec<u8>>,
    wmissing: Vec<bool>,
    rlines: BTreeMap<String, usize>,
    search: Search,
    steps: usize,
    /// What `steps` started at.
    first_steps: usize,
    missing_nl: bool,
    /// How the line last read into the pattern space ended (the run's separator for GNU).
    term: u8,
    appends: Vec<Append>,
    /// A run-time error's exit status.
    pub error_code: Option<i32>,
    line_no: u64,
}

impl<'s> Exec<'s> {
    /// An execution of `script` whose commands may take `steps` and whose matcher may take
    /// `regex_steps` (each the smaller of sed's own bound and the typed line's work left).
    pub fn new(
        script: &'s Script,
        quiet: bool,
        gnu: bool,
        line_len: usize,
        (steps, regex_steps): (usize, usize),
    ) -> Exec<'s> {
        let n = script.cmds.len();
        Exec {
            script,
            quiet,
            gnu,
            line_len,
            hold: Vec::new(),
            hold_nl: true,
            active: vec![false; n],
            range_end: vec![0; n],
            spent: vec![false; n],
            last_re: None,
            wdata: vec![Vec::new(); script.wfiles.len()],
            wmissing: vec![false; script.wfiles.len()],
            rlines: BTreeMap::new(),
            search: Search::new(Budget::new(regex_steps)),
            steps,
            first_steps: steps,
            missing_nl: false,
            term: b'\n',
            appends: Vec::new(),
            error_code: None,
            line_no: 0,
        }
    }

    /// Creates every `w` file empty, as both programs do when they read the script.
    pub fn open_wfiles(&self, ctx: &mut Ctx<'_>) -> Result<(), String> {
        for name in &self.script.wfiles {
            if name == "/dev/stdout" || name == "/dev/stderr" {
                continue;
            }
            if let Err(e) =
                ctx.fs
                    .write_file(&ctx.cred, &ctx.abs(name), b"", 0o666 & !ctx.umask, ctx.now)
            {
                return Err(if self.gnu {
                    format!("couldn't open file {name}: {}", e.strerror())
                } else {
                    format!("can't open '{name}': {}", e.strerror())
                });
            }
        }
        Ok(())
    }

    /// Writes what `w` collected into its files.
    pub fn write_files(&mut self, ctx: &mut Ctx<'_>, out: &mut Output) {
        for (i, name) in self.script.wfiles.iter().enumerate() {
            if name == "/dev/stdout" || name == "/dev/stderr" {
                continue;
            }
            let data = std::mem::take(&mut self.wdata[i]);
            if let Err(e) = ctx.fs.write_file(
                &ctx.cred,
                &ctx.abs(name),
                &data,
                0o666 & !ctx.umask,
                ctx.now,
            ) {
                out.err(format!("sed: couldn't write {name}: {}\n", e.strerror()));
                out.code = 4;
            }
        }
    }

    /// The steps taken so far, by the commands and by the matcher.
    pub fn used(&self) -> usize {
        (self.first_steps - self.steps).saturating_add(self.search.budget.used())
    }

    /// The bounds of a run: sed's own ([`STEPS`], [`REGEX_STEPS`]) or the typed line's work
    /// left, whichever is less.
    pub fn caps(ctx: &Ctx<'_>) -> (usize, usize) {
        (ctx.work_cap(STEPS), ctx.work_cap(REGEX_STEPS))
    }

    fn spend(&mut self, n: usize) -> bool {
        match self.steps.checked_sub(n) {
            Some(left) => {
                self.steps = left;
                true
            }
            None => false,
        }
    }

    /// Writes `data` to stdout, first ending a previous line that had no newline.
    /// BusyBox (`puts_maybe_newline()`) writes the text as a C string, up to its first NUL,
    /// ends an unended line with a newline, and after a NUL that ended its file starts the next
    /// output on a new line.
    fn emit(&mut self, out: &mut Output, data: &[u8], nl: bool, sep: u8) {
        if self.missing_nl {
            out.out([if self.gnu { sep } else { b'\n' }]);
        }
        let data = match data.iter().position(|&b| b == 0).filter(|_| !self.gnu) {
            Some(nul) => &data[..nul],
            None => data,
        };
        out.out(data);
        if nl {
            out.out([if sep == super::LAST_IS_NUL { 0 } else { sep }]);
        }
        self.missing_nl = !nl || sep == super::LAST_IS_NUL;
    }

    fn flush_appends(&mut self, out: &mut Output, ctx: &Ctx<'_>, sep: u8) {
        for a in std::mem::take(&mut self.appends) {
            match a {
                Append::Text(t) => self.emit(out, &t, true, sep),
                Append::File(name) => {
                    let Ok(data) = crate::text::read_input(ctx, &name) else {
                        continue;
                    };
                    if name == "-" {
                        continue;
                    }
                    if self.gnu {
                        if self.missing_nl {
                            out.out([sep]);
                            self.missing_nl = false;
                        }
                        out.out(&data);
                    } else {
                        for (l, _, _) in super::split_lines(&data, b'\n', true) {
                            self.emit(out, &l, true, sep);
                        }
                    }
                }
                Append::Line(name) => {
                    let Ok(data) = crate::text::read_input(ctx, &name) else {
                        continue;
                    };
                    let at = self.rlines.entry(name).or_insert(0);
                    let lines = super::split_lines(&data, b'\n', true);
                    if let Some((l, nl, _)) = lines.get(*at) {
                        *at += 1;
                        let (l, nl) = (l.clone(), *nl);
                        if self.missing_nl {
                            out.out([sep]);
                        }
                        out.out(&l);
                        if nl {
                            out.out([sep]);
                        }
                        self.missing_nl = !nl;
                    }
                }
            }
        }
    }

    /// Runs the script over `inputs` as one stream.
    pub fn run(
        &mut self,
        inputs: &[InputFile],
        sep: u8,
        out: &mut Output,
        ctx: &mut Ctx<'_>,
    ) -> Status {
        if let Err(m) = self.open_wfiles(ctx) {
            out.err(format!("sed: {m}\n"));
            self.error_code = Some(4);
            return Status::Quit(4);
        }
        let lines: Vec<(&[u8], bool, u8, &str)> = inputs
            .iter()
            .flat_map(|f| {
                f.lines
                    .iter()
                    .map(move |(l, nl, t)| (l.as_slice(), *nl, *t, f.name.as_str()))
            })
            .collect();
        self.line_no = 0;
        self.missing_nl = false;
        for (i, c) in self.script.cmds.iter().enumerate() {
            self.active[i] = matches!(c.a1, Some(Addr::Zero));
            self.spent[i] = false;
        }
        let mut next = 0;
        while next < lines.len() {
            if out.full() {
                return Status::Done;
            }
            let (l, nl, term, name) = lines[next];
            self.term = term;
            next += 1;
            self.line_no += 1;
            let mut ps = l.to_vec();
            let mut nl = nl;
            let mut file = name;
            let mut tflag = false;
            'cycle: loop {
                let flow = self.cycle(
                    &mut ps, &mut nl, &mut file, &mut tflag, &lines, &mut next, sep, out, ctx,
                );
                match flow {
                    Flow::Next | Flow::End(true) => {
                        if !self.quiet {
                            self.emit(out, &ps.clone(), nl, self.term);
                        }
                        self.flush_appends(out, ctx, sep);
                        break 'cycle;
                    }
                    Flow::End(false) => {
                        self.flush_appends(out, ctx, sep);
                        break 'cycle;
                    }
                    Flow::Restart => {
                        self.flush_appends(out, ctx, sep);
                        tflag = false;
                        continue 'cycle;
                    }
                    Flow::Quit(print, code) => {
                        if print {
                            if !self.quiet {
                                self.emit(out, &ps.clone(), nl, self.term);
                            }
                            self.flush_appends(out, ctx, sep);
                        }
                        return Status::Quit(code);
                    }
                    Flow::Fail(msg, code) => {
                        out.err(format!("sed: {msg}\n"));
                        self.error_code = Some(code);
                        return Status::Quit(code);
                    }
                    Flow::Costly => return Status::TooCostly,
                }
            }
        }
        Status::Done
    }

    /// One pass of the commands over the pattern space.
    #[allow(clippy::too_many_arguments)]
    fn cycle<'l>(
        &mut self,
        ps: &mut Vec<u8>,
        nl: &mut bool,
        file: &mut &'l str,
        tflag: &mut bool,
        lines: &[(&'l [u8], bool, u8, &'l str)],
        next: &mut usize,
        sep: u8,
        out: &mut Output,
        ctx: &mut Ctx<'_>,
    ) -> Flow {
        let cmds = &self.script.cmds;
        let mut pc = 0;
        while pc < cmds.len() {
            if !self.spend(1) || ps.len() > MAX_SPACE || self.hold.len() > MAX_SPACE {
                return Flow::Costly;
            }
            if out.full() {
                return Flow::End(false);
            }
            let cmd = &cmds[pc];
            let last = *next >= lines.len();
            let selected = match self.selected(pc, ps, last) {
                Ok(s) => s,
                Err(f) => return f,
            };
            if !selected {
                pc = match cmd.kind {
                    Kind::Open(end) if end != usize::MAX => end + 1,
                    Kind::Open(_) if !self.gnu => {
                        return Flow::Fail("unterminated {".into(), 1);
                    }
                    _ => pc + 1,
                };
                continue;
            }
            pc += 1;
            match &cmd.kind {
                Kind::Open(_) | Kind::Close | Kind::Label(_) | Kind::Nop => {}
                Kind::Branch(c, target) => {
                    let jump = match c {
                        b't' => std::mem::take(tflag),
                        b'T' => !std::mem::take(tflag),
                        _ => true,
                    };
                    if jump {
                        match target {
                            Some(t) => pc = *t,
                            None => return Flow::Next,
                        }
                    }
                }
                Kind::NoLabel(c, label) => {
                    let jump = match c {
                        b't' => std::mem::take(tflag),
                        b'T' => !std::mem::take(tflag),
                        _ => true,
                    };
                    if jump {
                        let l = String::from_utf8_lossy(label);
                        return Flow::Fail(format!("can't find label for jump to '{l}'"), 1);
                    }
                }
                Kind::Text(b'a', t) => {
                    self.appends.push(Append::Text(t.clone()));
                }
                Kind::Text(b'i', t) => {
                    let t = t.clone();
                    self.emit(out, &t, true, b'\n');
                }
                Kind::Text(_, t) => {
                    let in_range = cmd.a2.is_some() && self.active[pc - 1];
                    if !in_range || cmd.neg {
                        let t = t.clone();
                        self.emit(out, &t, true, b'\n');
                    }
                    return Flow::End(false);
                }
                Kind::Subst(s) => match self.subst(s, ps) {
                    Ok(true) => {
                        *tflag = true;
                        for _ in 0..s.print {
                            let p = ps.clone();
                            self.emit(out, &p, *nl, self.term);
                        }
                        if let Some(w) = s.write {
                            self.write(w, ps, *nl, out, sep);
                        }
                    }
                    Ok(false) => {}
                    Err(f) => return f,
                },
                Kind::Trans(pairs) => {
                    if !self.spend(ps.len() * pairs.len().max(1) / 8 + 1) {
                        return Flow::Costly;
                    }
                    *ps = self.translate(ps, pairs);
                }
                Kind::Quit(print, code) => return Flow::Quit(*print, *code),
                Kind::Read(b'R', name) => self.appends.push(Append::Line(name.clone())),
                Kind::Read(_, name) => self.appends.push(Append::File(name.clone())),
                Kind::Write(c, w) => {
                    let data = if *c == b'W' {
                        ps.split(|&b| b == b'\n')
                            .next()
                            .unwrap_or_default()
                            .to_vec()
                    } else {
                        ps.clone()
                    };
                    self.write(*w, &data, *nl || *c == b'W', out, sep);
                }
                Kind::List(n) => {
                    let width = if *n == 0 { self.line_len } else { *n };
                    let text = list(ps, width, self.gnu);
                    if self.missing_nl {
                        out.out([sep]);
                        self.missing_nl = false;
                    }
                    out.out(text);
                }
                Kind::Simple(c) => {
                    if !self.spend(ps.len() / 64 + self.hold.len() / 64) {
                        return Flow::Costly;
                    }
                    match c {
                        b'=' => {
                            let n = format!("{}", self.line_no);
                            self.emit(out, n.as_bytes(), true, b'\n');
                        }
                        b'd' => return Flow::End(false),
                        b'D' => {
                            let Some(i) = ps.iter().position(|&b| b == b'\n') else {
                                return Flow::End(false);
                            };
                            ps.drain(..=i);
                            return Flow::Restart;
                        }
                        // GNU ends what `p` and `P` print as the line ended; BusyBox always
                        // with a newline.
                        b'p' => {
                            let p = ps.clone();
                            self.emit(out, &p, *nl || !self.gnu, sep);
                        }
                        b'P' => {
                            let cut = ps.iter().position(|&b| b == b'\n');
                            let first = ps[..cut.unwrap_or(ps.len())].to_vec();
                            self.emit(out, &first, cut.is_some() || *nl || !self.gnu, sep);
                        }
                        b'g' => ps.clone_from(&self.hold),
                        b'G' => {
                            ps.push(b'\n');
                            ps.extend_from_slice(&self.hold);
                            if !self.gnu {
                                *nl = true;
                            }
                        }
                        b'h' => self.hold.clone_from(ps),
                        b'H' => {
                            self.hold.push(b'\n');
                            self.hold.extend_from_slice(ps);
                        }
                        b'x' => {
                            std::mem::swap(ps, &mut self.hold);
                            if self.gnu {
                                std::mem::swap(nl, &mut self.hold_nl);
                            } else {
                                *nl = true;
                            }
                        }
                        b'z' => ps.clear(),
                        b'F' => {
                            let f = file.to_string();
                            self.emit(out, f.as_bytes(), true, b'\n');
                        }
                        b'n' => {
                            if *next >= lines.len() {
                                if self.gnu {
                                    return Flow::End(true);
                                }
                                if !self.quiet {
                                    let p = ps.clone();
                                    self.emit(out, &p, *nl, self.term);
                                }
                                return Flow::End(false);
                            }
                            if !self.quiet {
                                let p = ps.clone();
                                self.emit(out, &p, *nl, self.term);
                            }
                            self.flush_appends(out, ctx, sep);
                            let (l, n2, t, f) = lines[*next];
                            self.term = t;
                            *next += 1;
                            self.line_no += 1;
                            *ps = l.to_vec();
                            *nl = n2;
                            *file = f;
                        }
                        b'N' => {
                            if *next >= lines.len() {
                                return Flow::End(true);
                            }
                            self.flush_appends(out, ctx, sep);
                            let (l, n2, t, f) = lines[*next];
                            self.term = t;
                            *next += 1;
                            self.line_no += 1;
                            ps.push(sep);
                            ps.extend_from_slice(l);
                            *nl = n2;
                            *file = f;
                        }
                        _ => {}
                    }
                }
            }
        }
        Flow::Next
    }

    /// `w`: the line (ended as it was read) into its file, after a newline the file's last
    /// line lacked.
    fn write(&mut self, w: usize, data: &[u8], nl: bool, out: &mut Output, sep: u8) {
        let name = self.script.wfiles.get(w).map(String::as_str).unwrap_or("");
        match name {
            "/dev/stdout" => self.emit(out, data, nl, sep),
            "/dev/stderr" => {
                out.err(data);
                if nl {
                    out.err([sep]);
                }
            }
            _ => {
                let missing = self.wmissing.get(w).copied().unwrap_or(false);
                if let Some(buf) = self.wdata.get_mut(w) {
                    if buf.len() < MAX_SPACE {
                        if missing {
                            buf.push(sep);
                        }
                        buf.extend_from_slice(data);
                        if nl {
                            buf.push(sep);
                        }
                    }
                }
                if let Some(m) = self.wmissing.get_mut(w) {
                    *m = !nl;
                }
            }
        }
    }

    /// Whether regex `re` (or the last one used) matches `text`.
    fn re_match(&mut self, re: Option<usize>, text: &[u8]) -> Result<bool, Flow> {
        let Some(i) = re.or(self.last_re) else {
            return Err(self.no_previous());
        };
        self.last_re = Some(i);
        let re = &self.script.regexes[i];
        re.is_match(text, &mut self.search)
            .map_err(|_| Flow::Costly)
    }

    fn no_previous(&self) -> Flow {
        if self.gnu {
            Flow::Fail("no previous regular expression".into(), 1)
        } else {
            Flow::Fail("no previous regexp".into(), 1)
        }
    }

    fn match1(&mut self, a: &Addr, ps: &[u8], last: bool) -> Result<bool, Flow> {
        Ok(match a {
            Addr::Line(n) => self.line_no == *n,
            Addr::Last => last,
            Addr::Re(r) => self.re_match(*r, ps)?,
            Addr::Step(first, step) => {
                if *step == 0 {
                    self.line_no == *first
                } else {
                    self.line_no >= *first && (self.line_no - first).is_multiple_of(*step)
                }
            }
            Addr::Zero => false,
        })
    }

    /// Whether command `i` applies to this line (its `!` applied), moving its range.
    fn selected(&mut self, i: usize, ps: &[u8], last: bool) -> Result<bool, Flow> {
        let cmd = &self.script.cmds[i];
        let (a1, a2, neg) = (cmd.a1.clone(), cmd.a2.clone(), cmd.neg);
        let m = match (&a1, &a2) {
            (None, _) => true,
            (Some(a1), None) => self.match1(a1, ps, last)?,
            (Some(a1), Some(a2)) => {
                if self.active[i] {
                    let ends = match a2 {
                        Addr2::Re(r) => self.re_match(*r, ps)?,
                        Addr2::Last => last,
                        _ => self.line_no >= self.range_end[i],
                    };
                    if ends {
                        self.active[i] = false;
                    }
                    true
                } else {
                    let start = match a1 {
                        Addr::Line(n) if !self.gnu => {
                            *n > 0 && !self.spent[i] && self.line_no >= *n
                        }
                        _ => self.match1(a1, ps, last)?,
                    };
                    if start {
                        self.spent[i] = true;
                        let n = self.line_no;
                        match a2 {
                            Addr2::Line(m) => {
                                if *m > n {
                                    self.active[i] = true;
                                    self.range_end[i] = *m;
                                }
                            }
                            Addr2::Plus(k) => {
                                if *k > 0 {
                                    self.active[i] = true;
                                    self.range_end[i] = n.saturating_add(*k);
                                }
                            }
                            Addr2::Mult(k) => {
                                if *k > 0 && !n.is_multiple_of(*k) {
                                    self.active[i] = true;
                                    self.range_end[i] = n.saturating_add(k - n % k);
                                }
                            }
                            Addr2::Last => self.active[i] = !last,
                            Addr2::Re(_) => self.active[i] = true,
                        }
                    }
                    start
                }
            }
        };
        Ok(m != neg)
    }

    /// `s`: true if it replaced something.
    fn subst(&mut self, s: &Subst, ps: &mut Vec<u8>) -> Result<bool, Flow> {
        let Some(ri) = s.re.or(self.last_re) else {
            return Err(self.no_previous());
        };
        self.last_re = Some(ri);
        if !self.gnu {
            return self.subst_busybox(ri, s, ps);
        }
        let re = &self.script.regexes[ri];
        let len = ps.len();
        let mut result = Vec::new();
        let mut pos = 0;
        let mut count = 0;
        let mut replaced = false;
        let mut last_end: Option<usize> = None;
        while pos <= len {
            let m = re
                .captures(ps, pos, last_end, false, &mut self.search)
                .map_err(|_| Flow::Costly)?;
            let Some(spans) = m else {
                break;
            };
            let Some((start, end)) = spans.first().copied().flatten() else {
                break;
            };
            result.extend_from_slice(&ps[pos..start]);
            count += 1;
            if count < s.nth {
                result.extend_from_slice(&ps[start..end]);
            } else {
                self.expand(&s.rep, ps, &spans, &mut result);
                replaced = true;
                if !self.spend(result.len() / 64 + 1) || result.len() > MAX_SPACE {
                    return Err(Flow::Costly);
                }
                if !s.global {
                    pos = end;
                    break;
                }
            }
            if start == end {
                if start >= len {
                    pos = len;
                    break;
                }
                let step = if self.gnu { char_len(&ps[start..]) } else { 1 };
                result.extend_from_slice(&ps[start..start + step]);
                pos = start + step;
            } else {
                pos = end;
            }
            last_end = Some(end);
        }
        if !replaced {
            return Ok(false);
        }
        result.extend_from_slice(&ps[pos.min(len)..]);
        *ps = result;
        Ok(true)
    }

    /// BusyBox's `do_subst_command`: each further match is searched for in the rest of the
    /// line alone (`REG_NOTBOL`, and no look back past its start), and an empty match right
    /// after a non-empty one is skipped.
    fn subst_busybox(&mut self, ri: usize, s: &Subst, ps: &mut Vec<u8>) -> Result<bool, Flow> {
        let re = &self.script.regexes[ri];
        let which = if s.global { 0 } else { s.nth };
        let len = ps.len();
        let Some(mut spans) = re
            .captures(ps, 0, None, false, &mut self.search)
            .map_err(|_| Flow::Costly)?
        else {
            return Ok(false);
        };
        let mut out = Vec::new();
        let mut off = 0;
        let mut count = 0;
        let mut altered = false;
        let mut prev_empty = true;
        let mut tried_eol = false;
        while let Some((start, mut end)) = spans.first().copied().flatten() {
            count += 1;
            let rest = &ps[off..];
            if which != 0 && which != count {
                out.extend_from_slice(&rest[..end]);
                off += end;
                if start == end && off < len {
                    out.push(ps[off]);
                    off += 1;
                }
            } else {
                out.extend_from_slice(&rest[..start]);
                if prev_empty || start != 0 || start != end {
                    self.expand(&s.rep, rest, &spans, &mut out);
                    altered = true;
                    if !self.spend(out.len() / 64 + 1) || out.len() > MAX_SPACE {
                        return Err(Flow::Costly);
                    }
                }
                prev_empty = start == end;
                if prev_empty {
                    if off + end >= len {
                        tried_eol = true;
                    } else {
                        out.push(ps[off + end]);
                        end += 1;
                    }
                }
                off += end;
                if which != 0 {
                    break;
                }
            }
            if off >= len {
                if tried_eol {
                    break;
                }
                tried_eol = true;
            }
            match re
                .captures(&ps[off..], 0, None, true, &mut self.search)
                .map_err(|_| Flow::Costly)?
            {
                Some(sp) => spans = sp,
                None => break,
            }
        }
        out.extend_from_slice(&ps[off.min(len)..]);
        *ps = out;
        Ok(altered)
    }

    fn expand(
        &self,
        rep: &[Rep],
        line: &[u8],
        spans: &[Option<(usize, usize)>],
        out: &mut Vec<u8>,
    ) {
        // GNU's case conversions: `\U`/`\L` until `\E`, `\u`/`\l` for one character.
        let mut mode = 0u8;
        let mut once = 0u8;
        for r in rep {
            let piece: &[u8] = match r {
                Rep::Lit(l) => l,
                Rep::Group(k) => match spans.get(*k).copied().flatten() {
                    Some((a, b)) => &line[a..b],
                    None => &[],
                },
                Rep::Case(c) => {
                    match c {
                        b'U' | b'L' => {
                            mode = *c;
                            once = 0;
                        }
                        b'E' => {
                            mode = 0;
                            once = 0;
                        }
                        _ => once = *c,
                    }
                    continue;
                }
            };
            if mode == 0 && once == 0 {
                out.extend_from_slice(piece);
                continue;
            }
            let text = String::from_utf8_lossy(piece);
            for ch in text.chars() {
                let conv: String = match (once, mode) {
                    (b'u', _) => ch.to_uppercase().collect(),
                    (b'l', _) => ch.to_lowercase().collect(),
                    (_, b'U') => ch.to_uppercase().collect(),
                    (_, b'L') => ch.to_lowercase().collect(),
                    _ => ch.to_string(),
                };
                once = 0;
                out.extend_from_slice(conv.as_bytes());
            }
        }
    }

    fn translate(&self, ps: &[u8], pairs: &[(Vec<u8>, Vec<u8>)]) -> Vec<u8> {
        let mut out = Vec::with_capacity(ps.len());
        let mut i = 0;
        while i < ps.len() {
            let step = if self.gnu { char_len(&ps[i..]) } else { 1 };
            let unit = &ps[i..i + step];
            match pairs.iter().find(|(f, _)| f.as_slice() == unit) {
                Some((_, t)) => out.extend_from_slice(t),
                None => out.extend_from_slice(unit),
            }
            i += step;
        }
        out
    }
}

/// The length of the UTF-8 character at the start of `b` (1 for a byte that starts none).
fn char_len(b: &[u8]) -> usize {
    let n = match b.first() {
        Some(0xc0..=0xdf) => 2,
        Some(0xe0..=0xef) => 3,
        Some(0xf0..=0xf7) => 4,
        _ => 1,
    };
    if b.len() >= n && std::str::from_utf8(&b[..n]).is_ok() {
        n
    } else {
        1
    }
}

/// GNU `l`: the pattern space unambiguously, `\` escapes and octal for what is not printable,
/// lines cut at `width - 1` characters with a `\`, and a `$` at the end.
fn list(ps: &[u8], width: usize, gnu: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let mut col = 0;
    let mut i = 0;
    while i < ps.len() {
        let c = ps[i];
        let step = if gnu { char_len(&ps[i..]) } else { 1 };
        let piece: Vec<u8> = if step > 1 {
            ps[i..i + step].to_vec()
        } else {
            match c {
                b'\\' => b"\\\\".to_vec(),
                0x07 => b"\\a".to_vec(),
                0x08 => b"\\b".to_vec(),
                0x0c => b"\\f".to_vec(),
                b'\n' => b"\\n".to_vec(),
                b'\r' => b"\\r".to_vec(),
                b'\t' => b"\\t".to_vec(),
                0x0b => b"\\v".to_vec(),
                0x20..=0x7e => vec![c],
                _ => format!("\\{c:03o}").into_bytes(),
            }
        };
        let w = if step > 1 { 1 } else { piece.len() };
        if width > 1 && col + w > width - 1 {
            out.extend_from_slice(b"\\\n");
            col = 0;
        }
        out.extend_from_slice(&piece);
        col += w;
        i += step;
    }
    out.extend_from_slice(b"$\n");
    out
}
