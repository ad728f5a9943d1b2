#!/usr/bin/env bash
# Layout conformance: every size, alignment and offset that `chitin layout
# --json` reports for tests/layout/corpus.idl (and dep.idl, which it
# imports) must equal the C compilers'.  tests/layout/corpus.h is a C
# translation of the corpus written by hand from the ABI rules;
# tests/layout/layout_asserts.c turns chitin's JSON into _Static_asserts
# on it, one section per target under its exact guard.  The file is then
# compiled by the host compiler and by `clang --target=TRIPLE
# -ffreestanding` for each of the ten targets, and every compile must pass.
# Two self-checks prove that the test can fail: a JSON with one offset
# changed must not compile, and neither must a target outside the ten.
#
# Environment (set by make check): srcdir, CHITIN (the compiler; default
# $top_builddir/chitin), CC (the host compiler; default gcc), CLANG
# (default clang).  Exit status: 0 pass, 1 fail, 77 skipped (no clang; the
# host compile still runs and can fail), 99 broken setup.
set -euo pipefail

srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
CHITIN=${CHITIN:-$top_builddir/chitin}
case $CHITIN in
/*) ;;
*) CHITIN=$PWD/$CHITIN ;;
esac
# CC may carry flags ("gcc -std=gnu11"), so it is split into words.
read -r -a cc <<<"${CC:-gcc}"
CLANG=${CLANG:-clang}

me=run-layout-conformance
if [ ! -f "$srcdir/tests/layout/corpus.idl" ]; then
	echo "$me: no $srcdir/tests/layout/corpus.idl" >&2
	exit 99
fi
layoutdir=$(cd "$srcdir/tests/layout" && pwd)
if [ ! -x "$CHITIN" ]; then
	echo "$me: no compiler at $CHITIN" >&2
	exit 99
fi

. "$srcdir/tests/lib.sh"
lib_targets

scratch=$(mktemp -d "${TMPDIR:-/tmp}/chitin-layout.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"

# count_asserts TARGET: the assertions in TARGET's sections of asserts.c.
count_asserts() {
	awk -v t="/* $1 */" '
		/^#if / && index($0, t) { on = 1; next }
		/^#endif / && index($0, t) { on = 0 }
		on && /^_Static_assert\(/ { n++ }
		END { print n + 0 }' asserts.c
}

# ---- Build the generator, run chitin, write the assertions ----

if ! "${cc[@]}" -std=c11 -Wall -Wextra -o layout_asserts \
	"$layoutdir/layout_asserts.c" 2>build.err; then
	echo "$me: cannot build layout_asserts with ${cc[*]}:" >&2
	show build.err >&2
	exit 99
fi

for module in corpus dep; do
	status=0
	run_limited "$CHITIN" layout --json --target all -I "$layoutdir" \
		"$layoutdir/$module.idl" >"$module.json" 2>"$module.err" || status=$?
	if [ "$status" -ne 0 ]; then
		echo "FAIL chitin layout $module.idl: exit $status"
		show "$module.err"
		exit 1
	fi
done

if ! cat corpus.json dep.json | ./layout_asserts corpus.h >asserts.c 2>summary.txt; then
	echo "FAIL layout_asserts rejected chitin's JSON:"
	show summary.txt
	exit 1
fi
sed 's/^layout_asserts: /  /' summary.txt

failed=0
passed=0

# compile LABEL TARGET OBJECT COMPILER...: compiles asserts.c; prints ok
# or FAIL with the first errors.
compile() {
	local label=$1 target=$2 object=$3 status=0
	shift 3
	run_limited "$@" -I "$layoutdir" -c asserts.c -o "$object" >"$object.err" 2>&1 || status=$?
	if [ "$status" -eq 0 ]; then
		echo "ok   $target ($label): $(count_asserts "$target") assertions"
		passed=$((passed + 1))
	else
		echo "FAIL $target ($label)"
		grep -E 'error|assert' "$object.err" | head -n 20 | cut -c 1-300 | sed 's/^/  | /'
		failed=$((failed + 1))
	fi
}

# target_of COMPILER...: the chitin target whose guard matches, from the
# LAYOUT_TARGET_NAME that asserts.c defines (empty for none); fails if
# asserts.c cannot be preprocessed.
target_of() {
	run_limited "$@" -I "$layoutdir" -E -dM asserts.c >macros.txt 2>macros.err || return 1
	sed -n 's/^#define LAYOUT_TARGET_NAME "\(.*\)"$/\1/p' macros.txt | head -n 1
}

# ---- The host compiler, on whichever of the ten targets it is ----

host=("${cc[@]}" -std=c11 -Wall -Wextra -Werror -pedantic)
if ! host_target=$(target_of "${host[@]}"); then
	echo "FAIL host (${cc[*]}): cannot preprocess asserts.c"
	show macros.err
	failed=$((failed + 1))
	host_target=
elif [ -n "$host_target" ]; then
	compile "host ${cc[*]}" "$host_target" host.o "${host[@]}"
