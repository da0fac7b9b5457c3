#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# pgtctl diff: the other kinds of side, the union tree, the table-at-once
# comparison:
#   - a raw image side (--arch, --phys-base, its root as image@ADDR or
#     --root), made from a vmcore by tests/tools/elf2raw.py;
#   - standard input as a side, a dump or a trace, told by its content;
#     never both sides;
#   - --format dot: the union tree, valid for Graphviz (dot -Tsvg when
#     graphviz is installed), its red / green / orange runs the rows the
#     text form gives for pae-fork (written here from the trace's
#     comments, as t5000 does), the exit status and totals the same;
#   - the two trees walked together: two processes of the pae-K1 slice
#     (one file: one memory) against an oracle computed here from each
#     root's dump --pages, and a planted difference (one PTE's write bit
#     flipped in a copy of the slice) found exactly, with nothing else.

. "${top_srcdir:-.}/tests/lib/tap.sh"

: "${PYTHON:=python3}"
command -v "$PYTHON" >/dev/null 2>&1 || tap_skip_all "$PYTHON not found"
w=$TAP_WORKDIR
fork=$top_srcdir/traces/pae-fork.trace

"$PGTCTL" replay "$fork" --save-tables "$w/fork.elf" 2>/dev/null ||
	tap_bail "replay --save-tables failed"
root1=$(grep -a -m 1 -F 'PGTCTL_MM(1)=' "$w/fork.elf" | sed 's/^[^=]*=//')
root2=$(grep -a -m 1 -F 'PGTCTL_MM(2)=' "$w/fork.elf" | sed 's/^[^=]*=//')

# ---- a raw image side ----

"$PYTHON" "$top_srcdir/tests/tools/elf2raw.py" "$w/fork.elf" "$w/fork.raw" 0 ||
	tap_bail "elf2raw.py failed"
"$PGTCTL" diff --arch pae "$fork" "$w/fork.raw@$root1" >"$w/raw" 2>&1
tap_is "$?:$(tail -n 1 "$w/raw")" "0:no differences" \
	"a raw image side (--arch pae, image@ROOT): equal to the replay it came from"
tap_ok "grep -q '^B: raw image .*fork.raw@$root1' '$w/raw'" "the side is named a raw image" ||
	tap_diag "$(cat "$w/raw")"
"$PYTHON" "$top_srcdir/tests/tools/elf2raw.py" "$w/fork.elf" "$w/base.raw" 0x1000000 ||
	tap_bail "elf2raw.py failed"
"$PGTCTL" diff --arch pae --phys-base 0x1000000 --root "$root2" --mm-a 2 \
	"$fork" "$w/base.raw" >"$w/base" 2>&1
tap_is "$?:$(tail -n 1 "$w/base")" "0:no differences" \
	"--phys-base and --root: the image of memory from 16 MiB, mm 2's root"
"$PGTCTL" diff "$fork" "$w/fork.raw@$root1" >/dev/null 2>"$w/err"
tap_is "$?" 2 "a raw image without --arch: exit 2 (it is neither a trace nor a dump)"
"$PGTCTL" diff --phys-base 0x1000 "$fork" "$fork@3" >/dev/null 2>"$w/err"
tap_is "$?:$(grep -c 'neither side is one' "$w/err")" "2:1" \
	"--phys-base without a raw image side: a usage error"
"$PGTCTL" diff --arch s390x "$fork" "$w/fork.raw@0x1004007" >/dev/null 2>"$w/err"
tap_is "$?:$(grep -c 'is pae, .* is s390x; expected two states of one paging format' "$w/err")" "2:1" \
	"--arch s390x against a PAE trace: two paging formats, exit 2" ||
	tap_diag "$(cat "$w/err")"
"$PGTCTL" diff --arch s390x "$fork" "$w/fork.raw@$root1" >/dev/null 2>"$w/err"
tap_is "$?:$(grep -c 'fork.raw.*no well-formed region or segment table there' "$w/err")" "2:1" \
	"--arch s390x and a PAE root: the root is refused, naming the side"

# ---- standard input ----

"$PGTCTL" diff --root "$root1" "$fork" - <"$w/fork.elf" >"$w/in1" 2>&1
tap_is "$?:$(tail -n 1 "$w/in1")" "0:no differences" \
	"a dump on standard input (a regular file), --root for it: equal"
