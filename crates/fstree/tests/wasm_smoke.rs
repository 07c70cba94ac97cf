//! wasm32 smoke test: a union with copy-up, whiteout, diff, commit and JSON, in a browser.
#![cfg(target_arch = "wasm32")]
