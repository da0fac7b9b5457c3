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
 *   a_modify_prot_commit(e, g, va, p, old, new)   (store, arch accounting)
 *   a_pte_needs_flush(old, new)   pure: the change needs a TLB flush
 *   A_FLAGMASK            the bits of a PTE that are not the frame
 *   a_get_and_clear_full(e, g, va, p)   -> old (ptep_get_and_clear_full)
 *   a_set_wrprotect(e, mm, va, p)       (ptep_set_wrprotect)
 *   a_empty                             value of an empty PTE
 *   a_pte_young(v)        optional: defines free_pte_range (MADV_FREE)
 *
 * The semantics are Linux 6.1's change_pte_range, zap_pte_range,
 * copy_present_pte (mm-ops.md §4.3, §5.3, §6.2) and madvise_free_pte_range.
 */
#include "mm-services.h"

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
			pgt_mach(e)->trans[t->from][t->to] += t->n;
		t->from = from;
		t->to = to;
		t->n = 0;
	}
	t->n++;
}

static inline void trans_done(struct pgt_engine *e, struct trans_run *t)
{
	if (t->n)
		pgt_mach(e)->trans[t->from][t->to] += t->n;
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
	f = simmem_frame(&pgt_mach(e)->mem, pfn << SIM_PAGE_SHIFT);
	return f && (f->flags & SIMF_ANON_EXCL);
}
#endif

/*
 * mprotect of one PTE, the full path: returns the new value and fills
 * whether it needs a flush and its states.
 */
static inline uint64_t A_FN(prot_one)(struct pgt_engine *e,
				      struct pgt_vma *vma, uint64_t cur,
				      uint64_t newprot, bool try_write,
				      bool *flush, int *to)
{
	uint64_t new = a_pte_modify(cur, newprot);

	/* MM_CP_TRY_CHANGE_WRITABLE: write upgrade without a fault */
	if (try_write && !a_pte_write(new) &&
	    can_change_writable(e, vma, a_pte_protnone(new), a_pte_dirty(new),
				a_pte_special(new), a_pte_pfn(new)))
		new = a_pte_mkwrite(new);
	*flush = a_pte_needs_flush(cur, new);
	*to = a_state(e, new);
	return new;
}

/* with events, or for entries the fast path cannot take: one at a time */
static void A_FN(change_pte_slow)(struct pgt_engine *e, struct pgt_gather *g,
				  struct pgt_vma *vma, uint8_t *p, uint64_t va,
				  unsigned n, uint64_t newprot, bool try_write,
				  uint64_t *lo, uint64_t *hi)
{
	struct trans_run tr = { 0, 0, 0 };
	bool ev = pgt_ev_on(e);
	unsigned i;

	for (i = 0; i < n; i++, p += A_ENTSIZE, va += 4096) {
		uint64_t old = a_load(p), cur, new;
		bool flush;
		int to;

		if (!a_pte_present(old))
			continue;	/* none (and swap: no migration entries) */
		cur = a_modify_prot_start(e, g, va, p);
		new = A_FN(prot_one)(e, vma, cur, newprot, try_write, &flush, &to);
		a_modify_prot_commit(e, g, va, p, cur, new);
		if (flush) {
			if (!*hi)
				*lo = va;
			*hi = va + 4096;
		}
		g->changed++;
		trans_note(e, &tr, a_state(e, old), to);
		if (ev)
			pgt_ev_entry(e, g->mm, A_LEVEL_PTE, va, p, old, new);
	}
	trans_done(e, &tr);
}

/*
 * The outcome of mprotect on a PTE depends only on its flag bits (the
 * frame is kept) and, for a write upgrade, on whether its page is
 * exclusive.  So it is computed once per run of PTEs with the same
 * flags, in both variants, and the loop only applies it.  Entries whose
 * frame bits would change (PAE's L1TF inversion) or whose state depends
 * on the frame (special: the zero page) go through the full path.
 */
