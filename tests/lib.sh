# What the harness scripts share; each sources it (". "$srcdir/tests/lib.sh")
# after setting `me` (its name in the summary line) and `set -euo pipefail`.
#
#   lib_work          makes the scratch directory $work, removed at exit
#   ok NAME, bad NAME count a passed or failed check and say so
#   check NAME CMD... runs CMD: ok when it succeeds, bad when it fails
#   lib_targets       fills `targets` with pairs of a chitin target name and
#                     the clang triple that is its layout oracle, and
#                     `target_names` and `target_triples` with each, read from
#                     `chitin targets` (the target table is the one list)
#   lib_summary       prints "$me: N passed, N failed"; fails if any failed
#   run_limited CMD... runs CMD, killed after ${time_limit:-120} seconds: a
#                     hang is a failure, not a stuck make check
#   show FILE         the first lines of a complaint, indented
#   lib_make ARGS...  runs make with none of the calling make's flags
#   lib_stage         installs the build tree into $work/stage
#   lib_pc_var NAME   a variable of the chitin.pc installed there
#   lib_tree DIR      chitin as a reader's shell finds it, from the build
#                     tree: DIR/bin/chitin, and a chitin.pc in DIR/pc

: "${me:?set me before sourcing tests/lib.sh}"
: "${CHITIN:=${top_builddir:-.}/chitin}"

passed=0
failed=0

ok() {
	echo "ok $1"
	passed=$((passed + 1))
}

bad() {
	echo "FAIL $1"
	failed=$((failed + 1))
}

check() {
	local name=$1
	shift
	if "$@"; then ok "$name"; else bad "$name"; fi
}

lib_work() {
	work=$(mktemp -d "${TMPDIR:-/tmp}/chitin-$me.XXXXXX")
	# $work is set now, so expanding it here is what is meant.
	# shellcheck disable=SC2064
	trap "rm -rf '$work'" EXIT
}

lib_targets() {
	local name triple rest listing
	targets=()
	target_names=()
	target_triples=()
	listing=$("$CHITIN" targets) || {
		echo "$me: '$CHITIN targets' failed" >&2
		exit 99
	}
	while IFS=$'\t' read -r name triple rest; do
		targets+=("$name" "$triple")
		target_names+=("$name")
		target_triples+=("$triple")
	done <<<"$listing"
	if [ "${#target_triples[@]}" -eq 0 ]; then
		echo "$me: '$CHITIN targets' listed no target" >&2
		exit 99
	fi
}

lib_summary() {
	echo "$me: $passed passed, $failed failed"
	[ "$failed" = 0 ]
}

run_limited() {
	if command -v timeout >/dev/null 2>&1; then
		timeout -k 5 "${time_limit:-120}" "$@"
	else
		"$@"
	fi
}

show() {
	head -n 20 "$1" | cut -c 1-300 | sed 's/^/  | /'
}

# lib_rustcs: the Rust toolchains to test with, into the array rustcs:
# $CHITIN_RUSTC (space-separated rustc paths) if set, else Debian's
# rustc 1.63 at /usr/bin/rustc and the current stable one (first on PATH
# or in ~/.cargo/bin), each by its full path.
lib_rustcs() {
	rustcs=()
	if [ -n "${CHITIN_RUSTC:-}" ]; then
		read -r -a rustcs <<<"$CHITIN_RUSTC"
		return
	fi
	[ -x /usr/bin/rustc ] && rustcs+=(/usr/bin/rustc)
	local rc
	for rc in "$(command -v rustc || true)" "$HOME/.cargo/bin/rustc"; do
		if [ -n "$rc" ] && [ -x "$rc" ] && [ "$(readlink -f "$rc")" != "$(readlink -f /usr/bin/rustc)" ]; then
			rustcs+=("$rc")
			break
		fi
	done
}

