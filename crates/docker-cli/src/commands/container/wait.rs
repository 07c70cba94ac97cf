//! `docker wait`: the exit code of a container that has stopped.

use layerbox_engine::container::Status;
use layerbox_sh::Output;

use crate::opts::flags::{Arity, Command, Matches};
use crate::reply::{daemon_error, line};
use crate::{reply, Cli};

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
/// Emulation note: a container whose process waits for good (`sleep infinity`, `tail -f`), or
/// has not stopped after [`layerbox_runtime::WAIT_LIMIT`] seconds, or was never started, would
/// keep the terminal waiting forever: that wait is refused as not modelled.
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
        if status(cli) == Some(Status::Running) && cli.runtime.ends_by_itself(&id) {
            let deadline = cli.world.now().saturating_add(layerbox_runtime::WAIT_LIMIT);
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
                let refused = reply::not_modelled(&format!(
                    "docker wait on a container that does not stop by itself ({r})"
                ));
                out.stderr.extend_from_slice(&refused.stderr);
                out.code = 1;
            }
        }
    }
    out
}
