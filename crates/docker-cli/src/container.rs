//! `docker run|create|start|stop|rm|ps|exec|diff|logs|commit`.

use std::collections::BTreeMap;

use layerbox_engine::container::{Container, Status};
use layerbox_engine::daemon::logs::Stream as LogStream;
use layerbox_engine::world::{CreateRequest, World};
use layerbox_sh::Output;

use super::flags::{option, switch, Command, Matches};
use super::mount_flag::{classify_volume, parse_mount, VolumeArg};
use super::reply::{self, check_args, daemon_error, line, run_error, usage_error, Arity};
use super::value::{go_quote, s, Value};
use super::{table, Cli};
use layerbox_runtime::process::{self, Ended, ProcessSpec, StartError};

const CREATE_FLAGS: &[super::flags::Flag] = &[
    option("name", None),
    switch("detach", Some('d')),
    switch("interactive", Some('i')),
    switch("tty", Some('t')),
    switch("rm", None),
    option("volume", Some('v')),
    option("mount", None),
    option("tmpfs", None),
    option("volumes-from", None),
    switch("read-only", None),
    option("workdir", Some('w')),
    option("user", Some('u')),
    option("env", Some('e')),
    option("entrypoint", None),
    option("label", Some('l')),
    option("publish", Some('p')),
];

const CREATE_NOT_MODELLED: &[&str] = &[
    "network",
    "net",
    "hostname",
    "restart",
    "memory",
    "cpus",
    "privileged",
    "cap-add",
    "cap-drop",
    "env-file",
    "pull",
    "platform",
    "init",
    "expose",
    "link",
    "add-host",
    "dns",
    "device",
    "ulimit",
    "health-cmd",
    "stop-signal",
    "stop-timeout",
    "publish-all",
    "log-driver",
    "security-opt",
    "storage-opt",
    "shm-size",
    "ipc",
    "pid",
    "userns",
    "volume-driver",
];

pub const RUN: Command = Command {
    path: "run",
    usage: "docker run [OPTIONS] IMAGE [COMMAND] [ARG...]",
    flags: CREATE_FLAGS,
    interspersed: false,
    not_modelled: CREATE_NOT_MODELLED,
};

pub const CREATE: Command = Command {
    path: "create",
    usage: "docker create [OPTIONS] IMAGE [COMMAND] [ARG...]",
    flags: CREATE_FLAGS,
    interspersed: false,
    not_modelled: CREATE_NOT_MODELLED,
};

pub const START: Command = Command {
    path: "start",
    usage: "docker start [OPTIONS] CONTAINER [CONTAINER...]",
    flags: &[
        switch("attach", Some('a')),
        switch("interactive", Some('i')),
    ],
    interspersed: true,
    not_modelled: &["checkpoint", "checkpoint-dir", "detach-keys"],
};

pub const STOP: Command = Command {
    path: "stop",
    usage: "docker stop [OPTIONS] CONTAINER [CONTAINER...]",
    flags: &[option("time", Some('t')), option("signal", Some('s'))],
    interspersed: true,
    not_modelled: &[],
};

pub const RM: Command = Command {
    path: "rm",
    usage: "docker rm [OPTIONS] CONTAINER [CONTAINER...]",
    flags: &[switch("force", Some('f')), switch("volumes", Some('v'))],
    interspersed: true,
    not_modelled: &["link/l"],
};

pub const PS: Command = Command {
    path: "ps",
    usage: "docker ps [OPTIONS]",
    flags: &[
        switch("all", Some('a')),
        switch("quiet", Some('q')),
        option("format", None),
        switch("no-trunc", None),
        option("filter", Some('f')),
        switch("size", Some('s')),
    ],
    interspersed: true,
    not_modelled: &["last/n", "latest/l"],
};

pub const EXEC: Command = Command {
    path: "exec",
    usage: "docker exec [OPTIONS] CONTAINER COMMAND [ARG...]",
    flags: &[
        switch("detach", Some('d')),
        switch("interactive", Some('i')),
        switch("tty", Some('t')),
        option("user", Some('u')),
        option("workdir", Some('w')),
        option("env", Some('e')),
    ],
    interspersed: false,
    not_modelled: &["privileged", "env-file", "detach-keys"],
};

pub const DIFF: Command = Command {
    path: "diff",
    usage: "docker diff CONTAINER",
    flags: &[],
    interspersed: true,
    not_modelled: &[],
};

pub const LOGS: Command = Command {
    path: "logs",
    usage: "docker logs [OPTIONS] CONTAINER",
    flags: &[],
    interspersed: true,
    not_modelled: &[
        "follow/f",
        "tail/n",
        "timestamps/t",
        "since",
        "until",
        "details",
    ],
};

