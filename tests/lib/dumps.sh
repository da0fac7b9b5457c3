# SPDX-License-Identifier: GPL-3.0-or-later
#
# Helpers for the tests over the real dumps in $SHARED/dumps (source after
# tests/lib/tap.sh):
#   dump_file REL        echo the path of $SHARED/dumps/REL; a REL ending
#                        in .gz is decompressed once into the build tree
#                        ($abs_top_builddir/tests/cache, kept between runs,
#                        written through a temp file and a rename so that
#                        parallel tests never see half a file)
#   dump_need REL...     tap_skip_all with the reason unless each exists
#   truth_cmp NAME ARGS  run tests/tools/dump-vs-truth.py ARGS as one test

: "${PYTHON:=python3}"
dump_cache=$abs_top_builddir/tests/cache

dump_need()
{
	tap_need_shared
	for dump__rel; do
		test -r "$SHARED/dumps/$dump__rel" ||
			tap_skip_all "$SHARED/dumps/$dump__rel not found (the real dumps are in ../shared beside the source tree)"
	done
	command -v "$PYTHON" >/dev/null 2>&1 || tap_skip_all "$PYTHON not found"
}

dump_file()
{
	case $1 in
	*.gz)
		dump__out=$dump_cache/$(echo "${1%.gz}" | tr / -)
		if ! test -s "$dump__out"; then
			mkdir -p "$dump_cache" || return 1
			gzip -dc "$SHARED/dumps/$1" >"$dump__out.$$" &&
				mv -f "$dump__out.$$" "$dump__out" ||
				{ rm -f "$dump__out.$$"; return 1; }
		fi
		echo "$dump__out" ;;
	*)
		echo "$SHARED/dumps/$1" ;;
	esac
}

truth_cmp()
{
	truth__name=$1
	shift
	"$PYTHON" "$top_srcdir/tests/tools/dump-vs-truth.py" "$@" >"$TAP_WORKDIR/cmp.out" 2>&1
	tap_ok $? "$truth__name: $(tail -n 1 "$TAP_WORKDIR/cmp.out")" ||
		tap_diag "$(cat "$TAP_WORKDIR/cmp.out")"
}
