#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# fuzz/run.sh FUZZDIR BUILDDIR SECONDS [NAME...]: run the libFuzzer harnesses
# BUILDDIR/fuzz-NAME (./configure --enable-fuzzing) one after the other,
# each for SECONDS, niced (the machine is shared), from a copy of its
# seeds FUZZDIR/corpus/NAME in BUILDDIR/work/NAME (new inputs stay out of
# the source tree), with the dictionary of its format.  A crash, leak or
# sanitizer report leaves BUILDDIR/work/NAME-crash-* and fails the run;
# add it to FUZZDIR/corpus/NAME as crash-WHAT once fixed.  Ends with one
# line per harness: runs, seconds, executions per second, status.

set -u
test $# -ge 3 || { echo "usage: fuzz/run.sh FUZZDIR BUILDDIR SECONDS [NAME...]" >&2; exit 2; }
fdir=$1 bdir=$2 secs=$3
shift 3
test $# -gt 0 || set -- dump strace trace-cbor trace-text walk
summary= bad=0

for h in "$@"; do
	prog=$bdir/fuzz-$h work=$bdir/work/$h
	test -x "$prog" || { echo "fuzz/run.sh: $prog not built (--enable-fuzzing)" >&2; exit 2; }
	mkdir -p "$work"
	cp -f "$fdir/corpus/$h/"* "$work/" 2>/dev/null
	case $h in
	trace-cbor) dict=cbor.dict ;;
	dump|walk) dict= ;;
	*) dict=text.dict ;;
	esac
	log=$bdir/work/$h.log
	# -timeout: an input taking 30 s is a finding (the harnesses bound
	# their work to about a second under ASan; niced on a loaded machine
	# that can be ten); -max_len: the largest seeds (dump slices)
	nice -n 19 "$prog" -max_total_time="$secs" -timeout=30 \
		-rss_limit_mb=2048 -max_len=1048576 -print_final_stats=1 \
		-artifact_prefix="$bdir/work/$h-" \
		${dict:+-dict="$fdir/$dict"} "$work" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	t=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	st=ok
	test $rc -eq 0 || { st="FAILED (exit $rc, see $log)"; bad=1; }
	summary="$summary$h: ${runs:-?} runs in $secs s, ${t:-?} exec/s, $st
"
done
printf '%s' "$summary"
exit $bad
