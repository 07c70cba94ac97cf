//! The tar format and the host's `tar` (GNU tar 1.34, Debian 12): the ustar archive as Go's
//! `archive/tar` writes it for the Docker daemon ([`write`](fn@write)), an archive read back
//! ([`read`]), `tar -t`/`tar -x` over a file or standard input (gzip read with `-z` or by its
//! magic), and `tar -c` writing GNU tar's own format ([`write_gnu`]).
//!
//! `format.rs` is the archive (headers, writing, reading); `program.rs` is the `tar` program
//! (its options, `-c`, `-t`, `-x` and its messages).

mod format;
mod program;

pub use format::{read, write, write_gnu, TarEntry, TarError, TarKind};
pub use program::tar;
