# SPDX-License-Identifier: GPL-3.0-or-later
#
# pgtctl dump on bad input: the corrupt-input corpus, made at check time by
# tests/tools/gen-synth-dump.py (synthetic dumps with real encodings, a few
# thousand pages, every container: ELF, kdump, flattened kdump; PAE and
# s390x).  Every run is bounded (timeout 10 s, 512 MiB of address space):
#  - the intact dumps give the generator's counts (the baseline the
#    corruption counts rely on);
#  - each file cut at every header boundary the generator lists (and at
#    offsets inside pages) gives exit 2 with ONE stderr line naming the
#    file and an "offset", or exit 0 with a "finding:" naming an address;
#    never a crash, a hang or unbounded memory;
#  - loop, wild pointer, reserved bits, shared table: exit 0, a finding at
#    the entry's address, and the rest of the tree still walked (the exact
#    page count the generator expects);
#  - a broken zlib stream of a page-table page: a finding or exit 2 naming
#    the page; a page flagged lzo that is not: a finding naming the page and
#    lzo (bad data, or the library this build lacks); a PT_LOAD beyond the
#    end: exit 2;
#  - the container variants real tools write (the kernel's ELF32 vmcore,
#    QEMU 7.2's ELF header, QEMU's kdump header, zero pages left out, one
#    and four CPUs) give the same counts;
#  - an empty file, random bytes, a text file: exit 2, "not a dump"; a
#    signature followed by random bytes: exit 2 with an offset.
#
# Deviations from the interface that the CLI shows today are reported as
# TAP TODO (see `known` below): they do not fail the suite, and the test
# point turns into a plain "ok" once the CLI is fixed.

. "${top_srcdir:-.}/tests/lib/tap.sh"

: "${PYTHON:=python3}"
command -v "$PYTHON" >/dev/null 2>&1 || tap_skip_all "$PYTHON not found"
command -v timeout >/dev/null 2>&1 || tap_skip_all "timeout (coreutils) not found"
gen=$top_srcdir/tests/tools/gen-synth-dump.py
w=$TAP_WORKDIR
PAGES=3000	# four PDPT slots / s390x regions of 750 pages; PAE: one 2 MiB leaf
FRAMES=512	# the data frames: 2 MiB, so that each file is a few MiB

# Known deviations of the CLI from the interface, as "pattern|reason"
# lines matched (shell case patterns) against a test point's key; a
# failing point whose key matches is reported as TODO.
known=''

todo_for()	# KEY -> the reason, or nothing
{
	printf '%s\n' "$known" | while IFS='|' read -r todo__pat todo__why; do
		test -n "$todo__pat" || continue
		# shellcheck disable=SC2254 # the pattern is meant to match
		case $1 in
		$todo__pat) echo "$todo__why"; break ;;
		esac
	done
}

# check KEY STATUS NAME: one test point; a failure whose KEY is a known
# deviation is a TODO (XFAIL), not a failure
check()
{
	if test "$2" -eq 0; then
		tap__result 0 "$3"
		return 0
	fi
	check__why=$(todo_for "$1")
	if test -n "$check__why"; then
		tap_n=$((tap_n + 1))
		echo "not ok $tap_n - $3 # TODO $check__why"
		return 1
	fi
	tap__result 1 "$3"
	return 1
}

# The limits: 512 MiB of address space.  ulimit -v is not POSIX (dash,
# bash and busybox have it), and a sanitizer build reserves terabytes of
# address space: without the limit when pgtctl cannot start under it.
tap_memory_limit 524288

# pgtctl dump FILE ARGS... with the limits: out, err, rc
run()
{
	tap_limited "$PGTCTL" dump "$@" >"$w/out" 2>"$w/err"
	rc=$?
}

show()	# the run's status and stderr as diagnostics
{
	tap_diag "exit $rc" "$(head -n 5 "$w/err")"
}

# summary FIELD: a top-level number of the JSON summary in $w/out (the
# first occurrence: the per-level objects that follow repeat some names)
summary()
{
	tr -d ' \n' <"$w/out" | grep -o '"walk":{[^}]*}' |
		grep -o "\"$1\":[0-9]*" | head -n 1 | cut -d: -f2
}

# addr 0xHEX: an extended regex for that address, zero-padded or not (the
# text views pad addresses to a fixed width)
addr()
{
	echo "0x0*${1#0x}([^0-9a-fA-F]|\$)"
}

