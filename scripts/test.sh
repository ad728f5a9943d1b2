#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, then
#   1. make check in the source tree;
#   2. make install into a staging directory, and a host and a plugin built
#      against it with pkg-config alone (tests/install-check.sh);
#   3. make check in a sanitizer build (ASan + UBSan) under build-asan/;
#   4. make distcheck.
# Every step runs even when an earlier one failed, so one run shows all that
# is wrong; the exit status is non-zero if anything failed.
#
# The last line is "N passed, N failed": the test results of steps 1 and 2,
# from their test-suite.log files, plus one failure for each step that
# failed without a failed test to show for it (a build error, distcheck).
# Before it, every part of a test that was skipped, and why: each test
# prints "skip WHAT: why" (or "NAME: skipped: why") for what it cannot run
# here, and a test skipped whole is named too.
#
# scripts/deps.sh installs what the tests need from Debian, Debian's rustc
# 1.63 and cargo among it: the Rust tests build with each rustc there is,
# 1.63 and the one on PATH (tests/lib.sh, lib_rustcs).
#
# The sanitizer build cannot configure from the source tree itself once the
# tree is configured in place (automake refuses), so it builds a pristine
# copy made by `make distdir` in build-asan/src, in build-asan/obj.  It is
# incremental; rm -rf build-asan starts it afresh.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD

passed=0
failed=0
suite_failures=0
failed_steps=()

say() {
	printf '\n=== %s\n' "$*"
}

# count_suite LOG: adds the counts of an automake test-suite.log to the
# totals; sets suite_failures to the number of failures it records.
count_suite() {
	local log=$1 p
	suite_failures=0
	[ -f "$log" ] || return 0
	p=$(awk '/^# PASS:/ { n += $3 } END { print n + 0 }' "$log")
	suite_failures=$(awk '/^# (FAIL|XPASS|ERROR):/ { n += $3 } END { print n + 0 }' "$log")
	passed=$((passed + p))
	failed=$((failed + suite_failures))
}

# show_failed_logs DIR: prints the log of each test under DIR whose .trs
# records a failure.
show_failed_logs() {
	local trs log
	while IFS= read -r trs; do
		if grep -qE '^:test-result: (FAIL|ERROR|XPASS)' "$trs"; then
			log=${trs%.trs}.log
			say "failed: $log"
			cat "$log" 2>/dev/null || echo "(no $log)"
		fi
	done < <(find "$1" \( -name build-asan -o -name _build -o -name 'chitin-*' \) -prune \
		-o -name '*.trs' -print | sort)
}

