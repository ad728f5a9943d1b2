#!/usr/bin/env bash
# chitin gen and chitin compat from the command line: outputs are written
# whole, left alone when unchanged, the same whatever the order of the
# inputs; --verify writes nothing; -MD names every input, -MP each imported
# one; a broken input writes nothing; compat accepts compatible growth and
# names each break.
set -euo pipefail

: "${CHITIN:?set CHITIN to the chitin binary}"
src=${srcdir:-.}
samples=$src/tests/cgen/audio
compat=$src/tests/compat

me=run-gen
. "$src/tests/lib.sh"
lib_work

mkdir -p "$work/a" "$work/b"
"$CHITIN" gen -o "$work/a" "$samples/audio.idl"
check "gen writes MODULE.json" test -s "$work/a/audio.json"
check "gen writes MODULE.h" test -s "$work/a/audio.h"
check "gen writes only the named module" test ! -e "$work/a/dsp.json"

inode=$(stat -c %i "$work/a/audio.json")
"$CHITIN" gen -o "$work/a" "$samples/audio.json.none" 2>/dev/null && bad "a missing input fails" || ok "a missing input fails"
"$CHITIN" gen -o "$work/a" "$samples/audio.idl"
check "an unchanged output is not rewritten" test "$(stat -c %i "$work/a/audio.json")" = "$inode"

"$CHITIN" gen --json -o "$work/b" "$samples/dsp/common.idl" "$samples/audio.idl"
"$CHITIN" gen --json -o "$work/a" "$samples/audio.idl" "$samples/dsp/common.idl"
check "outputs do not depend on the order of inputs" cmp -s "$work/a/audio.json" "$work/b/audio.json"
check "both named modules are written" test -s "$work/b/dsp.json"

check "--verify passes when up to date" "$CHITIN" gen --verify -o "$work/a" "$samples/audio.idl"
echo stale >"$work/a/audio.json"
if "$CHITIN" gen --verify -o "$work/a" "$samples/audio.idl" 2>"$work/verify.err"; then
	bad "--verify fails on a stale output"
else
	ok "--verify fails on a stale output"
fi
check "--verify writes nothing" test "$(cat "$work/a/audio.json")" = stale
check "--verify names the stale file" grep -q "audio.json" "$work/verify.err"

"$CHITIN" gen -o "$work/a" -MD -MF "$work/audio.d" "$samples/audio.idl"
check "-MD names the outputs" grep -q "^$work/a/audio.h $work/a/audio.json $work/a/audio.rs $work/a/audio_desc.c:" "$work/audio.d"
check "-MD names the imported file" grep -q "dsp/common.idl" "$work/audio.d"

# Names make would read otherwise: a space splits a path, '$(...)' runs a
# command, '#' starts a comment. Escaped as GCC escapes them, a real make
# reads the rule back: the output is up to date, out of date once the
# imported file changes, and nothing runs.
if command -v make >/dev/null 2>&1; then
	mk=$work/make
	mkdir -p "$mk/out dir"
	printf 'module inc;\nstruct P { u32 x; };\n' >"$mk/x\$(shell touch PWNED)#1.idl"
	printf 'module m;\nimport "x$(shell touch PWNED)#1.idl";\nstruct Q { inc.P p; };\n' >"$mk/a b.idl"
	(cd "$mk" && "$CHITIN" gen --c -MD -MF deps.d -o "out dir" "a b.idl")
	printf 'out\\ dir/m.h:\n\t@echo rebuilt\ninclude deps.d\n' >"$mk/Makefile"
	check "-MD: make reads the escaped rule, and the output is up to date" make -s -q -C "$mk" "out dir/m.h"
	touch -d '+1 hour' "$mk/x\$(shell touch PWNED)#1.idl"
	if make -s -q -C "$mk" "out dir/m.h"; then
		bad "-MD: the output is out of date once the imported file changes"
	else
		ok "-MD: the output is out of date once the imported file changes"
	fi
	check "-MD: no file name runs a command in make" test ! -e "$mk/PWNED"

	# -MP: a rule without prerequisites for each imported file, so that a
	# make including the rule goes on when one is gone and remakes the
	# output; without -MP it stops there.
	mp=$work/mp
	mkdir -p "$mp"
	printf 'module inc;\nstruct P { u32 x; };\n' >"$mp/inc.idl"
	printf 'module m;\nimport "inc.idl";\nstruct Q { inc.P p; };\n' >"$mp/m.idl"
	(cd "$mp" && "$CHITIN" gen --c -MD -MP -MF mp.d m.idl && "$CHITIN" gen --c -MD -MF md.d m.idl)
	check "-MP: a rule for the imported file" grep -qx 'inc.idl:' "$mp/mp.d"
	check "-MP: none for the file named on the command line" test "$(grep -c '^m.idl:' "$mp/mp.d")" = 0
	printf 'm.h:\n\t@echo rebuilt\ninclude $(DEPS)\n' >"$mp/Makefile"
	rm "$mp/inc.idl"
	if make -s -C "$mp" DEPS=mp.d >"$mp/out" 2>&1 && grep -qx rebuilt "$mp/out"; then
		ok "-MP: make remakes the output once the imported file is gone"
	else
		bad "-MP: make remakes the output once the imported file is gone"
		show "$mp/out"
	fi
	if make -s -C "$mp" DEPS=md.d >"$mp/out" 2>&1; then
		bad "-MD without -MP: make stops at the imported file that is gone"
	else
		ok "-MD without -MP: make stops at the imported file that is gone"
	fi
