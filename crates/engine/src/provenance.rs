//! What backs a path in a container, and what it hides: the answer to "where does this file
//! really live?" that `ls` cannot give.

use layerbox_fstree::{resolve, Backing, Cred, FileType, HiddenBy, Provenance, Store};
use serde::{Deserialize, Serialize};

use crate::container::MountOrigin;
use crate::error::EngineError;
use crate::host::Host;
use crate::mount_spec::MountType;
use crate::namespace::MountBacking;
use crate::routing::{Route, Routing};
use crate::world::World;

/// The storage a path lives on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Backs {
    /// Image layer `index` (0 = bottom), made by `created_by`.
    ImageLayer { index: usize, created_by: String },
    /// The init layer's placeholders (`/.dockerenv`, `/etc/mtab`, ...).
    InitLayer,
    /// The container's writable layer; `copied_up_from` names the image layer it was copied
    /// from before it changed.
    WritableLayer { copied_up_from: Option<usize> },
    /// A volume mounted at `destination`.
    Volume {
        name: String,
        anonymous: bool,
        destination: String,
    },
    /// A host path bind-mounted at `destination`.
    Bind {
        host_path: String,
        network_share: bool,
        destination: String,
    },
    /// A tmpfs mounted at `destination`.
    Tmpfs { destination: String },
    /// A file Docker writes for the container (`/etc/hostname`, `/etc/hosts`, `/etc/resolv.conf`).
    DockerManaged { file: String },
    /// The kernel's process filesystem, which Docker mounts at `/proc` while the container runs.
    Proc,
}

/// An entry that exists below the union or below a mount but that the container cannot see.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HiddenEntry {
    pub name: String,
    pub kind: FileType,
    pub why: HiddenWhy,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HiddenWhy {
    /// Deleted in the container (or a higher image layer): a whiteout in `layer` hides it.
    Whiteout { from_layer: usize, by: Backing },
    /// Its directory was removed and made again (opaque directory).
    Opaque { from_layer: usize, by: Backing },
    /// A same-named entry higher up replaces it.
    Shadowed { from_layer: usize, by: Backing },
    /// A mount at the directory obscures the root filesystem's entry.
    Mount {
        destination: String,
        origin: MountOrigin,
    },
}

impl World {
    /// What backs `path` (not following a final symlink) in the container, as its processes see
    /// it. A path of the root filesystem is named by the layer that serves it (the init layer
    /// for its placeholder directories too, unlike [`Routing::backs`]).
    pub fn provenance(
        &mut self,
        container: &str,
        path: &str,
    ) -> Result<Option<Backs>, EngineError> {
        let id = self.container_id(container)?;
        let canonical = self.with_container_fs(&id, false, |ns| {
            resolve(&*ns, &Cred::root(), path, false)
                .ok()
                .filter(|r| r.stat.is_some())
                .map(|r| r.path)
        })?;
        let Some(p) = canonical else { return Ok(None) };
        let ns = self.routing(&id)?;
        if let Some(backs) = ns.mounted_backs(&p) {
            return Ok(Some(backs));
        }
        Ok(ns
            .container()
            .rootfs
            .provenance(&p)
            .map(|prov| match prov.backing {
                Backing::Upper => Backs::WritableLayer {
                    copied_up_from: prov.copied_up_from,
                },
                Backing::Layer(i) => ns.layer_backs(i),
            }))
    }

    /// The entries under directory `dir` (canonical) that the container cannot see: deleted or
    /// replaced image files, and what a mount at `dir` obscures.
    pub fn hidden(&self, container: &str, dir: &str) -> Result<Vec<HiddenEntry>, EngineError> {
        let c = self.find_container(container)?;
        let mut out = Vec::new();
        if let Some(m) = c.mounts.iter().find(|m| {
            m.destination == dir
                && (m.kind != MountType::Tmpfs
                    || c.state.status == crate::container::Status::Running)
        }) {
            for e in c.rootfs.entries(dir).unwrap_or_default() {
                out.push(HiddenEntry {
                    name: e.name,
                    kind: e.kind,
                    why: HiddenWhy::Mount {
                        destination: dir.to_string(),
                        origin: m.origin,
                    },
                });
            }
            return Ok(out);
        }
        for h in c.rootfs.hidden(dir) {
            let why = match h.by {
                HiddenBy::Whiteout(by) => HiddenWhy::Whiteout {
                    from_layer: h.layer,
                    by,
                },
                HiddenBy::Opaque(by) => HiddenWhy::Opaque {
                    from_layer: h.layer,
                    by,
                },
                HiddenBy::Shadowed(by) => HiddenWhy::Shadowed {
                    from_layer: h.layer,
                    by,
                },
            };
            out.push(HiddenEntry {
                name: h.name,
                kind: h.kind,
                why,
            });
        }
        Ok(out)
    }
}

