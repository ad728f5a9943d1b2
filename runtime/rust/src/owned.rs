//! Owned buffers (doc/abi.md 2.7, 4): `string` and `vec<T>` held by Rust,
//! released exactly once through the function they carry.

use core::fmt;
use core::mem::ManuallyDrop;
use core::slice;
use std::panic::{self, AssertUnwindSafe};

use crate::raw::{RawString, RawVec};
use crate::view::check_range;
use crate::{Abi, Status};

/// Whether the buffer's values are ones the ABI allows, the memory aside:
/// `len` at most `cap`, and the `len` elements a valid range.
fn check_buffer<T>(ptr: *const T, len: usize, cap: usize) -> Result<(), Status> {
    if len > cap {
        return Err(Status::INVALID_ARG);
    }
    check_range(ptr, len).map(|_| ())
}

/// An owned `string`: its `release` runs exactly once, when it drops
/// (unless [`String::into_raw`] passed it on).  Its text was checked when
/// it was taken: [`String::as_str`] gives it, or [`Status::INVALID_ARG`]
/// for a buffer the ABI does not allow (`len` above `cap`, a null pointer
/// with a length, text that is not UTF-8), which is still released.
pub struct String {
    raw: RawString,
    valid: bool,
}

impl String {
    /// The empty string, which owns nothing.
    pub const fn new() -> String {
        String {
            raw: RawString::EMPTY,
            valid: true,
        }
    }

    /// Takes ownership of `raw`.
    ///
    /// # Safety
    ///
    /// `raw` must be owned by the caller, who gives it up; when its
    /// values pass the checks, its `len` bytes must be readable, and not
    /// change, until it is released.
    pub unsafe fn from_raw(raw: RawString) -> String {
        let valid = check_buffer(raw.ptr, raw.len, raw.cap).is_ok() && {
            // SAFETY: checked, and vouched for by the caller.
            let bytes = unsafe { bytes_of(raw.ptr, raw.len) };
            core::str::from_utf8(bytes).is_ok()
        };
        String { raw, valid }
    }

    /// The text, or [`Status::INVALID_ARG`] if the buffer was not valid.
    pub fn as_str(&self) -> Result<&str, Status> {
        if !self.valid {
            return Err(Status::INVALID_ARG);
        }
        // SAFETY: checked to be UTF-8 in from_raw (or made from a str).
        Ok(unsafe { core::str::from_utf8_unchecked(bytes_of(self.raw.ptr, self.raw.len)) })
    }

    /// Bytes of text.
    pub fn len(&self) -> usize {
        self.raw.len
    }

    /// Whether there is no text.
    pub fn is_empty(&self) -> bool {
        self.raw.len == 0
    }

    /// The raw form, borrowed: still owned (and released) by `self`.
    pub fn as_raw(&self) -> &RawString {
        &self.raw
    }

    /// Gives up ownership: the raw form, which its new holder releases.
    pub fn into_raw(self) -> RawString {
        let this = ManuallyDrop::new(self);
        this.raw
    }
}

/// The `len` bytes at `ptr`, or none when `len` is 0.
///
/// # Safety
///
/// When `len` is not 0, `ptr` passed `check_range` and the bytes are
/// readable for `'a`.
unsafe fn bytes_of<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if len == 0 {
        &[]
    } else {
        // SAFETY: the caller's contract.
        unsafe { slice::from_raw_parts(ptr, len) }
    }
}

impl Drop for String {
    fn drop(&mut self) {
        // SAFETY: owned by self, released once: drop runs once.
        unsafe { self.raw.release() }
    }
}

impl Default for String {
    fn default() -> String {
        String::new()
    }
}

impl fmt::Debug for String {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.as_str() {
            Ok(s) => write!(f, "String({s:?})"),
            Err(_) => write!(f, "String(invalid, {} bytes)", self.raw.len),
        }
    }
}

/// Runs a release function's body without letting a panic unwind out of
/// an `extern "C"` function: a panic there aborts.
fn no_unwind<F: FnOnce()>(f: F) {
    if panic::catch_unwind(AssertUnwindSafe(f)).is_err() {
        std::process::abort();
    }
}

unsafe extern "C" fn release_rust_string(ptr: *mut u8, len: usize, cap: usize) {
    no_unwind(|| {
        // SAFETY: the buffer of a std String given up in From, with its
        // own values, released once (the ABI's rule).
        drop(unsafe { std::vec::Vec::from_raw_parts(ptr, len, cap) });
    });
}

