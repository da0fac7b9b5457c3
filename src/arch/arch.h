/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The architecture layer: everything that knows a bit layout, a table size
 * or a flush instruction.  One file per paging format (pae.c, s390.c), each
 * exporting one const struct pgt_arch registered in arch.c, in two parts:
 *
 *   struct pgt_arch      paging: what a walk needs (levels, entry and root
 *                        decoding, leaf counting); every arch has it
 *   struct pgt_mm_rules  the replay rules (arch->mm): the engine implements
 *                        the generic Linux mm semantics (mm-ops.md) and
 *                        calls these hooks exactly where the kernel calls
 *                        its arch primitives, so the names follow the
 *                        kernel's (ptep_clear_flush, tlb_flush ...).  A
 *                        walk-only format leaves arch->mm NULL.
 *
 * Entry values are passed in host byte order; the arch loads and stores
 * them in the memory's order (s390 is big-endian) through ent_load/store.
 */
#ifndef PGT_ARCH_H
#define PGT_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "../lib/status.h"
#include "../op/op.h"

struct pgt_engine;
struct pgt_mm;
struct pgt_vma;
struct pgt_gather;
struct pgt_physmem;
struct pgt_arch_discover;

#define PGT_MAX_LEVELS 5
#define PGT_NO_ZERO_PAGE (~0ull)

/* One level of the hardware hierarchy, index 0 = the highest the arch has. */
struct pgt_level {
	const char *name;	/* hardware name: "R1", "PDPT", "SGT", "PT" */
	const char *lname;	/* Linux name: "pgd", "p4d", "pud", "pmd", "pte" */
	uint8_t shift;		/* log2 of the span of one entry */
	uint16_t nentries;	/* entries per table */
	uint8_t entsize;	/* bytes per entry (4 or 8) */
	uint32_t table_size;	/* bytes per table */
	uint64_t empty;		/* value of an empty entry */
};

/* Linux-level state of a leaf entry, for the transition matrix. */
enum pgt_pstate {
	PGT_PS_NONE,
	PGT_PS_ZERO,		/* zero page, read-only */
	PGT_PS_RO,		/* present, not writable */
	PGT_PS_RW,		/* present, writable */
	PGT_PS_PROTNONE,	/* present to Linux, inaccessible */
	PGT_PS_SWAP,		/* swap / not-present entry */
	PGT_PS_HZERO,		/* huge PMD variants */
	PGT_PS_HRO,
	PGT_PS_HRW,
	PGT_PS_HPROTNONE,
	PGT_PS__COUNT
};

/* Hardware view of a leaf, the letters of the pages TSV. */
#define PGT_HF_R 0x01u	/* present / valid */
#define PGT_HF_W 0x02u
#define PGT_HF_X 0x04u
#define PGT_HF_U 0x08u
#define PGT_HF_A 0x10u
#define PGT_HF_D 0x20u
#define PGT_HF_G 0x40u
/* letters the arch has no bit for (printed '-') are simply never set */

enum pgt_ent_kind {
	PGT_ENT_EMPTY,		/* the level's empty value */
	PGT_ENT_TABLE,		/* points to a lower table */
	PGT_ENT_LEAF,		/* maps memory (PTE or large page) */
	PGT_ENT_NOTPRESENT,	/* non-empty but maps nothing (swap, ...) */
	PGT_ENT_BAD,		/* reserved bits, wrong type: a finding */
};

struct pgt_ent_info {
	enum pgt_ent_kind kind;
	uint64_t next;		/* TABLE: physical address of the lower table */
	uint32_t next_entries;	/* TABLE: entries of the lower table (0 = full) */
	uint64_t pa;		/* LEAF: physical address of the frame */
	uint64_t size;		/* LEAF: bytes mapped */
	unsigned hw;		/* LEAF: PGT_HF_* of this entry alone */
	unsigned deny;		/* TABLE: PGT_HF_W/X/U denied to everything below */
	bool linux_present;	/* LEAF or NOTPRESENT: Linux calls it present */
	/* LEAF: the memory type the entry selects ("WB", "UC-" ...), NULL
	 * where the arch has no such bits */
	const char *memtype;
	/* NOTPRESENT, or a LEAF the MMU does not use: what Linux keeps there
	 * ("swap entry", "PROT_NONE"), NULL when nothing is known */
	const char *what;
	/* BAD: what is wrong; may point into whybuf (so read it from the
	 * struct the arch filled, not from a copy) */
	const char *why;
	char whybuf[80];
};

