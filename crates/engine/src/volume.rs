//! Docker volumes: names, labels, anonymous volumes, reference counting, filters and prune,
//! as the daemon's volume service and local driver do them.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::error::EngineError;

/// The label Docker (23+) puts on every volume created without a name.
pub const ANONYMOUS_LABEL: &str = "com.docker.volume.anonymous";

/// How a volume came to exist; the UI says it, Docker does not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum VolumeOrigin {
    /// `docker volume create`.
    Create,
    /// `-v name:/path` or `-v /path` naming a volume that did not exist.
    VolumeFlag,
    /// `--mount type=volume,...`.
    MountFlag,
    /// The image's `VOLUME` instruction.
    ImageVolume,
}

/// A volume's metadata (what `docker volume inspect` shows, plus its references).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolumeMeta {
    pub name: String,
    pub driver: String,
    /// `None` prints as `null` (a volume created with no labels).
    pub labels: Option<BTreeMap<String, String>>,
    pub options: Option<BTreeMap<String, String>>,
    pub created_at: u64,
    pub origin: VolumeOrigin,
    /// Containers (full ids) that reference the volume, running or not, from create to rm.
    pub refs: BTreeSet<String>,
}

impl VolumeMeta {
    pub fn is_anonymous(&self) -> bool {
        self.labels
            .as_ref()
            .is_some_and(|l| l.contains_key(ANONYMOUS_LABEL))
    }

    /// `/var/lib/docker/volumes/<name>/_data`.
    pub fn mountpoint(&self) -> String {
        format!("/var/lib/docker/volumes/{}/_data", self.name)
    }

    /// What the local driver mounts for this volume, from its `type`, `device` and `o`
    /// options (moby's `volume/local`).
    pub fn local_kind(&self) -> LocalKind {
        let Some(opts) = &self.options else {
            return LocalKind::Disk;
        };
        let get = |k: &str| opts.get(k).cloned().unwrap_or_default();
        let (fstype, device, o) = (get("type"), get("device"), get("o"));
        if fstype.is_empty() && device.is_empty() {
            return LocalKind::Disk;
        }
        let flags: Vec<&str> = o.split(',').filter(|f| !f.is_empty()).collect();
        match fstype.as_str() {
            "tmpfs" => LocalKind::Tmpfs {
                options: flags.iter().map(|f| f.to_string()).collect(),
            },
            "none" if flags.contains(&"bind") => LocalKind::Bind {
                device,
                read_only: flags.contains(&"ro"),
            },
            "nfs" => LocalKind::Nfs { device, o },
            _ => LocalKind::Mount { fstype, device },
        }
    }
}

/// What the local driver mounts at a volume's `_data` when a container uses it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LocalKind {
    /// A directory on the host's disk (no options): the volume's own data.
    Disk,
    /// `type=tmpfs`: a fresh tmpfs, mounted while a container uses the volume, with the `o`
    /// options (`size=`, `uid=`, `mode=`...).
    Tmpfs { options: Vec<String> },
    /// `type=none o=bind device=DIR`: the host directory DIR itself.
    Bind { device: String, read_only: bool },
    /// `type=nfs`: an export of the simulated file server ([`crate::host::nfs`]), `o` the
    /// mount options as given (`addr=…,rw`), `device` `:/export` or below.
    Nfs { device: String, o: String },
    /// Any other filesystem type (`ext4`, `cifs`, or `none` without `bind`).
    Mount { fstype: String, device: String },
}

/// Local-driver volume names: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`.
pub fn validate_name(name: &str) -> Result<(), EngineError> {
    let bytes = name.as_bytes();
    let valid_first = bytes.first().is_some_and(u8::is_ascii_alphanumeric);
    let valid_rest = bytes
        .iter()
        .skip(1)
        .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(b));
    if valid_first && valid_rest && bytes.len() >= 2 {
        return Ok(());
    }
    if valid_first && valid_rest {
        return Err(EngineError::invalid(format!(
            "create {name}: volume name is too short, names should be at least two alphanumeric characters"
        )));
    }
    Err(EngineError::invalid(format!(
        "create {name}: \"{name}\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path"
    )))
}

