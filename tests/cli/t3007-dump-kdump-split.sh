# SPDX-License-Identifier: GPL-3.0-or-later
#
# Split kdump sets (makedumpfile --split): the shipped pae-A1 and s390x-A1
# kdumps written by tests/tools/kdump-rewrite as sets of 2 and 3 files
# (s390x-A1: 3; zstd pages when built, else zlib), given in shuffled
# order, must give the same `dump --pages` as the whole file, and the
# overview names the set.  A set with a part missing, a part given twice
# (the same file, or a copy), a part of another run of the same machine
# (another timestamp) or of another dump, the same dump written whole or
# uncompressed among the parts: one message naming the file and what is
# wrong, exit 2.

. "${top_srcdir:-.}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/dumps.sh"
. "$top_srcdir/tests/lib/kdump-variants.sh"

dump_need pae-A1/A1.kdump-zlib.flat s390x-A1/A1.mdf.kdump
w=$TAP_WORKDIR
tap_memory_limit 1048576
pae=$(dump_file pae-A1/A1.kdump-zlib.flat)
s390=$(dump_file s390x-A1/A1.mdf.kdump)
comp=zlib
kd_built zstd && comp=zstd

for d in pae s390; do
	eval "src=\$$d"
	tap_limited "$PGTCTL" dump "$src" --pages --format tsv >"$w/$d.tsv" 2>"$w/err"
	tap_ok $? "$d: --pages of the whole file exits 0" || tap_diag "$(cat "$w/err")"
	# pae-A1 as 2 and 3 parts, s390x-A1 as 3 (the time a test may take)
	parts="2 3"
	test "$d" = s390 && parts=3
	for n in $parts; do
		kd_rewrite "$src" "$w/$d-$n" "$comp" --split "$n" 2>"$w/err"
		tap_ok $? "$d: kdump-rewrite writes a $n-part $comp set" || tap_diag "$(cat "$w/err")"
		# shuffled: the last part first
		if test "$n" = 2; then
			set -- "$w/$d-2.2" "$w/$d-2.1"
		else
			set -- "$w/$d-3.3" "$w/$d-3.1" "$w/$d-3.2"
		fi
		tap_limited "$PGTCTL" dump "$@" --pages --format tsv >"$w/$d-$n.tsv" 2>"$w/err"
		tap_ok $? "$d: --pages of the $n parts in shuffled order exits 0" ||
			tap_diag "$(cat "$w/err")"
		tap_cmp "$w/$d.tsv" "$w/$d-$n.tsv" "$d: the $n-part set gives the same --pages as the whole file"
	done
	"$PGTCTL" dump "$w/$d-3.2" "$w/$d-3.3" "$w/$d-3.1" >"$w/ov" 2>&1
	tap_ok "grep -q '^dump: *$w/$d-3.1 + $w/$d-3.2 + $w/$d-3.3: kdump-compressed (split set' '$w/ov'" \
		"$d: the overview names the parts by their pages and says split set" ||
		tap_diag "$(head -n 3 "$w/ov")"
done

# refusals: exit 2, one message naming the file
refused()	# NAME WANT FILE...
{
	refused__name=$1
	refused__want=$2
	shift 2
	tap_limited "$PGTCTL" dump "$@" --pages >"$w/out" 2>"$w/err"
	tap_is "$?" 2 "$refused__name: exit 2"
	tap_ok "grep -qF -- '$refused__want' '$w/err' && test \$(wc -l <'$w/err') -eq 1" \
		"$refused__name: one message: $refused__want" || tap_diag "$(cat "$w/err")"
}

p=$w/pae-3
refused "a part missing (the middle one)" \
	"pages 0x" "$p.3" "$p.1"
tap_ok "grep -q '^pgtctl: dump: $p.3: split part of pages 0x[0-9a-f]*-0x100000: pages 0x[0-9a-f]*-0x[0-9a-f]* before it are in none of the files given: a part of the split set is missing' '$w/err'" \
	"... names the part after the gap and the pages missing"
refused "the last part missing" \
	"after it are in none of the files given: a part of the split set is missing" "$p.2" "$p.1"
refused "one part alone" "a part of the split set is missing" "$p.2"
refused "a part given twice" "$p.2: the same file as $p.2, given twice" \
	"$p.1" "$p.2" "$p.3" "$p.2"
cp "$p.2" "$w/copy-of-2"
refused "a copy of a part" "overlaps" "$p.1" "$p.2" "$p.3" "$w/copy-of-2"
kd_rewrite "$pae" "$w/other" "$comp" --split 3 --stamp
refused "a part of another run (another timestamp)" \
	"$w/other.2: offset 0x198: kdump header field timestamp differs from that of $p.1: not a part of the same dump" \
	"$p.1" "$w/other.2" "$p.3"
refused "a part of another dump" \
	"$w/s390-3.2: offset 0x8: a 64-bit big-endian kdump header, that of $p.1 is 64-bit little-endian: not a part of the same dump" \
	"$p.1" "$w/s390-3.2" "$p.3"
# the same dump written whole (the same header)
kd_rewrite "$pae" "$w/whole" "$comp"
refused "a whole dump among the parts" "split 0: a whole dump, not a part of a split set" \
	"$p.1" "$p.2" "$p.3" "$w/whole"
# ... and written uncompressed: its header says so (status)
kd_rewrite "$pae" "$w/whole-none" none
refused "the same dump uncompressed among the parts" \
	"kdump header field status differs from that of $p.1" "$p.1" "$p.2" "$p.3" "$w/whole-none"
refused "a file that is no kdump among the parts" "only kdump-compressed files come in split sets" \
	"$p.1" "$p.2" "$p.3" "$top_srcdir/tests/cli/t3007-dump-kdump-split.sh"
refused "standard input among the parts" "(standard input) is one whole dump" "$p.1" -

tap_done
