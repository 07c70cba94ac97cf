//! Native tests of layerbox-tools: one binary, one module per concern.

mod busybox_suite;
mod fixture;
mod golden;
mod grep_budget;
mod limits;
mod mounts;
mod no_panic;
mod terminal;
