//! The ABI-level types of `<chitin/chitin.h>` (doc/abi.md 2): the same
//! layouts as their C forms, all `Copy`, every bit pattern valid.  They
//! hold what the other side wrote as it is; the safe layer
//! ([`Str`](crate::Str), [`Slice`](crate::Slice), ...) checks it.
//!
//! Generic where C names one type per instantiation: `RawSlice<u32>` is
//! `chitin_slice_const_u32`, `RawSliceMut<u32>` `chitin_slice_u32`,
//! `RawVec<u32>` `chitin_vec_u32`, `RawOption<u32>` `chitin_option_u32`,
//! and `RawResult<u32, RawString>` the `chitin_result_u32_string` of a
//! generated header.  A `void` arm of a result is `()`.

use core::ffi::c_void;
use core::fmt;
use core::mem::MaybeUninit;
use core::ptr;

use crate::Status;

/// The `release(ptr, len, cap)` of an owned buffer.
pub type ReleaseFn<T> = unsafe extern "C" fn(ptr: *mut T, len: usize, cap: usize);

/// `str` (`chitin_str`): borrowed UTF-8, not NUL-terminated.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawStr {
    /// The first byte; any value when `len` is 0.
    pub ptr: *const u8,
    /// Bytes.
    pub len: usize,
}

impl RawStr {
    /// The empty text, with a null pointer.
    pub const EMPTY: RawStr = RawStr {
        ptr: ptr::null(),
        len: 0,
    };

    /// The bytes of `s`, borrowed.
    pub const fn new(s: &str) -> RawStr {
        RawStr {
            ptr: s.as_ptr(),
            len: s.len(),
        }
    }
}

impl Default for RawStr {
    fn default() -> RawStr {
        RawStr::EMPTY
    }
}

/// `slice<const T>` (`chitin_slice_const_T`): borrowed, read-only.
#[repr(C)]
#[derive(Debug, PartialEq, Eq)]
pub struct RawSlice<T> {
    /// The first element; any value when `len` is 0.
    pub ptr: *const T,
    /// Elements.
    pub len: usize,
}

/// `slice<T>` (`chitin_slice_T`): borrowed, writable.
#[repr(C)]
#[derive(Debug, PartialEq, Eq)]
pub struct RawSliceMut<T> {
    /// The first element; any value when `len` is 0.
    pub ptr: *mut T,
    /// Elements.
    pub len: usize,
}

macro_rules! slice_common {
    ($name:ident, $null:path, $slice:ty, $as_ptr:ident) => {
        impl<T> Clone for $name<T> {
            fn clone(&self) -> Self {
                *self
            }
        }

        impl<T> Copy for $name<T> {}

        impl<T> Default for $name<T> {
            fn default() -> Self {
                Self::EMPTY
            }
        }

        impl<T> $name<T> {
            /// The empty slice, with a null pointer.
            pub const EMPTY: Self = $name {
                ptr: $null(),
                len: 0,
            };

            /// The elements of `s`, borrowed.
            pub fn new(s: $slice) -> Self {
                $name {
                    ptr: s.$as_ptr(),
                    len: s.len(),
                }
            }
        }
    };
}

slice_common!(RawSlice, ptr::null, &[T], as_ptr);
slice_common!(RawSliceMut, ptr::null_mut, &mut [T], as_mut_ptr);

impl<T> RawSliceMut<T> {
    /// Storage for `[out]` elements (doc/abi.md 3.2), borrowed: the
    /// callee writes them, and reads none.
    pub fn uninit(s: &mut [MaybeUninit<T>]) -> Self {
        RawSliceMut {
            ptr: s.as_mut_ptr().cast(),
            len: s.len(),
        }
    }
}

/// `string` (`chitin_string`): owned UTF-8, freed by its `release`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct RawString {
    /// Storage for `cap` bytes, of which `len` are the text.
    pub ptr: *mut u8,
    /// Bytes of text.
    pub len: usize,
    /// Bytes of storage.
    pub cap: usize,
    /// Frees the buffer, exactly once; null for nothing to free.
    pub release: Option<ReleaseFn<u8>>,
}

/// `vec<T>` (`chitin_vec_T`): owned elements, freed (and dropped) by its
/// `release`.
#[repr(C)]
#[derive(Debug)]
pub struct RawVec<T> {
    /// Storage for `cap` elements, of which the first `len` are valid.
    pub ptr: *mut T,
    /// Elements.
    pub len: usize,
    /// Elements the storage holds.
    pub cap: usize,
    /// Drops the elements and frees the buffer, exactly once; null for
    /// nothing to free.
    pub release: Option<ReleaseFn<T>>,
}

impl<T> Clone for RawVec<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for RawVec<T> {}

