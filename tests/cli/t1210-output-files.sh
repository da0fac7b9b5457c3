#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Output files never destroy data (src/lib/outfile.c), for each command
# that writes one: convert IN OUT, import strace -o OUT, dump
# --save-tables OUT.  For each kind of OUT the node, the link and the
# target are checked afterwards:
#  - '-': standard output, byte-identical to what a file gets;
#  - a FIFO: written through (a reader gets the bytes), still a FIFO;
#  - character devices: /dev/null written through and still a device,
#    /dev/full a write error (exit 2) and still a device;
#  - a symlink to a file: the link is kept, its target replaced (mode
#    kept); a dangling link creates its target; a loop is refused;
#  - a regular file: replaced with its mode kept, no temporary file left;
#  - a directory, a read-only directory, a full disk: exit 2, nothing
#    changed, no temporary file left;
#  - the input itself (by its name, a symlink or a hard link to it), for
#    the four writers (replay --save-tables too): a usage error naming
#    both, the input untouched.

. "$top_srcdir/tests/lib/tap.sh"

W=$TAP_WORKDIR
t=$top_srcdir/traces/pae-fork.trace
gzip -dc "$top_srcdir/tests/data/slices/pae-A1.elf.gz" >"$W/slice.elf" ||
	tap_bail "cannot decompress pae-A1.elf.gz"
log=$top_srcdir/tests/data/strace/small-i386.strace

# the three writers, each writing its output to $1
w_convert() { "$PGTCTL" convert --to cbor "$t" "$1"; }
w_import() { "$PGTCTL" import strace --arch pae "$log" -o "$1"; }
w_dump() { "$PGTCTL" dump "$W/slice.elf" --save-tables "$1"; }

# the reference output of each, written to a plain new file
for c in convert import dump; do
	"w_$c" "$W/ref.$c" 2>"$W/err"
	tap_ok $? "$c: writes a new file" || tap_diag "$(cat "$W/err")"
done

# no stray temporary file (.NAME.XXXXXX) in a directory
no_temp()	# DIR NAME
{
	tap_is "$(ls -A "$1" | grep -c '^\.')" 0 "$2: no temporary file left"
}

for c in convert import dump; do
	# ---- standard output ----
	"w_$c" - >"$W/stdout.$c" 2>"$W/err"
	tap_ok $? "$c: '-' exits 0" || tap_diag "$(cat "$W/err")"
	tap_cmp "$W/ref.$c" "$W/stdout.$c" "$c: '-' writes standard output"
	tap_ok "test ! -e '$W/-'" "$c: '-' creates no file named -"

	# ---- a FIFO ----
	mkfifo "$W/fifo"
	cat "$W/fifo" >"$W/fifo.out" &
	reader=$!
	"w_$c" "$W/fifo" 2>"$W/err"
	tap_ok $? "$c: a FIFO exits 0" || tap_diag "$(cat "$W/err")"
	wait $reader
	tap_ok "test -p '$W/fifo'" "$c: the FIFO is still a FIFO"
	tap_cmp "$W/ref.$c" "$W/fifo.out" "$c: the FIFO's reader got the output"
	rm -f "$W/fifo"

	# ---- character devices ----
	if test -c /dev/null && test -w /dev/null; then
		"w_$c" /dev/null 2>"$W/err"
		tap_ok $? "$c: /dev/null exits 0" || tap_diag "$(cat "$W/err")"
		tap_ok "test -c /dev/null" "$c: /dev/null is still a character device"
		no_temp /dev "$c: /dev/null"
	else
		tap_skip "no writable /dev/null" "$c: /dev/null"
	fi
	if test -c /dev/full && test -w /dev/full; then
		"w_$c" /dev/full 2>"$W/err"
		tap_is $? 2 "$c: /dev/full (no space) exits 2"
		tap_ok "grep -q '/dev/full.*No space' '$W/err'" \
			"$c: /dev/full: the message names the file and the cause" ||
			tap_diag "$(cat "$W/err")"
		tap_ok "test -c /dev/full" "$c: /dev/full is still a character device"
	else
		tap_skip "no writable /dev/full" "$c: /dev/full"
	fi

	# ---- a symlink to a file ----
	mkdir "$W/d"
	echo old >"$W/d/target"
	chmod 640 "$W/d/target"
	ln -s target "$W/d/link"
	"w_$c" "$W/d/link" 2>"$W/err"
	tap_ok $? "$c: a symlink exits 0" || tap_diag "$(cat "$W/err")"
	tap_ok "test -L '$W/d/link'" "$c: the symlink is still a symlink"
	tap_cmp "$W/ref.$c" "$W/d/target" "$c: the link's target holds the output"
	tap_is "$(stat -c %a "$W/d/target")" 640 "$c: the target's mode is kept"
	no_temp "$W/d" "$c: symlink"

	# a link to a link in another directory, relative
	mkdir "$W/d/sub"
	ln -s ../link "$W/d/sub/link2"
	echo old >"$W/d/target"
	"w_$c" "$W/d/sub/link2" 2>"$W/err"
	tap_cmp "$W/ref.$c" "$W/d/target" "$c: a chain of relative links reaches the target"
	tap_ok "test -L '$W/d/sub/link2' && test -L '$W/d/link'" "$c: both links kept"

	# dangling: the target is created
	ln -s new-target "$W/d/dangling"
	"w_$c" "$W/d/dangling" 2>"$W/err"
	tap_ok $? "$c: a dangling symlink exits 0" || tap_diag "$(cat "$W/err")"
	tap_cmp "$W/ref.$c" "$W/d/new-target" "$c: a dangling symlink's target is created"
	tap_ok "test -L '$W/d/dangling'" "$c: the dangling symlink is kept"

	# a loop
	ln -s loop2 "$W/d/loop1"
	ln -s loop1 "$W/d/loop2"
	"w_$c" "$W/d/loop1" 2>"$W/err"
	tap_is $? 2 "$c: a symlink loop exits 2"
	tap_ok "grep -q 'symbolic links' '$W/err'" "$c: a symlink loop is named" ||
		tap_diag "$(cat "$W/err")"
	tap_ok "test -L '$W/d/loop1' && test -L '$W/d/loop2'" "$c: the loop's links are kept"
	no_temp "$W/d" "$c: symlink loop"

	# ---- a regular file ----
	echo old >"$W/d/file"
	chmod 604 "$W/d/file"
	"w_$c" "$W/d/file" 2>"$W/err"
	tap_cmp "$W/ref.$c" "$W/d/file" "$c: a regular file is replaced"
	tap_is "$(stat -c %a "$W/d/file")" 604 "$c: the replaced file keeps its mode"
	no_temp "$W/d" "$c: regular file"

	# ---- a directory ----
	mkdir "$W/d/dir"
	"w_$c" "$W/d/dir" 2>"$W/err"
	tap_is $? 2 "$c: a directory exits 2"
	tap_ok "test -d '$W/d/dir' && test -z \"\$(ls -A '$W/d/dir')\"" \
		"$c: the directory is untouched"
	no_temp "$W/d" "$c: directory"
	rm -rf "$W/d"
