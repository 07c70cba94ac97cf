//! The lesson panel: where the learner is in a lesson, what to do, hints, "show me" from the
//! state the learner is in (naming what is in its way first), "start this step over", and the
//! lesson log: every completed step's explanation, kept until the learner leaves the lesson.

use layerbox_lessons::ShowMe;
use yew::prelude::*;

use crate::context::{use_lang, use_runner, use_shared, SharedHandle};
use crate::i18n::{obstacle, step_of, texts};
use crate::model::Msg;
use crate::runner::Runner;
use crate::timeline::Action;
use crate::views::markdown::{blocks_html, title_html};
use crate::worker::Start;

#[derive(Properties, PartialEq, Default)]
pub struct LessonPanelProps {
    /// Offer the course's next lesson once this one is finished (the playground; a widget
    /// stays on its lesson).
    #[prop_or_default]
    pub next_lesson: bool,
}

fn lines(lines: &[String]) -> Vec<Action> {
    lines
        .iter()
        .map(|l| Action::Line { line: l.clone() })
        .collect()
}

/// Asks what "show me" would play from the session at the cursor (the worker tries the
/// solution on copies of it) and hands it to `then`.
fn plan(runner: Option<&Runner>, then: Callback<ShowMe>) {
    if let Some(runner) = runner {
        runner.show_me(then);
    }
}

/// Starts the lesson over at `step` (0-based): the worker makes the session it expects.
fn begin(runner: Option<&Runner>, shared: &SharedHandle, step: usize) {
    let Start::Lesson { id, .. } = shared.start.borrow().clone() else {
        return;
    };
    let start = Start::Lesson {
        id,
        step: Some(step),
    };
    match runner {
        Some(runner) => runner.begin(start),
        None => shared.dispatch(Msg::Begin(start)),
    }
}

