//! `docker container …` and its top-level aliases (`run`, `ps`, `exec`, …): one file a verb,
//! beside its `Command`, as docker/cli lays out `cli/command/container/`.

pub mod change;
pub mod commit;
pub mod cp;
pub mod create;
pub mod diff;
pub mod exec;
pub mod inspect;
pub mod json;
pub mod kill;
pub mod list;
pub mod logs;
pub mod opts;
pub mod port;
pub mod prune;
pub mod rename;
pub mod restart;
pub mod rm;
pub mod run;
pub mod start;
pub mod stop;
pub mod top;
pub mod update;
pub mod wait;