# gen NAME ARGS...: write $w/NAME and $w/NAME.exp (the expectations);
# expect KEY reads one
gen()
{
	gen__n=$1
	shift
	"$PYTHON" "$gen" --pages "$PAGES" --ram-frames "$FRAMES" "$@" \
		-o "$w/$gen__n" --print-expect >"$w/$gen__n.exp" 2>"$w/gen.err" ||
		tap_bail "gen-synth-dump.py $* failed: $(cat "$w/gen.err")"
	exp=$w/$gen__n.exp
}

expect()
{
	awk -v k="$1" '$1 == k { print $2; exit }' "$exp"
}

# The verdict on a run over bad input: exit 2 with one line naming the file
# and WHAT (an extended regex), or exit 0 with a finding at an address.
# Sets why when it is neither.
bad_input_ok()	# FILE WHAT
{
	why=
	case $rc in
	2)
		if test "$(wc -l <"$w/err")" -ne 1; then
			why="exit 2 with $(wc -l <"$w/err") lines on stderr, expected one"
		elif ! grep -qF "$1" "$w/err"; then
			why="the message does not name the file $1"
		elif ! grep -Eqi "$2" "$w/err"; then
			why="the message does not match /$2/"
		fi ;;
	0)
		grep -Eq 'finding:.*at 0x[0-9a-f]+' "$w/err" ||
			why="exit 0 without a 'finding: ... at 0x...' on stderr" ;;
	124)
		why="timed out (10 s)" ;;
	*)
		if test "$rc" -ge 128; then
			why="killed by signal $((rc - 128))"
		else
			why="exit $rc, expected 2 or 0 with a finding"
		fi ;;
	esac
	test -z "$why"
}

for arch in pae s390x; do
	for fmt in elf kdump flat; do
		id=$arch-$fmt
		f=$w/$id
		gen "$id" --arch "$arch" --format "$fmt"

		# ---- the intact dump: the generator's counts ----
		run "$f" --summary --format json
		check "$id:intact" "$(test "$rc" = 0 && test ! -s "$w/err"; echo $?)" \
			"$id: the intact dump walks with exit 0 and nothing on stderr" || show
		tap_is "$(summary pages) $(summary tables) $(summary findings)" \
			"$(expect user_pages) $(expect user_tables) 0" \
			"$id: pages, tables, findings of the user root"
		run "$f" --root kernel --summary --format json
		tap_is "$(summary pages)" "$(expect kernel_pages)" \
			"$id: pages of the kernel root (swapper_pg_dir)"

		# ---- cut at every boundary ----
		"$PYTHON" "$gen" --pages "$PAGES" --ram-frames "$FRAMES" --arch "$arch" \
			--format "$fmt" --print-boundaries >"$w/bounds" ||
			tap_bail "gen-synth-dump.py --print-boundaries failed"
		nb=0
		while read -r name off; do
			head -c "$off" "$f" >"$w/cut"
			run "$w/cut" --summary --format json
			bad_input_ok "$w/cut" 'offset'
			check "$id:$name" "$(test -z "$why"; echo $?)" \
				"$id: cut at $name ($off bytes): exit 2 naming the file and an offset, or a finding" ||
				{ tap_diag "$why"; show; }
			nb=$((nb + 1))
		done <"$w/bounds"
		test "$nb" -gt 10
		tap_ok $? "$id: the generator listed $nb boundaries"
		rm -f "$w/cut"

		# ---- broken trees: a finding at the entry, the rest walked ----
		for kind in loop wild reserved shared-table; do
			gen "$id-$kind" --arch "$arch" --format "$fmt" --corrupt "$kind"
			entry=$(expect corrupt_entry)
			run "$w/$id-$kind" --summary --format json
			check "$id:$kind:exit" "$(test "$rc" = 0; echo $?)" \
				"$id $kind: exit 0" || show
			check "$id:$kind:entry" \
				"$(grep -Eq "finding:.* at $(addr "$entry")" "$w/err"; echo $?)" \
				"$id $kind: a finding at the entry's address $entry" || show
			tap_is "$(summary pages) $(summary findings)" \
				"$(expect user_pages) $(expect user_findings)" \
				"$id $kind: the rest of the tree is walked ($(expect user_pages) of $(expect user_pages_intact) pages)"
			# --findings: the same findings on stdout, none on stderr
			run "$w/$id-$kind" --findings
			check "$id:$kind:--findings" \
				"$(test "$rc" = 0 && grep -Eq "$(addr "$entry")" "$w/out" && ! grep -q 'finding:' "$w/err"; echo $?)" \
				"$id $kind: --findings lists it on stdout, not on stderr" || show
			rm -f "$w/$id-$kind"
		done

		case $fmt in
		elf)
			gen "$id-eof" --arch "$arch" --format elf --corrupt ptload-beyond-eof
			run "$w/$id-eof" --summary --format json
			bad_input_ok "$w/$id-eof" 'offset'
			check "$id:ptload-beyond-eof" \
				"$(test "$rc" = 2 && test -z "$why"; echo $?)" \
				"$id: a PT_LOAD beyond the end of the file: exit 2 with the offset" ||
				{ tap_diag "$why"; show; }
			rm -f "$w/$id-eof" ;;
		*)
			gen "$id-zlib" --arch "$arch" --format "$fmt" --corrupt bad-zlib
			page=$(expect corrupt_page)
			run "$w/$id-zlib" --summary --format json
			if test "$rc" = 0; then
				check "$id:bad-zlib" \
					"$(grep -Eq "finding:.*$(addr "$page")" "$w/err" &&
						test "$(summary pages)" = "$(expect user_pages)"; echo $?)" \
					"$id: a broken zlib page-table page: a finding naming $page, the rest walked" || show
			else
				check "$id:bad-zlib" \
					"$(test "$rc" = 2 && test "$(wc -l <"$w/err")" -eq 1 &&
						grep -Eq "$(addr "$page")" "$w/err"; echo $?)" \
					"$id: a broken zlib page-table page: exit 2 naming $page" || show
			fi
			# the root table's zlib bytes flagged lzo: bad lzo data,
			# or (a build without liblzo2) the library named; both
			# a finding at the root, the walk's exit status 0
			gen "$id-lzo" --arch "$arch" --format "$fmt" --corrupt lzo
			run "$w/$id-lzo" --summary --format json
			check "$id:lzo" "$(test "$rc" = 0 &&
				grep -Eq "finding:.*page 0x[0-9a-f]+: (bad lzo data|compressed with lzo .*built without liblzo2)" "$w/err"; echo $?)" \
				"$id: a page flagged lzo: a finding naming the page and lzo, exit 0" ||
				show
			rm -f "$w/$id-zlib" "$w/$id-lzo" ;;
		esac
		rm -f "$f"
	done
