#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Progress of long replays and walks (issue 13): one line on stderr,
# rewritten with \r and cleared at the end, only when stderr is a
# terminal and --quiet is not given, after PGTCTL_PROGRESS_DELAY seconds
# (1; 0 here, so that short work shows it).  Never a byte of it when
# stderr is a file or a pipe.  The terminal is a pseudo-terminal opened
# by python3's pty module (those cases are skipped without python3).

. "$top_srcdir/tests/lib/tap.sh"

W=$TAP_WORKDIR
trace=$top_srcdir/traces/large-generated.trace	# 3,000 ops
cp "$trace" "$W/t.trace"
"$PGTCTL" convert --to cbor "$W/t.trace" "$W/t.cbor" ||
	tap_bail "cannot make a CBOR trace"
gzip -dc "$top_srcdir/tests/data/slices/pae-A1.elf.gz" >"$W/d.elf" ||
	tap_bail "cannot decompress the pae-A1 slice"

PGTCTL_PROGRESS_DELAY=0
export PGTCTL_PROGRESS_DELAY

# ---- stderr not a terminal: nothing, whatever the delay ----
for f in t.trace t.cbor; do
	"$PGTCTL" replay --check "$W/$f" >"$W/out" 2>"$W/err"
	tap_ok "test $? -eq 0 && ! test -s '$W/err'" \
		"replay $f, stderr a file: no progress written" ||
		tap_diag "$(od -c "$W/err" | head -n 3)"
done
"$PGTCTL" replay "$W/t.trace" 2>&1 >/dev/null | cat >"$W/err"
tap_ok "! test -s '$W/err'" "replay, stderr a pipe: no progress written"
"$PGTCTL" dump --summary "$W/d.elf" >"$W/out" 2>"$W/err"
tap_ok "test $? -eq 0 && ! test -s '$W/err'" \
	"dump --summary, stderr a file: no progress written" ||
	tap_diag "$(od -c "$W/err" | head -n 3)"

# ---- stderr a terminal ----
if ! command -v python3 >/dev/null 2>&1; then
	tap_skip "python3 not found" "progress on a terminal"
	tap_done
	exit
fi
cat >"$W/onpty.py" <<'PY'
# run argv[1:] with stderr on a new pseudo-terminal; print what it wrote
import os, pty, subprocess, sys
master, slave = pty.openpty()
p = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=slave)
os.close(slave)
out = b""
while True:
    try:
        d = os.read(master, 65536)
    except OSError:
        break
    if not d:
        break
    out += d
sys.stdout.buffer.write(out)
sys.exit(p.wait())
PY
# onpty ARGS...: pgtctl ARGS with stderr on a terminal; $W/tty, $rc
onpty()
{
	python3 "$W/onpty.py" "$PGTCTL" "$@" >"$W/tty"
	rc=$?
}

onpty replay "$W/t.trace"
tap_ok "test $rc -eq 0 && grep -q 'pgtctl: replay: trace read .*%' '$W/tty'" \
	"replay on a terminal: progress drawn" || tap_diag "$(od -c "$W/tty" | head -n 5)"
# the last line drawn is blanked: the output ends in \r, spaces, \r
last=$(tail -c 1 "$W/tty" | od -An -c | tr -d ' ')
seg=$(tr '\r' '\n' <"$W/tty" | tail -n 1)
tap_ok "test '$last' = '\\r' && test -n '$seg' && test -z \"\$(printf %s '$seg' | tr -d ' ')\"" \
	"replay on a terminal: the line is cleared at the end" ||
	tap_diag "$(tail -c 80 "$W/tty" | od -c)"
onpty replay "$W/t.cbor"
tap_ok "test $rc -eq 0 && grep -q 'pgtctl: replay: trace read .*%' '$W/tty'" \
	"replay of CBOR on a terminal: progress drawn"
onpty replay --quiet "$W/t.trace"
tap_ok "test $rc -eq 0 && ! test -s '$W/tty'" "replay --quiet on a terminal: nothing"
onpty dump --summary "$W/d.elf"
tap_ok "test $rc -eq 0 && grep -q 'pgtctl: dump: walked .*%' '$W/tty'" \
	"dump --summary on a terminal: progress drawn" ||
	tap_diag "$(od -c "$W/tty" | head -n 5)"
onpty dump --quiet --summary "$W/d.elf"
tap_ok "test $rc -eq 0 && ! test -s '$W/tty'" "dump --quiet on a terminal: nothing"
PGTCTL_PROGRESS_DELAY=60 onpty replay "$W/t.trace"
tap_ok "test $rc -eq 0 && ! test -s '$W/tty'" \
	"work shorter than the delay: nothing, even on a terminal"
tap_done
