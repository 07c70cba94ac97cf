//! `Tree`: a persistent in-memory inode table with a root directory, and its `Store` impl.

use std::sync::Arc;

use imbl::OrdMap;

use crate::data::FileData;
use crate::path::{self, components};
use crate::resolve::{resolve_walk, stat_walk, Found, Walk};
use crate::store::{Attr, Content, DirEntry, NewNode, Store};
use crate::{Cred, Errno, FileType, FsResult, Meta, Stat};

/// An inode number.
pub type Ino = u64;

/// Size `stat` reports for a directory.
const DIR_SIZE: u64 = 4096;

/// Resource limits of one tree, checked on every write: going past one is `ENOSPC`, so a
/// runaway `dd` in the playground fails like a full disk instead of exhausting browser memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Limits {
    /// Largest regular file, in bytes.
    pub max_file_size: u64,
    /// Sum of all regular files' sizes (each inode counted once), in bytes.
    pub max_total_bytes: u64,
    /// Number of inodes, the root and whiteouts included.
    pub max_entries: u64,
}

impl Default for Limits {
    /// 32 MiB per file, 128 MiB in all, 200,000 inodes.
    fn default() -> Limits {
        Limits {
            max_file_size: 32 << 20,
            max_total_bytes: 128 << 20,
            max_entries: 200_000,
        }
    }
}

/// Room shared by several trees: the bytes they may still add together, whichever of them
/// grows (a session's storage limit, across its host, layers, volumes and tmpfs). Whoever
/// lends the trees for writing makes one from what is free and gives it to each
/// ([`Tree::set_pool`]); a write that would take more than is left fails with `ENOSPC`, as
/// on a full disk, and what a tree frees goes back to it. A clone shares the count.
#[derive(Debug, Clone)]
pub struct Pool(Arc<std::sync::atomic::AtomicU64>);

impl Pool {
    /// A pool with `free` bytes left.
    pub fn new(free: u64) -> Pool {
        Pool(Arc::new(std::sync::atomic::AtomicU64::new(free)))
    }

    /// The bytes left.
    pub fn free(&self) -> u64 {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Takes `bytes` if there are so many left (else takes nothing): whether it did.
    pub fn take(&self, bytes: u64) -> bool {
        let free = self.free();
        if bytes > free {
            return false;
        }
        self.0
            .store(free - bytes, std::sync::atomic::Ordering::Relaxed);
        true
    }

    /// Gives `bytes` back.
    pub fn give(&self, bytes: u64) {
        let free = self.free().saturating_add(bytes);
        self.0.store(free, std::sync::atomic::Ordering::Relaxed);
    }
}

/// The kind of filesystem a tree is, for what `stat` reports of its directories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FsKind {
    /// ext4 under overlayfs: 4096-byte directories.
    Disk,
    /// tmpfs: a directory is 40 bytes plus 20 per entry, newest entry read first.
    Memory,
    /// A pseudo filesystem (devpts): directories of size 0.
    Pseudo,
}

impl FsKind {
    /// What a file of `len` bytes takes of the filesystem's size: its bytes on a disk, whole
    /// pages in memory (a tmpfs's `size=` counts pages).
    pub(crate) fn charge(self, len: u64) -> u64 {
        match self {
            FsKind::Memory => len.div_ceil(4096).saturating_mul(4096),
            FsKind::Disk | FsKind::Pseudo => len,
        }
    }
}

/// What an inode holds.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    /// A directory: entries ordered by name. `opaque` is overlayfs's `trusted.overlay.opaque=y`
    /// (OCI `.wh..wh..opq`): in a layer, it hides every lower directory of the same path.
    Dir {
        entries: OrdMap<String, Ino>,
        opaque: bool,
    },
    File(FileData),
    Symlink(Arc<str>),
    /// A character device node.
    Device(crate::Device),
    /// An overlayfs whiteout (0/0 character device; OCI `.wh.NAME`): in a layer, it hides the
    /// same name in every lower layer. Never visible through any [`Store`] operation.
    Whiteout,
}

/// One inode: metadata, link count and body.
#[derive(Debug, Clone)]
pub(crate) struct Inode {
    pub meta: Meta,
    /// Names of a non-directory; `2 + subdirectories` for a directory.
    pub nlink: u32,
    pub body: Body,
}

