#!/usr/bin/env bash
# libchitin on wasm32-wasi, where nothing is opened at run time: its
# sources, a host (tests/cgen/wasm/host.c) and the implementation of
# module lm (tests/cgen/loader/plugin.c and lm.idl's lm_desc.c) are built
# with clang into one WASI module, with a second entry of lm from an
# lm.idl whose field lm.Pair.b is f64 (tests/cgen/wasm/changed.c), and run
# with Node.js (node:wasi, tests/cgen/wasm/run.mjs).  The host registers
# each entry and loads it with chitin_load_registered: the first loads and
# its exports and a Counter's methods give the values expected, the second
# is refused as incompatible with a report naming the field, an exports
# table past the end of linear memory is refused, and chitin_load of a
# path reports OPEN.  Also: the generated header and descriptor source
# pick wasm32-wasi's layout class, and every source compiles with -Wall
# -Wextra -pedantic -Werror.
# Skipped (77) without clang's wasm32-wasi target, a WASI sysroot, or a
# node that has node:wasi.
set -euo pipefail

me=run-wasm
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
CHITIN=${CHITIN:-$top_builddir/chitin}
clang=${CLANG:-clang}
node=${NODE:-node}

. "$srcdir/tests/lib.sh"
lib_work
loader=$srcdir/tests/cgen/loader
wasm=$srcdir/tests/cgen/wasm
runtime_src=$srcdir/runtime/src

skip() {
	echo "$me: skipped: $1"
	exit 77
}

# The WASI sysroot: $WASI_SYSROOT, /usr/share/wasi-sysroot, or Debian
# 12's wasi-libc (/usr/include/wasm32-wasi, /usr/lib/wasm32-wasi) as a
# sysroot of links made in $work.  Without --sysroot Debian's clang
# searches /usr/include after wasi-libc's headers, where the host's
# <dlfcn.h> would be found: an explicit sysroot has only WASI's.
wasi_sysroot() {
	local dir
	for dir in "${WASI_SYSROOT:-}" /usr/share/wasi-sysroot; do
		if [ -n "$dir" ] && { [ -e "$dir/include/wasm32-wasi/stdio.h" ] || [ -e "$dir/include/stdio.h" ]; }; then
			sysroot=$dir
			return 0
		fi
	done
	if [ -e /usr/include/wasm32-wasi/stdio.h ] && [ -e /usr/lib/wasm32-wasi/libc.a ]; then
		sysroot=$work/sysroot
		mkdir -p "$sysroot/include" "$sysroot/lib"
		ln -s /usr/include/wasm32-wasi "$sysroot/include/wasm32-wasi"
		ln -s /usr/lib/wasm32-wasi "$sysroot/lib/wasm32-wasi"
		return 0
	fi
	return 1
}

command -v "$clang" >/dev/null 2>&1 || skip "no $clang"
wasi_sysroot || skip "no WASI sysroot (wasi-libc)"
wcc=("$clang" --target=wasm32-wasi --sysroot="$sysroot")
wflags=(-std=c11 -O2 -Wall -Wextra -pedantic -Werror -I "$srcdir/runtime/include")

# The toolchain: compiles, and links (wasm-ld, compiler-rt's builtins).
printf '#include <stdio.h>\nint main(void) { printf("probe\\n"); return 3; }\n' >"$work/probe.c"
if ! "${wcc[@]}" "$work/probe.c" -o "$work/probe.wasm" >"$work/probe.err" 2>&1; then
	show "$work/probe.err"
	skip "$clang cannot build a wasm32-wasi program (lld, wasi-libc, libclang-rt-*-dev-wasm32)"
fi

# Node.js with node:wasi; before 18.17 (and 20) it needs the flag.
command -v "$node" >/dev/null 2>&1 || skip "no $node"
node_flags=()
if ! "$node" -e 'require("node:wasi")' >/dev/null 2>&1; then
	if "$node" --experimental-wasi-unstable-preview1 -e 'require("node:wasi")' >/dev/null 2>&1; then
		node_flags=(--experimental-wasi-unstable-preview1)
	else
		skip "$node has no node:wasi"
	fi
fi

# run_wasm MODULE OUT: runs MODULE, its output in OUT and OUT.err; the
# status is the module's exit status.
run_wasm() {
	local status=0
	run_limited "$node" "${node_flags[@]}" --no-warnings "$wasm/run.mjs" "$1" >"$2" 2>"$2.err" || status=$?
	return $status
}

status=0
run_wasm "$work/probe.wasm" "$work/probe.out" || status=$?
if [ "$status" = 3 ] && grep -qx probe "$work/probe.out"; then
	ok "node runs a WASI module and gives its exit status"
else
	bad "node runs a WASI module and gives its exit status (exit $status, not 3)"
	show "$work/probe.out.err"
fi

