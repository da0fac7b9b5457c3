# SPDX-License-Identifier: GPL-3.0-or-later
#
# bash completion for pgtctl: commands, options, option values (formats,
# arch names, levels, root names, ...) and files of the kind each operand
# takes.  The candidates come from pgtctl's own command table through the
# hidden command
#
#   pgtctl __complete -- CWORD WORD0 WORD1 ...
#
# (see src/cli/complete.c), so this file never lists an option itself and
# cannot fall behind the program.  make install puts it where
# bash-completion loads it on first use (as "pgtctl"); it can also simply
# be sourced.  It works with or without the bash-completion package.

# COMP_WORDS with "--opt" "=" "value" joined back into "--opt=value" (bash
# splits words at the '=' of COMP_WORDBREAKS), into _pgtctl_words, and the
# index of the word under the cursor among them into _pgtctl_cword.
_pgtctl_join_words()
{
	local i n=-1 w

	_pgtctl_words=()
	for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
		w=${COMP_WORDS[i]}
		if ((n >= 0)) && [[ $w == = && ${_pgtctl_words[n]} == --* &&
			${_pgtctl_words[n]} != *=* ]]; then
			_pgtctl_words[n]+=$w
		elif ((i > 1)) && [[ ${COMP_WORDS[i - 1]} == = &&
			${_pgtctl_words[n]} == --*= ]]; then
			_pgtctl_words[n]+=$w
		else
			_pgtctl_words[++n]=$w
		fi
		((i == COMP_CWORD)) && _pgtctl_cword=$n
	done
}

# file names for $1, with the extensions $2 ("trace|cbor"; empty: any)
_pgtctl_files()
{
	local cur=$1 ext=$2 extglob

	compopt -o filenames 2>/dev/null
	if declare -F _filedir >/dev/null; then
		_filedir "$ext"
		return
	fi
	extglob=$(shopt -p extglob)
	shopt -s extglob
	if [[ $ext ]]; then
		mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -d -- "$cur")
		mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY \
			< <(compgen -f -X "!*.@($ext)" -- "$cur")
	else
		mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- "$cur")
	fi
	eval "$extglob"
}

_pgtctl()
{
	local _pgtctl_words _pgtctl_cword cur line files='' ext='' prog
	local -a found=()

	_pgtctl_join_words
	cur=${_pgtctl_words[_pgtctl_cword]}
	prog=${_pgtctl_words[0]/#\~/$HOME}
	COMPREPLY=()
	while IFS= read -r line; do
		case $line in
		:files) files=1 ;;
		:files\ *) files=1 ext=${line#:files } ;;
		*) found+=("$line") ;;
		esac
	done < <("$prog" __complete -- "$_pgtctl_cword" "${_pgtctl_words[@]}" 2>/dev/null)

	# bash replaces only the text after the last '=' of --opt=value
	if [[ $cur == --*=* && $COMP_WORDBREAKS == *=* ]]; then
		found=("${found[@]#"${cur%%=*}="}")
		cur=${cur#*=}
	fi
	COMPREPLY=("${found[@]}")
	if [[ $files ]]; then
		_pgtctl_files "$cur" "$ext"
	fi
}

complete -F _pgtctl pgtctl