else
	echo "skip -MD with make: no make"
fi

# A failed write of standard output is exit 2 (issue 12, defect 4): an
# output larger than stdio's buffer, whose first writes fail and later
# flush succeeds, to a full device and to a closed stdout; the help and
# the version too. A closed stdout nothing is written to is no error.
kinds=$src/tests/cgen/kinds/ku.idl
check "layout's output is larger than stdio's buffer" test "$("$CHITIN" layout --target all "$kinds" | wc -c)" -gt 16384
for how in full closed; do
	status=0
	case $how in
	full) "$CHITIN" layout --target all "$kinds" >/dev/full 2>"$work/full.err" || status=$? ;;
	closed) "$CHITIN" layout --target all "$kinds" >&- 2>"$work/full.err" || status=$? ;;
	esac
	if [ "$status" = 2 ] && grep -q "cannot write the standard output" "$work/full.err"; then
		ok "layout to a $how stdout exits 2 and says why"
	else
		bad "layout to a $how stdout exits 2 and says why (exit $status)"
	fi
done
for args in --help --version "targets"; do
	status=0
	# shellcheck disable=SC2086
	"$CHITIN" $args >/dev/full 2>/dev/null || status=$?
	check "chitin $args to a full device exits 2" test "$status" = 2
done
check "check with stdout closed, writing nothing, exits 0" sh -c '"$0" check "$1" >&-' "$CHITIN" "$kinds"

status=0
"$CHITIN" gen -o"$work/x" -o"$work/y" "$samples/audio.idl" 2>"$work/twice.err" || status=$?
if [ "$status" = 2 ] && grep -q "option '-o' is given twice" "$work/twice.err" && [ ! -e "$work/x" ]; then
	ok "-ofoo -obar: -o given twice is a usage error"
else
	bad "-ofoo -obar: -o given twice is a usage error (exit $status)"
fi

mkdir -p "$work/c"
printf 'module broken;\nstruct S { nope x; };\n' >"$work/broken.idl"
if "$CHITIN" gen -o "$work/c" "$work/broken.idl" 2>/dev/null; then
	bad "a broken input fails"
else
	ok "a broken input fails"
fi
check "a broken input writes nothing" test -z "$(ls -A "$work/c")"

# An output set is replaced whole or not at all (issue 12, defect 6): one
# output that cannot be written (its path is a directory) leaves every
# other output as it was, and no temporary behind.
mkdir -p "$work/set/audio.json"
echo old >"$work/set/audio.h"
status=0
"$CHITIN" gen -o "$work/set" "$samples/audio.idl" 2>"$work/set.err" || status=$?
check "an output that cannot be written fails the run" test "$status" = 2
check "and the others keep their old content" test "$(cat "$work/set/audio.h")" = old
check "and are not made either" test ! -e "$work/set/audio.rs"
check "and it leaves no temporary" test -z "$(find "$work/set" -name '*.tmp.*')"

# SIGTERM and SIGINT during a large gen remove its temporaries: whenever
# the signal arrives, nothing named *.tmp.* is left.
awk 'BEGIN { print "module big;"; for (i = 0; i < 20000; i++) printf "struct T%d { u8 a; u32 b; f64 c; };\n", i }' >"$work/big.idl"
for sig in TERM INT; do
	mkdir -p "$work/sig$sig"
	"$CHITIN" gen -o "$work/sig$sig" "$work/big.idl" 2>/dev/null &
	pid=$!
	sleep 0.3
	kill -"$sig" "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	check "SIG$sig during gen leaves no temporary" test -z "$(find "$work/sig$sig" -name '*.tmp.*')"
done

check "no temporary file is left behind" test -z "$(find "$work" -name '*.tmp.*')"

