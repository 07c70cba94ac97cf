//! Native tests of layerbox-fstree: one binary, one module per concern.

// Native only: the one-shared-sort rule of clippy.toml is for the wasm bundle.
#![allow(clippy::disallowed_methods)]

mod conformance;
mod fixture;
#[cfg(not(target_arch = "wasm32"))]
mod model;
mod tree;
mod union;