/// The in-use error: `remove v1: volume is in use - [id1, id2]`.
pub fn in_use_error(name: &str, refs: &BTreeSet<String>) -> EngineError {
    let ids: Vec<&str> = refs.iter().map(String::as_str).collect();
    EngineError::conflict(format!(
        "remove {name}: volume is in use - [{}]",
        ids.join(", ")
    ))
}

/// The not-found error: `get nosuch: no such volume`.
pub fn no_such_volume(name: &str) -> EngineError {
    EngineError::not_found(format!("get {name}: no such volume"))
}

/// One `--filter key=value` of `volume ls` / `volume prune`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    pub key: String,
    pub value: String,
}

impl Filter {
    /// Splits `key=value` (a bare `key` has an empty value).
    pub fn parse(text: &str) -> Filter {
        let (key, value) = text.split_once('=').unwrap_or((text, ""));
        Filter {
            key: key.to_string(),
            value: value.to_string(),
        }
    }
}

/// Checks a label filter value `k` or `k=v` against a volume's labels.
fn label_matches(labels: Option<&BTreeMap<String, String>>, want: &str) -> bool {
    let (k, v) = match want.split_once('=') {
        Some((k, v)) => (k, Some(v)),
        None => (want, None),
    };
    match (labels.and_then(|l| l.get(k)), v) {
        (Some(_), None) => true,
        (Some(have), Some(v)) => have == v,
        (None, _) => false,
    }
}

