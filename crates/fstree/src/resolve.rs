//! Path resolution (`namei`): from any absolute path to a canonical path, over a [`Store`].

use std::borrow::Cow;

use crate::path::{check_name, components, from_components, join, PATH_MAX};
use crate::{Cred, Errno, FileType, FsResult, Stat, Store, MAY_EXEC};

/// Most symlinks followed while resolving one path (Linux `MAXSYMLINKS`); one more is `ELOOP`.
pub const MAX_SYMLINKS: usize = 40;

/// What the last component of a resolved path was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Last {
    /// A name: the node may be created, removed or renamed.
    Name(String),
    /// The path was `/` (or a symlink to it).
    Root,
    /// The path ended in `.`.
    Dot,
    /// The path ended in `..`.
    DotDot,
}

/// The outcome of [`resolve`]: where a path leads, whether or not something is there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// Canonical path of the directory holding the last component.
    pub parent: String,
    /// Canonical path the whole path names (symlink-free; the last component is a symlink
    /// only when resolution was asked not to follow it).
    pub path: String,
    pub last: Last,
    /// The node at `path`, `None` if nothing is there (its parent exists and is a directory).
    pub stat: Option<Stat>,
    /// The path ended in `/`: the node must be a directory (a final symlink is followed).
    pub trailing_slash: bool,
}

impl Resolved {
    /// The last name, if the path ended in one.
    pub fn name(&self) -> Option<&str> {
        match &self.last {
            Last::Name(n) => Some(n),
            _ => None,
        }
    }
}

/// A [`Resolved`] whose paths and last name borrow from the path resolved when that path was
/// already canonical (no `.`, `..`, `//`, trailing `/` or symlink on the way), as most paths
/// are: resolving them builds no string.
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found<'p> {
    pub(crate) parent: Cow<'p, str>,
    pub(crate) path: Cow<'p, str>,
    /// The last name, when the path ended in one; `last` says what else it ended in.
    pub(crate) name: Option<Cow<'p, str>>,
    pub(crate) last: Last,
    pub(crate) stat: Option<Stat>,
    pub(crate) trailing_slash: bool,
}

impl Found<'_> {
    pub(crate) fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    pub(crate) fn into_resolved(self) -> Resolved {
        Resolved {
            parent: self.parent.into_owned(),
            path: self.path.into_owned(),
            last: match self.name {
                Some(n) => Last::Name(n.into_owned()),
                None => self.last,
            },
            stat: self.stat,
            trailing_slash: self.trailing_slash,
        }
    }
}

/// Whether `path` is canonical (see [`crate::path`]): what resolving it finds is named by
/// `path` itself unless a symlink is met.
fn is_canonical(path: &str) -> bool {
    match path.as_bytes().split_first() {
        Some((b'/', [])) => true,
        Some((b'/', rest)) => rest
            .split(|&c| c == b'/')
            .all(|c| !c.is_empty() && c != b"." && c != b".."),
        _ => false,
    }
}

/// Resolve absolute `path` for `cred` over `store`, as Linux's path walk does:
/// repeated `/` and `.` are skipped, `..` goes to the parent (and stays at `/`), symlinks in
/// intermediate components are always followed and the last one only if `follow` (or the path
/// ends in `/`); relative symlink targets resolve from the symlink's directory, absolute ones
/// from `/`. Errors: `EINVAL` for a relative path, `ENOENT` for a missing intermediate
/// directory or an empty path, `ENOTDIR` when one is not a directory, `EACCES` without search
/// (`x`) permission on a directory walked, `ELOOP` after [`MAX_SYMLINKS`] symlinks,
/// `ENAMETOOLONG` for a component over 255 bytes or a path of [`PATH_MAX`] bytes or more.
///
/// A missing last component is not an error: `stat` is `None` and `parent`/`last` say where it
/// would be created. `store` only ever sees canonical paths, so a store that dispatches
/// canonical paths to mounted filesystems makes resolution cross mount points (see [`Store`]).
pub fn resolve<S: Store + ?Sized>(
    store: &S,
    cred: &Cred,
    path: &str,
    follow: bool,
) -> FsResult<Resolved> {
    resolve_with_parent(store, cred, path, follow).map(|(r, _)| r.into_resolved())
}

/// [`resolve`], and the stat of `parent` when the walk had it at hand (so a caller need not
/// ask the store again).
pub(crate) fn resolve_with_parent<'p, S: Store + ?Sized>(
    store: &S,
    cred: &Cred,
    path: &'p str,
    follow: bool,
) -> FsResult<(Found<'p>, Option<Stat>)> {
    if path.len() >= PATH_MAX {
        return Err(Errno::ENAMETOOLONG);
    }
    if let Some(r) = store.resolve_fast(cred, path, follow) {
        return r;
    }
    resolve_by_paths(store.as_dyn_store(), cred, path, follow)
}

