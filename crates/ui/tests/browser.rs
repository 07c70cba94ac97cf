//! Browser tests: the app mounted into a real document in headless Chrome.
#![cfg(target_arch = "wasm32")]

use layerbox_i18n::Lang;
use layerbox_ui::{App, AppProps};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn mount(lang: Lang) -> web_sys::Element {
    mount_with(AppProps {
        lang: Some(lang),
        ephemeral: true,
        lesson: None,
        // Lines run on the test's thread: the test page serves no worker.js.
        worker: false,
    })
}

/// Mounts the app into a fresh element of the test page's body.
fn mount_with(props: AppProps) -> web_sys::Element {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let root = document.create_element("div").expect("a div");
    document
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("appended");
    yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
    root
}

fn text_of(root: &web_sys::Element, testid: &str) -> String {
    root.query_selector(&format!("[data-testid={testid}]"))
        .ok()
        .flatten()
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn legend_names_every_kind_of_storage_with_its_lifetime() {
    let root = mount(Lang::En);
    yew::scheduler::flush().await;
    let legend = text_of(&root, "legend");
    for kind in [
        "Image layer",
        "Writable layer",
        "Volume",
        "Bind mount",
        "Network share",
        "tmpfs",
        "Docker-managed file",
        "procfs (kernel)",
    ] {
        assert!(legend.contains(kind), "legend lacks {kind}: {legend}");
    }
    assert!(legend.contains("until docker rm"), "{legend}");
    let items = root.query_selector_all(".legend li").expect("query");
    assert_eq!(items.length(), 8);
}

#[wasm_bindgen_test]
async fn language_switch_turns_the_page_korean_and_back() {
    let root = mount(Lang::En);
    yew::scheduler::flush().await;
    assert_eq!(
        text_of(&root, "tagline"),
        "Docker's storage model, in your browser"
    );
    let button: web_sys::HtmlElement = root
        .query_selector("[data-testid=lang-switch]")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into().ok())
        .expect("the language switch");
    button.click();
    yew::scheduler::flush().await;
    assert_eq!(
        text_of(&root, "tagline"),
        "브라우저에서 살펴보는 도커 스토리지"
    );
    assert!(text_of(&root, "legend").contains("기록 가능 레이어"));
    button.click();
    yew::scheduler::flush().await;
    assert_eq!(
        text_of(&root, "tagline"),
        "Docker's storage model, in your browser"
    );
}

fn el(root: &web_sys::Element, selector: &str) -> web_sys::HtmlElement {
    root.query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into().ok())
        .unwrap_or_else(|| panic!("no {selector}"))
}

/// Types `line` into the terminal and presses Enter, as a learner does.
async fn type_line(root: &web_sys::Element, line: &str) {
    let input: web_sys::HtmlInputElement = el(root, "[data-testid=terminal-input]")
        .dyn_into()
        .expect("an input");
    input.set_value(line);
    let init = web_sys::InputEventInit::new();
    init.set_bubbles(true);
    let ev = web_sys::InputEvent::new_with_event_init_dict("input", &init).expect("input event");
    input.dispatch_event(&ev).expect("dispatched");
    yew::scheduler::flush().await;
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Enter");
    init.set_bubbles(true);
    init.set_cancelable(true);
    let ev = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init)
        .expect("keyboard event");
    input.dispatch_event(&ev).expect("dispatched");
    yew::scheduler::flush().await;
}

async fn click(root: &web_sys::Element, selector: &str) {
    el(root, selector).click();
    yew::scheduler::flush().await;
}

#[wasm_bindgen_test]
async fn a_command_typed_in_the_terminal_prints_docker_s_output() {
    let root = mount(Lang::En);
    yew::scheduler::flush().await;
    type_line(&root, "docker volume create todo-list").await;
    let out = text_of(&root, "terminal-output");
    assert!(
        out.contains("user@docker-host:~$ docker volume create todo-list"),
        "{out}"
    );
    assert!(
        out.ends_with("todo-list\n") || out.contains("todo-list\n"),
        "{out}"
    );
    type_line(&root, "docker volume rm nosuch").await;
    let out = text_of(&root, "terminal-output");
    assert!(
        out.contains("Error response from daemon: get nosuch: no such volume"),
        "{out}"
    );
}

