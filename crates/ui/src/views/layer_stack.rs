//! The layer stack, as dive shows it: a container's or an image's layers with their counts and
//! sharing; a chosen layer's own changes and the merged tree up to it.

use layerbox_i18n::Lang;
use layerbox_view as view;
use layerbox_view::{LayerChangeKind, LayerRef, Target};
use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::context::{use_lang, use_shared};
use crate::i18n_panels::{more_entries, panels};
use crate::views::at_cursor::containers_newest_first;
use crate::views::tree::{all_rows, entry_note, human_size, tree, Row, TreeMsg, TreeState, PAGE};

#[derive(Properties, PartialEq)]
pub struct LayersProps {
    /// The container the panel looks at; the layers of an image can be chosen instead.
    pub container: Option<String>,
    /// A layer to choose (the diagram's selection).
    #[prop_or_default]
    pub select: Option<LayerRef>,
}

/// What the layer panel shows: a container's stack or an image's.
#[derive(Clone, PartialEq)]
enum LayerTarget {
    Container(String),
    Image(String),
}

#[component]
pub fn LayerStackView(props: &LayersProps) -> Html {
    let lang = use_lang();
    let shared = use_shared();
    let chosen = use_state(|| None::<LayerTarget>);
    let selected = use_state(|| props.select);
    {
        let selected = selected.clone();
        let chosen = chosen.clone();
        use_effect_with(props.select, move |select| {
            if select.is_some() {
                chosen.set(None);
                selected.set(*select);
            }
        });
    }
    let merged = use_state(|| TreeState::with_open(["/".to_string()]));
    let p = panels(lang);
    let timeline = shared.timeline.borrow();
    let world = timeline.current().world();
    let mut images: Vec<String> = world
        .images()
        .images
        .values()
        .filter_map(|i| i.repo_tags.first().cloned())
        .collect();
    layerbox_order::sort(&mut images);
    let containers = containers_newest_first(timeline.current());
    let target = (*chosen)
        .clone()
        .filter(|t| match t {
            LayerTarget::Container(n) => containers.iter().any(|(c, _, _)| c == n),
            LayerTarget::Image(i) => images.contains(i),
        })
        .or_else(|| props.container.clone().map(LayerTarget::Container))
        .or_else(|| {
            images
                .iter()
                .find(|i| i.starts_with("alpine"))
                .or(images.first())
                .cloned()
                .map(LayerTarget::Image)
        });
    let Some(target) = target else {
        return html! { <div data-testid="layer-stack" class="empty">{ p.no_containers }</div> };
    };
    let t = match &target {
        LayerTarget::Container(n) => Target::Container(n),
        LayerTarget::Image(i) => Target::Image(i),
    };
    let on_target = {
        let chosen = chosen.clone();
        let selected = selected.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
            {
                let v = s.value();
                selected.set(None);
                chosen.set(Some(match v.strip_prefix("c:") {
                    Some(c) => LayerTarget::Container(c.to_string()),
                    None => LayerTarget::Image(v.trim_start_matches("i:").to_string()),
                }));
            }
        })
    };
    let picker = html! {
        <label class="picker">
            { p.layers_of }{ " " }
            <select onchange={ on_target } data-testid="layer-target">
                { for containers.iter().map(|(n, _, _)| {
                    let is = target == LayerTarget::Container(n.clone());
                    html! { <option value={ format!("c:{n}") } selected={ is }>{ format!("{} {n}", p.container) }</option> }
                }) }
                { for images.iter().map(|i| {
                    let is = target == LayerTarget::Image(i.clone());
                    html! { <option value={ format!("i:{i}") } selected={ is }>{ i.clone() }</option> }
                }) }
            </select>
        </label>
    };
    let stack = match view::layer_stack(world, t) {
        Ok(s) => s,
        Err(e) => {
            return html! { <div data-testid="layer-stack" class="empty">{ e.to_string() }</div> }
        }
    };
    let rows = stack.rows.iter().rev().map(|row| {
        let is_sel = row.layer.is_some() && row.layer == *selected;
        let label = match row.layer {
            Some(LayerRef::Image(i)) => (i + 1).to_string(),
            Some(LayerRef::Init) => "init".into(),
            Some(LayerRef::Writable) => "rw".into(),
            None => "·".into(),
        };
        let pick = {
            let selected = selected.clone();
            let layer = row.layer;
            Callback::from(move |_: MouseEvent| selected.set(layer))
        };
        html! {
            <li class={ classes!("layer", row.kind.css_class(), is_sel.then_some("selected"), row.layer.is_none().then_some("empty-layer")) }>
                <button onclick={ pick } disabled={ row.layer.is_none() } aria-pressed={ is_sel.to_string() }>
                    <span class="layer-no">{ label }</span>
                    <code class="layer-cmd" title={ row.created_by.clone() }>{ layer_label(row, &stack, lang) }</code>
                    <span class="layer-counts">
                        if row.layer.is_none() {
                            <span class="muted">{ p.no_layer }</span>
                        } else {
                            if row.added > 0 { <span class="added">{ format!("+{}", row.added) }</span> }
                            if row.modified > 0 { <span class="modified">{ format!("~{}", row.modified) }</span> }
                            if row.removed > 0 { <span class="removed">{ format!("−{}", row.removed) }</span> }
                            <span class="size">{ human_size(row.size) }</span>
                        }
                        if !row.shared_by.is_empty() {
                            <span class="shared" title={ format!("{} {}", p.shared_by, row.shared_by.join(", ")) }>
                                { format!("{} {}", p.shared_by, row.shared_by.len()) }
                            </span>
                        }
                    </span>
                </button>
            </li>
        }
    });
    let detail = match *selected {
        None => html! { <p class="muted">{ p.pick_layer }</p> },
        Some(layer) => {
            let changes = view::layer_changes(world, t, layer).unwrap_or_default();
            let on = {
                let merged = merged.clone();
                Callback::from(move |m: TreeMsg| {
                    let mut next = (*merged).clone();
                    next.update(m);
                    merged.set(next);
                })
            };
            let children = all_rows(|dir: &str| -> Result<Vec<Row>, String> {
                view::merged_children(world, t, layer, dir)
                    .map(|nodes| {
                        nodes
                            .into_iter()
                            .map(|n| Row {
                                badge: match n.change {
                                    Some(LayerChangeKind::Added) => "A".into(),
                                    Some(LayerChangeKind::Modified) => "C".into(),
                                    Some(LayerChangeKind::Removed) => "D".into(),
                                    None => String::new(),
                                },
                                detail: format!(
                                    "{} {} {}",
                                    n.entry.mode, n.entry.owner, n.entry.group
                                ),
                                kind_class: Some(n.kind.css_class()),
                                ghost: n.change == Some(LayerChangeKind::Removed),
                                changed: false,
                                expandable: n.entry.expandable
                                    && n.change != Some(LayerChangeKind::Removed),
                                extra: match n.change {
                                    Some(LayerChangeKind::Added) => vec!["added"],
                                    Some(LayerChangeKind::Modified) => vec!["modified"],
                                    Some(LayerChangeKind::Removed) => vec!["removed"],
                                    None if n.touched => vec!["touched"],
                                    None => vec![],
                                },
                                note: entry_note(&n.entry),
                                path: n.entry.path,
                                name: n.entry.name,
                            })
                            .collect()
                    })
                    .map_err(|e| e.to_string())
            });
            let root = Row::root();
            let total = changes.len();
            html! {
                <div class="layer-detail">
                    <h3>{ p.layer_changes }</h3>
                    if changes.is_empty() {
                        <p class="muted">{ p.no_changes }</p>
                    } else {
                        <ul class="changes" data-testid="layer-changes">
                            { for changes.iter().take(PAGE).map(|c| {
                                let (mark, class) = match c.what {
                                    LayerChangeKind::Added => ("A", "added"),
                                    LayerChangeKind::Modified => ("C", "modified"),
                                    LayerChangeKind::Removed => ("D", "removed"),
                                };
                                html! { <li class={ class }><code>{ format!("{mark} {}", c.path) }</code></li> }
                            }) }
                            if total > PAGE {
                                <li class="muted">{ more_entries(lang, total - PAGE) }</li>
                            }
                        </ul>
                    }
                    <h3>{ p.merged_tree }</h3>
                    { tree(p.merged_tree, "merged-tree", root, &children, &merged, &on, &|n| more_entries(lang, n)) }
                </div>
            }
        }
    };
    html! {
        <div class="layer-view">
            <div class="view-controls">{ picker }</div>
            <ol class="layers" data-testid="layer-stack" aria-label={ format!("{} {}", p.layers_of, stack.image) }>
                { for rows }
            </ol>
            { detail }
        </div>
    }
}

/// A layer's instruction; the init and writable layers described in the page's language.
fn layer_label(row: &view::LayerRow, stack: &view::LayerStack, lang: Lang) -> String {
    let name = stack.container.as_deref().unwrap_or("");
    match (row.layer, lang) {
        (Some(LayerRef::Init), Lang::En) => "init layer: Docker's placeholders".into(),
        (Some(LayerRef::Init), Lang::Ko) => "init 레이어: 도커가 만든 자리 표시 파일".into(),
        (Some(LayerRef::Writable), Lang::En) => format!("writable layer of {name}"),
        (Some(LayerRef::Writable), Lang::Ko) => format!("{name}의 기록 가능 레이어"),
        _ => row.created_by.clone(),
    }
}
