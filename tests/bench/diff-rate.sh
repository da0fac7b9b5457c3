#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# tests/bench/diff-rate.sh: what pgtctl diff costs beside one walk (issue
# 10: a diff of two full walks of a 1,048,576-page synthetic dump should
# take no more than 3x the time of walking one of them).  One synthetic
# PAE dump (tests/tools/gen-synth-dump.py) is diffed
#   diff-copy: against a copy of itself (another file: two full leaf walks
#              merged, shape and rights compared, plus the per-level
#              counts of each side) -- the issue's figure;
#   diff-same: against itself (one file, so one memory: the two trees are
#              walked together and what both roots point to at the same
#              place is equal table at once; here the roots are equal);
# and walked once by dump --pages (every leaf, as TSV to /dev/null) and by
# dump --summary (the counting walk).  Each line gives the ratio of each
# diff to each walk.  Wall times are medians of the runs, process start and
# dump opening included on every side.
#
# Run by tests/bench/run.sh (`make bench`) or standalone from the top build
# directory: sh tests/bench/diff-rate.sh
#
# Environment:
#   PGTCTL            the pgtctl program (default src/pgtctl)
#   PYTHON            python3, for the synthetic dump (python3)
#   BENCH_DIFF_RUNS   runs per measurement (3)
#   BENCH_DIFF_PAGES  present 4 KiB pages of the dump (1048576)
#
# Exit status: 0 measured, 2 on a setup error.

set -u
LC_ALL=C
export LC_ALL

me=tests/bench/diff-rate.sh
here=$(cd "$(dirname "$0")" && pwd) || exit 2
top=$(cd "$here/../.." && pwd) || exit 2
runs=${BENCH_DIFF_RUNS:-3}
pages=${BENCH_DIFF_PAGES:-1048576}
PYTHON=${PYTHON:-python3}

die() {
	echo "$me: $*" >&2
	exit 2
}

case $runs in
'' | *[!0-9]* | 0) die "bad BENCH_DIFF_RUNS '$runs'; expected a positive number" ;;
esac
case $pages in
'' | *[!0-9]* | 0) die "bad BENCH_DIFF_PAGES '$pages'; expected a positive number" ;;
esac
if test -z "${PGTCTL:-}"; then
	PGTCTL=${abs_top_builddir:-$(pwd)}/src/pgtctl
fi
test -x "$PGTCTL" || die "no pgtctl at '$PGTCTL'; build it (make) or set PGTCTL"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pgtctl-diffrate.XXXXXX") ||
	die "cannot create a temporary directory"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$PYTHON" "${abs_top_srcdir:-$top}/tests/tools/gen-synth-dump.py" --arch pae \
	--pages "$pages" -o "$tmp/synth.elf" >/dev/null 2>"$tmp/err" ||
	die "gen-synth-dump.py failed: $(head -n 1 "$tmp/err")"

now() {
	date +%s.%N
}

# time_median CMD...: the median wall seconds of the runs
time_median() {
	: >"$tmp/t"
	i=0
	while test "$i" -lt "$runs"; do
		t0=$(now)
		"$@" >/dev/null 2>"$tmp/err"
		rc=$?
		t1=$(now)
		# diff exits 0 here (a dump against itself); 1 would be a bug
		test "$rc" = 0 || die "$* exited $rc: $(head -n 1 "$tmp/err")"
		echo "$t0 $t1" | awk '{ printf "%.4f\n", $2 - $1 }' >>"$tmp/t"
		i=$((i + 1))
	done
	sort -g "$tmp/t" | awk '{ v[NR] = $1 } END {
		print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

f=$tmp/synth.elf
cp "$f" "$tmp/copy.elf" || die "cannot copy the dump"
t_copy=$(time_median "$PGTCTL" diff "$f" "$tmp/copy.elf")
t_same=$(time_median "$PGTCTL" diff "$f" "$f")
t_pages=$(time_median "$PGTCTL" dump "$f" --pages --format tsv)
t_sum=$(time_median "$PGTCTL" dump "$f" --summary)

ratio() {
	echo "$1 $2" | awk '{ printf "%.2f", ($2 > 0) ? $1 / $2 : 0 }'
}

echo "# diff of a $pages-page synthetic PAE dump against a copy (diff-copy) and itself (diff-same), medians of $runs runs"
printf '# what\tseconds\tdiff-copy/what\tdiff-same/what\n'
printf 'diff-copy\t%s\t1\t%s\n' "$t_copy" "$(ratio "$t_same" "$t_copy")"
printf 'diff-same\t%s\t%s\t1\n' "$t_same" "$(ratio "$t_copy" "$t_same")"
for x in "dump-pages $t_pages" "dump-summary $t_sum"; do
	set -- $x
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$(ratio "$t_copy" "$2")" \
		"$(ratio "$t_same" "$2")"
done
