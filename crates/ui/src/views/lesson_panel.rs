//! The lesson panel: where the learner is in a lesson, what to do, hints, "show me", and what the
//! step just taught.

use yew::prelude::*;

use crate::context::{use_lang, use_shared};
use crate::i18n::{step_of, texts};
use crate::model::Msg;
use crate::timeline::Action;
use crate::views::markdown::{blocks_html, title_html};

#[component]
pub fn LessonPanel() -> Html {
    let lang = use_lang();
    let shared = use_shared();
    let Some(track) = shared.lesson.as_ref() else {
        return html! {};
    };
    let t = texts(lang);
    let track = track.borrow();
    let timeline = shared.timeline.borrow();
    let cursor = timeline.cursor();
    let run = track.at(cursor);
    let lesson = run.lesson();
    let total = lesson.steps.len();
    let index = run.step_index();
    let status = if run.is_complete() {
        t.lesson_complete.to_string()
    } else {
        step_of(lang, index + 1, total)
    };
    let just_done = track.completed_at(cursor).and_then(|i| lesson.steps.get(i));
    let hint = {
        let d = shared.dispatcher();
        Callback::from(move |_: MouseEvent| d.dispatch(Msg::Hint))
    };
    let show_me = {
        let d = shared.dispatcher();
        let lines: Vec<Action> = run
            .solution_commands()
            .iter()
            .map(|l| Action::Line { line: l.clone() })
            .collect();
        Callback::from(move |_: MouseEvent| d.dispatch(Msg::ApplyAll(lines.clone())))
    };
    let reset = {
        let d = shared.dispatcher();
        Callback::from(move |_: MouseEvent| {
            d.dispatch(Msg::Reset(Box::default()));
        })
    };
    let hints = run.hints_due();
    html! {
        <section class="lesson" aria-labelledby="lesson-title" data-lesson={ lesson.id.clone() }>
            <header class="lesson-head">
                <h2 id="lesson-title">{ title_html(lesson.title.get(lang)) }</h2>
                <span class="lesson-status" data-testid="lesson-status" role="status">{ status }</span>
            </header>
            <ol class="step-dots" aria-label={ t.lesson_steps }>
                { for (0..total).map(|i| {
                    let d = shared.dispatcher();
                    let class = classes!(
                        "dot",
                        (i < index).then_some("done"),
                        (i == index).then_some("now")
                    );
                    html! {
                        <li>
                            <button class={ class } title={ step_of(lang, i + 1, total) }
                                aria-current={ if i == index { "step" } else { "false" } }
                                onclick={ Callback::from(move |_: MouseEvent| d.dispatch(Msg::GotoStep(i))) }>
                                { (i + 1).to_string() }
                            </button>
                        </li>
                    }
                }) }
            </ol>
            if let Some(done) = just_done {
                <div class="lesson-success" role="status" data-testid="lesson-success">
                    <strong>{ t.step_done }</strong>
                    { blocks_html(&done.explanation_blocks(lang)) }
                </div>
            }
            <div class="lesson-step" data-testid="lesson-step">
                if let Some(step) = run.current_step() {
                    { blocks_html(&step.instruction_blocks(lang)) }
                } else {
                    <p>{ t.free_play }</p>
                }
            </div>
            if !hints.is_empty() {
                <ul class="lesson-hints" data-testid="lesson-hint" aria-live="polite">
                    { for hints.iter().map(|(_, h)| html! {
                        <li>{ blocks_html(&layerbox_lessons::markdown::parse(h.text(lang))) }</li>
                    }) }
                </ul>
            }
            <div class="lesson-buttons">
                if run.current_step().is_some() {
                    <button class="small-button" onclick={ hint } data-testid="lesson-hint-button">{ t.hint }</button>
                    <button class="small-button" onclick={ show_me } data-testid="lesson-show-me">{ t.show_me }</button>
                }
                <button class="small-button" onclick={ reset } data-testid="lesson-reset">{ t.lesson_reset }</button>
            </div>
        </section>
    }
}
