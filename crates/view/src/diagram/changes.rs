//! What the last step did, as the diagram shows it: one note per kind of change and container
//! (the first path named, the rest counted), each pointing at the elements to flash.

use layerbox_engine::change::Change;
use layerbox_engine::namespace::MountBacking;
use layerbox_engine::world::World;
use layerbox_fstree::{Event, Store};

use super::{Disk, Source};
use crate::highlight::mount_destination;
use crate::kind::Kind;

/// At most this many notes (a step that wrote thousands of files still gets a few lines).
const MAX_NOTES: usize = 12;

/// One thing the step did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangeNote {
    pub what: NoteWhat,
    /// The ids of the elements it concerns (flashed, and the first one selectable).
    pub targets: Vec<String>,
    /// How many more changes of the same kind in the same container it stands for.
    pub more: usize,
}

/// What happened. Containers by name; layers numbered from 0 (bottom), as [`crate::Backs`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoteWhat {
    /// A file rose from image layer `from_layer` into the writable layer.
    CopyUp {
        container: String,
        path: String,
        from_layer: usize,
    },
    /// A whiteout in the writable layer hides `path` of the layers below.
    Whiteout {
        container: String,
        path: String,
    },
    /// A file was made or changed in the writable layer.
    Wrote {
        container: String,
        path: String,
    },
    /// A file that only the writable layer had was deleted.
    Deleted {
        container: String,
        path: String,
    },
    /// A write landed on a mount: in a volume, on the host through a bind, in a tmpfs.
    MountWrite {
        container: String,
        /// The path as the container sees it.
        path: String,
        destination: String,
        kind: Kind,
        /// The volume's name or the host path the write landed in (empty for tmpfs).
        into: String,
        removed: bool,
    },
    /// `docker rm`: the writable layer went; `volumes_kept` stay.
    ContainerRemoved {
        name: String,
        bytes: u64,
        changes: usize,
        volumes_kept: Vec<String>,
    },
    /// `docker rm -v`, `--rm` or `docker volume rm`: the volume went.
    VolumeRemoved {
        name: String,
        anonymous: bool,
    },
    /// A mount hides what the image has at its destination.
    MountHides {
        container: String,
        destination: String,
        entries: usize,
    },
    /// An empty volume was filled from the image directory it was mounted over.
    VolumeFilled {
        name: String,
        destination: String,
        entries: usize,
    },
    Created {
        container: String,
    },
    Started {
        container: String,
    },
    /// The container stopped; its tmpfs mounts lost `tmpfs_lost` entries.
    Stopped {
        container: String,
        tmpfs_lost: usize,
    },
}

/// The container name of full id `id` in the world after, else before the step.
fn name_of(id: &str, world: &World, before: Option<&World>) -> String {
    world
        .containers()
        .get(id)
        .or_else(|| before.and_then(|b| b.containers().get(id)))
        .map(|c| c.name.clone())
        .unwrap_or_else(|| id[..12.min(id.len())].to_string())
}

