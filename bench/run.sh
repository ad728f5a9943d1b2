#!/usr/bin/env bash
# Benchmarks chitin on generated modules of 1,000 to 100,000 declarations,
# against its peers where they are installed, and prints a table.  Builds
# nothing: `make bench` builds the programs and runs this with their paths in
#   CHITIN    the compiler
#   GENIDL    bench/genidl, which writes a module of N declarations
#   BENCHRUN  bench/benchrun, which times a command
#   BENCHCMP  bench/benchcmp, which times the decoding and comparison of
#             a plugin's descriptor
# and optionally
#   CHITIN_INCLUDE  the directory of <chitin/chitin.h> (runtime/include of
#                   the source tree unless told)
#   BENCH_SIZES     the numbers of declarations (1000 10000 50000 100000)
#   BENCH_RUNS      the most runs of each command, the best is kept (3)
#   BENCH_BUDGET    seconds after which a command is not run again (30)
#   BENCH_PEER_MAX  the largest N the peers run on (50000: widl is
#                   quadratic and takes minutes at 100000)
#   BENCH_CC_SIZE   the N whose generated C is compiled with gcc (10000)
#   WIDL, FLATC     the peers (widl, else widl-stable as Debian names it;
#                   flatc; "none" skips one)
#   WINE_INCLUDE    the directory of Wine's windows headers, for gcc
#
# Two schemas: "mixed" (genidl N) uses every kind of declaration; "peer"
# (genidl --peer LANG N) is N/2 plain structs and N/2 interfaces, written
# for chitin, for Wine's widl and for flatc, and only there are the peers
# timed: `widl -h` against `chitin gen --c`, `flatc --cpp` against
# `chitin gen` (the ratio is peer time / chitin time); at BENCH_CC_SIZE,
# gcc on widl's header against gcc on bench_desc.c (which leaves the
# header's helpers out), and gcc on widl's header with its C inline
# wrappers against gcc on bench.h (which has its helpers).  Times are wall
# clock, the best of the runs; MB/s is input bytes per best second; cpu is
# the least user + system time of a run; RSS the peak of the runs.  For a
# command that writes files, each output's size is given as a multiple of
# the input's.
#
# `chitin compat` is timed on the peer schema, against the JSON descriptor
# of the plain version, with three new versions: the same one (in order),
# its declarations shuffled (compatible) and all of them renamed (every
# item missing on each side: compat must refuse it, exit 1).  The "desc"
# lines time what the plugin loader does with a plugin's descriptor:
# decode its blob and compare it with the host's (bench/benchcmp, on a
# module of N types in order, shuffled and renamed); wall s is the least
# time of both, and the notes give each.
#
# Fails if chitin rejects a generated module, if a chitin command fails or
# if gcc rejects chitin's output.  A missing peer is skipped with a note; a
# peer that fails is reported, not an error of chitin's.
set -euo pipefail

: "${CHITIN:?set CHITIN to the chitin binary}"
: "${GENIDL:?set GENIDL to bench/genidl}"
: "${BENCHRUN:?set BENCHRUN to bench/benchrun}"
: "${BENCHCMP:?set BENCHCMP to bench/benchcmp}"

# Paths made absolute, since the runs happen in a temporary directory; a
# bare name stays one, to be found on PATH.
absolute() {
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*/*) printf '%s/%s\n' "$PWD" "$1" ;;
	*) printf '%s\n' "$1" ;;
	esac
}
bench_dir=$(cd "$(dirname "$0")" && pwd)
CHITIN=$(absolute "$CHITIN")
GENIDL=$(absolute "$GENIDL")
BENCHRUN=$(absolute "$BENCHRUN")
BENCHCMP=$(absolute "$BENCHCMP")
CHITIN_INCLUDE=$(absolute "${CHITIN_INCLUDE:-$(dirname "$0")/../runtime/include}")
if [ ! -f "$CHITIN_INCLUDE/chitin/chitin.h" ]; then
	echo "bench: no chitin/chitin.h in $CHITIN_INCLUDE; set CHITIN_INCLUDE" >&2
	exit 2
fi

sizes=${BENCH_SIZES:-1000 10000 50000 100000}
runs=${BENCH_RUNS:-3}
budget=${BENCH_BUDGET:-30}
peer_max=${BENCH_PEER_MAX:-50000}
cc_size=${BENCH_CC_SIZE:-10000}
CC=${CC:-gcc}

# A peer is used when found; "none" or an empty value skips it.
find_peer() {
	case ${1:-none} in
	none) ;;
	*) command -v "$1" || true ;;
	esac
}
widl=$(find_peer "${WIDL-widl}")
# Debian's wine64-tools names it widl-stable
[ -n "$widl" ] || [ -n "${WIDL+set}" ] || widl=$(find_peer widl-stable)
flatc=$(find_peer "${FLATC-flatc}")
wine_include=${WINE_INCLUDE:-}
if [ -z "$wine_include" ]; then
	for dir in /usr/include/wine/wine/windows /usr/include/wine/windows \
		/usr/include/wine-development/wine/windows /opt/wine/include/wine/windows; do
		if [ -f "$dir/windows.h" ]; then
			wine_include=$dir
			break
		fi
	done
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/chitin-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
mkdir -p out peer cc old

status=0
format='%-6s %7s %-24s %11s %9s %8s %9s %9s %4s  %s\n'
# shellcheck disable=SC2059 # the format is the table's
printf "$format" schema decls command "in bytes" "wall s" "MB/s" "cpu s" "RSS MiB" runs notes

# Sizes in bytes, summed.
bytes_of() {
	local total=0 f
	for f in "$@"; do
		total=$((total + $(wc -c <"$f")))
	done
	echo "$total"
}

# "NAME 12.3x, ..." for every file of DIR, each size over BYTES.
output_sizes() {
	local dir=$1 bytes=$2 f list=""
	for f in "$dir"/*; do
		[ -f "$f" ] || continue
		list+="${list:+, }${f##*/} $(awk -v a="$(wc -c <"$f")" -v b="$bytes" \
			'BEGIN { printf("%.1fx", (b > 0 ? a / b : 0)) }')"
	done
	echo "$list"
}

