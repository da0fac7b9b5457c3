#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The real interactive shell, on a terminal that tmux provides (readline
# is active only there): the prompt says where the session is; a step
# moves it; Tab completes a command, an option, a format, an address the
# step showed and a flush kind;
# the history file is created under $XDG_STATE_HOME and holds the
# commands (one that cannot be had is noted, not fatal); the up arrow recalls the previous session's commands; Ctrl-C
# stops a long run at an op boundary and returns to the prompt; Ctrl-D
# leaves; on a dump slice, the prompt names the root and cd/ls walk the
# tables.  Every wait polls the screen for the text expected, or the
# cursor for a line entered (no fixed sleep decides a result, so a loaded
# machine only makes it slower); a private server (-L) and no config (-f
# /dev/null), as tmux's own regress tests do.

. "$top_srcdir/tests/lib/tap.sh"

command -v tmux >/dev/null 2>&1 || tap_skip_all "tmux not found (the Debian package tmux)"

W=$TAP_WORKDIR
SOCK=pgt-t4001-$$
trace=$top_srcdir/traces/pae-fork.trace
XDG_STATE_HOME=$W/state	# does not exist: the shell creates it
export XDG_STATE_HOME
trap 'tmux -L "$SOCK" kill-server >/dev/null 2>&1' EXIT

tm()
{
	tmux -L "$SOCK" "$@"
}

screen()
{
	tm capture-pane -p -J 2>/dev/null
}

