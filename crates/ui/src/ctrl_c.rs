//! Ctrl-C at the prompt as the page makes it, with or without a worker: it runs nothing (the
//! shells drop what was typed and `$?` becomes 130), so the page needs no engine for it.

use crate::timeline::{Action, Printed, Ran, Shown, Step, Timeline};

impl Timeline {
    /// Ctrl-C at the prompt with `typed` on the line: made on the page with or without a
    /// worker, as it runs nothing (the shells drop what was typed, `$?` becomes 130).
    pub fn interrupt(&mut self, typed: String) -> &Step {
        let mut session = self.current().clone();
        let result = session.interrupt();
        let printed = Printed::all(&result.transcript);
        // The page's copy of a step the worker ran has no shells of its own to ask: the
        // prompt comes back to the one the dropped command was typed at.
        let shown = Shown {
            prompt: self.prompt_before_pending(),
            ..self.shown()
        };
        self.push(
            Action::Interrupt { typed },
            Ran {
                printed,
                omitted: None,
                code: result.code,
                changes: result.changes,
                after: session,
                shown,
            },
        )
    }
}
