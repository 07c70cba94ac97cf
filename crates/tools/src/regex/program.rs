//! A parsed expression compiled to a Thompson-NFA program, and the Pike VM that runs it over a
//! line in time bounded by program size × line length, one step per thread per character,
//! counted against the caller's [`Budget`].

use super::class::{is_word, same, Set};
use super::parse::{ErrorKind, Look, Node};
use super::{Budget, Exhausted};

/// The most instructions a program may have. Emulation note: glibc compiles bigger patterns
/// (`a\{32767\}`); layerbox refuses them as too costly.
const MAX_INSTS: usize = 100_000;

/// One instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Inst {
    Unit(u32),
    Any,
    Set(u32),
    Look(Look),
    /// Go on at both, the first preferred.
    Split(u32, u32),
    Jmp(u32),
    /// Record the position in capture slot `n` (group `n / 2`).
    Save(u8),
    /// A loop's body starts: record the position in loop register `n`.
    Mark(u32),
    /// A loop's body ended: go round again at `head` (or on), unless the body matched nothing
    /// since its `Mark`, which would only go round for ever (then only on).
    Loop {
        reg: u32,
        head: u32,
    },
    Backref(u8),
    Match,
}

/// A compiled expression.
#[derive(Debug, Clone)]
pub(super) struct Program {
    pub(super) insts: Vec<Inst>,
    pub(super) sets: Vec<Set>,
    /// How many loop registers `Mark` and `Loop` use.
    pub(super) loops: u32,
    /// Every match starts at the start of the line.
    pub(super) anchored: bool,
    /// Characters (GNU grep) rather than bytes (BusyBox).
    pub(super) wide: bool,
    pub(super) icase: bool,
}

struct Compiler {
    insts: Vec<Inst>,
    sets: Vec<Set>,
    loops: u32,
    /// Nodes compiled so far: bounds the work of repeating empty nodes (`\(\)\{32767\}`).
    work: usize,
}

impl Program {
    pub(super) fn compile(node: &Node, wide: bool, icase: bool) -> Result<Program, ErrorKind> {
        let mut c = Compiler {
            insts: Vec::new(),
            sets: Vec::new(),
            loops: 0,
            work: 0,
        };
        c.node(node)?;
        c.emit(Inst::Match)?;
        Ok(Program {
            insts: c.insts,
            sets: c.sets,
            loops: c.loops,
            anchored: anchored(node),
            wide,
            icase,
        })
    }

    /// Whether the character at `at` is accepted by the consuming instruction `inst`.
    pub(super) fn accepts(&self, inst: Inst, text: &[u32], at: usize) -> bool {
        let Some(&c) = text.get(at) else {
            return false;
        };
        match inst {
            Inst::Unit(u) => same(c, u, self.wide, self.icase),
            Inst::Any => true,
            Inst::Set(i) => self.sets[i as usize].matches(c, self.wide, self.icase),
            _ => false,
        }
    }

    /// Whether assertion `look` holds at `at`.
    pub(super) fn holds(&self, look: Look, text: &[u32], at: usize) -> bool {
        let before = at > 0 && is_word(text[at - 1], self.wide);
        let after = text.get(at).is_some_and(|&c| is_word(c, self.wide));
        match look {
            Look::Start => at == 0,
            Look::End => at == text.len(),
            Look::WordBoundary => before != after,
            Look::NotWordBoundary => before == after,
            Look::WordStart => !before && after,
            Look::WordEnd => before && !after,
            Look::NoWordBefore => !before,
            Look::NoWordAfter => !after,
        }
    }

