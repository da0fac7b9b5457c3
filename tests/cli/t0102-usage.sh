#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The user surface every command shares (issue 8, item 4):
#   - a usage error is exit 2 and one line on stderr,
#     "pgtctl: CMD: MESSAGE; try 'pgtctl CMD --help'", nothing on stdout;
#   - an option that does not apply to the source given is such an error,
#     naming the option and the source: translate --until/--mm on a dump,
#     --root/--arch on a trace, --phys-base on an ELF or kdump dump (dump
#     and translate);
#   - other errors are one line "pgtctl: CMD: MESSAGE" with no hint;
#   - --help, -h, --version and -V work for every command, exit 0;
#   - the option syntax: --opt=VALUE, --opt VALUE, unique prefixes,
#     operands before options, "--".

. "$top_srcdir/tests/lib/tap.sh"

W=$TAP_WORKDIR
trace=$top_srcdir/tests/data/pae-small.trace
# a dump is told by its signature, before it is read any further
elf=$W/v.elf
printf '\177ELF\002\001\001\000\000\000\000\000' >"$elf"
kdump=$W/v.kdump
printf 'KDUMP   \000\000\000\000' >"$kdump"
raw=$W/v.raw
dd if=/dev/zero of="$raw" bs=4096 count=4 2>/dev/null

# usage CMD PATTERN ARGS...: exit 2, nothing on stdout, one line on stderr
# of the usage-error form for CMD ("" for none), matching PATTERN (grep -E)
usage()
{
	u_cmd=$1 u_pat=$2
	shift 2
	"$PGTCTL" "$@" >"$W/out" 2>"$W/err"
	u_st=$?
	if test -n "$u_cmd"; then
		u_form="^pgtctl: $u_cmd: .*; try 'pgtctl $u_cmd --help'\$"
	else
		u_form="^pgtctl: .*; try 'pgtctl --help'\$"
	fi
	u_why=
	if test "$u_st" -ne 2; then
		u_why="exit $u_st"
	elif test -s "$W/out"; then
		u_why="output on stdout"
	elif test "$(wc -l <"$W/err" | tr -d ' ')" -ne 1; then
		u_why="$(wc -l <"$W/err" | tr -d ' ') lines on stderr"
	elif ! grep -q -- "$u_form" "$W/err"; then
		u_why="not of the form $u_form"
	elif ! grep -E -q -- "$u_pat" "$W/err"; then
		u_why="does not match /$u_pat/"
	fi
	tap_is "$u_why" "" "usage error: pgtctl $*" ||
		tap_diag "stderr: $(cat "$W/err")"
}

# ---- the form of usage errors ----
usage "" "missing command"
usage "" "unknown command 'frobnicate'" frobnicate
usage "" "unknown option '--frob'" --frob
usage replay "unknown option '--frob'" replay --frob "$trace"
usage replay "unknown option '-q'" replay -q "$trace"
usage replay "ambiguous option '--r'; could be --ranges, --range" replay --r "$trace"
usage replay "--format needs a value: text\|json\|tsv\|dot" replay "$trace" --format
usage replay "--tree takes no value" replay --tree=yes "$trace"
usage replay "bad format 'bogus'; expected text, json, tsv or dot" replay --format bogus "$trace"
usage replay "bad --until '0'" replay --until 0 "$trace"
usage replay "expected exactly one TRACE" replay
usage replay "expected exactly one TRACE" replay "$trace" "$trace"
usage dump "expected a dump FILE \\(or the files of a split kdump set\\)" dump
usage dump "bad --phys-base 'x'" dump --arch pae --phys-base x "$raw"
usage translate "expected a TRACE or DUMP and at least one VA" translate "$trace"
usage translate "bad address '0xzz'" translate "$trace" 0xzz
usage decode "expected --arch" decode 0x1
usage decode "unknown --level 'pmd' for s390; expected SGT \\(pgd\\) or PT \\(pte\\)" decode --arch s390 --level pmd 0x1
usage decode "unknown --level 'pmd' for i386; expected PD \\(pgd\\) or PT \\(pte\\)" decode --arch i386 --level pmd 0x1
usage translate "--format needs a value: text\|json\|tsv;" translate "$trace" 0x1000 --format
usage convert "bad --to 'xml'; expected text or cbor" convert --to xml "$trace" "$W/o"
usage convert "expected two arguments" convert "$trace"
usage import "bad --populate 'some'" import strace --populate=some "$trace"
usage help "unknown command 'frob'" help frob
usage help "expected at most one COMMAND" help replay dump
usage version "expected no arguments" version now
# the library finds some values wrong only once it reads the dump
usage dump "--phys-base 0x1234 is not page aligned" dump --arch pae --phys-base 0x1234 --root 0x1000 "$raw"
usage dump "unknown --arch 'x86'" dump --arch x86 "$raw"

# ---- options that do not apply to the source given ----
usage translate "--until does not apply to .*v.elf, an ELF or kdump dump; only to a trace" \
	translate --until 3 "$elf" 0x1000
usage translate "--mm does not apply to .*v.kdump, an ELF or kdump dump; only to a trace" \
	translate "$kdump" 0x1000 --mm 2
