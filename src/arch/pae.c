/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * x86 PAE (3-level) as Linux manages it (pae.md, thp.md §2.5/§6.1,
 * review-6.1.md).  Profiles: pae-2.6.25 (2.6.25 .. 6.15, the default:
 * Debian 12's 6.1 686-pae), pae-6.16 (all four PMDs per process, never
 * shared), pae-2.6.24 (PMDs never freed, PDPT immutable).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../lib/options.h"
#include "arch.h"
#include "mm-services.h"
#include "x86-discover.h"
#include "x86-entry.h"

#define PTE_P 0x001ull
#define PTE_RW 0x002ull
#define PTE_US 0x004ull
#define PTE_PWT 0x008ull
#define PTE_PCD 0x010ull
#define PTE_A 0x020ull
#define PTE_D 0x040ull
#define PTE_PSE 0x080ull	/* PDE: 2 MiB page; PTE: PAT */
#define PTE_G 0x100ull
#define PTE_PROTNONE PTE_G	/* when P is clear (pae.md §2.3) */
#define PTE_SPECIAL 0x200ull	/* SOFTW1 */
#define PTE_SOFTW2 0x400ull
#define PTE_SOFTW3 0x800ull
#define PTE_PAT_LARGE 0x1000ull
#define PTE_NX (1ull << 63)
/* __PHYSICAL_MASK_SHIFT is 52 on PAE in 6.1 (thp.md §10.3) */
#define PFN_MASK 0x000ffffffffff000ull
#define HPFN_MASK 0x000fffffffe00000ull
#define PDE_TABLE (PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D)	/* 0x067 */
#define PDE_KTABLE (PTE_P | PTE_RW | PTE_A | PTE_D)		/* 0x063 */

#define PAGE_OFFSET 0xc0000000ull
#define KERNEL_PGD 3		/* KERNEL_PGD_BOUNDARY for the 3G/1G split */
#define VMALLOC_START 0xf8000000ull
#define VMALLOC_END 0xff800000ull
#define FLUSH_CEILING 33	/* tlb_single_page_flush_ceiling (pae.md §8.1) */

enum { PAE_2_6_25, PAE_6_16, PAE_2_6_24 };

static const char *const pae_profiles[] = { "pae-2.6.25", "pae-6.16",
					    "pae-2.6.24", NULL };

static const struct pgt_level pae_levels[] = {
	{ "PDPT", "pgd", 30, 4, 8, 32, 0 },
	{ "PD", "pmd", 21, 512, 8, 4096, 0 },
	{ "PT", "pte", 12, 512, 8, 4096, 0 },
};

#define L_PDPT 0
#define L_PD 1
#define L_PT 2

/*
 * pgd_cache (pae.md §4.2): 32-byte objects, 128 to a page, one more page
 * whenever the pages held are full, as the kernel's kmem_cache grows.
 * Live mms are at most the mm id bound of mm_new (1,000,000), which
 * bounds the pages.  The page array is on the heap (a checkpoint copies
 * the pages in use, not room for 7,813).
 */
#define PGD_PER_SLAB 128
#define PGD_SLAB_PAGES (1000000 / PGD_PER_SLAB + 1)
_Static_assert(PGD_SLAB_PAGES < 65536, "slab slot numbers live in sim_frame.tag");

struct pae_slab {
	uint64_t page;
	uint64_t used[PGD_PER_SLAB / 64];	/* bit j: object j in use */
};

struct pae_priv {
	bool no_nx;		/* nx=off: the CPU has no NX (EFER.NXE clear) */
	bool user_nx;		/* user protections keep NX (not 6.1 i386) */
	bool pti;
	int kernel_pmd;		/* 0 default, 1 shared, 2 unshared */
	bool shared;		/* resolved SHARED_KERNEL_PMD */
	uint64_t zero_pfn;
	uint64_t swapper;	/* swapper_pg_dir (page aligned) */
	uint64_t kpmd;		/* swapper's kernel PMD (PDPT slot 3) */
	uint64_t pti_kpmd;	/* template of the user-visible kernel PMD */
	struct pae_slab *slab;	/* the pgd_cache's pages */
	unsigned nslab, cslab;
	unsigned slab_hint;	/* no free object in the pages below */
};

struct pae_mm {
	uint64_t pgd;		/* kernel PDPT (CR3 value) */
	/* lazy CPUs a flush skipped: their tlb_gen is behind the mm's */
	uint64_t lazy_behind;
	bool pgd_page;		/* whole page (unshared) or slab object */
	bool on_pgd_list;
};

static inline struct pae_priv *P(struct pgt_engine *e)
{
	return pgt_mach(e)->arch_priv;
}

static inline struct pae_mm *M(struct pgt_mm *mm)
{
	return mm->arch;
}

static inline uint64_t ld(const void *p)
{
	return *(const uint64_t *)p;
}

static inline void st(void *p, uint64_t v)
{
	*(uint64_t *)p = v;
}

/* ---- options ---- */

static int pae_set_option(struct pgt_engine *e, const char *key,
			  const char *val, struct pgt_err *err)
{
	struct pae_priv *p = P(e);

	if (!strcmp(key, "nx") || !strcmp(key, "user-nx") ||
	    !strcmp(key, "pti")) {
		bool *b = !strcmp(key, "nx") ? &p->no_nx :
			  !strcmp(key, "pti") ? &p->pti : &p->user_nx;

		if (pgt_parse_on_off(val, b))
			return pgt_fail(err, PGT_ERR_INPUT,
					"bad %s '%s'; expected on or off", key, val);
		if (b == &p->no_nx)
			p->no_nx = !p->no_nx;
		return PGT_OK;
	}
	if (!strcmp(key, "kernel-pmd")) {
		if (!strcmp(val, "shared"))
			p->kernel_pmd = 1;
		else if (!strcmp(val, "unshared"))
			p->kernel_pmd = 2;
		else
			return pgt_fail(err, PGT_ERR_INPUT,
					"bad kernel-pmd '%s'; expected shared or unshared",
					val);
		return PGT_OK;
	}
	return pgt_fail(err, PGT_ERR_INPUT,
			"unknown option '%s' for arch pae; expected one of profile, cpus, mem, thp, thp-zero-page, nx, user-nx, pti, kernel-pmd",
			key);
}

static const char *pae_describe(struct pgt_engine *e)
{
	static char buf[160];
	struct pae_priv *p = P(e);

	snprintf(buf, sizeof(buf), "nx=%s user-nx=%s pti=%s kernel-pmd=%s",
		 p->no_nx ? "off" : "on", p->user_nx ? "on" : "off",
		 p->pti ? "on" : "off", p->shared ? "shared" : "unshared");
	return buf;
}

/* ---- flushes (pae.md §8.1) ---- */

static const char R_RANGE[] = "flush_tlb_mm_range: range <= ceiling 33";
static const char R_CEIL[] = "flush_tlb_mm_range: range > ceiling 33, full flush";
static const char R_FULL[] = "flush_tlb_mm_range: full flush (fullmm, need_flush_all or flush_tlb_mm)";
static const char R_IPI[] = "flush_tlb_multi: other CPUs in mm_cpumask";
static const char R_IPI_LAZY[] = "flush_tlb_multi: freed_tables, lazy CPUs too (they switch to init_mm)";
static const char R_LAZY_BACK[] = "switch_mm_irqs_off: back from lazy TLB behind tlb_gen, CR3 reload";
static const char R_PAGE[] = "flush_tlb_page: ptep_clear_flush (COW)";
static const char R_SPLIT[] = "flush_pmd_tlb_range: huge PMD invalidated (4 KiB stride, > ceiling)";
static const char R_PUD_POP[] = "pud_populate: PDPTE changed, flush_tlb_mm (CR3 reload)";
static const char R_SWITCH[] = "switch_mm: CR3 load";
static const char R_KRANGE[] = "flush_tlb_kernel_range: <= ceiling 33, on every CPU";
static const char R_KALL[] = "flush_tlb_kernel_range: > ceiling 33, flush_tlb_all (global)";
static const char R_KIPI[] = "flush_tlb_kernel_range: on_each_cpu";

static unsigned popcount(uint64_t m)
{
	return (unsigned)__builtin_popcountll(m);
}

/*
 * The remote half of flush_tlb_mm_range (arch/x86/mm/tlb.c,
 * native_flush_tlb_multi on 6.1; pae.md §8.1 step 3, review-6.1.md §9
 * and §10): every other CPU in mm_cpumask gets an IPI, except those in
 * lazy-TLB mode (an idle CPU still holding the mm, `cpu idle`) when no
 * page tables were freed (on_each_cpu_cond_mask with tlb_is_not_lazy).
 * A lazy CPU that is sent one switches to init_mm on receipt
 * (flush_tlb_func: switch_mm_irqs_off(NULL, &init_mm)), which drops it
 * from mm_cpumask; one that is skipped is left behind the mm's tlb_gen
 * and flushes when it switches back (pae_switch_mm).
 */
static void flush_remote(struct pgt_engine *e, struct pgt_mm *mm,
			 bool freed_tables)
{
	const struct pgt_machine *m = pgt_mach(e);
	uint64_t others = mm->cpumask & ~(1ull << m->self);
	uint64_t lazy = others & m->cpu_idle;
	unsigned cpu;

	pgt_flush(e, PGT_FL_IPI, popcount(others & ~lazy), R_IPI);
	if (!lazy)
		return;
	if (!freed_tables) {
		M(mm)->lazy_behind |= lazy;
		return;
	}
	pgt_flush(e, PGT_FL_IPI, popcount(lazy), R_IPI_LAZY);
	for (cpu = 0; cpu < PGT_MAX_CPUS; cpu++)
		if (lazy & (1ull << cpu))
			pgt_cpu_drop_lazy_mm(e, cpu);
}

