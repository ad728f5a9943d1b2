#!/usr/bin/env bash
# The descriptor source: generated for tests/cgen/audio (the language tour), compiled in both
# modes (for the host, and freestanding for all ten targets), built into a
# plugin whose embedded descriptor a loader-like program decodes and holds
# to the JSON descriptor byte for byte.
set -euo pipefail

: "${CHITIN:?set CHITIN to the chitin binary}"
: "${DESC_CHECK:?set DESC_CHECK to tests/desc_check}"
src=${srcdir:-.}
cc=${CC:-gcc}
clang=${CLANG:-clang}
me=run-desc-c
. "$src/tests/lib.sh"
lib_targets
lib_work

"$CHITIN" gen -o "$work" "$src/tests/cgen/audio/audio.idl" "$src/tests/cgen/audio/dsp/common.idl"
flags=(-std=c11 -Wall -Wextra -pedantic -Werror -I"$work" -I"$src/runtime/include")
check "host mode compiles" $cc "${flags[@]}" -c "$work/audio_desc.c" -o "$work/host.o"
check "implementer mode compiles" $cc "${flags[@]}" -fPIC -DAUDIO_IMPLEMENTATION -c "$work/audio_desc.c" -o "$work/impl.o"
check "the descriptor is in the .chitin section" sh -c "readelf -S '$work/impl.o' | grep -q '\.chitin'"

if command -v "$clang" >/dev/null; then
	for t in "${target_triples[@]}"; do
		check "implementer mode compiles for $t" "$clang" --target="$t" -ffreestanding "${flags[@]}" \
			-DAUDIO_IMPLEMENTATION -c "$work/audio_desc.c" -o "$work/$t.o"
	done
	# Host mode for each target: the blob in the object's descriptor
	# section, decoded, is the JSON descriptor on that target.  wasm has
	# no such section: its object is searched for the blob.  widths.idl's
	# class parts differ in length, audio's do not.
	objcopy_tool=$(command -v llvm-objcopy || true)
	"$CHITIN" gen -o "$work" "$src/tests/golden/gen/widths.idl"
	for module in audio widths; do
		set -- "${targets[@]}"
		while [ $# -gt 0 ]; do
			name=$1 t=$2
			shift 2
			obj=$work/host.$module.$t.o
			if ! "$clang" --target="$t" -ffreestanding "${flags[@]}" -c "$work/${module}_desc.c" -o "$obj"; then
				bad "host mode compiles for $t ($module)"
				continue
			fi
			blob=$work/blob.$module.$t
			case $t in
			wasm*) cp "$obj" "$blob" ;;
			*) if [ -z "$objcopy_tool" ]; then
				echo "note: no llvm-objcopy; searching the whole object for $t"
				cp "$obj" "$blob"
			elif [ "${t#*apple}" != "$t" ]; then
				"$objcopy_tool" --dump-section "__DATA,__chitin=$blob" "$obj" "$work/scratch.o"
			elif [ "${t#*windows}" != "$t" ]; then
				# COFF: an object holding the .chitin section alone
				"$objcopy_tool" -O binary --only-section=.chitin "$obj" "$blob"
			else
				"$objcopy_tool" --dump-section ".chitin=$blob" "$obj" "$work/scratch.o"
			fi ;;
			esac
			check "$module: the descriptor section for $t decodes to the JSON descriptor on $name" \
				"$DESC_CHECK" --blob "$blob" "$name" "$work/$module.json"
		done
	done
	# The section holds one blob: its size is the blob's, as the
	# source's comment for the target's class says.
	if [ -n "$objcopy_tool" ]; then
		want=$(sed -n 's|^/\* x86_64-linux[a-z0-9_ -]*: \([0-9]*\) bytes \*/$|\1|p' "$work/widths_desc.c")
		check "the x86_64 section holds exactly one blob ($want bytes)" \
			test "$(wc -c <"$work/blob.widths.x86_64-linux-gnu")" = "$want"
	fi
