//! Restart policies (`--restart`, `docker update --restart`) as the daemon's restart manager
//! applies them: which exit restarts a container, after what delay, and the count it keeps.

use serde::{Deserialize, Serialize};

use crate::container::Status;
use crate::world::{no_such_container, World};
use crate::EngineError;

/// `HostConfig.RestartPolicy`: `no`, `always`, `unless-stopped` or `on-failure` with at most
/// `maximum_retry_count` restarts (0: no limit).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestartPolicy {
    pub name: String,
    pub maximum_retry_count: i64,
}

impl Default for RestartPolicy {
    fn default() -> RestartPolicy {
        RestartPolicy {
            name: "no".into(),
            maximum_retry_count: 0,
        }
    }
}

impl RestartPolicy {
    /// The daemon's check of a policy (Engine 20.10's `validateRestartPolicy`); an empty name
    /// is the default, `no`.
    pub fn validate(&self) -> Result<(), EngineError> {
        match self.name.as_str() {
            "always" | "unless-stopped" | "no" if self.maximum_retry_count != 0 => {
                Err(EngineError::invalid(format!(
                    "maximum retry count cannot be used with restart policy '{}'",
                    self.name
                )))
            }
            "on-failure" if self.maximum_retry_count < 0 => Err(EngineError::invalid(
                "maximum retry count cannot be negative",
            )),
            "always" | "unless-stopped" | "no" | "on-failure" | "" => Ok(()),
            other => Err(EngineError::invalid(format!(
                "invalid restart policy '{other}'"
            ))),
        }
    }

    /// Whether a process that exited with `exit_code` is started again, after `restarts`
    /// restarts so far (the restart manager's `ShouldRestart`); never after `docker stop` or
    /// `docker kill` (`manually_stopped`).
    pub fn should_restart(&self, exit_code: i32, restarts: u32, manually_stopped: bool) -> bool {
        if manually_stopped {
            return false;
        }
        match self.name.as_str() {
            "always" | "unless-stopped" => true,
            "on-failure" => {
                exit_code != 0
                    && (self.maximum_retry_count == 0
                        || i64::from(restarts) < self.maximum_retry_count)
            }
            _ => false,
        }
    }
}

/// The restart manager's delay before restart number `restarts + 1`, in milliseconds: 100 ms,
/// doubled after each restart, at most a minute; back to 100 ms after a run of 10 seconds.
pub fn backoff_ms(restarts_in_a_row: u32) -> u64 {
    100u64
        .saturating_mul(1u64 << restarts_in_a_row.min(20))
        .min(60_000)
}

impl World {
    /// `docker update --restart`: the container's new restart policy.
    pub fn update_restart_policy(
        &mut self,
        reference: &str,
        policy: RestartPolicy,
    ) -> Result<String, EngineError> {
        let id = self.container_id(reference)?;
        policy.validate()?;
        let container = self
            .containers
            .get_mut(&id)
            .ok_or_else(|| no_such_container(reference))?;
        container.host_config.restart_policy = policy;
        Ok(id)
    }

    /// Container `id` exited and its restart policy will start it again (`true`), or no
    /// longer will (`false`: `docker stop`, `docker rm -f`).
    pub fn set_restarting(&mut self, id: &str, restarting: bool) {
        if let Some(c) = self.containers.get_mut(id) {
            c.state.restarting = restarting && c.state.status == Status::Exited;
        }
    }

    /// `docker stop` or `docker kill` is ending container `id` (`HasBeenManuallyStopped`).
    pub fn set_manually_stopped(&mut self, id: &str) {
        if let Some(c) = self.containers.get_mut(id) {
            c.state.manually_stopped = true;
        }
    }

    /// The containers a restarted daemon starts again (its `restore`): each that ran before
    /// and is stopped, whose policy restarts its last status with a fresh restart manager
    /// (no restarts counted yet): `always`, `unless-stopped` unless stopped by hand, and
    /// `on-failure` after a failing status, even one `docker stop` left; in creation order.
    pub fn to_restore(&self) -> Vec<String> {
        self.order
            .iter()
            .filter(|id| {
                self.containers.get(*id).is_some_and(|c| {
                    c.state.status == Status::Exited
                        && c.state.started_at.is_some()
                        && c.host_config.restart_policy.should_restart(
                            c.state.exit_code,
                            0,
                            // A fresh restart manager only asks it of unless-stopped.
                            c.state.manually_stopped
                                && c.host_config.restart_policy.name == "unless-stopped",
                        )
                })
            })
            .cloned()
            .collect()
    }

    /// A restarted daemon starts container `id` again: a fresh restart manager, so
    /// `RestartCount` starts from 0.
    pub fn restore_start(&mut self, id: &str) -> Result<(), EngineError> {
        let container = self
            .containers
            .get_mut(id)
            .ok_or_else(|| no_such_container(id))?;
        container.restart_count = 0;
        self.start_container(id)
    }

    /// The restart manager starts container `id` again after its process exited: one more
    /// restart counted.
    pub fn restart_by_policy(&mut self, id: &str) -> Result<(), EngineError> {
        let container = self
            .containers
            .get_mut(id)
            .ok_or_else(|| no_such_container(id))?;
        if container.state.status == Status::Running {
            return Ok(());
        }
        container.restart_count = container.restart_count.saturating_add(1);
        self.start_container(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(name: &str, n: i64) -> RestartPolicy {
        RestartPolicy {
            name: name.into(),
            maximum_retry_count: n,
        }
    }

    #[test]
    fn on_failure_restarts_failures_up_to_its_count() {
        let p = policy("on-failure", 2);
        assert!(p.should_restart(1, 0, false));
        assert!(p.should_restart(1, 1, false));
        assert!(!p.should_restart(1, 2, false));
        assert!(!p.should_restart(0, 0, false));
        assert!(!policy("always", 0).should_restart(0, 5, true));
        assert!(policy("always", 0).should_restart(0, 5, false));
    }

    #[test]
    fn policies_are_checked_in_the_daemons_words() {
        assert!(policy("always", 0).validate().is_ok());
        let e = policy("always", 3).validate().unwrap_err();
        assert_eq!(
            e.to_string(),
            "maximum retry count cannot be used with restart policy 'always'"
        );
        let e = policy("sometimes", 0).validate().unwrap_err();
        assert_eq!(e.to_string(), "invalid restart policy 'sometimes'");
    }
}
