//! A 128-bit fingerprint of any `Serialize` value, without building or printing it.
//!
//! A serde serializer that feeds every scalar, with a type tag and string lengths (so `["ab"]`
//! and `["a", "b"]` differ), straight into an XXH3 hasher: no allocation, no escaping. Two values
//! that serialize alike get the same fingerprint; this module does not say which values must.

use serde::ser::{self, Serialize};
use xxhash_rust::xxh3::Xxh3;

/// The fingerprint of `value`.
pub fn of<T: Serialize + ?Sized>(value: &T) -> u128 {
    let mut f = Fingerprinter(Xxh3::new());
    // The serializer never fails.
    let _ = value.serialize(&mut f);
    f.0.digest128()
}

/// The fingerprint of `tag` and fingerprints: the keys memos look things up by. Hashed as
/// their bytes, a stack buffer at a time (streaming them one by one through [`of`] costs more
/// than the hashing). Not equal to [`of`] of the same values.
pub fn of_prints(tag: &str, prints: &[u128]) -> u128 {
    const ROOM: usize = 512;
    let mut buf = [0u8; ROOM];
    let head = 8 + tag.len();
    let Some(fits) = (head <= ROOM).then(|| head + 16 * prints.len() <= ROOM) else {
        return of(&(tag, prints));
    };
    buf[..8].copy_from_slice(&(tag.len() as u64).to_le_bytes());
    buf[8..head].copy_from_slice(tag.as_bytes());
    let fill = |buf: &mut [u8], prints: &[u128]| {
        for (slot, p) in buf.chunks_exact_mut(16).zip(prints) {
            slot.copy_from_slice(&p.to_le_bytes());
        }
    };
    if fits {
        let len = head + 16 * prints.len();
        fill(&mut buf[head..len], prints);
        return xxhash_rust::xxh3::xxh3_128(&buf[..len]);
    }
    // The same bytes streamed: XXH3 gives the same hash either way.
    let mut h = Xxh3::new();
    h.update(&buf[..head]);
    for chunk in prints.chunks(ROOM / 16) {
        fill(&mut buf, chunk);
        h.update(&buf[..16 * chunk.len()]);
    }
    h.digest128()
}

struct Fingerprinter(Xxh3);

/// Never produced: the hasher cannot fail.
#[derive(Debug)]
pub struct Never;

impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("unreachable")
    }
}

impl std::error::Error for Never {}

impl ser::Error for Never {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Never
    }
}

impl Fingerprinter {
    fn tag(&mut self, t: u8) {
        self.0.update(&[t]);
    }

    fn bytes(&mut self, t: u8, b: &[u8]) {
        self.tag(t);
        self.0.update(&(b.len() as u64).to_le_bytes());
        self.0.update(b);
    }
}

macro_rules! number {
    ($($method:ident($ty:ty) = $tag:expr;)*) => {$(
        fn $method(self, v: $ty) -> Result<(), Never> {
            self.tag($tag);
            self.0.update(&v.to_le_bytes());
            Ok(())
        }
    )*};
}

impl ser::Serializer for &mut Fingerprinter {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    number! {
        serialize_i8(i8) = 1; serialize_i16(i16) = 2; serialize_i32(i32) = 3;
        serialize_i64(i64) = 4; serialize_u8(u8) = 5; serialize_u16(u16) = 6;
        serialize_u32(u32) = 7; serialize_u64(u64) = 8; serialize_f32(f32) = 9;
        serialize_f64(f64) = 10; serialize_i128(i128) = 11; serialize_u128(u128) = 12;
    }

