//! `docker image inspect` and images in `docker inspect`: the image object in Engine 20.10's
//! field order (API 1.41).
//!
//! Emulation note: sample images have no local parent and no build container, so `Parent`
//! and `Container` are empty where Docker's classic builder leaves ids; sizes are layerbox's.

use layerbox_engine::clock::{rfc3339, IdGenerator};
use layerbox_engine::image::{normalize_reference, Image};
use layerbox_sh::Output;

use super::flags::{option, Command, Matches};
use super::format::Inspected;
use super::reply::{check_args, Arity};
use super::value::{field, field_omitempty, s, Value};
use super::volume::print_inspected;
use super::Cli;

pub const IMAGE_INSPECT: Command = Command {
    path: "image inspect",
    usage: "docker image inspect [OPTIONS] IMAGE [IMAGE...]",
    flags: &[option("format", Some('f'))],
    interspersed: true,
    not_modelled: &["platform"],
};

fn strings(v: &[String]) -> Value {
    Value::List(v.iter().map(s).collect())
}

fn opt_strings(v: Option<&Vec<String>>) -> Value {
    match v {
        Some(v) => strings(v),
        None => Value::NilList,
    }
}

fn set(items: &[String]) -> Value {
    if items.is_empty() {
        Value::NilMap
    } else {
        Value::Map(
            items
                .iter()
                .map(|v| (v.clone(), Value::Struct(Vec::new())))
                .collect(),
        )
    }
}

/// The image's `Config` (a container config, as the API returns it).
fn config_value(img: &Image) -> Value {
    let c = &img.config;
    Value::Struct(vec![
        field("Hostname", s("")),
        field("Domainname", s("")),
        field("User", s(&c.user)),
        field("AttachStdin", Value::Bool(false)),
        field("AttachStdout", Value::Bool(false)),
        field("AttachStderr", Value::Bool(false)),
        field_omitempty("ExposedPorts", set(&c.exposed_ports)),
        field("Tty", Value::Bool(false)),
        field("OpenStdin", Value::Bool(false)),
        field("StdinOnce", Value::Bool(false)),
        field("Env", strings(&c.env)),
        field("Cmd", opt_strings(c.cmd.as_ref())),
        field("Image", s("")),
        field("Volumes", set(&c.volumes)),
        field("WorkingDir", s(&c.working_dir)),
        field("Entrypoint", opt_strings(c.entrypoint.as_ref())),
        field("OnBuild", Value::NilList),
        field(
            "Labels",
            if c.labels.is_empty() {
                Value::NilMap
            } else {
                Value::Map(c.labels.iter().map(|(k, v)| (k.clone(), s(v))).collect())
            },
        ),
        field_omitempty("StopSignal", s(c.stop_signal.clone().unwrap_or_default())),
    ])
}

/// The whole inspect object of an image.
pub fn image_value(img: &Image) -> Value {
    let size = i64::try_from(img.size()).unwrap_or(i64::MAX);
    let layer_ids: Vec<String> = (0..img.layers.len())
        .map(|i| {
            format!(
                "sha256:{}",
                IdGenerator::digest_of(format!("{}:diff{i}", img.id).as_bytes())
            )
        })
        .collect();
    let cache = IdGenerator::digest_of(format!("{}:cache", img.id).as_bytes());
    Value::Struct(vec![
        field("Id", s(format!("sha256:{}", img.id))),
        field("RepoTags", strings(&img.repo_tags)),
        field("RepoDigests", Value::List(Vec::new())),
        field(
            "Parent",
            s(img
                .parent
                .as_ref()
                .map(|p| format!("sha256:{p}"))
                .unwrap_or_default()),
        ),
        field("Comment", s("")),
        field("Created", s(rfc3339(img.created))),
        field("Container", s("")),
        field("ContainerConfig", config_value(img)),
        field("DockerVersion", s("20.10.24+dfsg1")),
        field("Author", s("")),
        field("Config", config_value(img)),
        field("Architecture", s("amd64")),
        field("Os", s("linux")),
        field("Size", Value::Int(size)),
        field("VirtualSize", Value::Int(size)),
        field(
            "GraphDriver",
            Value::Struct(vec![
                field(
                    "Data",
                    Value::Map(
                        [
                            ("MergedDir", "merged"),
                            ("UpperDir", "diff"),
                            ("WorkDir", "work"),
                        ]
                        .iter()
                        .map(|(k, d)| {
                            (
                                k.to_string(),
                                s(format!("/var/lib/docker/overlay2/{cache}/{d}")),
                            )
                        })
                        .collect(),
                    ),
                ),
                field("Name", s("overlay2")),
            ]),
        ),
        field(
            "RootFS",
            Value::Struct(vec![
                field("Type", s("layers")),
                field("Layers", strings(&layer_ids)),
            ]),
        ),
        field(
            "Metadata",
            Value::Struct(vec![field("LastTagTime", s("0001-01-01T00:00:00Z"))]),
        ),
    ])
}

/// An image for `inspect`: found by reference, or the daemon's error text.
pub fn find(cli: &Cli<'_>, reference: &str) -> Result<Inspected, String> {
    match cli.daemon.world.images.find(reference) {
        Some(img) => Ok(Inspected {
            value: image_value(img),
            raw: true,
            type_name: "types.ImageInspect",
        }),
        None => Err(format!(
            "Error response from daemon: no such image: {reference}: No such image: {}",
            normalize_reference(reference)
        )),
    }
}

pub fn image_inspect(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    if let Err(out) = check_args(cmd, &m.args, Arity::AtLeast(1)) {
        return out;
    }
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for r in &m.args {
        match find(cli, r) {
            Ok(i) => found.push(i),
            Err(e) => errors.push(e),
        }
    }
    let mut out = Output::default();
    print_inspected(&mut out, found, errors, m.last("format"));
    out
}
