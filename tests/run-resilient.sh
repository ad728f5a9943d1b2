#!/usr/bin/env bash
# Resilient structs across libraries (doc/abi.md 2.18): a host built
# against one minor version of tests/cgen/resilient's module and a plugin
# built against the other share one process.  The host is linked with
# -rdynamic, so a record that were not hidden would be bound to the host's
# in the plugin; each side must keep its own record, one per library
# (not one per translation unit), and read the other's values through the
# record while reading its own directly.  Both pairings, under gcc, clang
# and, for the plugin, g++; and Rust hosts of both versions with the C
# plugin of the other.
set -euo pipefail

me=run-resilient
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
CHITIN=${CHITIN:-$top_builddir/chitin}
read -r -a cc <<<"${CC:-gcc}"
cxx=${CXX:-g++}
clang=${CLANG:-clang}

. "$srcdir/tests/lib.sh"
lib_work
dir=$srcdir/tests/cgen/resilient
flags=(-Wall -Wextra -Wshadow -pedantic -Werror -O2 -I "$dir" -I "$srcdir/runtime/include")

for v in v1_0 v1_1; do
	mkdir -p "$work/$v"
	if ! "$CHITIN" gen --c --desc-c -o "$work/$v" "$dir/$v/rs.idl" 2>"$work/$v/gen.err"; then
		bad "chitin gen $v/rs.idl"
		show "$work/$v/gen.err"
		lib_summary
	fi
done

# version_flags V: the include path and macros of a side built against V.
version_flags() {
	echo "-I $work/$1"
	[ "$1" = v1_1 ] && echo "-DHAS_LATENCY"
	return 0
}

# pairing NAME HOST_CC PLUGIN_CC HOST_V PLUGIN_V: builds and runs one pairing.
pairing() {
	local name=$1 host_cc=$2 plugin_cc=$3 hv=$4 pv=$5 out
	out=$work/$name
	mkdir -p "$out"
	# shellcheck disable=SC2046
	if ! run_limited $plugin_cc "${flags[@]}" $(version_flags "$pv") -fPIC -shared \
		"$dir/plugin.c" "$work/$pv/rs_desc.c" -o "$out/plugin.so" >"$out/plugin.err" 2>&1; then
		bad "$name: the $pv plugin builds"
		show "$out/plugin.err"
		return 0
	fi
	# shellcheck disable=SC2046
	if ! run_limited $host_cc -std=c11 "${flags[@]}" $(version_flags "$hv") -rdynamic \
		"$dir/host.c" "$dir/other.c" "$work/$hv/rs_desc.c" -o "$out/host" -ldl \
		>"$out/host.err" 2>&1; then
		bad "$name: the $hv host builds"
		show "$out/host.err"
		return 0
	fi
	if run_limited "$out/host" "$out/plugin.so" >"$out/run.out" 2>&1; then
		ok "$name: a $hv host and a $pv plugin keep their own records"
	else
		bad "$name: a $hv host and a $pv plugin"
		grep -v '^ok ' "$out/run.out" | head -n 20 | sed 's/^/  | /'
	fi
}

c_std="${cc[*]} -std=c11"
pairing "${cc[*]}" "${cc[*]}" "$c_std" v1_0 v1_1
pairing "${cc[*]}, reversed" "${cc[*]}" "$c_std" v1_1 v1_0
if command -v "$clang" >/dev/null 2>&1; then
	pairing "$clang" "$clang" "$clang -std=c11" v1_0 v1_1
	pairing "$clang, reversed" "$clang" "$clang -std=c11" v1_1 v1_0
else
	echo "skip clang: no $clang"
fi
if command -v "$cxx" >/dev/null 2>&1; then
	pairing "$cxx plugin" "${cc[*]}" "$cxx -x c++ -std=c++11" v1_0 v1_1
else
	echo "skip C++: no $cxx"
fi

# Rust hosts (host.rs) built against each version, on every toolchain
# here, with the C plugin of the other version: the generated accessors
# read and write the C plugin's values through its record, the C plugin
# reads and writes values the Rust side made (SettingsFields::new), and
# hand-made values with wrong records give None.
crate=$srcdir/runtime/rust
lib_rustcs
for v in v1_0 v1_1; do
	"$CHITIN" gen --rust -o "$work/$v" "$dir/$v/rs.idl"
