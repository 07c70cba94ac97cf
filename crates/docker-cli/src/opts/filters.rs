//! `docker ps --filter`: `status`, `name`, `volume`, `ancestor`, `exited`, `health`, `before`
//! and `since`, as the daemon reads them (values of one key are alternatives; keys must all hold;
//! of several `before` or `since` values the last counts).

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
    "network",
    "publish",
    "expose",
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
                "exited" => {
                    if let Err(e) = v.parse::<i32>() {
                        let why = match e.kind() {
                            std::num::IntErrorKind::PosOverflow
                            | std::num::IntErrorKind::NegOverflow => "value out of range",
                            _ => "invalid syntax",
                        };
                        return Err(FilterError::Daemon(format!(
                            "strconv.Atoi: parsing \"{v}\": {why}"
                        )));
                    }
                }
                "health"
                    if !matches!(v.as_str(), "starting" | "healthy" | "unhealthy" | "none") =>
                {
                    return Err(FilterError::Daemon(format!(
                        "Unrecognised filter value for health: {v}"
                    )))
                }
                "status" | "name" | "volume" | "ancestor" | "before" | "since" | "health" => {}
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

    /// The containers `before=` and `since=` name, as creation positions: the daemon's
    /// `no such container NAME` when one does not exist.
    pub fn resolve(&self, world: &World) -> Result<Bounds, FilterError> {
        let mut bounds = Bounds::default();
        for (k, v) in &self.terms {
            let slot = match k.as_str() {
                "before" => &mut bounds.before,
                "since" => &mut bounds.since,
                _ => continue,
            };
            let index = world
                .container_id(v)
                .ok()
                .and_then(|id| world.creation_index(&id));
            match index {
                Some(i) => *slot = Some(i),
                None => return Err(FilterError::Daemon(format!("no such container {v}"))),
            }
        }
        Ok(bounds)
    }

    pub fn matches(&self, world: &World, bounds: &Bounds, c: &Container) -> bool {
        let index = world.creation_index(&c.id);
        if bounds.before.is_some_and(|b| index.is_none_or(|i| i >= b))
            || bounds.since.is_some_and(|s| index.is_none_or(|i| i <= s))
        {
            return false;
        }
        let keys = layerbox_order::set(
            self.terms
                .iter()
                .map(|(k, _)| k.as_str())
                .filter(|k| !matches!(*k, "before" | "since")),
        );
        keys.into_iter().all(|key| {
            self.terms
                .iter()
                .filter(|(k, _)| k == key)
                .any(|(_, v)| term(world, c, key, v))
        })
    }
}

/// Where `before=` and `since=` cut the list, by creation position.
#[derive(Debug, Default, Clone, Copy)]
pub struct Bounds {
    before: Option<usize>,
    since: Option<usize>,
}

fn term(world: &World, c: &Container, key: &str, v: &str) -> bool {
    match key {
        "status" => {
            let status = match c.state.status {
                Status::Exited if c.state.restarting => "restarting",
                Status::Created => "created",
                Status::Running => "running",
                _ => "exited",
            };
            status == v
        }
        // A container that ran and stopped with that status.
        "exited" => {
            c.state.status == Status::Exited
                && c.state.started_at.is_some()
                && v.parse::<i32>() == Ok(c.state.exit_code)
        }
        // The health check's status; `none` for a container without one.
        "health" => {
            c.state
                .health
                .as_ref()
                .map_or("none", |h| h.status.as_str())
                == v
        }
        // Emulation note: Docker reads the value as a regular expression; a plain substring
        // is the common case.
        "name" => layerbox_engine::filter::matches_container_name(v, &c.name),
        "volume" => c
            .mounts
            .iter()
            .any(|m| m.name == v || m.destination == v || m.source == v),
        // The image or any image built on it here (moby's `populateImageFilterByParents`
        // walks images' parents): a loaded or pulled image, such as the samples, has no
        // parent, so `ancestor=alpine` does not take in nginx though nginx's bottom layer is
        // alpine's.
        "ancestor" => world.images().find(v).is_some_and(|img| {
            let mut current = world.images().images.get(&c.image_id);
            let mut steps = 0;
            while let Some(image) = current {
                if image.id == img.id {
                    return true;
                }
                steps += 1;
                if steps > world.images().images.len() {
                    return false;
                }
                current = image
                    .parent
                    .as_ref()
                    .and_then(|parent| world.images().images.get(parent));
            }
            img.id == c.image_id
        }),
        _ => false,
    }
}
