//! The daemon's errors: Docker's message text with a kind, as the API would classify it.

use std::fmt;

/// How the daemon classifies an error (moby's errdefs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ErrorKind {
    NotFound,
    Conflict,
    InvalidParameter,
    Forbidden,
    NotImplemented,
    System,
}

/// An error as the daemon words it (`remove v1: volume is in use - [id]`); the CLI adds
/// `Error response from daemon: `.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct EngineError {
    pub kind: ErrorKind,
    pub message: String,
}

impl EngineError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> EngineError {
        EngineError {
            kind,
            message: message.into(),
        }
    }
    pub fn not_found(message: impl Into<String>) -> EngineError {
        EngineError::new(ErrorKind::NotFound, message)
    }
    pub fn conflict(message: impl Into<String>) -> EngineError {
        EngineError::new(ErrorKind::Conflict, message)
    }
    pub fn invalid(message: impl Into<String>) -> EngineError {
        EngineError::new(ErrorKind::InvalidParameter, message)
    }
    pub fn system(message: impl Into<String>) -> EngineError {
        EngineError::new(ErrorKind::System, message)
    }
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
