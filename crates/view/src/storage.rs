//! The storage map: a container's files as its processes see them, one directory at a time,
//! each with the storage it lives on, and the ghosts that storage hides.

use std::ops::Range;

use layerbox_engine::provenance::{Backs, HiddenWhy};
use layerbox_engine::routing::Routing;
use layerbox_engine::world::World;
use layerbox_fstree::{path, Backing, Store};

use crate::entry::{check_dir, Entry, Owners};
use crate::kind::Kind;
use crate::ViewError;

/// One entry of a container directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub entry: Entry,
    /// The storage it lives on (for a ghost: where the hidden entry still is).
    pub kind: Kind,
    /// The engine's detail: image layer and instruction, writable layer (created or copied up
    /// from which layer), volume name and destination, bind host path, tmpfs, Docker's file.
    pub backs: Backs,
    /// The instruction of the image layer it lives in or was copied up from (`COPY app/ /app/`).
    pub instruction: Option<String>,
    /// Whether something is mounted here (a volume, bind, tmpfs or one of Docker's files).
    pub mount_point: bool,
    /// `Some` for a ghost: an entry the container cannot see, and what hides it.
    pub hidden: Option<Ghost>,
}

/// Why a ghost entry is invisible to the container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ghost {
    /// Whited out, under an opaque directory, shadowed by a higher entry, or obscured by a mount.
    pub why: HiddenWhy,
    /// The kind of storage doing the hiding (the writable layer's whiteout, a higher image
    /// layer, the volume or bind mounted over it).
    pub hidden_by: Kind,
}

/// The entries of canonical directory `dir` in `container` (name or id), sorted by name
/// bytewise as `ls` sorts them; with `show_hidden`, each ghost follows the visible entries of
/// its name. Cost: one lookup per entry, never a walk of the image.
pub fn storage_children(
    world: &World,
    container: &str,
    dir: &str,
    show_hidden: bool,
) -> Result<Vec<Node>, ViewError> {
    storage_children_page(world, container, dir, show_hidden, 0..usize::MAX).map(|p| p.nodes)
}

/// A slice of a long directory listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    pub nodes: Vec<T>,
    /// How many visible entries the whole directory has.
    pub total: usize,
}

