//! Owned values one side of tests/run-kinds.sh's Rust programs
//! (kplugin.rs, khost.rs) makes and releases, counted, as
//! tests/cgen/kinds/own.c counts a C side's: a release of anything but a
//! live value of this side's, with the length and capacity it was made
//! with, counts as bad. The scripts copy it beside them as own.rs.

use super::ku::{Counts, Scalars};
use chitin::raw::{RawString, RawVec};
use std::alloc::{self, Layout};
use std::sync::Mutex;

struct Live {
    ptr: usize,
    len: usize,
    cap: usize,
    bytes: usize,
}

struct State {
    live: Vec<Live>,
    counts: Counts,
}

static STATE: Mutex<State> = Mutex::new(State {
    live: Vec::new(),
    counts: Counts {
        made: 0,
        released: 0,
        bad: 0,
        alive: 0,
    },
});

fn state() -> std::sync::MutexGuard<'static, State> {
    STATE.lock().unwrap_or_else(|e| e.into_inner())
}

fn layout(bytes: usize) -> Layout {
    Layout::from_size_align(bytes.max(1), 16).expect("a small layout")
}

fn track(bytes: usize, len: usize, cap: usize) -> *mut u8 {
    // SAFETY: a layout of at least one byte.
    let ptr = unsafe { alloc::alloc(layout(bytes)) };
    if ptr.is_null() {
        alloc::handle_alloc_error(layout(bytes));
    }
    let mut s = state();
    s.live.push(Live {
        ptr: ptr as usize,
        len,
        cap,
        bytes,
    });
    s.counts.made += 1;
    ptr
}

/// Frees ptr if it is live here with that length and capacity.
fn untrack(ptr: *mut u8, len: usize, cap: usize) -> bool {
    let mut s = state();
    if let Some(i) = s.live.iter().position(|l| l.ptr == ptr as usize) {
        if s.live[i].len == len && s.live[i].cap == cap {
            let l = s.live.swap_remove(i);
            // SAFETY: made by track with this layout, freed once.
            unsafe { alloc::dealloc(ptr, layout(l.bytes)) };
            s.counts.released += 1;
            return true;
        }
    }
    s.counts.bad += 1;
    false
}

unsafe extern "C" fn release_plain<T>(ptr: *mut T, len: usize, cap: usize) {
    untrack(ptr.cast(), len, cap);
}

unsafe extern "C" fn release_strings(ptr: *mut RawString, len: usize, cap: usize) {
    for i in 0..len {
        // SAFETY: the vec's elements, owned by it.
        unsafe { (*ptr.add(i)).release() };
    }
    untrack(ptr.cast(), len, cap);
}

/// An owned copy of text.
pub fn string(text: &[u8]) -> RawString {
    let cap = text.len() + 1;
    let ptr = track(cap, text.len(), cap);
    // SAFETY: cap bytes, more than the text's.
    unsafe { std::ptr::copy_nonoverlapping(text.as_ptr(), ptr, text.len()) };
    RawString {
        ptr,
        len: text.len(),
        cap,
        release: Some(release_plain::<u8>),
    }
}

/// An owned vec of copies of elems, its capacity above its length.
pub fn vec<T: Copy>(elems: &[T]) -> RawVec<T> {
    let cap = elems.len() + 2;
    let ptr = track(cap * std::mem::size_of::<T>(), elems.len(), cap).cast::<T>();
    // SAFETY: cap elements, aligned (16).
    unsafe { std::ptr::copy_nonoverlapping(elems.as_ptr(), ptr, elems.len()) };
    RawVec {
        ptr,
        len: elems.len(),
        cap,
        release: Some(release_plain::<T>),
    }
}

/// An owned vec that owns the strings.
pub fn strings(elems: &[RawString]) -> RawVec<RawString> {
    let mut v = vec(elems);
    v.release = Some(release_strings);
    v
}

/// Tracked storage for a callback's context, and its release.
pub fn ctx(size: usize) -> *mut u8 {
    track(size, 0, 0)
}

pub fn ctx_free(ctx: *mut u8) -> bool {
    untrack(ctx, 0, 0)
}

pub fn object_made() {
    state().counts.alive += 1;
}

pub fn object_gone() {
    state().counts.alive -= 1;
}

pub fn counts() -> Counts {
    state().counts
}

/// What fill writes: the extremes of every scalar (own.c's).
pub fn extremes() -> Scalars {
    let mut id = [0u8; 16];
    for (i, b) in id.iter_mut().enumerate() {
        *b = 0xa0 + i as u8;
    }
    Scalars {
        flag: chitin::Bool::new(true),
        s8: i8::MIN,
        s16: i16::MIN,
        s32: i32::MIN,
        s64: i64::MIN,
        b8: u8::MAX,
        b16: u16::MAX,
        b32: u32::MAX,
        b64: u64::MAX,
        r32: -0.5,
        r64: 1e300,
        size: usize::MAX,
        diff: isize::MIN,
        id: chitin::TypeId::from_bytes(id),
    }
}
