//! The storage map: a container's files as its processes see them, one directory at a time,
//! each with the storage it lives on, and the ghosts that storage hides.

use layerbox_engine::container::MountOrigin;
use layerbox_engine::mount_spec::MountType;
use layerbox_engine::provenance::{Backs, HiddenWhy};
use layerbox_engine::world::World;
use layerbox_fstree::{path, Backing, Store};

use crate::entry::{check_dir, Entry, Owners};
use crate::kind::Kind;
use crate::ns::Ns;
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
    let ns = Ns::new(world, container)?;
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
    let names = routed.store.entries(&routed.rel).unwrap_or_default();
    let mut out = Vec::with_capacity(names.len());
    for e in names {
        let p = path::join(dir, &e.name);
        let Some(r) = ns.route(&p) else { continue };
        let Some(st) = r.store.node(&r.rel) else {
            continue;
        };
        let Some(backs) = ns.backs(&p, &r) else {
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
        .is_some_and(|i| ns.mounts[i].destination == dir);
    if show_hidden && (routed.mount.is_none() || at_mount_root) {
        out.extend(ghosts(&ns, dir, &owners)?);
    }
    out.sort_by(|a, b| {
        a.entry
            .name
            .as_bytes()
            .cmp(b.entry.name.as_bytes())
            .then(a.hidden.is_some().cmp(&b.hidden.is_some()))
    });
    Ok(out)
}

/// What `World::hidden` reports under `dir`, as nodes.
fn ghosts(ns: &Ns<'_>, dir: &str, owners: &Owners) -> Result<Vec<Node>, ViewError> {
    let c = ns.container;
    let hidden = ns
        .world
        .hidden(&c.id, dir)
        .map_err(|_| ViewError::NoSuchContainer(c.id.clone()))?;
    let mut out = Vec::with_capacity(hidden.len());
    for h in hidden {
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

/// The kind of the mount at `destination` (a `--tmpfs`, a volume, a bind).
fn mount_kind(ns: &Ns<'_>, destination: &str) -> Kind {
    match ns
        .container
        .mounts
        .iter()
        .find(|m| m.destination == destination)
    {
        Some(m) if m.kind == MountType::Volume => Kind::Volume,
        Some(m) if m.kind == MountType::Tmpfs || m.origin == MountOrigin::TmpfsFlag => Kind::Tmpfs,
        Some(m) if layerbox_engine::host::Host::is_on_share(&m.source) => Kind::NetworkBind,
        Some(_) => Kind::LocalBind,
        None => Kind::DockerManaged,
    }
}

/// The instruction of the image layer `backs` names or was copied up from.
fn instruction(ns: &Ns<'_>, backs: &Backs) -> Option<String> {
    match backs {
        Backs::ImageLayer { created_by, .. } => Some(created_by.clone()),
        Backs::WritableLayer {
            copied_up_from: Some(i),
        } if *i < ns.init_index() => ns.history.get(*i).cloned(),
        _ => None,
    }
}
