//! The POSIX `sh` subset learners type: parsed by a hand-written recursive-descent parser and
//! interpreted over a [`Host`] that runs programs and lends its filesystem, worded as BusyBox ash
//! (in Alpine containers) or bash (the Debian host's login shell).
//!
//! # Why a hand-written parser
//! Evaluated (wasm32-unknown-unknown cdylib, `opt-level="z"`, LTO, one parse call; baseline
//! cdylib 29.8 KB, 13.5 KB gzipped):
//! * `brush-parser` 0.4.0 (MIT, active): builds; +655 KB raw, +159 KB gzipped (peg, bon, cached,
//!   insta and tracing come along): a quarter of the app's 600 KB budget for a parser.
//! * `yash-syntax` 0.21.0 (0.25 needs Rust 1.96): does not build for wasm32 (`errno` through
//!   `yash-env`); GPL-3.0-or-later, which this MIT/Apache project cannot take; async API.
//! * `conch-parser` 0.1.1: builds, +160 KB raw, +44 KB gzipped, but unreleased since 2019 and
//!   flagged by rustc's future-incompatibility lints.
//!
//! So `lex.rs` and `parse.rs` (about 1,000 lines with the AST) parse exactly this subset, with
//! the shells' own syntax error texts, and nothing panics or recurses without bound. Measured
//! the same way, this whole crate (parser and interpreter) adds 152 KB raw, 55 KB gzipped, over
//! a cdylib using `layerbox-fstree` alone (94 KB, 34 KB gzipped).
//!
//! # Code map
//! `ast.rs` the tree; `lex.rs` tokens and words; `parse.rs` grammar and [`SyntaxError`];
//! `expand.rs` parameters, `$(...)`, splitting, globbing; `arith.rs` `$((...))`; `exec.rs`
//! lists, pipelines, loops, redirections, output routing; `builtins.rs` `cd`, `export`, `exit`,
//! `eval`, `.`, ...; `introspect.rs` `type` and `command`; `umask.rs`; `signals.rs` `kill`;
//! `test_cmd.rs` `test`/`[`.
#![forbid(unsafe_code)]

mod arith;
pub mod ast;
mod builtins;
mod exec;
mod expand;
mod introspect;
mod lex;
pub mod parse;
mod signals;
mod test_cmd;
mod umask;
mod write_error;

use std::collections::{BTreeMap, BTreeSet};

pub use exec::{Budget, BUDGET, OUTPUT_BUDGET, PATH_WORK, WORK_BUDGET};
pub use parse::{parse, SyntaxError};

use exec::{Flow, Frame, Interp, Io, Target};
use layerbox_fstree::FileSystem;

/// The exit status of a program, builtin use or option that exists but that layerbox does not
/// model. It is `EX_UNAVAILABLE` of `sysexits.h` ("a support program or file does not exist"):
/// 126 and 127 are the shell's and Docker's "cannot execute" and "not found", 125 is `docker
/// run`'s own failure, 128 and up are signals, and no modelled program exits with 69.
pub const NOT_MODELLED: i32 = 69;

/// Which shell's behaviour and wording to follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// BusyBox ash, `sh` inside Alpine and BusyBox containers.
    BusyBoxAsh,
    /// GNU bash, the login shell on the Debian host.
    Bash,
}

/// What one program printed, and its exit status.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    /// What it wrote to stderr before its first stdout byte (the docker CLI's notices), so a
    /// terminal shows it first and a redirection of either stream still splits them right.
    pub stderr_first: Vec<u8>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub code: i32,
    /// How many bytes of the stdin it was given the program read, when that is known (a shell
    /// run by another one: what it read is gone from their shared pipe); `None` leaves the
    /// caller's stdin as it was.
    pub stdin_used: Option<usize>,
    /// How `stdout` and `stderr` interleaved as they were written: runs of bytes, each on one
    /// stream, in order, covering both. Empty: all of `stdout`, then all of `stderr`.
    pub order: Vec<(Stream, usize)>,
}

