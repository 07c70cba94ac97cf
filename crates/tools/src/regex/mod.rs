//! grep's regular expressions: POSIX basic (BRE) and extended (ERE) syntax as glibc's
//! `regcomp` reads it, with GNU's operators and back-references, run by one bounded engine.
//!
//! `parse.rs` reads a pattern into a tree, with glibc's error kinds and GNU grep's warnings;
//! `class.rs` holds bracket expressions and classes; `program.rs` compiles the tree to a
//! Thompson-NFA program and runs it with a Pike VM, whose time is bounded by program size ×
//! line length; `backtrack.rs` runs a program with back-references, which no automaton can, by
//! a backtracking search with an explicit stack. [`Regex::find`] (for `grep -o`) gives POSIX's
//! leftmost-longest match by running the Pike VM from each start in turn, the longest end
//! kept; a pattern with back-references has no span here. Nothing recurses per character, and
//! every step of either is charged to a [`Budget`]: a search that spends it ends with
//! [`Exhausted`], never with a "no match".
//!
//! GNU grep matches characters (C.UTF-8); BusyBox, built without locale support, matches bytes,
//! so there `.` is one byte and `-i` folds ASCII only.

mod backtrack;
mod captures;
mod class;
mod find;
mod parse;
mod program;

pub use parse::ErrorKind;

use parse::{Look, Node, Parser, Syntax};
use program::{Program, SparseSet};

/// How a pattern is read and matched.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// `-E`: extended syntax.
    pub extended: bool,
    /// `-i`.
    pub icase: bool,
    /// GNU grep (characters, GNU's warnings) rather than BusyBox (bytes).
    pub gnu: bool,
    /// `-x`: the match is the whole line.
    pub whole_line: bool,
    /// `-w`: the match has no word character on either side.
    pub whole_word: bool,
}

/// The work a search may do: one step per VM thread per character, per backtracking
/// instruction.
#[derive(Debug, Clone)]
pub struct Budget {
    start: usize,
    left: usize,
}

/// The budget ran out before the search could answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exhausted;

impl Budget {
    pub fn new(steps: usize) -> Budget {
        Budget {
            start: steps,
            left: steps,
        }
    }

    /// The steps taken so far.
    pub fn used(&self) -> usize {
        self.start - self.left
    }

    pub(crate) fn spend(&mut self, steps: usize) -> Result<(), Exhausted> {
        self.left = self.left.checked_sub(steps).ok_or(Exhausted)?;
        Ok(())
    }
}

/// A compiled pattern.
#[derive(Debug, Clone)]
pub struct Regex {
    program: Program,
    backrefs: bool,
    /// The pattern is this plain text, searched for as bytes.
    literal: Option<Vec<u8>>,
}

/// What matching reuses from line to line, and the budget it spends.
#[derive(Debug)]
pub struct Search {
    pub budget: Budget,
    units: Vec<u32>,
    sets: (SparseSet, SparseSet),
    stack: Vec<u32>,
    backtrack: backtrack::Scratch,
}

impl Search {
    pub fn new(budget: Budget) -> Search {
        Search {
            budget,
            units: Vec::new(),
            sets: Default::default(),
            stack: Vec::new(),
            backtrack: Default::default(),
        }
    }
}

/// The pattern's characters (GNU) or bytes (BusyBox).
fn units(text: &[u8], wide: bool, out: &mut Vec<u32>) {
    out.clear();
    if wide {
        out.extend(String::from_utf8_lossy(text).chars().map(u32::from));
    } else {
        out.extend(text.iter().map(|&b| u32::from(b)));
    }
}

impl Regex {
    /// Compiles `pattern`; the warnings GNU grep prints for it come back beside it.
    pub fn new(pattern: &str, o: Options) -> Result<(Regex, Vec<String>), ErrorKind> {
        let mut text = Vec::new();
        units(pattern.as_bytes(), o.gnu, &mut text);
        let syntax = Syntax {
            extended: o.extended,
            gnu: o.gnu,
        };
        let mut parser = Parser::new(&text, syntax);
        let node = parser.parse()?;
        let warnings = std::mem::take(&mut parser.warnings);
        Ok((Regex::build(node, o)?, warnings))
    }

    /// `-F`: the pattern is plain text.
    pub fn fixed(text: &str, o: Options) -> Result<Regex, ErrorKind> {
        let mut u = Vec::new();
        units(text.as_bytes(), o.gnu, &mut u);
        Regex::build(Node::Concat(u.into_iter().map(Node::Unit).collect()), o)
    }

