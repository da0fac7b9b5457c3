/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The union tree of a diff (diff.h, pgt_diff_union_tree): the two trees
 * walked together (diff-pair.c) and given out as the tree view's records,
 * a table per table position either side has, a record per run of
 * entries that differ alike, each marked with what differs: a table or a
 * leaf one side only has (PGT_DIFF_ONLY_A, _B), leaves both map with
 * other letters, frames or bits.  The renderer that draws --tree draws it
 * (src/render/dot.c colours the marks).  A large leaf against a table of
 * smaller ones is the leaf of one side and the subtree of the other.
 */
#include <string.h>
#include "diff.h"
#include "diff-pair.h"

struct urun {
	bool open;
	struct pgt_rec_entry e;
	int level;
	uint64_t raw;
};

struct union_ctx {
	struct pgt_sink *s;
	const struct pgt_arch *arch;
	const struct pgt_diff_opts *o;
	struct urun run;
	char desc[160];
};

static void urun_flush(struct union_ctx *c)
{
	struct pgt_rec rec = { .kind = PGT_REC_ENTRY };

	if (!c->run.open)
		return;
	c->run.open = false;
	rec.u.entry = c->run.e;
	c->arch->entry_describe(c->run.level, c->run.raw, c->desc,
				sizeof(c->desc));
	rec.u.entry.decoded = c->desc;
	pgt_sink_rec(c->s, &rec);
}

static int u_table(void *arg, const struct pgt_pair_table *t)
{
	struct union_ctx *c = arg;
	const struct pgt_level *L = &c->arch->levels[t->level];
	struct pgt_rec rec = { .kind = PGT_REC_TABLE };
	struct pgt_rec_table *x = &rec.u.table;

	urun_flush(c);
	if (!t->has[0] && !t->has[1])
		return PGT_PAIR_SKIP;	/* unreadable: the walks' findings */
	x->depth = t->depth;
	x->level = L->lname;
	x->name = L->name;
	x->va = t->va;
	x->span = t->span;
	x->entries = t->entries[t->has[0] ? 0 : 1];
	x->bytes = x->entries * L->entsize;
	x->pa = t->pa[t->has[0] ? 0 : 1];
	x->pa_b = t->pa[1];
	x->diff = t->has[0] && t->has[1] ? 0 :
		  t->has[0] ? PGT_DIFF_ONLY_A : PGT_DIFF_ONLY_B;
	pgt_sink_rec(c->s, &rec);
	return PGT_PAIR_DESCEND;
}

static void u_table_end(void *arg, const struct pgt_pair_table *t)
{
	(void)t;
	urun_flush(arg);
}

/* one entry record: onto the open run when it continues it */
static void u_put(struct union_ctx *c, const struct pgt_pair_ent *pe,
		  const struct pgt_rec_entry *e, int side)
{
	struct urun *r = &c->run;

	if (e->kind != PGT_ENT_TABLE && r->open && r->e.kind == e->kind &&
	    r->e.depth == e->depth && r->e.last + 1 == e->first &&
	    r->e.diff == e->diff && r->e.flags == e->flags &&
	    r->e.flags_b == e->flags_b && r->e.size == e->size) {
		r->e.last = e->last;
		r->e.end = e->end;
		return;
	}
	urun_flush(c);
	r->open = true;
	r->e = *e;
	r->level = pe->level;
	r->raw = pe->raw[side];
	/* a pointer is a record of its own, before the table below */
	if (e->kind == PGT_ENT_TABLE)
		urun_flush(c);
}

static void base(const struct union_ctx *c, const struct pgt_pair_ent *pe,
		 int side, struct pgt_rec_entry *e)
{
	const struct pgt_ent_info *ei = &pe->ei[side];

	memset(e, 0, sizeof(*e));
	e->depth = pe->depth;
	e->level = c->arch->levels[pe->level].lname;
	e->kind = ei->kind;
	e->first = e->last = pe->idx;
	e->va = pe->va;
	e->end = pe->end;
	e->raw = pe->raw[side];
	e->next = ei->next;
	e->pa = ei->pa;
	e->size = ei->size;
	e->flags = pe->flags[side];
}

