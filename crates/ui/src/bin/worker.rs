//! The Web Worker's entry point (`layerbox-worker`, the module `web/worker.js` loads): it runs
//! every line the page sends and serves the engine (`worker.rs`). It holds no page; the page's
//! module (`main.rs`) holds no engine-running code, and the two load in parallel.

use wasm_bindgen::prelude::*;

fn main() {}

/// The worker's entry point, called by `worker.js` once the module is loaded.
#[wasm_bindgen]
pub fn layerbox_worker() {
    // The texts the page named in the worker's address load while the worker serves.
    layerbox_ui::texts::start();
    layerbox_ui::worker::serve();
}
