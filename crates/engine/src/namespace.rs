//! A container's mount namespace: its union root filesystem with volumes, bind mounts, tmpfs
//! and Docker's own files mounted over it, as one `Store`, so every POSIX rule of `fstree`
//! (symlinks across mounts, `..` out of a mount root, permissions on each directory walked)
//! holds across mounts without further code.

use std::collections::BTreeMap;

use layerbox_fstree::{
    Attr, Content, DirEntry, Errno, FsResult, Meta, NewNode, Pool, Stat, Store, Tree, Union,
};
use serde::{Deserialize, Serialize};

use crate::host::Host;
use crate::mount_table::Space;
use crate::routing::{self, Route};
use crate::storage::{StorageUse, STORAGE_LIMIT};
use crate::volume::VolumeStore;

/// What backs a mount in a container.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MountBacking {
    /// A volume's data, by volume name.
    Volume(String),
    /// A host path (a directory or a single file), possibly on the network share.
    Host(String),
    /// Volume `volume` of `type=nfs`: the file server's directory `root` (a path of the
    /// share's tree), served over NFS ([`crate::nfs`]).
    Nfs { volume: String, root: String },
    /// The container's tmpfs at this destination (memory only).
    Tmpfs,
    /// One of the files Docker writes for the container (`hostname`, `hosts`, `resolv.conf`).
    Managed(String),
}

/// One mount as the namespace routes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NsMount {
    pub destination: String,
    pub backing: MountBacking,
    pub read_only: bool,
}

/// What a write through the namespace did to a mounted filesystem (the union reports its own).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MountWrite {
    /// The path as the container sees it.
    pub path: String,
    pub backing: MountBacking,
    pub what: WriteKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WriteKind {
    Created,
    Modified,
    Removed,
    Renamed,
}

/// The container's view of its files: route each canonical path to the filesystem mounted at
/// its longest matching prefix, else to the union.
pub struct ContainerNs<'a> {
    pub rootfs: &'a mut Union,
    pub rootfs_read_only: bool,
    pub mounts: Vec<NsMount>,
    pub volumes: &'a mut VolumeStore,
    pub host: &'a mut Host,
    pub tmpfs: &'a mut BTreeMap<String, Tree>,
    pub managed: &'a mut Tree,
    /// The procfs mounted at `/proc` while the container runs (`mount_table::proc_filesystem`);
    /// `None` for `docker cp` and stopped containers, which see the empty mount point.
    pub proc: Option<Tree>,
    /// Writes to mounted filesystems, oldest first.
    pub writes: Vec<MountWrite>,
    /// What the session's storage limit leaves free, shared by every tree here
    /// (`storage.rs`); `None` for a namespace lent without it.
    pub pool: Option<Pool>,
}

impl ContainerNs<'_> {
    /// The host disk as `df` shows it now (and the overlay root on it): the session's storage
    /// limit, with what the processes wrote so far.
    pub fn disk_space(&self) -> Option<Space> {
        let pool = self.pool.as_ref()?;
        let use_ = StorageUse {
            used: STORAGE_LIMIT.saturating_sub(pool.free()),
            limit: STORAGE_LIMIT,
        };
        Some(use_.space())
    }
}

impl ContainerNs<'_> {
    /// How `p` routes: the one rule [`routing::route`] also gives the views.
    fn route(&self, p: &str) -> Route {
        routing::route(&self.mounts, self.proc.is_some(), p)
    }

    fn read<R>(&self, p: &str, f: impl FnOnce(&dyn Store, &str) -> R, absent: R) -> R {
        match self.route(p) {
            Route::Root => f(&*self.rootfs, p),
            Route::Proc(rel) => match &self.proc {
                Some(t) => f(t, &rel),
                None => absent,
            },
            Route::Mount(i, rel) => {
                let m = &self.mounts[i];
                match &m.backing {
                    MountBacking::Volume(name) => match self.volumes.volumes.get(name) {
                        Some(v) => f(&v.data, &rel),
                        None => absent,
                    },
                    MountBacking::Host(_) => f(&*self.host, &rel),
                    MountBacking::Nfs { .. } => f(&self.host.share, &rel),
                    MountBacking::Tmpfs => match self.tmpfs.get(&m.destination) {
                        Some(t) => f(t, &rel),
                        None => absent,
                    },
                    MountBacking::Managed(_) => f(&*self.managed, &rel),
                }
            }
        }
    }

    fn write(
        &mut self,
        p: &str,
        what: WriteKind,
        f: impl FnOnce(&mut dyn Store, &str) -> FsResult<()>,
    ) -> FsResult<()> {
        match self.route(p) {
            Route::Root => f(&mut *self.rootfs, p),
            // procfs files are the kernel's: nothing is created (there is no such entry to
            // open), changed or removed in them.
            Route::Proc(_) if what == WriteKind::Created => Err(Errno::ENOENT),
            Route::Proc(_) => Err(Errno::EACCES),
            Route::Mount(i, rel) => {
                let m = &self.mounts[i];
                let backing = m.backing.clone();
                let result = match &m.backing {
                    MountBacking::Volume(name) => match self.volumes.volumes.get_mut(name) {
                        Some(v) => f(&mut v.data, &rel),
                        None => Err(Errno::ENOENT),
                    },
                    MountBacking::Host(_) => f(&mut *self.host, &rel),
                    MountBacking::Nfs { .. } => f(&mut self.host.share, &rel),
                    MountBacking::Tmpfs => match self.tmpfs.get_mut(&m.destination) {
                        Some(t) => f(t, &rel),
                        None => Err(Errno::ENOENT),
                    },
                    MountBacking::Managed(_) => f(&mut *self.managed, &rel),
                };
                if result.is_ok() {
                    self.writes.push(MountWrite {
                        path: p.to_string(),
                        backing,
                        what,
                    });
                }
                result
            }
        }
    }
}