done

# ---- the container variants real tools write: the same tree ----
# kernel's /proc/vmcore (ELF32, p_vaddr = PA + PAGE_OFFSET); QEMU 7.2's
# ELF header (e_ehsize 8, section headers in host order); QEMU's kdump
# header (64-bit words for i386, empty utsname.machine); makedumpfile -d 1
# (zero pages left out); one CPU; four CPUs
for v in "pae --elf-class 32" "pae --qemu-header" "s390x --qemu-header" \
	"pae --format kdump --kdump-word 64 --qemu-kdump" \
	"s390x --format flat --qemu-kdump" "pae --format kdump --exclude-zero" \
	"pae --cpus 1" "s390x --format kdump --cpus 4"; do
	# shellcheck disable=SC2086 # the options are words
	gen variant --arch $v
	run "$w/variant" --summary --format json
	p=$(summary pages)
	run "$w/variant" --root kernel --summary --format json
	tap_is "$rc $p $(summary pages)" "0 $(expect user_pages) $(expect kernel_pages)" \
		"--arch $v: the user and the kernel root's pages" || show
done
rm -f "$w/variant"

# ---- not a dump at all ----
# noise PREFIX SIZE: PREFIX then pseudo-random bytes, the same every run
# (a failure must be reproducible)
noise()
{
	"$PYTHON" -c 'import random, sys
r = random.Random(3100)
p = sys.argv[1].encode("latin-1")
sys.stdout.buffer.write(p + bytes(r.getrandbits(8) for _ in range(int(sys.argv[2]) - len(p))))' "$1" "$2"
}
: >"$w/empty"
noise '' 65536 >"$w/random"
printf 'This is a text file,\nnot a memory dump.\n' >"$w/text"
# random bytes after the signature of an ELF file, a kdump file and a
# flattened kdump file
noise "$(printf '\177ELF')" 4096 >"$w/elf-noise"
noise 'KDUMP   ' 8192 >"$w/kdump-noise"
noise 'makedumpfile' 8192 >"$w/flat-noise"
for n in empty random text; do
	run "$w/$n" --summary
	bad_input_ok "$w/$n" 'not a|dump|format|signature'
	check "$n" "$(test "$rc" = 2 && test -z "$why"; echo $?)" \
		"$n file: exit 2, one line naming the file, not a dump" ||
		{ tap_diag "$why"; show; }
done
for n in elf-noise kdump-noise flat-noise; do
	run "$w/$n" --summary
	bad_input_ok "$w/$n" 'offset'
	check "$n" "$(test "$rc" = 2 && test -z "$why"; echo $?)" \
		"$n: a signature and then random bytes: exit 2 with an offset" ||
		{ tap_diag "$why"; show; }
done

tap_done