impl Inode {
    pub(crate) fn new(body: Body, meta: Meta) -> Inode {
        let nlink = if matches!(body, Body::Dir { .. }) {
            2
        } else {
            0
        };
        Inode { meta, nlink, body }
    }

    pub(crate) fn kind(&self) -> Option<FileType> {
        match self.body {
            Body::Dir { .. } => Some(FileType::Dir),
            Body::File(_) => Some(FileType::File),
            Body::Symlink(_) => Some(FileType::Symlink),
            Body::Device(_) => Some(FileType::CharDev),
            Body::Whiteout => None,
        }
    }

    pub(crate) fn is_dir(&self) -> bool {
        matches!(self.body, Body::Dir { .. })
    }

    fn bytes(&self) -> u64 {
        match &self.body {
            Body::File(c) => c.len() as u64,
            _ => 0,
        }
    }

    pub(crate) fn entries(&self) -> Option<&OrdMap<String, Ino>> {
        match &self.body {
            Body::Dir { entries, .. } => Some(entries),
            _ => None,
        }
    }
}

/// A POSIX-like filesystem tree: an inode table plus a root directory. Several names may link
/// one inode (hard links; `nlink` counted). Directory entries are ordered by name.
///
/// Structural sharing: the inode table and every directory are persistent maps (`imbl`) of
/// `Arc`-shared inodes, and file content is `Arc<[u8]>`, so `clone()` is O(1) and a modified
/// clone costs O(log n) per changed inode. A snapshot (undo, a container's base) is a clone.
///
/// A `Tree` used as a union's upper layer or inside a [`Layer`](crate::Layer) may hold whiteouts
/// and opaque directories; its [`Store`] operations treat whiteouts as absent.
#[derive(Debug, Clone)]
pub struct Tree {
    pub(crate) inodes: OrdMap<Ino, Arc<Inode>>,
    pub(crate) root: Ino,
    pub(crate) next_ino: Ino,
    pub(crate) limits: Limits,
    /// Sum of regular file sizes, each inode once.
    pub(crate) bytes: u64,
    /// What kind of filesystem it is: directory sizes and blocks differ.
    pub(crate) fs: FsKind,
    /// The room it shares with other trees while they are lent for writing (see [`Pool`]).
    pub(crate) pool: Option<Pool>,
}

impl Default for Tree {
    fn default() -> Tree {
        Tree::new()
    }
}

impl Tree {
    /// An empty tree: a root directory `0755 root:root` at time 0, default [`Limits`].
    pub fn new() -> Tree {
        Tree::with_root(Meta::default(), Limits::default())
    }

    /// An empty tree whose root has `meta`, with `limits`.
    pub fn with_root(meta: Meta, limits: Limits) -> Tree {
        let root = 1;
        let mut inodes = OrdMap::new();
        inodes.insert(
            root,
            Arc::new(Inode::new(
                Body::Dir {
                    entries: OrdMap::new(),
                    opaque: false,
                },
                meta,
            )),
        );
        Tree {
            inodes,
            root,
            next_ino: 2,
            limits,
            bytes: 0,
            fs: FsKind::Disk,
            pool: None,
        }
    }

    /// An empty tmpfs whose root has `meta`, with `limits` (its `size=`): a tree whose stat
    /// shows memory's directory sizes and blocks.
    pub fn tmpfs(meta: Meta, limits: Limits) -> Tree {
        Tree {
            fs: FsKind::Memory,
            ..Tree::with_root(meta, limits)
        }
    }

    /// An empty pseudo filesystem (devpts) whose root has `meta`: its directories have size 0.
    pub fn pseudo(meta: Meta) -> Tree {
        Tree {
            fs: FsKind::Pseudo,
            ..Tree::with_root(meta, Limits::default())
        }
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
    }

    /// Shares `pool`'s room with the other trees given it (`None`: only its own limits).
    pub fn set_pool(&mut self, pool: Option<Pool>) {
        self.pool = pool;
    }

    /// Counts `new` bytes where there were `old` (charged sizes), in the tree and its pool.
    fn account(&mut self, old: u64, new: u64) {
        self.bytes = self.bytes - old.min(self.bytes) + new;
        if let Some(pool) = &self.pool {
            if new >= old {
                // Checked by `check_bytes` before the change: never more than is left.
                pool.take((new - old).min(pool.free()));
            } else {
                pool.give(old - new);
            }
        }
    }

