/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Views over every root of a memory at once, the questions a crash-dump
 * analyst asks of the whole machine: which (root, VA) map a physical
 * frame (crash's ptov, WinDbg's !ptov), which frames are mapped more than
 * once (aliases: shared memory, copy-on-write sharing after fork, the
 * kernel's direct map of a user page, an MMIO page mapped with two memory
 * types), and which mappings are writable and executable (the kernel's
 * W+X check, over every root).
 *
 * The kernel half of an address space is the same in every process (the
 * tables are shared, or copied from swapper's): a kernel mapping found
 * with the same VA, frame, size and rights in several roots is one
 * mapping, reported once with the first root's name and the number of
 * roots that hold it.  User mappings are per root: the same VA and frame
 * in a parent and its child is copy-on-write sharing, reported as such.
 */
#include <inttypes.h>
#include <stdlib.h>
#include "view.h"

/* at most this many leaves are kept over all roots (aliases keeps every
 * leaf): about 200 MiB */
#define MAX_KEPT (4u << 20)

struct mleaf {
	uint64_t va, pa, size;
	const char *memtype;
	uint32_t root;		/* index in the roots given */
	uint32_t roots;		/* roots holding the same kernel mapping */
	unsigned flags;
	int level;
};

struct collect {
	struct mleaf *v;
	size_t n, cap;
	uint32_t root;
	bool full;
	/* ptov: only leaves holding one of these (sorted) addresses */
	const uint64_t *pas;
	size_t npas;
};

static bool holds_asked(const struct collect *c, const struct pgt_walk_leaf *l)
{
	size_t lo = 0, hi = c->npas;

	while (lo < hi) {	/* the first asked address >= l->pa */
		size_t mid = lo + (hi - lo) / 2;

		if (c->pas[mid] < l->pa)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->npas && c->pas[lo] - l->pa < l->size;
}

static int keep_leaf(void *arg, const struct pgt_walk_leaf *l)
{
	struct collect *c = arg;

	if (!l->linux_present || (c->pas && !holds_asked(c, l)))
		return 0;
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 1024;
		struct mleaf *v;

		if (cap > MAX_KEPT)
			cap = MAX_KEPT;
		if (c->n == cap || !(v = realloc(c->v, cap * sizeof(*v)))) {
			c->full = true;
			return 1;
		}
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n++] = (struct mleaf){
		.va = l->va, .pa = l->pa, .size = l->size,
		.memtype = l->memtype, .root = c->root, .roots = 1,
		.flags = l->flags, .level = l->level,
	};
	return 0;
}

/* the leaves of every root (want: extra flags every leaf must have) */
static int collect_roots(struct collect *c, const struct pgt_view_src *src,
			 const struct pgt_view_root *roots, size_t nroots,
			 unsigned want, struct pgt_err *err)
{
	size_t i;

	for (i = 0; i < nroots; i++) {
		struct pgt_view_src one = *src;
		struct pgt_walker w;
		int rc;

		one.root = roots[i].value;
		pgt_view_walker(&w, &one, c);
		w.on_leaf = keep_leaf;
		w.want |= want;
		c->root = (uint32_t)i;
		rc = pgt_walk(&w, err);
		if (c->full)
			return pgt_fail(err, PGT_ERR_LIMIT,
					"more than %u mappings in %zu roots; narrow the addresses with --range",
					MAX_KEPT, nroots);
		if (rc)
			return rc;
	}
	return PGT_OK;
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static int by_va(const void *x, const void *y)
{
	const struct mleaf *a = x, *b = y;

	if (a->va != b->va)
		return a->va < b->va ? -1 : 1;
	if (a->pa != b->pa)
		return a->pa < b->pa ? -1 : 1;
	if (a->size != b->size)
		return a->size < b->size ? -1 : 1;
	return a->root < b->root ? -1 : a->root > b->root;
}

/* with none collected c->v is NULL, which qsort may not be given */
static void sort_leaves(struct collect *c,
			int (*cmp)(const void *, const void *))
{
	if (c->n)
		qsort(c->v, c->n, sizeof(*c->v), cmp);
}

/* one mapping per kernel VA: the same leaf seen through several roots */
static void merge_kernel(struct collect *c, uint64_t user_limit)
{
	size_t i, n = 0;

	sort_leaves(c, by_va);
	for (i = 0; i < c->n; i++) {
		struct mleaf *l = &c->v[i], *p = n ? &c->v[n - 1] : NULL;

		if (p && l->va >= user_limit && p->va == l->va &&
		    p->pa == l->pa && p->size == l->size &&
		    p->flags == l->flags && same_str(p->memtype, l->memtype)) {
			p->roots++;
			continue;
		}
		c->v[n++] = *l;
	}
	c->n = n;
}

static void fill_mapping(struct pgt_rec_mapping *m, const struct pgt_view_src *src,
			 const struct pgt_view_root *roots, const struct mleaf *l)
{
	m->mapped = true;
	m->size = l->size;
	m->root = roots[l->root].name;
	m->root_value = roots[l->root].value;
	m->roots = l->roots;
	m->level = src->arch->levels[l->level].lname;
	m->flags = l->flags;
	m->memtype = l->memtype;
}

/* ---- ptov ---- */

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

static int by_root_va(const void *x, const void *y)
{
	const struct mleaf *a = x, *b = y;

	if (a->root != b->root)
		return a->root < b->root ? -1 : 1;
	return a->va < b->va ? -1 : a->va > b->va;
}

int pgt_view_ptov(struct pgt_sink *s, const struct pgt_view_src *src,
		  const struct pgt_view_root *roots, size_t nroots,
		  const uint64_t *pas, size_t npas, struct pgt_err *err)
{
	struct collect c = { 0 };
	uint64_t *sorted = malloc((npas ? npas : 1) * sizeof(*sorted));
	size_t i, j;
	int rc;

	if (!sorted)
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	memcpy(sorted, pas, npas * sizeof(*sorted));
	qsort(sorted, npas, sizeof(*sorted), cmp_u64);
	c.pas = sorted;
	c.npas = npas;
	pgt_sink_begin(s, PGT_VIEW_PTOV, src->arch);
	rc = collect_roots(&c, src, roots, nroots, 0, err);
	if (!rc) {
		merge_kernel(&c, src->arch->user_limit);
		sort_leaves(&c, by_root_va);
	}
	for (i = 0; !rc && i < npas; i++) {
		struct pgt_rec rec = { .kind = PGT_REC_PTOV };
		bool any = false;

		for (j = 0; j < c.n; j++) {
			const struct mleaf *l = &c.v[j];

			if (pas[i] < l->pa || pas[i] - l->pa >= l->size)
				continue;
			memset(&rec.u.mapping, 0, sizeof(rec.u.mapping));
			fill_mapping(&rec.u.mapping, src, roots, l);
			rec.u.mapping.pa = pas[i];
			rec.u.mapping.va = l->va + (pas[i] - l->pa);
			pgt_sink_rec(s, &rec);
			any = true;
		}
		if (!any) {
			memset(&rec.u.mapping, 0, sizeof(rec.u.mapping));
			rec.u.mapping.pa = pas[i];
			rec.u.mapping.roots = (unsigned)nroots;
			pgt_sink_rec(s, &rec);
		}
	}
	pgt_sink_end(s, PGT_VIEW_PTOV);
	free(c.v);
	free(sorted);
	return rc;
}

/* ---- aliases ---- */

static int by_pa(const void *x, const void *y)
{
	const struct mleaf *a = x, *b = y;

	if (a->pa != b->pa)
		return a->pa < b->pa ? -1 : 1;
	if (a->size != b->size)
		return a->size > b->size ? -1 : 1;	/* large first */
	return by_root_va(x, y);
}

/* the rows of one group of overlapping leaves [first, end) */
static void alias_group(struct pgt_sink *s, const struct pgt_view_src *src,
			const struct pgt_view_root *roots, const struct mleaf *v,
			size_t n, unsigned long group, bool mixed)
{
	struct pgt_rec rec = { .kind = PGT_REC_ALIAS };
	size_t i;

	for (i = 0; i < n; i++) {
		memset(&rec.u.mapping, 0, sizeof(rec.u.mapping));
		fill_mapping(&rec.u.mapping, src, roots, &v[i]);
		rec.u.mapping.pa = v[i].pa;
		rec.u.mapping.va = v[i].va;
		rec.u.mapping.group = group;
		rec.u.mapping.mixed = mixed;
		pgt_sink_rec(s, &rec);
	}
}

int pgt_view_aliases(struct pgt_sink *s, const struct pgt_view_src *src,
		     const struct pgt_view_root *roots, size_t nroots,
		     struct pgt_err *err)
{
	struct collect c = { 0 };
	struct pgt_rec rec = { .kind = PGT_REC_ALIAS_RESULT };
	struct pgt_rec_alias_result *t = &rec.u.alias_result;
	size_t i, first = 0;
	uint64_t end = 0;
	int rc;

	pgt_sink_begin(s, PGT_VIEW_ALIASES, src->arch);
	rc = collect_roots(&c, src, roots, nroots, 0, err);
	if (!rc) {
		merge_kernel(&c, src->arch->user_limit);
		sort_leaves(&c, by_pa);
	}
	/* groups: maximal runs of leaves whose frames overlap */
	for (i = 0; !rc && i <= c.n; i++) {
		if (i < c.n && i > first && c.v[i].pa < end) {
			if (c.v[i].pa + c.v[i].size > end)
				end = c.v[i].pa + c.v[i].size;
			continue;
		}
		if (i - first >= 2) {
			bool mixed = false;
			size_t k;

			for (k = first + 1; k < i; k++)
				mixed |= !same_str(c.v[k].memtype,
						   c.v[first].memtype);
			t->groups++;
			t->mappings += i - first;
			t->mixed += mixed;
			alias_group(s, src, roots, c.v + first, i - first,
				    (unsigned long)t->groups, mixed);
		}
		if (i < c.n) {
			first = i;
			end = c.v[i].pa + c.v[i].size;
		}
	}
	if (!rc) {
		t->roots = nroots;
		pgt_sink_rec(s, &rec);
	}
	pgt_sink_end(s, PGT_VIEW_ALIASES);
	free(c.v);
	return rc;
}

/* ---- W+X ---- */

static const char *region_at(const struct pgt_view_src *src, uint64_t va)
{
	size_t i;

	for (i = 0; i < src->nregions; i++)
		if (va >= src->regions[i].start &&
		    (!src->regions[i].end || va < src->regions[i].end))
			return src->regions[i].name;
	return NULL;
}

static void wx_flush(struct pgt_sink *s, struct pgt_rec *rec, bool *open)
{
	if (*open)
		pgt_sink_rec(s, rec);
	*open = false;
}

int pgt_view_wx(struct pgt_sink *s, const struct pgt_view_src *src,
		const struct pgt_view_root *roots, size_t nroots,
		uint64_t *wx_pages, struct pgt_err *err)
{
	struct collect c = { 0 };
	struct pgt_rec run = { .kind = PGT_REC_WX };
	struct pgt_rec res = { .kind = PGT_REC_WX_RESULT };
	struct pgt_rec_wx *r = &run.u.wx;
	bool open = false;
	size_t i;
	int rc;

	pgt_sink_begin(s, PGT_VIEW_WX, src->arch);
	rc = collect_roots(&c, src, roots, nroots, PGT_HF_W | PGT_HF_X, err);
	if (!rc) {
		merge_kernel(&c, src->arch->user_limit);
		sort_leaves(&c, by_root_va);
	}
	for (i = 0; !rc && i < c.n; i++) {
		const struct mleaf *l = &c.v[i];
		const char *region = region_at(src, l->va);

		res.u.wx_result.pages += l->size >> 12;
		if (open && roots[l->root].name == r->root && r->end == l->va &&
		    r->flags == l->flags && r->page_size == l->size &&
		    r->roots == l->roots && same_str(r->region, region)) {
			r->end += l->size;
			r->pages++;
			continue;
		}
		wx_flush(s, &run, &open);
		*r = (struct pgt_rec_wx){
			.root = roots[l->root].name,
			.root_value = roots[l->root].value,
			.roots = l->roots, .start = l->va,
			.end = l->va + l->size, .pages = 1,
			.page_size = l->size,
			.level = src->arch->levels[l->level].lname,
			.flags = l->flags, .region = region,
		};
		open = true;
	}
	wx_flush(s, &run, &open);
	if (!rc) {
		res.u.wx_result.prefix = src->arch->wx_prefix;
		res.u.wx_result.period = src->arch->wx_period;
		res.u.wx_result.roots = nroots;
		pgt_sink_rec(s, &res);
		*wx_pages = res.u.wx_result.pages;
	}
	pgt_sink_end(s, PGT_VIEW_WX);
	free(c.v);
	return rc;
}
