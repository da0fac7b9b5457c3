/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * s390 (31 bit): the ESA/390 kernel of the 2.6.25 era (s390.md §2.1,
 * §3.2, §4.6, §6.7; profile s390-2.6.25).  Two levels: a 2048 x 4-byte
 * segment table (8 KiB) and 256 x 4-byte page tables (1 KiB, four in a
 * 4 KiB page, tracked in the page flags and the per-mm pgtable_list).
 * The old PTE encoding: no software young/dirty (storage keys), a present
 * PTE is hardware-valid except PROT_NONE.  Flushes: IPTE when the mm has
 * other users or is not the active mm here, plain stores otherwise with
 * one full flush at the flush points; the machine has no IDTE, so the
 * full flush is PTLB when the mm only ran on this CPU, else CSP.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include "s390-priv.h"
#include "s390-discover.h"

static const char *const s390_profiles[] = { "s390-2.6.25", NULL };

static const struct pgt_level s390_levels[] = {
	{ "SGT", "pgd", 20, 2048, 4, 8192, 0x20 },
	{ "PT", "pte", 12, 256, 4, 1024, 0x400 },
};

#define L31_SGT 0
#define L31_PT 1

/* 31-bit PTE (s390.md §2.1, §4.6) */
#define PTE31_I		0x400u
#define PTE31_RO	0x200u
#define PTE31_MBZ	0x80000900u	/* bits 0, 20, 23 */
#define PTE31_ORIGIN	0x7ffff000u
#define PTE31_SWT	0x001u
#define PTE31_SWX	0x002u
#define PTE31_SPECIAL	0x004u		/* UNVERIFIED position (s390.md §4.6) */
#define PTE31_TYPE	(PTE31_I | PTE31_RO | PTE31_SWX | PTE31_SWT)
#define PTE31_EMPTY	0x400u
#define PTE31_NONE	0x401u
#define PTE31_SWAP	0x403u
#define PTE31_FILE	0x601u
#define PAGE31_NONE	0x401u
#define PAGE31_RO	0x200u
#define PAGE31_RW	0x000u
/* segment-table entry */
#define STE31_ORIGIN	0x7fffffc0u
#define STE31_I		0x020u
#define STE31_C		0x010u
#define STE31_PTL	0x00fu
#define STE31_EMPTY	0x020u
/* segment-table designation */
#define ASCE31_ORIGIN	0x7ffff000u
#define ASCE31_USER	0x80000180u	/* space-switch, private, alteration */
#define ASCE31_TL	0x7fu		/* 8 KiB: 2048 entries */

#define S390_TASK_SIZE (1ull << 31)

static const char R_IPTE_USERS[] =
	"ptep_get_and_clear: mm_users > 1 or not the active mm (IPTE)";
static const char R_IPTE_ZAP[] =
	"ptep_get_and_clear_full: not a fullmm gather (IPTE)";
static const char R_IPTE_WRPROT[] =
	"ptep_set_wrprotect: mm_users > 1 or not the active mm (IPTE)";
static const char R_IPTE_CLEAR[] = "ptep_clear_flush: always IPTE";
static const char R_IPTE_ACCESS[] =
	"ptep_set_access_flags: ptep_establish (IPTE)";
static const char R_GATHER[] =
	"tlb_gather_mmu: a fullmm gather flushes at its start (__tlb_flush_mm)";
static const char R_FINISH[] =
	"tlb_flush_mmu: page tables queued, flushed before they are freed";
static const char R_RANGE[] =
	"flush_tlb_range: single-user mm active here (__tlb_flush_mm)";

/* ---- flushes (s390.md §6.7, profile s390-2.6.25) ---- */

/* mm_users <= 1 and the mm is current->active_mm on this CPU */
static bool exclusive(struct pgt_engine *e, struct pgt_mm *mm)
{
	return mm->users <= 1 && pgt_mach(e)->cpu_mm[pgt_mach(e)->self] == mm;
}

/* __tlb_flush_mm without IDTE: PTLB if the mm only ran here, else CSP */
static void full_flush(struct pgt_engine *e, struct pgt_mm *mm,
		       const char *why)
{
	if (!mm->cpumask)
		return;
	pgt_flush(e, only_self(e, mm->cpumask) ? PGT_FL_PTLB : PGT_FL_CSP, 1,
		  why);
}

/* ptep_invalidate: IPTE only for a valid entry */
static inline void ipte(struct pgt_engine *e, uint32_t old, const char *why)
{
	if (!(old & PTE31_I))
		pgt_flush(e, PGT_FL_IPTE, 1, why);
}

