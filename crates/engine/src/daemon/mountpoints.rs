//! The mount points and bind sources a container's start (and `docker cp`'s mount of a
//! stopped container) makes: `-v` bind sources missing on the host are made as root-owned
//! directories, and each mount point is made in the writable layer (a file for a single-file
//! bind), once.

use layerbox_fstree::{Cred, FileSystem, FileType, Meta, NewNode, Store};

use crate::change::Change;
use crate::container::{Container, MountOrigin, MountPoint, Status};
use crate::error::EngineError;
use crate::mount_spec::MountType;
use crate::world::{no_such_container, World};

impl World {
    /// The daemon fills an empty volume from the image at create; an image file where the
    /// volume goes fails the create (recorded: bind-dir-onto-file).
    pub(crate) fn check_volume_fill(&self, container: &Container) -> Result<(), EngineError> {
        for m in container
            .mounts
            .iter()
            .filter(|m| m.kind == MountType::Volume && m.copy_data)
        {
            let fills = self.volumes.volumes.get(&m.name).is_some_and(|vol| {
                vol.is_empty() && matches!(vol.meta.local_kind(), crate::volume::LocalKind::Disk)
            });
            if fills
                && container
                    .rootfs
                    .node(&m.destination)
                    .is_some_and(|st| st.kind == FileType::File)
            {
                return Err(EngineError::system(format!(
                    "source {}{} is not directory",
                    super::workdir::merged_dir(&container.id),
                    m.destination
                )));
            }
        }
        Ok(())
    }

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
        {
            // runc mounts parents first and refuses a directory onto a file or a file onto a
            // directory of the image (recorded: bind-dir-onto-file); so does the daemon's own
            // bind mount of each volume and bind for `docker cp` (moby's mountVolumes, into
            // the container's merged directory; it mounts no tmpfs).
            let mut ordered: Vec<&MountPoint> = mounts
                .iter()
                .filter(|m| for_start || m.kind != MountType::Tmpfs)
                .collect();
            layerbox_order::sort_by_key(&mut ordered, |m| m.destination.matches('/').count());
            for m in ordered {
                // runc follows a symlink inside the root filesystem (`/bin/sh`).
                let Ok(dest) = container.rootfs.stat(&root, &m.destination) else {
                    continue;
                };
                let source_is_dir = match m.kind {
                    MountType::Bind => self
                        .host
                        .stat(&root, &m.source)
                        .map(|s| s.kind == FileType::Dir)
                        .unwrap_or(true),
                    _ => true,
                };
                if source_is_dir != (dest.kind == FileType::Dir) {
                    // MS_BIND | MS_REC, and MS_RDONLY for a read-only one (recorded:
                    // bind-source-gone-while-running).
                    let (source, flags) = match m.kind {
                        MountType::Tmpfs => ("tmpfs".to_string(), "0xe"),
                        _ if !m.rw => (m.source.clone(), "0x5001"),
                        _ => (m.source.clone(), "0x5000"),
                    };
                    let at = &m.destination;
                    if !for_start {
                        return Err(EngineError::system(format!(
                            "mount {source}:{}{at}, flags: {flags}: not a directory",
                            super::workdir::merged_dir(&container.id)
                        )));
                    }
                    return Err(EngineError::system(format!(
                        "failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: error mounting \"{source}\" to rootfs at \"{at}\": mount {source}:{at} (via /proc/self/fd/6), flags: {flags}: not a directory: unknown: Are you trying to mount a directory onto a file (or vice-versa)? Check if the specified host path exists and is the expected type"
                    )));
                }
            }
        }
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

    /// What `docker cp` does to a container before it reads or writes, running or not (the
    /// daemon mounts its volumes and binds into its merged directory, so the mount points are
    /// made, and a `-v` bind's missing source too, even one removed from the host while the
    /// container runs): a directory it cannot mount onto a file of the image, or a file onto
    /// a directory, fails the copy in the daemon's words (recorded:
    /// bind-source-gone-while-running). A `type=tmpfs` volume no running container mounts is
    /// mounted fresh, as a start mounts it (recorded: cp-from-a-tmpfs-volume); call
    /// [`World::unmount_after_cp`] when the copy is done.
    pub fn mount_for_cp(&mut self, id: &str) -> Result<(), EngineError> {
        let now = self.now();
        let Some(container) = self.containers.get(id) else {
            return Ok(());
        };
        let running = container.state.status == Status::Running;
        let mounts = container.mounts.clone();
        // A running container's volumes are mounted already (a tmpfs is not made again).
        if !running {
            self.mount_local_volumes(id, now)?;
        }
        // A bind source that cannot be made fails the copy as it fails a start (recorded:
        // cp-mount-source-error).
        self.make_bind_sources(&mounts, now)?;
        self.make_mount_points(id, &mounts, false, now)
    }

    /// After `docker cp` of a container that is not running: the daemon unmounts its volumes
    /// again, so what was copied into a `type=tmpfs` volume no running container mounts is
    /// gone with the tmpfs (moby's `containerCopy` defers `UnmountVolumes`).
    pub fn unmount_after_cp(&mut self, id: &str) {
        let now = self.now();
        let stopped = self
            .containers
            .get(id)
            .is_some_and(|c| c.state.status != Status::Running);
        if stopped {
            self.unmount_local_volumes(id, now);
        }
    }
}

/// Where an empty volume is filled from the image.
pub(crate) enum Fill {
    /// The volume's own directory.
    Volume,
    /// A host directory (a `type=none o=bind` volume).
    Host(String),
    /// A directory of the file server's share (an NFS volume).
    Share(String),
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
