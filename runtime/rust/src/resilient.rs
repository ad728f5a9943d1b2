//! Resilient structs (doc/abi.md 2.18): values whose layout their maker's
//! layout record gives, reached through borrowed views that look every
//! field up in the value's own record.
//!
//! A value starts with a pointer to its maker's record, then the fields as
//! that maker's version laid them out.  A reader never assumes the value's
//! size: [`ResilientRef::field`] finds field `index` at the offset the
//! value's record gives, and answers `None` when the record cannot place
//! it there:
//!
//! - the record pointer is null or not aligned to 4;
//! - `index` is `field_count` or more (a field the maker's version lacks);
//! - the field would overlap the record pointer, end past the record's
//!   `size`, or be misaligned for its type.
//!
//! What cannot be checked (that the value and its record are there, for
//! as long as the view lives) is what the `unsafe` constructors ask of
//! their caller.  Generated code wraps these views in one type per struct
//! whose methods are named after the fields (doc/rust.md 2).

use core::marker::PhantomData;
use core::mem::{align_of, size_of};
use core::ptr::NonNull;

use crate::raw::LayoutRecord;
use crate::Abi;

/// A library's own layout record of a struct of `N` fields: the head,
/// then the offsets, one object, as doc/abi.md 2.18 lays it out.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LayoutRecordOf<const N: usize> {
    /// Size, alignment and field count (`N`).
    pub head: LayoutRecord,
    /// The offset of each field from the start of the value, by
    /// declaration index.
    pub offsets: [u32; N],
}

impl<const N: usize> LayoutRecordOf<N> {
    /// The record of values of `size` bytes aligned to `align` with
    /// fields at `offsets`.
    pub const fn new(size: usize, align: usize, offsets: [u32; N]) -> Self {
        LayoutRecordOf {
            head: LayoutRecord {
                size: size as u32,
                align: align as u32,
                field_count: N as u32,
            },
            offsets,
        }
    }

    /// The record as a value's first word holds it: the address of the
    /// whole record, through which its offsets are read.
    pub const fn as_ptr(&'static self) -> *const LayoutRecord {
        self as *const Self as *const LayoutRecord
    }
}

/// A resilient struct: the type a value's pointer points at, with this
/// library's layout record for it.
///
/// # Safety
///
/// [`Resilient::record`] must return the address of a `'static`
/// [`LayoutRecordOf`] whose size, alignment and offsets are those of a
/// value this library makes, its `field_count` the number of fields of the
/// version the library was built against.  Generated code implements it.
pub unsafe trait Resilient: Sized + 'static {
    /// This library's record, as a value's first word holds it.
    fn record() -> *const LayoutRecord;

    /// The head of this library's record: the size and alignment of the
    /// values it makes.  Not a record pointer: its reference covers the
    /// head alone, and a value's first word is [`Resilient::record`].
    fn layout() -> &'static LayoutRecord {
        // SAFETY: the trait's contract: a static record, its head first.
        unsafe { &*Self::record() }
    }
}

/// Where the record of the value at `value` places field `index` as a
/// `T`, after the checks of this module.
///
/// # Safety
///
/// `value` points to a readable value whose first word is null or the
/// address of a readable record with its `field_count` offsets.
unsafe fn locate<T: Abi>(value: NonNull<u8>, index: u32) -> Option<NonNull<T>> {
    // SAFETY: the caller's contract; the value is aligned for a pointer
    // (checked when the view was made).
    let record = unsafe { value.as_ptr().cast::<*const LayoutRecord>().read() };
    if record.is_null() || record as usize % align_of::<u32>() != 0 {
        return None;
    }
    // SAFETY: the caller's contract: a readable record.
    let head = unsafe { record.read() };
    if index >= head.field_count {
        return None;
    }
    // SAFETY: index is below field_count, so the offset is in the record.
    let offset = unsafe { record.cast::<u32>().add(3).add(index as usize).read() } as usize;
    let end = offset.checked_add(size_of::<T>())?;
    let addr = (value.as_ptr() as usize).checked_add(offset)?;
    if offset < size_of::<*const LayoutRecord>()
        || end > head.size as usize
        || addr % align_of::<T>() != 0
    {
        return None;
    }
    // SAFETY: inside the value, as its record says.
    NonNull::new(unsafe { value.as_ptr().add(offset) }.cast::<T>())
}

/// Checks a value's pointer for what a view needs: not null, aligned for
/// its record pointer.
fn check_value<S>(value: *const S) -> Option<NonNull<u8>> {
    if value as usize % align_of::<*const LayoutRecord>() != 0 {
        return None;
    }
    NonNull::new(value as *mut u8)
}

/// A borrowed value of the resilient struct `S`, made by any version:
/// its fields are read through its record.
pub struct ResilientRef<'a, S> {
    value: NonNull<u8>,
    life: PhantomData<&'a S>,
}

