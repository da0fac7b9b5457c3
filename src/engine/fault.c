/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * populate: touch pages the way a process does.  An access the MMU allows
 * is handled by hardware (x86 sets A/D itself); anything else is a page
 * fault handled as Linux 6.1 does (mm-ops.md §3, thp.md §2-§4).
 */
#include "engine-priv.h"

static void anon_vma_prepare(struct pgt_mm *mm, struct pgt_vma *vma)
{
	if (!vma->anon)
		vma->anon = ++mm->next_anon;
}

/* do_anonymous_page / shared and file read faults onto an empty PTE */
static int fault_none(struct pgt_engine *e, struct pgt_mm *mm,
		      struct pgt_vma *vma, uint64_t va, void *slot, bool write)
{
	const struct pgt_mm_rules *r = e->m.rules;
	uint64_t prot = vma_page_prot(e, vma->flags), pte, pfn;
	bool anon_private = !(vma->flags & (VM_SHARED | VM_FILE));

	if (anon_private && !write &&
	    r->zero_pfn(e, va) != PGT_NO_ZERO_PAGE) {
		/* the shared zero page, read-only whatever the VMA allows */
		pte = r->pte_mkspecial(r->mk_pte(e, r->zero_pfn(e, va), prot));
		r->set_pte_at(e, mm, va, slot, pte);
		pgt_trans(e, PGT_PS_NONE, PGT_PS_ZERO);
		return 0;
	}
	if (pgt_page_alloc(e, 0, &pfn))
		return -ENOMEM;
	pgt_page_get(e, pfn);
	if (anon_private || (write && !(vma->flags & VM_SHARED))) {
		/* anonymous page (or do_cow_fault's private copy of a file page) */
		anon_vma_prepare(mm, vma);
		pgt_page_set_exclusive(e, pfn, true);
	}
	pte = r->mk_pte(e, pfn, prot);
	if (write && (vma->flags & VM_WRITE))
		pte = r->pte_mkwrite(r->pte_mkdirty(pte));
	r->set_pte_at(e, mm, va, slot, pte);
	mm->rss++;
	pgt_trans(e, PGT_PS_NONE, r->leaf_state(e, pt_level_pte(e), pte));
	return 0;
}

/* do_wp_page: write to a present, not writable PTE in a VM_WRITE VMA */
static int fault_wp(struct pgt_engine *e, struct pgt_mm *mm,
		    struct pgt_vma *vma, uint64_t va, void *slot, uint64_t old)
{
	const struct pgt_mm_rules *r = e->m.rules;
	int lpte = pt_level_pte(e);
	uint64_t pfn = r->pte_pfn(old), npfn, pte;
	bool reuse = false;

	if (vma->flags & VM_SHARED) {
		reuse = true;	/* wp_page_shared: page_mkwrite, then reuse */
	} else if (!r->pte_special(old) && !(vma->flags & VM_FILE)) {
		if (pgt_page_anon_exclusive(e, pfn))
			reuse = true;
		else if (pgt_page_refs(e, pfn) == 1) {
			/* the last mapper: take it over (page_move_anon_rmap) */
			pgt_page_set_exclusive(e, pfn, true);
			reuse = true;
		}
	}
	if (reuse) {
		pte = r->pte_mkwrite(r->pte_mkdirty(r->pte_mkyoung(old)));
		r->ptep_set_access_flags(e, mm, va, slot, pte);
		pgt_trans(e, r->leaf_state(e, lpte, old),
			  r->leaf_state(e, lpte, pte));
		return 0;
	}
	/* wp_page_copy: a new page, the old PTE cleared and flushed */
	if (pgt_page_alloc(e, 0, &npfn))
		return -ENOMEM;
	anon_vma_prepare(mm, vma);
	pgt_page_get(e, npfn);
	pgt_page_set_exclusive(e, npfn, true);
	pte = r->pte_mkwrite(r->pte_mkdirty(r->mk_pte(e, npfn,
					 vma_page_prot(e, vma->flags))));
	r->ptep_clear_flush(e, mm, va, slot);
	r->set_pte_at(e, mm, va, slot, pte);
	if (!r->pte_special(old))
		pgt_page_put(e, pfn);
	else
		mm->rss++;	/* the zero page was not counted */
	pgt_trans(e, r->leaf_state(e, lpte, old), r->leaf_state(e, lpte, pte));
	return 0;
}

