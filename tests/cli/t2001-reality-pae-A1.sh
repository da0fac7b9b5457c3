# SPDX-License-Identifier: GPL-3.0-or-later
#
# Reality check, x86 PAE: replaying the operations of the workload that ran
# in the real pae-A1 dump (traces/pae-A1-workload.trace, converted from its
# console log) must rebuild the workload's user regions exactly as the real
# Linux 6.1 kernel did, physical addresses aside: the same present leaves,
# sizes (the THP is one 2 MiB leaf), writability, flags and entry bits as
# ../shared/dumps/pae-A1/truth-A1.tsv.  Both sides go through
# tests/tools/truth2pages.py --mask (va size flags rawflags).

name=pae-A1

. "${top_srcdir:-.}/tests/lib/tap.sh"

: "${PYTHON:=python3}"
command -v "$PYTHON" >/dev/null 2>&1 || tap_skip_all "$PYTHON not found"
tap_need_shared
truth=$SHARED/dumps/$name/truth-A1.tsv
test -r "$truth" || tap_skip_all "$truth not found"

trace=$top_srcdir/traces/$name-workload.trace
t2p=$top_srcdir/tests/tools/truth2pages.py
w=$TAP_WORKDIR

# The expected side: the truth, masked, restricted to the trace's regions.
# truth2pages.py rejects a malformed truth; that is a broken harness.
"$PYTHON" "$t2p" --trace "$trace" --mask "$truth" >"$w/truth.mask" 2>"$w/err" ||
	tap_bail "truth2pages.py failed on $truth: $(cat "$w/err")"
regions=$("$PYTHON" "$t2p" --trace "$trace" --list-regions | cut -d' ' -f1) ||
	tap_bail "truth2pages.py --list-regions failed on $trace"

# The replay.
"$PGTCTL" replay --check --pages --format tsv "$trace" >"$w/pages.tsv" 2>"$w/replay.err"
tap_ok $? "$name: pgtctl replay --check --pages --format tsv exits 0" ||
	tap_diag "$(cat "$w/replay.err")"
"$PYTHON" "$t2p" --trace "$trace" --mask --from-pages "$w/pages.tsv" \
	>"$w/replay.mask" 2>"$w/err"
tap_ok $? "$name: the replay's page list follows the --pages contract" ||
	tap_diag "$(cat "$w/err")"

for region in $regions; do
	"$PYTHON" "$t2p" --trace "$trace" --region "$region" --mask "$truth" \
		>"$w/truth.$region"
	"$PYTHON" "$t2p" --trace "$trace" --region "$region" --mask --from-pages \
		"$w/pages.tsv" >"$w/replay.$region" 2>/dev/null
	tap_cmp "$w/truth.$region" "$w/replay.$region" \
		"$name region $region: pages, writability, sizes, flags match truth"
done
tap_cmp "$w/truth.mask" "$w/replay.mask" "$name: all regions match truth"

want=$("$PYTHON" "$t2p" --trace "$trace" --count "$truth")
got=$("$PYTHON" "$t2p" --trace "$trace" --count --from-pages "$w/pages.tsv" 2>/dev/null)
tap_is "$got" "$want" "$name: $want present 4 KiB pages in the regions, as in truth"
all=$("$PYTHON" "$t2p" --trace "$trace" --all --count --from-pages "$w/pages.tsv" 2>/dev/null)
tap_is "$all" "$got" "$name: no page outside the regions the trace allocates"

tap_done
