#!/usr/bin/env bash
# Layout agreement between C and Rust: the layout conformance corpus
# (tests/layout/corpus.idl and dep.idl) generated as C (chitin gen --c) and
# as Rust (chitin gen --rust).  A C program built by the host C compiler
# measures every type the module declares (structs, unions, enums, data
# enums with their payload structs and union, callbacks, resilient structs'
# field structs and the words of their layout records) with sizeof,
# _Alignof and offsetof, and prints what it
# measured as Rust assertions on the generated Rust types; a Rust program
# runs them on every toolchain here (lib_rustcs), with the modules' own
# check_layout(), so every size, alignment and field offset rustc gives the
# Rust types is the C compiler's -- no number typed by hand.  A self-check
# changes one measured offset, and the Rust program must then fail.
set -euo pipefail

me=run-rust-layout
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
CHITIN=${CHITIN:-$top_builddir/chitin}
read -r -a cc <<<"${CC:-gcc}"
src=$(cd "$srcdir" && pwd)
. "$src/tests/lib.sh"
lib_work
time_limit=300
layout=$src/tests/layout
crate=$src/runtime/rust

lib_rustcs
if [ "${#rustcs[@]}" -eq 0 ]; then
	bad "a Rust toolchain (none at /usr/bin/rustc, on PATH or in ~/.cargo/bin)"
	lib_summary
fi
if ! command -v jq >/dev/null 2>&1; then
	echo "$me: no jq" >&2
	exit 77
fi

mkdir -p "$work/c" "$work/rs"
"$CHITIN" gen --c -o "$work/c" -I "$layout" "$layout/corpus.idl" "$layout/dep.idl"
"$CHITIN" gen --rust -o "$work/rs" -I "$layout" "$layout/corpus.idl" "$layout/dep.idl"

# The probe: one printf per measurement, from the host target's layout
# JSON, which names every type and field (its numbers are not used).
rust_keywords='["as","async","await","box","break","const","continue","crate","do","dyn","else","enum","extern","false","final","fn","for","gen","if","impl","in","let","loop","macro","match","mod","move","mut","override","priv","pub","ref","return","static","struct","trait","true","try","type","typeof","unsafe","unsized","use","virtual","where","while","yield","abstract","become"]'
{
	echo '#include "corpus.h"'
	echo '#include "dep.h"'
	echo '#include <stddef.h>'
	echo '#include <stdio.h>'
	echo 'int main(void) {'
	for m in corpus dep; do
		"$CHITIN" layout --json --target x86_64-linux -I "$layout" "$layout/$m.idl" |
			jq -r --arg m "$m" --argjson kw "$rust_keywords" '
			def rid: if (. as $n | $kw | index($n)) then "r#" + . else . end;
			def size(c; r): "\tprintf(\"    assert_eq!((core::mem::size_of::<\(r)>(), core::mem::align_of::<\(r)>()), (%zu, %zu), \\\"the size and alignment of \(r)\\\");\\n\", sizeof(\(c)), _Alignof(\(c)));";
			def word(r; i; v): "\tprintf(\"    assert_eq!(record_word::<\(r)>(\(i)), %zu, \\\"word \(i) of the layout record of \(r)\\\");\\n\", (size_t)(\(v)));";
			def off(c; r; f): "\tprintf(\"    chitin::assert_offset!(\(r), \(f | rid), %zu);\\n\", offsetof(\(c), \(f)));";
			.types[]
			| . as $t
			| ($m + "_" + .name) as $c
			| ($m + "::" + .name) as $r
			| if .kind == "struct" and (.resilient | not) then
				size($c; $r), (.fields[] | off($c; $r; .name))
			  elif .kind == "struct" then
				size("struct \($c)_fields"; $r + "Fields"),
				(.fields[] | off("struct \($c)_fields"; $r + "Fields"; .name)),
				word($r; 0; "sizeof(struct \($c)_fields)"),
				word($r; 1; "_Alignof(struct \($c)_fields)"),
				word($r; 2; "\(.fields | length)u"),
				(.fields | to_entries[]
				 | word($r; 3 + .key; "offsetof(struct \($c)_fields, \(.value.name))"))
			  elif .kind == "union" then
				size($c; $r), (.fields[] | off($c; $r; .name))
			  elif .kind == "enum" or .kind == "callback" then
				size($c; $r)
			  elif .kind == "data_enum" then
				size($c; $r), off($c; $r; "tag"), off($c; $r; "payload"),
				(.variants[] | select(.payload) | . as $v
				 | ("struct \($c)_payload_\($v.name)") as $pc
				 | size($pc; $r + $v.name),
				   ($v.payload[] | off($pc; $r + $v.name; .name)))
			  else empty end'
	done
	echo '	return 0;'
	echo '}'
} >"$work/probe.c"
n=$(grep -c printf "$work/probe.c" || true)
if [ "$n" -lt 100 ]; then
	bad "the probe measures the corpus (only $n measurements)"
	lib_summary
