//! The sample images' types: images, layers, entries and the image config, as the engine and the recorder read them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A sample image: what `docker images` lists after a fresh session, with every layer spelled out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageDef {
    /// Repository name as `docker images` shows it (`alpine`, `diamol/ch06-todo-list`).
    pub name: String,
    /// Tag (`latest`).
    pub tag: String,
    /// The real upstream image this one stands for, and where it departs from it.
    pub stands_for: String,
    /// The sample image this one is built on (`FROM`), if any.
    pub from: Option<String>,
    /// Every layer bottom→top, the inherited ones first.
    pub layers: Vec<LayerDef>,
    /// How many of `layers` come from `from` (0 for a base image).
    pub inherited_layers: usize,
    /// When the image was made (seconds since the epoch; the config's `created`).
    pub created: u64,
    /// The image config a container starts from.
    pub config: ImageConfig,
}

impl ImageDef {
    /// `name:tag`, as `docker run` accepts it.
    pub fn reference(&self) -> String {
        format!("{}:{}", self.name, self.tag)
    }

    /// The layers this image adds on top of its `from` image.
    pub fn own_layers(&self) -> &[LayerDef] {
        self.layers.get(self.inherited_layers..).unwrap_or(&[])
    }
}

/// One image layer (or, with no entries, one history row that changed only the config, as
/// `docker history` shows `ENV`, `CMD`, `VOLUME` with size 0B).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerDef {
    /// The history row's text as `docker history --no-trunc` shows it (CREATED BY): BuildKit's
    /// `RUN /bin/sh -c … # buildkit`, the classic builder's `/bin/sh -c #(nop)  CMD …`.
    pub created_by: String,
    /// When the row was made (seconds since the epoch): its image's `created`.
    pub created: u64,
    /// The row's COMMENT (`buildkit.dockerfile.v0` for an image BuildKit built).
    pub comment: String,
    /// Whether the instruction only changes the config (Docker's `empty_layer` history flag).
    pub empty_layer: bool,
    /// The entries this layer adds, parents before children.
    pub entries: Vec<EntryDef>,
}

/// A filesystem entry of a layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryDef {
    /// Absolute, normalised path (`/etc/passwd`).
    pub path: String,
    /// What the entry is.
    pub kind: EntryKind,
    /// Permission bits including setuid/setgid/sticky (`0o1777` for /tmp); 0o777 for symlinks.
    pub mode: u32,
    /// Owner user id.
    pub uid: u32,
    /// Owner group id.
    pub gid: u32,
}

/// The type of an entry, with its payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "type")]
pub enum EntryKind {
    /// A directory.
    Dir,
    /// A regular file.
    File {
        /// Its bytes.
        content: FileContent,
    },
    /// A symbolic link to `target` (absolute or relative, as written).
    Symlink {
        /// The link text.
        target: String,
    },
    /// A hard link: another name for the file at `target` (absolute path in the same layer).
    Hardlink {
        /// The path of the linked file.
        target: String,
    },
}

/// `secs` since the epoch as RFC 3339 in UTC (`2024-05-03T12:05:36Z`), as an image config's
/// `created` is written.
pub fn rfc3339(secs: u64) -> String {
    let days = secs / 86_400;
    let rest = secs % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

/// What a file holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileContent {
    /// Text, byte for byte.
    Text(String),
    /// A placeholder of this many bytes for a binary that is never read as text (`ls -l` shows
    /// the size). Emulation note: the recorder writes zero bytes, or pads the real BusyBox binary.
    Sized(u64),
}

impl FileContent {
    /// The file size in bytes.
    pub fn len(&self) -> u64 {
        match self {
            FileContent::Text(text) => text.len() as u64,
            FileContent::Sized(size) => *size,
        }
    }

    /// Whether the file is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The image config (`docker image inspect` → `Config`), with Docker's field meanings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ImageConfig {
    /// `KEY=value` pairs, in order.
    pub env: Vec<String>,
    /// `CMD` in exec form, if set.
    pub cmd: Option<Vec<String>>,
    /// `ENTRYPOINT` in exec form, if set.
    pub entrypoint: Option<Vec<String>>,
    /// `WORKDIR` ("" = /).
    pub working_dir: String,
    /// `USER` ("" = root).
    pub user: String,
    /// `VOLUME` paths, in declaration order.
    pub volumes: Vec<String>,
    /// `EXPOSE` ports as `80/tcp`.
    pub exposed_ports: Vec<String>,
    /// `LABEL`s.
    pub labels: BTreeMap<String, String>,
    /// `STOPSIGNAL`, if set.
    pub stop_signal: Option<String>,
    /// `HEALTHCHECK`, if set (`docker run --health-*` override it field by field).
    pub healthcheck: Option<HealthConfig>,
}

/// A health check (moby `container.HealthConfig`): `test` is `["NONE"]`, `["CMD", argv…]` or
/// `["CMD-SHELL", command]`; durations in nanoseconds and `retries`, 0 meaning the daemon's
/// default (30s, 30s, 0s, 3).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HealthConfig {
    pub test: Vec<String>,
    pub interval: i64,
    pub timeout: i64,
    pub start_period: i64,
    pub retries: i64,
}

/// Why the definitions could not be loaded. These are bugs in `defs/*.toml`, caught by the tests.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImagesError {
    /// The TOML did not parse or did not fit the schema.
    #[error("{file}: {message}")]
    Toml {
        /// The definition file.
        file: String,
        /// The parser's message.
        message: String,
    },
    /// An `entries` line did not parse.
    #[error("{file}: layer {layer}: bad entry line {line:?}: {reason}")]
    Entry {
        /// The definition file.
        file: String,
        /// Layer index within the file.
        layer: usize,
        /// The offending line.
        line: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The expanded image breaks a rule (relative path, missing parent, duplicate …).
    #[error("{image}: {reason}")]
    Invalid {
        /// `name:tag`.
        image: String,
        /// What is wrong.
        reason: String,
    },
}
