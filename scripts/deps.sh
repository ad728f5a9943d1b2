#!/usr/bin/env bash
# Installs what building and testing chitin needs on Debian 12, only if
# something is missing.  Run it (bash scripts/deps.sh) or source it
# (. scripts/deps.sh); on a prepared machine it only checks and returns.
#
# Exit status: 0 when everything is present (or was installed), 1 when
# something is missing and cannot be installed (not root and no sudo, or
# no apt-get).

# The checks are a table "how to tell it is there" -> Debian package, so that
# the message for a manual install names exactly the packages to get.
chitin_deps_missing() {
	local entry cmd pkg
	for entry in flex:flex bison:bison autoconf:autoconf automake:automake \
		libtoolize:libtool pkg-config:pkg-config make:make gcc:gcc g++:g++ \
		clang:clang llvm-objcopy:llvm x86_64-w64-mingw32-gcc:gcc-mingw-w64 jq:jq \
		wasm-ld:lld node:nodejs cmake:cmake ninja:ninja-build groff:groff-base patch:patch; do
		cmd=${entry%%:*}
		pkg=${entry#*:}
		command -v "$cmd" >/dev/null 2>&1 || printf '%s\n' "$pkg"
	done
	if command -v pkg-config >/dev/null 2>&1; then
		pkg-config --exists cmocka || printf '%s\n' libcmocka-dev
	else
		chitin_deps_installed libcmocka-dev || printf '%s\n' libcmocka-dev
	fi
	# Debian's clang takes its sanitizer runtimes from a package that
	# --no-install-recommends leaves out; without it clang cannot link
	# -fsanitize=address.  Only Debian's own clang needs it.
	if command -v clang >/dev/null 2>&1 &&
		command -v dpkg-query >/dev/null 2>&1 &&
		chitin_deps_installed clang &&
		! chitin_deps_installed libclang-rt-dev; then
		printf '%s\n' libclang-rt-dev
	fi
	command -v clang >/dev/null 2>&1 || printf '%s\n' libclang-rt-dev
	# gcc -m32 (the i386 calling-convention tests) needs the multilib
	# runtime; it has no command of its own to look for.
	if command -v dpkg-query >/dev/null 2>&1 && ! chitin_deps_installed gcc-multilib; then
		printf '%s\n' gcc-multilib
	fi
	# wasm32-wasi (tests/run-wasm.sh, with wasm-ld and node above): the
	# WASI libc (Debian 12 puts it in /usr/include/wasm32-wasi and
	# /usr/lib/wasm32-wasi, later ones in /usr/share/wasi-sysroot) and
	# compiler-rt's builtins for wasm32 of clang's version have no command
	# of their own: a file of each tells.  Without clang yet, Debian 12's
	# (14) is the one that will come.
	[ -e /usr/include/wasm32-wasi/stdio.h ] ||
		[ -e /usr/share/wasi-sysroot/include/wasm32-wasi/stdio.h ] ||
		[ -e /usr/share/wasi-sysroot/include/stdio.h ] || printf '%s\n' wasi-libc
	if command -v clang >/dev/null 2>&1; then
		local builtins major
		builtins=$(clang --target=wasm32-wasi -print-libgcc-file-name 2>/dev/null) || builtins=
		major=$(clang -dumpversion 2>/dev/null) || major=
		major=${major%%.*}
		if [ -n "$major" ] && { [ -z "$builtins" ] || [ ! -e "$builtins" ]; }; then
			printf '%s\n' "libclang-rt-$major-dev-wasm32"
		fi
	else
		printf '%s\n' libclang-rt-14-dev-wasm32
	fi
	# Debian's rustc 1.63 and cargo 0.66, the oldest toolchain the Rust
	# crate and the generated Rust must build with, at their own paths
	# beside any rustup toolchain on PATH (which hides them there): so
	# looked for by file, not on PATH.
	for entry in /usr/bin/rustc:rustc /usr/bin/cargo:cargo; do
		[ -x "${entry%%:*}" ] || printf '%s\n' "${entry#*:}"
	done
}

# Whether the Debian package $1 is installed.
chitin_deps_installed() {
	command -v dpkg-query >/dev/null 2>&1 || return 1
	[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

chitin_deps() {
	local missing sudo
	missing=$(chitin_deps_missing | sort -u | tr '\n' ' ')
	missing=${missing% }
	[ -n "$missing" ] || return 0

	if [ "$(id -u)" -eq 0 ]; then
		sudo=
	elif command -v sudo >/dev/null 2>&1; then
		sudo=sudo
	else
		printf 'deps: missing packages: %s\n' "$missing" >&2
		printf 'deps: as root, run: apt-get install %s\n' "$missing" >&2
		return 1
	fi
	if ! command -v apt-get >/dev/null 2>&1; then
		printf 'deps: missing packages (Debian names): %s\n' "$missing" >&2
		printf 'deps: no apt-get here; install them with your package manager\n' >&2
		return 1
	fi

	printf 'deps: installing %s\n' "$missing" >&2
	# $missing is a list of package names: splitting it is the point.
	# shellcheck disable=SC2086
	if ! {
		$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
			$sudo env DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -q --no-install-recommends $missing
	}; then
		printf 'deps: apt-get failed; missing: %s\n' "$missing" >&2
		return 1
	fi

	missing=$(chitin_deps_missing | sort -u | tr '\n' ' ')
	missing=${missing% }
	if [ -n "$missing" ]; then
		printf 'deps: still missing after install: %s\n' "$missing" >&2
		return 1
	fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	chitin_deps
else
	# Sourced: report through the status, leave the caller's options alone.
	chitin_deps
fi