/*
 * flush_tlb_mm_range: ranged INVLPGs up to the ceiling, else a CR3
 * rewrite; IPIs to the other CPUs in mm_cpumask (flush_remote).
 */
static void flush_mm_range(struct pgt_engine *e, struct pgt_mm *mm,
			   uint64_t start, uint64_t end, unsigned stride,
			   bool full, bool freed_tables, const char *why)
{
	uint64_t nr = full ? 0 : (end - start) >> stride;

	if (!full && nr > FLUSH_CEILING) {
		full = true;
		why = why ? why : R_CEIL;
	}
	/* flush_tlb_func: one INVLPG per stride from start while below
	 * end, so a range shorter than its stride (a freed PTE table's
	 * first page at the PMD stride) still takes one */
	if (!full)
		nr = (end - start + (1ull << stride) - 1) >> stride;
	flush_remote(e, mm, freed_tables);
	if (pgt_mach(e)->cpu_mm[pgt_mach(e)->self] != mm)
		return;
	if (full)
		pgt_flush(e, PGT_FL_FLUSH_ALL, 1, why ? why : R_FULL);
	else
		pgt_flush(e, PGT_FL_INVLPG, nr, why ? why : R_RANGE);
}

/* flush_tlb_mm: a full flush with freed_tables = true (pae.md §8.1) */
static void pae_flush_tlb_mm(struct pgt_engine *e, struct pgt_mm *mm,
			     const char *why)
{
	flush_mm_range(e, mm, 0, 0, 12, true, true, why);
}

/* flush_tlb_range: PAGE_SHIFT stride, freed_tables = false (pae.md §8.1) */
static void pae_flush_tlb_range(struct pgt_engine *e, struct pgt_mm *mm,
				uint64_t start, uint64_t end)
{
	flush_mm_range(e, mm, start, end, 12, false, false, NULL);
}

/* flush_pmd_tlb_range: the flush of pmdp_invalidate (R_SPLIT below):
 * a 4 KiB stride over 2 MiB, with freed_tables as seen on 6.1
 * (review-6.1.md "Checked on a real kernel") */
static void pae_flush_pmd_tlb_range(struct pgt_engine *e, struct pgt_mm *mm,
				    uint64_t start, uint64_t end)
{
	flush_mm_range(e, mm, start, end, 12, false, true, R_SPLIT);
}

/* tlb_flush from the mmu_gather (x86 asm/tlb.h) */
static void pae_tlb_flush(struct pgt_engine *e, struct pgt_gather *g)
{
	unsigned stride = 12;

	if (g->fullmm || g->need_flush_all) {
		flush_mm_range(e, g->mm, 0, 0, 12, true, g->freed_tables,
			       R_FULL);
		return;
	}
	/* tlb_get_unmap_shift: the smallest level cleared */
	if (!g->cleared_ptes && g->cleared_pmds)
		stride = 21;
	else if (!g->cleared_ptes && !g->cleared_pmds && g->cleared_puds)
		stride = 30;
	flush_mm_range(e, g->mm, g->start, g->end, stride, false,
		       g->freed_tables, NULL);
}

/* ---- table allocation ---- */

static int alloc_page(struct pgt_engine *e, unsigned order, uint64_t *pa)
{
	return simmem_alloc(&pgt_mach(e)->mem, order, true, pa) ? -1 : 0;
}

static int pae_table_alloc(struct pgt_engine *e, struct pgt_mm *mm, int level,
			   uint64_t *pa)
{
	if (level == L_PDPT || alloc_page(e, 0, pa))
		return -ENOMEM;	/* pgds come from pgd_alloc only */
	mm->nr_tables[level]++;
	pgt_ev_table(e, mm, true, level, *pa, 4096, -1);
	return 0;
}

static void pae_table_free(struct pgt_engine *e, struct pgt_mm *mm, int level,
			   uint64_t pa)
{
	mm->nr_tables[level]--;
	pgt_ev_table(e, mm, false, level, pa, 4096, -1);
	simmem_free(&pgt_mach(e)->mem, pa);
}

static void pae_table_free_tlb(struct pgt_engine *e, struct pgt_gather *g,
			       int level, uint64_t pa)
{
	/* ___pmd_free_tlb: a PDPTE changed, only a full flush is safe */
	if (level == L_PD)
		g->need_flush_all = true;
}

/* ---- upper entries ---- */

static enum pgt_ent_kind pae_upper_kind(struct pgt_engine *e, int level,
					uint64_t ent, uint64_t *table)
{
	if (!ent)
		return PGT_ENT_EMPTY;
	if (level == L_PD && (ent & PTE_PSE))
		return PGT_ENT_LEAF;	/* present, or PROT_NONE / invalidated */
	if (!(ent & PTE_P))
		return PGT_ENT_NOTPRESENT;
	*table = ent & PFN_MASK;
	return PGT_ENT_TABLE;
}

static bool pti_user_slot(struct pgt_engine *e, int level, uint64_t va)
{
	return P(e)->pti && level == L_PDPT && va < PAGE_OFFSET;
}

/* the PTI user copy of a PDPT slot lives one page above (pae.md §9) */
static void *pti_mirror(struct pgt_engine *e, void *slot)
{
	uint64_t pa = pgt_slot_pa(e, slot);

	return pgt_phys(e, pa + 4096);
}

static void set_pdpte(struct pgt_engine *e, struct pgt_mm *mm, uint64_t va,
		      void *slot, uint64_t val)
{
	uint64_t old = ld(slot);

	st(slot, val);
	pgt_ev_entry(e, mm, L_PDPT, va, slot, old, val);
	if (pti_user_slot(e, L_PDPT, va)) {
		void *u = pti_mirror(e, slot);

		st(u, val);
		pgt_ev_entry(e, mm, L_PDPT, va, u, old, val);
	}
}

static void pae_upper_populate(struct pgt_engine *e, struct pgt_mm *mm,
			       int level, uint64_t va, void *slot,
			       uint64_t table)
{
	uint64_t old = ld(slot), val;

	if (level == L_PDPT) {
		/* pud_populate: PMD | P only; then flush_tlb_mm (pae.md §3) */
		set_pdpte(e, mm, va, slot, table | PTE_P);
		flush_mm_range(e, mm, 0, 0, 12, true, true, R_PUD_POP);
		return;
	}
	val = table | (va >= PAGE_OFFSET ? PDE_KTABLE : PDE_TABLE);
	st(slot, val);
	pgt_ev_entry(e, mm, level, va, slot, old, val);
}

static bool pae_upper_clear(struct pgt_engine *e, struct pgt_gather *g,
			    int level, uint64_t va, void *slot)
{
	uint64_t old = ld(slot);

	if (level == L_PDPT) {
		/* 2.6.24: pud_clear was a no-op, PMDs live until pgd_free */
		if (pgt_mach(e)->profile == PAE_2_6_24)
			return false;
		/*
		 * pae.md §8.2 has pud_clear rewrite CR3 (v3.x code); since the
		 * 2.6.35-era change "pud_clear: no TLB flush here" the 6.1
		 * pud_clear only stores 0 and relies on the flush that follows
		 * (pmd_free_tlb sets need_flush_all).  Checked against the
		 * pgtable-3level.h text and that patch (search tool).
		 */
		set_pdpte(e, g->mm, va, slot, 0);
		return true;
	}
	st(slot, 0);
	pgt_ev_entry(e, g->mm, level, va, slot, old, 0);
	return true;
}

static void pae_table_release(struct pgt_engine *e, struct pgt_mm *mm,
			      int level, uint64_t pa)
{
	pae_table_free(e, mm, level, pa);
}

/* ---- PTE values (pae.md §2.3) ---- */

static uint64_t nx_mask(struct pgt_engine *e)
{
	return P(e)->no_nx ? 0 : PTE_NX;
}

static uint64_t pae_vm_prot(struct pgt_engine *e, unsigned f)
{
	/* 6.1 i386: vm_get_page_prot keeps the prot in an unsigned long,
	 * so NX (bit 63) never reaches user PTEs (review-6.1.md 3) */
	uint64_t nx = P(e)->user_nx ? nx_mask(e) : 0;
	uint64_t base = PTE_P | PTE_US | PTE_A;

	if (!(f & VM_ACCESS))
		return PTE_PROTNONE | PTE_A;		/* PAGE_NONE */
	if (f & VM_EXEC)
		nx = 0;
	if ((f & VM_SHARED) && (f & VM_WRITE))
		return base | PTE_RW | nx;		/* PAGE_SHARED(_EXEC) */
	return base | nx;		/* READONLY, COPY (copy-on-write) */
}

/* L1TF: a non-zero entry without P stores its frame inverted */
static inline uint64_t flip_frame(uint64_t v, uint64_t mask)
{
	return (v & ~mask) | (~v & mask);
}

static inline bool needs_invert(uint64_t v)
{
	return v && !(v & PTE_P);
}

static uint64_t pae_mk_pte(struct pgt_engine *e, uint64_t pfn, uint64_t prot)
{
	uint64_t v = (pfn << 12) | (prot & (nx_mask(e) | 0xfffull));

	return needs_invert(v) ? flip_frame(v, PFN_MASK) : v;
}

