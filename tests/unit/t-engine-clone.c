/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Checkpoints must restore the engine exactly.  For every trace in
 * traces/ and several K <= N: the state after replaying
 * to N equals the state of a copy taken at K (of which the original was
 * then freed), replayed from K to N, twice from the same copy.  "The
 * state" is a digest of everything observable: the leaves of every live
 * mm's tree (va, pa, size, flags, raw, slot), the counters (flush totals,
 * transitions, faults, errors, rss, tables per level, deposits), VMAs,
 * the flush records, the simulated memory (allocator, free lists, frame
 * metadata, table bytes, host -> pa map), and the events of the ops
 * replayed (entry events name slots through the host -> pa map).  Copies
 * are plain clones or checkpoints sharing frames with an earlier
 * checkpoint (freed first); a checkpoint reads as the state it keeps and
 * refuses to run.
 * Sessions (text and CBOR traces): sequences of goto / back / step land
 * on the digest of a fresh replay to the same position, moving back
 * replays less than the spacing, checkpoints stay within the budget, and
 * step tells the listeners what a fresh replay tells.
 * Copies freed leave the heap as it was (mallinfo2).
 */
#include <dirent.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "engine/engine.h"
#include "session/session.h"
#include "walk/walk.h"
#include "../lib/tap.h"

#define MAX_OPS 100000

struct trace {
	char path[512];
	const char *name;	/* in test names: the file name */
	char arch[16];
	struct pgt_trace_header hdr;
	struct pgt_op *ops;
	unsigned long n;	/* ops the engine accepts */
};

/* ---- reading a trace and replaying it by hand ---- */

static int load(struct trace *t, const char *path)
{
	struct pgt_trace_reader *r;
	struct pgt_err err = { 0 };
	struct pgt_op op;
	int done = 0;

	snprintf(t->path, sizeof(t->path), "%s", path);
	t->name = strrchr(t->path, '/') ? strrchr(t->path, '/') + 1 : t->path;
	t->n = 0;
	t->ops = malloc(MAX_OPS * sizeof(*t->ops));
	if (!t->ops || pgt_trace_open(path, &r, &err))
		return -1;
	t->hdr = *pgt_trace_header(r);
	while (t->n < MAX_OPS && !pgt_trace_next(r, &op, &done, &err) && !done)
		t->ops[t->n++] = op;
	pgt_trace_close(r);
	return 0;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n--)
		h = (h ^ *c++) * 0x100000001b3ull;
	return h;
}

#define FNV0 0xcbf29ce484222325ull

/* events hashed op by op: ev_hash[op] */
struct evlog {
	uint64_t *h;
};

static void on_event(void *arg, const struct pgt_event *ev)
{
	struct evlog *l = arg;
	uint64_t *h = &l->h[ev->op];
	uint64_t f[12] = { ev->type, ev->op, (uint64_t)ev->mm,
			   (uint64_t)ev->level, ev->va, ev->pa, ev->old,
			   ev->new, ev->count, ev->size, (uint64_t)ev->half,
			   (uint64_t)ev->kind };

	*h = fnv(*h ? *h : FNV0, f, sizeof(f));
	if (ev->text)
		*h = fnv(*h, ev->text, strlen(ev->text));
}

static struct pgt_engine *engine_new(const struct trace *t)
{
	struct pgt_engine *e;
	struct pgt_err err = { 0 };
	int i;

	if (pgt_engine_new(t->hdr.arch, &e, &err))
		goto bail;
	for (i = 0; i < t->hdr.noptions; i++)
		if (pgt_engine_set(e, t->hdr.options[i].key,
				   t->hdr.options[i].val, &err))
			goto bail;
	if (pgt_engine_start(e, &err))
		goto bail;
	return e;
bail:
	printf("Bail out! %s: %s\n", t->path, err.msg);
	exit(99);
}

/* apply ops from e->op_index up to n; the engine's verdict on the first
 * op it rejects is the end of the trace for these tests */
static int run(struct pgt_engine *e, const struct trace *t, unsigned long n)
{
	struct pgt_err err = { 0 };

	while (e->m.op_index < n)
		if (pgt_engine_apply(e, &t->ops[e->m.op_index], &err))
			return -1;
	return 0;
}

/* ---- the digest ---- */

