//! The host of tests/run-kinds.sh written in Rust: built against module ku
//! 1.1, or 1.0 with `--cfg ku_1_0`, on the module chitin gen --rust
//! writes, it loads the plugin named on the command line with
//! `ku::Plugin::load` and makes every check tests/cgen/kinds/host.c
//! makes, through the generated methods, with the same values: so a C
//! plugin and a Rust one (kplugin.rs) are each held to what the other
//! side of every pairing expects. The second argument is the plugin's
//! minor version. Prints one "ok" or "FAIL" line per check; exits 1 when
//! a check failed, 3 when the load was refused.

#![deny(unsafe_op_in_unsafe_fn)]

use std::cell::Cell;
use std::mem::MaybeUninit;
use std::sync::atomic::{AtomicI32, Ordering};

#[allow(dead_code)]
mod ku;
#[allow(dead_code)]
mod own;

use chitin::raw::{RawOption, RawResult, RawString, RawVec};
use chitin::{Abi, Callback, Ref, Status};
use ku::{
    Color, Config, ConfigFields, Counts, Inner, Named, Number, Outer, Record, Scalars, Shape,
    ShapeCircle, ShapeLabel, Shaper, Store, Visit,
};

const HOST_1_1: bool = cfg!(not(ku_1_0));

std::thread_local! {
    static FAILURES: Cell<u32> = Cell::new(0);
}

fn expect(ok: bool, what: &str) {
    println!("{} {}", if ok { "ok" } else { "FAIL" }, what);
    if !ok {
        FAILURES.with(|f| f.set(f.get() + 1));
    }
}

/// ok when field is None; otherwise a failure that names the field.
fn expect_fields(field: Option<&str>, what: &str) {
    match field {
        Some(f) => {
            println!("FAIL {}: field {} differs", what, f);
            FAILURES.with(|n| n.set(n.get() + 1));
        }
        None => println!("ok {}", what),
    }
}

fn text(s: &RawString) -> &[u8] {
    if s.len == 0 {
        return &[];
    }
    // SAFETY: a string one of the sides made, len bytes at ptr.
    unsafe { std::slice::from_raw_parts(s.ptr, s.len) }
}

fn elems<T>(v: &RawVec<T>) -> &[T] {
    if v.len == 0 {
        return &[];
    }
    // SAFETY: as text.
    unsafe { std::slice::from_raw_parts(v.ptr, v.len) }
}

fn string(s: &[u8]) -> chitin::String {
    // SAFETY: made by own, given up here.
    unsafe { chitin::String::from_raw(own::string(s)) }
}

// ---- what each side made and released ------------------------------------

struct Marks {
    host: Counts,
    plugin: Counts,
}

fn zero() -> Counts {
    Counts {
        made: 0,
        released: 0,
        bad: 0,
        alive: 0,
    }
}

fn plugin_counts(store: &Store) -> Counts {
    store.counts().unwrap_or_else(|_| {
        expect(false, "counts()");
        zero()
    })
}

fn mark(store: &Store) -> Marks {
    Marks {
        host: own::counts(),
        plugin: plugin_counts(store),
    }
}

/// Since m: `host` values the host made and `plugin` values the plugin
/// made were released, each by its maker's function, and nothing else
/// was, nor released wrongly; every value made since is released too.
fn expect_released(store: &Store, m: &Marks, what: &str, host: u32, plugin: u32) {
    let (h, p) = (own::counts(), plugin_counts(store));
    expect(
        h.released - m.host.released == host
            && p.released - m.plugin.released == plugin
            && h.made - h.released == m.host.made - m.host.released
            && p.made - p.released == m.plugin.made - m.plugin.released
            && h.bad == m.host.bad
            && p.bad == m.plugin.bad,
        &format!(
            "{}: {} host and {} plugin values released once, by their maker",
            what, host, plugin
        ),
    );
}

// ---- the host's own object: a Named ----------------------------------------

struct HostNamed;

impl ku::NamedImpl for HostNamed {
    fn name(&self) -> Result<chitin::String, Status> {
        Ok(string(b"host"))
    }
}

impl Drop for HostNamed {
    fn drop(&mut self) {
        own::object_gone();
    }
}

chitin::implement!(HostNamed: Named);

fn host_named() -> Ref<Named> {
    own::object_made();
    Ref::new(HostNamed)
}

// ---- the host's visitors ---------------------------------------------------

struct HostVisitor {
    calls: AtomicI32,
    releases: AtomicI32,
}

impl HostVisitor {
    const fn new() -> HostVisitor {
        HostVisitor {
            calls: AtomicI32::new(0),
            releases: AtomicI32::new(0),
        }
    }

    fn calls(&self) -> i32 {
        self.calls.load(Ordering::SeqCst)
    }

    fn releases(&self) -> i32 {
        self.releases.load(Ordering::SeqCst)
    }
}

/// index * 10 + the text's length
unsafe extern "C" fn host_visit(
    ctx: *mut core::ffi::c_void,
    index: u32,
    text: chitin::raw::RawStr,
    ret: *mut i64,
) -> Status {
    // SAFETY: ctx is a static HostVisitor; ret is the caller's storage.
    unsafe {
        (*ctx.cast::<HostVisitor>())
            .calls
            .fetch_add(1, Ordering::SeqCst);
        ret.write(i64::from(index) * 10 + text.len as i64);
    }
    Status::OK
}

unsafe extern "C" fn host_visitor_release(ctx: *mut core::ffi::c_void) {
    // SAFETY: as host_visit.
    unsafe {
        (*ctx.cast::<HostVisitor>())
            .releases
            .fetch_add(1, Ordering::SeqCst)
    };
}

