/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Two trees walked in lockstep (diff-pair.h). */
#include <stdlib.h>
#include <string.h>
#include "diff-pair.h"

#define PAIR_TABLE_MAX 16384	/* the largest table: an s390 CRST */

struct pair_key {
	uint64_t pa[2];
	int level;		/* -1: a free slot */
	unsigned has;		/* bit per side */
};

struct pair_state {
	struct pgt_pair_walk *w;
	struct pgt_err *err;
	struct pair_key *seen;
	size_t cap, n;
	uint8_t *buf[2][PGT_MAX_LEVELS];
};

static size_t key_hash(const struct pair_key *k)
{
	uint64_t h = k->pa[0] * 0x9e3779b97f4a7c15ull ^
		     k->pa[1] * 0xff51afd7ed558ccdull ^
		     ((uint64_t)k->level << 2 | k->has);

	return (size_t)(h ^ (h >> 31));
}

static struct pair_key *key_slot(struct pair_key *v, size_t cap,
				 const struct pair_key *k)
{
	size_t i = key_hash(k) & (cap - 1);

	for (;; i = (i + 1) & (cap - 1))
		if (v[i].level < 0 ||
		    (v[i].level == k->level && v[i].has == k->has &&
		     v[i].pa[0] == k->pa[0] && v[i].pa[1] == k->pa[1]))
			return &v[i];
}

/* 1: seen before; 0: added; -1: out of memory */
static int seen_add(struct pair_state *s, const struct pair_key *k)
{
	struct pair_key *x;
	size_t i;

	if (2 * (s->n + 1) > s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 256;
		struct pair_key *v = malloc(cap * sizeof(*v));

		if (!v)
			return -1;
		for (i = 0; i < cap; i++)
			v[i].level = -1;
		for (i = 0; i < s->cap; i++)
			if (s->seen[i].level >= 0)
				*key_slot(v, cap, &s->seen[i]) = s->seen[i];
		free(s->seen);
		s->seen = v;
		s->cap = cap;
	}
	x = key_slot(s->seen, s->cap, k);
	if (x->level >= 0)
		return 1;
	*x = *k;
	s->n++;
	return 0;
}

/* the bytes of side k's table, or NULL when they cannot be read */
static const uint8_t *table_bytes(struct pair_state *s, int k,
				  const struct pgt_pair_table *t)
{
	struct pgt_physmem *m = s->w->mem[k];
	const struct pgt_level *L = &s->w->arch->levels[t->level];
	uint32_t bytes = t->entries[k] * L->entsize;
	const uint8_t *b;

	if (bytes > PAIR_TABLE_MAX)
		bytes = PAIR_TABLE_MAX;
	if (m->map && (b = m->map(m, t->pa[k], bytes)))
		return b;
	if (!m->read(m, t->pa[k], s->buf[k][t->depth], bytes))
		return s->buf[k][t->depth];
	return NULL;
}

/* the effective letters of a leaf and whether the diff counts it */
static void leaf_of(const struct pgt_pair_walk *w, struct pgt_pair_ent *e,
		    int k)
{
	unsigned f = e->ei[k].hw & ~e->deny[k];

	if (e->ei[k].kind != PGT_ENT_LEAF)
		return;
	if (!(f & PGT_HF_R))
		f &= ~(PGT_HF_W | PGT_HF_X);
	e->flags[k] = f;
	e->leaf[k] = e->ei[k].linux_present && (f & w->want) == w->want &&
		     !(f & w->deny);
}

static int walk_pair(struct pair_state *s, struct pgt_pair_table *t,
		     const unsigned deny[2]);

/* the tables below entry e, where a side points to one */
static int descend(struct pair_state *s, const struct pgt_pair_table *t,
		   const struct pgt_pair_ent *e)
{
	const struct pgt_arch *a = s->w->arch;
	struct pgt_pair_table c = { .level = t->level + 1,
				    .depth = t->depth + 1, .va = e->va };
	unsigned deny[2];
	int k;

	if (t->level + 1 >= (int)a->nlevels)
		return PGT_OK;		/* a finding of the walker's */
	c.span = (uint64_t)a->levels[c.level].nentries << a->levels[c.level].shift;
	for (k = 0; k < 2; k++) {
		const struct pgt_physmem *m = s->w->mem[k];

		deny[k] = e->deny[k] | e->ei[k].deny;
		if (e->ei[k].kind != PGT_ENT_TABLE)
			continue;
		if (m->limit && e->ei[k].next >= m->limit) {
			c.unreadable[k] = true;
			continue;
		}
		c.has[k] = true;
		c.pa[k] = e->ei[k].next;
		c.entries[k] = e->ei[k].next_entries ? e->ei[k].next_entries :
			       a->levels[c.level].nentries;
	}
	if (!c.has[0] && !c.has[1] && !c.unreadable[0] && !c.unreadable[1])
		return PGT_OK;
	return walk_pair(s, &c, deny);
}