macro_rules! buffer_common {
    ($name:ty, $($gen:ident)?) => {
        impl$(<$gen>)? Default for $name {
            fn default() -> Self {
                Self::EMPTY
            }
        }

        impl$(<$gen>)? $name {
            /// The empty buffer: null, 0, 0, and no release.
            pub const EMPTY: Self = Self {
                ptr: ptr::null_mut(),
                len: 0,
                cap: 0,
                release: None,
            };

            /// Calls `release` (if any) with the three values, once, and
            /// leaves the buffer empty, so that calling this again does
            /// nothing.
            ///
            /// # Safety
            ///
            /// The buffer must be owned (doc/abi.md 4) by the caller, and
            /// its values those it was made with.
            pub unsafe fn release(&mut self) {
                let this = core::mem::replace(self, Self::EMPTY);
                if let Some(release) = this.release {
                    // SAFETY: the caller owns the buffer; it is released
                    // once, as its maker said, and forgotten here.
                    unsafe { release(this.ptr, this.len, this.cap) };
                }
            }
        }
    };
}

buffer_common!(RawString,);
buffer_common!(RawVec<T>, T);

/// `option<T>` with a tag (`chitin_option_T`): `{u8 tag; T value}`, the
/// value meaningful only when the tag is 1.  (`option<bool>` is
/// [`OptionBool`](crate::OptionBool); options of interfaces and callbacks
/// are nullable pointers.)
///
/// The fields are reached through methods, so that a tag of 1 always
/// comes with a value: [`RawOption::get`] reads it safely.  A tag other
/// than 0 and 1 (which only the other side can write) is
/// [`Status::INVALID_ARG`].
#[repr(C)]
pub struct RawOption<T> {
    tag: u8,
    value: MaybeUninit<T>,
}

/// `CHITIN_OPTION_NONE`.
pub const OPTION_NONE: u8 = 0;
/// `CHITIN_OPTION_SOME`.
pub const OPTION_SOME: u8 = 1;
/// `CHITIN_RESULT_OK`.
pub const RESULT_OK: u8 = 0;
/// `CHITIN_RESULT_ERR`.
pub const RESULT_ERR: u8 = 1;

impl<T: Copy> Clone for RawOption<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Copy> Copy for RawOption<T> {}

impl<T: Copy> RawOption<T> {
    /// None: tag 0, the value's bytes unspecified.
    pub const fn none() -> Self {
        RawOption {
            tag: OPTION_NONE,
            value: MaybeUninit::uninit(),
        }
    }

    /// Some(v).
    pub const fn some(v: T) -> Self {
        RawOption {
            tag: OPTION_SOME,
            value: MaybeUninit::new(v),
        }
    }

    /// An option of this tag and value, as the other side may write it.
    ///
    /// # Safety
    ///
    /// When `tag` is 1, `value` must be initialised.
    pub const unsafe fn from_raw_parts(tag: u8, value: MaybeUninit<T>) -> Self {
        RawOption { tag, value }
    }

    /// The tag: 0 none, 1 some, anything else invalid.
    pub const fn tag(&self) -> u8 {
        self.tag
    }

    /// The value, [`Status::INVALID_ARG`] for a tag other than 0 and 1.
    pub fn get(&self) -> Result<Option<T>, Status> {
        match self.tag {
            OPTION_NONE => Ok(None),
            // SAFETY: a tag of 1 comes with a value (the type's invariant).
            OPTION_SOME => Ok(Some(unsafe { self.value.assume_init() })),
            _ => Err(Status::INVALID_ARG),
        }
    }

    /// The value in place when the tag is 1.
    pub fn value_mut(&mut self) -> Option<&mut T> {
        if self.tag == OPTION_SOME {
            // SAFETY: as in `get`.
            Some(unsafe { &mut *self.value.as_mut_ptr() })
        } else {
            None
        }
    }

    /// Where the tag is.
    pub fn tag_ptr(&self) -> *const u8 {
        &self.tag
    }

    /// Where the value is, whatever the tag.
    pub fn value_ptr(&self) -> *const T {
        self.value.as_ptr()
    }
}

impl<T: Copy> Default for RawOption<T> {
    fn default() -> Self {
        Self::none()
    }
}

impl<T: Copy> From<Option<T>> for RawOption<T> {
    fn from(v: Option<T>) -> Self {
        match v {
            None => Self::none(),
            Some(v) => Self::some(v),
        }
    }
}

impl<T: Copy + fmt::Debug> fmt::Debug for RawOption<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.get() {
            Ok(v) => write!(f, "RawOption({v:?})"),
            Err(_) => write!(f, "RawOption(invalid tag {})", self.tag),
        }
    }
}

/// The union of a result's arms.
#[repr(C)]
#[derive(Clone, Copy)]
union ResultArms<T: Copy, E: Copy> {
    ok: MaybeUninit<T>,
    err: MaybeUninit<E>,
}

