//! What thunks build on: the `extern "C"` functions that Rust gives the
//! other side to call, such as the `call` of a callback made of a Rust
//! closure (doc/abi.md 2.16, 3.4).
//!
//! A thunk takes what it owns first ([`Owned`], or the owned buffers
//! and callbacks of the crate), then checks its arguments, then runs
//! the Rust code inside [`guard`], which turns an error into the status
//! returned and a panic into [`Status::PANIC`].

use core::ffi::c_void;
use core::mem::ManuallyDrop;
use std::boxed::Box;
use std::panic::{self, AssertUnwindSafe};

use crate::{Abi, Status};

/// The `ctx` of an owned callback made of `f`: `f` moved to the heap.
pub fn boxed_ctx<F>(f: F) -> *mut c_void {
    Box::into_raw(Box::new(f)).cast()
}

/// The `ctx` of a borrowed callback made of `f`.
pub fn borrowed_ctx<F>(f: &mut F) -> *mut c_void {
    (f as *mut F).cast()
}

/// The `release` of an owned callback made by [`boxed_ctx`]: it drops the
/// closure. A panic while dropping it cannot unwind into the caller,
/// which may be C, so it aborts the process.
///
/// # Safety
///
/// `ctx` must come from `boxed_ctx::<F>` and not have been released.
pub unsafe extern "C" fn release_boxed<F>(ctx: *mut c_void) {
    // SAFETY: made by boxed_ctx::<F>, released once (the caller's word).
    let f = unsafe { Box::from_raw(ctx.cast::<F>()) };
    if panic::catch_unwind(AssertUnwindSafe(move || drop(f))).is_err() {
        std::process::abort();
    }
}

/// The closure behind `ctx`, for the generated `call` function.
///
/// # Safety
///
/// `ctx` must come from [`boxed_ctx::<F>`] or [`borrowed_ctx::<F>`] and
/// still be alive, and no other reference to the closure may be in use:
/// calls of one callback do not overlap (doc/abi.md 5.5).
pub unsafe fn closure<'a, F>(ctx: *mut c_void) -> &'a mut F {
    // SAFETY: the caller's word.
    unsafe { &mut *ctx.cast::<F>() }
}

/// Runs the body of a function called from the other side: its error is
/// the status returned, and a panic is caught and returned as
/// [`Status::PANIC`], since no unwind may cross the boundary (doc/abi.md
/// 3.4).
///
/// The panic's payload is dropped here too, under a second
/// `catch_unwind`: a payload whose `drop` panics is forgotten instead.
pub fn guard<B: FnOnce() -> Result<(), Status>>(body: B) -> Status {
    match panic::catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => Status::OK,
        Ok(Err(status)) => status,
        Err(payload) => {
            if let Err(again) = panic::catch_unwind(AssertUnwindSafe(move || drop(payload))) {
                core::mem::forget(again);
            }
            Status::PANIC
        }
    }
}

/// Whether `p` is storage a thunk may write a `T` to: not null, and
/// aligned for `T` (the storage of a result or an `[out]` value).
pub fn writable<T>(p: *mut T) -> bool {
    !p.is_null() && (p as usize) % core::mem::align_of::<T>() == 0
}

/// The storage of a result or an `[out]` value, checked by [`Out::new`]:
/// what a thunk writes what it gives back to, once.
pub struct Out<T> {
    ptr: *mut T,
}

impl<T> Out<T> {
    /// The storage at `p`: [`Status::INVALID_ARG`] for a null or
    /// misaligned pointer ([`writable`]).
    ///
    /// # Safety
    ///
    /// A non-null, aligned `p` must be valid for writing a `T` for as long
    /// as the `Out` lives.
    pub unsafe fn new(p: *mut T) -> Result<Out<T>, Status> {
        if writable(p) {
            Ok(Out { ptr: p })
        } else {
            Err(Status::INVALID_ARG)
        }
    }

    /// Writes `value` there, over what was there without dropping it (the
    /// storage is the caller's, and holds no value to give up).
    pub fn write(self, value: T) {
        // SAFETY: checked by new, valid for writes (its contract).
        unsafe { self.ptr.write(value) }
    }
}

/// The `T` an argument points at (an interface reference, a value passed
/// by pointer): [`Status::INVALID_ARG`] for a null or misaligned pointer.
///
/// # Safety
///
/// A non-null, aligned `p` must point at a `T` that lives, unchanged by
/// others, for `'a`.
pub unsafe fn deref<'a, T>(p: *const T) -> Result<&'a T, Status> {
    if p.is_null() || (p as usize) % core::mem::align_of::<T>() != 0 {
        return Err(Status::INVALID_ARG);
    }
    // SAFETY: the caller's contract, checked not null and aligned.
    Ok(unsafe { &*p })
}