    /// How many more bytes regular file `path` may grow by before a write is `ENOSPC`: what
    /// its last page has free plus what the limits leave (`None` if it is not a file).
    fn room_of(&self, path: &str) -> Option<u64> {
        let ino = self.visible(path).ok()?;
        let len = self.file_len(ino).ok()?;
        let free = self.limits.max_total_bytes.saturating_sub(self.bytes);
        let free = self.pool.as_ref().map_or(free, |p| free.min(p.free()));
        let slack = self.fs.charge(len) - len;
        let by_total = match self.fs {
            // Whole pages only: the free bytes round down to pages.
            FsKind::Memory => slack + free / 4096 * 4096,
            FsKind::Disk | FsKind::Pseudo => free,
        };
        Some(by_total.min(self.limits.max_file_size.saturating_sub(len)))
    }

    /// Sum of regular file sizes, hard links counted once (what the size limit counts; on a
    /// tmpfs, whole pages).
    pub fn total_bytes(&self) -> u64 {
        self.bytes
    }

    /// 512-byte blocks allocated over the whole tree, each inode once (what `df` counts as
    /// used on a tmpfs).
    pub fn blocks(&self) -> u64 {
        self.inodes
            .iter()
            .filter_map(|(&ino, n)| Tree::stat_node_on(self.fs, ino, n))
            .map(|st| st.blocks)
            .sum()
    }

    /// The tree's size as overlay2 measures a layer's diff directory (moby's
    /// `directory.Size`, behind `DiffSize`): the `lstat` size of every non-directory, each
    /// inode once, so hard links count once and a symlink counts its target's length;
    /// directories and whiteouts (0/0 devices) count nothing.
    pub fn diff_size(&self) -> u64 {
        let links: u64 = self
            .inodes
            .values()
            .map(|n| match &n.body {
                Body::Symlink(target) => target.len() as u64,
                _ => 0,
            })
            .sum();
        self.bytes + links
    }

    /// Number of inodes, the root included.
    pub fn inode_count(&self) -> usize {
        self.inodes.len()
    }

    // ---- raw inode-level access, whiteouts visible (crate-private) ----

    pub(crate) fn inode(&self, ino: Ino) -> Option<&Inode> {
        self.inodes.get(&ino).map(|a| &**a)
    }

    pub(crate) fn inode_mut(&mut self, ino: Ino) -> Option<&mut Inode> {
        self.inodes.get_mut(&ino).map(Arc::make_mut)
    }

    pub(crate) fn child(&self, dir: Ino, name: &str) -> Option<Ino> {
        self.inode(dir)?.entries()?.get(name).copied()
    }

    /// The inode at canonical `path`, whiteouts included.
    pub(crate) fn lookup(&self, path: &str) -> Option<Ino> {
        components(path).try_fold(self.root, |dir, name| self.child(dir, name))
    }

    pub(crate) fn stat_of(&self, ino: Ino) -> Option<Stat> {
        Tree::stat_node_on(self.fs, ino, self.inode(ino)?)
    }

    /// The root directory's inode.
    pub(crate) fn root_node(&self) -> Option<&Inode> {
        self.inode(self.root)
    }

    /// The entry `name` of directory inode `dir`, with its inode (whiteouts included).
    #[inline]
    pub(crate) fn child_node(&self, dir: &Inode, name: &str) -> Option<(Ino, &Inode)> {
        let ino = *dir.entries()?.get(name)?;
        Some((ino, self.inode(ino)?))
    }

    /// The stat of inode `n` numbered `ino`; `None` for a whiteout.
    pub(crate) fn stat_node(ino: Ino, n: &Inode) -> Option<Stat> {
        Tree::stat_node_on(FsKind::Disk, ino, n)
    }