struct prot_memo {
	uint64_t key;		/* old & A_FLAGMASK; ~0: empty */
	uint64_t nbits[2];	/* new & A_FLAGMASK: [1] = write upgraded */
	bool flush[2];
	bool upgrade;		/* try_write applies to this key */
	int from, to[2];
	uint64_t hits[2];
};

static void A_FN(memo_flush)(struct pgt_engine *e, struct prot_memo *m)
{
	if (m->hits[0])
		pgt_mach(e)->trans[m->from][m->to[0]] += m->hits[0];
	if (m->hits[1])
		pgt_mach(e)->trans[m->from][m->to[1]] += m->hits[1];
	m->hits[0] = m->hits[1] = 0;
}

/* fill the memo for cur's flags; false if the fast path cannot apply */
static bool A_FN(memo_fill)(struct pgt_engine *e, struct prot_memo *m,
			    uint64_t cur, uint64_t newprot, bool try_write)
{
	uint64_t new = a_pte_modify(cur, newprot), up;

	if ((new & ~A_FLAGMASK) != (cur & ~A_FLAGMASK) || a_pte_special(cur))
		return false;
	A_FN(memo_flush)(e, m);
	m->key = cur & A_FLAGMASK;
	m->from = a_state(e, cur);
	m->nbits[0] = new & A_FLAGMASK;
	m->flush[0] = a_pte_needs_flush(cur, new);
	m->to[0] = a_state(e, new);
	/* can_change_writable, less the per-page exclusivity test */
	m->upgrade = try_write && !a_pte_write(new) && !a_pte_protnone(new) &&
		     a_pte_dirty(new);
	up = a_pte_mkwrite(new);
	m->nbits[1] = up & A_FLAGMASK;
	m->flush[1] = a_pte_needs_flush(cur, up);
	m->to[1] = a_state(e, up);
	return true;
}

static void A_FN(change_pte_range)(struct pgt_engine *e, struct pgt_gather *g,
				   struct pgt_vma *vma, void *ptes,
				   uint64_t va, unsigned n, uint64_t newprot,
				   bool try_write)
{
	uint8_t *p = ptes;
	uint64_t lo = 0, hi = 0, changed = 0;
	struct prot_memo m = { .key = ~0ull };
	unsigned i;

	if (pgt_ev_on(e)) {
		A_FN(change_pte_slow)(e, g, vma, p, va, n, newprot, try_write,
				      &lo, &hi);
		goto out;
	}
	for (i = 0; i < n; i++, p += A_ENTSIZE, va += 4096) {
		uint64_t old = a_load(p), cur;
		int w = 0;

		if (!a_pte_present(old))
			continue;
		/* decide the path before ptep_modify_prot_start: its flush
		 * must happen once, in whichever path takes the PTE */
		if ((old & A_FLAGMASK) != m.key &&
		    !A_FN(memo_fill)(e, &m, old, newprot, try_write)) {
			A_FN(change_pte_slow)(e, g, vma, p, va, 1, newprot,
					      try_write, &lo, &hi);
			continue;
		}
		cur = a_modify_prot_start(e, g, va, p);
		if (m.upgrade && (vma->flags & VM_SHARED ||
				  can_change_writable(e, vma, false, true, false,
						      a_pte_pfn(cur))))
			w = 1;
		a_modify_prot_commit(e, g, va, p, cur,
				     (cur & ~A_FLAGMASK) | m.nbits[w]);
		if (m.flush[w]) {
			if (!hi)
				lo = va;
			hi = va + 4096;
		}
		m.hits[w]++;
		changed++;
	}
	A_FN(memo_flush)(e, &m);
out:
	g->changed += changed;
	if (hi)
		pgt_gather_add(g, lo, hi, false);
}

