/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Replay sessions: the operations of a trace in memory, a live engine at
 * the current position, checkpoints (frozen engine copies) to move back
 * from, and the flush records kept once for all of them.  session.h says
 * what a move and a checkpoint cost.
 */
#include <stdlib.h>
#include <string.h>
#include "replay.h"
#include "session.h"

#define DEFAULT_BUDGET (256ul << 20)
#define DEFAULT_SPACING 32ul
/* ladder checkpoints: no closer than this to their target, at most this
 * many kept */
#define LADDER_MIN 64ul
#define LADDER_MAX 32
/* the last K ops before the frontier are checkpointed K / this apart */
#define RECENT_SPLIT 16ul

enum ck_kind {
	CK_GRID,	/* at a multiple of K: kept until K doubles */
	CK_RECENT,	/* finer, in the K ops behind the frontier */
	CK_LADDER,	/* toward the target of a step back */
};

struct ckpt {
	unsigned long pos;
	struct pgt_engine *e;	/* pgt_engine_checkpoint */
	size_t nflush;		/* flush records of the first pos ops */
	size_t bytes;		/* held outside the pool */
	size_t cost;		/* what taking it added (shares go to the first) */
	enum ck_kind kind;
};

struct pgt_session {
	struct pgt_trace_reader *r;	/* kept for the header and positions */
	struct pgt_engine *e;		/* the state at pos */
	unsigned long pos;
	bool check;
	bool check_steps;		/* every op a step applies, too */

	struct pgt_op *ops;		/* every operation read */
	unsigned long nread, cread;
	unsigned long nops;		/* reachable: before a broken op */
	bool broken;			/* op nops + 1 cannot be read/applied */
	struct pgt_err broken_err;

	unsigned long frontier;		/* furthest position reached */
	/*
	 * The per-op flush records of ops 1..frontier: those of any
	 * position are a prefix, so checkpoints keep only a count, and the
	 * array is the live engine's own (handed to the engine a restore
	 * makes): replaying ops before the frontier rewrites records with
	 * the bytes they hold, only ops past it append.
	 */
	struct pgt_flush_rec *flog;	/* == e->flush */
	size_t nflog, cflog;

	struct ckpt *ck;		/* sorted by pos, ck[0].pos == 0 */
	size_t nck, cck;
	struct sim_pool pool;		/* their simulated memories */
	size_t ck_bytes;		/* the rest of them */
	unsigned long spacing;
	size_t budget;
	size_t nladder;
	size_t grid_cost;		/* cost of the CK_GRID ones */
	/* the ladder of the running move: a checkpoint at lad_target -
	 * lad_gap, then the gap halves (0: none) */
	unsigned long lad_target, lad_gap;
	unsigned long last_restore;	/* position restored by the last
					 * move that restored one, + 1 */

	struct pgt_listener ev[PGT_MAX_LISTENERS];
	unsigned nev;
	const volatile sig_atomic_t *stop;
	bool stopped;			/* the last move was stopped */

	unsigned long restores, replayed;
};

/* ---- open: the operations and the engine at position 0 ---- */

static int read_ops(struct pgt_session *s, struct pgt_err *err)
{
	struct pgt_op op;
	int done = 0;

	for (;;) {
		if (pgt_trace_next(s->r, &op, &done, &s->broken_err)) {
			/* the trace ends for the session before this op */
			s->broken = true;
			break;
		}
		if (done)
			break;
		if (s->nread == s->cread) {
			unsigned long c = s->cread ? s->cread * 2 : 256;
			struct pgt_op *p = realloc(s->ops, c * sizeof(*p));

			if (!p)
				return pgt_fail(err, PGT_ERR_NOMEM,
						"%s: out of memory reading operation %lu",
						pgt_trace_path(s->r), s->nread + 1);
			s->ops = p;
			s->cread = c;
		}
		s->ops[s->nread++] = op;
	}
	s->nops = s->nread;
	return PGT_OK;
}

