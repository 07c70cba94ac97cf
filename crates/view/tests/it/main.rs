//! Native tests of layerbox-view: one binary, one module per concern.

mod diagram;
mod explain_host;
mod panels;
