#!/usr/bin/env bash
# <chitin/chitin.h> compiles warning-free as C11 and C++11 under gcc and
# clang, and freestanding under clang for each of the ten targets, where
# its own static assertions check the vtable header and helper layouts.
set -euo pipefail

src=${srcdir:-.}
inc=$src/runtime/include
cc=${CC:-gcc}
clang=${CLANG:-clang}
me=run-chitin-h
. "$src/tests/lib.sh"
lib_targets
try() { # NAME COMPILER-AND-FLAGS...
	local name=$1
	shift
	if echo '#include <chitin/chitin.h>' | "$@" -Wall -Wextra -pedantic -Werror -I"$inc" -fsyntax-only -; then
		ok "$name"
	else
		bad "$name"
	fi
}

try "$cc C11" $cc -x c -std=c11
if command -v g++ >/dev/null; then try "g++ C++11" g++ -x c++ -std=c++11; fi
if command -v "$clang" >/dev/null; then
	try "clang C11" "$clang" -x c -std=c11
	try "clang C++11" "$clang" -x c++ -std=c++11
	for t in "${target_triples[@]}"; do
		try "clang $t C11" "$clang" --target="$t" -ffreestanding -x c -std=c11
		try "clang $t C++11" "$clang" --target="$t" -ffreestanding -nostdinc++ -x c++ -std=c++11
	done
fi
lib_summary
