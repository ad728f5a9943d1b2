#!/usr/bin/env bash
# The cargo integration (doc/build.md 4): the sample samples/integration/cargo,
# whose build.rs runs $CHITIN gen --rust into OUT_DIR, on the chitin crate
# that make install installs (a DESTDIR staging directory; the crate and
# the chitin that $CHITIN runs found with pkg-config), built offline
# with Debian's cargo 0.66 and rustc 1.63 and with the current stable cargo
# (on PATH or in ~/.cargo/bin) when there is one, with -D warnings. The
# first build runs chitin and the program runs; a second build runs
# nothing; touching an imported file runs build.rs and chitin again, and
# the build after it runs nothing (no loop), also for a file that only
# chitin's dependency file names; a changed module reaches the
# generated file; without $CHITIN, build.rs runs the chitin on PATH.
# rustfmt and clippy (stable) hold build.rs and main.rs to their rules.
set -euo pipefail

me=run-build-cargo
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
CHITIN=${CHITIN:-$top_builddir/chitin}
. "$srcdir/tests/lib.sh"
lib_work

# The toolchains: each cargo with the rustc beside it.
cargos=()
[ -x /usr/bin/cargo ] && [ -x /usr/bin/rustc ] && cargos+=(/usr/bin/cargo)
for c in "$(command -v cargo || true)" "$HOME/.cargo/bin/cargo"; do
	if [ -n "$c" ] && [ -x "$c" ] && [ -x "$(dirname "$c")/rustc" ] &&
		[ "$(readlink -f "$c")" != "$(readlink -f /usr/bin/cargo)" ]; then
		cargos+=("$c")
		break
	fi
