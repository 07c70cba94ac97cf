//! The page's state: the timeline (and a lesson's progress beside it) behind shared cells, and
//! the messages that change them.
//!
//! The page keeps [`Shared`] in a reducer and hands its handle to the panels as a context
//! (`context.rs`); its equality is its revision, so a command costs one re-render of what reads
//! it and no copying of sessions.

use std::cell::RefCell;
use std::rc::Rc;

use layerbox_lessons::LessonEvent;
use yew::Reducible;

use crate::lesson_track::LessonTrack;
use crate::timeline::{Action, Ran, Timeline};
use crate::worker::Start;

/// The timeline, shared by every component; `rev` changes whenever it does.
#[derive(Clone)]
pub struct Shared {
    pub timeline: Rc<RefCell<Timeline>>,
    /// How the timeline's first session was made (the worker makes the same one).
    pub start: Rc<RefCell<Start>>,
    /// The lesson being taken, if any.
    pub lesson: Option<Rc<RefCell<LessonTrack>>>,
    /// What the last message did to the lesson's progress (for the page and the embedder).
    pub events: Rc<Vec<LessonEvent>>,
    /// The last message was refused: the session is as large as a session file may be.
    pub full: bool,
    /// A session file is being replayed to replace the timeline (`Runner::restore`), or the
    /// worker is making the start session: the page saves nothing until it has.
    pub restoring: bool,
    pub rev: u64,
}

impl PartialEq for Shared {
    fn eq(&self, other: &Shared) -> bool {
        self.rev == other.rev && Rc::ptr_eq(&self.timeline, &other.timeline)
    }
}

/// What can happen to the timeline.
pub enum Msg {
    Apply(Action),
    /// Several actions in a row ("show me", a multi-line paste).
    ApplyAll(Vec<Action>),
    /// Steps the page's Web Worker ran, put together on the page (`runner.rs`): added as
    /// `Apply` would have added them, without running anything, with the lesson's progress
    /// the worker made for them.
    Ran(Vec<(Action, Ran, Taken)>),
    Undo,
    Redo,
    /// Show the state after step N (`None`: the start).
    Seek(Option<usize>),
    /// Start over from `start`: the playground's fresh host, or a lesson's step (its first for
    /// "start over", any for "go to step"). The page puts its own fresh host in its place and
    /// the lesson's progress at that step; a start that runs lines (a lesson's setup, the
    /// solutions before the step) is made by the worker, which then replaces the timeline
    /// (`Runner::begin`), and the page saves nothing meanwhile.
    Begin(Start),
    /// Replace the timeline (import, share link, restore), with the lesson's progress the
    /// worker made for each of its steps (in a lesson, whose start it keeps).
    Replace(Box<Timeline>, Vec<Taken>),
    /// A session file is being replayed to replace the timeline (`true`), or its replay failed
    /// and the timeline stays (`false`).
    Restoring(bool),
    /// Ask for the current step's next hint.
    Hint,
    /// Back to the state the current lesson step began in ("start this step over"): the
    /// timeline's cursor moves there, so redo brings the learner's tries back.
    StepOver,
}

/// In a lesson, where a step the worker ran took the learner and what happened on the way.
pub type Taken = Option<(layerbox_lessons::Progress, Vec<LessonEvent>)>;

/// Whole seconds of real time since the last action, at most [`layerbox_session::MAX_WAIT`]
/// (the browser's clock; the session only ever sees the recorded number). 0 natively.
fn real_wait() -> u64 {
    #[cfg(target_arch = "wasm32")]
    {
        thread_local! {
            static LAST: std::cell::Cell<Option<f64>> = const { std::cell::Cell::new(None) };
        }
        let now = js_sys::Date::now();
        let last = LAST.with(|l| l.replace(Some(now)));
        let seconds = last.map_or(0.0, |last| ((now - last) / 1000.0).floor());
        (seconds.max(0.0) as u64).min(layerbox_session::MAX_WAIT)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0
    }
}

/// The real time the learner waited since the last action, as a step of its own before the
/// next one, when a container runs (time passes in the session too).
pub fn wait_before(t: &Timeline) -> Option<Action> {
    let waited = real_wait();
    let running = t
        .current()
        .world()
        .containers()
        .values()
        .any(|c| c.state.status == layerbox_engine::container::Status::Running);
    (waited > 0 && running).then_some(Action::Wait { seconds: waited })
}

