//! The engine's side of the page's Web Worker: it keeps a copy of the page's timeline and runs
//! every action there, so a line that loops, takes long or crashes never touches the page's
//! thread (`runner.rs` is the page's side). The page never runs the line again: the worker
//! sends back what the step printed and the parts of the world it changed
//! (`layerbox_engine::snapshot::parts`), and the page puts its copy of the step together from
//! its own world before the step and those parts, in time that follows what changed.
//!
//! The worker runs its own wasm module (`layerbox-worker`, `src/bin/worker.rs`; `web/worker.js`
//! loads the files the page names), which holds the engine's programs. Messages are JSON text:
//! - page to worker: `{"id": 7, "start": null | {"lesson": ID, "step": null | N}, "keep": K,
//!   "actions": [...], "run": [...], "base": B, "plan": P}`: the session to run in (how it
//!   started, the first `K` steps of the worker's copy that still hold, and the actions applied
//!   since, as the session file writes them) and the actions to run (none: only bring the copy
//!   up to date). The page sends only what the worker does not hold yet, so a request costs
//!   what changed, not the session's length. `base`: the page lacks the start itself (a
//!   lesson's setup, or the solutions before the step it goes to, which only the worker runs);
//!   `plan`: what "show me" would play from the session reached;
//! - worker to page: `{"ready": true}` once listening, `{"id": 7, "done": MS, "steps": [...],
//!   "start": ..., "plan": ...}` when the actions ended (each step: what it printed, its code and
//!   change events, what the terminal shows after it, and its world's changed parts, removed
//!   parts and new layers; `start`, when asked, the start session as such a step from a fresh
//!   host's, `Session::new()`, which the page makes itself; `plan`, when asked),
//!   `{"id": 7, "stale": true}` when its copy has fewer than `K` steps (the page sends the whole
//!   session again), `{"id": 7, "crashed": "why"}` from the panic hook when it crashed the
//!   engine. A reply that sends large files' bytes (64 KiB or more, each once) is an array: its
//!   text, then the bytes as `ArrayBuffer`s transferred to the page, which the text names by
//!   place (`"contents": [[K, 1], ...]`), so the page never reads them out of a string.

use std::cell::{Cell, RefCell};

use layerbox_engine::change::Change;
use layerbox_engine::snapshot::parts::{changed_parts, LayerCache, LayerNames, Unsent};
use layerbox_fstree::Content;
use layerbox_lessons::{LessonEvent, Progress, ShowMe};
use layerbox_session::{Session, Stream};
use serde_json::{json, Value};

use crate::lesson_wire;
use crate::output::Omitted;
use crate::timeline::{Action, Printed, Ran, Shown, Timeline};

/// How a timeline's first session was made: the playground's fresh host, or a lesson's setup
/// (taken to step `step` by "go to step").
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Start {
    #[default]
    Fresh,
    Lesson {
        id: String,
        step: Option<usize>,
    },
}

impl Start {
    /// Whether this start is a fresh host, `Session::new()`, which the page makes itself:
    /// nothing runs to make it. Otherwise only the worker makes it (`Request::base`).
    pub fn runs_nothing(&self) -> bool {
        match self {
            Start::Fresh => true,
            Start::Lesson { id, step } => layerbox_lessons::lesson_ref(id).is_none_or(|lesson| {
                layerbox_lessons::lines_before(lesson, step.unwrap_or(0))
                    .next()
                    .is_none()
            }),
        }
    }

    /// The lesson step it starts at, as the learner enters it, without running anything.
    pub fn lesson_run(&self) -> Option<layerbox_lessons::LessonRun> {
        match self {
            Start::Fresh => None,
            Start::Lesson { id, step } => layerbox_lessons::lesson(id)
                .map(|lesson| layerbox_lessons::LessonRun::entering(lesson, step.unwrap_or(0))),
        }
    }

    /// The session this start makes (the worker's, and the page's when it has no worker).
    pub fn session(&self) -> Session {
        match self {
            Start::Fresh => Session::new(),
            Start::Lesson { id, step } => match layerbox_lessons::lesson(id) {
                Some(lesson) => {
                    let (mut run, session) = layerbox_lessons::LessonRun::start(lesson);
                    match step {
                        None => session,
                        Some(i) => run.goto_step(*i),
                    }
                }
                None => Session::new(),
            },
        }
    }