/* tlb_gather_mmu: the gather is "fullmm" for exit, on a single online
 * CPU, or for a single-user mm active here; such a gather flushes once
 * at its start and then clears PTEs with plain stores */
static void gather_begin(struct pgt_engine *e, struct pgt_gather *g)
{
	struct s390_mm *sm = S390_MM(g->mm);

	if (sm->g_active)
		return;
	sm->g_active = true;
	sm->g_full = g->fullmm || pgt_mach(e)->ncpus == 1 || exclusive(e, g->mm);
	if (sm->g_full)
		full_flush(e, g->mm, R_GATHER);
}

static void s390_tlb_flush(struct pgt_engine *e, struct pgt_gather *g)
{
	struct s390_mm *sm = S390_MM(g->mm);

	if (pgt_mach(e)->op && pgt_mach(e)->op->kind == PGT_OP_PROTECT) {
		/* 2.6.25 mprotect: flush_tlb_range, no mmu_gather */
		if (exclusive(e, g->mm))
			full_flush(e, g->mm, R_RANGE);
		return;
	}
	gather_begin(e, g);
	if (!sm->g_full && g->freed_tables)
		full_flush(e, g->mm, R_FINISH);
	sm->g_active = false;
}

/* flush_tlb_mm: only a single-user mm active here used plain stores */
static void s390_flush_tlb_mm(struct pgt_engine *e, struct pgt_mm *mm,
			      const char *why)
{
	if (exclusive(e, mm))
		full_flush(e, mm, why);
}

/* ---- PTE values (old encoding, s390.md §4.6) ---- */

static inline bool pte_present31(uint64_t v)
{
	return !(v & PTE31_I) || (v & PTE31_TYPE) == PTE31_NONE;
}

static inline bool pte_protnone31(uint64_t v)
{
	return (v & PTE31_TYPE) == PTE31_NONE;
}

/* the RO bit of a PROT_NONE entry is clear: only valid PTEs write */
static inline bool pte_write31(uint64_t v)
{
	return !(v & (PTE31_I | PTE31_RO));
}

static inline uint64_t pte_wrprotect31(uint64_t v)
{
	/* do not turn PROT_NONE (0x401) into a file PTE (0x601) */
	return (v & PTE31_I) ? v : v | PTE31_RO;
}

static inline uint64_t pte_modify31(uint64_t v, uint64_t prot)
{
	return (v & (PTE31_ORIGIN | PTE31_SPECIAL)) | prot;
}

static uint64_t s390_pte_mkwrite(uint64_t v) { return v & ~(uint64_t)PTE31_RO; }
/* young and dirty live in the storage key, not in the PTE */
static uint64_t s390_pte_same(uint64_t v) { return v; }
static uint64_t s390_pte_wrprotect(uint64_t v) { return pte_wrprotect31(v); }
static uint64_t s390_pte_mkspecial(uint64_t v) { return v | PTE31_SPECIAL; }
static bool s390_pte_none(uint64_t v) { return v == PTE31_EMPTY; }
static bool s390_pte_present(uint64_t v) { return pte_present31(v); }
static bool s390_pte_write(uint64_t v) { return pte_write31(v); }
static bool s390_pte_dirty(uint64_t v) { return false; }
static bool s390_pte_special(uint64_t v) { return v & PTE31_SPECIAL; }
static bool s390_pte_protnone(uint64_t v) { return pte_protnone31(v); }
static uint64_t s390_pte_pfn(uint64_t v) { return (v & PTE31_ORIGIN) >> 12; }

/* protection_map: no execute control; private writable is copy-on-write */
static uint64_t s390_vm_prot(struct pgt_engine *e, unsigned flags)
{
	if (!(flags & VM_ACCESS))
		return PAGE31_NONE;
	if ((flags & VM_SHARED) && (flags & VM_WRITE))
		return PAGE31_RW;
	return PAGE31_RO;
}

/* mk_pte: frame + protection, nothing else */
static uint64_t s390_mk_pte(struct pgt_engine *e, uint64_t pfn, uint64_t prot)
{
	return (pfn << 12) | prot;
}

static bool s390_pte_access_ok(struct pgt_engine *e, uint64_t v, bool write)
{
	if (v & PTE31_I)
		return false;
	return !write || !(v & PTE31_RO);
}

/*
 * Linux 2.6.24 removed the use of ZERO_PAGE for anonymous read faults
 * ("remove ZERO_PAGE", Nick Piggin) and 2.6.32 brought it back ("mm:
 * reinstate ZERO_PAGE"), so the s390-2.6.25 profile maps a fresh zeroed
 * page read-only on a read fault instead.  (Recalled release history,
 * not in the reference: UNVERIFIED.)
 */
