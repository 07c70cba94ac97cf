//! How the CLI prints: tables (`table.rs`), Go values and `--format` (`value.rs`, `template/`,
//! `format.rs`), units (`units.rs`: sizes, durations, quoting) and the PORTS column (`ports.rs`).

pub mod format;
pub mod ports;
pub mod table;
pub mod template;
pub mod units;
pub mod value;
