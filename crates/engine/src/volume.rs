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
        self.labels.as_ref().is_some_and(|l| l.contains_key(ANONYMOUS_LABEL))
    }

    /// `/var/lib/docker/volumes/<name>/_data`.
    pub fn mountpoint(&self) -> String {
        format!("/var/lib/docker/volumes/{}/_data", self.name)
    }
}

/// Local-driver volume names: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`.
pub fn validate_name(name: &str) -> Result<(), EngineError> {
    let bytes = name.as_bytes();
    let valid_first = bytes.first().is_some_and(u8::is_ascii_alphanumeric);
    let valid_rest = bytes.iter().skip(1).all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(b));
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
    EngineError::conflict(format!("remove {name}: volume is in use - [{}]", ids.join(", ")))
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
        Filter { key: key.to_string(), value: value.to_string() }
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
        by_key.entry(f.key.as_str()).or_default().push(f.value.as_str());
    }
    for (key, values) in &by_key {
        let ok = match *key {
            "dangling" => {
                let mut ok = false;
                for v in values {
                    let want = match *v {
                        "true" | "1" => true,
                        "false" | "0" => false,
                        _ => return Err(EngineError::invalid(format!("invalid filter 'dangling=[{v}]'"))),
                    };
                    ok |= meta.refs.is_empty() == want;
                }
                ok
            }
            "name" => values.iter().any(|v| name_matches(&meta.name, v)),
            "driver" => values.iter().any(|v| meta.driver == *v),
            // Several label filters must all hold.
            "label" => values.iter().all(|v| label_matches(meta.labels.as_ref(), v)),
            other => return Err(EngineError::invalid(format!("invalid filter '{other}'"))),
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The filters `volume prune` accepts (`label`, `label!`, `all`); dangling is implied.
pub fn prune_matches(meta: &VolumeMeta, filters: &[Filter], all: bool) -> Result<bool, EngineError> {
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

/// Go `filters.Match`: an exact match, or the value as a regular expression found anywhere.
fn name_matches(name: &str, pattern: &str) -> bool {
    if name == pattern {
        return true;
    }
    match regex_lite::Regex::new(pattern) {
        Ok(re) => re.is_match(name),
        Err(_) => false,
    }
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
                Some(labels.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
            },
            options: None,
            created_at: 0,
            origin: VolumeOrigin::Create,
            refs: refs.iter().map(|r| r.to_string()).collect(),
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
        assert!(validate_name("foo/bar").expect_err("slash").message.starts_with(
            "create foo/bar: \"foo/bar\" includes invalid characters for a local volume name"
        ));
        assert!(validate_name("todo-list").is_ok());
        assert!(validate_name("_x").is_err());
    }

    #[test]
    fn in_use_error_lists_every_container() {
        let refs: BTreeSet<String> = ["aaa".to_string(), "bbb".to_string()].into();
        assert_eq!(in_use_error("v1", &refs).message, "remove v1: volume is in use - [aaa, bbb]");
    }

    #[test]
    fn dangling_means_no_container_refers_to_it() {
        let used = meta("used", &[], &["c1"]);
        let free = meta("free", &[], &[]);
        assert_eq!(list_matches(&used, &f("dangling=true")), Ok(false));
        assert_eq!(list_matches(&free, &f("dangling=1")), Ok(true));
        assert_eq!(list_matches(&used, &f("dangling=false")), Ok(true));
        assert_eq!(
            list_matches(&free, &f("dangling=maybe")).expect_err("bad").message,
            "invalid filter 'dangling=[maybe]'"
        );
        assert_eq!(list_matches(&free, &f("foo=1")).expect_err("bad").message, "invalid filter 'foo'");
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
