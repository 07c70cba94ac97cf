//! Goal predicates: statements about the Docker host's state (containers, mounts, files,
//! volumes, images, layers) that a step's goal or a hint's trigger makes, and their evaluation
//! over a [`Session`] through the engine's public API. A predicate never looks at the command
//! typed, so any way of reaching the state counts.
//!
//! In a lesson file a goal is a TOML value with one key naming the predicate:
//! `{ container_running = "todo1" }`, `{ all = [ ... ] }`,
//! `{ volume_mount = { container = "todo1", destination = "/data", volume = "todo-list" } }`.

use layerbox_engine::container::{Container, Status};
use layerbox_engine::mount_spec::MountType;
use layerbox_engine::provenance::Backs;
use layerbox_engine::world::World;
use layerbox_fstree::{ChangeKind, Cred, FileSystem, FileType, Store, Union};
use layerbox_session::Session;

mod def;

pub use def::{Backing, DiffKind, Goal, Kind};

impl Backing {
    fn matches(self, backs: &Backs) -> bool {
        match (self, backs) {
            (Backing::ImageLayer, Backs::ImageLayer { .. }) => true,
            (Backing::InitLayer, Backs::InitLayer) => true,
            (Backing::WritableLayer, Backs::WritableLayer { .. }) => true,
            (Backing::CopiedUp, Backs::WritableLayer { copied_up_from }) => {
                copied_up_from.is_some()
            }
            (Backing::Volume, Backs::Volume { .. }) => true,
            (Backing::AnonymousVolume, Backs::Volume { anonymous, .. }) => *anonymous,
            (Backing::LocalBind, Backs::Bind { network_share, .. }) => !network_share,
            (Backing::NetworkBind, Backs::Bind { network_share, .. }) => *network_share,
            (Backing::Tmpfs, Backs::Tmpfs { .. }) => true,
            (Backing::DockerManaged, Backs::DockerManaged { .. }) => true,
            _ => false,
        }
    }
}

impl DiffKind {
    fn matches(self, kind: ChangeKind) -> bool {
        matches!(
            (self, kind),
            (DiffKind::Added, ChangeKind::Add)
                | (DiffKind::Changed, ChangeKind::Modify)
                | (DiffKind::Deleted, ChangeKind::Delete)
        )
    }
}

impl Kind {
    fn matches(self, kind: FileType) -> bool {
        matches!(
            (self, kind),
            (Kind::File, FileType::File)
                | (Kind::Dir, FileType::Dir)
                | (Kind::Symlink, FileType::Symlink)
        )
    }
}

