#!/usr/bin/env bash
# The CMake integration (doc/build.md 3): the package make install
# installs, found by find_package(chitin) from a DESTDIR staging directory.
# The sample samples/integration/cmake, built with each generator there is
# (Unix Makefiles, Ninja), links a C program to chitin::libchitin and
# includes the headers chitin_generate made, running $CHITIN (a wrapper
# that counts its runs) and a compiler that counts its compiles: the first
# build generates both modules and the program runs; a second does nothing;
# touching an imported file runs chitin again and compiles nothing, and
# the build after it does nothing; a changed header recompiles the
# program; with Ninja, a deleted output is made again. A second project
# holds OUT_VAR, MODULE, every output flag, chitin::headers, RUST_PARENT,
# DEPENDS, the version check and the installed chitin run without $CHITIN;
# a third, a module not named as its file, which stops the build with a
# message.
set -euo pipefail

me=run-build-cmake
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
CHITIN=${CHITIN:-$top_builddir/chitin}
. "$srcdir/tests/lib.sh"
lib_work

if ! command -v cmake >/dev/null 2>&1; then
	echo "skip the CMake integration: no cmake (Debian: cmake)"
	lib_summary
	exit 0
fi
version=$(cmake --version | sed -n 's/^cmake version \([0-9]*\.[0-9]*\).*/\1/p')
if [ "$(printf '%s\n3.20\n' "$version" | sort -V | head -n 1)" != 3.20 ]; then
	echo "skip the CMake integration: cmake $version is older than the sample's 3.20"
	lib_summary
	exit 0
fi
lib_stage || lib_summary
# the package and chitin where chitin.pc says they are
cmakedir=$(lib_pc_var cmakedir)
if [ ! -f "$cmakedir/chitinConfig.cmake" ] || [ ! -f "$cmakedir/chitinConfigVersion.cmake" ] ||
	[ ! -f "$cmakedir/chitin-stamp.cmake" ]; then
	bad "pkg-config: cmakedir has chitinConfig.cmake, chitinConfigVersion.cmake and chitin-stamp.cmake"
	lib_summary
fi
ok "pkg-config: cmakedir has the package"
prefix=$(lib_pc_var prefix)
chitin_abs=$(lib_pc_var chitin)
check "pkg-config: chitin is the compiler" test -x "$chitin_abs"
printf '#!/bin/sh\necho "$*" >>"%s"\nexec "%s" "$@"\n' "$work/chitin.log" "$chitin_abs" >"$work/chitin"
read -r -a cc <<<"${CC:-gcc}"
cc_path=$(command -v "${cc[0]}")
printf '#!/bin/sh\necho "$*" >>"%s"\nexec "%s" %s "$@"\n' "$work/cc.log" "$cc_path" "${cc[*]:1}" >"$work/cc"
chmod +x "$work/chitin" "$work/cc"
runs() {
	[ -f "$work/$1.log" ] && wc -l <"$work/$1.log" || echo 0
}
cflags="-Wall -Wextra -pedantic -Werror ${SANITIZER_CFLAGS:-}"

# configure NAME SRC BUILD ARGS...: cmake with the staged prefix; a failure
# is a failed check.
configure() {
	local name=$1 src=$2 build=$3
	shift 3
	if run_limited cmake -S "$src" -B "$build" -DCMAKE_PREFIX_PATH="$prefix" \
		-DCMAKE_C_FLAGS="$cflags" -DCMAKE_EXE_LINKER_FLAGS="${SANITIZER_CFLAGS:-}" \
		"$@" >"$work/configure.out" 2>&1; then
		return 0
	fi
	bad "$name: cmake configures"
	show "$work/configure.out"
	return 1
}

# build NAME BUILD: cmake --build, with a fresh count of the runs.
build() {
	rm -f "$work/chitin.log" "$work/cc.log"
	if run_limited env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
		cmake --build "$2" -j 2 >"$work/build.out" 2>&1; then
		return 0
	fi
	bad "$1: cmake --build"
	show "$work/build.out"
	return 1
}

