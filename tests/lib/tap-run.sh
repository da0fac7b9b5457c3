#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs one test for build-aux/tap-driver.sh (LOG_COMPILER/SH_LOG_COMPILER):
#   tap-run.sh PROGRAM [ARGS...]
# The TAP driver treats any non-zero exit as an error, including the
# Automake convention 77 "cannot run here".  This wrapper keeps that
# convention working: a test that exits 77 without having printed a plan
# is reported as skipped ("1..0 # SKIP ...").  Print "# why" lines before
# exiting 77 to leave the reason in the test's .log file.  Any other status
# is passed through unchanged.
#
# A test that hangs is killed after PGT_TEST_TIMEOUT seconds (default 600,
# the whole suite's budget): a hang is then a failure with a reason instead
# of a CI run that never ends.

if command -v timeout >/dev/null 2>&1; then
	timeout -k 10 "${PGT_TEST_TIMEOUT:-600}" "$@"
	rc=$?
	if test "$rc" -eq 124; then
		echo "Bail out! killed after ${PGT_TEST_TIMEOUT:-600} s (a hang?)"
		exit 1
	fi
else
	"$@"
	rc=$?
fi
if test "$rc" -eq 77; then
	echo "1..0 # SKIP exited with status 77 (cannot run here)"
	exit 0
fi
exit "$rc"
