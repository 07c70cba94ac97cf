//! The mount points and bind sources a container's start (and `docker cp`'s mount of a
//! stopped container) makes: `-v` bind sources missing on the host are made as root-owned
//! directories, and each mount point is made in the writable layer (a file for a single-file
//! bind), once.

use layerbox_fstree::{Cred, FileSystem, FileType, Meta, NewNode, Store};

use crate::change::Change;
use crate::container::{MountOrigin, MountPoint, Status};
use crate::error::EngineError;
use crate::mount_spec::MountType;
use crate::world::{no_such_container, World};

impl World {
    /// `-v` bind sources that do not exist are made on the host (root-owned directories);
    /// a `--mount` bind's missing source is an error.
    pub(crate) fn make_bind_sources(
        &mut self,
        mounts: &[MountPoint],
        now: u64,
    ) -> Result<(), EngineError> {
        let root = Cred::root();
        for m in mounts.iter().filter(|m| m.kind == MountType::Bind) {
            if !self.host.exists(&root, &m.source) {
                if m.origin == MountOrigin::MountFlag {
                    return Err(EngineError::invalid(format!(
                        "invalid mount config for type \"bind\": bind source path does not exist: {}",
                        m.source
                    )));
                }
                self.host
                    .mkdir_all(&root, &m.source, 0o755, now)
                    .map_err(|e| {
                        EngineError::system(format!(
                            "error while creating mount source path '{}': mkdir {}: {}",
                            m.source,
                            m.source,
                            e.go_text()
                        ))
                    })?;
                self.changes.push(Change::HostDirCreated {
                    path: m.source.clone(),
                });
            }
        }
        Ok(())
    }

    /// The mount points of container `id` are made in its writable layer, once (a start), or
    /// for every mount but tmpfs without marking them made (`docker cp`'s mount).
    pub(crate) fn make_mount_points(
        &mut self,
        id: &str,
        mounts: &[MountPoint],
        for_start: bool,
        now: u64,
    ) -> Result<(), EngineError> {
        let root = Cred::root();
        let Some(container) = self.containers.get_mut(id) else {
            return Err(no_such_container(id));
        };
        if !container.state.mountpoints_made {
            for m in mounts
                .iter()
                .filter(|m| for_start || m.kind != MountType::Tmpfs)
            {
                if container.rootfs.node(&m.destination).is_some() {
                    continue;
                }
                let source_is_file = m.kind == MountType::Bind
                    && self
                        .host
                        .stat(&root, &m.source)
                        .map(|s| s.kind == FileType::File)
                        .unwrap_or(false);
                let made = if source_is_file {
                    let parent = layerbox_fstree::path::split(&m.destination)
                        .map(|(p, _)| p.to_string())
                        .unwrap_or_default();
                    container
                        .rootfs
                        .mkdir_all(&root, &parent, 0o755, now)
                        .and_then(|_| {
                            container.rootfs.insert(
                                &m.destination,
                                NewNode::File(Default::default()),
                                Meta::new(0o755, 0, 0, now),
                                now,
                            )
                        })
                } else {
                    container
                        .rootfs
                        .mkdir_all(&root, &m.destination, 0o755, now)
                };
                if made.is_ok() {
                    self.changes.push(Change::MountPointCreated {
                        container: id.to_string(),
                        destination: m.destination.clone(),
                    });
                }
            }
            for event in container.rootfs.take_events() {
                self.changes.push(Change::Layer {
                    container: id.to_string(),
                    event,
                });
            }
            container.state.mountpoints_made = for_start;
        }
        Ok(())
    }

    /// What `docker cp` does to a container that is not running before it reads or writes
    /// (the daemon mounts its volumes and binds, so the mount points are made, and a `-v`
    /// bind's missing source too); errors are left to the copy itself.
    pub fn mount_for_cp(&mut self, id: &str) {
        let now = self.now();
        let Some(container) = self.containers.get(id) else {
            return;
        };
        if container.state.status == Status::Running {
            return;
        }
        let mounts = container.mounts.clone();
        if self.make_bind_sources(&mounts, now).is_ok() {
            let _ = self.make_mount_points(id, &mounts, false, now);
        }
    }
}

/// Copies the tree below `from` in `src` into directory `to` of `dst` (content, owner, mode,
/// mtime, symlinks); returns how many entries were copied. Emulation note: hard links inside
/// the copied tree become separate files.
pub(crate) fn copy_tree(
    src: &dyn Store,
    from: &str,
    dst: &mut dyn Store,
    to: &str,
    now: u64,
) -> usize {
    let mut count = 0;
    let mut stack = vec![(from.to_string(), to.to_string())];
    while let Some((s, d)) = stack.pop() {
        let Ok(entries) = src.entries(&s) else {
            continue;
        };
        for e in entries {
            let sp = layerbox_fstree::path::join(&s, &e.name);
            let dp = layerbox_fstree::path::join(&d, &e.name);
            let Some(st) = src.node(&sp) else { continue };
            let node = match st.kind {
                FileType::Dir => NewNode::Dir,
                FileType::File => NewNode::File(src.content(&sp).unwrap_or_default()),
                FileType::Symlink => NewNode::Symlink(src.link_target(&sp).unwrap_or_default()),
                FileType::CharDev => match st.rdev {
                    Some(device) => NewNode::Device(device),
                    None => continue,
                },
            };
            if dst.insert(&dp, node, st.meta(), now).is_ok() {
                count += 1;
                if st.kind == FileType::Dir {
                    stack.push((sp, dp));
                }
            }
        }
    }
    count
}
