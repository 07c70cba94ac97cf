//! The playground's history: every command a step, each with the session as it was after it, so
//! undo, redo and "show the views as they were then" are a cursor move, not a recomputation.
//!
//! Sessions are cheap to keep: the engine's trees are persistent maps, so a step costs what it
//! changed. The session *file* (local save, export, share link) keeps only the actions: the
//! engine is deterministic, so replaying them rebuilds every step exactly.

use layerbox_engine::change::Change;

use crate::output::Omitted;
use layerbox_session::{HostEdit, Session, Stream};
use serde::Serialize;
use serde_json::{Map, Value};

/// One thing the learner did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Action {
    /// A line typed at the prompt (host shell, docker, or a container's shell).
    Line { line: String },
    /// Ctrl-C with `typed` on the line.
    Interrupt { typed: String },
    /// Ctrl-D on an empty line.
    EndOfInput,
    /// The browser panel asked `http://localhost:PORT/PATH`.
    Browse { port: u16, path: String },
    /// A file written from the host-filesystem panel, as the host user.
    HostWrite { path: String, text: String },
    /// A directory made from the host-filesystem panel.
    HostMkdir { path: String },
    /// A file or directory tree deleted from the host-filesystem panel.
    HostRemove { path: String },
    /// The learner waited this many seconds of real time before the next action, while
    /// containers ran: the session's logical time passes by as much (capped), so a replay or
    /// a shared link passes the same time.
    Wait { seconds: u64 },
}

impl Action {
    /// An action as the session file writes it: `{"kind": "line", "line": "ls"}`.
    pub(crate) fn from_value(value: &Value) -> Result<Action, String> {
        let fields = object(value, "internally tagged enum Action")?;
        let text = |name: &str| match field(fields, name)? {
            Value::String(text) => Ok(text.clone()),
            other => Err(invalid_type(other, "a string")),
        };
        Ok(match text("kind")?.as_str() {
            "line" => Action::Line {
                line: text("line")?,
            },
            "interrupt" => Action::Interrupt {
                typed: text("typed")?,
            },
            "end-of-input" => Action::EndOfInput,
            "browse" => Action::Browse {
                port: number(fields, "port", "u16")?,
                path: text("path")?,
            },
            "host-write" => Action::HostWrite {
                path: text("path")?,
                text: text("text")?,
            },
            "host-mkdir" => Action::HostMkdir {
                path: text("path")?,
            },
            "host-remove" => Action::HostRemove {
                path: text("path")?,
            },
            "wait" => Action::Wait {
                seconds: number(fields, "seconds", "u64")?,
            },
            other => {
                return Err(format!(
                    "unknown variant `{other}`, expected one of `line`, `interrupt`, \
                     `end-of-input`, `browse`, `host-write`, `host-mkdir`, `host-remove`, `wait`"
                ))
            }
        })
    }
}

/// `value` as a JSON object, or serde's complaint that it is not `what`.
fn object<'a>(value: &'a Value, what: &str) -> Result<&'a Map<String, Value>, String> {
    value.as_object().ok_or_else(|| invalid_type(value, what))
}

fn field<'a>(fields: &'a Map<String, Value>, name: &str) -> Result<&'a Value, String> {
    fields
        .get(name)
        .ok_or_else(|| format!("missing field `{name}`"))
}

/// A field holding a whole number that fits `T` (`ty` names it as serde does).
fn number<T: TryFrom<u64>>(fields: &Map<String, Value>, name: &str, ty: &str) -> Result<T, String> {
    let value = field(fields, name)?;
    let Some(n) = value.as_u64() else {
        return Err(invalid_type(value, ty));
    };
    T::try_from(n).map_err(|_| format!("invalid value: integer `{n}`, expected {ty}"))
}

/// serde's "invalid type" message for `value` where `expected` was wanted.
fn invalid_type(value: &Value, expected: &str) -> String {
    let found = match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => format!("integer `{i}`"),
            (None, Some(f)) => format!("floating point `{f}`"),
            _ => format!("number `{n}`"),
        },
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "sequence".to_string(),
        Value::Object(_) => "map".to_string(),
    };
    format!("invalid type: {found}, expected {expected}")
}

/// What a step printed, line by line, as the terminal shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Printed {
    pub stream: Stream,
    pub text: String,
}

