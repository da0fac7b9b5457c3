/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The incremental --check (src/engine/check.c, e->m.check_scope) reports a
 * violation at the same operation, with the same invariant, as the full
 * check (e->check_full).  A listener corrupts the state while one chosen
 * operation runs (the engine's events arrive inside pgt_engine_apply,
 * before the check), the way a bug in that operation's code would: an
 * entry in the range it works on, one in the same page table just past
 * its range, a table linked a second time (the first link outside the
 * operation's range), a kernel PMD of another mm after kmap, a COW mm
 * after fork (PAE), a PTE a fixed remap moved onto a look-alike mapping,
 * a PTE the op wrote (s390x, s390: the arch checks).
 * Each workload runs twice, once per mode, and must stop at the same op
 * with the same invariant and message; without a corruption both modes
 * pass every op.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine/engine.h"
#include "../lib/tap.h"
#include "engine-util.h"

#define M (1024ull * 1024ull)
#define L_PDPT 0
#define L_PD 1
#define L_PT 2
#define PTE_RW 0x2ull
#define PTE_USER 0x4ull
#define PFN_MASK 0x000ffffffffff000ull

struct corrupt {
	unsigned long at;	/* op index to corrupt during, 0: none */
	enum pgt_ev_type on;	/* the event of that op to act on */
	void (*fn)(struct pgt_engine *e);
	int mm;			/* with va: only that entry's event */
	uint64_t va;
	bool done;
	struct pgt_engine *e;
};

static void *slot_at(struct pgt_engine *e, struct pgt_mm *mm, uint64_t va,
		     int level)
{
	const struct pgt_arch *a = e->m.arch;
	uint64_t table = mm->top, next;
	int l;

	for (l = mm->top_level;; l++) {
		const struct pgt_level *L = &a->levels[l];
		uint8_t *slot = (uint8_t *)pgt_phys(e, table) +
				((va >> L->shift) & (L->nentries - 1u)) *
				L->entsize;

		if (l == level)
			return slot;
		if (a->mm->upper_kind(e, l, pgt_ent_load(a, l, slot), &next) !=
		    PGT_ENT_TABLE)
			return NULL;
		table = next;
	}
}

static uint64_t get(struct pgt_engine *e, int mm, uint64_t va, int level)
{
	void *s = slot_at(e, pgt_engine_mm(e, mm), va, level);

	return s ? pgt_ent_load(e->m.arch, level, s) : 0;
}

static void set(struct pgt_engine *e, int mm, uint64_t va, int level,
		uint64_t v)
{
	void *s = slot_at(e, pgt_engine_mm(e, mm), va, level);

	if (!s) {
		printf("Bail out! no slot for 0x%llx level %d\n",
		       (unsigned long long)va, level);
		exit(99);
	}
	pgt_ent_store(e->m.arch, level, s, v);
}

static void on_event(void *arg, const struct pgt_event *ev)
{
	struct corrupt *c = arg;

	if (!c->done && c->at && ev->op == c->at && ev->type == c->on &&
	    (!c->mm || (ev->mm == c->mm && ev->va == c->va &&
			ev->level == L_PT))) {
		c->done = true;
		c->fn(c->e);
	}
}

/* ---- the corruptions (each what a bug in that op could leave) ---- */

/* protect r of 0x10000000+1M left a PTE writable (G3) */
static void writable_pte(struct pgt_engine *e)
{
	set(e, 1, 0x10080000, L_PT, get(e, 1, 0x10080000, L_PT) | PTE_RW);
}

/* populate of 0x10400000+64K wrote a PTE past its range, in the same
 * page table, outside every VMA (G2) */
static void pte_past_range(struct pgt_engine *e)
{
	set(e, 1, 0x105ff000, L_PT, get(e, 1, 0x10400000, L_PT));
}

/* populate of 0x30000000+4K linked the page table of 0x10000000 (linked
 * before, far outside this op's range) instead of a new one (G8) */
static void table_linked_twice(struct pgt_engine *e)
{
	set(e, 1, 0x30000000, L_PD, get(e, 1, 0x10000000, L_PD));
}

/* populate left a PDE without its user bit (P7, the arch's check) */
static void pde_not_user(struct pgt_engine *e)
{
	set(e, 1, 0x30000000, L_PD, get(e, 1, 0x30000000, L_PD) & ~PTE_USER);
}

/* populate left a huge PMD (PSE) without a deposited table, in an mm
 * that had no deposit at all (T3: the partial check counts then only
 * the PMDs in the operation's range) */
static void huge_without_deposit(struct pgt_engine *e)
{
	set(e, 1, 0x10200000, L_PD, 0x3000000ull | 0xe7);
}

/* kmap's sync missed mm 2's kernel PMD (P4, an mm the op is not on) */
static void kernel_pmd_unsynced(struct pgt_engine *e)
{
	set(e, 2, 0xf8000000, L_PD, 0);
}

/* fork left a COW PTE of the child writable in a read-only VMA (G3) */
static void child_writable(struct pgt_engine *e)
{
	set(e, 2, 0x10080000, L_PT, get(e, 2, 0x10080000, L_PT) | PTE_RW);
}

/* ---- the workload ---- */

static int apply(struct pgt_engine *e, enum pgt_op_kind kind, uint64_t a,
		 uint64_t l, const char *prot, unsigned flags, int arg,
		 struct pgt_err *err)
{
	struct pgt_op op = { .kind = kind, .addr = a, .len = l,
			     .prot = prot ? tu_prot(prot) : 0,
			     .flags = flags, .arg = arg };

	op.line = e->m.op_index + 1;
	return pgt_engine_apply(e, &op, err);
}

/*
 * Runs the workload with e->check (full or not); returns the index of
 * the op whose check failed (0: none) and the failing message in err.
 */
static unsigned long workload(bool full, struct corrupt *c,
			      struct pgt_err *err)
{
	struct pgt_engine *e = tu_engine("pae", "thp=never kernel-pmd=unshared cpus=2",
					 on_event, c);
	unsigned long failed = 0;
	int rc = 0;

	c->e = e;
	c->done = false;
	e->check_full = full;
	memset(err, 0, sizeof(*err));
#define A(k, a, l, p, f, g)                                                   \
	do {                                                                  \
		if (!rc && (rc = apply(e, k, a, l, p, f, g, err)))            \
			failed = e->m.op_index;                                 \
	} while (0)
	A(PGT_OP_ALLOC, 0x10000000, 8 * M, "rw", 0, 0);		/* 1 */
	A(PGT_OP_POPULATE, 0x10000000, 8 * M, NULL, 1, 0);	/* 2 */
	A(PGT_OP_ALLOC, 0x20000000, 4 * M, "r", 0, 0);		/* 3 */
	A(PGT_OP_POPULATE, 0x20000000, 4 * M, NULL, 0, 0);	/* 4 */
	A(PGT_OP_PROTECT, 0x10000000, 1 * M, "r", 0, 0);	/* 5 */
	A(PGT_OP_FORK, 0, 0, NULL, 0, 2);			/* 6 */
	A(PGT_OP_UNMAP, 0x10500000, 3 * M, NULL, 0, 0);		/* 7 */
	A(PGT_OP_POPULATE, 0x10400000, 64 * 1024, NULL, 1, 0);	/* 8 */
	A(PGT_OP_ALLOC, 0x30000000, 4096, "rw", 0, 0);		/* 9 */
	A(PGT_OP_POPULATE, 0x30000000, 4096, NULL, 1, 0);	/* 10 */
	A(PGT_OP_KMAP, 0xf8000000, 8192, "rw", 0, 0);		/* 11 */
	A(PGT_OP_MM, 0, 0, NULL, 0, 2);				/* 12 */
	A(PGT_OP_POPULATE, 0x10000000, 1 * M, NULL, 1, 0);	/* 13 */
	A(PGT_OP_CPU, 0, 0, NULL, 0, 1);			/* 14 */
	A(PGT_OP_EXIT, 0, 0, NULL, 0, 0);			/* 15 */
#undef A
	pgt_engine_free(e);
	return failed;
}

/* remap 0x10000000+1M (read-only) onto 0x50000000, fixed, where a
 * read-only mapping of the same size was: the VMAs there look the same
 * after the op; the PTEs it moved are the ones to check */
static void moved_pte_writable(struct pgt_engine *e)
{
	set(e, 1, 0x50080000, L_PT, get(e, 1, 0x50080000, L_PT) | PTE_RW);
}

static unsigned long workload_remap(bool full, struct corrupt *c,
				    struct pgt_err *err)
{
	struct pgt_engine *e = tu_engine("pae", "thp=never cpus=1", on_event,
					 c);
	struct pgt_op op = { .kind = PGT_OP_REMAP, .addr = 0x10000000,
			     .len = 1 * M, .newlen = 1 * M,
			     .newaddr = 0x50000000,
			     .flags = PGT_REMAP_FIXED };
	unsigned long failed = 0;
	int rc = 0;

	c->e = e;
	c->done = false;
	e->check_full = full;
	memset(err, 0, sizeof(*err));
#define A(k, a, l, p, f)                                                      \
	do {                                                                  \
		if (!rc && (rc = apply(e, k, a, l, p, f, 0, err)))            \
			failed = e->m.op_index;                                 \
	} while (0)
	A(PGT_OP_ALLOC, 0x10000000, 1 * M, "r", 0);		/* 1 */
	A(PGT_OP_POPULATE, 0x10000000, 1 * M, NULL, 0);		/* 2 */
	A(PGT_OP_ALLOC, 0x50000000, 1 * M, "r", 0);		/* 3 */
	A(PGT_OP_POPULATE, 0x50000000, 1 * M, NULL, 0);		/* 4 */
#undef A
	op.line = e->m.op_index + 1;				/* 5 */
	if (!rc && (rc = pgt_engine_apply(e, &op, err)))
		failed = e->m.op_index;
	pgt_engine_free(e);
	return failed;
}

/* s390x and s390: a process, a fork, a protect, a populate */
static const char *s390_arch;

static unsigned long workload_s390(bool full, struct corrupt *c,
				   struct pgt_err *err)
{
	struct pgt_engine *e = tu_engine(s390_arch, "cpus=2 thp=never",
					 on_event, c);
	unsigned long failed = 0;
	int rc = 0;

	c->e = e;
	c->done = false;
	e->check_full = full;
	memset(err, 0, sizeof(*err));
#define A(k, a, l, p, f, g)                                                   \
	do {                                                                  \
		if (!rc && (rc = apply(e, k, a, l, p, f, g, err)))            \
			failed = e->m.op_index;                                 \
	} while (0)
	A(PGT_OP_ALLOC, 0x10000000, 4 * M, "rw", 0, 0);		/* 1 */
	A(PGT_OP_POPULATE, 0x10000000, 4 * M, NULL, 1, 0);	/* 2 */
	A(PGT_OP_ALLOC, 0x20000000, 2 * M, "rw", 0, 0);		/* 3 */
	A(PGT_OP_FORK, 0, 0, NULL, 0, 2);			/* 4 */
	A(PGT_OP_PROTECT, 0x10000000, 1 * M, "r", 0, 0);	/* 5 */
	A(PGT_OP_POPULATE, 0x20000000, 64 * 1024, NULL, 1, 0);	/* 6 */
	A(PGT_OP_MM, 0, 0, NULL, 0, 2);				/* 7 */
	A(PGT_OP_UNMAP, 0x10000000, 2 * M, NULL, 0, 0);		/* 8 */
#undef A
	pgt_engine_free(e);
	return failed;
}

static unsigned long (*run)(bool full, struct corrupt *c,
			    struct pgt_err *err) = workload;

/* s390x S11: bit 52 set in a present PTE that populate wrote */
static void s390x_bit52(struct pgt_engine *e)
{
	set(e, 1, 0x2000f000, e->m.arch->nlevels - 1,
	    get(e, 1, 0x2000f000, e->m.arch->nlevels - 1) | 0x800);
}

/* s390 (31-bit) S11: a present PTE left invalid, bits 0/20/23 */
static void s390_mbz(struct pgt_engine *e)
{
	set(e, 1, 0x2000f000, e->m.arch->nlevels - 1,
	    get(e, 1, 0x2000f000, e->m.arch->nlevels - 1) | 0x80000000u);
}

/* the invariant id of "invariant X violated ..." */
static const char *inv_of(const struct pgt_err *err, char *buf, size_t len)
{
	const char *p = strstr(err->msg, "invariant ");

	buf[0] = 0;
	if (p)
		sscanf(p + 10, "%15s", buf);
	(void)len;
	return buf;
}

static void same_op_at(const char *what, unsigned long at,
		       enum pgt_ev_type on, void (*fn)(struct pgt_engine *e),
		       const char *want, int mm, uint64_t va)
{
	struct corrupt c = { .at = at, .on = on, .fn = fn, .mm = mm, .va = va };
	struct pgt_err ef, ei;
	char invf[16], invi[16];
	unsigned long full = run(true, &c, &ef), inc;
	bool hit = c.done;

	inc = run(false, &c, &ei);
	ok(hit && c.done && full == at && inc == at &&
	   !strcmp(inv_of(&ef, invf, sizeof(invf)), want) &&
	   !strcmp(inv_of(&ei, invi, sizeof(invi)), want),
	   "%s: full and incremental checks both stop at op %lu with %s", what,
	   at, want);
	if (full != at || inc != at || strcmp(invf, want) || strcmp(invi, want)) {
		printf("#   full:        op %lu: %s\n", full, ef.msg);
		printf("#   incremental: op %lu: %s\n", inc, ei.msg);
	}
	is_str(ei.msg, ef.msg, "%s: the same message", what);
}

static void same_op(const char *what, unsigned long at, enum pgt_ev_type on,
		    void (*fn)(struct pgt_engine *e), const char *want)
{
	same_op_at(what, at, on, fn, want, 0, 0);
}

int main(void)
{
	struct corrupt none = { 0 };
	struct pgt_err err;

	ok(workload(true, &none, &err) == 0, "the workload passes the full check after every op");
	ok(workload(false, &none, &err) == 0, "the workload passes the incremental check after every op");
	same_op("PTE left writable by protect", 5, PGT_EV_RESULT, writable_pte,
		"G3");
	same_op("PTE written past populate's range, same table", 8,
		PGT_EV_RESULT, pte_past_range, "G2");
	same_op("table linked twice, first link outside the range", 10,
		PGT_EV_RESULT, table_linked_twice, "G8");
	same_op("PDE without its user bit (arch check)", 10, PGT_EV_RESULT,
		pde_not_user, "P7");
	same_op("huge PMD without a deposit, none in the mm", 2,
		PGT_EV_RESULT, huge_without_deposit, "T3");
	same_op("kmap sync missed another mm's kernel PMD", 11, PGT_EV_NOTE,
		kernel_pmd_unsynced, "P4");
	same_op_at("fork left the child's PTE writable", 6, PGT_EV_ENTRY,
		   child_writable, "G3", 2, 0x10080000);

	run = workload_remap;
	ok(run(true, &none, &err) == 0 && run(false, &none, &err) == 0,
	   "remap: the workload passes both checks");
	same_op("remap onto a look-alike mapping left a moved PTE writable", 5,
		PGT_EV_RESULT, moved_pte_writable, "G3");

	run = workload_s390;
	s390_arch = "s390x";
	ok(run(true, &none, &err) == 0 && run(false, &none, &err) == 0,
	   "s390x: the workload passes both checks");
	same_op("s390x: bit 52 in a PTE populate wrote", 6, PGT_EV_RESULT,
		s390x_bit52, "S11");
	s390_arch = "s390";
	ok(run(true, &none, &err) == 0 && run(false, &none, &err) == 0,
	   "s390: the workload passes both checks");
	same_op("s390: a must-be-zero bit in a PTE populate wrote", 6,
		PGT_EV_RESULT, s390_mbz, "S11");
	return done_testing();
}