# lib_rust_crate RC OUT: builds the crate (runtime/rust, with std) with
# the rustc at RC into OUT/libchitin.rlib, with debug assertions and
# -D warnings; on failure reports it (with $label) and returns 1.
lib_rust_crate() {
	if ! run_limited "$1" --edition 2021 -D warnings -C debug-assertions=yes --cfg 'feature="std"' \
		--crate-type rlib --crate-name chitin --out-dir "$2" "$srcdir/runtime/rust/src/lib.rs" \
		>"$2/crate.err" 2>&1; then
		bad "$label: the crate builds"
		show "$2/crate.err"
		return 1
	fi
}

# lib_rust_version RC: sets label (rustc-1.63) and editions (2018 2021,
# and 2024 from 1.85 on) for the rustc at RC.
lib_rust_version() {
	local version minor
	version=$("$1" --version | sed -n 's/^rustc \([0-9]*\)\.\([0-9]*\).*/\1.\2/p')
	minor=${version#*.}
	label=rustc-$version
	editions=(2018 2021)
	if [ "${version%%.*}" -gt 1 ] || [ "$minor" -ge 85 ]; then
		editions+=(2024)
	fi
}

# lib_make ARGS...: make, without the flags of the make that runs the test
# (its -j, -k, -n and variables are not the test's).
lib_make() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES make "$@"
}

# lib_stage: `make install DESTDIR=$work/stage` from the build tree; sets
# stage, and pc to the chitin.pc installed there, and points pkg-config
# at it (PKG_CONFIG_PATH, PKG_CONFIG_LIBDIR and PKG_CONFIG_SYSROOT_DIR, as
# for a sysroot). On failure reports it and returns 1.
lib_stage() {
	stage=$work/stage
	if ! lib_make -C "${top_builddir:-.}" install DESTDIR="$stage" >"$work/install.log" 2>&1; then
		bad "make install DESTDIR=$stage"
		show "$work/install.log"
		return 1
	fi
	pc=$(find "$stage" -name chitin.pc | head -n 1)
	if [ -z "$pc" ]; then
		bad "make install installs chitin.pc"
		return 1
	fi
	export PKG_CONFIG_PATH=${pc%/*} PKG_CONFIG_LIBDIR=${pc%/*} PKG_CONFIG_SYSROOT_DIR=$stage
}

# lib_pc_var NAME: chitin.pc's variable NAME, as a path under $stage
# (pkgconf puts the sysroot before it, pkg-config does not).
lib_pc_var() {
	local v
	v=$(pkg-config --variable="$1" chitin) || return 1
	case $v in
	"$stage"/*) ;;
	/*) v=$stage$v ;;
	esac
	printf '%s\n' "$v"
}

# lib_tree DIR: the build tree as if installed, for commands a document
# shows: DIR/bin/chitin runs $CHITIN, and pkg-config (PKG_CONFIG_PATH and
# PKG_CONFIG_LIBDIR, exported) finds DIR/pc/chitin.pc, the build's own
# runtime/chitin.pc with its directories those of the build tree:
# libchitin in .libs, the headers in runtime/include, the crate in
# runtime/rust. Returns 1 when the build has no chitin.pc.
lib_tree() {
	local top src
	top=$(cd "${top_builddir:-.}" && pwd)
	src=$(cd "${srcdir:-.}" && pwd)
	[ -f "$top/runtime/chitin.pc" ] || return 1
	mkdir -p "$1/bin" "$1/pc"
	ln -sf "$(cd "$(dirname "$CHITIN")" && pwd)/$(basename "$CHITIN")" "$1/bin/chitin"
	sed -e "s|^bindir=.*|bindir=$1/bin|" -e "s|^libdir=.*|libdir=$top/.libs|" \
		-e "s|^includedir=.*|includedir=$src/runtime/include|" \
		-e "s|^rustcratedir=.*|rustcratedir=$src/runtime/rust|" \
		"$top/runtime/chitin.pc" >"$1/pc/chitin.pc"
	export PKG_CONFIG_PATH=$1/pc PKG_CONFIG_LIBDIR=$1/pc
	unset PKG_CONFIG_SYSROOT_DIR
}
