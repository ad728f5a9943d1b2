//! Objects and the vtable header (doc/abi.md 5).

use core::mem::size_of;
use core::ptr;

use crate::{Status, TypeId};

/// The start of every vtable (`chitin_vtable_header`).  The three
/// functions are never null in a sound vtable; as every slot, they are
/// `Option`s here, so that a null one is representable.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct VtableHeader {
    /// Bytes of the vtable the implementer provides: at least the header.
    pub size: u32,
    /// [`VTABLE_THREADSAFE`]; other bits 0.
    pub flags: u32,
    /// The interface this vtable was made for.
    pub iid: TypeId,
    /// An owned reference to the object as the interface `*iid`, or null.
    pub query: Option<unsafe extern "C" fn(this: *mut Object, iid: *const TypeId) -> *mut Object>,
    /// Counts one more reference.
    pub retain: Option<unsafe extern "C" fn(this: *mut Object)>,
    /// Gives one reference back.
    pub release: Option<unsafe extern "C" fn(this: *mut Object)>,
}

/// `CHITIN_VTABLE_THREADSAFE`: the flag of a `[threadsafe]` interface.
pub const VTABLE_THREADSAFE: u32 = 1;

/// The id of the built-in root interface `object` (`CHITIN_OBJECT_IID`):
/// the UUIDv5 of `chitin.object@1` under chitin's namespace.
pub const OBJECT_IID: TypeId = TypeId::from_bytes([
    0x0a, 0x13, 0xd8, 0xb4, 0xb2, 0x0f, 0x58, 0x3d, 0x98, 0x67, 0xbb, 0x84, 0xe0, 0xab, 0xa9, 0xce,
]);

/// An object (`chitin_object`): its first word points at its vtable.
/// Objects are only ever reached through pointers, and never move.
#[repr(C)]
#[derive(Debug)]
pub struct Object {
    /// The vtable, which starts with the header.
    pub vtbl: *const VtableHeader,
}

impl Object {
    /// The header of the object's vtable, once its `size` says the
    /// vtable holds all of it: [`Status::INVALID_ARG`] for a null object
    /// or vtable pointer, or a `size` smaller than the header.  Nothing
    /// past the `size` field is read before it is checked.
    ///
    /// # Safety
    ///
    /// A non-null `this` must point at an object whose vtable pointer, if
    /// not null, points at a vtable of at least 4 bytes (its `size`) and
    /// of as many as that `size` says.
    pub unsafe fn header<'a>(this: *const Object) -> Result<&'a VtableHeader, Status> {
        if this.is_null() {
            return Err(Status::INVALID_ARG);
        }
        // SAFETY: a non-null object starts with its vtable pointer.
        let vtbl = unsafe { ptr::read(ptr::addr_of!((*this).vtbl)) };
        if vtbl.is_null() || (vtbl as usize) % core::mem::align_of::<VtableHeader>() != 0 {
            return Err(Status::INVALID_ARG);
        }
        // SAFETY: the vtable has its size field, read alone.
        let size = unsafe { ptr::read(ptr::addr_of!((*vtbl).size)) };
        if (size as usize) < size_of::<VtableHeader>() {
            return Err(Status::INVALID_ARG);
        }
        // SAFETY: the vtable holds the whole header, as its size says.
        Ok(unsafe { &*vtbl })
    }

    /// Calls the object's `retain`.
    ///
    /// # Safety
    ///
    /// As [`Object::header`]; the caller holds a reference.
    pub unsafe fn retain(this: *mut Object) -> Result<(), Status> {
        // SAFETY: the caller's contract.
        let header = unsafe { Object::header(this) }?;
        let retain = header.retain.ok_or(Status::UNAVAILABLE)?;
        // SAFETY: the object's own function, on the object.
        unsafe { retain(this) };
        Ok(())
    }

