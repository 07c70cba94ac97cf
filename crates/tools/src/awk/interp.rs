//! Runs a parsed awk program: the main input loop over `ARGV`, records and fields, patterns and
//! ranges, statements, expressions, built-in functions, `getline` and output redirections, all
//! on one step budget.
//!
//! Why this file is long: records and fields, variables, statements, expressions and output are
//! one state that every part reads and changes (assigning `$3` rebuilds `$0`, `NF` resplits, a
//! pipe's command sees the files printed so far); the built-ins live apart in `builtins.rs`.

mod builtins;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use layerbox_fstree::FileSystem;

use super::array::Array;
use super::parser::{BinOp, CmpOp, Expr, Getline, LValue, Pattern, Program, Redirect, Stmt, Var};
use super::value::{num_to_str, sprintf, FormatError, Val};
use crate::regex::{Budget, Options, Regex, Search};
use crate::{Ctx, Output};

/// The steps (statements, loop rounds, calls, records, 64 bytes of text made) one run may
/// take. Emulation note: the real awk runs as long as it takes.
pub const STEPS: u64 = 4_000_000;

/// The steps of the regular-expression matcher one run may take.
const REGEX_STEPS: usize = 50_000_000;

/// The longest string awk may build (layerbox limit).
const MAX_STRING: usize = 16 << 20;

/// The deepest chain of user function calls (layerbox limit).
const MAX_CALLS: usize = 64;

/// The most statements and expressions being evaluated inside one another, across calls
/// (layerbox limit: each is a native stack frame).
const MAX_NESTING: usize = 100;

// Indices of the special variables (parser::SPECIAL's order).
const NR: usize = 0;
const NF: usize = 1;
const FNR: usize = 2;
const FS: usize = 3;
const OFS: usize = 4;
const ORS: usize = 5;
const RS: usize = 6;
const FILENAME: usize = 7;
const SUBSEP: usize = 8;
const RSTART: usize = 9;
const RLENGTH: usize = 10;
const CONVFMT: usize = 11;
const OFMT: usize = 12;
const ENVIRON: usize = 13;
const ARGC: usize = 14;
const ARGV: usize = 15;
const ERRNO: usize = 16;

/// Why the program stopped running its statements.
#[derive(Debug)]
pub enum Jump {
    Break,
    Continue,
    Next,
    NextFile,
    Exit,
    Return(Val),
    /// A runtime error: BusyBox's message (printed as `awk: cmd. line:N: MSG`).
    Fatal(String),
    /// A message printed as it is (`awk: FILE: No such file or directory`), exit 1.
    Die(String),
    /// A layerbox limit: the whole message.
    Limit(String),
    /// Output is full.
    Full,
}

type R<T> = Result<T, Jump>;

#[derive(Debug, Clone)]
enum Cell {
    Val(Val),
    Arr(Rc<RefCell<Array>>),
}

/// Where `print > file` or `print | "cmd"` writes: what is printed waits in `buf` until a
/// flush (files) or the pipe's close (the command then runs with it as its input).
struct Sink {
    name: String,
    buf: Vec<u8>,
    pipe: bool,
}

/// A file being read by `getline < file`.
struct Reader {
    data: Vec<u8>,
    pos: usize,
}

pub struct Interp<'p, 'c, 'a> {
    prog: &'p Program,
    pub ctx: &'c mut Ctx<'a>,
    globals: Vec<Cell>,
    frames: Vec<Vec<Cell>>,
    record: String,
    /// `$1`.. (index 0 is unused).
    fields: Vec<String>,
    /// BusyBox's count of field slots in use (`nfields`): NF, or more once a field past NF
    /// was referenced.
    slots: usize,
    /// The field slots (by number) that BusyBox has cleared or set since they were allocated
    /// (`VF_DIRTY`): past NF, such a field is the empty string, a fresh one is uninitialised
    /// (BusyBox 1.36's `fsrealloc()`; 1.37 makes both uninitialised).
    dirty: Vec<bool>,
    pub out: Output,
    /// Output files and pipes, in the order first opened.
    outputs: Vec<Sink>,
    readers: HashMap<String, Reader>,
    /// The main input: the next `ARGV` index, and the file being read.
    argi: usize,
    main: Option<Reader>,
    main_done: bool,
    ranges: Vec<bool>,
    regexes: HashMap<String, Regex>,
    search: Search,
    steps: u64,
    /// The steps and matcher steps this run may take: awk's own bounds ([`STEPS`],
    /// [`REGEX_STEPS`]) or the typed line's work left, whichever is less.
    caps: (u64, usize),
    pub exit_code: i32,
    seed: u32,
    rand_state: u64,
    pub line: u32,
    calls: usize,
    nesting: usize,
}

