//! Type ids (doc/abi.md 2.4, 7.1).

use core::fmt;
use core::str::FromStr;

use crate::Status;

/// A 128-bit type id: `chitin_typeid`, 16 bytes in RFC 9562 byte order
/// (the order of the text form), alignment 1.
#[repr(C)]
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct TypeId {
    /// The bytes, most significant first.
    pub bytes: [u8; 16],
}

/// The length of the text form: 8-4-4-4-12 hex digits.
const TEXT_LEN: usize = 36;

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Whether a dash comes before byte i of the text form.
const fn dash_before(i: usize) -> bool {
    i == 4 || i == 6 || i == 8 || i == 10
}

impl TypeId {
    /// The nil id, all zero bytes: never the id of a type.
    pub const NIL: TypeId = TypeId { bytes: [0; 16] };

    /// The id of these bytes.
    pub const fn from_bytes(bytes: [u8; 16]) -> TypeId {
        TypeId { bytes }
    }

    /// The id whose bytes are `v`'s, most significant first: the text
    /// form's digits as one hexadecimal number, which generated code
    /// writes grouped as the text form is
    /// (`TypeId::from_u128(0x0f68c18e_fe66_5b64_94d7_c726e84f75bc)`).
    pub const fn from_u128(v: u128) -> TypeId {
        TypeId {
            bytes: v.to_be_bytes(),
        }
    }

    /// Parses exactly the 36-character form, in either case, as
    /// `chitin_typeid_parse` does: [`Status::INVALID_ARG`] for anything
    /// else.
    pub fn parse(text: &[u8]) -> Result<TypeId, Status> {
        if text.len() != TEXT_LEN {
            return Err(Status::INVALID_ARG);
        }
        let mut bytes = [0u8; 16];
        let mut at = 0;
        for (i, byte) in bytes.iter_mut().enumerate() {
            if dash_before(i) {
                if text[at] != b'-' {
                    return Err(Status::INVALID_ARG);
                }
                at += 1;
            }
            match (hex_value(text[at]), hex_value(text[at + 1])) {
                (Some(hi), Some(lo)) => *byte = hi << 4 | lo,
                _ => return Err(Status::INVALID_ARG),
            }
            at += 2;
        }
        Ok(TypeId { bytes })
    }

    /// The text form in lower case, as `chitin_typeid_format` writes it
    /// (without its NUL).
    pub fn to_text(&self) -> [u8; TEXT_LEN] {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut text = [0u8; TEXT_LEN];
        let mut at = 0;
        for (i, b) in self.bytes.iter().enumerate() {
            if dash_before(i) {
                text[at] = b'-';
                at += 1;
            }
            text[at] = DIGITS[usize::from(b >> 4)];
            text[at + 1] = DIGITS[usize::from(b & 0x0f)];
            at += 2;
        }
        text
    }

    /// The hash of `chitin_typeid_hash`, the same in every process: the
    /// bytes `i ^ (15 - i)` for i from 0 to 7, the first the most
    /// significant.
    pub fn hash64(&self) -> u64 {
        (0..8).fold(0u64, |h, i| {
            h << 8 | u64::from(self.bytes[i] ^ self.bytes[15 - i])
        })
    }
}

impl fmt::Display for TypeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.to_text();
        // Hex digits and dashes only: always UTF-8.
        f.write_str(core::str::from_utf8(&text).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for TypeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TypeId({self})")
    }
}

impl FromStr for TypeId {
    type Err = Status;

    fn from_str(s: &str) -> Result<TypeId, Status> {
        TypeId::parse(s.as_bytes())
    }
}

impl From<[u8; 16]> for TypeId {
    fn from(bytes: [u8; 16]) -> TypeId {
        TypeId { bytes }
    }
}

#[cfg(test)]
mod tests {
    use super::TypeId;
    use crate::Status;
    use std::string::ToString;

    const NAMESPACE: &str = "0f68c18e-fe66-5b64-94d7-c726e84f75bc";

    #[test]
    fn text_round_trip() {
        let id: TypeId = NAMESPACE.parse().unwrap();
        assert_eq!(id.bytes[0], 0x0f);
        assert_eq!(id.bytes[15], 0xbc);
        assert_eq!(id.to_string(), NAMESPACE);
        let upper = TypeId::parse(NAMESPACE.to_uppercase().as_bytes()).unwrap();
        assert_eq!(upper, id);
        assert_eq!(
            TypeId::NIL.to_string(),
            "00000000-0000-0000-0000-000000000000"
        );
    }

    #[test]
    fn text_refused() {
        let bad = [
            "",
            "0f68c18e-fe66-5b64-94d7-c726e84f75b",
            "0f68c18e-fe66-5b64-94d7-c726e84f75bcc",
            "0f68c18efe66-5b64-94d7-c726e84f75bc0",
            "0f68c18e-fe66-5b64-94d7+c726e84f75bc",
            "0g68c18e-fe66-5b64-94d7-c726e84f75bc",
            "{f68c18e-fe66-5b64-94d7-c726e84f75bc",
            "0f68c18e-fe66-5b64-94d7-c726e84f75b\u{e9}",
        ];
        for text in bad.iter() {
            assert_eq!(
                TypeId::parse(text.as_bytes()),
                Err(Status::INVALID_ARG),
                "{text}"
            );
        }
    }

    #[test]
    fn from_u128_is_the_text_form() {
        let id = TypeId::from_u128(0x0f68c18e_fe66_5b64_94d7_c726e84f75bc);
        assert_eq!(id, NAMESPACE.parse().unwrap());
    }

    #[test]
    fn hash64_folds_the_halves() {
        let mut bytes = [0u8; 16];
        bytes[0] = 0x80;
        bytes[15] = 0x01;
        bytes[7] = 0x10;
        assert_eq!(TypeId::from(bytes).hash64(), 0x8100_0000_0000_0010);
    }
}
