//! `docker volume prune [-a]`: unused anonymous volumes (named ones too with `-a`).

use layerbox_engine::error::EngineError;
use layerbox_engine::volume::Filter;
use layerbox_engine::world::World;
use layerbox_sh::Output;

use crate::commands::volume::list::filters;
use crate::opts::flags::{option, switch, Arity, Command, Matches};
use crate::reply::daemon_error;
use crate::{reply, Cli};

pub const PRUNE: Command = Command {
    path: "volume prune",
    args: Arity::Exact(0),
    usage: "docker volume prune [OPTIONS]",
    flags: &[
        switch("all", Some('a')),
        option("filter", None),
        switch("force", Some('f')),
    ],
    interspersed: true,
    not_modelled: &[],
};

pub fn prune(cli: &mut Cli<'_>, _cmd: &Command, m: &Matches) -> Output {
    let mut out = match reply::confirm_prune(
        m.on("force"),
        cli.stdin,
        if m.on("all") {
            "WARNING! This will remove all local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] "
        } else {
            "WARNING! This will remove anonymous local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] "
        },
    ) {
        Ok(out) => out,
        Err(out) => return out,
    };
    match prune_volumes(cli.world, &filters(m, "filter"), m.on("all")) {
        Ok((section, bytes)) => reply::end_prune(&mut out, section, bytes),
        Err(e) => daemon_error(&mut out, &e),
    }
    out
}

/// Removes unused anonymous volumes (with `all` named ones too) that pass `filters`: the
/// `Deleted Volumes:` section the CLI prints (nothing if none went) and the bytes freed.
pub fn prune_volumes(
    world: &mut World,
    filters: &[Filter],
    all: bool,
) -> Result<(Vec<String>, u64), EngineError> {
    let (names, bytes) = world.prune_volumes(filters, all)?;
    let mut section = Vec::new();
    if !names.is_empty() {
        section.push("Deleted Volumes:".to_string());
        section.extend(names);
        section.push(String::new());
    }
    Ok((section, bytes))
}
