//! Parses, expands and validates `defs/*.toml` at build time (a broken file fails the build with
//! its name and the parser's message) and writes the images as static data to
//! `$OUT_DIR/images.rs`, which `src/embedded.rs` includes: the crate needs no TOML parser at run
//! time.

#![allow(dead_code)]

#[path = "src/def.rs"]
mod def;
#[path = "src/definitions.rs"]
mod definitions;
#[path = "src/parse.rs"]
mod parse;
#[path = "src/validate.rs"]
mod validate;

use std::fmt::Write as _;

use def::{EntryDef, EntryKind, FileContent, ImageConfig, ImageDef, ImagesError, LayerDef};

fn main() {
    println!("cargo:rerun-if-changed=defs");
    println!("cargo:rerun-if-changed=src/def.rs");
    println!("cargo:rerun-if-changed=src/definitions.rs");
    println!("cargo:rerun-if-changed=src/parse.rs");
    println!("cargo:rerun-if-changed=src/validate.rs");
    let images = match parse::parse_definitions(definitions::DEFINITIONS) {
        Ok(images) => images,
        Err(err) => {
            eprintln!("error: in crates/images/defs: {err}");
            std::process::exit(1);
        }
    };
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("images.rs"), write_images(&images)).expect("OUT_DIR is writable");
}

/// The images as Rust statics; a layer an image inherits is the same static as its parent's.
fn write_images(images: &[ImageDef]) -> String {
    let mut out = String::new();
    let mut layers: Vec<&LayerDef> = Vec::new();
    let mut image_layers = Vec::new();
    for image in images {
        let mut names = Vec::new();
        for layer in &image.layers {
            let index = match layers.iter().position(|known| *known == layer) {
                Some(index) => index,
                None => {
                    write_layer(&mut out, layers.len(), layer);
                    layers.push(layer);
                    layers.len() - 1
                }
            };
            names.push(format!("&LAYER_{index}"));
        }
        image_layers.push(names.join(", "));
    }
    out.push_str("static IMAGES: &[Image] = &[\n");
    for (image, layers) in images.iter().zip(image_layers) {
        let _ = writeln!(
            out,
            "Image {{ name: {:?}, tag: {:?}, stands_for: {:?}, from: {:?}, inherited_layers: {}, created: {}, layers: &[{layers}], config: {} }},",
            image.name,
            image.tag,
            image.stands_for,
            image.from,
            image.inherited_layers,
            image.created,
            config(&image.config),
        );
    }
    out.push_str("];\n");
    out
}

fn write_layer(out: &mut String, index: usize, layer: &LayerDef) {
    let _ = writeln!(
        out,
        "static LAYER_{index}: Layer = Layer {{ created_by: {:?}, created: {}, comment: {:?}, empty_layer: {}, entries: &[",
        layer.created_by, layer.created, layer.comment, layer.empty_layer
    );
    for entry in &layer.entries {
        let _ = writeln!(
            out,
            "Entry {{ path: {:?}, kind: {}, mode: {}, uid: {}, gid: {} }},",
            entry.path,
            kind(entry),
            entry.mode,
            entry.uid,
            entry.gid
        );
    }
    out.push_str("] };\n");
}

fn kind(entry: &EntryDef) -> String {
    match &entry.kind {
        EntryKind::Dir => "Kind::Dir".into(),
        EntryKind::File {
            content: FileContent::Text(text),
        } => format!("Kind::Text({text:?})"),
        EntryKind::File {
            content: FileContent::Sized(size),
        } => format!("Kind::Sized({size})"),
        EntryKind::Symlink { target } => format!("Kind::Symlink({target:?})"),
        EntryKind::Hardlink { target } => format!("Kind::Hardlink({target:?})"),
    }
}

fn config(config: &ImageConfig) -> String {
    let list = |items: &[String]| format!("&{items:?}");
    let optional_list = |items: &Option<Vec<String>>| match items {
        Some(items) => format!("Some({})", list(items)),
        None => "None".into(),
    };
    let labels: Vec<String> = config
        .labels
        .iter()
        .map(|(key, value)| format!("({key:?}, {value:?})"))
        .collect();
    format!(
        "Config {{ env: {}, cmd: {}, entrypoint: {}, working_dir: {:?}, user: {:?}, volumes: {}, exposed_ports: {}, labels: &[{}], stop_signal: {:?} }}",
        list(&config.env),
        optional_list(&config.cmd),
        optional_list(&config.entrypoint),
        config.working_dir,
        config.user,
        list(&config.volumes),
        list(&config.exposed_ports),
        labels.join(", "),
        config.stop_signal,
    )
}
