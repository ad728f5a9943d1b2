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
