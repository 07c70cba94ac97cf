//! The page's timeline replaced by what the worker replayed (a session file, a lesson's start
//! and its kept session), or by a lesson's start fetched from the site; and what the page does
//! with no worker: it runs the same on its own engine when it was built with one (`direct.rs`).

use super::*;

/// Whether `id` is the restore's request.
pub(super) fn restoring(inner: &Rc<RefCell<Inner>>, id: u64) -> bool {
    inner
        .borrow()
        .restore
        .as_ref()
        .is_some_and(|r| r.id == Some(id))
}

/// The worker replayed the session file: the page's timeline is built from its steps, from
/// the page's own start (or the start the worker sent, which the page's fresh host stood in
/// for), and replaces the page's, with the lesson's progress the worker made for each.
pub(super) fn restored(inner: &Rc<RefCell<Inner>>, answer: Answer) {
    let Some(restore) = inner.borrow_mut().restore.take() else {
        return;
    };
    let made = {
        let mut i = inner.borrow_mut();
        i.status.restoring = None;
        i.status.preparing = false;
        let fresh = i.timeline.borrow().start().clone();
        let start = match &answer.start {
            Some(sent) => crate::worker::session_after(&fresh, sent, &mut i.layers),
            None => Ok(fresh),
        };
        let mut steps = answer.steps;
        let taken: Vec<Taken> = steps.iter_mut().map(|s| s.lesson.take()).collect();
        let actions = restore.file.actions.clone();
        start.and_then(|start| {
            let ran = crate::worker::put_together(&start, actions, steps, &mut i.layers)?;
            let mut timeline = Timeline::from_session(start);
            for (action, ran) in ran {
                timeline.push(action, ran);
            }
            timeline.seek(restore.file.cursor.checked_sub(1));
            Ok((timeline, taken))
        })
    };
    match made {
        Ok((timeline, taken)) => {
            // The worker's copy holds every step, applied or to redo.
            let ids = timeline.steps().iter().map(|s| s.id).collect();
            let dispatch = inner.borrow().dispatch.clone();
            dispatch.dispatch(Msg::Replace(Box::new(timeline), taken));
            let mut i = inner.borrow_mut();
            let start = i.start.borrow().clone();
            i.mirrored = Some((start, ids));
            let unused = i.queue.is_empty() && i.running.is_none();
            if std::mem::take(&mut i.end_when_restored) && unused {
                drop(i);
                end_worker(inner);
                inner.borrow_mut().lazy = true;
            }
        }
        Err(why) => {
            inner.borrow_mut().restore = Some(restore);
            restore_crashed(inner, 0, why);
        }
    }
}

/// The lesson's start fetched from the site replaces the page's fresh host: put together as
/// a start the worker sent is, with layers of its own numbering (not the worker's).
pub(super) fn fetched(inner: &Rc<RefCell<Inner>>, sent: &StepSent) -> Result<(), String> {
    let fresh = inner.borrow().timeline.borrow().start().clone();
    let start = crate::worker::session_after(&fresh, sent, &mut LayerCache::default())?;
    let dispatch = {
        let mut i = inner.borrow_mut();
        i.restore = None;
        i.status.preparing = false;
        // A worker already started holds nothing of it yet.
        i.mirrored = None;
        i.dispatch.clone()
    };
    dispatch.dispatch(Msg::Replace(
        Box::new(Timeline::from_session(start)),
        Vec::new(),
    ));
    Ok(())
}

/// Why the page cannot run a line without its worker.
pub(super) const NO_WORKER: &str =
    "this browser could not start layerbox's Web Worker, which runs every line";

/// Runs actions on the page itself, without a worker: only a page built with the engine can
/// (`direct.rs`, the tests); the site's page says that it needs its worker.
pub(super) fn run_here(inner: &Rc<RefCell<Inner>>, actions: Vec<Action>) {
    if cfg!(feature = "engine") {
        let dispatch = inner.borrow().dispatch.clone();
        dispatch.dispatch(Msg::ApplyAll(actions));
    } else {
        let line = typed(&actions).unwrap_or_default();
        inner.borrow_mut().status.crashed = Some((line, NO_WORKER.into()));
    }
}

