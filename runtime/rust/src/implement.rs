//! Objects made of Rust values (doc/rust.md 6): what the generated
//! traits `IImpl` and their vtables build on.
//!
//! An object made of a value `T` is one heap allocation, a *shell*:
//!
//! ```text
//! +0                       +N*size_of(Part)
//! | part 0 | part 1 | ... | count | value: T |
//! ```
//!
//! Each part is what a reference to the object as one of its interfaces
//! points at: its first word points at the vtable the generated code made
//! for `T` and that interface (doc/abi.md 5.1), and the rest of the part
//! lists the ids `query` answers with it (the interface's and its
//! bases'). Part 0 is the object's identity: `query` for `object` gives
//! it from every part (doc/abi.md 5.4). The count is shared by every part;
//! the last `release` drops the value, on whichever thread it happens.
//!
//! [`implement!`](crate::implement!) lists the interfaces of a type, which
//! makes it [`Implement`] and [`Provides`] each of them; [`Ref::new`]
//! makes an object of a value.

use core::ptr;
use core::sync::atomic::{self, AtomicUsize, Ordering};
use std::boxed::Box;
use std::panic::{self, AssertUnwindSafe};

use crate::{Interface, Object, Ref, Status, TypeId, VtableHeader, OBJECT_IID};

/// One part of an object made of a Rust value: the vtable pointer a
/// reference points at, then the ids the part answers `query` for.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct Part {
    vtbl: *const VtableHeader,
    iids: &'static [TypeId],
}

impl Part {
    /// The part of interface `I` at index `K` of `T`'s parts.
    pub const fn of<I: Implementable<T, K>, T: Implement, const K: usize>() -> Part {
        Part {
            vtbl: I::VTBL as *const I::Vtbl as *const VtableHeader,
            iids: I::IIDS,
        }
    }
}

/// A Rust type whose values can be objects: the parts an object made of
/// it has, one per interface it implements. [`implement!`](crate::implement!)
/// writes this impl.
///
/// # Safety
///
/// `Parts` must be an array `[Part; N]` (the shell starts with it, and a
/// reference points at one of its elements), and `PARTS[k]` must be
/// `Part::of::<I, Self, k>()` for an interface `I` that `Self` implements,
/// for every `k`: each part's vtable then finds the value by its index.
pub unsafe trait Implement: Send + Sized + 'static {
    /// `[Part; N]`.
    type Parts: AsRef<[Part]> + 'static;
    /// The parts, in order: the first is the object's identity.
    const PARTS: Self::Parts;
}

/// An interface whose generated vtable can serve part `K` of an object
/// made of a `T`: generated code implements it for each interface `I`
/// and every `T: IImpl`.
///
/// # Safety
///
/// `VTBL` must be a vtable of `Self`, as long as its `size` says, whose
/// header comes from [`header::<T, K>`](header) and whose
/// slots are the thunks of `T`'s implementation for part `K`; `IIDS` must
/// be the interface's id and those of its bases but `object`.
pub unsafe trait Implementable<T: Implement, const K: usize>: Interface {
    /// The vtable type, `#[repr(C)]`, which starts with the header.
    type Vtbl: 'static;
    /// The vtable.
    const VTBL: &'static Self::Vtbl;
    /// The ids `query` answers with this part: by default the
    /// interface's own, all a root interface's part answers for.
    const IIDS: &'static [TypeId] = &[<Self as Interface>::IID];
}

/// A type whose objects implement `I` as their part `PART`.
/// [`implement!`](crate::implement!) writes this impl.
///
/// # Safety
///
/// `Self::PARTS[PART]` must be the part of `I`.
pub unsafe trait Provides<I: Interface>: Implement {
    /// The index of `I`'s part.
    const PART: usize;
}

#[repr(C)]
struct Shell<T: Implement> {
    parts: T::Parts,
    count: AtomicUsize,
    value: T,
}

