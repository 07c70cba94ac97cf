//! The whole Docker host at one moment: host filesystem, images, containers, volumes, the
//! logical clock and id generator. Every daemon operation is a method here; cloning a `World`
//! is a cheap snapshot (layers and trees are shared).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use layerbox_fstree::{Cred, FileSystem, FileType, Layer, Store, Union};

use crate::change::Change;
use crate::clock::{Clock, IdGenerator};
use crate::container::{
    init_layer, managed_files, Container, ContainerConfig, ContainerState, HostConfig, MountOrigin,
    MountPoint, PortBinding, Status,
};
use crate::daemon::logs::ContainerLog;
use crate::daemon::ports::{Listener, Published, EPHEMERAL_START};
use crate::error::EngineError;
use crate::host::Host;
use crate::image::{Image, ImageStore};
use crate::mount_spec::{clean_path, parse_mount_raw, validate, MountSpec, MountType};
use crate::namespace::ContainerNs;
use crate::volume::{VolumeCreate, VolumeOrigin, VolumeStore};

/// What `docker create`/`run` asks of the daemon (its `Config` and `HostConfig`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreateRequest {
    pub name: Option<String>,
    pub image: String,
    pub cmd: Option<Vec<String>>,
    pub entrypoint: Option<Vec<String>>,
    pub env: Vec<String>,
    pub working_dir: Option<String>,
    pub user: Option<String>,
    pub labels: BTreeMap<String, String>,
    /// `--hostname`/`-h`.
    pub hostname: Option<String>,
    pub tty: bool,
    pub open_stdin: bool,
    /// The CLI attaches to the output (`create`, `run` without `-d`).
    pub attached: bool,
    /// `-v /path`: anonymous volumes (`Config.Volumes`).
    pub anonymous_volumes: Vec<String>,
    /// `-v SRC:DST[:OPTS]` (`HostConfig.Binds`), parsed by the daemon.
    pub binds: Vec<String>,
    /// `--mount`, parsed by the CLI.
    pub mounts: Vec<MountSpec>,
    /// `--tmpfs DST[:OPTS]`.
    pub tmpfs: Vec<(String, String)>,
    /// `--volumes-from CONTAINER[:ro|rw]`.
    pub volumes_from: Vec<String>,
    pub read_only: bool,
    pub auto_remove: bool,
    pub ports: Vec<PortBinding>,
    /// `--restart`; `None`: `no`.
    pub restart_policy: Option<crate::daemon::restart::RestartPolicy>,
    /// `--health-*` / `--no-healthcheck`; `None`: the image's.
    pub healthcheck: Option<crate::daemon::health::HealthConfig>,
    /// `--network`; empty: `default`.
    pub network_mode: String,
}

/// The whole host's Docker state.
#[derive(Clone, Debug)]
pub struct World {
    pub(crate) clock: Clock,
    pub(crate) ids: IdGenerator,
    pub(crate) host: Host,
    pub(crate) images: ImageStore,
    pub(crate) containers: BTreeMap<String, Container>,
    pub(crate) volumes: VolumeStore,
    /// Init layers by image id: every container of an image shares one.
    init_layers: BTreeMap<String, Arc<Layer>>,
    pub(crate) changes: Vec<Change>,
    /// What each container's processes printed, by full id (`docker logs`). A log is shared by
    /// every copy of the world until one of them writes to it, so a step that logs nothing
    /// copies no log.
    pub(crate) logs: BTreeMap<String, Arc<ContainerLog>>,
    /// Container ids in creation order (`docker ps` lists newest first).
    pub(crate) order: Vec<String>,
    /// The host ports each container's proxy listens on, from its last start.
    pub(crate) ports: BTreeMap<String, Published>,
    /// Where the daemon looks for the next ephemeral host port (`-p 80`).
    pub(crate) next_ephemeral: u16,
    /// The servers each running container's processes started (`httpd -p 80`), by full id.
    pub(crate) listeners: BTreeMap<String, Vec<Listener>>,
    /// The sample images' layers, which the session's storage limit does not count
    /// (`storage.rs`); one list shared by every copy of the world.
    pub(crate) sample_layers: Arc<[Arc<Layer>]>,
}

