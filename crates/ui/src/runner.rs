//! The page's side of the worker (`worker.rs`): typed lines and the panels' actions wait here
//! in order, each runs in the worker only, and the step it made is put together on the page
//! from what the worker sends back (the output and the world's changed parts), never by
//! running it again.
//!
//! So the page's thread never runs a line: while the worker works the page answers, a line that
//! takes longer than half a second says so with a Stop button, Ctrl-C or Stop ends the worker
//! (a `^C` step, the session as before the line) and a new one takes its place, and a line that
//! crashed the worker's engine is reported and never applied or saved. A lesson's start that
//! runs lines (its setup, the solutions before the step it goes to) and "show me"'s tries of
//! the solution are made there too. A page without the worker (tests, or a browser that cannot
//! start it) applies actions directly (`direct.rs`), when it was built with the engine.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use layerbox_engine::snapshot::parts::LayerCache;
use layerbox_lessons::ShowMe;

use crate::model::{Msg, Shared, Taken};
use crate::timeline::{Action, Ran, SessionFile, Timeline};
use crate::worker::{Answer, Reply, Request, Start, StepSent};

mod restore;
use restore::{
    fetched, plan_here, restore_crashed, restore_here, restored, restoring, run_here, send_restore,
};

/// When the page's worker starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkerStart {
    /// No worker: lines run on the page (tests).
    Never,
    /// With the page (the playground).
    Now,
    /// When the terminal is first focused or a line is typed (the widget).
    OnFirstUse,
}

/// After this long a running line shows that it runs.
const SLOW_MS: i32 = 500;

/// What the terminal shows of the runner.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Status {
    /// The line being run (the terminal echoes it at the prompt until it ends).
    pub running: Option<String>,
    /// The line being run, once it has run for [`SLOW_MS`].
    pub slow: Option<String>,
    /// A line that crashed the engine, and why.
    pub crashed: Option<(String, String)>,
    /// A session file is being replayed in the worker (the steps it has): what is typed
    /// meanwhile runs after it.
    pub restoring: Option<usize>,
    /// The worker is making a lesson's start (its setup, the solutions before its step).
    pub preparing: bool,
}

/// The page's runner, shared by the terminal; equal while its status is.
#[derive(Clone)]
pub struct Runner {
    inner: Rc<RefCell<Inner>>,
    pub status: Status,
}

impl PartialEq for Runner {
    fn eq(&self, other: &Runner) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner) && self.status == other.status
    }
}

/// What waits for the worker: actions to run, or "show me"'s question.
enum Job {
    Run(Vec<Action>),
    /// What "show me" would play from the session at the cursor, told to the callback.
    Plan(Callback<ShowMe>),
}

struct Running {
    id: u64,
    actions: Vec<Action>,
    /// "show me"'s question, when that is what runs (`actions` is then empty).
    plan: Option<Callback<ShowMe>>,
    /// The timeline's (start, cursor, steps) when it was sent: a result for another is dropped.
    base: (Start, usize, usize),
}

/// A session file to replay in the worker, for the page to build its timeline from.
struct Restore {
    /// The request's id once it was sent.
    id: Option<u64>,
    /// A lesson's start being fetched from the site (`lesson_starts.rs`), this fetch's number:
    /// nothing is sent to the worker meanwhile.
    fetching: Option<u64>,
    file: SessionFile,
    /// Why it is replayed.
    from: Restoring,
}

/// Why a session file is replayed, which says what a crash of its replay does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Restoring {
    /// The saved session, as the page opens: the crash notice, with a reload that keeps only
    /// the steps before the one that crashed; the page saves nothing.
    Saved,
    /// A share link, as the page opens: the crash notice; a reload opens the saved session.
    Visit,
    /// An import, the saved session after a visit, a lesson's "start over" or "go to step":
    /// reported as a crashed line, and the page's session stays as it was.
    Later,
    /// A lesson's start and its kept session, as the page opens: the crash notice, with a
    /// reload.
    Lesson,
}

