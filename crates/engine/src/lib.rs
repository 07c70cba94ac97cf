//! Docker's storage model as a deterministic library: what the Docker daemon does with a
//! container's files, returned as values and change events, never drawn.
//!
//! The engine reads no clock and uses no randomness: time comes from [`clock::Clock`], ids from
//! [`clock::IdGenerator`], both part of the world's state, so a session replays identically.

pub mod build;
pub mod change;
pub mod clock;
pub mod container;
pub mod daemon;
pub mod error;
pub mod filter;
pub mod host;
pub mod image;
pub mod machine;
pub mod mount_spec;
pub mod mount_table;
pub mod names;
pub mod namespace;
pub mod nfs;
pub mod provenance;
pub mod routing;
pub mod snapshot;
pub mod storage;
pub mod user;
pub mod vfs_adapter;
pub mod volume;
pub mod world;

pub use error::{EngineError, ErrorKind};
