//! The syntax tree of a parsed script: lists, pipelines, commands, words and redirections.

/// A whole input: and-or lists run one after another (`;`, `&` and newlines separate them).
pub type Program = Vec<AndOr>;

/// `a && b || c`: the first pipeline, then each further one guarded by its operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AndOr {
    pub first: Pipeline,
    pub rest: Vec<(Connector, Pipeline)>,
    /// Ended by `&`. Emulation note: run in the foreground, as if ended by `;`.
    pub background: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connector {
    And,
    Or,
}

/// `! a | b | c`: stages run one after another, each one's stdout buffered into the next one's
/// stdin. Emulation note: no concurrency, so `yes | head` would not end; loops are capped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pipeline {
    pub negated: bool,
    /// bash's `time` (or `time -p`) before the pipeline.
    pub timed: bool,
    pub commands: Vec<Command>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Simple(SimpleCommand),
    Compound(Compound, Vec<Redirect>),
    /// `name() compound-command`: defines a function when run.
    Function(String, Box<Command>),
}

/// `A=1 B=2 name args... >file`: assignments, words and redirections in the order typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimpleCommand {
    pub assignments: Vec<(String, Word)>,
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
    /// 1-based line of the command's first token, for bash's `line N:` in `bash -c`.
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Compound {
    /// `{ list; }`
    Group(Program),
    /// `( list )`: runs in a copy of the shell; changes to variables and cwd do not leak.
    Subshell(Program),
    /// `if c; then b; elif c; then b; else b; fi`
    If {
        branches: Vec<(Program, Program)>,
        otherwise: Option<Program>,
    },
    /// `for name in words; do body; done` (no `in`: the positional parameters).
    For {
        var: String,
        words: Option<Vec<Word>>,
        body: Program,
    },
    /// `while c; do b; done`, or `until` when `until` is set.
    While {
        cond: Program,
        body: Program,
        until: bool,
    },
    /// `case word in pattern|pattern) list;; ... esac`
    Case {
        word: Word,
        arms: Vec<(Vec<Word>, Program)>,
    },
}

/// A word as typed, before expansion.
pub type Word = Vec<WordPart>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WordPart {
    /// Unquoted text: subject to globbing.
    Literal(String),
    /// Text quoted by `'...'`, `\x` or inside `"..."`: taken literally.
    Quoted(String),
    /// `"..."`: its parts are expanded but never split or globbed.
    DoubleQuoted(Vec<WordPart>),
    /// `$name`, `${name}`, `${name:-word}` ...
    Param(Param),
    /// `$(...)` or backquotes.
    CommandSubst(Program),
    /// `$((...))`, the expression text after parameter expansion.
    Arith(Vec<WordPart>),
}

/// A parameter expansion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// A variable name, a digit string, or one of `? # @ * $ ! 0 -`.
    pub name: String,
    pub op: ParamOp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamOp {
    Plain,
    /// `${#name}`
    Length,
    /// `${name-w}` / `${name:-w}` (the bool: with the colon, empty counts as unset).
    Default(bool, Word),
    /// `${name=w}` / `${name:=w}`
    Assign(bool, Word),
    /// `${name+w}` / `${name:+w}`
    Alternative(bool, Word),
    /// `${name?w}` / `${name:?w}`
    Error(bool, Word),
    /// `${name%w}` (false) / `${name%%w}` (true)
    RemoveSuffix(bool, Word),
    /// `${name#w}` (false) / `${name##w}` (true)
    RemovePrefix(bool, Word),
}

/// A redirection: `[n]>word`, `[n]>>word`, `[n]<word`, `[n]>&m`, `[n]<&m`, `[n]<<DELIM`
/// (the target is then the here-document's body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub fd: u32,
    pub kind: RedirectKind,
    pub target: Word,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirectKind {
    /// `>`
    Write,
    /// `>|`: `>` even under `set -C`.
    Clobber,
    /// `&>`: stdout and stderr to one file (bash, and ash's bash compatibility).
    WriteBoth,
    /// `&>>` (bash).
    AppendBoth,
    /// `<<<WORD` (bash): the word and a newline as stdin.
    HereString,
    /// `>>`
    Append,
    /// `<`
    Read,
    /// `<>`
    ReadWrite,
    /// `>&m` and `<&m` (`-` closes)
    Dup,
    /// `<<DELIM` and `<<-DELIM`: the body, expanded unless the delimiter was quoted.
    HereDoc,
}