done

# ---- a read-only directory (root ignores the mode bits: a read-only
# mount stands in where one can be made) ----
mkdir "$W/ro"
echo old >"$W/ro/file"
ro=
if test "$(id -u)" -ne 0; then
	chmod 555 "$W/ro" && ro=chmod
elif mount -t tmpfs -o ro,size=1m tmpfs "$W/ro" 2>/dev/null; then
	ro=mount
fi
if test -n "$ro"; then
	before=$(ls -A "$W/ro")
	for c in convert import dump; do
		"w_$c" "$W/ro/file" 2>"$W/err"
		tap_is $? 2 "$c: a read-only directory exits 2"
		tap_ok "grep -q 'temporary file' '$W/err'" \
			"$c: a read-only directory: the message says what failed" ||
			tap_diag "$(cat "$W/err")"
		tap_is "$(ls -A "$W/ro")" "$before" "$c: the read-only directory is unchanged"
	done
	test "$ro" = mount && umount "$W/ro"
	chmod 755 "$W/ro"
else
	tap_skip "root without a read-only mount" "read-only directory"
fi

# ---- a full disk: a small tmpfs where one can be mounted, else a file
# size limit (EFBIG: the same path through the code) ----
mkdir "$W/full"
if test "$(id -u)" -eq 0 && mount -t tmpfs -o size=64k tmpfs "$W/full" 2>/dev/null; then
	full() { "$@"; }
	how=tmpfs
else
	full() { (trap '' XFSZ; ulimit -f 8; "$@"); }
	how="ulimit -f"
fi
# a trace far bigger than 64 KiB as CBOR
awk 'BEGIN { print "pgtctl-trace 1"; print "arch pae";
	for (i = 0; i < 20000; i++) printf "alloc 0x%x 4K rw\n", 0x10000000 + i * 8192 }' \
	>"$W/big.trace"
echo old >"$W/full/out.cbor"
full "$PGTCTL" convert --to cbor "$W/big.trace" "$W/full/out.cbor" 2>"$W/err"
tap_is $? 2 "convert onto a full disk ($how) exits 2"
tap_ok "grep -q 'out.cbor: write error' '$W/err'" \
	"a full disk: the message names OUT and the write error" || tap_diag "$(cat "$W/err")"