impl Routing<'_> {
    /// What backs canonical `p` as the views show it (`None` if nothing is there).
    pub fn backs(&self, p: &str) -> Option<Backs> {
        if let Some(backs) = self.mounted_backs(p) {
            return Some(backs);
        }
        let prov = self.container().rootfs.provenance(p)?;
        Some(self.union_backs(&prov))
    }

    /// What backs canonical `p` when procfs or a mount serves it; `None` for the root filesystem.
    fn mounted_backs(&self, p: &str) -> Option<Backs> {
        let (i, host_path) = match self.route_of(p) {
            Route::Root => return None,
            Route::Proc(_) => return Some(Backs::Proc),
            Route::Mount(i, rel) => (i, rel),
        };
        let m = &self.mounts()[i];
        Some(match &m.backing {
            MountBacking::Volume(name) | MountBacking::Nfs { volume: name, .. } => Backs::Volume {
                name: name.clone(),
                anonymous: self
                    .world()
                    .volumes
                    .get(name)
                    .map(|v| v.meta.is_anonymous())
                    .unwrap_or(false),
                destination: m.destination.clone(),
            },
            MountBacking::Host(_) => Backs::Bind {
                network_share: Host::is_on_share(&host_path),
                host_path,
                destination: m.destination.clone(),
            },
            MountBacking::Tmpfs => Backs::Tmpfs {
                destination: m.destination.clone(),
            },
            MountBacking::Managed(file) => Backs::DockerManaged { file: file.clone() },
        })
    }

    /// [`Backs`] of a root filesystem path from its provenance, as the views show it. A
    /// directory merged from the init layer and image layers is shown from the image layer
    /// below: the init layer only adds placeholders to it (and a copy-up of it is "from" that
    /// image layer).
    pub fn union_backs(&self, prov: &Provenance) -> Backs {
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
    pub fn init_index(&self) -> usize {
        self.container().rootfs.lowers().len().saturating_sub(1)
    }

    /// [`Backs`] of lower layer `i` of the root filesystem.
    pub fn layer_backs(&self, i: usize) -> Backs {
        if i == self.init_index() {
            Backs::InitLayer
        } else {
            Backs::ImageLayer {
                index: i,
                created_by: self.history().get(i).cloned().unwrap_or_default(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::CreateRequest;
    use layerbox_fstree::FileSystem;

    fn started(w: &mut World, req: CreateRequest) -> String {
        let id = w.create_container(&req).expect("create");
        w.start_container(&id).expect("start");
        id
    }

    #[test]
    fn provenance_names_layer_writable_layer_volume_and_docker_files() {
        let mut w = World::new().expect("world");
        let id = started(
            &mut w,
            CreateRequest {
                image: "diamol/ch06-todo-list".into(),
                ..Default::default()
            },
        );
        assert!(matches!(
            w.provenance(&id, "/etc/passwd"),
            Ok(Some(Backs::ImageLayer { index: 0, .. }))
        ));
        assert!(
            matches!(w.provenance(&id, "/app/start.sh"), Ok(Some(Backs::ImageLayer { index: 1, ref created_by })) if created_by.contains("COPY"))
        );
        assert!(matches!(
            w.provenance(&id, "/data"),
            Ok(Some(Backs::Volume {
                anonymous: true,
                ..
            }))
        ));
        assert_eq!(w.provenance(&id, "/proc/mounts"), Ok(Some(Backs::Proc)));
        assert!(matches!(
            w.provenance(&id, "/etc/hostname"),
            Ok(Some(Backs::DockerManaged { .. }))
        ));
        assert!(matches!(
            w.provenance(&id, "/.dockerenv"),
            Ok(Some(Backs::InitLayer))
        ));
        let now = w.now();
        w.with_container_fs(&id, false, |fs| {
            fs.append_file(&Cred::root(), "/etc/motd", b"x", 0o644, now)
        })
        .expect("c")
        .expect("append");
        assert_eq!(
            w.provenance(&id, "/etc/motd"),
            Ok(Some(Backs::WritableLayer {
                copied_up_from: Some(0)
            }))
        );
        assert_eq!(w.provenance(&id, "/nope"), Ok(None));
    }

    #[test]
    fn hidden_lists_what_a_mount_obscures_and_what_was_deleted() {
        let mut w = World::new().expect("world");
        let id = started(
            &mut w,
            CreateRequest {
                image: "diamol/ch06-bind-mount".into(),
                binds: vec!["/srv:/init".into()],
                ..Default::default()
            },
        );
        let hidden = w.hidden(&id, "/init").expect("hidden");
        let names: Vec<&str> = hidden.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(names, ["abc.txt", "def.txt"]);
        let now = w.now();
        w.with_container_fs(&id, false, |fs| fs.unlink(&Cred::root(), "/etc/motd", now))
            .expect("c")
            .expect("rm");
        let gone = w.hidden(&id, "/etc").expect("hidden");
        assert!(
            gone.iter()
                .any(|h| h.name == "motd" && matches!(h.why, HiddenWhy::Whiteout { .. })),
            "{gone:?}"
        );
    }
}
