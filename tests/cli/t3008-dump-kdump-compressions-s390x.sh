# SPDX-License-Identifier: GPL-3.0-or-later
#
# kdump pages in every compression makedumpfile writes: the shipped real
# s390x-A1 dump (makedumpfile's standard layout, zlib, big-endian; pae-A1:
# t3006) rewritten by tests/tools/kdump-rewrite with lzo (makedumpfile -l),
# snappy (-p) and zstd (-z) pages must give byte-identical `dump --pages`
# to the zlib form (skipped for a library not built: t3006 checks the
# finding then); zlib pages give the same walk through libdeflate and
# through zlib (PGTCTL_INFLATER).

. "${top_srcdir:-.}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/dumps.sh"
. "$top_srcdir/tests/lib/kdump-variants.sh"

dump_need s390x-A1/A1.mdf.kdump
tap_memory_limit 1048576
s390=$(dump_file s390x-A1/A1.mdf.kdump)

kd_compare_compressions s390x "$s390"

tap_done
