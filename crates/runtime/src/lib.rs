//! The container runtime (`layerbox-runtime`): what runs inside containers. A container's
//! process is its command run by BusyBox ash and the BusyBox programs over the container's
//! mount namespace, as the container's user (`process.rs`); the servers those processes start
//! and HTTP through a published port (`http.rs`); and [`Runtime`], the processes still
//! waiting in running containers.
//!
//! The runtime writes a container's files through the engine's namespace, as a process does,
//! and asks the engine for everything else (starting, stopping, logs, listeners).
//!
//! Time: a detached process runs until it blocks. A `sleep` it blocks in ends at a logical
//! time; [`Runtime::catch_up`] continues every process whose sleep has ended by the world's
//! clock, in the order they wake, so a loop with `sleep 1` writes one line per logical second.
//! The session moves the clock (a foreground `sleep`, the time the learner waited) and calls
//! it. Output of one program keeps stdout before stderr (the shell interface carries the two
//! streams apart), so interleaving inside one `docker run` is not kept.
//!
//! Emulation note: a process that blocks for good (`tail -f`, `httpd -f`, a `sleep` inside a
//! pipeline, a subshell or a nested `sh -c`, which cannot be continued) runs no further until
//! `docker stop`.
#![forbid(unsafe_code)]

use std::collections::BTreeMap;

use layerbox_engine::container::Status;
use layerbox_engine::world::World;
use layerbox_engine::EngineError;
use layerbox_sh::Budget;

pub mod http;
pub mod process;

pub use process::{
    is_interactive_shell, not_modelled, resume, run, run_trap, Ended, InteractiveShell, Left,
    Listener, ProcessSpec, Sleeper, StartError, Then, Unmodelled, NOT_MODELLED,
};

/// Loop iterations and commands the waiting processes of all containers may run together
/// while the session catches up with the clock once (a typed line, a wait).
/// Emulation note: real processes are not limited; the page must stay responsive.
pub const BACKGROUND_STEPS: u64 = 20_000;

/// layerbox's notice on the terminal when the process of container `name` spent its
/// background budget ([`BACKGROUND_STEPS`]) and was stopped (its logs end with the shell's
/// budget message).
pub fn cut_notice(name: &str) -> String {
    format!(
        "layerbox: the process of container {name} was stopped after {BACKGROUND_STEPS} loop iterations and commands in the background (layerbox limit)\n"
    )
}

/// layerbox's notice when a process `docker exec -d` started in container `name` spent its
/// background budget and was stopped (an exec's output goes nowhere, so this is all that
/// tells of it).
pub fn exec_cut_notice(name: &str) -> String {
    format!(
        "layerbox: a process docker exec -d started in container {name} was stopped after {BACKGROUND_STEPS} loop iterations and commands in the background (layerbox limit)\n"
    )
}

/// The most logical time `docker wait` lets pass for a running container to stop, in seconds.
/// Emulation note: the real command waits as long as it takes.
pub const WAIT_LIMIT: u64 = 3600;

/// The processes that wait in running containers (containerd's shims): the shell of each
/// container's main process that blocked, whose traps `docker stop` and `kill` deliver to.
#[derive(Debug, Clone, Default)]
pub struct Runtime {
    waiting: BTreeMap<String, Sleeper>,
    /// Containers the restart policy starts again, with the logical time it does.
    restarts: BTreeMap<String, u64>,
    /// Restarts in a row without a run of 10 seconds (the restart manager's back-off).
    backoff: BTreeMap<String, u32>,
    /// Containers `docker stop` or `docker kill` is ending: their exit restarts nothing.
    stopping: std::collections::BTreeSet<String>,
}

/// What is due next in the containers: a process wakes, or a restart policy starts one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Due {
    Wake,
    Restart,
}

impl Runtime {
    /// Starts container `id` through the engine (which binds its ports); a process left
    /// waiting from its previous run is gone. A running container is left as it is.
    pub fn start_container(&mut self, world: &mut World, id: &str) -> Result<(), EngineError> {
        let running = world
            .containers()
            .get(id)
            .is_some_and(|c| c.state.status == Status::Running);
        if running {
            return Ok(());
        }
        world.start_container(id)?;
        self.waiting.remove(id);
        self.restarts.remove(id);
        self.backoff.remove(id);
        self.stopping.remove(id);
        Ok(())
    }

