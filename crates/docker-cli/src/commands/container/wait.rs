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

/// `docker wait`: each container's exit code once it has stopped.
/// Emulation note: a running (or never started) container's process never ends by itself
/// here, so waiting for it is refused instead of hanging the terminal.
pub fn wait(cli: &mut Cli<'_>, _cmd: &Command, m: &Matches) -> Output {
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