impl World {
    /// A fresh session: the sample images pulled, no containers, no volumes, an empty home.
    pub fn new() -> Result<World, EngineError> {
        let clock = Clock::default();
        let images = ImageStore::with_samples(clock.now())?;
        Ok(World {
            host: Host::new(clock.now()),
            sample_layers: crate::storage::layers_of(&images).into(),
            images,
            clock,
            ids: IdGenerator::default(),
            containers: BTreeMap::new(),
            volumes: VolumeStore::default(),
            init_layers: BTreeMap::new(),
            changes: Vec::new(),
            logs: BTreeMap::new(),
            order: Vec::new(),
            ports: BTreeMap::new(),
            next_ephemeral: EPHEMERAL_START,
            listeners: BTreeMap::new(),
        })
    }

    pub fn now(&self) -> u64 {
        self.clock.now()
    }

    /// Time passes: a foreground process slept, a build step took a moment, `docker stop`
    /// waited for its timeout.
    pub fn advance_clock(&mut self, seconds: u64) {
        self.clock.advance(seconds);
    }

    /// A fresh 64-hex id from the world's seeded generator (a build step's container, a
    /// network endpoint).
    pub fn next_id(&mut self) -> String {
        self.ids.next_id()
    }

    /// The host: its filesystem and the network share.
    pub fn host(&self) -> &Host {
        &self.host
    }

    /// The host's filesystem for the host's own processes: the terminal's bash and its
    /// programs, the Host panel's editor. What the daemon keeps is not reached through it.
    /// Its writes share what the session's storage limit leaves free (`storage.rs`) until
    /// [`World::end_host_writes`].
    pub fn host_mut(&mut self) -> &mut Host {
        self.lend_host_pool(Some(&self.storage_pool()));
        &mut self.host
    }

    /// The images, by id, with their tags.
    pub fn images(&self) -> &ImageStore {
        &self.images
    }

    /// Every container, by full id.
    pub fn containers(&self) -> &BTreeMap<String, Container> {
        &self.containers
    }

    /// The volumes, by name.
    pub fn volumes(&self) -> &VolumeStore {
        &self.volumes
    }

    /// The events recorded since the last call, oldest first.
    pub fn take_changes(&mut self) -> Vec<Change> {
        std::mem::take(&mut self.changes)
    }

    /// Finds a container by name, full id or unique id prefix (Docker's lookup order).
    pub fn find_container(&self, reference: &str) -> Result<&Container, EngineError> {
        self.container_id(reference).and_then(|id| {
            self.containers
                .get(&id)
                .ok_or_else(|| no_such_container(reference))
        })
    }

    /// The full id of the container `reference` names.
    pub fn container_id(&self, reference: &str) -> Result<String, EngineError> {
        if self.containers.contains_key(reference) {
            return Ok(reference.to_string());
        }
        let name = reference.strip_prefix('/').unwrap_or(reference);
        if let Some(c) = self.containers.values().find(|c| c.name == name) {
            return Ok(c.id.clone());
        }
        if !reference.is_empty() && reference.bytes().all(|b| b.is_ascii_hexdigit()) {
            let mut hits = self
                .containers
                .keys()
                .filter(|id| id.starts_with(reference));
            if let (Some(one), None) = (hits.next(), hits.next()) {
                return Ok(one.clone());
            }
        }
        Err(no_such_container(reference))
    }