struct Inner {
    worker: Option<web_sys::Worker>,
    /// The worker starts on first use (a widget, which may never be typed into, holds no second
    /// engine until then).
    lazy: bool,
    /// The worker was started only to make a lesson's start (a widget not yet used): once the
    /// page has it, the worker ends, and the next use starts another.
    end_when_restored: bool,
    ready: bool,
    /// Actions waiting, in groups run together (a line after the wait before it, "show me"),
    /// and "show me"'s questions.
    queue: VecDeque<Job>,
    running: Option<Running>,
    restore: Option<Restore>,
    next_id: u64,
    timeline: Rc<RefCell<Timeline>>,
    start: Rc<RefCell<Start>>,
    lesson: Option<Rc<RefCell<crate::lesson_track::LessonTrack>>>,
    dispatch: UseReducerDispatcher<Shared>,
    /// The start and the page's step ids the worker's copy of the timeline holds, so a request
    /// sends only the steps it lacks.
    mirrored: Option<(Start, Vec<u64>)>,
    /// The layers this worker sent.
    layers: LayerCache,
    status: Status,
    on_status: Callback<Status>,
    /// The worker's handlers, kept as long as it is.
    handlers: Vec<Closure<dyn Fn(JsValue)>>,
}

impl Runner {
    /// A runner for the page's timeline; `on_status` re-renders the page when its status changes.
    pub fn new(
        shared: &UseReducerHandle<Shared>,
        on_status: Callback<Status>,
        start: WorkerStart,
    ) -> Runner {
        let inner = Rc::new(RefCell::new(Inner {
            worker: None,
            lazy: start == WorkerStart::OnFirstUse,
            end_when_restored: false,
            ready: false,
            queue: VecDeque::new(),
            running: None,
            restore: None,
            next_id: 1,
            timeline: shared.timeline.clone(),
            start: shared.start.clone(),
            lesson: shared.lesson.clone(),
            dispatch: shared.dispatcher(),
            mirrored: None,
            layers: LayerCache::default(),
            status: Status::default(),
            on_status,
            handlers: Vec::new(),
        }));
        if start == WorkerStart::Now {
            spawn(&inner);
        }
        Runner {
            inner,
            status: Status::default(),
        }
    }

    /// The same runner showing `status`.
    pub fn with_status(&self, status: Status) -> Runner {
        Runner {
            inner: self.inner.clone(),
            status,
        }
    }

    /// Starts the worker if it starts on first use and has not yet (the terminal has the focus:
    /// a line may come).
    pub fn warm(&self) {
        let lazy = {
            let mut inner = self.inner.borrow_mut();
            // A use: the worker stays.
            inner.end_when_restored = false;
            std::mem::take(&mut inner.lazy)
        };
        if lazy {
            spawn(&self.inner);
        }
    }

    /// Runs a typed line: in the worker when there is one, else directly.
    pub fn submit(&self, line: String) {
        self.submit_all(vec![Action::Line { line }]);
    }

    /// Runs actions in turn (a panel's edit or visit, "show me"): in the worker when there is
    /// one, else directly.
    pub fn submit_all(&self, actions: Vec<Action>) {
        self.warm();
        let direct = {
            let mut inner = self.inner.borrow_mut();
            inner.status.crashed = None;
            inner.worker.is_none()
        };
        if direct {
            run_here(&self.inner, actions);
        } else {
            let mut group = Vec::new();
            {
                let inner = self.inner.borrow();
                group.extend(crate::model::wait_before(&inner.timeline.borrow()));
            }
            group.extend(actions);
            self.inner.borrow_mut().queue.push_back(Job::Run(group));
            pump(&self.inner);
        }
        emit(&self.inner);
    }

