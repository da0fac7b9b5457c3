# SPDX-License-Identifier: GPL-3.0-or-later
#
# Helpers for the tests that rewrite the shipped kdumps (source after
# tests/lib/tap.sh and tests/lib/dumps.sh):
#   kd_rewrite ARGS...   tests/tools/kdump-rewrite ARGS (exit 77: its library
#                        was not built)
#   kd_built COMP        true if this pgtctl reads COMP pages (pgtctl
#                        --version lists what it was built with)
#   kd_lib COMP          the library COMP needs (liblzo2, libsnappy, libzstd)
#   kd_compare_compressions NAME FILE
#                        FILE's --pages against its lzo, snappy, zstd
#                        rewrites and through both inflaters

kd_tool=$abs_top_builddir/tests/tools/kdump-rewrite
test -x "$kd_tool" ||
	tap_skip_all "$kd_tool not built (make check builds it)"

kd_rewrite()
{
	"$kd_tool" "$@"
}

kd_codecs=$("$PGTCTL" --version | sed -n 's/^kdump page compressions: //p' |
	sed 's/; not built:.*//')

kd_built()
{
	case ", $kd_codecs," in
	*", $1,"*) return 0 ;;
	*) return 1 ;;
	esac
}

kd_lib()
{
	case $1 in
	lzo) echo liblzo2 ;;
	snappy) echo libsnappy ;;
	zstd) echo libzstd ;;
	esac
}

# kd_compare_compressions NAME FILE: --pages of FILE (zlib) against its
# lzo, snappy and zstd rewrites (those built), and through both inflaters
kd_compare_compressions()
{
	d=$1
	src=$2
	w=$TAP_WORKDIR
	tap_limited "$PGTCTL" dump "$src" --pages --format tsv >"$w/$d-zlib.tsv" 2>"$w/err"
	tap_ok $? "$d: --pages of the zlib form exits 0" || tap_diag "$(cat "$w/err")"
	tap_ok "test \$(wc -l <'$w/$d-zlib.tsv') -gt 900" "$d: ... lists the user pages"
	for c in lzo snappy zstd; do
		if ! kd_built "$c"; then
			tap_skip "$(kd_lib "$c") not built: the missing-library test below instead" \
				"$d: $c pages give the same --pages"
			continue
		fi
		kd_rewrite "$src" "$w/$d.$c" "$c" 2>"$w/err"
		tap_ok $? "$d: kdump-rewrite writes $c pages" || tap_diag "$(cat "$w/err")"
		tap_limited "$PGTCTL" dump "$w/$d.$c" --pages --format tsv >"$w/$d-$c.tsv" 2>"$w/err"
		tap_ok $? "$d: --pages of the $c form exits 0" || tap_diag "$(cat "$w/err")"
		tap_is "$(cat "$w/err")" "" "$d: the $c form reports no finding"
		tap_cmp "$w/$d-zlib.tsv" "$w/$d-$c.tsv" "$d: $c pages give byte-identical --pages"
		rm -f "$w/$d.$c"
	done
	# both inflaters, whichever is the default
	for inf in zlib libdeflate; do
		tap_limited env PGTCTL_INFLATER="$inf" "$PGTCTL" dump "$src" --pages \
			--format tsv >"$w/$d-$inf.tsv" 2>"$w/err"
		st=$?
		if test "$inf" = libdeflate && grep -q 'built without it' "$w/err"; then
			tap_is "$st" 2 "$d: PGTCTL_INFLATER=libdeflate in a build without it: exit 2"
			continue
		fi
		tap_ok "$st" "$d: PGTCTL_INFLATER=$inf exits 0" || tap_diag "$(cat "$w/err")"
		tap_cmp "$w/$d-zlib.tsv" "$w/$d-$inf.tsv" "$d: the walk through $inf is the same"
	done
}
