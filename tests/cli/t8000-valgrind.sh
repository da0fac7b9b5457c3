# SPDX-License-Identifier: GPL-3.0-or-later
#
# A sample of pgtctl runs under valgrind's memcheck (issue 11): every
# command (the shell's too), text and CBOR traces, s390x and PAE, a synthetic kdump and ELF
# dump with --scan-roots, and error paths (an unknown option, a broken
# CBOR trace, a cut dump).  Each must end with its usual exit status and no memcheck error:
# no invalid access, no use of uninitialised memory, no leak (definite,
# indirect or possible).  Skipped without valgrind, and for a sanitizer
# build (ASan and valgrind do not run together; ASan checks that build).

. "${top_srcdir:-.}/tests/lib/tap.sh"

command -v valgrind >/dev/null 2>&1 || tap_skip_all "valgrind not found"
if grep -q __asan_init "$PGTCTL" 2>/dev/null; then
	tap_skip_all "a sanitizer build: ASan checks it, valgrind cannot run it"
fi
: "${PYTHON:=python3}"
w=$TAP_WORKDIR
t=$top_srcdir/traces
d=$top_srcdir/tests/data

# vg STATUS NAME ARGS...: pgtctl ARGS under memcheck exits STATUS, clean
vg()
{
	vg__want=$1
	vg__name=$2
	shift 2
	valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect,possible \
		--show-leak-kinds=definite,indirect,possible \
		"$PGTCTL" "$@" >"$w/out" 2>"$w/err"
	vg__st=$?
	tap_is "$vg__st" "$vg__want" "$vg__name: exit $vg__want, no memcheck error" ||
		tap_diag "$(grep -v '^pgtctl: ' "$w/err" | head -n 30)"
}

vg 0 "replay pae-fork --tree --flushes" replay "$t/pae-fork.trace" --tree --flushes
vg 0 "replay s390x-fork-exit --until 6 --pages tsv --events" \
	replay "$t/s390x-fork-exit.trace" --until 6 --pages --format tsv --events
vg 0 "replay s390x-kvm-cmma.cbor --summary --transitions" \
	replay "$t/s390x-kvm-cmma.cbor" --summary --transitions
vg 0 "translate pae-small, a user and a kernel address" \
	translate "$d/pae-small.trace" 0x40000000 0xc0001000
vg 0 "convert pae-fork to CBOR" convert "$t/pae-fork.trace" "$w/x.cbor"
vg 2 "replay of a broken CBOR trace" replay "$d/cbor-bad/action-5.cbor"
vg 0 "decode PAE entries" decode --arch pae --format json \
	0x8000000003c65067 0x2e000e5
vg 2 "an unknown option" replay --no-such-option "$t/pae-fork.trace"
vg 0 "shell on a trace: moves, breakpoints, diff, ls, completion" shell -c \
	'break flush ipte; break invariant; continue; watch 0x10000000; step 3; back 2; goto 20; diff 6; diff 4 --explain --format tsv; mm 1; cd 0x10000000; cd 0x10000000; ls; pwd; events 2; __complete mm ""; __complete translate ""; decode 0x10000000; info session' \
	"$t/s390x-fork-exit.trace"
gunzip -c "$d/slices/pae-A1.elf.gz" >"$w/slice.elf"
vg 0 "shell on a dump slice: roots, cd, ls, summary, findings" shell -c \
	'roots; root kernel; cd 3; ls; ls -a; pwd; up; summary --range 0xc0000000+16M; findings; __complete root ""' \
	"$w/slice.elf"
vg 0 "import strace" import strace "$d/strace/small-i386.strace" --arch pae \
	--populate=all

if command -v "$PYTHON" >/dev/null 2>&1; then
	gen=$top_srcdir/tests/tools/gen-synth-dump.py
	for a in "pae kdump" "s390x elf"; do
		set -- $a
		"$PYTHON" "$gen" --pages 600 --ram-frames 512 --arch "$1" \
			--format "$2" -o "$w/dump" ||
			tap_bail "gen-synth-dump.py failed"
		vg 0 "dump $1 $2 --summary --roots" dump "$w/dump" --summary --roots
		vg 0 "dump $1 $2 --scan-roots --pages" dump "$w/dump" --scan-roots \
			--pages --format tsv
	done
	head -c 5000 "$w/dump" >"$w/cut"
	vg 2 "dump of a cut file" dump "$w/cut"
else
	tap_skip "$PYTHON not found" "dumps under memcheck"
fi

tap_done