/// A pointer to part `index` of `shell`, with the provenance of the whole
/// allocation.
///
/// # Safety
///
/// `shell` must point at a live shell with more than `index` parts.
unsafe fn part_of<T: Implement>(shell: *mut Shell<T>, index: usize) -> *mut Object {
    // SAFETY: the parts are at the shell's start (repr(C)), in order.
    unsafe {
        ptr::addr_of_mut!((*shell).parts)
            .cast::<Part>()
            .add(index)
            .cast()
    }
}

/// The shell whose part `K` is at `this`.
///
/// The pointer a caller passes may reach no further than the part's
/// first word: a Rust caller's comes from `&I`, a reference to the
/// interface's struct alone. So the shell is found by its address, an
/// integer cast back to a pointer, which takes the provenance [`make`]
/// exposed for the whole allocation (Rust's permissive provenance).
///
/// # Safety
///
/// `this` must be part `K` of a live shell of a `T`, as [`part_of`] gave it.
unsafe fn shell_of<T: Implement, const K: usize>(this: *mut Object) -> *mut Shell<T> {
    (this as usize - K * core::mem::size_of::<Part>()) as *mut Shell<T>
}

/// A new object made of `value`, as its part `part`: an owned reference.
pub(crate) fn make<T: Implement>(value: T, part: usize) -> *mut Object {
    let shell = Box::into_raw(Box::new(Shell {
        parts: T::PARTS,
        count: AtomicUsize::new(1),
        value,
    }));
    // Exposes the allocation's provenance, which shell_of takes back from
    // the address of a part.
    let _address = shell as usize;
    // SAFETY: just made; its parts are T::PARTS, which has `part` (the
    // Provides contract).
    unsafe {
        debug_assert!(part < (*shell).parts.as_ref().len());
        part_of(shell, part)
    }
}

impl<I: Interface> Ref<I> {
    /// A new object made of `value`, moved to the heap, as the interface
    /// `I`: the only reference to it. The object's `release` drops
    /// `value` when the last reference is released, on whichever thread
    /// that happens (so `T` is `Send`).
    pub fn new<T: Provides<I>>(value: T) -> Ref<I> {
        let p = make(value, T::PART);
        // SAFETY: an owned reference to a new object, as I (Provides).
        unsafe { Ref::from_raw(p.cast::<I>()) }.expect("a new object is not null")
    }
}

/// The value of the object whose part `K` is at `this`, for the time of a
/// method's call: [`this`] finds the object from the value meanwhile.
/// [`Status::INVALID_ARG`] for a null `this`.
///
/// # Safety
///
/// A non-null `this` must be part `K` of a live object made of a `T`, to
/// which the caller holds a reference for `'a`.
pub unsafe fn value<'a, T: Implement, const K: usize>(
    this: *mut Object,
) -> Result<Call<'a, T>, Status> {
    if this.is_null() {
        return Err(Status::INVALID_ARG);
    }
    // SAFETY: the caller's contract: the shell lives for 'a.
    let shell = unsafe { shell_of::<T, K>(this) };
    // SAFETY: as above.
    let value = unsafe { &(*shell).value };
    // A thread whose thread-locals are gone (a method called from one's
    // destructor) records nothing: this() then finds no object.
    let depth = RUNNING
        .try_with(|r| {
            let mut r = r.borrow_mut();
            r.push(Running {
                shell: shell.cast(),
                value: (value as *const T).cast(),
                type_id: core::any::TypeId::of::<T>(),
            });
            r.len() - 1
        })
        .ok();
    Ok(Call { value, depth })
}

/// Runs a method of the object whose part `K` is at `this`: `body` gets
/// its value, as [`value`] gives it, inside
/// [`guard`](crate::thunk::guard), so that its error is the status
/// returned and a panic is [`Status::PANIC`]. [`Status::INVALID_ARG`] for
/// a null `this`, without running `body`. What the thunk of a method
/// whose arguments need no check calls.
///
/// # Safety
///
/// As [`value`].
pub unsafe fn call<T: Implement, const K: usize>(
    this: *mut impl Interface,
    body: impl FnOnce(&T) -> Result<(), Status>,
) -> Status {
    crate::thunk::guard(|| {
        // SAFETY: the caller's contract.
        let value = unsafe { value::<T, K>(this.cast()) }?;
        body(&value)
    })
}

