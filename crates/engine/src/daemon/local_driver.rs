//! The local volume driver's mounts (moby's `volume/local`): a volume created with `--opt
//! type=tmpfs` is a tmpfs mounted while any running container uses it (shared by them, empty
//! again once the last one stops); one with `--opt type=none --opt o=bind --opt device=DIR`
//! is the host directory DIR itself; one with `--opt type=nfs` is a directory the simulated
//! file server exports ([`crate::nfs`]), on the network share. They mount when a container
//! starts, and fail it then when the options are wrong or the server cannot be reached.

use layerbox_fstree::{Cred, FileSystem, Meta, Tree};

use crate::container::{MountPoint, Status};
use crate::error::EngineError;
use crate::mount_spec::MountType;
use crate::mount_table::{memparse, MountEntry, Space};
use crate::namespace::{MountBacking, NsMount};
use crate::nfs::NfsError;
use crate::volume::{LocalKind, VolumeMeta};
use crate::world::World;

/// MS_BIND and MS_RDONLY as moby's error prints mount flags.
const MS_BIND: u32 = 0x1000;
const MS_RDONLY: u32 = 0x1;

/// The `failed to mount local volume` error of volume `meta` (moby/sys `mountError`: the
/// flags and the data passed to mount(2) when there are any).
fn mount_error(
    meta: &VolumeMeta,
    device: &str,
    flags: u32,
    data: &str,
    errno: &str,
) -> EngineError {
    let mp = meta.mountpoint();
    let flags = if flags == 0 {
        String::new()
    } else {
        format!(", flags: {flags:#x}")
    };
    let data = if data.is_empty() {
        String::new()
    } else {
        format!(", data: {data}")
    };
    EngineError::system(format!(
        "error while mounting volume '{mp}': failed to mount local volume: mount {device}:{mp}{flags}{data}: {errno}"
    ))
}

/// Filesystem types whose device names a server, not a host path (`type=nfs` is modelled).
fn is_network_fs(fstype: &str) -> bool {
    matches!(
        fstype,
        "cifs" | "smb3" | "nfs4" | "ceph" | "glusterfs" | "9p"
    )
}

/// The daemon's error for an NFS volume `meta` whose mount failed.
fn nfs_error(meta: &VolumeMeta, device: &str, error: NfsError) -> EngineError {
    match error {
        NfsError::Resolve(message) => EngineError::system(format!(
            "error while mounting volume '{}': {message}",
            meta.mountpoint()
        )),
        NfsError::Mount { flags, data, errno } => mount_error(meta, device, flags, &data, &errno),
        NfsError::NotModelled(what) => {
            EngineError::system(format!("layerbox: {what} is not modelled"))
        }
    }
}

/// A tmpfs volume's limits and root from its `o` options (`size=`, `mode=`, `uid=`, `gid=`).
fn fresh_tmpfs(options: &[String], now: u64) -> Tree {
    let mut meta = Meta::new(0o1777, 0, 0, now);
    let mut limits = layerbox_fstree::Limits::default();
    for option in options {
        let (key, value) = option.split_once('=').unwrap_or((option, ""));
        match key {
            "size" => {
                if let Some(bytes) = memparse(value) {
                    let bytes = bytes.div_ceil(4096) * 4096;
                    limits.max_file_size = limits.max_file_size.min(bytes);
                    limits.max_total_bytes = limits.max_total_bytes.min(bytes);
                }
            }
            "mode" => meta.mode = u32::from_str_radix(value, 8).unwrap_or(0o1777),
            "uid" => meta.uid = value.parse().unwrap_or(0),
            "gid" => meta.gid = value.parse().unwrap_or(0),
            _ => {}
        }
    }
    Tree::tmpfs(meta, limits)
}

impl World {
    /// Volumes a running container other than `except` mounts.
    fn mounted_elsewhere(&self, name: &str, except: &str) -> bool {
        self.containers.values().any(|c| {
            c.id != except
                && c.state.status == Status::Running
                && c.mounts
                    .iter()
                    .any(|m| m.kind == MountType::Volume && m.name == name)
        })
    }

    /// The volumes container `id` mounts, by name.
    fn volume_names(&self, id: &str) -> Vec<String> {
        self.containers.get(id).map_or_else(Vec::new, |c| {
            c.mounts
                .iter()
                .filter(|m| m.kind == MountType::Volume)
                .map(|m| m.name.clone())
                .collect()
        })
    }

