#!/usr/bin/env bash
# libchitin's loader (doc/abi.md 8.5, 8.6) through the generated lm_load:
# a host built against tests/cgen/loader/lm.idl (1.1) loads plugins built
# from versions of it, calls every export of those it accepts (a 1.0 plugin:
# the [since] method and export are UNAVAILABLE), and refuses the others
# with the reason and the problem its report names: a changed field type,
# reordered fields, two fields of one type swapped, a removed method, a changed signature, another iid,
# an older major, a plugin older than the minor the host requires,
# damaged descriptors, no entry symbol, a file that is not a library, a
# path longer than the report's buffers.
# The host is linked with -rdynamic and exports a function named like the
# plugin's make_point: the plugin's table must still give the plugin's.
set -euo pipefail

me=run-loader
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
CHITIN=${CHITIN:-$top_builddir/chitin}
read -r -a cc <<<"${CC:-gcc}"
read -r -a san <<<"${SANITIZER_CFLAGS:-}"

. "$srcdir/tests/lib.sh"
lib_work
dir=$srcdir/tests/cgen/loader
libs=$(cd "$top_builddir/.libs" && pwd)
flags=(-std=c11 -Wall -Wextra -pedantic -Werror -I "$srcdir/runtime/include")
if [ ! -e "$libs/libchitin.so" ]; then
	echo "$me: no $libs/libchitin.so (configure with shared libraries)" >&2
	exit 99
fi

# variant NAME SED: lm.idl edited by SED, generated into $work/NAME.
variant() {
	mkdir -p "$work/$1"
	sed -e "$2" "$dir/lm.idl" >"$work/$1/lm.idl"
	if ! "$CHITIN" gen --c --desc-c -o "$work/$1" "$work/$1/lm.idl" >"$work/$1/gen.err" 2>&1; then
		bad "$1: chitin gen"
		show "$work/$1/gen.err"
		return 1
	fi
}

# plugin NAME [CFLAGS...]: builds $work/NAME/plugin.so from plugin.c.
plugin() {
	local name=$1
	shift
	if ! run_limited "${cc[@]}" "${flags[@]}" -fPIC -shared -fvisibility=hidden -DLM_IMPLEMENTATION "$@" \
		-I "$work/$name" "$dir/plugin.c" "$work/$name/lm_desc.c" -o "$work/$name/plugin.so" \
		-L "$libs" -lchitin -Wl,-rpath,"$libs" >"$work/$name/build.err" 2>&1; then
		bad "$name: the plugin builds"
		show "$work/$name/build.err"
		return 1
	fi
}

since_out='/\[since(1.1)\]/d; s/version(1.1)/version(1.0)/'
variant host ''
variant v1_0 "$since_out"
variant field-type '/struct Pair/,/};/ s/u64 b;/f64 b;/'
variant reordered '/struct Pair/,/};/ { s/i32 a;/u64 TMP;/; s/u64 b;/i32 a;/; s/u64 TMP;/u64 b;/; }'
variant removed-method '/u32 reset();/d'
variant swapped '/struct Point/,/};/ { s/i32 x;/i32 TMP;/; s/i32 y;/i32 x;/; s/i32 TMP;/i32 y;/; }'
variant signature 's/u32 read();/u64 read();/'
variant iid 's/0a1b2c3d4e5f/0a1b2c3d4e60/'
variant major "$since_out; s/version(1.0)/version(0.9)/"

if ! run_limited "${cc[@]}" "${flags[@]}" "${san[@]}" -rdynamic -I "$work/host" "$dir/host.c" \
	"$work/host/lm_desc.c" -o "$work/host/host" -L "$libs" -lchitin -Wl,-rpath,"$libs" \
	>"$work/host/build.err" 2>&1; then
	bad "the host builds"
	show "$work/host/build.err"
	lib_summary
fi

# run NAME PLUGIN MINOR: runs the host; its output in $work/NAME.out.
run() {
	local status=0
	run_limited "$work/host/host" "$2" "$3" >"$work/$1.out" 2>&1 || status=$?
	return $status
}

# loads NAME PLUGIN MINOR TEXT...: the plugin loads and the output has each TEXT.
loads() {
	local name=$1 plugin=$2 minor=$3 text
	shift 3
	if ! run "$name" "$plugin" "$minor"; then
		bad "$name: loads and runs"
		show "$work/$name.out"
		return 0
	fi
	for text in "$@"; do
		if ! grep -qxF -- "$text" "$work/$name.out"; then
			bad "$name: '$text'"
			show "$work/$name.out"
			return 0
		fi
	done
	ok "$name: loads and runs"
}