impl<S> Clone for ResilientRef<'_, S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S> Copy for ResilientRef<'_, S> {}

impl<'a, S: Resilient> ResilientRef<'a, S> {
    /// The view of the value at `value`; `None` for a null pointer or one
    /// not aligned for the record pointer.
    ///
    /// # Safety
    ///
    /// `value` must point to a value of `S` made by any version: its first
    /// word null or the address of its maker's layout record, whole (head
    /// and offsets; in Rust, what [`Resilient::record`] gives, never the
    /// head [`Resilient::layout`] gives), and the record's `size` bytes at
    /// `value` readable, for `'a`, neither they nor the record written
    /// meanwhile.  The pointer must reach the whole value: one made from
    /// an `&S`, which covers the record pointer alone, does not.
    pub unsafe fn from_ptr(value: *const S) -> Option<Self> {
        check_value(value).map(|value| ResilientRef {
            value,
            life: PhantomData,
        })
    }

    /// The value's pointer, for passing it on.
    pub fn as_ptr(self) -> *const S {
        self.value.as_ptr() as *const S
    }

    /// The value's layout record, as its first word holds it.
    pub fn record(self) -> *const LayoutRecord {
        // SAFETY: from_ptr's contract; aligned, as from_ptr checked.
        unsafe { self.value.as_ptr().cast::<*const LayoutRecord>().read() }
    }

    /// Field `index` (by declaration, from 0) as a `T`, where the value's
    /// record places it; `None` when it cannot (module documentation).
    ///
    /// # Safety
    ///
    /// Field `index` of `S` must be of type `T` (in every version, as the
    /// IDL's compatibility rules keep it), so that the bytes there are an
    /// initialised `T`.  Generated accessors pass their own field's.
    pub unsafe fn field<T: Abi>(self, index: u32) -> Option<&'a T> {
        // SAFETY: from_ptr's contract; the field is inside the value and
        // aligned, and the caller vouches that its bytes are a T.
        unsafe { locate::<T>(self.value, index).map(|p| &*p.as_ptr()) }
    }
}

/// A mutably borrowed value of the resilient struct `S`, made by any
/// version: its fields are read and written through its record.
pub struct ResilientMut<'a, S> {
    value: NonNull<u8>,
    life: PhantomData<&'a mut S>,
}

impl<'a, S: Resilient> ResilientMut<'a, S> {
    /// The view of the value at `value`; `None` for a null pointer or one
    /// not aligned for the record pointer.
    ///
    /// # Safety
    ///
    /// As [`ResilientRef::from_ptr`], and the record's `size` bytes at
    /// `value` must also be writable, and neither read nor written but
    /// through this view, for `'a` (the record still unchanged).
    pub unsafe fn from_ptr(value: *mut S) -> Option<Self> {
        check_value(value).map(|value| ResilientMut {
            value,
            life: PhantomData,
        })
    }

    /// The value's pointer, for passing it on.
    pub fn as_mut_ptr(&mut self) -> *mut S {
        self.value.as_ptr() as *mut S
    }

    /// A shared view of the value, for as long as it is borrowed.
    pub fn view(&self) -> ResilientRef<'_, S> {
        ResilientRef {
            value: self.value,
            life: PhantomData,
        }
    }

    /// Field `index` as a `T`, to read or write, where the value's record
    /// places it; `None` when it cannot (module documentation), in which
    /// case nothing can be stored.  The record pointer itself is never
    /// handed out.
    ///
    /// # Safety
    ///
    /// As [`ResilientRef::field`]: field `index` of `S` is of type `T`, so
    /// that what is stored through it is a value of that field.
    pub unsafe fn field<T: Abi>(&mut self, index: u32) -> Option<&mut T> {
        // SAFETY: from_ptr's contract; the field is inside the value,
        // after the record pointer, and aligned, and the caller vouches
        // that it is a T.
        unsafe { locate::<T>(self.value, index).map(|p| &mut *p.as_ptr()) }
    }
}

#[cfg(test)]
mod tests {
    use super::{LayoutRecordOf, Resilient, ResilientMut, ResilientRef};
    use crate::raw::LayoutRecord;
    use core::mem::{align_of, size_of};

    /// A value of version 1.1 of `struct S { u8 a; u32 b; [since(1.1)] u64 c; }`.
    #[repr(C)]
    struct S11 {
        record: *const LayoutRecord,
        a: u8,
        b: u32,
        c: u64,
    }

    /// The pointee type.
    #[repr(C)]
    struct S {
        record: *const LayoutRecord,
    }

    const P: usize = size_of::<*const LayoutRecord>();
    static OWN: LayoutRecordOf<3> = LayoutRecordOf::new(
        size_of::<S11>(),
        align_of::<S11>(),
        [P as u32, P as u32 + 4, P as u32 + 8],
    );

