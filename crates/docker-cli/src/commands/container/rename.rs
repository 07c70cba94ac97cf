//! `docker rename CONTAINER NEW_NAME`.

use layerbox_sh::Output;

use crate::opts::flags::{Arity, Command, Matches};
use crate::reply::err_line;
use crate::Cli;

pub const RENAME: Command = Command {
    path: "rename",
    args: Arity::Exact(2),
    usage: "docker rename CONTAINER NEW_NAME",
    flags: &[],
    interspersed: true,
    not_modelled: &[],
};

pub fn rename(cli: &mut Cli<'_>, _cmd: &Command, m: &Matches) -> Output {
    let (old, new) = (&m.args[0], &m.args[1]);
    let mut out = Output::default();
    let result = cli.world.rename_container(old, new);
    if let Err(e) = result {
        err_line(&mut out, format!("Error response from daemon: {e}"));
        err_line(
            &mut out,
            format!("Error: failed to rename container named {old}"),
        );
        out.code = 1;
    }
    out
}
