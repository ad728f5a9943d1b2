//! The plugin loader (doc/runtime.md 6, doc/abi.md 8.5, 8.6), the port of
//! libchitin's `chitin_load`, `chitin_module_check`,
//! `chitin_module_register` and `chitin_load_registered`: the same checks
//! in the same order, the same reasons and details, so that
//! [`LoadError::to_bytes`] is, byte for byte, what
//! `chitin_load_error_format` writes for the same plugin.
//!
//! [`load`] opens a library (`dlopen` with `RTLD_NOW | RTLD_LOCAL`, or
//! `LoadLibraryExW`), finds `chitin_module_<module>` (the module named by
//! the host's descriptor), reads the library's descriptor no further than
//! the end of the loaded segment that holds it (where the system says:
//! `dl_iterate_phdr` on ELF, `VirtualQuery` on Windows), decodes it and the
//! host's with the bounds-checked reader, compares them
//! ([`desc::compare`]), and checks that the exports table is aligned, lies
//! in the library's memory and is as long as the library's descriptor
//! says.  Libraries are never unloaded, refused or not: their
//! initialisers have run, and what they made may point into them.
//!
//! ```no_run
//! # fn host_blob() -> &'static [u8] { &[] }
//! // the host's own blob, e.g. from the host-mode lm_desc.c linked in:
//! //     extern "C" { static chitin_own_descriptor_lm: *const u8; }
//! //     let host = unsafe { chitin::load::descriptor_at(chitin_own_descriptor_lm) };
//! let host = host_blob();
//! // SAFETY: the plugin is trusted to be a library built for this host.
//! match unsafe { chitin::load::load("./plugin.so", host, 0) } {
//!     Ok(plugin) => println!("loaded {} {}.{}", plugin.path().display(), plugin.major(), plugin.minor()),
//!     Err(err) => eprint!("{err}"),
//! }
//! ```

use core::ffi::c_void;
use core::fmt;
use core::mem::{align_of, size_of};
use core::ptr;
use core::slice;
use std::borrow::Cow;
use std::boxed::Box;
use std::ffi::CString;
use std::path::{Path, PathBuf};
use std::string::String;
use std::sync::{Mutex, MutexGuard};
use std::vec::Vec;

use crate::desc::{self, DescError, Descriptor, Problem, Report};
use crate::raw::Module;
use crate::Status;

mod sys;

#[cfg(test)]
mod tests;

/// The entry symbol is the module's name after this prefix.
pub const ENTRY_PREFIX: &str = "chitin_module_";

/// The size, with its NUL, of the buffer in which libchitin keeps a
/// load's detail (`CHITIN_LOAD_DETAIL`): a longer detail is cut, as there.
pub const DETAIL: usize = 256;

macro_rules! load_reasons {
    ($($name:ident = $code:literal $c:literal $text:literal,)*) => {
        /// Why a load failed (`chitin_load_reason`, with its codes).
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
        pub enum LoadReason {
            $(
                #[doc = $text]
                $name = $code,
            )*
        }

        impl LoadReason {
            /// Every reason, in the order of `CHITIN_LOAD_REASONS`.
            pub const ALL: &'static [LoadReason] = &[$(LoadReason::$name),*];

            /// The text of `chitin_load_reason_text`.
            pub const fn text(self) -> &'static str {
                match self {
                    $(LoadReason::$name => $text,)*
                }
            }

            /// The name in `CHITIN_LOAD_REASONS` ("OPEN", ...).
            pub const fn name(self) -> &'static str {
                match self {
                    $(LoadReason::$name => $c,)*
                }
            }

            /// The value of `CHITIN_LOAD_<name>`.
            pub const fn code(self) -> u32 {
                self as u32
            }

            /// The reason of a `CHITIN_LOAD_<name>` value, if it is one.
            pub const fn from_code(code: u32) -> Option<LoadReason> {
                match code {
                    $($code => Some(LoadReason::$name),)*
                    _ => None,
                }
            }
        }
    };
}

load_reasons! {
    Ok = 0 "OK" "loaded",
    InvalidArg = 1 "INVALID_ARG" "invalid arguments",
    Open = 2 "OPEN" "cannot open the library",
    NoEntry = 3 "NO_ENTRY" "the library does not implement the module (no entry symbol)",
    NotRegistered = 4 "NOT_REGISTERED" "no library registered the module",
    BadDescriptor = 5 "BAD_DESCRIPTOR" "the library's descriptor is invalid",
    BadHostDescriptor = 6 "BAD_HOST_DESCRIPTOR" "the host's own descriptor is invalid",
    BadExports = 7 "BAD_EXPORTS" "the library's exports table does not match its descriptor",
    Incompatible = 8 "INCOMPATIBLE" "the library is not compatible with the host",
    NoMemory = 9 "NO_MEMORY" "out of memory",
}

