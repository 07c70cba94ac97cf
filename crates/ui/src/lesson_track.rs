//! A lesson's progress alongside the timeline: the progress after every applied step, so undo
//! and redo move the lesson back and forth with the session and a goal is only ever checked
//! against the state it was reached in.

use layerbox_lessons::{LessonEvent, LessonRun, Progress};

use crate::timeline::{Action, Step};

/// The progress `step` makes from `run`, and what happened on the way: made on the page for a
/// step it ran itself, and in its worker for a step the worker ran. A step that changed nothing
/// (a look around, a check the lesson asks for, a failed line) or only let time pass is no
/// wrong attempt; Ctrl-C changes nothing at all, so the learner stays where they were (the goal
/// and the hints were checked after the step before) and nothing is tried.
pub fn progress(run: &mut LessonRun, step: &Step) -> Vec<LessonEvent> {
    match step.action {
        Action::Interrupt { .. } => Vec::new(),
        Action::Wait { .. } => run.after_look(&step.after),
        _ => run.after_line(&step.after, layerbox_lessons::left_changes(&step.changes)),
    }
}

/// `runs[k]` is the progress after `k` steps of the timeline.
#[derive(Clone, Debug)]
pub struct LessonTrack {
    runs: Vec<LessonRun>,
}

impl LessonTrack {
    /// A track from `run`, the progress at the timeline's start (its session is made
    /// elsewhere: `worker::Start`).
    pub fn from_run(run: LessonRun) -> LessonTrack {
        LessonTrack { runs: vec![run] }
    }

    /// Back to the progress at the timeline's start, for a timeline that replaces it.
    pub fn restart(&mut self) {
        self.runs.truncate(1);
    }

    /// The progress at timeline cursor `cursor`.
    pub fn at(&self, cursor: usize) -> &LessonRun {
        &self.runs[cursor.min(self.runs.len() - 1)]
    }

    /// `step` was applied at `cursor_before`: the progress it made. A step that changed nothing
    /// (a look around, a check the lesson asks for, a failed line) or only let time pass is no
    /// wrong attempt, so those never bring a hint.
    pub fn applied(&mut self, cursor_before: usize, step: &Step) -> Vec<LessonEvent> {
        self.runs.truncate(cursor_before + 1);
        let mut run = self.at(cursor_before).clone();
        let events = progress(&mut run, step);
        self.runs.push(run);
        events
    }

    /// Ctrl-C was applied at `cursor_before`: it changes nothing, so the learner stays where
    /// they were (as [`progress`] says, without trying anything).
    pub fn interrupted(&mut self, cursor_before: usize) {
        self.runs.truncate(cursor_before + 1);
        let run = self.at(cursor_before).clone();
        self.runs.push(run);
    }

    /// A step the page's worker ran was applied at `cursor_before`, taking the learner to
    /// `progress` (the worker made it as [`LessonTrack::applied`] would have).
    pub fn took(&mut self, cursor_before: usize, progress: Progress) {
        self.runs.truncate(cursor_before + 1);
        let mut run = self.at(cursor_before).clone();
        run.set_progress(progress);
        self.runs.push(run);
    }

    /// Where the learner is at `cursor`, for the worker to go on from.
    pub fn progress_at(&self, cursor: usize) -> Progress {
        self.at(cursor).progress()
    }

    /// The timeline cursor at which the lesson step current at `cursor` began: "start this
    /// step over" seeks there.
    pub fn step_start(&self, cursor: usize) -> usize {
        let cursor = cursor.min(self.runs.len() - 1);
        let step = self.runs[cursor].step_index();
        let mut start = cursor;
        while start > 0 && self.runs[start - 1].step_index() == step {
            start -= 1;
        }
        start
    }

    /// The lesson steps completed by the progress at `cursor`, in order.
    pub fn completed_steps(&self, cursor: usize) -> std::ops::Range<usize> {
        0..self.at(cursor).step_index()
    }

    /// The learner asked for a hint at `cursor`.
    pub fn request_hint(&mut self, cursor: usize) -> Option<LessonEvent> {
        let i = cursor.min(self.runs.len() - 1);
        self.runs[i].request_hint()
    }

