/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * munmap (unmap), MADV_DONTNEED and exit_mmap: zapping entries, freeing
 * page-table pages with the floor/ceiling rule of free_pgd_range
 * (mm-ops.md §5, §7), all through an mmu_gather.
 */
#include <stdlib.h>
#include <string.h>
#include "engine-priv.h"

struct zap_arg {
	struct pgt_gather *g;
	struct pgt_vma *v;
};

/* zap_pmd_range for one PMD entry and the part [va, end) of its span */
static int zap_pmd(struct pgt_engine *e, void *arg, uint64_t va, uint64_t end,
		   void *pmd)
{
	const struct zap_arg *z = arg;
	const struct pgt_arch *a = e->m.arch;
	const struct pgt_mm_rules *r = e->m.rules;
	int lpmd = pt_level_pmd(e);
	uint64_t span = pt_span(e, lpmd), haddr = va & ~(span - 1), table;
	uint64_t ent = pgt_ent_load(a, lpmd, pmd);

	if (r->pmd_huge(ent)) {
		if (va == haddr && end == haddr + span) {
			thp_zap(e, z->g, haddr, pmd);
			return 0;
		}
		thp_split(e, z->g->mm, z->v, haddr, pmd);
		ent = pgt_ent_load(a, lpmd, pmd);
	}
	if (r->upper_kind(e, lpmd, ent, &table) != PGT_ENT_TABLE)
		return 0;
	r->zap_pte_range(e, z->g, pt_pte_ptr(e, table, va), va,
			 (unsigned)((end - va) >> 12));
	return 0;
}

/* unmap_page_range over [start, end) of one VMA */
void zap_range(struct pgt_engine *e, struct pgt_gather *g, uint64_t start,
	       uint64_t end, struct pgt_vma *vma)
{
	struct zap_arg z = { g, vma };

	pt_for_each_pmd(e, g->mm, start, end, zap_pmd, &z);
}

/*
 * The entries of table `table` (level l) for [addr, end): free the lower
 * tables whose whole span lies in [floor, ceiling) (free_pmd_range & co).
 */
static void free_level(struct pgt_gather *g, int l, uint64_t table,
		       uint64_t addr, uint64_t end, uint64_t floor,
		       uint64_t ceiling)
{
	struct pgt_engine *e = g->e;
	const struct pgt_arch *a = e->m.arch;
	const struct pgt_mm_rules *r = e->m.rules;
	const struct pgt_level *L = &a->levels[l];
	uint64_t span = 1ull << L->shift, va, next;

	for (va = addr; va < end; va = next) {
		uint8_t *slot = (uint8_t *)pgt_phys(e, table) +
				((va >> L->shift) & (L->nentries - 1)) * L->entsize;
		uint64_t ent = pgt_ent_load(a, l, slot), child, start, c;

		next = (va | (span - 1)) + 1;
		if (next > end || next == 0)
			next = end;
		if (r->upper_kind(e, l, ent, &child) != PGT_ENT_TABLE)
			continue;
		if (l + 1 == pt_level_pte(e)) {
			/* free_pte_range: the PTE table goes unconditionally */
			if (r->upper_clear(e, g, l, va, slot))
				pgt_gather_table(g, l + 1, child,
						 va & ~(span - 1));
			continue;
		}
		free_level(g, l + 1, child, va, next, floor, ceiling);
		/* then the lower table itself, if its span is free */
		start = va & ~(span - 1);
		if (start < floor)
			continue;
		c = ceiling;
		if (c) {
			c &= ~(span - 1);
			if (!c)
				continue;
		}
		if (next - 1 > c - 1)
			continue;
		if (r->upper_clear(e, g, l, va, slot))
			pgt_gather_table(g, l + 1, child, start);
	}
}

/* free_pgd_range: trim at PTE-table granularity, then walk the levels */
static void free_pgd_range(struct pgt_gather *g, uint64_t addr, uint64_t end,
			   uint64_t floor, uint64_t ceiling)
{
	struct pgt_engine *e = g->e;
	uint64_t pmd_size = pt_span(e, pt_level_pmd(e)), mask = ~(pmd_size - 1);

	addr &= mask;
	if (addr < floor) {
		addr += pmd_size;
		if (!addr)
			return;
	}
	if (ceiling) {
		ceiling &= mask;
		if (!ceiling)
			return;
	}
	if (end - 1 > ceiling - 1)
		end -= pmd_size;
	if (addr > end - 1)
		return;
	free_level(g, g->mm->top_level, g->mm->top, addr, end, floor, ceiling);
}

