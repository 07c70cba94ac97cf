//! Large file contents named by number in trees' JSON, so a copy of many trees kept elsewhere
//! (the page's copy of the worker's session) is sent each large file's bytes once, not again
//! with every tree that still holds it.
//!
//! Serde has no context, so a table is lent to the serializer and the deserializer of `Tree`
//! for the length of one call ([`SharedContents::lend`], [`SharedContents::lend_for_reading`]):
//! while it is lent, a file of at least [`SHARE_FROM`] bytes is written as `"shared":N` and a
//! `"shared":N` read from the table. Outside such a call trees write their bytes as always.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::Arc;

use crate::Content;

/// Files at least this large are named by number while a table is lent.
pub const SHARE_FROM: usize = 64 << 10;

thread_local! {
    static LENT: RefCell<Option<SharedContents>> = const { RefCell::new(None) };
}

/// The contents named so far, by number and (on the naming side) by identity. An entry is
/// kept as long as the table, so a number is never reused for other bytes.
#[derive(Clone, Debug, Default)]
pub struct SharedContents {
    by_ptr: BTreeMap<usize, u64>,
    by_number: BTreeMap<u64, Content>,
    /// Numbers named or read since [`SharedContents::take_used`].
    used: Vec<u64>,
}

impl SharedContents {
    /// Runs `f` with this table lent to the trees it writes or reads: contents it names are
    /// added to it.
    pub fn lend<R>(&mut self, f: impl FnOnce() -> R) -> R {
        let table = std::mem::take(self);
        LENT.with(|l| *l.borrow_mut() = Some(table));
        let out = f();
        *self = LENT.with(|l| l.borrow_mut().take()).unwrap_or_default();
        out
    }

    /// Runs `f` with a copy of this table lent (its contents are shared, not copied), for
    /// reading trees only.
    pub fn lend_for_reading<R>(&self, f: impl FnOnce() -> R) -> R {
        LENT.with(|l| *l.borrow_mut() = Some(self.clone()));
        let out = f();
        LENT.with(|l| l.borrow_mut().take());
        out
    }

    /// The numbers named or read since the last call, in order, each once.
    pub fn take_used(&mut self) -> Vec<u64> {
        let mut used = std::mem::take(&mut self.used);
        let mut seen = std::collections::BTreeSet::new();
        used.retain(|n| seen.insert(*n));
        used
    }

    /// The bytes named `number`.
    pub fn get(&self, number: u64) -> Option<&Content> {
        self.by_number.get(&number)
    }

    /// Keeps `bytes` as number `number` (the receiving side).
    pub fn insert(&mut self, number: u64, bytes: Content) {
        self.by_number.insert(number, bytes);
    }

    fn name(&mut self, content: &Content) -> u64 {
        let ptr = Arc::as_ptr(content) as *const u8 as usize;
        let next = self.by_number.keys().next_back().map_or(0, |n| n + 1);
        let n = *self.by_ptr.entry(ptr).or_insert(next);
        self.by_number.entry(n).or_insert_with(|| content.clone());
        self.used.push(n);
        n
    }
}

/// The number for `content` when a table is lent and the file is large enough to share.
pub(crate) fn name_if_lent(content: &Content) -> Option<u64> {
    if content.len() < SHARE_FROM {
        return None;
    }
    LENT.with(|l| l.borrow_mut().as_mut().map(|t| t.name(content)))
}

/// The bytes named `number` in the lent table.
pub(crate) fn lookup(number: u64) -> Result<Content, String> {
    LENT.with(|l| {
        let mut lent = l.borrow_mut();
        let table = lent
            .as_mut()
            .ok_or(format!("shared content {number} read without a table"))?;
        let bytes = table
            .by_number
            .get(&number)
            .cloned()
            .ok_or(format!("shared content {number} is not held"))?;
        table.used.push(number);
        Ok(bytes)
    })
}
