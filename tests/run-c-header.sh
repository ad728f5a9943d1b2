#!/usr/bin/env bash
# The C headers of `chitin gen --c`, held to doc/abi.md: for the modules of
# tests/golden/gen (corpus imports shapes; other imports shapes too and
# defines some of the same instantiations), each generated header
#   - compiles alone, warning-free, as C11 and C++11 under gcc and clang;
#   - compiles for each of the ten targets with clang --target=TRIPLE
#     -ffreestanding, where its own static assertions hold chitin's layout
#     numbers against the compiler, and selects exactly the section of
#     that target's layout class (alike.h has one class, apart.h three);
#   - includes nothing but <stdint.h>, <stddef.h>, <stdbool.h>,
#     <chitin/chitin.h> and the headers of the modules it imports, and
#     defines no symbol (nm);
# (tests/run-golden-gen.sh holds them to their goldens.)
# tests/cgen/use_headers.c, which builds every type and calls every helper
# and export, is built and run; tests/cgen/use_headers.cc is compiled as
# C++11.  Self-checks prove the assertions bite: a header with one size
# changed in one section's `CHITIN_ASSERT(sizeof(` line must fail to
# compile on exactly the targets of that section's class.
#
# Environment (set by make check): CHITIN (the compiler; default
# $top_builddir/chitin), srcdir, CC (the host C compiler, may carry flags;
# default gcc), CXX (default g++), CLANG (default clang; optional).
# Exit status: 0 pass, 1 fail, 77 skipped (chitin has no --c yet).
set -euo pipefail

me=run-c-header
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
CHITIN=${CHITIN:-$top_builddir/chitin}
read -r -a cc <<<"${CC:-gcc}"
read -r -a cxx <<<"${CXX:-g++}"
clang=${CLANG:-clang}

cgen=$(cd "$srcdir/tests/cgen" && pwd)
idl=$(cd "$srcdir/tests/golden/gen" && pwd)
runtime_include=$(cd "$srcdir/runtime/include" && pwd)
modules=(shapes corpus other alike apart keywords cheader)
# imports_of MODULE: the modules whose headers MODULE.h must include.
imports_of() {
	case $1 in
	corpus | other | cheader) echo shapes ;;
	*) ;;
	esac
}

. "$srcdir/tests/lib.sh"
lib_targets
lib_work
gen=$work/gen
mkdir -p "$gen" "$work/tu" "$work/obj"

# compile NAME COMMAND...: passes when the command succeeds; otherwise
# shows what the compiler said.
compile() {
	local name=$1 log
	shift
	log=$work/obj/$(echo "$name" | tr -c 'a-zA-Z0-9.\n-' _).log
	if run_limited "$@" >"$log" 2>&1; then
		ok "$name"
	else
		bad "$name"
		show "$log"
	fi
}

# ---- Generate ---------------------------------------------------------------

status=0
"$CHITIN" gen --c -o "$gen" "$idl/corpus.idl" "$idl/other.idl" \
	2>"$work/gen.err" || status=$?
if [ "$status" = 2 ] && grep -q -- "--c" "$work/gen.err"; then
	echo "$me: skipped: this chitin has no C backend (gen --c is a usage error):"
	show "$work/gen.err"
	exit 77
fi
if [ "$status" != 0 ]; then
	echo "FAIL chitin gen --c corpus.idl other.idl: exit $status"
	show "$work/gen.err"
	echo "$me: 0 passed, 1 failed"
	exit 1
fi
status=0
"$CHITIN" gen --c -o "$gen" "$idl/shapes.idl" "$idl/alike.idl" "$idl/apart.idl" \
	"$idl/keywords.idl" "$idl/cheader.idl" 2>"$work/gen.err" || status=$?
if [ "$status" != 0 ]; then
	echo "FAIL chitin gen --c shapes.idl alike.idl apart.idl keywords.idl cheader.idl: exit $status"
	show "$work/gen.err"
	echo "$me: 0 passed, 1 failed"
	exit 1
fi
for m in "${modules[@]}"; do
	if [ -s "$gen/$m.h" ]; then ok "gen writes $m.h"; else bad "gen writes $m.h"; fi
