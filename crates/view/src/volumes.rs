//! The volumes panel: every volume, how it came to be, who uses it, and its files.

use std::collections::BTreeMap;

use layerbox_engine::container::{MountOrigin, Status};
use layerbox_engine::mount_spec::MountType;
use layerbox_engine::volume::{LocalKind, VolumeOrigin, ANONYMOUS_LABEL};
use layerbox_engine::world::World;

use layerbox_i18n::Lang;

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
    /// `type=nfs`: a directory the file server exports, on the network share, as
    /// `ADDR:PATH` from its `o=addr=` and `device` options ([`nfs_server_note`] says which
    /// addresses reach the server).
    Nfs(String),
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
                    LocalKind::Nfs { device, o } => VolumeBacking::Nfs(nfs_source(&device, &o)),
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
        // An NFS volume's files are the server's, where its options reach it.
        LocalKind::Nfs { device, o } => {
            let share = &world.host().share.tree;
            match layerbox_engine::nfs::mount(&device, &o, share) {
                Ok(m) => {
                    let at = layerbox_fstree::path::join(&m.root, dir.trim_start_matches('/'));
                    list(share, &at, dir, &Owners::default())
                }
                Err(_) => Ok(Vec::new()),
            }
        }
        LocalKind::Mount { .. } => Ok(Vec::new()),
        _ => list(&v.data, dir, dir, &Owners::default()),
    }
}

/// `ADDR:PATH` of an NFS volume, from its `o=addr=` and `device` options as given.
fn nfs_source(device: &str, o: &str) -> String {
    let addr = o
        .split(',')
        .find_map(|w| w.strip_prefix("addr="))
        .unwrap_or("");
    let path = device.split_once(':').map_or(device, |(_, p)| p);
    format!("{addr}:{path}")
}

/// What the volume list says of the simulated file server that NFS volumes reach, whatever
/// lesson is open.
pub fn nfs_server_note(lang: Lang) -> &'static str {
    match lang {
        Lang::Ko => "파일 서버(10.0.2.20, 이름 fileserver)가 /export를 NFS로 내보냅니다(no_root_squash). 호스트가 SMB로 /mnt/share에 마운트한 바로 그 디렉터리라서, 컨테이너가 쓴 파일을 호스트와 다른 컨테이너가 함께 봅니다. 모든 작업은 네트워크 왕복이고, 하드 링크·심볼릭 링크·chmod는 NFS에서 됩니다. 다른 주소는 닿지 않습니다: 이 호스트(127.0.0.1, 10.0.2.15)는 연결 거부, 10.0.2.0/24의 다른 주소는 no route to host, 그 밖은 시간 초과.",
        Lang::En => "The file server (10.0.2.20, name fileserver) exports /export over NFS (no_root_squash). It is the very directory the host mounts over SMB at /mnt/share, so what a container writes is seen by the host and by every other container. Every operation is a network round trip, and hard links, symlinks and chmod work on NFS. Other addresses do not reach it: this host (127.0.0.1, 10.0.2.15) refuses the connection, other addresses of 10.0.2.0/24 give no route to host, any other times out.",
    }
}