/// The elements showing the first step: its output in the terminal, its row in the timeline.
fn first_step_elements(root: &web_sys::Element) -> (web_sys::HtmlElement, web_sys::HtmlElement) {
    (
        el(root, "[data-testid=terminal-output] [data-step='0']"),
        el(root, "[data-testid=timeline] li.block li.step button"),
    )
}

#[wasm_bindgen_test]
async fn a_new_step_leaves_the_earlier_steps_elements_as_they_are() {
    // A step is added to the terminal and the timeline; what shows the earlier steps stays,
    // also when the step begins a new block of rows (32 steps) or a new group of blocks (256),
    // so a step costs the same however long the session is.
    let root = mount(Lang::En);
    yew::scheduler::flush().await;
    type_line(&root, "echo first").await;
    let (out, row) = first_step_elements(&root);
    for _ in 0..256 {
        type_line(&root, "true").await;
    }
    assert_eq!(text_of(&root, "timeline").matches("true").count(), 256);
    let (out_now, row_now) = first_step_elements(&root);
    assert!(
        out.is_same_node(Some(&out_now)),
        "the first step's output was drawn anew"
    );
    assert!(
        row.is_same_node(Some(&row_now)),
        "the first step's row was drawn anew"
    );
    assert_eq!(out.get_attribute("data-step").as_deref(), Some("0"));
    assert!(out
        .text_content()
        .unwrap_or_default()
        .contains("echo first"));
    assert!(row
        .text_content()
        .unwrap_or_default()
        .contains("echo first"));
}

#[wasm_bindgen_test]
async fn the_views_follow_the_session_and_undo_takes_them_back() {
    let root = mount(Lang::En);
    yew::scheduler::flush().await;
    type_line(&root, "docker volume create todo-list").await;
    type_line(
        &root,
        "docker run --name t1 -v todo-list:/data alpine sh -c 'echo hi > /data/x; touch /etc/motd'",
    )
    .await;
    // With a container the diagram is shown first; the storage map shows the container's
    // root with the volume marked.
    assert!(root
        .query_selector("[data-testid=storage-diagram]")
        .ok()
        .flatten()
        .is_some());
    click(&root, "[data-testid=tab-storage-map]").await;
    let map = text_of(&root, "storage-map");
    assert!(map.contains("data/"), "{map}");
    assert!(map.contains("volume todo-list"), "{map}");
    // The last command copied /etc/motd up: its directory is open and the file marked.
    assert!(map.contains("copied up from layer 1"), "{map}");
    let explain = text_of(&root, "explain-panel");
    assert!(explain.contains("copied up"), "{explain}");
    // Volumes and mounts.
    click(&root, "[data-testid=tab-volume-list]").await;
    let volumes = text_of(&root, "volume-list");
    assert!(volumes.contains("todo-list"), "{volumes}");
    assert!(volumes.contains("t1 → /data"), "{volumes}");
    let mounts = text_of(&root, "mount-table");
    assert!(mounts.contains("/data"), "{mounts}");
    // Layers: alpine's layer and the container's writable layer.
    click(&root, "[data-testid=tab-layer-stack]").await;
    let layers = text_of(&root, "layer-stack");
    assert!(layers.contains("writable layer of t1"), "{layers}");
    // Undo twice: no container, no volume; the timeline keeps the steps to redo.
    click(&root, "[data-testid=undo]").await;
    click(&root, "[data-testid=undo]").await;
    click(&root, "[data-testid=tab-volume-list]").await;
    assert!(!text_of(&root, "volume-list").contains("todo-list"));
    assert!(text_of(&root, "timeline").contains("docker volume create todo-list"));
    click(&root, "[data-testid=redo]").await;
    assert!(text_of(&root, "volume-list").contains("todo-list"));
}

