//! The course overview: each lesson with its goal, its estimated time and a checkmark once it is
//! finished in this browser, as a link to take it beside the playground's terminal and as a
//! widget to embed.

use yew::prelude::*;

use crate::context::{use_lang, use_shared};
use crate::i18n::{minutes, texts};
use crate::views::markdown::{blocks_html, title_html};

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
    let shared = use_shared();
    let mut done = crate::course_progress::done();
    // The lesson being taken, finished at the cursor, is checked before its save has run.
    if let Some(track) = shared.lesson.as_ref() {
        let track = track.borrow();
        let run = track.at(shared.timeline.borrow().cursor());
        if run.is_complete() && !done.contains(&run.lesson().id) {
            done.push(run.lesson().id.clone());
        }
    }
    html! {
        <section class="course" id="course" aria-labelledby="course-title" data-testid="course">
            <h2 id="course-title">{ t.lessons_title }</h2>
            <p class="muted">{ t.course_intro }</p>
            <ol>
                { for layerbox_lessons::course().into_iter().map(|l| {
                    let here = props.current.as_deref() == Some(l.id.as_str());
                    let finished = done.contains(&l.id);
                    html! {
                        <li class={ classes!(here.then_some("current"), finished.then_some("finished")) }
                            data-testid="course-lesson" data-lesson={ l.id.clone() }>
                            <div class="course-line">
                                <a href={ format!("?lesson={}&lang={code}", l.id) } aria-current={ if here { "page" } else { "false" } }>
                                    { title_html(l.title.get(lang)) }
                                </a>
                                if finished {
                                    <span class="course-done" data-testid="course-done">{ "✓ " }{ t.lesson_done_mark }</span>
                                }
                                <span class="muted course-time">{ minutes(lang, l.steps.len()) }</span>
                                <a class="widget-link" href={ format!("widget.html?lesson={}&lang={code}", l.id) }>{ t.widget }</a>
                            </div>
                            <div class="course-goal">{ blocks_html(&l.summary_blocks(lang)) }</div>
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
