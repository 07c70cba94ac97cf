//! The timeline panel: every command a step; choosing one shows the views as they were after it,
//! and typing continues from there.

use yew::prelude::*;

use crate::context::{use_lang, use_shared};
use crate::i18n::texts;
use crate::model::Msg;
use crate::timeline::Action;

#[component]
pub fn Steps() -> Html {
    let lang = use_lang();
    let shared = use_shared();
    let t = texts(lang);
    let timeline = shared.timeline.borrow();
    let cursor = timeline.cursor();
    let item = |at: Option<usize>, label: String, failed: bool| {
        let current = at.map_or(0, |i| i + 1) == cursor;
        let future = at.map_or(0, |i| i + 1) > cursor;
        let dispatch = shared.dispatcher();
        html! {
            <li class={ classes!("step", current.then_some("current"), future.then_some("future"), failed.then_some("failed")) }>
                <button
                    aria-current={ if current { "step" } else { "false" } }
                    onclick={ Callback::from(move |_: MouseEvent| dispatch.dispatch(Msg::Seek(at))) }
                >
                    <span class="step-no">{ at.map_or("0".to_string(), |i| (i + 1).to_string()) }</span>
                    <code class="step-label">{ label }</code>
                </button>
            </li>
        }
    };
    html! {
        <section class="timeline" data-testid="timeline" aria-labelledby="timeline-title">
            <h2 id="timeline-title">{ t.timeline_title }</h2>
            <ol>
                { item(None, t.timeline_start.to_string(), false) }
                { for timeline.steps().iter().enumerate().map(|(i, step)| {
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
                    item(Some(i), label, step.code != 0)
                }) }
            </ol>
        </section>
    }
}