/*
 * A named region of the address space, as the kernel's ptdump marks it
 * ("User Space", "vmalloc() Area" ...): [start, end), end 0 = the top.
 */
struct pgt_region {
	uint64_t start, end;
	const char *name;
};
#define PGT_MAX_REGIONS 16

/* what the arch may ask of the dump for its layout: a VMCOREINFO key's
 * value ("NUMBER(high_memory)", "SYMBOL(vmemmap)"), false if absent */
typedef bool (*pgt_info_fn)(void *arg, const char *key, char *buf,
			    size_t len);

/* A root as a CPU holds it (CR3, ASCE), decoded for the walker. */
struct pgt_root_info {
	int top_level;		/* arch level index of the table it designates */
	uint64_t table;		/* physical address of that table */
	uint32_t entries;	/* entries of the top table (PAE: 4) */
	const char *why;	/* non-NULL: the root is malformed */
};

/* TLB flush instructions counted by the engine (design.md contract). */
enum pgt_flush_kind {
	PGT_FL_IPTE,
	PGT_FL_IPTE_LOCAL,
	PGT_FL_IPTE_RANGE,
	PGT_FL_IDTE,
	PGT_FL_IDTE_LOCAL,
	PGT_FL_IDTE_ASCE,
	PGT_FL_CSP,
	PGT_FL_PTLB,
	PGT_FL_RDP,
	PGT_FL_RDP_LOCAL,
	PGT_FL_INVLPG,
	PGT_FL_FLUSH_ALL,
	PGT_FL_FLUSH_GLOBAL,
	PGT_FL_IPI,
	PGT_FL__COUNT
};

/* An operation only some arches take (sie, essa, host, kmap). */
struct pgt_arch_op {
	enum pgt_op_kind kind;
	int (*apply)(struct pgt_engine *e, const struct pgt_op *op,
		     struct pgt_err *err);
};

/*
 * The engine's rules for one architecture (the kernel's arch primitives):
 * what a replay needs and a walk does not.  A walk-only paging format has
 * none (struct pgt_arch.mm is NULL).
 */
struct pgt_mm_rules {
	/* name of events at level nlevels: entries beside the tables
	 * (s390 PGSTEs), NULL if the arch has none */
	const char *aux_level_name;
	const char *const *profiles;	/* NULL-terminated, [0] = default */
	unsigned thp_order;		/* huge PMD = 2^thp_order pages */
	size_t priv_size;		/* bytes of per-engine arch state */
	size_t mm_priv_size;		/* bytes of per-mm arch state */
	/* mmu_gather batch capacities: a full batch forces a flush in the
	 * middle of an op (mm-ops.md §1); 0 = pages are not batched (s390) */
	unsigned page_batch_max;
	unsigned table_batch_max;

	/* options and global state */
	int (*set_option)(struct pgt_engine *e, const char *key,
			  const char *val, struct pgt_err *err);
	int (*init)(struct pgt_engine *e, struct pgt_err *err);
	void (*fini)(struct pgt_engine *e);
	const char *(*describe_options)(struct pgt_engine *e);

