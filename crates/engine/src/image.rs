//! Images: stacks of read-only layers shared by every image and container built on them, with a
//! config and a history row per instruction; and the sample images built from their definitions.

use std::collections::BTreeMap;
use std::sync::Arc;

use layerbox_fstree::{Content, Layer, Meta, NewNode, Store, Tree};
use layerbox_images::{EntryKind, FileContent, ImageDef};
use serde::{Deserialize, Serialize};

use crate::clock::IdGenerator;
use crate::error::EngineError;

pub use layerbox_images::ImageConfig;

/// One row of `docker history`: the instruction, and whether it made a filesystem layer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub created: u64,
    pub created_by: String,
    pub empty_layer: bool,
    pub comment: String,
}

/// The container whose writable layer made an image, as `image inspect` shows it
/// (`Container`, `ContainerConfig`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Committed {
    /// A build step's container (the `Running in …` of `docker build`), whose command was the
    /// step's.
    BuildStep { container: String },
    /// `docker commit`: the container, its config at the time and the `--author`.
    Commit {
        container: String,
        config: Box<crate::container::ContainerConfig>,
        author: String,
    },
}

/// An image: read-only layers bottom to top (shared, never copied), its config and history.
#[derive(Clone, Debug)]
pub struct Image {
    /// 64 hex (Docker shows `sha256:` before it in inspect).
    pub id: String,
    pub repo_tags: Vec<String>,
    /// The image this one was committed or built from, for `docker history`.
    pub parent: Option<String>,
    pub layers: Vec<Arc<Layer>>,
    pub history: Vec<HistoryEntry>,
    pub config: ImageConfig,
    pub created: u64,
    /// When a tag was last put on it here (`Metadata.LastTagTime`); `None` if never.
    pub last_tag_time: Option<u64>,
    /// The container committed to make it, if it was made here.
    pub committed: Option<Committed>,
}

impl Image {
    /// Bytes of all layers (`docker images` SIZE).
    pub fn size(&self) -> u64 {
        self.layers.iter().map(|l| layer_size(l)).sum()
    }

    /// For each filesystem layer (bottom to top), the history row that made it.
    pub fn layer_history(&self) -> Vec<&HistoryEntry> {
        self.history.iter().filter(|h| !h.empty_layer).collect()
    }

    /// For each filesystem layer (bottom to top), the instruction that made it (`CREATED BY`).
    pub fn layer_instructions(&self) -> Vec<String> {
        self.layer_history()
            .into_iter()
            .map(|h| h.created_by.clone())
            .collect()
    }
}

/// A layer's size as overlay2's `DiffSize` counts it (see `Tree::diff_size`).
pub fn layer_size(layer: &Layer) -> u64 {
    layer.size()
}

/// Every image of the daemon, and which `name:tag` points at which.
#[derive(Clone, Debug, Default)]
pub struct ImageStore {
    /// Shared by every copy of the world (each step of the page's timeline holds one) until
    /// one of them changes an image: a step that leaves the images alone copies none of them.
    pub images: Arc<BTreeMap<String, Image>>,
}

/// `name` → `name:latest`; a reference with a tag or digest is kept.
pub fn normalize_reference(reference: &str) -> String {
    let last = reference.rsplit('/').next().unwrap_or(reference);
    if last.contains(':') || reference.contains('@') {
        reference.to_string()
    } else {
        format!("{reference}:latest")
    }
}

impl ImageStore {
    /// Finds an image by `name[:tag]`, full id, `sha256:` id or unique id prefix.
    pub fn find(&self, reference: &str) -> Option<&Image> {
        let tagged = normalize_reference(reference);
        if let Some(img) = self.images.values().find(|i| i.repo_tags.contains(&tagged)) {
            return Some(img);
        }
        let id = reference.strip_prefix("sha256:").unwrap_or(reference);
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let mut matches = self.images.values().filter(|i| i.id.starts_with(id));
        match (matches.next(), matches.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        }
    }

    /// The images to change: this world's own copy of them, made now if other copies share
    /// them.
    pub fn images_mut(&mut self) -> &mut BTreeMap<String, Image> {
        Arc::make_mut(&mut self.images)
    }

    /// Adds an image, moving any of its tags away from older images.
    pub fn add(&mut self, image: Image) {
        let images = self.images_mut();
        for other in images.values_mut() {
            other.repo_tags.retain(|t| !image.repo_tags.contains(t));
        }
        images.insert(image.id.clone(), image);
    }

    /// The sample images, built from their definitions, as `docker load` leaves them: no
    /// parent image (`docker history` shows `<missing>` below the top row), never tagged here
    /// (`LastTagTime` unset), made when their definitions say. Images built `FROM` another share
    /// its layers (the same `Arc`s).
    pub fn with_samples(now: u64) -> Result<ImageStore, EngineError> {
        let defs =
            layerbox_images::sample_images().map_err(|e| EngineError::system(e.to_string()))?;
        let mut store = ImageStore::default();
        let mut by_name: BTreeMap<String, Vec<Arc<Layer>>> = BTreeMap::new();
        for def in &defs {
            let mut layers = match &def.from {
                Some(from) => by_name.get(from).cloned().ok_or_else(|| {
                    EngineError::system(format!(
                        "sample image {} is built on unknown {from}",
                        def.name
                    ))
                })?,
                None => Vec::new(),
            };
            for layer in def.own_layers().iter().filter(|l| !l.empty_layer) {
                let built = build_layer(&layer.entries, &layers, layer.created.min(now))?;
                layers.push(Arc::new(built));
            }
            let history = def
                .layers
                .iter()
                .map(|l| HistoryEntry {
                    created: l.created,
                    created_by: l.created_by.clone(),
                    empty_layer: l.empty_layer,
                    comment: l.comment.clone(),
                })
                .collect();
            let id = IdGenerator::digest_of(format!("{def:?}").as_bytes());
            by_name.insert(def.name.clone(), layers.clone());
            store.add(Image {
                id,
                repo_tags: vec![def.reference()],
                parent: None,
                layers,
                history,
                config: def.config.clone(),
                created: def.created,
                last_tag_time: None,
                committed: None,
            });
        }
        Ok(store)
    }