fn raw_visitor(v: &'static HostVisitor, owned: bool) -> Visit {
    Visit {
        call: Some(host_visit),
        ctx: v as *const HostVisitor as *mut core::ffi::c_void,
        release: if owned {
            Some(host_visitor_release)
        } else {
            None
        },
    }
}

fn visitor_of(v: &'static HostVisitor, owned: bool) -> Callback<'static, Visit> {
    // SAFETY: the visitor is a static; owned ones count their release.
    unsafe { Callback::from_raw(raw_visitor(v, owned)) }
}

// ---- values ------------------------------------------------------------------

fn id(bytes: [u8; 16]) -> chitin::TypeId {
    chitin::TypeId::from_bytes(bytes)
}

/// The scalars the host sends (host.c's sample), and each field as the
/// plugin's twice changes it: every byte of each is different from the
/// others; usize and isize are their 64-bit values cut to the target's.
fn sample() -> Scalars {
    Scalars {
        flag: chitin::Bool::new(false),
        s8: -0x3c,
        s16: -0x1234,
        s32: -0x1234_5678,
        s64: -0x1234_5678_9abc_def0,
        b8: 0xa7,
        b16: 0xc1d2,
        b32: 0xe1f2_0314,
        b64: 0x0123_4567_89ab_cdef,
        r32: -3.1415,
        r64: -1234.5678,
        size: 0x0f1e_2d3c_4b5a_6978_u64 as usize,
        diff: -(0x0f1e_2d3c_4b5a_6978_u64 as usize as isize),
        id: id([
            0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd,
            0xee, 0xff,
        ]),
    }
}

fn sample_twice() -> Scalars {
    Scalars {
        flag: chitin::Bool::new(true),
        s8: -0x78,
        s16: -0x2468,
        s32: -0x2468_acf0,
        s64: -0x2468_acf1_3579_bde0,
        b8: 0x4e,
        b16: 0x83a4,
        b32: 0xc3e4_0628,
        b64: 0x0246_8acf_1357_9bde,
        r32: -6.283,
        r64: -2469.1356,
        size: 0x1e3c_5a78_96b4_d2f0_u64 as usize,
        diff: -(0x1e3c_5a78_96b4_d2f0_u64 as usize as isize),
        id: id([
            0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22,
            0x11, 0x00,
        ]),
    }
}

/// The first field in which a and b differ, or None.
fn scalars_diff(a: &Scalars, b: &Scalars) -> Option<&'static str> {
    macro_rules! diff {
        ($($f:ident),*) => {
            $(if a.$f != b.$f {
                return Some(stringify!($f));
            })*
        };
    }
    if a.flag.0 != b.flag.0 {
        return Some("flag");
    }
    diff!(s8, s16, s32, s64, b8, b16, b32, b64, r32, r64, size, diff, id);
    None
}

fn sample_outer() -> Outer {
    Outer {
        inner: Inner {
            a: 0x1b2c,
            bytes: [1, 2, 3, 4],
        },
        pair: [
            Inner {
                a: -0x2d3e,
                bytes: [0xf0, 0xf1, 0xf2, 0xf3],
            },
            Inner {
                a: 0x3e4f,
                bytes: [0xf0, 0xf1, 0xf2, 0xf3],
            },
        ],
        grid: [[1.26, 2.51, 3.76], [-4.49, 5.51, 6.76]],
        color: Color::Blue,
        number: Number { whole: 0x1a2b_3c4d },
        scalars: sample(),
    }
}

fn transformed_outer() -> Outer {
    let mut o = sample_outer();
    o.inner.a = 0x1b2d;
    o.inner.bytes = [2, 3, 4, 5];
    o.pair[0].a = -0x5a7c;
    o.pair[1].a = 0x7c9e;
    o.grid = [[-1.26, -2.51, -3.76], [4.49, -5.51, -6.76]];
    o.color = Color::Red;
    o.number = Number {
        whole: !0x1a2b_3c4d,
    };
    o.scalars = sample_twice();
    o
}

fn outer_diff(a: &Outer, b: &Outer) -> Option<&'static str> {
    if a.inner.a != b.inner.a {
        return Some("inner.a");
    }
    if a.inner.bytes != b.inner.bytes {
        return Some("inner.bytes");
    }
    for i in 0..2 {
        if a.pair[i].a != b.pair[i].a || a.pair[i].bytes != b.pair[i].bytes {
            return Some("pair");
        }
    }
    if a.grid != b.grid {
        return Some("grid");
    }
    if a.color != b.color {
        return Some("color");
    }
    // SAFETY: every field of the union is an integer or bytes.
    if unsafe { a.number.whole != b.number.whole } {
        return Some("number.whole");
    }
    scalars_diff(&a.scalars, &b.scalars).map(|_| "scalars")
}

// ---- the checks, one group of methods each ---------------------------------

fn identity_of(obj: &chitin::Object) -> Option<Ref<chitin::Object>> {
    let p = obj as *const chitin::Object as *mut chitin::Object;
    // SAFETY: a live object.
    let found = unsafe { chitin::Object::query(p, &chitin::OBJECT_IID) }.ok()?;
    // SAFETY: query gives an owned reference.
    unsafe { Ref::from_raw(found) }
}

fn as_object<I: chitin::Interface>(r: &Ref<I>) -> &chitin::Object {
    // SAFETY: an object as any interface is an object.
    unsafe { &*r.as_ptr().cast::<chitin::Object>() }
}