/// Replays a session file on the page itself, from the page's start (`run_here`); without the
/// engine the page's session stays, and nothing is saved over the kept one.
pub(super) fn restore_here(inner: &Rc<RefCell<Inner>>, file: &SessionFile) {
    let (start, run, dispatch) = {
        let mut i = inner.borrow_mut();
        i.status.restoring = None;
        i.status.preparing = false;
        let run = i.lesson.as_ref().map(|l| l.borrow().at(0).clone());
        let start = i.start.borrow().clone();
        (start, run, i.dispatch.clone())
    };
    match crate::direct::restore(&start, run, file) {
        Some((timeline, taken)) => dispatch.dispatch(Msg::Replace(Box::new(timeline), taken)),
        None => inner.borrow_mut().status.crashed = Some((String::new(), NO_WORKER.into())),
    }
}

/// The replay crashed the worker's engine at its step `at + 1` (or its reply did not fit the
/// page's world). At load the page shows the crash notice, offering to reload with the steps
/// before it, and saves nothing; otherwise it is reported as a crashed line and the page's
/// session stays as it was.
pub(super) fn restore_crashed(inner: &Rc<RefCell<Inner>>, at: usize, why: String) {
    let Some(restore) = inner.borrow_mut().restore.take() else {
        return;
    };
    inner.borrow_mut().status.restoring = None;
    match restore.from {
        Restoring::Saved | Restoring::Visit | Restoring::Lesson => {
            let keep = (restore.from == Restoring::Saved).then_some(at);
            crate::crash::replay_crashed(&why, keep);
            restart(inner);
            return;
        }
        Restoring::Later => {}
    }
    let dispatch = inner.borrow().dispatch.clone();
    dispatch.dispatch(Msg::Restoring(false));
    let line = match restore.file.actions.get(at) {
        Some(Action::Line { line }) => line.clone(),
        _ => String::new(),
    };
    crashed(inner, line, why);
}

/// Sends the session file to restore when the worker is free; true while a restore waits or
/// runs (lines wait for it).
pub(super) fn send_restore(inner: &Rc<RefCell<Inner>>) -> bool {
    let request = {
        let mut i = inner.borrow_mut();
        let free = i.ready && i.worker.is_some() && i.running.is_none();
        let (id, start) = (i.next_id, i.start.borrow().clone());
        // In a lesson, the progress at its start: the worker makes it after each step.
        let progress = i.lesson.as_ref().map(|l| l.borrow().progress_at(0));
        let Some(restore) = i.restore.as_mut() else {
            return false;
        };
        if restore.id.is_some() || restore.fetching.is_some() || !free {
            return true;
        }
        restore.id = Some(id);
        let run = restore.file.actions.clone();
        i.next_id += 1;
        // The worker's copy starts over from `start` and holds the replayed steps after.
        i.mirrored = None;
        Request {
            id,
            // The page holds a fresh host in place of a start that runs lines.
            base: !start.runs_nothing(),
            start,
            keep: 0,
            actions: Vec::new(),
            run,
            progress,
            plan: false,
        }
    };
    if let Some(worker) = &inner.borrow().worker {
        let _ = worker.post_message(&JsValue::from_str(&request.to_json()));
    }
    true
}

/// What "show me" would play, found on the page itself (`run_here`), handed to `then`.
pub(super) fn plan_here(inner: &Rc<RefCell<Inner>>, then: Callback<ShowMe>) {
    let plan = {
        let i = inner.borrow();
        let timeline = i.timeline.borrow();
        i.lesson
            .as_ref()
            .and_then(|l| crate::direct::show_me(&l.borrow(), &timeline))
    };
    if let Some(plan) = plan {
        then.emit(plan);
    }
}
