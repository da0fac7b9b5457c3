/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mremap (`remap ADDR OLDLEN NEWLEN [NEWADDR]`) as mm/mremap.c does it in
 * Linux 6.1: shrink by unmapping the tail; grow in place when the next
 * mapping leaves room; otherwise move (MREMAP_MAYMOVE, with NEWADDR the
 * MREMAP_FIXED destination): a new VMA, move_page_tables carrying the
 * PTEs over, then munmap of the old range.  Moving PTEs costs one
 * flush_tlb_range of the old range per PTE table touched (move_ptes); a
 * whole, aligned PTE table moves by its PMD entry where the arch selects
 * HAVE_MOVE_PMD (move_normal_pmd: x86, not s390), one flush_tlb_range of
 * the 2 MiB it covered; a huge PMD moves whole (move_huge_pmd) or is
 * split first when the move takes only part of it.
 */
#include "engine-priv.h"

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* the next boundary of a level's span above va (0 past the top) */
static uint64_t span_end(uint64_t va, uint64_t span)
{
	return (va | (span - 1)) + 1;
}

static void pmd_set(struct pgt_engine *e, struct pgt_mm *mm, uint64_t va,
		    void *slot, uint64_t val)
{
	int lpmd = pt_level_pmd(e);
	uint64_t old = pgt_ent_load(e->m.arch, lpmd, slot);

	pgt_ent_store(e->m.arch, lpmd, slot, val);
	pgt_ev_entry(e, mm, lpmd, va, slot, old, val);
}

/*
 * move_normal_pmd: the PTE table under the old PMD entry is hung under the
 * new one, if that is empty (6.1 warns and falls back to moving PTEs
 * otherwise: exec's stack move can leave one behind).
 */
static bool move_normal_pmd(struct pgt_engine *e, struct pgt_mm *mm,
			    uint64_t old, uint64_t new, void *old_pmd,
			    void *new_pmd)
{
	const struct pgt_mm_rules *r = e->m.rules;
	int lpmd = pt_level_pmd(e);
	uint64_t ent = pgt_ent_load(e->m.arch, lpmd, old_pmd), table;

	if (pgt_ent_load(e->m.arch, lpmd, new_pmd) !=
	    e->m.arch->levels[lpmd].empty) {
		pgt_ev_note(e, mm, "move_normal_pmd: the PMD at 0x%llx is in use; PTEs are moved one by one",
			    (unsigned long long)new);
		return false;
	}
	if (r->upper_kind(e, lpmd, ent, &table) != PGT_ENT_TABLE)
		return false;
	pmd_set(e, mm, old, old_pmd, e->m.arch->levels[lpmd].empty);
	r->upper_populate(e, mm, lpmd, new, new_pmd, table);
	r->flush_tlb_range(e, mm, old, old + pt_span(e, lpmd));
	return true;
}

/* move_ptes over [old, old + len) of one PTE table */
static int move_ptes(struct pgt_engine *e, struct pgt_mm *mm, uint64_t old,
		     uint64_t new, uint64_t len, void *old_pmd)
{
	const struct pgt_arch *a = e->m.arch;
	const struct pgt_mm_rules *r = e->m.rules;
	int lpmd = pt_level_pmd(e), lpte = pt_level_pte(e), res;
	uint64_t ent = pgt_ent_load(a, lpmd, old_pmd), table, i;
	bool present = false;

	if (r->upper_kind(e, lpmd, ent, &table) != PGT_ENT_TABLE)
		return 0;
	for (i = 0; i < len; i += 4096) {
		uint8_t *os = pt_pte_ptr(e, table, old + i), *ns;
		uint64_t pte = pgt_ent_load(a, lpte, os);

		if (r->pte_none(pte))
			continue;
		ns = pt_alloc(e, mm, new + i, lpte, &res);	/* pte_alloc */
		if (!ns)
			return res ? res : -ENOMEM;
		pte = r->ptep_get_and_clear(e, mm, old + i, os);
		present |= r->pte_present(pte);
		pgt_trans(e, r->leaf_state(e, lpte, pte), PGT_PS_NONE);
		pgt_trans(e, PGT_PS_NONE, r->leaf_state(e, lpte, pte));
		pgt_ev_entry(e, mm, lpte, old + i, os, pte,
			     a->levels[lpte].empty);
		r->set_pte_at(e, mm, new + i, ns, pte);
		pgt_ev_entry(e, mm, lpte, new + i, ns, a->levels[lpte].empty,
			     pte);
	}
	/* a valid PTE moved: flush before the old PTE lock goes */
	if (present)
		r->flush_tlb_range(e, mm, old, old + len);
	return 0;
}

