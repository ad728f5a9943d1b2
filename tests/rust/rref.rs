//! The Rust side of tests/run-rust-runtime.sh: what the runtime crate
//! says, printed in the form tests/rust/cref.c prints what libchitin and
//! the C compiler say (see there for the commands), and `rref json FILE`:
//! the blob in FILE decoded, as `chitin inspect --json` lists a
//! descriptor; `rref report HOST PLUGIN MINOR`: the report alone.

use std::env;
use std::fs;
use std::io::{self, Write};
use std::mem::{align_of, size_of, MaybeUninit};
use std::process::exit;
use std::ptr;

use chitin::desc::{self, DescError, Descriptor, Hash128, Kind, ProblemKind};
use chitin::raw::{
    LayoutRecord, Module, RawOption, RawResult, RawSlice, RawSliceMut, RawStr, RawString, RawVec,
};
use chitin::{Bool, Object, OptionBool, Status, TypeId, VtableHeader, OBJECT_IID};

type Out = io::BufWriter<io::Stdout>;

macro_rules! ty {
    ($out:expr, $name:expr, $t:ty) => {
        writeln!($out, "{} {} {}", $name, size_of::<$t>(), align_of::<$t>())?
    };
}

/// A field's offset, from pointers into storage that is never read.
macro_rules! field {
    ($out:expr, $name:expr, $t:ty, $f:ident) => {{
        let u = MaybeUninit::<$t>::uninit();
        let base = u.as_ptr();
        // SAFETY: only the field's address is taken.
        let at = unsafe { ptr::addr_of!((*base).$f) };
        writeln!(
            $out,
            "{}.{} {}",
            $name,
            stringify!($f),
            at as usize - base as usize
        )?
    }};
}

fn offset<T, F>(base: &T, at: *const F) -> usize {
    at as usize - base as *const T as usize
}

macro_rules! buffers {
    ($out:expr, $p:literal, $t:ty) => {{
        let n = concat!("RawSliceMut<", $p, ">");
        ty!($out, n, RawSliceMut<$t>);
        field!($out, n, RawSliceMut<$t>, ptr);
        field!($out, n, RawSliceMut<$t>, len);
        let n = concat!("RawSlice<", $p, ">");
        ty!($out, n, RawSlice<$t>);
        field!($out, n, RawSlice<$t>, ptr);
        field!($out, n, RawSlice<$t>, len);
        let n = concat!("RawVec<", $p, ">");
        ty!($out, n, RawVec<$t>);
        field!($out, n, RawVec<$t>, ptr);
        field!($out, n, RawVec<$t>, len);
        field!($out, n, RawVec<$t>, cap);
        field!($out, n, RawVec<$t>, release);
    }};
}

macro_rules! option {
    ($out:expr, $p:literal, $t:ty) => {{
        let n = concat!("RawOption<", $p, ">");
        ty!($out, n, RawOption<$t>);
        let o = RawOption::<$t>::none();
        writeln!($out, "{}.tag {}", n, offset(&o, o.tag_ptr()))?;
        writeln!($out, "{}.value {}", n, offset(&o, o.value_ptr()))?;
    }};
}

macro_rules! result {
    ($out:expr, $name:literal, $t:ty, $e:ty, $has_u:expr) => {{
        ty!($out, $name, RawResult<$t, $e>);
        // SAFETY: never read; only its fields' addresses are taken.
        let r = unsafe { RawResult::<$t, $e>::uninit(0) };
        writeln!($out, "{}.tag {}", $name, offset(&r, r.tag_ptr()))?;
        if $has_u {
            assert_eq!(r.ok_ptr() as usize, r.err_ptr() as usize);
            writeln!($out, "{}.u {}", $name, offset(&r, r.ok_ptr()))?;
        }
    }};
}

