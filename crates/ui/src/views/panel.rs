//! The tabbed panel beside the terminal: which view is shown (storage diagram, storage map,
//! layer stack, volumes and mounts, host tree, browser) and which container the views look at.
//! The diagram is shown first once a container exists, unless a tab was chosen; selecting
//! an element of the diagram opens it in the view that details it.

use layerbox_i18n::Lang;
use layerbox_view as view;
use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::context::{use_lang, use_shared};
use crate::i18n_panels::panels;
use crate::views::at_cursor::{containers_newest_first, step_highlights};
use crate::views::browser::Browser;
use crate::views::diagram::{Open, StorageDiagram};
use crate::views::host_tree::HostTree;
use crate::views::layer_stack::LayerStackView;
use crate::views::storage_map::StorageMap;
use crate::views::volumes::VolumesView;

/// The view shown in the tabbed panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Diagram,
    Storage,
    Layers,
    Volumes,
    Host,
    Browser,
}

impl Tab {
    pub const ALL: [Tab; 6] = [
        Tab::Diagram,
        Tab::Storage,
        Tab::Layers,
        Tab::Volumes,
        Tab::Host,
        Tab::Browser,
    ];

    /// The `?view=` / widget name of a tab.
    pub fn key(self) -> &'static str {
        match self {
            Tab::Diagram => "diagram",
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
            Tab::Diagram => p.tab_diagram,
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
    /// The tab shown first; `None`: the diagram whenever a container exists, else the storage
    /// map.
    #[prop_or_default]
    pub initial: Option<Tab>,
    /// Show the tab bar (the widget shows one chosen view only).
    #[prop_or(true)]
    pub tabs: bool,
}

/// The container the most recent storage-changing step touched, if it still exists.
fn last_touched(timeline: &crate::timeline::Timeline) -> Option<String> {
    let world = timeline.current().world();
    timeline.changed_steps().find_map(|step| {
        view::highlights(&step.changes, world)
            .containers
            .iter()
            .find_map(|id| world.containers().get(id))
            .map(|c| c.name.trim_start_matches('/').to_string())
    })
}

#[component]
pub fn Views(props: &ViewsProps) -> Html {
    let lang = use_lang();
    let shared = use_shared();
    let picked_tab = use_state(|| None::<Tab>);
    let chosen = use_state(|| None::<(String, u64)>);
    // What the diagram asked to open, for the view that shows it.
    let opened = use_state(|| None::<Open>);
    let timeline = shared.timeline.borrow();
    let world = timeline.current().world();
    let highlights = step_highlights(&timeline);
    let containers = containers_newest_first(timeline.current());
    // The container shown: the learner's choice while it exists, else the one the latest
    // command touched, else the newest.
    let exists = |n: &String| containers.iter().any(|(name, _, _)| name == n);
    let touched_now = highlights
        .containers
        .iter()
        .find_map(|id| world.containers().get(id))
        .map(|c| c.name.trim_start_matches('/').to_string());
    // The container shown: the learner's pick until the next command; then the container that
    // command touched; else the earlier pick; else the one touched last; else the newest.
    let container = match (&*chosen, touched_now) {
        (Some((n, rev)), _) if *rev == shared.rev && exists(n) => Some(n.clone()),
        (_, Some(t)) => Some(t),
        (Some((n, _)), None) if exists(n) => Some(n.clone()),
        _ => last_touched(&timeline).or_else(|| containers.first().map(|(n, _, _)| n.clone())),
    };
    // The diagram once a container exists, and after one was removed (to show what went and
    // what stayed); before any, the storage map.
    let had_container = !containers.is_empty()
        || timeline.applied().iter().any(|s| {
            s.changes
                .iter()
                .any(|c| matches!(c, view::Change::ContainerCreated { .. }))
        });
    let tab = (*picked_tab).or(props.initial).unwrap_or(if had_container {
        Tab::Diagram
    } else {
        Tab::Storage
    });
    let p = panels(lang);
    let on_open = {
        let picked_tab = picked_tab.clone();
        let chosen = chosen.clone();
        let opened = opened.clone();
        let rev = shared.rev;
        Callback::from(move |o: Open| {
            let (to, container) = match &o {
                Open::Storage { container, .. } => (Tab::Storage, Some(container.clone())),
                Open::Layer { container, .. } => (Tab::Layers, Some(container.clone())),
                Open::Volume(_) => (Tab::Volumes, None),
                Open::Host(_) => (Tab::Host, None),
            };
            if let Some(c) = container {
                chosen.set(Some((c, rev)));
            }
            opened.set(Some(o));
            picked_tab.set(Some(to));
        })
    };
    let reveal = match &*opened {
        Some(Open::Storage { path, .. }) => Some(path.clone()),
        _ => None,
    };
    let select_layer = match &*opened {
        Some(Open::Layer { layer, .. }) => Some(*layer),
        _ => None,
    };
    let focus_volume = match &*opened {
        Some(Open::Volume(v)) => Some(v.clone()),
        _ => None,
    };
    // The widget and narrow screens draw the diagram compact.
    let compact = !props.tabs
        || web_sys::window()
            .and_then(|w| w.inner_width().ok())
            .and_then(|w| w.as_f64())
            .is_some_and(|w| w < 640.0);

    let on_choose = {
        let chosen = chosen.clone();
        let rev = shared.rev;
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
    let body = match tab {
        Tab::Diagram => html! {
            <StorageDiagram on_open={ on_open } compact={ compact } />
        },
        Tab::Storage => html! {
            <StorageMap container={ container.clone() } picker={ picker.clone() } reveal={ reveal } />
        },
        Tab::Layers => html! {
            <LayerStackView container={ container.clone() } select={ select_layer } />
        },
        Tab::Volumes => html! {
            <VolumesView container={ container.clone() } picker={ picker.clone() } focus={ focus_volume } />
        },
        Tab::Host => html! {
            <HostTree />
        },
        Tab::Browser => html! {
            <Browser />
        },
    };
    html! {
        <section class="views panel" aria-label={ p.views_label }>
            if props.tabs {
                <div class="panel-tabs" role="tablist">
                    { for Tab::ALL.into_iter().map(|t| {
                        let set = {
                            let picked_tab = picked_tab.clone();
                            let opened = opened.clone();
                            Callback::from(move |_: MouseEvent| {
                                opened.set(None);
                                picked_tab.set(Some(t));
                            })
                        };
                        html! {
                            <button role="tab" aria-selected={ (t == tab).to_string() }
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

#[cfg(test)]
mod tests {
    use super::Tab;

    #[test]
    fn every_tab_is_named_by_its_key_and_the_diagram_comes_first() {
        for t in Tab::ALL {
            assert_eq!(Tab::parse(t.key()), Some(t));
        }
        assert_eq!(Tab::ALL[0], Tab::Diagram);
        assert_eq!(Tab::parse("diagram"), Some(Tab::Diagram));
    }

    #[test]
    fn lessons_about_where_data_lives_open_on_the_diagram() {
        for l in layerbox_lessons::course() {
            if let Some(v) = &l.view {
                assert!(Tab::parse(v).is_some(), "{}: view {v} is no view", l.id);
            }
        }
        for id in [
            "writable-layer",
            "named-volumes",
            "bind-mounts",
            "bind-mount-limits",
            "choosing-storage",
        ] {
            let view = layerbox_lessons::lesson(id).and_then(|l| l.view);
            assert_eq!(view.as_deref(), Some("diagram"), "{id}");
        }
    }
}
