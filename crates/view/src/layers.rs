//! dive's layer view: an image's or container's layers bottom to top with their counts and who
//! shares them, one layer's own changes, and the merged tree up to a layer.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::{Arc, Weak};

use layerbox_engine::container::Container;
use layerbox_engine::image::Image;
use layerbox_engine::world::World;
use layerbox_fstree::{
    path, ChangeKind, FileType, Layer, LayerSummary, OciKind, Store, Union, WHITEOUT_PREFIX,
};

use crate::entry::{check_dir, Entry, Owners};
use crate::kind::Kind;
use crate::ViewError;

/// What a layer view is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target<'a> {
    /// An image, by reference (`alpine`, `name:tag`, id or id prefix).
    Image(&'a str),
    /// A container, by name or id: its image's layers, its init layer and its writable layer.
    Container(&'a str),
}

/// One layer of a stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LayerRef {
    /// Image layer `index` (0 = bottom), as [`crate::Backs::ImageLayer`] counts.
    Image(usize),
    /// A container's init layer (Docker's placeholders).
    Init,
    /// A container's writable layer.
    Writable,
}

/// One row of a layer stack: a layer, or an instruction that made no layer (`ENV`, `VOLUME`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerRow {
    /// `None` for a history row without a filesystem layer (size and counts are 0).
    pub layer: Option<LayerRef>,
    /// The instruction (`docker history`'s CREATED BY); for the init and writable layers a
    /// description in Docker's words (`init layer`, `writable layer of todo-v1`).
    pub created_by: String,
    pub kind: Kind,
    /// Bytes of files in the layer (copies-up counted in full).
    pub size: u64,
    /// Entries the layer adds, modifies and removes over the layers below (for the writable
    /// layer: `docker diff`'s A, C and D lines).
    pub added: usize,
    pub modified: usize,
    pub removed: usize,
    /// Other images (first tag, else short id) and containers (names) built on this very
    /// layer. Emulation note: the engine shares one init layer between containers of an image;
    /// Docker makes one each, so init layers list no sharers.
    pub shared_by: Vec<String>,
}

/// An image's or container's layers, bottom to top.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerStack {
    /// The image's first tag (or short id).
    pub image: String,
    /// The container's name, for a container.
    pub container: Option<String>,
    pub rows: Vec<LayerRow>,
}

/// Whether a layer adds, modifies or removes a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LayerChangeKind {
    Added,
    Modified,
    Removed,
}

/// One change a layer makes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerChange {
    pub path: String,
    pub what: LayerChangeKind,
    pub file_type: FileType,
}

/// One entry of the merged tree up to a layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergedNode {
    pub entry: Entry,
    /// What the chosen layer did to this path (`None`: it comes unchanged from below).
    pub change: Option<LayerChangeKind>,
    /// Whether the chosen layer holds anything at this path (for a directory: changes below).
    pub touched: bool,
    /// The layer the entry shows from (for a removed entry: the layer below that had it).
    pub layer: LayerRef,
    pub kind: Kind,
}

/// The image and (for a container) the container a target names.
fn resolve<'w>(
    world: &'w World,
    target: Target<'_>,
) -> Result<(&'w Image, Option<&'w Container>), ViewError> {
    match target {
        Target::Image(r) => world
            .images()
            .find(r)
            .map(|i| (i, None))
            .ok_or_else(|| ViewError::NoSuchImage(r.to_string())),
        Target::Container(r) => {
            let c = world
                .find_container(r)
                .map_err(|_| ViewError::NoSuchContainer(r.to_string()))?;
            let img = world
                .images()
                .images
                .get(&c.image_id)
                .ok_or_else(|| ViewError::NoSuchImage(c.image_id.clone()))?;
            Ok((img, Some(c)))
        }
    }
}

/// The label of an image in lists: its first tag, else its short id.
pub(crate) fn image_label(img: &Image) -> String {
    img.repo_tags
        .first()
        .cloned()
        .unwrap_or_else(|| img.id[..12.min(img.id.len())].to_string())
}

