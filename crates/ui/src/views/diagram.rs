//! The storage diagram as SVG: each drawn container's single disk on its layers, connectors
//! from its mount points to where their sources live, what the step at the timeline's cursor
//! changed, a legend and the same picture as text. Drawn from `layerbox_view::diagram` and
//! `layout`; every element is keyboard reachable, named for screen readers, and opens in the
//! storage map, layer stack, volume list or host tree when selected.

use layerbox_i18n::Lang;
use layerbox_view as view;
use layerbox_view::{Diagram, ElementKind, Kind, LayerRef, Layout, Rect, World};
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::context::{use_lang, use_shared};
use crate::i18n_diagram::{
    diagram_texts, disk_line, hides_line, layer_line, mount_line, mount_name, not_drawn_line,
    note_text, picker_more, region_title, removed_line, source_detail, source_name, writable_line,
};
use crate::i18n_panels::kind_name;

/// The most containers the picker lists (the drawn ones, then the newest others).
const PICKER_MAX: usize = 40;

/// Where selecting a diagram element takes the learner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Open {
    /// The storage map of `container`, with `path` revealed.
    Storage { container: String, path: String },
    /// The layer stack of `container`, with `layer` chosen.
    Layer { container: String, layer: LayerRef },
    /// The volume list, with the volume chosen.
    Volume(String),
    /// The host tree (a bind source).
    Host(String),
}

#[derive(Properties, PartialEq)]
pub struct DiagramProps {
    pub on_open: Callback<Open>,
    /// Narrower columns (the widget, narrow screens).
    #[prop_or(false)]
    pub compact: bool,
}

/// The world before the step at the cursor (the start for the first step).
fn before_step(timeline: &crate::timeline::Timeline) -> Option<&World> {
    match timeline.cursor() {
        0 => None,
        1 => Some(timeline.start().world()),
        n => Some(timeline.steps()[n - 2].after.world()),
    }
}

/// `text` cut to about `width` units of the diagram's small type, with `…`.
fn fit(text: &str, width: i32) -> String {
    let mut used = 0;
    let mut out = String::new();
    for (i, ch) in text.chars().enumerate() {
        used += if ch.is_ascii() { 7 } else { 12 };
        if used > width {
            if i > 0 {
                out.pop();
            }
            out.push('…');
            return out;
        }
        out.push(ch);
    }
    out
}

/// The click and key handlers that open `target`.
fn opener(
    on_open: &Callback<Open>,
    target: Open,
) -> (Callback<MouseEvent>, Callback<KeyboardEvent>) {
    let (a, b) = (on_open.clone(), on_open.clone());
    let t2 = target.clone();
    (
        Callback::from(move |_: MouseEvent| a.emit(target.clone())),
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                b.emit(t2.clone());
            }
        }),
    )
}

/// A focusable element of the picture.
#[allow(clippy::too_many_arguments)]
fn element(
    id: &str,
    kind: ElementKind,
    class: Classes,
    name: String,
    target: Open,
    on_open: &Callback<Open>,
    changed: bool,
    body: Html,
) -> Html {
    let (onclick, onkeydown) = opener(on_open, target);
    html! {
        <g id={ id.to_string() } data-kind={ kind.data_kind() }
            class={ classes!("dg-el", class, changed.then_some("dg-changed")) }
            tabindex="0" role="button" aria-label={ name.clone() } { onclick } { onkeydown }>
            <title>{ name }</title>
            { body }
        </g>
    }
}

/// A box with one or two lines of text.
fn boxed(r: Rect, first: String, second: Option<String>, dashed: bool) -> Html {
    let w = r.w - 12;
    html! {
        <>
            <rect class={ classes!("dg-box", dashed.then_some("dg-dashed")) } x={ r.x.to_string() } y={ r.y.to_string() }
                width={ r.w.to_string() } height={ r.h.to_string() } rx="4" />
            <text class="dg-name" x={ (r.x + 6).to_string() } y={ (r.y + 15).to_string() }>{ fit(&first, w) }</text>
            if let Some(s) = second {
                <text class="dg-sub" x={ (r.x + 6).to_string() } y={ (r.y + 29).to_string() }>{ fit(&s, w) }</text>
            }
        </>
    }
}

