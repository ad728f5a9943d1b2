//! Callback values held by Rust, and callbacks made from Rust closures
//! (doc/abi.md 2.16).
//!
//! A callback type `C` of a module is generated as its ABI-level struct
//! `{call, ctx, release}`. [`Callback`] is such a value with ownership
//! and a lifetime: dropping an owned one calls its `release`, and a
//! borrowed one cannot outlive what it borrows, while an owned one that
//! came with a lifetime (an `[in]` parameter's) is kept past it with
//! [`Callback::into_owned`]. The generated `C::new`
//! and `C::borrowed` make one of a closure, with the functions of
//! [`thunk`](crate::thunk): the closure is the `ctx`, a generated thunk is
//! the `call`, and [`release_boxed`](crate::thunk::release_boxed) frees
//! the closure.

use core::marker::PhantomData;
use core::mem::ManuallyDrop;
use core::ops::Deref;

use crate::Abi;

/// A callback value of type `C`, as Rust holds it.
///
/// An owned callback (one whose `release` is not null) is released
/// exactly once, when the `Callback` drops, unless [`Callback::into_raw`]
/// passed it on. A borrowed one (a null `release`) is only called while
/// `'a` lasts: `C::borrowed(&mut f)` lends `f` for `'a`.
///
/// It derefs to the ABI-level value, whose generated `call` method calls
/// it. That value is `Copy`, as every ABI-level type is; a copy taken out
/// of a borrowed callback is bound by the ABI's rule for borrowed
/// callbacks (called only while the position it came in allows), which
/// the compiler cannot check once the lifetime is gone.
pub struct Callback<'a, C: Abi> {
    raw: C,
    life: PhantomData<&'a mut ()>,
}

impl<'a, C: Abi> Callback<'a, C> {
    /// Holds `raw`, releasing it on drop if it is owned.
    ///
    /// # Safety
    ///
    /// `raw` must be a callback value the ABI allows (doc/abi.md 2.16):
    /// if owned, owned by the caller, who gives it up, and callable until
    /// it is released, however long `'a` is ([`Callback::into_owned`]
    /// relies on it); if borrowed, callable for as long as `'a` lasts.
    pub unsafe fn from_raw(raw: C) -> Callback<'a, C> {
        Callback {
            raw,
            life: PhantomData,
        }
    }

    /// The value, to pass on: an owned callback's ownership passes with
    /// it, and it is no longer released here.
    pub fn into_raw(self) -> C {
        let this = ManuallyDrop::new(self);
        this.raw
    }
}

