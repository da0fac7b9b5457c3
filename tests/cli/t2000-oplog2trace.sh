# SPDX-License-Identifier: GPL-3.0-or-later
#
# contrib/oplog2trace (installed as $(pkgdatadir)/oplog2trace) turns the
# console logs of the real dumps (../shared/dumps) into pgtctl traces: one
# operation per OP line, each mapped as expected; the committed traces/*-workload.trace are exactly what
# it produces from the logs; anything it does not understand makes it exit
# 2 with the log's line number.

. "${top_srcdir:-.}/tests/lib/tap.sh"

: "${PYTHON:=python3}"
command -v "$PYTHON" >/dev/null 2>&1 || tap_skip_all "$PYTHON not found"
tap_need_shared

conv=$top_srcdir/contrib/oplog2trace
w=$TAP_WORKDIR

# the operation lines of a trace: not comments, not the header lines
ops()
{
	sed -e 's/[[:space:]]*#.*//' -e '/^$/d' "$1" |
		grep -v -e '^pgtctl-trace ' -e '^arch ' -e '^set '
}

# the operation converted from line LINE of log LOGNAME, comment removed
op_at()	# TRACE LOGNAME LINE
{
	grep "# $2:$3 OP " "$1" | sed 's/[[:space:]]*#.*//'
}

# the non-comment lines up to the first operation
head_lines()
{
	sed -e 's/[[:space:]]*#.*//' -e '/^$/d' "$1" |
		awk '/^(pgtctl-trace|arch|set) / { printf "%s;", $0; next } { exit }'
}

# --- the two A1 logs -------------------------------------------------------

check_log()	# NAME LOG ARCH SETS...
{
	cl_name=$1 cl_log=$2 cl_arch=$3
	shift 3
	cl_sets=
	for cl_s; do
		cl_sets="$cl_sets --set $cl_s"
	done
	# shellcheck disable=SC2086
	"$PYTHON" "$conv" --arch "$cl_arch" $cl_sets "$cl_log" >"$w/$cl_name.trace" \
		2>"$w/$cl_name.err"
	tap_ok $? "$cl_name: converts" || tap_diag "$(cat "$w/$cl_name.err")"
	cl_oplines=$(tr -d '\r' <"$cl_log" | grep -c '^OP ')
	cl_noops=$(tr -d '\r' <"$cl_log" | grep -c -E '^OP (done|checkpoint_done)( |$)')
	tap_is "$(ops "$w/$cl_name.trace" | wc -l | tr -d ' ')" \
		"$((cl_oplines - cl_noops))" \
		"$cl_name: one operation per OP line ($cl_oplines OP lines, $cl_noops without memory effect)"
	cl_want="pgtctl-trace 1;arch $cl_arch;"
	for cl_s; do
		cl_want="${cl_want}set $cl_s;"
	done
	tap_is "$(head_lines "$w/$cl_name.trace")" "$cl_want" \
		"$cl_name: header, arch and set lines first"
	tap_is "$(ops "$w/$cl_name.trace" | grep -c -v -E \
		'^(alloc|advise|populate|protect|unmap|fork) ')" 0 \
		"$cl_name: only alloc, advise, populate, protect, unmap and fork"
	tap_is "$(grep -v '^#' "$w/$cl_name.trace" | grep -v -e '^pgtctl-trace ' \
		-e '^arch ' -e '^set ' | grep -c -v "# $(basename "$cl_log"):[0-9]* OP ")" 0 \
		"$cl_name: every operation names its log line"
}

pae=$SHARED/dumps/pae-A1/console-A1.log
s390=$SHARED/dumps/s390x-A1/A1-console.log
k1=$SHARED/dumps/pae-K1/console-K1.log

check_log pae-A1 "$pae" pae thp=madvise thp-zero-page=off
t=$w/pae-A1.trace
tap_is "$(op_at "$t" console-A1.log 394)" "alloc 0x10000000 0x40000 rw private anon" \
	"pae-A1: OP 1 mmap -> alloc"