    /// Finds what "show me" would play from the session at the cursor (tried in the worker,
    /// after what waits for it) and tells `then`; nothing when it could not be found.
    pub fn show_me(&self, then: Callback<ShowMe>) {
        self.warm();
        let direct = self.inner.borrow().worker.is_none();
        if direct {
            plan_here(&self.inner, then);
            return;
        }
        self.inner.borrow_mut().queue.push_back(Job::Plan(then));
        pump(&self.inner);
    }

    /// Starts over from `start` (the playground's fresh host, or a lesson's step): the page's
    /// own fresh host at once, and a start that runs lines made in the worker, which the
    /// page's timeline waits for as for a restore (what is typed meanwhile runs after).
    pub fn begin(&self, start: Start) {
        let runs_nothing = start.runs_nothing();
        let dispatch = {
            let mut inner = self.inner.borrow_mut();
            // Typed for the session that ends here.
            inner.queue.clear();
            inner.restore = None;
            inner.status.restoring = None;
            inner.status.preparing = false;
            inner.dispatch.clone()
        };
        dispatch.dispatch(Msg::Begin(start));
        if !runs_nothing {
            // Its setup alone may be fetched (`restore`); any other step the worker makes.
            self.restore(SessionFile::empty(), Restoring::Later);
        }
        emit(&self.inner);
    }

    /// Whether a line is being run or waits, or a session is being restored.
    pub fn busy(&self) -> bool {
        let inner = self.inner.borrow();
        inner.running.is_some() || !inner.queue.is_empty() || inner.restore.is_some()
    }

    /// Replaces the page's timeline with `file`'s session, replayed from the page's start: in
    /// the worker when there is one (the page builds its timeline from the steps it sends
    /// back, and what is typed meanwhile runs after), else directly.
    pub fn restore(&self, file: SessionFile, from: Restoring) {
        let (worker, lazy) = {
            let inner = self.inner.borrow();
            (inner.worker.is_some() || inner.lazy, inner.lazy)
        };
        if worker && file.actions.is_empty() {
            if let Some(id) = self.fetchable_start() {
                return self.fetch_start(id, from);
            }
        }
        // A widget's worker starts on first use; a session to restore is a use, and a lesson's
        // start to make is one only for as long as it takes.
        self.warm();
        self.inner.borrow_mut().end_when_restored = lazy && file.actions.is_empty();
        let direct = self.inner.borrow().worker.is_none();
        if direct {
            restore_here(&self.inner, &file);
            return;
        }
        let dispatch = self.inner.borrow().dispatch.clone();
        // Nothing is saved until the replayed session replaces the page's.
        dispatch.dispatch(Msg::Restoring(true));
        {
            let mut inner = self.inner.borrow_mut();
            let start = inner.start.borrow().clone();
            inner.status.preparing = file.actions.is_empty() && !start.runs_nothing();
            if !inner.status.preparing {
                inner.status.restoring = Some(file.actions.len());
            }
            inner.restore = Some(Restore {
                id: None,
                fetching: None,
                file,
                from,
            });
        }
        pump(&self.inner);
        emit(&self.inner);
    }

    /// The lesson whose start (its setup alone) the page may fetch from the site.
    fn fetchable_start(&self) -> Option<String> {
        let inner = self.inner.borrow();
        let start = inner.start.borrow();
        match &*start {
            Start::Lesson {
                id,
                step: None | Some(0),
            } if !start.runs_nothing() => Some(id.clone()),
            _ => None,
        }
    }