# Everything but the build two hours old (the sources, the staged
# installation, the wrappers), the build one hour old: what follows is
# newer whatever the file system's clock resolution.
age() {
	find "$work" -type f -exec touch -d '-2 hours' {} +
	find "$1" -type f -exec touch -d '-1 hour' {} +
}

# sample GENERATOR: the sample's builds with GENERATOR.
sample() {
	local g=$1 tag src build
	tag=$(echo "$1" | tr 'A-Z ' 'a-z-')
	src=$work/$tag/src
	build=$work/$tag/build
	mkdir -p "$work/$tag"
	cp -R "$srcdir/samples/integration" "$src"
	chmod -R u+w "$src"
	CHITIN=$work/chitin configure "$g" "$src/cmake" "$build" -G "$g" \
		-DCMAKE_C_COMPILER="$work/cc" || return 0
	check "$g: CHITIN_EXECUTABLE is \$CHITIN" \
		grep -qx "CHITIN_EXECUTABLE:FILEPATH=$work/chitin" "$build/CMakeCache.txt"

	build "$g, first build" "$build" || return 0
	check "$g, first build: chitin ran for both modules" test "$(runs chitin)" = 2
	if "$build/greet" Ada >"$work/run.out" 2>&1 && grep -qx 'Hello, Ada.' "$work/run.out"; then
		ok "$g, first build: greet runs"
	else
		bad "$g, first build: greet runs"
		show "$work/run.out"
	fi
	age "$build"

	if build "$g, second build" "$build"; then
		check "$g, second build: chitin does not run" test "$(runs chitin)" = 0
		check "$g, second build: nothing is compiled" test "$(runs cc)" = 0
	fi

	touch "$src/idl/types/names.idl"
	if build "$g, imported file touched" "$build"; then
		check "$g, imported file touched: chitin runs for each module that imports it" \
			test "$(runs chitin)" = 2
		check "$g, imported file touched: nothing is compiled" test "$(runs cc)" = 0
		check "$g, imported file touched: the header keeps its time" \
			test "$src/idl/types/names.idl" -nt "$build/names.h"
	fi
	if build "$g, then again" "$build"; then
		check "$g, then again: chitin does not run (no loop)" test "$(runs chitin)" = 0
	fi

	sed -i 's|^/// Makes greetings\.|/// Makes greetings, formal or not.|' "$src/idl/greeter.idl"
	if build "$g, the header changed" "$build"; then
		check "$g, the header changed: chitin runs for greeter" test "$(runs chitin)" = 1
		check "$g, the header changed: greet.c is compiled again" grep -q ' -c [^ ]*/greet\.c$' "$work/cc.log"
		check "$g, the header changed: names_desc.c is not (names.h is unchanged)" \
			test "$(grep -c ' -c [^ ]*/names_desc\.c$' "$work/cc.log")" = 0
	fi

	# The Makefile generators do not make a missing byproduct again
	# (doc/build.md 3).
	if [ "$g" = Ninja ]; then
		rm "$build/greeter.h"
		if build "$g, an output deleted" "$build"; then
			check "$g, an output deleted: it is made again" test -f "$build/greeter.h"
		fi
	fi
}

gens=()
if command -v make >/dev/null 2>&1; then
	gens+=("Unix Makefiles")
else
	echo "skip the Unix Makefiles generator: no make"
fi
if command -v ninja >/dev/null 2>&1; then
	gens+=(Ninja)
else
	echo "skip the Ninja generator: no ninja (Debian: ninja-build)"