/// A method's call running on this thread: its object's shell, its value
/// and the value's type, which [`this`] matches.
struct Running {
    shell: *mut (),
    value: *const (),
    type_id: core::any::TypeId,
}

std::thread_local! {
    /// The calls running on this thread, innermost last.
    static RUNNING: core::cell::RefCell<std::vec::Vec<Running>> =
        const { core::cell::RefCell::new(std::vec::Vec::new()) };
}

/// A method's call on the value of an object made of a `T`: it
/// dereferences to the value, and the call counts as running, for
/// [`this`], until it is dropped (when the method returns or unwinds).
pub struct Call<'a, T> {
    value: &'a T,
    depth: Option<usize>,
}

impl<T> core::ops::Deref for Call<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        self.value
    }
}

impl<T> Drop for Call<'_, T> {
    fn drop(&mut self) {
        if let Some(depth) = self.depth {
            let _ = RUNNING.try_with(|r| r.borrow_mut().truncate(depth));
        }
    }
}

/// An owned reference, as the interface `I`, to the object whose method
/// is running on `value` on this thread, the innermost such call if there
/// are several (a method that calls, through the other side, a method of
/// another object, which calls this one back): what a method gives when
/// it hands out its own object (the object itself for [`Object`], its
/// identity). `None` when no method runs on `value` on this thread, or
/// the object does not implement `I`.
pub fn this<I: Interface, T: Implement>(value: &T) -> Option<Ref<I>> {
    let want = (value as *const T).cast::<()>();
    let shell = RUNNING
        .try_with(|r| {
            r.borrow()
                .iter()
                .rev()
                .find(|c| c.value == want && c.type_id == core::any::TypeId::of::<T>())
                .map(|c| c.shell)
        })
        .ok()??
        .cast::<Shell<T>>();
    // SAFETY: the shell of a call running on this thread (its Call lives):
    // its value is `value`, a T, so it is a Shell<T>, alive while the call
    // runs; its parts never change.
    let parts = unsafe { (*shell).parts.as_ref() };
    let index = if I::IID == OBJECT_IID {
        0
    } else {
        parts.iter().position(|p| p.iids.contains(&I::IID))?
    };
    // SAFETY: as above; the reference the call's caller holds keeps the
    // object alive while the count grows.
    unsafe {
        count_one(&(*shell).count);
        Ref::from_raw(part_of(shell, index).cast::<I>())
    }
}

/// The header of the vtable of part `K` of an object made of a `T`:
/// `size` bytes for interface `iid`, `flags`
/// ([`VTABLE_THREADSAFE`](crate::VTABLE_THREADSAFE) or 0), and this
/// module's `query`, `retain` and `release`.
pub const fn header<T: Implement, const K: usize>(
    size: usize,
    flags: u32,
    iid: TypeId,
) -> VtableHeader {
    VtableHeader {
        size: size as u32,
        flags,
        iid,
        query: Some(query::<T, K>),
        retain: Some(retain::<T, K>),
        release: Some(release::<T, K>),
    }
}

/// The header of interface `I`'s vtable for part `K` of an object made of
/// a `T`: [`header`] of the size of `I`'s vtable type, for `I`'s id, with
/// `flags`. What generated `Implementable` impls start their vtable with.
pub const fn header_of<I: Implementable<T, K>, T: Implement, const K: usize>(
    flags: u32,
) -> VtableHeader {
    header::<T, K>(core::mem::size_of::<I::Vtbl>(), flags, I::IID)
}

