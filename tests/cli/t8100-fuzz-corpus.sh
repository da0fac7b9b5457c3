#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The seed and regression corpora of the fuzz harnesses (fuzz/corpus/NAME)
# replayed through the same harness code without libFuzzer: fuzz/replay-NAME
# (fuzz/replay.c's main around fuzz/NAME.c), so that an input that once
# crashed the library (a crash-* file) is caught by any build, gcc or clang,
# sanitizers or not.  One test per harness; a failure shows the input that
# was running (the program names each file before it runs it).

. "$top_srcdir/tests/lib/tap.sh"

harnesses="dump strace trace-cbor trace-text walk"
for h in $harnesses; do
	prog=$abs_top_builddir/fuzz/replay-$h
	dir=$top_srcdir/fuzz/corpus/$h
	log=$TAP_WORKDIR/$h.log
	n=$(ls "$dir" | wc -l)
	"$prog" "$dir" >"$log" 2>&1
	st=$?
	if test $st -eq 0 && grep -q "^$n inputs\$" "$log"; then
		tap__result 0 "$h: $n inputs replayed"
	else
		tap__result 1 "$h: the replay of $dir failed (exit $st)"
		tap_diag "last input: $(grep -v ' inputs$' "$log" | tail -n 1)"
		tap_diag "$(tail -n 40 "$log")"
	fi
done
tap_done
