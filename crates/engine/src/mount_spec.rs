//! What a container asks to have mounted: Docker's `mount.Mount` (a `MountSpec`), the daemon's
//! parser for `-v SRC:DST[:OPTS]` bind strings, and the validation rules with Docker's wording.
//!
//! `--mount` CSV is parsed by the CLI (the shell crate) into a `MountSpec`; `-v` strings with a
//! source travel to the daemon verbatim and are parsed here, as moby's `linux_parser.go` does.

use serde::{Deserialize, Serialize};

use crate::error::EngineError;

/// The kind of mount (`mount.Type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MountType {
    Bind,
    Volume,
    Tmpfs,
}

impl MountType {
    pub fn as_str(self) -> &'static str {
        match self {
            MountType::Bind => "bind",
            MountType::Volume => "volume",
            MountType::Tmpfs => "tmpfs",
        }
    }
}

/// Bind propagation modes (`mount.Propagation`); Docker's default is `rprivate`.
pub const PROPAGATIONS: [&str; 6] = [
    "private", "rprivate", "shared", "rshared", "slave", "rslave",
];

/// What was asked for one mount, before the daemon resolves it (moby `mount.Mount`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MountSpec {
    /// `None` when the request named a type Docker does not know (kept for the error text).
    pub kind: Option<MountType>,
    /// The type as written, for `mount type unknown` errors.
    pub type_name: String,
    pub source: String,
    pub target: String,
    pub read_only: bool,
    /// `bind-propagation` (binds only).
    pub propagation: Option<String>,
    /// `volume-nocopy` / `nocopy`: do not pre-populate an empty volume from the image.
    pub no_copy: Option<bool>,
    pub volume_labels: Vec<(String, String)>,
    pub volume_driver: Option<String>,
    pub volume_options: Vec<(String, String)>,
    pub volume_subpath: Option<String>,
    /// `tmpfs-size` in bytes.
    pub tmpfs_size: Option<u64>,
    /// `tmpfs-mode` permission bits.
    pub tmpfs_mode: Option<u32>,
    /// `consistency` as given (Docker Desktop's; kept in the request, no effect on Linux).
    pub consistency: String,
}

impl MountSpec {
    pub fn new(kind: MountType, source: &str, target: &str) -> MountSpec {
        MountSpec {
            kind: Some(kind),
            type_name: kind.as_str().to_string(),
            source: source.to_string(),
            target: target.to_string(),
            ..MountSpec::default()
        }
    }

    fn has_volume_options(&self) -> bool {
        self.no_copy.is_some()
            || !self.volume_labels.is_empty()
            || self.volume_driver.is_some()
            || !self.volume_options.is_empty()
            || self.volume_subpath.is_some()
    }

    fn has_tmpfs_options(&self) -> bool {
        self.tmpfs_size.is_some() || self.tmpfs_mode.is_some()
    }
}

/// A parsed `-v` bind string: the spec plus the raw option string Docker keeps as `Mode`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawBind {
    pub spec: MountSpec,
    /// The options as typed (`ro`, `ro,rshared`, ...), shown as `Mode` by inspect.
    pub mode: String,
}

const RW_MODES: [&str; 2] = ["rw", "ro"];
const LABEL_MODES: [&str; 2] = ["z", "Z"];
const CONSISTENCY_MODES: [&str; 3] = ["consistent", "cached", "delegated"];

/// Docker's `ValidMountMode`: each option word known, at most one of each category.
pub fn valid_mount_mode(mode: &str) -> bool {
    if mode.is_empty() {
        return true;
    }
    let mut counts = [0u8; 5];
    for word in mode.split(',') {
        let category = if RW_MODES.contains(&word) {
            0
        } else if LABEL_MODES.contains(&word) {
            1
        } else if PROPAGATIONS.contains(&word) {
            2
        } else if word == "nocopy" {
            3
        } else if CONSISTENCY_MODES.contains(&word) {
            4
        } else {
            return false;
        };
        counts[category] += 1;
    }
    counts.iter().all(|&c| c <= 1)
}

