//! The loader's checks on entries in memory: the blob of doc/descriptor.md
//! section 12.4 (module demo 1.0, one export) as host and plugin, whole,
//! damaged and cut short, with exports tables good and bad; the registry;
//! and, on the systems that open libraries, paths that do not open.
//! (tests/run-loader.sh holds the loader to libchitin's on real plugins.)

use core::ffi::c_void;
use core::ptr;
use std::boxed::Box;
use std::path::Path;
use std::string::String;
use std::vec::Vec;

use super::{load_registered, module_check, register, LoadError, LoadReason, Module, DETAIL};
use crate::desc::tests::VECTOR;
use crate::Status;

/// The blob in this program's data, where the system sees it.
static BLOB: [u8; 224] = VECTOR;

/// An exports table: its size, a reserved word, the functions.
#[repr(C)]
struct Table {
    size: u32,
    reserved: u32,
    functions: [usize; 2],
}

static GOOD: Table = Table {
    size: 16,
    reserved: 0,
    functions: [0, 0],
};

static SHORT: Table = Table {
    size: 8,
    reserved: 0,
    functions: [0, 0],
};

fn entry(descriptor: *const u8, exports: *const c_void) -> Module {
    Module {
        descriptor,
        exports,
    }
}

fn good_exports() -> *const c_void {
    &GOOD as *const Table as *const c_void
}

/// module_check of `entry` within `limit` bytes, against the vector.
fn check(entry: &Module, limit: usize, minor: u16) -> Result<*const c_void, LoadError> {
    // SAFETY: every descriptor these tests give is null or readable for
    // limit bytes (at most the vector's copy it points at).
    unsafe { module_check(entry, limit, &VECTOR, minor) }
}

fn text(err: &LoadError) -> String {
    String::from_utf8(err.to_bytes()).unwrap()
}

#[test]
fn reasons_are_libchitins() {
    let texts: Vec<(u32, &str, &str)> = LoadReason::ALL
        .iter()
        .map(|r| (r.code(), r.name(), r.text()))
        .collect();
    assert_eq!(
        texts,
        [
            (0, "OK", "loaded"),
            (1, "INVALID_ARG", "invalid arguments"),
            (2, "OPEN", "cannot open the library"),
            (
                3,
                "NO_ENTRY",
                "the library does not implement the module (no entry symbol)"
            ),
            (4, "NOT_REGISTERED", "no library registered the module"),
            (5, "BAD_DESCRIPTOR", "the library's descriptor is invalid"),
            (
                6,
                "BAD_HOST_DESCRIPTOR",
                "the host's own descriptor is invalid"
            ),
            (
                7,
                "BAD_EXPORTS",
                "the library's exports table does not match its descriptor"
            ),
            (
                8,
                "INCOMPATIBLE",
                "the library is not compatible with the host"
            ),
            (9, "NO_MEMORY", "out of memory"),
        ]
    );
    for r in LoadReason::ALL {
        assert_eq!(LoadReason::from_code(r.code()), Some(*r));
    }
    assert_eq!(LoadReason::from_code(10), None);
}

#[test]
fn a_sound_entry_is_accepted() {
    let blob = VECTOR;
    let e = entry(blob.as_ptr(), good_exports());
    assert_eq!(check(&e, blob.len(), 0), Ok(good_exports()));
    // usize::MAX: as far as the header says
    assert_eq!(check(&e, usize::MAX, 0), Ok(good_exports()));
    // bytes past the blob are not read
    let mut longer = VECTOR.to_vec();
    longer.extend_from_slice(&[0xff; 40]);
    let e = entry(longer.as_ptr(), good_exports());
    assert_eq!(check(&e, longer.len(), 0), Ok(good_exports()));
}

