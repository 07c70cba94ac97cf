//! The page: header with the toolbar and the language switch, the terminal, what just happened,
//! the storage views and the timeline.

use layerbox_i18n::Lang;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::context::SharedHandle;
use crate::i18n::{self, load_error, texts};
use crate::model::{Msg, Shared};
use crate::persist::{self, Opening, SaveError};
use crate::runner::{Restoring, Runner, Status, WorkerStart};
use crate::timeline::{SessionFile, Timeline};
use crate::views::{Explain, Legend, LessonPanel, Lessons, Steps, Terminal, Views};

/// A save of the session, waiting to run.
type SaveJob = Box<dyn FnOnce()>;

#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// The language to start in; `None` detects it from `?lang=` and the browser.
    #[prop_or_default]
    pub lang: Option<Lang>,
    /// Start fresh and do not save (tests); otherwise the session is restored and saved.
    #[prop_or_default]
    pub ephemeral: bool,
    /// A lesson to take beside the terminal (`?lesson=ID`); `None` reads the address.
    #[prop_or_default]
    pub lesson: Option<String>,
    /// Run typed lines in the page's Web Worker first (`runner.rs`); tests run them directly.
    #[prop_or_default]
    pub worker: bool,
}

/// Where an earlier session is kept when the learner keeps a shared one.
const EARLIER_KEY: &str = "layerbox.session.earlier";

/// `?lesson=ID` from the address.
fn lesson_from_address() -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get("lesson")
}

/// A notice above the terminal: a refused import, a share link, a visit, a failed load.
#[derive(Clone, PartialEq)]
enum Notice {
    Error(String),
    Link(String),
    Text(String),
    /// A visit was kept; the earlier session's text, to download.
    Kept(Option<String>),
}

