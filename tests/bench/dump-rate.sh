#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# tests/bench/dump-rate.sh: how fast `pgtctl dump` walks the page tables of
# a memory dump, against libaddrxlat (libkdumpfile) translating the same
# address space from the same root, in the same run (issue 4: pgtctl should
# be at least 10x faster per present page).  See tests/bench/README.md.
#
# Run by tests/bench/run.sh (`make bench`) or standalone from the top build
# directory: sh tests/bench/dump-rate.sh
#
# Environment:
#   PGTCTL            the pgtctl program (default src/pgtctl)
#   SHARED            the shared reference data (default $abs_top_srcdir/../shared)
#   CC, CFLAGS        compiler for addrxlat-sweep.c (cc -O2)
#   PYTHON            python3, for the synthetic dumps (python3)
#   BENCH_DUMP_RUNS   runs per measurement; medians are reported (3)
#   BENCH_DUMP_PAGES  present 4 KiB pages of the synthetic PAE dump (1048576)
#
# Exit status: 0 when pgtctl was measured on at least one dump, 1 when on
# none, 2 on a setup error.

set -u
LC_ALL=C
export LC_ALL

me=tests/bench/dump-rate.sh
here=$(cd "$(dirname "$0")" && pwd) || exit 2
top=$(cd "$here/../.." && pwd) || exit 2
runs=${BENCH_DUMP_RUNS:-3}
synth_pages=${BENCH_DUMP_PAGES:-1048576}
PYTHON=${PYTHON:-python3}

die() {
	echo "$me: $*" >&2
	exit 2
}

case $runs in
'' | *[!0-9]* | 0) die "bad BENCH_DUMP_RUNS '$runs'; expected a positive number" ;;
esac
case $synth_pages in
'' | *[!0-9]*) die "bad BENCH_DUMP_PAGES '$synth_pages'; expected a number" ;;
esac

if test -z "${PGTCTL:-}"; then
	if test -n "${abs_top_builddir:-}"; then
		PGTCTL=$abs_top_builddir/src/pgtctl
	else
		PGTCTL=$(pwd)/src/pgtctl
	fi
fi
test -x "$PGTCTL" || die "no pgtctl at '$PGTCTL'; build it (make) or set PGTCTL"
: "${SHARED:=${abs_top_srcdir:-$top}/../shared}"
D=$SHARED/dumps

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pgtctl-dumprate.XXXXXX") ||
	die "cannot create a temporary directory"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

notes=''
note() {
	notes="$notes# $*
"
}

# ---- the baseline: libaddrxlat through the shared addrxlat-sweep.c ----
sweep=''
if ! test -f "$SHARED/tools/addrxlat-sweep.c"; then
	note "addrxlat: no $SHARED/tools/addrxlat-sweep.c: pgtctl's rates only"
elif ! test -f /usr/include/libkdumpfile/addrxlat.h; then
	note "addrxlat: libkdumpfile-dev is not installed (no libkdumpfile/addrxlat.h): pgtctl's rates only"
else
	# shellcheck disable=SC2086 # CC and CFLAGS may hold several words
	if ${CC:-cc} ${CFLAGS:--O2} -o "$tmp/sweep" "$SHARED/tools/addrxlat-sweep.c" \
		-lkdumpfile -laddrxlat 2>"$tmp/cc.err"; then
		sweep=$tmp/sweep
	else
		note "addrxlat: cannot build addrxlat-sweep.c ($(head -n 1 "$tmp/cc.err")): pgtctl's rates only"
	fi
fi
# libkdumpfile cannot open the flattened layout: it sweeps a copy that
# makedumpfile -R reassembled into the standard layout (the same pages)
have_mdf=false
command -v makedumpfile >/dev/null 2>&1 && have_mdf=true

peak_rss=true
test -x /usr/bin/time || {
	peak_rss=false
	note "no /usr/bin/time: peak RSS not measured"
}

