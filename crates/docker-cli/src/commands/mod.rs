//! The commands, one folder a noun and one file a verb (docker/cli's `cli/command/`).

pub mod container;
pub mod image;
pub mod system;
pub mod volume;
