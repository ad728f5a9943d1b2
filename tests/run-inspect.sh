#!/usr/bin/env bash
# chitin inspect on binaries built here from generated descriptor sources
# (tests/golden/gen/corpus.idl, which imports shapes.idl, and the
# versions of tests/compat): an ELF plugin that holds two modules, held
# to goldens in text and JSON and to what `chitin gen --json` says; an
# object file; an archive; MinGW DLLs and COFF objects (PE); Mach-O
# objects, a universal file and a dynamic library (clang and lld);
# --against a compatible and an incompatible JSON descriptor; files
# without a descriptor, truncated and corrupted ones, and bad usage;
# then the fuzz target on each binary and many changed copies of it.
# A toolchain that is missing is skipped with a message.
#
# make check UPDATE_GOLDEN=1 rewrites tests/golden/inspect/ from the
# output of this machine's compiler (its descriptor class must be that
# of x86_64-linux, which the goldens hold).
set -euo pipefail

: "${CHITIN:?set CHITIN to the chitin binary}"
: "${FUZZ_OBJFILE:?set FUZZ_OBJFILE to tests/fuzz_objfile}"
src=$(cd "${srcdir:-.}" && pwd)
cc=${CC:-gcc}
clang=${CLANG:-clang}
me=run-inspect
. "$src/tests/lib.sh"
lib_work

golden=$src/tests/golden/inspect
"$CHITIN" gen -o "$work" "$src/tests/golden/gen/corpus.idl" "$src/tests/golden/gen/shapes.idl"
flags=(-std=c11 -Wall -Wextra -Werror -I"$work" -I"$src/runtime/include")
# The exports the plugin's table names: the symbols must exist for the
# protected symbols to link; their types do not matter to inspect.
for f in corpus_create_engine corpus_engine_version_number corpus_shutdown corpus_last_record \
	corpus_stats_v2; do
	echo "void $f(void);"
	echo "void $f(void) {}"
done >"$work/stubs.c"

# inspect FILE [ARGS...]: runs chitin inspect, output in $work/out and
# $work/err, status in $status; never a crash.
inspect() {
	status=0
	run_limited "$CHITIN" inspect "$@" >"$work/out" 2>"$work/err" || status=$?
	if [ "$status" -gt 2 ]; then
		bad "inspect $*: exit status $status"
		show "$work/err"
	fi
}

# expect NAME STATUS PATTERN FILE: the last inspect exited with STATUS
# and FILE ($work/out or $work/err) holds the fixed string PATTERN.
expect() {
	if [ "$status" = "$2" ] && grep -qF -- "$3" "$4"; then
		ok "$1"
	else
		bad "$1 (exit status $status, expected $2 and '$3')"
		show "$work/out"
		show "$work/err"
	fi
}

# The same text, whatever the compiler put where: the file's format and
# the offsets of sections and blobs, and a section's padded size.
normalize() {
	sed -e '1s/^\([^:]*\): .*/\1: FORMAT/' \
		-e 's/^\(section [^:]*\): [0-9]* bytes at offset 0x[0-9a-f]*,/\1: N bytes at offset X,/' \
		-e 's/\( bytes at offset \)0x[0-9a-f]*\(, format\)/\1X\2/' \
		-e 's/"\(file_format\|container\)": "[^"]*"/"\1": "FORMAT"/g' \
		-e 's/"offset": [0-9]*, "size": \([0-9]*\), "format"/"offset": 0, "size": \1, "format"/'
}

# against_golden NAME FILE: FILE held to tests/golden/inspect/NAME.
against_golden() {
	if [ -n "${UPDATE_GOLDEN:-}" ]; then
		mkdir -p "$golden"
		cp "$2" "$golden/$1"
		echo "updated $golden/$1"
	elif diff -u "$golden/$1" "$2" >"$work/diff"; then
		ok "golden $1"
	else
		bad "golden $1"
		show "$work/diff"
	fi
}

# ---- ELF: a plugin with two modules, an object, an archive ----------------

