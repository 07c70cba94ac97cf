//! Model-based test: random operation sequences on a `Union` (with commits stacking layers)
//! and on a flat reference map must give the same results, errors and listings.

use std::collections::BTreeMap;

use layerbox_fstree::{Errno, FileSystem, FileType, Store, Union};
use proptest::prelude::*;

use crate::fixture::root;

/// Where every symlink points: never created, so following one is always `ENOENT`.
const NOWHERE: &str = "/zz/x";

#[derive(Debug, Clone)]
enum Op {
    Mkdir(String),
    Write(String, u8),
    Unlink(String),
    Rmdir(String),
    Rename(String, String),
    Chmod(String, u32),
    Symlink(String),
    Commit,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    /// `lower`: the directory exists in a committed layer (renaming it is `EXDEV`).
    Dir {
        lower: bool,
        mode: u32,
    },
    File {
        data: Vec<u8>,
        mode: u32,
    },
    Symlink,
}

/// The flat reference: canonical path -> node, POSIX rules with root credentials.
#[derive(Default)]
struct Model(BTreeMap<String, Node>);

impl Model {
    fn parents_ok(&self, p: &str) -> Result<(), Errno> {
        let mut prefix = String::new();
        let parts: Vec<&str> = layerbox_fstree::path::components(p).collect();
        for c in &parts[..parts.len() - 1] {
            prefix = format!("{prefix}/{c}");
            match self.0.get(&prefix) {
                None | Some(Node::Symlink) => return Err(Errno::ENOENT),
                Some(Node::File { .. }) => return Err(Errno::ENOTDIR),
                Some(Node::Dir { .. }) => {}
            }
        }
        Ok(())
    }

    fn has_children(&self, p: &str) -> bool {
        let prefix = format!("{p}/");
        self.0
            .range(prefix.clone()..)
            .next()
            .is_some_and(|(k, _)| k.starts_with(&prefix))
    }

    fn apply(&mut self, op: &Op) -> Result<(), Errno> {
        match op {
            Op::Mkdir(p) => {
                self.parents_ok(p)?;
                if self.0.contains_key(p) {
                    return Err(Errno::EEXIST);
                }
                self.0.insert(
                    p.clone(),
                    Node::Dir {
                        lower: false,
                        mode: 0o755,
                    },
                );
            }
            Op::Write(p, b) => {
                self.parents_ok(p)?;
                let data = vec![*b; (*b % 4) as usize];
                match self.0.get_mut(p) {
                    Some(Node::Dir { .. }) => return Err(Errno::EISDIR),
                    Some(Node::Symlink) => return Err(Errno::ENOENT),
                    Some(Node::File { data: d, .. }) => *d = data,
                    None => {
                        self.0.insert(p.clone(), Node::File { data, mode: 0o644 });
                    }
                }
            }
            Op::Unlink(p) => {
                self.parents_ok(p)?;
                match self.0.get(p) {
                    None => return Err(Errno::ENOENT),
                    Some(Node::Dir { .. }) => return Err(Errno::EISDIR),
                    Some(_) => {
                        self.0.remove(p);
                    }
                }
            }
            Op::Rmdir(p) => {
                self.parents_ok(p)?;
                match self.0.get(p) {
                    None => return Err(Errno::ENOENT),
                    Some(Node::Dir { .. }) if self.has_children(p) => return Err(Errno::ENOTEMPTY),
                    Some(Node::Dir { .. }) => {
                        self.0.remove(p);
                    }
                    Some(_) => return Err(Errno::ENOTDIR),
                }
            }
            Op::Rename(a, b) => {
                self.parents_ok(a)?;
                self.parents_ok(b)?;
                let src = self.0.get(a).cloned().ok_or(Errno::ENOENT)?;
                if a == b {
                    return Ok(());
                }
                if b.starts_with(&format!("{a}/")) {
                    return Err(Errno::EINVAL);
                }
                let dst = self.0.get(b).cloned();
                if dst.is_some() && a.starts_with(&format!("{b}/")) {
                    return Err(Errno::ENOTEMPTY);
                }
                let src_dir = matches!(src, Node::Dir { .. });
                if let Some(d) = &dst {
                    let dst_dir = matches!(d, Node::Dir { .. });
                    if src_dir && !dst_dir {
                        return Err(Errno::ENOTDIR);
                    }
                    if !src_dir && dst_dir {
                        return Err(Errno::EISDIR);
                    }
                    if dst_dir && self.has_children(b) {
                        return Err(Errno::ENOTEMPTY);
                    }
                }
                if matches!(src, Node::Dir { lower: true, .. }) {
                    return Err(Errno::EXDEV);
                }
                self.0.remove(b);
                let prefix = format!("{a}/");
                let moved: Vec<(String, Node)> = self
                    .0
                    .iter()
                    .filter(|(k, _)| *k == a || k.starts_with(&prefix))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                for (k, v) in moved {
                    self.0.remove(&k);
                    self.0.insert(format!("{b}{}", &k[a.len()..]), v);
                }
            }
            Op::Chmod(p, m) => {
                self.parents_ok(p)?;
                match self.0.get_mut(p) {
                    None | Some(Node::Symlink) => return Err(Errno::ENOENT),
                    Some(Node::Dir { mode, .. }) | Some(Node::File { mode, .. }) => *mode = *m,
                }
            }
            Op::Symlink(p) => {
                self.parents_ok(p)?;
                if self.0.contains_key(p) {
                    return Err(Errno::EEXIST);
                }
                self.0.insert(p.clone(), Node::Symlink);
            }
            Op::Commit => {
                for n in self.0.values_mut() {
                    if let Node::Dir { lower, .. } = n {
                        *lower = true;
                    }
                }
            }
        }
        Ok(())
    }

