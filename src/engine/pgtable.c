/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Walking an mm's simulated tables from its top level, and allocating the
 * missing ones the way the fault path does (mm-ops.md §3.2): allocate the
 * lower table, then populate the parent entry (which was empty, so no TLB
 * flush is ever needed for it, s390.md §5.1).
 */
#include "engine-priv.h"

int pt_level_pte(const struct pgt_engine *e)
{
	return (int)e->m.arch->nlevels - 1;
}

int pt_level_pmd(const struct pgt_engine *e)
{
	return (int)e->m.arch->nlevels - 2;
}

uint64_t pt_span(const struct pgt_engine *e, int level)
{
	return 1ull << e->m.arch->levels[level].shift;
}

static void *slot_of(struct pgt_engine *e, int level, uint64_t table,
		     uint64_t va)
{
	const struct pgt_level *l = &e->m.arch->levels[level];
	uint64_t idx = (va >> l->shift) & (l->nentries - 1);

	return pgt_phys(e, table + idx * l->entsize);
}

/*
 * Slot of the entry at `level` for va, or NULL if a table above is
 * missing; *stop_level (if given) receives the level where the walk
 * stopped: the level of a huge leaf or of the empty entry.
 */
void *pt_slot(struct pgt_engine *e, struct pgt_mm *mm, uint64_t va,
	      int level, int *stop_level)
{
	const struct pgt_arch *a = e->m.arch;
	const struct pgt_mm_rules *r = e->m.rules;
	uint64_t table = mm->top;
	int l;

	for (l = mm->top_level;; l++) {
		void *slot = slot_of(e, l, table, va);
		uint64_t ent, next;

		if (l == level) {
			if (stop_level)
				*stop_level = l;
			return slot;
		}
		ent = pgt_ent_load(a, l, slot);
		if (r->upper_kind(e, l, ent, &next) != PGT_ENT_TABLE) {
			if (stop_level)
				*stop_level = l;
			return NULL;
		}
		table = next;
	}
}

/*
 * Like pt_slot but allocating every missing table above `level`.  *res is
 * 0, -ENOMEM, or 1 when a huge leaf above `level` stops the walk (then
 * that leaf's slot is returned).
 */
void *pt_alloc(struct pgt_engine *e, struct pgt_mm *mm, uint64_t va,
	       int level, int *res)
{
	const struct pgt_arch *a = e->m.arch;
	const struct pgt_mm_rules *r = e->m.rules;
	uint64_t table = mm->top;
	int l;

	*res = 0;
	for (l = mm->top_level;; l++) {
		void *slot = slot_of(e, l, table, va);
		uint64_t ent, next;
		enum pgt_ent_kind k;

		if (l == level)
			return slot;
		ent = pgt_ent_load(a, l, slot);
		k = r->upper_kind(e, l, ent, &next);
		if (k == PGT_ENT_LEAF) {
			*res = 1;
			return slot;
		}
		if (k != PGT_ENT_TABLE) {
			if (r->table_alloc(e, mm, l + 1, &next)) {
				*res = -ENOMEM;
				return NULL;
			}
			r->upper_populate(e, mm, l, va, slot, next);
		}
		table = next;
	}
}

/* the PTE slot for va in the page table at physical address table */
void *pt_pte_ptr(struct pgt_engine *e, uint64_t table, uint64_t va)
{
	const struct pgt_level *L = &e->m.arch->levels[pt_level_pte(e)];

	return (uint8_t *)pgt_phys(e, table) +
	       ((va >> 12) & (L->nentries - 1)) * L->entsize;
}

/*
 * The walk every range operation shares (change_protection, zap, copy):
 * fn is called for each PTE-table-sized piece [va, next) of [start, end)
 * whose PMD entry exists, with that entry's slot; the whole span of a
 * missing upper table is skipped at once.  A non-zero return stops.
 */
int pt_for_each_pmd(struct pgt_engine *e, struct pgt_mm *mm, uint64_t start,
		    uint64_t end, pt_pmd_fn *fn, void *arg)
{
	int lpmd = pt_level_pmd(e), stop, rc;
	uint64_t span = pt_span(e, lpmd), va = start;

	while (va < end) {
		uint64_t next = (va | (span - 1)) + 1, skip;
		void *pmd;

		if (next > end || next == 0)
			next = end;
		pmd = pt_slot(e, mm, va, lpmd, &stop);
		if (!pmd) {
			skip = (va | (pt_span(e, stop) - 1)) + 1;
			va = (skip > end || skip == 0) ? end : skip;
			continue;
		}
		if ((rc = fn(e, arg, va, next, pmd)))
			return rc;
		va = next;
	}
	return 0;
}