tap_is "$(op_at "$t" console-A1.log 395)" "advise 0x10000000 0x40000 nohugepage" \
	"pae-A1: OP 2 madvise nohugepage -> advise"
tap_is "$(op_at "$t" console-A1.log 396)" "populate 0x10000000 0x40000 write" \
	"pae-A1: OP 3 touch stride=0x1000 write=1 -> populate write, no stride"
tap_is "$(op_at "$t" console-A1.log 397)" "protect 0x10010000 0x10000 r" \
	"pae-A1: OP 4 mprotect -> protect"
tap_is "$(op_at "$t" console-A1.log 398)" "unmap 0x10028000 0x8000" \
	"pae-A1: OP 5 munmap -> unmap"
tap_is "$(op_at "$t" console-A1.log 401)" "populate 0x20100000 0x400000 write stride=0x8000" \
	"pae-A1: OP 8 sparse touch keeps its stride"
tap_is "$(op_at "$t" console-A1.log 402)" "alloc 0x30000000 0x20000 none private anon" \
	"pae-A1: OP 9 mmap prot=none -> alloc none"
tap_is "$(op_at "$t" console-A1.log 407)" "populate 0x38000000 0x10000 read" \
	"pae-A1: OP 14 touch write=0 -> populate read"
tap_is "$(op_at "$t" console-A1.log 413)" "advise 0x60400000 0x200000 hugepage" \
	"pae-A1: OP 20 madvise hugepage -> advise hugepage"
tap_is "$(op_at "$t" console-A1.log 421)" "fork 2" \
	"pae-A1: OP 28 fork -> fork 2 (no mm switch after it)"
tap_is "$(grep -c '^mm ' "$t")" 0 "pae-A1: no mm line"
tap_is "$(op_at "$t" console-A1.log 425)" "populate 0xbf00f000 0x1000 write" \
	"pae-A1: OP 32 rewrite after the fork"
tap_is "$(grep -c 'console-A1.log:421 OP 28 fork note=cow' "$t")" 1 \
	"pae-A1: the comment quotes the OP number and note"

check_log s390x-A1 "$s390" s390x edat=off
t=$w/s390x-A1.trace
tap_is "$(op_at "$t" A1-console.log 17)" "alloc 0x7fe80000 0x400000 rw private anon" \
	"s390x-A1: the region crossing 2 GiB"
tap_is "$(op_at "$t" A1-console.log 19)" "populate 0x7fe80000 0x400000 write stride=0x8000" \
	"s390x-A1: sparse touch keeps its stride"
tap_is "$(op_at "$t" A1-console.log 28)" "advise 0x60000000 0x200000 hugepage" \
	"s390x-A1: madvise hugepage (rc=0) -> advise hugepage"
tap_is "$(op_at "$t" A1-console.log 30)" "alloc 0x58000000 0x4000 rw shared anon" \
	"s390x-A1: shared anonymous mmap -> alloc shared anon"
tap_is "$(op_at "$t" A1-console.log 32)" "fork 2" "s390x-A1: fork -> fork 2"
tap_is "$(op_at "$t" A1-console.log 36)" "populate 0x80000000 0x1000 write" \
	"s390x-A1: rewrite above 2 GiB after the fork"
tap_is "$(grep -c '^# A1-console.log:38 OP done (no memory operation)$' "$t")" 1 \
	"s390x-A1: OP done is a comment only"

# The K1 dump ran the same variant A: the same operations as A1.
if test -r "$k1"; then
	"$PYTHON" "$conv" --arch pae "$k1" >"$w/k1.trace" 2>"$w/k1.err"
	tap_ok $? "pae-K1: converts" || tap_diag "$(cat "$w/k1.err")"
	ops "$w/k1.trace" >"$w/k1.ops"
	ops "$w/pae-A1.trace" >"$w/a1.ops"
	tap_cmp "$w/a1.ops" "$w/k1.ops" "pae-K1: same operations as pae-A1 (variant A)"
else
	tap_skip "$k1 not found" "pae-K1: converts"
	tap_skip "$k1 not found" "pae-K1: same operations as pae-A1"
