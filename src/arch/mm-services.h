/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the mm rules (struct pgt_mm_rules, arch.h) act on and the services
 * they call: the interface between the rules an arch file implements and
 * the engine that implements the generic Linux mm (mm-ops.md) and calls
 * them.  It sits below the engine so that src/arch includes nothing above
 * src/mem; the engine implements every function declared here.
 *
 *   the model      address spaces (struct pgt_mm), VMAs, the mmu_gather of
 *                  one operation, events: plain data both sides read and
 *                  change
 *   the machine    struct pgt_machine: the part of the engine's state the
 *                  rules see (simulated memory, CPUs, the address spaces,
 *                  the running operation, the transition counters).  The
 *                  engine's own struct pgt_engine stays opaque here; it
 *                  begins with its machine, which pgt_mach() reaches.
 *   the services   flush accounting, events, data-page references, the
 *                  gather, table memory: functions of the engine
 *                  (engine.c, gather.c, mm.c).
 */
#ifndef PGT_MM_SERVICES_H
#define PGT_MM_SERVICES_H

#include <stdbool.h>
#include <stdint.h>
#include "arch.h"
#include "../mem/simmem.h"
#include "../op/op.h"

struct pgt_engine;	/* the engine's (engine/engine.h), opaque here */

/* vm_flags (the bits Linux uses, own values where Linux's don't matter) */
#define VM_READ 0x00000001u
#define VM_WRITE 0x00000002u
#define VM_EXEC 0x00000004u
#define VM_SHARED 0x00000008u
#define VM_MAYREAD 0x00000010u
#define VM_MAYWRITE 0x00000020u
#define VM_MAYEXEC 0x00000040u
#define VM_MAYSHARE 0x00000080u
#define VM_FILE 0x00000100u	/* backed by a file (pgtctl: anon otherwise) */
#define VM_SOFTDIRTY 0x08000000u
#define VM_HUGEPAGE 0x20000000u
#define VM_NOHUGEPAGE 0x40000000u
#define VM_ACCESS (VM_READ | VM_WRITE | VM_EXEC)

struct pgt_vma {
	uint64_t start, end;
	unsigned flags;
	unsigned anon;		/* anon_vma identity, 0 = none yet */
};

struct pgt_deposit;

struct pgt_mm {
	int id;
	bool dead;		/* exit_mmap done */
	int users;		/* mm_users: threads */
	uint64_t cpu_attach;	/* CPUs that have the mm loaded (bitmask) */
	uint64_t cpumask;	/* mm_cpumask: CPUs that may hold TLB entries */
	int top_level;		/* arch level index of the top table */
	uint64_t top;		/* physical address of the top table */
	struct pgt_vma *vma;	/* sorted, non-overlapping */
	size_t nvma, cap;
	uint64_t rss;		/* pages mapped */
	long nr_tables[PGT_MAX_LEVELS];	/* tables allocated per level */
	long nr_deposit;	/* THP deposited page tables */
	struct pgt_deposit *dep;	/* deposit lists, one per PMD table */
	size_t ndep, cdep;
	unsigned next_anon;	/* anon_vma ids */
	void *arch;		/* arch->mm_priv_size bytes */
};

/* The mmu_gather of one munmap/mprotect/exit (mm-ops.md §1). */
struct pgt_gather_table {
	int level;
	uint64_t pa;
};

struct pgt_gather {
	struct pgt_engine *e;
	struct pgt_mm *mm;
	uint64_t start, end;	/* range of cleared entries; start >= end: empty */
	bool fullmm;
	bool freed_tables;
	bool need_flush_all;
	bool cleared_ptes, cleared_pmds, cleared_puds;
	unsigned page_batch;	/* data pages queued (x86 page batch) */
	struct pgt_gather_table *tables;	/* queued for release */
	size_t ntables, ctables;
	unsigned table_batch;	/* tables in the current batch */
	uint64_t changed;	/* PTEs changed (mprotect count) */
};

enum pgt_ev_type {
	PGT_EV_OP,		/* an operation begins: text */
	PGT_EV_RESULT,		/* the operation's result: kind = -errno, text */
	PGT_EV_TABLE_ALLOC,	/* level, pa, size, half */
	PGT_EV_TABLE_FREE,
	PGT_EV_ENTRY,		/* level, va, pa = slot, old, new */
	PGT_EV_FLUSH,		/* kind = flush kind, count, text = reason */
	PGT_EV_NOTE,		/* anything else worth a line: text */
	PGT_EV_PAGESTATE,	/* s390 guest page: va, old/new = state codes */
};

