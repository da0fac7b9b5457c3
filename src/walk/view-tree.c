/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * --tree: the hierarchy from the root, one record per table and per run
 * of similar entries (same kind, same flags, same low bits), and the
 * counts per level at the end.  A table that does not start on a page
 * boundary is a fragment (s390 2 KiB halves, PAE 32-byte PDPTs).
 */
#include <inttypes.h>
#include <string.h>
#include "view.h"

struct run {
	bool open;
	unsigned first, last;
	uint64_t va, end, raw, next, pa, size;
	unsigned flags;
	enum pgt_ent_kind kind;
	int depth, level;
};

struct tree_ctx {
	struct pgt_sink *s;
	const struct pgt_arch *arch;
	struct pgt_physmem *mem;
	struct run run;
};

static void run_flush(struct tree_ctx *c)
{
	struct run *r = &c->run;
	struct pgt_rec rec = { .kind = PGT_REC_ENTRY };
	struct pgt_rec_entry *e = &rec.u.entry;
	char desc[160];

	if (!r->open)
		return;
	r->open = false;
	c->arch->entry_describe(r->level, r->raw, desc, sizeof(desc));
	e->depth = r->depth;
	e->level = c->arch->levels[r->level].lname;
	e->kind = r->kind;
	e->first = r->first;
	e->last = r->last;
	e->va = r->va;
	e->end = r->end;
	e->raw = r->raw;
	e->next = r->next;
	e->pa = r->pa;
	e->size = r->size;
	e->flags = r->flags;
	e->decoded = desc;
	pgt_sink_rec(c->s, &rec);
}

static int tree_table(void *arg, const struct pgt_walk_table *t)
{
	struct tree_ctx *c = arg;
	const struct pgt_level *L = &c->arch->levels[t->level];
	struct pgt_rec rec = { .kind = PGT_REC_TABLE };
	struct pgt_rec_table *x = &rec.u.table;

	run_flush(c);
	x->depth = t->depth;
	x->level = L->lname;
	x->name = L->name;
	x->pa = t->pa;
	x->va = t->va;
	x->entries = t->entries;
	x->bytes = t->entries * L->entsize;
	x->span = L->shift < 64 ? (uint64_t)t->entries << L->shift : 0;
	if (t->again)
		x->note = "reached before: the kernel maps this table more than once here";
	else if (!(t->pa & 0xfff) && c->arch->table_page_note)
		x->note = c->arch->table_page_note(c->mem, t->level, t->pa,
						   x->bytes);
	pgt_sink_rec(c->s, &rec);
	return 0;
}

static int tree_entry(void *arg, const struct pgt_walk_table *t, unsigned idx,
		      uint64_t raw, const struct pgt_ent_info *ei)
{
	struct tree_ctx *c = arg;
	struct run *r = &c->run;
	const struct pgt_level *L = &c->arch->levels[t->level];
	uint64_t va = pgt_va_canon(c->arch, t->va + ((uint64_t)idx << L->shift));
	uint64_t lowmask = 0xfff | (0xfffull << 52);

	if (ei->kind == PGT_ENT_EMPTY)
		return 0;
	if (ei->kind != PGT_ENT_TABLE && r->open && r->kind == ei->kind &&
	    r->depth == t->depth && r->last + 1 == idx &&
	    r->flags == ei->hw && (r->raw & lowmask) == (raw & lowmask)) {
		r->last = idx;
		r->end = va + (1ull << L->shift);
		return 0;
	}
	run_flush(c);
	r->open = true;
	r->first = r->last = idx;
	r->va = va;
	r->end = va + (1ull << L->shift);
	r->raw = raw;
	r->flags = ei->hw;
	r->kind = ei->kind;
	r->depth = t->depth;
	r->level = t->level;
	r->next = ei->next;
	r->pa = ei->pa;
	r->size = ei->size;
	/* a pointer is a record of its own, before the table it points to */
	if (ei->kind == PGT_ENT_TABLE)
		run_flush(c);
	return 0;
}

static int tree_table_end(void *arg, const struct pgt_walk_table *t)
{
	(void)t;
	run_flush(arg);
	return 0;
}

int pgt_view_tree(struct pgt_sink *s, const struct pgt_view_src *src,
		  struct pgt_err *err)
{
	struct tree_ctx c = { .s = s, .arch = src->arch, .mem = src->mem };
	struct pgt_rec rec = { .kind = PGT_REC_SOURCE };
	struct pgt_rec_levels *lv;
	struct pgt_walker w;
	unsigned i;
	int rc;

	pgt_sink_begin(s, PGT_VIEW_TREE, src->arch);
	rec.u.source.name = src->name ? src->name : "";
	rec.u.source.root = src->root;
	pgt_sink_rec(s, &rec);
	pgt_view_walker(&w, src, &c);
	w.on_table = tree_table;
	w.on_entry = tree_entry;
	w.on_table_end = tree_table_end;
	rc = pgt_walk(&w, err);
	run_flush(&c);
	memset(&rec, 0, sizeof(rec));
	rec.kind = PGT_REC_LEVELS;
	lv = &rec.u.levels;
	lv->n = src->arch->nlevels;
	for (i = 0; i < lv->n; i++) {
		lv->level[i] = src->arch->levels[i].lname;
		lv->tables[i] = w.tables[i];
		lv->leaves[i] = w.leaves[i];
	}
	pgt_sink_rec(s, &rec);
	pgt_sink_end(s, PGT_VIEW_TREE);
	return rc;
}