impl From<std::string::String> for String {
    /// The text, in a buffer whose release frees it with this program's
    /// allocator.
    fn from(s: std::string::String) -> String {
        let mut bytes = ManuallyDrop::new(s.into_bytes());
        String {
            raw: RawString {
                ptr: bytes.as_mut_ptr(),
                len: bytes.len(),
                cap: bytes.capacity(),
                release: Some(release_rust_string),
            },
            valid: true,
        }
    }
}

impl From<&str> for String {
    fn from(s: &str) -> String {
        String::from(std::string::String::from(s))
    }
}

/// An owned `vec<T>`: its `release` runs exactly once, when it drops
/// (unless [`Vec::into_raw`] passed it on).  Its values were checked when
/// it was taken: [`Vec::as_slice`] gives the elements, or
/// [`Status::INVALID_ARG`] for a buffer the ABI does not allow (`len`
/// above `cap`, a null or misaligned pointer with a length, more than
/// `isize::MAX` bytes), which is still released.
pub struct Vec<T: Abi> {
    raw: RawVec<T>,
    valid: bool,
}

impl<T: Abi> Vec<T> {
    /// The empty vec, which owns nothing.
    pub const fn new() -> Vec<T> {
        Vec {
            raw: RawVec::EMPTY,
            valid: true,
        }
    }

    /// Takes ownership of `raw`.
    ///
    /// # Safety
    ///
    /// `raw` must be owned by the caller, who gives it up; when its
    /// values pass the checks, its `len` elements must be initialised,
    /// and readable and writable through it alone, until it is released.
    pub unsafe fn from_raw(raw: RawVec<T>) -> Vec<T> {
        let valid = check_buffer(raw.ptr, raw.len, raw.cap).is_ok();
        Vec { raw, valid }
    }

    /// The elements, or [`Status::INVALID_ARG`] if the buffer was not
    /// valid.
    pub fn as_slice(&self) -> Result<&[T], Status> {
        if !self.valid {
            return Err(Status::INVALID_ARG);
        }
        if self.raw.len == 0 {
            return Ok(&[]);
        }
        // SAFETY: checked in from_raw, and owned by self.
        Ok(unsafe { slice::from_raw_parts(self.raw.ptr, self.raw.len) })
    }

    /// The elements, writable, or [`Status::INVALID_ARG`].
    pub fn as_mut_slice(&mut self) -> Result<&mut [T], Status> {
        if !self.valid {
            return Err(Status::INVALID_ARG);
        }
        if self.raw.len == 0 {
            return Ok(&mut []);
        }
        // SAFETY: as in as_slice; self is borrowed mutably.
        Ok(unsafe { slice::from_raw_parts_mut(self.raw.ptr, self.raw.len) })
    }

    /// Elements.
    pub fn len(&self) -> usize {
        self.raw.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.raw.len == 0
    }

    /// The raw form, borrowed: still owned (and released) by `self`.
    pub fn as_raw(&self) -> &RawVec<T> {
        &self.raw
    }

    /// Gives up ownership: the raw form, which its new holder releases.
    pub fn into_raw(self) -> RawVec<T> {
        let this = ManuallyDrop::new(self);
        this.raw
    }
}

impl<T: Abi> Drop for Vec<T> {
    fn drop(&mut self) {
        // SAFETY: owned by self, released once: drop runs once.
        unsafe { self.raw.release() }
    }
}

impl<T: Abi> Default for Vec<T> {
    fn default() -> Vec<T> {
        Vec::new()
    }
}

impl<T: Abi + fmt::Debug> fmt::Debug for Vec<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.as_slice() {
            Ok(s) => write!(f, "Vec({s:?})"),
            Err(_) => write!(f, "Vec(invalid, {} elements)", self.raw.len),
        }
    }
}

unsafe extern "C" fn release_rust_vec<T: Abi>(ptr: *mut T, len: usize, cap: usize) {
    no_unwind(|| {
        // SAFETY: the buffer of a std Vec given up in From, with its own
        // values, released once; each element releases what it owns.
        let mut v = unsafe { std::vec::Vec::from_raw_parts(ptr, len, cap) };
        for e in v.iter_mut() {
            // SAFETY: the elements are owned by the buffer, and dropped
            // with it.
            unsafe { e.release_in_place() };
        }
        drop(v);
    });
}

