//! What the CLI parses before it asks the daemon: flags as data (`flags.rs`), `--mount` and `-v`
//! (`mount.rs`), `-p` (`ports.rs`), `ps --filter` (`filters.rs`), image references (`reference.rs`).

pub mod filters;
pub mod flags;
pub mod mount;
pub mod ports;
pub mod reference;
