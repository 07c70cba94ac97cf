//! The diagram's nodes and edges from a read-only world and the last step's change events.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use layerbox_engine::change::Change;
use layerbox_engine::container::{Container, Status};
use layerbox_engine::host::Host;
use layerbox_engine::mount_spec::MountType;
use layerbox_engine::provenance::Backs;
use layerbox_engine::world::World;
use layerbox_fstree::{path, ChangeKind, FileType, Layer, Store};

use super::changes::{notes, NoteWhat};
use super::{
    id_part, Diagram, Disk, Edge, ElementKind, LayerNode, MountNode, Region, Removed, Source,
    SourceDetail, StackNode, TopEntry, MAX_REMOVED, MAX_SHOWN, MAX_UNUSED_SOURCES,
};
use crate::highlight::highlights;
use crate::kind::Kind;
use crate::layers::{image_label, summary};
use crate::volumes::{volumes, VolumeBacking};

/// How many names of what a mount hides the diagram lists.
const HIDES_LISTED: usize = 6;

/// Ids handed out once each: a second element whose id would repeat gets `-2`, `-3`, ...
#[derive(Default)]
struct Ids {
    used: BTreeSet<String>,
}

impl Ids {
    fn take(&mut self, id: String) -> String {
        if self.used.insert(id.clone()) {
            return id;
        }
        (2..)
            .map(|n| format!("{id}-{n}"))
            .find(|c| self.used.insert(c.clone()))
            .unwrap_or(id)
    }
}