    /// Mounts the volumes of container `id` that the local driver mounts with options, as its
    /// start does: checks a bind's directory, makes a tmpfs unless another running container
    /// already mounted it. Errors in the daemon's words.
    pub(crate) fn mount_local_volumes(&mut self, id: &str, now: u64) -> Result<(), EngineError> {
        for name in self.volume_names(id) {
            let Some(volume) = self.volumes.volumes.get(&name) else {
                continue;
            };
            match volume.meta.local_kind() {
                LocalKind::Disk => {}
                LocalKind::Tmpfs { options } => {
                    if !self.mounted_elsewhere(&name, id) {
                        if let Some(v) = self.volumes.volumes.get_mut(&name) {
                            v.data = fresh_tmpfs(&options, now);
                        }
                    }
                }
                LocalKind::Bind { device, read_only } => {
                    let flags = MS_BIND | if read_only { MS_RDONLY } else { 0 };
                    match self.host.stat(&Cred::root(), &device) {
                        Ok(_) => {}
                        Err(e) => {
                            return Err(mount_error(&volume.meta, &device, flags, "", &e.go_text()))
                        }
                    }
                }
                LocalKind::Mount { fstype, device } => {
                    let errno = if fstype == "none" {
                        // mount(2) of no filesystem type without MS_BIND.
                        "no such device".to_string()
                    } else {
                        match self.host.stat(&Cred::root(), &device) {
                            // A device path of a local filesystem that is not there.
                            Err(e) if !device.contains(':') && !is_network_fs(&fstype) => {
                                e.go_text()
                            }
                            _ => {
                                return Err(EngineError::system(format!(
                                    "layerbox: a volume of type {fstype} is not modelled"
                                )))
                            }
                        }
                    };
                    return Err(mount_error(&volume.meta, &device, 0, "", &errno));
                }
                LocalKind::Nfs { device, o } => {
                    if let Err(e) = crate::nfs::mount(&device, &o, &self.host.share.tree) {
                        return Err(nfs_error(&volume.meta, &device, e));
                    }
                }
            }
        }
        Ok(())
    }

    /// Unmounts the tmpfs volumes of container `id`, which stops, that no other running
    /// container still mounts: their content is gone.
    pub(crate) fn unmount_local_volumes(&mut self, id: &str, now: u64) {
        for name in self.volume_names(id) {
            let Some(volume) = self.volumes.volumes.get(&name) else {
                continue;
            };
            if let LocalKind::Tmpfs { options } = volume.meta.local_kind() {
                if !self.mounted_elsewhere(&name, id) {
                    if let Some(v) = self.volumes.volumes.get_mut(&name) {
                        v.data = fresh_tmpfs(&options, now);
                    }
                }
            }
        }
    }

    /// What backs mount `m` of a container: a bind volume is its host directory, an NFS
    /// volume the server's directory (while the server can be reached; else the volume's own
    /// empty `_data`, which nothing is mounted on).
    pub(crate) fn volume_backing(&self, mut ns: NsMount) -> NsMount {
        if let MountBacking::Volume(name) = &ns.backing {
            match self.volumes.volumes.get(name).map(|v| v.meta.local_kind()) {
                Some(LocalKind::Bind { device, read_only }) => {
                    ns.backing = MountBacking::Host(device);
                    ns.read_only |= read_only;
                }
                Some(LocalKind::Nfs { device, o }) => {
                    if let Ok(m) = crate::nfs::mount(&device, &o, &self.host.share.tree) {
                        ns.backing = MountBacking::Nfs {
                            volume: name.clone(),
                            root: m.root,
                        };
                        ns.read_only |= m.read_only;
                    }
                }
                _ => {}
            }
        }
        ns
    }

    /// The mount table line of a volume mount `m` whose volume the local driver mounts as a
    /// tmpfs: the `o` options as the kernel lists them, and what it holds.
    pub(crate) fn local_volume_entry(&self, m: &MountPoint, entry: &mut MountEntry) {
        let Some(volume) = self.volumes.volumes.get(&m.name) else {
            return;
        };
        if let LocalKind::Nfs { device, o } = volume.meta.local_kind() {
            if let Ok(nfs) = crate::nfs::mount(&device, &o, &self.host.share.tree) {
                let rw = m.rw && !nfs.read_only;
                *entry = MountEntry {
                    source: device,
                    target: m.destination.clone(),
                    fstype: nfs.fstype,
                    options: format!("{},{}", if rw { "rw" } else { "ro" }, nfs.shown),
                    space: Some(crate::nfs::space(&self.host.share.tree)),
                };
            }
            return;
        }
        if let LocalKind::Tmpfs { options } = volume.meta.local_kind() {
            let mut shown = vec![
                if m.rw { "rw" } else { "ro" }.to_string(),
                "relatime".into(),
            ];
            let mut kib = crate::mount_table::TMPFS_DEFAULT_KIB;
            for option in &options {
                let (key, value) = option.split_once('=').unwrap_or((option, ""));
                match key {
                    "size" => {
                        kib = memparse(value).map_or(kib, |b| b.div_ceil(4096) * 4);
                        shown.push(format!("size={kib}k"));
                    }
                    "ro" | "rw" => {}
                    _ => shown.push(option.clone()),
                }
            }
            let used = volume.data.blocks() / 2;
            *entry = MountEntry {
                source: "tmpfs".into(),
                target: m.destination.clone(),
                fstype: "tmpfs".into(),
                options: shown.join(","),
                space: Some(Space {
                    blocks: kib,
                    used,
                    avail: kib.saturating_sub(used),
                }),
            };
        }
    }
}
