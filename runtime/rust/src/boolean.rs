//! `bool` and `option<bool>` (doc/abi.md 2.3, 2.8).

use crate::Status;

/// The ABI-level `bool`: one byte that may hold anything the other side
/// wrote.  A writer stores only 0 or 1; a reader takes any byte.
#[repr(transparent)]
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct Bool(pub u8);

impl Bool {
    /// false, the byte 0.
    pub const FALSE: Bool = Bool(0);
    /// true, the byte 1.
    pub const TRUE: Bool = Bool(1);

    /// The byte for `b`.
    pub const fn new(b: bool) -> Bool {
        Bool(b as u8)
    }

    /// Whether the byte is not zero (any byte reads as a `bool`).
    pub const fn get(self) -> bool {
        self.0 != 0
    }

    /// The value when the byte is 0 or 1, the only bytes the ABI allows;
    /// [`Status::INVALID_ARG`] for any other.
    pub const fn checked(self) -> Result<bool, Status> {
        match self.0 {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(Status::INVALID_ARG),
        }
    }
}

impl From<bool> for Bool {
    fn from(b: bool) -> Bool {
        Bool::new(b)
    }
}

impl From<Bool> for bool {
    fn from(b: Bool) -> bool {
        b.get()
    }
}

/// `option<bool>`: one byte, 0 false, 1 true, 2 none (`chitin_option_bool`,
/// a `uint8_t`).  Other bytes are invalid, and representable.
#[repr(transparent)]
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct OptionBool(pub u8);

impl OptionBool {
    /// Some(false): `CHITIN_OPTION_BOOL_FALSE`.
    pub const FALSE: OptionBool = OptionBool(0);
    /// Some(true): `CHITIN_OPTION_BOOL_TRUE`.
    pub const TRUE: OptionBool = OptionBool(1);
    /// None: `CHITIN_OPTION_BOOL_NONE`.
    pub const NONE: OptionBool = OptionBool(2);

    /// The byte for `v`.
    pub const fn new(v: Option<bool>) -> OptionBool {
        match v {
            None => OptionBool::NONE,
            Some(b) => OptionBool(b as u8),
        }
    }

    /// The value, or [`Status::INVALID_ARG`] for a byte other than 0, 1
    /// and 2.
    pub const fn get(self) -> Result<Option<bool>, Status> {
        match self.0 {
            0 => Ok(Some(false)),
            1 => Ok(Some(true)),
            2 => Ok(None),
            _ => Err(Status::INVALID_ARG),
        }
    }
}

impl Default for OptionBool {
    fn default() -> OptionBool {
        OptionBool::NONE
    }
}

impl From<Option<bool>> for OptionBool {
    fn from(v: Option<bool>) -> OptionBool {
        OptionBool::new(v)
    }
}

#[cfg(test)]
mod tests {
    use super::{Bool, OptionBool};
    use crate::Status;

    #[test]
    fn any_byte_reads() {
        for byte in 0..=255u8 {
            let b = Bool(byte);
            assert_eq!(b.get(), byte != 0);
            assert_eq!(b.checked().is_ok(), byte <= 1);
            let o = OptionBool(byte);
            assert_eq!(o.get().is_ok(), byte <= 2);
        }
        assert_eq!(Bool(7).checked(), Err(Status::INVALID_ARG));
        assert_eq!(Bool::from(true), Bool::TRUE);
        assert!(!bool::from(Bool::FALSE));
        assert_eq!(OptionBool::new(None).get(), Ok(None));
        assert_eq!(OptionBool::from(Some(true)).get(), Ok(Some(true)));
        assert_eq!(OptionBool::default(), OptionBool::NONE);
    }
}
