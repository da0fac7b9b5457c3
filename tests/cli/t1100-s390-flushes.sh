#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# s390 flush decisions and guest page states through the command line.
# Three traces under tests/data, each with the instructions its operations
# must cost written down in its header (derived by hand from
# reference/s390.md §6.4-§6.7, thp.md §6.2 and review-6.1.md): the
# --flushes TSV of design.md must be exactly the .flushes.expect file.
# Then the guest page states of s390x-cmma.trace (s390.md §7.2) from the
# --events TSV, and the input errors of sie/essa/host (exit 2, one line
# naming FILE:LINE, the state and the page).

. "$top_srcdir/tests/lib/tap.sh"

data=$top_srcdir/tests/data
w=$TAP_WORKDIR

for t in s390x-flushes s390x-thp-flushes s390-2.6.25-flushes; do
	"$PGTCTL" replay --check --flushes --format tsv "$data/$t.trace" \
		>"$w/$t.out" 2>"$w/$t.err"
	tap_ok $? "$t: replay --check exits 0 (invariants hold after every op)" ||
		tap_diag "$(cat "$w/$t.err")"
	grep -v '^##' "$data/$t.flushes.expect" >"$w/$t.want"
	tap_cmp "$w/$t.want" "$w/$t.out" "$t: flush counts and rules as derived from the reference"
done

# guest page states (s390.md §7.2): op, page, transition
"$PGTCTL" replay --check --events --format tsv "$data/s390x-cmma.trace" \
	>"$w/cmma.out" 2>"$w/cmma.err"
tap_ok $? "s390x-cmma: replay --check exits 0" || tap_diag "$(cat "$w/cmma.err")"
grep '	page-state	' "$w/cmma.out" | cut -f1,5,10 >"$w/cmma.states"
cat >"$w/cmma.want" <<'END'
4	0x10000000	Sr -> Ur
5	0x10000000	Ur -> Uz
6	0x10001000	Sr -> Sp
8	0x10001000	Sp -> Sr
9	0x10002000	Sr -> Pr
10	0x10002000	Pr -> Sp
11	0x10003000	Sr -> Vr
12	0x10003000	Vr -> Vz
14	0x10004000	Sz -> Vz
15	0x10005000	Sz -> Sr
END
tap_cmp "$w/cmma.want" "$w/cmma.states" "s390x-cmma: every transition is an allowed one of s390.md §7.2"
n=$(grep -c '	flush	' "$w/cmma.out")
tap_is "$n" 4 "s390x-cmma: the host unmaps 4 resident pages, one local IPTE each"

# errors: exit 2, one line on stderr, FILE:LINE, what is wrong
expect_error()	# NAME LINE PATTERN BODY
{
	f=$w/$1.trace
	printf 'pgtctl-trace 1\narch s390x\n%b' "$4" >"$f"
	"$PGTCTL" replay "$f" >"$w/out" 2>"$w/err"
	tap_is "$?" 2 "$1: exit status 2"
	tap_is "$(wc -l <"$w/err" | tr -d ' ')" 1 "$1: one line on stderr"
	grep -F -q -- "$f:$2:" "$w/err"
	tap_ok $? "$1: the message names $1.trace:$2" || tap_diag "$(cat "$w/err")"
	grep -E -q -- "$3" "$w/err"
	tap_ok $? "$1: the message says '$3'" || tap_diag "$(cat "$w/err")"
}

expect_error sie-no-pgste 4 "sie needs pgste=on.*expected 'set pgste=on'" \
	'alloc 0x10000000 64K rw\nsie\n'
expect_error essa-before-sie 5 "essa needs a KVM guest.*expected 'sie' first" \
	'set pgste=on\nalloc 0x10000000 64K rw\nessa 0x10000000 4K unused\n'
expect_error swapout-unused 8 "host swapout is not allowed for guest page 0x10001000 in state Ur; expected Sr or Pr" \
	'set pgste=on\nalloc 0x10000000 64K rw\npopulate 0x10000000 8K write\nsie\nessa 0x10001000 4K unused\nhost 0x10000000 8K swapout\n'
expect_error option-unknown 3 "unknown option 'frob' for arch s390x; expected one of" \
	'set frob=1\nalloc 0x10000000 64K rw\n'

tap_done