    /// Opens a lesson at its start, which its setup makes: fetched from the site, made when
    /// it was built (`lesson_starts.rs`), so no worker starts for it; if that file cannot be
    /// had, the worker makes it (and a widget's then ends). The page shows its fresh host,
    /// says it prepares and saves nothing meanwhile; what is typed meanwhile runs after.
    fn fetch_start(&self, id: String, from: Restoring) {
        let dispatch = self.inner.borrow().dispatch.clone();
        dispatch.dispatch(Msg::Restoring(true));
        let token = {
            let mut inner = self.inner.borrow_mut();
            let token = inner.next_id;
            inner.next_id += 1;
            inner.status.preparing = true;
            inner.restore = Some(Restore {
                id: None,
                fetching: Some(token),
                file: SessionFile::empty(),
                from,
            });
            token
        };
        emit(&self.inner);
        let weak = Rc::downgrade(&self.inner);
        let runner = self.clone();
        crate::lesson_starts::fetch(id, move |sent| {
            let Some(inner) = weak.upgrade() else {
                return;
            };
            let current = inner
                .borrow()
                .restore
                .as_ref()
                .is_some_and(|r| r.fetching == Some(token));
            if !current {
                return;
            }
            match sent.map(|sent| fetched(&inner, &sent)) {
                Some(Ok(())) => {}
                // The worker makes it.
                _ => {
                    if let Some(r) = inner.borrow_mut().restore.as_mut() {
                        r.fetching = None;
                    }
                    let lazy = inner.borrow().lazy;
                    runner.warm();
                    inner.borrow_mut().end_when_restored = lazy;
                }
            }
            pump(&inner);
            emit(&inner);
        });
    }

    /// Ctrl-C or Stop while a line runs: the worker is ended and the line becomes a `^C` step.
    /// Returns false when nothing was running.
    pub fn interrupt(&self) -> bool {
        if self.inner.borrow().restore.is_some() {
            // Nothing of the learner's runs yet; the restore goes on.
            return true;
        }
        let actions = {
            let mut inner = self.inner.borrow_mut();
            let actions = match inner.running.take() {
                Some(running) => Some(running.actions),
                // Typed before the worker was ready: it has not started, Ctrl-C drops it.
                None => match inner.queue.pop_front() {
                    Some(Job::Run(actions)) => Some(actions),
                    Some(Job::Plan(_)) => Some(Vec::new()),
                    None => None,
                },
            };
            inner.queue.clear();
            actions
        };
        let Some(actions) = actions else {
            return false;
        };
        if actions.is_empty() {
            // "show me"'s question: nothing ran, nothing to record.
            restart(&self.inner);
            emit(&self.inner);
            return true;
        }
        let line = typed(&actions).unwrap_or_default();
        restart(&self.inner);
        let dispatch = self.inner.borrow().dispatch.clone();
        dispatch.dispatch(Msg::Apply(Action::Interrupt { typed: line }));
        {
            let mut inner = self.inner.borrow_mut();
            inner.status.slow = None;
            inner.status.running = None;
        }
        emit(&self.inner);
        true
    }
}

/// Tells the page the status changed.
fn emit(inner: &Rc<RefCell<Inner>>) {
    let (status, on_status) = {
        let i = inner.borrow();
        (i.status.clone(), i.on_status.clone())
    };
    on_status.emit(status);
}

/// The worker's address: `worker.js` beside the page, told the bundle's hashed files that the
/// page's `layerbox-bundle` data block names (`web/boot.js` reads the same block).
fn worker_url() -> Option<String> {
    let text = web_sys::window()?
        .document()?
        .get_element_by_id("layerbox-bundle")?
        .text_content()?;
    let bundle: serde_json::Value = serde_json::from_str(&text).ok()?;
    let params = web_sys::UrlSearchParams::new().ok()?;
    params.append("js", bundle.get("js")?.as_str()?);
    params.append("wasm", bundle.get("wasm")?.as_str()?);
    // texts.rs: the texts loaded after the terminal is usable, for the worker to load too.
    crate::texts::pass_to_worker(&params);
    Some(format!("./worker.js?{}", String::from(params.to_string())))
}

