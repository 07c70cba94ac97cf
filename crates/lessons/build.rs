//! Parses every `lessons/*.toml` file at build time (a broken file fails the build with its name
//! and the parser's message) and writes the course to `$OUT_DIR/course.bin` in the compact
//! encoding of `src/encode.rs`, which `src/lib.rs` includes and `src/decode.rs` reads: the web
//! bundle carries neither a TOML parser nor serde's deserialization code for the lesson types.

#![allow(dead_code)]

#[path = "src/encode.rs"]
mod encode;
#[path = "src/goal/def.rs"]
mod goal;
#[path = "src/lesson.rs"]
mod lesson;
#[path = "src/markdown.rs"]
mod markdown;
#[path = "src/sources.rs"]
mod sources;

fn main() {
    println!("cargo:rerun-if-changed=lessons");
    for file in [
        "encode.rs",
        "goal/def.rs",
        "lesson.rs",
        "markdown.rs",
        "sources.rs",
    ] {
        println!("cargo:rerun-if-changed=src/{file}");
    }
    let mut lessons = Vec::new();
    for (file, text) in sources::SOURCES {
        match toml::from_str::<lesson::Lesson>(text) {
            Ok(lesson) => lessons.push(lesson),
            Err(err) => {
                eprintln!("error: crates/lessons/lessons/{file}: {err}");
                std::process::exit(1);
            }
        }
    }
    let bytes = encode::encode(&lessons).unwrap_or_else(|err| panic!("the course encoded: {err}"));
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("course.bin"), bytes).expect("OUT_DIR is writable");
}
