//! `docker kill`: a signal to the main process (SIGKILL unless `-s` names another).

use layerbox_engine::container::Status;
use layerbox_sh::Output;

use crate::commands::container::stop::{deliver, signal_name};
use crate::opts::flags::{option, Arity, Command, Matches};
use crate::reply::line;
use crate::{reply, Cli};

pub const KILL: Command = Command {
    path: "kill",
    args: Arity::AtLeast(1),
    usage: "docker kill [OPTIONS] CONTAINER [CONTAINER...]",
    flags: &[option("signal", Some('s'))],
    interspersed: true,
    not_modelled: &[],
};

/// `docker kill [-s SIGNAL]`: the signal (default `KILL`) to each running container.
pub fn kill(cli: &mut Cli<'_>, _cmd: &Command, m: &Matches) -> Output {
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
        if signal == "KILL" {
            // `docker kill` is a manual stop: the restart policy does not start it again.
            cli.runtime.stop_requested(cli.world, &id);
        }
        if let Some(code) = deliver(cli, &id, &signal) {
            cli.runtime.end(&id);
            let _ = cli.world.stop_container(&id, code);
        }
        line(&mut out, r);
    }
    out
}
