//! What the loader asks of the system, as loader.c asks it: opening a
//! library and finding a symbol in it (`dlopen`/`dlsym`, or
//! `LoadLibraryExW`/`GetProcAddress`), and how far the memory that holds
//! an address reaches (`dl_iterate_phdr` on ELF, `VirtualQuery` on
//! Windows, the end of linear memory on wasm32).
//!
//! The functions are declared here, without the `libc` crate.  The
//! declarations go through [`ffi!`], which writes `unsafe extern` blocks
//! in edition 2024 (which requires them) and plain `extern` blocks before
//! it (which rustc 1.63 requires).

use core::ffi::c_void;
use std::ffi::CStr;
use std::path::Path;
use std::vec::Vec;

use super::{cut_plain, LoadReason, DETAIL};

/// An `extern` block, `unsafe extern` in edition 2024: the `expr`
/// fragment matches `_` from edition 2024 on and not before, so the first
/// rule is taken only there.
#[allow(unused_macros)]
macro_rules! ffi {
    (@pick $e:expr; $abi:tt $(#[$m:meta])* { $($item:tt)* }) => {
        $(#[$m])* unsafe extern $abi { $($item)* }
    };
    (@pick _; $abi:tt $(#[$m:meta])* { $($item:tt)* }) => {
        $(#[$m])* extern $abi { $($item)* }
    };
    ($abi:tt $(#[$m:meta])* { $($item:tt)* }) => {
        ffi!(@pick _; $abi $(#[$m])* { $($item)* });
    };
}

/// Why opening failed: the reason and the detail of the error.
pub(super) type OpenError = (LoadReason, Vec<u8>);

/// "no symbol <symbol>", as loader.c says it.
#[allow(dead_code)]
fn no_symbol(symbol: &CStr) -> OpenError {
    let mut detail = b"no symbol ".to_vec();
    detail.extend_from_slice(symbol.to_bytes());
    (LoadReason::NoEntry, cut_plain(detail, DETAIL))
}

// ---- dlopen -------------------------------------------------------------------

/// The systems whose `dlopen` flags are known here.
#[cfg(any(
    target_os = "linux",
    target_os = "android",
    target_os = "freebsd",
    target_os = "dragonfly",
    target_os = "macos",
    target_os = "ios",
    target_os = "illumos",
    target_os = "solaris"
))]
mod dl {
    use std::os::raw::{c_char, c_int, c_void};

    /// `RTLD_NOW`: 0 in 32-bit Android's bionic, 2 everywhere else here.
    #[cfg(all(target_os = "android", target_pointer_width = "32"))]
    pub const RTLD_NOW: c_int = 0;
    #[cfg(not(all(target_os = "android", target_pointer_width = "32")))]
    pub const RTLD_NOW: c_int = 2;
    /// `RTLD_LOCAL`: 4 on Apple's systems, 0 on the others here.
    #[cfg(any(target_os = "macos", target_os = "ios"))]
    pub const RTLD_LOCAL: c_int = 4;
    #[cfg(not(any(target_os = "macos", target_os = "ios")))]
    pub const RTLD_LOCAL: c_int = 0;

    // glibc before 2.34 and bionic keep these in libdl; later glibc has
    // them in libc and an empty libdl.
    ffi!("C" #[cfg_attr(any(all(target_os = "linux", target_env = "gnu"), target_os = "android"), link(name = "dl"))] {
        pub fn dlopen(path: *const c_char, flags: c_int) -> *mut c_void;
        pub fn dlsym(lib: *mut c_void, symbol: *const c_char) -> *mut c_void;
        pub fn dlerror() -> *mut c_char;
    });
}

/// Opens `path` (`RTLD_NOW | RTLD_LOCAL`) and finds `symbol` in it; on
/// failure, says why with loader.c's reasons and details.
///
/// # Safety
///
/// Opening a library runs its initialisers, which may do anything.
#[cfg(any(
    target_os = "linux",
    target_os = "android",
    target_os = "freebsd",
    target_os = "dragonfly",
    target_os = "macos",
    target_os = "ios",
    target_os = "illumos",
    target_os = "solaris"
))]
pub(super) unsafe fn open_symbol(path: &Path, symbol: &CStr) -> Result<*const c_void, OpenError> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;

    let cpath = CString::new(path.as_os_str().as_bytes())
        .map_err(|_| (LoadReason::InvalidArg, b"the path has a NUL byte".to_vec()))?;
    // SAFETY: both are NUL-terminated strings that outlive the call; what
    // the library's initialisers do is the caller's to answer for.
    let lib = unsafe { dl::dlopen(cpath.as_ptr(), dl::RTLD_NOW | dl::RTLD_LOCAL) };
    if lib.is_null() {
        // SAFETY: dlerror takes nothing; what it returns, when not null,
        // is a NUL-terminated string valid until the next call on this
        // thread, copied here at once.
        let detail = unsafe {
            let why = dl::dlerror();
            if why.is_null() {
                b"dlopen failed".to_vec()
            } else {
                CStr::from_ptr(why).to_bytes().to_vec()
            }
        };
        return Err((LoadReason::Open, cut_plain(detail, DETAIL)));
    }
    // SAFETY: lib is the handle dlopen gave, never closed; symbol is a
    // NUL-terminated string.  dlerror is called first to clear an earlier
    // error, as loader.c does.
    let sym = unsafe {
        dl::dlerror();
        dl::dlsym(lib, symbol.as_ptr())
    };
    if sym.is_null() {
        return Err(no_symbol(symbol));
    }
    Ok(sym as *const c_void)
}

