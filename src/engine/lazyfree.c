/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * MADV_FREE (`advise ADDR LEN free`): the pages of the range become lazily
 * freeable.  Linux 6.1 (mm/madvise.c madvise_free_single_vma,
 * madvise_free_pte_range; mm/huge_memory.c madvise_free_huge_pmd) makes
 * every young or dirty PTE old and clean through an mmu_gather, one per
 * VMA, so that reclaim can later drop a page that nobody wrote again; a
 * write before that dirties the PTE and keeps the page.  The PTE loop
 * itself is the arch's (pte-range.h free_pte_range).
 */
#include "engine-priv.h"

struct free_arg {
	struct pgt_gather *g;
	struct pgt_vma *v;
};

/* madvise_free_huge_pmd for a huge PMD wholly in the range */
static void free_huge_pmd(struct pgt_engine *e, struct pgt_gather *g,
			  uint64_t haddr, void *pmd)
{
	const struct pgt_arch *a = e->m.arch;
	const struct pgt_mm_rules *r = e->m.rules;
	int lpmd = pt_level_pmd(e);
	uint64_t old = pgt_ent_load(a, lpmd, pmd), new;
	uint64_t pfn = r->pmd_pfn(old);
	struct sim_frame *f = simmem_frame(&e->m.mem, pfn << 12);

	/* the huge zero page, and a THP other processes map, are left */
	if (!f || (f->flags & SIMF_ZERO) || pgt_page_refs(e, pfn) != 1)
		return;
	new = r->pmd_mkold_clean(old);
	if (new == old)
		return;		/* neither young nor dirty */
	r->pmdp_invalidate(e, g->mm, haddr, pmd);
	pgt_ent_store(a, lpmd, pmd, new);	/* set_pmd_at */
	pgt_gather_add(g, haddr, haddr + pt_span(e, lpmd), true);
	pgt_trans(e, r->leaf_state(e, lpmd, old), r->leaf_state(e, lpmd, new));
	pgt_ev_entry(e, g->mm, lpmd, haddr, pmd, old, new);
}

static int free_pmd(struct pgt_engine *e, void *arg, uint64_t va,
		    uint64_t end, void *pmd)
{
	const struct free_arg *z = arg;
	const struct pgt_arch *a = e->m.arch;
	const struct pgt_mm_rules *r = e->m.rules;
	int lpmd = pt_level_pmd(e);
	uint64_t span = pt_span(e, lpmd), haddr = va & ~(span - 1), table;
	uint64_t ent = pgt_ent_load(a, lpmd, pmd);

	if (r->pmd_huge(ent)) {
		if (va == haddr && end == haddr + span) {
			free_huge_pmd(e, z->g, haddr, pmd);
			return 0;
		}
		/*
		 * Part of a THP: 6.1 splits the folio (split_huge_page) and
		 * the PTE loop then cleans the part in range.  Modelled by
		 * the PMD split alone: the folio split's migration-entry
		 * round trip and its flushes are not.
		 */
		pgt_ev_note(e, z->g->mm,
			    "MADV_FREE of part of the THP at 0x%llx: split (split_huge_page approximated by the PMD split)",
			    (unsigned long long)haddr);
		thp_split(e, z->g->mm, z->v, haddr, pmd);
		ent = pgt_ent_load(a, lpmd, pmd);
	}
	if (r->upper_kind(e, lpmd, ent, &table) != PGT_ENT_TABLE)
		return 0;
	r->free_pte_range(e, z->g, pt_pte_ptr(e, table, va), va,
			  (unsigned)((end - va) >> 12));
	return 0;
}

/* madvise_free_single_vma: only private anonymous memory
 * (vma_is_anonymous: shared anonymous memory is shmem) */
static int not_private_anon(const struct pgt_vma *v)
{
	return v->flags & (VM_SHARED | VM_FILE) ? -EINVAL : 0;
}

static void free_vma(struct pgt_engine *e, struct pgt_gather *g,
		     struct pgt_vma *v, uint64_t s, uint64_t t)
{
	struct free_arg z = { .g = g, .v = v };

	pt_for_each_pmd(e, g->mm, s, t, free_pmd, &z);
}

/*
 * madvise_walk_vmas with MADV_FREE: a hole is -ENOMEM once the rest is
 * done; a VMA that is not private anonymous memory is -EINVAL and stops
 * the walk.
 */
int op_lazyfree(struct pgt_engine *e, uint64_t addr, uint64_t len)
{
	if (!e->m.rules->free_pte_range)
		return -EINVAL;	/* a kernel before 4.5: unknown advice */
	return madvise_walk(e, addr, len, not_private_anon, free_vma);
}
