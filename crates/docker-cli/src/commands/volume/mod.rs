//! `docker volume create|ls|inspect|rm|prune`.

pub mod create;
pub mod inspect;
pub mod list;
pub mod prune;
pub mod remove;