struct pgt_event {
	enum pgt_ev_type type;
	unsigned long op;	/* 1-based operation index (0: set-up) */
	int mm;
	int level;
	uint64_t va;
	uint64_t pa;
	uint64_t old, new;
	uint64_t count;
	uint32_t size;
	int half;		/* s390 fragment index within its page, -1 none */
	int kind;
	const char *text;
};

#define PGT_MAX_CPUS 64

/*
 * The machine the rules act on.  struct pgt_engine begins with one (member
 * m), so a rule holding the engine reaches it with pgt_mach(e) at no cost.
 */
/*
 * What the --check after one operation looks at: every mm and address
 * (all: a full check), or the address ranges of the mms the operation
 * may have changed (rounded out to whole page tables).  Built by the
 * engine from the operation and from what changed (VMAs, tops, new
 * mms); read by the arch's check through pgt_check_wants.
 */
#define PGT_CHECK_RANGES 16
#define PGT_CHECK_EVERY_MM (-1)
struct pgt_check_range {
	int mm;			/* an mm id, or PGT_CHECK_EVERY_MM */
	uint64_t lo, last;	/* [lo, last], inclusive */
};
struct pgt_check_scope {
	bool all;
	unsigned n;
	struct pgt_check_range r[PGT_CHECK_RANGES];
};

struct pgt_machine {
	const struct pgt_arch *arch;
	const struct pgt_mm_rules *rules;	/* arch->mm, never NULL */
	int profile;		/* index into rules->profiles */
	struct simmem mem;
	unsigned ncpus;
	void *arch_priv;	/* rules->priv_size bytes */

	struct pgt_mm **mms;	/* indexed by id (sparse) */
	size_t nmms;
	struct pgt_mm *cur;	/* the mm later ops apply to */
	struct pgt_mm *cpu_mm[PGT_MAX_CPUS];	/* loaded mm per CPU */
	/*
	 * CPUs running the idle task (`cpu idle N`): cpu_mm[] keeps the mm
	 * they last ran, loaded lazily (x86 lazy TLB: still in mm_cpumask;
	 * s390: still in cpu_attach_mask), but no operation runs there.
	 */
	uint64_t cpu_idle;
	unsigned self;		/* CPU running the current op */

	unsigned long op_index;	/* 1-based index of the running op */
	const struct pgt_op *op;

	unsigned nev;		/* listeners; 0: no event is built at all */
	uint64_t trans[PGT_PS__COUNT][PGT_PS__COUNT];
	struct pgt_check_scope check_scope;	/* of the running --check */
};

/* the machine of engine e (C11 6.7.2.1: a pointer to a structure,
 * converted, points to its first member) */
static inline struct pgt_machine *pgt_mach(struct pgt_engine *e)
{
	return (struct pgt_machine *)(void *)e;
}

static inline const struct pgt_machine *pgt_cmach(const struct pgt_engine *e)
{
	return (const struct pgt_machine *)(const void *)e;
}

/* ---- services of the engine ---- */

/* is mask (a cpumask) only the CPU running the operation? */
/*
 * In the arch's check: may [lo, last] (inclusive) of mm have changed in
 * the operation just applied, so that its entries must be looked at?
 * Always true in a full check.  Cheap: the scope holds a few ranges.
 */
static inline bool pgt_check_wants(const struct pgt_engine *e,
				   const struct pgt_mm *mm, uint64_t lo,
				   uint64_t last)
{
	const struct pgt_check_scope *s = &pgt_cmach(e)->check_scope;
	unsigned i;

	if (s->all)
		return true;
	for (i = 0; i < s->n; i++)
		if ((s->r[i].mm == mm->id || s->r[i].mm == PGT_CHECK_EVERY_MM) &&
		    lo <= s->r[i].last &&
		    s->r[i].lo <= last)
			return true;
	return false;
}

/*
 * The first address at or above va the scope holds for mm (va itself in
 * a full check), or UINT64_MAX when there is none; *last (may be NULL)
 * gets the last address of the range it is in.  Loops over the entries
 * of a table jump with it from one range of the scope to the next.
 */
static inline uint64_t pgt_check_next(const struct pgt_engine *e,
				      const struct pgt_mm *mm, uint64_t va,
				      uint64_t *last)
{
	const struct pgt_check_scope *s = &pgt_cmach(e)->check_scope;
	uint64_t best = UINT64_MAX, end = UINT64_MAX;
	unsigned i;

	if (s->all) {
		if (last)
			*last = UINT64_MAX;
		return va;
	}
	for (i = 0; i < s->n; i++)
		if ((s->r[i].mm == mm->id || s->r[i].mm == PGT_CHECK_EVERY_MM) &&
		    s->r[i].last >= va) {
			uint64_t a = s->r[i].lo > va ? s->r[i].lo : va;

			if (a < best) {
				best = a;
				end = s->r[i].last;
			}
		}
	if (last)
		*last = end;
	return best;
}