/// The layers of `target`, bottom to top: every history row of the image (rows without a
/// layer included), then for a container its init layer and writable layer. Walks each image
/// layer once in the life of the layer (counts are remembered), and the writable layer's changes.
pub fn layer_stack(world: &World, target: Target<'_>) -> Result<LayerStack, ViewError> {
    let (img, container) = resolve(world, target)?;
    let mut rows = Vec::new();
    let mut next = 0;
    for h in &img.history {
        if h.empty_layer {
            rows.push(LayerRow {
                layer: None,
                created_by: h.created_by.clone(),
                kind: Kind::ImageLayer,
                size: 0,
                added: 0,
                modified: 0,
                removed: 0,
                shared_by: Vec::new(),
            });
            continue;
        }
        let Some(layer) = img.layers.get(next) else {
            break;
        };
        let s = summary(layer, &img.layers[..next]);
        rows.push(LayerRow {
            layer: Some(LayerRef::Image(next)),
            created_by: h.created_by.clone(),
            kind: Kind::ImageLayer,
            size: s.size,
            added: s.added,
            modified: s.modified,
            removed: s.removed,
            shared_by: sharers(world, layer, &img.id, container.map(|c| c.id.as_str())),
        });
        next += 1;
    }
    if let Some(c) = container {
        let lowers = c.rootfs.lowers();
        if let Some((init, below)) = lowers.split_last() {
            let s = summary(init, below);
            rows.push(LayerRow {
                layer: Some(LayerRef::Init),
                created_by: "init layer".to_string(),
                kind: Kind::DockerManaged,
                size: s.size,
                added: s.added,
                modified: s.modified,
                removed: s.removed,
                shared_by: Vec::new(),
            });
        }
        let (mut added, mut modified, mut removed) = (0, 0, 0);
        for ch in c.rootfs.changes(&[]) {
            match ch.kind {
                ChangeKind::Add => added += 1,
                ChangeKind::Modify => modified += 1,
                ChangeKind::Delete => removed += 1,
            }
        }
        rows.push(LayerRow {
            layer: Some(LayerRef::Writable),
            created_by: format!("writable layer of {}", c.name),
            kind: Kind::WritableLayer,
            size: c.size_rw(),
            added,
            modified,
            removed,
            shared_by: Vec::new(),
        });
    }
    Ok(LayerStack {
        image: image_label(img),
        container: container.map(|c| c.name.clone()),
        rows,
    })
}

/// Images (other than `image_id`) and containers (other than `container_id`) whose layers
/// include this very layer.
fn sharers(
    world: &World,
    layer: &Arc<Layer>,
    image_id: &str,
    container_id: Option<&str>,
) -> Vec<String> {
    let mut out: Vec<String> = world
        .images()
        .images
        .values()
        .filter(|i| i.id != image_id && i.layers.iter().any(|l| Arc::ptr_eq(l, layer)))
        .map(image_label)
        .collect();
    layerbox_order::sort(&mut out);
    let mut containers: Vec<String> = world
        .containers()
        .values()
        .filter(|c| Some(c.id.as_str()) != container_id)
        .filter(|c| c.rootfs.lowers().iter().any(|l| Arc::ptr_eq(l, layer)))
        .map(|c| c.name.clone())
        .collect();
    layerbox_order::sort(&mut containers);
    out.extend(containers);
    out
}

thread_local! {
    /// Summaries of layers already counted: layers never change, so a layer's summary over
    /// the same layers below is computed once. The `Weak`s keep the addresses from reuse.
    static SUMMARIES: RefCell<Vec<(Vec<Weak<Layer>>, LayerSummary)>> =
        const { RefCell::new(Vec::new()) };
}

/// [`Layer::summary`], remembered per layer and layers below.
pub(crate) fn summary(layer: &Arc<Layer>, below: &[Arc<Layer>]) -> LayerSummary {
    let same = |chain: &[Weak<Layer>]| {
        chain.len() == below.len() + 1
            && chain
                .iter()
                .zip(below.iter().chain(std::iter::once(layer)))
                .all(|(w, l)| std::ptr::eq(w.as_ptr(), Arc::as_ptr(l)))
    };
    if let Some(s) = SUMMARIES.with(|c| c.borrow().iter().find(|(k, _)| same(k)).map(|e| e.1)) {
        return s;
    }
    let s = layer.summary(below);
    SUMMARIES.with(|c| {
        let mut cache = c.borrow_mut();
        cache.retain(|(k, _)| k.iter().all(|w| w.strong_count() > 0));
        if cache.len() >= 512 {
            cache.remove(0);
        }
        let key = below
            .iter()
            .chain(std::iter::once(layer))
            .map(Arc::downgrade)
            .collect();
        cache.push((key, s));
    });
    s
}

/// The unions a layer view compares: the merged tree up to `layer`, the one below it, and the
/// layer's own tree (whiteouts invisible through `Store`).
struct Compare {
    upto: Union,
    below: Union,
    own: OwnTree,
    /// Lower index of the init layer (image layer count), for naming layers.
    init_index: usize,
}

enum OwnTree {
    Layer(Arc<Layer>),
    Upper(Union),
}

impl OwnTree {
    fn node(&self, p: &str) -> Option<layerbox_fstree::Stat> {
        match self {
            OwnTree::Layer(l) => l.tree().node(p),
            OwnTree::Upper(u) => u.upper().node(p),
        }
    }
}