/// Several interfaces on one object: every part answers every interface
/// and the same identity; the upcast is the same part.
fn check_parts(store: &Ref<Store>, shaper: &Ref<Shaper>, host: &Ref<Named>) {
    let id = identity_of(as_object(store));
    let id_shaper = identity_of(as_object(shaper));
    let named_part: &Named = shaper;
    let id_named = identity_of(named_part);
    let named = store.query::<Named>();
    let store_again = shaper.query::<Store>();
    let p = |o: &Option<Ref<chitin::Object>>| o.as_ref().map(|r| r.as_ptr());
    expect(
        id.is_some() && p(&id) == p(&id_shaper) && p(&id) == p(&id_named),
        "query(object) is the same from every part",
    );
    expect(
        p(&id) == Some(shaper.as_ptr().cast()),
        "the identity is the first row's part, Shaper",
    );
    expect(
        shaper.as_ptr().cast::<u8>() != store.as_ptr().cast::<u8>(),
        "Shaper and Store are different parts",
    );
    expect(
        (named_part as *const Named).cast::<u8>() == shaper.as_ptr().cast::<u8>(),
        "Shaper derefs to Named, the Shaper part",
    );
    expect(
        named.as_ref().map(|n| n.as_ptr().cast::<u8>()) == Some(shaper.as_ptr().cast::<u8>()),
        "query(Named) from Store gives the Shaper part",
    );
    expect(
        store_again.as_ref().map(|s| s.as_ptr()) == Some(store.as_ptr()),
        "query(Store) from Shaper gives the Store part",
    );
    let unknown = id_of_unknown();
    // SAFETY: a live object.
    let none = unsafe { chitin::Object::query(store.as_ptr().cast(), &unknown) };
    expect(
        none == Ok(core::ptr::null_mut()),
        "query of an interface the object lacks is NULL",
    );
    let from_method = store.identity();
    expect(
        from_method.as_ref().ok().map(|r| r.as_ptr()) == p(&id),
        "identity() answers query(object), owned",
    );
    expect(
        store.same(as_object(store), as_object(shaper)) == Ok(true),
        "same(Store part, Shaper part)",
    );
    expect(
        store.same(as_object(store), as_object(host)) == Ok(false),
        "same(the plugin's object, the host's) is false",
    );
    let given = store.named(true);
    expect(
        matches!(&given, Ok(Some(g)) if g.as_ptr().cast::<u8>() == shaper.as_ptr().cast::<u8>()),
        "named(true): option<Named> some, the Shaper part",
    );
    expect(
        matches!(store.named(false), Ok(None)),
        "named(false): option<Named> none is NULL",
    );
    let name_is = |r: Result<chitin::String, Status>| {
        r.map(|s| s.as_str() == Ok("thing one")).unwrap_or(false)
    };
    expect(
        name_is(named_part.name()),
        "Named.name through Shaper's Named",
    );
    expect(name_is(shaper.name()), "Shaper.name, the inherited slot");
    expect(
        matches!(&given, Ok(Some(g)) if name_is(g.name())),
        "Named.name through the reference named() gave",
    );
}

fn id_of_unknown() -> chitin::TypeId {
    let mut bytes = [0u8; 16];
    bytes[0] = 0x42;
    bytes[1] = 0x42;
    id(bytes)
}

fn check_scalars(store: &Store) {
    let out = store.echo(sample());
    expect(out.is_ok(), "echo");
    expect_fields(
        out.ok().and_then(|o| scalars_diff(&o, &sample())),
        "echo: every scalar by value and back as the result",
    );
    let out = store.fill();
    expect(out.is_ok(), "fill");
    expect_fields(
        out.ok().and_then(|o| scalars_diff(&o, &own::extremes())),
        "fill: [out] Scalars, the extremes of every scalar",
    );
    let mut s = sample();
    expect(store.twice(&mut s).is_ok(), "twice");
    expect_fields(
        scalars_diff(&s, &sample_twice()),
        "twice: [inout] Scalars, each field changed",
    );
}

fn check_plain(store: &Store, shaper: &Shaper) {
    let out = shaper.transform(sample_outer());
    expect(out.is_ok(), "transform");
    expect_fields(
        out.ok().and_then(|o| outer_diff(&o, &transformed_outer())),
        "transform: nested structs, arrays, enum, union, scalars",
    );
    expect(
        store.next_color(Color::Red) == Ok(Color::Green),
        "next_color(Red) is Green",
    );
    expect(
        store.next_color(Color::Blue) == Ok(Color::Red),
        "next_color(Blue) is Red",
    );
    expect(
        store.next_color(Color(200)) == Ok(Color(200)),
        "next_color(200): an unnamed value passes unchanged",
    );
    let flipped = store.flip(Number { whole: 0x0102_0304 });
    // SAFETY: every field of the union is an integer or bytes.
    let whole = flipped.map(|n| unsafe { n.whole });
    expect(
        whole == Ok(0x0403_0201),
        "flip: a union by value, its bytes reversed",
    );
}

fn known_shape(tag: u32) -> bool {
    match tag {
        Shape::TAG_Empty | Shape::TAG_Circle | Shape::TAG_Label => true,
        #[cfg(not(ku_1_0))]
        Shape::TAG_Tagged => true,
        _ => false,
    }
}

fn label_is(s: &Shape, t: &[u8], points: &[i32]) -> bool {
    s.tag == Shape::TAG_Label && {
        // SAFETY: the tag says so.
        let l = unsafe { &s.payload.Label };
        text(&l.text) == t && elems(&l.points) == points
    }
}

fn host_label() -> Shape {
    Shape::Label(ShapeLabel {
        text: own::string(b"host label"),
        points: own::vec(&[-2, 7]),
    })
}

