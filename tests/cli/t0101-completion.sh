#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The bash completion, driven through bash as readline would drive it:
# source contrib/completion/pgtctl.bash, set COMP_WORDS and COMP_CWORD
# (split at '=' as bash splits them), call _pgtctl, read COMPREPLY.  Run
# once on plain bash and once with the bash-completion package loaded
# (its _filedir then completes the file names), when it is installed.
# t0100 checks that the options offered are exactly the table's; this
# test checks the positions: commands, options, values after a space and
# after '=', files by kind, operands that are words, options that do not
# apply to the source already on the line.

. "$top_srcdir/tests/lib/tap.sh"

W=$TAP_WORKDIR
completion=$(cd "$top_srcdir" && pwd)/contrib/completion/pgtctl.bash

command -v bash >/dev/null 2>&1 || tap_skip_all "bash not found"

# files of each kind, in a directory of their own
mkdir "$W/f" "$W/f/sub" || tap_bail "mkdir failed"
: >"$W/f/a.trace"
: >"$W/f/b.cbor"
: >"$W/f/c.txt"
printf '\177ELF\002\001\001\000\000\000\000\000' >"$W/f/v.elf"
printf 'pgtctl-trace 1\narch pae\n' >"$W/f/t.trace"

# the cases: "WORDS... => EXPECTED" (COMPREPLY sorted, space-separated);
# '' is an empty word (the cursor after a space), the last word is the
# one under the cursor
cat >"$W/cases" <<'EOF'
'' => convert decode diff dump help import ptov read replay shell translate version
re => read replay
- => --help --version
rep --f => --filter --flushes --format
replay --format '' => dot json text tsv
replay --format j => json
replay --format = '' => dot json text tsv
replay --format = t => text tsv
replay --tr => --transitions --tree
replay '' => a.trace b.cbor sub t.trace
replay --tree '' => a.trace b.cbor sub t.trace
replay t.trace --until '' =>
dump '' => a.trace b.cbor c.txt sub t.trace v.elf
dump --root '' => cpu0 kernel user
dump --arch '' => i386 pae s390 s390x x86-64 x86-64-la57
dump --arch = s => s390 s390x
dump --save-tables '' => a.trace b.cbor c.txt sub t.trace v.elf
dump --save-tables = s => sub
decode --level '' => PD PDPT PML4 PML5 PT R1 R2 R3 SGT p4d pgd pmd pte pud
decode --arch pae --level '' => PD PDPT PT pgd pmd pte
decode --arch = s390 --level p => pgd pte
decode 0x1 '' =>
convert '' => a.trace b.cbor sub t.trace
convert a.trace '' => a.trace b.cbor c.txt sub t.trace v.elf
convert --to '' => cbor text
import '' => strace
import strace '' => a.trace b.cbor c.txt sub t.trace v.elf
import -o '' => a.trace b.cbor c.txt sub t.trace v.elf
import --populate = '' => all none writes
import --pop => --populate
translate v.elf -- => --arch --format --help --root --version
translate t.trace -- => --format --help --mm --until --version
translate --arch pae t.trace -- => --arch --format --help --phys-base --root --version
translate t.trace 0x1000 '' =>
help '' => convert decode diff dump help import ptov read replay shell translate version
help rep => replay
frobnicate '' =>
replay -- '' => a.trace b.cbor sub t.trace
EOF

# run every case in bash; $1: "plain" or the bash_completion script to load
run_cases()
{
	(cd "$W/f" && bash -c '
		if [ "$1" != plain ]; then . "$1" || exit 99; fi
		. "$2" || exit 99
		while read -r line; do
			eval "words=(${line% =>*})"
			COMP_WORDS=("$PGTCTL" "${words[@]}")
			COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
			COMP_LINE="${COMP_WORDS[*]}"
			COMP_POINT=${#COMP_LINE}
			COMPREPLY=()
			_pgtctl
			got=$(printf "%s\n" "${COMPREPLY[@]}" | sed "s,/\$,," |
				LC_ALL=C sort | tr "\n" " ")
			echo "${line% =>*} => ${got% }"
		done
	' sh "$1" "$completion" <"$W/cases" >"$W/got" 2>"$W/err")
}

check_cases()	# LABEL
{
	exec 3<"$W/got"
	while read -r want; do
		read -r got <&3
		tap_is "$got" "$want" "$1: ${want% =>*}"
	done <"$W/cases"
	exec 3<&-
}

run_cases plain
tap_ok $? "plain bash: the cases run" || tap_diag "$(cat "$W/err")"
check_cases "plain bash"

bc=
for f in "$(pkg-config --variable=mainscript bash-completion 2>/dev/null)" \
	/usr/share/bash-completion/bash_completion; do
	if test -n "$f" && test -r "$f"; then
		bc=$f
		break
	fi
done
if test -n "$bc"; then
	run_cases "$bc"
	tap_ok $? "with bash-completion: the cases run" || tap_diag "$(cat "$W/err")"
	check_cases "with bash-completion"
else
	tap_skip "bash-completion not installed (Debian package: bash-completion)" \
		"the cases with bash-completion loaded"
fi

# the hidden entry point stays quiet on calls it cannot make sense of
for args in "" "-- x pgtctl" "-- 9 pgtctl replay" "-- 0 pgtctl"; do
	# shellcheck disable=SC2086
	out=$("$PGTCTL" __complete $args 2>&1)
	tap_is "$?:$out" "0:" "__complete $args: exit 0, no output"
done

tap_done
