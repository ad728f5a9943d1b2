//! Callback values held by Rust, and callbacks made from Rust closures
//! (doc/abi.md 2.16).
//!
//! A callback type `C` of a module is generated as its ABI-level struct
//! `{call, ctx, release}`. [`Callback`] is such a value with ownership
//! and a lifetime: dropping an owned one calls its `release`, and a
//! borrowed one cannot outlive what it borrows. The generated `C::new`
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
    /// if owned, owned by the caller, who gives it up; if borrowed,
    /// callable for as long as `'a` lasts.
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
/// 2.16), whose none is a null `call`.
pub unsafe trait CallbackType: Abi {
    /// The none of `option<C>`: every field null.
    const NONE: Self;

    /// Whether `call` is null.
    fn is_none(&self) -> bool;
}
