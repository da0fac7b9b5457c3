/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * s390x: z/Architecture DAT as Linux 6.1 manages it (reference/s390.md,
 * thp.md §2.4-§6.2, review-6.1.md, dumps/README.md).  Profiles:
 *   s390-v4.13+  (default) 2 KiB page tables paired in a 4 KiB page with
 *                the AA/PP fragment bits and the per-mm pgtable_list
 *   s390-v6.8+   every page table in its own 4 KiB page
 * Both use the 6.1 entry bits and flush rules: IPTE/IDTE direct and lazy
 * paths, flush_mm, IDTE clear-by-ASCE (CSP without IDTE), no RDP.
 * The machine: TLB local clearing (51) and ESOP present; NX (130), EDAT-1
 * (8) and IDTE (3) are options, on by default.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include "s390-priv.h"
#include "../mem/physmem.h"
#include "s390-discover.h"

static const char *const s390x_profiles[] = { "s390-v4.13+", "s390-v6.8+",
					      NULL };

/* s390.md §1.2/§1.3: CRST tables 2048 x 8 B, page tables 256 x 8 B */
static const struct pgt_level s390x_levels[] = {
	{ "R1", "pgd", 53, 2048, 8, 16384, 0x2c },
	{ "R2", "p4d", 42, 2048, 8, 16384, 0x28 },
	{ "R3", "pud", 31, 2048, 8, 16384, 0x24 },
	{ "SGT", "pmd", 20, 2048, 8, 16384, 0x20 },
	{ "PT", "pte", 12, 256, 8, 2048, 0x400 },
};

#define HPAGE_SIZE (1ull << 20)

/* flush reasons: static strings, grouped by pointer (engine.c) */
static const char R_DIRECT_LOCAL[] =
	"ptep_flush_direct: only this CPU in mm_cpumask (IPTE local)";
static const char R_DIRECT_GLOBAL[] =
	"ptep_flush_direct: other CPUs in mm_cpumask (IPTE global)";
static const char R_LAZY[] =
	"ptep_flush_lazy: other CPUs attached (IPTE global)";
static const char R_PMD_DIRECT_LOCAL[] =
	"pmdp_flush_direct: only this CPU in mm_cpumask (IDTE local)";
static const char R_PMD_DIRECT_GLOBAL[] =
	"pmdp_flush_direct: other CPUs in mm_cpumask (IDTE global)";
static const char R_PMD_LAZY[] =
	"pmdp_flush_lazy: other CPUs attached (IDTE global)";
static const char R_PMD_CSP[] =
	"pmdp_flush: no IDTE facility, CSP on the segment entry";
static const char R_TLB_FLUSH[] =
	"tlb_flush: flush_mm set, __tlb_flush_mm_lazy";
static const char R_SWITCH[] =
	"finish_arch_post_lock_switch: flush_mm set, __tlb_flush_mm_lazy";
static const char R_FLUSH_MM[] =
	"flush_tlb_mm: flush_mm set, __tlb_flush_mm_lazy";
static const char R_FLUSH_RANGE[] =
	"flush_tlb_range: flush_mm set, __tlb_flush_mm_lazy";
static const char R_UPG_PTLB[] =
	"crst_table_upgrade: PTLB on every online CPU";
static const char R_UPG_IPI[] =
	"crst_table_upgrade: on_each_cpu(__crst_table_upgrade)";

/* ---- flushes (s390.md §6.3-§6.5) ---- */

/* __tlb_flush_mm: mm_cpumask := cpu_attach_mask, then one IDTE
 * clear-by-ASCE (no gmap is modelled), or CSP without IDTE */
static void tlb_flush_mm_now(struct pgt_engine *e, struct pgt_mm *mm,
			     const char *why)
{
	mm->cpumask = mm->cpu_attach;
	pgt_flush(e, s390_priv(e)->idte ? PGT_FL_IDTE_ASCE : PGT_FL_CSP, 1,
		  why);
}

/* __tlb_flush_mm_lazy: only if a lazy path deferred something */
static void tlb_flush_mm_lazy(struct pgt_engine *e, struct pgt_mm *mm,
			      const char *why)
{
	struct s390_mm *sm = S390_MM(mm);

	if (!sm->flush_mm)
		return;
	sm->flush_mm = false;
	tlb_flush_mm_now(e, mm, why);
}

/*
 * ptep_flush_direct (s390.md §6.4): an entry with I set needs no IPTE;
 * local clearing if only this CPU may hold TLB entries, else global.
 */
uint64_t s390x_pte_flush_direct(struct pgt_engine *e, struct pgt_mm *mm,
				uint64_t old)
{
	if (old & PTE_I)
		return old;
	if (only_self(e, mm->cpumask))
		pgt_flush(e, PGT_FL_IPTE_LOCAL, 1, R_DIRECT_LOCAL);
	else
		pgt_flush(e, PGT_FL_IPTE, 1, R_DIRECT_GLOBAL);
	return old;
}

/*
 * ptep_flush_lazy (s390.md §6.4): with only this CPU attached the I bit
 * is set by a plain store and the flush deferred (flush_mm); otherwise
 * a global IPTE.  Lazy never uses local clearing.
 */
static inline void pte_flush_lazy(struct pgt_engine *e, struct pgt_mm *mm,
				  void *p, uint64_t old)
{
	if (old & PTE_I)
		return;
	if (only_self(e, mm->cpu_attach)) {
		/*
		 * The plain store of old | I is not written here: every
		 * caller stores the entry's next value at once, and nothing
		 * in the model can read the transient one in between.
		 */
		S390_MM(mm)->flush_mm = true;
	} else {
		pgt_flush(e, PGT_FL_IPTE, 1, R_LAZY);
	}
}

/* the segment twins (thp.md §6.2); CSP without IDTE */
static void pmd_flush_direct(struct pgt_engine *e, struct pgt_mm *mm,
			     uint64_t old)
{
	if (old & SEG_I)
		return;
	if (!s390_priv(e)->idte)
		pgt_flush(e, PGT_FL_CSP, 1, R_PMD_CSP);
	else if (only_self(e, mm->cpumask))
		pgt_flush(e, PGT_FL_IDTE_LOCAL, 1, R_PMD_DIRECT_LOCAL);
	else
		pgt_flush(e, PGT_FL_IDTE, 1, R_PMD_DIRECT_GLOBAL);
}

static void pmd_flush_lazy(struct pgt_engine *e, struct pgt_mm *mm, void *p,
			   uint64_t old)
{
	if (old & SEG_I)
		return;
	if (only_self(e, mm->cpu_attach)) {
		be64_st(p, old | SEG_I);
		S390_MM(mm)->flush_mm = true;
	} else if (s390_priv(e)->idte) {
		pgt_flush(e, PGT_FL_IDTE, 1, R_PMD_LAZY);
	} else {
		pgt_flush(e, PGT_FL_CSP, 1, R_PMD_CSP);
	}
}

static void s390x_tlb_flush(struct pgt_engine *e, struct pgt_gather *g)
{
	tlb_flush_mm_lazy(e, g->mm, R_TLB_FLUSH);
}

/* flush_tlb_range (arch/s390/include/asm/tlbflush.h): whatever a lazy
 * path deferred, for the whole mm */
static void s390x_flush_tlb_range(struct pgt_engine *e, struct pgt_mm *mm,
				  uint64_t start, uint64_t end)
{
	tlb_flush_mm_lazy(e, mm, R_FLUSH_RANGE);
}

/* pmdp_huge_get_and_clear: pmdp_xchg_lazy (thp.md §6.2) */
static uint64_t s390x_pmdp_huge_get_and_clear(struct pgt_engine *e,
					      struct pgt_mm *mm, uint64_t va,
					      void *p)
{
	uint64_t old = be64_ld(p);

	pmd_flush_lazy(e, mm, p, old);
	be64_st(p, SEG_EMPTY);
	return old;
}

/* ptep_get_and_clear: ptep_xchg_lazy (s390.md §6.4) */
static uint64_t s390x_ptep_get_and_clear(struct pgt_engine *e,
					 struct pgt_mm *mm, uint64_t va,
					 void *p)
{
	uint64_t old = be64_ld(p);

	pte_flush_lazy(e, mm, p, old);
	be64_st(p, PTE_EMPTY);
	return old;
}

static void s390x_flush_tlb_mm(struct pgt_engine *e, struct pgt_mm *mm,
			       const char *why)
{
	tlb_flush_mm_lazy(e, mm, why ? why : R_FLUSH_MM);
}

/* ---- PTE values (s390.md §4.5) ---- */

static inline uint64_t pte_mkyoung64(uint64_t v)
{
	v |= SW_YOUNG;
	return (v & SW_READ) ? v & ~PTE_I : v;
}

static inline uint64_t pte_mkold64(uint64_t v)
{
	return (v & ~SW_YOUNG) | PTE_I;
}

static inline uint64_t pte_mkdirty64(uint64_t v)
{
	/* Debian s390x: CONFIG_MEM_SOFT_DIRTY=y, mkdirty marks it too */
	v |= SW_DIRTY | SW_SOFT_DIRTY;
	return (v & SW_WRITE) ? v & ~PTE_P : v;
}

static inline uint64_t pte_mkclean64(uint64_t v)
{
	return (v & ~SW_DIRTY) | PTE_P;
}

static inline uint64_t pte_mkwrite64(uint64_t v)
{
	v |= SW_WRITE;
	return (v & SW_DIRTY) ? v & ~PTE_P : v;
}

static inline uint64_t pte_wrprotect64(uint64_t v)
{
	return (v & ~SW_WRITE) | PTE_P;
}

/* keep frame, SPECIAL, DIRTY, YOUNG, SOFT_DIRTY; the new protection
 * has I and P set: clear them again for young+readable, dirty+writable */
static inline uint64_t pte_modify64(uint64_t v, uint64_t prot)
{
	const uint64_t chg = PTE_ORIGIN | SW_SPECIAL | SW_DIRTY | SW_YOUNG |
			     SW_SOFT_DIRTY;

	v = (v & chg) | prot;
	if ((v & SW_YOUNG) && (v & SW_READ))
		v &= ~PTE_I;
	if ((v & SW_DIRTY) && (v & SW_WRITE))
		v &= ~PTE_P;
	return v;
}