fn check_shapes(store: &Store, shaper: &Shaper, plugin_1_1: bool) {
    expect(
        matches!(shaper.make_shape(Shape::TAG_Empty), Ok(s) if s.tag == Shape::TAG_Empty),
        "make_shape: the unit variant",
    );
    expect(
        // SAFETY: the tag is checked first.
        matches!(shaper.make_shape(Shape::TAG_Circle), Ok(s) if s.tag == Shape::TAG_Circle
            && unsafe { s.payload.Circle.radius } == 2.5),
        "make_shape: Circle { radius }",
    );
    let m = mark(store);
    let made = shaper.make_shape(Shape::TAG_Label);
    expect(
        matches!(&made, Ok(s) if label_is(s, b"label", &[3, 1, 4])),
        "make_shape: Label { string, vec<i32> }, owned",
    );
    if let Ok(mut s) = made {
        // SAFETY: the shape is the host's now, released once.
        unsafe { s.release_in_place() };
    }
    expect_released(store, &m, "the Label make_shape gave", 0, 2);

    // tag 8: Tagged, added in 1.1
    let r = shaper.make_shape(8);
    if !plugin_1_1 {
        expect(
            r.err() == Some(Status::INVALID_ARG),
            "make_shape(8): a 1.0 plugin has no such variant",
        );
    } else if cfg!(not(ku_1_0)) {
        #[cfg(not(ku_1_0))]
        expect(
            // SAFETY: the tag is checked first.
            matches!(&r, Ok(s) if s.tag == 8 && known_shape(s.tag)
                && unsafe { s.payload.Tagged.code } == 0x1122_3344_5566_7788
                && unsafe { s.payload.Tagged.extra } == 99),
            "make_shape: Tagged { code, extra }, the [since(1.1)] variant",
        );
    } else {
        expect(
            matches!(&r, Ok(s) if s.tag == 8 && !known_shape(s.tag)),
            "make_shape: the 1.1 plugin's Tagged arrives as the raw tag 8, unknown to a 1.0 host",
        );
        if let Ok(mut s) = r {
            // SAFETY: an unknown tag is left alone by the release.
            unsafe { s.release_in_place() };
            expect(
                s.tag == 8,
                "an unknown shape is left as it is by the release of owned shapes",
            );
        }
    }

    expect(
        // SAFETY: a value made for the call, given up to it.
        unsafe { shaper.take_shape(Shape::Empty()) } == Ok(100),
        "take_shape: Empty",
    );
    expect(
        // SAFETY: a value made for the call, given up to it.
        unsafe { shaper.take_shape(Shape::Circle(ShapeCircle { radius: 0.75 })) } == Ok(200),
        "take_shape: Circle",
    );
    let m = mark(store);
    expect(
        // SAFETY: a value made for the call, given up to it.
        unsafe { shaper.take_shape(host_label()) } == Ok(700),
        "take_shape: a Label the host made, consumed",
    );
    expect_released(store, &m, "take_shape", 2, 0);
    #[cfg(not(ku_1_0))]
    {
        let tagged = Shape::Tagged(ku::ShapeTagged { code: 5, extra: 6 });
        expect(
            // SAFETY: a value made for the call, given up to it.
            unsafe { shaper.take_shape(tagged) } == Ok(if plugin_1_1 { 800 } else { 1008 }),
            if plugin_1_1 {
                "take_shape: Tagged"
            } else {
                "take_shape: Tagged arrives in a 1.0 plugin as the unknown tag 8"
            },
        );
    }

    let mut s = Shape::Circle(ShapeCircle { radius: 1.5 });
    expect(
        // SAFETY: the tag is checked first.
        shaper.reshape(&mut s).is_ok()
            && s.tag == Shape::TAG_Circle
            && unsafe { s.payload.Circle.radius } == 3.0,
        "reshape: [inout] Circle changed in place",
    );
    let m = mark(store);
    let mut s = host_label();
    expect(
        shaper.reshape(&mut s).is_ok() && label_is(&s, b"reshaped", &[9]),
        "reshape: [inout] Label replaced by the plugin's",
    );
    // SAFETY: the host's now, released once.
    unsafe { s.release_in_place() };
    expect_released(
        store,
        &m,
        "reshape: the host's Label it replaced, the plugin's that replaced it",
        2,
        2,
    );
}

fn check_results(store: &Store) {
    expect(
        matches!(store.check(5).map(|r| r.get()), Ok(Ok(Ok(10)))),
        "check(5): result<u32, string> ok",
    );
    let m = mark(store);
    let r = store.check(-3);
    expect(
        matches!(r.map(|r| r.get()), Ok(Ok(Err(e))) if text(&e) == b"negative: -3"),
        "check(-3): result<u32, string> err, an owned string",
    );
    if let Ok(mut r) = r {
        // SAFETY: the host's now, released once.
        unsafe { r.release_in_place() };
    }
    expect_released(store, &m, "check's err", 0, 1);
    expect(
        store.validate(4) == Ok(Ok(())),
        "validate(4): result<void, u32> ok",
    );
    expect(
        store.validate(3) == Ok(Err(103)),
        "validate(3): result<void, u32> err",
    );
    expect(
        store.find(3) == Ok(Some(3_000_000_000_000)),
        "find(3): option<u64> some",
    );
    expect(store.find(20) == Ok(None), "find(20): option<u64> none");
}

fn words_are(w: &RawVec<RawString>, texts: &[&str]) -> bool {
    let w = elems(w);
    w.len() == texts.len() && w.iter().zip(texts).all(|(a, b)| text(a) == b.as_bytes())
}