macro_rules! primitives {
    ($m:ident, $out:expr) => {
        $m!($out, "i8", i8);
        $m!($out, "i16", i16);
        $m!($out, "i32", i32);
        $m!($out, "i64", i64);
        $m!($out, "u8", u8);
        $m!($out, "u16", u16);
        $m!($out, "u32", u32);
        $m!($out, "u64", u64);
        $m!($out, "f32", f32);
        $m!($out, "f64", f64);
        $m!($out, "usize", usize);
        $m!($out, "isize", isize);
        $m!($out, "typeid", TypeId);
        $m!($out, "str", RawStr);
        $m!($out, "string", RawString);
    };
}

fn layout(out: &mut Out) -> io::Result<()> {
    ty!(out, "TypeId", TypeId);
    field!(out, "TypeId", TypeId, bytes);
    ty!(out, "VtableHeader", VtableHeader);
    field!(out, "VtableHeader", VtableHeader, size);
    field!(out, "VtableHeader", VtableHeader, flags);
    field!(out, "VtableHeader", VtableHeader, iid);
    field!(out, "VtableHeader", VtableHeader, query);
    field!(out, "VtableHeader", VtableHeader, retain);
    field!(out, "VtableHeader", VtableHeader, release);
    ty!(out, "Object", Object);
    field!(out, "Object", Object, vtbl);
    ty!(out, "Module", Module);
    field!(out, "Module", Module, descriptor);
    field!(out, "Module", Module, exports);
    ty!(out, "LayoutRecord", LayoutRecord);
    field!(out, "LayoutRecord", LayoutRecord, size);
    field!(out, "LayoutRecord", LayoutRecord, align);
    field!(out, "LayoutRecord", LayoutRecord, field_count);
    ty!(out, "Status", Status);
    ty!(out, "Bool", Bool);
    ty!(out, "OptionBool", OptionBool);
    ty!(out, "RawStr", RawStr);
    field!(out, "RawStr", RawStr, ptr);
    field!(out, "RawStr", RawStr, len);
    ty!(out, "RawString", RawString);
    field!(out, "RawString", RawString, ptr);
    field!(out, "RawString", RawString, len);
    field!(out, "RawString", RawString, cap);
    field!(out, "RawString", RawString, release);
    primitives!(buffers, out);
    buffers!(out, "bool", Bool);
    primitives!(option, out);
    result!(out, "RawResult<u32,string>", u32, RawString, true);
    result!(out, "RawResult<void,i64>", (), i64, true);
    result!(out, "RawResult<void,void>", (), (), false);
    result!(out, "RawResult<u8,void>", u8, (), true);
    result!(out, "RawResult<u64,typeid>", u64, TypeId, true);
    result!(out, "RawResult<vec_u16,str>", RawVec<u16>, RawStr, true);
    Ok(())
}

fn texts(out: &mut Out) -> io::Result<()> {
    for code in -1..=7 {
        writeln!(out, "status {} {}", code, Status(code).text())?;
    }
    let errors = [
        DescError::Truncated,
        DescError::BadMagic,
        DescError::UnsupportedFormat,
        DescError::Corrupt,
    ];
    for (i, e) in errors.iter().enumerate() {
        writeln!(out, "desc_status {} {}", i + 1, e.text())?;
    }
    for (i, k) in ProblemKind::ALL.iter().enumerate() {
        writeln!(out, "problem {} {} {}", i, k.name(), k.sentence())?;
    }
    writeln!(out, "const OK {}", Status::OK.code())?;
    writeln!(out, "const UNAVAILABLE {}", Status::UNAVAILABLE.code())?;
    writeln!(out, "const PANIC {}", Status::PANIC.code())?;
    writeln!(out, "const INVALID_ARG {}", Status::INVALID_ARG.code())?;
    writeln!(out, "const NO_MEMORY {}", Status::NO_MEMORY.code())?;
    writeln!(out, "const FAILED {}", Status::FAILED.code())?;
    writeln!(out, "const VTABLE_THREADSAFE {}", chitin::VTABLE_THREADSAFE)?;
    writeln!(
        out,
        "const OPTION_BOOL {} {} {}",
        OptionBool::FALSE.0,
        OptionBool::TRUE.0,
        OptionBool::NONE.0
    )?;
    writeln!(
        out,
        "const OPTION {} {}",
        chitin::raw::OPTION_NONE,
        chitin::raw::OPTION_SOME
    )?;
    writeln!(
        out,
        "const RESULT {} {}",
        chitin::raw::RESULT_OK,
        chitin::raw::RESULT_ERR
    )?;
    writeln!(out, "const DESC_FORMAT {}", desc::FORMAT)?;
    writeln!(
        out,
        "const DESC_FLAGS {} {} {} {} {} {}",
        desc::SINCE,
        desc::RESILIENT,
        desc::BASE,
        desc::THREADSAFE,
        desc::PAYLOAD,
        desc::SIGNED
    )?;
    let kinds = [
        Kind::Struct,
        Kind::Union,
        Kind::Enum,
        Kind::DataEnum,
        Kind::Callback,
        Kind::Interface,
    ];
    write!(out, "const DESC_KINDS")?;
    for k in kinds.iter() {
        write!(out, " {}", *k as i32)?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "const DESC_TEXT {} {} {}",
        desc::MAX_PROBLEMS,
        desc::ITEM_TEXT,
        desc::TEXT
    )?;
    writeln!(out, "const OBJECT_IID {OBJECT_IID}")?;
    Ok(())
}