static uint64_t pae_pte_mkwrite(uint64_t v) { return v | PTE_RW; }
static uint64_t pae_pte_mkdirty(uint64_t v) { return v | PTE_D; }
static uint64_t pae_pte_mkyoung(uint64_t v) { return v | PTE_A; }
static uint64_t pae_pte_mkold(uint64_t v) { return v & ~PTE_A; }
static uint64_t pae_pte_wrprotect(uint64_t v) { return v & ~PTE_RW; }
static uint64_t pae_pte_mkspecial(uint64_t v) { return v | PTE_SPECIAL; }
static uint64_t pae_pte_mkclean(uint64_t v) { return v & ~PTE_D; }
static bool pae_pte_none(uint64_t v) { return v == 0; }
static bool pae_pte_present(uint64_t v) { return v & (PTE_P | PTE_PROTNONE); }
static bool pae_pte_write(uint64_t v) { return v & PTE_RW; }
static bool pae_pte_dirty(uint64_t v) { return v & PTE_D; }
static bool pae_pte_special(uint64_t v) { return v & PTE_SPECIAL; }

static bool pae_pte_protnone(uint64_t v)
{
	return (v & (PTE_P | PTE_PROTNONE)) == PTE_PROTNONE;
}

static uint64_t pae_pte_pfn(uint64_t v)
{
	if (needs_invert(v))
		v = ~v;
	return (v & PFN_MASK) >> 12;
}

/* pte_modify: keep _PAGE_CHG_MASK, take the rest from the new prot */
static uint64_t pte_modify(uint64_t old, uint64_t prot)
{
	const uint64_t chg = PFN_MASK | PTE_PCD | PTE_PWT | PTE_SPECIAL |
			     PTE_A | PTE_D;
	uint64_t v = (old & chg) | (prot & ~chg);

	/* flip_protnone_guard: the frame follows the new P state */
	if (needs_invert(old) != needs_invert(v))
		v = flip_frame(v, PFN_MASK);
	return v;
}

/* pte_needs_flush (v6.0+, pae.md §8.2): flags compared as unsigned long,
 * 32 bits on i386, so NX never counts (review-6.1.md 3) */
static inline bool pte_needs_flush(uint64_t old, uint64_t new)
{
	const uint32_t on_clear = PTE_D | PTE_P;
	const uint32_t on_change = PTE_RW | PTE_US | PTE_PWT | PTE_PCD |
				   PTE_PSE | PTE_G | PTE_PAT_LARGE;
	uint32_t of, nf, diff;

	if (!(old & PTE_P))
		return false;
	if (pae_pte_pfn(old) != pae_pte_pfn(new))
		return true;
	of = (uint32_t)(old & ~PFN_MASK);
	nf = (uint32_t)(new & ~PFN_MASK);
	diff = (of ^ nf) & ~(uint32_t)(PTE_SPECIAL | PTE_SOFTW2 | PTE_SOFTW3 |
				       PTE_A);
	if (diff & of & on_clear)
		return true;
	return diff & on_change;
}

static bool pae_pte_access_ok(struct pgt_engine *e, uint64_t v, bool write)
{
	return (v & PTE_P) && (!write || (v & PTE_RW));
}

static uint64_t pae_zero_pfn(struct pgt_engine *e, uint64_t va)
{
	return P(e)->zero_pfn;
}

static inline enum pgt_pstate pae_leaf_state(struct pgt_engine *e, int level,
				      uint64_t v)
{
	bool huge = level == L_PD;

	if (!v)
		return PGT_PS_NONE;
	if (huge) {
		uint64_t pfn = pae_pte_pfn(v) & ~511ull;
		struct sim_frame *f = simmem_frame(&pgt_mach(e)->mem, pfn << 12);

		if (!(v & (PTE_P | PTE_PROTNONE)))
			return PGT_PS_HPROTNONE;	/* invalidated */
		if (pae_pte_protnone(v))
			return PGT_PS_HPROTNONE;
		if (f && (f->flags & SIMF_ZERO))
			return PGT_PS_HZERO;
		return (v & PTE_RW) ? PGT_PS_HRW : PGT_PS_HRO;
	}
	if (!pae_pte_present(v))
		return PGT_PS_SWAP;
	if (pae_pte_protnone(v))
		return PGT_PS_PROTNONE;
	if ((v & PTE_SPECIAL) && pae_pte_pfn(v) == P(e)->zero_pfn)
		return PGT_PS_ZERO;
	return (v & PTE_RW) ? PGT_PS_RW : PGT_PS_RO;
}

/* ---- PTE primitives (x86: no flush inside, pae.md §8.2) ---- */

static void pae_set_pte_at(struct pgt_engine *e, struct pgt_mm *mm,
			   uint64_t va, void *slot, uint64_t pte)
{
	uint64_t old = ld(slot);

	st(slot, pte);
	pgt_ev_entry(e, mm, L_PT, va, slot, old, pte);
}

/* pmdp_huge_get_and_clear: an atomic exchange with 0, no flush */
static uint64_t pae_pmdp_huge_get_and_clear(struct pgt_engine *e,
					    struct pgt_mm *mm, uint64_t va,
					    void *slot)
{
	uint64_t old = ld(slot);

	st(slot, 0);
	return old;
}

/* pmdp_collapse_flush, the generic one (mm/pgtable-generic.c): clear,
 * then flush_pmd_tlb_range of the 2 MiB */
static uint64_t pae_pmdp_collapse_flush(struct pgt_engine *e,
					struct pgt_mm *mm, uint64_t va,
					void *slot)
{
	uint64_t old = pae_pmdp_huge_get_and_clear(e, mm, va, slot);

	pae_flush_pmd_tlb_range(e, mm, va, va + (2u << 20));
	return old;
}

/* ptep_get_and_clear: an atomic exchange with 0, no flush */
static uint64_t pae_ptep_get_and_clear(struct pgt_engine *e, struct pgt_mm *mm,
				       uint64_t va, void *slot)
{
	uint64_t old = ld(slot);

	st(slot, 0);
	return old;
}

static uint64_t pae_ptep_clear_flush(struct pgt_engine *e, struct pgt_mm *mm,
				     uint64_t va, void *slot)
{
	uint64_t old = ld(slot);

	st(slot, 0);
	pgt_ev_entry(e, mm, L_PT, va, slot, old, 0);
	/* flush_tlb_page only if the old PTE could be cached (P set) */
	if (old & PTE_P)
		flush_mm_range(e, mm, va, va + 4096, 12, false, false,
			       R_PAGE);
	return old;
}

/* x86 ptep_set_access_flags stores only a changed entry on a write
 * fault, and never flushes: a stale entry just faults again */
static void pae_ptep_set_access_flags(struct pgt_engine *e, struct pgt_mm *mm,
				      uint64_t va, void *slot, uint64_t pte)
{
	uint64_t old = ld(slot);

	if (old == pte || !(pte & PTE_D))
		return;
	st(slot, pte);
	pgt_ev_entry(e, mm, L_PT, va, slot, old, pte);
}

/* the MMU sets A on every access and D on a write */
static void pae_hw_touch(struct pgt_engine *e, struct pgt_mm *mm, uint64_t va,
			 void *slot, bool write)
{
	uint64_t old = ld(slot), new = old | PTE_A | (write ? PTE_D : 0);

	if (new == old)
		return;
	st(slot, new);
	pgt_ev_entry(e, mm, L_PT, va, slot, old, new);
}

/* ---- the hot loops ---- */

#define A_FN(x) pae_##x
#define A_LEVEL_PTE L_PT
#define A_ENTSIZE 8
#define a_load(p) ld(p)
#define a_store(p, v) st((p), (v))
#define a_empty 0ull
#define a_pte_none(v) ((v) == 0)
#define a_pte_present(v) pae_pte_present(v)
#define a_pte_write(v) pae_pte_write(v)
#define a_pte_dirty(v) pae_pte_dirty(v)
#define a_pte_special(v) pae_pte_special(v)
#define a_pte_protnone(v) pae_pte_protnone(v)
#define a_pte_pfn(v) pae_pte_pfn(v)
#define a_pte_modify(v, prot) pte_modify((v), (prot))
#define a_pte_mkwrite(v) ((v) | PTE_RW)
#define a_pte_wrprotect(v) ((v) & ~PTE_RW)
#define a_pte_mkold(v) ((v) & ~PTE_A)
#define a_pte_mkclean(v) ((v) & ~PTE_D)
#define a_pte_young(v) ((v) & PTE_A)
#define a_state(e, v) pae_leaf_state((e), L_PT, (v))

/* ptep_modify_prot_start: an atomic exchange with 0; the transient 0 is
 * seen by no one in the model (commit follows at once), so not stored */
static inline uint64_t a_modify_prot_start(struct pgt_engine *e,
					   struct pgt_gather *g, uint64_t va,
					   void *p)
{
	return ld(p);
}

static inline void a_modify_prot_commit(struct pgt_engine *e,
					struct pgt_gather *g, uint64_t va,
					void *p, uint64_t old, uint64_t new)
{
	st(p, new);
}

#define a_pte_needs_flush(old, new) pte_needs_flush((old), (new))
#define A_FLAGMASK (~PFN_MASK)

static inline uint64_t a_get_and_clear_full(struct pgt_engine *e,
					    struct pgt_gather *g, uint64_t va,
					    void *p)
{
	uint64_t old = ld(p);

	st(p, 0);
	return old;
}

static inline void a_set_wrprotect(struct pgt_engine *e, struct pgt_mm *mm,
				   uint64_t va, void *p)
{
	st(p, ld(p) & ~PTE_RW);
}

#include "pte-range.h"

/* ---- huge PMDs (thp.md §2.5, §6.1) ---- */

static uint64_t pae_mk_huge_pmd(struct pgt_engine *e, uint64_t pfn,
				uint64_t prot, bool write_dirty)
{
	uint64_t v = (pfn << 12) | (prot & (nx_mask(e) | 0xfffull)) | PTE_PSE;

	if (write_dirty)
		v |= PTE_RW | PTE_D;
	return v;
}