static uint64_t s390_zero_pfn(struct pgt_engine *e, uint64_t va)
{
	return PGT_NO_ZERO_PAGE;
}

static enum pgt_pstate pte_state31(struct pgt_engine *e, uint64_t v)
{
	if (v == PTE31_EMPTY)
		return PGT_PS_NONE;
	if (pte_protnone31(v))
		return PGT_PS_PROTNONE;
	if (!pte_present31(v))
		return PGT_PS_SWAP;
	if ((v & PTE31_SPECIAL) &&
	    (!e || s390_pte_pfn(v) == s390_priv(e)->zero_pfn))
		return PGT_PS_ZERO;
	return pte_write31(v) ? PGT_PS_RW : PGT_PS_RO;
}

static enum pgt_pstate s390_leaf_state(struct pgt_engine *e, int level,
				       uint64_t raw)
{
	return level == L31_PT ? pte_state31(e, raw) : PGT_PS_NONE;
}

/* ---- PTE primitives ---- */

static void set_pte31(struct pgt_engine *e, struct pgt_mm *mm, uint64_t va,
		      void *slot, uint64_t v)
{
	uint32_t old = be32_ld(slot);

	be32_st(slot, (uint32_t)v);
	pgt_ev_entry(e, mm, L31_PT, va, slot, old, v);
}

static void s390_set_pte_at(struct pgt_engine *e, struct pgt_mm *mm,
			    uint64_t va, void *slot, uint64_t pte)
{
	set_pte31(e, mm, va, slot, pte);
}

static uint64_t s390_ptep_clear_flush(struct pgt_engine *e, struct pgt_mm *mm,
				      uint64_t va, void *slot)
{
	uint32_t old = be32_ld(slot);

	ipte(e, old, R_IPTE_CLEAR);
	set_pte31(e, mm, va, slot, PTE31_EMPTY);
	return old;
}

static void s390_ptep_set_access_flags(struct pgt_engine *e,
				       struct pgt_mm *mm, uint64_t va,
				       void *slot, uint64_t pte)
{
	uint32_t old = be32_ld(slot);

	if (old == pte)
		return;
	ipte(e, old, R_IPTE_ACCESS);
	set_pte31(e, mm, va, slot, pte);
}

static void s390_hw_touch(struct pgt_engine *e, struct pgt_mm *mm,
			  uint64_t va, void *slot, bool write)
{
}

/* ---- the hot loops ---- */

#define A_FN(x) s390_##x
#define A_LEVEL_PTE L31_PT
#define A_ENTSIZE 4
#define a_load(p) ((uint64_t)be32_ld(p))
#define a_store(p, v) be32_st((p), (uint32_t)(v))
#define a_empty ((uint64_t)PTE31_EMPTY)
#define a_pte_none(v) ((v) == PTE31_EMPTY)
#define a_pte_present(v) pte_present31(v)
#define a_pte_write(v) pte_write31(v)
#define a_pte_dirty(v) false
#define a_pte_special(v) ((v) & PTE31_SPECIAL)
#define a_pte_protnone(v) pte_protnone31(v)
#define a_pte_pfn(v) s390_pte_pfn(v)
#define a_pte_modify(v, prot) pte_modify31((v), (prot))
#define a_pte_mkwrite(v) ((v) & ~(uint64_t)PTE31_RO)
#define a_pte_wrprotect(v) pte_wrprotect31(v)
#define a_pte_mkold(v) (v)
#define a_pte_mkclean(v) (v)
#define a_state(e, v) pte_state31((e), (v))
#define A_FLAGMASK 0x80000fffull
#define a_pte_needs_flush(old, new) true

/* ptep_modify_prot_start = ptep_get_and_clear in 2.6.25 */
static inline uint64_t a_modify_prot_start(struct pgt_engine *e,
					   struct pgt_gather *g, uint64_t va,
					   void *p)
{
	uint32_t old = be32_ld(p);

	if (!exclusive(e, g->mm))
		ipte(e, old, R_IPTE_USERS);
	return old;
}

/* a plain store; flush_tlb_range at the end (pte_needs_flush: always) */
static inline void a_modify_prot_commit(struct pgt_engine *e,
					struct pgt_gather *g, uint64_t va,
					void *p, uint64_t old, uint64_t new)
{
	be32_st(p, (uint32_t)new);
}

