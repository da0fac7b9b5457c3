# SPDX-License-Identifier: GPL-3.0-or-later
#
# pgtctl ptov on the real dumps (crash's ptov, WinDbg's !ptov): for every
# present user page of the truth files (libaddrxlat's), ptov of its frame
# lists that (root, VA), and every row ptov gives of a root the truth
# describes is true (user VAs against that root's truth, kernel VAs against
# the kernel truth).  pae-A1 (ELF and flattened kdump, cpu0 and swapper),
# pae-K1 (the kdump, every pgd and PTI user copy found by --scan-roots,
# named to their process through K1-tasks.tsv), s390x-A1 (user and kernel
# ASCE).  Then a frame no root maps, copy-on-write sharing in a replayed
# trace, and the bad-input cases.

. "${top_srcdir:-.}/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/dumps.sh"

dump_need pae-A1/A1.elf.gz pae-A1/A1.kdump-zlib.flat pae-A1/truth-A1.tsv \
	pae-A1/truth-A1-kernel.tsv pae-K1/K1-vmcore-c-d31.kdump \
	pae-K1/K1-tasks.tsv pae-K1/truth-K1-kernel.tsv s390x-A1/A1.elf.gz \
	s390x-A1/truth-A1.tsv s390x-A1/truth-A1-kernel.tsv
tap_memory_limit 1048576
w=$TAP_WORKDIR
D=$SHARED/dumps
check="$PYTHON $top_srcdir/tests/tools/ptov-check.py"

ptov_vs_truth()	# NAME DUMP ARCH KTRUTH PTOV-OPTIONS -- ROOT=TRUTH...
{
	name=$1 dump=$2 arch=$3 kt=$4
	shift 4
	opts=
	while test "$1" != --; do
		opts="$opts $1"
		shift
	done
	shift
	truths=
	for s; do
		case $s in *=kernel) ;; *) truths="$truths ${s#*=}" ;; esac
	done
	# shellcheck disable=SC2086
	$check pas $truths >"$w/pas"
	# shellcheck disable=SC2046,SC2086
	tap_limited "$PGTCTL" ptov "$dump" $opts --format tsv $(cat "$w/pas") \
		>"$w/ptov.tsv" 2>"$w/err"
	tap_ok $? "$name: ptov of $(wc -l <"$w/pas" | tr -d ' ') frames exits 0" ||
		tap_diag "$(cat "$w/err")"
	# shellcheck disable=SC2086
	$check check "$w/ptov.tsv" "$arch" "$kt" "$@" >"$w/cmp" 2>&1
	tap_ok $? "$name: $(tail -n 1 "$w/cmp")" || tap_diag "$(cat "$w/cmp")"
}

# pae-A1: cpu0 is pgwork's CR3; the kernel root shares the kernel half
elf=$(dump_file pae-A1/A1.elf.gz) || tap_bail "cannot decompress A1.elf.gz"
for f in "$elf" "$D/pae-A1/A1.kdump-zlib.flat"; do
	ptov_vs_truth "pae-A1 $(basename "$f")" "$f" pae \
		"$D/pae-A1/truth-A1-kernel.tsv" -- \
		cpu0="$D/pae-A1/truth-A1.tsv" kernel=kernel
done
# the THP (one 2 MiB leaf): a frame inside it gives the VA inside it
"$PGTCTL" ptov "$elf" 0x2e01234 --format tsv >"$w/thp" 2>&1
tap_is "$(awk -F'\t' '$5 == 2097152 && $2 < "0xc0000000" { print $2, $3, $6 }' "$w/thp")" \
	"0x60401234 cpu0 pmd" "pae-A1: a frame inside the THP maps at the VA inside it (a large page counts)"
# the zero page: every read-faulted page of pgwork maps it
n=$(awk -F'\t' 'NR > 1 && $2 == "0x001e9a000" && $8 == 1' "$D/pae-A1/truth-A1.tsv" | wc -l)
"$PGTCTL" ptov "$elf" 0x1e9a000 --range 0-0xc0000000 --format tsv >"$w/zero"
tap_is "$(grep -vc '^#' "$w/zero")" "$((n))" \
	"pae-A1: ptov of the zero page lists its $n user mappings (--range keeps the user half)"