/// The first field of what make_record(seed) gave that is not what the
/// plugin makes, or None: an odd seed gives a note and an err.
fn record_diff(r: &Record, seed: u32) -> Option<&'static str> {
    let odd = seed % 2 == 1;
    if text(&r.name) != format!("record {}", seed).as_bytes() {
        return Some("name");
    }
    let v = elems(&r.values);
    if v.len() != 3 || u32::from(v[0]) != seed || u32::from(v[2]) != seed + 2 {
        return Some("values");
    }
    if r.count.get() != Ok(Some(seed)) {
        return Some("count");
    }
    let note = r.note.get();
    if odd {
        if !matches!(note, Ok(Some(n)) if text(&n) == b"odd") {
            return Some("note");
        }
    } else if !matches!(note, Ok(None)) {
        return Some("note");
    }
    if u32::from(r.tri.0) != seed % 3 {
        return Some("tri");
    }
    let ok = match r.outcome.get() {
        Ok(Err(e)) => odd && text(&e) == b"bad seed",
        Ok(Ok(v)) => !odd && v == -(seed as i32),
        Err(_) => false,
    };
    if !ok {
        return Some("outcome");
    }
    if !words_are(&r.words, &["alpha", "beta", "gamma"]) {
        return Some("words");
    }
    None
}

/// The record the host sends take_record: every option some and the
/// result err when odd, every option none and the result ok otherwise.
fn host_record(odd: bool) -> Record {
    Record {
        name: own::string(if odd { b"host odd" } else { b"host even" }),
        values: own::vec(&[10u16, 65535]),
        count: if odd {
            RawOption::some(3)
        } else {
            RawOption::none()
        },
        note: if odd {
            RawOption::some(own::string(b"a note"))
        } else {
            RawOption::none()
        },
        tri: chitin::OptionBool::new(if odd { Some(true) } else { None }),
        outcome: if odd {
            RawResult::from(Err(own::string(b"oops")))
        } else {
            RawResult::from(Ok(42))
        },
        words: own::strings(&[own::string(b"word")]),
    }
}

fn check_records(store: &Store) {
    for (seed, what, released) in [
        (
            3u32,
            "make_record(3): owned strings, vecs, options some, result err, option<bool> false",
            8u32,
        ),
        (
            4,
            "make_record(4): option<string> none, result ok, option<bool> true",
            6,
        ),
    ] {
        let m = mark(store);
        let r = store.make_record(seed);
        expect(r.is_ok(), &format!("make_record({})", seed));
        if let Ok(mut r) = r {
            expect_fields(record_diff(&r, seed), what);
            // SAFETY: the host's now, released once.
            unsafe { r.release_in_place() };
        }
        expect_released(store, &m, &format!("make_record({})", seed), 0, released);
    }
    let m = mark(store);
    expect(
        // SAFETY: a value made for the call, given up to it.
        unsafe { store.take_record(host_record(true)) } == Ok(0x7f),
        "take_record: a Record with every option some and result err, consumed",
    );
    expect_released(store, &m, "take_record (some, err)", 6, 0);
    let m = mark(store);
    expect(
        // SAFETY: a value made for the call, given up to it.
        unsafe { store.take_record(host_record(false)) } == Ok(0x7f),
        "take_record: a Record with every option none and result ok, consumed",
    );
    expect_released(store, &m, "take_record (none, ok)", 4, 0);
}

fn check_text_and_buffers(store: &Store) {
    let m = mark(store);
    expect(
        matches!(store.concat("con", "cat"), Ok(s) if s.as_str() == Ok("concat")),
        "concat: two str in, a string out",
    );
    expect_released(store, &m, "concat", 0, 1);

    let m = mark(store);
    let mut s = own::string(b"abc");
    expect(
        store.append(&mut s, "def").is_ok() && text(&s) == b"abcdef",
        "append: an [inout] string replaced",
    );
    drop(string_of(s));
    expect_released(
        store,
        &m,
        "append: the host's string it replaced, the plugin's that replaced it",
        1,
        1,
    );

    let m = mark(store);
    expect(
        matches!(store.split("  one two  three "), Ok(w) if words_are(w.as_raw(), &["one", "two", "three"])),
        "split: a vec<string> out",
    );
    expect_released(store, &m, "split: the vec and each string", 0, 4);

    expect(
        store.sum(&[1, -2, 30, 400]) == Ok(429),
        "sum: slice<const i32>",
    );
    expect(store.sum(&[]) == Ok(0), "sum: an empty slice");
    let mut dest = [MaybeUninit::new(7u32); 6];
    dest[5] = MaybeUninit::new(0xdead_beef);
    let n = store.squares(&mut dest[..5]);
    // SAFETY: every element was written, by the host or the plugin.
    let dest: Vec<u32> = dest.iter().map(|d| unsafe { d.assume_init() }).collect();
    expect(
        n == Ok(5) && dest == [0, 1, 4, 9, 16, 0xdead_beef],
        "squares: an [out] slice<u32> filled, nothing past its length",
    );

    let m = mark(store);
    expect(
        matches!(store.range(5), Ok(v) if v.as_raw().cap >= 5 && v.as_slice() == Ok(&[0, 1, 2, 3, 4][..])),
        "range(5): a vec<u32> out",
    );
    expect(
        matches!(store.range(0), Ok(v) if v.is_empty()),
        "range(0): an empty vec<u32>",
    );
    expect_released(store, &m, "range", 0, 2);
    let m = mark(store);
    // SAFETY: made by own, given up here.
    let v = unsafe { chitin::Vec::from_raw(own::vec(&[1u32, 2, 3, 4])) };
    expect(store.take_vec(v) == Ok(10), "take_vec: a vec<u32> consumed");
    expect_released(store, &m, "take_vec", 1, 0);
}