/// The walk by canonical paths, one copy for every store type.
fn resolve_by_paths<'p>(
    store: &dyn Store,
    cred: &Cred,
    path: &'p str,
    follow: bool,
) -> FsResult<(Found<'p>, Option<Stat>)> {
    resolve_walk(&ByPaths(store), cred, path, follow)
}

/// Any [`Store`] walked by canonical paths, each node's handle being its path and what the
/// store's [`Store::child_node`] gave for it: the walk for stores without a faster one (a
/// caller's mount namespace).
struct ByPaths<'a, S: ?Sized>(&'a S);

impl<S: Store + ?Sized> Walk for ByPaths<'_, S> {
    type Node = (String, Option<u64>);
    fn root(&self) -> Option<(Self::Node, Stat)> {
        self.0.node("/").map(|st| (("/".to_string(), None), st))
    }
    fn child(&self, dir: &Self::Node, name: &str) -> Option<(Self::Node, Stat)> {
        let (st, at) = self.0.child_node(&dir.0, dir.1, name)?;
        Some(((join(&dir.0, name), at), st))
    }
    fn target(&self, node: &Self::Node) -> FsResult<String> {
        self.0.link_target(&node.0)
    }
}

/// A store that can walk from a directory to a child without going back to `/`: what
/// [`resolve_walk`] needs. A `Node` is the store's handle on one visible node.
pub(crate) trait Walk {
    type Node;
    /// The root directory and its stat.
    fn root(&self) -> Option<(Self::Node, Stat)>;
    /// The visible entry `name` of directory `dir`, and its stat.
    fn child(&self, dir: &Self::Node, name: &str) -> Option<(Self::Node, Stat)>;
    /// The target of symlink `node`.
    fn target(&self, node: &Self::Node) -> FsResult<String>;
}

/// The directories walked below `/` (name, handle, stat), the deepest kept apart: a walk
/// through one directory allocates nothing.
struct Walked<T> {
    above: Vec<T>,
    deepest: Option<T>,
}

impl<T> Walked<T> {
    fn last(&self) -> Option<&T> {
        self.deepest.as_ref()
    }

    fn pop(&mut self) {
        self.deepest = self.above.pop();
    }

    fn clear(&mut self) {
        self.above.clear();
        self.deepest = None;
    }

    fn push(&mut self, t: T) {
        if let Some(up) = self.deepest.replace(t) {
            self.above.push(up);
        }
    }

    fn is_empty(&self) -> bool {
        self.deepest.is_none()
    }

    fn iter(&self) -> impl Iterator<Item = &T> {
        self.above.iter().chain(self.deepest.as_ref())
    }
}

/// The canonical path of the directories walked.
fn path_of<N>(cur: &Walked<(Cow<'_, str>, N, Stat)>) -> String {
    from_components(cur.iter().map(|(c, _, _)| &**c))
}

/// [`resolve`] over a [`Walk`], keeping each directory's handle as it goes.
pub(crate) fn resolve_walk<'p, W: Walk>(
    w: &W,
    cred: &Cred,
    path: &'p str,
    follow: bool,
) -> FsResult<(Found<'p>, Option<Stat>)> {
    walk::<W, true>(w, cred, path, follow)
}

/// The stat [`resolve_walk`] would find (`None`: nothing there), without building paths.
pub(crate) fn stat_walk<W: Walk>(
    w: &W,
    cred: &Cred,
    path: &str,
    follow: bool,
) -> FsResult<Option<Stat>> {
    walk::<W, false>(w, cred, path, follow).map(|(r, _)| r.stat)
}