    fn serialize_bool(self, v: bool) -> Result<(), Never> {
        self.tag(13 + u8::from(v));
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Never> {
        self.bytes(15, v.encode_utf8(&mut [0; 4]).as_bytes());
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Never> {
        self.bytes(16, v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Never> {
        self.bytes(17, v);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Never> {
        self.tag(18);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Never> {
        self.tag(19);
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Never> {
        self.tag(20);
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Never> {
        self.tag(20);
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, v: &'static str) -> Result<(), Never> {
        self.bytes(21, v.as_bytes());
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), Never> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<(), Never> {
        self.bytes(22, variant.as_bytes());
        v.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Never> {
        self.tag(23);
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, Never> {
        self.tag(23);
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Never> {
        self.tag(23);
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, Never> {
        self.bytes(24, variant.as_bytes());
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, Never> {
        self.tag(25);
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Never> {
        self.tag(25);
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, Never> {
        self.bytes(26, variant.as_bytes());
        Ok(self)
    }
}

/// Compound values: every element in order, then an end tag.
macro_rules! compound {
    ($($trait:ident :: $method:ident;)*) => {$(
        impl ser::$trait for &mut Fingerprinter {
            type Ok = ();
            type Error = Never;
            fn $method<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Never> {
                v.serialize(&mut **self)
            }
            fn end(self) -> Result<(), Never> {
                self.tag(27);
                Ok(())
            }
        }
    )*};
}

compound! {
    SerializeSeq::serialize_element;
    SerializeTuple::serialize_element;
    SerializeTupleStruct::serialize_field;
    SerializeTupleVariant::serialize_field;
}

impl ser::SerializeMap for &mut Fingerprinter {
    type Ok = ();
    type Error = Never;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), Never> {
        k.serialize(&mut **self)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Never> {
        v.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Never> {
        self.tag(27);
        Ok(())
    }
}

macro_rules! fields {
    ($($trait:ident;)*) => {$(
        impl ser::$trait for &mut Fingerprinter {
            type Ok = ();
            type Error = Never;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                v: &T,
            ) -> Result<(), Never> {
                self.bytes(16, key.as_bytes());
                v.serialize(&mut **self)
            }
            fn skip_field(&mut self, key: &'static str) -> Result<(), Never> {
                self.bytes(28, key.as_bytes());
                Ok(())
            }
            fn end(self) -> Result<(), Never> {
                self.tag(27);
                Ok(())
            }
        }
    )*};
}

fields! {
    SerializeStruct;
    SerializeStructVariant;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_of_tags_and_prints_tell_them_apart() {
        let a = of_prints("page", &[1, 2]);
        assert_eq!(a, of_prints("page", &[1, 2]));
        assert_ne!(a, of_prints("page", &[2, 1]));
        assert_ne!(a, of_prints("pag", &[1, 2]));
        assert_ne!(of_prints("", &[1]), of_prints("", &[1, 0]));
        // Too many for the buffer: still a fingerprint of all of them.
        let many: Vec<u128> = (0..100).collect();
        assert_ne!(of_prints("x", &many), of_prints("x", &many[..99]));
        // Streamed a buffer at a time, they hash as the bytes they are.
        let mut bytes = 1u64.to_le_bytes().to_vec();
        bytes.push(b'x');
        bytes.extend(many.iter().flat_map(|p| p.to_le_bytes()));
        assert_eq!(of_prints("x", &many), xxhash_rust::xxh3::xxh3_128(&bytes));
    }
    use serde::Serialize;

    #[derive(Serialize)]
    struct Page<'a> {
        title: &'a str,
        tags: Vec<&'a str>,
        count: Option<u32>,
    }

    #[test]
    fn equal_values_agree_and_different_values_differ() {
        let a = Page {
            title: "Project SAMEN",
            tags: vec!["ab"],
            count: Some(1),
        };
        let same = Page {
            title: "Project SAMEN",
            tags: vec!["ab"],
            count: Some(1),
        };
        assert_eq!(of(&a), of(&same));
        let split = Page {
            tags: vec!["a", "b"],
            ..same
        };
        assert_ne!(of(&a), of(&split));
        let none = Page {
            title: "Project SAMEN",
            tags: vec!["ab"],
            count: None,
        };
        assert_ne!(of(&a), of(&none));
        assert_ne!(of(&("a", "bc")), of(&("ab", "c")));
        assert_ne!(of(&1u32), of(&1u64));
    }
}