fn put_str(out: &mut Out, s: &[u8]) -> io::Result<()> {
    for &c in s {
        if c > 0x20 && c < 0x7f && c != b'\\' {
            out.write_all(&[c])?;
        } else {
            write!(out, "\\x{c:02x}")?;
        }
    }
    Ok(())
}

fn put_item(out: &mut Out, what: &str, name: &[u8], flags: u32, since: u16) -> io::Result<()> {
    write!(out, "{what} ")?;
    put_str(out, name)?;
    write!(out, " flags {flags} since {since}")
}

fn dump(out: &mut Out, d: &Descriptor<'_>) -> io::Result<()> {
    write!(
        out,
        "descriptor size {} format {} module ",
        d.size, d.format
    )?;
    put_str(out, d.module)?;
    write!(out, " version {}.{} targets ", d.major, d.minor)?;
    put_str(out, d.targets)?;
    writeln!(out)?;
    for i in &d.imports {
        write!(out, "import ")?;
        put_str(out, i.module)?;
        writeln!(out, " {}.{}", i.major, i.minor)?;
    }
    for t in &d.types {
        put_item(out, "type", t.name, t.flags, t.since_minor)?;
        writeln!(
            out,
            " kind {} typeid {} size {} align {} layout {} sig {}",
            t.kind as i32, t.type_id, t.size, t.align, t.layout_hash, t.signature_hash
        )?;
        for f in &t.fields {
            put_item(out, " field", f.name, f.flags, f.since_minor)?;
            writeln!(
                out,
                " offset {} size {} type {}",
                f.offset, f.size, f.type_hash
            )?;
        }
        for v in &t.variants {
            put_item(out, " variant", v.name, v.flags, v.since_minor)?;
            writeln!(out, " value {} payload {}", v.value, v.payload_hash)?;
        }
    }
    for it in &d.interfaces {
        put_item(out, "interface", it.name, it.flags, it.since_minor)?;
        write!(out, " iid {} base ", it.iid)?;
        put_str(out, it.base)?;
        writeln!(out)?;
        for m in &it.methods {
            put_item(out, " method", m.name, m.flags, m.since_minor)?;
            writeln!(out, " sig {}", m.signature_hash)?;
        }
    }
    for e in &d.exports {
        put_item(out, "export", e.name, e.flags, e.since_minor)?;
        write!(out, " symbol ")?;
        put_str(out, e.symbol)?;
        writeln!(out, " sig {}", e.signature_hash)?;
    }
    Ok(())
}

fn print_decoded(out: &mut Out, r: &Result<Descriptor<'_>, DescError>) -> io::Result<()> {
    match r {
        Ok(d) => dump(out, d),
        Err(e) => writeln!(out, "refused: {}", e.text()),
    }
}

