//! Tree rules.
