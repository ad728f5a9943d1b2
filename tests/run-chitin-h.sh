#!/usr/bin/env bash
# libchitin's public headers (every runtime/include/chitin/*.h, each
# alone) compile warning-free as C11 and C++11 under gcc and clang, and
# freestanding under clang for each of the ten targets, where
# <chitin/chitin.h>'s own static assertions check the vtable header and
# helper layouts.  The warnings include -Wshadow, which in C++ also finds
# a function named like a struct (it hides the struct's constructor): so
# every header, and a generated header and descriptor source beside them
# (the sample SDK's), compiles with g++ -Wall -Wextra -Wshadow -Werror as
# C++11 and C++20, and a self-check shows that g++ refuses such a pair.
set -euo pipefail

src=${srcdir:-.}
top_builddir=${top_builddir:-.}
CHITIN=${CHITIN:-$top_builddir/chitin}
inc=$src/runtime/include
cc=${CC:-gcc}
cxx=${CXX:-g++}
clang=${CLANG:-clang}
me=run-chitin-h
. "$src/tests/lib.sh"
lib_targets
lib_work

headers=()
for h in "$inc"/chitin/*.h; do
	headers+=("$(basename "$h")")
done
check "the public headers are found (${headers[*]})" [ "${#headers[@]}" -ge 5 ]

warnings=(-Wall -Wextra -Wshadow -pedantic -Werror)
# try NAME COMPILER-AND-FLAGS...: each public header alone compiles (with
# a declaration after it: api.h alone declares nothing, and ISO C wants
# a translation unit to declare something).
try() {
	local name=$1 h
	shift
	for h in "${headers[@]}"; do
		if printf '#include <chitin/%s>\ntypedef int after_the_header;\n' "$h" |
			"$@" "${warnings[@]}" -I"$inc" -fsyntax-only - >"$work/err" 2>&1; then
			ok "$name: $h"
		else
			bad "$name: $h"
			show "$work/err"
		fi
	done
}

try "$cc C11" $cc -x c -std=c11
have_cxx=no
if command -v "$cxx" >/dev/null 2>&1; then
	have_cxx=yes
	try "$cxx C++11" "$cxx" -x c++ -std=c++11
	if "$cxx" -x c++ -std=c++20 -fsyntax-only /dev/null >/dev/null 2>&1; then
		try "$cxx C++20" "$cxx" -x c++ -std=c++20
	else
		echo "skip $cxx C++20: $cxx does not know -std=c++20"
	fi
else
	echo "skip C++ with $cxx: not found"
fi
if command -v "$clang" >/dev/null 2>&1; then
	try "clang C11" "$clang" -x c -std=c11
	try "clang C++11" "$clang" -x c++ -std=c++11
	for t in "${target_triples[@]}"; do
		try "clang $t C11" "$clang" --target="$t" -ffreestanding -x c -std=c11
		try "clang $t C++11" "$clang" --target="$t" -ffreestanding -nostdinc++ -x c++ -std=c++11
	done
else
	echo "skip clang: no $clang"
fi

# ---- generated code and the self-check, under g++ -Wshadow ------------------------

if [ $have_cxx = yes ]; then
	sdk=$src/samples/audio
	if "$CHITIN" gen --c --desc-c -o "$work/gen" "$sdk/sdk-1.1/audio.idl" "$sdk/dsp/common.idl" \
		>"$work/gen.err" 2>&1; then
		for std in c++11 c++20; do
			"$cxx" -x c++ -std=$std -fsyntax-only /dev/null >/dev/null 2>&1 || continue
			for f in audio.h audio_desc.c; do
				for mode in "" -DAUDIO_IMPLEMENTATION; do
					[ "$f" = audio.h ] && [ -n "$mode" ] && continue
					if "$cxx" -x c++ -std=$std "${warnings[@]}" $mode -I"$work/gen" -I"$inc" \
						-fsyntax-only "$work/gen/$f" >"$work/err" 2>&1; then
						ok "$cxx $std ${mode:+$mode }-Wshadow: the generated $f"
					else
						bad "$cxx $std ${mode:+$mode }-Wshadow: the generated $f"
						show "$work/err"
					fi
				done
			done
		done
	else
		bad "chitin gen --c --desc-c the sample SDK 1.1"
		show "$work/gen.err"
	fi
	# What hash.h once had: a one-shot function named like the struct
	# of its incremental state.
	printf 'struct sum { int n; };\nvoid sum(const void *data, int len);\n' >"$work/hides.h"
	if printf '#include "hides.h"\n' |
		"$cxx" -x c++ -std=c++11 "${warnings[@]}" -I"$work" -fsyntax-only - >"$work/err" 2>&1; then
		bad "self-check: $cxx -Wshadow refuses a function named like a struct"
	elif grep -q 'hides constructor' "$work/err"; then
		ok "self-check: $cxx -Wshadow refuses a function named like a struct"
	else
		bad "self-check: $cxx -Wshadow refuses a function named like a struct, for that reason"
		show "$work/err"
	fi
fi
lib_summary