static uint64_t pae_pmd_modify(uint64_t old, uint64_t prot)
{
	const uint64_t chg = HPFN_MASK | PTE_PCD | PTE_PWT | PTE_SPECIAL |
			     PTE_A | PTE_D | PTE_PSE | PTE_PAT_LARGE;
	uint64_t v = (old & chg) | (prot & ~chg);

	if (needs_invert(old) != needs_invert(v))
		v = flip_frame(v, HPFN_MASK);
	return v;
}

static uint64_t pae_pmd_mkold_wrprotect(uint64_t v)
{
	return v & ~(PTE_RW | PTE_A);
}

static uint64_t pae_pmd_mkold_clean(uint64_t v)
{
	return v & ~(PTE_A | PTE_D);
}

static uint64_t pae_pmd_mkyoung_dirty_write(uint64_t v, bool write)
{
	return v | PTE_A | (write ? PTE_D | PTE_RW : 0);
}

static bool pae_pmd_huge(uint64_t v) { return v && (v & PTE_PSE); }
static bool pae_pmd_write(uint64_t v) { return v & PTE_RW; }
static bool pae_pmd_young(uint64_t v) { return v & PTE_A; }
static bool pae_pmd_protnone(uint64_t v) { return pae_pte_protnone(v); }

static uint64_t pae_pmd_pfn(uint64_t v)
{
	if (needs_invert(v))
		v = ~v;
	return (v & HPFN_MASK) >> 12;
}

/* __split_huge_pmd_locked, 6.1: no dirty bit carried (thp.md §4.2) */
static uint64_t pae_split_pte(struct pgt_engine *e, uint64_t old, uint64_t pfn,
			      uint64_t prot, bool vm_write)
{
	uint64_t pte = pae_mk_pte(e, pfn, prot);

	if (vm_write)
		pte |= PTE_RW;
	if (!(old & PTE_RW))
		pte &= ~PTE_RW;
	if (!(old & PTE_A))
		pte &= ~PTE_A;
	return pte;
}

static void set_pmd(struct pgt_engine *e, struct pgt_mm *mm, uint64_t va,
		    void *slot, uint64_t v)
{
	uint64_t old = ld(slot);

	st(slot, v);
	pgt_ev_entry(e, mm, L_PD, va, slot, old, v);
}

/* pmdp_invalidate: P cleared, PS kept, then flush_pmd_tlb_range, which
 * on x86 is flush_tlb_range with a 4 KiB stride: always a full flush */
static uint64_t pae_pmdp_invalidate(struct pgt_engine *e, struct pgt_mm *mm,
				    uint64_t va, void *slot)
{
	uint64_t old = ld(slot), inv = old & ~(PTE_P | PTE_PROTNONE);

	if (needs_invert(inv) != needs_invert(old))
		inv = flip_frame(inv, HPFN_MASK);
	set_pmd(e, mm, va, slot, inv);
	flush_mm_range(e, mm, va, va + (2u << 20), 12, false, true, R_SPLIT);
	return old;
}

static uint64_t pae_pmdp_huge_clear_flush(struct pgt_engine *e,
					  struct pgt_mm *mm, uint64_t va,
					  void *slot)
{
	uint64_t old = ld(slot);

	set_pmd(e, mm, va, slot, 0);
	flush_mm_range(e, mm, va, va + (2u << 20), 12, false, true, R_SPLIT);
	return old;
}

static uint64_t pae_pmdp_get_and_clear_full(struct pgt_engine *e,
					    struct pgt_gather *g, uint64_t va,
					    void *slot)
{
	uint64_t old = ld(slot);

	st(slot, 0);
	return old;
}

static void pae_pmdp_set_wrprotect(struct pgt_engine *e, struct pgt_mm *mm,
				   uint64_t va, void *slot)
{
	set_pmd(e, mm, va, slot, ld(slot) & ~PTE_RW);
}

/* change_huge_pmd (6.1): invalidate_ad without flush, pmd_modify, and a
 * gather entry when huge_pmd_needs_flush (A counts here) */
static void pae_change_huge_pmd(struct pgt_engine *e, struct pgt_gather *g,
				uint64_t va, void *slot, uint64_t newprot)
{
	uint64_t old = ld(slot), new = pae_pmd_modify(old, newprot);

	new &= ~PTE_RW;	/* 6.1 never makes a huge PMD writable here */
	set_pmd(e, g->mm, va, slot, new);
	if (pte_needs_flush(old, new) ||
	    ((old & PTE_P) && (old & ~new & PTE_A)))
		pgt_gather_add(g, va, va + (2u << 20), true);
	pgt_trans(e, pae_leaf_state(e, L_PD, old), pae_leaf_state(e, L_PD, new));
}

static void pae_pmdp_set_access_flags(struct pgt_engine *e, struct pgt_mm *mm,
				      uint64_t va, void *slot, uint64_t pmd)
{
	if (ld(slot) == pmd || !(pmd & PTE_D))
		return;
	set_pmd(e, mm, va, slot, pmd);
}

static void pae_pmd_hw_touch(struct pgt_engine *e, struct pgt_mm *mm,
			     uint64_t va, void *slot, bool write)
{
	uint64_t old = ld(slot), new = old | PTE_A | (write ? PTE_D : 0);

	if (new != old)
		set_pmd(e, mm, va, slot, new);
}

static bool pae_pmd_access_ok(struct pgt_engine *e, uint64_t v, bool write)
{
	return (v & PTE_P) && (!write || (v & PTE_RW));
}

static bool pae_thp_possible(struct pgt_engine *e, struct pgt_mm *mm)
{
	return true;	/* every PAE CPU has PSE */
}

/* ---- pgd_alloc / pgd_free (pae.md §4) ---- */

/* the object that the cache hands out first: the lowest free one of the
 * lowest page with room (the order pgtctl always used) */
static int slab_take(struct pae_slab *sl, uint64_t *pa)
{
	unsigned w;

	for (w = 0; w < PGD_PER_SLAB / 64; w++)
		if (~sl->used[w]) {
			unsigned j = (unsigned)__builtin_ctzll(~sl->used[w]);

			sl->used[w] |= 1ull << j;
			*pa = sl->page + 32u * (64 * w + j);
			return 0;
		}
	return -1;
}

static int slab_alloc_pgd(struct pgt_engine *e, uint64_t *pa)
{
	struct pae_priv *p = P(e);
	struct pae_slab *sl;

	for (; p->slab_hint < p->nslab; p->slab_hint++)
		if (!slab_take(&p->slab[p->slab_hint], pa))
			goto got;
	if (p->nslab == PGD_SLAB_PAGES)
		return -1;
	if (p->nslab == p->cslab) {
		unsigned c = p->cslab ? p->cslab * 2 : 8;
		struct pae_slab *n = realloc(p->slab, c * sizeof(*n));

		if (!n)
			return -1;
		p->slab = n;
		p->cslab = c;
	}
	sl = &p->slab[p->nslab];
	if (alloc_page(e, 0, &sl->page))
		return -1;
	/* the frame's tag finds the page's slot again at kmem_cache_free */
	simmem_frame(&pgt_mach(e)->mem, sl->page)->tag = (uint16_t)(p->nslab + 1);
	memset(sl->used, 0, sizeof(sl->used));
	p->nslab++;
	slab_take(sl, pa);
got:
	memset(pgt_phys(e, *pa), 0, 32);
	return 0;
}

static void slab_free_pgd(struct pgt_engine *e, uint64_t pa)
{
	struct pae_priv *p = P(e);
	struct sim_frame *f = simmem_frame(&pgt_mach(e)->mem, pa);
	unsigned i, j = (unsigned)(pa & 0xfff) / 32;

	if (!f || !f->tag || f->tag > p->nslab)
		return;
	i = f->tag - 1u;
	p->slab[i].used[j / 64] &= ~(1ull << (j % 64));
	if (i < p->slab_hint)
		p->slab_hint = i;
}

static long pae_priv_clone(struct pgt_engine *dst,
			   const struct pgt_engine *src)
{
	const struct pae_priv *s = pgt_cmach(src)->arch_priv;
	struct pae_priv *d = pgt_mach(dst)->arch_priv;

	d->slab = NULL;
	d->cslab = 0;
	if (!s->nslab)
		return 0;
	d->slab = malloc(s->nslab * sizeof(*d->slab));
	if (!d->slab) {
		d->nslab = 0;
		return -1;
	}
	memcpy(d->slab, s->slab, s->nslab * sizeof(*d->slab));
	d->cslab = s->nslab;
	return (long)(s->nslab * sizeof(*d->slab));
}

static void pae_priv_free(struct pgt_engine *e)
{
	struct pae_priv *p = pgt_mach(e)->arch_priv;

	if (!p)
		return;
	free(p->slab);
	p->slab = NULL;
	p->nslab = p->cslab = 0;
}

static unsigned prealloc_pmds(struct pgt_engine *e)
{
	return P(e)->shared ? KERNEL_PGD : 4;
}

static int pae_mm_init(struct pgt_engine *e, struct pgt_mm *mm,
		       struct pgt_mm *parent, struct pgt_err *err)
{
	struct pae_priv *p = P(e);
	struct pae_mm *m = M(mm);
	uint8_t *pgd;
	unsigned i;

