# SPDX-License-Identifier: GPL-3.0-or-later
#
# Raw images (--arch, --phys-base): the memory of the real-kernel slices in
# tests/data/slices written as raw images (tests/tools/elf2raw.py, sparse)
# must walk exactly as the slices do, at base 0 and at a base above 0;
# without --arch a raw image is refused, as are bad bases.

. "${top_srcdir:-.}/tests/lib/tap.sh"

: "${PYTHON:=python3}"
command -v "$PYTHON" >/dev/null 2>&1 || tap_skip_all "$PYTHON not found"
w=$TAP_WORKDIR
data=$top_srcdir/tests/data/slices
e2r=$top_srcdir/tests/tools/elf2raw.py

check()	# SLICE ARCH ROOT BASE
{
	gzip -dc "$data/$1.elf.gz" >"$w/$1.elf" || tap_bail "cannot decompress $1"
	"$PYTHON" "$e2r" "$w/$1.elf" "$w/$1.raw" "$4" || tap_bail "elf2raw failed"
	"$PGTCTL" dump "$w/$1.elf" --root "$3" --pages --format tsv >"$w/want" 2>&1
	"$PGTCTL" dump "$w/$1.raw" --arch "$2" --phys-base "$4" --root "$3" \
		--pages --format tsv >"$w/got" 2>"$w/err"
	tap_ok $? "$1 as a raw image at $4: exit 0" || tap_diag "$(cat "$w/err")"
	tap_ok "cmp -s '$w/want' '$w/got'" \
		"$1 raw at $4: the same $(grep -vc '^#' "$w/want") leaves as the ELF slice" ||
		tap_diag "$(diff "$w/want" "$w/got" | head -5)"
}

check pae-A1 pae 0x22022e0 0
check pae-A1 pae 0x22022e0 0x1000000
check s390x-A1 s390x 0x26941c7 0
check s390x-A1 s390x 0x1290007 0x1000000

# the image starts above a table (the kernel PMD at 0x1e94000): the walk
# reports it and goes on
"$PYTHON" "$e2r" "$w/pae-A1.elf" "$w/high.raw" 0x2000000 || tap_bail "elf2raw failed"
"$PGTCTL" dump "$w/high.raw" --arch pae --phys-base 0x2000000 --root 0x22022e0 \
	--summary >"$w/out" 2>"$w/err"
tap_is $? 0 "a raw image that misses the root's tables: exit 0 (findings)"
tap_ok "grep -q 'finding: pgd entry at 0x22022f8 (va 0xc0000000, raw 0x1e94021): the table at 0x1e94000 cannot be read' '$w/err'" \
	"the finding names the PDPT entry (slot 3) whose table is not in the image" ||
	tap_diag "$(head -3 "$w/err")"

"$PYTHON" "$e2r" "$w/pae-A1.elf" "$w/pae-A1.raw" 0 || tap_bail "elf2raw failed"
"$PGTCTL" dump "$w/pae-A1.raw" --root 0x22022e0 >/dev/null 2>"$w/err"
tap_is $? 2 "a raw image without --arch: exit 2"
tap_ok "grep -q 'not a memory dump; expected .*--arch ARCH for a raw image' '$w/err'" \
	"the message says a raw image needs --arch"
"$PGTCTL" dump "$w/pae-A1.raw" --arch pae --phys-base 0x1234 >/dev/null 2>"$w/err"
tap_is $? 2 "an unaligned --phys-base: exit 2"
"$PGTCTL" dump "$w/pae-A1.raw" --arch x86_64 >/dev/null 2>"$w/err"
tap_is $? 2 "an unknown --arch: exit 2"
"$PGTCTL" dump "$w/pae-A1.raw" --arch pae >/dev/null 2>"$w/err"
tap_is $? 2 "a raw image and no --root: exit 2 (no registers to find one)"
tap_ok "grep -q 'use --root ADDR or --scan-roots' '$w/err'" "the message suggests --root or --scan-roots"
head -c 65536 /dev/zero >"$w/zero.raw"
"$PGTCTL" dump "$w/zero.raw" --arch pae --scan-roots >/dev/null 2>"$w/err"
tap_ok "grep -q 'none by --scan-roots); use --root ADDR$' '$w/err'" \
	"after a scan that found nothing, the message says so and suggests only --root" ||
	tap_diag "$(cat "$w/err")"
"$PGTCTL" dump "$w/pae-A1.raw" --arch pae --roots >"$w/roots" 2>"$w/err"
tap_is $? 0 "--roots alone on a raw image: exit 0"
tap_ok "grep -q '^no roots found' '$w/roots'" "--roots says none was found and what to do"
"$PGTCTL" dump "$w/pae-A1.raw" --arch pae --scan-roots --roots --format tsv >"$w/scan" 2>"$w/err"
tap_is "$(awk -F'\t' '$1 == "scan0" { print $2 }' "$w/scan")" 0x22022e0 \
	"--scan-roots in a raw image ranks the workload's PDPT first"

tap_done