static inline uint64_t a_get_and_clear_full(struct pgt_engine *e,
					    struct pgt_gather *g, uint64_t va,
					    void *p)
{
	uint32_t old = be32_ld(p);

	gather_begin(e, g);
	if (!S390_MM(g->mm)->g_full)
		ipte(e, old, R_IPTE_ZAP);
	be32_st(p, PTE31_EMPTY);
	return old;
}

static inline void a_set_wrprotect(struct pgt_engine *e, struct pgt_mm *mm,
				   uint64_t va, void *p)
{
	uint32_t old = be32_ld(p);

	if (!pte_write31(old))
		return;
	if (!exclusive(e, mm))
		ipte(e, old, R_IPTE_WRPROT);
	be32_st(p, (uint32_t)pte_wrprotect31(old));
}

#include "pte-range.h"

/* ---- page tables: four 1 KiB tables per page (s390.md §3.2) ---- */

static void check_fresh31(struct pgt_engine *e, struct pgt_mm *mm,
			  uint64_t pt)
{
	const uint8_t *p = pgt_phys(e, pt);
	unsigned i;

	for (i = 0; i < 256; i++)
		if (be32_ld(p + 4 * i) != PTE31_EMPTY) {
			s390_note_bad(e, "invariant S4 violated at op %lu (mm %d): page table 0x%llx handed out with PTE %u = 0x%x",
				      pgt_mach(e)->op_index, mm->id,
				      (unsigned long long)pt, i,
				      be32_ld(p + 4 * i));
			return;
		}
}

/* page_table_alloc: the first listed page if not full, else a fresh page
 * (all 4 KiB empty) at the head; the lowest free table is taken and a
 * page that becomes full moves to the tail */
static int pt31_alloc(struct pgt_engine *e, struct pgt_mm *mm, uint64_t *pa)
{
	struct s390_mm *sm = S390_MM(mm);
	uint64_t page = 0;
	uint16_t *t;
	unsigned bit;

	if (sm->nlist &&
	    (*s390_tag(e, sm->list[0]) & TAG_AMASK31) != TAG_AMASK31)
		page = sm->list[0];
	if (!page) {
		if (simmem_alloc(&pgt_mach(e)->mem, 0, true, &page))
			return -ENOMEM;
		s390_fill(pgt_phys(e, page), 1024, 4, PTE31_EMPTY);
		*s390_tag(e, page) = TAG_PT;
		s390_list_add(sm, page, false);
	}
	t = s390_tag(e, page);
	bit = (unsigned)__builtin_ctz(~*t & TAG_AMASK31);
	*t |= TAG_A(bit);
	if ((*t & TAG_AMASK31) == TAG_AMASK31)
		s390_list_add(sm, page, true);
	*pa = page + 1024ull * bit;
	check_fresh31(e, mm, *pa);
	mm->nr_tables[L31_PT]++;
	pgt_ev_table(e, mm, true, L31_PT, *pa, 1024, (int)bit);
	return 0;
}

/* page_table_free: the page moves to the head, or is freed when empty */
static void pt31_free(struct pgt_engine *e, struct pgt_mm *mm, uint64_t pa)
{
	struct s390_mm *sm = S390_MM(mm);
	uint64_t page = pa & ~0xfffull;
	uint16_t *t = s390_tag(e, page);
	unsigned bit = (unsigned)(pa >> 10) & 3;

	pgt_ev_table(e, mm, false, L31_PT, pa, 1024, (int)bit);
	*t &= ~TAG_A(bit);
	if (*t & TAG_AMASK31) {
		s390_list_add(sm, page, false);
		return;
	}
	s390_list_del(sm, page);
	simmem_free(&pgt_mach(e)->mem, page);
}

static int s390_table_alloc(struct pgt_engine *e, struct pgt_mm *mm, int level,
			    uint64_t *pa)
{
	if (level == L31_PT)
		return pt31_alloc(e, mm, pa);
	return s390_crst_alloc(e, mm, level, 1, pa);
}

static void s390_table_free(struct pgt_engine *e, struct pgt_mm *mm, int level,
			    uint64_t pa)
{
	mm->nr_tables[level]--;
	if (level == L31_PT)
		pt31_free(e, mm, pa);
	else
		s390_crst_free(e, mm, level, pa);
}

/* pte_free_tlb: queued until the gather's flush (or, fullmm, freed at
 * once in 2.6.25: either way after the only flush of the gather) */
static void s390_table_free_tlb(struct pgt_engine *e, struct pgt_gather *g,
				int level, uint64_t pa)
{
	gather_begin(e, g);
	g->mm->nr_tables[level]--;
}

static void s390_table_release(struct pgt_engine *e, struct pgt_mm *mm,
			       int level, uint64_t pa)
{
	if (level == L31_PT)
		pt31_free(e, mm, pa);
	else
		s390_crst_free(e, mm, level, pa);
}

