//! The plugin of tests/run-kinds.sh written in Rust: implements module ku
//! (tests/cgen/kinds/ku.idl) on the module chitin gen --rust writes, as a
//! cdylib, answering every method and export as tests/cgen/kinds/plugin.c
//! does, so that host.c (and tests/rust/khost.rs) check it the same way.
//! Built against 1.1, or against 1.0 with `--cfg ku_1_0`. Its one kind of
//! object, Thing, has two parts, Shaper (derived from Named) and Store;
//! what it makes it makes with `own`, whose counts the host reads through
//! counts(). Method `fail` panics for the host to find PANIC.

#![deny(unsafe_op_in_unsafe_fn)]

use std::cell::RefCell;
use std::mem::MaybeUninit;

#[allow(dead_code)]
mod ku;

use chitin::raw::{RawOption, RawResult, RawString, RawVec};
use chitin::{Abi, Callback, Status};
use ku::{
    Color, Config, ConfigFields, ConfigView, Counts, Named, Number, Outer, Record, Scalars, Shape,
    ShapeCircle, ShapeLabel, ShapeView, Shaper, Store, Visit,
};

#[allow(dead_code)]
mod own;

/// The text of a string that must be valid.
fn text(s: &RawString) -> &[u8] {
    if s.len == 0 {
        return &[];
    }
    // SAFETY: a string this test's sides made, len bytes at ptr.
    unsafe { std::slice::from_raw_parts(s.ptr, s.len) }
}

/// The elements of a vec that must be valid.
fn elems<T>(v: &RawVec<T>) -> &[T] {
    if v.len == 0 {
        return &[];
    }
    // SAFETY: as text.
    unsafe { std::slice::from_raw_parts(v.ptr, v.len) }
}

fn owned(s: RawString) -> chitin::String {
    // SAFETY: made by own, given up here.
    unsafe { chitin::String::from_raw(s) }
}

/// The object: two parts, Shaper first (the identity), then Store.
struct Thing {
    name: Vec<u8>,
    kept: RefCell<Option<Callback<'static, Visit>>>,
    config: ConfigBox,
}

/// The Config this object answers config() with: its own storage.
struct ConfigBox(*mut ConfigFields);

// SAFETY: the storage is this object's alone, used one call at a time
// (Store is not [threadsafe]) and freed with it.
unsafe impl Send for ConfigBox {}

impl Drop for ConfigBox {
    fn drop(&mut self) {
        // SAFETY: made by Box::into_raw in open, freed once.
        drop(unsafe { Box::from_raw(self.0) });
    }
}

impl Drop for Thing {
    fn drop(&mut self) {
        own::object_gone();
    }
}

impl ku::NamedImpl for Thing {
    fn name(&self) -> Result<chitin::String, Status> {
        Ok(owned(own::string(&self.name)))
    }
}

impl ku::ShaperImpl for Thing {
    fn make_shape(&self, which: u32) -> Result<Shape, Status> {
        match which {
            Shape::TAG_Empty => Ok(Shape::Empty()),
            Shape::TAG_Circle => Ok(Shape::Circle(ShapeCircle { radius: 2.5 })),
            Shape::TAG_Label => Ok(Shape::Label(ShapeLabel {
                text: own::string(b"label"),
                points: own::vec(&[3, 1, 4]),
            })),
            #[cfg(not(ku_1_0))]
            Shape::TAG_Tagged => Ok(Shape::Tagged(ku::ShapeTagged {
                code: 0x1122_3344_5566_7788,
                extra: 99,
            })),
            _ => Err(Status::INVALID_ARG),
        }
    }

