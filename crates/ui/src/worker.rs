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
//!   "actions": [...], "run": [...]}`: the session to run in (how it started, the first `K`
//!   steps of the worker's copy that still hold, and the actions applied since, as the session
//!   file writes them) and the actions to run (none: only bring the copy up to date). The page
//!   sends only what the worker does not hold yet, so a request costs what changed, not the
//!   session's length;
//! - worker to page: `{"ready": true}` once listening, `{"id": 7, "done": MS, "steps": [...]}`
//!   when the actions ended (each step: what it printed, its code and change events, what the
//!   terminal shows after it, and its world's changed parts, removed parts and new layers),
//!   `{"id": 7, "stale": true}` when its copy has fewer than `K` steps (the page sends the whole
//!   session again), `{"id": 7, "crashed": "why"}` from the panic hook when it crashed the
//!   engine.

use std::cell::{Cell, RefCell};

use layerbox_engine::change::Change;
use layerbox_engine::snapshot::parts::{changed_parts, LayerCache, LayerNames};
use layerbox_lessons::{LessonEvent, Progress};
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
    /// The session this start makes; the page's own constructors make the same one.
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
    /// Layers the parts name by number that the worker had not sent before.
    pub layers: Vec<(usize, String)>,
    /// The parts of the world the step changed or made, and those it removed.
    pub changed: Vec<(String, String)>,
    pub removed: Vec<String>,
    /// In a lesson: where the step took the learner, and what happened on the way.
    pub lesson: Option<(Progress, Vec<LessonEvent>)>,
}

