#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# replay --save-tables: the replayed state as an ELF vmcore, for every
# shipped text trace (traces/*.trace):
#   - pgtctl dump finds one root per live mm, cpuK carrying the K-th live
#     mm with pr_pid = its id, and the root the replay used (the file's
#     VMCOREINFO PGTCTL_MM lines and the replay's summary give the mms);
#     its overview names the trace and position instead of a kernel;
#   - pgtctl diff of the replay (--mm-a ID) against the file at that root
#     (every live mm; the first three and the last of large-generated's):
#     no difference, with physical addresses compared (the file names the
#     trace's digest and position);
#   - libaddrxlat (libkdumpfile, an independent walker: tests/tools/
#     kdump-xlat, built when configure finds it) translates every page of
#     replay --pages of every live mm to the same frame, finds the
#     PROT_NONE ones not present, and an address no leaf covers not
#     present;
# then standard output, --until and the error cases (31-bit s390 needs an
# ELF32 core; a state where every mm exited; a view with --save-tables -).

. "${top_srcdir:-.}/tests/lib/tap.sh"

w=$TAP_WORKDIR
xlat=$abs_top_builddir/tests/tools/kdump-xlat
test -x "$xlat" || xlat=

# the live mms of a replay, one id a line
live_mms()	# TRACE
{
	"$PGTCTL" replay "$1" --summary --format tsv |
		awk -F '\t' '$2 == "live" { print $1 }'
}

# VMCOREINFO value KEY of a vmcore written by --save-tables (a line of
# its own in the note)
vmcoreinfo()	# FILE KEY
{
	grep -a -m 1 -F "$2=" "$1" | sed 's/^[^=]*=//'
}

# the VAs of replay --pages (and address 0 when no leaf covers it) in
# VAS, and "va pa" (or "va -" for PROT_NONE, and for 0) as libaddrxlat
# should answer them in PAGES.TSV.want
expected_xlat()	# PAGES.TSV VAS
{
	: >"$2"
	awk -F '\t' -v vas="$2" '
		function hole() { print "0x00000000" >vas; print "0x00000000 -" }
		/^#/ { next }
		!n++ && $1 != "0x00000000" { hole() }
		{ print $1 >vas; print $1, ($4 ~ /^r/ ? $2 : "-") }
		END { if (!n) hole() }' "$1" >"$1.want"
}

