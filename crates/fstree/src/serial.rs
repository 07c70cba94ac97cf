//! The versioned JSON form of a `Tree` (and so of a `Layer`): serde impls and load-time checks.
//!
//! ```json
//! {"version":1,"root":1,"next_ino":4,"limits":{...},
//!  "inodes":[{"ino":1,"type":"dir","mode":493,"uid":0,"gid":0,"mtime":0,"entries":{"etc":2}},
//!            {"ino":2,"type":"file","mode":420,"uid":0,"gid":0,"mtime":5,"text":"hi\n"},
//!            {"ino":3,"type":"file","mode":420,"uid":0,"gid":0,"mtime":5,"base64":"AP8="}]}
//! ```
//! File content is stored as `text` when it is valid UTF-8, else as standard `base64`; a file
//! the tree holds as a length of zero bytes (a sparse file) as `"zeros":LEN`; while a
//! [`crate::SharedContents`] table is lent, a large file as `"shared":N` (`shared.rs`).
//! Directories may carry `"opaque":true`; whiteouts have `"type":"whiteout"`. Link counts and
//! sizes are not stored: they are recomputed on load, which also rejects dangling entries,
//! a directory with two parents, unreachable inodes or a non-directory root (so a loaded tree
//! has no cycles). Structural sharing between trees is not preserved across a round trip.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use base64::Engine as _;
use imbl::OrdMap;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::data::FileData;
use crate::tree::{Body, FsKind, Ino, Inode};
use crate::{Content, Limits, Meta, Tree};

/// The current JSON format version.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct TreeJson {
    version: u32,
    root: Ino,
    next_ino: Ino,
    limits: Limits,
    /// A tmpfs or pseudo filesystem; absent for a disk's (and in older saves).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fs: Option<FsKind>,
    inodes: Vec<InodeJson>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Dir,
    File,
    Symlink,
    Whiteout,
    Device,
}

#[derive(Serialize, Deserialize)]
struct InodeJson {
    ino: Ino,
    #[serde(rename = "type")]
    kind: Kind,
    mode: u32,
    uid: u32,
    gid: u32,
    mtime: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    entries: Option<BTreeMap<String, Ino>>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    opaque: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    base64: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    zeros: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    shared: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    target: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    device: Option<crate::Device>,
}

