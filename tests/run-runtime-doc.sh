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
#   - every .c or .idl file a ```sh block names is in samples/audio, or,
#     under gen/, a generated file.
# A self-check proves the checks bite on a name the sample lacks.
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
	for f in $(blocks sh "$file" | { grep -oE '[A-Za-z0-9_./-]+\.(c|idl)\b' || true; } | sort -u); do
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
lib_summary
