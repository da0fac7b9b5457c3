# SPDX-License-Identifier: GPL-3.0-or-later
#
# The model against reality, through diff: the replay of each real
# workload (traces/*-A1-workload.trace) against the dump its kernel left,
# restricted to each region the workload mapped, reports no difference,
# PAE and s390x, and says that physical addresses were not compared (the
# truth behind those dumps is libaddrxlat's: t2001, t2002, t3001-t3004).
# Always against the table-only slices in tests/data/slices; against the
# full dumps of ../shared when they are there.  A planted change of one op
# is reported at its address, with --explain naming that op and its line.

. "${top_srcdir:-.}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/dumps.sh"

command -v "$PYTHON" >/dev/null 2>&1 || tap_skip_all "$PYTHON not found"
w=$TAP_WORKDIR
t2p=$top_srcdir/tests/tools/truth2pages.py

regions_equal()	# NAME TRACE DUMP[@ROOT] WHAT
{
	"$PYTHON" "$t2p" --trace "$2" --list-regions >"$w/regions" ||
		tap_bail "truth2pages.py --list-regions failed on $2"
	while read -r start len; do
		"$PGTCTL" diff "$2" "$3" --range "$start+$len" >"$w/out" 2>&1
		st=$?
		tap_is "$st:$(tail -n 1 "$w/out")" "0:no differences" \
			"$1 $4, region $start+$len: the replay and the kernel's tables agree" ||
			tap_diag "$(cat "$w/out")"
	done <"$w/regions"
	tap_ok "grep -q '^note: physical addresses were not compared' '$w/out'" \
		"$1 $4: the output says PAs were not compared"
}

for name in pae-A1 s390x-A1; do
	trace=$top_srcdir/traces/$name-workload.trace
	gzip -dc "$top_srcdir/tests/data/slices/$name.elf.gz" >"$w/$name.elf" ||
		tap_bail "cannot decompress $name.elf.gz"
	regions_equal "$name" "$trace" "$w/$name.elf" "slice"
	if test -r "$SHARED/dumps/$name/A1.elf.gz"; then
		regions_equal "$name" "$trace" "$(dump_file "$name/A1.elf.gz")" "full dump"
	else
		tap_skip "../shared/dumps not found (SHARED=$SHARED)" "$name: the full dump"
	fi
done

# Planted: the last PAE op writes 0xbf00e000 instead of 0xbf00f000.  The
# replay then has 0xbf00e000 writable (its own copy) and 0xbf00f000 still
# write-protected by the fork, the kernel the reverse.
trace=$top_srcdir/traces/pae-A1-workload.trace
line=$(grep -n '^populate 0xbf00f000 0x1000 write' "$trace" | cut -d: -f1)
test -n "$line" || tap_bail "the last populate of $trace is not where expected"
sed "${line}s/0xbf00f000/0xbf00e000/" "$trace" >"$w/planted.trace"
"$PGTCTL" diff --explain "$w/planted.trace" "$w/pae-A1.elf" \
	--range 0xbf000000+0x10000 >"$w/planted" 2>&1
tap_is "$?" 1 "planted: exit 1"
tap_is "$(grep '^0x' "$w/planted")" \
"0xbf00e000-0xbf00f000  1 x 4K rights rwuxad- -> r-uxad-
0xbf00f000-0xbf010000  1 x 4K rights r-uxad- -> rwuxad-" \
	"planted: the two pages, with their rights on each side" ||
	tap_diag "$(cat "$w/planted")"
tap_ok "grep -q '^    A: op 32 at .*planted.trace:$line: populate 0xbf00e000 4K write$' '$w/planted'" \
	"planted: --explain names the changed op, its index and line" ||
	tap_diag "$(cat "$w/planted")"

tap_done
