//! wasm32 smoke test in a real browser: the engine's whole path (sample images, a container
//! with a volume and a bind, copy-up, diff, commit, save and load) without a wasm-only panic.
#![cfg(target_arch = "wasm32")]

use layerbox_engine::world::{CreateRequest, World};
use layerbox_fstree::{Cred, FileSystem};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn a_session_runs_saves_and_loads_in_the_browser() {
    let mut w = World::new().expect("sample images build in wasm");
    let req = CreateRequest {
        image: "diamol/ch06-todo-list".into(),
        name: Some("todo1".into()),
        binds: vec!["/home/user:/host".into()],
        ..Default::default()
    };
    let id = w.create_container(&req).expect("create");
    w.start_container(&id).expect("start");
    let now = w.now();
    w.with_container_fs(&id, false, |fs| {
        fs.write_file(
            &Cred::root(),
            "/data/todo-list.db",
            b"buy milk\n",
            0o644,
            now,
        )?;
        fs.append_file(&Cred::root(), "/etc/motd", b"hi\n", 0o644, now)?;
        fs.write_file(&Cred::root(), "/host/from-container", b"x", 0o644, now)
    })
    .expect("container")
    .expect("writes");
    let diff: Vec<String> = w
        .diff("todo1")
        .expect("diff")
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert!(diff.contains(&"C /etc/motd".to_string()), "{diff:?}");
    assert!(
        !diff.iter().any(|d| d.contains("todo-list.db")),
        "volume content is not in diff"
    );
    w.commit("todo1", Some("todo:v2"), "", "", |_| Ok(()))
        .expect("commit");
    let json = w.save().expect("save");
    let back = World::load(&json).expect("load");
    assert_eq!(back.save().expect("save"), json);
    assert!(!w.take_changes().is_empty());
}
