//! Union lookup: a path's nodes in the upper and lower layers, top-down with the first hit
//! winning (whiteouts hide, non-directories and opaque directories stop the merge), its
//! union-wide stat, and the [`Walk`] that path resolution runs over a union.

use crate::index::name_hash;
use crate::merged::{layer_child, LowerChild, LowerDir, LowerSlot};
use crate::path::{self, components};
use crate::resolve::Walk;
use crate::tree::{Body, Ino, Inode};
use crate::{Errno, FsResult, Stat, Tree};

use super::{Slot, Stack, Union};

/// One union path during a lookup, without building its [`Stack`]: the upper layer's node
/// there (if the upper layer shows one) and what the lower layers show below it (nothing if
/// the upper node hides them).
#[derive(Clone, Copy)]
pub(crate) struct Cursor<'a> {
    pub(super) upper: Option<(Ino, &'a Inode)>,
    pub(super) lower: Lower<'a>,
}

/// The lower part of a [`Cursor`].
#[derive(Clone, Copy)]
pub(super) enum Lower<'a> {
    None,
    /// A directory merged from one or more lower layers.
    Dir(&'a LowerDir),
    /// The top-most lower non-directory.
    Node(&'a LowerSlot),
}

impl Cursor<'_> {
    /// Whether the union shows nothing here.
    pub(super) fn is_empty(&self) -> bool {
        self.upper.is_none() && matches!(self.lower, Lower::None)
    }
}

/// [`Walk`] over a union: a node is its [`Cursor`].
pub(super) struct UnionWalk<'a>(pub(super) &'a Union);

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

impl Union {
    /// The layers' nodes making up canonical `path`, top-most first (see [`Stack`]); the lower
    /// layers only unless `with_upper`. `None` if nothing is visible there.
    pub(crate) fn stack(&self, path: &str, with_upper: bool) -> Option<Stack<'_>> {
        let c = self.cursor(path, with_upper)?;
        Some(self.expand(c))
    }

    /// [`Union::stack`] as a [`Cursor`].
    pub(super) fn cursor(&self, path: &str, with_upper: bool) -> Option<Cursor<'_>> {
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
    pub(super) fn root_cursor(&self, with_upper: bool) -> Option<Cursor<'_>> {
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
    pub(super) fn expand<'a>(&'a self, c: Cursor<'a>) -> Stack<'a> {
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
    pub(super) fn top_of<'a>(&'a self, c: &Cursor<'a>) -> Option<(Slot<'a>, usize)> {
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
    pub(super) fn stat_at(&self, c: &Cursor<'_>) -> Option<Stat> {
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
            // A copied-up upper directory (origin) that is impure too: its xattrs' block.
            if li == self.upper_index() && ino != self.upper.root && self.impure.contains_key(&ino)
            {
                st.blocks += 8;
            }
        }
        Some(st)
    }

    pub(super) fn top_inode(&self, path: &str) -> FsResult<(usize, &Inode)> {
        let c = self.cursor(path, true).ok_or(Errno::ENOENT)?;
        let ((li, _, n), _) = self.top_of(&c).ok_or(Errno::ENOENT)?;
        Ok((li, n))
    }

    /// Whether a lower entry would show at `path` if the upper layer had nothing there.
    pub(super) fn lower_sees(&self, path: &str) -> bool {
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
}
