#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# pgtctl shell driven by scripts on standard input (no terminal: no
# prompt, one command a line).  Checked against the command line, which
# takes another path through the code (pgt_replay, no session, no
# checkpoint):
#   - on every trace in traces/, for several N and K, `goto N+K; back K`
#     and `goto N` show the pages TSV, summary, flushes and transitions
#     that `pgtctl replay --until N` shows; translate as `pgtctl
#     translate --until N`; the events of the op stepped to as the lines
#     of that op in `replay --events`;
#   - `break flush KIND` + `continue` stops exactly at the ops that
#     `replay --flushes` lists for that kind; `break op KIND` at the
#     operation lines of that kind in the trace text (counted by awk);
#     `break addr A+LEN` at the ops whose text range overlaps it or whose
#     entry events lie in it;
#     `watch VA` at the ops whose entry events in `replay --events` lie
#     on the walk of VA;
#   - an error is one line on stderr and the shell goes on; the exit
#     status is that of the last failing command; -c runs commands;
#     source FILE runs a file's;
#   - on a dump slice: roots, pages, tree, ranges as `pgtctl dump` shows
#     them; cd VA follows the tables `pgtctl translate` walks and ls shows
#     the entry it reads;
#   - help lists each command once, and the man page's SHELL section
#     has an entry for each.

. "$top_srcdir/tests/lib/tap.sh"

W=$TAP_WORKDIR
T=$top_srcdir/traces

# operations in a text trace: the lines that are not comments, the header,
# arch or set
nops()	# TRACE
{
	awk '{ sub(/#.*/, "") } NF && $1 != "pgtctl-trace" && $1 != "arch" &&
		$1 != "set" { n++ } END { print n + 0 }' "$1"
}

views_cli()	# TRACE N
{
	"$PGTCTL" replay --until "$2" --pages --format tsv "$1"
	"$PGTCTL" replay --until "$2" --summary "$1"
	"$PGTCTL" replay --until "$2" --flushes --format tsv "$1"
	"$PGTCTL" replay --until "$2" --transitions "$1"
}

views_script='pages --format tsv
summary
flushes --format tsv
transitions'

for trace in "$T"/*.trace; do
	name=${trace##*/}
	L=$(nops "$trace")
	for N in 1 $((L / 3)) $((L / 2)) $((L - 1)) "$L"; do
		test "$N" -ge 1 || continue
		K=$(( (L - N) / 2 + 1 ))
		test $((N + K)) -le "$L" || K=$((L - N))
		views_cli "$trace" "$N" >"$W/want" 2>/dev/null
		printf 'goto %s\nback %s\n%s\n' $((N + K)) "$K" "$views_script" |
			"$PGTCTL" shell "$trace" 2>"$W/err" | grep -v '^op ' >"$W/got"
		tap_cmp "$W/want" "$W/got" "$name: goto $((N + K)); back $K shows what replay --until $N shows"
		printf 'goto %s\n%s\n' "$N" "$views_script" |
			"$PGTCTL" shell "$trace" 2>"$W/err" | grep -v '^op ' >"$W/got"
		tap_cmp "$W/want" "$W/got" "$name: goto $N shows what replay --until $N shows"
	done
done

# translate, and the events of the op stepped to
trace=$T/pae-fork.trace
"$PGTCTL" translate --until 4 --format json "$trace" 0x10000000 0x10040000 >"$W/want"
printf 'goto 4\ntranslate --format json 0x10000000 0x10040000\n' |
	"$PGTCTL" shell "$trace" | grep -v '^op ' >"$W/got"
tap_cmp "$W/want" "$W/got" "translate after goto 4 is translate --until 4"
"$PGTCTL" replay --until 4 --events --format tsv "$trace" |
	awk 'NR == 1 || $1 == 4' >"$W/want"
printf 'goto 3\nstep\nevents --format tsv\n' | "$PGTCTL" shell "$trace" |
	grep -v '^op ' >"$W/got"
tap_cmp "$W/want" "$W/got" "events after step are that op's lines of replay --events"