impl StepSent {
    fn to_value(&self) -> Value {
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
            "layers": self.layers,
            "changed": self.changed,
            "removed": self.removed,
            "lesson": self.lesson.as_ref().map(|(p, events)| {
                json!([lesson_wire::progress_to_value(p), lesson_wire::events_to_value(events)])
            }),
        })
    }

    fn from_value(value: &Value) -> Option<StepSent> {
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
            layers: pairs(value.get("layers")?)?
                .into_iter()
                .map(|(n, json)| Some((usize::try_from(n.as_u64()?).ok()?, json)))
                .collect::<Option<_>>()?,
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

/// What the worker said.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    Ready,
    Done {
        id: u64,
        ms: f64,
        steps: Vec<StepSent>,
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
    pub fn to_json(&self) -> String {
        match self {
            Reply::Ready => json!({ "ready": true }),
            Reply::Done { id, ms, steps } => {
                let steps: Vec<Value> = steps.iter().map(StepSent::to_value).collect();
                json!({ "id": id, "done": ms, "steps": steps })
            }
            Reply::Stale { id } => json!({ "id": id, "stale": true }),
            Reply::Crashed { id, at, why } => json!({ "id": id, "at": at, "crashed": why }),
        }
        .to_string()
    }

    pub fn from_json(text: &str) -> Option<Reply> {
        let value: Value = serde_json::from_str(text).ok()?;
        if value.get("ready").is_some() {
            return Some(Reply::Ready);
        }
        let id = value.get("id")?.as_u64()?;
        if let Some(ms) = value.get("done") {
            return Some(Reply::Done {
                id,
                ms: ms.as_f64()?,
                steps: value
                    .get("steps")?
                    .as_array()?
                    .iter()
                    .map(StepSent::from_value)
                    .collect::<Option<_>>()?,
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
    pub fn run(&mut self, request: &Request) -> Option<Vec<StepSent>> {
        let fresh = !matches!(&self.at, Some((start, _)) if *start == request.start);
        if fresh {
            let timeline = Timeline::from_session(request.start.session());
            self.at = Some((request.start.clone(), timeline));
        }
        let (_, timeline) = self.at.as_mut()?;
        if request.keep > timeline.steps().len() {
            return None;
        }
        timeline.seek(request.keep.checked_sub(1));
        for action in &request.actions {
            timeline.apply(action.clone());
        }
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
                layers: names.unsent(&numbers),
                changed,
                removed,
                lesson,
            });
        }
        Some(sent)
    }
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
        for (n, json) in &sent.layers {
            layers.receive(*n, json).map_err(|e| e.message)?;
        }
        // The session before this step: the last one made here, or the page's.
        let session = out.last().map_or(current, |(_, ran)| &ran.after);
        let world = session
            .world()
            .with_parts(&sent.changed, &sent.removed, layers)
            .map_err(|e| e.message)?;
        let mut after = session.viewing(world);
        after.shell.cwd = sent.shown.cwd.clone();
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
        let _ = scope.post_message(&JsValue::from_str(&reply.to_json()));
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
                Some(steps) => Reply::Done {
                    id: request.id,
                    ms: js_sys::Date::now() - began,
                    steps,
                },
                None => Reply::Stale { id: request.id },
            };
            let _ = reply_to.post_message(&JsValue::from_str(&reply.to_json()));
        });
    scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    // The worker lives as long as the page keeps it; so does its handler.
    onmessage.forget();
    let _ = scope.post_message(&JsValue::from_str(&Reply::Ready.to_json()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(s: &str) -> Action {
        Action::Line { line: s.into() }
    }

    #[test]
    fn requests_and_replies_round_trip() {
        let request = Request {
            id: 3,
            start: Start::Lesson {
                id: "named-volumes".into(),
                step: Some(2),
            },
            keep: 4,
            actions: vec![line("ls"), Action::EndOfInput],
            run: vec![Action::Wait { seconds: 2 }, line("echo hi")],
            progress: Some(Progress {
                step: 1,
                wrong_attempts: 2,
                due: vec![0, 2],
                obstacles: vec![
                    layerbox_lessons::Obstacle::NameTaken { name: "f1".into() },
                    layerbox_lessons::Obstacle::PortTaken {
                        port: 8010,
                        container: "todo1".into(),
                    },
                ],
            }),
        };
        assert_eq!(
            Request::from_json(&request.to_json()),
            Some(request.clone())
        );
        let prime = Request {
            run: Vec::new(),
            ..request
        };
        assert_eq!(Request::from_json(&prime.to_json()), Some(prime));
        let mut replica = Replica::default();
        let steps = replica
            .run(&Request {
                id: 1,
                start: Start::Fresh,
                keep: 0,
                actions: vec![],
                run: vec![line(
                    "docker run --name c1 -v data:/data alpine sh -c 'echo hi; ls /nope'",
                )],
                progress: None,
            })
            .expect("ran");
        for reply in [
            Reply::Ready,
            Reply::Done {
                id: 4,
                ms: 12.5,
                steps,
            },
            Reply::Stale { id: 6 },
            Reply::Crashed {
                id: 5,
                at: 2,
                why: "boom".into(),
            },
        ] {
            assert_eq!(Reply::from_json(&reply.to_json()), Some(reply));
        }
        assert_eq!(Request::from_json("{\"id\": -1}"), None);
    }

    /// The page's side: its timeline grows by the steps put together from the worker's replies.
    struct Page {
        timeline: Timeline,
        layers: LayerCache,
        replica: Replica,
    }

    impl Page {
        fn new() -> Page {
            Page {
                timeline: Timeline::new(),
                layers: LayerCache::default(),
                replica: Replica::default(),
            }
        }

        /// Sends the whole applied timeline (as a fresh worker would get it) and runs `run`.
        fn run(&mut self, run: Vec<Action>) {
            let request = Request {
                id: 1,
                start: Start::Fresh,
                keep: 0,
                actions: self
                    .timeline
                    .applied()
                    .iter()
                    .map(|s| s.action.clone())
                    .collect(),
                run: run.clone(),
                progress: None,
            };
            let sent = self.replica.run(&request).expect("ran");
            // Through the message's text, as the page reads it.
            let Some(Reply::Done { steps, .. }) = Reply::from_json(
                &Reply::Done {
                    id: 1,
                    ms: 0.0,
                    steps: sent,
                }
                .to_json(),
            ) else {
                panic!("no reply")
            };
            let ran = put_together(self.timeline.current(), run, steps, &mut self.layers)
                .expect("put together");
            for (action, ran) in ran {
                self.timeline.push(action, ran);
            }
        }
    }

    #[test]
    fn the_page_follows_the_worker_without_running_a_line() {
        let mut page = Page::new();
        let mut direct = Timeline::new();
        let lines = [
            "docker volume create va",
            "docker run -d --name c1 -v va:/data alpine sh -c 'while :; do date >> /data/log; sleep 1; done'",
            "mkdir site && echo hello > site/index.html && cd site",
            "docker run --name c2 -v $(pwd):/site alpine sh -c 'echo more >> /site/index.html; rm /etc/motd'",
            "docker commit c2 snap",
            "docker run --name c3 snap cat /site/index.html /etc/motd",
            "echo 'open",
            "quote'",
            "docker exec -it c1 sh",
            "cd /data && ls",
        ];
        for l in lines {
            page.run(vec![line(l)]);
            direct.apply(line(l));
        }
        page.run(vec![Action::Wait { seconds: 3 }, Action::EndOfInput]);
        direct.apply(Action::Wait { seconds: 3 });
        direct.apply(Action::EndOfInput);
        page.run(vec![
            Action::HostWrite {
                path: "/home/user/site/x".into(),
                text: "x\n".into(),
            },
            line("docker rm -f c1 c2 c3 && docker rmi snap && docker volume rm va"),
        ]);
        direct.apply(Action::HostWrite {
            path: "/home/user/site/x".into(),
            text: "x\n".into(),
        });
        direct.apply(line(
            "docker rm -f c1 c2 c3 && docker rmi snap && docker volume rm va",
        ));
        assert_eq!(page.timeline.steps().len(), direct.steps().len());
        for (p, d) in page.timeline.steps().iter().zip(direct.steps()) {
            assert_eq!(p.printed, d.printed, "{:?}", d.action);
            assert_eq!(
                (p.code, &p.changes, &p.prompt),
                (d.code, &d.changes, &d.prompt)
            );
            assert_eq!(p.shown, d.shown, "{:?}", d.action);
            assert_eq!(
                p.after.world().save().ok(),
                d.after.world().save().ok(),
                "{:?}",
                d.action
            );
        }
        // The committed image's lower layers are the page's own alpine layers, shared.
        let at = page
            .timeline
            .steps()
            .iter()
            .position(
                |s| matches!(&s.action, Action::Line { line } if line.starts_with("docker commit")),
            )
            .expect("commit");
        let world = page.timeline.steps()[at].after.world();
        let snap = world.images().find("snap").expect("snap");
        let alpine = world.images().find("alpine").expect("alpine");
        assert!(std::sync::Arc::ptr_eq(&snap.layers[0], &alpine.layers[0]));
        // Ctrl-C at a `> ` prompt brings back the prompt the open command was typed at.
        page.run(vec![line("echo 'again")]);
        assert_eq!(page.timeline.shown().prompt, "> ");
        page.timeline.apply(Action::Interrupt {
            typed: String::new(),
        });
        assert_eq!(page.timeline.shown().prompt, "user@docker-host:~/site$ ");
    }

    /// A saved session, replayed in the worker in one request as the page restores it
    /// (`runner.rs`), makes every step as replaying it directly does.
    #[test]
    fn a_session_restored_through_the_worker_is_the_direct_replay_step_by_step() {
        let actions: Vec<Action> = [
            "docker volume create va",
            "docker run -d --name c1 -v va:/data alpine sh -c 'while :; do date >> /data/log; sleep 1; done'",
            "docker pull nginx",
            "docker run --name c2 alpine sh -c 'echo more > /f; rm /etc/motd'",
            "docker commit c2 snap",
            "docker run --name c3 snap cat /f",
            "docker tag snap snap:two",
            "docker rmi snap",
            "docker rm -f c2 c3",
            "docker run --name c4 snap:two ls /",
            "docker image prune -af",
            "docker exec -it c1 sh",
            "ls /data",
        ]
        .into_iter()
        .map(line)
        .chain([
            Action::Wait { seconds: 3 },
            Action::EndOfInput,
            Action::HostMkdir {
                path: "/home/user/site".into(),
            },
            line("docker run --rm -v $(pwd)/site:/site alpine touch /site/x"),
            line("docker rm -f c1 && docker volume rm va && docker volume prune -f"),
        ])
        .collect();
        let file = crate::timeline::SessionFile {
            version: crate::timeline::SessionFile::VERSION,
            cursor: actions.len() - 2,
            actions: actions.clone(),
        };
        let mut page = Page::new();
        page.run(actions);
        page.timeline.seek(file.cursor.checked_sub(1));
        let direct = Timeline::replay(Session::new(), &file);
        assert_eq!(page.timeline.cursor(), direct.cursor());
        assert_eq!(page.timeline.steps().len(), direct.steps().len());
        for (p, d) in page.timeline.steps().iter().zip(direct.steps()) {
            assert_eq!((&p.printed, p.code), (&d.printed, d.code), "{:?}", d.action);
            assert_eq!(
                (&p.changes, &p.shown),
                (&d.changes, &d.shown),
                "{:?}",
                d.action
            );
            assert_eq!(
                p.after.world().save().ok(),
                d.after.world().save().ok(),
                "{:?}",
                d.action
            );
        }
        // And a line after it runs as it would have.
        page.timeline.seek(None);
        let mut direct = direct;
        direct.seek(None);
        page.run(vec![line(
            "docker images -q | wc -l; docker ps -aq | wc -l",
        )]);
        let step = direct.apply(line("docker images -q | wc -l; docker ps -aq | wc -l"));
        assert_eq!(page.timeline.steps()[0].printed, step.printed);
    }

    /// A lesson played through the worker: the page's track, built from the progress the
    /// worker sends, is the one the page would have made itself, step by step.
    #[test]
    fn a_lessons_progress_made_in_the_worker_is_the_pages_own() {
        use crate::lesson_track::LessonTrack;
        let lesson = layerbox_lessons::lesson("volumes-in-images").expect("lesson");
        let start = Start::Lesson {
            id: lesson.id.clone(),
            step: None,
        };
        let (mut direct, session) = LessonTrack::start(lesson.clone());
        let mut direct_t = Timeline::from_session(session.clone());
        let (mut page, _) = LessonTrack::start(lesson.clone());
        let mut page_t = Timeline::from_session(session);
        let mut replica = Replica::default();
        let mut layers = LayerCache::default();
        let mut lines: Vec<String> = vec![
            "docker run -d --name todo2 -p 8010:80 alpine sleep 1d".into(),
            "docker volume ls".into(),
            "docker rm -f todo2".into(),
        ];
        lines.extend(lesson.steps.iter().flat_map(|s| s.solution.clone()));
        for l in &lines {
            let request = Request {
                id: 1,
                start: start.clone(),
                keep: 0,
                actions: page_t.applied().iter().map(|s| s.action.clone()).collect(),
                run: vec![line(l)],
                progress: Some(page.progress_at(page_t.cursor())),
            };
            let request = Request::from_json(&request.to_json()).expect("request");
            let reply = Reply::Done {
                id: 1,
                ms: 0.0,
                steps: replica.run(&request).expect("ran"),
            };
            let Some(Reply::Done { mut steps, .. }) = Reply::from_json(&reply.to_json()) else {
                panic!("no reply")
            };
            let (progress, events) = steps[0].lesson.take().expect("progress");
            let ran = put_together(page_t.current(), vec![line(l)], steps, &mut layers)
                .expect("put together");
            for (action, ran) in ran {
                let before = page_t.cursor();
                page_t.push(action, ran);
                page.took(before, progress.clone());
            }
            let before = direct_t.cursor();
            let step = direct_t.apply(line(l)).clone();
            let want = direct.applied(before, &step);
            assert_eq!(events, want, "{l}");
            assert_eq!(
                page.progress_at(page_t.cursor()),
                direct.progress_at(direct_t.cursor()),
                "{l}"
            );
        }
        assert!(page.at(page_t.cursor()).is_complete());
        // Undo moves the page's lesson back as it moves the direct one.
        for cursor in 0..=page_t.cursor() {
            assert_eq!(page.progress_at(cursor), direct.progress_at(cursor));
        }
    }

    #[test]
    fn a_long_output_reaches_the_page_as_its_head_and_tail() {
        // 3 lines of 64 KiB and a last one: 192 KiB printed.
        let l = "x=aaaaaaaaaaaaaaaa; for i in 1 2 3 4 5 6 7 8 9 10 11 12; do x=$x$x; done; \
                 for i in 1 2 3; do echo $x; done; echo end";
        let mut replica = Replica::default();
        let sent = replica
            .run(&Request {
                id: 1,
                start: Start::Fresh,
                keep: 0,
                actions: vec![],
                run: vec![line(l)],
                progress: None,
            })
            .expect("ran");
        let reply = Reply::Done {
            id: 1,
            ms: 0.0,
            steps: sent,
        }
        .to_json();
        assert!(reply.len() < 3 * crate::output::KEEP, "{}", reply.len());
        let Some(Reply::Done { steps, .. }) = Reply::from_json(&reply) else {
            panic!("no reply")
        };
        let mut page = Timeline::new();
        let ran = put_together(
            page.current(),
            vec![line(l)],
            steps,
            &mut LayerCache::default(),
        )
        .expect("put together");
        for (action, ran) in ran {
            page.push(action, ran);
        }
        let mut direct = Timeline::new();
        direct.apply(line(l));
        let (p, d) = (&page.steps()[0], &direct.steps()[0]);
        assert_eq!(p.printed, d.printed);
        assert_eq!(p.omitted, d.omitted);
        let omitted = d.omitted.expect("cut");
        // The line ends after the first two lines; the third ends in the tail.
        assert_eq!(omitted.lines, 2);
        let tail: String = d.printed[omitted.at..]
            .iter()
            .map(|p| p.text.as_str())
            .collect();
        assert!(tail.ends_with("\nend\n"), "{}", &tail[tail.len() - 20..]);
    }

    #[test]
    fn the_replica_follows_the_pages_timeline_and_its_undo() {
        let mut replica = Replica::default();
        let request = |keep: usize, actions: Vec<Action>, l: &str| Request {
            id: 1,
            start: Start::Fresh,
            keep,
            actions,
            run: vec![line(l)],
            progress: None,
        };
        assert!(replica
            .run(&request(0, vec![], "docker volume create va"))
            .is_some());
        // The page applied the line too; the worker keeps nothing of its own run of it.
        assert!(replica
            .run(&request(
                0,
                vec![line("docker volume create va")],
                "docker volume create vb",
            ))
            .is_some());
        let session = |r: &Replica| r.at.as_ref().expect("ran").1.current().clone();
        assert!(session(&replica).world().volumes().get("vb").is_ok());
        // Only the new step is sent: the first one is kept.
        assert!(replica
            .run(&request(
                1,
                vec![line("docker volume create vb")],
                "docker volume create vd",
            ))
            .is_some());
        let now = session(&replica);
        assert!(now.world().volumes().get("vb").is_ok());
        assert!(now.world().volumes().get("vd").is_ok());
        // The page undid both lines and typed another.
        assert!(replica
            .run(&request(0, vec![], "docker volume create vc"))
            .is_some());
        let now = session(&replica);
        assert!(now.world().volumes().get("va").is_err());
        assert!(now.world().volumes().get("vc").is_ok());
        // A copy that lacks what the page thinks it holds says so and runs nothing.
        assert!(replica
            .run(&request(5, vec![], "docker volume create ve"))
            .is_none());
    }
}