/// One step of the timeline.
#[derive(Clone, Debug)]
pub struct Step {
    /// Unique among every step the page made. Steps are only appended and truncated, so a step
    /// with this id at index `i` means the same steps `0..=i` as when it was made: a view may
    /// keep what it drew of a run of steps while the id of the run's last step is unchanged.
    pub id: u64,
    pub action: Action,
    /// The prompt shown when the action was typed.
    pub prompt: String,
    pub printed: Vec<Printed>,
    /// What was left out of `printed` (`output.rs`: the middle of a long output), if anything.
    pub omitted: Option<Omitted>,
    pub code: i32,
    pub changes: Vec<Change>,
    /// The session after this step. For a step the page's Web Worker ran, it is the page's copy
    /// ([`Session::viewing`]): the world as the worker left it, for reading only.
    pub after: Session,
    /// What the terminal shows after this step.
    pub shown: Shown,
    /// The latest step at or before this one that changed storage (its `changes` are not
    /// empty), so the views find it without walking the whole timeline.
    pub last_changed: Option<usize>,
    /// The latest browser visit at or before this step.
    pub last_browse: Option<usize>,
    /// The bytes of the session file's `actions` list up to and including this step's action
    /// (each action's JSON and the commas between them), so the size a new action would make
    /// is known without writing the whole file.
    file_bytes: usize,
}

/// What the terminal shows after a step: kept with the step, because a step the worker ran
/// has no shells on the page to ask.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    pub prompt: String,
    /// The terminal is attached to a container's shell.
    pub attached: bool,
    /// The host's bash has exited.
    pub closed: bool,
    /// The host shell's working directory (Tab completes paths from it).
    pub cwd: String,
}

impl Shown {
    pub fn of(session: &Session) -> Shown {
        Shown {
            prompt: session.prompt(),
            attached: session.attached_container().is_some(),
            closed: session.closed(),
            cwd: session.shell.cwd.clone(),
        }
    }
}

/// A step as it ran, before the timeline numbers it.
pub struct Ran {
    pub printed: Vec<Printed>,
    pub omitted: Option<Omitted>,
    pub code: i32,
    pub changes: Vec<Change>,
    pub after: Session,
    pub shown: Shown,
}

/// The text of a session file's actions as last written ([`Timeline::file_json`]): the first
/// `count` steps, the last of them with id `last_id` (a step's id names every step before it).
#[derive(Default)]
pub struct FileText {
    count: usize,
    last_id: u64,
    list: String,
}

/// The next [`Step::id`].
fn next_step_id() -> u64 {
    thread_local! {
        static NEXT: std::cell::Cell<u64> = const { std::cell::Cell::new(1) };
    }
    NEXT.with(|n| n.replace(n.get() + 1))
}

/// The bytes an action takes in the session file's JSON.
fn action_bytes(action: &Action) -> usize {
    serde_json::to_string(action).map_or(0, |json| json.len())
}

/// The whole history with a cursor: `steps[..cursor]` are applied; the rest can be redone until
/// the learner does something new.
#[derive(Clone, Debug)]
pub struct Timeline {
    start: Session,
    steps: Vec<Step>,
    cursor: usize,
}

impl Default for Timeline {
    fn default() -> Timeline {
        Timeline::new()
    }
}

impl Timeline {
    pub fn new() -> Timeline {
        Timeline::from_session(Session::new())
    }

    /// A timeline starting from a prepared session (a lesson's setup).
    pub fn from_session(mut start: Session) -> Timeline {
        start.tty = true;
        Timeline {
            start,
            steps: Vec::new(),
            cursor: 0,
        }
    }

    /// The session as it is at the cursor.
    pub fn current(&self) -> &Session {
        match self.cursor {
            0 => &self.start,
            n => &self.steps[n - 1].after,
        }
    }