    /// Calls the object's `release`.
    ///
    /// # Safety
    ///
    /// As [`Object::header`]; the caller gives up the reference it holds.
    pub unsafe fn release(this: *mut Object) -> Result<(), Status> {
        // SAFETY: the caller's contract.
        let header = unsafe { Object::header(this) }?;
        let release = header.release.ok_or(Status::UNAVAILABLE)?;
        // SAFETY: the object's own function, on the object.
        unsafe { release(this) };
        Ok(())
    }

    /// Calls the object's `query`: an owned reference to it as `iid`, or
    /// null when it does not implement `iid`.
    ///
    /// # Safety
    ///
    /// As [`Object::header`]; the caller holds a reference.
    pub unsafe fn query(this: *mut Object, iid: &TypeId) -> Result<*mut Object, Status> {
        // SAFETY: the caller's contract.
        let header = unsafe { Object::header(this) }?;
        let query = header.query.ok_or(Status::UNAVAILABLE)?;
        // SAFETY: the object's own function, on the object.
        Ok(unsafe { query(this, iid) })
    }
}

/// An interface (doc/abi.md 5): generated code implements it for the
/// object type of each interface, a `#[repr(C)]` struct whose only field
/// is the pointer to its vtable.
///
/// # Safety
///
/// `Self` must have the layout of [`Object`], and `IID` must be the
/// interface's id: a [`Ref`] calls the object's functions through it.
pub unsafe trait Interface: Sized + 'static {
    /// The interface's id, what `query` is asked for.
    const IID: TypeId;
}

unsafe impl Interface for Object {
    const IID: TypeId = OBJECT_IID;
}

/// The bytes from a vtable's start to slot `index` (0: the first method
/// after the header) on this target (doc/abi.md 5.3).
pub const fn slot_offset(index: usize) -> usize {
    size_of::<VtableHeader>() + index * size_of::<usize>()
}

impl Object {
    /// Slot `index` of the object's vtable, as the function type `F` (an
    /// `unsafe extern "C" fn`): [`Status::UNAVAILABLE`] when the vtable's
    /// `size` ends before the slot or the slot is null, and the errors of
    /// [`Object::header`].  Nothing past the `size` is read.
    ///
    /// `field` names the slot's member of the vtable type `V` only to give
    /// its type: it is never called, so no reference to a vtable that may
    /// be shorter than `V` is formed.
    ///
    /// # Safety
    ///
    /// As [`Object::header`]; slot `index` of `V` must be `field`'s.
    pub unsafe fn slot<V, F: Copy>(
        this: *const Object,
        index: usize,
        field: fn(&V) -> Option<F>,
    ) -> Result<F, Status> {
        let _ = field;
        // SAFETY: the caller's contract.
        let header = unsafe { Object::header(this) }?;
        let offset = slot_offset(index);
        if size_of::<Option<F>>() != size_of::<usize>()
            || (header.size as usize) < offset + size_of::<usize>()
        {
            return Err(Status::UNAVAILABLE);
        }
        // The slot is read through the vtable pointer itself, whose
        // provenance is the whole table: a pointer made from `header`
        // would reach only the header's bytes.
        // SAFETY: header() has read this pointer and found it sound.
        let vtbl = unsafe { ptr::read(ptr::addr_of!((*this).vtbl)) };
        // SAFETY: the vtable holds `size` bytes, the slot among them, at
        // an offset aligned for a pointer; a null slot reads as None.
        let slot = unsafe { ptr::read(vtbl.cast::<u8>().add(offset).cast::<Option<F>>()) };
        slot.ok_or(Status::UNAVAILABLE)
    }
}

impl Object {
    /// An object as any interface, as the object it is: what a root
    /// interface's generated `Deref` gives.
    pub fn of<I: Interface>(object: &I) -> &Object {
        // SAFETY: I has the layout of Object (Interface's contract).
        unsafe { &*(object as *const I).cast::<Object>() }
    }
}