static void A_FN(zap_pte_range)(struct pgt_engine *e, struct pgt_gather *g,
				void *ptes, uint64_t va, unsigned n)
{
	uint8_t *p = ptes;
	bool ev = pgt_ev_on(e);
	uint64_t lo = 0, hi = 0, freed = 0;
	unsigned max = pgt_mach(e)->rules->page_batch_max, i;
	/* the state of a run of PTEs with the same flags, computed once */
	uint64_t skey = ~0ull;
	int state = 0;
	struct trans_run tr = { 0, 0, 0 };

	for (i = 0; i < n; i++, p += A_ENTSIZE, va += 4096) {
		uint64_t old = a_load(p);

		if (a_pte_none(old))
			continue;
		if ((old & A_FLAGMASK) != skey || a_pte_special(old)) {
			state = a_state(e, old);
			skey = a_pte_special(old) ? ~0ull : old & A_FLAGMASK;
		}
		if (a_pte_present(old)) {
			a_get_and_clear_full(e, g, va, p);
			if (!hi)
				lo = va;
			hi = va + 4096;	/* tlb_remove_tlb_entry */
			if (!a_pte_special(old)) {
				pgt_page_put_fast(e, a_pte_pfn(old));
				freed++;
				/* the page that fills the batch forces a flush
				 * of what was cleared so far (force_flush) */
				if (max && ++g->page_batch >= max) {
					pgt_gather_add(g, lo, hi, false);
					lo = hi = 0;
					pgt_gather_flush(g);
				}
			}
		} else {
			a_store(p, a_empty);	/* pte_clear_not_present_full */
		}
		trans_note(e, &tr, state, PGT_PS_NONE);
		if (ev)
			pgt_ev_entry(e, g->mm, A_LEVEL_PTE, va, p, old, a_empty);
	}
	trans_done(e, &tr);
	g->mm->rss -= freed;
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
				pgt_mach(e)->trans[a_state(e, old)][a_state(e, pte)]++;
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
		pgt_mach(e)->trans[PGT_PS_NONE][a_state(e, pte)]++;
		if (ev)
			pgt_ev_entry(e, dst, A_LEVEL_PTE, va, dp, a_empty, pte);
	}
}

#ifdef a_pte_young
/*
 * MADV_FREE over part of one PTE table (mm/madvise.c on 6.1,
 * madvise_free_pte_range): a swap entry is dropped (the page would be
 * zero after reclaim anyway); the zero page (no normal page) is left; a
 * PTE that is young or dirty is taken out with ptep_get_and_clear_full
 * (not fullmm: s390's lazy path), made old and clean, set again and
 * recorded in the gather (tlb_remove_tlb_entry), so tlb_finish_mmu
 * flushes it.  An old, clean PTE is left alone.  The page is then lazily
 * freeable: reclaim may drop it while the PTE stays clean.  pgtctl has
 * no swap cache, so the PageDirty/PageSwapCache branch never applies.
 */
static void A_FN(free_pte_range)(struct pgt_engine *e, struct pgt_gather *g,
				 void *ptes, uint64_t va, unsigned n)
{
	uint8_t *p = ptes;
	bool ev = pgt_ev_on(e);
	uint64_t lo = 0, hi = 0;
	unsigned i;

	for (i = 0; i < n; i++, p += A_ENTSIZE, va += 4096) {
		uint64_t old = a_load(p), cur, new;

		if (a_pte_none(old))
			continue;
		if (!a_pte_present(old)) {
			a_store(p, a_empty);	/* pte_clear_not_present_full */
			pgt_trans(e, a_state(e, old), PGT_PS_NONE);
			if (ev)
				pgt_ev_entry(e, g->mm, A_LEVEL_PTE, va, p, old,
					     a_empty);
			continue;
		}
		if (a_pte_special(old) ||
		    !(a_pte_young(old) || a_pte_dirty(old)))
			continue;
		cur = a_get_and_clear_full(e, g, va, p);
		new = a_pte_mkclean(a_pte_mkold(cur));
		a_modify_prot_commit(e, g, va, p, cur, new);	/* set_pte_at */
		if (!hi)
			lo = va;
		hi = va + 4096;
		pgt_trans(e, a_state(e, old), a_state(e, new));
		if (ev)
			pgt_ev_entry(e, g->mm, A_LEVEL_PTE, va, p, old, new);
	}
	if (hi)
		pgt_gather_add(g, lo, hi, false);
}
#endif
