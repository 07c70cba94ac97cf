//! `docker container inspect`: a container as the API's `ContainerJSON`.

use layerbox_sh::Output;

use crate::commands::system::inspect::run_inspect;
use crate::opts::flags::{option, switch, Arity, Command, Matches};
use crate::Cli;

pub const CONTAINER_INSPECT: Command = Command {
    path: "container inspect",
    args: Arity::AtLeast(1),
    usage: "docker container inspect [OPTIONS] CONTAINER [CONTAINER...]",
    flags: &[option("format", Some('f')), switch("size", Some('s'))],
    interspersed: true,
    not_modelled: &[],
};

pub fn container_inspect(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    run_inspect(cli, cmd, m, true)
}
