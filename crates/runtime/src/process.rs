//! A container's processes: its command (or `docker exec`'s) run by BusyBox ash and the
//! BusyBox tools over the container's mount namespace, as the container's user.
//!
//! Why this file is long: every way a process starts or goes on (`run`, `resume` after a
//! sleep, `run_trap`, `http_request`, the interactive shell) builds the one private
//! `ContainerSide` over the namespace and reads back what it left (`Sleeper`); keeping them
//! beside it keeps that type private to this file and `program.rs`.
//!
//! Emulation note: there is no scheduler. A process runs until it ends or blocks; `sleep` in the
//! foreground moves the logical clock. In a detached process a `sleep` blocks it until the
//! clock reaches the sleep's end, and its shell is continued from there ([`resume`],
//! `Runtime::catch_up`); `tail -f`, `httpd -f` and a `sleep` where the shell cannot be
//! continued (a pipeline, a subshell, a nested `sh -c`) block it for good.

use std::collections::BTreeMap;

pub use layerbox_engine::daemon::ports::Listener;
use layerbox_engine::mount_table::{MountEntry, Space};
use layerbox_engine::namespace::ContainerNs;
use layerbox_engine::world::World;
use layerbox_engine::EngineError;
use layerbox_fstree::passwd::Accounts;
use layerbox_fstree::{Cred, FileSystem, FileType, Store};
use layerbox_sh::{Budget, Continuation, Dialect, Output, RunResult, Shell, Stream, Suspended};
use layerbox_tools::MountInfo;

mod program;
mod su;

use crate::procs::{ProcTable, Role};

pub use program::{not_modelled, HostExec, Unmodelled, NOT_MODELLED};

/// How deep scripts may start scripts (`sh -c 'sh -c ...'`) before the process gives up.
const MAX_DEPTH: u32 = 16;

/// What to run in a container.
#[derive(Debug, Clone, Default)]
pub struct ProcessSpec {
    pub argv: Vec<String>,
    /// `-u`/`--user`; empty: the container's user.
    pub user: String,
    /// `-w`; `None`: the container's working directory.
    pub cwd: Option<String>,
    /// `-e` of `docker exec`, over the container's environment.
    pub env: Vec<String>,
    pub stdin: Vec<u8>,
    /// Started with `-d` (or `docker start` without `-a`).
    pub detached: bool,
    /// With a terminal (`-t`): the daemon sets `TERM=xterm`.
    pub tty: bool,
    /// Servers already listening in the container (what `wget http://localhost/` reaches).
    pub listening: Vec<Listener>,
    /// The logical time it starts, when the clock has already moved past it (a restart the
    /// session caught up with); `None`: now.
    pub at: Option<u64>,
    /// The container's process table to run in (`Runtime::table_for`); `None`: a table of
    /// its own (a build step's container).
    pub procs: Option<ProcTable>,
    /// It is the container's command (PID 1) or a `docker exec` process.
    pub role: Role,
}

/// How the process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    Exited(i32),
    /// Still running (a detached process that blocked).
    Running,
}

/// Why the process could not be started, in the daemon's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartError {
    Engine(EngineError),
    /// `exec: "NAME": executable file not found in $PATH`.
    NotFound(String),
    /// A path that names no file: `exec: "PATH": stat PATH: no such file or directory`.
    NoSuchFile(String),
    /// A path to something that cannot be executed (a file without an execute bit, a
    /// directory): `exec: "PATH": permission denied`.
    PermissionDenied(String),
    /// `docker exec -w DIR` into a directory that does not exist: runc's
    /// `chdir to cwd ("DIR") set in config.json failed: no such file or directory`.
    NoWorkdir(String),
}

/// How runc's refusals of an exec begin (recorded from Engine 20.10 in `exec-errors` and
/// `run-command-lookup`).
const RUNC_EXEC: &str = "OCI runtime exec failed: exec failed: unable to start container process";

impl StartError {
    /// The daemon's words for an exec that could not start (`docker exec`'s error, a health
    /// probe's log output).
    pub fn exec_message(&self) -> String {
        match self {
            StartError::Engine(e) => e.to_string(),
            StartError::NotFound(p) => {
                format!("{RUNC_EXEC}: exec: \"{p}\": executable file not found in $PATH: unknown")
            }
            StartError::NoSuchFile(p) => {
                format!("{RUNC_EXEC}: exec: \"{p}\": stat {p}: no such file or directory: unknown")
            }
            StartError::PermissionDenied(p) => {
                format!("{RUNC_EXEC}: exec: \"{p}\": permission denied: unknown")
            }
            StartError::NoWorkdir(d) => format!(
                "{RUNC_EXEC}: chdir to cwd (\"{d}\") set in config.json failed: no such file or directory: unknown"
            ),
        }
    }
}

/// What a process in a container starts with: its environment, cwd, credentials and view.
struct Prepared {
    env: BTreeMap<String, String>,
    cwd: String,
    cred: Cred,
    mounts: Vec<MountInfo>,
    hostname: String,
}

