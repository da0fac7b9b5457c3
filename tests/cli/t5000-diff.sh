# SPDX-License-Identifier: GPL-3.0-or-later
#
# pgtctl diff on replays and on the table-only slices of the real dumps:
#   - two points of traces/pae-fork.trace against what its comments say the
#     operations between them do (the expected rows are written here from
#     those comments, not from pgtctl);
#   - two points of a trace agree with the events between them: the pages
#     whose leaf entry changed (first old != last new, from replay --events)
#     are exactly the pages the diff reports (same memory: every change is
#     a rights, pa or raw difference);
#   - a state against itself, two roots of one dump that share their
#     kernel half or their user half: equal, exit 0;
#   - --explain names the ops; JSON is one document; errors exit 2.

. "${top_srcdir:-.}/tests/lib/tap.sh"

: "${PYTHON:=python3}"
w=$TAP_WORKDIR
fork=$top_srcdir/traces/pae-fork.trace

# ---- two points of pae-fork: after the fork (op 3) and at the end ----

"$PGTCTL" diff "$fork@3" "$fork" --format tsv >"$w/fork.tsv" 2>"$w/err"
tap_is $? 1 "pae-fork@3 vs the end: exit 1 (they differ)"
cut -f1-9 "$w/fork.tsv" >"$w/fork.got"
# op 4 copies 4 pages (new frames), op 5 makes them read-only again: same
# letters as the write-protected copies of op 3, other frames; op 6 makes
# 0x10010000-0x10040000 PROT_NONE, op 7 unmaps 0x10020000-0x10040000
printf '%s\n' \
	'# start	end	diff	pages_a	size_a	flags_a	pages_b	size_b	flags_b' \
	'0x10000000	0x10004000	pa	4	4096	r-uxad-	4	4096	r-uxad-' \
	'0x10010000	0x10020000	rights	16	4096	r-uxad-	16	4096	-------' \
	'0x10020000	0x10040000	only-a	32	4096	r-uxad-	0	-	-' >"$w/fork.want"
tap_cmp "$w/fork.want" "$w/fork.got" "pae-fork@3 vs the end: the three runs the trace's comments describe"

"$PGTCTL" diff "$fork@3" "$fork" --explain >"$w/explain" 2>"$w/err"
tap_is $? 1 "--explain: exit 1"
tap_is "$(grep -c '^    A: op 3 at .*pae-fork.trace:[0-9]*: fork 2$' "$w/explain")" 3 \
	"--explain: side A's pages were last changed by the fork (op 3), with its line"
tap_is "$(grep '^    B: ' "$w/explain" | sed 's/ at [^:]*:[0-9]*:/:/')" \
"    B: op 5: protect 0x10000000 16K r
    B: op 6: protect 0x10010000 192K none
    B: op 7: unmap 0x10020000 128K" "--explain: side B's runs name ops 5, 6 and 7"

"$PGTCTL" diff "$fork@4" "$fork@5" >"$w/45" 2>&1
tap_is $? 1 "pae-fork@4 vs @5: exit 1"
tap_ok "grep -q '^0x10000000-0x10004000  4 x 4K rights rwuxad- -> r-uxad-$' '$w/45'" \
	"pae-fork@4 vs @5: the protect of op 5 takes w off 4 pages" ||
	tap_diag "$(cat "$w/45")"

"$PGTCTL" diff "$fork@0" "$fork" --format tsv --range 0x10010000-0x10020000 >"$w/range" 2>&1
tap_is "$(grep -v '^#' "$w/range" | cut -f1-3,7,9)" \
	"0x10010000	0x10020000	only-b	16	-------" \
	"--range: only the PROT_NONE pages, only in B (position 0 is empty)"
"$PGTCTL" diff "$fork@3" "$fork" --format tsv --filter '!d' >"$w/filter" 2>&1
tap_is "$?:$(grep -v '^#' "$w/filter" | cut -f1-4,7)" "1:0x10010000	0x10020000	only-b	0	16" \
	"--filter '!d': of the leaves without d, only B's PROT_NONE pages"

# ---- agreement with the events between two points ----

changed_pages()	# TRACE N M: pages of mm 1 whose pte changed net in (N, M]
{
	"$PGTCTL" replay "$1" --events --format tsv | "$PYTHON" -c '
import sys
n, m = int(sys.argv[1]), int(sys.argv[2])
first, last = {}, {}
for line in sys.stdin:
    f = line.rstrip("\n").split("\t")
    if line.startswith("#") or f[2] != "entry" or f[3] != "pte" or f[1] != "1":
        continue
    if n < int(f[0]) <= m:
        va = int(f[4], 16)
        first.setdefault(va, f[6])
        last[va] = f[7]
for va in sorted(first):
    if int(first[va], 16) != int(last[va], 16):
        print(hex(va))
' "$2" "$3"
}

