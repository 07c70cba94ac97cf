//! Parses every `lessons/*.toml` file at build time (a broken file fails the build with its name
//! and the parser's message) and writes the course to `$OUT_DIR/course.rs` as one Rust expression
//! that `src/lib.rs` includes: the web bundle carries neither a TOML parser nor the
//! deserialization code of the lesson types.

#![allow(dead_code)]

#[path = "src/goal/def.rs"]
mod goal;
#[path = "src/lesson.rs"]
mod lesson;
#[path = "src/markdown.rs"]
mod markdown;
#[path = "src/sources.rs"]
mod sources;
#[path = "src/text.rs"]
mod text;

use std::fmt::{self, Display};

use serde::ser::{self, Serialize};

fn main() {
    println!("cargo:rerun-if-changed=lessons");
    for file in [
        "goal/def.rs",
        "lesson.rs",
        "markdown.rs",
        "sources.rs",
        "text.rs",
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
    let expr = lessons
        .serialize(RustExpr)
        .unwrap_or_else(|err| panic!("the course as Rust: {err}"));
    let source = format!(
        "pub(super) fn course() -> Vec<Lesson> {{\n{}\n}}\n",
        expr.code
    );
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("course.rs"), source).expect("OUT_DIR is writable");
}

/// A Rust expression that builds a value, written by [`RustExpr`] from the value's `Serialize`.
struct Expr {
    code: String,
    /// A struct or enum value: a `Box` field takes it through `From::from`.
    named: bool,
}

impl Expr {
    fn plain(code: String) -> Expr {
        Expr { code, named: false }
    }
}

#[derive(Debug)]
struct Error(String);

impl Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// `snake_case` (the lesson types' `rename_all`) back to the Rust variant name.
fn variant_name(variant: &str) -> String {
    variant
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// Writes a value as the Rust expression that builds it: structs and enums by their Rust names,
/// strings as `String`s, sequences as `vec![]`. Maps and floats do not occur in lessons.
struct RustExpr;

/// The parts of a compound value written so far.
struct Parts {
    open: String,
    parts: Vec<String>,
    close: &'static str,
    named: bool,
}

impl Parts {
    fn new(open: String, close: &'static str, named: bool) -> Parts {
        Parts {
            open,
            parts: Vec::new(),
            close,
            named,
        }
    }

    fn end(self) -> Result<Expr, Error> {
        Ok(Expr {
            code: format!("{}{}{}", self.open, self.parts.join(", "), self.close),
            named: self.named,
        })
    }

    fn element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.parts.push(value.serialize(RustExpr)?.code);
        Ok(())
    }

    fn field<T: ?Sized + Serialize>(&mut self, key: &str, value: &T) -> Result<(), Error> {
        let value = value.serialize(RustExpr)?;
        self.parts.push(format!("{key}: {}", boxable(value)));
        Ok(())
    }
}

/// A struct or enum value passed where its type or a `Box` of it is expected.
fn boxable(value: Expr) -> String {
    if value.named {
        format!("From::from({})", value.code)
    } else {
        value.code
    }
}

impl ser::Serializer for RustExpr {
    type Ok = Expr;
    type Error = Error;
    type SerializeSeq = Parts;
    type SerializeTuple = Parts;
    type SerializeTupleStruct = Parts;
    type SerializeTupleVariant = Parts;
    type SerializeMap = ser::Impossible<Expr, Error>;
    type SerializeStruct = Parts;
    type SerializeStructVariant = Parts;

