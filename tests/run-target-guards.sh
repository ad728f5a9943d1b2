#!/usr/bin/env bash
# The C guards of the targets (doc/abi.md 1.3, `chitin targets`), each
# evaluated by clang for many compiler targets:
#   - each of the ten triples, and the other spellings of a target listed
#     below, makes exactly that target's guard true;
#   - a platform chitin has not laid out, though it shares an
#     architecture with one of the ten (a soft-float or single-float ABI,
#     big-endian, ILP32, iOS, watchOS, tvOS, a simulator, Mac Catalyst,
#     x32), makes every guard false;
# and on each such platform a generated header compiles, keeps no layout
# class and says in a comment that it asserts nothing, and a descriptor
# source stops with its #error.  A triple this clang cannot compile for
# is skipped with a message.
set -euo pipefail

me=run-target-guards
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
CHITIN=${CHITIN:-$top_builddir/chitin}
clang=${CLANG:-clang}

. "$srcdir/tests/lib.sh"
lib_targets
lib_work
runtime_include=$srcdir/runtime/include

if ! command -v "$clang" >/dev/null 2>&1; then
	echo "$me: skipped: no $clang"
	exit 77
fi

# Other spellings of the ten: chitin name, then clang's target and flags.
aliases=(
	"aarch64-macos|arm64-apple-macos11"
	"x86_64-macos|x86_64-apple-macos10.15"
	"x86_64-windows|x86_64-w64-mingw32"
	"i686-windows|i686-w64-mingw32"
	"riscv64-linux|riscv64-linux-gnu -march=rv64gc -mabi=lp64d"
	"armv7-linux|armv7-linux-gnueabihf -mfloat-abi=hard"
)
# Platforms none of the ten is.
unknown=(
	"riscv64-linux-gnu -march=rv64imac -mabi=lp64"
	"riscv64-linux-gnu -march=rv64imafc -mabi=lp64f"
	"aarch64_be-linux-gnu"
	"armeb-linux-gnueabihf"
	"armv7-linux-gnueabi"
	"armv7-linux-gnueabihf -mfloat-abi=softfp"
	"arm64-apple-ios14"
	"arm64-apple-ios14-simulator"
	"arm64-apple-ios14-macabi"
	"x86_64-apple-ios14-simulator"
	"arm64-apple-tvos14"
	"arm64_32-apple-watchos8"
	"x86_64-linux-gnux32"
	"aarch64-windows-msvc"
	"wasm32-unknown-emscripten"
)

# One line per target: "#if GUARD" then the target's name.
"$CHITIN" targets >"$work/targets"
while IFS=$'\t' read -r name _triple _rust guard; do
	printf '#if %s\nchitin_guard_true %s\n#endif\n' "$guard" "$name"
done <"$work/targets" >"$work/guards.c"

# usable TARGET FLAGS...: whether clang compiles for it here.
usable() {
	printf '#include <stdint.h>\n' >"$work/probe.c"
	run_limited "$clang" --target="$1" "${@:2}" -ffreestanding -c "$work/probe.c" \
		-o "$work/probe.o" >/dev/null 2>&1
}

# true_guards TARGET FLAGS...: the names of the targets whose guard holds.
true_guards() {
	# -std=c11: in GNU mode `linux` is a macro, and expands in the names
	run_limited "$clang" --target="$1" "${@:2}" -ffreestanding -std=c11 -E -P "$work/guards.c" |
		sed -n 's/^chitin_guard_true //p' | tr '\n' ' ' | sed 's/ $//'
}

# expect NAME SPEC: the guards true for SPEC (a triple and flags) are
# exactly NAME's ("" for none).
expect() {
	local want=$1 spec got
	read -r -a spec <<<"$2"
	if ! usable "${spec[@]}"; then
		echo "skip ${spec[*]}: $clang cannot compile for it here"
		return 0
	fi
	got=$(true_guards "${spec[@]}")
	if [ "$got" = "$want" ]; then
		ok "${spec[*]}: ${want:-no} target's guard holds"
	else
		bad "${spec[*]}: the guards of '${got:-none}' hold, not ${want:-none}"
	fi
}

set -- "${targets[@]}"
while [ $# -gt 0 ]; do
	expect "$1" "$2"
	shift 2
done
for a in "${aliases[@]}"; do
	expect "${a%%|*}" "${a#*|}"
done

"$CHITIN" gen --c --desc-c -o "$work" "$srcdir/tests/golden/gen/shapes.idl"
printf '#include "shapes.h"\n' >"$work/tu.c"
for u in "${unknown[@]}"; do
	read -r -a spec <<<"$u"
	expect "" "$u"
	usable "${spec[@]}" || continue
	cmd=("$clang" --target="${spec[0]}" "${spec[@]:1}" -ffreestanding -std=c11
		-Wall -Wextra -pedantic -Werror -I "$work" -I "$runtime_include")
	if run_limited "${cmd[@]}" -c "$work/tu.c" -o "$work/tu.o" >"$work/tu.err" 2>&1; then
		ok "$u: shapes.h compiles"
	else
		bad "$u: shapes.h does not compile"
		show "$work/tu.err"
	fi
	run_limited "${cmd[@]}" -E -C "$work/tu.c" >"$work/tu.i" 2>/dev/null || true
	if grep -q 'chitin layout class of' "$work/tu.i"; then
		bad "$u: shapes.h keeps a layout class"
	elif grep -q 'so this header asserts nothing there' "$work/tu.i"; then
		ok "$u: shapes.h keeps no layout class and says it asserts nothing"
	else
		bad "$u: shapes.h does not say that it asserts nothing"
	fi
	if run_limited "${cmd[@]}" -c "$work/shapes_desc.c" -o "$work/desc.o" >"$work/desc.err" 2>&1; then
		bad "$u: shapes_desc.c compiles for a target it does not know"
	elif grep -q 'does not know the target' "$work/desc.err"; then
		ok "$u: shapes_desc.c stops with its #error"
	else
		bad "$u: shapes_desc.c fails, but not with its #error"
		show "$work/desc.err"
	fi
done

lib_summary
