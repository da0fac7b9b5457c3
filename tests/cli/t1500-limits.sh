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
limit=1048576
# shellcheck disable=SC3045
if ! (ulimit -v "$limit" && "$PGTCTL" --version) >/dev/null 2>&1; then
	tap_diag "pgtctl does not start under ulimit -v $limit KiB (no ulimit -v, or a sanitizer build): no memory limit"
	limit=unlimited
fi

# run ARGS...: pgtctl with the limits; out, err, rc
run()
{
	(
		# shellcheck disable=SC3045
		ulimit -v "$limit" 2>/dev/null
		exec timeout 10 "$PGTCTL" "$@"
	) >"$W/out" 2>"$W/err"
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

tap_done