impl<'p, 'c, 'a> Interp<'p, 'c, 'a> {
    pub fn new(prog: &'p Program, ctx: &'c mut Ctx<'a>) -> Self {
        let mut globals: Vec<Cell> = prog
            .globals
            .iter()
            .map(|_| Cell::Val(Val::Uninit))
            .collect();
        let set = |g: &mut Vec<Cell>, i: usize, v: Val| g[i] = Cell::Val(v);
        set(&mut globals, NR, Val::Num(0.0));
        set(&mut globals, NF, Val::Num(0.0));
        set(&mut globals, FNR, Val::Num(0.0));
        set(&mut globals, FS, Val::Str(" ".into()));
        set(&mut globals, OFS, Val::Str(" ".into()));
        set(&mut globals, ORS, Val::Str("\n".into()));
        set(&mut globals, RS, Val::Str("\n".into()));
        set(&mut globals, FILENAME, Val::Uninit);
        set(&mut globals, SUBSEP, Val::Str("\x1c".into()));
        set(&mut globals, RSTART, Val::Num(0.0));
        set(&mut globals, RLENGTH, Val::Num(-1.0));
        set(&mut globals, CONVFMT, Val::Str("%.6g".into()));
        set(&mut globals, OFMT, Val::Str("%.6g".into()));
        let mut env = Array::default();
        for (k, v) in ctx.env.iter() {
            *env.entry(k).0 = Val::StrNum(v.clone());
        }
        globals[ENVIRON] = Cell::Arr(Rc::new(RefCell::new(env)));
        globals[ARGV] = Cell::Arr(Rc::new(RefCell::new(Array::default())));
        let n = prog.rules.len();
        let own_steps = usize::try_from(STEPS).unwrap_or(usize::MAX);
        let (step_cap, regex_cap) = (ctx.work_cap(own_steps), ctx.work_cap(REGEX_STEPS));
        Interp {
            prog,
            ctx,
            globals,
            frames: Vec::new(),
            record: String::new(),
            fields: vec![String::new()],
            slots: 0,
            dirty: Vec::new(),
            out: Output::default(),
            outputs: Vec::new(),
            readers: HashMap::new(),
            argi: 1,
            main: None,
            main_done: false,
            ranges: vec![false; n],
            regexes: HashMap::new(),
            search: Search::new(Budget::new(regex_cap)),
            steps: 0,
            caps: (u64::try_from(step_cap).unwrap_or(STEPS), regex_cap),
            exit_code: 0,
            seed: 1,
            rand_state: 0,
            line: 1,
            calls: 0,
            nesting: 0,
        }
    }

    /// `ARGV` and `ARGC`: `awk` then the operands.
    pub fn set_argv(&mut self, operands: &[String]) {
        if let Cell::Arr(a) = &self.globals[ARGV] {
            let mut a = a.borrow_mut();
            *a.entry("0").0 = Val::Str("awk".into());
            for (i, op) in operands.iter().enumerate() {
                *a.entry(&(i + 1).to_string()).0 = Val::StrNum(op.clone());
            }
        }
        self.globals[ARGC] = Cell::Val(Val::Num((operands.len() + 1) as f64));
    }

