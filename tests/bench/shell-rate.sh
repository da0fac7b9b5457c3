#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# tests/bench/shell-rate.sh: what moving around a long trace costs in
# pgtctl shell (issue 9).  On a 1,000,000-op pae trace from contrib's
# generator, one session runs the issue's moves -- goto 999999, back 1,
# back 1000, goto 500000 -- then BENCH_SHELL_MOVES random pairs `goto X;
# back B` (X uniform over the trace, B from 1 to 1000, a fixed seed), and
# reports each move's wall time (pgtctl shell --timing: the command alone,
# the process start and reading the trace excluded), the median and
# spread of the random ones, and the checkpoint memory (info session).
# Beside each of the issue's moves: a full replay to the same point, a
# fresh session's first `goto` (the same code from position 0, with no
# checkpoint to start from), and the ratio; the issue asks reverse moves
# to be at least 50x cheaper than that replay.
#
# Run by tests/bench/run.sh (`make bench`) or standalone from the top build
# directory: sh tests/bench/shell-rate.sh.  It takes about a minute here
# (each full replay of 1 M ops 5-15 s on the loaded 2-core VM) and about
# 350 MB of memory (the default checkpoint budget of 256 MiB, and 56
# bytes per op read).
#
# Environment:
#   PGTCTL              the pgtctl program (default src/pgtctl)
#   BENCH_SHELL_OPS     operations of the trace (1000000)
#   BENCH_SHELL_MOVES   random goto/back pairs (40)
#   BENCH_SHELL_TRACE   use this trace instead of generating one
#
# Exit status: 0 measured, 2 on a setup error.

set -u
LC_ALL=C
export LC_ALL

me=tests/bench/shell-rate.sh
here=$(cd "$(dirname "$0")" && pwd) || exit 2
top=$(cd "$here/../.." && pwd) || exit 2
ops=${BENCH_SHELL_OPS:-1000000}
moves=${BENCH_SHELL_MOVES:-40}

die() {
	echo "$me: $*" >&2
	exit 2
}

case $ops in
'' | *[!0-9]* | ?|??|???|????) die "bad BENCH_SHELL_OPS '$ops'; expected a number of at least 10000" ;;
esac
case $moves in
'' | *[!0-9]* | 0) die "bad BENCH_SHELL_MOVES '$moves'; expected a positive number" ;;
esac
if test -z "${PGTCTL:-}"; then
	PGTCTL=${abs_top_builddir:-$(pwd)}/src/pgtctl
fi
test -x "$PGTCTL" || die "no pgtctl at '$PGTCTL'; build it (make) or set PGTCTL"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pgtctl-shellrate.XXXXXX") ||
	die "cannot create a temporary directory"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

trace=${BENCH_SHELL_TRACE:-}
if test -z "$trace"; then
	trace=$tmp/long.trace
	sh "${abs_top_srcdir:-$top}/contrib/gen-large-trace.sh" "$ops" pae 1 >"$trace" ||
		die "contrib/gen-large-trace.sh failed"
fi
len=$("$PGTCTL" shell -c 'info session' "$trace" 2>"$tmp/err" |
	sed -n 's/^position	0\///p')
test -n "$len" || die "pgtctl shell cannot open the trace: $(head -n 1 "$tmp/err")"
test "$len" -gt 1001 || die "the trace has $len operations; expected more than 1001"

# the moves: the issue's four, then the random pairs
end=$((len - 1))
mid=$((len / 2))
{
	echo "goto $end"
	echo "back 1"
	echo "back 1000"
	echo "goto $mid"
	awk -v n="$moves" -v len="$len" 'BEGIN { srand(9)
		for (i = 0; i < n; i++) {
			printf "goto %d\n", int(rand() * len) + 1
			printf "back %d\n", int(rand() * 1000) + 1 } }'
	echo "info session"
} >"$tmp/script"
"$PGTCTL" shell --timing "$trace" <"$tmp/script" >"$tmp/out" 2>"$tmp/timing" ||
	die "the session failed: $(grep -v '^timing' "$tmp/timing" | head -n 1)"