diff_pages()	# TSV: every 4 KiB page of the rows
{
	"$PYTHON" -c '
import sys
for line in open(sys.argv[1]):
    if line.startswith("#"):
        continue
    f = line.split("\t")
    for va in range(int(f[0], 16), int(f[1], 16), 4096):
        print(hex(va))
' "$1"
}

for case in "pae-fork 3 7" "pae-fork 2 4" "s390x-mprotect-1cpu 2 3" \
	    "s390x-mprotect-1cpu 3 8" "s390x-mprotect-1cpu 3 7" \
	    "s390x-mprotect-threads 1 6" \
	    "pae-thp-cow 0 4"; do
	set -- $case
	t=$top_srcdir/traces/$1.trace
	changed_pages "$t" "$2" "$3" >"$w/ev.$1.$2.$3"
	"$PGTCTL" diff "$t@$2" "$t@$3" --format tsv >"$w/d.$1.$2.$3" 2>"$w/err"
	st=$?
	diff_pages "$w/d.$1.$2.$3" >"$w/dp.$1.$2.$3"
	if test -s "$w/ev.$1.$2.$3"; then want=1; else want=0; fi
	tap_is "$st" "$want" "$1@$2 vs @$3: exit $want"
	tap_cmp "$w/ev.$1.$2.$3" "$w/dp.$1.$2.$3" \
		"$1@$2 vs @$3: the pages reported are those whose entry the ops between changed ($(wc -l <"$w/ev.$1.$2.$3" | tr -d ' '))"
done

# ---- equal states ----

"$PGTCTL" diff "$fork" "$fork" >"$w/same" 2>&1
tap_is "$?:$(tail -n 1 "$w/same")" "0:no differences" "a trace against itself: exit 0, no differences"
"$PGTCTL" diff "$fork" "$top_srcdir/traces/pae-fork.cbor" >"$w/cbor" 2>&1
tap_is "$?:$(tail -n 1 "$w/cbor")" "0:no differences" \
	"the text and CBOR forms of a trace: equal (frames not compared, two files)"
tap_ok "grep -q '^note: physical addresses were not compared: two different traces$' '$w/cbor'" \
	"two files: the output says PAs were not compared"

gzip -dc "$top_srcdir/tests/data/slices/pae-K1.elf.gz" >"$w/K1.elf" ||
	tap_bail "cannot decompress pae-K1.elf.gz"
# two processes (pid 118 at 0x1efc000, its fork child at 0x1ee4000): one
# kernel half; a pgd and its PTI user copy (+0x1000): one user half
"$PGTCTL" diff "$w/K1.elf@0x1efc000" "$w/K1.elf@0x1ee4000" \
	--range 0xc0000000-0x100000000 >"$w/kern" 2>&1
tap_is "$?:$(tail -n 1 "$w/kern")" "0:no differences" \
	"pae-K1 slice, two processes: the kernel half is shared, equal"
tap_ok "grep -q 'pte 17; 3894 leaves' '$w/kern'" \
	"pae-K1 slice: each side's tables and leaves per level are shown" ||
	tap_diag "$(cat "$w/kern")"
"$PGTCTL" diff "$w/K1.elf@0x1efc000" "$w/K1.elf@0x1efd000" \
	--range 0-0xc0000000 >"$w/user" 2>&1
tap_is "$?:$(tail -n 1 "$w/user")" "0:no differences" \
	"pae-K1 slice: a pgd and its PTI user copy map the same user half"
"$PGTCTL" diff "$w/K1.elf@0x1efc000" "$w/K1.elf@0x1ee4000" \
	--range 0-0xc0000000 --format tsv >"$w/child" 2>&1
tap_is "$?" 1 "pae-K1 slice: the workload and its fork child differ in the user half"
tap_ok "grep -q '^0x60400000	0x60600000	rights	1	2097152	r-uxad-	1	2097152	r-ux-d-	0x' '$w/child'" \
	"pae-K1 slice: the THP is one 2 MiB leaf on both sides, same memory: frames shown" ||
	tap_diag "$(grep 0x604 "$w/child")"

# two files of one machine: frames compared only when told
cp "$w/K1.elf" "$w/K1-copy.elf"
"$PGTCTL" diff "$w/K1.elf@0x1efc000" "$w/K1-copy.elf@0x1ee4000" --format tsv \
	--range 0x60400000+2M >"$w/two" 2>&1
tap_is "$?:$(grep -v '^#' "$w/two" | cut -f3,10)" "1:rights	-" \
	"two files: frames not compared"
