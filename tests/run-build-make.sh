#!/usr/bin/env bash
# The make integration (doc/build.md 2): the sample samples/integration/make,
# built with GNU make and the chitin.mk that make install installs, found
# with pkg-config, runs $CHITIN (a wrapper that counts its runs of the
# installed chitin) and $CC (one that counts compiles).  The first build generates both modules and the program runs;
# a second make does nothing; touching an imported file runs chitin again
# and compiles nothing; a change that leaves the outputs as they are
# still updates the stamps, and the make after it does nothing (no loop);
# a change to the outputs recompiles the program; a deleted output is made
# again; an empty CHITIN is unset; a module not named as its file is a
# clear error.
set -euo pipefail

me=run-build-make
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
CHITIN=${CHITIN:-$top_builddir/chitin}
. "$srcdir/tests/lib.sh"
lib_work

if ! command -v make >/dev/null 2>&1 || ! make --version 2>/dev/null | grep -q 'GNU Make'; then
	echo "skip the make integration: no GNU make"
	lib_summary
	exit 0
fi
lib_stage || lib_summary
# chitin.mk and chitin where chitin.pc says they are
mk=$(lib_pc_var makedir)/chitin.mk
installed=$(lib_pc_var chitin)
check "pkg-config: makedir has chitin.mk" test -f "$mk"
check "pkg-config: chitin is the compiler" test -x "$installed"
if [ ! -f "$mk" ] || [ ! -x "$installed" ]; then
	lib_summary
