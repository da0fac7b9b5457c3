# SPDX-License-Identifier: GPL-3.0-or-later
#
# --filter and --range on a replay (the same options as on a dump): the
# filtered views are exactly the matching subset of the full ones.

. "${top_srcdir:-.}/tests/lib/tap.sh"

t=$top_srcdir/traces/pae-A1-workload.trace
w=$TAP_WORKDIR
"$PGTCTL" replay "$t" --pages --format tsv >"$w/all" || tap_bail "replay failed"

"$PGTCTL" replay "$t" --pages --format tsv --filter w >"$w/w"
awk -F'\t' '/^#/ || substr($4, 2, 1) == "w"' "$w/all" >"$w/w.want"
tap_cmp "$w/w.want" "$w/w" "--filter w keeps exactly the writable leaves"
tap_ok "test \$(wc -l <'$w/w') -gt 3" "there are writable leaves to keep (written after the fork)"

"$PGTCTL" replay "$t" --pages --format tsv --filter '!w,u' >"$w/nw"
awk -F'\t' '/^#/ || (substr($4, 2, 1) == "-" && substr($4, 3, 1) == "u" && substr($4, 1, 1) == "r")' "$w/all" >"$w/nw.want"
tap_cmp "$w/nw.want" "$w/nw" "--filter '!w,u' keeps the read-only user leaves"

"$PGTCTL" replay "$t" --pages --format tsv --range 0x20100000-0x20500000 >"$w/r"
awk -F'\t' '/^#/ || ($1 >= "0x20100000" && $1 < "0x20500000")' "$w/all" >"$w/r.want"
tap_cmp "$w/r.want" "$w/r" "--range A-B keeps the leaves with A <= va < B"
"$PGTCTL" replay "$t" --pages --format tsv --range 0x20100000+4M >"$w/r2"
tap_cmp "$w/r" "$w/r2" "--range A+LEN is A-(A+LEN)"

for bad in 'q' '' ',' ; do
	"$PGTCTL" replay "$t" --pages --filter "$bad" >/dev/null 2>"$w/e"
	tap_is $? 2 "--filter '$bad': exit 2"
done
for bad in 5-3 0x10 a-b 0x1000-; do
	"$PGTCTL" replay "$t" --pages --range "$bad" >/dev/null 2>"$w/e"
	tap_is $? 2 "--range '$bad': exit 2"
done
tap_ok "grep -q 'expected START-END' '$w/e'" "the --range message says what is expected"

# --tree says what shares the page of a 2 KiB s390 page table: with
# PGSTEs in use (sie, then essa) the upper half holds them; without sie,
# another table or zeros (a whole page for one table), never PGSTEs
"$PGTCTL" replay "$top_srcdir/traces/s390x-kvm-cmma.trace" --tree >"$w/tree"
tap_ok "grep -q 'PT (pte) table 0x[0-9a-f]*000, 256 entries, 2048 bytes (lower 2 KiB half; the upper holds PGSTEs)' '$w/tree'" \
	"--tree: a page table of an mm with PGSTEs in use shows them in the upper half"
"$PGTCTL" replay "$top_srcdir/traces/s390x-A1-workload.trace" --tree >"$w/tree"
tap_ok "! grep -q 'holds PGSTEs' '$w/tree' && grep -q 'the upper holds a page table or nothing' '$w/tree'" \
	"--tree: without sie no page table is shown with PGSTEs"

tap_done
