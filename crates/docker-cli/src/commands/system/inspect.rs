//! `docker inspect`: containers, images and volumes by name or id, as their own inspect shows them.

use layerbox_sh::Output;

use crate::commands::container::json::container_value;
use crate::commands::volume::inspect::{inspect_value, print_inspected};
use crate::formatter::format::Inspected;
use crate::opts::flags::{option, switch, Arity, Command, Matches};

use crate::{reply, Cli};

pub const INSPECT: Command = Command {
    path: "inspect",
    args: Arity::AtLeast(1),
    usage: "docker inspect [OPTIONS] NAME|ID [NAME|ID...]",
    flags: &[
        option("format", Some('f')),
        option("type", None),
        switch("size", Some('s')),
    ],
    interspersed: true,
    not_modelled: &[],
};

pub(crate) fn run_inspect(
    cli: &mut Cli<'_>,
    _cmd: &Command,
    m: &Matches,
    containers_only: bool,
) -> Output {
    let format = m.last("format").filter(|f| !f.is_empty());
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let mut any_container = false;
    let kind = if containers_only {
        "container"
    } else {
        m.last("type").unwrap_or("")
    };
    if !["", "container", "image", "volume"].contains(&kind) {
        let mut out = Output::default();
        if [
            "config", "network", "node", "plugin", "secret", "service", "task",
        ]
        .contains(&kind)
        {
            return reply::not_modelled(&format!("docker inspect --type {kind}"));
        }
        reply::err_line(
            &mut out,
            format!("unknown type: \"{kind}\": must be one of \"config\", \"container\", \"image\", \"network\", \"node\", \"plugin\", \"secret\", \"service\", \"task\", \"volume\""),
        );
        out.code = 1;
        return out;
    }
    for r in &m.args {
        let world = &cli.world;
        let container = if kind.is_empty() || kind == "container" {
            world.find_container(r).ok()
        } else {
            None
        };
        let image = if kind.is_empty() || kind == "image" {
            crate::commands::image::inspect::find(cli, r).ok()
        } else {
            None
        };
        let volume = if kind.is_empty() || kind == "volume" {
            world.volumes().get(r).ok()
        } else {
            None
        };
        if let Some(c) = container {
            found.push(Inspected {
                value: container_value(c),
                raw: true,
                type_name: "types.ContainerJSON",
            });
            any_container = true;
        } else if let Some(i) = image {
            found.push(i);
        } else if let Some(v) = volume {
            found.push(Inspected {
                value: inspect_value(&v.meta),
                raw: true,
                type_name: "volume.Volume",
            });
        } else if kind == "container" {
            errors.push(format!(
                "Error response from daemon: No such container: {r}"
            ));
        } else if kind == "image" {
            if let Err(e) = crate::commands::image::inspect::find(cli, r) {
                errors.push(e);
            }
        } else if kind == "volume" {
            errors.push(format!(
                "Error response from daemon: get {r}: no such volume"
            ));
        } else {
            errors.push(format!("Error: No such object: {r}"));
        }
    }
    if format.is_none() && any_container {
        return reply::not_modelled("docker inspect of a container without --format");
    }
    let mut out = Output::default();
    print_inspected(&mut out, found, errors, format);
    out
}

pub fn inspect(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    run_inspect(cli, cmd, m, false)
}