fi
if ! "${cc[@]}" -std=c11 -Wall -Wextra -Werror -I "$work/c" -I "$src/runtime/include" "$work/probe.c" \
	-o "$work/probe" >"$work/probe.err" 2>&1; then
	bad "the C probe builds"
	show "$work/probe.err"
	lib_summary
fi
ok "the C probe builds, with $n measurements"
"$work/probe" >"$work/measured.rs"

# main.rs: the modules beside it, their own checks, then the C compiler's.
write_main() {
	{
		echo '#[allow(dead_code)]'
		echo 'mod corpus;'
		echo '#[allow(dead_code)]'
		echo 'mod dep;'
		echo
		echo '/// Word i of the layout record of S: size, align, field_count, offsets.'
		echo 'fn record_word<S: chitin::Resilient>(i: usize) -> usize {'
		echo '    // SAFETY: the record of S has its field_count offsets (chitin::Resilient).'
		echo '    unsafe { *S::record().cast::<u32>().add(i) as usize }'
		echo '}'
		echo
		echo 'fn main() {'
		echo '    corpus::check_layout();'
		echo '    dep::check_layout();'
		cat "$1"
		echo '    println!("ok");'
		echo '}'
	} >"$2/main.rs"
}
mkdir -p "$work/good" "$work/broken"
cp "$work/rs"/*.rs "$work/good/"
cp "$work/rs"/*.rs "$work/broken/"
write_main "$work/measured.rs" "$work/good"
# the self-check: the first offset that is not 0, one more
awk '!done && /assert_offset/ && !/, 0\);$/ { sub(/[0-9]+\);$/, ($NF + 1) ");"); done = 1 } { print }' \
	"$work/measured.rs" >"$work/changed.rs"
write_main "$work/changed.rs" "$work/broken"

for rc in "${rustcs[@]}"; do
	if [ ! -x "$rc" ]; then
		echo "skip $rc: not there"
		continue
	fi
	lib_rust_version "$rc"
	out=$work/$label
	mkdir -p "$out"
	if ! run_limited "$rc" --edition 2021 --crate-type rlib --crate-name chitin --cfg 'feature="std"' \
		-o "$out/libchitin.rlib" "$crate/src/lib.rs" >"$out/build.err" 2>&1 ||
		! run_limited "$rc" --edition 2021 -D warnings --extern chitin="$out/libchitin.rlib" \
			-o "$out/good" "$work/good/main.rs" >>"$out/build.err" 2>&1 ||
		! run_limited "$rc" --edition 2021 -D warnings --extern chitin="$out/libchitin.rlib" \
			-o "$out/broken" "$work/broken/main.rs" >>"$out/build.err" 2>&1; then
		bad "$label: the Rust programs build"
		show "$out/build.err"
		continue
	fi
	check "$label: every size, alignment and offset of the Rust types is the C compiler's" \
		test "$("$out/good" 2>&1)" = ok
	check "$label: a changed offset is found" sh -c '! "$1" >/dev/null 2>&1' sh "$out/broken"
done
lib_summary
