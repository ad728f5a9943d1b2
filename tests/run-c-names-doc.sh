#!/usr/bin/env bash
# doc/c-names.md, the reference of the C names, held to what chitin
# generates, so that the two cannot drift apart:
#   - its example modules (each ```idl block after a line
#     `<!-- c-names example: FILE -->`) are generated with gen --c --desc-c,
#     and the header compiles;
#   - every name the document gives that is made from an example module
#     (a word with a part `mixer`, `MIXER`, `units` or `UNITS`, in a code
#     span or a ```c block) is a name of the generated C; every `chitin_`
#     or `CHITIN_` name it gives, but for forms with placeholders (`m`,
#     `S`, `NAME`, ...) and prefixes (`chitin_`), is one of the generated
#     C or of <chitin/chitin.h> and <chitin/runtime.h> (their macros
#     expanded too); and every word of its ```c blocks is; the generated
#     files' names (`mixer_desc.c`) are names too;
#   - every name made from an example module in mixer.h and
#     mixer_desc.c (comments aside) is in the document.
# Self-checks prove both directions bite.
set -euo pipefail

me=run-c-names-doc
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
CHITIN=${CHITIN:-$top_builddir/chitin}
read -r -a cc <<<"${CC:-gcc}"
. "$srcdir/tests/lib.sh"
lib_work

doc=$srcdir/doc/c-names.md
runtime_include=$srcdir/runtime/include
module_part='(^|_)(mixer|MIXER|units|UNITS)(_|$)'
placeholder='(^|_)(m|M|S|I|C|E|V|f|T|B|d|name|Name|NAME|MAJOR|MINOR)(_|$)'

# strip_comments FILE...: the files without their /* */ comments.
strip_comments() {
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
		print out
	}' "$@"
}

# words: the identifiers of standard input, one a line, sorted, unique.
words() {
	{ grep -oE '[A-Za-z_][A-Za-z0-9_]*' || true; } | LC_ALL=C sort -u
}

# The example modules.
mkdir -p "$work/idl" "$work/gen"
awk -v dir="$work/idl" '
	/^<!-- c-names example: [a-z0-9]+\.idl -->$/ { file = $4; next }
	file != "" && /^```idl$/ { out = dir "/" file; copying = 1; next }
	copying && /^```$/ { copying = 0; close(out); file = ""; next }
	copying { print > out }' "$doc"
for f in mixer.idl units.idl; do
	if [ -s "$work/idl/$f" ]; then ok "the document has the example $f"; else bad "the document has the example $f"; fi
done
if ! "$CHITIN" gen --c --desc-c -o "$work/gen" "$work/idl/mixer.idl" "$work/idl/units.idl" \
	>"$work/gen.log" 2>&1; then
	bad "chitin gen --c --desc-c of the example"
	show "$work/gen.log"
	lib_summary
fi
ok "chitin gen --c --desc-c of the example"
printf '#include "mixer.h"\n' >"$work/tu.c"
check "mixer.h compiles" "${cc[@]}" -std=c11 -Wall -Wextra -pedantic -Werror -I "$work/gen" \
	-I "$runtime_include" -c "$work/tu.c" -o "$work/tu.o"

# What the generated C and chitin.h name: their words outside comments,
# and those of the header preprocessed, where chitin.h's macros have
# made the instantiations over primitives.
strip_comments "$work/gen/mixer.h" "$work/gen/mixer_desc.c" | words >"$work/made.words"
{
	strip_comments "$work/gen"/*.h "$work/gen"/*.c "$runtime_include/chitin/chitin.h" \
		"$runtime_include/chitin/runtime.h"
	"${cc[@]}" -E -P -I "$work/gen" -I "$runtime_include" "$work/tu.c" 2>/dev/null || true
	for f in "$work/gen"/*; do basename "$f"; done
} | words >"$work/known.words"

# What the document names: the words of its code spans (outside code
# blocks) and of its ```c blocks (comments aside).
awk '/^```/ { block = !block; next } !block' "$doc" | { grep -oE '`[^`]+`' || true; } |
	tr -d '`' | words >"$work/span.words"
awk '/^```c$/ { c = 1; next } /^```/ { c = 0; next } c' "$doc" >"$work/c_blocks.txt"
strip_comments "$work/c_blocks.txt" | words >"$work/cblock.words"
LC_ALL=C sort -u "$work/span.words" "$work/cblock.words" >"$work/doc.words"

# doc_names_exist DOCWORDS CBLOCKWORDS KNOWN: the names of the first two
# lists that the third lacks, by the rules above.
doc_names_missing() {
	{
		grep -E "$module_part" "$1" || true
		grep -E '^(chitin|CHITIN)_' "$1" | grep -Ev "$placeholder" | grep -v '_$' || true
		cat "$2"
	} | LC_ALL=C sort -u | LC_ALL=C comm -23 - "$3"
}

# made_names_missing MADE DOCWORDS: the names made from the example's
# modules that the document lacks.
made_names_missing() {
	grep -E "$module_part" "$1" | LC_ALL=C comm -23 - "$2"
}

missing=$(doc_names_missing "$work/doc.words" "$work/cblock.words" "$work/known.words")
if [ -z "$missing" ]; then
	ok "every name the document gives is one the generated C or chitin.h has"
else
	bad "names the document gives that the generated C does not have:"
	echo "$missing" | sed 's/^/  | /'
fi
missing=$(made_names_missing "$work/made.words" "$work/doc.words")
if [ -z "$missing" ]; then
	ok "every name mixer.h and mixer_desc.c make from the example is in the document"
else
	bad "names of mixer.h or mixer_desc.c that the document lacks:"
	echo "$missing" | sed 's/^/  | /'
fi

# Self-checks: a name the document invents, and one it leaves out, are
# found; a form with a placeholder is not taken for a name.
printf 'mixer_Mixer_invented\nchitin_own_descriptor_m\nCHITIN_OPTION_NONE\n' |
	LC_ALL=C sort -u >"$work/self.words"
: >"$work/empty.words"
got=$(doc_names_missing "$work/self.words" "$work/empty.words" "$work/known.words")
check "self-check: an invented name is found, a form with placeholders is not" \
	test "$got" = mixer_Mixer_invented
grep -vx mixer_Mixer_drain "$work/doc.words" >"$work/doc-less.words" || true
got=$(made_names_missing "$work/made.words" "$work/doc-less.words")
check "self-check: a name left out of the document is found" test "$got" = mixer_Mixer_drain

lib_summary
