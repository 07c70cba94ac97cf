//! `docker tag SOURCE TARGET`.

use layerbox_sh::Output;

use crate::opts::flags::{Arity, Command, Matches};
use crate::opts::reference::check_reference;
use crate::reply::{daemon_error, err_line};
use crate::Cli;

pub const TAG: Command = Command {
    path: "tag",
    args: Arity::Exact(2),
    usage: "docker tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
    flags: &[],
    interspersed: true,
    not_modelled: &[],
};

pub fn tag(cli: &mut Cli<'_>, _cmd: &Command, m: &Matches) -> Output {
    let mut out = Output::default();
    let (source, target) = (&m.args[0], &m.args[1]);
    if let Err(e) = check_reference(target) {
        err_line(
            &mut out,
            format!("Error parsing reference: \"{target}\" is not a valid repository/tag: {e}"),
        );
        out.code = 1;
        return out;
    }
    if let Err(e) = cli.world.tag_image(source, target) {
        daemon_error(&mut out, &e);
    }
    out
}
