/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Anonymous transparent huge pages as 6.1 handles them (thp.md): the
 * eligibility test, huge faults with their deposited page table, fork,
 * the write-protect fault (reuse or split), splits and zaps.
 */
#include <stdlib.h>
#include <string.h>
#include "engine-priv.h"

/* ---- the deposit list of each PMD table (thp.md §2.4) ---- */

struct pgt_deposit {
	uint64_t pmd_table;
	uint64_t *ring;		/* circular list order, ring[head] = head */
	size_t n, cap, head;
};

static struct pgt_deposit *deposit_of(struct pgt_mm *mm, uint64_t pmd_table,
				      bool create)
{
	size_t i;

	for (i = 0; i < mm->ndep; i++)
		if (mm->dep[i].pmd_table == pmd_table)
			return &mm->dep[i];
	if (!create)
		return NULL;
	if (mm->ndep == mm->cdep) {
		size_t c = mm->cdep ? mm->cdep * 2 : 4;
		struct pgt_deposit *d = realloc(mm->dep, c * sizeof(*d));

		if (!d)
			return NULL;
		mm->dep = d;
		mm->cdep = c;
	}
	memset(&mm->dep[mm->ndep], 0, sizeof(*mm->dep));
	mm->dep[mm->ndep].pmd_table = pmd_table;
	return &mm->dep[mm->ndep++];
}

static void deposit_publish(struct pgt_engine *e, struct pgt_deposit *d)
{
	uint64_t *order;
	size_t i;

	if (!e->m.rules->deposit_links)
		return;
	order = malloc((d->n ? d->n : 1) * sizeof(*order));
	if (!order)
		return;
	for (i = 0; i < d->n; i++)
		order[i] = d->ring[(d->head + i) % d->n];
	e->m.rules->deposit_links(e, order, d->n);
	free(order);
}

/* pgtable_trans_huge_deposit: insert after the head, become the head */
void deposit_push(struct pgt_engine *e, struct pgt_mm *mm, uint64_t pmd_table,
		  uint64_t pt)
{
	struct pgt_deposit *d = deposit_of(mm, pmd_table, true);

	e->deposits_changed = true;
	size_t at;

	if (!d)
		return;
	if (d->n == d->cap) {
		size_t c = d->cap ? d->cap * 2 : 4;
		uint64_t *r = realloc(d->ring, c * sizeof(*r));

		if (!r)
			return;
		d->ring = r;
		d->cap = c;
	}
	at = d->n ? d->head + 1 : 0;
	memmove(&d->ring[at + 1], &d->ring[at], (d->n - at) * sizeof(*d->ring));
	d->ring[at] = pt;
	d->n++;
	d->head = at;
	mm->nr_deposit++;
	deposit_publish(e, d);
}

/* pgtable_trans_huge_withdraw: take the head, its successor is next */
uint64_t deposit_pop(struct pgt_engine *e, struct pgt_mm *mm,
		     uint64_t pmd_table)
{
	struct pgt_deposit *d = deposit_of(mm, pmd_table, false);

	e->deposits_changed = true;
	uint64_t pt;

	if (!d || !d->n)
		return 0;
	pt = d->ring[d->head];
	memmove(&d->ring[d->head], &d->ring[d->head + 1],
		(d->n - d->head - 1) * sizeof(*d->ring));
	d->n--;
	if (d->head >= d->n)
		d->head = 0;
	mm->nr_deposit--;
	deposit_publish(e, d);
	return pt;
}

size_t deposit_count(struct pgt_mm *mm, uint64_t pmd_table)
{
	struct pgt_deposit *d = deposit_of(mm, pmd_table, false);

	return d ? d->n : 0;
}

bool deposit_contains(struct pgt_mm *mm, uint64_t pt)
{
	size_t i, j;

	for (i = 0; i < mm->ndep; i++)
		for (j = 0; j < mm->dep[i].n; j++)
			if (mm->dep[i].ring[j] == pt)
				return true;
	return false;
}

void deposit_drop_mm(struct pgt_engine *e, struct pgt_mm *mm)
{
	size_t i;

	for (i = 0; i < mm->ndep; i++)
		free(mm->dep[i].ring);
	free(mm->dep);
	mm->dep = NULL;
	mm->ndep = mm->cdep = 0;
}

