//! The engine's side of the page's Web Worker: it keeps a copy of the page's timeline and runs
//! each typed line there first, so a line that loops, takes long or crashes never touches the
//! page's thread (`runner.rs` is the page's side).
//!
//! The worker runs the same wasm module as the page (`web/worker.js` imports `layerbox-ui.js`),
//! so the site ships one module, not two. Messages are JSON text:
//! - page to worker: `{"id": 7, "start": null | {"lesson": ID, "step": null | N},
//!   "actions": [...], "line": "ls"}`: the session to run in (how it started and the actions
//!   applied since, as the session file writes them) and the line;
//! - worker to page: `{"ready": true}` once listening, `{"id": 7, "done": MS}` when the line
//!   ended, `{"id": 7, "crashed": "why"}` from the panic hook when it crashed the engine.

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

/// A request to run `line` after `actions` from `start`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub id: u64,
    pub start: Start,
    pub actions: Vec<Action>,
    pub line: String,
}

impl Request {
    pub fn to_json(&self) -> String {
        json!({
            "id": self.id,
            "start": self.start.to_value(),
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
            actions: value
                .get("actions")?
                .as_array()?
                .iter()
                .map(|a| Action::from_value(a).ok())
                .collect::<Option<Vec<_>>>()?,
            line: value.get("line")?.as_str()?.to_string(),
        })
    }
}

/// What the worker said.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    Ready,
    Done { id: u64, ms: f64 },
    Crashed { id: u64, why: String },
}

impl Reply {
    pub fn to_json(&self) -> String {
        match self {
            Reply::Ready => json!({ "ready": true }),
            Reply::Done { id, ms } => json!({ "id": id, "done": ms }),
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
        Some(Reply::Crashed {
            id,
            why: value.get("crashed")?.as_str()?.to_string(),
        })
    }
}

/// The worker's copy of the page's timeline, brought to each request's session by replaying
/// only the actions it does not share with the last one.
#[derive(Default)]
pub struct Replica {
    at: Option<(Start, Timeline)>,
}

impl Replica {
    /// Runs the request's line in its session.
    pub fn run(&mut self, request: &Request) {
        let fresh = !matches!(&self.at, Some((start, _)) if *start == request.start);
        if fresh {
            let timeline = Timeline::from_session(request.start.session());
            self.at = Some((request.start.clone(), timeline));
        }
        let Some((_, timeline)) = self.at.as_mut() else {
            return;
        };
        let shared = timeline
            .steps()
            .iter()
            .zip(&request.actions)
            .take_while(|(step, action)| step.action == **action)
            .count();
        timeline.seek(shared.checked_sub(1));
        for action in &request.actions[shared..] {
            timeline.apply(action.clone());
        }
        timeline.apply(Action::Line {
            line: request.line.clone(),
        });
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
            REPLICA.with_borrow_mut(|replica| replica.run(&request));
            let reply = Reply::Done {
                id: request.id,
                ms: js_sys::Date::now() - began,
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
            actions: vec![line("ls"), Action::EndOfInput],
            line: "echo hi".into(),
        };
        assert_eq!(Request::from_json(&request.to_json()), Some(request));
        for reply in [
            Reply::Ready,
            Reply::Done { id: 4, ms: 12.5 },
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
        let request = |actions: Vec<Action>, line: &str| Request {
            id: 1,
            start: Start::Fresh,
            actions,
            line: line.into(),
        };
        replica.run(&request(vec![], "docker volume create va"));
        replica.run(&request(
            vec![line("docker volume create va")],
            "docker volume create vb",
        ));
        let session = |r: &Replica| r.at.as_ref().expect("ran").1.current().clone();
        assert!(session(&replica).world().volumes().get("vb").is_ok());
        // The page undid both lines and typed another.
        replica.run(&request(vec![], "docker volume create vc"));
        let now = session(&replica);
        assert!(now.world().volumes().get("va").is_err());
        assert!(now.world().volumes().get("vc").is_ok());
    }
}