    /// `docker create`: the container with its layers and mounts; volumes it names are created,
    /// empty volumes are filled from the image. Returns the new id.
    pub fn create_container(&mut self, req: &CreateRequest) -> Result<String, EngineError> {
        // verifyContainerSettings, before the image is looked up.
        if let Some(dir) = req.working_dir.as_deref() {
            if !dir.is_empty() && !dir.starts_with('/') {
                return Err(EngineError::invalid(format!(
                    "the working directory '{dir}' is invalid, it needs to be an absolute path"
                )));
            }
        }
        if let Some(check) = &req.healthcheck {
            crate::daemon::health::validate(check)?;
        }
        // validateHostConfig: the --mount specs (a bind's source must exist) before the
        // restart policy, and before any volume of the container is made.
        for spec in &req.mounts {
            let host = &self.host;
            validate(spec, |p| host.exists(&Cred::root(), p))?;
        }
        if let Some(policy) = &req.restart_policy {
            policy.validate()?;
        }
        let image = self.images.find(&req.image).cloned().ok_or_else(|| {
            EngineError::not_found(format!(
                "No such image: {}",
                crate::image::normalize_reference(&req.image)
            ))
        })?;
        if let Some(name) = &req.name {
            validate_container_name(name)?;
            if let Some(other) = self.containers.values().find(|c| &c.name == name) {
                return Err(EngineError::conflict(format!(
                    "Conflict. The container name \"/{name}\" is already in use by container \"{}\". You have to remove (or rename) that container to be able to reuse that name.",
                    other.id
                )));
            }
        }
        let id = self.ids.next_id();
        let now = self.now();
        let name = match &req.name {
            Some(n) => n.clone(),
            None => self.generated_name(&id),
        };
        let mounts = self.register_mount_points(req, &image, &id)?;

        let init = self
            .init_layers
            .entry(image.id.clone())
            .or_insert_with(|| Arc::new(init_layer(&image.layers, now)))
            .clone();
        let mut lowers = image.layers.clone();
        lowers.push(init);
        let mut rootfs = Union::new(lowers);
        rootfs.set_read_only(false);
        let config = ContainerConfig {
            image: req.image.clone(),
            cmd: match (&req.cmd, &req.entrypoint) {
                (Some(c), _) => c.clone(),
                (None, Some(_)) => Vec::new(),
                (None, None) => image.config.cmd.clone().unwrap_or_default(),
            },
            entrypoint: req
                .entrypoint
                .clone()
                .unwrap_or_else(|| image.config.entrypoint.clone().unwrap_or_default()),
            env: merge_env(&image.config.env, &req.env),
            hostname: req.hostname.clone().unwrap_or_default(),
            working_dir: req
                .working_dir
                .clone()
                .unwrap_or_else(|| image.config.working_dir.clone()),
            user: req
                .user
                .clone()
                .unwrap_or_else(|| image.config.user.clone()),
            labels: layerbox_order::map(
                image
                    .config
                    .labels
                    .iter()
                    .chain(req.labels.iter())
                    .map(|(k, v)| (k.clone(), v.clone())),
            ),
            tty: req.tty,
            open_stdin: req.open_stdin,
            attached: req.attached,
            volumes: {
                let mut v: Vec<String> = image.config.volumes.clone();
                v.extend(req.anonymous_volumes.iter().cloned());
                layerbox_order::sort(&mut v);
                v.dedup();
                v
            },
            exposed_ports: image.config.exposed_ports.clone(),
            healthcheck: crate::daemon::health::merge(&req.healthcheck, &image.config),
        };
        let host_config = HostConfig {
            binds: req.binds.clone(),
            mounts: req.mounts.clone(),
            tmpfs: req.tmpfs.clone(),
            volumes_from: req.volumes_from.clone(),
            read_only: req.read_only,
            auto_remove: req.auto_remove,
            port_bindings: req.ports.clone(),
            restart_policy: req
                .restart_policy
                .clone()
                .filter(|p| !p.name.is_empty())
                .unwrap_or_default(),
            network_mode: crate::daemon::network::mode_of(&req.network_mode),
        };
        let mut container = Container {
            id: id.clone(),
            name: name.clone(),
            image_id: image.id.clone(),
            created: now,
            config,
            host_config,
            rootfs,
            mounts,
            tmpfs: BTreeMap::new(),
            managed: managed_files(req.hostname.as_deref().unwrap_or(&id[..12]), now),
            state: ContainerState {
                status: Status::Created,
                exit_code: 0,
                started_at: None,
                finished_at: None,
                mountpoints_made: false,
                restarting: false,
                health: None,
                endpoint: None,
                manually_stopped: false,
            },
            restart_count: 0,
        };
        if !container.config.working_dir.is_empty() {
            let dir = clean_path(&container.config.working_dir);
            crate::daemon::workdir::make_at_create(&mut container.rootfs, &id, &dir, now)?;
            container.config.working_dir = dir;
        }
        self.check_volume_fill(&container)?;
        let made = container.rootfs.take_events();
        self.changes.push(Change::ContainerCreated {
            id: id.clone(),
            name,
        });
        self.changes
            .extend(made.into_iter().map(|event| Change::Layer {
                container: id.clone(),
                event,
            }));
        self.containers.insert(id.clone(), container);
        self.order.push(id.clone());
        self.populate_and_reference(&id);
        Ok(id)
    }

