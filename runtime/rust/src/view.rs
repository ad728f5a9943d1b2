//! The safe views over borrowed text and elements (doc/abi.md 2.5, 2.6):
//! what the other side sent, checked before a Rust reference is made.
//!
//! A view is made from its raw form by an `unsafe` `from_raw`, whose
//! caller vouches for what cannot be checked (that the memory is there,
//! for as long as the view's lifetime), while everything that can be
//! checked is, and refused with [`Status::INVALID_ARG`]:
//!
//! - a null pointer with a length of 0 is the empty view (as is any
//!   pointer with a length of 0: it is never read);
//! - a null pointer with a length above 0, a pointer not aligned for the
//!   element type, `len * size_of::<T>()` above `isize::MAX`, and a range
//!   that would wrap around the address space are refused;
//! - text that is not UTF-8 is refused.

use core::fmt;
use core::mem::{align_of, size_of, MaybeUninit};
use core::ops::{Deref, DerefMut};
use core::ptr::NonNull;
use core::slice;

use crate::raw::{RawSlice, RawSliceMut, RawStr};
use crate::{Abi, Status};

/// Checks `len` elements of `T` at `ptr` for what a slice needs, but for
/// the memory itself: `Ok(None)` for an empty range (never read),
/// `Ok(Some(ptr))` for one that may be, [`Status::INVALID_ARG`] otherwise.
pub(crate) fn check_range<T>(ptr: *const T, len: usize) -> Result<Option<NonNull<T>>, Status> {
    if len == 0 {
        return Ok(None);
    }
    let nonnull = NonNull::new(ptr as *mut T).ok_or(Status::INVALID_ARG)?;
    let addr = ptr as usize;
    if addr % align_of::<T>() != 0 {
        return Err(Status::INVALID_ARG);
    }
    let bytes = len.checked_mul(size_of::<T>()).ok_or(Status::INVALID_ARG)?;
    if bytes > isize::MAX as usize || addr.checked_add(bytes).is_none() {
        return Err(Status::INVALID_ARG);
    }
    Ok(Some(nonnull))
}

/// Borrowed UTF-8 text, checked: a `&str`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Str<'a> {
    s: &'a str,
}

impl<'a> Str<'a> {
    /// The view of `raw`, after the checks of this module; the text must
    /// be UTF-8.
    ///
    /// # Safety
    ///
    /// When `raw.len` is not 0 and the pointer passes the checks, the
    /// `len` bytes at `raw.ptr` must be readable, and unchanged, for `'a`.
    pub unsafe fn from_raw(raw: RawStr) -> Result<Str<'a>, Status> {
        let bytes: &'a [u8] = match check_range(raw.ptr, raw.len)? {
            None => &[],
            // SAFETY: checked above but for the memory, which the caller
            // vouches for.
            Some(p) => unsafe { slice::from_raw_parts(p.as_ptr(), raw.len) },
        };
        match core::str::from_utf8(bytes) {
            Ok(s) => Ok(Str { s }),
            Err(_) => Err(Status::INVALID_ARG),
        }
    }

    /// The view of `s`.
    pub const fn new(s: &'a str) -> Str<'a> {
        Str { s }
    }

    /// The text.
    pub const fn as_str(&self) -> &'a str {
        self.s
    }

    /// The raw form, to pass on.
    pub const fn to_raw(&self) -> RawStr {
        RawStr::new(self.s)
    }
}

impl Deref for Str<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        self.s
    }
}

impl fmt::Display for Str<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.s)
    }
}

impl fmt::Debug for Str<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.s, f)
    }
}

impl<'a> From<&'a str> for Str<'a> {
    fn from(s: &'a str) -> Str<'a> {
        Str { s }
    }
}

/// Borrowed read-only elements, checked: a `&[T]` (`slice<const T>`).
#[derive(PartialEq, Eq, Hash)]
pub struct Slice<'a, T: Abi> {
    s: &'a [T],
}