/// The filters `volume ls` accepts (`dangling`, `name`, `driver`, `label`), as the daemon checks
/// them; `name` matches as a substring or a regular expression, as Docker's does.
pub fn list_matches(meta: &VolumeMeta, filters: &[Filter]) -> Result<bool, EngineError> {
    let mut by_key: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for f in filters {
        by_key
            .entry(f.key.as_str())
            .or_default()
            .push(f.value.as_str());
    }
    for (key, values) in &by_key {
        let ok = match *key {
            "dangling" => {
                let mut ok = false;
                for v in values {
                    let want = match *v {
                        "true" | "1" => true,
                        "false" | "0" => false,
                        _ => {
                            return Err(EngineError::invalid(format!(
                                "invalid filter 'dangling=[{v}]'"
                            )))
                        }
                    };
                    ok |= meta.refs.is_empty() == want;
                }
                ok
            }
            "name" => values.iter().any(|v| crate::filter::matches(v, &meta.name)),
            "driver" => values.iter().any(|v| meta.driver == *v),
            // Several label filters must all hold.
            "label" => values
                .iter()
                .all(|v| label_matches(meta.labels.as_ref(), v)),
            other => return Err(EngineError::invalid(format!("invalid filter '{other}'"))),
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The filters `volume prune` accepts (`label`, `label!`, `all`); dangling is implied.
pub fn prune_matches(
    meta: &VolumeMeta,
    filters: &[Filter],
    all: bool,
) -> Result<bool, EngineError> {
    let mut all = all;
    for f in filters {
        match f.key.as_str() {
            "label" => {
                if !label_matches(meta.labels.as_ref(), &f.value) {
                    return Ok(false);
                }
            }
            "label!" => {
                if label_matches(meta.labels.as_ref(), &f.value) {
                    return Ok(false);
                }
            }
            "all" => all = matches!(f.value.as_str(), "1" | "true"),
            other => return Err(EngineError::invalid(format!("invalid filter '{other}'"))),
        }
    }
    Ok(meta.refs.is_empty() && meta.options.is_none() && (all || meta.is_anonymous()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(name: &str, labels: &[(&str, &str)], refs: &[&str]) -> VolumeMeta {
        VolumeMeta {
            name: name.into(),
            driver: "local".into(),
            labels: if labels.is_empty() {
                None
            } else {
                Some(layerbox_order::map(
                    labels.iter().map(|(k, v)| (k.to_string(), v.to_string())),
                ))
            },
            options: None,
            created_at: 0,
            origin: VolumeOrigin::Create,
            refs: layerbox_order::set(refs.iter().map(|r| r.to_string())),
        }
    }

    fn f(s: &str) -> Vec<Filter> {
        vec![Filter::parse(s)]
    }

    #[test]
    fn short_and_slashed_names_are_refused_in_dockers_words() {
        assert_eq!(
            validate_name("a").expect_err("short").message,
            "create a: volume name is too short, names should be at least two alphanumeric characters"
        );
        assert!(validate_name("foo/bar")
            .expect_err("slash")
            .message
            .starts_with(
                "create foo/bar: \"foo/bar\" includes invalid characters for a local volume name"
            ));
        assert!(validate_name("todo-list").is_ok());
        assert!(validate_name("_x").is_err());
    }

    #[test]
    fn in_use_error_lists_every_container() {
        let refs: BTreeSet<String> = ["aaa".to_string(), "bbb".to_string()].into();
        assert_eq!(
            in_use_error("v1", &refs).message,
            "remove v1: volume is in use - [aaa, bbb]"
        );
    }

    #[test]
    fn dangling_means_no_container_refers_to_it() {
        let used = meta("used", &[], &["c1"]);
        let free = meta("free", &[], &[]);
        assert_eq!(list_matches(&used, &f("dangling=true")), Ok(false));
        assert_eq!(list_matches(&free, &f("dangling=1")), Ok(true));
        assert_eq!(list_matches(&used, &f("dangling=false")), Ok(true));
        assert_eq!(
            list_matches(&free, &f("dangling=maybe"))
                .expect_err("bad")
                .message,
            "invalid filter 'dangling=[maybe]'"
        );
        assert_eq!(
            list_matches(&free, &f("foo=1")).expect_err("bad").message,
            "invalid filter 'foo'"
        );
    }

    #[test]
    fn name_filter_matches_substrings_and_patterns() {
        let v = meta("rosemary", &[], &[]);
        assert_eq!(list_matches(&v, &f("name=rose")), Ok(true));
        assert_eq!(list_matches(&v, &f("name=^ro")), Ok(true));
        assert_eq!(list_matches(&v, &f("name=^mary")), Ok(false));
    }

    #[test]
    fn label_filters_all_hold() {
        let v = meta("v1", &[("env", "dev"), ("team", "a")], &[]);
        assert_eq!(list_matches(&v, &f("label=env")), Ok(true));
        assert_eq!(list_matches(&v, &f("label=env=prod")), Ok(false));
        let both = vec![Filter::parse("label=env=dev"), Filter::parse("label=team")];
        assert_eq!(list_matches(&v, &both), Ok(true));
    }

    #[test]
    fn prune_takes_only_unused_anonymous_volumes_unless_all() {
        let anon = meta("abc", &[(ANONYMOUS_LABEL, "")], &[]);
        let named = meta("data", &[], &[]);
        let used = meta("def", &[(ANONYMOUS_LABEL, "")], &["c1"]);
        assert_eq!(prune_matches(&anon, &[], false), Ok(true));
        assert_eq!(prune_matches(&named, &[], false), Ok(false));
        assert_eq!(prune_matches(&named, &[], true), Ok(true));
        assert_eq!(prune_matches(&used, &[], true), Ok(false));
        assert_eq!(prune_matches(&named, &f("all=1"), false), Ok(true));
        assert_eq!(prune_matches(&named, &f("label!=keep"), true), Ok(true));
    }
}

/// A volume: its metadata and its files (the local driver's `_data` directory).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Volume {
    pub meta: VolumeMeta,
    pub data: layerbox_fstree::Tree,
}

impl Volume {
    /// Bytes of regular files (`docker system df -v`).
    pub fn size(&self) -> u64 {
        self.data.total_bytes()
    }

    /// Whether the volume holds nothing (only then is it pre-populated from an image).
    pub fn is_empty(&self) -> bool {
        use layerbox_fstree::Store;
        self.data.entries("/").map(|e| e.is_empty()).unwrap_or(true)
    }
}

/// Every volume of the daemon, by name.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct VolumeStore {
    pub volumes: BTreeMap<String, Volume>,
}

/// What a create asked for beyond the name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VolumeCreate {
    pub driver: Option<String>,
    pub labels: BTreeMap<String, String>,
    pub options: BTreeMap<String, String>,
}

impl VolumeStore {
    pub fn get(&self, name: &str) -> Result<&Volume, EngineError> {
        self.volumes.get(name).ok_or_else(|| no_such_volume(name))
    }

    /// Creates a volume, or returns the existing one of that name unchanged (Docker ignores
    /// new labels then). `name` empty means anonymous: `id` names it and it gets the anonymous
    /// label. Returns the name and whether it was created.
    pub fn create(
        &mut self,
        name: &str,
        id: impl FnOnce() -> String,
        req: &VolumeCreate,
        origin: VolumeOrigin,
        now: u64,
    ) -> Result<(String, bool), EngineError> {
        let driver = req.driver.clone().unwrap_or_else(|| "local".to_string());
        if !name.is_empty() {
            if let Some(v) = self.volumes.get(name) {
                if v.meta.driver != driver {
                    return Err(EngineError::conflict(format!(
                        "create {name}: driver '{}' already has volume '{name}': volume name must be unique",
                        v.meta.driver
                    )));
                }
                return Ok((name.to_string(), false));
            }
            validate_name(name)?;
        }
        if driver != "local" {
            return Err(EngineError::not_found(format!(
                "create {name}: error looking up volume plugin {driver}: plugin \"{driver}\" not found"
            )));
        }
        if let Some(key) = req
            .options
            .keys()
            .find(|k| !["type", "device", "o", "size"].contains(&k.as_str()))
        {
            return Err(EngineError::invalid(format!(
                "create {name}: invalid option: \"{key}\""
            )));
        }
        // The local driver's mandatory options: `device` and `type` go together, `o` needs
        // both.
        for (given, needs) in [
            ("device", &["type"][..]),
            ("type", &["device"][..]),
            ("o", &["device", "type"][..]),
        ] {
            if req.options.contains_key(given) {
                if let Some(missing) = needs.iter().find(|k| !req.options.contains_key(**k)) {
                    return Err(EngineError::invalid(format!(
                        "create {name}: missing required option: \"{missing}\""
                    )));
                }
            }
        }
        let (name, mut labels) = if name.is_empty() {
            (
                id(),
                layerbox_order::map([(ANONYMOUS_LABEL.to_string(), String::new())]),
            )
        } else {
            (name.to_string(), BTreeMap::new())
        };
        labels.extend(req.labels.clone());
        let meta = VolumeMeta {
            name: name.clone(),
            driver,
            labels: (!labels.is_empty()).then_some(labels),
            options: (!req.options.is_empty()).then(|| req.options.clone()),
            created_at: now,
            origin,
            refs: BTreeSet::new(),
        };
        let root = layerbox_fstree::Meta::new(0o755, 0, 0, now);
        let data = layerbox_fstree::Tree::with_root(root, Default::default());
        self.volumes.insert(name.clone(), Volume { meta, data });
        Ok((name, true))
    }

    /// `docker volume rm [-f]`: refused while any container refers to it, even with force.
    pub fn remove(&mut self, name: &str, force: bool) -> Result<(), EngineError> {
        match self.volumes.get(name) {
            None if force => Ok(()),
            None => Err(no_such_volume(name)),
            Some(v) if !v.meta.refs.is_empty() => Err(in_use_error(name, &v.meta.refs)),
            Some(_) => {
                self.volumes.remove(name);
                Ok(())
            }
        }
    }

    /// `docker volume prune`: removes unused volumes the filters select (anonymous only,
    /// unless `all`), returning their names and the bytes reclaimed.
    pub fn prune(
        &mut self,
        filters: &[Filter],
        all: bool,
    ) -> Result<(Vec<String>, u64), EngineError> {
        let mut doomed = Vec::new();
        for v in self.volumes.values() {
            if prune_matches(&v.meta, filters, all)? {
                doomed.push(v.meta.name.clone());
            }
        }
        let mut reclaimed = 0;
        for name in &doomed {
            if let Some(v) = self.volumes.remove(name) {
                reclaimed += v.size();
            }
        }
        Ok((doomed, reclaimed))
    }

    /// `docker volume ls` with filters, in Docker's natural name order.
    pub fn list(&self, filters: &[Filter]) -> Result<Vec<&Volume>, EngineError> {
        let mut out = Vec::new();
        for v in self.volumes.values() {
            if list_matches(&v.meta, filters)? {
                out.push(v);
            }
        }
        layerbox_order::sort_by(&mut out, |a, b| natural_cmp(&a.meta.name, &b.meta.name));
        Ok(out)
    }
}

/// `sortorder.NaturalLess`: digit runs compare as numbers (`vol2` before `vol10`).
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i].is_ascii_digit() && b[j].is_ascii_digit() {
            let (si, sj) = (i, j);
            while i < a.len() && a[i].is_ascii_digit() {
                i += 1;
            }
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            let (na, nb) = (trim_zeros(&a[si..i]), trim_zeros(&b[sj..j]));
            let ord = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
            if ord != Ordering::Equal {
                return ord;
            }
        } else {
            if a[i] != b[j] {
                return a[i].cmp(&b[j]);
            }
            i += 1;
            j += 1;
        }
    }
    (a.len() - i).cmp(&(b.len() - j))
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let start = digits
        .iter()
        .position(|&d| d != b'0')
        .unwrap_or(digits.len());
    &digits[start..]
}

