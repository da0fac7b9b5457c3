/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * s390 internals shared by the 64-bit (s390.c), the 31-bit (s390-31.c)
 * formats, the guest page states (s390-cmma.c) and the common parts
 * (s390-common.c): bit layouts, per-engine and per-mm state, the
 * page-table fragment bookkeeping.  Bit values are restated from
 * reference/s390.md (section numbers in the comments), thp.md §2.5 for
 * the 6.1 large segment entries and the real dump (dumps/README.md).
 */
#ifndef PGT_S390_PRIV_H
#define PGT_S390_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "arch.h"
#include "mm-services.h"

/* ---- 64-bit PTE (s390.md §4.4, §4.5) ---- */
#define PTE_I		0x400ull	/* bit 53: page invalid */
#define PTE_P		0x200ull	/* bit 54: DAT protection */
#define PTE_IEP		0x100ull	/* bit 55: no-execute (facility 130) */
#define PTE_BIT52	0x800ull	/* 0 in a valid PTE; swap: exclusive */
#define PTE_ORIGIN	(~0xfffull)
#define PTE_EMPTY	0x400ull
#define SW_PRESENT	0x001ull
#define SW_SOFT_DIRTY	0x002ull
#define SW_YOUNG	0x004ull
#define SW_DIRTY	0x008ull
#define SW_READ		0x010ull
#define SW_WRITE	0x020ull
#define SW_SPECIAL	0x040ull
#define SW_UNUSED	0x080ull
/* protection values before NOEXEC masking (s390.md §4.5) */
#define PAGE_NONE_64	0x601ull
#define PAGE_RO_64	0x711ull
#define PAGE_RX_64	0x611ull
#define PAGE_RW_64	0x731ull
#define PAGE_RWX_64	0x631ull

/* ---- region and segment entries (s390.md §4.1, §4.3) ---- */
#define RTE_ORIGIN	(~0xfffull)
#define RTE_FC		0x400ull
#define RTE_P		0x200ull
#define RTE_NOEXEC	0x100ull
#define RTE_TF		0x0c0ull
#define RTE_I		0x020ull
#define RTE_CR		0x010ull
#define RTE_TT		0x00cull
#define RTE_TL		0x003ull
#define SEG_ORIGIN	(~0x7ffull)	/* page table: 2 KiB aligned */
#define SEG_ORIGIN_LARGE (~0xfffffull)	/* 1 MiB frame */
#define SEG_FC		0x400ull	/* _SEGMENT_ENTRY_LARGE */
#define SEG_P		0x200ull
#define SEG_IEP		0x100ull
#define SEG_I		0x020ull
#define SEG_CS		0x010ull
#define SEG_TT		0x00cull
#define SEG_EMPTY	0x020ull
/* Linux 6.1 software bits of a large segment entry (thp.md §2.5, §10.6) */
#define SEG_READ	0x0001ull
#define SEG_WRITE	0x0002ull
#define SEG_YOUNG	0x1000ull
#define SEG_DIRTY	0x2000ull
#define SEG_SOFT_DIRTY	0x4000ull

/* ---- ASCE (s390.md §1.4) ---- */
#define ASCE_ORIGIN	(~0xfffull)
#define ASCE_G		0x200ull
#define ASCE_USER	0x1c0ull	/* P, S, X */
#define ASCE_R		0x020ull
#define ASCE_DT		0x00cull
#define ASCE_TL		0x003ull

/* ---- PGSTE (s390.md §3.3) ---- */
#define PGSTE_PCL	0x0080000000000000ull
#define PGSTE_GR	0x0004000000000000ull
#define PGSTE_GC	0x0002000000000000ull
#define PGSTE_ZERO	0x0000000080000000ull
#define PGSTE_NODAT	0x0000000040000000ull
#define PGSTE_USAGE	0x0000000003000000ull
#define PGSTE_USAGE_SHIFT 24
#define PGSTE_UC	0x0000000000008000ull

/* levels of the 64-bit format (index into pgt_arch_s390x.levels) */
#define L_R1	0
#define L_R2	1
#define L_R3	2
#define L_SGT	3
#define L_PT	4
/* entry events of a PGSTE carry this level (one past the PT level): the
 * walker face describes them as PGSTEs */
#define L_PGSTE	5

#define S390X_REGION2_SIZE (1ull << 42)		/* 3 levels up to here */
#define S390X_REGION1_SIZE (1ull << 53)		/* 4 levels */
/* TASK_SIZE_MAX = -PAGE_SIZE: 5 levels span 2^64, the last page is
 * excluded so that the limit fits in 64 bits */
#define S390X_TASK_SIZE_MAX (~0ull << 12)

/* profiles */
enum { S390X_V4_13, S390X_V6_8 };	/* pgt_arch_s390x.profiles */
enum { S390_2_6_25 };			/* pgt_arch_s390.profiles */

/*
 * sim_frame.tag of a page-table page: the AA/PP byte of s390.md §3.2
 * (A bit i: fragment i allocated, P bit i: pending free), plus our own
 * marks.  The 31-bit format uses A0-A3 (four 1 KiB tables, no P bits).
 */