done
if [ "$(find "$gen" -type f | wc -l)" = "${#modules[@]}" ]; then
	ok "gen writes one header per module on the command line, nothing else"
else
	bad "gen writes one header per module on the command line, nothing else"
	find "$gen" -type f | sed 's/^/  | /'
fi

# The same headers whatever the order of the inputs, and whether shapes
# is named on the command line or only imported.
mkdir -p "$work/gen2"
if "$CHITIN" gen --c -o "$work/gen2" "$idl/apart.idl" "$idl/other.idl" "$idl/keywords.idl" "$idl/cheader.idl" \
	"$idl/shapes.idl" "$idl/alike.idl" "$idl/corpus.idl" 2>"$work/gen2.err"; then
	same=yes
	for m in "${modules[@]}"; do
		cmp -s "$gen/$m.h" "$work/gen2/$m.h" || same=no
	done
	if [ $same = yes ]; then ok "headers do not depend on the order of inputs"; else bad "headers do not depend on the order of inputs"; fi
else
	bad "chitin gen --c with the inputs in another order"
	show "$work/gen2.err"
fi

# ---- What each header includes, and that it defines no symbol ------------------

for m in "${modules[@]}"; do
	allowed='<stdint\.h>|<stddef\.h>|<stdbool\.h>|<chitin/chitin\.h>'
	for dep in $(imports_of "$m"); do
		allowed="$allowed|\"$dep\\.h\""
	done
	grep -E '^[[:space:]]*#[[:space:]]*include' "$gen/$m.h" >"$work/$m.includes" || true
	if grep -Evq "^[[:space:]]*#[[:space:]]*include[[:space:]]*($allowed)[[:space:]]*(/\*.*\*/)?[[:space:]]*\$" \
		"$work/$m.includes"; then
		bad "$m.h includes only the freestanding headers, chitin.h and its imports"
		grep -Ev "^[[:space:]]*#[[:space:]]*include[[:space:]]*($allowed)" "$work/$m.includes" |
			sed 's/^/  | /'
	else
		ok "$m.h includes only the freestanding headers, chitin.h and its imports"
	fi
	missing=
	for want in '<chitin/chitin.h>' $(imports_of "$m" | sed 's/.*/"&.h"/'); do
		grep -qF "$want" "$work/$m.includes" || missing="$missing $want"
	done
	if [ -z "$missing" ]; then ok "$m.h includes chitin.h and its imports"; else bad "$m.h does not include:$missing"; fi
done

# ---- Each header alone, as C11 and C++11, under gcc and clang --------------------

strict=(-Wall -Wextra -Wshadow -pedantic -Werror)
for m in "${modules[@]}"; do
	printf '#include "%s.h"\n' "$m" >"$work/tu/$m.c"
done
# Both orders of the two headers that share instantiations.
printf '#include "corpus.h"\n#include "other.h"\n' >"$work/tu/corpus_other.c"
printf '#include "other.h"\n#include "corpus.h"\n' >"$work/tu/other_corpus.c"
tus=("${modules[@]}" corpus_other other_corpus)

have_clang=no
command -v "$clang" >/dev/null 2>&1 && have_clang=yes
have_cxx=no
command -v "${cxx[0]}" >/dev/null 2>&1 && have_cxx=yes