# refused NAME PLUGIN MINOR TEXT...: the load is refused (exit 3) with a
# report that has each TEXT on a line of its own.
refused() {
	local name=$1 plugin=$2 minor=$3 status=0 text
	shift 3
	run "$name" "$plugin" "$minor" || status=$?
	if [ "$status" != 3 ]; then
		bad "$name: refused (exit $status, not 3)"
		show "$work/$name.out"
		return 0
	fi
	for text in "$@"; do
		if ! grep -qF -- "$text" "$work/$name.out"; then
			bad "$name: the report says '$text'"
			show "$work/$name.out"
			return 0
		fi
	done
	ok "$name: refused"
}

plugin host && loads same "$work/host/plugin.so" 1 "total 7" "sum 7" \
	"ok make_point is the plugin's, not the host's" "ok query(object) is the object" \
	"plugin lm 1.1 from $work/host/plugin.so" "ok no error on success" \
	"ok the plugin's record holds its exports and descriptor" \
	"ok loading the library again gives the same record"
plugin v1_0 -DLM_1_0 && {
	loads "1.0 plugin" "$work/v1_0/plugin.so" 0 "total unavailable" "sum unavailable" \
		"plugin lm 1.0 from $work/v1_0/plugin.so"
	refused "required minor" "$work/v1_0/plugin.so" 1 \
		"module 'lm': the host requires version 1.1 or later, the plugin is 1.0" "reason 8" \
		"ok the error names the library and the module" "ok the problems are the report's"
}
plugin field-type && refused "field type" "$work/field-type/plugin.so" 0 \
	"type 'lm.Pair': field 'b' has type hash"
plugin reordered && refused "reordered fields" "$work/reordered/plugin.so" 0 \
	"type 'lm.Pair': field 'a' is at offset 0 in the host, 8 in the plugin"
plugin swapped && refused "swapped fields of one type" "$work/swapped/plugin.so" 0 \
	"type 'lm.Point': field 'x' is at offset 0 in the host, 4 in the plugin"
plugin removed-method && refused "removed method" "$work/removed-method/plugin.so" 0 \
	"interface 'lm.Meter': method 'reset' (slot 1) is missing in the plugin, and not [since]"
plugin signature && refused "changed signature" "$work/signature/plugin.so" 0 \
	"interface 'lm.Meter': method 'read' has signature hash"
plugin iid && refused "interface id" "$work/iid/plugin.so" 0 \
	"interface 'lm.Meter': iid is 5d7c1e2a-4b3f-4a6d-9e8f-0a1b2c3d4e5f in the host, 5d7c1e2a-4b3f-4a6d-9e8f-0a1b2c3d4e60 in the plugin"
plugin major -DLM_1_0 && refused "older major" "$work/major/plugin.so" 0 \
	"module 'lm': major version is 1 in the host, 0 in the plugin"

for corrupt in 1 2 3 4 5; do
	mkdir -p "$work/bad$corrupt"
	if run_limited "${cc[@]}" -std=c11 -Wall -Wextra -Werror -I "$srcdir/runtime/include" -fPIC -shared \
		-DCORRUPT=$corrupt -I "$work/host" "$dir/plugin_bad.c" "$work/host/lm_desc.c" \
		-o "$work/bad$corrupt/plugin.so" >"$work/bad$corrupt/build.err" 2>&1; then
		if [ "$corrupt" = 5 ]; then
			refused "exports table at no memory" "$work/bad$corrupt/plugin.so" 0 \
				"the exports table is misaligned or not in the library's memory" "reason 7"
		else
			refused "damaged descriptor $corrupt" "$work/bad$corrupt/plugin.so" 0 \
				"the library's descriptor is invalid" "reason 5"
		fi
	else
		bad "damaged descriptor $corrupt: builds"
		show "$work/bad$corrupt/build.err"
	fi
done
refused "damaged: not a descriptor" "$work/bad1/plugin.so" 0 "descriptor is invalid: not a chitin descriptor"
refused "damaged: longer than its library" "$work/bad4/plugin.so" 0 "descriptor is invalid: truncated"

mkdir -p "$work/none"
if run_limited "${cc[@]}" -fPIC -shared "$dir/no_entry.c" -o "$work/none/plugin.so" >"$work/none/build.err" 2>&1; then
	refused "no entry symbol" "$work/none/plugin.so" 0 \
		"the library does not implement the module (no entry symbol): no symbol chitin_module_lm"
fi
echo "not a library" >"$work/none/text.so"
refused "not a shared library" "$work/none/text.so" 0 "cannot open the library: " "reason 2" \
	"ok no problems but for an incompatible library"
refused "no such file" "$work/none/missing.so" 0 "cannot open the library: " "reason 2"
# A path longer than any of the report's buffers is written whole.
long_path=$work/none
for _ in 1 2 3 4 5 6 7 8; do
	long_path=$long_path/$(printf 'd%.0s' $(seq 1 100))
