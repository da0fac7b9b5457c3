/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>
#include "walk.h"

#define MAX_TABLE_BYTES 16384

struct walk_state {
	struct pgt_walker *w;
	struct pgt_err *err;
	int status;		/* an error that stopped the walk */
	uint64_t *seen;		/* open-addressing set of table addresses */
	size_t seen_cap, seen_n;
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

static int walk_table(struct walk_state *s, const struct pgt_walk_table *t,
		      unsigned deny)
{
	struct pgt_walker *w = s->w;
	const struct pgt_arch *a = w->arch;
	const struct pgt_level *L = &a->levels[t->level];
	uint32_t bytes = t->entries * L->entsize, i;
	uint8_t *buf = s->buf[t->depth];
	int rc;

	if (bytes > MAX_TABLE_BYTES)
		bytes = MAX_TABLE_BYTES;
	if (seen_insert(s, t->pa))
		return finding(s, t->level, t->pa, t->va, 0,
			       "table reached twice (loop or shared table); not walked again");
	if (w->mem->read(w->mem, t->pa, buf, bytes)) {
		const char *why = w->mem->why ? w->mem->why(w->mem) : NULL;

		if (w->mem->fail_status) {
			/* input this build cannot read: an error, not a
			 * finding (never walk on as if the table were empty) */
			s->status = pgt_fail(s->err, w->mem->fail_status,
					     "%s", why ? why : "unreadable table");
			return 1;
		}
		return finding(s, t->level, t->pa, t->va, 0,
			       why ? why : "table outside the available memory");
	}
	w->tables[t->level]++;
	if (w->on_table && (rc = w->on_table(w->arg, t)))
		return rc;
	for (i = 0; i < t->entries; i++) {
		uint64_t va = t->va + ((uint64_t)i << L->shift), raw;
		uint64_t span = 1ull << L->shift, slot;
		struct pgt_ent_info ei;

		if (w->va_end && va >= w->va_end)
			break;
		if (L->shift < 64 && va + span - 1 < w->va_start)
			continue;
		raw = pgt_ent_load(a, t->level, buf + i * L->entsize);
		slot = t->pa + i * L->entsize;
		a->entry_decode(t->level, raw, &ei);
		if (w->on_entry && (rc = w->on_entry(w->arg, t, i, raw, &ei)))
			return rc;
		switch (ei.kind) {
		case PGT_ENT_TABLE: {
			struct pgt_walk_table c = {
				.level = t->level + 1, .pa = ei.next, .va = va,
				.depth = t->depth + 1,
				.entries = ei.next_entries ? ei.next_entries :
					   a->levels[t->level + 1].nentries,
			};

			if (t->level + 1 >= (int)a->nlevels) {
				rc = finding(s, t->level, slot, va, raw,
					     "table entry at the lowest level");
			} else if (w->mem->limit && ei.next >= w->mem->limit) {
				rc = finding(s, t->level, slot, va, raw,
					     "points outside physical memory");
			} else {
				rc = walk_table(s, &c, deny | ei.deny);
			}
			if (rc)
				return rc;
			break;
		}
		case PGT_ENT_LEAF: {
			struct pgt_walk_leaf l = {
				.va = va, .pa = ei.pa, .size = ei.size,
				.raw = raw, .flags = ei.hw & ~deny,
				.level = t->level, .slot = slot,
				.linux_present = ei.linux_present,
			};

			if (!(l.flags & PGT_HF_R))
				l.flags &= ~(PGT_HF_W | PGT_HF_X);
			if ((l.flags & w->want) != w->want || (l.flags & w->deny))
				break;
			w->leaves[t->level]++;
			if (w->on_leaf && (rc = w->on_leaf(w->arg, &l)))
				return rc;
			break;
		}
		case PGT_ENT_BAD:
			if ((rc = finding(s, t->level, slot, va, raw, ei.why)))
				return rc;
			break;
		default:
			break;
		}
	}
	if (w->on_table_end && (rc = w->on_table_end(w->arg, t)))
		return rc;
	return 0;
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
	rc = walk_table(s, &t, 0);
	if (s->status)
		rc = s->status;
	else if (rc > 0)
		rc = PGT_OK;
	free(s->seen);
	free(s);
	return rc;
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
	for (level = ri.top_level; level < (int)a->nlevels; level++) {
		const struct pgt_level *L = &a->levels[level];
		struct pgt_xlate_step *st = &x->step[x->nsteps++];
		uint8_t ent[8];

		st->level = level;
		st->table = table;
		st->index = (unsigned)((va >> L->shift) & (L->nentries - 1));
		if (level == ri.top_level && ri.entries &&
		    (va >> L->shift) >= ri.entries && L->shift < 64) {
			x->why = "address beyond the top table";
			x->nsteps--;
			return PGT_OK;
		}
		st->slot = table + (uint64_t)st->index * L->entsize;
		if (mem->read(mem, st->slot, ent, L->entsize)) {
			if (mem->fail_status)
				return pgt_fail(err, mem->fail_status, "%s",
						mem->why && mem->why(mem) ?
						mem->why(mem) : "unreadable table");
			x->why = "table outside the available memory";
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
			if (!x->mapped)
				x->why = "present to Linux but not accessible (PROT_NONE or old)";
			return PGT_OK;
		case PGT_ENT_EMPTY:
			x->why = "empty entry";
			return PGT_OK;
		case PGT_ENT_NOTPRESENT:
			x->why = "entry not present";
			return PGT_OK;
		case PGT_ENT_BAD:
			x->why = st->ei.why;
			return PGT_OK;
		}
	}
	x->why = "walk ended without a leaf";
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