	/* address spaces */
	int (*mm_init)(struct pgt_engine *e, struct pgt_mm *mm,
		       struct pgt_mm *parent, struct pgt_err *err);
	void (*mm_destroy)(struct pgt_engine *e, struct pgt_mm *mm);
	/*
	 * Optional (NULL: the state is plain bytes): copies of the private
	 * state for pgt_engine_clone, at an operation boundary.  dst's state
	 * already holds a byte copy of src's; the hook replaces whatever
	 * that copy points to on the heap by copies of its own and returns
	 * the heap bytes they take, or -1 when out of memory (dst then owns
	 * nothing: its pointers are NULL).  *_free releases the heap state
	 * of an engine / mm being freed (also one never initialised: the
	 * state is then all zero bytes).
	 */
	long (*priv_clone)(struct pgt_engine *dst, const struct pgt_engine *src);
	void (*priv_free)(struct pgt_engine *e);
	long (*mm_priv_clone)(struct pgt_mm *dst, const struct pgt_mm *src);
	void (*mm_priv_free)(struct pgt_mm *mm);
	/* mmap address check: s390 upgrades 3->4->5 levels here; -errno */
	int (*mm_prepare_range)(struct pgt_engine *e, struct pgt_mm *mm,
				uint64_t addr, uint64_t len);
	uint64_t (*mm_root)(struct pgt_engine *e, struct pgt_mm *mm);
	/* CPU cpu switches from prev (may be NULL) to next (may be NULL) */
	void (*switch_mm)(struct pgt_engine *e, unsigned cpu,
			  struct pgt_mm *prev, struct pgt_mm *next);
	bool (*thp_possible)(struct pgt_engine *e, struct pgt_mm *mm);

	/* tables */
	int (*table_alloc)(struct pgt_engine *e, struct pgt_mm *mm, int level,
			   uint64_t *pa);
	void (*table_free)(struct pgt_engine *e, struct pgt_mm *mm, int level,
			   uint64_t pa);		/* immediate (pte_free) */
	/* *_free_tlb: arch bookkeeping when the engine unlinks a table into
	 * the gather (s390: flush_mm, pending bits; PAE: need_flush_all) */
	void (*table_free_tlb)(struct pgt_engine *e, struct pgt_gather *g,
			       int level, uint64_t pa);
	/* the gather releases the table after the flush: free it (and emit
	 * the TABLE_FREE event) */
	void (*table_release)(struct pgt_engine *e, struct pgt_mm *mm,
			      int level, uint64_t pa);
	/* upper entries: decode for the engine, populate, clear */
	enum pgt_ent_kind (*upper_kind)(struct pgt_engine *e, int level,
					uint64_t ent, uint64_t *table);
	void (*upper_populate)(struct pgt_engine *e, struct pgt_mm *mm,
			       int level, uint64_t va, void *slot,
			       uint64_t table);
	/* clear a parent entry before its table is freed; false = this
	 * profile never frees tables of this level (keep it linked) */
	bool (*upper_clear)(struct pgt_engine *e, struct pgt_gather *g,
			    int level, uint64_t va, void *slot);

	/* PTE values (pure) */
	uint64_t (*vm_prot)(struct pgt_engine *e, unsigned vm_flags);
	uint64_t (*mk_pte)(struct pgt_engine *e, uint64_t pfn, uint64_t prot);
	uint64_t (*pte_mkwrite)(uint64_t pte);
	uint64_t (*pte_mkdirty)(uint64_t pte);
	uint64_t (*pte_mkyoung)(uint64_t pte);
	uint64_t (*pte_mkold)(uint64_t pte);
	uint64_t (*pte_wrprotect)(uint64_t pte);
	uint64_t (*pte_mkspecial)(uint64_t pte);
	uint64_t (*pte_mkclean)(uint64_t pte);
	bool (*pte_none)(uint64_t pte);
	bool (*pte_present)(uint64_t pte);	/* includes PROT_NONE */
	bool (*pte_write)(uint64_t pte);
	bool (*pte_dirty)(uint64_t pte);
	bool (*pte_special)(uint64_t pte);
	bool (*pte_protnone)(uint64_t pte);
	uint64_t (*pte_pfn)(uint64_t pte);
	/* would the MMU allow this access without a fault? */
	bool (*pte_access_ok)(struct pgt_engine *e, uint64_t pte, bool write);
	/* the zero page for va, or PGT_NO_ZERO_PAGE when read faults on
	 * anonymous memory allocate a page (2.6.24 - 2.6.31) */
	uint64_t (*zero_pfn)(struct pgt_engine *e, uint64_t va);

