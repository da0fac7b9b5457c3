# SPDX-License-Identifier: GPL-3.0-or-later
#
# pgtctl dump --aliases and --wx over every root.  Constructed cases:
# synthetic PAE dumps (tests/tools/gen-synth-dump.py) whose leaves alias a
# small pool of frames, with the expectations the generator computes by
# its own walk of the memory it wrote (groups of overlapping frames, W+X
# 4 KiB units through the PDE); then the real K1 dump, where the HPET is
# mapped twice in vmalloc space with two memory types (UC- and WB) and
# the kernel's direct map holds one W+X page.

. "${top_srcdir:-.}/tests/lib/tap.sh"

: "${PYTHON:=python3}"
command -v "$PYTHON" >/dev/null 2>&1 || tap_skip_all "$PYTHON not found"
tap_memory_limit 1048576
w=$TAP_WORKDIR
gen="$PYTHON $top_srcdir/tests/tools/gen-synth-dump.py"

expect()	# FILE KEY
{
	awk -v k="$2" '$1 == k { print $2 }' "$1"
}

for shape in "1024 512" "3000 1024" "2048 4096"; do
	set -- $shape
	d=$w/s-$1-$2.elf
	$gen --arch pae --format elf --pages "$1" --ram-frames "$2" \
		--print-expect -o "$d" >"$w/exp" 2>"$w/err" ||
		tap_bail "gen-synth-dump.py failed: $(cat "$w/err")"
	# aliases of the user root alone, then of both roots
	tap_limited "$PGTCTL" dump "$d" --root cpu0 --aliases --format json \
		>"$w/a.json" 2>"$w/err"
	tap_ok $? "pages $1, frames $2: --aliases --root cpu0 exits 0" ||
		tap_diag "$(cat "$w/err")"
	got=$("$PYTHON" -c 'import json,sys; r=json.load(open(sys.argv[1]))["aliases"]["result"]; print(r["groups"], r["mappings"], r["mixed"])' "$w/a.json")
	tap_is "$got" "$(expect "$w/exp" user_alias_groups) $(expect "$w/exp" user_alias_mappings) 0" \
		"pages $1, frames $2: the groups and mappings of the generator's own walk"
	"$PGTCTL" dump "$d" --root cpu0 --aliases --format tsv >"$w/a.tsv"
	"$PYTHON" - "$w/a.tsv" <<'PY'
import sys
groups = {}
for line in open(sys.argv[1]):
    if line.startswith("#"):
        continue
    g, pa, va, root, roots, size = line.split("\t")[:6]
    groups.setdefault(g, []).append((int(pa, 16), int(pa, 16) + int(size)))
# every group: its mappings overlap pairwise as a chain, no two groups
# overlap, each has at least two
spans = []
for g, iv in groups.items():
    iv.sort()
    end = iv[0][1]
    for s, e in iv[1:]:
        if s >= end:
            sys.exit("group %s is not one run of overlapping frames" % g)
        end = max(end, e)
    if len(iv) < 2:
        sys.exit("group %s has one mapping" % g)
    spans.append((iv[0][0], end))
spans.sort()
for (s1, e1), (s2, e2) in zip(spans, spans[1:]):
    if s2 < e1:
        sys.exit("two groups overlap")
PY
	tap_ok $? "pages $1, frames $2: tsv: each group one run of overlapping frames, groups disjoint"
	tap_limited "$PGTCTL" dump "$d" --root cpu0 --wx >"$w/wx" 2>"$w/err"
	st=$?
	n=$(expect "$w/exp" user_wx_pages)
	tap_is "$st $(tail -n 1 "$w/wx")" \
		"1 x86/mm: Checked W+X mappings: FAILED, $n W+X pages found." \
		"pages $1, frames $2: --wx of the user root: the kernel's line with the generator's count, exit 1"
	tap_is "$(awk '/ x / { n += $(NF - 4) * ($(NF - 2) == "2M" ? 512 : 1) } END { print n + 0 }' "$w/wx")" \
		"$n" "pages $1, frames $2: the listed runs hold those pages"
	"$PGTCTL" dump "$d" --wx --format tsv >"$w/wx.tsv"
	tap_is "$(awk -F'\t' '!/^#/ && $1 == "cpu1" { n += ($4 - $3) / 4096 } END { print n + 0 }' "$w/wx.tsv")" \
		"$(expect "$w/exp" kernel_wx_pages)" \
		"pages $1, frames $2: every root: the kernel root's W+X pages (its executable 2 MiB leaves)"
