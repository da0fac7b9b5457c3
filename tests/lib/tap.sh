# SPDX-License-Identifier: GPL-3.0-or-later
#
# TAP helpers for the shell tests (POSIX sh).  Source it first thing:
#
#   . "$top_srcdir/tests/lib/tap.sh"
#
#   "$PGTCTL" replay "$top_srcdir/traces/x.trace" --pages >"$TAP_WORKDIR/out"
#   tap_ok $? "replay x.trace succeeds"
#   tap_cmp "$top_srcdir/tests/data/x.expect" "$TAP_WORKDIR/out" "pages of x"
#   tap_done
#
# Helpers (NAME is the test's description; it must not contain '#'):
#   tap_ok COND NAME      pass if COND is 0; COND is an exit status (a number)
#                         or a shell command string, run with eval
#   tap_run NAME CMD...   run CMD (no eval); pass if it exits 0, else show
#                         its output and status as diagnostics
#   tap_is GOT WANT NAME  pass if the two strings are equal
#   tap_cmp FILE1 FILE2 NAME
#                         pass if the files are equal, else show diff -u
#   tap_skip REASON [NAME]
#                         one skipped test (ok N # SKIP REASON)
#   tap_skip_all REASON   skip the whole script: "1..0 # SKIP REASON", exit 0
#   tap_need_shared       tap_skip_all unless $SHARED (the real dumps) exists
#   tap_memory_limit KIB  tap_limit=KIB if pgtctl starts under ulimit -v KIB,
#                         else "unlimited" (a sanitizer build cannot)
#   tap_limited CMD...    CMD under ulimit -v $tap_limit and timeout 10 s
#   tap_diag TEXT...      each TEXT on its own "# " line(s) on stdout (kept in
#                         the .log file)
#   tap_bail REASON       "Bail out! REASON", exit 99 (the harness is broken)
#   tap_done              print the plan; exit 1 if anything failed, else 0
#
# Environment (set by AM_TESTS_ENVIRONMENT in tests/Makemodule.am; defaulted
# here so a test also runs by hand from the top build directory):
#   PGTCTL top_srcdir srcdir abs_top_srcdir abs_top_builddir SHARED LC_ALL
# TAP_WORKDIR is a fresh directory under $abs_top_builddir/tests/work,
# removed when the script exits.  Write every output there, never into
# $srcdir (read-only in make distcheck).

set -u

: "${srcdir:=.}"
: "${top_srcdir:=$srcdir}"
: "${abs_top_srcdir:=$(cd "$top_srcdir" && pwd)}"
: "${abs_top_builddir:=$(pwd)}"
: "${PGTCTL:=$abs_top_builddir/src/pgtctl}"
: "${SHARED:=$abs_top_srcdir/../shared}"
LC_ALL=C
export srcdir top_srcdir abs_top_srcdir abs_top_builddir PGTCTL SHARED LC_ALL

tap_n=0
tap_failed=0

tap_diag()
{
	for tap__line; do
		printf '%s\n' "$tap__line"
	done | sed 's/^/# /'
}

tap_bail()
{
	echo "Bail out! $*"
	exit 99
}

tap__result()	# STATUS NAME
{
	tap_n=$((tap_n + 1))
	if test "$1" -eq 0; then
		echo "ok $tap_n - $2"
	else
		tap_failed=$((tap_failed + 1))
		echo "not ok $tap_n - $2"
	fi
	return "$1"
}

tap_ok()
{
	tap__st=$1
	tap__out=
	case $tap__st in
	'' | *[!0-9]*)
		tap__out=$( (eval "$1") 2>&1)
		tap__st=$?
		;;
	esac
	if ! tap__result "$tap__st" "$2"; then
		case $1 in
		'' | *[!0-9]*) tap_diag "command: $1" ;;
		esac
		tap_diag "exit status: $tap__st"
		test -z "$tap__out" || tap_diag "$tap__out"
		return 1
	fi
}

tap_run()
{
	tap__name=$1
	shift
	tap__out=$("$@" 2>&1)
	tap__st=$?
	if ! tap__result "$tap__st" "$tap__name"; then
		tap_diag "command: $*" "exit status: $tap__st"
		test -z "$tap__out" || tap_diag "$tap__out"
		return 1
	fi
}

tap_is()
{
	if ! tap__result "$(test "$1" = "$2"; echo $?)" "$3"; then
		tap_diag "got:  '$1'" "want: '$2'"
		return 1
	fi
}

tap_cmp()
{
	if cmp -s "$1" "$2"; then
		tap__result 0 "$3"
	else
		tap__result 1 "$3"
		diff -u "$1" "$2" 2>&1 | sed 's/^/# /'
		return 1
	fi
}

tap_skip()
{
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - ${2:-} # SKIP $1"
}

tap_skip_all()
{
	echo "1..0 # SKIP $*"
	exit 0
}

tap_need_shared()
{
	test -d "$SHARED/dumps" ||
		tap_skip_all "shared reference data not found (SHARED=$SHARED)"
}

# tap_memory_limit KIB: sets tap_limit to KIB when pgtctl starts under
# ulimit -v KIB, else to "unlimited" with a diagnostic (no ulimit -v in
# this shell, or a sanitizer build, whose shadow memory needs terabytes of
# address space).  The probe runs without the sanitizers' options, so its
# expected failure leaves no report in their log directory.
tap_memory_limit()
{
	tap_limit=$1
	# shellcheck disable=SC3045
	if ! (ulimit -v "$1" && ASAN_OPTIONS= UBSAN_OPTIONS= "$PGTCTL" --version) >/dev/null 2>&1; then
		tap_diag "pgtctl does not start under ulimit -v $1 KiB (no ulimit -v, or a sanitizer build): no memory limit, time limit 60 s"
		tap_limit=unlimited
		tap_timeout=60
	fi
}

# tap_limited CMD...: CMD under the memory limit of tap_memory_limit and
# a timeout (coreutils timeout) of 10 s, or 60 s in a sanitizer build
# (several times slower, and sharing the machine with the other tests):
# bounds against runaway work, not benchmarks.  Its status is returned.
tap_limited()
{
	(
		# shellcheck disable=SC3045
		ulimit -v "${tap_limit:-unlimited}" 2>/dev/null
		exec timeout "${tap_timeout:-10}" "$@"
	)
}

tap_done()
{
	echo "1..$tap_n"
	test "$tap_failed" -eq 0 || exit 1
	exit 0
}

# the work directory
tap__name=$(basename "$0" .sh)
mkdir -p "$abs_top_builddir/tests/work" ||
	tap_bail "cannot create $abs_top_builddir/tests/work"
TAP_WORKDIR=$(mktemp -d "$abs_top_builddir/tests/work/$tap__name.XXXXXX") ||
	tap_bail "cannot create a work directory"
export TAP_WORKDIR
trap 'rm -rf "$TAP_WORKDIR"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
