#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# pgtctl convert and the CBOR form, end to end:
#  - every traces/*.trace: text -> CBOR -> text is the canonical text (the
#    input printed by `convert --to text`, comments dropped), CBOR -> text ->
#    CBOR is byte-identical, and replaying the trace and its CBOR form gives
#    the same pages, flushes and summary (and a committed traces/NAME.cbor,
#    if there is one, is what convert makes of NAME.trace);
#  - how OUT's form is chosen (--to, extension, the other form), '-' for
#    stdin and stdout, and that a failed conversion leaves no OUT, no
#    temporary file and an existing OUT untouched;
#  - the bad-CBOR corpus in tests/data/cbor-bad (README.md there): exit 2,
#    one message naming the position the README gives, fast and small.

. "$top_srcdir/tests/lib/tap.sh"

W=$TAP_WORKDIR
bad=$top_srcdir/tests/data/cbor-bad

# ---- round trips over traces/ ----

# the views compared between a trace and its CBOR form
views()	# TRACE OUT
{
	"$PGTCTL" replay --summary --pages --flushes --format tsv "$1" >"$2" 2>&1
	echo "exit $?" >>"$2"
}

for t in "$top_srcdir"/traces/*.trace; do
	n=$(basename "$t" .trace)
	"$PGTCTL" convert --to text "$t" "$W/$n.canon" 2>"$W/err"
	tap_ok $? "$n: canonical text" || tap_diag "$(cat "$W/err")"
	"$PGTCTL" convert "$t" "$W/$n.cbor" 2>"$W/err"
	tap_ok $? "$n: text -> CBOR" || tap_diag "$(cat "$W/err")"
	"$PGTCTL" convert "$W/$n.cbor" "$W/$n.back.trace" 2>"$W/err"
	tap_ok $? "$n: CBOR -> text" || tap_diag "$(cat "$W/err")"
	tap_cmp "$W/$n.canon" "$W/$n.back.trace" \
		"$n: text -> CBOR -> text equals the canonical text"
	"$PGTCTL" convert "$W/$n.back.trace" "$W/$n.again.cbor" 2>"$W/err"
	tap_cmp "$W/$n.cbor" "$W/$n.again.cbor" \
		"$n: CBOR -> text -> CBOR is byte-identical"
	views "$t" "$W/$n.views.text"
	views "$W/$n.cbor" "$W/$n.views.cbor"
	tap_cmp "$W/$n.views.text" "$W/$n.views.cbor" \
		"$n: replay of the trace and of its CBOR form agree"
	if test -f "$top_srcdir/traces/$n.cbor"; then
		tap_cmp "$top_srcdir/traces/$n.cbor" "$W/$n.cbor" \
			"$n: traces/$n.cbor is convert's output for $n.trace"
	fi
done

# the two real workloads, view by view, as the issue asks
for n in pae-A1-workload s390x-A1-workload; do
	t=$top_srcdir/traces/$n.trace
	"$PGTCTL" convert "$t" "$W/a1.cbor"
	"$PGTCTL" replay --pages --format tsv "$t" >"$W/a1.text.tsv"
	tap_ok $? "$n: replay --pages --format tsv of the text"
	"$PGTCTL" replay --pages --format tsv "$W/a1.cbor" >"$W/a1.cbor.tsv"
	tap_ok $? "$n: replay --pages --format tsv of the CBOR"
	tap_cmp "$W/a1.text.tsv" "$W/a1.cbor.tsv" "$n: the same pages from both forms"
	test "$(wc -l <"$W/a1.cbor.tsv")" -gt 10
	tap_ok $? "$n: pages were mapped at all"
done

# ---- choosing the form; stdin and stdout ----

t=$top_srcdir/traces/pae-fork.trace
"$PGTCTL" convert "$t" "$W/pf.cbor"
first=$(od -An -tx1 -N3 "$W/pf.cbor" | tr -d ' ')
tap_is "$first" d9d9f7 "an OUT.cbor gets CBOR (tag 55799 first)"
"$PGTCTL" convert "$W/pf.cbor" "$W/pf.out"
tap_is "$(head -n 1 "$W/pf.out")" "pgtctl-trace 1" "an OUT of no known extension from CBOR gets text"
"$PGTCTL" convert "$t" "$W/pf.out2"
first=$(od -An -tx1 -N3 "$W/pf.out2" | tr -d ' ')
tap_is "$first" d9d9f7 "an OUT of no known extension from text gets CBOR"
"$PGTCTL" convert --to text "$t" "$W/pf2.cbor"
tap_is "$(head -n 1 "$W/pf2.cbor")" "pgtctl-trace 1" "--to text wins over the .cbor extension"
"$PGTCTL" convert --to cbor "$W/pf.cbor" "$W/pf3.trace"
tap_cmp "$W/pf.cbor" "$W/pf3.trace" "--to cbor wins over the .trace extension (CBOR -> CBOR)"
"$PGTCTL" convert "$t" - >"$W/stdout.cbor"
tap_cmp "$W/pf.cbor" "$W/stdout.cbor" "OUT '-' is stdout, CBOR from text"
"$PGTCTL" convert - - <"$W/pf.cbor" >"$W/stdout.trace"
tap_cmp "$W/pf.out" "$W/stdout.trace" "IN '-' is stdin, text from CBOR"
"$PGTCTL" replay --pages --format tsv - <"$W/pf.cbor" >"$W/stdin.tsv"
"$PGTCTL" replay --pages --format tsv "$t" >"$W/file.tsv"
tap_cmp "$W/file.tsv" "$W/stdin.tsv" "replay reads CBOR from stdin"
mode=$(umask 022 && "$PGTCTL" convert "$t" "$W/mode.cbor" && stat -c %a "$W/mode.cbor")
tap_is "$mode" 644 "OUT gets the mode of a plain create (umask 022: 644)"

# ---- failures leave nothing behind ----

printf 'pgtctl-trace 1\narch pae\nexit\nbogus 1\n' >"$W/broken.trace"
mkdir "$W/outdir"
"$PGTCTL" convert "$W/broken.trace" "$W/outdir/x.cbor" 2>"$W/err"
tap_is "$?" 2 "a broken IN: exit 2"
tap_is "$(ls -A "$W/outdir")" "" "a broken IN: no OUT and no temporary file"
echo keep >"$W/outdir/x.cbor"
"$PGTCTL" convert "$W/broken.trace" "$W/outdir/x.cbor" 2>"$W/err"
tap_is "$(cat "$W/outdir/x.cbor")" keep "a broken IN: an existing OUT is untouched"
tap_is "$(ls -A "$W/outdir")" "x.cbor" "a broken IN: still no temporary file"
rm "$W/outdir/x.cbor"
"$PGTCTL" convert "$t" "$W/no-such-dir/x.cbor" 2>"$W/err"
tap_is "$?" 2 "OUT in a missing directory: exit 2"
grep -q "no-such-dir/x.cbor" "$W/err"
tap_ok $? "OUT in a missing directory: the message names OUT" ||
	tap_diag "$(cat "$W/err")"
mkdir "$W/outdir/dir.cbor"
"$PGTCTL" convert "$t" "$W/outdir/dir.cbor" 2>"$W/err"
tap_is "$?" 2 "OUT is a directory: exit 2"
tap_is "$(ls -A "$W/outdir")" "dir.cbor" "OUT is a directory: the temporary file is removed"

# ---- usage ----

"$PGTCTL" convert --to json "$t" "$W/x" 2>"$W/err"
tap_is "$?" 2 "--to json: exit 2"
grep -q "expected text or cbor" "$W/err"
tap_ok $? "--to json: says what was expected"
"$PGTCTL" convert "$t" 2>"$W/err"
tap_is "$?" 2 "one argument: exit 2"
"$PGTCTL" convert --help >"$W/out.help"
tap_ok $? "convert --help exits 0"
"$PGTCTL" --help | grep -q "convert"
tap_ok $? "pgtctl --help lists convert"

# ---- the bad-CBOR corpus ----

# README.md's table: | `FILE` | byte N / line N | what |
sed -n 's/^| `\([^`]*\)` | \([a-z]*\) \([0-9]*\) |.*/\1 \2 \3/p' "$bad/README.md" \
	>"$W/corpus"
