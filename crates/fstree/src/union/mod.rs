//! `Union`: the overlayfs view of read-only layers under one writable upper tree — lookup,
//! merged readdir, copy-up, whiteouts, opaque directories — and the events it records.
//!
//! This file holds the type, its constructors and accessors. `lookup.rs` finds a path's nodes
//! top-down, `readdir.rs` merges a directory's names, `copy_up.rs` copies lower entries up,
//! `store.rs` is the union's [`Store`](crate::Store) (reads and writes), `provenance.rs` says
//! what backs a path and what it hides, `event.rs` records what each write did.

mod copy_up;
mod event;
mod lookup;
mod provenance;
mod readdir;
mod store;

use std::sync::Arc;

use imbl::OrdMap;

use crate::merged::{shared_root, LowerDir};
use crate::path;
use crate::tree::{Ino, Inode};
use crate::{Errno, FsResult, Layer, Limits, Tree};

pub use event::Event;
pub use provenance::{Backing, Hidden, HiddenBy, Provenance};

/// One layer's node in a [`Stack`]: `(layer index, inode number, inode)`, where index
/// `lowers.len()` is the upper layer.
pub(crate) type Slot<'a> = (usize, Ino, &'a Inode);

/// The directories (or the one non-directory) making up one union path, top-most first.
pub(crate) type Stack<'a> = Vec<Slot<'a>>;

/// An overlayfs mount: read-only lower [`Layer`]s (bottom to top) under one writable upper
/// layer. Lookup is top-down and the first hit wins; a whiteout hides lower names; directories
/// present in several layers merge (names only; metadata from the top-most), and an opaque
/// directory stops the merge. Any content or metadata change to a lower entry first copies it
/// up whole (index=off, as Docker mounts it: copying up one name of a hard-linked lower file
/// breaks the link). Deleting a lower entry leaves a whiteout; a directory removed and created
/// again is opaque; renaming a directory that exists in a lower layer is `EXDEV` (no
/// `redirect_dir`). A read-only union answers `EROFS` to every write.
///
/// Invariant: no whiteout is ever visible through [`Store`](crate::Store),
/// [`FileSystem`](crate::FileSystem), [`Union::changes`] or [`Union::hidden`].
///
/// Mutations record [`Event`]s; take them with [`Union::take_events`].
#[derive(Debug, Clone)]
pub struct Union {
    lowers: Vec<Arc<Layer>>,
    /// `/` as the lower layers show it, with every lower directory looked into so far: shared
    /// by every union over the same layers (the layers never change).
    lower_root: Option<Arc<LowerDir>>,
    upper: Tree,
    read_only: bool,
    /// Upper non-directories copied up from a lower layer, by path, and from which
    /// (overlayfs's `origin` xattr). A path, not an inode: another name linked to the copy
    /// later is not a copy-up. Directories are not kept here: an upper directory was copied up
    /// exactly when it is not opaque and lower directories merge below it (it cannot be
    /// renamed or linked, and a new one over a lower name is made opaque), from the top-most
    /// of them.
    copied: OrdMap<String, usize>,
    /// Upper directories that were given a copied-up entry (overlayfs's `impure` xattr: set
    /// on a copy-up into the directory or a rename of a copied-up entry into it, never
    /// cleared). A copied-up directory that is also impure holds two xattrs, more than ext4
    /// keeps in the inode: it takes a block of its own (`stat`'s blocks, `ls -s`, `du`).
    impure: OrdMap<Ino, ()>,
    events: Vec<Event>,
}

impl Union {
    /// A union of `lowers` (bottom to top) with an empty writable upper layer whose root takes
    /// the top-most lower root's metadata.
    pub fn new(lowers: Vec<Arc<Layer>>) -> Union {
        let meta = lowers
            .iter()
            .rev()
            .find_map(|l| l.tree.inode(l.tree.root).map(|n| n.meta))
            .unwrap_or_default();
        Union {
            lower_root: shared_root(&lowers),
            lowers,
            upper: Tree::with_root(meta, Limits::default()),
            read_only: false,
            copied: OrdMap::new(),
            impure: OrdMap::new(),
            events: Vec::new(),
        }
    }

    /// A union rebuilt from its saved parts (the inverse of [`Union::upper`],
    /// [`Union::copied_up`] and [`Union::impure_dirs`]), for loading a saved session.
    pub fn from_parts(
        lowers: Vec<Arc<Layer>>,
        upper: Tree,
        copied_up: impl IntoIterator<Item = (String, usize)>,
        impure: impl IntoIterator<Item = Ino>,
        read_only: bool,
    ) -> Union {
        // Directories need no record (see `copied`).
        let copied = copied_up
            .into_iter()
            .filter(|(p, _)| {
                !upper
                    .lookup(p)
                    .and_then(|i| upper.inode(i))
                    .is_some_and(Inode::is_dir)
            })
            .collect();
        Union {
            lower_root: shared_root(&lowers),
            lowers,
            upper,
            read_only,
            copied,
            impure: impure.into_iter().map(|i| (i, ())).collect(),
            events: Vec::new(),
        }
    }

    /// The upper directories marked impure (see `impure`), for saving.
    pub fn impure_dirs(&self) -> Vec<Ino> {
        self.impure.keys().copied().collect()
    }

    /// The writable upper layer (whiteouts and opaque markers included), for saving.
    pub fn upper(&self) -> &Tree {
        &self.upper
    }

    /// The lower layers, bottom to top.
    pub fn lowers(&self) -> &[Arc<Layer>] {
        &self.lowers
    }

    /// Make every write fail with `EROFS` (`docker run --read-only`).
    pub fn set_read_only(&mut self, read_only: bool) {
        self.read_only = read_only;
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Limits of the upper layer (the container's writable layer).
    pub fn set_limits(&mut self, limits: Limits) {
        self.upper.set_limits(limits);
    }

    /// The room the upper layer shares with other trees (see [`Tree::set_pool`]).
    pub fn set_pool(&mut self, pool: Option<crate::Pool>) {
        self.upper.set_pool(pool);
    }

    /// The upper layer's size as overlay2 measures it, copies-up counted in full
    /// (`docker ps -s`): see [`Tree::diff_size`].
    pub fn upper_size(&self) -> u64 {
        self.upper.diff_size()
    }

    /// The upper layer frozen as a new [`Layer`] (`docker commit`), whiteouts and opaque
    /// directories kept, without the canonical paths in `exclude` and anything below them.
    pub fn commit(&self, exclude: &[&str]) -> Layer {
        let mut t = self.upper.clone();
        t.set_pool(None);
        for p in exclude {
            if let Some((parent, name)) = path::split(p) {
                if let Some(dir) = t.lookup(parent) {
                    t.detach(dir, name);
                }
            }
        }
        Layer::from_tree(t)
    }

    /// Push the upper layer as a new top lower layer and start a fresh upper (commit, then run
    /// a new container from the result).
    pub fn commit_and_restack(&mut self) {
        let layer = Arc::new(self.commit(&[]));
        self.lowers.push(layer);
        *self = Union::new(std::mem::take(&mut self.lowers));
    }

    pub(crate) fn upper_index(&self) -> usize {
        self.lowers.len()
    }

    pub(crate) fn tree_at(&self, li: usize) -> &Tree {
        match self.lowers.get(li) {
            Some(l) => &l.tree,
            None => &self.upper,
        }
    }

    pub(super) fn writable(&self) -> FsResult<()> {
        if self.read_only {
            Err(Errno::EROFS)
        } else {
            Ok(())
        }
    }
}