    /// `docker stop` or `docker kill` is ending container `id`: its process's exit does not
    /// restart it, and a restart the policy had planned is called off.
    pub fn stop_requested(&mut self, world: &mut World, id: &str) {
        self.stopping.insert(id.to_string());
        if self.restarts.remove(id).is_some() {
            world.set_restarting(id, false);
        }
    }

    /// Container `id`'s main process ended by itself with `code` at logical time `at`: the
    /// container stops, and its restart policy may plan a restart after the restart manager's
    /// delay (100 ms, doubled for each restart in a row, reset by a run of 10 seconds).
    /// Emulation note: the clock counts whole seconds, so a delay under a second is a second.
    pub fn exited(&mut self, world: &mut World, id: &str, code: i32, at: u64) {
        self.waiting.remove(id);
        let started = world
            .containers()
            .get(id)
            .and_then(|c| c.state.started_at)
            .unwrap_or(at);
        let _ = world.stop_container(id, code);
        let manual = self.stopping.remove(id);
        let Some(c) = world.containers().get(id) else {
            return;
        };
        let policy = &c.host_config.restart_policy;
        if !policy.should_restart(code, c.restart_count, manual) {
            self.backoff.remove(id);
            return;
        }
        let in_a_row = if at.saturating_sub(started) >= 10 {
            0
        } else {
            self.backoff.get(id).copied().unwrap_or(0)
        };
        self.backoff
            .insert(id.to_string(), in_a_row.saturating_add(1));
        let delay = layerbox_engine::daemon::restart::backoff_ms(in_a_row).div_ceil(1000);
        self.restarts
            .insert(id.to_string(), at.saturating_add(delay));
        world.set_restarting(id, true);
    }

    /// Starts container `id` again for its restart policy at logical time `at` and runs its
    /// command detached, on `budget`.
    fn restart(&mut self, world: &mut World, id: &str, at: u64, budget: &Budget) {
        if world.restart_by_policy(id).is_err() {
            return;
        }
        let Some(c) = world.containers().get(id) else {
            return;
        };
        let spec = ProcessSpec {
            argv: c
                .config
                .entrypoint
                .iter()
                .chain(c.config.cmd.iter())
                .cloned()
                .collect(),
            detached: true,
            tty: c.config.tty,
            at: Some(at),
            ..ProcessSpec::default()
        };
        let tty = c.config.tty;
        match process::run(world, id, &spec, budget) {
            Ok((out, end, left)) => {
                world.add_listeners(id, left.listeners);
                world.log_output_at(id, &out.stdout, &out.stderr, tty, at);
                match end {
                    Ended::Running => {
                        if let Some(sleeper) = left.sleeper {
                            self.waiting.insert(id.to_string(), sleeper);
                        }
                    }
                    Ended::Exited(code) => self.exited(world, id, code, at),
                }
            }
            Err(_) => self.exited(world, id, 127, at),
        }
    }

    /// The main process of container `id` blocked and waits (a detached `sleep`).
    pub fn wait(&mut self, id: &str, sleeper: Sleeper) {
        self.waiting.insert(id.to_string(), sleeper);
    }

    /// The waiting process of container `id`, if any.
    pub fn waiting(&self, id: &str) -> Option<&Sleeper> {
        self.waiting.get(id)
    }

    /// Container `id`'s waiting process ended (stopped, killed, removed).
    pub fn end(&mut self, id: &str) {
        self.waiting.remove(id);
        self.stopping.remove(id);
    }

    /// What is due next by `until`: a process whose sleep ends or a restart, with its time
    /// and container.
    fn next_due(&self, until: u64) -> Option<(u64, Due, String)> {
        let wakes = self
            .waiting
            .iter()
            .filter_map(|(id, s)| s.wake.map(|w| (w, Due::Wake, id.clone())));
        let restarts = self
            .restarts
            .iter()
            .map(|(id, at)| (*at, Due::Restart, id.clone()));
        wakes.chain(restarts).filter(|(t, _, _)| *t <= until).min()
    }

