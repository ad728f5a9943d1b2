#!/bin/bash
# make fuzz: builds each fuzz target with libFuzzer, ASan and UBSan and
# runs it for FUZZ_TIME seconds on its corpus (kept in FUZZ_DIR between
# runs) and the seeds tests/fuzz-seeds.sh makes, FUZZ_JOBS targets at a
# time.  Then every input of fuzz_frontend's corpus that chitin accepts
# has its C header and descriptor source compiled (tests/fuzz-compile.sh).
# Prints, for each target, its executions, coverage and corpus, and the
# inputs it found failing, which are kept as FUZZ_DIR/NAME-crash-*.
#
#   make fuzz [FUZZ_TIME=SECONDS] [FUZZ_JOBS=N] [FUZZ_TARGETS="frontend ..."]
#
# Skips (exit 0, saying so) when FUZZ_CC (default clang) cannot build a
# libFuzzer target.  Exit status 1 when a target found a failing input.
set -u
: "${srcdir:=.}" "${top_builddir:=.}"
: "${CHITIN:?set CHITIN to the chitin binary}"
: "${FUZZ_CC:=clang}" "${FUZZ_TIME:=60}" "${FUZZ_JOBS:=1}" "${FUZZ_DIR:=fuzz}"
: "${FUZZ_TARGETS:=frontend descriptor compare loader objfile}"
export CHITIN srcdir

mkdir -p "$FUZZ_DIR/bin" || exit 2
probe=$FUZZ_DIR/bin/probe
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' \
	>"$probe.c"
if ! "$FUZZ_CC" -fsanitize=fuzzer "$probe.c" -o "$probe" 2>/dev/null; then
	echo "fuzz: skipped: $FUZZ_CC cannot build a libFuzzer target (-fsanitize=fuzzer)"
	exit 0
fi

# The sources each target is built from: the compiler's (its generated
# scanner and parser from the build tree, else the source tree's), the
# runtime's common part, the hosted runtime.
generated() {
	if [ -f "$top_builddir/compiler/$1" ]; then echo "$top_builddir/compiler/$1"; else echo "$srcdir/compiler/$1"; fi
}
compiler=()
for f in "$srcdir"/compiler/*.c "$srcdir"/backends/*.c; do
	case ${f##*/} in driver.c | lexer.c | parser.c) continue ;; esac
	compiler+=("$f")
done
compiler+=("$(generated lexer.c)" "$(generated parser.c)")
common=("$srcdir/runtime/src/sha1.c" "$srcdir/runtime/src/descriptor.c" "$srcdir/runtime/src/compare.c")
hosted=("$srcdir/runtime/src/runtime.c" "$srcdir/runtime/src/loader.c")

flags=(-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
	-I"$top_builddir" -I"$srcdir" -I"$srcdir/compiler" -I"$top_builddir/compiler"
	-I"$srcdir/runtime/include")

build() {
	local name=$1
	shift
	echo "fuzz: building fuzz_$name"
	"$FUZZ_CC" "${flags[@]}" "$srcdir/tests/fuzz_$name.c" "$@" -o "$FUZZ_DIR/bin/fuzz_$name" -ldl \
		>"$FUZZ_DIR/build-$name.log" 2>&1 || { cat "$FUZZ_DIR/build-$name.log"; return 1; }
}

seeds=$FUZZ_DIR/seeds
rm -rf "$seeds"
CC=${CC:-cc} bash "$srcdir/tests/fuzz-seeds.sh" "$seeds" || exit 2

status=0
running=0
for name in $FUZZ_TARGETS; do
	case $name in
	frontend) build frontend "$srcdir/tests/desc_equal.c" "${compiler[@]}" "${common[@]}" ;;
	descriptor) build descriptor "${common[@]}" ;;
	compare) build compare "$srcdir/tests/desc_equal.c" "${common[@]}" ;;
	loader) build loader "${hosted[@]}" "${common[@]}" ;;
	objfile) build objfile "${compiler[@]}" "${common[@]}" ;;
	*) echo "fuzz: no target '$name'"; exit 2 ;;
	esac || exit 2
done

# seeds_of NAME: the seed directory a target starts from
seeds_of() {
	case $1 in
	frontend | descriptor | objfile) echo "$seeds/$1" ;;
	compare | loader) echo "$seeds/pair" ;;
	esac
}

run() {
	local name=$1 corpus=$FUZZ_DIR/corpus/$1 extra=()
	mkdir -p "$corpus"
	[ "$name" != frontend ] || extra=(-dict="$srcdir/tests/fuzz-idl.dict" -max_len=16384)
	"$FUZZ_DIR/bin/fuzz_$name" -max_total_time="$FUZZ_TIME" -timeout=60 -rss_limit_mb=4096 \
		-print_final_stats=1 -artifact_prefix="$FUZZ_DIR/$name-" "${extra[@]}" \
		"$corpus" "$(seeds_of "$name")" >"$FUZZ_DIR/$name.log" 2>&1
}

echo "fuzz: running $FUZZ_TARGETS for $FUZZ_TIME s each, $FUZZ_JOBS at a time"
for name in $FUZZ_TARGETS; do
	while [ "$(jobs -rp | wc -l)" -ge "$FUZZ_JOBS" ]; do wait -n; done
	run "$name" &
done
wait

for name in $FUZZ_TARGETS; do
	log=$FUZZ_DIR/$name.log
	execs=$(sed -n "s/^stat::number_of_executed_units: *//p" "$log")
	rss=$(sed -n "s/^stat::peak_rss_mb: *//p" "$log")
	last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | sed 's/^#[0-9]*[[:space:]]*[A-Z]*[[:space:]]*//')
	found=$(ls "$FUZZ_DIR/$name"-* 2>/dev/null | wc -l)
	echo "fuzz: $name: ${execs:-?} executions, ${rss:-?} MB peak; $last; $found failing inputs"
	if [ "$found" -gt 0 ] || grep -q '^==[0-9]*==ERROR\|^SUMMARY: \(Address\|Undefined\|Leak\)' "$log"; then
		grep -m 5 -E 'ERROR|SUMMARY|abort|Assertion|runtime error' "$log" | sed 's/^/fuzz:   /'
		status=1
	fi
done

# The slower check, on the final corpus: accepted inputs' C compiles.
case " $FUZZ_TARGETS " in
*" frontend "*)
	FUZZ_FRONTEND="$FUZZ_DIR/bin/fuzz_frontend" bash "$srcdir/tests/fuzz-compile.sh" \
		"$FUZZ_DIR/corpus/frontend" || status=1
	;;
esac
exit $status
