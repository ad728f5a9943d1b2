#!/usr/bin/env bash
# samples/audio/README.md's "Building by hand" as a reader runs it
# (tests/doc-session.sh): its commands, as the README writes them, run in
# a copy of samples/audio, with `chitin` the build tree's and pkg-config
# finding a chitin.pc of the build tree (tests/lib.sh, lib_tree), `cc`
# $CC (with $SANITIZER_CFLAGS, which an instrumented libchitin needs in
# its host), `c++` $CXX and `rustc` the first toolchain lib_rustcs finds
# (Debian's 1.63 when there); each command's output is held to the
# README's.  And the commands at the top of host.c, gain.c, gain.cc and
# gain.rs are the README's, so that they run too: a self-check shows
# that one the README lacks is found.
set -euo pipefail

me=run-sample-by-hand
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}

. "$srcdir/tests/lib.sh"
. "$srcdir/tests/doc-session.sh"
lib_work
sample=$(cd "$srcdir/samples/audio" && pwd)
readme=$srcdir/samples/audio/README.md

# commands FILE: the "$ " commands of FILE, in Markdown or in a C, C++ or
# Rust comment (its " * ", "// " or "//! " taken off), each on one line
# with its continuations joined and its blanks squeezed.
commands() {
	sed -E 's,^[[:space:]]*(\*|//!?)?[[:space:]]*,,' "$1" | awk '
		cont { cmd = cmd " " $0 }
		!cont && /^\$ / { cmd = substr($0, 3) }
		cmd != "" {
			cont = sub(/[[:space:]]*\\$/, "", cmd)
			if (!cont) { gsub(/[[:space:]]+/, " ", cmd); print cmd; cmd = "" }
		}'
}

# ---- the sources' commands are the README's -------------------------------------
commands "$readme" >"$work/readme.cmds"
check "README.md has commands" [ -s "$work/readme.cmds" ]
# check_source FILE: FILE's commands, at least two, are all the README's.
check_source() {
	local missing
	commands "$1" >"$work/source.cmds"
	missing=$(grep -vxF -f "$work/readme.cmds" "$work/source.cmds" | sed 's/^/    /' || true)
	if [ "$(wc -l <"$work/source.cmds")" -lt 2 ]; then
		bad "$(basename "$1"): it shows how to build it by hand"
	elif [ -z "$missing" ]; then
		ok "$(basename "$1"): the commands it shows are README.md's"
	else
		bad "$(basename "$1"): commands it shows that README.md lacks:"
		printf '%s\n' "$missing"
	fi
}
for f in host.c gain.c gain.cc gain.rs; do
	check_source "$sample/$f"
done
sed 's|-o libgain.so gain.c|-o libgain.so gain.c -lchitin|' "$sample/gain.c" >"$work/drifted.c"
(check_source "$work/drifted.c") >"$work/self.out" || true
if grep -q '^FAIL drifted.c: commands it shows that README.md lacks' "$work/self.out" &&
	grep -qF -- '-o libgain.so gain.c -lchitin' "$work/self.out"; then
	ok "self-check: a command of a source that the README lacks is found"
else
	bad "self-check: a command of a source that the README lacks is found"
	show "$work/self.out"
fi

# ---- the README's session ---------------------------------------------------------
case $(uname -s) in
Linux) ;;
*)
	echo "skip the README's session: its libraries are Linux's .so, not $(uname -s)'s"
	lib_summary
	exit
	;;
esac
lib_rustcs
cxx=${CXX:-c++}
libs=$(cd "$top_builddir" && pwd)/.libs
why=
if [ ! -e "$libs/libchitin.so" ]; then
	why="no $libs/libchitin.so (a build without shared libraries)"
elif ! command -v pkg-config >/dev/null 2>&1; then
	why="no pkg-config"
elif ! command -v "$cxx" >/dev/null 2>&1; then
	why="no C++ compiler ($cxx)"
elif [ "${#rustcs[@]}" -eq 0 ] || [ ! -x "${rustcs[0]}" ]; then
	why="no rustc"
elif ! lib_tree "$work/tree"; then
	why="no runtime/chitin.pc in the build"
fi
if [ -n "$why" ]; then
	echo "skip the README's session: $why"
	lib_summary
	exit
fi

# The reader's cc, c++ and rustc, by their full paths (the wrappers are
# named like them, first on PATH).  Under AddressSanitizer the host links
# libstdc++ for the C++ plugin's exceptions (as tests/run-sample.sh
# explains).
with_cxx_runtime=
case ${SANITIZER_CFLAGS:-} in
*address*) with_cxx_runtime="-Wl,--push-state,--no-as-needed -lstdc++ -Wl,--pop-state" ;;
esac
read -r -a cc_words <<<"${CC:-cc}"
cc_words[0]=$(command -v "${cc_words[0]}")
bin=$work/tree/bin
printf '#!/bin/sh\nexec %s %s %s "$@"\n' "${cc_words[*]}" "${SANITIZER_CFLAGS:-}" "$with_cxx_runtime" >"$bin/cc"
printf '#!/bin/sh\nexec %s "$@"\n' "$(command -v "$cxx")" >"$bin/c++"
chmod +x "$bin/cc" "$bin/c++"
ln -s "${rustcs[0]}" "$bin/rustc"
lib_rust_version "${rustcs[0]}"
echo "with $label, $cxx and ${CC:-cc}"

doc_session "$readme" "$work/session"
cp -R "$sample" "$work/dir"
chmod -R u+w "$work/dir"
if ! PATH=$bin:$PATH time_limit=600 doc_run "$work/session" "$work/dir"; then
	bad "the README's session ends"
	show "$work/session/run.log"
fi
doc_compare "$work/session"
lib_summary