done
long_path=$long_path/missing.so
refused "a path of ${#long_path} bytes" "$long_path" 0 \
	"cannot load '$long_path' as module lm: cannot open the library: " "reason 2" \
	"ok the error names the library and the module"

# ---- the Rust crate's loader (runtime/rust, chitin::load) ----------------------
# tests/rust/rload.rs, a host built on the crate, loads every plugin above
# (and one of them again by another path: the record of its first load)
# with chitin::load::load; tests/rust/cload.c loads them with libchitin's
# chitin_load.  Each prints, for each plugin, the record (module, version,
# path, descriptor and exports sizes, a call of make_point) or the
# report of chitin_load_error_format and every part of the error; the two
# outputs must be the same bytes.  On every Rust toolchain found, as
# tests/run-rust-runtime.sh finds them (CHITIN_RUSTC chooses).
rust_cases=(
	"$work/host/plugin.so" 1
	"$work/host/./plugin.so" 0
	"$work/v1_0/plugin.so" 0
	"$work/v1_0/plugin.so" 1
	"$work/field-type/plugin.so" 0
	"$work/reordered/plugin.so" 0
	"$work/swapped/plugin.so" 0
	"$work/removed-method/plugin.so" 0
	"$work/signature/plugin.so" 0
	"$work/iid/plugin.so" 0
	"$work/major/plugin.so" 0
	"$work/bad1/plugin.so" 0
	"$work/bad2/plugin.so" 0
	"$work/bad3/plugin.so" 0
	"$work/bad4/plugin.so" 0
	"$work/bad5/plugin.so" 0
	"$work/none/plugin.so" 0
	"$work/none/text.so" 0
	"$work/none/missing.so" 0
	"$long_path" 0
)
lib_rustcs
rdir=$work/rust
mkdir -p "$rdir"