/// Slot `index` of the vtable of `object`, as [`Object::slot`] reads it,
/// with the object pointer to call it with: what every generated method
/// calls through. `field` names the slot's member of `I`'s vtable type
/// `V`, only to give its type.
///
/// # Safety
///
/// `V` must be `I`'s vtable type, whose slot `index` is `field`'s.
pub unsafe fn slot<I: Interface, V, F: Copy>(
    object: &I,
    index: usize,
    field: fn(&V) -> Option<F>,
) -> Result<(F, *mut I), Status> {
    let this = object as *const I as *mut I;
    // SAFETY: an interface's object is an object (Interface's contract);
    // the slot is the caller's word.
    let f = unsafe { Object::slot(this.cast(), index, field) }?;
    Ok((f, this))
}

/// An owned reference to an object as the interface `I`: `Clone` retains
/// it, `Drop` releases it, and it dereferences to `I`, whose generated
/// methods call the object.  It is `Send` and `Sync` only when `I` is,
/// which generated code says of `[threadsafe]` interfaces alone.
pub struct Ref<I: Interface> {
    ptr: ptr::NonNull<I>,
}

impl<I: Interface> Ref<I> {
    /// Takes over an owned reference; `None` for a null pointer.
    ///
    /// # Safety
    ///
    /// A non-null `p` must be an owned reference to an object that
    /// implements `I` (what a method returns, or `query` gives).
    pub unsafe fn from_raw(p: *mut I) -> Option<Ref<I>> {
        ptr::NonNull::new(p).map(|ptr| Ref { ptr })
    }

    /// Gives up the reference without releasing it.
    pub fn into_raw(self) -> *mut I {
        let p = self.ptr.as_ptr();
        core::mem::forget(self);
        p
    }

    /// The object pointer, still owned by `self`.
    pub fn as_ptr(&self) -> *mut I {
        self.ptr.as_ptr()
    }

    /// The object as the interface `J`: an owned reference, or `None`
    /// when it does not implement `J` (or its `query` is missing).
    pub fn query<J: Interface>(&self) -> Option<Ref<J>> {
        // SAFETY: a Ref holds a reference to an object with a vtable.
        let found = unsafe { Object::query(self.ptr.as_ptr().cast(), &J::IID) }.ok()?;
        // SAFETY: query gives an owned reference to the object as J.
        unsafe { Ref::from_raw(found.cast::<J>()) }
    }

    /// Whether two references reach the same object: the same canonical
    /// `object` pointer (doc/abi.md 5.4).
    pub fn same_object<J: Interface>(&self, other: &Ref<J>) -> bool {
        match (self.query::<Object>(), other.query::<Object>()) {
            (Some(a), Some(b)) => a.as_ptr() == b.as_ptr(),
            _ => false,
        }
    }
}

impl<I: Interface> core::ops::Deref for Ref<I> {
    type Target = I;

    fn deref(&self) -> &I {
        // SAFETY: the object stays alive while the reference is held.
        unsafe { self.ptr.as_ref() }
    }
}

impl<I: Interface> Clone for Ref<I> {
    fn clone(&self) -> Ref<I> {
        // SAFETY: a Ref holds a reference; a vtable without retain cannot
        // be shared, and is then shared anyway: its release is not called
        // more often than its retain was attempted.
        let _ = unsafe { Object::retain(self.ptr.as_ptr().cast()) };
        Ref { ptr: self.ptr }
    }
}

impl<I: Interface> Drop for Ref<I> {
    fn drop(&mut self) {
        // SAFETY: the reference is given back once.
        let _ = unsafe { Object::release(self.ptr.as_ptr().cast()) };
    }
}

impl<I: Interface> core::fmt::Debug for Ref<I> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Ref({:p})", self.ptr)
    }
}

// SAFETY: a reference to a [threadsafe] interface may be used from any
// thread; generated code makes I Send and Sync only for those.
unsafe impl<I: Interface + Send + Sync> Send for Ref<I> {}
// SAFETY: as above.
unsafe impl<I: Interface + Send + Sync> Sync for Ref<I> {}