pub const COMMIT: Command = Command {
    path: "commit",
    usage: "docker commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]",
    flags: &[
        option("message", Some('m')),
        option("author", Some('a')),
        option("change", Some('c')),
        switch("pause", Some('p')),
    ],
    interspersed: true,
    not_modelled: &[],
};

/// Stage two for `run`/`create`: the request the CLI sends, or its error (already worded).
fn create_request(cli: &Cli<'_>, cmd: &Command, m: &Matches) -> Result<CreateRequest, Output> {
    check_args(cmd, &m.args, Arity::AtLeast(1))?;
    let mut req = CreateRequest {
        image: m.args[0].clone(),
        name: m.last("name").map(str::to_string),
        tty: m.on("tty"),
        open_stdin: m.on("interactive"),
        // `create` has no `-d`: the CLI attaches unless `run -d` says otherwise.
        attached: !m.on("detach"),
        read_only: m.on("read-only"),
        auto_remove: m.on("rm"),
        working_dir: m.last("workdir").map(str::to_string),
        user: m.last("user").map(str::to_string),
        volumes_from: m.all("volumes-from"),
        ..CreateRequest::default()
    };
    if m.args.len() > 1 {
        req.cmd = Some(m.args[1..].to_vec());
    }
    if let Some(ep) = m.last("entrypoint") {
        req.entrypoint = Some(if ep.is_empty() {
            Vec::new()
        } else {
            vec![ep.to_string()]
        });
    }
    for e in m.all("env") {
        if e.contains('=') {
            req.env.push(e);
        } else if let Some(v) = cli.env.get(&e) {
            req.env.push(format!("{e}={v}"));
        }
    }
    for l in m.all("label") {
        let (k, v) = l.split_once('=').unwrap_or((l.as_str(), ""));
        req.labels.insert(k.to_string(), v.to_string());
    }
    for v in m.all("volume") {
        match classify_volume(&v, cli.cwd) {
            Ok(VolumeArg::Anonymous(t)) => req.anonymous_volumes.push(t),
            Ok(VolumeArg::Bind(b)) => req.binds.push(b),
            Err(e) => return Err(run_error(cmd, &e, 125)),
        }
    }
    for raw in m.all("mount") {
        match parse_mount(&raw, cli.cwd) {
            Ok(spec) => req.mounts.push(spec),
            Err(e) => {
                return Err(usage_error(
                    cmd,
                    &format!("invalid argument \"{raw}\" for \"--mount\" flag: {e}"),
                ))
            }
        }
    }
    for p in m.all("publish") {
        match super::port::parse_publish(&p) {
            Ok(bindings) => req.ports.extend(bindings),
            Err(e) => return Err(run_error(cmd, &e, 125)),
        }
    }
    for t in m.all("tmpfs") {
        let (dst, opts) = t.split_once(':').unwrap_or((t.as_str(), ""));
        req.tmpfs.push((dst.to_string(), opts.to_string()));
    }
    Ok(req)
}

/// The container's process: entrypoint then command.
fn container_argv(c: &Container) -> Vec<String> {
    c.config
        .entrypoint
        .iter()
        .chain(c.config.cmd.iter())
        .cloned()
        .collect()
}

