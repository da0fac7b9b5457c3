/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef PGT_REPLAY_H
#define PGT_REPLAY_H

#include "../engine/engine.h"
#include "../lib/progress.h"
#include "../trace/trace.h"

struct pgt_replay_opts {
	unsigned long until;	/* stop after this many operations (0: all) */
	bool check;		/* invariants after every operation: what it
				 * may have changed, everything at the end */
	bool check_full;	/* ... everything after every operation */
	/* called once the engine exists, before the first operation */
	void (*on_engine)(void *arg, struct pgt_engine *e);
	void *arg;
	/* optional: wall-clock nanoseconds and counts per operation kind */
	uint64_t *kind_ns;	/* [PGT_OP__COUNT] */
	uint64_t *kind_n;	/* [PGT_OP__COUNT] */
	/* optional, with kind_ns: the thread's CPU time per kind (two
	 * system calls per operation) */
	uint64_t *kind_cpu_ns;	/* [PGT_OP__COUNT] */
	/* optional: bytes of the trace read out of its size (0: unknown,
	 * standard input), every 1024 operations */
	struct pgt_progress progress;
};

/*
 * Replay the trace at path.  *out receives the engine (also on error, when
 * one was created, so the state so far can be shown); free it with
 * pgt_engine_free.
 */
/*
 * An engine for the trace r: its arch and "set" options, not started (so
 * that the caller can add listeners and --check first); errors name the
 * line.  *e may be set also on error: free it.
 */
int pgt_engine_from_header(struct pgt_trace_reader *r, struct pgt_engine **e,
			   struct pgt_err *err);
int pgt_replay(const char *path, const struct pgt_replay_opts *o,
	       struct pgt_engine **out, struct pgt_err *err);

#endif