static uint64_t s390x_pte_mkwrite(uint64_t v) { return pte_mkwrite64(v); }
static uint64_t s390x_pte_mkdirty(uint64_t v) { return pte_mkdirty64(v); }
static uint64_t s390x_pte_mkyoung(uint64_t v) { return pte_mkyoung64(v); }
static uint64_t s390x_pte_mkold(uint64_t v) { return pte_mkold64(v); }
static uint64_t s390x_pte_wrprotect(uint64_t v) { return pte_wrprotect64(v); }
static uint64_t s390x_pte_mkclean(uint64_t v) { return pte_mkclean64(v); }
static uint64_t s390x_pte_mkspecial(uint64_t v) { return v | SW_SPECIAL; }
static bool s390x_pte_none(uint64_t v) { return v == PTE_EMPTY; }
static bool s390x_pte_present(uint64_t v) { return v & SW_PRESENT; }
static bool s390x_pte_write(uint64_t v) { return v & SW_WRITE; }
static bool s390x_pte_dirty(uint64_t v) { return v & SW_DIRTY; }
static bool s390x_pte_special(uint64_t v) { return v & SW_SPECIAL; }
static uint64_t s390x_pte_pfn(uint64_t v) { return (v & PTE_ORIGIN) >> 12; }

static bool s390x_pte_protnone(uint64_t v)
{
	return (v & SW_PRESENT) && !(v & SW_READ);
}

/* protection_map of 6.1 (s390.md §4.5): private mappings never RW */
static uint64_t s390x_vm_prot(struct pgt_engine *e, unsigned flags)
{
	bool shared_w = (flags & VM_SHARED) && (flags & VM_WRITE);
	uint64_t v;

	if (!(flags & VM_ACCESS))
		v = PAGE_NONE_64;
	else if (flags & VM_EXEC)
		v = shared_w ? PAGE_RWX_64 : PAGE_RX_64;
	else
		v = shared_w ? PAGE_RW_64 : PAGE_RO_64;
	/* NOEXEC only with facility 130 (S12) */
	if (!s390_priv(e)->nx)
		v &= ~PTE_IEP;
	return v;
}

/* mk_pte applies mkyoung (s390.md §4.5) */
static uint64_t s390x_mk_pte(struct pgt_engine *e, uint64_t pfn, uint64_t prot)
{
	return pte_mkyoung64((pfn << 12) | prot);
}

static bool s390x_pte_access_ok(struct pgt_engine *e, uint64_t v, bool write)
{
	if (v & PTE_I)
		return false;
	return !write || !(v & PTE_P);
}

static uint64_t s390x_zero_pfn(struct pgt_engine *e, uint64_t va)
{
	struct s390_priv *p = s390_priv(e);

	/* ZERO_PAGE(va): the colour of the virtual address */
	return p->zero_pfn + ((va >> 12) & (p->nzero - 1));
}

static bool is_zero_pfn(struct pgt_engine *e, uint64_t pfn)
{
	struct s390_priv *p;

	if (!e)
		return true;	/* a dump: SPECIAL user PTEs are zero pages */
	p = s390_priv(e);
	return p->nzero && pfn - p->zero_pfn < p->nzero;
}

static enum pgt_pstate pte_state(struct pgt_engine *e, uint64_t v)
{
	if (v == PTE_EMPTY)
		return PGT_PS_NONE;
	if (!(v & SW_PRESENT))
		return PGT_PS_SWAP;
	if (!(v & SW_READ))
		return PGT_PS_PROTNONE;
	if ((v & SW_SPECIAL) && is_zero_pfn(e, s390x_pte_pfn(v)))
		return PGT_PS_ZERO;
	return (v & SW_WRITE) ? PGT_PS_RW : PGT_PS_RO;
}

static enum pgt_pstate pmd_state(struct pgt_engine *e, uint64_t v)
{
	struct sim_frame *f;

	if (v == SEG_EMPTY || !(v & SEG_FC))
		return PGT_PS_NONE;
	if (!(v & SEG_READ))
		return PGT_PS_HPROTNONE;
	f = e ? simmem_frame(&pgt_mach(e)->mem, v & SEG_ORIGIN_LARGE) : NULL;
	if (f && (f->flags & SIMF_ZERO))
		return PGT_PS_HZERO;
	return (v & SEG_WRITE) ? PGT_PS_HRW : PGT_PS_HRO;
}

static enum pgt_pstate s390x_leaf_state(struct pgt_engine *e, int level,
					uint64_t raw)
{
	if (level == L_PT)
		return pte_state(e, raw);
	if (level == L_SGT)
		return pmd_state(e, raw);
	return PGT_PS_NONE;
}

/* ---- PTE stores ---- */


/* pgste_set_pte: a writable valid PTE marks the page user-dirty (UC);
 * ESOP is present, so the PTE itself is not forced dirty (s390.md §3.3) */
void s390x_pgste_commit(struct pgt_engine *e, struct pgt_mm *mm, void *slot,
			uint64_t pte)
{
	uint8_t *pgste;
	uint64_t old;

	if (!S390_MM(mm)->has_pgste)
		return;
	if (!(pte & SW_PRESENT) || !(pte & SW_WRITE) || (pte & (PTE_I | PTE_P)))
		return;
	pgste = (uint8_t *)slot + 2048;
	old = be64_ld(pgste);
	be64_st(pgste, old | PGSTE_UC);
}

static void s390x_set_pte_at(struct pgt_engine *e, struct pgt_mm *mm,
			     uint64_t va, void *slot, uint64_t pte)
{
	uint64_t old = be64_ld(slot);

	pte = s390x_store_mask(e, pte);
	be64_st(slot, pte);
	s390x_pgste_commit(e, mm, slot, pte);
	pgt_ev_entry(e, mm, L_PT, va, slot, old, pte);
}

/* ptep_clear_flush = ptep_xchg_direct with the empty PTE (§6.5) */
static uint64_t s390x_ptep_clear_flush(struct pgt_engine *e,
				       struct pgt_mm *mm, uint64_t va,
				       void *slot)
{
	uint64_t old = be64_ld(slot);

	s390x_pte_flush_direct(e, mm, old);
	be64_st(slot, PTE_EMPTY);
	pgt_ev_entry(e, mm, L_PT, va, slot, old, PTE_EMPTY);
	return old;
}

/* 6.1 has no RDP (review-6.1.md 4): a change always takes the direct
 * path, which costs nothing when the old entry is invalid */
static void s390x_ptep_set_access_flags(struct pgt_engine *e,
					struct pgt_mm *mm, uint64_t va,
					void *slot, uint64_t pte)
{
	uint64_t old = be64_ld(slot);

	pte = s390x_store_mask(e, pte);
	if (old == pte)
		return;
	s390x_pte_flush_direct(e, mm, old);
	be64_st(slot, pte);
	s390x_pgste_commit(e, mm, slot, pte);
	pgt_ev_entry(e, mm, L_PT, va, slot, old, pte);
}

/* no hardware referenced/changed bits in PTEs (storage keys are not
 * modelled): every state change is a fault */
static void s390x_hw_touch(struct pgt_engine *e, struct pgt_mm *mm,
			   uint64_t va, void *slot, bool write)
{
}

/* ---- the hot loops (arch/pte-range.h) ---- */

#define A_FN(x) s390x_##x
#define A_LEVEL_PTE L_PT
#define A_ENTSIZE 8
#define a_load(p) be64_ld(p)
#define a_store(p, v) be64_st((p), (v))
#define a_empty PTE_EMPTY
#define a_pte_none(v) ((v) == PTE_EMPTY)
#define a_pte_present(v) ((v) & SW_PRESENT)
#define a_pte_write(v) ((v) & SW_WRITE)
#define a_pte_dirty(v) ((v) & SW_DIRTY)
#define a_pte_special(v) ((v) & SW_SPECIAL)
#define a_pte_protnone(v) s390x_pte_protnone(v)
#define a_pte_pfn(v) s390x_pte_pfn(v)
#define a_pte_modify(v, prot) pte_modify64((v), (prot))
#define a_pte_mkwrite(v) pte_mkwrite64(v)
#define a_pte_wrprotect(v) pte_wrprotect64(v)
#define a_pte_mkold(v) pte_mkold64(v)
#define a_pte_mkclean(v) pte_mkclean64(v)
#define a_pte_young(v) ((v) & SW_YOUNG)
#define a_state(e, v) pte_state((e), (v))
#define A_FLAGMASK 0xfffull
/* s390 has no pte_needs_flush of its own: the generic one flushes every
 * changed PTE (the lazy path already did the hardware part) */
#define a_pte_needs_flush(old, new) true

/* ptep_modify_prot_start: the lazy path, returns the value before it */
static inline uint64_t a_modify_prot_start(struct pgt_engine *e,
					   struct pgt_gather *g, uint64_t va,
					   void *p)
{
	uint64_t old = be64_ld(p);

	pte_flush_lazy(e, g->mm, p, old);
	return old;
}

/* ptep_modify_prot_commit: a plain store onto the now invalid entry */
static inline void a_modify_prot_commit(struct pgt_engine *e,
					struct pgt_gather *g, uint64_t va,
					void *p, uint64_t old, uint64_t new)
{
	new = s390x_store_mask(e, new);
	be64_st(p, new);
	if (S390_MM(g->mm)->has_pgste)
		s390x_pgste_commit(e, g->mm, p, new);
}

/* ptep_get_and_clear_full: exit_mmap stores plainly, munmap goes lazy */
static inline uint64_t a_get_and_clear_full(struct pgt_engine *e,
					    struct pgt_gather *g, uint64_t va,
					    void *p)
{
	uint64_t old = be64_ld(p);

	if (!g->fullmm)
		pte_flush_lazy(e, g->mm, p, old);
	be64_st(p, PTE_EMPTY);
	return old;
}

/* ptep_set_wrprotect: lazy, and only for a writable PTE */
static inline void a_set_wrprotect(struct pgt_engine *e, struct pgt_mm *mm,
				   uint64_t va, void *p)
{
	uint64_t old = be64_ld(p);

	if (!(old & SW_WRITE))
		return;
	pte_flush_lazy(e, mm, p, old);
	be64_st(p, s390x_store_mask(e, pte_wrprotect64(old)));
}

#include "pte-range.h"

#undef A_FN
#undef A_LEVEL_PTE
#undef A_ENTSIZE
#undef a_load
#undef a_store
#undef a_empty
#undef a_pte_none
#undef a_pte_present
#undef a_pte_write
#undef a_pte_dirty
#undef a_pte_special
#undef a_pte_protnone
#undef a_pte_pfn
#undef a_pte_modify
#undef a_pte_mkwrite
#undef a_pte_wrprotect
#undef a_pte_mkold
#undef a_pte_mkclean
#undef a_state
#undef A_FLAGMASK
#undef a_pte_needs_flush

/* ---- huge PMDs: 6.1 large segment entries (thp.md §2.5, §6.2) ---- */

static inline uint64_t pmd_mkyoung64(uint64_t v)
{
	v |= SEG_YOUNG;
	return (v & SEG_READ) ? v & ~SEG_I : v;
}

static inline uint64_t pmd_mkold64(uint64_t v)
{
	return (v & ~SEG_YOUNG) | SEG_I;
}

static inline uint64_t pmd_mkdirty64(uint64_t v)
{
	v |= SEG_DIRTY | SEG_SOFT_DIRTY;
	return (v & SEG_WRITE) ? v & ~SEG_P : v;
}

