//! wasm32 smoke test: a union with copy-up, whiteout, diff, commit and JSON, in a browser.
#![cfg(target_arch = "wasm32")]

use std::sync::Arc;

use layerbox_fstree::{Cred, Event, FileSystem, Layer, Tree, Union};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn union_copy_up_whiteout_diff_commit_and_json() {
    let r = Cred::root();
    let mut base = Tree::new();
    base.mkdir(&r, "/etc", 0o755, 1).unwrap();
    base.write_file(&r, "/etc/hostname", b"box\n", 0o644, 1)
        .unwrap();
    base.write_file(&r, "/etc/passwd", b"root\n", 0o644, 1)
        .unwrap();
    let mut u = Union::new(vec![Arc::new(Layer::from_tree(base))]);
    u.append_file(&r, "/etc/passwd", b"me\n", 0o644, 2).unwrap();
    u.unlink(&r, "/etc/hostname", 3).unwrap();
    let events = u.take_events();
    assert!(events.contains(&Event::CopyUp {
        path: "/etc/passwd".into(),
        from_layer: 0
    }));
    assert!(events.contains(&Event::Whiteout {
        path: "/etc/hostname".into()
    }));
    let diff: Vec<String> = u.changes(&[]).iter().map(ToString::to_string).collect();
    assert_eq!(diff, ["C /etc", "C /etc/passwd", "D /etc/hostname"]);
    let layer = u.commit(&[]);
    let json = serde_json::to_string(&layer).unwrap();
    let back: Layer = serde_json::from_str(&json).unwrap();
    assert_eq!(back.to_oci(), layer.to_oci());
}
