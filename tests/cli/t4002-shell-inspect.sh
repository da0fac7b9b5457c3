#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# pgtctl shell: the inspections beyond the views, checked against the
# command line (scripts on standard input, no terminal):
#   - diff N at position M prints what `pgtctl diff T@N T@M` prints, with
#     --format, --filter, --range, --mm-a/--mm-b and --explain, N before
#     or after M, and leaves the session at M;
#   - decode prints what `pgtctl decode --arch ARCH` prints, the arch of
#     the trace or dump by default, --level and --format as there;
#   - every walk view takes --format, --filter and --range as replay and
#     dump take them; summary and findings on a dump are dump's;
#   - ls collapses runs: each run line of a page table is exactly the
#     pages the pages view lists in its range (same frames in a row, same
#     flags), the lines cover every entry once, and ls -a lists every
#     entry; cd/ls/pwd work on a trace (the tables translate walks) and
#     a path cut by a move says so; on x86-64 ls, cd and pwd take and
#     show the kernel half's addresses sign-extended;
#   - a breakpoint stop shows the op and the events that hit it (those of
#     replay --events); break invariant on a clean trace never stops;
#   - Tab's candidates (__complete): mm ids of the state, the dump's
#     root names, the addresses typed and shown, levels of the arch;
#   - --timing prints one line per command.

. "$top_srcdir/tests/lib/tap.sh"

W=$TAP_WORKDIR
T=$top_srcdir/traces

