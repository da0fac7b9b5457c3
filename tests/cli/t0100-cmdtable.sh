#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# One command table drives the help, the man page and the completion
# (issue 8, item 4).  pgtctl __table prints the table: a line "CMD" per
# command, then "CMD<TAB>--NAME<TAB>-L|-<TAB>VALUE|-<TAB>SOURCES" per option
# (--help and --version included, which every command takes).  Against it:
#   - pgtctl CMD --help lists exactly the table's options of CMD, long and
#     short, each line within 80 columns, and pgtctl help CMD says the same;
#     pgtctl --help lists exactly the commands;
#   - man/pgtctl.1 documents, under OPTIONS, exactly the options of each
#     command (".Ss CMD", with the common options before the first .Ss);
#     no option the table lacks is mentioned anywhere in it (or in
#     pgtctl-trace(5)); each
#     SYNOPSIS line uses only its command's options; each command has an
#     entry in DESCRIPTION;
#   - the bash completion offers exactly the commands, exactly the options
#     of each command, and for an option with a list of values exactly
#     those values.

. "$top_srcdir/tests/lib/tap.sh"

W=$TAP_WORKDIR
man=$top_srcdir/man/pgtctl.1
completion=$top_srcdir/contrib/completion/pgtctl.bash

"$PGTCTL" __table >"$W/table" || tap_bail "pgtctl __table failed"
awk -F'\t' 'NF == 1' "$W/table" >"$W/commands"
test -s "$W/commands" || tap_bail "pgtctl __table lists no command"
tap_ok "! grep -q '^__' '$W/commands'" "the hidden commands are not in the table's listing"

# the table's options of a command, long then short, sorted
table_opts()	# CMD
{
	awk -F'\t' -v c="$1" 'NF > 1 && $1 == c {
		print $2; if ($3 != "-") print $3 }' "$W/table" | sort
}

# ---- help ----

"$PGTCTL" --help >"$W/help" || tap_bail "pgtctl --help failed"
sed -n '/^Commands:/,/^$/p' "$W/help" | awk 'NF > 1 { print $1 }' >"$W/help.commands"
tap_cmp "$W/commands" "$W/help.commands" "pgtctl --help lists exactly the commands of the table"

while read -r cmd; do
	"$PGTCTL" "$cmd" --help >"$W/h.$cmd" 2>"$W/err"
	tap_ok $? "$cmd --help exits 0" || tap_diag "$(cat "$W/err")"
	table_opts "$cmd" >"$W/want"
	# "  -o, --output OUT   help", "      --tree   help" or
	# "      --check[=full]   help" (a value that may be left out)
	awk '/^  (-[a-zA-Z],|   ) --[a-z]/ {
		if ($1 ~ /^-[a-zA-Z],$/) { print substr($1, 1, 2); print $2 }
		else { o = $1; sub(/\[=.*$/, "", o); print o } }' "$W/h.$cmd" | sort >"$W/got"
	tap_cmp "$W/want" "$W/got" "$cmd --help lists exactly the table's options"
	tap_ok "! awk 'length > 80' '$W/h.$cmd' | grep -q ." \
		"$cmd --help fits 80 columns"
	"$PGTCTL" help "$cmd" >"$W/hh" 2>&1
	tap_cmp "$W/h.$cmd" "$W/hh" "help $cmd says what $cmd --help says"
done <"$W/commands"

# ---- the man page ----

# "SECTION OPTION" for each option on an .It line of OPTIONS; SECTION is
# "*" before the first .Ss (the options every command takes)
awk '
/^\.Sh / { in_opts = ($2 == "OPTIONS"); sec = "*"; next }
!in_opts { next }
/^\.Ss / { sec = $2; next }
/^\.It / {
	for (i = 2; i < NF; i++)
		if ($i == "Fl") {
			o = $(i + 1)
			sub(/^\\-/, "--", o)
			if (o ~ /^--[a-z]/ || o ~ /^[a-zA-Z]$/)
				print sec, (o ~ /^--/ ? o : "-" o)
		}
}' "$man" >"$W/man.opts"
while read -r cmd; do
	table_opts "$cmd" >"$W/want"
	awk -v c="$cmd" '$1 == c || $1 == "*" { print $2 }' "$W/man.opts" |
		sort -u >"$W/got"
	tap_cmp "$W/want" "$W/got" "man page: OPTIONS documents exactly the options of $cmd"
done <"$W/commands"
awk '$1 != "*" { print $1 }' "$W/man.opts" | sort -u >"$W/man.sections"
sort "$W/commands" >"$W/commands.sorted"
tap_ok "! comm -23 '$W/man.sections' '$W/commands.sorted' | grep -q ." \
	"man page: every subsection of OPTIONS is a command" ||
	tap_diag "$(comm -23 "$W/man.sections" "$W/commands.sorted")"

