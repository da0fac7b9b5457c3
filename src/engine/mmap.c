/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mmap (alloc) and madvise (advise): VMA work only, no page tables
 * (mm-ops.md §2; invariant G16), except s390's 3->4->5 level upgrade in
 * address selection (s390.md §5.3).
 */
#include "engine-priv.h"

/* vm_page_prot for a VMA: shared writable files want write-notify, so
 * their PTEs start read-only like a private mapping's (mm-ops.md §1) */
uint64_t vma_page_prot(struct pgt_engine *e, unsigned flags)
{
	if ((flags & (VM_SHARED | VM_FILE | VM_WRITE)) ==
	    (VM_SHARED | VM_FILE | VM_WRITE))
		flags &= ~VM_SHARED;
	return vm_prot_of(e, flags);
}

static unsigned prot_to_flags(unsigned prot)
{
	return ((prot & PGT_PROT_R) ? VM_READ : 0) |
	       ((prot & PGT_PROT_W) ? VM_WRITE : 0) |
	       ((prot & PGT_PROT_X) ? VM_EXEC : 0);
}

int op_alloc(struct pgt_engine *e, const struct pgt_op *op)
{
	struct pgt_mm *mm = e->m.cur;
	unsigned flags = prot_to_flags(op->prot) | VM_MAYREAD | VM_MAYWRITE |
			 VM_MAYEXEC | VM_SOFTDIRTY;
	int rc, i;

	if (op->flags & PGT_MAP_SHARED)
		flags |= VM_SHARED | VM_MAYSHARE;
	if (op->flags & PGT_MAP_FILE)
		flags |= VM_FILE;
	rc = e->m.rules->mm_prepare_range(e, mm, op->addr, op->len);
	if (rc)
		return rc;
	/* MAP_FIXED: whatever was mapped there is unmapped first */
	rc = op_unmap(e, op->addr, op->len);
	if (rc)
		return rc;
	i = vma_insert(e, mm, op->addr, op->addr + op->len, flags);
	if (i < 0)
		return i;
	vma_merge_around(mm, (size_t)i);
	return 0;
}

/*
 * Give [start, end) new flags: split VMAs at the edges, call fn on each
 * piece, merge.  Returns -ENOMEM for a hole (after doing what precedes
 * it, as the kernel does: mprotect is not transactional, G15).
 */
int vma_apply(struct pgt_engine *e, struct pgt_mm *mm, uint64_t start,
	      uint64_t end, unsigned (*newflags)(unsigned old, const void *arg),
	      int (*fn)(struct pgt_engine *e, struct pgt_vma *v,
			unsigned oldflags, const void *arg),
	      const void *arg)
{
	size_t i = vma_index_from(mm, start);
	uint64_t pos = start;
	int rc;

	if (i >= mm->nvma || mm->vma[i].start > start)
		return -ENOMEM;
	while (pos < end) {
		struct pgt_vma *v;
		unsigned old, nf;

		if (i >= mm->nvma || mm->vma[i].start > pos)
			return -ENOMEM;
		old = mm->vma[i].flags;
		nf = newflags(old, arg);
		if (nf == old) {
			pos = mm->vma[i].end;
			i++;
			continue;
		}
		if (mm->vma[i].start < pos) {
			if ((rc = vma_split(e, mm, i, pos)))
				return rc;
			i++;
		}
		if (mm->vma[i].end > end && (rc = vma_split(e, mm, i, end)))
			return rc;
		v = &mm->vma[i];
		v->flags = nf;
		pos = v->end;
		if (fn && (rc = fn(e, v, old, arg)))
			return rc;
		/* merging may move the array: find our position again */
		vma_merge_around(mm, i);
		i = vma_index_from(mm, pos);
	}
	return 0;
}

static unsigned advise_flags(unsigned old, const void *arg)
{
	int adv = *(const int *)arg;

	if (adv == PGT_ADV_HUGEPAGE)
		return (old & ~VM_NOHUGEPAGE) | VM_HUGEPAGE;
	return (old & ~VM_HUGEPAGE) | VM_NOHUGEPAGE;
}

int op_advise(struct pgt_engine *e, const struct pgt_op *op)
{
	int adv = op->sub;

	if (adv == PGT_ADV_DONTNEED)
		return op_dontneed(e, op->addr, op->len);
	if (adv == PGT_ADV_FREE)
		return op_lazyfree(e, op->addr, op->len);
	return vma_apply(e, e->m.cur, op->addr, op->addr + op->len,
			 advise_flags, NULL, &adv);
}