/// Starts a worker on the page's own module (`worker.js` beside the page).
fn spawn(inner: &Rc<RefCell<Inner>>) {
    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Module);
    let url = worker_url().unwrap_or_else(|| "./worker.js".into());
    let Ok(worker) = web_sys::Worker::new_with_options(&url, &options) else {
        return;
    };
    let weak = Rc::downgrade(inner);
    let onmessage = Closure::<dyn Fn(JsValue)>::new(move |e: JsValue| {
        let Some(inner) = weak.upgrade() else {
            return;
        };
        let data = e.dyn_ref::<web_sys::MessageEvent>().map(|e| e.data());
        if let Some(reply) = data.and_then(|d| crate::worker::read_reply(&d)) {
            answered(&inner, reply);
        }
    });
    let weak = Rc::downgrade(inner);
    let onerror = Closure::<dyn Fn(JsValue)>::new(move |e: JsValue| {
        let Some(inner) = weak.upgrade() else {
            return;
        };
        let why = e
            .dyn_ref::<web_sys::ErrorEvent>()
            .map(|e| e.message())
            .unwrap_or_default();
        failed(&inner, why);
    });
    worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
    let mut i = inner.borrow_mut();
    i.worker = Some(worker);
    i.ready = false;
    // A new worker holds no copy yet, and has sent no layers.
    i.mirrored = None;
    i.layers = LayerCache::default();
    i.handlers = vec![onmessage, onerror];
}

/// Ends the worker and starts another (its copy of the timeline is rebuilt on the next line).
fn restart(inner: &Rc<RefCell<Inner>>) {
    end_worker(inner);
    spawn(inner);
}

/// Ends the worker, if there is one.
fn end_worker(inner: &Rc<RefCell<Inner>>) {
    let mut i = inner.borrow_mut();
    if let Some(worker) = i.worker.take() {
        // Its events, if any are still on their way, go nowhere (their handlers are dropped).
        worker.set_onmessage(None);
        worker.set_onerror(None);
        worker.terminate();
    }
    i.handlers.clear();
    i.ready = false;
    i.mirrored = None;
}

/// The worker could not start or died outside a line: without a worker lines run directly.
fn failed(inner: &Rc<RefCell<Inner>>, why: String) {
    let (was_ready, running) = {
        let mut i = inner.borrow_mut();
        (i.ready, i.running.take())
    };
    let sent_restore = inner
        .borrow()
        .restore
        .as_ref()
        .is_some_and(|r| r.id.is_some());
    if sent_restore {
        // The worker died replaying: as if it crashed at the step it was at (unknown here).
        restore_crashed(inner, 0, why);
        emit(inner);
        return;
    }
    match running {
        Some(running) => crashed(inner, typed(&running.actions).unwrap_or_default(), why),
        None if !was_ready => {
            // Never started (no worker.js, or no module workers): run lines on the page.
            let (worker, queue, dispatch) = {
                let mut i = inner.borrow_mut();
                (
                    i.worker.take(),
                    std::mem::take(&mut i.queue),
                    i.dispatch.clone(),
                )
            };
            if let Some(w) = worker {
                w.terminate();
            }
            let restore = inner.borrow_mut().restore.take();
            if let Some(restore) = restore {
                restore_here(inner, &restore.file);
            }
            drop(dispatch);
            for job in queue {
                match job {
                    Job::Run(actions) => run_here(inner, actions),
                    Job::Plan(then) => plan_here(inner, then),
                }
            }
        }
        None => restart(inner),
    }
    emit(inner);
}

/// A line crashed the worker's engine: it is reported, not applied, and the lines typed after
/// it are dropped (they were typed expecting it to have run).
fn crashed(inner: &Rc<RefCell<Inner>>, line: String, why: String) {
    {
        let mut i = inner.borrow_mut();
        i.queue.clear();
        i.status.slow = None;
        i.status.running = None;
        i.status.crashed = Some((line, why));
    }
    restart(inner);
}

