#!/usr/bin/env bash
# doc/evolving.md as a reader runs it (tests/doc-session.sh): its module
# written, its baseline made with chitin gen --json, each of its diffs
# applied to make a new version, and chitin compat (or chitin check) run
# on each, the output held to the document's: the document is the golden
# file of every compatibility verdict it shows.
set -euo pipefail

me='run-evolving'
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}

. "$srcdir/tests/lib.sh"
. "$srcdir/tests/doc-session.sh"
lib_work

if ! command -v patch >/dev/null 2>&1; then
	echo "skip evolving.md: no patch (apt-get install patch)"
	lib_summary
	exit
fi
mkdir -p "$work/bin"
ln -s "$(cd "$(dirname "$CHITIN")" && pwd)/$(basename "$CHITIN")" "$work/bin/chitin"
doc_session "$srcdir/doc/evolving.md" "$work/session"
if ! PATH=$work/bin:$PATH doc_run "$work/session" "$work/dir"; then
	bad "the session of evolving.md ends"
	show "$work/session/run.log"
fi
doc_compare "$work/session"
lib_summary
