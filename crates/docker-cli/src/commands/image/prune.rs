//! `docker image prune [-a]`: dangling images, or every image no container uses.

use layerbox_engine::world::World;
use layerbox_sh::Output;

use crate::commands::image::remove::delete_line;
use crate::opts::flags::{switch, Arity, Command, Matches};
use crate::{reply, Cli};

pub const PRUNE: Command = Command {
    path: "image prune",
    args: Arity::Exact(0),
    usage: "docker image prune [OPTIONS]",
    flags: &[switch("all", Some('a')), switch("force", Some('f'))],
    interspersed: true,
    not_modelled: &["filter"],
};

/// `docker image prune [-a] [-f]`: dangling images (no tag), or with `-a` every image no
/// container uses.
pub fn prune(cli: &mut Cli<'_>, _cmd: &Command, m: &Matches) -> Output {
    let mut out = match reply::confirm_prune(
        m.on("force"),
        cli.stdin,
        if m.on("all") {
            "WARNING! This will remove all images without at least one container associated to them.\nAre you sure you want to continue? [y/N] "
        } else {
            "WARNING! This will remove all dangling images.\nAre you sure you want to continue? [y/N] "
        },
    ) {
        Ok(out) => out,
        Err(out) => return out,
    };
    let (section, freed) = prune_images(cli.world, m.on("all"));
    reply::end_prune(&mut out, section, freed);
    out
}

/// The daemon's image prune as the CLI prints it: the `Deleted Images:` section (nothing if
/// none went) and the bytes freed.
pub fn prune_images(world: &mut World, all: bool) -> (Vec<String>, u64) {
    let (items, freed) = world.prune_images(all);
    let mut section = Vec::new();
    if !items.is_empty() {
        section.push("Deleted Images:".to_string());
        for item in items {
            let (verb, what) = delete_line(item);
            section.push(format!("{}: {what}", verb.to_lowercase()));
        }
        section.push(String::new());
    }
    (section, freed)
}