    /// moby's `registerMountPoints`: `--volumes-from`, then `-v SRC:DST`, then `--mount`, then
    /// anonymous `-v /DST` and the image's VOLUMEs where nothing else is mounted, then `--tmpfs`.
    fn register_mount_points(
        &mut self,
        req: &CreateRequest,
        image: &Image,
        id: &str,
    ) -> Result<Vec<MountPoint>, EngineError> {
        let mut by_dest: BTreeMap<String, MountPoint> = BTreeMap::new();
        let mut explicit: BTreeSet<String> = BTreeSet::new();
        for spec in &req.volumes_from {
            let (source, mode) = match spec.split_once(':') {
                Some((c, m)) => (c, m),
                None => (spec.as_str(), "rw"),
            };
            if spec.is_empty() {
                return Err(EngineError::invalid(
                    "volumes-from specification cannot be an empty string",
                ));
            }
            let words: Vec<&str> = mode.split(',').collect();
            let known = |w: &&str| ["ro", "rw", "z", "Z"].contains(w);
            if !words.iter().all(known)
                || words.iter().filter(|w| ["ro", "rw"].contains(*w)).count() > 1
            {
                return Err(EngineError::invalid(format!("invalid mode: {mode}")));
            }
            let want_rw = !words.contains(&"ro");
            // moby: an InvalidParameter, so the CLI does not take it for a missing image.
            let from = self
                .find_container(source)
                .map_err(|e| EngineError::invalid(e.message))?
                .clone();
            for m in &from.mounts {
                if m.origin == MountOrigin::TmpfsFlag {
                    continue;
                }
                // A `--mount` tmpfs is a mount point with no source and no volume name: the
                // daemon looks up the volume "" and fails (moby's registerMountPoints, 20.10
                // as now).
                if m.kind == MountType::Tmpfs {
                    return Err(EngineError::not_found("get: no such volume"));
                }
                let mut inherited = m.clone();
                inherited.rw = m.rw && want_rw;
                inherited.mode = String::new();
                inherited.copy_data = false;
                inherited.origin = MountOrigin::VolumesFrom;
                by_dest.insert(m.destination.clone(), inherited);
            }
        }
        for raw in &req.binds {
            let parsed = parse_mount_raw(raw)?;
            let dest = clean_path(&parsed.spec.target);
            if explicit.contains(&dest) {
                return Err(EngineError::invalid(format!(
                    "Duplicate mount point: {dest}"
                )));
            }
            explicit.insert(dest.clone());
            let mp = self.resolve_spec(&parsed.spec, &parsed.mode, MountOrigin::VolumeFlag, id)?;
            by_dest.insert(dest, mp);
        }
        for spec in &req.mounts {
            let host = &self.host;
            validate(spec, |p| host.exists(&Cred::root(), p))?;
            let dest = clean_path(&spec.target);
            if explicit.contains(&dest) {
                return Err(EngineError::invalid(format!(
                    "Duplicate mount point: {}",
                    spec.target
                )));
            }
            explicit.insert(dest.clone());
            let mp = self.resolve_spec(spec, "", MountOrigin::MountFlag, id)?;
            by_dest.insert(dest, mp);
        }
        for (dest, _) in &req.tmpfs {
            if !dest.starts_with('/') {
                // The daemon's check of `--tmpfs` (recorded: tmpfs-size-limit).
                return Err(EngineError::invalid(format!(
                    "invalid mount path: '{dest}' mount path must be absolute"
                )));
            }
            let dest = clean_path(dest);
            if req.binds.iter().any(|b| {
                parse_mount_raw(b)
                    .map(|p| clean_path(&p.spec.target) == dest)
                    .unwrap_or(false)
            }) {
                return Err(EngineError::invalid(format!(
                    "Duplicate mount point: {dest}"
                )));
            }
        }
        let tmpfs_dests: BTreeSet<String> =
            layerbox_order::set(req.tmpfs.iter().map(|(d, _)| clean_path(d)));
        let mut anonymous: Vec<(String, MountOrigin)> = req
            .anonymous_volumes
            .iter()
            .map(|d| (clean_path(d), MountOrigin::AnonymousFlag))
            .collect();
        anonymous.extend(
            image
                .config
                .volumes
                .iter()
                .map(|d| (clean_path(d), MountOrigin::ImageVolume)),
        );
        for (dest, origin) in anonymous {
            if by_dest.contains_key(&dest) || tmpfs_dests.contains(&dest) {
                continue;
            }
            let image_view = Union::new(image.layers.clone());
            if image_view
                .node(&dest)
                .is_some_and(|s| s.kind == FileType::File)
            {
                return Err(EngineError::invalid(format!(
                    "cannot mount volume over existing file, file exists /var/lib/docker/overlay2/{id}/merged{dest}"
                )));
            }
            let spec = MountSpec::new(MountType::Volume, "", &dest);
            let mut mp = self.resolve_spec(&spec, "", origin, id)?;
            mp.mode = String::new();
            by_dest.insert(dest, mp);
        }
        for (dest, options) in &req.tmpfs {
            let dest = clean_path(dest);
            by_dest.insert(
                dest.clone(),
                MountPoint {
                    kind: MountType::Tmpfs,
                    name: String::new(),
                    source: String::new(),
                    destination: dest,
                    driver: String::new(),
                    mode: String::new(),
                    rw: !options.split(',').any(|o| o == "ro"),
                    propagation: String::new(),
                    anonymous: false,
                    copy_data: false,
                    origin: MountOrigin::TmpfsFlag,
                    tmpfs_options: options.clone(),
                    spec: None,
                },
            );
        }
        Ok(by_dest.into_values().collect())
    }