tap_is "$(cat "$W/full/out.cbor")" old "a full disk: the old OUT is untouched"
no_temp "$W/full" "a full disk"
test "$how" = tmpfs && umount "$W/full"

# ---- names that must not be replaced, names that are long ----
mkdir "$W/h"
echo old >"$W/h/one"
ln "$W/h/one" "$W/h/two"
w_convert "$W/h/one" 2>"$W/err"
tap_is $? 2 "a file with two hard links: exit 2"
tap_ok "grep -q 'hard links' '$W/err'" "a file with two hard links: says why" ||
	tap_diag "$(cat "$W/err")"
tap_is "$(cat "$W/h/one")$(cat "$W/h/two")" oldold "a file with two hard links: both names keep the old content"
no_temp "$W/h" "hard links"
if test "$(id -u)" -ne 0; then
	echo old >"$W/h/ro"
	chmod 444 "$W/h/ro"
	w_convert "$W/h/ro" 2>"$W/err"
	tap_is $? 2 "a file the user may not write: exit 2"
	tap_is "$(cat "$W/h/ro")" old "a file the user may not write: left as it was"
else
	tap_skip "root may write any file" "a file the user may not write"
fi
long=$(printf 'n%.0s' $(seq 1 250))
w_convert "$W/h/$long" 2>"$W/err"
tap_ok $? "a 250-byte name (too long for a prefixed temporary name)" ||
	tap_diag "$(cat "$W/err")"
tap_cmp "$W/ref.convert" "$W/h/$long" "a 250-byte name gets the output"
no_temp "$W/h" "a 250-byte name"

# ---- killed while writing: nothing left behind ----
mkfifo "$W/in.fifo"
mkdir "$W/k"
(
	printf 'pgtctl-trace 1\narch pae\n'
	i=0
	while test $i -lt 2000; do
		printf 'alloc 0x%x 4K rw\n' $((0x10000000 + i * 8192))
		i=$((i + 1))
	done
	sleep 30
) >"$W/in.fifo" &
writer=$!
"$PGTCTL" convert --to cbor "$W/in.fifo" "$W/k/out.cbor" 2>/dev/null &
conv=$!
# the converter has written part of its output: the 2000 ops are read
sleep 1
kill -9 $conv 2>/dev/null
wait $conv 2>/dev/null
kill $writer 2>/dev/null
wait $writer 2>/dev/null
tap_is "$(ls -A "$W/k")" "" "killed while writing: no output and no temporary file left"

# ---- --save-tables - shares standard output with no view ----
"$PGTCTL" dump "$W/slice.elf" --save-tables - --tree >"$W/out" 2>"$W/err"
tap_is $? 2 "--save-tables - with a view is a usage error"
tap_ok "grep -q 'standard output' '$W/err'" "--save-tables - with a view: says why"

# OUT is the input: the dump replaced by its slice, the trace by its
# conversion, the log by its trace were the damage
mkdir "$W/in"
cp "$W/slice.elf" "$W/in/d.elf"
cp "$t" "$W/in/t.trace"
cp "$log" "$W/in/s.strace"
ln -s d.elf "$W/in/d-link.elf"
ln "$W/in/t.trace" "$W/in/t-hard.trace"
cksum "$W/in/d.elf" "$W/in/t.trace" "$W/in/s.strace" >"$W/in.sum"
same_input()	# NAME EXPECTED-IN-MESSAGE COMMAND...
{
	name=$1 want=$2
	shift 2
	"$PGTCTL" "$@" >"$W/out" 2>"$W/err"
	tap_is $? 2 "$name: exit 2"
	tap_ok "grep -q 'is the input .*$want.*destroy the input' '$W/err'" \
		"$name: says why" || tap_diag "$(cat "$W/err")"
}
same_input "dump --save-tables onto its dump" d.elf \
	dump "$W/in/d.elf" --save-tables "$W/in/d.elf"
same_input "dump --save-tables onto a symlink to its dump" d.elf \
	dump "$W/in/d.elf" --save-tables "$W/in/d-link.elf"
same_input "replay --save-tables onto its trace" t.trace \
	replay "$W/in/t.trace" --save-tables "$W/in/t.trace"
same_input "convert onto a hard link to IN" t.trace \
	convert "$W/in/t.trace" "$W/in/t-hard.trace"
same_input "import -o onto its log" s.strace \
	import strace --arch pae "$W/in/s.strace" -o "$W/in/s.strace"
cksum "$W/in/d.elf" "$W/in/t.trace" "$W/in/s.strace" >"$W/in.sum2"
tap_cmp "$W/in.sum" "$W/in.sum2" "the inputs are untouched"
tap_is "$(ls -A "$W/in" | grep -c '^\.')" 0 "the inputs' directory: no temporary file left"

tap_done
