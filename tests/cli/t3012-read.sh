# SPDX-License-Identifier: GPL-3.0-or-later
#
# pgtctl read (crash's rd): the bytes of the real pae-A1 dump at virtual
# addresses, through pgwork's page tables, and at physical addresses, each
# compared with the bytes of the ELF's PT_LOAD segments read by an
# independent reader (tests/tools/elf-bytes.py) at the frame the truth
# gives; then what the dump cannot give: an unmapped address, a page the
# filtered K1 kdump left out (dump level 31: user pages), a stretch that
# runs from mapped into unmapped memory.  Exit 1 when a byte is missing.

. "${top_srcdir:-.}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/dumps.sh"

dump_need pae-A1/A1.elf.gz pae-A1/truth-A1.tsv pae-K1/K1-vmcore-c-d31.kdump \
	pae-K1/truth-K1-pid1-init.tsv
tap_memory_limit 1048576
w=$TAP_WORKDIR
elf=$(dump_file pae-A1/A1.elf.gz) || tap_bail "cannot decompress A1.elf.gz"
bytes="$PYTHON $top_srcdir/tests/tools/elf-bytes.py"

truth_pa()	# VA: the frame of VA's page in truth-A1, plus the offset
{
	"$PYTHON" -c 'import sys
va = int(sys.argv[1], 16)
for l in open(sys.argv[2]):
    f = l.split("\t")
    if f[0].startswith("0x") and int(f[0], 16) == va & ~0xfff:
        print(hex(int(f[1], 16) + (va & 0xfff)))' "$1" "$SHARED/dumps/pae-A1/truth-A1.tsv"
}

# "ADDR hex" lines of pgtctl read --format tsv (bytes rows only)
lines()
{
	awk -F'\t' '!/^#/ && $4 != "-" { print $1, $4 }' "$1"
}

for spec in "0x08048000 64" "0x08048ff0 32" "0x60400000 48" "0x604fffe0 64" \
	    "0x20100123 29"; do
	set -- $spec
	pa=$(truth_pa "$1")
	tap_limited "$PGTCTL" read "$elf" "$1" "$2" --format tsv >"$w/r" 2>"$w/err"
	tap_ok $? "read $1 $2 exits 0" || tap_diag "$(cat "$w/err")"
	# the same bytes, line by line, at the truth's frame (pages in a
	# line's way are contiguous in these VAs only when the truth says so)
	awk -F'\t' '!/^#/ { print $3, $4 }' "$w/r" | while read -r lpa hexa; do
		n=$(echo "$hexa" | wc -w)
		$bytes "$elf" "$lpa" "$n" | cut -d' ' -f2- | tr '\n' ' ' | sed 's/ $//'
		echo
	done >"$w/want"
	awk -F'\t' '!/^#/ { print $4 }' "$w/r" >"$w/got"
	tap_cmp "$w/want" "$w/got" "read $1 $2: every line is the ELF's bytes at its frame"
	tap_is "$(awk -F'\t' '!/^#/ { print $3; exit }' "$w/r")" "$(printf '0x%08x' "$pa")" \
		"read $1: the first line's frame is the truth's ($pa)"
	tap_is "$(awk -F'\t' '!/^#/ { n += split($4, a, " ") } END { print n }' "$w/r")" "$2" \
		"read $1 $2: $2 bytes"
done

# --phys: the same bytes from the physical address, 16 a line
"$PGTCTL" read "$elf" --phys 0x3c65000 40 --format tsv >"$w/p"
tap_is "$(lines "$w/p" | sed 's/^0x0*/0x/')" \
	"$($bytes "$elf" 0x3c65000 40 | sed 's/^0x0*/0x/')" \
	"read --phys 0x3c65000 40 is the ELF's bytes there"
"$PGTCTL" read "$elf" 0x08048000 16 >"$w/t"
tap_is "$(cat "$w/t")" \
	"0x08048000: 7f 45 4c 46 01 01 01 03  00 00 00 00 00 00 00 00  |.ELF............|" \
	"text: crash rd style, address, 16 bytes, printable characters"

# what cannot be read: said per stretch, exit 1
"$PGTCTL" read "$elf" 0x00001000 64 >"$w/u" 2>"$w/e"
tap_is "$?" 1 "read of an unmapped address exits 1"
tap_is "$(cat "$w/u")" "0x00001000-0x00001040: not mapped: empty entry" \
	"an unmapped address is said, with the reason"
tap_ok "grep -q '64 of 64 bytes could not be read' '$w/e'" "stderr counts the bytes missing"
end=$("$PYTHON" -c 'import sys
vas = [int(l.split("\t")[0], 16) for l in open(sys.argv[1]) if l.startswith("0x")]
s = set(vas)
print(hex(next(v for v in sorted(vas) if v + 4096 not in s)))' "$SHARED/dumps/pae-A1/truth-A1.tsv")
start=$(printf '0x%x' $((end + 4096 - 32)))
"$PGTCTL" read "$elf" "$start" 64 --format tsv >"$w/m" 2>/dev/null
tap_is "$?" 1 "read across the end of a mapping exits 1"
tap_is "$(awk -F'\t' '!/^#/ { print ($6 == "-" ? "bytes" : $6) }' "$w/m" | uniq | tr '\n' ';')" \
	"bytes;not mapped: empty entry;" \
	"read across the end of a mapping: the bytes, then one hole saying why"
kd=$SHARED/dumps/pae-K1/K1-vmcore-c-d31.kdump
"$PGTCTL" read "$kd" --root 0x01e43000 0x08048000 32 >"$w/k" 2>&1
tap_is "$?" 1 "K1 (dump level 31): a user page is mapped but not in the dump: exit 1"
tap_ok "grep -q '^0x08048000-0x08048020: not in the dump: ' '$w/k'" \
	"K1: the page the dump filtered out is said, not an error"
"$PGTCTL" read "$elf" 0x08048000 32 --format json >"$w/j"
tap_is "$("$PYTHON" -c 'import json,sys; r=json.load(open(sys.argv[1]))["read"]["records"]; print(r[0]["type"], r[0]["text"], len(r))' "$w/j")" \
	"bytes .ELF............ 2" "json: the lines as bytes records"

# bad input
"$PGTCTL" read "$elf" 0x1000 0 >/dev/null 2>"$w/e"
tap_is "$?" 2 "a zero length is a usage error"
"$PGTCTL" read "$elf" 0x1000 32M >/dev/null 2>"$w/e"
tap_is "$?" 2 "more than 16 MiB is a usage error"
tap_ok "grep -q 'expected 1 to 16M bytes' '$w/e'" "the message says the limit"
"$PGTCTL" read "$elf" --phys --root kernel 0x1000 >/dev/null 2>"$w/e"
tap_is "$?" 2 "--phys with --root is a usage error"
"$PGTCTL" read "$top_srcdir/tests/data/pae-small.trace" 0x1000 >/dev/null 2>"$w/e"
tap_is "$?" 2 "read of a trace is refused (a replay holds no memory contents)"

tap_done