/*
 * move_huge_pmd (mm/huge_memory.c on 6.1): the huge PMD is exchanged out,
 * its deposited page table follows it to the new PMD table (split PMD
 * locks: pmd_move_must_withdraw when the tables differ), it is set at the
 * new address and the old 2 MiB / 1 MiB flushed.
 */
static bool move_huge_pmd(struct pgt_engine *e, struct pgt_mm *mm,
			  uint64_t old, uint64_t new, void *old_pmd,
			  void *new_pmd)
{
	const struct pgt_mm_rules *r = e->m.rules;
	const struct pgt_arch *a = e->m.arch;
	int lpmd = pt_level_pmd(e);
	uint64_t empty = a->levels[lpmd].empty, pmd, ot, nt, pt;
	enum pgt_pstate st;

	if (pgt_ent_load(a, lpmd, new_pmd) != empty)
		return false;
	pmd = r->pmdp_huge_get_and_clear(e, mm, old, old_pmd);
	pgt_ev_entry(e, mm, lpmd, old, old_pmd, pmd, empty);
	ot = pmd_table_of(e, old_pmd);
	nt = pmd_table_of(e, new_pmd);
	if (ot != nt && (pt = deposit_pop(e, mm, ot)))
		deposit_push(e, mm, nt, pt);
	pgt_ent_store(a, lpmd, new_pmd, pmd);	/* set_pmd_at */
	pgt_ev_entry(e, mm, lpmd, new, new_pmd, empty, pmd);
	st = r->leaf_state(e, lpmd, pmd);
	pgt_trans(e, st, PGT_PS_NONE);
	pgt_trans(e, PGT_PS_NONE, st);
	r->flush_pmd_tlb_range(e, mm, old, old + pt_span(e, lpmd));
	return true;
}

/* move_page_tables */
static int move_page_tables(struct pgt_engine *e, struct pgt_mm *mm,
			    uint64_t old, uint64_t new, uint64_t len)
{
	const struct pgt_mm_rules *r = e->m.rules;
	int lpmd = pt_level_pmd(e), res, rc;
	uint64_t span = pt_span(e, lpmd), end = old + len, extent;

	for (; old < end; old += extent, new += extent) {
		void *old_pmd, *new_pmd;

		extent = min_u64(span_end(old, span) - old, end - old);
		extent = min_u64(extent, span_end(new, span) - new);
		old_pmd = pt_slot(e, mm, old, lpmd, NULL);
		if (!old_pmd ||
		    pgt_ent_load(e->m.arch, lpmd, old_pmd) ==
			    e->m.arch->levels[lpmd].empty)
			continue;	/* get_old_pmd: nothing there */
		new_pmd = pt_alloc(e, mm, new, lpmd, &res);	/* alloc_new_pmd */
		if (!new_pmd || res)
			return -ENOMEM;
		if (r->pmd_huge(pgt_ent_load(e->m.arch, lpmd, old_pmd))) {
			if (extent == span &&
			    move_huge_pmd(e, mm, old, new, old_pmd, new_pmd))
				continue;
			/* split_huge_pmd, then the PTEs move */
			thp_split(e, mm, vma_find(mm, old), old & ~(span - 1),
				  old_pmd);
		} else if (r->have_move_pmd && extent == span &&
			   move_normal_pmd(e, mm, old, new, old_pmd, new_pmd)) {
			continue;
		}
		if ((rc = move_ptes(e, mm, old, new, extent, old_pmd)))
			return rc;
	}
	return 0;
}

