//! The merged lower directories of a union (overlayfs's dentry cache, for the read-only layers
//! only): a directory's stack of layer directories and, from the first lookup inside it, one
//! hash table of what each of its names is below the upper layer. Layers never change, so a
//! table is built once and shared by every union over the same layers (see
//! [`shared_root`]): a lookup step probes one table instead of one index per layer.

use std::fmt;
use std::sync::{Arc, OnceLock};

use crate::index::name_hash;
use crate::tree::{Body, Ino, Inode};
use crate::Layer;

/// One lower layer's node: `(layer index, inode number, inode)`.
pub(crate) type LowerSlot = (usize, Ino, Arc<Inode>);

/// A directory as the lower layers show it: the layers' directories of that path, top-most
/// first down to the first opaque one (never empty), and its names once a lookup needs them.
pub(crate) struct LowerDir {
    pub(crate) slots: Box<[LowerSlot]>,
    children: OnceLock<Children>,
}

/// What a name in a [`LowerDir`] is below the upper layer (the top-most lower entry of that
/// name wins, as in [`Union::step`](crate::Union)).
pub(crate) enum LowerChild {
    /// A directory, merged from every layer down to the first opaque one or the first
    /// non-directory or whiteout of that name.
    Dir(Arc<LowerDir>),
    /// A file, symlink or device: the top-most entry of that name.
    Node(LowerSlot),
    /// The top-most entry of that name is a whiteout: nothing shows.
    WhitedOut,
}

/// The names of one [`LowerDir`]: open addressing with linear probing, at most half full
/// (the layout of [`LayerIndex`](crate::index)).
struct Children {
    /// `(low half of the name's hash, position in entries)`, `EMPTY` for a free slot; the
    /// length is `1 << (64 - shift)`.
    slots: Vec<(u32, u32)>,
    shift: u32,
    entries: Vec<(u64, Box<str>, LowerChild)>,
}

const EMPTY: u32 = u32::MAX;

impl fmt::Debug for LowerDir {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LowerDir({} layers)", self.slots.len())
    }
}

impl Drop for LowerDir {
    /// Iteratively: a deep chain of cached directories must not exhaust the (small, on
    /// wasm32) stack.
    fn drop(&mut self) {
        let mut todo: Vec<Arc<LowerDir>> = Vec::new();
        let take = |c: Option<Children>, todo: &mut Vec<Arc<LowerDir>>| {
            for (_, _, child) in c.into_iter().flat_map(|c| c.entries) {
                if let LowerChild::Dir(d) = child {
                    todo.push(d);
                }
            }
        };
        take(self.children.take(), &mut todo);
        while let Some(d) = todo.pop() {
            if let Some(mut d) = Arc::into_inner(d) {
                take(d.children.take(), &mut todo);
            }
        }
    }
}

impl LowerDir {
    fn new(slots: Vec<LowerSlot>) -> LowerDir {
        LowerDir {
            slots: slots.into(),
            children: OnceLock::new(),
        }
    }

    /// The root of `lowers` (bottom to top): their roots, top-most first, down to the first
    /// opaque one; `None` without any. Builds each layer's name index now rather than in the
    /// first lookup.
    pub(crate) fn root(lowers: &[Arc<Layer>]) -> Option<LowerDir> {
        let mut slots = Vec::with_capacity(lowers.len());
        for (li, l) in lowers.iter().enumerate().rev() {
            let _ = l.index();
            let t = &l.tree;
            let Some(n) = t.inodes.get(&t.root) else {
                continue;
            };
            slots.push((li, t.root, n.clone()));
            if matches!(n.body, Body::Dir { opaque: true, .. }) {
                break;
            }
        }
        (!slots.is_empty()).then(|| LowerDir::new(slots))
    }

    /// What `name` is in this directory; `None` if no lower layer has it. `lowers` are the
    /// layers this directory was built from.
    pub(crate) fn child(&self, lowers: &[Arc<Layer>], name: &str) -> Option<&LowerChild> {
        let c = self
            .children
            .get_or_init(|| Children::build(&self.slots, lowers));
        c.get(name, name_hash(name))
    }
}

/// The entry `name` (hashed to `nh`) of directory `dir`, inode `dino` of lower layer `l`,
/// whiteouts included, through the layer's index.
#[inline]
pub(crate) fn layer_child<'a>(
    l: &'a Layer,
    dino: Ino,
    dir: &'a Inode,
    name: &str,
    nh: u64,
) -> Option<(Ino, &'a Arc<Inode>)> {
    match l.index() {
        Some(ix) => ix.get(dino, name, nh),
        None => {
            let ino = *dir.entries()?.get(name)?;
            Some((ino, l.tree.inodes.get(&ino)?))
        }
    }
}

