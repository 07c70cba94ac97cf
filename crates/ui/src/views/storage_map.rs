//! The storage map: a container's files, each with the kind of storage it lives on, and with
//! "show hidden" the ghosts that a whiteout, an opaque directory, a higher layer or a mount hides.

use layerbox_view as view;
use yew::prelude::*;

use crate::context::{use_lang, use_shared};
use crate::i18n_panels::{kind_name, more_entries, panels, why_hidden};
use crate::views::at_cursor::step_highlights;
use crate::views::tree::{entry_note, tree, Row, TreeMsg, TreeState};

#[derive(Properties, PartialEq)]
pub struct StorageProps {
    /// The container the panel looks at.
    pub container: Option<String>,
    /// The panel's container picker, drawn among this view's controls.
    pub picker: Html,
    /// A path to open the directories down to (the diagram's selection).
    #[prop_or_default]
    pub reveal: Option<String>,
}

/// Ancestors of `path`, root included, itself excluded.
fn ancestors(path: &str) -> Vec<String> {
    let mut out = vec!["/".to_string()];
    let mut acc = String::new();
    let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    for part in parts.iter().take(parts.len().saturating_sub(1)) {
        acc.push('/');
        acc.push_str(part);
        out.push(acc.clone());
    }
    out
}

#[component]
pub fn StorageMap(props: &StorageProps) -> Html {
    let lang = use_lang();
    let shared = use_shared();
    let state = use_state(|| TreeState::with_open(["/".to_string()]));
    let show_hidden = use_state(|| false);
    let p = panels(lang);
    let timeline = shared.timeline.borrow();
    let world = timeline.current().world();
    let highlights = step_highlights(&timeline);
    // Open the directories down to a path the diagram selected (and a directory itself).
    {
        let state = state.clone();
        let reveal = props.reveal.clone();
        use_effect_with(reveal, move |reveal| {
            if let Some(p) = reveal {
                let mut open = ancestors(p);
                open.push(p.clone());
                if open.iter().any(|p| !state.expanded.contains(p)) {
                    let mut next = (*state).clone();
                    next.expanded.extend(open);
                    state.set(next);
                }
            }
        });
    }
    // Open the directories of what the last command changed.
    {
        let state = state.clone();
        let open: Vec<String> = props
            .container
            .as_deref()
            .and_then(|name| world.find_container(name).ok())
            .map(|c| {
                highlights
                    .container_paths
                    .iter()
                    .filter(|(id, _)| *id == c.id)
                    .flat_map(|(_, p)| ancestors(p))
                    .collect()
            })
            .unwrap_or_default();
        use_effect_with((shared.rev, props.container.clone()), move |_| {
            if open.iter().any(|p| !state.expanded.contains(p)) {
                let mut next = (*state).clone();
                next.expanded.extend(open);
                state.set(next);
            }
        });
    }
    let Some(name) = props.container.clone() else {
        return html! {
            <div data-testid="storage-map" class="empty">{ p.no_containers }</div>
        };
    };
    let Ok(c) = world.find_container(&name) else {
        return html! { <div data-testid="storage-map" class="empty">{ p.no_containers }</div> };
    };
    let id = c.id.clone();
    let on = {
        let state = state.clone();
        Callback::from(move |m: TreeMsg| {
            let mut next = (*state).clone();
            next.update(m);
            state.set(next);
        })
    };
    let toggle_hidden = {
        let show_hidden = show_hidden.clone();
        Callback::from(move |_: Event| show_hidden.set(!*show_hidden))
    };
    let hidden = *show_hidden;
    let children = |dir: &str, limit: Option<usize>| -> Result<(Vec<Row>, usize), String> {
        let page = match limit {
            Some(n) => view::storage_children_page(world, &id, dir, hidden, 0..n),
            None => view::storage_children(world, &id, dir, hidden).map(|nodes| view::Page {
                total: nodes.len(),
                nodes,
            }),
        };
        page.map(|page| {
            let total = page.total;
            let rows = page
                .nodes
                .into_iter()
                .map(|n| {
                    let ghost = n.hidden.is_some();
                    let mut badge = match &n.hidden {
                        Some(g) => why_hidden(lang, &g.why),
                        None => view::badge(&n.backs, lang),
                    };
                    if n.mount_point && !ghost {
                        badge = format!("{badge} · {}", p.mount_point);
                    }
                    let kind = match &n.hidden {
                        Some(_) => n.kind,
                        None => n.kind,
                    };
                    let detail = format!(
                        "{} · {} {} {}{}",
                        kind_name(lang, kind),
                        n.entry.mode,
                        n.entry.owner,
                        n.entry.group,
                        n.instruction
                            .as_deref()
                            .map(|i| format!(" · {i}"))
                            .unwrap_or_default()
                    );
                    Row {
                        changed: highlights.container_path(&id, &n.entry.path),
                        expandable: n.entry.expandable && !ghost,
                        kind_class: Some(kind.css_class()),
                        badge,
                        detail,
                        ghost,
                        extra: if n.mount_point {
                            vec!["mount-point"]
                        } else {
                            vec![]
                        },
                        note: entry_note(&n.entry),
                        path: n.entry.path,
                        name: n.entry.name,
                    }
                })
                .collect();
            (rows, total)
        })
        .map_err(|e| e.to_string())
    };
    let root = Row::root();
    html! {
        <div class="storage-map">
            <div class="view-controls">
                { props.picker.clone() }
                <label class="check">
                    <input type="checkbox" checked={ hidden } onchange={ toggle_hidden } data-testid="show-hidden" />
                    { " " }{ p.show_hidden }
                </label>
            </div>
            { tree(p.tab_storage, "storage-map", root, &children, &state, &on, &|n| more_entries(lang, n)) }
        </div>
    }
}
