#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# tests/bench/speed-goals.sh: the goals of issue 13 that are about the
# replay, each as a ratio of two figures measured in this same run, in
# interleaved rounds, with the median and the spread (min-max) of the
# rounds.  See tests/bench/README.md.  Not part of `make check`.
#
#   --check      wall time of `replay --check` / `replay` of the 3,000-op
#                traces/large-generated.trace (goal: at most 3x);
#                `--check=full` shown beside it
#   CBOR         the trace-rate.sh workload read by `pgtctl __read-trace`
#                (decoded, not replayed; the CPU time it reports) and by
#                `replay` (decoded and replayed; user + system CPU time
#                from GNU time, wall time without it): CBOR / text in
#                ops/s (goal: at least 2x) and CBOR in ops/s (goal: at
#                least 5 M), each both ways, wall-time rates beside
#   populate     ns per PTE of populate / protect, from `replay --timing`
#                of gen-bulk.sh pae 1G (goal: at most 10x): the median of
#                the rounds' ratios of CPU time (what the work costs, even
#                on a loaded machine), then of wall time
#
# Environment: PGTCTL (the program), BENCH_GOAL_RUNS (rounds, 7),
# BENCH_GOAL_OPS (operations of the CBOR/text trace, 1000000).
# Exit status: 0 when everything could be measured (goals met or not),
# 2 on a setup error.

set -u
LC_ALL=C
export LC_ALL

me=tests/bench/speed-goals.sh
here=$(cd "$(dirname "$0")" && pwd) || exit 2
top=$here/../..
runs=${BENCH_GOAL_RUNS:-7}
nops=${BENCH_GOAL_OPS:-1000000}
PGTCTL=${PGTCTL:-src/pgtctl}

die() {
	echo "$me: $*" >&2
	exit 2
}

case $runs in ''|*[!0-9]*|0) die "bad BENCH_GOAL_RUNS '$runs'; expected a positive number" ;; esac
case $nops in ''|*[!0-9]*|0) die "bad BENCH_GOAL_OPS '$nops'; expected a positive number" ;; esac
test -x "$PGTCTL" || die "no pgtctl at '$PGTCTL'; build it (make) or set PGTCTL"
large=$top/traces/large-generated.trace
test -r "$large" || die "cannot read $large"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pgtctl-goals.XXXXXX") ||
	die "cannot create a temporary directory"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- the inputs ----
awk -v n="$nops" 'BEGIN {
	print "pgtctl-trace 1"; print "arch pae"; print "set thp=never"
	for (i = 0; i < n; i++) {
		base = sprintf("0x%x", 0x10000000 + (int(i / 4) % 64) * 0x100000)
		k = i % 4
		if (k == 0) print "alloc " base " 64K rw"
		else if (k == 1) print "populate " base " 64K write"
		else if (k == 2) print "protect " base " 64K r"
		else print "unmap " base " 64K"
	}
}' >"$tmp/rate.trace"
"$PGTCTL" convert "$tmp/rate.trace" "$tmp/rate.cbor" ||
	die "cannot convert the rate trace to CBOR"
sh "$here/gen-bulk.sh" pae 1G >"$tmp/bulk.trace" || die "gen-bulk.sh failed"

# wall NAME CMD...: append the wall seconds of CMD (stdout and stderr to
# $tmp/NAME.out / .err) to $tmp/NAME.t
wall() {
	name=$1
	shift
	t0=$(date +%s.%N)
	"$@" >"$tmp/$name.out" 2>"$tmp/$name.err" ||
		die "$name failed: $(tail -n 1 "$tmp/$name.err")"
	t1=$(date +%s.%N)
	echo "$t0 $t1" | awk '{ printf "%.6f\n", $2 - $1 }' >>"$tmp/$name.t"
}

# cpu NAME CMD...: like wall, and the user + system seconds of CMD (GNU
# time; none without it) appended to $tmp/NAME.cpu
if /usr/bin/time -f '%U' true >/dev/null 2>&1; then gnu_time=yes; else gnu_time=; fi
cpu() {
	name=$1
	shift
	if test -n "$gnu_time"; then
		wall "$name" /usr/bin/time -f '%U %S' -o "$tmp/$name.time" "$@"
		awk '{ printf "%.3f\n", $1 + $2 }' "$tmp/$name.time" >>"$tmp/$name.cpu"
	else
		wall "$name" "$@"
	fi
}

