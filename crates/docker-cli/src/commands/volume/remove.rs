//! `docker volume rm`: refused while a container refers to the volume.

use layerbox_sh::Output;

use crate::opts::flags::{switch, Command, Matches};
use crate::reply::{check_args, daemon_error, line, Arity};
use crate::Cli;

pub const RM: Command = Command {
    path: "volume rm",
    usage: "docker volume rm [OPTIONS] VOLUME [VOLUME...]",
    flags: &[switch("force", Some('f'))],
    interspersed: true,
    not_modelled: &[],
};

pub fn rm(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    if let Err(out) = check_args(cmd, &m.args, Arity::AtLeast(1)) {
        return out;
    }
    let mut out = Output::default();
    let force = m.on("force");
    for name in &m.args {
        match cli.world.remove_volume(name, force) {
            Ok(()) => line(&mut out, name),
            Err(e) => daemon_error(&mut out, &e),
        }
    }
    out
}