/* ---- segment entries ---- */

static enum pgt_ent_kind s390_upper_kind(struct pgt_engine *e, int level,
					 uint64_t ent, uint64_t *table)
{
	if (ent == STE31_EMPTY)
		return PGT_ENT_EMPTY;
	if (ent & STE31_I)
		return PGT_ENT_NOTPRESENT;
	*table = ent & STE31_ORIGIN;
	return PGT_ENT_TABLE;
}

static void store_ste(struct pgt_engine *e, struct pgt_mm *mm, uint64_t va,
		      void *slot, uint32_t v)
{
	uint32_t old = be32_ld(slot);

	be32_st(slot, v);
	pgt_ev_entry(e, mm, L31_SGT, va, slot, old, v);
}

/* pmd_populate: origin | page-table length 0xf (256 entries) */
static void s390_upper_populate(struct pgt_engine *e, struct pgt_mm *mm,
				int level, uint64_t va, void *slot,
				uint64_t table)
{
	store_ste(e, mm, va, slot, (uint32_t)table | STE31_PTL);
}

static bool s390_upper_clear(struct pgt_engine *e, struct pgt_gather *g,
			     int level, uint64_t va, void *slot)
{
	store_ste(e, g->mm, va, slot, STE31_EMPTY);
	return true;
}

/* ---- address spaces ---- */

static int s390_mm_init(struct pgt_engine *e, struct pgt_mm *mm,
			struct pgt_mm *parent, struct pgt_err *err)
{
	mm->top_level = L31_SGT;
	S390_MM(mm)->asce_limit = S390_TASK_SIZE;
	if (s390_crst_alloc(e, mm, L31_SGT, 1, &mm->top))
		return pgt_fail(err, PGT_ERR_LIMIT,
				"out of simulated memory for the segment table of mm %d",
				mm->id);
	return PGT_OK;
}

static void s390_mm_destroy(struct pgt_engine *e, struct pgt_mm *mm)
{
	if (mm->top) {
		mm->nr_tables[L31_SGT]--;
		s390_crst_free(e, mm, L31_SGT, mm->top);
		mm->top = 0;
	}
	s390_mm_priv_free(mm);
}

static int s390_mm_prepare_range(struct pgt_engine *e, struct pgt_mm *mm,
				 uint64_t addr, uint64_t len)
{
	return addr + len > S390_TASK_SIZE || addr + len < addr ? -ENOMEM : 0;
}

/* segment-table designation: origin | user bits | length 0x7f */
static uint64_t s390_mm_root(struct pgt_engine *e, struct pgt_mm *mm)
{
	return mm->top | ASCE31_USER | ASCE31_TL;
}

/* switch_mm: the CPU joins cpu_vm_mask, which is never cleared */
static void s390_switch_mm(struct pgt_engine *e, unsigned cpu,
			   struct pgt_mm *prev, struct pgt_mm *next)
{
	if (next)
		next->cpumask |= 1ull << cpu;
}

static bool s390_thp_possible(struct pgt_engine *e, struct pgt_mm *mm)
{
	return false;
}

static bool s390_pmd_huge(uint64_t v)
{
	return false;	/* ESA/390 has no large pages */
}

static const char *s390_describe(struct pgt_engine *e)
{
	return "ESA/390: no IDTE (full flush = PTLB or CSP), no NX, no EDAT, no PGSTEs";
}

/* a 31-bit machine addresses at most 2 GiB of real memory */
static int s390_init(struct pgt_engine *e, struct pgt_err *err)
{
	struct s390_priv *p = s390_priv(e);
	uint64_t pa;

	p->nx = p->edat = p->idte = p->pgste = false;
	if (pgt_mach(e)->mem.limit_pfn > (S390_TASK_SIZE >> 12)) {
		pgt_mach(e)->mem.limit_pfn = S390_TASK_SIZE >> 12;
		pgt_mach(e)->mem.pm.limit = S390_TASK_SIZE;
	}
	if (simmem_alloc(&pgt_mach(e)->mem, 0, false, &pa))
		return pgt_fail(err, PGT_ERR_LIMIT,
				"out of simulated memory for the zero page");
	p->zero_pfn = pa >> 12;
	p->nzero = 1;
	simmem_frame(&pgt_mach(e)->mem, pa)->flags |= SIMF_ZERO;
	return PGT_OK;
}

static void s390_fini(struct pgt_engine *e)
{
}

/* ---- walker face ---- */

