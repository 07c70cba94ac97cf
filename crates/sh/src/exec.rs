//! The interpreter: lists, pipelines, compound commands, simple commands, redirections, and
//! where every byte of output goes.
//!
//! Why this file is long: each construct also records where a blocked shell stopped inside
//! it and re-enters from there (`Frame`); those few lines belong beside the walk they follow,
//! so a construct's running and its resumption stay in one place.

use std::cell::Cell;
use std::collections::BTreeMap;

use layerbox_fstree::{Errno, FileSystem};

use crate::ast::SimpleCommand;
use crate::ast::{AndOr, Command, Compound, Connector, Pipeline, Program, Redirect, RedirectKind};
use crate::{Dialect, Host, Shell, Stream};

/// How many loop iterations and commands one typed line may perform, in every shell it starts
/// together, before it is stopped.
/// Emulation note: the real shells run forever; the UI must never freeze.
pub const BUDGET: u64 = 10_000;

/// How many bytes the shells of one typed line may write, to the terminal, pipes, command
/// substitutions, files and `/dev/null` together, before the line is stopped.
/// Emulation note: the real shells write as long as they run; the tab's memory must not fill.
pub const OUTPUT_BUDGET: usize = 16 << 20;

/// How many units of work the programs of one typed line may do together: a step of a regular
/// expression's matcher (grep, sed, awk), a line grep reads, a statement of awk, a command of
/// sed, a step of a Go template, a directory a path walks through ([`PATH_WORK`] each). Each
/// program also has a bound of its own; this one is what they share, so a loop of the shell
/// cannot multiply a program's bound by its iterations.
/// Emulation note: real programs work as long as they need; a line here ends within about a
/// second of native time.
pub const WORK_BUDGET: u64 = 25_000_000;

/// Units of [`WORK_BUDGET`] a path's walk through one directory takes: every command a shell
/// runs takes this for each directory of its working directory's depth (what a relative path
/// walks first), and `mkdir -p` for each directory of each prefix it makes.
pub const PATH_WORK: u64 = 25;

/// What ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spent {
    Steps,
    Output,
    Work,
}

/// The work one typed line may do: one count of loop iterations and commands shared by every
/// shell the line starts (the line's own shell, nested `sh -c` and `sh FILE`, the scripts
/// `docker run`, `docker exec` and `docker build` run in containers). Whoever runs the line
/// makes one and lends it to everything the line starts; when it is spent, every shell on it
/// stops and the outermost one prints the budget message once.
#[derive(Debug)]
pub struct Budget {
    /// The loop iterations and commands it started with (for its message).
    steps: u64,
    left: Cell<u64>,
    /// The programs' work it started with: [`WORK_BUDGET`], less when scaled.
    work_limit: u64,
    /// Units of the programs' work left (see [`Budget::work`]).
    work: Cell<u64>,
    /// The bytes its shells may write: [`OUTPUT_BUDGET`], less when scaled.
    output_limit: usize,
    /// Bytes written so far, against `output_limit`.
    written: Cell<usize>,
    /// What every limit was divided by (1 but in tests, see [`Budget::scaled`]).
    divisor: u64,
    /// What ran out first.
    spent_on: Cell<Spent>,
    /// Shells running on this budget now (the first one to start is the outermost).
    runs: Cell<u32>,
    /// The budget message has been printed.
    reported: Cell<bool>,
}

impl Default for Budget {
    fn default() -> Budget {
        Budget::new(BUDGET)
    }
}

impl Budget {
    /// A budget of `steps` loop iterations and commands.
    pub fn new(steps: u64) -> Budget {
        Budget::scaled(steps, 1)
    }

    /// A budget of `steps` loop iterations and commands with every limit (the steps, the
    /// programs' work, the output) divided by `divisor` (at least 1 of each remains). The
    /// product runs on full budgets; a property test runs on a small one, so that every case
    /// that runs into a limit ends at the same rule for a fraction of the cost.
    pub fn scaled(steps: u64, divisor: u64) -> Budget {
        let divisor = divisor.max(1);
        let steps = (steps / divisor).max(1);
        let work_limit = (WORK_BUDGET / divisor).max(1);
        let output_limit = (OUTPUT_BUDGET / usize::try_from(divisor).unwrap_or(usize::MAX)).max(1);
        Budget {
            steps,
            left: Cell::new(steps),
            work_limit,
            work: Cell::new(work_limit),
            output_limit,
            written: Cell::new(0),
            divisor,
            spent_on: Cell::new(Spent::Steps),
            runs: Cell::new(0),
            reported: Cell::new(false),
        }
    }

    /// What this budget's limits were divided by: 1 for the product's budgets. A budget made
    /// beside it (a line's background budget) is scaled alike.
    pub fn divisor(&self) -> u64 {
        self.divisor
    }

    /// Whether it is spent: every shell on it stops at its next step.
    pub fn spent(&self) -> bool {
        if self.left.get() > 0 && self.work.get() == 0 {
            // A program spent the shared work: every shell stops at its next step.
            self.left.set(0);
            self.spent_on.set(Spent::Work);
        }
        self.left.get() == 0
    }

    /// The programs' work left to the line, shared by every program it starts: a program
    /// bounds its own run by what is left and takes off what it did (see [`WORK_BUDGET`]).
    /// When a program leaves none, the budget is spent: the program stops without a message
    /// of its own, and the outermost shell ends the line with the budget's.
    pub fn work(&self) -> &Cell<u64> {
        &self.work
    }

    /// Takes `units` of the programs' work; `false` (and none is left) when there are not so
    /// many.
    pub fn take_work(&self, units: u64) -> bool {
        let left = self.work.get();
        self.work.set(left.saturating_sub(units));
        left >= units
    }

    /// Bytes of output the line may still write.
    fn output_left(&self) -> usize {
        self.output_limit.saturating_sub(self.written.get())
    }