	if (p->shared) {
		if (slab_alloc_pgd(e, &m->pgd))
			goto oom;
	} else {
		if (alloc_page(e, p->pti ? 1 : 0, &m->pgd))
			goto oom;
		m->pgd_page = true;
		m->on_pgd_list = true;	/* pgd_ctor: unshared => pgd_list */
	}
	mm->top = m->pgd;
	mm->top_level = L_PDPT;
	pgt_ev_table(e, mm, true, L_PDPT, m->pgd,
		     m->pgd_page ? (p->pti ? 8192 : 4096) : 32, -1);
	pgd = pgt_phys(e, m->pgd);
	if (p->shared) {
		/* clone_pgd_range: the kernel entry of swapper_pg_dir */
		st(pgd + 8 * KERNEL_PGD, p->kpmd | PTE_P);
	}
	for (i = 0; i < prealloc_pmds(e); i++) {
		uint64_t pmd;

		if (alloc_page(e, 0, &pmd))
			goto oom;
		mm->nr_tables[L_PD]++;
		pgt_ev_table(e, mm, true, L_PD, pmd, 4096, -1);
		if (i >= KERNEL_PGD)	/* a private copy of the kernel PMD */
			memcpy(pgt_phys(e, pmd), pgt_phys(e, p->kpmd), 4096);
		/* pud_populate; its flush_tlb_mm costs nothing: the new mm
		 * is loaded nowhere yet (review-6.1.md 1) */
		set_pdpte(e, mm, (uint64_t)i << 30, pgd + 8 * i, pmd | PTE_P);
	}
	if (p->pti) {
		uint64_t upmd;
		uint8_t *u = pgt_phys(e, m->pgd + 4096);

		if (alloc_page(e, 0, &upmd))
			goto oom;
		mm->nr_tables[L_PD]++;
		pgt_ev_table(e, mm, true, L_PD, upmd, 4096, -1);
		memcpy(pgt_phys(e, upmd), pgt_phys(e, p->pti_kpmd), 4096);
		st(u + 8 * KERNEL_PGD, upmd | PTE_P);
	}
	return PGT_OK;
oom:
	return pgt_fail(err, PGT_ERR_LIMIT,
			"out of simulated memory allocating a pgd (set mem=)");
}

static void pae_mm_destroy(struct pgt_engine *e, struct pgt_mm *mm)
{
	struct pae_priv *p = P(e);
	struct pae_mm *m = M(mm);
	uint8_t *pgd = pgt_phys(e, m->pgd);
	unsigned i;

	/* pgd_free mops up every preallocated slot still populated */
	for (i = 0; i < prealloc_pmds(e); i++) {
		uint64_t ent = ld(pgd + 8 * i);

		if (ent & PTE_P)
			pae_table_free(e, mm, L_PD, ent & PFN_MASK);
	}
	if (p->pti) {
		uint64_t ent = ld(pgd + 4096 + 8 * KERNEL_PGD);

		if (ent & PTE_P)
			pae_table_free(e, mm, L_PD, ent & PFN_MASK);
	}
	m->on_pgd_list = false;
	pgt_ev_table(e, mm, false, L_PDPT, m->pgd,
		     m->pgd_page ? (p->pti ? 8192 : 4096) : 32, -1);
	if (m->pgd_page)
		simmem_free(&pgt_mach(e)->mem, m->pgd);
	else
		slab_free_pgd(e, m->pgd);
}

static int pae_mm_prepare_range(struct pgt_engine *e, struct pgt_mm *mm,
				uint64_t addr, uint64_t len)
{
	return addr + len > PAGE_OFFSET ? -ENOMEM : 0;
}

static uint64_t pae_mm_root(struct pgt_engine *e, struct pgt_mm *mm)
{
	return M(mm)->pgd;
}

/*
 * x86 switch_mm_irqs_off (arch/x86/mm/tlb.c, 6.1): the new CR3,
 * mm_cpumask bits moved.  Back to the mm an idle CPU held lazily
 * (prev == next), only a CPU that a flush skipped while lazy reloads CR3:
 * its context's tlb_gen is behind the mm's.
 */
static void pae_switch_mm(struct pgt_engine *e, unsigned cpu,
			  struct pgt_mm *prev, struct pgt_mm *next)
{
	uint64_t bit = 1ull << cpu;
	bool counted = pgt_mach(e)->op_index && cpu == pgt_mach(e)->self;

	if (prev && prev == next) {
		if (!(M(next)->lazy_behind & bit))
			return;
		M(next)->lazy_behind &= ~bit;
		pgt_ev_note(e, next, "cpu %u leaves lazy TLB mode behind mm %d's tlb_gen: full flush there",
			    cpu, next->id);
		if (counted)
			pgt_flush(e, PGT_FL_FLUSH_ALL, 1, R_LAZY_BACK);
		return;
	}
	if (prev) {
		prev->cpumask &= ~bit;
		M(prev)->lazy_behind &= ~bit;
	}
	if (next) {
		next->cpumask |= bit;
		M(next)->lazy_behind &= ~bit;
		if (counted)
			pgt_flush(e, PGT_FL_FLUSH_ALL, 1, R_SWITCH);
	}
}

/* ---- kernel mappings and their propagation (pae.md §5) ---- */

static uint64_t kernel_prot(struct pgt_engine *e, unsigned prot)
{
	uint64_t v = PTE_P | PTE_A | PTE_D | PTE_G;

	if (prot & PGT_PROT_W)
		v |= PTE_RW;
	if (!(prot & PGT_PROT_X))
		v |= nx_mask(e);
	return v;
}

/* arch_sync_kernel_mappings: copy swapper's PDE into every pgd on
 * pgd_list (unshared kernel PMD); shared PMDs see it at once */
static void sync_kernel_pde(struct pgt_engine *e, uint64_t va, uint64_t pde)
{
	unsigned idx = (unsigned)((va >> 21) & 511), n = 0;
	size_t i;

	if (P(e)->shared)
		return;
	for (i = 0; i < pgt_mach(e)->nmms; i++) {
		struct pgt_mm *mm = pgt_mach(e)->mms[i];
		uint8_t *pgd, *pmd;
		uint64_t old;

		if (!mm || mm->dead || !M(mm)->on_pgd_list)
			continue;
		pgd = pgt_phys(e, M(mm)->pgd);
		pmd = pgt_phys(e, ld(pgd + 8 * KERNEL_PGD) & PFN_MASK);
		old = ld(pmd + 8 * idx);
		if (old == pde)
			continue;
		st(pmd + 8 * idx, pde);
		pgt_ev_entry(e, mm, L_PD, va, pmd + 8 * idx, old, pde);
		n++;
	}
	pgt_ev_note(e, NULL, "arch_sync_kernel_mappings: PDE for 0x%llx copied into %u pgd(s) on pgd_list",
		    (unsigned long long)(va & ~0x1fffffull), n);
}

static int kmap_op(struct pgt_engine *e, const struct pgt_op *op,
		   struct pgt_err *err)
{
	struct pae_priv *p = P(e);
	uint64_t va, end = op->addr + op->len, changed_lo = ~0ull,
		 changed_hi = 0, nflush = 0;
	uint8_t *kpmd = pgt_phys(e, p->kpmd);

	if (op->addr < VMALLOC_START || end > VMALLOC_END || end < op->addr)
		return pgt_fail(err, PGT_ERR_INPUT,
				"kmap range 0x%llx+0x%llx is outside the vmalloc area; expected an address range within 0x%llx-0x%llx",
				(unsigned long long)op->addr,
				(unsigned long long)op->len,
				(unsigned long long)VMALLOC_START,
				(unsigned long long)VMALLOC_END);
	for (va = op->addr; va < end; va += 4096) {
		unsigned idx = (unsigned)((va >> 21) & 511);
		uint64_t pde = ld(kpmd + 8 * idx), pt, old, new = 0, pfn;
		uint8_t *pte;

		if (!pde) {
			if (!op->prot)
				continue;
			if (alloc_page(e, 0, &pt))
				return pgt_fail(err, PGT_ERR_LIMIT,
						"out of simulated memory (set mem=)");
			pgt_ev_table(e, NULL, true, L_PT, pt, 4096, -1);
			pde = pt | PDE_KTABLE;
			st(kpmd + 8 * idx, pde);
			pgt_ev_entry(e, NULL, L_PD, va, kpmd + 8 * idx, 0, pde);
			sync_kernel_pde(e, va, pde);
		}
		pte = (uint8_t *)pgt_phys(e, pde & PFN_MASK) + 8 * ((va >> 12) & 511);
		old = ld(pte);
		if (op->prot) {
			if (old & PTE_P)
				pfn = (old & PFN_MASK) >> 12;
			else if (pgt_page_alloc(e, 0, &pfn))
				return pgt_fail(err, PGT_ERR_LIMIT,
						"out of simulated memory (set mem=)");
			new = (pfn << 12) | kernel_prot(e, op->prot);
		} else if (old & PTE_P) {
			simmem_free(&pgt_mach(e)->mem, old & PFN_MASK);
		}
		if (old == new)
			continue;
		st(pte, new);
		pgt_ev_entry(e, NULL, L_PT, va, pte, old, new);
		if (old & PTE_P) {	/* a cached translation changed */
			nflush++;
			if (va < changed_lo)
				changed_lo = va;
			changed_hi = va + 4096;
		}
	}
	if (nflush) {
		uint64_t nr = (changed_hi - changed_lo) >> 12;
		unsigned others = pgt_mach(e)->ncpus - 1;

		if (nr > FLUSH_CEILING)
			pgt_flush(e, PGT_FL_FLUSH_GLOBAL, 1, R_KALL);
		else
			pgt_flush(e, PGT_FL_INVLPG, nr, R_KRANGE);
		pgt_flush(e, PGT_FL_IPI, others, R_KIPI);
	}
	return PGT_OK;
}

static const struct pgt_arch_op pae_ops[] = {
	{ PGT_OP_KMAP, kmap_op },
	{ PGT_OP__COUNT, NULL },
};

/* ---- global state ---- */