done
rust_pairing() { # RC RLIB HOST_V PLUGIN_V
	local rc=$1 rlib=$2 hv=$3 pv=$4 out cfg=()
	out=$work/rust-$label-$hv
	mkdir -p "$out"
	[ "$hv" = v1_1 ] && cfg=(--cfg has_latency)
	cp "$dir/host.rs" "$work/$hv/rs.rs" "$out/"
	# shellcheck disable=SC2046
	if ! run_limited "${cc[@]}" -std=c11 "${flags[@]}" $(version_flags "$pv") -fPIC -shared \
		"$dir/plugin.c" "$work/$pv/rs_desc.c" -o "$out/plugin.so" >"$out/build.err" 2>&1 ||
		! run_limited "$rc" --edition 2021 -D warnings -C debug-assertions "${cfg[@]}" \
			--extern chitin="$rlib" -C link-arg="$out/plugin.so" \
			-C link-arg=-Wl,-rpath,"$out" -o "$out/host" "$out/host.rs" >>"$out/build.err" 2>&1; then
		bad "$label: a Rust $hv host and a C $pv plugin build"
		show "$out/build.err"
		return 0
	fi
	if run_limited "$out/host" >"$out/run.out" 2>&1; then
		ok "$label: a Rust $hv host and a C $pv plugin keep their own records ($(grep -c '^ok ' "$out/run.out") checks)"
	else
		bad "$label: a Rust $hv host and a C $pv plugin"
		grep -v '^ok ' "$out/run.out" | head -n 20 | sed 's/^/  | /'
	fi
}
if [ "${#rustcs[@]}" -eq 0 ]; then
	bad "a Rust toolchain (none at /usr/bin/rustc, on PATH or in ~/.cargo/bin)"
fi
for rc in "${rustcs[@]}"; do
	lib_rust_version "$rc"
	rlib=$work/$label/libchitin.rlib
	mkdir -p "$work/$label"
	if ! run_limited "$rc" --edition 2021 --crate-type rlib --crate-name chitin --cfg 'feature="std"' \
		-o "$rlib" "$crate/src/lib.rs" >"$work/$label/build.err" 2>&1; then
		bad "$label: the crate builds"
		show "$work/$label/build.err"
		continue
	fi
	rust_pairing "$rc" "$rlib" v1_0 v1_1
	rust_pairing "$rc" "$rlib" v1_1 v1_0
done

# the const accessors give what may only be read: storing through one, or
# taking its pointer as a writable one, does not compile
printf '#include "rs.h"\nuint32_t *f(const rs_Settings *v) { return rs_Settings_rate_const(v); }\n' \
	>"$work/const_ptr.c"
printf '#include "rs.h"\nvoid f(const rs_Settings *v) { *rs_Settings_rate_const(v) = 1; }\n' \
	>"$work/const_store.c"
printf '#include "rs.h"\nconst uint32_t *f(const rs_Settings *v) { return rs_Settings_rate_const(v); }\n' \
	>"$work/const_read.c"
check "const_read: a const accessor reads" "${cc[@]}" -std=c11 -Wall -Werror -I "$work/v1_1" \
	-I "$srcdir/runtime/include" -c "$work/const_read.c" -o "$work/const_read.o"
for f in const_ptr const_store; do
	if "${cc[@]}" -std=c11 -Wall -Werror -I "$work/v1_1" -I "$srcdir/runtime/include" -c "$work/$f.c" \
		-o "$work/$f.o" >"$work/$f.err" 2>&1; then
		bad "$f: a const accessor's result is not writable"
	else
		ok "$f: a const accessor's result is not writable"
	fi
done

# one version per library: two static libraries built against 1.0 and
# 1.1, each with its descriptor source, do not link into one image (their
# records are named with their versions, their descriptors alike)
mkdir -p "$work/static"
printf '#include "side.h"\nint a_fields(void) { return (int)rs_Settings_layout()->field_count; }\n' >"$work/static/a.c"
printf '#include "side.h"\nint b_fields(void) { return (int)rs_Settings_layout()->field_count; }\n' >"$work/static/b.c"
printf 'int a_fields(void);\nint b_fields(void);\nint main(void) { return a_fields() + b_fields() == 5 ? 0 : 1; }\n' \
	>"$work/static/main.c"
for v in v1_0 v1_1; do
	lib=a
	[ "$v" = v1_1 ] && lib=b
	"${cc[@]}" -std=c11 -I "$dir" -I "$work/$v" -I "$srcdir/runtime/include" -c "$work/static/$lib.c" \
		-o "$work/static/$lib.o"
	"${cc[@]}" -std=c11 -I "$work/$v" -I "$srcdir/runtime/include" -c "$work/$v/rs_desc.c" \
		-o "$work/static/${lib}_desc.o"
	ar rc "$work/static/lib$lib.a" "$work/static/$lib.o" "$work/static/${lib}_desc.o"
done
if "${cc[@]}" "$work/static/main.c" -L "$work/static" -la -lb -o "$work/static/main" >"$work/static/link.err" 2>&1; then
	bad "two versions in one image: the link should fail"
elif grep -q "chitin_descriptor_rs" "$work/static/link.err"; then
	ok "two versions in one image: the link fails on the descriptor"
else
	bad "two versions in one image: the link fails for another reason"
	show "$work/static/link.err"
fi

lib_summary
