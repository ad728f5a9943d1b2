#!/usr/bin/env bash
# The main job, as far as chitin goes today: installs what is missing,
# builds chitin, checks the sample SDK (samples/audio/sdk-1.1/audio.idl, which
# imports ../dsp/common.idl), shows its layout, generates its C headers and
# JSON descriptors, and compiles the headers.
set -euo pipefail

cd "$(dirname "$0")/.."

bash scripts/build.sh

sample=samples/audio/sdk-1.1/audio.idl
out=build/demo
mkdir -p "$out"

echo "demo: ./chitin check $sample"
./chitin check "$sample"

echo "demo: ./chitin layout --target x86_64-linux $sample"
./chitin layout --target x86_64-linux "$sample"

echo "demo: ./chitin gen -o $out $sample samples/audio/dsp/common.idl"
./chitin gen -o "$out" "$sample" samples/audio/dsp/common.idl
ls -l "$out"

echo "demo: compiling the generated headers as C11 and checking their layout assertions"
for header in "$out"/*.h; do
	echo "#include \"$(basename "$header")\"" |
		${CC:-cc} -std=c11 -Wall -Wextra -pedantic -Werror -I"$out" -Iruntime/include \
			-x c -fsyntax-only -
done
echo "demo: compiling the descriptor sources, as for a host and as for a plugin"
for desc in "$out"/*_desc.c; do
	module=$(basename "$desc" _desc.c)
	upper=$(printf '%s' "$module" | tr '[:lower:]' '[:upper:]')
	${CC:-cc} -std=c11 -Wall -Wextra -pedantic -Werror -I"$out" -Iruntime/include -c "$desc" -o "$out/$module-host.o"
	${CC:-cc} -std=c11 -Wall -Wextra -pedantic -Werror -fPIC -D"${upper}_IMPLEMENTATION" \
		-I"$out" -Iruntime/include -c "$desc" -o "$out/$module-plugin.o"
done
echo "demo: ok: the sample SDK checks, its headers compile with every layout assertion holding, and its descriptors build"