impl Children {
    /// Every name of the directories in `slots`, each resolved as a union lookup resolves it
    /// below the upper layer.
    fn build(slots: &[LowerSlot], lowers: &[Arc<Layer>]) -> Children {
        let names: usize = slots
            .iter()
            .filter_map(|(_, _, n)| n.entries())
            .map(|e| e.len())
            .sum();
        let size = (names * 2).max(8).next_power_of_two();
        let mut c = Children {
            slots: vec![(0, EMPTY); size],
            shift: 64 - size.trailing_zeros(),
            entries: Vec::new(),
        };
        for (_, _, dir) in slots.iter() {
            for name in dir.entries().into_iter().flat_map(|e| e.keys()) {
                let nh = name_hash(name);
                if c.get(name, nh).is_none() {
                    let child = below(slots, lowers, name, nh);
                    c.insert(nh, name, child);
                }
            }
        }
        c
    }

    /// The slot of `name` (hashed to `nh`): `Ok` with the entry's position if present, else
    /// `Err` with the free slot it would take.
    fn find(&self, name: &str, nh: u64) -> Result<usize, usize> {
        let mask = self.slots.len().wrapping_sub(1);
        let mut i = nh.checked_shr(self.shift).unwrap_or(0) as usize;
        // At most half full, so a free slot ends every probe; the bound only keeps the loop
        // finite whatever happens.
        for _ in 0..self.slots.len() {
            let Some(&(tag, pos)) = self.slots.get(i) else {
                break;
            };
            if pos == EMPTY {
                return Err(i);
            }
            if tag == nh as u32 {
                if let Some((h, n, _)) = self.entries.get(pos as usize) {
                    if *h == nh && **n == *name {
                        return Ok(pos as usize);
                    }
                }
            }
            i = (i + 1) & mask;
        }
        Err(usize::MAX)
    }

    #[inline]
    fn get(&self, name: &str, nh: u64) -> Option<&LowerChild> {
        let pos = self.find(name, nh).ok()?;
        self.entries.get(pos).map(|(_, _, c)| c)
    }

    fn insert(&mut self, nh: u64, name: &str, child: LowerChild) {
        let pos = self.entries.len();
        let Err(free) = self.find(name, nh) else {
            return;
        };
        // Sized for every name of every layer: never more than 2^31 of them.
        let (Some(slot), Ok(p)) = (self.slots.get_mut(free), u32::try_from(pos)) else {
            return;
        };
        *slot = (nh as u32, p);
        self.entries.push((nh, name.into(), child));
    }
}

/// What `name` (hashed to `nh`) is below the upper layer in the directories `slots`: the
/// union's lookup step over the lower layers alone (top-most first; a whiteout stops it; a
/// directory merges with the same-named directories below it until an opaque one or anything
/// else; a non-directory shows only if it is the top-most hit).
fn below(slots: &[LowerSlot], lowers: &[Arc<Layer>], name: &str, nh: u64) -> LowerChild {
    let mut dirs: Vec<LowerSlot> = Vec::new();
    for (li, dino, dir) in slots {
        let Some(l) = lowers.get(*li) else { continue };
        let Some((ino, n)) = layer_child(l, *dino, dir, name, nh) else {
            continue;
        };
        match &n.body {
            Body::Whiteout => break,
            Body::Dir { opaque, .. } => {
                dirs.push((*li, ino, n.clone()));
                if *opaque {
                    break;
                }
            }
            _ => {
                if dirs.is_empty() {
                    return LowerChild::Node((*li, ino, n.clone()));
                }
                break;
            }
        }
    }
    if dirs.is_empty() {
        LowerChild::WhitedOut
    } else {
        LowerChild::Dir(Arc::new(LowerDir::new(dirs)))
    }
}

/// The root [`LowerDir`] of a union over `lowers`, shared by every union over exactly these
/// layers: kept by the top layer, with the layers below it it was built for (a union putting
/// that layer over other layers gets a root of its own).
pub(crate) fn shared_root(lowers: &[Arc<Layer>]) -> Option<Arc<LowerDir>> {
    let (top, below) = lowers.split_last()?;
    let (built_for, root) = top
        .merged
        .0
        .get_or_init(|| (below.into(), LowerDir::root(lowers).map(Arc::new)));
    let same = built_for.len() == below.len()
        && built_for.iter().zip(below).all(|(a, b)| Arc::ptr_eq(a, b));
    if same {
        root.clone()
    } else {
        LowerDir::root(lowers).map(Arc::new)
    }
}

/// A layer's cache of the union root over it (see [`shared_root`]): the layers below it and
/// the root.
#[derive(Clone, Default)]
pub(crate) struct MergedCell(pub(crate) OnceLock<MergedRoot>);

/// The layers below a top layer, and the root of the union over them all.
pub(crate) type MergedRoot = (Box<[Arc<Layer>]>, Option<Arc<LowerDir>>);

impl fmt::Debug for MergedCell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MergedCell")
    }
}
