#!/usr/bin/env bash
# Installs what building and testing chitin needs on Debian 12, only if
# something is missing.  Run it (bash scripts/deps.sh) or source it
# (. scripts/deps.sh); on a prepared machine it only checks and returns.
#
# usage: scripts/deps.sh [--demo] [--print]
#   --demo   only what scripts/demo.sh needs: building chitin (autotools,
#            flex, bison, pkg-config, make, gcc) and the sample's plugins
#            (g++, and Debian's rustc when no rustc is on PATH), not the
#            test toolchains.  CHITIN_DEPS=demo in the environment does the
#            same, so that scripts/build.sh, run by demo.sh, checks the
#            same set (and is the only way to choose it when sourced).
#   --print  installs nothing: prints every package of the set, one a
#            line, as a machine with none of them would need (a rustc or a
#            clang already here changes nothing in the list).
#
# Exit status: 0 when everything is present (or was installed, or was
# printed), 1 when something is missing and cannot be installed (not
# root and no sudo, or no apt-get), 2 for an unknown option.

# What scripts/demo.sh needs, "how to tell it is there" -> Debian package:
# building chitin (configure's pkg-config macros come from pkg-config)
# and the sample's plugins (samples/audio/demo.sh: cc, c++, rustc).
chitin_deps_demo="flex:flex bison:bison autoconf:autoconf automake:automake \
	libtoolize:libtool pkg-config:pkg-config make:make gcc:gcc g++:g++"

# The set to check, "all" or "demo" (--demo, CHITIN_DEPS=demo), and
# whether to pretend that nothing is installed (--print).
chitin_deps_set=${CHITIN_DEPS:-all}
chitin_deps_print=

# Whether the command $1 is on PATH (never, for --print).
chitin_deps_have() {
	[ -z "$chitin_deps_print" ] && command -v "$1" >/dev/null 2>&1
}

# Whether the file $1 exists (never, for --print).
chitin_deps_file() {
	[ -z "$chitin_deps_print" ] && [ -e "$1" ]
}

# The checks are a table "how to tell it is there" -> Debian package, so that
# the message for a manual install names exactly the packages to get.
chitin_deps_missing() {
	local entry cmd pkg
	if [ "$chitin_deps_set" = demo ]; then
		for entry in $chitin_deps_demo; do
			chitin_deps_have "${entry%%:*}" || printf '%s\n' "${entry#*:}"
		done
		# samples/audio/demo.sh builds its Rust plugin with the rustc
		# on PATH, else Debian's
		chitin_deps_have rustc || chitin_deps_file /usr/bin/rustc || printf '%s\n' rustc
		return 0
	fi
	for entry in $chitin_deps_demo \
		clang:clang llvm-objcopy:llvm x86_64-w64-mingw32-gcc:gcc-mingw-w64 jq:jq \
		wasm-ld:lld node:nodejs cmake:cmake ninja:ninja-build groff:groff-base patch:patch; do
		cmd=${entry%%:*}
		pkg=${entry#*:}
		chitin_deps_have "$cmd" || printf '%s\n' "$pkg"
	done
	if chitin_deps_have pkg-config; then
		pkg-config --exists cmocka || printf '%s\n' libcmocka-dev
	else
		chitin_deps_installed libcmocka-dev || printf '%s\n' libcmocka-dev
	fi
	# Debian's clang takes its sanitizer runtimes from a package that
	# --no-install-recommends leaves out; without it clang cannot link
	# -fsanitize=address.  Only Debian's own clang needs it.
	if chitin_deps_have clang &&
		command -v dpkg-query >/dev/null 2>&1 &&
		chitin_deps_installed clang &&
		! chitin_deps_installed libclang-rt-dev; then
		printf '%s\n' libclang-rt-dev
	fi
	chitin_deps_have clang || printf '%s\n' libclang-rt-dev
	# gcc -m32 (the i386 calling-convention tests) needs the multilib
	# runtime; it has no command of its own to look for.
	if { [ -n "$chitin_deps_print" ] || command -v dpkg-query >/dev/null 2>&1; } &&
		! chitin_deps_installed gcc-multilib; then
		printf '%s\n' gcc-multilib
	fi
	# wasm32-wasi (tests/run-wasm.sh, with wasm-ld and node above): the
	# WASI libc (Debian 12 puts it in /usr/include/wasm32-wasi and
	# /usr/lib/wasm32-wasi, later ones in /usr/share/wasi-sysroot) and
	# compiler-rt's builtins for wasm32 of clang's version have no command
	# of their own: a file of each tells.  Without clang yet, Debian 12's
	# (14) is the one that will come.
	chitin_deps_file /usr/include/wasm32-wasi/stdio.h ||
		chitin_deps_file /usr/share/wasi-sysroot/include/wasm32-wasi/stdio.h ||
		chitin_deps_file /usr/share/wasi-sysroot/include/stdio.h || printf '%s\n' wasi-libc
	if chitin_deps_have clang; then
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
		{ [ -z "$chitin_deps_print" ] && [ -x "${entry%%:*}" ]; } || printf '%s\n' "${entry#*:}"
	done
}

# Whether the Debian package $1 is installed (never, for --print).
chitin_deps_installed() {
	[ -z "$chitin_deps_print" ] || return 1
	command -v dpkg-query >/dev/null 2>&1 || return 1
	[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

chitin_deps() {
	local missing sudo
	if [ -n "$chitin_deps_print" ]; then
		chitin_deps_missing | sort -u
		return 0
	fi
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

# chitin_deps_options ARGS...: reads the options above; 2 for another.
chitin_deps_options() {
	local arg
	for arg in "$@"; do
		case $arg in
		--demo) chitin_deps_set=demo ;;
		--print) chitin_deps_print=yes ;;
		*)
			printf 'deps: unknown option %s (usage: scripts/deps.sh [--demo] [--print])\n' "$arg" >&2
			return 2
			;;
		esac
	done
	case $chitin_deps_set in
	all | demo) ;;
	*)
		printf 'deps: CHITIN_DEPS is %s; it is all or demo\n' "$chitin_deps_set" >&2
		return 2
		;;
	esac
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	chitin_deps_options "$@"
	chitin_deps
else
	# Sourced: report through the status, leave the caller's options alone.
	# The caller's arguments are its own: only CHITIN_DEPS chooses the set.
	chitin_deps_options && chitin_deps
fi