	/* PTE primitives with their flush rules */
	void (*set_pte_at)(struct pgt_engine *e, struct pgt_mm *mm, uint64_t va,
			   void *slot, uint64_t pte);
	uint64_t (*ptep_clear_flush)(struct pgt_engine *e, struct pgt_mm *mm,
				     uint64_t va, void *slot);
	void (*ptep_set_access_flags)(struct pgt_engine *e, struct pgt_mm *mm,
				      uint64_t va, void *slot, uint64_t pte);
	/* the MMU's own update on an allowed access (x86 A/D bits) */
	void (*hw_touch)(struct pgt_engine *e, struct pgt_mm *mm, uint64_t va,
			 void *slot, bool write);

	/* hot loops over part of one PTE table (arch/pte-range.h) */
	void (*change_pte_range)(struct pgt_engine *e, struct pgt_gather *g,
				 struct pgt_vma *vma, void *ptes, uint64_t va,
				 unsigned n, uint64_t newprot, bool try_write);
	void (*zap_pte_range)(struct pgt_engine *e, struct pgt_gather *g,
			      void *ptes, uint64_t va, unsigned n);
	/* MADV_FREE (pte-range.h); NULL: the profile's kernel has none */
	void (*free_pte_range)(struct pgt_engine *e, struct pgt_gather *g,
			       void *ptes, uint64_t va, unsigned n);
	void (*copy_pte_range)(struct pgt_engine *e, struct pgt_mm *dst,
			       struct pgt_mm *src, struct pgt_vma *vma,
			       void *dptes, void *sptes, uint64_t va,
			       unsigned n);

	/* huge PMDs (transparent huge pages) */
	uint64_t (*mk_huge_pmd)(struct pgt_engine *e, uint64_t pfn,
				uint64_t prot, bool write_dirty);
	uint64_t (*pmd_modify)(uint64_t pmd, uint64_t prot);
	uint64_t (*pmd_mkold_wrprotect)(uint64_t pmd);	/* fork child */
	uint64_t (*pmd_mkold_clean)(uint64_t pmd);	/* MADV_FREE */
	uint64_t (*pmd_mkyoung_dirty_write)(uint64_t pmd, bool write);
	bool (*pmd_huge)(uint64_t pmd);
	bool (*pmd_write)(uint64_t pmd);
	bool (*pmd_young)(uint64_t pmd);
	bool (*pmd_protnone)(uint64_t pmd);
	uint64_t (*pmd_pfn)(uint64_t pmd);
	/* PTE for subpage pfn when splitting huge PMD old (6.1 rules, thp.md §4.2) */
	uint64_t (*split_pte)(struct pgt_engine *e, uint64_t old_pmd,
			      uint64_t pfn, uint64_t prot, bool vm_write);
	/* s390 keeps the deposit list links inside deposited tables */
	void (*deposit_links)(struct pgt_engine *e, const uint64_t *ring,
			      size_t n);
	/* primitives with flush rules; each returns the old value */
	uint64_t (*pmdp_invalidate)(struct pgt_engine *e, struct pgt_mm *mm,
				    uint64_t va, void *slot);	/* split */
	uint64_t (*pmdp_huge_clear_flush)(struct pgt_engine *e,
					  struct pgt_mm *mm, uint64_t va,
					  void *slot);	/* zero split */
	uint64_t (*pmdp_get_and_clear_full)(struct pgt_engine *e,
					    struct pgt_gather *g, uint64_t va,
					    void *slot);	/* zap */
	void (*pmdp_set_wrprotect)(struct pgt_engine *e, struct pgt_mm *mm,
				   uint64_t va, void *slot);	/* fork */
	void (*change_huge_pmd)(struct pgt_engine *e, struct pgt_gather *g,
				uint64_t va, void *slot, uint64_t newprot);
	void (*pmdp_set_access_flags)(struct pgt_engine *e, struct pgt_mm *mm,
				      uint64_t va, void *slot, uint64_t pmd);
	void (*pmd_hw_touch)(struct pgt_engine *e, struct pgt_mm *mm,
			     uint64_t va, void *slot, bool write);
	bool (*pmd_access_ok)(struct pgt_engine *e, uint64_t pmd, bool write);

