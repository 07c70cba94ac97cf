//! `docker version`, `docker info`, `docker system df` and `docker pull`: what layerbox can say
//! truthfully about itself. Emulation note: there is no daemon; the client half of `version`
//! and `info` names the CLI whose output layerbox reproduces (28.2.2, speaking API 1.41 as to
//! the recording engine), the server half says it is layerbox's model of Docker Engine 20.10.

use std::sync::Arc;

use layerbox_engine::container::Status;
use layerbox_engine::image::ImageStore;
use layerbox_sh::Output;

use super::flags::{option, switch, Command, Matches};
use super::format::{list, list_format, ListFormat};
use super::reply::{self, check_args, err_line, Arity};
use super::table;
use super::template::Template;
use super::value::{field, s, Value};
use super::volume::{human_size, human_size_precision};
use super::Cli;

pub const VERSION: Command = Command {
    path: "version",
    usage: "docker version [OPTIONS]",
    flags: &[option("format", Some('f'))],
    interspersed: true,
    not_modelled: &["kubeconfig"],
};

pub const INFO: Command = Command {
    path: "info",
    usage: "docker info [OPTIONS]",
    flags: &[option("format", Some('f'))],
    interspersed: true,
    not_modelled: &[],
};

pub const DF: Command = Command {
    path: "system df",
    usage: "docker system df [OPTIONS]",
    flags: &[option("format", None), switch("verbose", Some('v'))],
    interspersed: true,
    not_modelled: &[],
};