    /// Which variant arrived with the payload the host sends, 0 for a
    /// payload that is not; 1000 + the tag for a tag this version does not
    /// know, whose payload it leaves alone.
    fn take_shape(&self, mut shape: Shape) -> Result<u32, Status> {
        let answer = match shape.view() {
            ShapeView::Empty => 100,
            ShapeView::Circle(c) => {
                if c.radius == 0.75 {
                    200
                } else {
                    0
                }
            }
            ShapeView::Label(l) => {
                if text(&l.text) == b"host label" && elems(&l.points) == [-2, 7] {
                    700
                } else {
                    0
                }
            }
            #[cfg(not(ku_1_0))]
            ShapeView::Tagged(t) => {
                if t.code == 5 && t.extra == 6 {
                    800
                } else {
                    0
                }
            }
            ShapeView::Unknown(tag) => return Ok(1000 + tag),
        };
        // SAFETY: the shape is this call's, released once.
        unsafe { shape.release_in_place() };
        Ok(answer)
    }

    /// A circle's radius doubles; a label is replaced by one made here.
    fn reshape(&self, shape: &mut Shape) -> Result<(), Status> {
        if shape.tag == Shape::TAG_Circle {
            // SAFETY: the tag says so.
            unsafe { shape.payload.Circle.radius *= 2.0 };
        } else if shape.tag == Shape::TAG_Label {
            // SAFETY: the [inout] shape is this call's to replace.
            unsafe { shape.release_in_place() };
            *shape = Shape::Label(ShapeLabel {
                text: own::string(b"reshaped"),
                points: own::vec(&[9]),
            });
        }
        Ok(())
    }

    fn transform(&self, mut value: Outer) -> Result<Outer, Status> {
        value.inner.a = value.inner.a.wrapping_add(1);
        for b in value.inner.bytes.iter_mut() {
            *b = b.wrapping_add(1);
        }
        for p in value.pair.iter_mut() {
            p.a = p.a.wrapping_mul(2);
        }
        for row in value.grid.iter_mut() {
            for x in row.iter_mut() {
                *x = -*x;
            }
        }
        value.color = next_color_of(value.color);
        // SAFETY: every field of the union is an integer or bytes.
        value.number.whole = unsafe { !value.number.whole };
        scalars_twice(&mut value.scalars);
        Ok(value)
    }
}

fn next_color_of(color: Color) -> Color {
    match color {
        Color::Red => Color::Green,
        Color::Green => Color::Blue,
        Color::Blue => Color::Red,
        other => other, // open: a value this version does not name
    }
}

/// Each field changed as host.c expects of twice.
fn scalars_twice(s: &mut Scalars) {
    s.flag = chitin::Bool::new(s.flag.0 == 0);
    s.s8 = s.s8.wrapping_mul(2);
    s.s16 = s.s16.wrapping_mul(2);
    s.s32 = s.s32.wrapping_mul(2);
    s.s64 = s.s64.wrapping_mul(2);
    s.b8 = s.b8.wrapping_mul(2);
    s.b16 = s.b16.wrapping_mul(2);
    s.b32 = s.b32.wrapping_mul(2);
    s.b64 = s.b64.wrapping_mul(2);
    s.r32 *= 2.0;
    s.r64 *= 2.0;
    s.size = s.size.wrapping_mul(2);
    s.diff = s.diff.wrapping_mul(2);
    let mut id = s.id.bytes;
    for b in id.iter_mut() {
        *b ^= 0xff;
    }
    s.id = chitin::TypeId::from_bytes(id);
}

/// The visitor this plugin makes: base + index + the text's length, its
/// context counted storage of this side's.
unsafe extern "C" fn made_visit(
    ctx: *mut core::ffi::c_void,
    index: u32,
    text: chitin::raw::RawStr,
    ret: *mut i64,
) -> Status {
    // SAFETY: ctx holds the base this plugin wrote; ret is the caller's.
    unsafe { ret.write(ctx.cast::<i64>().read() + i64::from(index) + text.len as i64) };
    Status::OK
}

unsafe extern "C" fn made_release(ctx: *mut core::ffi::c_void) {
    own::ctx_free(ctx.cast());
}

/// The identity of obj, owned.
fn identity_of(obj: &chitin::Object) -> Option<chitin::Ref<chitin::Object>> {
    let p = obj as *const chitin::Object as *mut chitin::Object;
    // SAFETY: a live object the caller lends.
    let found = unsafe { chitin::Object::query(p, &chitin::OBJECT_IID) }.ok()?;
    // SAFETY: query gives an owned reference.
    unsafe { chitin::Ref::from_raw(found) }
}

