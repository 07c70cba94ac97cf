//! The eight kinds of storage a file can live on, with the keys the legend and CSS use.

use layerbox_engine::container::MountPoint;
use layerbox_engine::host::Host;
use layerbox_engine::mount_spec::MountType;
use layerbox_engine::provenance::Backs;
use layerbox_i18n::Lang;

/// Where a file's bytes live, as the legend names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A read-only image layer, shared by every image and container built on it.
    ImageLayer,
    /// The container's writable (upper) layer: gone with `docker rm`.
    WritableLayer,
    /// A Docker volume (named or anonymous).
    Volume,
    /// A bind mount of a local host path.
    LocalBind,
    /// A bind mount of a path on the host's network share.
    NetworkBind,
    /// A tmpfs mount: memory only, emptied when the container stops.
    Tmpfs,
    /// Files Docker makes for the container: `/etc/hostname`, `/etc/hosts`,
    /// `/etc/resolv.conf`, the init layer (`/.dockerenv`, `/etc/mtab`).
    DockerManaged,
    /// The kernel's process filesystem at `/proc` while the container runs: not storage at
    /// all, the kernel's view of the container's processes.
    Procfs,
}

impl Kind {
    /// Every kind, in the legend's order (`crates/ui/src/legend.rs`).
    pub const ALL: [Kind; 8] = [
        Kind::ImageLayer,
        Kind::WritableLayer,
        Kind::Volume,
        Kind::LocalBind,
        Kind::NetworkBind,
        Kind::Tmpfs,
        Kind::DockerManaged,
        Kind::Procfs,
    ];

    /// A stable key: `image`, `writable`, `volume`, `bind`, `netshare`, `tmpfs`, `managed`,
    /// `procfs` (the legend's CSS classes without `kind-`).
    pub fn key(self) -> &'static str {
        match self {
            Kind::ImageLayer => "image",
            Kind::WritableLayer => "writable",
            Kind::Volume => "volume",
            Kind::LocalBind => "bind",
            Kind::NetworkBind => "netshare",
            Kind::Tmpfs => "tmpfs",
            Kind::DockerManaged => "managed",
            Kind::Procfs => "procfs",
        }
    }

    /// The CSS class the legend and `web/styles.css` use: `kind-image`, ...
    pub fn css_class(self) -> &'static str {
        match self {
            Kind::ImageLayer => "kind-image",
            Kind::WritableLayer => "kind-writable",
            Kind::Volume => "kind-volume",
            Kind::LocalBind => "kind-bind",
            Kind::NetworkBind => "kind-netshare",
            Kind::Tmpfs => "kind-tmpfs",
            Kind::DockerManaged => "kind-managed",
            Kind::Procfs => "kind-procfs",
        }
    }

    /// The kind of storage behind an engine [`Backs`].
    pub fn of(backs: &Backs) -> Kind {
        match backs {
            Backs::ImageLayer { .. } => Kind::ImageLayer,
            Backs::InitLayer | Backs::DockerManaged { .. } => Kind::DockerManaged,
            Backs::Proc => Kind::Procfs,
            Backs::WritableLayer { .. } => Kind::WritableLayer,
            Backs::Volume { .. } => Kind::Volume,
            Backs::Bind {
                network_share: true,
                ..
            } => Kind::NetworkBind,
            Backs::Bind { .. } => Kind::LocalBind,
            Backs::Tmpfs { .. } => Kind::Tmpfs,
        }
    }
}

impl Kind {
    /// The kind of storage a mount point brings.
    pub fn of_mount(m: &MountPoint) -> Kind {
        match m.kind {
            MountType::Volume => Kind::Volume,
            MountType::Tmpfs => Kind::Tmpfs,
            MountType::Bind if Host::is_on_share(&m.source) => Kind::NetworkBind,
            MountType::Bind => Kind::LocalBind,
        }
    }
}

/// A short tag for a tree row (`layer 1`, `writable · copied up from layer 1`,
/// `volume todo-list`). Layer numbers are shown from 1 (bottom), as the layer panel and the
/// explanations number them; [`Backs`] counts from 0.
pub fn badge(backs: &Backs, lang: Lang) -> String {
    let ko = lang == Lang::Ko;
    match backs {
        Backs::ImageLayer { index, .. } => {
            let index = index + 1;
            if ko {
                format!("레이어 {index}")
            } else {
                format!("layer {index}")
            }
        }
        Backs::InitLayer => if ko { "init 레이어" } else { "init layer" }.to_string(),
        Backs::WritableLayer {
            copied_up_from: Some(i),
        } => {
            let i = i + 1;
            if ko {
                format!("기록 가능 · 레이어 {i}에서 복사됨")
            } else {
                format!("writable · copied up from layer {i}")
            }
        }
        Backs::WritableLayer {
            copied_up_from: None,
        } => if ko {
            "기록 가능 · 새로 만듦"
        } else {
            "writable · created"
        }
        .to_string(),
        Backs::Volume {
            name, anonymous, ..
        } => {
            let shown = crate::explain::short_name(name, *anonymous);
            if ko {
                format!("볼륨 {shown}")
            } else {
                format!("volume {shown}")
            }
        }
        Backs::Bind {
            host_path,
            network_share,
            ..
        } => match (network_share, ko) {
            (true, true) => format!("네트워크 공유 {host_path}"),
            (true, false) => format!("network share {host_path}"),
            (false, true) => format!("바인드 {host_path}"),
            (false, false) => format!("bind {host_path}"),
        },
        Backs::Tmpfs { .. } => "tmpfs".to_string(),
        Backs::DockerManaged { .. } => if ko {
            "도커 관리"
        } else {
            "docker-managed"
        }
        .to_string(),
        Backs::Proc => if ko {
            "procfs (커널)"
        } else {
            "procfs (kernel)"
        }
        .to_string(),
    }
}
