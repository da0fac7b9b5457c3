#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The layers of src/ point down (design.md "Layers"): a check over the
# #include lines of every source file, and over the places arch names are
# spelled.  Each directory may include only the directories listed for it:
#
#   lib      (nothing)          op      lib
#   mem      lib                arch    lib op mem
#   trace    lib op arch        engine  lib op mem arch
#   walk     lib mem arch       dump    lib mem arch walk (walk.h only)
#   render   lib mem arch walk  session every library layer above
#   cli, shell: anything; the library never includes them.
#
# The walker knows nothing of dumps or the engine; dumps include no views;
# arch includes nothing above it.  Arch names ("pae", "s390x", "s390" and
# the machine names dumps spell) appear as strings outside src/arch only in
# tests and docs.
#
# A rule that the code does not keep yet is reported as TAP "not ok #
# TODO" with the files that break it, so it is visible in every run and
# turns into a failure (XPASS) the day it holds, when its entry in
# known_todo below must go.

. "$top_srcdir/tests/lib/tap.sh"

src=$top_srcdir/src

allowed()	# DIR -> the directories DIR may include
{
	case $1 in
	lib) echo "" ;;
	op) echo "lib" ;;
	mem) echo "lib" ;;
	arch) echo "lib op mem" ;;
	trace) echo "lib op arch" ;;
	engine) echo "lib op mem arch" ;;
	walk) echo "lib mem arch" ;;
	dump) echo "lib mem arch walk" ;;
	render) echo "lib mem arch walk" ;;
	session) echo "lib op mem arch trace engine walk dump render session" ;;
	*) echo "*" ;;
	esac
}

# Rules not kept yet, with the reason: each is a TODO test until fixed.
known_todo()	# DIR -> reason, or nothing
{
	case $1 in
	*) ;;	# none today
	esac
}

for dir in "$src"/*/; do
	d=$(basename "$dir")
	ok=$(allowed "$d")
	test "$ok" = "*" && continue
	bad=
	for f in "$dir"*.c "$dir"*.h; do
		test -f "$f" || continue
		# quoted includes that leave the directory: "../X/..."
		for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\.\.\/\([a-z0-9_-]*\)\/.*/\1/p' "$f" | sort -u); do
			case " $ok " in
			*" $inc "*) ;;
			*) bad="$bad ${f#$src/}->$inc" ;;
			esac
		done
	done
	todo=$(known_todo "$d")
	if test -n "$todo"; then
		if test -n "$bad"; then
			echo "not ok $((tap_n + 1)) - src/$d includes only: ${ok:-nothing} # TODO $todo"
			tap_diag "breaks it:$bad"
		else
			echo "ok $((tap_n + 1)) - src/$d includes only: ${ok:-nothing} # TODO $todo"
		fi
		tap_n=$((tap_n + 1))
		continue
	fi
	test -z "$bad"
	tap_ok $? "src/$d includes only: ${ok:-nothing}" || tap_diag "breaks it:$bad"
done

# Dumps walk (root checks, --summary counts) but include no views.
bad=$(grep -l '#[[:space:]]*include[[:space:]]*"\.\./\(walk/view\|walk/record\|render/\)' \
	"$src"/dump/*.c "$src"/dump/*.h 2>/dev/null | sed "s|^$src/||")
test -z "$bad"
tap_ok $? "src/dump includes the walker, no view, record or renderer" || tap_diag "$bad"

# The library never includes the front ends.
bad=$(grep -l '#[[:space:]]*include[[:space:]]*"\.\./\(cli\|shell\)/' \
	"$src"/*/*.c "$src"/*/*.h 2>/dev/null |
	grep -v "^$src/\(cli\|shell\)/" | sed "s|^$src/||")
test -z "$bad"
tap_ok $? "no library file includes src/cli or src/shell" || tap_diag "$bad"

# Arch names outside src/arch: string literals naming an architecture or
# a machine, in code (comments are not counted).
names='"\(pae\|s390x\|s390\|S390X\|i386\|i486\|i586\|i686\|x86\|x86_64\|x86-64\)"'
hits=$(grep -n "$names" "$src"/*/*.c "$src"/*/*.h 2>/dev/null |
	grep -v "^$src/arch/" |
	sed -e "s|^$src/||" -e 's|/\*.*||' -e 's|^\([^:]*:[0-9]*:\)[[:space:]]*\*.*|\1|' |
	grep "$names")
test -z "$hits"
tap_ok $? "arch names appear as strings only in src/arch" || tap_diag "$hits"

tap_done
