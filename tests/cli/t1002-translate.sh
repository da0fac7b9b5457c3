#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# pgtctl translate on tests/data/pae-small.trace (mm 1 after all 13 ops):
# a mapped 4 KiB address, two unmapped ones (empty PTE, empty PDE), a THP
# address, a PROT_NONE page and a kernel address.  Levels, indexes and raw
# values were checked by hand against reference/pae.md and thp.md (see the
# notes with each case); the table of each step must be the frame of the
# previous step's entry.

. "$top_srcdir/tests/lib/tap.sh"

trace=$top_srcdir/tests/data/pae-small.trace
W=$TAP_WORKDIR
tab=$(printf '\t')

# xlate VA: the TSV walk of VA, '|' instead of TAB for readability
xlate()
{
	"$PGTCTL" translate --format tsv "$trace" "$1" >"$W/x.all" 2>"$W/x.err"
	st=$?
	grep -v '^#' "$W/x.all" >"$W/x.out"
	tr "$tab" '|' <"$W/x.out"
	return $st
}

# check VA NAME EXPECTED-LINES
check()
{
	got=$(xlate "$1")
	tap_ok $? "translate $1 exits 0" || tap_diag "$(cat "$W/x.err")"
	tap_is "$got" "$3" "translate $1: $2"
	# every step's table is the frame of the previous step's entry
	awk -F '\t' '$2 != "page" {
		if (prev != "" && $3 != prev) { print "step " NR ": table " $3 " != " prev; bad = 1 }
		raw = $6; sub(/^0x0*/, "", raw); if (raw == "") raw = "0"
		# frame bits 12..51 of the raw entry, as 0x hex without leading zeros
		n = length(raw); f = (n > 3) ? substr(raw, 1, n - 3) "000" : "0"
		if (n > 13) f = substr(f, n - 12)
		sub(/^0*/, "", f); prev = "0x" f
	} END { exit bad }' "$W/x.out"
	tap_ok $? "translate $1: each table is the previous entry's frame"
}

# 0x10001234: indexes 0 (bits 31:30), 128 (29:21), 1 (20:12) (pae.md §1.1);
# PDPTE = PMD|P (0x001, pae.md §1.3); PDE = table|0x067 (P7); PTE = 0x065:
# written then write-protected by the fork (mm-ops.md §6.2), no NX (review-6.1.md 3);
# pa = frame + 0x234; flags r-uxad- (present, read-only, user, exec, A, D).
check 0x10001234 "mapped 4 KiB page: 3 levels, PTE 0x065" \
"0x10001234|pgd|0x1004000|0|0x1004000|0x0000000001005001|P table=0x1005000
0x10001234|pmd|0x1005000|128|0x1005400|0x0000000001008067|P RW US A D table=0x1008000
0x10001234|pte|0x1008000|1|0x1008008|0x000000000100a065|P US A D frame=0x100a000
0x10001234|page|0x100a234||||r-uxad-"

# 0x10006000: inside the VMA but never touched: PTE index 6 empty, no page line.
check 0x10006000 "unmapped (empty PTE at index 6)" \
"0x10006000|pgd|0x1004000|0|0x1004000|0x0000000001005001|P table=0x1005000
0x10006000|pmd|0x1005000|128|0x1005400|0x0000000001008067|P RW US A D table=0x1008000
0x10006000|pte|0x1008000|6|0x1008030|0x0000000000000000|empty"

# 0x20000000: no VMA, no table: the walk stops at the empty PDE (index 256).
check 0x20000000 "unmapped (empty PDE at index 256)" \
"0x20000000|pgd|0x1004000|0|0x1004000|0x0000000001005001|P table=0x1005000
0x20000000|pmd|0x1005000|256|0x1005800|0x0000000000000000|empty"

# 0x60412345: PDPT index 1, PD index 258; a 2 MiB leaf PDE frame 0x1200000|0x0e5
# (THP after fork, thp.md §2.5/§3): two levels, pa = 0x1200000 + 0x12345.
check 0x60412345 "THP: the walk ends at the PD, 2 MiB leaf 0x0e5" \
"0x60412345|pgd|0x1004000|1|0x1004008|0x0000000001006001|P table=0x1006000
0x60412345|pmd|0x1006000|258|0x1006810|0x00000000012000e5|P US A D PS frame=0x1200000
0x60412345|page|0x1212345||||r-uxad-"

# 0x10002000: PROT_NONE: P=0, PROTNONE=1, A and D kept, frame inverted
# (~0x100b000 in bits 12-51, pae.md §2.3, thp.md §10.4): no page line.
check 0x10002000 "PROT_NONE: raw 0x...eff4160, decoded frame 0x100b000, not mapped" \
"0x10002000|pgd|0x1004000|0|0x1004000|0x0000000001005001|P table=0x1005000
0x10002000|pmd|0x1005000|128|0x1005400|0x0000000001008067|P RW US A D table=0x1008000
0x10002000|pte|0x1008000|2|0x1008010|0x000ffffffeff4160|A D PROT_NONE frame=0x100b000"

# text form: says why an address is not mapped
"$PGTCTL" translate "$trace" 0x10006000 0x10002000 >"$W/t.out" 2>&1
tap_ok $? "translate (text) of two unmapped addresses exits 0"
grep -q "not mapped: empty entry" "$W/t.out"
tap_ok $? "translate (text): an empty PTE is 'not mapped: empty entry'"
grep -q "not mapped: present to Linux but not accessible" "$W/t.out"
tap_ok $? "translate (text): PROT_NONE is present to Linux but not accessible"

# 0xc0001000: the kernel GiB through PDPT[3], swapper's shared kernel PMD
# (pae.md §4.2 shared): a global 2 MiB kernel PDE (PS, G, no US).
got=$(xlate 0xc0001000)
tap_ok $? "translate 0xc0001000 exits 0"
echo "$got" | grep -q '^0xc0001000|pgd|0x1004000|3|0x1004018|0x[0-9a-f]*001|'
tap_ok $? "translate 0xc0001000: PDPT index 3 holds the kernel PMD (PMD|P)"
echo "$got" | grep -q '^0xc0001000|pmd|[^|]*|0|[^|]*|0x[0-9a-f]*1e3|'
tap_ok $? "translate 0xc0001000: PD index 0 is a 2 MiB global kernel PDE (0x1e3: P RW A D PS G)"

# the TSV names its columns
"$PGTCTL" translate --format tsv "$trace" 0x10001234 >"$W/h.out" 2>&1
tap_is "$(head -n 1 "$W/h.out")" "# va${tab}level${tab}table${tab}index${tab}entry${tab}raw${tab}decoded" \
	"translate --format tsv: a '#' header names the columns"

# A mapped page whose frame the simulated memory does not hold (the
# kernel's 2 MiB leaf) is not "data not in this dump": that note is for
# dumps only (issue 11: the view source was left uninitialised on traces).
got=$(xlate 0xc0001000)
echo "$got" | grep -q '|page|'
tap_ok $? "translate 0xc0001000 (tsv): the walk ends at a page"
"$PGTCTL" translate "$trace" 0xc0001000 >"$W/k.out" 2>&1
tap_ok "! grep -q 'not in this dump' '$W/k.out'" \
	"translate on a trace never says '(data not in this dump)'"

# errors
"$PGTCTL" translate "$trace" 0xzz >/dev/null 2>"$W/e"
tap_is "$?" 2 "translate with a bad address: exit status 2"
"$PGTCTL" translate "$trace" >/dev/null 2>"$W/e"
tap_is "$?" 2 "translate without an address: exit status 2"

tap_done