/* vma_to_resize: [addr, addr + len) inside one VMA, else EFAULT */
static struct pgt_vma *vma_to_resize(struct pgt_mm *mm, uint64_t addr,
				     uint64_t len)
{
	struct pgt_vma *v = vma_find(mm, addr);

	return v && len <= v->end - addr ? v : NULL;
}

/* move_vma: copy_vma, move_page_tables, munmap of the old range */
static int move_vma(struct pgt_engine *e, struct pgt_mm *mm, uint64_t old,
		    uint64_t old_len, uint64_t new, uint64_t new_len)
{
	struct pgt_vma *v = vma_find(mm, old);
	unsigned flags = v->flags, anon = v->anon;
	int i, rc;

	if (mm->nvma >= PGT_MAX_MAP_COUNT - 3)
		return -ENOMEM;
	i = vma_insert(e, mm, new, new + new_len, flags);
	if (i < 0)
		return i;
	mm->vma[i].anon = anon;	/* copy_vma keeps the anon_vma */
	if ((rc = move_page_tables(e, mm, old, new, old_len)))
		return rc;
	vma_merge_around(mm, (size_t)i);
	return op_unmap(e, old, old_len);
}

/* in place: the old range ends its VMA and the room after it is free */
static bool grow_in_place(struct pgt_engine *e, struct pgt_mm *mm,
			  struct pgt_vma *v, uint64_t addr, uint64_t old_len,
			  uint64_t new_len)
{
	uint64_t end = addr + new_len;
	size_t next = (size_t)(v - mm->vma) + 1;

	if (addr + old_len != v->end || end > e->m.arch->user_limit ||
	    end < addr || (next < mm->nvma && mm->vma[next].start < end) ||
	    e->m.rules->mm_prepare_range(e, mm, v->start, end - v->start))
		return false;
	v->end = end;
	vma_merge_around(mm, next - 1);
	return true;
}

int op_remap(struct pgt_engine *e, const struct pgt_op *op,
	     struct pgt_err *err)
{
	struct pgt_mm *mm = e->m.cur;
	uint64_t addr = op->addr, old_len = op->len, new_len = op->newlen;
	uint64_t new = op->newaddr;
	bool fixed = op->flags & PGT_REMAP_FIXED;
	struct pgt_vma *v;
	int rc;

	if (!e->m.rules->ptep_get_and_clear)
		return pgt_fail(err, PGT_ERR_UNSUPPORTED,
				"'remap' is not modelled for arch %s",
				e->m.arch->name);
	if (!vma_find(mm, addr))
		return -EFAULT;
	if (fixed) {	/* mremap_to */
		if (new >= e->m.arch->user_limit ||
		    new_len > e->m.arch->user_limit - new ||
		    (addr + old_len > new && new + new_len > addr))
			return -EINVAL;
		if ((rc = op_unmap(e, new, new_len)))
			return rc;
		if (old_len > new_len) {
			if ((rc = op_unmap(e, addr + new_len, old_len - new_len)))
				return rc;
			old_len = new_len;
		}
		if (!vma_to_resize(mm, addr, old_len))
			return -EFAULT;
		if ((rc = e->m.rules->mm_prepare_range(e, mm, new, new_len)))
			return rc;
		return move_vma(e, mm, addr, old_len, new, new_len);
	}
	if (old_len >= new_len)	/* shrinking: unmap the tail */
		return old_len > new_len ?
		       op_unmap(e, addr + new_len, old_len - new_len) : 0;
	if (!(v = vma_to_resize(mm, addr, old_len)))
		return -EFAULT;
	if (grow_in_place(e, mm, v, addr, old_len, new_len))
		return 0;
	return pgt_fail(err, PGT_ERR_INPUT,
			"the mapping at 0x%llx cannot grow in place (the next mapping or the end of user space is in the way), and the address mremap would choose (get_unmapped_area) is not modelled; expected NEWADDR",
			(unsigned long long)addr);
}
