#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# pgtctl import strace on large generated logs (issue 11): the mappings,
# the tasks and the announced pids are searched in logarithmic time, so
# 100,000 mmaps placed top-down (each below the last: the worst order for
# a sorted array) and 80,000 processes alive at once import in seconds
# (61 s and more than 120 s before), and lines without a pid after many
# exits do not each pass the tasks gone; the mappings held by all the
# address spaces are bounded.  Each run is bounded by timeout 10 s
# and 1 GiB of address space.

. "$top_srcdir/tests/lib/tap.sh"

W=$TAP_WORKDIR
command -v timeout >/dev/null 2>&1 || tap_skip_all "timeout (coreutils) not found"

tap_memory_limit 1048576

# import LOG: the log imported under s390x into $W/out.trace; rc
import()
{
	rm -f "$W/out.trace"
	tap_limited "$PGTCTL" import strace "$1" --arch s390x \
		-o "$W/out.trace" 2>"$W/err"
	rc=$?
}

show()
{
	tap_diag "exit $rc" "$(head -n 5 "$W/err")"
}

ops()	# OP: how many lines of $W/out.trace are that operation
{
	grep -c "^$1 " "$W/out.trace"
}

# 100,000 one-page mmaps, each 8 KiB below the last; every tenth mapping
# is made read-only two pages up, every hundredth is unmapped 16 pages up
awk 'BEGIN {
	print "1000  execve(\"/bin/x\", [\"x\"], 0x7ffd /* 1 vars */) = 0"
	top = 2952790016	# 0xb0000000 (mawk prints no more than 32 bits in hex)
	for (i = 0; i < 100000; i++) {
		a = top - (i + 1) * 8192
		printf "1000  mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x%x\n", a
		if (i % 10 == 9)
			printf "1000  mprotect(0x%x, 4096, PROT_READ) = 0\n", a + 16384
		if (i % 100 == 99)
			printf "1000  munmap(0x%x, 4096) = 0\n", a + 65536
	}
	print "1000  +++ exited with 0 +++"
}' >"$W/mmaps.strace"
import "$W/mmaps.strace"
tap_ok "test $rc -eq 0" "100,000 top-down mmaps import in 10 s" || show
tap_is "$(ops alloc)" 100000 "one alloc per mmap"
tap_is "$(ops protect)" 10000 "one protect per mprotect"
tap_is "$(ops unmap)" 1000 "one unmap per munmap"
tap_ok "grep -q '^alloc  *0xafffe000 4K rw ' '$W/out.trace'" \
	"the first mapping is allocated where mmap put it" ||
	tap_diag "$(grep -m 3 '^alloc' "$W/out.trace")"

# 80,000 children alive at once, each maps a page; then they all exit
awk 'BEGIN {
	print "1000  execve(\"/bin/x\", [\"x\"], 0x7ffd /* 1 vars */) = 0"
	for (i = 0; i < 80000; i++) {
		c = 2000 + i
		printf "1000  fork() = %d\n", c
		printf "%d  mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f1200000000\n", c
	}
	for (i = 0; i < 80000; i++)
		printf "%d  +++ exited with 0 +++\n", 2000 + i
	print "1000  +++ exited with 0 +++"
}' >"$W/pids.strace"
import "$W/pids.strace"
tap_ok "test $rc -eq 0" "80,000 live processes import in 10 s" || show
tap_is "$(ops fork)" 80000 "one fork per fork call"
tap_is "$(ops alloc)" 80000 "each child's mmap"
tap_is "$(grep -c '^exit ' "$W/out.trace")" 80001 "every process exits"

# 50,000 children come and go, then 100,000 lines of the parent without
# a pid (strace prints none when one process is left)
awk 'BEGIN {
	print "1000  execve(\"/bin/x\", [\"x\"], 0x7ffd /* 1 vars */) = 0"
	for (i = 0; i < 50000; i++)
		printf "1000  fork() = %d\n", 2000 + i
	for (i = 0; i < 50000; i++)
		printf "%d  +++ exited with 0 +++\n", 2000 + i
	for (i = 0; i < 100000; i++)
		print "mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f1200000000"
}' >"$W/nopid.strace"
import "$W/nopid.strace"
tap_ok "test $rc -eq 0" "100,000 lines without a pid after 50,000 exits import in 10 s" || show
tap_is "$(ops alloc)" 100000 "each line is the parent's mmap"

# 2,000 mappings forked 5,000 times: 10M mappings to hold, past the
# importer's limit of 8M (384 MiB): exit 2 at the fork that passes it
awk 'BEGIN {
	print "1000  execve(\"/bin/x\", [\"x\"], 0x7ffd /* 1 vars */) = 0"
	for (i = 0; i < 2000; i++)
		printf "1000  mmap(0x%x, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x%x\n", 268435456 + i * 8192, 268435456 + i * 8192
	for (i = 0; i < 5000; i++)
		printf "1000  fork() = %d\n", 2000 + i
}' >"$W/forkmaps.strace"
import "$W/forkmaps.strace"
tap_is "$rc" 2 "2,000 mappings forked 5,000 times stop with exit 2" || show
tap_ok "grep -q 'forkmaps.strace:6195: the log.s address spaces would hold more than 8388608 mappings at once' '$W/err'" \
	"the message names the line of the fork and the limit" || show
tap_ok "test ! -e '$W/out.trace'" "no partial output"

# a line cut by strace's messages again and again is joined, and bounded
# as one line (it was re-measured for every piece: quadratic, unbounded)
awk 'BEGIN {
	print "1000  execve(\"/bin/x\", [\"x\"], 0x7ffd /* 1 vars */) = 0"
	for (i = 0; i < 100000; i++)
		printf "1000  clone(child_stack=NULL, flags=SIGCHLDstrace: Process %d attached\n", 2000 + i
	print ", child_tidptr=0x0) = 9999"
}' >"$W/carry.strace"
import "$W/carry.strace"
tap_is "$rc" 2 "100,000 pieces of one line between strace messages: exit 2" || show
tap_ok "grep -q 'carry.strace:[0-9]*: cannot parse a line of more than 1048576 bytes (joined around strace.s messages since line 2)' '$W/err'" \
	"the message names the line and the limit" || show

tap_done