impl Output {
    /// Appends `bytes` written on `stream`, keeping the order of the two streams.
    pub fn push(&mut self, stream: Stream, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        if self.order.is_empty() {
            // Record what was written before in the default order first.
            let (out, err) = (self.stdout.len(), self.stderr.len());
            if out > 0 {
                self.order.push((Stream::Stdout, out));
            }
            if err > 0 {
                self.order.push((Stream::Stderr, err));
            }
        }
        match stream {
            Stream::Stdout => self.stdout.extend_from_slice(bytes),
            Stream::Stderr => self.stderr.extend_from_slice(bytes),
        }
        match self.order.last_mut() {
            Some((s, n)) if *s == stream => *n += bytes.len(),
            _ => self.order.push((stream, bytes.len())),
        }
    }

    /// Both streams in the order written (after `stderr_first`, which comes before them).
    pub fn chunks(&self) -> Vec<(Stream, &[u8])> {
        if self.order.is_empty() {
            return [
                (Stream::Stdout, &self.stdout[..]),
                (Stream::Stderr, &self.stderr[..]),
            ]
            .into_iter()
            .filter(|(_, b)| !b.is_empty())
            .collect();
        }
        let (mut o, mut e) = (0, 0);
        let mut chunks = Vec::with_capacity(self.order.len());
        for &(stream, n) in &self.order {
            let (buf, at) = match stream {
                Stream::Stdout => (&self.stdout, &mut o),
                Stream::Stderr => (&self.stderr, &mut e),
            };
            let end = (*at + n).min(buf.len());
            let start = (*at).min(end);
            chunks.push((stream, &buf[start..end]));
            *at = end;
        }
        // Bytes added to a stream without `push` come last, in the default order.
        if o < self.stdout.len() {
            chunks.push((Stream::Stdout, &self.stdout[o..]));
        }
        if e < self.stderr.len() {
            chunks.push((Stream::Stderr, &self.stderr[e..]));
        }
        chunks
    }

    /// Appends what a shell run printed, both streams in the order written.
    pub fn push_run(&mut self, r: &RunResult) {
        for (stream, bytes) in &r.transcript {
            self.push(*stream, bytes);
        }
    }

    /// The output of a shell run: both streams in the order written, and its status.
    pub fn from_run(r: &RunResult) -> Output {
        let mut out = Output {
            code: r.code,
            ..Output::default()
        };
        out.push_run(r);
        out
    }
}

/// The terminal stream a chunk of output went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// What the interpreter needs from the world around it.
pub trait Host {
    /// Run a non-builtin command (argv[0] is the name as typed, after expansion). `None` = no
    /// such command.
    fn exec(
        &mut self,
        argv: &[String],
        stdin: &[u8],
        env: &BTreeMap<String, String>,
        cwd: &str,
    ) -> Option<Output>;
    /// Filesystem access for globbing, cd, redirections and `test`, as the current user.
    fn fs(&mut self) -> (&mut dyn layerbox_fstree::Store, &layerbox_fstree::Cred, u64);
    /// Whether the process now waits for good (a detached `sleep`): the shell stops running.
    fn blocked(&self) -> bool {
        false
    }
    /// A command ended by `&` starts (`true`) or has been started (`false`).
    fn background(&mut self, _start: bool) {}
    /// The `wait` builtin: wait for the commands started with `&`.
    fn wait(&mut self) {}
    /// `wait PID`: the status of job `pid` if the host knows it ended by a signal (128 + the
    /// signal's number); `None` otherwise.
    fn wait_for(&mut self, _pid: u32) -> Option<i32> {
        None
    }
    /// The process id of the command just started with `&` (`$!`), if the host keeps
    /// processes.
    fn job_pid(&mut self) -> Option<u32> {
        None
    }
    /// Whether the program about to run takes the shell's own process (ash's `EV_EXIT`: the
    /// last command of a `-c` script) instead of a forked child.
    fn in_place(&mut self, _in_place: bool) {}
    /// Where the program `name` (no `/` in it) would be run from: the first directory of
    /// `path` (`PATH`'s value; an empty entry is `cwd`) holding an executable regular file of
    /// that name, as `type` and `command -v` show it.
    fn locate(&mut self, name: &str, path: &str, cwd: &str) -> Option<String> {
        let (fs, cred, _) = self.fs();
        path.split(':').find_map(|dir| {
            let shown = if dir.is_empty() {
                name.to_string()
            } else {
                layerbox_fstree::path::join(dir, name)
            };
            let st = fs.stat(cred, &absolute(cwd, &shown)).ok()?;
            (st.kind == layerbox_fstree::FileType::File && cred.may(&st, layerbox_fstree::MAY_EXEC))
                .then_some(shown)
        })
    }
    /// The shell's file mode creation mask, told before every program it runs (and when
    /// `umask` sets it): the program creates files under it, and a child shell starts with it.
    fn umask(&mut self, _mask: u32) {}
}

