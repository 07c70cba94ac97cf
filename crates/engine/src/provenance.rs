//! What backs a path in a container, and what it hides: the answer to "where does this file
//! really live?" that `ls` cannot give.

use layerbox_fstree::{resolve, Backing, Cred, FileType, HiddenBy, Store};
use serde::{Deserialize, Serialize};

use crate::container::{MountOrigin, Status};
use crate::error::EngineError;
use crate::host::Host;
use crate::mount_spec::MountType;
use crate::namespace::MountBacking;
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
    /// What backs `path` (not following a final symlink) in the container, as its processes see it.
    pub fn provenance(
        &mut self,
        container: &str,
        path: &str,
    ) -> Result<Option<Backs>, EngineError> {
        let id = self.container_id(container)?;
        let c = &self.containers[&id];
        let history: Vec<String> = self
            .images
            .images
            .get(&c.image_id)
            .map(|img| {
                img.layer_history()
                    .into_iter()
                    .map(|h| h.created_by.clone())
                    .collect()
            })
            .unwrap_or_default();
        let init_index = c.rootfs.lowers().len().saturating_sub(1);
        let mounts = c.ns_mounts(false);
        let canonical = self.with_container_fs(&id, false, |ns| {
            resolve(&*ns, &Cred::root(), path, false)
                .ok()
                .filter(|r| r.stat.is_some())
                .map(|r| r.path)
        })?;
        let Some(p) = canonical else { return Ok(None) };
        let c = &self.containers[&id];
        if c.state.status == Status::Running && (p == "/proc" || p.starts_with("/proc/")) {
            return Ok(Some(Backs::Proc));
        }
        let mount = mounts
            .iter()
            .filter(|m| p == m.destination || p.starts_with(&format!("{}/", m.destination)))
            .max_by_key(|m| m.destination.len());
        if let Some(m) = mount {
            return Ok(Some(match &m.backing {
                MountBacking::Volume(name) => Backs::Volume {
                    name: name.clone(),
                    anonymous: self
                        .volumes
                        .get(name)
                        .map(|v| v.meta.is_anonymous())
                        .unwrap_or(false),
                    destination: m.destination.clone(),
                },
                MountBacking::Host(source) => {
                    let rest = p.strip_prefix(&m.destination).unwrap_or("");
                    let host_path = format!("{source}{rest}");
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
            }));
        }
        let Some(prov) = c.rootfs.provenance(&p) else {
            return Ok(None);
        };
        Ok(Some(match prov.backing {
            Backing::Upper => Backs::WritableLayer {
                copied_up_from: prov.copied_up_from,
            },
            Backing::Layer(i) if i == init_index => Backs::InitLayer,
            Backing::Layer(i) => Backs::ImageLayer {
                index: i,
                created_by: history.get(i).cloned().unwrap_or_default(),
            },
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