# pae-K1: the roots of every process come from the scan; name them
kd=$D/pae-K1/K1-vmcore-c-d31.kdump
"$PGTCTL" dump "$kd" --scan-roots --roots --format tsv >"$w/roots" 2>"$w/err"
tap_ok $? "pae-K1: --scan-roots --roots exits 0" || tap_diag "$(cat "$w/err")"
specs=
while read -r pid pgd ucopy; do
	t=$(ls "$D"/pae-K1/truth-K1-pid"$pid"-*.tsv)
	for r in "$pgd" "$ucopy"; do
		v=$(printf '0x%x' "$r")
		name=$(awk -F'\t' -v v="$v" '$2 == v { print $1; exit }' "$w/roots")
		test -n "$name" && specs="$specs $name=$t"
	done
done <<EOF2
$(awk -F'\t' 'NR > 1 && $13 != "" { print $1, $13, $14 }' "$D/pae-K1/K1-tasks.tsv")
EOF2
tap_is "$(echo $specs | wc -w | tr -d ' ')" 10 \
	"pae-K1: the scan found the five processes' pgds and PTI user copies"
# shellcheck disable=SC2086
ptov_vs_truth "pae-K1 kdump" "$kd" pae "$D/pae-K1/truth-K1-kernel.tsv" \
	--scan-roots -- $specs kernel=kernel

# s390x-A1: the user ASCE of CR1, the kernel ASCE of CR13 (1:1 map)
s390=$(dump_file s390x-A1/A1.elf.gz) || tap_bail "cannot decompress s390x A1.elf.gz"
ptov_vs_truth "s390x-A1 ELF" "$s390" s390x "$D/s390x-A1/truth-A1-kernel.tsv" -- \
	cpu0-user="$D/s390x-A1/truth-A1.tsv" cpu0-kernel=kernel

# a frame beyond the memory: one row saying no root maps it
"$PGTCTL" ptov "$elf" 0x7f0000000 >"$w/none" 2>&1
tap_ok $? "ptov of an unmapped frame exits 0"
tap_ok "grep -q '^0x7f0000000  not mapped by any of 2 roots' '$w/none'" \
	"ptov says a frame is mapped by none of the roots"
"$PGTCTL" ptov "$elf" 0x7f0000000 --format tsv | tail -n 1 >"$w/none.tsv"
tap_is "$(cut -f2,3,4 "$w/none.tsv")" "$(printf -- '-\t-\t2')" \
	"tsv: an unmapped frame has va and root '-' and the number of roots searched"
"$PGTCTL" ptov "$elf" 0x3c65000 --root kernel --format tsv >"$w/k"
tap_is "$(grep -v '^#' "$w/k" | cut -f2,3)" "$(printf '0xc3c65000\tkernel')" \
	"--root kernel: only the kernel's mapping of a user frame (the direct map)"
"$PGTCTL" ptov "$elf" 0x3c65000 --format json >"$w/j" &&
	"$PYTHON" -c 'import json,sys; r=json.load(open(sys.argv[1]))["ptov"]["records"]; sys.exit(0 if len(r) == 2 and r[0]["root_value"] == "0x22022e0" else 1)' "$w/j"
tap_ok $? "json: the mappings as records with the root's value"

# a replayed trace: after fork, parent and child share the COW frame
tr=$top_srcdir/tests/data/pae-small.trace
"$PGTCTL" ptov "$tr" 0x100a000 --format tsv >"$w/cow" 2>&1
tap_is "$(grep -v '^#' "$w/cow" | cut -f2,3)" "$(printf '0x10001000\tmm 1\n0x10001000\tmm 2')" \
	"replay: a copy-on-write frame after fork is mapped by parent and child"
"$PGTCTL" ptov "$tr" 0x100a000 --mm 2 --format tsv >"$w/cow2" 2>&1
tap_is "$(grep -vc '^#' "$w/cow2")" 1 "replay: --mm 2 searches the child only"

# bad input: exit 2, one message
"$PGTCTL" ptov "$elf" 0xzz >"$w/o" 2>"$w/e"
tap_is "$?" 2 "a bad physical address is a usage error"
tap_ok "grep -q \"bad physical address '0xzz'\" '$w/e'" "the message names the address"
"$PGTCTL" ptov "$elf" >"$w/o" 2>"$w/e"
tap_is "$?" 2 "ptov without a PA is a usage error"
"$PGTCTL" ptov "$elf" 0x1000 --until 3 >"$w/o" 2>"$w/e"
tap_is "$?" 2 "--until does not apply to a dump"

tap_done
