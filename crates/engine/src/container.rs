//! Containers: the init layer, the writable layer over the image's layers, the resolved mount
//! points, tmpfs contents and state, as the daemon keeps them.

use std::collections::BTreeMap;
use std::sync::Arc;

use layerbox_fstree::{Content, Layer, Meta, NewNode, Store, Tree, Union};
use serde::{Deserialize, Serialize};

use crate::mount_spec::{MountSpec, MountType};
use crate::namespace::{MountBacking, NsMount};

/// How a mount point came to be, for `rm -v` and for the UI's "created by".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MountOrigin {
    /// `-v SRC:DST` (HostConfig.Binds).
    VolumeFlag,
    /// `-v /DST` (an anonymous volume, Config.Volumes).
    AnonymousFlag,
    /// `--mount`.
    MountFlag,
    /// The image's `VOLUME`.
    ImageVolume,
    /// `--volumes-from`.
    VolumesFrom,
    /// `--tmpfs DST` (not listed in `.Mounts`).
    TmpfsFlag,
}

/// A resolved mount (moby `MountPoint`): what `inspect` lists under `Mounts`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MountPoint {
    pub kind: MountType,
    /// The volume name (volumes only).
    pub name: String,
    /// Host path for binds, the volume's mountpoint for volumes, empty for tmpfs.
    pub source: String,
    pub destination: String,
    pub driver: String,
    /// The options as typed for `-v`; `z` for local volumes; empty otherwise.
    pub mode: String,
    pub rw: bool,
    pub propagation: String,
    /// Whether the spec named no volume (`-v /p`, image VOLUME, `--mount` without source):
    /// such volumes go with `rm -v` and `--rm`.
    pub anonymous: bool,
    /// Whether an empty volume is filled from the image at creation.
    pub copy_data: bool,
    pub origin: MountOrigin,
    /// `--tmpfs` options (`size=64m`); empty otherwise.
    pub tmpfs_options: String,
    /// The spec as given, for `.HostConfig.Mounts`.
    pub spec: Option<MountSpec>,
}

impl MountPoint {
    /// Whether `docker inspect` lists it (`--tmpfs` mounts live in `.HostConfig.Tmpfs`).
    pub fn listed(&self) -> bool {
        self.origin != MountOrigin::TmpfsFlag
    }

    pub fn ns_mount(&self) -> NsMount {
        let backing = match self.kind {
            MountType::Volume => MountBacking::Volume(self.name.clone()),
            MountType::Bind => MountBacking::Host(self.source.clone()),
            MountType::Tmpfs => MountBacking::Tmpfs,
        };
        NsMount {
            destination: self.destination.clone(),
            backing,
            read_only: !self.rw,
        }
    }
}

/// `Config` as Docker keeps it for a container.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerConfig {
    /// The image as the user named it (`alpine`).
    pub image: String,
    pub cmd: Vec<String>,
    pub entrypoint: Vec<String>,
    pub env: Vec<String>,
    pub working_dir: String,
    pub user: String,
    pub labels: BTreeMap<String, String>,
    pub tty: bool,
    pub open_stdin: bool,
    /// The CLI attached to the container's output (`docker create`, `docker run` without
    /// `-d`): `AttachStdout`/`AttachStderr`, and with `-i` `AttachStdin`/`StdinOnce`.
    #[serde(default)]
    pub attached: bool,
    /// `Config.Volumes`: anonymous `-v /p` paths and the image's VOLUMEs.
    pub volumes: Vec<String>,
    pub exposed_ports: Vec<String>,
    /// `--hostname`/`-h`; empty: the short id, Docker's default.
    #[serde(default)]
    pub hostname: String,
    /// `Config.Healthcheck`: the image's `HEALTHCHECK` with `--health-*` over it.
    #[serde(default)]
    pub healthcheck: Option<crate::daemon::health::HealthConfig>,
}

/// `-p HOST:CONTAINER[/proto]`, recorded and shown by `ps` and `port`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortBinding {
    pub host_ip: String,
    pub host_port: String,
    pub container_port: String,
    pub proto: String,
}