static int pae_init(struct pgt_engine *e, struct pgt_err *err)
{
	struct pae_priv *p = P(e);
	uint64_t pa, lowmem, end = pgt_mach(e)->mem.limit_pfn << 12;
	uint8_t *kpmd;
	unsigned i;

	/* SHARED_KERNEL_PMD: off with PTI (4.19+) and always in 6.16 */
	p->shared = p->kernel_pmd != 2 && !p->pti && pgt_mach(e)->profile != PAE_6_16;
	if (p->kernel_pmd == 1 && !p->shared)
		return pgt_fail(err, PGT_ERR_INPUT,
				"kernel-pmd=shared is impossible with %s; expected kernel-pmd=unshared",
				p->pti ? "pti=on" : "profile pae-6.16");
	if (alloc_page(e, 0, &p->swapper) || alloc_page(e, 0, &p->kpmd) ||
	    alloc_page(e, 0, &p->pti_kpmd))
		return pgt_fail(err, PGT_ERR_LIMIT, "out of simulated memory");
	st((uint8_t *)pgt_phys(e, p->swapper) + 8 * KERNEL_PGD, p->kpmd | PTE_P);
	/* the direct map of low memory: 2 MiB global pages, text (first
	 * 16 MiB) executable, the rest NX */
	kpmd = pgt_phys(e, p->kpmd);
	lowmem = end < (VMALLOC_START - PAGE_OFFSET) ? end :
		 (VMALLOC_START - PAGE_OFFSET);
	for (pa = 0, i = 0; pa < lowmem; pa += 2u << 20, i++)
		st(kpmd + 8 * i, pa | PTE_P | PTE_RW | PTE_A | PTE_D | PTE_PSE |
			 PTE_G | (pa < (16u << 20) ? 0 : nx_mask(e)));
	/* the user-visible kernel PMD of PTI: entry text only */
	st((uint8_t *)pgt_phys(e, p->pti_kpmd),
	   0x1000000ull | PTE_P | PTE_A | PTE_D | PTE_PSE | PTE_G);
	if (pgt_page_alloc(e, 0, &p->zero_pfn))
		return pgt_fail(err, PGT_ERR_LIMIT, "out of simulated memory");
	simmem_frame(&pgt_mach(e)->mem, p->zero_pfn << 12)->flags |= SIMF_ZERO;
	return PGT_OK;
}

static void pae_fini(struct pgt_engine *e)
{
}

/* ---- walker face ---- */

static void pae_root_decode(uint64_t cr3, struct pgt_root_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->top_level = L_PDPT;
	ri->table = cr3 & 0xffffffe0ull;	/* CR3 bits 31:5 */
	ri->entries = 4;
	if (cr3 >> 32)
		ri->why = "PAE CR3 above 4 GiB";
}

/* CR3 (pae.md §1): PDPT address bits 31:5, PWT bit 3, PCD bit 4 */
static void pae_root_describe(uint64_t cr3, char *buf, size_t len)
{
	uint64_t t = cr3 & 0xffffffe0ull;

	snprintf(buf, len, "PDPT at 0x%llx%s%s%s", (unsigned long long)t,
		 t & 0xfff ? " (32-byte slab object)" : " (page)",
		 cr3 & 8 ? " PWT" : "", cr3 & 16 ? " PCD" : "");
}

/*
 * The memory type a leaf selects: PWT (bit 3), PCD (bit 4) and PAT (bit 7
 * of a PTE, bit 12 of a 2 MiB PDE) index the PAT MSR, which Linux
 * programs as WB, WC, UC-, UC, WB, WP, UC-, WT (pat_bp_init in
 * arch/x86/mm/pat/memtype.c, since 4.2; slots 4 and 6 unused by the
 * kernel).  A kernel booted with nopat, or a CPU without PAT, keeps the
 * power-on layout instead; the dump does not say which.
 */
static const char *const linux_pat[8] = {
	"WB", "WC", "UC-", "UC", "WB", "WP", "UC-", "WT"
};

static inline const char *pae_memtype(uint64_t v, bool large)
{
	unsigned pat = large ? (unsigned)(v >> 12) & 1 : (unsigned)(v >> 7) & 1;

	return linux_pat[(unsigned)((v >> 3) & 3) | pat << 2];
}

/*
 * A not-present PTE with PROTNONE clear is a swap entry (swapops.h
 * is_swap_pte).  Layout of the 6.1 pgtable-3level.h: the type in bits
 * 59-63, the offset in bits 9-58 stored inverted (L1TF, pgtable-invert.h),
 * and since 6.0 _PAGE_SWP_EXCLUSIVE borrowing bit 7.  The generic
 * swp_entry_t of a 32-bit kernel keeps 27 bits of offset.
 */
#define SWP_TYPE_SHIFT 59
#define SWP_OFFSET_FIRST_BIT 9
#define SWP_OFFSET_BITS 27
#define SWP_EXCLUSIVE PTE_PSE

static inline unsigned swp_type(uint64_t v)
{
	return (unsigned)(v >> SWP_TYPE_SHIFT);
}

static inline uint64_t swp_offset(uint64_t v)
{
	return (~v >> SWP_OFFSET_FIRST_BIT) & ((1ull << SWP_OFFSET_BITS) - 1);
}

/* "reserved bit(s) 1, 6 set in a PDPTE": the bits of bad, for a finding */
static const char *reserved_why(struct pgt_ent_info *ei, uint64_t bad,
				const char *where)
{
	size_t n, len = sizeof(ei->whybuf);
	unsigned b, nbits = popcount(bad);

	n = (size_t)snprintf(ei->whybuf, len, "reserved bit%s ",
			     nbits == 1 ? "" : "s");
	for (b = 0; b < 64 && n < len; b++)
		if (bad & (1ull << b))
			n += (size_t)snprintf(ei->whybuf + n, len - n, "%s%u",
					      bad & ((1ull << b) - 1) ? ", " : "",
					      b);
	if (n < len)
		snprintf(ei->whybuf + n, len - n, " set in %s", where);
	return ei->whybuf;
}

/* PDPTE (SDM Vol. 3 §4.4.1, Table 4-8): bits 1-2 and 5-8 are reserved
 * (a PDPTE has no A, D, PS or G), and the bits above the physical-address
 * width; 52-63 are reserved on every CPU.  Bit 5 is set by QEMU's page
 * walker on the dumps it writes (dumps README) and tolerated. */
#define PDPTE_RSVD (0x1c6ull | 0xfff0000000000000ull)
#define PDPTE_QEMU_A 0x020ull

static void leaf(struct pgt_ent_info *ei, uint64_t v, uint64_t pa,
		 uint64_t size, bool large)
{
	ei->kind = PGT_ENT_LEAF;
	ei->linux_present = true;
	ei->pa = pa;
	ei->size = size;
	ei->hw = pgt_x86_hw_flags(v);
	ei->memtype = pae_memtype(v, large);
}

static void pae_entry_decode(int level, uint64_t v, struct pgt_ent_info *ei)
{
	/* the common case first: a present 4 KiB PTE (every field set but
	 * whybuf, no memset on the path that runs once per page of a walk) */
	if (level == L_PT && (v & PTE_P)) {
		ei->kind = PGT_ENT_LEAF;
		ei->next = 0;
		ei->next_entries = 0;
		ei->pa = v & PFN_MASK;
		ei->size = 4096;
		ei->hw = pgt_x86_hw_flags(v);
		ei->deny = 0;
		ei->linux_present = true;
		ei->memtype = pae_memtype(v, false);
		ei->what = NULL;
		ei->why = NULL;
		return;
	}
	memset(ei, 0, offsetof(struct pgt_ent_info, whybuf));
	if (!v) {
		ei->kind = PGT_ENT_EMPTY;
		return;
	}
	if (level == L_PDPT) {
		if (!(v & PTE_P)) {
			ei->kind = PGT_ENT_NOTPRESENT;
			return;
		}
		if (v & PDPTE_RSVD) {
			ei->kind = PGT_ENT_BAD;
			ei->why = reserved_why(ei, v & PDPTE_RSVD, "a PDPTE");
			return;
		}
		ei->kind = PGT_ENT_TABLE;
		ei->next = v & PFN_MASK;
		return;
	}
	if (level == L_PD && (v & PTE_PSE)) {
		if ((v & 0x1fe000ull) && (v & PTE_P)) {
			ei->kind = PGT_ENT_BAD;
			ei->why = reserved_why(ei, v & 0x1fe000ull,
					       "a 2 MiB PDE");
			return;
		}
		leaf(ei, v, pae_pmd_pfn(v) << 12, 2u << 20, true);
		if (!(v & PTE_P))
			ei->what = v & PTE_PROTNONE ? "PROT_NONE" :
				   "huge PMD invalidated (being split)";
		return;
	}
	if (!(v & PTE_P)) {
		if (level == L_PT && (v & PTE_PROTNONE)) {
			leaf(ei, v, pae_pte_pfn(v) << 12, 4096, false);
			ei->what = "PROT_NONE";
			return;
		}
		ei->kind = PGT_ENT_NOTPRESENT;
		if (level == L_PT)
			ei->what = "swap entry";
		return;
	}
	if (level == L_PD) {
		ei->kind = PGT_ENT_TABLE;
		ei->next = v & PFN_MASK;
		ei->deny = (v & PTE_RW ? 0 : PGT_HF_W) |
			   (v & PTE_US ? 0 : PGT_HF_U) |
			   (v & PTE_NX ? PGT_HF_X : 0);
		return;
	}
	leaf(ei, v, v & PFN_MASK, 4096, false);
}

/* pae_entry_decode at L_PT, counted: P -> a leaf the MMU uses; P clear
 * with PROTNONE -> a leaf present to Linux only; anything else maps
 * nothing (PTEs have no reserved-bit findings in this model) */
static bool pae_count_leaves(const uint8_t *buf, uint32_t n, uint64_t *leaves,
			     uint64_t *pages, uint64_t *protnone)
{
	uint64_t l = 0, p = 0, pn = 0;
	uint32_t i;

	for (i = 0; i < n; i++) {
		uint64_t v;

		memcpy(&v, buf + 8 * (size_t)i, 8);
		p += v & PTE_P;
		pn += !(v & PTE_P) && (v & PTE_PROTNONE);
	}
	l = p + pn;
	*leaves += l;
	*pages += p;
	*protnone += pn;
	return true;
}