static inline uint64_t pmd_mkwrite64(uint64_t v)
{
	v |= SEG_WRITE;
	return (v & SEG_DIRTY) ? v & ~SEG_P : v;
}

static inline uint64_t pmd_wrprotect64(uint64_t v)
{
	return (v & ~SEG_WRITE) | SEG_P;
}

/* massage_pgprot_pmd: the segment form of a PTE protection */
static uint64_t massage_prot(uint64_t prot)
{
	uint64_t iep = (prot & PTE_IEP) ? SEG_IEP : 0;

	if (!(prot & SW_READ))
		return SEG_I | SEG_P;			/* PAGE_NONE */
	if (prot & SW_WRITE)
		return SEG_READ | SEG_WRITE | iep;	/* RW, RWX */
	return SEG_P | SEG_READ | iep;			/* RO, RX */
}

static uint64_t s390x_pmd_modify(uint64_t v, uint64_t prot)
{
	v &= SEG_ORIGIN_LARGE | SEG_DIRTY | SEG_YOUNG | SEG_FC | SEG_SOFT_DIRTY;
	v |= massage_prot(prot);
	if (!(v & SEG_DIRTY))
		v |= SEG_P;
	if (!(v & SEG_YOUNG))
		v |= SEG_I;
	return v;
}

static uint64_t pmd_store_mask(struct pgt_engine *e, uint64_t v)
{
	/* set_pmd_at clears IEP without facility 130 */
	return s390_priv(e)->nx ? v : v & ~SEG_IEP;
}

/* mk_huge_pmd = pmd_mkhuge(mk_pmd): FC, YOUNG and P; a new THP is
 * made dirty (and writable in a VM_WRITE VMA), the huge zero page not */
static uint64_t s390x_mk_huge_pmd(struct pgt_engine *e, uint64_t pfn,
				  uint64_t prot, bool write_dirty)
{
	struct sim_frame *f = simmem_frame(&pgt_mach(e)->mem, pfn << 12);
	uint64_t v = (pfn << 12) | massage_prot(prot) | SEG_FC | SEG_YOUNG |
		     SEG_P;

	if (write_dirty)
		v = pmd_mkwrite64(pmd_mkdirty64(v));
	else if (f && !(f->flags & SIMF_ZERO))
		v = pmd_mkdirty64(v);	/* maybe_pmd_mkwrite(pmd_mkdirty()) */
	return pmd_store_mask(e, v);
}

static uint64_t s390x_pmd_mkold_wrprotect(uint64_t v)
{
	return pmd_mkold64(pmd_wrprotect64(v));
}

/* pmd_mkold, pmd_mkclean (arch/s390/include/asm/pgtable.h): the
 * invalid and protection bits catch the next access and write */
static uint64_t s390x_pmd_mkold_clean(uint64_t v)
{
	return (pmd_mkold64(v) & ~SEG_DIRTY) | SEG_P;
}

static uint64_t s390x_pmd_mkyoung_dirty_write(uint64_t v, bool write)
{
	v = pmd_mkyoung64(v);
	if (write)
		v = pmd_mkwrite64(pmd_mkdirty64(v));
	return v;
}

static bool s390x_pmd_huge(uint64_t v)
{
	return v != SEG_EMPTY && (v & SEG_FC);
}

static bool s390x_pmd_write(uint64_t v) { return v & SEG_WRITE; }
static bool s390x_pmd_young(uint64_t v) { return v & SEG_YOUNG; }

static bool s390x_pmd_protnone(uint64_t v)
{
	return s390x_pmd_huge(v) && !(v & SEG_READ);
}

static uint64_t s390x_pmd_pfn(uint64_t v)
{
	return (v & SEG_ORIGIN_LARGE) >> 12;
}

/* __split_huge_pmd_locked, 6.1 (thp.md §4.2/§4.3): 0x317 after fork,
 * 0x337 for an exclusive writable THP; the dirty bit is not carried */
static uint64_t s390x_split_pte(struct pgt_engine *e, uint64_t old,
				uint64_t pfn, uint64_t prot, bool vm_write)
{
	uint64_t pte = s390x_mk_pte(e, pfn, prot);

	if (vm_write)
		pte = pte_mkwrite64(pte);
	if (!(old & SEG_WRITE))
		pte = pte_wrprotect64(pte);
	if (!(old & SEG_YOUNG))
		pte = pte_mkold64(pte);
	if (old & SEG_SOFT_DIRTY)
		pte |= SW_SOFT_DIRTY;
	return s390x_store_mask(e, pte);
}

/* store a segment entry; the event shows the value before the primitive
 * (a lazy path's transient I store is not an entry change of its own) */
static void set_pmd(struct pgt_engine *e, struct pgt_mm *mm, uint64_t va,
		    void *slot, uint64_t old, uint64_t v)
{
	be64_st(slot, v);
	pgt_ev_entry(e, mm, L_SGT, va, slot, old, v);
}

/* pmdp_invalidate: direct path, the I bit ORed in; returns the old */
static uint64_t s390x_pmdp_invalidate(struct pgt_engine *e, struct pgt_mm *mm,
				      uint64_t va, void *slot)
{
	uint64_t old = be64_ld(slot);

	pmd_flush_direct(e, mm, old);
	set_pmd(e, mm, va, slot, old, old | SEG_I);
	return old;
}

/* pmdp_huge_get_and_clear (huge zero split): direct, then empty */
static uint64_t s390x_pmdp_huge_clear_flush(struct pgt_engine *e,
					    struct pgt_mm *mm, uint64_t va,
					    void *slot)
{
	uint64_t old = be64_ld(slot);

	pmd_flush_direct(e, mm, old);
	set_pmd(e, mm, va, slot, old, SEG_EMPTY);
	return old;
}

/* zap: plain store when full, lazy otherwise; the caller reports it */
static uint64_t s390x_pmdp_get_and_clear_full(struct pgt_engine *e,
					      struct pgt_gather *g,
					      uint64_t va, void *slot)
{
	uint64_t old = be64_ld(slot);

	if (!g->fullmm)
		pmd_flush_lazy(e, g->mm, slot, old);
	be64_st(slot, SEG_EMPTY);
	return old;
}

/* fork: lazy, only if writable */
static void s390x_pmdp_set_wrprotect(struct pgt_engine *e, struct pgt_mm *mm,
				     uint64_t va, void *slot)
{
	uint64_t old = be64_ld(slot);

	if (!(old & SEG_WRITE))
		return;
	pmd_flush_lazy(e, mm, slot, old);
	set_pmd(e, mm, va, slot, old, pmd_store_mask(e, pmd_wrprotect64(old)));
}

/* change_huge_pmd: pmdp_invalidate_ad (direct), pmd_modify of the old
 * value, set_pmd_at; s390 flushes every changed huge PMD */
static void s390x_change_huge_pmd(struct pgt_engine *e, struct pgt_gather *g,
				  uint64_t va, void *slot, uint64_t newprot)
{
	uint64_t old = be64_ld(slot), new;

	pmd_flush_direct(e, g->mm, old);
	new = pmd_store_mask(e, s390x_pmd_modify(old, newprot));
	set_pmd(e, g->mm, va, slot, old, new);
	pgt_gather_add(g, va, va + HPAGE_SIZE, true);
	pgt_trans(e, pmd_state(e, old), pmd_state(e, new));
}

/* pmdp_set_access_flags: direct, skipped if unchanged */
static void s390x_pmdp_set_access_flags(struct pgt_engine *e,
					struct pgt_mm *mm, uint64_t va,
					void *slot, uint64_t pmd)
{
	uint64_t old = be64_ld(slot);

	pmd = pmd_store_mask(e, pmd);
	if (old == pmd)
		return;
	pmd_flush_direct(e, mm, old);
	set_pmd(e, mm, va, slot, old, pmd);
}

static void s390x_pmd_hw_touch(struct pgt_engine *e, struct pgt_mm *mm,
			       uint64_t va, void *slot, bool write)
{
}

static bool s390x_pmd_access_ok(struct pgt_engine *e, uint64_t v, bool write)
{
	if (v & SEG_I)
		return false;
	return !write || !(v & SEG_P);
}

/* ---- deposited page tables (thp.md §2.4) ---- */

static inline unsigned half_of(uint64_t pa)
{
	return (unsigned)(pa >> 11) & 1;
}

static bool linked(struct pgt_engine *e, uint64_t pt)
{
	uint16_t *t = s390_tag(e, pt);

	return t && (*t & TAG_LINK(half_of(pt)));
}

/* pgtable_trans_huge_withdraw: the list links become empty PTEs again */
static void links_restore(struct pgt_engine *e, uint64_t pt)
{
	uint16_t *t = s390_tag(e, pt);
	uint8_t *p = pgt_phys(e, pt);

	if (!t || !p || !(*t & TAG_LINK(half_of(pt))))
		return;
	*t &= ~TAG_LINK(half_of(pt));
	be64_st(p, PTE_EMPTY);
	be64_st(p + 8, PTE_EMPTY);
}

static bool in_ring(const uint64_t *ring, size_t n, uint64_t pt)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ring[i] == pt)
			return true;
	return false;
}

/*
 * The list of deposited tables of one PMD table, in list order from its
 * head: each table's PTE slot 0 holds the next table's address, slot 1
 * the previous one's (s390 keeps the list_head inside the table; the
 * kernel's direct map is the identity).  A withdrawal removes the head:
 * the new head's old "prev" link names it, and its slots become 0x400.
 * When the last one is withdrawn (n = 0) the engine does not say which
 * it was; its slots are restored when it is freed (table_free) or
 * overwritten when the split links it (upper_populate).
 */
static void s390x_deposit_links(struct pgt_engine *e, const uint64_t *ring,
				size_t n)
{
	size_t i;

	if (n && linked(e, ring[0])) {
		uint64_t prev = be64_ld(pgt_phys(e, ring[0]) + 8);

		if (prev != ring[n - 1] && linked(e, prev) &&
		    !in_ring(ring, n, prev))
			links_restore(e, prev);
	}
	for (i = 0; i < n; i++) {
		uint8_t *p = pgt_phys(e, ring[i]);
		uint16_t *t = s390_tag(e, ring[i]);

		be64_st(p, ring[(i + 1) % n]);
		be64_st(p + 8, ring[(i + n - 1) % n]);
		if (t)
			*t |= TAG_LINK(half_of(ring[i]));
	}
}

/* ---- page tables: fragments (s390.md §3.2) ---- */

static bool whole_tables(struct pgt_engine *e, struct pgt_mm *mm)
{
	return S390_MM(mm)->alloc_pgste || pgt_mach(e)->profile == S390X_V6_8;
}

