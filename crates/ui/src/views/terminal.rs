//! The terminal: scrollback of the applied steps, the prompt and one input line.
//!
//! Keys as in bash: Enter runs, Up/Down walk the history (the lines of the applied steps), Tab
//! completes (on an empty line Tab leaves the terminal, for keyboard users), Ctrl-C abandons the
//! line (`^C`), Ctrl-L clears the screen, Ctrl-D ends a container shell. Pasting several lines
//! runs them one after another.

use std::cell::RefCell;
use std::rc::Rc;

use layerbox_session::Stream;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::steps::{runs, BLOCK, GROUP};
use crate::complete::complete;
use crate::context::{action_callback, use_lang, use_runner, use_shared};
use crate::i18n::texts;
use crate::timeline::{Action, Step, Timeline};

#[derive(Properties, PartialEq)]
pub struct TerminalProps {
    /// Input is disabled while a step is being replayed (e.g. "show me").
    #[prop_or_default]
    pub busy: bool,
}

/// Lines the terminal printed itself (`^C`, completion lists), placed after a step count.
#[derive(Clone, PartialEq)]
struct Note {
    after_steps: usize,
    prompt_line: Option<String>,
    text: String,
}

/// Splits a prompt into bash's coloured parts: `user@docker-host` and the directory.
fn prompt_html(prompt: &str) -> Html {
    if let Some((user_host, rest)) = prompt.split_once(':') {
        if let Some(dir) = rest.strip_suffix("$ ") {
            return html! {
                <span class="prompt">
                    <span class="prompt-user">{ user_host }</span>{ ":" }
                    <span class="prompt-dir">{ dir }</span>{ "$ " }
                </span>
            };
        }
    }
    html! { <span class="prompt">{ prompt }</span> }
}

