//! A learner's way through one lesson: the current step, wrong attempts, hints due, and the
//! sessions that put the host where a step starts. The UI owns the [`Session`]; after each
//! line it runs, it calls [`LessonRun::after_command`] and shows the events.

use layerbox_engine::change::Change;
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
    /// Something in the state keeps the step's reference solution from working (a container
    /// holds its name or its port): see [`LessonRun::obstacles`].
    Blocked { step: usize },
}

/// Something the learner left behind that keeps a step's reference solution from working as
/// it is: the name or host port a `docker run` of the solution needs is taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Obstacle {
    /// A container already has the name the solution gives a new one (Docker refuses it with
    /// `Conflict. The container name "/NAME" is already in use`).
    NameTaken { name: String },
    /// A running container publishes the host port the solution publishes (`port is already
    /// allocated`).
    PortTaken { port: u16, container: String },
}

impl Obstacle {
    /// The container to remove to clear it.
    pub fn container(&self) -> &str {
        match self {
            Obstacle::NameTaken { name } => name,
            Obstacle::PortTaken { container, .. } => container,
        }
    }
}

/// What "show me" plays from the state the learner is in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShowMe {
    /// The reference solution works from here.
    Solution(Vec<String>),
    /// It works once these containers are removed: the obstacles, then the lines to play
    /// (`docker rm -f NAME…` first, then the solution).
    CleanUpFirst {
        obstacles: Vec<Obstacle>,
        lines: Vec<String>,
    },
    /// Not even then: the step has to start over (from the state it began in), and then the
    /// solution plays.
    StartOver(Vec<String>),
}