/// The environment, cwd and credentials the runtime gives a process `spec` in container `id`.
fn prepare(world: &mut World, id: &str, spec: &ProcessSpec) -> Result<Prepared, StartError> {
    let container = world
        .containers()
        .get(id)
        .ok_or_else(|| StartError::Engine(layerbox_engine::world::no_such_container(id)))?;
    let mut env_list = container.config.env.clone();
    if spec.tty {
        // The daemon adds TERM for a process with a terminal (CreateDaemonEnvironment).
        env_list.push("TERM=xterm".into());
    }
    for e in &spec.env {
        let key = e.split('=').next().unwrap_or("");
        env_list.retain(|x| x.split('=').next().unwrap_or("") != key);
        env_list.push(e.clone());
    }
    let mut env: BTreeMap<String, String> = BTreeMap::new();
    env.insert("HOSTNAME".into(), container.hostname().to_string());
    for e in &env_list {
        let (k, v) = e.split_once('=').unwrap_or((e.as_str(), ""));
        env.insert(k.to_string(), v.to_string());
    }
    let cwd = spec
        .cwd
        .clone()
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| container.config.working_dir.clone());
    let cwd = if cwd.is_empty() { "/".to_string() } else { cwd };
    let hostname = container.hostname().to_string();
    let mounts = mount_infos(world.mount_table(id).map_err(StartError::Engine)?);
    let mut cred = world
        .process_cred(id, &spec.user)
        .map_err(StartError::Engine)?;
    if cred.groups.is_empty() {
        // The runtime always lists the primary group among the supplementary ones.
        cred.groups.push(cred.gid);
    }
    env.entry("HOME".into()).or_insert_with(|| {
        if cred.uid == 0 {
            "/root".into()
        } else {
            "/".into()
        }
    });
    Ok(Prepared {
        env,
        cwd,
        cred,
        mounts,
        hostname,
    })
}

/// What a process left behind besides its output.
#[derive(Debug, Clone, Default)]
pub struct Left {
    /// Servers it started.
    pub listeners: Vec<Listener>,
    /// The shell that waits, if the process is still running.
    pub sleeper: Option<Sleeper>,
    /// The container's process table after the run.
    pub procs: ProcTable,
    /// The process's PID.
    pub pid: u32,
}

/// Runs `spec` in container `id` on `budget`, the typed line's; returns what it printed, how it
/// ended and what it left running.
pub fn run(
    world: &mut World,
    id: &str,
    spec: &ProcessSpec,
    budget: &Budget,
) -> Result<(Output, Ended, Left), StartError> {
    let (result, slept) = run_off_clock(world, id, spec, budget)?;
    world.advance_clock(slept);
    result
}

/// What a process did: its output, how it ended, what it left running; or why it did not start.
pub type Ran = Result<(Output, Ended, Left), StartError>;

/// Runs a process as [`run`] does but leaves the world's clock where it was: the seconds its
/// sleeps took come back beside its result (a health probe runs beside the session's time).
pub fn run_off_clock(
    world: &mut World,
    id: &str,
    spec: &ProcessSpec,
    budget: &Budget,
) -> Result<(Ran, u64), StartError> {
    let Prepared {
        env,
        cwd,
        cred,
        mounts,
        hostname,
    } = prepare(world, id, spec)?;
    let now = spec.at.unwrap_or_else(|| world.now());
    let detached = spec.detached;
    let checked_cwd = spec.cwd.as_ref().filter(|c| !c.is_empty()).is_some();
    let mut procs = spec.procs.clone().unwrap_or_default();
    let tty = spec.tty && !spec.detached;
    let me = match spec.role {
        Role::Exec => procs.exec(&spec.argv, cred.uid, cred.gid, now, tty),
        _ => procs.main(&spec.argv, cred.uid, cred.gid, now, tty),
    };
    let bridge = Bridge::of(world, id);
    let (result, slept) = world
        .with_container_fs(id, false, |ns| {
            // runc first changes into the working directory (one `docker exec -w` names must
            // exist; `run`'s is made by the daemon), then looks the command up as Go's
            // `exec.LookPath` does, through the container's own PATH.
            if checked_cwd && !ns.stat(&cred, &cwd).is_ok_and(|s| s.kind == FileType::Dir) {
                return (Err(StartError::NoWorkdir(cwd.clone())), 0);
            }
            if let Err(e) = look_path(
                &*ns,
                &cred,
                spec.argv.first().map(String::as_str).unwrap_or(""),
                &env,
                &cwd,
            ) {
                return (Err(e), 0);
            }
            let mut side = ContainerSide::new(ns, budget, cred, mounts, hostname, now);
            side.detached = detached;
            side.listening = spec.listening.clone();
            side.bridge = bridge;
            side.tty = tty;
            side.procs = procs;
            side.pids = vec![me];
            let out = side.run_argv(&spec.argv, &spec.stdin, &env, &cwd);
            let end = if side.blocked {
                Ended::Running
            } else {
                Ended::Exited(out.as_ref().map(|o| o.code).unwrap_or(127))
            };
            let mut sleeper = side.sleeper.take();
            if side.blocked && sleeper.is_none() {
                // The command itself waits (`sleep 30`, `tail -f`): no shell, no traps.
                sleeper = Some(Sleeper {
                    traps: BTreeMap::new(),
                    env: env.clone(),
                    cwd: cwd.clone(),
                    cred: side.cred.clone(),
                    wake: side.wake.filter(|_| side.block_depth == 0),
                    then: Then::Exit(0),
                    in_wait: false,
                    pending: Vec::new(),
                    pid: me,
                    child: None,
                });
            }
            if let Some(sleeper) = sleeper.as_mut() {
                sleeper.pid = me;
                sleeper.child = side.child;
            } else if spec.role == Role::Exec {
                side.procs.end(me);
            }
            let left = Left {
                listeners: std::mem::take(&mut side.listeners),
                sleeper,
                procs: std::mem::take(&mut side.procs),
                pid: me,
            };
            let found = out.map(|o| (o, end, left)).ok_or_else(|| {
                StartError::NotFound(spec.argv.first().cloned().unwrap_or_default())
            });
            (found, side.slept)
        })
        .map_err(StartError::Engine)?;
    Ok((result, slept))
}

