#!/usr/bin/env bash
# The Rust runtime crate (runtime/rust, doc/runtime.md 7) on every Rust
# toolchain here: Debian's rustc 1.63 at /usr/bin/rustc and the current
# stable one (rustup's, first on PATH or in ~/.cargo/bin), each by its
# full path; a toolchain that is absent is skipped, and none at all fails.
# On each:
#   - cargo test and a build without the std feature, with cargo --offline
#     on a copy of the crate (the source tree stays untouched), -D warnings;
#     on the toolchain that has them, clippy -D warnings and rustfmt --check;
#   - with plain rustc, in editions 2018 and 2021 (and 2024 from 1.85 on),
#     with debug assertions and -D warnings: the crate with and without
#     std, its unit tests run, and tests/rust/rref.rs built against it;
#   - rref held to tests/rust/cref.c, which prints what the C compiler and
#     libchitin say in the same form: the size, alignment and every field
#     offset of each raw type (chitin.h's, and results from a generated
#     header), status texts, descriptor statuses, the problem sentences of
#     descriptor.h and the constants; every value of the blobs the
#     compiler writes for tests/compat and the golden corpus; the
#     comparison's report for every ordered pair of them; and many changed
#     copies of them, each decoded and compared with its original both
#     ways -- all byte for byte;
#   - the Rust decoding of each blob is what `chitin inspect --json` says
#     of it (with jq), and the Rust report for a breaking pair is what
#     `chitin inspect --against` prints.
# Set CHITIN_RUSTC to a space-separated list of rustc paths to choose the
# toolchains.
set -euo pipefail

me=run-rust-runtime
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
CHITIN=${CHITIN:-$top_builddir/chitin}
read -r -a cc <<<"${CC:-gcc}"
read -r -a san <<<"${SANITIZER_CFLAGS:-}"
src=$(cd "$srcdir" && pwd)
. "$src/tests/lib.sh"
lib_work
time_limit=300
crate=$src/runtime/rust

# ---- the toolchains ---------------------------------------------------------

lib_rustcs
if [ "${#rustcs[@]}" -eq 0 ]; then
	bad "a Rust toolchain (none at /usr/bin/rustc, on PATH or in ~/.cargo/bin)"
	lib_summary
fi

# Every source of the crate is in Makefile.am's lists, which install and
# distribute it.
missing=
for f in "$crate/Cargo.toml" $(find "$crate/src" -name '*.rs' | sort); do
	grep -q "runtime/rust/${f#"$crate"/}" "$src/Makefile.am" || missing="$missing ${f#"$crate"/}"
done
if [ -z "$missing" ]; then
	ok "Makefile.am installs and distributes every file of the crate"
else
	bad "Makefile.am installs and distributes every file of the crate; not:$missing"
fi

# ---- the C side ---------------------------------------------------------------

libs=$(cd "$top_builddir/.libs" && pwd)
if [ -e "$libs/libchitin.so" ]; then
	link=(-L "$libs" -lchitin -Wl,-rpath,"$libs")
else
	link=("$libs/libchitin.a" -ldl)
fi
cflags=(-std=c11 -Wall -Wextra -Werror -I "$src/runtime/include")

# cref NAME [CFLAGS...] -- build $work/NAME from cref.c and the sources given.
build_cref() {
	local name=$1
	shift
	if ! run_limited "${cc[@]}" "${cflags[@]}" "${san[@]}" "$@" "$src/tests/rust/cref.c" \
		-o "$work/$name" "${link[@]}" >"$work/$name.err" 2>&1; then
		bad "cref $name builds"
		show "$work/$name.err"
		lib_summary
	fi
}

mkdir -p "$work/gen/layout" "$work/blobs" "$work/c"
"$CHITIN" gen --c -o "$work/gen/layout" "$src/tests/rust/layout.idl"
build_cref cref -DLAYOUT -I "$work/gen/layout"