    /// `-v name=value` and `name=value` operands: the value with its escapes, as input text.
    pub fn assign_cmdline(&mut self, name: &str, value: &str) {
        let mut text = Vec::new();
        let b = value.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'\\' && i + 1 < b.len() {
                let (c, used) = match b[i + 1] {
                    b'n' => (b'\n', 2),
                    b't' => (b'\t', 2),
                    b'r' => (b'\r', 2),
                    b'\\' => (b'\\', 2),
                    b'"' => (b'"', 2),
                    b'/' => (b'/', 2),
                    b'a' => (7, 2),
                    b'b' => (8, 2),
                    b'f' => (12, 2),
                    b'v' => (11, 2),
                    _ => (b'\\', 1),
                };
                text.push(c);
                i += used;
            } else {
                text.push(b[i]);
                i += 1;
            }
        }
        let v = Val::StrNum(String::from_utf8_lossy(&text).into_owned());
        if let Some(i) = self.prog.globals.iter().position(|g| g == name) {
            if i == NF {
                let n = v.num();
                let _ = self.set_nf(n);
            } else {
                self.globals[i] = Cell::Val(v);
            }
        }
    }

    /// The matcher ran out of steps (awk's own or the typed line's: the caller tells them
    /// apart once the run's work is taken off the line's).
    fn regex_limit(&self) -> Jump {
        Jump::Limit("layerbox: awk: pattern too costly, stopped (layerbox limit)".into())
    }

    /// The work this run did, taken off the typed line's by the caller.
    pub fn work_used(&self) -> usize {
        usize::try_from(self.steps.min(self.caps.0))
            .unwrap_or(usize::MAX)
            .saturating_add(self.search.budget.used())
    }

    fn step(&mut self, n: u64) -> R<()> {
        self.steps += n;
        if self.steps > self.caps.0 {
            return Err(Jump::Limit(format!(
                "layerbox: awk: stopped after {STEPS} steps (layerbox limit)"
            )));
        }
        if self.out.full() {
            return Err(Jump::Full);
        }
        Ok(())
    }

    /// Charges the making of a string of `len` bytes.
    fn made(&mut self, len: usize) -> R<()> {
        if len > MAX_STRING {
            return Err(Jump::Limit(format!(
                "layerbox: awk: string longer than {} MiB (layerbox limit)",
                MAX_STRING >> 20
            )));
        }
        self.step((len / 64) as u64)
    }

    fn gval(&self, i: usize) -> Val {
        match &self.globals[i] {
            Cell::Val(v) => v.clone(),
            Cell::Arr(_) => Val::Uninit,
        }
    }

    fn gstr(&self, i: usize) -> String {
        let convfmt = self.convfmt();
        self.gval(i).str(&convfmt)
    }

    fn convfmt(&self) -> String {
        match &self.globals[CONVFMT] {
            Cell::Val(v) => v.str("%.6g"),
            Cell::Arr(_) => "%.6g".into(),
        }
    }

    fn to_str(&self, v: &Val) -> String {
        v.str(&self.convfmt())
    }

    fn set_global_num(&mut self, i: usize, n: f64) {
        self.globals[i] = Cell::Val(Val::Num(n));
    }

    // ---- records and fields ----

    /// Sets `$0` and splits it into fields by `FS`.
    pub fn set_record(&mut self, text: String) -> R<()> {
        self.record = text;
        self.split_record()
    }

    fn split_record(&mut self) -> R<()> {
        let fs = self.gstr(FS);
        let rec = std::mem::take(&mut self.record);
        let parts = self.split_by(&rec, &fs)?;
        self.record = rec;
        self.fields = std::iter::once(String::new()).chain(parts).collect();
        let n = self.fields.len() - 1;
        // The slots in use are cleared, then the new fields set.
        self.mark_dirty(1, self.slots.max(n));
        self.slots = n;
        self.set_global_num(NF, n as f64);
        Ok(())
    }

    /// Marks field slots `from..=to` cleared or set.
    fn mark_dirty(&mut self, from: usize, to: usize) {
        if to >= self.dirty.len() {
            self.dirty.resize(to + 1, false);
        }
        for d in self.dirty.iter_mut().take(to + 1).skip(from) {
            *d = true;
        }
    }

    /// `s` split by the field separator `fs` (`" "`: runs of blanks; one other character:
    /// itself; longer: a regular expression).
    fn split_by(&mut self, s: &str, fs: &str) -> R<Vec<String>> {
        if s.is_empty() {
            return Ok(Vec::new());
        }
        if fs == " " {
            // BusyBox 1.36 splits at `isspace()`: \v \f \r too (1.37 only at blanks and \n).
            return Ok(s
                .split([' ', '\t', '\n', '\x0b', '\x0c', '\r'])
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect());
        }
        if fs.is_empty() {
            return Ok(s.chars().map(|c| c.to_string()).collect());
        }
        if fs.len() == 1 && fs != "\\" {
            return Ok(s.split(fs).map(str::to_string).collect());
        }
        let re = self.regex(fs)?;
        let mut parts = Vec::new();
        let mut start = 0;
        let mut from = 0;
        let b = s.as_bytes();
        while from <= b.len() {
            self.step(1)?;
            let m = re
                .find_at(b, from, &mut self.search)
                .map_err(|_| self.regex_limit())?;
            match m {
                Some((ms, me)) if me > ms => {
                    parts.push(String::from_utf8_lossy(&b[start..ms]).into_owned());
                    start = me;
                    from = me;
                }
                Some((ms, _)) => from = ms + 1,
                None => break,
            }
        }
        parts.push(String::from_utf8_lossy(&b[start..]).into_owned());
        Ok(parts)
    }

    /// `$0` rebuilt from the fields with `OFS`.
    fn rebuild_record(&mut self) -> R<()> {
        let ofs = self.gstr(OFS);
        let rec = self.fields[1..].join(&ofs);
        self.made(rec.len())?;
        self.record = rec;
        Ok(())
    }

    fn field(&mut self, i: usize) -> Val {
        if i == 0 {
            return Val::StrNum(self.record.clone());
        }
        match self.fields.get(i) {
            Some(f) => Val::StrNum(f.clone()),
            None => {
                self.slots = self.slots.max(i);
                if self.dirty.get(i) == Some(&true) {
                    Val::Str(String::new())
                } else {
                    Val::Uninit
                }
            }
        }
    }

    fn field_index(&mut self, e: &Expr) -> R<usize> {
        let v = self.eval(e)?;
        let n = v.num();
        if n < 0.0 {
            return Err(Jump::Fatal("Access to negative field".into()));
        }
        let i = n as usize;
        if i > 1_000_000 {
            return Err(Jump::Limit(
                "layerbox: awk: field number too large (layerbox limit)".into(),
            ));
        }
        Ok(i)
    }

    fn set_field(&mut self, i: usize, s: String) -> R<()> {
        if i == 0 {
            return self.set_record(s);
        }
        if i >= self.fields.len() {
            self.step((i - self.fields.len()) as u64 / 16)?;
            self.fields.resize(i + 1, String::new());
            self.set_global_num(NF, i as f64);
        }
        self.slots = self.slots.max(i);
        self.mark_dirty(i, i);
        self.fields[i] = s;
        self.rebuild_record()
    }

    fn set_nf(&mut self, n: f64) -> R<()> {
        if n < 0.0 {
            return Err(Jump::Fatal("NF set to negative value".into()));
        }
        let n = n as usize;
        if n > 1_000_000 {
            return Err(Jump::Limit(
                "layerbox: awk: field number too large (layerbox limit)".into(),
            ));
        }
        self.fields.resize(n + 1, String::new());
        // Slots past the new NF are cleared.
        if n < self.slots {
            self.mark_dirty(n + 1, self.slots);
        }
        self.slots = n;
        self.set_global_num(NF, n as f64);
        self.rebuild_record()
    }

    // ---- variables ----

    fn cell(&mut self, v: Var) -> &mut Cell {
        match v {
            Var::Global(i) => &mut self.globals[i],
            Var::Local(i) => {
                let frame = self.frames.last_mut();
                match frame {
                    Some(f) => {
                        if i >= f.len() {
                            f.resize(i + 1, Cell::Val(Val::Uninit));
                        }
                        &mut f[i]
                    }
                    // A parameter outside a function cannot be: the parser only makes them
                    // inside one; fall back to a global slot.
                    None => &mut self.globals[0],
                }
            }
        }
    }

    fn array(&mut self, v: Var) -> R<Rc<RefCell<Array>>> {
        let c = self.cell(v);
        match c {
            Cell::Arr(a) => Ok(a.clone()),
            Cell::Val(Val::Uninit) => {
                let a = Rc::new(RefCell::new(Array::default()));
                *c = Cell::Arr(a.clone());
                Ok(a)
            }
            Cell::Val(_) => Err(Jump::Fatal("Not an array".into())),
        }
    }

    fn var_val(&mut self, v: Var) -> R<Val> {
        match self.cell(v) {
            Cell::Val(x) => Ok(x.clone()),
            Cell::Arr(_) => Err(Jump::Fatal("Not an array".into())),
        }
    }

    fn subscript(&mut self, subs: &[Expr]) -> R<String> {
        let mut key = String::new();
        for (i, s) in subs.iter().enumerate() {
            if i > 0 {
                key.push_str(&self.gstr(SUBSEP));
            }
            let v = self.eval(s)?;
            key.push_str(&self.to_str(&v));
        }
        Ok(key)
    }

    fn assign(&mut self, lv: &LValue, v: Val) -> R<Val> {
        match lv {
            LValue::Var(Var::Global(NF)) => {
                self.set_nf(v.num())?;
                Ok(self.gval(NF))
            }
            LValue::Var(var) => {
                let c = self.cell(*var);
                if matches!(c, Cell::Arr(_)) {
                    return Err(Jump::Fatal("Not an array".into()));
                }
                *c = Cell::Val(v.clone());
                Ok(v)
            }
            LValue::Field(e) => {
                let i = self.field_index(e)?;
                let s = self.to_str(&v);
                self.set_field(i, s)?;
                Ok(self.field(i))
            }
            LValue::Index(var, subs) => {
                let key = self.subscript(subs)?;
                let a = self.array(*var)?;
                let mut a = a.borrow_mut();
                let (slot, new) = a.entry(&key);
                *slot = v.clone();
                drop(a);
                if new {
                    self.step(1)?;
                }
                Ok(v)
            }
        }
    }

    fn lvalue_val(&mut self, lv: &LValue) -> R<Val> {
        match lv {
            LValue::Var(v) => self.var_val(*v),
            LValue::Field(e) => {
                let i = self.field_index(e)?;
                Ok(self.field(i))
            }
            LValue::Index(var, subs) => {
                let key = self.subscript(subs)?;
                let a = self.array(*var)?;
                let mut a = a.borrow_mut();
                let (slot, new) = a.entry(&key);
                let v = slot.clone();
                drop(a);
                if new {
                    self.step(1)?;
                }
                Ok(v)
            }
        }
    }

    // ---- regular expressions ----

    fn regex(&mut self, pattern: &str) -> R<Regex> {
        if let Some(r) = self.regexes.get(pattern) {
            return Ok(r.clone());
        }
        let o = Options {
            extended: true,
            ..Options::default()
        };
        let r = match Regex::new(pattern, o) {
            Ok((r, _)) => r,
            Err(e) => {
                return Err(Jump::Die(format!(
                    "awk: bad regex '{pattern}': {}",
                    regerror(e)
                )))
            }
        };
        if self.regexes.len() < 1000 {
            self.regexes.insert(pattern.to_string(), r.clone());
        }
        Ok(r)
    }

    /// The pattern an operand of `~`, `sub`, `split`... stands for.
    fn regex_of(&mut self, e: &Expr) -> R<Regex> {
        match e {
            Expr::Regex(r) => self.regex(r),
            _ => {
                let v = self.eval(e)?;
                let s = self.to_str(&v);
                self.regex(&s)
            }
        }
    }

    fn find(&mut self, re: &Regex, s: &[u8], from: usize) -> R<Option<(usize, usize)>> {
        self.step(1 + (s.len() / 256) as u64)?;
        re.find_at(s, from, &mut self.search)
            .map_err(|_| self.regex_limit())
    }

    fn matches(&mut self, re: &Regex, s: &str) -> R<bool> {
        self.step(1 + (s.len() / 256) as u64)?;
        re.is_match(s.as_bytes(), &mut self.search)
            .map_err(|_| self.regex_limit())
    }

    // ---- the main loop ----

    /// Runs the program: `BEGIN`, the records, `END`.
    pub fn run(&mut self) -> R<()> {
        let prog = self.prog;
        let has_main = prog
            .rules
            .iter()
            .any(|r| !matches!(r.pattern, Pattern::Begin));
        let mut exiting = false;
        for r in &prog.rules {
            if matches!(r.pattern, Pattern::Begin) {
                if let Some(a) = &r.action {
                    match self.block(a) {
                        Ok(()) => {}
                        Err(Jump::Exit) => {
                            exiting = true;
                            break;
                        }
                        Err(Jump::Next | Jump::NextFile) => {}
                        Err(e) => return Err(e),
                    }
                }
            }
        }
        if !exiting && has_main {
            'records: while let Some(rec) = self.next_main_record()? {
                self.step(1)?;
                self.bump(NR);
                self.bump(FNR);
                self.set_record(rec)?;
                for (i, r) in prog.rules.iter().enumerate() {
                    let run = match &r.pattern {
                        Pattern::Begin | Pattern::End => false,
                        Pattern::All => true,
                        Pattern::Expr(e) => self.eval(e)?.truth(),
                        Pattern::Range(a, b) => {
                            if self.ranges[i] {
                                if self.eval(b)?.truth() {
                                    self.ranges[i] = false;
                                }
                                true
                            } else if self.eval(a)?.truth() {
                                if !self.eval(b)?.truth() {
                                    self.ranges[i] = true;
                                }
                                true
                            } else {
                                false
                            }
                        }
                    };
                    if !run {
                        continue;
                    }
                    let res = match &r.action {
                        Some(a) => self.block(a),
                        None => self.print_record(),
                    };
                    match res {
                        Ok(()) => {}
                        Err(Jump::Next) => continue 'records,
                        Err(Jump::NextFile) => {
                            self.main = None;
                            continue 'records;
                        }
                        Err(Jump::Exit) => {
                            exiting = true;
                            break 'records;
                        }
                        Err(e) => return Err(e),
                    }
                }
            }
        }
        let _ = exiting;
        // END runs after `exit` in a rule too (not after `exit` in END itself).
        for r in &prog.rules {
            if matches!(r.pattern, Pattern::End) {
                if let Some(a) = &r.action {
                    match self.block(a) {
                        Ok(()) | Err(Jump::Next | Jump::NextFile) => {}
                        Err(Jump::Exit) => break,
                        Err(e) => return Err(e),
                    }
                }
            }
        }
        Ok(())
    }

    fn bump(&mut self, i: usize) {
        let n = self.gval(i).num() + 1.0;
        self.set_global_num(i, n);
    }

    fn print_record(&mut self) -> R<()> {
        let mut s = self.record.clone().into_bytes();
        s.extend_from_slice(self.gstr(ORS).as_bytes());
        self.out.out(s);
        Ok(())
    }

    /// The next record of the main input, opening `ARGV`'s files in turn (and doing their
    /// `var=value` assignments); `None` at the end of the last.
    fn next_main_record(&mut self) -> R<Option<String>> {
        loop {
            if let Some(mut reader) = self.main.take() {
                let rs = self.gstr(RS);
                let rec = self.read_record(&mut reader, &rs)?;
                if rec.is_some() {
                    self.main = Some(reader);
                    return Ok(rec);
                }
            }
            if self.main_done {
                return Ok(None);
            }
            let argc = self.gval(ARGC).num().max(0.0) as usize;
            let mut opened = false;
            while self.argi < argc {
                let i = self.argi;
                self.argi += 1;
                let arg = match &self.globals[ARGV] {
                    Cell::Arr(a) => a.borrow().get(&i.to_string()).cloned(),
                    Cell::Val(_) => None,
                };
                let Some(arg) = arg else { continue };
                let arg = self.to_str(&arg);
                if arg.is_empty() {
                    continue;
                }
                if let Some((name, value)) = assignment(&arg) {
                    self.assign_cmdline(name, value);
                    continue;
                }
                let data = self.read_input(&arg)?;
                self.globals[FILENAME] = Cell::Val(Val::Str(arg.clone()));
                self.set_global_num(FNR, 0.0);
                self.main = Some(Reader { data, pos: 0 });
                opened = true;
                break;
            }
            if !opened {
                if self.argi >= argc && !self.main_done {
                    self.main_done = true;
                    // No file operand at all: standard input.
                    if !self.read_any_file() {
                        let data = self.ctx.stdin.to_vec();
                        self.main = Some(Reader { data, pos: 0 });
                        continue;
                    }
                }
                return Ok(None);
            }
        }
    }

    /// Whether `ARGV` named a file to read (so standard input is not read).
    fn read_any_file(&self) -> bool {
        let argc = self.gval(ARGC).num().max(0.0) as usize;
        let Cell::Arr(a) = &self.globals[ARGV] else {
            return false;
        };
        let a = a.borrow();
        (1..argc).any(|i| {
            a.get(&i.to_string()).is_some_and(|v| {
                let s = v.str("%.6g");
                !s.is_empty() && assignment(&s).is_none()
            })
        })
    }

    fn read_input(&mut self, name: &str) -> R<Vec<u8>> {
        if name == "-" || name == "/dev/stdin" {
            return Ok(self.ctx.stdin.to_vec());
        }
        match crate::text::read_input(self.ctx, name) {
            Ok(d) => {
                self.made(d.len() / 4)?;
                Ok(d)
            }
            Err(e) => Err(Jump::Die(format!("awk: {name}: {e}"))),
        }
    }

    /// One record of `r` separated by `rs` (`"\n"`, one character, `""` for paragraphs, or a
    /// regular expression).
    fn read_record(&mut self, r: &mut Reader, rs: &str) -> R<Option<String>> {
        let data = &r.data[r.pos..];
        if data.is_empty() {
            return Ok(None);
        }
        let (rec, used) = if rs.is_empty() {
            // Paragraph mode: blank lines separate records; leading newlines are skipped.
            let skip = data.iter().take_while(|&&c| c == b'\n').count();
            let d = &data[skip..];
            if d.is_empty() {
                r.pos = r.data.len();
                return Ok(None);
            }
            match d.windows(2).position(|w| w == b"\n\n") {
                Some(at) => {
                    let mut end = at + 2;
                    while d.get(end) == Some(&b'\n') {
                        end += 1;
                    }
                    (&d[..at], skip + end)
                }
                None => (d, skip + d.len()),
            }
        } else if rs.len() == 1 {
            let sep = rs.as_bytes()[0];
            match data.iter().position(|&c| c == sep) {
                Some(at) => (&data[..at], at + 1),
                None => (data, data.len()),
            }
        } else {
            let re = self.regex(rs)?;
            match self.find(&re, data, 0)? {
                Some((s, e)) if e > s => (&data[..s], e),
                _ => (data, data.len()),
            }
        };
        let rec = String::from_utf8_lossy(rec).into_owned();
        r.pos += used;
        Ok(Some(rec))
    }

    // ---- statements ----

    fn block(&mut self, stmts: &[Stmt]) -> R<()> {
        for s in stmts {
            self.exec(s)?;
        }
        Ok(())
    }

    fn exec(&mut self, s: &Stmt) -> R<()> {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            return Err(Jump::Limit(
                "layerbox: awk: evaluation nested too deeply (layerbox limit)".into(),
            ));
        }
        let r = self.exec_inner(s);
        self.nesting -= 1;
        r
    }

    fn exec_inner(&mut self, s: &Stmt) -> R<()> {
        match s {
            Stmt::Line(l) => {
                self.line = *l;
                Ok(())
            }
            Stmt::Expr(e) => {
                self.step(1)?;
                self.eval(e).map(|_| ())
            }
            Stmt::Print(args, redirect) => {
                self.step(1)?;
                let mut text = Vec::new();
                if args.is_empty() {
                    text.extend_from_slice(self.record.as_bytes());
                } else {
                    let ofs = self.gstr(OFS);
                    let ofmt = self.gstr(OFMT);
                    for (i, a) in args.iter().enumerate() {
                        if i > 0 {
                            text.extend_from_slice(ofs.as_bytes());
                        }
                        let v = self.eval(a)?;
                        let s = match v {
                            Val::Num(n) => num_to_str(n, &ofmt),
                            v => self.to_str(&v),
                        };
                        text.extend_from_slice(s.as_bytes());
                    }
                }
                text.extend_from_slice(self.gstr(ORS).as_bytes());
                self.write(text, redirect.as_ref())
            }
            Stmt::Printf(args, redirect) => {
                self.step(1)?;
                let text = self.sprintf(args)?;
                self.write(text.into_bytes(), redirect.as_ref())
            }
            Stmt::If(c, a, b) => {
                if self.eval(c)?.truth() {
                    self.exec(a)
                } else if let Some(b) = b {
                    self.exec(b)
                } else {
                    Ok(())
                }
            }
            Stmt::While(c, body) => {
                while self.eval(c)?.truth() {
                    self.step(1)?;
                    match self.exec(body) {
                        Ok(()) | Err(Jump::Continue) => {}
                        Err(Jump::Break) => break,
                        Err(e) => return Err(e),
                    }
                }
                Ok(())
            }
            Stmt::Do(body, c) => {
                loop {
                    self.step(1)?;
                    match self.exec(body) {
                        Ok(()) | Err(Jump::Continue) => {}
                        Err(Jump::Break) => break,
                        Err(e) => return Err(e),
                    }
                    if !self.eval(c)?.truth() {
                        break;
                    }
                }
                Ok(())
            }
            Stmt::For(init, cond, incr, body) => {
                if let Some(i) = init {
                    self.exec(i)?;
                }
                loop {
                    if let Some(c) = cond {
                        if !self.eval(c)?.truth() {
                            break;
                        }
                    }
                    self.step(1)?;
                    match self.exec(body) {
                        Ok(()) | Err(Jump::Continue) => {}
                        Err(Jump::Break) => break,
                        Err(e) => return Err(e),
                    }
                    if let Some(i) = incr {
                        self.exec(i)?;
                    }
                }
                Ok(())
            }
            Stmt::ForIn(k, a, body) => {
                let arr = self.array(*a)?;
                let keys = arr.borrow().keys();
                for key in keys {
                    self.step(1)?;
                    self.assign(&LValue::Var(*k), Val::StrNum(key))?;
                    match self.exec(body) {
                        Ok(()) | Err(Jump::Continue) => {}
                        Err(Jump::Break) => break,
                        Err(e) => return Err(e),
                    }
                }
                Ok(())
            }
            Stmt::Block(b) => self.block(b),
            Stmt::Next => Err(Jump::Next),
            Stmt::NextFile => Err(Jump::NextFile),
            Stmt::Exit(e) => {
                if let Some(e) = e {
                    self.exit_code = self.eval(e)?.num() as i32;
                }
                Err(Jump::Exit)
            }
            Stmt::Return(e) => {
                let v = match e {
                    Some(e) => self.eval(e)?,
                    None => Val::Uninit,
                };
                Err(Jump::Return(v))
            }
            Stmt::Break => Err(Jump::Break),
            Stmt::Continue => Err(Jump::Continue),
            Stmt::Delete(v, subs) => {
                let key = match subs {
                    Some(s) => Some(self.subscript(s)?),
                    None => None,
                };
                let a = self.array(*v)?;
                let mut a = a.borrow_mut();
                match key {
                    Some(k) => a.remove(&k),
                    None => a.clear(),
                }
                Ok(())
            }
        }
    }

    fn write(&mut self, text: Vec<u8>, redirect: Option<&Redirect>) -> R<()> {
        let Some(r) = redirect else {
            self.out.out(text);
            return Ok(());
        };
        let (e, append, pipe) = match r {
            Redirect::File(e) => (e, false, false),
            Redirect::Append(e) => (e, true, false),
            Redirect::Pipe(e) => (e, false, true),
        };
        let v = self.eval(e)?;
        let name = self.to_str(&v);
        if pipe && self.ctx.exec.is_none() {
            return Err(not_modelled("print | command"));
        }
        if !pipe && (name == "/dev/stdout" || name == "-") {
            self.out.out(text);
            return Ok(());
        }
        if !pipe && name == "/dev/stderr" {
            self.out.err(text);
            return Ok(());
        }
        self.made(text.len())?;
        match self.outputs.iter_mut().find(|o| o.name == name) {
            Some(sink) => {
                if sink.buf.len() + text.len() > MAX_STRING * 4 {
                    return Err(Jump::Limit(
                        "layerbox: awk: output too large (layerbox limit)".into(),
                    ));
                }
                sink.buf.extend_from_slice(&text);
            }
            None => {
                // A file is opened (created or truncated) now, as `fopen` does.
                if !pipe {
                    self.open_output(&name, append)?;
                }
                self.outputs.push(Sink {
                    name,
                    buf: text,
                    pipe,
                });
            }
        }
        Ok(())
    }

    /// Runs `sh -c cmd` with `stdin` through the caller's hook, as `popen` and `system` do;
    /// what it printed and its status. Printed file output is written first, so the command
    /// sees it.
    fn shell(&mut self, cmd: &str, stdin: &[u8], what: &str) -> R<Output> {
        self.step(1)?;
        self.flush_files();
        let argv = ["sh".to_string(), "-c".to_string(), cmd.to_string()];
        match self.ctx.run_program(&argv, stdin) {
            Ok(Some(o)) => Ok(o),
            Ok(None) => {
                let mut o = Output::default();
                o.err("awk: sh: No such file or directory\n");
                o.code = 127;
                Ok(o)
            }
            Err(crate::exec::NoExec) => Err(not_modelled(what)),
        }
    }

    /// Writes what was printed to files so far; they stay open.
    fn flush_files(&mut self) {
        let mut pending = Vec::new();
        for sink in self.outputs.iter_mut().filter(|o| !o.pipe) {
            pending.push((sink.name.clone(), std::mem::take(&mut sink.buf)));
        }
        for (name, text) in pending {
            if !text.is_empty() {
                self.flush_one(&name, &text);
            }
        }
    }

    /// Closes output `i`: a file is written, a pipe's command runs on what was printed to it;
    /// the command's exit status (0 for a file).
    fn close_output(&mut self, i: usize) -> R<i32> {
        let sink = self.outputs.remove(i);
        if !sink.pipe {
            self.flush_one(&sink.name, &sink.buf);
            return Ok(0);
        }
        let o = self.shell(&sink.name, &sink.buf, "print | command")?;
        self.out.out(&o.stdout);
        self.out.err(&o.stderr);
        Ok(o.code)
    }

    fn open_output(&mut self, name: &str, append: bool) -> R<()> {
        let path = self.ctx.abs(name);
        let cred = self.ctx.cred.clone();
        let now = self.ctx.now;
        let r = if append && self.ctx.fs.stat(&cred, &path).is_ok() {
            Ok(())
        } else {
            self.ctx.fs.write_file(&cred, &path, b"", 0o644, now)
        };
        r.map_err(|e| Jump::Die(format!("awk: can't open '{name}': {e}")))
    }

    /// Closes every file and pipe (at the end), in the order they were opened.
    pub fn close_all(&mut self) -> R<()> {
        while !self.outputs.is_empty() {
            self.close_output(0)?;
        }
        Ok(())
    }

    fn flush_one(&mut self, name: &str, text: &[u8]) {
        let path = self.ctx.abs(name);
        let cred = self.ctx.cred.clone();
        let now = self.ctx.now;
        if let Err(e) = self.ctx.fs.append_file(&cred, &path, text, 0o644, now) {
            self.out.err(format!("awk: {name}: {e}\n"));
            self.exit_code = self.exit_code.max(1);
        }
    }

    fn sprintf(&mut self, args: &[Expr]) -> R<String> {
        let mut vals = Vec::with_capacity(args.len());
        for a in args {
            vals.push(self.eval(a)?);
        }
        let fmt = vals.first().map(|v| self.to_str(v)).unwrap_or_default();
        let convfmt = self.convfmt();
        match sprintf(&fmt, vals.get(1..).unwrap_or(&[]), &convfmt) {
            Ok(b) => {
                self.made(b.len())?;
                Ok(String::from_utf8_lossy(&b).into_owned())
            }
            Err(FormatError::Star) => Err(Jump::Fatal("%*x formats are not supported".into())),
        }
    }

    // ---- expressions ----

    pub fn eval(&mut self, e: &Expr) -> R<Val> {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            return Err(Jump::Limit(
                "layerbox: awk: evaluation nested too deeply (layerbox limit)".into(),
            ));
        }
        let r = self.eval_inner(e);
        self.nesting -= 1;
        r
    }

    fn eval_inner(&mut self, e: &Expr) -> R<Val> {
        match e {
            Expr::Num(n) => Ok(Val::Num(*n)),
            Expr::Str(s) => Ok(Val::Str(s.clone())),
            Expr::Regex(r) => {
                let re = self.regex(r)?;
                let rec = self.record.clone();
                let m = self.matches(&re, &rec)?;
                Ok(Val::Num(f64::from(u8::from(m))))
            }
            Expr::Var(Var::Global(NF)) => Ok(self.gval(NF)),
            Expr::Var(v) => self.var_val(*v),
            Expr::Field(i) => {
                let i = self.field_index(i)?;
                Ok(self.field(i))
            }
            Expr::Index(v, subs) => self.lvalue_val(&LValue::Index(*v, subs.clone())),
            Expr::Group(e) => self.eval(e),
            Expr::Assign(op, lv, rhs) => {
                let r = self.eval(rhs)?;
                let v = match op {
                    None => match r {
                        Val::Uninit => Val::Uninit,
                        other => other,
                    },
                    Some(op) => {
                        let l = self.lvalue_val(lv)?;
                        Val::Num(self.arith(*op, l.num(), r.num())?)
                    }
                };
                self.assign(lv, v)
            }
            Expr::Cond(c, a, b) => {
                if self.eval(c)?.truth() {
                    self.eval(a)
                } else {
                    self.eval(b)
                }
            }
            Expr::And(a, b) => {
                let v = self.eval(a)?.truth() && self.eval(b)?.truth();
                Ok(bool_val(v))
            }
            Expr::Or(a, b) => {
                let v = self.eval(a)?.truth() || self.eval(b)?.truth();
                Ok(bool_val(v))
            }
            Expr::Not(a) => Ok(bool_val(!self.eval(a)?.truth())),
            Expr::Neg(a) => Ok(Val::Num(-self.eval(a)?.num())),
            Expr::Plus(a) => Ok(Val::Num(self.eval(a)?.num())),
            Expr::Bin(op, a, b) => {
                let x = self.eval(a)?.num();
                let y = self.eval(b)?.num();
                Ok(Val::Num(self.arith(*op, x, y)?))
            }
            Expr::Cmp(op, a, b) => {
                let x = self.eval(a)?;
                let y = self.eval(b)?;
                let ord = if x.is_numeric() && y.is_numeric() {
                    x.num().partial_cmp(&y.num())
                } else {
                    Some(self.to_str(&x).cmp(&self.to_str(&y)))
                };
                use std::cmp::Ordering::*;
                let v = match (op, ord) {
                    (_, None) => matches!(op, CmpOp::Ne),
                    (CmpOp::Lt, Some(o)) => o == Less,
                    (CmpOp::Le, Some(o)) => o != Greater,
                    (CmpOp::Gt, Some(o)) => o == Greater,
                    (CmpOp::Ge, Some(o)) => o != Less,
                    (CmpOp::Eq, Some(o)) => o == Equal,
                    (CmpOp::Ne, Some(o)) => o != Equal,
                };
                Ok(bool_val(v))
            }
            Expr::Match(pos, a, b) => {
                let v = self.eval(a)?;
                let s = self.to_str(&v);
                let re = self.regex_of(b)?;
                let m = self.matches(&re, &s)?;
                Ok(bool_val(m == *pos))
            }
            Expr::Concat(a, b) => {
                let x = self.eval(a)?;
                let y = self.eval(b)?;
                let mut s = self.to_str(&x);
                s.push_str(&self.to_str(&y));
                self.made(s.len())?;
                Ok(Val::Str(s))
            }
            Expr::In(subs, v) => {
                let key = self.subscript(subs)?;
                let a = self.array(*v)?;
                let has = a.borrow().contains(&key);
                Ok(bool_val(has))
            }
            Expr::Incr { pre, step, target } => {
                let old = self.lvalue_val(target)?.num();
                let new = old + step;
                self.assign(target, Val::Num(new))?;
                Ok(Val::Num(if *pre { new } else { old }))
            }
            Expr::Call(f, args) => self.call(*f, args),
            Expr::Builtin(name, args) => self.builtin(name, args),
            Expr::Getline(kind, target) => self.getline(kind, target.as_deref()),
        }
    }

    fn arith(&mut self, op: BinOp, x: f64, y: f64) -> R<f64> {
        Ok(match op {
            BinOp::Add => x + y,
            BinOp::Sub => x - y,
            BinOp::Mul => x * y,
            BinOp::Div => {
                if y == 0.0 {
                    return Err(Jump::Fatal("Division by zero".into()));
                }
                x / y
            }
            BinOp::Mod => {
                if y == 0.0 {
                    return Err(Jump::Fatal("Division by zero".into()));
                }
                x % y
            }
            BinOp::Pow => x.powf(y),
        })
    }

    fn call(&mut self, f: usize, args: &[Expr]) -> R<Val> {
        let prog = self.prog;
        let func = &prog.funcs[f];
        if !func.defined {
            return Err(Jump::Fatal("Call to undefined function".into()));
        }
        if self.calls >= MAX_CALLS {
            return Err(Jump::Limit(format!(
                "layerbox: awk: function calls nested deeper than {MAX_CALLS} (layerbox limit)"
            )));
        }
        self.step(1)?;
        let mut frame = Vec::with_capacity(func.params);
        // Arguments past the parameters are evaluated and dropped, as BusyBox does.
        for a in args.iter().skip(func.params) {
            self.eval(a)?;
        }
        for (i, a) in args.iter().take(func.params).enumerate() {
            let as_array = func.array_params.get(i).copied().unwrap_or(false);
            let cell = match a {
                Expr::Var(v) => {
                    let c = self.cell(*v).clone();
                    match c {
                        Cell::Arr(_) => c,
                        Cell::Val(Val::Uninit) if as_array => Cell::Arr(self.array(*v)?),
                        Cell::Val(x) => Cell::Val(x),
                    }
                }
                _ => Cell::Val(self.eval(a)?),
            };
            frame.push(cell);
        }
        while frame.len() < func.params {
            frame.push(Cell::Val(Val::Uninit));
        }
        self.frames.push(frame);
        self.calls += 1;
        let line = self.line;
        let r = self.block(&func.body);
        self.calls -= 1;
        self.frames.pop();
        self.line = line;
        match r {
            Ok(()) => Ok(Val::Uninit),
            Err(Jump::Return(v)) => Ok(v),
            Err(e) => Err(e),
        }
    }

    fn arg(&mut self, args: &[Expr], i: usize) -> R<Val> {
        match args.get(i) {
            Some(e) => self.eval(e),
            None => Ok(Val::Uninit),
        }
    }

    fn arg_str(&mut self, args: &[Expr], i: usize) -> R<String> {
        let v = self.arg(args, i)?;
        Ok(self.to_str(&v))
    }
}