/* handle_pte_fault for a present PTE */
static int fault_present(struct pgt_engine *e, struct pgt_mm *mm,
			 struct pgt_vma *vma, uint64_t va, void *slot,
			 uint64_t old, bool write)
{
	const struct pgt_mm_rules *r = e->m.rules;
	uint64_t pte;

	if (write && !r->pte_write(old))
		return fault_wp(e, mm, vma, va, slot, old);
	/* young/dirty tracking (s390) or a spurious fault (x86) */
	pte = r->pte_mkyoung(old);
	if (write)
		pte = r->pte_mkdirty(pte);
	r->ptep_set_access_flags(e, mm, va, slot, pte);
	return 0;
}

int handle_fault(struct pgt_engine *e, struct pgt_mm *mm, uint64_t va,
		 bool write)
{
	const struct pgt_arch *a = e->m.arch;
	const struct pgt_mm_rules *r = e->m.rules;
	struct pgt_vma *vma = vma_find(mm, va);
	int lpmd = pt_level_pmd(e), lpte = pt_level_pte(e), res;
	uint64_t ent;
	void *pmd, *pte;

	e->nr_faults++;
	pmd = pt_alloc(e, mm, va, lpmd, &res);
	if (res < 0)
		return res;
	ent = pgt_ent_load(a, lpmd, pmd);
	if (ent == a->levels[lpmd].empty) {
		uint64_t haddr = va & ~(pt_span(e, lpmd) - 1);

		if (thp_vma_eligible(e, mm, vma, haddr)) {
			res = thp_fault(e, mm, vma, va, pmd, write);
			if (res <= 0)
				return res;	/* done, or ENOMEM */
			/* fallback to PTEs */
		}
	} else if (r->pmd_huge(ent)) {
		bool split = false;

		if (!write || r->pmd_write(ent)) {
			/* huge_pmd_set_accessed: young, and dirty on a write */
			r->pmdp_set_access_flags(e, mm, va, pmd,
					r->pmd_mkyoung_dirty_write(ent, write));
			return 0;
		}
		res = thp_wp_fault(e, mm, vma, va, pmd, &split);
		if (res || !split)
			return res;
	}
	pte = pt_alloc(e, mm, va, lpte, &res);
	if (res < 0)
		return res;
	ent = pgt_ent_load(a, lpte, pte);
	if (r->pte_none(ent))
		return fault_none(e, mm, vma, va, pte, write);
	if (r->pte_present(ent))
		return fault_present(e, mm, vma, va, pte, ent, write);
	return 0;	/* swap entries are not modelled: nothing to do */
}

/* the access check of the arch fault handlers (mm-ops.md §3.1) */
static bool access_allowed(struct pgt_vma *vma, bool write)
{
	if (write)
		return vma->flags & VM_WRITE;
	return vma->flags & (VM_READ | VM_EXEC | VM_WRITE);
}

/* one access: hardware if the translation allows it, a fault otherwise */
static int touch(struct pgt_engine *e, struct pgt_mm *mm, uint64_t va,
		 bool write)
{
	const struct pgt_arch *a = e->m.arch;
	const struct pgt_mm_rules *r = e->m.rules;
	int lpmd = pt_level_pmd(e), lpte = pt_level_pte(e), stop;
	void *slot = pt_slot(e, mm, va, lpte, &stop);
	uint64_t ent;

	if (!slot && stop == lpmd) {
		void *pmd = pt_slot(e, mm, va, lpmd, NULL);

		ent = pgt_ent_load(a, lpmd, pmd);
		if (r->pmd_huge(ent) && r->pmd_access_ok(e, ent, write)) {
			r->pmd_hw_touch(e, mm, va, pmd, write);
			return 0;
		}
	} else if (slot) {
		ent = pgt_ent_load(a, lpte, slot);
		if (r->pte_access_ok(e, ent, write)) {
			r->hw_touch(e, mm, va, slot, write);
			return 0;
		}
	}
	return handle_fault(e, mm, va, write);
}

int op_populate(struct pgt_engine *e, const struct pgt_op *op,
		uint64_t *fault_va)
{
	struct pgt_mm *mm = e->m.cur;
	bool write = op->flags & 1;
	uint64_t stride = op->stride ? op->stride : 4096, va;
	int rc;

	for (va = op->addr; va - op->addr < op->len; va += stride) {
		struct pgt_vma *vma = vma_find(mm, va);

		if (!vma || !access_allowed(vma, write)) {
			*fault_va = va;
			return -EFAULT;
		}
		rc = touch(e, mm, va, write);
		if (rc)
			return rc;
		if (va + stride < va)
			break;
	}
	return 0;
}