fn string_of(s: RawString) -> chitin::String {
    // SAFETY: an owned string, given up here.
    unsafe { chitin::String::from_raw(s) }
}

static BORROWED: HostVisitor = HostVisitor::new();
static MAYBE: HostVisitor = HostVisitor::new();
static KEPT: HostVisitor = HostVisitor::new();
static TILL_END: HostVisitor = HostVisitor::new();

fn check_callbacks(store: &Store) {
    expect(
        store.visit(visitor_of(&BORROWED, false), 3) == Ok(42) && BORROWED.calls() == 3,
        "visit: a borrowed callback (release NULL) called 3 times",
    );
    expect(
        store.visit_maybe(None) == Ok(0),
        "visit_maybe: option<Visit> none",
    );
    expect(
        store.visit_maybe(Some(visitor_of(&MAYBE, true))) == Ok(35) && MAYBE.calls() == 1,
        "visit_maybe: option<Visit> some, owned, called",
    );
    expect(
        MAYBE.releases() == 1,
        "visit_maybe: the owned callback released exactly once",
    );
    expect(
        store.keep(visitor_of(&KEPT, true)).is_ok() && KEPT.releases() == 0,
        "keep: an owned callback kept, not released",
    );
    expect(
        store.call_kept(2) == Ok(24) && store.call_kept(5) == Ok(54) && KEPT.calls() == 2,
        "call_kept: the kept callback called later",
    );
    expect(
        store.drop_kept().is_ok() && KEPT.releases() == 1,
        "drop_kept: released once",
    );
    expect(
        store.call_kept(1) == Err(Status::FAILED)
            && store.drop_kept().is_ok()
            && KEPT.releases() == 1
            && KEPT.calls() == 2,
        "after drop_kept: neither called nor released again",
    );
    expect(
        store.keep(visitor_of(&TILL_END, true)).is_ok(),
        "keep: a callback the object releases",
    );

    let m = mark(store);
    let made = store.visitor(100);
    expect(
        matches!(&made, Ok(v) if v.call.is_some() && v.release.is_some()),
        "visitor: an owned callback out",
    );
    expect(
        matches!(&made, Ok(v) if v.call(2, "ab") == Ok(104) && v.call(0, "") == Ok(100)),
        "visitor: the plugin's callback called by the host",
    );
    drop(made);
    expect_released(store, &m, "visitor: the plugin's callback", 0, 1);
}

fn check_interfaces(store: &Store, host: &Ref<Named>) {
    let m = mark(store);
    let alive = own::counts().alive;
    expect(
        matches!(store.greet(host), Ok(s) if s.as_str() == Ok("hello host")),
        "greet: the plugin calls the host's Named",
    );
    expect(
        own::counts().alive == alive,
        "greet: the [in] reference stays borrowed",
    );
    expect_released(
        store,
        &m,
        "greet: the host's name, released by the plugin, and the greeting",
        1,
        1,
    );
}

/// A resilient struct both ways: the host's value read and written by
/// the plugin, the plugin's read by the host, across versions.
fn check_config(store: &Store, plugin_1_1: bool) {
    let both = HOST_1_1 && plugin_1_1;
    let mut c = ConfigFields::new();
    c.rate = 48000;
    c.channels = 8;
    #[cfg(not(ku_1_0))]
    {
        c.latency = 500;
    }
    // SAFETY: a Config of the host's, alive for the call.
    let view = unsafe { store.read_config(c.as_ptr()) };
    expect(
        matches!(&view, Ok(v) if v.rate == 48000 && v.channels == 8),
        "read_config: the plugin reads the host's Config",
    );
    let latency = view.map(|v| v.latency.get());
    if both {
        expect(latency == Ok(Ok(Some(500))), "read_config: latency present");
    } else {
        expect(
            latency == Ok(Ok(None)),
            if HOST_1_1 {
                "read_config: a 1.0 plugin does not know latency"
            } else {
                "read_config: latency reads absent from a 1.0 host's Config"
            },
        );
    }
    // SAFETY: as above.
    let set = unsafe { store.write_config(c.as_mut_ptr()) };
    expect(
        set == Ok(if both { 7 } else { 3 }) && c.rate == 96000 && c.channels == 6,
        if both {
            "write_config: every field set"
        } else {
            "write_config: the fields both versions have set"
        },
    );
    #[cfg(not(ku_1_0))]
    expect(
        c.latency == if plugin_1_1 { 1234 } else { 500 },
        if plugin_1_1 {
            "write_config: latency set"
        } else {
            "write_config: a 1.0 plugin leaves latency"
        },
    );

    let theirs = store.config().unwrap_or(core::ptr::null_mut());
    // SAFETY: the plugin's value, alive as long as its object.
    let record = if theirs.is_null() {
        core::ptr::null()
    } else {
        unsafe { (*theirs).record }
    };
    expect(
        !record.is_null()
            && record != Config::layout() as *const _
            // SAFETY: the plugin's record, checked not null.
            && unsafe { (*record).field_count } == if plugin_1_1 { 3 } else { 2 },
        "config: the plugin's value has the plugin's own record",
    );
    if theirs.is_null() {
        return;
    }
    // SAFETY: as above.
    let view = unsafe { Config::view(theirs) };
    expect(
        matches!(view, Some(v) if v.rate() == Some(&44100) && v.channels() == Some(&2)),
        if plugin_1_1 && !HOST_1_1 {
            "config: a 1.0 host reads a 1.1 plugin's Config"
        } else {
            "config: the host reads the plugin's Config"
        },
    );
    #[cfg(not(ku_1_0))]
    {
        // SAFETY: as above.
        let latency = unsafe { Config::view(theirs) }.and_then(|v| v.latency());
        if plugin_1_1 {
            expect(latency == Some(&77), "config: latency present");
        } else {
            // SAFETY: as above.
            let mut_latency =
                unsafe { Config::view_mut(theirs) }.map(|mut v| v.latency().is_none());
            expect(
                latency.is_none() && mut_latency == Some(true),
                "config: latency reads absent from a 1.0 plugin's Config",
            );
        }
    }
}

