#!/usr/bin/env bash
# The audio SDK of samples/audio through its demo (samples/audio/demo.sh):
# chitin compat accepts SDK 1.1 against 1.0's descriptor and refuses the
# demo's broken copy, naming the field; the demo builds both hosts and
# the plugins in C, C++ and Rust, warning-free; each host's transcript
# with each plugin, of either version, is the one the SDK's rules give
# for that pairing (the 1.1 additions used where both sides have them,
# absent, unknown or UNAVAILABLE where one lacks them), line for line,
# the same in every language; and both hosts refuse the broken plugin
# with a report that names the field.  Once per Rust toolchain (rustc
# 1.63 and stable), with gain.rs rustfmt- and clippy-clean where the
# toolchain has them; without a C++ compiler or rustc, those plugins are
# skipped, saying so.
set -euo pipefail

me=run-sample
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
CHITIN=${CHITIN:-$top_builddir/chitin}

. "$srcdir/tests/lib.sh"
lib_work
top_srcdir=$(cd "$srcdir" && pwd)
sample=$top_srcdir/samples/audio
libs=$(cd "$top_builddir/.libs" && pwd)
if [ ! -e "$libs/libchitin.so" ]; then
	echo "$me: no $libs/libchitin.so (configure with shared libraries)" >&2
	exit 99
fi

# ---- chitin compat on the two versions ------------------------------------------
mkdir -p "$work/json"
"$CHITIN" gen --json -o "$work/json" "$sample/sdk-1.0/audio.idl"
if "$CHITIN" compat "$work/json/audio.json" "$sample/sdk-1.1/audio.idl" >"$work/compat.txt" 2>&1; then
	ok "chitin compat: SDK 1.1 is compatible with 1.0's descriptor"
else
	bad "chitin compat: SDK 1.1 is compatible with 1.0's descriptor"
	show "$work/compat.txt"
fi

# expected HOST PLUGIN LANG: the transcript host HOST gives with the plugin
# of version PLUGIN written in LANG, as the SDK's rules make it.
expected() {
	local host=$1 plugin=$2 ceiling
	case $host/$plugin in
	1.0/1.0 | 1.1/1.0) ceiling="no ceiling" ;;
	1.0/1.1) ceiling="no ceiling (1.0 settings)" ;;
	1.1/1.1) ceiling="ceiling 0.40" ;;
	esac
	echo "host $host loads plugins/$3-$plugin/libgain.so: module audio $plugin"
	echo "  effect 'gain'"
	if [ "$host" = 1.1 ]; then
		echo "  configure: 48000 Hz, blocks of up to 256, ceiling 0.40"
	else
		echo "  configure: 48000 Hz, blocks of up to 256"
	fi
	echo "  log info: gain: 48000 Hz, blocks of up to 256 frames, $ceiling"
	echo "  event level -6 dB"
	echo "  log info: gain: level -6.0 dB"
	echo "  event note 60"
	if [ "$host" = 1.1 ]; then
		echo "  event tempo 120 bpm"
		if [ "$plugin" = 1.1 ]; then
			echo "  log debug: gain: tempo 120 bpm, which a gain ignores"
		else
			echo "  log warning: gain: event 3 is newer than SDK 1.0: ignored"
		fi
	fi
	if [ "$host/$plugin" = 1.1/1.1 ]; then
		echo "  process 4 frames: 1.00 0.50 -0.50 -1.00 -> 0.40 0.25 -0.25 -0.40"
	else
		echo "  process 4 frames: 1.00 0.50 -0.50 -1.00 -> 0.50 0.25 -0.25 -0.50"
	fi
	echo "  process into 2 frames: error 3: gain: 4 frames in, room for 2 out"
	echo "  level: -6.0 dB"
	if [ "$host" = 1.1 ]; then
		if [ "$plugin" = 1.1 ]; then
			echo "  peak: 0.40"
		else
			echo "  peak: unavailable (the plugin is 1.0)"
		fi
	fi
	echo "  event reset"
	echo "  released the effect, which released its log once"
	echo "  create_effect: error 1: no effect 'reverb' here, only 'gain'"
}

# pairings DEMO LANG LABEL: each host with LANG's plugin of each version,
# in the demo run into DEMO.
pairings() {
	local demo=$1 lang=$2 label=$3 host plugin run
	for host in 1.0 1.1; do
		for plugin in 1.0 1.1; do
			run=$demo/runs/$host+$lang-$plugin
			if [ ! -f "$run.out" ]; then
				bad "$prefix host $host with the $label plugin $plugin: not run"
				continue
			fi
			expected "$host" "$plugin" "$lang" >"$work/expected"
			if [ "$(cat "$run.status")" = 0 ] && diff -u "$work/expected" "$run.out" >"$work/diff"; then
				ok "$prefix host $host with the $label plugin $plugin"
			else
				bad "$prefix host $host with the $label plugin $plugin (exit $(cat "$run.status"))"
				show "$work/diff"
			fi
		done
	done
}