/* deep copy of src's deposit lists into dst (which owns none yet); the
 * heap bytes of the copy, or -1 when out of memory (dst then owns none) */
long deposit_clone_mm(struct pgt_mm *dst, const struct pgt_mm *src)
{
	long bytes = 0;
	size_t i;

	dst->dep = NULL;
	dst->ndep = dst->cdep = 0;
	if (!src->ndep)
		return 0;
	dst->dep = calloc(src->ndep, sizeof(*dst->dep));
	if (!dst->dep)
		return -1;
	dst->cdep = src->ndep;
	bytes += (long)(src->ndep * sizeof(*dst->dep));
	for (i = 0; i < src->ndep; i++) {
		const struct pgt_deposit *s = &src->dep[i];
		struct pgt_deposit *d = &dst->dep[i];

		*d = *s;
		d->ring = NULL;
		d->cap = 0;
		dst->ndep = i + 1;
		if (!s->n)
			continue;
		d->ring = malloc(s->n * sizeof(*d->ring));
		if (!d->ring) {
			d->n = 0;
			deposit_drop_mm(NULL, dst);
			return -1;
		}
		memcpy(d->ring, s->ring, s->n * sizeof(*d->ring));
		d->cap = s->n;
		bytes += (long)(s->n * sizeof(*d->ring));
	}
	return bytes;
}

/* the physical address of the PMD table holding a slot */
uint64_t pmd_table_of(struct pgt_engine *e, void *slot)
{
	const struct pgt_level *L = &e->m.arch->levels[pt_level_pmd(e)];

	return pgt_slot_pa(e, slot) & ~((uint64_t)L->table_size - 1);
}

/* ---- eligibility and faults ---- */

/* hugepage_vma_check at fault time + transhuge_vma_suitable (thp.md §1) */
bool thp_vma_eligible(struct pgt_engine *e, struct pgt_mm *mm,
		      struct pgt_vma *vma, uint64_t haddr)
{
	uint64_t span = pt_span(e, pt_level_pmd(e));

	if (!e->m.rules->thp_order || !e->m.rules->thp_possible(e, mm))
		return false;
	if (vma->flags & (VM_NOHUGEPAGE | VM_SHARED | VM_FILE))
		return false;
	if (e->thp == PGT_THP_NEVER ||
	    (e->thp == PGT_THP_MADVISE && !(vma->flags & VM_HUGEPAGE)))
		return false;
	return haddr >= vma->start && haddr + span <= vma->end &&
	       haddr + span > haddr;
}

/* the huge zero page: allocated on first use, then global
 * (mm_get_huge_zero_page); ~0 when no huge block is free */
static uint64_t huge_zero_pfn(struct pgt_engine *e)
{
	struct sim_frame *f;
	uint64_t pfn, i;

	if (e->huge_zero_pfn)
		return e->huge_zero_pfn;
	if (pgt_page_alloc(e, e->m.rules->thp_order, &pfn))
		return ~0ull;
	f = simmem_frame(&e->m.mem, pfn << 12);
	for (i = 0; i < (1ull << e->m.rules->thp_order); i++)
		f[i].flags |= SIMF_ZERO;
	e->huge_zero_pfn = pfn;
	return pfn;
}

/*
 * do_huge_pmd_anonymous_page: returns 0 when mapped, 1 to fall back to
 * PTEs, -ENOMEM.
 */
int thp_fault(struct pgt_engine *e, struct pgt_mm *mm, struct pgt_vma *vma,
	      uint64_t va, void *pmd_slot, bool write)
{
	const struct pgt_arch *a = e->m.arch;
	const struct pgt_mm_rules *r = e->m.rules;
	int lpmd = pt_level_pmd(e), lpte = pt_level_pte(e);
	uint64_t span = pt_span(e, lpmd), haddr = va & ~(span - 1);
	uint64_t prot = vma_page_prot(e, vma->flags), pt, pfn, pmd;
	bool zero = !write && e->thp_zero_page;

	if (!vma->anon)
		vma->anon = ++mm->next_anon;
	if (zero) {
		pfn = huge_zero_pfn(e);
		if (pfn == ~0ull)
			return 1;
	} else if (pgt_page_alloc(e, r->thp_order, &pfn)) {
		return 1;	/* no contiguous memory: 4 KiB fallback */
	}
	if (r->table_alloc(e, mm, lpte, &pt)) {
		if (!zero)
			simmem_free(&e->m.mem, pfn << 12);
		return -ENOMEM;
	}
	pmd = r->mk_huge_pmd(e, pfn, prot, !zero && (vma->flags & VM_WRITE));
	deposit_push(e, mm, pmd_table_of(e, pmd_slot), pt);
	pgt_ent_store(a, lpmd, pmd_slot, pmd);
	pgt_ev_entry(e, mm, lpmd, haddr, pmd_slot, a->levels[lpmd].empty, pmd);
	if (!zero) {
		pgt_page_get(e, pfn);
		pgt_page_set_exclusive(e, pfn, true);
		mm->rss += span >> 12;
	}
	pgt_trans(e, PGT_PS_NONE, r->leaf_state(e, lpmd, pmd));
	return 0;
}

