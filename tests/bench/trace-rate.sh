#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Decode and replay rate of a long trace (issue 3): N operations (default
# 10 M) cycling alloc / populate / protect / unmap over a few address
# ranges, as text and as CBOR; for each form the file size, the wall time
# of `pgtctl replay`, operations per second and peak memory (maxrss).
# Memory must not grow with N: run with N=1000000 and N=10000000 and compare.
set -eu
N=${1:-10000000}
ARCH=${2:-pae}
PGTCTL=${PGTCTL:-src/pgtctl}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pgtctl-rate.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

awk -v n="$N" -v arch="$ARCH" 'BEGIN {
	print "pgtctl-trace 1"; print "arch " arch; print "set thp=never"
	for (i = 0; i < n; i++) {
		base = sprintf("0x%x", 0x10000000 + (int(i / 4) % 64) * 0x100000)
		k = i % 4
		if (k == 0) print "alloc " base " 64K rw"
		else if (k == 1) print "populate " base " 64K write"
		else if (k == 2) print "protect " base " 64K r"
		else print "unmap " base " 64K"
	}
}' > "$tmp/t.trace"
"$PGTCTL" convert "$tmp/t.trace" "$tmp/t.cbor"

now() { date +%s.%N; }
printf '# %s operations, arch %s; pgtctl %s\n' "$N" "$ARCH" "$PGTCTL"
printf 'form\tbytes\tseconds\tops_per_s\tmaxrss_kib\n'
# peak memory from GNU time where it is: --timing reads the CPU clock
# twice per operation, which the rate would include
for f in trace cbor; do
	t0=$(now)
	if /usr/bin/time -f '%M' true >/dev/null 2>&1; then
		/usr/bin/time -f '%M' -o "$tmp/$f.rss" "$PGTCTL" replay "$tmp/t.$f" > /dev/null
	else
		"$PGTCTL" replay --timing "$tmp/t.$f" > /dev/null 2> "$tmp/$f.err"
		awk -F'\t' '$1 == "maxrss_kib" { print $2 }' "$tmp/$f.err" > "$tmp/$f.rss"
	fi
	t1=$(now)
	rss=$(tail -n 1 "$tmp/$f.rss")
	size=$(wc -c < "$tmp/t.$f")
	awk -v f="$f" -v s="$size" -v a="$t0" -v b="$t1" -v n="$N" -v r="$rss" \
		'BEGIN { printf "%s\t%d\t%.2f\t%.0f\t%s\n", f, s, b - a, n / (b - a), r }'
done