# ---- the demo ---------------------------------------------------------------------
# Warning-free under the warnings chitin's own C is held to, in C and C++
# (demo.sh adds -Wall -Wextra -Wshadow -pedantic).
# The hosts and the C plugins take the sanitizer build's flags; the C++
# plugin does not, since the C hosts' processes lack the C++ parts of the
# sanitizers' runtimes (UBSan's function and vptr checks; and g++'s
# libasan is not clang's).
strict=(-Werror -Wpointer-arith -Wcast-qual -Wwrite-strings -Wundef -Wformat=2 -Wvla -Wimplicit-fallthrough)
# Under AddressSanitizer, a C host's interceptor of __cxa_throw finds the
# real one only in a libstdc++ loaded at startup, not in the one the C++
# plugin brings in later: the hosts link it, in that build alone.
with_cxx_runtime=
case ${SANITIZER_CFLAGS:-} in
*address*) with_cxx_runtime="-Wl,--push-state,--no-as-needed -lstdc++ -Wl,--pop-state" ;;
esac
cxx=${CXX:-g++}
has_cxx=no
if command -v "$cxx" >/dev/null 2>&1; then
	has_cxx=yes
else
	echo "skip the C++ plugin: no C++ compiler ($cxx)"
fi

# demo LABEL RUSTC: the demo, with RUSTC for its Rust plugin (none: a
# rustc that is not there), run into $work/LABEL and checked.
demo() {
	local label=$1 rc=$2 demo=$work/$1 status=0 host run dir
	prefix="$label:"
	CC=${CC:-gcc} CFLAGS="-O2 ${strict[*]} -Wshadow -Wstrict-prototypes -Wmissing-prototypes ${SANITIZER_CFLAGS:-} $with_cxx_runtime" \
		CXX=$cxx CXXFLAGS="-O2 ${strict[*]} -Wshadow" RUSTC=$rc RUSTFLAGS="-D warnings" \
		CHITIN_INCLUDE="$top_srcdir/runtime/include" CHITIN_LIBDIR="$libs" CHITIN_CRATE="$top_srcdir/runtime/rust" \
		CHITIN="$CHITIN" time_limit=600 run_limited bash "$sample/demo.sh" "$demo" >"$demo.out" 2>&1 ||
		status=$?
	if [ "$status" = 0 ] && [ "$(tail -n 1 "$demo.out" | cut -c 1-9)" = "demo: ok:" ]; then
		ok "$prefix the demo builds and runs everything"
		sed 's/^/  | /' "$demo.out"
	else
		bad "$prefix the demo builds and runs everything (exit $status)"
		show "$demo.out"
		tail -n 20 "$demo/build.log" 2>/dev/null | sed 's/^/  | /' || true
	fi

	if "$CHITIN" compat "$demo/sdk-1.1/audio.json" "$demo/broken/audio.idl" >"$demo/broken.txt" 2>&1; then
		bad "$prefix chitin compat refuses the broken SDK"
	elif grep -qF "type 'audio.Settings': field 'channels' is missing in the host, and not [since] in the plugin" \
		"$demo/broken.txt"; then
		ok "$prefix chitin compat refuses the broken SDK, naming the inserted field"
	else
		bad "$prefix chitin compat refuses the broken SDK, naming the inserted field"
		show "$demo/broken.txt"
	fi

	pairings "$demo" c C
	[ "$has_cxx" = no ] || pairings "$demo" cpp C++
	[ "$rc" = none ] || pairings "$demo" rust Rust

	for host in 1.0 1.1; do
		run=$demo/runs/$host+broken
		if [ -f "$run.out" ] && [ "$(cat "$run.status")" = 3 ] &&
			grep -qxF "host $host refuses plugins/broken/libgain.so:" "$run.out" &&
			grep -qxF "  type 'audio.Settings': field 'channels' is missing in the host, and not [since] in the plugin" \
				"$run.out"; then
			ok "$prefix host $host refuses the broken plugin, naming the inserted field"
		else
			bad "$prefix host $host refuses the broken plugin, naming the inserted field"
			[ -f "$run.out" ] && show "$run.out"
		fi
	done

	[ "$rc" != none ] || return 0
	dir=$(dirname "$rc")
	if [ -x "$dir/rustfmt" ] && "$dir/rustfmt" --version >/dev/null 2>&1; then
		check "$prefix gain.rs is rustfmt-clean" "$dir/rustfmt" --check --edition 2021 "$sample/gain.rs"
	fi
	if [ -x "$dir/clippy-driver" ] && "$dir/clippy-driver" --version >/dev/null 2>&1; then
		for sdk in 1.0 1.1; do
			local cfg=()
			[ "$sdk" = 1.0 ] && cfg=(--cfg audio_sdk_1_0)
			if OUT_DIR=$demo/sdk-$sdk run_limited "$dir/clippy-driver" --edition 2021 -D warnings "${cfg[@]}" \
				--crate-type cdylib --extern chitin="$demo/rust/libchitin.rlib" "$sample/gain.rs" \
				-o "$demo/clippy-$sdk.so" >"$demo/clippy-$sdk.txt" 2>&1; then
				ok "$prefix gain.rs against SDK $sdk has no clippy warnings"
			else
				bad "$prefix gain.rs against SDK $sdk has no clippy warnings"
				show "$demo/clippy-$sdk.txt"
			fi
		done
	fi
}

# Once per Rust toolchain (Debian's rustc 1.63 and the current stable
# one, as tests/lib.sh finds them), or once without Rust.
lib_rustcs
ran=no
for rc in "${rustcs[@]}"; do
	[ -x "$rc" ] || continue
	lib_rust_version "$rc"
	demo "$label" "$rc"
	ran=yes
done
if [ "$ran" = no ]; then
	echo "skip the Rust plugin: no rustc"
	demo no-rust none
fi

lib_summary
