/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * --summary of one walk: tables per level (with fragments: tables that do
 * not start on a page, s390 2 KiB halves, PAE 32-byte PDPTs), leaves per
 * level, present 4 KiB units ("pages": a 2 MiB leaf counts 512) and
 * findings.  Nothing per page is kept, so it runs in constant memory.
 */
#include <inttypes.h>
#include "view.h"

struct sum_ctx {
	const struct pgt_arch *arch;
	struct pgt_walk_stats *st;
};

static int sum_table(void *arg, const struct pgt_walk_table *t)
{
	struct sum_ctx *c = arg;
	const struct pgt_level *L = &c->arch->levels[t->level];

	if (t->again)
		return 0;	/* counted when first reached */
	c->st->table_bytes[t->level] += (uint64_t)t->entries * L->entsize;
	if (t->pa & 0xfff)
		c->st->fragments[t->level]++;
	return 0;
}

int pgt_walk_stats_collect(const struct pgt_view_src *src,
			   struct pgt_walk_stats *st, struct pgt_err *err)
{
	struct sum_ctx c = { src->arch, st };
	struct pgt_walker w;
	unsigned i;
	int rc;

	memset(st, 0, sizeof(*st));
	pgt_view_walker(&w, src, &c);
	w.on_table = sum_table;
	rc = pgt_walk(&w, err);
	/* leaves and pages are counted by the walker itself: no call per
	 * leaf (this runs in the dump benchmark) */
	for (i = 0; i < src->arch->nlevels; i++) {
		st->tables[i] = w.tables[i];
		st->leaves[i] = w.leaves[i];
	}
	st->pages = w.pages;
	st->notpresent = w.protnone;
	st->findings = w.findings;
	return rc;
}

void pgt_view_walk_summary(struct pgt_sink *s, const struct pgt_view_src *src,
			   const struct pgt_walk_stats *st)
{
	const struct pgt_arch *a = src->arch;
	struct pgt_rec rec = { .kind = PGT_REC_SOURCE };
	struct pgt_rec_walk *w;
	char desc[160] = "";
	unsigned i;

	pgt_sink_begin(s, PGT_VIEW_SUMMARY, a);
	if (a->root_describe)
		a->root_describe(src->root, desc, sizeof(desc));
	rec.u.source.name = src->name;
	rec.u.source.root = src->root;
	rec.u.source.root_decoded = desc[0] ? desc : NULL;
	pgt_sink_rec(s, &rec);
	rec.kind = PGT_REC_LEVEL;
	for (i = 0; i < a->nlevels; i++) {
		memset(&rec.u, 0, sizeof(rec.u));
		rec.u.level.level = a->levels[i].lname;
		rec.u.level.name = a->levels[i].name;
		rec.u.level.tables = st->tables[i];
		rec.u.level.bytes = st->table_bytes[i];
		rec.u.level.unaligned = st->fragments[i];
		rec.u.level.leaves = st->leaves[i];
		pgt_sink_rec(s, &rec);
	}
	memset(&rec, 0, sizeof(rec));
	rec.kind = PGT_REC_WALK;
	w = &rec.u.walk;
	w->root = src->root;
	w->arch = a->name;
	for (i = 0; i < a->nlevels; i++) {
		w->tables += st->tables[i];
		w->leaves += st->leaves[i];
	}
	w->pages = st->pages;
	w->protnone = st->notpresent;
	w->findings = st->findings;
	pgt_sink_rec(s, &rec);
	pgt_sink_end(s, PGT_VIEW_SUMMARY);
}