/// Parses a `-v` string that has a source (`SRC:DST[:OPTS]`), as the daemon's `ParseMountRaw`.
/// One-field strings (`-v /data`) are anonymous volumes and never reach this function: the CLI
/// sends them as `Config.Volumes`.
pub fn parse_mount_raw(raw: &str) -> Result<RawBind, EngineError> {
    let invalid_spec = || EngineError::invalid(format!("invalid volume specification: '{raw}'"));
    let fields: Vec<&str> = raw.splitn(4, ':').collect();
    if fields[0].is_empty() {
        return Err(invalid_spec());
    }
    let (source, target, mode) = match fields.as_slice() {
        [target] => ("", *target, ""),
        [source, target] => {
            if valid_mount_mode(target) {
                // A destination and a mode is not a volume: `-v /foo:rw`.
                return Err(invalid_spec());
            }
            (*source, *target, "")
        }
        [source, target, mode] => (*source, *target, *mode),
        _ => return Err(invalid_spec()),
    };
    if !valid_mount_mode(mode) {
        return Err(EngineError::invalid(format!("invalid mode: {mode}")));
    }
    let kind = if source.starts_with('/') {
        MountType::Bind
    } else {
        MountType::Volume
    };
    let words: Vec<&str> = mode.split(',').filter(|w| !w.is_empty()).collect();
    let mut spec = MountSpec::new(kind, source, target);
    spec.read_only = words.contains(&"ro");
    if words.contains(&"nocopy") {
        spec.no_copy = Some(true);
    }
    spec.propagation = words
        .iter()
        .find(|w| PROPAGATIONS.contains(w))
        .map(|w| w.to_string());
    validate(&spec, |_| true).map_err(|e| {
        EngineError::invalid(format!(
            "invalid volume specification: '{raw}': {}",
            e.message
        ))
    })?;
    Ok(RawBind {
        spec,
        mode: mode.to_string(),
    })
}