/// Entry `index` of an exports table (doc/abi.md 8.3) as the function
/// type `F`: [`Status::UNAVAILABLE`] when the table's `size` ends before
/// it or it is null; [`Status::INVALID_ARG`] for a null or misaligned
/// table.  Nothing past the `size` is read.
///
/// `field` names the entry's member of the table type `T` only to give
/// its type, and is never called.
///
/// # Safety
///
/// A non-null `table` must point at an exports table at least as long as
/// its `size` says; entry `index` of `T` must be `field`'s.
pub unsafe fn export_entry<T, F: Copy>(
    table: *const T,
    index: usize,
    field: fn(&T) -> Option<F>,
) -> Result<F, Status> {
    let _ = field;
    let table = table.cast::<u8>();
    if table.is_null() || (table as usize) % core::mem::align_of::<usize>() != 0 {
        return Err(Status::INVALID_ARG);
    }
    // SAFETY: a table starts with its size.
    let size = unsafe { ptr::read(table.cast::<u32>()) } as usize;
    let offset = 8 + index * size_of::<usize>();
    if size_of::<Option<F>>() != size_of::<usize>() || size < offset + size_of::<usize>() {
        return Err(Status::UNAVAILABLE);
    }
    // SAFETY: the entry is inside the table's size, aligned.
    let entry = unsafe { ptr::read(table.add(offset).cast::<Option<F>>()) };
    entry.ok_or(Status::UNAVAILABLE)
}

#[cfg(test)]
mod tests {
    use super::{Object, VtableHeader, OBJECT_IID, VTABLE_THREADSAFE};
    use crate::{Status, TypeId};
    use core::mem::size_of;
    use core::ptr;
    use std::cell::Cell;

    std::thread_local! {
        static COUNT: Cell<i32> = const { Cell::new(0) };
    }

    unsafe extern "C" fn retain(_: *mut Object) {
        COUNT.with(|c| c.set(c.get() + 1));
    }

    unsafe extern "C" fn release(_: *mut Object) {
        COUNT.with(|c| c.set(c.get() - 1));
    }

    unsafe extern "C" fn query(this: *mut Object, iid: *const TypeId) -> *mut Object {
        // SAFETY: the caller passes a valid id.
        if unsafe { *iid } == OBJECT_IID {
            // SAFETY: our own object.
            unsafe { retain(this) };
            this
        } else {
            ptr::null_mut()
        }
    }

    #[test]
    fn header_and_calls() {
        let vtbl = VtableHeader {
            size: size_of::<VtableHeader>() as u32,
            flags: VTABLE_THREADSAFE,
            iid: OBJECT_IID,
            query: Some(query),
            retain: Some(retain),
            release: Some(release),
        };
        let mut obj = Object { vtbl: &vtbl };
        let this: *mut Object = &mut obj;
        unsafe {
            assert_eq!(Object::header(this).unwrap().iid, OBJECT_IID);
            Object::retain(this).unwrap();
            assert_eq!(Object::query(this, &OBJECT_IID), Ok(this));
            assert_eq!(Object::query(this, &TypeId::NIL), Ok(ptr::null_mut()));
            Object::release(this).unwrap();
            Object::release(this).unwrap();
        }
        assert_eq!(COUNT.with(|c| c.get()), 0);
    }

    unsafe extern "C" fn answer(_: *mut Object) -> Status {
        Status::FAILED
    }