done

# a range without W+X passes: vpn 3 is read-only in the generator's pattern
"$PGTCTL" dump "$d" --root cpu0 --wx --range 0x3000-0x4000 >"$w/pass"
tap_is "$? $(cat "$w/pass")" "0 x86/mm: Checked W+X mappings: passed, no W+X pages found." \
	"--wx over a read-only page: passed, exit 0"
"$PGTCTL" dump "$d" --root cpu0 --wx --format json >"$w/j"
tap_is "$("$PYTHON" -c 'import json,sys; r=json.load(open(sys.argv[1]))["wx"]["result"]; print(r["passed"], r["message"].split(":")[0])' "$w/j")" \
	"False x86/mm" "json: the verdict with the arch's prefix"

# a replayed trace: every live mm, checked against their --pages
tr=$top_srcdir/tests/data/pae-small.trace
for m in 1 2; do
	"$PGTCTL" replay "$tr" --mm $m --pages --format tsv >"$w/mm$m.tsv"
done
want=$("$PYTHON" - "$w/mm1.tsv" "$w/mm2.tsv" <<'PY'
import sys
iv, wx = [], 0
for path in sys.argv[1:]:
    for l in open(path):
        if l.startswith("#"):
            continue
        va, pa, size, flags = l.split("\t")[:4]
        iv.append((int(pa, 16), int(pa, 16) + int(size)))
        if flags[1] == "w" and flags[3] == "x":
            wx += int(size) // 4096
iv.sort()
groups = maps = 0
end, n = None, 0
for s, e in iv + [(None, None)]:
    if s is not None and end is not None and s < end:
        end, n = max(end, e), n + 1
        continue
    if n >= 2:
        groups, maps = groups + 1, maps + n
    end, n = e, 1
print(groups, maps, wx)
PY
)
"$PGTCTL" replay "$tr" --aliases --wx --format json >"$w/r.json"
tap_is "$?" 1 "replay --wx: W+X pages found (6.1 i386 user PTEs have no NX): exit 1"
tap_is "$("$PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1])); a=d["aliases"]["result"]; w=d["wx"]["result"]; print(a["groups"], a["mappings"], w["pages"])' "$w/r.json")" \
	"$want" "replay --aliases --wx: the groups, mappings and W+X pages the --pages of mm 1 and 2 give"

# the real K1 dump: the HPET mapped UC- and WB, a W+X page in lowmem
. "$top_srcdir/tests/lib/dumps.sh"
if test -r "$SHARED/dumps/pae-K1/K1-vmcore-c-d31.kdump"; then
	kd=$SHARED/dumps/pae-K1/K1-vmcore-c-d31.kdump
	tap_limited "$PGTCTL" dump "$kd" --aliases --range 0xc0000000-0x100000000 \
		--format tsv >"$w/k.tsv" 2>"$w/err"
	tap_ok $? "K1: --aliases of the kernel half exits 0" || tap_diag "$(cat "$w/err")"
	g=$(awk -F'\t' '$2 == "0xfed00000" { print $1; exit }' "$w/k.tsv")
	tap_is "$(awk -F'\t' -v g="$g" '$1 == g { print $3, $9, $10 }' "$w/k.tsv" | sort | tr '\n' ';')" \
		"0xd07e3000 UC- yes;0xd07e7000 WB yes;" \
		"K1: the HPET frame is one group mapped UC- and WB: mixed memory types"
	tap_limited "$PGTCTL" dump "$kd" --wx --range 0xc0000000-0x100000000 >"$w/kwx" 2>&1
	tap_is "$?" 1 "K1: --wx of the kernel half fails (exit 1)"
	tap_ok "grep -q '^kernel  *0xc757a000-0xc757b000 .* rw-xad-  Kernel Mapping' '$w/kwx'" \
		"K1: the W+X lowmem page of the kernel truth (0xc757a000, no NX) is listed, in its region"
	tap_limited "$PGTCTL" dump "$kd" --scan-roots --wx --range 0xc0000000-0x100000000 >"$w/kwx2" 2>&1
	tap_ok "grep -Eq '^kernel +\\(\\+[0-9]+\\) +0xc757a000-0xc757b000 ' '$w/kwx2'" \
		"K1 --scan-roots: that page is listed once, for every root sharing the kernel half"
else
	tap_skip "the K1 dump is not in ../shared" "K1 aliases and W+X"
fi

tap_done
