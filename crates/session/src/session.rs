//! A learner's session: the Docker host, its bash in `/home/user`, and one line at a time.

use std::collections::BTreeMap;

use layerbox_engine::change::Change;
use layerbox_engine::daemon::logs::Stream as LogStream;
use layerbox_engine::host::USER_HOME;
use layerbox_fstree::{Errno, FileSystem};
use layerbox_sh::{Budget, Dialect, Shell, Stream};

use crate::host_side::HostSide;
use layerbox_docker_cli::Attach;
use layerbox_engine::world::World;
use layerbox_runtime::http::{http_get, HttpError};
use layerbox_runtime::Runtime;

/// The host prompt in the home directory ([`Session::prompt`] gives the current one).
pub const PROMPT: &str = "user@docker-host:~$ ";

/// The PATH of the host's login shell (Debian's default for a user).
const HOST_PATH: &str = "/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games";

/// The most logical time one wait between two actions may pass, in seconds: a tab left open
/// overnight passes five minutes, not a night of loop iterations.
/// Emulation note: real time passes in full.
pub const MAX_WAIT: u64 = 300;

/// What one typed line printed, its exit status and what it did to storage.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineResult {
    /// stdout and stderr in the order written.
    pub transcript: Vec<(Stream, Vec<u8>)>,
    pub code: i32,
    pub changes: Vec<Change>,
}

impl LineResult {
    /// Both streams as one text, in order.
    pub fn text(&self) -> String {
        let bytes: Vec<u8> = self
            .transcript
            .iter()
            .flat_map(|(_, b)| b.iter().copied())
            .collect();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

/// An edit the Host panel makes to the host's filesystem.
#[derive(Debug, Clone, Copy)]
pub enum HostEdit<'a> {
    /// Write (create or replace) a file.
    Write {
        path: &'a str,
        bytes: &'a [u8],
    },
    Mkdir {
        path: &'a str,
    },
    /// Remove a file or a directory with everything below it.
    Remove {
        path: &'a str,
    },
}

/// A Docker host with the learner at its shell.
#[derive(Debug, Clone)]
pub struct Session {
    /// The Docker host: the daemon's state and the host's filesystem.
    world: World,
    /// The processes that wait in running containers.
    runtime: Runtime,
    pub shell: Shell,
    /// Whether output goes to a terminal (`ls` columns); replay and tests say no.
    pub tty: bool,
    /// The container shell the terminal is attached to, if any.
    attached: Option<Attach>,
    /// Lines typed so far of a command not yet complete (an open quote, `if` without `fi`).
    pending: String,
    /// The host's bash has exited (`exit`, or Ctrl-D at its prompt).
    closed: bool,
    /// What every budget a line runs on is divided by: 1, but in tests
    /// ([`Session::scale_budgets`]).
    budget_divisor: u64,
}

impl Default for Session {
    fn default() -> Session {
        Session::new()
    }
}

impl Session {
    /// A fresh session: the sample images pulled, no containers, no volumes, an empty home, the
    /// logical clock at its fixed start.
    pub fn new() -> Session {
        let env: BTreeMap<String, String> = layerbox_order::map(
            [
                ("PATH", HOST_PATH),
                ("HOME", USER_HOME),
                ("USER", "user"),
                ("LOGNAME", "user"),
                ("LANG", "C.UTF-8"),
            ]
            .map(|(k, v)| (k.to_string(), v.to_string())),
        );
        Session {
            // The sample image definitions are checked by layerbox-images' own tests and by
            // every engine test; a fresh world cannot fail to build from them.
            world: World::new().expect("sample images build"),
            runtime: Runtime::default(),
            shell: Shell::new(Dialect::Bash, env, USER_HOME),
            tty: false,
            attached: None,
            pending: String::new(),
            closed: false,
            budget_divisor: 1,
        }
    }

    /// Runs every later line, page and wait on budgets with each limit divided by `divisor`
    /// (`Budget::scaled`: steps, the programs' work, output, and the background's steps), for
    /// tests only: a property over generated lines holds at the same rules for a fraction of
    /// the time. The limits' own messages name the scaled counts; the background's notices
    /// (`layerbox_runtime::cut_notice`) still name the full one.
    pub fn scale_budgets(&mut self, divisor: u64) {
        self.budget_divisor = divisor.max(1);
    }