#[cfg(test)]
mod store_tests {
    use super::*;

    fn anon_id() -> String {
        "f".repeat(64)
    }

    #[test]
    fn creating_an_existing_volume_returns_it_and_ignores_new_labels() {
        let mut s = VolumeStore::default();
        let (name, created) = s
            .create(
                "myvol",
                anon_id,
                &VolumeCreate::default(),
                VolumeOrigin::Create,
                1,
            )
            .expect("create");
        assert_eq!((name.as_str(), created), ("myvol", true));
        let labelled = VolumeCreate {
            labels: BTreeMap::from([("a".into(), "b".into())]),
            ..Default::default()
        };
        let (_, created) = s
            .create("myvol", anon_id, &labelled, VolumeOrigin::Create, 2)
            .expect("again");
        assert!(!created);
        assert_eq!(s.get("myvol").expect("there").meta.labels, None);
    }

    #[test]
    fn anonymous_volumes_get_an_id_and_the_anonymous_label() {
        let mut s = VolumeStore::default();
        let (name, _) = s
            .create(
                "",
                anon_id,
                &VolumeCreate::default(),
                VolumeOrigin::ImageVolume,
                1,
            )
            .expect("anon");
        assert_eq!(name, anon_id());
        assert!(s.get(&name).expect("there").meta.is_anonymous());
    }

    #[test]
    fn volume_in_use_cannot_be_removed_even_with_force() {
        let mut s = VolumeStore::default();
        s.create(
            "data",
            anon_id,
            &VolumeCreate::default(),
            VolumeOrigin::Create,
            1,
        )
        .expect("create");
        if let Some(v) = s.volumes.get_mut("data") {
            v.meta.refs.insert("c1".into());
        }
        assert_eq!(
            s.remove("data", true).expect_err("in use").message,
            "remove data: volume is in use - [c1]"
        );
        assert_eq!(
            s.remove("nosuch", false).expect_err("missing").message,
            "get nosuch: no such volume"
        );
        assert_eq!(s.remove("nosuch", true), Ok(()));
    }

    #[test]
    fn volumes_list_in_natural_order() {
        let mut s = VolumeStore::default();
        for n in ["vol10", "vol2", "alpha"] {
            s.create(
                n,
                anon_id,
                &VolumeCreate::default(),
                VolumeOrigin::Create,
                1,
            )
            .expect("create");
        }
        let names: Vec<&str> = s
            .list(&[])
            .expect("list")
            .iter()
            .map(|v| v.meta.name.as_str())
            .collect();
        assert_eq!(names, ["alpha", "vol2", "vol10"]);
    }
}