#[component]
pub fn App(props: &AppProps) -> Html {
    let initial_lang = props.lang;
    let lang = use_state(move || initial_lang.unwrap_or_else(i18n::detect));
    let lesson = props.lesson.clone().or_else(lesson_from_address);
    // A lesson's session is its own: it is neither restored nor saved over the playground's.
    let lesson = lesson.and_then(|id| layerbox_lessons::lesson(&id));
    let ephemeral = props.ephemeral || lesson.is_some();
    // A lesson keeps its own session under its own key, unless the page is a test's.
    let keeps_lesson = !props.ephemeral && lesson.is_some();
    let first_problem = use_mut_ref(|| None);
    let first_opening = use_mut_ref(|| Opening::Saved);
    // The kept session, replayed by the runner once it exists (in the worker, when it has one).
    let first_file = use_mut_ref(|| None::<SessionFile>);
    let shared = {
        let first_problem = first_problem.clone();
        let first_opening = first_opening.clone();
        let first_file = first_file.clone();
        use_reducer(move || {
            if let Some(lesson) = lesson {
                // The lesson's start, and the kept session replayed after it: both made in the
                // worker, when its start runs lines or a session was kept.
                if keeps_lesson {
                    if let Some((step, file)) = crate::course_progress::load(&lesson.id) {
                        *first_opening.borrow_mut() = Opening::Saved;
                        *first_file.borrow_mut() = Some(file);
                        let mut shared = Shared::for_lesson(&lesson, step);
                        shared.restoring = true;
                        return shared;
                    }
                }
                let shared = Shared::for_lesson(&lesson, None);
                if shared.restoring {
                    *first_file.borrow_mut() = Some(SessionFile::empty());
                }
                return shared;
            }
            if ephemeral {
                return Shared::new(Timeline::new());
            }
            let (file, opening, problem) = persist::initial(persist::PLAYGROUND_KEY);
            *first_problem.borrow_mut() = problem;
            *first_opening.borrow_mut() = opening;
            let mut shared = Shared::new(Timeline::new());
            // Nothing is saved before the kept session has replaced the fresh one.
            shared.restoring = file.is_some();
            *first_file.borrow_mut() = file;
            shared
        })
    };
    // Whether the page saves: not a visit, not over a session that failed to load.
    let opening = {
        let first_opening = first_opening.clone();
        use_state(move || first_opening.borrow().clone())
    };
    let notice = use_state(|| None::<Notice>);
    let status = use_state(Status::default);
    let runner = {
        let shared = shared.clone();
        let status = status.clone();
        let worker = props.worker;
        use_memo((), move |_| {
            let start = if worker {
                WorkerStart::Now
            } else {
                WorkerStart::Never
            };
            Runner::new(&shared, Callback::from(move |s| status.set(s)), start)
        })
    };
    {
        let runner = runner.clone();
        let in_lesson = shared.lesson.is_some();
        use_effect_with((), move |_| {
            let file = first_file.borrow_mut().take();
            if let Some(file) = file {
                let from = match *first_opening.borrow() {
                    _ if in_lesson => Restoring::Lesson,
                    Opening::Visit => Restoring::Visit,
                    _ => Restoring::Saved,
                };
                runner.restore(file, from);
            }
        });
    }
    let runner = Some(runner.with_status((*status).clone()));
    // The benchmark's "usable terminal" moment: the first render is on screen.
    use_effect_with((), |_| crate::mark_ready());
    {
        let notice = notice.clone();
        let lang = *lang;
        use_effect_with((), move |_| {
            if let Some(e) = first_problem.borrow_mut().take() {
                notice.set(Some(Notice::Error(load_error(lang, &e))));
            }
        });
    }
    {
        let lang = *lang;
        use_effect_with(lang, move |lang| {
            if let Some(root) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
            {
                // Screen readers and fonts follow the page's language.
                let _ = root.set_attribute("lang", lang.code());
            }
        });
    }
    // The address says the language, so a reload or a shared link keeps it.
    {
        let lang = *lang;
        let tested = props.ephemeral;
        use_effect_with(lang, move |lang| {
            if !tested {
                persist::set_address_param("lang", lang.code());
            }
        });
    }
    // A lesson's session and the course's checkmarks are kept after every change.
    {
        let shared = shared.clone();
        use_effect_with(shared.rev, move |_| {
            // Nothing is kept while the worker makes the start or replays the kept session.
            let Some(track) = shared
                .lesson
                .as_ref()
                .filter(|_| keeps_lesson && !shared.restoring)
            else {
                return;
            };
            let track = track.borrow();
            let run = track.at(shared.timeline.borrow().cursor());
            let id = &run.lesson().id;
            // A full storage keeps the lesson going; only the resume is lost.
            let _ = crate::course_progress::save(id, shared.start_step(), &shared.file());
            if run.is_complete() {
                crate::course_progress::mark_done(id);
            }
        });
    }
    // Saved after every change, unless the page is a visit or keeps a session that failed to
    // load; a full or blocked storage is reported. Writing the file costs the whole session, so
    // it is done when the browser is idle after the frame that shows the step, once for
    // however many steps came in between.
    let save_pending = use_mut_ref(|| false);
    // The file's text as last saved: a save writes only the steps added since.
    let file_text = use_mut_ref(crate::timeline::FileText::default);
    // The save waiting for the idle callback; leaving the page (a reload, say) runs it at once,
    // so an undo just before a reload is kept.
    let idle_save = use_mut_ref(|| None::<SaveJob>);
    {
        let idle_save = idle_save.clone();
        use_effect_with((), move |_| {
            let leave = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
                let job = idle_save.borrow_mut().take();
                if let Some(job) = job {
                    job();
                }
            });
            if let Some(w) = web_sys::window() {
                let _ =
                    w.add_event_listener_with_callback("pagehide", leave.as_ref().unchecked_ref());
            }
            leave.forget();
            || ()
        });
    }
    {
        let idle_save = idle_save.clone();
        let shared = shared.clone();
        let notice = notice.clone();
        let saving = !ephemeral && *opening == Opening::Saved;
        let lang = *lang;
        use_effect_with(shared.rev, move |_| {
            let t = texts(lang);
            if shared.full {
                notice.set(Some(Notice::Error(t.limit_reached.to_string())));
            }
            if saving && !shared.restoring && !save_pending.replace(true) {
                let save = move || {
                    *save_pending.borrow_mut() = false;
                    let (json, actions, nearly_full) = {
                        let timeline = shared.timeline.borrow();
                        (
                            timeline.file_json(&mut file_text.borrow_mut()),
                            timeline.steps().len(),
                            timeline.nearly_full(),
                        )
                    };
                    match persist::save_json(persist::PLAYGROUND_KEY, &json, actions) {
                        Err(SaveError::Storage) | Err(SaveError::TooLarge) => {
                            notice.set(Some(Notice::Error(t.save_failed.to_string())))
                        }
                        Ok(()) if nearly_full && notice.is_none() => {
                            notice.set(Some(Notice::Text(t.limit_near.to_string())))
                        }
                        Ok(()) => {}
                    }
                };
                *idle_save.borrow_mut() = Some(Box::new(save));
                let idle_save = idle_save.clone();
                persist::when_idle(move || {
                    let job = idle_save.borrow_mut().take();
                    if let Some(job) = job {
                        job();
                    }
                });
            }
        });
    }

    let t = texts(*lang);
    let switch = {
        let lang = lang.clone();
        Callback::from(move |_: MouseEvent| lang.set(lang.other()))
    };
    let undo = {
        let shared = shared.clone();
        Callback::from(move |_: MouseEvent| shared.dispatch(Msg::Undo))
    };
    let redo = {
        let shared = shared.clone();
        Callback::from(move |_: MouseEvent| shared.dispatch(Msg::Redo))
    };
    let reset = {
        let shared = shared.clone();
        let runner = runner.clone();
        let notice = notice.clone();
        let confirm = t.reset_confirm;
        let opening = opening.clone();
        Callback::from(move |_: MouseEvent| {
            let ok = web_sys::window()
                .and_then(|w| w.confirm_with_message(confirm).ok())
                .unwrap_or(true);
            if ok {
                // A visit's reset starts the visit over; a session that failed to load stays.
                if !ephemeral && *opening == Opening::Saved {
                    persist::forget(persist::PLAYGROUND_KEY);
                }
                notice.set(None);
                let start = shared.start_over();
                match &runner {
                    Some(runner) => runner.begin(start),
                    None => shared.dispatch(Msg::Begin(start)),
                }
            }
        })
    };
    let export = {
        let shared = shared.clone();
        Callback::from(move |_: MouseEvent| {
            persist::download("layerbox-session.json", &shared.file().to_json());
        })
    };
    let share = {
        let shared = shared.clone();
        let notice = notice.clone();
        let lang = *lang;
        Callback::from(move |_: MouseEvent| {
            notice.set(Some(match persist::share_url(&shared.file()) {
                Some(url) => Notice::Link(url),
                None => Notice::Text(texts(lang).share_too_long.to_string()),
            }));
        })
    };
    let file_ref = use_node_ref();
    let pick_file = {
        let file_ref = file_ref.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(input) = file_ref.cast::<HtmlInputElement>() {
                input.set_value("");
                input.click();
            }
        })
    };
    let import = {
        let runner = runner.clone();
        let notice = notice.clone();
        let lang = *lang;
        Callback::from(move |e: Event| {
            let Some(file) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
                .and_then(|i| i.files())
                .and_then(|f| f.get(0))
            else {
                return;
            };
            // The size is checked before the file is read.
            if file.size() > SessionFile::MAX_BYTES as f64 {
                notice.set(Some(Notice::Error(format!(
                    "{} {}",
                    texts(lang).import_refused,
                    load_error(lang, &crate::timeline::LoadError::TooLarge)
                ))));
                return;
            }
            let runner = runner.clone();
            let notice = notice.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let text = JsFuture::from(file.text())
                    .await
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_default();
                match SessionFile::from_json(&text) {
                    Ok(file) => {
                        notice.set(None);
                        if let Some(runner) = &runner {
                            runner.restore(file, Restoring::Later);
                        }
                    }
                    Err(err) => notice.set(Some(Notice::Error(format!(
                        "{} {}",
                        texts(lang).import_refused,
                        load_error(lang, &err)
                    )))),
                }
            });
        })
    };
    let in_lesson = shared.lesson.is_some();
    let current_lesson = shared
        .lesson
        .as_ref()
        .map(|l| l.borrow().at(0).lesson().id.clone());
    // A lesson about where data lives shows the diagram first.
    let lesson_view = shared.lesson.as_ref().and_then(|l| {
        l.borrow()
            .at(0)
            .lesson()
            .view
            .as_deref()
            .and_then(crate::views::Tab::parse)
    });
    let timeline = shared.timeline.borrow();
    let can_undo = timeline.can_undo();
    let can_redo = timeline.can_redo();
    let is_empty = timeline.steps().is_empty();
    drop(timeline);

    html! {
        <ContextProvider<Lang> context={ *lang }>
            <ContextProvider<SharedHandle> context={ shared.clone() }>
            <ContextProvider<Option<Runner>> context={ runner.clone() }>
                <div class="app">
                    <header class="top">
                        <h1 class="brand">{ "layerbox" }</h1>
                        <p class="tagline" data-testid="tagline">{ t.tagline }</p>
                        <nav class="toolbar" aria-label="layerbox">
                            <button data-testid="undo" onclick={ undo } disabled={ !can_undo }>{ t.undo }</button>
                            <button data-testid="redo" onclick={ redo } disabled={ !can_redo }>{ t.redo }</button>
                            <button data-testid="reset" onclick={ reset }>{ t.reset }</button>
                            <button data-testid="export" onclick={ export }>{ t.export }</button>
                            <button data-testid="import" onclick={ pick_file }>{ t.import }</button>
                            <input
                                type="file"
                                accept=".json,application/json"
                                class="hidden"
                                data-testid="import-file"
                                ref={ file_ref }
                                onchange={ import }
                            />
                            <button data-testid="share" onclick={ share }>{ t.share }</button>
                        </nav>
                        <button
                            class="lang-switch"
                            data-testid="lang-switch"
                            aria-label={ t.switch_label }
                            lang={ lang.other().code() }
                            onclick={ switch }
                        >
                            { t.switch_to }
                        </button>
                    </header>
                    { opening_html(&opening, &notice, *lang, &shared, runner.as_ref()) }
                    { notice_html(&notice, *lang) }
                    <crate::views::StorageNotice />
                    <main class="workspace">
                        <div class="col-term">
                            <LessonPanel next_lesson=true />
                            if is_empty && !in_lesson {
                                <p class="intro">{ t.intro }</p>
                                <p class="hint">{ t.first_hint }</p>
                            }
                            <Terminal />
                            <Explain />
                            <Steps />
                        </div>
                        <div class="col-views">
                            <Views initial={ lesson_view } />
                        </div>
                    </main>
                    <Lessons current={ current_lesson } />
                    <Legend />
                </div>
            </ContextProvider<Option<Runner>>>
            </ContextProvider<SharedHandle>>
        </ContextProvider<Lang>>
    }
}