/* the engine of the header, started: the same steps and messages as
 * pgt_replay */
static int new_engine(struct pgt_session *s, struct pgt_err *err)
{
	int rc = pgt_engine_from_header(s->r, &s->e, err);

	if (rc)
		return rc;
	rc = pgt_engine_start(s->e, err);
	if (rc)
		pgt_err_prefix(err, "%s", pgt_trace_path(s->r));
	return rc;
}

/* ---- checkpoints ---- */

static void ck_free(struct pgt_session *s, struct ckpt *c)
{
	s->ck_bytes -= c->bytes;
	s->nladder -= c->kind == CK_LADDER;
	if (c->kind == CK_GRID)
		s->grid_cost -= c->cost;
	pgt_engine_free(c->e);
	c->e = NULL;
}

static size_t ck_total(const struct pgt_session *s)
{
	return s->pool.bytes + s->ck_bytes;
}

/* drop the checkpoints drop() picks, never the one at position 0 */
static void ck_drop_if(struct pgt_session *s,
		       bool (*drop)(const struct ckpt *c, unsigned long arg),
		       unsigned long arg)
{
	size_t i, n;

	for (i = n = 0; i < s->nck; i++) {
		if (i && drop(&s->ck[i], arg))
			ck_free(s, &s->ck[i]);
		else
			s->ck[n++] = s->ck[i];
	}
	s->nck = n;
}

static bool off_grid(const struct ckpt *c, unsigned long spacing)
{
	return c->kind != CK_GRID || c->pos % spacing;
}

static bool is_extra(const struct ckpt *c, unsigned long unused)
{
	return c->kind != CK_GRID;
}

static bool recent_below(const struct ckpt *c, unsigned long pos)
{
	return c->kind == CK_RECENT && c->pos < pos;
}

static bool ladder_above(const struct ckpt *c, unsigned long pos)
{
	return c->kind == CK_LADDER && c->pos > pos;
}

static bool ladder_at(const struct ckpt *c, unsigned long pos)
{
	return c->kind == CK_LADDER && c->pos == pos;
}

/*
 * Over budget: the recent and ladder checkpoints go first.  The grid may
 * take 3/4 of the budget (the rest is theirs): beyond, K doubles, keeping
 * the checkpoints at multiples of the new K, until the budget holds or
 * only position 0 is left.
 */
static void ck_thin(struct pgt_session *s)
{
	if (ck_total(s) > s->budget)
		ck_drop_if(s, is_extra, 0);
	while ((ck_total(s) > s->budget || s->grid_cost > s->budget / 4 * 3) &&
	       s->nck > 1 && s->spacing <= (unsigned long)-1 / 2) {
		s->spacing *= 2;
		ck_drop_if(s, off_grid, s->spacing);
	}
}

static struct ckpt *ck_before(struct pgt_session *s, unsigned long pos)
{
	size_t lo = 0, hi = s->nck;

	/* the last checkpoint at or before pos (ck[0] is at 0) */
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (s->ck[mid].pos <= pos)
			lo = mid;
		else
			hi = mid;
	}
	return &s->ck[lo];
}

/*
 * A checkpoint of the live state.  Failing to take one (host memory) is
 * not an error of the move: later moves from here just replay more.
 */
static int ck_add(struct pgt_session *s, enum ck_kind kind,
		  struct pgt_err *err)
{
	struct ckpt c = { .pos = s->pos, .nflush = s->e->nflush,
			  .kind = kind };
	size_t at, pool = s->pool.bytes;