fi

cat >"$work/impl.c" <<'C'
#define AUDIO_IMPLEMENTATION
#include "audio.h"
chitin_status CHITIN_CALL
audio_create_effect(chitin_str name, audio_LogFn log, audio_Effect **ret)
{
	(void)name;
	(void)log;
	*ret = 0;
	return CHITIN_OK;
}
C
$cc "${flags[@]}" -fPIC -c "$work/impl.c" -o "$work/impl2.o"
$cc -shared -o "$work/libaudio.so" "$work/impl.o" "$work/impl2.o"
check "the plugin exports its entry symbol" sh -c "nm -D '$work/libaudio.so' | grep -q ' D chitin_module_audio'"
check "the plugin's descriptor is hidden" sh -c "! nm -D '$work/libaudio.so' | grep -q chitin_descriptor_audio"
check "the export is protected" sh -c "readelf --dyn-syms '$work/libaudio.so' | grep audio_create_effect | grep -q PROTECTED"
check "the embedded descriptor matches the JSON one" "$DESC_CHECK" "$work/libaudio.so" audio "$work/audio.json"

# C spells the blob as strings, C++ as words (doc/descriptor.md 9.1):
# both hold the same bytes, for a module whose class parts differ in
# length (widths) and one whose do not (audio), the host's and -m32's.
cxx=${CXX:-g++}
if command -v "$cxx" >/dev/null 2>&1 && command -v objcopy >/dev/null 2>&1; then
	"$CHITIN" gen -o "$work" "$src/tests/golden/gen/widths.idl"
	for module in audio widths; do
		for bits in "" -m32; do
			[ -n "$bits" ] && ! $cc -m32 -c -x c /dev/null -o "$work/m32.o" 2>/dev/null && continue
			$cc "${flags[@]}" $bits -c "$work/${module}_desc.c" -o "$work/$module$bits.c.o"
			$cxx -x c++ -std=c++11 -Wall -Wextra -pedantic -Werror -I"$work" -I"$src/runtime/include" \
				$bits -c "$work/${module}_desc.c" -o "$work/$module$bits.cxx.o"
			objcopy -O binary --only-section=.chitin "$work/$module$bits.c.o" "$work/$module$bits.c.bin"
			objcopy -O binary --only-section=.chitin "$work/$module$bits.cxx.o" "$work/$module$bits.cxx.bin"
			check "$module${bits:+ $bits}: C's string blob and C++'s word blob are the same bytes" \
				cmp "$work/$module$bits.c.bin" "$work/$module$bits.cxx.bin"
		done
	done
else
	echo "skip C and C++ blobs alike: no $cxx or no objcopy"
fi

