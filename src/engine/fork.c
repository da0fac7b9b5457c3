/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fork: dup_mmap / copy_page_range of 6.1 (mm-ops.md §6, thp.md §3).
 * Only VMAs that need copying (those with an anon_vma: private pages
 * were faulted) have their tables copied; the child refaults the rest.
 * One flush_tlb_mm of the parent at the end.
 */
#include "engine-priv.h"

static int copy_pmd(struct pgt_engine *e, struct pgt_mm *dst,
		    struct pgt_mm *src, struct pgt_vma *v, uint64_t va,
		    uint64_t end)
{
	const struct pgt_arch *a = e->arch;
	int lpmd = pt_level_pmd(e), lpte = pt_level_pte(e), res;
	uint64_t ent, table, span = pt_span(e, lpmd);
	void *spmd = pt_slot(e, src, va, lpmd, NULL), *dpmd, *dpte;
	const struct pgt_level *L = &a->levels[lpte];

	if (!spmd)
		return 0;
	ent = pgt_ent_load(a, lpmd, spmd);
	if (ent == a->levels[lpmd].empty)
		return 0;
	dpmd = pt_alloc(e, dst, va, lpmd, &res);
	if (res < 0)
		return res;
	if (a->pmd_huge(ent))
		return thp_copy(e, dst, src, va & ~(span - 1), dpmd, spmd);
	if (a->upper_kind(e, lpmd, ent, &table) != PGT_ENT_TABLE)
		return 0;
	dpte = pt_alloc(e, dst, va, lpte, &res);
	if (res < 0)
		return res;
	a->copy_pte_range(e, dst, src, v, dpte,
			  (uint8_t *)pgt_phys(e, table) +
			  ((va >> 12) & (L->nentries - 1)) * L->entsize,
			  va, (unsigned)((end - va) >> 12));
	return 0;
}

static int copy_page_range(struct pgt_engine *e, struct pgt_mm *dst,
			   struct pgt_mm *src, struct pgt_vma *v)
{
	int lpmd = pt_level_pmd(e), stop, rc;
	uint64_t span = pt_span(e, lpmd), va = v->start;

	while (va < v->end) {
		uint64_t next = (va | (span - 1)) + 1, skip;

		if (next > v->end || next == 0)
			next = v->end;
		if (!pt_slot(e, src, va, lpmd, &stop)) {
			skip = (va | (pt_span(e, stop) - 1)) + 1;
			va = (skip > v->end || skip == 0) ? v->end : skip;
			continue;
		}
		if ((rc = copy_pmd(e, dst, src, v, va, next)))
			return rc;
		va = next;
	}
	return 0;
}

int op_fork(struct pgt_engine *e, int child_id, struct pgt_err *err)
{
	struct pgt_mm *src = e->cur, *dst;
	size_t i;
	int rc;

	dst = mm_new(e, child_id, src, err);
	if (!dst)
		return err->status;
	dst->next_anon = src->next_anon;
	for (i = 0; i < src->nvma; i++) {
		struct pgt_vma *v = &src->vma[i];

		if (vma_insert(dst, v->start, v->end, v->flags) < 0)
			return pgt_fail(err, PGT_ERR_LIMIT, "fork: too many VMAs");
		dst->vma[dst->nvma - 1].anon = v->anon;
		if (!v->anon)
			continue;	/* vma_needs_copy: refaulted instead */
		rc = copy_page_range(e, dst, src, v);
		if (rc) {
			pgt_ev_note(e, src, "fork: out of memory while copying");
			break;
		}
	}
	e->arch->flush_tlb_mm(e, src, "dup_mmap: flush_tlb_mm(oldmm)");
	return PGT_OK;
}
