/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The leaf iterator (pgt_leaf_iter_*) yields exactly the leaves the pages
 * view lists, in the same VA order, whatever the chunking: checked on
 * replayed traces of both archs (one with thousands of leaves, so many
 * chunks), whole and restricted by a range that starts and ends inside
 * the tree.
 */
#include <stdlib.h>
#include <string.h>
#include "session/replay.h"
#include "walk/view.h"
#include "../lib/tap.h"

struct pagelist {
	struct pgt_rec_page *v;
	size_t n, cap;
};

static void collect(void *arg, const struct pgt_rec *r)
{
	struct pagelist *p = arg;

	if (r->kind != PGT_REC_PAGE)
		return;
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 256;
		p->v = realloc(p->v, p->cap * sizeof(*p->v));
		if (!p->v)
			abort();
	}
	p->v[p->n++] = r->u.page;
}

static void compare(const char *name, const struct pgt_view_src *src)
{
	struct pagelist want = { 0 };
	struct pgt_sink sink = { .rec = collect, .arg = &want };
	struct pgt_leaf_iter *it = malloc(sizeof(*it));
	struct pgt_err err = { 0 };
	struct pgt_walk_leaf l;
	size_t n = 0, bad = 0;
	bool got;
	int rc;

	rc = pgt_view_pages(&sink, src, &err);
	ok(!rc, "%s: the pages view walks", name);
	if (rc)
		printf("# %s\n", err.msg);
	pgt_leaf_iter_init(it, src);
	while (!(rc = pgt_leaf_iter_next(it, &l, &got, &err)) && got) {
		const struct pgt_rec_page *w = n < want.n ? &want.v[n] : NULL;

		if (!w || w->va != l.va || w->pa != l.pa || w->size != l.size ||
		    w->raw != l.raw || w->flags != l.flags) {
			if (!bad++)
				printf("# leaf %zu: va 0x%" PRIx64 " differs\n", n, l.va);
		}
		n++;
	}
	ok(!rc, "%s: the iterator runs to the end", name);
	is_u64(n, want.n, "%s: as many leaves as the pages view (%zu)", name, want.n);
	ok(!bad, "%s: the same leaves in the same order", name);
	free(want.v);
	free(it);
}

static void check_trace(const char *top, const char *rel)
{
	char path[4096], name[256];
	struct pgt_replay_opts o = { 0 };
	struct pgt_engine *e = NULL;
	struct pgt_err err = { 0 };
	struct pgt_view_src src = { 0 };
	struct pgt_mm *mm = NULL;
	size_t i;

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	if (pgt_replay(path, &o, &e, &err)) {
		ok(0, "%s replays (%.200s)", rel, err.msg);
		pgt_engine_free(e);
		return;
	}
	for (i = e->m.nmms; i-- > 0 && !mm;)
		if (e->m.mms[i] && !e->m.mms[i]->dead)
			mm = e->m.mms[i];
	if (!mm) {
		ok(0, "%s: a live mm", rel);
		pgt_engine_free(e);
		return;
	}
	src.arch = e->m.arch;
	src.mem = &e->m.mem.pm;
	src.root = e->m.rules->mm_root(e, mm);
	src.va_end = e->m.arch->user_limit;
	compare(rel, &src);
	/* a range that cuts the tree: from the middle of the first leaf's
	 * 2 MiB to 1 GiB past it */
	{
		struct pgt_leaf_iter *it = malloc(sizeof(*it));
		struct pgt_walk_leaf l;
		bool got = false;

		pgt_leaf_iter_init(it, &src);
		pgt_leaf_iter_next(it, &l, &got, &err);
		free(it);
		if (got) {
			src.va_start = (l.va & ~0x1fffffull) + 0x100000;
			src.va_end = src.va_start + 0x40000000;
			snprintf(name, sizeof(name), "%s in 0x%" PRIx64 "-0x%" PRIx64,
				 rel, src.va_start, src.va_end);
			compare(name, &src);
		}
	}
	pgt_engine_free(e);
}

int main(void)
{
	const char *top = getenv("abs_top_srcdir");
	static const char *const traces[] = {
		"tests/data/pae-small.trace",
		"traces/large-generated.trace",
		"traces/pae-A1-workload.trace",
		"traces/s390x-A1-workload.trace",
		"traces/s390x-upgrade.trace",
		"traces/pae-thp-cow.trace",
	};
	size_t i;

	if (!top)
		top = ".";
	for (i = 0; i < sizeof(traces) / sizeof(traces[0]); i++)
		check_trace(top, traces[i]);
	return done_testing();
}