/// What one [`Shell::run`] printed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunResult {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// Both streams in the order written, consecutive writes to one stream merged.
    pub transcript: Vec<(Stream, Vec<u8>)>,
    /// `$?` after the run (the `exit` status if `exit` was called).
    pub code: i32,
    /// `exit` was called: the shell has ended.
    pub exited: bool,
    /// How many bytes of its stdin the run read.
    pub stdin_read: usize,
    /// Where the run stopped if its process blocked (a detached `sleep`).
    pub continuation: Continuation,
}

/// What is left of a shell whose process blocked ([`Host::blocked`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Continuation {
    /// It did not block, or it blocked where it cannot be continued (inside a pipeline, a
    /// subshell, a command substitution or a loop's condition): it waits for good.
    #[default]
    None,
    /// It blocked in its last command: once that ends, the shell ends with `$?`.
    Done,
    /// It blocked with more of the script to run: [`Shell::resume`] runs the rest.
    At(Suspended),
}

/// Where in its script a shell stopped: the script and the constructs it was inside.
/// Emulation note: what is left of its stdin is not kept; a continued script reads nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suspended {
    script: String,
    /// Innermost first.
    frames: Vec<Frame>,
}

/// A shell session: its variables, cwd and last status survive from one `run` to the next.
#[derive(Debug, Clone)]
pub struct Shell {
    pub env: BTreeMap<String, String>,
    /// Names passed to programs in their environment.
    pub exported: BTreeSet<String>,
    pub cwd: String,
    pub last_status: i32,
    pub dialect: Dialect,
    /// A prompt the learner types at (the default), or `sh -c`/`bash -c` (`false`): then
    /// messages carry line numbers as the real shells print them, and an error ends the script.
    pub interactive: bool,
    /// `$0` and the prefix of the shell's messages: `sh` or `bash`.
    pub name: String,
    /// The positional parameters `$1`... (`sh -c 'script' name args...`).
    pub args: Vec<String>,
    /// Functions defined so far (`name() { ...; }`).
    pub functions: BTreeMap<String, ast::Command>,
    /// `set -e`: a failing command ends the shell.
    pub errexit: bool,
    /// `set -u`: expanding an unset variable is an error.
    pub nounset: bool,
    /// `set -x`: each command is printed to stderr, `+ ` first, before it runs.
    pub xtrace: bool,
    /// `set -C` (`noclobber`): `>` does not overwrite an existing regular file (`>|` does).
    pub noclobber: bool,
    /// `trap ACTION SIGNAL`: the action for each signal name (`INT`, `TERM`, `EXIT`...).
    pub traps: BTreeMap<String, String>,
    /// Stdout and stderr are two pipes that a container runtime copies concurrently (a
    /// container without a terminal): what the shell writes itself between two programs
    /// reaches the reader stdout first (`echo a; echo b >&2; echo c` shows a, c, b).
    pub piped_streams: bool,
    /// The file mode creation mask (`umask`), which the shell's redirections honour.
    pub umask: u32,
    /// bash's table of where it found the programs it ran (`type` says "hashed"); assigning
    /// `PATH` empties it.
    pub hashed: BTreeMap<String, String>,
    /// How many commands ended by `&` this shell has started (`kill %N`).
    pub jobs_started: u32,
    /// `$!`: the process id of the last command started with `&`, when the host gave one.
    pub last_job: Option<u32>,
    /// `$$`: the shell's process id (1 unless the host says otherwise).
    pub pid: u32,
}

