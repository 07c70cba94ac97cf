//! Where a pattern matches and what its groups hold, for `sed`'s `s` command: the leftmost
//! match, the longest from there (POSIX), each group the span its highest-priority thread
//! saved. A Pike VM whose threads carry their capture slots (time bounded by program size ×
//! line length × slots), and for back-references the backtracking search, which keeps the
//! first match it finds (greedy) rather than the longest.
//!
//! Emulation note: glibc chooses sub-matches by POSIX's subexpression rules; here a group holds
//! what the greedy, first-alternative-preferred thread gave it, which agrees for the patterns
//! learners write (`\(a*\)\(.*\)`, `\([^:]*\):`), and may differ for ambiguous alternations.

use super::parse::Look;
use super::program::{Inst, Program};
use super::{units, Budget, Exhausted, Regex, Search};

/// An unset slot.
const UNSET: usize = usize::MAX;

/// The spans of one match, in byte offsets of the searched line: `[0]` the whole match, `[k]`
/// group `k` (`None` when it took no part).
pub type Spans = Vec<Option<(usize, usize)>>;

impl Regex {
    /// How many groups `\1`...`\9` can refer to.
    pub fn groups(&self) -> usize {
        self.program
            .insts
            .iter()
            .filter_map(|i| match i {
                Inst::Save(s) => Some(usize::from(*s) / 2),
                _ => None,
            })
            .max()
            .unwrap_or(0)
    }

    /// The leftmost-longest match in `line` that starts at byte `from` or later (anchors still
    /// see the whole line), with its groups; `not_empty_at` refuses an empty match there (the
    /// place a previous match ended, as `s///g` does); `notbol` says the text does not start
    /// a line (`REG_NOTBOL`: `^` does not match at its start).
    pub fn captures(
        &self,
        line: &[u8],
        from: usize,
        not_empty_at: Option<usize>,
        notbol: bool,
        search: &mut Search,
    ) -> Result<Option<Spans>, Exhausted> {
        if notbol && self.program.anchored {
            return Ok(None);
        }
        // Reading the line into units is work too: `s///g` searches a line once per match.
        search.budget.spend(line.len() / 8 + 1)?;
        let mut text = std::mem::take(&mut search.units);
        let offsets = unit_offsets(line, self.program.wide, &mut text);
        let start = offsets.partition_point(|&o| o < from);
        let avoid = not_empty_at.map(|b| offsets.partition_point(|&o| o < b));
        let slots = 2 * (self.groups() + 1);
        let found = if self.backrefs {
            self.program
                .backtrack_spans(&text, start, avoid, slots, &mut search.budget)
        } else {
            self.program
                .pike_spans(&text, start, avoid, slots, notbol, &mut search.budget)
        };
        search.units = text;
        let Some(caps) = found? else {
            return Ok(None);
        };
        let at = |u: usize| offsets.get(u).copied().unwrap_or(line.len());
        Ok(Some(
            caps.chunks(2)
                .map(|p| match p {
                    [a, b] if *a != UNSET && *b != UNSET && a <= b => Some((at(*a), at(*b))),
                    _ => None,
                })
                .collect(),
        ))
    }
}

/// The units of `line` (as [`units`] makes them) and each one's byte offset, plus the line's
/// length at the end.
fn unit_offsets(line: &[u8], wide: bool, text: &mut Vec<u32>) -> Vec<usize> {
    if !wide {
        units(line, false, text);
        return (0..=line.len()).collect();
    }
    text.clear();
    let mut offsets = Vec::with_capacity(line.len() + 1);
    let mut at = 0;
    for chunk in line.utf8_chunks() {
        for (i, c) in chunk.valid().char_indices() {
            text.push(u32::from(c));
            offsets.push(at + i);
        }
        at += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            // As `String::from_utf8_lossy`: one replacement character per invalid sequence.
            text.push(u32::from(char::REPLACEMENT_CHARACTER));
            offsets.push(at);
            at += chunk.invalid().len();
        }
    }
    offsets.push(line.len());
    offsets
}

