/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Two leaf streams merged (diff.h).  A step takes the next leaf of each
 * side: one that overlaps nothing on the other side is "only in" its
 * side; two that cover the same addresses are compared; leaves that
 * overlap without coinciding (a 2 MiB leaf against 4 KiB ones) are taken
 * together, with everything that overlaps them, as one "size" piece.
 * Pieces go to the open run, which grows while they are contiguous and
 * differ the same way (ptdump's rule for ranges).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "diff.h"
#include "diff-pair.h"

/* ---- the history of a replay (--explain) ---- */

struct hist_slot {
	uint64_t idx;		/* va >> the level's shift */
	int mm;			/* 0: free slot (mm ids start at 1) */
	int level;
	unsigned long op;
};

struct pgt_diff_history {
	struct pgt_session *s;
	const struct pgt_arch *arch;
	struct hist_slot *v;
	size_t cap, n;		/* cap: a power of two */
	bool nomem;		/* a slot could not be kept: answers may
				 * name an older op */
};

static size_t hist_hash(int mm, int level, uint64_t idx)
{
	uint64_t h = idx * 0x9e3779b97f4a7c15ull;

	h ^= (uint64_t)mm * 0xff51afd7ed558ccdull + (uint64_t)level;
	return (size_t)(h ^ (h >> 29));
}

static struct hist_slot *hist_find(const struct pgt_diff_history *h, int mm,
				   int level, uint64_t idx)
{
	size_t i = hist_hash(mm, level, idx) & (h->cap - 1);

	for (;; i = (i + 1) & (h->cap - 1)) {
		struct hist_slot *x = &h->v[i];

		if (!x->mm || (x->mm == mm && x->level == level &&
			       x->idx == idx))
			return x;
	}
}

static bool hist_grow(struct pgt_diff_history *h)
{
	struct pgt_diff_history g = *h;
	size_t i;

	g.cap = h->cap ? h->cap * 2 : 1024;
	g.v = calloc(g.cap, sizeof(*g.v));
	if (!g.v)
		return false;
	for (i = 0; i < h->cap; i++)
		if (h->v[i].mm)
			*hist_find(&g, h->v[i].mm, h->v[i].level,
				   h->v[i].idx) = h->v[i];
	free(h->v);
	*h = g;
	return true;
}

/*
 * What changes what a walk of the subtree finds: a leaf set, changed or
 * cleared, or a table pointer dropped.  A table put in place of nothing
 * maps nothing yet (its leaves come with their own events).
 */
static bool hist_counts(const struct pgt_arch *a, int level, uint64_t old,
			uint64_t new)
{
	struct pgt_ent_info o, n;

	a->entry_decode(level, old, &o);
	a->entry_decode(level, new, &n);
	return !(n.kind == PGT_ENT_TABLE &&
		 (o.kind == PGT_ENT_EMPTY || o.kind == PGT_ENT_TABLE));
}

static void hist_event(void *arg, const struct pgt_event *ev)
{
	struct pgt_diff_history *h = arg;
	struct hist_slot *x;
	uint64_t idx;

	if (ev->type != PGT_EV_ENTRY || ev->level < 0 || !ev->op ||
	    ev->mm <= 0 || (unsigned)ev->level >= h->arch->nlevels ||
	    !hist_counts(h->arch, ev->level, ev->old, ev->new))
		return;
	if (2 * (h->n + 1) > h->cap && !hist_grow(h)) {
		h->nomem = true;
		return;
	}
	idx = ev->va >> h->arch->levels[ev->level].shift;
	x = hist_find(h, ev->mm, ev->level, idx);
	if (!x->mm) {
		x->mm = ev->mm;
		x->level = ev->level;
		x->idx = idx;
		h->n++;
	}
	x->op = ev->op;
}

int pgt_diff_history_new(struct pgt_session *s, struct pgt_diff_history **out,
			 struct pgt_err *err)
{
	struct pgt_diff_history *h = calloc(1, sizeof(*h));
	int rc;

	*out = NULL;
	if (!h || !hist_grow(h)) {
		free(h);
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	}
	h->s = s;
	h->arch = pgt_session_engine(s)->m.arch;
	rc = pgt_session_listen(s, hist_event, h, err);
	if (rc) {
		free(h->v);
		free(h);
		return rc;
	}
	*out = h;
	return PGT_OK;
}

void pgt_diff_history_free(struct pgt_diff_history *h)
{
	if (!h)
		return;
	pgt_session_unlisten(h->s, hist_event, h);
	free(h->v);
	free(h);
}

/* a level whose entries over the range are too many to look up one by
 * one is skipped: a leaf that big has its own entry higher up */
#define HIST_MAX_LOOKUPS 4096

unsigned long pgt_diff_history_last(const struct pgt_diff_history *h, int mm,
				    uint64_t start, uint64_t end)
{
	unsigned long best = 0;
	unsigned l;

	for (l = 0; l < h->arch->nlevels; l++) {
		unsigned shift = h->arch->levels[l].shift;
		uint64_t i, first = start >> shift, last = (end - 1) >> shift;

		if (last - first >= HIST_MAX_LOOKUPS)
			continue;
		for (i = first; i <= last; i++) {
			const struct hist_slot *x = hist_find(h, mm, (int)l, i);

			if (x->mm && x->op > best)
				best = x->op;
		}
	}
	return best;
}

/* "op 7 at T.trace:12: protect 0x10000000 64K r" */
static const char *hist_text(const struct pgt_diff_history *h,
			     unsigned long op, char *buf, size_t len)
{
	const struct pgt_op *o = pgt_session_op(h->s, op);
	char where[300], text[160] = "?";
	int n;

	if (!op)
		return NULL;
	pgt_session_where(h->s, op, where, sizeof(where));
	if (o)
		pgt_op_format(o, text, sizeof(text));
	n = snprintf(buf, len, "op %lu at %s: %s", op, where, text);
	if (h->nomem && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n,
			 " (or later: out of memory for the history)");
	return buf;
}

/* ---- the merge ---- */

struct cursor {
	const struct pgt_diff_side *side;
	struct pgt_leaf_iter it;
	struct pgt_walk_leaf l;
	bool have;
};

struct diff_ctx {
	struct pgt_sink *s;		/* NULL: count only */
	const struct pgt_diff_opts *o;
	const struct pgt_diff_side *a, *b;
	struct pgt_diff_result *res;
	struct cursor ca, cb;
	struct pgt_view_src va, vb;	/* each side's walk */
	bool open;
	struct pgt_rec_diff run;	/* the open run */
	/* the paired walk: the addresses left to compare leaf by leaf */
	bool pending;
	uint64_t pend_start, pend_end;	/* end 0: the top */
	uint64_t coalesce;		/* gaps below this are compared too */
	struct pgt_err *err;
	int status;			/* a leaf merge's error */
};

static int advance(struct cursor *c, struct pgt_err *err)
{
	if (!c->side->src.arch) {
		c->have = false;
		return PGT_OK;
	}
	return pgt_leaf_iter_next(&c->it, &c->l, &c->have, err);
}

static void run_flush(struct diff_ctx *c)
{
	struct pgt_rec rec = { .kind = PGT_REC_DIFF };
	char ea[600], eb[600];
	struct pgt_rec_diff *d = &rec.u.diff;

	if (!c->open)
		return;
	c->open = false;
	*d = c->run;
	if (c->a->hist)
		d->explain_a = hist_text(c->a->hist, d->op_a, ea, sizeof(ea));
	if (c->b->hist)
		d->explain_b = hist_text(c->b->hist, d->op_b, eb, sizeof(eb));
	c->res->rows++;
	if (c->s)
		pgt_sink_rec(c->s, &rec);
}

static bool same_kind(const struct pgt_rec_diff *r, const struct pgt_rec_diff *p)
{
	return r->end == p->start && r->what == p->what &&
	       !(p->what & PGT_DIFF_SIZE) &&
	       r->size_a == p->size_a && r->size_b == p->size_b &&
	       r->flags_a == p->flags_a && r->flags_b == p->flags_b &&
	       r->op_a == p->op_a && r->op_b == p->op_b;
}

/* one piece of difference: onto the open run, or a run of its own */
static void piece(struct diff_ctx *c, struct pgt_rec_diff *p)
{
	if (!p->what)
		return;
	if (p->what & PGT_DIFF_ONLY_A)
		c->res->only_a += p->pages_a;
	else if (p->what & PGT_DIFF_ONLY_B)
		c->res->only_b += p->pages_b;
	else
		c->res->changed += p->pages_a;
	if (c->a->hist)
		p->op_a = pgt_diff_history_last(c->a->hist, c->a->mm,
						p->start, p->end);
	if (c->b->hist)
		p->op_b = pgt_diff_history_last(c->b->hist, c->b->mm,
						p->start, p->end);
	if (c->open && same_kind(&c->run, p)) {
		c->run.end = p->end;
		c->run.pages_a += p->pages_a;
		c->run.pages_b += p->pages_b;
		return;
	}
	run_flush(c);
	c->run = *p;
	c->open = true;
}

static void only(struct diff_ctx *c, const struct pgt_walk_leaf *l, bool in_a)
{
	struct pgt_rec_diff p = { .start = l->va, .end = l->va + l->size };

	p.pa_compared = c->o->compare_pa;
	if (in_a) {
		p.what = PGT_DIFF_ONLY_A;
		p.pages_a = 1;
		p.size_a = l->size;
		p.flags_a = l->flags;
		p.pa_a = l->pa;
		p.raw_a = l->raw;
	} else {
		p.what = PGT_DIFF_ONLY_B;
		p.pages_b = 1;
		p.size_b = l->size;
		p.flags_b = l->flags;
		p.pa_b = l->pa;
		p.raw_b = l->raw;
	}
	piece(c, &p);
}

static void pair_init(struct diff_ctx *c, struct pgt_rec_diff *p,
		      const struct pgt_walk_leaf *a,
		      const struct pgt_walk_leaf *b)
{
	memset(p, 0, sizeof(*p));
	p->start = a->va < b->va ? a->va : b->va;
	p->end = a->va + a->size > b->va + b->size ? a->va + a->size :
						     b->va + b->size;
	p->pages_a = p->pages_b = 1;
	p->size_a = a->size;
	p->size_b = b->size;
	p->flags_a = a->flags;
	p->flags_b = b->flags;
	p->pa_a = a->pa;
	p->pa_b = b->pa;
	p->raw_a = a->raw;
	p->raw_b = b->raw;
	p->pa_compared = c->o->compare_pa;
	if (a->flags != b->flags)
		p->what |= PGT_DIFF_RIGHTS;
}

/* the same addresses on both sides */
static void same(struct diff_ctx *c, const struct pgt_walk_leaf *a,
		 const struct pgt_walk_leaf *b)
{
	struct pgt_rec_diff p;

	pair_init(c, &p, a, b);
	if (c->o->compare_pa) {
		if (a->pa != b->pa)
			p.what |= PGT_DIFF_PA;
		/* raw: only what the letters and the frame do not say */
		else if (!p.what && a->raw != b->raw)
			p.what |= PGT_DIFF_RAW;
	}
	piece(c, &p);
}

/* one side's next leaf into the cluster p when it starts before p's end:
 * rights compared with the other side's, p widened, counted in *pages */
static int absorb(struct cursor *k, struct pgt_rec_diff *p,
		  unsigned other_flags, uint64_t *pages, bool *more,
		  struct pgt_err *err)
{
	if (!k->have || k->l.va >= p->end)
		return PGT_OK;
	if (k->l.flags != other_flags)
		p->what |= PGT_DIFF_RIGHTS;
	if (k->l.va + k->l.size > p->end)
		p->end = k->l.va + k->l.size;
	(*pages)++;
	*more = true;
	return advance(k, err);
}

/* leaves overlapping without coinciding, and all that overlaps them */
static int cluster(struct diff_ctx *c, struct pgt_err *err)
{
	struct pgt_rec_diff p;
	int rc;
	bool more = true;

	pair_init(c, &p, &c->ca.l, &c->cb.l);
	p.what |= PGT_DIFF_SIZE;
	if ((rc = advance(&c->ca, err)) || (rc = advance(&c->cb, err)))
		return rc;
	while (more) {
		more = false;
		if ((rc = absorb(&c->ca, &p, p.flags_b, &p.pages_a, &more,
				 err)) ||
		    (rc = absorb(&c->cb, &p, p.flags_a, &p.pages_b, &more,
				 err)))
			return rc;
	}
	piece(c, &p);
	return PGT_OK;
}

/* the leaves of [start, end) (end 0: the top) of both sides, merged */
static int merge(struct diff_ctx *c, uint64_t start, uint64_t end,
		 struct pgt_err *err)
{
	struct cursor *a = &c->ca, *b = &c->cb;
	struct pgt_view_src va = c->va, vb = c->vb;
	int rc;

	va.va_start = vb.va_start = start;
	va.va_end = vb.va_end = end;
	pgt_leaf_iter_init(&a->it, &va);
	pgt_leaf_iter_init(&b->it, &vb);
	if ((rc = advance(a, err)) || (rc = advance(b, err)))
		return rc;
	while (a->have || b->have) {
		if (a->have && (!b->have || a->l.va + a->l.size <= b->l.va)) {
			only(c, &a->l, true);
			rc = advance(a, err);
		} else if (!a->have || b->l.va + b->l.size <= a->l.va) {
			only(c, &b->l, false);
			rc = advance(b, err);
		} else if (a->l.va == b->l.va && a->l.size == b->l.size) {
			same(c, &a->l, &b->l);
			rc = advance(a, err);
			if (!rc)
				rc = advance(b, err);
		} else {
			rc = cluster(c, err);
		}
		if (rc)
			return rc;
	}
	return PGT_OK;
}

/*
 * ---- table at once ----
 * The two trees walked together (diff-pair.c): what is the same on both
 * sides is not compared leaf by leaf.  Equal leaf entries (the same value
 * below the same rights) and lowest-level tables with the same bytes are
 * equal in any two memories; where both sides read one memory (two roots
 * of one dump file: same_frames), an entry that points to the same table
 * frame, or a table with the same bytes, is an equal subtree.  The rest
 * goes through the leaf merge, range by range, in address order.
 */

/* the pending addresses compared leaf by leaf */
static int pending_flush(struct diff_ctx *c)
{
	if (!c->pending)
		return PGT_OK;
	c->pending = false;
	return merge(c, c->pend_start, c->pend_end, c->err);
}

/* [start, end) must be compared leaf by leaf: pending, joined with
 * what is pending when the gap between is small (one walk down instead
 * of two) */
static int compare_later(struct diff_ctx *c, uint64_t start, uint64_t end)
{
	int rc;

	if (c->pending && c->pend_end && start - c->pend_end <= c->coalesce) {
		c->pend_end = end;
		return PGT_OK;
	}
	if ((rc = pending_flush(c)))
		return rc;
	c->pending = true;
	c->pend_start = start;
	c->pend_end = end;
	return PGT_OK;
}

/* two tables with the same bytes below the same rights: the same leaves
 * where they hold only leaves (the lowest level), the same subtree where
 * both sides read one memory */
static bool same_tables(const struct diff_ctx *c,
			const struct pgt_pair_table *t)
{
	const struct pgt_arch *a = c->va.arch;

	if (!t->has[0] || !t->has[1] || t->entries[0] != t->entries[1] ||
	    t->deny[0] != t->deny[1] ||
	    (t->level != (int)a->nlevels - 1 && !c->o->same_frames))
		return false;
	return !memcmp(t->bytes[0], t->bytes[1],
		       (size_t)t->entries[0] * a->levels[t->level].entsize);
}

static int skip_table(void *arg, const struct pgt_pair_table *t)
{
	struct diff_ctx *c = arg;
	uint64_t start = t->va, end = t->span ? t->va + t->span : 0;

	if (!t->unreadable[0] && !t->unreadable[1] && !t->again)
		return same_tables(c, t) ? PGT_PAIR_SKIP : PGT_PAIR_DESCEND;
	/* the leaf walks say what is wrong there (their findings) */
	if (start < c->va.va_start)
		start = c->va.va_start;
	if (c->va.va_end && (!end || end > c->va.va_end))
		end = c->va.va_end;
	if ((c->status = compare_later(c, start, end)))
		return -1;
	return PGT_PAIR_SKIP;
}

static int skip_entry(void *arg, const struct pgt_pair_ent *e)
{
	struct diff_ctx *c = arg;
	uint64_t start = e->va, end = e->end;
	const struct pgt_ent_info *x = &e->ei[0], *y = &e->ei[1];

	/* one entry value below the same rights: one leaf (or nothing) on
	 * both sides, and in one memory one subtree */
	if (e->raw[0] == e->raw[1] && e->deny[0] == e->deny[1] &&
	    (x->kind != PGT_ENT_TABLE || c->o->same_frames))
		return PGT_PAIR_SKIP;
	/* two pointers that differ only in where the tables are: compare
	 * the tables entry by entry */
	if (x->kind == PGT_ENT_TABLE && y->kind == PGT_ENT_TABLE &&
	    (e->raw[0] ^ e->raw[1]) == (x->next ^ y->next) &&
	    x->next_entries == y->next_entries && e->deny[0] == e->deny[1])
		return PGT_PAIR_DESCEND;
	if (start < c->va.va_start)
		start = c->va.va_start;
	if (c->va.va_end && (!end || end > c->va.va_end))
		end = c->va.va_end;
	if ((c->status = compare_later(c, start, end)))
		return -1;
	return PGT_PAIR_SKIP;
}

/* walk the two trees together, compare leaf by leaf only where their
 * entries differ */
static int merge_paired(struct diff_ctx *c, struct pgt_err *err)
{
	const struct pgt_arch *arch = c->va.arch;
	struct pgt_pair_walk w = {
		.arch = arch,
		.mem = { c->va.mem, c->vb.mem },
		.root = { c->va.root, c->vb.root },
		.has_root = { true, true },
		.va_start = c->va.va_start, .va_end = c->va.va_end,
		.want = c->o->want, .deny = c->o->deny,
		.on_table = skip_table, .on_entry = skip_entry, .arg = c,
	};
	int rc;

	c->err = err;
	c->coalesce = arch->nlevels > 1 ?
		      1ull << arch->levels[arch->nlevels - 2].shift : 0;
	rc = pgt_pair_walk(&w, err);
	if (c->status)
		return c->status;
	if (rc == PGT_ERR_UNSUPPORTED) {	/* no common top: leaf by leaf */
		pgt_err_clear(err);
		c->pending = false;
		return merge(c, c->va.va_start, c->va.va_end, err);
	}
	return rc ? rc : pending_flush(c);
}

/* ---- the sides ---- */

static void side_rec(struct pgt_sink *s, enum pgt_rec_kind k,
		     const struct pgt_diff_side *x,
		     const struct pgt_walk_stats *st)
{
	struct pgt_rec rec = { .kind = k };
	struct pgt_rec_side *r = &rec.u.side;
	unsigned i;

	r->name = x->name;
	r->kind = x->kind;
	r->root = x->src.root;
	r->empty = !x->src.arch;
	if (x->src.arch) {
		r->n = x->src.arch->nlevels;
		for (i = 0; i < r->n; i++) {
			r->level[i] = x->src.arch->levels[i].lname;
			r->tables[i] = st->tables[i];
			r->leaves[i] = st->leaves[i];
		}
		r->pages = st->pages;
	}
	pgt_sink_rec(s, &rec);
}

static uint64_t end_min(uint64_t x, uint64_t y)
{
	if (!x)
		return y;
	if (!y)
		return x;
	return x < y ? x : y;
}

static const struct pgt_diff_side nothing;

/* the walk of one side over the addresses compared */
static void side_src(struct pgt_view_src *src, const struct pgt_diff_side *x,
		     const struct pgt_diff_opts *o, uint64_t start,
		     uint64_t end)
{
	*src = x->src;
	src->va_start = start;
	src->va_end = end;
	src->want = o->want;
	src->deny = o->deny;
	src->on_finding = NULL;
}

int pgt_diff(struct pgt_sink *s, const struct pgt_diff_side *a,
	     const struct pgt_diff_side *b, const struct pgt_diff_opts *o,
	     struct pgt_diff_result *res, struct pgt_err *err)
{
	struct diff_ctx *c;
	const struct pgt_arch *arch = a->src.arch ? a->src.arch : b->src.arch;
	struct pgt_walk_stats sa = { 0 }, sb = { 0 };
	struct pgt_view_src va, vb;
	struct pgt_rec rec = { .kind = PGT_REC_DIFF_RESULT };
	uint64_t start = o->va_start, end = o->va_end;
	int rc = PGT_OK;
	bool none;

	memset(res, 0, sizeof(*res));
	if (a->src.arch && b->src.arch && a->src.arch != b->src.arch)
		return pgt_fail(err, PGT_ERR_USAGE,
				"%s is %s and %s is %s; expected two states of one paging format",
				a->name, a->src.arch->name, b->name,
				b->src.arch->name);
	/* only where both sides walk: a replay walks its user space */
	if (a->src.arch) {
		start = a->src.va_start > start ? a->src.va_start : start;
		end = end_min(end, a->src.va_end);
	}
	if (b->src.arch) {
		start = b->src.va_start > start ? b->src.va_start : start;
		end = end_min(end, b->src.va_end);
	}
	none = end && end <= start;	/* nothing to compare */
	side_src(&va, a, o, start, end);
	side_src(&vb, b, o, start, end);
	if (a->src.arch && !none)
		rc = pgt_walk_stats_collect(&va, &sa, err);
	if (!rc && b->src.arch && !none)
		rc = pgt_walk_stats_collect(&vb, &sb, err);
	if (rc)
		return rc;
	if (!(c = calloc(1, sizeof(*c))))
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	c->s = s;
	c->o = o;
	c->a = a;
	c->b = b;
	c->res = res;
	c->ca.side = a;
	c->cb.side = b;
	if (none)
		c->ca.side = c->cb.side = &nothing;	/* nothing to walk */
	c->va = va;
	c->vb = vb;
	pgt_sink_begin(s, PGT_VIEW_DIFF, arch);
	side_rec(s, PGT_REC_DIFF_A, a, &sa);
	side_rec(s, PGT_REC_DIFF_B, b, &sb);
	if (o->union_tree) {
		c->s = NULL;	/* the tree's records, then the totals */
		if (!none)
			rc = pgt_diff_union_tree(s, a, b, o, start, end, err);
	}
	if (!rc && !none && a->src.arch && b->src.arch)
		rc = merge_paired(c, err);
	else if (!rc)
		rc = merge(c, start, end, err);
	if (!rc)
		run_flush(c);
	free(c);
	rec.u.diff_result.equal = !res->rows;
	rec.u.diff_result.pa_compared = o->compare_pa;
	rec.u.diff_result.note = o->note;
	rec.u.diff_result.start = start;
	rec.u.diff_result.end = end;
	rec.u.diff_result.rows = res->rows;
	rec.u.diff_result.only_a = res->only_a;
	rec.u.diff_result.only_b = res->only_b;
	rec.u.diff_result.changed = res->changed;
	if (!rc)
		pgt_sink_rec(s, &rec);
	pgt_sink_end(s, PGT_VIEW_DIFF);
	return rc;
}
