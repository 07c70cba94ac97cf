//! `Union::changes`: the container's changes against its lower layers, in `docker diff` form.

use std::collections::BTreeSet;
use std::fmt;

use crate::path::{is_within, join};
use crate::tree::{Body, Ino};
use crate::union::{Stack, Union};
use crate::{FileType, Stat};

/// `docker diff`'s change type (`archive.ChangeType`): the letter it prints.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum ChangeKind {
    /// `C`: present in both, type, mode or owner differ (or, for a non-directory, size or
    /// mtime); or a directory with changes below it.
    Modify,
    /// `A`: absent from the lower layers.
    Add,
    /// `D`: present in the lower layers, gone from the union.
    Delete,
}

impl ChangeKind {
    /// The letter `docker diff` prints: `C`, `A` or `D`.
    pub fn letter(self) -> char {
        match self {
            ChangeKind::Modify => 'C',
            ChangeKind::Add => 'A',
            ChangeKind::Delete => 'D',
        }
    }
}

/// One line of `docker diff` (`archive.Change`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Change {
    pub kind: ChangeKind,
    pub path: String,
}

impl fmt::Display for Change {
    /// `docker diff`'s line: `C /etc`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind.letter(), self.path)
    }
}

impl Union {
    /// The union's changes against its lower layers alone, as `docker diff` lists them:
    /// added paths as `A` (every descendant of an added directory too), deleted ones as `D`
    /// (only the top-most), changed ones as `C` (directories only for type/mode/owner, never
    /// for mtime alone), and every directory other than `/` with a change below it that is not
    /// itself `A` or `C` as `C`, before its descendants. Order: lexical within a directory,
    /// deletions after the surviving children. Paths in `exclude` (mount points) and anything
    /// below them are left out. Only the upper layer is walked: cost follows the changes, not
    /// the image size.
    pub fn changes(&self, exclude: &[&str]) -> Vec<Change> {
        let mut out = Vec::new();
        let lower = self.stack("/", false);
        let opaque = self.upper_opaque(self.upper_root());
        self.diff_dir("/", self.upper_root(), lower, opaque, exclude, &mut out);
        out
    }

    fn upper_root(&self) -> Ino {
        self.tree_at(self.upper_index()).root
    }

    fn upper_opaque(&self, ino: Ino) -> bool {
        let t = self.tree_at(self.upper_index());
        matches!(
            t.inode(ino).map(|n| &n.body),
            Some(Body::Dir { opaque: true, .. })
        )
    }

    fn diff_dir(
        &self,
        path: &str,
        dir: Ino,
        lower: Option<Stack<'_>>,
        opaque: bool,
        exclude: &[&str],
        out: &mut Vec<Change>,
    ) {
        let upper = self.tree_at(self.upper_index());
        let excluded = |p: &str| exclude.iter().any(|e| is_within(p, e));
        let Some(entries) = upper.inode(dir).and_then(|n| n.entries()) else {
            return;
        };
        let mut deleted: BTreeSet<String> = BTreeSet::new();
        for (name, &ino) in entries {
            let p = join(path, name);
            if excluded(&p) {
                continue;
            }
            let Some(n) = upper.inode(ino) else { continue };
            let below = lower
                .as_ref()
                .map(|s| self.step(s, name))
                .filter(|s| !s.is_empty());
            let was = below.as_ref().and_then(|s| self.stat_of(s));
            let now = upper.stat_of(ino);
            match (&n.body, was, now) {
                (Body::Whiteout, Some(_), _) => {
                    deleted.insert(p);
                }
                (Body::Whiteout, None, _) | (_, _, None) => {}
                (Body::Dir { opaque, .. }, Some(w), Some(s)) if w.is_dir() => {
                    let mut sub = Vec::new();
                    self.diff_dir(&p, ino, below, *opaque, exclude, &mut sub);
                    if owner_or_mode_differ(&w, &s) || !sub.is_empty() {
                        out.push(Change {
                            kind: ChangeKind::Modify,
                            path: p,
                        });
                        out.append(&mut sub);
                    }
                }
                (Body::Dir { .. }, was, Some(_)) => {
                    let kind = if was.is_some() {
                        ChangeKind::Modify
                    } else {
                        ChangeKind::Add
                    };
                    out.push(Change {
                        kind,
                        path: p.clone(),
                    });
                    self.all_added(&p, ino, &excluded, out);
                }
                (_, None, Some(_)) => out.push(Change {
                    kind: ChangeKind::Add,
                    path: p,
                }),
                (_, Some(w), Some(s)) => {
                    if w.kind != s.kind
                        || owner_or_mode_differ(&w, &s)
                        || w.size != s.size
                        || w.mtime != s.mtime
                    {
                        out.push(Change {
                            kind: ChangeKind::Modify,
                            path: p,
                        });
                    }
                }
            }
        }
        if opaque {
            // An opaque directory hides every lower name it does not itself hold.
            if let Some(stack) = &lower {
                for (name, kind) in self.merge(stack) {
                    let p = join(path, name);
                    if kind.is_some() && !entries.contains_key(name) && !excluded(&p) {
                        deleted.insert(p);
                    }
                }
            }
        }
        out.extend(deleted.into_iter().map(|path| Change {
            kind: ChangeKind::Delete,
            path,
        }));
    }

    /// `A` for every entry below upper directory `dir` (pre-order, names sorted).
    fn all_added(
        &self,
        path: &str,
        dir: Ino,
        excluded: &dyn Fn(&str) -> bool,
        out: &mut Vec<Change>,
    ) {
        let upper = self.tree_at(self.upper_index());
        upper.walk(dir, path, &mut |p, ino, n| {
            if ino != dir && !matches!(n.body, Body::Whiteout) && !excluded(p) {
                out.push(Change {
                    kind: ChangeKind::Add,
                    path: p.to_string(),
                });
            }
        });
    }
}

fn owner_or_mode_differ(a: &Stat, b: &Stat) -> bool {
    a.mode != b.mode
        || a.uid != b.uid
        || a.gid != b.gid
        || (a.kind == FileType::Dir) != (b.kind == FileType::Dir)
}
