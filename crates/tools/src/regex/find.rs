//! Where a pattern matches: the leftmost-longest match that POSIX `regexec` reports (awk's
//! `match`, `sub`, `gsub` and `split`), by a Pike VM whose threads carry their start.

use super::program::Inst;
use super::{units, Exhausted, Regex, Search};

impl Regex {
    /// The leftmost-longest match in `line` starting at or after byte `from`, as byte offsets
    /// (`^` holds only at the line's start, `$` only at its end).
    /// Emulation note: back-references (which ERE has not) never match here.
    pub fn find_at(
        &self,
        line: &[u8],
        from: usize,
        search: &mut Search,
    ) -> Result<Option<(usize, usize)>, Exhausted> {
        // Units are bytes for BusyBox, characters for GNU: map unit offsets back to bytes.
        let mut text = std::mem::take(&mut search.units);
        units(line, self.program.wide, &mut text);
        let offsets: Vec<usize> = if self.program.wide {
            let s = String::from_utf8_lossy(line);
            let mut v: Vec<usize> = s.char_indices().map(|(i, _)| i).collect();
            v.push(s.len());
            v
        } else {
            (0..=line.len()).collect()
        };
        let start_unit = offsets
            .iter()
            .position(|&o| o >= from)
            .unwrap_or(text.len());
        let result = self.pike_find(&text, start_unit, search);
        search.units = text;
        Ok(result?.map(|(s, e)| {
            (
                offsets.get(s).copied().unwrap_or(line.len()),
                offsets.get(e).copied().unwrap_or(line.len()),
            )
        }))
    }

    fn pike_find(
        &self,
        text: &[u32],
        from: usize,
        search: &mut Search,
    ) -> Result<Option<(usize, usize)>, Exhausted> {
        let p = &self.program;
        let n = p.insts.len();
        let (clist, nlist) = &mut search.sets;
        let stack = &mut search.stack;
        let budget = &mut search.budget;
        clist.reset(n);
        nlist.reset(n);
        // The start of each thread, by program counter, for the current and next position.
        let mut cstart = vec![0usize; n];
        let mut nstart = vec![0usize; n];
        let mut best: Option<(usize, usize)> = None;
        for at in from..=text.len() {
            let may_start = best.is_none() && !(p.anchored && at > 0);
            if may_start {
                let before = clist.dense.len();
                let visited = p.add(clist, stack, 0, text, at);
                budget.spend(visited)?;
                for &pc in &clist.dense[before..] {
                    cstart[pc as usize] = at;
                }
            }
            if clist.dense.is_empty() {
                if best.is_some() || p.anchored {
                    break;
                }
                continue;
            }
            budget.spend(clist.dense.len())?;
            for k in 0..clist.dense.len() {
                let pc = clist.dense[k];
                let start = cstart[pc as usize];
                if best.is_some_and(|(bs, _)| start > bs) {
                    continue;
                }
                let inst = p.insts[pc as usize];
                match inst {
                    Inst::Match
                        if best.is_none_or(|(bs, be)| start < bs || (start == bs && at > be)) =>
                    {
                        best = Some((start, at));
                    }
                    Inst::Unit(_) | Inst::Any | Inst::Set(_) if p.accepts(inst, text, at) => {
                        let before = nlist.dense.len();
                        let visited = p.add(nlist, stack, pc + 1, text, at + 1);
                        budget.spend(visited)?;
                        for &q in &nlist.dense[before..] {
                            nstart[q as usize] = start;
                        }
                    }
                    _ => {}
                }
            }
            std::mem::swap(clist, nlist);
            std::mem::swap(&mut cstart, &mut nstart);
            nlist.clear();
        }
        Ok(best)
    }
}