impl Shell {
    /// A shell in `cwd` whose environment (all exported) is `env`.
    pub fn new(dialect: Dialect, env: BTreeMap<String, String>, cwd: &str) -> Shell {
        let mut env = env;
        env.insert("PWD".into(), cwd.to_string());
        Shell {
            exported: layerbox_order::set(env.keys().cloned()),
            env,
            cwd: cwd.to_string(),
            last_status: 0,
            dialect,
            interactive: true,
            name: match dialect {
                Dialect::BusyBoxAsh => "sh".into(),
                Dialect::Bash => "bash".into(),
            },
            args: Vec::new(),
            functions: BTreeMap::new(),
            errexit: false,
            noclobber: false,
            nounset: false,
            xtrace: false,
            traps: BTreeMap::new(),
            piped_streams: false,
            umask: umask::DEFAULT,
            hashed: BTreeMap::new(),
            jobs_started: 0,
            last_job: None,
            pid: 1,
        }
    }

    pub(crate) fn set_var(&mut self, name: &str, value: String) {
        if name == "PATH" {
            self.hashed.clear();
        }
        self.env.insert(name.to_string(), value);
    }

    pub(crate) fn absolute(&self, path: &str) -> String {
        absolute(&self.cwd, path)
    }

    /// Parse and run input, one complete command (line) at a time, as the shells do, on a
    /// budget of its own, with nothing on stdin (a terminal's shell reads its lines, not its
    /// stdin).
    pub fn run(&mut self, input: &str, host: &mut dyn Host) -> RunResult {
        self.run_on(input, host, &Budget::default())
    }

    /// Parse and run input on `budget`, the typed line's, which every shell the line starts
    /// shares. When it runs out, the outermost shell on it ends with
    /// `NAME: stopped after 10000 loop iterations and commands (layerbox limit)` (or `after 64
    /// MiB of output`) on stderr.
    pub fn run_on(&mut self, input: &str, host: &mut dyn Host, budget: &Budget) -> RunResult {
        self.run_with_stdin(input, &[], host, budget)
    }

    /// [`Shell::run_on`] with `stdin` for the commands it runs (`sh -c '…' < file`, a pipe
    /// into `docker exec -i`); the result says how much of it they read.
    pub fn run_with_stdin(
        &mut self,
        input: &str,
        stdin: &[u8],
        host: &mut dyn Host,
        budget: &Budget,
    ) -> RunResult {
        self.run_from(input, stdin, Vec::new(), host, budget)
    }

    /// Continues a shell that blocked (its process's `sleep` has ended) from where it stopped,
    /// on `budget`; `self` is the shell as it was then.
    pub fn resume(
        &mut self,
        suspended: &Suspended,
        host: &mut dyn Host,
        budget: &Budget,
    ) -> RunResult {
        self.run_from(
            &suspended.script,
            &[],
            suspended.frames.clone(),
            host,
            budget,
        )
    }

    fn run_from(
        &mut self,
        input: &str,
        stdin: &[u8],
        resume: Vec<Frame>,
        host: &mut dyn Host,
        budget: &Budget,
    ) -> RunResult {
        let outermost = budget.enter();
        let mut result = self.run_lines(input, stdin, resume, host, budget);
        if budget.leave() {
            debug_assert!(outermost);
            let msg = budget.message(&self.name);
            result.stderr.extend_from_slice(msg.as_bytes());
            match result.transcript.last_mut() {
                Some((Stream::Stderr, buf)) => buf.extend_from_slice(msg.as_bytes()),
                _ => result.transcript.push((Stream::Stderr, msg.into_bytes())),
            }
        }
        result
    }