# ---- the rounds, interleaved ----
round=1
while test "$round" -le "$runs"; do
	wall plain "$PGTCTL" replay "$large"
	wall check "$PGTCTL" replay --check "$large"
	test "$round" -le 3 && wall full "$PGTCTL" replay --check=full "$large"
	cpu text "$PGTCTL" replay "$tmp/rate.trace"
	cpu cbor "$PGTCTL" replay "$tmp/rate.cbor"
	wall textR "$PGTCTL" __read-trace "$tmp/rate.trace"
	awk '{ print $3 }' "$tmp/textR.out" >>"$tmp/textR.cpu"
	wall cborR "$PGTCTL" __read-trace "$tmp/rate.cbor"
	awk '{ print $3 }' "$tmp/cborR.out" >>"$tmp/cborR.cpu"
	wall bulk "$PGTCTL" replay --timing "$tmp/bulk.trace"
	# ns per PTE, wall then CPU time, of populate and of protect
	awk -F '\t' '$1 == "timing" && $2 == "populate" { p = $4 / 262144; pc = $5 / 262144 }
		$1 == "timing" && $2 == "protect" { q = $4 / 524288; qc = $5 / 524288 }
		END { printf "%.3f %.3f %.3f %.3f\n", p, q, pc, qc }' "$tmp/bulk.err" >>"$tmp/bulk.pte"
	round=$((round + 1))
done

# ---- report ----
# stats FILE [COLUMN]: "median min max" of a column of numbers
stats() {
	awk -v c="${2:-1}" '{ v[++n] = $c }
	END {
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
				t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
			}
		m = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
		printf "%g %g %g\n", m, v[1], v[n]
	}' "$1"
}

echo "# issue 13 goals: $runs interleaved rounds, median (min-max) of the rounds; pgtctl $PGTCTL"
set -- $(stats "$tmp/plain.t")
p_med=$1 p_min=$2 p_max=$3
set -- $(stats "$tmp/check.t")
c_med=$1 c_min=$2 c_max=$3
set -- $(stats "$tmp/full.t")
f_med=$1 f_min=$2 f_max=$3
set -- $(stats "$tmp/text.t")
t_med=$1 t_min=$2 t_max=$3
set -- $(stats "$tmp/cbor.t")
b_med=$1 b_min=$2 b_max=$3
set -- $(stats "$tmp/textR.cpu")
tr_med=$1 tr_min=$2 tr_max=$3
set -- $(stats "$tmp/cborR.cpu")
br_med=$1 br_min=$2 br_max=$3
set -- $(stats "$tmp/textR.t")
trw=$1
set -- $(stats "$tmp/cborR.t")
brw=$1
# decode+replay: CPU time where GNU time measured it, else wall time
tc_med=$t_med tc_min=$t_min tc_max=$t_max
bc_med=$b_med bc_min=$b_min bc_max=$b_max
clock=wall
if test -n "$gnu_time"; then
	set -- $(stats "$tmp/text.cpu")
	tc_med=$1 tc_min=$2 tc_max=$3
	set -- $(stats "$tmp/cbor.cpu")
	bc_med=$1 bc_min=$2 bc_max=$3
	clock=CPU
fi
set -- $(stats "$tmp/bulk.pte" 1)
pop_med=$1 pop_min=$2 pop_max=$3
set -- $(stats "$tmp/bulk.pte" 2)
pro_med=$1 pro_min=$2 pro_max=$3
awk '{ printf "%.6f\n", $1 / $2 }' "$tmp/bulk.pte" >"$tmp/bulk.ratio"
set -- $(stats "$tmp/bulk.ratio")
r_med=$1 r_min=$2 r_max=$3
set -- $(stats "$tmp/bulk.pte" 3)
popc_med=$1 popc_min=$2 popc_max=$3
set -- $(stats "$tmp/bulk.pte" 4)
proc_med=$1 proc_min=$2 proc_max=$3
awk '{ printf "%.6f\n", $3 / $4 }' "$tmp/bulk.pte" >"$tmp/bulk.cratio"
set -- $(stats "$tmp/bulk.cratio")
rc_med=$1 rc_min=$2 rc_max=$3

