/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * --pages (one record per present leaf, the TSV contract of design.md),
 * --ranges (ptdump-style: neighbouring leaves with the same flags and
 * page size merged; the physical start is kept when the range is
 * physically contiguous) and the leaf iterator both are made of.
 */
#include <inttypes.h>
#include "view.h"

struct pages_ctx {
	struct pgt_sink *s;
};

static int pages_leaf(void *arg, const struct pgt_walk_leaf *l)
{
	struct pages_ctx *c = arg;
	struct pgt_rec rec = { .kind = PGT_REC_PAGE };

	if (!l->linux_present)
		return 0;
	rec.u.page.va = l->va;
	rec.u.page.pa = l->pa;
	rec.u.page.size = l->size;
	rec.u.page.raw = l->raw;
	rec.u.page.flags = l->flags;
	rec.u.page.memtype = l->memtype;
	pgt_sink_rec(c->s, &rec);
	return 0;
}

int pgt_view_pages(struct pgt_sink *s, const struct pgt_view_src *src,
		   struct pgt_err *err)
{
	struct pages_ctx c = { s };
	struct pgt_walker w;
	int rc;

	pgt_sink_begin(s, PGT_VIEW_PAGES, src->arch);
	pgt_view_walker(&w, src, &c);
	w.on_leaf = pages_leaf;
	rc = pgt_walk(&w, err);
	pgt_sink_end(s, PGT_VIEW_PAGES);
	return rc;
}

/* ---- ranges ---- */

struct ranges_ctx {
	struct pgt_sink *s;
	const struct pgt_arch *arch;
	const struct pgt_region *regions;
	size_t nregions;
	bool open;
	int level;
	struct pgt_rec_range r;
};

/* the named region holding va, or NULL */
static const char *region_of(const struct ranges_ctx *c, uint64_t va)
{
	size_t i;

	for (i = 0; i < c->nregions; i++)
		if (va >= c->regions[i].start &&
		    (!c->regions[i].end || va < c->regions[i].end))
			return c->regions[i].name;
	return NULL;
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static void range_flush(struct ranges_ctx *c)
{
	struct pgt_rec rec = { .kind = PGT_REC_RANGE };

	if (!c->open)
		return;
	c->open = false;
	rec.u.range = c->r;
	rec.u.range.level = c->arch->levels[c->level].lname;
	pgt_sink_rec(c->s, &rec);
}

static int ranges_leaf(void *arg, const struct pgt_walk_leaf *l)
{
	struct ranges_ctx *c = arg;
	struct pgt_rec_range *r = &c->r;
	const char *region = c->nregions ? region_of(c, l->va) : NULL;

	if (!l->linux_present)
		return 0;
	/* a run never mixes memory types (an uncached MMIO page beside
	 * RAM) nor crosses into another region */
	if (c->open && r->end == l->va && r->flags == l->flags &&
	    r->page_size == l->size && c->level == l->level &&
	    same_str(r->memtype, l->memtype) && same_str(r->region, region)) {
		if (r->contiguous && r->pa + (r->end - r->start) != l->pa)
			r->contiguous = false;
		r->end += l->size;
		r->pages++;
		return 0;
	}
	range_flush(c);
	c->open = true;
	c->level = l->level;
	r->start = l->va;
	r->end = l->va + l->size;
	r->pa = l->pa;
	r->page_size = l->size;
	r->pages = 1;
	r->contiguous = true;
	r->flags = l->flags;
	r->memtype = l->memtype;
	r->region = region;
	return 0;
}

int pgt_view_ranges(struct pgt_sink *s, const struct pgt_view_src *src,
		    struct pgt_err *err)
{
	struct ranges_ctx c = { .s = s, .arch = src->arch,
				.regions = src->regions,
				.nregions = src->nregions };
	struct pgt_walker w;
	int rc;

	pgt_sink_begin(s, PGT_VIEW_RANGES, src->arch);
	pgt_view_walker(&w, src, &c);
	w.on_leaf = ranges_leaf;
	rc = pgt_walk(&w, err);
	range_flush(&c);
	pgt_sink_end(s, PGT_VIEW_RANGES);
	return rc;
}

/* ---- the leaf iterator ---- */

void pgt_leaf_iter_init(struct pgt_leaf_iter *it,
			const struct pgt_view_src *src)
{
	memset(it, 0, sizeof(*it));
	it->src = *src;
	it->src.on_finding = NULL;
	it->next = src->va_start;
}

static int iter_leaf(void *arg, const struct pgt_walk_leaf *l)
{
	struct pgt_leaf_iter *it = arg;

	if (!l->linux_present)
		return 0;
	it->buf[it->n++] = *l;
	return it->n == PGT_LEAF_CHUNK;		/* full: stop here */
}

/* one more chunk: walk again from where the last one stopped (only the
 * tables on the way down to that address are read twice) */
static int iter_fill(struct pgt_leaf_iter *it, struct pgt_err *err)
{
	struct pgt_view_src src = it->src;
	struct pgt_walker w;
	const struct pgt_walk_leaf *last;
	int rc;

	it->n = it->pos = 0;
	src.va_start = it->next;
	pgt_view_walker(&w, &src, it);
	w.on_leaf = iter_leaf;
	rc = pgt_walk(&w, err);
	if (rc)
		return rc;
	if (it->n < PGT_LEAF_CHUNK) {
		it->done = true;
		return PGT_OK;
	}
	last = &it->buf[it->n - 1];
	it->next = last->va + last->size;
	if (it->next <= last->va ||
	    (it->src.va_end && it->next >= it->src.va_end))
		it->done = true;	/* the top of the address space */
	return PGT_OK;
}

int pgt_leaf_iter_next(struct pgt_leaf_iter *it, struct pgt_walk_leaf *leaf,
		       bool *got, struct pgt_err *err)
{
	int rc;

	*got = false;
	if (it->pos == it->n) {
		if (it->done)
			return PGT_OK;
		if ((rc = iter_fill(it, err)))
			return rc;
		if (!it->n)
			return PGT_OK;
	}
	*leaf = it->buf[it->pos++];
	*got = true;
	return PGT_OK;
}