    /// The sample definitions by reference (for `docker pull`).
    pub fn sample_references() -> Vec<String> {
        layerbox_images::sample_images()
            .map(|defs| defs.iter().map(ImageDef::reference).collect())
            .unwrap_or_default()
    }
}

/// Builds one read-only layer from definition entries (parents before children) over the
/// layers `below`; a parent directory the entries leave out is recorded with its metadata from
/// below, as a layer tar carries the directories leading to its files.
fn build_layer(
    entries: &[layerbox_images::EntryDef],
    below: &[Arc<Layer>],
    now: u64,
) -> Result<Layer, EngineError> {
    let lower = layerbox_fstree::Union::new(below.to_vec());
    let mut tree = Tree::with_root(
        lower
            .node("/")
            .map(|s| s.meta())
            .unwrap_or_else(|| Meta::new(0o755, 0, 0, now)),
        Default::default(),
    );
    // The definitions are trusted data: their sized files (a 120 MB library in postgres) are
    // sparse and cost no memory.
    tree.set_limits(layerbox_fstree::Limits {
        max_file_size: u64::MAX,
        max_total_bytes: u64::MAX,
        ..Default::default()
    });
    for e in entries {
        let mut missing = Vec::new();
        let mut dir = e.path.as_str();
        while let Some((parent, _)) = layerbox_fstree::path::split(dir) {
            if parent == "/" || tree.node(parent).is_some() {
                break;
            }
            missing.push(parent);
            dir = parent;
        }
        for parent in missing.into_iter().rev() {
            let meta = lower
                .node(parent)
                .map(|s| s.meta())
                .unwrap_or_else(|| Meta::new(0o755, 0, 0, now));
            tree.insert(parent, NewNode::Dir, meta, now)
                .map_err(|errno| {
                    EngineError::system(format!("building layer at {parent}: {errno}"))
                })?;
        }
        let meta = Meta::new(e.mode, e.uid, e.gid, now);
        let fail = |errno: layerbox_fstree::Errno| {
            EngineError::system(format!("building layer at {}: {errno}", e.path))
        };
        match &e.kind {
            EntryKind::Dir => {
                if tree.node(&e.path).is_some() {
                    tree.set_attr(
                        &e.path,
                        layerbox_fstree::Attr {
                            mode: Some(e.mode),
                            uid: Some(e.uid),
                            gid: Some(e.gid),
                            mtime: Some(now),
                        },
                    )
                    .map_err(fail)?;
                } else {
                    tree.insert(&e.path, NewNode::Dir, meta, now)
                        .map_err(fail)?;
                }
            }
            EntryKind::File { content } => {
                // A sized placeholder holds no bytes: its zeros are made only when read.
                let node = match content {
                    FileContent::Text(t) => NewNode::File(Content::from(t.as_bytes())),
                    FileContent::Sized(n) => NewNode::Sparse(*n),
                };
                tree.insert(&e.path, node, meta, now).map_err(fail)?;
            }
            EntryKind::Symlink { target } => {
                tree.insert(
                    &e.path,
                    NewNode::Symlink(target.clone()),
                    Meta::new(0o777, e.uid, e.gid, now),
                    now,
                )
                .map_err(fail)?;
            }
            EntryKind::Hardlink { target } => tree.add_link(target, &e.path, now).map_err(fail)?,
        }
    }
    Ok(Layer::from_tree(tree))
}

#[cfg(test)]
mod tests {
    use super::*;
    use layerbox_fstree::{Cred, FileSystem, Union};

    #[test]
    fn images_built_from_alpine_share_its_layers() {
        let store = ImageStore::with_samples(crate::clock::SESSION_START).expect("samples");
        let alpine = store.find("alpine").expect("alpine");
        let todo = store.find("diamol/ch06-todo-list:latest").expect("todo");
        assert!(
            Arc::ptr_eq(&alpine.layers[0], &todo.layers[0]),
            "the base layer is shared, not copied"
        );
        assert!(todo.config.volumes.contains(&"/data".to_string()));
        let view = Union::new(todo.layers.clone());
        let sh = view.readlink(&Cred::root(), "/bin/sh").expect("sh");
        assert_eq!(sh, "/bin/busybox");
        assert!(view.stat(&Cred::root(), "/app/start.sh").is_ok());
    }

    #[test]
    fn references_find_images_by_tag_and_id_prefix() {
        let store = ImageStore::with_samples(0).expect("samples");
        let nginx = store.find("nginx:latest").expect("nginx");
        assert_eq!(
            store.find(&nginx.id[..12]).map(|i| i.id.clone()),
            Some(nginx.id.clone())
        );
        assert_eq!(
            store.find(&format!("sha256:{}", nginx.id)).map(|i| &i.id),
            Some(&nginx.id)
        );
        assert!(store.find("nosuch").is_none());
        assert_eq!(
            normalize_reference("localhost:5000/app"),
            "localhost:5000/app:latest"
        );
    }
}
