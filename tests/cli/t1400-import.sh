#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# pgtctl import strace (pgtctl(1), IMPORTING STRACE LOGS) on the logs in
# tests/data/strace (how each was recorded: tests/data/strace/README.md):
# real x86-64 runs (a compiler, a shell pipeline with fork and exec, in
# both the -o and the stderr form of strace -f, a multi-threaded xz) import
# under every populate policy and replay with --check under s390x, and are
# refused with a clear message under pae; a real 32-bit run and a
# hand-written 32-bit log import and replay under pae and s390x; the
# hand-written one is compared with a golden trace.  Then the output rules
# (-o, -o -, no partial file), standard input, bad logs and bad usage.

. "$top_srcdir/tests/lib/tap.sh"

D=$top_srcdir/tests/data/strace
W=$TAP_WORKDIR

# import_replay LOG ARCH POPULATE
import_replay()
{
	out=$W/$1-$2-$3.trace
	"$PGTCTL" import strace "$D/$1.strace" --arch "$2" --populate="$3" \
		-o "$out" 2>"$W/err"
	tap_ok $? "import $1.strace --arch $2 --populate=$3" ||
		tap_diag "$(cat "$W/err")"
	tap_run "replay --check of $1.strace under $2 (--populate=$3)" \
		"$PGTCTL" replay --check "$out"
}

for log in cc sh-pipe sh-pipe-stderr xz-threads; do
	for pop in none all writes; do
		import_replay "$log" s390x "$pop"
	done
done
for log in demo-i386 small-i386; do
	for arch in pae s390x; do
		for pop in none all writes; do
			import_replay "$log" "$arch" "$pop"
		done
	done
done

# --- what the real logs show ---
ops()	# TRACE: the operation lines, without comments
{
	sed -e '/^#/d' -e '/^pgtctl-trace /d' -e '/^arch /d' -e 's/ *#.*//' "$1"
}

cc=$W/cc-s390x-none.trace
tap_is "$(ops "$cc" | grep -c '^thread +1$')" 2 \
	"cc.strace: two vforks, each 'thread +1' of the compiler driver's mm"
tap_is "$(grep -c 'execve: a new, empty address space' "$cc")" 2 \
	"cc.strace: cc1 and as each get a new mm at their execve"
tap_ok "grep -q '^#   [0-9]* calls imported, as [0-9]* operations in 3 address spaces (and the empty one)\$' '$cc'" \
	"cc.strace: the header counts 3 address spaces"
tap_ok "grep -q '^protect .* # L[0-9]* pid [0-9]* mprotect (not all mapped by calls of the log' '$cc'" \
	"cc.strace: the RELRO mprotect of the program says execve mapped it"

sh=$W/sh-pipe-s390x-none.trace
tap_is "$(grep -c '^fork [0-9]* *# L[0-9]* pid [0-9]* clone -> pid' "$sh")" 3 \
	"sh-pipe.strace: the shell's three clones are 'fork N' of its mm"
hist()
{
	ops "$1" | awk '$1 != "mm" { print $1 }' | sort | uniq -c
}
tap_is "$(hist "$W/sh-pipe-stderr-s390x-none.trace")" "$(hist "$sh")" \
	"sh-pipe-stderr.strace (strace -f to stderr) gives the operations of the -o form"

xz=$W/xz-threads-s390x-none.trace
tap_is "$(ops "$xz" | grep -c '^thread +1$') $(ops "$xz" | grep -c '^thread -1$')" "2 2" \
	"xz-threads.strace: two threads join and leave mm 1"
tap_is "$(ops "$xz" | grep -c '^fork')" 0 \
	"xz-threads.strace: one process needs no other mm"

demo=$W/demo-i386-pae-all.trace
tap_ok "ops '$demo' | grep -q '^fork 2\$'" \
	"demo-i386.strace: the fork of the real 32-bit process"
tap_ok "ops '$demo' | grep -q '^remap 0x[0-9a-f]* 1028K 2052K 0x[0-9a-f]*\$'" \
	"demo-i386.strace: realloc's mremap is a remap to the address the kernel chose"

# --- a golden trace: the hand-written 32-bit log ---
(cd "$D" && "$PGTCTL" import strace small-i386.strace --arch pae --populate=all) \
	>"$W/small.trace" 2>"$W/err"
tap_ok $? "import small-i386.strace for the golden" || tap_diag "$(cat "$W/err")"
tap_cmp "$D/small-i386.pae-all.expect" "$W/small.trace" \
	"small-i386.strace under pae, --populate=all: the golden trace"

# --- a 64-bit log for arch pae ---
echo "keep me" >"$W/keep.trace"
"$PGTCTL" import strace "$D/cc.strace" --arch pae -o "$W/keep.trace" \
	>"$W/out" 2>"$W/err"
tap_is "$?" 2 "cc.strace (x86-64) under pae exits 2"
tap_is "$(cat "$W/err")" "pgtctl: import: $D/cc.strace:3: address 0x7ff15da15000 of mmap has more than 32 bits: this is the log of a 64-bit process, which arch pae cannot replay; expected the log of a 32-bit process (or --arch s390x for a 64-bit one)" \
	"cc.strace under pae: one message with the line and the reason"
