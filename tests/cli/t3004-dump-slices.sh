# SPDX-License-Identifier: GPL-3.0-or-later
#
# Real kernels without ../shared: tests/data/slices holds table-only slices
# (pgtctl dump --save-tables) of the three real dumps, and views.tsv.gz the
# views the FULL dumps give (checked against libaddrxlat's truth by t3001-
# t3003).  From the slices alone the same roots, pages and ranges must come
# out, and --scan-roots must still find every process of pae-K1.  With
# ../shared present, a slice made again from the full dump must be byte-
# identical to the committed one (--save-tables is deterministic).

. "${top_srcdir:-.}/tests/lib/tap.sh"

w=$TAP_WORKDIR
data=$top_srcdir/tests/data/slices
for n in pae-A1 s390x-A1 pae-K1; do
	gzip -dc "$data/$n.elf.gz" >"$w/$n.elf" || tap_bail "cannot decompress $n.elf.gz"
	tap_ok "test \$(wc -c <'$w/$n.elf') -lt 2000000" "$n slice is small (< 2 MB)"
done

roots()	# SLICE NAME -> value
{
	"$PGTCTL" dump "$w/$1.elf" --roots --format tsv | awk -F'\t' -v n="$2" '$1 == n { print $2 }'
}
tap_is "$(roots pae-A1 cpu0)" 0x22022e0 "pae-A1 slice: CR3 from the QEMU note survives"
tap_is "$(roots pae-A1 kernel)" 0x1e98000 "pae-A1 slice: VMCOREINFO survives"
tap_is "$(roots s390x-A1 cpu0-user)" 0x26941c7 "s390x-A1 slice: CR1 from NT_S390_CTRS survives"
tap_is "$(roots s390x-A1 cpu0-kernel)" 0x1290007 "s390x-A1 slice: CR13 survives"
tap_is "$(roots pae-K1 kernel)" 0xbe98000 "pae-K1 slice: swapper_pg_dir from VMCOREINFO"

sh "$top_srcdir/tests/tools/slice-views.sh" "$PGTCTL" "$w" >"$w/views.tsv" 2>"$w/err"
tap_ok $? "the views of the slices are computed" || tap_diag "$(cat "$w/err")"
tap_is "$(cat "$w/err")" "" "no finding in any slice"
gzip -dc "$data/views.tsv.gz" >"$w/want.tsv"
tap_ok "cmp -s '$w/want.tsv' '$w/views.tsv'" \
	"slices give the full dumps' views ($(wc -l <"$w/want.tsv" | tr -d ' ') lines)" ||
	tap_diag "$(diff "$w/want.tsv" "$w/views.tsv" | head -20)"
for r in 0x1efc000 0x1efd000 0x2672000; do
	tap_ok "grep -q '^pae-K1	$r	' '$w/views.tsv'" "pae-K1 slice: pages of root $r"
done

"$PGTCTL" dump "$w/pae-K1.elf" --scan-roots --roots --format tsv >"$w/scan"
grep -v '^#' "$w/scan" | head -n 11 | cut -f2 | sort >"$w/top"
printf '%s\n' 0x1cd0000 0x1cd1000 0x1e42000 0x1e43000 0x1ee4000 0x1ee5000 \
	0x1efc000 0x1efd000 0x2672000 0x2673000 0xbe98000 | sort >"$w/wanted"
tap_ok "cmp -s '$w/wanted' '$w/top'" "pae-K1 slice: --scan-roots ranks the 11 real roots first" ||
	tap_diag "$(cat "$w/scan")"

# the pae-K1 slice keeps the kernel data page region names are read from
# (pgt_dump_source_layout_pages: not a table); the count says so
"$PGTCTL" dump "$w/pae-K1.elf" --save-tables "$w/k1-again.elf" 2>"$w/err"
tap_is "$?:$(cat "$w/err")" "0:pgtctl: $w/k1-again.elf: wrote 20 pages (80 KiB): 19 page-table pages from 1 root, 1 kernel data page the region names come from" \
	"--save-tables counts table pages and the kernel data page apart"

if test -r "$SHARED/dumps/pae-A1/A1.elf.gz"; then
	. "$top_srcdir/tests/lib/dumps.sh"
	full=$(dump_file pae-A1/A1.elf.gz)
	"$PGTCTL" dump "$full" --save-tables "$w/again.elf" 2>"$w/err"
	tap_ok $? "--save-tables on the full pae-A1 dump exits 0" || tap_diag "$(cat "$w/err")"
	tap_ok "cmp -s '$w/again.elf' '$w/pae-A1.elf'" "the slice made again is byte-identical"
	"$PGTCTL" dump "$full" --save-tables /nonexistent/dir/x.elf 2>"$w/err"
	tap_is $? 2 "--save-tables into a missing directory: exit 2"
	tap_ok "! ls /nonexistent/dir 2>/dev/null" "and no file is left behind"
else
	tap_skip "../shared/dumps not found (SHARED=$SHARED)" "--save-tables determinism against the full dump"
fi

tap_done