    fn run_lines(
        &mut self,
        input: &str,
        stdin: &[u8],
        mut resume: Vec<Frame>,
        host: &mut dyn Host,
        budget: &Budget,
    ) -> RunResult {
        // Continued: the line and the list to start from.
        let (resume_line, resume_at) = match resume.pop() {
            None => (0, 0),
            Some(Frame::Line { line, at }) => (line, at),
            Some(_) => (usize::MAX, 0),
        };
        let mut text = input.to_string();
        if !text.ends_with('\n') {
            // What the terminal sends when the learner presses Enter.
            text.push('\n');
        }
        let chars: Vec<char> = text.chars().collect();
        let single_line = text.trim_end_matches('\n').lines().count() <= 1;
        let mut lx = lex::Lexer::new(&chars);
        lx.bash = self.dialect == Dialect::Bash;
        let mut me = Interp {
            sh: self,
            host,
            transcript: Vec::new(),
            burst: 0,
            exec_fds: None,
            buffers: Vec::new(),
            budget,
            single_line,
            loops: 0,
            subst_status: None,
            subshells: 0,
            cond: 0,
            locals: Vec::new(),
            depth: 0,
            suspend: Vec::new(),
            resume,
            unresumable: false,
            tail: false,
        };
        let io = Io {
            stdin: exec::Stdin::new(stdin.to_vec()),
            out: Target::Term(Stream::Stdout),
            err: Target::Term(Stream::Stderr),
        };
        let mut exited = false;
        let mut line = 0;
        'lines: loop {
            line += 1;
            let program = match parse::parse_line(&mut lx) {
                Ok(Some(program)) => program,
                Ok(None) => break,
                Err(e) => {
                    let line_text = text.lines().nth(lx.line.saturating_sub(1)).unwrap_or("");
                    let (msg, code) = syntax_message(&me, &e, lx.line, line_text);
                    me.write(&io.err, msg.as_bytes());
                    me.sh.last_status = code;
                    break;
                }
            };
            if line < resume_line {
                // Ran before the shell blocked.
                continue;
            }
            let first = if line == resume_line { resume_at } else { 0 };
            for (at, and_or) in program.iter().enumerate().skip(first) {
                me.buffers.clear();
                if and_or.background {
                    me.sh.jobs_started += 1;
                    me.host.background(true);
                }
                // ash runs the last command of a `-c` script in place of itself (`EV_EXIT`).
                // Emulation note: only a one-line script's last command is taken as last.
                me.tail = !me.sh.interactive
                    && single_line
                    && !and_or.background
                    && at + 1 == program.len()
                    && me.sh.traps.is_empty();
                let ran = me.run_and_or(and_or, &io);
                me.tail = false;
                if and_or.background {
                    me.host.background(false);
                    if let Some(pid) = me.host.job_pid() {
                        me.sh.last_job = Some(pid);
                    }
                }
                if matches!(ran, Err(Flow::Abort(_))) && me.host.blocked() {
                    me.suspend.push(Frame::Line { line, at });
                }
                match ran {
                    Ok(status) => me.sh.last_status = status,
                    Err(Flow::Break(_) | Flow::Continue(_)) => me.sh.last_status = 0,
                    Err(Flow::Return(code)) => me.sh.last_status = code,
                    Err(Flow::Exit(code)) => {
                        me.sh.last_status = code;
                        exited = true;
                        break 'lines;
                    }
                    Err(Flow::Fail(code)) => {
                        me.sh.last_status = code;
                        if !me.sh.interactive {
                            break 'lines;
                        }
                        break;
                    }
                    Err(Flow::Abort(code)) => {
                        me.sh.last_status = code;
                        break 'lines;
                    }
                }
            }
        }
        let continuation = if !me.host.blocked() || me.unresumable || !me.resume.is_empty() {
            Continuation::None
        } else if me.suspend.is_empty() {
            Continuation::Done
        } else {
            Continuation::At(Suspended {
                script: text.clone(),
                frames: std::mem::take(&mut me.suspend),
            })
        };
        let transcript = std::mem::take(&mut me.transcript);
        let code = me.sh.last_status;
        let mut result = RunResult {
            code,
            exited,
            stdin_read: io.stdin.position(),
            continuation,
            ..RunResult::default()
        };
        for (stream, bytes) in &transcript {
            match stream {
                Stream::Stdout => result.stdout.extend_from_slice(bytes),
                Stream::Stderr => result.stderr.extend_from_slice(bytes),
            }
        }
        result.transcript = transcript;
        result
    }
}