#[test]
fn hostile_descriptors_are_refused() {
    let e = entry(ptr::null(), good_exports());
    let err = check(&e, usize::MAX, 0).unwrap_err();
    assert_eq!(err.reason(), LoadReason::BadDescriptor);
    assert_eq!(err.status(), Status::FAILED);
    assert_eq!(err.library(), Path::new("(entry)"));
    assert_eq!(err.module(), b"demo");
    assert_eq!(err.detail(), b"truncated");
    assert!(err.problems().is_empty() && !err.more());
    assert_eq!(
        text(&err),
        "cannot load '(entry)' as module demo: the library's descriptor is invalid: truncated\n"
    );
    assert_eq!(std::format!("{err}"), text(&err));

    // cut short, at every length, and within a limit shorter than the blob
    let blob = VECTOR;
    for n in 0..blob.len() {
        let e = entry(blob.as_ptr(), good_exports());
        let err = check(&e, n, 0).unwrap_err();
        assert_eq!(err.reason(), LoadReason::BadDescriptor, "limit {n}");
    }
    let e = entry(blob[..100].as_ptr(), good_exports());
    assert_eq!(check(&e, 100, 0).unwrap_err().detail(), b"truncated");

    let mut bad = VECTOR;
    bad[0] ^= 0xff;
    let e = entry(bad.as_ptr(), good_exports());
    let err = check(&e, bad.len(), 0).unwrap_err();
    assert_eq!(err.detail(), b"not a chitin descriptor");
    // the header says far more than there is: never read past the limit
    let mut bad = VECTOR;
    bad[11] = 0x7f;
    let e = entry(bad.as_ptr(), good_exports());
    assert_eq!(check(&e, bad.len(), 0).unwrap_err().detail(), b"truncated");
}

#[test]
fn the_hosts_descriptor_is_checked_first() {
    let e = entry(ptr::null(), ptr::null());
    // SAFETY: a null descriptor.
    let err = unsafe { module_check(&e, 0, b"nope", 0) }.unwrap_err();
    assert_eq!(err.reason(), LoadReason::BadHostDescriptor);
    assert_eq!(err.module(), b"");
    assert_eq!(
        text(&err),
        "cannot load '(entry)' as module ?: the host's own descriptor is invalid: not a chitin descriptor\n"
    );
    // SAFETY: as above.
    let err = unsafe { module_check(&e, 0, &VECTOR[..200], 0) }.unwrap_err();
    assert_eq!(err.detail(), b"truncated");
}

#[test]
fn exports_tables_are_checked() {
    let blob = VECTOR;
    let refused = |exports: *const c_void| -> LoadError {
        let e = entry(blob.as_ptr(), exports);
        let err = check(&e, blob.len(), 0).unwrap_err();
        assert_eq!(err.reason(), LoadReason::BadExports);
        err
    };
    assert_eq!(
        refused(ptr::null()).detail(),
        b"the entry has no exports table"
    );
    let misaligned = (&GOOD as *const Table as *const u8).wrapping_add(1) as *const c_void;
    assert_eq!(
        refused(misaligned).detail(),
        b"the exports table is misaligned or not in the library's memory"
    );
    assert_eq!(
        text(&refused(&SHORT as *const Table as *const c_void)),
        std::format!(
            "cannot load '(entry)' as module demo: the library's exports table does not match its \
             descriptor: the table is 8 bytes, its 1 exports need {}\n",
            8 + core::mem::size_of::<fn()>()
        )
    );
    // memory of no loaded object: the heap, and an address near zero
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd"))]
    {
        let heap = Box::new(Table {
            size: 16,
            reserved: 0,
            functions: [0, 0],
        });
        let at = &*heap as *const Table as *const c_void;
        assert_eq!(
            refused(at).detail(),
            b"the exports table is misaligned or not in the library's memory"
        );
        assert_eq!(
            refused(0x10 as *const c_void).detail(),
            b"the exports table is misaligned or not in the library's memory"
        );
    }
    #[cfg(not(any(target_os = "linux", target_os = "android", target_os = "freebsd")))]
    let _ = Box::new(0);
}

#[test]
fn incompatible_entries_list_their_problems() {
    let blob = VECTOR;
    let e = entry(blob.as_ptr(), good_exports());
    let err = check(&e, blob.len(), 1).unwrap_err();
    assert_eq!(err.reason(), LoadReason::Incompatible);
    assert_eq!(err.problems().len(), 1);
    assert!(!err.more());
    assert_eq!(
        text(&err),
        "cannot load '(entry)' as module demo: the library is not compatible with the host\n  \
         module 'demo': the host requires version 1.1 or later, the plugin is 1.0\n"
    );
}

