//! Native tests of layerbox-session: one binary, one module per concern (what the recorder of
//! `tests/conformance` cannot show: a terminal, HTTP, lifecycles, builds).

mod budget;
mod build;
mod builtins;
mod host_dev;
mod http;
mod interactive;
mod lifecycle;
mod nfs;
mod not_modelled;
mod procps;
mod programs;
mod storage;
mod time;
mod users;