# a / b, as "x0.12".
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf("x%.2f", a / b); else printf("x?") }'
}

# timed SCHEMA N LABEL BYTES FILE OUTDIR|- NOTES BASE|- BASE_LABEL -- CMD...:
# times CMD with benchrun (emptying OUTDIR before each run), prints one
# line of the table and leaves the best wall time in $wall and the exit
# status in $code (0 when every run exited $expect, itself 0 unless set).
# BYTES is the input size for MB/s, FILE the input named to benchrun; with
# a BASE wall time, the notes give the ratio to it.
expect=0
timed() {
	local schema=$1 n=$2 label=$3 bytes=$4 file=$5 outdir=$6 notes=$7 base=$8 base_label=$9
	local line rate cpu rss nruns
	shift 10
	local empty=()
	[ "$outdir" = - ] || empty=(-e "$outdir")
	line=$("$BENCHRUN" -n "$runs" -t "$budget" -x "$expect" "${empty[@]}" "$file" -- "$@") || true
	# "FILE: SIZE bytes, BEST s, RATE MB/s, cpu C s, peak RSS N MiB, runs R, exit S"
	read -r _ _ _ wall _ _ _ _ cpu _ _ _ rss _ _ nruns _ code <<<"${line//,/}"
	if [ -z "${code:-}" ]; then
		wall=0 cpu=- rss=- nruns=0 code=2
	elif [ "$code" = "$expect" ]; then
		code=0
	elif [ "$code" = 0 ]; then
		code=255
	fi
	rate=$(awk -v b="$bytes" -v s="$wall" 'BEGIN { printf("%.1f", (s > 0 ? b / 1e6 / s : 0)) }')
	if [ "$base" != - ] && [ "$code" = 0 ]; then
		notes="$(ratio "$wall" "$base") of $base_label${notes:+; $notes}"
	fi
	if [ "$outdir" != - ] && [ "$code" = 0 ]; then
		notes="$(output_sizes "$outdir" "$bytes")${notes:+; $notes}"
	fi
	[ "$code" = 0 ] || notes="FAILED, exit $code${notes:+; $notes}"
	# shellcheck disable=SC2059
	printf "$format" "$schema" "$n" "$label" "$bytes" "$wall" "$rate" "$cpu" "$rss" "$nruns" "$notes"
}

# Says why a command failed: its first lines of diagnostics.
explain() {
	echo "bench: failed: $*" >&2
	"$@" 2>&1 >/dev/null | head -n 20 >&2 || true
}

skipped() {
	# shellcheck disable=SC2059
	printf "$format" "$1" "$2" "$3" - - - - - - "$4"
}

# The Rust crate's decoder and comparison, timed on the same blobs as
# benchcmp's by bench/rbenchcmp.rs, when a rustc is found (BENCH_RUSTC, or
# rustup's stable, or the one on PATH): the "desc" lines marked "rust".
rustc=${BENCH_RUSTC:-}
[ -n "$rustc" ] || { [ -x "$HOME/.cargo/bin/rustc" ] && rustc=$HOME/.cargo/bin/rustc; } || true
[ -n "$rustc" ] || rustc=$(command -v rustc || true)
rbench=
if [ -n "$rustc" ]; then
	mkdir -p rust
	if "$rustc" --edition 2021 -O --cfg 'feature="std"' --crate-type rlib --crate-name chitin --out-dir rust \
		"$bench_dir/../runtime/rust/src/lib.rs" 2>rust/build.err &&
		"$rustc" --edition 2021 -O --extern chitin=rust/libchitin.rlib -o rust/rbenchcmp \
			"$bench_dir/rbenchcmp.rs" 2>>rust/build.err; then
		rbench=$PWD/rust/rbenchcmp
	else
		echo "bench: the Rust comparator does not build:" >&2
		head -n 20 rust/build.err >&2
		status=1
	fi