#[wasm_bindgen_test]
async fn the_host_panel_writes_a_file_a_bind_mount_then_shows() {
    let root = mount(Lang::En);
    yew::scheduler::flush().await;
    click(&root, "[data-testid=tab-host-tree]").await;
    let path: web_sys::HtmlInputElement = el(&root, "[data-testid=host-path]")
        .dyn_into()
        .expect("input");
    path.set_value("/home/user/index.html");
    let init = web_sys::InputEventInit::new();
    init.set_bubbles(true);
    path.dispatch_event(&web_sys::InputEvent::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
    let content: web_sys::HtmlTextAreaElement = el(&root, "[data-testid=host-content]")
        .dyn_into()
        .expect("textarea");
    content.set_value("<h1>hello</h1>");
    content
        .dispatch_event(&web_sys::InputEvent::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
    yew::scheduler::flush().await;
    click(&root, "[data-testid=host-save]").await;
    assert!(text_of(&root, "host-tree").contains("index.html"));
    type_line(
        &root,
        "docker run --rm -v /home/user/index.html:/usr/share/nginx/html/index.html nginx cat /usr/share/nginx/html/index.html",
    )
    .await;
    assert!(text_of(&root, "terminal-output").contains("<h1>hello</h1>"));
}

fn mount_lesson(id: &str) -> web_sys::Element {
    mount_with(AppProps {
        lang: Some(Lang::En),
        ephemeral: true,
        lesson: Some(id.to_string()),
        worker: false,
    })
}

#[wasm_bindgen_test]
async fn a_lesson_gives_hints_shows_the_solution_jumps_and_starts_over() {
    let root = mount_lesson("writable-layer");
    yew::scheduler::flush().await;
    assert!(text_of(&root, "lesson-status").starts_with("Step 1 of"));
    assert!(!text_of(&root, "lesson-step").is_empty());
    click(&root, "[data-testid=lesson-hint-button]").await;
    assert!(!text_of(&root, "lesson-hint").is_empty(), "no hint shown");
    // A command that does not complete the step leaves it where it is.
    type_line(&root, "docker volume ls").await;
    assert!(text_of(&root, "lesson-status").starts_with("Step 1 of"));
    click(&root, "[data-testid=lesson-show-me]").await;
    assert!(text_of(&root, "lesson-status").starts_with("Step 2 of"));
    assert!(!text_of(&root, "lesson-success").is_empty());
    // Undo takes the step back with the session.
    click(&root, "[data-testid=undo]").await;
    assert!(text_of(&root, "lesson-status").starts_with("Step 1 of"));
    // The step dots jump; "start over" comes back to step 1 with an empty terminal.
    click(&root, ".step-dots li:nth-child(3) button").await;
    assert!(text_of(&root, "lesson-status").starts_with("Step 3 of"));
    click(&root, "[data-testid=lesson-reset]").await;
    assert!(text_of(&root, "lesson-status").starts_with("Step 1 of"));
    assert_eq!(text_of(&root, "terminal-output"), "");
}

/// In the browser `layerbox_tools::number` hands checked text to `parseFloat`: it must read
/// every number as Rust's parser (the native one) does, hard roundings included.
#[wasm_bindgen_test]
fn numbers_read_in_the_browser_as_rust_reads_them() {
    for text in [
        "0.1",
        "-0",
        ".5",
        "5.",
        "+1e5",
        "0.30000000000000004",
        "9007199254740993",
        "2.2250738585072011e-308",
        "1e23",
        "8.589973e9",
        "4.35679e-5",
        "123456789012345678901234567890",
        "1.7976931348623157e308",
        "1.7976931348623159e308",
        "4.9e-324",
        "2.4703282292062327e-324",
        "2.4703282292062328e-324",
        "0.000000000000000000000000000000000000001",
        "1e400",
        "1.5e",
        "1.2.3",
        "inf",
        "0x10",
    ] {
        assert_eq!(
            layerbox_tools::number::parse_f64(text).map(f64::to_bits),
            text.parse::<f64>().ok().map(f64::to_bits),
            "{text}"
        );
    }
}

/// An element of the diagram's SVG (not an HTML element).
fn svg_el(root: &web_sys::Element, selector: &str) -> web_sys::Element {
    root.query_selector(selector)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no {selector}"))
}

/// The ids and `data-kind`s of the storage diagram's elements.
fn diagram_elements(root: &web_sys::Element) -> Vec<(String, String)> {
    let list = root
        .query_selector_all("[data-testid=storage-diagram] [data-kind]")
        .expect("query");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .map(|e| (e.id(), e.get_attribute("data-kind").unwrap_or_default()))
        .collect()
}

#[wasm_bindgen_test]
async fn the_diagram_draws_each_command_and_undo_takes_it_back() {
    let root = mount(Lang::En);
    yew::scheduler::flush().await;
    type_line(&root, "docker volume create todo-list").await;
    type_line(
        &root,
        "docker run --name t1 -v todo-list:/data alpine sh -c 'echo hi > /data/x; echo hi >> /etc/motd'",
    )
    .await;
    let has = |els: &[(String, String)], id: &str, kind: &str| {
        els.iter().any(|(i, k)| i == id && k == kind)
    };
    let els = diagram_elements(&root);
    for (id, kind) in [
        ("dg-container-t1", "container"),
        ("dg-writable-t1", "writable-layer"),
        ("dg-init-t1", "init-layer"),
        ("dg-layer-alpine-latest-1", "image-layer"),
        ("dg-mount-t1-data", "mount"),
        ("dg-volume-todo-list", "volume"),
    ] {
        assert!(has(&els, id, kind), "no {id} ({kind}) in {els:?}");
    }
    // The copy-up and the write into the volume are noted, and both flash.
    let notes = text_of(&root, "diagram-notes");
    assert!(notes.contains("/etc/motd rose from layer 1"), "{notes}");
    assert!(notes.contains("it landed in volume todo-list"), "{notes}");
    let writable = svg_el(&root, "#dg-writable-t1");
    assert!(writable
        .get_attribute("class")
        .is_some_and(|c| c.split(' ').any(|c| c == "dg-changed")));
    assert_eq!(
        writable.get_attribute("tabindex").as_deref(),
        Some("0"),
        "keyboard reachable"
    );
    assert!(writable
        .get_attribute("aria-label")
        .is_some_and(|l| l.contains("writable layer")));
    // docker rm: the writable layer goes, the volume stays.
    type_line(&root, "docker rm t1").await;
    let els = diagram_elements(&root);
    assert!(!has(&els, "dg-container-t1", "container"), "{els:?}");
    assert!(
        has(&els, "dg-removed-writable-t1", "writable-layer"),
        "{els:?}"
    );
    assert!(has(&els, "dg-volume-todo-list", "volume"), "{els:?}");
    assert!(text_of(&root, "diagram-notes").contains("volume todo-list stays"));
    // Undo: the diagram as it was.
    click(&root, "[data-testid=undo]").await;
    let els = diagram_elements(&root);
    assert!(has(&els, "dg-container-t1", "container"), "{els:?}");
    // Selecting the volume opens it in the volume list.
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let ev = web_sys::Event::new_with_event_init_dict("click", &init).expect("click event");
    svg_el(&root, "#dg-volume-todo-list")
        .dispatch_event(&ev)
        .expect("dispatched");
    yew::scheduler::flush().await;
    assert!(root
        .query_selector("[data-testid=volume-list] .volume.selected")
        .ok()
        .flatten()
        .is_some());
    // The text equivalent names the same things.
    click(&root, "[data-testid=tab-diagram]").await;
    let text = text_of(&root, "diagram-text");
    assert!(text.contains("/data ← volume todo-list (rw)"), "{text}");
}