for tu in "${tus[@]}"; do
	inc=(-I "$gen" -I "$runtime_include")
	# -Wstrict-aliasing=1, the most suspicious level: the helpers read
	# every vtable and record through its own type (doc/abi.md 5.3, 2.18)
	compile "${cc[*]} C11: $tu" "${cc[@]}" -std=c11 "${strict[@]}" -O2 -fstrict-aliasing \
		-Wstrict-aliasing=1 "${inc[@]}" -c "$work/tu/$tu.c" -o "$work/obj/$tu.cc.o"
	# CHITIN_NO_HELPERS (doc/c-names.md 1): the same header, with none of
	# the module's inline functions (a definition starts a line with its
	# name: the header's style), while a module with an interface, a
	# callback or exports has some without it
	compile "${cc[*]} C11 -DCHITIN_NO_HELPERS: $tu" "${cc[@]}" -std=c11 "${strict[@]}" \
		-DCHITIN_NO_HELPERS "${inc[@]}" -c "$work/tu/$tu.c" -o "$work/obj/$tu.nohelp.o"
	for mode in with without; do
		defs=(-DCHITIN_NO_HELPERS)
		[ $mode = with ] && defs=()
		"${cc[@]}" -std=c11 "${defs[@]}" "${inc[@]}" -E -P "$work/tu/$tu.c" >"$work/$tu.$mode.i"
		n=$(grep -E '^[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]*\(' "$work/$tu.$mode.i" |
			grep -vc '^chitin_' || true)
		if [ $mode = without ]; then
			check "CHITIN_NO_HELPERS leaves none of $tu's helpers" [ "$n" = 0 ]
		elif [ -f "$srcdir/tests/golden/gen/$tu.idl" ] &&
			grep -Eq '^(interface|callback|export) ' "$srcdir/tests/golden/gen/$tu.idl"; then
			check "without CHITIN_NO_HELPERS $tu has its helpers" [ "$n" != 0 ]
		fi
	done
	if [ $have_cxx = yes ]; then
		compile "${cxx[*]} C++11: $tu" "${cxx[@]}" -x c++ -std=c++11 "${strict[@]}" "${inc[@]}" \
			-c "$work/tu/$tu.c" -o "$work/obj/$tu.cxx.o"
	fi
	if [ $have_clang = yes ]; then
		compile "$clang C11: $tu" "$clang" -std=c11 "${strict[@]}" "${inc[@]}" \
			-c "$work/tu/$tu.c" -o "$work/obj/$tu.clang.o"
		compile "$clang C++11: $tu" "$clang" -x c++ -std=c++11 "${strict[@]}" "${inc[@]}" \
			-c "$work/tu/$tu.c" -o "$work/obj/$tu.clangxx.o"
	fi
done
[ $have_cxx = yes ] || echo "skip C++11 with ${cxx[*]}: not found"
[ $have_clang = yes ] || echo "skip clang: no $clang"

# C++20 reads a line that starts with `module` or `import` (after `export`
# or nothing) followed by a name, ':', ';', '<' or a string as a module
# directive, and member names may be `module` and `import` (doc/idl.md
# 2.6, keywords.idl): no line of a header starts so, and each compiles as
# C++20, under g++ with its module support (-fmodules-ts) where it has it.
directive='^[[:space:]]*(export[[:space:]]+)?(module|import)([[:space:]]+[A-Za-z_<"]|[[:space:]]*[:;<"]|[[:space:]]*$)'
printf '\tmodule;\n' >"$work/directive.yes"
printf '\timport x;\n' >>"$work/directive.yes"
printf 'export module m;\n' >>"$work/directive.yes"
printf '\tmodule, import);\n\tuint32_t module;\n\timported(x);\n' >"$work/directive.no"
if [ "$(grep -cE "$directive" "$work/directive.yes")" = 3 ] && ! grep -qE "$directive" "$work/directive.no"; then
	ok "self-check: the directive pattern finds directives and only them"
else
	bad "self-check: the directive pattern finds directives and only them"
fi
for m in "${modules[@]}"; do
	if grep -nE "$directive" "$gen/$m.h" >"$work/$m.directives"; then
		bad "$m.h has a line C++20 reads as a module directive"
		show "$work/$m.directives"
	else
		ok "$m.h has no line C++20 reads as a module directive"
	fi
done
cxx20=()
if [ $have_cxx = yes ] && "${cxx[@]}" -x c++ -std=c++20 -fmodules-ts -fsyntax-only /dev/null >/dev/null 2>&1; then
	cxx20+=("${cxx[*]} -x c++ -std=c++20 -fmodules-ts")
elif [ $have_cxx = yes ] && "${cxx[@]}" -x c++ -std=c++20 -fsyntax-only /dev/null >/dev/null 2>&1; then
	cxx20+=("${cxx[*]} -x c++ -std=c++20")
