//! The daemon's operations beyond a container's storage, each a [`World`](crate::world::World)
//! method that returns a value and records its own change events: what containers log and in
//! which order they were made (`logs.rs`, `containers.rs`), published ports and the servers
//! listening behind them (`ports.rs`), restart policies (`restart.rs`), health checks (`health.rs`), the default bridge's addresses (`network.rs`), volumes (`volumes.rs`)
//! and what the local driver mounts for them (`local_driver.rs`: tmpfs and bind volumes) and
//! images (`images.rs`: tag, delete with the daemon's parent pruning, prune), and the working
//! directory it makes at create (`workdir.rs`), the mount points and bind sources a start
//! makes (`mountpoints.rs`).
//!
//! Only the engine mutates the world: the CLI asks these methods and words their answers.

pub mod commit;
pub mod containers;
pub mod health;
pub mod images;
pub(crate) mod local_driver;
pub mod logs;
pub(crate) mod mountpoints;
pub mod network;
pub mod ports;
pub mod restart;
pub mod volumes;
pub(crate) mod workdir;