$cc "${flags[@]}" -fPIC -DCORPUS_IMPLEMENTATION -c "$work/corpus_desc.c" -o "$work/corpus.o"
$cc "${flags[@]}" -fPIC -c "$work/shapes_desc.c" -o "$work/shapes.o"
$cc "${flags[@]}" -fPIC -c "$work/stubs.c" -o "$work/stubs.o"
$cc -shared -o "$work/libcorpus.so" "$work/corpus.o" "$work/shapes.o" "$work/stubs.o"
cd "$work"

inspect libcorpus.so
expect "the plugin's descriptors are listed" 0 "module corpus 1.2: 5984 bytes" out
check "two modules in the plugin's section" test "$(grep -c '^module ' out)" = 2
expect "the section names its two blobs" 0 " 2 descriptors" out
normalize <out >libcorpus.so.txt
if grep -q "^  targets: x86_64-linux aarch64-linux " out; then
	against_golden libcorpus.so.txt libcorpus.so.txt
	inspect --json libcorpus.so
	normalize <out >libcorpus.so.json
	against_golden libcorpus.so.json libcorpus.so.json
else
	echo "skip the goldens: this host's descriptor class is not x86_64-linux's"
	inspect --json libcorpus.so
fi
cp out libcorpus.so.json

# What --json says on the x86_64-linux class is what gen --json says on
# x86_64-linux: names, kinds, sizes, alignments, layout hashes, fields'
# offsets, slots, exports' symbols.
if command -v jq >/dev/null 2>&1; then
	if grep -q '"targets": \["x86_64-linux"' libcorpus.so.json; then
		jq -S '.descriptors[0] | {module: .module, version,
			types: [.types[] | {name, kind, size, align, layout_hash,
				offsets: [.fields[].offset]}],
			slots: [.interfaces[] | {name, slots: [.slots[].name]}],
			exports: [.exports[] | {name, symbol, signature_hash}]}' \
			libcorpus.so.json >from-inspect.json
		jq -S '{module: .module, version,
			types: [.types[] | . as $t | (.layouts[] | select(.targets | index("x86_64-linux"))) as $l |
				{name: $t.name, kind: $t.kind, size: $l.size, align: $l.align,
				 layout_hash: $l.layout_hash,
				 offsets: [$l.offsets // [] | .[]]}],
			slots: [.interfaces[] | {name, slots: [.slots[].name]}],
			exports: [.exports[] | . as $e | (.layouts[] | select(.targets | index("x86_64-linux"))) as $l |
				{name: $e.name, symbol: $e.symbol, signature_hash: $l.signature_hash}]}' \
			corpus.json >from-gen.json
		check "--json holds what gen --json says on x86_64-linux" diff -u from-gen.json from-inspect.json
	else
		echo "skip --json against gen --json: this host's class is not x86_64-linux's"
	fi
	check "--json parses, with two descriptors" test "$(jq '.descriptors | length' libcorpus.so.json)" = 2
else
	echo "skip reading --json back: no jq"
fi

inspect corpus.o
expect "an object file: ELF relocatable" 0 "corpus.o: ELF 64-bit LSB relocatable object" out
expect "an object file: its descriptor" 0 "module corpus 1.2" out
if command -v ar >/dev/null 2>&1; then
	rm -f libcorpus.a
	ar rc libcorpus.a corpus.o shapes.o stubs.o
	inspect libcorpus.a
	expect "a static library: each member's descriptor" 0 \
		"section .chitin of archive member 'shapes.o': ELF" out
	check "a static library: two modules" test "$(grep -c '^module ' out)" = 2
else
	echo "skip the static library: no ar"
fi

# ---- --against ----------------------------------------------------------------

inspect libcorpus.so --against corpus.json
expect "--against the module's own JSON: compatible" 0 "libcorpus.so is compatible with corpus.json" out
inspect libcorpus.so --against=shapes.json
expect "--against the imported module's JSON: compatible" 0 "is compatible with shapes.json" out
mkdir -p v1 v11
"$CHITIN" gen -o v1 "$src/tests/compat/v1.idl"
"$CHITIN" gen -o v11 "$src/tests/compat/v1_1-breaking.idl"
$cc "${flags[@]}" -Iv11 -fPIC -DDEMO_IMPLEMENTATION -c v11/demo_desc.c -o v11.o
$cc -shared -o libdemo11.so v11.o
inspect libdemo11.so --against v1/demo.json
expect "--against an older version: incompatible" 1 \
	"chitin: libdemo11.so is not compatible with v1/demo.json:" err
expect "--against: a variant's tag moved" 1 \
	"  type 'demo.Shape': variant 'Circle' has tag 1 in the host, 5 in the plugin" err
expect "--against: an export removed" 1 \
	"  export 'demo.make_canvas': missing in the plugin, and not [since]" err
expect "--against: the report is per target, said once when the same" 1 ": the same" err
check "--against: nothing on standard output" test ! -s out
inspect libdemo11.so --against v11/demo.json
expect "--against its own version: compatible" 0 "is compatible with v11/demo.json" out
inspect libdemo11.so --against corpus.json
expect "--against another module" 1 \
	"libdemo11.so: error: no descriptor of module 'corpus', which corpus.json describes" err
printf '{"format": 2' >broken.json
inspect libdemo11.so --against broken.json
expect "--against a broken JSON file" 1 "broken.json: error: not a JSON descriptor" err

# ---- PE: MinGW DLLs and objects, clang's MSVC objects ----------------------------

for triple in x86_64-w64-mingw32 i686-w64-mingw32; do
	mingw=$triple-gcc
	if ! command -v "$mingw" >/dev/null 2>&1; then
		echo "skip the $triple DLL: no $mingw (gcc-mingw-w64)"
		continue
	fi
	case $triple in
	x86_64*) pe="PE32+ DLL, x86-64" coff="COFF object, x86-64" target=x86_64-windows ;;
	*) pe="PE32 DLL, i386" coff="COFF object, i386" target=i686-windows ;;
	esac
	$mingw "${flags[@]}" -DCORPUS_IMPLEMENTATION -c corpus_desc.c -o "corpus.$triple.o"
	$mingw "${flags[@]}" -c shapes_desc.c -o "shapes.$triple.o"
	$mingw "${flags[@]}" -c stubs.c -o "stubs.$triple.o"
	$mingw -shared -o "corpus.$triple.dll" "corpus.$triple.o" "shapes.$triple.o" "stubs.$triple.o"
	inspect "corpus.$triple.dll"
	expect "$triple DLL: $pe" 0 "corpus.$triple.dll: $pe" out
	expect "$triple DLL: the class of $target" 0 "$target" out
	check "$triple DLL: two modules" test "$(grep -c '^module ' out)" = 2
	inspect "corpus.$triple.dll" --against corpus.json
	expect "$triple DLL: compatible with corpus.json on its targets" 0 "is compatible" out
	inspect "corpus.$triple.o"
	expect "$triple object: $coff" 0 "corpus.$triple.o: $coff" out
	if [ "$triple" = x86_64-w64-mingw32 ]; then
		$mingw "${flags[@]}" -Wa,-mbig-obj -c shapes_desc.c -o shapes.bigobj.o
		inspect shapes.bigobj.o
		expect "a bigobj COFF object" 0 "COFF bigobj object, x86-64" out
	fi
