//! What backs a union path and what it hides: the layer showing it, the layer it was copied up
//! from, the layers a directory merges, and the lower entries a whiteout, an opaque directory
//! or a higher entry keeps out of view.

use crate::path;
use crate::tree::{Body, Inode};
use crate::FileType;

use super::lookup::{Cursor, Lower};
use super::{Slot, Union};

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

impl Union {
    pub(crate) fn backing(&self, li: usize) -> Backing {
        if li == self.upper_index() {
            Backing::Upper
        } else {
            Backing::Layer(li)
        }
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
                    match self.hider_above(&stack, li, name, kind == FileType::Dir) {
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

    /// What hides the entry `name` of stack layer `li`: the top-most entry of that name above
    /// it (the one the union shows), unless the entry is a directory and every entry of that
    /// name above it is a directory that is not opaque: then they merge (overlayfs's merged
    /// directory) and nothing hides it. `None` if nothing hides it.
    fn hider_above(
        &self,
        stack: &[Slot<'_>],
        li: usize,
        name: &str,
        is_dir: bool,
    ) -> Option<(usize, &Body)> {
        let mut above = stack
            .iter()
            .take_while(|&&(l, _, _)| l > li)
            .filter_map(|&(l, _, dir)| Some((l, &self.tree_at(l).child_node(dir, name)?.1.body)));
        let top = above.next()?;
        let merges = |body: &Body| is_dir && matches!(body, Body::Dir { opaque: false, .. });
        if merges(top.1) && above.all(|(_, body)| merges(body)) {
            return None;
        }
        Some(top)
    }
}