	if (s->nck == s->cck) {
		size_t n = s->cck ? s->cck * 2 : 16;
		struct ckpt *p = realloc(s->ck, n * sizeof(*p));

		if (!p)
			return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
		s->ck = p;
		s->cck = n;
	}
	/* share frames with the checkpoint before: they change slowly */
	c.e = pgt_engine_checkpoint(s->e, s->nck ? ck_before(s, c.pos)->e : NULL,
				    &s->pool, &c.bytes, err);
	if (!c.e)
		return err->status;
	for (at = s->nck; at > 0 && s->ck[at - 1].pos > c.pos; at--)
		s->ck[at] = s->ck[at - 1];
	s->ck[at] = c;
	s->nck++;
	s->ck[at].cost = s->pool.bytes - pool + c.bytes;
	s->ck_bytes += c.bytes;
	s->nladder += kind == CK_LADDER;
	if (kind == CK_GRID)
		s->grid_cost += s->ck[at].cost;
	if (s->nladder > LADDER_MAX) {
		/* the lowest rung: the furthest behind a reverse walk */
		for (at = 0; s->ck[at].kind != CK_LADDER; at++)
			;
		ck_drop_if(s, ladder_at, s->ck[at].pos);
	}
	ck_thin(s);
	return PGT_OK;
}

/*
 * After a restore a move replays up to K ops to its target; when a
 * second move restores the same checkpoint, the user is stepping back
 * and the next moves would replay those ops again and again.  So that
 * move's replay leaves a ladder of checkpoints at target - gap/2,
 * target - gap/4, ... (down to LADDER_MIN): stepping back op by op then
 * costs a few dozen ops a step instead of up to K.  Rungs above the
 * target are left behind by the move: dropped.  (Not on the first
 * restore: a single jump back would pay for rungs it never uses.)
 */
static void ladder_plan(struct pgt_session *s, unsigned long target)
{
	ck_drop_if(s, ladder_above, target);
	s->lad_target = target;
	s->lad_gap = (target - s->pos) / 2;
}

static void ladder_step(struct pgt_session *s)
{
	struct pgt_err err;

	if (s->lad_gap < LADDER_MIN || s->pos != s->lad_target - s->lad_gap)
		return;
	s->lad_gap /= 2;
	if (ck_before(s, s->pos)->pos != s->pos)
		ck_add(s, CK_LADDER, &err);	/* best effort, as in apply_next */
}

/*
 * Past the frontier, the last K ops keep checkpoints K / RECENT_SPLIT
 * apart: the first step back from the end of a long run (the most
 * common one) replays a few hundred ops, not up to K.
 */
static void recent_step(struct pgt_session *s)
{
	unsigned long fine = s->spacing / RECENT_SPLIT;
	struct pgt_err err;

	if (fine < LADDER_MIN || s->pos % fine)
		return;
	if (s->pos > s->spacing)
		ck_drop_if(s, recent_below, s->pos - s->spacing);
	if (ck_before(s, s->pos)->pos != s->pos)
		ck_add(s, CK_RECENT, &err);	/* best effort */
}

static bool ck_due(struct pgt_session *s)
{
	return s->pos % s->spacing == 0 && ck_before(s, s->pos)->pos != s->pos;
}

/* the live engine becomes a copy of checkpoint c */
static int ck_restore(struct pgt_session *s, const struct ckpt *c,
		      struct pgt_err *err)
{
	struct pgt_engine *e = pgt_engine_clone(c->e, 0, NULL, err);

	if (!e)
		return err->status;
	/* the records move to the new engine (a checkpoint has none) */
	e->flush = s->flog;
	e->nflush = c->nflush;
	e->cflush = s->cflog;
	s->e->flush = NULL;
	s->e->nflush = s->e->cflush = 0;
	pgt_engine_free(s->e);
	s->e = e;
	s->pos = c->pos;
	s->restores++;
	return PGT_OK;
}

/* ---- applying operations ---- */

/*
 * Apply the op after pos.  Invariants are checked, and flush records
 * logged, only the first time an op is applied: the ops before the
 * frontier have been through both already.
 */