#[component]
pub fn Terminal(props: &TerminalProps) -> Html {
    let lang = use_lang();
    // The timeline: the terminal shows its applied steps and the current session's prompt.
    let shared = use_shared();
    // Lines typed, Ctrl-C and Ctrl-D; typed lines go through the page's runner when it has one.
    let runner = use_runner();
    let on_action = {
        let direct = action_callback(&shared, None);
        let runner = runner.clone();
        Callback::from(move |action: Action| match (&runner, action) {
            (Some(r), Action::Line { line }) => r.submit(line),
            // Ctrl-C while a line runs stops it (its `^C` step is the runner's); at the prompt
            // it only drops what was typed, which the page does itself.
            (Some(r), Action::Interrupt { typed }) => {
                if !r.interrupt() {
                    direct.emit(Action::Interrupt { typed });
                }
            }
            (Some(r), action) if r.busy() => {
                // Ctrl-D waits for nothing: it is dropped while a line runs.
                let _ = action;
            }
            (Some(r), action) => r.submit_all(vec![action]),
            (None, action) => direct.emit(action),
        })
    };
    let t = texts(lang);
    let (prompt, can_eof, ended) = {
        let shown = shared.timeline.borrow().shown();
        // Ctrl-D ends a container shell or a half-typed command; at the host it would end bash.
        let can_eof = shown.attached || shown.prompt == "> ";
        (shown.prompt, can_eof, shown.closed)
    };
    let input = use_state(String::new);
    let input_ref = use_node_ref();
    let screen_ref = use_node_ref();
    // Position in the history while walking it with Up/Down; None = editing a new line.
    let history_pos = use_state(|| None::<usize>);
    let draft = use_state(String::new);
    let cleared_at = use_state(|| 0usize);
    let notes = use_state(Vec::<Note>::new);

    // The history is read from the timeline when Up or Down is pressed, not on every step.
    let history = {
        let shared = shared.clone();
        move || -> Vec<String> {
            shared
                .timeline
                .borrow()
                .applied()
                .iter()
                .filter_map(|s| match &s.action {
                    Action::Line { line } if !line.trim().is_empty() => Some(line.clone()),
                    _ => None,
                })
                .collect()
        }
    };

    // Keep the newest line in sight.
    {
        let screen_ref = screen_ref.clone();
        let count = (shared.rev, notes.len());
        use_effect_with(count, move |_| {
            if let Some(el) = screen_ref.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }

    let timeline = shared.timeline.borrow();
    let steps = timeline.applied();
    let steps_len = steps.len();
    // Undo can leave the clear mark past the end.
    let clear_from = (*cleared_at).min(steps_len);

    let onkeydown = {
        let input = input.clone();
        let history = history.clone();
        let history_pos = history_pos.clone();
        let draft = draft.clone();
        let cleared_at = cleared_at.clone();
        let notes = notes.clone();
        let on_action = on_action.clone();
        let shared = shared.clone();
        let prompt = prompt.clone();
        Callback::from(move |e: KeyboardEvent| {
            let key = e.key();
            let ctrl = e.ctrl_key() && !e.alt_key() && !e.meta_key();
            match (ctrl, key.as_str()) {
                (false, "Enter") => {
                    e.prevent_default();
                    let line = (*input).clone();
                    input.set(String::new());
                    history_pos.set(None);
                    on_action.emit(Action::Line { line });
                }
                (false, "ArrowUp") => {
                    e.prevent_default();
                    let history = history();
                    if history.is_empty() {
                        return;
                    }
                    let pos = match *history_pos {
                        None => {
                            draft.set((*input).clone());
                            history.len() - 1
                        }
                        Some(p) => p.saturating_sub(1),
                    };
                    history_pos.set(Some(pos));
                    input.set(history[pos].clone());
                }
                (false, "ArrowDown") => {
                    e.prevent_default();
                    let history = history();
                    match *history_pos {
                        Some(p) if p + 1 < history.len() => {
                            history_pos.set(Some(p + 1));
                            input.set(history[p + 1].clone());
                        }
                        Some(_) => {
                            history_pos.set(None);
                            input.set((*draft).clone());
                        }
                        None => {}
                    }
                }
                // On an empty line (and with Shift) Tab moves the focus on, so the keyboard
                // never gets stuck in the terminal.
                (false, "Tab") if !e.shift_key() && !input.is_empty() => {
                    e.prevent_default();
                    let done = complete(&input, shared.timeline.borrow().current());
                    if !done.choices.is_empty() {
                        let mut next = (*notes).clone();
                        next.push(Note {
                            after_steps: steps_len,
                            prompt_line: Some(format!("{prompt}{}", *input)),
                            text: done.choices.join("  "),
                        });
                        notes.set(next);
                    }
                    input.set(done.line);
                }
                (true, "c") | (true, "C") => {
                    e.prevent_default();
                    on_action.emit(Action::Interrupt {
                        typed: (*input).clone(),
                    });
                    input.set(String::new());
                    history_pos.set(None);
                }
                (true, "l") | (true, "L") => {
                    e.prevent_default();
                    cleared_at.set(steps_len);
                    notes.set(Vec::new());
                }
                // At the host prompt Ctrl-D would end bash and the terminal with it; only a
                // container shell or a half-typed command takes it.
                (true, "d") | (true, "D") if input.is_empty() && can_eof => {
                    e.prevent_default();
                    on_action.emit(Action::EndOfInput);
                }
                _ => {}
            }
        })
    };

    let oninput = {
        let input = input.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(el) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                input.set(el.value());
            }
        })
    };

    let onpaste = {
        let input = input.clone();
        let on_action = on_action.clone();
        Callback::from(move |e: Event| {
            let Some(e) = e.dyn_ref::<web_sys::ClipboardEvent>() else {
                return;
            };
            let Some(text) = e.clipboard_data().and_then(|d| d.get_data("text").ok()) else {
                return;
            };
            if !text.contains('\n') {
                return;
            }
            e.prevent_default();
            // Every complete line runs; an unfinished last line stays in the input.
            let text = text.replace("\r\n", "\n");
            let mut lines: Vec<&str> = text.split('\n').collect();
            let rest = lines.pop().unwrap_or("");
            for (i, line) in lines.into_iter().enumerate() {
                let line = if i == 0 {
                    format!("{}{line}", *input)
                } else {
                    line.to_string()
                };
                on_action.emit(Action::Line { line });
            }
            input.set(rest.to_string());
        })
    };

    let focus = {
        let input_ref = input_ref.clone();
        Callback::from(move |_: MouseEvent| {
            // Selecting text in the scrollback must still work: only focus on a plain click.
            let selected = web_sys::window()
                .and_then(|w| w.get_selection().ok().flatten())
                .is_some_and(|s| !s.is_collapsed());
            if !selected {
                if let Some(el) = input_ref.cast::<HtmlInputElement>() {
                    let _ = el.focus();
                }
            }
        })
    };

    // The scrollback in groups of blocks of steps, each redrawn only when its steps change (a
    // new step redraws its block and its group, and walks the groups: `steps.rs`).
    let groups = runs(clear_from, steps_len, BLOCK * GROUP).map(|(from, to)| {
        html! {
            <ScrollbackGroup
                key={ from }
                timeline={ shared.timeline.clone() }
                {from}
                {to}
                last_id={ steps[to - 1].id }
                notes={ notes_within(&notes, from, to) }
            />
        }
    });

    html! {
        <section class="terminal" aria-label={ t.terminal_label } onclick={ focus }>
            <div class="screen" ref={ screen_ref } data-testid="terminal-output" role="log" aria-live="polite">
                <>{ for notes.iter().filter(|n| n.after_steps == clear_from).map(note_html) }</>
                // The groups in a list of their own, every one keyed: a new group is added after
                // the others, which stay (in a list with unkeyed siblings, Yew matches children
                // from the end, and every group would be drawn anew one place over).
                <>{ for groups }</>
                // The line the worker runs, echoed at the prompt until it ends.
                if let Some(line) = runner.as_ref().and_then(|r| r.status.running.clone()) {
                    <div class="line echo" data-testid="running-echo">{ prompt_html(&prompt) }{ line }</div>
                }
            </div>
            if ended {
                <div class="line ended" role="status">{ t.session_ended }</div>
            }
            { running_html(runner.as_ref(), t) }
            <div class="input-line" hidden={ ended }>
                // While a line runs there is no prompt yet; what is typed waits for it.
                <label for="terminal-input">
                    if runner.as_ref().is_none_or(|r| r.status.running.is_none()) {
                        { prompt_html(&prompt) }
                    }
                </label>
                <input
                    id="terminal-input"
                    ref={ input_ref }
                    data-testid="terminal-input"
                    type="text"
                    autocomplete="off"
                    autocapitalize="off"
                    spellcheck="false"
                    disabled={ props.busy }
                    value={ (*input).clone() }
                    {oninput}
                    {onkeydown}
                    onfocus={ runner.clone().map(|r| Callback::from(move |_: FocusEvent| r.warm())) }
                    {onpaste}
                />
            </div>
        </section>
    }
}