done
if [ ${#cargos[@]} -eq 0 ]; then
	echo "skip the cargo integration: no cargo with a rustc beside it (Debian: cargo)"
	lib_summary
	exit 0
fi
[ -x /usr/bin/cargo ] || echo "skip Debian's cargo 0.66: no /usr/bin/cargo (Debian: cargo)"

lib_stage || lib_summary
# the crate and chitin where chitin.pc says they are
crate=$(lib_pc_var rustcratedir)
chitin_abs=$(lib_pc_var chitin)
check "pkg-config: rustcratedir has the crate" test -f "$crate/Cargo.toml" -a -f "$crate/src/lib.rs"
check "pkg-config: chitin is the compiler" test -x "$chitin_abs"
if [ ! -f "$crate/Cargo.toml" ] || [ ! -x "$chitin_abs" ]; then
	lib_summary
fi

printf '#!/bin/sh\necho "$*" >>"%s"\nexec "%s" "$@"\n' "$work/chitin.log" "$chitin_abs" >"$work/chitin"
mkdir -p "$work/bin"
printf '#!/bin/sh\necho "$*" >>"%s"\nexec "%s" "$@"\n' "$work/path-chitin.log" "$chitin_abs" >"$work/bin/chitin"
chmod +x "$work/chitin" "$work/bin/chitin"
runs() {
	[ -f "$work/$1.log" ] && wc -l <"$work/$1.log" || echo 0
}

# Everything but the build two hours old, the build one hour old: what
# follows is newer whatever the file system's clock resolution.
age() {
	find "$work" -type f -exec touch -d '-2 hours' {} +
	find "$1" -type f -exec touch -d '-1 hour' {} +
}

# sample CARGO: the sample's builds with CARGO and the rustc beside it.
sample() {
	local cargo=$1 rustc label src target
	rustc=$(dirname "$cargo")/rustc
	label="cargo $("$cargo" --version | cut -d' ' -f2) (rustc $("$rustc" --version | cut -d' ' -f2))"
	src=$work/$(echo "$label" | tr -c 'a-z0-9.\n' '-')
	[ "$cargo" = /usr/bin/cargo ] || stable_src=$src
	target=$src/target
	cp -R "$srcdir/samples/integration" "$src"
	chmod -R u+w "$src"
	sed -i "s|^chitin = { path = \".*\" }|chitin = { path = \"$crate\" }|" "$src/cargo/Cargo.toml"
	if ! grep -q "path = \"$crate\"" "$src/cargo/Cargo.toml"; then
		bad "$label: the sample's Cargo.toml names the crate by path"
		return 0
	fi

	# build NAME [path]: cargo build, with a fresh count of the runs; with
	# path, CHITIN unset and the other wrapper first on PATH.
	build() {
		local name=$1 tool=(CHITIN="$work/chitin")
		[ "${2:-}" = path ] && tool=(-u CHITIN PATH="$work/bin:$PATH")
		rm -f "$work/chitin.log" "$work/path-chitin.log"
		if (cd "$src/cargo" && run_limited env "${tool[@]}" RUSTC="$rustc" \
			RUSTFLAGS="-D warnings" CARGO_NET_OFFLINE=true CARGO_TARGET_DIR="$target" \
			"$cargo" build --offline -v) >"$work/build.out" 2>&1; then
			return 0
		fi
		bad "$label, $name: cargo build"
		show "$work/build.out"
		return 1
	}

	build "first build" || return 0
	check "$label, first build: chitin ran once, for both modules" test "$(runs chitin)" = 1
	if "$target/debug/greet" Ada >"$work/run.out" 2>&1 && grep -qx 'Hello, Ada.' "$work/run.out"; then
		ok "$label, first build: greet runs"
	else
		bad "$label, first build: greet runs"
		show "$work/run.out"
	fi
	age "$target"

	if build "second build"; then
		check "$label, second build: chitin does not run" test "$(runs chitin)" = 0
		check "$label, second build: greet is fresh" grep -q 'Fresh greet' "$work/build.out"
	fi

	touch "$src/idl/types/names.idl"
	if build "imported file touched"; then
		check "$label, imported file touched: chitin runs" test "$(runs chitin)" = 1
	fi
	if build "then again"; then
		check "$label, then again: chitin does not run (no loop)" test "$(runs chitin)" = 0
	fi

	# A file only chitin's dependency file names: imported by names.idl,
	# and in no list of build.rs.
	printf '/// Units.\nmodule units;\nconst u32 MAX_UNITS = 3;\n' >"$src/idl/types/units.idl"
	sed -i 's|^module names;|module names;\n\nimport "units.idl";|' "$src/idl/types/names.idl"
	if build "an import added"; then
		check "$label, an import added: chitin runs" test "$(runs chitin)" = 1
	fi
	touch "$src/idl/types/units.idl"
	if build "the new import touched"; then
		check "$label, the new import touched: chitin runs" test "$(runs chitin)" = 1
	fi
	if build "then again"; then
		check "$label, then again: chitin does not run" test "$(runs chitin)" = 0
	fi

	sed -i 's|^/// Makes greetings\.|/// Makes greetings, formal or not.|' "$src/idl/greeter.idl"
	if build "the module changed"; then
		check "$label, the module changed: chitin runs" test "$(runs chitin)" = 1
		check "$label, the module changed: the generated file has it" \
			grep -rq 'formal or not' "$target/debug/build" --include greeter.rs
	fi

	# CHITIN unset (cargo runs build.rs again when it changes): the chitin
	# on PATH.
	if build "without CHITIN" path; then
		check "$label, without CHITIN: build.rs runs the chitin on PATH" test "$(runs path-chitin)" = 1
		check "$label, without CHITIN: and not \$CHITIN" test "$(runs chitin)" = 0
	fi
}

stable=
stable_src=
for cargo in "${cargos[@]}"; do
	sample "$cargo"
	[ "$cargo" = /usr/bin/cargo ] || stable=$(dirname "$cargo")
done

# rustfmt and clippy, of the current stable toolchain.
if [ -n "$stable" ] && [ -x "$stable/rustfmt" ]; then
	check "rustfmt: build.rs and main.rs are formatted" "$stable/rustfmt" --check --edition 2021 \
		"$srcdir/samples/integration/cargo/build.rs" "$srcdir/samples/integration/cargo/src/main.rs"
else
	echo "skip rustfmt: no stable toolchain with rustfmt"
fi
if [ -n "$stable_src" ] && [ -x "$stable/cargo-clippy" ]; then
	if (cd "$stable_src/cargo" && run_limited env CHITIN="$work/chitin" RUSTC="$stable/rustc" \
		CARGO_NET_OFFLINE=true CARGO_TARGET_DIR="$stable_src/clippy" \
		"$stable/cargo" clippy --offline -- -D warnings) >"$work/clippy.out" 2>&1; then
		ok "clippy: build.rs and main.rs have no warnings"
	else
		bad "clippy: build.rs and main.rs have no warnings"
		show "$work/clippy.out"
	fi
else
	echo "skip clippy: no stable toolchain with clippy"
fi
lib_summary
