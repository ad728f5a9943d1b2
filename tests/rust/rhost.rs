// The host of tests/run-loader.sh in Rust, on the module chitin gen --rust
// writes for tests/cgen/loader/lm.idl (lm.rs, beside this file): it
// loads the plugin named on the command line with lm::Plugin::load,
// requiring the minor version given, and calls every export and method
// through the generated, checked calls; or prints the loader's report
// and exits 3.  It prints `total` and `sum` as the C host does, so the
// script can hold the two to each other.  Like the C host it exports a
// function named like the plugin's make_point.
#![deny(unsafe_op_in_unsafe_fn)]

use std::ffi::c_void;
use std::process::exit;
use std::sync::atomic::{AtomicU32, Ordering};

#[allow(dead_code)]
mod lm;

fn threadsafe<T: Send + Sync>(_: &T) {}

static RELEASES: AtomicU32 = AtomicU32::new(0);

unsafe extern "C" fn scale_call(ctx: *mut c_void, value: u32, ret: *mut u32) -> chitin::Status {
    // SAFETY: the context is the factor, and ret the caller's storage.
    unsafe { ret.write(value * *ctx.cast::<u32>()) };
    chitin::Status::OK
}

unsafe extern "C" fn scale_release(_: *mut c_void) {
    RELEASES.fetch_add(1, Ordering::SeqCst);
}

/// The host's own lm_make_point, exported (the host is linked with
/// -rdynamic): never the one the plugin's table gives.
#[no_mangle]
pub extern "C" fn lm_make_point(_x: i32, _y: i32, ret: *mut lm::Point) -> chitin::Status {
    if !ret.is_null() {
        // SAFETY: a caller passes storage for a point.
        unsafe { ret.write(lm::Point { x: -1, y: -1 }) };
    }
    chitin::Status::FAILED
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: rhost PLUGIN REQUIRED_MINOR");
        exit(2);
    }
    let minor: u16 = args[2].parse().expect("a minor version");
    lm::check_layout();
    let mut failures = 0;
    let mut expect = |ok: bool, what: &str| {
        println!("{} {}", if ok { "ok" } else { "FAIL" }, what);
        if !ok {
            failures += 1;
        }
    };
    {
        // the callback's checked call, with its context; one release
        let mut factor = 3u32;
        let mut scale = lm::Scale {
            call: Some(scale_call),
            ctx: (&mut factor as *mut u32).cast(),
            release: Some(scale_release),
        };
        expect(scale.call(5) == Ok(15), "lm::Scale::call");
        // SAFETY: the callback is ours, released once.
        unsafe { chitin::Abi::release_in_place(&mut scale) };
        // SAFETY: and again: release_in_place took its release.
        unsafe { chitin::Abi::release_in_place(&mut scale) };
        expect(
            RELEASES.load(Ordering::SeqCst) == 1 && scale.release.is_none(),
            "releasing a callback in place releases it once",
        );
        scale.call = None;
        expect(
            scale.call(5) == Err(chitin::Status::INVALID_ARG),
            "a null call is refused",
        );
    }
    // SAFETY: the script's plugins are built to be loaded.
    let plugin = match unsafe { lm::Plugin::load(&args[1], minor) } {
        Ok(p) => p,
        Err(e) => {
            print!("{}", e);
            exit(3);
        }
    };
    expect(
        plugin.record().map(|r| r.exports()) == Some(plugin.table().cast()),
        "the plugin's record holds its exports",
    );
    let p = plugin.make_point(3, 4);
    expect(
        matches!(p, Ok(lm::Point { x: 3, y: 4 })),
        "make_point is the plugin's, not the host's",
    );
    let counter = match plugin.new_counter() {
        Ok(c) => c,
        Err(e) => {
            println!("FAIL new_counter: {}", e);
            exit(1);
        }
    };
    threadsafe(&counter);
    expect(counter.add(2) == Ok(2), "add 2");
    expect(counter.add(5) == Ok(7), "add 5");
    match counter.total() {
        Ok(n) => println!("total {}", n),
        Err(s) => println!("total {}", s.text()),
    }
    let point = p.unwrap_or(lm::Point { x: 0, y: 0 });
    match plugin.sum(point) {
        Ok(n) => println!("sum {}", n),
        Err(s) => println!("sum {}", s.text()),
    }
    let other = counter.clone();
    expect(
        counter.same_object(&other),
        "a clone is the same object (query(object))",
    );
    expect(
        counter.query::<lm::Meter>().is_none(),
        "the counter is no meter",
    );
    drop(other);
    expect(
        counter.add(1) == Ok(8),
        "the object lives while a reference does",
    );
    drop(counter);
    exit(if failures == 0 { 0 } else { 1 });
}