/* the entry at index i of both tables */
static int one_entry(struct pair_state *s, const struct pgt_pair_table *t,
		     const uint8_t *const buf[2], const unsigned deny[2],
		     unsigned i)
{
	const struct pgt_pair_walk *w = s->w;
	const struct pgt_arch *a = w->arch;
	const struct pgt_level *L = &a->levels[t->level];
	struct pgt_pair_ent e = { .level = t->level, .depth = t->depth,
				  .idx = i };
	bool any = false;
	int k, rc;

	e.va = t->va + ((uint64_t)i << L->shift);
	e.end = L->shift < 64 ? e.va + (1ull << L->shift) : 0;
	for (k = 0; k < 2; k++) {
		e.deny[k] = deny[k];
		e.raw[k] = L->empty;
		if (buf[k] && i < t->entries[k])
			e.raw[k] = pgt_ent_load(a, t->level,
						buf[k] + (size_t)i * L->entsize);
		if (e.raw[k] == L->empty) {
			memset(&e.ei[k], 0, sizeof(e.ei[k]));
			e.ei[k].kind = PGT_ENT_EMPTY;
			continue;
		}
		a->entry_decode(t->level, e.raw[k], &e.ei[k]);
		any |= e.ei[k].kind != PGT_ENT_EMPTY;
		leaf_of(w, &e, k);
	}
	if (!any)
		return PGT_OK;
	rc = w->on_entry(w->arg, &e);
	if (rc < 0)
		return rc;
	if (rc == PGT_PAIR_SKIP ||
	    (e.ei[0].kind != PGT_ENT_TABLE && e.ei[1].kind != PGT_ENT_TABLE))
		return PGT_OK;
	return descend(s, t, &e);
}

/* the indexes of t inside [va_start, va_end) */
static void index_range(const struct pgt_pair_walk *w,
			const struct pgt_pair_table *t, unsigned n,
			unsigned *first, unsigned *end)
{
	unsigned shift = w->arch->levels[t->level].shift;
	uint64_t k;

	*first = 0;
	*end = n;
	if (shift >= 64)
		return;
	if (w->va_start > t->va) {
		k = (w->va_start - t->va) >> shift;
		*first = k < n ? (unsigned)k : n;
	}
	if (w->va_end && w->va_end > t->va) {
		k = ((w->va_end - t->va - 1) >> shift) + 1;
		if (k < *end)
			*end = (unsigned)k;
	} else if (w->va_end) {
		*end = 0;
	}
}

static int walk_pair(struct pair_state *s, struct pgt_pair_table *t,
		     const unsigned deny[2])
{
	struct pgt_pair_walk *w = s->w;
	const uint8_t *buf[2] = { NULL, NULL };
	struct pair_key key = { .level = t->level };
	unsigned i, first, end, n;
	int k, rc;

	for (k = 0; k < 2; k++) {
		if (!t->has[k])
			continue;
		key.pa[k] = t->pa[k];
		key.has |= 1u << k;
		if (!(buf[k] = table_bytes(s, k, t))) {
			t->has[k] = false;
			t->unreadable[k] = true;
		}
	}
	t->bytes[0] = buf[0];
	t->bytes[1] = buf[1];
	t->deny[0] = deny[0];
	t->deny[1] = deny[1];
	if (key.has && (rc = seen_add(s, &key)) != 0) {
		if (rc < 0)
			return pgt_fail(s->err, PGT_ERR_NOMEM, "out of memory");
		t->again = true;
	}
	rc = w->on_table ? w->on_table(w->arg, t) : PGT_PAIR_DESCEND;
	if (rc < 0)
		return rc;
	if (rc == PGT_PAIR_SKIP || t->again)
		return PGT_OK;
	n = t->entries[0] > t->entries[1] ? t->entries[0] : t->entries[1];
	index_range(w, t, n, &first, &end);
	for (i = first; i < end; i++)
		if ((rc = one_entry(s, t, buf, deny, i)))
			return rc;
	if (w->on_table_end)
		w->on_table_end(w->arg, t);
	return PGT_OK;
}

int pgt_pair_walk(struct pgt_pair_walk *w, struct pgt_err *err)
{
	const struct pgt_arch *a = w->arch;
	struct pair_state s = { .w = w, .err = err };
	struct pgt_pair_table t = { .level = -1 };
	static const unsigned nodeny[2];
	struct pgt_root_info ri;
	int k, l, rc = PGT_OK;

	for (k = 0; k < 2; k++) {
		if (!w->has_root[k])
			continue;
		a->root_decode(w->root[k], &ri);
		if (ri.why)
			return pgt_fail(err, PGT_ERR_INPUT, "root 0x%llx: %s",
					(unsigned long long)w->root[k], ri.why);
		if (t.level >= 0 && t.level != ri.top_level)
			return pgt_fail(err, PGT_ERR_UNSUPPORTED,
					"the roots 0x%llx and 0x%llx designate tables of different levels (%s, %s)",
					(unsigned long long)w->root[0],
					(unsigned long long)w->root[1],
					a->levels[t.level].name,
					a->levels[ri.top_level].name);
		t.level = ri.top_level;
		t.has[k] = true;
		t.pa[k] = ri.table;
		t.entries[k] = ri.entries;
	}
	if (t.level < 0)
		return PGT_OK;		/* two empty states */
	/* 2^64 (the whole space) wraps to 0: "to the top" */
	t.span = (uint64_t)(t.entries[0] > t.entries[1] ? t.entries[0] :
			    t.entries[1]) << a->levels[t.level].shift;
	for (k = 0; k < 2 && !rc; k++)
		for (l = 0; l < (int)a->nlevels && !rc; l++)
			if (!(s.buf[k][l] = malloc(PAIR_TABLE_MAX)))
				rc = pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	if (!rc)
		rc = walk_pair(&s, &t, nodeny);
	for (k = 0; k < 2; k++)
		for (l = 0; l < (int)a->nlevels; l++)
			free(s.buf[k][l]);
	free(s.seen);
	if (rc < 0 && !err->status)
		rc = pgt_fail(err, PGT_ERR_INPUT, "the pair walk stopped");
	return rc < 0 ? err->status : rc;
}