// ---- Windows ------------------------------------------------------------------

#[cfg(windows)]
mod win {
    use core::ffi::c_void;

    pub const LOAD_WITH_ALTERED_SEARCH_PATH: u32 = 0x0000_0008;
    pub const FORMAT_MESSAGE_IGNORE_INSERTS: u32 = 0x0000_0200;
    pub const FORMAT_MESSAGE_FROM_SYSTEM: u32 = 0x0000_1000;
    pub const MEM_COMMIT: u32 = 0x0000_1000;

    /// `MEMORY_BASIC_INFORMATION`.
    #[repr(C)]
    pub struct MemoryBasicInformation {
        pub base_address: *mut c_void,
        pub allocation_base: *mut c_void,
        pub allocation_protect: u32,
        #[cfg(target_pointer_width = "64")]
        pub partition_id: u16,
        pub region_size: usize,
        pub state: u32,
        pub protect: u32,
        pub kind: u32,
    }

    ffi!("system" #[link(name = "kernel32")] {
        pub fn LoadLibraryExW(path: *const u16, file: *mut c_void, flags: u32) -> *mut c_void;
        pub fn GetProcAddress(lib: *mut c_void, name: *const u8) -> *mut c_void;
        pub fn GetLastError() -> u32;
        pub fn GetFullPathNameW(path: *const u16, n: u32, buf: *mut u16, file: *mut *mut u16) -> u32;
        pub fn FormatMessageA(
            flags: u32,
            source: *const c_void,
            code: u32,
            language: u32,
            buf: *mut u8,
            size: u32,
            args: *mut c_void,
        ) -> u32;
        pub fn VirtualQuery(at: *const c_void, info: *mut MemoryBasicInformation, size: usize) -> usize;
    });
}

