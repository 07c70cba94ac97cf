//! Lesson texts (the course's markdown subset) drawn element by element, never as HTML.

use layerbox_lessons::{Block, Inline};
use yew::prelude::*;

/// Markdown blocks as elements.
pub fn blocks_html(blocks: &[Block]) -> Html {
    blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph(inlines) => html! { <p>{ inlines_html(inlines) }</p> },
            Block::Code { text, .. } => html! { <pre><code>{ text.clone() }</code></pre> },
            Block::List(items) => html! {
                <ul>{ for items.iter().map(|i| html! { <li>{ inlines_html(i) }</li> }) }</ul>
            },
        })
        .collect()
}

/// A lesson title: markdown inlines (`code` in titles), without a paragraph around them.
pub fn title_html(text: &str) -> Html {
    match layerbox_lessons::markdown::parse(text).as_slice() {
        [Block::Paragraph(inlines)] => inlines_html(inlines),
        blocks => blocks_html(blocks),
    }
}

fn inlines_html(inlines: &[Inline]) -> Html {
    inlines
        .iter()
        .map(|i| match i {
            Inline::Text(t) => html! { { t.clone() } },
            Inline::Code(c) => html! { <code>{ c.clone() }</code> },
            Inline::Strong(inner) => html! { <strong>{ inlines_html(inner) }</strong> },
            Inline::Link { href, children } => html! {
                <a href={ href.clone() } target="_blank" rel="noopener noreferrer">{ inlines_html(children) }</a>
            },
        })
        .collect()
}
