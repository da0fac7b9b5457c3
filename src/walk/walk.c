/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "walk.h"

#define MAX_TABLE_BYTES 16384
/*
 * Tables walked again because the arch says they are shared on purpose:
 * Linux's ESPFIX area needs 2050 per 2048 CPUs (4 PUD entries on one PMD
 * table whose 512 entries all point at one page table); the bound keeps
 * a hostile dump that shares every table to a few million entries.
 */
#define MAX_REWALKS 16384

struct walk_state {
	struct pgt_walker *w;
	char why[320];		/* a finding's text built here */
	struct pgt_err *err;
	int status;		/* an error that stopped the walk */
	uint64_t *seen;		/* open-addressing set of table addresses */
	size_t seen_cap, seen_n;
	uint64_t top_i, top_n;	/* the root entry being walked, of top_n */
	uint32_t rewalks;	/* shared tables walked again (table_shared) */
	uint8_t buf[PGT_MAX_LEVELS][MAX_TABLE_BYTES];
};

/* returns 1 if pa was already present */
static int seen_insert(struct walk_state *s, uint64_t pa)
{
	size_t i;

	if (2 * (s->seen_n + 1) > s->seen_cap) {
		size_t cap = s->seen_cap ? s->seen_cap * 2 : 1024, j;
		uint64_t *n = calloc(cap, sizeof(*n)), *old = s->seen;

		if (!n)
			return 0;	/* degrade: no loop detection growth */
		for (j = 0; j < s->seen_cap; j++)
			if (old[j]) {
				size_t k = (size_t)((old[j] * 0x9e3779b97f4a7c15ull) >> 20) & (cap - 1);

				while (n[k])
					k = (k + 1) & (cap - 1);
				n[k] = old[j];
			}
		free(old);
		s->seen = n;
		s->seen_cap = cap;
	}
	pa |= 1;	/* never 0 */
	for (i = (size_t)((pa * 0x9e3779b97f4a7c15ull) >> 20) & (s->seen_cap - 1);
	     s->seen[i]; i = (i + 1) & (s->seen_cap - 1))
		if (s->seen[i] == pa)
			return 1;
	s->seen[i] = pa;
	s->seen_n++;
	return 0;
}

static int finding(struct walk_state *s, int level, uint64_t slot,
		   uint64_t va, uint64_t raw, const char *why)
{
	struct pgt_walker *w = s->w;

	w->findings++;
	if (!w->on_finding)
		return 0;
	return w->on_finding(w->finding_arg ? w->finding_arg : w->arg, level,
			     slot, va, raw, why);
}

/*
 * Where the walker is in its parent: the entry that pointed at the table
 * being walked, so that a finding about that table names the entry (its
 * address and value), as a user fixing the dump needs.
 */
struct parent_ref {
	int level;		/* -1: the table is the root */
	uint64_t slot, raw;
};

static int table_finding(struct walk_state *s, const struct pgt_walk_table *t,
			 const struct parent_ref *p, const char *why)
{
	if (p->level < 0)
		return finding(s, t->level, t->pa, t->va, s->w->root, why);
	return finding(s, p->level, p->slot, t->va, p->raw, why);
}

/* the table's bytes: mapped in place when the memory allows, else copied */
static const uint8_t *table_bytes(struct walk_state *s,
				  const struct pgt_walk_table *t,
				  const struct parent_ref *p, uint32_t bytes,
				  int *rc)
{
	struct pgt_physmem *m = s->w->mem;
	const uint8_t *b;
	const char *why;

	if (m->map && (b = m->map(m, t->pa, bytes)))
		return b;
	if (!m->read(m, t->pa, s->buf[t->depth], bytes))
		return s->buf[t->depth];
	why = m->why ? m->why(m) : NULL;
	if (m->fail_status) {
		/* input this build cannot read: an error, not a finding
		 * (never walk on as if the table were empty) */
		s->status = pgt_fail(s->err, m->fail_status, "%s",
				     why ? why : "unreadable table");
		*rc = 1;
		return NULL;
	}
	snprintf(s->why, sizeof(s->why), "the table at 0x%llx cannot be read: %s",
		 (unsigned long long)t->pa,
		 why ? why : "outside the available memory");
	*rc = table_finding(s, t, p, s->why);
	return NULL;
}

static int walk_entries(struct walk_state *s, const struct pgt_walk_table *t,
			const uint8_t *buf, unsigned deny);

