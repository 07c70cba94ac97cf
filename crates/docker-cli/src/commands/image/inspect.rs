//! `docker image inspect`: how an image was made (the build step's or committed container),
//! its config, content-addressed layers and overlay2's directories.

use std::collections::BTreeMap;

use layerbox_engine::clock::{rfc3339, short_id, IdGenerator};
use layerbox_engine::container::ContainerConfig;
use layerbox_engine::daemon::health::HealthConfig;
use layerbox_engine::image::{normalize_reference, Committed, Image, ImageConfig};
use layerbox_engine::world::World;
use layerbox_fstree::{Layer, OciKind};
use layerbox_sh::Output;

use crate::commands::image::history::{history_rows, Row};
use crate::commands::volume::inspect::print_inspected;
use crate::formatter::format::Inspected;
use crate::formatter::value::{field, field_omitempty, s, Value};
use crate::opts::flags::{option, Arity, Command, Matches};

use crate::Cli;

pub const IMAGE_INSPECT: Command = Command {
    path: "image inspect",
    args: Arity::AtLeast(1),
    usage: "docker image inspect [OPTIONS] IMAGE [IMAGE...]",
    flags: &[option("format", Some('f'))],
    interspersed: true,
    not_modelled: &["platform"],
};

pub(crate) fn strings(v: &[String]) -> Value {
    Value::List(v.iter().map(s).collect())
}

pub(crate) fn opt_strings(v: Option<&Vec<String>>) -> Value {
    match v {
        Some(v) => strings(v),
        None => Value::NilList,
    }
}

pub(crate) fn set(items: &[String]) -> Value {
    if items.is_empty() {
        Value::NilMap
    } else {
        Value::Map(layerbox_order::map(
            items.iter().map(|v| (v.clone(), Value::Struct(Vec::new()))),
        ))
    }
}

/// The builder's command for a step whose history row says `created_by` (moby joins the
/// command with spaces: `/bin/sh -c #(nop)  CMD ["sh"]` is `["/bin/sh", "-c", "#(nop) ",
/// "CMD [\"sh\"]"]`, `/bin/sh -c #(nop) WORKDIR /app` is `["/bin/sh", "-c", "#(nop) WORKDIR /app"]`).
pub(crate) fn step_cmd(created_by: &str) -> Vec<String> {
    let shell = ["/bin/sh".to_string(), "-c".to_string()];
    if let Some(comment) = created_by.strip_prefix("/bin/sh -c #(nop)  ") {
        return [&shell[..], &["#(nop) ".to_string(), comment.to_string()]].concat();
    }
    match created_by.strip_prefix("/bin/sh -c ") {
        Some(rest) => [&shell[..], &[rest.to_string()]].concat(),
        None => vec![created_by.to_string()],
    }
}

/// What a config object shows beyond an [`ImageConfig`]'s fields.
pub(crate) struct Shown<'a> {
    /// The committed container's hostname (its short id), or empty.
    pub(crate) hostname: &'a str,
    /// `Image`: what the container was created from (`alpine`, or the builder's
    /// `sha256:<parent>`), or empty.
    pub(crate) image: &'a str,
    pub(crate) cmd: Value,
    /// A container's `-t`, `-i` and whether the CLI attached to it (`docker commit` copies
    /// them into the image's config); false for a builder's step.
    pub(crate) tty: bool,
    pub(crate) open_stdin: bool,
    pub(crate) attached: bool,
    /// `Labels` is `{}` rather than `null` when empty, as in a container's config.
    pub(crate) labels_always: bool,
}

