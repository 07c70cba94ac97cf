//! The explain panel: one to three sentences on what the step at the cursor did to storage,
//! what is new first; the routine every `run` repeats (a writable layer over the image's shared
//! layers) folded below it.

use layerbox_view as view;
use yew::prelude::*;

use crate::context::{use_lang, use_shared};
use crate::i18n::texts;

/// One to three sentences on what the step at the cursor did to storage.
#[component]
pub fn Explain() -> Html {
    let lang = use_lang();
    let shared = use_shared();
    let t = texts(lang);
    let timeline = shared.timeline.borrow();
    let cursor = timeline.cursor();
    let Some(step) = timeline.applied().last() else {
        return html! { <section class="explain" data-testid="explain-panel" hidden=true></section> };
    };
    let before = match cursor {
        0 | 1 => None,
        n => Some(timeline.steps()[n - 2].after.world()),
    };
    let start_world;
    let before = match before {
        Some(w) => Some(w),
        None => {
            start_world = timeline.start().world().clone();
            Some(&start_world)
        }
    };
    let (sentences, routine) =
        view::explain_folded(&step.changes, before, step.after.world(), lang);
    html! {
        <section class="explain" data-testid="explain-panel" aria-live="polite" aria-labelledby="explain-title">
            <h2 id="explain-title">{ t.explain_title }</h2>
            if sentences.is_empty() {
                <p class="muted">{ t.explain_nothing }</p>
            } else {
                { for sentences.into_iter().map(|s| html! { <p>{ s }</p> }) }
            }
            if !routine.is_empty() {
                <details class="explain-routine" data-testid="explain-routine">
                    <summary>{ t.explain_routine }</summary>
                    { for routine.into_iter().map(|s| html! { <p>{ s }</p> }) }
                </details>
            }
        </section>
    }
}
