//! `docker system …`, `docker version`, `docker info` and `docker inspect`.

pub mod df;
pub mod info;
pub mod inspect;
pub mod prune;
pub mod version;
