/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mprotect (protect): the VMA walk of do_mprotect_pkey with its error
 * codes, mprotect_fixup's split/merge, and change_protection over the
 * tables, all inside one mmu_gather flushed at the end (6.1, mm-ops.md §4,
 * review-6.1.md 5).  Empty upper entries are skipped: no table is ever
 * allocated (G16).
 */
#include "engine-priv.h"

struct prot_arg {
	unsigned access;	/* new VM_READ|VM_WRITE|VM_EXEC */
	struct pgt_gather *g;
};

static unsigned prot_newflags(unsigned old, const void *arg)
{
	const struct prot_arg *pa = arg;

	return (old & ~VM_ACCESS) | pa->access;
}

/* vma_wants_manual_pte_write_upgrade (6.1) */
static bool try_change_writable(unsigned flags)
{
	if (flags & VM_SHARED)	/* write-notify only for shared files */
		return (flags & (VM_FILE | VM_WRITE)) == (VM_FILE | VM_WRITE);
	return flags & VM_WRITE;
}

static void change_pmd(struct pgt_engine *e, struct pgt_gather *g,
		       struct pgt_vma *v, uint64_t va, uint64_t end,
		       uint64_t prot, bool try_write)
{
	const struct pgt_arch *a = e->arch;
	int lpmd = pt_level_pmd(e), lpte = pt_level_pte(e);
	uint64_t span = pt_span(e, lpmd), haddr = va & ~(span - 1), ent, table;
	void *pmd = pt_slot(e, g->mm, va, lpmd, NULL);
	const struct pgt_level *L = &a->levels[lpte];

	if (!pmd)
		return;
	ent = pgt_ent_load(a, lpmd, pmd);
	if (a->pmd_huge(ent)) {
		if (va == haddr && end == haddr + span) {
			a->change_huge_pmd(e, g, haddr, pmd, prot);
			g->changed += span >> 12;
			return;
		}
		thp_split(e, g->mm, v, haddr, pmd);	/* partial: split first */
		ent = pgt_ent_load(a, lpmd, pmd);
	}
	if (a->upper_kind(e, lpmd, ent, &table) != PGT_ENT_TABLE)
		return;
	a->change_pte_range(e, g, v, (uint8_t *)pgt_phys(e, table) +
			    ((va >> 12) & (L->nentries - 1)) * L->entsize,
			    va, (unsigned)((end - va) >> 12), prot, try_write);
}

static void change_protection(struct pgt_engine *e, struct pgt_gather *g,
			      struct pgt_vma *v)
{
	int lpmd = pt_level_pmd(e), stop;
	uint64_t span = pt_span(e, lpmd), va = v->start;
	uint64_t prot = vma_page_prot(e, v->flags);
	bool try_write = try_change_writable(v->flags);

	while (va < v->end) {
		uint64_t next = (va | (span - 1)) + 1, skip;

		if (next > v->end || next == 0)
			next = v->end;
		if (!pt_slot(e, g->mm, va, lpmd, &stop)) {
			/* a missing upper table: skip its whole span */
			skip = (va | (pt_span(e, stop) - 1)) + 1;
			va = (skip > v->end || skip == 0) ? v->end : skip;
			continue;
		}
		change_pmd(e, g, v, va, next, prot, try_write);
		va = next;
	}
}

static int prot_fixup(struct pgt_engine *e, struct pgt_vma *v,
		      unsigned oldflags, const void *arg)
{
	const struct prot_arg *pa = arg;

	/* a requested permission without its VM_MAY bit (mm-ops.md §4.1) */
	if ((pa->access & VM_WRITE) && !(oldflags & VM_MAYWRITE))
		return -EACCES;
	change_protection(e, pa->g, v);
	return 0;
}

int op_protect(struct pgt_engine *e, const struct pgt_op *op)
{
	struct pgt_gather g;
	struct prot_arg pa = { 0, &g };
	int rc;

	if (op->prot & PGT_PROT_R)
		pa.access |= VM_READ;
	if (op->prot & PGT_PROT_W)
		pa.access |= VM_WRITE;
	if (op->prot & PGT_PROT_X)
		pa.access |= VM_EXEC;
	pgt_gather_init(e, &g, e->cur, false);
	rc = vma_apply(e, e->cur, op->addr, op->addr + op->len, prot_newflags,
		       prot_fixup, &pa);
	pgt_gather_finish(&g);
	return rc;
}