    /// Charges `bytes` of output; `false` (and the budget is spent) past [`OUTPUT_BUDGET`].
    fn write(&self, bytes: usize) -> bool {
        let written = self.written.get().saturating_add(bytes);
        self.written.set(written);
        if written > self.output_limit && !self.spent() {
            self.left.set(0);
            self.spent_on.set(Spent::Output);
        }
        written <= self.output_limit
    }

    /// The message the outermost shell `name` ends the line with once the budget is spent.
    pub(crate) fn message(&self, name: &str) -> String {
        match self.spent_on.get() {
            Spent::Steps => format!(
                "{name}: stopped after {} loop iterations and commands (layerbox limit)\n",
                self.steps
            ),
            // A scaled budget's limits are not whole millions or MiB: it says them exactly.
            Spent::Work if self.work_limit.is_multiple_of(1_000_000) => format!(
                "{name}: stopped after {} million steps of work (layerbox limit)\n",
                self.work_limit / 1_000_000
            ),
            Spent::Work => format!(
                "{name}: stopped after {} steps of work (layerbox limit)\n",
                self.work_limit
            ),
            Spent::Output if self.output_limit.is_multiple_of(1 << 20) => format!(
                "{name}: stopped after {} MiB of output (layerbox limit)\n",
                self.output_limit >> 20
            ),
            Spent::Output => format!(
                "{name}: stopped after {} bytes of output (layerbox limit)\n",
                self.output_limit
            ),
        }
    }

    /// Takes one step; `false` when none is left.
    fn take(&self) -> bool {
        let left = self.left.get();
        self.left.set(left.saturating_sub(1));
        left > 0
    }

    /// A shell starts on this budget; `true` for the outermost one.
    pub(crate) fn enter(&self) -> bool {
        self.runs.set(self.runs.get() + 1);
        self.runs.get() == 1
    }

    /// A shell ends; `true` when it was the outermost one and the budget ran out: it prints
    /// the message (only once).
    pub(crate) fn leave(&self) -> bool {
        self.runs.set(self.runs.get().saturating_sub(1));
        let report = self.runs.get() == 0 && self.spent() && !self.reported.get();
        if report {
            self.reported.set(true);
        }
        report
    }
}

/// Mode of files created by `>` and `>>`, before the shell's umask.
const CREATE_MODE: u32 = 0o666;

/// Control flow that unwinds past the command that caused it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// `exit n`: leave the shell (or only the subshell it ran in).
    Exit(i32),
    Break(u32),
    Continue(u32),
    /// An error that ends the current command line (the whole script when not interactive),
    /// with this status; its message is already written.
    Fail(i32),
    /// The budget ran out: stop everything.
    Abort(i32),
    /// `return n`: leave the function being run.
    Return(i32),
}

pub type Status = Result<i32, Flow>;

/// Where a shell that blocked (a detached `sleep`) stopped, one frame per construct it was
/// inside, innermost first: enough to continue the script from there once the time has passed
/// ([`crate::Suspended`]). The child a frame points at is started afresh when no frame is left
/// below it (the shell stops at its step count check, before a command or a loop iteration).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// The script's `line`-th complete command, its `at`-th and-or list.
    Line { line: usize, at: usize },
    /// A list's `at`-th and-or list.
    List { at: usize },
    /// An and-or list's `at`-th pipeline (0: the first).
    AndOr { at: usize },
    /// A compound command's standard descriptors after its redirections.
    Redirected {
        stdin: Vec<u8>,
        read: usize,
        out: Target,
        err: Target,
    },
    /// `if`: in branch `branch`'s condition or body (`branch` past the last: `else`).
    If { branch: usize, body: bool },
    /// `for`: at item `at` of `items`, before it or in its body; `status` of the last body.
    For {
        items: Vec<String>,
        at: usize,
        body: bool,
        status: i32,
    },
    /// `while`/`until`: before the condition or in the body.
    While { body: bool, status: i32 },
    /// `case`: in arm `arm`'s body.
    Case { arm: usize },
    /// In a function's body: the caller's positional parameters and what `local` saved.
    Function {
        body: Box<Command>,
        saved_args: Vec<String>,
        locals: Vec<(String, Option<String>, bool)>,
    },
}

/// Where a file descriptor writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Term(Stream),
    /// A capture buffer: a pipe to the next stage or a command substitution.
    Buf(usize),
    /// A file opened by `>`/`>>` (already created or truncated): writes append to it.
    File(String),
    Null,
}

/// A command's standard input: data and a read offset shared by every command that reads the
/// same open file (each `read` of `while read l; ...; done < f` takes the next line).
/// Emulation note: programs see the unread rest but do not move the offset.
#[derive(Debug, Clone, Default)]
pub struct Stdin(std::rc::Rc<std::cell::RefCell<(Vec<u8>, usize)>>);

impl Stdin {
    pub fn new(data: Vec<u8>) -> Stdin {
        Stdin(std::rc::Rc::new(std::cell::RefCell::new((data, 0))))
    }

    /// How many bytes have been read.
    pub fn position(&self) -> usize {
        self.0.borrow().1
    }

    /// `n` more bytes were read by another process sharing this stdin.
    pub fn advance(&self, n: usize) {
        let mut b = self.0.borrow_mut();
        b.1 = (b.1 + n).min(b.0.len());
    }

    /// What has not been read yet.
    pub fn rest(&self) -> Vec<u8> {
        let b = self.0.borrow();
        b.0.get(b.1..).unwrap_or_default().to_vec()
    }

    /// The next line without its newline, and whether a newline ended it; `None` at the end.
    pub fn read_line(&self) -> Option<(String, bool)> {
        let mut b = self.0.borrow_mut();
        let (data, pos) = &mut *b;
        if *pos >= data.len() {
            return None;
        }
        let rest = &data[*pos..];
        let (line, newline) = match rest.iter().position(|&c| c == b'\n') {
            Some(i) => (&rest[..i], true),
            None => (rest, false),
        };
        let text = String::from_utf8_lossy(line).into_owned();
        *pos += line.len() + usize::from(newline);
        Some((text, newline))
    }
}