static int apply_next(struct pgt_session *s, bool tell, struct pgt_err *err)
{
	const struct pgt_op *op = &s->ops[s->pos];
	struct pgt_engine *e = s->e;
	bool fresh = s->pos >= s->frontier;
	char where[300];
	int rc;

	e->check = (s->check && fresh) || (tell && s->check_steps);
	if (tell) {
		memcpy(e->ev, s->ev, sizeof(s->ev));
		e->m.nev = s->nev;
	}
	rc = pgt_engine_apply(e, op, err);
	e->m.nev = 0;
	s->replayed++;
	s->flog = e->flush;	/* the engine may have grown it */
	s->cflog = e->cflush;
	if (rc) {
		pgt_trace_where(s->r, op->line, where, sizeof(where));
		pgt_err_prefix(err, "%s: op %lu", where, e->m.op_index);
		if (rc != PGT_ERR_INVARIANT)
			return rc;	/* the op is not at a position */
	}
	s->pos++;
	if (fresh) {
		s->frontier = s->pos;
		s->nflog = e->nflush;
	}
	if (ck_due(s)) {
		struct pgt_err ckerr;

		ck_add(s, CK_GRID, &ckerr);	/* best effort (see ck_add) */
	}
	if (fresh)
		recent_step(s);
	ladder_step(s);
	return rc;
}

/*
 * An op the engine rejected: the trace ends before it for the session,
 * and the live engine, which may hold half of it, goes back to pos.
 */
static int mark_broken(struct pgt_session *s, int rc, struct pgt_err *err)
{
	unsigned long pos = s->pos;
	struct pgt_err rerr;

	s->broken = true;
	s->broken_err = *err;
	s->nops = pos;
	s->lad_gap = 0;
	if (ck_restore(s, ck_before(s, pos), &rerr))
		goto fail;
	while (s->pos < pos)
		if (apply_next(s, false, &rerr))
			goto fail;
	return rc;
fail:
	*err = rerr;
	return rerr.status;
}

/* apply ops up to target (<= nops) */
static int run_to(struct pgt_session *s, unsigned long target, bool tell,
		  struct pgt_err *err)
{
	int rc;

	s->stopped = false;
	while (s->pos < target) {
		if (s->stop && *s->stop) {
			s->stopped = true;
			return PGT_OK;
		}
		rc = apply_next(s, tell, err);
		if (rc == PGT_ERR_INVARIANT)
			return rc;
		if (rc)
			return mark_broken(s, rc, err);
	}
	return PGT_OK;
}

/* past the reachable end: the broken op's error, or a usage error */
static int past_end(struct pgt_session *s, unsigned long pos,
		    struct pgt_err *err)
{
	if (s->broken) {
		*err = s->broken_err;
		return err->status;
	}
	return pgt_fail(err, PGT_ERR_USAGE,
			"position %lu is past the end of %s (%lu operations)",
			pos, pgt_trace_path(s->r), s->nops);
}

/* ---- the interface ---- */

int pgt_session_open(const char *path, const struct pgt_session_opts *o,
		     struct pgt_session **out, struct pgt_err *err)
{
	struct pgt_session *s = calloc(1, sizeof(*s));
	int rc;

	*out = NULL;
	if (!s)
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	s->check = o && o->check;
	s->budget = o && o->budget ? o->budget : DEFAULT_BUDGET;
	s->spacing = o && o->spacing ? o->spacing : DEFAULT_SPACING;
	s->stop = o ? o->stop : NULL;
	rc = pgt_trace_open(path, &s->r, err);
	if (!rc)
		rc = read_ops(s, err);
	if (!rc)
		rc = new_engine(s, err);
	if (!rc)
		rc = ck_add(s, CK_GRID, err);	/* position 0 is always kept */
	if (rc) {
		pgt_session_close(s);
		return rc;
	}
	*out = s;
	return PGT_OK;
}

void pgt_session_close(struct pgt_session *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nck; i++)
		ck_free(s, &s->ck[i]);
	free(s->ck);
	pgt_engine_free(s->e);	/* with the flush records */
	free(s->ops);
	if (s->r)
		pgt_trace_close(s->r);
	free(s);
}

struct pgt_engine *pgt_session_engine(struct pgt_session *s)
{
	return s->e;
}