static bool dg_records = true;	/* checkpoints keep none */

static int dg_leaf(void *arg, const struct pgt_walk_leaf *l)
{
	fprintf(arg, "leaf %llx %llx %llx %x %llx %d %d %llx\n",
		(unsigned long long)l->va, (unsigned long long)l->pa,
		(unsigned long long)l->size, l->flags,
		(unsigned long long)l->raw, l->level, l->linux_present,
		(unsigned long long)l->slot);
	return 0;
}

static int dg_finding(void *arg, int level, uint64_t slot, uint64_t va,
		      uint64_t raw, const char *why)
{
	fprintf(arg, "finding %d %llx %llx %llx %s\n", level,
		(unsigned long long)slot, (unsigned long long)va,
		(unsigned long long)raw, why);
	return 0;
}

static void dg_mm(FILE *f, struct pgt_engine *e, struct pgt_mm *mm)
{
	struct pgt_walker w;
	struct pgt_err err = { 0 };
	size_t i;

	fprintf(f, "mm %d dead %d users %d attach %llx mask %llx top %d %llx rss %llu dep %ld anon %u\n",
		mm->id, mm->dead, mm->users,
		(unsigned long long)mm->cpu_attach,
		(unsigned long long)mm->cpumask, mm->top_level,
		(unsigned long long)mm->top, (unsigned long long)mm->rss,
		mm->nr_deposit, mm->next_anon);
	for (i = 0; i < PGT_MAX_LEVELS; i++)
		fprintf(f, " tables %zu %ld\n", i, mm->nr_tables[i]);
	for (i = 0; i < mm->nvma; i++)
		fprintf(f, " vma %llx-%llx %x %u\n",
			(unsigned long long)mm->vma[i].start,
			(unsigned long long)mm->vma[i].end, mm->vma[i].flags,
			mm->vma[i].anon);
	if (mm->dead)
		return;
	memset(&w, 0, sizeof(w));
	w.arch = e->m.arch;
	w.mem = &e->m.mem.pm;
	w.root = e->m.rules->mm_root(e, mm);
	w.va_end = e->m.arch->user_limit;
	w.on_leaf = dg_leaf;
	w.on_finding = dg_finding;
	w.arg = f;
	fprintf(f, " walk %d\n", pgt_walk(&w, &err));
}

static void dg_mem(FILE *f, struct simmem *sm)
{
	size_t used = simmem_frames_used(sm), i, j;
	uint64_t meta = FNV0, data = FNV0;
	unsigned long bad = 0, backed = 0;

	fprintf(f, "mem %llx %llx %llx used %llu peak %llu free0 %u\n",
		(unsigned long long)sm->base_pfn,
		(unsigned long long)sm->limit_pfn,
		(unsigned long long)sm->next_pfn,
		(unsigned long long)sm->used, (unsigned long long)sm->peak,
		sm->free0);
	for (i = 0; i < used; i++) {
		struct sim_frame *fr = &sm->frames[i];
		uint64_t m[4] = { fr->refs, fr->flags, fr->order, fr->tag };
		uint64_t pa = (sm->base_pfn + i) << SIM_PAGE_SHIFT;

		meta = fnv(meta, m, sizeof(m));
		if (!fr->mem)
			continue;
		backed++;
		data = fnv(fnv(data, &pa, sizeof(pa)), fr->mem, SIM_PAGE_SIZE);
		/* a checkpoint has no host -> pa map: it never runs */
		if (!simmem_frozen(sm) &&
		    simmem_host_to_pa(sm, fr->mem + 8) != pa + 8)
			bad++;
	}
	fprintf(f, "frames %llx backed %lu data %llx hostmap-bad %lu\n",
		(unsigned long long)meta, backed, (unsigned long long)data, bad);
	/* the host memory charged (the limit's count) is part of the state;
	 * a checkpoint's own is its origin's */
	fprintf(f, "host %llu\n", (unsigned long long)sm->host_bytes);
	for (i = 0; i <= SIM_MAX_ORDER; i++)
		for (j = 0; j < sm->free_backed[i].n; j++)
			fprintf(f, "free-backed %zu %llx\n", i,
				(unsigned long long)sm->free_backed[i].pfn[j]);
	for (i = 0; i < SIM_MAX_ORDER + 10; i++)
		for (j = 0; j < sm->free_data[i].n; j++)
			fprintf(f, "free-data %zu %llx\n", i,
				(unsigned long long)sm->free_data[i].pfn[j]);
}