impl<T: Abi> Clone for Slice<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Abi> Copy for Slice<'_, T> {}

impl<T: Abi> Default for Slice<'_, T> {
    fn default() -> Self {
        Slice { s: &[] }
    }
}

impl<'a, T: Abi> Slice<'a, T> {
    /// The view of `raw`, after the checks of this module.
    ///
    /// # Safety
    ///
    /// When `raw.len` is not 0 and the pointer passes the checks, the
    /// `len` elements at `raw.ptr` must be readable, initialised and
    /// unchanged for `'a`.
    pub unsafe fn from_raw(raw: RawSlice<T>) -> Result<Slice<'a, T>, Status> {
        Ok(Slice {
            s: match check_range(raw.ptr, raw.len)? {
                None => &[],
                // SAFETY: checked but for the memory, which the caller
                // vouches for; every bit pattern is a T.
                Some(p) => unsafe { slice::from_raw_parts(p.as_ptr(), raw.len) },
            },
        })
    }

    /// The view of `s`.
    pub const fn new(s: &'a [T]) -> Slice<'a, T> {
        Slice { s }
    }

    /// The elements.
    pub const fn as_slice(&self) -> &'a [T] {
        self.s
    }

    /// The raw form, to pass on.
    pub fn to_raw(&self) -> RawSlice<T> {
        RawSlice::new(self.s)
    }
}

impl<T: Abi> Deref for Slice<'_, T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        self.s
    }
}

impl<T: Abi + fmt::Debug> fmt::Debug for Slice<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.s, f)
    }
}

impl<'a, T: Abi> From<&'a [T]> for Slice<'a, T> {
    fn from(s: &'a [T]) -> Slice<'a, T> {
        Slice { s }
    }
}

/// Borrowed writable elements, checked: a `&mut [T]` (`slice<T>` whose
/// elements are initialised: `[inout]`).
#[derive(PartialEq, Eq, Hash)]
pub struct SliceMut<'a, T: Abi> {
    s: &'a mut [T],
}

impl<'a, T: Abi> SliceMut<'a, T> {
    /// The view of `raw`, after the checks of this module.
    ///
    /// # Safety
    ///
    /// When `raw.len` is not 0 and the pointer passes the checks, the
    /// `len` elements at `raw.ptr` must be initialised, and readable and
    /// writable by this view alone, for `'a`.
    pub unsafe fn from_raw(raw: RawSliceMut<T>) -> Result<SliceMut<'a, T>, Status> {
        Ok(SliceMut {
            s: match check_range(raw.ptr, raw.len)? {
                None => &mut [],
                // SAFETY: checked but for the memory, which the caller
                // vouches for; every bit pattern is a T.
                Some(p) => unsafe { slice::from_raw_parts_mut(p.as_ptr(), raw.len) },
            },
        })
    }

    /// The view of `s`.
    pub fn new(s: &'a mut [T]) -> SliceMut<'a, T> {
        SliceMut { s }
    }

    /// The elements, for the view's lifetime.
    pub fn into_slice(self) -> &'a mut [T] {
        self.s
    }

    /// The raw form, to pass on.
    pub fn to_raw(&mut self) -> RawSliceMut<T> {
        RawSliceMut::new(self.s)
    }
}

impl<T: Abi> Deref for SliceMut<'_, T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        self.s
    }
}

impl<T: Abi> DerefMut for SliceMut<'_, T> {
    fn deref_mut(&mut self) -> &mut [T] {
        self.s
    }
}

impl<T: Abi + fmt::Debug> fmt::Debug for SliceMut<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.s, f)
    }
}

/// Storage lent to be filled, checked: a `&mut [MaybeUninit<T>]`
/// (`slice<T>` in an `[out]` position, whose elements need not be
/// initialised).
pub struct SliceOut<'a, T: Abi> {
    s: &'a mut [MaybeUninit<T>],
}

