//! The storage diagram: the containers' single virtual disks assembled from image layers, the
//! init and writable layers, and the sources mounted into them where those really live, with
//! what the last command changed. `model.rs` computes the nodes and edges from a read-only
//! [`World`](layerbox_engine::world::World) and a step's change events, `changes.rs` the change
//! notes, `layout.rs` their coordinates; the UI draws them as SVG and words every label.
//!
//! # Element ids
//! Every element has a stable id, derived from names the learner sees, so tests and embedders
//! can find it: `dg-container-NAME`, `dg-writable-NAME`, `dg-init-NAME`,
//! `dg-mount-NAME-DEST`, `dg-volume-VOLUME`, `dg-bind-HOSTPATH`, `dg-tmpfs-NAME-DEST` and
//! `dg-layer-IMAGE-N` (layer N, counted from 1, of the smallest image that holds it), each
//! part with characters other than ASCII letters, digits, `_` and `-` turned into `-` (a
//! second element whose id would be the same gets `-2`, `-3`, ...).
//!
//! # Cost
//! One directory (`/`) per shown container, one per mount destination (what it hides), and
//! each writable layer's changes (as `docker diff`); an image layer's size is remembered per
//! layer. At most [`MAX_SHOWN`] containers are drawn; the rest are only named.

mod changes;
mod layout;
mod model;

pub use changes::{ChangeNote, NoteWhat};
pub use layout::{layout, EdgePath, Layout, Rect, RegionBox};
pub use model::diagram;

use layerbox_engine::container::MountOrigin;
use layerbox_engine::volume::VolumeOrigin;

use crate::kind::Kind;
use crate::volumes::VolumeBacking;

/// How many containers the diagram draws at once; beyond that the learner picks.
pub const MAX_SHOWN: usize = 6;

/// How many outlines of what the last command removed are drawn; the rest are counted
/// (`Diagram::removed_more`), so a loop that removed hundreds costs the page no more.
pub const MAX_REMOVED: usize = 6;

/// How many sources no drawn container uses (volumes nobody drawn mounts) are drawn, those
/// the last command changed first; the rest are counted (`Diagram::sources_more`).
pub const MAX_UNUSED_SOURCES: usize = 12;

/// The kinds of element the diagram draws, with the `data-kind` attribute each carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ElementKind {
    /// A container's single virtual disk.
    Container,
    ImageLayer,
    InitLayer,
    WritableLayer,
    Volume,
    /// A bind source in the host's local filesystem.
    Bind,
    /// A bind source on the network share.
    NetworkShare,
    Tmpfs,
    /// A mount point in a container's disk (and the connector to its source).
    Mount,
}

impl ElementKind {
    /// The `data-kind` attribute: `container`, `image-layer`, `init-layer`, `writable-layer`,
    /// `volume`, `bind`, `network-share`, `tmpfs`, `mount`.
    pub fn data_kind(self) -> &'static str {
        match self {
            ElementKind::Container => "container",
            ElementKind::ImageLayer => "image-layer",
            ElementKind::InitLayer => "init-layer",
            ElementKind::WritableLayer => "writable-layer",
            ElementKind::Volume => "volume",
            ElementKind::Bind => "bind",
            ElementKind::NetworkShare => "network-share",
            ElementKind::Tmpfs => "tmpfs",
            ElementKind::Mount => "mount",
        }
    }
}

/// The whole picture.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagram {
    /// The containers drawn, in column order (those on the same layers side by side).
    pub containers: Vec<Disk>,
    /// Containers that exist but are not drawn (more than [`MAX_SHOWN`]), newest first.
    pub not_shown: Vec<String>,
    /// The image layers under the drawn containers, each once however many share it.
    pub layers: Vec<LayerNode>,
    /// Where mounted content lives: every volume, and the bind sources and tmpfs mounts of
    /// the drawn containers.
    pub sources: Vec<Source>,
    /// One connector per mount of a drawn container, from its mount point to its source.
    pub edges: Vec<Edge>,
    /// What the last command removed: writable layers gone with `docker rm`, volumes gone
    /// with `rm -v` or `docker volume rm`. Drawn once, as outlines.
    pub removed: Vec<Removed>,
    /// What the last command removed beyond the [`MAX_REMOVED`] drawn.
    pub removed_more: usize,
    /// Sources no drawn container uses beyond the [`MAX_UNUSED_SOURCES`] drawn.
    pub sources_more: usize,
    /// What the last command did, for the change notes and the text equivalent.
    pub notes: Vec<ChangeNote>,
}

/// A container's single virtual disk, with the layers it stands on and its mount points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Disk {
    pub id: String,
    pub name: String,
    pub container_id: String,
    /// The image as the container names it.
    pub image: String,
    pub running: bool,
    /// The top-level entries of its filesystem (mount points among them), by name.
    pub dirs: Vec<TopEntry>,
    /// Every mount point, by destination.
    pub mounts: Vec<MountNode>,
    pub writable: StackNode,
    pub init: StackNode,
    /// Ids of the image layers it stands on, bottom to top.
    pub layers: Vec<String>,
    /// The last command created, started, stopped or wrote to it.
    pub changed: bool,
}