static void dg_counters(FILE *f, struct pgt_engine *e)
{
	size_t i, j;

	fprintf(f, "op %lu cur %d self %u faults %llu errors %llu hzero %llx\n",
		e->m.op_index, e->m.cur ? e->m.cur->id : 0, e->m.self,
		(unsigned long long)e->nr_faults,
		(unsigned long long)e->nr_errors,
		(unsigned long long)e->huge_zero_pfn);
	for (i = 0; i < PGT_MAX_CPUS; i++)
		if (e->m.cpu_mm[i])
			fprintf(f, "cpu %zu mm %d\n", i, e->m.cpu_mm[i]->id);
	for (i = 0; i < PGT_FL__COUNT; i++)
		fprintf(f, "flush %zu %llu\n", i,
			(unsigned long long)e->flush_total[i]);
	for (i = 0; i < PGT_PS__COUNT; i++)
		for (j = 0; j < PGT_PS__COUNT; j++)
			if (e->m.trans[i][j])
				fprintf(f, "trans %zu %zu %llu\n", i, j,
					(unsigned long long)e->m.trans[i][j]);
	for (i = 0; dg_records && i < e->nflush; i++) {
		const struct pgt_flush_rec *r = &e->flush[i];

		fprintf(f, "rec %lu %d %llu", r->op, r->kind,
			(unsigned long long)r->count);
		for (j = 0; j < PGT_FLUSH_REASONS && r->reason[j]; j++)
			fprintf(f, " | %s", r->reason[j]);
		fputc('\n', f);
	}
}

/* the observable state as text (free() it) */
static char *digest(struct pgt_engine *e)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	if (!f) {
		printf("Bail out! open_memstream\n");
		exit(99);
	}
	dg_counters(f, e);
	for (i = 0; i < e->m.nmms; i++)
		if (e->m.mms[i])
			dg_mm(f, e, e->m.mms[i]);
	dg_mem(f, &e->m.mem);
	fclose(f);
	return buf;
}

/* equal, or say where they part (once per failing check) */
static bool same(const char *a, const char *b, const char *what)
{
	size_t i = 0, line = 1;

	if (!strcmp(a, b))
		return true;
	for (; a[i] && a[i] == b[i]; i++)
		if (a[i] == '\n')
			line++;
	printf("# %s: digests differ at line %zu: '%.60s' vs '%.60s'\n", what,
	       line, a + i, b + i);
	return false;
}

/* ---- engine copies ---- */

static size_t heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

/* replay to n with events of ops > k logged */
static char *reference(const struct trace *t, unsigned long k,
		       unsigned long n, struct evlog *ev)
{
	struct pgt_engine *e = engine_new(t);
	char *d;

	run(e, t, k);
	pgt_engine_on_event(e, on_event, ev);
	run(e, t, n);
	d = digest(e);
	pgt_engine_free(e);
	return d;
}

static bool same_events(const struct evlog *a, const struct evlog *b,
			unsigned long k, unsigned long n, const char *what)
{
	unsigned long i;

	for (i = k + 1; i <= n; i++)
		if (a->h[i] != b->h[i]) {
			printf("# %s: events of op %lu differ\n", what, i);
			return false;
		}
	return true;
}

/*
 * The copy at k: a plain clone, or (frozen) a checkpoint sharing frames
 * with a checkpoint at k / 2 that is freed first.  *recs gets the flush
 * records a checkpoint leaves out.
 */
static void *saved_priv;	/* the arch state of the original at k */

