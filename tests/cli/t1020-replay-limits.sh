#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Limits of the replay engine (issue 11): what is legitimate work stays
# cheap (20,000 live PAE mms, 100,000 forked s390x mms), what would
# exhaust the machine stops at a named limit with exit 2 and a message
# naming the limit, the trace line and how to raise it.  The traces are
# generated here; every run is bounded by timeout 10 s and 1 GiB of
# address space.

. "$top_srcdir/tests/lib/tap.sh"

W=$TAP_WORKDIR
command -v timeout >/dev/null 2>&1 || tap_skip_all "timeout (coreutils) not found"

# 1 GiB of address space.  ulimit -v is not POSIX, and a sanitizer build
# reserves terabytes of address space: no limit when pgtctl cannot start
# under it (as in t3100).
tap_memory_limit 1048576

# run ARGS...: pgtctl with the limits; out, err, rc
run()
{
	tap_limited "$PGTCTL" "$@" >"$W/out" 2>"$W/err"
	rc=$?
}

show()
{
	tap_diag "exit $rc" "$(head -n 5 "$W/err")"
}

# forks ARCH N FILE: mm 1 maps and touches 64 KiB, then forks N children
forks()
{
	{
		printf 'pgtctl-trace 1\narch %s\n' "$1"
		printf 'alloc 0x10000000 64K rw\npopulate 0x10000000 64K write\n'
		awk -v n="$2" 'BEGIN { for (i = 2; i <= n + 1; i++) print "fork " i }'
	} >"$3"
}

# --- PAE: the pgd slab grows past 64 pages (8,192 pgds) ---
forks pae 20000 "$W/pae.trace"
printf 'exit\nmm 7\nexit\nmm 300\nfork 30000\nmm 30000\n' >>"$W/pae.trace"
run replay --summary "$W/pae.trace"
tap_ok "test $rc -eq 0" "pae: 20,000 live mms (a pgd slab of 157 pages)" || show
tap_ok "grep -q '^mm 20001: live, 1 VMAs, 16 pages mapped, tables: pmd 3 pte 1' '$W/out'" \
	"pae: the last child has its three PMDs and its page table"
run replay --tree --mm 30000 "$W/pae.trace"
tap_ok "head -n 1 '$W/out' | grep -q '^mm 30000 root 0x1004000\$'" \
	"pae: a pgd freed by exit is handed out again (the first object of the first slab page)" ||
	show

# the slab is bounded by the simulated memory, which set mem= raises
{
	printf 'pgtctl-trace 1\narch pae\nset mem=64M\n'
	awk 'BEGIN { for (i = 2; i <= 10001; i++) print "fork " i }'
} >"$W/pae-mem.trace"
run replay "$W/pae-mem.trace"
tap_ok "test $rc -eq 2 && grep -q 'pae-mem.trace:[0-9]*: op [0-9]*: out of simulated memory allocating a pgd (set mem=)' '$W/err'" \
	"pae: 10,000 mms do not fit in mem=64M" || show
sed 's/mem=64M/mem=256M/' "$W/pae-mem.trace" >"$W/pae-mem2.trace"
run replay --summary "$W/pae-mem2.trace"
tap_ok "test $rc -eq 0 && grep -q '^mm 10001: live' '$W/out'" \
	"pae: set mem=256M makes room for them" || show

# --- s390x: a forked mm costs its tables, not a page of malloc slack each ---
# 24,000 forks of an mm with 64 KiB mapped: 36 KiB of tables each (region
# third, segment table, a page-table page) held in 1 GiB of address space
# (48 KiB each before: 1.17 GB)
{
	printf 'pgtctl-trace 1\narch s390x\nset mem=4G\n'
	printf 'alloc 0x10000000 64K rw\npopulate 0x10000000 64K write\n'
	awk 'BEGIN { for (i = 2; i <= 24001; i++) print "fork " i }'
	printf 'mm 24001\nfork 24002\nmm 24002\npopulate 0x10000000 64K write\n'
} >"$W/forks.trace"
run replay --summary "$W/forks.trace"
tap_ok "test $rc -eq 0" "s390x: 24,000 forked mms in 1 GiB" || show
tap_ok "grep -q '^mm 24002: live, 1 VMAs, 16 pages mapped, tables: pud 1 pmd 1 pte 1' '$W/out'" \
	"s390x: the last mm of a fork chain has its tables"