median() {	# numbers on stdin, one a line
	sort -g | awk '{ v[NR] = $1 } END {
		if (!NR) { print "-"; exit }
		print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# pgtctl_run FILE ROOT: sets p_pages p_rate p_open p_rss, or p_err and
# fails.  Medians of the runs; the largest peak RSS.
pgtctl_run() {
	: >"$tmp/p.rate"
	: >"$tmp/p.open"
	: >"$tmp/p.rss"
	p_err='' p_pages=- p_rate=- p_open=- p_rss=-
	i=0
	while test "$i" -lt "$runs"; do
		rc=0
		if $peak_rss; then
			/usr/bin/time -f '%M' -o "$tmp/p.time" "$PGTCTL" dump "$1" \
				--root "$2" --summary --format json --timing \
				>"$tmp/p.out" 2>"$tmp/p.err" || rc=$?
			tail -n 1 "$tmp/p.time" >>"$tmp/p.rss"
		else
			"$PGTCTL" dump "$1" --root "$2" --summary --format json \
				--timing >"$tmp/p.out" 2>"$tmp/p.err" || rc=$?
		fi
		if test "$rc" != 0; then
			p_err="pgtctl exit $rc: $(grep -v '^timing:' "$tmp/p.err" | head -n 1)"
			return 1
		fi
		# timing: open S s, walk S s, N pages, R pages/s
		t=$(sed -n 's/^timing: open \([0-9.e+-]*\) s, walk \([0-9.e+-]*\) s, \([0-9]*\) pages, \([0-9.e+-]*\) pages\/s.*/\1 \3 \4/p' \
			"$tmp/p.err")
		test -n "$t" || {
			p_err="no 'timing: open S s, walk S s, N pages, R pages/s' line on stderr"
			return 1
		}
		# shellcheck disable=SC2086 # four numbers
		set -- "$1" "$2" $t
		echo "$3" >>"$tmp/p.open"
		echo "$5" >>"$tmp/p.rate"
		p_pages=$4
		i=$((i + 1))
	done
	j=$(tr -d ' \n' <"$tmp/p.out" | sed -n 's/.*"pages":\([0-9]*\).*/\1/p')
	if test -z "$j"; then
		p_err="no \"pages\" in the JSON summary"
	elif test "$j" != "$p_pages"; then
		p_err="JSON pages $j != timing pages $p_pages"
	fi
	p_rate=$(median <"$tmp/p.rate")
	p_open=$(median <"$tmp/p.open")
	$peak_rss && p_rss=$(sort -n "$tmp/p.rss" | tail -n 1)
	return 0
}

# sweep_run FILE ARCH ROOT_PHYS RANGES (RANGES: "start end start end ..."):
# sets s_walks s_ok s_time (median over the runs of the summed walk time),
# or s_err and fails.  The time comes from the sweep's walks/s, which it
# computes at full precision (its seconds have three decimals).
sweep_run() {
	s_walks=- s_ok=- s_time=- s_err=''
	test -n "$sweep" || { s_err="not built"; return 1; }
	: >"$tmp/s.time"
	i=0
	while test "$i" -lt "$runs"; do
		: >"$tmp/s.parts"
		# shellcheck disable=SC2086 # the ranges are words
		set -- "$1" "$2" "$3" "$4" $4
		sf=$1 sa=$2 sr=$3
		shift 4
		while test $# -ge 2; do
			if ! "$sweep" "$sf" "$sa" "$1" "$2" "$sr" >"$tmp/s.out" 2>&1; then
				s_err=$(tail -n 1 "$tmp/s.out")
				return 1
			fi
			# walked N pages in T s = R walks/s (...); ok=K ...
			sed -n 's/^walked \([0-9]*\) pages in [0-9.]* s = \([0-9.]*\) walks\/s.* ok=\([0-9]*\) .*/\1 \2 \3/p' \
				"$tmp/s.out" >>"$tmp/s.parts"
			shift 2
		done
		awk '{ n += $1; t += $2 > 0 ? $1 / $2 : 0; ok += $3 }
			END { printf "%d %.9f %d\n", n, t, ok }' "$tmp/s.parts" >"$tmp/s.sum"
		read -r s_walks t s_ok <"$tmp/s.sum"
		echo "$t" >>"$tmp/s.time"
		set -- "$sf" "$sa" "$sr" "$ranges"
		i=$((i + 1))
	done
	s_time=$(median <"$tmp/s.time")
	return 0
}

rows=''
measured=0
# row LABEL FILE ROOT [SWEEP_FILE SWEEP_ARCH SWEEP_ROOT RANGES | REASON]
row() {
	label=$1 file=$2 root=$3
	if ! test -f "$file"; then
		note "$label: $file missing, skipped"
		return
	fi
	if ! pgtctl_run "$file" "$root"; then
		rows="$rows$label	$root	-	-	-	-	-	-	-	$p_err
"
		return
	fi
	measured=$((measured + 1))
	sw=- swp=- ratio=- agree=-
	if test $# -ge 7; then
		ranges=$7
		if sweep_run "$4" "$5" "$6" "$7"; then
			sw=$(awk -v n="$s_walks" -v t="$s_time" 'BEGIN { printf "%.0f", (t > 0 ? n / t : 0) }')
			swp=$(awk -v n="$p_pages" -v t="$s_time" 'BEGIN { printf "%.0f", (t > 0 ? n / t : 0) }')
			ratio=$(awk -v a="$p_rate" -v b="$swp" 'BEGIN { printf "%.1fx", (b > 0 ? a / b : 0) }')
			if test "$s_ok" = "$p_pages"; then
				agree="same pages"
			else
				agree="DIFFERENT: addrxlat ok=$s_ok"
			fi
		else
			agree="addrxlat failed: $s_err"
		fi
	elif test $# -ge 4; then
		agree="no addrxlat: $4"
	fi
	test -z "$p_err" || agree="$agree; $p_err"
	rows="$rows$label	$root	$p_pages	$(printf '%.0f' "$p_rate")	$sw	$swp	$ratio	$p_rss	$p_open	$agree
"
}

# The dense kdump walks again, zlib pages inflated by zlib and by
# libdeflate (PGTCTL_INFLATER), in the same run (issue 13).
inf_rows=''
have_libdeflate=false
"$PGTCTL" --version | grep -q 'inflated by libdeflate' && have_libdeflate=true
$have_libdeflate ||
	note "inflaters: this pgtctl was built without libdeflate (configure --with-libdeflate): zlib only"
inflaters() {	# LABEL FILE ROOT
	$have_libdeflate || return 0
	z=- l=- sp=-
	if PGTCTL_INFLATER=zlib pgtctl_run "$2" "$3" && test -z "$p_err"; then
		z=$(printf '%.0f' "$p_rate")
	fi
	if PGTCTL_INFLATER=libdeflate pgtctl_run "$2" "$3" && test -z "$p_err"; then
		l=$(printf '%.0f' "$p_rate")
	fi
	test "$z" != - && test "$l" != - &&
		sp=$(awk -v a="$l" -v b="$z" 'BEGIN { printf "%.2fx", (b > 0 ? a / b : 0) }')
	inf_rows="$inf_rows$1	$z	$l	$sp
"
}

# Sweep ranges of an s390x truth file: the 1 MiB segments that hold
# mappings, merged (the whole 4 TiB user space would be 1 G walks), in
# decimal (mawk has no 64-bit hex output; the sweep takes both).
segments() {	# FILE user|kernel
	awk -F '\t' -v kind="$2" '
	function hex(s,    i, n) {
		s = tolower(s); sub(/^0x/, "", s); n = 0
		for (i = 1; i <= length(s); i++)
			n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return n
	}
	/^#/ || $1 !~ /^0x/ { next }
	{
		a = int(hex($1) / 1048576)
		b = kind == "kernel" ? int((hex($2) - 1) / 1048576) : a
		for (s = a; s <= b; s++) seg[s] = 1
	}
	END {
		n = 0
		for (s in seg) v[++n] = s + 0
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
		out = ""
		for (i = 1; i <= n; i++) {
			if (i == 1 || v[i] != v[i - 1] + 1) {
				if (i > 1) out = out sprintf(" %.0f", (v[i - 1] + 1) * 1048576)
				out = out sprintf(" %.0f", v[i] * 1048576)
			}
		}
		if (n) out = out sprintf(" %.0f", (v[n] + 1) * 1048576)
		print substr(out, 2)
	}' "$1"
}

# a standard-layout copy of a flattened file for the sweep
reassemble() {	# FLAT OUT
	$have_mdf || return 1
	test -f "$2" && return 0
	makedumpfile -R "$2" <"$1" >/dev/null 2>&1
}

FULL="0 0x100000000"	# the whole 32-bit address space: 1 M walks
NOFLAT="cannot open flattened files and no makedumpfile -R to reassemble"

echo "# pgtctl dump: page-table walk rate against libaddrxlat (addrxlat-sweep.c), median of $runs runs"
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
echo "# host $(uname -r) ($(uname -m)); CPU ${cpu:-unknown}, $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?') online"
echo "# pgtctl: $PGTCTL"

# ---- pae-A1: QEMU's ELF (gzip'd) and QEMU's flattened kdump; CR3 ----
A1=$D/pae-A1
if test -f "$A1/A1.elf.gz"; then
	gzip -dc "$A1/A1.elf.gz" >"$tmp/A1.elf" || die "cannot gunzip $A1/A1.elf.gz"
	row pae-A1/A1.elf "$tmp/A1.elf" 0x022022e0 "$tmp/A1.elf" ia32 0x022022e0 "$FULL"
	rm -f "$tmp/A1.elf"
else
	note "pae-A1/A1.elf.gz missing, skipped"
fi
f=$A1/A1.kdump-zlib.flat
if reassemble "$f" "$tmp/A1.kdump"; then
	row pae-A1/A1.kdump-zlib.flat "$f" 0x022022e0 "$tmp/A1.kdump" ia32 0x022022e0 "$FULL"
else
	row pae-A1/A1.kdump-zlib.flat "$f" 0x022022e0 "$NOFLAT"
fi
rm -f "$tmp/A1.kdump"

# ---- s390x-A1: makedumpfile's and QEMU's kdump; user and kernel ASCE ----
S=$D/s390x-A1
if test -f "$S/truth-A1.tsv" && test -f "$S/truth-A1-kernel.tsv"; then
	user_r=$(segments "$S/truth-A1.tsv" user)
	kern_r=$(segments "$S/truth-A1-kernel.tsv" kernel)
	# the sweep takes the table origin, pgtctl the ASCE
	row s390x-A1/A1.mdf.kdump "$S/A1.mdf.kdump" 0x26941c7 "$S/A1.mdf.kdump" - 0x2694000 "$user_r"
	row s390x-A1/A1.mdf.kdump "$S/A1.mdf.kdump" 0x1290007 "$S/A1.mdf.kdump" - 0x1290000 "$kern_r"
	f=$S/A1.kdump.flat
	if reassemble "$f" "$tmp/S.kdump"; then
		# no VMCOREINFO and an empty arch field: name the arch
		row s390x-A1/A1.kdump.flat "$f" 0x26941c7 "$tmp/S.kdump" s390x 0x2694000 "$user_r"
		row s390x-A1/A1.kdump.flat "$f" 0x1290007 "$tmp/S.kdump" s390x 0x1290000 "$kern_r"
	else
		row s390x-A1/A1.kdump.flat "$f" 0x26941c7 "$NOFLAT"
		row s390x-A1/A1.kdump.flat "$f" 0x1290007 "$NOFLAT"
	fi
	rm -f "$tmp/S.kdump"
else
	note "s390x-A1 truth files missing: s390x skipped"
fi

# ---- pae-K1: the kernel's ELF32 vmcore and makedumpfile -c -d 31; the
# kernel root from VMCOREINFO and the five processes' pgds ----
K=$D/pae-K1
if test -f "$K/K1-tasks.tsv"; then
	roots="0x0be98000 kernel"
	roots="$roots $(awk -F '\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["pgd_pa"] ~ /^0x/ { printf "%s pid%s-%s ", $c["pgd_pa"], $c["pid"], $c["comm"] }' "$K/K1-tasks.tsv")"
	have_elf=false
	if test -f "$K/K1-vmcore.elf.gz" && gzip -dc "$K/K1-vmcore.elf.gz" >"$tmp/K1.elf"; then
		have_elf=true
	else
		note "pae-K1/K1-vmcore.elf.gz missing or unreadable, skipped"
	fi
	# shellcheck disable=SC2086 # pairs of words
	set -- $roots
	while test $# -ge 2; do
		$have_elf && row "pae-K1/K1-vmcore.elf ($2)" "$tmp/K1.elf" "$1" "$tmp/K1.elf" ia32 "$1" "$FULL"
		row "pae-K1/K1-vmcore-c-d31.kdump ($2)" "$K/K1-vmcore-c-d31.kdump" "$1" \
			"$K/K1-vmcore-c-d31.kdump" ia32 "$1" "$FULL"
		shift 2
	done
	rm -f "$tmp/K1.elf"
else
	note "pae-K1 missing: skipped"
fi

# ---- a synthetic PAE dump: 4 GiB mapped (1 M present 4 KiB pages) ----
gen=$top/tests/tools/gen-synth-dump.py
if ! command -v "$PYTHON" >/dev/null 2>&1; then
	note "synthetic dumps: no $PYTHON"
elif ! test -f "$gen"; then
	note "synthetic dumps: no $gen"
else
	for fmt in elf kdump; do
		out=$tmp/synth.$fmt
		if "$PYTHON" "$gen" --arch pae --format "$fmt" --pages "$synth_pages" \
			-o "$out" --print-expect >"$tmp/synth.expect" 2>"$tmp/gen.err"; then
			r=$(awk '$1 == "root_user" { print $2 }' "$tmp/synth.expect")
			row "synthetic PAE $synth_pages pages ($fmt)" "$out" "$r" "$out" ia32 "$r" "$FULL"
			test "$fmt" = kdump &&
				inflaters "synthetic PAE $synth_pages pages (kdump)" "$out" "$r"
		else
			note "synthetic $fmt: gen-synth-dump.py failed: $(tail -n 1 "$tmp/gen.err")"
		fi
		rm -f "$out"
	done
	# the same for s390x (the real s390x dumps hold few pages): swept
	# over the four 1 GiB runs the generator maps
	out=$tmp/synth-s390x.kdump
	if "$PYTHON" "$gen" --arch s390x --format kdump --pages "$synth_pages" \
		-o "$out" --print-expect >"$tmp/synth.expect" 2>"$tmp/gen.err"; then
		r=$(awk '$1 == "root_user" { print $2 }' "$tmp/synth.expect")
		ranges=$(awk '$1 == "user_va_range" { printf "%s %s ", $2, $3 }' "$tmp/synth.expect")
		row "synthetic s390x $synth_pages pages (kdump)" "$out" "$r" "$out" s390x \
			"$(printf '0x%x' $((r & ~0xfff)))" "$ranges"
		inflaters "synthetic s390x $synth_pages pages (kdump)" "$out" "$r"
	else
		note "synthetic s390x: gen-synth-dump.py failed: $(tail -n 1 "$tmp/gen.err")"
	fi
	rm -f "$out"
fi

# ---- x86-64 against PAE, per leaf (issue 12: within 2x) ----
# The same number of 4 KiB PTEs (BENCH_DUMP_PAGES, nearly all of the walk)
# in a synthetic PAE dump and a synthetic x86-64 4-level one
# (gen-x86-dump.py --bulk): leaves per second of walk time, medians.
# libaddrxlat is not run on the x86-64 dump: libkdumpfile's set-up wants
# kernel symbols the synthetic dump does not have (t3010 compares the
# translations with libaddrxlat through its own memory callback).
leaf_rate() {	# FILE ROOT -> "LEAVES RATE" (median leaves/s)
	: >"$tmp/l.rate"
	i=0
	while test "$i" -lt "$runs"; do
		"$PGTCTL" dump "$1" --root "$2" --summary --format json --timing \
			>"$tmp/l.out" 2>"$tmp/l.err" || return 1
		w=$(sed -n 's/^timing: open [0-9.e+-]* s, walk \([0-9.e+-]*\) s,.*/\1/p' "$tmp/l.err")
		n=$(tr -d ' \n' <"$tmp/l.out" | sed -n 's/.*"walk":{[^}]*"leaves":\([0-9]*\).*/\1/p')
		test -n "$w" && test -n "$n" || return 1
		awk -v n="$n" -v w="$w" 'BEGIN { printf "%.0f\n", (w > 0 ? n / w : 0) }' >>"$tmp/l.rate"
		i=$((i + 1))
	done
	echo "$n $(median <"$tmp/l.rate")"
}
x86gen=$top/tests/tools/gen-x86-dump.py
if command -v "$PYTHON" >/dev/null 2>&1 && test -f "$gen" && test -f "$x86gen"; then
	if "$PYTHON" "$gen" --arch pae --format elf --pages "$synth_pages" \
		-o "$tmp/lp.elf" --print-expect >"$tmp/synth.expect" 2>"$tmp/gen.err" &&
		"$PYTHON" "$x86gen" --mode 4 --bulk "$synth_pages" -o "$tmp/lx.elf" \
		2>>"$tmp/gen.err"; then
		r=$(awk '$1 == "root_user" { print $2 }' "$tmp/synth.expect")
		if pae=$(leaf_rate "$tmp/lp.elf" "$r") && x64=$(leaf_rate "$tmp/lx.elf" cpu0); then
			set -- $pae $x64
			x86_line=$(awk -v pn="$1" -v pr="$2" -v xn="$3" -v xr="$4" 'BEGIN {
				printf "# x86-64 walk rate per leaf: %.0f leaves/s (%d leaves), PAE %.0f leaves/s (%d leaves): x86-64/PAE = %.2f (issue 12: >= 0.5)",
					xr, xn, pr, pn, (pr > 0 ? xr / pr : 0) }')
		else
			note "x86-64 vs PAE: pgtctl failed on a synthetic dump"
		fi
	else
		note "x86-64 vs PAE: a generator failed: $(tail -n 1 "$tmp/gen.err")"
	fi
	rm -f "$tmp/lp.elf" "$tmp/lx.elf"
fi

# ---- report ----
echo
printf '%s' "$rows" | awk -F '\t' '
BEGIN {
	printf "%-44s %-10s %8s %14s %14s %14s %8s %9s %8s  %s\n", "file", "root",
		"present", "pgtctl_pg/s", "addrxlat_w/s", "addrxlat_pg/s",
		"ratio", "rss_kib", "open_s", "check"
}
{
	printf "%-44s %-10s %8s %14s %14s %14s %8s %9s %8s  %s\n", $1, $2, $3, $4,
		$5, $6, $7, $8, $9, $10
}'
cat <<EOF

# present: 4 KiB units mapped from the root (a 2 MiB page counts 512), as pgtctl
#   counts them; check: whether addrxlat translated exactly as many VAs.
# pgtctl_pg/s: present pages / walk time (pgtctl --timing; opening excluded).
# addrxlat_w/s: walks per second of the sweep, one per 4 KiB VA of the range
#   (absent ones included; PAE: all 4 GiB; s390x: the 1 MiB segments holding
#   mappings); addrxlat_pg/s: present pages / the sweep's time.
# ratio: pgtctl_pg/s / addrxlat_pg/s (issue 4: >= 10x).  rss_kib: pgtctl's
#   peak RSS; open_s: pgtctl's open time of the dump (ELF/kdump parsing).
EOF
if test -n "$inf_rows"; then
	echo
	echo "# dense kdump walks: zlib pages inflated by zlib and by libdeflate (PGTCTL_INFLATER), median of $runs runs each"
	printf '%s' "$inf_rows" | awk -F '\t' '
	BEGIN { printf "%-44s %14s %16s %8s\n", "file", "zlib_pg/s", "libdeflate_pg/s", "speedup" }
	{ printf "%-44s %14s %16s %8s\n", $1, $2, $3, $4 }'
fi
test -n "${x86_line:-}" && echo "$x86_line"
printf '%s' "$notes"
test "$measured" -gt 0
