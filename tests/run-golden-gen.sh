#!/usr/bin/env bash
# Generated outputs held to their goldens: each tests/golden/gen/NAME.idl
# (importing its neighbours) is generated with every backend, and each of
# its outputs must equal the file of the same name beside it (NAME.h,
# NAME_desc.c, NAME.json, and whatever a later backend writes), and
# each backend run alone writes the same file.
# `make check UPDATE_GOLDEN=1` rewrites the goldens; review the diff like
# code.  A golden that no output matches is an error too.
set -euo pipefail

me=run-golden-gen
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
. "$srcdir/tests/lib.sh"
lib_work

dir=$srcdir/tests/golden/gen
for idl in "$dir"/*.idl; do
	name=$(basename "$idl" .idl)
	out=$work/$name
	mkdir -p "$out"
	if ! "$CHITIN" gen -o "$out" "$idl" 2>"$work/$name.err"; then
		bad "chitin gen $name.idl"
		show "$work/$name.err"
		continue
	fi
	for file in "$out"/*; do
		base=$(basename "$file")
		if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
			cp "$file" "$dir/$base"
			echo "updated tests/golden/gen/$base"
		elif [ ! -f "$dir/$base" ]; then
			bad "golden $base: missing (make check UPDATE_GOLDEN=1 writes it)"
		elif diff -u "$dir/$base" "$file" >"$work/$base.diff"; then
			ok "golden $base"
		else
			bad "golden $base"
			head -n 40 "$work/$base.diff" | sed 's/^/  | /'
		fi
	done
	for golden in "$dir/$name.h" "$dir/${name}_desc.c" "$dir/$name.json" "$dir/$name.rs"; do
		[ -f "$golden" ] || continue
		[ -f "$out/$(basename "$golden")" ] || bad "golden $(basename "$golden"): gen no longer writes it"
	done
	# Each output alone is the same: gen --c, which computes no hashes,
	# writes the header gen does.
	for flag in --c --desc-c --json --rust; do
		mkdir -p "$out.alone"
		if "$CHITIN" gen "$flag" -o "$out.alone" "$idl" 2>"$work/$name.alone.err"; then
			for file in "$out.alone"/*; do
				cmp -s "$file" "$out/$(basename "$file")" ||
					bad "gen $flag alone: $(basename "$file") differs from gen's"
			done
		else
			bad "chitin gen $flag $name.idl"
		fi
		rm -rf "$out.alone"
	done
done
lib_summary
