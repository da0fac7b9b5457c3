#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sources are told by content (src/session/source.c): every command that
# reads a source, given every kind of file, either reads it or says in one
# line what the file is and which command reads it (exit 2):
#
#   file kind \ command   replay  convert  translate  dump
#   text trace            reads   reads    reads      "a text trace: use pgtctl replay"
#   CBOR trace            reads   reads    reads      "a CBOR trace: use pgtctl replay"
#   ELF dump              "use pgtctl dump"   reads   reads
#   kdump, flattened      "use pgtctl dump"   reads   reads
#   strace log            "an strace log: use pgtctl import strace"
#   gzip, xz, zstd ...    "decompress it first"
#   PNG, PDF ...          "neither a trace nor a memory dump"
#
# and a dump on a pipe: 'pgtctl dump -' copies standard input to $TMPDIR
# (said on stderr) and reads it like the file; a FIFO named as the dump is
# refused with a message, not "Illegal seek".

. "$top_srcdir/tests/lib/tap.sh"

W=$TAP_WORKDIR
gen=$top_srcdir/tests/tools/gen-synth-dump.py

# ---- the files ----
cp "$top_srcdir/traces/pae-fork.trace" "$W/text.trace"
"$PGTCTL" convert --to cbor "$W/text.trace" "$W/cbor.trace" ||
	tap_bail "cannot make a CBOR trace"
gzip -dc "$top_srcdir/tests/data/slices/pae-A1.elf.gz" >"$W/elf.dump" ||
	tap_bail "cannot decompress the pae-A1 slice"
for f in kdump flat; do
	python3 "$gen" --arch pae --format $f --pages 4096 --ram-frames 512 \
		-o "$W/$f.dump" 2>"$W/gen.err" ||
		tap_bail "gen-synth-dump.py --format $f failed: $(cat "$W/gen.err")"
done
cp "$top_srcdir/tests/data/strace/small-i386.strace" "$W/log.strace"
gzip -c "$W/text.trace" >"$W/trace.gz"
printf '\375''7zXZ\0rest' >"$W/x.xz"
printf '\050\265\057\375rest' >"$W/x.zst"
printf '\211PNG\r\n\032\nrest' >"$W/x.png"
printf '%%PDF-1.7\nrest' >"$W/x.pdf"

# run CMD FILE: stdout/stderr/status in $W/out $W/err $st
run()	# CMD FILE
{
	case $1 in
	translate) "$PGTCTL" translate "$2" 0x1000 >"$W/out" 2>"$W/err" ;;
	convert) "$PGTCTL" convert "$2" "$W/converted" >"$W/out" 2>"$W/err" ;;
	*) "$PGTCTL" "$1" "$2" >"$W/out" 2>"$W/err" ;;
	esac
	st=$?
}

reads()	# CMD FILE
{
	run "$1" "$W/$2"
	if grep -q " is .*: \(use\|decompress\|neither\)" "$W/err"; then
		tap_ok 1 "$1 $2: read, not refused as the wrong kind"
		tap_diag "$(cat "$W/err")"
	else
		tap_ok 0 "$1 $2: read, not refused as the wrong kind"
	fi
}

refuses()	# CMD FILE WHAT ADVICE
{
	run "$1" "$W/$2"
	tap_is "$st" 2 "$1 $2: exit 2"
	tap_is "$(cat "$W/err")" "pgtctl: $1: $W/$2 is $3: $4" \
		"$1 $2: says what the file is and what to do"
	tap_is "$(wc -c <"$W/out")" 0 "$1 $2: nothing on standard output"
}

for c in replay convert translate; do
	reads $c text.trace
	reads $c cbor.trace
done
reads translate elf.dump
reads translate kdump.dump
reads translate flat.dump
for d in elf kdump flat; do
	reads dump $d.dump
done

for c in replay convert; do
	refuses $c elf.dump "an ELF memory dump" "use pgtctl dump"
	refuses $c kdump.dump "a kdump-compressed memory dump" "use pgtctl dump"
	refuses $c flat.dump "a flattened kdump-compressed memory dump" "use pgtctl dump"
done
refuses dump text.trace "a text trace" "use pgtctl replay"
refuses dump cbor.trace "a CBOR trace" "use pgtctl replay"
for c in replay convert translate dump; do
	refuses $c log.strace "an strace log" "use pgtctl import strace"
	refuses $c trace.gz "a gzip-compressed file" "decompress it first (gunzip -k)"
	refuses $c x.xz "an xz-compressed file" "decompress it first (unxz -k)"
	refuses $c x.zst "a zstd-compressed file" "decompress it first (unzstd)"
	refuses $c x.png "a PNG image" "neither a trace nor a memory dump"
	refuses $c x.pdf "a PDF document" "neither a trace nor a memory dump"
done

# with --arch, any bytes are a raw image: no refusal by content
"$PGTCTL" dump --arch pae --root 0x1000 "$W/x.png" >"$W/out" 2>"$W/err"
tap_ok "! grep -q 'PNG image' '$W/err'" "dump --arch: a file is a raw image whatever its bytes"

# ---- a dump on a pipe ----
for d in elf flat; do
	"$PGTCTL" dump --summary "$W/$d.dump" >"$W/want" 2>/dev/null
	cat "$W/$d.dump" | TMPDIR=$W "$PGTCTL" dump --summary - >"$W/got" 2>"$W/err"
	tap_ok $? "dump - < pipe ($d): exit 0" || tap_diag "$(cat "$W/err")"
	sed 's/<stdin>/FILE/' "$W/got" >"$W/got.n"
	sed "s|$W/$d.dump|FILE|" "$W/want" >"$W/want.n"
	tap_cmp "$W/want.n" "$W/got.n" "dump - < pipe ($d): the same summary as the file"
	tap_ok "grep -q 'standard input ([0-9]* bytes) copied to an unlinked temporary file in $W' '$W/err'" \
		"dump - < pipe ($d): the copy to \$TMPDIR is said on stderr"
	tap_is "$(ls -A "$W" | grep -c '^pgtctl-stdin')" 0 "dump - < pipe ($d): no file left in \$TMPDIR"
done
"$PGTCTL" dump --summary - <"$W/elf.dump" >"$W/got" 2>"$W/err"
tap_ok $? "dump - < file: exit 0"
tap_is "$(cat "$W/err")" "" "dump - < file: read in place, nothing said"
cat "$W/elf.dump" | TMPDIR=$W/no-such-dir "$PGTCTL" dump - >/dev/null 2>"$W/err"
tap_is $? 2 "dump - with an unusable TMPDIR: exit 2"
tap_ok "grep -q 'TMPDIR' '$W/err'" "dump - with an unusable TMPDIR: the message names TMPDIR" ||
	tap_diag "$(cat "$W/err")"

mkfifo "$W/fifo"
"$PGTCTL" dump "$W/fifo" >"$W/out" 2>"$W/err"
tap_is $? 2 "a FIFO as the dump: exit 2"
tap_ok "grep -q 'read at random offsets.*standard input' '$W/err'" \
	"a FIFO as the dump: says why and what to do instead" || tap_diag "$(cat "$W/err")"
tap_ok "! grep -q 'Illegal seek' '$W/err'" "a FIFO as the dump: not 'Illegal seek'"

tap_done
