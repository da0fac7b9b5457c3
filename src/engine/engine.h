/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The replay engine: address spaces (mm) with VMAs, users and CPUs, the
 * generic Linux mm operations (mm-ops.md) and the accounting of events,
 * flushes and state transitions.  No I/O: results are reported through an
 * event callback and counters; errors through struct pgt_err.
 */
#ifndef PGT_ENGINE_H
#define PGT_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include "../arch/arch.h"
#include "../mem/simmem.h"
#include "../op/op.h"

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

typedef void pgt_event_fn(void *arg, const struct pgt_event *ev);

/* listeners called in the order added (a shell's breakpoints beside
 * --events); a small fixed array: adding or removing is rare, and the
 * engine tests "anyone listening?" on its hot paths */
#define PGT_MAX_LISTENERS 8
struct pgt_listener {
	pgt_event_fn *fn;
	void *arg;
};
/* add (fn, arg) to the *n listeners of v / remove it: the engine's and a
 * session's lists (PGT_ERR_LIMIT past PGT_MAX_LISTENERS) */
int pgt_listener_add(struct pgt_listener *v, unsigned *n, pgt_event_fn *fn,
		     void *arg, struct pgt_err *err);
void pgt_listener_remove(struct pgt_listener *v, unsigned *n,
			 pgt_event_fn *fn, void *arg);

/* flushes of one (op, kind), with the rule(s) that caused them */
#define PGT_FLUSH_REASONS 4
struct pgt_flush_rec {
	unsigned long op;
	enum pgt_flush_kind kind;
	uint64_t count;
	const char *reason[PGT_FLUSH_REASONS];
};

enum pgt_thp_mode { PGT_THP_NEVER, PGT_THP_MADVISE, PGT_THP_ALWAYS };

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
struct pgt_check_state;	/* check.c: what the last check left behind */

#define PGT_MAX_CPUS 64

struct pgt_engine {
	const struct pgt_arch *arch;
	const struct pgt_mm_rules *rules;	/* arch->mm, never NULL */
	int profile;		/* index into arch->profiles */
	struct simmem mem;
	uint64_t mem_size;
	uint64_t max_host_mem;	/* set max-host-mem: limit of e->mem.host_bytes */
	uint64_t host_mem_ceiling;	/* the most a trace may set it to */
	unsigned ncpus;
	enum pgt_thp_mode thp;
	bool thp_zero_page;
	bool check;		/* run invariants after every op */
	bool check_full;	/* ... on everything, not only what the op
				 * may have changed (--check=full) */
	struct pgt_check_scope check_scope;	/* of the running check */
	struct pgt_check_state *chk;	/* NULL until a check ran */
	bool started;
	void *arch_priv;

	struct pgt_mm **mms;	/* indexed by id (sparse) */
	size_t nmms;
	struct pgt_mm *cur;	/* the mm later ops apply to */
	struct pgt_mm *cpu_mm[PGT_MAX_CPUS];	/* loaded mm per CPU */
	unsigned self;		/* CPU running the current op */

	unsigned long op_index;	/* 1-based index of the running op */
	const struct pgt_op *op;

	struct pgt_listener ev[PGT_MAX_LISTENERS];
	unsigned nev;		/* 0: no event is built at all */

	/* flush accounting: totals always; the per-op records (for the
	 * --flushes view) only when asked for, as they grow with the trace */
	bool flush_records;
	struct pgt_flush_rec *flush;
	size_t nflush, cflush;
	uint64_t flush_total[PGT_FL__COUNT];
	uint64_t trans[PGT_PS__COUNT][PGT_PS__COUNT];
	uint64_t nr_faults, nr_errors;
	uint64_t huge_zero_pfn;	/* the huge zero page once allocated, or 0 */
	bool tables_changed;	/* G16 bookkeeping */
	bool deposits_changed;	/* the running op pushed or popped a
				 * THP deposit (T3 of a partial check) */
};

/* lifecycle */
int pgt_engine_new(const char *arch, struct pgt_engine **out,
		   struct pgt_err *err);
void pgt_engine_free(struct pgt_engine *e);
int pgt_engine_set(struct pgt_engine *e, const char *key, const char *val,
		   struct pgt_err *err);
int pgt_engine_start(struct pgt_engine *e, struct pgt_err *err);
/* fn becomes the only listener (NULL: none) */
void pgt_engine_on_event(struct pgt_engine *e, pgt_event_fn *fn, void *arg);
/*
 * Add a listener (PGT_ERR_LIMIT when PGT_MAX_LISTENERS listen already) /
 * remove the one added with the same fn and arg.  Not from inside a
 * listener: the list must not change while an event is delivered.
 */
int pgt_engine_listen(struct pgt_engine *e, pgt_event_fn *fn, void *arg,
		      struct pgt_err *err);
