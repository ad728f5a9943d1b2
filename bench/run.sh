#!/usr/bin/env bash
# Benchmarks chitin check on generated modules of 1,000, 10,000 and 100,000
# declarations and prints a table.  Builds nothing: `make bench` builds the
# programs and runs this with their paths in
#   CHITIN    the compiler
#   GENIDL    bench/genidl, which writes a module of N declarations
#   BENCHRUN  bench/benchrun, which times a command
# Fails if chitin does not accept a generated module.
set -euo pipefail

: "${CHITIN:?set CHITIN to the chitin binary}"
: "${GENIDL:?set GENIDL to bench/genidl}"
: "${BENCHRUN:?set BENCHRUN to bench/benchrun}"

# Paths made absolute, since the runs happen in a temporary directory; a
# bare name stays one, to be found on PATH.
absolute() {
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*/*) printf '%s/%s\n' "$PWD" "$1" ;;
	*) printf '%s\n' "$1" ;;
	esac
}
CHITIN=$(absolute "$CHITIN")
GENIDL=$(absolute "$GENIDL")
BENCHRUN=$(absolute "$BENCHRUN")

work=$(mktemp -d "${TMPDIR:-/tmp}/chitin-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

sizes=${BENCH_SIZES:-1000 10000 100000}
status=0
# Each command is timed on each size; MB/s is input bytes per second.
commands=("check" "layout --target all --json" "gen --json -o out")
mkdir -p out
printf '%-36s %8s %12s %9s %9s %14s %5s\n' command decls bytes "best s" "MB/s" "peak RSS MiB" exit
for n in $sizes; do
	file=bench-$n.idl
	"$GENIDL" "$n" >"$file"
	# Before timing: a rejected module is a broken benchmark, and its
	# diagnostics say why.
	if ! "$CHITIN" check "$file" >/dev/null 2>check.err; then
		echo "bench: chitin check rejects the generated $file:" >&2
		head -n 20 check.err >&2
		status=1
		continue
	fi
	for cmd in "${commands[@]}"; do
		# shellcheck disable=SC2086 # the command's words split on purpose
		line=$("$BENCHRUN" "$file" -- "$CHITIN" $cmd "$file") || status=1
		# "FILE: SIZE bytes, BEST s, THROUGHPUT MB/s, peak RSS N MiB, exit S"
		read -r _ bytes _ best _ rate _ _ _ rss _ _ code <<<"${line//,/}"
		printf '%-36s %8s %12s %9s %9s %14s %5s\n' "chitin $cmd" "$n" "$bytes" "$best" "$rate" "$rss" "$code"
		[ "$code" = 0 ] || status=1
	done
done
exit "$status"
