//! Native tests of layerbox-fstree: one binary, one module per concern.

mod conformance;
mod fixture;
#[cfg(not(target_arch = "wasm32"))]
mod model;
mod tree;
mod union;