static struct pgt_engine *copy_at(const struct trace *t, unsigned long k,
				  bool frozen, struct sim_pool *pool,
				  struct pgt_flush_rec **recs, size_t *nrecs,
				  char **before)
{
	struct pgt_err err = { 0 };
	struct pgt_engine *base = engine_new(t), *prev = NULL, *ck;

	*recs = NULL;
	*nrecs = 0;
	if (frozen) {
		run(base, t, k / 2);
		prev = pgt_engine_checkpoint(base, NULL, pool, NULL, &err);
	}
	run(base, t, k);
	dg_records = !frozen;
	*before = digest(base);
	ck = frozen ? pgt_engine_checkpoint(base, prev, pool, NULL, &err)
		    : pgt_engine_clone(base, 0, NULL, &err);
	if (ck && frozen && base->nflush) {
		*nrecs = base->nflush;
		*recs = malloc(base->nflush * sizeof(**recs));
		memcpy(*recs, base->flush, base->nflush * sizeof(**recs));
	}
	if (!ck)
		printf("# %s: copy at %lu: %s\n", t->name, k, err.msg);
	free(saved_priv);
	saved_priv = malloc(base->m.arch->mm->priv_size + 1);
	memcpy(saved_priv, base->m.arch_priv, base->m.arch->mm->priv_size);
	pgt_engine_free(prev);
	pgt_engine_free(base);	/* the copy must not need either */
	return ck;
}

/* copy at k (original freed), replay to n twice from that copy */
static bool check_pair(const struct trace *t, unsigned long k,
		       unsigned long n, bool frozen, const char *want,
		       const struct evlog *want_ev, struct evlog *ev)
{
	struct pgt_err err = { 0 };
	struct sim_pool pool = { 0 };
	struct pgt_flush_rec *recs;
	struct pgt_engine *ck, *r;
	char *before, *d, what[600];
	bool good = true;
	size_t nrecs;
	int round;

	snprintf(what, sizeof(what), "%s: K %lu N %lu %s", t->name, k, n,
		 frozen ? "checkpoint" : "clone");
	ck = copy_at(t, k, frozen, &pool, &recs, &nrecs, &before);
	if (!ck) {
		free(before);
		return false;
	}
	d = digest(ck);		/* a checkpoint reads as the state it keeps */
	dg_records = true;
	good &= same(before, d, what);
	free(d);
	free(before);
	if (frozen && pgt_engine_apply(ck, &t->ops[0], &err) != PGT_ERR_USAGE) {
		printf("# %s: a checkpoint ran an op\n", what);
		good = false;
	}
	for (round = 0; round < 2 && good; round++) {
		r = pgt_engine_clone(ck, 0, NULL, &err);
		if (!r || (frozen &&
			   pgt_engine_set_flush_records(r, recs, nrecs, &err))) {
			printf("# %s: %s\n", what, err.msg);
			good = false;
			pgt_engine_free(r);
			break;
		}
		/* plain-bytes arch state (a checkpoint packs it) comes back
		 * byte for byte */
		if (!r->m.rules->priv_clone &&
		    memcmp(r->m.arch_priv, saved_priv, r->m.arch->mm->priv_size)) {
			printf("# %s: arch state differs\n", what);
			good = false;
		}
		memset(ev->h, 0, (t->n + 1) * sizeof(*ev->h));
		pgt_engine_on_event(r, on_event, ev);
		run(r, t, n);
		d = digest(r);
		good &= same(want, d, what);
		good &= same_events(want_ev, ev, k, n, what);
		free(d);
		pgt_engine_free(r);
	}
	pgt_engine_free(ck);
	free(recs);
	if (pool.bytes) {
		printf("# %s: %zu bytes left in the pool\n", what, pool.bytes);
		good = false;
	}
	return good;
}

static void pick(unsigned long n, unsigned long *v, int *nv)
{
	unsigned long c[6] = { 0, 1, n / 4, n / 2 + 1, n - 1, n };
	int i, j;

	*nv = 0;
	for (i = 0; i < 6; i++) {
		if (c[i] > n)
			continue;
		for (j = 0; j < *nv && v[j] != c[i]; j++)
			;
		if (j == *nv)
			v[(*nv)++] = c[i];
	}
}

static void check_clones(const struct trace *t)
{
	unsigned long ns[6], ks[6];
	struct evlog want_ev, ev;
	int nn, nk, i, j, pairs = 0, bad = 0;

	want_ev.h = calloc(t->n + 2, sizeof(uint64_t));
	ev.h = calloc(t->n + 2, sizeof(uint64_t));
	pick(t->n, ns, &nn);
	for (i = 0; i < nn; i++) {
		pick(ns[i], ks, &nk);
		for (j = 0; j < nk; j++) {
			char *want;

			memset(want_ev.h, 0, (t->n + 1) * sizeof(uint64_t));
			want = reference(t, ks[j], ns[i], &want_ev);
			bad += !check_pair(t, ks[j], ns[i], j & 1, want,
					   &want_ev, &ev);
			pairs++;
			free(want);
		}
	}
	ok(!bad, "%s: replay to N = copy at K + replay K..N (%d pairs, %lu ops)",
	   t->name, pairs, t->n);
	free(want_ev.h);
	free(ev.h);
}