    fn serialize_bool(self, v: bool) -> Result<Expr, Error> {
        Ok(Expr::plain(v.to_string()))
    }
    fn serialize_i8(self, v: i8) -> Result<Expr, Error> {
        Ok(Expr::plain(v.to_string()))
    }
    fn serialize_i16(self, v: i16) -> Result<Expr, Error> {
        Ok(Expr::plain(v.to_string()))
    }
    fn serialize_i32(self, v: i32) -> Result<Expr, Error> {
        Ok(Expr::plain(v.to_string()))
    }
    fn serialize_i64(self, v: i64) -> Result<Expr, Error> {
        Ok(Expr::plain(v.to_string()))
    }
    fn serialize_u8(self, v: u8) -> Result<Expr, Error> {
        Ok(Expr::plain(v.to_string()))
    }
    fn serialize_u16(self, v: u16) -> Result<Expr, Error> {
        Ok(Expr::plain(v.to_string()))
    }
    fn serialize_u32(self, v: u32) -> Result<Expr, Error> {
        Ok(Expr::plain(v.to_string()))
    }
    fn serialize_u64(self, v: u64) -> Result<Expr, Error> {
        Ok(Expr::plain(v.to_string()))
    }
    fn serialize_f32(self, _: f32) -> Result<Expr, Error> {
        Err(Error("floats do not occur in lessons".into()))
    }
    fn serialize_f64(self, _: f64) -> Result<Expr, Error> {
        Err(Error("floats do not occur in lessons".into()))
    }
    fn serialize_char(self, v: char) -> Result<Expr, Error> {
        Ok(Expr::plain(format!("{v:?}")))
    }
    fn serialize_str(self, v: &str) -> Result<Expr, Error> {
        Ok(Expr::plain(format!("String::from({v:?})")))
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Expr, Error> {
        Err(Error("bytes do not occur in lessons".into()))
    }
    fn serialize_none(self) -> Result<Expr, Error> {
        Ok(Expr::plain("None".into()))
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<Expr, Error> {
        Ok(Expr::plain(format!(
            "Some({})",
            boxable(value.serialize(RustExpr)?)
        )))
    }
    fn serialize_unit(self) -> Result<Expr, Error> {
        Ok(Expr::plain("()".into()))
    }
    fn serialize_unit_struct(self, name: &'static str) -> Result<Expr, Error> {
        Ok(Expr {
            code: name.into(),
            named: true,
        })
    }
    fn serialize_unit_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Expr, Error> {
        Ok(Expr {
            code: format!("{name}::{}", variant_name(variant)),
            named: true,
        })
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<Expr, Error> {
        Ok(Expr {
            code: format!("{name}({})", boxable(value.serialize(RustExpr)?)),
            named: true,
        })
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Expr, Error> {
        Ok(Expr {
            code: format!(
                "{name}::{}({})",
                variant_name(variant),
                boxable(value.serialize(RustExpr)?)
            ),
            named: true,
        })
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Parts, Error> {
        Ok(Parts::new("vec![".into(), "]", false))
    }
    fn serialize_tuple(self, _len: usize) -> Result<Parts, Error> {
        Ok(Parts::new("(".into(), ",)", false))
    }
    fn serialize_tuple_struct(self, name: &'static str, _len: usize) -> Result<Parts, Error> {
        Ok(Parts::new(format!("{name}("), ")", true))
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Parts, Error> {
        Ok(Parts::new(
            format!("{name}::{}(", variant_name(variant)),
            ")",
            true,
        ))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(Error("maps do not occur in lessons".into()))
    }
    fn serialize_struct(self, name: &'static str, _len: usize) -> Result<Parts, Error> {
        Ok(Parts::new(format!("{name} {{ "), " }", true))
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Parts, Error> {
        Ok(Parts::new(
            format!("{name}::{} {{ ", variant_name(variant)),
            " }",
            true,
        ))
    }
}

impl ser::SerializeSeq for Parts {
    type Ok = Expr;
    type Error = Error;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<Expr, Error> {
        Parts::end(self)
    }
}

impl ser::SerializeTuple for Parts {
    type Ok = Expr;
    type Error = Error;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<Expr, Error> {
        Parts::end(self)
    }
}

impl ser::SerializeTupleStruct for Parts {
    type Ok = Expr;
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<Expr, Error> {
        Parts::end(self)
    }
}

impl ser::SerializeTupleVariant for Parts {
    type Ok = Expr;
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<Expr, Error> {
        Parts::end(self)
    }
}

impl ser::SerializeStruct for Parts {
    type Ok = Expr;
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(key, value)
    }
    fn end(self) -> Result<Expr, Error> {
        Parts::end(self)
    }
}

impl ser::SerializeStructVariant for Parts {
    type Ok = Expr;
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(key, value)
    }
    fn end(self) -> Result<Expr, Error> {
        Parts::end(self)
    }
}