/// What `docker create` shares with `run`: the request, then the daemon's create.
fn create_container(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Result<String, Output> {
    let req = create_request(cli, cmd, m)?;
    match cli.world.create_container(&req) {
        Ok(id) => Ok(id),
        Err(e) => Err(if cmd.path == "run" {
            run_error(cmd, &format!("Error response from daemon: {e}"), 125)
        } else {
            let mut out = Output::default();
            daemon_error(&mut out, &e);
            out
        }),
    }
}

fn not_found_message(program: &str) -> String {
    format!(
        "failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: \"{program}\": executable file not found in $PATH: unknown"
    )
}

/// Starts container `id` and runs its process; output, and how it ended.
fn start_and_run(cli: &mut Cli<'_>, id: &str, detached: bool) -> Result<(Output, Ended), String> {
    super::port::start_container(cli, id)?;
    let world = &mut cli.world;
    let Some(c) = world.containers().get(id) else {
        return Ok((Output::default(), Ended::Exited(0)));
    };
    let spec = ProcessSpec {
        argv: container_argv(c),
        detached,
        tty: c.config.tty,
        ..ProcessSpec::default()
    };
    if spec.argv.is_empty() {
        let _ = world.stop_container(id, 0);
        return Err("no command specified".into());
    }
    if detached && c.config.tty && c.config.open_stdin && process::is_interactive_shell(&spec.argv)
    {
        // `docker run -dit alpine`: the shell waits on its terminal, the container runs on.
        return Ok((Output::default(), Ended::Running));
    }
    match process::run(world, id, &spec) {
        Ok((out, end, left)) => {
            cli.world.add_listeners(id, left.listeners);
            if let Some(sleeper) = left.sleeper {
                cli.runtime.wait(id, sleeper);
            }
            log_output(cli, id, &out);
            if let Ended::Exited(code) = end {
                let _ = cli.world.stop_container(id, code);
            }
            Ok((out, end))
        }
        Err(StartError::Engine(e)) => {
            let _ = cli.world.stop_container(id, 126);
            Err(e.to_string())
        }
        Err(StartError::NotFound(p)) => {
            let _ = cli.world.stop_container(id, 127);
            Err(not_found_message(&p))
        }
    }
}

/// Starts container `id` with its shell attached to the terminal (`docker run -it alpine`,
/// `docker start -ai c`), when its process is an interactive shell; `None` otherwise.
fn start_attached(cli: &mut Cli<'_>, id: &str) -> Option<Result<(), String>> {
    let c = cli.world.containers().get(id)?;
    let argv = container_argv(c);
    if !(c.config.tty && c.config.open_stdin && process::is_interactive_shell(&argv)) {
        return None;
    }
    if let Err(e) = super::port::start_container(cli, id) {
        return Some(Err(e));
    }
    let world = &mut cli.world;
    let spec = ProcessSpec {
        argv,
        tty: true,
        ..ProcessSpec::default()
    };
    Some(match process::InteractiveShell::start(world, id, &spec) {
        Ok(shell) => {
            cli.attach = Some(crate::Attach { shell, main: true });
            Ok(())
        }
        Err(e) => {
            let _ = world.stop_container(id, 126);
            Err(match e {
                StartError::Engine(e) => e.to_string(),
                StartError::NotFound(p) => not_found_message(&p),
            })
        }
    })
}

pub fn run(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    let id = match create_container(cli, cmd, m) {
        Ok(id) => id,
        Err(out) => return out,
    };
    let detached = m.on("detach");
    if !detached {
        match start_attached(cli, &id) {
            Some(Ok(())) => return Output::default(),
            Some(Err(e)) => {
                return run_error(cmd, &format!("Error response from daemon: {e}"), 125)
            }
            None => {}
        }
    }
    let mut out = Output::default();
    if detached {
        line(&mut out, &id);
    }
    match start_and_run(cli, &id, detached) {
        Ok((proc_out, end)) => {
            if !detached {
                out.stdout.extend_from_slice(&proc_out.stdout);
                out.stderr.extend_from_slice(&proc_out.stderr);
                if let Ended::Exited(code) = end {
                    out.code = code;
                }
            }
        }
        Err(e) => {
            let code = if e.contains("executable file not found") {
                127
            } else if e.contains("permission denied") {
                126
            } else {
                125
            };
            let mut err = run_error(cmd, &format!("Error response from daemon: {e}"), code);
            err.stdout = out.stdout;
            return err;
        }
    }
    out
}

pub fn create(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    match create_container(cli, cmd, m) {
        Ok(id) => {
            let mut out = Output::default();
            line(&mut out, id);
            out
        }
        Err(out) => out,
    }
}

pub fn start(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    if let Err(out) = check_args(cmd, &m.args, Arity::AtLeast(1)) {
        return out;
    }
    let attach = m.on("attach");
    let mut out = Output::default();
    let mut errors = Vec::new();
    for r in &m.args {
        let id = match cli.world.container_id(r) {
            Ok(id) => id,
            Err(e) => {
                errors.push(format!("Error response from daemon: {e}"));
                continue;
            }
        };
        let running = cli
            .world
            .containers()
            .get(&id)
            .is_some_and(|c| c.state.status == Status::Running);
        if !running && attach && m.on("interactive") && m.args.len() == 1 {
            match start_attached(cli, &id) {
                Some(Ok(())) => return out,
                Some(Err(e)) => {
                    errors.push(format!("Error response from daemon: {e}"));
                    continue;
                }
                None => {}
            }
        }
        if !running {
            match start_and_run(cli, &id, !attach) {
                Ok((proc_out, end)) if attach => {
                    out.stdout.extend_from_slice(&proc_out.stdout);
                    out.stderr.extend_from_slice(&proc_out.stderr);
                    if let Ended::Exited(code) = end {
                        out.code = code;
                    }
                    continue;
                }
                Ok(_) => {}
                Err(e) => {
                    errors.push(format!("Error response from daemon: {e}"));
                    continue;
                }
            }
        }
        if !attach {
            line(&mut out, r);
        }
    }
    if !errors.is_empty() {
        for e in errors {
            reply::err_line(&mut out, e);
        }
        reply::err_line(
            &mut out,
            "Error: failed to start containers: ".to_string() + &m.args.join(", "),
        );
        out.code = 1;
    }
    out
}

/// A signal name as the daemon takes it (`SIGINT`, `int`, `2` are `INT`); `None` if unknown.
fn signal_name(text: &str) -> Option<String> {
    const SIGNALS: &[(&str, u32)] = &[
        ("HUP", 1),
        ("INT", 2),
        ("QUIT", 3),
        ("ILL", 4),
        ("TRAP", 5),
        ("ABRT", 6),
        ("BUS", 7),
        ("FPE", 8),
        ("KILL", 9),
        ("USR1", 10),
        ("SEGV", 11),
        ("USR2", 12),
        ("PIPE", 13),
        ("ALRM", 14),
        ("TERM", 15),
        ("CHLD", 17),
        ("CONT", 18),
        ("STOP", 19),
        ("TSTP", 20),
        ("WINCH", 28),
    ];
    let upper = text.to_ascii_uppercase();
    let name = upper.strip_prefix("SIG").unwrap_or(&upper);
    SIGNALS
        .iter()
        .find(|(n, num)| *n == name || name.parse::<u32>() == Ok(*num))
        .map(|(n, _)| n.to_string())
}

/// Delivers `signal` to running container `id`'s process: `KILL` ends it (137); another
/// signal runs the trap its waiting shell set for it. `Some(status)` if the process ended.
/// Emulation note: a process without a handler is PID 1, which ignores the signal.
fn deliver(cli: &mut Cli<'_>, id: &str, signal: &str) -> Option<i32> {
    if signal == "KILL" {
        return Some(137);
    }
    let sleeper = cli.runtime.waiting(id)?.clone();
    let (out, ended) = process::run_trap(cli.world, id, &sleeper, signal)?;
    log_output(cli, id, &out);
    ended
}

/// `docker stop` of one running container: its stop signal (`TERM` unless `--signal`;
/// emulation note: the image's STOPSIGNAL is not kept, a TERM trap stands for it), then
/// `KILL` after `timeout` seconds if the process is still there.
fn stop_running(cli: &mut Cli<'_>, id: &str, signal: &str, timeout: u64) {
    let running = cli
        .world
        .containers()
        .get(id)
        .is_some_and(|c| c.state.status == Status::Running);
    if !running {
        return;
    }
    let code = match deliver(cli, id, signal) {
        Some(code) => code,
        None => {
            cli.world.advance_clock(timeout);
            137
        }
    };
    cli.runtime.end(id);
    let _ = cli.world.stop_container(id, code);
}

pub fn stop(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    if let Err(out) = check_args(cmd, &m.args, Arity::AtLeast(1)) {
        return out;
    }
    let timeout: u64 = m.last("time").and_then(|t| t.parse().ok()).unwrap_or(10);
    let signal = m
        .last("signal")
        .and_then(signal_name)
        .unwrap_or_else(|| "TERM".into());
    let mut out = Output::default();
    for r in &m.args {
        match cli.world.container_id(r) {
            Ok(id) => {
                stop_running(cli, &id, &signal, timeout);
                line(&mut out, r);
            }
            Err(e) => daemon_error(&mut out, &e),
        }
    }
    out
}

pub const RESTART: Command = Command {
    path: "restart",
    usage: "docker restart [OPTIONS] CONTAINER [CONTAINER...]",
    flags: &[option("time", Some('t')), option("signal", Some('s'))],
    interspersed: true,
    not_modelled: &[],
};

/// `docker restart`: stop (as `docker stop`) then start again, detached.
pub fn restart(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    if let Err(out) = check_args(cmd, &m.args, Arity::AtLeast(1)) {
        return out;
    }
    let timeout: u64 = m.last("time").and_then(|t| t.parse().ok()).unwrap_or(10);
    let signal = m
        .last("signal")
        .and_then(signal_name)
        .unwrap_or_else(|| "TERM".into());
    let mut out = Output::default();
    for r in &m.args {
        let id = match cli.world.container_id(r) {
            Ok(id) => id,
            Err(e) => {
                daemon_error(&mut out, &e);
                continue;
            }
        };
        stop_running(cli, &id, &signal, timeout);
        match start_and_run(cli, &id, true) {
            Ok(_) => line(&mut out, r),
            Err(e) => {
                reply::err_line(&mut out, format!("Error response from daemon: {e}"));
                out.code = 1;
            }
        }
    }
    out
}

pub const KILL: Command = Command {
    path: "kill",
    usage: "docker kill [OPTIONS] CONTAINER [CONTAINER...]",
    flags: &[option("signal", Some('s'))],
    interspersed: true,
    not_modelled: &[],
};

/// `docker kill [-s SIGNAL]`: the signal (default `KILL`) to each running container.
pub fn kill(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    if let Err(out) = check_args(cmd, &m.args, Arity::AtLeast(1)) {
        return out;
    }
    let asked = m.last("signal").unwrap_or("KILL").to_string();
    let mut out = Output::default();
    for r in &m.args {
        let id = match cli.world.container_id(r) {
            Ok(id) => id,
            Err(e) => {
                reply::err_line(
                    &mut out,
                    format!("Error response from daemon: Cannot kill container: {r}: {e}"),
                );
                out.code = 1;
                continue;
            }
        };
        let Some(signal) = signal_name(&asked) else {
            reply::err_line(
                &mut out,
                format!("Error response from daemon: Invalid signal: {asked}"),
            );
            out.code = 1;
            continue;
        };
        let running = cli
            .world
            .containers()
            .get(&id)
            .is_some_and(|c| c.state.status == Status::Running);
        if !running {
            reply::err_line(
                &mut out,
                format!(
                    "Error response from daemon: Cannot kill container: {r}: Container {id} is not running"
                ),
            );
            out.code = 1;
            continue;
        }
        if let Some(code) = deliver(cli, &id, &signal) {
            cli.runtime.end(&id);
            let _ = cli.world.stop_container(&id, code);
        }
        line(&mut out, r);
    }
    out
}

pub const WAIT: Command = Command {
    path: "wait",
    usage: "docker wait CONTAINER [CONTAINER...]",
    flags: &[],
    interspersed: true,
    not_modelled: &[],
};

/// `docker wait`: each container's exit code once it has stopped.
/// Emulation note: a running (or never started) container's process never ends by itself
/// here, so waiting for it is refused instead of hanging the terminal.
pub fn wait(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    if let Err(out) = check_args(cmd, &m.args, Arity::AtLeast(1)) {
        return out;
    }
    let mut out = Output::default();
    for r in &m.args {
        match cli.world.find_container(r) {
            Ok(c) if c.state.status == Status::Exited => {
                line(&mut out, c.state.exit_code.to_string())
            }
            Ok(_) => {
                let refused = reply::not_modelled(&format!(
                    "docker wait on a container that has not stopped ({r})"
                ));
                out.stderr.extend_from_slice(&refused.stderr);
                out.code = 1;
            }
            Err(e) => daemon_error(&mut out, &e),
        }
    }
    out
}

pub const TOP: Command = Command {
    path: "top",
    usage: "docker top CONTAINER [ps OPTIONS]",
    flags: &[],
    interspersed: false,
    not_modelled: &[],
};

/// `docker top`: the container's main process as `ps -ef` shows it.
/// Emulation note: one process, the container's command; its PID is made up.
pub fn top(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    if let Err(out) = check_args(cmd, &m.args, Arity::AtLeast(1)) {
        return out;
    }
    let mut out = Output::default();
    let c = match cli.world.find_container(&m.args[0]) {
        Ok(c) => c,
        Err(e) => {
            daemon_error(&mut out, &e);
            return out;
        }
    };
    if c.state.status != Status::Running {
        reply::err_line(
            &mut out,
            format!(
                "Error response from daemon: Container {} is not running",
                c.id
            ),
        );
        out.code = 1;
        return out;
    }
    let started = c.state.started_at.unwrap_or(0);
    let stime = layerbox_engine::clock::rfc3339(started);
    let stime = stime.get(11..16).unwrap_or("00:00").to_string();
    let user = if c.config.user.is_empty() {
        "root".to_string()
    } else {
        c.config
            .user
            .split(':')
            .next()
            .unwrap_or("root")
            .to_string()
    };
    let pid = 4000 + cli.world.creation_index(&c.id).unwrap_or(0) * 10;
    let tty = if c.config.tty { "pts/0" } else { "?" };
    let rows = vec![
        ["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"]
            .iter()
            .map(|h| h.to_string())
            .collect::<Vec<_>>(),
        vec![
            user,
            pid.to_string(),
            (pid - 20).to_string(),
            "0".into(),
            stime,
            tty.into(),
            "00:00:00".into(),
            container_argv(c).join(" "),
        ],
    ];
    // The CLI's top table: tabwriter with cells at least 20 wide (3 of padding).
    let widths: Vec<usize> = (0..8)
        .map(|i| {
            rows.iter()
                .map(|r| r[i].len() + 3)
                .max()
                .unwrap_or(0)
                .max(20)
        })
        .collect();
    for row in rows {
        let mut text = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == row.len() {
                text.push_str(cell);
            } else {
                text.push_str(&format!("{cell:<w$}", w = widths[i]));
            }
        }
        line(&mut out, text);
    }
    out
}