impl ku::StoreImpl for Thing {
    fn echo(&self, value: Scalars) -> Result<Scalars, Status> {
        Ok(value)
    }

    fn fill(&self) -> Result<Scalars, Status> {
        Ok(own::extremes())
    }

    fn twice(&self, value: &mut Scalars) -> Result<(), Status> {
        scalars_twice(value);
        Ok(())
    }

    fn check(&self, x: i32) -> Result<RawResult<u32, RawString>, Status> {
        Ok(if x >= 0 {
            RawResult::from(Ok((x as u32).wrapping_mul(2)))
        } else {
            RawResult::from(Err(own::string(format!("negative: {}", x).as_bytes())))
        })
    }

    fn validate(&self, x: i32) -> Result<Result<(), u32>, Status> {
        Ok(if x % 2 == 0 {
            Ok(())
        } else {
            Err((x as u32).wrapping_add(100))
        })
    }

    fn find(&self, key: u32) -> Result<Option<u64>, Status> {
        Ok(if key < 10 {
            Some(u64::from(key) * 1_000_000_000_000)
        } else {
            None
        })
    }

    fn make_record(&self, seed: u32) -> Result<Record, Status> {
        let words = [
            own::string(b"alpha"),
            own::string(b"beta"),
            own::string(b"gamma"),
        ];
        let values = [seed as u16, (seed + 1) as u16, (seed + 2) as u16];
        Ok(Record {
            name: own::string(format!("record {}", seed).as_bytes()),
            values: own::vec(&values),
            count: RawOption::some(seed),
            note: if seed % 2 == 1 {
                RawOption::some(own::string(b"odd"))
            } else {
                RawOption::none()
            },
            tri: chitin::OptionBool::new(match seed % 3 {
                0 => Some(false),
                1 => Some(true),
                _ => None,
            }),
            outcome: if seed % 2 == 1 {
                RawResult::from(Err(own::string(b"bad seed")))
            } else {
                RawResult::from(Ok(-(seed as i32)))
            },
            words: own::strings(&words),
        })
    }

    /// A bit for each field that has what the host sends (host.c: a
    /// record of each arm), 0x7f for all of them.
    fn take_record(&self, mut value: Record) -> Result<u32, Status> {
        let odd = matches!(value.count.get(), Ok(Some(_)));
        let mut bits = 0;
        if text(&value.name)
            == if odd {
                &b"host odd"[..]
            } else {
                &b"host even"[..]
            }
        {
            bits |= 1;
        }
        if elems(&value.values) == [10, 65535] {
            bits |= 2;
        }
        if !odd || value.count.get() == Ok(Some(3)) {
            bits |= 4;
        }
        let note = value.note.get().ok().flatten();
        if odd {
            if note.map(|n| text(&n) == b"a note").unwrap_or(false) {
                bits |= 8;
            }
        } else if note.is_none() && value.note.tag() == chitin::raw::OPTION_NONE {
            bits |= 8;
        }
        if value.tri.get() == Ok(if odd { Some(true) } else { None }) {
            bits |= 16;
        }
        match value.outcome.get() {
            Ok(Err(e)) if odd && text(&e) == b"oops" => bits |= 32,
            Ok(Ok(42)) if !odd => bits |= 32,
            _ => {}
        }
        let w = elems(&value.words);
        if w.len() == 1 && text(&w[0]) == b"word" {
            bits |= 64;
        }
        // SAFETY: the record is this call's, released once.
        unsafe { value.release_in_place() };
        Ok(bits)
    }

    fn concat(&self, a: &str, b: &str) -> Result<chitin::String, Status> {
        if a.len() + b.len() > 64 {
            return Err(Status::INVALID_ARG);
        }
        Ok(owned(own::string(format!("{}{}", a, b).as_bytes())))
    }

