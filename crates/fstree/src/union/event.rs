//! The events a mutating union operation records, in order, and how a caller takes them.

use super::Union;

/// One thing a mutating union operation did, in order, so a UI can explain it without
/// diffing states.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Event {
    /// The entry at `path` was copied from lower layer `from_layer` into the upper layer
    /// (a file with its data, owner, mode and mtime; a directory with its metadata only).
    CopyUp { path: String, from_layer: usize },
    /// A new entry was created in the upper layer.
    Created { path: String },
    /// The upper copy's content or metadata changed.
    Modified { path: String },
    /// The upper entry at `path` was removed.
    Removed { path: String },
    /// A whiteout was placed at `path`, hiding lower entries of that name.
    Whiteout { path: String },
    /// The directory at `path` was made opaque: no lower directory of that path shows through.
    OpaqueDir { path: String },
    /// The upper entry moved from `from` to `to`.
    Renamed { from: String, to: String },
}

impl Union {
    /// The events recorded since the last call, oldest first.
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }
}