static void check_leaks(const struct trace *t)
{
	struct pgt_err err = { 0 };
	struct pgt_engine *e = engine_new(t), *c, *c2;
	struct sim_pool pool = { 0 };
	size_t before;
	int i;

	run(e, t, t->n);
	/* rounds 0 and 1 (one of each kind) are not counted: malloc's
	 * per-thread caches keep freed chunks, which mallinfo2 counts as in
	 * use, until they are full (and the test runs without them, see
	 * without_tcache, where it can) */
	for (i = 0; i < 4; i++) {
		bool ckpt = i & 1;

		before = heap_in_use();
		if (!ckpt) {
			c = pgt_engine_clone(e, 0, NULL, &err);
			c2 = NULL;
		} else {
			c = pgt_engine_checkpoint(e, NULL, &pool, NULL, &err);
			c2 = pgt_engine_checkpoint(e, c, &pool, NULL, &err);
		}
		/* the first of two sharing checkpoints goes first */
		pgt_engine_free(c);
		pgt_engine_free(c2);
		/* not '==': depending on the heap's layout (the length of
		 * the traces' path is enough) freeing may move cached chunks
		 * that mallinfo2 counted as in use to the free bins, so the
		 * count can drop; a leak can only make it grow */
		if (i >= 2)
			ok(c && heap_in_use() <= before && !pool.bytes,
			   "%s: freeing copies of the final state gives back their heap (%s)",
			   t->name, ckpt ? "two checkpoints" : "clone");
	}
	pgt_engine_free(e);
}

/* ---- sessions ---- */

enum move { GOTO, BACK, STEP };

struct plan {
	enum move m;
	unsigned long arg;
};

/* the position after each move of the plan */
static unsigned long plan_pos(const struct plan *p, unsigned long pos,
			      unsigned long n)
{
	switch (p->m) {
	case GOTO:
		return p->arg;
	case BACK:
		return p->arg < pos ? pos - p->arg : 0;
	default:
		return pos + p->arg < n ? pos + p->arg : n;
	}
}

static bool session_run(const struct trace *t, const struct plan *plan,
			int nplan, const struct pgt_session_opts *o,
			char **want, const char *what)
{
	struct pgt_session *s;
	struct pgt_session_stats st;
	struct pgt_err err = { 0 };
	unsigned long pos = 0, moved, before;
	bool good = true;
	int i, rc;

	if (pgt_session_open(t->path, o, &s, &err)) {
		printf("# %s: open: %s\n", what, err.msg);
		return false;
	}
	if (pgt_session_length(s) != t->n) {
		printf("# %s: length %lu, want %lu\n", what,
		       pgt_session_length(s), t->n);
		good = false;
	}
	for (i = 0; i < nplan && good; i++) {
		unsigned long to = plan_pos(&plan[i], pos, t->n);
		char *d;

		pgt_session_stats(s, &st);
		before = st.replayed;
		switch (plan[i].m) {
		case GOTO:
			rc = pgt_session_goto(s, plan[i].arg, &err);
			moved = to > pos ? to - pos : pos - to;
			break;
		case BACK:
			rc = pgt_session_back(s, plan[i].arg, &moved, &err);
			break;
		default:
			rc = pgt_session_step(s, plan[i].arg, &moved, &err);
		}
		pgt_session_stats(s, &st);
		if (rc || pgt_session_pos(s) != to ||
		    moved != (to > pos ? to - pos : pos - to)) {
			printf("# %s: move %d: rc %d pos %lu, want %lu: %s\n",
			       what, i, rc, pgt_session_pos(s), to, err.msg);
			good = false;
			break;
		}
		/* backwards: a restore and less than K ops */
		if (to < pos && st.replayed - before >= st.spacing) {
			printf("# %s: move %d replayed %lu ops, spacing %lu\n",
			       what, i, st.replayed - before, st.spacing);
			good = false;
		}
		if (st.checkpoints > 1 && st.checkpoint_bytes > st.budget) {
			printf("# %s: %zu checkpoint bytes over budget %zu\n",
			       what, st.checkpoint_bytes, st.budget);
			good = false;
		}
		d = digest(pgt_session_engine(s));
		good &= same(want[to], d, what);
		free(d);
		pos = to;
	}
	good &= pgt_session_at_end(s) == (pos == t->n);
	pgt_session_close(s);
	return good;
}

