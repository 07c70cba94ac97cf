//! The session's storage limit: one size for everything the learner's session stores, across
//! the host's files, the image layers the session made (commits, builds, loads), containers'
//! writable layers and Docker's files for them, volumes and tmpfs mounts, so a session holds
//! at most [`STORAGE_LIMIT`] however many trees it spreads it over.
//!
//! The sample images do not count: their layers come with the session (their sized files are
//! sparse and hold no memory), as an image pulled before the learner arrived. A file of theirs
//! counts once it is copied up into a container's writable layer, as its bytes then are the
//! container's. A file counts its length on a disk and whole pages on a tmpfs, each inode once
//! per tree; a committed layer counts apart from the container it was committed from, as
//! overlay2 copies it.
//!
//! Whoever lends trees for writing gives them one [`Pool`] of what is free
//! ([`World::with_container_fs`], [`World::host_mut`]): a write past it fails with `ENOSPC`,
//! in each program's own words, as a full disk does. `df` shows the host disk (and a
//! container's overlay root on it) as this limit, used and available.
//! Emulation note: the real host disk is far larger; a tmpfs also shares this limit, where
//! Linux would charge the host's memory instead, and its own `df` line still shows its `size=`.

use std::collections::BTreeSet;
use std::sync::Arc;

use layerbox_fstree::{Layer, Pool};

use crate::error::EngineError;
use crate::image::ImageStore;
use crate::mount_table::Space;
use crate::world::World;

/// The most one session may store, in bytes.
pub const STORAGE_LIMIT: u64 = 128 << 20;

/// What the session stores and the most it may.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StorageUse {
    pub used: u64,
    pub limit: u64,
}

impl StorageUse {
    /// The bytes still free.
    pub fn free(&self) -> u64 {
        self.limit.saturating_sub(self.used)
    }

    /// The host disk as `df` shows it: this limit, in 1024-byte blocks, nothing reserved.
    pub fn space(&self) -> Space {
        let blocks = self.limit / 1024;
        let used = self.used.div_ceil(1024).min(blocks);
        Space {
            blocks,
            used,
            avail: blocks - used,
        }
    }
}

impl World {
    /// What the session stores now against [`STORAGE_LIMIT`].
    pub fn storage(&self) -> StorageUse {
        let host = self.host.local.total_bytes() + self.host.share.tree.total_bytes();
        let mut used = host;
        for c in self.containers.values() {
            used += c.rootfs.upper().total_bytes() + c.managed.total_bytes();
            used += c.tmpfs.values().map(|t| t.total_bytes()).sum::<u64>();
        }
        used += self
            .volumes
            .volumes
            .values()
            .map(|v| v.data.total_bytes())
            .sum::<u64>();
        used += self.made_layers_bytes();
        StorageUse {
            used,
            limit: STORAGE_LIMIT,
        }
    }

    /// Bytes of the layers the session made, each once however many images and containers
    /// share it (the sample images' layers are not counted).
    fn made_layers_bytes(&self) -> u64 {
        let samples: BTreeSet<usize> = self.sample_layers.iter().map(layer_key).collect();
        let mut seen = BTreeSet::new();
        let layers = self
            .images
            .images
            .values()
            .flat_map(|i| i.layers.iter())
            .chain(self.containers.values().flat_map(|c| c.rootfs.lowers()));
        let mut bytes = 0;
        for layer in layers {
            let key = layer_key(layer);
            if !samples.contains(&key) && seen.insert(key) {
                bytes += layer.tree().total_bytes();
            }
        }
        bytes
    }

    /// Whether the session has room for a new layer of `layer`'s bytes (a commit, a build
    /// step): else the daemon's error, and nothing is committed.
    /// Emulation note: Docker's message names the file whose write failed; this one says only
    /// what failed.
    pub(crate) fn room_for_layer(&self, layer: &Layer) -> Result<(), EngineError> {
        if layer.tree().total_bytes() > self.storage().free() {
            return Err(EngineError::system("no space left on device"));
        }
        Ok(())
    }

    /// The host's processes are done writing for now (a typed line, an edit, ended): its trees
    /// give back the room [`World::host_mut`] lent them, so no later write draws on a count
    /// made before other trees grew or shrank.
    pub fn end_host_writes(&mut self) {
        self.lend_host_pool(None);
    }

    /// Gives `pool` to the host's trees (its disk and the network share), or takes it back.
    pub(crate) fn lend_host_pool(&mut self, pool: Option<&Pool>) {
        self.host.local.set_pool(pool.cloned());
        self.host.share.tree.set_pool(pool.cloned());
    }

    /// Gives `pool` to every tree container `id`'s processes may write (its writable layer,
    /// tmpfs mounts and Docker's files for it, the volumes, the host), or takes it back.
    pub(crate) fn lend_pool(&mut self, id: &str, pool: Option<&Pool>) {
        if let Some(c) = self.containers.get_mut(id) {
            c.rootfs.set_pool(pool.cloned());
            c.managed.set_pool(pool.cloned());
            for t in c.tmpfs.values_mut() {
                t.set_pool(pool.cloned());
            }
        }
        for v in self.volumes.volumes.values_mut() {
            v.data.set_pool(pool.cloned());
        }
        self.lend_host_pool(pool);
    }

    /// A pool of what is free now, for trees lent for writing.
    pub(crate) fn storage_pool(&self) -> Pool {
        Pool::new(self.storage().free())
    }
}

/// Every layer of `images`: the sample images' when the session starts, which it does not
/// count.
pub(crate) fn layers_of(images: &ImageStore) -> Vec<Arc<Layer>> {
    images
        .images
        .values()
        .flat_map(|i| i.layers.iter().cloned())
        .collect()
}

/// A layer's identity: the one allocation every image and container sharing it points at.
fn layer_key(layer: &Arc<Layer>) -> usize {
    Arc::as_ptr(layer) as usize
}
