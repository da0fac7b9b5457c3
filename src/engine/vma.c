/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The VMA list of an mm: a sorted array of [start, end) with flags.
 * Merging follows the conditions of mm-ops.md §2.2 step 5 for anonymous
 * memory: touching ranges with identical flags (VM_SOFTDIRTY ignored) and
 * compatible anon_vma (equal, or one side has none).  Private anonymous
 * pgoff is addr >> PAGE_SHIFT, so adjacent anonymous VMAs are always
 * pgoff-contiguous; shared ones are separate shmem objects and never merge.
 */
#include <stdlib.h>
#include <string.h>
#include "engine-priv.h"

size_t vma_index_from(struct pgt_mm *mm, uint64_t addr)
{
	size_t lo = 0, hi = mm->nvma;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (mm->vma[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct pgt_vma *vma_find(struct pgt_mm *mm, uint64_t addr)
{
	size_t i = vma_index_from(mm, addr);

	if (i < mm->nvma && mm->vma[i].start <= addr)
		return &mm->vma[i];
	return NULL;
}

/*
 * VMA arrays count against the host memory limit: a fork copies all of
 * its parent's (up to PGT_MAX_MAP_COUNT, 1.5 MiB), so a few thousand
 * forks of a fragmented mm would take gigabytes.  A forked mm's array
 * starts at the size it needs, not at 16.
 */
int vma_reserve(struct pgt_engine *e, struct pgt_mm *mm, size_t more)
{
	if (mm->nvma + more > mm->cap) {
		size_t cap = mm->cap ? mm->cap * 2 : more > 4 ? more : 4;
		struct pgt_vma *v;

		while (cap < mm->nvma + more)
			cap *= 2;
		if (simmem_host_charge(&e->m.mem, (int64_t)((cap - mm->cap) *
						sizeof(*v)), "VMAs"))
			return -ENOMEM;
		v = realloc(mm->vma, cap * sizeof(*v));
		if (!v) {
			simmem_host_charge(&e->m.mem, -(int64_t)((cap - mm->cap) *
						    sizeof(*v)), "VMAs");
			return -ENOMEM;
		}
		mm->vma = v;
		mm->cap = cap;
	}
	return 0;
}

void vma_free_all(struct pgt_engine *e, struct pgt_mm *mm)
{
	simmem_host_charge(&e->m.mem, -(int64_t)(mm->cap * sizeof(*mm->vma)),
			   "VMAs");
	free(mm->vma);
	mm->vma = NULL;
	mm->nvma = mm->cap = 0;
}

int vma_insert(struct pgt_engine *e, struct pgt_mm *mm, uint64_t start,
	       uint64_t end, unsigned flags)
{
	size_t i = vma_index_from(mm, start);

	if (mm->nvma >= PGT_MAX_MAP_COUNT)
		return -ENOMEM;
	if (vma_reserve(e, mm, 1))
		return -ENOMEM;
	memmove(&mm->vma[i + 1], &mm->vma[i], (mm->nvma - i) * sizeof(*mm->vma));
	mm->vma[i].start = start;
	mm->vma[i].end = end;
	mm->vma[i].flags = flags;
	mm->vma[i].anon = 0;
	mm->nvma++;
	return (int)i;
}

/*
 * Split vma i at address at (strictly inside).  A huge PMD straddling the
 * new boundary is split first (vma_adjust_trans_huge, thp.md §5.1).
 */
int vma_split(struct pgt_engine *e, struct pgt_mm *mm, size_t i, uint64_t at)
{
	struct pgt_vma v;

	if (mm->nvma >= PGT_MAX_MAP_COUNT)
		return -ENOMEM;
	if (vma_reserve(e, mm, 1))
		return -ENOMEM;
	thp_split_range_edges(e, mm, at);
	v = mm->vma[i];
	memmove(&mm->vma[i + 1], &mm->vma[i], (mm->nvma - i) * sizeof(*mm->vma));
	mm->vma[i].end = at;
	mm->vma[i + 1].start = at;
	mm->vma[i + 1].end = v.end;
	mm->nvma++;
	return 0;
}

void vma_remove(struct pgt_mm *mm, size_t i, size_t n)
{
	memmove(&mm->vma[i], &mm->vma[i + n],
		(mm->nvma - i - n) * sizeof(*mm->vma));
	mm->nvma -= n;
}

bool vma_mergeable(const struct pgt_vma *a, const struct pgt_vma *b)
{
	if (a->end != b->start)
		return false;
	if ((a->flags & ~VM_SOFTDIRTY) != (b->flags & ~VM_SOFTDIRTY))
		return false;
	if (a->flags & (VM_SHARED | VM_FILE))
		return false;	/* separate objects: never pgoff-contiguous */
	return !a->anon || !b->anon || a->anon == b->anon;
}

/* merge vma i with its neighbours where allowed */
void vma_merge_around(struct pgt_mm *mm, size_t i)
{
	if (i + 1 < mm->nvma && vma_mergeable(&mm->vma[i], &mm->vma[i + 1])) {
		mm->vma[i].end = mm->vma[i + 1].end;
		if (!mm->vma[i].anon)
			mm->vma[i].anon = mm->vma[i + 1].anon;
		vma_remove(mm, i + 1, 1);
	}
	if (i > 0 && vma_mergeable(&mm->vma[i - 1], &mm->vma[i])) {
		mm->vma[i - 1].end = mm->vma[i].end;
		if (!mm->vma[i - 1].anon)
			mm->vma[i - 1].anon = mm->vma[i].anon;
		vma_remove(mm, i, 1);
	}
}
