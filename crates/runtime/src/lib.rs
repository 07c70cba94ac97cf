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
use procs::ProcTable;

mod health;
pub mod host_procs;
pub mod http;
pub mod process;
pub mod procps;
pub mod procs;

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

/// The most logical time `docker wait` lets pass for a running container to stop, in seconds:
/// five minutes, the longest wait a session records between two lines.
/// Emulation note: the real command waits as long as it takes.
pub const WAIT_LIMIT: u64 = 300;

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
    /// Each container's processes (kept while it is stopped, for the PIDs of its next run).
    tables: BTreeMap<String, ProcTable>,
    /// `docker exec -d` processes that wait, by container and PID.
    exec_waiting: BTreeMap<(String, u32), Sleeper>,
}

/// What is due next in the containers: a process wakes, or a restart policy starts one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Due {
    Wake,
    /// A `docker exec -d` process wakes (its PID).
    ExecWake(u32),
    Restart,
    /// The daemon's health monitor probes the container.
    Probe,
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
        self.tables.entry(id.to_string()).or_default().start();
        self.exec_waiting.retain(|(c, _), _| c != id);
        self.waiting.remove(id);
        self.restarts.remove(id);
        self.backoff.remove(id);
        self.stopping.remove(id);
        Ok(())
    }

    /// `docker stop` or `docker kill` is ending container `id`: its process's exit does not
    /// restart it, and a restart the policy had planned is called off.
    pub fn stop_requested(&mut self, world: &mut World, id: &str) {
        world.set_manually_stopped(id);
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
        self.processes_end(id);
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

    /// The daemon restarts (`sudo systemctl restart docker` on the host), on `budget`. Its
    /// shutdown stops every running container as `docker stop` would, all at once but not by
    /// hand: `TERM` (a trap runs), then `KILL` (137) for those still running after their
    /// 10 seconds, while logical time passes; no restart policy acts meanwhile. The daemon
    /// that starts again starts the containers its restore finds to restart
    /// (`World::to_restore`) and runs their commands.
    /// Emulation note: the restart itself takes no logical time beyond the shutdown's wait.
    pub fn restart_daemon(&mut self, world: &mut World, budget: &Budget) {
        let running = |world: &World, id: &str| {
            world
                .containers()
                .get(id)
                .is_some_and(|c| c.state.status == Status::Running)
        };
        for id in std::mem::take(&mut self.restarts).into_keys() {
            world.set_restarting(&id, false);
        }
        let ids: Vec<String> = world
            .containers()
            .iter()
            .filter(|(_, c)| c.state.status == Status::Running)
            .map(|(id, _)| id.clone())
            .collect();
        let deadline = world.now().saturating_add(10);
        for id in &ids {
            self.stopping.insert(id.clone());
            if let Some(code) = self.signal(world, id, "TERM", budget) {
                self.stopping.remove(id);
                self.end(id);
                let _ = world.stop_container(id, code);
            }
        }
        for id in &ids {
            if running(world, id) {
                self.pass_until(world, deadline, Some(id), budget);
            }
            if running(world, id) {
                let _ = world.stop_container(id, 137);
            }
            self.end(id);
            self.backoff.remove(id);
        }
        let now = world.now();
        for id in world.to_restore() {
            if world.restore_start(&id).is_ok() {
                self.run_detached(world, &id, now, budget);
            }
        }
    }

    /// Starts container `id` again for its restart policy at logical time `at` and runs its
    /// command detached, on `budget`.
    fn restart(&mut self, world: &mut World, id: &str, at: u64, budget: &Budget) {
        if world.restart_by_policy(id).is_err() {
            return;
        }
        self.run_detached(world, id, at, budget);
    }

    /// Runs the command of container `id`, just started, detached from logical time `at`.
    fn run_detached(&mut self, world: &mut World, id: &str, at: u64, budget: &Budget) {
        self.waiting.remove(id);
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
            procs: Some(self.table_for(id)),
            ..ProcessSpec::default()
        };
        let tty = c.config.tty;
        match process::run(world, id, &spec, budget) {
            Ok((out, end, left)) => {
                world.add_listeners(id, left.listeners);
                self.tables.insert(id.to_string(), left.procs);
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
        self.processes_end(id);
    }

    /// Every process of container `id` ends (it stopped).
    fn processes_end(&mut self, id: &str) {
        if let Some(t) = self.tables.get_mut(id) {
            t.clear();
        }
        self.exec_waiting.retain(|(c, _), _| c != id);
    }

    /// Container `id`'s process table as a process about to run there gets it: its
    /// background sleeps that ended are gone, and the signals PID 1's shell traps are known.
    pub fn table_for(&mut self, id: &str) -> ProcTable {
        let mut table = self.tables.get(id).cloned().unwrap_or_default();
        table.main_traps = self
            .waiting
            .get(id)
            .map(|s| s.traps.keys().cloned().collect())
            .unwrap_or_default();
        table.pending.clear();
        table.killed.clear();
        table.ended_by.clear();
        table
    }

    /// Container `id`'s process table, as a process that runs there changes it.
    pub fn table_mut(&mut self, id: &str) -> &mut ProcTable {
        self.tables.entry(id.to_string()).or_default()
    }

    /// Keeps `table` as container `id`'s (an attached shell joined it).
    pub fn set_table(&mut self, id: &str, table: ProcTable) {
        self.tables.insert(id.to_string(), table);
    }

    /// Container `id`'s process `pid` ended (an attached shell left).
    pub fn process_ended(&mut self, id: &str, pid: u32) {
        if let Some(t) = self.tables.get_mut(id) {
            t.end(pid);
        }
    }

    /// Container `id`'s processes, as `docker top` lists them, at logical time `now`.
    pub fn processes(&self, id: &str, now: u64) -> Vec<procs::Proc> {
        let mut table = self.tables.get(id).cloned().unwrap_or_default();
        table.expire(now);
        table.procs().into_iter().cloned().collect()
    }

    /// A process in container `id` ran (`docker exec`, the container's command): its table is
    /// kept; a `docker exec -d` process that waits runs on as time passes; the signals its
    /// `kill`s sent are delivered (a trap of PID 1's shell runs, a process a loop waits in
    /// ends and the loop goes on).
    pub fn ran(
        &mut self,
        world: &mut World,
        id: &str,
        left: &mut process::Left,
        exec: bool,
        budget: &Budget,
    ) {
        let mut table = std::mem::take(&mut left.procs);
        let pending = std::mem::take(&mut table.pending);
        let killed = std::mem::take(&mut table.killed);
        self.tables.insert(id.to_string(), table);
        if exec {
            if let Some(sleeper) = left.sleeper.take() {
                self.exec_waiting
                    .insert((id.to_string(), left.pid), sleeper);
            }
        }
        let now = world.now();
        for pid in killed {
            if let Some(gone) = self.exec_waiting.remove(&(id.to_string(), pid)) {
                // The `sleep` it waited in runs on, now PID 1's child, until it ends.
                if let (Some(child), Some(wake)) = (gone.child, gone.wake) {
                    if let Some(t) = self.tables.get_mut(id) {
                        t.ends_at(child, wake);
                    }
                }
            }
            if let Some(s) = self.waiting.get_mut(id) {
                if s.child == Some(pid) {
                    // The program it waited in ended: it goes on now.
                    s.wake = Some(now);
                }
            }
            for s in self.exec_waiting.values_mut() {
                if s.child == Some(pid) {
                    s.wake = Some(now);
                }
            }
        }
        for signal in pending {
            if let Some(code) = self.signal(world, id, &signal, budget) {
                let at = world.now();
                self.exited(world, id, code, at);
                break;
            }
        }
    }

    /// What is due next by `until`: a process whose sleep ends, a restart or a health probe,
    /// with its time and container.
    fn next_due(&self, world: &World, until: u64) -> Option<(u64, Due, String)> {
        let wakes = self
            .waiting
            .iter()
            .filter_map(|(id, s)| s.wake.map(|w| (w, Due::Wake, id.clone())));
        let exec_wakes = self
            .exec_waiting
            .iter()
            .filter_map(|((id, pid), s)| s.wake.map(|w| (w, Due::ExecWake(*pid), id.clone())));
        let restarts = self
            .restarts
            .iter()
            .map(|(id, at)| (*at, Due::Restart, id.clone()));
        let probes = world
            .probes_due(until)
            .into_iter()
            .map(|(at, id)| (at, Due::Probe, id));
        wakes
            .chain(exec_wakes)
            .chain(restarts)
            .chain(probes)
            .filter(|(t, _, _)| *t <= until)
            .min()
    }

    /// Continues, in the order they wake, every waiting process whose sleep has ended by the
    /// world's clock, until none is due, on `budget` (all containers' together). What they
    /// print goes to their containers' logs; a process that ends stops its container.
    /// Returns the containers whose work was cut short because the budget ran out (their
    /// processes ended with the budget's message in their logs).
    pub fn catch_up(&mut self, world: &mut World, budget: &Budget) -> Vec<String> {
        let mut cut = Vec::new();
        while let Some((at, due, id)) = self.next_due(world, world.now()) {
            if due == Due::Probe {
                health::probe(world, &id, at, budget);
                if budget.spent() {
                    break;
                }
                continue;
            }
            if due == Due::Restart {
                self.restarts.remove(&id);
                self.restart(world, &id, at, budget);
                if budget.spent() {
                    break;
                }
                continue;
            }
            if let Due::ExecWake(pid) = due {
                self.exec_wake(world, &id, pid, budget);
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
            let mut table = self.tables.remove(&id).unwrap_or_default();
            let resumed = process::resume(world, &id, &sleeper, &mut table, budget);
            self.tables.insert(id.clone(), table);
            let Ok((out, end, left)) = resumed else {
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

    /// Continues `docker exec -d` process `pid` of container `id`, whose sleep has ended: what
    /// it prints goes nowhere (the CLI left), and when it ends it leaves the table.
    fn exec_wake(&mut self, world: &mut World, id: &str, pid: u32, budget: &Budget) {
        let key = (id.to_string(), pid);
        let Some(sleeper) = self.exec_waiting.remove(&key) else {
            return;
        };
        let running = world
            .containers()
            .get(id)
            .is_some_and(|c| c.state.status == Status::Running);
        if !running {
            return;
        }
        let mut table = self.tables.remove(id).unwrap_or_default();
        let resumed = process::resume(world, id, &sleeper, &mut table, budget);
        if let Ok((_, end, left)) = resumed {
            world.add_listeners(id, left.listeners);
            match (end, left.sleeper) {
                (Ended::Running, Some(next)) => {
                    self.exec_waiting.insert(key, next);
                }
                _ => table.end(pid),
            }
        }
        self.tables.insert(id.to_string(), table);
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
            match self.next_due(world, deadline) {
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