static void s390_root_decode(uint64_t asce, struct pgt_root_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->top_level = L31_SGT;
	ri->table = asce & ASCE31_ORIGIN;
	ri->entries = (((unsigned)asce & ASCE31_TL) + 1) * 16;
	if (asce >> 32)
		ri->why = "bits above 31 set in a 31-bit segment-table designation";
	else if (asce & 0xe00)
		ri->why = "reserved designation bits 20-22 set";
	else if ((asce & ASCE31_TL) != ASCE31_TL)
		ri->why = "table length != 0x7f (Linux uses 2048-entry segment tables)";
}

static void s390_root_describe(uint64_t v, char *buf, size_t len)
{
	snprintf(buf, len, "segment table 0x%llx STL=%u",
		 (unsigned long long)(v & ASCE31_ORIGIN),
		 (unsigned)(v & ASCE31_TL));
}

static void s390_entry_decode(int level, uint64_t v, struct pgt_ent_info *ei)
{
	memset(ei, 0, sizeof(*ei));
	if (level != L31_SGT && level != L31_PT) {
		ei->kind = PGT_ENT_BAD;
		ei->why = "not a DAT-table level of the 31-bit format";
		return;
	}
	if (level == L31_SGT) {
		if (v == STE31_EMPTY) {
			ei->kind = PGT_ENT_EMPTY;
		} else if (v & 0x80000000u) {
			ei->kind = PGT_ENT_BAD;
			ei->why = "bit 0 set in a segment-table entry";
		} else if (v & STE31_I) {
			ei->kind = PGT_ENT_BAD;
			ei->why = "invalid bit set in a segment entry that is not the empty value";
		} else {
			ei->kind = PGT_ENT_TABLE;
			ei->next = v & STE31_ORIGIN;
			ei->next_entries = (((unsigned)v & STE31_PTL) + 1) * 16;
		}
		return;
	}
	if (v == PTE31_EMPTY) {
		ei->kind = PGT_ENT_EMPTY;
	} else if (!(v & PTE31_I)) {
		if (v & PTE31_MBZ) {
			ei->kind = PGT_ENT_BAD;
			ei->why = "must-be-zero bit 0, 20 or 23 set in a valid PTE (specification exception)";
			return;
		}
		ei->kind = PGT_ENT_LEAF;
		ei->pa = v & PTE31_ORIGIN;
		ei->size = 4096;
		/* no execute protection and no A/D bits in ESA/390 PTEs */
		ei->hw = PGT_HF_R | PGT_HF_X | ((v & PTE31_RO) ? 0 : PGT_HF_W);
		ei->linux_present = true;
	} else if (pte_protnone31(v)) {
		ei->kind = PGT_ENT_LEAF;
		ei->pa = v & PTE31_ORIGIN;
		ei->size = 4096;
		ei->linux_present = true;
		ei->what = "PROT_NONE";
	} else if ((v & PTE31_TYPE) == PTE31_SWAP ||
		   (v & PTE31_TYPE) == PTE31_FILE) {
		ei->kind = PGT_ENT_NOTPRESENT;
		ei->what = (v & PTE31_TYPE) == PTE31_SWAP ? "swap entry" :
			   "file entry (nonlinear mapping)";
	} else {
		ei->kind = PGT_ENT_BAD;
		ei->why = "invalid PTE of no known type (empty, none, swap, file)";
	}
}

static int s390_entry_describe(int level, uint64_t v, char *buf, size_t len)
{
	if (level != L31_SGT && level != L31_PT)
		return snprintf(buf, len, "0x%llx", (unsigned long long)v);
	if (level == L31_SGT) {
		if (v == STE31_EMPTY)
			return snprintf(buf, len, "empty");
		return snprintf(buf, len, "origin=0x%llx PTL=%u%s%s",
				(unsigned long long)(v & STE31_ORIGIN),
				(unsigned)(v & STE31_PTL),
				(v & STE31_I) ? " I=1" : "",
				(v & STE31_C) ? " C=1" : "");
	}
	if (v == PTE31_EMPTY)
		return snprintf(buf, len, "empty");
	if (pte_protnone31(v))
		return snprintf(buf, len, "pfn=0x%llx type=none PROT_NONE I=1%s",
				(unsigned long long)(v >> 12),
				(v & PTE31_SPECIAL) ? " sw=special" : "");
	if (v & PTE31_I)
		return snprintf(buf, len, "%s entry 0x%llx",
				(v & PTE31_TYPE) == PTE31_FILE ? "file" : "swap",
				(unsigned long long)v);
	return snprintf(buf, len, "pfn=0x%llx I=0 P=%d sw=%s",
			(unsigned long long)(v >> 12), !!(v & PTE31_RO),
			(v & PTE31_SPECIAL) ? "special" : "-");
}