# every long option mentioned anywhere in the pages
awk -F'\t' 'NF > 1 { print $2 }' "$W/table" | sort -u >"$W/table.all"
for page in "$man" "$top_srcdir/man/pgtctl-trace.5"; do
	grep -o 'Fl \\-[a-z][a-z0-9-]*' "$page" | sed 's/^Fl \\-/--/' |
		sort -u >"$W/man.all"
	comm -23 "$W/man.all" "$W/table.all" >"$W/extra"
	tap_ok "! test -s '$W/extra'" "${page##*/}: mentions no option that no command has" ||
		tap_diag "$(cat "$W/extra")"
done

# SYNOPSIS: ".Nm" starts a line, ".Cm CMD" names its command
awk '
/^\.Sh / { in_syn = ($2 == "SYNOPSIS"); next }
!in_syn { next }
/^\.Nm/ { cmd = "" ; next }
/^\.Cm / && cmd == "" { cmd = $2; print cmd, "-"; next }
{
	for (i = 1; i < NF; i++)
		if ($i == "Fl") {
			o = $(i + 1)
			sub(/^\\-/, "--", o)
			print (cmd == "" ? "*" : cmd), (o ~ /^--/ ? o : "-" o)
		}
}' "$man" >"$W/man.syn"
bad=
for cmd in $(awk '$2 != "-" && $1 != "*" { print $1 }' "$W/man.syn" | sort -u); do
	table_opts "$cmd" >"$W/want"
	for o in $(awk -v c="$cmd" '$1 == c && $2 != "-" { print $2 }' "$W/man.syn"); do
		grep -qxF -- "$o" "$W/want" || bad="$bad $cmd:$o"
	done
done
for o in $(awk '$1 == "*" { print $2 }' "$W/man.syn"); do
	grep -qxF -- "$o" "$W/table.all" || bad="$bad *:$o"
done
tap_is "$bad" "" "man page: each SYNOPSIS line uses only its command's options"
awk '$2 == "-" { print $1 }' "$W/man.syn" | sort -u >"$W/syn.commands"
tap_cmp "$W/commands.sorted" "$W/syn.commands" "man page: SYNOPSIS has a line for each command, and no other"

while read -r cmd; do
	grep -q "^\.It Cm $cmd\( \|$\)" "$man"
	tap_ok $? "man page: DESCRIPTION has an entry for $cmd"
done <"$W/commands"

# ---- the completion ----

command -v bash >/dev/null 2>&1 || { tap_skip "bash not found" "completion"; tap_done; }

# "CMD OPTION" for each option offered after "pgtctl CMD --", and
# "CMD OPTION VALUE" for each value offered after "pgtctl CMD OPTION"
bash -c '
	. "$1" || exit 99
	comp() {
		COMP_WORDS=("$PGTCTL" "$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMPREPLY=()
		_pgtctl
	}
	comp ""
	printf "%s\n" "${COMPREPLY[@]}" >"$2/comp.commands"
	while IFS="	" read -r cmd opt letter value src; do
		if [ -z "$opt" ]; then
			comp "$cmd" --
			for o in "${COMPREPLY[@]}"; do echo "$cmd $o"; done
		elif [ "${value#*|}" != "$value" ]; then
			comp "$cmd" "$opt" ""
			for v in "${COMPREPLY[@]}"; do echo "$cmd $opt $v"; done
		fi
	done <"$2/table" >"$2/comp.out"
' sh "$completion" "$W" 2>"$W/err"
tap_ok $? "the completion script runs in bash" || tap_diag "$(cat "$W/err")"

tap_cmp "$W/commands" "$W/comp.commands" "completion: 'pgtctl <TAB>' offers exactly the commands"
while read -r cmd; do
	awk -F'\t' -v c="$cmd" 'NF > 1 && $1 == c { print $2 }' "$W/table" |
		sort >"$W/want"
	awk -v c="$cmd" '$1 == c && NF == 2 { print $2 }' "$W/comp.out" |
		sort >"$W/got"
	tap_cmp "$W/want" "$W/got" "completion: 'pgtctl $cmd --<TAB>' offers exactly its options"
done <"$W/commands"

awk -F'\t' 'NF > 1 && $4 ~ /\|/ { n = split($4, v, "|")
	for (i = 1; i <= n; i++) print $1, $2, v[i] }' "$W/table" | sort >"$W/want"
awk 'NF == 3' "$W/comp.out" | sort >"$W/got"
tap_cmp "$W/want" "$W/got" "completion: an option's values are exactly those its help lists"

tap_done
