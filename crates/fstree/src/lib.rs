//! POSIX-like in-memory filesystem trees and overlayfs-style union views. Knows nothing of Docker.
//!
//! # Design
//!
//! Two layers of abstraction, one direction of dependency:
//!
//! * [`Store`] (`store.rs`): primitive node operations on *canonical* absolute paths (no `.`,
//!   `..` or symlinks left): `node`, `entries`, `content`, `insert`, `delete`, `move_node`...
//!   No permission checks. Implemented by [`Tree`] (`tree.rs`, an inode table) and [`Union`]
//!   (`union/`, overlayfs over [`Layer`]s from `layer.rs`), and by any mount namespace a
//!   caller builds (see below).
//! * [`FileSystem`] (`fs.rs`), implemented for every `Store`: the POSIX calls (`stat`, `mkdir`,
//!   `rename`, `link`, `chmod`, ...) on any absolute path for a [`Cred`], at logical time
//!   `now`. Paths go through [`resolve`] (`resolve.rs`: `.`, `..`, `//`, symlinks anywhere,
//!   40 hops then `ELOOP`, 255-byte names); preconditions and permissions are checked in Linux's
//!   order; then exactly one `Store` primitive runs. So a `Tree` and a `Union` cannot disagree
//!   on POSIX rules: a conformance suite runs over both.
//!
//! Overlayfs rules live only in `union/` (lookup, merge, copy-up, whiteouts, opaque dirs,
//! `EXDEV`, events) and `diff.rs` (`docker diff`-shaped [`Union::changes`]); the OCI tar form of a
//! layer in `layer.rs`; the JSON form of a tree in `serial.rs`; errno texts in `errno.rs`;
//! metadata and permission checks in `meta.rs`; canonical path helpers in [`path`]. Three
//! pieces of POSIX knowledge every crate above shares live here too: [`fnmatch`] (shell
//! patterns), [`calendar`] (seconds to UTC dates) and [`passwd`] (`/etc/passwd` and
//! `/etc/group` lookups).
//!
//! # Crossing mount points
//!
//! [`resolve`] walks a path one component at a time and asks its `Store` only about canonical
//! paths. A container's mount namespace is therefore just another `Store`: it sends each
//! canonical path to the filesystem mounted at its longest matching prefix (a volume's `Tree`,
//! a bind-mounted subtree of a host `Tree` with the prefix rewritten, a single file, a tmpfs
//! `Tree`), else to the root `Union`. Symlinks that point across mounts, `..` out of a mount
//! root and permission checks on every directory walked then behave as on Linux without
//! further code; [`Store::device`] makes `rename`/`link` across mounts `EXDEV` and
//! [`Store::read_only`] makes a `:ro` mount `EROFS`.
//!
//! # Invariants
//!
//! * No clock and no randomness: every time is a `u64` passed in by the caller; inode numbers
//!   come from a counter. Same calls, same trees, on every platform (wasm32 included).
//! * No panic on any input: errors are [`Errno`]; limits ([`Limits`]) turn runaway growth into
//!   `ENOSPC`; deep trees are walked iteratively.
//! * Whiteouts are never visible through `Store`, `FileSystem`, [`Union::changes`] or
//!   [`Union::hidden`]; only [`Layer::to_oci`] spells them out, as `.wh.` entries.
//! * Cloning a `Tree`, `Layer` or `Union` is O(1) (persistent maps, `Arc` content): snapshots,
//!   undo and 100 containers over one image are cheap.
#![forbid(unsafe_code)]

pub mod calendar;
mod data;
mod device;
mod errno;
pub mod fnmatch;
mod fs;
mod index;
mod merged;
mod meta;
pub mod passwd;
pub mod path;
mod resolve;
mod shared;
mod store;
mod tree;

pub use data::FileBytes;
pub use device::{Device, ENDLESS_READ};
pub use errno::{Errno, FsResult};
pub use fs::FileSystem;
pub use meta::*;
pub use resolve::{resolve, Last, Resolved, MAX_SYMLINKS};
pub use shared::{SharedContents, SHARE_FROM};
pub use store::{AsDynStore, Attr, Content, DirEntry, NewNode, Store};
pub use tree::{FsKind, Ino, Limits, Pool, Tree};
mod diff;
mod layer;
mod serial;
mod union;

pub use diff::{Change, ChangeKind};
pub use layer::{
    Layer, LayerSummary, OciEntry, OciKind, OPAQUE_WHITEOUT, WHITEOUT_META_PREFIX, WHITEOUT_PREFIX,
};
pub use union::{Backing, Event, Hidden, HiddenBy, Provenance, Union};