ls "$bad" | grep -v -e '^README.md$' -e '^gen.py$' | sort >"$W/files"
cut -d ' ' -f 1 "$W/corpus" | sort >"$W/listed"
tap_cmp "$W/files" "$W/listed" "every corpus file is in README.md, and only those"

have_time=
test -x /usr/bin/time && /usr/bin/time -f %M true 2>/dev/null && have_time=1

# The address-space limit: a sanitizer build reserves terabytes of address
# space and cannot start under it (as t3100 finds out): without the limit,
# and without the time and memory figures, which are the sanitizer's then.
# (The sanitizer options emptied: the probe's failure is expected, not a
# report to log.)
tap_memory_limit 65536
limit=$tap_limit
if test "$limit" = unlimited; then
	have_time=
	no_time_why="pgtctl does not start under ulimit -v (a sanitizer build?)"
fi

while read -r f unit pos; do
	case $unit in
	byte) where="$bad/$f: byte $pos: " ;;
	*) where="$bad/$f:$pos: " ;;
	esac
	# at most 64 MiB of address space: a runaway allocation fails here
	(
		# shellcheck disable=SC3045
		ulimit -v "$limit" 2>/dev/null
		if test -n "$have_time"; then
			exec /usr/bin/time -o "$W/time" -f '%e %M' \
				timeout 10 "$PGTCTL" replay "$bad/$f"
		fi
		exec timeout 10 "$PGTCTL" replay "$bad/$f"
	) >"$W/out" 2>"$W/err"
	st=$?
	tap_is "$st" 2 "$f: replay exits 2"
	tap_is "$(wc -l <"$W/err" | tr -d ' ')" 1 "$f: one line on stderr"
	grep -F -q -- "$where" "$W/err" && grep -q expected "$W/err"
	tap_ok $? "$f: the message names $unit $pos and what was expected" ||
		tap_diag "stderr: $(cat "$W/err")"
	if test -n "$have_time"; then
		# GNU time puts "Command exited with non-zero status 2" first
		read -r secs kib <<EOF
