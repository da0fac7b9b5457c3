#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A replayed state whose current mm has exited (issue 8 item 6): the walk
# views show the last live mm and say so on stderr, or, with no mm alive,
# are empty and point to --until; exit 0 either way (it was exit 2).  And
# the summary of a trace with hundreds of exited mms stays short.

. "$top_srcdir/tests/lib/tap.sh"

w=$TAP_WORKDIR
traces=$top_srcdir/traces

# the three shipped traces that end with their current mm exited
for t in pae-pti pae-2.6.24 s390x-fork-exit; do
	for v in tree ranges pages; do
		"$PGTCTL" replay "$traces/$t.trace" "--$v" >"$w/out" 2>"$w/err"
		tap_ok $? "$t --$v: exit 0 (the current mm has exited)" ||
			tap_diag "$(cat "$w/err")"
		tap_ok "grep -q 'note: .*exited' '$w/err'" "$t --$v: says the current mm has exited" ||
			tap_diag "$(cat "$w/err")"
	done
done

# pae-pti: mm 2 exits last, mm 1 lives: the views show mm 1
"$PGTCTL" replay "$traces/pae-pti.trace" --tree >"$w/out" 2>"$w/err"
tap_ok "grep -q '^mm 1 root ' '$w/out'" "pae-pti: the tree is mm 1's"
tap_ok "grep -q 'showing mm 1, the last live mm' '$w/err'" "pae-pti: the note names mm 1"
"$PGTCTL" replay "$traces/pae-pti.trace" --pages --format tsv >"$w/tsv" 2>/dev/null
"$PGTCTL" replay "$traces/pae-pti.trace" --pages --format tsv --mm 1 >"$w/tsv1" 2>/dev/null
tap_cmp "$w/tsv1" "$w/tsv" "pae-pti: --pages shows what --mm 1 shows"

# s390x-fork-exit: every mm has exited: empty views, a pointer to --until
"$PGTCTL" replay "$traces/s390x-fork-exit.trace" --pages --format tsv >"$w/out" 2>"$w/err"
tap_ok $? "s390x-fork-exit --pages: exit 0"
tap_is "$(cat "$w/out")" "# va	pa	size	flags	raw" "s390x-fork-exit --pages: the header and no page"
tap_ok "grep -q 'the state is empty; --until N' '$w/err'" "s390x-fork-exit: the note points to --until"
"$PGTCTL" replay "$traces/s390x-fork-exit.trace" --tree --summary --format json >"$w/j" 2>/dev/null
tap_ok "python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d[\"tree\"][\"records\"] == []; assert \"--until\" in d[\"summary\"][\"state\"][\"note\"]' '$w/j'" \
	"s390x-fork-exit --format json: an empty tree, the summary's state says why"
# translate too
"$PGTCTL" translate "$traces/pae-pti.trace" 0x10000000 >"$w/out" 2>"$w/err"
tap_ok $? "pae-pti: translate exits 0" || tap_diag "$(cat "$w/err")"
tap_ok "grep -q 'PAGE 0x' '$w/out' && grep -q 'showing mm 1' '$w/err'" \
	"pae-pti: translate walks mm 1 and says so"
"$PGTCTL" translate "$traces/s390x-fork-exit.trace" 0x10000000 >"$w/out" 2>"$w/err"
tap_ok $? "s390x-fork-exit: translate exits 0"
tap_ok "grep -q 'not mapped: the state is empty' '$w/out' && grep -q -- '--until N' '$w/err'" \
	"s390x-fork-exit: translate says the state is empty and points to --until"

# an explicit --mm of an exited mm is still an error: it was asked for
"$PGTCTL" replay "$traces/s390x-fork-exit.trace" --tree --mm 2 >/dev/null 2>"$w/err"
tap_is $? 2 "--mm 2 (exited): exit 2"

# 300 short-lived children: the summary lists them as one line
{
	echo 'pgtctl-trace 1'
	echo 'arch pae'
	echo 'alloc 0x10000000 64K rw'
	echo 'populate 0x10000000 16K write'
	i=2
	while test $i -le 301; do
		printf 'fork %d\nmm %d\nexit\nmm 1\n' $i $i
		i=$((i + 1))
	done
} >"$w/many.trace"
"$PGTCTL" replay "$w/many.trace" >"$w/sum" 2>&1
tap_ok $? "300 fork+exit: replay exits 0" || tap_diag "$(cat "$w/sum")"
tap_ok "test \$(wc -l <'$w/sum') -le 8" "300 fork+exit: the summary is short" ||
	tap_diag "$(head -n 12 "$w/sum")"
tap_ok "grep -q '^mm 2-301: 300 mms exited, nothing left' '$w/sum'" \
	"300 fork+exit: one line for the 300 exited mms"
tap_ok "grep -q '^mm 1: live, 1 VMAs, 4 pages mapped' '$w/sum'" "300 fork+exit: mm 1 still listed"
"$PGTCTL" replay "$w/many.trace" --summary --format tsv >"$w/sum.tsv" 2>&1
tap_is "$(grep -vc '^#' "$w/sum.tsv")" 301 "300 fork+exit: the TSV summary keeps a row per mm"
awk -v m=80 'length > m { print; bad = 1 } END { exit bad }' "$w/sum" >"$w/long"
tap_ok $? "300 fork+exit: the text summary fits 80 columns" || tap_diag "$(cat "$w/long")"

tap_done