/// Docker's `path.Clean` of a slash path.
pub fn clean_path(p: &str) -> String {
    let absolute = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (absolute, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// The daemon's `validateMountConfig`: `source_exists` answers whether a host path exists
/// (checked for `--mount type=bind`, not for `-v`, which creates a missing source).
pub fn validate(spec: &MountSpec, source_exists: impl Fn(&str) -> bool) -> Result<(), EngineError> {
    let fail = |reason: String| {
        Err(EngineError::invalid(format!(
            "invalid mount config for type \"{}\": {reason}",
            spec.type_name
        )))
    };
    if spec.target.is_empty() {
        return fail("field Target must not be empty".into());
    }
    if clean_path(&spec.target) == "/" {
        return fail("invalid specification: destination can't be '/'".into());
    }
    if !spec.target.starts_with('/') {
        return fail(format!(
            "invalid mount path: '{}' mount path must be absolute",
            spec.target
        ));
    }
    match spec.kind {
        Some(MountType::Bind) => {
            if spec.source.is_empty() {
                return fail("field Source must not be empty".into());
            }
            if let Some(p) = &spec.propagation {
                if !PROPAGATIONS.contains(&p.as_str()) {
                    return fail(format!("invalid propagation mode: {p}"));
                }
            }
            if spec.has_volume_options() {
                return fail("field VolumeOptions must not be specified".into());
            }
            if spec.has_tmpfs_options() {
                return fail("field TmpfsOptions must not be specified".into());
            }
            if !spec.source.starts_with('/') {
                return fail(format!(
                    "invalid mount path: '{}' mount path must be absolute",
                    spec.source
                ));
            }
            if !source_exists(&spec.source) {
                return fail(format!("bind source path does not exist: {}", spec.source));
            }
        }
        Some(MountType::Volume) => {
            if spec.propagation.is_some() {
                return fail("field BindOptions must not be specified".into());
            }
            if spec.has_tmpfs_options() {
                return fail("field TmpfsOptions must not be specified".into());
            }
            let anonymous = spec.source.is_empty();
            if let Some(sub) = &spec.volume_subpath {
                if anonymous {
                    return fail("must not set Subpath when using anonymous volumes".into());
                }
                if sub.starts_with('/') || clean_path(sub).starts_with("..") {
                    return fail("subpath must be a relative path within the volume".into());
                }
            }
            if spec.read_only && anonymous {
                return fail("must not set ReadOnly mode when using anonymous volumes".into());
            }
        }
        Some(MountType::Tmpfs) => {
            if spec.propagation.is_some() {
                return fail("field BindOptions must not be specified".into());
            }
            if spec.has_volume_options() {
                return fail("field VolumeOptions must not be specified".into());
            }
            if !spec.source.is_empty() {
                return fail("field Source must not be specified".into());
            }
        }
        None => return fail("mount type unknown".into()),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(raw: &str) -> String {
        parse_mount_raw(raw).expect_err(raw).message
    }

    #[test]
    fn absolute_source_is_a_bind_and_a_name_is_a_volume() {
        let b = parse_mount_raw("/srv/html:/usr/share/nginx/html:ro").expect("bind");
        assert_eq!(b.spec.kind, Some(MountType::Bind));
        assert!(b.spec.read_only);
        assert_eq!(b.mode, "ro");
        let v = parse_mount_raw("todo-list:/data").expect("volume");
        assert_eq!(
            (v.spec.kind, v.spec.source.as_str(), v.mode.as_str()),
            (Some(MountType::Volume), "todo-list", "")
        );
    }

    #[test]
    fn destination_with_a_mode_is_an_invalid_specification() {
        assert_eq!(err("/data:ro"), "invalid volume specification: '/data:ro'");
        assert_eq!(err("myvol:rw"), "invalid volume specification: 'myvol:rw'");
        assert_eq!(err(":/data"), "invalid volume specification: ':/data'");
        assert_eq!(
            err("a:/b:ro:x"),
            "invalid volume specification: 'a:/b:ro:x'"
        );
    }

    #[test]
    fn unknown_or_repeated_option_words_are_invalid_modes() {
        assert_eq!(err("myvol:/data:readonly"), "invalid mode: readonly");
        assert_eq!(err("myvol:/data:ro,rw"), "invalid mode: ro,rw");
        assert_eq!(
            err("myvol:/data:volume-nocopy"),
            "invalid mode: volume-nocopy"
        );
        assert!(parse_mount_raw("myvol:/data:ro,z,nocopy,cached").is_ok());
    }

    #[test]
    fn wrapped_validation_errors_name_the_raw_spec() {
        assert_eq!(
            err("v:rel"),
            "invalid volume specification: 'v:rel': invalid mount config for type \"volume\": invalid mount path: 'rel' mount path must be absolute"
        );
        assert_eq!(
            err("/a:/b:nocopy"),
            "invalid volume specification: '/a:/b:nocopy': invalid mount config for type \"bind\": field VolumeOptions must not be specified"
        );
        assert_eq!(
            err("v:/b:rshared"),
            "invalid volume specification: 'v:/b:rshared': invalid mount config for type \"volume\": field BindOptions must not be specified"
        );
        assert_eq!(
            err("v:/"),
            "invalid volume specification: 'v:/': invalid mount config for type \"volume\": invalid specification: destination can't be '/'"
        );
    }

    #[test]
    fn mount_validation_speaks_dockers_words() {
        let mut bind = MountSpec::new(MountType::Bind, "/nope", "/x");
        assert_eq!(
            validate(&bind, |_| false).expect_err("missing").message,
            "invalid mount config for type \"bind\": bind source path does not exist: /nope"
        );
        bind.source.clear();
        assert_eq!(
            validate(&bind, |_| true).expect_err("no source").message,
            "invalid mount config for type \"bind\": field Source must not be empty"
        );
        let mut anon = MountSpec::new(MountType::Volume, "", "/d");
        anon.read_only = true;
        assert_eq!(
            validate(&anon, |_| true).expect_err("ro anon").message,
            "invalid mount config for type \"volume\": must not set ReadOnly mode when using anonymous volumes"
        );
        let unknown = MountSpec {
            type_name: "xyz".into(),
            target: "/x".into(),
            ..MountSpec::default()
        };
        assert_eq!(
            validate(&unknown, |_| true).expect_err("unknown").message,
            "invalid mount config for type \"xyz\": mount type unknown"
        );
        let tmpfs = MountSpec::new(MountType::Tmpfs, "/src", "/t");
        assert_eq!(
            validate(&tmpfs, |_| true)
                .expect_err("tmpfs source")
                .message,
            "invalid mount config for type \"tmpfs\": field Source must not be specified"
        );
    }

    #[test]
    fn clean_path_follows_go() {
        assert_eq!(clean_path("/foo/"), "/foo");
        assert_eq!(clean_path("/a/../../b/./c//"), "/b/c");
        assert_eq!(clean_path("a/../.."), "..");
        assert_eq!(clean_path(""), ".");
    }
}
