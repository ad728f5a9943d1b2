#!/usr/bin/env bash
# CHITIN_CALL fixes the calling convention (doc/abi.md 3.1): the code a
# compiler makes for tests/cgen/callconv/callconv.c (slots, a callback and
# an export, defined and called) must not change when an option changes
# the compiler's default convention:
#   - gcc -m32 and clang i686-linux: -mregparm=3, -mrtd, both;
#   - gcc x86_64: -mabi=ms;
#   - clang i686-windows-msvc: stdcall, fastcall and vectorcall defaults
#     (/Gz, /Gr, /Gv), and -mrtd; clang x86_64-windows-msvc: vectorcall;
#   - clang i686-w64-mingw32: -mregparm=3, -mrtd.
# Compiled freestanding to assembly and compared without the assembler's
# directives, so no 32-bit C library is needed; a compiler that cannot
# build for a target is skipped with a message.
set -euo pipefail

me=run-call-convention
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
CHITIN=${CHITIN:-$top_builddir/chitin}
read -r -a cc <<<"${CC:-gcc}"
clang=${CLANG:-clang}

. "$srcdir/tests/lib.sh"
lib_work
dir=$srcdir/tests/cgen/callconv
runtime_include=$srcdir/runtime/include

if ! "$CHITIN" gen --c -o "$work" "$dir/callconv.idl" 2>"$work/gen.err"; then
	bad "chitin gen --c callconv.idl"
	show "$work/gen.err"
	lib_summary
fi

# code NAME COMPILER-AND-FLAGS...: the assembly of callconv.c, without
# directives and labels of the assembler's own, into $work/NAME.s.
code() {
	local name=$1
	shift
	run_limited "$@" -ffreestanding -std=c11 -O2 -Wall -Wextra -pedantic -Werror \
		-I "$work" -I "$runtime_include" -S -o "$work/$name.raw" "$dir/callconv.c" \
		>"$work/$name.err" 2>&1 || return 1
	grep -Ev '^[[:space:]]*\.|^\.L|^#|^[[:space:]]*#' "$work/$name.raw" >"$work/$name.s"
}

# same NAME BASE... -- OPTIONS...: the code with OPTIONS is the code
# without them.
same() {
	local name=$1 base=() opts
	shift
	while [ "$1" != -- ]; do
		base+=("$1")
		shift
	done
	shift
	printf '#include <stdint.h>\n' >"$work/probe.c"
	if ! run_limited "${base[@]}" -ffreestanding -S -o "$work/probe.s" "$work/probe.c" \
		>"$work/probe.err" 2>&1; then
		echo "skip $name: '${base[*]}' cannot compile for this target here"
		show "$work/probe.err"
		return 0
	fi
	if ! code "$name.base" "${base[@]}"; then
		bad "$name: callconv.c does not compile"
		show "$work/$name.base.err"
		return 0
	fi
	for opts in "$@"; do
		read -r -a extra <<<"$opts"
		if ! code "$name.opt" "${base[@]}" "${extra[@]}"; then
			bad "$name $opts: does not compile"
			show "$work/$name.opt.err"
			continue
		fi
		if cmp -s "$work/$name.base.s" "$work/$name.opt.s"; then
			ok "$name: $opts changes no boundary function's convention"
		else
			bad "$name: $opts changes the code of boundary functions"
			diff "$work/$name.base.s" "$work/$name.opt.s" >"$work/$name.diff" || true
			show "$work/$name.diff"
		fi
	done
}

same "${cc[*]} -m32" "${cc[@]}" -m32 -- "-mregparm=3" "-mrtd" "-mregparm=3 -mrtd"
same "${cc[*]} x86_64" "${cc[@]}" -m64 -- "-mabi=ms"
if command -v "$clang" >/dev/null 2>&1; then
	same "clang i686-linux" "$clang" --target=i686-linux-gnu -- "-mregparm=3" "-mrtd" \
		"-mregparm=3 -mrtd"
	same "clang i686-windows-msvc" "$clang" --target=i686-windows-msvc -- \
		"-Xclang -fdefault-calling-conv=stdcall" "-Xclang -fdefault-calling-conv=fastcall" \
		"-Xclang -fdefault-calling-conv=vectorcall" "-mrtd"
	same "clang x86_64-windows-msvc" "$clang" --target=x86_64-windows-msvc -- \
		"-Xclang -fdefault-calling-conv=vectorcall"
	same "clang i686-w64-mingw32" "$clang" --target=i686-w64-mingw32 -- "-mregparm=3" "-mrtd"
else
	echo "skip clang: no $clang"
fi

lib_summary
