//! Native tests of layerbox-sh: one binary, one module per concern; the shell runs against a
//! fake host (`host.rs`).

mod cases;
#[cfg(not(target_arch = "wasm32"))]
mod fuzz;
mod golden;
mod host;
