/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the harnesses share: the input as a file, /dev/null as the output,
 * walks with a bounded cost, and the bounded replay of a trace.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "fuzz.h"
#include "session/replay.h"

int fuzz_memfd(const uint8_t *data, size_t size, char *path, size_t len)
{
	int fd = memfd_create("fuzz-input", MFD_CLOEXEC);
	size_t off = 0;
	ssize_t n;

	if (fd < 0)
		return -1;
	while (off < size) {
		n = write(fd, data + off, size - off);
		if (n <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	snprintf(path, len, "/proc/self/fd/%d", fd);
	return fd;
}

FILE *fuzz_devnull(void)
{
	static FILE *null;

	if (!null)
		null = fopen("/dev/null", "w");
	return null;
}

struct pgt_render *fuzz_render(const uint8_t *data, size_t size,
			       enum pgt_format *fmt)
{
	FILE *out = fuzz_devnull();

	if (!out)
		return NULL;
	/* the length, not a byte of the input: choosing by content would
	 * make the format flip under every mutation of that byte */
	*fmt = (enum pgt_format)(size % 4);
	return pgt_render_new(*fmt, out, "fuzz");
}

/* ---- bounded memory ---- */

static int budget_take(struct fuzz_mem *m, size_t len)
{
	if (m->left < len) {
		m->left = 0;
		return -1;
	}
	m->left -= len;
	return 0;
}

static int budget_read(struct pgt_physmem *pm, uint64_t pa, void *buf,
		       size_t len)
{
	struct fuzz_mem *m = pm->priv;
	int rc;

	if (budget_take(m, len))
		return -1;
	rc = pgt_phys_read(m->inner, pa, buf, len);
	pm->fail_status = m->inner->fail_status;
	return rc;
}

static const void *budget_map(struct pgt_physmem *pm, uint64_t pa,
			      size_t len)
{
	struct fuzz_mem *m = pm->priv;

	if (!m->inner->map || budget_take(m, len))
		return NULL;
	return m->inner->map(m->inner, pa, len);
}

static const char *budget_why(struct pgt_physmem *pm)
{
	struct fuzz_mem *m = pm->priv;

	if (!m->left)
		return "fuzz harness: walk budget spent";
	return m->inner->why ? m->inner->why(m->inner) : NULL;
}

void fuzz_mem_init(struct fuzz_mem *m, struct pgt_physmem *inner,
		   uint64_t budget)
{
	memset(m, 0, sizeof(*m));
	m->inner = inner;
	m->left = budget;
	m->pm.read = budget_read;
	m->pm.map = budget_map;
	m->pm.why = budget_why;
	m->pm.limit = inner->limit;
	m->pm.priv = m;
}

/* ---- views ---- */

/* a walk view over a fresh budget */
static void one_view(int (*view)(struct pgt_sink *, const struct pgt_view_src *,
				 struct pgt_err *),
		     struct pgt_sink *s, const struct pgt_view_src *src)
{
	struct pgt_view_src b = *src;
	struct pgt_err err = { 0 };
	struct fuzz_mem m;

	fuzz_mem_init(&m, src->mem, FUZZ_WALK_BYTES);
	b.mem = &m.pm;
	view(s, &b, &err);
}

static void summary(struct pgt_sink *s, const struct pgt_view_src *src)
{
	struct pgt_view_src b = *src;
	struct pgt_err err = { 0 };
	struct pgt_walk_stats st;
	struct fuzz_mem m;

	fuzz_mem_init(&m, src->mem, FUZZ_WALK_BYTES);
	b.mem = &m.pm;
	if (!pgt_walk_stats_collect(&b, &st, &err))
		pgt_view_walk_summary(s, &b, &st);
}

static void translate(struct pgt_sink *s, const struct pgt_view_src *src,
		      const uint64_t *va, size_t nva)
{
	struct pgt_err err = { 0 };
	size_t i;

	pgt_sink_begin(s, PGT_VIEW_TRANSLATE, src->arch);
	for (i = 0; i < nva; i++)
		pgt_view_translate(s, src, va[i], &err);
	pgt_sink_end(s, PGT_VIEW_TRANSLATE);
}

/* the leaf iterator diff merges on, pulled to its end */
static void leaves(const struct pgt_view_src *src)
{
	struct pgt_leaf_iter *it = malloc(sizeof(*it));
	struct pgt_view_src b = *src;
	struct pgt_err err = { 0 };
	struct pgt_walk_leaf l;
	struct fuzz_mem m;
	bool got = true;

	if (!it)
		return;
	fuzz_mem_init(&m, src->mem, FUZZ_WALK_BYTES);
	b.mem = &m.pm;
	pgt_leaf_iter_init(it, &b);
	while (got && !pgt_leaf_iter_next(it, &l, &got, &err))
		;
	free(it);
}

void fuzz_views(struct pgt_render *r, enum pgt_format fmt,
		const struct pgt_view_src *src, const uint64_t *va,
		size_t nva)
{
	struct pgt_sink *s = pgt_render_sink(r);

	if (pgt_render_can(fmt, PGT_VIEW_TREE))
		one_view(pgt_view_tree, s, src);
	if (pgt_render_can(fmt, PGT_VIEW_RANGES))
		one_view(pgt_view_ranges, s, src);
	if (pgt_render_can(fmt, PGT_VIEW_PAGES))
		one_view(pgt_view_pages, s, src);
	if (pgt_render_can(fmt, PGT_VIEW_SUMMARY))
		summary(s, src);
	if (pgt_render_can(fmt, PGT_VIEW_TRANSLATE))
		translate(s, src, va, nva);
	leaves(src);
}

/* ---- replay ---- */

struct replay_ctx {
	struct pgt_render *r;
	enum pgt_format fmt;
	bool events;
	unsigned long nevents;
	struct pgt_evout ev;
};

/* the events view, up to FUZZ_MAX_EVENTS events */
static void some_events(void *arg, const struct pgt_event *ev)
{
	struct replay_ctx *c = arg;

	if (c->nevents++ < FUZZ_MAX_EVENTS)
		pgt_view_event(&c->ev, ev);
}

/* after the trace's own options, before the first op: the bounds */
static void bound_engine(void *arg, struct pgt_engine *e)
{
	struct replay_ctx *c = arg;

	if (e->max_host_mem > FUZZ_MAX_HOST_MEM)
		e->max_host_mem = FUZZ_MAX_HOST_MEM;
	if (e->mem_size > FUZZ_MAX_SIM_MEM)
		e->mem_size = FUZZ_MAX_SIM_MEM;
	e->flush_records = true;
	if (!c->events)
		return;
	c->ev.sink = pgt_render_sink(c->r);
	c->ev.arch = e->m.arch;
	pgt_sink_begin(c->ev.sink, PGT_VIEW_EVENTS, e->m.arch);
	pgt_engine_on_event(e, some_events, c);
}

/* the mm the views show: the current one, else the last live one */
static struct pgt_mm *live_mm(struct pgt_engine *e)
{
	size_t i;

	if (e->m.cur && !e->m.cur->dead)
		return e->m.cur;
	for (i = e->m.nmms; i-- > 0;)
		if (e->m.mms[i] && !e->m.mms[i]->dead)
			return e->m.mms[i];
	return NULL;
}

static void engine_views(struct replay_ctx *c, struct pgt_engine *e)
{
	struct pgt_sink *s = pgt_render_sink(c->r);
	struct pgt_mm *mm = live_mm(e);
	struct pgt_err err = { 0 };
	struct pgt_view_src src;
	uint64_t va[10];
	size_t i, n = 0;

	if (mm && e->started) {
		memset(&src, 0, sizeof(src));
		src.arch = e->m.arch;
		src.mem = &e->m.mem.pm;
		src.root = e->m.rules->mm_root(e, mm);
		src.va_end = e->m.arch->user_limit;
		src.name = "fuzz";
		va[n++] = 0;
		va[n++] = e->m.arch->user_limit - 1;
		for (i = 0; i < mm->nvma && n < 10; i++)
			va[n++] = mm->vma[i].start;
		fuzz_views(c->r, c->fmt, &src, va, n);
	}
	if (pgt_render_can(c->fmt, PGT_VIEW_FLUSHES))
		pgt_view_flushes(s, e);
	if (pgt_render_can(c->fmt, PGT_VIEW_TRANSITIONS))
		pgt_view_transitions(s, e);
	if (pgt_render_can(c->fmt, PGT_VIEW_SUMMARY))
		pgt_view_summary(s, e, NULL);
	if (e->started && e->m.mem.host_bytes <= FUZZ_CHECK_HOST_MEM)
		pgt_engine_check(e, &err);
}

void fuzz_replay(const uint8_t *data, size_t size)
{
	struct replay_ctx c = { 0 };
	struct pgt_replay_opts o = { .until = FUZZ_MAX_OPS,
				     .on_engine = bound_engine, .arg = &c };
	struct pgt_engine *e = NULL;
	struct pgt_err err = { 0 };
	char path[64];
	int fd;

	c.r = fuzz_render(data, size, &c.fmt);
	if (!c.r)
		return;
	fd = fuzz_memfd(data, size, path, sizeof(path));
	if (fd < 0) {
		pgt_render_finish(c.r);
		return;
	}
	/* more choices from the length, independent of the format's; no
	 * --check after each op: its cost grows with the state (the check
	 * runs once at the end, on small states) */
	c.events = (size / 4) % 2 && pgt_render_can(c.fmt, PGT_VIEW_EVENTS);
	pgt_replay(path, &o, &e, &err);
	if (c.events && e)
		pgt_sink_end(pgt_render_sink(c.r), PGT_VIEW_EVENTS);
	if (e) {
		pgt_engine_on_event(e, NULL, NULL);
		engine_views(&c, e);
	}
	pgt_engine_free(e);
	pgt_render_finish(c.r);
	close(fd);
}