"$PGTCTL" diff "$w/K1.elf@0x1efc000" "$w/K1-copy.elf@0x1ee4000" --format tsv \
	--range 0x60400000+2M --same-memory >"$w/same" 2>&1
tap_is "$?:$(grep -v '^#' "$w/same" | cut -f3,10)" "1:rights	0x02200000" \
	"--same-memory: frames compared (the THP's frame 0x2200000, as in ../shared pae-K1's truth)"
"$PGTCTL" diff --same-memory "$fork" "$w/K1.elf" >/dev/null 2>"$w/err"
tap_is "$?" 2 "--same-memory with a replay side: exit 2"

# ---- JSON ----

"$PGTCTL" diff "$fork@3" "$fork" --format json --explain >"$w/json" 2>"$w/err"
tap_is $? 1 "--format json: exit 1"
got=$("$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))
v = d["diff"]
r = v["records"]
print(d["command"], v["result"]["equal"], v["result"]["rows"], len(r),
      r[0]["type"], r[2]["diff"], r[2]["op_b"], v["a"]["tables"]["pte"],
      v["result"]["pa_compared"])
' "$w/json" 2>&1)
tap_is "$got" "diff False 3 3 difference only-a 7 1 True" \
	"--format json: one document, the rows, the sides, the result"

# every TSV column is a key of the JSON records, in the same order
"$PGTCTL" diff "$top_srcdir/traces/pae-thp-cow.trace@5" \
	"$top_srcdir/traces/pae-thp-cow.trace" --mm-b 2 --format tsv --explain >"$w/thp.tsv" 2>&1
tap_is "$?" 1 "pae-thp-cow@5 vs the child at the end (--mm-b 2): exit 1"
"$PGTCTL" diff "$top_srcdir/traces/pae-thp-cow.trace@5" \
	"$top_srcdir/traces/pae-thp-cow.trace" --mm-b 2 --format json --explain >"$w/thp.json" 2>&1
keys=$("$PYTHON" -c '
import json, sys
r = json.load(open(sys.argv[1]))["diff"]["records"][0]
print("\t".join(k for k in r if k not in ("type", "op_a", "op_b")))
' "$w/thp.json")
tap_is "# $keys" "$(head -n 1 "$w/thp.tsv")" "the TSV columns are the JSON keys, in order"
# the child's COW copy of op 10 split its THP: 512 x 4K against the
# parent's 2 MiB leaf before the fork (both writable; the other 511
# pages of the child are write-protected: rights too)
tap_is "$(grep '^0x60000000' "$w/thp.tsv" | cut -f1-9)" \
	"0x60000000	0x60200000	size,rights	1	2097152	rwuxad-	512	4096	rwuxad-" \
	"a 2 MiB leaf against 4 KiB ones: one size row"
tap_ok "grep -q 'B: op 10 at .*pae-thp-cow.trace:[0-9]*: populate 0x60000000 4K write' '$w/thp.tsv'" \
	"--mm-b 2 --explain: the child's own write explains its split"

# ---- errors ----

"$PGTCTL" diff "$fork@99" "$fork" >/dev/null 2>"$w/err"
tap_is "$?:$(wc -l <"$w/err" | tr -d ' ')" "2:1" "a position past the end: exit 2, one line"
tap_ok "grep -q 'pae-fork.trace@99: bad position .99.; expected an operation count from 0 to 7' '$w/err'" \
	"a position past the end: the message names the side and what was expected" ||
	tap_diag "$(cat "$w/err")"
"$PGTCTL" diff "$fork" "$top_srcdir/traces/s390x-upgrade.trace" >/dev/null 2>"$w/err"
tap_is "$?" 2 "a PAE state against an s390x one: exit 2"
tap_ok "grep -q 'is pae, .* is s390x; expected two states of one paging format' '$w/err'" \
	"two paging formats: said" || tap_diag "$(cat "$w/err")"
"$PGTCTL" diff "$w/nothere@3" "$fork" >/dev/null 2>"$w/err"
tap_is "$?" 2 "a missing file: exit 2"
"$PGTCTL" diff "$fork" >/dev/null 2>"$w/err"
tap_is "$?" 2 "one side only: exit 2"
"$PGTCTL" diff --mm-b 2 "$fork" "$w/K1.elf" >/dev/null 2>"$w/err"
tap_is "$?" 2 "--mm-b on a dump side: exit 2"
"$PGTCTL" diff --explain "$w/K1.elf" "$w/K1.elf@0x1ee4000" >/dev/null 2>"$w/err"
tap_is "$?" 2 "--explain with two dumps: exit 2"

tap_done