fi
if [ $have_clang = yes ] && "$clang" -x c++ -std=c++20 -fsyntax-only /dev/null >/dev/null 2>&1; then
	cxx20+=("$clang -x c++ -std=c++20")
fi
[ ${#cxx20[@]} -gt 0 ] || echo "skip C++20: neither ${cxx[*]} nor $clang compiles it"
for c in "${cxx20[@]}"; do
	read -r -a cmd <<<"$c"
	for m in "${modules[@]}"; do
		compile "$c: $m.h" "${cmd[@]}" "${strict[@]}" -I "$gen" -I "$runtime_include" \
			-fsyntax-only "$work/tu/$m.c"
	done
done

# A header defines no symbol: its functions are static inline, its
# constants macros.  Two translation units must be able to include it.
if command -v nm >/dev/null 2>&1; then
	for m in "${modules[@]}"; do
		obj=$work/obj/$m.cc.o
		[ -f "$obj" ] || continue
		if [ -z "$(nm -g --defined-only "$obj")" ]; then
			ok "nm: $m.h defines no external symbol"
		else
			bad "nm: $m.h defines external symbols"
			nm -g --defined-only "$obj" | sed 's/^/  | /'
		fi
	done
else
	echo "skip nm: not found"
fi

# ---- Ten targets: the header's own assertions against clang -----------------------

# selected_class FILE MODULE COMPILER...: the targets of MODULE's layout
# class whose assertions the preprocessed FILE keeps (the section's
# "chitin layout class of MODULE:" comment, kept by -C), one space between
# them; "" when none, several lines when several sections were kept.
selected_class() {
	local file=$1 module=$2
	shift 2
	{ run_limited "$@" -E -C "$file" 2>/dev/null || true; } |
		{ grep -oE "chitin layout class of $module:[a-z0-9_ -]*" || true; } |
		sed -E 's/^[^:]*: *//; s/ *$//' | sort -u
}

# in_list WORD LIST: whether WORD is one of the space-separated LIST.
in_list() {
	case " $2 " in *" $1 "*) return 0 ;; *) return 1 ;; esac
}