/// Go's `exec.LookPath` as runc runs it for a container's command: a name with a `/` is used
/// as it is (relative to the working directory) and must be an executable file; a bare name is
/// searched on the container's `PATH` for an executable regular file.
fn look_path(
    fs: &dyn Store,
    cred: &Cred,
    name: &str,
    env: &BTreeMap<String, String>,
    cwd: &str,
) -> Result<(), StartError> {
    let executable = |st: &layerbox_fstree::Stat| st.kind == FileType::File && st.mode & 0o111 != 0;
    if name.contains('/') {
        let path = if name.starts_with('/') {
            name.to_string()
        } else {
            layerbox_fstree::path::join(cwd, name)
        };
        return match fs.stat(cred, &path) {
            Err(_) => Err(StartError::NoSuchFile(name.to_string())),
            Ok(st) if executable(&st) && cred.may(&st, layerbox_fstree::MAY_EXEC) => Ok(()),
            Ok(_) => Err(StartError::PermissionDenied(name.to_string())),
        };
    }
    let path = env.get("PATH").map(String::as_str).unwrap_or("");
    let found = path
        .split(':')
        .map(|d| {
            let dir = match d {
                "" | "." => cwd.to_string(),
                d if d.starts_with('/') => d.to_string(),
                d => layerbox_fstree::path::join(cwd, d),
            };
            layerbox_fstree::path::join(&dir, name)
        })
        .any(|p| fs.stat(cred, &p).is_ok_and(|st| executable(&st)));
    if found {
        Ok(())
    } else {
        Err(StartError::NotFound(name.to_string()))
    }
}

/// Runs on a process of container `id` whose `sleep` has ended (at its `wake` time, the
/// logical time its commands see) on `budget`: what it printed, how it ended, and what it left
/// running (`sleeper` again if it sleeps once more).
pub fn resume(
    world: &mut World,
    id: &str,
    sleeper: &Sleeper,
    procs: &mut ProcTable,
    budget: &Budget,
) -> Result<(Output, Ended, Left), StartError> {
    // The program it waited in has ended.
    if let Some(child) = sleeper.child {
        procs.end(child);
    }
    if sleeper.pending.is_empty() {
        if let Then::Exit(code) = &sleeper.then {
            return Ok((Output::default(), Ended::Exited(*code), Left::default()));
        }
    }
    let Prepared {
        mounts, hostname, ..
    } = prepare(world, id, &ProcessSpec::default())?;
    let at = sleeper.wake.unwrap_or_else(|| world.now());
    let listening = world.listeners(id).to_vec();
    let bridge = Bridge::of(world, id);
    world
        .with_container_fs(id, false, |ns| {
            let mut side =
                ContainerSide::new(ns, budget, sleeper.cred.clone(), mounts, hostname, at);
            side.detached = true;
            side.listening = listening;
            side.procs = std::mem::take(procs);
            side.pids = vec![sleeper.pid];
            side.bridge = bridge;
            let (mut shell, suspended) = match &sleeper.then {
                Then::Continue(shell, suspended) => ((**shell).clone(), Some(suspended)),
                Then::Exit(_) => {
                    let mut shell =
                        Shell::new(Dialect::BusyBoxAsh, sleeper.env.clone(), &sleeper.cwd);
                    shell.interactive = false;
                    shell.traps = sleeper.traps.clone();
                    (shell, None)
                }
            };
            let mut out = Output::default();
            side.depth = 1;
            // The program it waited for has ended: ash runs the traps of the signals that
            // arrived meanwhile, then goes on.
            for signal in &sleeper.pending {
                let Some(action) = shell.traps.get(signal).cloned() else {
                    continue;
                };
                let r = shell.run_on(&action, &mut side, budget);
                out.push_run(&r);
                out.code = r.code;
                if r.exited || budget.spent() {
                    side.depth = 0;
                    *procs = std::mem::take(&mut side.procs);
                    return (out, Ended::Exited(r.code), Left::default());
                }
            }
            let Some(suspended) = suspended else {
                side.depth = 0;
                *procs = std::mem::take(&mut side.procs);
                let code = match sleeper.then {
                    Then::Exit(code) => code,
                    Then::Continue(..) => 0,
                };
                return (out, Ended::Exited(code), Left::default());
            };
            let result = shell.resume(suspended, &mut side, budget);
            side.depth = 0;
            side.left_waiting(&shell, &result);
            let end = if side.blocked {
                Ended::Running
            } else {
                Ended::Exited(result.code)
            };
            out.push_run(&result);
            out.code = result.code;
            let mut sleeper_left = side.sleeper.take();
            if let Some(s) = sleeper_left.as_mut() {
                s.pid = side.pids.first().copied().unwrap_or(1);
                s.child = side.child;
            }
            *procs = std::mem::take(&mut side.procs);
            let left = Left {
                listeners: std::mem::take(&mut side.listeners),
                sleeper: sleeper_left,
                procs: ProcTable::default(),
                pid: side.pids.first().copied().unwrap_or(1),
            };
            (out, end, left)
        })
        .map_err(StartError::Engine)
}

/// `docker stop` delivers `signal` (`TERM`, `INT`...) to a process that waits: its shell's
/// trap for it runs on `budget`, the typed line's. Returns what the trap printed and the exit
/// status if it ended the process, or `None` when nothing traps the signal.
pub fn run_trap(
    world: &mut World,
    id: &str,
    sleeper: &Sleeper,
    signal: &str,
    budget: &Budget,
) -> Option<(Output, Option<i32>)> {
    let action = sleeper.traps.get(signal)?.clone();
    let prepared = prepare(world, id, &ProcessSpec::default()).ok()?;
    let now = world.now();
    let (result, slept) = world
        .with_container_fs(id, false, |ns| {
            let mut side = ContainerSide::new(
                ns,
                budget,
                sleeper.cred.clone(),
                prepared.mounts,
                prepared.hostname,
                now,
            );
            side.detached = true;
            let mut shell = Shell::new(Dialect::BusyBoxAsh, sleeper.env.clone(), &sleeper.cwd);
            shell.interactive = false;
            let r = shell.run_on(&action, &mut side, budget);
            let out = Output::from_run(&r);
            let exited = r.exited.then_some(r.code);
            ((out, exited), side.slept)
        })
        .ok()?;
    world.advance_clock(slept);
    Some(result)
}