/// A line that runs for long (with Stop), or a line that crashed the engine.
fn running_html(runner: Option<&crate::runner::Runner>, t: &crate::i18n::Texts) -> Html {
    let Some(runner) = runner else {
        return html! {};
    };
    let stop = {
        let runner = runner.clone();
        Callback::from(move |_: MouseEvent| {
            runner.interrupt();
        })
    };
    html! {
        <>
            if runner.status.preparing {
                <div class="running" role="status" data-testid="preparing">
                    <span class="spinner" aria-hidden="true"></span>
                    { t.preparing }
                </div>
            }
            if let Some(steps) = runner.status.restoring {
                <div class="running" role="status" data-testid="restoring">
                    <span class="spinner" aria-hidden="true"></span>
                    { t.restoring }{ " " }{ steps }
                </div>
            }
            if let Some(line) = &runner.status.slow {
                <div class="running" role="status" data-testid="running">
                    <span class="spinner" aria-hidden="true"></span>
                    { t.running }{ " " }<code>{ line.clone() }</code>{ " " }
                    <button class="small-button" data-testid="stop" onclick={ stop }>{ t.stop }</button>
                </div>
            }
            if let Some((line, why)) = &runner.status.crashed {
                <div class="notice error" role="alert" data-testid="crashed">
                    { t.crashed_line }{ " " }<code>{ line.clone() }</code>
                    <details><summary>{ t.crash_details }</summary><pre>{ why.clone() }</pre></details>
                </div>
            }
        </>
    }
}

#[derive(Properties)]
struct ScrollbackProps {
    timeline: Rc<RefCell<Timeline>>,
    from: usize,
    to: usize,
    /// The id of step `to - 1`: the same id, the same steps `from..to`.
    last_id: u64,
    /// The terminal's own lines after these steps.
    notes: Vec<Note>,
}

