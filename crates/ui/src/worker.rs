//! The engine's side of the page's Web Worker: it keeps a copy of the page's timeline and runs
//! each typed line there first, so a line that loops, takes long or crashes never touches the
//! page's thread (`runner.rs` is the page's side).
//!
//! The worker runs the same wasm module as the page (`web/worker.js` imports `layerbox-ui.js`),
//! so the site ships one module, not two. Messages are JSON text:
//! - page to worker: `{"id": 7, "start": null | {"lesson": ID, "step": null | N}, "keep": K,
//!   "actions": [...], "line": "ls" | null}`: the session to run in (how it started, the first
//!   `K` steps of the worker's copy that still hold, and the actions applied since, as the
//!   session file writes them) and the line (none: only bring the copy up to date). The page
//!   sends only what the worker does not hold yet, so a request costs what changed, not the
//!   session's length;
//! - worker to page: `{"ready": true}` once listening, `{"id": 7, "done": MS}` when the line
//!   ended, `{"id": 7, "stale": true}` when its copy has fewer than `K` steps (the page sends
//!   the whole session again), `{"id": 7, "crashed": "why"}` from the panic hook when it
//!   crashed the engine.

use std::cell::{Cell, RefCell};

use layerbox_session::Session;
use serde_json::{json, Value};

use crate::timeline::{Action, Timeline};

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

/// A request to run `line` after the first `keep` steps of the worker's copy and `actions`,
/// from `start`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub id: u64,
    pub start: Start,
    pub keep: usize,
    pub actions: Vec<Action>,
    pub line: Option<String>,
}

impl Request {
    pub fn to_json(&self) -> String {
        json!({
            "id": self.id,
            "start": self.start.to_value(),
            "keep": self.keep,
            "actions": self.actions,
            "line": self.line,
        })
        .to_string()
    }

    pub fn from_json(text: &str) -> Option<Request> {
        let value: Value = serde_json::from_str(text).ok()?;
        Some(Request {
            id: value.get("id")?.as_u64()?,
            start: Start::from_value(value.get("start")?)?,
            keep: usize::try_from(value.get("keep")?.as_u64()?).ok()?,
            actions: value
                .get("actions")?
                .as_array()?
                .iter()
                .map(|a| Action::from_value(a).ok())
                .collect::<Option<Vec<_>>>()?,
            line: match value.get("line")? {
                Value::Null => None,
                line => Some(line.as_str()?.to_string()),
            },
        })
    }
}

/// What the worker said.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    Ready,
    Done { id: u64, ms: f64 },
    Stale { id: u64 },
    Crashed { id: u64, why: String },
}

impl Reply {
    pub fn to_json(&self) -> String {
        match self {
            Reply::Ready => json!({ "ready": true }),
            Reply::Done { id, ms } => json!({ "id": id, "done": ms }),
            Reply::Stale { id } => json!({ "id": id, "stale": true }),
            Reply::Crashed { id, why } => json!({ "id": id, "crashed": why }),
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
            });
        }
        if value.get("stale").is_some() {
            return Some(Reply::Stale { id });
        }
        Some(Reply::Crashed {
            id,
            why: value.get("crashed")?.as_str()?.to_string(),
        })
    }
}

/// The worker's copy of the page's timeline, brought to each request's session by keeping the
/// steps the page says still hold and applying only the actions it sends.
#[derive(Default)]
pub struct Replica {
    at: Option<(Start, Timeline)>,
}

impl Replica {
    /// Brings the copy to the request's session and runs its line there; false (and nothing
    /// run) when the copy lacks steps the request keeps.
    pub fn run(&mut self, request: &Request) -> bool {
        let fresh = !matches!(&self.at, Some((start, _)) if *start == request.start);
        if fresh {
            let timeline = Timeline::from_session(request.start.session());
            self.at = Some((request.start.clone(), timeline));
        }
        let Some((_, timeline)) = self.at.as_mut() else {
            return false;
        };
        if request.keep > timeline.steps().len() {
            return false;
        }
        timeline.seek(request.keep.checked_sub(1));
        for action in &request.actions {
            timeline.apply(action.clone());
        }
        if let Some(line) = &request.line {
            timeline.apply(Action::Line { line: line.clone() });
        }
        true
    }
}

thread_local! {
    /// The request being run, for the panic hook.
    static RUNNING: Cell<u64> = const { Cell::new(0) };
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
            let reply = if REPLICA.with_borrow_mut(|replica| replica.run(&request)) {
                Reply::Done {
                    id: request.id,
                    ms: js_sys::Date::now() - began,
                }
            } else {
                Reply::Stale { id: request.id }
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
            line: Some("echo hi".into()),
        };
        assert_eq!(
            Request::from_json(&request.to_json()),
            Some(request.clone())
        );
        let prime = Request {
            line: None,
            ..request
        };
        assert_eq!(Request::from_json(&prime.to_json()), Some(prime));
        for reply in [
            Reply::Ready,
            Reply::Done { id: 4, ms: 12.5 },
            Reply::Stale { id: 6 },
            Reply::Crashed {
                id: 5,
                why: "boom".into(),
            },
        ] {
            assert_eq!(Reply::from_json(&reply.to_json()), Some(reply));
        }
        assert_eq!(Request::from_json("{\"id\": -1}"), None);
    }

    #[test]
    fn the_replica_follows_the_pages_timeline_and_its_undo() {
        let mut replica = Replica::default();
        let request = |keep: usize, actions: Vec<Action>, line: &str| Request {
            id: 1,
            start: Start::Fresh,
            keep,
            actions,
            line: Some(line.into()),
        };
        assert!(replica.run(&request(0, vec![], "docker volume create va")));
        // The page applied the line too; the worker keeps nothing of its own run of it.
        assert!(replica.run(&request(
            0,
            vec![line("docker volume create va")],
            "docker volume create vb",
        )));
        let session = |r: &Replica| r.at.as_ref().expect("ran").1.current().clone();
        assert!(session(&replica).world().volumes().get("vb").is_ok());
        // Only the new step is sent: the first one is kept.
        assert!(replica.run(&request(
            1,
            vec![line("docker volume create vb")],
            "docker volume create vd",
        )));
        let now = session(&replica);
        assert!(now.world().volumes().get("vb").is_ok());
        assert!(now.world().volumes().get("vd").is_ok());
        // The page undid both lines and typed another.
        assert!(replica.run(&request(0, vec![], "docker volume create vc")));
        let now = session(&replica);
        assert!(now.world().volumes().get("va").is_err());
        assert!(now.world().volumes().get("vc").is_ok());
        // A copy that lacks what the page thinks it holds says so and runs nothing.
        assert!(!replica.run(&request(5, vec![], "docker volume create ve")));
    }
}