/// A config object (`Config`, `ContainerConfig`) as the API returns it.
pub(crate) fn config_value(c: &ImageConfig, shown: Shown<'_>) -> Value {
    let labels = if c.labels.is_empty() && !shown.labels_always {
        Value::NilMap
    } else {
        Value::Map(layerbox_order::map(
            c.labels.iter().map(|(k, v)| (k.clone(), s(v))),
        ))
    };
    let stdin = shown.attached && shown.open_stdin;
    Value::Struct(vec![
        field("Hostname", s(shown.hostname)),
        field("Domainname", s("")),
        field("User", s(&c.user)),
        field("AttachStdin", Value::Bool(stdin)),
        field("AttachStdout", Value::Bool(shown.attached)),
        field("AttachStderr", Value::Bool(shown.attached)),
        field_omitempty("ExposedPorts", set(&c.exposed_ports)),
        field("Tty", Value::Bool(shown.tty)),
        field("OpenStdin", Value::Bool(shown.open_stdin)),
        field("StdinOnce", Value::Bool(stdin)),
        field("Env", strings(&c.env)),
        field("Cmd", shown.cmd),
        field_omitempty("Healthcheck", health_config_value(c.healthcheck.as_ref())),
        field("Image", s(shown.image)),
        field("Volumes", set(&c.volumes)),
        field("WorkingDir", s(&c.working_dir)),
        field("Entrypoint", opt_strings(c.entrypoint.as_ref())),
        field("OnBuild", Value::NilList),
        field("Labels", labels),
        field_omitempty("StopSignal", s(c.stop_signal.clone().unwrap_or_default())),
    ])
}

/// `Config.Healthcheck` (`container.HealthConfig` as CLI 28 decodes it: every field
/// `omitempty`), `null` without one.
pub(crate) fn health_config_value(h: Option<&HealthConfig>) -> Value {
    let Some(h) = h else {
        return Value::Null;
    };
    Value::Struct(vec![
        field_omitempty("Test", strings(&h.test)),
        field_omitempty("Interval", Value::Duration(h.interval)),
        field_omitempty("Timeout", Value::Duration(h.timeout)),
        field_omitempty("StartPeriod", Value::Duration(h.start_period)),
        field_omitempty("StartInterval", Value::Duration(0)),
        field_omitempty("Retries", Value::Int(h.retries)),
    ])
}

/// A container's config as an image config (what `docker commit` starts from).
pub(crate) fn container_image_config(c: &ContainerConfig) -> ImageConfig {
    let some = |v: &Vec<String>| Some(v.clone()).filter(|v| !v.is_empty());
    ImageConfig {
        env: c.env.clone(),
        cmd: some(&c.cmd),
        entrypoint: some(&c.entrypoint),
        working_dir: c.working_dir.clone(),
        user: c.user.clone(),
        volumes: c.volumes.clone(),
        exposed_ports: c.exposed_ports.clone(),
        labels: c.labels.clone(),
        stop_signal: None,
        healthcheck: c.healthcheck.clone(),
    }
}

/// Whether the image was made elsewhere and loaded (as the recorder `docker load`s the sample
/// images, and as a pull leaves an image): no parent image or container here, and history rows
/// that are not the classic builder's (`/bin/sh -c …`).
pub(crate) fn loaded(img: &Image) -> bool {
    img.parent.is_none()
        && img.committed.is_none()
        && img
            .history
            .first()
            .is_some_and(|h| !h.created_by.starts_with("/bin/sh -c "))
}

/// The fields of an image that say how it was made.
pub(crate) struct Provenance {
    pub(crate) comment: Value,
    pub(crate) container: Value,
    pub(crate) container_config: Value,
    pub(crate) author: Value,
    pub(crate) config: Value,
}

