//! The types that cross the boundary by value.

use crate::raw::{
    LayoutRecord, Module, RawOption, RawResult, RawSlice, RawSliceMut, RawStr, RawString, RawVec,
};
use crate::{Bool, OptionBool, TypeId, VtableHeader};

/// A type that crosses the boundary by value: `#[repr(C)]` or
/// `#[repr(transparent)]` with the layout doc/abi.md gives it, `Copy`,
/// without `Drop`, and valid for every initialised bit pattern, so that
/// whatever bytes the other side writes are a value of it (a `bool` is
/// [`Bool`], an option's value is in a `MaybeUninit`).  Views over
/// borrowed memory ([`Slice`](crate::Slice) and the others) hand out
/// references only to elements of such types.
///
/// # Safety
///
/// Implement it only for types with those properties; generated code
/// implements it for the module's types.  [`Abi::release_in_place`] must
/// release exactly what the value owns (doc/abi.md 4, rule 7).
pub unsafe trait Abi: Copy + 'static {
    /// Releases what the value owns (its owned buffers, callbacks and
    /// references), once: what a `vec`'s `release` does to each element.
    /// Nothing, for plain data.
    ///
    /// # Safety
    ///
    /// The value must own what it holds, and is not to be released again
    /// or used afterwards.
    unsafe fn release_in_place(&mut self) {}
}

/// A `T` of zero bytes, which is a value of every such type: the
/// storage a generated call gives for what the callee writes, so that a
/// callee that says `OK` without writing leaves a value.
pub fn zeroed<T: Abi>() -> T {
    // SAFETY: every initialised bit pattern is a T (Abi's contract).
    unsafe { core::mem::zeroed() }
}

macro_rules! plain {
    ($($t:ty),* $(,)?) => {
        $(unsafe impl Abi for $t {})*
    };
}

plain!(
    (),
    i8,
    i16,
    i32,
    i64,
    u8,
    u16,
    u32,
    u64,
    f32,
    f64,
    usize,
    isize,
    Bool,
    OptionBool,
    TypeId,
    RawStr,
    VtableHeader,
    LayoutRecord,
    Module,
);

unsafe impl<T: 'static> Abi for *const T {}
unsafe impl<T: 'static> Abi for *mut T {}
unsafe impl<T: Abi, const N: usize> Abi for [T; N] {
    unsafe fn release_in_place(&mut self) {
        for e in self.iter_mut() {
            // SAFETY: the caller's contract, element by element.
            unsafe { e.release_in_place() };
        }
    }
}
unsafe impl<T: Abi> Abi for RawSlice<T> {}
unsafe impl<T: Abi> Abi for RawSliceMut<T> {}

unsafe impl Abi for RawString {
    unsafe fn release_in_place(&mut self) {
        // SAFETY: the caller's contract.
        unsafe { self.release() };
    }
}

unsafe impl<T: Abi> Abi for RawVec<T> {
    unsafe fn release_in_place(&mut self) {
        // SAFETY: the caller's contract.
        unsafe { self.release() };
    }
}

unsafe impl<T: Abi> Abi for RawOption<T> {
    unsafe fn release_in_place(&mut self) {
        if let Some(v) = self.value_mut() {
            // SAFETY: the caller's contract; a some value owns its parts.
            unsafe { v.release_in_place() };
        }
    }
}

unsafe impl<T: Abi, E: Abi> Abi for RawResult<T, E> {
    unsafe fn release_in_place(&mut self) {
        match self.arm_mut() {
            Some(Ok(v)) => {
                // SAFETY: the caller's contract, for the present arm.
                unsafe { v.release_in_place() }
            }
            Some(Err(e)) => {
                // SAFETY: as above.
                unsafe { e.release_in_place() }
            }
            None => {}
        }
    }
}