impl Serialize for Tree {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let inodes = self
            .inodes
            .iter()
            .map(|(&ino, n)| {
                let mut j = InodeJson {
                    ino,
                    kind: Kind::Whiteout,
                    mode: n.meta.mode,
                    uid: n.meta.uid,
                    gid: n.meta.gid,
                    mtime: n.meta.mtime,
                    entries: None,
                    opaque: false,
                    text: None,
                    base64: None,
                    zeros: None,
                    shared: None,
                    target: None,
                    device: None,
                };
                match &n.body {
                    Body::Dir { entries, opaque } => {
                        j.kind = Kind::Dir;
                        j.entries = Some(entries.iter().map(|(k, &v)| (k.clone(), v)).collect());
                        j.opaque = *opaque;
                    }
                    Body::File(FileData::Zeros(len)) => {
                        j.kind = Kind::File;
                        j.zeros = Some(*len as u64);
                    }
                    Body::File(c) => {
                        let c = c.content();
                        j.kind = Kind::File;
                        if let Some(n) = crate::shared::name_if_lent(&c) {
                            j.shared = Some(n);
                            return j;
                        }
                        match std::str::from_utf8(&c) {
                            Ok(t) => j.text = Some(t.to_string()),
                            Err(_) => {
                                j.base64 =
                                    Some(base64::engine::general_purpose::STANDARD.encode(&c))
                            }
                        }
                    }
                    Body::Symlink(t) => {
                        j.kind = Kind::Symlink;
                        j.target = Some(t.to_string());
                    }
                    Body::Device(d) => {
                        j.kind = Kind::Device;
                        j.device = Some(*d);
                    }
                    Body::Whiteout => {}
                }
                j
            })
            .collect();
        TreeJson {
            version: FORMAT_VERSION,
            root: self.root,
            next_ino: self.next_ino,
            limits: self.limits,
            fs: Some(self.fs).filter(|fs| *fs != FsKind::Disk),
            inodes,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Tree, D::Error> {
        let j = TreeJson::deserialize(d)?;
        if j.version != FORMAT_VERSION {
            return Err(D::Error::custom(format!(
                "unsupported tree format version {}",
                j.version
            )));
        }
        load(j).map_err(D::Error::custom)
    }
}

fn load(j: TreeJson) -> Result<Tree, String> {
    let mut inodes: HashMap<Ino, Inode> = HashMap::new();
    for n in j.inodes {
        let meta = Meta::new(n.mode, n.uid, n.gid, n.mtime);
        let body = match n.kind {
            Kind::Dir => Body::Dir {
                entries: n.entries.unwrap_or_default().into_iter().collect(),
                opaque: n.opaque,
            },
            Kind::File => Body::File(match (n.text, n.base64, n.zeros, n.shared) {
                (Some(t), None, None, None) => Content::from(t.into_bytes()).into(),
                (None, None, Some(len), None) => FileData::zeros(len),
                (None, None, None, Some(number)) => crate::shared::lookup(number)
                    .map_err(|e| format!("inode {}: {e}", n.ino))?
                    .into(),
                (None, Some(b), None, None) => Content::from(
                    base64::engine::general_purpose::STANDARD
                        .decode(b)
                        .map_err(|e| format!("inode {}: {e}", n.ino))?,
                )
                .into(),
                _ => {
                    return Err(format!(
                        "inode {}: a file needs exactly one of text, base64, zeros, shared",
                        n.ino
                    ))
                }
            }),
            Kind::Symlink => Body::Symlink(
                n.target
                    .ok_or(format!("inode {}: symlink without target", n.ino))?
                    .into(),
            ),
            Kind::Whiteout => Body::Whiteout,
            Kind::Device => Body::Device(
                n.device
                    .ok_or(format!("inode {}: device node without device", n.ino))?,
            ),
        };
        let nlink = if matches!(body, Body::Dir { .. }) {
            2
        } else {
            0
        };
        if inodes.insert(n.ino, Inode { meta, nlink, body }).is_some() {
            return Err(format!("inode {} listed twice", n.ino));
        }
    }
    if !inodes.get(&j.root).is_some_and(Inode::is_dir) {
        return Err("the root is not a directory".into());
    }
    // Walk from the root: count links, refuse a second parent for a directory.
    let mut seen_dirs = std::collections::HashSet::from([j.root]);
    let mut stack = vec![j.root];
    let mut links: HashMap<Ino, u32> = HashMap::new();
    let mut subdirs: HashMap<Ino, u32> = HashMap::new();
    while let Some(dir) = stack.pop() {
        let children: Vec<(String, Ino)> = inodes
            .get(&dir)
            .and_then(Inode::entries)
            .map(|e| e.iter().map(|(k, &v)| (k.clone(), v)).collect())
            .unwrap_or_default();
        for (name, c) in children {
            crate::path::check_name(&name).map_err(|e| format!("{name:?}: {e}"))?;
            if name.is_empty() || name == "." || name == ".." || name.contains('/') {
                return Err(format!("invalid entry name {name:?}"));
            }
            let child = inodes
                .get(&c)
                .ok_or(format!("entry {name:?} names missing inode {c}"))?;
            if child.is_dir() {
                if !seen_dirs.insert(c) {
                    return Err(format!("directory inode {c} has two parents"));
                }
                *subdirs.entry(dir).or_default() += 1;
                stack.push(c);
            } else {
                *links.entry(c).or_default() += 1;
            }
        }
    }
    let fs = j.fs.unwrap_or(FsKind::Disk);
    let mut table = OrdMap::new();
    let mut bytes = 0u64;
    let mut max_ino = 0;
    for (ino, mut n) in inodes {
        n.nlink = if n.is_dir() {
            if !seen_dirs.contains(&ino) {
                return Err(format!("directory inode {ino} is unreachable"));
            }
            2 + subdirs.get(&ino).copied().unwrap_or(0)
        } else {
            links
                .get(&ino)
                .copied()
                .ok_or(format!("inode {ino} is unreachable"))?
        };
        if let Body::File(c) = &n.body {
            bytes += fs.charge(c.len() as u64);
        }
        max_ino = max_ino.max(ino);
        table.insert(ino, Arc::new(n));
    }
    Ok(Tree {
        inodes: table,
        root: j.root,
        next_ino: j.next_ino.max(max_ino + 1),
        limits: j.limits,
        bytes,
        fs,
        pool: None,
    })
}
