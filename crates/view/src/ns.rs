//! Read-only routing through a container's mount namespace and the host, for the views: the
//! same longest-prefix rule as the engine's `ContainerNs`, over shared references, and without
//! charging the network share for the UI's own looks.

use std::cell::OnceCell;

use layerbox_engine::container::{Container, Status};
use layerbox_engine::host::{rebase, Host, SHARE_MOUNT};
use layerbox_engine::namespace::{MountBacking, NsMount};
use layerbox_engine::provenance::Backs;
use layerbox_engine::world::World;
use layerbox_fstree::{Backing, Provenance, Store, Tree};

use crate::ViewError;

/// A host path's store (the local tree or the share's) and its path there.
pub(crate) fn host_store<'w>(host: &'w Host, p: &str) -> (&'w dyn Store, String) {
    if p == SHARE_MOUNT {
        return (&host.share.tree, "/".to_string());
    }
    match p.strip_prefix(SHARE_MOUNT) {
        Some(rest) if rest.starts_with('/') => (&host.share.tree, rest.to_string()),
        _ => (&host.local, p.to_string()),
    }
}

/// `p` relative to mount point `dest` (`/` for the mount root), if `p` is at or below it.
pub(crate) fn below(p: &str, dest: &str) -> Option<String> {
    if p == dest {
        return Some("/".to_string());
    }
    p.strip_prefix(dest)
        .filter(|rest| rest.starts_with('/'))
        .map(str::to_string)
}

/// One container's namespace, as its processes see it now.
pub(crate) struct Ns<'w> {
    pub world: &'w World,
    pub container: &'w Container,
    pub mounts: Vec<NsMount>,
    /// The procfs at `/proc` while the container runs, as the engine makes it: built on the
    /// first look below `/proc`, since most views never go there.
    proc: OnceCell<Option<Tree>>,
    /// `created_by` of each image layer (bottom first).
    pub history: Vec<String>,
}

/// Where a path of the namespace lives.
pub(crate) struct Routed<'w> {
    pub store: &'w dyn Store,
    /// The path inside `store`.
    pub rel: String,
    /// The mount serving it, by index into [`Ns::mounts`].
    pub mount: Option<usize>,
    /// It is in the procfs at `/proc`.
    pub proc: bool,
}

impl<'w> Ns<'w> {
    pub(crate) fn new(world: &'w World, reference: &str) -> Result<Ns<'w>, ViewError> {
        let container = world
            .find_container(reference)
            .map_err(|_| ViewError::NoSuchContainer(reference.to_string()))?;
        Ok(Ns {
            world,
            container,
            mounts: container.ns_mounts(false),
            proc: OnceCell::new(),
            history: image_history(world, &container.image_id),
        })
    }

    /// The store and path serving canonical `p`; `None` if its mount's backing is gone.
    pub(crate) fn route(&self, p: &str) -> Option<Routed<'_>> {
        if let (Some(proc), Some(rel)) = (self.proc(), below(p, "/proc")) {
            return Some(Routed {
                store: proc,
                rel,
                mount: None,
                proc: true,
            });
        }
        let best = self
            .mounts
            .iter()
            .enumerate()
            .filter_map(|(i, m)| below(p, &m.destination).map(|rest| (i, m, rest)))
            .max_by_key(|(_, m, _)| m.destination.len());
        let Some((i, m, rest)) = best else {
            return Some(Routed {
                store: &self.container.rootfs,
                rel: p.to_string(),
                mount: None,
                proc: false,
            });
        };
        let (store, rel): (&dyn Store, String) = match &m.backing {
            MountBacking::Volume(name) => (&self.world.volumes().volumes.get(name)?.data, rest),
            MountBacking::Host(source) => host_store(self.world.host(), &rebase(source, &rest)),
            MountBacking::Tmpfs => (self.container.tmpfs.get(&m.destination)?, rest),
            MountBacking::Managed(name) => {
                (&self.container.managed, rebase(&format!("/{name}"), &rest))
            }
        };
        Some(Routed {
            store,
            rel,
            mount: Some(i),
            proc: false,
        })
    }

    /// What backs `p`, given how it routes: the engine's own answer, without `&mut World`.
    pub(crate) fn backs(&self, p: &str, routed: &Routed<'_>) -> Option<Backs> {
        if routed.proc {
            return Some(Backs::Proc);
        }
        if let Some(i) = routed.mount {
            let m = &self.mounts[i];
            return Some(match &m.backing {
                MountBacking::Volume(name) => Backs::Volume {
                    name: name.clone(),
                    anonymous: self
                        .world
                        .volumes()
                        .get(name)
                        .map(|v| v.meta.is_anonymous())
                        .unwrap_or(false),
                    destination: m.destination.clone(),
                },
                MountBacking::Host(source) => {
                    let host_path = rebase(source, &below(p, &m.destination)?);
                    Backs::Bind {
                        network_share: Host::is_on_share(&host_path),
                        host_path,
                        destination: m.destination.clone(),
                    }
                }
                MountBacking::Tmpfs => Backs::Tmpfs {
                    destination: m.destination.clone(),
                },
                MountBacking::Managed(file) => Backs::DockerManaged { file: file.clone() },
            });
        }
        let prov = self.container.rootfs.provenance(p)?;
        Some(self.union_backs(&prov))
    }

    /// [`Backs`] of a root filesystem path from its provenance. A directory merged from the
    /// init layer and image layers is shown from the image layer below: the init layer only
    /// adds placeholders to it (and a copy-up of it is "from" that image layer).
    pub(crate) fn union_backs(&self, prov: &Provenance) -> Backs {
        let init = self.init_index();
        let below_init = || {
            prov.merged.iter().find_map(|b| match b {
                Backing::Layer(i) if *i != init => Some(*i),
                _ => None,
            })
        };
        match prov.backing {
            Backing::Upper => Backs::WritableLayer {
                copied_up_from: match prov.copied_up_from {
                    Some(i) if i == init => below_init().or(Some(i)),
                    other => other,
                },
            },
            Backing::Layer(i) if i == init => match below_init() {
                Some(j) => self.layer_backs(j),
                None => Backs::InitLayer,
            },
            Backing::Layer(i) => self.layer_backs(i),
        }
    }

    /// The index of the init layer among the root filesystem's lower layers.
    pub(crate) fn init_index(&self) -> usize {
        self.container.rootfs.lowers().len().saturating_sub(1)
    }

    /// [`Backs`] of lower layer `i` of the root filesystem.
    pub(crate) fn layer_backs(&self, i: usize) -> Backs {
        if i == self.init_index() {
            Backs::InitLayer
        } else {
            Backs::ImageLayer {
                index: i,
                created_by: self.history.get(i).cloned().unwrap_or_default(),
            }
        }
    }

    /// Whether `p` is a mount point (Docker's files included).
    pub(crate) fn is_mount_point(&self, p: &str) -> bool {
        (p == "/proc" && self.running()) || self.mounts.iter().any(|m| m.destination == p)
    }

    /// Whether the container runs: only then is procfs mounted at `/proc`.
    fn running(&self) -> bool {
        self.container.state.status == Status::Running
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

/// `created_by` of each filesystem layer of image `id`, bottom first.
pub(crate) fn image_history(world: &World, id: &str) -> Vec<String> {
    world
        .images()
        .images
        .get(id)
        .map(|img| {
            img.layer_history()
                .into_iter()
                .map(|h| h.created_by.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// Where Docker keeps a container's own file `name` on the host.
pub(crate) fn managed_source(container_id: &str, name: &str) -> String {
    format!("/var/lib/docker/containers/{container_id}/{name}")
}
