//! The host panel: the Docker host's own tree, with the sources of bind mounts and the network
//! share marked, so a learner sees where a bind mount's files really are.

use layerbox_engine::host::{Host, SHARE_MOUNT};
use layerbox_engine::mount_spec::MountType;
use layerbox_engine::world::World;
use layerbox_fstree::path::{self, is_within};

use crate::entry::{check_dir, Entry, Owners};
use crate::kind::Kind;
use crate::ViewError;

/// How a host entry relates to one container's bind mount.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BindRelation {
    /// The entry is the bind mount's source.
    Source,
    /// The entry is inside the source: the container sees it.
    InsideSource,
    /// The entry is a directory holding the source further down.
    ContainsSource,
}

/// One bind mount an entry takes part in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostBind {
    pub relation: BindRelation,
    /// The container's name.
    pub container: String,
    pub container_id: String,
    /// The bind's source on the host.
    pub source: String,
    /// Where the container sees the source.
    pub destination: String,
    pub rw: bool,
}

/// One entry of a host directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostNode {
    pub entry: Entry,
    /// The bind mounts it is the source of, lies inside, or leads to (by container, then
    /// destination).
    pub binds: Vec<HostBind>,
    /// `Some(LocalBind | NetworkBind)` when a container sees this entry (it is a bind source or
    /// inside one).
    pub kind: Option<Kind>,
    /// Whether it is on the network share (`/mnt/share` and below).
    pub network_share: bool,
    /// Whether it is the network share's mount point, `/mnt/share`.
    pub share_mount: bool,
}

/// The entries of canonical host directory `dir`, sorted by name, marked with the bind mounts
/// of every container (running or not) and the network share. Reads the share without
/// counting the UI's looks as share operations.
pub fn host_children(world: &World, dir: &str) -> Result<Vec<HostNode>, ViewError> {
    let host = world.host();
    let (store, rel) = host.store(dir);
    check_dir(store, &rel, dir)?;
    let owners = Owners::of(&host.local);
    let mut binds: Vec<(&str, &str, &str, &str, bool)> = world
        .containers()
        .values()
        .flat_map(|c| {
            c.mounts
                .iter()
                .filter(|m| m.kind == MountType::Bind)
                .map(move |m| {
                    (
                        c.name.as_str(),
                        c.id.as_str(),
                        m.source.as_str(),
                        m.destination.as_str(),
                        m.rw,
                    )
                })
        })
        .collect();
    layerbox_order::sort_by(&mut binds, |a, b| a.cmp(b));
    let names = store.entries(&rel).unwrap_or_default();
    let mut out = Vec::with_capacity(names.len());
    for e in names {
        let p = path::join(dir, &e.name);
        let (s, r) = host.store(&p);
        let Some(st) = s.node(&r) else { continue };
        let mut marks = Vec::new();
        for &(name, id, source, destination, rw) in &binds {
            let relation = if p == source {
                BindRelation::Source
            } else if is_within(&p, source) {
                BindRelation::InsideSource
            } else if is_within(source, &p) {
                BindRelation::ContainsSource
            } else {
                continue;
            };
            marks.push(HostBind {
                relation,
                container: name.to_string(),
                container_id: id.to_string(),
                source: source.to_string(),
                destination: destination.to_string(),
                rw,
            });
        }
        let network_share = Host::is_on_share(&p);
        let seen = marks
            .iter()
            .any(|b| b.relation != BindRelation::ContainsSource);
        out.push(HostNode {
            entry: Entry::new(s, &r, &p, &st, &owners),
            binds: marks,
            kind: seen.then_some(if network_share {
                Kind::NetworkBind
            } else {
                Kind::LocalBind
            }),
            network_share,
            share_mount: p == SHARE_MOUNT,
        });
    }
    layerbox_order::sort_by(&mut out, |a, b| {
        a.entry.name.as_bytes().cmp(b.entry.name.as_bytes())
    });
    Ok(out)
}