    /// [`Tree::stat_node`] on a disk filesystem (ext4 under overlayfs) or, `in_memory`, on
    /// tmpfs: a tmpfs directory is 40 bytes plus 20 per entry (`BOGO_DIRENT_SIZE`) and takes
    /// no blocks; ext4 keeps a symlink under 60 bytes in its inode, tmpfs one under 128.
    pub(crate) fn stat_node_on(fs: FsKind, ino: Ino, n: &Inode) -> Option<Stat> {
        let pages = |bytes: u64| bytes.div_ceil(4096) * 8;
        let in_memory = fs != FsKind::Disk;
        let (kind, size, blocks) = match &n.body {
            Body::Dir { .. } if fs == FsKind::Pseudo => (FileType::Dir, 0, 0),
            Body::Dir { entries, .. } if in_memory => {
                (FileType::Dir, 40 + 20 * entries.len() as u64, 0)
            }
            Body::Dir { .. } => (FileType::Dir, DIR_SIZE, pages(DIR_SIZE)),
            Body::File(c) => (FileType::File, c.len() as u64, pages(c.len() as u64)),
            Body::Symlink(t) => {
                let inline = if in_memory { 128 } else { 60 };
                let len = t.len() as u64;
                (
                    FileType::Symlink,
                    len,
                    if len < inline { 0 } else { pages(len) },
                )
            }
            Body::Device(_) => (FileType::CharDev, 0, 0),
            Body::Whiteout => return None,
        };
        let m = n.meta;
        Some(Stat {
            ino,
            kind,
            mode: m.mode,
            uid: m.uid,
            gid: m.gid,
            size,
            blocks,
            mtime: m.mtime,
            nlink: n.nlink,
            rdev: match n.body {
                Body::Device(d) => Some(d),
                _ => None,
            },
        })
    }

    /// Allocate `inode` (checking limits) and link it as `name` in `dir`, replacing nothing:
    /// an existing entry of that name is `EEXIST`.
    pub(crate) fn add(&mut self, dir: Ino, name: &str, inode: Inode) -> FsResult<Ino> {
        self.add_limited(dir, name, inode, true)
    }

    /// [`Tree::add`] of a file copied up from a lower layer: its data is shared, not copied,
    /// and it was already as large in the layer below, so the largest-file limit (a runaway
    /// write's) does not apply; the total still does. A 120 MB library of a sample image can
    /// be `chmod`ed in a container, as overlayfs copies it up.
    pub(crate) fn add_copied_up(&mut self, dir: Ino, name: &str, inode: Inode) -> FsResult<Ino> {
        self.add_limited(dir, name, inode, false)
    }

    fn add_limited(
        &mut self,
        dir: Ino,
        name: &str,
        mut inode: Inode,
        file_limit: bool,
    ) -> FsResult<Ino> {
        path::check_name(name)?;
        let Some(entries) = self.inode(dir).and_then(Inode::entries) else {
            return Err(Errno::ENOTDIR);
        };
        if entries.contains_key(name) {
            return Err(Errno::EEXIST);
        }
        if self.inodes.len() as u64 >= self.limits.max_entries {
            return Err(Errno::ENOSPC);
        }
        let bytes = self.fs.charge(inode.bytes());
        if file_limit {
            self.check_bytes(0, bytes)?;
        } else if self.bytes.saturating_add(bytes) > self.limits.max_total_bytes {
            return Err(Errno::ENOSPC);
        }
        let ino = self.next_ino;
        self.next_ino += 1;
        self.account(0, bytes);
        // What `attach` does, without looking the new inode up again.
        let is_dir = inode.is_dir();
        if !is_dir {
            inode.nlink += 1;
        }
        self.inodes.insert(ino, Arc::new(inode));
        if let Some(d) = self.inode_mut(dir) {
            if let Body::Dir { entries, .. } = &mut d.body {
                entries.insert(name.to_string(), ino);
                if is_dir {
                    d.nlink += 1;
                }
            }
        }
        Ok(ino)
    }

