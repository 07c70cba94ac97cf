//! [`Store`] for [`Union`]: reads answered through lookup and merged readdir; writes (create,
//! delete, rename, link, content, attributes) made in the upper layer after copy-up, leaving
//! whiteouts and opaque directories where lower entries must stay hidden.

use imbl::OrdMap;

use crate::data::FileData;
use crate::path::{self, is_within};
use crate::resolve::{resolve_walk, stat_walk, Found};
use crate::store::{Attr, Content, DirEntry, NewNode, Store};
use crate::tree::{Body, Ino, Inode};
use crate::{Cred, Errno, FsResult, Meta, Stat};

use super::copy_up::DirWalk;
use super::lookup::{Cursor, Lower, UnionWalk};
use super::{Event, Union};

impl Union {
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
            NewNode::Sparse(len) => Body::File(FileData::zeros(len)),
            NewNode::Symlink(t) => Body::Symlink(t.into()),
            NewNode::Device(d) => Body::Device(d),
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

    /// A handle is the upper inode of a directory that only the upper layer shows (a new one,
    /// or an opaque one): its children are the upper layer's alone, one step away. Elsewhere
    /// the lookup starts from `/`.
    fn child_node(&self, dir: &str, at: Option<u64>, name: &str) -> Option<(Stat, Option<u64>)> {
        let c = match at {
            Some(ino) => {
                let upper_only = Cursor {
                    upper: Some((ino, self.upper.inode(ino)?)),
                    lower: Lower::None,
                };
                self.next(upper_only, name)
            }
            None => self.cursor(&path::join(dir, name), true)?,
        };
        let st = self.stat_at(&c)?;
        let at = match (c.upper, c.lower) {
            (Some((ino, _)), Lower::None) => Some(ino),
            _ => None,
        };
        Some((st, at))
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

    fn room(&self, path: &str) -> Option<u64> {
        // A file that is written to has been copied up.
        self.upper().room(path)
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
                NewNode::Sparse(len) => Body::File(FileData::zeros(*len)),
                NewNode::Symlink(t) => Body::Symlink(t.as_str().into()),
                NewNode::Device(d) => Body::Device(*d),
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
        let tdir = self.copy_up_dir(tparent)?;
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
        if copied.iter().any(|(k, _)| k == to) {
            // A copied-up entry moved in makes the directory impure (the one it left already
            // is, from the copy-up).
            self.impure.insert(tdir, ());
        }
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
