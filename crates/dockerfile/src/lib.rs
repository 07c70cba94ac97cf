//! Dockerfiles as Docker's classic builder reads them (the parser moby 20.10 vendors from
//! BuildKit): logical lines, typed instructions, `$VAR` substitution, `.dockerignore` and the Go
//! glob dialect (`filepath.Match`) both `.dockerignore` and `COPY` wildcards use.
//!
//! Pure data in, data out: reading the context and running steps belong to the shell and the
//! engine.

pub mod duration;
pub mod glob;
pub mod ignore;
pub mod instruction;
pub mod parse;
pub mod word;

pub use glob::filepath_match;
pub use instruction::{CommandForm, Copy, Healthcheck, Instruction};
pub use parse::{parse, Line, ParseError};
