/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pgt_session_check_steps (the shell's `break invariant`): with it on,
 * every op a step applies is checked, also ops before the frontier, and
 * a violation stops the step after that op with PGT_ERR_INVARIANT naming
 * the invariant; with it off, nothing is checked; goto and back are never
 * checked.  No trace of traces/ breaks an invariant (the engine keeps
 * them), so the state is broken by hand: a VMA whose end is not page
 * aligned (invariants.md G1), which the ops after it leave as it is.
 */
#include <stdlib.h>
#include <string.h>
#include "engine/engine.h"
#include "session/session.h"
#include "../lib/tap.h"

/* every live mm's last VMA ends one byte further: G1 */
static void break_vmas(struct pgt_engine *e)
{
	size_t i;

	for (i = 0; i < e->m.nmms; i++)
		if (e->m.mms[i] && !e->m.mms[i]->dead && e->m.mms[i]->nvma)
			e->m.mms[i]->vma[e->m.mms[i]->nvma - 1].end += 1;
}

int main(void)
{
	const char *top = getenv("abs_top_srcdir");
	struct pgt_session *s = NULL;
	struct pgt_err err = { 0 };
	unsigned long moved = 0;
	char path[400];
	int rc;

	snprintf(path, sizeof(path), "%s/traces/pae-fork.trace",
		 top ? top : ".");
	rc = pgt_session_open(path, NULL, &s, &err);
	ok(rc == PGT_OK, "open pae-fork.trace: %.200s", err.msg);
	if (rc)
		return done_testing();

	/* a clean replay passes the checks, before the frontier too */
	pgt_session_check_steps(s, true);
	rc = pgt_session_step(s, 7, &moved, &err);
	ok(rc == PGT_OK && moved == 7, "a clean trace steps to its end with the checks on (rc %d, %lu ops): %.200s",
	   rc, moved, err.msg);
	rc = pgt_session_goto(s, 2, &err);
	ok(rc == PGT_OK, "goto 2");
	rc = pgt_session_step(s, 1, &moved, &err);
	ok(rc == PGT_OK && pgt_session_pos(s) == 3, "op 3, before the frontier, checked and clean");

	/* broken by hand: not seen while the checks are off */
	break_vmas(pgt_session_engine(s));
	pgt_session_check_steps(s, false);
	rc = pgt_session_step(s, 1, &moved, &err);
	ok(rc == PGT_OK && pgt_session_pos(s) == 4, "checks off: op 4 steps over the broken state");

	/* on: the first op applied stops the step, after it */
	pgt_session_check_steps(s, true);
	memset(&err, 0, sizeof(err));
	rc = pgt_session_step(s, 3, &moved, &err);
	ok(rc == PGT_ERR_INVARIANT, "checks on: the step fails with PGT_ERR_INVARIANT (rc %d)", rc);
	ok(moved == 1 && pgt_session_pos(s) == 5, "it stops after op 5, the op it applied (moved %lu, pos %lu)",
	   moved, pgt_session_pos(s));
	ok(strstr(err.msg, "invariant G1 violated after op 5") != NULL,
	   "the message names the invariant and the op: %.300s", err.msg);
	ok(strstr(err.msg, "pae-fork.trace:") != NULL,
	   "and the trace line: %.300s", err.msg);

	/* moves without events are not checked; a restored state is clean */
	rc = pgt_session_goto(s, 6, &err);
	ok(rc == PGT_OK && pgt_session_pos(s) == 6, "goto is not checked (rc %d)", rc);
	rc = pgt_session_back(s, 4, &moved, &err);
	ok(rc == PGT_OK && pgt_session_pos(s) == 2, "back restores a checkpoint (rc %d)", rc);
	memset(&err, 0, sizeof(err));
	rc = pgt_session_step(s, 5, &moved, &err);
	ok(rc == PGT_OK && moved == 5, "from a checkpoint the state is clean again: steps to the end checked (rc %d): %.200s",
	   rc, err.msg);

	pgt_session_close(s);
	return done_testing();
}
