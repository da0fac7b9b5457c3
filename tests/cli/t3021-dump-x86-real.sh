# SPDX-License-Identifier: GPL-3.0-or-later
#
# A real x86-64 dump (issue 12): Debian 12's amd64 kernel 6.1.0-50 under
# QEMU 7.2 TCG, dumped with dump-guest-memory while pgwork-x86_64.c spun in
# user space; X1 booted with nokaslr, K2 with KASLR.  The table-only
# slices (tests/data/slices/x86_64-*.elf.gz) against a truth that does not
# come from pgtctl (tests/data/x86_64-real/README.md): the workload's own
# /proc/self/pagemap for every present user page, with libaddrxlat's
# translation of the same VA through the dump's CR3, and libaddrxlat's PA
# for 9652 kernel addresses, ESPFIX aliases among them.  Checked page by
# page: dump --pages (user pages exactly, kernel addresses), translate,
# ptov, --ranges (tests/tools/x86-real-check.py); also the roots, --wx,
# and the ESPFIX area's shared tables (arch/x86/kernel/espfix_64.c), which
# the walk must walk again rather than call a loop.

. "${top_srcdir:-.}/tests/lib/tap.sh"

: "${PYTHON:=python3}"
command -v "$PYTHON" >/dev/null 2>&1 || tap_skip_all "$PYTHON not found"
w=$TAP_WORKDIR
data=$top_srcdir/tests/data
chk=$top_srcdir/tests/tools/x86-real-check.py
tap_memory_limit 1048576

for n in X1 K2; do
	gzip -dc "$data/slices/x86_64-$n.elf.gz" >"$w/$n.elf" &&
		gzip -dc "$data/x86_64-real/$n-truth-user.tsv.gz" >"$w/$n.user" &&
		gzip -dc "$data/x86_64-real/$n-truth-kernel.tsv.gz" >"$w/$n.kernel" ||
		tap_bail "cannot decompress the $n fixtures"
	cr3=$(sed -n 's/.*CR3=0*\([0-9a-f]*\).*/0x\1/p' "$data/x86_64-real/$n-regs.txt")

	"$PGTCTL" dump "$w/$n.elf" --roots --format tsv >"$w/roots" 2>"$w/err"
	tap_is "$(awk -F'\t' '$1 == "cpu0" { print $2 }' "$w/roots") $(awk -F'\t' '$1 == "kernel" { print $2 }' "$w/roots")" \
		"$cr3 0x2a10000" \
		"$n: roots: CR3 of the QEMU note, init_top_pgt from VMCOREINFO" ||
		tap_diag "$(cat "$w/roots" "$w/err")"

	tap_limited "$PYTHON" "$chk" "$PGTCTL" "$w/$n.elf" cpu0 "$w/$n.user" "$w/$n.kernel" \
		>"$w/out" 2>&1
	rc=$?
	for what in pages kernel translate ptov ranges; do
		tap_ok "grep -q '^ok $what ' '$w/out'" \
			"$n: $what agrees with the truth ($(awk -v k="$what" '$1 == "ok" && $2 == k { print $3 }' "$w/out") addresses)" ||
			tap_diag "$(grep -v '^ok' "$w/out" | head -5)"
	done
	tap_is "$rc" 0 "$n: the check exits 0"

	tap_limited "$PGTCTL" dump "$w/$n.elf" --summary --format json >"$w/sum" 2>"$w/err"
	tap_is "$? $(cat "$w/err")" "0 " "$n: --summary: exit 0, no finding (ESPFIX's shared tables are no loop)"
	"$PGTCTL" dump "$w/$n.elf" --range 0xffffff0000000000-0xffffff8000000000 --pages \
		--format tsv 2>"$w/err" | grep -vc '^#' >"$w/out"
	tap_is "$(cat "$w/out")" 65536 \
		"$n: the ESPFIX area maps its page 65536 times (4 PUD x 512 PMD x 32 PTE clones)"
	"$PGTCTL" dump "$w/$n.elf" --tree 2>/dev/null | grep -c 'reached before: the kernel maps this table more than once' >"$w/out"
	tap_is "$(cat "$w/out")" 2050 "$n: --tree says so at each of the 2050 tables walked again"

	"$PGTCTL" dump "$w/$n.elf" --wx >"$w/out" 2>&1
	tap_is "$? $(cat "$w/out")" "0 Checked W+X mappings: passed, no W+X pages found" \
		"$n: --wx: none (as the kernel's own check at boot)"
done

tap_done