impl fmt::Display for LoadReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}

/// A text as `snprintf` into a buffer of `size` bytes leaves it: its
/// first `size - 1` bytes.
pub(crate) fn cut_plain(mut text: Vec<u8>, size: usize) -> Vec<u8> {
    text.truncate(size.saturating_sub(1));
    text
}

/// The bytes of a path as a C host gives them to libchitin.
fn path_bytes(path: &Path) -> Cow<'_, [u8]> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Cow::Borrowed(path.as_os_str().as_bytes())
    }
    #[cfg(not(unix))]
    {
        match path.to_string_lossy() {
            Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
            Cow::Owned(s) => Cow::Owned(s.into_bytes()),
        }
    }
}

// ---- the error ------------------------------------------------------------------

/// What a failed load says (`chitin_load_error` and its accessors).
/// `Display` writes the text of `chitin_load_error_format`
/// ([`LoadError::to_bytes`], with bytes that are not UTF-8 replaced).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    reason: LoadReason,
    library: PathBuf,
    module: Vec<u8>,
    detail: Vec<u8>,
    problems: Vec<Problem>,
    more: bool,
}

impl LoadError {
    fn new(library: &Path) -> LoadError {
        LoadError {
            reason: LoadReason::Ok,
            library: library.to_path_buf(),
            module: Vec::new(),
            detail: Vec::new(),
            problems: Vec::new(),
            more: false,
        }
    }

    /// This error with its reason and detail (cut as libchitin keeps it).
    fn fail(mut self, reason: LoadReason, detail: &[u8]) -> LoadError {
        self.reason = reason;
        self.detail = desc::cut(detail.to_vec(), DETAIL);
        self
    }

    fn failed(self, failure: Failure) -> LoadError {
        match failure {
            Failure::Plain(reason, detail) => self.fail(reason, &detail),
            Failure::Incompatible(report) => {
                let mut err = self.fail(LoadReason::Incompatible, b"");
                err.problems = report.problems;
                err.problems.truncate(desc::MAX_PROBLEMS);
                err.more = report.more;
                err
            }
        }
    }

    /// Why the load failed (`chitin_load_error_reason`).
    pub fn reason(&self) -> LoadReason {
        self.reason
    }

    /// The status the C loader returns for this error: `NO_MEMORY`,
    /// `INVALID_ARG`, or `FAILED`.
    pub fn status(&self) -> Status {
        match self.reason {
            LoadReason::NoMemory => Status::NO_MEMORY,
            LoadReason::InvalidArg => Status::INVALID_ARG,
            _ => Status::FAILED,
        }
    }

    /// The library's path as given; for a registered module, its name;
    /// `(entry)` for [`module_check`] (`chitin_load_error_library`).
    pub fn library(&self) -> &Path {
        &self.library
    }

    /// The module the host loads, cut at 63 bytes as libchitin keeps it
    /// (ending in "..."); empty when the host's descriptor could not be
    /// read (`chitin_load_error_module`).
    pub fn module(&self) -> &[u8] {
        &self.module
    }

    /// The detail: the system's message for [`LoadReason::Open`], the
    /// reader's for [`LoadReason::BadDescriptor`] and
    /// [`LoadReason::BadHostDescriptor`], what is wrong for
    /// [`LoadReason::NoEntry`], [`LoadReason::BadExports`] and
    /// [`LoadReason::InvalidArg`]; empty if none
    /// (`chitin_load_error_detail`).
    pub fn detail(&self) -> &[u8] {
        &self.detail
    }

    /// For [`LoadReason::Incompatible`], the problems the comparison
    /// found, at most [`desc::MAX_PROBLEMS`]; none for the other reasons.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// Whether the comparison found more problems than it kept
    /// (`chitin_load_error_more`).
    pub fn more(&self) -> bool {
        self.more
    }

