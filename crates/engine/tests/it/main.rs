//! Native tests of layerbox-engine: one binary, one module per concern (the storage rules of a
//! Docker host, vfs's conformance suite over the vfs adapter).

mod vfs_conformance;
mod world;