/// The choice a visit or a session that failed to load waits for; the page saves nothing until
/// the learner makes it, so it stays above every other notice.
fn opening_html(
    opening: &UseStateHandle<Opening>,
    notice: &UseStateHandle<Option<Notice>>,
    lang: Lang,
    shared: &SharedHandle,
    runner: Option<&Runner>,
) -> Html {
    let t = texts(lang);
    match &**opening {
        Opening::Saved => html! {},
        Opening::Visit => {
            let keep = {
                let (notice, opening, shared) = (notice.clone(), opening.clone(), shared.clone());
                Callback::from(move |_: MouseEvent| {
                    let earlier = persist::saved_text(persist::PLAYGROUND_KEY);
                    let kept_aside = earlier
                        .as_deref()
                        .map_or(Ok(()), |text| persist::save_text(EARLIER_KEY, text));
                    let saved = kept_aside
                        .and_then(|()| persist::save(persist::PLAYGROUND_KEY, &shared.file()));
                    if saved.is_err() {
                        notice.set(Some(Notice::Error(texts(lang).save_failed.to_string())));
                        return;
                    }
                    opening.set(Opening::Saved);
                    notice.set(Some(Notice::Kept(earlier)));
                })
            };
            let back = {
                let (notice, opening, shared) = (notice.clone(), opening.clone(), shared.clone());
                let runner = runner.cloned();
                Callback::from(move |_: MouseEvent| {
                    let (file, now) = persist::load_saved(persist::PLAYGROUND_KEY);
                    notice.set(None);
                    opening.set(now);
                    match (file, &runner) {
                        (Some(file), Some(runner)) => runner.restore(file, Restoring::Later),
                        _ => shared.dispatch(Msg::Replace(Box::default(), Vec::new())),
                    }
                })
            };
            html! {
                <p class="notice" role="status" data-testid="notice">
                    { t.visit_notice }{ " " }
                    <button class="small-button" data-testid="visit-keep" onclick={ keep }>{ t.visit_keep }</button>
                    { " " }
                    <button class="small-button" data-testid="visit-back" onclick={ back }>{ t.visit_back }</button>
                </p>
            }
        }
        Opening::LoadFailed { text, why } => {
            let download = {
                let text = text.clone();
                Callback::from(move |_: MouseEvent| {
                    persist::download("layerbox-saved-session.json", &text)
                })
            };
            let discard = {
                let (notice, opening, shared) = (notice.clone(), opening.clone(), shared.clone());
                Callback::from(move |_: MouseEvent| {
                    opening.set(Opening::Saved);
                    notice.set(None);
                    if persist::save(persist::PLAYGROUND_KEY, &shared.file()).is_err() {
                        notice.set(Some(Notice::Error(texts(lang).save_failed.to_string())));
                    }
                })
            };
            html! {
                <p class="notice error" role="alert" data-testid="notice">
                    { t.load_failed }{ " " }{ load_error(lang, why) }{ " " }
                    <button class="small-button" data-testid="download-saved" onclick={ download }>{ t.download_saved }</button>
                    { " " }
                    <button class="small-button" data-testid="discard-saved" onclick={ discard }>{ t.discard_saved }</button>
                </p>
            }
        }
    }
}

fn notice_html(notice: &UseStateHandle<Option<Notice>>, lang: Lang) -> Html {
    let t = texts(lang);
    match notice.as_ref() {
        Some(Notice::Kept(earlier)) => html! {
            <p class="notice" role="status" data-testid="notice">
                { t.kept_notice }{ " " }
                if let Some(text) = earlier {
                    <button class="small-button" data-testid="download-earlier" onclick={
                        let text = text.clone();
                        Callback::from(move |_: MouseEvent| persist::download("layerbox-earlier-session.json", &text))
                    }>{ t.download_earlier }</button>
                }
            </p>
        },
        None => html! {},
        Some(Notice::Error(text)) => html! {
            <p class="notice error" role="alert" data-testid="notice">{ text.clone() }</p>
        },
        Some(Notice::Text(text)) => html! {
            <p class="notice" role="status" data-testid="notice">{ text.clone() }</p>
        },
        Some(Notice::Link(url)) => html! {
            <p class="notice" role="status" data-testid="notice">
                { t.share_ready }{ " " }
                <input class="share-link" readonly=true value={ url.clone() } data-testid="share-link" />
            </p>
        },
    }
}