static void check_session(const struct trace *t)
{
	unsigned long n = t->n, p, pos = 0;
	struct plan plan[] = {
		{ GOTO, n }, { BACK, 1 }, { BACK, 5 }, { STEP, 3 },
		{ GOTO, n / 3 }, { STEP, 1 }, { BACK, n / 2 }, { GOTO, 0 },
		{ STEP, 7 }, { GOTO, n - n / 4 }, { BACK, 2 * n },
		{ STEP, 2 * n }, { BACK, 13 }, { GOTO, n / 2 },
	};
	int nplan = (int)(sizeof(plan) / sizeof(plan[0])), i;
	struct pgt_session_opts o1 = { .spacing = 4 };
	struct pgt_session_opts o2 = { .spacing = 2, .budget = 96 << 10 };
	struct pgt_engine *e;
	char **want = calloc(n + 1, sizeof(*want));

	/* the digests of the positions the plan visits, in one replay */
	for (i = 0; i < nplan; i++) {
		pos = plan_pos(&plan[i], pos, n);
		want[pos] = (char *)"";
	}
	e = engine_new(t);
	for (p = 0; p <= n; p++) {
		run(e, t, p);
		if (want[p])
			want[p] = digest(e);
	}
	pgt_engine_free(e);
	ok(session_run(t, plan, nplan, &o1, want, t->name),
	   "%s: session moves land on the fresh replay's state (K 4)",
	   t->name);
	ok(session_run(t, plan, nplan, &o2, want, t->name),
	   "%s: session moves land on the fresh replay's state (K 2, 96 KiB budget)",
	   t->name);
	for (p = 0; p <= n; p++)
		free(want[p]);
	free(want);
}

/* step tells the session's listeners; back and goto do not */
static void check_session_events(const struct trace *t)
{
	struct pgt_session_opts o = { .spacing = 8 };
	struct pgt_session *s;
	struct pgt_err err = { 0 };
	struct evlog want, got;
	unsigned long k = t->n / 2, m = t->n - k, moved, i;
	char where[600], line[32];
	bool good = true;

	want.h = calloc(t->n + 2, sizeof(uint64_t));
	got.h = calloc(t->n + 2, sizeof(uint64_t));
	free(reference(t, k, t->n, &want));
	if (pgt_session_open(t->path, &o, &s, &err)) {
		printf("# %s\n", err.msg);
		ok(0, "%s: session open", t->name);
		free(want.h);
		free(got.h);
		return;
	}
	pgt_session_listen(s, on_event, &got, &err);
	good &= !pgt_session_goto(s, t->n, &err);
	good &= !pgt_session_back(s, m, &moved, &err) && moved == m;
	for (i = 0; i <= t->n; i++)
		good &= got.h[i] == 0;
	good &= !pgt_session_step(s, m, &moved, &err) && moved == m;
	good &= same_events(&want, &got, k, t->n, t->name);
	good &= pgt_session_at_end(s);
	good &= !pgt_session_step(s, 1, &moved, &err) && moved == 0;
	pgt_session_unlisten(s, on_event, &got);
	ok(good, "%s: step tells the listeners the events of a fresh replay",
	   t->name);
	/* every op's line, and a position past the end */
	for (i = 1; i <= t->n; i++)
		good &= pgt_session_op(s, i) &&
			pgt_session_op(s, i)->line == t->ops[i - 1].line;
	good &= !pgt_session_op(s, 0) && !pgt_session_op(s, t->n + 1);
	pgt_session_where(s, t->n ? t->n : 1, where, sizeof(where));
	snprintf(line, sizeof(line), "%lu",
		 t->n ? t->ops[t->n - 1].line : 0);
	good &= strstr(where, t->path) == where && strstr(where, line);
	good &= pgt_session_goto(s, t->n + 1, &err) == PGT_ERR_USAGE;
	ok(good, "%s: where names every op's line; goto past the end fails",
	   t->name);
	pgt_session_close(s);
	free(want.h);
	free(got.h);
}