for trace in "$top_srcdir"/traces/*.trace; do
	name=$(basename "$trace" .trace)
	out=$w/$name.elf
	"$PGTCTL" replay "$trace" --save-tables "$out" >"$w/out" 2>"$w/err"
	rc=$?
	arch=$(sed -n 's/^arch[[:space:]]*\([a-z0-9]*\).*/\1/p' "$trace" | head -n 1)
	if test "$arch" = s390; then
		tap_is "$rc:$(grep -c 'only ELF64 vmcores are written' "$w/err")" "2:1" \
			"$name: a 31-bit s390 state is refused (an ELF32 core), exit 2" ||
			tap_diag "$(cat "$w/err")"
		continue
	fi
	if grep -q 'every mm has exited' "$w/err"; then
		tap_is "$rc" 2 "$name: every mm exited: nothing to save, exit 2"
		continue
	fi
	tap_is "$rc:$(cat "$w/out")" "0:" "$name: --save-tables alone writes no view, exit 0" ||
		{ tap_diag "$(cat "$w/err")"; continue; }
	mms=$(live_mms "$trace")
	"$PGTCTL" dump "$out" --roots --format tsv >"$w/roots" 2>"$w/err"
	tap_is "$(grep -c '^cpu' "$w/roots")" "$(echo "$mms" | wc -l | tr -d ' ')" \
		"$name: dump finds one CPU root per live mm" ||
		tap_diag "$(cat "$w/roots" "$w/err")"
	"$PGTCTL" dump "$out" >"$w/overview" 2>&1
	tap_is "$(sed -n 's/^kernel:  //p' "$w/overview")" \
		"none: pgtctl replay --save-tables of $trace after $(vmcoreinfo "$out" PGTCTL_REPLAY_POSITION) operations (VMCOREINFO)" \
		"$name: the overview says the state is a replay's, of which trace, how far"
	pids=$(sed -n 's/^cpus: *[0-9]*: //p' "$w/overview" |
		tr ',' '\n' | sed -n 's/.*cpu[0-9]* pid \([0-9]*\).*/\1/p')
	# the overview names the first 16 CPUs
	tap_is "$(echo $pids)" "$(echo $(echo "$mms" | head -n 16))" \
		"$name: the CPUs' pr_pid are the mm ids, in order"
	# every live mm; of a trace with many (large-generated), the first
	# three and the last, to stay within the test's time
	k=0
	n=$(echo "$mms" | wc -l | tr -d ' ')
	for id in $mms; do
		if test "$k" -ge 3 && test "$k" -lt $((n - 1)); then
			k=$((k + 1))
			continue
		fi
		root=$(vmcoreinfo "$out" "PGTCTL_MM($id)")
		tap_is "$(awk -F '\t' -v n="cpu$k" '$1 == n || $1 == n "-user" { print $2; exit }' "$w/roots")" \
			"$root" "$name: mm $id's root is cpu$k's"
		"$PGTCTL" diff "$trace" --mm-a "$id" "$out@$root" >"$w/diff" 2>&1
		tap_is "$?:$(tail -n 1 "$w/diff"):$(grep -c 'not compared' "$w/diff")" \
			"0:no differences:0" \
			"$name: mm $id against its saved tables: no difference, frames compared" ||
			tap_diag "$(cat "$w/diff")"
		if test -n "$xlat"; then
			"$PGTCTL" replay "$trace" --mm "$id" --pages --format tsv >"$w/pages"
			expected_xlat "$w/pages" "$w/vas"
			xarch=ia32
			test "$arch" = pae || xarch=$arch
			"$xlat" "$out" "$xarch" "$root" <"$w/vas" >"$w/got" 2>"$w/err"
			tap_is "$?" 0 "$name: mm $id: libaddrxlat opens and walks the file" ||
				tap_diag "$(cat "$w/err")"
			tap_cmp "$w/pages.want" "$w/got" \
				"$name: mm $id: libaddrxlat agrees with replay --pages page for page ($(wc -l <"$w/vas" | tr -d ' ') addresses)"
		else
			tap_skip "libkdumpfile not found at configure time (Debian libkdumpfile-dev)" \
				"$name: mm $id: libaddrxlat agrees with replay --pages"
		fi
		k=$((k + 1))
	done
done

# ---- standard output, --until ----

fork=$top_srcdir/traces/pae-fork.trace
"$PGTCTL" replay "$fork" --save-tables - >"$w/stdout.elf" 2>"$w/err"
tap_is "$?" 0 "--save-tables -: exit 0"
tap_cmp "$w/pae-fork.elf" "$w/stdout.elf" "--save-tables -: the same bytes as to a file"
"$PGTCTL" replay "$fork" --save-tables - --tree >/dev/null 2>"$w/err"
tap_is "$?:$(grep -c 'cannot be combined with a view' "$w/err")" "2:1" \
	"--save-tables - with a view: a usage error"
"$PGTCTL" replay "$fork" --until 3 --save-tables "$w/at3.elf" --summary >"$w/sum" 2>&1
tap_ok "grep -q 'after 3 operations' '$w/sum' && grep -q 'mm 2' '$w/sum'" \
	"--until 3 --summary: the summary too, the state after op 3 saved"
tap_is "$(vmcoreinfo "$w/at3.elf" PGTCTL_REPLAY_POSITION)" 3 "--until 3: VMCOREINFO names position 3"
"$PGTCTL" diff "$fork@3" "$w/at3.elf" >"$w/d3" 2>&1
tap_is "$?:$(grep -c 'not compared' "$w/d3")" "0:0" \
	"the state after op 3 against its file: equal, frames compared"
"$PGTCTL" diff "$fork" "$w/at3.elf" >"$w/dend" 2>&1
tap_is "$?:$(grep -c 'saved by replay --save-tables from another trace or position' "$w/dend")" \
	"1:1" "the end against the file of op 3: differs, and frames are not compared (another position)"
mkdir "$w/dir"
"$PGTCTL" replay "$fork" --save-tables "$w/dir" >/dev/null 2>"$w/err"
tap_is "$?:$(wc -l <"$w/err" | tr -d ' ')" "2:1" "a directory as the output: exit 2, one line"

tap_done