/// A method that fails as a panic does: PANIC, and the object goes on
/// answering (doc/abi.md 3.4).
fn check_panic(store: &Store) {
    expect(store.fail(0) == Ok(7), "fail(0) answers");
    expect(
        store.fail(1) == Err(Status::PANIC),
        "fail(1): a panic is PANIC, caught in the plugin",
    );
    expect(store.fail(2) == Err(Status::FAILED), "fail(2) is FAILED");
    expect(
        matches!(store.echo(sample()), Ok(o) if scalars_diff(&o, &sample()).is_none()),
        "after the panic, the object answers again",
    );
}

// ---- helpers of slots an implementation lacks -------------------------------

unsafe extern "C" fn hollow_query(
    _: *mut chitin::Object,
    _: *const chitin::TypeId,
) -> *mut chitin::Object {
    core::ptr::null_mut()
}

unsafe extern "C" fn hollow_count(_: *mut chitin::Object) {}

fn hollow_header<I: chitin::Interface>(size: usize) -> chitin::VtableHeader {
    chitin::VtableHeader {
        size: size as u32,
        flags: 0,
        iid: I::IID,
        query: Some(hollow_query),
        retain: Some(hollow_count),
        release: Some(hollow_count),
    }
}

/// A wrapper that finds its slot missing calls nothing, returns
/// UNAVAILABLE and drops the owned arguments, which releases them once: a
/// vtable too short, a null slot, an inherited one, a null export.
fn check_unavailable(store: &Store) {
    static KEPT_U: HostVisitor = HostVisitor::new();
    static MAYBE_U: HostVisitor = HostVisitor::new();
    static BORROWED_U: HostVisitor = HostVisitor::new();
    // SAFETY: every vtable field is an Option or plain data: None is zero.
    let mut short: ku::StoreVtbl = unsafe { core::mem::zeroed() };
    short.header = hollow_header::<Store>(core::mem::size_of::<chitin::VtableHeader>());
    // SAFETY: as above.
    let mut null: ku::ShaperVtbl = unsafe { core::mem::zeroed() };
    null.header = hollow_header::<Shaper>(core::mem::size_of::<ku::ShaperVtbl>());
    let hollow_store = Store { vtbl: &short };
    let hollow_shaper = Shaper { vtbl: &null };

    let m = mark(store);
    expect(
        // SAFETY: a value made for the call, given up to it.
        unsafe { hollow_store.take_record(host_record(true)) } == Err(Status::UNAVAILABLE),
        "a slot past the vtable's size: take_record is UNAVAILABLE",
    );
    expect_released(
        store,
        &m,
        "take_record UNAVAILABLE: the wrapper releases the Record",
        6,
        0,
    );
    let m = mark(store);
    // SAFETY: made by own, given up here.
    let v = unsafe { chitin::Vec::from_raw(own::vec(&[1u32, 2])) };
    expect(
        hollow_store.take_vec(v) == Err(Status::UNAVAILABLE),
        "take_vec is UNAVAILABLE",
    );
    expect_released(
        store,
        &m,
        "take_vec UNAVAILABLE: the wrapper releases the vec",
        1,
        0,
    );
    expect(
        hollow_store.keep(visitor_of(&KEPT_U, true)) == Err(Status::UNAVAILABLE)
            && KEPT_U.releases() == 1
            && KEPT_U.calls() == 0,
        "keep UNAVAILABLE: the wrapper releases the owned callback once",
    );
    expect(
        hollow_store.visit_maybe(Some(visitor_of(&MAYBE_U, true))) == Err(Status::UNAVAILABLE)
            && MAYBE_U.releases() == 1,
        "visit_maybe UNAVAILABLE: the wrapper releases option<Visit> some once",
    );
    expect(
        hollow_store.visit(visitor_of(&BORROWED_U, false), 1) == Err(Status::UNAVAILABLE)
            && BORROWED_U.calls() == 0,
        "visit UNAVAILABLE: a borrowed callback is not released",
    );

    let m = mark(store);
    let label = Shape::Label(ShapeLabel {
        text: own::string(b"host label"),
        points: own::vec(&[1]),
    });
    expect(
        // SAFETY: a value made for the call, given up to it.
        unsafe { hollow_shaper.take_shape(label) } == Err(Status::UNAVAILABLE),
        "a null slot: take_shape is UNAVAILABLE",
    );
    expect_released(
        store,
        &m,
        "take_shape UNAVAILABLE: the wrapper releases the Label's payload",
        2,
        0,
    );
    expect(
        hollow_shaper.name().err() == Some(Status::UNAVAILABLE),
        "a null inherited slot: name is UNAVAILABLE",
    );
    let as_named: &Named = &hollow_shaper;
    expect(
        as_named.name().err() == Some(Status::UNAVAILABLE),
        "the same slot through Named: UNAVAILABLE",
    );

    // SAFETY: as above.
    let mut table: ku::Exports = unsafe { core::mem::zeroed() };
    table.size = core::mem::size_of::<ku::Exports>() as u32;
    // SAFETY: a table of this module, alive for the calls.
    let none = unsafe { ku::Plugin::from_table(&table) };
    expect(
        none.open("x").err() == Some(Status::UNAVAILABLE),
        "a null export is UNAVAILABLE",
    );
    #[cfg(not(ku_1_0))]
    {
        let m = mark(store);
        // SAFETY: made by own, given up here.
        let v = unsafe { chitin::Vec::from_raw(own::vec(&[1u32, 2])) };
        expect(
            none.answer(1, v) == Err(Status::UNAVAILABLE),
            "a null [since] export too",
        );
        expect_released(
            store,
            &m,
            "answer UNAVAILABLE: the wrapper releases the vec",
            1,
            0,
        );
    }
    table.size = 8;
    // SAFETY: as above.
    let short_table = unsafe { ku::Plugin::from_table(&table) };
    expect(
        short_table.counts().err() == Some(Status::UNAVAILABLE),
        "an export past the table's size",
    );
}