# ---- plugins written in Rust (doc/rust.md 6) ------------------------------------
# tests/rust/rplugin.rs implements lm on the module chitin gen --rust writes,
# as a cdylib, from each version above: the C host loads the 1.1 and 1.0
# ones, calls them as it calls the C plugin (and gets the plugin's own
# make_point through the table although it exports one of that name), and
# refuses the others with the same reports; chitin inspect reads their
# descriptors from the section; a Rust plugin exports exactly its entry
# symbol and its exports.  Under AddressSanitizer too: the C side carries it,
# the Rust plugin does not need to.
rust_plugin() { # RC OUT NAME [RUSTFLAGS...]
	local rc=$1 out=$2 name=$3 pd
	shift 3
	pd=$out/$name
	mkdir -p "$pd"
	cp "$srcdir/tests/rust/rplugin.rs" "$pd/main.rs"
	if ! "$CHITIN" gen --rust -o "$pd" "$work/$name/lm.idl" >"$pd/build.err" 2>&1 ||
		! run_limited "$rc" --edition 2021 -D warnings -C debug-assertions=yes --crate-type cdylib \
			--extern chitin="$out/libchitin.rlib" "$@" -o "$pd/plugin.so" "$pd/main.rs" >>"$pd/build.err" 2>&1; then
		bad "$label: the Rust plugin of $name builds"
		show "$pd/build.err"
		return 1
	fi
}
for rc in "${rustcs[@]}"; do
	[ -x "$rc" ] || continue
	lib_rust_version "$rc"
	out=$rdir/$label
	mkdir -p "$out"
	lib_rust_crate "$rc" "$out" || continue
	rp=$out
	rust_plugin "$rc" "$out" host && {
		loads "$label: Rust plugin" "$rp/host/plugin.so" 1 "total 7" "sum 7" \
			"ok make_point is the plugin's, not the host's" "ok query(object) is the object" \
			"ok CHITIN_VTABLE_HEADER gives a [threadsafe] interface's vtable its flag" \
			"plugin lm 1.1 from $rp/host/plugin.so" "ok the plugin's record holds its exports and descriptor"
		syms=$(nm -D --defined-only "$rp/host/plugin.so" | awk '{ print $3 }' | sort | tr '\n' ' ')
		if [ "$syms" = "chitin_module_lm lm_make_point lm_new_counter lm_sum " ]; then
			ok "$label: the Rust plugin exports its entry symbol and its exports alone"
		else
			bad "$label: the Rust plugin exports its entry symbol and its exports alone: $syms"
		fi
		if "$CHITIN" inspect "$rp/host/plugin.so" >"$rp/inspect.out" 2>&1 &&
			"$CHITIN" inspect "$work/host/plugin.so" >"$rp/inspect-c.out" 2>&1 &&
			grep -q '^module lm 1.1: ' "$rp/inspect.out" &&
			[ "$(sed -n '/^module /,$p' "$rp/inspect.out" | sed 's/ at offset 0x[0-9a-f]*//')" = \
				"$(sed -n '/^module /,$p' "$rp/inspect-c.out" | sed 's/ at offset 0x[0-9a-f]*//')" ]; then
			ok "$label: chitin inspect reads the Rust plugin's descriptor as the C plugin's"
		else
			bad "$label: chitin inspect reads the Rust plugin's descriptor as the C plugin's"
			show "$rp/inspect.out"
		fi
	}
	if [ -x "$(dirname "$rc")/rustfmt" ] && "$(dirname "$rc")/rustfmt" --version >/dev/null 2>&1; then
		check "$label: rplugin.rs is rustfmt-clean" "$(dirname "$rc")/rustfmt" --check --edition 2021 \
			"$rp/host/main.rs"
	fi
	rust_plugin "$rc" "$out" v1_0 --cfg lm_1_0 && {
		loads "$label: 1.0 Rust plugin" "$rp/v1_0/plugin.so" 0 "total unavailable" "sum unavailable" \
			"plugin lm 1.0 from $rp/v1_0/plugin.so"
		refused "$label: required minor, Rust plugin" "$rp/v1_0/plugin.so" 1 \
			"module 'lm': the host requires version 1.1 or later, the plugin is 1.0" "reason 8"
	}
	rust_plugin "$rc" "$out" field-type && refused "$label: field type, Rust plugin" "$rp/field-type/plugin.so" 0 \
		"type 'lm.Pair': field 'b' has type hash"
	rust_plugin "$rc" "$out" reordered && refused "$label: reordered fields, Rust plugin" \
		"$rp/reordered/plugin.so" 0 "type 'lm.Pair': field 'a' is at offset 0 in the host, 8 in the plugin"
	rust_plugin "$rc" "$out" swapped && refused "$label: swapped fields, Rust plugin" "$rp/swapped/plugin.so" 0 \
		"type 'lm.Point': field 'x' is at offset 0 in the host, 4 in the plugin"
	rust_plugin "$rc" "$out" removed-method && refused "$label: removed method, Rust plugin" \
		"$rp/removed-method/plugin.so" 0 \
		"interface 'lm.Meter': method 'reset' (slot 1) is missing in the plugin, and not [since]"
	rust_plugin "$rc" "$out" signature && refused "$label: changed signature, Rust plugin" \
		"$rp/signature/plugin.so" 0 "interface 'lm.Meter': method 'read' has signature hash"
	rust_plugin "$rc" "$out" iid && refused "$label: interface id, Rust plugin" "$rp/iid/plugin.so" 0 \
		"interface 'lm.Meter': iid is 5d7c1e2a-4b3f-4a6d-9e8f-0a1b2c3d4e5f in the host, 5d7c1e2a-4b3f-4a6d-9e8f-0a1b2c3d4e60 in the plugin"
	rust_plugin "$rc" "$out" major --cfg lm_1_0 && refused "$label: older major, Rust plugin" \
		"$rp/major/plugin.so" 0 "module 'lm': major version is 1 in the host, 0 in the plugin"

	# tests/rust/twomod: one Rust library implements two modules, one
	# importing the other's types into its exports' signatures, the
	# generated modules under crate::sdk (--rust-parent); a C program
	# linked with it calls an export by its symbol, then loads it as
	# each module and calls through the table.
	tm=$out/twomod
	mkdir -p "$tm/sdk" "$tm/c"
	cp "$srcdir/tests/rust/twomod/plugin.rs" "$tm/main.rs"
	if "$CHITIN" gen --rust --rust-parent crate::sdk -o "$tm/sdk" "$srcdir/tests/rust/twomod/xa.idl" \
		"$srcdir/tests/rust/twomod/xb.idl" >"$tm/build.err" 2>&1 &&
		"$CHITIN" gen --c --desc-c -o "$tm/c" "$srcdir/tests/rust/twomod/xa.idl" \
			"$srcdir/tests/rust/twomod/xb.idl" >>"$tm/build.err" 2>&1 &&
		run_limited "$rc" --edition 2021 -D warnings --crate-type cdylib --extern chitin="$out/libchitin.rlib" \
			-o "$tm/libtwomod.so" "$tm/main.rs" >>"$tm/build.err" 2>&1 &&
		run_limited "${cc[@]}" "${flags[@]}" "${san[@]}" -I "$tm/c" "$srcdir/tests/rust/twomod/host.c" \
			"$tm/c/xa_desc.c" "$tm/c/xb_desc.c" -o "$tm/host" -L "$tm" -ltwomod -Wl,-rpath,"$tm" \
			-L "$libs" -lchitin -Wl,-rpath,"$libs" >>"$tm/build.err" 2>&1; then
		if run_limited "$tm/host" "$tm/libtwomod.so" >"$tm/run.out" 2>&1 && ! grep -q '^FAIL' "$tm/run.out" &&
			[ "$(grep -c '^ok' "$tm/run.out")" = 9 ]; then
			ok "$label: a Rust library of two modules, one's exports of the other's types, linked and loaded"
		else
			bad "$label: a Rust library of two modules, one's exports of the other's types, linked and loaded"
			show "$tm/run.out"
		fi
		syms=$(nm -D --defined-only "$tm/libtwomod.so" | awk '{ print $3 }' | sort | tr '\n' ' ')
		if [ "$syms" = "chitin_module_xa chitin_module_xb xb_base xb_make xb_open " ] &&
			[ "$("$CHITIN" inspect "$tm/libtwomod.so" | grep -c '^module ')" = 2 ]; then
			ok "$label: it exports both entry symbols and the exports, and carries both descriptors"
		else
			bad "$label: it exports both entry symbols and the exports, and carries both descriptors: $syms"
		fi
	else
		bad "$label: the two-module Rust library and its C host build"
		show "$tm/build.err"
	fi