impl<'a, C: CallbackType> Callback<'a, C> {
    /// The callback as one to keep, when it is owned.
    ///
    /// An owned callback (a `release` that is not null) may be called
    /// until its holder releases it, however long that is (doc/abi.md
    /// 2.16), so it is `'static` whatever the lifetime it came with: a
    /// callback an `[in]` parameter gave, which the callee owns, can be
    /// kept in an object. A borrowed one (a null `release`) may be
    /// called only while `'a` lasts, and comes back unchanged as the
    /// error.
    ///
    /// ```
    /// # #[derive(Clone, Copy)]
    /// # #[repr(C)]
    /// # struct LogFn {
    /// #     call: Option<unsafe extern "C" fn(*mut core::ffi::c_void)>,
    /// #     ctx: *mut core::ffi::c_void,
    /// #     release: Option<unsafe extern "C" fn(*mut core::ffi::c_void)>,
    /// # }
    /// # unsafe impl chitin::Abi for LogFn {}
    /// # unsafe impl chitin::CallbackType for LogFn {
    /// #     const NONE: Self = LogFn { call: None, ctx: core::ptr::null_mut(), release: None };
    /// #     fn is_none(&self) -> bool { self.call.is_none() }
    /// # }
    /// # unsafe extern "C" fn call(_: *mut core::ffi::c_void) {}
    /// use chitin::Callback;
    ///
    /// struct Effect {
    ///     log: Callback<'static, LogFn>,
    /// }
    ///
    /// fn keep(log: Callback<'_, LogFn>) -> Option<Effect> {
    ///     Some(Effect { log: log.into_owned().ok()? })
    /// }
    ///
    /// let borrowed = LogFn { call: Some(call), ctx: core::ptr::null_mut(), release: None };
    /// // SAFETY: borrowed, and callable as long as the program runs.
    /// assert!(keep(unsafe { Callback::from_raw(borrowed) }).is_none());
    /// ```
    pub fn into_owned(self) -> Result<Callback<'static, C>, Self> {
        if release_of(&self.raw).is_none() {
            return Err(self);
        }
        let raw = self.into_raw();
        // SAFETY: owned, so callable until released, which the new
        // holder alone now does (from_raw's contract).
        Ok(unsafe { Callback::from_raw(raw) })
    }

    /// Holds the callback of an `option<C>`, `None` for its none (a null
    /// `call`, doc/abi.md 2.8), which owns nothing.
    ///
    /// # Safety
    ///
    /// As for [`Callback::from_raw`], when `raw` is not none.
    pub unsafe fn from_raw_option(raw: C) -> Option<Callback<'a, C>> {
        if raw.is_none() {
            None
        } else {
            // SAFETY: the caller's word.
            Some(unsafe { Callback::from_raw(raw) })
        }
    }

    /// The value of an `option<C>` to pass on: [`CallbackType::NONE`] for
    /// `None`.
    pub fn option_into_raw(v: Option<Callback<'a, C>>) -> C {
        v.map_or(C::NONE, Callback::into_raw)
    }
}

/// Every callback type's layout (doc/abi.md 2.16), which
/// [`CallbackType`]'s contract promises.
#[repr(C)]
struct Fields {
    _call: Option<unsafe extern "C" fn()>,
    _ctx: *mut core::ffi::c_void,
    release: Option<unsafe extern "C" fn(*mut core::ffi::c_void)>,
}

/// The `release` of a callback of any type: `None` for a borrowed one.
fn release_of<C: CallbackType>(raw: &C) -> Option<unsafe extern "C" fn(*mut core::ffi::c_void)> {
    assert!(
        core::mem::size_of::<C>() == core::mem::size_of::<Fields>()
            && core::mem::align_of::<C>() == core::mem::align_of::<Fields>(),
        "a CallbackType that is not a callback's struct"
    );
    // SAFETY: C has Fields' layout (CallbackType's contract, and the
    // sizes checked above), and every bit pattern of a pointer or an
    // `Option` of a function pointer is one.
    unsafe { (*(raw as *const C).cast::<Fields>()).release }
}

impl<C: Abi> Deref for Callback<'_, C> {
    type Target = C;

    fn deref(&self) -> &C {
        &self.raw
    }
}

impl<C: Abi> Drop for Callback<'_, C> {
    fn drop(&mut self) {
        // SAFETY: held since from_raw, whose caller gave up what the
        // value owns; released once, here.
        unsafe { self.raw.release_in_place() }
    }
}

impl<C: Abi> core::fmt::Debug for Callback<'_, C> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Callback")
    }
}

// SAFETY: a callback may be called from any thread, one call at a time
// (doc/abi.md 5.5), so moving one to another thread is allowed; sharing
// `&Callback` between threads is not, since two threads could then call
// it at once, so it is not Sync.
unsafe impl<C: Abi> Send for Callback<'_, C> {}

/// A module's callback type: generated code implements it.
///
/// # Safety
///
/// Implement it only for the ABI-level struct of a callback (doc/abi.md
/// 2.16): `#[repr(C)]`, with the fields `call`, `ctx` and `release` in
/// that order, each an `Option` of a function pointer or a pointer, and
/// whose none is a null `call`.
pub unsafe trait CallbackType: Abi {
    /// The none of `option<C>`: every field null.
    const NONE: Self;

    /// Whether `call` is null.
    fn is_none(&self) -> bool;
}

