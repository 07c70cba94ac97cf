//! The bounded fallback for patterns with back-references (`\(a*\)b\1`), which no automaton can
//! run: a backtracking search over the same program with an explicit stack (no recursion),
//! every instruction one step of the caller's [`Budget`], and the stack itself capped.

use super::program::{Inst, Program};
use super::{Budget, Exhausted};

/// The most choice points and undo records kept at once.
const MAX_FRAMES: usize = 200_000;
/// An unset capture or loop register.
const UNSET: usize = usize::MAX;

/// One entry of the backtracking stack.
#[derive(Debug, Clone, Copy)]
pub(super) enum Frame {
    /// A choice not taken yet: go on at `pc` from `at`.
    Try { pc: u32, at: usize },
    /// Undo a capture slot.
    Cap { slot: u8, old: usize },
    /// Undo a loop register.
    Reg { reg: u32, old: usize },
}

/// What a backtracking run reuses from line to line.
#[derive(Debug, Default)]
pub(super) struct Scratch {
    stack: Vec<Frame>,
    caps: Vec<usize>,
    regs: Vec<usize>,
    /// Where the last match ended.
    end: usize,
}

impl Program {
    /// Whether the program matches somewhere in `text`, back-references included.
    pub(super) fn backtrack(
        &self,
        text: &[u32],
        s: &mut Scratch,
        budget: &mut Budget,
    ) -> Result<bool, Exhausted> {
        let last = if self.anchored { 0 } else { text.len() };
        for start in 0..=last {
            if self.from(start, text, s, budget)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The capture slots of the first match from `start` (slot 0 and 1 the match itself).
    pub(super) fn backtrack_from(
        &self,
        text: &[u32],
        start: usize,
        s: &mut Scratch,
        budget: &mut Budget,
    ) -> Result<Option<Vec<usize>>, Exhausted> {
        if !self.from(start, text, s, budget)? {
            return Ok(None);
        }
        let mut caps = s.caps.clone();
        caps[0] = start;
        caps[1] = s.end;
        Ok(Some(caps))
    }

    fn from(
        &self,
        start: usize,
        text: &[u32],
        s: &mut Scratch,
        budget: &mut Budget,
    ) -> Result<bool, Exhausted> {
        s.stack.clear();
        s.caps.clear();
        s.caps.resize(20, UNSET);
        s.regs.clear();
        s.regs.resize(self.loops as usize, UNSET);
        s.stack.push(Frame::Try { pc: 0, at: start });
        while let Some(frame) = s.stack.pop() {
            let (mut pc, mut at) = match frame {
                Frame::Try { pc, at } => (pc, at),
                Frame::Cap { slot, old } => {
                    s.caps[slot as usize] = old;
                    continue;
                }
                Frame::Reg { reg, old } => {
                    s.regs[reg as usize] = old;
                    continue;
                }
            };
            // Run one thread until it fails (then the stack says where to resume) or matches.
            loop {
                budget.spend(1)?;
                if s.stack.len() > MAX_FRAMES {
                    return Err(Exhausted);
                }
                let inst = self.insts[pc as usize];
                match inst {
                    Inst::Match => {
                        s.end = at;
                        return Ok(true);
                    }
                    Inst::Unit(_) | Inst::Any | Inst::Set(_) => {
                        if !self.accepts(inst, text, at) {
                            break;
                        }
                        pc += 1;
                        at += 1;
                    }
                    Inst::Look(look) => {
                        if !self.holds(look, text, at) {
                            break;
                        }
                        pc += 1;
                    }
                    Inst::Split(a, b) => {
                        s.stack.push(Frame::Try { pc: b, at });
                        pc = a;
                    }
                    Inst::Jmp(to) => pc = to,
                    Inst::Save(slot) => {
                        let old = s.caps[slot as usize];
                        s.stack.push(Frame::Cap { slot, old });
                        s.caps[slot as usize] = at;
                        pc += 1;
                    }
                    Inst::Mark(reg) => {
                        let old = s.regs[reg as usize];
                        s.stack.push(Frame::Reg { reg, old });
                        s.regs[reg as usize] = at;
                        pc += 1;
                    }
                    Inst::Loop { reg, head } => {
                        if s.regs[reg as usize] != at {
                            s.stack.push(Frame::Try { pc: pc + 1, at });
                            pc = head;
                        } else {
                            pc += 1;
                        }
                    }
                    Inst::Backref(k) => {
                        let (from, to) = (s.caps[2 * k as usize], s.caps[2 * k as usize + 1]);
                        if from == UNSET || to == UNSET || to < from {
                            break;
                        }
                        let len = to - from;
                        budget.spend(len)?;
                        let Some(here) = text.get(at..at + len) else {
                            break;
                        };
                        let same = text[from..to]
                            .iter()
                            .zip(here)
                            .all(|(&a, &b)| super::class::same(a, b, self.wide, self.icase));
                        if !same {
                            break;
                        }
                        at += len;
                        pc += 1;
                    }
                }
            }
        }
        Ok(false)
    }
}