/* __split_huge_zero_page_pmd and __split_huge_pmd_locked (thp.md §4.2/4.4) */
void thp_split(struct pgt_engine *e, struct pgt_mm *mm, struct pgt_vma *vma,
	       uint64_t haddr, void *pmd_slot)
{
	const struct pgt_arch *a = e->m.arch;
	const struct pgt_mm_rules *r = e->m.rules;
	int lpmd = pt_level_pmd(e), lpte = pt_level_pte(e);
	const struct pgt_level *L = &a->levels[lpte];
	uint64_t old = pgt_ent_load(a, lpmd, pmd_slot), pfn, pt, i, n;
	uint64_t prot = vma_page_prot(e, vma->flags);
	struct sim_frame *f;
	bool zero;
	uint8_t *ptes;

	if (!r->pmd_huge(old))
		return;
	pfn = r->pmd_pfn(old);
	f = simmem_frame(&e->m.mem, pfn << 12);
	zero = f && (f->flags & SIMF_ZERO);
	if (zero)
		old = r->pmdp_huge_clear_flush(e, mm, haddr, pmd_slot);
	else
		old = r->pmdp_invalidate(e, mm, haddr, pmd_slot);
	pt = deposit_pop(e, mm, pmd_table_of(e, pmd_slot));
	if (!pt)
		return;	/* impossible: every huge PMD has a deposit (T3) */
	ptes = pgt_phys(e, pt);
	n = 1ull << r->thp_order;
	for (i = 0; i < n; i++) {
		uint64_t pte, va = haddr + (i << 12);

		if (zero) {
			pte = r->pte_mkspecial(r->mk_pte(e, r->zero_pfn(e, va),
							 prot));
		} else {
			pte = r->split_pte(e, old, pfn + i, prot,
					   vma->flags & VM_WRITE);
			pgt_page_get(e, pfn + i);
			pgt_page_set_exclusive(e, pfn + i,
					       pgt_page_anon_exclusive(e, pfn));
		}
		pgt_ent_store(a, lpte, ptes + i * L->entsize, pte);
		pgt_trans(e, PGT_PS_NONE, r->leaf_state(e, lpte, pte));
		pgt_ev_entry(e, mm, lpte, va, ptes + i * L->entsize,
			     L->empty, pte);
	}
	if (!zero)
		pgt_page_put(e, pfn);	/* the PMD mapping is gone */
	pgt_trans(e, r->leaf_state(e, lpmd, old), PGT_PS_NONE);
	r->upper_populate(e, mm, lpmd, haddr, pmd_slot, pt);
}

/* vma_adjust_trans_huge: no huge PMD may straddle a new VMA boundary */
void thp_split_range_edges(struct pgt_engine *e, struct pgt_mm *mm,
			   uint64_t addr)
{
	const struct pgt_arch *a = e->m.arch;
	const struct pgt_mm_rules *r = e->m.rules;
	int lpmd = pt_level_pmd(e);
	uint64_t span = pt_span(e, lpmd), haddr = addr & ~(span - 1);
	void *slot;

	if (!r->thp_order || haddr == addr)
		return;
	slot = pt_slot(e, mm, addr, lpmd, NULL);
	if (slot && r->pmd_huge(pgt_ent_load(a, lpmd, slot)))
		thp_split(e, mm, vma_find(mm, addr), haddr, slot);
}

/*
 * do_huge_pmd_wp_page: reuse an exclusive THP in place, otherwise split
 * (the fault then continues at the PTE level: *split = true).
 */