fi

commands=("check" "gen --c" "gen --json" "gen --desc-c" "gen --rust" "gen")
for n in $sizes; do
	for schema in mixed peer; do
		file=$schema-$n.idl
		if [ "$schema" = mixed ]; then
			"$GENIDL" "$n" >"$file"
		else
			"$GENIDL" --peer chitin "$n" >"$file"
		fi
		bytes=$(bytes_of "$file")
		# Before timing: a rejected module is a broken benchmark, and
		# its diagnostics say why.
		if ! "$CHITIN" check "$file" >/dev/null 2>check.err; then
			echo "bench: chitin check rejects the generated $file:" >&2
			head -n 20 check.err >&2
			status=1
			continue
		fi
		declare -A chitin_wall=()
		cc_wall=
		hdr_wall=
		for cmd in "${commands[@]}"; do
			# shellcheck disable=SC2206 # the command's words split on purpose
			words=($cmd)
			if [ "$cmd" = check ]; then
				args=("$CHITIN" "${words[@]}" "$file")
				timed "$schema" "$n" "chitin $cmd" "$bytes" "$file" - "" - "" -- "${args[@]}"
			else
				args=("$CHITIN" "${words[@]}" -o out "$file")
				timed "$schema" "$n" "chitin $cmd" "$bytes" "$file" out "" - "" -- "${args[@]}"
			fi
			chitin_wall[$cmd]=$wall
			if [ "$code" != 0 ]; then
				status=1
				explain "${args[@]}"
			fi
		done

		[ "$schema" = peer ] || continue

		# compat: the old version's JSON descriptor against the same
		# declarations in order, shuffled and renamed.
		"$CHITIN" gen --json -o old "$file"
		for order in in-order shuffled renamed; do
			new=$file
			expect=0
			case $order in
			shuffled) new=peer-$n-shuffled.idl
				"$GENIDL" --peer chitin --shuffle "$n" >"$new" ;;
			renamed) new=peer-$n-renamed.idl expect=1
				"$GENIDL" --peer chitin --rename "$n" >"$new" ;;
			esac
			args=("$CHITIN" compat old/bench.json "$new")
			timed "$schema" "$n" "chitin compat ${order/-/ }" "$(bytes_of old/bench.json "$new")" \
				"$new" - "$([ "$expect" = 0 ] || echo "refused, as it should be")" - "" \
				-- "${args[@]}"
			if [ "$code" != 0 ]; then
				status=1
				explain "${args[@]}"
			fi
			expect=0
		done

		# gcc on what `chitin gen` left in out/, against gcc on widl's
		# header of the same schema.
		if [ "$n" = "$cc_size" ] && [ "${chitin_wall[gen]:-}" ] && [ -f out/bench_desc.c ]; then
			cp out/bench.h out/bench_desc.c cc/
			printf '#include "bench.h"\n' >cc/header.c
			args=("$CC" -O2 -c -I "$CHITIN_INCLUDE" -I cc -o cc/desc.o cc/bench_desc.c)
			timed "$schema" "$n" "gcc -O2 bench_desc.c" "$(bytes_of cc/bench.h cc/bench_desc.c)" \
				cc/bench_desc.c - "bench_desc.c including bench.h" - "" -- "${args[@]}"
			cc_wall=$wall
			if [ "$code" != 0 ]; then
				status=1
				explain "${args[@]}"
			fi
			args=("$CC" -O2 -c -I "$CHITIN_INCLUDE" -I cc -o cc/header.o cc/header.c)
			timed "$schema" "$n" "gcc -O2 bench.h" "$(bytes_of cc/bench.h)" \
				cc/bench.h - "a file including only bench.h" - "" -- "${args[@]}"
			hdr_wall=$wall
			if [ "$code" != 0 ]; then
				status=1
				explain "${args[@]}"
			fi
		fi

		if [ "$n" -gt "$peer_max" ]; then
			skipped "$schema" "$n" "peers" "skipped above $peer_max declarations (BENCH_PEER_MAX)"
			continue
		fi

		if [ -z "$widl" ]; then
			skipped "$schema" "$n" "widl -h" "skipped (widl not installed)"
		else
			"$GENIDL" --peer widl "$n" >"peer_widl-$n.idl"
			timed "$schema" "$n" "widl -h" "$(bytes_of "peer_widl-$n.idl")" "peer_widl-$n.idl" peer \
				"" "${chitin_wall[gen --c]}" "chitin gen --c" \
				-- "$widl" -h -o peer/peer_widl.h "peer_widl-$n.idl"
			if [ "$code" != 0 ]; then
				explain "$widl" -h -o peer/peer_widl.h "peer_widl-$n.idl"
			elif [ "$n" = "$cc_size" ]; then
				printf '#include "peer_widl.h"\n' >peer/widl.c
				cc_args=("$CC" -O2 -c -I peer -I "${wine_include:-/nonexistent}" -o peer/widl.o peer/widl.c)
				if [ -z "$wine_include" ]; then
					skipped "$schema" "$n" "gcc -O2 widl header" "skipped (no Wine windows headers; set WINE_INCLUDE)"
				elif ! "${cc_args[@]}" >/dev/null 2>peer/widl.err; then
					skipped "$schema" "$n" "gcc -O2 widl header" \
						"skipped (does not compile with -I $wine_include: $(grep -m1 error peer/widl.err || head -n1 peer/widl.err))"
				else
					timed "$schema" "$n" "gcc -O2 widl header" "$(bytes_of peer/peer_widl.h)" \
						peer/peer_widl.h - "-I $wine_include" "${cc_wall:--}" "gcc bench_desc.c" \
						-- "${cc_args[@]}"
					# with its C helpers, as chitin's header always has
					# them: widl's inline wrappers of every method
					cc_args=("$CC" -O2 -c -DCOBJMACROS -DWIDL_C_INLINE_WRAPPERS -I peer \
						-I "$wine_include" -o peer/widl.o peer/widl.c)
					timed "$schema" "$n" "gcc -O2 widl wrappers" "$(bytes_of peer/peer_widl.h)" \
						peer/peer_widl.h - "-DCOBJMACROS -DWIDL_C_INLINE_WRAPPERS" "${hdr_wall:--}" \
						"gcc bench.h" -- "${cc_args[@]}"
				fi
			fi
		fi

		if [ -z "$flatc" ]; then
			skipped "$schema" "$n" "flatc --cpp" "skipped (flatc not installed)"
		else
			"$GENIDL" --peer flatc "$n" >"peer-$n.fbs"
			timed "$schema" "$n" "flatc --cpp" "$(bytes_of "peer-$n.fbs")" "peer-$n.fbs" peer "" \
				"${chitin_wall[gen]}" "chitin gen" -- "$flatc" --cpp -o peer "peer-$n.fbs"
			[ "$code" = 0 ] || explain "$flatc" --cpp -o peer "peer-$n.fbs"
		fi
	done

	# The loader's check of a plugin's descriptor: decode and compare.
	for order in in-order shuffled renamed; do
		if ! line=$("$BENCHCMP" "$n" "$order"); then
			skipped desc "$n" "decode+compare ${order/-/ }" "FAILED"
			status=1
			continue
		fi
		read -r blob decode compare nruns problems load <<<"$line"
		wall=$(awk -v a="$decode" -v b="$compare" 'BEGIN { printf("%.6f", a + b) }')
		# shellcheck disable=SC2059
		printf "$format" desc "$n" "decode+compare ${order/-/ }" "$blob" "$wall" \
			"$(awk -v b="$blob" -v s="$wall" 'BEGIN { printf("%.1f", (s > 0 ? b / 1e6 / s : 0)) }')" \
			- - "$nruns" "decode $(awk -v s="$decode" 'BEGIN { printf("%.3f", s * 1e3) }') ms, compare $(awk -v s="$compare" 'BEGIN { printf("%.3f", s * 1e3) }') ms, $problems problems; the loader's whole check $(awk -v s="$load" 'BEGIN { printf("%.3f", s * 1e3) }') ms"
		if [ -n "$rbench" ]; then
			mkdir -p blobs
			if "$BENCHCMP" -t 0 -w blobs "$n" "$order" >/dev/null &&
				line=$("$rbench" blobs/host.blob blobs/plugin.blob); then
				read -r decode compare nruns incompatible <<<"$line"
				wall=$(awk -v a="$decode" -v b="$compare" 'BEGIN { printf("%.6f", a + b) }')
				# shellcheck disable=SC2059
				printf "$format" desc "$n" "rust decode+compare ${order/-/ }" "$blob" "$wall" \
					"$(awk -v b="$blob" -v s="$wall" 'BEGIN { printf("%.1f", (s > 0 ? b / 1e6 / s : 0)) }')" \
					- - "$nruns" "chitin::desc: decode $(awk -v s="$decode" 'BEGIN { printf("%.3f", s * 1e3) }') ms, compare $(awk -v s="$compare" 'BEGIN { printf("%.3f", s * 1e3) }') ms, incompatible $incompatible"
			else
				skipped desc "$n" "rust decode+compare ${order/-/ }" "FAILED"
				status=1
			fi
		fi
	done
done
exit "$status"