    /// One spec resolved to a mount point; a volume it names is created if missing.
    fn resolve_spec(
        &mut self,
        spec: &MountSpec,
        mode: &str,
        origin: MountOrigin,
        _id: &str,
    ) -> Result<MountPoint, EngineError> {
        let destination = clean_path(&spec.target);
        let mut mp = MountPoint {
            kind: spec.kind.unwrap_or(MountType::Volume),
            name: String::new(),
            source: String::new(),
            destination,
            driver: String::new(),
            mode: mode.to_string(),
            rw: !spec.read_only,
            propagation: String::new(),
            anonymous: spec.source.is_empty(),
            copy_data: !spec.no_copy.unwrap_or(false),
            origin,
            tmpfs_options: String::new(),
            spec: (origin == MountOrigin::MountFlag).then(|| spec.clone()),
        };
        match mp.kind {
            MountType::Bind => {
                mp.source = clean_path(&spec.source);
                mp.propagation = spec
                    .propagation
                    .clone()
                    .unwrap_or_else(|| "rprivate".to_string());
                mp.copy_data = false;
            }
            MountType::Volume => {
                let volume_origin = match origin {
                    MountOrigin::MountFlag => VolumeOrigin::MountFlag,
                    MountOrigin::ImageVolume => VolumeOrigin::ImageVolume,
                    _ => VolumeOrigin::VolumeFlag,
                };
                let create = VolumeCreate {
                    driver: spec.volume_driver.clone(),
                    labels: layerbox_order::map(spec.volume_labels.iter().cloned()),
                    options: layerbox_order::map(spec.volume_options.iter().cloned()),
                };
                let now = self.now();
                let ids = &mut self.ids;
                let (name, created) = self.volumes.create(
                    &spec.source,
                    || ids.next_id(),
                    &create,
                    volume_origin,
                    now,
                )?;
                if created {
                    let anonymous = self
                        .volumes
                        .get(&name)
                        .map(|v| v.meta.is_anonymous())
                        .unwrap_or(false);
                    self.changes.push(Change::VolumeCreated {
                        name: name.clone(),
                        anonymous,
                        origin: volume_origin,
                    });
                }
                mp.source = self
                    .volumes
                    .get(&name)
                    .map(|v| v.meta.mountpoint())
                    .unwrap_or_default();
                mp.name = name;
                mp.driver = "local".to_string();
                // Docker sets the SELinux mode `z` on local volumes a request names, and on
                // every `--mount` volume; anonymous `-v /p` and image VOLUMEs keep "".
                let named_or_mount = !spec.source.is_empty() || origin == MountOrigin::MountFlag;
                if mp.mode.is_empty() && named_or_mount {
                    mp.mode = "z".to_string();
                }
            }
            MountType::Tmpfs => {
                mp.copy_data = false;
                mp.anonymous = false;
                let mut opts = Vec::new();
                if let Some(size) = spec.tmpfs_size {
                    opts.push(format!("size={}", tmpfs_size_text(size)));
                }
                if let Some(m) = spec.tmpfs_mode {
                    opts.push(format!("mode={m:o}"));
                }
                mp.tmpfs_options = opts.join(",");
            }
        }
        Ok(mp)
    }

