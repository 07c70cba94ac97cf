//! The typed line's work, lent to the template executor for one docker command: every step of
//! every template the command runs takes [`STEP_WORK`] units off the line's shared work (the
//! shell's `Budget::work`), so a loop of the shell cannot multiply a template's own bound.
//!
//! The formatter is reached from many commands through functions that do not carry the
//! command's `Cli`; [`lend`] puts the line's work left here for the length of one docker command
//! (this thread only) and [`give_back`] says how much the templates used. Outside a lent command (unit tests,
//! a template run on its own) only the template's own bounds apply.

use std::cell::Cell;

/// Units of the line's work one template step takes: a step (a node, a pipeline command, a
/// `range` round) costs about fifty steps of a regular expression's matcher.
pub const STEP_WORK: u64 = 50;

thread_local! {
    static LEFT: Cell<Option<u64>> = const { Cell::new(None) };
}

/// The line's work while a docker command runs: what was lent before it, put back by
/// [`give_back`].
#[derive(Debug)]
#[must_use = "give the line's work back"]
pub struct Lent {
    before: Option<u64>,
    lent: u64,
}

/// Lends `left` units of the line's work to the templates run until [`give_back`].
pub fn lend(left: u64) -> Lent {
    Lent {
        before: LEFT.with(|l| l.replace(Some(left))),
        lent: left,
    }
}

/// The work the templates used since [`lend`] (the caller takes it off the line's, which the
/// command's programs may have spent meanwhile), and the earlier lending restored.
pub fn give_back(lent: Lent) -> u64 {
    let left = LEFT.with(|l| l.replace(lent.before)).unwrap_or(0);
    lent.lent.saturating_sub(left)
}

/// Takes `units` of the line's work; `false` when it has run out (none is taken then, and
/// none is left).
pub(super) fn take(units: u64) -> bool {
    LEFT.with(|l| match l.get() {
        None => true,
        Some(left) if left >= units => {
            l.set(Some(left - units));
            true
        }
        Some(_) => {
            l.set(Some(0));
            false
        }
    })
}
