/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The generic PTE loops of mprotect, munmap and fork, instantiated once per
 * architecture so that the arch's entry primitives inline into them: the
 * per-PTE work of a bulk operation is a handful of instructions.  An arch
 * file defines, before including this header:
 *
 *   A_FN(name)            prefix for the generated functions
 *   A_LEVEL_PTE           arch level index of page tables
 *   A_ENTSIZE             bytes per PTE
 *   a_load(p) a_store(p, v)
 *   a_pte_none(v) a_pte_present(v) a_pte_write(v) a_pte_dirty(v)
 *   a_pte_special(v) a_pte_protnone(v) a_pte_pfn(v)
 *   a_pte_modify(v, prot) a_pte_mkwrite(v) a_pte_wrprotect(v)
 *   a_pte_mkold(v) a_pte_mkclean(v)
 *   a_state(e, v)                       -> enum pgt_pstate
 *   a_modify_prot_start(e, g, va, p)    -> old (ptep_modify_prot_start)
 *   a_modify_prot_commit(e, g, va, p, old, new) -> true when the change
 *                         needs a TLB flush (pte_needs_flush)
 *   a_get_and_clear_full(e, g, va, p)   -> old (ptep_get_and_clear_full)
 *   a_set_wrprotect(e, mm, va, p)       (ptep_set_wrprotect)
 *   a_empty                             value of an empty PTE
 *
 * The semantics are Linux 6.1's change_pte_range, zap_pte_range and
 * copy_present_pte (mm-ops.md §4.3, §5.3, §6.2).
 */
#include "engine.h"

#ifndef PGT_PTE_RANGE_COMMON
#define PGT_PTE_RANGE_COMMON
/*
 * Transition counts of a run of PTEs: consecutive PTEs nearly always make
 * the same transition, so count in a register and add to the matrix when
 * the pair changes (a memory increment per PTE would serialise the loop).
 */
struct trans_run {
	int from, to;
	uint64_t n;
};

static inline void trans_note(struct pgt_engine *e, struct trans_run *t,
			      int from, int to)
{
	if (from != t->from || to != t->to) {
		if (t->n)
			e->trans[t->from][t->to] += t->n;
		t->from = from;
		t->to = to;
		t->n = 0;
	}
	t->n++;
}

static inline void trans_done(struct pgt_engine *e, struct trans_run *t)
{
	if (t->n)
		e->trans[t->from][t->to] += t->n;
	t->n = 0;
}

/* 6.1 can_change_pte_writable (mm/mprotect.c), mm-ops.md §4.3 */
static inline bool can_change_writable(struct pgt_engine *e,
				       struct pgt_vma *vma, bool protnone,
				       bool dirty, bool special, uint64_t pfn)
{
	struct sim_frame *f;

	if (protnone || !dirty)
		return false;
	if (vma->flags & VM_SHARED)
		return true;
	if (special || (vma->flags & VM_FILE))
		return false;
	f = simmem_frame(&e->mem, pfn << SIM_PAGE_SHIFT);
	return f && (f->flags & SIMF_ANON_EXCL);
}
#endif

static void A_FN(change_pte_range)(struct pgt_engine *e, struct pgt_gather *g,
				   struct pgt_vma *vma, void *ptes,
				   uint64_t va, unsigned n, uint64_t newprot,
				   bool try_write)
{
	uint8_t *p = ptes;
	bool ev = pgt_ev_on(e);
	uint64_t lo = 0, hi = 0, changed = 0;
	struct trans_run tr = { 0, 0, 0 };
	unsigned i;

	for (i = 0; i < n; i++, p += A_ENTSIZE, va += 4096) {
		uint64_t old = a_load(p), cur, new;

		if (!a_pte_present(old))
			continue;	/* none (and swap: no migration entries) */
		cur = a_modify_prot_start(e, g, va, p);
		new = a_pte_modify(cur, newprot);
		/* MM_CP_TRY_CHANGE_WRITABLE: write upgrade without a fault */
		if (try_write && !a_pte_write(new) &&
		    can_change_writable(e, vma, a_pte_protnone(new),
					a_pte_dirty(new), a_pte_special(new),
					a_pte_pfn(new)))
			new = a_pte_mkwrite(new);
		/* the gather range grows by every PTE that needs a flush:
		 * kept locally, handed over once (tlb_flush_pte_range) */
		if (a_modify_prot_commit(e, g, va, p, cur, new)) {
			if (!hi)
				lo = va;
			hi = va + 4096;
		}
		changed++;
		trans_note(e, &tr, a_state(e, old), a_state(e, new));
		if (ev)
			pgt_ev_entry(e, g->mm, A_LEVEL_PTE, va, p, old, new);
	}
	trans_done(e, &tr);
	g->changed += changed;
	if (hi)
		pgt_gather_add(g, lo, hi, false);
}