    fn to_value(&self) -> Value {
        match self {
            Start::Fresh => Value::Null,
            Start::Lesson { id, step } => json!({ "lesson": id, "step": step }),
        }
    }

    fn from_value(value: &Value) -> Option<Start> {
        match value {
            Value::Null => Some(Start::Fresh),
            Value::Object(fields) => Some(Start::Lesson {
                id: fields.get("lesson")?.as_str()?.to_string(),
                step: match fields.get("step")? {
                    Value::Null => None,
                    n => Some(usize::try_from(n.as_u64()?).ok()?),
                },
            }),
            _ => None,
        }
    }
}

/// A request to run `run` after the first `keep` steps of the worker's copy and `actions`,
/// from `start`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub id: u64,
    pub start: Start,
    pub keep: usize,
    pub actions: Vec<Action>,
    pub run: Vec<Action>,
    /// In a lesson: where the learner is after `keep` steps and `actions` (`lesson_wire.rs`).
    pub progress: Option<Progress>,
    /// Send the start session's parts: the page holds only a fresh host in its place.
    pub base: bool,
    /// Say what "show me" would play from the session after `keep` steps and `actions`.
    pub plan: bool,
}

impl Request {
    pub fn to_json(&self) -> String {
        json!({
            "id": self.id,
            "start": self.start.to_value(),
            "keep": self.keep,
            "actions": self.actions,
            "run": self.run,
            "progress": self.progress.as_ref().map(lesson_wire::progress_to_value),
            "base": self.base,
            "plan": self.plan,
        })
        .to_string()
    }

    pub fn from_json(text: &str) -> Option<Request> {
        let value: Value = serde_json::from_str(text).ok()?;
        let actions = |name: &str| {
            value
                .get(name)?
                .as_array()?
                .iter()
                .map(|a| Action::from_value(a).ok())
                .collect::<Option<Vec<_>>>()
        };
        Some(Request {
            id: value.get("id")?.as_u64()?,
            start: Start::from_value(value.get("start")?)?,
            keep: usize::try_from(value.get("keep")?.as_u64()?).ok()?,
            actions: actions("actions")?,
            run: actions("run")?,
            progress: match value.get("progress")? {
                Value::Null => None,
                p => Some(lesson_wire::progress_from_value(p)?),
            },
            base: value.get("base")?.as_bool()?,
            plan: value.get("plan")?.as_bool()?,
        })
    }
}

/// One step as the worker ran it, for the page to put its copy together.
#[derive(Clone, Debug, PartialEq)]
pub struct StepSent {
    /// What the step printed, as the page keeps it (`output.rs`): never more than its head and
    /// tail, so a reply costs the page little however much a line printed.
    pub printed: Vec<Printed>,
    pub omitted: Option<Omitted>,
    pub code: i32,
    pub changes: Vec<Change>,
    pub shown: Shown,
    /// Layers and large files' bytes the parts name by number that the worker had not sent
    /// before.
    pub unsent: Unsent,
    /// The parts of the world the step changed or made, and those it removed.
    pub changed: Vec<(String, String)>,
    pub removed: Vec<String>,
    /// In a lesson: where the step took the learner, and what happened on the way.
    pub lesson: Option<(Progress, Vec<LessonEvent>)>,
}

impl StepSent {
    /// Its JSON alone, for a file (`lesson_starts.rs`): `None` when it sends a large file's
    /// bytes, which go beside a reply's text, not in it.
    pub fn to_plain_value(&self) -> Option<Value> {
        let mut buffers = Vec::new();
        let value = self.to_value(&mut buffers);
        buffers.is_empty().then_some(value)
    }

    /// The step [`StepSent::to_plain_value`] wrote.
    pub fn from_plain_value(value: &Value) -> Option<StepSent> {
        StepSent::from_value(value, &[])
    }