    /// Replaces text with text and tail, made here, and releases the old.
    fn append(&self, text_: &mut RawString, tail: &str) -> Result<(), Status> {
        let old = std::str::from_utf8(text(text_)).map_err(|_| Status::INVALID_ARG)?;
        let joined = self.concat(old, tail)?.into_raw();
        // SAFETY: the [inout] string is this call's to replace.
        unsafe { text_.release() };
        *text_ = joined;
        Ok(())
    }

    fn sum(&self, values: &[i32]) -> Result<i64, Status> {
        Ok(values.iter().map(|&v| i64::from(v)).sum())
    }

    fn squares(&self, dest: &mut [MaybeUninit<u32>]) -> Result<usize, Status> {
        for (i, d) in dest.iter_mut().enumerate() {
            d.write((i * i) as u32);
        }
        Ok(dest.len())
    }

    fn range(&self, n: u32) -> Result<chitin::Vec<u32>, Status> {
        if n > 16 {
            return Err(Status::INVALID_ARG);
        }
        let elems: Vec<u32> = (0..n).collect();
        // SAFETY: made by own, given up here.
        Ok(unsafe { chitin::Vec::from_raw(own::vec(&elems)) })
    }

    fn take_vec(&self, values: chitin::Vec<u32>) -> Result<u64, Status> {
        Ok(values.as_slice()?.iter().map(|&v| u64::from(v)).sum())
    }

    /// The words of text, between spaces.
    fn split(&self, text: &str) -> Result<chitin::Vec<RawString>, Status> {
        let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
        if words.len() > 8 {
            return Err(Status::INVALID_ARG);
        }
        let words: Vec<RawString> = words.iter().map(|w| own::string(w.as_bytes())).collect();
        // SAFETY: made by own, given up here.
        Ok(unsafe { chitin::Vec::from_raw(own::strings(&words)) })
    }

    /// Calls visitor n times, (i, "item"), and answers the sum of its
    /// results; an owned visitor is released after, as it is this call's.
    fn visit(&self, visitor: Callback<'_, Visit>, n: u32) -> Result<i64, Status> {
        let mut sum = 0;
        for i in 0..n {
            sum += visitor.call(i, "item")?;
        }
        Ok(sum)
    }

    /// None: 0; some: what the visitor gives for (3, "maybe").
    fn visit_maybe(&self, visitor: Option<Callback<'_, Visit>>) -> Result<u32, Status> {
        match visitor {
            Some(v) => Ok(v.call(3, "maybe")? as u32),
            None => Ok(0),
        }
    }

    fn keep(&self, visitor: Callback<'_, Visit>) -> Result<(), Status> {
        // SAFETY: the host passes an owned callback to keep, which lives
        // until this object releases it.
        let kept = unsafe { Callback::from_raw(visitor.into_raw()) };
        let old = self.kept.borrow_mut().replace(kept);
        drop(old);
        Ok(())
    }

    fn call_kept(&self, index: u32) -> Result<i64, Status> {
        match &*self.kept.borrow() {
            Some(v) => v.call(index, "kept"),
            None => Err(Status::FAILED),
        }
    }

    fn drop_kept(&self) -> Result<(), Status> {
        let old = self.kept.borrow_mut().take();
        drop(old);
        Ok(())
    }