fn compare(
    img: &Image,
    container: Option<&Container>,
    layer: LayerRef,
) -> Result<Compare, ViewError> {
    let missing = || ViewError::NoSuchLayer(format!("{layer:?}"));
    let init_index = img.layers.len();
    match (layer, container) {
        (LayerRef::Image(i), _) => {
            let own = img.layers.get(i).ok_or_else(missing)?.clone();
            Ok(Compare {
                upto: Union::new(img.layers[..=i].to_vec()),
                below: Union::new(img.layers[..i].to_vec()),
                own: OwnTree::Layer(own),
                init_index,
            })
        }
        (LayerRef::Init, Some(c)) => {
            let lowers = c.rootfs.lowers();
            let (init, below) = lowers.split_last().ok_or_else(missing)?;
            Ok(Compare {
                upto: Union::new(lowers.to_vec()),
                below: Union::new(below.to_vec()),
                own: OwnTree::Layer(init.clone()),
                init_index,
            })
        }
        (LayerRef::Writable, Some(c)) => Ok(Compare {
            upto: c.rootfs.clone(),
            below: Union::new(c.rootfs.lowers().to_vec()),
            own: OwnTree::Upper(c.rootfs.clone()),
            init_index,
        }),
        _ => Err(missing()),
    }
}

/// The changes `layer` itself makes, sorted by path: a path absent below is added, present
/// below is modified (a directory only if its mode or owner changed, or it became opaque), a
/// whiteout is a removal. For the writable layer: `docker diff`. Walks that one layer.
pub fn layer_changes(
    world: &World,
    target: Target<'_>,
    layer: LayerRef,
) -> Result<Vec<LayerChange>, ViewError> {
    let (img, container) = resolve(world, target)?;
    let cmp = compare(img, container, layer)?;
    let own = match &cmp.own {
        OwnTree::Upper(u) => {
            return Ok(u
                .changes(&[])
                .into_iter()
                .map(|ch| {
                    let file_type = u
                        .node(&ch.path)
                        .or_else(|| cmp.below.node(&ch.path))
                        .map(|s| s.kind)
                        .unwrap_or(FileType::File);
                    let what = match ch.kind {
                        ChangeKind::Add => LayerChangeKind::Added,
                        ChangeKind::Modify => LayerChangeKind::Modified,
                        ChangeKind::Delete => LayerChangeKind::Removed,
                    };
                    LayerChange {
                        path: ch.path,
                        what,
                        file_type,
                    }
                })
                .collect())
        }
        OwnTree::Layer(l) => l.clone(),
    };
    let mut out: BTreeMap<String, LayerChange> = BTreeMap::new();
    for e in own.to_oci() {
        let (p, what, file_type) = match &e.kind {
            OciKind::Whiteout => {
                let Some((dir, name)) = path::split(&e.path) else {
                    continue;
                };
                let p = path::join(dir, name.strip_prefix(WHITEOUT_PREFIX).unwrap_or(name));
                let Some(was) = cmp.below.node(&p) else {
                    continue;
                };
                (p, LayerChangeKind::Removed, was.kind)
            }
            OciKind::OpaqueWhiteout => {
                let Some((dir, _)) = path::split(&e.path) else {
                    continue;
                };
                if cmp.below.node(dir).is_none() {
                    continue;
                }
                (dir.to_string(), LayerChangeKind::Modified, FileType::Dir)
            }
            kind => {
                let file_type = match kind {
                    OciKind::Dir => FileType::Dir,
                    OciKind::Symlink(_) => FileType::Symlink,
                    _ => FileType::File,
                };
                let what = match cmp.below.node(&e.path) {
                    None => LayerChangeKind::Added,
                    Some(u) if file_type == FileType::Dir && u.is_dir() => {
                        if u.mode == e.meta.mode && u.uid == e.meta.uid && u.gid == e.meta.gid {
                            continue;
                        }
                        LayerChangeKind::Modified
                    }
                    Some(_) => LayerChangeKind::Modified,
                };
                (e.path.clone(), what, file_type)
            }
        };
        out.insert(
            p.clone(),
            LayerChange {
                path: p,
                what,
                file_type,
            },
        );
    }
    Ok(out.into_values().collect())
}

