#!/usr/bin/env bash
# The main job: installs what is missing of what the demo needs
# (scripts/deps.sh --demo: not the test toolchains), builds chitin
# (scripts/build.sh), then runs the sample SDK's demo (samples/audio/demo.sh):
# generates versions 1.0 and 1.1 of the audio SDK (samples/audio/sdk-1.0,
# sdk-1.1), checks with chitin compat that 1.1 is compatible with 1.0,
# builds a C host against each version and a gain plugin in C, C++ and
# Rust against each, and a plugin of a broken copy of the SDK, runs every
# host with every plugin, and prints what happens.  Everything goes to
# build/demo; the builds' messages to build/demo/chitin.log (chitin's)
# and build/demo/build.log (the sample's), which it names.
set -euo pipefail

cd "$(dirname "$0")/.."

out=build/demo
mkdir -p "$out"
log=$out/chitin.log
: >"$log"

# apt-get's messages go to the log; deps.sh says on stderr what it installs.
# build.sh runs deps.sh again, on the same set.
export CHITIN_DEPS=demo
bash scripts/deps.sh >>"$log"
echo "demo: building chitin (scripts/build.sh; its messages go to $log)"
if ! bash scripts/build.sh >>"$log" 2>&1; then
	echo "demo: building chitin failed; the end of $log:" >&2
	tail -n 20 "$log" | sed 's/^/  | /' >&2
	exit 1
fi

exec bash samples/audio/demo.sh "$out"