/// The notes of `changes`, pointing at the drawn elements.
pub(super) fn notes(
    changes: &[Change],
    world: &World,
    before: Option<&World>,
    disks: &[Disk],
    sources: &[Source],
) -> Vec<ChangeNote> {
    let mut out: Vec<ChangeNote> = Vec::new();
    let disk = |name: &str| disks.iter().find(|d| d.name == name);
    let source_of = |id: &str| sources.iter().find(|s| s.id == id);
    let mut copied: Vec<(String, String)> = Vec::new();
    for ch in changes {
        let note = match ch {
            Change::Layer { container, event } => {
                let name = name_of(container, world, before);
                let d = disk(&name);
                let writable = d.map(|d| d.writable.id.clone());
                match event {
                    // A directory is copied up on the way to a file in it: the file's
                    // copy-up (or creation) is the one to show.
                    Event::CopyUp { path, .. }
                        if world
                            .containers()
                            .get(container)
                            .and_then(|c| c.rootfs.node(path))
                            .is_some_and(|st| st.is_dir()) =>
                    {
                        None
                    }
                    Event::CopyUp { path, from_layer } => {
                        copied.push((name.clone(), path.clone()));
                        let layer = d.and_then(|d| d.layers.get(*from_layer).cloned());
                        let layer = layer.or_else(|| d.map(|d| d.init.id.clone()));
                        Some((
                            NoteWhat::CopyUp {
                                container: name,
                                path: path.clone(),
                                from_layer: *from_layer,
                            },
                            writable.into_iter().chain(layer).collect(),
                        ))
                    }
                    Event::Whiteout { path } | Event::OpaqueDir { path } => Some((
                        NoteWhat::Whiteout {
                            container: name,
                            path: path.clone(),
                        },
                        writable.into_iter().collect(),
                    )),
                    Event::Created { path } | Event::Modified { path } => {
                        // The mount points a start makes in the writable layer are noted as
                        // mounts, not as writes.
                        let mount_point = world
                            .containers()
                            .get(container)
                            .or_else(|| before.and_then(|b| b.containers().get(container)))
                            .is_some_and(|c| c.mounts.iter().any(|m| m.destination == *path));
                        if mount_point || copied.iter().any(|(c, p)| *c == name && p == path) {
                            None
                        } else {
                            Some((
                                NoteWhat::Wrote {
                                    container: name,
                                    path: path.clone(),
                                },
                                writable.into_iter().collect(),
                            ))
                        }
                    }
                    Event::Renamed { to, .. } => Some((
                        NoteWhat::Wrote {
                            container: name,
                            path: to.clone(),
                        },
                        writable.into_iter().collect(),
                    )),
                    Event::Removed { path } => Some((
                        NoteWhat::Deleted {
                            container: name,
                            path: path.clone(),
                        },
                        writable.into_iter().collect(),
                    )),
                }
            }
            Change::MountWrite { container, write } => {
                let name = name_of(container, world, before);
                let worlds: Vec<&World> = std::iter::once(world).chain(before).collect();
                let destination =
                    mount_destination(changes, &worlds, container, &write.path).unwrap_or_default();
                let mount = disk(&name).and_then(|d| {
                    d.mounts
                        .iter()
                        .find(|m| m.destination == destination)
                        .cloned()
                });
                let (kind, into) = match &write.backing {
                    MountBacking::Volume(v) | MountBacking::Nfs { volume: v, .. } => {
                        (Kind::Volume, v.clone())
                    }
                    MountBacking::Host(h) => (
                        if layerbox_engine::host::Host::is_on_share(h) {
                            Kind::NetworkBind
                        } else {
                            Kind::LocalBind
                        },
                        h.clone(),
                    ),
                    MountBacking::Tmpfs => (Kind::Tmpfs, String::new()),
                    MountBacking::Managed(_) => (Kind::DockerManaged, String::new()),
                };
                let targets = mount
                    .map(|m| {
                        let src = source_of(&m.source).map(|s| s.id.clone());
                        std::iter::once(m.id).chain(src).collect()
                    })
                    .unwrap_or_default();
                Some((
                    NoteWhat::MountWrite {
                        container: name,
                        path: write.path.clone(),
                        destination,
                        kind,
                        into,
                        removed: matches!(
                            write.what,
                            layerbox_engine::namespace::WriteKind::Removed
                        ),
                    },
                    targets,
                ))
            }
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
                            .filter(|m| m.kind == layerbox_engine::mount_spec::MountType::Volume)
                            .filter(|m| world.volumes().get(&m.name).is_ok())
                            .map(|m| m.name.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                layerbox_order::sort(&mut kept);
                kept.dedup();
                let targets = kept
                    .iter()
                    .filter_map(|v| {
                        sources
                            .iter()
                            .find(|s| s.kind == super::ElementKind::Volume && s.name == *v)
                    })
                    .map(|s| s.id.clone())
                    .collect();
                Some((
                    NoteWhat::ContainerRemoved {
                        name: name.clone(),
                        bytes: *writable_bytes,
                        changes: *writable_changes,
                        volumes_kept: kept,
                    },
                    targets,
                ))
            }
            Change::VolumeRemoved { name, .. } => Some((
                NoteWhat::VolumeRemoved {
                    name: name.clone(),
                    anonymous: before
                        .and_then(|b| b.volumes().get(name).ok())
                        .is_some_and(|v| v.meta.is_anonymous()),
                },
                Vec::new(),
            )),
            Change::MountObscures {
                container,
                destination,
                entries,
                ..
            } => {
                let name = name_of(container, world, before);
                let targets = disk(&name)
                    .and_then(|d| d.mounts.iter().find(|m| m.destination == *destination))
                    .map(|m| vec![m.id.clone()])
                    .unwrap_or_default();
                Some((
                    NoteWhat::MountHides {
                        container: name,
                        destination: destination.clone(),
                        entries: *entries,
                    },
                    targets,
                ))
            }
            Change::VolumePopulated {
                name,
                destination,
                entries,
                ..
            } => Some((
                NoteWhat::VolumeFilled {
                    name: name.clone(),
                    destination: destination.clone(),
                    entries: *entries,
                },
                sources
                    .iter()
                    .find(|s| s.kind == super::ElementKind::Volume && s.name == *name)
                    .map(|s| vec![s.id.clone()])
                    .unwrap_or_default(),
            )),
            Change::ContainerCreated { id, .. } => {
                let container = name_of(id, world, before);
                let targets = disk(&container).map(|d| vec![d.id.clone()]);
                Some((NoteWhat::Created { container }, targets.unwrap_or_default()))
            }
            Change::ContainerStarted { id } => {
                let container = name_of(id, world, before);
                let targets = disk(&container).map(|d| vec![d.id.clone()]);
                Some((NoteWhat::Started { container }, targets.unwrap_or_default()))
            }
            Change::ContainerStopped {
                id,
                tmpfs_entries_lost,
                ..
            } => {
                let container = name_of(id, world, before);
                let targets = disk(&container).map(|d| vec![d.id.clone()]);
                Some((
                    NoteWhat::Stopped {
                        container,
                        tmpfs_lost: *tmpfs_entries_lost,
                    },
                    targets.unwrap_or_default(),
                ))
            }
            _ => None,
        };
        let Some((what, targets)) = note else {
            continue;
        };
        if let Some(same) = out.iter_mut().find(|n| same_kind(&n.what, &what)) {
            same.more += 1;
            continue;
        }
        if out.len() < MAX_NOTES {
            out.push(ChangeNote {
                what,
                targets,
                more: 0,
            });
        }
    }
    out
}

/// Whether two notes are of one kind in one container (and into one mount), so the second
/// is counted in the first.
fn same_kind(a: &NoteWhat, b: &NoteWhat) -> bool {
    match (a, b) {
        (NoteWhat::CopyUp { container: x, .. }, NoteWhat::CopyUp { container: y, .. })
        | (NoteWhat::Whiteout { container: x, .. }, NoteWhat::Whiteout { container: y, .. })
        | (NoteWhat::Wrote { container: x, .. }, NoteWhat::Wrote { container: y, .. })
        | (NoteWhat::Deleted { container: x, .. }, NoteWhat::Deleted { container: y, .. }) => {
            x == y
        }
        (
            NoteWhat::MountWrite {
                container: x,
                destination: dx,
                ..
            },
            NoteWhat::MountWrite {
                container: y,
                destination: dy,
                ..
            },
        ) => x == y && dx == dy,
        (NoteWhat::Started { container: x }, NoteWhat::Started { container: y })
        | (NoteWhat::Created { container: x }, NoteWhat::Created { container: y }) => x == y,
        _ => false,
    }
}