done
if command -v "$clang" >/dev/null 2>&1 &&
	"$clang" --target=x86_64-windows-msvc -ffreestanding "${flags[@]}" -c shapes_desc.c -o shapes.msvc.o \
		2>/dev/null; then
	inspect shapes.msvc.o
	expect "clang's MSVC object (#pragma section)" 0 "module shapes 1.0" out
else
	echo "skip the MSVC object: no clang for x86_64-windows-msvc"
fi

# ---- Mach-O: objects, a universal file, a dynamic library --------------------------

llvm_tool() {
	local t
	for t in "$1" /usr/lib/llvm-*/bin/"$1"; do
		if command -v "$t" >/dev/null 2>&1; then
			command -v "$t"
			return
		fi
	done
}
if command -v "$clang" >/dev/null 2>&1 &&
	"$clang" --target=arm64-apple-macos -ffreestanding "${flags[@]}" -DCORPUS_IMPLEMENTATION \
		-c corpus_desc.c -o corpus.arm64.o 2>/dev/null; then
	inspect corpus.arm64.o
	expect "Mach-O object (arm64)" 0 "corpus.arm64.o: Mach-O 64-bit object, arm64" out
	expect "Mach-O object: section __DATA,__chitin" 0 "section __DATA,__chitin:" out
	expect "Mach-O object: the class of aarch64-macos" 0 "aarch64-macos" out
	inspect corpus.arm64.o --against corpus.json
	expect "Mach-O object: compatible with corpus.json" 0 "is compatible" out
	lipo=$(llvm_tool llvm-lipo)
	if [ -n "$lipo" ] && "$clang" --target=x86_64-apple-macos -ffreestanding "${flags[@]}" \
		-DCORPUS_IMPLEMENTATION -c corpus_desc.c -o corpus.x86_64.o; then
		"$lipo" -create corpus.arm64.o corpus.x86_64.o -output corpus.fat.o
		inspect corpus.fat.o
		expect "universal Mach-O file" 0 "corpus.fat.o: Mach-O universal binary with 2 architectures" out
		expect "universal Mach-O file: each architecture's section" 0 \
			"section __DATA,__chitin of Mach-O universal binary, architecture 2 of 2" out
		check "universal Mach-O file: two descriptors" test "$(grep -c '^module ' out)" = 2
	else
		echo "skip the universal Mach-O file: no llvm-lipo"
	fi
	ld64=$(llvm_tool ld64.lld)
	if [ -n "$ld64" ] && "$clang" --target=arm64-apple-macos -ffreestanding "${flags[@]}" \
		-c shapes_desc.c -o shapes.arm64.o; then
		"$ld64" -arch arm64 -platform_version macos 11.0 11.0 -dylib -undefined dynamic_lookup \
			corpus.arm64.o shapes.arm64.o -o libcorpus.dylib
		inspect libcorpus.dylib
		expect "Mach-O dynamic library" 0 "libcorpus.dylib: Mach-O 64-bit dynamic library, arm64" out
		check "Mach-O dynamic library: two modules" test "$(grep -c '^module ' out)" = 2
	else
		echo "skip the Mach-O dynamic library: no ld64.lld"
	fi