/// [`storage_children`] for the visible entries at positions `range` only (`0..200`, then
/// `200..400`, ...), with the ghosts whose names sort into that stretch: pages laid end to
/// end give the whole listing. Only the page's entries are looked up, so the first page of
/// a 10,000-entry directory costs 200 lookups and one sorted name list.
pub fn storage_children_page(
    world: &World,
    container: &str,
    dir: &str,
    show_hidden: bool,
    range: Range<usize>,
) -> Result<Page<Node>, ViewError> {
    let ns = world
        .routing(container)
        .map_err(|_| ViewError::NoSuchContainer(container.to_string()))?;
    let routed = ns
        .route(dir)
        .ok_or_else(|| ViewError::NotFound(dir.to_string()))?;
    check_dir(routed.store, &routed.rel, dir)?;
    let owners = Owners::read(|p| {
        ns.route(p)
            .and_then(|r| r.store.content(&r.rel).ok())
            .map(|c| String::from_utf8_lossy(&c).into_owned())
            .unwrap_or_default()
    });
    let mut names = routed.store.entries(&routed.rel).unwrap_or_default();
    layerbox_order::sort_by(&mut names, |a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
    let total = names.len();
    let start = range.start.min(total);
    let end = range.end.clamp(start, total);
    // Ghosts belong to the page whose visible names they sort among.
    let from = names
        .get(start)
        .filter(|_| start > 0)
        .map(|e| e.name.clone());
    let until = names.get(end).map(|e| e.name.clone());
    // A page past the last entry holds no ghosts: the last page has those after it.
    let past_end = start == total && total > 0;
    let mut out = Vec::with_capacity(end - start);
    for e in &names[start..end] {
        let p = path::join(dir, &e.name);
        let Some(r) = ns.route(&p) else { continue };
        let Some(st) = r.store.node(&r.rel) else {
            continue;
        };
        let Some(backs) = ns.backs(&p) else {
            continue;
        };
        out.push(Node {
            entry: Entry::new(r.store, &r.rel, &p, &st, &owners),
            kind: Kind::of(&backs),
            instruction: instruction(&ns, &backs),
            backs,
            mount_point: ns.is_mount_point(&p),
            hidden: None,
        });
    }
    let at_mount_root = routed
        .mount
        .is_some_and(|i| ns.mounts()[i].destination == dir);
    if show_hidden && (routed.mount.is_none() || at_mount_root) && !past_end {
        let in_page = |name: &str| {
            from.as_deref()
                .is_none_or(|f| name.as_bytes() >= f.as_bytes())
                && until
                    .as_deref()
                    .is_none_or(|u| name.as_bytes() < u.as_bytes())
        };
        out.extend(ghosts(&ns, dir, &owners, in_page)?);
    }
    layerbox_order::sort_by(&mut out, |a, b| {
        a.entry
            .name
            .as_bytes()
            .cmp(b.entry.name.as_bytes())
            .then(a.hidden.is_some().cmp(&b.hidden.is_some()))
    });
    Ok(Page { nodes: out, total })
}

/// What `World::hidden` reports under `dir`, as nodes.
fn ghosts(
    ns: &Routing<'_>,
    dir: &str,
    owners: &Owners,
    keep: impl Fn(&str) -> bool,
) -> Result<Vec<Node>, ViewError> {
    let c = ns.container();
    let hidden = ns
        .world()
        .hidden(&c.id, dir)
        .map_err(|_| ViewError::NoSuchContainer(c.id.clone()))?;
    let mut out = Vec::with_capacity(hidden.len());
    for h in hidden.into_iter().filter(|h| keep(&h.name)) {
        let p = path::join(dir, &h.name);
        let (store, backs, hidden_by): (&dyn Store, Backs, Kind) = match &h.why {
            HiddenWhy::Mount { destination, .. } => {
                let Some(backs) = c.rootfs.provenance(&p).map(|prov| ns.union_backs(&prov)) else {
                    continue;
                };
                (&c.rootfs, backs, mount_kind(ns, destination))
            }
            HiddenWhy::Whiteout { from_layer, by }
            | HiddenWhy::Opaque { from_layer, by }
            | HiddenWhy::Shadowed { from_layer, by } => {
                let Some(layer) = c.rootfs.lowers().get(*from_layer) else {
                    continue;
                };
                let by_kind = match by {
                    Backing::Upper => Kind::WritableLayer,
                    Backing::Layer(i) => Kind::of(&ns.layer_backs(*i)),
                };
                (layer.tree(), ns.layer_backs(*from_layer), by_kind)
            }
        };
        let Some(st) = store.node(&p) else { continue };
        out.push(Node {
            entry: Entry {
                expandable: false,
                ..Entry::new(store, &p, &p, &st, owners)
            },
            kind: Kind::of(&backs),
            instruction: instruction(ns, &backs),
            backs,
            mount_point: false,
            hidden: Some(Ghost {
                why: h.why,
                hidden_by,
            }),
        });
    }
    Ok(out)
}

/// The kind of the mount at `destination`.
fn mount_kind(ns: &Routing<'_>, destination: &str) -> Kind {
    ns.container()
        .mounts
        .iter()
        .find(|m| m.destination == destination)
        .map(Kind::of_mount)
        .unwrap_or(Kind::DockerManaged)
}

/// The instruction of the image layer `backs` names or was copied up from, as a Dockerfile line.
fn instruction(ns: &Routing<'_>, backs: &Backs) -> Option<String> {
    match backs {
        Backs::ImageLayer { created_by, .. } => Some(crate::dockerfile_line(created_by)),
        Backs::WritableLayer {
            copied_up_from: Some(i),
        } if *i < ns.init_index() => ns.history().get(*i).map(|h| crate::dockerfile_line(h)),
        _ => None,
    }
}
