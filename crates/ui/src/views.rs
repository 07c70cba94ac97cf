//! The storage views beside the terminal: storage map, layer stack, volumes and mounts, host
//! filesystem; and the explain panel. All of them draw `layerbox-view`'s data for the session at
//! the timeline's cursor, and flash what the step at the cursor changed.

use layerbox_engine::container::Status;
use layerbox_i18n::Lang;
use layerbox_view as view;
use layerbox_view::{Highlights, Kind, LayerChangeKind, LayerRef, Target, World};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::i18n::texts;
use crate::i18n_panels::{
    kind_name, more_entries, mount_origin, panels, volume_origin, why_hidden,
};
use crate::model::Shared;
use crate::timeline::Action;
use crate::tree::{all_rows, human_size, tree, Row, TreeMsg, TreeState};

/// The view shown in the tabbed panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Storage,
    Layers,
    Volumes,
    Host,
    Browser,
}

impl Tab {
    pub const ALL: [Tab; 5] = [
        Tab::Storage,
        Tab::Layers,
        Tab::Volumes,
        Tab::Host,
        Tab::Browser,
    ];

    /// The `?view=` / widget name of a tab.
    pub fn key(self) -> &'static str {
        match self {
            Tab::Storage => "storage-map",
            Tab::Layers => "layer-stack",
            Tab::Volumes => "volume-list",
            Tab::Host => "host-tree",
            Tab::Browser => "browser",
        }
    }

    pub fn parse(key: &str) -> Option<Tab> {
        Tab::ALL.into_iter().find(|t| t.key() == key)
    }

    fn label(self, lang: Lang) -> &'static str {
        let p = panels(lang);
        match self {
            Tab::Storage => p.tab_storage,
            Tab::Layers => p.tab_layers,
            Tab::Volumes => p.tab_volumes,
            Tab::Host => p.tab_host,
            Tab::Browser => p.tab_browser,
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct ViewsProps {
    pub shared: Shared,
    pub lang: Lang,
    /// The tab shown first.
    #[prop_or(Tab::Storage)]
    pub initial: Tab,
    /// Show the tab bar (the widget shows one chosen view only).
    #[prop_or(true)]
    pub tabs: bool,
    /// Edits from the host panel.
    pub on_action: Callback<Action>,
}

/// The world at the cursor, the one before it, and what the step at the cursor changed.
struct Now<'a> {
    world: &'a World,
    highlights: Highlights,
}

/// What the step at the timeline's cursor changed, to flash.
fn step_highlights(timeline: &crate::timeline::Timeline) -> Highlights {
    timeline
        .applied()
        .last()
        .map(|s| view::highlights(&s.changes, &timeline.current().daemon.world))
        .unwrap_or_default()
}

/// Containers as `(name, id, running)`, the newest first (the daemon's creation order).
fn containers_newest_first(session: &layerbox_shell::Session) -> Vec<(String, String, bool)> {
    let world = &session.daemon.world;
    session
        .daemon
        .order
        .iter()
        .rev()
        .filter_map(|id| world.containers.get(id))
        .map(|c| {
            (
                c.name.trim_start_matches('/').to_string(),
                c.id.clone(),
                c.state.status == Status::Running,
            )
        })
        .collect()
}

/// The container the most recent storage-changing step touched, if it still exists.
fn last_touched(timeline: &crate::timeline::Timeline) -> Option<String> {
    let world = &timeline.current().daemon.world;
    timeline.applied().iter().rev().find_map(|step| {
        view::highlights(&step.changes, world)
            .containers
            .iter()
            .find_map(|id| world.containers.get(id))
            .map(|c| c.name.trim_start_matches('/').to_string())
    })
}