fi
if [ ${#gens[@]} -eq 0 ]; then
	echo "skip the CMake sample: neither make nor ninja"
	lib_summary
	exit 0
fi
for g in "${gens[@]}"; do
	sample "$g"
done

# OUT_VAR, MODULE, every output, chitin::headers, RUST_PARENT, DEPENDS,
# the version check, and the installed chitin when $CHITIN is not set.
ex=$work/extra
mkdir -p "$ex/idl"
sed 's/^module names;/module people;/' "$srcdir/samples/integration/idl/types/names.idl" >"$ex/idl/persons.idl"
cp -R "$srcdir/samples/integration/idl" "$ex/sdk"
chmod -R u+w "$ex/sdk"
echo 1 >"$ex/options.txt"
cat >"$ex/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.20)
project(extra LANGUAGES C)
find_package(chitin 99.0 QUIET)
if(chitin_FOUND)
	message(FATAL_ERROR "chitin 99.0 found")
endif()
find_package(chitin 0.1 REQUIRED)
chitin_generate(OUT_VAR gen IDL idl/persons.idl MODULE people OUTPUT_DIR out
	C DESC_C JSON RUST)
set(want "out/people.h;out/people_desc.c;out/people.json;out/people.rs;out/persons.idl.stamp")
list(TRANSFORM want PREPEND "${CMAKE_CURRENT_BINARY_DIR}/")
if(NOT gen STREQUAL want)
	message(FATAL_ERROR "OUT_VAR: ${gen}, not ${want}")
endif()
chitin_generate(OUT_VAR rust IDL sdk/greeter.idl IMPORT_DIRS sdk/types OUTPUT_DIR rust
	RUST RUST_PARENT crate::sdk DEPENDS options.txt)
add_library(people OBJECT ${gen} ${rust})
target_include_directories(people PRIVATE "${CMAKE_CURRENT_BINARY_DIR}/out")
target_link_libraries(people PRIVATE chitin::headers)
set_target_properties(people PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON)
EOF
if (unset CHITIN && configure "OUT_VAR and MODULE" "$ex" "$ex/build"); then
	ok "find_package(chitin 99.0) finds nothing, OUT_VAR lists the outputs and the stamp"
	check "without \$CHITIN, CHITIN_EXECUTABLE is the installed chitin" \
		grep -qx "CHITIN_EXECUTABLE:FILEPATH=$chitin_abs" "$ex/build/CMakeCache.txt"
	if build "OUT_VAR and MODULE" "$ex/build"; then
		for f in people.h people_desc.c people.json people.rs; do
			check "OUT_VAR and MODULE: out/$f is made" test -f "$ex/build/out/$f"
		done
		check "RUST_PARENT: greeter.rs names names' types under crate::sdk" \
			grep -q 'crate::sdk::names::Name' "$ex/build/rust/greeter.rs"
		age "$ex/build"
		touch "$ex/options.txt"
		if build "DEPENDS" "$ex/build"; then
			check "DEPENDS: a change to the file runs chitin again" \
				test ! "$ex/options.txt" -nt "$ex/build/rust/greeter.idl.stamp"
			check "DEPENDS: and only for the command it was given to" \
				test "$ex/options.txt" -nt "$ex/build/out/persons.idl.stamp"
		fi
	fi
fi

# A module not named as its file, without MODULE: the build stops and
# says why.
bad_=$work/misnamed
mkdir -p "$bad_"
cp "$ex/idl/persons.idl" "$bad_/persons.idl"
cat >"$bad_/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.20)
project(misnamed LANGUAGES C)
find_package(chitin REQUIRED)
add_library(persons OBJECT)
chitin_generate(TARGET persons IDL persons.idl)
target_link_libraries(persons PRIVATE chitin::headers)
EOF
# $CHITIN as a name: the chitin of that name on PATH.
mkdir -p "$work/bin"
cp "$work/chitin" "$work/bin/chitin"
if CHITIN=chitin PATH="$work/bin:$PATH" configure "a module not named as its file" "$bad_" "$bad_/build"; then
	check "\$CHITIN as a name: CHITIN_EXECUTABLE is the one on PATH" \
		grep -qx "CHITIN_EXECUTABLE:FILEPATH=$work/bin/chitin" "$bad_/build/CMakeCache.txt"
	rm -f "$work/chitin.log"
	if run_limited env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
		cmake --build "$bad_/build" >"$work/build.out" 2>&1; then
		bad "a module not named as its file: the build fails"
	else
		# CMake folds the message's lines
		tr -s ' \n' '  ' <"$work/build.out" >"$work/build.line"
		check "a module not named as its file: the build says why" \
			grep -q 'wrote no [^ ]*/persons\.h: is its module named persons?' "$work/build.line"
	fi
fi
lib_summary
