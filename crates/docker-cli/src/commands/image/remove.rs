//! `docker rmi` (`image rm`): untags, deletes, and prunes untagged parents as the daemon does.

use layerbox_engine::daemon::images::DeleteItem;
use layerbox_sh::Output;

use crate::opts::flags::{switch, Arity, Command, Matches};
use crate::reply::{daemon_error, line};
use crate::Cli;

pub const RMI: Command = Command {
    path: "rmi",
    args: Arity::AtLeast(1),
    usage: "docker rmi [OPTIONS] IMAGE [IMAGE...]",
    flags: &[switch("force", Some('f')), switch("no-prune", None)],
    interspersed: true,
    not_modelled: &["platform"],
};

pub fn rmi(cli: &mut Cli<'_>, _cmd: &Command, m: &Matches) -> Output {
    let mut out = Output::default();
    for reference in &m.args {
        match cli
            .world
            .remove_image(reference, m.on("force"), !m.on("no-prune"))
        {
            Ok(items) => {
                for item in items {
                    let (verb, what) = delete_line(item);
                    line(&mut out, format!("{verb}: {what}"));
                }
            }
            Err(e) => daemon_error(&mut out, &e),
        }
    }
    out
}

/// A delete item as `docker rmi` prints it (`Untagged: …`, `Deleted: sha256:…`).
pub(crate) fn delete_line(item: DeleteItem) -> (&'static str, String) {
    match item {
        DeleteItem::Untagged(t) => ("Untagged", t),
        DeleteItem::Deleted(id) => ("Deleted", id),
    }
}