# Two modules' descriptor sources in one library, and in one program
# linked with -Wl,--gc-sections that refers to neither blob: the .chitin
# section holds both blobs (kept by `retain` where the toolchain has it),
# and a reader that skips the zero padding between them
# (doc/descriptor.md 3) finds and decodes each.  On PE, with MinGW where
# it is installed, the same in a DLL.
if command -v objcopy >/dev/null 2>&1; then
	check "two modules: dsp_desc.c compiles" $cc "${flags[@]}" -fPIC -c "$work/dsp_desc.c" -o "$work/dsp.host.o"
	$cc -shared -o "$work/libtwo.so" "$work/host.o" "$work/dsp.host.o"
	objcopy -O binary --only-section=.chitin "$work/libtwo.so" "$work/two.so.chitin"
	check "two modules in one .so: the section walks to two blobs" \
		"$DESC_CHECK" --section "$work/two.so.chitin" 2
	printf 'int main(void) { return 0; }\n' >"$work/main.c"
	printf 'int x __attribute__((section(".probe"), used, retain)) = 1;\nint main(void) { return 0; }\n' \
		>"$work/retain.c"
	if $cc -Werror -ffunction-sections -fdata-sections -Wl,--gc-sections "$work/retain.c" -o "$work/retain" \
		>/dev/null 2>&1 && objdump -h "$work/retain" | grep -q '\.probe'; then
		$cc -ffunction-sections -fdata-sections -Wl,--gc-sections "$work/main.c" "$work/host.o" \
			"$work/dsp.host.o" -o "$work/two.gc"
		objcopy -O binary --only-section=.chitin "$work/two.gc" "$work/two.gc.chitin"
		check "two modules, --gc-sections: the unreferenced blobs are kept" \
			"$DESC_CHECK" --section "$work/two.gc.chitin" 2
	else
		echo "skip --gc-sections: this toolchain has no retain"
	fi
	mingw=$(command -v x86_64-w64-mingw32-gcc || true)
	if [ -n "$mingw" ]; then
		"$mingw" "${flags[@]}" -c "$work/audio_desc.c" -o "$work/audio.pe.o"
		"$mingw" "${flags[@]}" -c "$work/dsp_desc.c" -o "$work/dsp.pe.o"
		"$mingw" -shared -o "$work/two.dll" "$work/audio.pe.o" "$work/dsp.pe.o"
		x86_64-w64-mingw32-objcopy -O binary --only-section=.chitin "$work/two.dll" "$work/two.dll.chitin"
		check "two modules in one MinGW DLL: the section walks to two blobs" \
			"$DESC_CHECK" --section "$work/two.dll.chitin" 2
	else
		echo "skip the PE DLL: no x86_64-w64-mingw32-gcc (gcc-mingw-w64)"
	fi
else
	echo "skip two modules in one binary: no objcopy"
fi
if command -v "$clang" >/dev/null 2>&1 && command -v llvm-objdump >/dev/null 2>&1; then
	"$clang" --target=x86_64-windows-msvc -ffreestanding "${flags[@]}" -c "$work/audio_desc.c" -o "$work/msvc.o"
	check "clang for MSVC (_MSC_VER): the blob is in .chitin, not .rdata" \
		sh -c "llvm-objdump -h '$work/msvc.o' | grep -q '\.chitin'"
fi

# Built with -fvisibility=hidden, as doc/abi.md 8.1 tells implementers:
# the entry symbol and the export stay exported, nothing else is; and a
# host that defines a function of the same name as the export, exported
# to the plugin's scope (-rdynamic), does not preempt the plugin's own
# through its exports table.
check "hidden: implementer mode compiles" $cc "${flags[@]}" -fPIC -fvisibility=hidden -DAUDIO_IMPLEMENTATION \
	-c "$work/audio_desc.c" -o "$work/impl.hidden.o"
check "hidden: the implementation compiles" $cc "${flags[@]}" -fPIC -fvisibility=hidden -c "$work/impl.c" \
	-o "$work/impl2.hidden.o"
$cc -shared -o "$work/libaudio.hidden.so" "$work/impl.hidden.o" "$work/impl2.hidden.o"
check "hidden: the plugin exports exactly its entry symbol and its export" \
	sh -c "test \"\$(nm -D --defined-only '$work/libaudio.hidden.so' | awk '{ print \$3 }' | grep -v '^_' | sort | tr '\n' ' ')\" = 'audio_create_effect chitin_module_audio '"