#define TAG_A(i)	(0x0001u << (i))
#define TAG_P(i)	(0x0010u << (i))
#define TAG_LINK(i)	(0x0100u << (i))	/* deposited: list links in slots 0-1 */
#define TAG_AMASK64	0x0003u
#define TAG_PMASK64	0x0030u
#define TAG_AMASK31	0x000fu
#define TAG_WHOLE	0x1000u		/* a 4 KiB page table (PGSTE, v6.8+) */
#define TAG_PT		0x8000u		/* the frame holds page tables */

struct s390_priv {
	bool configured;	/* defaults applied */
	bool nx;		/* facility 130: IEP in PTEs (default on) */
	bool edat;		/* facility 8: 1 MiB segments, THP (default on) */
	bool idte;		/* facility 3: IDTE (default on) */
	bool pgste;		/* vm.allocate_pgste (default off) */
	uint64_t zero_pfn;	/* first coloured zero page */
	unsigned nzero;		/* number of zero pages (power of two) */
	uint64_t swap_next;	/* next swap slot handed out by 'host' */
	char bad[240];		/* first violation found outside --check */
};

struct s390_mm {
	uint64_t asce_limit;	/* first address not translatable */
	bool flush_mm;		/* a deferred flush is pending (§6.3) */
	bool alloc_pgste;	/* page tables carry PGSTEs */
	bool has_pgste;		/* running KVM guests ('sie') */
	bool g_active, g_full;	/* s390-2.6.25: the running mmu_gather */
	uint64_t *list;		/* pgtable_list: pages with a free table */
	size_t nlist, clist;	/* [0] is the first (preferred) page */
};

static inline struct s390_mm *S390_MM(struct pgt_mm *mm)
{
	return mm->arch;
}

/* entries are big-endian in memory whatever the host is */
static inline uint64_t be64_ld(const void *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static inline void be64_st(void *p, uint64_t v)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	memcpy(p, &v, 8);
}

static inline uint32_t be32_ld(const void *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap32(v);
#endif
	return v;
}

static inline void be32_st(void *p, uint32_t v)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap32(v);
#endif
	memcpy(p, &v, 4);
}

void s390_priv_defaults(struct s390_priv *p);
/* the registers of a CPU in user mode on asce (z: z/Architecture) */

static inline struct s390_priv *s390_priv(struct pgt_engine *e)
{
	struct s390_priv *p = pgt_mach(e)->arch_priv;

	if (!p->configured)
		s390_priv_defaults(p);	/* options may come before init */
	return p;
}

static inline uint16_t *s390_tag(struct pgt_engine *e, uint64_t pa)
{
	struct sim_frame *f = simmem_frame(&pgt_mach(e)->mem, pa);

	return f ? &f->tag : NULL;
}

static inline uint64_t s390x_pte_pfn_of(uint64_t v)
{
	return (v & PTE_ORIGIN) >> 12;
}

static inline bool only_self(struct pgt_engine *e, uint64_t mask)
{
	return pgt_mm_only_self(e, mask);
}

/* a stored PTE: no NOEXEC without facility 130, UNUSED never kept
 * (inline: it runs once per PTE of a bulk mprotect) */
static inline uint64_t s390x_store_mask(struct pgt_engine *e, uint64_t pte)
{
	if (!(pte & SW_PRESENT))
		return pte;
	pte &= ~SW_UNUSED;
	if (!s390_priv(e)->nx)
		pte &= ~PTE_IEP;
	return pte;
}

/* s390-common.c */
int s390_set_option(struct pgt_engine *e, const char *key, const char *val,
		    struct pgt_err *err);
int s390_set_option31(struct pgt_engine *e, const char *key,
		      const char *val, struct pgt_err *err);
const char *s390_describe_options(struct pgt_engine *e);
void s390_list_add(struct s390_mm *sm, uint64_t page, bool tail);
void s390_list_del(struct s390_mm *sm, uint64_t page);
bool s390_list_has(const struct s390_mm *sm, uint64_t page);
void s390_mm_priv_free(struct pgt_mm *mm);
long s390_mm_priv_clone(struct pgt_mm *dst, const struct pgt_mm *src);
void s390_fill(void *mem, size_t n, unsigned entsize, uint64_t val);
int s390_crst_alloc(struct pgt_engine *e, struct pgt_mm *mm, int level,
		    unsigned order, uint64_t *pa);
void s390_crst_free(struct pgt_engine *e, struct pgt_mm *mm, int level,
		    uint64_t pa);
void s390_note_bad(struct pgt_engine *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int s390_inv(struct pgt_engine *e, struct pgt_err *err, const char *id,
	     int mm, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* s390.c, for the guest page states */
uint64_t s390x_pte_flush_direct(struct pgt_engine *e, struct pgt_mm *mm,
				uint64_t old);
void s390x_pgste_commit(struct pgt_engine *e, struct pgt_mm *mm, void *slot,
			uint64_t pte);

/* s390-cmma.c */
extern const struct pgt_arch_op s390x_ops[];

#endif
