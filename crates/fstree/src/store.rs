//! The `Store` trait: primitive node operations on canonical paths, below permission checks and
//! symlink resolution. `Tree`, `Union` and a caller's mount namespace implement it.

use std::sync::Arc;

use crate::resolve::Found;
use crate::{Cred, FileType, FsResult, Meta, Stat};

/// File content: shared, immutable bytes. Cloning a file (copy-up, `cp` inside one tree, a
/// snapshot) shares the bytes instead of copying them.
pub type Content = Arc<[u8]>;

/// One name in a directory listing.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct DirEntry {
    pub name: String,
    pub kind: FileType,
}

/// The node a [`Store::insert`] makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewNode {
    Dir,
    File(Content),
    /// A regular file of this many zero bytes, none of them held (a sparse file: the sample
    /// images' sized placeholders for programs and libraries).
    Sparse(u64),
    Symlink(String),
    /// A character device node (`mknod c`).
    Device(crate::Device),
}

/// The metadata changes of one `chmod`, `chown` or `utimes`; `None` leaves a field alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Attr {
    pub mode: Option<u32>,
    pub uid: Option<u32>,
    pub gid: Option<u32>,
    pub mtime: Option<u64>,
}

impl Attr {
    /// Apply these changes to `meta`.
    pub fn apply(&self, meta: &mut Meta) {
        if let Some(m) = self.mode {
            meta.mode = m & crate::MODE_MASK;
        }
        if let Some(u) = self.uid {
            meta.uid = u;
        }
        if let Some(g) = self.gid {
            meta.gid = g;
        }
        if let Some(t) = self.mtime {
            meta.mtime = t;
        }
    }
}

/// Primitive operations on **canonical** absolute paths (see [`crate::path`]): no `.`/`..`, no
/// symlinks to follow, every parent already known to be a directory.
///
/// [`FileSystem`](crate::FileSystem) is implemented for every `Store`: it resolves paths (over
/// [`resolve`](crate::resolve)), checks permissions and POSIX preconditions (existence, types,
/// emptiness, sticky bits), then calls exactly one mutating primitive. A primitive may therefore
/// assume its preconditions, but must still answer an `Errno` instead of panicking or
/// corrupting itself when they do not hold.
///
/// Mount namespaces: because everything above this trait speaks canonical paths of one
/// namespace, a caller can implement `Store` for "a root filesystem plus filesystems mounted at
/// some paths" by sending each canonical path to the filesystem mounted at its longest
/// matching prefix (translating the prefix). Symlinks, `..` at a mount root and permission
/// checks then cross mounts the way Linux does, with no extra code; [`Store::device`] lets
/// `rename`/`link` answer `EXDEV` across mounts and [`Store::read_only`] gives `EROFS` per mount.
pub trait Store: AsDynStore {
    /// Metadata of the node at `path` without following it; `None` if absent.
    fn node(&self, path: &str) -> Option<Stat>;
    /// The names in directory `path`, without `.` and `..`: sorted by name, or newest first
    /// on a tmpfs, as its readdir gives them.
    fn entries(&self, path: &str) -> FsResult<Vec<DirEntry>>;
    /// The content of regular file `path`.
    fn content(&self, path: &str) -> FsResult<Content>;
    /// The target of symlink `path`.
    fn link_target(&self, path: &str) -> FsResult<String>;
    /// Whether writes at `path` fail with `EROFS` (a read-only mount or union).
    fn read_only(&self, _path: &str) -> bool {
        false
    }
    /// How many more bytes regular file `path` may grow by before a write is `ENOSPC`, when
    /// the store knows (a write that does not fit then writes that much, as a short
    /// `write(2)` does); `None` (the default) when it does not.
    fn room(&self, _path: &str) -> Option<u64> {
        None
    }
    /// Which device (mount) serves `path`; `rename` and `link` between devices are `EXDEV`.
    fn device(&self, _path: &str) -> u64 {
        0
    }
    /// Create `node` at absent `path` with `meta`; the parent's mtime becomes `now`.
    fn insert(&mut self, path: &str, node: NewNode, meta: Meta, now: u64) -> FsResult<()>;
    /// [`Store::insert`] of a `path` the caller has just resolved and found absent, `parent`
    /// being the stat this store gave its parent directory then, with no change since: a store
    /// may skip what that resolution established. The default is `insert`.
    #[doc(hidden)]
    fn insert_resolved(
        &mut self,
        path: &str,
        _parent: &Stat,
        node: NewNode,
        meta: Meta,
        now: u64,
    ) -> FsResult<()> {
        self.insert(path, node, meta, now)
    }
    /// Remove the non-directory or empty directory at `path`; the parent's mtime becomes `now`.
    fn delete(&mut self, path: &str, now: u64) -> FsResult<()>;
    /// Replace the content of regular file `path`; its mtime becomes `now`.
    fn replace_content(&mut self, path: &str, content: Content, now: u64) -> FsResult<()>;
    /// Append `data` to regular file `path`; its mtime becomes `now`. The default replaces the
    /// content with the old one plus `data`; a store may instead keep the old bytes shared.
    fn append_content(&mut self, path: &str, data: &[u8], now: u64) -> FsResult<()> {
        let old = self.content(path)?;
        self.replace_content(path, [&old[..], data].concat().into(), now)
    }
    /// Change metadata of `path`.
    fn set_attr(&mut self, path: &str, attr: Attr) -> FsResult<()>;
    /// Move `from` to `to`, replacing a compatible `to` (checked by the caller).
    fn move_node(&mut self, from: &str, to: &str, now: u64) -> FsResult<()>;
    /// Add the name `to` for the non-directory at `from`.
    fn add_link(&mut self, from: &str, to: &str, now: u64) -> FsResult<()>;

