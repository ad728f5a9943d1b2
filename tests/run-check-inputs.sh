#!/usr/bin/env bash
# Every input the check suite accepts (tests/golden/check/NAME.idl whose
# NAME.err ends in "exit: 0") yields a C header and a descriptor source
# that compile (doc/idl.md 9: the checker refuses every name the C
# compilers would): each header as C11 and C++11 under gcc, g++, clang
# and clang++ with -Wall -Wextra -Wshadow -pedantic -Werror, and each descriptor
# source in implementer mode as C11 and as C++11, keeping its global entry
# symbol; and each module's Rust (chitin gen --rust) compiles with -D
# warnings, beside the modules it imports, on every Rust toolchain here
# (lib_rustcs) in edition 2021 and, where the toolchain has it, 2024.
# The modules the cases import (tests/golden/check/include) are
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
strict=(-Wall -Wextra -Wshadow -pedantic -Werror)

mkdir -p "$work/inc"
for f in "$casedir"/include/*.idl; do
	# some helpers are broken on purpose; those that check are generated
	"$CHITIN" gen --c --desc-c --rust -I "$casedir/include" -o "$work/inc" "$f" >/dev/null 2>&1 || true
done

# The runtime crate, once per Rust toolchain.
lib_rustcs
rust_labels=()
for rc in "${rustcs[@]}"; do
	[ -x "$rc" ] || continue
	lib_rust_version "$rc"
	mkdir -p "$work/$label"
	if run_limited "$rc" --edition 2021 --crate-type rlib --crate-name chitin --cfg 'feature="std"' \
		-o "$work/$label/libchitin.rlib" "$srcdir/runtime/rust/src/lib.rs" >"$work/$label/build.err" 2>&1; then
		rust_labels+=("$rc|$label|${editions[*]}")
	else
		bad "$label: the runtime crate builds"
		show "$work/$label/build.err"
	fi
done

# rust_compiles NAME OUT: the Rust of case NAME, in OUT/rs with the
# imported modules' beside it, compiles on every toolchain.
rust_compiles() {
	local name=$1 out=$2 entry rc label eds ed f
	mkdir -p "$out/rs"
	if ! "$CHITIN" gen --rust -I "$casedir/include" -o "$out/rs" "$casedir/$name.idl" >"$out/gen.err" 2>&1; then
		bad "$name: chitin gen --rust"
		show "$out/gen.err"
		return
	fi
	for f in "$work/inc"/*.rs; do
		[ -e "$out/rs/$(basename "$f")" ] || cp "$f" "$out/rs/"
	done
	for f in "$out/rs"/*.rs; do
		[ "$(basename "$f")" = lib.rs ] || echo "pub mod $(basename "$f" .rs);"
	done >"$out/rs/lib.rs"
	for entry in "${rust_labels[@]}"; do
		IFS='|' read -r rc label eds <<<"$entry"
		for ed in $eds; do
			[ "$ed" = 2018 ] && continue
			if run_limited "$rc" --edition "$ed" -D warnings --crate-type rlib --crate-name modules \
				--extern chitin="$work/$label/libchitin.rlib" -o "$out/rs/libmodules.rlib" \
				"$out/rs/lib.rs" >"$out/rs.err" 2>&1; then
				ok "$name: its Rust compiles ($label, edition $ed)"
			else
				bad "$name: its Rust does not compile ($label, edition $ed)"
				show "$out/rs.err"
			fi
		done
	done
}

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
	rust_compiles "$name" "$out"
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
