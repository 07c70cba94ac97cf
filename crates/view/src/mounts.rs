//! The mount table of a container: what `docker inspect` lists under `Mounts`, plus `--tmpfs`
//! mounts and the files Docker bind-mounts into every container.

use layerbox_engine::container::{MountOrigin, Status, MANAGED_FILES};
use layerbox_engine::mount_spec::MountType;
use layerbox_engine::world::World;

use crate::kind::Kind;
use crate::ViewError;

/// One mount of a container, in `docker inspect`'s terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MountRow {
    pub kind: Kind,
    /// `Type`: `volume`, `bind` or `tmpfs`.
    pub mount_type: &'static str,
    /// `Name` (volumes only).
    pub name: String,
    /// `Source`: the host path (a volume's `_data` directory; empty for tmpfs).
    pub source: String,
    /// `Destination`.
    pub destination: String,
    /// `Mode` (for `--tmpfs`: its options, e.g. `size=64m`).
    pub mode: String,
    /// `RW`.
    pub rw: bool,
    /// `Propagation`.
    pub propagation: String,
    /// How it was asked for; `None` for Docker's own files.
    pub origin: Option<MountOrigin>,
    /// Whether `docker inspect` lists it under `Mounts` (not `--tmpfs`, not Docker's files).
    pub in_inspect: bool,
    /// Whether it is mounted now (a tmpfs only while the container runs).
    pub active: bool,
}

/// The container's mounts in `docker inspect` order (by destination), then Docker's files.
pub fn mount_table(world: &World, container: &str) -> Result<Vec<MountRow>, ViewError> {
    let c = world
        .find_container(container)
        .map_err(|_| ViewError::NoSuchContainer(container.to_string()))?;
    let running = c.state.status == Status::Running;
    let mut rows: Vec<MountRow> = c
        .mounts
        .iter()
        .map(|m| MountRow {
            kind: Kind::of_mount(m),
            mount_type: m.kind.as_str(),
            name: m.name.clone(),
            source: m.source.clone(),
            destination: m.destination.clone(),
            mode: if m.origin == MountOrigin::TmpfsFlag {
                m.tmpfs_options.clone()
            } else {
                m.mode.clone()
            },
            rw: m.rw,
            propagation: m.propagation.clone(),
            origin: Some(m.origin),
            in_inspect: m.listed(),
            active: m.kind != MountType::Tmpfs || running,
        })
        .collect();
    rows.extend(MANAGED_FILES.iter().map(|f| MountRow {
        kind: Kind::DockerManaged,
        mount_type: MountType::Bind.as_str(),
        name: String::new(),
        source: c.managed_source(f),
        destination: format!("/etc/{f}"),
        mode: String::new(),
        rw: !c.host_config.read_only,
        propagation: "rprivate".to_string(),
        origin: None,
        in_inspect: false,
        active: true,
    }));
    Ok(rows)
}