#[component]
pub fn LessonPanel(props: &LessonPanelProps) -> Html {
    let lang = use_lang();
    let shared = use_shared();
    // A "show me" that cannot simply play, waiting for the learner's choice, with the revision
    // it was made at (a later change of the session drops it).
    let offer = use_state(|| None::<(u64, ShowMe)>);
    let log_ref = use_node_ref();
    let cursor = shared.timeline.borrow().cursor();
    let done_count = shared
        .lesson
        .as_ref()
        .map_or(0, |l| l.borrow().at(cursor).step_index());
    {
        // The newest explanation of the log is in view.
        let log_ref = log_ref.clone();
        use_effect_with(done_count, move |_| {
            if let Some(el) = log_ref.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    let Some(track) = shared.lesson.as_ref() else {
        return html! {};
    };
    let t = texts(lang);
    let track = track.borrow();
    let run = track.at(cursor);
    let lesson = run.lesson();
    let total = lesson.steps.len();
    let index = run.step_index();
    let status = if run.is_complete() {
        t.lesson_complete.to_string()
    } else {
        step_of(lang, index + 1, total)
    };
    let just_done = track.completed_at(cursor);
    let hint = {
        let d = shared.dispatcher();
        Callback::from(move |_: MouseEvent| d.dispatch(Msg::Hint))
    };
    // Lines played for the learner run as typed ones do: in the page's worker when it has one.
    let runner = use_runner();
    let play = {
        let d = shared.dispatcher();
        let runner = runner.clone();
        Callback::from(move |actions: Vec<Action>| match &runner {
            Some(r) => r.submit_all(actions),
            None => d.dispatch(Msg::ApplyAll(actions)),
        })
    };
    let show_me = {
        let (play, shared, offer, runner) =
            (play.clone(), shared.clone(), offer.clone(), runner.clone());
        Callback::from(move |_: MouseEvent| {
            let (play, offer, rev) = (play.clone(), offer.clone(), shared.rev);
            let then = Callback::from(move |plan: ShowMe| match plan {
                ShowMe::Solution(solution) => {
                    offer.set(None);
                    play.emit(lines(&solution));
                }
                other => offer.set(Some((rev, other))),
            });
            plan(runner.as_ref(), then);
        })
    };
    // The button beside obstacles named after a line: remove them and play the solution.
    let clean_up = {
        let (play, shared, offer, runner) =
            (play.clone(), shared.clone(), offer.clone(), runner.clone());
        Callback::from(move |_: MouseEvent| {
            let (play, offer, rev) = (play.clone(), offer.clone(), shared.rev);
            let then = Callback::from(move |plan: ShowMe| match plan {
                ShowMe::Solution(fix) | ShowMe::CleanUpFirst { lines: fix, .. } => {
                    offer.set(None);
                    play.emit(lines(&fix));
                }
                other => offer.set(Some((rev, other))),
            });
            plan(runner.as_ref(), then);
        })
    };
    let step_over = {
        let d = shared.dispatcher();
        Callback::from(move |_: MouseEvent| d.dispatch(Msg::StepOver))
    };
    let reset = {
        let (shared, runner) = (shared.clone(), runner.clone());
        Callback::from(move |_: MouseEvent| begin(runner.as_ref(), &shared, 0))
    };
    let hints = run.hints_due();
    // The offer of a "show me" made at this revision, else the obstacles found after the last
    // line (named before the learner even asks).
    let pending = offer
        .as_ref()
        .filter(|(rev, _)| *rev == shared.rev)
        .map(|(_, plan)| plan.clone());
    let obstacles_html = match &pending {
        Some(ShowMe::CleanUpFirst {
            obstacles,
            lines: fix,
        }) => {
            let go = {
                let (play, offer, fix) = (play.clone(), offer.clone(), lines(fix));
                Callback::from(move |_: MouseEvent| {
                    offer.set(None);
                    play.emit(fix.clone());
                })
            };
            html! {
                <div class="lesson-blocked" role="alert" data-testid="lesson-blocked">
                    { for obstacles.iter().map(|o| blocks_html(&layerbox_lessons::markdown::parse(&obstacle(lang, o)))) }
                    <button class="small-button" onclick={ go } data-testid="lesson-clean-up">{ t.clean_up_and_show }</button>
                </div>
            }
        }
        Some(ShowMe::StartOver(solution)) => {
            let go = {
                let (d, play, offer, solution) = (
                    shared.dispatcher(),
                    play.clone(),
                    offer.clone(),
                    lines(solution),
                );
                Callback::from(move |_: MouseEvent| {
                    offer.set(None);
                    d.dispatch(Msg::StepOver);
                    play.emit(solution.clone());
                })
            };
            html! {
                <div class="lesson-blocked" role="alert" data-testid="lesson-blocked">
                    <p>{ t.not_from_here }</p>
                    <button class="small-button" onclick={ go } data-testid="lesson-start-over-show">{ t.start_over_and_show }</button>
                </div>
            }
        }
        _ if !run.obstacles().is_empty() => html! {
            <div class="lesson-blocked" role="status" data-testid="lesson-blocked">
                { for run.obstacles().iter().map(|o| blocks_html(&layerbox_lessons::markdown::parse(&obstacle(lang, o)))) }
                <button class="small-button" onclick={ clean_up } data-testid="lesson-clean-up">{ t.clean_up_and_show }</button>
            </div>
        },
        _ => html! {},
    };
    let next = props
        .next_lesson
        .then(|| {
            let at = layerbox_lessons::COURSE
                .iter()
                .position(|id| *id == lesson.id)?;
            layerbox_lessons::lesson(layerbox_lessons::COURSE.get(at + 1)?)
        })
        .flatten()
        .filter(|_| run.is_complete());
    html! {
        <section class="lesson" aria-labelledby="lesson-title" data-lesson={ lesson.id.clone() }>
            <header class="lesson-head">
                <h2 id="lesson-title">{ title_html(lesson.title.get(lang)) }</h2>
                <span class="lesson-status" data-testid="lesson-status" role="status">{ status }</span>
            </header>
            <ol class="step-dots" aria-label={ t.lesson_steps }>
                { for (0..total).map(|i| {
                    let (shared, runner) = (shared.clone(), runner.clone());
                    let class = classes!(
                        "dot",
                        (i < index).then_some("done"),
                        (i == index).then_some("now")
                    );
                    html! {
                        <li>
                            <button class={ class } title={ step_of(lang, i + 1, total) }
                                aria-current={ if i == index { "step" } else { "false" } }
                                onclick={ Callback::from(move |_: MouseEvent| begin(runner.as_ref(), &shared, i)) }>
                                { (i + 1).to_string() }
                            </button>
                        </li>
                    }
                }) }
            </ol>
            if index > 0 {
                <section class="lesson-log" aria-label={ t.lesson_log } data-testid="lesson-log" ref={ log_ref } tabindex="0">
                    <h3>{ t.lesson_log }</h3>
                    <ol>
                        { for (0..index.min(total)).map(|i| {
                            let step = &lesson.steps[i];
                            let newest = just_done == Some(i);
                            html! {
                                <li class={ classes!("lesson-success", newest.then_some("newest")) }
                                    data-testid={ if newest { "lesson-success" } else { "lesson-log-entry" } }
                                    value={ (i + 1).to_string() }>
                                    if newest {
                                        <strong>{ t.step_done }</strong>
                                    }
                                    { blocks_html(&step.explanation_blocks(lang)) }
                                </li>
                            }
                        }) }
                    </ol>
                </section>
            }
            <div class="lesson-step" data-testid="lesson-step">
                if let Some(step) = run.current_step() {
                    { blocks_html(&step.instruction_blocks(lang)) }
                } else {
                    <p>{ t.free_play }</p>
                    if let Some(next) = &next {
                        <p class="next-lesson">
                            { t.next_lesson }{ " " }
                            <a data-testid="next-lesson" href={ format!("?lesson={}&lang={}", next.id, lang.code()) }>
                                { title_html(next.title.get(lang)) }
                            </a>
                        </p>
                    }
                }
            </div>
            { obstacles_html }
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
                    <button class="small-button" onclick={ step_over } data-testid="lesson-step-over"
                        disabled={ track.step_start(cursor) == cursor }>{ t.step_over }</button>
                }
                <button class="small-button" onclick={ reset } data-testid="lesson-reset">{ t.lesson_reset }</button>
            </div>
        </section>
    }
}
