//! A lesson's progress alongside the timeline: the progress after every applied step, so undo
//! and redo move the lesson back and forth with the session and a goal is only ever checked
//! against the state it was reached in.

use layerbox_lessons::{LessonEvent, LessonRun};
use layerbox_session::Session;

/// `runs[k]` is the progress after `k` steps of the timeline.
#[derive(Clone, Debug)]
pub struct LessonTrack {
    runs: Vec<LessonRun>,
}

impl LessonTrack {
    /// Starts `lesson` at step 1: the track and the session its setup made.
    pub fn start(lesson: layerbox_lessons::Lesson) -> (LessonTrack, Session) {
        let (run, session) = LessonRun::start(lesson);
        (LessonTrack { runs: vec![run] }, session)
    }

    /// The progress at timeline cursor `cursor`.
    pub fn at(&self, cursor: usize) -> &LessonRun {
        &self.runs[cursor.min(self.runs.len() - 1)]
    }

    /// A step was applied at `cursor_before` and left `after`: the progress it made.
    pub fn applied(&mut self, cursor_before: usize, after: &Session) -> Vec<LessonEvent> {
        self.runs.truncate(cursor_before + 1);
        let mut run = self.at(cursor_before).clone();
        let events = run.after_command(after);
        self.runs.push(run);
        events
    }

    /// The learner asked for a hint at `cursor`.
    pub fn request_hint(&mut self, cursor: usize) -> Option<LessonEvent> {
        let i = cursor.min(self.runs.len() - 1);
        self.runs[i].request_hint()
    }

    /// Jumps to step `index` (0-based): a new start, the session that step expects.
    pub fn goto(&mut self, index: usize) -> Session {
        let mut run = self.runs[0].clone();
        let session = run.goto_step(index);
        self.runs = vec![run];
        session
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
    use crate::timeline::{Action, Timeline};

    fn play(track: &mut LessonTrack, t: &mut Timeline, line: &str) -> Vec<LessonEvent> {
        let before = t.cursor();
        t.apply(Action::Line { line: line.into() });
        track.applied(before, t.current())
    }

    #[test]
    fn the_reference_solution_completes_a_lesson_and_undo_takes_the_step_back() {
        let lesson = layerbox_lessons::lesson("named-volumes").expect("lesson");
        let steps = lesson.steps.clone();
        let (mut track, session) = LessonTrack::start(lesson);
        let mut t = Timeline::from_session(session);
        let mut completed = Vec::new();
        let mut done_at = None;
        for step in &steps {
            for line in &step.solution {
                for e in play(&mut track, &mut t, line) {
                    match e {
                        LessonEvent::StepCompleted { index } => completed.push(index),
                        LessonEvent::LessonCompleted => done_at = Some(t.cursor()),
                        LessonEvent::HintDue { .. } => {}
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
        let lesson = layerbox_lessons::lesson("writable-layer").expect("lesson");
        let (mut track, _) = LessonTrack::start(lesson);
        let session = track.goto(1);
        assert_eq!(track.at(0).step_index(), 1);
        assert!(!track.at(0).goal_holds(&session));
    }
}