    #[test]
    fn slots_inside_the_size_only() {
        type Slot = unsafe extern "C" fn(*mut Object) -> Status;
        #[repr(C)]
        struct Vtbl {
            header: VtableHeader,
            first: Option<Slot>,
            second: Option<Slot>,
        }
        let mut vtbl = Vtbl {
            header: VtableHeader {
                size: size_of::<Vtbl>() as u32,
                flags: 0,
                iid: OBJECT_IID,
                query: Some(query),
                retain: Some(retain),
                release: Some(release),
            },
            first: Some(answer),
            second: None,
        };
        let field = |v: &Vtbl| v.first;
        let obj = Object {
            vtbl: (&vtbl as *const Vtbl).cast(),
        };
        unsafe {
            let f = Object::slot(&obj, 0, field).unwrap();
            assert_eq!(f(ptr::null_mut()), Status::FAILED);
            // a null slot inside the size
            assert_eq!(
                Object::slot(&obj, 1, |v: &Vtbl| v.second).err(),
                Some(Status::UNAVAILABLE)
            );
        }
        // a vtable whose size ends before the slot: never read
        vtbl.header.size = size_of::<VtableHeader>() as u32;
        let obj = Object {
            vtbl: (&vtbl as *const Vtbl).cast(),
        };
        unsafe {
            assert_eq!(
                Object::slot(&obj, 0, field).err(),
                Some(Status::UNAVAILABLE)
            );
        }
    }

    #[test]
    fn slots_of_an_interface() {
        #[repr(C)]
        struct I {
            vtbl: *const Vtbl,
        }
        unsafe impl crate::Interface for I {
            const IID: TypeId = TypeId::from_bytes([7; 16]);
        }
        #[repr(C)]
        struct Vtbl {
            header: VtableHeader,
            first: Option<unsafe extern "C" fn(*mut I) -> Status>,
        }
        unsafe extern "C" fn first(_: *mut I) -> Status {
            Status::FAILED
        }
        let mut vtbl = Vtbl {
            header: VtableHeader {
                size: size_of::<Vtbl>() as u32,
                flags: 0,
                iid: OBJECT_IID,
                query: Some(query),
                retain: Some(retain),
                release: Some(release),
            },
            first: Some(first),
        };
        let i = I { vtbl: &vtbl };
        assert_eq!(
            (super::Object::of(&i) as *const Object).cast::<u8>(),
            (&i as *const I).cast::<u8>()
        );
        unsafe {
            let (f, this) = super::slot(&i, 0, |v: &Vtbl| v.first).unwrap();
            assert_eq!(this as *const I, &i as *const I);
            assert_eq!(f(this), Status::FAILED);
        }
        vtbl.header.size = size_of::<VtableHeader>() as u32;
        let i = I { vtbl: &vtbl };
        unsafe {
            assert_eq!(
                super::slot(&i, 0, |v: &Vtbl| v.first).err(),
                Some(Status::UNAVAILABLE)
            );
        }
    }

    #[test]
    fn hostile_headers() {
        // A vtable whose size is below the header's: only the size is read.
        #[repr(C, align(8))]
        struct Short {
            size: u32,
        }
        let short = Short { size: 8 };
        let obj = Object {
            vtbl: (&short as *const Short).cast(),
        };
        unsafe {
            assert_eq!(Object::header(&obj).err(), Some(Status::INVALID_ARG));
            assert_eq!(Object::header(ptr::null()).err(), Some(Status::INVALID_ARG));
        }
        let null_vtbl = Object { vtbl: ptr::null() };
        let mut none = VtableHeader {
            size: size_of::<VtableHeader>() as u32,
            flags: 0,
            iid: OBJECT_IID,
            query: None,
            retain: None,
            release: None,
        };
        let mut obj = Object { vtbl: &none };
        unsafe {
            assert_eq!(Object::header(&null_vtbl).err(), Some(Status::INVALID_ARG));
            assert_eq!(Object::retain(&mut obj), Err(Status::UNAVAILABLE));
            assert_eq!(
                Object::query(&mut obj, &OBJECT_IID),
                Err(Status::UNAVAILABLE)
            );
        }
        none.size = 0;
        let mut obj = Object { vtbl: &none };
        unsafe {
            assert_eq!(Object::release(&mut obj), Err(Status::INVALID_ARG));
        }
    }
}