/* S4: a table handed out must hold only empty PTEs */
static void check_fresh(struct pgt_engine *e, struct pgt_mm *mm, uint64_t pt)
{
	const uint8_t *p = pgt_phys(e, pt);
	unsigned i;

	for (i = 0; i < 256; i++)
		if (be64_ld(p + 8 * i) != PTE_EMPTY) {
			s390_note_bad(e, "invariant S4 violated at op %lu (mm %d): page table 0x%llx handed out with PTE %u = 0x%llx",
				      pgt_mach(e)->op_index, mm->id,
				      (unsigned long long)pt, i,
				      (unsigned long long)be64_ld(p + 8 * i));
			return;
		}
}

/*
 * G9: a table is only ever freed empty.  Not checked for R2/R1 tables:
 * after an upgrade, entry 0 links the old top, and free_pgd_range never
 * walks there if no VMA is left below the old limit, so the kernel frees
 * the new top's child with that link still in it (and leaks the old top).
 * Real processes always have VMAs below 4 TiB; a trace may not.
 */
static void check_freed(struct pgt_engine *e, struct pgt_mm *mm, int level,
			uint64_t pa)
{
	const struct pgt_level *L = &s390x_levels[level];
	const uint8_t *p = pgt_phys(e, pa);
	unsigned i;

	if (level < L_R3)
		return;
	for (i = 0; i < L->nentries; i++)
		if (be64_ld(p + 8 * i) != L->empty) {
			s390_note_bad(e, "invariant G9 violated at op %lu (mm %d): %s table 0x%llx freed with entry %u = 0x%llx",
				      pgt_mach(e)->op_index, mm->id, L->name,
				      (unsigned long long)pa, i,
				      (unsigned long long)be64_ld(p + 8 * i));
			return;
		}
}

/* a fragment from the first listed page, if it has a usable half */
static bool frag_from_list(struct pgt_engine *e, struct pgt_mm *mm,
			   uint64_t *pa, int *half)
{
	struct s390_mm *sm = S390_MM(mm);
	uint64_t page;
	uint16_t *t;
	unsigned m, bit;

	if (!sm->nlist)
		return false;
	page = sm->list[0];
	t = s390_tag(e, page);
	/* a half is free only if its A and its P bit are both 0 */
	m = (*t | *t >> 4) & TAG_AMASK64;
	if (m == TAG_AMASK64)
		return false;
	bit = m & 1;		/* lower half busy: take the upper one */
	*t |= TAG_A(bit);
	s390_list_del(sm, page);
	*pa = page + 2048ull * bit;
	*half = (int)bit;
	check_fresh(e, mm, *pa);
	return true;
}

static int pt_alloc(struct pgt_engine *e, struct pgt_mm *mm, uint64_t *pa)
{
	bool whole = whole_tables(e, mm);
	int half = -1;
	uint64_t page;
	uint16_t *t;

	if (!whole && frag_from_list(e, mm, pa, &half))
		goto out;
	if (simmem_alloc(&pgt_mach(e)->mem, 0, true, &page))
		return -ENOMEM;
	t = s390_tag(e, page);
	if (whole) {
		/* PTEs empty, the second half zero: PGSTEs or unused */
		s390_fill(pgt_phys(e, page), 256, 8, PTE_EMPTY);
		*t = TAG_PT | TAG_WHOLE | TAG_AMASK64;
	} else {
		/* a fresh page: both halves empty, the lower one taken */
		s390_fill(pgt_phys(e, page), 512, 8, PTE_EMPTY);
		*t = TAG_PT | TAG_A(0);
		s390_list_add(S390_MM(mm), page, false);
		half = 0;
	}
	*pa = page;
out:
	mm->nr_tables[L_PT]++;
	pgt_ev_table(e, mm, true, L_PT, *pa, half < 0 ? 4096 : 2048, half);
	return 0;
}

static void pt_free_page(struct pgt_engine *e, uint64_t pa)
{
	simmem_free(&pgt_mach(e)->mem, pa & ~0xfffull);
}

/* page_table_free: immediate (pte_free, e.g. a withdrawn deposit) */
static void pt_free_now(struct pgt_engine *e, struct pgt_mm *mm, uint64_t pa)
{
	struct s390_mm *sm = S390_MM(mm);
	uint16_t *t = s390_tag(e, pa);
	unsigned bit = half_of(pa);
	uint64_t page = pa & ~0xfffull;

	links_restore(e, pa);
	check_freed(e, mm, L_PT, pa);
	pgt_ev_table(e, mm, false, L_PT, pa,
		     (*t & TAG_WHOLE) ? 4096 : 2048,
		     (*t & TAG_WHOLE) ? -1 : (int)bit);
	if (*t & TAG_WHOLE) {
		pt_free_page(e, pa);
		return;
	}
	/* A -> P, relink, then P cleared at once */
	*t ^= TAG_A(bit) | TAG_P(bit);
	if (*t & TAG_AMASK64)
		s390_list_add(sm, page, false);
	else
		s390_list_del(sm, page);
	*t &= ~TAG_P(bit);
	if (!(*t & (TAG_AMASK64 | TAG_PMASK64)))
		pt_free_page(e, pa);
}

/* page_table_free_rcu: A -> P now, the P bit cleared at release */
static void pt_free_deferred(struct pgt_engine *e, struct pgt_mm *mm,
			     uint64_t pa)
{
	struct s390_mm *sm = S390_MM(mm);
	uint16_t *t = s390_tag(e, pa);
	unsigned bit = half_of(pa);

	if (*t & TAG_WHOLE)
		return;		/* tagged 3 in the batch: freed whole */
	*t ^= TAG_A(bit) | TAG_P(bit);
	if (*t & TAG_AMASK64)
		s390_list_add(sm, pa & ~0xfffull, true);
	else
		s390_list_del(sm, pa & ~0xfffull);
}

/* __tlb_remove_table: clear P (or both A bits of a 4 KiB table) */
static void pt_release(struct pgt_engine *e, struct pgt_mm *mm, uint64_t pa)
{
	uint16_t *t = s390_tag(e, pa);
	unsigned bit = half_of(pa);
	bool whole = *t & TAG_WHOLE;

	links_restore(e, pa);
	check_freed(e, mm, L_PT, pa);
	pgt_ev_table(e, mm, false, L_PT, pa, whole ? 4096 : 2048,
		     whole ? -1 : (int)bit);
	if (whole) {
		pt_free_page(e, pa);
		return;
	}
	*t &= ~TAG_P(bit);
	if (!(*t & (TAG_AMASK64 | TAG_PMASK64)))
		pt_free_page(e, pa);
}

static int s390x_table_alloc(struct pgt_engine *e, struct pgt_mm *mm,
			     int level, uint64_t *pa)
{
	if (level == L_PT)
		return pt_alloc(e, mm, pa);
	return s390_crst_alloc(e, mm, level, 2, pa);
}

static void s390x_table_free(struct pgt_engine *e, struct pgt_mm *mm,
			     int level, uint64_t pa)
{
	mm->nr_tables[level]--;
	if (level == L_PT)
		pt_free_now(e, mm, pa);
	else
		s390_crst_free(e, mm, level, pa);
}

/* pte_free_tlb & co (s390.md §5.1): flush_mm before any release */
static void s390x_table_free_tlb(struct pgt_engine *e, struct pgt_gather *g,
				 int level, uint64_t pa)
{
	S390_MM(g->mm)->flush_mm = true;
	g->mm->nr_tables[level]--;
	if (level == L_PT)
		pt_free_deferred(e, g->mm, pa);
}

static void s390x_table_release(struct pgt_engine *e, struct pgt_mm *mm,
				int level, uint64_t pa)
{
	if (level == L_PT) {
		pt_release(e, mm, pa);
		return;
	}
	check_freed(e, mm, level, pa);
	s390_crst_free(e, mm, level, pa);
}

/* ---- upper entries ---- */

/* linked region entry: origin | TT of the table holding it | TL 3 */
static inline uint64_t region_link(int level, uint64_t table)
{
	return table | ((uint64_t)(L_SGT - level) << 2) | RTE_TL;
}

static enum pgt_ent_kind s390x_upper_kind(struct pgt_engine *e, int level,
					  uint64_t ent, uint64_t *table)
{
	if (ent == s390x_levels[level].empty)
		return PGT_ENT_EMPTY;
	if (level == L_SGT) {
		if (ent & SEG_FC)
			return PGT_ENT_LEAF;
		if (ent & SEG_I)
			return PGT_ENT_NOTPRESENT;
		*table = ent & SEG_ORIGIN;
		return PGT_ENT_TABLE;
	}
	if (level == L_R3 && (ent & RTE_FC))
		return PGT_ENT_LEAF;
	if (ent & RTE_I)
		return PGT_ENT_NOTPRESENT;
	*table = ent & RTE_ORIGIN;
	return PGT_ENT_TABLE;
}

static void store_entry(struct pgt_engine *e, struct pgt_mm *mm, int level,
			uint64_t va, void *slot, uint64_t val)
{
	uint64_t old = be64_ld(slot);

	be64_st(slot, val);
	pgt_ev_entry(e, mm, level, va, slot, old, val);
}

/*
 * pgd/p4d/pud_populate: origin | 0x0f / 0x0b / 0x07; pmd_populate: the
 * page-table address alone (6.1: _SEGMENT_ENTRY is 0; the dump shows
 * 0x26b2800).  The parent was empty: no flush (s390.md §5.1).
 */
static void s390x_upper_populate(struct pgt_engine *e, struct pgt_mm *mm,
				 int level, uint64_t va, void *slot,
				 uint64_t table)
{
	uint64_t val;

	if (level == L_SGT) {
		uint16_t *t = s390_tag(e, table);

		/* a withdrawn deposit the split has just filled */
		if (t)
			*t &= ~TAG_LINK(half_of(table));
		val = table;
	} else {
		val = region_link(level, table);
	}
	store_entry(e, mm, level, va, slot, val);
}

/* pmd_clear & co before *_free_tlb; no level below the top is folded */
static bool s390x_upper_clear(struct pgt_engine *e, struct pgt_gather *g,
			      int level, uint64_t va, void *slot)
{
	store_entry(e, g->mm, level, va, slot, s390x_levels[level].empty);
	return true;
}

/* ---- address spaces ---- */

static int top_level_of(uint64_t asce_limit)
{
	if (asce_limit <= S390X_REGION2_SIZE)
		return L_R3;
	if (asce_limit <= S390X_REGION1_SIZE)
		return L_R2;
	return L_R1;
}

/*
 * init_new_context: an exec'd mm starts with 3 levels (asce_limit 4 TiB);
 * a forked one inherits the parent's limit and gets a fresh top table of
 * that type (s390.md §1.3).  alloc_pgste: vm.allocate_pgste or the parent.
 */
static int s390x_mm_init(struct pgt_engine *e, struct pgt_mm *mm,
			 struct pgt_mm *parent, struct pgt_err *err)
{
	struct s390_mm *sm = S390_MM(mm);

