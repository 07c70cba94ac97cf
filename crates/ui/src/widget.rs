//! The embeddable tutorial widget (`widget.html?lesson=ID&lang=ko|en&view=...`): one lesson's
//! step panel, the terminal and one chosen view (`view=`, else the lesson's default view), in
//! a compact layout.
//!
//! It talks to the page that embeds it with `postMessage`: events `ready`, `step-completed`,
//! `lesson-completed` and `resize` go to the parent window; the parent may send `reset` and
//! `goto-step`. With `&origin=https://a.example,https://b.example` only those origins may
//! command it (and only they receive its events); messages from any other window are ignored.

use js_sys::{Object, Reflect};
use layerbox_i18n::Lang;
use layerbox_lessons::LessonEvent;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::context::SharedHandle;
use crate::i18n::{self, texts};
use crate::model::{Msg, Shared};
use crate::runner::{Runner, Status, WorkerStart};
use crate::views::{title_html, Explain, LessonPanel, Tab, Terminal, Views};
use crate::worker::Start;

#[derive(Properties, PartialEq, Clone)]
pub struct WidgetProps {
    pub lesson: String,
    #[prop_or_default]
    pub lang: Option<Lang>,
    /// The view shown (`view=`); `None`: the lesson's default view, else the diagram whenever
    /// a container exists.
    #[prop_or_default]
    pub view: Option<Tab>,
    /// Origins allowed to command the widget; empty: only the parent window, any origin.
    #[prop_or_default]
    pub allowed_origins: Vec<String>,
    /// Run typed lines in the page's Web Worker first (`runner.rs`).
    #[prop_or_default]
    pub worker: bool,
}