    /// The session before the first step.
    pub fn start(&self) -> &Session {
        &self.start
    }

    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The applied steps.
    pub fn applied(&self) -> &[Step] {
        &self.steps[..self.cursor]
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn can_undo(&self) -> bool {
        self.cursor > 0
    }

    pub fn can_redo(&self) -> bool {
        self.cursor < self.steps.len()
    }

    pub fn undo(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn redo(&mut self) {
        if self.can_redo() {
            self.cursor += 1;
        }
    }

    /// Moves to just after step `index` (or to the start with `None`).
    pub fn seek(&mut self, after: Option<usize>) {
        self.cursor = after.map_or(0, |i| (i + 1).min(self.steps.len()));
    }

    /// Runs an action on the session at the cursor; steps after the cursor are dropped (typing
    /// continues from the step shown, as in an editor's undo).
    pub fn apply(&mut self, action: Action) -> &Step {
        if let Action::Interrupt { typed } = action {
            return self.interrupt(typed);
        }
        let mut session = self.current().clone();
        let (printed, code, changes) = run(&mut session, &action);
        let (printed, omitted) = crate::output::keep(printed);
        let shown = Shown::of(&session);
        self.push(
            action,
            Ran {
                printed,
                omitted,
                code,
                changes,
                after: session,
                shown,
            },
        )
    }

    /// What the terminal shows at the cursor.
    pub fn shown(&self) -> Shown {
        match self.cursor {
            0 => Shown::of(&self.start),
            n => self.steps[n - 1].shown.clone(),
        }
    }

    /// The prompt at the cursor once a command left open (`> `) is dropped: the prompt of the
    /// step where it was begun.
    pub(crate) fn prompt_before_pending(&self) -> String {
        let applied = self.applied();
        let open = applied
            .iter()
            .rev()
            .take_while(|s| s.shown.prompt == "> ")
            .count();
        match open {
            0 => self.shown().prompt,
            n => applied[applied.len() - n].prompt.clone(),
        }
    }

    /// Adds a step that ran elsewhere (the page's Web Worker) at the cursor, as [`apply`]
    /// would have made it: steps after the cursor are dropped.
    ///
    /// [`apply`]: Timeline::apply
    pub fn push(&mut self, action: Action, ran: Ran) -> &Step {
        let Ran {
            printed,
            omitted,
            code,
            changes,
            after: session,
            shown,
        } = ran;
        let prompt = self.shown().prompt;
        self.steps.truncate(self.cursor);
        let index = self.steps.len();
        let previous = self.steps.last();
        let file_bytes = self.file_bytes_with(&action);
        let last_changed = if changes.is_empty() {
            previous.and_then(|s| s.last_changed)
        } else {
            Some(index)
        };
        let last_browse = if matches!(action, Action::Browse { .. }) {
            Some(index)
        } else {
            previous.and_then(|s| s.last_browse)
        };
        self.steps.push(Step {
            id: next_step_id(),
            action,
            prompt,
            printed,
            omitted,
            code,
            changes,
            after: session,
            shown,
            last_changed,
            last_browse,
            file_bytes,
        });
        self.cursor = self.steps.len();
        &self.steps[self.cursor - 1]
    }

    /// The bytes of the `actions` list of the file the applied steps make with `action` after
    /// them.
    fn file_bytes_with(&self, action: &Action) -> usize {
        match self.cursor {
            0 => action_bytes(action),
            n => self.steps[n - 1].file_bytes + 1 + action_bytes(action),
        }
    }

    /// The applied step that changed storage latest, then the one before it, and so on.
    pub fn changed_steps(&self) -> impl Iterator<Item = &Step> {
        let mut at = self.applied().last().and_then(|s| s.last_changed);
        std::iter::from_fn(move || {
            let here = at?;
            at = here
                .checked_sub(1)
                .and_then(|before| self.steps[before].last_changed);
            Some(&self.steps[here])
        })
    }

    /// The latest applied browser visit.
    pub fn last_browse(&self) -> Option<&Step> {
        let at = self.applied().last()?.last_browse?;
        Some(&self.steps[at])
    }

    /// Whether the session file stays loadable with `action` applied at the cursor: the page
    /// refuses an action past the limits that loading checks, so what is saved always loads.
    /// It costs the action's size, not the session's.
    pub fn has_room_for(&self, action: &Action) -> bool {
        let actions = self.cursor + 1;
        SessionFile::within_limits(
            actions,
            SessionFile::json_bytes(self.file_bytes_with(action), actions),
        )
    }

    /// Whether the session file has used nine tenths of a limit (the page suggests exporting
    /// it), known without writing the file.
    pub fn nearly_full(&self) -> bool {
        let list = self.steps.last().map_or(0, |s| s.file_bytes);
        self.steps.len() * 10 >= SessionFile::MAX_ACTIONS * 9
            || SessionFile::json_bytes(list, self.cursor) * 10 >= SessionFile::MAX_BYTES * 9
    }

    /// The actions of every step, applied or not, for saving.
    pub fn file(&self) -> SessionFile {
        SessionFile {
            version: SessionFile::VERSION,
            actions: self.steps.iter().map(|s| s.action.clone()).collect(),
            cursor: self.cursor,
        }
    }

    /// The session file's JSON, as `file().to_json()` writes it, reusing `kept`'s text of the
    /// actions the last call wrote: a save after a step costs that step, not the session.
    pub fn file_json(&self, kept: &mut FileText) -> String {
        let holds = kept.count <= self.steps.len()
            && (kept.count == 0 || self.steps[kept.count - 1].id == kept.last_id);
        if !holds {
            *kept = FileText::default();
        }
        for step in &self.steps[kept.count..] {
            if !kept.list.is_empty() {
                kept.list.push(',');
            }
            kept.list
                .push_str(&serde_json::to_string(&step.action).unwrap_or_default());
        }
        kept.count = self.steps.len();
        kept.last_id = self.steps.last().map_or(0, |s| s.id);
        format!(
            r#"{{"version":{},"actions":[{}],"cursor":{}}}"#,
            SessionFile::VERSION,
            kept.list,
            self.cursor
        )
    }

    /// Rebuilds a timeline by replaying a session file from `start`.
    pub fn replay(start: Session, file: &SessionFile) -> Timeline {
        let mut timeline = Timeline::from_session(start);
        for action in &file.actions {
            timeline.apply(action.clone());
        }
        timeline.cursor = file.cursor.min(timeline.steps.len());
        timeline
    }
}

/// Runs one action on `session`: what it printed, its exit code, its storage events.
fn run(session: &mut Session, action: &Action) -> (Vec<Printed>, i32, Vec<Change>) {
    let result = match action {
        Action::Line { line } => session.run_line(line),
        Action::Interrupt { .. } => session.interrupt(),
        Action::EndOfInput => session.end_of_input(),
        Action::Wait { seconds } => session.wait(*seconds),
        Action::Browse { port, path } => {
            let (printed, code) = match session.http_get(*port, path) {
                Ok((status, body)) => (
                    vec![Printed {
                        stream: if status < 400 {
                            Stream::Stdout
                        } else {
                            Stream::Stderr
                        },
                        text: body,
                    }],
                    if status < 400 { 0 } else { 22 },
                ),
                Err(why) => (
                    vec![Printed {
                        stream: Stream::Stderr,
                        text: why,
                    }],
                    7,
                ),
            };
            return (printed, code, session.take_changes());
        }
        Action::HostWrite { path, text } => {
            return host_edit(
                session,
                path,
                HostEdit::Write {
                    path,
                    bytes: text.as_bytes(),
                },
            )
        }
        Action::HostMkdir { path } => return host_edit(session, path, HostEdit::Mkdir { path }),
        Action::HostRemove { path } => return host_edit(session, path, HostEdit::Remove { path }),
    };
    (
        Printed::all(&result.transcript),
        result.code,
        result.changes,
    )
}

/// A change made from the host panel, as the host user; errors are printed as the panel's own.
fn host_edit(
    session: &mut Session,
    path: &str,
    edit: HostEdit<'_>,
) -> (Vec<Printed>, i32, Vec<Change>) {
    match session.edit_host(edit) {
        (Ok(()), changes) => (Vec::new(), 0, changes),
        (Err(e), changes) => (
            vec![Printed {
                stream: Stream::Stderr,
                text: format!("{path}: {e}\n"),
            }],
            1,
            changes,
        ),
    }
}

/// The saved form of a session: the actions in order and where the cursor was.
///
/// Written by serde; read by hand from a `serde_json::Value` ([`SessionFile::from_json`]), with
/// serde's words for what is wrong: derived deserializers for an internally tagged enum cost
/// the web bundle more than this whole reader.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SessionFile {
    pub version: u32,
    pub actions: Vec<Action>,
    pub cursor: usize,
}

/// Why a session file was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// Not JSON of the right shape; the parser's words.
    Malformed(String),
    /// Written by a version of layerbox this one does not read.
    Version(u32),
    /// More actions or bytes than a session may have.
    TooLarge,
    /// A share link that is not one.
    BadLink,
}