$(tail -n 1 "$W/time")
EOF
		awk -v s="$secs" -v k="$kib" 'BEGIN {
			exit !(s ~ /^[0-9.]+$/ && k ~ /^[0-9]+$/ && s < 1.0 && k < 8192) }'
		tap_ok $? "$f: under 1 s and 8 MiB (took $secs s, $kib KiB)"
	fi
	# the bench's decoder-only reader stops with the replay's message
	"$PGTCTL" __read-trace "$bad/$f" >/dev/null 2>"$W/rerr"
	tap_is "$?" 2 "$f: __read-trace exits 2"
	sed 's/^pgtctl: replay: //' "$W/err" >"$W/err.want"
	sed 's/^pgtctl: __read-trace: //' "$W/rerr" >"$W/err.got"
	tap_cmp "$W/err.want" "$W/err.got" "$f: __read-trace says what replay says"
	"$PGTCTL" convert "$bad/$f" "$W/corpus-out.cbor" 2>"$W/err"
	tap_is "$?" 2 "$f: convert exits 2"
	test ! -e "$W/corpus-out.cbor"
	tap_ok $? "$f: convert leaves no OUT"
done <"$W/corpus"
test -n "$have_time" ||
	tap_skip "${no_time_why:-/usr/bin/time not found}" "time and memory per corpus file"

# __read-trace (the benchmarks' reader) counts the operations of both forms
"$PGTCTL" convert --to cbor "$top_srcdir/traces/large-generated.trace" "$W/lg.cbor" ||
	tap_bail "cannot convert large-generated.trace"
for f in "$top_srcdir/traces/large-generated.trace" "$W/lg.cbor"; do
	tap_ok "\"\$PGTCTL\" __read-trace '$f' | grep -q '^3000 operations, [0-9.]* s of CPU time\$'" \
		"__read-trace ${f##*/}: 3000 operations"
done

tap_done
