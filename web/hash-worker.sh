#!/bin/sh
# Trunk's post_build hook (Trunk.toml): names the Web Worker's module files by a hash of their
# bytes, as Trunk names the page's, so a browser or a CDN never pairs a cached worker with
# another deploy's page. Trunk names a worker's files by its bin alone (layerbox-worker.js,
# layerbox-worker_bg.wasm); this renames both to layerbox-worker-HASH.js and
# layerbox-worker-HASH_bg.wasm (HASH: POSIX cksum's CRC and length of the wasm and JS together)
# and writes the new names into index.html's `layerbox-bundle` data block.
set -eu
dir="${TRUNK_STAGING_DIR:?TRUNK_STAGING_DIR is not set: Trunk runs this after a build}"
js="$dir/layerbox-worker.js"
wasm="$dir/layerbox-worker_bg.wasm"
page="$dir/index.html"
if [ ! -f "$js" ] || [ ! -f "$wasm" ]; then
  echo "hash-worker.sh: no layerbox-worker.js and layerbox-worker_bg.wasm in $dir" >&2
  exit 1
fi
hash=$(cat "$wasm" "$js" | cksum | awk '{ printf "%08x%x", $1, $2 }')
name="layerbox-worker-$hash"
mv "$js" "$dir/$name.js"
mv "$wasm" "$dir/${name}_bg.wasm"
sed -e "s|layerbox-worker\.js|$name.js|g" -e "s|layerbox-worker_bg\.wasm|${name}_bg.wasm|g" \
  "$page" > "$page.tmp"
mv "$page.tmp" "$page"
if ! grep -q "\"js\": \"[^\"]*$name.js\"" "$page"; then
  echo "hash-worker.sh: index.html's layerbox-bundle data block does not name $name.js" >&2
  exit 1
fi