fi

# --- the committed traces are up to date ------------------------------------
# Each trace records the command that made it; run it again (into the work
# directory: only the -o line differs) and compare.

for name in pae-A1 s390x-A1; do
	trace=$top_srcdir/traces/$name-workload.trace
	cmd=$(awk '/^#   contrib\/oplog2trace/ { on = 1 }
		on { l = substr($0, 5); sub(/^ +/, "", l)
		     if (sub(/ \\$/, "", l)) printf "%s ", l; else { print l; exit } }' "$trace")
	if test -z "$cmd"; then
		tap_ok 1 "traces/$name-workload.trace: records its command"
		continue
	fi
	eval "set -- $cmd"
	shift
	for log; do :; done
	cp "$trace" "$w/regen.trace" && chmod u+w "$w/regen.trace"
	"$PYTHON" "$conv" "$@" -o "$w/regen.trace" 2>"$w/regen.err"
	tap_ok $? "traces/$name-workload.trace: its command runs" ||
		tap_diag "$(cat "$w/regen.err")"
	grep -v '^#     -o ' "$trace" >"$w/committed.cmp"
	grep -v '^#     -o ' "$w/regen.trace" >"$w/regen.cmp"
	tap_cmp "$w/committed.cmp" "$w/regen.cmp" \
		"traces/$name-workload.trace: up to date with $(basename "$log")"
done

# --- errors: exit 2, with the log's line number -----------------------------

good='OP 1 mmap addr=0x10000000 len=0x40000 prot=rw flags=private|anon|fixed_noreplace result=0x10000000 note=R1'

expect_error()	# NAME LINE3 [WHAT]: a log whose 3rd line is LINE3
{
	printf 'boot noise\r\n%s\r\n%s\r\nREADY\r\n' "$good" "$2" >"$w/bad.log"
	rm -f "$w/bad.trace"
	"$PYTHON" "$conv" --arch pae -o "$w/bad.trace" "$w/bad.log" >"$w/bad.out" 2>"$w/bad.err"
	tap_is "$?" 2 "error, $1: exit status 2"
	tap_is "$(grep -c "bad.log:3: ${3:-}" "$w/bad.err")" 1 \
		"error, $1: the message names line 3" || tap_diag "$(cat "$w/bad.err")"
	tap_is "$(test -e "$w/bad.trace" || test -s "$w/bad.out"; echo $?)" 1 \
		"error, $1: no output"
}

expect_error "unknown OP kind" \
	'OP 2 mremap addr=0x10000000 len=0x1000 note=x' "unknown OP kind 'mremap'"
expect_error "unknown key" \
	'OP 2 touch addr=0x10000000 len=0x1000 stride=0x1000 write=1 repeat=2'
expect_error "failed madvise" \
	'OP 2 madvise addr=0x10000000 len=0x40000 advice=hugepage rc=-1 errno=22'
expect_error "unknown advice" \
	'OP 2 madvise addr=0x10000000 len=0x40000 advice=?'
expect_error "mmap not fixed" \
	'OP 2 mmap addr=0x20000000 len=0x1000 prot=rw flags=private|anon result=0x20000000'
expect_error "file mmap" \
	'OP 2 mmap addr=0x20000000 len=0x1000 prot=rw flags=private|fixed result=0x20000000'
expect_error "mmap result elsewhere" \
	'OP 2 mmap addr=0x20000000 len=0x1000 prot=rw flags=private|anon|fixed_noreplace result=0x30000000'
expect_error "bad prot" \
	'OP 2 mprotect addr=0x10000000 len=0x1000 prot=?'
expect_error "touch pages disagree" \
	'OP 2 touch addr=0x10000000 len=0x4000 stride=0x1000 write=1 pages=3'
expect_error "OP number skipped" \
	'OP 3 munmap addr=0x10000000 len=0x1000' "OP 3 out of sequence"
expect_error "OP line garbled by console output" \
	'[    5.123] random: crng init OP 2 munmap addr=0x10000000 len=0x1000'

tap_done