#[component]
pub fn StorageDiagram(props: &DiagramProps) -> Html {
    let lang = use_lang();
    let shared = use_shared();
    let picked = use_state(Vec::<String>::new);
    let timeline = shared.timeline.borrow();
    let world = timeline.current().world();
    let changes: &[view::Change] = timeline
        .applied()
        .last()
        .map(|s| s.changes.as_slice())
        .unwrap_or(&[]);
    let d = view::diagram(world, changes, before_step(&timeline), &picked);
    let l = view::layout(&d, props.compact);
    let t = diagram_texts(lang);
    let on_open = &props.on_open;

    let picker = (!d.not_shown.is_empty() || !picked.is_empty()).then(|| {
        // The drawn ones and the newest others, at most PICKER_MAX: hundreds of checkboxes
        // would cost each step more than the rest of the page.
        let listed = PICKER_MAX.saturating_sub(d.containers.len());
        let unlisted = d.not_shown.len().saturating_sub(listed);
        let mut all: Vec<(String, bool)> = d
            .containers
            .iter()
            .map(|c| (c.name.clone(), true))
            .chain(d.not_shown.iter().take(listed).map(|n| (n.clone(), false)))
            .collect();
        layerbox_order::sort_by(&mut all, |a, b| a.0.cmp(&b.0));
        let shown: Vec<String> = d.containers.iter().map(|c| c.name.clone()).collect();
        html! {
            <fieldset class="diagram-picker" data-testid="diagram-picker">
                <legend>{ t.pick }</legend>
                { for all.into_iter().map(|(name, on)| {
                    let picked = picked.clone();
                    let full = !on && shown.len() >= view::MAX_SHOWN;
                    let shown = shown.clone();
                    let n = name.clone();
                    let toggle = Callback::from(move |e: Event| {
                        let checked = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()).is_some_and(|i| i.checked());
                        let mut next: Vec<String> = shown.iter().filter(|s| **s != n).cloned().collect();
                        if checked {
                            next.push(n.clone());
                        }
                        next.truncate(view::MAX_SHOWN);
                        picked.set(next);
                    });
                    html! {
                        <label class="check">
                            <input type="checkbox" checked={ on } disabled={ full } onchange={ toggle } />
                            { " " }{ name }
                        </label>
                    }
                }) }
                if unlisted > 0 {
                    <span class="muted">{ picker_more(lang, unlisted) }</span>
                }
            </fieldset>
        }
    });

    let notes = (!d.notes.is_empty() || !d.removed.is_empty()).then(|| {
        html! {
            <div class="diagram-notes" data-testid="diagram-notes" aria-live="polite">
                <h3>{ t.changed_title }</h3>
                <ul>
                    { for d.notes.iter().map(|n| {
                        let text = note_text(lang, n);
                        match note_target(n) {
                            Some(target) => {
                                let (onclick, _) = opener(on_open, target);
                                html! {
                                    <li>
                                        { text.clone() }{ " " }
                                        <button class="link-button" aria-label={ format!("{}: {text}", t.open) } { onclick }>{ t.open }</button>
                                    </li>
                                }
                            }
                            None => html! { <li>{ text }</li> },
                        }
                    }) }
                </ul>
            </div>
        }
    });

    let svg = svg_of(&d, &l, lang, on_open);
    html! {
        <div class={ classes!("diagram", props.compact.then_some("compact")) } data-testid="storage-diagram">
            <p id="dg-desc" class="muted diagram-desc">{ t.description }</p>
            if d.containers.is_empty() {
                <p class="empty">{ t.no_containers }</p>
            }
            { picker.unwrap_or_default() }
            { notes.unwrap_or_default() }
            <div class="diagram-scroll">{ svg }</div>
            if d.removed_more + d.sources_more > 0 {
                <p class="muted" data-testid="diagram-not-drawn">{ not_drawn_line(lang, d.removed_more, d.sources_more) }</p>
            }
            { legend(&d, lang) }
            { text_equivalent(&d, lang) }
        </div>
    }
}

/// Where a change note's first target opens.
fn note_target(n: &view::ChangeNote) -> Option<Open> {
    use view::NoteWhat as W;
    match &n.what {
        W::CopyUp {
            container, path, ..
        }
        | W::Whiteout { container, path }
        | W::Wrote { container, path }
        | W::Deleted { container, path }
        | W::MountWrite {
            container, path, ..
        } => Some(Open::Storage {
            container: container.clone(),
            path: path.clone(),
        }),
        W::MountHides {
            container,
            destination,
            ..
        } => Some(Open::Storage {
            container: container.clone(),
            path: destination.clone(),
        }),
        W::VolumeFilled { name, .. } => Some(Open::Volume(name.clone())),
        W::ContainerRemoved { volumes_kept, .. } => volumes_kept.first().cloned().map(Open::Volume),
        _ => None,
    }
}

