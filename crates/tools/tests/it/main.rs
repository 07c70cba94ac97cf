//! Native tests of layerbox-tools: one binary, one module per concern.

mod dd;
mod fixture;
mod golden;
mod grep_budget;
mod install;
mod limits;
mod mktemp;
mod mounts;
mod no_panic;
mod terminal;