/// A top-level entry of a container's filesystem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopEntry {
    pub name: String,
    pub is_dir: bool,
    /// The storage it lives on.
    pub kind: Kind,
    pub mount_point: bool,
}

/// A mount point of a container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MountNode {
    pub id: String,
    pub destination: String,
    /// `volume`, `bind` or `tmpfs`, as `docker inspect` says.
    pub mount_type: &'static str,
    pub kind: Kind,
    pub rw: bool,
    pub origin: MountOrigin,
    /// The id of the source it connects to.
    pub source: String,
    /// Names (the first few, sorted) of what the container's own filesystem has at the
    /// destination, which the mount hides.
    pub hides: Vec<String>,
    pub hidden_total: usize,
    /// Mounted now (a tmpfs only while the container runs).
    pub active: bool,
    pub changed: bool,
}

/// A container's init or writable layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackNode {
    pub id: String,
    pub kind: ElementKind,
    pub size: u64,
    /// `docker diff`'s A, C and D counts (for the init layer: what it adds).
    pub added: usize,
    pub modified: usize,
    pub removed: usize,
    pub changed: bool,
}

/// An image layer, drawn once however many images and containers stand on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerNode {
    pub id: String,
    /// Its position in every stack that holds it (0 = bottom).
    pub index: usize,
    /// The instruction that made it (`docker history`'s CREATED BY).
    pub created_by: String,
    pub size: u64,
    /// Every image holding it (first tag, else short id), sorted.
    pub images: Vec<String>,
    /// Every container standing on it, drawn or not, sorted.
    pub containers: Vec<String>,
    /// The last command copied a file up from it.
    pub changed: bool,
}

/// Where a source lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Region {
    /// Docker's area on the host, `/var/lib/docker/volumes`.
    DockerArea,
    /// The host's own filesystem.
    HostFs,
    /// The network share's server, mounted on the host at `/mnt/share`.
    NetworkShare,
    /// Memory.
    Memory,
}

impl Region {
    pub const ALL: [Region; 4] = [
        Region::DockerArea,
        Region::HostFs,
        Region::NetworkShare,
        Region::Memory,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Region::DockerArea => "docker-area",
            Region::HostFs => "host-fs",
            Region::NetworkShare => "network-share",
            Region::Memory => "memory",
        }
    }
}

/// Something mounted into containers, where it lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    pub id: String,
    pub kind: ElementKind,
    pub storage: Kind,
    pub region: Region,
    /// A volume's name, a bind's host path, a tmpfs's container and destination.
    pub name: String,
    /// Where its bytes are: a volume's `_data` directory, the host path; empty for tmpfs.
    pub path: String,
    pub detail: SourceDetail,
    /// Drawn containers connected to it.
    pub users: Vec<String>,
    pub changed: bool,
}

/// What kind of source, with what the diagram says of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SourceDetail {
    Volume {
        anonymous: bool,
        origin: VolumeOrigin,
        /// For an image's `VOLUME`: the image.
        origin_image: Option<String>,
        backing: VolumeBacking,
        size: u64,
        /// Every container referring to it, drawn or not.
        used_by: usize,
    },
    Bind {
        /// A single file, not a directory.
        file: bool,
        /// It no longer exists on the host.
        missing: bool,
    },
    Tmpfs {
        container: String,
        destination: String,
        /// Entries in it now (none while the container is stopped).
        entries: usize,
    },
}

/// A connector from a mount point to its source, labelled with the destination, the type and
/// `ro`/`rw`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    /// The mount point's id.
    pub mount: String,
    /// The container disk's id.
    pub container: String,
    pub source: String,
    pub destination: String,
    pub mount_type: &'static str,
    pub rw: bool,
    pub kind: Kind,
    pub changed: bool,
}

impl Edge {
    /// `/data · volume · rw`.
    pub fn label(&self) -> String {
        format!(
            "{} · {} · {}",
            self.destination,
            self.mount_type,
            if self.rw { "rw" } else { "ro" }
        )
    }
}

/// Something the last command removed, drawn as an outline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Removed {
    pub id: String,
    pub kind: ElementKind,
    /// The container's or the volume's name.
    pub name: String,
    pub bytes: u64,
    /// For a writable layer: the changes it held (`docker diff` lines).
    pub changes: usize,
    /// For a writable layer: the volumes the container used that stay.
    pub volumes_kept: Vec<String>,
}

/// An id part: ASCII letters, digits, `_` and `-` kept, anything else `-`.
pub(crate) fn id_part(s: &str) -> String {
    let t: String = s
        .trim_matches('/')
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if t.is_empty() {
        "root".to_string()
    } else {
        t
    }
}