impl Goal {
    /// Whether the statement holds in the session's current state. Reads only: the session
    /// (its change events, the network share's counters) is left as it was.
    pub fn holds(&self, session: &Session) -> bool {
        let world = session.world();
        match self {
            Goal::All(goals) => goals.iter().all(|g| g.holds(session)),
            Goal::Any(goals) => goals.iter().any(|g| g.holds(session)),
            Goal::Not(goal) => !goal.holds(session),

            Goal::ContainerExists(c) => container(world, c).is_some(),
            Goal::ContainerRunning(c) => {
                container(world, c).is_some_and(|c| c.state.status == Status::Running)
            }
            Goal::ContainerStopped(c) => {
                container(world, c).is_some_and(|c| c.state.status != Status::Running)
            }
            Goal::ContainerRemoved(c) => container(world, c).is_none(),
            Goal::ContainerCommand {
                container: c,
                program,
            } => container(world, c).is_some_and(|c| {
                c.config.entrypoint.iter().chain(&c.config.cmd).next() == Some(program)
            }),
            Goal::ContainerRestarted(c) => container(world, c).is_some_and(|c| {
                c.state.status == Status::Running && c.state.finished_at.is_some()
            }),
            Goal::ContainerImage {
                container: c,
                image,
            } => match (container(world, c), world.images().find(image)) {
                (Some(c), Some(image)) => c.image_id == image.id,
                _ => false,
            },
            Goal::LogsContain { container: c, text } => container(world, c)
                .and_then(|c| session.world().logs(&c.id))
                .is_some_and(|log| log.text().contains(text.as_str())),

            Goal::VolumeMount {
                container: c,
                destination,
                volume,
                anonymous,
                read_only,
            } => container(world, c).is_some_and(|c| {
                c.mounts.iter().any(|m| {
                    m.kind == MountType::Volume
                        && same_path(&m.destination, destination)
                        && volume.as_ref().is_none_or(|v| &m.name == v)
                        && anonymous.is_none_or(|a| volume_is_anonymous(world, &m.name) == a)
                        && read_only.is_none_or(|ro| m.rw != ro)
                })
            }),
            Goal::BindMount {
                container: c,
                destination,
                source,
                read_only,
            } => container(world, c).is_some_and(|c| {
                c.mounts.iter().any(|m| {
                    m.kind == MountType::Bind
                        && same_path(&m.destination, destination)
                        && source.as_ref().is_none_or(|s| same_path(&m.source, s))
                        && read_only.is_none_or(|ro| m.rw != ro)
                })
            }),
            Goal::TmpfsMount {
                container: c,
                destination,
            } => container(world, c).is_some_and(|c| {
                c.mounts
                    .iter()
                    .any(|m| m.kind == MountType::Tmpfs && same_path(&m.destination, destination))
            }),
            Goal::Mounted {
                container: c,
                destination,
            } => container(world, c).is_some_and(|c| {
                c.mounts
                    .iter()
                    .any(|m| same_path(&m.destination, destination))
            }),
            Goal::SameVolume {
                containers,
                destination,
            } => {
                let names: Option<Vec<&str>> = containers
                    .iter()
                    .map(|c| {
                        container(world, c)?
                            .mounts
                            .iter()
                            .find(|m| {
                                m.kind == MountType::Volume
                                    && same_path(&m.destination, destination)
                            })
                            .map(|m| m.name.as_str())
                    })
                    .collect();
                names.is_some_and(|n| !n.is_empty() && n.iter().all(|v| *v == n[0]))
            }

            Goal::PathExists {
                container: c,
                path,
                contains,
            } => in_container(world, c, |fs| exists_with(fs, path, contains.as_deref()))
                .unwrap_or(false),
            Goal::PathAbsent { container: c, path } => {
                in_container(world, c, |fs| fs.lstat(&Cred::root(), path).is_err()).unwrap_or(false)
            }
            Goal::PathBacking {
                container: c,
                path,
                backing,
            } => container(world, c).is_some_and(|c| {
                let mut scratch = world.clone();
                matches!(scratch.provenance(&c.id, path), Ok(Some(b)) if backing.matches(&b))
            }),
            Goal::Diff {
                container: c,
                path,
                kind,
            } => container(world, c)
                .and_then(|c| world.diff(&c.id).ok())
                .is_some_and(|changes| {
                    changes.iter().any(|ch| {
                        same_path(&ch.path, path) && kind.is_none_or(|k| k.matches(ch.kind))
                    })
                }),

            Goal::HostPath {
                path,
                kind,
                owner,
                contains,
            } => {
                // A copy: reading the network share counts operations on the original.
                let host = world.host().clone();
                let root = Cred::root();
                host.lstat(&root, path).is_ok_and(|st| {
                    kind.is_none_or(|k| k.matches(st.kind))
                        && owner.is_none_or(|uid| st.uid == uid)
                        && contains
                            .as_deref()
                            .is_none_or(|text| file_contains(&host, path, text))
                })
            }
            Goal::HostPathAbsent(path) => world.host().clone().lstat(&Cred::root(), path).is_err(),

            Goal::VolumeExists(name) => world.volumes().get(name).is_ok(),
            Goal::AnonymousVolumesAtLeast(n) => {
                world
                    .volumes()
                    .volumes
                    .values()
                    .filter(|v| v.meta.is_anonymous())
                    .count()
                    >= *n
            }
            Goal::VolumeContains {
                volume,
                path,
                contains,
            } => world
                .volumes()
                .volumes
                .values()
                .filter(|v| volume.as_ref().is_none_or(|name| &v.meta.name == name))
                .any(|v| exists_with(&v.data, path, contains.as_deref())),

            Goal::ImageExists(image) => world.images().find(image).is_some(),
            Goal::ImageFile {
                image,
                path,
                contains,
            } => world.images().find(image).is_some_and(|img| {
                let view = Union::new(img.layers.clone());
                exists_with(&view, path, contains.as_deref())
            }),
        }
    }

    /// Every goal inside this one, this one first (for checks over a whole lesson).
    pub fn walk(&self) -> Vec<&Goal> {
        let mut out = vec![self];
        match self {
            Goal::All(goals) | Goal::Any(goals) => {
                for g in goals {
                    out.extend(g.walk());
                }
            }
            Goal::Not(g) => out.extend(g.walk()),
            _ => {}
        }
        out
    }
}

/// The container named `name` (a leading `/`, as `inspect` shows names, is allowed).
fn container<'w>(world: &'w World, name: &str) -> Option<&'w Container> {
    let name = name.strip_prefix('/').unwrap_or(name);
    world.containers().values().find(|c| c.name == name)
}

fn volume_is_anonymous(world: &World, name: &str) -> bool {
    world
        .volumes()
        .get(name)
        .is_ok_and(|v| v.meta.is_anonymous())
}

/// Paths compared without a trailing slash (`/data/` is `/data`).
fn same_path(a: &str, b: &str) -> bool {
    let trim = |p: &str| -> String {
        let t = p.trim_end_matches('/');
        if t.is_empty() {
            "/".to_string()
        } else {
            t.to_string()
        }
    };
    trim(a) == trim(b)
}

/// Runs `f` over the container's files as its processes see them, on a copy of the world so
/// that reading records no events. `None` if there is no such container.
fn in_container<R>(world: &World, name: &str, f: impl FnOnce(&dyn Store) -> R) -> Option<R> {
    let id = container(world, name)?.id.clone();
    let mut scratch = world.clone();
    scratch.with_container_fs(&id, false, |ns| f(&*ns)).ok()
}

/// Whether `path` exists in `fs` (not following a final symlink) and, with `contains`, is a
/// file whose content contains that text.
fn exists_with(fs: &dyn Store, path: &str, contains: Option<&str>) -> bool {
    let root = Cred::root();
    match contains {
        None => fs.lstat(&root, path).is_ok(),
        Some(text) => file_contains(fs, path, text),
    }
}

fn file_contains(fs: &dyn Store, path: &str, text: &str) -> bool {
    fs.read_file(&Cred::root(), path)
        .is_ok_and(|bytes| String::from_utf8_lossy(&bytes).contains(text))
}