# wait_for TEXT: poll the screen (up to ~20 s) for a line holding TEXT
wait_for()
{
	i=0
	while test $i -lt 200; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# wait_entered TEXT: poll (up to ~20 s) until the line holding TEXT has
# been entered: the cursor is below it (readline has taken the line and
# the command runs)
wait_entered()
{
	i=0
	while test $i -lt 200; do
		y=$(screen | grep -nF -- "$1" | tail -n 1 | cut -d: -f1)
		cy=$(tm display-message -p '#{cursor_y}' 2>/dev/null)
		test -n "$y" && test -n "$cy" && test "$cy" -ge "$y" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# ok_screen TEXT NAME: a test that the screen shows TEXT, with the screen
# as a diagnostic when it does not
ok_screen()
{
	if wait_for "$1"; then
		tap_ok 0 "$2"
	else
		tap_ok 1 "$2"
		tap_diag "waited for: $1" "$(screen)"
	fi
}

# start TRACE: a new server and session running the shell on TRACE.  A
# server just killed may still hold the socket ("server exited
# unexpectedly"): try again until the session is there (up to ~10 s)
start()	# TRACE
{
	i=0
	while test $i -lt 100; do
		tm -f /dev/null new-session -d -x 120 -y 40 \
			"'$PGTCTL' shell '$1'; echo shell-exited-\$?; sleep 60" \
			2>/dev/null && tm has-session 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	tap_diag "tmux: cannot start a session"
	return 1
}

# stop: kill the server and wait until it is gone
stop()
{
	tm kill-server >/dev/null 2>&1
	i=0
	while tm has-session 2>/dev/null && test $i -lt 100; do
		sleep 0.1
		i=$((i + 1))
	done
}

start "$trace"
ok_screen "pae op 0/7 mm 1> " "the prompt names the arch, the position and the mm"
tm send-keys step Enter
ok_screen "pae op 1/7 mm 1> " "step moves the session: the prompt says op 1/7"
tap_ok "screen | grep -qF 'op 1/7 alloc 0x10000000 256K rw private anon'" \
	"the step shows the operation applied"

tm send-keys pag Tab
ok_screen "pae op 1/7 mm 1> pages " "Tab completes a command (pag -> pages)"
tm send-keys -l -- '--form'
tm send-keys Tab
ok_screen "> pages --format " "Tab completes an option (--form -> --format)"
tm send-keys ts Tab
ok_screen "> pages --format tsv " "Tab completes an option's value (ts -> tsv)"
tm send-keys Enter
ok_screen "# va" "the completed command runs: the pages TSV header"
tm send-keys 'translate 0x1' Tab
ok_screen "> translate 0x10000000 " "Tab completes an address seen (the op step showed)"
tm send-keys C-u
wait_for "pae op 1/7 mm 1> "
tm send-keys 'break flush invl' Tab
ok_screen "> break flush invlpg " "Tab completes a flush kind after break flush"
tm send-keys Enter
ok_screen "breakpoint 1: flush invlpg" "the breakpoint is set"
tm send-keys C-d
ok_screen "shell-exited-0" "Ctrl-D leaves the shell, status 0"
stop

hist=$XDG_STATE_HOME/pgtctl/history
tap_ok "test -f '$hist'" "the history file is created under \$XDG_STATE_HOME/pgtctl"
tap_ok "grep -qx 'pages --format tsv' '$hist' && grep -qx step '$hist'" \
	"the history file holds the commands"

# the previous session's commands come back with the up arrow
start "$trace"
wait_for "pae op 0/7 mm 1> "
tm send-keys Up Up
ok_screen "pae op 0/7 mm 1> pages --format tsv" "Up recalls a command of the previous session"
tm send-keys C-u 'quit' Enter
ok_screen "shell-exited-0" "quit leaves the shell, status 0"
stop

# a history file that cannot be had is noted once and is not fatal
: >"$W/not-a-dir"
XDG_STATE_HOME=$W/not-a-dir
start "$trace"
ok_screen "pgtctl: shell: note: no history file in $W/not-a-dir/pgtctl" \
	"an unusable \$XDG_STATE_HOME is noted"
ok_screen "pae op 0/7 mm 1> " "and the shell goes on to its prompt"
tm send-keys step Enter
ok_screen "pae op 1/7 mm 1> " "commands run without a history file"
tm send-keys quit Enter
ok_screen "shell-exited-0" "and it quits with status 0"
stop
XDG_STATE_HOME=$W/state

# Ctrl-C stops a long run at an op boundary and gives the prompt back
awk 'BEGIN { print "pgtctl-trace 1"; print "arch pae"
	for (i = 0; i < 3000; i++) {
		print "alloc 0x10000000 256M rw"
		print "populate 0x10000000 256M write"
		print "unmap 0x10000000 256M" } }' >"$W/slow.trace"
start "$W/slow.trace"
wait_for "pae op 0/9000 mm 1> "
tm send-keys run Enter
wait_entered "mm 1> run"
tm send-keys C-c
ok_screen "interrupted at op " "Ctrl-C interrupts run"
n=$(screen | sed -n 's/.*interrupted at op \([0-9]*\)$/\1/p')
tap_ok "test '${n:-0}' -gt 0 && test '${n:-9000}' -lt 9000" \
	"run stopped short of the end (op ${n:-?} of 9000)"
ok_screen "pae op ${n:-x}/9000 mm 1> " "the prompt comes back at that op"
tm send-keys 'break fl'
wait_for "mm 1> break fl"
tm send-keys C-c
# the interrupt reaches the shell as a signal, the keys after it as input:
# type on only once the dropped line is left behind (the cursor below it),
# or readline may read them before the handler runs (seen under load)
wait_entered "mm 1> break fl"
tm send-keys where Enter
# (the op at N is whichever of alloc, populate, unmap the run stopped after)
ok_screen "op ${n:-x}/9000 mm 1> where" "Ctrl-C at the prompt drops the line typed"
tap_ok "! screen | grep -qF 'break flwhere'" "the dropped line is not run with the next one"
tm send-keys quit Enter
ok_screen "shell-exited-0" "the interrupted session quits normally"

# a dump: the prompt names the root; cd and ls walk the tables
stop
gunzip -c "$top_srcdir/tests/data/slices/pae-A1.elf.gz" >"$W/pae.elf"
start "$W/pae.elf"
ok_screen "pae dump root cpu0> " "on a dump the prompt names the arch and the root"
tm send-keys 'c' Tab
ok_screen "pae dump root cpu0> cd " "Tab completes a dump command (c -> cd)"
tm send-keys 0 Enter
tm send-keys ls Enter
ok_screen "# PD at 0x30ef000: 8 of 512 entries in use" "cd 0 then ls lists the PD the first PDPTE points to"
tm send-keys 'root ke' Tab
ok_screen "pae dump root cpu0> root kernel " "Tab completes a root name"
tm send-keys Enter
ok_screen "pae dump root kernel> " "root kernel: the prompt follows"
tm send-keys quit Enter
ok_screen "shell-exited-0" "the dump session quits"

tap_done
