//! `Layer`: an immutable diff tree with whiteouts and opaque directories, its OCI tar-entry form
//! and its dive-like summary.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use imbl::OrdMap;

use crate::index::LayerIndex;
use crate::merged::MergedCell;
use crate::path::{self, join};
use crate::store::Store;
use crate::tree::{Body, Ino, Inode};
use crate::union::Union;
use crate::{Errno, FileType, FsResult, Limits, Meta, Tree};

/// OCI whiteout prefix: `.wh.NAME` in a layer deletes `NAME` from the layers below.
pub const WHITEOUT_PREFIX: &str = ".wh.";
/// OCI opaque whiteout: a `.wh..wh..opq` entry makes its directory opaque.
pub const OPAQUE_WHITEOUT: &str = ".wh..wh..opq";
/// Reserved meta prefix (`.wh..wh.plnk` and friends): such entries are not files.
pub const WHITEOUT_META_PREFIX: &str = ".wh..wh.";

/// One read-only image layer (overlayfs lower directory; OCI layer diff): a tree in which a
/// name may be a *whiteout* (hides that name in every layer below) and a directory may be
/// *opaque* (hides everything below it from lower layers). Immutable once built; share it as
/// `Arc<Layer>` between images and containers.
#[derive(Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Layer {
    pub(crate) tree: Tree,
    /// The name index of `tree`, built on first use (layers never change).
    #[serde(skip)]
    index: IndexCell,
    /// The root of the union over this layer and the layers below it (see
    /// [`shared_root`](crate::merged::shared_root)), made by the first such union.
    #[serde(skip)]
    pub(crate) merged: MergedCell,
    /// The layer's content digest, made by the first [`Layer::digest`] call.
    #[serde(skip)]
    digest: DigestCell,
}

/// A layer's digest, once made.
#[derive(Clone, Default)]
struct DigestCell(OnceLock<String>);

impl std::fmt::Debug for DigestCell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DigestCell")
    }
}

/// A layer's lazily built [`LayerIndex`] (`None` inside: too big to index).
#[derive(Clone, Default)]
struct IndexCell(OnceLock<Option<Arc<LayerIndex>>>);

impl std::fmt::Debug for Layer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Layer").field("tree", &self.tree).finish()
    }
}

impl std::fmt::Debug for IndexCell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IndexCell")
    }
}

/// What one OCI layer tar entry is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OciKind {
    Dir,
    File(crate::data::FileBytes),
    Symlink(String),
    /// A hard link to the regular file at this earlier path (tar's `LNKTYPE`).
    Link(String),
    /// `.wh.NAME`: the entry's path ends in the whiteout file name.
    Whiteout,
    /// `.wh..wh..opq`: the entry's parent directory is opaque.
    OpaqueWhiteout,
    /// A character device node (tar's `CHRTYPE`).
    CharDev(crate::Device),
}

/// One entry of an OCI layer tar, with its absolute path (`/etc/.wh.passwd`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OciEntry {
    pub path: String,
    pub kind: OciKind,
    pub meta: Meta,
}

/// What a layer adds, modifies and removes relative to the layers below it (dive's layer view).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LayerSummary {
    /// Entries (files, symlinks, directories) absent below.
    pub added: usize,
    /// Non-directories present below; directories present below whose mode or owner differ,
    /// or that are opaque.
    pub modified: usize,
    /// Whiteouts hiding something below.
    pub removed: usize,
    /// The layer's size as overlay2 stores it ([`Layer::size`]).
    pub size: u64,
}

impl Layer {
    /// A layer holding `tree` (its whiteouts and opaque directories included).
    pub fn from_tree(tree: Tree) -> Layer {
        Layer {
            tree,
            index: IndexCell::default(),
            merged: MergedCell::default(),
            digest: DigestCell::default(),
        }
    }

