//! `docker start` and what `run` shares with it: binding ports, starting the main process,
//! attaching to it, logging what it prints.

use layerbox_engine::container::Status;
use layerbox_engine::daemon::logs::Stream as LogStream;
use layerbox_runtime::process::{self, Ended, ProcessSpec, StartError};
use layerbox_sh::{Output, Stream};

use crate::commands::container::opts::container_argv;
use crate::opts::flags::{switch, Arity, Command, Matches};
use crate::{reply, Cli};

pub const START: Command = Command {
    path: "start",
    args: Arity::AtLeast(1),
    usage: "docker start [OPTIONS] CONTAINER [CONTAINER...]",
    flags: &[
        switch("attach", Some('a')),
        switch("interactive", Some('i')),
    ],
    interspersed: true,
    not_modelled: &["checkpoint", "checkpoint-dir", "detach-keys"],
};

pub fn start(cli: &mut Cli<'_>, _cmd: &Command, m: &Matches) -> Output {
    let attach = m.on("attach");
    let mut out = Output::default();
    // docker/cli's runStart: attaching (or -i) takes one container, and returns its error as
    // it is; otherwise each error is printed as it comes, and the failed ones are named last.
    if (attach || m.on("interactive")) && m.args.len() > 1 {
        reply::err_line(
            &mut out,
            "you cannot start and attach multiple containers at once",
        );
        out.code = 1;
        return out;
    }
    let mut failed: Vec<String> = Vec::new();
    // Names and errors keep the order the CLI prints them in.
    let mut fail = |out: &mut Output, r: &str, e: String| {
        let text = format!("Error response from daemon: {e}\n");
        out.push(layerbox_sh::Stream::Stderr, text.as_bytes());
        out.code = 1;
        failed.push(r.to_string());
    };
    for r in &m.args {
        let id = match cli.world.container_id(r) {
            Ok(id) => id,
            Err(e) => {
                fail(&mut out, r, e.to_string());
                continue;
            }
        };
        let running = cli
            .world
            .containers()
            .get(&id)
            .is_some_and(|c| c.state.status == Status::Running);
        if !running && attach && m.on("interactive") {
            match start_attached(cli, &id) {
                Some(Ok(())) => return out,
                Some(Err(e)) => {
                    fail(&mut out, r, e);
                    continue;
                }
                None => {}
            }
        }
        if !running {
            match start_and_run(cli, &id, !attach) {
                Ok((proc_out, end)) if attach => {
                    crate::reply::relay(&mut out, &proc_out);
                    if let Ended::Exited(code) = end {
                        out.code = code;
                    }
                    continue;
                }
                Ok((notice, _)) => out.stderr.extend_from_slice(&notice.stderr),
                Err(e) => {
                    fail(&mut out, r, e.to_string());
                    continue;
                }
            }
        }
        if !attach {
            out.push(layerbox_sh::Stream::Stdout, format!("{r}\n").as_bytes());
        }
    }
    if !failed.is_empty() && !attach && !m.on("interactive") {
        reply::err_line(
            &mut out,
            format!("Error: failed to start containers: {}", failed.join(", ")),
        );
    }
    out
}

/// The exit status `docker run` gives when the daemon refuses to start the container, from
/// the words of its message as docker/cli's `runStartContainerErr` reads them (a volume that
/// cannot mount because its directory is missing is 127, like a missing command).
fn start_error_status(message: &str) -> i32 {
    if message.contains("executable file not found")
        || message.contains("no such file or directory")
    {
        127
    } else if message.contains("permission denied") || message.contains("is a directory") {
        126
    } else {
        125
    }
}

