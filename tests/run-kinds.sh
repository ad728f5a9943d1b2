#!/usr/bin/env bash
# Every kind of type across the loader (doc/abi.md 2-5, 8): a C host and a
# C plugin built from tests/cgen/kinds/ku.idl, which uses every kind, the
# plugin loaded through the generated ku_load, every method and export
# called with values checked field by field, in and out, and every owned
# value released once by the side that made it (each side counts its own,
# tests/cgen/kinds/own.c).  Version skew: the script makes ku 1.0 by
# deleting the [since(1.1)] lines, and runs a 1.0 plugin in a 1.1 host
# (the [since] method and export are UNAVAILABLE, the resilient field
# reads absent) and a 1.1 plugin in a 1.0 host (the variant added in 1.1
# arrives as an unknown tag; the resilient values of each side are read by
# the other).  Each pairing is built with $CC and with clang (gcc when $CC
# is clang); in the sanitizer build the hosts are always $CC's, with
# $SANITIZER_CFLAGS, whose runtime libchitin needs, and the second
# compiler builds only the plugins.
set -euo pipefail

me=run-kinds
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
CHITIN=${CHITIN:-$top_builddir/chitin}
read -r -a cc <<<"${CC:-gcc}"
read -r -a san <<<"${SANITIZER_CFLAGS:-}"
# the second compiler: clang, or gcc when $CC is clang
other=${CLANG:-clang}
case ${cc[*]} in *clang*) other=${GCC:-gcc} ;; esac

. "$srcdir/tests/lib.sh"
lib_work
dir=$srcdir/tests/cgen/kinds
libs=$(cd "$top_builddir/.libs" && pwd)
flags=(-std=c11 -Wall -Wextra -pedantic -Werror -I "$srcdir/runtime/include")
link=(-L "$libs" -lchitin "-Wl,-rpath,$libs")
if [ ! -e "$libs/libchitin.so" ]; then
	echo "$me: no $libs/libchitin.so (configure with shared libraries)" >&2
	exit 99
fi

# The two versions of the module, and the macro each side is built with.
mkdir -p "$work/v1_0" "$work/v1_1"
cp "$dir/ku.idl" "$work/v1_1/ku.idl"
sed -e '/\[since(1\.1)\]/d; s/version(1\.1)/version(1.0)/' "$dir/ku.idl" >"$work/v1_0/ku.idl"
for v in v1_0 v1_1; do
	if ! "$CHITIN" gen --c --desc-c -o "$work/$v" "$work/$v/ku.idl" >"$work/$v/gen.err" 2>&1; then
		bad "chitin gen $v/ku.idl"
		show "$work/$v/gen.err"
		lib_summary
	fi
done
if grep -q 'since' "$work/v1_0/ku.idl"; then
	bad "the 1.0 module has no [since] left"
fi
version_macro() {
	[ "$1" = v1_1 ] && echo "-DKU_1_1"
	return 0
}

# build WHAT OUT CC... -- ARGS...: compiles with the compiler words before
# --, the common flags and ARGS; a failure is a failed check.
build() {
	local what=$1 out=$2 compiler=()
	shift 2
	while [ "$1" != -- ]; do
		compiler+=("$1")
		shift
	done
	shift
	if ! run_limited "${compiler[@]}" "${flags[@]}" "$@" -o "$out" "${link[@]}" >"$out.err" 2>&1; then
		bad "$what builds"
		show "$out.err"
		return 1
	fi
}

# plugin V OUT CC...: the plugin of version V.
plugin() {
	local v=$1 out=$2
	shift 2
	# shellcheck disable=SC2046
	build "${*}: the $v plugin" "$out" "$@" -- -fPIC -shared -fvisibility=hidden -DKU_IMPLEMENTATION \
		$(version_macro "$v") -I "$work/$v" "$dir/plugin.c" "$dir/own.c" "$work/$v/ku_desc.c"
}

# host V OUT CC...: the host of version V.
host() {
	local v=$1 out=$2
	shift 2
	# shellcheck disable=SC2046
	build "${*}: the $v host" "$out" "$@" -- "${san[@]}" $(version_macro "$v") -I "$work/$v" \
		"$dir/host.c" "$dir/own.c" "$work/$v/ku_desc.c"
}

# pairing NAME HOST PLUGIN PLUGIN_MINOR: runs the host on the plugin; each
# of its "ok"/"FAIL" lines is a check of its own, and so is its exit.
pairing() {
	local name=$1 status=0 line
	run_limited "$2" "$3" "$4" >"$work/run.out" 2>&1 || status=$?
	while IFS= read -r line; do
		case $line in
		"ok "*) ok "$name: ${line#ok }" ;;
		"FAIL "*) bad "$name: ${line#FAIL }" ;;
		esac
	done <"$work/run.out"
	if [ "$status" = 0 ]; then
		ok "$name: the host exits 0"
	else
		bad "$name: the host exits $status"
		grep -v '^ok ' "$work/run.out" | head -n 20 | cut -c 1-300 | sed 's/^/  | /'
	fi
}