static int walk_table(struct walk_state *s, const struct pgt_walk_table *t,
		      const struct parent_ref *p, unsigned deny)
{
	struct pgt_walker *w = s->w;
	const struct pgt_level *L = &w->arch->levels[t->level];
	uint32_t bytes = t->entries * L->entsize;
	struct pgt_walk_table again;
	const uint8_t *buf;
	int rc = 0;

	if (bytes > MAX_TABLE_BYTES)
		bytes = MAX_TABLE_BYTES;
	if (seen_insert(s, t->pa)) {
		const struct pgt_arch *a = w->arch;

		if (!a->table_shared || !a->table_shared(t->level, t->va)) {
			snprintf(s->why, sizeof(s->why),
				 "points to the table at 0x%llx, reached before (a loop or a shared table); not walked again",
				 (unsigned long long)t->pa);
			return table_finding(s, t, p, s->why);
		}
		if (s->rewalks >= MAX_REWALKS) {
			snprintf(s->why, sizeof(s->why),
				 "points to the table at 0x%llx, shared on purpose, but %u shared tables were walked again already; not walked again",
				 (unsigned long long)t->pa, MAX_REWALKS);
			return table_finding(s, t, p, s->why);
		}
		s->rewalks++;
		again = *t;
		again.again = true;
		t = &again;
	}
	buf = table_bytes(s, t, p, bytes, &rc);
	if (!buf)
		return rc;
	if (!t->again)
		w->tables[t->level]++;
	if (w->on_table && (rc = w->on_table(w->arg, t)))
		return rc;
	if ((rc = walk_entries(s, t, buf, deny)))
		return rc;
	if (w->on_table_end && (rc = w->on_table_end(w->arg, t)))
		return rc;
	return 0;
}

static int walk_child(struct walk_state *s, const struct pgt_walk_table *t,
		      uint32_t i, uint64_t va, uint64_t raw,
		      const struct pgt_ent_info *ei, unsigned deny)
{
	const struct pgt_arch *a = s->w->arch;
	const struct pgt_level *L = &a->levels[t->level];
	uint64_t slot = t->pa + (uint64_t)i * L->entsize;
	struct parent_ref p = { t->level, slot, raw };
	struct pgt_walk_table c = {
		.level = t->level + 1, .pa = ei->next, .va = va,
		.depth = t->depth + 1,
	};

	if (t->level + 1 >= (int)a->nlevels)
		return finding(s, t->level, slot, va, raw,
			       "table entry at the lowest level");
	if (s->w->mem->limit && ei->next >= s->w->mem->limit)
		return finding(s, t->level, slot, va, raw,
			       "points outside physical memory");
	c.entries = ei->next_entries ? ei->next_entries :
		    a->levels[t->level + 1].nentries;
	/* progress: at the root's entries and their tables' */
	if (s->w->progress.fn && t->depth == 0) {
		s->top_i = i;
		pgt_progress_report(&s->w->progress, (uint64_t)i * 4096,
				    s->top_n * 4096);
	} else if (s->w->progress.fn && t->depth == 1) {
		pgt_progress_report(&s->w->progress, s->top_i * 4096 +
				    (uint64_t)i * 4096 / t->entries,
				    s->top_n * 4096);
	}
	return walk_table(s, &c, &p, deny | ei->deny);
}

static int walk_leaf(struct walk_state *s, const struct pgt_walk_table *t,
		     uint32_t i, uint64_t va, uint64_t raw,
		     const struct pgt_ent_info *ei, unsigned deny)
{
	struct pgt_walker *w = s->w;
	unsigned flags = ei->hw & ~deny;

	if (!(flags & PGT_HF_R))
		flags &= ~(PGT_HF_W | PGT_HF_X);
	if ((flags & w->want) != w->want || (flags & w->deny))
		return 0;
	w->leaves[t->level]++;
	if (flags & PGT_HF_R)
		w->pages += ei->size >> 12;
	else
		w->protnone++;
	if (!w->on_leaf)
		return 0;	/* counting only: no leaf to build */
	return w->on_leaf(w->arg, &(struct pgt_walk_leaf){
		.va = va, .pa = ei->pa, .size = ei->size, .raw = raw,
		.flags = flags, .level = t->level,
		.slot = t->pa + (uint64_t)i * w->arch->levels[t->level].entsize,
		.linux_present = ei->linux_present, .memtype = ei->memtype,
	});
}

/* the entries of one table that fall in [va_start, va_end) */
static void index_range(const struct pgt_walker *w,
			const struct pgt_walk_table *t, unsigned shift,
			uint32_t *first, uint32_t *end)
{
	uint64_t span = shift < 64 ? 1ull << shift : 0;
	/* compared in the index space: canonical x86-64 VAs of the upper
	 * half are sign-extended */
	uint64_t tva = pgt_va_index(w->arch, t->va);
	uint64_t vs = pgt_va_index(w->arch, w->va_start);
	uint64_t ve = pgt_va_index(w->arch, w->va_end);

	*first = 0;
	*end = t->entries;
	if (!span)
		return;
	if (vs > tva) {
		uint64_t k = (vs - tva) >> shift;

		*first = k < t->entries ? (uint32_t)k : t->entries;
	}
	if (ve && ve > tva) {
		uint64_t k = ((ve - tva - 1) >> shift) + 1;

		if (k < *end)
			*end = (uint32_t)k;
	} else if (ve) {
		*end = 0;
	}
}

