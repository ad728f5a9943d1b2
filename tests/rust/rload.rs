//! The Rust side of the Rust loader's test in tests/run-loader.sh: loads
//! each PLUGIN given (with the REQUIRED_MINOR after it) as module lm with
//! the crate's `chitin::load::load`, against the host-mode lm_desc.c
//! linked in (`-l static=...`), and prints what tests/rust/cload.c prints
//! for the same plugin through libchitin (see there for the lines).
//!
//! Usage: rload [PLUGIN REQUIRED_MINOR]...

use std::env;
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::exit;

use chitin::desc;
use chitin::load::{self, LoadError, Plugin};
use chitin::Status;

extern "C" {
    /// The host's blob, from lm_desc.c compiled in host mode.
    static chitin_own_descriptor_lm: *const u8;
}

/// `lm.Point`.
#[repr(C)]
struct Point {
    x: i32,
    y: i32,
}

type MakePoint = unsafe extern "C" fn(x: i32, y: i32, ret: *mut Point) -> Status;

/// The start of `lm_exports`: its size, a reserved word, make_point.
#[repr(C)]
struct Exports {
    size: u32,
    reserved: u32,
    make_point: Option<MakePoint>,
}

type Out = io::BufWriter<io::Stdout>;

fn path_line(out: &mut Out, head: &[u8], path: &Path) -> io::Result<()> {
    out.write_all(head)?;
    out.write_all(path.as_os_str().as_bytes())?;
    out.write_all(b"\n")
}

fn print_plugin(out: &mut Out, plugin: &Plugin) -> io::Result<()> {
    out.write_all(b"plugin ")?;
    out.write_all(plugin.module())?;
    write!(out, " {}.{}", plugin.major(), plugin.minor())?;
    path_line(out, b" from ", plugin.path())?;
    let size = desc::probe(plugin.descriptor()).unwrap_or(0);
    writeln!(out, "descriptor {size} bytes")?;
    let ex = plugin.exports() as *const Exports;
    if ex.is_null() {
        return writeln!(out, "no exports");
    }
    // SAFETY: the loader checked that the table is aligned and holds its
    // size and the library's exports, make_point the first; the field is
    // read only when the size says the table has it.
    let (size, make_point) = unsafe {
        let size = (*ex).size;
        let want = std::mem::size_of::<Exports>() as u32;
        (size, if size >= want { (*ex).make_point } else { None })
    };
    write!(out, "exports {size} bytes")?;
    match make_point {
        Some(f) => {
            let mut p = Point { x: 0, y: 0 };
            // SAFETY: the plugin's make_point, of lm's signature, writing
            // the point it is given.
            let st = unsafe { f(3, 4, &mut p) };
            if st == Status::OK {
                writeln!(out, ", make_point(3, 4) = {} {}", p.x, p.y)
            } else {
                writeln!(out, ", make_point(3, 4): {}", st.text())
            }
        }
        None => writeln!(out, ", no make_point"),
    }
}

fn print_error(out: &mut Out, err: &LoadError) -> io::Result<()> {
    out.write_all(&err.to_bytes())?;
    let reason = err.reason();
    writeln!(out, "reason {} {}", reason.code(), reason.name())?;
    path_line(out, b"library ", err.library())?;
    out.write_all(b"module ")?;
    out.write_all(err.module())?;
    out.write_all(b"\ndetail ")?;
    out.write_all(err.detail())?;
    writeln!(
        out,
        "\nproblems {} more {}",
        err.problems().len(),
        u8::from(err.more())
    )
}

fn run(args: &[std::ffi::OsString], out: &mut Out) -> io::Result<()> {
    // SAFETY: the blob of the host-mode lm_desc.c linked into this program.
    let host = unsafe { load::descriptor_at(chitin_own_descriptor_lm) };
    for pair in args.chunks(2) {
        let (path, minor) = (&pair[0], &pair[1]);
        out.write_all(b"load ")?;
        out.write_all(path.as_bytes())?;
        out.write_all(b" ")?;
        out.write_all(minor.as_bytes())?;
        out.write_all(b"\n")?;
        let minor: u16 = minor.to_str().and_then(|m| m.parse().ok()).unwrap_or(0);
        // SAFETY: the plugins are the test's own.
        match unsafe { load::load(path, host, minor) } {
            Ok(plugin) => print_plugin(out, &plugin)?,
            Err(err) => print_error(out, &err)?,
        }
    }
    Ok(())
}

fn main() {
    let args: Vec<std::ffi::OsString> = env::args_os().skip(1).collect();
    if args.len() % 2 != 0 {
        eprintln!("usage: rload [PLUGIN REQUIRED_MINOR]...");
        exit(2);
    }
    let mut out = io::BufWriter::new(io::stdout());
    if let Err(e) = run(&args, &mut out).and_then(|_| out.flush()) {
        eprintln!("rload: {e}");
        exit(2);
    }
}
