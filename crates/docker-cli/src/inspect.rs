//! `docker inspect` and `docker container inspect`: containers (and volumes) as template values.
//! Emulation note: without `--format` the full JSON of a container is not modelled yet.

use layerbox_engine::clock::rfc3339;
use layerbox_engine::container::{Container, MountPoint, Status};
use layerbox_engine::mount_spec::MountType;
use layerbox_sh::Output;

use super::flags::{option, switch, Command, Matches};
use super::format::Inspected;
use super::reply::{self, check_args, Arity};
use super::value::{field, field_omitempty, s, string_map, Value};
use super::volume::{inspect_value, print_inspected};
use super::Cli;

pub const INSPECT: Command = Command {
    path: "inspect",
    usage: "docker inspect [OPTIONS] NAME|ID [NAME|ID...]",
    flags: &[
        option("format", Some('f')),
        option("type", None),
        switch("size", Some('s')),
    ],
    interspersed: true,
    not_modelled: &[],
};

pub const CONTAINER_INSPECT: Command = Command {
    path: "container inspect",
    usage: "docker container inspect [OPTIONS] CONTAINER [CONTAINER...]",
    flags: &[option("format", Some('f')), switch("size", Some('s'))],
    interspersed: true,
    not_modelled: &[],
};

/// One entry of `.Mounts` (moby `types.MountPoint`).
pub fn mount_value(m: &MountPoint) -> Value {
    Value::Struct(vec![
        field("Type", s(m.kind.as_str())),
        field_omitempty("Name", s(&m.name)),
        field("Source", s(&m.source)),
        field("Destination", s(&m.destination)),
        field_omitempty("Driver", s(&m.driver)),
        field("Mode", s(&m.mode)),
        field("RW", Value::Bool(m.rw)),
        field("Propagation", s(&m.propagation)),
    ])
}

fn strings(v: &[String]) -> Value {
    Value::List(v.iter().map(s).collect())
}

/// The parts of a container's inspect object that are modelled.
pub fn container_value(c: &Container) -> Value {
    let argv: Vec<String> = c
        .config
        .entrypoint
        .iter()
        .chain(&c.config.cmd)
        .cloned()
        .collect();
    let status = match c.state.status {
        Status::Created => "created",
        Status::Running => "running",
        _ => "exited",
    };
    Value::Struct(vec![
        field("Id", s(&c.id)),
        field("Created", s(rfc3339(c.created))),
        field("Path", s(argv.first().cloned().unwrap_or_default())),
        field("Args", strings(argv.get(1..).unwrap_or(&[]))),
        field(
            "State",
            Value::Struct(vec![
                field("Status", s(status)),
                field("Running", Value::Bool(c.state.status == Status::Running)),
                field("Paused", Value::Bool(false)),
                field("Restarting", Value::Bool(false)),
                field("OOMKilled", Value::Bool(false)),
                field("Dead", Value::Bool(false)),
                // Emulation note: layerbox's processes have no host pid.
                field("Pid", Value::Int(0)),
                field("ExitCode", Value::Int(i64::from(c.state.exit_code))),
                field("Error", s("")),
                field(
                    "StartedAt",
                    s(c.state
                        .started_at
                        .map(rfc3339)
                        .unwrap_or_else(|| "0001-01-01T00:00:00Z".into())),
                ),
                field(
                    "FinishedAt",
                    s(c.state
                        .finished_at
                        .map(rfc3339)
                        .unwrap_or_else(|| "0001-01-01T00:00:00Z".into())),
                ),
                field_omitempty("Health", Value::Null),
            ]),
        ),
        field("Image", s(format!("sha256:{}", c.image_id))),
        field("Name", s(format!("/{}", c.name))),
        field(
            "HostConfig",
            Value::Struct(vec![
                field(
                    "Binds",
                    if c.host_config.binds.is_empty() {
                        Value::NilList
                    } else {
                        strings(&c.host_config.binds)
                    },
                ),
                field("AutoRemove", Value::Bool(c.host_config.auto_remove)),
                field(
                    "VolumesFrom",
                    if c.host_config.volumes_from.is_empty() {
                        Value::NilList
                    } else {
                        strings(&c.host_config.volumes_from)
                    },
                ),
                field("ReadonlyRootfs", Value::Bool(c.host_config.read_only)),
                field(
                    "Tmpfs",
                    if c.host_config.tmpfs.is_empty() {
                        Value::NilMap
                    } else {
                        Value::Map(layerbox_order::map(
                            c.host_config.tmpfs.iter().map(|(k, v)| (k.clone(), s(v))),
                        ))
                    },
                ),
            ]),
        ),
        field(
            "Mounts",
            Value::List(
                c.mounts
                    .iter()
                    .filter(|m| m.listed() || m.kind != MountType::Tmpfs)
                    .filter(|m| m.listed())
                    .map(mount_value)
                    .collect(),
            ),
        ),
        field(
            "Config",
            Value::Struct(vec![
                field("Hostname", s(c.short_id())),
                field("User", s(&c.config.user)),
                field("Tty", Value::Bool(c.config.tty)),
                field("OpenStdin", Value::Bool(c.config.open_stdin)),
                field("Env", strings(&c.config.env)),
                field("Cmd", strings(&c.config.cmd)),
                field("Image", s(&c.config.image)),
                field(
                    "Volumes",
                    if c.config.volumes.is_empty() {
                        Value::NilMap
                    } else {
                        Value::Map(layerbox_order::map(
                            c.config
                                .volumes
                                .iter()
                                .map(|v| (v.clone(), Value::Struct(Vec::new()))),
                        ))
                    },
                ),
                field("WorkingDir", s(&c.config.working_dir)),
                field(
                    "Entrypoint",
                    if c.config.entrypoint.is_empty() {
                        Value::NilList
                    } else {
                        strings(&c.config.entrypoint)
                    },
                ),
                field("Labels", string_map(Some(&c.config.labels))),
            ]),
        ),
    ])
}

fn run_inspect(cli: &mut Cli<'_>, cmd: &Command, m: &Matches, containers_only: bool) -> Output {
    if let Err(out) = check_args(cmd, &m.args, Arity::AtLeast(1)) {
        return out;
    }
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
            super::image_inspect::find(cli, r).ok()
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
            if let Err(e) = super::image_inspect::find(cli, r) {
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

pub fn container_inspect(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    run_inspect(cli, cmd, m, true)
}