# breakpoints on flush kinds: the ops replay --flushes lists for the kind
for case in pae-fork.trace:invlpg pae-mprotect-ceiling.trace:flush-all \
	    s390x-mprotect-1cpu.trace:ipte s390x-fork-exit.trace:idte; do
	trace=$T/${case%%:*}
	kind=${case#*:}
	"$PGTCTL" replay --flushes --format tsv "$trace" |
		awk -v k="$kind" '$2 == k { print $1 }' | sort -un >"$W/want"
	test -s "$W/want" || tap_diag "$case: no $kind flush in the trace"
	{
		echo "break flush $kind"
		i=0
		while test $i -le "$(wc -l <"$W/want")"; do
			echo continue
			i=$((i + 1))
		done
	} | "$PGTCTL" shell "$trace" 2>&1 |
		sed -n 's/^stopped at op \([0-9]*\): .*/\1/p' >"$W/got"
	tap_cmp "$W/want" "$W/got" "${case%%:*}: break flush $kind stops at the ops replay --flushes lists"
done

# breakpoints on op kinds: the op lines of that kind, counted in the text
trace=$T/s390x-fork-exit.trace
awk '{ sub(/#.*/, "") } NF && $1 != "pgtctl-trace" && $1 != "arch" &&
	$1 != "set" { n++; if ($1 == "fork" || $1 == "exit") print n }' \
	"$trace" >"$W/want"
{ echo "break op fork"; echo "break op exit"; for i in 1 2 3 4 5 6 7 8; do echo continue; done; } |
	"$PGTCTL" shell "$trace" 2>&1 |
	sed -n 's/^stopped at op \([0-9]*\): .*/\1/p' >"$W/got"
tap_cmp "$W/want" "$W/got" "break op fork, break op exit stop at the fork and exit lines"
printf 'break op fork\ninfo breaks\ndelete 1\ninfo breaks\n' |
	"$PGTCTL" shell "$trace" >"$W/got"
printf 'breakpoint 1: op fork\n1\top fork\thits 0\nno breakpoints\n' >"$W/want"
tap_cmp "$W/want" "$W/got" "info breaks and delete"

# watch VA: the ops with an entry event of mm 1 (or the kernel's) on the
# walk of VA in replay --events (pgd 0x0, pmd 0x10000000, pte 0x10003000
# on pae), set-up (op 0) aside
trace=$T/pae-fork.trace
"$PGTCTL" replay --events --format tsv "$trace" | awk -F'\t' '$3 == "entry" &&
	$1 > 0 && ($2 == 1 || $2 == 0) && (($4 == "pgd" && $5 == "0x0") ||
	($4 == "pmd" && $5 == "0x10000000") ||
	($4 == "pte" && $5 == "0x10003000")) { print $1 }' | uniq >"$W/want"
{ echo "watch 0x10003000"; for i in 1 2 3 4 5 6 7 8; do echo continue; done; } |
	"$PGTCTL" shell "$trace" 2>&1 |
	sed -n 's/^stopped at op \([0-9]*\): .*/\1/p' >"$W/got"
tap_cmp "$W/want" "$W/got" "watch 0x10003000 stops at the ops whose events touch its walk"

# break addr A+LEN: the ops whose range in the text overlaps it, and the
# ops with an entry event inside it in replay --events (any POSIX awk:
# hex by hand)
trace=$T/pae-fork.trace
lo=268566528	# 0x10020000
hexfn='function hex(s,  i, v) { v = 0; s = tolower(s); sub(/^0x/, "", s)
	for (i = 1; i <= length(s); i++)
		v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
	return v }