    // SAFETY: OWN describes S11.
    unsafe impl Resilient for S {
        fn record() -> *const LayoutRecord {
            OWN.as_ptr()
        }
    }

    fn value(record: *const LayoutRecord) -> S11 {
        S11 {
            record,
            a: 0x11,
            b: 0x2233_4455,
            c: 0x6677_8899_aabb_ccdd,
        }
    }

    fn view(v: &S11) -> ResilientRef<'_, S> {
        unsafe { ResilientRef::from_ptr(v as *const S11 as *const S) }.unwrap()
    }

    #[test]
    fn own_values_read_and_write() {
        assert_eq!(S::layout().size as usize, size_of::<S11>());
        assert_eq!(S::layout().field_count, 3);
        let mut v = value(S::record());
        let r = view(&v);
        assert_eq!(r.record(), S::record());
        assert_eq!(unsafe { r.field::<u8>(0) }, Some(&0x11));
        assert_eq!(unsafe { r.field::<u32>(1) }, Some(&0x2233_4455));
        assert_eq!(unsafe { r.field::<u64>(2) }, Some(&0x6677_8899_aabb_ccdd));
        assert_eq!(unsafe { r.field::<u8>(3) }, None);
        let mut m = unsafe { ResilientMut::from_ptr(&mut v as *mut S11 as *mut S) }.unwrap();
        *unsafe { m.field::<u32>(1) }.unwrap() = 7;
        assert_eq!(unsafe { m.view().field::<u32>(1) }, Some(&7));
        assert_eq!(v.b, 7);
    }

    #[test]
    fn an_older_makers_value_lacks_the_new_field() {
        static OLD: LayoutRecordOf<2> = LayoutRecordOf::new(P + 8, P, [P as u32, P as u32 + 4]);
        let v = value(OLD.as_ptr());
        let r = view(&v);
        assert_eq!(unsafe { r.field::<u32>(1) }, Some(&0x2233_4455));
        assert_eq!(unsafe { r.field::<u64>(2) }, None);
    }

    #[test]
    fn hostile_records_place_nothing() {
        let v = value(core::ptr::null());
        assert_eq!(unsafe { view(&v).field::<u8>(0) }, None);
        // Misaligned record pointer.
        static WORDS: [u32; 8] = [64, 8, 3, 8, 12, 16, 0, 0];
        let misaligned = unsafe { (WORDS.as_ptr() as *const u8).add(1) } as *const LayoutRecord;
        let v = value(misaligned);
        assert_eq!(unsafe { view(&v).field::<u8>(0) }, None);
        let cases: [(LayoutRecordOf<3>, u32, bool); 6] = [
            // Offset inside the record pointer.
            (
                LayoutRecordOf::new(size_of::<S11>(), 8, [0, 0, 0]),
                0,
                false,
            ),
            // Ends past the value's size.
            (
                LayoutRecordOf::new(P + 4, 8, [P as u32, P as u32 + 4, P as u32 + 8]),
                1,
                false,
            ),
            // Misaligned for the field's type.
            (
                LayoutRecordOf::new(size_of::<S11>(), 8, [P as u32, P as u32 + 1, P as u32 + 8]),
                1,
                false,
            ),
            // An offset that would wrap.
            (
                LayoutRecordOf::new(size_of::<S11>(), 8, [u32::MAX, 0, 0]),
                0,
                false,
            ),
            // A well-formed stranger's record.
            (
                LayoutRecordOf::new(size_of::<S11>(), 8, [P as u32, P as u32 + 4, P as u32 + 8]),
                2,
                true,
            ),
            // A field count that leaves index 2 out.
            (
                LayoutRecordOf {
                    head: LayoutRecord {
                        size: 64,
                        align: 8,
                        field_count: 2,
                    },
                    offsets: [P as u32, P as u32 + 4, P as u32 + 8],
                },
                2,
                false,
            ),
        ];
        for (i, (rec, index, found)) in cases.iter().enumerate() {
            let v = value(rec as *const LayoutRecordOf<3> as *const LayoutRecord);
            let r = view(&v);
            let got = match index {
                0 => unsafe { r.field::<u8>(0) }.is_some(),
                1 => unsafe { r.field::<u32>(1) }.is_some(),
                _ => unsafe { r.field::<u64>(2) }.is_some(),
            };
            assert_eq!(got, *found, "case {i}");
        }
    }

    #[test]
    fn null_and_misaligned_values_have_no_view() {
        assert!(unsafe { ResilientRef::<S>::from_ptr(core::ptr::null()) }.is_none());
        assert!(unsafe { ResilientMut::<S>::from_ptr(core::ptr::null_mut()) }.is_none());
        let words = [0usize; 4];
        let odd = unsafe { (words.as_ptr() as *const u8).add(1) } as *const S;
        assert!(unsafe { ResilientRef::<S>::from_ptr(odd) }.is_none());
    }
}