/// The merged tree of `target` up to and including `layer`, directory `dir` only: each entry
/// marked added, modified or removed by that layer (removed ones listed from the layer below),
/// sorted by name. A directory the layer removed lists what it had, all removed.
pub fn merged_children(
    world: &World,
    target: Target<'_>,
    layer: LayerRef,
    dir: &str,
) -> Result<Vec<MergedNode>, ViewError> {
    let (img, container) = resolve(world, target)?;
    let cmp = compare(img, container, layer)?;
    let dir_now = cmp.upto.node(dir).filter(|s| s.is_dir()).is_some();
    if !dir_now {
        check_dir(&cmp.below, dir, dir)?;
    }
    let owners = Owners::of(&cmp.upto);
    let now = if dir_now {
        cmp.upto.entries(dir).unwrap_or_default()
    } else {
        Vec::new()
    };
    let before = cmp.below.entries(dir).unwrap_or_default();
    let mut out = Vec::with_capacity(now.len());
    for e in &now {
        let p = path::join(dir, &e.name);
        let Some(st) = cmp.upto.node(&p) else {
            continue;
        };
        let own = cmp.own.node(&p);
        let change = match cmp.below.node(&p) {
            None => Some(LayerChangeKind::Added),
            Some(_) if own.is_none() => None,
            Some(b) if b.is_dir() && st.is_dir() => {
                (b.mode != st.mode || b.uid != st.uid || b.gid != st.gid)
                    .then_some(LayerChangeKind::Modified)
            }
            Some(_) => Some(LayerChangeKind::Modified),
        };
        let from = cmp
            .upto
            .provenance(&p)
            .map(|pr| pr.backing)
            .unwrap_or(layerbox_fstree::Backing::Upper);
        let (layer_ref, kind) = name_layer(from, cmp.init_index);
        out.push(MergedNode {
            entry: Entry::new(&cmp.upto, &p, &p, &st, &owners),
            change,
            touched: own.is_some(),
            layer: layer_ref,
            kind,
        });
    }
    for e in before {
        if now.binary_search_by(|n| n.name.cmp(&e.name)).is_ok() {
            continue;
        }
        let p = path::join(dir, &e.name);
        let Some(st) = cmp.below.node(&p) else {
            continue;
        };
        let from = cmp
            .below
            .provenance(&p)
            .map(|pr| pr.backing)
            .unwrap_or(layerbox_fstree::Backing::Layer(0));
        let (layer_ref, kind) = name_layer(from, cmp.init_index);
        out.push(MergedNode {
            entry: Entry {
                expandable: st.is_dir(),
                ..Entry::new(&cmp.below, &p, &p, &st, &owners)
            },
            change: Some(LayerChangeKind::Removed),
            touched: true,
            layer: layer_ref,
            kind,
        });
    }
    layerbox_order::sort_by(&mut out, |a, b| {
        a.entry.name.as_bytes().cmp(b.entry.name.as_bytes())
    });
    Ok(out)
}

/// A union backing as a [`LayerRef`] and its kind.
fn name_layer(b: layerbox_fstree::Backing, init_index: usize) -> (LayerRef, Kind) {
    match b {
        layerbox_fstree::Backing::Upper => (LayerRef::Writable, Kind::WritableLayer),
        layerbox_fstree::Backing::Layer(i) if i == init_index => {
            (LayerRef::Init, Kind::DockerManaged)
        }
        layerbox_fstree::Backing::Layer(i) => (LayerRef::Image(i), Kind::ImageLayer),
    }
}

/// A history row's CREATED BY as the Dockerfile line a learner would write: BuildKit's
/// ` # buildkit` mark and the shell in `RUN /bin/sh -c …` left out, the classic builder's
/// `/bin/sh -c #(nop) ` too, and runs of blanks (a line continuation's indent) one space:
/// `RUN /bin/sh -c set -x     && addgroup …  # buildkit` reads `RUN set -x && addgroup …`.
pub fn dockerfile_line(created_by: &str) -> String {
    let text = created_by.trim();
    let text = text.strip_suffix("# buildkit").unwrap_or(text).trim_end();
    let text = match text.strip_prefix("/bin/sh -c #(nop) ") {
        Some(config) => config.trim_start().to_string(),
        None => match text
            .strip_prefix("RUN /bin/sh -c ")
            .or_else(|| text.strip_prefix("/bin/sh -c "))
        {
            Some(command) => format!("RUN {command}"),
            None => text.to_string(),
        },
    };
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod dockerfile_line_tests {
    use super::dockerfile_line;

    #[test]
    fn history_rows_read_as_dockerfile_lines() {
        assert_eq!(
            dockerfile_line("RUN /bin/sh -c set -x     && addgroup -g 101 -S nginx # buildkit"),
            "RUN set -x && addgroup -g 101 -S nginx"
        );
        assert_eq!(
            dockerfile_line("COPY app/ /app/ # buildkit"),
            "COPY app/ /app/"
        );
        assert_eq!(
            dockerfile_line("/bin/sh -c #(nop)  CMD [\"sh\"]"),
            "CMD [\"sh\"]"
        );
        assert_eq!(
            dockerfile_line("/bin/sh -c echo hi > /x"),
            "RUN echo hi > /x"
        );
        assert_eq!(dockerfile_line("ENV A=1"), "ENV A=1");
    }
}
