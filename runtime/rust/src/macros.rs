//! The macros generated code spells items through: what an edition
//! spells differently is written here, in this crate's edition, so that
//! the generated code compiles in 2018, 2021 and 2024 alike; and the
//! layout assertions (doc/abi.md 1.4).

/// Declares functions of a library linked directly (an `extern "C"`
/// block, which edition 2024 writes `unsafe extern "C"`):
/// `chitin::import_functions! { #[link_name = "m_f"] pub fn f(x: u32) -> chitin::Status; }`.
#[macro_export]
macro_rules! import_functions {
    ($($item:tt)*) => {
        // The raw types are #[repr(C)]; a `void` arm of a result is a
        // zero-sized `()` member, which rustc before 1.7x calls unsafe.
        #[allow(improper_ctypes)]
        extern "C" {
            $($item)*
        }
    };
}

/// Asserts at compile time that `T` has the size and alignment chitin
/// computed for the target: `chitin::assert_layout!(T, size, align);`,
/// inside a `const _: () = { ... };`.
#[macro_export]
macro_rules! assert_layout {
    ($t:ty, $size:expr, $align:expr) => {
        assert!(
            ::core::mem::size_of::<$t>() == $size && ::core::mem::align_of::<$t>() == $align,
            concat!(
                "chitin: the size or alignment of ",
                stringify!($t),
                " is not what chitin computed for this target"
            )
        );
    };
}

/// Asserts that field `f` of `T` is at byte `offset`, as chitin computed
/// for the target (Rust 1.63 has no `offset_of!`, so it runs): panics
/// naming the field otherwise.
#[macro_export]
macro_rules! assert_offset {
    ($t:ty, $f:ident, $offset:expr) => {{
        let value = ::core::mem::MaybeUninit::<$t>::uninit();
        let base = value.as_ptr();
        // SAFETY: the address of a field of a live (uninitialised)
        // value, nothing read.
        let field = unsafe { ::core::ptr::addr_of!((*base).$f) };
        assert_eq!(
            field as usize - base as usize,
            $offset,
            concat!(
                "chitin: the offset of ",
                stringify!($t),
                ".",
                stringify!($f),
                " is not what chitin computed for this target"
            )
        );
    }};
}
