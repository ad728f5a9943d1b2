#!/usr/bin/env bash
# Golden diagnostic tests: runs `chitin check` on every
# tests/golden/check/NAME.idl and compares its stderr and exit status with
# NAME.err (the stderr, then a last line "exit: N").  stdout must be empty.
#
# Each case runs in tests/golden/check as `chitin check -I include NAME.idl`
# (include/ holds the files cases import).  A case whose first line is
# `// args: ARGS...` runs as `chitin check ARGS... NAME.idl` instead; when
# ARGS has a lone `-`, NAME.idl is not named and is read from stdin.  stdin
# is always NAME.idl.
#
# Environment (set by make check): srcdir, CHITIN (the compiler to run;
# default $top_builddir/chitin).  UPDATE_GOLDEN=1 writes the .err files in
# the source tree instead of comparing; nothing else is ever written there.
set -euo pipefail

srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
CHITIN=${CHITIN:-$top_builddir/chitin}
case $CHITIN in
/*) ;;
*) CHITIN=$PWD/$CHITIN ;;
esac
update=${UPDATE_GOLDEN:-}
[ "$update" = 0 ] && update=

casedir=$srcdir/tests/golden/check
if [ ! -d "$casedir" ]; then
	echo "run-golden: no directory $casedir" >&2
	exit 99
fi
if [ ! -x "$CHITIN" ]; then
	echo "run-golden: no compiler at $CHITIN" >&2
	exit 99
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/chitin-golden.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# A hang is a failure, not a stuck make check.
run_limited() {
	if command -v timeout >/dev/null 2>&1; then
		timeout -k 5 60 "$@"
	else
		"$@"
	fi
}

cd "$casedir"
shopt -s nullglob
cases=(*.idl)
if [ ${#cases[@]} -eq 0 ]; then
	echo "run-golden: no cases in $casedir"
	exit 77
fi

failed=0
passed=0
updated=0
for file in "${cases[@]}"; do
	name=${file%.idl}
	args=(-I include)
	first=
	IFS= read -r first <"$file" || true
	case $first in
	"// args:"*)
		read -r -a args <<<"${first#// args:}"
		;;
	esac
	cmd=("$CHITIN" check "${args[@]}")
	from_stdin=no
	for arg in "${args[@]}"; do
		[ "$arg" = - ] && from_stdin=yes
	done
	[ $from_stdin = yes ] || cmd+=("$file")

	status=0
	run_limited "${cmd[@]}" <"$file" >"$scratch/out" 2>"$scratch/err" || status=$?
	{
		cat "$scratch/err"
		printf 'exit: %d\n' "$status"
	} >"$scratch/actual"

	if [ -s "$scratch/out" ]; then
		echo "FAIL $name: wrote to stdout:"
		head -c 4096 "$scratch/out"
		echo
		failed=$((failed + 1))
		continue
	fi

	if [ -n "$update" ]; then
		if [ -f "$name.err" ] && cmp -s "$scratch/actual" "$name.err"; then
			echo "ok $name"
		else
			cp "$scratch/actual" "$name.err"
			echo "updated $name.err"
			updated=$((updated + 1))
		fi
		passed=$((passed + 1))
		continue
	fi

	if [ ! -f "$name.err" ]; then
		echo "FAIL $name: no $name.err (make check UPDATE_GOLDEN=1 writes it)"
		sed 's/^/  | /' "$scratch/actual"
		failed=$((failed + 1))
	elif diff -u "$name.err" "$scratch/actual" >"$scratch/diff"; then
		echo "ok $name"
		passed=$((passed + 1))
	else
		echo "FAIL $name"
		# Name the sides after what they are, not after the scratch file.
		sed -e "1s|^--- .*|--- $name.err (expected)|" \
			-e "2s|^+++ .*|+++ $name.err (actual)|" "$scratch/diff"
		failed=$((failed + 1))
	fi
done

if [ -n "$update" ]; then
	echo "run-golden: $updated of ${#cases[@]} .err files updated in $PWD"
fi
echo "run-golden: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
