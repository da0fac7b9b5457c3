# SPDX-License-Identifier: GPL-3.0-or-later
#
# x86-64 (4- and 5-level) and 2-level i386 dumps, walk only (issue 12):
# synthetic ELF vmcores with the real encodings (tests/tools/gen-x86-dump.py:
# every page size, PTI pairs, PROT_NONE, PKEY, PSE-36) whose truth the
# generator computes from the mappings it built.  For every root,
# `dump --pages` equals the truth page by page, and so does libaddrxlat's
# translation of the same addresses (tests/tools/addrxlat-check, when
# configure found libaddrxlat).  Also: which evidence picks the format
# (CR4.LA57 and CR4.PAE of QEMU's notes, VMCOREINFO), the roots found from
# CR3, PTI partners and VMCOREINFO (init_top_pgt with phys_base), the scan
# of a dump without registers, reserved bits named in findings, canonical
# addresses in translate, decode, and that the formats cannot be replayed.

. "${top_srcdir:-.}/tests/lib/tap.sh"

: "${PYTHON:=python3}"
command -v "$PYTHON" >/dev/null 2>&1 || tap_skip_all "$PYTHON not found"
w=$TAP_WORKDIR
gen=$top_srcdir/tests/tools/gen-x86-dump.py
chk=$top_srcdir/tests/tools/x86-truth-check.py
axc=${abs_top_builddir:-.}/tests/tools/addrxlat-check

make_dump()	# NAME GEN-ARGS...
{
	n=$1
	shift
	"$PYTHON" "$gen" "$@" -o "$w/$n.elf" --truth "$w/$n.truth" ||
		tap_bail "gen-x86-dump.py $* failed"
}

# truth NAME FORM: pgtctl and libaddrxlat against the truth, every root
truth()
{
	"$PYTHON" "$chk" "$PGTCTL" "$w/$1.elf" "$w/$1.truth" >"$w/out" 2>&1
	tap_ok $? "$1: dump --pages equals the truth for every root ($(grep -c '^ok' "$w/out") roots, $(awk '$1 == "ok" { n += $3 } END { print n }' "$w/out") leaves)" ||
		tap_diag "$(grep -v '^ok' "$w/out" | head -5)"
	if test -x "$axc"; then
		"$PYTHON" "$chk" --addrxlat "$axc" "$2" "$PGTCTL" "$w/$1.elf" "$w/$1.truth" \
			>"$w/out" 2>&1
		tap_ok $? "$1: libaddrxlat translates every leaf as the truth says ($(awk '$1 == "ok" { n += $3 } END { print n }' "$w/out") addresses)" ||
			tap_diag "$(grep -v '^ok' "$w/out" | head -5)"
	else
		tap_skip "$1: libaddrxlat comparison: tests/tools/addrxlat-check not built (configure found no libaddrxlat; Debian: libkdumpfile-dev)"
	fi
}

make_dump x4 --mode 4 --pti --procs 1
make_dump x5 --mode 5 --pti --procs 1
make_dump i386 --mode i386 --procs 1
make_dump x4k --mode 4 --pti --procs 3 --no-cpu-notes
make_dump i386k --mode i386 --no-cpu-notes

truth x4 x86_64-4
truth x5 x86_64-5
truth i386 ia32
truth x4k x86_64-4

# --- the format, from the evidence ---
"$PGTCTL" dump "$w/x4.elf" --roots >"$w/x4.roots" 2>&1
tap_is $? 0 "x4: --roots exits 0"
"$PGTCTL" dump "$w/x5.elf" --tree >"$w/x5.tree" 2>&1
tap_ok "grep -q '^PML5 (pgd) table' '$w/x5.tree'" \
	"x5: CR4.LA57 in the QEMU note makes the walk 5-level (the tree starts at a PML5)" ||
	tap_diag "$(head -3 "$w/x5.tree")"
"$PGTCTL" dump "$w/x4.elf" --tree >"$w/x4.tree" 2>&1
tap_ok "grep -q '^PML4 (pgd) table' '$w/x4.tree'" \
	"x4: CR4.LA57 clear: 4-level (the tree starts at a PML4)"
"$PGTCTL" dump "$w/i386.elf" --tree >"$w/i386.tree" 2>&1
tap_ok "grep -q '^PD (pgd) table 0x[0-9a-f]*, 1024 entries' '$w/i386.tree'" \
	"i386: CR4.PAE clear: 2-level, a page directory of 1024 entries (no longer refused)" ||
	tap_diag "$(head -3 "$w/i386.tree")"