# compat: the descriptor of 1.0, then two candidate 1.1s.
"$CHITIN" gen -o "$work" "$compat/v1.idl"
check "compat accepts compatible growth" "$CHITIN" compat "$work/demo.json" "$compat/v1_1-compatible.idl"
check "compat accepts the same version" "$CHITIN" compat "$work/demo.json" "$compat/v1.idl"
set +e
"$CHITIN" compat "$work/demo.json" "$compat/v1_1-breaking.idl" >"$work/compat.out" 2>"$work/compat.err"
status=$?
set -e
check "compat refuses breaks (exit 1)" test "$status" = 1
for what in "type 'demo.Point': field 'y'" "'Circle'" "method 'count'" "export 'demo.make_canvas'"; do
	check "compat names $what" grep -qF "$what" "$work/compat.err"
done
# Each kind of break, refused with its reason.
while IFS='|' read -r file reason; do
	set +e
	"$CHITIN" compat "$work/demo.json" "$compat/$file" >/dev/null 2>"$work/break.err"
	status=$?
	set -e
	if [ "$status" = 1 ] && grep -qF "$reason" "$work/break.err"; then
		ok "compat refuses $file: $reason"
	else
		bad "compat refuses $file: $reason"
		cat "$work/break.err"
	fi
done <<'PAIRS'
v1_1-slot-not-since.idl|method 'clear' (slot 2) is missing in the host, and not [since] in the plugin
v1_1-resilient-field-type.idl|type 'demo.Options': field 'flags' has type hash
v1_1-enum-value-moved.idl|type 'demo.Mode': value 'Slow' is 2 in the host, 3 in the plugin
v1_1-enum-value-moved.idl|export 'demo.make_canvas': signature hash
v2-major.idl|module 'demo': major version is 1 in the host, 2 in the plugin
v1_1-breaking.idl|variant 'Circle' has tag 1 in the host, 5 in the plugin
PAIRS

# An imported module's types are checked by its own descriptor, not by
# its importers' (doc/descriptor.md 11, "Imported modules"): scene has
# geo.Point by its type hash alone, which holds no names, so geo 1.1's
# swap of Point's two i32 fields passes compat on scene, by design, and
# compat on geo refuses it; a change of Point's layout does reach scene.
imported=$compat/imported
mkdir -p "$work/imported"
"$CHITIN" gen --json -o "$work/imported" -I "$imported/geo-1.0" "$imported/geo-1.0/geo.idl" \
	"$imported/scene.idl"
check "compat on scene passes geo 1.1's swapped fields, which its descriptor cannot see" \
	"$CHITIN" compat -I "$imported/geo-1.1" "$work/imported/scene.json" "$imported/scene.idl"
status=0
"$CHITIN" compat "$work/imported/geo.json" "$imported/geo-1.1/geo.idl" >/dev/null 2>"$work/geo.err" ||
	status=$?
if [ "$status" = 1 ] &&
	grep -qF "type 'geo.Point': field 'x' is at offset 0 in the host, 4 in the plugin" "$work/geo.err" &&
	grep -qF "type 'geo.Point': field 'y' is at offset 4 in the host, 0 in the plugin" "$work/geo.err"; then
	ok "compat on geo refuses 1.1's swapped fields, naming their offsets"
else
	bad "compat on geo refuses 1.1's swapped fields, naming their offsets (exit $status)"
	show "$work/geo.err"
fi
status=0
"$CHITIN" compat -I "$imported/geo-1.1-wide" "$work/imported/scene.json" "$imported/scene.idl" \
	>/dev/null 2>"$work/scene.err" || status=$?
if [ "$status" = 1 ] && grep -qF "type 'scene.Sprite': field 'at' has type hash" "$work/scene.err"; then
	ok "compat on scene refuses a geo.Point laid out otherwise, through Sprite.at's type hash"
else
	bad "compat on scene refuses a geo.Point laid out otherwise, through Sprite.at's type hash (exit $status)"
	show "$work/scene.err"
fi