/// As [`deref`], for an optional one: `None` for null.
///
/// # Safety
///
/// As [`deref`].
pub unsafe fn deref_opt<'a, T>(p: *const T) -> Result<Option<&'a T>, Status> {
    if p.is_null() {
        return Ok(None);
    }
    // SAFETY: the caller's contract.
    unsafe { deref(p) }.map(Some)
}

/// The `T` an `[inout]` argument points at: [`Status::INVALID_ARG`] for a
/// null or misaligned pointer.
///
/// # Safety
///
/// A non-null, aligned `p` must point at a `T` that only this reference
/// reaches for `'a`.
pub unsafe fn deref_mut<'a, T>(p: *mut T) -> Result<&'a mut T, Status> {
    if !writable(p) {
        return Err(Status::INVALID_ARG);
    }
    // SAFETY: the caller's contract, checked not null and aligned.
    Ok(unsafe { &mut *p })
}

/// An ABI-level value a thunk was given to own (an `[in]` argument that
/// holds owned parts, doc/abi.md 4, rule 3): released on drop, so that
/// a thunk that refuses the call before handing it on still releases
/// it, unless [`Owned::into_inner`] handed it on.
pub struct Owned<T: Abi> {
    value: ManuallyDrop<T>,
}

impl<T: Abi> Owned<T> {
    /// Holds `value`.
    ///
    /// # Safety
    ///
    /// The caller must own what `value` holds, and give it up.
    pub unsafe fn new(value: T) -> Owned<T> {
        Owned {
            value: ManuallyDrop::new(value),
        }
    }

    /// The value, with what it owns.
    pub fn into_inner(self) -> T {
        let this = ManuallyDrop::new(self);
        *this.value
    }
}