#[cfg(test)]
mod tests {
    use super::{Callback, CallbackType};
    use crate::Abi;
    use core::ffi::c_void;
    use core::ptr;
    use std::boxed::Box;
    use std::cell::Cell;

    /// A callback type as chitin generates one: `u32 Count(u32 n)`.
    #[derive(Clone, Copy)]
    #[repr(C)]
    struct Count {
        call: Option<unsafe extern "C" fn(ctx: *mut c_void, n: u32) -> u32>,
        ctx: *mut c_void,
        release: Option<unsafe extern "C" fn(ctx: *mut c_void)>,
    }

    // SAFETY: #[repr(C)], Copy, and valid for every bit pattern.
    unsafe impl Abi for Count {
        unsafe fn release_in_place(&mut self) {
            if let Some(release) = self.release.take() {
                // SAFETY: the caller owns the callback, released once.
                unsafe { release(self.ctx) };
            }
        }
    }

    // SAFETY: a callback's struct, whose none is a null `call`.
    unsafe impl CallbackType for Count {
        const NONE: Self = Count {
            call: None,
            ctx: ptr::null_mut(),
            release: None,
        };

        fn is_none(&self) -> bool {
            self.call.is_none()
        }
    }

    /// What `ctx` points at: the sum `call` adds to, and how many times
    /// `release` ran.
    struct State {
        sum: Cell<u32>,
        released: Cell<u32>,
    }

    unsafe extern "C" fn add(ctx: *mut c_void, n: u32) -> u32 {
        // SAFETY: ctx is a State that outlives the callback.
        let state = unsafe { &*(ctx as *const State) };
        state.sum.set(state.sum.get() + n);
        state.sum.get()
    }

    unsafe extern "C" fn release(ctx: *mut c_void) {
        // SAFETY: as for add.
        let state = unsafe { &*(ctx as *const State) };
        state.released.set(state.released.get() + 1);
    }

    fn call(cb: &Count, n: u32) -> u32 {
        // SAFETY: the callback's own function and context.
        unsafe { cb.call.unwrap()(cb.ctx, n) }
    }

    // What a thunk hands an implementation for an [in] callback: a
    // lifetime of the call.
    fn given<'a>(raw: Count, _call: &'a ()) -> Callback<'a, Count> {
        // SAFETY: owned or borrowed, a value the ABI allows, whose State
        // outlives every use below.
        unsafe { Callback::from_raw(raw) }
    }

    #[test]
    fn an_owned_callback_is_kept_and_released_once() {
        // (leaked: what the callback's context must outlive is its release)
        let state: &'static State = Box::leak(Box::new(State {
            sum: Cell::new(0),
            released: Cell::new(0),
        }));
        struct Holder(Callback<'static, Count>);
        let raw = Count {
            call: Some(add),
            ctx: state as *const State as *mut c_void,
            release: Some(release),
        };
        let call_frame = ();
        let kept = match given(raw, &call_frame).into_owned() {
            Ok(cb) => Holder(cb),
            Err(_) => panic!("an owned callback is refused"),
        };
        assert_eq!(call(&kept.0, 2), 2);
        assert_eq!(call(&kept.0, 3), 5);
        assert_eq!(state.released.get(), 0);
        drop(kept);
        assert_eq!(state.released.get(), 1);
    }

    #[test]
    fn a_borrowed_callback_comes_back() {
        let state = State {
            sum: Cell::new(0),
            released: Cell::new(0),
        };
        let raw = Count {
            call: Some(add),
            ctx: &state as *const State as *mut c_void,
            release: None,
        };
        let call_frame = ();
        let back = match given(raw, &call_frame).into_owned() {
            Ok(_) => panic!("a borrowed callback is kept"),
            Err(cb) => cb,
        };
        // the same callback, still callable, and never released
        assert_eq!(back.ctx, raw.ctx);
        assert_eq!(call(&back, 4), 4);
        drop(back);
        assert_eq!(state.released.get(), 0);
    }
}