usage translate "--until does not apply to .*v.raw, a raw image; only to a trace" \
	translate --arch pae --until 3 "$raw" 0x1000
usage translate "--root does not apply to .*pae-small.trace, a trace; only to a memory dump" \
	translate --root 0x1000 "$trace" 0x1000
usage translate "--phys-base does not apply to .*pae-small.trace, a trace; only to a raw image" \
	translate --phys-base 0x1000 "$trace" 0x1000
usage translate "--phys-base does not apply to .*v.elf, an ELF or kdump dump; only to a raw image" \
	translate --phys-base 0x1000 "$elf" 0x1000
usage dump "--phys-base does not apply to .*v.elf, an ELF or kdump dump; only to a raw image" \
	dump --phys-base 0x1000 "$elf"
usage dump "--phys-base does not apply to .*v.kdump, an ELF or kdump dump; only to a raw image" \
	dump --arch pae --phys-base 0x1000 "$kdump"

# and those that do are taken: --until on a trace, --phys-base on a raw image
"$PGTCTL" translate --until 3 "$trace" 0x10000000 >"$W/out" 2>"$W/err"
tap_ok $? "translate --until on a trace is taken" || tap_diag "$(cat "$W/err")"
"$PGTCTL" dump --arch pae --phys-base 0x100000 --root 0x100000 --roots "$raw" >"$W/out" 2>"$W/err"
tap_ok $? "dump --phys-base on a raw image is taken" || tap_diag "$(cat "$W/err")"

# ---- other errors: one line, the command named, no hint ----
"$PGTCTL" replay "$W/missing.trace" >"$W/out" 2>"$W/err"
tap_is "$?" 2 "replay of a missing file: exit 2"
tap_ok "grep -q '^pgtctl: replay: .*missing.trace' '$W/err' && test \$(wc -l <'$W/err') -eq 1 && ! grep -q 'try ' '$W/err'" \
	"replay of a missing file: one line naming the command and the file, no hint" ||
	tap_diag "$(cat "$W/err")"
"$PGTCTL" dump "$W/missing.elf" >"$W/out" 2>"$W/err"
tap_is "$?" 2 "dump of a missing file: exit 2"
tap_ok "grep -q '^pgtctl: dump: .*missing.elf' '$W/err' && test \$(wc -l <'$W/err') -eq 1" \
	"dump of a missing file: one line naming the command and the file" ||
	tap_diag "$(cat "$W/err")"

# ---- --help and --version, for every command ----
version=$("$PGTCTL" --version)
tap_ok "echo '$version' | grep -q '^pgtctl [0-9]'" "pgtctl --version prints 'pgtctl VERSION'"
for cmd in $("$PGTCTL" __table | awk -F'\t' 'NF == 1'); do
	for opt in --help -h; do
		"$PGTCTL" "$cmd" $opt >"$W/out" 2>"$W/err"
		tap_is "$?:$(head -n 1 "$W/out" | cut -d' ' -f1-3):$(cat "$W/err")" \
			"0:Usage: pgtctl $cmd:" "$cmd $opt: exit 0, its usage on stdout"
	done
	for opt in --version -V; do
		tap_is "$("$PGTCTL" "$cmd" $opt 2>&1; echo ":$?")" "$version
:0" "$cmd $opt: the version, exit 0"
	done
done
tap_is "$("$PGTCTL" version)" "$version" "pgtctl version"
tap_is "$("$PGTCTL" -V)" "$version" "pgtctl -V"
"$PGTCTL" help >"$W/h1" && "$PGTCTL" --help >"$W/h2" && "$PGTCTL" -h >"$W/h3"
tap_ok $? "help, --help and -h exit 0"
tap_ok "cmp -s '$W/h1' '$W/h2' && cmp -s '$W/h1' '$W/h3'" "help, --help and -h say the same"
"$PGTCTL" --help replay >"$W/h4" && "$PGTCTL" replay --help >"$W/h5"
tap_cmp "$W/h5" "$W/h4" "pgtctl --help replay is replay's help"

# ---- the option syntax ----
"$PGTCTL" replay --pages --format tsv "$trace" >"$W/p1" 2>&1
"$PGTCTL" replay "$trace" --format=tsv --pages >"$W/p2" 2>&1
tap_cmp "$W/p1" "$W/p2" "--opt=VALUE after the operand is --opt VALUE before it"
"$PGTCTL" replay --pag --form tsv "$trace" >"$W/p3" 2>&1
tap_cmp "$W/p1" "$W/p3" "unique prefixes of long options are taken"
"$PGTCTL" replay --pages --format tsv --format json --format tsv -- "$trace" >"$W/p4" 2>&1
tap_cmp "$W/p1" "$W/p4" "the last value of an option wins; -- ends the options"
"$PGTCTL" import -o"$W/i1" strace "$top_srcdir/tests/data/strace/cc.strace" 2>"$W/err" &&
	"$PGTCTL" import strace --output "$W/i2" "$top_srcdir/tests/data/strace/cc.strace" 2>>"$W/err"
tap_ok $? "import -oOUT and --output OUT run" || tap_diag "$(cat "$W/err")"
tap_cmp "$W/i1" "$W/i2" "-oOUT is --output OUT"

tap_done
