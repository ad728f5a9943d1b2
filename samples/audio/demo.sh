#!/usr/bin/env bash
# The audio SDK's demo, which scripts/demo.sh runs once chitin is built:
# generates both versions of the SDK (sdk-1.0 and sdk-1.1), checks with
# chitin compat that 1.1 is compatible with 1.0, builds a host (host.c)
# against each version, the gain plugin in C (gain.c), C++ (gain.cc) and
# Rust (gain.rs) against each, and one broken plugin, built against a copy
# of SDK 1.1 whose Settings has a field inserted instead of appended; runs
# each host with each plugin, and tells what happens in a few lines.
#
# usage: samples/audio/demo.sh [OUT]
#
# OUT (default build/demo) gets everything built, every host's transcript
# (OUT/runs/) and every build's messages (OUT/build.log).  The environment
# may set CHITIN (the chitin to run; default the tree's ./chitin),
# CHITIN_INCLUDE (libchitin's headers; default runtime/include),
# CHITIN_LIBDIR (where libchitin.so is; default the tree's .libs),
# CC and CFLAGS (default cc and -O2 -g), CXX and CXXFLAGS (default the
# first of c++, g++ and clang++, and -O2 -g; without a C++ compiler, the
# C++ plugin is skipped), RUSTC and RUSTFLAGS (default the rustc on PATH,
# else /usr/bin/rustc, and nothing; without rustc, the Rust plugin is
# skipped) and CHITIN_CRATE (the chitin crate's sources; default
# runtime/rust).
#
# Exit status: 0 when every host and plugin built, every plugin loaded
# and worked but the broken one, and both hosts refused that one.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${1:-$top/build/demo}
CHITIN=${CHITIN:-$top/chitin}
include=${CHITIN_INCLUDE:-$top/runtime/include}
libdir=${CHITIN_LIBDIR:-$top/.libs}
read -r -a cc <<<"${CC:-cc}"
read -r -a cflags <<<"${CFLAGS:--O2 -g}"
read -r -a cxx <<<"${CXX:-$(command -v c++ g++ clang++ | head -n 1 || true)}"
[ "${#cxx[@]}" -gt 0 ] || cxx=(c++)
read -r -a cxxflags <<<"${CXXFLAGS:--O2 -g}"
rustc=${RUSTC:-$(command -v rustc || echo /usr/bin/rustc)}
read -r -a rustflags <<<"${RUSTFLAGS:-}"
crate=${CHITIN_CRATE:-$top/runtime/rust}

mkdir -p "$out"
out=$(cd "$out" && pwd)
# shown PATH: PATH as the messages give it, from the current directory
shown() { printf '%s' "${1#"$PWD"/}"; }
log=$out/build.log
: >"$log"
failed=0

say() { printf 'demo: %s\n' "$*"; }

# quietly CMD...: runs CMD with its output in the log; on failure says so
# and shows the end of the log.
quietly() {
	printf '$ %s\n' "$*" >>"$log"
	if ! "$@" >>"$log" 2>&1; then
		say "failed: $*"
		tail -n 15 "$log" | sed 's/^/  | /'
		return 1
	fi
}

if [ ! -x "$CHITIN" ] || [ ! -e "$libdir/libchitin.so" ]; then
	say "no $CHITIN or $libdir/libchitin.so: build chitin first (scripts/build.sh)"
	exit 1
fi
say "everything goes to $(shown "$out"); the builds' messages to $(shown "$log")"

# ---- the SDK ---------------------------------------------------------------
# Each version generated into OUT/sdk-V: audio.h, audio_desc.c, audio.json,
# audio.rs and dsp's.  The broken copy is 1.1 with one more field in
# Settings, inserted after the first instead of appended with [since].
mkdir -p "$out/broken"
sed 's|^    u32 sample_rate;$|&\
    /// Channels per frame: inserted here, where 1.1 has max_block.\
    u16 channels;|' "$here/sdk-1.1/audio.idl" >"$out/broken/audio.idl"
rm -rf "$out/dsp"
cp -R "$here/dsp" "$out/"
chmod -R u+w "$out/dsp"    # a copy of a read-only tree (make distcheck's) is read-only
for sdk in sdk-1.0 sdk-1.1 broken; do
	idl=$here/$sdk/audio.idl
	[ "$sdk" = broken ] && idl=$out/broken/audio.idl
	quietly "$CHITIN" gen -o "$out/$sdk" "$idl" "$(dirname "$idl")/../dsp/common.idl" || exit 1