/// A small deterministic generator for the changed copies.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn changed_copies_never_panic() {
    let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
    let mut accepted = 0;
    for _ in 0..5000 {
        let mut blob = VECTOR;
        for _ in 0..=(rng.next() % 3) {
            let at = (rng.next() % blob.len() as u64) as usize;
            blob[at] = rng.next() as u8;
        }
        let limit = if rng.next() % 4 == 0 {
            (rng.next() % blob.len() as u64) as usize
        } else {
            blob.len()
        };
        let e = entry(blob.as_ptr(), good_exports());
        match check(&e, limit, 0) {
            Ok(_) => accepted += 1,
            Err(err) => {
                assert_ne!(err.reason(), LoadReason::Ok);
                assert!(!err.to_bytes().is_empty());
            }
        }
        // the changed copy as the host's, too
        let e = entry(VECTOR.as_ptr(), good_exports());
        // SAFETY: the descriptor is the vector, whole.
        let _ = unsafe { module_check(&e, VECTOR.len(), &blob, 0) };
    }
    assert!(accepted > 0);
}

#[test]
fn registered_modules_load_by_name() {
    // (a Rust static cannot hold raw pointers; a C entry, declared in an
    // extern block, or a leaked one can)
    let entry: &'static Module = Box::leak(Box::new(entry(BLOB.as_ptr(), good_exports())));
    // (these tests register nothing else, so their order does not matter)
    let err = load_registered("demo", &VECTOR, 0).unwrap_err();
    assert_eq!(
        text(&err),
        "cannot load 'demo' as module demo: no library registered the module\n"
    );
    // SAFETY: the entry points at this program's static blob and table.
    unsafe {
        assert_eq!(register("", entry), Err(Status::INVALID_ARG));
        assert_eq!(register("demo", entry), Ok(()));
        assert_eq!(register("demo", entry), Ok(()));
    }
    let err = load_registered("other", &VECTOR, 0).unwrap_err();
    assert_eq!(err.reason(), LoadReason::InvalidArg);
    assert_eq!(err.status(), Status::INVALID_ARG);
    assert_eq!(
        text(&err),
        "cannot load 'other' as module demo: invalid arguments: the host's descriptor is of another module\n"
    );
    let err = load_registered("demo", &VECTOR, 1).unwrap_err();
    assert_eq!(err.reason(), LoadReason::Incompatible);
    // the blob is in this program's data, which the system sees (or,
    // where it does not say, read as its header says)
    let plugin = load_registered("demo", &VECTOR, 0).unwrap();
    assert_eq!(plugin.module(), b"demo");
    assert_eq!(plugin.path(), Path::new("demo"));
    assert_eq!((plugin.major(), plugin.minor()), (1, 0));
    assert_eq!(plugin.exports(), good_exports());
    assert_eq!(plugin.descriptor(), &VECTOR[..]);
    assert_eq!(load_registered("demo", &VECTOR, 0).unwrap(), plugin);
}

#[cfg(any(target_os = "linux", target_os = "freebsd"))]
#[test]
fn paths_that_do_not_open() {
    use super::load;
    // SAFETY: nothing opens.
    let err = unsafe { load("/nonexistent/chitin/plugin.so", &VECTOR, 0) }.unwrap_err();
    assert_eq!(err.reason(), LoadReason::Open);
    let t = text(&err);
    assert!(
        t.starts_with(
            "cannot load '/nonexistent/chitin/plugin.so' as module demo: cannot open the library: "
        ),
        "{}",
        t
    );
    assert!(!err.detail().is_empty() && t.ends_with('\n') && t.lines().count() == 1);
    // the system's message is cut as libchitin cuts it
    let long = std::format!("/nonexistent/{}/plugin.so", "d".repeat(600));
    // SAFETY: nothing opens.
    let err = unsafe { load(&long, &VECTOR, 0) }.unwrap_err();
    assert_eq!(err.detail().len(), DETAIL - 1);
    assert!(text(&err).starts_with(&std::format!("cannot load '{long}' as module demo: ")));
    // SAFETY: nothing opens.
    let err = unsafe { load("/nonexistent\0/plugin.so", &VECTOR, 0) }.unwrap_err();
    assert_eq!(err.reason(), LoadReason::InvalidArg);
    // the host's descriptor is read before anything is opened
    // SAFETY: nothing opens.
    let err = unsafe { load("/nonexistent/plugin.so", b"CHTN", 0) }.unwrap_err();
    assert_eq!(err.reason(), LoadReason::BadHostDescriptor);
}