	/*
	 * mremap's move_page_tables (mm/mremap.c): ptep_get_and_clear
	 * (its own invalidation only; the caller flushes) and
	 * flush_tlb_range; NULL: remap is not modelled for this arch.
	 * have_move_pmd: CONFIG_HAVE_MOVE_PMD, whole PTE tables move by
	 * their PMD entry (move_normal_pmd).
	 */
	uint64_t (*ptep_get_and_clear)(struct pgt_engine *e, struct pgt_mm *mm,
				       uint64_t va, void *slot);
	void (*flush_tlb_range)(struct pgt_engine *e, struct pgt_mm *mm,
				uint64_t start, uint64_t end);
	bool have_move_pmd;
	/* move_huge_pmd: pmdp_huge_get_and_clear (no flush of its own),
	 * then flush_pmd_tlb_range of the old 2 MiB / 1 MiB */
	uint64_t (*pmdp_huge_get_and_clear)(struct pgt_engine *e,
					    struct pgt_mm *mm, uint64_t va,
					    void *slot);
	void (*flush_pmd_tlb_range)(struct pgt_engine *e, struct pgt_mm *mm,
				    uint64_t start, uint64_t end);
	/* collapse_huge_page: the PMD entry of a PTE table cleared and the
	 * PTE translations flushed; NULL: no THP collapse */
	uint64_t (*pmdp_collapse_flush)(struct pgt_engine *e,
					struct pgt_mm *mm, uint64_t va,
					void *slot);
	/* TLB flushes */
	void (*tlb_flush)(struct pgt_engine *e, struct pgt_gather *g);
	void (*flush_tlb_mm)(struct pgt_engine *e, struct pgt_mm *mm,
			     const char *why);

	/* the operations of this arch's own (op.h: arch_only), ended by
	 * an entry without apply; NULL: none */
	const struct pgt_arch_op *ops;

	enum pgt_pstate (*leaf_state)(struct pgt_engine *e, int level,
				      uint64_t raw);

	/* --check: the arch's invariants (S*, P*) after an operation */
	int (*check)(struct pgt_engine *e, struct pgt_err *err);
};

/*
 * A paging format: what a walk needs (levels, entry and root decoding,
 * leaf counting), plus the replay rules where the engine can replay it.
 */
struct pgt_arch {
	const char *name;		/* trace "arch" name */
	unsigned va_bits;
	/* VAs are sign-extended from bit va_bits - 1 (x86-64's canonical
	 * addresses: the top table's upper half maps the top of the space) */
	bool va_signed;
	unsigned nlevels;
	const struct pgt_level *levels;
	bool big_endian;
	uint16_t elf_machine;		/* ELF e_machine of its dumps */
	uint64_t user_limit;		/* TASK_SIZE: user space ends here */
	/* why a process may map above user_limit, for messages (x86 PAE:
	 * a 32-bit process on a 64-bit kernel maps up to 4 GiB); NULL */
	const char *user_limit_note;

	/* walker: roots and entries from any physical memory */
	void (*root_decode)(uint64_t root, struct pgt_root_info *ri);
	/*
	 * Optional, for --tree: what else shares the page of a table that
	 * starts on a page and fills only part of it (s390: PGSTEs or a
	 * second page table), or NULL for nothing to say.
	 */
	const char *(*table_page_note)(struct pgt_physmem *m, int level,
				       uint64_t pa, uint32_t bytes);
	/*
	 * Optional: whether a table of this level reached a second time
	 * in one walk, for the addresses from va, is one the kernel maps
	 * more than once on purpose (x86-64's ESPFIX area), so that the
	 * walker walks it again (its leaves are real MMU mappings) instead
	 * of reporting it.  NULL: a table reached twice is a finding.
	 */
	bool (*table_shared)(int level, uint64_t va);
	/* one line for a root value: the table and every control bit */
	void (*root_describe)(uint64_t root, char *buf, size_t len);
	void (*entry_decode)(int level, uint64_t raw, struct pgt_ent_info *ei);
	int (*entry_describe)(int level, uint64_t raw, char *buf, size_t len);
	/*
	 * Optional walker fast path for counting walks (--summary, the
	 * benchmark): classify the n entries of a lowest-level table at buf
	 * (memory byte order) exactly as entry_decode would, adding to the
	 * counters; false (counters untouched) when an entry needs the full
	 * decode (a malformed one, a finding).
	 */
	bool (*count_leaves)(const uint8_t *buf, uint32_t n, uint64_t *leaves,
			     uint64_t *pages, uint64_t *protnone);
	/*
	 * Optional: the regions of the address space the kernel's ptdump
	 * names, from the arch's fixed layout, what info tells (VMCOREINFO)
	 * and the kernel variables it locates in m; sorted, non-overlapping,
	 * at most max.  Returns how many were written (0: nothing known).
	 */
	size_t (*regions)(struct pgt_physmem *m, pgt_info_fn info, void *arg,
			  struct pgt_region *out, size_t max);
	/* the kernel's W+X check message (ptdump_check_wx): its prefix
	 * ("x86/mm: ", "" on s390) and whether it ends with a period */
	const char *wx_prefix;
	bool wx_period;