impl SessionFile {
    pub const VERSION: u32 = 1;

    /// A session with no steps yet: a start alone.
    pub fn empty() -> SessionFile {
        SessionFile {
            version: SessionFile::VERSION,
            actions: Vec::new(),
            cursor: 0,
        }
    }
    /// At most this many actions in a file.
    pub const MAX_ACTIONS: usize = 2000;
    /// At most this many bytes of JSON.
    pub const MAX_BYTES: usize = 1 << 20;
    /// A share link's payload may be at most this long (URLs beyond ~8 KB break in some places).
    pub const MAX_LINK: usize = 6000;

    /// The file as saved, exported and shared: compact JSON, so the limit that loading checks
    /// is the one that saving and exporting check.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The bytes of the compact JSON of a file whose `actions` list holds `list_bytes` bytes
    /// between its brackets and whose cursor is `cursor`.
    pub fn json_bytes(list_bytes: usize, cursor: usize) -> usize {
        // {"version":1,"actions":[...],"cursor":N}
        let digits = |n: usize| n.checked_ilog10().map_or(1, |d| d as usize + 1);
        r#"{"version":,"actions":[],"cursor":}"#.len()
            + digits(Self::VERSION as usize)
            + list_bytes
            + digits(cursor)
    }

    /// Whether `actions` actions in `bytes` bytes of JSON are within what loading accepts.
    pub fn within_limits(actions: usize, bytes: usize) -> bool {
        actions <= Self::MAX_ACTIONS && bytes <= Self::MAX_BYTES
    }