/// `Container`, `ContainerConfig`, `Config`, `Comment` and `Author` of an image: the
/// container `docker commit` took (its config copied into the image's), the builder's step
/// container (its command the step's, `Image` the parent), or none for a base image.
pub(crate) fn provenance(img: &Image, parent_ref: &str, rows: &[Row]) -> Provenance {
    let plain = |cmd: Value| Shown {
        hostname: "",
        image: "",
        cmd,
        tty: false,
        open_stdin: false,
        attached: false,
        labels_always: false,
    };
    let config_cmd = || opt_strings(img.config.cmd.as_ref());
    // moby's inspect: the config's comment, else the last history row's.
    let comment = img.history.last().map(|h| h.comment.as_str()).unwrap_or("");
    if loaded(img) {
        // An image config written by BuildKit (the sample images, loaded as if pulled) has no
        // container config: every field of `ContainerConfig` is empty.
        let empty = Value::Struct(vec![
            field("Hostname", s("")),
            field("Domainname", s("")),
            field("User", s("")),
            field("AttachStdin", Value::Bool(false)),
            field("AttachStdout", Value::Bool(false)),
            field("AttachStderr", Value::Bool(false)),
            field("Tty", Value::Bool(false)),
            field("OpenStdin", Value::Bool(false)),
            field("StdinOnce", Value::Bool(false)),
            field("Env", Value::NilList),
            field("Cmd", Value::NilList),
            field("Image", s("")),
            field("Volumes", Value::NilMap),
            field("WorkingDir", s("")),
            field("Entrypoint", Value::NilList),
            field("OnBuild", Value::NilList),
            field("Labels", Value::NilMap),
        ]);
        return Provenance {
            comment: s(comment),
            container: s(""),
            container_config: empty,
            author: s(""),
            config: config_value(&img.config, plain(config_cmd())),
        };
    }
    if let Some(Committed::Commit {
        container,
        config,
        author,
    }) = &img.committed
    {
        let from_container = |cmd: Value| Shown {
            hostname: short_id(container),
            image: &config.image,
            cmd,
            tty: config.tty,
            open_stdin: config.open_stdin,
            attached: config.attached,
            labels_always: true,
        };
        let before = container_image_config(config);
        return Provenance {
            comment: s(comment),
            container: s(container),
            container_config: config_value(
                &before,
                from_container(opt_strings(before.cmd.as_ref())),
            ),
            author: s(author),
            config: config_value(&img.config, from_container(config_cmd())),
        };
    }
    let step_container = match &img.committed {
        Some(Committed::BuildStep { container }) => Some(container.clone()),
        // A `COPY` step here: the builder's container is not shown.
        _ if !parent_ref.is_empty() => Some(IdGenerator::digest_of(
            format!("{}:build container", img.id).as_bytes(),
        )),
        _ => None,
    };
    let top = rows.first().map(|r| r.created_by.as_str()).unwrap_or("");
    match step_container {
        Some(id) => {
            let step = Shown {
                hostname: short_id(&id),
                image: parent_ref,
                cmd: strings(&step_cmd(top)),
                labels_always: true,
                ..plain(Value::NilList)
            };
            let config = Shown {
                image: parent_ref,
                ..plain(config_cmd())
            };
            Provenance {
                comment: s(comment),
                container: s(&id),
                container_config: config_value(&img.config, step),
                author: s(""),
                config: config_value(&img.config, config),
            }
        }
        None => Provenance {
            comment: s(comment),
            container: s(""),
            container_config: config_value(&img.config, plain(config_cmd())),
            author: s(""),
            config: config_value(&img.config, plain(config_cmd())),
        },
    }
}

/// A layer's `diff_id`: a digest of its content (its OCI entries with their metadata, link
/// targets and bytes). Layers are content-addressed, as Docker's are: an image built on
/// `alpine` lists `alpine`'s layer under the same id, and so does any image sharing it.
/// Emulation note: Docker digests the layer's tar stream; this digest is not sha256, and a
/// sparse file (a sample image's declared size) is digested by its length, never made.
/// The layer keeps its digest, so `inspect` in a loop reads each layer once.
pub(crate) fn diff_id(layer: &Layer) -> String {
    layer.digest(layer_digest).to_string()
}

fn layer_digest(layer: &Layer) -> String {
    let mut bytes = Vec::new();
    for entry in layer.to_oci() {
        let held;
        let (tag, data): (u8, &[u8]) = match &entry.kind {
            OciKind::Dir => (b'd', &[]),
            OciKind::File(file) => match file.sparse_len() {
                Some(_) => (b'z', &[]),
                None => {
                    held = file.content();
                    (b'f', &held[..])
                }
            },
            OciKind::Symlink(target) => (b'l', target.as_bytes()),
            OciKind::Link(first) => (b'h', first.as_bytes()),
            OciKind::Whiteout => (b'w', &[]),
            OciKind::OpaqueWhiteout => (b'o', &[]),
            OciKind::CharDev(device) => (b'c', device.name().as_bytes()),
        };
        bytes.extend_from_slice(entry.path.as_bytes());
        bytes.push(0);
        bytes.push(tag);
        let meta = entry.meta;
        let len = match &entry.kind {
            OciKind::File(file) => file.len(),
            _ => data.len(),
        };
        let numbers = [
            meta.mode.into(),
            meta.uid.into(),
            meta.gid.into(),
            meta.mtime,
        ];
        for n in numbers.into_iter().chain([len as u64]) {
            bytes.extend_from_slice(&n.to_le_bytes());
        }
        bytes.extend_from_slice(data);
    }
    IdGenerator::digest_of(&bytes)
}