    /// The report of `chitin_load_error_format`: one line for the failure
    /// and, for an incompatible library, one for each problem after it,
    /// indented, each ending in a newline:
    ///
    /// ```text
    /// cannot load 'plugins/gain.so' as module audio: the library is not compatible with the host
    ///   type 'audio.Frame': field 'right' is at offset 4 in the host, 8 in the plugin
    /// ```
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        if self.reason == LoadReason::Ok {
            return out;
        }
        out.extend_from_slice(b"cannot load '");
        out.extend_from_slice(&path_bytes(&self.library));
        out.extend_from_slice(b"' as module ");
        out.extend_from_slice(if self.module.is_empty() {
            b"?"
        } else {
            &self.module
        });
        out.extend_from_slice(b": ");
        out.extend_from_slice(self.reason.text().as_bytes());
        if !self.detail.is_empty() {
            out.extend_from_slice(b": ");
            out.extend_from_slice(&self.detail);
        }
        out.push(b'\n');
        if self.reason != LoadReason::Incompatible {
            return out;
        }
        for p in self.problems.iter().take(desc::MAX_PROBLEMS) {
            out.extend_from_slice(b"  ");
            out.extend_from_slice(&p.to_bytes());
            out.push(b'\n');
        }
        if self.more {
            out.extend_from_slice(b"  (more problems not shown)\n");
        }
        out
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.to_bytes()))
    }
}

impl std::error::Error for LoadError {}

/// Why an entry was refused, before the error knows the library.
enum Failure {
    Plain(LoadReason, Vec<u8>),
    Incompatible(Report),
}

// ---- reading blobs ----------------------------------------------------------------

/// The bytes at `ptr` that the reader may look at when reading a blob
/// within its first `limit` bytes: none for a null pointer, the first
/// `limit` if fewer than a header, else as many as the header says (at
/// least a header's), no more than `limit`.  `desc::probe` of them says
/// what `chitin_desc_probe(ptr, limit)` says.
///
/// # Safety
///
/// `ptr` must be null or readable for `limit` bytes, or, when `limit` is
/// more than a header and the memory does not reach that far, for a
/// header's 28 bytes and then for the blob size those say; unchanged for
/// `'a`.
unsafe fn blob_at<'a>(ptr: *const u8, limit: usize) -> &'a [u8] {
    if ptr.is_null() {
        return &[];
    }
    // no slice may pass isize::MAX bytes or the end of the address space
    let limit = limit
        .min(isize::MAX as usize)
        .min(usize::MAX - ptr as usize);
    // SAFETY: at most limit and at most a header's bytes, which the
    // caller says are readable.
    let head = unsafe { slice::from_raw_parts(ptr, limit.min(desc::HEADER_SIZE)) };
    if head.len() < desc::HEADER_SIZE {
        return head;
    }
    let size = match head.get(desc::H_BLOB_SIZE..desc::H_BLOB_SIZE + 4) {
        Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]) as usize,
        _ => return head,
    };
    // SAFETY: no more than limit bytes, and no more than the header's
    // size (or the header), which the caller says are readable.
    unsafe { slice::from_raw_parts(ptr, limit.min(size.max(desc::HEADER_SIZE))) }
}

/// The blob at `ptr`, as long as its header says (at least the 28 bytes
/// of a header): what a C host passes as `m_descriptor()`, made a slice
/// for [`load`], [`module_check`] and [`load_registered`], which check
/// it.  Empty for a null pointer.
///
/// # Safety
///
/// `ptr` must be null or point at a descriptor's header (28 readable
/// bytes) followed by the rest of the blob its header says, readable and
/// never changed: the blob of a host-mode `m_desc.c` linked into the
/// program (`chitin_own_descriptor_<m>`) is.
pub unsafe fn descriptor_at(ptr: *const u8) -> &'static [u8] {
    // SAFETY: the caller's promise, for the life of the program.
    unsafe { blob_at(ptr, usize::MAX) }
}

// ---- checking an entry ----------------------------------------------------------

/// What a check accepted.
struct Checked<'b> {
    exports: *const c_void,
    minor: u16,
    descriptor: &'b [u8],
}

/// The host's descriptor, decoded, and the error a load would hand back
/// naming `library` and the host's module; or that error, for a host's
/// descriptor that is not one.
fn begin<'h>(library: &Path, host: &'h [u8]) -> Result<(Descriptor<'h>, LoadError), LoadError> {
    let mut err = LoadError::new(library);
    match desc::decode(host) {
        Ok(d) => {
            err.module = desc::cut(d.module.to_vec(), desc::TEXT);
            Ok((d, err))
        }
        Err(e) => Err(err.fail(LoadReason::BadHostDescriptor, e.text().as_bytes())),
    }
}