impl Store for ContainerNs<'_> {
    /// A handle is the one the filesystem mounted there gave; a step onto a mount point
    /// starts over.
    fn child_node(&self, dir: &str, at: Option<u64>, name: &str) -> Option<(Stat, Option<u64>)> {
        let p = layerbox_fstree::path::join(dir, name);
        let same = match (self.route(dir), self.route(&p)) {
            (Route::Root, Route::Root) | (Route::Proc(_), Route::Proc(_)) => true,
            (Route::Mount(i, _), Route::Mount(j, _)) => i == j,
            _ => false,
        };
        if same {
            self.read(dir, |s, rel| s.child_node(rel, at, name), None)
        } else {
            self.node(&p).map(|st| (st, None))
        }
    }
    fn node(&self, p: &str) -> Option<Stat> {
        self.read(p, |s, rel| s.node(rel), None)
    }
    fn entries(&self, p: &str) -> FsResult<Vec<DirEntry>> {
        self.read(p, |s, rel| s.entries(rel), Err(Errno::ENOENT))
    }
    fn content(&self, p: &str) -> FsResult<Content> {
        self.read(p, |s, rel| s.content(rel), Err(Errno::ENOENT))
    }
    fn room(&self, p: &str) -> Option<u64> {
        self.read(p, |s, rel| s.room(rel), None)
    }
    fn link_target(&self, p: &str) -> FsResult<String> {
        self.read(p, |s, rel| s.link_target(rel), Err(Errno::ENOENT))
    }
    fn read_only(&self, p: &str) -> bool {
        match self.route(p) {
            Route::Root => self.rootfs_read_only || self.rootfs.is_read_only(),
            Route::Proc(_) => false,
            Route::Mount(i, rel) => {
                self.mounts[i].read_only || self.read(p, |s, _| s.read_only(&rel), false)
            }
        }
    }
    fn device(&self, p: &str) -> u64 {
        match self.route(p) {
            Route::Root => 0,
            Route::Proc(_) => 1,
            Route::Mount(i, rel) => {
                let inner = match self.mounts[i].backing {
                    MountBacking::Host(_) => self.host.device(&rel),
                    _ => 0,
                };
                (i as u64 + 1) * 2 + inner
            }
        }
    }
    fn insert(&mut self, p: &str, node: NewNode, meta: Meta, now: u64) -> FsResult<()> {
        self.write(p, WriteKind::Created, |s, rel| {
            s.insert(rel, node, meta, now)
        })
    }
    fn delete(&mut self, p: &str, now: u64) -> FsResult<()> {
        if routing::is_mount_point(&self.mounts, self.proc.is_some(), p) {
            return Err(Errno::EBUSY);
        }
        self.write(p, WriteKind::Removed, |s, rel| s.delete(rel, now))
    }
    fn replace_content(&mut self, p: &str, content: Content, now: u64) -> FsResult<()> {
        self.write(p, WriteKind::Modified, |s, rel| {
            s.replace_content(rel, content, now)
        })
    }
    fn append_content(&mut self, p: &str, data: &[u8], now: u64) -> FsResult<()> {
        self.write(p, WriteKind::Modified, |s, rel| {
            s.append_content(rel, data, now)
        })
    }
    fn set_attr(&mut self, p: &str, attr: Attr) -> FsResult<()> {
        self.write(p, WriteKind::Modified, |s, rel| s.set_attr(rel, attr))
    }
    fn move_node(&mut self, from: &str, to: &str, now: u64) -> FsResult<()> {
        if routing::is_mount_point(&self.mounts, false, from)
            || routing::is_mount_point(&self.mounts, false, to)
        {
            return Err(Errno::EBUSY);
        }
        let to_rel = match self.route(to) {
            Route::Root | Route::Proc(_) => to.to_string(),
            Route::Mount(_, rel) => rel,
        };
        self.write(from, WriteKind::Renamed, |s, rel| {
            s.move_node(rel, &to_rel, now)
        })
    }
    fn add_link(&mut self, from: &str, to: &str, now: u64) -> FsResult<()> {
        let to_rel = match self.route(to) {
            Route::Root | Route::Proc(_) => to.to_string(),
            Route::Mount(_, rel) => rel,
        };
        self.write(from, WriteKind::Created, |s, rel| {
            s.add_link(rel, &to_rel, now)
        })
    }
}
