#!/usr/bin/env bash
# Instantiation C names (doc/abi.md 2.19): tests/cgen/instnames/a.idl
# holds result<E, b.E> and result<E, E>, whose layouts agree; the
# generated headers must give them distinct C types with the right
# members, and give an instantiation that a and b both use one C type.
# tests/cgen/instnames/use.c, which depends on both, compiles warning-free
# as C11 and C++11 and runs.
set -euo pipefail

me=run-inst-names
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
CHITIN=${CHITIN:-$top_builddir/chitin}
read -r -a cc <<<"${CC:-gcc}"
cxx=${CXX:-g++}

. "$srcdir/tests/lib.sh"
lib_work
dir=$srcdir/tests/cgen/instnames
flags=(-Wall -Wextra -Wshadow -pedantic -Werror -I "$work" -I "$srcdir/runtime/include")

if ! "$CHITIN" gen --c -o "$work" "$dir/a.idl" "$dir/b.idl" 2>"$work/gen.err"; then
	bad "chitin gen --c a.idl b.idl"
	show "$work/gen.err"
	lib_summary
fi
if run_limited "${cc[@]}" -std=c11 "${flags[@]}" "$dir/use.c" -o "$work/use" >"$work/cc.err" 2>&1; then
	ok "use.c compiles as C11: each instantiation has its own type"
	check "use.c runs" "$work/use"
else
	bad "use.c does not compile as C11"
	show "$work/cc.err"
fi
if command -v "$cxx" >/dev/null 2>&1; then
	if run_limited "$cxx" -x c++ -std=c++11 "${flags[@]}" -c "$dir/use.c" -o "$work/use.o" \
		>"$work/cxx.err" 2>&1; then
		ok "use.c compiles as C++11"
	else
		bad "use.c does not compile as C++11"
		show "$work/cxx.err"
	fi
else
	echo "skip C++: no $cxx"
fi
# One name for one instantiation: both headers spell vec<vec<u8>> alike.
for h in a b; do
	check "$h.h names vec<vec<u8>> chitin_vec_vec_u8" grep -q 'chitin_vec_vec_u8 bytes;' "$work/$h.h"
	check "$h.h names option<b.E> chitin_option_b_E" grep -q 'chitin_option_b_E maybe;' "$work/$h.h"
done

lib_summary