    /// Its JSON, with the large files' bytes it sends added to `buffers` (and named there by
    /// index), to go beside the text, not in it.
    fn to_value(&self, buffers: &mut Vec<Content>) -> Value {
        let contents: Vec<Value> = self
            .unsent
            .contents
            .iter()
            .map(|(k, bytes)| {
                buffers.push(bytes.clone());
                json!([k, buffers.len() - 1])
            })
            .collect();
        let printed: Vec<Value> = self
            .printed
            .iter()
            .map(|p| json!([p.stream == Stream::Stderr, p.text]))
            .collect();
        json!({
            "printed": printed,
            "omitted": self.omitted.map(|o| [o.at, o.bytes, o.lines]),
            "code": self.code,
            // As text, read with `from_str` like the world's parts: one copy of the event
            // types' reader and writer in the bundle, not a second one for `Value`.
            "changes": serde_json::to_string(&self.changes).unwrap_or_default(),
            "prompt": self.shown.prompt,
            "attached": self.shown.attached,
            "closed": self.shown.closed,
            "cwd": self.shown.cwd,
            "layers": self.unsent.layers,
            "contents": contents,
            "changed": self.changed,
            "removed": self.removed,
            "lesson": self.lesson.as_ref().map(|(p, events)| {
                json!([lesson_wire::progress_to_value(p), lesson_wire::events_to_value(events)])
            }),
        })
    }

    fn from_value(value: &Value, buffers: &[Content]) -> Option<StepSent> {
        let text = |v: &Value| v.as_str().map(str::to_string);
        let pairs = |v: &Value| -> Option<Vec<(Value, String)>> {
            v.as_array()?
                .iter()
                .map(|p| Some((p.get(0)?.clone(), text(p.get(1)?)?)))
                .collect()
        };
        Some(StepSent {
            printed: pairs(value.get("printed")?)?
                .into_iter()
                .map(|(err, text)| {
                    Some(Printed {
                        stream: if err.as_bool()? {
                            Stream::Stderr
                        } else {
                            Stream::Stdout
                        },
                        text,
                    })
                })
                .collect::<Option<_>>()?,
            omitted: match value.get("omitted")? {
                Value::Null => None,
                v => {
                    let n = |i: usize| usize::try_from(v.get(i)?.as_u64()?).ok();
                    Some(Omitted {
                        at: n(0)?,
                        bytes: n(1)?,
                        lines: n(2)?,
                    })
                }
            },
            code: i32::try_from(value.get("code")?.as_i64()?).ok()?,
            changes: serde_json::from_str(value.get("changes")?.as_str()?).ok()?,
            shown: Shown {
                prompt: text(value.get("prompt")?)?,
                attached: value.get("attached")?.as_bool()?,
                closed: value.get("closed")?.as_bool()?,
                cwd: text(value.get("cwd")?)?,
            },
            unsent: Unsent {
                layers: pairs(value.get("layers")?)?
                    .into_iter()
                    .map(|(n, json)| Some((usize::try_from(n.as_u64()?).ok()?, json)))
                    .collect::<Option<_>>()?,
                contents: value
                    .get("contents")?
                    .as_array()?
                    .iter()
                    .map(|c| {
                        let buffer = usize::try_from(c.get(1)?.as_u64()?).ok()?;
                        Some((c.get(0)?.as_u64()?, buffers.get(buffer)?.clone()))
                    })
                    .collect::<Option<_>>()?,
            },
            changed: pairs(value.get("changed")?)?
                .into_iter()
                .map(|(k, json)| Some((k.as_str()?.to_string(), json)))
                .collect::<Option<_>>()?,
            removed: value
                .get("removed")?
                .as_array()?
                .iter()
                .map(text)
                .collect::<Option<_>>()?,
            lesson: match value.get("lesson")? {
                Value::Null => None,
                l => Some((
                    lesson_wire::progress_from_value(l.get(0)?)?,
                    lesson_wire::events_from_value(l.get(1)?)?,
                )),
            },
        })
    }
}

/// What the worker made for a request: the steps of its `run`, and what it asked for besides.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Answer {
    pub steps: Vec<StepSent>,
    /// The start session, as a step from a fresh host's (`Request::base`).
    pub start: Option<Box<StepSent>>,
    /// What "show me" would play (`Request::plan`, in a lesson).
    pub plan: Option<ShowMe>,
}

/// What the worker said.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    Ready,
    Done {
        id: u64,
        ms: f64,
        answer: Answer,
    },
    Stale {
        id: u64,
    },
    /// The engine panicked while running the request's `run` action `at` (the ones before it
    /// had run).
    Crashed {
        id: u64,
        at: usize,
        why: String,
    },
}