/// The standard file descriptors of the command being run.
#[derive(Debug, Clone)]
pub struct Io {
    pub stdin: Stdin,
    pub out: Target,
    pub err: Target,
}

/// One run of the shell over one input: the shell's state, the host, and what was printed.
pub struct Interp<'a> {
    pub sh: &'a mut Shell,
    pub host: &'a mut dyn Host,
    pub transcript: Vec<(Stream, Vec<u8>)>,
    /// Where in `transcript` the shell's own writes since the last program began (see
    /// [`Shell::piped_streams`]).
    pub burst: usize,
    /// Where `exec`'s redirections (`exec 2>&1`, `exec > log`) left the shell's own stdout and
    /// stderr, for the rest of this run. Emulation note: an interactive shell forgets them at
    /// the end of the line.
    pub exec_fds: Option<(Target, Target)>,
    pub buffers: Vec<Vec<u8>>,
    /// The typed line's budget, shared with every shell the line starts.
    pub budget: &'a Budget,
    /// Whether the input is a single line (bash says `line 1:` in `bash -c` only then).
    pub single_line: bool,
    /// Loops the current command runs inside (for `break` outside a loop).
    pub loops: u32,
    /// Status of the last command substitution in the current command (`A=$(false)` is 1).
    pub subst_status: Option<i32>,
    /// Subshells the current command runs inside (`exit` there ends only the subshell).
    pub subshells: u32,
    /// Contexts where `set -e` does not apply that the current command runs inside (an `if`
    /// or `while` condition, the left of `&&`/`||`, after `!`).
    pub cond: u32,
    /// One frame per function being run: the variables `local` saved (name, old value, was
    /// exported), restored when the function returns.
    pub locals: Vec<Vec<(String, Option<String>, bool)>>,
    /// `eval` and `.` being run inside one another (capped as function calls are).
    pub depth: usize,
    /// Where the shell stopped when it blocked, innermost frame first.
    pub suspend: Vec<Frame>,
    /// Where to continue a shell that blocked, outermost frame last (taken as the run
    /// re-enters each construct).
    pub resume: Vec<Frame>,
    /// The shell blocked where it cannot be continued (in a pipeline, a subshell, a command
    /// substitution, a builtin that runs commands).
    pub unresumable: bool,
    /// The command about to run is the last of a non-interactive shell's script, outside any
    /// compound command or pipeline, with no trap set: ash runs a program there without
    /// forking (`EV_EXIT`), so it takes the shell's process. Told to the host before it runs.
    pub tail: bool,
}

/// The variables, cwd and status a subshell may change without the parent seeing it.
struct Saved {
    env: BTreeMap<String, String>,
    exported: std::collections::BTreeSet<String>,
    cwd: String,
    args: Vec<String>,
}