#[component]
pub fn Views(props: &ViewsProps) -> Html {
    let tab = use_state(|| props.initial);
    let chosen = use_state(|| None::<(String, u64)>);
    let timeline = props.shared.timeline.borrow();
    let world = &timeline.current().daemon.world;
    let highlights = step_highlights(&timeline);
    let containers = containers_newest_first(timeline.current());
    // The container shown: the learner's choice while it exists, else the one the latest
    // command touched, else the newest.
    let exists = |n: &String| containers.iter().any(|(name, _, _)| name == n);
    let touched_now = highlights
        .containers
        .iter()
        .find_map(|id| world.containers.get(id))
        .map(|c| c.name.trim_start_matches('/').to_string());
    // The container shown: the learner's pick until the next command; then the container that
    // command touched; else the earlier pick; else the one touched last; else the newest.
    let container = match (&*chosen, touched_now) {
        (Some((n, rev)), _) if *rev == props.shared.rev && exists(n) => Some(n.clone()),
        (_, Some(t)) => Some(t),
        (Some((n, _)), None) if exists(n) => Some(n.clone()),
        _ => last_touched(&timeline).or_else(|| containers.first().map(|(n, _, _)| n.clone())),
    };
    let now = Now { world, highlights };
    let lang = props.lang;
    let p = panels(lang);

    let on_choose = {
        let chosen = chosen.clone();
        let rev = props.shared.rev;
        Callback::from(move |e: Event| {
            if let Some(s) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
            {
                chosen.set(Some((s.value(), rev)));
            }
        })
    };
    let picker = html! {
        <label class="picker">
            { p.container }{ " " }
            <select onchange={ on_choose } data-testid="container-picker">
                { for containers.iter().map(|(name, _, running)| html! {
                    <option value={ name.clone() } selected={ container.as_deref() == Some(name.as_str()) }>
                        { if *running { name.clone() } else { format!("{name} ({})", p.stopped) } }
                    </option>
                }) }
            </select>
        </label>
    };
    let body = match *tab {
        Tab::Storage => html! {
            <StorageMap rev={ props.shared.rev } shared={ props.shared.clone() } lang={ lang } container={ container.clone() } picker={ picker.clone() } />
        },
        Tab::Layers => html! {
            <LayerStackView shared={ props.shared.clone() } lang={ lang } container={ container.clone() } />
        },
        Tab::Volumes => volumes_html(&now, lang, container.as_deref(), picker.clone()),
        Tab::Host => html! {
            <HostTree shared={ props.shared.clone() } lang={ lang } on_action={ props.on_action.clone() } />
        },
        Tab::Browser => html! {
            <crate::browser::Browser shared={ props.shared.clone() } lang={ lang } on_action={ props.on_action.clone() } />
        },
    };
    html! {
        <section class="views panel" aria-label={ p.views_label }>
            if props.tabs {
                <div class="panel-tabs" role="tablist">
                    { for Tab::ALL.into_iter().map(|t| {
                        let set = { let tab = tab.clone(); Callback::from(move |_: MouseEvent| tab.set(t)) };
                        html! {
                            <button role="tab" aria-selected={ (t == *tab).to_string() }
                                data-testid={ format!("tab-{}", t.key()) } onclick={ set }>
                                { t.label(lang) }
                            </button>
                        }
                    }) }
                </div>
            }
            <div class="tab-body" role="tabpanel">{ body }</div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct StorageProps {
    rev: u64,
    shared: Shared,
    lang: Lang,
    container: Option<String>,
    picker: Html,
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
fn StorageMap(props: &StorageProps) -> Html {
    let state = use_state(|| TreeState::with_open(["/".to_string()]));
    let show_hidden = use_state(|| false);
    let lang = props.lang;
    let p = panels(lang);
    let timeline = props.shared.timeline.borrow();
    let world = &timeline.current().daemon.world;
    let highlights = step_highlights(&timeline);
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
        use_effect_with((props.rev, props.container.clone()), move |_| {
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

/// Size or symlink target after a file's name.
fn entry_note(e: &view::Entry) -> String {
    match &e.symlink_target {
        Some(t) => format!("→ {t}"),
        None if !e.expandable => human_size(e.size),
        None => String::new(),
    }
}

#[derive(Properties, PartialEq)]
struct LayersProps {
    shared: Shared,
    lang: Lang,
    container: Option<String>,
}

/// What the layer panel shows: a container's stack or an image's.
#[derive(Clone, PartialEq)]
enum LayerTarget {
    Container(String),
    Image(String),
}

#[component]
fn LayerStackView(props: &LayersProps) -> Html {
    let chosen = use_state(|| None::<LayerTarget>);
    let selected = use_state(|| None::<LayerRef>);
    let merged = use_state(|| TreeState::with_open(["/".to_string()]));
    let lang = props.lang;
    let p = panels(lang);
    let timeline = props.shared.timeline.borrow();
    let world = &timeline.current().daemon.world;
    let mut images: Vec<String> = world
        .images
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
                            { for changes.iter().take(crate::tree::PAGE).map(|c| {
                                let (mark, class) = match c.what {
                                    LayerChangeKind::Added => ("A", "added"),
                                    LayerChangeKind::Modified => ("C", "modified"),
                                    LayerChangeKind::Removed => ("D", "removed"),
                                };
                                html! { <li class={ class }><code>{ format!("{mark} {}", c.path) }</code></li> }
                            }) }
                            if total > crate::tree::PAGE {
                                <li class="muted">{ more_entries(lang, total - crate::tree::PAGE) }</li>
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

fn volumes_html(now: &Now<'_>, lang: Lang, container: Option<&str>, picker: Html) -> Html {
    let p = panels(lang);
    let list = view::volumes(now.world);
    let volume_rows = list.iter().map(|v| {
        let shown = if v.anonymous {
            format!("{}…", &v.name[..12.min(v.name.len())])
        } else {
            v.name.clone()
        };
        let changed = now.highlights.volumes.contains(&v.name);
        let content = view::volume_children(now.world, &v.name, "/").unwrap_or_default();
        html! {
            <li class={ classes!("volume", "kind-volume", changed.then_some("changed")) } data-volume={ v.name.clone() }>
                <div class="volume-head">
                    <span class="name" title={ v.name.clone() }>{ shown }</span>
                    if v.anonymous { <span class="badge">{ p.anonymous }</span> }
                    <span class="size">{ human_size(v.size) }</span>
                </div>
                <div class="volume-meta muted">{ volume_origin(lang, v.origin, v.origin_image.as_deref()) }</div>
                <div class="volume-users">
                    if v.users.is_empty() {
                        <span class="unused">{ p.unused }</span>
                    } else {
                        { p.used_by }{ ": " }
                        { for v.users.iter().map(|u| html! {
                            <span class="user">{ format!("{} → {}{}", u.container, u.destination, if u.rw { "" } else { " (ro)" }) }</span>
                        }) }
                    }
                </div>
                if !content.is_empty() {
                    <details class="volume-content">
                        <summary>{ format!("{} ({})", p.contents, content.len()) }</summary>
                        <ul>
                            { for content.iter().take(crate::tree::PAGE).map(|e| html! {
                                <li><code>{ if e.expandable { format!("{}/", e.name) } else { e.name.clone() } }</code>{ " " }<span class="muted">{ entry_note(e) }</span></li>
                            }) }
                        </ul>
                    </details>
                }
            </li>
        }
    });
    let mounts = container.and_then(|c| view::mount_table(now.world, c).ok().map(|m| (c, m)));
    html! {
        <div class="volumes-view">
            <h3>{ p.volumes_title }</h3>
            if list.is_empty() {
                <p class="muted" data-testid="volume-list">{ p.no_volumes }</p>
            } else {
                <ul class="volumes" data-testid="volume-list">{ for volume_rows }</ul>
            }
            if let Some((name, rows)) = mounts {
                <h3>{ format!("{} {name}", p.mounts_title) }</h3>
                <div class="view-controls">{ picker }</div>
                <div class="table-wrap">
                    <table class="mounts" data-testid="mount-table">
                        <thead><tr>
                            <th scope="col">{ p.col_type }</th>
                            <th scope="col">{ p.col_source }</th>
                            <th scope="col">{ p.col_destination }</th>
                            <th scope="col">{ p.col_mode }</th>
                            <th scope="col">{ p.col_rw }</th>
                        </tr></thead>
                        <tbody>
                            { for rows.iter().map(|m| html! {
                                <tr class={ classes!(m.kind.css_class(), (!m.active).then_some("inactive")) }
                                    title={ format!("{}{}", mount_origin(lang, m.origin), if m.in_inspect { String::new() } else { format!(" · {}", p.not_in_inspect) }) }>
                                    <td><span class="swatch" aria-hidden="true"></span>{ m.mount_type }</td>
                                    <td><code>{ if m.name.is_empty() { m.source.clone() } else { m.name.clone() } }</code></td>
                                    <td><code>{ m.destination.clone() }</code></td>
                                    <td>{ m.mode.clone() }</td>
                                    <td>{ m.rw.to_string() }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct HostProps {
    shared: Shared,
    lang: Lang,
    on_action: Callback<Action>,
}

#[component]
fn HostTree(props: &HostProps) -> Html {
    let state = use_state(|| {
        TreeState::with_open([
            "/".to_string(),
            "/home".to_string(),
            "/home/user".to_string(),
        ])
    });
    let path = use_state(|| "/home/user/".to_string());
    let text = use_state(String::new);
    let lang = props.lang;
    let p = panels(lang);
    let timeline = props.shared.timeline.borrow();
    let world = &timeline.current().daemon.world;
    let highlights = step_highlights(&timeline);
    let on = {
        let state = state.clone();
        let path = path.clone();
        let text = text.clone();
        let shared = props.shared.clone();
        Callback::from(move |m: TreeMsg| {
            if let TreeMsg::Select(sel) = &m {
                // A file opens in the editor; a directory becomes where a new file goes.
                let timeline = shared.timeline.borrow();
                let host = &timeline.current().daemon.world.host;
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
        let on_action = props.on_action.clone();
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
        let on_action = props.on_action.clone();
        Callback::from(move |_: MouseEvent| {
            let p = path.trim().trim_end_matches('/').to_string();
            if !p.is_empty() {
                on_action.emit(Action::HostMkdir { path: p });
            }
        })
    };
    let delete = {
        let path = path.clone();
        let on_action = props.on_action.clone();
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

#[derive(Properties, PartialEq)]
pub struct ExplainProps {
    pub shared: Shared,
    pub lang: Lang,
}

/// One to three sentences on what the step at the cursor did to storage.
#[component]
pub fn Explain(props: &ExplainProps) -> Html {
    let t = texts(props.lang);
    let timeline = props.shared.timeline.borrow();
    let cursor = timeline.cursor();
    let Some(step) = timeline.applied().last() else {
        return html! { <section class="explain" data-testid="explain-panel" hidden=true></section> };
    };
    let before = match cursor {
        0 | 1 => None,
        n => Some(&timeline.steps()[n - 2].after.daemon.world),
    };
    let start_world;
    let before = match before {
        Some(w) => Some(w),
        None => {
            start_world = timeline.start().daemon.world.clone();
            Some(&start_world)
        }
    };
    let sentences = view::explain(&step.changes, before, &step.after.daemon.world, props.lang);
    html! {
        <section class="explain" data-testid="explain-panel" aria-live="polite" aria-labelledby="explain-title">
            <h2 id="explain-title">{ t.explain_title }</h2>
            if sentences.is_empty() {
                <p class="muted">{ t.explain_nothing }</p>
            } else {
                { for sentences.into_iter().map(|s| html! { <p>{ s }</p> }) }
            }
        </section>
    }
}