# A baseline in format 1, as chitin wrote it before format 2, is read the
# same: every version gets the very report the format-2 baseline gives.
check "gen --json writes format 2" grep -q '"format": 2' "$work/demo.json"
check "the format-1 baseline is format 1" grep -q '"format": 1' "$compat/v1.format1.json"
for file in v1.idl v1_1-compatible.idl v1_1-breaking.idl v1_1-slot-not-since.idl \
	v1_1-resilient-field-type.idl v1_1-enum-value-moved.idl v2-major.idl; do
	s1=0
	s2=0
	"$CHITIN" compat "$compat/v1.format1.json" "$compat/$file" >"$work/f1.out" 2>"$work/f1.err" || s1=$?
	"$CHITIN" compat "$work/demo.json" "$compat/$file" >"$work/f2.out" 2>"$work/f2.err" || s2=$?
	sed -i "s|$compat/v1.format1.json|OLD|; s|$work/demo.json|OLD|" "$work/f1.out" "$work/f1.err" \
		"$work/f2.out" "$work/f2.err"
	if [ "$s1" = "$s2" ] && cmp -s "$work/f1.err" "$work/f2.err" && cmp -s "$work/f1.out" "$work/f2.out"; then
		ok "compat with a format-1 baseline: $file as with format 2 (exit $s1)"
	else
		bad "compat with a format-1 baseline: $file (exit $s1, format 2: $s2)"
		diff "$work/f1.err" "$work/f2.err" | head -n 10
	fi
done
printf '{"format": 3, "module": "demo"}' >"$work/format3.json"
status=0
"$CHITIN" compat "$work/format3.json" "$compat/v1.idl" 2>"$work/format3.err" || status=$?
check "compat refuses an unknown format (exit 1)" test "$status" = 1
check "compat names the format it cannot read" grep -q "format: 3 is not a format this chitin reads" "$work/format3.err"

printf '{"format": 1' >"$work/truncated.json"
set +e
"$CHITIN" compat "$work/truncated.json" "$compat/v1.idl" 2>"$work/trunc.err"
status=$?
set -e
check "compat rejects a broken descriptor (exit 1)" test "$status" = 1
check "compat says why the descriptor is broken" grep -q "not a JSON descriptor" "$work/trunc.err"

# -o DIR makes DIR and its parents; a path that cannot be a directory is
# one error naming it, and nothing is written
"$CHITIN" gen -o "$work/new/deeper/out" "$samples/audio.idl"
check "gen -o makes the directory and its parents" test -s "$work/new/deeper/out/audio.h"
"$CHITIN" gen --verify -o "$work/never/made" "$samples/audio.idl" >/dev/null 2>&1 || true
check "gen --verify -o makes no directory" test ! -e "$work/never"
: >"$work/plainfile"
status=0
"$CHITIN" gen -o "$work/plainfile/sub" "$samples/audio.idl" 2>"$work/notdir.err" || status=$?
check "gen -o under a regular file fails (exit 2)" test "$status" = 2
check "the error names the directory and why" \
	grep -q "cannot make directory '$work/plainfile/sub': '$work/plainfile' is not a directory" "$work/notdir.err"
check "the error is given once" test "$(grep -c error "$work/notdir.err")" = 1
mkdir -p "$work/locked"
chmod 555 "$work/locked"
if [ "$(id -u)" != 0 ]; then
	status=0
	"$CHITIN" gen -o "$work/locked" "$samples/audio.idl" 2>"$work/locked.err" || status=$?
	check "gen into a read-only directory fails (exit 2)" test "$status" = 2
	check "a file that cannot be written is reported once" test "$(grep -c "cannot write" "$work/locked.err")" = 1
fi
chmod 755 "$work/locked"

# One output open at a time: 40 modules, written twice (the second time
# each output is compared with the file there), under a limit of 24 open
# files.
mkdir -p "$work/many" "$work/many-out"
for i in $(seq 1 40); do
	printf '[version(1.0)]\nmodule m%s;\nstruct S { u32 x; };\n' "$i" >"$work/many/m$i.idl"
done
check "gen writes many modules with few file descriptors" \
	sh -c 'ulimit -n 24 && "$1" gen -o "$2" "$3"/*.idl && "$1" gen -o "$2" "$3"/*.idl' \
	sh "$CHITIN" "$work/many-out" "$work/many"
check "every module's outputs are there" test "$(ls "$work/many-out" | wc -l)" = 160

# chitin targets: the table the test scripts read, four fields a line
"$CHITIN" targets >"$work/targets.txt"
check "targets lists ten targets" test "$(wc -l <"$work/targets.txt")" = 10
check "targets gives four tab-separated fields" test "$(awk -F '\t' 'NF != 4' "$work/targets.txt" | wc -l)" = 0
check "targets lists x86_64-linux with its triple" grep -q "^x86_64-linux	x86_64-linux-gnu	" "$work/targets.txt"
check "every listed target is accepted by --target" sh -c '
	cut -f 1 "$1" | while read -r t; do "$2" layout --target "$t" "$3" >/dev/null || exit 1; done' \
	sh "$work/targets.txt" "$CHITIN" "$samples/audio.idl"
status=0
"$CHITIN" targets extra >/dev/null 2>&1 || status=$?
check "targets takes no argument (exit 2)" test "$status" = 2

lib_summary