fn print_report(
    out: &mut Out,
    host: &Descriptor<'_>,
    plugin: &Descriptor<'_>,
    minor: u16,
) -> io::Result<()> {
    let r = desc::compare(host, plugin, minor);
    writeln!(out, "report {} problems, minor {}", r.n_found, minor)?;
    out.write_all(&r.to_bytes())
}

fn read(path: &str) -> Vec<u8> {
    match fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("rref: cannot read {path}: {e}");
            exit(2);
        }
    }
}

fn next(x: &mut u64) -> u64 {
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    *x
}

/// A descriptor's string in JSON, as `chitin inspect` writes it: valid,
/// printable UTF-8 as it is, other bytes as U+FFFD, control characters
/// as \u00NN.
fn json_str(out: &mut Out, s: &[u8]) -> io::Result<()> {
    out.write_all(b"\"")?;
    let mut p = 0;
    while p < s.len() {
        let c = s[p];
        let n = if c < 0x80 {
            1
        } else if c & 0xe0 == 0xc0 {
            2
        } else if c & 0xf0 == 0xe0 {
            3
        } else if c & 0xf8 == 0xf0 {
            4
        } else {
            0
        };
        let mut cp = match n {
            1 => u32::from(c),
            2 => u32::from(c & 0x1f),
            3 => u32::from(c & 0x0f),
            _ => u32::from(c & 0x07),
        };
        let mut i = 1;
        while i < n {
            match s.get(p + i) {
                Some(&b) if b & 0xc0 == 0x80 => cp = cp << 6 | u32::from(b & 0x3f),
                _ => break,
            }
            i += 1;
        }
        let valid = n != 0
            && i == n
            && !(n == 2 && cp < 0x80)
            && !(n == 3 && cp < 0x800)
            && !(n == 4 && cp < 0x10000)
            && cp <= 0x10ffff
            && !(0xd800..=0xdfff).contains(&cp)
            && cp >= 0x20
            && cp != 0x7f;
        if valid {
            if c == b'"' || c == b'\\' {
                out.write_all(b"\\")?;
            }
            out.write_all(&s[p..p + n])?;
            p += n;
            continue;
        }
        if c < 0x20 || c == 0x7f {
            write!(out, "\\u{c:04x}")?;
        } else {
            out.write_all(b"\\ufffd")?;
        }
        p += 1;
    }
    out.write_all(b"\"")
}

fn json_flags(out: &mut Out, d: &Descriptor<'_>, flags: u32, since: u16) -> io::Result<()> {
    let named = [
        (desc::RESILIENT, "resilient"),
        (desc::SIGNED, "signed"),
        (desc::BASE, "is_base"),
        (desc::THREADSAFE, "threadsafe"),
    ];
    for &(bit, key) in named.iter() {
        if flags & bit != 0 {
            write!(out, ", \"{key}\": true")?;
        }
    }
    if flags & desc::SINCE != 0 {
        write!(out, ", \"since\": \"{}.{}\"", d.major, since)?;
    }
    let known = desc::SINCE
        | desc::RESILIENT
        | desc::BASE
        | desc::THREADSAFE
        | desc::PAYLOAD
        | desc::SIGNED;
    if flags & !known != 0 {
        write!(out, ", \"other_flags\": {}", flags & !known)?;
    }
    Ok(())
}

fn json_kind(k: Kind) -> &'static str {
    match k {
        Kind::Struct => "struct",
        Kind::Union => "union",
        Kind::Enum => "enum",
        Kind::DataEnum => "data_enum",
        Kind::Callback => "callback",
        Kind::Interface => "interface",
    }
}

fn json_hash(out: &mut Out, key: &str, h: &Hash128) -> io::Result<()> {
    write!(out, ", \"{key}\": \"{h}\"")
}

