//! The container runtime (`layerbox-runtime`): what runs inside containers. A container's
//! process is its command run by BusyBox ash and the BusyBox programs over the container's
//! mount namespace, as the container's user (`process.rs`); the servers those processes start
//! and HTTP through a published port (`http.rs`); and [`Runtime`], the processes still
//! waiting in running containers.
//!
//! The runtime writes a container's files through the engine's namespace, as a process does,
//! and asks the engine for everything else (starting, stopping, logs, listeners).
//!
//! Emulation note: there is no scheduler. A process runs to completion at once; `sleep` in the
//! foreground moves the logical clock, and in a detached process the first `sleep` (or
//! `tail -f`) stands for a process that waits for good (the rest of its script does not run
//! until `docker stop`). Output of one program keeps stdout before stderr (the shell interface
//! carries the two streams apart), so interleaving inside one `docker run` is not kept.
#![forbid(unsafe_code)]

use std::collections::BTreeMap;

use layerbox_engine::container::Status;
use layerbox_engine::world::World;
use layerbox_engine::EngineError;

pub mod http;
pub mod process;

pub use process::{
    is_interactive_shell, not_modelled, run, run_trap, Ended, InteractiveShell, Left, Listener,
    ProcessSpec, Sleeper, StartError, Unmodelled, NOT_MODELLED,
};

/// The processes that wait in running containers (containerd's shims): the shell of each
/// container's main process that blocked, whose traps `docker stop` and `kill` deliver to.
#[derive(Debug, Clone, Default)]
pub struct Runtime {
    waiting: BTreeMap<String, Sleeper>,
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
        Ok(())
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
    }
}