/// `HostConfig` as Docker keeps it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostConfig {
    pub binds: Vec<String>,
    pub mounts: Vec<MountSpec>,
    /// `--tmpfs DST[:OPTS]`, in order.
    pub tmpfs: Vec<(String, String)>,
    pub volumes_from: Vec<String>,
    pub read_only: bool,
    pub auto_remove: bool,
    pub port_bindings: Vec<PortBinding>,
    /// `--restart`, `docker update --restart`.
    #[serde(default)]
    pub restart_policy: crate::daemon::restart::RestartPolicy,
    /// `--network`: `default` (the default bridge), `bridge` or `none`.
    #[serde(default)]
    pub network_mode: String,
}

/// Where the container is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Created,
    Running,
    Exited,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerState {
    pub status: Status,
    pub exit_code: i32,
    pub started_at: Option<u64>,
    pub finished_at: Option<u64>,
    /// Whether mount points were made in the writable layer (at the first start).
    pub mountpoints_made: bool,
    /// Its process exited and the restart policy will start it again (`Restarting (1) …`).
    #[serde(default)]
    pub restarting: bool,
    /// `State.Health`: set by the first start of a container with a health check.
    #[serde(default)]
    pub health: Option<crate::daemon::health::Health>,
    /// Its address on the default bridge while it runs.
    #[serde(default)]
    pub endpoint: Option<crate::daemon::network::Endpoint>,
    /// `docker stop` or `docker kill` ended it (`HasBeenManuallyStopped`): a daemon restart
    /// leaves an `unless-stopped` container stopped. A start clears it.
    #[serde(default)]
    pub manually_stopped: bool,
}

/// A container: its image's layers, its own init and writable layers, mounts and state.
/// (Saved with its root filesystem apart: see `snapshot.rs`.)
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Container {
    pub id: String,
    pub name: String,
    pub image_id: String,
    pub created: u64,
    pub config: ContainerConfig,
    pub host_config: HostConfig,
    /// Image layers, then the init layer, under the writable layer.
    #[serde(skip, default = "empty_union")]
    pub rootfs: Union,
    pub mounts: Vec<MountPoint>,
    /// tmpfs contents by destination, present only while running.
    pub tmpfs: BTreeMap<String, Tree>,
    /// `/hostname`, `/hosts` and `/resolv.conf`, bind-mounted at `/etc/...`.
    pub managed: Tree,
    pub state: ContainerState,
    /// How many times the restart policy started it again (`RestartCount`).
    #[serde(default)]
    pub restart_count: u32,
}

fn empty_union() -> Union {
    Union::new(Vec::new())
}

/// Docker's files, bind-mounted from the container's own directory.
pub const MANAGED_FILES: [&str; 3] = ["hostname", "hosts", "resolv.conf"];

impl Container {
    /// The mounts a process in the container sees (tmpfs only while running), plus Docker's
    /// files; `for_cp` leaves tmpfs out, as `docker cp` does.
    pub fn ns_mounts(&self, for_cp: bool) -> Vec<NsMount> {
        let running = self.state.status == Status::Running;
        // Docker sets the container's hostname, hosts and resolv.conf paths when it first
        // starts it; before that the init layer's empty placeholders show (`docker cp`).
        let started = self.state.started_at.is_some();
        let mut out: Vec<NsMount> = MANAGED_FILES
            .iter()
            .filter(|_| started)
            .map(|f| NsMount {
                destination: format!("/etc/{f}"),
                backing: MountBacking::Managed((*f).to_string()),
                read_only: self.host_config.read_only,
            })
            .collect();
        // Docker's own tmpfs at `/dev` while the container runs; a mount of the learner's at
        // `/dev` comes later and is mounted over it.
        if running && !for_cp {
            out.extend([DEV, DEV_PTS].map(|dev| NsMount {
                destination: dev.to_string(),
                backing: MountBacking::Tmpfs,
                read_only: false,
            }));
        }
        out.extend(
            self.mounts
                .iter()
                .filter(|m| m.kind != MountType::Tmpfs || (running && !for_cp))
                .map(MountPoint::ns_mount),
        );
        out
    }

    /// Where Docker keeps this container's own file `name` (one of [`MANAGED_FILES`]) on the
    /// host, the source of its bind mount at `/etc/NAME`.
    pub fn managed_source(&self, name: &str) -> String {
        format!("/var/lib/docker/containers/{}/{name}", self.id)
    }

    /// Paths `docker diff` and `commit` leave out: mounted content (not the mount points).
    pub fn mount_destinations(&self) -> Vec<String> {
        self.mounts.iter().map(|m| m.destination.clone()).collect()
    }

    /// The size of the writable layer (`docker ps -s`).
    pub fn size_rw(&self) -> u64 {
        self.rootfs.upper_size()
    }