impl Reducible for Shared {
    type Action = Msg;

    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        let mut events = Vec::new();
        let mut full = false;
        let mut restoring = self.restoring;
        {
            let mut t = self.timeline.borrow_mut();
            // Borrowed only for the length of one call: a second borrow would be a panic.
            let lesson = self.lesson.as_deref();
            // Runs `action` here, or adds the step the worker ran for it.
            let mut apply = |t: &mut Timeline,
                             action: Action,
                             ran: Option<(Ran, Taken)>,
                             events: &mut Vec<LessonEvent>| {
                if full || !t.has_room_for(&action) {
                    full = true;
                    return;
                }
                let before = t.cursor();
                let (step, taken) = match (ran, action) {
                    (Some((ran, taken)), action) => (t.push(action, ran), taken),
                    (None, Action::Interrupt { typed }) => (t.interrupt(typed), None),
                    (None, action) => match crate::direct::apply(t, action) {
                        Some(step) => (step, None),
                        // A page without the engine runs nothing itself.
                        None => return,
                    },
                };
                if let Some(track) = lesson {
                    let mut track = track.borrow_mut();
                    match taken {
                        Some((progress, taken)) => {
                            track.took(before, progress);
                            events.extend(taken);
                        }
                        // Ctrl-C tries nothing (`lesson_track::progress`).
                        None if matches!(step.action, Action::Interrupt { .. }) => {
                            track.interrupted(before);
                        }
                        // A step the page ran itself.
                        None => {
                            events.extend(crate::direct::lesson_progress(&mut track, before, step))
                        }
                    }
                }
            };
            // Ctrl-C waits for nothing: the time passes before the next action instead.
            let waits = match &msg {
                Msg::Apply(action) => !matches!(action, Action::Interrupt { .. }),
                Msg::ApplyAll(_) => true,
                _ => false,
            };
            if waits {
                if let Some(wait) = wait_before(&t) {
                    apply(&mut t, wait, None, &mut events);
                }
            }
            match msg {
                Msg::Apply(action) => apply(&mut t, action, None, &mut events),
                Msg::ApplyAll(actions) => {
                    for action in actions {
                        apply(&mut t, action, None, &mut events);
                    }
                }
                Msg::Ran(steps) => {
                    for (action, ran, taken) in steps {
                        apply(&mut t, action, Some((ran, taken)), &mut events);
                    }
                }
                Msg::Undo => t.undo(),
                Msg::Redo => t.redo(),
                Msg::Seek(at) => t.seek(at),
                Msg::StepOver => {
                    if let Some(l) = lesson {
                        let start = l.borrow().step_start(t.cursor());
                        t.seek(start.checked_sub(1));
                    }
                }
                Msg::Begin(start) => {
                    *t = Timeline::new();
                    if let (Some(l), Some(run)) = (lesson, start.lesson_run()) {
                        *l.borrow_mut() = LessonTrack::from_run(run);
                    }
                    restoring = !start.runs_nothing();
                    *self.start.borrow_mut() = start;
                }
                Msg::Replace(timeline, taken) => {
                    *t = *timeline;
                    match lesson {
                        // The lesson's start stays; its progress is made again for each step.
                        Some(l) => {
                            let mut track = l.borrow_mut();
                            track.restart();
                            for (before, (step, taken)) in t.steps().iter().zip(taken).enumerate() {
                                match taken {
                                    Some((progress, _)) => track.took(before, progress),
                                    None if matches!(step.action, Action::Interrupt { .. }) => {
                                        track.interrupted(before)
                                    }
                                    None => {
                                        crate::direct::lesson_progress(&mut track, before, step);
                                    }
                                }
                            }
                        }
                        None => *self.start.borrow_mut() = Start::Fresh,
                    }
                    restoring = false;
                }
                Msg::Restoring(now) => restoring = now,
                Msg::Hint => {
                    if let Some(l) = lesson {
                        let hint = l.borrow_mut().request_hint(t.cursor());
                        events.extend(hint);
                    }
                }
            }
        }
        Rc::new(Shared {
            timeline: self.timeline.clone(),
            start: self.start.clone(),
            lesson: self.lesson.clone(),
            events: Rc::new(events),
            full,
            restoring,
            rev: self.rev + 1,
        })
    }
}

impl Shared {
    pub fn new(timeline: Timeline) -> Shared {
        Shared {
            timeline: Rc::new(RefCell::new(timeline)),
            start: Rc::default(),
            lesson: None,
            events: Rc::new(Vec::new()),
            full: false,
            restoring: false,
            rev: 0,
        }
    }

