#!/usr/bin/env bash
# doc/runtime.md's examples are the sample SDK's (samples/audio), so that
# a reader finds every name of them there, and they cannot drift from it:
#   - every name made from the SDK's modules (`audio_...`, `AUDIO_...`,
#     `dsp_...`, `DSP_...`) in a ```c block is a name of the C header or
#     descriptor source that chitin generates from samples/audio/sdk-1.1;
#   - every `chitin_` or `CHITIN_` name there is one of those or of
#     libchitin's headers (runtime/include/chitin);
#   - every other word of a ```c block (comments and strings aside) is a
#     C keyword or standard name, or a word of the sample's sources
#     (host.c, gain.c) or of the generated files;
#   - every .c, .cc or .idl file a ```sh block names is in samples/audio,
#     or, under gen/, a generated file;
#   - every line of a ```cpp block but `// ...` is a line of
#     samples/audio/gain.cc (leading and trailing blanks aside);
#   - each ```sh block of section 8 (From C++), run in a copy of
#     samples/audio with chitin and pkg-config finding the build tree
#     (tests/lib.sh, lib_tree), builds a C++ plugin that the sample's host
#     loads and runs;
#   - gain.cc compiles with -Wold-style-cast -Werror, under g++ and
#     clang++, after the ```cpp prologue block, and not without it; and
#     the generated audio.h alone does not under clang++, as section 8
#     says.
# Self-checks prove the checks bite on a name the sample lacks and on a
# C++ line gain.cc lacks.
set -euo pipefail

me=run-runtime-doc
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
CHITIN=${CHITIN:-$top_builddir/chitin}
. "$srcdir/tests/lib.sh"
lib_work

doc=$srcdir/doc/runtime.md
sample=$srcdir/samples/audio
runtime_include=$srcdir/runtime/include

# The words C itself gives an example, and the C library functions and
# types the examples call.
c_words=(auto break case char const continue default do double else enum extern float for goto if
	inline int long register restrict return short signed sizeof static struct switch typedef union
	unsigned void volatile while bool true false NULL include define ifdef ifndef endif elif
	uint8_t uint16_t uint32_t uint64_t int32_t size_t offsetof printf fputs stderr stdout free)

