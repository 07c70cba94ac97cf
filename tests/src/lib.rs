//! Support for the acceptance tests: the conformance transcript format and its normaliser.

pub mod transcript;