    /// Continues, in the order they wake, every waiting process whose sleep has ended by the
    /// world's clock, until none is due, on `budget` (all containers' together). What they
    /// print goes to their containers' logs; a process that ends stops its container.
    /// Returns the containers whose work was cut short because the budget ran out (their
    /// processes ended with the budget's message in their logs).
    pub fn catch_up(&mut self, world: &mut World, budget: &Budget) -> Vec<String> {
        let mut cut = Vec::new();
        while let Some((at, due, id)) = self.next_due(world.now()) {
            if due == Due::Restart {
                self.restarts.remove(&id);
                self.restart(world, &id, at, budget);
                if budget.spent() {
                    break;
                }
                continue;
            }
            let Some(sleeper) = self.waiting.remove(&id) else {
                break;
            };
            let running = world
                .containers()
                .get(&id)
                .is_some_and(|c| c.state.status == Status::Running);
            if !running {
                continue;
            }
            let Ok((out, end, left)) = process::resume(world, &id, &sleeper, budget) else {
                continue;
            };
            world.add_listeners(&id, left.listeners);
            let tty = world.containers().get(&id).is_some_and(|c| c.config.tty);
            let at = sleeper.wake.unwrap_or_else(|| world.now());
            world.log_output_at(&id, &out.stdout, &out.stderr, tty, at);
            match end {
                Ended::Running => {
                    if let Some(next) = left.sleeper {
                        self.waiting.insert(id, next);
                    }
                }
                Ended::Exited(code) => {
                    if budget.spent() {
                        cut.push(id.clone());
                    }
                    self.exited(world, &id, code, at);
                }
            }
            if budget.spent() {
                break;
            }
        }
        cut
    }

    /// Delivers `signal` (`TERM`, `HUP`, ...; not `KILL`) to container `id`'s main process, on
    /// `budget`. A shell that traps it and waits in `wait` runs the trap at once (what it
    /// prints goes to the log); one that waits for a program runs it when the program ends.
    /// Without a trap nothing happens: the process is PID 1, which the kernel shields from
    /// signals it does not handle. Returns the exit status if the process ended.
    pub fn signal(
        &mut self,
        world: &mut World,
        id: &str,
        signal: &str,
        budget: &Budget,
    ) -> Option<i32> {
        let sleeper = self.waiting.get_mut(id)?;
        if !sleeper.traps.contains_key(signal) {
            return None;
        }
        if !sleeper.in_wait {
            sleeper.pending.push(signal.to_string());
            return None;
        }
        let sleeper = sleeper.clone();
        let (out, ended) = process::run_trap(world, id, &sleeper, signal, budget)?;
        let tty = world.containers().get(id).is_some_and(|c| c.config.tty);
        world.log_output(id, &out.stdout, &out.stderr, tty);
        if ended.is_some() {
            self.waiting.remove(id);
        }
        ended
    }

    /// Lets logical time pass up to `deadline` (or until container `watch` is no longer
    /// running, whichever comes first), running the waiting processes as they wake. Returns
    /// the containers whose work was cut short by `budget`.
    pub fn pass_until(
        &mut self,
        world: &mut World,
        deadline: u64,
        watch: Option<&str>,
        budget: &Budget,
    ) -> Vec<String> {
        let mut cut = Vec::new();
        let running = |world: &World, id: &str| {
            world
                .containers()
                .get(id)
                .is_some_and(|c| c.state.status == Status::Running)
        };
        loop {
            cut.extend(self.catch_up(world, budget));
            if watch.is_some_and(|id| !running(world, id)) || budget.spent() {
                break;
            }
            let now = world.now();
            match self.next_due(deadline) {
                Some((wake, _, _)) if wake > now => world.advance_clock(wake - now),
                Some(_) => {}
                None => {
                    world.advance_clock(deadline.saturating_sub(now));
                    cut.extend(self.catch_up(world, budget));
                    break;
                }
            }
        }
        cut
    }

    /// Whether container `id`'s process may still end without a signal: it sleeps for a time,
    /// or a restart is planned.
    pub fn ends_by_itself(&self, id: &str) -> bool {
        self.wakes_at(id).is_some() || self.restarts.contains_key(id)
    }

    /// When container `id`'s waiting process wakes next, if it ever does by itself.
    pub fn wakes_at(&self, id: &str) -> Option<u64> {
        self.waiting.get(id).and_then(|s| s.wake)
    }
}
