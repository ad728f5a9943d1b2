#!/usr/bin/env bash
# doc/tutorial.md as a reader runs it (tests/doc-session.sh): its files
# written and its commands run in a scratch directory, against chitin as
# `make install` installs it (into a staging directory, as
# tests/install-check.sh does, with a chitin.pc whose prefix is there),
# each command's output held to the tutorial's.  Once per Rust toolchain
# (lib_rustcs: Debian's 1.63 and the current stable), `rustc` being that
# one; `cc` is $CC, with $SANITIZER_CFLAGS, which an instrumented
# libchitin needs in its host.  The outputs shown are those of a 64-bit
# Linux machine (the loader's report has x86_64's hashes).  On the
# toolchain that has them, plugin.rs is rustfmt- and clippy-clean.
set -euo pipefail

me='run-tutorial'
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}

. "$srcdir/tests/lib.sh"
. "$srcdir/tests/doc-session.sh"
lib_work

case $(uname -s)/$(uname -m) in
Linux/x86_64 | Linux/aarch64) ;;
*)
	echo "skip the tutorial: its outputs are those of x86_64 or aarch64 Linux, not $(uname -s)/$(uname -m)"
	lib_summary
	exit
	;;
esac
lib_rustcs
if [ "${#rustcs[@]}" -eq 0 ]; then
	echo "skip the tutorial: no rustc"
	lib_summary
	exit
fi
if ! command -v pkg-config >/dev/null 2>&1; then
	echo "skip the tutorial: no pkg-config"
	lib_summary
	exit
fi

stage=$work/stage
if ! env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$top_builddir" install DESTDIR="$stage" \
	>"$work/install.log" 2>&1; then
	bad "make install"
	show "$work/install.log"
	lib_summary
fi
pc=$(find "$stage" -name chitin.pc | head -n 1)
prefix=$(sed -n 's/^prefix=//p' "$pc")
mkdir -p "$work/pc"
sed "s|^prefix=.*|prefix=$stage$prefix|" "$pc" >"$work/pc/chitin.pc"

doc_session "$srcdir/doc/tutorial.md" "$work/session"
for rc in "${rustcs[@]}"; do
	if [ ! -x "$rc" ]; then
		echo "skip $rc: not there"
		continue
	fi
	lib_rust_version "$rc"
	run=$work/$label
	mkdir -p "$run/bin"
	# the reader's rustc and cc
	ln -s "$rc" "$run/bin/rustc"
	printf '#!/bin/sh\nexec %s %s "$@"\n' "${CC:-cc}" "${SANITIZER_CFLAGS:-}" >"$run/bin/cc"
	chmod +x "$run/bin/cc"
	cp -R "$work/session" "$run/session"
	if ! PATH=$run/bin:$stage$prefix/bin:$PATH PKG_CONFIG_PATH=$work/pc PKG_CONFIG_LIBDIR=$work/pc \
		time_limit=600 doc_run "$run/session" "$run/dir"; then
		bad "$label: the tutorial's session ends"
		show "$run/session/run.log"
	fi
	echo "with $label:"
	doc_compare "$run/session"
	# the tutorial's Rust as the project's own: rustfmt- and clippy-clean
	rc_dir=$(dirname "$rc")
	plugin=$run/dir/greet/plugin.rs
	if [ -f "$plugin" ] && [ -x "$rc_dir/rustfmt" ] && "$rc_dir/rustfmt" --version >/dev/null 2>&1; then
		check "$label: plugin.rs is rustfmt-clean" "$rc_dir/rustfmt" --check --edition 2021 "$plugin"
	fi
	if [ -f "$plugin" ] && [ -x "$rc_dir/clippy-driver" ] && "$rc_dir/clippy-driver" --version >/dev/null 2>&1; then
		check "$label: plugin.rs is clippy-clean" env -u MAKEFLAGS "$rc_dir/clippy-driver" --edition 2021 \
			-D warnings --crate-type cdylib --extern chitin="$run/dir/greet/libchitin.rlib" \
			-o "$run/clippy.so" "$plugin"
	fi
done
lib_summary
