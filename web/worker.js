// The page's Web Worker: the same wasm module as the page (one download, cached), serving the
// engine (crates/ui/src/worker.rs). The page starts it as a module worker.
import init, { layerbox_worker } from "./layerbox-ui.js";

await init({ module_or_path: "./layerbox-ui_bg.wasm" });
layerbox_worker();
