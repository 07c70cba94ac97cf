//! `Union`: the overlayfs view of read-only layers under one writable upper tree — lookup,
//! merged readdir, copy-up, whiteouts, opaque directories — and the events it records.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Arc;

use imbl::OrdMap;

use crate::index::name_hash;
use crate::merged::{layer_child, shared_root, LowerChild, LowerDir, LowerSlot};
use crate::path::{self, components, is_within};
use crate::resolve::{resolve_walk, stat_walk, Found, Walk};
use crate::store::{Attr, Content, DirEntry, NewNode, Store};
use crate::tree::{Body, Ino, Inode};
use crate::{Cred, Errno, FileType, FsResult, Layer, Limits, Meta, Stat, Tree};

/// Which layer of a union backs something.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Backing {
    /// A read-only lower layer, by index (0 = bottom).
    Layer(usize),
    /// The writable upper layer.
    Upper,
}

/// One thing a mutating union operation did, in order, so a UI can explain it without
/// diffing states.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Event {
    /// The entry at `path` was copied from lower layer `from_layer` into the upper layer
    /// (a file with its data, owner, mode and mtime; a directory with its metadata only).
    CopyUp { path: String, from_layer: usize },
    /// A new entry was created in the upper layer.
    Created { path: String },
    /// The upper copy's content or metadata changed.
    Modified { path: String },
    /// The upper entry at `path` was removed.
    Removed { path: String },
    /// A whiteout was placed at `path`, hiding lower entries of that name.
    Whiteout { path: String },
    /// The directory at `path` was made opaque: no lower directory of that path shows through.
    OpaqueDir { path: String },
    /// The upper entry moved from `from` to `to`.
    Renamed { from: String, to: String },
}

/// Where a visible path comes from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Provenance {
    /// The layer holding the visible entry (for a merged directory: its metadata).
    pub backing: Backing,
    /// For an upper entry copied up: the lower layer it was copied from.
    pub copied_up_from: Option<usize>,
    /// Every layer contributing to a merged directory, top-most first; one element otherwise.
    pub merged: Vec<Backing>,
}

/// Why a lower entry does not show in the union.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum HiddenBy {
    /// A whiteout of the same name in this higher layer.
    Whiteout(Backing),
    /// An opaque directory in this higher layer (or a non-directory replacing the directory).
    Opaque(Backing),
    /// A same-named entry in this higher layer shadows it.
    Shadowed(Backing),
}

/// A lower entry under a directory that the union does not show (for a "show hidden" view).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Hidden {
    pub name: String,
    /// The lower layer holding the hidden entry.
    pub layer: usize,
    pub kind: FileType,
    pub by: HiddenBy,
}

/// One layer's node in a [`Stack`]: `(layer index, inode number, inode)`, where index
/// `lowers.len()` is the upper layer.
pub(crate) type Slot<'a> = (usize, Ino, &'a Inode);

/// The directories (or the one non-directory) making up one union path, top-most first.
pub(crate) type Stack<'a> = Vec<Slot<'a>>;

/// One union path during a lookup, without building its [`Stack`]: the upper layer's node
/// there (if the upper layer shows one) and what the lower layers show below it (nothing if
/// the upper node hides them).
#[derive(Clone, Copy)]
pub(crate) struct Cursor<'a> {
    upper: Option<(Ino, &'a Inode)>,
    lower: Lower<'a>,
}

/// The lower part of a [`Cursor`].
#[derive(Clone, Copy)]
enum Lower<'a> {
    None,
    /// A directory merged from one or more lower layers.
    Dir(&'a LowerDir),
    /// The top-most lower non-directory.
    Node(&'a LowerSlot),
}

impl Cursor<'_> {
    /// Whether the union shows nothing here.
    fn is_empty(&self) -> bool {
        self.upper.is_none() && matches!(self.lower, Lower::None)
    }
}

/// What [`Union::walk_dir`] found: the union's cursor on the directory (`None` if it is not
/// visible), the deepest upper directory on its path, and the directories to copy up below it
/// (name, path, layer, metadata), then the error copying up would end with.
struct DirWalk<'a, 'p> {
    stack: Option<Cursor<'a>>,
    upper: Ino,
    plan: Vec<(&'p str, &'p str, usize, Meta)>,
    failed: Option<Errno>,
}