# collect_skips DIR LABEL: adds to skips each skip line of the test logs
# under DIR, and each test skipped whole, prefixed with LABEL and the test.
skips=()
collect_skips() {
	local dir=$1 label=$2 trs log name line
	while IFS= read -r trs; do
		log=${trs%.trs}.log
		name=${trs#"$dir"/}
		name=${name%.trs}
		if grep -qE '^:test-result: SKIP' "$trs"; then
			# its reason: its skip line, else the last line it printed
			line=$(grep -m 1 -E '^skip |^[A-Za-z0-9_.-]+: skipped' "$log" 2>/dev/null) ||
				line=$(grep -v '^$' "$log" 2>/dev/null | tail -n 1) || line=
			skips+=("$label$name: skipped whole: $line")
			continue
		fi
		[ -f "$log" ] || continue
		while IFS= read -r line; do
			skips+=("$label$name: $line")
		done < <(grep -E '^skip |^[A-Za-z0-9_.-]+: skipped' "$log" || true)
	done < <(find "$dir" \( -name build-asan -o -name _build -o -name 'chitin-*' \) -prune \
		-o -name '*.trs' -print | sort)
}

# The rustc each Rust test builds with (lib_rustcs), with its version; in
# a shell of its own, since tests/lib.sh has counters of its own.
rust_toolchains() {
	# shellcheck disable=SC2016 # expanded by that shell
	bash -c 'me=test.sh; . tests/lib.sh; lib_rustcs
		[ ${#rustcs[@]} -gt 0 ] || echo " no rustc"
		for rc in ${rustcs[@]+"${rustcs[@]}"}; do
			printf " %s (%s)" "$rc" "$("$rc" --version | cut -d" " -f2)"
		done'
}

# step_failed NAME FAILURES: records a failed step; it counts as one failure
# unless failed tests already account for it.
step_failed() {
	failed_steps+=("$1")
	if [ "$2" -eq 0 ]; then
		failed=$((failed + 1))
	fi
}

finish() {
	local step skip
	echo
	if [ ${#skips[@]} -gt 0 ]; then
		echo "test: skipped here (${#skips[@]}):"
		for skip in "${skips[@]}"; do
			echo "  $skip"
		done
	else
		echo "test: nothing was skipped"
	fi
	if [ ${#failed_steps[@]} -gt 0 ]; then
		for step in "${failed_steps[@]}"; do
			echo "test: FAILED: $step"
		done
	else
		echo "test: all steps passed"
	fi
	echo "$passed passed, $failed failed"
	if [ ${#failed_steps[@]} -gt 0 ] || [ "$failed" -gt 0 ]; then
		exit 1
	fi
	exit 0
}

# The first compiler that builds and runs a program with ASan and UBSan.
sanitizer_cc() {
	local cc dir
	dir=$(mktemp -d "${TMPDIR:-/tmp}/chitin-probe.XXXXXX")
	printf 'int main(void) { return 0; }\n' >"$dir/probe.c"
	for cc in clang gcc; do
		command -v "$cc" >/dev/null 2>&1 || continue
		if "$cc" -fsanitize=address,undefined -o "$dir/probe" "$dir/probe.c" \
			>/dev/null 2>&1 &&
			ASAN_OPTIONS=detect_leaks=0 "$dir/probe" >/dev/null 2>&1; then
			rm -rf "$dir"
			echo "$cc"
			return 0
		fi
	done
	rm -rf "$dir"
	return 1
}

# Whether LeakSanitizer works here (it does not under ptrace or in some
# containers): 1 or 0, for ASAN_OPTIONS=detect_leaks.
leaks_supported() {
	local cc=$1 dir answer=0
	dir=$(mktemp -d "${TMPDIR:-/tmp}/chitin-probe.XXXXXX")
	printf 'int main(void) { return 0; }\n' >"$dir/probe.c"
	if "$cc" -fsanitize=address -o "$dir/probe" "$dir/probe.c" >/dev/null 2>&1 &&
		ASAN_OPTIONS=detect_leaks=1 "$dir/probe" >/dev/null 2>"$dir/err" &&
		! grep -q Sanitizer "$dir/err"; then
		answer=1
	fi
	rm -rf "$dir"
	echo "$answer"
}

say "build"
# Warnings are errors here: the tree must build clean under gcc (this
# build) and clang (the sanitizer build).
if ! bash scripts/build.sh --enable-werror; then
	step_failed "build (scripts/build.sh)" 0
	finish
fi

say "make check"
echo "test: the Rust tests build with:$(rust_toolchains)"
rm -f test-suite.log
if make -j2 check; then
	count_suite test-suite.log
else
	show_failed_logs .
	count_suite test-suite.log
	step_failed "make check" "$suite_failures"
fi
collect_skips . ""

say "make install, and a host and plugin built with pkg-config alone"
if bash tests/install-check.sh; then
	passed=$((passed + 1))
else
	step_failed "install check (tests/install-check.sh)" 0
fi

say "make check with ASan and UBSan (build-asan/)"
asan_ok=yes
if ! cc=$(sanitizer_cc); then
	echo "test: neither clang nor gcc can link -fsanitize=address,undefined" >&2
	step_failed "sanitizer build: no compiler with sanitizers" 0
	asan_ok=no
fi
if [ $asan_ok = yes ]; then
	mkdir -p build-asan/obj
	if ! make distdir distdir="$root/build-asan/src" >/dev/null; then
		step_failed "sanitizer build: make distdir" 0
		asan_ok=no
	fi
fi
if [ $asan_ok = yes ]; then
	leaks=$(leaks_supported "$cc")
	if [ "$leaks" != 1 ]; then
		echo "test: LeakSanitizer does not work here; leaks go unchecked"
		skips+=("build-asan: leak checks: LeakSanitizer does not work here")
	fi
	# allocator_may_return_null: a huge allocation fails as malloc does
	# without ASan, so the compiler's own out-of-memory path is what runs.
	asan_options="detect_leaks=$leaks:allocator_may_return_null=1"
	ubsan_options="print_stacktrace=1:halt_on_error=1"
	rm -f build-asan/obj/test-suite.log
	if (
		cd build-asan/obj
		if [ ! -f Makefile ] || [ "$(cat cc.stamp 2>/dev/null)" != "$cc" ]; then
			echo "test: ../src/configure --enable-sanitizers CC=$cc"
			../src/configure --enable-sanitizers --enable-werror CC="$cc" >configure.out ||
				{ cat configure.out; exit 1; }
			echo "$cc" >cc.stamp
		fi
		ASAN_OPTIONS=$asan_options UBSAN_OPTIONS=$ubsan_options make -j2 check
	); then
		count_suite build-asan/obj/test-suite.log
	else
		show_failed_logs build-asan/obj
		count_suite build-asan/obj/test-suite.log
		step_failed "make check with sanitizers (build-asan/obj)" "$suite_failures"
	fi
	collect_skips build-asan/obj "build-asan: "
fi

say "make distcheck"
# VERBOSE=yes: the tree distcheck builds in is gone afterwards, so failed
# test logs are printed as they happen.
if ! make -j2 distcheck VERBOSE=yes; then
	step_failed "make distcheck" 0
fi

finish
