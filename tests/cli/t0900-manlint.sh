# SPDX-License-Identifier: GPL-3.0-or-later
#
# The man pages are clean: mandoc -Tlint -Wwarning prints nothing and
# exits 0 (it exits 2 on warnings), and groff -ww prints no warnings
# (groff exits 0 even when it warns, so its output is what counts).

. "$top_srcdir/tests/lib/tap.sh"

: "${MANDOC:=}"
: "${GROFF:=}"
test -n "$MANDOC" || MANDOC=$(command -v mandoc) ||
	tap_skip_all "mandoc not found (Debian package: mandoc)"
test -n "$GROFF" || GROFF=$(command -v groff) || GROFF=

for page in man/pgtctl.1 man/pgtctl-trace.5; do
	file=$top_srcdir/$page
	out=$("$MANDOC" -Tlint -Wwarning "$file" 2>&1)
	st=$?
	tap_ok "$st" "mandoc -Tlint -Wwarning $page exits 0" ||
		tap_diag "$out"
	tap_is "$out" "" "mandoc -Tlint -Wwarning $page prints nothing"

	if test -n "$GROFF"; then
		out=$("$GROFF" -mandoc -ww -z "$file" 2>&1)
		tap_is "$out" "" "groff -mandoc -ww $page prints no warnings"
	else
		tap_skip "groff not found" "groff -mandoc -ww $page"
	fi
done

tap_done
