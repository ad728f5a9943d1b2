//! Status codes (doc/abi.md 3.3).

use core::fmt;

/// What every call across the boundary returns: `chitin_status`, an
/// `int32_t`.  Codes 0 to 5 are chitin's; 6 to 1023 are reserved; any
/// other value is the implementation's.
#[repr(transparent)]
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Status(pub i32);

impl Status {
    /// `CHITIN_OK`: the call completed.
    pub const OK: Status = Status(0);
    /// `CHITIN_UNAVAILABLE`: not in the implementer's version.
    pub const UNAVAILABLE: Status = Status(1);
    /// `CHITIN_PANIC`: the callee panicked, and the panic was caught.
    pub const PANIC: Status = Status(2);
    /// `CHITIN_INVALID_ARG`: an argument broke the rules of the ABI.
    pub const INVALID_ARG: Status = Status(3);
    /// `CHITIN_NO_MEMORY`: the callee could not allocate.
    pub const NO_MEMORY: Status = Status(4);
    /// `CHITIN_FAILED`: failed in a way no result error describes.
    pub const FAILED: Status = Status(5);

    /// The code.
    pub const fn code(self) -> i32 {
        self.0
    }

    /// Whether this is [`Status::OK`].
    pub const fn is_ok(self) -> bool {
        self.0 == 0
    }

    /// `Ok(())` for [`Status::OK`], otherwise `Err(self)`.
    pub const fn to_result(self) -> Result<(), Status> {
        if self.is_ok() {
            Ok(())
        } else {
            Err(self)
        }
    }

    /// The text libchitin's `chitin_status_text` gives: `"ok"`,
    /// `"unavailable"`, ..., and `"unknown status"` for a code chitin does
    /// not define.
    pub const fn text(self) -> &'static str {
        match self.0 {
            0 => "ok",
            1 => "unavailable",
            2 => "panic",
            3 => "invalid argument",
            4 => "out of memory",
            5 => "failed",
            _ => "unknown status",
        }
    }
}

impl From<Status> for i32 {
    fn from(s: Status) -> i32 {
        s.0
    }
}

impl From<i32> for Status {
    fn from(code: i32) -> Status {
        Status(code)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}

impl fmt::Debug for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Status({}: {})", self.0, self.text())
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Status {}

#[cfg(test)]
mod tests {
    use super::Status;
    use std::string::ToString;

    #[test]
    fn codes_and_texts() {
        assert_eq!(Status::OK.code(), 0);
        assert!(Status::OK.is_ok() && !Status::FAILED.is_ok());
        assert_eq!(Status::INVALID_ARG.to_result(), Err(Status::INVALID_ARG));
        assert_eq!(Status::OK.to_result(), Ok(()));
        assert_eq!(Status::NO_MEMORY.to_string(), "out of memory");
        assert_eq!(Status(-1).text(), "unknown status");
        assert_eq!(Status(6).text(), "unknown status");
        assert_eq!(i32::from(Status::PANIC), 2);
        assert_eq!(Status::from(1), Status::UNAVAILABLE);
    }
}