/// `result<T, E>`: `{u8 tag; union {T ok; E err;} u}`, tag 0 ok, 1 err;
/// a `void` arm is `()` (the union then has only the other's bytes, as in
/// C).  As for [`RawOption`], the fields are reached through methods so
/// that the tag always names an arm that holds a value.
#[repr(C)]
pub struct RawResult<T: Copy, E: Copy> {
    tag: u8,
    u: ResultArms<T, E>,
}

impl<T: Copy, E: Copy> Clone for RawResult<T, E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Copy, E: Copy> Copy for RawResult<T, E> {}

impl<T: Copy, E: Copy> RawResult<T, E> {
    /// Ok(v).
    pub const fn ok(v: T) -> Self {
        RawResult {
            tag: RESULT_OK,
            u: ResultArms {
                ok: MaybeUninit::new(v),
            },
        }
    }

    /// Err(e).
    pub const fn err(e: E) -> Self {
        RawResult {
            tag: RESULT_ERR,
            u: ResultArms {
                err: MaybeUninit::new(e),
            },
        }
    }

    /// The tag: 0 ok, 1 err, anything else invalid.
    pub const fn tag(&self) -> u8 {
        self.tag
    }

    /// The arm, [`Status::INVALID_ARG`] for a tag other than 0 and 1.
    pub fn get(&self) -> Result<Result<T, E>, Status> {
        // SAFETY: the tag names the arm that holds a value (the type's
        // invariant); both arms are Copy.
        unsafe {
            match self.tag {
                RESULT_OK => Ok(Ok(self.u.ok.assume_init())),
                RESULT_ERR => Ok(Err(self.u.err.assume_init())),
                _ => Err(Status::INVALID_ARG),
            }
        }
    }

    /// The arm in place; None for an invalid tag.
    pub fn arm_mut(&mut self) -> Option<Result<&mut T, &mut E>> {
        // SAFETY: as in `get`.
        unsafe {
            match self.tag {
                RESULT_OK => Some(Ok(&mut *self.u.ok.as_mut_ptr())),
                RESULT_ERR => Some(Err(&mut *self.u.err.as_mut_ptr())),
                _ => None,
            }
        }
    }

    /// A result of this tag, whose arms' bytes are to be written through
    /// [`RawResult::ok_mut_ptr`] or [`RawResult::err_mut_ptr`].
    ///
    /// # Safety
    ///
    /// Before the result is read, the arm its tag names (if 0 or 1) must
    /// be written.
    pub const unsafe fn uninit(tag: u8) -> Self {
        RawResult {
            tag,
            u: ResultArms {
                ok: MaybeUninit::uninit(),
            },
        }
    }

    /// Where the tag is.
    pub fn tag_ptr(&self) -> *const u8 {
        &self.tag
    }

    /// Where the ok arm is, whatever the tag.
    pub fn ok_ptr(&self) -> *const T {
        // A union's members are all at its start.
        (&self.u as *const ResultArms<T, E>).cast()
    }

    /// Where the err arm is, whatever the tag.
    pub fn err_ptr(&self) -> *const E {
        // A union's members are all at its start.
        (&self.u as *const ResultArms<T, E>).cast()
    }

    /// Where the ok arm is, to write it.
    pub fn ok_mut_ptr(&mut self) -> *mut T {
        // A union's members are all at its start.
        (&mut self.u as *mut ResultArms<T, E>).cast()
    }

    /// Where the err arm is, to write it.
    pub fn err_mut_ptr(&mut self) -> *mut E {
        // A union's members are all at its start.
        (&mut self.u as *mut ResultArms<T, E>).cast()
    }
}

impl<T: Copy, E: Copy> From<Result<T, E>> for RawResult<T, E> {
    fn from(r: Result<T, E>) -> Self {
        match r {
            Ok(v) => Self::ok(v),
            Err(e) => Self::err(e),
        }
    }
}

impl<T: Copy + fmt::Debug, E: Copy + fmt::Debug> fmt::Debug for RawResult<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.get() {
            Ok(r) => write!(f, "RawResult({r:?})"),
            Err(_) => write!(f, "RawResult(invalid tag {})", self.tag),
        }
    }
}

/// A resilient struct's layout record (`chitin_layout_record`): its head,
/// followed in memory by `field_count` `u32` offsets.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct LayoutRecord {
    /// Bytes of a value.
    pub size: u32,
    /// Alignment of a value.
    pub align: u32,
    /// Offsets that follow the head.
    pub field_count: u32,
}

/// What the entry symbol `chitin_module_<module>` holds (`chitin_module`):
/// the descriptor blob and the exports table.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Module {
    /// The blob for the target the library was built for.
    pub descriptor: *const u8,
    /// The exports table, which starts with its own size; null for none.
    pub exports: *const c_void,
}

// SAFETY: both point at data that never changes (the descriptor and the
// table are statics), so the entry may be a static shared by threads.
unsafe impl Sync for Module {}