    /// The 12-character id shown in tables.
    pub fn short_id(&self) -> &str {
        crate::clock::short_id(&self.id)
    }

    /// The container's hostname: `--hostname`, else its short id (`Config.Hostname`,
    /// `/etc/hostname`, `$HOSTNAME`).
    pub fn hostname(&self) -> &str {
        if self.config.hostname.is_empty() {
            self.short_id()
        } else {
            &self.config.hostname
        }
    }
}

/// Where Docker mounts a tmpfs with the container's device nodes.
pub const DEV: &str = "/dev";

/// The `/dev` tmpfs runc makes for a container started without a terminal: the default
/// devices (`null`, `zero`, `full`, `random`, `urandom`, `tty`, mode 0666), the `pts`, `shm`
/// and `mqueue` mount points, and the links into `/proc`. Made at each start, as the tmpfs is.
///
/// Emulation note: `shm` and `mqueue` are directories of this tmpfs, not mounts of their
/// own; `pts` is ([`devpts_filesystem`]).
pub fn dev_filesystem(now: u64) -> Tree {
    let mut t = Tree::tmpfs(
        Meta::new(0o755, 0, 0, now),
        layerbox_fstree::Limits {
            max_file_size: 64 << 20,
            max_total_bytes: 64 << 20,
            ..Default::default()
        },
    );
    add_dev_nodes(&mut t, now, true);
    t
}

/// What every `/dev` holds, Docker's and the host's: the character devices (`null`, `zero`,
/// `full`, `random`, `urandom`, `tty`, mode 0666), the `pts` and `shm` directories and the
/// links into `/proc/self/fd`; Docker's also has `mqueue` and the `ptmx -> pts/ptmx` link (a
/// `container`'s). Into a fresh tree `t` whose root is `/dev`, in the order a tmpfs lists them.
pub(crate) fn add_dev_nodes(t: &mut Tree, now: u64, container: bool) {
    // Into a fresh tree whose parents come first: these cannot fail.
    for device in layerbox_fstree::Device::DEV {
        let path = format!("/{}", device.name());
        let meta = Meta::new(0o666, 0, 0, now);
        let _ = t.insert(&path, NewNode::Device(device), meta, now);
    }
    let _ = t.insert("/pts", NewNode::Dir, Meta::new(0o755, 0, 0, now), now);
    let dirs: &[&str] = if container {
        &["/shm", "/mqueue"]
    } else {
        &["/shm"]
    };
    for dir in dirs {
        let _ = t.insert(dir, NewNode::Dir, Meta::new(0o1777, 0, 0, now), now);
    }
    let ptmx = container.then_some(("/ptmx", "pts/ptmx"));
    for (link, target) in [("/fd", "/proc/self/fd")].into_iter().chain(ptmx).chain([
        ("/stdin", "/proc/self/fd/0"),
        ("/stdout", "/proc/self/fd/1"),
        ("/stderr", "/proc/self/fd/2"),
    ]) {
        let meta = Meta::new(0o777, 0, 0, now);
        let _ = t.insert(link, NewNode::Symlink(target.into()), meta, now);
    }
}

/// Where the devpts filesystem is mounted.
pub const DEV_PTS: &str = "/dev/pts";

/// The devpts filesystem at `/dev/pts`: the `ptmx` node (`ptmxmode=666`) and no terminal.
pub fn devpts_filesystem(now: u64) -> Tree {
    let mut t = Tree::pseudo(Meta::new(0o755, 0, 0, now));
    let ptmx = NewNode::Device(layerbox_fstree::Device::Ptmx);
    // Into a fresh tree: this cannot fail.
    let _ = t.insert("/ptmx", ptmx, Meta::new(0o666, 0, 0, now), now);
    t
}