impl PartialEq for ScrollbackProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.timeline, &other.timeline)
            && (self.from, self.to, self.last_id) == (other.from, other.to, other.last_id)
            && self.notes == other.notes
    }
}

/// The terminal's own lines after steps `from + 1..=to`.
fn notes_within(notes: &[Note], from: usize, to: usize) -> Vec<Note> {
    notes
        .iter()
        .filter(|n| n.after_steps > from && n.after_steps <= to)
        .cloned()
        .collect()
}

/// The blocks of what steps `from..to` printed (a group).
#[component]
fn ScrollbackGroup(props: &ScrollbackProps) -> Html {
    let timeline = props.timeline.borrow();
    let steps = timeline.steps();
    let blocks = runs(props.from, props.to.min(steps.len()), BLOCK).map(|(from, to)| {
        html! {
            <Scrollback
                key={ from }
                timeline={ props.timeline.clone() }
                {from}
                {to}
                last_id={ steps[to - 1].id }
                notes={ notes_within(&props.notes, from, to) }
            />
        }
    });
    blocks.collect()
}

/// What steps `from..to` printed, each after its prompt and line (a block).
#[component]
fn Scrollback(props: &ScrollbackProps) -> Html {
    // The note on a long output's left-out middle is in the page's language.
    let lang = use_lang();
    let timeline = props.timeline.borrow();
    let steps = timeline.steps();
    let steps = &steps[props.from.min(steps.len())..props.to.min(steps.len())];
    let notes_after = |count: usize| -> Html {
        props
            .notes
            .iter()
            .filter(|n| n.after_steps == count)
            .map(note_html)
            .collect()
    };
    // A block out of sight is skipped by the browser's style, layout and paint (`.block` in
    // styles.css: `content-visibility: auto`), so a long scrollback costs a frame no more than a
    // short one.
    html! {
        <div class="block">
        { for steps.iter().enumerate().filter(|(_, s)| typed_here(&s.action)).map(|(k, step)| {
            let i = props.from + k;
            // Keyed by step, so a new step is added after the others, which stay as they are.
            html! {
                <key={ i }>
                    <div class="step-out" data-step={ i.to_string() }>
                        { echo(step) }
                        { printed(step, lang) }
                    </div>
                    { notes_after(i + 1) }
                </>
            }
        }) }
        </div>
    }
}

fn note_html(n: &Note) -> Html {
    html! {
        <>
            if let Some(p) = &n.prompt_line {
                <div class="line echo">{ p.clone() }</div>
            }
            if !n.text.is_empty() {
                <div class="line">{ n.text.clone() }</div>
            }
        </>
    }
}

/// Whether an action was typed at this terminal (host-panel edits and browser visits show in
/// their own panels).
fn typed_here(action: &Action) -> bool {
    matches!(
        action,
        Action::Line { .. } | Action::Interrupt { .. } | Action::EndOfInput
    )
}

fn echo(step: &Step) -> Html {
    match &step.action {
        Action::Line { line } => html! {
            <div class="line echo">{ prompt_html(&step.prompt) }{ line.clone() }</div>
        },
        // The shell's own `^C` / newline / `exit` follow on the same line.
        Action::Interrupt { typed } => html! {
            <span class="echo">{ prompt_html(&step.prompt) }{ typed.clone() }</span>
        },
        Action::EndOfInput => html! {
            <span class="echo">{ prompt_html(&step.prompt) }</span>
        },
        // Edits from the host panel are not typed; the timeline names them.
        _ => html! {},
    }
}

/// What a step printed, with one line where the middle of a long output was left out.
fn printed(step: &Step, lang: layerbox_i18n::Lang) -> Html {
    let Some(omitted) = &step.omitted else {
        return step.printed.iter().map(printed_html).collect();
    };
    let (head, tail) = step.printed.split_at(omitted.at.min(step.printed.len()));
    html! {
        <>
            { for head.iter().map(printed_html) }
            <div class="line omitted" data-testid="output-omitted">{ crate::i18n::omitted(lang, omitted) }</div>
            { for tail.iter().map(printed_html) }
        </>
    }
}

fn printed_html(p: &crate::timeline::Printed) -> Html {
    let class = match p.stream {
        Stream::Stdout => "out",
        Stream::Stderr => "err",
    };
    html! { <span class={ classes!("printed", class) }>{ p.text.clone() }</span> }
}