    /// Takes the container's references on its volumes, fills empty ones from the image, and
    /// notes what each mount hides.
    fn populate_and_reference(&mut self, id: &str) {
        let Some(container) = self.containers.get(id) else {
            return;
        };
        let rootfs = container.rootfs.clone();
        let mounts = container.mounts.clone();
        let now = self.now();
        for m in &mounts {
            let below = rootfs.entries(&m.destination).map(|e| e.len()).unwrap_or(0);
            if m.kind == MountType::Volume {
                let Some(vol) = self.volumes.volumes.get_mut(&m.name) else {
                    continue;
                };
                vol.meta.refs.insert(id.to_string());
                let dir = rootfs.node(&m.destination).filter(|s| s.is_dir());
                // A bind volume is populated in its host directory, an NFS volume in the
                // server's (when that is empty); a tmpfs one in a tmpfs unmounted after.
                // Emulation note: an NFS server that cannot be reached leaves the volume
                // unfilled here; Docker fails the start that mounts it, as layerbox does.
                use crate::daemon::mountpoints::Fill;
                use crate::volume::LocalKind;
                let fill_at = match vol.meta.local_kind() {
                    LocalKind::Disk => Some(Fill::Volume),
                    LocalKind::Bind { device, .. } => Some(Fill::Host(device)),
                    LocalKind::Nfs { device, o } => {
                        crate::nfs::mount(&device, &o, &self.host.share.tree)
                            .ok()
                            .map(|nfs| Fill::Share(nfs.root))
                    }
                    LocalKind::Tmpfs { .. } | LocalKind::Mount { .. } => None,
                };
                let empty = match &fill_at {
                    Some(Fill::Host(device)) => {
                        self.host.entries(device).is_ok_and(|e| e.is_empty())
                    }
                    Some(Fill::Share(root)) => self
                        .host
                        .share
                        .tree
                        .entries(root)
                        .is_ok_and(|e| e.is_empty()),
                    _ => vol.is_empty(),
                };
                if m.copy_data && empty {
                    if let (Some(dir), Some(fill_at)) = (dir, fill_at) {
                        let (store, at): (&mut dyn Store, String) = match fill_at {
                            Fill::Host(device) => (&mut self.host, device),
                            Fill::Share(root) => (&mut self.host.share, root),
                            Fill::Volume => (&mut vol.data, "/".to_string()),
                        };
                        let copied = crate::daemon::mountpoints::copy_tree(
                            &rootfs,
                            &m.destination,
                            store,
                            &at,
                            now,
                        );
                        let _ = store.set_attr(
                            &at,
                            layerbox_fstree::Attr {
                                mode: Some(dir.mode),
                                uid: Some(dir.uid),
                                gid: Some(dir.gid),
                                mtime: Some(dir.mtime),
                            },
                        );
                        self.changes.push(Change::VolumePopulated {
                            name: m.name.clone(),
                            container: id.to_string(),
                            destination: m.destination.clone(),
                            entries: copied,
                        });
                        continue;
                    }
                }
            }
            if below > 0 {
                self.changes.push(Change::MountObscures {
                    container: id.to_string(),
                    destination: m.destination.clone(),
                    origin: m.origin,
                    entries: below,
                });
            }
        }
    }

    /// `docker start`: the published ports are bound first (a taken host port refuses the
    /// start and leaves the container as it was), then bind sources `-v` names are made on the
    /// host (root-owned directories), mount points are made in the writable layer, tmpfs
    /// mounts start empty.
    pub fn start_container(&mut self, id: &str) -> Result<(), EngineError> {
        let running = self
            .containers
            .get(id)
            .ok_or_else(|| no_such_container(id))?
            .state
            .status
            == Status::Running;
        if running {
            return Ok(());
        }
        let started = self
            .allocate_ports(id)
            .and_then(|mappings| self.start_storage(id).map(|()| mappings));
        match started {
            Ok(mappings) => {
                self.publish(id, mappings);
                self.connect_bridge(id);
                self.init_health(id);
                Ok(())
            }
            Err(e) => {
                // The daemon's failed start removes an `--rm` container, volumes and all.
                if self
                    .containers
                    .get(id)
                    .is_some_and(|c| c.host_config.auto_remove)
                {
                    let _ = self.remove_container(id, true, true);
                }
                Err(e)
            }
        }
    }

