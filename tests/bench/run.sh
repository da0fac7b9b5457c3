#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# tests/bench/run.sh: bulk page-table operations, pgtctl against the host
# kernel, per PTE.  See tests/bench/README.md.  Not part of `make check`.
#
# Run by `make bench` (from the top build directory, PGTCTL exported) or
# standalone from the top build directory: sh tests/bench/run.sh
#
# Environment:
#   PGTCTL       the pgtctl program (default: src/pgtctl of the top build
#                directory, i.e. $abs_top_builddir/src/pgtctl or ./src/pgtctl)
#   CC, CFLAGS   compiler for host-mm.c (default: cc -O2)
#   BENCH_SIZE   bytes mapped, decimal with an optional K/M/G suffix (1G)
#   BENCH_RUNS   repetitions, the median is reported (3)
#   BENCH_ARCHS  architectures replayed (pae s390x)
#   BENCH_TARGET speedup that pgtctl must reach on protect and unmap (20)
#
# Exit status: 0 when at least one architecture was measured (whether or
# not the target is met), 1 when none could be, 2 on a setup error.

set -u
LC_ALL=C
export LC_ALL

me=tests/bench/run.sh
here=$(cd "$(dirname "$0")" && pwd) || exit 2

size=${BENCH_SIZE:-1G}
runs=${BENCH_RUNS:-3}
archs=${BENCH_ARCHS:-pae s390x}
target=${BENCH_TARGET:-20}

die() {
	echo "$me: $*" >&2
	exit 2
}

# --- the pgtctl under test ---
if test -z "${PGTCTL:-}"; then
	if test -n "${abs_top_builddir:-}"; then
		PGTCTL=$abs_top_builddir/src/pgtctl
	elif test -x src/pgtctl; then
		PGTCTL=$(pwd)/src/pgtctl
	else
		PGTCTL=$here/../../src/pgtctl
	fi
