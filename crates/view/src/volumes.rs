//! The volumes panel: every volume, how it came to be, who uses it, and its files.

use std::collections::BTreeMap;

use layerbox_engine::container::{MountOrigin, Status};
use layerbox_engine::mount_spec::MountType;
use layerbox_engine::volume::{LocalKind, VolumeOrigin, ANONYMOUS_LABEL};
use layerbox_engine::world::World;

use crate::entry::{list, Entry, Owners};
use crate::ViewError;

/// One volume.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VolumeRow {
    pub name: String,
    pub anonymous: bool,
    /// `docker volume create`, `-v`, `--mount` or an image's `VOLUME`.
    pub origin: VolumeOrigin,
    /// For an image's `VOLUME`: that image (as the container using it named it), while a
    /// container made from it still exists.
    pub origin_image: Option<String>,
    pub driver: String,
    /// Bytes of its files.
    pub size: u64,
    /// Its labels, the anonymous marker left out.
    pub labels: BTreeMap<String, String>,
    pub created_at: u64,
    /// `/var/lib/docker/volumes/NAME/_data`.
    pub mountpoint: String,
    /// Containers referring to it, running or not, by name.
    pub users: Vec<VolumeUser>,
    /// What the local driver mounts for it.
    pub backing: VolumeBacking,
}

/// Where a volume's files live, from its `--opt` options.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VolumeBacking {
    /// Docker's area on the host's disk (no options).
    Disk,
    /// `type=tmpfs`: memory, while a running container mounts it.
    Memory,
    /// `type=none o=bind device=DIR`: the host directory DIR.
    HostDir(String),
    /// Another filesystem type, which layerbox does not mount.
    Other(String),
}

/// A container that mounts a volume.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VolumeUser {
    pub container: String,
    pub container_id: String,
    pub destination: String,
    pub rw: bool,
    pub running: bool,
}

/// Every volume, in `docker volume ls` order (natural by name).
pub fn volumes(world: &World) -> Vec<VolumeRow> {
    let Ok(all) = world.volumes().list(&[]) else {
        return Vec::new();
    };
    all.into_iter()
        .map(|v| {
            let meta = &v.meta;
            let mut users: Vec<VolumeUser> = Vec::new();
            let mut origin_image = None;
            for id in &meta.refs {
                let Some(c) = world.containers().get(id) else {
                    continue;
                };
                for m in c
                    .mounts
                    .iter()
                    .filter(|m| m.kind == MountType::Volume && m.name == meta.name)
                {
                    if m.origin == MountOrigin::ImageVolume && origin_image.is_none() {
                        origin_image = Some(c.config.image.clone());
                    }
                    users.push(VolumeUser {
                        container: c.name.clone(),
                        container_id: c.id.clone(),
                        destination: m.destination.clone(),
                        rw: m.rw,
                        running: c.state.status == Status::Running,
                    });
                }
            }
            layerbox_order::sort_by(&mut users, |a, b| a.container.cmp(&b.container));
            if meta.origin != VolumeOrigin::ImageVolume {
                origin_image = None;
            }
            VolumeRow {
                name: meta.name.clone(),
                anonymous: meta.is_anonymous(),
                origin: meta.origin,
                origin_image,
                driver: meta.driver.clone(),
                size: v.size(),
                labels: layerbox_order::map(
                    meta.labels
                        .iter()
                        .flatten()
                        .filter(|(k, _)| k.as_str() != ANONYMOUS_LABEL)
                        .map(|(k, v)| (k.clone(), v.clone())),
                ),
                created_at: meta.created_at,
                mountpoint: meta.mountpoint(),
                users,
                backing: match meta.local_kind() {
                    LocalKind::Disk => VolumeBacking::Disk,
                    LocalKind::Tmpfs { .. } => VolumeBacking::Memory,
                    LocalKind::Bind { device, .. } => VolumeBacking::HostDir(device),
                    LocalKind::Mount { fstype, .. } => VolumeBacking::Other(fstype),
                },
            }
        })
        .collect()
}

/// The entries of directory `dir` (`/` = the volume's root) of volume `name`, sorted by name.
/// Owners show as numbers: a volume has no `/etc/passwd` of its own.
pub fn volume_children(world: &World, name: &str, dir: &str) -> Result<Vec<Entry>, ViewError> {
    let v = world
        .volumes()
        .get(name)
        .map_err(|_| ViewError::NoSuchVolume(name.to_string()))?;
    match v.meta.local_kind() {
        // A bind volume's files are its host directory's.
        LocalKind::Bind { device, .. } => {
            let at = layerbox_fstree::path::join(&device, dir.trim_start_matches('/'));
            list(world.host(), &at, dir, &Owners::default())
        }
        LocalKind::Mount { .. } => Ok(Vec::new()),
        _ => list(&v.data, dir, dir, &Owners::default()),
    }
}