# a full replay to the points of the issue's moves, each in a fresh session
full()	# POSITION
{
	"$PGTCTL" shell --timing -c "goto $1" "$trace" 2>&1 >/dev/null |
		awk -F'\t' '$1 == "timing" { print $3 }'
}
f_end=$(full "$end")
f_back1=$(full $((end - 1)))
f_back1000=$(full $((end - 1001)))
f_mid=$(full "$mid")

awk -F'\t' -v len="$len" -v moves="$moves" -v f_end="$f_end" \
	-v f_b1="$f_back1" -v f_b1000="$f_back1000" -v f_mid="$f_mid" \
	-v end="$end" -v mid="$mid" -v out="$tmp/out" '
	function sort(a, n,  i, j, t) {
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
				t = a[j]; a[j] = a[j - 1]; a[j - 1] = t } }
	function pct(a, n, p,  k) { k = int(p * (n - 1) + 0.5) + 1; return a[k] }
	function line(what, t, f,  r) {
		r = t > 0 ? f / t : 0
		printf "%-28s %10.4f %12.4f %9.0fx\n", what, t, f, r
		return r }
	$1 == "timing" && ($2 == "goto" || $2 == "back") { k++; t[k] = $3; c[k] = $2 }
	END {
		while ((getline l < out) > 0) {
			split(l, f, "\t")
			if (f[1] == "checkpoint_bytes") ck = f[2]
			if (f[1] == "checkpoints") nck = f[2]
			if (f[1] == "spacing") sp = f[2]
			if (f[1] == "trace_bytes") tb = f[2]
			if (f[1] == "flush_log_bytes") fb = f[2]
		}
		printf "# pgtctl shell on a %d-op pae trace (contrib/gen-large-trace.sh %d pae 1)\n", len, len
		printf "# seconds per move (pgtctl shell --timing); full: a fresh session replaying to the same point\n"
		printf "%-28s %10s %12s %10s\n", "move", "seconds", "full_replay", "cheaper"
		line("goto " end " (from 0)", t[1], f_end)
		r1 = line("back 1", t[2], f_b1)
		r2 = line("back 1000", t[3], f_b1000)
		r3 = line("goto " mid " (backwards)", t[4], f_mid)
		for (i = 5; i <= k; i++)
			if (c[i] == "goto") g[++ng] = t[i]; else b[++nb] = t[i]
		sort(g, ng); sort(b, nb)
		printf "\n# %d random pairs: goto X (X uniform in 1..%d), then back B (B in 1..1000)\n", moves, len
		printf "%-8s %9s %9s %9s %9s %9s\n", "move", "min", "p10", "median", "p90", "max"
		printf "%-8s %9.4f %9.4f %9.4f %9.4f %9.4f\n", "goto", g[1], pct(g, ng, 0.1), pct(g, ng, 0.5), pct(g, ng, 0.9), g[ng]
		printf "%-8s %9.4f %9.4f %9.4f %9.4f %9.4f\n", "back", b[1], pct(b, nb, 0.1), pct(b, nb, 0.5), pct(b, nb, 0.9), b[nb]
		printf "\n# memory: %d checkpoints (spacing %d), %.1f MiB; trace ops %.1f MiB, flush records %.1f MiB\n",
			nck, sp, ck / 1048576, tb / 1048576, fb / 1048576
		worst = r1
		if (r2 < worst) worst = r2
		if (r3 < worst) worst = r3
		verdict = "NOT met"
		if (worst >= 50) verdict = "MET"
		printf "50x target (back 1, back 1000, goto %d at least 50x cheaper than a full replay to the same point): %s (worst %.0fx)\n",
			mid, verdict, worst
	}' "$tmp/timing"
