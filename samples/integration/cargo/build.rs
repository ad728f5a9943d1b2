//! Runs chitin gen --rust on the modules of ../idl into OUT_DIR (doc/build.md 4):
//! `$CHITIN` when it is set, else `chitin` on PATH. chitin's dependency file
//! names every file the modules import, and cargo runs this again when any of
//! them changes.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The modules, each with the modules it imports: a module's Rust file
/// names an imported module's types through `super::`, so both are
/// generated.
const IDL: &[&str] = &["../idl/greeter.idl", "../idl/types/names.idl"];
const IMPORT_DIRS: &[&str] = &["../idl/types"];

fn main() {
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let chitin = env::var_os("CHITIN")
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| "chitin".into());
    let depfile = out_dir.join("chitin.d");

    let mut cmd = Command::new(&chitin);
    cmd.arg("gen").arg("--rust").arg("-o").arg(&out_dir);
    for dir in IMPORT_DIRS {
        cmd.arg("-I").arg(dir);
    }
    cmd.arg("-MD").arg("-MF").arg(&depfile).args(IDL);
    let status = match cmd.status() {
        Ok(status) => status,
        Err(e) => panic!(
            "cannot run {}: {} (set CHITIN to the chitin to run)",
            Path::new(&chitin).display(),
            e
        ),
    };
    if !status.success() {
        panic!("{} gen failed: {}", Path::new(&chitin).display(), status);
    }

    println!("cargo:rerun-if-env-changed=CHITIN");
    let rule = fs::read_to_string(&depfile).expect("chitin gen -MD writes the dependency file");
    for file in prerequisites(&rule) {
        println!("cargo:rerun-if-changed={}", file);
    }
}

/// The prerequisites of the make rule chitin wrote: the words after the
/// first unescaped ':', where "\ " is a space, "\#" a '#' and "$$" a '$'
/// (chitin escapes names as GCC does).
fn prerequisites(rule: &str) -> Vec<String> {
    let mut files = Vec::new();
    let mut word = String::new();
    let mut after_colon = false;
    let mut chars = rule.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if matches!(chars.peek(), Some(' ') | Some('#') | Some('\t')) => {
                word.push(chars.next().unwrap_or(' '));
            }
            '\\' if chars.peek() == Some(&'\n') => {
                chars.next();
            }
            '$' if chars.peek() == Some(&'$') => {
                chars.next();
                word.push('$');
            }
            ':' if !after_colon && matches!(chars.peek(), Some(' ') | Some('\n') | None) => {
                after_colon = true;
                word.clear();
            }
            ' ' | '\t' | '\n' => {
                if after_colon && !word.is_empty() {
                    files.push(std::mem::take(&mut word));
                }
                word.clear();
                if c == '\n' && after_colon {
                    break;
                }
            }
            _ => word.push(c),
        }
    }
    if after_colon && !word.is_empty() {
        files.push(word);
    }
    files
}