	sm->asce_limit = parent ? S390_MM(parent)->asce_limit :
				  S390X_REGION2_SIZE;
	sm->alloc_pgste = s390_priv(e)->pgste ||
			  (parent && S390_MM(parent)->alloc_pgste);
	mm->top_level = top_level_of(sm->asce_limit);
	if (s390_crst_alloc(e, mm, mm->top_level, 2, &mm->top))
		return pgt_fail(err, PGT_ERR_LIMIT,
				"out of simulated memory for the top table of mm %d",
				mm->id);
	return PGT_OK;
}

/* pgd_free, and the per-mm state */
/*
 * pgd_free frees the top table only.  A table still linked below it after
 * exit_mmap can only be the old top of an upgrade (entry 0 of the new
 * top) when no VMA lay below 4 TiB / 8 PiB: the kernel would leak it;
 * the model frees it here so that an exited mm holds no tables (G17).
 */
static void crst_mop_up(struct pgt_engine *e, struct pgt_mm *mm, int level,
			uint64_t table)
{
	const struct pgt_level *L = &s390x_levels[level];
	uint8_t *t = pgt_phys(e, table);
	unsigned i;

	for (i = 0; t && level < L_SGT && i < L->nentries; i++) {
		uint64_t next;

		if (pgt_mach(e)->rules->upper_kind(e, level, be64_ld(t + 8 * i), &next) !=
		    PGT_ENT_TABLE)
			continue;
		crst_mop_up(e, mm, level + 1, next);
		mm->nr_tables[level + 1]--;
		s390_crst_free(e, mm, level + 1, next);
		be64_st(t + 8 * i, L->empty);
	}
}

static void s390x_mm_destroy(struct pgt_engine *e, struct pgt_mm *mm)
{
	if (mm->top)
		crst_mop_up(e, mm, mm->top_level, mm->top);
	if (mm->top) {
		mm->nr_tables[mm->top_level]--;
		s390_crst_free(e, mm, mm->top_level, mm->top);
		mm->top = 0;
	}
	s390_mm_priv_free(mm);
}

/* user ASCE: origin | P S X | designation type | TL 3 (s390.md §1.4) */
static uint64_t s390x_mm_root(struct pgt_engine *e, struct pgt_mm *mm)
{
	uint64_t dt = (uint64_t)(L_SGT - mm->top_level);

	return mm->top | ASCE_USER | (dt << 2) | ASCE_TL;
}

/*
 * crst_table_upgrade (s390.md §5.3): a new R2 table if the mm has 3
 * levels, a new R1 table if end > 8 PiB; entry 0 of each new top links
 * the old top.  Then every online CPU reloads its ASCE and purges its TLB
 * with PTLB: one here, one IPI per other CPU (design.md counting rule).
 */
static int crst_upgrade(struct pgt_engine *e, struct pgt_mm *mm, uint64_t end)
{
	struct s390_mm *sm = S390_MM(mm);
	uint64_t p4d = 0, pgd = 0;
	int from = L_SGT - mm->top_level + 2;

	if (sm->asce_limit == S390X_REGION2_SIZE &&
	    s390_crst_alloc(e, mm, L_R2, 2, &p4d))
		return -ENOMEM;
	if (end > S390X_REGION1_SIZE && s390_crst_alloc(e, mm, L_R1, 2, &pgd)) {
		if (p4d) {
			mm->nr_tables[L_R2]--;
			s390_crst_free(e, mm, L_R2, p4d);
		}
		return -ENOMEM;
	}
	if (p4d) {
		store_entry(e, mm, L_R2, 0, pgt_phys(e, p4d),
			    region_link(L_R2, mm->top));
		mm->top = p4d;
		mm->top_level = L_R2;
		sm->asce_limit = S390X_REGION1_SIZE;
	}
	if (pgd) {
		store_entry(e, mm, L_R1, 0, pgt_phys(e, pgd),
			    region_link(L_R1, mm->top));
		mm->top = pgd;
		mm->top_level = L_R1;
		sm->asce_limit = S390X_TASK_SIZE_MAX;
	}
	pgt_ev_note(e, mm, "crst_table_upgrade: %d -> %d levels, asce_limit 0x%llx, ASCE 0x%llx",
		    from, L_SGT - mm->top_level + 2,
		    (unsigned long long)sm->asce_limit,
		    (unsigned long long)s390x_mm_root(e, mm));
	pgt_flush(e, PGT_FL_PTLB, 1, R_UPG_PTLB);
	pgt_flush(e, PGT_FL_IPI, pgt_mach(e)->ncpus - 1, R_UPG_IPI);
	return 0;
}

/* check_asce_limit: upgrade when the new mapping ends above asce_limit */
static int s390x_mm_prepare_range(struct pgt_engine *e, struct pgt_mm *mm,
				  uint64_t addr, uint64_t len)
{
	uint64_t end = addr + len;

	if (len > S390X_TASK_SIZE_MAX || addr > S390X_TASK_SIZE_MAX - len)
		return -ENOMEM;
	if (end <= S390_MM(mm)->asce_limit)
		return 0;
	return crst_upgrade(e, mm, end);
}

/*
 * switch_mm + finish_arch_post_lock_switch (s390.md §6.5): the CPU joins
 * next's mm_cpumask (cpu_attach_mask is the engine's) and runs the
 * deferred flush; prev keeps its mm_cpumask bit (over-indication, S10).
 */
static void s390x_switch_mm(struct pgt_engine *e, unsigned cpu,
			    struct pgt_mm *prev, struct pgt_mm *next)
{
	if (!next)
		return;
	next->cpumask |= 1ull << cpu;
	tlb_flush_mm_lazy(e, next, R_SWITCH);
}

/* EDAT-1, and never after s390_enable_sie (thp_split_mm) */
static bool s390x_thp_possible(struct pgt_engine *e, struct pgt_mm *mm)
{
	return s390_priv(e)->edat && !S390_MM(mm)->has_pgste;
}

/* ---- global state ---- */

/* eight coloured zero pages, as in the 64 MiB dump (PFN 0x1800-0x1807):
 * setup_zero_pages picks order 3 for that memory size */
static int s390x_init(struct pgt_engine *e, struct pgt_err *err)
{
	struct s390_priv *p = s390_priv(e);
	struct sim_frame *f;
	uint64_t pa;
	unsigned i;

	p->nzero = 8;
	p->swap_next = 1;
	if (simmem_alloc(&pgt_mach(e)->mem, 3, false, &pa))
		return pgt_fail(err, PGT_ERR_LIMIT,
				"out of simulated memory for the zero pages");
	p->zero_pfn = pa >> 12;
	f = simmem_frame(&pgt_mach(e)->mem, pa);
	for (i = 0; i < p->nzero; i++)
		f[i].flags |= SIMF_ZERO;
	return PGT_OK;
}

static void s390x_fini(struct pgt_engine *e)
{
}

/* ---- walker face ---- */

static const char *const tt_name[4] = { "SGT", "R3", "R2", "R1" };

static void s390x_root_decode(uint64_t asce, struct pgt_root_info *ri)
{
	unsigned dt = (unsigned)(asce >> 2) & 3, tl = (unsigned)asce & 3;

	memset(ri, 0, sizeof(*ri));
	ri->top_level = L_SGT - (int)dt;
	ri->table = asce & ASCE_ORIGIN;
	ri->entries = (tl + 1) * 512;
	if (asce & ASCE_R)
		ri->why = "real-space control set: the ASCE designates no table";
	else if (asce & 0xc10)
		ri->why = "reserved ASCE bits 52-53 or 59 set";
	else if (tl != 3)
		ri->why = "table length TL != 3 (Linux uses 2048-entry tables only)";
}

/* an ASCE (s390.md §1): origin, designation type, table length, and the
 * control bits G 0x200, P 0x100, S 0x080, X 0x040, R 0x020 */
static void s390x_root_describe(uint64_t v, char *buf, size_t len)
{
	static const char *const dt[4] = { "segment", "region-third",
					   "region-second", "region-first" };
	unsigned tl = (unsigned)(v & 3);

	snprintf(buf, len, "origin=0x%llx DT=%s TL=%u (%u entries)%s%s%s%s%s",
		 (unsigned long long)(v & ASCE_ORIGIN), dt[(v >> 2) & 3], tl,
		 (tl + 1) * 512, v & 0x200 ? " G" : "", v & 0x100 ? " P" : "",
		 v & 0x080 ? " S" : "", v & 0x040 ? " X" : "",
		 v & ASCE_R ? " R" : "");
}

static void decode_pte(uint64_t v, struct pgt_ent_info *ei);

/*
 * The upper 2 KiB of a page whose lower half is a page table: without
 * PGSTEs both halves of a fresh page are filled with empty PTEs and serve
 * two tables; with PGSTEs the page is one table and the PGSTEs beside the
 * PTEs start at 0 (s390.md §3).  So: every entry a well-formed PTE (empty,
 * valid or swap) is a page table, all zeros is unused PGSTEs or an unused
 * half of a whole page, anything else (0 and PGSTE bits are no PTE) PGSTEs.
 */
static const char *s390x_table_page_note(struct pgt_physmem *m, int level,
					 uint64_t pa, uint32_t bytes)
{
	uint8_t b[2048];
	bool zero = true, ptes = true;
	uint32_t i;

	if (level != L_PT || (pa & 0xfff) || bytes != sizeof(b))
		return NULL;
	if (m->read(m, pa + bytes, b, bytes))
		return "lower 2 KiB half; the upper is not in memory";
	for (i = 0; i < bytes; i += 8) {
		uint64_t v = be64_ld(b + i);
		struct pgt_ent_info ei;

		zero &= !v;
		memset(&ei, 0, sizeof(ei));
		decode_pte(v, &ei);
		ptes &= ei.kind != PGT_ENT_BAD;
	}
	if (zero)
		return "lower 2 KiB half; the upper is zero (unused PGSTEs, or unused)";
	return ptes ? "lower 2 KiB half; the upper holds a page table or nothing" :
		      "lower 2 KiB half; the upper holds PGSTEs";
}

static void bad(struct pgt_ent_info *ei, const char *why)
{
	ei->kind = PGT_ENT_BAD;
	ei->why = why;
}

/* "reserved bits 55, 57 set in a segment-table entry": the bits of set,
 * numbered as the Principles of Operation does (bit 0 the leftmost) */
static void bad_bits(struct pgt_ent_info *ei, uint64_t set, const char *where)
{
	size_t n, len = sizeof(ei->whybuf);
	int b;

	n = (size_t)snprintf(ei->whybuf, len, "reserved bit%s ",
			     __builtin_popcountll(set) == 1 ? "" : "s");
	for (b = 0; b < 64 && n < len; b++)
		if (set & (1ull << (63 - b)))
			n += (size_t)snprintf(ei->whybuf + n, len - n, "%s%d",
					      set & ~(~0ull >> b) ? ", " : "", b);
	if (n < len)
		snprintf(ei->whybuf + n, len - n, " set in %s", where);
	bad(ei, ei->whybuf);
}