# pass NAME HOST_CC PLUGIN_CC: builds both versions of each side and runs
# the four pairings.
pass() {
	local name=$1 out=$work/$1 hv pv
	local -a host_cc plugin_cc
	read -r -a host_cc <<<"$2"
	read -r -a plugin_cc <<<"$3"
	mkdir -p "$out"
	for v in v1_0 v1_1; do
		plugin "$v" "$out/plugin_$v.so" "${plugin_cc[@]}" || true
		host "$v" "$out/host_$v" "${host_cc[@]}" || true
	done
	for hv in v1_1 v1_0; do
		for pv in v1_1 v1_0; do
			if [ -e "$out/host_$hv" ] && [ -e "$out/plugin_$pv.so" ]; then
				pairing "$name: ${hv/v1_/1.} host, ${pv/v1_/1.} plugin" "$out/host_$hv" \
					"$out/plugin_$pv.so" "${pv#v1_}"
			fi
		done
	done
}

pass "${cc[*]}" "${cc[*]}" "${cc[*]}"
if ! command -v "$other" >/dev/null 2>&1; then
	echo "skip $other: not installed"
elif [ ${#san[@]} -gt 0 ]; then
	pass "$other plugin" "${cc[*]}" "$other"
else
	pass "$other" "$other" "$other"
fi

# ---- the plugin in Rust ---------------------------------------------------------
# tests/rust/kplugin.rs implements ku on the module chitin gen --rust writes
# (doc/rust.md 6), as a cdylib of each version, built by every Rust
# toolchain: the C hosts of the first pass (with $SANITIZER_CFLAGS, which
# the plugin does not need) check it as they check the C plugin, in the
# four version pairings; its fail(1) panics, and the host gets PANIC and
# goes on.
c_hosts=$work/${cc[*]}
lib_rustcs
for rc in "${rustcs[@]}"; do
	[ -x "$rc" ] || continue
	lib_rust_version "$rc"
	out=$work/$label
	mkdir -p "$out"
	lib_rust_crate "$rc" "$out" || continue
	for v in v1_0 v1_1; do
		mkdir -p "$out/$v"
		cp "$srcdir/tests/rust/kplugin.rs" "$out/$v/main.rs"
		cp "$srcdir/tests/rust/kown.rs" "$out/$v/own.rs"
		vcfg=()
		[ "$v" = v1_0 ] && vcfg=(--cfg ku_1_0)
		if ! "$CHITIN" gen --rust -o "$out/$v" "$work/$v/ku.idl" >"$out/$v/build.err" 2>&1 ||
			! run_limited "$rc" --edition 2021 -D warnings -C debug-assertions=yes -C overflow-checks=yes \
				"${vcfg[@]}" --crate-type cdylib --extern chitin="$out/libchitin.rlib" \
				-o "$out/plugin_$v.so" "$out/$v/main.rs" >>"$out/$v/build.err" 2>&1; then
			bad "$label: the $v Rust plugin builds"
			show "$out/$v/build.err"
		fi
	done
	for v in v1_0 v1_1; do
		cp "$srcdir/tests/rust/khost.rs" "$out/$v/khost.rs"
		vcfg=()
		[ "$v" = v1_0 ] && vcfg=(--cfg ku_1_0)
		if ! run_limited "$rc" --edition 2021 -D warnings -C debug-assertions=yes -C overflow-checks=yes \
			"${vcfg[@]}" --extern chitin="$out/libchitin.rlib" -o "$out/host_$v" "$out/$v/khost.rs" \
			>"$out/$v/host.err" 2>&1; then
			bad "$label: the $v Rust host builds"
			show "$out/$v/host.err"
		fi
	done
	for hv in v1_1 v1_0; do
		for pv in v1_1 v1_0; do
			if [ -e "$c_hosts/host_$hv" ] && [ -e "$out/plugin_$pv.so" ]; then
				RUST_BACKTRACE=0 pairing "$label: C ${hv/v1_/1.} host, Rust ${pv/v1_/1.} plugin" \
					"$c_hosts/host_$hv" "$out/plugin_$pv.so" "${pv#v1_}"
			fi
			if [ -e "$out/host_$hv" ] && [ -e "$out/plugin_$pv.so" ]; then
				RUST_BACKTRACE=0 pairing "$label: Rust ${hv/v1_/1.} host, Rust ${pv/v1_/1.} plugin" \
					"$out/host_$hv" "$out/plugin_$pv.so" "${pv#v1_}"
			fi
			# a C plugin links libchitin, which carries AddressSanitizer in
			# that build and loads only into a process started with it
			if [ ${#san[@]} -eq 0 ] && [ -e "$out/host_$hv" ] && [ -e "$c_hosts/plugin_$pv.so" ]; then
				pairing "$label: Rust ${hv/v1_/1.} host, C ${pv/v1_/1.} plugin" \
					"$out/host_$hv" "$c_hosts/plugin_$pv.so" "${pv#v1_}"
			fi
		done
	done
	rc_dir=$(dirname "$rc")
	if [ -x "$rc_dir/rustfmt" ] && "$rc_dir/rustfmt" --version >/dev/null 2>&1; then
		check "$label: kplugin.rs and khost.rs are rustfmt-clean" "$rc_dir/rustfmt" --check --edition 2021 \
			"$out/v1_1/main.rs" "$out/v1_1/khost.rs"
	fi
done
if [ "${#rustcs[@]}" -eq 0 ]; then
	echo "skip the Rust plugin: no rustc"
fi

lib_summary