# The blobs: each version of tests/compat, and the golden corpus (which
# imports shapes), written by a program that links the generated
# descriptor source.
blobs=()
blob() { # NAME MODULE GENDIR
	build_cref "write-$1" -DDESC="chitin_own_descriptor_$2" -I "$3" "$3/$2_desc.c"
	"$work/write-$1" write "$work/blobs/$1.bin"
	blobs+=("$work/blobs/$1.bin")
}
for idl in "$src"/tests/compat/*.idl; do
	name=$(basename "$idl" .idl)
	mkdir -p "$work/gen/$name"
	"$CHITIN" gen --c --desc-c -o "$work/gen/$name" "$idl"
	blob "$name" demo "$work/gen/$name"
done
mkdir -p "$work/gen/corpus"
"$CHITIN" gen --c --desc-c -o "$work/gen/corpus" "$src/tests/golden/gen/corpus.idl" \
	"$src/tests/golden/gen/shapes.idl"
blob corpus corpus "$work/gen/corpus"
blob shapes shapes "$work/gen/corpus"

cref=$work/cref
fuzz_args=(fuzz 20250101 3000 "${blobs[@]}")
"$cref" layout >"$work/c/layout"
"$cref" texts >"$work/c/texts"
"$cref" dump "${blobs[@]}" >"$work/c/dump"
"$cref" pairs "${blobs[@]}" >"$work/c/pairs"
"$cref" "${fuzz_args[@]}" >"$work/c/fuzz"
check "the changed copies include refused and compared ones" \
	sh -c "grep -aq '^refused: corrupt' '$work/c/fuzz' && grep -aq '^report [1-9]' '$work/c/fuzz'"

have_jq=
if command -v jq >/dev/null 2>&1; then
	have_jq=1
	for b in "${blobs[@]}"; do
		"$CHITIN" inspect --json "$b" |
			jq -S '.descriptors[0] | del(.section, .container, .offset)' >"$b.inspect.json"
	done
else
	echo "skip the comparison with chitin inspect --json: no jq"
fi

# What chitin inspect --against prints for the breaking 1.1 against
# v1.json on the first target of the blob's class: libchitin's report.
"$CHITIN" gen --json -o "$work/gen/v1" "$src/tests/compat/v1.idl"
status=0
"$CHITIN" inspect "$work/blobs/v1_1-breaking.bin" --against "$work/gen/v1/demo.json" \
	>/dev/null 2>"$work/c/against.err" || status=$?
sed -n '3,/^on /{/^  /s/^  //p}' "$work/c/against.err" >"$work/c/against"
check "chitin inspect --against reports the breaking version" \
	sh -c "[ $status = 1 ] && [ -s '$work/c/against' ]"

# same NAME C-FILE RUST-FILE: the two outputs are the same bytes.
same() {
	if cmp -s "$2" "$3"; then
		ok "$1"
	else
		bad "$1"
		diff -u "$2" "$3" >"$work/diff" || true
		show "$work/diff"
	fi
}

# ---- each toolchain -------------------------------------------------------------

# run NAME CMD...: CMD's output in $work/log, a failure shown; the status
# says which (so call it where a failure does not stop the script).
run() {
	local name=$1
	shift
	if run_limited "$@" >"$work/log" 2>&1; then
		ok "$name"
	else
		bad "$name"
		show "$work/log"
		return 1
	fi
}

# rref_checks LABEL RREF: the Rust tool held to the C one.
rref_checks() {
	local label=$1 rref=$2 b
	local out=$work/r-$label
	mkdir -p "$out"
	"$rref" layout >"$out/layout" || true
	same "$label: layouts of the raw types are the C compiler's" "$work/c/layout" "$out/layout"
	"$rref" texts >"$out/texts" || true
	same "$label: texts and constants are libchitin's" "$work/c/texts" "$out/texts"
	"$rref" dump "${blobs[@]}" >"$out/dump" || true
	same "$label: the blobs decode to libchitin's values" "$work/c/dump" "$out/dump"
	"$rref" pairs "${blobs[@]}" >"$out/pairs" || true
	same "$label: reports of every pair are libchitin's" "$work/c/pairs" "$out/pairs"
	"$rref" "${fuzz_args[@]}" >"$out/fuzz" || true
	same "$label: changed copies decode and compare as in libchitin" "$work/c/fuzz" "$out/fuzz"
	"$rref" report "$work/blobs/v1.bin" "$work/blobs/v1_1-breaking.bin" 0 >"$out/against" || true
	same "$label: the breaking version's report is chitin inspect --against's" \
		"$work/c/against" "$out/against"
	if [ -n "$have_jq" ]; then
		local differ=
		for b in "${blobs[@]}"; do
			if ! "$rref" json "$b" | jq -S . >"$out/json" 2>&1 ||
				! cmp -s "$b.inspect.json" "$out/json"; then
				differ="$differ $(basename "$b")"
			fi
		done
		if [ -z "$differ" ]; then
			ok "$label: the decoded blobs are what chitin inspect --json says"
		else
			bad "$label: the decoded blobs are what chitin inspect --json says:$differ"
		fi
	fi
}

for rc in "${rustcs[@]}"; do
	if [ ! -x "$rc" ]; then
		echo "skip $rc: not there"
		continue
	fi
	lib_rust_version "$rc"
	echo "$label: $rc, editions ${editions[*]}"
	dir=$(dirname "$rc")

	# cargo on a copy of the crate: Cargo.lock and target stay in $work.
	if [ -x "$dir/cargo" ]; then
		copy=$work/crate-$label
		mkdir -p "$copy"
		cp -R "$crate/Cargo.toml" "$crate/src" "$copy/"
		export CARGO_TARGET_DIR=$work/target-$label
		# (and the toolchain's own rustdoc for the doctests: another's
		# cannot read this one's rlib)
		run "$label: cargo test" env RUSTC="$rc" RUSTDOC="$dir/rustdoc" RUSTFLAGS="-D warnings" \
			"$dir/cargo" test --offline -q --manifest-path "$copy/Cargo.toml" || true
		run "$label: cargo build without std" env RUSTC="$rc" RUSTFLAGS="-D warnings" \
			"$dir/cargo" build --offline -q --no-default-features --manifest-path "$copy/Cargo.toml" ||
			true
		# (cargo would find another toolchain's clippy on PATH)
		if [ -x "$dir/cargo-clippy" ] && env RUSTC="$rc" "$dir/cargo" clippy --version >/dev/null 2>&1; then
			run "$label: no clippy warnings" env RUSTC="$rc" "$dir/cargo" clippy --offline -q \
				--all-targets --manifest-path "$copy/Cargo.toml" -- -D warnings || true
			run "$label: no clippy warnings without std" env RUSTC="$rc" "$dir/cargo" clippy \
				--offline -q --all-targets --no-default-features --manifest-path "$copy/Cargo.toml" \
				-- -D warnings || true
		fi
		unset CARGO_TARGET_DIR
	else
		echo "skip cargo for $label: no $dir/cargo"
	fi
	if [ -x "$dir/rustfmt" ] && "$dir/rustfmt" --version >/dev/null 2>&1; then
		run "$label: the crate and rref.rs are rustfmt-clean" "$dir/rustfmt" --check --edition 2021 \
			"$crate/src/lib.rs" "$src/tests/rust/rref.rs" || true
	fi

	# plain rustc, edition by edition
	for ed in "${editions[@]}"; do
		out=$work/$label-$ed
		mkdir -p "$out/std" "$out/core"
		rflags=(--edition "$ed" -D warnings -C debug-assertions=yes -C overflow-checks=yes)
		std=(--cfg 'feature="std"')
		run "$label $ed: the crate builds" "$rc" "${rflags[@]}" "${std[@]}" --crate-type rlib \
			--crate-name chitin --out-dir "$out/std" "$crate/src/lib.rs" || continue
		run "$label $ed: the crate builds without std" "$rc" "${rflags[@]}" --crate-type rlib \
			--crate-name chitin --out-dir "$out/core" "$crate/src/lib.rs" || true
		if run "$label $ed: the unit tests build" "$rc" "${rflags[@]}" "${std[@]}" --test \
			--crate-name chitin -o "$out/unit" "$crate/src/lib.rs"; then
			run "$label $ed: the unit tests pass" "$out/unit" -q || true
		fi
		if run "$label $ed: the unit tests build without std" "$rc" "${rflags[@]}" --test \
			--crate-name chitin -o "$out/unit-core" "$crate/src/lib.rs"; then
			run "$label $ed: the unit tests pass without std" "$out/unit-core" -q || true
		fi
		if run "$label $ed: rref builds" "$rc" "${rflags[@]}" --extern chitin="$out/std/libchitin.rlib" \
			-o "$out/rref" "$src/tests/rust/rref.rs"; then
			rref_checks "$label $ed" "$out/rref"
		fi
	done
done

lib_summary