    /// Whether the program matches somewhere in `text`: the Pike VM (no back-references).
    pub(super) fn pike(
        &self,
        text: &[u32],
        sets: &mut (SparseSet, SparseSet),
        stack: &mut Vec<u32>,
        budget: &mut Budget,
    ) -> Result<bool, Exhausted> {
        let (clist, nlist) = sets;
        clist.reset(self.insts.len());
        nlist.reset(self.insts.len());
        for at in 0..=text.len() {
            if at == 0 || !self.anchored {
                let visited = self.add(clist, stack, 0, text, at);
                budget.spend(visited)?;
            }
            if clist.dense.is_empty() && self.anchored {
                return Ok(false);
            }
            budget.spend(clist.dense.len())?;
            for k in 0..clist.dense.len() {
                let pc = clist.dense[k];
                let inst = self.insts[pc as usize];
                match inst {
                    Inst::Match => return Ok(true),
                    Inst::Unit(_) | Inst::Any | Inst::Set(_) if self.accepts(inst, text, at) => {
                        let visited = self.add(nlist, stack, pc + 1, text, at + 1);
                        budget.spend(visited)?;
                    }
                    _ => {}
                }
            }
            std::mem::swap(clist, nlist);
            nlist.clear();
        }
        Ok(false)
    }

    /// Adds `pc` and everything reachable from it without consuming input at `at`; how many
    /// instructions it visited.
    /// The end of the longest match that starts at `start` (POSIX's leftmost-longest, for `-o`),
    /// if one does.
    pub(super) fn longest_from(
        &self,
        text: &[u32],
        start: usize,
        sets: &mut (SparseSet, SparseSet),
        stack: &mut Vec<u32>,
        budget: &mut Budget,
    ) -> Result<Option<usize>, Exhausted> {
        let (clist, nlist) = sets;
        clist.reset(self.insts.len());
        nlist.reset(self.insts.len());
        let visited = self.add(clist, stack, 0, text, start);
        budget.spend(visited)?;
        let mut best = None;
        for at in start..=text.len() {
            if clist.dense.is_empty() {
                break;
            }
            budget.spend(clist.dense.len())?;
            for k in 0..clist.dense.len() {
                let pc = clist.dense[k];
                let inst = self.insts[pc as usize];
                match inst {
                    Inst::Match => best = Some(at),
                    Inst::Unit(_) | Inst::Any | Inst::Set(_) if self.accepts(inst, text, at) => {
                        let visited = self.add(nlist, stack, pc + 1, text, at + 1);
                        budget.spend(visited)?;
                    }
                    _ => {}
                }
            }
            std::mem::swap(clist, nlist);
            nlist.clear();
        }
        Ok(best)
    }

    pub(super) fn add(
        &self,
        set: &mut SparseSet,
        stack: &mut Vec<u32>,
        pc: u32,
        text: &[u32],
        at: usize,
    ) -> usize {
        let mut visited = 0;
        stack.push(pc);
        while let Some(pc) = stack.pop() {
            if !set.insert(pc) {
                continue;
            }
            visited += 1;
            match self.insts[pc as usize] {
                Inst::Jmp(to) => stack.push(to),
                Inst::Split(a, b) => {
                    stack.push(b);
                    stack.push(a);
                }
                Inst::Loop { head, .. } => {
                    stack.push(pc + 1);
                    stack.push(head);
                }
                Inst::Look(look) => {
                    if self.holds(look, text, at) {
                        stack.push(pc + 1);
                    }
                }
                Inst::Save(_) | Inst::Mark(_) => stack.push(pc + 1),
                Inst::Unit(_) | Inst::Any | Inst::Set(_) | Inst::Backref(_) | Inst::Match => {}
            }
        }
        visited
    }
}

/// Whether every match of `node` must start at the start of the line.
fn anchored(node: &Node) -> bool {
    match node {
        Node::Look(Look::Start) => true,
        Node::Concat(v) => v.first().is_some_and(anchored),
        Node::Alt(v) => v.iter().all(anchored),
        Node::Group(n, _) => anchored(n),
        _ => false,
    }
}

impl Compiler {
    fn pc(&self) -> u32 {
        self.insts.len() as u32
    }

    fn emit(&mut self, inst: Inst) -> Result<u32, ErrorKind> {
        if self.insts.len() >= MAX_INSTS {
            return Err(ErrorKind::TooCostly);
        }
        self.insts.push(inst);
        Ok(self.pc() - 1)
    }

