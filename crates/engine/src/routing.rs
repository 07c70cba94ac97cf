//! Where a path of a container lives: the one longest-prefix rule that sends each canonical
//! path to the union root filesystem, a mount or procfs, used by the writable `ContainerNs` and,
//! over shared borrows of the [`World`], by [`Routing`] for whoever only looks (the views).

use std::cell::OnceCell;

use layerbox_fstree::{Store, Tree};

use crate::container::{Container, Status};
use crate::error::EngineError;
use crate::host::rebase;
use crate::namespace::{MountBacking, NsMount};
use crate::world::World;

/// Where procfs is mounted while a container runs.
pub const PROC: &str = "/proc";

/// `p` relative to mount point `dest` (`/` for the mount root), if `p` is at or below it.
pub fn below(p: &str, dest: &str) -> Option<String> {
    if p == dest {
        return Some("/".to_string());
    }
    p.strip_prefix(dest)
        .filter(|rest| rest.starts_with('/'))
        .map(str::to_string)
}

/// The mount serving canonical `p` among mount points `destinations` (in mount order): its
/// index and destination, and `p` relative to it. It is the longest destination at or above
/// `p`; of equal ones the last, mounted over the others.
pub fn mount_for<'d>(
    p: &str,
    destinations: &mut dyn Iterator<Item = &'d str>,
) -> Option<(usize, &'d str, String)> {
    let mut best: Option<(usize, &'d str, String)> = None;
    for (i, dest) in destinations.enumerate() {
        if let Some(rest) = below(p, dest) {
            if best.as_ref().is_none_or(|(_, d, _)| dest.len() >= d.len()) {
                best = Some((i, dest, rest));
            }
        }
    }
    best
}

/// Where a canonical path of a container goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// The union root filesystem, at the same path.
    Root,
    /// Mount `index` (into the namespace's [`NsMount`]s) at this path of its backing: a host
    /// path for a bind, `/NAME` in the container's own files for Docker's, else the path
    /// below the mount point.
    Mount(usize, String),
    /// procfs at [`PROC`], at this path below it.
    Proc(String),
}

/// How canonical `p` routes through `mounts`, with procfs at `/proc` when `proc_mounted`.
pub fn route(mounts: &[NsMount], proc_mounted: bool, p: &str) -> Route {
    if proc_mounted {
        if let Some(rest) = below(p, PROC) {
            return Route::Proc(rest);
        }
    }
    let Some((i, _, rest)) = mount_for(p, &mut mounts.iter().map(|m| m.destination.as_str()))
    else {
        return Route::Root;
    };
    let rel = match &mounts[i].backing {
        MountBacking::Host(source) => rebase(source, &rest),
        MountBacking::Nfs { root, .. } => rebase(root, &rest),
        MountBacking::Managed(name) => rebase(&format!("/{name}"), &rest),
        MountBacking::Volume(_) | MountBacking::Tmpfs => rest,
    };
    Route::Mount(i, rel)
}

/// Whether something is mounted at canonical `p`: one of `mounts`, or procfs when `proc_mounted`.
pub fn is_mount_point(mounts: &[NsMount], proc_mounted: bool, p: &str) -> bool {
    (proc_mounted && p == PROC) || mounts.iter().any(|m| m.destination == p)
}

/// A container's mount namespace as its processes see it now, read-only over shared borrows
/// of the [`World`], for looking without acting: the views, `World::provenance`.
pub struct Routing<'w> {
    world: &'w World,
    container: &'w Container,
    mounts: Vec<NsMount>,
    /// `created_by` of each image layer (bottom first).
    history: Vec<String>,
    /// procfs while the container runs, built on the first look below `/proc`.
    proc: OnceCell<Option<Tree>>,
}

/// The store and path that serve a path of a [`Routing`].
pub struct Routed<'a> {
    pub store: &'a dyn Store,
    /// The path inside `store`.
    pub rel: String,
    /// The mount serving it, by index into [`Routing::mounts`].
    pub mount: Option<usize>,
    /// It is in the procfs at `/proc`.
    pub proc: bool,
}

impl World {
    /// The read-only mount namespace of container `reference` (name, id or id prefix).
    pub fn routing(&self, reference: &str) -> Result<Routing<'_>, EngineError> {
        let container = self.find_container(reference)?;
        Ok(Routing {
            world: self,
            container,
            mounts: container
                .ns_mounts(false)
                .into_iter()
                .map(|m| self.volume_backing(m))
                .collect(),
            history: self
                .images
                .images
                .get(&container.image_id)
                .map(|img| img.layer_instructions())
                .unwrap_or_default(),
            proc: OnceCell::new(),
        })
    }
}

