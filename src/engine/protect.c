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

struct change_arg {
	struct pgt_gather *g;
	struct pgt_vma *v;
	uint64_t prot;
	bool try_write;
};

/* change_pmd_range for one PMD entry and the part [va, end) of its span */
static int change_pmd(struct pgt_engine *e, void *arg, uint64_t va,
		      uint64_t end, void *pmd)
{
	const struct change_arg *c = arg;
	const struct pgt_arch *a = e->m.arch;
	const struct pgt_mm_rules *r = e->m.rules;
	int lpmd = pt_level_pmd(e);
	uint64_t span = pt_span(e, lpmd), haddr = va & ~(span - 1), table;
	uint64_t ent = pgt_ent_load(a, lpmd, pmd);

	if (r->pmd_huge(ent)) {
		if (va == haddr && end == haddr + span) {
			r->change_huge_pmd(e, c->g, haddr, pmd, c->prot);
			c->g->changed += span >> 12;
			return 0;
		}
		thp_split(e, c->g->mm, c->v, haddr, pmd);	/* partial */
		ent = pgt_ent_load(a, lpmd, pmd);
	}
	if (r->upper_kind(e, lpmd, ent, &table) != PGT_ENT_TABLE)
		return 0;
	r->change_pte_range(e, c->g, c->v, pt_pte_ptr(e, table, va), va,
			    (unsigned)((end - va) >> 12), c->prot, c->try_write);
	return 0;
}

static void change_protection(struct pgt_engine *e, struct pgt_gather *g,
			      struct pgt_vma *v)
{
	struct change_arg c = {
		.g = g, .v = v, .prot = vma_page_prot(e, v->flags),
		.try_write = try_change_writable(v->flags),
	};

	pt_for_each_pmd(e, g->mm, v->start, v->end, change_pmd, &c);
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
	pgt_gather_init(e, &g, e->m.cur, false);
	rc = vma_apply(e, e->m.cur, op->addr, op->addr + op->len, prot_newflags,
		       prot_fixup, &pa);
	pgt_gather_finish(&g);
	return rc;
}