/// Answers `GET path` on a server listening in container `id` (as the host's proxy passes
/// it on): the status and the body. A CGI script runs on `budget` when `runs_cgi`; otherwise
/// the answer is status 0 with layerbox's "not modelled" line.
pub fn http_request(
    world: &mut World,
    id: &str,
    listener: &Listener,
    path: &str,
    budget: &Budget,
    runs_cgi: bool,
) -> Result<(u16, Vec<u8>), StartError> {
    let Prepared {
        env,
        mounts,
        hostname,
        cred,
        ..
    } = prepare(world, id, &ProcessSpec::default())?;
    let now = world.now();
    let (result, slept) = world
        .with_container_fs(id, false, |ns| {
            let mut side = ContainerSide::new(ns, budget, cred, mounts, hostname, now);
            side.listening = vec![listener.clone()];
            side.runs_cgi = runs_cgi;
            (side.serve(&listener.home, path, &env), side.slept)
        })
        .map_err(StartError::Engine)?;
    world.advance_clock(slept);
    Ok(result)
}

/// Whether `argv` starts BusyBox ash reading commands from its terminal: `sh`, `/bin/sh`,
/// `ash`, with no script and no `-c`.
pub fn is_interactive_shell(argv: &[String]) -> bool {
    let Some(name) = argv.first() else {
        return false;
    };
    let base = name.rsplit('/').next().unwrap_or(name);
    matches!(base, "sh" | "ash")
        && argv[1..]
            .iter()
            .all(|a| a.starts_with('-') && !a.contains('c'))
}

/// BusyBox ash on the learner's terminal inside a container (`docker exec -it c sh`, `docker
/// run -it alpine`): each typed line runs in the container's namespace as the process's user,
/// with the shell's variables and cwd kept from line to line.
#[derive(Debug, Clone)]
pub struct InteractiveShell {
    /// The container's full id.
    pub container: String,
    pub shell: Shell,
    cred: Cred,
    mounts: Vec<MountInfo>,
    hostname: String,
    /// The user's home in the container's `/etc/passwd` (ash's prompt shows it as `~`).
    home: String,
    /// Its PID in the container.
    pub pid: u32,
    /// The container's process table with this shell in it, for the caller to keep
    /// (`Runtime::set_table`); taken once.
    pub procs: Option<ProcTable>,
}

impl InteractiveShell {
    /// Starts the shell `spec.argv` names in running container `id`.
    pub fn start(
        world: &mut World,
        id: &str,
        spec: &ProcessSpec,
    ) -> Result<InteractiveShell, StartError> {
        let Prepared {
            env,
            cwd,
            cred,
            mounts,
            hostname,
        } = prepare(world, id, spec)?;
        let uid = cred.uid;
        let (home, cwd_ok) = world
            .with_container_fs(id, false, |ns| {
                let home = Accounts::read(&*ns, &Cred::root())
                    .getpwuid(uid)
                    .map(|p| p.home.clone())
                    .unwrap_or_default();
                let cwd_ok = ns.stat(&cred, &cwd).is_ok_and(|s| s.kind == FileType::Dir);
                (home, cwd_ok)
            })
            .map_err(StartError::Engine)?;
        let cwd = if cwd_ok { cwd } else { "/".to_string() };
        let mut shell = Shell::new(Dialect::BusyBoxAsh, env, &cwd);
        shell.interactive = true;
        let mut procs = spec.procs.clone().unwrap_or_default();
        let now = world.now();
        let pid = match spec.role {
            Role::Exec => procs.exec(&spec.argv, cred.uid, cred.gid, now, true),
            _ => procs.main(&spec.argv, cred.uid, cred.gid, now, true),
        };
        shell.pid = pid;
        Ok(InteractiveShell {
            container: id.to_string(),
            shell,
            cred,
            mounts,
            hostname,
            home,
            pid,
            procs: Some(procs),
        })
    }

    /// Runs one typed line on `budget`, the line's; `exited` in the result says the shell has
    /// ended (`exit`). Also returns the servers the line started; `listening` are those
    /// already running.
    pub fn run_line(
        &mut self,
        world: &mut World,
        line: &str,
        listening: Vec<Listener>,
        procs: &mut ProcTable,
        budget: &Budget,
    ) -> Result<(RunResult, Vec<Listener>), EngineError> {
        let now = world.now();
        let cred = self.cred.clone();
        let mounts = self.mounts.clone();
        let hostname = self.hostname.clone();
        let shell = &mut self.shell;
        let pid = self.pid;
        let bridge = Bridge::of(world, &self.container);
        let (result, slept, started) = world.with_container_fs(&self.container, false, |ns| {
            let mut side = ContainerSide::new(ns, budget, cred, mounts, hostname, now);
            side.listening = listening;
            side.bridge = bridge;
            side.tty = true;
            side.procs = std::mem::take(procs);
            side.pids = vec![pid];
            // Each typed line is a script of its own: its programs are the shell's children.
            side.depth = 1;
            let result = shell.run_on(line, &mut side, budget);
            side.depth = 0;
            *procs = std::mem::take(&mut side.procs);
            let started = std::mem::take(&mut side.listeners);
            (result, side.slept, started)
        })?;
        world.advance_clock(slept);
        Ok((result, started))
    }

    /// BusyBox ash's default prompt `\w \$ `: the cwd (the user's home as `~`, unless the home
    /// is `/`), then `#` for root and `$` for anyone else.
    pub fn prompt(&self) -> String {
        let cwd = &self.shell.cwd;
        let home = self.home.as_str();
        let shown = match cwd.strip_prefix(home) {
            Some(rest) if home.len() > 1 && (rest.is_empty() || rest.starts_with('/')) => {
                format!("~{rest}")
            }
            _ => cwd.clone(),
        };
        let sign = if self.cred.uid == 0 { '#' } else { '$' };
        format!("{shown} {sign} ")
    }
}