fn bool_val(b: bool) -> Val {
    Val::Num(if b { 1.0 } else { 0.0 })
}

/// Pipes and `system()` when the caller lent no way to run programs.
fn not_modelled(what: &str) -> Jump {
    Jump::Limit(format!("layerbox: awk: {what} is not modelled"))
}

/// `name=value` where `name` is an awk identifier.
pub fn assignment(arg: &str) -> Option<(&str, &str)> {
    let (name, value) = arg.split_once('=')?;
    let mut chars = name.chars();
    let first = chars.next()?;
    ((first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_'))
    .then_some((name, value))
}

/// musl's `regerror` words (Alpine's BusyBox) for a pattern `regcomp` refuses.
fn regerror(e: crate::regex::ErrorKind) -> &'static str {
    use crate::regex::ErrorKind as K;
    match e {
        K::Collate => "Unknown collating element",
        K::ClassName | K::ColonClass => "Unknown character class name",
        K::TrailingBackslash => "Trailing backslash",
        K::Backref => "Invalid back reference",
        K::Bracket => "Missing ']'",
        K::Paren | K::RightParen => "Missing ')'",
        K::Brace => "Missing '}'",
        K::BadBrace => "Invalid contents of {}",
        K::Range => "Invalid character range",
        K::TooBig | K::TooCostly => "Out of memory",
    }
}