fn json(out: &mut Out, d: &Descriptor<'_>) -> io::Result<()> {
    write!(
        out,
        "{{\"size\": {}, \"format\": {}, \"module\": ",
        d.size, d.format
    )?;
    json_str(out, d.module)?;
    write!(
        out,
        ", \"version\": \"{}.{}\", \"targets\": [",
        d.major, d.minor
    )?;
    for (i, t) in d
        .targets
        .split(|&b| b == b' ')
        .filter(|w| !w.is_empty())
        .enumerate()
    {
        if i > 0 {
            write!(out, ", ")?;
        }
        json_str(out, t)?;
    }
    write!(out, "],\n \"imports\": [")?;
    for (i, im) in d.imports.iter().enumerate() {
        write!(out, "{}{{\"module\": ", if i > 0 { ", " } else { "" })?;
        json_str(out, im.module)?;
        write!(out, ", \"version\": \"{}.{}\"}}", im.major, im.minor)?;
    }
    write!(out, "],\n \"types\": [")?;
    for (i, t) in d.types.iter().enumerate() {
        write!(out, "{}{{\"name\": ", if i > 0 { ",\n  " } else { "\n  " })?;
        json_str(out, t.name)?;
        write!(out, ", \"kind\": \"{}\"", json_kind(t.kind))?;
        json_flags(out, d, t.flags, t.since_minor)?;
        write!(
            out,
            ", \"typeid\": \"{}\", \"size\": {}, \"align\": {}",
            t.type_id, t.size, t.align
        )?;
        json_hash(out, "layout_hash", &t.layout_hash)?;
        if !t.signature_hash.is_zero() {
            json_hash(out, "signature_hash", &t.signature_hash)?;
        }
        write!(out, ", \"fields\": [")?;
        for (k, f) in t.fields.iter().enumerate() {
            write!(out, "{}{{\"name\": ", if k > 0 { ", " } else { "" })?;
            json_str(out, f.name)?;
            write!(out, ", \"offset\": {}, \"size\": {}", f.offset, f.size)?;
            if !f.type_hash.is_zero() {
                json_hash(out, "type_hash", &f.type_hash)?;
            }
            json_flags(out, d, f.flags, f.since_minor)?;
            write!(out, "}}")?;
        }
        write!(out, "], \"variants\": [")?;
        for (k, v) in t.variants.iter().enumerate() {
            write!(out, "{}{{\"name\": ", if k > 0 { ", " } else { "" })?;
            json_str(out, v.name)?;
            if t.flags & desc::SIGNED != 0 {
                write!(out, ", \"value\": {}", v.value as i64)?;
            } else {
                write!(out, ", \"value\": {}", v.value)?;
            }
            if v.flags & desc::PAYLOAD != 0 {
                json_hash(out, "payload_hash", &v.payload_hash)?;
            }
            json_flags(out, d, v.flags & !desc::PAYLOAD, v.since_minor)?;
            write!(out, "}}")?;
        }
        write!(out, "]}}")?;
    }
    write!(out, "],\n \"interfaces\": [")?;
    for (i, it) in d.interfaces.iter().enumerate() {
        write!(out, "{}{{\"name\": ", if i > 0 { ",\n  " } else { "\n  " })?;
        json_str(out, it.name)?;
        write!(out, ", \"iid\": \"{}\", \"base\": ", it.iid)?;
        json_str(out, it.base)?;
        json_flags(out, d, it.flags, it.since_minor)?;
        write!(out, ", \"slots\": [")?;
        for (k, m) in it.methods.iter().enumerate() {
            write!(out, "{}{{\"name\": ", if k > 0 { ", " } else { "" })?;
            json_str(out, m.name)?;
            json_hash(out, "signature_hash", &m.signature_hash)?;
            json_flags(out, d, m.flags, m.since_minor)?;
            write!(out, "}}")?;
        }
        write!(out, "]}}")?;
    }
    write!(out, "],\n \"exports\": [")?;
    for (i, e) in d.exports.iter().enumerate() {
        write!(out, "{}{{\"name\": ", if i > 0 { ",\n  " } else { "\n  " })?;
        json_str(out, e.name)?;
        write!(out, ", \"symbol\": ")?;
        json_str(out, e.symbol)?;
        json_hash(out, "signature_hash", &e.signature_hash)?;
        json_flags(out, d, e.flags, e.since_minor)?;
        write!(out, "}}")?;
    }
    writeln!(out, "]}}")
}