cat "$w/fork.elf" | "$PGTCTL" diff --root "$root2" --mm-a 2 "$fork" - >"$w/in2" 2>"$w/err2"
tap_is "$?:$(tail -n 1 "$w/in2")" "0:no differences" "a dump on a pipe: equal"
tap_ok "grep -q 'B: standard input ([0-9]* bytes) copied to an unlinked temporary file' '$w/err2'" \
	"a pipe: the copy is said on stderr" || tap_diag "$(cat "$w/err2")"
cat "$fork" | "$PGTCTL" diff - "$w/fork.elf@$root1" >"$w/in3" 2>&1
tap_is "$?:$(tail -n 1 "$w/in3")" "0:no differences" \
	"a trace on a pipe, told by its content: equal to its saved tables"
tap_ok "grep -q 'not compared: the trace read cannot be matched' '$w/in3'" \
	"a trace on standard input cannot be matched with the file: frames not compared, said" ||
	tap_diag "$(cat "$w/in3")"
cat "$fork" | "$PGTCTL" diff --same-memory - "$w/fork.elf@$root1" >"$w/in4" 2>&1
tap_is "$?:$(grep -c 'not compared' "$w/in4")" "0:0" \
	"--same-memory with a saved replay: frames compared"
cat "$w/fork.raw" | "$PGTCTL" diff --arch pae --root "$root1" "$fork" - >"$w/in5" 2>&1
tap_is "$?:$(tail -n 1 "$w/in5")" "0:no differences" \
	"a raw image on a pipe (--arch, --root): equal"
"$PGTCTL" diff - - <"$fork" >/dev/null 2>"$w/err"
tap_is "$?:$(grep -c 'at most one can be' "$w/err")" "2:1" "both sides '-': a usage error"

# ---- --format dot: the union tree ----

"$PGTCTL" diff "$fork@3" "$fork" --format dot >"$w/u.dot" 2>"$w/err"
tap_is "$?" 1 "--format dot, pae-fork@3 vs the end: exit 1, as the text form"
tap_ok "head -n 1 '$w/u.dot' | grep -q '^digraph pgtctl {' && tail -n 1 '$w/u.dot' | grep -q '^}$'" \
	"--format dot: one digraph"
# the rows of t5000 for the same two points, as runs of the leaf table
tap_ok "grep -q 'label=\"\\[0..3\\] 0x10000000-0x10004000.*pa: B r-uxad-\"' '$w/u.dot'" \
	"the 4 pages copied by op 4: a changed run (frames), orange" ||
	tap_diag "$(grep '0x1000' "$w/u.dot")"
tap_is "$(grep -c 'fillcolor="papayawhip", color="darkorange2", label="\[0..3\]' "$w/u.dot")" 1 \
	"changed runs are orange"
tap_ok "grep -q 'label=\"\\[16..31\\] 0x10010000-0x10020000.*rights: B -------\"' '$w/u.dot'" \
	"the PROT_NONE pages of op 6: rights, with B's letters"
tap_ok "grep -q 'fillcolor=\"mistyrose\", color=\"red3\", label=\"\\[32..63\\] 0x10020000-0x10040000.*only in A\"' '$w/u.dot'" \
	"the pages unmapped by op 7: only in A, red"
tap_is "$(grep -c 'only in B"' "$w/u.dot")" 0 "nothing only in B"
tap_ok "grep -q 'legend .*3 differences: 32 leaves only in A (red), 0 only in B (green), 20 changed' '$w/u.dot'" \
	"the legend gives the totals of the text form" || tap_diag "$(grep legend "$w/u.dot")"
"$PGTCTL" diff "$fork@3" "$fork" >"$w/u.txt" 2>&1
tap_is "$(tail -n 1 "$w/u.txt")" "3 differences: 32 leaves only in A, 0 only in B, 20 changed" \
	"the text form's totals"
"$PGTCTL" diff "$fork@2" "$fork@3" --format dot --mm-b 2 >"$w/child.dot" 2>&1
tap_is "$?" 1 "--format dot, the parent before the fork against the child"
"$PGTCTL" diff "$fork" "$fork" --format dot >"$w/eq.dot" 2>&1
tap_is "$?:$(grep -c 'legend .*no differences' "$w/eq.dot"):$(grep -c -e red3 -e green4 -e darkorange2 "$w/eq.dot")" \
	"0:1:2" "a state against itself: exit 0, no marked node (the two side labels only)"
"$PGTCTL" diff "$fork@0" "$fork" --format dot >"$w/empty.dot" 2>&1
tap_ok "grep -q 'A: .*(replay).*no live mm: empty\\|side_b -> u0_' '$w/empty.dot'" \
	"an empty side: the tree is B's, all green" || tap_diag "$(head -n 12 "$w/empty.dot")"
