# SPDX-License-Identifier: GPL-3.0-or-later
#
# kdump pages in every compression makedumpfile writes: the shipped real
# pae-A1 dump (QEMU's flattened kdump, zlib; s390x-A1: t3008) rewritten by tests/tools/kdump-rewrite with lzo (makedumpfile -l),
# snappy (-p) and zstd (-z) pages must give byte-identical `dump --pages`
# to the zlib form.  In a build without one of the libraries, a page
# flagged with that compression must be a finding naming the page and the
# library, and the walk must go on.  zlib pages give the same walk through
# libdeflate and through zlib (PGTCTL_INFLATER).  Errors: a truncated lzo
# page and a corrupt zstd frame under a page table are findings naming the
# page, its offset and what is wrong.

. "${top_srcdir:-.}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/dumps.sh"
. "$top_srcdir/tests/lib/kdump-variants.sh"

dump_need pae-A1/A1.kdump-zlib.flat
w=$TAP_WORKDIR
tap_memory_limit 1048576
pae=$(dump_file pae-A1/A1.kdump-zlib.flat)
# a PTE table the default root's walk reads (translate 0x20100000)
pae_table=0x30f3

kd_compare_compressions pae "$pae"

# a compression this build lacks: the page is a finding naming it and the
# library, the rest of the walk goes on
for c in lzo snappy zstd; do
	if kd_built "$c"; then
		tap_skip "$(kd_lib "$c") is built" "pae: a $c page without $(kd_lib "$c") is a finding"
		continue
	fi
	kd_rewrite "$pae" "$w/fo.$c" "$c" --flag-only "$pae_table" 2>"$w/err"
	tap_ok $? "pae: a page flagged $c written" || tap_diag "$(cat "$w/err")"
	tap_limited "$PGTCTL" dump "$w/fo.$c" --pages --format tsv >"$w/fo.tsv" 2>"$w/err"
	tap_ok $? "pae: $c page without $(kd_lib "$c"): exit 0 (a finding)" || tap_diag "$(cat "$w/err")"
	tap_ok "grep -q 'finding: .*page $pae_table: compressed with $c (file offset 0x[0-9a-f]*, 4096 bytes): this pgtctl was built without $(kd_lib "$c")' '$w/err'" \
		"pae: the finding names page $pae_table, its offset and $(kd_lib "$c")" || tap_diag "$(cat "$w/err")"
	tap_ok "test \$(wc -l <'$w/fo.tsv') -gt 500 && test \$(wc -l <'$w/fo.tsv') -lt \$(wc -l <'$w/pae-zlib.tsv')" \
		"pae: the walk goes on past it (the other tables' pages are listed)"
	rm -f "$w/fo.$c"
done

# damaged pages under a page table
if kd_built lzo; then
	kd_rewrite "$pae" "$w/cut.lzo" lzo --damage "$pae_table"
	tap_limited "$PGTCTL" dump "$w/cut.lzo" --pages --format tsv >"$w/cut.tsv" 2>"$w/err"
	tap_ok $? "a truncated lzo page: exit 0 (a finding)"
	tap_ok "grep -q 'finding: .*page $pae_table: bad lzo data (file offset 0x[0-9a-f]*, [0-9]* bytes): cut short' '$w/err'" \
		"a truncated lzo page: the finding names the page, its offset and 'cut short'" ||
		tap_diag "$(cat "$w/err")"
	tap_ok "test \$(wc -l <'$w/cut.tsv') -gt 500" "a truncated lzo page: the walk goes on"
	rm -f "$w/cut.lzo"
else
	tap_skip "liblzo2 not built" "a truncated lzo page"
fi
if kd_built zstd; then
	kd_rewrite "$pae" "$w/bad.zstd" zstd --damage "$pae_table"
	tap_limited "$PGTCTL" dump "$w/bad.zstd" --pages --format tsv >"$w/bad.tsv" 2>"$w/err"
	tap_ok $? "a corrupt zstd frame: exit 0 (a finding)"
	tap_ok "grep -q 'finding: .*page $pae_table: bad zstd data (file offset 0x[0-9a-f]*, [0-9]* bytes): ' '$w/err'" \
		"a corrupt zstd frame: the finding names the page, its offset and zstd's error" ||
		tap_diag "$(cat "$w/err")"
	rm -f "$w/bad.zstd"
else
	tap_skip "libzstd not built" "a corrupt zstd frame"
fi

tap_done
