// The Rust host of tests/run-rust-calls.sh, on the module chitin gen
// --rust writes for tests/rust/calls.idl (rc.rs, beside this file): it
// loads the C plugin named on the command line and hands it callbacks
// made of Rust closures, borrowed and owned, counting how often each
// closure runs and is dropped; it calls and releases callbacks the
// plugin makes; it passes and gets back options and results in their
// Rust forms; and it has the plugin call its closures with arguments
// the ABI does not allow, which the generated thunks refuse without
// running the closure; and the plugin answers with values the ABI does
// not allow, which the generated methods refuse, still releasing what
// they own once.  One line a check, `ok` or `FAIL`; exit 1 on a
// failure.
#![deny(unsafe_op_in_unsafe_fn)]

use std::process::exit;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

#[allow(dead_code)]
mod rc;

use chitin::Status;

/// Counts its drops: moved into a closure, it says when the closure was
/// dropped.
struct Drops(Arc<AtomicU32>);

impl Drop for Drops {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// Whether r is the refusal of a value the ABI does not allow.
fn refused<T>(r: Result<T, Status>) -> bool {
    matches!(r, Err(s) if s == Status::INVALID_ARG)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 2 {
        eprintln!("usage: rcalls PLUGIN");
        exit(2);
    }
    rc::check_layout();
    let mut failures = 0;
    let mut expect = |ok: bool, what: &str| {
        println!("{} {}", if ok { "ok" } else { "FAIL" }, what);
        if !ok {
            failures += 1;
        }
    };
    // SAFETY: the script's plugin is built to be loaded.
    let plugin = match unsafe { rc::Plugin::load(&args[1], 0) } {
        Ok(p) => p,
        Err(e) => {
            print!("{}", e);
            exit(3);
        }
    };

    // a borrowed closure, called by C while the call lasts, with state
    let mut names = Vec::new();
    let mut visit = |p: rc::Point, name: &str, last: bool| -> Result<i32, Status> {
        names.push(format!("{}{}", name, if last { "!" } else { "" }));
        Ok(p.x * 10 + p.y)
    };
    let sum = plugin.walk(rc::Visit::borrowed(&mut visit), 4);
    expect(sum == Ok(9 * 6), "walk sums what the borrowed closure gave");
    expect(
        names == ["p0", "p1", "p2", "p3!"],
        "the closure saw every name and the last flag",
    );

    // a closure's error is the status of the call that called it
    let mut calls = 0;
    let mut stop = |p: rc::Point, _: &str, _: bool| {
        calls += 1;
        if p.x == 2 {
            Err(Status::FAILED)
        } else {
            Ok(0)
        }
    };
    expect(
        plugin.walk(rc::Visit::borrowed(&mut stop), 9) == Err(Status::FAILED) && calls == 3,
        "the closure's error stops the walk and is its status",
    );

    // an owned closure, kept by C, called later, dropped exactly once
    let dropped = Arc::new(AtomicU32::new(0));
    let seen = Arc::new(AtomicU32::new(0));
    let (d, s) = (Drops(dropped.clone()), seen.clone());
    let note = rc::Note::new(move |v: u32| {
        let _ = &d;
        s.fetch_add(v, Ordering::SeqCst);
        Ok(())
    });
    expect(plugin.keep(note) == Ok(()), "keep takes an owned closure");
    expect(
        plugin.fire(5) == Ok(()) && plugin.fire(7) == Ok(()),
        "fire calls the kept closure",
    );
    expect(
        seen.load(Ordering::SeqCst) == 12 && dropped.load(Ordering::SeqCst) == 0,
        "the kept closure ran twice and lives",
    );
    let dropped2 = Arc::new(AtomicU32::new(0));
    let d2 = Drops(dropped2.clone());
    let second = rc::Note::new(move |_| {
        let _ = &d2;
        Ok(())
    });
    expect(
        plugin.keep(second) == Ok(()) && dropped.load(Ordering::SeqCst) == 1,
        "keeping another releases the first closure, once",
    );
    expect(
        plugin.forget() == Ok(()) && dropped2.load(Ordering::SeqCst) == 1,
        "forget releases the second, once",
    );
    expect(
        plugin.fire(1) == Err(Status::UNAVAILABLE) && dropped.load(Ordering::SeqCst) == 1,
        "nothing is kept, and nothing released twice",
    );

    // an owned callback that is never passed: dropping it releases it
    let dropped3 = Arc::new(AtomicU32::new(0));
    let d3 = Drops(dropped3.clone());
    let unused = rc::Note::new(move |_| {
        let _ = &d3;
        Ok(())
    });
    expect(unused.call(3) == Ok(()), "Rust calls its own callback");
    drop(unused);
    expect(
        dropped3.load(Ordering::SeqCst) == 1,
        "a callback dropped unpassed is released",
    );

    // callbacks C makes: called by Rust, released once when dropped
    match plugin.adder(5) {
        Ok(adder) => {
            expect(adder.call(10) == Ok(15), "a C callback called from Rust");
            let before = plugin.adders_released();
            drop(adder);
            expect(
                before == Ok(0) && plugin.adders_released() == Ok(1),
                "dropping it releases it once",
            );
        }
        Err(e) => expect(false, &format!("adder: {}", e)),
    }
    let some = plugin.maybe_adder(true);
    let none = plugin.maybe_adder(false);
    expect(
        matches!(&some, Ok(Some(a)) if a.call(1) == Ok(101)) && matches!(none, Ok(None)),
        "option<Adder> is an Option of a callback",
    );
    drop(some);
    expect(
        plugin.adders_released() == Ok(2),
        "the optional adder is released once",
    );

    // options and results, both ways, and through a closure
    expect(plugin.half(Some(8)) == Ok(Some(4)), "half(Some(8))");
    expect(plugin.half(Some(7)) == Ok(None), "half(Some(7))");
    expect(plugin.half(None) == Ok(None), "half(None)");
    expect(plugin.next(Ok(21)) == Ok(Ok(42)), "next(Ok(21))");
    expect(
        plugin.next(Err(rc::Color::Red)) == Ok(Err(rc::Color::Green)),
        "next(Err(Red))",
    );
    let mut check =
        |v: Option<u32>, words: &[u32]| -> Result<(Result<u32, rc::Color>, u32), Status> {
            let total: u32 = words.iter().sum();
            Ok((
                v.map_or(Err(rc::Color::Blue), |v| Ok(v + total)),
                words.len() as u32,
            ))
        };
    expect(
        plugin.check(rc::Check::borrowed(&mut check), Some(10)) == Ok((Ok(16), 3)),
        "a closure's option in, result and [out] value back",
    );
    expect(
        plugin.check(rc::Check::borrowed(&mut check), None) == Ok((Err(rc::Color::Blue), 3)),
        "its error arm",
    );

    // arguments the ABI does not allow: refused before the closure runs
    let ran = AtomicU32::new(0);
    let mut guarded = |_: Option<u32>, _: &[u32]| {
        ran.fetch_add(1, Ordering::SeqCst);
        Ok((Ok(0), 0))
    };
    for (which, what) in [
        (0, "a null slice with length 5"),
        (1, "a misaligned slice"),
        (2, "a slice longer than memory"),
        (3, "an option whose tag is 7"),
    ] {
        let status = plugin.hostile_check(rc::Check::borrowed(&mut guarded), which);
        expect(
            status == Ok(Status::INVALID_ARG.code()),
            &format!("{} is INVALID_ARG", what),
        );
    }
    expect(
        ran.load(Ordering::SeqCst) == 0,
        "the closure never saw them",
    );
    let mut visited = 0;
    let mut strict = |_: rc::Point, _: &str, _: bool| {
        visited += 1;
        Ok(0)
    };
    for (which, what) in [
        (0, "a bool that is 7"),
        (1, "a null str with length 5"),
        (2, "a str that is not UTF-8"),
        (3, "null result storage"),
        (4, "misaligned result storage"),
    ] {
        let status = plugin.hostile_visit(rc::Visit::borrowed(&mut strict), which);
        expect(
            status == Ok(Status::INVALID_ARG.code()),
            &format!("{} is INVALID_ARG", what),
        );
    }
    expect(visited == 0, "the visitor never saw them");

    // answers the ABI does not allow, from the plugin: refused, and what
    // they own still released once
    expect(plugin.bad_bool(0) == Ok(true), "a bool answer");
    expect(
        refused(plugin.bad_bool(1)),
        "a bool answer of 7 is INVALID_ARG",
    );
    expect(plugin.bad_option(0) == Ok(Some(5)), "an option answer");
    expect(
        refused(plugin.bad_option(1)),
        "an option tag of 5 is INVALID_ARG",
    );
    expect(
        plugin.bad_option(2) == Ok(None),
        "a none with garbage in its value is none",
    );
    expect(
        plugin.bad_option_bool(0) == Ok(Some(true)),
        "an option<bool> answer",
    );
    expect(
        refused(plugin.bad_option_bool(1)),
        "an option<bool> of 9 is INVALID_ARG",
    );
    expect(plugin.bad_result(0) == Ok(Ok(3)), "a result answer");
    expect(
        plugin.bad_result(1).is_err(),
        "a result tag of 7 is refused",
    );
    let good = plugin.bad_string(0);
    expect(
        matches!(&good, Ok(s) if s.as_str() == Ok("ok")),
        "a string answer",
    );
    for (which, what) in [
        (1, "a null string with length 5"),
        (2, "a string not UTF-8"),
    ] {
        let s = plugin.bad_string(which);
        expect(
            matches!(&s, Ok(s) if s.as_str() == Err(Status::INVALID_ARG)),
            &format!("{} reads as INVALID_ARG", what),
        );
    }
    drop(good);
    expect(
        plugin.bad_released() == Ok(3),
        "each string is released once, the bad ones too",
    );
    let good = plugin.bad_vec(0);
    expect(
        matches!(&good, Ok(v) if v.as_slice() == Ok(&[1u32, 2][..])),
        "a vec answer",
    );
    for (which, what) in [(1, "a misaligned vec"), (2, "a null vec with length 3")] {
        let v = plugin.bad_vec(which);
        expect(
            matches!(&v, Ok(v) if v.as_slice().is_err()),
            &format!("{} reads as INVALID_ARG", what),
        );
    }
    drop(good);
    expect(
        plugin.bad_released() == Ok(6),
        "each vec is released once, the bad ones too",
    );
    let dot = plugin.bad_shape(0);
    expect(
        matches!(dot.as_ref().map(|s| s.view()), Ok(rc::ShapeView::Dot(d)) if d.size == 4),
        "a data enum answer",
    );
    let unknown = plugin.bad_shape(1);
    expect(
        matches!(
            unknown.as_ref().map(|s| s.view()),
            Ok(rc::ShapeView::Unknown(9))
        ),
        "a tag no variant has is Unknown",
    );
    match plugin.bad_counter(0) {
        Ok(c) => {
            let c2 = c.clone();
            expect(
                c.add(1) == Ok(2) && plugin.counter_refs() == Ok(2),
                "a counter answer, cloned",
            );
            drop(c);
            drop(c2);
            expect(
                plugin.counter_refs() == Ok(0),
                "each reference released once",
            );
        }
        Err(_) => expect(false, "a counter answer"),
    }
    for (which, status, what) in [
        (
            1,
            Status::INVALID_ARG,
            "a vtable smaller than its header is INVALID_ARG",
        ),
        (
            2,
            Status::UNAVAILABLE,
            "a vtable of null slots is UNAVAILABLE",
        ),
    ] {
        match plugin.bad_counter(which) {
            Ok(c) => {
                let c2 = c.clone();
                expect(
                    c.add(1) == Err(status) && c.query::<chitin::Object>().is_none(),
                    &format!("{}, and query gives none", what),
                );
                drop(c2);
            }
            Err(_) => expect(false, what),
        }
    }
    expect(
        plugin.bad_counter(3).is_err(),
        "a null interface answer is refused",
    );

    // a panic stays on the Rust side: PANIC to C, and the host lives
    std::panic::set_hook(Box::new(|_| {}));
    let dropped4 = Arc::new(AtomicU32::new(0));
    let d4 = Drops(dropped4.clone());
    let panics = rc::Visit::new(move |_, _, _| -> Result<i32, Status> {
        let _ = &d4;
        panic!("a closure that panics")
    });
    expect(
        plugin.status_of(panics) == Ok(Status::PANIC.code()),
        "a closure's panic is PANIC to its caller",
    );
    expect(
        dropped4.load(Ordering::SeqCst) == 1,
        "and the callee released it, once",
    );
    let _ = std::panic::take_hook();
    exit(if failures == 0 { 0 } else { 1 });
}