const struct pgt_trace_header *pgt_session_header(const struct pgt_session *s)
{
	return pgt_trace_header(s->r);
}

const char *pgt_session_path(const struct pgt_session *s)
{
	return pgt_trace_path(s->r);
}

unsigned long pgt_session_pos(const struct pgt_session *s)
{
	return s->pos;
}

unsigned long pgt_session_length(const struct pgt_session *s)
{
	return s->nops;
}

bool pgt_session_at_end(const struct pgt_session *s)
{
	return s->pos == s->nops;
}

void pgt_session_check_steps(struct pgt_session *s, bool on)
{
	s->check_steps = on;
}

int pgt_session_step(struct pgt_session *s, unsigned long n,
		     unsigned long *moved, struct pgt_err *err)
{
	unsigned long from = s->pos, target;
	int rc;

	target = n > s->nops - s->pos ? s->nops : s->pos + n;
	s->lad_gap = 0;
	rc = run_to(s, target, true, err);
	if (!rc && !s->stopped && target - from < n && s->broken)
		rc = past_end(s, from + n, err);
	if (moved)
		*moved = s->pos - from;
	return rc;
}

int pgt_session_goto(struct pgt_session *s, unsigned long pos,
		     struct pgt_err *err)
{
	const struct ckpt *c;
	int rc;

	s->stopped = false;	/* a stop belongs to the move it ended */
	if (pos > s->nops) {
		/* as far as the trace goes, then why not further */
		if (s->broken && (rc = pgt_session_goto(s, s->nops, err)))
			return rc;
		return s->stopped ? PGT_OK : past_end(s, pos, err);
	}
	c = ck_before(s, pos);
	s->lad_gap = 0;
	/* a checkpoint when going back, or far enough forward that
	 * copying it beats replaying from here */
	if (pos < s->pos || c->pos > s->pos + s->spacing / 2) {
		unsigned long from = c->pos;

		rc = ck_restore(s, c, err);
		if (rc)
			return rc;
		/* the second move in a row from one checkpoint: reverse
		 * stepping, worth a ladder (a single jump is not) */
		if (s->last_restore == from + 1)
			ladder_plan(s, pos);
		s->last_restore = from + 1;
	}
	return run_to(s, pos, false, err);
}

int pgt_session_back(struct pgt_session *s, unsigned long n,
		     unsigned long *moved, struct pgt_err *err)
{
	unsigned long from = s->pos;
	int rc = pgt_session_goto(s, n < from ? from - n : 0, err);

	if (moved)
		*moved = from - s->pos;
	return rc;
}

const struct pgt_op *pgt_session_op(const struct pgt_session *s,
				    unsigned long idx)
{
	return idx >= 1 && idx <= s->nread ? &s->ops[idx - 1] : NULL;
}

int pgt_session_where(const struct pgt_session *s, unsigned long idx,
		      char *buf, size_t len)
{
	const struct pgt_op *op = pgt_session_op(s, idx);

	if (!op)
		return snprintf(buf, len, "%s", pgt_trace_path(s->r));
	return pgt_trace_where(s->r, op->line, buf, len);
}

int pgt_session_listen(struct pgt_session *s, pgt_event_fn *fn, void *arg,
		       struct pgt_err *err)
{
	return pgt_listener_add(s->ev, &s->nev, fn, arg, err);
}

void pgt_session_unlisten(struct pgt_session *s, pgt_event_fn *fn, void *arg)
{
	pgt_listener_remove(s->ev, &s->nev, fn, arg);
}

void pgt_session_stats(const struct pgt_session *s,
		       struct pgt_session_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->checkpoints = s->nck;
	st->checkpoint_bytes = ck_total(s);
	st->spacing = s->spacing;
	st->budget = s->budget;
	st->trace_bytes = s->cread * sizeof(*s->ops);
	st->flush_log_bytes = s->cflog * sizeof(*s->flog);
	st->frontier = s->frontier;
	st->restores = s->restores;
	st->replayed = s->replayed;
}