/// Opens `path` with `LoadLibraryExW` (a path with a directory made
/// absolute and loaded with `LOAD_WITH_ALTERED_SEARCH_PATH`, so that the
/// DLLs beside it are found) and finds `symbol` with `GetProcAddress`.
///
/// # Safety
///
/// Opening a library runs its initialisers, which may do anything.
#[cfg(windows)]
pub(super) unsafe fn open_symbol(path: &Path, symbol: &CStr) -> Result<*const c_void, OpenError> {
    use core::ptr;
    use std::os::windows::ffi::OsStrExt;

    let mut wide: Vec<u16> = path.as_os_str().encode_wide().collect();
    if wide.contains(&0) {
        return Err((LoadReason::InvalidArg, b"the path has a NUL byte".to_vec()));
    }
    wide.push(0);
    let mut flags = 0;
    if wide
        .iter()
        .any(|&c| c == u16::from(b'/') || c == u16::from(b'\\'))
    {
        // SAFETY: wide is NUL-terminated; a null buffer of 0 asks for the
        // size the full path needs, its NUL included.
        let n =
            unsafe { win::GetFullPathNameW(wide.as_ptr(), 0, ptr::null_mut(), ptr::null_mut()) };
        if n > 0 {
            let mut full = std::vec![0u16; n as usize];
            // SAFETY: full has room for n units, as the call is told.
            let m = unsafe {
                win::GetFullPathNameW(wide.as_ptr(), n, full.as_mut_ptr(), ptr::null_mut())
            };
            if m > 0 && m < n {
                full.truncate(m as usize + 1);
                wide = full;
                flags = win::LOAD_WITH_ALTERED_SEARCH_PATH;
            }
        }
    }
    // SAFETY: wide is a NUL-terminated path; the library's initialisers
    // are the caller's to answer for.
    let lib = unsafe { win::LoadLibraryExW(wide.as_ptr(), ptr::null_mut(), flags) };
    if lib.is_null() {
        // SAFETY: GetLastError takes nothing; FormatMessageA writes at
        // most the 160 bytes it is given and says how many it wrote.
        let (code, text) = unsafe {
            let code = win::GetLastError();
            let mut text = [0u8; 160];
            let len = win::FormatMessageA(
                win::FORMAT_MESSAGE_FROM_SYSTEM | win::FORMAT_MESSAGE_IGNORE_INSERTS,
                ptr::null(),
                code,
                0,
                text.as_mut_ptr(),
                text.len() as u32,
                ptr::null_mut(),
            );
            let mut len = (len as usize).min(text.len());
            while len > 0 && matches!(text[len - 1], b'\n' | b'\r' | b' ') {
                len -= 1;
            }
            (code, text[..len].to_vec())
        };
        let mut detail = std::format!("LoadLibraryExW failed with error {code}").into_bytes();
        if !text.is_empty() {
            detail.extend_from_slice(b": ");
            detail.extend_from_slice(&text);
        }
        return Err((LoadReason::Open, cut_plain(detail, DETAIL)));
    }
    // SAFETY: lib is the module LoadLibraryExW gave, never freed; symbol
    // is NUL-terminated.  GetProcAddress gives data symbols too.
    let sym = unsafe { win::GetProcAddress(lib, symbol.as_ptr().cast()) };
    if sym.is_null() {
        return Err(no_symbol(symbol));
    }
    Ok(sym as *const c_void)
}

// ---- no dynamic loading --------------------------------------------------------

/// Where this crate knows no way to open a library (WASI, and the systems
/// whose `dlopen` flags it does not know): a path never opens, with
/// loader.c's text for WASI.
///
/// # Safety
///
/// None needed; unsafe as the others are.
#[cfg(not(any(
    windows,
    target_os = "linux",
    target_os = "android",
    target_os = "freebsd",
    target_os = "dragonfly",
    target_os = "macos",
    target_os = "ios",
    target_os = "illumos",
    target_os = "solaris"
)))]
pub(super) unsafe fn open_symbol(path: &Path, symbol: &CStr) -> Result<*const c_void, OpenError> {
    let _ = (path, symbol);
    Err((
        LoadReason::Open,
        b"this system has no dynamic loading; register the module (chitin_module_register)"
            .to_vec(),
    ))
}

// ---- how far memory reaches ----------------------------------------------------

/// The systems with `dl_iterate_phdr` and the ELF program headers it
/// hands over.
#[cfg(any(
    target_os = "linux",
    target_os = "android",
    target_os = "freebsd",
    target_os = "dragonfly",
    target_os = "illumos",
    target_os = "solaris"
))]
mod elf {
    use std::os::raw::{c_char, c_int, c_void};

    pub const PT_LOAD: u32 = 1;

    /// The start of `struct dl_phdr_info`, which is all that is read (the
    /// system's struct is longer; it is only ever reached through the
    /// pointer the system passes).
    #[repr(C)]
    pub struct DlPhdrInfo {
        pub addr: usize,
        pub name: *const c_char,
        pub phdr: *const Phdr,
        pub phnum: u16,
    }

    /// `Elf64_Phdr`.
    #[cfg(target_pointer_width = "64")]
    #[repr(C)]
    pub struct Phdr {
        pub p_type: u32,
        pub p_flags: u32,
        pub p_offset: u64,
        pub p_vaddr: u64,
        pub p_paddr: u64,
        pub p_filesz: u64,
        pub p_memsz: u64,
        pub p_align: u64,
    }

    /// `Elf32_Phdr`.
    #[cfg(target_pointer_width = "32")]
    #[repr(C)]
    pub struct Phdr {
        pub p_type: u32,
        pub p_offset: u32,
        pub p_vaddr: u32,
        pub p_paddr: u32,
        pub p_filesz: u32,
        pub p_memsz: u32,
        pub p_flags: u32,
        pub p_align: u32,
    }

