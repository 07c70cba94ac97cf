//! The sample images as data: parsed from `defs/*.toml`, expanded and validated, one source of truth for the engine and the recorder.
//!
//! `build.rs` does the parsing, expanding and validating at build time (a broken file fails the
//! build) and writes the images as static data (`embedded.rs`); natively, [`parse_image`] and
//! [`parse_definitions`] still parse definition files, the web bundle carries no TOML parser.
//!
//! Each definition names an image (`alpine:latest`), the image it is built `from` (if any), its
//! layers bottom→top and its final config. A layer is the Dockerfile-like instruction that made
//! it plus the entries it adds. The engine builds in-memory images from these; `cargo xtask
//! record` builds the same images in a real Docker Engine.
//!
//! The entry format inside a layer (`entries = '''…'''`) is one entry a line:
//!
//! ```text
//! d 0755 0 0 /bin                    directory: mode uid gid path
//! f 0644 0 0 /etc/hostname           file; its text is in the layer's [content] table
//! f 0755 0 0 /bin/busybox size=N     sized placeholder for a big binary (N zero bytes)
//! l /bin/sh -> /bin/busybox          symlink (root-owned, 0777)
//! h /bin/ls => /bin/busybox          hard link to a file of the same layer
//! ```
//!
//! Blank lines and lines starting with `#` are ignored. BusyBox applets are listed by name in a
//! layer's `[applets]` table and expanded by [`sample_images`] into symlinks or hard links.

mod def;
mod definitions;
mod embedded;
// Natively the crate can also parse definition files; the build script parses and validates
// `defs/*.toml` with the same code, so the web bundle carries no TOML parser.
#[cfg(not(target_arch = "wasm32"))]
mod parse;
#[cfg(not(target_arch = "wasm32"))]
mod validate;

pub use def::{
    rfc3339, EntryDef, EntryKind, FileContent, HealthConfig, ImageConfig, ImageDef, ImagesError,
    LayerDef,
};
pub use definitions::DEFINITIONS;
#[cfg(not(target_arch = "wasm32"))]
pub use parse::{parse_definitions, parse_image};

/// All sample images, parsed, expanded (`from` layers and BusyBox applets) and validated.
///
/// The build script did all three: a broken definition file fails the build, so this never
/// returns an error; the `Result` stays for the callers written when it parsed at run time.
pub fn sample_images() -> Result<Vec<ImageDef>, ImagesError> {
    Ok(embedded::images())
}

// The definition files are parsed natively only (the browser gets them pre-built).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
