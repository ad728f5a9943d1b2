#!/usr/bin/env bash
# Over-aligned values by value (doc/abi.md 3.2): the header of
# tests/cgen/aligned/aligned.idl passes every [in] value that holds an
# [align] struct by value as a const pointer, in slots, callbacks and
# exports; tests/cgen/aligned/use.c, written against those signatures,
# compiles warning-free as C11 (gcc, clang) and C++11 (g++) and runs.
set -euo pipefail

me=run-aligned-params
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
CHITIN=${CHITIN:-$top_builddir/chitin}
read -r -a cc <<<"${CC:-gcc}"
cxx=${CXX:-g++}
clang=${CLANG:-clang}

. "$srcdir/tests/lib.sh"
lib_work
dir=$srcdir/tests/cgen/aligned
flags=(-Wall -Wextra -Wshadow -pedantic -Werror -I "$work" -I "$srcdir/runtime/include")

if ! "$CHITIN" gen --c -o "$work" "$dir/aligned.idl" 2>"$work/gen.err"; then
	bad "chitin gen --c aligned.idl"
	show "$work/gen.err"
	lib_summary
fi

# build NAME COMPILER ARGS...: builds use.c and, for a program, runs it.
build() {
	local name=$1
	shift
	if run_limited "$@" "${flags[@]}" "$dir/use.c" -o "$work/$name" >"$work/$name.err" 2>&1; then
		ok "$name: use.c compiles"
	else
		bad "$name: use.c does not compile"
		show "$work/$name.err"
		return 0
	fi
	case " $* " in
	*" -c "*) ;;
	*) check "$name: use.c runs" "$work/$name" ;;
	esac
}

build "${cc[*]} C11" "${cc[@]}" -std=c11
if command -v "$clang" >/dev/null 2>&1; then
	build "$clang C11" "$clang" -std=c11
else
	echo "skip clang: no $clang"
fi
if command -v "$cxx" >/dev/null 2>&1; then
	build "$cxx C++11" "$cxx" -x c++ -std=c++11 -c
else
	echo "skip C++: no $cxx"
fi

lib_summary