/// Whether `input` stops inside a command: an open quote, a compound command without its end
/// (`if` without `fi`), a trailing `|`, `&&` or `\\`. An interactive shell then reads another
/// line at its `PS2` prompt (`> `) instead of reporting an error.
pub fn is_incomplete(input: &str) -> bool {
    let trimmed = input.trim_end_matches('\n');
    let backslashes = trimmed.chars().rev().take_while(|c| *c == '\\').count();
    if backslashes % 2 == 1 {
        return true;
    }
    matches!(
        parse(&format!("{input}\n")),
        Err(SyntaxError::Eof { .. } | SyntaxError::Unterminated(_))
    )
}

/// A syntax error in the shell's words, and the status it leaves.
pub(crate) fn syntax_message(
    me: &Interp<'_>,
    e: &SyntaxError,
    line: usize,
    line_text: &str,
) -> (String, i32) {
    let name = &me.sh.name;
    match me.sh.dialect {
        Dialect::BusyBoxAsh => {
            let text = match e {
                SyntaxError::Unexpected(t) if t == "newline" => "unexpected newline".to_string(),
                // ash names every redirection operator by its kind.
                SyntaxError::Unexpected(t) if lex::is_redirection(t) => {
                    "unexpected redirection".to_string()
                }
                SyntaxError::Unexpected(t) => format!("unexpected \"{t}\""),
                SyntaxError::Eof { expecting: None } => "unexpected end of file".into(),
                SyntaxError::Eof { expecting: Some(k) } => {
                    format!("unexpected end of file (expecting \"{k}\")")
                }
                SyntaxError::Unterminated('`') => "EOF in backquote substitution".into(),
                SyntaxError::Unterminated(')') => "unexpected end of file (expecting \")\")".into(),
                SyntaxError::Unterminated('}') => "missing '}'".into(),
                SyntaxError::Unterminated(_) => "unterminated quoted string".into(),
                SyntaxError::BadSubstitution(_) => "bad substitution".into(),
                SyntaxError::BadForVariable(_) => "bad for loop variable".into(),
                // Emulation note: the real shell has no nesting limit.
                SyntaxError::TooDeep => "nesting too deep (layerbox limit)".into(),
            };
            (format!("{name}: syntax error: {text}\n"), 2)
        }
        Dialect::Bash => {
            let place = if me.sh.interactive {
                format!("{name}: ")
            } else {
                format!("{name}: -c: line {line}: ")
            };
            let (text, quote_line, code) = match e {
                SyntaxError::Unexpected(t) => {
                    (format!("syntax error near unexpected token `{t}'"), true, 2)
                }
                SyntaxError::Eof { .. } => {
                    ("syntax error: unexpected end of file".into(), false, 2)
                }
                SyntaxError::Unterminated(c) => (
                    format!("unexpected EOF while looking for matching `{c}'"),
                    false,
                    2,
                ),
                SyntaxError::BadSubstitution(t) => {
                    return (format!("{name}: {t}: bad substitution\n"), 1)
                }
                SyntaxError::BadForVariable(t) => {
                    (format!("`{t}': not a valid identifier"), false, 1)
                }
                SyntaxError::TooDeep => (
                    "syntax error: nesting too deep (layerbox limit)".into(),
                    false,
                    2,
                ),
            };
            let mut msg = format!("{place}{text}\n");
            if quote_line && !me.sh.interactive {
                msg += &format!("{place}`{line_text}'\n");
            }
            (msg, code)
        }
    }
}

/// `path` made absolute against `cwd` (not normalized: the filesystem resolves `.` and `..`).
pub(crate) fn absolute(cwd: &str, path: &str) -> String {
    if path.starts_with('/') {
        path.to_string()
    } else if cwd.ends_with('/') {
        format!("{cwd}{path}")
    } else {
        format!("{cwd}/{path}")
    }
}