if command -v dot >/dev/null 2>&1; then
	for f in u child eq empty; do
		dot -Tsvg "$w/$f.dot" >"$w/$f.svg" 2>"$w/dot.err"
		tap_is "$?:$(wc -c <"$w/dot.err" | tr -d ' ')" "0:0" \
			"dot -Tsvg reads the union tree ($f) without a word" ||
			tap_diag "$(cat "$w/dot.err")"
	done
else
	tap_skip "graphviz (dot) not installed" "dot -Tsvg reads the union trees"
fi

# ---- the two trees walked together ----

gzip -dc "$top_srcdir/tests/data/slices/pae-K1.elf.gz" >"$w/K1.elf" ||
	tap_bail "cannot decompress pae-K1.elf.gz"
for r in 0x1efc000 0x1ee4000; do
	"$PGTCTL" dump --root "$r" --pages --format tsv "$w/K1.elf" >"$w/p$r" 2>/dev/null
done
# the oracle: leaves by address from the two --pages lists (frames
# compared: one memory), counted as diff counts them
oracle=$("$PYTHON" - "$w/p0x1efc000" "$w/p0x1ee4000" <<'EOF'
import sys
def load(p):
    d = {}
    for line in open(p):
        if not line.startswith("#"):
            va, pa, size, flags, raw = line.rstrip("\n").split("\t")
            d[int(va, 16)] = (int(size), flags, pa, raw)
    return d
a, b = load(sys.argv[1]), load(sys.argv[2])
sizes = all(a[v][0] == b[v][0] for v in a.keys() & b.keys())
only_a = sum(1 for v in a if v not in b)
only_b = sum(1 for v in b if v not in a)
changed = sum(1 for v in a.keys() & b.keys() if a[v] != b[v])
print("%d %d %d %s" % (only_a, only_b, changed, "sizes-equal" if sizes else "sizes-differ"))
EOF
)
"$PGTCTL" diff "$w/K1.elf@0x1efc000" "$w/K1.elf@0x1ee4000" --format json >"$w/k1.json" 2>&1
tap_is "$?" 1 "pae-K1 slice, two processes of one file: they differ"
got=$("$PYTHON" -c '
import json, sys
r = json.load(open(sys.argv[1]))["diff"]["result"]
print("%d %d %d sizes-equal" % (r["only_a"], r["only_b"], r["changed"]))' "$w/k1.json")
tap_is "$got" "$oracle" \
	"walked together (shared kernel half skipped at once): the leaves only in A, only in B and changed of an oracle over both --pages lists"

# a planted difference: one PTE of the slice loses its write bit in a copy
"$PGTCTL" translate --root 0x1efc000 --format tsv "$w/K1.elf" 0x60000000 >"$w/xl" 2>&1
slot=$(awk -F '\t' '$2 == "pte" { print $5 }' "$w/xl")
"$PYTHON" - "$w/K1.elf" "$w/K1-planted.elf" "$slot" <<'EOF' || tap_bail "cannot plant"
import struct, sys
data = bytearray(open(sys.argv[1], "rb").read())
slot = int(sys.argv[3], 16)
phoff, = struct.unpack_from("<Q", data, 32)
phentsize, phnum = struct.unpack_from("<HH", data, 54)
for i in range(phnum):
    t, _, off, _, paddr, filesz, _, _ = struct.unpack_from("<IIQQQQQQ", data, phoff + i * phentsize)
    if t == 1 and paddr <= slot < paddr + filesz:
        pos = off + slot - paddr
        pte, = struct.unpack_from("<Q", data, pos)
        if not pte & 2:
            sys.exit("the PTE is not writable")
        struct.pack_into("<Q", data, pos, pte & ~2)
        open(sys.argv[2], "wb").write(data)
        sys.exit(0)
sys.exit("slot not in the file")
EOF
"$PGTCTL" diff --same-memory "$w/K1.elf@0x1efc000" "$w/K1-planted.elf@0x1efc000" --format tsv >"$w/pl" 2>&1
tap_is "$?:$(grep -v '^#' "$w/pl" | cut -f1-3,6,9)" \
	"1:0x60000000	0x60001000	rights	rwuxad-	r-uxad-" \
	"a PTE's write bit flipped in a copy: that page only, rights (the rest skipped table at once)" ||
	tap_diag "$(cat "$w/xl")"

tap_done