tap_is "$(cat "$W/keep.trace")" "keep me" "a refused log leaves an existing OUT untouched"
tap_is "$(ls -a "$W" | grep -c '^\.keep')" 0 "a refused log leaves no temporary file"
tap_is "$(wc -c <"$W/out")" 0 "a refused log writes nothing to stdout"

# --- outputs and inputs ---
"$PGTCTL" import strace "$D/small-i386.strace" --arch pae >"$W/a" 2>"$W/err"
tap_ok $? "no -o: the trace goes to stdout" || tap_diag "$(cat "$W/err")"
"$PGTCTL" import strace "$D/small-i386.strace" --arch pae -o - >"$W/b" 2>"$W/err"
tap_cmp "$W/a" "$W/b" "-o - is stdout"
"$PGTCTL" import strace "$D/small-i386.strace" --arch pae -o "$W/c" >"$W/d" 2>"$W/err"
tap_cmp "$W/a" "$W/c" "-o OUT writes the same trace"
tap_is "$(wc -c <"$W/d")" 0 "-o OUT writes nothing to stdout"
"$PGTCTL" import strace - --arch pae <"$D/small-i386.strace" >"$W/e" 2>"$W/err"
tap_ok $? "FILE - reads standard input" || tap_diag "$(cat "$W/err")"
tap_is "$(sed 1,2d "$W/e")" "$(sed 1,2d "$W/a")" \
	"standard input gives the same trace (but for the log's name)"
tap_ok "grep -q '^# Imported by .pgtctl import strace. from -\$' '$W/e'" \
	"standard input is named '-' in the header"

# --pid: the compiler proper (cc1) alone
pid=$(sed -n 's/^\([0-9]*\) *execve("[^"]*cc1".*/\1/p' "$D/cc.strace")
"$PGTCTL" import strace "$D/cc.strace" --pid "$pid" -o "$W/cc1.trace" 2>"$W/err"
tap_ok $? "--pid $pid (cc1) imports" || tap_diag "$(cat "$W/err")"
tap_ok "grep -q '^#   [0-9]* calls imported, as [0-9]* operations in 1 address space\$' '$W/cc1.trace'" \
	"--pid: one address space"
tap_run "--pid: the trace replays with --check" "$PGTCTL" replay --check "$W/cc1.trace"

# --- bad logs ---
printf '100 brk(NULL) = 0x1000\nhello\n' >"$W/bad.strace"
"$PGTCTL" import strace "$W/bad.strace" -o "$W/bad.trace" >"$W/out" 2>"$W/err"
tap_is "$?" 2 "an unparseable line exits 2"
tap_is "$(cat "$W/err")" "pgtctl: import: $W/bad.strace:2: cannot parse 'hello'; expected a line of strace -f output: [PID] syscall(args) = result, 'syscall(args <unfinished ...>', '<... syscall resumed>args) = result', '+++ exited with N +++' or '--- SIGNAL {...} ---'" \
	"an unparseable line: FILE:LINE: cannot parse ...; expected ..."
tap_ok "test ! -e '$W/bad.trace'" "an unparseable line leaves no OUT"
"$PGTCTL" import strace "$W/missing.strace" >"$W/out" 2>"$W/err"
tap_is "$?" 2 "a missing log exits 2"
tap_is "$(cat "$W/err")" "pgtctl: import: $W/missing.strace: No such file or directory" \
	"a missing log: one message"

# --- usage ---
usage()	# EXPECTED-MESSAGE ARGS...
{
	want=$1
	shift
	"$PGTCTL" import "$@" >"$W/out" 2>"$W/err"
	st=$?
	tap_is "$st $(cat "$W/err")" "2 pgtctl: import: $want; try 'pgtctl import --help'" \
		"usage: import $*"
}
usage "expected a log format and a FILE: 'import strace FILE'"
usage "unknown log format 'ltrace'; expected strace" ltrace "$D/cc.strace"
usage "expected exactly one FILE after 'strace'" strace
usage "expected exactly one FILE after 'strace'" strace a b
usage "bad --populate 'some'; expected none, all or writes" strace --populate=some "$D/cc.strace"
usage "bad --arch 'x86'; expected pae, s390x or s390" strace --arch x86 "$D/cc.strace"
usage "bad --pid '0'; expected a process id" strace --pid 0 "$D/cc.strace"
"$PGTCTL" --help >"$W/help"
tap_ok "grep -q '^  import  *turn an strace' '$W/help'" "pgtctl --help lists import"

# --arch names the arches a trace can be replayed under, and only those
"$PGTCTL" import --help >"$W/import-help" 2>&1
tap_ok "grep -q -- '--arch s390x|s390|pae ' '$W/import-help'" \
	"import --help offers the replayable arches only" ||
	tap_diag "$(grep -- --arch "$W/import-help")"
"$PGTCTL" import strace --arch x86-64 "$top_srcdir/tests/data/strace/cc.strace" >"$W/out" 2>"$W/err"
tap_is "$?" 2 "import --arch x86-64 (walk-only) exits 2"
tap_ok "grep -q 'walk-only' '$W/err'" "import --arch x86-64: says it is walk-only"

tap_done