/// The container's mount table for `mount` and `df`: the engine's, which `/proc/mounts` shows.
fn mount_infos(table: Vec<MountEntry>) -> Vec<MountInfo> {
    table
        .into_iter()
        .map(|m| {
            let space = m.space.unwrap_or(Space {
                blocks: 0,
                used: 0,
                avail: 0,
            });
            MountInfo {
                device: m.source,
                target: m.target,
                fstype: m.fstype,
                options: m.options,
                blocks: space.blocks,
                used: space.used,
                avail: space.avail,
            }
        })
        .collect()
}

/// One process tree inside a container's namespace.
struct ContainerSide<'a, 'b> {
    ns: &'a mut ContainerNs<'b>,
    /// The typed line's budget, which every shell of the tree runs on.
    budget: &'a Budget,
    cred: Cred,
    mounts: Vec<MountInfo>,
    hostname: String,
    now: u64,
    detached: bool,
    slept: u64,
    blocked: bool,
    depth: u32,
    /// Servers started so far (`httpd`).
    listeners: Vec<Listener>,
    /// Servers that were already listening when this process started.
    listening: Vec<Listener>,
    /// Commands ended by `&` being run now.
    background: u32,
    /// A command started with `&` runs until stopped (`wait` then waits for good).
    waiting_for: bool,
    /// The shell that waits, once the process blocks.
    sleeper: Option<Sleeper>,
    /// When the `sleep` that blocked the process ends (`None`: never, or not a `sleep`).
    wake: Option<u64>,
    /// How many shells deep the process blocked (0: the container's command itself).
    block_depth: u32,
    /// It blocked in the `wait` builtin (a signal with a trap interrupts it at once).
    in_wait: bool,
    /// Output goes to the learner's terminal (`-t`, attached): `ls` prints columns.
    tty: bool,
    /// The umask of the shell that runs a program now (it says so before each one).
    umask: u32,
    /// The container's processes while this process runs.
    procs: ProcTable,
    /// The PIDs of this process and the shells it runs, innermost last.
    pids: Vec<u32>,
    /// The next program takes the shell's own process (ash's last command, `EV_EXIT`).
    in_place: bool,
    /// The PID of the last job started with `&` (`$!`), until the shell asks for it.
    last_job: Option<u32>,
    /// When the `sleep` a background job runs ends.
    job_until: Option<u64>,
    /// The forked child the process blocked in (a loop's `sleep`).
    child: Option<u32>,
    /// The PID of the program running now (what `ps` marks as running).
    running: u32,
    /// What the process reaches on the default bridge.
    bridge: Bridge,
    /// Its httpd runs CGI scripts (not when it serves a copy, for another container).
    runs_cgi: bool,
}

/// The default bridge as a process in a container reaches it (`wget http://172.17.0.3/`): its
/// own address, and a copy of the world taken when the process started in which the other
/// containers' servers answer.
/// Emulation note: a server in another container answers from the state it had when this
/// process started, with its files only: a CGI script there is not run (it would change a copy).
#[derive(Default)]
struct Bridge {
    own: Option<String>,
    /// The addresses running containers hold.
    held: Vec<String>,
    world: Option<Box<World>>,
}

impl Bridge {
    /// Container `id`'s view of the bridge; the world is copied only when another running
    /// container on the bridge has a server.
    fn of(world: &World, id: &str) -> Bridge {
        let own = world
            .containers()
            .get(id)
            .and_then(|c| c.state.endpoint)
            .map(|e| e.ip_address());
        let others_serve = world.containers().iter().any(|(other, c)| {
            other != id && c.state.endpoint.is_some() && !world.listeners(other).is_empty()
        });
        let held = world
            .containers()
            .values()
            .filter_map(|c| c.state.endpoint.map(|e| e.ip_address()))
            .collect();
        Bridge {
            world: (own.is_some() && others_serve).then(|| Box::new(world.clone())),
            own,
            held,
        }
    }
}

/// A detached process that waits, as `docker stop` and the passing of time find it: the traps
/// its shell set, run as it runs, when it wakes and what it does then.
#[derive(Debug, Clone)]
pub struct Sleeper {
    pub traps: BTreeMap<String, String>,
    pub env: BTreeMap<String, String>,
    pub cwd: String,
    pub cred: Cred,
    /// The logical time its `sleep` ends; `None`: it waits for good (`tail -f`, `httpd -f`,
    /// `wait` for a command started with `&`, a `sleep` it cannot be continued after).
    pub wake: Option<u64>,
    /// What the process does when it wakes.
    pub then: Then,
    /// It waits in ash's `wait` builtin, which a trapped signal interrupts at once; otherwise
    /// it waits for a program in the foreground (`sleep`), and ash runs the trap only when
    /// that program has ended.
    pub in_wait: bool,
    /// Signals with a trap that arrived while it waited for a program: ash runs their traps,
    /// in order, when the program ends.
    pub pending: Vec<String>,
    /// Its PID in the container.
    pub pid: u32,
    /// The child it waits in (a `sleep` it forked), if not itself.
    pub child: Option<u32>,
}

/// What a waiting process does once its `sleep` ends.
#[derive(Debug, Clone)]
pub enum Then {
    /// It ends with this status (its last command was the `sleep`).
    Exit(i32),
    /// Its main shell runs on from where it stopped.
    Continue(Box<Shell>, Suspended),
}

