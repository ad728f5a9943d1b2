//! Binary descriptors (doc/descriptor.md, format 2): the bounds-checked
//! reader and, with the `std` feature, the decoded form and the load-time
//! comparison, with the same checks, statuses and report texts as
//! libchitin's `chitin_desc_decode` and `chitin_desc_compare`.
//!
//! Whatever the bytes, the reader never reads outside the blob, never
//! panics, and takes time and memory linear in the blob's size (or
//! nothing, for [`validate`]).

use core::fmt;

use crate::TypeId;

mod walk;

// What the loader needs to bound a blob that it knows only by its address.
#[cfg(feature = "std")]
pub(crate) use walk::{HEADER_SIZE, H_BLOB_SIZE};

#[cfg(feature = "std")]
mod compare;
#[cfg(feature = "std")]
mod decode;

#[cfg(feature = "std")]
pub(crate) use compare::cut;
#[cfg(feature = "std")]
pub use compare::{compare, ItemKind, Problem, ProblemKind, Report, ITEM_TEXT, MAX_PROBLEMS, TEXT};
#[cfg(feature = "std")]
pub use decode::{decode, Descriptor, Export, Field, Import, Interface, Method, Type, Variant};

/// The blob format this crate reads (`CHITIN_DESC_FORMAT`).
pub const FORMAT: u16 = 2;

/// The first four bytes of every blob, "CHTN".
pub const MAGIC: [u8; 4] = *b"CHTN";

/// Item flag `SINCE`: added in minor version `since_minor`.
pub const SINCE: u32 = 1 << 0;
/// Item flag `RESILIENT`: a struct reached through its layout record.
pub const RESILIENT: u32 = 1 << 1;
/// Item flag `BASE`: a `[base]` interface.
pub const BASE: u32 = 1 << 2;
/// Item flag `THREADSAFE`: a `[threadsafe]` interface.
pub const THREADSAFE: u32 = 1 << 3;
/// Item flag `PAYLOAD`: a variant with a payload.
pub const PAYLOAD: u32 = 1 << 4;
/// Item flag `SIGNED`: an enum whose integer type is signed.
pub const SIGNED: u32 = 1 << 5;

/// Why a blob was refused (`enum chitin_desc_status`, without OK and the
/// scratch memory that this reader does not need).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum DescError {
    /// Fewer bytes than the blob says it has.
    Truncated,
    /// Not a descriptor.
    BadMagic,
    /// A descriptor of another format.
    UnsupportedFormat,
    /// An offset, count, size or string is invalid.
    Corrupt,
}

impl DescError {
    /// The text of `chitin_desc_status_text`.
    pub const fn text(self) -> &'static str {
        match self {
            DescError::Truncated => "truncated",
            DescError::BadMagic => "not a chitin descriptor",
            DescError::UnsupportedFormat => "unsupported descriptor format",
            DescError::Corrupt => "corrupt",
        }
    }
}

impl fmt::Display for DescError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}

#[cfg(feature = "std")]
impl std::error::Error for DescError {}

/// Kinds of named type.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Kind {
    /// A struct.
    Struct = 1,
    /// A union.
    Union = 2,
    /// A C-like enum: the integer alone.
    Enum = 3,
    /// A data enum: tag and union of payloads.
    DataEnum = 4,
    /// A callback.
    Callback = 5,
    /// An interface reference; its slots are with the interfaces.
    Interface = 6,
}

impl Kind {
    /// The kind of a record's value, if it is one.
    pub const fn from_code(code: u64) -> Option<Kind> {
        match code {
            1 => Some(Kind::Struct),
            2 => Some(Kind::Union),
            3 => Some(Kind::Enum),
            4 => Some(Kind::DataEnum),
            5 => Some(Kind::Callback),
            6 => Some(Kind::Interface),
            _ => None,
        }
    }

    /// The word the comparison's report uses: "struct", "data enum", ...
    pub const fn text(self) -> &'static str {
        match self {
            Kind::Struct => "struct",
            Kind::Union => "union",
            Kind::Enum => "enum",
            Kind::DataEnum => "data enum",
            Kind::Callback => "callback",
            Kind::Interface => "interface",
        }
    }
}

/// A 128-bit hash (layout or signature), in RFC 9562 byte order.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Hash128 {
    /// The bytes, most significant first.
    pub bytes: [u8; 16],
}

impl Hash128 {
    /// All zero bytes: no hash.
    pub const ZERO: Hash128 = Hash128 { bytes: [0; 16] };

    /// Whether this is [`Hash128::ZERO`].
    pub fn is_zero(&self) -> bool {
        self.bytes == [0; 16]
    }

    /// The same bytes as a type id.
    pub const fn to_typeid(self) -> TypeId {
        TypeId::from_bytes(self.bytes)
    }

    /// The 32 lower-case hex digits of `chitin_hash128_to_hex`.
    pub fn to_hex(&self) -> [u8; 32] {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut text = [0u8; 32];
        for (i, b) in self.bytes.iter().enumerate() {
            text[2 * i] = DIGITS[usize::from(b >> 4)];
            text[2 * i + 1] = DIGITS[usize::from(b & 0x0f)];
        }
        text
    }
}

impl fmt::Display for Hash128 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.to_hex();
        f.write_str(core::str::from_utf8(&text).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for Hash128 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash128({self})")
    }
}

/// Checks that `blob` starts with a descriptor header of format 2 whose
/// blob fits in `blob.len()` bytes (rules 1 to 4 of doc/descriptor.md
/// section 7, as `chitin_desc_probe`), and gives the blob's size, so that
/// a reader can walk blobs laid end to end.  Reads only the header.
pub fn probe(blob: &[u8]) -> Result<usize, DescError> {
    walk::probe(blob)
}

/// Checks all of the blob at the start of `blob` (every rule of
/// doc/descriptor.md section 7, in its order, as `chitin_desc_decode`
/// does) without allocating, and gives its size.  Bytes past the blob's
/// own size are not read.
pub fn validate(blob: &[u8]) -> Result<usize, DescError> {
    let view = walk::View::read(blob)?;
    view.walk(&mut walk::Check)?;
    Ok(view.size())
}

#[cfg(test)]
pub(crate) mod tests;