/// Where a learner is in a lesson, without the lesson: what a [`LessonRun`] knows beyond it, so
/// a copy of the run made elsewhere (the web page's worker) can be taken up again
/// ([`LessonRun::resume`], [`LessonRun::set_progress`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    /// The current step's index (the number of steps once the lesson is complete).
    pub step: usize,
    pub wrong_attempts: u32,
    /// The current step's hints that are due, in the order they became due.
    pub due: Vec<usize>,
    pub obstacles: Vec<Obstacle>,
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
    /// What keeps the solution from working, as found after the last line.
    obstacles: Vec<Obstacle>,
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
            obstacles: Vec::new(),
        };
        (run, session)
    }

    /// `lesson` taken up at `progress`, without running anything (the session is the
    /// caller's).
    pub fn resume(lesson: Lesson, progress: Progress) -> LessonRun {
        let mut run = LessonRun {
            lesson,
            step: 0,
            wrong_attempts: 0,
            due: Vec::new(),
            wrong_attempts_per_hint: WRONG_ATTEMPTS_PER_HINT,
            obstacles: Vec::new(),
        };
        run.set_progress(progress);
        run
    }

    /// `lesson` entered at step `index` (clamped to the end: free play), as
    /// [`LessonRun::goto_step`] enters it, without running anything: the session it expects is
    /// [`session_at`]'s, made elsewhere (the web page's worker).
    pub fn entering(lesson: Lesson, index: usize) -> LessonRun {
        let mut run = LessonRun::resume(
            lesson,
            Progress {
                step: index,
                wrong_attempts: 0,
                due: Vec::new(),
                obstacles: Vec::new(),
            },
        );
        run.enter(index.min(run.lesson.steps.len()));
        run
    }

    /// Where the learner is.
    pub fn progress(&self) -> Progress {
        Progress {
            step: self.step,
            wrong_attempts: self.wrong_attempts,
            due: self.due.clone(),
            obstacles: self.obstacles.clone(),
        }
    }

    /// Takes up `progress` (a step past the last is the lesson complete).
    pub fn set_progress(&mut self, progress: Progress) {
        self.step = progress.step.min(self.lesson.steps.len());
        self.wrong_attempts = progress.wrong_attempts;
        self.due = progress.due;
        self.obstacles = progress.obstacles;
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

    /// Call after each line the learner ran that tried something: it changed the Docker host.
    /// Completes the current step (and any following steps whose goals already
    /// hold) or counts a wrong attempt, and reports hints that became due; every
    /// [`WRONG_ATTEMPTS_PER_HINT`]th wrong attempt makes the next hint without `when` due. In
    /// free play it reports nothing.
    pub fn after_command(&mut self, session: &Session) -> Vec<LessonEvent> {
        self.advance(session, true)
    }

    /// Call after a line that changed nothing (`ls`, `docker volume ls`, `cat`, the checks a
    /// step asks for, a line that failed before touching anything): it may still find the goal
    /// reached and name obstacles, but it is no wrong attempt and makes no plain hint due.
    pub fn after_look(&mut self, session: &Session) -> Vec<LessonEvent> {
        self.advance(session, false)
    }

    /// Call after each line, saying whether it changed the Docker host (made change events):
    /// one that changed nothing only looked around, or failed without touching anything (a
    /// typo, a name conflict, which [`LessonRun::obstacles`] names), and is no wrong attempt
    /// ([`LessonRun::after_look`]); one that changed something tried
    /// ([`LessonRun::after_command`]).
    pub fn after_line(&mut self, session: &Session, changed: bool) -> Vec<LessonEvent> {
        self.advance(session, changed)
    }

    fn advance(&mut self, session: &Session, attempt: bool) -> Vec<LessonEvent> {
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
        if !completed && attempt {
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
        let obstacles = self.find_obstacles(session);
        if !obstacles.is_empty() && obstacles != self.obstacles {
            events.push(LessonEvent::Blocked { step: self.step });
        }
        self.obstacles = obstacles;
        events
    }

    /// What keeps the current step's reference solution from working, as found after the
    /// last line (empty when nothing does).
    pub fn obstacles(&self) -> &[Obstacle] {
        &self.obstacles
    }

    /// What "show me" plays from `session`, the state the learner is in: the reference
    /// solution if it reaches the goal from here, else the solution after removing the
    /// containers in its way, else (the learner changed something the solution cannot mend)
    /// the solution from the step's start. Tried on copies of the session; `session` is left
    /// as it was.
    pub fn show_me(&self, session: &Session) -> ShowMe {
        let Some(step) = self.current_step() else {
            return ShowMe::Solution(Vec::new());
        };
        let solution = step.solution.clone();
        if reaches(session, &solution, step) {
            return ShowMe::Solution(solution);
        }
        let obstacles = obstacles_for(session, &solution);
        if !obstacles.is_empty() {
            let mut names: Vec<&str> = Vec::new();
            for name in obstacles.iter().map(Obstacle::container) {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
            let mut lines = vec![format!("docker rm -f {}", names.join(" "))];
            lines.extend(solution.iter().cloned());
            if reaches(session, &lines, step) {
                return ShowMe::CleanUpFirst { obstacles, lines };
            }
        }
        ShowMe::StartOver(solution)
    }

    /// The obstacles in the way of the current step's solution, if it fails from `session`.
    fn find_obstacles(&self, session: &Session) -> Vec<Obstacle> {
        let Some(step) = self.current_step() else {
            return Vec::new();
        };
        let found = obstacles_for(session, &step.solution);
        if found.is_empty() || reaches(session, &step.solution, step) {
            return Vec::new();
        }
        found
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
        self.obstacles.clear();
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
    for line in lines_before(lesson, index) {
        session.run_line(line);
    }
    session
}

/// The lines [`session_at`] runs on a fresh session for step `index`: the setup, then the
/// reference solutions of the steps before it. None: the step starts on a fresh session.
pub fn lines_before(lesson: &Lesson, index: usize) -> impl Iterator<Item = &String> {
    let earlier = lesson.steps.iter().take(index);
    lesson
        .setup
        .iter()
        .chain(earlier.flat_map(|s| s.solution.iter()))
}

/// Whether `lines` run on a copy of `session` reach `step`'s goal.
fn reaches(session: &Session, lines: &[String], step: &Step) -> bool {
    let mut trial = session.clone();
    for line in lines {
        trial.run_line(line);
    }
    step.goal.holds(&trial)
}

/// The containers that hold a name (`--name NAME`) or a host port (`-p HOST:CONTAINER`) that a
/// `docker run` or `docker create` among `lines` asks for, before any of `lines` runs.
fn obstacles_for(session: &Session, lines: &[String]) -> Vec<Obstacle> {
    let world = session.world();
    let mut found = Vec::new();
    for line in lines {
        let words: Vec<&str> = line.split_whitespace().collect();
        let makes =
            words.len() > 2 && words[0] == "docker" && (words[1] == "run" || words[1] == "create");
        if !makes {
            continue;
        }
        for (i, word) in words.iter().enumerate() {
            let value = |flag: &str| -> Option<String> {
                if *word == flag {
                    return words.get(i + 1).map(|w| w.to_string());
                }
                word.strip_prefix(flag)?
                    .strip_prefix('=')
                    .map(str::to_string)
            };
            if let Some(name) = value("--name") {
                if world.containers().values().any(|c| c.name == name) {
                    found.push(Obstacle::NameTaken { name });
                }
            }
            let published = value("-p").or_else(|| value("--publish"));
            let host_port = published
                .as_deref()
                .and_then(|p| p.rsplit_once(':').map(|(host, _)| host))
                .and_then(|host| host.rsplit(':').next())
                .and_then(|host| host.parse::<u16>().ok());
            if let Some(port) = host_port {
                for c in world.containers().values() {
                    if world.live_ports(&c.id).iter().any(|m| m.host_port == port) {
                        found.push(Obstacle::PortTaken {
                            port,
                            container: c.name.clone(),
                        });
                    }
                }
            }
        }
    }
    found
}

/// Whether a line's change events left anything changed, for [`LessonRun::after_line`]: a
/// container (and its anonymous volumes) made and removed by the same line, as `docker run
/// --rm IMAGE ls` does to look into an image, leaves nothing; the network share's cost is no
/// change either.
pub fn left_changes(changes: &[Change]) -> bool {
    let made: Vec<&str> = changes
        .iter()
        .filter_map(|c| match c {
            Change::ContainerCreated { id, .. } => Some(id.as_str()),
            Change::VolumeCreated { name, .. } => Some(name.as_str()),
            _ => None,
        })
        .collect();
    let gone: Vec<&str> = changes
        .iter()
        .filter_map(|c| match c {
            Change::ContainerRemoved { id, .. } => Some(id.as_str()),
            Change::VolumeRemoved { name, .. } => Some(name.as_str()),
            _ => None,
        })
        .collect();
    let passing = |id: &str| made.contains(&id) && gone.contains(&id);
    changes.iter().any(|c| match c {
        Change::ContainerCreated { id, .. }
        | Change::ContainerRemoved { id, .. }
        | Change::ContainerStarted { id }
        | Change::ContainerStopped { id, .. } => !passing(id),
        Change::VolumeCreated { name, .. } | Change::VolumeRemoved { name, .. } => !passing(name),
        Change::VolumePopulated {
            name, container, ..
        } => !passing(name) || !passing(container),
        Change::Layer { container, .. }
        | Change::MountPointCreated { container, .. }
        | Change::MountObscures { container, .. } => !passing(container),
        Change::NetworkShare { .. } => false,
        _ => true,
    })
}