#define ADD(...) (n += (size_t)snprintf(buf + n, n < len ? len - n : 0, __VA_ARGS__))

/* a swap PTE: its fields, not the flag names its bits would have */
static int describe_swap(uint64_t v, char *buf, size_t len)
{
	size_t n = 0;

	ADD("swap type=%u offset=0x%llx%s", swp_type(v),
	    (unsigned long long)swp_offset(v),
	    v & SWP_EXCLUSIVE ? " exclusive" : "");
	return (int)n;
}

/* a PDPTE: P, PWT, PCD, the ignored bits 9-11, the reserved ones by
 * number (bit 5 is no accessed bit here, SDM Vol. 3 Table 4-8) */
static int describe_pdpte(uint64_t v, char *buf, size_t len)
{
	size_t n = 0;
	unsigned b;

	if (v & PTE_P)
		ADD("P");
	if (v & PTE_PWT)
		ADD("%sPWT", n ? " " : "");
	if (v & PTE_PCD)
		ADD("%sPCD", n ? " " : "");
	for (b = 0; b < 64 && (v & PTE_P); b++)
		if ((PDPTE_RSVD | PDPTE_QEMU_A) & v & (1ull << b))
			ADD("%sRSVD%u%s", n ? " " : "", b,
			    b == 5 ? "(QEMU)" : "");
	if ((v & PTE_P) && (v & 0xe00))
		ADD("%sIGN=0x%llx", n ? " " : "",
		    (unsigned long long)((v >> 9) & 7));
	ADD("%stable=0x%llx", n ? " " : "", (unsigned long long)(v & PFN_MASK));
	return (int)n;
}

static int pae_entry_describe(int level, uint64_t v, char *buf, size_t len)
{
	bool large = level == L_PD && (v & PTE_PSE);
	bool leafy = level == L_PT || large;
	size_t n;

	if (!v)
		return snprintf(buf, len, "empty");
	if (level == L_PDPT)
		return describe_pdpte(v, buf, len);
	if (level == L_PT && !(v & (PTE_P | PTE_PROTNONE)))
		return describe_swap(v, buf, len);
	n = pgt_x86_low_bit_names(v, level == L_PT, leafy ? "PROT_NONE" : NULL,
				  buf, len, 0);
	if (large && (v & PTE_PAT_LARGE))
		ADD(" PAT");
	if (v & PTE_NX)
		ADD(" NX");
	if (large)
		ADD(" frame=0x%llx", (unsigned long long)(pae_pmd_pfn(v) << 12));
	else
		ADD(" %s=0x%llx", level == L_PT ? "frame" : "table",
		    (unsigned long long)(pae_pte_pfn(v) << 12));
	/* the memory type, when a caching bit selects another than WB */
	if (leafy && strcmp(pae_memtype(v, large), "WB"))
		ADD(" cache=%s", pae_memtype(v, large));
	return (int)n;
}

#undef ADD

/* ---- regions (ptdump's address markers) ---- */

/*
 * The i386 layout of pgtable_32_areas.h: VMALLOC_START = high_memory +
 * 8 MiB; below the CPU entry area, one PMD each for the LDT remap and the
 * persistent kmaps (LAST_PKMAP 512 with PAE); VMALLOC_END two pages below
 * PKMAP_BASE (CONFIG_HIGHMEM).  CPU_ENTRY_AREA_BASE hangs below the
 * fixmap, whose size is configuration-dependent: 0xff400000 is Debian
 * 6.1 686-pae's (its CPU entry areas in the K1 and A1 dumps).  The names
 * are arch/x86/mm/dump_pagetables.c's markers.
 */
#define VMALLOC_OFFSET (8ull << 20)
#define CPU_ENTRY_AREA_BASE 0xff400000ull
#define LDT_BASE_ADDR (CPU_ENTRY_AREA_BASE - (2ull << 20))
#define PKMAP_BASE (LDT_BASE_ADDR - (2ull << 20))
#define VMALLOC_END_HIGHMEM (PKMAP_BASE - 2 * 4096)
#define VMALLOC_RESERVE (128ull << 20)	/* __VMALLOC_RESERVE default */

static bool info_u64(pgt_info_fn info, void *arg, const char *key, int base,
		     uint64_t *v)
{
	char buf[40], *end;

	if (!info(arg, key, buf, sizeof(buf)))
		return false;
	*v = strtoull(buf, &end, base);
	return end != buf && !*end;
}

/*
 * high_memory, which VMCOREINFO does not give on i386: the end of the
 * only node's span (contig_page_data.node_start_pfn + node_spanned_pages,
 * located by VMCOREINFO's SYMBOL and OFFSETs), capped at MAXMEM.
 */
static bool pae_high_memory(struct pgt_physmem *m, pgt_info_fn info,
			    void *arg, uint64_t *high)
{
	uint64_t sym, o_start, o_span, maxmem;
	uint32_t start, span;

	if (!info_u64(info, arg, "SYMBOL(contig_page_data)", 16, &sym) ||
	    !info_u64(info, arg, "OFFSET(pglist_data.node_start_pfn)", 10,
		      &o_start) ||
	    !info_u64(info, arg, "OFFSET(pglist_data.node_spanned_pages)", 10,
		      &o_span) || sym < PAGE_OFFSET ||
	    m->read(m, sym - PAGE_OFFSET + o_start, &start, 4) ||
	    m->read(m, sym - PAGE_OFFSET + o_span, &span, 4))
		return false;
	maxmem = VMALLOC_END_HIGHMEM - PAGE_OFFSET - VMALLOC_RESERVE;
	*high = ((uint64_t)start + span) << 12;
	if (*high > maxmem)
		*high = maxmem;
	*high += PAGE_OFFSET;
	return true;
}

static size_t pae_regions(struct pgt_physmem *m, pgt_info_fn info, void *arg,
			  struct pgt_region *out, size_t max)
{
	uint64_t high;
	size_t n = 0;
	char rel[16];

	/* a dump of a kernel with the CPU entry area (4.15 and later) */
	if (!info || !info(arg, "OSRELEASE", rel, sizeof(rel)) ||
	    !pae_high_memory(m, info, arg, &high) || max < 6)
		return 0;
	out[n++] = (struct pgt_region){ 0, PAGE_OFFSET, "User Space" };
	out[n++] = (struct pgt_region){ PAGE_OFFSET, high, "Kernel Mapping" };
	out[n++] = (struct pgt_region){ high + VMALLOC_OFFSET,
					VMALLOC_END_HIGHMEM, "vmalloc() Area" };
	out[n++] = (struct pgt_region){ PKMAP_BASE, LDT_BASE_ADDR,
					"Persistent kmap() Area" };
	out[n++] = (struct pgt_region){ LDT_BASE_ADDR, CPU_ENTRY_AREA_BASE,
					"LDT remap" };
	out[n++] = (struct pgt_region){ CPU_ENTRY_AREA_BASE, 0,
					"CPU entry Area / Fixmap area" };
	return n;
}

/* ---- --check: P1, P4, P7, P8, P11 (invariants.md §C) ---- */

/* P4: an mm's kernel PMD against swapper's, the PDEs the operation may
 * have changed (kmap: its range, in every mm) */
static bool kernel_pmd_differs(struct pgt_engine *e, struct pgt_mm *mm,
			       const uint8_t *pmd, const uint8_t *kpmd)
{
	uint64_t va;
	unsigned j;

	for (va = pgt_check_next(e, mm, PAGE_OFFSET, NULL);
	     va <= 0xffffffffull;
	     va = pgt_check_next(e, mm, (va | 0x1fffff) + 1, NULL)) {
		j = (unsigned)((va - PAGE_OFFSET) >> 21);
		if (memcmp(pmd + 8 * j, kpmd + 8 * j, 8))
			return true;
	}
	return false;
}

/*
 * P10 (invariants.md, remote shootdown coverage) as the model keeps it:
 * every CPU with mm loaded is in its mm_cpumask, whether it runs the mm
 * or holds it lazily in the idle task; a CPU a flush skipped (behind the
 * mm's tlb_gen) is one that still holds the mm lazily, and will flush
 * when it comes back (pae_switch_mm).
 */
static int check_cpus(struct pgt_engine *e, struct pgt_mm *mm,
		      struct pgt_err *err)
{
	const struct pgt_machine *m = pgt_mach(e);
	uint64_t loaded = 0, lazy;
	unsigned cpu;

	for (cpu = 0; cpu < m->ncpus; cpu++)
		if (m->cpu_mm[cpu] == mm)
			loaded |= 1ull << cpu;
	lazy = loaded & m->cpu_idle;
	if ((mm->cpumask & loaded) != loaded)
		return pgt_fail(err, PGT_ERR_INVARIANT,
				"invariant P10 violated after op %lu: mm %d is loaded on CPUs 0x%llx, mm_cpumask 0x%llx misses some",
				m->op_index, mm->id, (unsigned long long)loaded,
				(unsigned long long)mm->cpumask);
	if ((M(mm)->lazy_behind & lazy) != M(mm)->lazy_behind)
		return pgt_fail(err, PGT_ERR_INVARIANT,
				"invariant P10 violated after op %lu: mm %d: CPUs 0x%llx missed a flush but do not hold it lazily (0x%llx)",
				m->op_index, mm->id,
				(unsigned long long)M(mm)->lazy_behind,
				(unsigned long long)lazy);
	return PGT_OK;
}