/* ---- --check: S1, S3, S4, S5, S10, S11 (old encoding) ---- */

struct chk31 {
	struct pgt_engine *e;
	struct pgt_err *err;
	struct pgt_mm *mm;
	int rc;
};

#define FAIL31(c, inv_, ...)                                                   \
	((c)->rc = s390_inv((c)->e, (c)->err, (inv_),                         \
			    (c)->mm ? (c)->mm->id : 0, __VA_ARGS__))

static int chk_pte31(struct chk31 *c, uint64_t pt, unsigned i, uint64_t va)
{
	uint32_t v = be32_ld((uint8_t *)pgt_phys(c->e, pt) + 4 * i);

	if (v == PTE31_EMPTY || pte_protnone31(v) ||
	    (v & PTE31_TYPE) == PTE31_SWAP || (v & PTE31_TYPE) == PTE31_FILE)
		return 0;
	if ((v & PTE31_I) || (v & PTE31_MBZ))
		return FAIL31(c, "S11", "PTE at 0x%llx for va 0x%llx = 0x%x: a present PTE must be valid (I=0) with bits 0, 20, 23 clear",
			      (unsigned long long)(pt + 4 * i),
			      (unsigned long long)va, v);
	return 0;
}

static int chk_frag31(struct chk31 *c, uint64_t pt, uint64_t va)
{
	uint16_t *t = s390_tag(c->e, pt);
	unsigned i;

	if (pt & 0x3ff)
		return FAIL31(c, "S4", "segment entry for va 0x%llx: page table 0x%llx not 1 KiB aligned",
			      (unsigned long long)va, (unsigned long long)pt);
	if (!t || !(*t & TAG_PT) || !(*t & TAG_A((pt >> 10) & 3)))
		return FAIL31(c, "S5", "segment entry for va 0x%llx points at 0x%llx, which is not an allocated page table",
			      (unsigned long long)va, (unsigned long long)pt);
	if (!s390_list_has(S390_MM(c->mm), pt & ~0xfffull))
		return FAIL31(c, "S5", "page 0x%llx of page table 0x%llx is not on the pgtable_list of its mm",
			      (unsigned long long)(pt & ~0xfffull),
			      (unsigned long long)pt);
	/* PTEs the operation cannot have changed were checked */
	for (i = 0; i < 256 && pgt_check_wants(c->e, c->mm, va, va + (1u << 20) - 1); i++)
		if (chk_pte31(c, pt, i, va + ((uint64_t)i << 12)))
			return c->rc;
	return 0;
}

/* S5: full pages only after every page with a free table */
static int chk_list31(struct chk31 *c)
{
	struct s390_mm *sm = S390_MM(c->mm);
	bool full_seen = false;
	size_t i;

	for (i = 0; i < sm->nlist; i++) {
		uint16_t *t = s390_tag(c->e, sm->list[i]);
		bool full = (*t & TAG_AMASK31) == TAG_AMASK31;

		if (!(*t & TAG_AMASK31))
			return FAIL31(c, "S5", "listed page 0x%llx holds no page table",
				      (unsigned long long)sm->list[i]);
		if (full_seen && !full)
			return FAIL31(c, "S5", "page 0x%llx with a free table is listed after a full page",
				      (unsigned long long)sm->list[i]);
		full_seen |= full;
	}
	return 0;
}

static int chk_mm31(struct chk31 *c)
{
	struct pgt_mm *mm = c->mm;
	uint8_t *sgt = pgt_phys(c->e, mm->top);
	unsigned i, used = 0;

	if ((mm->top & 0x1fff) || mm->top >= S390_TASK_SIZE)
		return FAIL31(c, "S1", "segment table 0x%llx is not 8 KiB aligned below 2 GiB",
			      (unsigned long long)mm->top);
	if ((mm->cpumask & mm->cpu_attach) != mm->cpu_attach)
		return FAIL31(c, "S10", "cpu_vm_mask 0x%llx misses attached CPUs 0x%llx",
			      (unsigned long long)mm->cpumask,
			      (unsigned long long)mm->cpu_attach);
	/* the rest reads only this mm's tables and list: as the last
	 * check saw them unless the operation may have changed the mm */
	if (!pgt_check_wants(c->e, mm, 0, UINT64_MAX))
		return 0;
	for (i = 0; i < 2048; i++) {
		uint32_t v = be32_ld(sgt + 4 * i);
		uint64_t va = (uint64_t)i << 20;

		if (v == STE31_EMPTY)
			continue;
		if ((v & ~STE31_ORIGIN) != STE31_PTL)
			return FAIL31(c, "S3", "segment entry for va 0x%llx = 0x%x is neither empty (0x20) nor origin|0x0f",
				      (unsigned long long)va, v);
		used++;
		if (chk_frag31(c, v & STE31_ORIGIN, va))
			return c->rc;
	}
	if ((long)used != mm->nr_tables[L31_PT])
		return FAIL31(c, "S5", "%u page tables linked but %ld allocated",
			      used, mm->nr_tables[L31_PT]);
	return chk_list31(c);
}