/// An overlayfs mount: read-only lower [`Layer`]s (bottom to top) under one writable upper
/// layer. Lookup is top-down and the first hit wins; a whiteout hides lower names; directories
/// present in several layers merge (names only; metadata from the top-most), and an opaque
/// directory stops the merge. Any content or metadata change to a lower entry first copies it
/// up whole (index=off, as Docker mounts it: copying up one name of a hard-linked lower file
/// breaks the link). Deleting a lower entry leaves a whiteout; a directory removed and created
/// again is opaque; renaming a directory that exists in a lower layer is `EXDEV` (no
/// `redirect_dir`). A read-only union answers `EROFS` to every write.
///
/// Invariant: no whiteout is ever visible through [`Store`], [`FileSystem`](crate::FileSystem),
/// [`Union::changes`] or [`Union::hidden`].
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
            events: Vec::new(),
        }
    }

    /// A union rebuilt from its saved parts (the inverse of [`Union::upper`] and
    /// [`Union::copied_up`]), for loading a saved session.
    pub fn from_parts(
        lowers: Vec<Arc<Layer>>,
        upper: Tree,
        copied_up: impl IntoIterator<Item = (String, usize)>,
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
            events: Vec::new(),
        }
    }

    /// The writable upper layer (whiteouts and opaque markers included), for saving.
    pub fn upper(&self) -> &Tree {
        &self.upper
    }

    /// The upper paths copied up from a lower layer, with that layer's index, sorted by path.
    pub fn copied_up(&self) -> Vec<(String, usize)> {
        let mut out: Vec<(String, usize)> =
            self.copied.iter().map(|(p, &li)| (p.clone(), li)).collect();
        // The directories (see `copied`), walking the upper directories with their cursors.
        let mut todo: Vec<(String, Cursor<'_>)> = Vec::new();
        if let Some(c) = self.root_cursor(true) {
            todo.push((String::from("/"), c));
        }
        while let Some((dir, c)) = todo.pop() {
            let Some(entries) = c.upper.and_then(|(_, n)| n.entries()) else {
                continue;
            };
            for name in entries.keys() {
                let child = self.next(c, name);
                if !child.upper.is_some_and(|(_, n)| n.is_dir()) {
                    continue;
                }
                let p = path::join(&dir, name);
                if let Some(li) = Self::dir_origin(&child) {
                    out.push((p.clone(), li));
                }
                todo.push((p, child));
            }
        }
        layerbox_order::sort_by(&mut out, |a, b| a.0.cmp(&b.0));
        out
    }

    /// The lower layer an upper directory was copied up from (see `copied`): the top-most
    /// lower directory merged below it, if it is not opaque.
    fn dir_origin(c: &Cursor<'_>) -> Option<usize> {
        match (c.upper, c.lower) {
            (Some((_, n)), Lower::Dir(d)) if matches!(n.body, Body::Dir { opaque: false, .. }) => {
                d.slots.first().map(|&(li, _, _)| li)
            }
            _ => None,
        }
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

    /// The upper layer's size as overlay2 measures it, copies-up counted in full
    /// (`docker ps -s`): see [`Tree::diff_size`].
    pub fn upper_size(&self) -> u64 {
        self.upper.diff_size()
    }

    /// The events recorded since the last call, oldest first.
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    /// The upper layer frozen as a new [`Layer`] (`docker commit`), whiteouts and opaque
    /// directories kept, without the canonical paths in `exclude` and anything below them.
    pub fn commit(&self, exclude: &[&str]) -> Layer {
        let mut t = self.upper.clone();
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

    /// Which layer backs canonical `path`, whether it was copied up, and for a merged
    /// directory which layers it merges. `None` if the union shows nothing there.
    pub fn provenance(&self, path: &str) -> Option<Provenance> {
        let c = self.cursor(path, true)?;
        let stack = self.expand(c);
        let merged: Vec<Backing> = stack.iter().map(|&(li, _, _)| self.backing(li)).collect();
        let backing = *merged.first()?;
        let copied_up_from = match c.upper {
            Some((_, n)) if n.is_dir() => Self::dir_origin(&c),
            Some(_) => self.copied.get(path).copied(),
            None => None,
        };
        Some(Provenance {
            backing,
            copied_up_from,
            merged,
        })
    }

    /// The lower entries directly under directory `path` that the union does not show, each
    /// with the layer holding it and what hides it, sorted by name then layer (top first).
    pub fn hidden(&self, path: &str) -> Vec<Hidden> {
        let Some(stack) = self.stack(path, true) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let cut = stack.last().map(|&(li, _, _)| li).unwrap_or(0);
        for li in (0..self.lowers.len()).rev() {
            let t = self.tree_at(li);
            let Some(dir) = t.lookup(path) else { continue };
            let Some(entries) = t.inode(dir).and_then(Inode::entries) else {
                continue;
            };
            let in_stack = stack.iter().any(|&(l, _, _)| l == li);
            for (name, &ino) in entries {
                let Some(kind) = t.inode(ino).and_then(Inode::kind) else {
                    continue;
                };
                let by = if !in_stack {
                    HiddenBy::Opaque(self.backing(cut))
                } else {
                    match self.first_above(&stack, li, name) {
                        None => continue,
                        Some((l, Body::Whiteout)) => HiddenBy::Whiteout(self.backing(l)),
                        Some((l, _)) => HiddenBy::Shadowed(self.backing(l)),
                    }
                };
                out.push(Hidden {
                    name: name.clone(),
                    layer: li,
                    kind,
                    by,
                });
            }
        }
        layerbox_order::sort_by(&mut out, |a, b| {
            a.name.cmp(&b.name).then(b.layer.cmp(&a.layer))
        });
        out
    }

    /// The first entry named `name` in the stack layers above layer `li`, if any.
    fn first_above(&self, stack: &[Slot<'_>], li: usize, name: &str) -> Option<(usize, &Body)> {
        stack
            .iter()
            .take_while(|&&(l, _, _)| l > li)
            .find_map(|&(l, _, dir)| Some((l, &self.tree_at(l).child_node(dir, name)?.1.body)))
    }

    // ---- lookup ----

    pub(crate) fn upper_index(&self) -> usize {
        self.lowers.len()
    }

    pub(crate) fn backing(&self, li: usize) -> Backing {
        if li == self.upper_index() {
            Backing::Upper
        } else {
            Backing::Layer(li)
        }
    }

    pub(crate) fn tree_at(&self, li: usize) -> &Tree {
        match self.lowers.get(li) {
            Some(l) => &l.tree,
            None => &self.upper,
        }
    }

    /// The layers' nodes making up canonical `path`, top-most first (see [`Stack`]); the lower
    /// layers only unless `with_upper`. `None` if nothing is visible there.
    pub(crate) fn stack(&self, path: &str, with_upper: bool) -> Option<Stack<'_>> {
        let c = self.cursor(path, with_upper)?;
        Some(self.expand(c))
    }

    /// [`Union::stack`] as a [`Cursor`].
    fn cursor(&self, path: &str, with_upper: bool) -> Option<Cursor<'_>> {
        let mut c = self.root_cursor(with_upper)?;
        for name in components(path) {
            c = self.next(c, name);
            if c.is_empty() {
                return None;
            }
        }
        Some(c)
    }

    /// The cursor on `/`: the upper root (if `with_upper`) then the lower roots down to the
    /// first opaque one. `None` without layers.
    fn root_cursor(&self, with_upper: bool) -> Option<Cursor<'_>> {
        if !with_upper && self.lowers.is_empty() {
            return None;
        }
        let upper = if with_upper {
            let t = &self.upper;
            t.root_node().map(|n| (t.root, n))
        } else {
            None
        };
        let lower = match (upper, &self.lower_root) {
            (Some((_, n)), _) if matches!(n.body, Body::Dir { opaque: true, .. }) => Lower::None,
            (_, Some(d)) => Lower::Dir(d),
            (_, None) => Lower::None,
        };
        Some(Cursor { upper, lower })
    }

    /// One lookup step from a cursor: the cursor on `name` inside it. The rule is
    /// [`Union::step`]'s: the upper entry first (a whiteout hides everything, a non-directory
    /// or an opaque directory what is below it), then the lower layers' merged directory.
    pub(crate) fn next<'a>(&'a self, c: Cursor<'a>, name: &str) -> Cursor<'a> {
        const NOTHING: Cursor<'static> = Cursor {
            upper: None,
            lower: Lower::None,
        };
        let upper = match c.upper {
            Some((_, dir)) => match self.upper.child_node(dir, name) {
                Some((_, n)) if matches!(n.body, Body::Whiteout) => return NOTHING,
                Some((ino, n)) => {
                    if !matches!(n.body, Body::Dir { opaque: false, .. }) {
                        return Cursor {
                            upper: Some((ino, n)),
                            lower: Lower::None,
                        };
                    }
                    Some((ino, n))
                }
                None => None,
            },
            None => None,
        };
        let lower = match c.lower {
            Lower::Dir(d) => match d.child(&self.lowers, name) {
                Some(LowerChild::Dir(sub)) => Lower::Dir(sub),
                // Below an upper directory, a lower non-directory does not show.
                Some(LowerChild::Node(slot)) if upper.is_none() => Lower::Node(slot),
                _ => Lower::None,
            },
            _ => Lower::None,
        };
        Cursor { upper, lower }
    }

    /// The [`Stack`] a cursor stands for.
    fn expand<'a>(&'a self, c: Cursor<'a>) -> Stack<'a> {
        let lower: &[LowerSlot] = match c.lower {
            Lower::None => &[],
            Lower::Dir(d) => &d.slots,
            Lower::Node(slot) => std::slice::from_ref(slot),
        };
        let mut stack = Vec::with_capacity(lower.len() + 1);
        if let Some((ino, n)) = c.upper {
            stack.push((self.upper_index(), ino, n));
        }
        stack.extend(lower.iter().map(|(li, ino, n)| (*li, *ino, &**n)));
        stack
    }

    /// The top-most node of a cursor, with its layer, and how many layers it merges.
    fn top_of<'a>(&'a self, c: &Cursor<'a>) -> Option<(Slot<'a>, usize)> {
        let below = match c.lower {
            Lower::None => None,
            Lower::Dir(d) => d.slots.first().map(|s| (s, d.slots.len())),
            Lower::Node(slot) => Some((slot, 1)),
        };
        match (c.upper, below) {
            (Some((ino, n)), b) => Some(((self.upper_index(), ino, n), 1 + b.map_or(0, |b| b.1))),
            (None, Some(((li, ino, n), len))) => Some(((*li, *ino, &**n), len)),
            (None, None) => None,
        }
    }

    /// [`Union::stat_of`] a cursor's stack.
    fn stat_at(&self, c: &Cursor<'_>) -> Option<Stat> {
        let ((li, ino, n), len) = self.top_of(c)?;
        self.stat_top(li, ino, n, len)
    }

    /// One lookup step: the stack of `name` inside the directories of `stack`.
    pub(crate) fn step<'a>(&'a self, stack: &[Slot<'a>], name: &str) -> Stack<'a> {
        let mut next: Stack<'a> = Vec::new();
        let nh = name_hash(name);
        for &(li, dino, dir) in stack {
            let Some((ino, n)) = self.child_in(li, dino, dir, name, nh) else {
                continue;
            };
            match &n.body {
                Body::Whiteout => break,
                Body::Dir { opaque, .. } => {
                    if next.is_empty() {
                        next.reserve_exact(stack.len());
                    }
                    next.push((li, ino, n));
                    if *opaque {
                        break;
                    }
                }
                _ => {
                    if next.is_empty() {
                        next.push((li, ino, n));
                    }
                    break;
                }
            }
        }
        next
    }

    /// The entry `name` (whose [`name_hash`] is `nh`) of directory `dir`, inode `dino` of
    /// layer `li`, whiteouts included: [`Tree::child_node`], through the layer's index.
    #[inline]
    fn child_in<'a>(
        &'a self,
        li: usize,
        dino: Ino,
        dir: &'a Inode,
        name: &str,
        nh: u64,
    ) -> Option<(Ino, &'a Inode)> {
        match self.lowers.get(li) {
            Some(l) => layer_child(l, dino, dir, name, nh).map(|(ino, n)| (ino, &**n)),
            None => self.upper.child_node(dir, name),
        }
    }

    /// The stat of a stack's top node, with a union-wide inode number.
    pub(crate) fn stat_of(&self, stack: &[Slot<'_>]) -> Option<Stat> {
        let &(li, ino, n) = stack.first()?;
        self.stat_top(li, ino, n, stack.len())
    }

    /// The stat of top node `n` (inode `ino` of layer `li`) of a stack of `len` nodes.
    fn stat_top(&self, li: usize, ino: Ino, n: &Inode, len: usize) -> Option<Stat> {
        let mut st = Tree::stat_node(ino, n)?;
        st.ino |= (li as u64) << 48;
        if st.is_dir() && len > 1 {
            st.nlink = 1;
        }
        Some(st)
    }

    /// The names in a directory stack, sorted, first hit wins: `None` for a name whited out.
    pub(crate) fn merge<'a>(&'a self, stack: &[Slot<'a>]) -> Vec<(&'a str, Option<FileType>)> {
        let mut names = Vec::new();
        self.merge_with(stack, |name, kind| names.push((name, kind)));
        names
    }

    /// Call `f` on each name of a directory stack in order, with the kind of its top-most entry
    /// (`None` for a whiteout): a k-way merge of the layers' sorted entries in which, on equal
    /// names, the top-most layer wins.
    fn merge_with<'a>(&'a self, stack: &[Slot<'a>], mut f: impl FnMut(&'a str, Option<FileType>)) {
        let mut iters = Vec::with_capacity(stack.len());
        let mut heap = BinaryHeap::with_capacity(stack.len());
        for &(li, _, dir) in stack {
            if let Some(e) = dir.entries() {
                let mut it = e.iter();
                if let Some((name, &ino)) = it.next() {
                    heap.push(Reverse((name.as_str(), iters.len(), ino)));
                }
                iters.push((self.tree_at(li), it));
            }
        }
        let mut last: Option<&str> = None;
        while let Some(Reverse((mut name, pos, mut ino))) = heap.pop() {
            let Some((t, it)) = iters.get_mut(pos) else {
                continue;
            };
            // Emit this layer's names while they come before every other layer's next one.
            loop {
                if last != Some(name) {
                    f(name, t.inode(ino).and_then(Inode::kind));
                    last = Some(name);
                }
                let Some((next, &next_ino)) = it.next() else {
                    break;
                };
                match heap.peek() {
                    Some(Reverse((top, top_pos, _))) if (*top, *top_pos) < (next.as_str(), pos) => {
                        heap.push(Reverse((next.as_str(), pos, next_ino)));
                        break;
                    }
                    _ => {
                        name = next;
                        ino = next_ino;
                    }
                }
            }
        }
    }

    fn top_inode(&self, path: &str) -> FsResult<(usize, &Inode)> {
        let c = self.cursor(path, true).ok_or(Errno::ENOENT)?;
        let ((li, _, n), _) = self.top_of(&c).ok_or(Errno::ENOENT)?;
        Ok((li, n))
    }

    /// Whether a lower entry would show at `path` if the upper layer had nothing there.
    fn lower_sees(&self, path: &str) -> bool {
        let Some((parent, name)) = path::split(path) else {
            return true;
        };
        let Some(stack) = self.stack(parent, true) else {
            return false;
        };
        let upper = self.upper_index();
        let nh = name_hash(name);
        for &(li, dino, dir) in stack.iter().filter(|&&(li, _, _)| li != upper) {
            if let Some((_, n)) = self.child_in(li, dino, dir, name, nh) {
                return !matches!(n.body, Body::Whiteout);
            }
        }
        false
    }

    // ---- copy-up ----

    fn writable(&self) -> FsResult<()> {
        if self.read_only {
            Err(Errno::EROFS)
        } else {
            Ok(())
        }
    }

    /// The upper inode of visible directory `path`, copying it and its ancestors up first
    /// (metadata only, not opaque) where the upper layer lacks them.
    fn copy_up_dir(&mut self, path: &str) -> FsResult<Ino> {
        let DirWalk {
            upper,
            plan,
            failed,
            ..
        } = self.walk_dir(path);
        self.copy_up_planned(upper, plan, failed)
    }

    /// Walk directory `path` in the union and in the upper layer at once, planning the
    /// copy-up of the directories the upper layer lacks. A directory copied up is empty and
    /// not opaque, so it changes nothing below it: the plan can be made before any copy.
    fn walk_dir<'p>(&self, path: &'p str) -> DirWalk<'_, 'p> {
        let mut upper = self.upper.root;
        let mut in_upper = true;
        let mut stack = self.root_cursor(true);
        let mut plan = Vec::new();
        let mut failed = None;
        for name in components(path) {
            // `path` is canonical: the directory walked so far is the prefix ending at `name`
            // (a slice, so a walk that copies nothing up allocates no path).
            let end = name.as_ptr() as usize - path.as_ptr() as usize + name.len();
            let prefix = path.get(..end).unwrap_or(path);
            stack = stack.map(|c| self.next(c, name)).filter(|c| !c.is_empty());
            if in_upper {
                match self.upper.child(upper, name) {
                    Some(c) if self.upper.inode(c).is_some_and(Inode::is_dir) => {
                        upper = c;
                        continue;
                    }
                    Some(_) => {
                        failed = Some(Errno::ENOTDIR);
                        break;
                    }
                    None => in_upper = false,
                }
            }
            match stack.as_ref().and_then(|c| self.top_of(c)) {
                None => failed = Some(Errno::ENOENT),
                Some(((_, _, n), _)) if !n.is_dir() => failed = Some(Errno::ENOTDIR),
                Some(((li, _, n), _)) => plan.push((name, prefix, li, n.meta)),
            }
            if failed.is_some() {
                break;
            }
        }
        if failed.is_some() {
            stack = None;
        }
        DirWalk {
            stack,
            upper,
            plan,
            failed,
        }
    }

    /// Make the copies [`Union::walk_dir`] planned below upper directory `upper`, then fail
    /// with its error if it had one; the upper inode of the directory walked.
    fn copy_up_planned<'p>(
        &mut self,
        mut upper: Ino,
        plan: impl IntoIterator<Item = (&'p str, &'p str, usize, Meta)>,
        failed: Option<Errno>,
    ) -> FsResult<Ino> {
        for (name, prefix, li, meta) in plan {
            let prefix = prefix.to_string();
            let inode = Inode::new(
                Body::Dir {
                    entries: OrdMap::new(),
                    opaque: false,
                },
                meta,
            );
            upper = self.upper.add(upper, name, inode)?;
            self.events.push(Event::CopyUp {
                path: prefix,
                from_layer: li,
            });
        }
        match failed {
            Some(e) => Err(e),
            None => Ok(upper),
        }
    }

    /// The upper inode of visible `path`, copying it up whole (data, owner, mode, mtime) from
    /// the lower layer that shows it if needed. The copy is a new inode: other names of a
    /// hard-linked lower file keep the lower one (index=off).
    fn copy_up(&mut self, path: &str) -> FsResult<Ino> {
        let (li, n) = self.top_inode(path)?;
        let (parent, name) = path::split(path).ok_or(Errno::EBUSY)?;
        if li == self.upper_index() {
            let dir = self.upper.lookup(parent).ok_or(Errno::ENOENT)?;
            return self.upper.child(dir, name).ok_or(Errno::ENOENT);
        }
        let body = match &n.body {
            Body::Dir { .. } => return self.copy_up_dir(path),
            Body::File(c) => Body::File(c.clone()),
            Body::Symlink(t) => Body::Symlink(t.clone()),
            Body::Whiteout => return Err(Errno::ENOENT),
        };
        let inode = Inode::new(body, n.meta);
        let dir = self.copy_up_dir(parent)?;
        let ino = self.upper.add(dir, name, inode)?;
        self.copied.insert(path.to_string(), li);
        self.events.push(Event::CopyUp {
            path: path.to_string(),
            from_layer: li,
        });
        Ok(ino)
    }

    /// Create `name` (at `path`) in upper directory `dir`, in place of a whiteout if one is
    /// there; the events of a creation.
    fn insert_in(
        &mut self,
        dir: Ino,
        path: &str,
        name: &str,
        node: NewNode,
        meta: Meta,
        now: u64,
    ) -> FsResult<()> {
        let whiteout = self
            .upper
            .child(dir, name)
            .and_then(|c| self.upper.inode(c))
            .map(|n| n.meta);
        let body = match node {
            NewNode::Dir => Body::Dir {
                entries: OrdMap::new(),
                opaque: whiteout.is_some(),
            },
            NewNode::File(c) => Body::File(c.into()),
            NewNode::Symlink(t) => Body::Symlink(t.into()),
        };
        let opaque = matches!(body, Body::Dir { opaque: true, .. });
        self.upper.detach(dir, name);
        if let Err(e) = self.upper.add(dir, name, Inode::new(body, meta)) {
            if let Some(m) = whiteout {
                // Put the whiteout back: the lower entry must stay hidden. One inode was just
                // freed, so this cannot hit the entry limit.
                let _ = self.upper.add(dir, name, Inode::new(Body::Whiteout, m));
            }
            return Err(e);
        }
        self.upper.set_mtime_of(dir, now);
        self.events.push(Event::Created {
            path: path.to_string(),
        });
        if opaque {
            self.events.push(Event::OpaqueDir {
                path: path.to_string(),
            });
        }
        Ok(())
    }

    fn forget_copied(&mut self, path: &str) {
        let keys: Vec<String> = self
            .copied
            .keys()
            .filter(|k| is_within(k, path))
            .cloned()
            .collect();
        for k in keys {
            self.copied.remove(&k);
        }
    }
}