    /// The layer's content digest, made by `make` on the first call and kept: layers never
    /// change, and digesting one reads all of it (an `inspect` in a loop must not).
    pub fn digest(&self, make: impl FnOnce(&Layer) -> String) -> &str {
        self.digest.0.get_or_init(|| make(self))
    }

    /// The name index of this layer, built on the first call.
    pub(crate) fn index(&self) -> Option<&LayerIndex> {
        self.index
            .0
            .get_or_init(|| LayerIndex::new(&self.tree).map(Arc::new))
            .as_deref()
    }

    /// The layer's tree. Through [`Store`] its whiteouts are invisible; use [`Layer::to_oci`]
    /// to see them.
    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    /// The layer's size as overlay2 stores it (`docker history` SIZE, `docker system df`):
    /// see [`Tree::diff_size`].
    pub fn size(&self) -> u64 {
        self.tree.diff_size()
    }

    /// The layer as OCI tar entries, parents before children, names sorted: whiteouts as
    /// `.wh.NAME`, an opaque directory followed by its `.wh..wh..opq`, the second and later
    /// names of a hard-linked file as [`OciKind::Link`] to the first.
    pub fn to_oci(&self) -> Vec<OciEntry> {
        let t = &self.tree;
        let mut out = Vec::new();
        let mut first_name: HashMap<Ino, String> = HashMap::new();
        t.walk(t.root, "/", &mut |p, ino, n| {
            let meta = n.meta;
            match &n.body {
                Body::Dir { opaque, .. } => {
                    if ino != t.root {
                        out.push(OciEntry {
                            path: p.to_string(),
                            kind: OciKind::Dir,
                            meta,
                        });
                    }
                    if *opaque {
                        let kind = OciKind::OpaqueWhiteout;
                        out.push(OciEntry {
                            path: join(p, OPAQUE_WHITEOUT),
                            kind,
                            meta: Meta::default(),
                        });
                    }
                }
                Body::File(c) => {
                    let kind = match first_name.get(&ino) {
                        Some(first) => OciKind::Link(first.clone()),
                        None => {
                            first_name.insert(ino, p.to_string());
                            OciKind::File(crate::data::FileBytes(c.clone()))
                        }
                    };
                    out.push(OciEntry {
                        path: p.to_string(),
                        kind,
                        meta,
                    });
                }
                Body::Symlink(target) => {
                    out.push(OciEntry {
                        path: p.to_string(),
                        kind: OciKind::Symlink(target.to_string()),
                        meta,
                    });
                }
                Body::Device(d) => {
                    out.push(OciEntry {
                        path: p.to_string(),
                        kind: OciKind::CharDev(*d),
                        meta,
                    });
                }
                Body::Whiteout => {
                    if let Some((parent, name)) = path::split(p) {
                        let wh = join(parent, &format!("{WHITEOUT_PREFIX}{name}"));
                        out.push(OciEntry {
                            path: wh,
                            kind: OciKind::Whiteout,
                            meta,
                        });
                    }
                }
            }
        });
        out
    }

    /// Build a layer from OCI tar entries in any order of siblings: missing parent directories
    /// are created `0755 root:root`, a later entry replaces an earlier non-directory of the
    /// same path, a later directory entry updates an implicit one's metadata, `.wh..wh.*` meta
    /// entries other than the opaque marker are ignored. `EINVAL` for a relative path or a
    /// whiteout of `.`/`..`, `ENOENT` for a hard link to a missing file.
    pub fn from_oci(entries: &[OciEntry]) -> FsResult<Layer> {
        Layer::from_oci_with_limits(entries, Limits::default())
    }

