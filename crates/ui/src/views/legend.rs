//! The legend of storage kinds: each kind's colour, what it is and how long its content lives.

use yew::prelude::*;

use crate::context::use_lang;
use crate::i18n::texts;

/// The kinds of storage a container file can live on, in the order the legend shows them.
/// The chapter's five (image layer, writable layer, volume, local bind, network-share bind),
/// plus tmpfs, the files Docker writes for every container, and the kernel's procfs.
pub const KIND_CLASSES: [&str; 8] = [
    "kind-image",
    "kind-writable",
    "kind-volume",
    "kind-bind",
    "kind-netshare",
    "kind-tmpfs",
    "kind-managed",
    "kind-procfs",
];

#[component]
pub fn Legend() -> Html {
    let lang = use_lang();
    let t = texts(lang);
    html! {
        <section class="legend" aria-labelledby="legend-title" data-testid="legend">
            <h2 id="legend-title">{ t.legend_title }</h2>
            <ul>
                { for t.kinds.iter().zip(KIND_CLASSES).map(|(k, class)| html! {
                    <li class={classes!("kind", class)}>
                        <span class="swatch" aria-hidden="true"></span>
                        <span class="kind-name">{ k.name }</span>
                        <span class="kind-what">{ k.what }</span>
                        <span class="kind-lives">{ format!("{}: {}", t.lives_label, k.lives) }</span>
                    </li>
                }) }
            </ul>
        </section>
    }
}
