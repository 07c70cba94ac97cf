//! Native tests of layerbox-tools: one binary, one module per concern.

mod busybox_suite;
mod dd;
mod deferred_texts;
mod fixture;
mod golden;
mod grep_budget;
mod install;
mod limits;
mod loginutils;
mod mktemp;
mod mounts;
mod no_panic;
mod procs;
mod runs_programs;
mod terminal;