impl Reply {
    /// The message: its JSON text, and the large files' bytes it sends beside the text (the
    /// worker transfers them to the page as they are: a file of 16 MiB costs the page one
    /// copy, not a 22 MB string to read and decode).
    pub fn to_wire(&self) -> (String, Vec<Content>) {
        let mut buffers = Vec::new();
        let value = match self {
            Reply::Ready => json!({ "ready": true }),
            Reply::Done { id, ms, answer } => {
                let steps: Vec<Value> = answer
                    .steps
                    .iter()
                    .map(|s| s.to_value(&mut buffers))
                    .collect();
                json!({
                    "id": id,
                    "done": ms,
                    "steps": steps,
                    "start": answer.start.as_deref().map(|s| s.to_value(&mut buffers)),
                    "plan": answer.plan.as_ref().map(lesson_wire::show_me_to_value),
                })
            }
            Reply::Stale { id } => json!({ "id": id, "stale": true }),
            Reply::Crashed { id, at, why } => json!({ "id": id, "at": at, "crashed": why }),
        };
        (value.to_string(), buffers)
    }

    /// The message [`Reply::to_wire`] made.
    pub fn from_wire(text: &str, buffers: &[Content]) -> Option<Reply> {
        let value: Value = serde_json::from_str(text).ok()?;
        if value.get("ready").is_some() {
            return Some(Reply::Ready);
        }
        let id = value.get("id")?.as_u64()?;
        if let Some(ms) = value.get("done") {
            return Some(Reply::Done {
                id,
                ms: ms.as_f64()?,
                answer: Answer {
                    steps: value
                        .get("steps")?
                        .as_array()?
                        .iter()
                        .map(|s| StepSent::from_value(s, buffers))
                        .collect::<Option<_>>()?,
                    start: match value.get("start")? {
                        Value::Null => None,
                        start => Some(Box::new(StepSent::from_value(start, buffers)?)),
                    },
                    plan: match value.get("plan")? {
                        Value::Null => None,
                        plan => Some(lesson_wire::show_me_from_value(plan)?),
                    },
                },
            });
        }
        if value.get("stale").is_some() {
            return Some(Reply::Stale { id });
        }
        Some(Reply::Crashed {
            id,
            at: usize::try_from(value.get("at")?.as_u64()?).ok()?,
            why: value.get("crashed")?.as_str()?.to_string(),
        })
    }
}

/// The worker's copy of the page's timeline, brought to each request's session by keeping the
/// steps the page says still hold and applying only the actions it sends.
#[derive(Default)]
pub struct Replica {
    at: Option<(Start, Timeline)>,
    /// The layers named to the page, and which it was sent.
    names: LayerNames,
}

