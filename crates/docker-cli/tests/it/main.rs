//! Native tests of layerbox-docker-cli: one binary, one module per concern.

mod fuzz_flags;
