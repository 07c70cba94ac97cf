//! Copy-up: a lower entry copied whole into the upper layer before it changes (a directory
//! with its metadata only, its missing ancestors first), and the record of where each copy
//! came from.

use imbl::OrdMap;

use crate::path::{self, components, is_within};
use crate::tree::{Body, Ino, Inode};
use crate::{Errno, FsResult, Meta};

use super::lookup::Cursor;
use super::{Event, Union};

/// What [`Union::walk_dir`] found: the union's cursor on the directory (`None` if it is not
/// visible), the deepest upper directory on its path, and the directories to copy up below it
/// (name, path, layer, metadata), then the error copying up would end with.
pub(super) struct DirWalk<'a, 'p> {
    pub(super) stack: Option<Cursor<'a>>,
    pub(super) upper: Ino,
    pub(super) plan: Vec<(&'p str, &'p str, usize, Meta)>,
    pub(super) failed: Option<Errno>,
}

impl Union {
    /// The upper inode of visible directory `path`, copying it and its ancestors up first
    /// (metadata only, not opaque) where the upper layer lacks them.
    pub(super) fn copy_up_dir(&mut self, path: &str) -> FsResult<Ino> {
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
    pub(super) fn walk_dir<'p>(&self, path: &'p str) -> DirWalk<'_, 'p> {
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
    pub(super) fn copy_up_planned<'p>(
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
            let parent = upper;
            upper = self.upper.add(upper, name, inode)?;
            self.impure.insert(parent, ());
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
    pub(super) fn copy_up(&mut self, path: &str) -> FsResult<Ino> {
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
            Body::Device(d) => Body::Device(*d),
            Body::Whiteout => return Err(Errno::ENOENT),
        };
        let inode = Inode::new(body, n.meta);
        let dir = self.copy_up_dir(parent)?;
        let ino = self.upper.add_copied_up(dir, name, inode)?;
        self.copied.insert(path.to_string(), li);
        self.impure.insert(dir, ());
        self.events.push(Event::CopyUp {
            path: path.to_string(),
            from_layer: li,
        });
        Ok(ino)
    }

    pub(super) fn forget_copied(&mut self, path: &str) {
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