impl Replica {
    /// Brings the copy to the request's session and runs its actions there: each step as the
    /// page needs it. `None` (and nothing run) when the copy lacks steps the request keeps.
    pub fn run(&mut self, request: &Request) -> Option<Answer> {
        let fresh = !matches!(&self.at, Some((start, _)) if *start == request.start);
        if fresh {
            let timeline = Timeline::from_session(request.start.session());
            self.at = Some((request.start.clone(), timeline));
        }
        let (_, timeline) = self.at.as_mut()?;
        if request.keep > timeline.steps().len() {
            return None;
        }
        let start = request
            .base
            .then(|| Box::new(start_parts(timeline.start(), &mut self.names)));
        timeline.seek(request.keep.checked_sub(1));
        for action in &request.actions {
            timeline.apply(action.clone());
        }
        let plan = match (request.plan, &request.start, &request.progress) {
            (true, Start::Lesson { id, .. }, Some(progress)) => {
                layerbox_lessons::lesson(id).map(|l| {
                    layerbox_lessons::LessonRun::resume(l, progress.clone())
                        .show_me(timeline.current())
                })
            }
            _ => None,
        };
        let mut sent = Vec::new();
        // The parts of the world before each step: the last step's parts after it. Those name
        // their layers against the world before that step, not this one, which can only make a
        // part that names a layer differently look changed (and be sent again whole, named
        // right); a part that reads the same is the same, as an image's or a container's
        // layers never change. So a step costs one pass over the world, not two: a replayed
        // session (`runner.rs`) costs the worker half as much.
        let mut parts_before = None;
        // In a lesson, the progress each step makes: its goal checked, its solution tried.
        let mut lesson = match (&request.start, &request.progress) {
            (Start::Lesson { id, .. }, Some(progress)) => layerbox_lessons::lesson(id)
                .map(|l| layerbox_lessons::LessonRun::resume(l, progress.clone())),
            _ => None,
        };
        for (at, action) in request.run.iter().enumerate() {
            AT.set(at);
            let names = &mut self.names;
            let before_parts = match parts_before.take() {
                Some(parts) => parts,
                None => timeline
                    .current()
                    .world()
                    .parts(timeline.current().world(), names),
            };
            timeline.apply(action.clone());
            // The world before the step is the timeline's before its last step (not copied).
            let n = timeline.cursor();
            let before = match n {
                1 => timeline.start().world(),
                _ => timeline.steps()[n - 2].after.world(),
            };
            let step = &timeline.steps()[n - 1];
            // Most steps leave the images as they were: their parts are then the ones before.
            let same_images = images_of(before) == images_of(step.after.world());
            let mut after_parts = step.after.world().parts_with(before, names, !same_images);
            if same_images {
                after_parts.extend(
                    before_parts
                        .iter()
                        .filter(|(key, _)| key.starts_with("image/"))
                        .map(|(key, part)| (key.clone(), part.clone())),
                );
            }
            let (changed, numbers, removed) = changed_parts(&before_parts, &after_parts);
            parts_before = Some(after_parts);
            let lesson = lesson.as_mut().map(|run| {
                let events = crate::lesson_track::progress(run, step);
                (run.progress(), events)
            });
            sent.push(StepSent {
                printed: step.printed.clone(),
                omitted: step.omitted,
                code: step.code,
                changes: step.changes.clone(),
                shown: step.shown.clone(),
                unsent: names.unsent(&numbers),
                changed,
                removed,
                lesson,
            });
        }
        Some(Answer {
            steps: sent,
            start,
            plan,
        })
    }
}

/// The start `start` makes, as the worker sends it to a page that holds a fresh host in its
/// place (`Request::base`): what `bin/lesson_starts.rs` writes for the site.
pub fn start_sent(start: &Start) -> StepSent {
    let timeline = Timeline::from_session(start.session());
    start_parts(timeline.start(), &mut LayerNames::default())
}

/// The session `start` as a step from a fresh host (`Session::new()`, which the page makes
/// itself): the parts of its world that differ from the fresh host's, and what its terminal
/// shows.
fn start_parts(start: &Session, names: &mut LayerNames) -> StepSent {
    let fresh = Session::new();
    let before = fresh.world().parts(fresh.world(), names);
    let after = start.world().parts(fresh.world(), names);
    let (changed, numbers, removed) = changed_parts(&before, &after);
    StepSent {
        printed: Vec::new(),
        omitted: None,
        code: 0,
        changes: Vec::new(),
        shown: Shown::of(start),
        unsent: names.unsent(&numbers),
        changed,
        removed,
        lesson: None,
    }
}

/// The page's copy of the session after the step `sent` made from `before`: also the start
/// session the worker sent (`Answer::start`), from the page's fresh host.
pub fn session_after(
    before: &Session,
    sent: &StepSent,
    layers: &mut LayerCache,
) -> Result<Session, String> {
    layers.receive_all(&sent.unsent).map_err(|e| e.message)?;
    let world = before
        .world()
        .with_parts(&sent.changed, &sent.removed, layers)
        .map_err(|e| e.message)?;
    let mut after = before.viewing(world);
    after.shell.cwd = sent.shown.cwd.clone();
    Ok(after)
}

/// What an image's part says beyond its config and history, which its id names: its tags,
/// when it was last tagged, its parent and creation, and its layers themselves.
type ImageKey<'a> = (
    &'a str,
    &'a [String],
    Option<u64>,
    Option<&'a str>,
    u64,
    Vec<usize>,
);

