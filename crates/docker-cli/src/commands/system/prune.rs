//! `docker system prune`: stopped containers, dangling images, and with `--volumes` anonymous
//! volumes (current Docker's rule).

use layerbox_sh::Output;

use crate::opts::flags::{switch, Arity, Command, Matches};
use crate::{reply, Cli};

pub const PRUNE: Command = Command {
    path: "system prune",
    args: Arity::Exact(0),
    usage: "docker system prune [OPTIONS]",
    flags: &[
        switch("all", Some('a')),
        switch("force", Some('f')),
        switch("volumes", None),
    ],
    interspersed: true,
    not_modelled: &["filter"],
};

/// `docker system prune [-a] [-f] [--volumes]`: stopped containers, then (with `--volumes`)
/// unused anonymous volumes, then dangling images (with `-a` every unused image), each
/// section as its own prune prints it, then the total. Networks and the build cache are not
/// modelled and hold nothing to remove. Current Docker: `--volumes` spares named volumes
/// (Engine 20.10 removed them too).
pub fn prune(cli: &mut Cli<'_>, _cmd: &Command, m: &Matches) -> Output {
    let (all, volumes) = (m.on("all"), m.on("volumes"));
    let mut warning = String::from(
        "WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n",
    );
    if volumes {
        warning.push_str("  - all anonymous volumes not used by at least one container\n");
    }
    warning.push_str(if all {
        "  - all images without at least one container associated to them\n  - all build cache\n"
    } else {
        "  - all dangling images\n  - unused build cache\n"
    });
    warning.push_str("\nAre you sure you want to continue? [y/N] ");
    let mut out = match reply::confirm_prune(m.on("force"), cli.stdin, &warning) {
        Ok(out) => out,
        Err(out) => return out,
    };
    let (mut section, mut freed) = crate::commands::container::prune::prune_containers(cli);
    if volumes {
        match crate::commands::volume::prune::prune_volumes(cli.world, &[], false) {
            Ok((more, bytes)) => {
                section.extend(more);
                freed += bytes;
            }
            Err(e) => {
                reply::daemon_error(&mut out, &e);
                return out;
            }
        }
    }
    let (more, bytes) = crate::commands::image::prune::prune_images(cli.world, all);
    section.extend(more);
    reply::end_prune(&mut out, section, freed + bytes);
    out
}