    /// A typed line's budget (or a page's, or a wait's).
    fn line_budget(&self) -> Budget {
        Budget::scaled(layerbox_sh::BUDGET, self.budget_divisor)
    }

    /// Runs one typed line: at the host prompt, or in the container shell the terminal is
    /// attached to. A line that leaves a command open (an unclosed quote, `if` without `fi`, a
    /// trailing `|` or `\`) prints nothing and waits for the next line, as the shells do at
    /// their `> ` prompt.
    pub fn run_line(&mut self, line: &str) -> LineResult {
        let input = if self.pending.is_empty() {
            line.to_string()
        } else {
            format!("{}\n{line}", self.pending)
        };
        if layerbox_sh::is_incomplete(&input) {
            self.pending = input;
            return LineResult::default();
        }
        self.pending.clear();
        self.run_complete(&input)
    }

    fn run_complete(&mut self, input: &str) -> LineResult {
        // One budget for the whole line: every shell and process it starts runs on it.
        let budget = self.line_budget();
        let cut = self.catch_up();
        if !cut.is_empty() {
            let mut result = self.run_complete_caught_up(input, &budget);
            let mut transcript = Vec::new();
            self.notice_cut(&cut, &mut transcript);
            transcript.append(&mut result.transcript);
            result.transcript = transcript;
            return result;
        }
        self.run_complete_caught_up(input, &budget)
    }

    fn run_complete_caught_up(&mut self, input: &str, budget: &Budget) -> LineResult {
        if self.attached.is_some() {
            return self.run_in_container(input, budget);
        }
        let mut host = HostSide::new(&mut self.world, &mut self.runtime, self.tty, budget);
        let result = self.shell.run_on(input, &mut host, budget);
        if let Some(attach) = host.attach.take() {
            self.attached = Some(attach);
        }
        let cut = std::mem::take(&mut host.cut);
        self.world.end_host_writes();
        if result.exited {
            self.closed = true;
        }
        let mut transcript = result.transcript;
        self.notice_cut(&cut, &mut transcript);
        LineResult {
            transcript,
            code: result.code,
            changes: self.world.take_changes(),
        }
    }

    /// The learner waited `seconds` of real time before the next action (the UI measures it
    /// and records it in the session's actions, so a replay, an undo or a shared link passes
    /// the same time): the logical clock moves on by at most [`MAX_WAIT`], and the processes
    /// in running containers run on to the new time. Returns what they changed, and a notice
    /// if their work was cut short.
    pub fn wait(&mut self, seconds: u64) -> LineResult {
        self.world.advance_clock(seconds.min(MAX_WAIT));
        let mut transcript = Vec::new();
        let cut = self.catch_up();
        self.notice_cut(&cut, &mut transcript);
        LineResult {
            transcript,
            code: self.last_status(),
            changes: self.world.take_changes(),
        }
    }

    /// Runs the containers' waiting processes up to the clock's time; the containers whose
    /// work was cut short by the background budget.
    fn catch_up(&mut self) -> Vec<String> {
        let budget = Budget::scaled(layerbox_runtime::BACKGROUND_STEPS, self.budget_divisor);
        self.runtime.catch_up(&mut self.world, &budget)
    }

    /// Tells the learner which containers' processes were stopped by the background budget.
    fn notice_cut(&self, cut: &[String], transcript: &mut Vec<(Stream, Vec<u8>)>) {
        for id in cut {
            let name = self
                .world
                .containers()
                .get(id)
                .map(|c| c.name.clone())
                .unwrap_or_else(|| layerbox_engine::clock::short_id(id).to_string());
            let text = layerbox_runtime::cut_notice(&name);
            transcript.push((Stream::Stderr, text.into_bytes()));
        }
    }

    /// `$?` of the shell the terminal is at.
    fn last_status(&self) -> i32 {
        match &self.attached {
            Some(attach) => attach.shell.shell.last_status,
            None => self.shell.last_status,
        }
    }

