#!/usr/bin/env bash
# chitin's help texts read well in a terminal of 80 columns: no line of
# `chitin --help`, of chitin's usage without a command, or of any
# `chitin COMMAND --help` is wider; in each block of a help (lines between
# blank ones), every option's or command's description starts in one
# column, continuation lines too; `chitin --help` says that gen writes
# each of its outputs; and README.md's Usage names every option of every
# command's --help.  (doc/chitin.1 is held to the same options by
# tests/run-man.sh.)
set -euo pipefail

me=run-help
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
CHITIN=${CHITIN:-$top_builddir/chitin}
. "$srcdir/tests/lib.sh"
lib_work

"$CHITIN" --help >"$work/help" || bad "chitin --help exits 0"
status=0
"$CHITIN" >/dev/null 2>"$work/usage" || status=$?
check "chitin without a command exits 2" test "$status" = 2
check "chitin without a command prints the help" cmp -s "$work/help" "$work/usage"
commands=$(sed -n '/^Commands:/,/^$/ s/^  \([a-z][a-z]*\) .*/\1/p' "$work/help")
if [ "$(wc -w <<<"$commands")" -lt 6 ]; then
	bad "chitin --help lists the commands: $commands"
fi
helps=(help)
for command in $commands; do
	if "$CHITIN" "$command" --help >"$work/$command"; then
		helps+=("$command")
	else
		bad "chitin $command --help exits 0"
	fi
done

for h in "${helps[@]}"; do
	name="chitin${h/#help/} --help"
	[ "$h" = help ] || name="chitin $h --help"
	wide=$(awk 'length($0) > 80 { printf "  %d columns: %s\n", length($0), $0 }' "$work/$h")
	if [ -z "$wide" ]; then
		ok "$name: no line is wider than 80 columns"
	else
		bad "$name: no line is wider than 80 columns"
		echo "$wide"
	fi
	# The column each description starts in, per block: an entry is two
	# spaces, an option or a command (and its argument), two spaces or
	# more, the description; a continuation is indented further.
	columns=$(awk '
		/^$/ { block++; entry = 0; next }
		/^  [^ ]+( [A-Z][A-Za-z.|]*)?  +[^ ]/ {
			match($0, /^  [^ ]+( [A-Z][A-Za-z.|]*)?  +/)
			print block, RLENGTH + 1, $0; entry = 1; next
		}
		/^  [^ ]/ { entry = 1; next }
		entry && /^    +[^ ]/ { match($0, /^ +/); print block, RLENGTH + 1, $0; next }
		{ entry = 0 }
	' "$work/$h")
	misaligned=$(awk '{ if (!($1 in col)) col[$1] = $2; else if ($2 != col[$1]) print "  column " $2 " (not " col[$1] "):", substr($0, index($0, $3)) }' <<<"$columns")
	if [ -z "$columns" ] && grep -q '^  [^ ]' "$work/$h"; then
		misaligned="  no descriptions found"
	fi
	if [ -z "$misaligned" ]; then
		ok "$name: the descriptions of a block start in one column"
	else
		bad "$name: the descriptions of a block start in one column"
		echo "$misaligned"
	fi
done

# gen's entry, continuation lines and all, names each of its outputs.
gen_entry=$(awk '/^  gen / { on = 1; print; next } on && /^    / { print; next } { on = 0 }' "$work/help" | tr -s ' \n' '  ')
for output in "C header" "descriptor source" "JSON descriptor" "Rust module"; do
	check "chitin --help: gen writes the $output" grep -qF "$output" <<<"$gen_entry"
done
check "chitin gen --help has four outputs" test "$(grep -c '^  --[a-z-]* *MODULE[^ ]*: ' "$work/gen")" = 4

# README.md's Usage section names every option of each command's help.
usage=$(awk '/^## / { on = ($0 == "## Usage"); next } on' "$srcdir/README.md")
check "README.md has a Usage section" test -n "$usage"
for h in "${helps[@]}"; do
	[ "$h" = help ] && continue
	for option in $({ grep '^  -' "$work/$h" || true; } | sed 's/, /\n/g' | awk '/^ *-/ { print $1 }' | sed 's/:$//' | sort -u); do
		if grep -qE -- "(^|[^-A-Za-z])$option([^-A-Za-z]|\$)" <<<"$usage"; then
			ok "README.md's Usage names $h's $option"
		else
			bad "README.md's Usage names $h's $option"
		fi
	done
done

lib_summary
