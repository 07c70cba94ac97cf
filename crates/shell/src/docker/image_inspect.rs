//! `docker image inspect` and images in `docker inspect`: the image object in Engine 20.10's
//! field order (API 1.41).
//!
//! The sample images stand for what the recorder's classic builder made (every step an image
//! whose parent is the step before), so their `Parent` is the step below, as `docker history`
//! shows it, and `Container`/`ContainerConfig` are the container the last step committed.
//! Emulation note: images built or committed in layerbox show their parent but no committed
//! container (`Container` empty, `ContainerConfig` the image's config).

use layerbox_engine::clock::{rfc3339, IdGenerator};
use layerbox_engine::image::{normalize_reference, Image};
use layerbox_engine::world::World;
use layerbox_sh::Output;

use super::flags::{option, Command, Matches};
use super::format::Inspected;
use super::history::history_rows;
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
        Value::Map(layerbox_order::map(
            items.iter().map(|v| (v.clone(), Value::Struct(Vec::new()))),
        ))
    }
}

/// The container the classic builder committed for an image's last step (`#(nop)` steps too:
/// the builder creates a container with the step's comment as its command and commits it).
struct Committed {
    /// The container's id (64 hex); its hostname is the first 12.
    id: String,
    /// The step's command: the history row's `CreatedBy` split back into the builder's words.
    cmd: Vec<String>,
}

/// The builder's command for a step whose history row says `created_by` (moby joins the
/// command with spaces: `/bin/sh -c #(nop)  CMD ["sh"]` is `["/bin/sh", "-c", "#(nop) ",
/// "CMD [\"sh\"]"]`, `/bin/sh -c #(nop) WORKDIR /app` is `["/bin/sh", "-c", "#(nop) WORKDIR /app"]`).
fn step_cmd(created_by: &str) -> Vec<String> {
    let shell = ["/bin/sh".to_string(), "-c".to_string()];
    if let Some(comment) = created_by.strip_prefix("/bin/sh -c #(nop)  ") {
        return [&shell[..], &["#(nop) ".to_string(), comment.to_string()]].concat();
    }
    match created_by.strip_prefix("/bin/sh -c ") {
        Some(rest) => [&shell[..], &[rest.to_string()]].concat(),
        None => vec![created_by.to_string()],
    }
}

/// The image's `Config` (a container config, as the API returns it): `image` is the parent
/// the config was built on (`sha256:…`, or empty); with `committed`, the container config of
/// the step's container instead (its hostname, the step's command, labels never nil).
fn config_value(img: &Image, image: &str, committed: Option<&Committed>) -> Value {
    let c = &img.config;
    let hostname = committed.map(|k| k.id[..12.min(k.id.len())].to_string());
    let cmd = match committed {
        Some(k) => strings(&k.cmd),
        None => opt_strings(c.cmd.as_ref()),
    };
    let labels = if c.labels.is_empty() && committed.is_none() {
        Value::NilMap
    } else {
        Value::Map(layerbox_order::map(
            c.labels.iter().map(|(k, v)| (k.clone(), s(v))),
        ))
    };
    Value::Struct(vec![
        field("Hostname", s(hostname.unwrap_or_default())),
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
        field("Cmd", cmd),
        field("Image", s(image)),
        field("Volumes", set(&c.volumes)),
        field("WorkingDir", s(&c.working_dir)),
        field("Entrypoint", opt_strings(c.entrypoint.as_ref())),
        field("OnBuild", Value::NilList),
        field("Labels", labels),
        field_omitempty("StopSignal", s(c.stop_signal.clone().unwrap_or_default())),
    ])
}

/// The whole inspect object of an image.
pub fn image_value(world: &World, img: &Image) -> Value {
    // A sample's steps are images too: its parent is the row below the top in its history.
    let rows = history_rows(world, img);
    let parent = match &img.parent {
        Some(p) => Some(p.clone()),
        None => rows
            .get(1)
            .map(|r| r.id.clone())
            .filter(|id| id != "<missing>"),
    };
    let committed = match (&img.parent, rows.first()) {
        (None, Some(top)) if parent.is_some() => Some(Committed {
            id: IdGenerator::digest_of(format!("{}:build container", img.id).as_bytes()),
            cmd: step_cmd(&top.created_by),
        }),
        _ => None,
    };
    let parent_ref = parent.map(|p| format!("sha256:{p}")).unwrap_or_default();
    // Docker's classic builder sets the config's `Image` to the step's parent.
    // Emulation note: images built or committed in layerbox leave it empty.
    let config_image = if committed.is_some() {
        parent_ref.as_str()
    } else {
        ""
    };
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
        field("Parent", s(&parent_ref)),
        field("Comment", s("")),
        field("Created", s(rfc3339(img.created))),
        field(
            "Container",
            s(committed.as_ref().map(|k| k.id.clone()).unwrap_or_default()),
        ),
        field(
            "ContainerConfig",
            config_value(img, config_image, committed.as_ref()),
        ),
        field("DockerVersion", s("20.10.24+dfsg1")),
        field("Author", s("")),
        field("Config", config_value(img, config_image, None)),
        field("Architecture", s("amd64")),
        field("Os", s("linux")),
        field("Size", Value::Int(size)),
        field("VirtualSize", Value::Int(size)),
        field(
            "GraphDriver",
            Value::Struct(vec![
                field(
                    "Data",
                    Value::Map(layerbox_order::map(
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
                        }),
                    )),
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
            Value::Struct(vec![field(
                "LastTagTime",
                s(img
                    .last_tag_time
                    .map(rfc3339)
                    .unwrap_or_else(|| "0001-01-01T00:00:00Z".into())),
            )]),
        ),
    ])
}

/// An image for `inspect`: found by reference, or the daemon's error text.
pub fn find(cli: &Cli<'_>, reference: &str) -> Result<Inspected, String> {
    match cli.daemon.world.images.find(reference) {
        Some(img) => Ok(Inspected {
            value: image_value(&cli.daemon.world, img),
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
