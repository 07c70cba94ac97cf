//! The course's compact encoding, written from the lesson types' `Serialize` (by `build.rs`,
//! and natively by tests) and read back by [`decode`](crate::decode) in the web bundle:
//!
//! - an unsigned number or a `bool`: LEB128 (7 bits a byte, low first);
//! - a string: its length in bytes, then the bytes (UTF-8);
//! - a sequence: its length, then each element;
//! - an `Option`: 0 for `None`, or 1 and the value;
//! - a struct: its fields in declaration order, without names;
//! - an enum: the variant's index in declaration order, then its fields.
//!
//! Constructing the course as Rust code instead cost about 12 kB of the gzipped bundle.

use std::fmt::{self, Display};

use serde::ser::{self, Serialize};

/// The encoding of `value`.
pub fn encode<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    value.serialize(&mut Encoder { out: &mut out })?;
    Ok(out)
}

/// A value the encoding has no form for (maps, floats, negative numbers).
#[derive(Debug)]
pub struct Error(String);

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

struct Encoder<'o> {
    out: &'o mut Vec<u8>,
}

impl Encoder<'_> {
    fn number(&mut self, mut n: u64) {
        loop {
            let low = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                self.out.push(low);
                return;
            }
            self.out.push(low | 0x80);
        }
    }

    fn signed(&mut self, n: i64) -> Result<(), Error> {
        match u64::try_from(n) {
            Ok(n) => {
                self.number(n);
                Ok(())
            }
            Err(_) => Err(Error(format!("a negative number ({n}) in the course"))),
        }
    }

    fn unsupported(what: &str) -> Error {
        Error(format!("the course encoding has no form for {what}"))
    }
}

impl<'a, 'o> ser::Serializer for &'a mut Encoder<'o> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.number(u64::from(v));
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.signed(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.signed(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.signed(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.signed(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.number(v.into());
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.number(v.into());
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.number(v.into());
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.number(v);
        Ok(())
    }
    fn serialize_f32(self, _: f32) -> Result<(), Error> {
        Err(Encoder::unsupported("floats"))
    }
    fn serialize_f64(self, _: f64) -> Result<(), Error> {
        Err(Encoder::unsupported("floats"))
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.number(v.len() as u64);
        self.out.extend_from_slice(v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Err(Encoder::unsupported("bytes"))
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.number(0);
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Error> {
        self.number(1);
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
    ) -> Result<(), Error> {
        self.number(index.into());
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.number(index.into());
        value.serialize(self)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self, Error> {
        let len = len.ok_or_else(|| Encoder::unsupported("a sequence of unknown length"))?;
        self.number(len as u64);
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, Error> {
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Error> {
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Error> {
        self.number(index.into());
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(Encoder::unsupported("maps"))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Error> {
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self, Error> {
        self.serialize_tuple_variant(name, index, variant, len)
    }
}

/// The compound serializers: each writes its elements or fields in order, with nothing around
/// them (lengths and variant indexes were written when the compound began).
macro_rules! in_order {
    ($($trait:ident :: $method:ident ($($key:ty)?)),* $(,)?) => {$(
        impl ser::$trait for &mut Encoder<'_> {
            type Ok = ();
            type Error = Error;
            fn $method<T: ?Sized + Serialize>(
                &mut self,
                $(_: $key,)?
                value: &T,
            ) -> Result<(), Error> {
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), Error> {
                Ok(())
            }
        }
    )*};
}

in_order!(
    SerializeSeq::serialize_element(),
    SerializeTuple::serialize_element(),
    SerializeTupleStruct::serialize_field(),
    SerializeTupleVariant::serialize_field(),
    SerializeStruct::serialize_field(&'static str),
    SerializeStructVariant::serialize_field(&'static str),
);
