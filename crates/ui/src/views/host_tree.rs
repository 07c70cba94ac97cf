//! The host filesystem with bind sources and the network share marked, and an editor that
//! writes, makes and removes host files as the terminal's user.

use layerbox_view as view;
use layerbox_view::Kind;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::context::{action_callback, use_lang, use_runner, use_shared};
use crate::i18n_panels::{more_entries, panels};
use crate::timeline::Action;
use crate::views::at_cursor::step_highlights;
use crate::views::tree::{all_rows, entry_note, tree, Row, TreeMsg, TreeState};

#[component]
pub fn HostTree() -> Html {
    let lang = use_lang();
    let shared = use_shared();
    // Edits from the editor.
    let on_action = action_callback(&shared, use_runner());
    let state = use_state(|| {
        TreeState::with_open([
            "/".to_string(),
            "/home".to_string(),
            "/home/user".to_string(),
        ])
    });
    let path = use_state(|| "/home/user/".to_string());
    let text = use_state(String::new);
    let p = panels(lang);
    let timeline = shared.timeline.borrow();
    let world = timeline.current().world();
    let highlights = step_highlights(&timeline);
    let on = {
        let state = state.clone();
        let path = path.clone();
        let text = text.clone();
        let shared = shared.clone();
        Callback::from(move |m: TreeMsg| {
            if let TreeMsg::Select(sel) = &m {
                // A file opens in the editor; a directory becomes where a new file goes.
                let timeline = shared.timeline.borrow();
                let host = timeline.current().world().host();
                use layerbox_fstree::Store;
                match host.content(sel) {
                    Ok(c) => {
                        path.set(sel.clone());
                        text.set(String::from_utf8_lossy(&c).into_owned());
                    }
                    Err(_) => path.set(format!("{}/", sel.trim_end_matches('/'))),
                }
            }
            let mut next = (*state).clone();
            next.update(m);
            state.set(next);
        })
    };
    let children = all_rows(|dir: &str| -> Result<Vec<Row>, String> {
        view::host_children(world, dir)
            .map(|nodes| {
                nodes
                    .into_iter()
                    .map(|n| {
                        let badge = if n.share_mount {
                            p.network_share.to_string()
                        } else {
                            n.binds
                                .iter()
                                .filter(|b| b.relation != view::BindRelation::ContainsSource)
                                .map(|b| format!("→ {}:{}", b.container, b.destination))
                                .collect::<Vec<_>>()
                                .join(", ")
                        };
                        Row {
                            changed: highlights.host_paths.contains(&n.entry.path),
                            expandable: n.entry.expandable,
                            kind_class: n
                                .kind
                                .or(n.network_share.then_some(Kind::NetworkBind))
                                .map(Kind::css_class),
                            badge,
                            detail: format!("{} {} {}", n.entry.mode, n.entry.owner, n.entry.group),
                            ghost: false,
                            extra: if n
                                .binds
                                .iter()
                                .any(|b| b.relation == view::BindRelation::Source)
                            {
                                vec!["bind-source"]
                            } else {
                                vec![]
                            },
                            note: entry_note(&n.entry),
                            path: n.entry.path,
                            name: n.entry.name,
                        }
                    })
                    .collect()
            })
            .map_err(|e| e.to_string())
    });
    let root = Row::root();
    let on_path = {
        let path = path.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                path.set(i.value());
            }
        })
    };
    let on_text = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
            {
                text.set(i.value());
            }
        })
    };
    let act = |make: fn(String, String) -> Action| {
        let path = path.clone();
        let text = text.clone();
        let on_action = on_action.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let p = path.trim().trim_end_matches('/').to_string();
            if !p.is_empty() {
                on_action.emit(make(p, (*text).clone()));
            }
        })
    };
    let save = act(|path, text| Action::HostWrite { path, text });
    let mkdir = {
        let path = path.clone();
        let on_action = on_action.clone();
        Callback::from(move |_: MouseEvent| {
            let p = path.trim().trim_end_matches('/').to_string();
            if !p.is_empty() {
                on_action.emit(Action::HostMkdir { path: p });
            }
        })
    };
    let delete = {
        let path = path.clone();
        let on_action = on_action.clone();
        Callback::from(move |_: MouseEvent| {
            let p = path.trim().trim_end_matches('/').to_string();
            if !p.is_empty() {
                on_action.emit(Action::HostRemove { path: p });
            }
        })
    };
    html! {
        <div class="host-view">
            <p class="muted">{ p.host_help }</p>
            { tree(p.host_title, "host-tree", root, &children, &state, &on, &|n| more_entries(lang, n)) }
            <form class="host-editor" onsubmit={ save } data-testid="host-editor">
                <label>{ p.path }
                    <input type="text" value={ (*path).clone() } oninput={ on_path } spellcheck="false" data-testid="host-path" />
                </label>
                <label>{ p.content }
                    <textarea rows="4" value={ (*text).clone() } oninput={ on_text } spellcheck="false" data-testid="host-content" />
                </label>
                <div class="editor-buttons">
                    <button type="submit" class="small-button" data-testid="host-save">{ p.save_file }</button>
                    <button type="button" class="small-button" onclick={ mkdir }>{ p.make_dir }</button>
                    <button type="button" class="small-button" onclick={ delete }>{ p.delete }</button>
                </div>
            </form>
        </div>
    }
}