    /// Runs input in the attached container shell; `exit` there returns to the host.
    fn run_in_container(&mut self, input: &str, budget: &Budget) -> LineResult {
        let Some(attach) = self.attached.as_mut() else {
            return LineResult::default();
        };
        let id = attach.shell.container.clone();
        let listening = self.world.listeners(&id).to_vec();
        let procs = self.runtime.table_mut(&id);
        let ran = attach
            .shell
            .run_line(&mut self.world, input, listening, procs, budget);
        let (transcript, code, exited) = match ran {
            Ok((result, started)) => {
                self.world.add_listeners(&id, started);
                if attach.main {
                    // `docker run -it`: a terminal, so both streams are its output, in order.
                    for (_, bytes) in &result.transcript {
                        self.world.log_write(&id, LogStream::Stdout, bytes);
                    }
                }
                (result.transcript, result.code, result.exited)
            }
            // The container is gone: the attached process ended with it.
            Err(_) => (Vec::new(), 137, true),
        };
        if exited {
            self.detach(code);
        }
        LineResult {
            transcript,
            code,
            changes: self.world.take_changes(),
        }
    }

    /// The attached shell ended with `code`: back to the host, whose `$?` is that code (the
    /// status of `docker exec` or `docker run`). A container's main shell stops the container
    /// (and `--rm` removes it).
    fn detach(&mut self, code: i32) {
        if let Some(attach) = self.attached.take() {
            self.runtime
                .process_ended(&attach.shell.container, attach.shell.pid);
            if attach.main {
                let _ = self.world.stop_container(&attach.shell.container, code);
            }
        }
        self.shell.last_status = code;
    }

    /// What the terminal shows before the next line: `> ` while a command is incomplete; in a
    /// container, BusyBox ash's `\w \$ ` (`/ # ` for root, `/tmp $ ` for others); on the host,
    /// Debian bash's `\u@\h:\w\$ ` (`user@docker-host:~$ `).
    pub fn prompt(&self) -> String {
        if !self.pending.is_empty() {
            return "> ".into();
        }
        if let Some(attach) = &self.attached {
            return attach.shell.prompt();
        }
        let cwd = &self.shell.cwd;
        let home = self.shell.env.get("HOME").map(String::as_str).unwrap_or("");
        let shown = match cwd.strip_prefix(home) {
            Some(rest) if !home.is_empty() && (rest.is_empty() || rest.starts_with('/')) => {
                format!("~{rest}")
            }
            _ => cwd.clone(),
        };
        format!("user@docker-host:{shown}$ ")
    }

    /// Ctrl-C at the prompt: the terminal shows `^C`, a command being typed is dropped and `$?`
    /// becomes 130, in bash and in ash alike.
    pub fn interrupt(&mut self) -> LineResult {
        self.pending.clear();
        match self.attached.as_mut() {
            Some(attach) => attach.shell.shell.last_status = 130,
            None => self.shell.last_status = 130,
        }
        LineResult {
            transcript: vec![(Stream::Stdout, b"^C\n".to_vec())],
            code: 130,
            changes: Vec::new(),
        }
    }

    /// Ctrl-D at the prompt. In a container, ash prints a newline and exits with its last
    /// status, back to the host. At the host, bash prints `exit` and ends ([`Session::closed`]).
    /// With a command half typed, the shells give up on it with their end-of-file error.
    pub fn end_of_input(&mut self) -> LineResult {
        if !self.pending.is_empty() {
            let input = std::mem::take(&mut self.pending);
            return self.run_complete(&input);
        }
        match self.attached.as_ref() {
            Some(attach) => {
                let code = attach.shell.shell.last_status;
                self.detach(code);
                LineResult {
                    transcript: vec![(Stream::Stderr, b"\n".to_vec())],
                    code,
                    changes: self.world.take_changes(),
                }
            }
            None => {
                self.closed = true;
                LineResult {
                    transcript: vec![(Stream::Stderr, b"exit\n".to_vec())],
                    code: self.shell.last_status,
                    changes: Vec::new(),
                }
            }
        }
    }