    /// [`Tree::add`] of an empty directory `dname` (with `meta`) in `parent`, then `add` of
    /// `child` as `name` in that new directory and its mtime set to `now`, in one step: the
    /// new directory is built holding its entry. `None`, with nothing changed, when either
    /// `add` would fail (the caller then makes them one by one for their errors).
    pub(crate) fn add_dir_with(
        &mut self,
        parent: Ino,
        dname: &str,
        meta: Meta,
        name: &str,
        mut child: Inode,
        now: u64,
    ) -> Option<(Ino, Ino)> {
        if path::check_name(dname).is_err() || path::check_name(name).is_err() {
            return None;
        }
        if self.inode(parent)?.entries()?.contains_key(dname) {
            return None;
        }
        if self.inodes.len() as u64 + 1 >= self.limits.max_entries {
            return None;
        }
        let bytes = self.fs.charge(child.bytes());
        self.check_bytes(0, bytes).ok()?;
        let dino = self.next_ino;
        let ino = dino + 1;
        self.next_ino += 2;
        self.account(0, bytes);
        let child_is_dir = child.is_dir();
        if !child_is_dir {
            child.nlink += 1;
        }
        let mut dir = Inode::new(
            Body::Dir {
                entries: OrdMap::unit(name.to_string(), ino),
                opaque: false,
            },
            meta,
        );
        dir.meta.mtime = now;
        if child_is_dir {
            dir.nlink += 1;
        }
        self.inodes.insert(dino, Arc::new(dir));
        self.inodes.insert(ino, Arc::new(child));
        if let Some(d) = self.inode_mut(parent) {
            if let Body::Dir { entries, .. } = &mut d.body {
                entries.insert(dname.to_string(), dino);
                d.nlink += 1;
            }
        }
        Some((dino, ino))
    }

    fn check_bytes(&self, old: u64, new: u64) -> FsResult<()> {
        let pool_short = new > old
            && self
                .pool
                .as_ref()
                .is_some_and(|pool| new - old > pool.free());
        if new > self.limits.max_file_size
            || self.bytes - old.min(self.bytes) + new > self.limits.max_total_bytes
            || pool_short
        {
            Err(Errno::ENOSPC)
        } else {
            Ok(())
        }
    }

    /// Insert the entry `name -> ino` in `dir` and count the link.
    pub(crate) fn attach(&mut self, dir: Ino, name: &str, ino: Ino) {
        let is_dir = self.inode(ino).is_some_and(Inode::is_dir);
        if let Some(n) = self.inode_mut(ino) {
            if !is_dir {
                n.nlink += 1;
            }
        }
        if let Some(d) = self.inode_mut(dir) {
            if let Body::Dir { entries, .. } = &mut d.body {
                entries.insert(name.to_string(), ino);
                if is_dir {
                    d.nlink += 1;
                }
            }
        }
    }

    /// Remove the entry `name` from `dir` without releasing its inode; returns the inode.
    pub(crate) fn unlink_entry(&mut self, dir: Ino, name: &str) -> Option<Ino> {
        let ino = self.child(dir, name)?;
        let is_dir = self.inode(ino).is_some_and(Inode::is_dir);
        let d = self.inode_mut(dir)?;
        if let Body::Dir { entries, .. } = &mut d.body {
            entries.remove(name);
            if is_dir {
                d.nlink = d.nlink.saturating_sub(1);
            }
        }
        Some(ino)
    }

    /// Drop one link to `ino` (already unlinked from its directory) and free it when no name is
    /// left; a directory is freed with everything below it.
    pub(crate) fn release(&mut self, ino: Ino) {
        // Every entry below a freed directory held one link, so it is released the same way.
        let mut stack = vec![ino];
        while let Some(i) = stack.pop() {
            let Some(n) = self.inode_mut(i) else { continue };
            if !n.is_dir() {
                n.nlink = n.nlink.saturating_sub(1);
                if n.nlink > 0 {
                    continue;
                }
            }
            if let Some(n) = self.inodes.remove(&i) {
                let charged = self.fs.charge(n.bytes());
                self.account(charged, 0);
                if let Some(e) = n.entries() {
                    stack.extend(e.values().copied());
                }
            }
        }
    }

    /// Remove `name` from `dir` and release what it named (a directory with all below it).
    pub(crate) fn detach(&mut self, dir: Ino, name: &str) -> Option<Ino> {
        let ino = self.unlink_entry(dir, name)?;
        self.release(ino);
        Some(ino)
    }

    /// Replace a regular file's content, checking limits.
    pub(crate) fn set_content(&mut self, ino: Ino, content: Content) -> FsResult<()> {
        let old = self.file_len(ino)?;
        self.change_content(ino, old, content.len() as u64, |_| content.into())
    }

