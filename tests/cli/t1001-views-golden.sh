#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Golden outputs of the replay views on a small PAE trace
# (tests/data/pae-small.trace).  Each tests/data/pae-small.VIEW.expect was
# produced by pgtctl once and checked by hand against the reference; its
# "## " lines say what was checked and are not part of the output.  If a
# view changes on purpose, regenerate the file AND check it again.
# Then: --format json parses (python3 -m json.tool; skipped without python3),
# the --pages TSV header and shape, and --events keeps to its stream.

. "$top_srcdir/tests/lib/tap.sh"

data=$top_srcdir/tests/data
trace=$data/pae-small.trace
W=$TAP_WORKDIR

# golden VIEW FORMAT: replay --VIEW --format FORMAT against the .expect file
golden()
{
	view=$1 fmt=$2
	"$PGTCTL" replay --check "$trace" "--$view" --format "$fmt" \
		>"$W/$view.out" 2>"$W/$view.err"
	tap_ok $? "replay --check --$view --format $fmt exits 0" ||
		tap_diag "$(cat "$W/$view.err")"
	tap_is "$(cat "$W/$view.err")" "" "--$view: nothing on stderr"
	grep -v '^## ' "$data/pae-small.$view.expect" >"$W/$view.want"
	tap_cmp "$W/$view.want" "$W/$view.out" \
		"--$view --format $fmt matches pae-small.$view.expect"
}

golden tree text
golden ranges text
golden pages tsv
golden flushes tsv
golden transitions text

# ---- the --pages TSV contract (design.md) ----
tab=$(printf '\t')
tap_is "$(head -n 1 "$W/pages.out")" "# va${tab}pa${tab}size${tab}flags${tab}raw" \
	"--pages --format tsv: header '# va<TAB>pa<TAB>size<TAB>flags<TAB>raw'"
awk -F '\t' 'NR > 1 && (NF != 5 || $1 !~ /^0x[0-9a-f]+$/ ||
	$2 !~ /^0x[0-9a-f]+$/ || $3 !~ /^[0-9]+$/ ||
	$4 !~ /^[r-][w-][u-][x-][a-][d-][g-]$/ || $5 !~ /^0x[0-9a-f]+$/) {
	print "bad line " NR ": " $0; bad = 1 } END { exit bad }' "$W/pages.out"
tap_ok $? "--pages --format tsv: every line has va, pa, size, flags, raw"
tail -n +2 "$W/pages.out" | cut -f1 >"$W/va.hex"
LC_ALL=C sort -c "$W/va.hex" 2>/dev/null
tap_ok $? "--pages --format tsv: sorted by va (fixed-width hex)"

# ---- --format json parses ----
if command -v python3 >/dev/null 2>&1; then
	for view in tree ranges pages flushes transitions events; do
		"$PGTCTL" replay "$trace" "--$view" --format json \
			>"$W/$view.json" 2>"$W/$view.jerr"
		tap_ok $? "--$view --format json exits 0"
		python3 -m json.tool "$W/$view.json" >/dev/null 2>"$W/$view.jerr"
		tap_ok $? "--$view --format json parses with python3 -m json.tool" ||
			tap_diag "$(cat "$W/$view.jerr")" \
				"last lines: $(tail -n 3 "$W/$view.json")"
	done
	# the JSON pages say the same as the TSV pages
	python3 - "$W/pages.json" "$W/pages.out" >"$W/cmp.out" 2>&1 <<'EOF'
import json, sys
pages = json.load(open(sys.argv[1]))["pages"]["records"]
tsv = [l.rstrip("\n").split("\t") for l in open(sys.argv[2])
       if not l.startswith("#")]
js = [[p["va"], p["pa"], str(p["size"]), p["flags"], p["raw"]] for p in pages]
norm = lambda rows: [[int(r[0], 16), int(r[1], 16), r[2], r[3], int(r[4], 16)]
                     for r in rows]
if norm(js) != norm(tsv):
    print("json:", js)
    print("tsv: ", tsv)
    sys.exit(1)
EOF
	tap_ok $? "--pages: the JSON and TSV forms list the same leaves" ||
		tap_diag "$(cat "$W/cmp.out")"
else
	tap_skip "python3 not found" "--format json parses"
fi

# ---- --events is one stream: nothing after the views ----
"$PGTCTL" replay "$trace" --events --flushes >"$W/evf.out" 2>&1
tap_ok $? "replay --events --flushes exits 0"
tap_is "$(tail -n 1 "$W/evf.out")" "total: invlpg 7, flush-all 1" \
	"--events --flushes: the flushes view is the last output (no events after the views)" ||
	tap_diag "last lines:" "$(tail -n 4 "$W/evf.out")"

# ---- the shipped example traces/pae-fork.trace keeps the figures its header
# and the README quick start promise ----
"$PGTCTL" replay --check "$top_srcdir/traces/pae-fork.trace" --flushes \
	>"$W/fork.out" 2>&1
tap_ok $? "traces/pae-fork.trace: replay --check exits 0" ||
	tap_diag "$(cat "$W/fork.out")"
tap_is "$(tail -n 1 "$W/fork.out")" "total: invlpg 40, flush-all 2" \
	"traces/pae-fork.trace: totals invlpg 40, flush-all 2 (its header)"

tap_done