/// The images of `world` as their parts would tell them apart.
fn images_of(world: &layerbox_engine::world::World) -> Vec<ImageKey<'_>> {
    world
        .images()
        .images
        .values()
        .map(|i| {
            let layers = i
                .layers
                .iter()
                .map(|l| std::sync::Arc::as_ptr(l) as usize)
                .collect();
            (
                i.id.as_str(),
                i.repo_tags.as_slice(),
                i.last_tag_time,
                i.parent.as_deref(),
                i.created,
                layers,
            )
        })
        .collect()
}

/// The page's copy of the steps the worker ran after `current`: each step's world is the world
/// before it with the parts the worker sent (the layers it sent kept in `layers`), so it costs
/// what the step changed, never the step's work.
pub fn put_together(
    current: &Session,
    actions: Vec<Action>,
    steps: Vec<StepSent>,
    layers: &mut LayerCache,
) -> Result<Vec<(Action, Ran)>, String> {
    if actions.len() != steps.len() {
        return Err("the worker answered for other actions".into());
    }
    let mut out: Vec<(Action, Ran)> = Vec::new();
    for (action, sent) in actions.into_iter().zip(steps) {
        // The session before this step: the last one made here, or the page's.
        let session = out.last().map_or(current, |(_, ran)| &ran.after);
        let after = session_after(session, &sent, layers)?;
        out.push((
            action,
            Ran {
                printed: sent.printed,
                omitted: sent.omitted,
                code: sent.code,
                changes: sent.changes,
                after,
                shown: sent.shown,
            },
        ));
    }
    Ok(out)
}

thread_local! {
    /// The request being run, for the panic hook.
    static RUNNING: Cell<u64> = const { Cell::new(0) };
    /// Which of its `run` actions.
    static AT: Cell<usize> = const { Cell::new(0) };
    static REPLICA: RefCell<Replica> = RefCell::default();
}

/// The worker's entry point: answers the page's requests until the page ends the worker.
pub fn serve() {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    std::panic::set_hook(Box::new(|info| {
        let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let reply = Reply::Crashed {
            id: RUNNING.get(),
            at: AT.get(),
            why: info.to_string(),
        };
        post(&scope, &reply);
    }));
    let reply_to = scope.clone();
    let onmessage =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let Some(request) = e.data().as_string().and_then(|t| Request::from_json(&t)) else {
                return;
            };
            RUNNING.set(request.id);
            let began = js_sys::Date::now();
            let reply = match REPLICA.with_borrow_mut(|replica| replica.run(&request)) {
                Some(answer) => Reply::Done {
                    id: request.id,
                    ms: js_sys::Date::now() - began,
                    answer,
                },
                None => Reply::Stale { id: request.id },
            };
            post(&reply_to, &reply);
        });
    scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    // The worker lives as long as the page keeps it; so does its handler.
    onmessage.forget();
    post(&scope, &Reply::Ready);
}

/// Posts `reply` to the page: its text, and the large files' bytes beside it as buffers the
/// page is given (transferred, not copied again).
fn post(scope: &web_sys::DedicatedWorkerGlobalScope, reply: &Reply) {
    use wasm_bindgen::JsValue;
    let (text, buffers) = reply.to_wire();
    if buffers.is_empty() {
        let _ = scope.post_message(&JsValue::from_str(&text));
        return;
    }
    let message = js_sys::Array::new();
    let transfer = js_sys::Array::new();
    message.push(&JsValue::from_str(&text));
    for bytes in &buffers {
        let buffer = js_sys::Uint8Array::from(&bytes[..]).buffer();
        message.push(&buffer);
        transfer.push(&buffer);
    }
    let _ = scope.post_message_with_transfer(&message, &transfer);
}

/// The reply in a message from the worker ([`post`]): its text alone, or its text and the
/// buffers beside it.
pub fn read_reply(data: &wasm_bindgen::JsValue) -> Option<Reply> {
    use wasm_bindgen::JsCast;
    if let Some(text) = data.as_string() {
        return Reply::from_wire(&text, &[]);
    }
    let parts = data.dyn_ref::<js_sys::Array>()?;
    let text = parts.get(0).as_string()?;
    let buffers: Vec<Content> = (1..parts.length())
        .map(|i| js_sys::Uint8Array::new(&parts.get(i)).to_vec().into())
        .collect();
    Reply::from_wire(&text, &buffers)
}

#[cfg(test)]
mod tests;