    fn patch(&mut self, at: u32, inst: Inst) {
        self.insts[at as usize] = inst;
    }

    fn node(&mut self, node: &Node) -> Result<(), ErrorKind> {
        self.work += 1;
        if self.work > 4 * MAX_INSTS {
            return Err(ErrorKind::TooCostly);
        }
        match node {
            Node::Empty => {}
            Node::Unit(u) => {
                self.emit(Inst::Unit(*u))?;
            }
            Node::Any => {
                self.emit(Inst::Any)?;
            }
            Node::Set(set) => {
                let i = self.sets.len() as u32;
                self.sets.push((**set).clone());
                self.emit(Inst::Set(i))?;
            }
            Node::Look(look) => {
                self.emit(Inst::Look(*look))?;
            }
            Node::Backref(k) => {
                self.emit(Inst::Backref(*k))?;
            }
            Node::Group(inner, k) => {
                if let Some(k) = k {
                    self.emit(Inst::Save(2 * k))?;
                }
                self.node(inner)?;
                if let Some(k) = k {
                    self.emit(Inst::Save(2 * k + 1))?;
                }
            }
            Node::Concat(seq) => {
                for n in seq {
                    self.node(n)?;
                }
            }
            Node::Alt(branches) => {
                let mut ends = Vec::new();
                for (i, b) in branches.iter().enumerate() {
                    if i + 1 == branches.len() {
                        self.node(b)?;
                        break;
                    }
                    let split = self.emit(Inst::Split(0, 0))?;
                    self.node(b)?;
                    ends.push(self.emit(Inst::Jmp(0))?);
                    let next = self.pc();
                    self.patch(split, Inst::Split(split + 1, next));
                }
                let end = self.pc();
                for j in ends {
                    self.patch(j, Inst::Jmp(end));
                }
            }
            Node::Repeat { node, min, max } => self.repeat(node, *min, *max)?,
        }
        Ok(())
    }

    fn repeat(&mut self, node: &Node, min: u32, max: Option<u32>) -> Result<(), ErrorKind> {
        match max {
            None => {
                for _ in 1..min {
                    self.node(node)?;
                }
                let split = (min == 0)
                    .then(|| self.emit(Inst::Split(0, 0)))
                    .transpose()?;
                let reg = self.loops;
                self.loops += 1;
                let head = self.emit(Inst::Mark(reg))?;
                self.node(node)?;
                self.emit(Inst::Loop { reg, head })?;
                if let Some(split) = split {
                    let end = self.pc();
                    self.patch(split, Inst::Split(head, end));
                }
            }
            Some(max) => {
                for _ in 0..min {
                    self.node(node)?;
                }
                let mut splits = Vec::new();
                for _ in min..max {
                    splits.push(self.emit(Inst::Split(0, 0))?);
                    self.node(node)?;
                }
                let end = self.pc();
                for s in splits {
                    self.patch(s, Inst::Split(s + 1, end));
                }
            }
        }
        Ok(())
    }
}

/// A set of program counters in insertion order, cleared in constant time.
#[derive(Debug, Default)]
pub(super) struct SparseSet {
    pub(super) dense: Vec<u32>,
    sparse: Vec<u32>,
}

impl SparseSet {
    /// Empties the set and sizes it for `n` instructions.
    pub(super) fn reset(&mut self, n: usize) {
        self.dense.clear();
        if self.sparse.len() < n {
            self.sparse.resize(n, 0);
        }
    }

    pub(super) fn clear(&mut self) {
        self.dense.clear();
    }

    /// Inserts `pc`; `false` if it was there.
    fn insert(&mut self, pc: u32) -> bool {
        let i = self.sparse[pc as usize] as usize;
        if i < self.dense.len() && self.dense[i] == pc {
            return false;
        }
        self.sparse[pc as usize] = self.dense.len() as u32;
        self.dense.push(pc);
        true
    }
}
