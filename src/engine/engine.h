/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The replay engine: address spaces (mm) with VMAs, users and CPUs, the
 * generic Linux mm operations (mm-ops.md) and the accounting of events,
 * flushes and state transitions.  No I/O: results are reported through an
 * event callback and counters; errors through struct pgt_err.
 */
#ifndef PGT_ENGINE_H
#define PGT_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include "../arch/arch.h"
#include "../arch/mm-services.h"
#include "../mem/simmem.h"
#include "../op/op.h"

/* The model the arch's mm rules share with the engine (struct pgt_mm,
 * pgt_vma, pgt_gather, pgt_event, struct pgt_machine) and the services the
 * engine gives them are declared in arch/mm-services.h. */

typedef void pgt_event_fn(void *arg, const struct pgt_event *ev);

/* listeners called in the order added (a shell's breakpoints beside
 * --events); a small fixed array: adding or removing is rare, and the
 * engine tests "anyone listening?" on its hot paths */
#define PGT_MAX_LISTENERS 8
struct pgt_listener {
	pgt_event_fn *fn;
	void *arg;
};
/* add (fn, arg) to the *n listeners of v / remove it: the engine's and a
 * session's lists (PGT_ERR_LIMIT past PGT_MAX_LISTENERS) */
int pgt_listener_add(struct pgt_listener *v, unsigned *n, pgt_event_fn *fn,
		     void *arg, struct pgt_err *err);
void pgt_listener_remove(struct pgt_listener *v, unsigned *n,
			 pgt_event_fn *fn, void *arg);

/* flushes of one (op, kind), with the rule(s) that caused them */
#define PGT_FLUSH_REASONS 4
struct pgt_flush_rec {
	unsigned long op;
	enum pgt_flush_kind kind;
	uint64_t count;
	const char *reason[PGT_FLUSH_REASONS];
};

enum pgt_thp_mode { PGT_THP_NEVER, PGT_THP_MADVISE, PGT_THP_ALWAYS };

struct pgt_check_state;	/* check.c: what the last check left behind */

struct pgt_engine {
	/* first: what the arch's mm rules see (arch/mm-services.h) */
	struct pgt_machine m;

	uint64_t mem_size;
	uint64_t max_host_mem;	/* set max-host-mem: limit of m.mem.host_bytes */
	uint64_t host_mem_ceiling;	/* the most a trace may set it to */
	enum pgt_thp_mode thp;
	bool thp_zero_page;
	bool check;		/* run invariants after every op */
	bool check_full;	/* ... on everything, not only what the op
				 * may have changed (--check=full) */
	struct pgt_check_state *chk;	/* NULL until a check ran */
	bool started;

	struct pgt_listener ev[PGT_MAX_LISTENERS];	/* m.nev of them */

	/* flush accounting: totals always; the per-op records (for the
	 * --flushes view) only when asked for, as they grow with the trace */
	bool flush_records;
	struct pgt_flush_rec *flush;
	size_t nflush, cflush;
	uint64_t flush_total[PGT_FL__COUNT];
	uint64_t nr_faults, nr_errors;
	uint64_t huge_zero_pfn;	/* the huge zero page once allocated, or 0 */
	bool tables_changed;	/* G16 bookkeeping */
	bool deposits_changed;	/* the running op pushed or popped a
				 * THP deposit (T3 of a partial check) */
};

/* lifecycle */
int pgt_engine_new(const char *arch, struct pgt_engine **out,
		   struct pgt_err *err);
void pgt_engine_free(struct pgt_engine *e);
int pgt_engine_set(struct pgt_engine *e, const char *key, const char *val,
		   struct pgt_err *err);
int pgt_engine_start(struct pgt_engine *e, struct pgt_err *err);
/* fn becomes the only listener (NULL: none) */
void pgt_engine_on_event(struct pgt_engine *e, pgt_event_fn *fn, void *arg);
/*
 * Add a listener (PGT_ERR_LIMIT when PGT_MAX_LISTENERS listen already) /
 * remove the one added with the same fn and arg.  Not from inside a
 * listener: the list must not change while an event is delivered.
 */
int pgt_engine_listen(struct pgt_engine *e, pgt_event_fn *fn, void *arg,
		      struct pgt_err *err);
void pgt_engine_unlisten(struct pgt_engine *e, pgt_event_fn *fn, void *arg);
/*
 * Apply one operation.  A kernel-level failure (ENOMEM, SIGSEGV ...) is an
 * outcome, reported as a RESULT event, not an error.  Errors are input
 * errors (op invalid here: PGT_ERR_INPUT) and, with check, invariant
 * violations (PGT_ERR_INVARIANT).
 */
int pgt_engine_apply(struct pgt_engine *e, const struct pgt_op *op,
		     struct pgt_err *err);
struct pgt_mm *pgt_engine_mm(struct pgt_engine *e, int id);

/*
 * A deep copy of the engine between two operations: the simulated memory
 * with a new host copy of every table frame, the frame allocator and its
 * free lists, every mm with its VMAs, deposit lists and arch state, the
 * arch's engine state, the counters and (unless PGT_CLONE_NO_FLUSH_RECS)
 * the per-op flush records.  The copy has no listeners, shares nothing
 * with e and is freed with pgt_engine_free.  *bytes (may be NULL)
 * receives the host memory it holds: about 16 bytes per frame below the
 * allocator's bump pointer (data pages included), 4 KiB per table frame
 * (in use or free), 24 bytes per VMA, 56 per flush record, plus small
 * per-mm state.  e may be a checkpoint (this is how one is restored).
 */
#define PGT_CLONE_NO_FLUSH_RECS 0x1u	/* totals only: the caller keeps
					 * the records (they only grow) */
struct pgt_engine *pgt_engine_clone(const struct pgt_engine *e,
				    unsigned flags, size_t *bytes,
				    struct pgt_err *err);
/*
 * A checkpoint: a frozen copy of e without flush records, to restore
 * with pgt_engine_clone (or to walk: its memory reads), never to run
 * (pgt_engine_apply refuses it).  Its table frames are shared with
 * checkpoint prev (may be NULL) of the same pool wherever their bytes
 * are equal, and so are its exited mms (they never change), so a
 * checkpoint near another costs mostly the frame metadata (16 bytes per
 * frame handed out) and the frames that changed (4 KiB each);
 * pool->bytes counts the memory of all of them exactly, *bytes (may be
 * NULL) what this one holds outside the pool (live mms, VMAs, arch
 * state, which is kept packed when it is plain bytes: read a copy for
 * anything but walking).  Free checkpoints with pgt_engine_free, in any
 * order.
 */
struct pgt_engine *pgt_engine_checkpoint(const struct pgt_engine *e,
					 const struct pgt_engine *prev,
					 struct sim_pool *pool, size_t *bytes,
					 struct pgt_err *err);
/* replace the per-op flush records by a copy of recs[0..n) */
int pgt_engine_set_flush_records(struct pgt_engine *e,
				 const struct pgt_flush_rec *recs, size_t n,
				 struct pgt_err *err);
/*
 * Every invariant on the whole state (generic and the arch's).  After
 * it passed, pgt_engine_apply with e->check and not e->check_full checks
 * only what each operation may have changed; a replay ends with this.
 */
int pgt_engine_check(struct pgt_engine *e, struct pgt_err *err);


#endif