done

case ${SANITIZER_CFLAGS:-} in
*address*)
	# the plugins and libchitin carry AddressSanitizer, which only a
	# process started with its runtime can load: the Rust hosts run in
	# the plain build
	echo "skip the Rust hosts: the plugins are built with AddressSanitizer"
	rustcs=()
	;;
esac

# rust_host RUSTC LABEL OUT: tests/rust/rhost.rs, the host on the module
# chitin gen --rust writes (lm.rs), linked with -rdynamic and exporting
# its own lm_make_point as the C host does: for the 1.1 and the 1.0
# plugin, the C ones and the Rust ones (rust-*), it calls every export and method through the generated calls,
# and prints total and sum as the C host does (the [since] ones
# UNAVAILABLE from 1.0); for a refused plugin it prints the C host's
# report.
rust_host() {
	local rc=$1 label=$2 out=$3 rh=$3/rhost name plugin minor status
	mkdir -p "$rh"
	cp "$srcdir/tests/rust/rhost.rs" "$rh/main.rs"
	if ! "$CHITIN" gen --rust -o "$rh" "$dir/lm.idl" >"$rh/build.err" 2>&1 ||
		! run_limited "$rc" --edition 2021 -D warnings -C debug-assertions=yes -C overflow-checks=yes \
			-C link-arg=-rdynamic --extern chitin="$out/libchitin.rlib" -o "$rh/rhost" "$rh/main.rs" \
			>>"$rh/build.err" 2>&1; then
		bad "$label: the generated module's host builds"
		show "$rh/build.err"
		return
	fi
	for name in host:1 v1_0:0 removed-method:0 major:0 rust/host:1 rust/v1_0:0 rust/field-type:0 \
		rust/reordered:0 rust/swapped:0 rust/removed-method:0 rust/signature:0 rust/iid:0 rust/major:0; do
		case $name in
		rust/*) plugin=$out/${name#rust/}; plugin=${plugin%:*}/plugin.so ;;
		*) plugin=$work/${name%:*}/plugin.so ;;
		esac
		name=${name/\//-}
		minor=${name#*:}
		status=0
		run_limited "$work/host/host" "$plugin" "$minor" >"$rh/c-${name%:*}.out" 2>&1 || true
		run_limited "$rh/rhost" "$plugin" "$minor" >"$rh/r-${name%:*}.out" 2>&1 || status=$?
		case ${name#rust-} in
		host:* | v1_0:*)
			if [ "$status" = 0 ] && ! grep -q '^FAIL' "$rh/r-${name%:*}.out" &&
				[ "$(grep -c '^ok' "$rh/r-${name%:*}.out")" -ge 7 ] &&
				[ "$(grep '^total\|^sum' "$rh/r-${name%:*}.out")" = "$(grep '^total\|^sum' "$rh/c-${name%:*}.out")" ]; then
				ok "$label: the generated module calls the ${name%:*} plugin as the C host does"
			else
				bad "$label: the generated module calls the ${name%:*} plugin as the C host does"
				show "$rh/r-${name%:*}.out"
			fi
			;;
		*)
			if [ "$status" = 3 ] && [ -s "$rh/r-${name%:*}.out" ] &&
				[ "$(grep -v '^ok ' "$rh/r-${name%:*}.out")" = "$(grep -v '^ok ' "$rh/c-${name%:*}.out" | sed '/^reason /,$d')" ]; then
				ok "$label: the generated module refuses the ${name%:*} plugin with the C host's report"
			else
				bad "$label: the generated module refuses the ${name%:*} plugin with the C host's report"
				grep -v '^ok ' "$rh/c-${name%:*}.out" | sed '/^reason /,$d' | diff - "$rh/r-${name%:*}.out" >"$rh/diff" || true
				show "$rh/diff"
			fi
			;;
		esac
	done
	for name in v1_0 rust-v1_0; do
		if grep -q '^total ' "$rh/r-$name.out" && ! grep -q '^total [0-9]' "$rh/r-$name.out"; then
			ok "$label: the $name plugin's [since] method is not called"
		else
			bad "$label: the $name plugin's [since] method is not called"
		fi
	done
}
if [ "${#rustcs[@]}" -eq 0 ]; then
	echo "skip the Rust crate's loader: no rustc"
elif ! run_limited "${cc[@]}" "${flags[@]}" "${san[@]}" -I "$work/host" "$srcdir/tests/rust/cload.c" \
	"$work/host/lm_desc.c" -o "$rdir/cload" -L "$libs" -lchitin -Wl,-rpath,"$libs" >"$rdir/build.err" 2>&1 ||
	! run_limited "${cc[@]}" "${flags[@]}" -fPIC -c -I "$work/host" "$work/host/lm_desc.c" \
		-o "$rdir/lm_desc.o" >>"$rdir/build.err" 2>&1 ||
	! "${AR:-ar}" rcs "$rdir/liblm_desc.a" "$rdir/lm_desc.o" >>"$rdir/build.err" 2>&1; then
	bad "the C reference of the Rust loader and the host's descriptor library build"
	show "$rdir/build.err"
else
	run_limited "$rdir/cload" "${rust_cases[@]}" >"$rdir/c.out" 2>&1 || true
	# the reference says what the cases are about, or agreeing with it
	# would prove nothing
	missing=
	for text in "plugin lm 1.1 from $work/host/plugin.so" "make_point(3, 4) = 3 4" "plugin lm 1.0 from" \
		"reason 8 INCOMPATIBLE" "reason 5 BAD_DESCRIPTOR" "reason 7 BAD_EXPORTS" "reason 3 NO_ENTRY" \
		"reason 2 OPEN" "the plugin is 1.0" "field 'b' has type hash"; do
		grep -qF -- "$text" "$rdir/c.out" || missing="$missing '$text'"
	done
	if [ -z "$missing" ] && [ "$(grep -c '^load ' "$rdir/c.out")" = $((${#rust_cases[@]} / 2)) ]; then
		ok "libchitin's reference output covers every case"
	else
		bad "libchitin's reference output covers every case; not:$missing"
		show "$rdir/c.out"
	fi
	crate=$srcdir/runtime/rust
	for rc in "${rustcs[@]}"; do
		if [ ! -x "$rc" ]; then
			echo "skip $rc: not there"
			continue
		fi
		lib_rust_version "$rc"
		out=$rdir/$label
		mkdir -p "$out"
		rflags=(--edition 2021 -D warnings -C debug-assertions=yes -C overflow-checks=yes)
		if ! run_limited "$rc" "${rflags[@]}" --cfg 'feature="std"' --crate-type rlib --crate-name chitin \
			--out-dir "$out" "$crate/src/lib.rs" >"$out/build.err" 2>&1 ||
			! run_limited "$rc" "${rflags[@]}" --extern chitin="$out/libchitin.rlib" -L "$rdir" \
				-l static=lm_desc -o "$out/rload" "$srcdir/tests/rust/rload.rs" >>"$out/build.err" 2>&1; then
			bad "$label: the crate and rload build"
			show "$out/build.err"
			continue
		fi
		run_limited "$out/rload" "${rust_cases[@]}" >"$out/r.out" 2>&1 || true
		if cmp -s "$rdir/c.out" "$out/r.out"; then
			ok "$label: chitin::load loads and refuses every plugin as libchitin does, byte for byte"
		else
			bad "$label: chitin::load loads and refuses every plugin as libchitin does, byte for byte"
			diff -u "$rdir/c.out" "$out/r.out" >"$out/diff" || true
			show "$out/diff"
		fi
		rc_dir=$(dirname "$rc")
		if [ -x "$rc_dir/rustfmt" ] && "$rc_dir/rustfmt" --version >/dev/null 2>&1; then
			check "$label: rload.rs is rustfmt-clean" "$rc_dir/rustfmt" --check --edition 2021 \
				"$srcdir/tests/rust/rload.rs"
		fi
		rust_host "$rc" "$label" "$out"
		if [ -x "$rc_dir/rustfmt" ] && "$rc_dir/rustfmt" --version >/dev/null 2>&1; then
			check "$label: rhost.rs is rustfmt-clean" "$rc_dir/rustfmt" --check --edition 2021 \
				"$out/rhost/main.rs"
		fi
	done
fi

# The check path under the deterministic fuzz driver: seeds are the host's
# blob with each plugin's (from their .chitin sections), changed in
# thousands of ways, in memory of exactly their size.
if [ -n "${FUZZ_LOADER:-}" ] && command -v objcopy >/dev/null 2>&1; then
	seeds=()
	objcopy -O binary --only-section=.chitin "$work/host/plugin.so" "$work/host.blob"
	# the length of the host's blob, as four little-endian bytes
	n=$(wc -c <"$work/host.blob")
	printf -v len '\\x%02x\\x%02x\\x%02x\\x%02x' $((n & 255)) $((n >> 8 & 255)) $((n >> 16 & 255)) $((n >> 24 & 255))
	for name in host v1_0 field-type swapped removed-method iid major; do
		[ -f "$work/$name/plugin.so" ] || continue
		objcopy -O binary --only-section=.chitin "$work/$name/plugin.so" "$work/$name.blob"
		{ printf '%b' "$len"; cat "$work/host.blob" "$work/$name.blob"; } >"$work/$name.seed"
		seeds+=("$work/$name.seed")
	done
	if run_limited "$FUZZ_LOADER" -n 2000 "${seeds[@]}" >"$work/fuzz.out" 2>&1; then
		ok "the loader's check survives ${#seeds[@]} seeds changed 2000 ways each"
	else
		bad "the loader's check under the fuzz driver"
		show "$work/fuzz.out"
	fi
else
	echo "skip the fuzz run: no FUZZ_LOADER or objcopy"
fi

# A module name longer than any fixed buffer loads like any other.
long=m$(printf 'x%.0s' $(seq 1 100))
mkdir -p "$work/long"
printf '[version(1.0)] module %s;\nexport u32 answer();\n' "$long" >"$work/long/$long.idl"
printf '#include "%s.h"\n%s_API chitin_status CHITIN_CALL %s_answer(uint32_t *ret) { *ret = 42; return CHITIN_OK; }\n' \
	"$long" "$(echo "$long" | tr a-z A-Z)" "$long" >"$work/long/plugin.c"
printf '#include "%s.h"\n#include <chitin/runtime.h>\n#include <stdio.h>\nint main(int argc, char **argv) {\n\tconst %s_exports *ex; chitin_load_error *err; uint32_t n = 0;\n\t(void)argc;\n\tif (%s_load(argv[1], 0, &ex, NULL, &err) != CHITIN_OK) { char r[2048]; chitin_load_error_format(err, r, sizeof r); fputs(r, stdout); return 3; }\n\treturn %s_exports_answer(ex, &n) == CHITIN_OK && n == 42 ? 0 : 1;\n}\n' \
	"$long" "$long" "$long" "$long" >"$work/long/host.c"
if "$CHITIN" gen --c --desc-c -o "$work/long" "$work/long/$long.idl" >"$work/long/gen.err" 2>&1 &&
	run_limited "${cc[@]}" "${flags[@]}" -fPIC -shared -DLONGMOD -D"$(echo "$long" | tr a-z A-Z)_IMPLEMENTATION" \
		-I "$work/long" "$work/long/plugin.c" "$work/long/${long}_desc.c" -o "$work/long/plugin.so" \
		>"$work/long/build.err" 2>&1 &&
	run_limited "${cc[@]}" "${flags[@]}" "${san[@]}" -I "$work/long" "$work/long/host.c" \
		"$work/long/${long}_desc.c" -o "$work/long/host" -L "$libs" -lchitin -Wl,-rpath,"$libs" \
		>>"$work/long/build.err" 2>&1; then
	if run_limited "$work/long/host" "$work/long/plugin.so" >"$work/long/run.out" 2>&1; then
		ok "a module of a 101-character name loads"
	else
		bad "a module of a 101-character name loads"
		show "$work/long/run.out"
	fi
else
	bad "the long-named module builds"
	show "$work/long/gen.err"
	show "$work/long/build.err"
fi

# A static build: the implementation linked in, registered, loaded by name.
if run_limited "${cc[@]}" "${flags[@]}" "${san[@]}" -DLM_IMPLEMENTATION -DLM_STATIC -I "$work/host" \
	"$dir/static_host.c" "$dir/plugin.c" "$work/host/lm_desc.c" -o "$work/host/static_host" \
	-L "$libs" -lchitin -Wl,-rpath,"$libs" >"$work/host/static.err" 2>&1; then
	if run_limited "$work/host/static_host" >"$work/static.out" 2>&1; then
		ok "a registered module loads and is checked"
	else
		bad "a registered module loads and is checked"
		show "$work/static.out"
	fi
else
	bad "the static host builds"
	show "$work/host/static.err"
fi

# The Windows branch (LoadLibraryExW, GetProcAddress): a host and a DLL
# plugin built with MinGW, libchitin's sources compiled in; run where wine is.
runtime_src=$srcdir/runtime/src
for triple in x86_64-w64-mingw32 i686-w64-mingw32; do
	if ! command -v "$triple-gcc" >/dev/null 2>&1; then
		echo "skip $triple: no $triple-gcc"
		continue
	fi
	out=$work/$triple
	mkdir -p "$out"
	wflags=(-std=c11 -Wall -Wextra -Werror -DCHITIN_STATIC -I "$work/host" -I "$srcdir/runtime/include")
	if run_limited "$triple-gcc" "${wflags[@]}" "$runtime_src/runtime.c" "$runtime_src/loader.c" \
		"$runtime_src/descriptor.c" "$runtime_src/compare.c" "$runtime_src/sha1.c" "$dir/host.c" \
		"$work/host/lm_desc.c" -o "$out/host.exe" >"$out/host.err" 2>&1 &&
		run_limited "$triple-gcc" "${wflags[@]}" -shared -DLM_IMPLEMENTATION "$dir/plugin.c" \
			"$runtime_src/runtime.c" "$runtime_src/descriptor.c" "$runtime_src/compare.c" \
			"$runtime_src/sha1.c" "$work/host/lm_desc.c" -o "$out/plugin.dll" >"$out/plugin.err" 2>&1; then
		ok "$triple: the host and the DLL plugin build"
	else
		bad "$triple: the host and the DLL plugin build"
		show "$out/host.err"
		show "$out/plugin.err"
		continue
	fi
	# libchitin as a DLL: every header's functions exported, and a host
	# and a plugin that import them
	dll_ok=yes
	if ! run_limited "$triple-gcc" -std=c11 -Wall -Wextra -Werror -I "$srcdir/runtime/include" -shared \
		"$runtime_src/runtime.c" "$runtime_src/loader.c" "$runtime_src/descriptor.c" \
		"$runtime_src/compare.c" "$runtime_src/sha1.c" -o "$out/libchitin.dll" \
		-Wl,--out-implib,"$out/libchitin.dll.a" >"$out/dll.err" 2>&1; then
		bad "$triple: libchitin builds as a DLL"
		show "$out/dll.err"
		dll_ok=no
	else
		exported=$("$triple-objdump" -p "$out/libchitin.dll" 2>/dev/null || true)
		missing=
		for f in chitin_load chitin_typeid_parse chitin_desc_decode chitin_desc_compare chitin_sha1 chitin_type_id; do
			grep -qE "\] $f\$" <<<"$exported" || missing="$missing $f"
		done
		if [ -z "$missing" ]; then
			ok "$triple: libchitin.dll exports every header's functions"
		else
			bad "$triple: libchitin.dll does not export$missing"
		fi
	fi
	mkdir -p "$out/dll"
	if [ "$dll_ok" = yes ] &&
		run_limited "$triple-gcc" -std=c11 -Wall -Wextra -Werror -I "$work/host" -I "$srcdir/runtime/include" \
			"$dir/host.c" "$work/host/lm_desc.c" -o "$out/dll/host.exe" -L "$out" -lchitin \
			>"$out/dll.err" 2>&1 &&
		run_limited "$triple-gcc" -std=c11 -Wall -Wextra -Werror -shared -DLM_IMPLEMENTATION -I "$work/host" \
			-I "$srcdir/runtime/include" "$dir/plugin.c" "$work/host/lm_desc.c" -o "$out/dll/plugin.dll" \
			-L "$out" -lchitin >>"$out/dll.err" 2>&1; then
		cp "$out/libchitin.dll" "$out/dll/"
		ok "$triple: a host and a plugin link libchitin.dll"
	elif [ "$dll_ok" = yes ]; then
		bad "$triple: a host and a plugin link libchitin.dll"
		show "$out/dll.err"
	fi

	# a wine without this target's support exits 0 without running it
	printf 'int main(void) { return 3; }\n' >"$out/probe.c"
	probe=0
	if command -v wine >/dev/null 2>&1 && "$triple-gcc" "$out/probe.c" -o "$out/probe.exe" >/dev/null 2>&1; then
		WINEDEBUG=-all run_limited wine "$out/probe.exe" >/dev/null 2>&1 || probe=$?
	fi
	if ! command -v wine >/dev/null 2>&1; then
		echo "skip running $triple: no wine"
	elif [ "$probe" != 3 ]; then
		echo "skip running $triple: wine does not run its programs here"
	else
		for kind in "" dll/; do
			if WINEDEBUG=-all run_limited wine "$out/${kind}host.exe" "$out/${kind}plugin.dll" 1 \
				>"$out/run.out" 2>&1 && grep -q "^total 7" "$out/run.out"; then
				ok "$triple: the host loads the DLL under wine${kind:+, with libchitin.dll}"
			else
				bad "$triple: the host loads the DLL under wine${kind:+, with libchitin.dll}"
				show "$out/run.out"
			fi
		done
	fi
done

lib_summary