/*
 * A trace whose third op the engine rejects, and one whose third op
 * cannot be read: the session reaches op 2 and says why not further.
 */
static void check_broken(void)
{
	static const char *const body[2] = {
		"mm 5\npopulate 0x10000000 4K read\n",
		"bogus 1 2\npopulate 0x10000000 4K read\n",
	};
	const char *tmp = getenv("TMPDIR");
	struct pgt_session *s;
	struct pgt_err err = { 0 };
	unsigned long moved;
	char path[512];
	int i;

	for (i = 0; i < 2; i++) {
		FILE *f;
		bool good = true;

		snprintf(path, sizeof(path), "%s/t-engine-clone-%d-%d.trace",
			 tmp ? tmp : "/tmp", (int)getpid(), i);
		f = fopen(path, "w");
		if (!f) {
			printf("Bail out! %s: cannot write\n", path);
			exit(99);
		}
		fprintf(f, "pgtctl-trace 1\narch pae\nalloc 0x10000000 64K rw\n"
			"populate 0x10000000 64K write\n%s", body[i]);
		fclose(f);
		if (pgt_session_open(path, NULL, &s, &err)) {
			printf("# %s\n", err.msg);
			ok(0, "broken trace %d: opens", i);
			remove(path);
			continue;
		}
		good &= pgt_session_goto(s, 4, &err) != PGT_OK;
		good &= strstr(err.msg, ":5") != NULL;
		good &= pgt_session_pos(s) == 2 && pgt_session_length(s) == 2;
		good &= pgt_session_at_end(s);
		good &= pgt_session_engine(s)->m.op_index == 2;
		good &= pgt_session_goto(s, 1, &err) == PGT_OK;
		good &= pgt_session_step(s, 5, &moved, &err) != PGT_OK &&
			moved == 1 && strstr(err.msg, ":5") != NULL;
		/* a rejected op was read: where can show it */
		good &= (pgt_session_op(s, 3) != NULL) == !i;
		if (!good)
			printf("# %s\n", err.msg);
		ok(good, "%s op 3: the session stops before it and says why at each move past it",
		   i ? "unreadable" : "rejected");
		pgt_session_close(s);
		remove(path);
	}
}

/*
 * Stepping back op by op from the end, with checkpoints 1024 ops apart:
 * each position equals a fresh replay, and each step replays at most 128
 * ops (the last K ops keep checkpoints K/16 apart, and the second step
 * from one checkpoint leaves a ladder behind).
 */
static void check_reverse(const struct trace *t)
{
	struct pgt_session_opts o = { .spacing = 1024 };
	struct pgt_session_stats st;
	struct pgt_session *s;
	struct pgt_err err = { 0 };
	struct pgt_engine *e = engine_new(t);
	unsigned long steps = 40, i, moved, before = 0, most = 0;
	char *want[40], *d;
	bool good = true;

	for (i = steps; i-- > 0;) {
		run(e, t, t->n - 1 - i);
		want[i] = digest(e);
	}
	pgt_engine_free(e);
	if (pgt_session_open(t->path, &o, &s, &err) ||
	    pgt_session_goto(s, t->n, &err)) {
		printf("# %s\n", err.msg);
		good = false;
	}
	for (i = 0; good && i < steps; i++) {
		pgt_session_stats(s, &st);
		before = st.replayed;
		good &= !pgt_session_back(s, 1, &moved, &err) && moved == 1;
		pgt_session_stats(s, &st);
		if (st.replayed - before > most)
			most = st.replayed - before;
		d = digest(pgt_session_engine(s));
		good &= same(want[i], d, t->name);
		free(d);
	}
	if (most > 128) {
		printf("# %s: a step back replayed %lu ops\n", t->name, most);
		good = false;
	}
	ok(good, "%s: %lu steps back from the end equal fresh replays, each replaying at most 128 ops",
	   t->name, steps);
	for (i = 0; i < steps; i++)
		free(want[i]);
	pgt_session_close(s);
}

struct stopper {
	volatile sig_atomic_t flag;
	unsigned long at;
};

