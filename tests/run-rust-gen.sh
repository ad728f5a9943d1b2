#!/usr/bin/env bash
# The generated Rust (chitin gen --rust, doc/rust.md) of every golden
# module (tests/golden/gen), on every Rust toolchain here (lib_rustcs:
# Debian's rustc 1.63 and the current stable one):
#   - the modules, as sibling module files of one crate built on the
#     runtime crate, compile in editions 2018 and 2021 (and 2024 from
#     1.85 on) with -D warnings;
#   - a program calls each module's check_layout(), which holds every
#     field offset to what chitin computed for the host (the sizes and
#     alignments are held at compile time), and prints ok;
#   - the same through include!, the other way a module is used;
#   - on the toolchain that has them: no clippy warnings (clippy-driver
#     -D warnings) and rustfmt-clean (with the large module and the bench's
#     peer schema at 300 declarations), and no clippy warnings in a module
#     of 1400 structs either, whose descriptor's words are arrays clippy
#     calls large (the goldens with them, a module of constants alone and
#     one whose lines rustfmt breaks as it breaks few others);
#   - the assertions hold: greet.rs with one size of its assert_layout!
#     list changed does not compile, and with one offset of its
#     assert_offsets! list changed, its check_layout() panics naming the
#     field (on the first toolchain).
set -euo pipefail

me=run-rust-gen
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
CHITIN=${CHITIN:-$top_builddir/chitin}
src=$(cd "$srcdir" && pwd)
. "$src/tests/lib.sh"
lib_work
time_limit=300
crate=$src/runtime/rust
dir=$src/tests/golden/gen

lib_rustcs
if [ "${#rustcs[@]}" -eq 0 ]; then
	bad "a Rust toolchain (none at /usr/bin/rustc, on PATH or in ~/.cargo/bin)"
	lib_summary
fi

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

