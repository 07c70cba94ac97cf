// Starts the page's wasm module (`layerbox-ui`): main() mounts the playground, or the lesson
// widget with `?embed`. A file, not an inline script, so the pages' Content-Security-Policy
// allows scripts from the site itself only. Trunk names the bundle's files by their hash
// (cache-busting) and writes their names into the page's `layerbox-bundle` data block
// (Trunk.toml: pattern_script): `page_js` and `page_wasm` are the page's module; `js` and
// `wasm` the module its Web Worker loads (web/worker.js), which runs the lines.
const bundle = JSON.parse(document.getElementById("layerbox-bundle").textContent);
const { default: init } = await import(new URL(bundle.page_js, document.baseURI).href);
const wasm = await init({ module_or_path: new URL(bundle.page_wasm, document.baseURI).href });
// The page's wasm memory, for `ui_bench`'s bytes per step.
globalThis.layerboxWasmMemory = wasm.memory;