done
say "generated SDK 1.0 and 1.1 (C header, descriptor source, JSON and Rust module of each)"

if quietly "$CHITIN" compat "$out/sdk-1.0/audio.json" "$here/sdk-1.1/audio.idl"; then
	say "chitin compat: SDK 1.1 is compatible with 1.0, hosts and plugins of either with the other"
else
	failed=1
fi
if "$CHITIN" compat "$out/sdk-1.1/audio.json" "$out/broken/audio.idl" >"$out/broken/compat.txt" 2>&1; then
	say "chitin compat accepts the broken SDK"
	failed=1
else
	say "chitin compat refuses the broken SDK, naming Settings' fields ($(shown "$out/broken/compat.txt"))"
fi

# ---- the hosts and the plugins ---------------------------------------------
warnings=(-Wall -Wextra -Wshadow -pedantic)
link=(-L "$libdir" -lchitin "-Wl,-rpath,$libdir")

for sdk in sdk-1.0 sdk-1.1; do
	quietly "${cc[@]}" -std=c11 "${warnings[@]}" "${cflags[@]}" -I "$out/$sdk" -I "$include" \
		"$here/host.c" "$out/$sdk/audio_desc.c" -o "$out/host-${sdk#sdk-}" "${link[@]}" || exit 1
done
say "built the host (host.c) against SDK 1.0 and 1.1: $(shown "$out/host-1.0"), host-1.1"

# c_plugin SDK DIR: gain.c built against SDK into OUT/plugins/DIR/libgain.so.
c_plugin() {
	mkdir -p "$out/plugins/$2"
	quietly "${cc[@]}" -std=c11 "${warnings[@]}" "${cflags[@]}" -fPIC -shared -fvisibility=hidden \
		-DAUDIO_IMPLEMENTATION -I "$out/$1" -I "$include" "$here/gain.c" "$out/$1/audio_desc.c" \
		-o "$out/plugins/$2/libgain.so" "${link[@]}" -lm
}
plugins=()
for sdk in sdk-1.0 sdk-1.1; do
	c_plugin "$sdk" "c-${sdk#sdk-}" || exit 1
	plugins+=("c-${sdk#sdk-}")
done
say "built the gain plugin in C (gain.c) against SDK 1.0 and 1.1"

# cpp_plugin SDK DIR: gain.cc built against SDK, with the descriptor source
# compiled as C++ too.
cpp_plugin() {
	mkdir -p "$out/plugins/$2"
	quietly "${cxx[@]}" -std=c++11 "${warnings[@]}" "${cxxflags[@]}" -fPIC -shared -fvisibility=hidden \
		-DAUDIO_IMPLEMENTATION -I "$out/$1" -I "$include" "$here/gain.cc" -x c++ "$out/$1/audio_desc.c" \
		-o "$out/plugins/$2/libgain.so" "${link[@]}"
}
if command -v "${cxx[0]}" >/dev/null 2>&1; then
	for sdk in sdk-1.0 sdk-1.1; do
		cpp_plugin "$sdk" "cpp-${sdk#sdk-}" || exit 1
		plugins+=("cpp-${sdk#sdk-}")
	done
	say "built the gain plugin in C++ (gain.cc, and audio_desc.c as C++) against SDK 1.0 and 1.1"
else
	say "skip the C++ plugin: no C++ compiler (${cxx[0]})"
fi

