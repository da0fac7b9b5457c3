# SPDX-License-Identifier: GPL-3.0-or-later
#
# pgtctl dump on the real pae-K1 kdump vmcores (Debian 6.1 686-pae, PTI and
# KASLR on, crashed with sysrq-c; the capture kernel wrote /proc/vmcore as
# ELF32 and makedumpfile -c -d 31 filtered it).  No CR3 is recorded: the
# kernel root must come from VMCOREINFO, each process's root from
# K1-tasks.tsv (--root), and --scan-roots must find every pgd (both PTI
# copies) and swapper_pg_dir with nothing ranked above them.

. "${top_srcdir:-.}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/dumps.sh"

d=pae-K1
dump_need $d/K1-vmcore.elf.gz $d/K1-vmcore-c-d31.kdump $d/K1-tasks.tsv \
	$d/truth-K1-kernel.tsv
w=$TAP_WORKDIR
S=$SHARED/dumps/$d
elf=$(dump_file $d/K1-vmcore.elf.gz) || tap_bail "cannot decompress K1-vmcore.elf.gz"
kd=$S/K1-vmcore-c-d31.kdump

# the five processes with an mm: pid pgd user_copy
awk -F'\t' 'NR > 1 && $13 != "" { print $1, $13, $14 }' $S/K1-tasks.tsv >"$w/procs"
tap_is "$(wc -l <"$w/procs" | tr -d ' ')" 5 "K1-tasks.tsv lists five processes with an mm"

for f in "$elf" "$kd"; do
	n=$(basename "$f")
	"$PGTCTL" dump "$f" --roots --format tsv >"$w/roots" 2>"$w/err"
	tap_ok $? "$n: --roots exits 0" || tap_diag "$(cat "$w/err")"
	tap_is "$(awk -F'\t' '$1 == "kernel" { print $2 }' "$w/roots")" 0xbe98000 \
		"$n: the kernel root is VMCOREINFO's swapper_pg_dir - 0xc0000000"
	"$PGTCTL" dump "$f" --pages --format tsv >"$w/k.tsv" 2>"$w/err"
	tap_ok $? "$n: the default root (kernel) walks" || tap_diag "$(cat "$w/err")"
	truth_cmp "$n kernel ranges vs truth-K1-kernel.tsv" ranges $S/truth-K1-kernel.tsv "$w/k.tsv" pae
	while read -r pid pgd ucopy; do
		t=$(ls $S/truth-K1-pid$pid-*.tsv)
		for r in $pgd $ucopy; do
			"$PGTCTL" dump "$f" --root $r --range 0-0xc0000000 --pages --format tsv \
				>"$w/u.tsv" 2>"$w/err"
			tap_ok $? "$n: --root $r (pid $pid) walks" || tap_diag "$(cat "$w/err")"
			truth_cmp "$n pid $pid root $r vs $(basename "$t")" units "$t" "$w/u.tsv"
		done
	done <"$w/procs"

	# --scan-roots: the 11 real roots first, in any order
	"$PGTCTL" dump "$f" --scan-roots --roots --format tsv >"$w/scan" 2>"$w/err"
	tap_ok $? "$n: --scan-roots exits 0" || tap_diag "$(cat "$w/err")"
	grep -v '^#' "$w/scan" | head -n 11 | cut -f2 | sort >"$w/top"
	{ echo 0xbe98000; awk '{ printf "0x%x\n0x%x\n", $2, $3 }' "$w/procs"; } | sort >"$w/want"
	tap_ok "cmp -s '$w/want' '$w/top'" \
		"$n: --scan-roots ranks swapper_pg_dir and every pgd's two PTI copies first" ||
		tap_diag "$(diff "$w/want" "$w/top")"
done

# the filtered kdump maps pages it does not hold: translate says so
"$PGTCTL" translate "$kd" 0xc7000000 >"$w/tr" 2>&1
tap_ok "grep -q 'PAGE 0x7000000 .*(data not in this dump)' '$w/tr'" "translate maps the crash reservation and says its data is not in the dump"

tap_done