/// The init layer Docker puts between the image and the writable layer: placeholders for the
/// files it bind-mounts, `/.dockerenv`, the `/dev`, `/proc`, `/sys` mount points and
/// `/etc/mtab -> /proc/mounts`. Directories keep the image's metadata.
pub fn init_layer(image_layers: &[Arc<Layer>], now: u64) -> Layer {
    let image = Union::new(image_layers.to_vec());
    let root_meta = image
        .node("/")
        .map(|s| s.meta())
        .unwrap_or_else(|| Meta::new(0o755, 0, 0, now));
    let mut t = Tree::with_root(root_meta, Default::default());
    let dir_meta = |p: &str| {
        image
            .node(p)
            .filter(|s| s.is_dir())
            .map(|s| s.meta())
            .unwrap_or(Meta::new(0o755, 0, 0, now))
    };
    for dir in ["/dev", "/dev/pts", "/dev/shm", "/etc", "/proc", "/sys"] {
        // Each parent precedes its children in this list, so inserts cannot fail.
        let _ = t.insert(dir, NewNode::Dir, dir_meta(dir), now);
    }
    let placeholder = Meta::new(0o755, 0, 0, now);
    for file in [
        "/.dockerenv",
        "/dev/console",
        "/etc/hostname",
        "/etc/hosts",
        "/etc/resolv.conf",
    ] {
        let _ = t.insert(
            file,
            NewNode::File(Content::from(&b""[..])),
            placeholder,
            now,
        );
    }
    let _ = t.insert(
        "/etc/mtab",
        NewNode::Symlink("/proc/mounts".into()),
        Meta::new(0o777, 0, 0, now),
        now,
    );
    Layer::from_tree(t)
}

/// The files Docker writes for a container: its hostname (the short id unless `--hostname`),
/// hosts and resolv.conf.
pub fn managed_files(hostname: &str, now: u64) -> Tree {
    let short_id = hostname;
    let mut t = Tree::with_root(Meta::new(0o710, 0, 0, now), Default::default());
    // The start writes it again with the address the container got.
    let hosts = crate::daemon::network::hosts_file(short_id, None);
    let files = [
        ("/hostname", format!("{short_id}\n")),
        ("/hosts", hosts),
        (
            "/resolv.conf",
            "nameserver 10.0.2.3\nsearch .\n".to_string(),
        ),
    ];
    for (path, text) in files {
        let _ = t.insert(
            path,
            NewNode::File(Content::from(text.as_bytes())),
            Meta::new(0o644, 0, 0, now),
            now,
        );
    }
    t
}

/// The tmpfs mounts of a container that starts: Docker's `/dev` and `/dev/pts`, then each
/// `--tmpfs` and `--mount type=tmpfs`, fresh. Its root has the mode `mode=` gives (1777
/// without), except over a directory that was there before the mount (`existing`: its mode by
/// destination): runc makes the tmpfs root that directory's mode after mounting it, whatever
/// `mode=` said, and a mount point it made at an earlier start is such a directory (recorded:
/// tmpfs-over-an-existing-directory).
pub(crate) fn running_tmpfs(
    mounts: &[MountPoint],
    existing: &std::collections::BTreeMap<String, u32>,
    now: u64,
) -> std::collections::BTreeMap<String, layerbox_fstree::Tree> {
    let dev = [
        (DEV.to_string(), dev_filesystem(now)),
        (DEV_PTS.to_string(), devpts_filesystem(now)),
    ];
    layerbox_order::map(
        dev.into_iter().chain(
            mounts
                .iter()
                .filter(|m| m.kind == MountType::Tmpfs)
                .map(|m| {
                    let given = m
                        .tmpfs_options
                        .split(',')
                        .find_map(|o| o.strip_prefix("mode="))
                        .and_then(|mode| u32::from_str_radix(mode, 8).ok());
                    let mode = existing
                        .get(&m.destination)
                        .copied()
                        .or(given)
                        .unwrap_or(0o1777);
                    (
                        m.destination.clone(),
                        layerbox_fstree::Tree::tmpfs(
                            layerbox_fstree::Meta::new(mode, 0, 0, now),
                            tmpfs_limits(m),
                        ),
                    )
                }),
        ),
    )
}

/// What a tmpfs mount may hold: its `size=` (rounded up to whole pages, as the kernel counts),
/// else the model's usual limits; a write past it fails with `ENOSPC`.
fn tmpfs_limits(m: &crate::container::MountPoint) -> layerbox_fstree::Limits {
    let defaults = layerbox_fstree::Limits::default();
    let size = m
        .tmpfs_options
        .split(',')
        .find_map(|o| o.strip_prefix("size="))
        .and_then(crate::mount_table::memparse);
    match size {
        Some(bytes) => {
            let bytes = bytes.div_ceil(4096) * 4096;
            layerbox_fstree::Limits {
                max_file_size: defaults.max_file_size.min(bytes),
                max_total_bytes: defaults.max_total_bytes.min(bytes),
                ..defaults
            }
        }
        None => defaults,
    }
}
