//! What each operation did to storage, as structured events, so a UI can highlight and explain
//! without diffing whole states.

use serde::{Deserialize, Serialize};

use crate::container::MountOrigin;
use crate::namespace::MountWrite;
use crate::volume::VolumeOrigin;

/// One thing that happened to storage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    ContainerCreated {
        id: String,
        name: String,
    },
    ContainerStarted {
        id: String,
    },
    /// The container stopped; its tmpfs mounts lost this many entries.
    ContainerStopped {
        id: String,
        exit_code: i32,
        tmpfs_entries_lost: usize,
    },
    /// The container and its writable layer are gone.
    ContainerRemoved {
        id: String,
        name: String,
        writable_bytes: u64,
        writable_changes: usize,
    },
    VolumeCreated {
        name: String,
        anonymous: bool,
        origin: VolumeOrigin,
    },
    /// An empty volume was filled from the image directory it was mounted over.
    VolumePopulated {
        name: String,
        container: String,
        destination: String,
        entries: usize,
    },
    VolumeRemoved {
        name: String,
        bytes: u64,
    },
    /// A mount hides this many entries the container's root filesystem has at its destination.
    MountObscures {
        container: String,
        destination: String,
        origin: MountOrigin,
        entries: usize,
    },
    /// `-v` made a missing bind source on the host (root-owned, as Docker does).
    HostDirCreated {
        path: String,
    },
    /// A mount point was made in the writable layer at the first start.
    MountPointCreated {
        container: String,
        destination: String,
    },
    /// Something happened in a container's union root filesystem (copy-up, whiteout, ...).
    Layer {
        container: String,
        event: layerbox_fstree::Event,
    },
    /// A write landed on a mounted filesystem (volume, bind, tmpfs).
    MountWrite {
        container: String,
        write: MountWrite,
    },
    /// `docker commit` made an image from the writable layer.
    ImageCommitted {
        id: String,
        container: String,
        layer_bytes: u64,
        empty: bool,
    },
    /// `docker tag` put a name on an image (taking it off any other).
    ImageTagged {
        id: String,
        tag: String,
    },
    /// `docker rmi` took one of an image's several names off it.
    ImageUntagged {
        id: String,
        tag: String,
    },
    /// An image went (`docker rmi`, `image prune`, a parent pruned with it), with the bytes of
    /// the layers nothing else held.
    ImageRemoved {
        id: String,
        tags: Vec<String>,
        bytes_freed: u64,
    },
    /// Operations served by the network share and their simulated cost.
    NetworkShare {
        ops: u64,
        micros: u64,
    },
}
