#!/usr/bin/env bash
# Hostile inputs: chitin check must answer every one with a diagnostic or
# success (exit 0 or 1), in bounded time, memory and output, and never crash
# or trip a sanitizer.  Inputs are generated into a temporary directory.
#
# Environment (set by make check): CHITIN (the compiler; default
# $top_builddir/chitin).
set -euo pipefail

top_builddir=${top_builddir:-.}
CHITIN=${CHITIN:-$top_builddir/chitin}
case $CHITIN in
/*) ;;
*) CHITIN=$PWD/$CHITIN ;;
esac
if [ ! -x "$CHITIN" ]; then
	echo "run-hostile: no compiler at $CHITIN" >&2
	exit 99
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/chitin-hostile.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

# ASan reserves terabytes of address space, so a limit on virtual memory
# only makes sense without it.
limit_memory=yes
if [ -n "${ASAN_OPTIONS:-}" ] || grep -q __asan_init "$CHITIN" 2>/dev/null; then
	limit_memory=no
fi

max_output=$((1024 * 1024))
failed=0
passed=0

# check CASE EXPECTED [ARGS...]: runs chitin check ARGS (default CASE.idl)
# (or the command in the array cmd, such as (layout) or (gen -o DIR))
# and holds the result to the rules; EXPECTED lists the acceptable exit
# statuses, e.g. "0 1".  The time limit is generous, for a loaded machine
# under sanitizers: it catches a hang, not a slow run (make bench times).
cmd=(check)
check() {
	local name=$1 expected=$2 status=0 problem='' size
	shift 2
	[ $# -gt 0 ] || set -- "$name.idl"
	(
		if [ $limit_memory = yes ]; then
			ulimit -v 4000000
		fi
		exec timeout -k 5 300 "$CHITIN" "${cmd[@]}" "$@"
	) </dev/null >"$name.out" 2>"$name.err" || status=$?

	size=$(($(wc -c <"$name.out") + $(wc -c <"$name.err")))
	if [ "$status" -eq 124 ]; then
		problem="timed out after 300 s"
	elif [ "$status" -gt 128 ]; then
		problem="killed by signal $((status - 128))"
	elif [[ " $expected " != *" $status "* ]]; then
		problem="exit status $status, expected one of: $expected"
	fi
	if grep -aqE 'AddressSanitizer|LeakSanitizer|runtime error|Segmentation' \
		"$name.out" "$name.err"; then
		problem="${problem:+$problem; }sanitizer or crash report in the output"
	fi
	if [ "$size" -ge "$max_output" ]; then
		problem="${problem:+$problem; }$size bytes of output"
	fi

	if [ -z "$problem" ]; then
		echo "ok $name (exit $status)"
		passed=$((passed + 1))
	else
		echo "FAIL $name: $problem"
		echo "  stderr (first 20 lines):"
		head -n 20 "$name.err" | cut -c 1-300 | sed 's/^/  | /'
		failed=$((failed + 1))
	fi
	rm -f "$name.out" "$name.err"
}

header() {
	printf 'module hostile;\n'
}

# Each case writes its input, then checks it; big inputs come from awk,
# which writes a million tokens in a fraction of a second.

: >empty.idl
check empty "0 1"

printf ' \t\n\r\n   \f\v \n' >whitespace.idl
check whitespace "0 1"

{ header; head -c 1048576 /dev/urandom; } >random.idl
check random "0 1"

{ header; printf 'struct A { u32 x;'; printf '\0'; printf ' u32 y; };\n'; } >nul.idl
check nul "0 1"

{ header; printf '// bad \377\376 \300\200 \355\240\200 \303(\n'; printf 'const u32 X = 1;\n'; } >bad-utf8.idl
check bad-utf8 "0 1"

{ header; printf 'const u32 X = 1;\n/* never closed\nstruct A { u32 x; };\n'; } >open-comment.idl
check open-comment "0 1"

{ header; printf 'import "never closed\nconst u32 X = 1;\n'; } >open-string.idl
check open-string "0 1"

{ header; printf 'struct '; head -c 1048576 /dev/zero | tr '\0' A; printf ' { u32 x; };\n'; } >long-ident.idl
check long-ident "0 1"

{ header; awk 'BEGIN {
	n = 100000
	printf "struct S { "
	for (i = 0; i < n; i++) printf "option<"
	printf "u32"
	for (i = 0; i < n; i++) printf ">"
	printf " x; };\n"
}'; } >deep-generics.idl
check deep-generics "0 1"

{ header; awk 'BEGIN {
	n = 100000
	printf "const u32 X = "
	for (i = 0; i < n; i++) printf "("
	printf "1"
	for (i = 0; i < n; i++) printf ")"
	printf ";\n"
}'; } >deep-parens.idl
check deep-parens "0 1"

{ header; awk 'BEGIN {
	printf "const u32 X = 1"
	for (i = 1; i < 200000; i++) printf "+1"
	printf ";\n"
}'; } >long-sum.idl
check long-sum "0 1"

{ header; awk 'BEGIN {
	printf "enum Big : u32 {\n"
	for (i = 0; i < 100000; i++) printf "    V%d,\n", i
	printf "};\n"
}'; } >big-enum.idl
check big-enum "0"

# struct S0 { S1 x; }; ... struct S4999 { u32 x; };
{ header; awk 'BEGIN {
	n = 5000
	for (i = 0; i < n - 1; i++) printf "struct S%d { S%d x; };\n", i, i + 1
	printf "struct S%d { u32 x; };\n", n - 1
}'; } >deep-structs.idl
check deep-structs "0"

# The same chain, closed: S4999 holds S0 by value.
{ header; awk 'BEGIN {
	n = 5000
	for (i = 0; i < n - 1; i++) printf "struct S%d { S%d x; };\n", i, i + 1
	printf "struct S%d { S0 x; };\n", n - 1
}'; } >struct-cycle.idl
check struct-cycle "1"

{ header; awk 'BEGIN {
	printf "const u64 C0 = 0;\n"
	for (i = 1; i < 10000; i++) printf "const u64 C%d = C%d + 1;\n", i, i - 1
}'; } >const-chain.idl
check const-chain "0"

{ header; awk 'BEGIN {
	for (i = 0; i < 50000; i++)
		printf "struct T%d {\n    u8 a;\n    u32 b;\n    f64 c;\n};\n", i
}'; } >many-structs.idl
check many-structs "0"

{ header; head -c 100000 /dev/zero | tr '\0' '}'; } >closers.idl
check closers "0 1"

{ header; head -c 100000 /dev/zero | tr '\0' '['; } >openers.idl
check openers "0 1"

{ header; printf 'import "no-such-file.idl";\n'; } >missing-import.idl
check missing-import "0 1"

{ header; printf 'import "self-import.idl";\nconst u32 X = 1;\n'; } >self-import.idl
check self-import "0 1"

# 50,000 '*': refused with a diagnostic by every command, not walked
# (each level was two frames of recursion in the type ids: a crash).
{ header; printf 'struct S { u8'; head -c 50000 /dev/zero | tr '\0' '*'; printf ' p; };\n'; } >deep-pointer.idl
header >plain.idl
"$CHITIN" gen --json -o . plain.idl
for c in check layout compat; do
	case $c in
	compat) cmd=(compat hostile.json) ;;
	*) cmd=("$c") ;;
	esac
	check deep-pointer "1"
done
mkdir -p deep-out
cmd=(gen -o deep-out)
check deep-pointer "1"
if [ -z "$(ls deep-out)" ]; then
	echo "ok deep-pointer: gen writes nothing"
	passed=$((passed + 1))
else
	echo "FAIL deep-pointer: gen wrote $(ls deep-out)"
	failed=$((failed + 1))
fi
# 16 levels, the most, inside type arguments: every command succeeds.
{ header; printf 'struct S { u8**************** p; option<u32****************> q; };\n'; } >most-pointers.idl
for c in check layout; do
	cmd=("$c")
	check most-pointers "0"
done
cmd=(gen -o deep-out)
check most-pointers "0"
cmd=(check)

# Memory (issue 12, defect 5): a 10 MB name is refused, and gen writes
# nothing of it; /dev/zero is refused at its first NUL, not read to the
# size limit; a failed allocation is a clean exit 2, not abort().
{ header; printf 'struct '; head -c 10000000 /dev/zero | tr '\0' 'a'; printf ' { u32 x; };\n'; } >long-name.idl
mkdir -p long-out
cmd=(gen -o long-out)
check long-name "1"
if [ -z "$(ls long-out)" ]; then
	echo "ok long-name: gen writes nothing"
	passed=$((passed + 1))
else
	echo "FAIL long-name: gen wrote $(ls long-out)"
	failed=$((failed + 1))
fi
cmd=(check)
check dev-zero "1" /dev/zero
if [ $limit_memory = yes ]; then
	{ header; printf '/* '; head -c 60000000 /dev/zero | tr '\0' 'x'; printf ' */\n'; } >big-comment.idl
	status=0
	(ulimit -v 40000; exec "$CHITIN" check big-comment.idl) >big.out 2>big.err || status=$?
	if [ "$status" = 2 ] && grep -q "out of memory" big.err; then
		echo "ok out-of-memory: exit 2 and says so"
		passed=$((passed + 1))
	else
		echo "FAIL out-of-memory: exit $status"
		head -n 5 big.err | sed 's/^/  | /'
		failed=$((failed + 1))
	fi
	rm -f big-comment.idl big.out big.err
fi

# A file that imports itself, in a directory whose path is longer than
# PATH_MAX, where realpath() fails: found again by device and inode, it
# is a cycle, not an endless load (issue 12, defect 2).
long=$(printf 'd%.0s' $(seq 1 200))
for _ in $(seq 1 25); do
	mkdir "$long"
	cd "$long"
done
printf 'module hostile;\nimport "self.idl";\nconst u32 X = 1;\n' >self.idl
check long-path-self-import "1" self.idl
cd "$work"

echo "run-hostile: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
