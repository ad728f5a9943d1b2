#!/usr/bin/env bash
# Builds chitin in the source tree from a git checkout, doing only the steps
# that are out of date: dependencies, autoreconf, configure, make.
#
# usage: scripts/build.sh [CONFIGURE-ARGS...]
# Arguments go to ./configure; it is re-run when they differ from the ones
# the tree was configured with.
set -euo pipefail

cd "$(dirname "$0")/.."

# every dependency, or those CHITIN_DEPS names (scripts/demo.sh: demo)
bash scripts/deps.sh

# Whether config.status was made by ./configure with exactly these
# arguments (it prints them quoted for the shell).
configured_with() {
	local -a old
	local arg i=0
	eval "old=($(./config.status --config))"
	[ ${#old[@]} -eq $# ] || return 1
	for arg in "$@"; do
		[ "${old[i]}" = "$arg" ] || return 1
		i=$((i + 1))
	done
}

if [ ! -x configure ] || [ ! -f Makefile.in ] ||
	[ configure -ot configure.ac ] || [ configure -ot Makefile.am ]; then
	echo "build: autoreconf -fi"
	autoreconf -fi
fi

# Without arguments an existing configuration stays: make itself re-runs
# config.status --recheck, keeping the original arguments, when configure
# changes.
if [ ! -f Makefile ] || [ ! -x config.status ] ||
	{ [ $# -gt 0 ] && ! configured_with "$@"; }; then
	echo "build: ./configure $*"
	./configure "$@"
fi

make -j2
