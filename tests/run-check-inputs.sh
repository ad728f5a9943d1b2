#!/usr/bin/env bash
# Every input the check suite accepts (tests/golden/check/NAME.idl whose
# NAME.err ends in "exit: 0") yields a C header and a descriptor source
# that compile (doc/idl.md 9: the checker refuses every name the C
# compilers would): each header as C11 and C++11 under gcc, g++, clang
# and clang++ with -Wall -Wextra -pedantic -Werror, and each descriptor
# source in implementer mode as C11 and as C++11, keeping its global entry
# symbol.  The modules the cases import (tests/golden/check/include) are
# generated beside them.  Cases with an `// args:` line are run another
# way by run-golden.sh and are left out here.
set -euo pipefail

me=run-check-inputs
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
CHITIN=${CHITIN:-$top_builddir/chitin}
read -r -a cc <<<"${CC:-gcc}"
cxx=${CXX:-g++}
clang=${CLANG:-clang}

. "$srcdir/tests/lib.sh"
lib_work
casedir=$srcdir/tests/golden/check
runtime_include=$srcdir/runtime/include
strict=(-Wall -Wextra -pedantic -Werror)

mkdir -p "$work/inc"
for f in "$casedir"/include/*.idl; do
	# some helpers are broken on purpose; those that check are generated
	"$CHITIN" gen --c --desc-c -I "$casedir/include" -o "$work/inc" "$f" >/dev/null 2>&1 || true
done

compilers=("${cc[*]}|${cc[*]} -x c -std=c11")
command -v "$cxx" >/dev/null 2>&1 && compilers+=("$cxx|$cxx -x c++ -std=c++11")
command -v "$clang" >/dev/null 2>&1 && compilers+=("$clang|$clang -x c -std=c11" "$clang++|$clang -x c++ -std=c++11")

n=0
for f in "$casedir"/*.idl; do
	name=$(basename "$f" .idl)
	tail -n 1 "$casedir/$name.err" | grep -qx 'exit: 0' || continue
	head -n 1 "$f" | grep -q '^// args:' && continue
	n=$((n + 1))
	out=$work/$name
	mkdir -p "$out"
	if ! "$CHITIN" gen --c --desc-c -I "$casedir/include" -o "$out" "$f" >"$out/gen.err" 2>&1; then
		bad "$name: chitin gen"
		show "$out/gen.err"
		continue
	fi
	for h in "$out"/*.h; do
		m=$(basename "$h" .h)
		printf '#include "%s.h"\n' "$m" >"$out/tu_$m.c"
		for c in "${compilers[@]}"; do
			read -r -a cmd <<<"${c#*|}"
			if run_limited "${cmd[@]}" "${strict[@]}" -I "$out" -I "$work/inc" -I "$runtime_include" \
				-c "$out/tu_$m.c" -o "$out/tu.o" >"$out/cc.err" 2>&1; then
				ok "$name: $m.h compiles (${c%%|*})"
			else
				bad "$name: $m.h does not compile (${c%%|*})"
				show "$out/cc.err"
			fi
		done
		upper=$(echo "$m" | tr 'a-z' 'A-Z')
		for c in "${compilers[@]}"; do
			read -r -a cmd <<<"${c#*|}"
			case "${cmd[*]}" in *c++*) lang=C++ ;; *) lang=C ;; esac
			if run_limited "${cmd[@]}" "${strict[@]}" -fPIC -D"${upper}_IMPLEMENTATION" -D"${upper}_STATIC" \
				-I "$out" -I "$work/inc" -I "$runtime_include" -c "$out/${m}_desc.c" -o "$out/desc.o" \
				>"$out/cc.err" 2>&1; then
				if nm "$out/desc.o" | grep -Eq " [DR] _?chitin_module_$m\$"; then
					ok "$name: ${m}_desc.c compiles and defines chitin_module_$m (${c%%|*}, $lang)"
				else
					bad "$name: ${m}_desc.c has no global chitin_module_$m (${c%%|*}, $lang)"
				fi
			else
				bad "$name: ${m}_desc.c does not compile (${c%%|*})"
				show "$out/cc.err"
			fi
		done
	done
done
if [ "$n" = 0 ]; then
	bad "no accepted input in $casedir"
fi
lib_summary
