/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fork: dup_mmap / copy_page_range of 6.1 (mm-ops.md §6, thp.md §3).
 * Only VMAs that need copying (those with an anon_vma: private pages
 * were faulted) have their tables copied; the child refaults the rest.
 * One flush_tlb_mm of the parent at the end.
 */
#include "engine-priv.h"

struct copy_arg {
	struct pgt_mm *dst, *src;
	struct pgt_vma *v;
};

/* copy_pmd_range for one parent PMD entry and [va, end) of its span */
static int copy_pmd(struct pgt_engine *e, void *arg, uint64_t va,
		    uint64_t end, void *spmd)
{
	const struct copy_arg *c = arg;
	const struct pgt_arch *a = e->m.arch;
	const struct pgt_mm_rules *r = e->m.rules;
	int lpmd = pt_level_pmd(e), lpte = pt_level_pte(e), res;
	uint64_t ent = pgt_ent_load(a, lpmd, spmd), table;
	uint64_t span = pt_span(e, lpmd);
	void *dpmd, *dpte;

	if (ent == a->levels[lpmd].empty)
		return 0;
	dpmd = pt_alloc(e, c->dst, va, lpmd, &res);
	if (res < 0)
		return res;
	if (r->pmd_huge(ent))
		return thp_copy(e, c->dst, c->src, va & ~(span - 1), dpmd, spmd);
	if (r->upper_kind(e, lpmd, ent, &table) != PGT_ENT_TABLE)
		return 0;
	dpte = pt_alloc(e, c->dst, va, lpte, &res);
	if (res < 0)
		return res;
	r->copy_pte_range(e, c->dst, c->src, c->v, dpte,
			  pt_pte_ptr(e, table, va), va,
			  (unsigned)((end - va) >> 12));
	return 0;
}

static int copy_page_range(struct pgt_engine *e, struct pgt_mm *dst,
			   struct pgt_mm *src, struct pgt_vma *v)
{
	struct copy_arg c = { dst, src, v };

	return pt_for_each_pmd(e, src, v->start, v->end, copy_pmd, &c);
}

int op_fork(struct pgt_engine *e, int child_id, struct pgt_err *err)
{
	struct pgt_mm *src = e->m.cur, *dst;
	size_t i;
	int rc;

	dst = mm_new(e, child_id, src, err);
	if (!dst)
		return err->status;
	dst->next_anon = src->next_anon;
	if (vma_reserve(e, dst, src->nvma))
		return pgt_fail(err, PGT_ERR_NOMEM,
				"fork: out of memory copying %zu VMAs",
				src->nvma);
	for (i = 0; i < src->nvma; i++) {
		struct pgt_vma *v = &src->vma[i];

		if (vma_insert(e, dst, v->start, v->end, v->flags) < 0)
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
	e->m.rules->flush_tlb_mm(e, src, "dup_mmap: flush_tlb_mm(oldmm)");
	return PGT_OK;
}