/// `query` of part `K` (doc/abi.md 5.4): the part whose ids include
/// `*iid`, or part 0 for `object`, retained; null otherwise, or for a
/// null argument.
unsafe extern "C" fn query<T: Implement, const K: usize>(
    this: *mut Object,
    iid: *const TypeId,
) -> *mut Object {
    if this.is_null() || iid.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: a TypeId is 16 bytes of alignment 1, the caller's.
    let iid = unsafe { ptr::read(iid) };
    // SAFETY: this is part K of a live shell (the vtable's contract).
    let shell = unsafe { shell_of::<T, K>(this) };
    let found = if iid == OBJECT_IID {
        Some(0)
    } else {
        // SAFETY: the parts never change after the shell is made.
        let parts = unsafe { (*shell).parts.as_ref() };
        parts.iter().position(|p| p.iids.contains(&iid))
    };
    match found {
        Some(index) => {
            // SAFETY: as above; the caller holds a reference, and the
            // part is one of the shell's.
            unsafe {
                count_one(&(*shell).count);
                part_of(shell, index)
            }
        }
        None => ptr::null_mut(),
    }
}

/// Counts one more reference; a count that would pass `isize::MAX`
/// aborts, as `Arc` does, since it can only come from leaked references.
fn count_one(count: &AtomicUsize) {
    if count.fetch_add(1, Ordering::Relaxed) > isize::MAX as usize {
        std::process::abort();
    }
}

unsafe extern "C" fn retain<T: Implement, const K: usize>(this: *mut Object) {
    if this.is_null() {
        return;
    }
    // SAFETY: this is part K of a live shell, and the caller holds a
    // reference to it.
    unsafe { count_one(&(*shell_of::<T, K>(this)).count) };
}

unsafe extern "C" fn release<T: Implement, const K: usize>(this: *mut Object) {
    if this.is_null() {
        return;
    }
    // SAFETY: as retain; the caller gives its reference up.
    let shell = unsafe { shell_of::<T, K>(this) };
    // SAFETY: the shell lives until the count reaches 0.
    if unsafe { (*shell).count.fetch_sub(1, Ordering::Release) } != 1 {
        return;
    }
    // Every use through another reference happens before this point.
    atomic::fence(Ordering::Acquire);
    // SAFETY: the last reference: made by make, dropped once.
    let owned = unsafe { Box::from_raw(shell) };
    // A panic while dropping the value cannot unwind into the caller.
    if panic::catch_unwind(AssertUnwindSafe(move || drop(owned))).is_err() {
        std::process::abort();
    }
}

/// The thunk of a method whose arguments pass as they came and that gives
/// nothing back, in generated code's `impl IVtbl` of interface `I`:
/// `chitin::thunk!(IImpl, fn chitin_m(this: *mut I, a: i32) => m(a));`
/// is the function `chitin_m<T: IImpl + chitin::Implement, const K:
/// usize>(this: *mut I, a: i32) -> chitin::Status`, `pub unsafe extern
/// "C"`, the slot of part `K` of an object made of a `T`, which runs
/// `<T as IImpl>::m(value, a)` on the object's value through [`call`]
/// (doc/rust.md 6.1).
#[macro_export]
macro_rules! thunk {
    ($bound:path, fn $name:ident($this:ident: $i:ty $(, $p:ident: $t:ty)* $(,)?) => $m:ident($($arg:expr),* $(,)?)) => {
        #[deny(unsafe_op_in_unsafe_fn)]
        pub unsafe extern "C" fn $name<T: $bound + $crate::Implement, const K: usize>(
            $this: $i $(, $p: $t)*
        ) -> $crate::Status {
            // SAFETY: the caller's word, what the vtable says: `this` is
            // part K of an object made of a T.
            unsafe {
                $crate::implement::call::<T, K>($this, |value| <T as $bound>::$m(value, $($arg),*))
            }
        }
    };
}