else
	echo "skip host (${cc[*]}): its target is none of the ten"
fi

# Its 32-bit mode, where it has one: gcc -m32 on x86_64 needs no 32-bit
# libc for -ffreestanding -c, and is a second compiler for i686-linux.
host32=("${cc[@]}" -m32 -ffreestanding -std=c11 -Wall -Wextra -Werror -pedantic)
host32_target=$(target_of "${host32[@]}") || host32_target=
if [ -n "$host32_target" ] && [ "$host32_target" != "$host_target" ]; then
	compile "host ${cc[*]} -m32 -ffreestanding" "$host32_target" host32.o "${host32[@]}"
fi

# ---- clang, for each of the ten targets ----

have_clang=no
if command -v "$CLANG" >/dev/null 2>&1; then
	have_clang=yes
	set -- "${targets[@]}"
	while [ $# -gt 0 ]; do
		cmd=("$CLANG" --target="$2" -ffreestanding -std=c11 -Wall -Wextra -Werror -pedantic)
		# The triple must select its own target's section, not another's.
		matched=$(target_of "${cmd[@]}") || matched=
		if [ "$matched" != "$1" ]; then
			echo "FAIL $1 ($CLANG --target=$2): the guards select '${matched:-nothing}'"
			show macros.err
			failed=$((failed + 1))
		else
			compile "$CLANG --target=$2 -ffreestanding" "$1" "$1.o" "${cmd[@]}"
		fi
		shift 2
	done
else
	echo "skip clang targets: no $CLANG"
fi

# ---- Self-checks: the test can fail ----

# One offset off by a lot: the first non-zero offset of the target
# checked here (the host's, else x86_64-linux with clang) gets a digit
# appended.  That compile must fail on an assertion.
if [ -n "$host_target" ]; then
	label="host ${cc[*]} ($host_target)"
	cmd=("${cc[@]}" -std=c11)
	broken_target=$host_target
elif [ $have_clang = yes ]; then
	label="$CLANG --target=${targets[1]}"
	cmd=("$CLANG" --target="${targets[1]}" -ffreestanding -std=c11)
	broken_target=${targets[0]}
else
	cmd=()
	broken_target=${targets[0]}
fi
# chitin writes each layout entry on a line of its own, its targets first:
# the second offset of the first one for the broken target grows.
awk -v key="\"$broken_target\"" '
	!done && index($0, key) && /"offsets": \[0, [1-9]/ {
		sub(/"offsets": \[0, [1-9][0-9]*/, "&1")
		done = 1
	}
	{ print }' corpus.json >broken.json
if cmp -s corpus.json broken.json; then
	echo "FAIL self-check: found no offset to change in chitin's JSON"
	failed=$((failed + 1))
elif ! cat broken.json dep.json | ./layout_asserts corpus.h >broken.c 2>/dev/null; then
	echo "FAIL self-check: layout_asserts rejected the changed JSON"
	failed=$((failed + 1))
else
	if [ ${#cmd[@]} -eq 0 ]; then
		echo "skip self-check (changed offset): no compiler for any of the ten targets"
	elif run_limited "${cmd[@]}" -I "$layoutdir" -c broken.c -o broken.o >broken.err 2>&1; then
		echo "FAIL self-check: a changed offset compiled with $label"
		failed=$((failed + 1))
	elif grep -q 'chitin says' broken.err; then
		echo "ok   self-check: a changed offset fails with $label"
		grep -m 1 'chitin says' broken.err | cut -c 1-300 | sed 's/^/  | /'
		passed=$((passed + 1))
	else
		echo "FAIL self-check: a changed offset failed with $label, but not on an assertion"
		show broken.err
		failed=$((failed + 1))
	fi
fi

# A target outside the ten must not compile: the file never passes by
# checking nothing.  Only where this clang knows such a target.
printf '#include <stdint.h>\n' >probe.c
if [ $have_clang = yes ] &&
	"$CLANG" --target=mipsel-linux-gnu -ffreestanding -std=c11 -c probe.c -o probe.o >/dev/null 2>&1; then
	if "$CLANG" --target=mipsel-linux-gnu -ffreestanding -std=c11 -I "$layoutdir" \
		-c asserts.c -o other.o >other.err 2>&1; then
		echo "FAIL self-check: asserts.c compiled for mipsel-linux-gnu, a target outside the ten"
		failed=$((failed + 1))
	elif grep -q 'no chitin target guard matches' other.err; then
		echo "ok   self-check: a target outside the ten (mipsel-linux-gnu) fails the guard check"
		passed=$((passed + 1))
	else
		echo "FAIL self-check: mipsel-linux-gnu failed, but not on the guard check"
		show other.err
		failed=$((failed + 1))
	fi
fi

total=$(grep -c '^_Static_assert(' asserts.c)
echo "$me: $passed passed, $failed failed; $total assertions in asserts.c"
if [ "$failed" -ne 0 ]; then
	exit 1
fi
if [ $have_clang = no ]; then
	exit 77
fi
exit 0
