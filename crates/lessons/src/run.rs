//! A learner's way through one lesson: the current step, wrong attempts, hints due, and the
//! sessions that put the host where a step starts. The UI owns the [`Session`]; after each
//! line it runs, it calls [`LessonRun::after_command`] and shows the events.

use layerbox_session::Session;

use crate::lesson::{Hint, Lesson, Step};

/// What happened to the learner's progress after a command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LessonEvent {
    /// Step `index` (0-based) is done: show its explanation.
    StepCompleted { index: usize },
    /// The last step is done; the session goes on as free play.
    LessonCompleted,
    /// Hint `hint` of step `step` is now due (requested, after wrong attempts, or because its
    /// `when` state holds).
    HintDue { step: usize, hint: usize },
}

/// Wrong attempts after which the next hint is given without being asked for.
pub const WRONG_ATTEMPTS_PER_HINT: u32 = 2;

/// Progress through one lesson.
#[derive(Clone, Debug)]
pub struct LessonRun {
    lesson: Lesson,
    /// The current step; `lesson.steps.len()` once the lesson is complete (free play).
    step: usize,
    /// Commands since the current step began that did not complete it.
    wrong_attempts: u32,
    /// Hints of the current step that are due, in the order they became due.
    due: Vec<usize>,
    wrong_attempts_per_hint: u32,
}

impl LessonRun {
    /// Starts `lesson`: a fresh session with the lesson's setup run, at step 1.
    pub fn start(lesson: Lesson) -> (LessonRun, Session) {
        let session = session_at(&lesson, 0);
        let run = LessonRun {
            lesson,
            step: 0,
            wrong_attempts: 0,
            due: Vec::new(),
            wrong_attempts_per_hint: WRONG_ATTEMPTS_PER_HINT,
        };
        (run, session)
    }

    /// Gives a hint automatically after every `n` wrong attempts (`0`: only on request).
    pub fn set_wrong_attempts_per_hint(&mut self, n: u32) {
        self.wrong_attempts_per_hint = n;
    }

    pub fn lesson(&self) -> &Lesson {
        &self.lesson
    }

    /// The current step's index; equals the number of steps once the lesson is complete.
    pub fn step_index(&self) -> usize {
        self.step
    }

    /// The current step, or `None` in free play after the last step.
    pub fn current_step(&self) -> Option<&Step> {
        self.lesson.steps.get(self.step)
    }

    pub fn is_complete(&self) -> bool {
        self.step >= self.lesson.steps.len()
    }

    /// Commands since the current step began that did not complete it.
    pub fn wrong_attempts(&self) -> u32 {
        self.wrong_attempts
    }

    /// Whether the current step's goal holds in `session` (false in free play).
    pub fn goal_holds(&self, session: &Session) -> bool {
        self.current_step()
            .is_some_and(|step| step.goal.holds(session))
    }

    /// Call after each line the learner ran. Completes the current step (and any following
    /// steps whose goals already hold) or counts a wrong attempt, and reports hints that
    /// became due. A wrong attempt is any line after which the step's goal does not hold,
    /// looking around (`ls`, `docker ps`) included; every [`WRONG_ATTEMPTS_PER_HINT`]th makes
    /// the next hint without `when` due. In free play it reports nothing.
    pub fn after_command(&mut self, session: &Session) -> Vec<LessonEvent> {
        let mut events = Vec::new();
        if self.is_complete() {
            return events;
        }
        let mut completed = false;
        while let Some(step) = self.current_step() {
            if !step.goal.holds(session) {
                break;
            }
            events.push(LessonEvent::StepCompleted { index: self.step });
            self.enter(self.step + 1);
            completed = true;
            if self.is_complete() {
                events.push(LessonEvent::LessonCompleted);
                return events;
            }
        }
        if !completed {
            self.wrong_attempts += 1;
            let per = self.wrong_attempts_per_hint;
            if per > 0 && self.wrong_attempts.is_multiple_of(per) {
                if let Some(hint) = self.reveal_next() {
                    events.push(LessonEvent::HintDue {
                        step: self.step,
                        hint,
                    });
                }
            }
        }
        events.extend(self.triggered_hints(session));
        events
    }

    /// The learner asks for a hint: the next hint without a `when` that is not yet due, or
    /// `None` if every such hint is out.
    pub fn request_hint(&mut self) -> Option<LessonEvent> {
        if self.is_complete() {
            return None;
        }
        self.reveal_next().map(|hint| LessonEvent::HintDue {
            step: self.step,
            hint,
        })
    }

    /// The current step's hints that are due, in the order they became due, with their index.
    pub fn hints_due(&self) -> Vec<(usize, &Hint)> {
        let Some(step) = self.current_step() else {
            return Vec::new();
        };
        self.due
            .iter()
            .filter_map(|&i| step.hints.get(i).map(|h| (i, h)))
            .collect()
    }

    /// The current step's reference solution ("show me"); empty in free play.
    pub fn solution_commands(&self) -> &[String] {
        self.current_step()
            .map(|s| s.solution.as_slice())
            .unwrap_or(&[])
    }

    /// Jumps to step `index` (clamped to the end: free play): returns a fresh session with the
    /// setup and the reference solutions of every earlier step run, so its state is the one
    /// the step expects.
    pub fn goto_step(&mut self, index: usize) -> Session {
        let index = index.min(self.lesson.steps.len());
        self.enter(index);
        session_at(&self.lesson, index)
    }

    /// Starts over: step 1 on a fresh session with the setup run.
    pub fn reset(&mut self) -> Session {
        self.goto_step(0)
    }

    fn enter(&mut self, index: usize) {
        self.step = index;
        self.wrong_attempts = 0;
        self.due.clear();
    }

    fn reveal_next(&mut self) -> Option<usize> {
        let step = self.lesson.steps.get(self.step)?;
        let next = step
            .hints
            .iter()
            .enumerate()
            .position(|(i, h)| h.when.is_none() && !self.due.contains(&i))?;
        self.due.push(next);
        Some(next)
    }

    /// Hints whose `when` holds now and were not due yet; once due they stay due.
    fn triggered_hints(&mut self, session: &Session) -> Vec<LessonEvent> {
        let Some(step) = self.lesson.steps.get(self.step) else {
            return Vec::new();
        };
        let mut events = Vec::new();
        for (i, hint) in step.hints.iter().enumerate() {
            let due = hint.when.as_ref().is_some_and(|w| w.holds(session));
            if due && !self.due.contains(&i) {
                self.due.push(i);
                events.push(LessonEvent::HintDue {
                    step: self.step,
                    hint: i,
                });
            }
        }
        events
    }
}

/// A fresh session with `lesson`'s setup and the reference solutions of steps `0..index` run.
pub fn session_at(lesson: &Lesson, index: usize) -> Session {
    let mut session = Session::new();
    let earlier = lesson.steps.iter().take(index);
    for line in lesson
        .setup
        .iter()
        .chain(earlier.flat_map(|s| s.solution.iter()))
    {
        session.run_line(line);
    }
    session
}