impl<T: Abi> From<std::vec::Vec<T>> for Vec<T> {
    /// The elements, in a buffer whose release releases each and frees
    /// the storage with this program's allocator.
    fn from(v: std::vec::Vec<T>) -> Vec<T> {
        let mut v = ManuallyDrop::new(v);
        Vec {
            raw: RawVec {
                ptr: v.as_mut_ptr(),
                len: v.len(),
                cap: v.capacity(),
                release: Some(release_rust_vec::<T>),
            },
            valid: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{String, Vec};
    use crate::raw::{RawString, RawVec};
    use crate::Status;
    use std::cell::Cell;

    std::thread_local! {
        static RELEASED: Cell<usize> = const { Cell::new(0) };
    }

    fn released() -> usize {
        RELEASED.with(|c| c.replace(0))
    }

    unsafe extern "C" fn count_bytes(_: *mut u8, _: usize, _: usize) {
        RELEASED.with(|c| c.set(c.get() + 1));
    }

    unsafe extern "C" fn count_words(_: *mut u32, _: usize, _: usize) {
        RELEASED.with(|c| c.set(c.get() + 1));
    }

    fn raw_string(ptr: *mut u8, len: usize, cap: usize) -> RawString {
        RawString {
            ptr,
            len,
            cap,
            release: Some(count_bytes),
        }
    }

    #[test]
    fn released_once() {
        let mut text = *b"hello";
        let p = text.as_mut_ptr();
        let s = unsafe { String::from_raw(raw_string(p, 5, 5)) };
        assert_eq!(s.as_str(), Ok("hello"));
        drop(s);
        assert_eq!(released(), 1);

        // Passed on: not released here.
        let s = unsafe { String::from_raw(raw_string(p, 5, 5)) };
        let mut raw = s.into_raw();
        assert_eq!(released(), 0);
        unsafe {
            raw.release();
            raw.release();
        }
        assert_eq!(released(), 1);

        // No release: nothing to call.
        drop(unsafe { String::from_raw(RawString::EMPTY) });
        assert_eq!(released(), 0);
    }

    #[test]
    fn hostile_buffers_refused_and_released() {
        let mut text = *b"a\xffb";
        let p = text.as_mut_ptr();
        let cases = [
            raw_string(core::ptr::null_mut(), 5, 5),
            raw_string(p, 3, 2),
            raw_string(p, 3, 3),
            raw_string(usize::MAX as *mut u8, 2, 2),
        ];
        for raw in cases.iter() {
            let s = unsafe { String::from_raw(*raw) };
            assert_eq!(s.as_str(), Err(Status::INVALID_ARG));
            drop(s);
            assert_eq!(released(), 1);
        }
        let mut words = [1u32, 2];
        let misaligned = (words.as_mut_ptr() as *mut u8).wrapping_add(2) as *mut u32;
        for (ptr, len, cap) in [
            (core::ptr::null_mut(), 5, 5),
            (misaligned, 1, 1),
            (words.as_mut_ptr(), 3, 2),
            (words.as_mut_ptr(), usize::MAX, usize::MAX),
        ] {
            let v = unsafe {
                Vec::from_raw(RawVec {
                    ptr,
                    len,
                    cap,
                    release: Some(count_words),
                })
            };
            assert_eq!(v.as_slice().err(), Some(Status::INVALID_ARG));
            drop(v);
            assert_eq!(released(), 1);
        }
        // A null pointer with nothing in it is empty.
        let v = unsafe {
            Vec::<u32>::from_raw(RawVec {
                ptr: core::ptr::null_mut(),
                len: 0,
                cap: 0,
                release: Some(count_words),
            })
        };
        assert_eq!(v.as_slice(), Ok(&[][..]));
        drop(v);
        assert_eq!(released(), 1);
    }

    #[test]
    fn made_in_rust() {
        let s = String::from("caf\u{e9}");
        assert_eq!(s.as_str(), Ok("caf\u{e9}"));
        assert_eq!(s.len(), 5);
        let raw = s.into_raw();
        // Back through the raw form, as the other side would hand it.
        let s = unsafe { String::from_raw(raw) };
        assert_eq!(s.as_str(), Ok("caf\u{e9}"));

        let mut v = Vec::from(std::vec![1u64, 2, 3]);
        v.as_mut_slice().unwrap()[0] = 10;
        assert_eq!(v.as_slice(), Ok(&[10u64, 2, 3][..]));

        // A vec of strings releases each string with the vec.
        let strings = std::vec![
            unsafe { String::from_raw(raw_string(core::ptr::null_mut(), 0, 0)) }.into_raw(),
            String::from("x").into_raw(),
            unsafe { String::from_raw(raw_string(core::ptr::null_mut(), 0, 0)) }.into_raw(),
        ];
        let v = Vec::from(strings);
        assert_eq!(v.len(), 3);
        drop(v);
        assert_eq!(released(), 2);
        assert!(Vec::<u8>::new().is_empty() && String::new().is_empty());
    }
}
