// The page's Web Worker: the same wasm module as the page (one download, cached), serving the
// engine (crates/ui/src/worker.rs). The page starts it as a module worker and names the
// bundle's hashed files in its address (`worker.js?js=...&wasm=...`); only files of this site
// are loaded.
const params = new URL(self.location.href).searchParams;
const here = (name) => {
  const url = new URL(params.get(name) || "", self.location.href);
  if (url.origin !== self.location.origin) throw new Error(`layerbox: ${name} is not of this site`);
  return url.href;
};
const { default: init, layerbox_worker } = await import(here("js"));
await init({ module_or_path: here("wasm") });
layerbox_worker();
