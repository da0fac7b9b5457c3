#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Re-make the real-kernel fixtures in tests/data/slices from ../shared/dumps:
# table-only slices (pgtctl dump --save-tables) of the three real dumps and
# the views they must give (slice-views.sh over the FULL dumps, so a slice
# that lost a table fails t3004).  Run from the top build directory:
#   sh tests/tools/make-slices.sh [SRCDIR]
set -eu
src=${1:-.}
shared=${SHARED:-$src/../shared}/dumps
out=$src/tests/data/slices
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pgtctl=./src/pgtctl

gzip -dc "$shared/pae-A1/A1.elf.gz" >"$tmp/pae-A1.full"
gzip -dc "$shared/s390x-A1/A1.elf.gz" >"$tmp/s390x-A1.full"
cp "$shared/pae-K1/K1-vmcore-c-d31.kdump" "$tmp/pae-K1.full"
mkdir -p "$out" "$tmp/full" "$tmp/slices"
for n in pae-A1 s390x-A1 pae-K1; do
	ln -s "$tmp/$n.full" "$tmp/full/$n.elf"
	scan=
	test $n = pae-K1 && scan=--scan-roots
	"$pgtctl" dump "$tmp/$n.full" $scan --save-tables "$tmp/slices/$n.elf"
	gzip -9n <"$tmp/slices/$n.elf" >"$out/$n.elf.gz"
done
sh "$src/tests/tools/slice-views.sh" "$pgtctl" "$tmp/full" | gzip -9n >"$out/views.tsv.gz"
ls -l "$out"