/* one entry of a table, decoded and dispatched (va: where it maps) */
static inline int walk_entry(struct walk_state *s, const struct pgt_walk_table *t,
			     uint32_t i, uint64_t va, uint64_t raw,
			     unsigned deny)
{
	struct pgt_walker *w = s->w;
	const struct pgt_arch *a = w->arch;
	struct pgt_ent_info ei;
	int rc;

	a->entry_decode(t->level, raw, &ei);
	if (w->on_entry && (rc = w->on_entry(w->arg, t, i, raw, &ei)))
		return rc;
	switch (ei.kind) {
	case PGT_ENT_TABLE:
		return walk_child(s, t, i, va, raw, &ei, deny);
	case PGT_ENT_LEAF:
		return walk_leaf(s, t, i, va, raw, &ei, deny);
	case PGT_ENT_BAD:
		return finding(s, t->level,
			       t->pa + (uint64_t)i * a->levels[t->level].entsize,
			       va, raw, ei.why);
	default:
		return 0;
	}
}

/*
 * The loop over a table's entries, instantiated per entry size and byte
 * order so that loading an entry is one load (and a bswap) with no
 * branch: this loop runs once per entry of every table of a dump.  Empty
 * entries, most of most tables, are skipped before any decoding.
 */
static inline __attribute__((always_inline)) int
entries_loop(struct walk_state *s, const struct pgt_walk_table *t,
	     const uint8_t *buf, unsigned deny, uint32_t first, uint32_t end,
	     unsigned size, bool be)
{
	const struct pgt_level *L = &s->w->arch->levels[t->level];
	uint64_t empty = L->empty, va0 = t->va;
	unsigned shift = L->shift;
	/* sign extension of canonical VAs (0: none), pgt_va_canon */
	unsigned sx = s->w->arch->va_signed ? 64 - s->w->arch->va_bits : 0;
	bool skip_empty = !s->w->on_entry;
	uint32_t i;
	int rc;

	for (i = first; i < end; i++) {
		uint64_t raw;

		if (size == 8) {
			memcpy(&raw, buf + 8 * (size_t)i, 8);
			if (be)
				raw = __builtin_bswap64(raw);
		} else {
			uint32_t v;

			memcpy(&v, buf + 4 * (size_t)i, 4);
			raw = be ? __builtin_bswap32(v) : v;
		}
		if (raw == empty && skip_empty)
			continue;
		if ((rc = walk_entry(s, t, i,
				     (uint64_t)((int64_t)((va0 + ((uint64_t)i << shift)) << sx) >> sx),
				     raw, deny)))
			return rc;
	}
	return 0;
}

static int walk_entries(struct walk_state *s, const struct pgt_walk_table *t,
			const uint8_t *buf, unsigned deny)
{
	const struct pgt_arch *a = s->w->arch;
	const struct pgt_level *L = &a->levels[t->level];
	uint32_t first, end;

	index_range(s->w, t, L->shift, &first, &end);
	/* a counting walk (no per-entry or per-leaf callback, no filter)
	 * over a lowest-level table: let the arch count it in one pass */
	if (a->count_leaves && t->level + 1 == (int)a->nlevels &&
	    !s->w->on_entry && !s->w->on_leaf && !s->w->want &&
	    !s->w->deny && L->entsize == 8 &&
	    a->count_leaves(buf + 8 * (size_t)first, end - first,
			    &s->w->leaves[t->level], &s->w->pages,
			    &s->w->protnone))
		return 0;
	if (L->entsize == 4)
		return a->big_endian ?
		       entries_loop(s, t, buf, deny, first, end, 4, true) :
		       entries_loop(s, t, buf, deny, first, end, 4, false);
	return a->big_endian ?
	       entries_loop(s, t, buf, deny, first, end, 8, true) :
	       entries_loop(s, t, buf, deny, first, end, 8, false);
}