    fn listing(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .0
            .iter()
            .map(|(p, n)| match n {
                Node::Dir { mode, .. } => format!("d {mode:o} {p}"),
                Node::File { data, mode } => format!("- {mode:o} {p} {data:?}"),
                Node::Symlink => format!("l {p} -> {NOWHERE}"),
            })
            .collect();
        out.sort();
        out
    }
}

fn apply_union(u: &mut Union, op: &Op) -> Result<(), Errno> {
    let r = root();
    match op {
        Op::Mkdir(p) => u.mkdir(&r, p, 0o755, 1),
        Op::Write(p, b) => u.write_file(&r, p, &vec![*b; (*b % 4) as usize], 0o644, 1),
        Op::Unlink(p) => u.unlink(&r, p, 1),
        Op::Rmdir(p) => u.rmdir(&r, p, 1),
        Op::Rename(a, b) => u.rename(&r, a, b, 1),
        Op::Chmod(p, m) => u.chmod(&r, p, *m),
        Op::Symlink(p) => u.symlink(&r, NOWHERE, p, 1),
        Op::Commit => {
            u.commit_and_restack();
            Ok(())
        }
    }
}

fn union_listing(u: &Union) -> Vec<String> {
    let r = root();
    let mut out = Vec::new();
    let mut stack = vec!["/".to_string()];
    while let Some(dir) = stack.pop() {
        for e in u.read_dir(&r, &dir).unwrap() {
            assert!(
                !e.name.starts_with(".wh."),
                "whiteout {} listed in {dir}",
                e.name
            );
            let p = layerbox_fstree::path::join(&dir, &e.name);
            let st = u.lstat(&r, &p).unwrap();
            out.push(match e.kind {
                FileType::Dir => {
                    stack.push(p.clone());
                    format!("d {:o} {p}", st.mode)
                }
                FileType::File => format!(
                    "- {:o} {p} {:?}",
                    st.mode,
                    u.read_file(&r, &p).unwrap().to_vec()
                ),
                FileType::Symlink => format!("l {p} -> {}", u.readlink(&r, &p).unwrap()),
                FileType::CharDev => format!("c {p} {:?}", st.rdev),
            });
        }
    }
    out.sort();
    out
}

fn path() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(vec!["a", "b", "c"]), 1..=3)
        .prop_map(|v| format!("/{}", v.join("/")))
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => path().prop_map(Op::Mkdir),
        3 => (path(), any::<u8>()).prop_map(|(p, b)| Op::Write(p, b)),
        2 => path().prop_map(Op::Unlink),
        2 => path().prop_map(Op::Rmdir),
        2 => (path(), path()).prop_map(|(a, b)| Op::Rename(a, b)),
        1 => (path(), prop::sample::select(vec![0o700, 0o755, 0o640])).prop_map(|(p, m)| Op::Chmod(p, m)),
        1 => path().prop_map(Op::Symlink),
        1 => Just(Op::Commit),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn union_behaves_like_a_flat_filesystem(ops in prop::collection::vec(op(), 1..40)) {
        let mut u = Union::new(Vec::new());
        let mut m = Model::default();
        for (i, op) in ops.iter().enumerate() {
            let got = apply_union(&mut u, op);
            let want = m.apply(op);
            prop_assert_eq!(got, want, "op #{} {:?}", i, op);
            prop_assert_eq!(union_listing(&u), m.listing(), "after op #{} {:?}", i, op);
            for c in u.changes(&[]) {
                prop_assert!(!c.path.contains(".wh."), "{}", c);
            }
        }
        // The union's own diff, replayed as a commit, must give the same tree again.
        let before = union_listing(&u);
        u.commit_and_restack();
        prop_assert_eq!(union_listing(&u), before);
        prop_assert!(u.changes(&[]).is_empty());
    }
}

#[test]
fn whiteouts_hide_across_stacked_commits() {
    let mut u = Union::new(Vec::new());
    let mut m = Model::default();
    let ops = [
        Op::Mkdir("/a".into()),
        Op::Write("/a/b".into(), 5),
        Op::Commit,
        Op::Unlink("/a/b".into()),
        Op::Commit,
        Op::Rmdir("/a".into()),
        Op::Mkdir("/a".into()),
        Op::Commit,
        Op::Rename("/a".into(), "/c".into()),
    ];
    for op in &ops {
        assert_eq!(apply_union(&mut u, op), m.apply(op), "{op:?}");
        assert_eq!(union_listing(&u), m.listing());
    }
    assert_eq!(u.lowers().len(), 3);
    assert!(Store::node(&u, "/a/b").is_none());
}