/// The [since(1.1)] method and export, each with an owned argument that
/// the callee or, when it is UNAVAILABLE, the wrapper releases; the
/// tables' sizes of the other version.
fn check_since(store: &Ref<Store>, plugin: &ku::Plugin, plugin_1_1: bool) {
    let skew = plugin_1_1 as i64 - HOST_1_1 as i64;
    let p = core::mem::size_of::<usize>() as i64;
    #[cfg(not(ku_1_0))]
    {
        let m = mark(store);
        let r = store.minor(string(b"note"));
        if plugin_1_1 {
            expect(r == Ok(1), "minor(), the [since(1.1)] method");
        } else {
            expect(
                r == Err(Status::UNAVAILABLE),
                "minor() of a 1.0 plugin is UNAVAILABLE",
            );
        }
        expect_released(
            store,
            &m,
            if plugin_1_1 {
                "minor(): its string"
            } else {
                "minor(): its string, by the wrapper"
            },
            1,
            0,
        );
        let m = mark(store);
        // SAFETY: made by own, given up here.
        let v = unsafe { chitin::Vec::from_raw(own::vec(&[100u32, 1])) };
        let r = plugin.answer(41, v);
        if plugin_1_1 {
            expect(r == Ok(142), "answer, the [since(1.1)] export");
        } else {
            expect(
                r == Err(Status::UNAVAILABLE),
                "answer of a 1.0 plugin is UNAVAILABLE",
            );
        }
        expect_released(
            store,
            &m,
            if plugin_1_1 {
                "answer: its vec"
            } else {
                "answer: its vec, by the wrapper"
            },
            1,
            0,
        );
    }
    // SAFETY: the loader's table, as long as its size says.
    let table_size = unsafe { (*plugin.table()).size } as i64;
    expect(
        table_size == core::mem::size_of::<ku::Exports>() as i64 + skew * p,
        "the exports table has the size of the plugin's version",
    );
    // SAFETY: a live object.
    let header = unsafe { chitin::Object::header(store.as_ptr().cast()) };
    expect(
        header.map(|h| h.size as i64)
            == Ok(core::mem::size_of::<ku::StoreVtbl>() as i64 + skew * p),
        "the Store vtable has the size of the plugin's version",
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: khost PLUGIN PLUGIN_MINOR");
        std::process::exit(2);
    }
    let plugin_1_1 = args[2].parse::<u32>().unwrap_or(0) >= 1;
    // SAFETY: the test's plugins are sound to load.
    let plugin = match unsafe { ku::Plugin::load(&args[1], 0) } {
        Ok(p) => p,
        Err(e) => {
            print!("{}", e);
            std::process::exit(3);
        }
    };
    let store = plugin.open("one");
    expect(store.is_ok(), "open");
    let store = match store {
        Ok(s) => s,
        Err(_) => std::process::exit(1),
    };
    let shaper = store.query::<Shaper>();
    expect(shaper.is_some(), "query(Shaper) from Store");
    let shaper = match shaper {
        Some(s) => s,
        None => std::process::exit(1),
    };
    let host = host_named();

    check_parts(&store, &shaper, &host);
    check_scalars(&store);
    check_plain(&store, &shaper);
    check_shapes(&store, &shaper, plugin_1_1);
    check_results(&store);
    check_records(&store);
    check_text_and_buffers(&store);
    check_callbacks(&store);
    check_interfaces(&store, &host);
    check_config(&store, plugin_1_1);
    check_panic(&store);
    check_since(&store, &plugin, plugin_1_1);
    check_unavailable(&store);

    drop(host);
    drop(shaper);
    drop(store);
    expect(
        TILL_END.releases() == 1,
        "the callback the object kept is released once, when it goes",
    );
    let h = own::counts();
    let p = plugin.counts();
    expect(p.is_ok(), "counts, the export");
    let p = p.unwrap_or_else(|_| zero());
    println!(
        "host: made {}, released {}, bad {}; plugin: made {}, released {}, bad {}",
        h.made, h.released, h.bad, p.made, p.released, p.bad
    );
    expect(
        h.made > 0 && h.made == h.released && h.bad == 0,
        "every value the host made was released once, by the host's function",
    );
    expect(
        p.made > 0 && p.made == p.released && p.bad == 0,
        "every value the plugin made was released once, by the plugin's function",
    );
    expect(
        h.alive == 0 && p.alive == 0,
        "no object of either side is left",
    );
    if FAILURES.with(|f| f.get()) != 0 {
        std::process::exit(1);
    }
}