static unsigned hw_of(uint64_t v, uint64_t i, uint64_t p, uint64_t iep,
		      uint64_t young, uint64_t dirty)
{
	unsigned hw = 0;

	if (!(v & i)) {
		hw |= PGT_HF_R;
		if (!(v & p))
			hw |= PGT_HF_W;
		if (!(v & iep))
			hw |= PGT_HF_X;
	}
	if (v & young)
		hw |= PGT_HF_A;
	if (v & dirty)
		hw |= PGT_HF_D;
	return hw;
}

/*
 * Why Linux keeps a present entry invalid: PAGE_NONE is present, invalid
 * and protected without the software read bit (pgtable.h PAGE_NONE);
 * a readable one is invalid because it is old (pte_mkold / pmd_mkold
 * invalidate it, the next access faults and makes it young).
 */
static const char *pte_invalid_why(bool readable)
{
	return readable ? "old (invalid until the next access makes it young)" :
			  "PROT_NONE";
}

static void decode_pte(uint64_t v, struct pgt_ent_info *ei)
{
	if (v == PTE_EMPTY) {
		ei->kind = PGT_ENT_EMPTY;
		return;
	}
	if (!(v & PTE_I)) {
		if (v & PTE_BIT52)
			return bad(ei, "bit 52 set in a valid PTE (specification exception)");
		if (!(v & SW_PRESENT))
			return bad(ei, "valid PTE without the software present bit");
	} else if (!(v & SW_PRESENT)) {
		if ((v & (PTE_P | SW_PRESENT)) == PTE_P) {
			ei->kind = PGT_ENT_NOTPRESENT;
			ei->what = "swap entry";
			return;
		}
		return bad(ei, "invalid PTE that is neither empty, present nor a swap entry");
	}
	ei->kind = PGT_ENT_LEAF;
	ei->pa = v & PTE_ORIGIN;
	ei->size = 4096;
	ei->hw = hw_of(v, PTE_I, PTE_P, PTE_IEP, SW_YOUNG, SW_DIRTY);
	ei->linux_present = true;
	if (v & PTE_I)
		ei->what = pte_invalid_why(v & SW_READ);
}

static void decode_seg(uint64_t v, struct pgt_ent_info *ei)
{
	if (v == SEG_EMPTY) {
		ei->kind = PGT_ENT_EMPTY;
		return;
	}
	if (v & SEG_TT)
		return bad(ei, "table type is not 'segment' in a segment table");
	if (v & SEG_FC) {
		ei->kind = PGT_ENT_LEAF;
		ei->pa = v & SEG_ORIGIN_LARGE;
		ei->size = HPAGE_SIZE;
		ei->hw = hw_of(v, SEG_I, SEG_P, SEG_IEP, SEG_YOUNG, SEG_DIRTY);
		ei->linux_present = true;
		if (v & SEG_I)
			ei->what = pte_invalid_why(v & SEG_READ);
		return;
	}
	if (v & SEG_I)
		return bad(ei, "invalid bit set in a segment entry that is not the empty value");
	/* bit 63 is the later kernels' software PRESENT: accepted */
	if (v & 0x1c2)
		return bad_bits(ei, v & 0x1c2, "a segment-table entry");
	ei->kind = PGT_ENT_TABLE;
	ei->next = v & SEG_ORIGIN;
	ei->next_entries = 256;
	if (v & SEG_P)
		ei->deny = PGT_HF_W;
}

static void decode_region(int level, uint64_t v, struct pgt_ent_info *ei)
{
	unsigned tt = (unsigned)(v >> 2) & 3, want = (unsigned)(L_SGT - level);

	if (v == s390x_levels[level].empty) {
		ei->kind = PGT_ENT_EMPTY;
		return;
	}
	if (tt != want)
		return bad(ei, "table type does not match the level (TT mismatch)");
	if (level == L_R3 && (v & RTE_FC)) {
		ei->kind = PGT_ENT_LEAF;	/* 2 GiB page (EDAT-2) */
		ei->pa = v & ~0x7fffffffull;
		ei->size = 1ull << 31;
		ei->hw = hw_of(v, RTE_I, RTE_P, RTE_NOEXEC, SEG_YOUNG,
			       SEG_DIRTY);
		ei->linux_present = true;
		return;
	}
	if (v & RTE_FC)
		return bad(ei, "format control set in a region-first/second entry");
	if (v & RTE_I)
		return bad(ei, "invalid bit set in a region entry that is not the empty value");
	if (v & (0x800 | RTE_NOEXEC))
		return bad_bits(ei, v & (0x800 | RTE_NOEXEC), "a region entry");
	if (v & RTE_TF)
		return bad(ei, "table offset TF != 0 (Linux never offsets tables)");
	/* Linux allocates every region and segment table whole (4 pages,
	 * 2048 entries) and always writes TL = 3 (s390.md §2) */
	if ((v & RTE_TL) != 3)
		return bad(ei, "table length TL != 3 (Linux tables have 2048 entries)");
	ei->kind = PGT_ENT_TABLE;
	ei->next = v & RTE_ORIGIN;
	ei->next_entries = ((unsigned)(v & RTE_TL) + 1) * 512;
	if (v & RTE_P)
		ei->deny = PGT_HF_W;
}

static void s390x_entry_decode(int level, uint64_t raw,
			       struct pgt_ent_info *ei)
{
	memset(ei, 0, sizeof(*ei));
	if (level < L_R1 || level > L_PT)
		bad(ei, "not a DAT-table level (a PGSTE or no level)");
	else if (level == L_PT)
		decode_pte(raw, ei);
	else if (level == L_SGT)
		decode_seg(raw, ei);
	else
		decode_region(level, raw, ei);
}

/* decode_pte, counted (big-endian entries); false on anything that
 * decode_pte calls malformed, so the walker reports it */
static bool s390x_count_leaves(const uint8_t *buf, uint32_t n,
			       uint64_t *leaves, uint64_t *pages,
			       uint64_t *protnone)
{
	uint64_t p = 0, pn = 0;
	uint32_t i;

	for (i = 0; i < n; i++) {
		uint64_t v;

		memcpy(&v, buf + 8 * (size_t)i, 8);
		v = __builtin_bswap64(v);
		if (v == PTE_EMPTY)
			continue;
		if (!(v & PTE_I)) {
			if ((v & PTE_BIT52) || !(v & SW_PRESENT))
				return false;
			p++;
		} else if (v & SW_PRESENT) {
			pn++;
		} else if ((v & (PTE_P | SW_PRESENT)) != PTE_P) {
			return false;
		}
	}
	*leaves += p + pn;
	*pages += p;
	*protnone += pn;
	return true;
}

struct bitname {
	uint64_t bit;
	const char *name;
};

static size_t sw_list(char *buf, size_t len, uint64_t v,
		      const struct bitname *b, size_t nb)
{
	size_t n = 0, i;
	bool any = false;

	for (i = 0; i < nb; i++)
		if (v & b[i].bit) {
			n += (size_t)snprintf(buf + n, n < len ? len - n : 0,
					      "%s%s", any ? "," : "", b[i].name);
			any = true;
		}
	if (!any)
		n += (size_t)snprintf(buf, len, "-");
	return n;
}

static const struct bitname pte_sw[] = {
	{ SW_PRESENT, "present" }, { SW_YOUNG, "young" },
	{ SW_DIRTY, "dirty" }, { SW_READ, "read" }, { SW_WRITE, "write" },
	{ SW_SOFT_DIRTY, "soft-dirty" }, { SW_SPECIAL, "special" },
	{ SW_UNUSED, "unused" },
};

static const struct bitname seg_sw[] = {
	{ SEG_READ, "read" }, { SEG_WRITE, "write" }, { SEG_YOUNG, "young" },
	{ SEG_DIRTY, "dirty" }, { SEG_SOFT_DIRTY, "soft-dirty" },
};

#define NB(a) (sizeof(a) / sizeof((a)[0]))

static int describe_pte(uint64_t v, char *buf, size_t len)
{
	size_t n;

	if (v == PTE_EMPTY)
		return snprintf(buf, len, "empty");
	if (!(v & SW_PRESENT) && (v & PTE_P))
		return snprintf(buf, len, "swap offset=0x%llx type=%u excl=%d soft-dirty=%d",
				(unsigned long long)(v >> 12),
				(unsigned)(v >> 2) & 0x1f, !!(v & PTE_BIT52),
				!!(v & SW_SOFT_DIRTY));
	n = (size_t)snprintf(buf, len, "pfn=0x%llx I=%d P=%d IEP=%d sw=",
			     (unsigned long long)(v >> 12), !!(v & PTE_I),
			     !!(v & PTE_P), !!(v & PTE_IEP));
	n += sw_list(buf + n, n < len ? len - n : 0, v, pte_sw, NB(pte_sw));
	if ((v & (SW_PRESENT | PTE_I | SW_READ)) == (SW_PRESENT | PTE_I))
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0,
				      " PROT_NONE");
	return (int)n;
}

static int describe_large(uint64_t v, uint64_t mask, char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "frame=0x%llx FC=1 I=%d P=%d IEP=%d sw=",
				    (unsigned long long)(v & mask),
				    !!(v & SEG_I), !!(v & SEG_P),
				    !!(v & SEG_IEP));

	n += sw_list(buf + n, n < len ? len - n : 0, v, seg_sw, NB(seg_sw));
	if ((v & (SEG_I | SEG_READ)) == SEG_I)
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0,
				      " PROT_NONE");
	return (int)n;
}

/* a PGSTE (s390.md §3.3): the parts this model uses */
static int describe_pgste(uint64_t v, char *buf, size_t len)
{
	static const char *const usage[] = { "stable", "unused",
					     "pot-volatile", "volatile" };

	return snprintf(buf, len, "pgste usage=%s zero=%d gc=%d uc=%d pcl=%d",
			usage[(v & PGSTE_USAGE) >> PGSTE_USAGE_SHIFT],
			!!(v & PGSTE_ZERO), !!(v & PGSTE_GC),
			!!(v & PGSTE_UC), !!(v & PGSTE_PCL));
}

