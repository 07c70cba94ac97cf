//! `docker system df [-v]`: space used by images, containers, volumes and the build cache.

use std::sync::Arc;

use layerbox_engine::container::Status;
use layerbox_engine::image::ImageStore;
use layerbox_sh::Output;

use crate::formatter::format::{list, list_format, ListFormat};
use crate::formatter::table;
use crate::formatter::units::{human_size, human_size_precision};
use crate::formatter::value::{field, s, Value};
use crate::opts::flags::{option, switch, Arity, Command, Matches};

use crate::Cli;

pub const DF: Command = Command {
    path: "system df",
    args: Arity::Exact(0),
    usage: "docker system df [OPTIONS]",
    flags: &[option("format", None), switch("verbose", Some('v'))],
    interspersed: true,
    not_modelled: &[],
};

/// Bytes of an image's layers that no other image shares.
pub(crate) fn unique_size(store: &ImageStore, id: &str) -> u64 {
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

pub(crate) fn reclaimable(size: u64, total: u64, percent: bool) -> String {
    if !percent || total == 0 {
        return human_size(size);
    }
    format!("{} ({}%)", human_size(size), size * 100 / total)
}

pub fn df(cli: &mut Cli<'_>, _cmd: &Command, m: &Matches) -> Output {
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

pub(crate) fn cells(rows: &[Vec<String>]) -> String {
    table::render(rows)
}

pub(crate) fn header(names: &[&str]) -> Vec<String> {
    names.iter().map(|h| h.to_string()).collect()
}

/// `docker system df -v`: every image, container and volume with its sizes.
pub(crate) fn df_verbose(cli: &mut Cli<'_>) -> Output {
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
                    crate::formatter::units::human_duration(now.saturating_sub(img.created))
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
        let v = crate::commands::container::list::ps_value(
            c,
            String::new(),
            now,
            true,
            None,
            crate::commands::container::list::image_shown(world, c),
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
