# SPDX-License-Identifier: GPL-3.0-or-later
#
# pgtctl dump on the real pae-A1 dump (Debian 6.1 686-pae under QEMU,
# nopti), in both forms given: QEMU's ELF (ELF64, EM_386, p_vaddr 0, a
# QEMU CPU-state note) and QEMU's flattened kdump (zlib, empty arch field).
# Each must find CR3 0x022022e0 (a 32-byte slab PDPT, not page aligned) and
# swapper_pg_dir from VMCOREINFO, and agree with the truth of libaddrxlat:
# every user page (va, pa, size, raw leaf; the THP expanded) and the kernel
# half as merged ranges.

. "${top_srcdir:-.}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/dumps.sh"

dump_need pae-A1/A1.elf.gz pae-A1/A1.kdump-zlib.flat pae-A1/truth-A1.tsv \
	pae-A1/truth-A1-kernel.tsv
truth=$SHARED/dumps/pae-A1/truth-A1.tsv
ktruth=$SHARED/dumps/pae-A1/truth-A1-kernel.tsv
w=$TAP_WORKDIR
elf=$(dump_file pae-A1/A1.elf.gz) || tap_bail "cannot decompress A1.elf.gz"
flat=$(dump_file pae-A1/A1.kdump-zlib.flat)

for f in "$elf" "$flat"; do
	n=$(basename "$f")
	"$PGTCTL" dump "$f" --roots --format tsv >"$w/roots" 2>"$w/err"
	tap_ok $? "$n: --roots exits 0" || tap_diag "$(cat "$w/err")"
	tap_is "$(awk -F'\t' '$1 == "cpu0" { print $2 }' "$w/roots")" 0x22022e0 \
		"$n: cpu0's CR3 from the QEMU note is the slab PDPT 0x22022e0"
	tap_is "$(awk -F'\t' '$1 == "kernel" { print $2 }' "$w/roots")" 0x1e98000 \
		"$n: the kernel root is SYMBOL(swapper_pg_dir) - PAGE_OFFSET"
	tap_is "$(grep -c 'slab object' "$w/roots")" 1 \
		"$n: the CR3 root is shown as a 32-byte slab object"

	# the default root is the CPU's CR3
	"$PGTCTL" dump "$f" --range 0-0xc0000000 --pages --format tsv \
		>"$w/user.tsv" 2>"$w/err"
	tap_ok $? "$n: --pages of the user half exits 0" || tap_diag "$(cat "$w/err")"
	tap_is "$(cat "$w/err")" "" "$n: the walk reports no finding"
	truth_cmp "$n user pages vs truth-A1.tsv" units "$truth" "$w/user.tsv"

	"$PGTCTL" dump "$f" --range 0xc0000000-0x100000000 --pages --format tsv \
		>"$w/kernel.tsv" 2>"$w/err"
	tap_ok $? "$n: --pages of the kernel half exits 0" || tap_diag "$(cat "$w/err")"
	truth_cmp "$n kernel ranges vs truth-A1-kernel.tsv" ranges "$ktruth" \
		"$w/kernel.tsv" pae 0xc0000000
	"$PGTCTL" dump "$f" --pages --format tsv >"$w/all-$n.tsv" 2>/dev/null
done
tap_ok "cmp -s '$w/all-$(basename "$elf").tsv' '$w/all-$(basename "$flat").tsv'" \
	"the ELF and the flattened kdump give the same page list"

# the THP: one 2 MiB leaf, write-protected after the fork (README)
grep -P '^0x60400000\t' "$w/all-$(basename "$elf").tsv" >"$w/thp"
tap_is "$(cut -f2,3,4 "$w/thp")" "$(printf '0x02e00000\t2097152\tr-uxad-')" \
	"the THP at 0x60400000 is one read-only 2 MiB leaf at pa 0x2e00000"

# the summary in JSON counts the same present pages as the truth
"$PGTCTL" dump "$elf" --range 0-0xc0000000 --summary --format json >"$w/sum.json"
tap_is "$("$PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1]))["summary"]["walk"]; print(d["pages"], d["findings"])' "$w/sum.json")" \
	"$(($(wc -l <"$truth") - 1)) 0" "--summary --format json: pages = truth rows, no findings"

# --filter: the writable user pages are the truth's eff_RW=1 rows
"$PGTCTL" dump "$elf" --range 0-0xc0000000 --filter w,u --pages --format tsv >"$w/w.tsv"
tap_is "$(awk -F'\t' '!/^#/ { n += $3 / 4096 } END { print n + 0 }' "$w/w.tsv")" \
	"$(awk -F'\t' 'NR > 1 && $18 == 1 && $19 == 1' "$truth" | wc -l | tr -d ' ')" \
	"--filter w,u: as many pages as truth rows with eff_RW=1 and eff_US=1"
"$PGTCTL" dump "$elf" --filter 'w,!x' --range 0xc0000000-0x100000000 --ranges --format tsv >"$w/wnx.tsv"
tap_ok "! grep -v '^#' '$w/wnx.tsv' | cut -f6 | grep -q x" "--filter 'w,!x' drops executable ranges"
tap_ok "test -s '$w/wnx.tsv'" "--filter 'w,!x' keeps writable non-executable ones"

# translate, level by level, like crash's vtop
"$PGTCTL" translate "$elf" 0x20100000 --format tsv >"$w/tr" 2>"$w/err"
tap_ok $? "translate A1.elf 0x20100000 exits 0" || tap_diag "$(cat "$w/err")"
want=$("$PYTHON" -c 'import sys
for l in open(sys.argv[1]):
    f = l.split("\t")
    if f[0] == "0x20100000": print(hex(int(f[1], 16)))' "$truth")
tap_is "$(awk -F'\t' '$2 == "page" { print $3 }' "$w/tr")" "$want" \
	"translate 0x20100000 gives the truth's pa"
tap_is "$(grep -v '^#' "$w/tr" | cut -f2 | tr '\n' ' ')" "pgd pmd pte page " \
	"translate shows the PDPT, PMD and PTE steps"

# the views work on a dump as on a replay
"$PGTCTL" dump "$elf" --tree >"$w/tree" 2>"$w/err"
tap_ok $? "--tree exits 0"
tap_ok "grep -q '^counts: pgd 1 table 0 leaves; pmd 4 tables 26 leaves; pte 30 tables 4217 leaves;' '$w/tree'" \
	"--tree ends with the per-level counts"
for v in --tree --ranges --pages --roots --summary; do
	"$PGTCTL" dump "$elf" $v --format json >"$w/j" 2>/dev/null &&
		"$PYTHON" -m json.tool "$w/j" >/dev/null 2>&1
	tap_ok $? "$v --format json is valid JSON"
done
"$PGTCTL" dump "$elf" >"$w/ov" 2>&1
tap_ok "grep -q 'PAE from CR4 of cpu 0' '$w/ov'" "the overview says how PAE was told (CR4)"

tap_done
