//! The daemon's health probe as the runtime runs it (moby's `cmdProbe.run`): the container's
//! `Healthcheck` command exec'd as its user in its working directory, at the logical time the
//! monitor planned, its output kept (stdout then stderr, at most 4096 bytes), a probe that runs
//! past the timeout ended with exit code -1; the result goes to the engine's health state.
//!
//! Emulation note: a probe's sleeps take no time of the session's clock (its end is its start
//! plus what it slept, at most the timeout), and what a probe that ran past its timeout did
//! before it was killed is all done (the model runs it to its end).

use layerbox_engine::daemon::health::{self, HealthResult};
use layerbox_engine::world::World;
use layerbox_sh::Budget;

use crate::process::{self, Ended, ProcessSpec};

/// Probes container `id` at logical time `at` on `budget` and records the result.
pub(crate) fn probe(world: &mut World, id: &str, at: u64, budget: &Budget) {
    let Some(config) = world
        .containers()
        .get(id)
        .and_then(|c| c.config.healthcheck.clone())
    else {
        return;
    };
    let Some(argv) = health::probe_argv(&config) else {
        return;
    };
    let spec = ProcessSpec {
        argv,
        listening: world.listeners(id).to_vec(),
        at: Some(at),
        ..ProcessSpec::default()
    };
    let timeout = health::timeout_seconds(&config);
    let (exit_code, output, took) = match process::run_off_clock(world, id, &spec, budget) {
        Ok((Ok((out, end, _left)), slept)) => {
            let mut bytes = out.stdout;
            bytes.extend_from_slice(&out.stderr);
            let kept = health::kept_output(&bytes);
            match end {
                Ended::Exited(code) if slept < timeout => (i64::from(code), kept, slept),
                _ => {
                    let limit = layerbox_dockerfile::duration::format(if config.timeout == 0 {
                        health::DEFAULT_TIMEOUT
                    } else {
                        config.timeout
                    });
                    let message = if kept.is_empty() {
                        format!("Health check exceeded timeout ({limit})")
                    } else {
                        format!("Health check exceeded timeout ({limit}): {kept}")
                    };
                    (-1, message, timeout)
                }
            }
        }
        Ok((Err(e), _)) | Err(e) => (-1, e.exec_message(), 0),
    };
    world.record_probe(
        id,
        HealthResult {
            start: at,
            end: at.saturating_add(took),
            exit_code,
            output,
        },
    );
}