else
	echo "skip Mach-O: $clang cannot compile for arm64-apple-macos"
fi

# ---- no descriptor, truncated and corrupted files, bad usage ------------------------

inspect stubs.o
expect "an object without a descriptor" 1 \
	"stubs.o: error: no chitin descriptor: ELF 64-bit LSB relocatable object" err
check "no descriptor: nothing on standard output" test ! -s out
inspect corpus.json
expect "a file that is not a binary" 1 "corpus.json: error: not a binary chitin reads" err
: >empty
inspect empty
expect "an empty file" 1 "empty: error: the file is empty" err
inspect .
expect "a directory" 2 "chitin: error: cannot read '.': Is a directory" err
inspect no-such-file
expect "a missing file" 2 "chitin: error: cannot read 'no-such-file'" err
inspect - <libcorpus.so
expect "standard input" 0 "<stdin>: ELF" out

size=$(wc -c <libcorpus.so)
for n in 3 20 63 1000 $((size / 2)) $((size - 1)); do
	head -c "$n" libcorpus.so >cut.so
	inspect cut.so
	expect "cut to $n bytes: an error" 1 "cut.so: error: " err
done
expect "cut by a byte: the section headers are missing" 1 \
	"ELF: the section headers end past the end of the file" err

# patch FILE OFFSET BYTES...: overwrites bytes of a copy (in place)
patch() {
	local file=$1 at=$2
	shift 2
	printf "$(printf '\\%03o' "$@")" | dd of="$file" bs=1 seek="$at" conv=notrunc 2>/dev/null
}
# The descriptor of corpus in the plugin, and the .chitin section header.
inspect libcorpus.so
blob=$(($(sed -n 's/^module corpus 1.2: [0-9]* bytes at offset \(0x[0-9a-f]*\),.*/\1/p' out)))
cp libcorpus.so bad.so
patch bad.so $((blob + 4)) 3
inspect bad.so
expect "a blob of another format" 1 "where a descriptor must start: unsupported descriptor format" err
cp libcorpus.so bad.so
patch bad.so $((blob + 28)) 255 255 255 255 15
inspect bad.so
expect "a corrupt blob" 1 "error: section .chitin: the descriptor at offset $(printf '0x%x' $blob) (5984 bytes) is corrupt" err
expect "a corrupt blob: the blob after it is still listed" 1 "module shapes 1.0" out
cp libcorpus.so bad.so
patch bad.so $((blob + 8)) 255 255 255 0
inspect bad.so
expect "a blob longer than its section" 1 "where a descriptor must start: truncated" err
if command -v readelf >/dev/null 2>&1; then
	index=$(readelf -S -W libcorpus.so | sed -n 's/^ *\[ *\([0-9]*\)\] \.chitin .*/\1/p')
	shoff=$(od -An -t u8 -j 40 -N 8 libcorpus.so | tr -d ' ')
	header=$((shoff + 64 * index))
	cp libcorpus.so bad.so
	patch bad.so $((header + 24)) 0 0 0 0 0 0 0 1     # sh_offset: 2^56
	inspect bad.so
	expect "a section header pointing past the end" 1 "section .chitin (" err
	expect "a section header pointing past the end: said so" 1 "ends past the end of the file" err
	cp libcorpus.so bad.so
	patch bad.so $((header + 4)) 8                     # SHT_NOBITS
	inspect bad.so
	expect "a .chitin section without contents" 1 "section .chitin has no contents in the file" err
	cp libcorpus.so bad.so
	patch bad.so 60 255 255                            # e_shnum
	inspect bad.so
	expect "too many section headers" 1 "the section headers end past the end of the file" err
	# every byte of the section headers, one at a time
	n_headers=$(od -An -t u2 -j 60 -N 2 libcorpus.so | tr -d ' ')
	crashed=0
	for ((at = shoff; at < shoff + 64 * n_headers; at += 5)); do
		cp libcorpus.so bad.so
		patch bad.so "$at" 255
		inspect bad.so
		if [ "$status" -gt 1 ]; then crashed=1; fi
	done
	check "every fifth byte of the section headers changed: no crash" test "$crashed" = 0