    /// A faster [`resolve`](crate::resolve) for this store, with exactly its results (and the
    /// stat of the parent directory when the walk ended in a name); `None` (the default) makes
    /// `resolve` ask [`Store::node`] about each canonical prefix.
    #[doc(hidden)]
    fn resolve_fast<'p>(
        &self,
        _cred: &Cred,
        _path: &'p str,
        _follow: bool,
    ) -> Option<FsResult<(Found<'p>, Option<Stat>)>> {
        None
    }

    /// [`Store::node`] of `name` in directory `dir`, for a path walk that goes down one
    /// directory at a time: `at` is the handle this store gave for `dir` (`None` when it gave
    /// none), and the answer carries the child's. A store whose nodes have handles steps from
    /// `dir` instead of walking from `/` again, so a walk costs its depth, not its square; the
    /// default asks [`Store::node`].
    #[doc(hidden)]
    fn child_node(&self, dir: &str, _at: Option<u64>, name: &str) -> Option<(Stat, Option<u64>)> {
        self.node(&crate::path::join(dir, name))
            .map(|st| (st, None))
    }

    /// `resolve(cred, path, follow)?.stat`, faster (no paths built); `None` (the default)
    /// makes callers resolve.
    #[doc(hidden)]
    fn stat_fast(
        &self,
        _cred: &Cred,
        _path: &str,
        _follow: bool,
    ) -> Option<FsResult<Option<Stat>>> {
        None
    }
}

/// Any [`Store`] as `&dyn Store`, so code that does not need the concrete type (the slow path
/// walk) is compiled once for the web bundle instead of once per store type. Implemented for
/// every `Store`; nothing else implements it.
#[doc(hidden)]
pub trait AsDynStore {
    /// `self`, as a trait object.
    fn as_dyn_store(&self) -> &dyn Store;
    /// `self`, as a mutable trait object.
    fn as_dyn_store_mut(&mut self) -> &mut dyn Store;
}

impl<S: Store> AsDynStore for S {
    fn as_dyn_store(&self) -> &dyn Store {
        self
    }
    fn as_dyn_store_mut(&mut self) -> &mut dyn Store {
        self
    }
}