impl<'a, T: Abi> SliceOut<'a, T> {
    /// The view of `raw`, after the checks of this module.
    ///
    /// # Safety
    ///
    /// When `raw.len` is not 0 and the pointer passes the checks, the
    /// `len` elements at `raw.ptr` must be writable by this view alone
    /// for `'a`.
    pub unsafe fn from_raw(raw: RawSliceMut<T>) -> Result<SliceOut<'a, T>, Status> {
        Ok(SliceOut {
            s: match check_range(raw.ptr, raw.len)? {
                None => &mut [],
                // SAFETY: checked but for the memory, which the caller
                // vouches for; MaybeUninit<T> has T's layout.
                Some(p) => unsafe {
                    slice::from_raw_parts_mut(p.as_ptr().cast::<MaybeUninit<T>>(), raw.len)
                },
            },
        })
    }

    /// The view of `s`.
    pub fn new(s: &'a mut [MaybeUninit<T>]) -> SliceOut<'a, T> {
        SliceOut { s }
    }

    /// Elements.
    pub fn len(&self) -> usize {
        self.s.len()
    }

    /// Whether there is no room at all.
    pub fn is_empty(&self) -> bool {
        self.s.is_empty()
    }

    /// Writes element `i`: [`Status::INVALID_ARG`] past the end.
    pub fn set(&mut self, i: usize, v: T) -> Result<(), Status> {
        let e = self.s.get_mut(i).ok_or(Status::INVALID_ARG)?;
        *e = MaybeUninit::new(v);
        Ok(())
    }

    /// The storage, for the view's lifetime.
    pub fn into_slice(self) -> &'a mut [MaybeUninit<T>] {
        self.s
    }

    /// The raw form, to pass on.
    pub fn to_raw(&mut self) -> RawSliceMut<T> {
        RawSliceMut {
            ptr: self.s.as_mut_ptr().cast(),
            len: self.s.len(),
        }
    }
}

impl<T: Abi> fmt::Debug for SliceOut<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SliceOut({} elements)", self.s.len())
    }
}

#[cfg(test)]
mod tests {
    use super::{Slice, SliceMut, SliceOut, Str};
    use crate::raw::{RawSlice, RawSliceMut, RawStr};
    use crate::{Bool, Status};
    use core::mem::{size_of, MaybeUninit};
    use core::ptr;

    #[test]
    fn empty_views_never_read() {
        // Null, dangling or misaligned pointers with a length of 0.
        for &addr in [0usize, 1, 3, usize::MAX].iter() {
            unsafe {
                let s = Str::from_raw(RawStr {
                    ptr: addr as *const u8,
                    len: 0,
                })
                .unwrap();
                assert_eq!(s.as_str(), "");
                let v = Slice::<u64>::from_raw(RawSlice {
                    ptr: addr as *const u64,
                    len: 0,
                })
                .unwrap();
                assert!(v.is_empty());
                let m = SliceMut::<u32>::from_raw(RawSliceMut {
                    ptr: addr as *mut u32,
                    len: 0,
                })
                .unwrap();
                assert!(m.is_empty());
                let o = SliceOut::<u16>::from_raw(RawSliceMut {
                    ptr: addr as *mut u16,
                    len: 0,
                })
                .unwrap();
                assert!(o.is_empty());
            }
        }
    }

