//! Native tests of layerbox-docker-cli: one binary, one module per concern.

mod flag_lookups;
mod fuzz_flags;
mod not_modelled;