/// Starts container `id` and runs its process; output, and how it ended. A `detached` process's
/// output goes to its logs: what comes back is only layerbox's notice if its background budget
/// ran out and it was stopped.
pub(crate) fn start_and_run(
    cli: &mut Cli<'_>,
    id: &str,
    detached: bool,
) -> Result<(Output, Ended), StartFailure> {
    crate::commands::container::start::start_container(cli, id).map_err(|message| {
        let code = start_error_status(&message);
        StartFailure { message, code }
    })?;
    let world = &mut cli.world;
    let Some(c) = world.containers().get(id) else {
        return Ok((Output::default(), Ended::Exited(0)));
    };
    // `-i` keeps stdin open: what is piped or redirected into `docker run` reaches the process.
    let stdin = if c.config.open_stdin && !detached {
        cli.stdin.to_vec()
    } else {
        Vec::new()
    };
    let spec = ProcessSpec {
        argv: container_argv(c),
        detached,
        tty: c.config.tty,
        stdin,
        procs: Some(cli.runtime.table_for(id)),
        ..ProcessSpec::default()
    };
    if spec.argv.is_empty() {
        let _ = world.stop_container(id, 0);
        return Err(StartFailure {
            message: "no command specified".into(),
            code: 125,
        });
    }
    if detached && c.config.tty && c.config.open_stdin && process::is_interactive_shell(&spec.argv)
    {
        // `docker run -dit alpine`: the shell waits on its terminal, the container runs on.
        return Ok((Output::default(), Ended::Running));
    }
    // A detached process is background work: it runs on a budget of its own, not the typed
    // line's (a busy loop in `docker run -d` must not stop the line that started it); if it
    // spends that budget it is stopped, with the budget's message in its logs and a notice.
    let budget = if detached { cli.background } else { cli.budget };
    match process::run(world, id, &spec, budget) {
        Ok((out, end, mut left)) => {
            let cut = detached && cli.background.spent() && matches!(end, Ended::Exited(_));
            cli.world
                .add_listeners(id, std::mem::take(&mut left.listeners));
            if let Some(sleeper) = left.sleeper.take() {
                cli.runtime.wait(id, sleeper);
            }
            cli.runtime.ran(cli.world, id, &mut left, false, budget);
            log_output(cli, id, &out);
            if let Ended::Exited(code) = end {
                // It ended by itself: the restart policy decides what comes next.
                let now = cli.world.now();
                cli.runtime.exited(cli.world, id, code, now);
            }
            if detached {
                // Its output went to its logs; the terminal gets only layerbox's notice.
                let mut notice = Output::default();
                if cut {
                    let name = cli.world.containers().get(id).map(|c| c.name.clone());
                    let name = name.unwrap_or_else(|| id.to_string());
                    notice.stderr = layerbox_runtime::cut_notice(&name).into_bytes();
                }
                return Ok((notice, end));
            }
            Ok((out, end))
        }
        Err(e) => {
            let (message, code) = start_failure(&e);
            let _ = cli.world.stop_container(id, code);
            // The daemon's own failure (a user it cannot find) is `docker run`'s 125; the
            // container keeps runc's status.
            let code = if matches!(e, StartError::Engine(_)) {
                125
            } else {
                code
            };
            Err(StartFailure { message, code })
        }
    }
}

/// Why `docker run`'s container or its main process did not start: the daemon's words and the
/// exit status `docker run` then has (125 for the daemon's own refusal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StartFailure {
    pub(crate) message: String,
    pub(crate) code: i32,
}

impl std::fmt::Display for StartFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Why the main process could not start, as current Docker's daemon words it (moby 23+
/// wraps runc 1.2's `error during container init`; Engine 20.10 says it without those two
/// parts, see `tests/conformance/run-command-lookup.txt`), and the exit status `docker run`
/// then has: 127 for a command not found, 126 for one that cannot run.
pub(crate) fn start_failure(e: &StartError) -> (String, i32) {
    const RUNC: &str = "failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init";
    match e {
        StartError::Engine(e) => (e.to_string(), 126),
        StartError::NotFound(p) => (not_found_message(p), 127),
        StartError::NoSuchFile(p) => (
            format!("{RUNC}: exec: \"{p}\": stat {p}: no such file or directory: unknown"),
            127,
        ),
        StartError::PermissionDenied(p) => {
            (format!("{RUNC}: exec: \"{p}\": permission denied: unknown"), 126)
        }
        StartError::NoWorkdir(d) => (
            format!("{RUNC}: chdir to cwd (\"{d}\") set in config.json failed: no such file or directory: unknown"),
            126,
        ),
    }
}

/// Starts container `id` with its shell attached to the terminal (`docker run -it alpine`,
/// `docker start -ai c`), when its process is an interactive shell; `None` otherwise.
pub(crate) fn start_attached(cli: &mut Cli<'_>, id: &str) -> Option<Result<(), String>> {
    let c = cli.world.containers().get(id)?;
    let argv = container_argv(c);
    if !(c.config.tty && c.config.open_stdin && process::is_interactive_shell(&argv)) {
        return None;
    }
    if let Err(e) = crate::commands::container::start::start_container(cli, id) {
        return Some(Err(e));
    }
    let world = &mut cli.world;
    let spec = ProcessSpec {
        argv,
        tty: true,
        procs: Some(cli.runtime.table_for(id)),
        ..ProcessSpec::default()
    };
    Some(match process::InteractiveShell::start(world, id, &spec) {
        Ok(mut shell) => {
            if let Some(table) = shell.procs.take() {
                cli.runtime.set_table(id, table);
            }
            cli.attach = Some(crate::Attach { shell, main: true });
            Ok(())
        }
        Err(e) => {
            let _ = world.stop_container(id, 126);
            Err(start_failure(&e).0)
        }
    })
}

pub(crate) fn not_found_message(program: &str) -> String {
    format!(
        "failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: \"{program}\": executable file not found in $PATH: unknown"
    )
}

/// Keeps what container `id`'s process printed for `docker logs`, by stream (all stdout with a
/// terminal, as Docker logs a tty).
pub(crate) fn log_output(cli: &mut Cli<'_>, id: &str, out: &Output) {
    let tty = cli.world.containers().get(id).is_some_and(|c| c.config.tty);
    for (stream, bytes) in out.chunks() {
        let stream = match stream {
            Stream::Stderr if !tty => LogStream::Stderr,
            _ => LogStream::Stdout,
        };
        cli.world.log_write(id, stream, bytes);
    }
}

/// Starts container `id` with its ports bound (the runtime forgets a process left waiting
/// from its previous run); errors in the daemon's words.
pub fn start_container(cli: &mut Cli<'_>, id: &str) -> Result<(), String> {
    cli.runtime
        .start_container(cli.world, id)
        .map_err(|e| e.to_string())
}