static int s390x_entry_describe(int level, uint64_t v, char *buf, size_t len)
{
	size_t n;

	if (level == L_PGSTE)
		return describe_pgste(v, buf, len);
	if (level < L_R1 || level > L_PT)
		return snprintf(buf, len, "0x%llx", (unsigned long long)v);
	if (level == L_PT)
		return describe_pte(v, buf, len);
	if (v == s390x_levels[level].empty)
		return snprintf(buf, len, "empty");
	if (level == L_SGT && (v & SEG_FC))
		return describe_large(v, SEG_ORIGIN_LARGE, buf, len);
	if (level == L_R3 && (v & RTE_FC))
		return describe_large(v, ~0x7fffffffull, buf, len);
	if (level == L_SGT)
		n = (size_t)snprintf(buf, len, "origin=0x%llx TT=%s",
				     (unsigned long long)(v & SEG_ORIGIN),
				     tt_name[(v >> 2) & 3]);
	else
		n = (size_t)snprintf(buf, len, "origin=0x%llx TT=%s TL=%u",
				     (unsigned long long)(v & RTE_ORIGIN),
				     tt_name[(v >> 2) & 3],
				     (unsigned)(v & RTE_TL));
	if (level != L_SGT && (v & RTE_TF))
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0, " TF=%u",
				      (unsigned)(v >> 6) & 3);
	if (v & RTE_I)
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0, " I=1");
	if (v & RTE_P)
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0, " P=1");
	return (int)n;
}

/* ---- --check: S1, S3-S6, S8, S10-S12 (invariants.md §B) ---- */

struct ptref {
	uint64_t pa;	/* page table linked from a segment entry */
	int mm;
};

struct chk {
	struct pgt_engine *e;
	struct pgt_err *err;
	struct pgt_mm *mm;
	struct ptref *ref;
	size_t nref, cref;
	int rc;
};

#define FAIL(c, inv_, ...)                                                     \
	((c)->rc = s390_inv((c)->e, (c)->err, (inv_),                         \
			    (c)->mm ? (c)->mm->id : 0, __VA_ARGS__))

static void ref_add(struct chk *c, uint64_t pa)
{
	if (c->nref == c->cref) {
		size_t n = c->cref ? c->cref * 2 : 256;
		struct ptref *r = realloc(c->ref, n * sizeof(*r));

		if (!r)
			return;	/* best effort */
		c->ref = r;
		c->cref = n;
	}
	c->ref[c->nref].pa = pa;
	c->ref[c->nref].mm = c->mm->id;
	c->nref++;
}

/* S11 (derived I and P), S12 (NOEXEC only with NX) for one PTE */
static int chk_pte(struct chk *c, uint8_t *slot, uint64_t va, uint64_t v)
{
	bool nx = s390_priv(c->e)->nx;
	unsigned long long pa = (unsigned long long)pgt_slot_pa(c->e, slot);

	if (v == PTE_EMPTY)
		return 0;
	if (!nx && (v & SW_PRESENT) && (v & PTE_IEP))
		return FAIL(c, "S12", "PTE at 0x%llx for va 0x%llx = 0x%llx: IEP set without facility 130",
			    pa, (unsigned long long)va, (unsigned long long)v);
	if (!(v & SW_PRESENT)) {
		if ((v & (PTE_P | SW_PRESENT)) != PTE_P || !(v & PTE_I))
			return FAIL(c, "S11", "PTE at 0x%llx for va 0x%llx = 0x%llx: neither none (0x400), present nor a swap entry",
				    pa, (unsigned long long)va,
				    (unsigned long long)v);
		return 0;
	}
	if (!!(v & PTE_I) != !((v & SW_YOUNG) && (v & SW_READ)))
		return FAIL(c, "S11", "PTE at 0x%llx for va 0x%llx = 0x%llx: I must be set unless young and readable",
			    pa, (unsigned long long)va, (unsigned long long)v);
	if (!!(v & PTE_P) != !((v & SW_WRITE) && (v & SW_DIRTY)))
		return FAIL(c, "S11", "PTE at 0x%llx for va 0x%llx = 0x%llx: P must be set unless writable and dirty",
			    pa, (unsigned long long)va, (unsigned long long)v);
	if (v & PTE_BIT52)
		return FAIL(c, "S11", "PTE at 0x%llx for va 0x%llx = 0x%llx: bit 52 set in a present PTE",
			    pa, (unsigned long long)va, (unsigned long long)v);
	return 0;
}

/* S6: PGSTE tables are whole 4 KiB pages, no PCL bit left set */
static int chk_pgste(struct chk *c, uint64_t pt, uint64_t base)
{
	uint16_t *t = s390_tag(c->e, pt);
	uint8_t *p = pgt_phys(c->e, pt);
	unsigned i;

	if ((pt & 0xfff) || !t || !(*t & TAG_WHOLE))
		return FAIL(c, "S6", "page table 0x%llx for va 0x%llx of a PGSTE mm is not a whole 4 KiB page",
			    (unsigned long long)pt, (unsigned long long)base);
	for (i = 0; i < 256; i++)
		if (be64_ld(p + 2048 + 8 * i) & PGSTE_PCL)
			return FAIL(c, "S6", "PGSTE of va 0x%llx (at 0x%llx) has PCL set outside a critical section",
				    (unsigned long long)(base + ((uint64_t)i << 12)),
				    (unsigned long long)(pt + 2048 + 8 * i));
	return 0;
}

static int chk_pt(struct chk *c, uint64_t pt, uint64_t base)
{
	uint8_t *p = pgt_phys(c->e, pt);
	unsigned i;

	for (i = 0; i < 256; i++)
		if (chk_pte(c, p + 8 * i, base + ((uint64_t)i << 12),
			    be64_ld(p + 8 * i)))
			return c->rc;
	if (S390_MM(c->mm)->alloc_pgste)
		return chk_pgste(c, pt, base);
	return 0;
}

static int chk_huge(struct chk *c, uint64_t va, uint64_t v)
{
	if (!s390_priv(c->e)->nx && (v & SEG_IEP))
		return FAIL(c, "S12", "huge PMD for va 0x%llx = 0x%llx: IEP set without facility 130",
			    (unsigned long long)va, (unsigned long long)v);
	if (!!(v & SEG_I) != !((v & SEG_YOUNG) && (v & SEG_READ)))
		return FAIL(c, "S11", "huge PMD for va 0x%llx = 0x%llx: I must be set unless young and readable",
			    (unsigned long long)va, (unsigned long long)v);
	if (!!(v & SEG_P) != !((v & SEG_WRITE) && (v & SEG_DIRTY)))
		return FAIL(c, "S11", "huge PMD for va 0x%llx = 0x%llx: P must be set unless writable and dirty",
			    (unsigned long long)va, (unsigned long long)v);
	return 0;
}

static int chk_sgt(struct chk *c, uint64_t sgt, uint64_t base)
{
	uint8_t *p = pgt_phys(c->e, sgt);
	bool whole = whole_tables(c->e, c->mm);
	unsigned i;

	for (i = 0; i < 2048; i++) {
		uint64_t v = be64_ld(p + 8 * i), va = base + ((uint64_t)i << 20);

		if (v == SEG_EMPTY)
			continue;
		if (v & SEG_TT)
			return FAIL(c, "S3", "segment entry for va 0x%llx = 0x%llx has a region table type",
				    (unsigned long long)va, (unsigned long long)v);
		if (v & SEG_FC) {
			if (chk_huge(c, va, v))
				return c->rc;
			continue;
		}
		if (v & 0x7ff)
			return FAIL(c, "S3", "segment entry for va 0x%llx = 0x%llx is neither empty (0x20) nor a page-table origin",
				    (unsigned long long)va, (unsigned long long)v);
		if (whole && (v & 0x800))
			return FAIL(c, "S4", "segment entry for va 0x%llx = 0x%llx: page table not 4 KiB aligned in profile %s",
				    (unsigned long long)va, (unsigned long long)v,
				    pgt_engine_profile(c->e));
		ref_add(c, v);
		/* PTEs the operation cannot have changed were checked */
		if (pgt_check_wants(c->e, c->mm, va, va + (1u << 20) - 1) &&
		    chk_pt(c, v, va))
			return c->rc;
	}
	return 0;
}

static int chk_region(struct chk *c, int level, uint64_t table, uint64_t base)
{
	const struct pgt_level *L = &s390x_levels[level];
	uint8_t *p = pgt_phys(c->e, table);
	unsigned i;

	for (i = 0; i < L->nentries; i++) {
		uint64_t v = be64_ld(p + 8 * i);
		uint64_t va = base + ((uint64_t)i << L->shift);

		if (v == L->empty)
			continue;
		if (((v >> 2) & 3) != (uint64_t)(L_SGT - level) ||
		    (v & 0xfff) != region_link(level, 0))
			return FAIL(c, "S3", "%s entry %u for va 0x%llx = 0x%llx is neither empty (0x%llx) nor origin|0x%llx",
				    L->name, i, (unsigned long long)va,
				    (unsigned long long)v,
				    (unsigned long long)L->empty,
				    (unsigned long long)region_link(level, 0));
		if ((level + 1 == L_SGT ? chk_sgt(c, v & RTE_ORIGIN, va) :
		     chk_region(c, level + 1, v & RTE_ORIGIN, va)))
			return c->rc;
	}
	return 0;
}

/* S1: asce_limit, top level, ASCE bits and the TT of every top entry */
static int chk_asce(struct chk *c)
{
	struct pgt_mm *mm = c->mm;
	uint64_t lim = S390_MM(mm)->asce_limit;
	uint64_t asce = s390x_mm_root(c->e, mm);
	uint8_t *p = pgt_phys(c->e, mm->top);
	unsigned i, dt = (unsigned)(asce >> 2) & 3;

	if (lim != S390X_REGION2_SIZE && lim != S390X_REGION1_SIZE &&
	    lim != S390X_TASK_SIZE_MAX)
		return FAIL(c, "S1", "asce_limit 0x%llx is not 2^42, 2^53 or TASK_SIZE_MAX",
			    (unsigned long long)lim);
	if (mm->top_level != top_level_of(lim) || (asce & 0xfff) !=
	    (ASCE_USER | (dt << 2) | ASCE_TL))
		return FAIL(c, "S1", "ASCE 0x%llx does not designate a %s table for asce_limit 0x%llx",
			    (unsigned long long)asce,
			    s390x_levels[top_level_of(lim)].name,
			    (unsigned long long)lim);
	for (i = 0; i < 2048 && pgt_check_wants(c->e, mm, 0, UINT64_MAX); i++)
		if (((be64_ld(p + 8 * i) >> 2) & 3) != dt)
			return FAIL(c, "S1", "top-table entry %u = 0x%llx: TT differs from the ASCE's DT %u",
				    i, (unsigned long long)be64_ld(p + 8 * i),
				    dt);
	return 0;
}

static int chk_mm(struct chk *c)
{
	struct pgt_mm *mm = c->mm;

	if (chk_asce(c))
		return c->rc;
	if ((mm->cpumask & mm->cpu_attach) != mm->cpu_attach)
		return FAIL(c, "S10", "mm_cpumask 0x%llx misses attached CPUs 0x%llx",
			    (unsigned long long)mm->cpumask,
			    (unsigned long long)mm->cpu_attach);
	if (S390_MM(mm)->flush_mm)
		return FAIL(c, "S8", "flush_mm still set: a deferred flush was not discharged before returning");
	return chk_region(c, mm->top_level, mm->top, 0);
}