static void stop_at(void *arg, const struct pgt_event *ev)
{
	struct stopper *st = arg;

	if (ev->op == st->at)
		st->flag = 1;
}

/* the stop flag (a shell's Ctrl-C) ends a move at the next op boundary */
static void check_stop(const struct trace *t)
{
	struct stopper st = { 0, t->n / 2 + 1 };
	struct pgt_session_opts o = { .stop = &st.flag };
	struct pgt_session *s;
	struct pgt_err err = { 0 };
	unsigned long moved;
	bool good = true;

	if (pgt_session_open(t->path, &o, &s, &err)) {
		printf("# %s\n", err.msg);
		ok(0, "%s: session open", t->name);
		return;
	}
	pgt_session_listen(s, stop_at, &st, &err);
	good &= !pgt_session_step(s, t->n, &moved, &err) &&
		moved == st.at && pgt_session_pos(s) == st.at;
	/* still set: goto stops short (where a restore put it, or here) */
	good &= !pgt_session_goto(s, t->n, &err) && pgt_session_pos(s) < t->n;
	st.flag = 0;
	st.at = 0;
	good &= !pgt_session_goto(s, 0, &err) && pgt_session_pos(s) == 0;
	good &= !pgt_session_step(s, t->n + 5, &moved, &err) &&
		moved == t->n && pgt_session_at_end(s);
	ok(good, "%s: a move stops at the op boundary after the stop flag is set",
	   t->name);
	pgt_session_close(s);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * malloc's per-thread cache keeps freed chunks, which mallinfo2 counts
 * as in use: the heap figures are exact only without it, so the test
 * runs itself again with the cache off (once; if exec fails it goes on).
 */
static void without_tcache(char **argv)
{
	const char *old = getenv("GLIBC_TUNABLES");
	char buf[512];

	if (getenv("PGT_T_ENGINE_CLONE_EXEC"))
		return;
	snprintf(buf, sizeof(buf), "%s%sglibc.malloc.tcache_count=0",
		 old ? old : "", old ? ":" : "");
	setenv("GLIBC_TUNABLES", buf, 1);
	setenv("PGT_T_ENGINE_CLONE_EXEC", "1", 1);
	fflush(stdout);
	execv("/proc/self/exe", argv);
}

int main(int argc, char **argv)
{
	const char *top = getenv("abs_top_srcdir");
	char dir[400], *names[256];
	struct dirent *de;
	int nnames = 0, i;
	DIR *d;

	without_tcache(argv);
	snprintf(dir, sizeof(dir), "%s/traces", top ? top : ".");
	d = opendir(dir);
	if (!d) {
		printf("Bail out! %s: cannot list\n", dir);
		return 99;
	}
	while ((de = readdir(d)) && nnames < 256) {
		size_t l = strlen(de->d_name);

		if ((l > 6 && !strcmp(de->d_name + l - 6, ".trace")) ||
		    (l > 5 && !strcmp(de->d_name + l - 5, ".cbor")))
			names[nnames++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, (size_t)nnames, sizeof(*names), cmp_names);
	ok(nnames >= 2, "traces found in %s (%d)", dir, nnames);
	for (i = 0; i < nnames; i++) {
		struct trace t;
		char path[512];

		snprintf(path, sizeof(path), "%s/%.100s", dir, names[i]);
		if (load(&t, path)) {
			ok(0, "%s: readable", names[i]);
			continue;
		}
		/* the ops the engine takes (a trace may end in a bad one) */
		{
			struct pgt_engine *e = engine_new(&t);

			if (run(e, &t, t.n))
				t.n = e->m.op_index - 1;
			pgt_engine_free(e);
		}
		/* the engine does not know the form: copies are checked on
		 * the text traces, sessions (which read) on both */
		if (!strstr(names[i], ".cbor"))
			check_clones(&t);
		check_session(&t);
		check_session_events(&t);
		if (t.n >= 2 && !strstr(names[i], ".cbor"))
			check_stop(&t);
		if (t.n >= 2048 && !strstr(names[i], ".cbor"))
			check_reverse(&t);
		if (i == 0 || strstr(names[i], "large"))
			check_leaks(&t);
		free(t.ops);
		free(names[i]);
	}
	check_broken();
	free(saved_priv);
	return done_testing();
}