    /// A timeline for taking `lesson` from step `step` (`None`: the first), the page's fresh
    /// host in place of its start until the worker sends it (`Runner::restore`), when its
    /// start runs lines (`restoring`).
    pub fn for_lesson(lesson: &layerbox_lessons::Lesson, step: Option<usize>) -> Shared {
        let start = Start::Lesson {
            id: lesson.id.clone(),
            step,
        };
        let track = start.lesson_run().map(LessonTrack::from_run);
        Shared {
            timeline: Rc::new(RefCell::new(Timeline::new())),
            restoring: !start.runs_nothing(),
            start: Rc::new(RefCell::new(start)),
            lesson: track.map(|t| Rc::new(RefCell::new(t))),
            events: Rc::new(Vec::new()),
            full: false,
            rev: 0,
        }
    }

    /// Where "start over" begins: the lesson's first step, or the playground's fresh host.
    pub fn start_over(&self) -> Start {
        match &*self.start.borrow() {
            Start::Lesson { id, .. } => Start::Lesson {
                id: id.clone(),
                step: Some(0),
            },
            Start::Fresh => Start::Fresh,
        }
    }

    /// The lesson step the timeline's first session starts at (`None`: the first).
    pub fn start_step(&self) -> Option<usize> {
        match &*self.start.borrow() {
            Start::Lesson { step, .. } => *step,
            Start::Fresh => None,
        }
    }

    pub fn file(&self) -> crate::timeline::SessionFile {
        self.timeline.borrow().file()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(l: &str) -> Action {
        Action::Line { line: l.into() }
    }

    /// A kept lesson (`course_progress.rs`) is its start and its session file: replayed, as
    /// `Runner::restore` does without a worker, it is where the learner left it.
    #[test]
    fn a_kept_lesson_resumes_at_the_step_reached_with_its_session() {
        let lesson = layerbox_lessons::lesson("named-volumes").expect("lesson");
        let shared = Rc::new(Shared::for_lesson(&lesson, None));
        // Its setup runs lines: the worker (here the page itself) makes its start.
        assert!(shared.restoring);
        let start = shared.start.borrow().clone();
        let made = |shared: &Rc<Shared>, file: &crate::timeline::SessionFile| {
            let run = shared.lesson.as_ref().map(|l| l.borrow().at(0).clone());
            crate::direct::restore(&start, run, file).expect("the engine runs here")
        };
        let (timeline, taken) = made(&shared, &crate::timeline::SessionFile::empty());
        let shared = shared.reduce(Msg::Replace(Box::new(timeline), taken));
        assert!(!shared.restoring);
        let shared = shared.reduce(Msg::ApplyAll(vec![
            line("docker run -d --name f1 alpine sleep 3600"),
            line("docker ps"),
        ]));
        let file = shared.file();
        assert_eq!(file.actions.len(), 2);
        let resumed = Rc::new(Shared::for_lesson(&lesson, None));
        let (timeline, taken) = made(&resumed, &file);
        let resumed = resumed.reduce(Msg::Replace(Box::new(timeline), taken));
        assert_eq!(*resumed.start.borrow(), start);
        let t = resumed.timeline.borrow();
        assert_eq!(t.cursor(), 2);
        let track = resumed.lesson.as_ref().expect("a lesson").borrow();
        let want = shared.lesson.as_ref().expect("a lesson").borrow();
        assert_eq!(track.progress_at(2), want.progress_at(2));
        let world = t.current().world();
        assert!(world.containers().values().any(|c| c.name == "f1"));
        // The setup's image is there: the start is the lesson's, not a fresh host.
        assert!(world.images().find("diamol/ch06-todo-list:v2").is_some());
        // The terminal's session comes back too: the lines and what they printed.
        assert_eq!(t.applied().len(), 2);
    }

    /// "Go to step" puts the page's fresh host in place and the lesson at the step, and asks
    /// for the start only when it runs lines.
    #[test]
    fn going_to_a_step_begins_there() {
        let lesson = layerbox_lessons::lesson("writable-layer").expect("lesson");
        let shared = Rc::new(Shared::for_lesson(&lesson, None));
        // Its first step starts on a fresh host: nothing to wait for.
        assert!(!shared.restoring);
        let shared = shared.reduce(Msg::ApplyAll(vec![line("docker volume create v")]));
        let at = Start::Lesson {
            id: lesson.id.clone(),
            step: Some(1),
        };
        let shared = shared.reduce(Msg::Begin(at.clone()));
        assert!(shared.restoring);
        assert_eq!(shared.start_step(), Some(1));
        let track = shared.lesson.as_ref().expect("a lesson").borrow();
        assert_eq!(track.at(0).step_index(), 1);
        let t = shared.timeline.borrow();
        assert!(t.steps().is_empty());
        assert!(t.current().world().volumes().get("v").is_err());
    }
}