static int s390_check(struct pgt_engine *e, struct pgt_err *err)
{
	struct chk31 c = { .e = e, .err = err };
	struct s390_priv *p = s390_priv(e);
	size_t i;

	if (p->bad[0])
		return pgt_fail(err, PGT_ERR_INVARIANT, "%s", p->bad);
	for (i = 0; i < pgt_mach(e)->nmms && !c.rc; i++) {
		if (!pgt_mach(e)->mms[i] || pgt_mach(e)->mms[i]->dead)
			continue;
		c.mm = pgt_mach(e)->mms[i];
		chk_mm31(&c);
	}
	return c.rc;
}

static const struct pgt_mm_rules s390_rules = {
	.profiles = s390_profiles,
	.thp_order = 0,
	.priv_size = sizeof(struct s390_priv),
	.mm_priv_size = sizeof(struct s390_mm),
	/* no page batch; the 2.6.25 table array (508 shared slots) is not
	 * modelled: a gather flushes once, at its start or its end */
	.page_batch_max = 0,
	.table_batch_max = 0,
	.set_option = s390_set_option31,
	.init = s390_init,
	.fini = s390_fini,
	.describe_options = s390_describe,
	.mm_init = s390_mm_init,
	.mm_destroy = s390_mm_destroy,
	.mm_priv_clone = s390_mm_priv_clone,
	.mm_priv_free = s390_mm_priv_free,
	.mm_prepare_range = s390_mm_prepare_range,
	.mm_root = s390_mm_root,
	.switch_mm = s390_switch_mm,
	.thp_possible = s390_thp_possible,
	.table_alloc = s390_table_alloc,
	.table_free = s390_table_free,
	.table_free_tlb = s390_table_free_tlb,
	.table_release = s390_table_release,
	.upper_kind = s390_upper_kind,
	.upper_populate = s390_upper_populate,
	.upper_clear = s390_upper_clear,
	.vm_prot = s390_vm_prot,
	.mk_pte = s390_mk_pte,
	.pte_mkwrite = s390_pte_mkwrite,
	.pte_mkdirty = s390_pte_same,
	.pte_mkyoung = s390_pte_same,
	.pte_mkold = s390_pte_same,
	.pte_wrprotect = s390_pte_wrprotect,
	.pte_mkspecial = s390_pte_mkspecial,
	.pte_mkclean = s390_pte_same,
	.pte_none = s390_pte_none,
	.pte_present = s390_pte_present,
	.pte_write = s390_pte_write,
	.pte_dirty = s390_pte_dirty,
	.pte_special = s390_pte_special,
	.pte_protnone = s390_pte_protnone,
	.pte_pfn = s390_pte_pfn,
	.pte_access_ok = s390_pte_access_ok,
	.zero_pfn = s390_zero_pfn,
	.set_pte_at = s390_set_pte_at,
	.ptep_clear_flush = s390_ptep_clear_flush,
	.ptep_set_access_flags = s390_ptep_set_access_flags,
	.hw_touch = s390_hw_touch,
	.change_pte_range = s390_change_pte_range,
	.zap_pte_range = s390_zap_pte_range,
	.copy_pte_range = s390_copy_pte_range,
	.pmd_huge = s390_pmd_huge,
	.tlb_flush = s390_tlb_flush,
	.flush_tlb_mm = s390_flush_tlb_mm,
	.leaf_state = s390_leaf_state,
	.check = s390_check,
};

const struct pgt_arch pgt_arch_s390 = {
	.name = "s390",
	.va_bits = 31,
	.nlevels = 2,
	.levels = s390_levels,
	.big_endian = true,
	.elf_machine = 22 /* EM_S390 */,
	.user_limit = S390_TASK_SIZE,
	.root_decode = s390_root_decode,
	.root_describe = s390_root_describe,
	.entry_decode = s390_entry_decode,
	.entry_describe = s390_entry_describe,
	.discover = &pgt_s390_discover,
	.mm = &s390_rules,
};
