/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * MADV_COLLAPSE (`collapse ADDR LEN`), Linux 6.1 mm/khugepaged.c:
 * madvise_collapse walks the 2 MiB / 1 MiB blocks wholly inside each VMA
 * of the range; for each PTE table that qualifies (hpage_collapse_scan_pmd:
 * no swap entry, at least one writable PTE), collapse_huge_page allocates
 * a huge page, clears the PMD entry with pmdp_collapse_flush (x86: a flush
 * of the block; s390: pmdp_xchg_lazy), copies the pages and clears the
 * PTEs (__collapse_huge_page_copy), deposits the emptied PTE table under
 * the new huge PMD and sets it: dirty, writable in a writable VMA.  No
 * huge page (thp_possible) or a shared or file VMA: EINVAL (file and shmem
 * collapse are not modelled).
 */
#include "engine-priv.h"

enum scan { SCAN_OK, SCAN_MAPPED, SCAN_FAIL, SCAN_NOMEM };

/* hpage_collapse_scan_pmd over one PTE table, MADV_COLLAPSE limits */
static enum scan scan_ptes(struct pgt_engine *e, uint64_t table, uint64_t haddr)
{
	const struct pgt_arch *a = e->m.arch;
	const struct pgt_mm_rules *r = e->m.rules;
	int lpte = pt_level_pte(e);
	uint64_t n = 1ull << r->thp_order, i;
	bool writable = false;

	for (i = 0; i < n; i++) {
		uint64_t pte = pgt_ent_load(a, lpte,
					    pt_pte_ptr(e, table, haddr + (i << 12)));

		if (r->pte_none(pte))
			continue;
		if (!r->pte_present(pte))
			return SCAN_FAIL;	/* SCAN_PTE_NON_PRESENT */
		if (r->pte_write(pte))
			writable = true;
	}
	return writable ? SCAN_OK : SCAN_FAIL;	/* SCAN_PAGE_RO */
}

/* __collapse_huge_page_copy: every PTE cleared, its page released */
static void clear_ptes(struct pgt_engine *e, struct pgt_mm *mm,
		       uint64_t table, uint64_t haddr)
{
	const struct pgt_arch *a = e->m.arch;
	const struct pgt_mm_rules *r = e->m.rules;
	int lpte = pt_level_pte(e);
	uint64_t n = 1ull << r->thp_order, i, empty = a->levels[lpte].empty;

	for (i = 0; i < n; i++) {
		uint64_t va = haddr + (i << 12);
		void *slot = pt_pte_ptr(e, table, va);
		uint64_t pte = pgt_ent_load(a, lpte, slot);

		if (r->pte_none(pte))
			continue;
		pgt_ent_store(a, lpte, slot, empty);	/* ptep_clear */
		pgt_ev_entry(e, mm, lpte, va, slot, pte, empty);
		pgt_trans(e, r->leaf_state(e, lpte, pte), PGT_PS_NONE);
		if (!r->pte_special(pte)) {
			pgt_page_put(e, r->pte_pfn(pte));
			mm->rss--;
		}
	}
}

/* collapse_huge_page of the block at haddr */
static enum scan collapse_block(struct pgt_engine *e, struct pgt_mm *mm,
				struct pgt_vma *vma, uint64_t haddr)
{
	const struct pgt_arch *a = e->m.arch;
	const struct pgt_mm_rules *r = e->m.rules;
	int lpmd = pt_level_pmd(e);
	uint64_t span = pt_span(e, lpmd), empty = a->levels[lpmd].empty;
	uint64_t ent, table, pfn, pmd;
	void *slot = pt_slot(e, mm, haddr, lpmd, NULL);
	enum scan s;

	if (!slot)
		return SCAN_FAIL;	/* SCAN_PMD_NULL */
	ent = pgt_ent_load(a, lpmd, slot);
	if (r->pmd_huge(ent))
		return SCAN_MAPPED;
	if (r->upper_kind(e, lpmd, ent, &table) != PGT_ENT_TABLE)
		return SCAN_FAIL;	/* SCAN_PMD_NULL */
	if ((s = scan_ptes(e, table, haddr)) != SCAN_OK)
		return s;
	if (pgt_page_alloc(e, r->thp_order, &pfn))
		return SCAN_NOMEM;	/* SCAN_ALLOC_HUGE_PAGE_FAIL */
	r->pmdp_collapse_flush(e, mm, haddr, slot);
	pgt_ev_entry(e, mm, lpmd, haddr, slot, ent, empty);
	clear_ptes(e, mm, table, haddr);
	pmd = r->mk_huge_pmd(e, pfn, vma_page_prot(e, vma->flags),
			     vma->flags & VM_WRITE);
	deposit_push(e, mm, pmd_table_of(e, slot), table);
	pgt_ent_store(a, lpmd, slot, pmd);	/* set_pmd_at */
	pgt_ev_entry(e, mm, lpmd, haddr, slot, empty, pmd);
	pgt_page_get(e, pfn);
	pgt_page_set_exclusive(e, pfn, true);
	mm->rss += span >> 12;
	pgt_trans(e, PGT_PS_NONE, r->leaf_state(e, lpmd, pmd));
	return SCAN_OK;
}

int op_collapse(struct pgt_engine *e, uint64_t addr, uint64_t len)
{
	struct pgt_mm *mm = e->m.cur;
	uint64_t end = addr + len, pos = addr;
	uint64_t span = pt_span(e, pt_level_pmd(e));
	size_t i = vma_index_from(mm, addr);
	unsigned long want = 0, done = 0;
	int rc = 0, fail = 0;

	if (!e->m.rules->pmdp_collapse_flush ||
	    !e->m.rules->thp_possible(e, mm))
		return -EINVAL;
	for (; i < mm->nvma && mm->vma[i].start < end; i++) {
		struct pgt_vma *v = &mm->vma[i];
		uint64_t s = v->start > addr ? v->start : addr;
		uint64_t t = v->end < end ? v->end : end, h;

		if (v->start > pos)
			rc = -ENOMEM;	/* madvise: a hole */
		pos = v->end;
		/* hugepage_vma_check without the sysfs setting */
		if ((v->flags & (VM_SHARED | VM_FILE | VM_NOHUGEPAGE)))
			return -EINVAL;
		if (!v->anon)
			v->anon = ++mm->next_anon;
		for (h = (s + span - 1) & ~(span - 1); h + span <= t; h += span) {
			enum scan res = collapse_block(e, mm, v, h);

			want++;
			if (res == SCAN_NOMEM)
				return -ENOMEM;
			if (res == SCAN_OK || res == SCAN_MAPPED)
				done++;
			else
				fail = -EINVAL;	/* madvise_collapse_errno */
		}
	}
	if (pos < end)
		rc = -ENOMEM;
	return done == want ? rc : fail;
}
