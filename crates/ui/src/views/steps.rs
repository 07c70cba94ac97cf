//! The timeline panel: every command a step; choosing one shows the views as they were after it,
//! and typing continues from there.
//!
//! The rows are drawn in blocks of [`BLOCK`] steps, each a component that redraws only when its
//! steps or the cursor's place in it change, so a new step costs the same however long the
//! session is.

use std::cell::RefCell;
use std::rc::Rc;

use layerbox_i18n::Lang;
use yew::prelude::*;

use crate::context::{use_lang, use_shared};
use crate::i18n::texts;
use crate::model::{Msg, Shared};
use crate::timeline::{Action, Timeline};

/// Steps per block of rows.
pub const BLOCK: usize = 32;

#[component]
pub fn Steps() -> Html {
    let lang = use_lang();
    let shared = use_shared();
    let t = texts(lang);
    let timeline = shared.timeline.borrow();
    let cursor = timeline.cursor();
    let len = timeline.steps().len();
    let blocks = (0..len).step_by(BLOCK).map(|from| {
        let to = (from + BLOCK).min(len);
        html! {
            <StepRows
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
                { row(None, t.timeline_start.to_string(), false, cursor, &shared.dispatcher()) }
                // The blocks in a list of their own, every one keyed: a new block is added after
                // the others, which stay (in a list with the unkeyed start row, Yew matches
                // children from the end, and every block would be drawn anew one place over).
                <>{ for blocks }</>
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

/// The rows of steps `from..to`.
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