impl<'a, 'b> ContainerSide<'a, 'b> {
    /// A fresh process tree in `ns`: in the foreground, no servers, no terminal.
    fn new(
        ns: &'a mut ContainerNs<'b>,
        budget: &'a Budget,
        cred: Cred,
        mounts: Vec<MountInfo>,
        hostname: String,
        now: u64,
    ) -> ContainerSide<'a, 'b> {
        ContainerSide {
            ns,
            budget,
            cred,
            mounts,
            hostname,
            now,
            detached: false,
            slept: 0,
            blocked: false,
            depth: 0,
            listeners: Vec::new(),
            listening: Vec::new(),
            background: 0,
            waiting_for: false,
            sleeper: None,
            wake: None,
            block_depth: 0,
            in_wait: false,
            tty: false,
            umask: layerbox_tools::DEFAULT_UMASK,
            procs: ProcTable::default(),
            pids: Vec::new(),
            in_place: false,
            last_job: None,
            job_until: None,
            child: None,
            running: 0,
            bridge: Bridge::default(),
            runs_cgi: true,
        }
    }
}

/// A program's output as the shell relays it. BusyBox's applets print through stdio, which
/// buffers a pipe's (or terminal's) stdout until the program ends but writes stderr at once:
/// its messages come before its output (but layerbox's note that the output stopped at its
/// limit after it).
fn to_sh(out: layerbox_tools::Output) -> Output {
    let note = out.limit_note_len();
    let order = [
        (Stream::Stderr, out.stderr.len() - note),
        (Stream::Stdout, out.stdout.len()),
        (Stream::Stderr, note),
    ]
    .into_iter()
    .filter(|(_, n)| *n > 0)
    .collect();
    Output {
        stderr_first: Vec::new(),
        stdin_used: None,
        stdout: out.stdout,
        stderr: out.stderr,
        code: out.code,
        order,
    }
}

