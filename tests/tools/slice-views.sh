#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The views of the real-kernel table slices in tests/data/slices, one line
# per row prefixed with the slice and the root: user roots as --pages, the
# kernel roots as --ranges.  make-slices.sh records them from the full dumps
# (tests/data/slices/views.tsv.gz); t3004-dump-slices.sh recomputes them
# from the slices alone and compares.
#   slice-views.sh PGTCTL DIR   (DIR holds the three *.elf slices)
set -eu
pgtctl=$1 dir=$2

view()	# SLICE ROOT RANGE VIEW
{
	"$pgtctl" dump "$dir/$1.elf" --root "$2" ${3:+--range "$3"} "$4" --format tsv |
		sed "s/^/$1	$2	/"
}

view pae-A1 cpu0 0-0xc0000000 --pages
view pae-A1 kernel 0xc0000000-0x100000000 --ranges
view s390x-A1 cpu0-user "" --pages
view s390x-A1 cpu0-kernel "" --ranges
view pae-K1 kernel "" --ranges
for r in 0x1e42000 0x1e43000 0x1efc000 0x1efd000 0x1cd0000 0x1cd1000 \
	 0x1ee4000 0x1ee5000 0x2672000 0x2673000; do
	view pae-K1 $r 0-0xc0000000 --pages
done