    /// Append `data` to a regular file's content, checking limits; the old bytes stay shared
    /// (see [`FileData`]).
    pub(crate) fn append_content_of(&mut self, ino: Ino, data: &[u8]) -> FsResult<()> {
        let old = self.file_len(ino)?;
        let new = old.saturating_add(data.len() as u64);
        self.change_content(ino, old, new, |c| c.append(data))
    }

    /// The size of regular file `ino`: `EISDIR` for a directory, `EINVAL` for anything else.
    fn file_len(&self, ino: Ino) -> FsResult<u64> {
        match self.inode(ino).map(|n| &n.body) {
            Some(Body::File(c)) => Ok(c.len() as u64),
            Some(Body::Dir { .. }) => Err(Errno::EISDIR),
            _ => Err(Errno::EINVAL),
        }
    }

    /// Set regular file `ino`'s data, `old` bytes long, to `f(old data)`, `new` bytes long,
    /// if the limits allow.
    fn change_content(
        &mut self,
        ino: Ino,
        old: u64,
        new: u64,
        f: impl FnOnce(&FileData) -> FileData,
    ) -> FsResult<()> {
        if new > self.limits.max_file_size {
            return Err(Errno::ENOSPC);
        }
        let (old, new) = (self.fs.charge(old), self.fs.charge(new));
        self.check_bytes(old, new)?;
        if let Some(n) = self.inode_mut(ino) {
            if let Body::File(c) = &n.body {
                n.body = Body::File(f(c));
                self.account(old, new);
            }
        }
        Ok(())
    }

    pub(crate) fn set_mtime_of(&mut self, ino: Ino, now: u64) {
        if let Some(n) = self.inode_mut(ino) {
            n.meta.mtime = now;
        }
    }

    /// The directory inode and name of canonical `path`'s last component.
    fn parent_of(&self, path: &str) -> FsResult<(Ino, String)> {
        let (parent, name) = path::split(path).ok_or(Errno::EBUSY)?;
        let dir = self.lookup(parent).ok_or(Errno::ENOENT)?;
        if !self.inode(dir).is_some_and(Inode::is_dir) {
            return Err(Errno::ENOTDIR);
        }
        Ok((dir, name.to_string()))
    }

    /// The visible (non-whiteout) inode at `path`.
    fn visible(&self, path: &str) -> FsResult<Ino> {
        let ino = self.lookup(path).ok_or(Errno::ENOENT)?;
        match self.inode(ino) {
            Some(n) if !matches!(n.body, Body::Whiteout) => Ok(ino),
            _ => Err(Errno::ENOENT),
        }
    }

    /// Whether directory `ino` has a visible entry.
    fn has_visible_entries(&self, ino: Ino) -> bool {
        self.inode(ino).and_then(Inode::entries).is_some_and(|e| {
            e.values().any(|&c| {
                self.inode(c)
                    .is_some_and(|n| !matches!(n.body, Body::Whiteout))
            })
        })
    }

    /// Walk every node below (and including) `ino` in pre-order, names sorted, calling
    /// `f(path, inode)`; `path` is `prefix` for `ino` itself.
    pub(crate) fn walk(&self, ino: Ino, prefix: &str, f: &mut dyn FnMut(&str, Ino, &Inode)) {
        let mut stack = vec![(prefix.to_string(), ino)];
        while let Some((p, i)) = stack.pop() {
            let Some(n) = self.inode(i) else { continue };
            f(&p, i, n);
            if let Some(e) = n.entries() {
                for (name, &c) in e.iter().rev() {
                    stack.push((path::join(&p, name), c));
                }
            }
        }
    }
}

/// [`Walk`] over a tree: a node is an inode, whiteouts are absent.
struct TreeWalk<'a>(&'a Tree);

impl<'a> Walk for TreeWalk<'a> {
    type Node = &'a Inode;

    fn root(&self) -> Option<(&'a Inode, Stat)> {
        let n = self.0.root_node()?;
        Some((n, Tree::stat_node_on(self.0.fs, self.0.root, n)?))
    }

    fn child(&self, dir: &&'a Inode, name: &str) -> Option<(&'a Inode, Stat)> {
        let (ino, n) = self.0.child_node(dir, name)?;
        Some((n, Tree::stat_node_on(self.0.fs, ino, n)?))
    }