impl ContainerSide<'_, '_> {
    /// BusyBox `httpd [-f] [-p [IP:]PORT] [-h HOME] | -d STRING`: starts serving (in the
    /// background, or blocking in the foreground with `-f`); `-d` URL-decodes STRING.
    /// Emulation note: in a process that is not detached, `httpd -f` returns at once.
    fn httpd(&mut self, args: &[String], cwd: &str) -> Output {
        let mut port = 80;
        let mut home = cwd.to_string();
        let mut foreground = false;
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "-f" => foreground = true,
                "-p" => {
                    let v = it.next().cloned().unwrap_or_default();
                    let n = v.rsplit(':').next().unwrap_or("");
                    port = n.parse().unwrap_or(80);
                }
                "-h" => home = it.next().cloned().unwrap_or_default(),
                "-d" => {
                    let v = it.next().cloned().unwrap_or_default();
                    return Output {
                        stdout: crate::http::percent_decode(&v).into_bytes(),
                        ..Output::default()
                    };
                }
                "-v" | "-vv" | "-i" => {}
                "-c" | "-r" | "-u" | "-m" | "-e" => {
                    it.next();
                }
                _ => {}
            }
        }
        if !home.starts_with('/') {
            home = layerbox_fstree::path::join(cwd, &home);
        }
        self.listeners.push(Listener { port, home });
        if foreground {
            self.block();
        }
        Output::default()
    }

    /// The process reaches a program that runs until stopped. Started with `&`, it runs on in
    /// the background (until `wait`); in a detached process the process now waits for good.
    /// Emulation note: in the foreground of an attached `docker run`, it returns at once.
    fn block(&mut self) {
        if self.background > 0 {
            self.waiting_for = true;
        } else if self.detached {
            self.blocked = true;
            self.block_depth = self.depth;
        }
    }

    /// `sleep SECONDS` in a detached process: it blocks until the logical clock reaches the
    /// end of the sleep (for good if it is infinite).
    /// Emulation note: the clock counts whole seconds; `sleep 0.5` ends after one.
    pub(super) fn sleep_detached(&mut self, seconds: f64) {
        if self.background > 0 && seconds.is_finite() {
            let whole = seconds.ceil().clamp(0.0, 1e12) as u64;
            self.job_until = Some(self.now.saturating_add(self.slept).saturating_add(whole));
        }
        self.block();
        if self.blocked && seconds.is_finite() {
            let whole = seconds.ceil().clamp(0.0, 1e12) as u64;
            self.wake = Some(self.now.saturating_add(self.slept).saturating_add(whole));
        }
    }

    /// BusyBox `wget [-q] [-O FILE|-] URL` to a server in this container (`localhost`).
    /// Emulation note: only `-q` runs are modelled; other hosts cannot be resolved.
    fn wget(&mut self, args: &[String], env: &BTreeMap<String, String>, cwd: &str) -> Output {
        let request = crate::http::WgetArgs::parse(args);
        let quiet = request.quiet;
        let url = request.url.clone();
        let fail = |text: String| Output {
            stderr: text.into_bytes(),
            code: 1,
            ..Output::default()
        };
        let Some(url) = url else {
            return fail("BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[--no-check-certificate] [-P DIR] [-U AGENT] [-T SEC] URL...\n".into());
        };
        let Some(target) = crate::http::Url::parse(&url) else {
            return fail(format!("wget: bad address '{url}'\n"));
        };
        if !quiet {
            return fail("layerbox: wget without -q is not modelled\n".into());
        }
        let host = target.host.as_str();
        let own = self.bridge.own.as_deref() == Some(host);
        let (status, body) = if matches!(host, "localhost" | "127.0.0.1") || own {
            let Some(listener) = self
                .listening
                .iter()
                .chain(&self.listeners)
                .find(|l| l.port == target.port)
                .cloned()
            else {
                let shown = if own { host } else { "127.0.0.1" };
                return fail(format!(
                    "wget: can't connect to remote host ({shown}): Connection refused\n"
                ));
            };
            self.serve(&listener.home, &target.path, env)
        } else if host.starts_with("172.17.") && host != "172.17.0.1" {
            match self.bridge_get(host, target.port, &target.path) {
                Ok(answer) => answer,
                Err(out) => return out,
            }
        } else if host.parse::<std::net::Ipv4Addr>().is_ok() {
            return Output {
                stderr: format!(
                    "layerbox: wget to {host} is not modelled (only servers in containers on the default bridge answer)\n"
                )
                .into_bytes(),
                code: NOT_MODELLED,
                ..Output::default()
            };
        } else {
            return fail(format!("wget: bad address '{host}'\n"));
        };
        if status >= 400 {
            return fail(format!(
                "wget: server returned error: HTTP/1.1 {status} {}\n",
                crate::http::reason(status)
            ));
        }
        match request.output.as_deref() {
            Some("-") => Output {
                stdout: body,
                ..Output::default()
            },
            _ => {
                let name = request.file_name(&target.path, false);
                let path = layerbox_fstree::path::join(cwd, &name);
                let path = if name.starts_with('/') {
                    name.clone()
                } else {
                    path
                };
                match self
                    .ns
                    .write_file(&self.cred, &path, &body, 0o644, self.now)
                {
                    Ok(()) => Output::default(),
                    Err(e) => fail(format!("wget: can't open '{name}': {e}\n")),
                }
            }
        }
    }

    /// `GET path` to `ip:port` on the default bridge, answered by the server of the container
    /// that holds the address; `Err` is wget's output when nothing answers there.
    fn bridge_get(&mut self, ip: &str, port: u16, path: &str) -> Result<(u16, Vec<u8>), Output> {
        let fail = |why: &str| Output {
            stderr: format!("wget: can't connect to remote host ({ip}): {why}\n").into_bytes(),
            code: 1,
            ..Output::default()
        };
        if self.bridge.own.is_none() {
            return Err(fail("Network is unreachable"));
        }
        if !self.bridge.held.iter().any(|h| h == ip) {
            return Err(fail("No route to host"));
        }
        let Some(world) = self.bridge.world.as_deref_mut() else {
            // No other container has a server.
            return Err(fail("Connection refused"));
        };
        let Some(id) = world.container_at(ip).map(str::to_string) else {
            return Err(fail("No route to host"));
        };
        let Some(listener) = world
            .listeners(&id)
            .iter()
            .find(|l| l.port == port)
            .cloned()
        else {
            return Err(fail("Connection refused"));
        };
        match http_request(world, &id, &listener, path, self.budget, false) {
            Ok((0, message)) => Err(Output {
                stderr: message,
                code: NOT_MODELLED,
                ..Output::default()
            }),
            Ok(answer) => Ok(answer),
            Err(_) => Err(fail("Connection reset by peer")),
        }
    }

    /// BusyBox httpd answering `GET path_and_query` from document root `home`: a file, a
    /// directory's `index.html`, else its `cgi-bin/index.cgi`, or a CGI script under
    /// `/cgi-bin/`. Returns the status and the body.
    fn serve(
        &mut self,
        home: &str,
        path_and_query: &str,
        env: &BTreeMap<String, String>,
    ) -> (u16, Vec<u8>) {
        let (raw_path, query) = path_and_query
            .split_once('?')
            .unwrap_or((path_and_query, ""));
        let mut parts: Vec<String> = Vec::new();
        for part in crate::http::percent_decode(raw_path).split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                p => parts.push(p.to_string()),
            }
        }
        let url_path = format!("/{}", parts.join("/"));
        let root = Cred::root();
        let file = |p: &str| format!("{}{}", home.trim_end_matches('/'), p);
        let stat = |side: &Self, p: &str| side.ns.stat(&root, &file(p)).ok().map(|s| s.kind);
        let cgi = if url_path.starts_with("/cgi-bin/") {
            Some(url_path.clone())
        } else {
            match stat(self, &url_path) {
                Some(FileType::Dir) => {
                    let dir = if url_path == "/" {
                        String::new()
                    } else {
                        url_path.clone()
                    };
                    let index = format!("{dir}/index.html");
                    if stat(self, &index) == Some(FileType::File) {
                        return self.serve_file(&file(&index));
                    }
                    Some("/cgi-bin/index.cgi".to_string())
                }
                Some(_) => return self.serve_file(&file(&url_path)),
                None => None,
            }
        };
        let Some(script) = cgi.filter(|s| stat(self, s) == Some(FileType::File)) else {
            return (404, crate::http::NOT_FOUND_PAGE.as_bytes().to_vec());
        };
        if !self.runs_cgi {
            return (
                0,
                b"layerbox: a CGI script reached from another container is not modelled\n".to_vec(),
            );
        }
        let mut cgi_env = env.clone();
        for (k, v) in [
            ("REQUEST_METHOD", "GET"),
            ("QUERY_STRING", query),
            ("REQUEST_URI", path_and_query),
            ("SCRIPT_NAME", script.as_str()),
            ("SERVER_PROTOCOL", "HTTP/1.1"),
            ("GATEWAY_INTERFACE", "CGI/1.1"),
            ("REMOTE_ADDR", "172.17.0.1"),
        ] {
            cgi_env.insert(k.to_string(), v.to_string());
        }
        let path = file(&script);
        let dir = layerbox_fstree::path::split(&path)
            .map(|(d, _)| d.to_string())
            .unwrap_or_else(|| "/".into());
        let saved = std::mem::replace(&mut self.cred, root);
        let out = self.run_argv(std::slice::from_ref(&path), &[], &cgi_env, &dir);
        self.cred = saved;
        match out {
            Some(out) => crate::http::parse_cgi(&out.stdout),
            None => (500, Vec::new()),
        }
    }

    fn serve_file(&mut self, path: &str) -> (u16, Vec<u8>) {
        match self.ns.read_file(&Cred::root(), path) {
            Ok(bytes) => (200, bytes.to_vec()),
            Err(_) => (403, crate::http::FORBIDDEN_PAGE.as_bytes().to_vec()),
        }
    }

    /// `sh [-c SCRIPT [NAME [ARGS...]] | FILE [ARGS...]]`.
    fn run_sh(
        &mut self,
        name: &str,
        args: &[String],
        stdin: &[u8],
        env: &BTreeMap<String, String>,
        cwd: &str,
    ) -> Output {
        match args.first().map(String::as_str) {
            Some("-c") => match args.get(1) {
                Some(script) => {
                    let mut positional = args[2..].to_vec();
                    if positional.is_empty() {
                        positional.push(name.to_string());
                    }
                    self.run_script(script, &positional, stdin, env, cwd)
                }
                None => Output {
                    stderr: b"sh: -c requires an argument\n".to_vec(),
                    code: 2,
                    ..Output::default()
                },
            },
            Some(file) if file != "-s" => {
                let path = if file.starts_with('/') {
                    file.to_string()
                } else {
                    layerbox_fstree::path::join(cwd, file)
                };
                match self.ns.read_file(&self.cred, &path) {
                    Ok(content) => {
                        let text = String::from_utf8_lossy(&content).into_owned();
                        self.run_script(&text, args, stdin, env, cwd)
                    }
                    Err(e) => Output {
                        stderr: format!("sh: can't open '{file}': {e}\n").into_bytes(),
                        code: 2,
                        ..Output::default()
                    },
                }
            }
            // `sh -s [ARG…]`, or a shell with no operand: its commands come from stdin.
            Some(_) | None => {
                let text = String::from_utf8_lossy(stdin).into_owned();
                let mut positional = vec![name.to_string()];
                positional.extend(args.iter().skip(1).cloned());
                let mut out = self.run_script(&text, &positional, &[], env, cwd);
                // It read its commands from stdin, to the end.
                out.stdin_used = Some(stdin.len());
                out
            }
        }
    }

    /// Runs script text in a fresh BusyBox ash; `positional[0]` is `$0`.
    fn run_script(
        &mut self,
        script: &str,
        positional: &[String],
        stdin: &[u8],
        env: &BTreeMap<String, String>,
        cwd: &str,
    ) -> Output {
        if self.depth >= MAX_DEPTH {
            return Output {
                stderr: b"sh: can't fork: Resource temporarily unavailable\n".to_vec(),
                code: 2,
                ..Output::default()
            };
        }
        let mut shell = Shell::new(Dialect::BusyBoxAsh, env.clone(), cwd);
        shell.interactive = false;
        shell.piped_streams = !self.tty;
        // A child shell inherits its parent's umask.
        shell.umask = self.umask;
        if let Some(zero) = positional.first() {
            shell.name = zero.clone();
        }
        shell.pid = self.pids.last().copied().unwrap_or(1);
        shell.args = positional.iter().skip(1).cloned().collect();
        self.depth += 1;
        let budget = self.budget;
        let result = shell.run_with_stdin(script, stdin, self, budget);
        self.depth -= 1;
        self.left_waiting(&shell, &result);
        Output {
            stdin_used: Some(result.stdin_read),
            ..Output::from_run(&result)
        }
    }

    /// After a shell's run: if the process now waits, the innermost shell that waits is what
    /// `docker stop` finds (its traps), and the container's own shell (depth 0 now) is what
    /// runs on when the `sleep` it blocked in ends.
    fn left_waiting(&mut self, shell: &Shell, result: &RunResult) {
        if !self.blocked {
            return;
        }
        if self.sleeper.is_none() {
            self.sleeper = Some(Sleeper {
                traps: shell.traps.clone(),
                env: layerbox_order::map(
                    shell
                        .env
                        .iter()
                        .filter(|(k, _)| shell.exported.contains(*k))
                        .map(|(k, v)| (k.clone(), v.clone())),
                ),
                cwd: shell.cwd.clone(),
                cred: self.cred.clone(),
                wake: None,
                then: Then::Exit(result.code),
                in_wait: self.in_wait,
                pending: Vec::new(),
                pid: self.pids.first().copied().unwrap_or(1),
                child: None,
            });
        }
        // The container's own shell blocked in itself (not in a shell it started): it can be
        // continued once the sleep ends.
        if self.depth == 0 && self.block_depth == 1 {
            if let Some(sleeper) = self.sleeper.as_mut() {
                sleeper.traps = shell.traps.clone();
                match &result.continuation {
                    Continuation::Done => {
                        sleeper.wake = self.wake;
                        sleeper.then = Then::Exit(result.code);
                    }
                    Continuation::At(suspended) => {
                        sleeper.wake = self.wake;
                        sleeper.then = Then::Continue(Box::new(shell.clone()), suspended.clone());
                    }
                    Continuation::None => {}
                }
            }
        }
    }
}