mods=()
mkdir -p "$work/gen"
for idl in "$dir"/*.idl; do
	name=$(basename "$idl" .idl)
	mods+=("$name")
	run "chitin gen --rust $name.idl" "$CHITIN" gen --rust -o "$work/gen" -I "$dir" "$idl" || true
done

# A module of constants alone, with nothing to assert; and one whose lines
# rustfmt breaks as it breaks few others: methods named by keywords, a
# method and an export whose slot and entry are read by calls over 60
# columns wide, thunks wider than a line, names that push lines past the
# width, a call of one wide argument, the offsets of a resilient struct 61
# columns wide on 64-bit targets (over rustfmt's array_width) and 60 on the
# others.
cat >"$work/bare.idl" <<'EOF'
[version(1.0)]
module bare;

callback void Notify(str message_text_long_enough_to_take_the_call_past_60_columns);

interface Odd {
    void type(u32 value);
    void match();
    u32 loop(bool gen);
    void a_method_whose_name_is_long_enough_to_break_lines(u64 first_parameter_name, f64 second_parameter);
    void takes(str a_string_whose_name_is_long_enough_to_push_its_lines_out, bool a_flag_long_too);
    void gives([out] u32 an_out_value_whose_name_is_long_enough_to_push_its_lines_out);
};

export void an_export_whose_name_is_long_enough_to_break_its_entry_line(u32 x);

[resilient]
struct Wide { u32 f0; u32 f1; u32 f2; u32 f3; u32 f4; u32 f5; u32 f6; u32 f7; u32 f8; u32 f9; u32 f10; u32 f11; u32 f12; u32 f13; u32 f14; u32 f15; };
EOF
printf '[version(1.0)]\nmodule consts;\n\nconst u32 K = 1;\n' >"$work/consts.idl"
mods+=(bare consts)
run "chitin gen --rust bare.idl" "$CHITIN" gen --rust -o "$work/gen" "$work/bare.idl" || true
run "chitin gen --rust consts.idl" "$CHITIN" gen --rust -o "$work/gen" "$work/consts.idl" || true

# A large module: its descriptor's common part and its parts are over the
# 16 KiB of clippy's large_const_arrays.
{
	echo '[version(1.0)]'
	echo 'module big;'
	for i in $(seq 0 1399); do echo "struct S$i { u8 a; u32 b; f64 c; };"; done
} >"$work/big.idl"
mkdir -p "$work/big"
run "chitin gen --rust big.idl" "$CHITIN" gen --rust -o "$work/big" "$work/big.idl" || true
printf 'pub mod big;\n' >"$work/big/lib.rs"

# The bench's peer schema at 300 declarations (bench/genidl --peer chitin
# 300), whose descriptor has a multi-line array whose last line would end at
# rustfmt's 100th column if its filler allowed that, as it does for an
# array of one line: rustfmt-checked.
{
	echo '/// The peer schema of 300 declarations, for benchmarks.'
	echo '[version(1.0)]'
	echo 'module bench;'
	echo
	for i in $(seq 0 149); do
		printf 'struct T%d {\n    u8 a;\n    u16 b;\n    u32 c;\n    u64 d;\n    f32 e;\n    f64 f;\n};\n\n' "$i"
		printf '[uuid(5eedc417-b3c4-4e5a-9b3d-%012x)]\ninterface IFoo%d : object {\n' "$i" "$i"
		printf '    void m%d(i32 a, f64 b);\n' 0 1 2 3
		printf '};\n\n'
	done
} >"$work/pairs.idl"
mkdir -p "$work/pairs"
run "chitin gen --rust pairs.idl" "$CHITIN" gen --rust -o "$work/pairs" "$work/pairs.idl" || true

# The crate: each module a file beside lib.rs; and one that include!s them.
mkdir -p "$work/files" "$work/incl"
cp "$work/gen"/*.rs "$work/files/"
{
	for m in "${mods[@]}"; do echo "pub mod $m;"; done
	echo
	echo "/// Every module's field offsets, held to chitin's."
	echo "pub fn check() {"
	for m in "${mods[@]}"; do echo "    $m::check_layout();"; done
	echo "}"
} >"$work/files/lib.rs"
{
	for m in "${mods[@]}"; do
		echo "pub mod $m {"
		echo "    include!(\"$work/gen/$m.rs\");"
		echo "}"
	done
	echo
	echo "/// Every module's field offsets, held to chitin's."
	echo "pub fn check() {"
	for m in "${mods[@]}"; do echo "    $m::check_layout();"; done
	echo "}"
} >"$work/incl/lib.rs"
printf 'fn main() {\n    modules::check();\n    println!("ok");\n}\n' >"$work/main.rs"

for rc in "${rustcs[@]}"; do
	if [ ! -x "$rc" ]; then
		echo "skip $rc: not there"
		continue
	fi
	lib_rust_version "$rc"
	echo "$label: $rc, editions ${editions[*]}"
	bin=$(dirname "$rc")
	out=$work/$label
	mkdir -p "$out"
	if ! run "$label: the runtime crate builds" "$rc" --edition 2021 --crate-type rlib --crate-name chitin \
		--cfg 'feature="std"' -D warnings -o "$out/libchitin.rlib" "$crate/src/lib.rs"; then
		continue
	fi
	for ed in "${editions[@]}"; do
		for how in files incl; do
			flags=(--edition "$ed" -D warnings -C debug-assertions=yes --extern chitin="$out/libchitin.rlib"
				-L "$out")
			if run "$label $ed: the generated modules compile ($how)" "$rc" "${flags[@]}" --crate-type rlib \
				--crate-name modules -o "$out/libmodules-$ed-$how.rlib" "$work/$how/lib.rs" &&
				run "$label $ed: the check program builds ($how)" "$rc" "${flags[@]}" \
					--extern modules="$out/libmodules-$ed-$how.rlib" -o "$out/check-$ed-$how" "$work/main.rs"; then
				check "$label $ed: every field is where chitin put it ($how)" \
					test "$("$out/check-$ed-$how" 2>&1)" = ok
			fi
		done
	done
	if [ -x "$bin/clippy-driver" ] && "$bin/clippy-driver" --version >/dev/null 2>&1; then
		run "$label: no clippy warnings in the generated modules" "$bin/clippy-driver" --edition 2021 \
			-D warnings --extern chitin="$out/libchitin.rlib" -L "$out" --crate-type rlib \
			--crate-name modules -o "$out/clippy.rlib" "$work/files/lib.rs" || true
		run "$label: no clippy warnings in the large module" "$bin/clippy-driver" --edition 2021 \
			-D warnings --extern chitin="$out/libchitin.rlib" -L "$out" --crate-type rlib \
			--crate-name big -o "$out/clippy-big.rlib" "$work/big/lib.rs" || true
	fi
	if [ -x "$bin/rustfmt" ] && "$bin/rustfmt" --version >/dev/null 2>&1; then
		run "$label: the generated modules are rustfmt-clean" "$bin/rustfmt" --check --edition 2021 \
			"$work/gen"/*.rs "$work/big/big.rs" "$work/pairs/bench.rs" || true
	fi
done
# The self-checks: a size and an offset that are not what the type has.
for rc in "${rustcs[@]}"; do
	[ -x "$rc" ] || continue
	lib_rust_version "$rc"
	out=$work/$label
	[ -f "$out/libchitin.rlib" ] || continue
	mkdir -p "$work/wrong"
	sed 's/^    Style: 8, 4;$/    Style: 12, 4;/' "$work/gen/greet.rs" >"$work/wrong/size.rs"
	sed 's/^\(        Style { exclamations: 0, shout: \)4 }$/\15 }/' "$work/gen/greet.rs" >"$work/wrong/offset.rs"
	if cmp -s "$work/gen/greet.rs" "$work/wrong/size.rs" || cmp -s "$work/gen/greet.rs" "$work/wrong/offset.rs"; then
		bad "the self-checks change greet.rs"
		break
	fi
	printf 'mod size;\nfn main() {\n    size::check_layout();\n}\n' >"$work/wrong/main_size.rs"
	printf 'mod offset;\nfn main() {\n    offset::check_layout();\n}\n' >"$work/wrong/main_offset.rs"
	flags=(--edition 2021 --extern chitin="$out/libchitin.rlib" -L "$out" -A dead_code)
	if run_limited "$rc" "${flags[@]}" -o "$work/wrong/size" "$work/wrong/main_size.rs" >"$work/wrong/size.log" 2>&1; then
		bad "$label: a wrong size in assert_layout! does not compile"
	else
		check "$label: a wrong size in assert_layout! does not compile" \
			grep -q "the size or alignment of Style is not what chitin computed" "$work/wrong/size.log"
	fi
	if run "$label: greet.rs with a wrong offset builds" "$rc" "${flags[@]}" -o "$work/wrong/offset" \
		"$work/wrong/main_offset.rs"; then
		if "$work/wrong/offset" >"$work/wrong/offset.log" 2>&1; then
			bad "$label: check_layout() panics at a wrong offset in assert_offsets!"
		else
			check "$label: check_layout() panics at a wrong offset in assert_offsets!" \
				grep -q "the offset of Style.shout is not what chitin computed" "$work/wrong/offset.log"
		fi
	fi
	break
done
lib_summary
