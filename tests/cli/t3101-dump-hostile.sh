# SPDX-License-Identifier: GPL-3.0-or-later
#
# pgtctl dump on small files made to hurt (issue 11), each written at check
# time by tests/tools/gen-hostile-dump.py.  Every run is bounded: timeout
# 10 s and 1 GiB of address space (without the limit in a sanitizer
# build, which cannot start under it; there the sanitizers catch the
# undefined behaviour the first two cases are about: gcc's UBSan the qsort
# on NULL, only clang's the walk over a NULL note buffer).
#  - a PT_NOTE of padding only (no note at all): no walk over a NULL note
#    buffer; no root: --scan-roots sorts nothing (no qsort on NULL);
#  - a PT_LOAD with p_filesz 0 and p_memsz 2^62: --scan-roots looks only
#    at memory the file has bytes for, and ends at once;
#  - 4,000 PT_NOTE segments of 128 notes each: parsed in linear time (each
#    segment decoded once);
#  - 2,000 PT_NOTE segments all pointing at the same notes: exit 2, one
#    line naming the file, the offset and the overlap (not 2,000 copies);
#  - sparse kdump files whose header claims 2^33 and 2^35 pages: bitmap 2
#    is read for what the file holds (its holes skipped), not allocated
#    whole: exit 0, the five dumped pages in two ranges.

. "${top_srcdir:-.}/tests/lib/tap.sh"

: "${PYTHON:=python3}"
command -v "$PYTHON" >/dev/null 2>&1 || tap_skip_all "$PYTHON not found"
command -v timeout >/dev/null 2>&1 || tap_skip_all "timeout (coreutils) not found"
gen=$top_srcdir/tests/tools/gen-hostile-dump.py
w=$TAP_WORKDIR

tap_memory_limit 1048576

# pgtctl dump ARGS... with the limits: out, err, rc
run()
{
	tap_limited "$PGTCTL" dump "$@" >"$w/out" 2>"$w/err"
	rc=$?
}

show()
{
	tap_diag "exit $rc" "$(head -n 5 "$w/err")"
}

gen()	# NAME ARGS...
{
	gen__n=$1
	shift
	"$PYTHON" "$gen" "$@" -o "$w/$gen__n" 2>"$w/gen.err" ||
		tap_bail "gen-hostile-dump.py $* failed: $(cat "$w/gen.err")"
}

# ok_run NAME: exit 0 and nothing on stderr
ok_run()
{
	tap_ok "$(test "$rc" = 0 && test ! -s "$w/err"; echo $?)" "$1" || show
}

for arch in pae s390x; do
	gen pad-note --kind pad-note --arch "$arch"
	run --arch "$arch" --roots "$w/pad-note"
	ok_run "$arch: a PT_NOTE of padding only: --roots exits 0"
	grep -q "no roots found" "$w/out"
	tap_ok $? "$arch: a PT_NOTE of padding only: no roots found"
	run --arch "$arch" --roots --scan-roots "$w/pad-note"
	ok_run "$arch: memory without a root: --scan-roots exits 0"

	gen huge-load --kind huge-load --arch "$arch"
	run --arch "$arch" --roots --scan-roots "$w/huge-load"
	ok_run "$arch: a PT_LOAD of p_filesz 0, p_memsz 2^62: --scan-roots ends (exit 0)"
	rm -f "$w/pad-note" "$w/huge-load"
done

gen many-notes --kind many-notes --count 4000 --per 128
run --arch pae --roots "$w/many-notes"
ok_run "4000 PT_NOTE segments of 128 notes: read in time (exit 0)"
rm -f "$w/many-notes"

gen alias-notes --kind alias-notes --count 2000 --per 64
run --arch pae --roots "$w/alias-notes"
tap_ok "$(test "$rc" = 2 && test "$(wc -l <"$w/err")" -eq 1 &&
	grep -qF "$w/alias-notes" "$w/err" &&
	grep -q 'offset 0x[0-9a-f]*: program header [0-9]*:.*overlap' "$w/err"
	echo $?)" \
	"2000 PT_NOTE segments over the same notes: exit 2, one line naming the file, the offset and the overlap" ||
	show
rm -f "$w/alias-notes"

gen alias-loads --kind alias-loads --count 20000
run --arch pae --scan-roots --roots "$w/alias-loads"
tap_ok "$(test "$rc" = 2 && test "$(wc -l <"$w/err")" -eq 1 &&
	grep -q 'offset 0x[0-9a-f]*: program header [0-9]*: the PT_LOAD segments.*overlap' "$w/err"
	echo $?)" \
	"20000 PT_LOADs over the same 16 pages: exit 2, one line naming the offset and the overlap" ||
	show
rm -f "$w/alias-loads"

for bits in 33 35; do
	pages=$(awk -v b="$bits" 'BEGIN { printf "%.0f", 2 ^ b }')
	gen kdump-huge --kind kdump-huge --pages "$pages"
	run --arch pae --roots --scan-roots "$w/kdump-huge"
	ok_run "a sparse kdump claiming 2^$bits pages: --scan-roots exits 0"
	run --arch pae --root 0 "$w/kdump-huge"
	ok_run "a sparse kdump claiming 2^$bits pages: a walk exits 0"
	grep -q '^memory: *2 ranges, 20 KiB held' "$w/out"
	tap_ok $? "a sparse kdump claiming 2^$bits pages: the five dumped pages, in two ranges" ||
		tap_diag "$(grep '^memory' "$w/out")"
	rm -f "$w/kdump-huge"
done

tap_done
