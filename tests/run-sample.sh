#!/usr/bin/env bash
# The audio SDK of samples/audio through its demo (samples/audio/demo.sh):
# chitin compat accepts SDK 1.1 against 1.0's descriptor and refuses the
# demo's broken copy, naming the field; the demo builds both hosts and
# every plugin, warning-free; each host's transcript with each plugin, of
# either version, is the one the SDK's rules give for that pairing (the
# 1.1 additions used where both sides have them, absent, unknown or
# UNAVAILABLE where one lacks them), line for line; and both hosts refuse
# the broken plugin with a report that names the field.
set -euo pipefail

me=run-sample
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
CHITIN=${CHITIN:-$top_builddir/chitin}

. "$srcdir/tests/lib.sh"
lib_work
sample=$srcdir/samples/audio
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

# ---- the demo ---------------------------------------------------------------------
# warning-free under the warnings chitin's own C is held to (in C++ but
# -Wshadow, with which g++ finds that <chitin/hash.h>'s function
# chitin_sha1 hides the constructor of its struct chitin_sha1)
strict=(-Werror -Wpointer-arith -Wcast-qual -Wwrite-strings -Wundef -Wformat=2 -Wvla -Wimplicit-fallthrough)
demo=$work/demo
status=0
cxx=${CXX:-g++}
CC=${CC:-gcc} CFLAGS="-O2 ${strict[*]} -Wshadow -Wstrict-prototypes -Wmissing-prototypes ${SANITIZER_CFLAGS:-}" \
	CXX=$cxx CXXFLAGS="-O2 ${strict[*]} ${SANITIZER_CFLAGS:-}" CHITIN_INCLUDE="$srcdir/runtime/include" \
	CHITIN_LIBDIR="$libs" CHITIN="$CHITIN" time_limit=600 \
	run_limited bash "$sample/demo.sh" "$demo" >"$work/demo.out" 2>&1 || status=$?
if [ "$status" = 0 ] && [ "$(tail -n 1 "$work/demo.out" | cut -c 1-9)" = "demo: ok:" ]; then
	ok "the demo builds and runs everything"
	sed 's/^/  | /' "$work/demo.out"
else
	bad "the demo builds and runs everything (exit $status)"
	show "$work/demo.out"
	tail -n 20 "$demo/build.log" 2>/dev/null | sed 's/^/  | /' || true
fi

if "$CHITIN" compat "$demo/sdk-1.1/audio.json" "$demo/broken/audio.idl" >"$work/broken.txt" 2>&1; then
	bad "chitin compat refuses the broken SDK"
elif grep -qF "type 'audio.Settings': field 'channels' is missing in the host, and not [since] in the plugin" \
	"$work/broken.txt"; then
	ok "chitin compat refuses the broken SDK, naming the inserted field"
else
	bad "chitin compat refuses the broken SDK, naming the inserted field"
	show "$work/broken.txt"
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

# pairings LANG LABEL: each host with LANG's plugin of each version.
pairings() {
	local lang=$1 label=$2 host plugin run
	for host in 1.0 1.1; do
		for plugin in 1.0 1.1; do
			run=$demo/runs/$host+$lang-$plugin
			if [ ! -f "$run.out" ]; then
				bad "host $host with the $label plugin $plugin: not run"
				continue
			fi
			expected "$host" "$plugin" "$lang" >"$work/expected"
			if [ "$(cat "$run.status")" = 0 ] && diff -u "$work/expected" "$run.out" >"$work/diff"; then
				ok "host $host with the $label plugin $plugin"
			else
				bad "host $host with the $label plugin $plugin (exit $(cat "$run.status"))"
				show "$work/diff"
			fi
		done
	done
}

pairings c C
if command -v "$cxx" >/dev/null 2>&1; then
	pairings cpp C++
else
	echo "skip the C++ plugin: no C++ compiler ($cxx)"
fi

for host in 1.0 1.1; do
	run=$demo/runs/$host+broken
	if [ -f "$run.out" ] && [ "$(cat "$run.status")" = 3 ] &&
		grep -qxF "host $host refuses plugins/broken/libgain.so:" "$run.out" &&
		grep -qxF "  type 'audio.Settings': field 'channels' is missing in the host, and not [since] in the plugin" \
			"$run.out"; then
		ok "host $host refuses the broken plugin, naming the inserted field"
	else
		bad "host $host refuses the broken plugin, naming the inserted field"
		[ -f "$run.out" ] && show "$run.out"
	fi
done

lib_summary