# --- the host memory limit (max-host-mem) ---
# the 120-byte trace of issue 11 (12 GB in 120 s before) with a small limit
printf 'pgtctl-trace 1\narch s390x\nset thp=never max-host-mem=64M\nalloc 0x100000 0x3ffff000000 rw\npopulate 0x100000 0x3ffff000000 write stride=1M\n' >"$W/big.trace"
run replay "$W/big.trace"
tap_is "$rc" 2 "limit: a populate of 4 TiB with stride=1M stops with exit 2" || show
tap_is "$(wc -l <"$W/err" | tr -d ' ')" 1 "limit: one line on stderr" || show
tap_ok "grep -q 'big.trace:5: op 2: host memory limit reached: .* max-host-mem=64 MiB .*PGTCTL_MAX_HOST_MEM=SIZE' '$W/err'" \
	"limit: the message names the trace line, the limit and how to raise it" || show

# data frames: their metadata counts (16 bytes per 4 KiB frame: 8 TiB of
# simulated memory would otherwise take 32 GiB of host memory)
printf 'pgtctl-trace 1\narch s390x\nset mem=8T max-host-mem=32M\nalloc 0x100000000 0x3fe00000000 rw\npopulate 0x100000000 0x3fe00000000 write\n' >"$W/meta.trace"
run replay "$W/meta.trace"
tap_ok "test $rc -eq 2 && grep -q 'meta.trace:5: op 2: host memory limit reached: .*max-host-mem=32 MiB' '$W/err'" \
	"limit: huge pages over 8 TiB of simulated memory stop at the limit" || show

# VMAs: a fork copies every VMA of its parent
{
	printf 'pgtctl-trace 1\narch pae\nset max-host-mem=32M\n'
	awk 'BEGIN { for (i = 0; i < 20000; i++)
		printf "alloc 0x%x 4K %s\n", 268435456 + i * 4096, (i % 2) ? "rw" : "r"
	for (i = 2; i < 1000; i++) print "fork " i }'
} >"$W/vmas.trace"
run replay "$W/vmas.trace"
tap_ok "test $rc -eq 2 && grep -q 'vmas.trace:[0-9]*: op [0-9]*: host memory limit reached: VMAs would take more than max-host-mem=32 MiB' '$W/err'" \
	"limit: forks of an mm with 20,000 VMAs stop at the limit, naming VMAs" || show

# the limit raised: the same trace runs to its end
sed 's/max-host-mem=32M/max-host-mem=1G/; /^fork 100$/,$d' "$W/vmas.trace" >"$W/vmas-ok.trace"
run replay --summary "$W/vmas-ok.trace"
tap_ok "test $rc -eq 0 && grep -q '^mm 99: live, 20000 VMAs' '$W/out'" \
	"limit: raised with set max-host-mem=1G, 98 forks of it succeed" || show

# a trace may lower the limit, not raise it past what the user allows
sed 's/max-host-mem=32M/max-host-mem=2G/; /^fork 100$/,$d' "$W/vmas.trace" >"$W/vmas-2g.trace"
run replay --summary "$W/vmas-2g.trace"
tap_ok "test $rc -eq 2 && grep -q 'vmas-2g.trace:3: max-host-mem=2G is above the 1 GiB a trace may set; expected at most that, or PGTCTL_MAX_HOST_MEM=SIZE' '$W/err'" \
	"limit: a trace cannot raise max-host-mem above the ceiling" || show
PGTCTL_MAX_HOST_MEM=2G run replay --summary "$W/vmas-2g.trace"
tap_ok "test $rc -eq 0 && grep -q '^mm 99: live, 20000 VMAs' '$W/out'" \
	"limit: PGTCTL_MAX_HOST_MEM=2G lets the trace set 2G" || show
printf 'pgtctl-trace 1\narch s390x\nset thp=never\nalloc 0x100000 0x3ffff000000 rw\npopulate 0x100000 0x3ffff000000 write stride=1M\n' >"$W/env.trace"
PGTCTL_MAX_HOST_MEM=48M run replay "$W/env.trace"
tap_ok "test $rc -eq 2 && grep -q 'max-host-mem=48 MiB' '$W/err'" \
	"limit: PGTCTL_MAX_HOST_MEM=48M is the default limit too" || show
unset PGTCTL_MAX_HOST_MEM	# a prefix to a function may outlive the call

for v in 1M 0 2000T x; do
	printf 'pgtctl-trace 1\narch s390x\nset max-host-mem=%s\nalloc 0x100000 4K rw\n' "$v" >"$W/bad.trace"
	run replay "$W/bad.trace"
	tap_ok "test $rc -eq 2 && grep -q \"bad.trace:3: bad max-host-mem '$v'; expected a size from 16M to 1024T\" '$W/err'" \
		"limit: set max-host-mem=$v is refused" || show
done

tap_done