fi
libdir=$(lib_pc_var libdir)
# The sample finds chitin.mk with pkg-config itself when pkg-config puts
# the sysroot before a variable (pkgconf does); else it is given it.
mk_arg=()
case $(pkg-config --variable=makedir chitin) in
"$stage"/*) ;;
*) mk_arg=(CHITIN_MK="$mk") ;;
esac

# The sample and its sources, in a scratch copy: the build writes there.
cp -R "$srcdir/samples/integration" "$work/src"
chmod -R u+w "$work/src"
dir=$work/src/make

# The tools, each noting its runs.
printf '#!/bin/sh\necho "$*" >>"%s"\nexec "%s" "$@"\n' "$work/chitin.log" "$installed" >"$work/chitin"
read -r -a cc <<<"${CC:-gcc}"
cc_path=$(command -v "${cc[0]}")
printf '#!/bin/sh\necho "$*" >>"%s"\nexec "%s" %s "$@"\n' "$work/cc.log" "$cc_path" "${cc[*]:1}" >"$work/cc"
chmod +x "$work/chitin" "$work/cc"
runs() {
	[ -f "$work/$1.log" ] && wc -l <"$work/$1.log" || echo 0
}

# build NAME [MAKE-ARGS...]: make, with a fresh count of the runs; a
# failed make is a failed check.  The environment's CHITIN is $chitin_env
# when that is set (even to nothing), else the counting wrapper.
build() {
	local name=$1
	shift
	rm -f "$work/chitin.log" "$work/cc.log"
	if CHITIN=${chitin_env-$work/chitin} run_limited env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
		make -C "$dir" -j2 "$@" ${mk_arg[@]+"${mk_arg[@]}"} CC="$work/cc" \
		CFLAGS="-std=c11 -Wall -Wextra -pedantic -Werror -O1 ${SANITIZER_CFLAGS:-}" \
		LDFLAGS="${SANITIZER_CFLAGS:-}" >"$work/make.out" 2>&1; then
		return 0
	fi
	bad "$name: make"
	show "$work/make.out"
	return 1
}

# Sources two hours old, everything built one hour old: what follows is
# newer whatever the file system's clock resolution.
age() {
	find "$work/src" -type f -exec touch -d '-2 hours' {} +
	find "$dir/gen" "$dir/greet" "$dir/greet.o" -type f -exec touch -d '-1 hour' {} +
}

if build "first build"; then
	check "first build: chitin ran for both modules" test "$(runs chitin)" = 2
	check "first build: the stamps and dependency files are made" \
		test -f "$dir/gen/greeter.idl.stamp" -a -f "$dir/gen/greeter.idl.d" -a -f "$dir/gen/names.idl.stamp"
	if LD_LIBRARY_PATH=$libdir "$dir/greet" Ada >"$work/run.out" 2>&1 &&
		grep -qx 'Hello, Ada.' "$work/run.out"; then
		ok "first build: greet runs"
	else
		bad "first build: greet runs"
		show "$work/run.out"
	fi
else
	lib_summary
fi
age

if build "second build"; then
	check "second build: chitin does not run" test "$(runs chitin)" = 0
	check "second build: nothing is compiled" test "$(runs cc)" = 0
fi

touch "$work/src/idl/types/names.idl"
if build "imported file touched"; then
	check "imported file touched: chitin runs for each module that imports it" test "$(runs chitin)" = 2
	check "imported file touched: nothing is compiled (the outputs are unchanged)" test "$(runs cc)" = 0
	check "imported file touched: the header keeps its time" test "$work/src/idl/types/names.idl" -nt "$dir/gen/names.h"
	check "imported file touched: the stamp is newer" test ! "$work/src/idl/types/names.idl" -nt "$dir/gen/names.idl.stamp"
fi
if build "then again"; then
	check "then again: chitin does not run (no loop)" test "$(runs chitin)" = 0
fi

# A plain comment leaves every output as it was.
echo '// a comment is in no output' >>"$work/src/idl/greeter.idl"
if build "a comment added"; then
	check "a comment added: chitin runs" test "$(runs chitin)" = 1
	check "a comment added: nothing is compiled" test "$(runs cc)" = 0
fi
if build "then again"; then
	check "then again: chitin does not run (no loop)" test "$(runs chitin)" = 0
fi

# A doc comment is in the header: the program is compiled again.
sed -i 's|^/// Makes greetings\.|/// Makes greetings, formal or not.|' "$work/src/idl/greeter.idl"
if build "the header changed"; then
	check "the header changed: chitin runs" test "$(runs chitin)" = 1
	check "the header changed: greet.c is compiled again" grep -q ' -c .* \.\./greet\.c$' "$work/cc.log"
	check "the header changed: it holds the new comment" grep -q 'formal or not' "$dir/gen/greeter.h"
fi

# The makefile under another name: the rule that makes the output again
# runs make on it.
rm "$dir/gen/greeter.h"
mv "$dir/Makefile" "$dir/greet.mk"
if build "an output deleted" -f greet.mk; then
	check "an output deleted: it is made again" test -f "$dir/gen/greeter.h"
fi
mv "$dir/greet.mk" "$dir/Makefile"

# An empty CHITIN, from the environment or make's command line, is unset,
# as CMake and build.rs take it: chitin on PATH runs (the counting
# wrapper is named chitin), not " gen ...".
touch "$work/src/idl/greeter.idl"
if PATH=$work:$PATH chitin_env= build "CHITIN empty in the environment"; then
	check "CHITIN empty in the environment: chitin on PATH runs" test "$(runs chitin)" = 1
fi
touch "$work/src/idl/greeter.idl"
if PATH=$work:$PATH build "CHITIN empty on the command line" CHITIN=; then
	check "CHITIN empty on the command line: chitin on PATH runs" test "$(runs chitin)" = 1
fi

# A module whose name is not its file's: the outputs are not the ones the
# rules expect, and make says why.
sed 's/^module names;/module people;/' "$work/src/idl/types/names.idl" >"$work/src/idl/types/persons.idl"
if lib_make -C "$dir" CHITIN="$installed" CHITIN_MK="$mk" gen/persons.h >"$work/bad.out" 2>&1; then
	bad "a module not named as its file: make fails"
else
	check "a module not named as its file: make says why" \
		grep -q 'made no gen/persons.h: is the module of persons.idl named persons' "$work/bad.out"
fi
lib_summary
