#!/bin/bash
# The slow invariant of fuzz_frontend, on a corpus: every input chitin
# accepts yields a C header that compiles alone as C11 and as C++11, and
# a descriptor source that compiles as it is and in implementer mode,
# warning-free under -Wall -Wextra -pedantic.  FUZZ_FRONTEND (the target,
# built with libFuzzer or with tests/fuzz_run.c) keeps each accepted
# input's files; chitin gen writes their C.
#
#   fuzz-compile.sh CORPUS_DIR_OR_FILE...     (with CHITIN, FUZZ_FRONTEND, CC)
set -u
: "${CHITIN:?set CHITIN to the chitin binary}"
: "${FUZZ_FRONTEND:?set FUZZ_FRONTEND to the fuzz_frontend binary}"
: "${srcdir:=.}" "${CC:=cc}" "${CXX:=}"
[ -n "$CXX" ] || CXX=$(command -v g++ || command -v clang++ || true)
work=$(mktemp -d "${TMPDIR:-/tmp}/chitin-fuzz-compile.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
mkdir "$work/keep"

inputs=()
for a in "$@"; do
	if [ -d "$a" ]; then
		while IFS= read -r f; do inputs+=("$f"); done < <(find "$a" -type f | LC_ALL=C sort)
	else
		inputs+=("$a")
	fi
done
[ ${#inputs[@]} -gt 0 ] || { echo "fuzz-compile: no inputs"; exit 0; }
# libFuzzer runs each file named once; the plain driver, with -1, too
if "$FUZZ_FRONTEND" -help=1 2>&1 | grep -q libFuzzer; then once=(); else once=(-1); fi
printf '%s\0' "${inputs[@]}" | FUZZ_FRONTEND_KEEP=$work/keep xargs -0 -n 200 \
	"$FUZZ_FRONTEND" "${once[@]}" >"$work/run.log" 2>&1 ||
	{ echo "fuzz-compile: $FUZZ_FRONTEND failed"; tail -n 20 "$work/run.log"; exit 1; }

warn=(-Wall -Wextra -pedantic -Werror -I"$srcdir/runtime/include")
n=0 bad=0
for d in "$work"/keep/*/; do
	[ -d "$d" ] || continue
	n=$((n + 1))
	out=$d/out
	if ! "$CHITIN" gen --c --desc-c -o "$out" "$d"*.idl >"$d/log" 2>&1; then
		what="chitin gen refused it"
	else
		what=
		for h in "$out"/*.h; do
			printf '#include "%s"\n' "$h" >"$out/use.c"
			"$CC" -std=c11 "${warn[@]}" -fsyntax-only "$out/use.c" >>"$d/log" 2>&1 ||
				{ what="its header does not compile as C11"; break; }
			if [ -n "$CXX" ]; then
				cp "$out/use.c" "$out/use.cc"
				"$CXX" -std=c++11 "${warn[@]}" -fsyntax-only "$out/use.cc" >>"$d/log" 2>&1 ||
					{ what="its header does not compile as C++11"; break; }
			fi
		done
		for c in "$out"/*_desc.c; do
			[ -z "$what" ] || break
			macro=$(grep -o 'defined([A-Z0-9_]*_IMPLEMENTATION)' "$c" | head -n 1)
			macro=${macro#defined(}
			macro=${macro%)}
			"$CC" -std=c11 "${warn[@]}" -I"$out" -c -o "$out/a.o" "$c" >>"$d/log" 2>&1 &&
				"$CC" -std=c11 "${warn[@]}" -I"$out" -D"$macro" -c -o "$out/b.o" "$c" \
					>>"$d/log" 2>&1 ||
				what="its descriptor source does not compile"
		done
	fi
	if [ -n "$what" ]; then
		bad=$((bad + 1))
		echo "fuzz-compile: $what:"
		for f in "$d"*.idl; do echo "--- ${f##*/}"; head -c 2000 "$f"; done
		tail -n 15 "$d/log"
	fi
done
echo "fuzz-compile: ${#inputs[@]} inputs, $n accepted, $bad whose C does not compile"
[ "$bad" -eq 0 ]