    /// The container (full id) whose shell the terminal is attached to.
    pub fn attached_container(&self) -> Option<&str> {
        self.attached.as_ref().map(|a| a.shell.container.as_str())
    }

    /// `GET path` to `localhost:port` from the host, as a browser on the host would send it:
    /// the status and body the container's server answered, or curl's words for why nothing
    /// answered (`Failed to connect to localhost port 8010 after 0 ms: Couldn't connect to
    /// server`).
    pub fn http_get(&mut self, port: u16, path: &str) -> Result<(u16, String), String> {
        let path = if path.starts_with('/') {
            path.to_string()
        } else {
            format!("/{path}")
        };
        // A page the browser panel asks for is an action of its own, with its own budget.
        let budget = self.line_budget();
        let result = match http_get(&mut self.world, "localhost", port, &path, &budget) {
            Ok((status, body)) => Ok((status, String::from_utf8_lossy(&body).into_owned())),
            Err(HttpError::Refused) => Err(format!(
                "Failed to connect to localhost port {port} after 0 ms: Couldn't connect to server"
            )),
            Err(HttpError::Reset) => Err("Recv failure: Connection reset by peer".to_string()),
        };
        // What the request did (a CGI script's writes) is reported with the next line's changes.
        result
    }

    /// A change the Host panel's editor makes, as the host user (as the terminal's `echo >`,
    /// `mkdir` and `rm -r` would): whether it worked, and the storage events it caused.
    pub fn edit_host(&mut self, edit: HostEdit<'_>) -> (Result<(), Errno>, Vec<Change>) {
        let cred = layerbox_engine::host::user_cred();
        let now = self.world.now();
        let host = self.world.host_mut();
        let done = match edit {
            HostEdit::Write { path, bytes } => host.write_file(&cred, path, bytes, 0o644, now),
            HostEdit::Mkdir { path } => host.mkdir(&cred, path, 0o755, now),
            HostEdit::Remove { path } => host.remove_all(&cred, path, now),
        };
        self.world.end_host_writes();
        (done, self.world.take_changes())
    }

    /// The storage events of what happened outside a typed line since the last call (a page the
    /// browser panel asked for, whose CGI script wrote files).
    pub fn take_changes(&mut self) -> Vec<Change> {
        self.world.take_changes()
    }

    /// The programs the host's bash runs, sorted (`docker`, `curl`, the coreutils, ...): what
    /// Tab completes a command name to.
    pub fn host_programs(&self) -> Vec<&'static str> {
        crate::host_side::programs()
    }

    /// What the session stores against its one storage limit, across the host, the layers it
    /// made, containers, volumes and tmpfs (`layerbox_engine::storage`): the page tells the
    /// learner when it is nearly full.
    pub fn storage(&self) -> layerbox_engine::storage::StorageUse {
        self.world.storage()
    }

    /// The Docker host as it is now, for views and goal checks to read.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// This session with `world` in place of its own: the web page's copy of a step its Web
    /// Worker ran, for the views and goal checks to read. Its shells and waiting processes are
    /// still this session's, not those of the session `world` came from, so it is for reading:
    /// the worker runs the next line.
    pub fn viewing(&self, world: World) -> Session {
        // Field by field: `..self.clone()` would copy this session's world only to drop it.
        Session {
            world,
            runtime: self.runtime.clone(),
            shell: self.shell.clone(),
            tty: self.tty,
            attached: self.attached.clone(),
            pending: self.pending.clone(),
            closed: self.closed,
            budget_divisor: self.budget_divisor,
        }
    }

    /// Whether the lines so far leave a command open (an unclosed quote, `if` without `fi`): the
    /// next line continues it, and the prompt is `> `.
    pub fn awaiting_more(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Drops a command left open without running it (what Ctrl-C does, without its `^C`).
    pub fn drop_pending(&mut self) {
        self.pending.clear();
    }

    /// Whether the host's bash has exited (`exit` or Ctrl-D at the host prompt).
    pub fn closed(&self) -> bool {
        self.closed
    }
}