/// Checks the library's entry against the host's descriptor (loader.c's
/// `check_entry`): its descriptor read within `limit` bytes, the
/// comparison, then the exports table.
///
/// # Safety
///
/// As [`module_check`], with the descriptor unchanged for `'b`.
unsafe fn check_entry<'b>(
    entry: &Module,
    limit: usize,
    host: &Descriptor<'_>,
    required_minor: u16,
) -> Result<Checked<'b>, Failure> {
    // SAFETY: the caller's promise about entry.descriptor and limit.
    let blob: &'b [u8] = unsafe { blob_at(entry.descriptor, limit) };
    let plugin = match desc::decode(blob) {
        Ok(d) => d,
        Err(e) => return Err(bad_descriptor(e)),
    };
    let report = desc::compare(host, &plugin, required_minor);
    if !report.is_compatible() {
        return Err(Failure::Incompatible(report));
    }
    let n = plugin.exports.len();
    if n > 0 {
        // the table must hold every export the library's descriptor lists
        // (doc/abi.md 8.3): its size, a reserved word, then the functions
        let table = entry.exports as *const u32;
        let want = n
            .checked_mul(size_of::<fn()>())
            .and_then(|b| b.checked_add(8))
            .unwrap_or(usize::MAX);
        if table.is_null() {
            return Err(bad_exports(b"the entry has no exports table".to_vec()));
        }
        if table as usize % size_of::<*const c_void>() != 0
            || sys::readable_extent(table.cast()) < want
        {
            // read nothing of a table outside the library's memory
            return Err(bad_exports(
                b"the exports table is misaligned or not in the library's memory".to_vec(),
            ));
        }
        // SAFETY: aligned (to a pointer, so to a u32) and readable for
        // want bytes, at least 8: in a loaded segment, or, where the
        // system does not say, as the caller promised.
        let size = unsafe { ptr::read(table) };
        if (size as usize) < want {
            let text = std::format!("the table is {size} bytes, its {n} exports need {want}");
            return Err(bad_exports(text.into_bytes()));
        }
    }
    Ok(Checked {
        exports: entry.exports,
        minor: plugin.minor,
        descriptor: blob.get(..plugin.size).unwrap_or(blob),
    })
}

fn bad_descriptor(e: DescError) -> Failure {
    Failure::Plain(LoadReason::BadDescriptor, e.text().as_bytes().to_vec())
}

fn bad_exports(detail: Vec<u8>) -> Failure {
    Failure::Plain(LoadReason::BadExports, detail)
}

/// The check of [`load`] for an entry found by other means
/// (`chitin_module_check`): reads the entry's descriptor within its first
/// `limit` bytes (`usize::MAX`: as far as its header says), compares it
/// with the host's blob `host`, the plugin's minor version being at least
/// `required_minor`, and checks the exports table.  Gives the entry's
/// exports table, or the error, whose library is `(entry)`.
///
/// # Safety
///
/// `entry.descriptor` must be null or readable for `limit` bytes (for
/// `usize::MAX`, or more than the memory holds: for a header's 28 bytes
/// and the size they say), unchanged during the call.  Where the system
/// does not say how far memory reaches (not ELF, Windows or wasm32), a
/// non-null, aligned `entry.exports` must also be readable for the size
/// the library's descriptor gives it.
pub unsafe fn module_check(
    entry: &Module,
    limit: usize,
    host: &[u8],
    required_minor: u16,
) -> Result<*const c_void, LoadError> {
    let (host, err) = begin(Path::new("(entry)"), host)?;
    // SAFETY: the caller's promise.
    match unsafe { check_entry(entry, limit, &host, required_minor) } {
        Ok(c) => Ok(c.exports),
        Err(f) => Err(err.failed(f)),
    }
}

// ---- the libraries loaded -------------------------------------------------------

/// A library loaded and checked, found again by its entry (loader.c's
/// `struct chitin_plugin`).
struct Record {
    entry: usize,
    exports: *const c_void,
    descriptor: &'static [u8],
    path: PathBuf,
    module: Vec<u8>,
    major: u16,
    minor: u16,
}

// SAFETY: the exports pointer is only handed out, never read through
// here; the descriptor is a library's that stays loaded and unchanged.
unsafe impl Send for Record {}
// SAFETY: as for Send: nothing in a record changes after it is made.
unsafe impl Sync for Record {}

/// The records made, each leaked: like the libraries, they live as long
/// as the process.
static PLUGINS: Mutex<Vec<&'static Record>> = Mutex::new(Vec::new());

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // nothing is left half done under these locks: a panic elsewhere
    // while one was held leaves what it guards whole
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A library that a load accepted (`chitin_plugin`).  The record is made
/// by the first successful load of the library and lives as long as the
/// process: loading the same library again (the same entry) gives the
/// same record, which compares equal.
#[derive(Clone, Copy)]
pub struct Plugin {
    record: &'static Record,
}