/// The picture.
fn svg_of(d: &Diagram, l: &Layout, lang: Lang, on_open: &Callback<Open>) -> Html {
    let t = diagram_texts(lang);
    let source_of = |id: &str| d.sources.iter().find(|s| s.id == id);
    let regions = l.regions.iter().map(|r| {
        let rect = r.rect;
        html! {
            <g class={ classes!("dg-region", format!("region-{}", r.region.key())) }>
                <rect x={ rect.x.to_string() } y={ rect.y.to_string() } width={ rect.w.to_string() } height={ rect.h.to_string() } rx="6" />
                <text class="dg-region-title" x={ (rect.x + 8).to_string() } y={ (rect.y + 16).to_string() }>{ fit(region_title(lang, r.region), rect.w - 12) }</text>
            </g>
        }
    });
    let edges = l.edges.iter().filter_map(|p| {
        let e = d.edges.iter().find(|e| e.mount == p.mount)?;
        Some(html! {
            <g class={ classes!("dg-edge", e.kind.css_class(), e.changed.then_some("dg-changed")) } data-mount={ e.mount.clone() }>
                <path d={ p.d.clone() } class={ classes!((!e.rw).then_some("dg-ro")) } />
                <circle cx={ p.port_x.to_string() } cy={ p.port_y.to_string() } r="3" />
                <text class="dg-edge-label" x={ p.label_x.to_string() } y={ p.label_y.to_string() }>{ e.label() }</text>
            </g>
        })
    });
    let sources = d.sources.iter().map(|s| {
        let r = l.rect(&s.id);
        let name = source_name(s);
        let detail = source_detail(lang, s);
        let target = match s.kind {
            ElementKind::Volume => Open::Volume(s.name.clone()),
            ElementKind::Tmpfs => match &s.detail {
                view::SourceDetail::Tmpfs {
                    container,
                    destination,
                    ..
                } => Open::Storage {
                    container: container.clone(),
                    path: destination.clone(),
                },
                _ => Open::Host(s.path.clone()),
            },
            _ => Open::Host(s.path.clone()),
        };
        let label = format!(
            "{} {name} · {detail} · {}",
            kind_name(lang, s.storage),
            s.path
        );
        element(
            &s.id,
            s.kind,
            classes!(
                s.storage.css_class(),
                s.users.is_empty().then_some("dg-unused")
            ),
            label,
            target,
            on_open,
            s.changed,
            boxed(r, name, Some(detail), false),
        )
    });
    let removed = d.removed.iter().map(|r| {
        let rect = l.rect(&r.id);
        let text = removed_line(lang, r);
        let kind = if r.kind == ElementKind::Volume {
            Kind::Volume
        } else {
            Kind::WritableLayer
        };
        html! {
            <g id={ r.id.clone() } data-kind={ r.kind.data_kind() } data-removed="true"
                class={ classes!("dg-removed", kind.css_class()) } role="img" aria-label={ text.clone() }>
                <title>{ text.clone() }</title>
                { boxed(rect, t.removed.to_string(), Some(text), true) }
            </g>
        }
    });
    let disks = d.containers.iter().map(|c| {
        let r = l.rect(&c.id);
        let chips = l.dirs.get(&c.id).cloned().unwrap_or_default();
        let more = l.dirs_more.get(&c.id).copied().unwrap_or(0);
        let dirs = c.dirs.iter().zip(chips.iter()).map(|(e, b)| {
            let name = if e.is_dir { format!("{}/", e.name) } else { e.name.clone() };
            html! {
                <g class={ classes!("dg-dir", e.kind.css_class(), e.mount_point.then_some("dg-mp")) }>
                    <rect x={ b.x.to_string() } y={ b.y.to_string() } width={ b.w.to_string() } height={ b.h.to_string() } rx="3" />
                    <text x={ (b.x + 4).to_string() } y={ (b.y + 11).to_string() }>{ fit(&name, b.w - 4) }</text>
                </g>
            }
        });
        let more_chip = (more > 0).then(|| {
            let last = chips.last().copied().unwrap_or(Rect { x: r.x + 8, y: r.y + 40, w: 0, h: 15 });
            html! { <text class="dg-sub" x={ (last.right() + 6).to_string() } y={ (last.y + 11).to_string() }>{ format!("+{more}") }</text> }
        });
        let mounts = c.mounts.iter().map(|m| {
            let b = l.rect(&m.id);
            let src = source_of(&m.source);
            let line = mount_line(m, src);
            let hides = hides_line(lang, m);
            element(
                &m.id,
                ElementKind::Mount,
                classes!(m.kind.css_class(), (!m.active).then_some("dg-inactive")),
                mount_name(lang, m, src),
                Open::Storage { container: c.name.clone(), path: m.destination.clone() },
                on_open,
                m.changed,
                html! {
                    <>
                        <rect class="dg-box" x={ b.x.to_string() } y={ b.y.to_string() } width={ b.w.to_string() } height={ b.h.to_string() } rx="3" />
                        <text class="dg-mount-text" x={ (b.x + 6).to_string() } y={ (b.y + 13).to_string() }>{ fit(&line, b.w - 10) }</text>
                        if let Some(h) = hides {
                            <text class="dg-sub dg-hides" x={ (b.x + 6).to_string() } y={ (b.y + 27).to_string() }>{ fit(&h, b.w - 10) }</text>
                        }
                    </>
                },
            )
        });
        let disk_name = format!("{} {} · {}", t.label, c.name, disk_line(lang, c));
        let (onclick, onkeydown) = opener(on_open, Open::Storage { container: c.name.clone(), path: "/".into() });
        let w = &c.writable;
        let wr = l.rect(&w.id);
        let ir = l.rect(&c.init.id);
        html! {
            <g class={ classes!("dg-column", (!c.running).then_some("dg-stopped")) } data-container={ c.name.clone() }>
                <g id={ c.id.clone() } data-kind="container" class={ classes!("dg-el", "dg-disk", c.changed.then_some("dg-changed")) }
                    tabindex="0" role="button" aria-label={ disk_name.clone() } { onclick } { onkeydown }>
                    <title>{ disk_name }</title>
                    <rect class="dg-box" x={ r.x.to_string() } y={ r.y.to_string() } width={ r.w.to_string() } height={ r.h.to_string() } rx="6" />
                    <text class="dg-name dg-disk-name" x={ (r.x + 8).to_string() } y={ (r.y + 16).to_string() }>{ fit(&c.name, r.w - 16) }</text>
                    <text class="dg-sub" x={ (r.x + 8).to_string() } y={ (r.y + 31).to_string() }>{ fit(&disk_line(lang, c), r.w - 16) }</text>
                    { for dirs }
                    { more_chip.unwrap_or_default() }
                </g>
                { for mounts }
                { element(
                    &w.id,
                    ElementKind::WritableLayer,
                    classes!(Kind::WritableLayer.css_class()),
                    format!("{} · {} · {}", t.writable, c.name, writable_line(lang, c)),
                    Open::Layer { container: c.name.clone(), layer: LayerRef::Writable },
                    on_open,
                    w.changed,
                    boxed(wr, format!("{} · {}", t.writable, c.name), Some(writable_line(lang, c)), false),
                ) }
                { element(
                    &c.init.id,
                    ElementKind::InitLayer,
                    classes!(Kind::DockerManaged.css_class()),
                    format!("{} · {} · {}", t.init, c.name, size_text(c.init.size)),
                    Open::Layer { container: c.name.clone(), layer: LayerRef::Init },
                    on_open,
                    c.init.changed,
                    boxed(ir, format!("{} · {}", t.init, size_text(c.init.size)), None, false),
                ) }
            </g>
        }
    });
    let spines = l.spines.iter().map(|(x, y1, y2)| {
        html! { <line class="dg-spine" x1={ x.to_string() } x2={ x.to_string() } y1={ y1.to_string() } y2={ y2.to_string() } /> }
    });
    let layers = d.layers.iter().filter_map(|ln| {
        let r = *l.boxes.get(&ln.id)?;
        let container = d
            .containers
            .iter()
            .find(|c| c.layers.contains(&ln.id))?
            .name
            .clone();
        let second = layer_line(lang, ln);
        Some(element(
            &ln.id,
            ElementKind::ImageLayer,
            classes!(Kind::ImageLayer.css_class()),
            format!("{} · {} · {second}", t.image_layers, ln.created_by),
            Open::Layer {
                container,
                layer: LayerRef::Image(ln.index),
            },
            on_open,
            ln.changed,
            boxed(r, ln.created_by.clone(), Some(second), false),
        ))
    });
    // Copy-ups: an arrow from the layer the file came from to the writable layer.
    let flows = d.notes.iter().filter_map(|n| {
        let view::NoteWhat::CopyUp { path, .. } = &n.what else { return None };
        let (w, from) = (n.targets.first()?, n.targets.get(1)?);
        let (wr, fr) = (l.rect(w), l.rect(from));
        let x = wr.x + wr.w - 30;
        Some(html! {
            <g class="dg-flow" data-path={ path.clone() }>
                <path d={ format!("M{x} {} L{x} {}", fr.y, wr.bottom() + 2) } marker-end="url(#dg-arrow)" />
                <text class="dg-sub" x={ (x - 6).to_string() } y={ (wr.bottom() + 14).to_string() } text-anchor="end">{ fit(path, wr.w - 40) }</text>
            </g>
        })
    });
    html! {
        <svg class="dg-svg" xmlns="http://www.w3.org/2000/svg" role="group"
            viewBox={ format!("0 0 {} {}", l.width, l.height) }
            width={ l.width.to_string() } height={ l.height.to_string() }
            aria-labelledby="dg-title" aria-describedby="dg-desc">
            <title id="dg-title">{ t.label }</title>
            <defs>
                <marker id="dg-arrow" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M0 0 L10 5 L0 10 z" />
                </marker>
            </defs>
            { for regions }
            { for spines }
            { for layers }
            { for disks }
            { for edges }
            { for sources }
            { for removed }
            { for flows }
        </svg>
    }
}