    #[test]
    fn hostile_views_refused() {
        let words = [1u32, 2, 3, 4];
        let misaligned = (words.as_ptr() as *const u8).wrapping_add(1) as *const u32;
        unsafe {
            // null with a length
            assert_eq!(
                Str::from_raw(RawStr {
                    ptr: ptr::null(),
                    len: 5
                }),
                Err(Status::INVALID_ARG)
            );
            assert_eq!(
                Slice::<u32>::from_raw(RawSlice {
                    ptr: ptr::null(),
                    len: 5
                })
                .err(),
                Some(Status::INVALID_ARG)
            );
            assert_eq!(
                SliceMut::<u32>::from_raw(RawSliceMut {
                    ptr: ptr::null_mut(),
                    len: 5
                })
                .err(),
                Some(Status::INVALID_ARG)
            );
            assert_eq!(
                SliceOut::<u32>::from_raw(RawSliceMut {
                    ptr: ptr::null_mut(),
                    len: 5
                })
                .err(),
                Some(Status::INVALID_ARG)
            );
            // misaligned
            assert_eq!(
                Slice::<u32>::from_raw(RawSlice {
                    ptr: misaligned,
                    len: 1
                })
                .err(),
                Some(Status::INVALID_ARG)
            );
            assert_eq!(
                SliceOut::<u32>::from_raw(RawSliceMut {
                    ptr: misaligned as *mut u32,
                    len: 1
                })
                .err(),
                Some(Status::INVALID_ARG)
            );
            // more bytes than isize::MAX, or than the address space
            let huge = isize::MAX as usize / size_of::<u32>() + 1;
            assert_eq!(
                Slice::<u32>::from_raw(RawSlice {
                    ptr: words.as_ptr(),
                    len: huge
                })
                .err(),
                Some(Status::INVALID_ARG)
            );
            assert_eq!(
                Slice::<u32>::from_raw(RawSlice {
                    ptr: words.as_ptr(),
                    len: usize::MAX
                })
                .err(),
                Some(Status::INVALID_ARG)
            );
            assert_eq!(
                Str::from_raw(RawStr {
                    ptr: usize::MAX as *const u8,
                    len: 2
                }),
                Err(Status::INVALID_ARG)
            );
            assert_eq!(
                Str::from_raw(RawStr {
                    ptr: b"x".as_ptr(),
                    len: isize::MAX as usize + 1
                }),
                Err(Status::INVALID_ARG)
            );
            // the largest length that passes, for bytes
            let at = words.as_ptr() as usize;
            let most = (isize::MAX as usize).min(usize::MAX - at);
            assert!(super::check_range(words.as_ptr() as *const u8, most).is_ok());
        }
    }

    #[test]
    fn text_must_be_utf8() {
        let bad = [b'a', 0xff, b'b'];
        let good = "caf\u{e9}\0!";
        unsafe {
            assert_eq!(
                Str::from_raw(RawStr {
                    ptr: bad.as_ptr(),
                    len: bad.len()
                }),
                Err(Status::INVALID_ARG)
            );
            // a cut in the middle of a character
            assert_eq!(
                Str::from_raw(RawStr {
                    ptr: good.as_ptr(),
                    len: 4
                }),
                Err(Status::INVALID_ARG)
            );
            let s = Str::from_raw(RawStr::new(good)).unwrap();
            assert_eq!(&*s, good);
            assert_eq!(s.to_raw(), RawStr::new(good));
        }
    }

    #[test]
    fn views_of_elements() {
        let flags = [Bool(0), Bool(1), Bool(7)];
        let s = unsafe { Slice::from_raw(RawSlice::new(&flags[..])) }.unwrap();
        assert_eq!(s.iter().filter(|b| b.get()).count(), 2);
        assert_eq!(s.to_raw().len, 3);

        let mut words = [1u32, 2, 3];
        let raw = RawSliceMut::new(&mut words[..]);
        let mut m = unsafe { SliceMut::from_raw(raw) }.unwrap();
        m[1] = 20;
        assert_eq!(m.to_raw().len, 3);
        assert_eq!(words, [1, 20, 3]);

        let mut room = [MaybeUninit::<u16>::uninit(); 2];
        let mut o = SliceOut::new(&mut room[..]);
        o.set(0, 5).unwrap();
        o.set(1, 6).unwrap();
        assert_eq!(o.set(2, 7), Err(Status::INVALID_ARG));
        let raw = o.to_raw();
        let again = unsafe {
            Slice::from_raw(RawSlice {
                ptr: raw.ptr,
                len: raw.len,
            })
        }
        .unwrap();
        assert_eq!(again.as_slice(), &[5, 6]);
    }
}