void pgt_engine_unlisten(struct pgt_engine *e, pgt_event_fn *fn, void *arg);
/*
 * Apply one operation.  A kernel-level failure (ENOMEM, SIGSEGV ...) is an
 * outcome, reported as a RESULT event, not an error.  Errors are input
 * errors (op invalid here: PGT_ERR_INPUT) and, with check, invariant
 * violations (PGT_ERR_INVARIANT).
 */
int pgt_engine_apply(struct pgt_engine *e, const struct pgt_op *op,
		     struct pgt_err *err);
struct pgt_mm *pgt_engine_mm(struct pgt_engine *e, int id);

/*
 * A deep copy of the engine between two operations: the simulated memory
 * with a new host copy of every table frame, the frame allocator and its
 * free lists, every mm with its VMAs, deposit lists and arch state, the
 * arch's engine state, the counters and (unless PGT_CLONE_NO_FLUSH_RECS)
 * the per-op flush records.  The copy has no listeners, shares nothing
 * with e and is freed with pgt_engine_free.  *bytes (may be NULL)
 * receives the host memory it holds: about 16 bytes per frame below the
 * allocator's bump pointer (data pages included), 4 KiB per table frame
 * (in use or free), 24 bytes per VMA, 56 per flush record, plus small
 * per-mm state.  e may be a checkpoint (this is how one is restored).
 */
#define PGT_CLONE_NO_FLUSH_RECS 0x1u	/* totals only: the caller keeps
					 * the records (they only grow) */
struct pgt_engine *pgt_engine_clone(const struct pgt_engine *e,
				    unsigned flags, size_t *bytes,
				    struct pgt_err *err);
/*
 * A checkpoint: a frozen copy of e without flush records, to restore
 * with pgt_engine_clone (or to walk: its memory reads), never to run
 * (pgt_engine_apply refuses it).  Its table frames are shared with
 * checkpoint prev (may be NULL) of the same pool wherever their bytes
 * are equal, and so are its exited mms (they never change), so a
 * checkpoint near another costs mostly the frame metadata (16 bytes per
 * frame handed out) and the frames that changed (4 KiB each);
 * pool->bytes counts the memory of all of them exactly, *bytes (may be
 * NULL) what this one holds outside the pool (live mms, VMAs, arch
 * state, which is kept packed when it is plain bytes: read a copy for
 * anything but walking).  Free checkpoints with pgt_engine_free, in any
 * order.
 */
struct pgt_engine *pgt_engine_checkpoint(const struct pgt_engine *e,
					 const struct pgt_engine *prev,
					 struct sim_pool *pool, size_t *bytes,
					 struct pgt_err *err);
/* replace the per-op flush records by a copy of recs[0..n) */
int pgt_engine_set_flush_records(struct pgt_engine *e,
				 const struct pgt_flush_rec *recs, size_t n,
				 struct pgt_err *err);
/*
 * Every invariant on the whole state (generic and the arch's).  After
 * it passed, pgt_engine_apply with e->check and not e->check_full checks
 * only what each operation may have changed; a replay ends with this.
 */
int pgt_engine_check(struct pgt_engine *e, struct pgt_err *err);

/* ---- services for the arch layer ---- */

/*
 * In the arch's check: may [lo, last] (inclusive) of mm have changed in
 * the operation just applied, so that its entries must be looked at?
 * Always true in a full check.  Cheap: the scope holds a few ranges.
 */
static inline bool pgt_check_wants(const struct pgt_engine *e,
				   const struct pgt_mm *mm, uint64_t lo,
				   uint64_t last)
{
	const struct pgt_check_scope *s = &e->check_scope;
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
	const struct pgt_check_scope *s = &e->check_scope;
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
	return mask == (1ull << e->self);
}

void pgt_flush(struct pgt_engine *e, enum pgt_flush_kind kind, uint64_t n,
	       const char *reason);
/* deliver an event to every listener (callers test pgt_ev_on first, so
 * that nothing is built when nobody listens) */
void pgt_ev_emit(struct pgt_engine *e, const struct pgt_event *ev);
static inline bool pgt_ev_on(const struct pgt_engine *e)
{
	return e->nev != 0;
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

/* data pages */
int pgt_page_alloc(struct pgt_engine *e, unsigned order, uint64_t *pfn);
void pgt_page_get(struct pgt_engine *e, uint64_t pfn);
void pgt_page_put(struct pgt_engine *e, uint64_t pfn);
/* pgt_page_put with the common case (a plain page, last mapping) inline */
static inline void pgt_page_put_fast(struct pgt_engine *e, uint64_t pfn)
{
	struct sim_frame *f = simmem_frame(&e->mem, pfn << SIM_PAGE_SHIFT);

	if (f && f->refs == 1 && !(f->flags & (SIMF_COMPOUND | SIMF_ZERO)))
		simmem_free_data0(&e->mem, f, pfn);
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
	e->trans[from][to]++;
}

const char *pgt_engine_profile(const struct pgt_engine *e);

#endif