static inline bool pgt_mm_only_self(struct pgt_engine *e, uint64_t mask)
{
	return mask == (1ull << pgt_cmach(e)->self);
}

void pgt_flush(struct pgt_engine *e, enum pgt_flush_kind kind, uint64_t n,
	       const char *reason);
/* deliver an event to every listener (callers test pgt_ev_on first, so
 * that nothing is built when nobody listens) */
void pgt_ev_emit(struct pgt_engine *e, const struct pgt_event *ev);
static inline bool pgt_ev_on(const struct pgt_engine *e)
{
	return pgt_cmach(e)->nev != 0;
}
void pgt_ev_entry_emit(struct pgt_engine *e, struct pgt_mm *mm, int level,
		       uint64_t va, const void *slot, uint64_t old,
		       uint64_t new);
/* an entry changed: an event only when someone listens */
static inline void pgt_ev_entry(struct pgt_engine *e, struct pgt_mm *mm,
				int level, uint64_t va, const void *slot,
				uint64_t old, uint64_t new)
{
	if (pgt_ev_on(e) && old != new)
		pgt_ev_entry_emit(e, mm, level, va, slot, old, new);
}
void pgt_ev_table(struct pgt_engine *e, struct pgt_mm *mm, bool alloc,
		  int level, uint64_t pa, uint32_t size, int half);
void pgt_ev_note(struct pgt_engine *e, struct pgt_mm *mm, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* physical address of a slot pointer (events name slots by address) */
uint64_t pgt_slot_pa(struct pgt_engine *e, const void *slot);
void *pgt_phys(struct pgt_engine *e, uint64_t pa);

/*
 * An idle CPU holding an mm lazily switches to the kernel's own address
 * space (x86 flush_tlb_func on a lazy CPU: switch_mm_irqs_off to
 * init_mm); it stays idle, with no user mm loaded.
 */
void pgt_cpu_drop_lazy_mm(struct pgt_engine *e, unsigned cpu);

/* data pages */
int pgt_page_alloc(struct pgt_engine *e, unsigned order, uint64_t *pfn);
void pgt_page_get(struct pgt_engine *e, uint64_t pfn);
void pgt_page_put(struct pgt_engine *e, uint64_t pfn);
/* pgt_page_put with the common case (a plain page, last mapping) inline */
static inline void pgt_page_put_fast(struct pgt_engine *e, uint64_t pfn)
{
	struct simmem *mem = &pgt_mach(e)->mem;
	struct sim_frame *f = simmem_frame(mem, pfn << SIM_PAGE_SHIFT);

	if (f && f->refs == 1 && !(f->flags & (SIMF_COMPOUND | SIMF_ZERO)))
		simmem_free_data0(mem, f, pfn);
	else
		pgt_page_put(e, pfn);
}
bool pgt_page_anon_exclusive(struct pgt_engine *e, uint64_t pfn);
void pgt_page_set_exclusive(struct pgt_engine *e, uint64_t pfn, bool excl);
unsigned pgt_page_refs(struct pgt_engine *e, uint64_t pfn);

/* gather */
void pgt_gather_init(struct pgt_engine *e, struct pgt_gather *g,
		     struct pgt_mm *mm, bool fullmm);
void pgt_gather_add(struct pgt_gather *g, uint64_t start, uint64_t end,
		    bool pmd);
/* a data page queued; may flush in the middle (x86 page batch) */
void pgt_gather_page(struct pgt_gather *g);
/* a table unlinked at va: widen the range, arch bookkeeping
 * (arch->table_free_tlb), release after the next flush (table batch) */
void pgt_gather_table(struct pgt_gather *g, int level, uint64_t pa,
		      uint64_t va);
void pgt_gather_flush(struct pgt_gather *g);	/* tlb_flush_mmu */
void pgt_gather_finish(struct pgt_gather *g);	/* tlb_finish_mmu */

/* transition accounting, one leaf entry */
static inline void pgt_trans(struct pgt_engine *e, enum pgt_pstate from,
			     enum pgt_pstate to)
{
	pgt_mach(e)->trans[from][to]++;
}

const char *pgt_engine_profile(const struct pgt_engine *e);

#endif
