//! `docker wait`: the exit code of a container that has stopped.

use layerbox_engine::container::Status;
use layerbox_sh::Output;

use crate::opts::flags::{Arity, Command, Matches};
use crate::reply::{daemon_error, line};
use crate::Cli;

pub const WAIT: Command = Command {
    path: "wait",
    args: Arity::AtLeast(1),
    usage: "docker wait CONTAINER [CONTAINER...]",
    flags: &[],
    interspersed: true,
    not_modelled: &[],
};

/// `docker wait`: each container's exit code once it has stopped. A running container's
/// processes run on as logical time passes until it stops.
///
/// A container that does not stop keeps the real command waiting until the learner presses
/// Ctrl-C: the CLI then dies of SIGINT, printing nothing, and the shell's status is 130
/// (recorded with `timeout -s INT --preserve-status 2 docker wait c` from Engine 20.10 and
/// CLI 28). The session cannot wait for good, so the wait ends as that interrupted wait does,
/// after a line of its own on stderr saying why: at once when nothing in the container can end
/// it (no process sleeps for a time, no restart is planned: `sleep infinity`, `tail -f`), or
/// after [`layerbox_runtime::WAIT_LIMIT`] seconds of logical time or the line's budget,
/// whichever is spent first. The containers after it are not waited for.
pub fn wait(cli: &mut Cli<'_>, _cmd: &Command, m: &Matches) -> Output {
    let mut out = Output::default();
    for r in &m.args {
        let id = match cli.world.container_id(r) {
            Ok(id) => id,
            Err(e) => {
                daemon_error(&mut out, &e);
                continue;
            }
        };
        let status = |cli: &Cli<'_>| cli.world.containers().get(&id).map(|c| c.state.status);
        let may_end = cli.runtime.ends_by_itself(&id);
        let started = cli.world.now();
        if status(cli) == Some(Status::Running) && may_end {
            let deadline = started.saturating_add(layerbox_runtime::WAIT_LIMIT);
            let cut = cli
                .runtime
                .pass_until(cli.world, deadline, Some(&id), cli.background);
            for c in cut {
                let name = cli.world.containers().get(&c).map(|c| c.name.clone());
                let notice = layerbox_runtime::cut_notice(&name.unwrap_or(c));
                out.stderr.extend_from_slice(notice.as_bytes());
            }
        }
        match cli.world.containers().get(&id) {
            Some(c) if c.state.status == Status::Exited => {
                line(&mut out, c.state.exit_code.to_string())
            }
            _ => {
                let waited = cli.world.now().saturating_sub(started);
                let why = if cli.background.spent() || cli.budget.spent() {
                    format!("the line's budget ran out after {waited} seconds of logical time")
                } else if may_end {
                    format!("it still runs after {waited} seconds of logical time")
                } else {
                    "nothing in it will end it".to_string()
                };
                out.stderr.extend_from_slice(
                    format!(
                        "layerbox: docker wait {r}: {why}; the real command waits until it stops (Ctrl-C ends it), so the wait ends here as if interrupted\n"
                    )
                    .as_bytes(),
                );
                out.code = 130;
                return out;
            }
        }
    }
    out
}
