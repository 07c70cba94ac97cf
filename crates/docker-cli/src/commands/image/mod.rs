//! `docker image …` and its top-level aliases (`build`, `images`, `rmi`, `tag`, `history`, `pull`).

pub mod build;
pub mod history;
pub mod inspect;
pub mod list;
pub mod prune;
pub mod pull;
pub mod remove;
pub mod tag;