fn run(args: &[String], out: &mut Out) -> io::Result<bool> {
    let cmd = args.get(1).map(|s| s.as_str()).unwrap_or("");
    match cmd {
        "layout" if args.len() == 2 => layout(out)?,
        "texts" if args.len() == 2 => texts(out)?,
        "json" if args.len() == 3 => {
            let blob = read(&args[2]);
            match desc::decode(&blob) {
                Ok(d) => json(out, &d)?,
                Err(e) => {
                    eprintln!("rref: {}: {}", args[2], e);
                    return Ok(false);
                }
            }
        }
        "report" if args.len() == 5 => {
            let (host, plugin) = (read(&args[2]), read(&args[3]));
            let minor = args[4].parse::<u16>().unwrap_or(0);
            match (desc::decode(&host), desc::decode(&plugin)) {
                (Ok(h), Ok(p)) => out.write_all(&desc::compare(&h, &p, minor).to_bytes())?,
                _ => {
                    eprintln!("rref: a blob does not decode");
                    return Ok(false);
                }
            }
        }
        "dump" | "pairs" => {
            let blobs: Vec<Vec<u8>> = args[2..].iter().map(|p| read(p)).collect();
            let decoded: Vec<_> = blobs.iter().map(|b| desc::decode(b)).collect();
            if cmd == "dump" {
                for (path, d) in args[2..].iter().zip(decoded.iter()) {
                    writeln!(out, "== {path}")?;
                    print_decoded(out, d)?;
                }
            } else {
                for (i, h) in decoded.iter().enumerate() {
                    for (j, p) in decoded.iter().enumerate() {
                        if let (Ok(h), Ok(p)) = (h, p) {
                            writeln!(out, "== host {} plugin {}", args[i + 2], args[j + 2])?;
                            print_report(out, h, p, 0)?;
                            print_report(out, h, p, 1)?;
                        }
                    }
                }
            }
        }
        "fuzz" if args.len() >= 5 => {
            let mut seed = args[2].parse::<u64>().unwrap_or(0) | 1;
            let count = args[3].parse::<u64>().unwrap_or(0);
            let blobs: Vec<Vec<u8>> = args[4..].iter().map(|p| read(p)).collect();
            let mut orig = Vec::new();
            for (path, b) in args[4..].iter().zip(blobs.iter()) {
                match desc::decode(b) {
                    Ok(d) => orig.push(d),
                    Err(_) => {
                        eprintln!("rref: {path} does not decode");
                        return Ok(false);
                    }
                }
            }
            for m in 0..count {
                let f = (next(&mut seed) % blobs.len() as u64) as usize;
                let mut copy = blobs[f].clone();
                let mut len = copy.len();
                let changes = 1 + next(&mut seed) % 3;
                for _ in 0..changes {
                    let at = (next(&mut seed) % len as u64) as usize;
                    copy[at] = next(&mut seed) as u8;
                }
                if next(&mut seed) % 16 == 0 {
                    len = (next(&mut seed) % len as u64) as usize;
                }
                writeln!(out, "== mutant {} of {}", m, args[f + 4])?;
                let x = desc::decode(&copy[..len]);
                print_decoded(out, &x)?;
                if let Ok(x) = &x {
                    print_report(out, &orig[f], x, 0)?;
                    print_report(out, x, &orig[f], 1)?;
                }
            }
        }
        _ => {
            eprintln!("usage: rref layout | texts | json FILE | report HOST PLUGIN MINOR | dump FILE... | pairs FILE... | fuzz SEED N FILE...");
            return Ok(false);
        }
    }
    Ok(true)
}

fn main() {
    let args: Vec<String> = env::args().collect();
    let mut out = io::BufWriter::new(io::stdout());
    let ok = run(&args, &mut out).and_then(|ok| out.flush().map(|_| ok));
    match ok {
        Ok(true) => {}
        Ok(false) => exit(1),
        Err(e) => {
            eprintln!("rref: {e}");
            exit(2);
        }
    }
}