    /// The storage side of a start: bind sources, mount points, tmpfs.
    fn start_storage(&mut self, id: &str) -> Result<(), EngineError> {
        let now = self.now();
        let container = self
            .containers
            .get(id)
            .ok_or_else(|| no_such_container(id))?;
        if container.state.status == Status::Running {
            return Ok(());
        }
        let mounts = container.mounts.clone();
        // The directories a tmpfs is mounted over, before any mount point is made.
        let existing: std::collections::BTreeMap<String, u32> = mounts
            .iter()
            .filter(|m| m.kind == MountType::Tmpfs)
            .filter_map(|m| {
                let st = container.rootfs.stat(&Cred::root(), &m.destination).ok()?;
                (st.kind == FileType::Dir).then(|| (m.destination.clone(), st.mode))
            })
            .collect();
        self.mount_local_volumes(id, now)?;
        self.make_bind_sources(&mounts, now)?;
        self.make_mount_points(id, &mounts, true, now)?;
        let Some(container) = self.containers.get_mut(id) else {
            return Err(no_such_container(id));
        };
        container.tmpfs = crate::container::running_tmpfs(&mounts, &existing, now);
        container
            .rootfs
            .set_read_only(container.host_config.read_only);
        container.state.status = Status::Running;
        container.state.restarting = false;
        container.state.manually_stopped = false;
        container.state.exit_code = 0;
        container.state.started_at = Some(now);
        // runc makes the working directory again once the mounts are in place, so one under a
        // volume appears in the volume (best effort, as runc's own `MkdirAll` of the cwd).
        let dir = container.config.working_dir.clone();
        if !dir.is_empty() {
            let root = Cred::root();
            let _ = self.with_container_fs(id, false, |ns| {
                if ns.stat(&root, &dir).is_err() {
                    let _ = ns.mkdir_all(&root, &dir, 0o755, now);
                }
            });
        }
        self.changes
            .push(Change::ContainerStarted { id: id.to_string() });
        Ok(())
    }

    /// The container's process ended (or was stopped) with `exit_code`; tmpfs content is lost.
    pub fn stop_container(&mut self, id: &str, exit_code: i32) -> Result<(), EngineError> {
        let now = self.now();
        let container = self
            .containers
            .get_mut(id)
            .ok_or_else(|| no_such_container(id))?;
        if container.state.status != Status::Running {
            return Ok(());
        }
        let lost: usize = container
            .tmpfs
            .iter()
            .filter(|(dest, _)| {
                ![crate::container::DEV, crate::container::DEV_PTS].contains(&dest.as_str())
                    || container.mounts.iter().any(|m| m.destination == **dest)
            })
            .map(|(_, t)| t.inode_count().saturating_sub(1))
            .sum();
        container.tmpfs.clear();
        container.state.status = Status::Exited;
        container.state.exit_code = exit_code;
        container.state.finished_at = Some(now);
        container.state.endpoint = None;
        crate::daemon::health::stopped(&mut container.state);
        let auto_remove = container.host_config.auto_remove;
        self.unmount_local_volumes(id, now);
        self.changes.push(Change::ContainerStopped {
            id: id.to_string(),
            exit_code,
            tmpfs_entries_lost: lost,
        });
        if auto_remove {
            // `--rm`: the container goes when it exits, with the anonymous volumes it made.
            self.remove_container(id, true, true)?;
        }
        Ok(())
    }

    /// `docker rm [-f] [-v]`: the writable layer is discarded; with `remove_volumes`, the
    /// anonymous volumes it made go too unless another container still uses them.
    pub fn remove_container(
        &mut self,
        reference: &str,
        force: bool,
        remove_volumes: bool,
    ) -> Result<(), EngineError> {
        let id = self.container_id(reference)?;
        let Some(container) = self.containers.get(&id) else {
            return Err(no_such_container(reference));
        };
        if container.state.status == Status::Running {
            if !force {
                return Err(EngineError::conflict(format!(
                    "cannot remove container \"{reference}\": container is running: stop the container before removing or force remove"
                )));
            }
            self.stop_container(&id, 137)?;
        }
        let Some(container) = self.containers.remove(&id) else {
            return Err(no_such_container(reference));
        };
        self.order.retain(|x| *x != id);
        self.logs.remove(&id);
        self.ports.remove(&id);
        self.listeners.remove(&id);
        let writable_changes = container.rootfs.changes(&[]).len();
        self.changes.push(Change::ContainerRemoved {
            id: id.clone(),
            name: container.name.clone(),
            writable_bytes: container.size_rw(),
            writable_changes,
        });
        for m in container
            .mounts
            .iter()
            .filter(|m| m.kind == MountType::Volume)
        {
            if let Some(v) = self.volumes.volumes.get_mut(&m.name) {
                v.meta.refs.remove(&id);
            }
            if remove_volumes && m.anonymous {
                let bytes = self.volumes.get(&m.name).map(|v| v.size()).unwrap_or(0);
                // In-use errors are ignored: a volume shared with --volumes-from stays.
                if self.volumes.volumes.contains_key(&m.name)
                    && self.volumes.remove(&m.name, false).is_ok()
                {
                    self.changes.push(Change::VolumeRemoved {
                        name: m.name.clone(),
                        bytes,
                    });
                }
            }
        }
        Ok(())
    }

