/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The pages page tables occupy (table-pages.h).
 */
#include <stdlib.h>
#include "table-pages.h"

int pgt_page_set_add(struct pgt_page_set *p, uint64_t pg)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 256;
		uint64_t *v = realloc(p->v, cap * sizeof(*v));

		if (!v) {
			p->oom = true;
			return -1;
		}
		p->v = v;
		p->cap = cap;
	}
	p->v[p->n++] = pg;
	return 0;
}

struct table_ctx {
	struct pgt_page_set *p;
	const struct pgt_arch *arch;
};

/* every 4 KiB page a table touches (16 KiB CRSTs are four) */
static int add_table(void *arg, const struct pgt_walk_table *t)
{
	struct table_ctx *c = arg;
	uint64_t end = t->pa + (uint64_t)t->entries *
			       c->arch->levels[t->level].entsize;
	uint64_t pg;

	for (pg = t->pa & ~0xfffull; pg < end; pg += 4096)
		if (pgt_page_set_add(c->p, pg))
			return 1;
	return 0;
}

int pgt_page_set_add_tables(struct pgt_page_set *p, struct pgt_walker *w,
			    struct pgt_err *err)
{
	struct table_ctx c = { .p = p, .arch = w->arch };
	int rc;

	w->on_table = add_table;
	w->arg = &c;
	rc = pgt_walk(w, err);
	if (p->oom)
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	return rc;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

size_t pgt_page_set_unique(struct pgt_page_set *p)
{
	size_t i, n = 0;

	if (p->n)
		qsort(p->v, p->n, sizeof(*p->v), cmp_u64);
	for (i = 0; i < p->n; i++)
		if (!n || p->v[n - 1] != p->v[i])
			p->v[n++] = p->v[i];
	p->n = n;
	return n;
}

void pgt_page_set_free(struct pgt_page_set *p)
{
	free(p->v);
	p->v = NULL;
	p->n = p->cap = 0;
}