if [ $have_clang = yes ]; then
	set -- "${targets[@]}"
	while [ $# -gt 0 ]; do
		name=$1 triple=$2
		shift 2
		for m in "${modules[@]}"; do
			inc=(-I "$gen" -I "$runtime_include")
			cmd=("$clang" --target="$triple" -ffreestanding -std=c11 "${inc[@]}")
			compile "$triple C11: $m.h" "${cmd[@]}" "${strict[@]}" -c "$work/tu/$m.c" \
				-o "$work/obj/$m.$triple.o"
			compile "$triple C++11: $m.h" "$clang" --target="$triple" -ffreestanding -nostdinc++ \
				-x c++ -std=c++11 "${strict[@]}" "${inc[@]}" -c "$work/tu/$m.c" \
				-o "$work/obj/$m.$triple.xx.o"
			got=$(selected_class "$work/tu/$m.c" "$m" "${cmd[@]}")
			if [ "$(printf '%s\n' "$got" | wc -l)" = 1 ] && in_list "$name" "$got"; then
				ok "$triple: $m.h checks the layout class of $name ($got)"
			else
				bad "$triple: $m.h checks the layout class '${got:-nothing}', not one with $name"
			fi
		done
	done
fi

# ---- use_headers.c and use_headers.cc --------------------------------------------

inc=(-I "$gen" -I "$runtime_include")
compile "${cc[*]}: build use_headers.c" "${cc[@]}" -std=c11 "${strict[@]}" "${inc[@]}" \
	"$cgen/use_headers.c" -o "$work/use_headers"
if [ -x "$work/use_headers" ]; then
	compile "run use_headers (${cc[*]})" "$work/use_headers"
fi
if [ $have_clang = yes ]; then
	compile "$clang: build use_headers.c" "$clang" -std=c11 "${strict[@]}" "${inc[@]}" \
		"$cgen/use_headers.c" -o "$work/use_headers_clang"
	if [ -x "$work/use_headers_clang" ]; then
		compile "run use_headers ($clang)" "$work/use_headers_clang"
	fi
fi
# Under ASan and UBSan, where the host compiler has them: a helper that
# reads a vtable slot past `size` reads past an allocation.
# shellcheck disable=SC2054 # the commas belong to the option
san=(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
printf 'int main(void) { return 0; }\n' >"$work/probe.c"
if "${cc[@]}" "${san[@]}" "$work/probe.c" -o "$work/probe" >/dev/null 2>&1 && "$work/probe" >/dev/null 2>&1; then
	compile "${cc[*]} ASan+UBSan: build use_headers.c" "${cc[@]}" -std=c11 "${strict[@]}" "${san[@]}" \
		"${inc[@]}" "$cgen/use_headers.c" -o "$work/use_headers_san"
	if [ -x "$work/use_headers_san" ]; then
		compile "run use_headers (ASan+UBSan)" env ASAN_OPTIONS=detect_leaks=0 "$work/use_headers_san"
	fi
else
	echo "skip ASan+UBSan: ${cc[*]} cannot build and run with them here"
fi
# Under clang's control-flow integrity for indirect calls, where the
# toolchain builds it (LTO and lld): every slot is called through a
# pointer of exactly its implementation's type, inherited ones included,
# since self is the declaring interface (doc/abi.md 5.3).
# shellcheck disable=SC2054 # the commas belong to the option
cfi=(-flto -fvisibility=hidden -fsanitize=cfi-icall -fno-sanitize-trap=cfi -fno-sanitize-recover=cfi -fuse-ld=lld)
if [ $have_clang = yes ] && "$clang" "${cfi[@]}" "$work/probe.c" -o "$work/probe_cfi" >/dev/null 2>&1 &&
	"$work/probe_cfi" >/dev/null 2>&1; then
	compile "$clang cfi-icall: build use_headers.c" "$clang" -std=c11 "${strict[@]}" -O2 "${cfi[@]}" \
		"${inc[@]}" "$cgen/use_headers.c" -o "$work/use_headers_cfi"
	if [ -x "$work/use_headers_cfi" ]; then
		compile "run use_headers (cfi-icall)" "$work/use_headers_cfi"
	fi
else
	echo "skip cfi-icall: $clang cannot build and run with it here"
fi
if [ $have_cxx = yes ]; then
	compile "${cxx[*]}: compile use_headers.cc" "${cxx[@]}" -std=c++11 "${strict[@]}" "${inc[@]}" \
		-c "$cgen/use_headers.cc" -o "$work/obj/use_headers.o"
fi
if [ $have_clang = yes ]; then
	compile "$clang: compile use_headers.cc" "$clang" -x c++ -std=c++11 "${strict[@]}" "${inc[@]}" \
		-c "$cgen/use_headers.cc" -o "$work/obj/use_headers.clang.o"
fi

# ---- Self-check: the assertions bite ------------------------------------------------

# sections FILE: the layout classes of the header FILE, one line each, in
# section order.
sections() {
	sed -n 's/^\/\* chitin layout class of [a-z0-9]*: \(.*\) \*\/$/\1/p' "$1"
}

# break_section K IN OUT: copies IN to OUT with the size in the first
# `CHITIN_ASSERT(sizeof(` line of the K-th layout class section increased
# by one.  Fails if there is no such line.
break_section() {
	awk -v k="$1" '
		/^\/\* chitin layout class of / { section++; taken = 0 }
		!done && section == k && !taken && /^CHITIN_ASSERT\(sizeof\(/ {
			taken = 1
			if (match($0, /\) == [0-9]+/)) {
				n = substr($0, RSTART + 5, RLENGTH - 5) + 1
				$0 = substr($0, 1, RSTART + 4) n substr($0, RSTART + RLENGTH)
				done = 1
			}
		}
		{ print }
		END { exit done ? 0 : 1 }' "$2" >"$3"
}

# Each layout class section of each module, with one size changed, must
# fail on exactly the targets of its class, on an assertion; the sections
# together hold every target once.
mkdir -p "$work/broken"
if [ $have_clang = yes ]; then
	for m in "${modules[@]}"; do
		printf '#include "%s.h"\n' "$m" >"$work/broken/tu.c"
		for dep in $(imports_of "$m"); do cp "$gen/$dep.h" "$work/broken/$dep.h"; done
		mapfile -t classes < <(sections "$gen/$m.h")
		case $m in
		alike) check "self-check: alike.h has one layout class" test "${#classes[@]}" = 1 ;;
		apart) check "self-check: apart.h has three layout classes" test "${#classes[@]}" = 3 ;;
		esac
		all=" "
		for c in "${classes[@]}"; do all="$all$c "; done
		covered=yes
		for name in "${target_names[@]}"; do
			in_list "$name" "$all" || covered=no
		done
		if [ "$covered" = yes ] && [ "$(echo $all | wc -w)" = "${#target_names[@]}" ]; then
			ok "self-check: $m.h has ${#classes[@]} layout classes covering every target once"
		else
			bad "self-check: $m.h's layout classes do not cover every target once:$all"
		fi
		k=1
		for c in "${classes[@]}"; do
			if ! break_section $k "$gen/$m.h" "$work/broken/$m.h"; then
				bad "self-check: $m.h has no layout assertion in section $k ($c)"
				k=$((k + 1))
				continue
			fi
			failing=
			not_assert=
			set -- "${targets[@]}"
			while [ $# -gt 0 ]; do
				if ! run_limited "$clang" --target="$2" -ffreestanding -std=c11 -I "$work/broken" \
					-I "$runtime_include" -c "$work/broken/tu.c" -o "$work/broken/tu.o" \
					>"$work/broken/$1.err" 2>&1; then
					failing="$failing $1"
					grep -qiE 'static.assert' "$work/broken/$1.err" || not_assert="$not_assert $1"
				fi
				shift 2
			done
			failing=${failing# }
			if [ "$failing" = "$c" ] && [ -z "$not_assert" ]; then
				ok "self-check: $m.h with a size changed in section $k fails on exactly $c"
			elif [ -n "$not_assert" ]; then
				bad "self-check: $m.h section $k fails on$not_assert, but not on an assertion"
				show "$work/broken/${not_assert# }.err"
			else
				bad "self-check: $m.h section $k ($c) changed fails on '${failing:-no target}'"
			fi
			k=$((k + 1))
		done
		rm -f "$work/broken/"*.h
	done
fi

# The host compiler too: corpus.h with the size in the host's section
# changed must not compile.
host_class=$(selected_class "$work/tu/corpus.c" corpus "${cc[@]}" -std=c11 -I "$gen" -I "$runtime_include")
if [ -z "$host_class" ] || [ "$(printf '%s\n' "$host_class" | wc -l)" != 1 ]; then
	echo "skip self-check with ${cc[*]}: its target is none of the ten"
else
	k=1
	while IFS= read -r c; do
		[ "$c" = "$host_class" ] && break
		k=$((k + 1))
	done < <(sections "$gen/corpus.h")
	printf '#include "corpus.h"\n' >"$work/broken/host.c"
	cp "$gen/shapes.h" "$work/broken/shapes.h"
	if ! break_section $k "$gen/corpus.h" "$work/broken/corpus.h"; then
		bad "self-check: corpus.h has no size assertion in the section of $host_class"
	elif run_limited "${cc[@]}" -std=c11 -I "$work/broken" -I "$runtime_include" \
		-c "$work/broken/host.c" -o "$work/broken/host.o" >"$work/broken/host.err" 2>&1; then
		bad "self-check: corpus.h with a changed size compiles with ${cc[*]}"
	elif grep -qiE 'static.assert' "$work/broken/host.err"; then
		ok "self-check: corpus.h with a changed size fails with ${cc[*]} ($host_class)"
		grep -m 1 -iE 'static.assert' "$work/broken/host.err" | cut -c 1-200 | sed 's/^/  | /'
	else
		bad "self-check: corpus.h with a changed size fails with ${cc[*]}, but not on an assertion"
		show "$work/broken/host.err"
	fi
fi

lib_summary
