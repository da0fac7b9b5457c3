/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The mmu_gather (mm-ops.md §1, asm-generic/tlb.h semantics of 6.1):
 * a range of cleared entries, which levels were cleared, whether tables
 * were freed; batches of pages and of tables whose filling forces a flush
 * in the middle of an operation; tables released only after the flush.
 */
#include <stdlib.h>
#include <string.h>
#include "engine-priv.h"

static void reset_range(struct pgt_gather *g)
{
	g->start = ~0ull;
	g->end = 0;
	g->freed_tables = false;
	g->cleared_ptes = g->cleared_pmds = g->cleared_puds = false;
}

void pgt_gather_init(struct pgt_engine *e, struct pgt_gather *g,
		     struct pgt_mm *mm, bool fullmm)
{
	memset(g, 0, sizeof(*g));
	g->e = e;
	g->mm = mm;
	g->fullmm = fullmm;
	reset_range(g);
}

void pgt_gather_add(struct pgt_gather *g, uint64_t start, uint64_t end,
		    bool pmd)
{
	if (start < g->start)
		g->start = start;
	if (end > g->end)
		g->end = end;
	if (pmd)
		g->cleared_pmds = true;
	else
		g->cleared_ptes = true;
}

/* tlb_flush_mmu_tlbonly: flush if anything was cleared or freed */
static void flush_tlbonly(struct pgt_gather *g)
{
	if (!(g->freed_tables || g->cleared_ptes || g->cleared_pmds ||
	      g->cleared_puds))
		return;
	g->e->m.rules->tlb_flush(g->e, g);
	reset_range(g);
}

static void release_tables(struct pgt_gather *g)
{
	size_t i;

	for (i = 0; i < g->ntables; i++)
		g->e->m.rules->table_release(g->e, g->mm, g->tables[i].level,
					  g->tables[i].pa);
	g->ntables = 0;
	g->table_batch = 0;
}

void pgt_gather_flush(struct pgt_gather *g)
{
	flush_tlbonly(g);
	release_tables(g);
	g->page_batch = 0;
}

void pgt_gather_page(struct pgt_gather *g)
{
	unsigned max = g->e->m.rules->page_batch_max;

	/* __tlb_remove_page: the page that fills the last batch forces a
	 * flush (zap_pte_range's force_flush) */
	if (max && ++g->page_batch >= max)
		pgt_gather_flush(g);
}

void pgt_gather_table(struct pgt_gather *g, int level, uint64_t pa,
		      uint64_t va)
{
	struct pgt_engine *e = g->e;
	int lpte = pt_level_pte(e);

	/* pte_free_tlb & co: __tlb_adjust_range(addr, PAGE_SIZE) */
	if (va < g->start)
		g->start = va;
	if (va + 4096 > g->end)
		g->end = va + 4096;
	g->freed_tables = true;
	if (level == lpte)
		g->cleared_pmds = true;
	else
		g->cleared_puds = true;
	e->m.rules->table_free_tlb(e, g, level, pa);
	if (g->ntables == g->ctables) {
		size_t c = g->ctables ? g->ctables * 2 : 32;
		struct pgt_gather_table *t = realloc(g->tables, c * sizeof(*t));

		if (!t) {
			/* tlb_remove_table_one: flush, then free at once */
			flush_tlbonly(g);
			e->m.rules->table_release(e, g->mm, level, pa);
			return;
		}
		g->tables = t;
		g->ctables = c;
	}
	g->tables[g->ntables].level = level;
	g->tables[g->ntables].pa = pa;
	g->ntables++;
	/* a full table batch is flushed and released (tlb_table_flush) */
	if (e->m.rules->table_batch_max &&
	    ++g->table_batch >= e->m.rules->table_batch_max) {
		flush_tlbonly(g);
		release_tables(g);
	}
}

void pgt_gather_finish(struct pgt_gather *g)
{
	pgt_gather_flush(g);
	free(g->tables);
	g->tables = NULL;
	g->ctables = 0;
}
