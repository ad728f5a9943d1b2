#!/usr/bin/env bash
# The main job: installs what is missing, builds chitin and checks the
# sample SDK (samples/audio/audio.idl, which imports dsp/common.idl).
set -euo pipefail

cd "$(dirname "$0")/.."

bash scripts/build.sh

sample=samples/audio/audio.idl
echo "demo: ./chitin check $sample"
if ./chitin check "$sample"; then
	echo "demo: ok: $sample and its import dsp/common.idl check without errors"
else
	status=$?
	echo "demo: FAILED: chitin check $sample exited with status $status" >&2
	exit "$status"
fi
