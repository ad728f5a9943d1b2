#!/usr/bin/env bash
# After `make install`, a host and a plugin built with nothing but what is
# installed and `pkg-config --cflags --libs chitin` (issue: the headers and
# library the docs describe) load and call each other.  Run by
# scripts/test.sh from a configured, built tree: installs into a staging
# directory (DESTDIR), which pkg-config sees as its sysroot.
set -euo pipefail

me=install-check
srcdir=${srcdir:-.}
. "$srcdir/tests/lib.sh"
lib_work
read -r -a cc <<<"${CC:-gcc}"
stage=$work/stage

if ! make install DESTDIR="$stage" >"$work/install.log" 2>&1; then
	bad "make install"
	show "$work/install.log"
	lib_summary
fi
pc=$(find "$stage" -name chitin.pc | head -n 1)
if [ -z "$pc" ]; then
	bad "make install installs chitin.pc"
	lib_summary
fi
pcdir=$(dirname "$pc")
prefix=$(sed -n 's/^prefix=//p' "$pc")
export PKG_CONFIG_PATH=$pcdir PKG_CONFIG_LIBDIR=$pcdir PKG_CONFIG_SYSROOT_DIR=$stage
if ! pkg=$(pkg-config --cflags --libs chitin 2>"$work/pkg.err"); then
	bad "pkg-config finds chitin"
	show "$work/pkg.err"
	lib_summary
fi
ok "pkg-config: $pkg"
read -r -a pkg_flags <<<"$pkg"
libdir=$(sed -n 's/^libdir=//p' "$pc")
libdir=${libdir/\$\{exec_prefix\}/$prefix}
libdir=${libdir/\$\{prefix\}/$prefix}

mkdir -p "$work/gen"
check "the installed chitin generates lm" "$stage$prefix/bin/chitin" gen --c --desc-c -o "$work/gen" \
	"$srcdir/tests/cgen/loader/lm.idl"
check "the plugin builds with pkg-config alone" "${cc[@]}" -std=c11 -Wall -Wextra -Werror -fPIC -shared \
	-fvisibility=hidden -DLM_IMPLEMENTATION -I "$work/gen" "$srcdir/tests/cgen/loader/plugin.c" \
	"$work/gen/lm_desc.c" -o "$work/plugin.so" "${pkg_flags[@]}"
check "the host builds with pkg-config alone" "${cc[@]}" -std=c11 -Wall -Wextra -Werror -I "$work/gen" \
	"$srcdir/tests/cgen/loader/host.c" "$work/gen/lm_desc.c" -o "$work/host" "${pkg_flags[@]}"
if LD_LIBRARY_PATH=$stage$libdir "$work/host" "$work/plugin.so" 1 >"$work/run.out" 2>&1 &&
	grep -qx "total 7" "$work/run.out"; then
	ok "the host loads the plugin"
else
	bad "the host loads the plugin"
	show "$work/run.out"
fi

if [ -n "$(find "$stage" -path '*/man1/chitin.1' | head -n 1)" ]; then
	ok "make install installs chitin(1)"
else
	bad "make install installs chitin(1)"
fi

# The Rust crate's sources, under the data directory, build as they are.
rustc_=$(command -v rustc || true)
[ -n "$rustc_" ] || rustc_=/usr/bin/rustc
lib_rs=$(find "$stage" -path '*/chitin/rust/src/lib.rs' | head -n 1)
if [ -z "$lib_rs" ]; then
	bad "make install installs the Rust crate under the data directory"
elif [ -x "$rustc_" ]; then
	check "the installed Rust crate builds" "$rustc_" --edition 2021 --crate-type rlib \
		--crate-name chitin --cfg 'feature="std"' --out-dir "$work" "$lib_rs"
else
	ok "make install installs the Rust crate (no rustc to build it)"
fi
lib_summary
