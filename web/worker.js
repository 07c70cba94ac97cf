// The page's Web Worker: its own wasm module (`layerbox-worker`, crates/ui/src/bin/worker.rs),
// which runs every line and serves the engine (crates/ui/src/worker.rs); the page's module
// only shows. The page starts it as a module worker and names the worker module's hashed files
// (the `layerbox-bundle` data block's `js` and `wasm`) in its address
// (`worker.js?js=...&wasm=...`); only files of this site are loaded.
const params = new URL(self.location.href).searchParams;
const here = (name) => {
  const url = new URL(params.get(name) || "", self.location.href);
  if (url.origin !== self.location.origin) throw new Error(`layerbox: ${name} is not of this site`);
  return url.href;
};
const { default: init, layerbox_worker } = await import(here("js"));
await init({ module_or_path: here("wasm") });
layerbox_worker();