fn size_text(bytes: u64) -> String {
    layerbox_docker_cli::formatter::units::human_size(bytes)
}

/// The colours the picture uses and what its line styles mean.
fn legend(d: &Diagram, lang: Lang) -> Html {
    let t = diagram_texts(lang);
    let mut kinds = vec![Kind::ImageLayer, Kind::DockerManaged, Kind::WritableLayer];
    for s in &d.sources {
        if !kinds.contains(&s.storage) {
            kinds.push(s.storage);
        }
    }
    layerbox_order::sort_by(&mut kinds, |a, b| a.cmp(b));
    html! {
        <div class="diagram-legend" aria-label={ t.legend }>
            <ul>
                { for kinds.into_iter().map(|k| html! {
                    <li class={ k.css_class() }><span class="swatch" aria-hidden="true"></span>{ kind_name(lang, k) }</li>
                }) }
            </ul>
            <p class="muted">{ format!("{} · {} · {}", t.legend_changed, t.legend_stopped, t.legend_removed) }</p>
        </div>
    }
}

/// The same picture as nested lists, for screen readers and narrow screens.
fn text_equivalent(d: &Diagram, lang: Lang) -> Html {
    let t = diagram_texts(lang);
    let source_of = |id: &str| d.sources.iter().find(|s| s.id == id);
    html! {
        <details class="diagram-text" data-testid="diagram-text">
            <summary>{ t.as_text }</summary>
            <ul>
                { for d.containers.iter().map(|c| html! {
                    <li>
                        { format!("{} ({})", c.name, disk_line(lang, c)) }
                        <ul>
                            <li>{ format!("{}: {}", t.writable, writable_line(lang, c)) }</li>
                            <li>{ format!("{}: {}", t.init, size_text(c.init.size)) }</li>
                            { for c.layers.iter().rev().filter_map(|id| d.layers.iter().find(|l| l.id == *id)).map(|l| html! {
                                <li>{ format!("{}: {} · {}", t.image_layers, l.created_by, layer_line(lang, l)) }</li>
                            }) }
                            { for c.mounts.iter().map(|m| html! {
                                <li>{ mount_name(lang, m, source_of(&m.source)) }</li>
                            }) }
                        </ul>
                    </li>
                }) }
                { for view::Region::ALL.into_iter().filter(|r| d.sources.iter().any(|s| s.region == *r)).map(|r| html! {
                    <li>
                        { region_title(lang, r) }
                        <ul>
                            { for d.sources.iter().filter(|s| s.region == r).map(|s| html! {
                                <li>{ format!("{} {} · {}", kind_name(lang, s.storage), source_name(s), source_detail(lang, s)) }</li>
                            }) }
                        </ul>
                    </li>
                }) }
                { for d.removed.iter().map(|r| html! { <li>{ removed_line(lang, r) }</li> }) }
                if d.removed_more + d.sources_more > 0 {
                    <li>{ not_drawn_line(lang, d.removed_more, d.sources_more) }</li>
                }
            </ul>
        </details>
    }
}
