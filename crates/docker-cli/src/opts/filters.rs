//! `docker ps --filter`: `status`, `name`, `volume` and `ancestor`, as the daemon reads them
//! (values of one key are alternatives; keys must all hold).

use layerbox_engine::container::{Container, Status};
use layerbox_engine::world::World;

/// Parsed `--filter` values, or the answer the CLI or daemon gives to a bad one.
pub struct PsFilter {
    terms: Vec<(String, String)>,
}

/// A filter the CLI refuses (`Err(Usage)`) or the daemon does (`Err(Daemon)`).
pub enum FilterError {
    Usage(String),
    Daemon(String),
    NotModelled(String),
}

const STATUSES: &[&str] = &[
    "created",
    "restarting",
    "running",
    "removing",
    "paused",
    "exited",
    "dead",
];

/// Keys Docker accepts that layerbox does not model.
const OTHER_KEYS: &[&str] = &[
    "id",
    "label",
    "exited",
    "before",
    "since",
    "network",
    "publish",
    "expose",
    "health",
    "isolation",
    "is-task",
];

impl PsFilter {
    pub fn parse(values: &[String]) -> Result<PsFilter, FilterError> {
        let mut terms = Vec::new();
        for v in values {
            let Some((k, val)) = v.split_once('=') else {
                return Err(FilterError::Usage(format!(
                    "invalid argument \"{v}\" for \"-f, --filter\" flag: bad format of filter (expected name=value)"
                )));
            };
            terms.push((k.trim().to_lowercase(), val.to_string()));
        }
        for (k, v) in &terms {
            match k.as_str() {
                "status" if !STATUSES.contains(&v.as_str()) => {
                    return Err(FilterError::Daemon(format!("Invalid filter 'status={v}'")))
                }
                "status" | "name" | "volume" | "ancestor" => {}
                k if OTHER_KEYS.contains(&k) => {
                    return Err(FilterError::NotModelled(format!("docker ps --filter {k}")))
                }
                k => return Err(FilterError::Daemon(format!("Invalid filter '{k}'"))),
            }
        }
        Ok(PsFilter { terms })
    }

    /// Whether a `status` filter is given (it lists stopped containers without `-a`).
    pub fn has_status(&self) -> bool {
        self.terms.iter().any(|(k, _)| k == "status")
    }

    pub fn matches(&self, world: &World, c: &Container) -> bool {
        let keys = layerbox_order::set(self.terms.iter().map(|(k, _)| k.as_str()));
        keys.into_iter().all(|key| {
            self.terms
                .iter()
                .filter(|(k, _)| k == key)
                .any(|(_, v)| term(world, c, key, v))
        })
    }
}

fn term(world: &World, c: &Container, key: &str, v: &str) -> bool {
    match key {
        "status" => {
            let status = match c.state.status {
                Status::Created => "created",
                Status::Running => "running",
                _ => "exited",
            };
            status == v
        }
        // Emulation note: Docker reads the value as a regular expression; a plain substring
        // is the common case.
        "name" => layerbox_engine::filter::matches_container_name(v, &c.name),
        "volume" => c
            .mounts
            .iter()
            .any(|m| m.name == v || m.destination == v || m.source == v),
        // The image or any image built on it: its layers are the bottom of the container's.
        "ancestor" => world.images().find(v).is_some_and(|img| {
            img.id == c.image_id
                || world.images().images.get(&c.image_id).is_some_and(|mine| {
                    !img.layers.is_empty()
                        && mine.layers.len() >= img.layers.len()
                        && img
                            .layers
                            .iter()
                            .zip(&mine.layers)
                            .all(|(a, b)| std::sync::Arc::ptr_eq(a, b))
                })
        }),
        _ => false,
    }
}
