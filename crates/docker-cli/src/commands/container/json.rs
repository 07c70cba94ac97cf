//! A container as the Engine API's `ContainerJSON`: what `docker inspect` and `container inspect`
//! show, and what their `--format` templates read.

use layerbox_engine::clock::rfc3339;
use layerbox_engine::container::{Container, MountPoint, Status};
use layerbox_engine::daemon::health::Health;
use layerbox_engine::daemon::network::{Endpoint, GATEWAY, PREFIX_LEN};
use layerbox_engine::mount_spec::{MountSpec, MountType};

use crate::formatter::value::{field, field_omitempty, s, string_map, Value};

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

/// One `--mount` as the API's `mount.Mount` carries it: the option structs exist only when
/// an option of their kind was given (`DriverConfig` then always, as the CLI makes it).
fn mount_spec_value(spec: &MountSpec) -> Value {
    let mut fields = vec![
        field("Type", s(&spec.type_name)),
        field_omitempty("Source", s(&spec.source)),
        field_omitempty("Target", s(&spec.target)),
        field_omitempty("ReadOnly", Value::Bool(spec.read_only)),
        field_omitempty("Consistency", s(&spec.consistency)),
    ];
    if let Some(propagation) = &spec.propagation {
        fields.push(field(
            "BindOptions",
            Value::Struct(vec![field_omitempty("Propagation", s(propagation))]),
        ));
    }
    let volume_options = spec.no_copy.is_some()
        || !spec.volume_labels.is_empty()
        || spec.volume_driver.is_some()
        || !spec.volume_options.is_empty()
        || spec.volume_subpath.is_some();
    if volume_options {
        // Go maps: sorted keys, the last of a repeated key wins.
        let map = |pairs: &[(String, String)]| {
            Value::Map(layerbox_order::map(
                pairs.iter().map(|(k, v)| (k.clone(), s(v))),
            ))
        };
        fields.push(field(
            "VolumeOptions",
            Value::Struct(vec![
                field_omitempty("NoCopy", Value::Bool(spec.no_copy == Some(true))),
                field_omitempty("Labels", map(&spec.volume_labels)),
                field(
                    "DriverConfig",
                    Value::Struct(vec![
                        field_omitempty("Name", s(spec.volume_driver.as_deref().unwrap_or(""))),
                        field_omitempty("Options", map(&spec.volume_options)),
                    ]),
                ),
                field_omitempty("Subpath", s(spec.volume_subpath.as_deref().unwrap_or(""))),
            ]),
        ));
    }
    if spec.tmpfs_size.is_some() || spec.tmpfs_mode.is_some() {
        fields.push(field(
            "TmpfsOptions",
            Value::Struct(vec![
                field_omitempty("SizeBytes", Value::Int(spec.tmpfs_size.unwrap_or(0) as i64)),
                field_omitempty("Mode", Value::Int(i64::from(spec.tmpfs_mode.unwrap_or(0)))),
            ]),
        ));
    }
    Value::Struct(fields)
}

pub(crate) fn strings(v: &[String]) -> Value {
    Value::List(v.iter().map(s).collect())
}

/// `State.Health` (moby `types.Health`), `null` for a container without a health check.
/// Emulation note: a log entry's `Start` and `End` are strings in RFC 3339 (a template that
/// prints them shows that form, where Go prints `time.Time`'s own).
fn health_value(h: Option<&Health>) -> Value {
    let Some(h) = h else {
        return Value::Null;
    };
    Value::Struct(vec![
        field("Status", s(h.status.as_str())),
        field("FailingStreak", Value::Int(h.failing_streak)),
        field(
            "Log",
            Value::List(
                h.log
                    .iter()
                    .map(|r| {
                        Value::Struct(vec![
                            field("Start", s(rfc3339(r.start))),
                            field("End", s(rfc3339(r.end))),
                            field("ExitCode", Value::Int(r.exit_code)),
                            field("Output", s(&r.output)),
                        ])
                    })
                    .collect(),
            ),
        ),
    ])
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
        Status::Exited if c.state.restarting => "restarting",
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
                // A container waiting for its restart is still `Running` to the daemon.
                field(
                    "Running",
                    Value::Bool(c.state.status == Status::Running || c.state.restarting),
                ),
                field("Paused", Value::Bool(false)),
                field("Restarting", Value::Bool(c.state.restarting)),
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
                field_omitempty("Health", health_value(c.state.health.as_ref())),
            ]),
        ),
        field("Image", s(format!("sha256:{}", c.image_id))),
        field("Name", s(format!("/{}", c.name))),
        field("RestartCount", Value::Int(i64::from(c.restart_count))),
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
                field("NetworkMode", s(&c.host_config.network_mode)),
                field(
                    "RestartPolicy",
                    Value::Struct(vec![
                        field("Name", s(&c.host_config.restart_policy.name)),
                        field(
                            "MaximumRetryCount",
                            Value::Int(c.host_config.restart_policy.maximum_retry_count),
                        ),
                    ]),
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
                // `--mount` specs as the request carried them; `null` without any (recorded:
                // inspect-hostconfig-mounts-null and inspect-hostconfig-mounts).
                field(
                    "Mounts",
                    if c.host_config.mounts.is_empty() {
                        Value::NilList
                    } else {
                        Value::List(c.host_config.mounts.iter().map(mount_spec_value).collect())
                    },
                ),
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
                field("Hostname", s(c.hostname())),
                field("User", s(&c.config.user)),
                field("Tty", Value::Bool(c.config.tty)),
                field("OpenStdin", Value::Bool(c.config.open_stdin)),
                field("Env", strings(&c.config.env)),
                field("Cmd", strings(&c.config.cmd)),
                field_omitempty(
                    "Healthcheck",
                    crate::commands::image::inspect::health_config_value(
                        c.config.healthcheck.as_ref(),
                    ),
                ),
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
        field("NetworkSettings", network_settings(c)),
    ])
}

/// The modelled fields of `NetworkSettings`: the container's endpoint on the default bridge
/// while it runs (empty otherwise), in the API's field order.
fn network_settings(c: &Container) -> Value {
    let e = c.state.endpoint;
    let text = |f: &dyn Fn(&Endpoint) -> String| s(e.as_ref().map(f).unwrap_or_default());
    Value::Struct(vec![
        field(
            "Gateway",
            text(&|_| layerbox_engine::daemon::network::dotted(GATEWAY)),
        ),
        field("IPAddress", text(&Endpoint::ip_address)),
        field(
            "IPPrefixLen",
            Value::Int(if e.is_some() { PREFIX_LEN } else { 0 }),
        ),
        field("MacAddress", text(&Endpoint::mac_address)),
    ])
}