/// [`resolve_walk`]; without `PATHS`, the `Found` has empty paths and names.
fn walk<'p, W: Walk, const PATHS: bool>(
    w: &W,
    cred: &Cred,
    path: &'p str,
    follow: bool,
) -> FsResult<(Found<'p>, Option<Stat>)> {
    let path_of = |cur: &Walked<(Cow<'_, str>, W::Node, Stat)>| -> Cow<'p, str> {
        if PATHS {
            Cow::Owned(path_of(cur))
        } else {
            Cow::Borrowed("")
        }
    };
    // While no symlink has been followed in a canonical `path`, the directories walked are its
    // leading components: the paths found are `path` and its parent, borrowed.
    let mut plain = PATHS && is_canonical(path);
    let found_name = |parent: Cow<'p, str>, c: Cow<'p, str>, plain: bool, stat: Option<Stat>| {
        let (parent, path) = match crate::path::split(path) {
            Some((p, _)) if plain => (Cow::Borrowed(p), Cow::Borrowed(path)),
            _ if PATHS => {
                let full = join(&parent, &c);
                (parent, Cow::Owned(full))
            }
            _ => (parent, Cow::Borrowed("")),
        };
        Found {
            parent,
            path,
            name: Some(if PATHS { c } else { Cow::Borrowed("") }),
            last: Last::Root,
            stat,
            trailing_slash: false,
        }
    };
    if path.is_empty() {
        return Err(Errno::ENOENT);
    }
    if !path.starts_with('/') {
        return Err(Errno::EINVAL);
    }
    let trailing_slash = path.ends_with('/') && components(path).next().is_some();
    let follow = follow || trailing_slash;
    // Components still to walk: those of symlink targets met on the way, as a stack (the next
    // one is last), walked before the rest of `path`.
    let mut rest = components(path).peekable();
    let mut pending: Vec<Cow<'_, str>> = Vec::new();
    let root = w.root();
    // The directories walked below `/`: name, handle, stat.
    let mut cur: Walked<(Cow<'_, str>, W::Node, Stat)> = Walked {
        above: Vec::new(),
        deepest: None,
    };
    let mut hops = 0;
    let mut last = Last::Root;
    while let Some(c) = pending.pop().or_else(|| rest.next().map(Cow::Borrowed)) {
        check_name(&c)?;
        let (dir, dst) = match cur.last() {
            Some((_, n, st)) => (n, st),
            None => match &root {
                Some((n, st)) => (n, st),
                None => return Err(Errno::ENOENT),
            },
        };
        if !dst.is_dir() {
            return Err(Errno::ENOTDIR);
        }
        if !cred.may(dst, MAY_EXEC) {
            return Err(Errno::EACCES);
        }
        match &*c {
            "." => {
                last = Last::Dot;
                continue;
            }
            ".." => {
                cur.pop();
                last = Last::DotDot;
                continue;
            }
            _ => {}
        }
        let is_last = pending.is_empty() && rest.peek().is_none();
        match w.child(dir, &c) {
            None if is_last => {
                let parent = if plain {
                    Cow::Borrowed("")
                } else {
                    path_of(&cur)
                };
                let r = Found {
                    trailing_slash,
                    ..found_name(parent, c, plain, None)
                };
                return Ok((r, Some(*dst)));
            }
            None => return Err(Errno::ENOENT),
            Some((node, st)) if st.kind == FileType::Symlink && (!is_last || follow) => {
                hops += 1;
                if hops > MAX_SYMLINKS {
                    return Err(Errno::ELOOP);
                }
                let target = w.target(&node)?;
                if target.is_empty() {
                    return Err(Errno::ENOENT);
                }
                plain = false;
                if target.starts_with('/') {
                    cur.clear();
                }
                pending.extend(components(&target).rev().map(|s| Cow::Owned(s.to_string())));
                last = Last::Root;
            }
            Some((_, st)) if is_last => {
                if trailing_slash && !st.is_dir() {
                    return Err(Errno::ENOTDIR);
                }
                let parent = if plain {
                    Cow::Borrowed("")
                } else {
                    path_of(&cur)
                };
                let r = Found {
                    trailing_slash,
                    ..found_name(parent, c, plain, Some(st))
                };
                return Ok((r, Some(*dst)));
            }
            Some((node, st)) => cur.push((c, node, st)),
        }
    }
    // The path ended at a directory reached by `/`, `.`, `..` or a symlink to one of those.
    let path = path_of(&cur);
    let stat = match cur.last() {
        Some((_, _, st)) => *st,
        None => root.map(|(_, st)| st).ok_or(Errno::ENOENT)?,
    };
    if last == Last::Root && !cur.is_empty() {
        // A symlink target ending in a name resolved fully, e.g. `-> /a/b`: keep it a name.
        last = cur
            .last()
            .map_or(Last::Root, |(n, _, _)| Last::Name(n.to_string()));
    }
    cur.pop();
    let parent = path_of(&cur);
    let (name, last) = match last {
        Last::Name(n) => (Some(Cow::Owned(n)), Last::Root),
        other => (None, other),
    };
    let r = Found {
        parent,
        path,
        name,
        last,
        stat: Some(stat),
        trailing_slash,
    };
    Ok((r, None))
}
