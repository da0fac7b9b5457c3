# SPDX-License-Identifier: GPL-3.0-or-later
#
# pgtctl decode: raw entries seen in the real dumps (dumps README), decoded
# per level with the hardware view the reference gives (pae.md, s390.md).

. "${top_srcdir:-.}/tests/lib/tap.sh"

dec()	# ARCH LEVEL VALUE -> "kind flags points_to"
{
	"$PGTCTL" decode --arch "$1" --level "$2" --format tsv "$3" |
		awk -F'\t' '!/^#/ { print $3, $4, $5 }'
}

# x86 PAE (pae.md: PDPTE bits 1, 2, 5-8 reserved; QEMU sets bit 5)
tap_is "$(dec pae pte 0x8000000003c65067)" "leaf rwu-ad- frame 0x3c65000 size 4096" \
	"pae.md PTE: P RW US A D NX -> present, writable, user, not executable"
tap_is "$(dec pae pmd 0x2e000e5)" "leaf r-uxad- frame 0x2e00000 size 2097152" \
	"pae.md PDE with PS: a 2 MiB leaf (the A1 THP)"
tap_is "$(dec pae pmd 0x30f3067)" "table ------- table 0x30f3000" \
	"pae.md PDE without PS: a page table"
tap_is "$(dec pae pgd 0x1e94021)" "table ------- table 0x1e94000" \
	"pae.md PDPTE: bit 5 (set by QEMU's walker) is tolerated"
tap_is "$(dec pae pgd 0x1e94023)" "malformed ------- -" \
	"pae.md PDPTE: bit 1 (reserved) makes it malformed"
tap_is "$(dec pae pte 0x000ffffffffff120)" "leaf ------- frame 0x0 size 4096" \
	"pae.md PTE: PROTNONE with the inverted PFN (L1TF) seen in A1: frame 0"
tap_is "$(dec pae pte 0)" "empty ------- -" "pae.md: 0 is empty"

# s390x (s390.md: PTE I 0x400, P 0x200, IEP 0x100; software bits low)
tap_is "$(dec s390x pte 0x13f)" "leaf rw--ad- frame 0x0 size 4096" \
	"s390.md PTE 0x13f: writable data, IEP set, young and dirty"
tap_is "$(dec s390x pte 0x31f)" "leaf r---ad- frame 0x0 size 4096" \
	"s390.md PTE 0x31f: P set (copy-on-write) -> not writable"
tap_is "$(dec s390x pte 0x355)" "leaf r---a-- frame 0x0 size 4096" \
	"s390.md PTE 0x355: the zero page (special, read-only)"
tap_is "$(dec s390x pte 0x400)" "empty ------- -" "s390.md: PTE 0x400 is empty"
tap_is "$(dec s390x pmd 0x26b2800)" "table ------- table 0x26b2800" \
	"s390.md segment entry: a 2 KiB page table (upper half)"
tap_is "$(dec s390x pte 0x26b2800)" "malformed ------- -" \
	"s390.md PTE: bit 52 set in a valid PTE is a specification exception"
tap_is "$(dec s390x pud 0x2678007)" "table ------- table 0x2678000" \
	"s390.md region-third entry: TT 01, TL 3"
tap_is "$(dec s390x p4d 0x2678007)" "malformed ------- -" \
	"s390.md: a region-third entry in a region-second table is a TT mismatch"

# every level at once, and the other formats
"$PGTCTL" decode --arch s390x 0x13f >"$TAP_WORKDIR/all"
tap_is "$(grep -c '^  ' "$TAP_WORKDIR/all")" 5 "without --level: one line per s390x level"
"$PGTCTL" decode --arch pae --format json 0x8000000003c65067 0x2e000e5 >"$TAP_WORKDIR/j"
tap_ok "python3 -m json.tool '$TAP_WORKDIR/j' >/dev/null" "--format json is valid JSON"

# usage errors: exit 2, one message naming what was expected
"$PGTCTL" decode 0x13f 2>"$TAP_WORKDIR/e"
tap_is $? 2 "no --arch: exit 2"
tap_ok "grep -q 'expected --arch' '$TAP_WORKDIR/e'" "no --arch: the message names it"
"$PGTCTL" decode --arch pae 0xzz 2>"$TAP_WORKDIR/e"
tap_is $? 2 "a bad value: exit 2"
"$PGTCTL" decode --arch pae --level R3 1 2>"$TAP_WORKDIR/e"
tap_is $? 2 "a level the arch lacks: exit 2"
"$PGTCTL" decode --arch x86_64 1 2>"$TAP_WORKDIR/e"
tap_is $? 2 "an unknown arch: exit 2"

tap_done
