//! `docker diff`: what a container's writable layer changed (A, C, D), mounts left out.

use layerbox_sh::Output;

use crate::opts::flags::{Command, Matches};
use crate::reply::{check_args, daemon_error, line, Arity};
use crate::Cli;

pub const DIFF: Command = Command {
    path: "diff",
    usage: "docker diff CONTAINER",
    flags: &[],
    interspersed: true,
    not_modelled: &[],
};

pub fn diff(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    if let Err(out) = check_args(cmd, &m.args, Arity::Exact(1)) {
        return out;
    }
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