else
	echo "skip the section header patches: no readelf"
fi

inspect
expect "no file: usage" 2 "chitin: error: no input file" err
inspect a b
expect "two files: usage" 2 "chitin inspect takes one file" err
inspect --json --against corpus.json libcorpus.so
expect "--json with --against: usage" 2 "do not go together" err
inspect --frobnicate libcorpus.so
expect "an unknown option: usage" 2 "unknown option '--frobnicate'" err
inspect --against
expect "--against without a file: usage" 2 "option '--against' needs a file" err
inspect --help
expect "--help" 0 "usage: chitin inspect" out
check "chitin --help lists inspect" sh -c "'$CHITIN' --help | grep -q '^  inspect  '"

# ---- the fuzz target on every binary built here ----------------------------------

seeds=()
for f in libcorpus.so corpus.o libcorpus.a corpus.x86_64-w64-mingw32.dll corpus.i686-w64-mingw32.o \
	shapes.bigobj.o shapes.msvc.o corpus.arm64.o corpus.fat.o libcorpus.dylib; do
	if [ -f "$f" ]; then seeds+=("$f"); fi
done
check "the fuzz target on ${#seeds[@]} binaries and changed copies of them" \
	run_limited "$FUZZ_OBJFILE" -n 3000 "${seeds[@]}"

lib_summary