fn answered(inner: &Rc<RefCell<Inner>>, reply: Reply) {
    match reply {
        Reply::Ready => {
            inner.borrow_mut().ready = true;
            // The worker copies the session now, not when the first line is typed.
            prime(inner);
        }
        Reply::Stale { id } if restoring(inner, id) => {
            if let Some(r) = inner.borrow_mut().restore.as_mut() {
                r.id = None;
            }
        }
        Reply::Done { id, answer, .. } if restoring(inner, id) => restored(inner, answer),
        Reply::Crashed { id, at, why } if restoring(inner, id) => restore_crashed(inner, at, why),
        Reply::Stale { id } => {
            let mut i = inner.borrow_mut();
            if let Some(running) = i.running.take_if(|r| r.id == id) {
                // Sent again, whole.
                i.mirrored = None;
                let job = match running.plan {
                    Some(then) => Job::Plan(then),
                    None => Job::Run(running.actions),
                };
                i.queue.push_front(job);
            }
        }
        Reply::Done { id, answer, .. } => {
            let running = {
                let mut i = inner.borrow_mut();
                match &i.running {
                    Some(r) if r.id == id => i.running.take(),
                    _ => None,
                }
            };
            if let Some(running) = running {
                {
                    let mut i = inner.borrow_mut();
                    i.status.slow = None;
                    i.status.running = None;
                }
                // A result for a timeline the learner has changed since is dropped.
                let current = running.base == base(&inner.borrow());
                if let (true, Some(then), Some(plan)) = (current, &running.plan, answer.plan) {
                    then.emit(plan);
                } else if current && running.plan.is_none() {
                    let made = put_together(&mut inner.borrow_mut(), running.actions, answer.steps);
                    match made {
                        Ok(steps) => {
                            let dispatch = inner.borrow().dispatch.clone();
                            dispatch.dispatch(Msg::Ran(steps));
                            // The worker's copy holds every step the page now has: the ids
                            // it held when sent, then the new steps'.
                            let mut i = inner.borrow_mut();
                            let timeline = i.timeline.clone();
                            let applied = timeline.borrow();
                            let applied = applied.applied();
                            if let Some((_, ids)) = i.mirrored.as_mut() {
                                let keep = held(ids, applied);
                                ids.truncate(keep);
                                ids.extend(applied[keep..].iter().map(|s| s.id));
                            }
                        }
                        Err((line, why)) => crashed(inner, line, why),
                    }
                }
            }
        }
        Reply::Crashed { id, why, .. } => {
            let running = {
                let mut i = inner.borrow_mut();
                match &i.running {
                    Some(r) if r.id == id => i.running.take(),
                    _ => None,
                }
            };
            match running {
                Some(running) => crashed(inner, typed(&running.actions).unwrap_or_default(), why),
                None => restart(inner),
            }
        }
    }
    pump(inner);
    emit(inner);
}

/// A step the worker ran as the page adds it: its action, the step, the lesson's progress.
type StepMade = (Action, Ran, Taken);

/// The page's copy of the steps the worker ran (`worker::put_together`); a reply that does not
/// fit the page's world is an error naming the line (the engine's copies disagree; it is
/// reported as a crash, and nothing is applied).
fn put_together(
    i: &mut Inner,
    actions: Vec<Action>,
    mut steps: Vec<StepSent>,
) -> Result<Vec<StepMade>, (String, String)> {
    let line = typed(&actions).unwrap_or_default();
    let current = i.timeline.borrow().current().clone();
    let taken: Vec<Taken> = steps.iter_mut().map(|s| s.lesson.take()).collect();
    let ran = crate::worker::put_together(&current, actions, steps, &mut i.layers)
        .map_err(|why| (line, why))?;
    Ok(ran
        .into_iter()
        .zip(taken)
        .map(|((action, ran), taken)| (action, ran, taken))
        .collect())
}

fn base(inner: &Inner) -> (Start, usize, usize) {
    let timeline = inner.timeline.borrow();
    (
        inner.start.borrow().clone(),
        timeline.cursor(),
        timeline.steps().len(),
    )
}