/// The widget's settings from its address.
pub fn props_from_query(search: &str) -> WidgetProps {
    let params = web_sys::UrlSearchParams::new_with_str(search).ok();
    let get = |k: &str| params.as_ref().and_then(|p| p.get(k));
    WidgetProps {
        lesson: get("lesson").unwrap_or_default(),
        lang: get("lang").and_then(|l| Lang::from_code(&l)),
        view: get("view").and_then(|v| Tab::parse(&v)),
        allowed_origins: get("origin")
            .map(|o| {
                o.split(',')
                    .map(|s| s.trim().trim_end_matches('/').to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
        worker: false,
    }
}

/// Sends `message` to the embedding page (to each allowed origin, else to any).
fn post(message: &JsValue, allowed: &[String]) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(Some(parent)) = window.parent() else {
        return;
    };
    if Object::is(&parent, &window) {
        return; // not embedded
    }
    if allowed.is_empty() {
        let _ = parent.post_message(message, "*");
    } else {
        for origin in allowed {
            let _ = parent.post_message(message, origin);
        }
    }
}

/// `{source: "layerbox", type, lesson, ...fields}`.
fn message(kind: &str, lesson: &str, fields: &[(&str, JsValue)]) -> JsValue {
    let obj = Object::new();
    let _ = Reflect::set(&obj, &"source".into(), &"layerbox".into());
    let _ = Reflect::set(&obj, &"type".into(), &kind.into());
    let _ = Reflect::set(&obj, &"lesson".into(), &lesson.into());
    for (k, v) in fields {
        let _ = Reflect::set(&obj, &(*k).into(), v);
    }
    obj.into()
}

/// The height of the widget's content (the body's, not the frame's: the document element is
/// never shorter than the frame, so a frame could grow but never shrink back).
fn page_height() -> f64 {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
        .map(|b| b.get_bounding_client_rect().height())
        .unwrap_or(0.0)
}

#[component]
pub fn Widget(props: &WidgetProps) -> Html {
    let initial = props.lang;
    let lang = use_state(move || initial.unwrap_or_else(i18n::detect));
    let id = props.lesson.clone();
    let shared = use_reducer(move || match layerbox_lessons::lesson(&id) {
        Some(lesson) => Shared::for_lesson(&lesson, None),
        None => Shared::new(crate::timeline::Timeline::new()),
    });
    let status = use_state(Status::default);
    let runner = {
        let shared = shared.clone();
        let status = status.clone();
        let worker = props.worker;
        use_memo((), move |_| {
            // A page of widgets starts a widget's worker only when it is used.
            let start = if worker {
                WorkerStart::OnFirstUse
            } else {
                WorkerStart::Never
            };
            Runner::new(&shared, Callback::from(move |s| status.set(s)), start)
        })
    };
    {
        // A lesson whose start runs lines (its setup) is made in the worker, at once: the
        // widget's view shows it before the terminal is used.
        let (runner, restoring) = (runner.clone(), shared.restoring);
        use_effect_with((), move |_| {
            if restoring {
                runner.restore(
                    crate::timeline::SessionFile::empty(),
                    crate::runner::Restoring::Lesson,
                );
            }
        });
    }
    let runner = Some(runner.with_status((*status).clone()));
    let allowed = props.allowed_origins.clone();
    let lesson_id = props.lesson.clone();
    let known = shared.lesson.is_some();
    use_effect_with((), |_| crate::mark_ready());

    // Commands from the embedding page; `ready` once listening.
    {
        let shared = shared.clone();
        let runner = runner.clone();
        let allowed = allowed.clone();
        let lesson_id = lesson_id.clone();
        use_effect_with((), move |_| {
            let window = web_sys::window();
            let listener = Closure::<dyn Fn(web_sys::MessageEvent)>::new({
                let allowed = allowed.clone();
                move |e: web_sys::MessageEvent| {
                    let Some(window) = web_sys::window() else {
                        return;
                    };
                    let from_parent = match (e.source(), window.parent()) {
                        (Some(source), Ok(Some(parent))) => Object::is(&source, &parent),
                        _ => false,
                    };
                    if !from_parent
                        || !allowed.is_empty()
                            && !allowed.contains(&e.origin().trim_end_matches('/').to_string())
                    {
                        return;
                    }
                    let data = e.data();
                    let kind = Reflect::get(&data, &"type".into())
                        .ok()
                        .and_then(|v| v.as_string());
                    let start = match kind.as_deref() {
                        Some("reset") => shared.start_over(),
                        Some("goto-step") => {
                            let step = Reflect::get(&data, &"step".into())
                                .ok()
                                .and_then(|v| v.as_f64())
                                .unwrap_or(1.0);
                            let Start::Lesson { id, .. } = shared.start.borrow().clone() else {
                                return;
                            };
                            if step < 1.0 {
                                return;
                            }
                            Start::Lesson {
                                id,
                                step: Some(step as usize - 1),
                            }
                        }
                        _ => return,
                    };
                    match &runner {
                        Some(runner) => runner.begin(start),
                        None => shared.dispatch(Msg::Begin(start)),
                    }
                }
            });
            if let Some(w) = &window {
                let _ = w
                    .add_event_listener_with_callback("message", listener.as_ref().unchecked_ref());
            }
            post(&message("ready", &lesson_id, &[]), &allowed);
            move || {
                if let Some(w) = window {
                    let _ = w.remove_event_listener_with_callback(
                        "message",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    // Progress events to the embedding page.
    {
        let shared = shared.clone();
        let allowed = allowed.clone();
        let lesson_id = lesson_id.clone();
        use_effect_with(shared.rev, move |_| {
            for e in shared.events.iter() {
                match e {
                    LessonEvent::StepCompleted { index } => post(
                        &message(
                            "step-completed",
                            &lesson_id,
                            &[("step", JsValue::from(*index as u32 + 1))],
                        ),
                        &allowed,
                    ),
                    LessonEvent::LessonCompleted => {
                        post(&message("lesson-completed", &lesson_id, &[]), &allowed)
                    }
                    LessonEvent::HintDue { .. } | LessonEvent::Blocked { .. } => {}
                }
            }
        });
    }
    // The embedding page sizes the frame to the content: after every render, and whenever the
    // page's size changes without one (fonts arriving, the viewport turning, a <details>
    // opening), through a ResizeObserver on the document.
    {
        let allowed = allowed.clone();
        let lesson_id = lesson_id.clone();
        let last = use_mut_ref(|| 0.0f64);
        let report = {
            let last = last.clone();
            move || {
                let h = page_height();
                if (h - *last.borrow()).abs() > 1.0 {
                    *last.borrow_mut() = h;
                    post(
                        &message("resize", &lesson_id, &[("height", JsValue::from(h))]),
                        &allowed,
                    );
                }
            }
        };
        let on_resize = report.clone();
        use_effect_with((), move |_| {
            let callback = Closure::<dyn FnMut()>::new(on_resize);
            let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok();
            if let (Some(observer), Some(root)) = (
                &observer,
                web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.document_element()),
            ) {
                observer.observe(&root);
            }
            move || {
                if let Some(observer) = observer {
                    observer.disconnect();
                }
                drop(callback);
            }
        });
        use_effect(report);
    }
    {
        let lang = *lang;
        use_effect_with(lang, move |lang| {
            if let Some(root) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
            {
                let _ = root.set_attribute("lang", lang.code());
            }
        });
    }

    let t = texts(*lang);
    if !known {
        return html! {
            <div class="widget">
                <p class="notice error" role="alert">{ t.unknown_lesson }</p>
                <ul>
                    { for layerbox_lessons::course().into_iter().map(|l| html! {
                        <li><code>{ l.id.clone() }</code>{ " " }{ title_html(l.title.get(*lang)) }</li>
                    }) }
                </ul>
            </div>
        };
    }
    let undo = {
        let shared = shared.clone();
        Callback::from(move |_: MouseEvent| shared.dispatch(Msg::Undo))
    };
    let redo = {
        let shared = shared.clone();
        Callback::from(move |_: MouseEvent| shared.dispatch(Msg::Redo))
    };
    let switch = {
        let lang = lang.clone();
        Callback::from(move |_: MouseEvent| lang.set(lang.other()))
    };
    let view = props.view.or_else(|| {
        layerbox_lessons::lesson(&props.lesson)
            .and_then(|l| l.view)
            .and_then(|v| Tab::parse(&v))
    });
    let timeline = shared.timeline.borrow();
    let can_undo = timeline.can_undo();
    let can_redo = timeline.can_redo();
    drop(timeline);
    html! {
        <ContextProvider<Lang> context={ *lang }>
            <ContextProvider<SharedHandle> context={ shared.clone() }>
            <ContextProvider<Option<Runner>> context={ runner }>
                <div class="widget">
                    <nav class="widget-bar">
                        <span class="brand-small">{ "layerbox" }</span>
                        <button class="small-button" data-testid="undo" onclick={ undo } disabled={ !can_undo }>{ t.undo }</button>
                        <button class="small-button" data-testid="redo" onclick={ redo } disabled={ !can_redo }>{ t.redo }</button>
                        <button class="small-button lang-switch" data-testid="lang-switch" aria-label={ t.switch_label }
                            lang={ lang.other().code() } onclick={ switch }>{ t.switch_to }</button>
                    </nav>
                    <LessonPanel />
                    <Terminal />
                    <Explain />
                    <Views initial={ view } tabs={ false } />
                </div>
            </ContextProvider<Option<Runner>>>
            </ContextProvider<SharedHandle>>
        </ContextProvider<Lang>>
    }
}