impl<'w> Routing<'w> {
    pub fn world(&self) -> &'w World {
        self.world
    }

    pub fn container(&self) -> &'w Container {
        self.container
    }

    /// The mounts its processes see (tmpfs only while running), Docker's files first.
    pub fn mounts(&self) -> &[NsMount] {
        &self.mounts
    }

    /// `created_by` of each image layer, bottom first.
    pub fn history(&self) -> &[String] {
        &self.history
    }

    /// Whether the container runs: only then is procfs mounted at `/proc`.
    pub fn running(&self) -> bool {
        self.container.state.status == Status::Running
    }

    /// How canonical `p` routes, without building procfs.
    pub fn route_of(&self, p: &str) -> Route {
        route(&self.mounts, self.running(), p)
    }

    /// The store and path serving canonical `p`; `None` if its mount's backing is gone. Reads
    /// through the store never charge the network share's simulated cost (see [`Host::store`]).
    ///
    /// [`Host::store`]: crate::host::Host::store
    pub fn route(&self, p: &str) -> Option<Routed<'_>> {
        let (store, rel, mount): (&dyn Store, String, Option<usize>) = match self.route_of(p) {
            Route::Root => (&self.container.rootfs, p.to_string(), None),
            Route::Proc(rel) => {
                return Some(Routed {
                    store: self.proc()?,
                    rel,
                    mount: None,
                    proc: true,
                })
            }
            Route::Mount(i, rel) => {
                let m = &self.mounts[i];
                match &m.backing {
                    MountBacking::Volume(name) => {
                        (&self.world.volumes.volumes.get(name)?.data, rel, Some(i))
                    }
                    MountBacking::Host(_) => {
                        let (store, rel) = self.world.host.store(&rel);
                        (store, rel, Some(i))
                    }
                    MountBacking::Nfs { .. } => (&self.world.host.share.tree, rel, Some(i)),
                    MountBacking::Tmpfs => {
                        (self.container.tmpfs.get(&m.destination)?, rel, Some(i))
                    }
                    MountBacking::Managed(_) => (&self.container.managed, rel, Some(i)),
                }
            }
        };
        Some(Routed {
            store,
            rel,
            mount,
            proc: false,
        })
    }

    /// Whether something is mounted at canonical `p` (Docker's files and procfs included).
    pub fn is_mount_point(&self, p: &str) -> bool {
        is_mount_point(&self.mounts, self.running(), p)
    }

    /// The procfs, when the container runs.
    fn proc(&self) -> Option<&Tree> {
        if !self.running() {
            return None;
        }
        self.proc
            .get_or_init(|| {
                self.world
                    .proc_filesystem(&self.container.id)
                    .ok()
                    .flatten()
            })
            .as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::user_cred;
    use crate::provenance::Backs;
    use crate::world::CreateRequest;
    use layerbox_fstree::{Cred, FileSystem};

    fn started(w: &mut World, req: impl FnOnce(&mut CreateRequest)) -> String {
        let mut r = CreateRequest {
            image: "alpine".into(),
            ..Default::default()
        };
        req(&mut r);
        let id = w.create_container(&r).expect("create");
        w.start_container(&id).expect("start");
        id
    }

    /// The destination of the mount serving `p`, `proc` if procfs does, `/` for the rootfs.
    fn served_by(ns: &Routing<'_>, p: &str) -> String {
        match ns.route(p) {
            Some(r) if r.proc => "proc".to_string(),
            Some(Routed { mount: Some(i), .. }) => ns.mounts()[i].destination.clone(),
            Some(_) => "/".to_string(),
            None => "gone".to_string(),
        }
    }

    fn text(r: &Routed<'_>) -> String {
        String::from_utf8_lossy(&r.store.content(&r.rel).expect("content")).into_owned()
    }

    #[test]
    fn mount_for_takes_the_longest_destination_and_the_last_of_equals() {
        let dests = ["/app", "/app/data", "/srv", "/app/data"];
        let found = |p: &str| mount_for(p, &mut dests.iter().copied());
        assert_eq!(found("/app/data/x"), Some((3, "/app/data", "/x".into())));
        assert_eq!(found("/app/d"), Some((0, "/app", "/d".into())));
        assert_eq!(found("/app"), Some((0, "/app", "/".into())));
        assert_eq!(found("/apple"), None);
        assert_eq!(below("/srv", "/"), None, "the root filesystem is no mount");
    }

    #[test]
    fn a_bind_mounted_file_is_served_by_the_host_file() {
        let mut w = World::new().expect("world");
        let id = started(&mut w, |r| {
            r.binds = vec!["/etc/os-release:/os-release:ro".into()]
        });
        let ns = w.routing(&id).expect("routing");
        let r = ns.route("/os-release").expect("routed");
        assert_eq!(r.rel, "/etc/os-release");
        assert!(text(&r).contains("bookworm"));
        assert!(ns.is_mount_point("/os-release"));
        assert_eq!(
            ns.backs("/os-release"),
            Some(Backs::Bind {
                host_path: "/etc/os-release".into(),
                network_share: false,
                destination: "/os-release".into(),
            })
        );
    }

    #[test]
    fn nested_mounts_and_a_volume_under_a_bind_route_to_the_innermost() {
        let mut w = World::new().expect("world");
        let id = started(&mut w, |r| {
            r.binds = vec![
                "/srv:/app".into(),
                "/home/user:/app/home".into(),
                "data:/app/data".into(),
            ]
        });
        let ns = w.routing(&id).expect("routing");
        assert_eq!(served_by(&ns, "/app/x"), "/app");
        assert_eq!(ns.route("/app/x").expect("routed").rel, "/srv/x");
        assert_eq!(served_by(&ns, "/app/home/notes"), "/app/home");
        assert_eq!(
            ns.route("/app/home/notes").expect("routed").rel,
            "/home/user/notes"
        );
        let r = ns.route("/app/data/todo.db").expect("routed");
        assert_eq!(
            (served_by(&ns, "/app/data"), r.rel.as_str()),
            ("/app/data".into(), "/todo.db")
        );
        assert!(matches!(
            ns.backs("/app/data"),
            Some(Backs::Volume { ref name, anonymous: false, .. }) if name == "data"
        ));
        assert_eq!(served_by(&ns, "/etc/hosts"), "/etc/hosts");
        assert_eq!(served_by(&ns, "/etc/passwd"), "/");
    }

    #[test]
    fn tmpfs_is_mounted_only_while_the_container_runs() {
        let mut w = World::new().expect("world");
        let id = started(&mut w, |r| r.tmpfs = vec![("/cache".into(), String::new())]);
        let ns = w.routing(&id).expect("routing");
        assert_eq!(served_by(&ns, "/cache/x"), "/cache");
        assert_eq!(
            ns.backs("/cache"),
            Some(Backs::Tmpfs {
                destination: "/cache".into()
            })
        );
        w.stop_container(&id, 0).expect("stop");
        let ns = w.routing(&id).expect("routing");
        assert!(!ns.is_mount_point("/cache"));
        assert_eq!(served_by(&ns, "/cache"), "/");
    }

    #[test]
    fn procfs_serves_proc_while_running_and_is_built_only_when_looked_at() {
        let mut w = World::new().expect("world");
        let id = started(&mut w, |_| {});
        let ns = w.routing(&id).expect("routing");
        assert_eq!(served_by(&ns, "/etc"), "/");
        assert!(ns.proc.get().is_none(), "no look below /proc, no procfs");
        assert!(ns.is_mount_point("/proc"));
        let r = ns.route("/proc/1/mounts").expect("routed");
        assert!(
            r.proc && text(&r).starts_with("overlay / overlay"),
            "{}",
            text(&r)
        );
        assert_eq!(ns.backs("/proc/mounts"), Some(Backs::Proc));
        w.stop_container(&id, 0).expect("stop");
        let ns = w.routing(&id).expect("routing");
        assert!(!ns.is_mount_point("/proc"));
        assert_eq!(served_by(&ns, "/proc"), "/");
        assert_eq!(ns.route("/proc/mounts").map(|r| r.proc), Some(false));
    }

    #[test]
    fn a_share_path_is_read_from_the_share_without_charging_it() {
        let mut w = World::new().expect("world");
        let now = w.now();
        let host = w.host_mut();
        host.mkdir(&user_cred(), "/mnt/share/reports", 0o755, now)
            .expect("mkdir");
        host.write_file(&user_cred(), "/mnt/share/reports/q3", b"up", 0o644, now)
            .expect("write");
        let id = started(&mut w, |r| {
            r.binds = vec!["/mnt/share/reports:/reports".into()]
        });
        let before = w.host().share.usage();
        let ns = w.routing(&id).expect("routing");
        let r = ns.route("/reports/q3").expect("routed");
        assert_eq!((r.rel.as_str(), text(&r).as_str()), ("/reports/q3", "up"));
        assert!(matches!(
            ns.backs("/reports/q3"),
            Some(Backs::Bind { network_share: true, ref host_path, .. })
                if host_path == "/mnt/share/reports/q3"
        ));
        assert_eq!(w.host().share.usage(), before, "looking is no round trip");
        let (_, rel) = w.host().store("/mnt/share");
        assert_eq!(rel, "/");
        let (_, rel) = w.host().store("/mnt/shared");
        assert_eq!(rel, "/mnt/shared");
    }

    #[test]
    fn the_writable_namespace_routes_as_the_read_only_one_does() {
        let mut w = World::new().expect("world");
        let id = started(&mut w, |r| {
            r.binds = vec!["/srv:/app".into(), "data:/app/data".into()]
        });
        let now = w.now();
        w.with_container_fs(&id, false, |ns| {
            ns.write_file(&Cred::root(), "/app/data/a", b"vol", 0o644, now)?;
            ns.write_file(&Cred::root(), "/app/b", b"bind", 0o644, now)
        })
        .expect("container")
        .expect("write");
        let ns = w.routing(&id).expect("routing");
        assert_eq!(text(&ns.route("/app/data/a").expect("routed")), "vol");
        assert_eq!(text(&ns.route("/app/b").expect("routed")), "bind");
        assert_eq!(
            w.host()
                .local
                .read_file(&Cred::root(), "/srv/b")
                .expect("host")[..],
            b"bind"[..]
        );
    }
}
