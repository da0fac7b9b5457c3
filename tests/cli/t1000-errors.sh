#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Bad input gets exit status 2 and exactly one message on stderr that names
# FILE:LINE and says what was expected (design.md "Exit status").  One small
# trace per error class; comments and blank lines come first so that the
# reported line is not simply the line count.  Then the command-line
# errors: --format bogus, an unknown command, and --help/--version (0).

. "$top_srcdir/tests/lib/tap.sh"

out=$TAP_WORKDIR/out
err=$TAP_WORKDIR/err

# expect_error NAME ARCH LINE PATTERN BODY [EXPECTATION]
#   Write the trace NAME.trace (header "pgtctl-trace 1", a comment, "arch
#   ARCH", then BODY) and replay it: exit 2, nothing on stdout, one line on
#   stderr with "NAME.trace:LINE:", PATTERN and EXPECTATION (grep -E;
#   default "expected": the message must say what was expected).
expect_error()
{
	name=$1 arch=$2 line=$3 pat=$4 want=${6:-expected}
	f=$TAP_WORKDIR/$name.trace
	printf 'pgtctl-trace 1\n# error class: %s\narch %s\n%b' \
		"$name" "$arch" "$5" >"$f"
	"$PGTCTL" replay "$f" >"$out" 2>"$err"
	tap_is "$?" 2 "$name: exit status 2"
	tap_is "$(wc -l <"$err" | tr -d ' ')" 1 "$name: exactly one line on stderr"
	test -s "$out"
	tap_is "$?" 1 "$name: nothing on stdout"
	grep -F -q -- "$f:$line:" "$err"
	tap_ok $? "$name: the message names $name.trace:$line" ||
		tap_diag "stderr: $(cat "$err")"
	grep -E -q -- "$pat" "$err"
	tap_ok $? "$name: the message says what is wrong ($pat)" ||
		tap_diag "stderr: $(cat "$err")"
	grep -E -q -- "$want" "$err"
	tap_ok $? "$name: the message says what was expected ($want)" ||
		tap_diag "stderr: $(cat "$err")"
}

expect_error unknown-op pae 7 "unknown operation 'frobnicate'" \
	'alloc 0x10000000 64K rw\n\n# next line is not an operation\nfrobnicate 0x10000000 4K\n'
expect_error missing-arg pae 5 "missing argument" \
	'# PROT is missing\nalloc 0x10000000 64K\n'
expect_error bad-number pae 5 "bad length '64Q'" \
	'alloc 0x10000000 64K rw\npopulate 0x10000000 64Q write\n'
expect_error unaligned-addr pae 4 "unaligned address '0x10000123'" \
	'alloc 0x10000123 64K rw\n'
expect_error essa-on-pae pae 5 "'essa'.*pae" \
	'alloc 0x10000000 64K rw\nessa 0x10000000 4K stable\n'
expect_error option-unknown pae 4 "unknown option 'pgste'" \
	'set pgste=on\nalloc 0x10000000 64K rw\n'
expect_error option-value pae 5 "bad thp 'sometimes'" \
	'set cpus=2\nset thp=sometimes\nalloc 0x10000000 64K rw\n'
expect_error mm-missing pae 6 "mm 5 does not exist" \
	'alloc 0x10000000 64K rw\nfork 2\nmm 5\n'
expect_error op-after-exit pae 7 "has exited" \
	'alloc 0x10000000 64K rw\npopulate 0x10000000 4K write\nexit\npopulate 0x10000000 4K write\n'
expect_error cpu-missing pae 6 "cpu 9 does not exist" \
	'set cpus=2\nalloc 0x10000000 64K rw\ncpu attach 9\n'
expect_error above-user-limit pae 5 "outside the user address space" \
	'alloc 0x10000000 64K rw\nalloc 0xbfff0000 128K rw\n' \
	"expected|below 0xc0000000"
expect_error at-user-limit pae 4 "outside the user address space" \
	'alloc 0xc0000000 64K rw\n' "expected|below 0xc0000000"

# kmap on s390x: only once the s390 arch exists in this build
printf 'pgtctl-trace 1\narch s390x\n' >"$TAP_WORKDIR/probe.trace"
if "$PGTCTL" replay "$TAP_WORKDIR/probe.trace" >/dev/null 2>"$err"; then
	expect_error kmap-on-s390x s390x 5 "'kmap'.*s390" \
		'alloc 0x10000000 64K rw\nkmap 0xf8000000 4K rw\n'
else
	tap_skip "arch s390x not available in this build: $(cat "$err")" \
		"kmap-on-s390x: op invalid for the arch"
fi

# ---- the command line ----

"$PGTCTL" replay --format bogus "$TAP_WORKDIR/unknown-op.trace" >"$out" 2>"$err"
tap_is "$?" 2 "--format bogus: exit status 2"
grep -q "bad format 'bogus'" "$err"
tap_ok $? "--format bogus: the message names the bad format"
grep -F -q "; try 'pgtctl replay --help'" "$err"
tap_ok $? "--format bogus: the message points to pgtctl replay --help"
tap_is "$(wc -l <"$err" | tr -d ' ')" 1 "--format bogus: one line on stderr"

"$PGTCTL" frobnicate >"$out" 2>"$err"
tap_is "$?" 2 "unknown command: exit status 2"
grep -q "unknown command 'frobnicate'" "$err"
tap_ok $? "unknown command: the message names it"

"$PGTCTL" replay >"$out" 2>"$err"
tap_is "$?" 2 "replay without TRACE: exit status 2"

"$PGTCTL" replay "$TAP_WORKDIR/does-not-exist.trace" >"$out" 2>"$err"
tap_is "$?" 2 "replay of a missing file: exit status 2"
grep -F -q "$TAP_WORKDIR/does-not-exist.trace" "$err"
tap_ok $? "replay of a missing file: the message names the file"

"$PGTCTL" --help >"$out" 2>"$err"
tap_is "$?" 0 "--help: exit status 0"
grep -q "replay" "$out"
tap_ok $? "--help: lists the replay command on stdout"

"$PGTCTL" --version >"$out" 2>"$err"
tap_is "$?" 0 "--version: exit status 0"
grep -q "^pgtctl " "$out"
tap_ok $? "--version: prints 'pgtctl VERSION'"

tap_done
