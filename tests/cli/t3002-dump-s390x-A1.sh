# SPDX-License-Identifier: GPL-3.0-or-later
#
# pgtctl dump on the real s390x-A1 dump (Debian 6.1 s390x under QEMU TCG)
# in every form given: QEMU's big-endian ELF (repaired, and with QEMU 7.2's
# header defect written back), QEMU's flattened kdump (no VMCOREINFO, empty
# arch field), makedumpfile's standard kdump (with VMCOREINFO), and the
# flattened kdump taken with the CPU in the kernel (CR1 then holds the
# kernel ASCE: the user ASCE must come from CR7).  Roots must match the
# registers; user PTEs and kernel ranges must agree with libaddrxlat.

. "${top_srcdir:-.}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/dumps.sh"

d=s390x-A1
dump_need $d/A1.elf.gz $d/A1.kdump.flat $d/A1.mdf.kdump $d/A1-kmode.kdump.flat \
	$d/truth-A1.tsv $d/truth-A1-kernel.tsv $d/truth-A1-kmode.tsv \
	$d/truth-A1-kmode-kernel.tsv
w=$TAP_WORKDIR
S=$SHARED/dumps/$d
elf=$(dump_file $d/A1.elf.gz) || tap_bail "cannot decompress A1.elf.gz"

# QEMU 7.2's defect (dumps README): e_ehsize 8 and section header 1 in
# little-endian order; the tool needs only program headers and notes.
broken=$w/A1-qemu-broken.elf
cp "$elf" "$broken" && "$PYTHON" - "$broken" <<'PY' || tap_bail "cannot make the broken-header copy"
import struct, sys
with open(sys.argv[1], 'r+b') as f:
    f.seek(40); shoff, = struct.unpack('>Q', f.read(8))
    f.seek(52); f.write(struct.pack('>H', 8))
    f.seek(shoff + 64)
    f.write(struct.pack('<IIQQQQIIQQ', 1, 3, 0, 0, 0x4000608, 11, 0, 0, 1, 0))
PY

check_form()	# NAME FILE TRUTH KTRUTH USER_SOURCE
{
	"$PGTCTL" dump "$2" --roots --format tsv >"$w/roots" 2>"$w/err"
	tap_ok $? "$1: --roots exits 0" || tap_diag "$(cat "$w/err")"
	tap_is "$(awk -F'\t' '$1 == "cpu0-user" { print $2 }' "$w/roots")" 0x26941c7 \
		"$1: the user ASCE is 0x26941c7"
	tap_ok "grep -q '^cpu0-user	.*$5' '$w/roots'" "$1: the user ASCE comes from $5"
	tap_is "$(awk -F'\t' '$3 == "kernel" { print $2 }' "$w/roots")" 0x1290007 \
		"$1: the kernel ASCE (CR13) is 0x1290007"
	tap_ok "grep -q 'DT=region-third TL=3 (2048 entries) P S X' '$w/roots'" \
		"$1: the user ASCE is decoded (DT, TL, control bits P S X)"
	"$PGTCTL" dump "$2" --pages --format tsv >"$w/user.tsv" 2>"$w/err"
	tap_ok $? "$1: --pages exits 0" || tap_diag "$(cat "$w/err")"
	tap_is "$(cat "$w/err")" "" "$1: no finding"
	truth_cmp "$1 user PTEs vs $(basename "$3")" units "$3" "$w/user.tsv"
	"$PGTCTL" dump "$2" --root kernel --pages --format tsv >"$w/kernel.tsv" 2>"$w/err"
	tap_ok $? "$1: --root kernel --pages exits 0" || tap_diag "$(cat "$w/err")"
	truth_cmp "$1 kernel ranges vs $(basename "$4")" ranges "$4" "$w/kernel.tsv" s390x
}

check_form A1.elf "$elf" $S/truth-A1.tsv $S/truth-A1-kernel.tsv CR1
check_form "A1.elf (QEMU header defect)" "$broken" $S/truth-A1.tsv $S/truth-A1-kernel.tsv CR1
check_form A1.kdump.flat $S/A1.kdump.flat $S/truth-A1.tsv $S/truth-A1-kernel.tsv CR1
check_form A1.mdf.kdump $S/A1.mdf.kdump $S/truth-A1.tsv $S/truth-A1-kernel.tsv CR1
check_form A1-kmode.kdump.flat $S/A1-kmode.kdump.flat $S/truth-A1-kmode.tsv \
	$S/truth-A1-kmode-kernel.tsv CR7

# the arch from each container: e_machine, and QEMU's upper-case kdump
# machine field (neither kdump file has VMCOREINFO)
"$PGTCTL" dump "$elf" >"$w/ov" 2>&1
tap_ok "grep -q '^arch:    s390x (ELF e_machine EM_S390)' '$w/ov'" "A1.elf: s390x from e_machine"
"$PGTCTL" dump $S/A1.kdump.flat >"$w/ov" 2>&1
tap_ok "grep -q \"^arch:    s390x (kdump header machine 'S390X')\" '$w/ov'" \
	"A1.kdump.flat: s390x from QEMU's upper-case machine field" || tap_diag "$(cat "$w/ov")"
tap_ok "grep -q '^kernel:  no VMCOREINFO' '$w/ov'" "A1.kdump.flat: no VMCOREINFO (QEMU has no device for it on s390x)"

# the tree shows the 2 KiB page-table halves
"$PGTCTL" dump "$elf" --tree --format json >"$w/tree.json"
tap_is "$("$PYTHON" -c 'import json,sys
t = [x for x in json.load(open(sys.argv[1]))["tree"]["records"] if x["type"] == "table"]
pt = [x for x in t if x["level"] == "pte"]
print(len(pt), sum(1 for x in pt if int(x["pa"], 16) & 0x800), sum(1 for x in pt if x["bytes"] == 2048))' "$w/tree.json")" \
	"13 6 13" "--tree: 13 page tables of 2 KiB, 6 of them upper halves (README)"

# translate a zero-page mapping (0x355 PTE, eight coloured zero pages)
z=$(awk -F'\t' '$16 ~ /355$/ { print $1; exit }' $S/truth-A1.tsv)
"$PGTCTL" translate "$elf" "$z" >"$w/tr" 2>&1
tap_ok "grep -q 'PAGE 0x180[0-7]000' '$w/tr'" "translate $z lands on a zero page (PFN 0x1800-0x1807)" ||
	tap_diag "$(cat "$w/tr")"

tap_done