/* free_pgtables: VMAs closer than one PTE-table span are freed together */
void free_pgtables(struct pgt_gather *g, const struct pgt_vma *v, size_t n,
		   uint64_t floor, uint64_t ceiling)
{
	uint64_t pmd_size = pt_span(g->e, pt_level_pmd(g->e));
	size_t i = 0;

	while (i < n) {
		uint64_t addr = v[i].start;

		while (i + 1 < n && v[i + 1].start <= v[i].end + pmd_size)
			i++;
		free_pgd_range(g, addr, v[i].end, floor,
			       i + 1 < n ? v[i + 1].start : ceiling);
		i++;
	}
}

int op_unmap(struct pgt_engine *e, uint64_t addr, uint64_t len)
{
	struct pgt_mm *mm = e->m.cur;
	uint64_t end = addr + len, floor, ceiling;
	struct pgt_vma *det;
	struct pgt_gather g;
	size_t i, j, n;
	int rc;

	i = vma_index_from(mm, addr);
	if (i >= mm->nvma || mm->vma[i].start >= end)
		return 0;	/* nothing mapped there: success */
	if (mm->vma[i].start < addr) {
		if ((rc = vma_split(e, mm, i, addr)))
			return rc;
		i++;
	}
	for (j = i; j < mm->nvma && mm->vma[j].start < end; j++)
		if (mm->vma[j].end > end && (rc = vma_split(e, mm, j, end)))
			return rc;
	n = j - i;
	det = malloc(n * sizeof(*det));
	if (!det)
		return -ENOMEM;
	memcpy(det, &mm->vma[i], n * sizeof(*det));
	floor = i ? mm->vma[i - 1].end : 0;
	ceiling = j < mm->nvma ? mm->vma[j].start : 0;
	vma_remove(mm, i, n);
	pgt_gather_init(e, &g, mm, false);
	for (j = 0; j < n; j++)
		zap_range(e, &g, det[j].start, det[j].end, &det[j]);
	free_pgtables(&g, det, n, floor, ceiling);
	pgt_gather_finish(&g);
	free(det);
	return 0;
}

/*
 * madvise_walk_vmas: fn on each VMA's part of [addr, addr + len), each
 * with a gather of its own; a hole is -ENOMEM once the rest is done.  A
 * VMA refuse turns down (refuse's errno) stops the walk before its part.
 */
int madvise_walk(struct pgt_engine *e, uint64_t addr, uint64_t len,
		 int (*refuse)(const struct pgt_vma *v),
		 void (*fn)(struct pgt_engine *e, struct pgt_gather *g,
			    struct pgt_vma *v, uint64_t s, uint64_t t))
{
	struct pgt_mm *mm = e->m.cur;
	uint64_t end = addr + len, pos = addr;
	size_t i = vma_index_from(mm, addr);
	int rc = 0, no;

	for (; i < mm->nvma && mm->vma[i].start < end; i++) {
		struct pgt_vma *v = &mm->vma[i];
		uint64_t s = v->start > addr ? v->start : addr;
		uint64_t t = v->end < end ? v->end : end;
		struct pgt_gather g;

		if (v->start > pos)
			rc = -ENOMEM;	/* a hole: reported, the rest done */
		if (refuse && (no = refuse(v)))
			return no;
		pgt_gather_init(e, &g, mm, false);
		fn(e, &g, v, s, t);
		pgt_gather_finish(&g);
		pos = v->end;
	}
	if (pos < end)
		rc = -ENOMEM;
	return rc;
}

static void dontneed_vma(struct pgt_engine *e, struct pgt_gather *g,
			 struct pgt_vma *v, uint64_t s, uint64_t t)
{
	zap_range(e, g, s, t, v);
}

/* MADV_DONTNEED: zap, keep the VMAs and tables; one gather per VMA */
int op_dontneed(struct pgt_engine *e, uint64_t addr, uint64_t len)
{
	return madvise_walk(e, addr, len, NULL, dontneed_vma);
}

/* exit_mmap: a fullmm gather over everything, then pgd_free */
void op_exit(struct pgt_engine *e, struct pgt_mm *mm)
{
	struct pgt_gather g;
	unsigned cpu;
	size_t i;

	pgt_gather_init(e, &g, mm, true);
	for (i = 0; i < mm->nvma; i++)
		zap_range(e, &g, mm->vma[i].start, mm->vma[i].end, &mm->vma[i]);
	free_pgtables(&g, mm->vma, mm->nvma, 0, 0);
	pgt_gather_finish(&g);
	mm->nvma = 0;
	for (cpu = 0; cpu < PGT_MAX_CPUS; cpu++)
		if (e->m.cpu_mm[cpu] == mm)
			mm_load(e, cpu, NULL);
	e->m.rules->mm_destroy(e, mm);
	mm->dead = true;
}