"$PGTCTL" dump "$w/i386k.elf" --root kernel --summary >"$w/out" 2>&1
tap_ok "grep -q 'page directory at' '$w/out'" \
	"i386 without CPU notes: VMCOREINFO without CONFIG_X86_PAE=y means 2-level" ||
	tap_diag "$(head -3 "$w/out")"

# --- roots ---
tap_ok "grep -q '^\\* cpu0  *0x[0-9a-f]*801 ' '$w/x4.roots'" \
	"x4: the default root is CPU 0's CR3, PCID bits kept" || tap_diag "$(cat "$w/x4.roots")"
tap_ok "grep -q 'PTI kernel copy of cpu 0.s pgd (CR3 - 0x1000; user halves equal)' '$w/x4.roots'" \
	"x4: the PTI kernel copy of CPU 0's pgd is found (CR3 - 0x1000)"
tap_ok "grep -q 'VMCOREINFO SYMBOL(init_top_pgt)=ffffffff81000000 - __START_KERNEL_map + phys_base 16777216' '$w/x4.roots'" \
	"x4: the kernel root from init_top_pgt - __START_KERNEL_map + phys_base"
"$PGTCTL" dump "$w/x4k.elf" --roots --scan-roots >"$w/out" 2>&1
tap_is "$(grep -c 'memory scan: PML4 (page)' "$w/out")" 4 \
	"x4 without registers: --scan-roots finds the 4 process pgds"
tap_is "$(grep -c 'memory scan: PML4 (PTI user copy, pgd + 0x1000)' "$w/out")" 4 \
	"x4 without registers: and their 4 PTI user copies"
tap_ok "grep -q 'evidence: kernel half equal to the kernel root.s in 3 of 3 entries; 3 user entries; user half: [0-9]* pages, 0 findings' '$w/out'" \
	"x4 scan: each with its evidence (kernel half compared with init_top_pgt's)" ||
	tap_diag "$(grep evidence "$w/out" | head -2)"
tap_ok "! grep -q 'scan[0-9].*0x2000000 ' '$w/out'" \
	"x4 scan: the kernel root itself is not reported as a process"

# --- PAE without PTI: pgds are 32-byte slab objects, eight live ones in
# two pages beside freed objects (user entries cleared, SLUB's free
# pointer in slot 2: NULL, a next pointer, hardened bits, and hardened bits
# that read as a PDPTE to a live process's PMD) ---
"$PYTHON" "$gen" --mode pae-slab -o "$w/slab.elf" --truth "$w/slab.truth" ||
	tap_bail "gen --mode pae-slab"
"$PGTCTL" dump "$w/slab.elf" --roots --scan-roots --format tsv >"$w/out" 2>"$w/err"
tap_is $? 0 "PAE slab: --scan-roots exits 0"
awk '$1 == "live" { print $2 }' "$w/slab.truth" | sort >"$w/want"
awk -F '\t' '$1 ~ /^scan/ { print $2 }' "$w/out" | sort >"$w/got"
tap_ok "cmp -s '$w/want' '$w/got'" \
	"PAE slab: the scan reports exactly the 8 live pgds of the two slab pages" ||
	tap_diag "$(diff "$w/want" "$w/got")"
awk -F '\t' '$1 ~ /^scan/ { print $1 }' "$w/out" >"$w/names"
tap_is "$(head -n 8 "$w/names" | tr '\n' ' ')" "scan0 scan1 scan2 scan3 scan4 scan5 scan6 scan7 " \
	"PAE slab: they rank first"
n=0
for pa in $(awk '$1 == "stale" { print $2 }' "$w/slab.truth"); do
	grep -q "	$pa	" "$w/out" && n=$((n + 1))
done
tap_is "$n" 0 "PAE slab: none of the 6 freed objects is reported (NULL, next, hardened free pointers)"
tap_is "$(grep -c 'memory scan: PAE PDPT (32-byte slab object)' "$w/out")" 8 \
	"PAE slab: each is named a 32-byte slab object (the one at a page's start too)"
tap_is "$(awk -F '\t' '$1 ~ /^scan/ && $0 ~ /kernel PMD shared with swapper_pg_dir \(8 of 8 entries equal\); [0-9] user PMD entries; user half: [0-9]* pages, 0 findings/' "$w/out" | wc -l)" 8 \
	"PAE slab: each with its evidence (kernel PMD, user entries, trial walk)"
awk '$1 == "live" { print $2, $3 }' "$w/slab.truth" | while read -r pa pages; do
	"$PGTCTL" dump "$w/slab.elf" --root "$pa" --summary --format json 2>/dev/null |
		tr -d ' \n' | sed -n 's/.*"walk":{[^}]*"pages":\([0-9]*\).*/\1/p' |
		grep -qx "$((pages + 4096))" || echo "$pa"
