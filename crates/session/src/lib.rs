//! The terminal a learner types into (`layerbox-session`): one [`Session`] holds the Docker
//! host (the engine's `World` and the runtime's waiting processes), the host's bash as `user`
//! in `/home/user`, and the container shell the terminal may be attached to, and runs one
//! typed line at a time.
//!
//! `session.rs` is the session and its line runner; `host_side.rs` what the host's bash runs
//! (`docker` through `layerbox-docker-cli`, GNU coreutils over the host filesystem, `sleep`);
//! `http_client.rs` the host's `curl` and `wget`.
#![forbid(unsafe_code)]

mod host_side;
mod http_client;
mod session;

pub use host_side::ON_HOST_PATH;
pub use layerbox_sh::Stream;
pub use session::{HostEdit, LineResult, Session, MAX_WAIT, PROMPT};