    fn build(node: Node, o: Options) -> Result<Regex, ErrorKind> {
        let literal = if o.icase || o.whole_line || o.whole_word {
            None
        } else {
            literal(&node, o.gnu)
        };
        let mut node = node;
        if o.whole_word {
            node = Node::Concat(vec![
                Node::Look(Look::NoWordBefore),
                Node::Group(Box::new(node), None),
                Node::Look(Look::NoWordAfter),
            ]);
        }
        if o.whole_line {
            node = Node::Concat(vec![
                Node::Look(Look::Start),
                Node::Group(Box::new(node), None),
                Node::Look(Look::End),
            ]);
        }
        Ok(Regex {
            backrefs: node.has_backref(),
            program: Program::compile(&node, o.gnu, o.icase)?,
            literal,
        })
    }

    /// Whether the pattern matches somewhere in `line` (without its newline).
    pub fn is_match(&self, line: &[u8], search: &mut Search) -> Result<bool, Exhausted> {
        if let Some(lit) = &self.literal {
            // Plain text needs no automaton; `str::contains` is linear.
            if let (Ok(hay), Ok(needle)) = (std::str::from_utf8(line), std::str::from_utf8(lit)) {
                return Ok(hay.contains(needle));
            }
        }
        let mut text = std::mem::take(&mut search.units);
        units(line, self.program.wide, &mut text);
        let result = if self.backrefs {
            self.program
                .backtrack(&text, &mut search.backtrack, &mut search.budget)
        } else {
            self.program.pike(
                &text,
                &mut search.sets,
                &mut search.stack,
                &mut search.budget,
            )
        };
        search.units = text;
        result
    }
}

/// The byte offset in `line` where each unit of [`units`] starts, and the line's end last.
fn unit_offsets(line: &[u8], wide: bool) -> Vec<usize> {
    if !wide {
        return (0..=line.len()).collect();
    }
    let mut offsets = Vec::new();
    let mut at = 0;
    for chunk in line.utf8_chunks() {
        for (i, _) in chunk.valid().char_indices() {
            offsets.push(at + i);
        }
        at += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            // One U+FFFD stands for the whole invalid sequence.
            offsets.push(at);
            at += chunk.invalid().len();
        }
    }
    offsets.push(line.len());
    offsets
}

/// A match a search found: byte offsets into the line.
pub type Span = (usize, usize);

/// Why [`Regex::find`] gave no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindError {
    Exhausted,
    /// The pattern has back-references, which only a match/no-match search runs.
    Backrefs,
}

impl Regex {
    /// The leftmost-longest match that starts at or after byte `from` of `line` (the whole
    /// line is the context of `^`, `$` and word boundaries), as POSIX's `regexec` finds it.
    pub fn find(
        &self,
        line: &[u8],
        from: usize,
        search: &mut Search,
    ) -> Result<Option<Span>, FindError> {
        if self.backrefs {
            return Err(FindError::Backrefs);
        }
        let mut text = std::mem::take(&mut search.units);
        units(line, self.program.wide, &mut text);
        let offsets = unit_offsets(line, self.program.wide);
        let first = offsets
            .iter()
            .position(|&o| o >= from)
            .unwrap_or(offsets.len());
        let mut found = Ok(None);
        for start in first..=text.len() {
            if self.program.anchored && start > 0 {
                break;
            }
            match self.program.longest_from(
                &text,
                start,
                &mut search.sets,
                &mut search.stack,
                &mut search.budget,
            ) {
                Ok(Some(end)) => {
                    found = Ok(Some((offsets[start], offsets[end])));
                    break;
                }
                Ok(None) => {}
                Err(Exhausted) => {
                    found = Err(FindError::Exhausted);
                    break;
                }
            }
        }
        search.units = text;
        found
    }
}

/// The bytes of a pattern that is plain text (characters only), if it is.
fn literal(node: &Node, wide: bool) -> Option<Vec<u8>> {
    let units: Vec<u32> = match node {
        Node::Empty => Vec::new(),
        Node::Unit(u) => vec![*u],
        Node::Concat(v) => v
            .iter()
            .map(|n| match n {
                Node::Unit(u) => Some(*u),
                _ => None,
            })
            .collect::<Option<_>>()?,
        _ => return None,
    };
    if wide {
        let s: String = units.iter().filter_map(|&u| char::from_u32(u)).collect();
        Some(s.into_bytes())
    } else {
        units.iter().map(|&u| u8::try_from(u).ok()).collect()
    }
}

#[cfg(test)]
mod tests;