awk -v p="$p_med" -v p1="$p_min" -v p2="$p_max" \
    -v c="$c_med" -v c1="$c_min" -v c2="$c_max" \
    -v f="$f_med" -v f1="$f_min" -v f2="$f_max" \
    -v t="$t_med" -v t1="$t_min" -v t2="$t_max" \
    -v b="$b_med" -v b1="$b_min" -v b2="$b_max" \
    -v tr="$tr_med" -v tr1="$tr_min" -v tr2="$tr_max" \
    -v br="$br_med" -v br1="$br_min" -v br2="$br_max" -v n="$nops" \
    -v trw="$trw" -v brw="$brw" -v clock="$clock" \
    -v tc="$tc_med" -v tc1="$tc_min" -v tc2="$tc_max" \
    -v bc="$bc_med" -v bc1="$bc_min" -v bc2="$bc_max" \
    -v pop="$pop_med" -v pop1="$pop_min" -v pop2="$pop_max" \
    -v pro="$pro_med" -v pro1="$pro_min" -v pro2="$pro_max" \
    -v r="$r_med" -v r1="$r_min" -v r2="$r_max" \
    -v popc="$popc_med" -v popc1="$popc_min" -v popc2="$popc_max" \
    -v proc="$proc_med" -v proc1="$proc_min" -v proc2="$proc_max" \
    -v rc_="$rc_med" -v rc1="$rc_min" -v rc2="$rc_max" 'BEGIN {
	printf "\n%-34s %12s %12s %12s\n", "measure", "median", "min", "max"
	printf "%-34s %12.4f %12.4f %12.4f\n", "replay 3,000 ops (s)", p, p1, p2
	printf "%-34s %12.4f %12.4f %12.4f\n", "replay --check (s)", c, c1, c2
	printf "%-34s %12.4f %12.4f %12.4f\n", "replay --check=full (s, 3 rounds)", f, f1, f2
	printf "%-34s %12.0f %12.0f %12.0f\n", "text decode+replay (ops/s, wall)", n / t, n / t2, n / t1
	printf "%-34s %12.0f %12.0f %12.0f\n", "CBOR decode+replay (ops/s, wall)", n / b, n / b2, n / b1
	if (clock == "CPU") {
		printf "%-34s %12.0f %12.0f %12.0f\n", "text decode+replay (ops/s, CPU)", n / tc, n / tc2, n / tc1
		printf "%-34s %12.0f %12.0f %12.0f\n", "CBOR decode+replay (ops/s, CPU)", n / bc, n / bc2, n / bc1
	}
	printf "%-34s %12.0f %12.0f %12.0f\n", "text decode only (ops/s, CPU)", n / tr, n / tr2, n / tr1
	printf "%-34s %12.0f %12.0f %12.0f\n", "CBOR decode only (ops/s, CPU)", n / br, n / br2, n / br1
	printf "%-34s %12.0f %12s %12s\n", "text decode only (ops/s, wall)", n / trw, "-", "-"
	printf "%-34s %12.0f %12s %12s\n", "CBOR decode only (ops/s, wall)", n / brw, "-", "-"
	printf "%-34s %12.2f %12.2f %12.2f\n", "populate (ns/PTE)", pop, pop1, pop2
	printf "%-34s %12.2f %12.2f %12.2f\n", "protect (ns/PTE)", pro, pro1, pro2
	printf "%-34s %12.2f %12.2f %12.2f\n", "populate (CPU ns/PTE)", popc, popc1, popc2
	printf "%-34s %12.2f %12.2f %12.2f\n", "protect (CPU ns/PTE)", proc, proc1, proc2
	print ""
	rc = c / p
	printf "GOAL --check <= 3x the replay: %.2fx (%.2fx with --check=full): %s\n", \
		rc, f / p, (rc <= 3 ? "MET" : "NOT met")
	rd = tr / br
	printf "GOAL CBOR >= 2x text, decode only (CPU): %.2fx: %s\n", rd, \
		(rd >= 2 ? "MET" : "NOT met")
	printf "GOAL CBOR >= 5 M ops/s, decode only (CPU): %.2f M ops/s: %s\n", \
		n / br / 1e6, (n / br >= 5e6 ? "MET" : "NOT met")
	rb = tc / bc
	printf "GOAL CBOR >= 2x text, decode+replay (%s): %.2fx: %s\n", clock, rb, \
		(rb >= 2 ? "MET" : "NOT met")
	printf "GOAL CBOR >= 5 M ops/s, decode+replay (%s): %.2f M ops/s: %s\n", \
		clock, n / bc / 1e6, (n / bc >= 5e6 ? "MET" : "NOT met")
	printf "GOAL populate <= 10x protect per PTE, CPU time: %.2fx (rounds %.2fx-%.2fx): %s\n", \
		rc_, rc1, rc2, (rc_ <= 10 ? "MET" : "NOT met")
	printf "     wall time: %.2fx (rounds %.2fx-%.2fx; best rounds %.2fx)\n", \
		r, r1, r2, (pro1 > 0 ? pop1 / pro1 : 0)
}'