# rust_plugin SDK DIR: gain.rs built against SDK, its generated modules
# found through OUT_DIR, with the chitin crate built once.  The C and C++
# sources test the header's AUDIO_VERSION_MINOR; Rust compiles code in or
# out by cfg alone, which gain.rs holds to the module's VERSION_MINOR.
rust_plugin() {
	local cfg=()
	[ "$1" = sdk-1.0 ] && cfg=(--cfg audio_sdk_1_0)
	mkdir -p "$out/plugins/$2"
	quietly env OUT_DIR="$out/$1" "$rustc" --edition 2021 "${rustflags[@]}" "${cfg[@]}" --crate-type cdylib \
		--extern chitin="$out/rust/libchitin.rlib" "$here/gain.rs" -o "$out/plugins/$2/libgain.so"
}
if [ -x "$(command -v "$rustc" || true)" ]; then
	mkdir -p "$out/rust"
	quietly "$rustc" --edition 2021 "${rustflags[@]}" --cfg 'feature="std"' --crate-type rlib \
		--crate-name chitin --out-dir "$out/rust" "$crate/src/lib.rs" || exit 1
	for sdk in sdk-1.0 sdk-1.1; do
		rust_plugin "$sdk" "rust-${sdk#sdk-}" || exit 1
		plugins+=("rust-${sdk#sdk-}")
	done
	say "built the gain plugin in Rust (gain.rs, with $("$rustc" --version | cut -d' ' -f1-2)) against SDK 1.0 and 1.1"
else
	say "skip the Rust plugin: no rustc ($rustc)"
fi

c_plugin broken broken || exit 1
say "built the broken plugin: gain.c against the broken SDK"

# ---- every host with every plugin -------------------------------------------
mkdir -p "$out/runs"
# run HOST PLUGIN: runs host-HOST with the plugin; its transcript in
# OUT/runs/HOST+PLUGIN.out, its exit status in OUT/runs/HOST+PLUGIN.status.
run() {
	local status=0
	(cd "$out" && exec "./host-$1" "plugins/$2/libgain.so") >"$out/runs/$1+$2.out" 2>&1 || status=$?
	echo "$status" >"$out/runs/$1+$2.status"
	return "$status"
}

say "a session: host 1.1 with the C plugin 1.1, step by step"
if run 1.1 c-1.1; then
	sed 's/^/  /' "$out/runs/1.1+c-1.1.out"
else
	failed=1
	sed 's/^/  | /' "$out/runs/1.1+c-1.1.out"
fi

# label DIR: how the table names the plugin of OUT/plugins/DIR.
label() {
	case $1 in
	c-*) echo "C ${1#*-}" ;;
	cpp-*) echo "C++ ${1#*-}" ;;
	rust-*) echo "Rust ${1#*-}" ;;
	esac
}

# cell TEXT: TEXT or '-' when empty.
cell() { printf '%s' "${1:--}"; }

say "each host with each plugin; host 1.0 has no ceiling, tempo or peak:"
printf '  %-5s %-9s %-23s %-26s %-19s %s\n' host plugin "output of 1 .5 -.5 -1" "the plugin reads" "tempo event" peak
for host in 1.0 1.1; do
	for plugin in "${plugins[@]}"; do
		name=$host+$plugin
		if ! run "$host" "$plugin"; then
			failed=1
			printf '  %-5s %-9s failed (%s)\n' "$host" "$(label "$plugin")" "$(shown "$out/runs/$name.out")"
			continue
		fi
		t=$out/runs/$name.out
		output=$(sed -n 's/^  process 4 frames: .* -> //p' "$t")
		settings=$(sed -n 's/^  log info: gain: [0-9]* Hz, blocks of up to [0-9]* frames, //p' "$t")
		tempo=
		grep -q 'which a gain ignores' "$t" && tempo="handled"
		grep -q 'event 3 is newer than' "$t" && tempo="unknown: ignored"
		peak=$(sed -n 's/^  peak: \([^ ]*\).*/\1/p' "$t")
		printf '  %-5s %-9s %-23s %-26s %-19s %s\n' "$host" "$(label "$plugin")" "$(cell "$output")" \
			"$(cell "$settings")" "$(cell "$tempo")" "$(cell "$peak")"
	done
done

say "the broken plugin, whose SDK inserts Settings.channels where it should append it with [since]:"
for host in 1.1 1.0; do
	status=0
	run "$host" broken || status=$?
	if [ "$status" != 3 ]; then
		failed=1
		say "host $host did not refuse it (exit $status)"
	elif [ "$host" = 1.1 ]; then
		sed 's/^/  /' "$out/runs/$host+broken.out"
	else
		say "host 1.0 refuses it too ($(shown "$out/runs/1.0+broken.out"))"
	fi
done

if [ "$failed" = 0 ]; then
	say "ok: every plugin loaded and worked in both hosts, and the broken one was refused"
else
	say "FAILED: see above, and $(shown "$log")"
fi
exit "$failed"
