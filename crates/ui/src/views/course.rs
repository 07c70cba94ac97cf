//! The course: each lesson as a link to take it beside the playground's terminal, and as a
//! widget to embed.

use yew::prelude::*;

use crate::context::use_lang;
use crate::i18n::texts;
use crate::views::markdown::title_html;

#[derive(Properties, PartialEq)]
pub struct LessonsProps {
    /// The lesson being taken, if any.
    pub current: Option<String>,
}

/// The course: each lesson beside the playground's terminal, and as a widget to embed.
#[component]
pub fn Lessons(props: &LessonsProps) -> Html {
    let lang = use_lang();
    let t = texts(lang);
    let code = lang.code();
    html! {
        <section class="course" aria-labelledby="course-title" data-testid="course">
            <h2 id="course-title">{ t.lessons_title }</h2>
            <ol>
                { for layerbox_lessons::course().into_iter().map(|l| {
                    let here = props.current.as_deref() == Some(l.id.as_str());
                    html! {
                        <li class={ classes!(here.then_some("current")) }>
                            <a href={ format!("?lesson={}&lang={code}", l.id) } aria-current={ if here { "page" } else { "false" } }>
                                { title_html(l.title.get(lang)) }
                            </a>
                            { " " }
                            <a class="widget-link" href={ format!("widget.html?lesson={}&lang={code}", l.id) }>{ "widget" }</a>
                        </li>
                    }
                }) }
            </ol>
            if props.current.is_some() {
                <p><a href={ format!("?lang={code}") }>{ t.back_to_playground }</a></p>
            }
        </section>
    }
}
