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
/// inside a `const _: () = { ... };`. As an item, a list of them, one
/// `Type: size, align;` each, asserts each so (what generated code
/// writes for each layout class):
/// `chitin::assert_layout! { Point: 8, 4; Rect: 16, 4; }`.
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
    ($($t:ty: $size:expr, $align:expr;)*) => {
        $(
            const _: () = {
                $crate::assert_layout!($t, $size, $align);
            };
        )*
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

/// Asserts the offsets of fields of several types, each as
/// [`assert_offset!`] does: `chitin::assert_offsets! { Point { x: 0, y:
/// 4 } Rect { min: 0, max: 8 } }`, what generated code writes for each
/// layout class.
#[macro_export]
macro_rules! assert_offsets {
    ($($t:ty { $($f:ident: $offset:expr),* $(,)? })*) => {
        // Each type's checks a function of their own: the compiler checks
        // many small bodies in linear time, one long one in far more.
        $({
            fn check() {
                $($crate::assert_offset!($t, $f, $offset);)*
            }
            check();
        })*
    };
}

/// Defines functions under their own names as C symbols, for the exports
/// of a library that implements a module (doc/abi.md 8.1): each item
/// `fn name(params) -> chitin::Status { body }` becomes a `#[no_mangle]
/// pub unsafe extern "C" fn`, which edition 2024 spells
/// `#[unsafe(no_mangle)]`. Generated code invokes it, through
/// [`export_module!`].
#[macro_export]
macro_rules! export_functions {
    ($($(#[$a:meta])* fn $name:ident($($p:ident: $t:ty),* $(,)?) -> $r:ty $body:block)*) => {
        $(
            $(#[$a])*
            #[no_mangle]
            #[deny(unsafe_op_in_unsafe_fn)]
            pub unsafe extern "C" fn $name($($p: $t),*) -> $r $body
        )*
    };
}

/// Defines the entry symbol of a library that implements a module
/// (doc/abi.md 8.2): `chitin::module_entry!(chitin_module_m,
/// chitin_exports_m: m::Exports = m::Exports::of::<P>(), descriptor)`
/// defines the exports table as a static (not exported) and
/// `chitin_module_m`, a `chitin::raw::Module` that points at the
/// descriptor (a `*const u8`) and the table;
/// `chitin::module_entry!(chitin_module_m, descriptor)`, the entry of a
/// module without exports, whose table is null. Generated code invokes it,
/// through [`export_module!`].
#[macro_export]
macro_rules! module_entry {
    ($entry:ident, $table:ident: $t:ty = $exports:expr, $descriptor:expr) => {
        #[allow(non_upper_case_globals)]
        static $table: $t = $exports;

        /// The entry symbol the loader looks up (doc/abi.md 8.2).
        #[allow(non_upper_case_globals)]
        #[no_mangle]
        pub static $entry: $crate::raw::Module = $crate::raw::Module {
            descriptor: $descriptor,
            exports: &$table as *const $t as *const ::core::ffi::c_void,
        };
    };
    ($entry:ident, $descriptor:expr) => {
        /// The entry symbol the loader looks up (doc/abi.md 8.2), of a
        /// module without exports.
        #[allow(non_upper_case_globals)]
        #[no_mangle]
        pub static $entry: $crate::raw::Module = $crate::raw::Module {
            descriptor: $descriptor,
            exports: ::core::ptr::null(),
        };
    };
}

/// Defines a static in the section of descriptors, `.chitin` (ELF, PE,
/// WebAssembly) or `__DATA,__chitin` (Mach-O), marked `#[used]`, so that
/// tools read a binary's descriptors without loading it (doc/abi.md
/// 8.4); edition 2024 spells the attribute `#[unsafe(link_section)]`.
/// Current rustc keeps it through the linker's garbage collection; 1.63
/// only when something refers to it, as the entry symbol does.
#[macro_export]
macro_rules! descriptor_section {
    ($(#[$a:meta])* $v:vis static $name:ident: $t:ty = $value:expr;) => {
        $(#[$a])*
        #[used]
        #[cfg_attr(any(target_os = "macos", target_os = "ios"), link_section = "__DATA,__chitin")]
        #[cfg_attr(not(any(target_os = "macos", target_os = "ios")), link_section = ".chitin")]
        $v static $name: $t = $value;
    };
}

/// Makes the crate a library that implements a module, with the type
/// that implements its exports: `chitin::export_module!(path::to::m, P);`,
/// where `path::to::m` is the module's generated file and `P:
/// m::Implementation`. It defines every export under its C symbol, the
/// exports table, and the entry symbol `chitin_module_m` that points at
/// the table and at the descriptor, so that a `cdylib` is a plugin
/// libchitin's loader accepts (doc/rust.md 6). A module without exports
/// takes no `P`: `chitin::export_module!(path::to::m)` defines its entry
/// symbol alone. Invoke it once per module the library implements.
#[macro_export]
macro_rules! export_module {
    ($($m:ident)::+, $p:ty) => {
        $($m)::+::chitin_export_module!($($m)::+, $p);
    };
    ($($m:ident)::+) => {
        $($m)::+::chitin_export_module!($($m)::+);
    };
}