impl layerbox_sh::Host for ContainerSide<'_, '_> {
    fn exec(
        &mut self,
        argv: &[String],
        stdin: &[u8],
        env: &BTreeMap<String, String>,
        cwd: &str,
    ) -> Option<Output> {
        self.run_argv(argv, stdin, env, cwd)
    }

    fn fs(&mut self) -> (&mut dyn Store, &Cred, u64) {
        let now = self.now + self.slept;
        (&mut *self.ns, &self.cred, now)
    }

    fn blocked(&self) -> bool {
        self.blocked
    }

    fn background(&mut self, start: bool) {
        if start {
            self.background += 1;
        } else {
            self.background = self.background.saturating_sub(1);
        }
    }

    fn wait(&mut self) {
        if std::mem::take(&mut self.waiting_for) && self.detached {
            self.blocked = true;
            self.block_depth = self.depth;
            self.in_wait = true;
        }
    }

    fn umask(&mut self, mask: u32) {
        self.umask = mask;
    }

    fn job_pid(&mut self) -> Option<u32> {
        self.last_job.take()
    }

    fn wait_for(&mut self, pid: u32) -> Option<i32> {
        let signal = self
            .procs
            .ended_by
            .iter()
            .find(|(p, _)| *p == pid)
            .map(|(_, s)| *s)?;
        Some(128 + i32::try_from(signal).unwrap_or(0))
    }

    fn in_place(&mut self, in_place: bool) {
        self.in_place = in_place;
    }
}