impl Program {
    /// The Pike VM with capture slots per thread: slot 0 and 1 are the match itself.
    fn pike_spans(
        &self,
        text: &[u32],
        start: usize,
        avoid: Option<usize>,
        slots: usize,
        notbol: bool,
        budget: &mut Budget,
    ) -> Result<Option<Vec<usize>>, Exhausted> {
        let n = self.insts.len();
        let mut clist: Vec<(u32, Vec<usize>)> = Vec::new();
        let mut nlist: Vec<(u32, Vec<usize>)> = Vec::new();
        let mut seen = vec![usize::MAX; n];
        let mut best: Option<Vec<usize>> = None;
        let mut stack: Vec<(u32, Vec<usize>)> = Vec::new();
        for at in start..=text.len() {
            if best.is_none() && (!self.anchored || at == 0) {
                let mut caps = vec![UNSET; slots];
                caps[0] = at;
                self.add_spans(
                    &mut clist, &mut seen, &mut stack, 0, caps, text, at, notbol, budget,
                )?;
            }
            if clist.is_empty() {
                if best.is_some() || self.anchored {
                    break;
                }
                continue;
            }
            budget.spend(clist.len() * slots)?;
            for (pc, caps) in std::mem::take(&mut clist) {
                let inst = self.insts[pc as usize];
                match inst {
                    Inst::Match => {
                        let empty_here = caps[0] == at && avoid == Some(at);
                        let better = match &best {
                            None => true,
                            Some(b) => caps[0] < b[0] || (caps[0] == b[0] && at > b[1]),
                        };
                        if better && !empty_here {
                            let mut c = caps;
                            c[1] = at;
                            best = Some(c);
                        }
                    }
                    Inst::Unit(_) | Inst::Any | Inst::Set(_) if self.accepts(inst, text, at) => {
                        if best.as_ref().is_some_and(|b| caps[0] > b[0]) {
                            continue;
                        }
                        self.add_spans(
                            &mut nlist,
                            &mut seen,
                            &mut stack,
                            pc + 1,
                            caps,
                            text,
                            at + 1,
                            notbol,
                            budget,
                        )?;
                    }
                    _ => {}
                }
            }
            std::mem::swap(&mut clist, &mut nlist);
        }
        Ok(best)
    }

    /// Adds `pc` with `caps` and everything reachable from it without consuming input at `at`.
    #[allow(clippy::too_many_arguments)]
    fn add_spans(
        &self,
        list: &mut Vec<(u32, Vec<usize>)>,
        seen: &mut [usize],
        stack: &mut Vec<(u32, Vec<usize>)>,
        pc: u32,
        caps: Vec<usize>,
        text: &[u32],
        at: usize,
        notbol: bool,
        budget: &mut Budget,
    ) -> Result<(), Exhausted> {
        stack.push((pc, caps));
        while let Some((pc, mut caps)) = stack.pop() {
            if seen[pc as usize] == at {
                continue;
            }
            seen[pc as usize] = at;
            budget.spend(1 + caps.len())?;
            match self.insts[pc as usize] {
                Inst::Jmp(to) => stack.push((to, caps)),
                Inst::Split(a, b) => {
                    stack.push((b, caps.clone()));
                    stack.push((a, caps));
                }
                Inst::Loop { head, .. } => {
                    stack.push((pc + 1, caps.clone()));
                    stack.push((head, caps));
                }
                Inst::Look(look) => {
                    let bol = look == Look::Start && at == 0;
                    if self.holds(look, text, at) && !(bol && notbol) {
                        stack.push((pc + 1, caps));
                    }
                }
                Inst::Save(slot) => {
                    if let Some(s) = caps.get_mut(usize::from(slot)) {
                        *s = at;
                    }
                    stack.push((pc + 1, caps));
                }
                Inst::Mark(_) => stack.push((pc + 1, caps)),
                Inst::Unit(_) | Inst::Any | Inst::Set(_) | Inst::Backref(_) | Inst::Match => {
                    list.push((pc, caps));
                }
            }
        }
        Ok(())
    }

    /// The backtracking search with slots: the first match found from the leftmost start.
    fn backtrack_spans(
        &self,
        text: &[u32],
        start: usize,
        avoid: Option<usize>,
        slots: usize,
        budget: &mut Budget,
    ) -> Result<Option<Vec<usize>>, Exhausted> {
        let last = if self.anchored { 0 } else { text.len() };
        for from in start..=last.max(start) {
            if self.anchored && from != 0 {
                break;
            }
            // Each start is one search; a match that is empty where it must not be is refused
            // by asking again for a longer one is out of reach here, so that start is skipped.
            let mut scratch = super::backtrack::Scratch::default();
            if let Some(mut caps) = self.backtrack_from(text, from, &mut scratch, budget)? {
                if caps.len() < slots {
                    caps.resize(slots, UNSET);
                }
                caps.truncate(slots);
                if !(caps[1] == from && avoid == Some(from)) {
                    return Ok(Some(caps));
                }
            }
        }
        Ok(None)
    }
}