/// `GraphDriver.Data`: overlay2's directories of the image's top layer, and `LowerDir`, the
/// `diff` directories of the layers below it, top first. A layer's directory is named after
/// its chain (the layer and every layer below it, Docker's `ChainID`), so images sharing
/// layers share their directories.
pub(crate) fn graph_driver_data(img: &Image, diff_ids: &[String]) -> BTreeMap<String, Value> {
    let mut chain = String::new();
    let dirs: Vec<String> = diff_ids
        .iter()
        .map(|id| {
            chain = IdGenerator::digest_of(format!("{chain} {id}").as_bytes());
            format!(
                "/var/lib/docker/overlay2/{}",
                IdGenerator::digest_of(format!("{chain}:cache").as_bytes())
            )
        })
        .collect();
    let top = dirs.last().cloned().unwrap_or_else(|| {
        format!(
            "/var/lib/docker/overlay2/{}",
            IdGenerator::digest_of(format!("{}:cache", img.id).as_bytes())
        )
    });
    let mut data = BTreeMap::new();
    if dirs.len() > 1 {
        let lower: Vec<String> = dirs[..dirs.len() - 1]
            .iter()
            .rev()
            .map(|d| format!("{d}/diff"))
            .collect();
        data.insert("LowerDir".to_string(), s(lower.join(":")));
    }
    for (key, dir) in [
        ("MergedDir", "merged"),
        ("UpperDir", "diff"),
        ("WorkDir", "work"),
    ] {
        data.insert(key.to_string(), s(format!("{top}/{dir}")));
    }
    data
}

/// The whole inspect object of an image.
pub fn image_value(world: &World, img: &Image) -> Value {
    // A built image's parent is the image of the row below its top row.
    let rows = history_rows(world, img);
    let parent = match &img.parent {
        Some(p) => Some(p.clone()),
        None => rows
            .get(1)
            .map(|r| r.id.clone())
            .filter(|id| id != "<missing>"),
    };
    let parent_ref = parent.map(|p| format!("sha256:{p}")).unwrap_or_default();
    let made = provenance(img, &parent_ref, &rows);
    let size = i64::try_from(img.size()).unwrap_or(i64::MAX);
    let layer_ids: Vec<String> = img
        .layers
        .iter()
        .map(|layer| format!("sha256:{}", diff_id(layer)))
        .collect();
    let graph_data = graph_driver_data(img, &layer_ids);
    Value::Struct(vec![
        field("Id", s(format!("sha256:{}", img.id))),
        field("RepoTags", strings(&img.repo_tags)),
        field("RepoDigests", Value::List(Vec::new())),
        field("Parent", s(&parent_ref)),
        field("Comment", made.comment),
        field("Created", s(rfc3339(img.created))),
        field("Container", made.container),
        field("ContainerConfig", made.container_config),
        // BuildKit writes no `docker_version` into the configs it makes.
        field(
            "DockerVersion",
            s(if loaded(img) { "" } else { "20.10.24+dfsg1" }),
        ),
        field("Author", made.author),
        field("Config", made.config),
        field("Architecture", s("amd64")),
        field("Os", s("linux")),
        field("Size", Value::Int(size)),
        field("VirtualSize", Value::Int(size)),
        field(
            "GraphDriver",
            Value::Struct(vec![
                field("Data", Value::Map(graph_data)),
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
    match cli.world.images().find(reference) {
        Some(img) => Ok(Inspected {
            value: image_value(cli.world, img),
            raw: true,
            type_name: "types.ImageInspect",
        }),
        None => Err(format!(
            "Error response from daemon: no such image: {reference}: No such image: {}",
            normalize_reference(reference)
        )),
    }
}

pub fn image_inspect(cli: &mut Cli<'_>, _cmd: &Command, m: &Matches) -> Output {
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