int thp_wp_fault(struct pgt_engine *e, struct pgt_mm *mm, struct pgt_vma *vma,
		 uint64_t va, void *pmd_slot, bool *split)
{
	const struct pgt_arch *a = e->m.arch;
	const struct pgt_mm_rules *r = e->m.rules;
	int lpmd = pt_level_pmd(e);
	uint64_t span = pt_span(e, lpmd), haddr = va & ~(span - 1);
	uint64_t ent = pgt_ent_load(a, lpmd, pmd_slot), pfn = r->pmd_pfn(ent);
	struct sim_frame *f = simmem_frame(&e->m.mem, pfn << 12);

	if (f && !(f->flags & SIMF_ZERO) &&
	    (pgt_page_anon_exclusive(e, pfn) || pgt_page_refs(e, pfn) == 1)) {
		uint64_t new = r->pmd_mkyoung_dirty_write(ent, true);

		pgt_page_set_exclusive(e, pfn, true);
		r->pmdp_set_access_flags(e, mm, haddr, pmd_slot, new);
		pgt_trans(e, r->leaf_state(e, lpmd, ent),
			  r->leaf_state(e, lpmd, new));
		return 0;
	}
	thp_split(e, mm, vma, haddr, pmd_slot);
	*split = true;
	return 0;
}

/* zap_huge_pmd: clear, free the deposit at once, queue the page */
void thp_zap(struct pgt_engine *e, struct pgt_gather *g, uint64_t haddr,
	     void *pmd_slot)
{
	const struct pgt_arch *a = e->m.arch;
	const struct pgt_mm_rules *r = e->m.rules;
	int lpmd = pt_level_pmd(e), lpte = pt_level_pte(e);
	uint64_t old = r->pmdp_get_and_clear_full(e, g, haddr, pmd_slot), pt;
	uint64_t pfn = r->pmd_pfn(old);
	struct sim_frame *f = simmem_frame(&e->m.mem, pfn << 12);

	pgt_gather_add(g, haddr, haddr + pt_span(e, lpmd), true);
	pt = deposit_pop(e, g->mm, pmd_table_of(e, pmd_slot));
	if (pt)
		r->table_free(e, g->mm, lpte, pt);
	if (f && !(f->flags & SIMF_ZERO)) {
		pgt_page_put(e, pfn);
		g->mm->rss -= 1ull << r->thp_order;
		pgt_gather_page(g);
	}
	pgt_trans(e, r->leaf_state(e, lpmd, old), PGT_PS_NONE);
	pgt_ev_entry(e, g->mm, lpmd, haddr, pmd_slot, old,
		     a->levels[lpmd].empty);
}

/* copy_huge_pmd (thp.md §3) */
int thp_copy(struct pgt_engine *e, struct pgt_mm *dst, struct pgt_mm *src,
	     uint64_t haddr, void *dslot, void *sslot)
{
	const struct pgt_arch *a = e->m.arch;
	const struct pgt_mm_rules *r = e->m.rules;
	int lpmd = pt_level_pmd(e), lpte = pt_level_pte(e);
	uint64_t old = pgt_ent_load(a, lpmd, sslot), pt, child;
	uint64_t pfn = r->pmd_pfn(old);
	struct sim_frame *f = simmem_frame(&e->m.mem, pfn << 12);

	if (r->table_alloc(e, dst, lpte, &pt))
		return -ENOMEM;
	if (f && !(f->flags & SIMF_ZERO)) {
		pgt_page_get(e, pfn);
		pgt_page_set_exclusive(e, pfn, false);
		dst->rss += 1ull << r->thp_order;
	}
	deposit_push(e, dst, pmd_table_of(e, dslot), pt);
	if (r->pmd_write(old)) {
		r->pmdp_set_wrprotect(e, src, haddr, sslot);
		pgt_trans(e, r->leaf_state(e, lpmd, old),
			  r->leaf_state(e, lpmd, pgt_ent_load(a, lpmd, sslot)));
	}
	child = r->pmd_mkold_wrprotect(old);
	pgt_ent_store(a, lpmd, dslot, child);
	pgt_trans(e, PGT_PS_NONE, r->leaf_state(e, lpmd, child));
	pgt_ev_entry(e, dst, lpmd, haddr, dslot, a->levels[lpmd].empty, child);
	return 0;
}