done >"$w/bad"
tap_ok "test ! -s '$w/bad'" \
	"PAE slab: each live pgd maps its user pages (and the kernel's 16 MiB)" ||
	tap_diag "$(cat "$w/bad")"

# --- reserved bits are findings naming the bit ---
"$PYTHON" "$gen" --mode 4 --reserved -o "$w/xr.elf" || tap_bail "gen --reserved"
"$PGTCTL" dump "$w/xr.elf" --findings >"$w/out" 2>&1
tap_ok "grep -q 'reserved bit 15 set in a 2 MiB PDE' '$w/out'" \
	"x86-64: a 2 MiB PDE with bit 15 set is a finding naming bit 15" || tap_diag "$(cat "$w/out")"
"$PYTHON" "$gen" --mode i386 --reserved -o "$w/ir.elf" || tap_bail "gen --reserved"
"$PGTCTL" dump "$w/ir.elf" --findings >"$w/out" 2>&1
tap_ok "grep -q 'reserved bit 21 set in a 4 MiB PDE' '$w/out'" \
	"i386: a 4 MiB PDE with bit 21 set is a finding naming bit 21"

# --- translate, decode, the other views ---
"$PGTCTL" translate "$w/x4.elf" --root kernel 0xffffffff80201234 >"$w/out" 2>&1
tap_ok "grep -q 'PAGE 0x1201234  rw--adg' '$w/out'" \
	"x4: translate of a canonical kernel address (PML4 slot 511)" || tap_diag "$(cat "$w/out")"
"$PGTCTL" translate "$w/x4.elf" 0x40123456 >"$w/out" 2>&1
tap_ok "grep -q 'PAGE 0x200123456  rwuxad-' '$w/out'" \
	"x4: translate through a 1 GiB page"
"$PGTCTL" translate "$w/x4.elf" 0x0000900000000000 >"$w/out" 2>&1
tap_ok "grep -q 'not mapped: non-canonical address' '$w/out'" \
	"x4: translate of an address in the non-canonical hole says so"
"$PGTCTL" dump "$w/x5.elf" --save-tables "$w/x5s.elf" >/dev/null 2>&1 &&
	"$PGTCTL" dump "$w/x5s.elf" --pages --format tsv >"$w/got" 2>&1 &&
	"$PGTCTL" dump "$w/x5.elf" --pages --format tsv >"$w/want" 2>&1
tap_ok "cmp -s '$w/want' '$w/got'" \
	"x5: a --save-tables slice (EM_X86_64, the notes kept) walks as the dump" ||
	tap_diag "$(diff "$w/want" "$w/got" | head -5)"
"$PGTCTL" decode --arch x86-64 --level pmd 0xa8000000200000e7 >"$w/out" 2>&1
tap_ok "grep -q 'P RW US A D PS PKEY=5 NX frame=0x20000000' '$w/out'" \
	"decode --arch x86-64: a 2 MiB PDE with its protection key and NX" || tap_diag "$(cat "$w/out")"
"$PGTCTL" decode --arch x86-64 --level pud 0x80000000400001e3 >"$w/out" 2>&1
tap_ok "grep -q 'leaf .*G NX frame=0x40000000  -> frame 0x40000000 size 1073741824' '$w/out'" \
	"decode --arch x86-64: a 1 GiB PDPTE"
"$PGTCTL" decode --arch i386 --level pgd 0x404061a3 >"$w/out" 2>&1
tap_ok "grep -q 'frame=0x340400000' '$w/out'" \
	"decode --arch i386: a 4 MiB PDE with PSE-36 bits (frame above 4 GiB)"
for v in ranges summary; do
	"$PGTCTL" dump "$w/x5.elf" --$v >/dev/null 2>"$w/err"
	tap_is $? 0 "x5: --$v exits 0"
done
"$PGTCTL" dump "$w/x4.elf" --ranges >"$w/out" 2>&1
tap_ok "grep -q '^0xfffffe0000000000-0xfffffe0000001000 ' '$w/out'" \
	"x4 --ranges: the user copy's trampoline at its canonical address, 16 digits"

# --- walk only ---
printf 'pgtctl-trace 1\narch x86-64\nalloc 0x10000000 4K rw\n' >"$w/x.trace"
"$PGTCTL" replay "$w/x.trace" >/dev/null 2>"$w/err"
tap_is $? 2 "replay of an x86-64 trace: exit 2"
tap_ok "grep -q 'arch x86-64 is walk-only' '$w/err'" \
	"and the message says x86-64 is walk-only" || tap_diag "$(cat "$w/err")"
"$PGTCTL" import strace --arch i386 /dev/null >/dev/null 2>"$w/err"
tap_is $? 2 "import --arch i386: a usage error (walk-only)"

tap_done
