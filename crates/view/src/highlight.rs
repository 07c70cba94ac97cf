//! What the last command touched, for the UI to flash: container paths, volumes, host paths.

use std::collections::BTreeSet;

use layerbox_engine::change::Change;
use layerbox_engine::host::rebase;
use layerbox_engine::namespace::MountBacking;
use layerbox_engine::routing::{below, mount_for};
use layerbox_engine::world::World;
use layerbox_fstree::path::is_within;
use layerbox_fstree::Event;

/// Everything a batch of change events touched.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Highlights {
    /// Containers (full ids) created, started, stopped, removed, written or committed.
    pub containers: BTreeSet<String>,
    /// `(container id, path as the container sees it)`.
    pub container_paths: BTreeSet<(String, String)>,
    /// Volumes created, filled, written or removed, by name.
    pub volumes: BTreeSet<String>,
    /// `(volume name, path inside the volume)`.
    pub volume_paths: BTreeSet<(String, String)>,
    /// Host paths made or written (bind sources and what a bind mount wrote there).
    pub host_paths: BTreeSet<String>,
    /// Images (full ids) a commit made or a tag named.
    pub images: BTreeSet<String>,
}

impl Highlights {
    /// Whether `path` of container `id` changed.
    pub fn container_path(&self, id: &str, path: &str) -> bool {
        self.container_paths
            .contains(&(id.to_string(), path.to_string()))
    }

    /// Whether anything at or below `dir` of container `id` changed (flash a collapsed folder).
    pub fn container_dir(&self, id: &str, dir: &str) -> bool {
        self.container_paths
            .iter()
            .any(|(c, p)| c == id && is_within(p, dir))
    }

    /// Whether anything at or below host path `dir` changed.
    pub fn host_dir(&self, dir: &str) -> bool {
        self.host_paths.iter().any(|p| is_within(p, dir))
    }

    /// Whether anything at or below `dir` of volume `name` changed.
    pub fn volume_dir(&self, name: &str, dir: &str) -> bool {
        self.volume_paths
            .iter()
            .any(|(v, p)| v == name && is_within(p, dir))
    }

    pub fn is_empty(&self) -> bool {
        self.containers.is_empty()
            && self.container_paths.is_empty()
            && self.volumes.is_empty()
            && self.volume_paths.is_empty()
            && self.host_paths.is_empty()
            && self.images.is_empty()
    }
}

/// What `changes` touched; `after` (the world after them) maps bind writes to host paths.
pub fn highlights(changes: &[Change], after: &World) -> Highlights {
    let mut h = Highlights::default();
    let path = |h: &mut Highlights, c: &str, p: &str| {
        h.container_paths.insert((c.to_string(), p.to_string()));
    };
    for ch in changes {
        match ch {
            Change::ContainerCreated { id, .. }
            | Change::ContainerStarted { id }
            | Change::ContainerStopped { id, .. }
            | Change::ContainerRemoved { id, .. } => {
                h.containers.insert(id.clone());
            }
            Change::VolumeCreated { name, .. } | Change::VolumeRemoved { name, .. } => {
                h.volumes.insert(name.clone());
            }
            Change::VolumePopulated {
                name,
                container,
                destination,
                ..
            } => {
                h.volumes.insert(name.clone());
                h.volume_paths.insert((name.clone(), "/".to_string()));
                path(&mut h, container, destination);
            }
            Change::MountObscures {
                container,
                destination,
                ..
            }
            | Change::MountPointCreated {
                container,
                destination,
            } => path(&mut h, container, destination),
            Change::HostDirCreated { path } => {
                h.host_paths.insert(path.clone());
            }
            Change::Layer { container, event } => {
                h.containers.insert(container.clone());
                match event {
                    Event::CopyUp { path: p, .. }
                    | Event::Created { path: p }
                    | Event::Modified { path: p }
                    | Event::Removed { path: p }
                    | Event::Whiteout { path: p }
                    | Event::OpaqueDir { path: p } => path(&mut h, container, p),
                    Event::Renamed { from, to } => {
                        path(&mut h, container, from);
                        path(&mut h, container, to);
                    }
                }
            }
            Change::MountWrite { container, write } => {
                h.containers.insert(container.clone());
                path(&mut h, container, &write.path);
                let rel = mount_destination(changes, &[after], container, &write.path)
                    .and_then(|d| below(&write.path, &d));
                match (&write.backing, rel) {
                    (MountBacking::Volume(name), rel) => {
                        h.volumes.insert(name.clone());
                        if let Some(rel) = rel {
                            h.volume_paths.insert((name.clone(), rel));
                        }
                    }
                    (MountBacking::Host(source), Some(rel)) => {
                        h.host_paths.insert(rebase(source, &rel));
                    }
                    // An NFS volume's files are the share's: the volume and the host's path.
                    (MountBacking::Nfs { volume, root }, rel) => {
                        h.volumes.insert(volume.clone());
                        if let Some(rel) = rel {
                            h.volume_paths.insert((volume.clone(), rel.clone()));
                            let on_share = rebase(root, &rel);
                            h.host_paths
                                .insert(layerbox_engine::nfs::host_path(&on_share));
                        }
                    }
                    _ => {}
                }
            }
            Change::ImageTagged { id, .. } | Change::ImageUntagged { id, .. } => {
                h.images.insert(id.clone());
            }
            // A removed image is no longer drawn: nothing to flash.
            Change::ImageRemoved { .. } => {}
            Change::ImageCommitted { id, container, .. } => {
                h.images.insert(id.clone());
                h.containers.insert(container.clone());
            }
            Change::NetworkShare { .. } => {}
        }
    }
    h
}

/// The destination of the mount serving container path `p`: from the first of `worlds` that
/// still has the container, else (a container removed in the same command, `run --rm`) from
/// the mount points this batch's events name.
pub(crate) fn mount_destination(
    changes: &[Change],
    worlds: &[&World],
    container: &str,
    p: &str,
) -> Option<String> {
    let longest =
        |dests: &mut dyn Iterator<Item = &str>| mount_for(p, dests).map(|(_, d, _)| d.to_string());
    if let Some(c) = worlds.iter().find_map(|w| w.containers().get(container)) {
        return longest(&mut c.mounts.iter().map(|m| m.destination.as_str()));
    }
    longest(&mut changes.iter().filter_map(|ch| match ch {
        Change::MountPointCreated {
            container: c,
            destination,
        }
        | Change::MountObscures {
            container: c,
            destination,
            ..
        }
        | Change::VolumePopulated {
            container: c,
            destination,
            ..
        } if c == container => Some(destination.as_str()),
        _ => None,
    }))
}