/* two leaves of the same addresses: what differs */
static unsigned leaf_diff(const struct union_ctx *c,
			  const struct pgt_pair_ent *pe)
{
	unsigned d = 0;

	if (pe->flags[0] != pe->flags[1])
		d |= PGT_DIFF_RIGHTS;
	if (pe->ei[0].size != pe->ei[1].size)
		d |= PGT_DIFF_SIZE;
	if (c->o->compare_pa) {
		if (pe->ei[0].pa != pe->ei[1].pa)
			d |= PGT_DIFF_PA;
		else if (!d && pe->raw[0] != pe->raw[1])
			d |= PGT_DIFF_RAW;
	}
	return d;
}

static int u_entry(void *arg, const struct pgt_pair_ent *pe)
{
	struct union_ctx *c = arg;
	enum pgt_ent_kind ka = pe->ei[0].kind, kb = pe->ei[1].kind;
	struct pgt_rec_entry e;
	int k;

	if (ka == PGT_ENT_TABLE || kb == PGT_ENT_TABLE) {
		/* a side's leaf here first: the pointer leads its table */
		for (k = 0; k < 2; k++)
			if (pe->leaf[k] && pe->ei[1 - k].kind == PGT_ENT_TABLE) {
				base(c, pe, k, &e);
				e.diff = k ? PGT_DIFF_ONLY_B : PGT_DIFF_ONLY_A;
				u_put(c, pe, &e, k);
			}
		k = ka == PGT_ENT_TABLE ? 0 : 1;
		base(c, pe, k, &e);
		if (ka != kb)
			e.diff = k ? PGT_DIFF_ONLY_B : PGT_DIFF_ONLY_A;
		u_put(c, pe, &e, k);
		return PGT_PAIR_DESCEND;
	}
	if (pe->leaf[0] && pe->leaf[1]) {
		base(c, pe, 0, &e);
		e.flags_b = pe->flags[1];
		e.diff = leaf_diff(c, pe);
		u_put(c, pe, &e, 0);
	} else if (pe->leaf[0] || pe->leaf[1]) {
		k = pe->leaf[0] ? 0 : 1;
		base(c, pe, k, &e);
		if (k)
			e.flags_b = e.flags;
		e.diff = k ? PGT_DIFF_ONLY_B : PGT_DIFF_ONLY_A;
		u_put(c, pe, &e, k);
	} else {
		/* no leaf the diff counts (not present, filtered out,
		 * malformed): drawn as the tree draws it, unmarked */
		k = ka != PGT_ENT_EMPTY ? 0 : 1;
		base(c, pe, k, &e);
		u_put(c, pe, &e, k);
	}
	return PGT_PAIR_SKIP;
}

int pgt_diff_union_tree(struct pgt_sink *s, const struct pgt_diff_side *a,
			const struct pgt_diff_side *b,
			const struct pgt_diff_opts *o, uint64_t start,
			uint64_t end, struct pgt_err *err)
{
	struct union_ctx c = { .s = s, .o = o };
	struct pgt_pair_walk w = {
		.root = { a->src.root, b->src.root },
		.has_root = { a->src.arch != NULL, b->src.arch != NULL },
		.mem = { a->src.mem, b->src.mem },
		.va_start = start, .va_end = end,
		.want = o->want, .deny = o->deny,
		.on_table = u_table, .on_table_end = u_table_end,
		.on_entry = u_entry, .arg = &c,
	};
	int rc;

	c.arch = w.arch = a->src.arch ? a->src.arch : b->src.arch;
	if (!c.arch)
		return PGT_OK;
	rc = pgt_pair_walk(&w, err);
	urun_flush(&c);
	if (rc == PGT_ERR_UNSUPPORTED)
		pgt_err_prefix(err, "no union tree to draw");
	return rc;
}
