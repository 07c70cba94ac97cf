#!/bin/sh
# Trunk's pre_build hook (Trunk.toml): writes target/lesson-starts.json, the starts of the
# lessons whose setup runs lines, made by this checkout's engine (natively, in the dev profile
# the tests build), for index.html to name and the page to fetch (crates/ui/src/lesson_starts.rs).
set -eu
mkdir -p target
cargo run --quiet -p layerbox-ui --bin layerbox-lesson-starts -- target/lesson-starts.json