# ---- diff N ----
for case in pae-fork.trace:2:5 pae-fork.trace:6:3 s390x-fork-exit.trace:4:9 \
	    pae-thp-cow.trace:1:4 s390x-mprotect-1cpu.trace:3:8; do
	name=${case%%:*}
	rest=${case#*:}
	n=${rest%%:*}
	m=${rest#*:}
	trace=$T/$name
	for opts in "" "--format tsv" "--format json --filter w" \
		    "--range 0x10000000+64K --format tsv"; do
		# shellcheck disable=SC2086
		"$PGTCTL" diff $opts "$trace@$n" "$trace@$m" >"$W/want" 2>&1
		printf 'goto %s\ndiff %s %s\nwhere\n' "$m" "$n" "$opts" |
			"$PGTCTL" shell "$trace" >"$W/got" 2>&1
		sed -n '2,$p' "$W/got" | sed '$d' >"$W/got.diff"
		tap_cmp "$W/want" "$W/got.diff" "$name: at $m, diff $n $opts is pgtctl diff @$n @$m"
		tap_is "$(tail -n 1 "$W/got" | cut -d' ' -f2)" "$m/$(sed -n '1s/^op [0-9]*\/\([0-9]*\) .*/\1/p' "$W/got")" \
			"$name: after diff $n the session is still at $m"
	done
done
trace=$T/s390x-fork-exit.trace
"$PGTCTL" diff --mm-a 1 --mm-b 2 --explain "$trace@8" "$trace@10" >"$W/want" 2>&1
printf 'goto 10\ndiff 8 --mm-a 1 --mm-b 2 --explain\n' |
	"$PGTCTL" shell "$trace" 2>&1 | sed 1d >"$W/got"
tap_cmp "$W/want" "$W/got" "diff --mm-a 1 --mm-b 2 --explain is pgtctl diff's"
printf 'goto 2\ndiff 99\n' | "$PGTCTL" shell "$trace" >/dev/null 2>"$W/err"
tap_is "$?:$(cat "$W/err")" "2:pgtctl: diff: bad position '99'; expected an operation count from 0 to 24; try 'help diff'" \
	"diff past the end: one line, status 2"

# ---- decode ----
for v in 0x1009067 0x0000000001e17067 0x30f5067; do
	"$PGTCTL" decode --arch pae "$v" >"$W/want"
	"$PGTCTL" shell -c "decode $v" "$T/pae-fork.trace" >"$W/got"
	tap_cmp "$W/want" "$W/got" "decode $v on a pae trace is decode --arch pae"
done
"$PGTCTL" decode --arch s390x --level pte --format tsv 0x10000000 0x2000 >"$W/want"
"$PGTCTL" shell -c "decode --level pte --format tsv 0x10000000 0x2000" \
	"$T/s390x-fork-exit.trace" >"$W/got"
tap_cmp "$W/want" "$W/got" "decode --level pte --format tsv on an s390x trace"
"$PGTCTL" decode --arch s390x --format json 0x10000000 >"$W/want"
"$PGTCTL" shell -c "decode --arch s390x --format json 0x10000000" \
	"$T/pae-fork.trace" >"$W/got"
tap_cmp "$W/want" "$W/got" "decode --arch names another paging format"

# ---- views: --format, --filter, --range as the command line ----
trace=$T/pae-thp-cow.trace
for view in tree ranges pages; do
	for opts in "--filter w" "--range 0x10000000+2M --format tsv" \
		    "--filter '!w' --format json" "--range 0x10200000-0x10400000 --filter d"; do
		eval "\"\$PGTCTL\" replay --until 3 --$view $opts \"\$trace\"" >"$W/want" 2>&1
		printf 'goto 3\n%s %s\n' "$view" "$opts" | tr -d "'" |
			"$PGTCTL" shell "$trace" 2>&1 | sed 1d >"$W/got"
		tap_cmp "$W/want" "$W/got" "trace: $view $opts is replay --$view $opts"
	done
done
gunzip -c "$top_srcdir/tests/data/slices/pae-A1.elf.gz" >"$W/pae.elf"
gunzip -c "$top_srcdir/tests/data/slices/s390x-A1.elf.gz" >"$W/s390x.elf"
for view in tree ranges pages summary findings; do
	opts="--range 0x8000000+16M --filter x --format tsv"
	# shellcheck disable=SC2086
	"$PGTCTL" dump --$view $opts "$W/pae.elf" >"$W/want" 2>/dev/null
	"$PGTCTL" shell -c "$view $opts" "$W/pae.elf" >"$W/got" 2>/dev/null
	tap_cmp "$W/want" "$W/got" "dump: $view $opts is dump --$view $opts"
done
"$PGTCTL" dump --root kernel --summary "$W/s390x.elf" >"$W/want" 2>/dev/null
"$PGTCTL" shell -c "root kernel; summary" "$W/s390x.elf" 2>/dev/null | sed 1d >"$W/got"
tap_cmp "$W/want" "$W/got" "s390x dump: root kernel; summary is dump --root kernel --summary"

# ---- ls: runs collapsed, checked against the pages view ----
va=0x8048000
printf 'cd %s\ncd %s\nls\n' $va $va | "$PGTCTL" shell "$W/pae.elf" >"$W/ls"
printf 'cd %s\ncd %s\nls -a\n' $va $va | "$PGTCTL" shell "$W/pae.elf" >"$W/lsa"
tap_is "$(grep -vc '^#' "$W/lsa")" 512 "ls -a: one line per entry of the page table"
tap_is "$(tail -n 1 "$W/ls")" "$(tail -n 1 "$W/lsa")" "ls and ls -a count the same entries in use"
# every entry is on exactly one line of ls
awk -F'\t' '/^#/ { next }
	/^\[/ { r = $1; gsub(/[][]/, "", r); n = split(r, b, "-")
		for (i = b[1]; i <= b[n]; i++) print i; next }
	{ print $1 }' "$W/ls" >"$W/covered"
tap_is "$(sort -n "$W/covered" | uniq | wc -l | tr -d ' '):$(wc -l <"$W/covered" | tr -d ' ')" "512:512" \
	"ls: the lines cover each of the 512 entries once"
runs=$(grep -c '^\[[0-9]*-[0-9]*\]	0x' "$W/ls")
tap_ok "test '$runs' -ge 5" "ls collapses leaf runs ($runs run lines)"
grep -q '^\[0-71\]	empty$' "$W/ls"
tap_ok "test $? = 0" "ls collapses the empty entries before the first leaf: [0-71] empty"
# each run is the pages of its range: consecutive frames, one flag set
awk -F'\t' '/^\[[0-9]*-[0-9]*\]	0x/ { split($3, w, " "); split($4, p, "[ -]")
	printf "%s %s %s %s %s\n", $2, w[1], w[4], p[2], p[3] }' "$W/ls" >"$W/runs"
script=
while read -r start n flags pa paend; do
	script="${script}pages --format tsv --range $start+$((n * 4096))
"
done <"$W/runs"
printf '%s' "$script" | "$PGTCTL" shell "$W/pae.elf" >"$W/runpages"
bad=$(awk -F'\t' -v runs="$W/runs" '
	function hex(s,  i, v) { v = 0; s = tolower(s); sub(/^0x/, "", s)
		for (i = 1; i <= length(s); i++)
			v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return v }
	BEGIN { while ((getline l < runs) > 0) { k++; split(l, f, " ")
		va[k] = hex(f[1]); n[k] = f[2]; fl[k] = f[3]; pa[k] = hex(f[4])
		pe[k] = hex(f[5]) } }
	/^#/ { r++; i = 0; next }
	{ if ($4 != fl[r]) print "run " r ": flags " $4 ", ls says " fl[r]
	  if (hex($1) != va[r] + i * 4096 || hex($2) != pa[r] + i * 4096)
		print "run " r ": page " i " at " $1 " -> " $2
	  i++; got[r] = i }
	END { for (j = 1; j <= k; j++) {
		if (got[j] != n[j]) print "run " j ": " got[j] " pages, ls says " n[j]
		if (pe[j] != pa[j] + n[j] * 4096) print "run " j ": pa end" } }' "$W/runpages")
tap_is "$bad" "" "each ls run line is the pages the pages view lists in its range: consecutive frames from its pa, its flags"

# ls on a trace: cd VA follows the tables translate walks
trace=$T/pae-fork.trace
"$PGTCTL" translate --until 4 --format tsv "$trace" 0x10003000 >"$W/xl"
want=$(awk -F'\t' 'NR > 1 && $2 != "page" { printf "%s%s", sep, $3; sep = " " }' "$W/xl")
got=$(printf 'goto 4\ncd 0x10003000\ncd 0x10003000\npwd\n' | "$PGTCTL" shell "$trace" |
	sed -n '/^mm /p' | sed 's/\[[0-9]*\]//g' |
	awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^0x/ && $(i - 1) != "(va") printf "%s%s", (n++ ? " " : ""), $i }')
tap_is "$got" "$want" "trace: cd VA twice goes down the tables translate --until 4 walks"
raw=$(awk -F'\t' '$2 == "pte" { print $6 }' "$W/xl")
printf 'goto 4\ncd 0x10003000\ncd 0x10003000\nls -a\n' | "$PGTCTL" shell "$trace" >"$W/ls"
tap_ok "grep -q '^3	0x10003000	$raw	' '$W/ls'" "trace: ls -a shows the PTE translate reads"
printf 'goto 4\ncd 0x10003000\ncd 0x10003000\nls\n' | "$PGTCTL" shell "$trace" >"$W/ls"
tap_is "$(cat "$W/ls")" "$(printf 'op 4/7 populate 0x10000000 16K write (%s:40)\n[0-3]\t0x10000000\t4 x 4K rwuxad-\tpa 0x104d000-0x1051000\n[4-63]\t0x10004000\t60 x 4K r-uxad-\tpa 0x100d000-0x1049000\n[64-511]\tempty\n# PT at 0x1008000: 64 of 512 entries in use' "$trace")" \
	"trace: ls at op 4 (after the COW of 4 pages): the copied run, the shared run, the empty rest"
printf 'goto 4\ncd 0x10003000\ncd 0x10003000\ngoto 1\npwd\n' |
	"$PGTCTL" shell "$trace" >"$W/out" 2>"$W/err"
tap_ok "grep -q 'points to no table now: the path ends above it' '$W/err' && grep -q '^mm 1 / PDPT 0x[0-9a-f]*\[0\] / PD 0x[0-9a-f]* (va 0x0)$' '$W/out'" \
	"trace: a move that drops a table cuts the path there, with a note"

# ---- x86-64: the kernel half, sign-extended (tests/tools/gen-x86-dump.py) ----
: "${PYTHON:=python3}"
if command -v "$PYTHON" >/dev/null 2>&1 &&
   "$PYTHON" "$top_srcdir/tests/tools/gen-x86-dump.py" --mode 4 \
	-o "$W/x86.elf" --truth "$W/x86.truth"; then
	printf 'ls\ncd 0xffff888000000000\npwd\nls\n' |
		"$PGTCTL" shell "$W/x86.elf" >"$W/out" 2>"$W/err"
	tap_ok "grep -q '^273	0xffff888000000000	0x[0-9a-f]*	P RW A table=' '$W/out'" \
		"x86-64: ls shows the kernel half's PML4 entries sign-extended"
	tap_ok "grep -q '^root cpu0 / PML4 0x[0-9a-f]*\[273\] / PDPT 0x[0-9a-f]* (va 0xffff888000000000)$' '$W/out'" \
		"x86-64: cd 0xffff888000000000 goes down PML4 entry 273, pwd shows the VA sign-extended"
	tap_ok "grep -q '^\[0-3\]	0xffff888000000000	4 x 1G rw--adg	pa 0x0-0x100000000$' '$W/out'" \
		"x86-64: ls there is the direct map's four 1G leaves"
	tap_is "$(cat "$W/err")" "" "x86-64: no error on the way"
	"$PGTCTL" shell -c 'cd 0x888000000000' "$W/x86.elf" >/dev/null 2>"$W/err"
	tap_is "$?:$(cat "$W/err")" "2:pgtctl: cd: 0x888000000000 is neither an index (0-511) nor an address this PML4 maps; try 'help cd'" \
		"x86-64: a non-canonical address is refused"
else
	for i in 1 2 3 4 5; do
		tap_skip "$PYTHON or gen-x86-dump.py unavailable" "x86-64 shell check $i"
	done
fi

# ---- stops show the op and its events ----
"$PGTCTL" replay --events "$trace" | awk '/^op / { n = $2 } n == 4 && /flush invlpg/' >"$W/want"
printf 'break flush invlpg\ncontinue\n' | "$PGTCTL" shell "$trace" >"$W/out"
sed -n '/^stopped at op 4/,/^op 4\/7/p' "$W/out" | grep '^  flush invlpg' >"$W/got"
tap_cmp "$W/want" "$W/got" "a flush stop shows the flushes of the op, as replay --events"
tap_ok "grep -q '^op 4 mm 1: populate 0x10000000 16K write$' '$W/out'" "and the op"
printf 'break invariant\ninfo breaks\ncontinue\ninfo breaks\nbreak invariant\n' |
	"$PGTCTL" shell "$trace" >"$W/out" 2>"$W/err"
tap_is "$(cat "$W/out")" "$(printf 'breakpoint 1: invariant\n1\tinvariant\thits 0\nop 7/7 unmap 0x10020000 128K (%s:43)\n1\tinvariant\thits 0' "$trace")" \
	"break invariant on a clean trace: continue runs to the end, no stop"
tap_is "$(cat "$W/err")" "pgtctl: break: there is a breakpoint on the invariants already; try 'help break'" \
	"a second break invariant is refused"

# ---- completion candidates ----
trace=$T/s390x-fork-exit.trace
got=$(printf 'goto 8\n__complete mm ""\n' | "$PGTCTL" shell "$trace" | sed 1d | tr '\n' ' ')
want=$("$PGTCTL" replay --until 8 --summary --format tsv "$trace" | awk -F'\t' 'NR > 1 { printf "%s ", $1 }')
tap_is "$got" "$want" "mm completes the ids of the state's mms"
got=$(printf 'goto 8\n__complete diff --mm-b ""\n' | "$PGTCTL" shell "$trace" | sed 1d | tr '\n' ' ')
tap_is "$got" "$want" "diff --mm-b completes them too"
got=$(printf 'translate 0x10000000\nwatch 0x20001000\nbreak addr 0x30000000+4K\n__complete translate ""\n__complete break addr 0x2\n__complete pages --range ""\n' |
	"$PGTCTL" shell "$trace" 2>/dev/null | grep -x '0x[0-9a-f]*' | tr '\n' ' ')
tap_is "$got" "0x30000000 0x20001000 0x10000000 0x20001000 0x30000000 0x20001000 0x10000000 " \
	"addresses typed complete a VA, break addr and --range, the newest first"
got=$(printf 'goto 4\n__complete translate ""\n' | "$PGTCTL" shell "$trace" | sed 1d | tr '\n' ' ')
tap_is "$got" "0x20000000 " "the address of the op a move shows completes"
got=$("$PGTCTL" shell -c '__complete decode --level ""' "$trace" | tr '\n' ' ')
tap_is "$got" "R1 pgd R2 p4d R3 pud SGT pmd PT pte " "decode --level completes the levels of the trace's arch"
got=$("$PGTCTL" shell -c '__complete decode --arch pae --level P' "$trace" | tr '\n' ' ')
tap_is "$got" "PDPT PD PT " "decode --arch pae --level completes pae's"
got=$("$PGTCTL" shell -c '__complete root ""' "$W/s390x.elf" | tr '\n' ' ')
want=$("$PGTCTL" dump --roots --format tsv "$W/s390x.elf" | awk -F'\t' 'NR > 1 { printf "%s ", $1 }')
tap_ok "case '$got' in '$want'*) true ;; *) false ;; esac" "root completes the dump's root names first ($got)"
got=$("$PGTCTL" shell -c '__complete break ""' "$trace" | tr '\n' ' ')
tap_is "$got" "op flush addr invariant " "break completes its kinds, invariant included"

# ---- --timing ----
"$PGTCTL" shell --timing -c 'goto 5; back 2; pages' "$T/pae-fork.trace" >/dev/null 2>"$W/err"
tap_is "$(cut -f1,2 "$W/err" | tr '\t\n' ': ')" "timing:goto timing:back timing:pages " \
	"--timing: one line per command on stderr"
tap_ok "! grep -v '	[0-9]*\.[0-9]\{6\}$' '$W/err'" "each with its seconds"

tap_done