    fn visitor(&self, base: i64) -> Result<Callback<'static, Visit>, Status> {
        let ctx = own::ctx(8);
        // SAFETY: 8 bytes of storage aligned for an i64.
        unsafe { ctx.cast::<i64>().write(base) };
        let raw = Visit {
            call: Some(made_visit),
            ctx: ctx.cast(),
            release: Some(made_release),
        };
        // SAFETY: owned, its context alive until released.
        Ok(unsafe { Callback::from_raw(raw) })
    }

    /// "hello " and the name who gives, whose string this call then owns.
    fn greet(&self, who: &Named) -> Result<chitin::String, Status> {
        let name = who.name()?;
        self.concat("hello ", name.as_str()?)
    }

    fn same(&self, a: &chitin::Object, b: &chitin::Object) -> Result<bool, Status> {
        let (ia, ib) = (identity_of(a), identity_of(b));
        Ok(match (&ia, &ib) {
            (Some(x), Some(y)) => x.as_ptr() == y.as_ptr(),
            _ => false,
        })
    }

    fn identity(&self) -> Result<chitin::Ref<chitin::Object>, Status> {
        chitin::implement::this::<chitin::Object, Thing>(self).ok_or(Status::FAILED)
    }

    fn named(&self, give: bool) -> Result<Option<chitin::Ref<Named>>, Status> {
        if !give {
            return Ok(None);
        }
        chitin::implement::this::<Named, Thing>(self)
            .map(Some)
            .ok_or(Status::FAILED)
    }

    fn read_config(&self, config: *const Config) -> Result<ConfigView, Status> {
        // SAFETY: the host passes a Config of its own, alive for the call.
        let view = unsafe { Config::view(config) }.ok_or(Status::INVALID_ARG)?;
        #[cfg(not(ku_1_0))]
        let latency = RawOption::from(view.latency().copied());
        #[cfg(ku_1_0)]
        let latency = RawOption::none();
        Ok(ConfigView {
            rate: view.rate().copied().unwrap_or(0),
            channels: view.channels().copied().unwrap_or(0),
            latency,
        })
    }

    /// Sets each field it can; answers a bit for each (rate 1, channels 2,
    /// latency 4).
    fn write_config(&self, config: *mut Config) -> Result<u32, Status> {
        // SAFETY: as read_config.
        let mut view = unsafe { Config::view_mut(config) }.ok_or(Status::INVALID_ARG)?;
        let mut bits = 0;
        if let Some(rate) = view.rate() {
            *rate = 96000;
            bits |= 1;
        }
        if let Some(channels) = view.channels() {
            *channels = 6;
            bits |= 2;
        }
        #[cfg(not(ku_1_0))]
        if let Some(latency) = view.latency() {
            *latency = 1234;
            bits |= 4;
        }
        Ok(bits)
    }

    fn config(&self) -> Result<*mut Config, Status> {
        Ok(self.config.0.cast())
    }

    fn next_color(&self, color: Color) -> Result<Color, Status> {
        Ok(next_color_of(color))
    }

    /// The union's bytes in reverse order.
    fn flip(&self, number: Number) -> Result<Number, Status> {
        // SAFETY: every field of the union is an integer or bytes.
        let mut raw = unsafe { number.raw };
        raw.reverse();
        Ok(Number { raw })
    }

    fn counts(&self) -> Result<Counts, Status> {
        Ok(own::counts())
    }

    /// 1, and the note it owns now released; 0 for another note.
    #[cfg(not(ku_1_0))]
    fn minor(&self, note: chitin::String) -> Result<u32, Status> {
        Ok(u32::from(note.as_str() == Ok("note")))
    }

    fn fail(&self, how: u32) -> Result<u32, Status> {
        match how {
            0 => Ok(7),
            1 => panic!("fail(1) panics, as the host asked"),
            _ => Err(Status::FAILED),
        }
    }
}

chitin::implement!(Thing: Shaper, Store);

/// The exports.
struct Plugin;

impl ku::Implementation for Plugin {
    fn open(name: &str) -> Result<chitin::Ref<Store>, Status> {
        if name.len() > 16 {
            return Err(Status::INVALID_ARG);
        }
        let mut config = Box::new(ConfigFields::new());
        config.rate = 44100;
        config.channels = 2;
        #[cfg(not(ku_1_0))]
        {
            config.latency = 77;
        }
        let mut full = b"thing ".to_vec();
        full.extend_from_slice(name.as_bytes());
        own::object_made();
        Ok(chitin::Ref::new(Thing {
            name: full,
            kept: RefCell::new(None),
            config: ConfigBox(Box::into_raw(config)),
        }))
    }

    fn counts() -> Result<Counts, Status> {
        Ok(own::counts())
    }

    /// x and the elements of more, which it releases.
    #[cfg(not(ku_1_0))]
    fn answer(x: u32, more: chitin::Vec<u32>) -> Result<u32, Status> {
        Ok(more.as_slice()?.iter().fold(x, |a, &b| a.wrapping_add(b)))
    }
}

chitin::export_module!(ku, Plugin);