pub const PRUNE: Command = Command {
    path: "container prune",
    usage: "docker container prune [OPTIONS]",
    flags: &[switch("force", Some('f'))],
    interspersed: true,
    not_modelled: &["filter"],
};

/// `docker container prune [-f]`: every container not running.
pub fn prune(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    let warning =
        "WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ";
    let mut out = match reply::start_prune(cmd, m, cli.stdin, warning, warning) {
        Ok(out) => out,
        Err(out) => return out,
    };
    let (section, freed) = prune_containers(cli);
    reply::end_prune(&mut out, section, freed);
    out
}

/// Removes every container that is not running, newest first as the daemon lists them (their
/// volumes stay): the `Deleted Containers:` section the CLI prints and the writable layers'
/// bytes freed.
pub fn prune_containers(cli: &mut Cli<'_>) -> (Vec<String>, u64) {
    let (mut section, freed) = cli.world.prune_containers();
    if !section.is_empty() {
        section.insert(0, "Deleted Containers:".to_string());
        section.push(String::new());
    }
    (section, freed)
}

pub fn rm(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    if let Err(out) = check_args(cmd, &m.args, Arity::AtLeast(1)) {
        return out;
    }
    let mut out = Output::default();
    for r in &m.args {
        match cli
            .world
            .remove_container(r, m.on("force"), m.on("volumes"))
        {
            Ok(()) => line(&mut out, r),
            Err(e) => daemon_error(&mut out, &e),
        }
    }
    out
}