impl Plugin {
    /// Its exports table (`chitin_plugin_exports`): what the generated
    /// code reads as `m_exports`, which starts with its size; null for a
    /// module without exports.
    pub fn exports(&self) -> *const c_void {
        self.record.exports
    }

    /// The library's own descriptor blob, exactly as long as its header
    /// says (`chitin_plugin_descriptor`), for [`desc::decode`].
    pub fn descriptor(&self) -> &'static [u8] {
        self.record.descriptor
    }

    /// The path of its first load; for a registered module, the module's
    /// name (`chitin_plugin_path`).
    pub fn path(&self) -> &'static Path {
        &self.record.path
    }

    /// The module it implements, the host's (`chitin_plugin_module`).
    pub fn module(&self) -> &'static [u8] {
        &self.record.module
    }

    /// Its major version, the host's (`chitin_plugin_major`).
    pub fn major(&self) -> u16 {
        self.record.major
    }

    /// Its own minor version, which may be older or newer than the
    /// host's (`chitin_plugin_minor`, doc/abi.md 8.6).
    pub fn minor(&self) -> u16 {
        self.record.minor
    }
}

impl PartialEq for Plugin {
    fn eq(&self, other: &Plugin) -> bool {
        ptr::eq(self.record, other.record)
    }
}

impl Eq for Plugin {}

impl fmt::Debug for Plugin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Plugin")
            .field("path", &self.record.path)
            .field("module", &String::from_utf8_lossy(&self.record.module))
            .field("major", &self.record.major)
            .field("minor", &self.record.minor)
            .field("exports", &self.record.exports)
            .finish()
    }
}

/// The record of the library whose entry is `entry`, made on its first
/// successful load.
fn plugin_record(
    entry: &'static Module,
    path: &Path,
    host: &Descriptor<'_>,
    c: Checked<'static>,
) -> Plugin {
    let key = entry as *const Module as usize;
    let mut plugins = lock(&PLUGINS);
    if let Some(record) = plugins.iter().find(|r| r.entry == key) {
        return Plugin { record };
    }
    let record: &'static Record = Box::leak(Box::new(Record {
        entry: key,
        exports: c.exports,
        descriptor: c.descriptor,
        path: path.to_path_buf(),
        // the same module as the host's, or the check would have failed
        module: host.module.to_vec(),
        major: host.major,
        minor: c.minor,
    }));
    plugins.push(record);
    Plugin { record }
}

/// [`check_entry`] for an entry that stays: on success, its record.
///
/// # Safety
///
/// As [`check_entry`], for the life of the program.
unsafe fn checked(
    entry: &'static Module,
    limit: usize,
    path: &Path,
    host: &Descriptor<'_>,
    required_minor: u16,
    err: LoadError,
) -> Result<Plugin, LoadError> {
    // SAFETY: the caller's promise.
    let c: Result<Checked<'static>, Failure> =
        unsafe { check_entry(entry, limit, host, required_minor) };
    match c {
        Ok(c) => Ok(plugin_record(entry, path, host, c)),
        Err(f) => Err(err.failed(f)),
    }
}

// ---- opening libraries -----------------------------------------------------------

