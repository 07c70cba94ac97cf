//! The playground's view model: pure functions from the engine's [`World`] to plain data the
//! web UI draws, and plain-language sentences about what a command did to storage. No web
//! dependency: it builds and tests natively and for wasm32.
//!
//! # Panels
//! * [`storage_children`] (`storage.rs`): a container's files as it sees them, one directory at
//!   a time (or a page of one: [`storage_children_page`]), each entry with the [`Kind`] of
//!   storage it lives on, and with "show hidden" the ghosts a whiteout, an opaque directory, a
//!   higher layer or a mount hides.
//! * [`layer_stack`], [`layer_changes`], [`merged_children`] (`layers.rs`): dive's layer view
//!   of an image or a container.
//! * [`volumes`], [`volume_children`] (`volumes.rs`): every volume, where it came from and who
//!   uses it.
//! * [`mount_table`] (`mounts.rs`): a container's mounts as `docker inspect` lists them, plus
//!   `--tmpfs` and the files Docker writes.
//! * [`host_children`] (`host.rs`): the host's tree with bind-mount sources and the network
//!   share marked.
//! * [`diagram`] and [`layout`] (`diagram/`): the storage diagram, every drawn container's
//!   disk on its layers with its mounts connected to where their sources live, and what the
//!   last step changed; the layout in SVG units.
//! * [`explain`] (`explain/`) and [`highlights`] (`highlight.rs`): what the last command's
//!   change events did, in Korean or English, and what to flash.
//!
//! # Cost
//! Every `*_children` function lists one directory: its cost follows that directory's size
//! and the path's depth, never the size of the image. Only [`layer_stack`] and
//! [`layer_changes`] walk whole layers (a layer's counts are remembered per layer, layers never
//! change); [`explain`] and [`highlights`] follow the number of change events.
//!
//! # Decisions
//! * The init layer (`/.dockerenv`, `/etc/mtab` and the placeholders of `/etc/hostname`,
//!   `/etc/hosts`, `/etc/resolv.conf`) is Docker's own, not the image author's, and goes with
//!   the container: it is shown as [`Kind::DockerManaged`].
//! * Paths are canonical (as [`Entry::path`] gives them); a symlink is a leaf, never expanded.

//! # Example
//! ```
//! use layerbox_i18n::Lang;
//! use layerbox_session::Session;
//! use layerbox_view::*;
//!
//! let mut session = Session::new();
//! session.run_line("docker volume create todo-list");
//! session.run_line("docker run -d --name todo-v1 -v todo-list:/data diamol/ch06-todo-list");
//! let before = session.world().clone();
//! let result = session.run_line("docker exec todo-v1 rm /etc/motd");
//! let world = session.world();
//!
//! // What just happened, and what to flash.
//! let said = explain(&result.changes, Some(&before), world, Lang::En);
//! assert!(said[0].starts_with("/etc/motd was deleted only in todo-v1's view"));
//! let flash = highlights(&result.changes, world);
//! let id = world.container_id("todo-v1").unwrap();
//! assert!(flash.container_dir(&id, "/etc"));
//!
//! // Storage map, one directory at a time; ghosts with `show_hidden`.
//! let etc = storage_children(world, "todo-v1", "/etc", true).unwrap();
//! let motd = etc.iter().find(|n| n.entry.name == "motd").unwrap();
//! assert_eq!(motd.hidden.as_ref().unwrap().hidden_by, Kind::WritableLayer);
//!
//! // Layers (dive-like), one layer's own changes, the merged tree up to a layer.
//! let stack = layer_stack(world, Target::Container("todo-v1")).unwrap();
//! assert_eq!(stack.rows.last().unwrap().removed, 1);
//! let own = layer_changes(world, Target::Image("diamol/ch06-todo-list"), LayerRef::Image(1)).unwrap();
//! assert_eq!(own[0].path, "/app");
//! let merged = merged_children(world, Target::Container("todo-v1"), LayerRef::Writable, "/etc").unwrap();
//! assert!(merged.iter().any(|m| m.entry.name == "motd" && m.change == Some(LayerChangeKind::Removed)));
//!
//! // Volumes, mounts, host.
//! assert_eq!(volumes(world)[0].users[0].container, "todo-v1");
//! assert!(volume_children(world, "todo-list", "/").is_ok());
//! assert_eq!(mount_table(world, "todo-v1").unwrap()[0].mount_type, "volume");
//! assert!(host_children(world, "/home/user").unwrap().is_empty());
//! ```

mod diagram;
mod entry;
mod error;
mod explain;
mod highlight;
mod host;
mod kind;
mod layers;
mod mounts;
mod storage;
mod volumes;

pub use diagram::{
    diagram, layout, ChangeNote, Diagram, Disk, Edge, EdgePath, ElementKind, LayerNode, Layout,
    MountNode, NoteWhat, Rect, Region, RegionBox, Removed, Source, SourceDetail, StackNode,
    TopEntry, MAX_REMOVED, MAX_SHOWN, MAX_UNUSED_SOURCES,
};
pub use entry::Entry;
pub use error::ViewError;
pub use explain::{explain, explain_folded};
pub use highlight::{highlights, Highlights};
pub use host::{host_children, BindRelation, HostBind, HostNode};
pub use kind::{badge, Kind};
pub use layers::{
    dockerfile_line, layer_changes, layer_stack, merged_children, LayerChange, LayerChangeKind,
    LayerRef, LayerRow, LayerStack, MergedNode, Target,
};
pub use mounts::{mount_table, MountRow};
pub use storage::{storage_children, storage_children_page, Ghost, Node, Page};
pub use volumes::{
    nfs_server_note, volume_children, volumes, VolumeBacking, VolumeRow, VolumeUser,
};

/// The engine's types the view's data carries, re-exported for the UI.
pub use layerbox_engine::change::Change;
pub use layerbox_engine::container::MountOrigin;
pub use layerbox_engine::provenance::{Backs, HiddenWhy};
pub use layerbox_engine::volume::VolumeOrigin;
pub use layerbox_engine::world::World;
pub use layerbox_fstree::{Backing, FileType};