/// go-units `HumanDuration`.
pub fn human_duration(seconds: u64) -> String {
    let minutes = seconds / 60;
    let hours = (seconds as f64 / 3600.0 + 0.5) as u64;
    match seconds {
        0 => "Less than a second".into(),
        1 => "1 second".into(),
        2..=59 => format!("{seconds} seconds"),
        _ if minutes == 1 => "About a minute".into(),
        _ if minutes < 60 => format!("{minutes} minutes"),
        _ if hours == 1 => "About an hour".into(),
        _ if hours < 48 => format!("{hours} hours"),
        _ if hours < 24 * 14 => format!("{} days", hours / 24),
        _ if hours < 24 * 60 => format!("{} weeks", hours / 24 / 7),
        _ if hours < 24 * 365 * 2 => format!("{} months", hours / 24 / 30),
        _ => format!("{} years", seconds / 3600 / 24 / 365),
    }
}

/// The daemon's `Command` of a container listing: the path, then each argument, those holding
/// a space in single quotes (no escaping).
fn listed_command(argv: &[String]) -> String {
    argv.iter()
        .enumerate()
        .map(|(i, a)| {
            if i > 0 && a.contains(' ') {
                format!("'{a}'")
            } else {
                a.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `…`-truncation to `width` characters.
fn ellipsis(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut t: String = text.chars().take(width.saturating_sub(1)).collect();
    t.push('…');
    t
}

/// The IMAGE column: the name the container was made from while it still names its image,
/// else the image's short id (after `rmi -f` or a retag).
pub(crate) fn image_shown(world: &World, c: &Container) -> String {
    match world.images().find(&c.config.image) {
        Some(img) if img.id == c.image_id => c.config.image.clone(),
        _ => layerbox_engine::clock::short_id(&c.image_id).to_string(),
    }
}

/// The size of a container's image (`virtual` in `docker ps -s`).
fn image_size(world: &World, c: &Container) -> u64 {
    world
        .images()
        .images
        .get(&c.image_id)
        .map(|i| i.size())
        .unwrap_or(0)
}

/// `docker ps`'s column names by field (`table` formats).
const PS_HEADER: &[(&str, &str)] = &[
    ("ID", "CONTAINER ID"),
    ("Image", "IMAGE"),
    ("Command", "COMMAND"),
    ("CreatedAt", "CREATED AT"),
    ("RunningFor", "CREATED"),
    ("Ports", "PORTS"),
    ("State", "STATE"),
    ("Status", "STATUS"),
    ("Size", "SIZE"),
    ("Names", "NAMES"),
    ("Labels", "LABELS"),
    ("Mounts", "MOUNTS"),
    ("LocalVolumes", "LOCAL VOLUMES"),
    ("Networks", "NETWORKS"),
    ("Platform", "PLATFORM"),
];

/// One row of `docker ps` as its `--format` fields.
pub(crate) fn ps_value(
    c: &Container,
    ports: String,
    now: u64,
    trunc: bool,
    size: Option<u64>,
    image: String,
) -> Value {
    let command = listed_command(&container_argv(c));
    let command = go_quote(&if trunc {
        ellipsis(&command, 20)
    } else {
        command
    });
    let status = match c.state.status {
        Status::Created => "Created".to_string(),
        Status::Running => format!(
            "Up {}",
            human_duration(now.saturating_sub(c.state.started_at.unwrap_or(now)))
        ),
        _ => format!(
            "Exited ({}) {} ago",
            c.state.exit_code,
            human_duration(now.saturating_sub(c.state.finished_at.unwrap_or(now)))
        ),
    };
    let state = match c.state.status {
        Status::Created => "created",
        Status::Running => "running",
        _ => "exited",
    };
    let id = if trunc {
        c.short_id().to_string()
    } else {
        c.id.clone()
    };
    Value::Struct(vec![
        super::value::field("ID", s(id)),
        super::value::field("Image", s(image)),
        super::value::field("Command", s(command)),
        super::value::field(
            "RunningFor",
            s(format!(
                "{} ago",
                human_duration(now.saturating_sub(c.created))
            )),
        ),
        super::value::field("Ports", s(ports)),
        super::value::field("Status", s(status)),
        super::value::field("State", s(state)),
        super::value::field("Names", s(&c.name)),
        super::value::field(
            "Labels",
            s(c.config
                .labels
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(",")),
        ),
        super::value::field(
            "Size",
            s(match size {
                Some(image) => format!(
                    "{} (virtual {})",
                    super::volume::human_size_precision(c.size_rw(), 3),
                    super::volume::human_size_precision(image + c.size_rw(), 3)
                ),
                None => "0B".to_string(),
            }),
        ),
        super::value::field(
            "Mounts",
            s(c.mounts
                .iter()
                .filter(|m| m.listed())
                .map(|m| {
                    if m.name.is_empty() {
                        m.source.clone()
                    } else {
                        m.name.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(",")),
        ),
    ])
}

pub fn ps(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    if let Err(out) = check_args(cmd, &m.args, Arity::Exact(0)) {
        return out;
    }
    let filter = match super::ps_filter::PsFilter::parse(&m.all("filter")) {
        Ok(f) => f,
        Err(super::ps_filter::FilterError::Usage(e)) => return reply::usage_error(cmd, &e),
        Err(super::ps_filter::FilterError::NotModelled(e)) => return reply::not_modelled(&e),
        Err(super::ps_filter::FilterError::Daemon(e)) => {
            let mut out = Output::default();
            reply::err_line(&mut out, format!("Error response from daemon: {e}"));
            out.code = 1;
            return out;
        }
    };
    let mut out = Output::default();
    let world = &cli.world;
    let now = world.now();
    let all = m.on("all") || filter.has_status();
    // The CLI asks for sizes when the format shows them.
    let size = m.on("size") || m.last("format").is_some_and(|f| f.contains(".Size"));
    let trunc = !m.on("no-trunc");
    let containers: Vec<&Container> = world
        .containers_newest_first()
        .into_iter()
        .filter(|c| all || c.state.status == Status::Running)
        .filter(|c| filter.matches(world, c))
        .collect();
    if m.on("quiet") {
        for c in containers {
            line(&mut out, if trunc { c.short_id() } else { c.id.as_str() });
        }
        return out;
    }
    if let super::format::ListFormat::Template { table, body } =
        super::format::list_format(m.last("format"))
    {
        super::format::list(
            &mut out,
            table,
            &body,
            PS_HEADER,
            "*formatter.ContainerContext",
            containers.iter().map(|c| {
                ps_value(
                    c,
                    super::port::displayable_ports(c, cli.world.live_ports(&c.id)),
                    now,
                    trunc,
                    size.then(|| image_size(world, c)),
                    image_shown(world, c),
                )
            }),
        );
        return out;
    }
    let mut rows = vec![[
        "CONTAINER ID",
        "IMAGE",
        "COMMAND",
        "CREATED",
        "STATUS",
        "PORTS",
        "NAMES",
    ]
    .iter()
    .map(|h| h.to_string())
    .collect::<Vec<_>>()];
    if size {
        rows[0].push("SIZE".to_string());
    }
    for c in containers {
        let v = ps_value(
            c,
            super::port::displayable_ports(c, cli.world.live_ports(&c.id)),
            now,
            trunc,
            size.then(|| image_size(world, c)),
            image_shown(world, c),
        );
        let get = |k: &str| v.get(k).map(Value::go_print).unwrap_or_default();
        let mut row = vec![
            get("ID"),
            get("Image"),
            get("Command"),
            get("RunningFor"),
            get("Status"),
            get("Ports"),
            get("Names"),
        ];
        if size {
            row.push(get("Size"));
        }
        rows.push(row);
    }
    out.stdout
        .extend_from_slice(table::render(&rows).as_bytes());
    out
}

pub fn exec(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    if let Err(out) = check_args(cmd, &m.args, Arity::AtLeast(2)) {
        return out;
    }
    let mut out = Output::default();
    let world = &mut cli.world;
    let id = match world.container_id(&m.args[0]) {
        Ok(id) => id,
        Err(e) => {
            daemon_error(&mut out, &e);
            return out;
        }
    };
    if world
        .containers()
        .get(&id)
        .is_none_or(|c| c.state.status != Status::Running)
    {
        reply::err_line(
            &mut out,
            // Engine 20.10's wording, as recorded (`exec-errors`).
            format!("Error response from daemon: Container {id} is not running"),
        );
        out.code = 1;
        return out;
    }
    let spec = ProcessSpec {
        argv: m.args[1..].to_vec(),
        user: m.last("user").unwrap_or("").to_string(),
        cwd: m.last("workdir").map(str::to_string),
        env: m.all("env"),
        stdin: if m.on("interactive") {
            cli.stdin.to_vec()
        } else {
            Vec::new()
        },
        detached: m.on("detach"),
        tty: m.on("tty"),
        listening: world.listeners(&id).to_vec(),
    };
    if m.on("interactive")
        && spec.tty
        && !spec.detached
        && process::is_interactive_shell(&spec.argv)
    {
        match process::InteractiveShell::start(world, &id, &spec) {
            Ok(shell) => {
                cli.attach = Some(crate::Attach { shell, main: false });
                return out;
            }
            Err(e) => return exec_error(e),
        }
    }
    match process::run(world, &id, &spec) {
        Ok((proc_out, end, left)) => {
            cli.world.add_listeners(&id, left.listeners);
            if !spec.detached {
                out = proc_out;
            }
            if let Ended::Exited(code) = end {
                out.code = code;
            } else {
                out.code = 0;
            }
        }
        Err(e) => return exec_error(e),
    }
    out
}

/// Why `docker exec` could not start its process, as the CLI prints it (exit 126).
fn exec_error(e: StartError) -> Output {
    let mut out = Output::default();
    match e {
        StartError::Engine(e) => reply::err_line(&mut out, e.to_string()),
        StartError::NotFound(p) => reply::err_line(
            &mut out,
            format!("OCI runtime exec failed: exec failed: unable to start container process: exec: \"{p}\": executable file not found in $PATH: unknown"),
        ),
    }
    out.code = 126;
    out
}

pub fn diff(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    if let Err(out) = check_args(cmd, &m.args, Arity::Exact(1)) {
        return out;
    }
    let mut out = Output::default();
    match cli.world.diff(&m.args[0]) {
        Ok(changes) => {
            for c in changes {
                line(&mut out, c.to_string());
            }
        }
        Err(e) => daemon_error(&mut out, &e),
    }
    out
}

pub fn logs(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    if let Err(out) = check_args(cmd, &m.args, Arity::Exact(1)) {
        return out;
    }
    let mut out = Output::default();
    match cli.world.container_id(&m.args[0]) {
        Ok(id) => {
            if let Some(log) = cli.world.logs(&id) {
                for (stream, bytes) in log.chunks() {
                    match stream {
                        LogStream::Stdout => out.stdout.extend_from_slice(bytes),
                        LogStream::Stderr => out.stderr.extend_from_slice(bytes),
                    }
                }
            }
        }
        Err(e) => daemon_error(&mut out, &e),
    }
    out
}

pub fn commit(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    if let Err(out) = check_args(cmd, &m.args, Arity::Between(1, 2)) {
        return out;
    }
    let mut out = Output::default();
    if let Some(Err(e)) = m.args.get(1).map(|r| super::image_rm::check_reference(r)) {
        reply::err_line(&mut out, e);
        out.code = 1;
        return out;
    }
    use super::build::ChangeError;
    let changes = match super::build::commit_changes(&m.all("change")) {
        Ok(changes) => changes,
        Err(ChangeError::Daemon(daemon)) => {
            reply::err_line(&mut out, format!("Error response from daemon: {daemon}"));
            out.code = 1;
            return out;
        }
        Err(ChangeError::NotModelled(what)) => return reply::not_modelled(what),
    };
    let comment = m.last("message").unwrap_or("");
    let author = m.last("author").unwrap_or("");
    let tag = m.args.get(1).map(String::as_str);
    let change = |config: &mut _| super::build::apply_commit_changes(&changes, config);
    match cli.world.commit(&m.args[0], tag, comment, author, change) {
        Ok(id) => line(&mut out, format!("sha256:{id}")),
        Err(e) => daemon_error(&mut out, &e),
    }
    out
}

/// Labels as `docker ps --format '{{.Labels}}'` joins them.
pub fn labels_text(labels: &BTreeMap<String, String>) -> String {
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Keeps what container `id`'s process printed for `docker logs`, by stream (all stdout with a
/// terminal, as Docker logs a tty).
fn log_output(cli: &mut Cli<'_>, id: &str, out: &Output) {
    let tty = cli.world.containers().get(id).is_some_and(|c| c.config.tty);
    cli.world.log_output(id, &out.stdout, &out.stderr, tty);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_go_units_words() {
        assert_eq!(human_duration(0), "Less than a second");
        assert_eq!(human_duration(1), "1 second");
        assert_eq!(human_duration(61), "About a minute");
        assert_eq!(human_duration(3 * 3600), "3 hours");
    }

    #[test]
    fn long_commands_are_cut_with_an_ellipsis() {
        assert_eq!(
            go_quote(&ellipsis("sh -c 'echo hi > /x; cat /x'", 20)),
            "\"sh -c 'echo hi > /x…\""
        );
    }
}
