//! `docker volume rm`: refused while a container refers to the volume.

use layerbox_sh::Output;

use crate::opts::flags::{switch, Arity, Command, Matches};
use crate::reply::{daemon_error, line};
use crate::Cli;

pub const RM: Command = Command {
    path: "volume rm",
    args: Arity::AtLeast(1),
    usage: "docker volume rm [OPTIONS] VOLUME [VOLUME...]",
    flags: &[switch("force", Some('f'))],
    interspersed: true,
    not_modelled: &[],
};

pub fn rm(cli: &mut Cli<'_>, _cmd: &Command, m: &Matches) -> Output {
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