# The module as the host knows it, and the changed one.
gen() {
	mkdir -p "$work/$1"
	sed -e "$2" "$loader/lm.idl" >"$work/$1/lm.idl"
	if ! "$CHITIN" gen --c --desc-c -o "$work/$1" "$work/$1/lm.idl" >"$work/$1/gen.err" 2>&1; then
		bad "$1: chitin gen"
		show "$work/$1/gen.err"
		lib_summary
		exit 1
	fi
}
gen host ''
gen changed '/struct Pair/,/};/ s/u64 b;/f64 b;/'

# The target guards pick wasm32-wasi: its layout class is the one left
# after preprocessing, in the header and in the descriptor source.
listing=$("$CHITIN" targets)
if grep -q "^wasm32-wasi	" <<<"$listing"; then
	ok "chitin targets lists wasm32-wasi"
else
	bad "chitin targets lists wasm32-wasi"
fi
if "${wcc[@]}" "${wflags[@]}" -E -C -DLM_STATIC -I "$work/host" "$work/host/lm.h" >"$work/lm.h.i" 2>"$work/lm.h.err" &&
	grep -qE '^/\* chitin layout class of lm: (.* )?wasm32-wasi( |\*)' "$work/lm.h.i"; then
	ok "the header asserts wasm32-wasi's layout class"
else
	bad "the header asserts wasm32-wasi's layout class"
	show "$work/lm.h.err"
fi
if "${wcc[@]}" "${wflags[@]}" -E -C -I "$work/host" "$work/host/lm_desc.c" >"$work/lm_desc.i" 2>"$work/lm_desc.err" &&
	grep -qE '^/\* (.* )?wasm32-wasi( .*)?: [0-9]+ bytes \*/' "$work/lm_desc.i"; then
	ok "the descriptor source takes wasm32-wasi's descriptor class"
else
	bad "the descriptor source takes wasm32-wasi's descriptor class"
	show "$work/lm_desc.err"
fi

# compile NAME OBJ ARGS...: compiles for wasm32-wasi into $work/obj/OBJ.
mkdir -p "$work/obj"
objs=()
compile() {
	local name=$1 obj=$work/obj/$2
	shift 2
	if run_limited "${wcc[@]}" "${wflags[@]}" -c "$@" -o "$obj" >"$obj.err" 2>&1; then
		objs+=("$obj")
		return 0
	fi
	bad "$name compiles for wasm32-wasi"
	show "$obj.err"
	return 1
}
built=yes
for src in runtime.c loader.c descriptor.c compare.c sha1.c; do
	if compile "runtime/src/$src" "$src.o" "$runtime_src/$src"; then
		ok "runtime/src/$src compiles for wasm32-wasi, -Wall -Wextra clean"
	else
		built=no
	fi
done
compile "the host" host.o -DLM_STATIC -I "$work/host" "$wasm/host.c" || built=no
compile "the plugin" plugin.o -DLM_IMPLEMENTATION -I "$work/host" "$loader/plugin.c" || built=no
if compile "lm_desc.c" lm_desc.o -DLM_IMPLEMENTATION -I "$work/host" "$work/host/lm_desc.c"; then
	ok "the generated descriptor source compiles for wasm32-wasi, with the entry"
else
	built=no
fi
compile "the changed entry" changed.o -DLM_IMPLEMENTATION -I "$work/changed" "$wasm/changed.c" || built=no
if [ "$built" = yes ]; then
	if run_limited "${wcc[@]}" "${objs[@]}" -o "$work/host.wasm" >"$work/link.err" 2>&1; then
		ok "the host, libchitin and the plugins link into one WASI module"
	else
		bad "the host, libchitin and the plugins link into one WASI module"
		show "$work/link.err"
		built=no
	fi
fi
if [ "$built" != yes ]; then
	lib_summary
	exit 1
fi

status=0
run_wasm "$work/host.wasm" "$work/host.out" || status=$?
if [ "$status" = 0 ] && ! grep -q '^FAIL' "$work/host.out"; then
	ok "the host's checks pass under node"
else
	bad "the host's checks pass under node (exit $status)"
	show "$work/host.out"
	show "$work/host.out.err"
fi
# the host's main checks, and the reports it prints
for text in \
	"ok lm's types have wasm32's layout" \
	"ok the registered module loads" \
	"ok make_point(3, 4) is (3, 4)" \
	"ok sum((3, 4)) is 7" \
	"ok Counter.add(5) is 7" \
	"ok Counter.total() is 7" \
	"ok the changed entry is refused as incompatible" \
	"  type 'lm.Pair': field 'b' has type hash " \
	"ok an exports table past the end of linear memory is refused" \
	"ok a descriptor past the end of linear memory is refused" \
	"cannot load 'lm' as module lm: the library's descriptor is invalid: truncated" \
	"ok chitin_load of a path cannot open it" \
	"cannot load 'plugins/lm.so' as module lm: cannot open the library: this system has no dynamic loading; register the module (chitin_module_register)"; do
	if grep -qF -- "$text" "$work/host.out"; then
		ok "says: $text"
	else
		bad "says: $text"
	fi
done

lib_summary