    pub type Callback =
        unsafe extern "C" fn(info: *mut DlPhdrInfo, size: usize, data: *mut c_void) -> c_int;

    ffi!("C" #[cfg_attr(target_os = "android", link(name = "dl"))] {
        pub fn dl_iterate_phdr(callback: Option<Callback>, data: *mut c_void) -> c_int;
    });

    /// The address asked about, and how far its segment reaches from it.
    pub struct Query {
        pub at: usize,
        pub extent: usize,
    }

    /// The callback: 1 (stop) when a loaded segment of this object holds
    /// the address.  Never unwinds.
    pub unsafe extern "C" fn find_segment(
        info: *mut DlPhdrInfo,
        size: usize,
        data: *mut c_void,
    ) -> c_int {
        if info.is_null() || data.is_null() || size < core::mem::size_of::<DlPhdrInfo>() {
            return 0;
        }
        // SAFETY: data is the Query that readable_extent passed, alive
        // and not otherwise reached during the call; info is the
        // system's, at least as large as the part declared here (size
        // says so), valid during the call.
        let (q, info) = unsafe { (&mut *(data as *mut Query), &*info) };
        if info.phdr.is_null() {
            return 0;
        }
        for i in 0..usize::from(info.phnum) {
            // SAFETY: the system's array holds phnum program headers.
            let ph = unsafe { &*info.phdr.add(i) };
            let start = info.addr.wrapping_add(ph.p_vaddr as usize);
            let memsz = ph.p_memsz as usize;
            if ph.p_type == PT_LOAD && q.at >= start && q.at - start < memsz {
                q.extent = memsz - (q.at - start);
                return 1;
            }
        }
        0
    }
}

/// How many bytes from `p` on are mapped in the loaded segment that holds
/// it: 0 for an address in no loaded object.
#[cfg(any(
    target_os = "linux",
    target_os = "android",
    target_os = "freebsd",
    target_os = "dragonfly",
    target_os = "illumos",
    target_os = "solaris"
))]
pub(super) fn readable_extent(p: *const c_void) -> usize {
    if p.is_null() {
        return 0;
    }
    let mut q = elf::Query {
        at: p as usize,
        extent: 0,
    };
    // SAFETY: the callback reads only what the system passes it and
    // writes only q, which outlives the call.
    let found = unsafe {
        elf::dl_iterate_phdr(
            Some(elf::find_segment),
            &mut q as *mut elf::Query as *mut c_void,
        )
    };
    if found == 0 {
        0
    } else {
        q.extent
    }
}

/// How many bytes from `p` on are committed in its region
/// (`VirtualQuery`): 0 for memory not committed.
#[cfg(windows)]
pub(super) fn readable_extent(p: *const c_void) -> usize {
    use core::mem::{size_of, MaybeUninit};
    if p.is_null() {
        return 0;
    }
    let mut info = MaybeUninit::<win::MemoryBasicInformation>::uninit();
    let size = size_of::<win::MemoryBasicInformation>();
    // SAFETY: VirtualQuery writes at most size bytes into info, and says
    // how many; only a complete answer is read.
    let info = unsafe {
        if win::VirtualQuery(p, info.as_mut_ptr(), size) != size {
            return 0;
        }
        info.assume_init()
    };
    if info.state != win::MEM_COMMIT {
        return 0;
    }
    (info.base_address as usize)
        .wrapping_add(info.region_size)
        .saturating_sub(p as usize)
}

/// wasm32: one linear memory, all of it readable, from `p` to its end.
#[cfg(all(target_arch = "wasm32", not(windows)))]
pub(super) fn readable_extent(p: *const c_void) -> usize {
    let end = core::arch::wasm32::memory_size(0) as u64 * 65536;
    let at = p as usize as u64;
    if p.is_null() || at >= end {
        return 0;
    }
    if end - at > usize::MAX as u64 {
        usize::MAX
    } else {
        (end - at) as usize
    }
}

/// Elsewhere (Mach-O, ...) the system does not say: as far as the data's
/// own size says.
#[cfg(not(any(
    windows,
    target_arch = "wasm32",
    target_os = "linux",
    target_os = "android",
    target_os = "freebsd",
    target_os = "dragonfly",
    target_os = "illumos",
    target_os = "solaris"
)))]
pub(super) fn readable_extent(p: *const c_void) -> usize {
    let _ = p;
    usize::MAX
}