# blocks LANG FILE: the lines of FILE's ```LANG blocks.
blocks() {
	awk -v lang="$1" '
		$0 == "```" lang { inside = 1; next }
		inside && /^```$/ { inside = 0; next }
		inside { print }' "$2"
}

# strip: standard input without /* */ comments and string literals.
strip() {
	awk '{
		line = $0; out = ""
		while (length(line)) {
			if (in_comment) {
				i = index(line, "*/")
				if (!i) { line = ""; break }
				line = substr(line, i + 2); in_comment = 0
			} else {
				i = index(line, "/*")
				if (!i) { out = out line; break }
				out = out substr(line, 1, i - 1) " "; line = substr(line, i + 2); in_comment = 1
			}
		}
		gsub(/"([^"\\]|\\.)*"/, " ", out)
		gsub(/\047([^\047\\]|\\.)*\047/, " ", out)
		print out
	}'
}

# words: the identifiers of standard input, one a line, sorted, unique.
words() {
	{ grep -oE '[A-Za-z_][A-Za-z0-9_]*' || true; } | LC_ALL=C sort -u
}

mkdir -p "$work/gen"
if ! "$CHITIN" gen --c --desc-c -o "$work/gen" "$sample/sdk-1.1/audio.idl" "$sample/dsp/common.idl" \
	>"$work/gen.log" 2>&1; then
	bad "chitin gen --c --desc-c the sample SDK 1.1"
	show "$work/gen.log"
	lib_summary
fi
ok "chitin gen --c --desc-c the sample SDK 1.1"

cat "$work/gen"/* | strip | words >"$work/generated"
cat "$runtime_include"/chitin/*.h | strip | words >"$work/runtime"
{
	cat "$work/generated" "$work/runtime"
	cat "$sample/host.c" "$sample/gain.c" | words
	printf '%s\n' "${c_words[@]}"
} | LC_ALL=C sort -u >"$work/known"

# check_doc FILE LABEL: the checks above on FILE, each named with LABEL.
check_doc() {
	local file=$1 label=$2 missing f
	blocks c "$file" | strip | words >"$work/doc-words"
	check "$label has C examples" [ -s "$work/doc-words" ]
	missing=$(grep -E '^(audio|AUDIO|dsp|DSP)_' "$work/doc-words" |
		LC_ALL=C comm -23 - "$work/generated" | tr '\n' ' ')
	if [ -z "$missing" ]; then
		ok "$label: every name of the SDK's modules in its C is generated from samples/audio/sdk-1.1"
	else
		bad "$label: names of the SDK's modules that samples/audio/sdk-1.1 does not generate: $missing"
	fi
	missing=$(grep -E '^(chitin|CHITIN)_' "$work/doc-words" |
		LC_ALL=C comm -23 - <(LC_ALL=C sort -u "$work/generated" "$work/runtime") | tr '\n' ' ')
	if [ -z "$missing" ]; then
		ok "$label: every chitin_ name in its C is libchitin's or generated"
	else
		bad "$label: chitin_ names neither libchitin nor the generated C has: $missing"
	fi
	missing=$(LC_ALL=C comm -23 "$work/doc-words" "$work/known" | tr '\n' ' ')
	if [ -z "$missing" ]; then
		ok "$label: every other word of its C is C's or the sample's"
	else
		bad "$label: words of its C that neither C nor samples/audio has: $missing"
	fi
	missing=
	for f in $(blocks sh "$file" | { grep -oE '[A-Za-z0-9_./-]+\.(c|cc|idl)\b' || true; } | sort -u); do
		case $f in
		gen/*) [ -f "$work/gen/${f#gen/}" ] || missing="$missing $f" ;;
		*) [ -f "$sample/$f" ] || missing="$missing $f" ;;
		esac
	done
	if [ -z "$missing" ]; then
		ok "$label: every file its shell examples name is in samples/audio or generated"
	else
		bad "$label: files its shell examples name that samples/audio lacks:$missing"
	fi
	trimmed <"$sample/gain.cc" >"$work/gain.cc.lines"
	blocks cpp "$file" | trimmed | grep -vxF '// ...' | grep -vxF '' >"$work/doc-cpp" || true
	check "$label has C++ excerpts" [ -s "$work/doc-cpp" ]
	missing=$(LC_ALL=C sort -u "$work/doc-cpp" | LC_ALL=C comm -23 - <(LC_ALL=C sort -u "$work/gain.cc.lines") |
		sed 's/^/    /')
	if [ -z "$missing" ]; then
		ok "$label: every line of its C++ is a line of samples/audio/gain.cc"
	else
		bad "$label: lines of its C++ that samples/audio/gain.cc lacks:"
		printf '%s\n' "$missing"
	fi
}

# trimmed: standard input without leading and trailing blanks.
trimmed() {
	sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//'
}

check_doc "$doc" doc/runtime.md

# Self-check: the old example's names, which the sample lacks, are found.
{
	cat "$doc"
	printf '\n```c\nstruct gain { audio_Meter meter; };\nchitin_meter_of(x);\ndestroy(obj);\n```\n'
	printf '\n```sh\ncc -c plugin.c gen/meter_desc.c\n```\n'
} >"$work/drifted.md"
(check_doc "$work/drifted.md" "self-check: a drifted copy") >"$work/self.out" || true
for name in audio_Meter chitin_meter_of destroy meter plugin.c gen/meter_desc.c; do
	if grep -qE "^FAIL .*[: ]$name( |\$)" "$work/self.out"; then
		ok "self-check: $name, which the sample lacks, is found"
	else
		bad "self-check: $name, which the sample lacks, is found"
		show "$work/self.out"
	fi
done
# ... and a C++ line gain.cc lacks (a slot that lets an exception out).
{
	cat "$doc"
	printf '\n```cpp\nstatic void CHITIN_CALL\ngain_release(chitin_object *self) { delete Gain::of(self); }\n```\n'
} >"$work/drifted-cpp.md"
(check_doc "$work/drifted-cpp.md" "self-check: a drifted copy") >"$work/self-cpp.out" || true
if grep -qxF '    gain_release(chitin_object *self) { delete Gain::of(self); }' "$work/self-cpp.out" &&
	! grep -qxF '    static void CHITIN_CALL' "$work/self-cpp.out"; then
	ok "self-check: a C++ line gain.cc lacks is found, and only that line"
else
	bad "self-check: a C++ line gain.cc lacks is found, and only that line"
	show "$work/self-cpp.out"
fi

# ---- section 8 (From C++): its commands build a plugin the host loads ----------
# section N FILE: the lines of FILE's section "## N. ...", up to the next.
section() {
	awk -v n="$1" '
		/^## / { inside = (index($0, "## " n ". ") == 1); next }
		inside { print }' "$2"
}
# split_blocks LANG FILE DIR: each ```LANG block of FILE as DIR/1, DIR/2...
split_blocks() {
	mkdir -p "$3"
	awk -v lang="$1" -v dir="$3" '
		$0 == "```" lang { n++; inside = 1; printf "" >(dir "/" n); next }
		inside && /^```$/ { inside = 0; next }
		inside { print >(dir "/" n) }' "$2"
}

cxx=${CXX:-c++}
clangxx=${CLANGXX:-clang++}
section 8 "$doc" >"$work/cxx.md"
check "doc/runtime.md has a section 8 with C++ and shell blocks" \
	grep -q '^```cpp$' "$work/cxx.md"
split_blocks sh "$work/cxx.md" "$work/cxx-sh"
libs=$(cd "$top_builddir" && pwd)/.libs
if ! command -v "$cxx" >/dev/null 2>&1; then
	echo "skip building section 8's plugins: no C++ compiler ($cxx)"
elif ! command -v pkg-config >/dev/null 2>&1; then
	echo "skip building section 8's plugins: no pkg-config"
elif [ ! -e "$libs/libchitin.so" ]; then
	echo "skip building section 8's plugins: no $libs/libchitin.so (a build without shared libraries)"
elif ! lib_tree "$work/tree"; then
	echo "skip building section 8's plugins: no runtime/chitin.pc in the build"
else
	# The reader's cc and c++; a host process of a sanitizer build takes
	# its flags, and under AddressSanitizer links libstdc++ for the C++
	# plugin's exceptions (as tests/run-sample.sh explains).
	with_cxx_runtime=
	case ${SANITIZER_CFLAGS:-} in
	*address*) with_cxx_runtime="-Wl,--push-state,--no-as-needed -lstdc++ -Wl,--pop-state" ;;
	esac
	# (by their full paths: the wrappers are named like them, first on PATH)
	read -r -a cc_words <<<"${CC:-cc}"
	cc_words[0]=$(command -v "${cc_words[0]}")
	printf '#!/bin/sh\nexec %s %s "$@"\n' "${cc_words[*]}" "${SANITIZER_CFLAGS:-}" >"$work/tree/bin/cc"
	printf '#!/bin/sh\nexec %s "$@"\n' "$(command -v "$cxx")" >"$work/tree/bin/c++"
	chmod +x "$work/tree/bin/cc" "$work/tree/bin/c++"
	n=0
	for block in "$work/cxx-sh"/*; do
		[ -f "$block" ] || continue
		n=$((n + 1))
		dir=$work/cxx-build-$n
		cp -R "$sample" "$dir"
		chmod -R u+w "$dir"
		if ! (cd "$dir" && PATH=$work/tree/bin:$PATH run_limited bash -e "$block") >"$dir/build.log" 2>&1; then
			bad "section 8, block $n: its commands build libgain.so"
			show "$dir/build.log"
			continue
		fi
		ok "section 8, block $n: its commands build libgain.so"
		# shellcheck disable=SC2046,SC2086 # the flags are words
		if ! (cd "$dir" && PATH=$work/tree/bin:$PATH cc -std=c11 -Igen -o host host.c gen/audio_desc.c \
			$with_cxx_runtime $(pkg-config --cflags --libs chitin) -Wl,-rpath,"$libs") >"$dir/host.log" 2>&1; then
			bad "section 8, block $n: the host builds"
			show "$dir/host.log"
		elif (cd "$dir" && run_limited ./host ./libgain.so) >"$dir/run.out" 2>&1 &&
			[ "$(head -n 1 "$dir/run.out")" = "host 1.1 loads ./libgain.so: module audio 1.1" ] &&
			grep -qxF "  released the effect, which released its log once" "$dir/run.out"; then
			ok "section 8, block $n: the host loads the plugin and runs it"
		else
			bad "section 8, block $n: the host loads the plugin and runs it"
			show "$dir/run.out"
		fi
	done
	check "section 8 has two ways to build the C++ plugin" [ "$n" = 2 ]
fi

# ---- section 8: -Wold-style-cast, with and without the prologue -------------------
blocks 'cpp prologue' "$doc" >"$work/prologue.h"
check "section 8 has a prologue block" [ -s "$work/prologue.h" ]
{
	cat "$work/prologue.h"
	cat "$sample/gain.cc"
} >"$work/gain-prologue.cc"
cast_flags=(-std=c++11 -Wall -Wextra -Wshadow -Wold-style-cast -Werror -DAUDIO_IMPLEMENTATION
	-I"$work/gen" -I"$runtime_include" -I"$sample" -fsyntax-only)
for c in "$cxx" "$clangxx"; do
	if ! command -v "$c" >/dev/null 2>&1; then
		echo "skip -Wold-style-cast with $c: not found"
		continue
	fi
	if "$c" -x c++ "${cast_flags[@]}" "$work/gain-prologue.cc" >"$work/cast.err" 2>&1; then
		ok "$c -Wold-style-cast -Werror: gain.cc after the prologue"
	else
		bad "$c -Wold-style-cast -Werror: gain.cc after the prologue"
		show "$work/cast.err"
	fi
	if "$c" -x c++ "${cast_flags[@]}" "$sample/gain.cc" >"$work/cast.err" 2>&1; then
		bad "$c -Wold-style-cast: gain.cc without the prologue has warnings, as section 8 says"
	elif grep -q 'old-style cast' "$work/cast.err"; then
		ok "$c -Wold-style-cast: gain.cc without the prologue has warnings, as section 8 says"
	else
		bad "$c -Wold-style-cast: gain.cc without the prologue has warnings, as section 8 says"
		show "$work/cast.err"
	fi
done
if command -v "$clangxx" >/dev/null 2>&1; then
	if printf '#include "audio.h"\n' | "$clangxx" -x c++ "${cast_flags[@]}" - >"$work/cast.err" 2>&1; then
		bad "$clangxx -Wold-style-cast: audio.h alone has warnings, as section 8 says"
	elif grep -q 'old-style cast' "$work/cast.err"; then
		ok "$clangxx -Wold-style-cast: audio.h alone has warnings, as section 8 says"
	else
		bad "$clangxx -Wold-style-cast: audio.h alone has warnings, as section 8 says"
		show "$work/cast.err"
	fi
fi
lib_summary