/// The diagram of `world` after a step whose change events are `changes` (`before`: the
/// world before the step, to name what it removed). `show` names the containers the learner
/// picked (at most [`MAX_SHOWN`] are drawn); empty, the containers the step touched come
/// first, then the newest.
pub fn diagram(
    world: &World,
    changes: &[Change],
    before: Option<&World>,
    show: &[String],
) -> Diagram {
    let flash = highlights(changes, world);
    let newest = world.containers_newest_first();
    let mut picked: Vec<&Container> = show
        .iter()
        .filter_map(|n| newest.iter().find(|c| c.name == *n || c.id == *n).copied())
        .collect();
    if picked.is_empty() {
        picked.extend(
            newest
                .iter()
                .filter(|c| flash.containers.contains(&c.id))
                .copied(),
        );
        picked.extend(newest.iter().copied());
    }
    let mut seen = BTreeSet::new();
    picked.retain(|c| seen.insert(c.id.clone()));
    picked.truncate(MAX_SHOWN);
    let not_shown = newest
        .iter()
        .filter(|c| !picked.iter().any(|p| p.id == c.id))
        .map(|c| c.name.clone())
        .collect();

    let mut ids = Ids::default();
    // Image layers under the drawn containers, each once, named after the smallest image
    // holding it.
    let mut layer_ids: Vec<(Arc<Layer>, String)> = Vec::new();
    let mut layers: Vec<LayerNode> = Vec::new();
    for c in &picked {
        let lowers = c.rootfs.lowers();
        let image_layers = &lowers[..lowers.len().saturating_sub(1)];
        for (i, l) in image_layers.iter().enumerate() {
            if layer_ids.iter().any(|(k, _)| Arc::ptr_eq(k, l)) {
                continue;
            }
            let node = layer_node(world, c, l, i, &image_layers[..i], &mut ids);
            layer_ids.push((l.clone(), node.id.clone()));
            layers.push(node);
        }
    }
    let layer_id = |l: &Arc<Layer>| {
        layer_ids
            .iter()
            .find(|(k, _)| Arc::ptr_eq(k, l))
            .map(|(_, id)| id.clone())
            .unwrap_or_default()
    };

    // Columns: containers on the same layers side by side (sorted by their layers' ids), in
    // creation order among those.
    let mut disks: Vec<(Vec<String>, usize, Disk)> = Vec::new();
    let mut sources: Vec<Source> = Vec::new();
    let mut edges: Vec<Edge> = Vec::new();
    let all_volumes = volumes(world);
    for row in &all_volumes {
        let region = match row.backing {
            VolumeBacking::Memory => Region::Memory,
            VolumeBacking::HostDir(_) => Region::HostFs,
            VolumeBacking::Nfs(_) => Region::NetworkShare,
            _ => Region::DockerArea,
        };
        let path = match &row.backing {
            VolumeBacking::HostDir(dir) | VolumeBacking::Nfs(dir) => dir.clone(),
            _ => row.mountpoint.clone(),
        };
        sources.push(Source {
            id: ids.take(format!("dg-volume-{}", id_part(&row.name))),
            kind: ElementKind::Volume,
            storage: Kind::Volume,
            region,
            name: row.name.clone(),
            path,
            detail: SourceDetail::Volume {
                anonymous: row.anonymous,
                origin: row.origin,
                origin_image: row.origin_image.clone(),
                backing: row.backing.clone(),
                size: row.size,
                used_by: row
                    .users
                    .iter()
                    .map(|u| u.container_id.as_str())
                    .collect::<BTreeSet<_>>()
                    .len(),
            },
            users: Vec::new(),
            changed: flash.volumes.contains(&row.name),
        });
    }
    for c in &picked {
        let name = c.name.clone();
        let part = id_part(&name);
        let lowers = c.rootfs.lowers();
        let image_layers = &lowers[..lowers.len().saturating_sub(1)];
        let running = c.state.status == Status::Running;
        let disk_id = ids.take(format!("dg-container-{part}"));
        let mut mounts = Vec::new();
        let mut ordered: Vec<&layerbox_engine::container::MountPoint> = c.mounts.iter().collect();
        layerbox_order::sort_by(&mut ordered, |a, b| a.destination.cmp(&b.destination));
        for m in ordered {
            let kind = Kind::of_mount(m);
            let active = m.kind != MountType::Tmpfs || running;
            let source = match m.kind {
                MountType::Volume => sources
                    .iter()
                    .find(|s| s.kind == ElementKind::Volume && s.name == m.name)
                    .map(|s| s.id.clone())
                    .unwrap_or_default(),
                MountType::Bind => bind_source(world, &m.source, &mut sources, &mut ids),
                MountType::Tmpfs => {
                    let entries = c
                        .tmpfs
                        .get(&m.destination)
                        .filter(|_| running)
                        .and_then(|t| t.entries("/").ok())
                        .map_or(0, |e| e.len());
                    let id = ids.take(format!("dg-tmpfs-{part}-{}", id_part(&m.destination)));
                    sources.push(Source {
                        id: id.clone(),
                        kind: ElementKind::Tmpfs,
                        storage: Kind::Tmpfs,
                        region: Region::Memory,
                        name: format!("{name}:{}", m.destination),
                        path: String::new(),
                        detail: SourceDetail::Tmpfs {
                            container: name.clone(),
                            destination: m.destination.clone(),
                            entries,
                        },
                        users: Vec::new(),
                        changed: false,
                    });
                    id
                }
            };
            if let Some(s) = sources.iter_mut().find(|s| s.id == source) {
                if !s.users.contains(&name) {
                    s.users.push(name.clone());
                }
            }
            let (hides, hidden_total) = if active {
                hidden_by_mount(c, &m.destination)
            } else {
                (Vec::new(), 0)
            };
            let mount = MountNode {
                id: ids.take(format!("dg-mount-{part}-{}", id_part(&m.destination))),
                destination: m.destination.clone(),
                mount_type: m.kind.as_str(),
                kind,
                rw: m.rw,
                origin: m.origin,
                source: source.clone(),
                hides,
                hidden_total,
                active,
                changed: flash
                    .container_paths
                    .iter()
                    .any(|(id, p)| *id == c.id && path::is_within(p, &m.destination)),
            };
            edges.push(Edge {
                mount: mount.id.clone(),
                container: disk_id.clone(),
                source,
                destination: m.destination.clone(),
                mount_type: mount.mount_type,
                rw: m.rw,
                kind,
                changed: mount.changed,
            });
            mounts.push(mount);
        }
        let (added, modified, removed) = diff_counts(c);
        let init = lowers
            .split_last()
            .map(|(init, below)| summary(init, below));
        let disk = Disk {
            id: disk_id,
            name: name.clone(),
            container_id: c.id.clone(),
            image: c.config.image.clone(),
            running,
            dirs: top_entries(world, c),
            mounts,
            writable: StackNode {
                id: ids.take(format!("dg-writable-{part}")),
                kind: ElementKind::WritableLayer,
                size: c.size_rw(),
                added,
                modified,
                removed,
                changed: false,
            },
            init: StackNode {
                id: ids.take(format!("dg-init-{part}")),
                kind: ElementKind::InitLayer,
                size: init.map_or(0, |s| s.size),
                added: init.map_or(0, |s| s.added),
                modified: init.map_or(0, |s| s.modified),
                removed: init.map_or(0, |s| s.removed),
                changed: false,
            },
            layers: image_layers.iter().map(layer_id).collect(),
            changed: flash.containers.contains(&c.id),
        };
        let order = world.creation_index(&c.id).unwrap_or(usize::MAX);
        disks.push((disk.layers.clone(), order, disk));
    }
    layerbox_order::sort_by(&mut disks, |a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    let mut containers: Vec<Disk> = disks.into_iter().map(|(_, _, d)| d).collect();
    // Sources nobody drawn uses come after those in use, each region in its own order.
    layerbox_order::sort_by(&mut sources, |a, b| {
        (a.region, a.users.is_empty()).cmp(&(b.region, b.users.is_empty()))
    });

    let mut removed = removed_by(changes, world, before, &mut ids);
    let removed_more = removed.len().saturating_sub(MAX_REMOVED);
    removed.truncate(MAX_REMOVED);
    let notes = notes(changes, world, before, &containers, &sources);
    // What the notes point at flashes.
    let targets: BTreeSet<&str> = notes
        .iter()
        .flat_map(|n| n.targets.iter().map(String::as_str))
        .collect();
    for d in &mut containers {
        d.writable.changed = targets.contains(d.writable.id.as_str());
        d.init.changed = targets.contains(d.init.id.as_str());
        for m in &mut d.mounts {
            m.changed |= targets.contains(m.id.as_str());
        }
    }
    for l in &mut layers {
        l.changed = targets.contains(l.id.as_str());
    }
    for s in &mut sources {
        s.changed |= targets.contains(s.id.as_str());
    }
    for e in &mut edges {
        e.changed |= targets.contains(e.mount.as_str());
    }
    // Bind sources the step wrote on the host.
    for s in &mut sources {
        if matches!(s.kind, ElementKind::Bind | ElementKind::NetworkShare)
            && flash.host_dir(&s.path)
        {
            s.changed = true;
        }
    }
    let sources_more = drop_unused_sources(&mut sources);
    // Layers in the order the columns stand on them: bottom rows first.
    layerbox_order::sort_by(&mut layers, |a, b| a.index.cmp(&b.index));
    Diagram {
        containers,
        not_shown,
        layers,
        sources,
        edges,
        removed,
        removed_more,
        sources_more,
        notes,
    }
}

/// Keeps every source a drawn container uses and at most [`MAX_UNUSED_SOURCES`] others, those
/// the step changed first, in order; returns how many it dropped.
fn drop_unused_sources(sources: &mut Vec<Source>) -> usize {
    let mut keep: Vec<bool> = sources.iter().map(|s| !s.users.is_empty()).collect();
    let mut room = MAX_UNUSED_SOURCES;
    for changed in [true, false] {
        for (i, s) in sources.iter().enumerate() {
            if room > 0 && !keep[i] && s.users.is_empty() && s.changed == changed {
                keep[i] = true;
                room -= 1;
            }
        }
    }
    let dropped = keep.iter().filter(|k| !**k).count();
    let mut i = 0;
    sources.retain(|_| {
        i += 1;
        keep[i - 1]
    });
    dropped
}

/// The node of image layer `l` at `index` of container `c`'s stack.
fn layer_node(
    world: &World,
    c: &Container,
    l: &Arc<Layer>,
    index: usize,
    below: &[Arc<Layer>],
    ids: &mut Ids,
) -> LayerNode {
    let holders: Vec<&layerbox_engine::image::Image> = world
        .images()
        .images
        .values()
        .filter(|i| i.layers.iter().any(|k| Arc::ptr_eq(k, l)))
        .collect();
    let owner = holders
        .iter()
        .min_by(|a, b| (a.layers.len(), image_label(a)).cmp(&(b.layers.len(), image_label(b))))
        .copied();
    let mut images: Vec<String> = holders.iter().map(|i| image_label(i)).collect();
    layerbox_order::sort(&mut images);
    let mut containers: Vec<String> = world
        .containers()
        .values()
        .filter(|k| k.rootfs.lowers().iter().any(|x| Arc::ptr_eq(x, l)))
        .map(|k| k.name.clone())
        .collect();
    layerbox_order::sort(&mut containers);
    let (owner_name, created_by) = match owner {
        Some(img) => (
            image_label(img),
            img.layer_instructions()
                .get(index)
                .map(|created_by| crate::dockerfile_line(created_by))
                .unwrap_or_default(),
        ),
        None => (
            c.image_id[..12.min(c.image_id.len())].to_string(),
            String::new(),
        ),
    };
    LayerNode {
        id: ids.take(format!("dg-layer-{}-{}", id_part(&owner_name), index + 1)),
        index,
        created_by,
        size: summary(l, below).size,
        images,
        containers,
        changed: false,
    }
}

/// The id of the source node for bind source `host_path`, made on first use.
fn bind_source(world: &World, host_path: &str, sources: &mut Vec<Source>, ids: &mut Ids) -> String {
    if let Some(s) = sources.iter().find(|s| {
        matches!(s.kind, ElementKind::Bind | ElementKind::NetworkShare) && s.path == host_path
    }) {
        return s.id.clone();
    }
    let share = Host::is_on_share(host_path);
    let (store, rel) = world.host().store(host_path);
    let node = store.node(&rel);
    let id = ids.take(format!("dg-bind-{}", id_part(host_path)));
    sources.push(Source {
        id: id.clone(),
        kind: if share {
            ElementKind::NetworkShare
        } else {
            ElementKind::Bind
        },
        storage: if share {
            Kind::NetworkBind
        } else {
            Kind::LocalBind
        },
        region: if share {
            Region::NetworkShare
        } else {
            Region::HostFs
        },
        name: host_path.to_string(),
        path: host_path.to_string(),
        detail: SourceDetail::Bind {
            file: node.as_ref().is_some_and(|s| !s.is_dir()),
            missing: node.is_none(),
        },
        users: Vec::new(),
        changed: false,
    });
    id
}

/// What the container's own filesystem has at `dest`, which a mount there hides: the first
/// few names and how many.
fn hidden_by_mount(c: &Container, dest: &str) -> (Vec<String>, usize) {
    match c.rootfs.node(dest) {
        Some(st) if st.is_dir() => {
            let mut names: Vec<String> = c
                .rootfs
                .entries(dest)
                .unwrap_or_default()
                .into_iter()
                .map(|e| e.name)
                .collect();
            layerbox_order::sort(&mut names);
            let total = names.len();
            names.truncate(HIDES_LISTED);
            (names, total)
        }
        // A single-file bind over an image file hides that file.
        Some(_) => (
            path::split(dest)
                .map(|(_, n)| vec![n.to_string()])
                .unwrap_or_default(),
            1,
        ),
        None => (Vec::new(), 0),
    }
}

/// `docker diff`'s A, C and D counts of the writable layer.
fn diff_counts(c: &Container) -> (usize, usize, usize) {
    let (mut a, mut m, mut d) = (0, 0, 0);
    for ch in c.rootfs.changes(&[]) {
        match ch.kind {
            ChangeKind::Add => a += 1,
            ChangeKind::Modify => m += 1,
            ChangeKind::Delete => d += 1,
        }
    }
    (a, m, d)
}

/// The top-level entries of the container's filesystem as it sees them, with what stores
/// each, and the mount points below `/` that are not there yet.
fn top_entries(world: &World, c: &Container) -> Vec<TopEntry> {
    let Ok(ns) = world.routing(&c.id) else {
        return Vec::new();
    };
    let mut out: BTreeMap<String, TopEntry> = BTreeMap::new();
    if let Some(root) = ns.route("/") {
        for e in root.store.entries(&root.rel).unwrap_or_default() {
            let p = path::join("/", &e.name);
            let kind = ns.backs(&p).map_or(Kind::ImageLayer, |b| top_kind(&b));
            out.insert(
                e.name.clone(),
                TopEntry {
                    mount_point: ns.is_mount_point(&p),
                    is_dir: e.kind == FileType::Dir,
                    name: e.name,
                    kind,
                },
            );
        }
    }
    for m in &c.mounts {
        let Some(top) = m.destination.trim_start_matches('/').split('/').next() else {
            continue;
        };
        if top.is_empty() || out.contains_key(top) {
            continue;
        }
        out.insert(
            top.to_string(),
            TopEntry {
                name: top.to_string(),
                is_dir: true,
                kind: Kind::of_mount(m),
                mount_point: m.destination.trim_start_matches('/') == top,
            },
        );
    }
    out.into_values().collect()
}

/// The kind a top-level entry is drawn in.
fn top_kind(b: &Backs) -> Kind {
    Kind::of(b)
}

/// The writable layers and volumes the step removed.
fn removed_by(
    changes: &[Change],
    world: &World,
    before: Option<&World>,
    ids: &mut Ids,
) -> Vec<Removed> {
    let mut out = Vec::new();
    for ch in changes {
        match ch {
            Change::ContainerRemoved {
                id,
                name,
                writable_bytes,
                writable_changes,
            } => {
                let mut kept: Vec<String> = before
                    .and_then(|b| b.containers().get(id))
                    .map(|c| {
                        c.mounts
                            .iter()
                            .filter(|m| m.kind == MountType::Volume)
                            .filter(|m| world.volumes().get(&m.name).is_ok())
                            .map(|m| m.name.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                layerbox_order::sort(&mut kept);
                kept.dedup();
                out.push(Removed {
                    id: ids.take(format!("dg-removed-writable-{}", id_part(name))),
                    kind: ElementKind::WritableLayer,
                    name: name.clone(),
                    bytes: *writable_bytes,
                    changes: *writable_changes,
                    volumes_kept: kept,
                });
            }
            Change::VolumeRemoved { name, bytes } => out.push(Removed {
                id: ids.take(format!("dg-removed-volume-{}", id_part(name))),
                kind: ElementKind::Volume,
                name: name.clone(),
                bytes: *bytes,
                changes: 0,
                volumes_kept: Vec::new(),
            }),
            _ => {}
        }
    }
    out
}

impl NoteWhat {
    /// The container a note is about, if any.
    pub fn container(&self) -> Option<&str> {
        match self {
            NoteWhat::CopyUp { container, .. }
            | NoteWhat::Whiteout { container, .. }
            | NoteWhat::Wrote { container, .. }
            | NoteWhat::Deleted { container, .. }
            | NoteWhat::MountWrite { container, .. }
            | NoteWhat::MountHides { container, .. }
            | NoteWhat::Created { container }
            | NoteWhat::Started { container }
            | NoteWhat::Stopped { container, .. } => Some(container),
            NoteWhat::ContainerRemoved { name, .. } => Some(name),
            NoteWhat::VolumeRemoved { .. } | NoteWhat::VolumeFilled { .. } => None,
        }
    }
}
