//! `docker container prune`: every container not running.

use layerbox_sh::Output;

use crate::opts::flags::{switch, Arity, Command, Matches};
use crate::{reply, Cli};

pub const PRUNE: Command = Command {
    path: "container prune",
    args: Arity::Exact(0),
    usage: "docker container prune [OPTIONS]",
    flags: &[switch("force", Some('f'))],
    interspersed: true,
    not_modelled: &["filter"],
};

/// `docker container prune [-f]`: every container not running.
pub fn prune(cli: &mut Cli<'_>, _cmd: &Command, m: &Matches) -> Output {
    let warning =
        "WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ";
    let mut out = match reply::confirm_prune(m.on("force"), cli.stdin, warning) {
        Ok(out) => out,
        Err(out) => return out,
    };
    let (section, freed) = prune_containers(cli);
    reply::end_prune(&mut out, section, freed);
    out
}

/// Removes every container that is not running, newest first as the daemon lists them (their
/// volumes stay): the `Deleted Containers:` section the CLI prints and the writable layers'
/// bytes freed.
pub fn prune_containers(cli: &mut Cli<'_>) -> (Vec<String>, u64) {
    let (mut section, freed) = cli.world.prune_containers();
    if !section.is_empty() {
        section.insert(0, "Deleted Containers:".to_string());
        section.push(String::new());
    }
    (section, freed)
}
