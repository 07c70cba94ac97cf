//! Browser tests: the app mounted into a real document in headless Chrome.
#![cfg(target_arch = "wasm32")]

use layerbox_ui::{App, AppProps, Lang};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn mount(lang: Lang) -> web_sys::Element {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let root = document.create_element("div").expect("a div");
    document
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("appended");
    yew::Renderer::<App>::with_root_and_props(root.clone(), AppProps { lang: Some(lang) }).render();
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
    ] {
        assert!(legend.contains(kind), "legend lacks {kind}: {legend}");
    }
    assert!(legend.contains("until docker rm"), "{legend}");
    let items = root.query_selector_all(".legend li").expect("query");
    assert_eq!(items.length(), 7);
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
