#!/usr/bin/env bash
# Calls both ways between a Rust host and a C plugin, on the module of
# tests/rust/calls.idl: the host (tests/rust/rcalls.rs, on the generated
# rc.rs) gives the plugin (tests/rust/calls.c) callbacks made of Rust
# closures, borrowed and owned, and checks that each runs as often as
# the plugin calls it and is dropped exactly once, when the plugin
# releases it; it calls and releases the plugin's own callbacks; it
# passes options and results in their Rust forms; and the plugin calls
# its closures with arguments the ABI does not allow (a null slice with
# a length, a misaligned slice, one longer than memory, an option tag of
# 7, a bool of 7, a null str with a length, a str that is not UTF-8),
# which the generated thunks refuse with INVALID_ARG before the closure
# runs; a panicking closure is PANIC to the plugin, and the host lives.
# The plugin also answers with values the ABI does not allow (a bool of
# 7, option tags of 5 and option<bool> 9, a result tag of 7, a null
# string or vec with a length, a string not UTF-8, a misaligned vec, a
# data enum tag no variant has, vtables smaller than their header or of
# null slots, a null interface reference): the generated methods refuse
# them (or give Unknown) without undefined behaviour, and release what
# they own once.
#
# The host is built with debug assertions (which make current rustc
# check the preconditions of slice::from_raw_parts) by every rustc of
# lib_rustcs, and with -Zsanitizer=address by a nightly rustc when one
# is installed.
set -euo pipefail

me=run-rust-calls
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
CHITIN=${CHITIN:-$top_builddir/chitin}
read -r -a cc <<<"${CC:-gcc}"

. "$srcdir/tests/lib.sh"
lib_work
lib_rustcs
crate=$srcdir/runtime/rust
nightly=${CHITIN_RUST_NIGHTLY:-$HOME/.rustup/toolchains/nightly-x86_64-unknown-linux-gnu/bin/rustc}

if [ "${#rustcs[@]}" -eq 0 ]; then
	echo "$me: no rustc" >&2
	exit 77
fi

# The plugin: plain C, without the suite's sanitizer flags, which a Rust
# process could not load.
gen=$work/gen
mkdir -p "$gen"
if ! "$CHITIN" gen -o "$gen" "$srcdir/tests/rust/calls.idl" >"$gen/gen.err" 2>&1 ||
	! run_limited "${cc[@]}" -std=c11 -Wall -Wextra -pedantic -Werror -I "$srcdir/runtime/include" \
		-fPIC -shared -fvisibility=hidden -DRC_IMPLEMENTATION -I "$gen" "$srcdir/tests/rust/calls.c" \
		"$gen/rc_desc.c" -o "$gen/plugin.so" >>"$gen/gen.err" 2>&1; then
	bad "the module generates and the C plugin builds"
	show "$gen/gen.err"
	lib_summary
	exit
fi
ok "the module generates and the C plugin builds"

# host LABEL RUSTC FLAGS...: builds the crate and the host with RUSTC and
# FLAGS, runs it on the plugin, and checks every line it prints.
host() {
	local label=$1 rc=$2 out=$work/$1 n
	shift 2
	mkdir -p "$out"
	cp "$srcdir/tests/rust/rcalls.rs" "$out/main.rs"
	cp "$gen/rc.rs" "$out/rc.rs"
	if ! run_limited "$rc" --edition 2021 -D warnings "$@" --cfg 'feature="std"' --crate-type rlib \
		--crate-name chitin --out-dir "$out" "$crate/src/lib.rs" >"$out/build.err" 2>&1 ||
		! run_limited "$rc" --edition 2021 -D warnings "$@" --extern chitin="$out/libchitin.rlib" \
			-o "$out/rcalls" "$out/main.rs" >>"$out/build.err" 2>&1; then
		bad "$label: the crate and the host build"
		show "$out/build.err"
		return
	fi
	if ! run_limited "$out/rcalls" "$gen/plugin.so" >"$out/run.out" 2>&1; then
		bad "$label: the host runs to the end without a failed check"
		show "$out/run.out"
		return
	fi
	n=$(grep -c '^ok ' "$out/run.out" || true)
	# every check printed, and nothing else: a check that stopped
	# printing would otherwise pass unseen
	if [ "$n" -ge 33 ] && ! grep -qv '^ok ' "$out/run.out"; then
		ok "$label: $n checks of closures, callbacks, options, hostile arguments and hostile answers"
	else
		bad "$label: every check of the host passes ($n)"
		show "$out/run.out"
	fi
}

for rc in "${rustcs[@]}"; do
	lib_rust_version "$rc"
	host "$label" "$rc" -C debug-assertions=yes -C overflow-checks=yes
done
if [ -x "$nightly" ] && [ "$(uname -m)" = x86_64 ]; then
	host nightly-asan "$nightly" -Zsanitizer=address --target x86_64-unknown-linux-gnu \
		-C debug-assertions=yes
else
	echo "skip the AddressSanitizer host: no nightly rustc at $nightly"
fi

if [ "${#rustcs[@]}" -gt 0 ] && [ -x "$HOME/.cargo/bin/rustfmt" ]; then
	cp "$gen/rc.rs" "$work/rc.rs"
	cp "$srcdir/tests/rust/rcalls.rs" "$work/main.rs"
	check "rcalls.rs is rustfmt-clean" "$HOME/.cargo/bin/rustfmt" --check --edition 2021 "$work/main.rs"
fi

lib_summary
