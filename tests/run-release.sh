#!/usr/bin/env bash
# The numbers doc/release.md says a release keeps in step: chitin's
# version (configure.ac, which chitin --version prints) in the crate's
# Cargo.toml and at the top of NEWS (the man page's is run-man.sh's); the
# descriptor's format number in descriptor.h, the Rust crate and
# doc/descriptor.md; the JSON documents' in backends/json.c and
# doc/abi.md 9.
set -euo pipefail

me='run-release'
srcdir=${srcdir:-.}
. "$srcdir/tests/lib.sh"

# same WHAT EXPECTED GOT: one check that GOT is EXPECTED.
same() {
	if [ -n "$2" ] && [ "$2" = "$3" ]; then
		ok "$1: $2"
	else
		bad "$1: '$3', not '$2'"
	fi
}

version=$("$CHITIN" --version | sed -n 's/^chitin //p')
same "the crate's version is chitin's" "$version" \
	"$(sed -n 's/^version = "\(.*\)"$/\1/p' "$srcdir/runtime/rust/Cargo.toml")"
same "the first entry of NEWS is chitin's version" "$version" \
	"$(sed -n 's/^\* Version \([^ ]*\) .*/\1/p' "$srcdir/NEWS" | head -n 1)"

format=$(sed -n 's/^#define CHITIN_DESC_FORMAT \([0-9]*\)$/\1/p' "$srcdir/runtime/include/chitin/descriptor.h")
same "the Rust crate reads the descriptor format libchitin does" "$format" \
	"$(sed -n 's/^pub const FORMAT: u16 = \([0-9]*\);$/\1/p' "$srcdir/runtime/rust/src/desc/mod.rs")"
same "descriptor.md describes that format" "$format" \
	"$(sed -n 's/^This document describes format \([0-9]*\)\..*/\1/p' "$srcdir/doc/descriptor.md")"

json=$(sed -n 's/.*"{\\n  \\"format\\": \([0-9]*\),.*/\1/p' "$srcdir/backends/json.c")
same "abi.md 9 describes the JSON format chitin writes" "$json" \
	"$(sed -n 's/^format \([0-9]*\) and share their parts\..*/\1/p' "$srcdir/doc/abi.md")"
lib_work
printf '[version(1.0)] module m;\nstruct S { u8 a; };\n' >"$work/m.idl"
"$CHITIN" layout --json "$work/m.idl" >"$work/layout.json"
"$CHITIN" gen --json -o "$work" "$work/m.idl"
same "chitin layout --json writes that format" "$json" "$(sed -n 's/^  "format": \([0-9]*\),$/\1/p' "$work/layout.json")"
same "chitin gen --json writes that format" "$json" "$(sed -n 's/^  "format": \([0-9]*\),$/\1/p' "$work/m.json")"
lib_summary