    /// The step completed by the step of the timeline just before `cursor`, if any.
    pub fn completed_at(&self, cursor: usize) -> Option<usize> {
        if cursor == 0 || cursor >= self.runs.len() {
            return None;
        }
        let before = self.runs[cursor - 1].step_index();
        (self.runs[cursor].step_index() > before).then_some(before)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::Timeline;
    use layerbox_session::Session;

    /// `lesson` at step 1: its track and the session its setup made.
    fn start(lesson: layerbox_lessons::Lesson) -> (LessonTrack, Session) {
        let (run, session) = LessonRun::start(lesson);
        (LessonTrack::from_run(run), session)
    }

    fn play(track: &mut LessonTrack, t: &mut Timeline, line: &str) -> Vec<LessonEvent> {
        let before = t.cursor();
        let step = t.apply(Action::Line { line: line.into() }).clone();
        track.applied(before, &step)
    }

    #[test]
    fn the_reference_solution_completes_a_lesson_and_undo_takes_the_step_back() {
        let lesson = layerbox_lessons::lesson("named-volumes").expect("lesson");
        let steps = lesson.steps.clone();
        let (mut track, session) = start(lesson);
        let mut t = Timeline::from_session(session);
        let mut completed = Vec::new();
        let mut done_at = None;
        for step in &steps {
            for line in &step.solution {
                for e in play(&mut track, &mut t, line) {
                    match e {
                        LessonEvent::StepCompleted { index } => completed.push(index),
                        LessonEvent::LessonCompleted => done_at = Some(t.cursor()),
                        LessonEvent::HintDue { .. } | LessonEvent::Blocked { .. } => {}
                    }
                }
            }
        }
        assert_eq!(completed, (0..steps.len()).collect::<Vec<_>>());
        let done_at = done_at.expect("the lesson completes");
        assert!(track.at(t.cursor()).is_complete());
        // Back to just before the command that completed it: not complete; forward again: done.
        t.seek(Some(done_at - 2));
        assert!(!track.at(t.cursor()).is_complete());
        t.seek(Some(done_at - 1));
        assert!(track.at(t.cursor()).is_complete());
        assert_eq!(track.completed_at(t.cursor()), Some(steps.len() - 1));
    }

    #[test]
    fn going_to_a_step_starts_from_the_state_it_expects() {
        let start = crate::worker::Start::Lesson {
            id: "writable-layer".into(),
            step: Some(1),
        };
        let track = LessonTrack::from_run(start.lesson_run().expect("a lesson"));
        let session = start.session();
        assert_eq!(track.at(0).step_index(), 1);
        assert!(!track.at(0).goal_holds(&session));
        // The step before it was played: its container is there.
        assert!(session
            .world()
            .containers()
            .values()
            .any(|c| c.name == "f1"));
    }

    #[test]
    fn checks_bring_no_hint_and_step_over_returns_to_where_the_step_began() {
        let lesson = layerbox_lessons::lesson("volumes-in-images").expect("lesson");
        let (mut track, session) = start(lesson);
        let mut t = Timeline::from_session(session);
        play(
            &mut track,
            &mut t,
            "docker run -d --name todo1 -p 8010:80 diamol/ch06-todo-list",
        );
        assert_eq!(track.at(t.cursor()).step_index(), 1);
        let step_began = t.cursor();
        // Step 1 asked for these checks: they are no wrong attempts of step 2.
        for check in [
            "docker volume ls",
            "docker inspect --format '{{.Mounts}}' todo1",
            "ls",
        ] {
            let events = play(&mut track, &mut t, check);
            assert!(events.is_empty(), "{check}: {events:?}");
        }
        assert_eq!(track.at(t.cursor()).wrong_attempts(), 0);
        // A second container on the taken port, left created, is not in this step's way.
        let events = play(
            &mut track,
            &mut t,
            "docker run -d --name todo2 -p 8010:80 diamol/ch06-todo-list",
        );
        assert!(
            !events.contains(&LessonEvent::Blocked { step: 1 }),
            "{events:?}"
        );
        assert_eq!(track.step_start(t.cursor()), step_began);
        // "Start this step over" seeks to the step's start: the leftover is gone there.
        t.seek(track.step_start(t.cursor()).checked_sub(1));
        assert_eq!(t.cursor(), step_began);
        assert!(t
            .current()
            .world()
            .containers()
            .values()
            .all(|c| c.name != "todo2"));
        assert_eq!(track.at(t.cursor()).step_index(), 1);
    }
}
