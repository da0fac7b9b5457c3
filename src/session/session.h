/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A replay session: a trace held at a position, moved with step, back and
 * goto (the shell's movements).  Position N is the state after the first
 * N operations, as `replay --until N`; 0 is before the first.
 *
 * Moves never replay from the start of a long trace: the session keeps
 * checkpoints, full copies of the engine (pgt_engine_clone), at every
 * multiple of a spacing K reached so far, and a move restores the nearest
 * checkpoint at or before its target and replays the rest (going forward
 * by less than K/2 it simply replays from where it is).  A move therefore
 * replays fewer than K operations, plus one copy of a checkpoint, except
 * where it goes further than any move went before.  K adapts: when the
 * checkpoints take more than the memory budget, K doubles and every
 * other checkpoint is dropped, so checkpoint memory stays within the
 * budget (unless one checkpoint alone is bigger: then only position 0
 * is kept).  The grid takes at most 3/4 of the budget; in the rest, the
 * K ops behind the frontier keep checkpoints K/16 apart (once K >= 1024),
 * so that the first step back from the end of a long run is cheap, and
 * the second move in a row that restores one checkpoint
 * (stepping back) also leaves a ladder of checkpoints on its way, at
 * target - gap/2, - gap/4, ... down to 64 ops, so that the next steps
 * back replay at most ~128 ops each; these extra checkpoints are
 * dropped first when memory runs short.
 *
 * What it costs: each checkpoint what pgt_engine_checkpoint says (16
 * bytes per simulated frame ever handed out, 4 KiB per page-table frame
 * that differs from the checkpoint before, 24 bytes per VMA, small
 * per-mm state; flush records are not copied); on top of the
 * checkpoints, the operations of the trace (56 bytes each, read at open
 * so that the length and every op's text and line are known) and the
 * per-op flush records once (56 bytes each).  traces/large-generated
 * (3,000 ops) at the end: 94 checkpoints, 18 MB; a generated
 * 1,000,000-op pae trace: 31 on the grid (K 32768) and 16 recent, 235 MB,
 * back 1 from the end 0.03 s beside 3.2 s for the whole replay.
 *
 * The library never prints: errors come back in struct pgt_err, with the
 * trace position (FILE:LINE: op N) when an operation fails.
 */
#ifndef PGT_SESSION_H
#define PGT_SESSION_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include "../engine/engine.h"
#include "../trace/trace.h"

struct pgt_session;

struct pgt_session_opts {
	bool check;		/* invariants after each op, the first time
				 * a move applies it (as replay --check) */
	size_t budget;		/* checkpoint memory in bytes (0: 256 MiB) */
	unsigned long spacing;	/* initial checkpoint spacing K (0: 32) */
	/* optional (Ctrl-C of a shell): read before each op a move applies;
	 * non-zero stops the move there, short of its target, with PGT_OK
	 * (*moved and pgt_session_pos tell where); the caller clears it */
	const volatile sig_atomic_t *stop;
};

struct pgt_session_stats {
	unsigned long checkpoints;	/* held now, position 0 included */
	size_t checkpoint_bytes;	/* host memory they hold */
	unsigned long spacing;		/* K now */
	size_t budget;
	size_t trace_bytes;		/* the operations kept in memory */
	size_t flush_log_bytes;		/* the flush records kept once */
	unsigned long frontier;		/* furthest position reached */
	unsigned long restores;		/* checkpoints restored so far */
	unsigned long replayed;		/* operations applied so far */
};

/*
 * Open a trace (text or CBOR, "-" = stdin) and hold it at position 0.
 * Every operation is read here; a trace that cannot be read (or later,
 * an operation the engine rejects) ends the session's reach before that
 * operation: moves stop there with that error.  Header errors (arch,
 * options) fail the open.
 */
int pgt_session_open(const char *path, const struct pgt_session_opts *o,
		     struct pgt_session **out, struct pgt_err *err);
void pgt_session_close(struct pgt_session *s);

/* the state at the current position: valid until the next move */
struct pgt_engine *pgt_session_engine(struct pgt_session *s);
const struct pgt_trace_header *pgt_session_header(const struct pgt_session *s);
const char *pgt_session_path(const struct pgt_session *s);
unsigned long pgt_session_pos(const struct pgt_session *s);
/* operations reachable: all of the trace, or those before a broken one */
unsigned long pgt_session_length(const struct pgt_session *s);
bool pgt_session_at_end(const struct pgt_session *s);

/*
 * Apply the next n operations one by one, telling the listeners about
 * each (breakpoints); stops early at the end of the trace (*moved, may
 * be NULL, says how far it went; at the end a step moves 0 and succeeds)
 * or at an error.  A violated invariant (opts.check) stops the move
 * after the operation that violated it, with PGT_ERR_INVARIANT; the
 * next move goes on from there.  An operation that cannot be applied
 * (PGT_ERR_INPUT) leaves the position before it and ends the trace there.
 */
int pgt_session_step(struct pgt_session *s, unsigned long n,
		     unsigned long *moved, struct pgt_err *err);
/* n operations back (at most to 0), through a checkpoint: no events */
int pgt_session_back(struct pgt_session *s, unsigned long n,
		     unsigned long *moved, struct pgt_err *err);
/* to position pos (0 .. length), the cheapest way: no events.  Beyond
 * the length: PGT_ERR_USAGE without moving, or, when an operation ends
 * the trace early, the move to the length and that operation's error */
int pgt_session_goto(struct pgt_session *s, unsigned long pos,
		     struct pgt_err *err);

/* operation idx (1-based, up to a broken one included), or NULL */
const struct pgt_op *pgt_session_op(const struct pgt_session *s,
				    unsigned long idx);
/* "FILE:LINE" (text) or "FILE: byte N" (CBOR) of operation idx */
int pgt_session_where(const struct pgt_session *s, unsigned long idx,
		      char *buf, size_t len);

/*
 * Event listeners of the moves (pgt_engine_listen semantics).  The live
 * engine is replaced when a checkpoint is restored: listen here, not on
 * pgt_session_engine().
 */
int pgt_session_listen(struct pgt_session *s, pgt_event_fn *fn, void *arg,
		       struct pgt_err *err);
void pgt_session_unlisten(struct pgt_session *s, pgt_event_fn *fn, void *arg);

void pgt_session_stats(const struct pgt_session *s,
		       struct pgt_session_stats *st);

/*
 * Check the invariants (as opts.check) after every operation that
 * pgt_session_step applies from now on, also those before the frontier
 * (opts.check checks each op once, the first time): a shell's `break
 * invariant`.  Moves without events (back, goto) are not checked.
 */
void pgt_session_check_steps(struct pgt_session *s, bool on);

#endif