    fn target(&self, node: &&'a Inode) -> FsResult<String> {
        match &node.body {
            Body::Symlink(t) => Ok(t.to_string()),
            _ => Err(Errno::EINVAL),
        }
    }
}

impl Store for Tree {
    fn resolve_fast<'p>(
        &self,
        cred: &Cred,
        path: &'p str,
        follow: bool,
    ) -> Option<FsResult<(Found<'p>, Option<Stat>)>> {
        Some(resolve_walk(&TreeWalk(self), cred, path, follow))
    }

    fn stat_fast(&self, cred: &Cred, path: &str, follow: bool) -> Option<FsResult<Option<Stat>>> {
        Some(stat_walk(&TreeWalk(self), cred, path, follow))
    }

    fn node(&self, path: &str) -> Option<Stat> {
        self.stat_of(self.lookup(path)?)
    }

    /// The handle of a node is its inode number.
    fn child_node(&self, dir: &str, at: Option<u64>, name: &str) -> Option<(Stat, Option<u64>)> {
        let dir = match at {
            Some(ino) => ino,
            None => self.lookup(dir)?,
        };
        let ino = self.child(dir, name)?;
        Some((self.stat_of(ino)?, Some(ino)))
    }

    fn entries(&self, path: &str) -> FsResult<Vec<DirEntry>> {
        let ino = self.visible(path)?;
        let e = self
            .inode(ino)
            .and_then(Inode::entries)
            .ok_or(Errno::ENOTDIR)?;
        let mut listed: Vec<(Ino, DirEntry)> = e
            .iter()
            .filter_map(|(name, &c)| {
                let entry = DirEntry {
                    name: name.clone(),
                    kind: self.inode(c)?.kind()?,
                };
                Some((c, entry))
            })
            .collect();
        if self.fs != FsKind::Disk {
            // tmpfs reads a directory newest entry first (the dentry list it walks);
            // emulation note: an inode's age stands for its name's.
            layerbox_order::sort_by_key(&mut listed, |(ino, _)| std::cmp::Reverse(*ino));
        }
        Ok(listed.into_iter().map(|(_, e)| e).collect())
    }

    fn content(&self, path: &str) -> FsResult<Content> {
        match self.inode(self.visible(path)?).map(|n| &n.body) {
            Some(Body::File(c)) => Ok(c.content()),
            Some(Body::Dir { .. }) => Err(Errno::EISDIR),
            _ => Err(Errno::EINVAL),
        }
    }

    fn link_target(&self, path: &str) -> FsResult<String> {
        match self.inode(self.visible(path)?).map(|n| &n.body) {
            Some(Body::Symlink(t)) => Ok(t.to_string()),
            _ => Err(Errno::EINVAL),
        }
    }

    fn insert(&mut self, path: &str, node: NewNode, meta: Meta, now: u64) -> FsResult<()> {
        let (dir, name) = self.parent_of(path)?;
        let whiteout = match self.child(dir, &name).and_then(|c| self.inode(c)) {
            Some(n) if matches!(n.body, Body::Whiteout) => true,
            Some(_) => return Err(Errno::EEXIST),
            None => false,
        };
        let body = match node {
            NewNode::Dir => Body::Dir {
                entries: OrdMap::new(),
                opaque: false,
            },
            NewNode::File(c) => Body::File(c.into()),
            NewNode::Sparse(len) => Body::File(FileData::zeros(len)),
            NewNode::Symlink(t) => Body::Symlink(t.into()),
            NewNode::Device(d) => Body::Device(d),
        };
        if whiteout {
            self.detach(dir, &name);
        }
        self.add(dir, &name, Inode::new(body, meta))?;
        self.set_mtime_of(dir, now);
        Ok(())
    }

    fn delete(&mut self, path: &str, now: u64) -> FsResult<()> {
        let (dir, name) = self.parent_of(path)?;
        let ino = self.visible(path)?;
        if self.has_visible_entries(ino) {
            return Err(Errno::ENOTEMPTY);
        }
        self.detach(dir, &name);
        self.set_mtime_of(dir, now);
        Ok(())
    }

    fn replace_content(&mut self, path: &str, content: Content, now: u64) -> FsResult<()> {
        let ino = self.visible(path)?;
        self.set_content(ino, content)?;
        self.set_mtime_of(ino, now);
        Ok(())
    }

    fn room(&self, path: &str) -> Option<u64> {
        self.room_of(path)
    }

    fn append_content(&mut self, path: &str, data: &[u8], now: u64) -> FsResult<()> {
        let ino = self.visible(path)?;
        self.append_content_of(ino, data)?;
        self.set_mtime_of(ino, now);
        Ok(())
    }

    fn set_attr(&mut self, path: &str, attr: Attr) -> FsResult<()> {
        let ino = self.visible(path)?;
        if let Some(n) = self.inode_mut(ino) {
            attr.apply(&mut n.meta);
        }
        Ok(())
    }

    fn move_node(&mut self, from: &str, to: &str, now: u64) -> FsResult<()> {
        if from == to {
            return Ok(());
        }
        if path::is_within(to, from) {
            return Err(Errno::EINVAL);
        }
        let (fdir, fname) = self.parent_of(from)?;
        let (tdir, tname) = self.parent_of(to)?;
        let src = self.visible(from)?;
        if let Some(dst) = self.child(tdir, &tname) {
            if dst == src {
                return Ok(());
            }
            if self.has_visible_entries(dst) {
                return Err(Errno::ENOTEMPTY);
            }
            self.detach(tdir, &tname);
        }
        self.unlink_entry(fdir, &fname);
        // attach() counts a new link for non-directories; a move keeps the count.
        self.attach(tdir, &tname, src);
        if let Some(n) = self.inode_mut(src) {
            if !n.is_dir() {
                n.nlink = n.nlink.saturating_sub(1);
            }
        }
        self.set_mtime_of(fdir, now);
        self.set_mtime_of(tdir, now);
        Ok(())
    }

    fn add_link(&mut self, from: &str, to: &str, now: u64) -> FsResult<()> {
        let src = self.visible(from)?;
        if self.inode(src).is_some_and(Inode::is_dir) {
            return Err(Errno::EPERM);
        }
        let (tdir, tname) = self.parent_of(to)?;
        path::check_name(&tname)?;
        match self.child(tdir, &tname).and_then(|c| self.inode(c)) {
            Some(n) if matches!(n.body, Body::Whiteout) => {
                self.detach(tdir, &tname);
            }
            Some(_) => return Err(Errno::EEXIST),
            None => {}
        }
        self.attach(tdir, &tname, src);
        self.set_mtime_of(tdir, now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::{Cred, FileSystem};

    /// Addresses of every inode a tree holds: shared inodes have the same address in clones.
    fn inode_addrs(t: &Tree) -> impl Iterator<Item = usize> + '_ {
        t.inodes.values().map(|a| Arc::as_ptr(a) as usize)
    }

    #[test]
    fn a_hundred_modified_clones_of_a_10000_file_tree_share_all_but_what_changed() {
        let root = Cred::root();
        let mut base = Tree::new();
        for d in 0..100 {
            base.mkdir(&root, &format!("/d{d}"), 0o755, 1).unwrap();
            for f in 0..100 {
                base.write_file(&root, &format!("/d{d}/f{f}"), b"content", 0o644, 1)
                    .unwrap();
            }
        }
        assert_eq!(base.inode_count(), 1 + 100 + 10_000);
        let clones: Vec<Tree> = (0..100)
            .map(|i| {
                let mut c = base.clone();
                c.write_file(&root, &format!("/d{i}/f{i}"), b"changed", 0o644, 2)
                    .unwrap();
                c
            })
            .collect();
        let mut inodes: HashSet<usize> = inode_addrs(&base).collect();
        let base_count = inodes.len();
        for c in &clones {
            inodes.extend(inode_addrs(c));
        }
        // Each clone owns exactly one new inode: the file it wrote.
        assert_eq!(inodes.len() - base_count, 100);
        let contents: HashSet<usize> = std::iter::once(&base)
            .chain(&clones)
            .flat_map(|t| t.inodes.values())
            .filter_map(|n| match &n.body {
                Body::File(c) => Some(c.content().as_ptr() as usize),
                _ => None,
            })
            .collect();
        assert_eq!(contents.len(), 10_000 + 100);
        assert_eq!(&*clones[7].read_file(&root, "/d7/f7").unwrap(), b"changed");
        assert_eq!(&*base.read_file(&root, "/d7/f7").unwrap(), b"content");
    }
}
