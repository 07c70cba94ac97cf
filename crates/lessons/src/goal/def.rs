//! The goal predicates as data, as lesson files write them; `build.rs` reads them too.

use serde::{Deserialize, Serialize};

/// A statement about the Docker host's state. Containers are named by their names only (never
/// by an id prefix, which a learner's other containers could happen to match); paths are
/// absolute.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Goal {
    /// Every goal holds (an empty list holds).
    All(Vec<Goal>),
    /// At least one goal holds (an empty list does not).
    Any(Vec<Goal>),
    Not(Box<Goal>),

    /// The container exists, in any state.
    ContainerExists(String),
    /// The container exists and its process runs.
    ContainerRunning(String),
    /// The container exists and is not running (created or exited).
    ContainerStopped(String),
    /// No container of that name exists (never made, or removed).
    ContainerRemoved(String),
    /// The container runs again after it had stopped (`docker stop`, then `docker start`).
    ContainerRestarted(String),
    /// The container was created from the image `image` names (`name[:tag]` or id).
    ContainerImage {
        container: String,
        image: String,
    },
    /// What the container's processes printed (`docker logs`) contains `text`.
    LogsContain {
        container: String,
        text: String,
    },

    /// A volume is mounted at `destination`; optionally that named volume, a volume that is
    /// (or is not) anonymous, mounted read-only (or read-write).
    VolumeMount {
        container: String,
        destination: String,
        #[serde(default)]
        volume: Option<String>,
        #[serde(default)]
        anonymous: Option<bool>,
        #[serde(default)]
        read_only: Option<bool>,
    },
    /// A host path is bind-mounted at `destination`; optionally from `source`, read-only or not.
    BindMount {
        container: String,
        destination: String,
        #[serde(default)]
        source: Option<String>,
        #[serde(default)]
        read_only: Option<bool>,
    },
    /// A tmpfs is mounted at `destination`.
    TmpfsMount {
        container: String,
        destination: String,
    },
    /// Something (volume, bind or tmpfs) is mounted at `destination`.
    Mounted {
        container: String,
        destination: String,
    },
    /// Every container mounts one and the same volume at `destination` (`--volumes-from`).
    SameVolume {
        containers: Vec<String>,
        destination: String,
    },

    /// `path` exists as the container's processes see it (mounts included; a final symlink is
    /// not followed); with `contains`, it is a readable file whose content contains that text.
    PathExists {
        container: String,
        path: String,
        #[serde(default)]
        contains: Option<String>,
    },
    /// The container exists and `path` does not exist in its view.
    PathAbsent {
        container: String,
        path: String,
    },
    /// What stores `path` in the container (the answer to "where does this file live?").
    PathBacking {
        container: String,
        path: String,
        backing: Backing,
    },
    /// `docker diff` of the container lists `path`, with that kind of change if given.
    Diff {
        container: String,
        path: String,
        #[serde(default)]
        kind: Option<DiffKind>,
    },

    /// `path` exists on the Docker host (a final symlink not followed); optionally of a kind,
    /// owned by a uid, or a file containing a text.
    HostPath {
        path: String,
        #[serde(default)]
        kind: Option<Kind>,
        #[serde(default)]
        owner: Option<u32>,
        #[serde(default)]
        contains: Option<String>,
    },
    /// Nothing exists at `path` on the host.
    HostPathAbsent(String),

    /// A volume of that name exists.
    VolumeExists(String),
    /// At least this many anonymous volumes exist.
    AnonymousVolumesAtLeast(usize),
    /// `path` exists in the volume (`/` is the volume's root); any volume if `volume` is not
    /// given; with `contains`, it is a file containing that text.
    VolumeContains {
        #[serde(default)]
        volume: Option<String>,
        path: String,
        #[serde(default)]
        contains: Option<String>,
    },

    /// An image of that reference (`name[:tag]` or id) exists.
    ImageExists(String),
    /// `path` exists in the image's filesystem (its layers merged); with `contains`, it is a
    /// file containing that text.
    ImageFile {
        image: String,
        path: String,
        #[serde(default)]
        contains: Option<String>,
    },

    /// The container's process runs `program` (the first word of its entrypoint and command,
    /// as `docker inspect` holds them): a state, whatever line made the container.
    ContainerCommand {
        container: String,
        program: String,
    },
}

/// What can store a path in a container ([`Goal::PathBacking`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Backing {
    /// One of the image's read-only layers.
    ImageLayer,
    /// The init layer Docker puts over the image (`/.dockerenv`, mount placeholders).
    InitLayer,
    /// The container's writable layer, whether made there or copied up.
    WritableLayer,
    /// The writable layer, copied up from an image layer when it was changed.
    CopiedUp,
    /// A volume, named or anonymous.
    Volume,
    /// An anonymous volume.
    AnonymousVolume,
    /// A bind mount of a local host path.
    LocalBind,
    /// A bind mount of a path on the host's network share.
    NetworkBind,
    Tmpfs,
    /// A file Docker writes (`/etc/hostname`, `/etc/hosts`, `/etc/resolv.conf`).
    DockerManaged,
}

/// A `docker diff` change kind: `added` (A), `changed` (C), `deleted` (D).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiffKind {
    Added,
    Changed,
    Deleted,
}

/// A file type on the host ([`Goal::HostPath`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    File,
    Dir,
    Symlink,
}
