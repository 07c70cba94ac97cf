//! `docker diff`: what a container's writable layer changed (A, C, D), mounts left out.

use layerbox_sh::Output;

use crate::opts::flags::{Arity, Command, Matches};
use crate::reply::{daemon_error, line};
use crate::Cli;

pub const DIFF: Command = Command {
    path: "diff",
    args: Arity::Exact(1),
    usage: "docker diff CONTAINER",
    flags: &[],
    interspersed: true,
    not_modelled: &[],
};

pub fn diff(cli: &mut Cli<'_>, _cmd: &Command, m: &Matches) -> Output {
    let mut out = Output::default();
    match cli.world.diff(&m.args[0]) {
        Ok(changes) => {
            for c in changes {
                line(&mut out, c.to_string());
            }
        }
        Err(e) => daemon_error(&mut out, &e),
    }
    out
}