impl<T: Abi> Drop for Owned<T> {
    fn drop(&mut self) {
        // SAFETY: owned since new, released once, here.
        unsafe { self.value.release_in_place() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raw::RawString;
    use crate::{Callback, CallbackType};
    use core::sync::atomic::{AtomicU32, Ordering};

    static RELEASED: AtomicU32 = AtomicU32::new(0);

    /// A callback type as generated code lays it out.
    #[repr(C)]
    #[derive(Clone, Copy)]
    struct Cb {
        call: Option<unsafe extern "C" fn(ctx: *mut c_void, v: u32, ret: *mut u32) -> Status>,
        ctx: *mut c_void,
        release: Option<unsafe extern "C" fn(ctx: *mut c_void)>,
    }

    unsafe impl Abi for Cb {
        unsafe fn release_in_place(&mut self) {
            if let Some(release) = self.release.take() {
                // SAFETY: the test's own callback.
                unsafe { release(self.ctx) };
            }
        }
    }

    unsafe impl CallbackType for Cb {
        const NONE: Self = Cb {
            call: None,
            ctx: core::ptr::null_mut(),
            release: None,
        };

        fn is_none(&self) -> bool {
            self.call.is_none()
        }
    }

    unsafe extern "C" fn count(_: *mut c_void) {
        RELEASED.fetch_add(1, Ordering::SeqCst);
    }

    unsafe extern "C" fn double<F: FnMut(u32) -> Result<u32, Status>>(
        ctx: *mut c_void,
        v: u32,
        ret: *mut u32,
    ) -> Status {
        guard(|| {
            // SAFETY: the test makes ctx of an F.
            let f = unsafe { closure::<F>(ctx) };
            let r = f(v)?;
            // SAFETY: the caller's storage.
            unsafe { ret.write(r) };
            Ok(())
        })
    }

    fn call(cb: &Cb, v: u32) -> Result<u32, Status> {
        let mut r = 0;
        // SAFETY: the test's own callback.
        let st = unsafe { (cb.call.unwrap())(cb.ctx, v, &mut r) };
        st.to_result().map(|()| r)
    }

    #[test]
    fn callbacks_release_once_and_guard_catches_panics() {
        let owned = Cb {
            call: None,
            ctx: core::ptr::null_mut(),
            release: Some(count),
        };
        // SAFETY: owned by the test, given up here.
        drop(unsafe { Callback::from_raw(owned) });
        assert_eq!(RELEASED.load(Ordering::SeqCst), 1);
        // SAFETY: as above.
        let passed = unsafe { Callback::from_raw(owned) }.into_raw();
        assert_eq!(
            RELEASED.load(Ordering::SeqCst),
            1,
            "into_raw releases nothing"
        );
        assert!(passed.release.is_some());
        // SAFETY: none owns nothing.
        assert!(unsafe { Callback::from_raw_option(Cb::NONE) }.is_none());
        assert!(Callback::<Cb>::option_into_raw(None).is_none());

        let mut n = 0;
        let mut f = |v: u32| {
            n += 1;
            if v == 0 {
                panic!("zero");
            }
            if v == 1 {
                return Err(Status::FAILED);
            }
            Ok(v * 2)
        };
        /// The thunk for the closure f, its type inferred.
        fn thunk_of<F: FnMut(u32) -> Result<u32, Status>>(
            _: &F,
        ) -> unsafe extern "C" fn(*mut c_void, u32, *mut u32) -> Status {
            double::<F>
        }
        let borrowed = Cb {
            call: Some(thunk_of(&f)),
            ctx: borrowed_ctx(&mut f),
            release: None,
        };
        assert_eq!(call(&borrowed, 21), Ok(42));
        assert_eq!(call(&borrowed, 1), Err(Status::FAILED));
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        assert_eq!(call(&borrowed, 0), Err(Status::PANIC));
        std::panic::set_hook(hook);
        assert_eq!(n, 3);
    }

    unsafe extern "C" fn drop_string(_: *mut u8, _: usize, _: usize) {
        RELEASED_STRINGS.fetch_add(1, Ordering::SeqCst);
    }

    static RELEASED_STRINGS: AtomicU32 = AtomicU32::new(0);

    #[test]
    fn owned_releases_unless_handed_on() {
        let s = RawString {
            ptr: core::ptr::null_mut(),
            len: 0,
            cap: 0,
            release: Some(drop_string),
        };
        // SAFETY: the test's string.
        drop(unsafe { Owned::new(s) });
        assert_eq!(RELEASED_STRINGS.load(Ordering::SeqCst), 1);
        // SAFETY: as above.
        let back = unsafe { Owned::new(s) }.into_inner();
        assert_eq!(RELEASED_STRINGS.load(Ordering::SeqCst), 1);
        assert!(back.release.is_some());
    }

    #[test]
    fn pointers_checked_before_use() {
        let mut v = [0u64; 2];
        let p = v.as_mut_ptr();
        assert!(writable(p));
        assert!(!writable(core::ptr::null_mut::<u64>()));
        let odd = (p as usize + 1) as *mut u64;
        assert!(!writable(odd));
        // SAFETY: the test's storage, or pointers refused before use.
        unsafe {
            assert_eq!(deref(odd).err(), Some(Status::INVALID_ARG));
            assert_eq!(deref_mut(odd).err(), Some(Status::INVALID_ARG));
            assert_eq!(deref_opt(odd).err(), Some(Status::INVALID_ARG));
            assert!(deref_opt(core::ptr::null::<u64>()).unwrap().is_none());
            *deref_mut(p).unwrap() = 5;
            assert_eq!(*deref(p).unwrap(), 5);
        }
    }

    #[test]
    fn out_refuses_what_it_cannot_write() {
        let mut v = [0u64; 2];
        let p = v.as_mut_ptr();
        // SAFETY: the test's storage, or pointers refused before use.
        unsafe {
            assert!(Out::new(core::ptr::null_mut::<u64>()).is_err());
            assert!(Out::new((p as usize + 1) as *mut u64).is_err());
            Out::new(p).unwrap().write(9);
        }
        assert_eq!(v[0], 9);
    }

    #[test]
    fn boxed_closures_drop_once() {
        let drops = std::sync::Arc::new(AtomicU32::new(0));
        struct D(std::sync::Arc<AtomicU32>);
        impl Drop for D {
            fn drop(&mut self) {
                self.0.fetch_add(1, Ordering::SeqCst);
            }
        }
        /// A boxed closure's context and release, its type inferred.
        fn make<F>(f: F) -> (*mut c_void, unsafe extern "C" fn(*mut c_void)) {
            (boxed_ctx(f), release_boxed::<F>)
        }
        let d = D(drops.clone());
        let (ctx, release) = make(move || {
            let _ = &d;
        });
        assert_eq!(drops.load(Ordering::SeqCst), 0);
        // SAFETY: made by make, released once.
        unsafe { release(ctx) };
        assert_eq!(drops.load(Ordering::SeqCst), 1);
    }
}
