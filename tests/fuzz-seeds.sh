#!/bin/bash
# Makes the seed corpora of the fuzz targets from the project's own test
# inputs, one directory each under OUT:
#
#   frontend/    the IDL files under tests/ and samples/, each with up to
#                three of the files it imports, in fuzz_frontend's format
#                (files split at lines "%%", named a.idl to d.idl, the
#                first's imports renamed to match);
#   descriptor/  the descriptor blob of every valid module, from its
#                _desc.c compiled for the host (and with -m32 when the
#                compiler can), as a loader reads it from .chitin;
#   pair/        for fuzz_loader and fuzz_compare: [u32 n][n bytes: blob
#                A][blob B], for each version pair of tests/compat and
#                tests/cgen/resilient, each module against its 32-bit
#                class, and unrelated modules;
#   objfile/     the object files and a shared library those came from.
#
#   fuzz-seeds.sh OUT      (with CHITIN, CC and srcdir set, as make does)
set -u
: "${CHITIN:?set CHITIN to the chitin binary}"
: "${srcdir:=.}"
: "${CC:=cc}"
out=${1:?usage: fuzz-seeds.sh OUT}
mkdir -p "$out/frontend" "$out/descriptor" "$out/pair" "$out/objfile"
work=$(mktemp -d "${TMPDIR:-/tmp}/chitin-seeds.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT

# a path as one file name: tests/golden/gen/corpus.idl -> tests_golden_gen_corpus
flat() { local p=${1#"$srcdir"/}; p=${p%.idl}; printf '%s' "${p//\//_}"; }

# ---- frontend ---------------------------------------------------------------
while IFS= read -r f; do
	dir=$(dirname "$f")
	seed="$out/frontend/$(flat "$f")"
	script=() parts=()
	names=(b.idl c.idl d.idl)
	while IFS= read -r imp; do
		[ ${#parts[@]} -lt 3 ] || break
		[ -f "$dir/$imp" ] || continue
		script+=(-e "s|import \"$imp\"|import \"${names[${#parts[@]}]}\"|")
		parts+=("$dir/$imp")
	done < <(sed -n 's/^import "\([^"]*\)";.*/\1/p' "$f")
	if [ ${#parts[@]} -eq 0 ]; then
		cp "$f" "$seed"
	else
		{
			sed "${script[@]}" "$f"
			for p in "${parts[@]}"; do
				printf '%%%%\n'
				cat "$p"
			done
		} >"$seed"
	fi
done < <(find "$srcdir/tests" "$srcdir/samples" -name '*.idl' -size -64k | LC_ALL=C sort)

# ---- descriptor blobs ----------------------------------------------------------
# blob FILE.idl NAME [CFLAGS...]: its module's blob as OUT/descriptor/NAME
# (the files it imports from its directory are generated too, for the
# headers its own includes)
blob() {
	local idl=$1 name=$2 d c macro mod imports=()
	shift 2
	d="$work/gen.$name"
	mkdir -p "$d"
	mod=$(sed -n 's/^module \([A-Za-z_0-9]*\);.*/\1/p' "$idl" | head -n 1)
	while IFS= read -r imp; do
		[ -f "$(dirname "$idl")/$imp" ] && imports+=("$(dirname "$idl")/$imp")
	done < <(sed -n 's/^import "\([^"]*\)";.*/\1/p' "$idl")
	"$CHITIN" gen --c --desc-c -I "$(dirname "$idl")" -o "$d" "$idl" "${imports[@]}" \
		2>/dev/null || return 1
	c=$d/${mod}_desc.c
	[ -n "$mod" ] && [ -f "$c" ] || return 1
	macro=$(grep -o 'defined([A-Z0-9_]*_IMPLEMENTATION)' "$c" | head -n 1)
	macro=${macro#defined(}
	macro=${macro%)}
	"$CC" "$@" -I"$srcdir/runtime/include" -c -D"$macro" -o "$d/desc.o" "$c" 2>/dev/null || return 1
	objcopy -O binary --only-section=.chitin "$d/desc.o" "$out/descriptor/$name" 2>/dev/null &&
		[ -s "$out/descriptor/$name" ] || return 1
	cp "$d/desc.o" "$out/objfile/$name.o"
}

m32=
if echo 'int x;' | "$CC" -m32 -x c -c -o "$work/m32.o" - 2>/dev/null; then m32=-m32; fi
while IFS= read -r f; do
	"$CHITIN" check -I "$(dirname "$f")" "$f" >/dev/null 2>&1 || continue
	name=$(flat "$f")
	blob "$f" "$name" || continue
	[ -z "$m32" ] || blob "$f" "$name.m32" -m32 || true
done < <(find "$srcdir/tests" "$srcdir/samples" -name '*.idl' -size -64k | LC_ALL=C sort)

if command -v objcopy >/dev/null; then
	first=$(ls "$out/objfile"/*.o 2>/dev/null | head -n 1)
	[ -z "$first" ] || "$CC" -shared -o "$out/objfile/lib.so" "$first" 2>/dev/null || true
fi

# ---- pairs ---------------------------------------------------------------------
# pair A B NAME: OUT/pair/NAME holds blobs A and B
pair() {
	local n
	[ -s "$1" ] && [ -s "$2" ] || return 0
	n=$(wc -c <"$1")
	printf -v len '\\x%02x\\x%02x\\x%02x\\x%02x' $((n & 255)) $((n >> 8 & 255)) \
		$((n >> 16 & 255)) $((n >> 24 & 255))
	{ printf '%b' "$len"; cat "$1" "$2"; } >"$out/pair/$3"
}
desc=$out/descriptor
for v in "$desc"/tests_compat_v*; do
	case $v in *.m32) continue ;; esac
	base=$desc/tests_compat_v1
	[ "$v" = "$base" ] && continue
	pair "$base" "$v" "compat_$(basename "$v")"
	pair "$v" "$base" "compat_$(basename "$v").reverse"
done
pair "$desc/tests_cgen_resilient_v1_1_rs" "$desc/tests_cgen_resilient_v1_0_rs" resilient
pair "$desc/tests_cgen_resilient_v1_0_rs" "$desc/tests_cgen_resilient_v1_1_rs" resilient.reverse
for b in "$desc"/*.m32; do
	pair "${b%.m32}" "$b" "$(basename "${b%.m32}").classes"
done
prev=
for b in "$desc"/*; do
	case $b in *.m32) continue ;; esac
	[ -z "$prev" ] || pair "$prev" "$b" "$(basename "$prev").$(basename "$b")"
	prev=$b
done
for d in frontend descriptor pair objfile; do
	echo "fuzz-seeds: $d: $(ls "$out/$d" | wc -l) seeds"
done
