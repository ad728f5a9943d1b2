#!/usr/bin/env bash
# The manual page doc/chitin.1: groff renders it without a warning (and
# mandoc -Tlint finds nothing, where mandoc is), its version is chitin's,
# it has a section for every command `chitin --help` lists, and each
# command's section names every option that command's --help lists (so
# that an option added to the help and not to the page fails here); the
# options for every command are in OPTIONS.
set -euo pipefail

me='run-man'
srcdir=${srcdir:-.}
. "$srcdir/tests/lib.sh"
lib_work
page=$srcdir/doc/chitin.1

if command -v groff >/dev/null 2>&1; then
	if groff -man -Tutf8 -ww -z "$page" >"$work/groff.err" 2>&1 && [ ! -s "$work/groff.err" ]; then
		ok "groff renders chitin.1 without a warning"
	else
		bad "groff renders chitin.1 without a warning"
		show "$work/groff.err"
	fi
else
	echo "skip rendering chitin.1: no groff (apt-get install groff-base)"
fi
if command -v mandoc >/dev/null 2>&1; then
	if mandoc -Tlint -W warning "$page" >"$work/mandoc.err" 2>&1; then
		ok "mandoc -Tlint finds nothing in chitin.1"
	else
		bad "mandoc -Tlint finds nothing in chitin.1"
		show "$work/mandoc.err"
	fi
else
	echo "skip mandoc -Tlint: no mandoc"
fi

version=$("$CHITIN" --version)
th=$(sed -n 's/^\.TH CHITIN 1 [^ ]* "\([^"]*\)".*/\1/p' "$page")
if [ "$th" = "$version" ]; then
	ok "chitin.1 is the page of $version"
else
	bad "chitin.1 is the page of '$th', chitin is '$version'"
fi

# text SECTION: the source lines from the heading SECTION (a .SS or .SH
# line, exactly) to the next heading, with roff's \- as - and the font,
# no-break and escape marks taken out.
text() {
	awk -v want="$1" '
		/^\.(SS|SH) / { inside = ($0 == want); next }
		inside { print }
	' "$page" | sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\%//g' -e 's/\\e/\\/g'
}

# options: the options of a --help text on standard input, from its lines
# that start with two spaces and a dash: the first word of the line and
# of each part after ", " that starts with a dash.
options() {
	{ grep '^  -' || true; } | sed 's/, /\n/g' | awk '/^ *-/ { print $1 }' | sed 's/:$//' | sort -u
}

# has SECTION OPTION: the section names the option as a word of its own
# (a lone - as the tag of a .TP item).
has() {
	if [ "$2" = - ]; then
		grep -qx '\.B -' <<<"$(text "$1")"
	else
		grep -qE -- "(^|[^-A-Za-z])$2([^-A-Za-z]|\$)" <<<"$(text "$1")"
	fi
}

commands=$("$CHITIN" --help | sed -n '/^Commands:/,/^$/ s/^  \([a-z][a-z]*\) .*/\1/p')
if [ "$(wc -w <<<"$commands")" -lt 6 ]; then
	bad "chitin --help lists the commands: $commands"
fi
for command in $commands; do
	section=".SS \"chitin $command\""
	if [ -z "$(text "$section")" ]; then
		bad "chitin.1 has a section for chitin $command"
		continue
	fi
	ok "chitin.1 has a section for chitin $command"
	missing=
	listed=$("$CHITIN" "$command" --help | options)
	for option in $listed; do
		has "$section" "$option" || missing="$missing $option"
	done
	if [ -z "$missing" ]; then
		ok "chitin.1 names every option of chitin $command --help:${listed:+ }$(tr '\n' ' ' <<<"$listed")"
	else
		bad "chitin.1's chitin $command lacks$missing"
	fi
done

missing=
listed=$("$CHITIN" --help | sed -n '/^Options for every command:/,$p' | options)
for option in $listed; do
	has ".SH OPTIONS" "$option" || missing="$missing $option"
done
if [ -n "$listed" ] && [ -z "$missing" ]; then
	ok "chitin.1's OPTIONS names every option of chitin --help: $(tr '\n' ' ' <<<"$listed")"
else
	bad "chitin.1's OPTIONS lacks$missing (of: $listed)"
fi
for section in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS "EXIT STATUS" ENVIRONMENT FILES EXAMPLES "SEE ALSO"; do
	if grep -qxE "\.SH \"?$section\"?" "$page"; then
		ok "chitin.1 has $section"
	else
		bad "chitin.1 has $section"
	fi
done
lib_summary