    /// Whether this file loads back (its size is within the limits).
    pub fn fits(&self) -> bool {
        Self::within_limits(self.actions.len(), self.to_json().len())
    }

    /// Parses and validates a session file.
    pub fn from_json(text: &str) -> Result<SessionFile, LoadError> {
        if text.len() > Self::MAX_BYTES {
            return Err(LoadError::TooLarge);
        }
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| LoadError::Malformed(e.to_string()))?;
        match value.get("version").and_then(|v| v.as_u64()) {
            Some(v) if v == u64::from(Self::VERSION) => {}
            Some(v) => return Err(LoadError::Version(u32::try_from(v).unwrap_or(u32::MAX))),
            None => return Err(LoadError::Malformed("missing field `version`".into())),
        }
        let file = SessionFile::from_value(&value).map_err(LoadError::Malformed)?;
        if file.actions.len() > Self::MAX_ACTIONS {
            return Err(LoadError::TooLarge);
        }
        if file.cursor > file.actions.len() {
            return Err(LoadError::Malformed(format!(
                "cursor {} is past the {} actions",
                file.cursor,
                file.actions.len()
            )));
        }
        Ok(file)
    }

    /// The fields of a session file, refusing what serde's `deny_unknown_fields` would.
    fn from_value(value: &Value) -> Result<SessionFile, String> {
        let fields = object(value, "struct SessionFile")?;
        if let Some(name) = fields
            .keys()
            .find(|name| !["version", "actions", "cursor"].contains(&name.as_str()))
        {
            return Err(format!(
                "unknown field `{name}`, expected one of `version`, `actions`, `cursor`"
            ));
        }
        let version = number(fields, "version", "u32")?;
        let actions = match field(fields, "actions")? {
            Value::Array(items) => items
                .iter()
                .map(Action::from_value)
                .collect::<Result<Vec<_>, _>>()?,
            other => return Err(invalid_type(other, "a sequence")),
        };
        let cursor = number(fields, "cursor", "usize")?;
        Ok(SessionFile {
            version,
            actions,
            cursor,
        })
    }

    /// The share-link payload: deflated JSON in URL-safe base64. `None` when too long to share.
    pub fn to_link(&self) -> Option<String> {
        use base64::Engine as _;
        let json = self.to_json().into_bytes();
        let packed = miniz_oxide::deflate::compress_to_vec(&json, 9);
        let text = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed);
        (text.len() <= Self::MAX_LINK).then_some(text)
    }

    /// Reads a share-link payload.
    pub fn from_link(text: &str) -> Result<SessionFile, LoadError> {
        use base64::Engine as _;
        if text.len() > Self::MAX_LINK {
            return Err(LoadError::TooLarge);
        }
        let packed = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(text.trim())
            .map_err(|_| LoadError::BadLink)?;
        let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, Self::MAX_BYTES)
            .map_err(|_| LoadError::BadLink)?;
        let json = String::from_utf8(json).map_err(|_| LoadError::BadLink)?;
        SessionFile::from_json(&json)
    }
}

#[cfg(test)]
mod tests;