int pgt_walk(struct pgt_walker *w, struct pgt_err *err)
{
	struct pgt_root_info ri;
	struct walk_state *s;
	struct pgt_walk_table t;
	int rc;

	w->arch->root_decode(w->root, &ri);
	if (ri.why)
		return pgt_fail(err, PGT_ERR_INPUT, "root 0x%llx: %s",
				(unsigned long long)w->root, ri.why);
	s = calloc(1, sizeof(*s));
	if (!s)
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	s->w = w;
	s->err = err;
	memset(&t, 0, sizeof(t));
	t.level = ri.top_level;
	t.pa = ri.table;
	t.entries = ri.entries;
	s->top_n = ri.entries;
	rc = walk_table(s, &t, &(struct parent_ref){ .level = -1 }, 0);
	if (s->status)
		rc = s->status;
	else if (rc > 0)
		rc = PGT_OK;
	free(s->seen);
	free(s);
	return rc;
}

/* why the walk of x stopped: "entry not present" (": swap entry") */
static void stopped(struct pgt_xlate *x, const char *why, const char *detail)
{
	snprintf(x->why, sizeof(x->why), "%s%s%s", why, detail ? ": " : "",
		 detail ? detail : "");
}

int pgt_translate(const struct pgt_arch *a, struct pgt_physmem *mem,
		  uint64_t root, uint64_t va, struct pgt_xlate *x,
		  struct pgt_err *err)
{
	struct pgt_root_info ri;
	uint64_t table;
	unsigned deny = 0;
	int level;

	memset(x, 0, sizeof(*x));
	a->root_decode(root, &ri);
	if (ri.why)
		return pgt_fail(err, PGT_ERR_INPUT, "root 0x%llx: %s",
				(unsigned long long)root, ri.why);
	table = ri.table;
	if (pgt_va_canon(a, va) != va) {
		stopped(x, "non-canonical address (the bits above the top table's must repeat its highest bit)", NULL);
		return PGT_OK;
	}
	for (level = ri.top_level; level < (int)a->nlevels; level++) {
		const struct pgt_level *L = &a->levels[level];
		struct pgt_xlate_step *st = &x->step[x->nsteps++];
		uint8_t ent[8];

		st->level = level;
		st->table = table;
		st->index = (unsigned)((va >> L->shift) & (L->nentries - 1));
		if (level == ri.top_level && ri.entries &&
		    (pgt_va_index(a, va) >> L->shift) >= ri.entries &&
		    L->shift < 64) {
			stopped(x, "address beyond the top table", NULL);
			x->nsteps--;
			return PGT_OK;
		}
		st->slot = table + (uint64_t)st->index * L->entsize;
		if (mem->read(mem, st->slot, ent, L->entsize)) {
			if (mem->fail_status)
				return pgt_fail(err, mem->fail_status, "%s",
						mem->why && mem->why(mem) ?
						mem->why(mem) : "unreadable table");
			stopped(x, "table outside the available memory", NULL);
			return PGT_OK;
		}
		st->raw = pgt_ent_load(a, level, ent);
		a->entry_decode(level, st->raw, &st->ei);
		switch (st->ei.kind) {
		case PGT_ENT_TABLE:
			deny |= st->ei.deny;
			table = st->ei.next;
			continue;
		case PGT_ENT_LEAF:
			x->mapped = st->ei.hw & PGT_HF_R;
			x->pa = st->ei.pa + (va & (st->ei.size - 1));
			x->flags = st->ei.hw & ~deny;
			x->memtype = st->ei.memtype;
			if (!x->mapped && st->ei.what)
				stopped(x, "present to Linux but not accessible",
					st->ei.what);
			else if (!x->mapped)
				stopped(x, "present to Linux but not accessible (PROT_NONE or old)",
					NULL);
			return PGT_OK;
		case PGT_ENT_EMPTY:
			stopped(x, "empty entry", NULL);
			return PGT_OK;
		case PGT_ENT_NOTPRESENT:
			stopped(x, "entry not present", st->ei.what);
			return PGT_OK;
		case PGT_ENT_BAD:
			stopped(x, st->ei.why, NULL);
			return PGT_OK;
		}
	}
	stopped(x, "walk ended without a leaf", NULL);
	return PGT_OK;
}

/* design.md: r present, w writable, u user, x executable, a accessed,
 * d dirty, g global, in the order of the contract's example "rwu-ad" */
void pgt_flags_str(unsigned f, char out[8])
{
	out[0] = f & PGT_HF_R ? 'r' : '-';
	out[1] = f & PGT_HF_W ? 'w' : '-';
	out[2] = f & PGT_HF_U ? 'u' : '-';
	out[3] = f & PGT_HF_X ? 'x' : '-';
	out[4] = f & PGT_HF_A ? 'a' : '-';
	out[5] = f & PGT_HF_D ? 'd' : '-';
	out[6] = f & PGT_HF_G ? 'g' : '-';
	out[7] = '\0';
}
