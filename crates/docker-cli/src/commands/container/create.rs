//! `docker create`: a container made from an image, not started.

use layerbox_sh::Output;

use crate::commands::container::opts::{create_request, CREATE_FLAGS, CREATE_NOT_MODELLED};
use crate::opts::flags::{Arity, Command, Matches};
use crate::reply::{daemon_error, line, run_error};
use crate::Cli;

pub const CREATE: Command = Command {
    path: "create",
    args: Arity::AtLeast(1),
    usage: "docker create [OPTIONS] IMAGE [COMMAND] [ARG...]",
    flags: CREATE_FLAGS,
    interspersed: false,
    not_modelled: CREATE_NOT_MODELLED,
};

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

/// What `docker create` shares with `run`: the request, then the daemon's create.
pub(crate) fn create_container(
    cli: &mut Cli<'_>,
    cmd: &Command,
    m: &Matches,
) -> Result<String, Output> {
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