impl Interp<'_> {
    pub fn write(&mut self, target: &Target, bytes: &[u8]) {
        let _ = self.write_to(target, bytes);
    }

    /// [`Interp::write`], with the error of a write into a file that failed: a write that
    /// does not all fit (`ENOSPC`) writes what fits first, as a short `write(2)` does.
    pub fn write_to(&mut self, target: &Target, bytes: &[u8]) -> Result<(), Errno> {
        if bytes.is_empty() {
            return Ok(());
        }
        if let Target::File(path) = target {
            // What reaches the file counts against the line's output (and a refused write);
            // a write past the output budget writes what the budget has left, so a stopped
            // line leaves no more in a file than the budget's message says.
            let asked = bytes.len();
            let bytes = &bytes[..asked.min(self.budget.output_left())];
            let mode = CREATE_MODE & !self.sh.umask;
            let (fs, cred, now) = self.host.fs();
            let appended = if bytes.is_empty() {
                Ok(())
            } else {
                fs.append_file(cred, path, bytes, mode, now)
            };
            let (written, result) = match appended {
                Err(Errno::ENOSPC) => {
                    let room = fs.room_at(cred, path).unwrap_or(0);
                    let fits = usize::try_from(room).unwrap_or(usize::MAX).min(bytes.len());
                    if fits > 0
                        && fs
                            .append_file(cred, path, &bytes[..fits], mode, now)
                            .is_ok()
                    {
                        (fits, Err(Errno::ENOSPC))
                    } else {
                        (0, Err(Errno::ENOSPC))
                    }
                }
                Ok(()) => (bytes.len(), Ok(())),
                Err(e) => (0, Err(e)),
            };
            // A write the disk refused still costs (up to 1 MiB a write), so a loop that keeps
            // writing to a full disk ends at the output budget, while one program's refused
            // write ends in its own ENOSPC message.
            let charged = if result == Err(Errno::ENOSPC) {
                written.max(bytes.len().min(1 << 20))
            } else {
                written
            };
            // The bytes the budget cut off count only when the write got as far as them.
            let cut = if result.is_ok() {
                asked - bytes.len()
            } else {
                0
            };
            self.budget.write(charged + cut);
            return result;
        }
        if !self.budget.write(bytes.len()) {
            return Ok(());
        }
        match target {
            Target::Term(stream) => {
                let burst = self.burst.min(self.transcript.len());
                let at = match stream {
                    // Ahead of the burst's stderr, when the streams are two pipes.
                    Stream::Stdout if self.sh.piped_streams => self.transcript[burst..]
                        .iter()
                        .position(|(s, _)| *s == Stream::Stderr)
                        .map_or(self.transcript.len(), |i| burst + i),
                    _ => self.transcript.len(),
                };
                match at.checked_sub(1).and_then(|i| self.transcript.get_mut(i)) {
                    Some((s, buf)) if s == stream => buf.extend_from_slice(bytes),
                    _ => self.transcript.insert(at, (*stream, bytes.to_vec())),
                }
            }
            Target::Buf(i) => {
                if let Some(buf) = self.buffers.get_mut(*i) {
                    buf.extend_from_slice(bytes);
                }
            }
            Target::File(_) | Target::Null => {}
        }
        Ok(())
    }

    /// What program `name` says when a write of its stdout failed with `e`, as the real one
    /// does; its exit status then (`code` if it keeps the one it had).
    pub fn write_failed(&mut self, io: &Io, line: usize, name: &str, e: Errno, code: i32) -> i32 {
        let failure = crate::write_error::write_failure(self.sh.dialect, name, e);
        match failure.message {
            Some(text) if failure.by_shell => {
                let builtin = (self.sh.dialect == Dialect::Bash).then_some(name);
                self.diag(io, line, builtin, &text);
                // Said as the write failed: what the shell prints later comes after it.
                self.burst = self.transcript.len();
            }
            Some(text) => self.write(&io.err, text.as_bytes()),
            None => {}
        }
        failure.code.unwrap_or(code)
    }

    /// Print a shell diagnostic: `sh: ` or `bash: `, the place, then `text`.
    /// `builtin` names the builtin that failed (`cd`), if any.
    pub fn diag(&mut self, io: &Io, line: usize, builtin: Option<&str>, text: &str) {
        let name = self.sh.name.clone();
        let msg = match (self.sh.dialect, self.sh.interactive, builtin) {
            (Dialect::BusyBoxAsh, false, Some(b)) => {
                format!("{name}: {b}: line {}: {text}\n", line.saturating_sub(1))
            }
            (Dialect::BusyBoxAsh, _, Some(b)) => format!("{name}: {b}: {text}\n"),
            (Dialect::BusyBoxAsh, _, None) => format!("{name}: {text}\n"),
            (Dialect::Bash, false, b) if self.single_line => match b {
                Some(b) => format!("{name}: line {line}: {b}: {text}\n"),
                None => format!("{name}: line {line}: {text}\n"),
            },
            (Dialect::Bash, _, Some(b)) => format!("{name}: {b}: {text}\n"),
            (Dialect::Bash, _, None) => format!("{name}: {text}\n"),
        };
        self.write(&io.err.clone(), msg.as_bytes());
    }

    /// Count one unit of work; stop everything when the budget is spent.
    pub fn tick(&mut self) -> Result<(), Flow> {
        if self.host.blocked() {
            return Err(Flow::Abort(self.sh.last_status));
        }
        // The last step is not taken: a spent budget stops at once (its message comes from
        // the outermost shell, once, when it ends).
        if !self.budget.take() || self.budget.spent() {
            return Err(Flow::Abort(130));
        }
        // Whatever the command does with a relative path walks the working directory first.
        let depth = self.sh.cwd.bytes().filter(|&b| b == b'/').count() as u64;
        self.budget.take_work(PATH_WORK.saturating_mul(depth));
        Ok(())
    }

    /// Whether `result` is the shell stopping because its process blocked.
    fn suspending<T>(&self, result: &Result<T, Flow>) -> bool {
        matches!(result, Err(Flow::Abort(_))) && self.host.blocked()
    }

    /// Records `frame` if `result` is the shell stopping because its process blocked.
    fn mark<T>(&mut self, result: &Result<T, Flow>, frame: impl FnOnce() -> Frame) {
        if self.suspending(result) {
            self.suspend.push(frame());
        }
    }

    /// The next frame to continue from, if the shell is being continued.
    fn resuming(&mut self) -> Option<Frame> {
        self.resume.pop()
    }

    /// A frame that does not belong where it was found: the run cannot be continued.
    fn lost(&mut self) -> Status {
        self.resume.clear();
        Err(Flow::Abort(self.sh.last_status))
    }

    fn save(&self) -> Saved {
        Saved {
            env: self.sh.env.clone(),
            exported: self.sh.exported.clone(),
            cwd: self.sh.cwd.clone(),
            args: self.sh.args.clone(),
        }
    }

    fn restore(&mut self, saved: Saved) {
        self.sh.env = saved.env;
        self.sh.exported = saved.exported;
        self.sh.cwd = saved.cwd;
        self.sh.args = saved.args;
    }

    /// Run `f` in a subshell: state changes are undone and `exit` ends only the subshell.
    pub fn subshell(&mut self, f: impl FnOnce(&mut Self) -> Status) -> Status {
        let saved = self.save();
        let loops = std::mem::take(&mut self.loops);
        let tail = std::mem::take(&mut self.tail);
        self.subshells += 1;
        let result = f(self);
        self.tail = tail;
        if self.suspending(&result) {
            self.unresumable = true;
        }
        self.subshells -= 1;
        self.loops = loops;
        self.restore(saved);
        match result {
            Ok(status) | Err(Flow::Exit(status) | Flow::Fail(status) | Flow::Return(status)) => {
                Ok(status)
            }
            Err(Flow::Break(_) | Flow::Continue(_)) => Ok(0),
            Err(abort) => Err(abort),
        }
    }

    pub fn run_program(&mut self, program: &Program, io: &Io) -> Status {
        let mut status = 0;
        let start = match self.resuming() {
            None => 0,
            Some(Frame::List { at }) => at,
            Some(_) => return self.lost(),
        };
        for (at, and_or) in program.iter().enumerate().skip(start) {
            let result = if and_or.background {
                self.sh.jobs_started += 1;
                self.host.background(true);
                let result = self.run_and_or(and_or, io);
                self.host.background(false);
                if let Some(pid) = self.host.job_pid() {
                    self.sh.last_job = Some(pid);
                }
                result
            } else {
                self.run_and_or(and_or, io)
            };
            self.mark(&result, || Frame::List { at });
            status = result?;
        }
        Ok(status)
    }

    pub fn run_and_or(&mut self, and_or: &AndOr, io: &Io) -> Status {
        let last = and_or.rest.len();
        // Continued in pipeline `start`: its operator already let it run.
        let start = match self.resuming() {
            None => 0,
            Some(Frame::AndOr { at }) => at,
            Some(_) => return self.lost(),
        };
        let mut status = 0;
        let mut ran = 0;
        let tail = std::mem::take(&mut self.tail);
        if start == 0 {
            self.tail = tail && last == 0;
            let result = self.run_guarded(&and_or.first, last > 0, io);
            self.mark(&result, || Frame::AndOr { at: 0 });
            status = result?;
            self.sh.last_status = status;
        }
        for (i, (connector, pipeline)) in and_or.rest.iter().enumerate() {
            let resumed = i + 1 == start;
            if i + 1 < start {
                continue;
            }
            if resumed || (*connector == Connector::And) == (status == 0) {
                self.tail = tail && i + 1 == last;
                let result = self.run_guarded(pipeline, i + 1 < last, io);
                self.mark(&result, || Frame::AndOr { at: i + 1 });
                status = result?;
                ran = i + 1;
                self.sh.last_status = status;
            }
        }
        let negated = match ran {
            0 => and_or.first.negated,
            i => and_or.rest[i - 1].1.negated,
        };
        if self.sh.errexit && self.cond == 0 && status != 0 && ran == last && !negated {
            // `set -e`: a command that fails outside a condition ends the shell.
            return Err(Flow::Exit(status));
        }
        Ok(status)
    }

    /// Runs a pipeline; `exempt` (not the last of an and-or list) and `!` keep `set -e` off.
    fn run_guarded(&mut self, pipeline: &Pipeline, exempt: bool, io: &Io) -> Status {
        let exempt = exempt || pipeline.negated;
        if exempt {
            self.cond += 1;
        }
        let status = self.run_pipeline(pipeline, io);
        if exempt {
            self.cond -= 1;
        }
        status
    }

    /// Runs a condition (`if`, `while`, `until`): `set -e` does not apply inside.
    fn run_condition(&mut self, program: &Program, io: &Io) -> Status {
        self.cond += 1;
        let status = self.run_program(program, io);
        self.cond -= 1;
        status
    }

    fn run_pipeline(&mut self, pipeline: &Pipeline, io: &Io) -> Status {
        if pipeline.timed {
            // Nothing here measures time: the line's work is counted, not timed.
            self.write(&io.err, b"layerbox: bash's time is not modelled\n");
            return Ok(69);
        }
        let status = match pipeline.commands.as_slice() {
            [one] => self.run_command(one, io)?,
            stages => {
                self.tail = false;
                let mut stdin = io.stdin.clone();
                let mut status = 0;
                for (i, cmd) in stages.iter().enumerate() {
                    let last = i + 1 == stages.len();
                    let buf = self.buffers.len();
                    self.buffers.push(Vec::new());
                    let stage = Io {
                        stdin: std::mem::take(&mut stdin),
                        out: if last {
                            io.out.clone()
                        } else {
                            Target::Buf(buf)
                        },
                        err: io.err.clone(),
                    };
                    status = self.subshell(|me| me.run_command(cmd, &stage))?;
                    stdin = Stdin::new(std::mem::take(&mut self.buffers[buf]));
                }
                status
            }
        };
        Ok(if pipeline.negated {
            i32::from(status == 0)
        } else {
            status
        })
    }

    fn run_command(&mut self, cmd: &Command, io: &Io) -> Status {
        self.tick()?;
        match cmd {
            Command::Simple(simple) => match self.resume.last() {
                Some(Frame::Function { .. }) => match self.resuming() {
                    Some(Frame::Function {
                        body,
                        saved_args,
                        locals,
                    }) => self.continue_function(&body, saved_args, locals, io),
                    _ => self.lost(),
                },
                _ => {
                    let result = self.run_simple(simple, io);
                    if self.suspending(&result) && !simple.redirects.is_empty() {
                        // A function called with redirections: continued without them.
                        self.unresumable = true;
                    }
                    result
                }
            },
            Command::Compound(compound, redirects) => {
                self.tail = false;
                let io = match self.resuming() {
                    None => match self.redirect(redirects, io, 1)? {
                        Some(io) => io,
                        None => return Ok(1),
                    },
                    Some(Frame::Redirected {
                        stdin,
                        read,
                        out,
                        err,
                    }) => {
                        let restored = Stdin::new(stdin);
                        restored.advance(read);
                        Io {
                            stdin: restored,
                            out,
                            err,
                        }
                    }
                    Some(_) => return self.lost(),
                };
                let result = self.run_compound(compound, &io);
                if self.suspending(&result) {
                    let (stdin, read) = {
                        let b = io.stdin.0.borrow();
                        (b.0.clone(), b.1)
                    };
                    if matches!(io.out, Target::Buf(_)) || matches!(io.err, Target::Buf(_)) {
                        self.unresumable = true;
                    }
                    self.suspend.push(Frame::Redirected {
                        stdin,
                        read,
                        out: io.out.clone(),
                        err: io.err.clone(),
                    });
                }
                result
            }
            Command::Function(name, body) => {
                self.sh.functions.insert(name.clone(), (**body).clone());
                Ok(0)
            }
        }
    }

    /// Calls function `body` with `argv[1..]` as its positional parameters.
    fn call_function(&mut self, body: &Command, argv: &[String], io: &Io) -> Status {
        if self.locals.len() + self.depth >= MAX_CALLS {
            self.diag(io, 1, None, "function nesting too deep (layerbox limit)");
            // Everything stops: a pipeline of recursive calls would otherwise fan out.
            return Err(Flow::Abort(2));
        }
        self.tail = false;
        let saved_args = std::mem::replace(&mut self.sh.args, argv[1..].to_vec());
        self.continue_function(body, saved_args, Vec::new(), io)
    }

    /// Runs (or continues) function `body` whose caller's positional parameters were
    /// `saved_args`, with what `local` saved so far.
    fn continue_function(
        &mut self,
        body: &Command,
        saved_args: Vec<String>,
        locals: Vec<(String, Option<String>, bool)>,
        io: &Io,
    ) -> Status {
        self.locals.push(locals);
        let result = self.run_command(body, io);
        if self.suspending(&result) {
            // The function's state stays as it is: the shell continues inside it.
            let locals = self.locals.pop().unwrap_or_default();
            self.suspend.push(Frame::Function {
                body: Box::new(body.clone()),
                saved_args,
                locals,
            });
            return result;
        }
        for (name, old, exported) in self.locals.pop().unwrap_or_default().into_iter().rev() {
            match old {
                Some(v) => self.sh.set_var(&name, v),
                None => {
                    self.sh.env.remove(&name);
                }
            }
            if exported {
                self.sh.exported.insert(name);
            } else {
                self.sh.exported.remove(&name);
            }
        }
        self.sh.args = saved_args;
        match result {
            Err(Flow::Return(status)) => Ok(status),
            other => other,
        }
    }

    fn run_compound(&mut self, compound: &Compound, io: &Io) -> Status {
        match compound {
            Compound::Group(body) => self.run_program(body, io),
            Compound::Subshell(body) => self.subshell(|me| me.run_program(body, io)),
            Compound::If {
                branches,
                otherwise,
            } => {
                let (first, in_body) = match self.resuming() {
                    None => (0, false),
                    Some(Frame::If { branch, body }) => (branch, body),
                    Some(_) => return self.lost(),
                };
                for (branch, (cond, then)) in branches.iter().enumerate().skip(first) {
                    let take = if in_body && branch == first {
                        true
                    } else {
                        let result = self.run_condition(cond, io);
                        self.mark(&result, || Frame::If {
                            branch,
                            body: false,
                        });
                        result? == 0
                    };
                    if take {
                        let result = self.run_program(then, io);
                        self.mark(&result, || Frame::If { branch, body: true });
                        return result;
                    }
                }
                match otherwise {
                    Some(body) => {
                        let branch = branches.len();
                        let result = self.run_program(body, io);
                        self.mark(&result, || Frame::If { branch, body: true });
                        result
                    }
                    None => Ok(0),
                }
            }
            Compound::For { var, words, body } => {
                let (items, first, in_body, mut status) = match self.resuming() {
                    None => {
                        let items = match words {
                            Some(words) => self.expand_words(words, io)?,
                            None => self.sh.args.clone(),
                        };
                        (items, 0, false, 0)
                    }
                    Some(Frame::For {
                        items,
                        at,
                        body,
                        status,
                    }) => (items, at, body, status),
                    Some(_) => return self.lost(),
                };
                for at in first..items.len() {
                    if !(in_body && at == first) {
                        let ticked = self.tick();
                        if self.suspending(&ticked) {
                            self.suspend.push(Frame::For {
                                items: items.clone(),
                                at,
                                body: false,
                                status,
                            });
                        }
                        ticked?;
                        self.sh.set_var(var, items[at].clone());
                    }
                    let result = self.loop_body(body, io);
                    if self.suspending(&result) {
                        self.suspend.push(Frame::For {
                            items: items.clone(),
                            at,
                            body: true,
                            status,
                        });
                    }
                    match result? {
                        LoopStep::Next(s) => status = s,
                        LoopStep::Stop(s) => {
                            status = s;
                            break;
                        }
                    }
                }
                Ok(status)
            }
            Compound::While { cond, body, until } => {
                let (mut in_body, mut status) = match self.resuming() {
                    None => (false, 0),
                    Some(Frame::While { body, status }) => (body, status),
                    Some(_) => return self.lost(),
                };
                loop {
                    if !std::mem::take(&mut in_body) {
                        let ticked = self.tick();
                        self.mark(&ticked, || Frame::While {
                            body: false,
                            status,
                        });
                        ticked?;
                        let result = self.run_condition(cond, io);
                        // Stopped inside the condition: it is run again from its start.
                        // Emulation note: a `sleep` in a loop's condition is not continued.
                        if self.suspending(&result) {
                            self.unresumable = true;
                        }
                        if (result? == 0) == *until {
                            break;
                        }
                    }
                    let result = self.loop_body(body, io);
                    self.mark(&result, || Frame::While { body: true, status });
                    match result? {
                        LoopStep::Next(s) => status = s,
                        LoopStep::Stop(s) => {
                            status = s;
                            break;
                        }
                    }
                }
                Ok(status)
            }
            Compound::Case { word, arms } => {
                if let Some(frame) = self.resuming() {
                    let Frame::Case { arm } = frame else {
                        return self.lost();
                    };
                    let Some((_, body)) = arms.get(arm) else {
                        return self.lost();
                    };
                    let result = self.run_program(body, io);
                    self.mark(&result, || Frame::Case { arm });
                    return result;
                }
                let subject: Vec<char> = self.expand_string(word, io)?.chars().collect();
                for (arm, (patterns, body)) in arms.iter().enumerate() {
                    for pattern in patterns {
                        let pat = self.expand_pattern(pattern, io)?;
                        if layerbox_fstree::fnmatch::fnmatch(&pat, &subject, crate::expand::PATTERN)
                        {
                            let result = self.run_program(body, io);
                            self.mark(&result, || Frame::Case { arm });
                            return result;
                        }
                    }
                }
                Ok(0)
            }
        }
    }

    fn loop_body(&mut self, body: &Program, io: &Io) -> Result<LoopStep, Flow> {
        self.loops += 1;
        let result = self.run_program(body, io);
        self.loops -= 1;
        match result {
            Ok(s) => Ok(LoopStep::Next(s)),
            Err(Flow::Break(n)) if n > 1 => Err(Flow::Break(n - 1)),
            Err(Flow::Break(_)) => Ok(LoopStep::Stop(0)),
            Err(Flow::Continue(n)) if n > 1 => Err(Flow::Continue(n - 1)),
            Err(Flow::Continue(_)) => Ok(LoopStep::Next(0)),
            Err(flow) => Err(flow),
        }
    }

    fn run_simple(&mut self, cmd: &SimpleCommand, io: &Io) -> Status {
        self.subst_status = None;
        // The shell's own descriptors, as `exec` left them, where nothing around this command
        // redirected them.
        let with_exec_fds;
        let io = match &self.exec_fds {
            Some((out, err)) => {
                let mut moved = io.clone();
                if moved.out == Target::Term(Stream::Stdout) {
                    moved.out = out.clone();
                }
                if moved.err == Target::Term(Stream::Stderr) {
                    moved.err = err.clone();
                }
                with_exec_fds = moved;
                &with_exec_fds
            }
            None => io,
        };
        let argv = self.expand_words(&cmd.words, io)?;
        let mut assigned = Vec::new();
        for (name, value) in &cmd.assignments {
            let value = self.expand_string(value, io)?;
            assigned.push((name.clone(), value));
        }
        if self.sh.xtrace {
            let mut trace: Vec<String> = assigned
                .iter()
                .map(|(n, v)| format!("{n}={}", trace_quote(v)))
                .collect();
            trace.extend(argv.iter().map(|a| trace_quote(a)));
            if !trace.is_empty() {
                let line = format!("+ {}\n", trace.join(" "));
                self.write(&io.err.clone(), line.as_bytes());
            }
        }
        let Some(io) = self.redirect(&cmd.redirects, io, cmd.line)? else {
            return Ok(1);
        };
        let Some(name) = argv.first() else {
            for (name, value) in assigned {
                self.sh.set_var(&name, value);
            }
            return Ok(self.subst_status.unwrap_or(0));
        };
        if name == "exec" && argv.len() > 1 {
            // `exec CMD`: the command replaces the shell, which ends with its status.
            let status = self.run_argv(&argv[1..], assigned, &io, cmd.line)?;
            return Err(Flow::Exit(status));
        }
        self.run_argv(&argv, assigned, &io, cmd.line)
    }

    /// Runs expanded `argv` (a function, a builtin or a program) with `assigned` variables.
    fn run_argv(
        &mut self,
        argv: &[String],
        assigned: Vec<(String, String)>,
        io: &Io,
        line: usize,
    ) -> Status {
        let io = io.clone();
        let Some(name) = argv.first() else {
            return Ok(0);
        };
        if let Some(body) = self.sh.functions.get(name).cloned() {
            return self.call_function(&body, argv, &io);
        }
        self.run_builtin_or_program(argv, assigned, &io, line)
    }

    /// `command NAME ARGS`: runs a builtin or a program, never a function.
    pub fn run_without_functions(&mut self, argv: &[String], io: &Io, line: usize) -> Status {
        self.run_builtin_or_program(argv, Vec::new(), io, line)
    }

    fn run_builtin_or_program(
        &mut self,
        argv: &[String],
        assigned: Vec<(String, String)>,
        io: &Io,
        line: usize,
    ) -> Status {
        let Some(name) = argv.first() else {
            return Ok(0);
        };
        if crate::builtins::is_builtin(name) {
            let saved: Vec<_> = assigned
                .iter()
                .map(|(n, _)| (n.clone(), self.sh.env.get(n).cloned()))
                .collect();
            for (n, v) in assigned {
                self.sh.set_var(&n, v);
            }
            let result = crate::builtins::run(self, argv, io, line);
            if self.suspending(&result) {
                self.unresumable = true;
            }
            for (n, old) in saved {
                match old {
                    Some(v) => self.sh.set_var(&n, v),
                    None => {
                        self.sh.env.remove(&n);
                    }
                }
            }
            return result;
        }
        Ok(self.exec_program(argv, assigned, io, line))
    }

    /// Runs `argv` as the host's program (what a builtin such as `kill` hands on).
    pub fn run_host(&mut self, argv: &[String], io: &Io, line: usize) -> i32 {
        self.exec_program(argv, Vec::new(), io, line)
    }

    /// The host runs `argv` with the exported variables and `assigned`; "not found" (127) in
    /// the shell's words when nothing of that name exists. bash remembers where it found a
    /// program (`type` then says it is hashed).
    fn exec_program(
        &mut self,
        argv: &[String],
        assigned: Vec<(String, String)>,
        io: &Io,
        line: usize,
    ) -> i32 {
        let Some(name) = argv.first() else {
            return 0;
        };
        let mut env: BTreeMap<String, String> = layerbox_order::map(
            self.sh
                .env
                .iter()
                .filter(|(k, _)| self.sh.exported.contains(*k))
                .map(|(k, v)| (k.clone(), v.clone())),
        );
        env.extend(assigned);
        let cwd = self.sh.cwd.clone();
        self.host.umask(self.sh.umask);
        let tail = std::mem::take(&mut self.tail);
        self.host.in_place(tail);
        match self.host.exec(argv, &io.stdin.rest(), &env, &cwd) {
            Some(out) => {
                if let Some(used) = out.stdin_used {
                    io.stdin.advance(used);
                }
                // A program is a process of its own: what it wrote comes in its own order,
                // after the shell's writes before it. ash runs `echo` and `printf` itself.
                let own = self.sh.dialect == Dialect::BusyBoxAsh
                    && ["echo", "printf", "kill"].contains(&name.as_str());
                if !own {
                    self.burst = usize::MAX;
                }
                self.write(&io.err, &out.stderr_first);
                let mut code = out.code;
                for (stream, bytes) in out.chunks() {
                    match stream {
                        Stream::Stdout => {
                            if let Err(e) = self.write_to(&io.out, bytes) {
                                // The program stops at its failed write: nothing it wrote
                                // after it is written.
                                code = self.write_failed(io, line, name, e, code);
                                break;
                            }
                        }
                        Stream::Stderr => self.write(&io.err, bytes),
                    }
                }
                if !own {
                    self.burst = self.transcript.len();
                }
                if self.sh.dialect == Dialect::Bash
                    && !name.contains('/')
                    && !self.sh.hashed.contains_key(name)
                {
                    let path = self.sh.env.get("PATH").cloned().unwrap_or_default();
                    if let Some(found) = self.host.locate(name, &path, &cwd) {
                        self.sh.hashed.insert(name.clone(), found);
                    }
                }
                code
            }
            None => {
                let text = match self.sh.dialect {
                    Dialect::BusyBoxAsh => format!("{name}: not found"),
                    Dialect::Bash if name.contains('/') => {
                        format!("{name}: No such file or directory")
                    }
                    Dialect::Bash => format!("{name}: command not found"),
                };
                self.diag(io, line, None, &text);
                127
            }
        }
    }

    /// Apply redirections in order over `io`. `None` (after printing why) when a file cannot
    /// be opened: the command does not run and its status is 1.
    fn redirect(
        &mut self,
        redirects: &[Redirect],
        io: &Io,
        line: usize,
    ) -> Result<Option<Io>, Flow> {
        let mut io = io.clone();
        for r in redirects {
            let target = self.expand_string(&r.target, &io)?;
            match r.kind {
                RedirectKind::Dup => {
                    let to = match target.as_str() {
                        "-" => Some(Target::Null),
                        "1" => Some(io.out.clone()),
                        "2" => Some(io.err.clone()),
                        "0" => Some(Target::Null),
                        _ => None,
                    };
                    match to {
                        Some(t) => self.set_fd(&mut io, r.fd, t),
                        None => {
                            self.diag(&io, line, None, &format!("{target}: Bad file descriptor"));
                            return Ok(None);
                        }
                    }
                }
                RedirectKind::Write
                | RedirectKind::Clobber
                | RedirectKind::Append
                | RedirectKind::WriteBoth
                | RedirectKind::AppendBoth => {
                    let append = matches!(r.kind, RedirectKind::Append | RedirectKind::AppendBoth);
                    let to = match target.as_str() {
                        "/dev/null" => Target::Null,
                        "/dev/stdout" => io.out.clone(),
                        "/dev/stderr" => io.err.clone(),
                        _ => {
                            let path = self.sh.absolute(&target);
                            let mode = CREATE_MODE & !self.sh.umask;
                            let noclobber = self.sh.noclobber
                                && matches!(r.kind, RedirectKind::Write | RedirectKind::WriteBoth);
                            let (fs, cred, now) = self.host.fs();
                            // `set -C`: an existing regular file is not overwritten.
                            let clobbers = noclobber
                                && fs
                                    .stat(cred, &path)
                                    .is_ok_and(|st| st.kind == layerbox_fstree::FileType::File);
                            let opened = if clobbers {
                                Err(Errno::EEXIST)
                            } else if append {
                                fs.append_file(cred, &path, b"", mode, now)
                            } else {
                                fs.write_file(cred, &path, b"", mode, now)
                            };
                            if let Err(e) = opened {
                                let text = match self.sh.dialect {
                                    Dialect::BusyBoxAsh => format!(
                                        "can't create {target}: {}",
                                        ash_errmsg(e, "nonexistent directory")
                                    ),
                                    Dialect::Bash if clobbers => {
                                        format!("{target}: cannot overwrite existing file")
                                    }
                                    Dialect::Bash => format!("{target}: {}", e.strerror()),
                                };
                                self.diag(&io, line, None, &text);
                                return Ok(None);
                            }
                            Target::File(path)
                        }
                    };
                    if matches!(r.kind, RedirectKind::WriteBoth | RedirectKind::AppendBoth) {
                        self.set_fd(&mut io, 1, to.clone());
                        self.set_fd(&mut io, 2, to);
                    } else {
                        self.set_fd(&mut io, r.fd, to);
                    }
                }
                RedirectKind::HereDoc => {
                    if r.fd == 0 {
                        io.stdin = Stdin::new(target.into_bytes());
                    }
                }
                RedirectKind::HereString => {
                    if r.fd == 0 {
                        io.stdin = Stdin::new(format!("{target}\n").into_bytes());
                    }
                }
                RedirectKind::Read | RedirectKind::ReadWrite => {
                    let data = if target == "/dev/null" {
                        Ok(Vec::new())
                    } else {
                        let path = self.sh.absolute(&target);
                        let mode = CREATE_MODE & !self.sh.umask;
                        let (fs, cred, now) = self.host.fs();
                        if r.kind == RedirectKind::ReadWrite && !fs.exists(cred, &path) {
                            fs.append_file(cred, &path, b"", mode, now)
                                .map(|_| Vec::new())
                        } else {
                            match fs.read_file(cred, &path) {
                                Ok(c) => Ok(c.to_vec()),
                                // Opening a directory for reading succeeds; reading it fails later.
                                Err(Errno::EISDIR) => Ok(Vec::new()),
                                Err(e) => Err(e),
                            }
                        }
                    };
                    match data {
                        Ok(data) => {
                            if r.fd == 0 {
                                io.stdin = Stdin::new(data);
                            }
                        }
                        Err(e) => {
                            let text = match self.sh.dialect {
                                Dialect::BusyBoxAsh => {
                                    format!(
                                        "can't open {target}: {}",
                                        ash_errmsg(e, "no such file")
                                    )
                                }
                                Dialect::Bash => format!("{target}: {}", e.strerror()),
                            };
                            self.diag(&io, line, None, &text);
                            return Ok(None);
                        }
                    }
                }
            }
        }
        Ok(Some(io))
    }

    fn set_fd(&mut self, io: &mut Io, fd: u32, to: Target) {
        match fd {
            1 => io.out = to,
            2 => io.err = to,
            // Emulation note: only descriptors 0, 1 and 2 exist.
            _ => {}
        }
    }
}

/// How deep functions may call functions (and `eval` and `.` nest) before the shell gives up.
/// Emulation note: the real shells recurse until they run out of stack.
pub const MAX_CALLS: usize = 100;

/// A word as `set -x` shows it: in single quotes when it holds anything but plain characters.
pub fn trace_quote(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_./=:,+-@%^".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

enum LoopStep {
    Next(i32),
    Stop(i32),
}

/// BusyBox ash's `errmsg()`: its own short text for "no such file", glibc's for the rest.
fn ash_errmsg(e: Errno, missing: &str) -> String {
    match e {
        Errno::ENOENT | Errno::ENOTDIR => missing.to_string(),
        e => e.strerror().to_string(),
    }
}