static int ref_cmp(const void *a, const void *b)
{
	const struct ptref *x = a, *y = b;

	return x->pa < y->pa ? -1 : x->pa > y->pa;
}

static const struct ptref *ref_find(const struct chk *c, uint64_t pa)
{
	struct ptref key = { pa, 0 };

	return c->nref ? bsearch(&key, c->ref, c->nref, sizeof(key), ref_cmp)
		       : NULL;
}

static bool on_some_list(struct pgt_engine *e, uint64_t page, int *owner)
{
	size_t i;

	for (i = 0; i < pgt_mach(e)->nmms; i++)
		if (pgt_mach(e)->mms[i] && !pgt_mach(e)->mms[i]->dead &&
		    s390_list_has(S390_MM(pgt_mach(e)->mms[i]), page)) {
			*owner = pgt_mach(e)->mms[i]->id;
			return true;
		}
	return false;
}

/* S5 for one page-table page (profile s390-v4.13+) */
static int chk_frag_page(struct chk *c, uint64_t page, uint16_t tag)
{
	const struct ptref *r0 = ref_find(c, page), *r1 = ref_find(c, page + 2048);
	unsigned want = (r0 ? 1u : 0u) | (r1 ? 2u : 0u), list_owner = 0;
	unsigned linkd = (tag >> 8) & 3, a = tag & TAG_AMASK64;
	int owner = 0;
	bool listed;

	c->mm = NULL;
	if (tag & TAG_WHOLE) {
		if (a != TAG_AMASK64 || on_some_list(c->e, page, &owner))
			return FAIL(c, "S5", "4 KiB page table 0x%llx: both A bits must be set and it must not be listed (tag 0x%x)",
				    (unsigned long long)page, tag);
		return 0;
	}
	if (want & linkd)
		return FAIL(c, "S5", "page table 0x%llx is deposited but also linked from a segment entry",
			    (unsigned long long)(page + 2048ull * (unsigned)
						 __builtin_ctz(want & linkd)));
	if (tag & TAG_PMASK64)
		return FAIL(c, "S5", "page 0x%llx still has pending-free bits 0x%x after the operation",
			    (unsigned long long)page, (tag >> 4) & 3);
	if (a != (want | linkd))
		return FAIL(c, "S5", "page 0x%llx has A bits 0x%x but halves 0x%x in use (linked 0x%x, deposited 0x%x)",
			    (unsigned long long)page, a, want | linkd, want,
			    linkd);
	if (r0 && r1 && r0->mm != r1->mm)
		return FAIL(c, "S5", "the halves of page 0x%llx belong to mm %d and mm %d",
			    (unsigned long long)page, r0->mm, r1->mm);
	listed = on_some_list(c->e, page, &owner);
	list_owner = (unsigned)owner;
	if (listed != (__builtin_popcount(a) == 1))
		return FAIL(c, "S5", "page 0x%llx with A bits 0x%x is %son a pgtable_list",
			    (unsigned long long)page, a, listed ? "" : "not ");
	if (listed && (r0 || r1) && (int)list_owner != (r0 ? r0->mm : r1->mm))
		return FAIL(c, "S5", "page 0x%llx is on the list of mm %u but its table belongs to mm %d",
			    (unsigned long long)page, list_owner,
			    r0 ? r0->mm : r1->mm);
	return 0;
}

static int chk_frags(struct chk *c)
{
	struct simmem *sm = &pgt_mach(c->e)->mem;
	size_t i;

	if (c->nref)
		qsort(c->ref, c->nref, sizeof(*c->ref), ref_cmp);
	for (i = 1; i < c->nref; i++)
		if (c->ref[i].pa == c->ref[i - 1].pa) {
			c->mm = NULL;
			return FAIL(c, "S5", "page table 0x%llx is linked from two segment entries (mm %d and mm %d)",
				    (unsigned long long)c->ref[i].pa,
				    c->ref[i - 1].mm, c->ref[i].mm);
		}
	if (pgt_mach(c->e)->profile != S390X_V4_13)
		return 0;
	for (i = 0; i < simmem_frames_used(sm); i++) {
		struct sim_frame *f = &sm->frames[i];

		if ((f->flags & SIMF_ALLOCATED) && (f->tag & TAG_PT) &&
		    chk_frag_page(c, (sm->base_pfn + i) << 12, f->tag))
			return c->rc;
	}
	return 0;
}

static int s390x_check(struct pgt_engine *e, struct pgt_err *err)
{
	struct chk c = { .e = e, .err = err };
	struct s390_priv *p = s390_priv(e);
	size_t i;

	if (p->bad[0])
		return pgt_fail(err, PGT_ERR_INVARIANT, "%s", p->bad);
	for (i = 0; i < pgt_mach(e)->nmms && !c.rc; i++) {
		if (!pgt_mach(e)->mms[i] || pgt_mach(e)->mms[i]->dead)
			continue;
		c.mm = pgt_mach(e)->mms[i];
		chk_mm(&c);
	}
	if (!c.rc)
		chk_frags(&c);
	free(c.ref);
	return c.rc;
}

/* ---- the format ---- */

static const struct pgt_mm_rules s390x_rules = {
	.profiles = s390x_profiles,
	.aux_level_name = "PGSTE",
	.thp_order = 8,
	.priv_size = sizeof(struct s390_priv),
	.mm_priv_size = sizeof(struct s390_mm),
	/* MMU_GATHER_NO_GATHER: data pages are not batched (review-6.1.md 5);
	 * table batch: a page of pointers after the rcu_head and count,
	 * (4096 - 24) / 8 (derived from the struct, UNVERIFIED in s390.md) */
	.page_batch_max = 0,
	.table_batch_max = 509,
	.set_option = s390_set_option,
	.init = s390x_init,
	.fini = s390x_fini,
	.describe_options = s390_describe_options,
	.mm_init = s390x_mm_init,
	.mm_destroy = s390x_mm_destroy,
	.mm_priv_clone = s390_mm_priv_clone,
	.mm_priv_free = s390_mm_priv_free,
	.mm_prepare_range = s390x_mm_prepare_range,
	.mm_root = s390x_mm_root,
	.switch_mm = s390x_switch_mm,
	.thp_possible = s390x_thp_possible,
	.table_alloc = s390x_table_alloc,
	.table_free = s390x_table_free,
	.table_free_tlb = s390x_table_free_tlb,
	.table_release = s390x_table_release,
	.upper_kind = s390x_upper_kind,
	.upper_populate = s390x_upper_populate,
	.upper_clear = s390x_upper_clear,
	.vm_prot = s390x_vm_prot,
	.mk_pte = s390x_mk_pte,
	.pte_mkwrite = s390x_pte_mkwrite,
	.pte_mkdirty = s390x_pte_mkdirty,
	.pte_mkyoung = s390x_pte_mkyoung,
	.pte_mkold = s390x_pte_mkold,
	.pte_wrprotect = s390x_pte_wrprotect,
	.pte_mkspecial = s390x_pte_mkspecial,
	.pte_mkclean = s390x_pte_mkclean,
	.pte_none = s390x_pte_none,
	.pte_present = s390x_pte_present,
	.pte_write = s390x_pte_write,
	.pte_dirty = s390x_pte_dirty,
	.pte_special = s390x_pte_special,
	.pte_protnone = s390x_pte_protnone,
	.pte_pfn = s390x_pte_pfn,
	.pte_access_ok = s390x_pte_access_ok,
	.zero_pfn = s390x_zero_pfn,
	.set_pte_at = s390x_set_pte_at,
	.ptep_clear_flush = s390x_ptep_clear_flush,
	.ptep_set_access_flags = s390x_ptep_set_access_flags,
	.hw_touch = s390x_hw_touch,
	.change_pte_range = s390x_change_pte_range,
	.zap_pte_range = s390x_zap_pte_range,
	.free_pte_range = s390x_free_pte_range,
	.copy_pte_range = s390x_copy_pte_range,
	.mk_huge_pmd = s390x_mk_huge_pmd,
	.pmd_modify = s390x_pmd_modify,
	.pmd_mkold_wrprotect = s390x_pmd_mkold_wrprotect,
	.pmd_mkold_clean = s390x_pmd_mkold_clean,
	.pmd_mkyoung_dirty_write = s390x_pmd_mkyoung_dirty_write,
	.pmd_huge = s390x_pmd_huge,
	.pmd_write = s390x_pmd_write,
	.pmd_young = s390x_pmd_young,
	.pmd_protnone = s390x_pmd_protnone,
	.pmd_pfn = s390x_pmd_pfn,
	.split_pte = s390x_split_pte,
	.deposit_links = s390x_deposit_links,
	.pmdp_invalidate = s390x_pmdp_invalidate,
	.pmdp_huge_clear_flush = s390x_pmdp_huge_clear_flush,
	.pmdp_get_and_clear_full = s390x_pmdp_get_and_clear_full,
	.pmdp_set_wrprotect = s390x_pmdp_set_wrprotect,
	.change_huge_pmd = s390x_change_huge_pmd,
	.pmdp_set_access_flags = s390x_pmdp_set_access_flags,
	.pmd_hw_touch = s390x_pmd_hw_touch,
	.pmd_access_ok = s390x_pmd_access_ok,
	.tlb_flush = s390x_tlb_flush,
	.flush_tlb_mm = s390x_flush_tlb_mm,
	/* arch/s390/Kconfig does not select HAVE_MOVE_PMD on 6.1 */
	.ptep_get_and_clear = s390x_ptep_get_and_clear,
	.flush_tlb_range = s390x_flush_tlb_range,
	.pmdp_huge_get_and_clear = s390x_pmdp_huge_get_and_clear,
	/* flush_pmd_tlb_range is flush_tlb_range on s390 */
	.flush_pmd_tlb_range = s390x_flush_tlb_range,
	/* arch/s390/include/asm/pgtable.h: pmdp_collapse_flush is
	 * pmdp_huge_get_and_clear (pmdp_xchg_lazy), no flush of its own */
	.pmdp_collapse_flush = s390x_pmdp_huge_get_and_clear,
	.ops = s390x_ops,
	.leaf_state = s390x_leaf_state,
	.check = s390x_check,
};

const struct pgt_arch pgt_arch_s390x = {
	.name = "s390x",
	.va_bits = 64,
	.nlevels = 5,
	.levels = s390x_levels,
	.big_endian = true,
	.elf_machine = 22 /* EM_S390 */,
	.user_limit = S390X_TASK_SIZE_MAX,
	.root_decode = s390x_root_decode,
	.root_describe = s390x_root_describe,
	.table_page_note = s390x_table_page_note,
	.entry_decode = s390x_entry_decode,
	.entry_describe = s390x_entry_describe,
	.count_leaves = s390x_count_leaves,
	/* arch/s390/mm/dump_pagetables.c: no pr_fmt, no period */
	.wx_prefix = "",
	.discover = &pgt_s390x_discover,
	.mm = &s390x_rules,
};
