#!/usr/bin/env bash
# Golden layouts: for every tests/golden/layout/NAME.idl, `chitin layout`
# as a table (NAME.txt) and as JSON (NAME.json), on every target.  They
# pin the layout numbers, the ids and the hashes: any change shows as a
# diff.  UPDATE_GOLDEN=1 rewrites the expected files instead.
set -euo pipefail

: "${CHITIN:?set CHITIN to the chitin binary}"
cd "${srcdir:-.}/tests/golden/layout"
work=$(mktemp -d "${TMPDIR:-/tmp}/chitin-layout.XXXXXX")
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
for idl in *.idl; do
	name=${idl%.idl}
	for form in txt json; do
		flag=
		[ "$form" = json ] && flag=--json
		# shellcheck disable=SC2086 # the flag is one word or none
		if ! "$CHITIN" layout $flag "$idl" >"$work/$name.$form"; then
			echo "FAIL $name.$form: chitin layout failed"
			failed=$((failed + 1))
			continue
		fi
		if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
			cp "$work/$name.$form" "$name.$form"
			echo "updated $name.$form"
		elif diff -u "$name.$form" "$work/$name.$form"; then
			echo "ok $name.$form"
			passed=$((passed + 1))
		else
			echo "FAIL $name.$form"
			failed=$((failed + 1))
		fi
	done
done
echo "run-golden-layout: $passed passed, $failed failed"
[ "$failed" = 0 ]