    /// [`Layer::from_oci`] with explicit limits for the layer's tree.
    pub fn from_oci_with_limits(entries: &[OciEntry], limits: Limits) -> FsResult<Layer> {
        let mut t = Tree::with_root(Meta::default(), limits);
        for e in entries {
            let p = path::normalize(&e.path)?;
            let Some((parent, name)) = path::split(&p) else {
                // The root directory itself: only its metadata.
                let root = t.root;
                if let Some(n) = t.inode_mut(root) {
                    n.meta = e.meta;
                }
                continue;
            };
            let dir = ensure_dirs(&mut t, parent)?;
            if name == OPAQUE_WHITEOUT || matches!(e.kind, OciKind::OpaqueWhiteout) {
                if let Some(Inode {
                    body: Body::Dir { opaque, .. },
                    ..
                }) = t.inode_mut(dir)
                {
                    *opaque = true;
                }
                continue;
            }
            if name.starts_with(WHITEOUT_META_PREFIX) {
                continue;
            }
            if let Some(hidden) = name.strip_prefix(WHITEOUT_PREFIX) {
                if hidden.is_empty() || hidden == "." || hidden == ".." {
                    return Err(Errno::EINVAL);
                }
                t.detach(dir, hidden);
                t.add(dir, hidden, Inode::new(Body::Whiteout, e.meta))?;
                continue;
            }
            let existing = t.child(dir, name);
            let body = match &e.kind {
                OciKind::Dir => {
                    if let Some(n) = existing.and_then(|i| t.inode_mut(i)).filter(|n| n.is_dir()) {
                        n.meta = e.meta;
                        continue;
                    }
                    Body::Dir {
                        entries: OrdMap::new(),
                        opaque: false,
                    }
                }
                OciKind::File(c) => Body::File(c.0.clone()),
                OciKind::Symlink(target) => Body::Symlink(target.as_str().into()),
                OciKind::CharDev(d) => Body::Device(*d),
                OciKind::Link(target) => {
                    let src = t.lookup(&path::normalize(target)?).ok_or(Errno::ENOENT)?;
                    if !matches!(t.inode(src).map(|n| &n.body), Some(Body::File(_))) {
                        return Err(Errno::EPERM);
                    }
                    t.detach(dir, name);
                    t.attach(dir, name, src);
                    continue;
                }
                OciKind::Whiteout | OciKind::OpaqueWhiteout => return Err(Errno::EINVAL),
            };
            t.detach(dir, name);
            t.add(dir, name, Inode::new(body, e.meta))?;
        }
        Ok(Layer::from_tree(t))
    }

    /// Counts of what this layer adds, modifies and removes over `below` (bottom to top).
    pub fn summary(&self, below: &[Arc<Layer>]) -> LayerSummary {
        let base = Union::new(below.to_vec());
        let t = &self.tree;
        let mut s = LayerSummary {
            size: self.size(),
            ..LayerSummary::default()
        };
        t.walk(t.root, "/", &mut |p, ino, n| {
            if ino == t.root {
                return;
            }
            let under = base.node(p);
            match (&n.body, under) {
                (Body::Whiteout, Some(_)) => s.removed += 1,
                (Body::Whiteout, None) => {}
                (_, None) => s.added += 1,
                (Body::Dir { opaque, .. }, Some(u)) if u.kind == FileType::Dir => {
                    if *opaque
                        || u.mode != n.meta.mode
                        || u.uid != n.meta.uid
                        || u.gid != n.meta.gid
                    {
                        s.modified += 1;
                    }
                }
                (_, Some(_)) => s.modified += 1,
            }
        });
        s
    }
}

/// The inode of directory `path` in `t`, creating missing directories `0755 root:root`;
/// a non-directory (or whiteout) in the way is replaced, as a later tar entry would.
fn ensure_dirs(t: &mut Tree, path: &str) -> FsResult<Ino> {
    let mut cur = t.root;
    for name in path::components(path) {
        cur = match t.child(cur, name) {
            Some(c) if t.inode(c).is_some_and(Inode::is_dir) => c,
            _ => {
                t.detach(cur, name);
                let body = Body::Dir {
                    entries: OrdMap::new(),
                    opaque: false,
                };
                t.add(cur, name, Inode::new(body, Meta::default()))?
            }
        };
    }
    Ok(cur)
}
