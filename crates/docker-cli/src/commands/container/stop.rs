//! `docker stop`: SIGTERM to the main process (its shell's trap), SIGKILL after the timeout.

use layerbox_engine::container::Status;
use layerbox_sh::Output;

use crate::opts::flags::{option, Arity, Command, Matches};
use crate::reply::{daemon_error, line};
use crate::Cli;

pub const STOP: Command = Command {
    path: "stop",
    args: Arity::AtLeast(1),
    usage: "docker stop [OPTIONS] CONTAINER [CONTAINER...]",
    flags: &[
        option("timeout", Some('t')),
        option("time", None),
        option("signal", Some('s')),
    ],
    interspersed: true,
    not_modelled: &[],
};

/// `--timeout` or its deprecated `--time`, whichever came last (10 seconds unless given), and
/// `--signal` (TERM unless given), as `stop` and `restart` read them.
pub(crate) fn stop_options(m: &Matches) -> (u64, String) {
    let given = m
        .values_order_last(&["timeout", "time"])
        .and_then(|k| m.last(k));
    let timeout: u64 = given.and_then(|t| t.parse().ok()).unwrap_or(10);
    let signal = m
        .last("signal")
        .and_then(signal_name)
        .unwrap_or_else(|| "TERM".into());
    (timeout, signal)
}

/// pflag's notice for the deprecated `--time`, written before anything else.
pub(crate) fn time_notice(m: &Matches, out: &mut Output) {
    if m.last("time").is_some() {
        out.stderr_first = b"Flag --time has been deprecated, use --timeout instead\n".to_vec();
    }
}

pub fn stop(cli: &mut Cli<'_>, _cmd: &Command, m: &Matches) -> Output {
    let (timeout, signal) = stop_options(m);
    let mut out = Output::default();
    time_notice(m, &mut out);
    for r in &m.args {
        match cli.world.container_id(r) {
            Ok(id) => {
                let notices = stop_running(cli, &id, &signal, timeout);
                line(&mut out, r);
                out.stderr.extend_from_slice(notices.as_bytes());
            }
            Err(e) => daemon_error(&mut out, &e),
        }
    }
    out
}

/// A signal name as the daemon takes it (`SIGINT`, `int`, `2` are `INT`); `None` if unknown.
pub(crate) fn signal_name(text: &str) -> Option<String> {
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
/// signal runs the trap its waiting shell set for it, now (in `wait`) or when the program it
/// waits for ends. `Some(status)` if the process ended at once.
/// Emulation note: the main process is PID 1, which ignores a signal it has no handler for.
pub(crate) fn deliver(cli: &mut Cli<'_>, id: &str, signal: &str) -> Option<i32> {
    if signal == "KILL" {
        return Some(137);
    }
    cli.runtime.signal(cli.world, id, signal, cli.budget)
}

/// `docker stop` of one running container: its stop signal (`TERM` unless `--signal`;
/// emulation note: the image's STOPSIGNAL is not kept), then, while logical time passes and
/// the container's processes run on, `KILL` after `timeout` seconds if it is still running.
/// Returns layerbox's notices for the containers whose processes the line's background budget
/// stopped meanwhile.
pub(crate) fn stop_running(cli: &mut Cli<'_>, id: &str, signal: &str, timeout: u64) -> String {
    let running = |cli: &Cli<'_>| {
        cli.world
            .containers()
            .get(id)
            .is_some_and(|c| c.state.status == Status::Running)
    };
    // A container waiting for its restart policy stays stopped.
    cli.runtime.stop_requested(cli.world, id);
    if !running(cli) {
        cli.runtime.end(id);
        return String::new();
    }
    let deadline = cli.world.now().saturating_add(timeout);
    if let Some(code) = deliver(cli, id, signal) {
        cli.runtime.end(id);
        let _ = cli.world.stop_container(id, code);
        return String::new();
    }
    let cut = cli
        .runtime
        .pass_until(cli.world, deadline, Some(id), cli.background);
    if running(cli) {
        let _ = cli.world.stop_container(id, 137);
    }
    cli.runtime.end(id);
    cut.iter()
        .map(|c| {
            let name = cli.world.containers().get(c).map(|c| c.name.clone());
            layerbox_runtime::cut_notice(&name.unwrap_or_else(|| c.clone()))
        })
        .collect()
}
