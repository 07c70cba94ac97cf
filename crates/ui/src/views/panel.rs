//! The tabbed panel beside the terminal: which view is shown (storage map, layer stack, volumes
//! and mounts, host tree, browser) and which container the views look at.

use layerbox_i18n::Lang;
use layerbox_view as view;
use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::context::{use_lang, use_shared};
use crate::i18n_panels::panels;
use crate::views::at_cursor::{containers_newest_first, step_highlights};
use crate::views::browser::Browser;
use crate::views::host_tree::HostTree;
use crate::views::layer_stack::LayerStackView;
use crate::views::storage_map::StorageMap;
use crate::views::volumes::VolumesView;

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
    /// The tab shown first.
    #[prop_or(Tab::Storage)]
    pub initial: Tab,
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
    let tab = use_state(|| props.initial);
    let chosen = use_state(|| None::<(String, u64)>);
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
    let p = panels(lang);

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
    let body = match *tab {
        Tab::Storage => html! {
            <StorageMap container={ container.clone() } picker={ picker.clone() } />
        },
        Tab::Layers => html! {
            <LayerStackView container={ container.clone() } />
        },
        Tab::Volumes => html! {
            <VolumesView container={ container.clone() } picker={ picker.clone() } />
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