fi
case $PGTCTL in
/*) ;;
*) PGTCTL=$(pwd)/$PGTCTL ;;
esac
test -x "$PGTCTL" ||
	die "no pgtctl at '$PGTCTL'; build it (make) or set PGTCTL"

case $runs in
''|*[!0-9]*|0) die "bad BENCH_RUNS '$runs'; expected a positive number" ;;
esac

# size in bytes and in 4 KiB pages (the PTE count of both sides)
npages=$(echo "$size" | awk '
	/^[0-9]+[kKmMgG]?$/ {
		n = $0; m = 1
		if (n ~ /[kK]$/) m = 1024
		if (n ~ /[mM]$/) m = 1024 * 1024
		if (n ~ /[gG]$/) m = 1024 * 1024 * 1024
		sub(/[kKmMgG]$/, "", n)
		b = n * m
		if (b > 0 && b % 4096 == 0) { printf "%d\n", b / 4096; exit }
	}') ||
	npages=
test -n "$npages" ||
	die "bad BENCH_SIZE '$size'; expected a positive multiple of 4096, decimal with an optional K/M/G suffix"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pgtctl-bench.XXXXXX") ||
	die "cannot create a temporary directory"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the machine ---
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
test -n "$cpu" || cpu="unknown ($(uname -m))"
ncpu=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')
virt=
grep -qw hypervisor /proc/cpuinfo 2>/dev/null && virt=", virtualized"

echo "# pgtctl bulk benchmark: $size mapped ($npages 4 KiB PTEs), private anonymous, median of $runs runs"
echo "# host kernel $(uname -r) ($(uname -m)); CPU $cpu, $ncpu online$virt"
echo "# pgtctl: $PGTCTL"
echo "# pgtctl and the host kernel were measured in this same run, on this machine, in interleaved rounds"

# --- build the host side ---
# shellcheck disable=SC2086 # CC and CFLAGS may hold several words
${CC:-cc} ${CFLAGS:--O2} -o "$tmp/host-mm" "$here/host-mm.c" ||
	die "cannot build $here/host-mm.c with '${CC:-cc} ${CFLAGS:--O2}'"

# --- one trace per architecture; drop those pgtctl cannot replay ---
active='' skipped=''
for arch in $archs; do
	sh "$here/gen-bulk.sh" "$arch" "$size" >"$tmp/$arch.trace" ||
		die "gen-bulk.sh $arch $size failed"
	rc=0
	"$PGTCTL" replay --timing "$tmp/$arch.trace" >/dev/null 2>"$tmp/$arch.err" || rc=$?
	if test "$rc" != 0; then
		msg=$(awk -F '\t' '$1 != "timing" && $1 != "frames" && $1 != "maxrss_kib"' \
			"$tmp/$arch.err" | tail -n 1)
		skipped="$skipped$(printf '%-6s skipped: pgtctl replay failed (exit %s): %s' \
			"$arch" "$rc" "${msg:-no message}")
"
		continue
	fi
	active="$active $arch"
done

# --- measure: the rounds interleave host and pgtctl, so that a change of
# machine speed during the run (other load, frequency) hits both sides ---
round=1
while test "$round" -le "$runs"; do
	"$tmp/host-mm" 1 "$size" >"$tmp/host.$round" || die "host-mm failed"
	for arch in $active; do
		"$PGTCTL" replay --timing "$tmp/$arch.trace" >/dev/null 2>"$tmp/$arch.$round" ||
			die "pgtctl replay of the $arch trace failed in round $round (it worked in round 0)"
	done
	round=$((round + 1))
done

# --- report ---
# median of a[1..n] (sorts a)
median='
function median(a, n,    i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}'

printf '\n%-6s %-9s %17s %15s %21s\n' arch op pgtctl_ns_per_pte host_ns_per_pte 'speedup(host/pgtctl)'
verdicts=
for arch in $active; do
	hfiles='' pfiles='' round=1
	while test "$round" -le "$runs"; do
		hfiles="$hfiles $tmp/host.$round"
		pfiles="$pfiles $tmp/$arch.$round"
		round=$((round + 1))
	done
	# Files: the host rounds, then the pgtctl rounds.  Per round, per op:
	# ns per PTE; host protect is the mean of protect-ro and protect-rw,
	# pgtctl protect the total of its two protect ops over 2 x npages.
	# shellcheck disable=SC2086 # lists of files
	out=$(awk -F '\t' -v arch="$arch" -v npages="$npages" -v runs="$runs" \
		-v target="$target" "$median"'
	FNR == 1 { f++; side = f <= runs ? "h" : "p"; r = side == "h" ? f : f - runs }
	side == "h" && $1 == "host" { hraw[$2, r] = $3; next }
	side == "p" && $1 == "timing" && ($2 == "populate" || $2 == "protect" || $2 == "unmap") {
		p[$2, r] = $4 / ($3 * npages)
		seen[$2]++
	}
	side == "p" && $1 == "frames" { used[r] = $2; peak[r] = $3 }
	side == "p" && $1 == "maxrss_kib" { rss[r] = $2 }
	END {
		for (r = 1; r <= runs; r++) {
			h["populate", r] = hraw["populate", r]
			h["protect", r] = (hraw["protect-ro", r] + hraw["protect-rw", r]) / 2
			h["unmap", r] = hraw["unmap", r]
		}
		n = split("populate protect unmap", ops, " ")
		met = 1
		why = ""
		for (k = 1; k <= n; k++) {
			op = ops[k]
			for (r = 1; r <= runs; r++) a[r] = h[op, r]
			hm = median(a, runs)
			if (seen[op] != runs) {
				printf "%-6s %-9s %17s %15.2f %21s\n", arch, op, "-", hm, "-"
				if (op != "populate") { met = 0; why = why ", " op " not timed" }
				continue
			}
			for (r = 1; r <= runs; r++) a[r] = p[op, r]
			pm = median(a, runs)
			s = pm > 0 ? hm / pm : 0
			printf "%-6s %-9s %17.2f %15.2f %20.2fx\n", arch, op, pm, hm, s
			if (op != "populate") {
				if (s < target) met = 0
				why = why sprintf(", %s %.1fx", op, s)
			}
		}
		for (r = 1; r <= runs; r++) a[r] = rss[r]
		mr = median(a, runs)
		for (r = 1; r <= runs; r++) a[r] = peak[r]
		mp = median(a, runs)
		printf "%-6s memory: maxrss %d KiB; simulated frames peak %d (%.1f MiB if 4 KiB each), in use at the end %d\n", \
			arch, mr, mp, mp * 4096 / 1048576, used[1]
		printf "VERDICT %s: %gx target (protect and unmap, per PTE, at least %gx faster than the host kernel): %s (%s)\n", \
			arch, target, target, met ? "MET" : "NOT met", substr(why, 3)
	}' $hfiles $pfiles) ||
		die "cannot read the timings of $arch"
	echo "$out" | grep -v '^VERDICT '
	verdicts="$verdicts$(echo "$out" | sed -n 's/^VERDICT //p')
"
done
printf '%s' "$skipped"

# the host ops one by one (protect is their mean in the table)
echo
awk -F '\t' -v runs="$runs" "$median"'
	$1 == "host" { n[$2]++; v[$2, n[$2]] = $3; if (n[$2] == 1) ops[++k] = $2 }
	END {
		printf "# host ns per PTE, median of %d:", runs
		for (i = 1; i <= k; i++) {
			for (r = 1; r <= n[ops[i]]; r++) a[r] = v[ops[i], r]
			printf " %s %.2f", ops[i], median(a, n[ops[i]])
		}
		printf "\n"
	}' "$tmp"/host.*
printf '%s' "$verdicts"
for arch in $archs; do
	case " $active " in
	*" $arch "*) ;;
	*) echo "$arch: skipped (pgtctl cannot replay it here), no verdict" ;;
	esac
done

# Trace decode and replay rate (text and CBOR) with peak memory, beside
# the file sizes; BENCH_TRACE_OPS=0 skips it.
if [ "${BENCH_TRACE_OPS:-10000000}" != 0 ]; then
	echo
	PGTCTL=$PGTCTL sh "$here/trace-rate.sh" "${BENCH_TRACE_OPS:-10000000}" pae
fi
echo; PGTCTL=$PGTCTL sh "$here/dump-rate.sh" || echo "$me: dump-rate.sh failed (exit $?)" >&2
echo; PGTCTL=$PGTCTL sh "$here/diff-rate.sh" || echo "$me: diff-rate.sh failed (exit $?)" >&2
echo; PGTCTL=$PGTCTL sh "$here/shell-rate.sh" || echo "$me: shell-rate.sh failed (exit $?)" >&2
test -n "$active"