/// Loads the library at `path` as an implementation of the module whose
/// descriptor blob, the host's own, is `host` (`chitin_load`): opens it
/// (`dlopen` with `RTLD_NOW | RTLD_LOCAL`, or `LoadLibraryExW`), finds
/// `chitin_module_<module>`, decodes its descriptor within the loaded
/// segment that holds it and compares it with the host's, the plugin's
/// minor version being at least `required_minor`, and checks its exports
/// table.  The library stays loaded for the life of the process either
/// way.  Thread-safe.
///
/// The path is what `dlopen` takes: a name without a slash is searched
/// for on the library path, so give `./gain.so` for one in the current
/// directory.  `host` is usually [`descriptor_at`] of the host's
/// `chitin_own_descriptor_<m>`; bytes past its blob are not read.
///
/// Besides what libchitin checks, the entry symbol itself must be aligned
/// and lie in the library's memory (a [`LoadReason::BadDescriptor`]
/// otherwise), which libchitin reads unchecked.
///
/// # Safety
///
/// Opening a library runs its initialisers, which may do anything: the
/// library must be one built to be loaded so.  Its descriptor and exports
/// table must not change once loaded.  Where the system does not say how
/// far memory reaches (not ELF or Windows: Mach-O), its entry,
/// descriptor and exports table are read as far as they say.
pub unsafe fn load<P: AsRef<Path>>(
    path: P,
    host: &[u8],
    required_minor: u16,
) -> Result<Plugin, LoadError> {
    let path = path.as_ref();
    let (host, err) = begin(path, host)?;
    let mut symbol = ENTRY_PREFIX.as_bytes().to_vec();
    symbol.extend_from_slice(host.module);
    let symbol = match CString::new(symbol) {
        Ok(s) => s,
        // (a decoded name ends at its NUL: never here)
        Err(e) => {
            let mut detail = b"no symbol ".to_vec();
            detail.extend_from_slice(&e.into_vec());
            return Err(err.fail(LoadReason::NoEntry, &cut_plain(detail, DETAIL)));
        }
    };
    // SAFETY: the caller answers for the library's initialisers.
    let entry = match unsafe { sys::open_symbol(path, &symbol) } {
        Ok(p) => p as *const Module,
        Err((reason, detail)) => return Err(err.fail(reason, &detail)),
    };
    if entry as usize % align_of::<Module>() != 0
        || sys::readable_extent(entry.cast()) < size_of::<Module>()
    {
        return Err(err.fail(
            LoadReason::BadDescriptor,
            b"the entry symbol is misaligned or not in the library's memory",
        ));
    }
    // SAFETY: aligned, readable (in the library's loaded segment, or as
    // the caller promises where the system does not say), every bit
    // pattern a valid Module, and the library is never unloaded.
    let entry: &'static Module = unsafe { &*entry };
    let limit = sys::readable_extent(entry.descriptor.cast());
    // SAFETY: limit is how far the segment holding the descriptor
    // reaches, or, where the system does not say, the caller promises
    // the blob is what its header says.
    unsafe { checked(entry, limit, path, &host, required_minor, err) }
}

// ---- the registry of modules linked in ---------------------------------------------

/// An entry registered: `'static`, and readable as [`register`] says.
#[derive(Clone, Copy)]
struct Entry(&'static Module);

// SAFETY: the entry and what it points at stay as they are for the life
// of the program (register's contract); it is only read.
unsafe impl Send for Entry {}

static REGISTRY: Mutex<Vec<(String, Entry)>> = Mutex::new(Vec::new());

/// Registers the entry of module `module` linked into the program
/// (`chitin_module_register`), for [`load_registered`] to find by name.
/// A second registration of a module replaces the first.
/// [`Status::INVALID_ARG`] for an empty name.
///
/// # Safety
///
/// The entry's descriptor and exports table must stay unchanged for the
/// life of the program.  On ELF, Windows and wasm32 they are read no
/// further than the memory that holds them; elsewhere the descriptor must
/// be null or a blob as long as its header says, and the exports table
/// as long as its descriptor says.
pub unsafe fn register(module: &str, entry: &'static Module) -> Result<(), Status> {
    if module.is_empty() {
        return Err(Status::INVALID_ARG);
    }
    let mut registry = lock(&REGISTRY);
    match registry.iter_mut().find(|(name, _)| name == module) {
        Some(slot) => slot.1 = Entry(entry),
        None => registry.push((module.into(), Entry(entry))),
    }
    Ok(())
}

/// [`load`] for a module registered with [`register`]
/// (`chitin_load_registered`): the same checks and results; the record's
/// path is the module's name.  [`LoadReason::InvalidArg`] when `host` is
/// the descriptor of another module, [`LoadReason::NotRegistered`] when
/// no entry was registered under `module`.
pub fn load_registered(
    module: &str,
    host: &[u8],
    required_minor: u16,
) -> Result<Plugin, LoadError> {
    let (host, err) = begin(Path::new(module), host)?;
    if module.as_bytes() != host.module {
        return Err(err.fail(
            LoadReason::InvalidArg,
            b"the host's descriptor is of another module",
        ));
    }
    let entry = lock(&REGISTRY)
        .iter()
        .find(|(name, _)| name == module)
        .map(|(_, e)| e.0);
    let entry = match entry {
        Some(e) => e,
        None => return Err(err.fail(LoadReason::NotRegistered, b"")),
    };
    let limit = sys::readable_extent(entry.descriptor.cast());
    // SAFETY: register's contract, and limit as in load.
    unsafe { checked(entry, limit, Path::new(module), &host, required_minor, err) }
}