pub const PRUNE: Command = Command {
    path: "system prune",
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
pub fn prune(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
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
    let mut out = match reply::start_prune(cmd, m, cli.stdin, &warning, &warning) {
        Ok(out) => out,
        Err(out) => return out,
    };
    let (mut section, mut freed) = super::container::prune_containers(cli);
    if volumes {
        match super::volume::prune_volumes(cli.world, &[], false) {
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
    let (more, bytes) = super::image_rm::prune_images(cli.world, all);
    section.extend(more);
    reply::end_prune(&mut out, section, freed + bytes);
    out
}

pub const PULL: Command = Command {
    path: "pull",
    usage: "docker pull [OPTIONS] NAME[:TAG|@DIGEST]",
    flags: &[
        switch("all-tags", Some('a')),
        switch("quiet", Some('q')),
        option("platform", None),
    ],
    interspersed: true,
    not_modelled: &["disable-content-trust"],
};

const CLIENT_VERSION: &str = "28.2.2";
const ENGINE: &str = "layerbox (a model of Docker Engine 20.10.24's storage; not a daemon)";

/// Executes a single-object `--format` (`version`, `info`): the text, or the template error.
fn format_one(out: &mut Output, format: &str, value: &Value, type_name: &str) {
    match Template::parse(format).and_then(|t| t.execute_as(value, type_name)) {
        Ok(text) => reply::line(out, text),
        Err(e) => {
            err_line(out, format!("template parsing error: {e}"));
            out.code = 1;
        }
    }
}

pub fn version(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    let _ = cli;
    if let Err(out) = check_args(cmd, &m.args, Arity::Exact(0)) {
        return out;
    }
    let mut out = Output::default();
    let client = Value::Struct(vec![
        field("Platform", Value::Struct(vec![field("Name", s(""))])),
        field("Version", s(CLIENT_VERSION)),
        field("ApiVersion", s("1.41")),
        field("DefaultAPIVersion", s("1.50")),
        field("GoVersion", s("")),
        field("GitCommit", s("")),
        field("BuildTime", s("")),
        field("Os", s("layerbox")),
        field("Arch", s(std::env::consts::ARCH)),
        field("Context", s("default")),
    ]);
    let server = Value::Struct(vec![
        field(
            "Platform",
            Value::Struct(vec![field("Name", s("layerbox"))]),
        ),
        field("Version", s(ENGINE)),
        field("ApiVersion", s("1.41")),
        field("MinAPIVersion", s("1.12")),
        field("Os", s("layerbox")),
        field("Arch", s(std::env::consts::ARCH)),
    ]);
    if let Some(format) = m.last("format").filter(|f| !f.is_empty()) {
        let v = Value::Struct(vec![field("Client", client), field("Server", server)]);
        // The CLI names this template "version" and prints a blank line before an error.
        match Template::parse(format).and_then(|t| t.execute_as(&v, "system.versionInfo")) {
            Ok(text) => reply::line(&mut out, text),
            Err(e) => {
                reply::line(&mut out, "");
                err_line(
                    &mut out,
                    e.replacen("template: :", "template: version:", 1).replacen(
                        "executing \"\"",
                        "executing \"version\"",
                        1,
                    ),
                );
                out.code = 1;
            }
        }
        return out;
    }
    let text = format!(
        "Client:\n Version:           {CLIENT_VERSION}\n API version:       1.41 (downgraded from 1.50)\n OS/Arch:           layerbox/{arch}\n Context:           default\n\nServer: layerbox\n Engine:\n  Version:          {ENGINE}\n  API version:      1.41 (minimum version 1.12)\n",
        arch = std::env::consts::ARCH
    );
    out.stdout.extend_from_slice(text.as_bytes());
    out
}

pub fn info(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    if let Err(out) = check_args(cmd, &m.args, Arity::Exact(0)) {
        return out;
    }
    let world = &cli.world;
    let count = |want: Option<Status>| {
        world
            .containers()
            .values()
            .filter(|c| want.as_ref().is_none_or(|w| c.state.status == *w))
            .count() as i64
    };
    let total = count(None);
    let running = count(Some(Status::Running));
    let images = world.images().images.len() as i64;
    let mut out = Output::default();
    if let Some(format) = m.last("format").filter(|f| !f.is_empty()) {
        let v = Value::Struct(vec![
            field("Containers", Value::Int(total)),
            field("ContainersRunning", Value::Int(running)),
            field("ContainersPaused", Value::Int(0)),
            field("ContainersStopped", Value::Int(total - running)),
            field("Images", Value::Int(images)),
            field("Driver", s("overlay2")),
            field("ServerVersion", s(ENGINE)),
            field("Name", s("layerbox")),
        ]);
        format_one(&mut out, format, &v, "system.Info");
        return out;
    }
    let text = format!(
        "Client:\n Version:    {CLIENT_VERSION}\n Context:    default\n Debug Mode: false\n\nServer:\n Containers: {total}\n  Running: {running}\n  Paused: 0\n  Stopped: {stopped}\n Images: {images}\n Server Version: {ENGINE}\n Storage Driver: overlay2 (modelled: image layers, the container's writable layer, whiteouts)\n Volume driver: local\n Name: layerbox\n",
        stopped = total - running
    );
    out.stdout.extend_from_slice(text.as_bytes());
    out
}

/// Bytes of an image's layers that no other image shares.
fn unique_size(store: &ImageStore, id: &str) -> u64 {
    let Some(img) = store.images.get(id) else {
        return 0;
    };
    img.layers
        .iter()
        .filter(|l| {
            !store
                .images
                .values()
                .filter(|o| o.id != img.id)
                .any(|o| o.layers.iter().any(|x| Arc::ptr_eq(x, l)))
        })
        .map(|l| l.size())
        .sum()
}

fn reclaimable(size: u64, total: u64, percent: bool) -> String {
    if !percent || total == 0 {
        return human_size(size);
    }
    format!("{} ({}%)", human_size(size), size * 100 / total)
}

pub fn df(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    if let Err(out) = check_args(cmd, &m.args, Arity::Exact(0)) {
        return out;
    }
    if m.on("verbose") {
        return df_verbose(cli);
    }
    let world = &cli.world;
    // Images: every distinct layer once.
    let mut layers: Vec<&Arc<layerbox_fstree::Layer>> = Vec::new();
    for img in world.images().images.values() {
        for l in &img.layers {
            if !layers.iter().any(|x| Arc::ptr_eq(x, l)) {
                layers.push(l);
            }
        }
    }
    let image_total: u64 = layers.iter().map(|l| l.size()).sum();
    let active_images: Vec<&String> = world
        .images()
        .images
        .keys()
        .filter(|id| world.containers().values().any(|c| &c.image_id == *id))
        .collect();
    let image_reclaim = image_total.saturating_sub(
        active_images
            .iter()
            .map(|id| unique_size(world.images(), id))
            .sum(),
    );
    let containers: Vec<_> = world.containers().values().collect();
    let running = containers
        .iter()
        .filter(|c| c.state.status == Status::Running)
        .count();
    let container_size: u64 = containers.iter().map(|c| c.size_rw()).sum();
    let container_reclaim: u64 = containers
        .iter()
        .filter(|c| c.state.status != Status::Running)
        .map(|c| c.size_rw())
        .sum();
    let used = |name: &str| {
        containers
            .iter()
            .any(|c| c.mounts.iter().any(|mp| mp.name == name))
    };
    let volumes: Vec<_> = world.volumes().volumes.values().collect();
    let volume_size: u64 = volumes.iter().map(|v| v.size()).sum();
    let volume_active = volumes.iter().filter(|v| used(&v.meta.name)).count();
    let volume_reclaim: u64 = volumes
        .iter()
        .filter(|v| !used(&v.meta.name))
        .map(|v| v.size())
        .sum();
    let row = |t: &str, total: usize, active: usize, size: u64, reclaim: String| {
        Value::Struct(vec![
            field("Type", s(t)),
            field("TotalCount", s(total.to_string())),
            field("Active", s(active.to_string())),
            field("Size", s(human_size(size))),
            field("Reclaimable", s(reclaim)),
        ])
    };
    let rows = vec![
        row(
            "Images",
            world.images().images.len(),
            active_images.len(),
            image_total,
            reclaimable(image_reclaim, image_total, true),
        ),
        row(
            "Containers",
            containers.len(),
            running,
            container_size,
            reclaimable(container_reclaim, container_size, true),
        ),
        row(
            "Local Volumes",
            volumes.len(),
            volume_active,
            volume_size,
            reclaimable(volume_reclaim, volume_size, true),
        ),
        row("Build Cache", 0, 0, 0, "0B".into()),
    ];
    let mut out = Output::default();
    match list_format(m.last("format")) {
        ListFormat::Template { table, body } => list(
            &mut out,
            table,
            &body,
            &[
                ("Type", "TYPE"),
                ("TotalCount", "TOTAL"),
                ("Active", "ACTIVE"),
                ("Size", "SIZE"),
                ("Reclaimable", "RECLAIMABLE"),
            ],
            "*formatter.diskUsageImagesContext",
            rows,
        ),
        ListFormat::Default => {
            let mut cells = vec![["TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE"]
                .iter()
                .map(|h| h.to_string())
                .collect::<Vec<_>>()];
            for r in &rows {
                cells.push(
                    ["Type", "TotalCount", "Active", "Size", "Reclaimable"]
                        .iter()
                        .map(|k| r.get(k).map(Value::go_print).unwrap_or_default())
                        .collect(),
                );
            }
            out.stdout
                .extend_from_slice(table::render(&cells).as_bytes());
        }
    }
    out
}

fn cells(rows: &[Vec<String>]) -> String {
    table::render(rows)
}

fn header(names: &[&str]) -> Vec<String> {
    names.iter().map(|h| h.to_string()).collect()
}

/// `docker system df -v`: every image, container and volume with its sizes.
fn df_verbose(cli: &mut Cli<'_>) -> Output {
    let world = &*cli.world;
    let now = world.now();
    let store = &world.images();
    let mut imgs: Vec<&layerbox_engine::image::Image> = store.images.values().collect();
    // As `docker images` lists them: newest first.
    imgs.reverse();
    layerbox_order::sort_by_key(&mut imgs, |i| std::cmp::Reverse(i.created));
    let mut text = String::from("Images space usage:\n\n");
    let mut rows = vec![header(&[
        "REPOSITORY",
        "TAG",
        "IMAGE ID",
        "CREATED",
        "SIZE",
        "SHARED SIZE",
        "UNIQUE SIZE",
        "CONTAINERS",
    ])];
    for img in imgs {
        let unique = unique_size(store, &img.id);
        let shared = img.size() - unique;
        let users = world
            .containers()
            .values()
            .filter(|c| c.image_id == img.id)
            .count();
        let tags: Vec<(String, String)> = if img.repo_tags.is_empty() {
            vec![("<none>".into(), "<none>".into())]
        } else {
            img.repo_tags
                .iter()
                .map(|t| match t.rsplit_once(':') {
                    Some((r, tag)) => (r.to_string(), tag.to_string()),
                    None => (t.clone(), "<none>".into()),
                })
                .collect()
        };
        for (repo, tag) in tags {
            rows.push(vec![
                repo,
                tag,
                img.id[..12.min(img.id.len())].to_string(),
                format!(
                    "{} ago",
                    super::container::human_duration(now.saturating_sub(img.created))
                ),
                human_size_precision(img.size(), 3),
                human_size(shared),
                human_size(unique),
                users.to_string(),
            ]);
        }
    }
    text.push_str(&cells(&rows));
    text.push_str("\nContainers space usage:\n\n");
    let mut rows = vec![header(&[
        "CONTAINER ID",
        "IMAGE",
        "COMMAND",
        "LOCAL VOLUMES",
        "SIZE",
        "CREATED",
        "STATUS",
        "NAMES",
    ])];
    for c in world.containers_newest_first() {
        let v = super::container::ps_value(
            c,
            String::new(),
            now,
            true,
            None,
            super::container::image_shown(world, c),
        );
        let get = |k: &str| v.get(k).map(Value::go_print).unwrap_or_default();
        let volumes = c
            .mounts
            .iter()
            .filter(|mp| mp.kind == layerbox_engine::mount_spec::MountType::Volume)
            .count();
        rows.push(vec![
            get("ID"),
            get("Image"),
            get("Command"),
            volumes.to_string(),
            human_size(c.size_rw()),
            get("RunningFor"),
            get("Status"),
            get("Names"),
        ]);
    }
    text.push_str(&cells(&rows));
    text.push_str("\nLocal Volumes space usage:\n\n");
    let mut rows = vec![header(&["VOLUME NAME", "LINKS", "SIZE"])];
    for v in world.volumes().volumes.values() {
        let links = world
            .containers()
            .values()
            .filter(|c| c.mounts.iter().any(|mp| mp.name == v.meta.name))
            .count();
        rows.push(vec![
            v.meta.name.clone(),
            links.to_string(),
            human_size(v.size()),
        ]);
    }
    text.push_str(&cells(&rows));
    text.push_str("\nBuild cache usage: 0B\n\n");
    text.push_str(&cells(&[header(&[
        "CACHE ID",
        "CACHE TYPE",
        "SIZE",
        "CREATED",
        "LAST USED",
        "USAGE",
        "SHARED",
    ])]));
    Output {
        stdout: text.into_bytes(),
        ..Output::default()
    }
}

pub fn pull(cli: &mut Cli<'_>, cmd: &Command, m: &Matches) -> Output {
    if let Err(out) = check_args(cmd, &m.args, Arity::Exact(1)) {
        return out;
    }
    let present = cli.world.images().find(&m.args[0]).is_some();
    let why = if present {
        "the sample images are already here".to_string()
    } else {
        format!(
            "there is no registry; the sample images are {}",
            ImageStore::sample_references().join(", ")
        )
    };
    let mut out = Output::default();
    err_line(
        &mut out,
        format!("layerbox: docker pull is not modelled: {why}"),
    );
    out.code = 1;
    out
}