    /// Runs `f` over the container's files as its processes see them (or as `docker cp` does),
    /// then records what changed.
    pub fn with_container_fs<R>(
        &mut self,
        id: &str,
        for_cp: bool,
        f: impl FnOnce(&mut ContainerNs<'_>) -> R,
    ) -> Result<R, EngineError> {
        let proc = if for_cp {
            None
        } else {
            self.proc_filesystem(id)?
        };
        if !self.containers.contains_key(id) {
            return Err(no_such_container(id));
        }
        let share_before = self.host.share.usage();
        // Every tree the processes may write shares what the storage limit leaves free.
        let pool = self.storage_pool();
        self.lend_pool(id, Some(&pool));
        let container = self
            .containers
            .get(id)
            .ok_or_else(|| no_such_container(id))?;
        let mounts: Vec<_> = container
            .ns_mounts(for_cp)
            .into_iter()
            .map(|m| self.volume_backing(m))
            .collect();
        let Some(container) = self.containers.get_mut(id) else {
            return Err(no_such_container(id));
        };
        // `--read-only` binds the container's processes; the daemon's `docker cp` writes the
        // layer through its own mount of it.
        let union_read_only = container.rootfs.is_read_only();
        if for_cp {
            container.rootfs.set_read_only(false);
        }
        let mut ns = ContainerNs {
            rootfs: &mut container.rootfs,
            rootfs_read_only: container.host_config.read_only && !for_cp,
            mounts,
            volumes: &mut self.volumes,
            host: &mut self.host,
            tmpfs: &mut container.tmpfs,
            managed: &mut container.managed,
            proc,
            writes: Vec::new(),
            pool: Some(pool),
        };
        let result = f(&mut ns);
        let writes = std::mem::take(&mut ns.writes);
        drop(ns);
        self.lend_pool(id, None);
        let Some(container) = self.containers.get_mut(id) else {
            return Err(no_such_container(id));
        };
        container.rootfs.set_read_only(union_read_only);
        for event in container.rootfs.take_events() {
            self.changes.push(Change::Layer {
                container: id.to_string(),
                event,
            });
        }
        for write in writes {
            self.changes.push(Change::MountWrite {
                container: id.to_string(),
                write,
            });
        }
        let (ops, micros) = self.host.share.usage();
        if ops > share_before.0 {
            self.changes.push(Change::NetworkShare {
                ops: ops - share_before.0,
                micros: micros - share_before.1,
            });
        }
        Ok(result)
    }
}

/// `--tmpfs`/`tmpfs-size` rendered with the largest exact unit, as Docker does (`64m`).
fn tmpfs_size_text(bytes: u64) -> String {
    for (unit, size) in [("g", 1u64 << 30), ("m", 1 << 20), ("k", 1 << 10)] {
        if bytes >= size && bytes.is_multiple_of(size) {
            return format!("{}{unit}", bytes / size);
        }
    }
    bytes.to_string()
}

/// The request's `KEY=value`s, then the image's whose keys the request does not set (moby's
/// `merge` of user and image config).
fn merge_env(image: &[String], request: &[String]) -> Vec<String> {
    let key = |e: &String| e.split('=').next().unwrap_or("").to_string();
    let mut out: Vec<String> = request.to_vec();
    out.extend(
        image
            .iter()
            .filter(|e| !request.iter().any(|r| key(r) == key(e)))
            .cloned(),
    );
    out
}

/// Container names: `[a-zA-Z0-9][a-zA-Z0-9_.-]+` (two characters or more).
pub fn validate_container_name(name: &str) -> Result<(), EngineError> {
    let bytes = name.strip_prefix('/').unwrap_or(name).as_bytes();
    let ok = bytes.len() >= 2
        && bytes[0].is_ascii_alphanumeric()
        && bytes[1..]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(b));
    if ok {
        Ok(())
    } else {
        Err(EngineError::invalid(format!(
            "Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"
        )))
    }
}

pub fn no_such_container(reference: &str) -> EngineError {
    EngineError::not_found(format!("No such container: {reference}"))
}
