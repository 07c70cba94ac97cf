//! `docker rm [-f] [-v]`: containers and their writable layers (anonymous volumes with `-v`).

use layerbox_sh::Output;

use crate::opts::flags::{switch, Arity, Command, Matches};
use crate::reply::{daemon_error, err_line, line};
use crate::Cli;

pub const RM: Command = Command {
    path: "rm",
    args: Arity::AtLeast(1),
    usage: "docker rm [OPTIONS] CONTAINER [CONTAINER...]",
    flags: &[switch("force", Some('f')), switch("volumes", Some('v'))],
    interspersed: true,
    not_modelled: &["link/l"],
};

pub fn rm(cli: &mut Cli<'_>, _cmd: &Command, m: &Matches) -> Output {
    let mut out = Output::default();
    for r in &m.args {
        match cli
            .world
            .remove_container(r, m.on("force"), m.on("volumes"))
        {
            Ok(()) => line(&mut out, r),
            // With --force the CLI says a container it cannot find is not there, and goes on
            // without failing (docker/cli's rm: `opts.force && errdefs.IsNotFound`).
            Err(e) if m.on("force") && e.kind == layerbox_engine::error::ErrorKind::NotFound => {
                err_line(&mut out, format!("Error response from daemon: {e}"));
            }
            Err(e) => daemon_error(&mut out, &e),
        }
    }
    out
}