function num(s,  m) { m = 1
	if (s ~ /K$/) m = 1024; else if (s ~ /M$/) m = 1048576
	else if (s ~ /G$/) m = 1073741824
	sub(/[KMG]$/, "", s)
	return (s ~ /^0x/ ? hex(s) : s + 0) * m }'
{
	awk -v lo=$lo "$hexfn"'
	{ sub(/#.*/, "") } NF && $1 != "pgtctl-trace" && $1 != "arch" &&
	$1 != "set" { n++
		if ($2 ~ /^0x/ && NF >= 3) { a = num($2); e = a + num($3)
			if (a < lo + 4096 && lo < e) print n } }' "$trace"
	"$PGTCTL" replay --events --format tsv "$trace" | awk -F'\t' -v lo=$lo "$hexfn"'
		$3 == "entry" && $1 > 0 && hex($5) >= lo && hex($5) < lo + 4096 { print $1 }'
} | sort -un >"$W/want"
{ echo "break addr 0x10020000+4K"; for i in 1 2 3 4 5 6 7 8; do echo continue; done; } |
	"$PGTCTL" shell "$trace" 2>&1 |
	sed -n 's/^stopped at op \([0-9]*\): .*/\1/p' >"$W/got"
tap_cmp "$W/want" "$W/got" "break addr 0x10020000+4K stops at the ops on that range (text and events)"

# errors: one line each, the shell goes on, the last failure is the status
trace=$T/pae-fork.trace
printf 'bogus\ngoto 999\nstep --nope\nbreak op nothing\nwhere\n' |
	"$PGTCTL" shell "$trace" >"$W/out" 2>"$W/err"
tap_is "$?" 2 "a script with failing commands exits 2"
tap_is "$(wc -l <"$W/err" | tr -d ' ')" 4 "four errors, four lines on stderr"
tap_ok "grep -q \"^pgtctl: unknown command 'bogus'\" '$W/err'" "an unknown command is named"
tap_ok "grep -q '^pgtctl: goto: position 999 is past the end' '$W/err'" "goto past the end says so"
tap_is "$(cat "$W/out")" "op 0/7 (before the first operation)" \
	"the shell went on after the errors (where ran, the failed goto did not move)"
printf 'step\nquit\nstep\n' | "$PGTCTL" shell "$trace" >"$W/out"
tap_is "$?:$(wc -l <"$W/out" | tr -d ' ')" "0:1" "quit ends the script, status 0"
"$PGTCTL" shell -c 'goto 2; where' "$trace" >"$W/out"
tap_is "$(cat "$W/out")" "$(printf 'op 2/7 populate 0x10000000 256K write (%s:38)\nop 2/7 populate 0x10000000 256K write (%s:38)' "$trace" "$trace")" \
	"-c runs the commands separated by ';'"
printf 'goto 2\nwhere\n' >"$W/script"
printf 'source %s\nsource %s/none\n' "$W/script" "$W" | "$PGTCTL" shell "$trace" >"$W/out" 2>"$W/err"
tap_is "$?:$(cat "$W/out"):$(cat "$W/err")" "2:$(printf 'op 2/7 populate 0x10000000 256K write (%s:38)\nop 2/7 populate 0x10000000 256K write (%s:38)' "$trace" "$trace"):pgtctl: source: $W/none: No such file or directory" \
	"source FILE runs its commands; a missing file is one line"
printf 'source %s/self\n' "$W" >"$W/self"
printf 'source %s/self\n' "$W" | "$PGTCTL" shell "$trace" >"$W/out" 2>"$W/err"
tap_is "$?:$(wc -l <"$W/err" | tr -d ' ')" "2:1" "a file that sources itself stops, with one message"
printf 'info session\n' | "$PGTCTL" shell "$trace" >"$W/out"
tap_ok "grep -q '^checkpoint_bytes	[1-9]' '$W/out'" "info session reports the checkpoint memory"

# a dump (a table-only slice of a real one): the views are those of
# pgtctl dump; cd follows the entries translate walks; ls lists the
# entry translate reads; trace commands say they need a trace
for arch in pae s390x; do
	gunzip -c "$top_srcdir/tests/data/slices/$arch-A1.elf.gz" >"$W/$arch.elf"
	{
		"$PGTCTL" dump --roots "$W/$arch.elf"
		"$PGTCTL" dump --pages --format tsv "$W/$arch.elf"
		"$PGTCTL" dump --tree "$W/$arch.elf"
		"$PGTCTL" dump --root kernel --ranges --format json "$W/$arch.elf"
	} >"$W/want" 2>/dev/null
	printf 'roots
pages --format tsv
tree
root kernel
ranges --format json
' |
		"$PGTCTL" shell "$W/$arch.elf" 2>/dev/null | grep -v '^root ' >"$W/got"
	tap_cmp "$W/want" "$W/got" "$arch dump: roots, pages, tree, root kernel + ranges as pgtctl dump shows them"
done
va=0x8048000
"$PGTCTL" translate --format tsv "$W/pae.elf" $va >"$W/xl"
want=$(awk -F'\t' 'NR > 1 && $2 != "page" { printf "%s%s", sep, $3; sep = " " }' "$W/xl")
got=$(printf 'cd %s\ncd %s\npwd\n' $va $va | "$PGTCTL" shell "$W/pae.elf" |
	sed 's/\[[0-9]*\]//g' | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^0x/ && $(i - 1) != "(va") printf "%s%s", (n++ ? " " : ""), $i }')
tap_is "$got" "$want" "pae dump: cd VA twice goes down the tables translate walks"
raw=$(awk -F'\t' '$2 == "pte" { print $6 }' "$W/xl")
printf 'cd %s\ncd %s\nls -a\n' $va $va | "$PGTCTL" shell "$W/pae.elf" >"$W/ls"
tap_ok "grep -q '^72	$va	$raw	' '$W/ls'" "ls -a shows the PTE translate reads, at its index"
printf 'step\nls\n' | "$PGTCTL" shell "$W/pae.elf" >"$W/out" 2>"$W/err"
tap_is "$?:$(cat "$W/err")" "2:pgtctl: step: works on a trace; $W/pae.elf is a memory dump" \
	"a trace command on a dump: one line, the shell goes on"

# help and the man page
printf 'help\n' | "$PGTCTL" shell "$trace" |
	awk '/^  [a-z]/ { print $1 }' >"$W/cmds"
tap_ok "test \$(wc -l <'$W/cmds') -ge 20 && grep -qx step '$W/cmds' && ! grep -qx roots '$W/cmds'" \
	"help on a trace lists the trace's commands"
printf 'help\n' | "$PGTCTL" shell "$W/pae.elf" |
	awk '/^  [a-z]/ { print $1 }' >"$W/dcmds"
tap_ok "grep -qx roots '$W/dcmds' && grep -qx ls '$W/dcmds' && ! grep -qx step '$W/dcmds'" \
	"help on a dump lists the dump's commands"
sort -u "$W/dcmds" "$W/cmds" -o "$W/cmds"
missing=
while read -r c; do
	sed -n '/^\.Sh SHELL/,/^\.Sh /p' "$top_srcdir/man/pgtctl.1" |
		grep -q "^\.It .*Cm $c\( \|$\)" || missing="$missing $c"
done <"$W/cmds"
tap_is "$missing" "" "the man page's SHELL section has an entry for every shell command"

tap_done
