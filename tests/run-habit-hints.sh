#!/usr/bin/env bash
# What chitin suggests for a C function pointer (doc/idl.md 11.4, C's
# spellings) is accepted as it stands: every suggestion `chitin check`
# makes for tests/golden/check/c-habit-function-pointer.idl, but those
# with `...` for parameters it could not spell, is gathered into one
# module, which must check cleanly.  Each kind of suggestion (a field's,
# a parameter's, a typedef's and a method's) must be among them.
set -euo pipefail

me=run-habit-hints
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
CHITIN=${CHITIN:-$top_builddir/chitin}

. "$srcdir/tests/lib.sh"
lib_work

input=$srcdir/tests/golden/check/c-habit-function-pointer.idl
status=0
run_limited "$CHITIN" check "$input" 2>"$work/err" || status=$?
check "the C habits are refused" test "$status" = 1

callbacks=() fields=() params=() methods=()
while IFS= read -r line; do
	case $line in
	*"declare 'callback "*"' and write the field as '"*)
		callbacks+=("$(sed -E "s/.*declare '([^']*)'.*/\1/" <<<"$line")")
		fields+=("$(sed -E "s/.*write the field as '([^']*)'.*/\1/" <<<"$line")")
		;;
	*"declare 'callback "*"' and write the parameter as '"*)
		callbacks+=("$(sed -E "s/.*declare '([^']*)'.*/\1/" <<<"$line")")
		params+=("$(sed -E "s/.*write the parameter as '([^']*)'.*/\1/" <<<"$line")")
		;;
	*"a function type is a callback: write 'callback "*)
		callbacks+=("$(sed -E "s/.*: write '([^']*)'.*/\1/" <<<"$line")")
		;;
	*"a method is written as a prototype: '"*)
		methods+=("$(sed -E "s/.*a prototype: '([^']*)'.*/\1/" <<<"$line")")
		;;
	esac
done < <(grep -F ': error: ' "$work/err" | grep -vF '(...)' || true)

check "a field's suggestion" test "${#fields[@]}" -ge 2
check "a parameter's suggestion" test "${#params[@]}" -ge 1
check "a typedef's suggestion" test "${#callbacks[@]}" -gt $((${#fields[@]} + ${#params[@]}))
check "a method's suggestion" test "${#methods[@]}" -ge 2

{
	echo "module suggested;"
	printf '%s\n' "${callbacks[@]}"
	echo "struct Fields {"
	printf '    %s\n' "${fields[@]}"
	echo "};"
	echo "interface Methods {"
	printf '    %s\n' "${methods[@]}"
	i=0
	for p in "${params[@]}"; do
		i=$((i + 1))
		echo "    void take$i($p);"
	done
	echo "};"
} >"$work/suggested.idl"

if run_limited "$CHITIN" check "$work/suggested.idl" 2>"$work/suggested.err"; then
	ok "chitin takes what it suggests"
else
	bad "chitin takes what it suggests"
	sed 's/^/  | /' "$work/suggested.idl"
	show "$work/suggested.err"
fi

lib_summary
