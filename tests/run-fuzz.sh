#!/usr/bin/env bash
# Each fuzz target, briefly, through the deterministic driver
# tests/fuzz_run.c, on the seeds tests/fuzz-seeds.sh makes from the
# project's test inputs: each seed as it is, cut short, and changed in a
# fixed pseudo-random way; then the C of every seed chitin accepts is
# compiled (tests/fuzz-compile.sh).  make fuzz runs the same targets
# under libFuzzer for as long as it is given.
set -euo pipefail

: "${CHITIN:?set CHITIN to the chitin binary}"
: "${FUZZ_FRONTEND:?set FUZZ_FRONTEND to tests/fuzz_frontend}"
: "${FUZZ_DESCRIPTOR:?set FUZZ_DESCRIPTOR to tests/fuzz_descriptor}"
: "${FUZZ_COMPARE:?set FUZZ_COMPARE to tests/fuzz_compare}"
: "${FUZZ_LOADER:?set FUZZ_LOADER to tests/fuzz_loader}"
: "${FUZZ_OBJFILE:?set FUZZ_OBJFILE to tests/fuzz_objfile}"
src=$(cd "${srcdir:-.}" && pwd)
me=run-fuzz
. "$src/tests/lib.sh"
lib_work
time_limit=900

CC=${CC:-cc} srcdir=$src bash "$src/tests/fuzz-seeds.sh" "$work/seeds" >"$work/seeds.log" 2>&1 ||
	{ show "$work/seeds.log"; exit 99; }
cat "$work/seeds.log"

# fuzz NAME BINARY MUTANTS SEEDS_DIR
fuzz() {
	local seeds=("$4"/*)
	if [ ! -e "${seeds[0]}" ]; then
		bad "$1: no seeds in $4"
		return
	fi
	if run_limited "$2" -n "$3" "${seeds[@]}" >"$work/$1.log" 2>&1; then
		ok "$1 on ${#seeds[@]} seeds, each cut short and changed $3 ways"
	else
		bad "$1 on the seeds of $4"
		tail -n 20 "$work/$1.log" | sed 's/^/  | /'
	fi
}

fuzz fuzz_frontend "$FUZZ_FRONTEND" 10 "$work/seeds/frontend"
fuzz fuzz_descriptor "$FUZZ_DESCRIPTOR" 300 "$work/seeds/descriptor"
fuzz fuzz_compare "$FUZZ_COMPARE" 300 "$work/seeds/pair"
fuzz fuzz_loader "$FUZZ_LOADER" 100 "$work/seeds/pair"
fuzz fuzz_objfile "$FUZZ_OBJFILE" 100 "$work/seeds/objfile"

if FUZZ_FRONTEND=$FUZZ_FRONTEND srcdir=$src run_limited bash "$src/tests/fuzz-compile.sh" \
	"$work/seeds/frontend" >"$work/compile.log" 2>&1; then
	ok "$(tail -n 1 "$work/compile.log" | sed 's/^fuzz-compile: //')"
else
	bad "the C of the accepted seeds compiles"
	tail -n 40 "$work/compile.log" | sed 's/^/  | /'
fi

lib_summary
