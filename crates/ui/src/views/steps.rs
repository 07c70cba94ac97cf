//! The timeline panel: every command a step; choosing one shows the views as they were after it,
//! and typing continues from there.
//!
//! The rows are drawn in blocks of [`BLOCK`] steps, each a component that redraws only when its
//! steps or the cursor's place in it change, and the blocks in groups of [`GROUP`], each a
//! component that redraws only when one of its blocks does: a new step redraws its block and
//! its group, and walks the groups, so it costs the same however long the session is.

use std::cell::RefCell;
use std::rc::Rc;

use layerbox_i18n::Lang;
use yew::prelude::*;

use crate::context::{use_lang, use_shared};
use crate::i18n::texts;
use crate::model::{Msg, Shared};
use crate::timeline::{Action, Timeline};
use crate::worker::Start;

/// Steps per block of rows.
pub const BLOCK: usize = 32;

/// Blocks per group.
pub const GROUP: usize = 8;

/// The runs `from..to` that `start..end` splits into: each ends at the next multiple of `size`
/// (or at `end`), so a run keeps its start while steps are added after it.
pub fn runs(start: usize, end: usize, size: usize) -> impl Iterator<Item = (usize, usize)> {
    let run_end = move |from: usize| ((from / size + 1) * size).min(end);
    std::iter::successors(
        (start < end).then(|| (start, run_end(start))),
        move |&(_, to)| (to < end).then(|| (to, run_end(to))),
    )
}

#[component]
pub fn Steps() -> Html {
    let lang = use_lang();
    let shared = use_shared();
    let t = texts(lang);
    let timeline = shared.timeline.borrow();
    let cursor = timeline.cursor();
    let len = timeline.steps().len();
    let groups = runs(0, len, BLOCK * GROUP).map(|(from, to)| {
        html! {
            <StepGroup
                key={ from }
                timeline={ shared.timeline.clone() }
                dispatch={ shared.dispatcher() }
                {lang}
                {from}
                {to}
                last_id={ timeline.steps()[to - 1].id }
                cursor={ cursor.clamp(from, to + 1) }
            />
        }
    });
    html! {
        <section class="timeline" data-testid="timeline" data-steps={ len.to_string() } aria-labelledby="timeline-title">
            <h2 id="timeline-title">{ t.timeline_title }</h2>
            <ol role="list">
                { row(None, start_label(&shared.start.borrow(), lang), false, cursor, &shared.dispatcher()) }
                // The groups in a list of their own, every one keyed: a new group is added after
                // the others, which stay (in a list with the unkeyed start row, Yew matches
                // children from the end, and every group would be drawn anew one place over).
                <>{ for groups }</>
            </ol>
        </section>
    }
}

#[derive(Properties)]
struct StepRowsProps {
    timeline: Rc<RefCell<Timeline>>,
    dispatch: UseReducerDispatcher<Shared>,
    lang: Lang,
    from: usize,
    to: usize,
    /// The id of step `to - 1`: the same id, the same steps `from..to`.
    last_id: u64,
    /// The cursor, clamped to `from..=to + 1` (the rows look the same for any cursor outside).
    cursor: usize,
}

impl PartialEq for StepRowsProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.timeline, &other.timeline)
            && self.dispatch == other.dispatch
            && (self.lang, self.from, self.to, self.last_id, self.cursor)
                == (
                    other.lang,
                    other.from,
                    other.to,
                    other.last_id,
                    other.cursor,
                )
    }
}

/// The blocks of rows of steps `from..to` (a group).
#[component]
fn StepGroup(props: &StepRowsProps) -> Html {
    let timeline = props.timeline.borrow();
    let steps = timeline.steps();
    let blocks = runs(props.from, props.to.min(steps.len()), BLOCK).map(|(from, to)| {
        html! {
            <StepRows
                key={ from }
                timeline={ props.timeline.clone() }
                dispatch={ props.dispatch.clone() }
                lang={ props.lang }
                {from}
                {to}
                last_id={ steps[to - 1].id }
                cursor={ props.cursor.clamp(from, to + 1) }
            />
        }
    });
    blocks.collect()
}

/// The rows of steps `from..to` (a block).
#[component]
fn StepRows(props: &StepRowsProps) -> Html {
    let t = texts(props.lang);
    let timeline = props.timeline.borrow();
    let steps = &timeline.steps()
        [props.from.min(timeline.steps().len())..props.to.min(timeline.steps().len())];
    // One item holding the block's rows, which the browser skips while it is out of sight
    // (`.block` in styles.css: `content-visibility: auto`); the rows stay the list's items.
    html! {
        <li class="block" role="none"><ol role="none">
        { for steps.iter().enumerate().map(|(k, step)| {
            let label = match &step.action {
                Action::Line { line } => line.clone(),
                Action::Interrupt { typed } => format!("{typed}^C"),
                Action::EndOfInput => "^D".to_string(),
                Action::Browse { port, path } => format!("🌐 localhost:{port}{path}"),
                Action::HostWrite { path, .. } => format!("{} {path}", t.host_wrote),
                Action::HostMkdir { path } => format!("{} {path}", t.host_made_dir),
                Action::HostRemove { path } => format!("{} {path}", t.host_removed),
                Action::Wait { seconds } => format!("⏱ {seconds} s"),
            };
            // Keyed by step, so a new step is added after the rows, which stay as they are.
            html! {
                <key={ props.from + k }>
                    { row(Some(props.from + k), label, step.code != 0, props.cursor, &props.dispatch) }
                </>
            }
        }) }
        </ol></li>
    }
}

/// One row: the start (`None`) or step `at`.
fn row(
    at: Option<usize>,
    label: String,
    failed: bool,
    cursor: usize,
    dispatch: &UseReducerDispatcher<Shared>,
) -> Html {
    let current = at.map_or(0, |i| i + 1) == cursor;
    let future = at.map_or(0, |i| i + 1) > cursor;
    let dispatch = dispatch.clone();
    html! {
        <li role="listitem" class={ classes!("step", current.then_some("current"), future.then_some("future"), failed.then_some("failed")) }>
            <button
                aria-current={ if current { "step" } else { "false" } }
                onclick={ Callback::from(move |_: MouseEvent| dispatch.dispatch(Msg::Seek(at))) }
            >
                <span class="step-no">{ at.map_or("0".to_string(), |i| (i + 1).to_string()) }</span>
                <code class="step-label">{ label }</code>
            </button>
        </li>
    }
}

/// What the timeline's start is: the sample images alone, or where a lesson's lines left them.
fn start_label(start: &Start, lang: Lang) -> String {
    match start {
        Start::Lesson { step, .. } if !start.runs_nothing() => {
            crate::i18n::timeline_lesson_start(lang, step.unwrap_or(0) + 1)
        }
        _ => texts(lang).timeline_start.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::runs;

    #[test]
    fn runs_end_at_multiples_of_their_size_so_they_keep_their_start_as_steps_are_added() {
        let all = |start, end| runs(start, end, 32).collect::<Vec<_>>();
        assert_eq!(all(0, 70), [(0, 32), (32, 64), (64, 70)]);
        assert_eq!(all(0, 71)[..2], all(0, 70)[..2]);
        // After Ctrl-L the first run starts where the screen was cleared.
        assert_eq!(all(5, 40), [(5, 32), (32, 40)]);
        assert_eq!(all(3, 3), []);
        assert_eq!(all(0, 64), [(0, 32), (32, 64)]);
    }
}
