//! Health checks as the daemon's health monitor keeps them (moby 20.10 `daemon/health.go`):
//! the container's `Healthcheck` merged from the image's and `docker run`'s, the state a start
//! resets to `starting`, when the next probe is due, and what a probe's result does to
//! `Status`, `FailingStreak` and the last five `Log` entries. Running the probe in the
//! container is the runtime's (`layerbox-runtime`), as an exec is.

use serde::{Deserialize, Serialize};

pub use layerbox_images::HealthConfig;
use layerbox_images::ImageConfig;

use crate::container::Status;
use crate::world::World;

const SECOND: i64 = 1_000_000_000;
/// The interval and timeout a health check has when its config gives none (30s each).
pub const DEFAULT_INTERVAL: i64 = 30 * SECOND;
pub const DEFAULT_TIMEOUT: i64 = 30 * SECOND;
/// Failures in a row that make a container unhealthy when `retries` is 0.
pub const DEFAULT_RETRIES: i64 = 3;
/// Log entries kept (`maxLogEntries`).
pub const MAX_LOG_ENTRIES: usize = 5;
/// Bytes of a probe's output kept (`maxOutputLen`); longer output ends in `...`.
pub const MAX_OUTPUT_LEN: usize = 4096;

/// `State.Health.Status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HealthStatus {
    Starting,
    Healthy,
    Unhealthy,
}

impl HealthStatus {
    /// The API's word (`starting`, `healthy`, `unhealthy`).
    pub fn as_str(self) -> &'static str {
        match self {
            HealthStatus::Starting => "starting",
            HealthStatus::Healthy => "healthy",
            HealthStatus::Unhealthy => "unhealthy",
        }
    }
}

/// One probe's result (`HealthcheckResult`); times are the world's logical seconds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthResult {
    pub start: u64,
    pub end: u64,
    pub exit_code: i64,
    pub output: String,
}

/// `State.Health`, with when the monitor probes next while the container runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub status: HealthStatus,
    pub failing_streak: i64,
    pub log: Vec<HealthResult>,
    /// The logical time the next probe starts (the interval after the start, then after the
    /// end of each probe).
    pub next_probe: u64,
}

/// Nanoseconds as the logical clock's whole seconds, rounded up (a 100ms interval probes
/// once a second).
/// Emulation note: the clock counts whole seconds.
pub fn whole_seconds(ns: i64) -> u64 {
    u64::try_from(ns.max(0))
        .unwrap_or(0)
        .div_ceil(SECOND as u64)
}

fn or_default(value: i64, default: i64) -> i64 {
    if value == 0 {
        default
    } else {
        value
    }
}

/// The command a probe runs (`getProbe`): `CMD` execs its argv, `CMD-SHELL` runs its text with
/// `/bin/sh -c`; `NONE`, an empty test or an unknown type probe nothing.
pub fn probe_argv(config: &HealthConfig) -> Option<Vec<String>> {
    let (kind, rest) = config.test.split_first()?;
    match kind.as_str() {
        "CMD" if !rest.is_empty() => Some(rest.to_vec()),
        "CMD-SHELL" => Some(
            ["/bin/sh".to_string(), "-c".to_string()]
                .into_iter()
                .chain(rest.iter().cloned())
                .collect(),
        ),
        _ => None,
    }
}

/// The check's interval, timeout and start period in logical seconds, with the defaults.
pub fn interval_seconds(config: &HealthConfig) -> u64 {
    whole_seconds(or_default(config.interval, DEFAULT_INTERVAL)).max(1)
}

pub fn timeout_seconds(config: &HealthConfig) -> u64 {
    whole_seconds(or_default(config.timeout, DEFAULT_TIMEOUT)).max(1)
}

/// The daemon's merge of `docker run`'s health check over the image's (`merge` in
/// `daemon/commit.go`): no `--health-*` flag keeps the image's; otherwise each field left
/// empty or zero takes the image's.
pub fn merge(user: &Option<HealthConfig>, image: &ImageConfig) -> Option<HealthConfig> {
    let Some(image) = image.healthcheck.as_ref() else {
        return user.clone();
    };
    let Some(mut user) = user.clone() else {
        return Some(image.clone());
    };
    if user.test.is_empty() {
        user.test = image.test.clone();
    }
    if user.interval == 0 {
        user.interval = image.interval;
    }
    if user.timeout == 0 {
        user.timeout = image.timeout;
    }
    if user.start_period == 0 {
        user.start_period = image.start_period;
    }
    if user.retries == 0 {
        user.retries = image.retries;
    }
    Some(user)
}

/// The container stopped: its health monitor stops, and the state reads `unhealthy` until the
/// next start (recorded in `health-run-flags`).
pub(crate) fn stopped(state: &mut crate::container::ContainerState) {
    if let Some(h) = state.health.as_mut() {
        h.status = HealthStatus::Unhealthy;
    }
}

