#!/usr/bin/env bash
# scripts/deps.sh's sets (README.md's quick start): `--demo --print` lists
# what scripts/demo.sh needs (building chitin, and the sample's C, C++ and
# Rust plugins), a part of what the whole `--print` lists and none of the
# test toolchains; --print installs nothing; --demo checks its set alone;
# and scripts/demo.sh asks for that set, of deps.sh and of build.sh.
# Nothing is installed: apt-get is a stub that records its calls.
set -euo pipefail

me=run-deps
srcdir=${srcdir:-.}

. "$srcdir/tests/lib.sh"
lib_work
deps=$srcdir/scripts/deps.sh

# A stub apt-get (and sudo) first on PATH: any call is recorded and fails.
mkdir -p "$work/stub"
for cmd in apt-get sudo; do
	printf '#!/bin/sh\necho "%s $*" >>"%s/installs"\nexit 1\n' "$cmd" "$work" >"$work/stub/$cmd"
	chmod +x "$work/stub/$cmd"
done

if PATH=$work/stub:$PATH bash "$deps" --print >"$work/all" 2>"$work/err" &&
	PATH=$work/stub:$PATH bash "$deps" --demo --print >"$work/demo" 2>>"$work/err" &&
	PATH=$work/stub:$PATH CHITIN_DEPS=demo bash "$deps" --print >"$work/demo-env" 2>>"$work/err"; then
	ok "--print lists the sets"
else
	bad "--print lists the sets"
	show "$work/err"
fi
check "--print installs nothing" test ! -e "$work/installs"
check "--print lists packages, one a line" grep -qx 'flex' "$work/all"
check "CHITIN_DEPS=demo is --demo" cmp -s "$work/demo" "$work/demo-env"

missing=$(sort "$work/demo" | comm -23 - <(sort "$work/all"))
check "the demo's set is part of the whole" test -z "$missing"
[ -z "$missing" ] || echo "  only in the demo's: $missing"

# What the demo runs (scripts/build.sh: autoreconf, configure with
# pkg-config's macros, flex, bison, libtool, make, gcc;
# samples/audio/demo.sh: cc, c++, rustc), and what only the tests use.
for pkg in autoconf automake libtool pkg-config flex bison make gcc g++ rustc; do
	check "the demo's set has $pkg" grep -qx "$pkg" "$work/demo"
done
for pkg in clang llvm gcc-mingw-w64 lld nodejs wasi-libc cmake libcmocka-dev cargo; do
	check "the demo's set lacks $pkg" bash -c '! grep -qx "$1" "$2"' - "$pkg" "$work/demo"
	check "the whole set has $pkg" grep -qx "$pkg" "$work/all"
done

# --demo checks its set alone: on a PATH that has the demo's commands
# (stubs) and none of the tests', it is content; the whole set is not.
mkdir -p "$work/path"
for cmd in flex bison autoconf automake libtoolize pkg-config make gcc g++ rustc; do
	printf '#!/bin/sh\nexit 0\n' >"$work/path/$cmd"
	chmod +x "$work/path/$cmd"
done
for cmd in sort tr id env cat; do
	ln -s "$(command -v "$cmd")" "$work/path/$cmd"
done
cp "$work/stub/apt-get" "$work/stub/sudo" "$work/path/"
bash=$(command -v bash)
check "--demo is content with the demo's commands" env PATH="$work/path" "$bash" "$deps" --demo
check "--demo installed nothing" test ! -e "$work/installs"
if env PATH="$work/path" "$bash" "$deps" >/dev/null 2>"$work/all.err"; then
	bad "the whole set wants more than the demo's"
else
	check "the whole set wants more than the demo's" grep -qw clang "$work/all.err"
fi

# scripts/demo.sh in a copy of the tree whose deps.sh, build.sh and
# sample demo record how they were run.
mkdir -p "$work/tree/scripts" "$work/tree/samples/audio"
cp "$srcdir/scripts/demo.sh" "$work/tree/scripts/"
for f in scripts/deps.sh scripts/build.sh samples/audio/demo.sh; do
	printf '#!/bin/sh\necho "%s $* CHITIN_DEPS=${CHITIN_DEPS:-}" >>"%s/runs"\n' "$f" "$work" \
		>"$work/tree/$f"
done
if bash "$work/tree/scripts/demo.sh" >"$work/demo.out" 2>&1; then
	ok "scripts/demo.sh runs"
else
	bad "scripts/demo.sh runs"
	show "$work/demo.out"
fi
check "demo.sh checks the demo's set" grep -qx 'scripts/deps.sh  CHITIN_DEPS=demo' "$work/runs"
check "demo.sh builds with the demo's set" grep -qx 'scripts/build.sh  CHITIN_DEPS=demo' "$work/runs"
check "demo.sh runs the sample" grep -q '^samples/audio/demo.sh ' "$work/runs"

lib_summary