static void A_FN(zap_pte_range)(struct pgt_engine *e, struct pgt_gather *g,
				void *ptes, uint64_t va, unsigned n)
{
	uint8_t *p = ptes;
	bool ev = pgt_ev_on(e);
	uint64_t lo = 0, hi = 0;
	struct trans_run tr = { 0, 0, 0 };
	unsigned i;

	for (i = 0; i < n; i++, p += A_ENTSIZE, va += 4096) {
		uint64_t old = a_load(p);

		if (a_pte_none(old))
			continue;
		if (a_pte_present(old)) {
			a_get_and_clear_full(e, g, va, p);
			if (!hi)
				lo = va;
			hi = va + 4096;	/* tlb_remove_tlb_entry */
			if (!a_pte_special(old)) {
				pgt_page_put_fast(e, a_pte_pfn(old));
				g->mm->rss--;
				/* a full page batch flushes what was cleared
				 * so far (zap_pte_range's force_flush) */
				if (g->e->arch->page_batch_max &&
				    g->page_batch + 1 >= g->e->arch->page_batch_max) {
					pgt_gather_add(g, lo, hi, false);
					lo = hi = 0;
				}
				pgt_gather_page(g);
			}
		} else {
			a_store(p, a_empty);	/* pte_clear_not_present_full */
		}
		trans_note(e, &tr, a_state(e, old), PGT_PS_NONE);
		if (ev)
			pgt_ev_entry(e, g->mm, A_LEVEL_PTE, va, p, old, a_empty);
	}
	trans_done(e, &tr);
	if (hi)
		pgt_gather_add(g, lo, hi, false);
}

static void A_FN(copy_pte_range)(struct pgt_engine *e, struct pgt_mm *dst,
				 struct pgt_mm *src, struct pgt_vma *vma,
				 void *dptes, void *sptes, uint64_t va,
				 unsigned n)
{
	bool cow = (vma->flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
	uint8_t *sp = sptes, *dp = dptes;
	bool ev = pgt_ev_on(e);
	unsigned i;

	for (i = 0; i < n; i++, sp += A_ENTSIZE, dp += A_ENTSIZE, va += 4096) {
		uint64_t old = a_load(sp), pte = old;

		if (a_pte_none(old))
			continue;
		if (a_pte_present(old)) {
			if (!a_pte_special(old)) {
				/* page_try_dup_anon_rmap: now shared */
				pgt_page_get(e, a_pte_pfn(old));
				pgt_page_set_exclusive(e, a_pte_pfn(old), false);
			}
			if (cow && a_pte_write(old)) {
				a_set_wrprotect(e, src, va, sp);
				pte = a_pte_wrprotect(pte);
				e->trans[a_state(e, old)][a_state(e, pte)]++;
				if (ev)
					pgt_ev_entry(e, src, A_LEVEL_PTE, va,
						     sp, old, pte);
			}
			if (vma->flags & VM_SHARED)
				pte = a_pte_mkclean(pte);
			pte = a_pte_mkold(pte);
			if (!a_pte_special(old))
				dst->rss++;
		}
		a_store(dp, pte);	/* set_pte_at onto an empty child PTE */
		e->trans[PGT_PS_NONE][a_state(e, pte)]++;
		if (ev)
			pgt_ev_entry(e, dst, A_LEVEL_PTE, va, dp, a_empty, pte);
	}
}