static int pae_check(struct pgt_engine *e, struct pgt_err *err)
{
	struct pae_priv *p = P(e);
	uint64_t kslot = ld((uint8_t *)pgt_phys(e, p->swapper) + 8 * KERNEL_PGD);
	uint64_t va, last;
	size_t i;

	for (i = 0; i < pgt_mach(e)->nmms; i++) {
		struct pgt_mm *mm = pgt_mach(e)->mms[i];
		uint8_t *pgd;
		unsigned s;

		if (!mm || mm->dead)
			continue;
		/* P10 is about CPUs, which any op may move: every mm, cheap */
		if (check_cpus(e, mm, err))
			return err->status;
		/* an mm the operation cannot have changed was checked */
		if (!pgt_check_wants(e, mm, 0, UINT64_MAX))
			continue;
		pgd = pgt_phys(e, M(mm)->pgd);
		if (M(mm)->pgd & 31)
			return pgt_fail(err, PGT_ERR_INVARIANT,
					"invariant P1 violated after op %lu: pgd of mm %d at 0x%llx is not 32-byte aligned",
					pgt_mach(e)->op_index, mm->id,
					(unsigned long long)M(mm)->pgd);
		for (s = 0; s < 4; s++) {
			uint64_t v = ld(pgd + 8 * s);
			uint8_t *pmd;
			unsigned j;

			if (v && (v & ~(PFN_MASK | PTE_P)))
				return pgt_fail(err, PGT_ERR_INVARIANT,
						"invariant P1 violated after op %lu: mm %d PDPTE[%u] = 0x%llx has bits besides address|P",
						pgt_mach(e)->op_index, mm->id, s,
						(unsigned long long)v);
			if (p->pti && s < KERNEL_PGD &&
			    ld(pgd + 4096 + 8 * s) != v)
				return pgt_fail(err, PGT_ERR_INVARIANT,
						"invariant P11 violated after op %lu: mm %d user PDPT copy differs in slot %u",
						pgt_mach(e)->op_index, mm->id, s);
			if (s == KERNEL_PGD) {
				if (p->shared && v != kslot)
					return pgt_fail(err, PGT_ERR_INVARIANT,
							"invariant P4 violated after op %lu: mm %d kernel PDPTE 0x%llx is not swapper's 0x%llx",
							pgt_mach(e)->op_index, mm->id,
							(unsigned long long)v,
							(unsigned long long)kslot);
				if (!p->shared &&
				    kernel_pmd_differs(e, mm,
						       pgt_phys(e, v & PFN_MASK),
						       pgt_phys(e, p->kpmd)))
					return pgt_fail(err, PGT_ERR_INVARIANT,
							"invariant P4 violated after op %lu: mm %d kernel PMD differs from swapper's after a sync point",
							pgt_mach(e)->op_index, mm->id);
				continue;
			}
			if (!(v & PTE_P) ||
			    !pgt_check_wants(e, mm, (uint64_t)s << 30,
					     ((uint64_t)s << 30) + (1u << 30) - 1))
				continue;
			pmd = pgt_phys(e, v & PFN_MASK);
			/* the PDEs the operation may have changed: the
			 * others were checked before */
			for (va = pgt_check_next(e, mm, (uint64_t)s << 30, &last);
			     va < ((uint64_t)s + 1) << 30;
			     va = (va | 0x1fffff) + 1,
			     va = va > last ? pgt_check_next(e, mm, va, &last) : va) {
				uint64_t d;

				va &= ~0x1fffffull;
				j = (unsigned)((va >> 21) & 511);
				d = ld(pmd + 8 * j);
				if (!d)
					continue;

				if (d && (d & PTE_P) && !(d & PTE_PSE) &&
				    (d & 0xfff) != PDE_TABLE)
					return pgt_fail(err, PGT_ERR_INVARIANT,
							"invariant P7 violated after op %lu: mm %d user PDE 0x%llx for va 0x%llx is not table|0x067",
							pgt_mach(e)->op_index, mm->id,
							(unsigned long long)d,
							(unsigned long long)va);
				if ((d & PTE_P) && (d & 0x7ff0000000000000ull))
					return pgt_fail(err, PGT_ERR_INVARIANT,
							"invariant P8 violated after op %lu: mm %d PDE 0x%llx has reserved bits",
							pgt_mach(e)->op_index, mm->id,
							(unsigned long long)d);
			}
		}
	}
	return PGT_OK;
}

static const struct pgt_mm_rules pae_rules = {
	.profiles = pae_profiles,
	.thp_order = 9,
	.priv_size = sizeof(struct pae_priv),
	.mm_priv_size = sizeof(struct pae_mm),
	/* i386 mmu_gather: 8 local + 9 batches of 1021 pages; tables in
	 * batches of (4096 - 12) / 4 = 1021 (derived from the 6.1 layout) */
	.page_batch_max = 8 + 9 * 1021,
	.table_batch_max = 1021,
	.set_option = pae_set_option,
	.init = pae_init,
	.fini = pae_fini,
	.describe_options = pae_describe,
	.mm_init = pae_mm_init,
	.mm_destroy = pae_mm_destroy,
	.priv_clone = pae_priv_clone,
	.priv_free = pae_priv_free,
	.mm_prepare_range = pae_mm_prepare_range,
	.mm_root = pae_mm_root,
	.switch_mm = pae_switch_mm,
	.thp_possible = pae_thp_possible,
	.table_alloc = pae_table_alloc,
	.table_free = pae_table_free,
	.table_free_tlb = pae_table_free_tlb,
	.table_release = pae_table_release,
	.upper_kind = pae_upper_kind,
	.upper_populate = pae_upper_populate,
	.upper_clear = pae_upper_clear,
	.vm_prot = pae_vm_prot,
	.mk_pte = pae_mk_pte,
	.pte_mkwrite = pae_pte_mkwrite,
	.pte_mkdirty = pae_pte_mkdirty,
	.pte_mkyoung = pae_pte_mkyoung,
	.pte_mkold = pae_pte_mkold,
	.pte_wrprotect = pae_pte_wrprotect,
	.pte_mkspecial = pae_pte_mkspecial,
	.pte_mkclean = pae_pte_mkclean,
	.pte_none = pae_pte_none,
	.pte_present = pae_pte_present,
	.pte_write = pae_pte_write,
	.pte_dirty = pae_pte_dirty,
	.pte_special = pae_pte_special,
	.pte_protnone = pae_pte_protnone,
	.pte_pfn = pae_pte_pfn,
	.pte_access_ok = pae_pte_access_ok,
	.zero_pfn = pae_zero_pfn,
	.set_pte_at = pae_set_pte_at,
	.ptep_clear_flush = pae_ptep_clear_flush,
	.ptep_set_access_flags = pae_ptep_set_access_flags,
	.hw_touch = pae_hw_touch,
	.change_pte_range = pae_change_pte_range,
	.zap_pte_range = pae_zap_pte_range,
	.free_pte_range = pae_free_pte_range,
	.copy_pte_range = pae_copy_pte_range,
	.mk_huge_pmd = pae_mk_huge_pmd,
	.pmd_modify = pae_pmd_modify,
	.pmd_mkold_wrprotect = pae_pmd_mkold_wrprotect,
	.pmd_mkold_clean = pae_pmd_mkold_clean,
	.pmd_mkyoung_dirty_write = pae_pmd_mkyoung_dirty_write,
	.pmd_huge = pae_pmd_huge,
	.pmd_write = pae_pmd_write,
	.pmd_young = pae_pmd_young,
	.pmd_protnone = pae_pmd_protnone,
	.pmd_pfn = pae_pmd_pfn,
	.split_pte = pae_split_pte,
	.pmdp_invalidate = pae_pmdp_invalidate,
	.pmdp_huge_clear_flush = pae_pmdp_huge_clear_flush,
	.pmdp_get_and_clear_full = pae_pmdp_get_and_clear_full,
	.pmdp_set_wrprotect = pae_pmdp_set_wrprotect,
	.change_huge_pmd = pae_change_huge_pmd,
	.pmdp_set_access_flags = pae_pmdp_set_access_flags,
	.pmd_hw_touch = pae_pmd_hw_touch,
	.pmd_access_ok = pae_pmd_access_ok,
	.tlb_flush = pae_tlb_flush,
	.flush_tlb_mm = pae_flush_tlb_mm,
	/* arch/x86/Kconfig selects HAVE_MOVE_PMD (since 5.0) */
	.ptep_get_and_clear = pae_ptep_get_and_clear,
	.flush_tlb_range = pae_flush_tlb_range,
	.have_move_pmd = true,
	.pmdp_huge_get_and_clear = pae_pmdp_huge_get_and_clear,
	.flush_pmd_tlb_range = pae_flush_pmd_tlb_range,
	.pmdp_collapse_flush = pae_pmdp_collapse_flush,
	.ops = pae_ops,
	.leaf_state = pae_leaf_state,
	.check = pae_check,
};

const struct pgt_arch pgt_arch_pae = {
	.name = "pae",
	.va_bits = 32,
	.nlevels = 3,
	.levels = pae_levels,
	.big_endian = false,
	.elf_machine = 3 /* EM_386 */,
	.user_limit = PAGE_OFFSET,
	.root_decode = pae_root_decode,
	.root_describe = pae_root_describe,
	.entry_decode = pae_entry_decode,
	.entry_describe = pae_entry_describe,
	.count_leaves = pae_count_leaves,
	.regions = pae_regions,
	/* arch/x86/mm/dump_pagetables.c: "x86/mm: Checked W+X mappings:
	 * FAILED, %lu W+X pages found." */
	.wx_prefix = "x86/mm: ",
	.wx_period = true,
	.user_limit_note = "as a 32-bit process on a 64-bit kernel may map",
	.discover = &pgt_pae_discover,
	.mm = &pae_rules,
};