/// [`Walk`] over a union: a node is its [`Cursor`].
struct UnionWalk<'a>(&'a Union);

impl<'a> Walk for UnionWalk<'a> {
    type Node = Cursor<'a>;

    fn root(&self) -> Option<(Cursor<'a>, Stat)> {
        let c = self.0.root_cursor(true)?;
        let st = self.0.stat_at(&c)?;
        Some((c, st))
    }

    fn child(&self, dir: &Cursor<'a>, name: &str) -> Option<(Cursor<'a>, Stat)> {
        let c = self.0.next(*dir, name);
        let st = self.0.stat_at(&c)?;
        Some((c, st))
    }

    fn target(&self, node: &Cursor<'a>) -> FsResult<String> {
        match self.0.top_of(node).map(|((_, _, n), _)| &n.body) {
            Some(Body::Symlink(t)) => Ok(t.to_string()),
            Some(_) => Err(Errno::EINVAL),
            None => Err(Errno::ENOENT),
        }
    }
}

impl Store for Union {
    fn resolve_fast<'p>(
        &self,
        cred: &Cred,
        path: &'p str,
        follow: bool,
    ) -> Option<FsResult<(Found<'p>, Option<Stat>)>> {
        Some(resolve_walk(&UnionWalk(self), cred, path, follow))
    }

    fn stat_fast(&self, cred: &Cred, path: &str, follow: bool) -> Option<FsResult<Option<Stat>>> {
        Some(stat_walk(&UnionWalk(self), cred, path, follow))
    }

    fn node(&self, path: &str) -> Option<Stat> {
        self.stat_at(&self.cursor(path, true)?)
    }

    /// overlayfs readdir: upper names first, then lower names not already seen; whiteouts and
    /// the names they hide omitted; returned sorted by name.
    fn entries(&self, path: &str) -> FsResult<Vec<DirEntry>> {
        let stack = self.stack(path, true).ok_or(Errno::ENOENT)?;
        if !self.stat_of(&stack).is_some_and(|s| s.is_dir()) {
            return Err(Errno::ENOTDIR);
        }
        let total = stack
            .iter()
            .filter_map(|s| s.2.entries())
            .map(|e| e.len())
            .sum();
        let mut out = Vec::with_capacity(total);
        self.merge_with(&stack, |name, kind| {
            if let Some(kind) = kind {
                out.push(DirEntry {
                    name: name.to_string(),
                    kind,
                });
            }
        });
        Ok(out)
    }

    fn content(&self, path: &str) -> FsResult<Content> {
        match &self.top_inode(path)?.1.body {
            Body::File(c) => Ok(c.content()),
            Body::Dir { .. } => Err(Errno::EISDIR),
            _ => Err(Errno::EINVAL),
        }
    }

    fn link_target(&self, path: &str) -> FsResult<String> {
        match &self.top_inode(path)?.1.body {
            Body::Symlink(t) => Ok(t.to_string()),
            _ => Err(Errno::EINVAL),
        }
    }

    fn read_only(&self, _path: &str) -> bool {
        self.read_only
    }

    /// Create in the upper layer (parents copied up). Replacing a whiteout with a directory
    /// makes it opaque, so the removed lower directory's entries stay hidden.
    fn insert(&mut self, path: &str, node: NewNode, meta: Meta, now: u64) -> FsResult<()> {
        self.writable()?;
        // `/` (which exists) has no parent.
        let (parent, name) = path::split(path).ok_or(Errno::EEXIST)?;
        let DirWalk {
            stack,
            upper,
            plan,
            failed,
        } = self.walk_dir(parent);
        if stack.is_some_and(|c| self.stat_at(&self.next(c, name)).is_some()) {
            return Err(Errno::EEXIST);
        }
        let dir = self.copy_up_planned(upper, plan, failed)?;
        self.insert_in(dir, path, name, node, meta, now)
    }

    /// [`Store::insert`] without looking for `path` again. The parent's stat says which layer
    /// shows it (its inode number's high bits): an upper directory takes the new entry
    /// straight away; a lower one whose own parent is in the upper layer is copied up from that
    /// layer's inode; anything else is walked as `insert` does.
    fn insert_resolved(
        &mut self,
        path: &str,
        parent: &Stat,
        node: NewNode,
        meta: Meta,
        now: u64,
    ) -> FsResult<()> {
        self.writable()?;
        let (parent_path, name) = path::split(path).ok_or(Errno::EEXIST)?;
        let ino = parent.ino & ((1 << 48) - 1);
        let top = usize::try_from(parent.ino >> 48).unwrap_or(usize::MAX);
        let lower_meta = self
            .lowers
            .get(top)
            .and_then(|l| l.tree.inode(ino))
            .filter(|n| n.is_dir())
            .map(|n| n.meta);
        let grandparent = path::split(parent_path).and_then(|(g, n)| {
            let dir = self.upper.lookup(g)?;
            self.upper.inode(dir)?.is_dir().then_some((dir, n))
        });
        let dir = if top == self.upper_index() && self.upper.inode(ino).is_some_and(Inode::is_dir) {
            ino
        } else if let (Some(dir_meta), Some((g, pname))) = (lower_meta, grandparent) {
            if self.upper.child(g, pname).is_some() {
                // The union would not show a lower parent here: `parent` is stale.
                return self.insert(path, node, meta, now);
            }
            // The parent is copied up empty, so the new entry can go in with it: one step.
            let body = match &node {
                NewNode::Dir => Body::Dir {
                    entries: OrdMap::new(),
                    opaque: false,
                },
                NewNode::File(c) => Body::File(c.clone().into()),
                NewNode::Symlink(t) => Body::Symlink(t.as_str().into()),
            };
            let child = Inode::new(body, meta);
            if self
                .upper
                .add_dir_with(g, pname, dir_meta, name, child, now)
                .is_some()
            {
                self.events.push(Event::CopyUp {
                    path: parent_path.to_string(),
                    from_layer: top,
                });
                self.events.push(Event::Created {
                    path: path.to_string(),
                });
                return Ok(());
            }
            self.copy_up_planned(g, [(pname, parent_path, top, dir_meta)], None)?
        } else {
            let DirWalk {
                upper,
                plan,
                failed,
                ..
            } = self.walk_dir(parent_path);
            self.copy_up_planned(upper, plan, failed)?
        };
        self.insert_in(dir, path, name, node, meta, now)
    }
    /// Remove the upper entry (with any whiteouts inside it) and, if a lower entry of that
    /// name would then show, leave a whiteout.
    fn delete(&mut self, path: &str, now: u64) -> FsResult<()> {
        self.writable()?;
        if self.node(path).is_none() {
            return Err(Errno::ENOENT);
        }
        let (parent, name) = path::split(path).ok_or(Errno::EBUSY)?;
        let whiteout = self.lower_sees(path);
        let dir = self.copy_up_dir(parent)?;
        let in_upper = self.upper.child(dir, name).is_some();
        if !in_upper
            && whiteout
            && self.upper.inode_count() as u64 >= self.upper.limits().max_entries
        {
            return Err(Errno::ENOSPC);
        }
        self.upper.detach(dir, name);
        self.forget_copied(path);
        self.events.push(Event::Removed {
            path: path.to_string(),
        });
        if whiteout {
            let meta = Meta::new(0, 0, 0, now);
            self.upper
                .add(dir, name, Inode::new(Body::Whiteout, meta))?;
            self.events.push(Event::Whiteout {
                path: path.to_string(),
            });
        }
        self.upper.set_mtime_of(dir, now);
        Ok(())
    }

    fn replace_content(&mut self, path: &str, content: Content, now: u64) -> FsResult<()> {
        self.writable()?;
        let ino = self.copy_up(path)?;
        self.upper.set_content(ino, content)?;
        self.upper.set_mtime_of(ino, now);
        self.events.push(Event::Modified {
            path: path.to_string(),
        });
        Ok(())
    }

    /// Copy up, then append to the upper copy: the copy shares the lower bytes (they never
    /// change) and the append keeps its bytes apart, so neither copies the whole file.
    fn append_content(&mut self, path: &str, data: &[u8], now: u64) -> FsResult<()> {
        self.writable()?;
        let ino = self.copy_up(path)?;
        self.upper.append_content_of(ino, data)?;
        self.upper.set_mtime_of(ino, now);
        self.events.push(Event::Modified {
            path: path.to_string(),
        });
        Ok(())
    }

    fn set_attr(&mut self, path: &str, attr: Attr) -> FsResult<()> {
        self.writable()?;
        let ino = self.copy_up(path)?;
        if let Some(n) = self.upper.inode_mut(ino) {
            attr.apply(&mut n.meta);
        }
        self.events.push(Event::Modified {
            path: path.to_string(),
        });
        Ok(())
    }

    /// Files move after a copy-up, leaving a whiteout where a lower entry would show;
    /// directories with a lower part are `EXDEV`; a directory landing where a lower entry of
    /// the new name exists becomes opaque.
    fn move_node(&mut self, from: &str, to: &str, now: u64) -> FsResult<()> {
        self.writable()?;
        let stack = self.stack(from, true).ok_or(Errno::ENOENT)?;
        let upper = self.upper_index();
        let is_dir = self.stat_of(&stack).is_some_and(|s| s.is_dir());
        if is_dir && stack.iter().any(|&(li, _, _)| li != upper) {
            return Err(Errno::EXDEV);
        }
        if from == to {
            return Ok(());
        }
        let (fparent, _) = path::split(from).ok_or(Errno::EBUSY)?;
        let (tparent, _) = path::split(to).ok_or(Errno::EBUSY)?;
        let whiteout = self.lower_sees(from);
        let to_lower = self.lower_sees(to);
        if whiteout && self.upper.inode_count() as u64 >= self.upper.limits().max_entries {
            return Err(Errno::ENOSPC);
        }
        let ino = self.copy_up(from)?;
        let fdir = self.copy_up_dir(fparent)?;
        self.copy_up_dir(tparent)?;
        self.upper.move_node(from, to, now)?;
        let copied: Vec<(String, usize)> = self
            .copied
            .iter()
            .filter(|(k, _)| is_within(k, from))
            // Slicing is safe: `is_within` made `from` a prefix of `k` (and `from` is not `/`).
            .map(|(k, &v)| (format!("{to}{}", &k[from.len()..]), v))
            .collect();
        self.forget_copied(from);
        self.forget_copied(to);
        self.copied.extend(copied);
        self.events.push(Event::Renamed {
            from: from.to_string(),
            to: to.to_string(),
        });
        if is_dir && to_lower {
            if let Some(Inode {
                body: Body::Dir { opaque, .. },
                ..
            }) = self.upper.inode_mut(ino)
            {
                *opaque = true;
            }
            self.events.push(Event::OpaqueDir {
                path: to.to_string(),
            });
        }
        if whiteout {
            let name = path::split(from).map(|(_, n)| n).unwrap_or_default();
            self.upper.add(
                fdir,
                name,
                Inode::new(Body::Whiteout, Meta::new(0, 0, 0, now)),
            )?;
            self.events.push(Event::Whiteout {
                path: from.to_string(),
            });
        }
        Ok(())
    }

    /// A hard link to a lower file copies it up first (and so breaks its lower links).
    fn add_link(&mut self, from: &str, to: &str, now: u64) -> FsResult<()> {
        self.writable()?;
        if self.node(to).is_some() {
            return Err(Errno::EEXIST);
        }
        self.copy_up(from)?;
        let (tparent, _) = path::split(to).ok_or(Errno::EEXIST)?;
        self.copy_up_dir(tparent)?;
        self.upper.add_link(from, to, now)?;
        self.events.push(Event::Created {
            path: to.to_string(),
        });
        Ok(())
    }
}