/// Makes a type a Rust implementation of interfaces, each an object's
/// part: `chitin::implement!(Gain: audio::Effect, audio::Meter);`, after
/// `impl audio::EffectImpl for Gain` and `impl audio::MeterImpl for Gain`.
/// The first interface's part is the object's identity. Then
/// `chitin::Ref::<audio::Effect>::new(gain)` makes an object of a value,
/// and `query` moves between its interfaces and their bases.
#[macro_export]
macro_rules! implement {
    ($t:ty: $($i:ty),+ $(,)?) => {
        $crate::implement!(@parts $t; []; 0usize; $($i,)+);
    };
    (@parts $t:ty; [$($done:tt)*]; $k:expr; $i:ty, $($rest:ty,)*) => {
        // SAFETY: part $k of the impl below is $i's.
        unsafe impl $crate::implement::Provides<$i> for $t {
            const PART: usize = $k;
        }
        $crate::implement!(@parts $t; [$($done)* ($i, $k)]; $k + 1; $($rest,)*);
    };
    (@parts $t:ty; [$(($i:ty, $k:expr))*]; $n:expr;) => {
        // SAFETY: part k is the part of the k-th interface, at index k.
        unsafe impl $crate::implement::Implement for $t {
            type Parts = [$crate::implement::Part; $n];
            const PARTS: [$crate::implement::Part; $n] =
                [$($crate::implement::Part::of::<$i, $t, { $k }>()),*];
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::mem::size_of;
    use std::sync::atomic::AtomicU32;
    use std::sync::Arc;

    // Two interfaces as generated code writes them: A with one method,
    // B deriving from a base C.
    #[repr(C)]
    struct A {
        vtbl: *const AVtbl,
    }
    #[repr(C)]
    struct AVtbl {
        header: VtableHeader,
        get: Option<unsafe extern "C" fn(this: *mut A, ret: *mut u32) -> Status>,
    }
    unsafe impl Interface for A {
        const IID: TypeId = TypeId::from_bytes([1; 16]);
    }
    #[repr(C)]
    struct C {
        vtbl: *const VtableHeader,
    }
    unsafe impl Interface for C {
        const IID: TypeId = TypeId::from_bytes([3; 16]);
    }
    #[repr(C)]
    struct B {
        vtbl: *const VtableHeader,
    }
    unsafe impl Interface for B {
        const IID: TypeId = TypeId::from_bytes([2; 16]);
    }
    // SAFETY: B is [threadsafe] in the test's story.
    unsafe impl Send for B {}
    // SAFETY: as above.
    unsafe impl Sync for B {}

    trait AImpl: Send {
        fn get(&self) -> u32;
    }

    unsafe extern "C" fn a_get<T: AImpl + Implement, const K: usize>(
        this: *mut A,
        ret: *mut u32,
    ) -> Status {
        // SAFETY: the test's object.
        match unsafe { value::<T, K>(this.cast()) } {
            Ok(v) => {
                // SAFETY: the caller's storage.
                unsafe { ret.write(v.get()) };
                Status::OK
            }
            Err(status) => status,
        }
    }

    unsafe impl<T: AImpl + Implement, const K: usize> Implementable<T, K> for A {
        type Vtbl = AVtbl;

        const VTBL: &'static AVtbl = &AVtbl {
            header: header_of::<Self, T, K>(0),
            get: Some(a_get::<T, K>),
        };
    }
    unsafe impl<T: Implement, const K: usize> Implementable<T, K> for B {
        type Vtbl = VtableHeader;

        const VTBL: &'static VtableHeader =
            &header::<T, K>(size_of::<VtableHeader>(), crate::VTABLE_THREADSAFE, B::IID);
        const IIDS: &'static [TypeId] = &[B::IID, C::IID];
    }

    struct Counted {
        n: u32,
        drops: Arc<AtomicU32>,
    }
    impl Drop for Counted {
        fn drop(&mut self) {
            self.drops.fetch_add(1, Ordering::SeqCst);
        }
    }
    impl AImpl for Counted {
        fn get(&self) -> u32 {
            // the object itself, found from its value while the call runs
            let me = this::<B, Counted>(self).expect("the running object");
            let id = this::<Object, Counted>(self).expect("its identity");
            assert!(me.same_object(&id));
            assert!(this::<Nothing, Counted>(self).is_none());
            let other = Counted {
                n: 0,
                drops: self.drops.clone(),
            };
            assert!(this::<B, Counted>(&other).is_none(), "another value");
            core::mem::forget(other);
            if self.n == 7 {
                // a call inside this one, on another object, which finds
                // this one still running beneath it
                OUTER.store(self as *const Counted as *mut Counted, Ordering::SeqCst);
                let inner = Ref::<A>::new(Counted {
                    n: 70,
                    drops: Arc::new(AtomicU32::new(0)),
                });
                assert_eq!(call_get(&inner), 70);
                OUTER.store(ptr::null_mut(), Ordering::SeqCst);
            } else if self.n == 70 {
                // SAFETY: the outer call's value, alive while it runs.
                let outer = unsafe { &*OUTER.load(Ordering::SeqCst) };
                assert!(this::<B, Counted>(outer).is_some(), "the outer call");
            }
            self.n
        }
    }

    static OUTER: std::sync::atomic::AtomicPtr<Counted> =
        std::sync::atomic::AtomicPtr::new(ptr::null_mut());
    crate::implement!(Counted: A, B);

    fn call_get(a: &Ref<A>) -> u32 {
        let mut r = 0;
        // SAFETY: the test's vtable.
        let f = unsafe { Object::slot(a.as_ptr().cast(), 0, |v: &AVtbl| v.get) }.unwrap();
        // SAFETY: as above.
        assert_eq!(unsafe { f(a.as_ptr(), &mut r) }, Status::OK);
        r
    }

    #[test]
    fn parts_query_identity_and_one_drop() {
        let drops = Arc::new(AtomicU32::new(0));
        let a = Ref::<A>::new(Counted {
            n: 7,
            drops: drops.clone(),
        });
        assert_eq!(call_get(&a), 7);
        assert!(this::<A, Counted>(&Counted {
            n: 1,
            drops: Arc::new(AtomicU32::new(0))
        })
        .is_none());
        let b = a.query::<B>().expect("the second part");
        let c = b.query::<C>().expect("a base of the second part");
        assert_eq!(b.as_ptr().cast::<u8>(), c.as_ptr().cast::<u8>());
        assert_ne!(a.as_ptr().cast::<u8>(), b.as_ptr().cast::<u8>());
        // identity: part 0 from every part
        let from_a = a.query::<Object>().unwrap();
        let from_b = b.query::<Object>().unwrap();
        assert_eq!(from_a.as_ptr(), from_b.as_ptr());
        assert_eq!(from_a.as_ptr().cast::<u8>(), a.as_ptr().cast::<u8>());
        assert!(a.same_object(&c));
        let back = c.query::<A>().unwrap();
        assert_eq!(call_get(&back), 7);
        let last = back.query::<B>().unwrap();
        assert!(a.query::<Nothing>().is_none());
        // SAFETY: the vtable header of the test's object.
        let h = unsafe { Object::header(b.as_ptr().cast()) }.unwrap();
        assert_eq!(h.flags, crate::VTABLE_THREADSAFE);
        assert_eq!(h.iid, B::IID);
        drop((a, b, c, from_a, from_b, back));
        assert_eq!(drops.load(Ordering::SeqCst), 0);
        // the last release, on another thread
        let moved = std::thread::spawn(move || drop(last));
        moved.join().unwrap();
        assert_eq!(drops.load(Ordering::SeqCst), 1);
    }

    #[repr(C)]
    struct Nothing {
        vtbl: *const VtableHeader,
    }
    unsafe impl Interface for Nothing {
        const IID: TypeId = TypeId::from_bytes([9; 16]);
    }

    #[test]
    fn null_arguments_are_refused() {
        let drops = Arc::new(AtomicU32::new(0));
        let a = Ref::<A>::new(Counted { n: 1, drops });
        // SAFETY: the test's object.
        let h = unsafe { Object::header(a.as_ptr().cast()) }.unwrap();
        let q = h.query.unwrap();
        // SAFETY: a null id, refused before anything is read.
        assert!(unsafe { q(a.as_ptr().cast(), ptr::null()) }.is_null());
        // SAFETY: a null object, refused.
        assert!(unsafe { q(ptr::null_mut(), &OBJECT_IID) }.is_null());
        // SAFETY: as above.
        unsafe { (h.retain.unwrap())(ptr::null_mut()) };
        // SAFETY: as above.
        unsafe { (h.release.unwrap())(ptr::null_mut()) };
        let mut r = 0;
        // SAFETY: a null this, refused by the thunk.
        assert_eq!(
            unsafe { a_get::<Counted, 0>(ptr::null_mut(), &mut r) },
            Status::INVALID_ARG
        );
    }

    // An interface whose one method's thunk is chitin::thunk!'s.
    #[repr(C)]
    struct D {
        vtbl: *const DVtbl,
    }
    #[repr(C)]
    struct DVtbl {
        header: VtableHeader,
        set: Option<unsafe extern "C" fn(this: *mut D, v: u32) -> Status>,
    }
    unsafe impl Interface for D {
        const IID: TypeId = TypeId::from_bytes([4; 16]);
    }
    trait DImpl: Send {
        fn set(&self, v: u32) -> Result<(), Status>;
    }
    impl DVtbl {
        crate::thunk!(DImpl, fn d_set(this: *mut D, v: u32) => set(v));
    }
    unsafe impl<T: DImpl + Implement, const K: usize> Implementable<T, K> for D {
        type Vtbl = DVtbl;

        const VTBL: &'static DVtbl = &DVtbl {
            header: header_of::<Self, T, K>(0),
            set: Some(DVtbl::d_set::<T, K>),
        };
    }
    static LAST_SET: AtomicU32 = AtomicU32::new(0);
    struct Setter;
    impl DImpl for Setter {
        fn set(&self, v: u32) -> Result<(), Status> {
            if v == 0 {
                panic!("zero");
            }
            LAST_SET.store(v, Ordering::SeqCst);
            Ok(())
        }
    }
    crate::implement!(Setter: D);

    #[test]
    fn thunk_macro_calls_the_method() {
        let d = Ref::<D>::new(Setter);
        // SAFETY: the test's vtable.
        let f = unsafe { Object::slot(d.as_ptr().cast(), 0, |v: &DVtbl| v.set) }.unwrap();
        // SAFETY: as above.
        assert_eq!(unsafe { f(d.as_ptr(), 7) }, Status::OK);
        assert_eq!(LAST_SET.load(Ordering::SeqCst), 7);
        // SAFETY: a null this, refused.
        assert_eq!(unsafe { f(ptr::null_mut(), 7) }, Status::INVALID_ARG);
        let hook = std::panic::take_hook();
        std::panic::set_hook(std::boxed::Box::new(|_| {}));
        // SAFETY: the test's object.
        let panicked = unsafe { f(d.as_ptr(), 0) };
        std::panic::set_hook(hook);
        assert_eq!(panicked, Status::PANIC);
        // SAFETY: the test's object.
        let h = unsafe { Object::header(d.as_ptr().cast()) }.unwrap();
        assert_eq!(h.size as usize, size_of::<DVtbl>());
        assert_eq!(h.iid, D::IID);
    }

    #[test]
    fn call_runs_on_the_value_and_catches_panics() {
        let drops = Arc::new(AtomicU32::new(0));
        let a = Ref::<A>::new(Counted { n: 3, drops });
        let mut seen = 0;
        // SAFETY: part 0 of an object made of a Counted, or null.
        unsafe {
            let ok = call::<Counted, 0>(a.as_ptr(), |v| {
                seen = v.n;
                Err(Status::FAILED)
            });
            assert_eq!(ok, Status::FAILED);
            assert_eq!(
                call::<Counted, 0>(ptr::null_mut::<A>(), |_| Ok(())),
                Status::INVALID_ARG
            );
            let hook = std::panic::take_hook();
            std::panic::set_hook(std::boxed::Box::new(|_| {}));
            let panicked = call::<Counted, 0>(a.as_ptr(), |_| panic!("a method's panic"));
            std::panic::set_hook(hook);
            assert_eq!(panicked, Status::PANIC);
        }
        assert_eq!(seen, 3);
    }
}
