#!/usr/bin/env bash
# The documents' links lead somewhere: in README.md, doc/*.md and every
# README.md under samples/, each relative link (code blocks aside) names
# a file or directory of the tree, and each #anchor, a heading of the
# Markdown file it points into (by GitHub's rule: lower case, punctuation
# dropped, spaces as hyphens).  And the tutorial leads on: its last
# section, "Next steps", links runtime.md's sections on owned strings,
# implementing an interface, loading plugins and C++, c-names.md,
# evolving.md, and the sample SDK's sources.  Self-checks prove that a
# missing file, a missing anchor and a missing next step are found.
set -euo pipefail

me=run-doc-links
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
. "$srcdir/tests/lib.sh"
lib_work
top=$(cd "$srcdir" && pwd)

# links FILE: the link targets of FILE outside fenced code blocks, one a
# line as LINE<tab>TARGET.
links() {
	awk '
		/^```/ { fenced = !fenced; next }
		fenced { next }
		{
			line = $0
			# inline code holds no links
			gsub(/`[^`]*`/, "", line)
			while (match(line, /\]\([^)]+\)/)) {
				print NR "\t" substr(line, RSTART + 2, RLENGTH - 3)
				line = substr(line, RSTART + RLENGTH)
			}
		}' "$1"
}

# anchors FILE: the anchors of FILE's headings, one a line.
anchors() {
	awk '
		/^```/ { fenced = !fenced; next }
		fenced || !/^#+ / { next }
		{
			h = tolower($0)
			sub(/^#+ +/, "", h)
			gsub(/[^a-z0-9 _-]/, "", h)
			gsub(/ /, "-", h)
			print h
		}' "$1"
}

# check_links FILE LABEL: every link of FILE resolves; one check for the
# file, naming each that does not.
check_links() {
	local file=$1 label=$2 dir lineno target path anchor into broken=
	dir=$(dirname "$file")
	while IFS=$'\t' read -r lineno target; do
		case $target in
		http://* | https://* | mailto:*) continue ;;
		esac
		path=${target%%#*}
		anchor=
		[ "$path" = "$target" ] || anchor=${target#*#}
		into=$file
		if [ -n "$path" ]; then
			into=$dir/$path
			if [ ! -e "$into" ]; then
				broken="$broken $lineno:$target"
				continue
			fi
		fi
		if [ -n "$anchor" ] && { [ "${into%.md}" = "$into" ] || ! anchors "$into" | grep -qxF "$anchor"; }; then
			broken="$broken $lineno:$target"
		fi
	done < <(links "$file")
	if [ -z "$broken" ]; then
		ok "$label: every link leads to a file and heading of the tree"
	else
		bad "$label: links that lead nowhere (line:target):$broken"
	fi
}

docs=("$top/README.md" "$top"/doc/*.md)
while IFS= read -r f; do docs+=("$f"); done < <(find "$top/samples" -name README.md | LC_ALL=C sort)
for f in "${docs[@]}"; do
	check_links "$f" "${f#"$top"/}"
done

# next_steps FILE LABEL: FILE's last section is "Next steps", and links
# each of them.
next_steps() {
	local file=$1 label=$2 want missing=
	awk '/^## / { section = $0; text = "" } { text = text $0 "\n" } END { printf "%s", text }' "$file" \
		>"$work/last.md"
	if [ "$(head -n 1 "$work/last.md")" != "## Next steps" ]; then
		bad "$label: its last section is Next steps"
		return
	fi
	ok "$label: its last section is Next steps"
	links "$work/last.md" | cut -f 2 >"$work/next"
	for want in runtime.md#2-values runtime.md#4-implementing-an-interface-in-c \
		runtime.md#6-loading-plugins runtime.md#8-from-c c-names.md evolving.md \
		../samples/audio/README.md ../samples/audio/host.c ../samples/audio/gain.c \
		../samples/audio/gain.cc ../samples/audio/gain.rs ../samples/audio/demo.sh; do
		grep -qxF "$want" "$work/next" || missing="$missing $want"
	done
	if [ -z "$missing" ]; then
		ok "$label: its next steps lead to runtime.md, c-names.md, evolving.md and samples/audio"
	else
		bad "$label: its next steps do not lead to:$missing"
	fi
}
next_steps "$top/doc/tutorial.md" doc/tutorial.md

# ---- self-checks ------------------------------------------------------------------
mkdir -p "$work/doc"
{
	cat "$top/doc/tutorial.md"
	printf '\nSee [the loader](runtime.md#6-loading-plugin) and [the host](../samples/audio/hots.c).\n'
	printf '\n```\n[not a link](nowhere.md)\n```\n'
} >"$work/doc/tutorial.md"
cp "$top/doc/runtime.md" "$work/doc/"
mkdir -p "$work/samples/audio"
cp "$top/samples/audio/host.c" "$work/samples/audio/"
(check_links "$work/doc/tutorial.md" "self-check") >"$work/self.out" || true
for target in runtime.md#6-loading-plugin ../samples/audio/hots.c; do
	if grep -q "^FAIL .*:$target\\b" "$work/self.out"; then
		ok "self-check: the link to $target, which leads nowhere, is found"
	else
		bad "self-check: the link to $target, which leads nowhere, is found"
		show "$work/self.out"
	fi
done
if grep -q 'nowhere.md' "$work/self.out"; then
	bad "self-check: a link in a code block is not one"
else
	ok "self-check: a link in a code block is not one"
fi
sed '/^## Next steps$/,$s|(../samples/audio/gain.cc)|(../samples/audio/gain.c)|' "$top/doc/tutorial.md" \
	>"$work/no-cc.md"
(next_steps "$work/no-cc.md" "self-check") >"$work/self.out" || true
if grep -qxF "FAIL self-check: its next steps do not lead to: ../samples/audio/gain.cc" "$work/self.out"; then
	ok "self-check: next steps without gain.cc are found out"
else
	bad "self-check: next steps without gain.cc are found out"
	show "$work/self.out"
fi
lib_summary
