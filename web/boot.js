// Starts the page's wasm module: main() mounts the playground (index.html) or the widget
// (widget.html). A file, not an inline script, so the pages' Content-Security-Policy allows
// scripts from the site itself only.
import init from "./layerbox-ui.js";

await init({ module_or_path: "./layerbox-ui_bg.wasm" });