/// The daemon's checks of a health check at create (20.10's `verifyContainerSettings`).
pub fn validate(config: &HealthConfig) -> Result<(), crate::EngineError> {
    let short = |d: i64| d != 0 && d < crate::daemon::health::MINIMUM_DURATION;
    if short(config.interval) {
        return Err(crate::EngineError::invalid(
            "Interval in Healthcheck cannot be less than 1ms",
        ));
    }
    if short(config.timeout) {
        return Err(crate::EngineError::invalid(
            "Timeout in Healthcheck cannot be less than 1ms",
        ));
    }
    if config.retries < 0 {
        return Err(crate::EngineError::invalid(
            "Retries in Healthcheck cannot be negative",
        ));
    }
    if short(config.start_period) {
        return Err(crate::EngineError::invalid(
            "StartPeriod in Healthcheck cannot be less than 1ms",
        ));
    }
    Ok(())
}

/// `container.MinimumDuration`.
pub const MINIMUM_DURATION: i64 = 1_000_000;

/// A probe's output as the monitor keeps it: at most [`MAX_OUTPUT_LEN`] bytes, then `...`.
pub fn kept_output(bytes: &[u8]) -> String {
    if bytes.len() > MAX_OUTPUT_LEN {
        let mut out = String::from_utf8_lossy(&bytes[..MAX_OUTPUT_LEN]).into_owned();
        out.push_str("...");
        out
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
}

impl World {
    /// A start (by the CLI or a restart policy) resets the health state (`initHealthMonitor`):
    /// `starting`, no failures, the log kept; the first probe is due an interval later.
    pub(crate) fn init_health(&mut self, id: &str) {
        let now = self.now();
        let Some(c) = self.containers.get_mut(id) else {
            return;
        };
        let Some(config) = c.config.healthcheck.as_ref() else {
            return;
        };
        if probe_argv(config).is_none() {
            return;
        }
        let next_probe = now.saturating_add(interval_seconds(config));
        let log = c.state.health.take().map(|h| h.log).unwrap_or_default();
        c.state.health = Some(Health {
            status: HealthStatus::Starting,
            failing_streak: 0,
            log,
            next_probe,
        });
    }

    /// The running containers whose next probe is due by `until`, with its time.
    pub fn probes_due(&self, until: u64) -> Vec<(u64, String)> {
        self.containers
            .iter()
            .filter(|(_, c)| c.state.status == Status::Running)
            .filter(|(_, c)| c.config.healthcheck.as_ref().and_then(probe_argv).is_some())
            .filter_map(|(id, c)| {
                let h = c.state.health.as_ref()?;
                (h.next_probe <= until).then(|| (h.next_probe, id.clone()))
            })
            .collect()
    }

    /// A probe of container `id` ended (`handleProbeResult`): the result joins the log (the
    /// oldest dropped past five), a success makes it healthy, a failure counts towards
    /// `retries` unless it started within the start period while the container is still
    /// `starting`. The next probe is due an interval after this one ended.
    pub fn record_probe(&mut self, id: &str, result: HealthResult) {
        let Some(c) = self.containers.get_mut(id) else {
            return;
        };
        let Some(config) = c.config.healthcheck.clone() else {
            return;
        };
        let started = c.state.started_at.unwrap_or(result.start);
        let Some(h) = c.state.health.as_mut() else {
            return;
        };
        let retries = if config.retries <= 0 {
            DEFAULT_RETRIES
        } else {
            config.retries
        };
        h.next_probe = result.end.saturating_add(interval_seconds(&config));
        if result.exit_code == 0 {
            h.failing_streak = 0;
            h.status = HealthStatus::Healthy;
        } else {
            let since_start = result.start.saturating_sub(started);
            let in_start_period = h.status == HealthStatus::Starting
                && u128::from(since_start) * 1_000_000_000 < config.start_period.max(0) as u128;
            if !in_start_period {
                h.failing_streak += 1;
                if h.failing_streak >= retries {
                    h.status = HealthStatus::Unhealthy;
                }
            }
        }
        h.log.push(result);
        if h.log.len() > MAX_LOG_ENTRIES {
            let extra = h.log.len() - MAX_LOG_ENTRIES;
            h.log.drain(..extra);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(test: &[&str]) -> HealthConfig {
        HealthConfig {
            test: test.iter().map(|s| s.to_string()).collect(),
            ..HealthConfig::default()
        }
    }

    #[test]
    fn shell_form_runs_with_sh_and_none_probes_nothing() {
        assert_eq!(
            probe_argv(&check(&["CMD-SHELL", "test -f /x"])),
            Some(vec!["/bin/sh".into(), "-c".into(), "test -f /x".into()])
        );
        assert_eq!(
            probe_argv(&check(&["CMD", "cat", "/x"])),
            Some(vec!["cat".into(), "/x".into()])
        );
        assert_eq!(probe_argv(&check(&["NONE"])), None);
        assert_eq!(probe_argv(&check(&[])), None);
    }

    #[test]
    fn run_flags_override_the_image_field_by_field() {
        let image = HealthConfig {
            test: vec!["CMD-SHELL".into(), "true".into()],
            interval: 3 * SECOND,
            timeout: 2 * SECOND,
            start_period: SECOND,
            retries: 4,
        };
        let user = HealthConfig {
            test: vec!["NONE".into()],
            ..HealthConfig::default()
        };
        let image = ImageConfig {
            healthcheck: Some(image),
            ..ImageConfig::default()
        };
        let merged = merge(&Some(user), &image).expect("merged");
        assert_eq!(merged.test, vec!["NONE"]);
        assert_eq!(merged.interval, 3 * SECOND);
        assert_eq!(merged.retries, 4);
        assert_eq!(merge(&None, &image), image.healthcheck);
    }
}