cat >"$work/host.c" <<'C'
#include "audio.h"
#include <dlfcn.h>
#include <stdio.h>
/* the host's own function of the export's name: never the plugin's */
chitin_status CHITIN_CALL
audio_create_effect(chitin_str name, audio_LogFn log, audio_Effect **ret)
{
	(void)name;
	(void)log;
	(void)ret;
	return CHITIN_FAILED;
}
int
main(int argc, char **argv)
{
	void *lib = argc > 1 ? dlopen(argv[1], RTLD_NOW | RTLD_LOCAL) : NULL;
	const chitin_module *entry = lib ? (const chitin_module *)dlsym(lib, "chitin_module_audio") : NULL;
	const audio_exports *exports = entry ? (const audio_exports *)entry->exports : NULL;
	audio_Effect *effect = NULL;
	chitin_str name = { (const uint8_t *)"x", 1 };
	audio_LogFn log = { 0, 0, 0 };
	if (!exports) {
		fprintf(stderr, "host: cannot load %s\n", argc > 1 ? argv[1] : "(nothing)");
		return 1;
	}
	return exports->create_effect(name, log, &effect) == CHITIN_OK ? 0 : 1;
}
C
check "hidden: a host builds with a function named like the export" \
	$cc "${flags[@]}" -DAUDIO_STATIC -rdynamic "$work/host.c" -o "$work/host" -ldl
check "hidden: the plugin's exports table calls the plugin's function, not the host's" \
	"$work/host" "$work/libaudio.hidden.so"

# Compiled as C++ (doc/abi.md 8.2): in both modes, with g++ and clang++;
# the plugin keeps its entry symbol global and unmangled, which a const
# object at namespace scope would not be without extern "C" and a prior
# extern declaration.  For the MSVC targets, compiled only: the object
# must define the entry under its C name and export it.
cxx=${CXX:-g++}
cxx_flags=(-x c++ -std=c++11 -Wall -Wextra -Wshadow -pedantic -Werror -I"$work" -I"$src/runtime/include")
for c in "$cxx" clang++; do
	if ! command -v "$c" >/dev/null 2>&1; then
		echo "skip C++ with $c: not found"
		continue
	fi
	check "$c: host mode compiles as C++" "$c" "${cxx_flags[@]}" -c "$work/audio_desc.c" -o "$work/host.$c.o"
	check "$c: implementer mode compiles as C++" "$c" "${cxx_flags[@]}" -fPIC -DAUDIO_IMPLEMENTATION \
		-c "$work/audio_desc.c" -o "$work/impl.$c.o"
	check "$c: the implementation compiles as C++" "$c" "${cxx_flags[@]}" -fPIC -c "$work/impl.c" \
		-o "$work/impl2.$c.o"
	if "$c" -shared -o "$work/libaudio.$c.so" "$work/impl.$c.o" "$work/impl2.$c.o"; then
		check "$c: the C++ plugin exports its entry symbol" \
			sh -c "nm -D '$work/libaudio.$c.so' | grep -q ' D chitin_module_audio\$'"
		check "$c: the C++ plugin's descriptor matches the JSON one" \
			"$DESC_CHECK" "$work/libaudio.$c.so" audio "$work/audio.json"
	else
		bad "$c: link the C++ plugin"
	fi
done
nm_tool=$(command -v llvm-nm || true)
if command -v clang++ >/dev/null 2>&1 && [ -n "$nm_tool" ]; then
	for t in x86_64-windows-msvc i686-windows-msvc; do
		obj=$work/impl.$t.o
		if ! clang++ --target="$t" -ffreestanding "${cxx_flags[@]}" -DAUDIO_IMPLEMENTATION \
			-c "$work/audio_desc.c" -o "$obj"; then
			bad "clang++ $t: implementer mode compiles as C++"
			continue
		fi
		ok "clang++ $t: implementer mode compiles as C++"
		# i686 decorates C names with a leading underscore
		check "clang++ $t: the entry symbol is global under its C name" \
			sh -c "'$nm_tool' '$obj' | grep -Eq ' R _?chitin_module_audio\$'"
		check "clang++ $t: no C++-mangled entry symbol" \
			sh -c "! '$nm_tool' '$obj' | grep -q '?chitin_module_audio@'"
		check "clang++ $t: the object exports the entry symbol" \
			sh -c "strings '$obj' | grep -q '/EXPORT:_\\?chitin_module_audio'"
	done
else
	echo "skip C++ for the MSVC targets: no clang++ or llvm-nm"
fi

lib_summary