	/* finding this format and its roots in memory dumps (discover.h);
	 * NULL: dumps never hold it */
	const struct pgt_arch_discover *discover;

	/* the engine's rules; NULL: walk only, no replay */
	const struct pgt_mm_rules *mm;
};

const struct pgt_arch *pgt_arch_find(const char *name);
/* the level named s (its name or Linux's, any case); -1: none */
int pgt_arch_level_find(const struct pgt_arch *a, const char *s);
const struct pgt_arch *pgt_arch_nth(size_t i);
/* the first registered format with replay rules: the default of a trace
 * made without naming one (pgtctl import) */
const struct pgt_arch *pgt_arch_default_replay(void);
/*
 * The registered names for a message, each between q and q: with q "":
 * "s390x, s390 or pae".  Returns buf.
 */
const char *pgt_arch_names(char *buf, size_t len, const char *q);
/* the same, of the formats with replay rules (a trace's arch) */
const char *pgt_arch_replay_names(char *buf, size_t len, const char *q);
extern const struct pgt_arch pgt_arch_pae;
extern const struct pgt_arch pgt_arch_i386;
extern const struct pgt_arch pgt_arch_x86_64;
extern const struct pgt_arch pgt_arch_x86_64_la57;
extern const struct pgt_arch pgt_arch_s390x;
extern const struct pgt_arch pgt_arch_s390;

const char *pgt_flush_kind_name(enum pgt_flush_kind k);
const char *pgt_pstate_name(enum pgt_pstate s);

/* the canonical form of a VA made of table indices (sign-extended where
 * the arch's VAs are), and back to the plain index space */
static inline uint64_t pgt_va_canon(const struct pgt_arch *a, uint64_t va)
{
	unsigned sx = a->va_signed ? 64 - a->va_bits : 0;

	return (uint64_t)((int64_t)(va << sx) >> sx);
}

static inline uint64_t pgt_va_index(const struct pgt_arch *a, uint64_t va)
{
	return a->va_signed ? va & ((1ull << a->va_bits) - 1) : va;
}

/* entry access in the memory's byte order; memcpy because a dump's
 * tables need not be aligned in the file (QEMU's PT_LOAD offsets are
 * not), and it compiles to one load */
static inline uint64_t pgt_ent_load(const struct pgt_arch *a, int level,
				    const void *slot)
{
	if (a->levels[level].entsize == 4) {
		uint32_t v;

		memcpy(&v, slot, 4);
		return a->big_endian ? __builtin_bswap32(v) : v;
	} else {
		uint64_t v;

		memcpy(&v, slot, 8);
		return a->big_endian ? __builtin_bswap64(v) : v;
	}
}

static inline void pgt_ent_store(const struct pgt_arch *a, int level,
				 void *slot, uint64_t val)
{
	if (a->levels[level].entsize == 4) {
		uint32_t v = (uint32_t)val;
		*(uint32_t *)slot = a->big_endian ? __builtin_bswap32(v) : v;
	} else {
		*(uint64_t *)slot = a->big_endian ? __builtin_bswap64(val) : val;
	}
}

#endif
