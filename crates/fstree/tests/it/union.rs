//! Union rules.
