//! The terminal a learner types into: one [`Session`] holds the Docker host (a `World`), the
//! host's bash, the tools, and the docker CLI, and runs one typed line at a time.
//!
//! # Code map
//! `session.rs` the session and its line runner; `host_side.rs` what the host shell runs
//! (coreutils over the host filesystem, `docker`); `process.rs` a container's processes
//! (BusyBox ash and tools over the container's mount namespace, `sleep`); `docker/` the CLI:
//! `flags.rs` (flags as data, parsed in two stages), `reply.rs` (Docker's error shapes),
//! `table.rs`, `value.rs` + `template.rs` (Go values and `--format`), `mount_flag.rs`
//! (`--mount` CSV), then one module per object: `volume.rs`, `container.rs`, `inspect.rs`,
//! `image.rs`.
//!
//! # What is modelled
//! A container's process is its command run to completion by a BusyBox ash or a tool; `sleep`
//! advances the logical clock in the foreground and, in a detached container, stands for a
//! process that keeps running (the rest of the script does not run until `docker stop`).
//! Emulation note: output of one program keeps stdout before stderr (the shell interface
//! carries the two streams apart), so interleaving inside one `docker run` is not kept.
#![forbid(unsafe_code)]

pub mod docker;
mod host_side;
pub mod http;
pub(crate) mod process;
mod session;

pub use layerbox_sh::Stream;
pub use session::{LineResult, Session, PROMPT};