/// The request that brings the worker's copy to the page's timeline (and runs `line` there):
/// only the steps the copy lacks are sent.
fn request_for(i: &mut Inner, run: Vec<Action>) -> Request {
    let id = i.next_id;
    i.next_id += 1;
    let start = i.start.borrow().clone();
    let timeline = i.timeline.borrow();
    let applied = timeline.applied();
    let ids = match i.mirrored.take() {
        Some((mirrored_start, ids)) if mirrored_start == start => ids,
        _ => Vec::new(),
    };
    let mut ids = ids;
    let keep = held(&ids, applied);
    ids.truncate(keep);
    ids.extend(applied[keep..].iter().map(|s| s.id));
    let actions = applied[keep..].iter().map(|s| s.action.clone()).collect();
    // In a lesson, where the learner is at the cursor: the worker goes on from there.
    let progress = i
        .lesson
        .as_ref()
        .map(|l| l.borrow().progress_at(timeline.cursor()));
    drop(timeline);
    i.mirrored = Some((start.clone(), ids));
    Request {
        id,
        start,
        keep,
        actions,
        run,
        progress,
        base: false,
        plan: false,
    }
}

/// How many of the page's steps the worker's copy holds: the longest prefix whose last step has
/// the same id on both sides. A step's id names every step before it too (steps are only
/// appended and truncated), so the match is monotone and a binary search finds it.
fn held(ids: &[u64], applied: &[crate::timeline::Step]) -> usize {
    let (mut lo, mut hi) = (0, ids.len().min(applied.len()));
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if ids[mid - 1] == applied[mid - 1].id {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    lo
}

/// Brings a new worker's copy to the page's timeline before any line is typed.
fn prime(inner: &Rc<RefCell<Inner>>) {
    let request = {
        let mut i = inner.borrow_mut();
        // Sent for an empty timeline too: the worker makes its first session now, not in the
        // first line's time.
        if i.worker.is_none() {
            return;
        }
        request_for(&mut i, Vec::new())
    };
    if let Some(worker) = &inner.borrow().worker {
        let _ = worker.post_message(&JsValue::from_str(&request.to_json()));
    }
}

/// The line typed in a group of actions, if one was.
fn typed(actions: &[Action]) -> Option<String> {
    actions.iter().find_map(|a| match a {
        Action::Line { line } => Some(line.clone()),
        _ => None,
    })
}

/// Sends the next waiting actions when the worker is free.
fn pump(inner: &Rc<RefCell<Inner>>) {
    if send_restore(inner) {
        return;
    }
    let request = {
        let mut i = inner.borrow_mut();
        if i.running.is_some() || !i.ready || i.worker.is_none() {
            return;
        }
        let (actions, plan) = match i.queue.pop_front() {
            Some(Job::Run(actions)) => (actions, None),
            Some(Job::Plan(then)) => (Vec::new(), Some(then)),
            None => return,
        };
        let base = base(&i);
        let mut request = request_for(&mut i, actions.clone());
        request.plan = plan.is_some();
        i.status.running = typed(&actions);
        i.running = Some(Running {
            id: request.id,
            actions,
            plan,
            base,
        });
        request
    };
    if let Some(worker) = &inner.borrow().worker {
        let _ = worker.post_message(&JsValue::from_str(&request.to_json()));
    }
    // After SLOW_MS the line, if it still runs, shows that it does.
    let weak = Rc::downgrade(inner);
    let id = request.id;
    let tick = Closure::once_into_js(move || {
        let Some(inner) = weak.upgrade() else {
            return;
        };
        let line = match &inner.borrow().running {
            Some(r) if r.id == id && r.plan.is_none() => typed(&r.actions).unwrap_or_default(),
            _ => return,
        };
        inner.borrow_mut().status.slow = Some(line);
        emit(&inner);
    });
    if let Some(w) = web_sys::window() {
        let _ =
            w.set_timeout_with_callback_and_timeout_and_arguments_0(tick.unchecked_ref(), SLOW_MS);
    }
}
