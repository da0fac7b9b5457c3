/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests of the x86 PAE rules (src/arch/pae.c) driven through the
 * engine: every check is named after the reference section it verifies
 * (../shared/reference: pae.md, thp.md, mm-ops.md, review-6.1.md,
 * invariants.md).  Operations are built by hand as struct pgt_op and
 * applied with pgt_engine_apply; raw entries are read back with the walker
 * (pgt_translate over the engine's simulated memory), flushes from the
 * per-operation records e->flush[].  Every engine runs with check on, so
 * the invariants of invariants.md §A/§C are verified after every op too.
 *
 * Profile: the default pae-2.6.25 with Debian 12's 6.1 i386 behaviour
 * (no NX in user PTEs, review-6.1.md 3) unless a test sets options.
 */
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "engine/engine.h"
#include "walk/walk.h"
#include "../lib/tap.h"
#include "engine-util.h"

#define K 1024ull
#define M (1024ull * 1024ull)
#define NOENT 0xdeadbeefdeadbeefull	/* no step at that level */
#define PFN_MASK 0x000ffffffffff000ull
#define HPFN_MASK 0x000fffffffe00000ull
#define NX (1ull << 63)
#define L_PDPT 0
#define L_PD 1
#define L_PT 2

/* ---- engine set-up and event counting ---- */

struct evc {
	unsigned long entries[3];	/* ENTRY events per level */
	unsigned long pd_user_mm;	/* PD entry events of a process (mm > 0) */
	unsigned long pd_swapper;	/* PD entry events of swapper (mm 0) */
	unsigned long table_alloc[3], table_free[3];
	uint32_t pgd_size;		/* size of the last PDPT allocated */
	int last_result;		/* kind of the last RESULT event (-errno) */
};

static struct evc ev;

static void on_event(void *arg, const struct pgt_event *e)
{
	struct evc *c = arg;

	switch (e->type) {
	case PGT_EV_ENTRY:
		if (e->level >= 0 && e->level < 3)
			c->entries[e->level]++;
		if (e->level == L_PD) {
			if (e->mm)
				c->pd_user_mm++;
			else
				c->pd_swapper++;
		}
		break;
	case PGT_EV_TABLE_ALLOC:
		c->table_alloc[e->level]++;
		if (e->level == L_PDPT)
			c->pgd_size = e->size;
		break;
	case PGT_EV_TABLE_FREE:
		c->table_free[e->level]++;
		break;
	case PGT_EV_RESULT:
		c->last_result = e->kind;
		break;
	default:
		break;
	}
}

static void ev_reset(void)
{
	memset(&ev, 0, sizeof(ev));
}

/* A started PAE engine; opts: "key=val key=val ..." (may be NULL). */
static struct pgt_engine *eng(const char *opts)
{
	ev_reset();
	return tu_engine("pae", opts, on_event, &ev);
}

/* ---- operations ---- */

static int apply(struct pgt_engine *e, struct pgt_op *op)
{
	struct pgt_err err = { 0 };
	int rc;

	op->line = e->m.op_index + 1;
	ev.last_result = 0;
	rc = pgt_engine_apply(e, op, &err);
	if (rc)
		printf("# op %lu failed: %s\n", e->m.op_index, err.msg);
	return rc;
}

/* "none" has no letters: tu_prot gives 0 */
#define prot_of(s) tu_prot(s)

static int do_alloc(struct pgt_engine *e, uint64_t a, uint64_t l,
		    const char *prot)
{
	struct pgt_op op = { .kind = PGT_OP_ALLOC, .addr = a, .len = l,
			     .prot = prot_of(prot) };

	return apply(e, &op);
}

static int do_alloc_f(struct pgt_engine *e, uint64_t a, uint64_t l,
		      const char *prot, unsigned flags)
{
	struct pgt_op op = { .kind = PGT_OP_ALLOC, .addr = a, .len = l,
			     .prot = prot_of(prot), .flags = flags };

	return apply(e, &op);
}

static int do_touch(struct pgt_engine *e, uint64_t a, uint64_t l, bool write)
{
	struct pgt_op op = { .kind = PGT_OP_POPULATE, .addr = a, .len = l,
			     .flags = write ? 1u : 0u };

	return apply(e, &op);
}

static int do_protect(struct pgt_engine *e, uint64_t a, uint64_t l,
		      const char *prot)
{
	struct pgt_op op = { .kind = PGT_OP_PROTECT, .addr = a, .len = l,
			     .prot = prot_of(prot) };

	return apply(e, &op);
}

static int do_unmap(struct pgt_engine *e, uint64_t a, uint64_t l)
{
	struct pgt_op op = { .kind = PGT_OP_UNMAP, .addr = a, .len = l };

	return apply(e, &op);
}

static int do_advise(struct pgt_engine *e, uint64_t a, uint64_t l, int adv)
{
	struct pgt_op op = { .kind = PGT_OP_ADVISE, .addr = a, .len = l,
			     .sub = adv };

	return apply(e, &op);
}

static int do_fork(struct pgt_engine *e, int id)
{
	struct pgt_op op = { .kind = PGT_OP_FORK, .arg = id };

	return apply(e, &op);
}

static int do_mm(struct pgt_engine *e, int id)
{
	struct pgt_op op = { .kind = PGT_OP_MM, .arg = id };

	return apply(e, &op);
}

static int do_cpu_attach(struct pgt_engine *e, int cpu)
{
	struct pgt_op op = { .kind = PGT_OP_CPU, .arg = cpu,
			     .sub = PGT_CPU_ATTACH };

	return apply(e, &op);
}

static int do_cpu(struct pgt_engine *e, int sub, int cpu)
{
	struct pgt_op op = { .kind = PGT_OP_CPU, .arg = cpu, .sub = sub };

	return apply(e, &op);
}

static int do_exit(struct pgt_engine *e)
{
	struct pgt_op op = { .kind = PGT_OP_EXIT };

	return apply(e, &op);
}

static int do_kmap(struct pgt_engine *e, uint64_t a, uint64_t l,
		   const char *prot)
{
	struct pgt_op op = { .kind = PGT_OP_KMAP, .addr = a, .len = l,
			     .prot = prot_of(prot) };

	return apply(e, &op);
}

/* set-up operations must succeed; a failure is one failed check */
#define RUN(x)                                                                \
	do {                                                                  \
		if ((x) != PGT_OK)                                            \
			ok(0, "set-up operation at %s:%d", __FILE__, __LINE__); \
	} while (0)

/* ---- reading entries and flush records ---- */

static struct pgt_xlate xl(struct pgt_engine *e, int mm, uint64_t va)
{
	struct pgt_mm *m = pgt_engine_mm(e, mm);
	struct pgt_xlate x;
	struct pgt_err err = { 0 };

	memset(&x, 0, sizeof(x));
	if (!m || m->dead ||
	    pgt_translate(e->m.arch, &e->m.mem.pm, e->m.rules->mm_root(e, m), va, &x,
			  &err))
		x.nsteps = 0;
	return x;
}

/* the raw entry at `level` on the walk of va in mm, NOENT if not reached */
static uint64_t ent(struct pgt_engine *e, int mm, uint64_t va, int level)
{
	struct pgt_xlate x = xl(e, mm, va);

	return level < x.nsteps ? x.step[level].raw : NOENT;
}

static uint64_t root(struct pgt_engine *e, int mm)
{
	return e->m.rules->mm_root(e, pgt_engine_mm(e, mm));
}

/* a PDPT slot read straight from memory (also the PTI user copy) */
static uint64_t pdpte_at(struct pgt_engine *e, uint64_t pgd, unsigned i)
{
	uint64_t v;

	memcpy(&v, (uint8_t *)pgt_phys(e, pgd) + 8 * i, 8);
	return v;
}

static bool table_zero(struct pgt_engine *e, uint64_t pa)
{
	const uint8_t *p = pgt_phys(e, pa);
	unsigned i;

	if (!p)
		return false;
	for (i = 0; i < 4096; i++)
		if (p[i])
			return false;
	return true;
}

/* flushes of kind k recorded for operation op */
static uint64_t fl(struct pgt_engine *e, unsigned long op,
		   enum pgt_flush_kind k)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < e->nflush; i++)
		if (e->flush[i].op == op && e->flush[i].kind == k)
			n += e->flush[i].count;
	return n;
}

/* ... of the last operation applied */
static uint64_t lf(struct pgt_engine *e, enum pgt_flush_kind k)
{
	return fl(e, e->m.op_index, k);
}

static uint64_t pfn_of(uint64_t pte)
{
	return pte & PFN_MASK;
}

/* ======================================================================
 * pae.md §1.1, §2.1, §2.2: levels and table sizes
 * ==================================================================== */

static void t_levels(void)
{
	struct pgt_engine *e = eng(NULL);
	const struct pgt_arch *a = e->m.arch;
	struct pgt_xlate x;

	is_u64(a->nlevels, 3, "pae.md §1.1: PAE walks 3 levels (PDPT, PD, PT)");
	is_u64(a->levels[0].table_size, 32,
	       "pae.md §1.1: PDPT is 4 x 8 B = 32 bytes");
	is_u64(a->levels[0].nentries, 4, "pae.md §2.1: PTRS_PER_PGD = 4");
	is_u64(a->levels[0].shift, 30, "pae.md §2.1: PGDIR_SHIFT = 30 (1 GiB)");
	is_u64(a->levels[1].nentries, 512, "pae.md §2.1: PTRS_PER_PMD = 512");
	is_u64(a->levels[1].table_size, 4096,
	       "pae.md §1.1: page directory is 512 x 8 B = 4 KiB");
	is_u64(a->levels[1].shift, 21, "pae.md §2.1: PMD_SHIFT = 21 (2 MiB)");
	is_u64(a->levels[2].nentries, 512, "pae.md §2.1: PTRS_PER_PTE = 512");
	is_u64(a->levels[2].table_size, 4096,
	       "pae.md §1.1: page table is 512 x 8 B = 4 KiB");
	is_u64(a->levels[0].entsize | a->levels[1].entsize |
	       a->levels[2].entsize, 8,
	       "pae.md §2.1: every entry is 64-bit");
	is_u64(a->user_limit, 0xc0000000,
	       "pae.md §2.2: TASK_SIZE = PAGE_OFFSET = 0xc0000000 (3G/1G)");
	is_u64(root(e, 1) & 31, 0, "pae.md §1.1/P1: the PDPT is 32-byte aligned");
	ok(root(e, 1) < (1ull << 32),
	   "pae.md §1.1/P1: the PDPT lies below 4 GiB (CR3 is 32 bits)");

	RUN(do_alloc(e, 0x10000000, 64 * K, "rw"));
	RUN(do_touch(e, 0x10000000, 64 * K, true));
	RUN(do_alloc(e, 0xbfff0000, 64 * K, "rw"));
	RUN(do_touch(e, 0xbfffe000, 4 * K, true));
	x = xl(e, 1, 0x10003000);
	ok(x.nsteps == 3 && x.mapped && x.step[0].index == 0 &&
	   x.step[1].index == 128 && x.step[2].index == 3,
	   "pae.md §1.1: 0x10003000 splits into 2 + 9 + 9 + 12 bits (0, 128, 3)");
	x = xl(e, 1, 0xbfffe000);
	ok(x.nsteps == 3 && x.mapped && x.step[0].index == 2 &&
	   x.step[1].index == 511 && x.step[2].index == 510,
	   "pae.md §1.1: 0xbfffe000 splits into indexes 2, 511, 510");
	is_u64(x.pa & 0xfff, 0, "pae.md §1.1: a 4 KiB leaf gives a page-aligned pa");
	pgt_engine_free(e);
}

/* ======================================================================
 * pae.md §4: pgd_alloc per profile; §9 PTI; invariants P1, P3, P11
 * ==================================================================== */

static void check_user_prealloc(struct pgt_engine *e, const char *prof)
{
	unsigned i;
	bool pok = true, zero = true;

	for (i = 0; i < 3; i++) {
		uint64_t v = pdpte_at(e, root(e, 1), i);

		if (!v || (v & ~PFN_MASK) != 0x001)
			pok = false;
		else if (!table_zero(e, v & PFN_MASK))
			zero = false;
	}
	ok(pok, "pae.md §4 (%s): PDPT[0..2] preallocated, each PMD|P (0x001, P1)",
	   prof);
	ok(zero, "pae.md §4 (%s): the preallocated user PMDs are zeroed", prof);
}

static void t_pgd_alloc(void)
{
	struct pgt_engine *e;
	uint64_t k1, k2, r;
	struct pgt_err err = { 0 };

	/* pae-2.6.25, shared kernel PMD */
	e = eng(NULL);
	is_u64(ev.pgd_size, 32,
	       "pae.md §4.2 (pae-2.6.25 shared): the pgd is a 32-byte slab object");
	check_user_prealloc(e, "pae-2.6.25 shared");
	is_u64(pgt_engine_mm(e, 1)->nr_tables[L_PD], 3,
	       "pae.md §4.2 (pae-2.6.25 shared): PREALLOCATED_PMDS = 3 user PMDs");
	RUN(do_fork(e, 2));
	k1 = pdpte_at(e, root(e, 1), 3);
	k2 = pdpte_at(e, root(e, 2), 3);
	ok(k1 && k1 == k2 && (k1 & 0xfff) == 0x001,
	   "pae.md §4.2/§5 (shared): PDPT[3] of every pgd is swapper's kernel PMD (same entry in mm 1 and mm 2)");
	ok(pdpte_at(e, root(e, 1), 0) != pdpte_at(e, root(e, 2), 0),
	   "pae.md §4.2: each pgd has its own user PMDs");
	is_u64(pgt_engine_mm(e, 2)->nr_tables[L_PD], 3,
	       "pae.md §4.2 (shared): the fork child also gets 3 preallocated PMDs");
	pgt_engine_free(e);

	/* pae-2.6.25, kernel-pmd=unshared (Xen PV) */
	e = eng("kernel-pmd=unshared");
	r = root(e, 1);
	is_u64(ev.pgd_size, 4096,
	       "pae.md §4.2/§5 (unshared): the pgd is a whole page");
	is_u64(r & 4095, 0, "pae.md §5 (unshared): the pgd is page aligned");
	check_user_prealloc(e, "kernel-pmd=unshared");
	is_u64(pgt_engine_mm(e, 1)->nr_tables[L_PD], 4,
	       "pae.md §4.2 (unshared): PREALLOCATED_PMDS = 4 (3 user + kernel)");
	RUN(do_fork(e, 2));
	k1 = pdpte_at(e, root(e, 1), 3);
	k2 = pdpte_at(e, root(e, 2), 3);
	ok(k1 && k2 && k1 != k2 && (k1 & 0xfff) == 0x001 &&
	   (k2 & 0xfff) == 0x001,
	   "pae.md §4.2/§5 (unshared): PDPT[3] points to a private kernel PMD per pgd");
	ok(!memcmp(pgt_phys(e, k1 & PFN_MASK), pgt_phys(e, k2 & PFN_MASK), 4096) &&
	   !table_zero(e, k1 & PFN_MASK),
	   "pae.md §4.2 (unshared): the private kernel PMD is a copy of swapper's (non-empty, equal in both mms)");
	pgt_engine_free(e);

	/* pae-6.16 */
	e = eng("profile=pae-6.16");
	is_u64(pgt_engine_mm(e, 1)->nr_tables[L_PD], 4,
	       "pae.md §4.3 (pae-6.16): all four PMDs preallocated");
	is_u64(ev.pgd_size, 4096, "pae.md §4.3 (pae-6.16): the pgd is always a whole page");
	check_user_prealloc(e, "pae-6.16");
	RUN(do_fork(e, 2));
	ok(pdpte_at(e, root(e, 1), 3) != pdpte_at(e, root(e, 2), 3),
	   "pae.md §4.3 (pae-6.16): the kernel PMD is never shared");
	pgt_engine_free(e);

	/* pae-2.6.24 */
	e = eng("profile=pae-2.6.24");
	is_u64(pgt_engine_mm(e, 1)->nr_tables[L_PD], 3,
	       "pae.md §4.1 (pae-2.6.24 shared): N = 3 user PMDs allocated in pgd_alloc");
	check_user_prealloc(e, "pae-2.6.24");
	pgt_engine_free(e);

	/* PTI */
	e = eng("pti=on");
	r = root(e, 1);
	is_u64(ev.pgd_size, 8192,
	       "pae.md §9/§4.2 (pti=on): the pgd is an order-1 allocation (8 KiB)");
	is_u64(r & 8191, 0, "pae.md §9/P11 (pti=on): the pgd is 8 KiB aligned");
	is_u64(pgt_engine_mm(e, 1)->nr_tables[L_PD], 5,
	       "pae.md §4.2 (pti=on): 4 PMDs + PREALLOCATED_USER_PMDS 1");
	ok(pdpte_at(e, r, 0) == pdpte_at(e, r + 4096, 0) &&
	   pdpte_at(e, r, 1) == pdpte_at(e, r + 4096, 1) &&
	   pdpte_at(e, r, 2) == pdpte_at(e, r + 4096, 2) && pdpte_at(e, r, 0),
	   "pae.md §9/P11 (pti=on): the user PDPT at +4 KiB mirrors user slots 0..2");
	k1 = pdpte_at(e, r, 3);
	k2 = pdpte_at(e, r + 4096, 3);
	ok(k1 && k2 && k1 != k2 && (k2 & 0xfff) == 0x001,
	   "pae.md §9 (pti=on): the user PDPT's kernel slot has its own PMD");
	/* a PDPTE change is mirrored both ways (pae.md §9 set_pud) */
	RUN(do_alloc(e, 0x50000000, 64 * K, "rw"));
	RUN(do_touch(e, 0x50000000, 64 * K, true));
	RUN(do_unmap(e, 0x50000000, 64 * K));
	ok(pdpte_at(e, r, 1) == 0 && pdpte_at(e, r + 4096, 1) == 0,
	   "pae.md §9/P11 (pti=on): clearing PDPT[1] clears the user copy too");
	RUN(do_alloc(e, 0x50000000, 64 * K, "rw"));
	RUN(do_touch(e, 0x50000000, 4 * K, true));
	ok(pdpte_at(e, r, 1) && pdpte_at(e, r, 1) == pdpte_at(e, r + 4096, 1),
	   "pae.md §9/P11 (pti=on): re-populating PDPT[1] writes the user copy too");
	pgt_engine_free(e);

	/* PTI forces unshared kernel PMDs */
	{
		struct pgt_engine *b;

		if (pgt_engine_new("pae", &b, &err) == PGT_OK) {
			pgt_engine_set(b, "pti", "on", &err);
			pgt_engine_set(b, "kernel-pmd", "shared", &err);
			ok(pgt_engine_start(b, &err) == PGT_ERR_INPUT,
			   "pae.md §9/§4.2: pti=on with kernel-pmd=shared is refused (SHARED_KERNEL_PMD = !PTI)");
			pgt_engine_free(b);
		}
	}
}

/* ======================================================================
 * pae.md §2.3: PTE and PDE values; mm-ops.md §3, §4.3, §6.2
 * ==================================================================== */

static void t_pte_values(void)
{
	struct pgt_engine *e = eng(NULL);
	uint64_t v, zero, pde, f;

	RUN(do_alloc(e, 0x10000000, 64 * K, "rw"));
	RUN(do_touch(e, 0x10000000, 4 * K, false));
	v = ent(e, 1, 0x10000000, L_PT);
	zero = pfn_of(v);
	is_u64(v & ~PFN_MASK, 0x225,
	       "pae.md §2.3: zero page by a read fault = pfn|0x225 (P|US|A|SPECIAL, no NX on 6.1)");
	RUN(do_touch(e, 0x10001000, 4 * K, false));
	is_u64(pfn_of(ent(e, 1, 0x10001000, L_PT)), zero,
	       "mm-ops.md §3.3: a second read fault maps the same shared zero page");
	pde = ent(e, 1, 0x10000000, L_PD);
	is_u64(pde & ~PFN_MASK, 0x067,
	       "pae.md §2.3/P7: user PDE = table|0x067 (_PAGE_TABLE)");

	RUN(do_touch(e, 0x10002000, 4 * K, true));
	v = ent(e, 1, 0x10002000, L_PT);
	is_u64(v & ~PFN_MASK, 0x067,
	       "pae.md §2.3: anon write fault PTE = pfn|0x067 (no NX on 6.1, review-6.1.md 3)");
	ok(pfn_of(v) != zero, "mm-ops.md §3.3: a write fault allocates a new page");
	is_u64(lf(e, PGT_FL_INVLPG) + lf(e, PGT_FL_FLUSH_ALL), 0,
	       "pae.md §8.2: fault none -> present flushes nothing");

	/* write onto the zero page: COW copy with ptep_clear_flush */
	RUN(do_touch(e, 0x10000000, 4 * K, true));
	v = ent(e, 1, 0x10000000, L_PT);
	ok((v & ~PFN_MASK) == 0x067 && pfn_of(v) != zero,
	   "mm-ops.md §3.4: write to the zero page copies: new page pfn|0x067");
	is_u64(lf(e, PGT_FL_INVLPG), 1,
	       "pae.md §8.2: COW break of the zero page = ptep_clear_flush: 1 invlpg");

	/* mprotect */
	f = pfn_of(ent(e, 1, 0x10002000, L_PT));
	RUN(do_protect(e, 0x10002000, 4 * K, "r"));
	is_u64(ent(e, 1, 0x10002000, L_PT), f | 0x065,
	       "pae.md §2.3: after mprotect(PROT_READ) = pfn|0x065");
	is_u64(lf(e, PGT_FL_INVLPG), 1, "pae.md §8.2: RW -> RO flushes (1 invlpg)");
	RUN(do_protect(e, 0x10002000, 4 * K, "none"));
	v = ent(e, 1, 0x10002000, L_PT);
	is_u64(v & 0xfff, 0x160,
	       "pae.md §2.3/P12: PROT_NONE PTE has P=0, PROTNONE(bit 8)=1, A and D kept (0x160)");
	is_u64(v & PFN_MASK, ~f & PFN_MASK,
	       "thp.md §10.4/pae.md §2.3: PROT_NONE stores the frame inverted (L1TF)");
	ok(!(v & NX), "review-6.1.md 3: PAGE_NONE carries no NX on 6.1 i386");
	{
		struct pgt_xlate x = xl(e, 1, 0x10002000);

		ok(!x.mapped && x.nsteps == 3 && x.step[2].ei.linux_present &&
		   x.step[2].ei.pa == f,
		   "pae.md §2.3: the walker sees PROT_NONE as present to Linux, not accessible, frame restored");
		ok(strstr(x.why, "PROT_NONE") != NULL,
		   "pae.md §2.3: translate says why: PROT_NONE (%s)", x.why);
	}
	is_u64(lf(e, PGT_FL_INVLPG), 1,
	       "pae.md §8.2/P12: present -> PROT_NONE flushes (1 invlpg)");
	RUN(do_protect(e, 0x10002000, 4 * K, "rw"));
	is_u64(ent(e, 1, 0x10002000, L_PT), f | 0x067,
	       "mm-ops.md §4.3: back to rw: frame restored, dirty exclusive anon page made writable without a fault (0x067)");
	is_u64(lf(e, PGT_FL_INVLPG) + lf(e, PGT_FL_FLUSH_ALL), 0,
	       "pae.md §8.2: PROT_NONE -> present does not flush");
	pgt_engine_free(e);

	/* fork values */
	e = eng(NULL);
	RUN(do_alloc(e, 0x10000000, 64 * K, "rw"));
	RUN(do_touch(e, 0x10000000, 64 * K, true));
	f = pfn_of(ent(e, 1, 0x10000000, L_PT));
	memset(e->m.trans, 0, sizeof(e->m.trans));
	RUN(do_fork(e, 2));
	is_u64(ent(e, 1, 0x10000000, L_PT), f | 0x065,
	       "mm-ops.md §6.2: fork write-protects the parent PTE: pfn|0x065");
	is_u64(ent(e, 2, 0x10000000, L_PT), f | 0x045,
	       "mm-ops.md §6.2: the child PTE is write-protected and old: pfn|0x045");
	is_u64(ent(e, 2, 0x10000000, L_PD) & ~PFN_MASK, 0x067,
	       "pae.md §2.3/P7: the child's new PDE = table|0x067");
	is_u64(e->m.trans[PGT_PS_RW][PGT_PS_RO], 16,
	       "mm-ops.md §6.2: 16 parent PTEs rw -> ro at fork");
	is_u64(e->m.trans[PGT_PS_NONE][PGT_PS_RO], 16,
	       "mm-ops.md §6.2: 16 child PTEs none -> ro at fork");
	RUN(do_touch(e, 0x10000000, 4 * K, true));
	v = ent(e, 1, 0x10000000, L_PT);
	ok((v & ~PFN_MASK) == 0x067 && pfn_of(v) != f,
	   "mm-ops.md §3.4: parent write after fork copies the page (new pfn|0x067)");
	is_u64(ent(e, 2, 0x10000000, L_PT), f | 0x045,
	       "mm-ops.md §3.4: the child still maps the old page read-only");
	RUN(do_mm(e, 2));
	RUN(do_touch(e, 0x10000000, 4 * K, true));
	is_u64(ent(e, 2, 0x10000000, L_PT), f | 0x067,
	       "mm-ops.md §3.4: child write to the page it alone maps now reuses it (same pfn|0x067)");
	is_u64(lf(e, PGT_FL_INVLPG) + lf(e, PGT_FL_FLUSH_ALL), 0,
	       "pae.md §8.2: reuse (ptep_set_access_flags) does not flush");
	pgt_engine_free(e);

	/* user-nx=on: protections keep NX (pae.md §2.3 protection map) */
	e = eng("user-nx=on");
	RUN(do_alloc(e, 0x10000000, 64 * K, "rw"));
	RUN(do_touch(e, 0x10000000, 4 * K, true));
	RUN(do_touch(e, 0x10001000, 4 * K, false));
	v = ent(e, 1, 0x10000000, L_PT);
	is_u64(v & ~PFN_MASK, NX | 0x067,
	       "pae.md §2.3 (user-nx=on): write fault = pfn|0x8000000000000067");
	v = ent(e, 1, 0x10001000, L_PT);
	is_u64(v & ~PFN_MASK, NX | 0x225,
	       "pae.md §2.3 (user-nx=on): zero page = pfn|0x8000000000000225");
	RUN(do_alloc(e, 0x20000000, 64 * K, "rwx"));
	RUN(do_touch(e, 0x20000000, 4 * K, true));
	is_u64(ent(e, 1, 0x20000000, L_PT) & ~PFN_MASK, 0x067,
	       "pae.md §2.3 (user-nx=on): an exec mapping (COPY_EXEC) has no NX");
	{
		struct pgt_xlate x = xl(e, 1, 0x10000000);

		ok(x.mapped && !(x.flags & PGT_HF_X),
		   "pae.md §1.3 (user-nx=on): NX makes the page non-executable for the walker");
	}
	pgt_engine_free(e);

	e = eng("user-nx=on nx=off");
	RUN(do_alloc(e, 0x10000000, 64 * K, "rw"));
	RUN(do_touch(e, 0x10000000, 4 * K, true));
	is_u64(ent(e, 1, 0x10000000, L_PT) & ~PFN_MASK, 0x067,
	       "pae.md §1.3 (nx=off): no XD bit without EFER.NXE, even with user-nx=on");
	pgt_engine_free(e);
}

/* ======================================================================
 * thp.md: huge PMD values, deposits, fork, split, flush costs
 * ==================================================================== */

static void t_thp(void)
{
	struct pgt_engine *e;
	uint64_t v, f, hz, z4, pt;
	long dep;
	struct pgt_xlate x;

	e = eng("thp=madvise thp-zero-page=on");
	RUN(do_alloc(e, 0x60000000, 4 * M, "rw"));
	RUN(do_advise(e, 0x60200000, 2 * M, PGT_ADV_HUGEPAGE));
	RUN(do_touch(e, 0x60000000, 4 * K, true));
	is_u64(ent(e, 1, 0x60000000, L_PT) & ~PFN_MASK, 0x067,
	       "thp.md §1.2 step 6: thp=madvise without MADV_HUGEPAGE gives a 4 KiB PTE");
	RUN(do_touch(e, 0x60001000, 4 * K, false));
	z4 = pfn_of(ent(e, 1, 0x60001000, L_PT));
	RUN(do_touch(e, 0x60200000, 4 * K, true));
	x = xl(e, 1, 0x60234000);
	v = ent(e, 1, 0x60200000, L_PD);
	is_u64(v & 0xfff, 0x0e7,
	       "thp.md §2.5: write fault in a MADV_HUGEPAGE 2 MiB window: PDE = frame|0x0e7 (P RW US A D PS)");
	ok(x.nsteps == 2 && x.mapped && x.step[1].ei.size == 2 * M &&
	   x.pa == (v & HPFN_MASK) + 0x34000,
	   "thp.md §2.5: the walk ends at the PD with a 2 MiB leaf");
	is_u64(v & 0x1fe000, 0, "thp.md §2.5: bits 13-20 of the 2 MiB PDE are zero, frame 2 MiB aligned");
	ok(!(v & NX), "thp.md §2.5: no XD in a user huge PMD on 6.1 i386");
	is_u64(pgt_engine_mm(e, 1)->nr_deposit, 1,
	       "thp.md §2.4/T3: one deposited page table per huge PMD");
	is_u64(lf(e, PGT_FL_INVLPG) + lf(e, PGT_FL_FLUSH_ALL), 0,
	       "thp.md §6.1: a fault creating a huge PMD flushes nothing");

	/* huge zero page */
	RUN(do_alloc(e, 0x60800000, 4 * M, "rw"));
	RUN(do_advise(e, 0x60800000, 4 * M, PGT_ADV_HUGEPAGE));
	RUN(do_touch(e, 0x60800000, 4 * K, false));
	v = ent(e, 1, 0x60800000, L_PD);
	hz = v & HPFN_MASK;
	is_u64(v & ~HPFN_MASK, 0x0a5,
	       "thp.md §2.2/§2.5: read fault with thp-zero-page=on: huge zero PDE = frame|0x0a5 (no RW, no D)");
	is_u64(pgt_engine_mm(e, 1)->nr_deposit, 2,
	       "thp.md §2.2: the huge-zero PMD gets a deposited table too");
	RUN(do_touch(e, 0x60a00000, 4 * K, false));
	is_u64(ent(e, 1, 0x60a00000, L_PD) & HPFN_MASK, hz,
	       "thp.md §2.2: the huge zero page is one global page");
	/* write to a huge-zero PMD: zero split + new page */
	RUN(do_touch(e, 0x60803000, 4 * K, true));
	v = ent(e, 1, 0x60803000, L_PD);
	is_u64(v & ~PFN_MASK, 0x067,
	       "thp.md §4.4: after a write the huge-zero PDE is replaced by table|0x067");
	ok(ent(e, 1, 0x60800000, L_PT) == (z4 | 0x225) &&
	   ent(e, 1, 0x609ff000, L_PT) == (z4 | 0x225),
	   "thp.md §4.4: the other PTEs map the 4 KiB zero page with 0x225");
	v = ent(e, 1, 0x60803000, L_PT);
	ok((v & ~PFN_MASK) == 0x067 && pfn_of(v) != z4,
	   "thp.md §4.4: the written PTE is a new page with 0x067");
	is_u64(lf(e, PGT_FL_FLUSH_ALL), 1,
	       "thp.md §6.1: write to huge-zero PMD: 1 full flush (pmdp_huge_clear_flush)");
	is_u64(lf(e, PGT_FL_INVLPG), 1,
	       "thp.md §6.1: write to huge-zero PMD: 1 invlpg (ptep_clear_flush of the zero PTE)");
	is_u64(pgt_engine_mm(e, 1)->nr_deposit, 2,
	       "thp.md §4.4/T5: the zero split withdrew one deposit (2 huge PMDs left: 2 deposits)");
	pgt_engine_free(e);

	/* use_zero_page = 0: a read fault makes a real THP */
	e = eng("thp=madvise thp-zero-page=off");
	RUN(do_alloc(e, 0x60400000, 2 * M, "rw"));
	RUN(do_advise(e, 0x60400000, 2 * M, PGT_ADV_HUGEPAGE));
	RUN(do_touch(e, 0x60400000, 4 * K, false));
	is_u64(ent(e, 1, 0x60400000, L_PD) & 0xfff, 0x0e7,
	       "thp.md §2.1: read fault with use_zero_page = 0 maps a new THP writable and dirty (0x0e7)");
	pgt_engine_free(e);

	/* fork and the 511 + 1 split */
	e = eng("thp=madvise thp-zero-page=off");
	RUN(do_alloc(e, 0x60000000, 64 * K, "rw"));
	RUN(do_alloc(e, 0x60400000, 2 * M, "rw"));
	RUN(do_advise(e, 0x60400000, 2 * M, PGT_ADV_HUGEPAGE));
	RUN(do_touch(e, 0x60400000, 4 * K, true));
	f = ent(e, 1, 0x60400000, L_PD) & HPFN_MASK;
	RUN(do_fork(e, 2));
	is_u64(ent(e, 1, 0x60400000, L_PD), f | 0x0e5,
	       "thp.md §3/§2.5: parent huge PMD after fork = frame|0x0e5 (RW cleared)");
	is_u64(ent(e, 2, 0x60400000, L_PD), f | 0x0c5,
	       "thp.md §3/§2.5: child huge PMD after fork = same frame|0x0c5 (RW and A cleared)");
	ok(pgt_engine_mm(e, 1)->nr_deposit == 1 &&
	   pgt_engine_mm(e, 2)->nr_deposit == 1,
	   "thp.md §3/T3: parent and child each own one deposited table");
	is_u64(lf(e, PGT_FL_FLUSH_ALL), 1,
	       "thp.md §6.1: fork flushes the parent once (flush_tlb_mm)");
	is_u64(lf(e, PGT_FL_INVLPG), 0, "thp.md §6.1: fork issues no invlpg");
	dep = pgt_engine_mm(e, 1)->nr_tables[L_PT];
	RUN(do_touch(e, 0x60405000, 4 * K, true));
	v = ent(e, 1, 0x60405000, L_PD);
	is_u64(v & ~PFN_MASK, 0x067,
	       "thp.md §4.2 step 6: after the COW split the PDE = table|0x067");
	pt = v & PFN_MASK;
	ok(ent(e, 1, 0x60400000, L_PT) == (f | 0x025) &&
	   ent(e, 1, 0x60404000, L_PT) == ((f + 0x4000) | 0x025) &&
	   ent(e, 1, 0x605ff000, L_PT) == ((f + 0x1ff000) | 0x025),
	   "thp.md §4.3: the 511 other PTEs map subpages in order with 0x025 (RW=0, D=0 in 6.1)");
	v = ent(e, 1, 0x60405000, L_PT);
	ok((v & ~PFN_MASK) == 0x067 &&
	   (pfn_of(v) < f || pfn_of(v) >= f + 2 * M),
	   "thp.md §4.3: the written PTE is a new 4 KiB copy with 0x067");
	is_u64(lf(e, PGT_FL_FLUSH_ALL), 1,
	       "thp.md §6.1: write after fork: 1 full flush (split, pmdp_invalidate)");
	is_u64(lf(e, PGT_FL_INVLPG), 1,
	       "thp.md §6.1: write after fork: 1 invlpg (ptep_clear_flush of the copied page)");
	is_u64(pgt_engine_mm(e, 1)->nr_deposit, 0,
	       "thp.md §4.2 step 4/T5: the split consumed the parent's deposit");
	is_u64(pgt_engine_mm(e, 1)->nr_tables[L_PT], dep,
	       "thp.md T5: no new page table was allocated by the split");
	ok(pt != 0, "thp.md §4.2: the linked table is the withdrawn deposit");
	is_u64(ent(e, 2, 0x60400000, L_PD), f | 0x0c5,
	       "thp.md §4.2: the child keeps its huge PMD (0x0c5)");
	is_u64(pgt_engine_mm(e, 2)->nr_deposit, 1,
	       "thp.md §4.2: the child keeps its deposit");
	pgt_engine_free(e);

	/* partial mprotect split (thp.md §4.3 evidence, §5.1, §6.1) */
	e = eng("thp=madvise thp-zero-page=off");
	RUN(do_alloc(e, 0x0c200000, 2 * M, "rw"));
	RUN(do_advise(e, 0x0c200000, 2 * M, PGT_ADV_HUGEPAGE));
	RUN(do_touch(e, 0x0c200000, 4 * K, true));
	f = ent(e, 1, 0x0c200000, L_PD) & HPFN_MASK;
	RUN(do_protect(e, 0x0c300000, 4 * K, "r"));
	ok(ent(e, 1, 0x0c200000, L_PT) == (f | 0x027) &&
	   ent(e, 1, 0x0c3ff000, L_PT) == ((f + 0x1ff000) | 0x027),
	   "thp.md §4.3: split of an exclusive writable THP: PTEs 0 and 511 = subpage|0x027 (RW, D=0)");
	is_u64(ent(e, 1, 0x0c300000, L_PT), (f + 0x100000) | 0x025,
	       "thp.md §4.3: the protected PTE 256 = subpage|0x025");
	is_u64(ent(e, 1, 0x0c300000, L_PD) & ~PFN_MASK, 0x067,
	       "thp.md §4.2 step 6: the split links the table with 0x067");
	is_u64(lf(e, PGT_FL_FLUSH_ALL), 1,
	       "thp.md §6.1: partial mprotect: 1 full flush for the split");
	is_u64(lf(e, PGT_FL_INVLPG), 1,
	       "thp.md §5.1 evidence: partial mprotect: then 1 invlpg for the changed PTE");
	pgt_engine_free(e);

	/* whole-window mprotect, back, reuse; PROT_NONE; munmap */
	e = eng("thp=madvise thp-zero-page=off");
	RUN(do_alloc(e, 0x60000000, 64 * K, "rw"));
	RUN(do_alloc(e, 0x60400000, 2 * M, "rw"));
	RUN(do_advise(e, 0x60400000, 2 * M, PGT_ADV_HUGEPAGE));
	RUN(do_touch(e, 0x60400000, 4 * K, true));
	f = ent(e, 1, 0x60400000, L_PD) & HPFN_MASK;
	RUN(do_protect(e, 0x60400000, 2 * M, "r"));
	is_u64(ent(e, 1, 0x60400000, L_PD), f | 0x0e5,
	       "thp.md §5.1: mprotect(PROT_READ) of the whole window: 0x0e7 -> 0x0e5 in place");
	is_u64(lf(e, PGT_FL_INVLPG), 1,
	       "thp.md §5.1/§6.1: one gather flush with a 2 MiB stride = 1 invlpg");
	is_u64(lf(e, PGT_FL_FLUSH_ALL), 0, "thp.md §6.1: no full flush for a whole-window mprotect");
	RUN(do_protect(e, 0x60400000, 2 * M, "rw"));
	is_u64(ent(e, 1, 0x60400000, L_PD), f | 0x0e5,
	       "thp.md §5.1/T10: mprotect back to rw leaves the huge PMD read-only in 6.1");
	is_u64(lf(e, PGT_FL_INVLPG) + lf(e, PGT_FL_FLUSH_ALL), 0,
	       "thp.md §5.1 evidence: mprotect back to rw does not flush");
	RUN(do_touch(e, 0x60400000, 4 * K, true));
	is_u64(ent(e, 1, 0x60400000, L_PD), f | 0x0e7,
	       "thp.md §4.1 step 4: write to an exclusive read-only THP reuses it: 0x0e7, no split");
	is_u64(lf(e, PGT_FL_INVLPG) + lf(e, PGT_FL_FLUSH_ALL), 0,
	       "thp.md §6.1: reuse does not flush");
	RUN(do_protect(e, 0x60400000, 2 * M, "none"));
	v = ent(e, 1, 0x60400000, L_PD);
	is_u64(v & 0xfff, 0x1e0,
	       "thp.md §2.5: PROT_NONE huge PMD low bits = 0x1e0 (PROTNONE PS D A, P=0)");
	is_u64(v & HPFN_MASK, ~f & HPFN_MASK,
	       "thp.md §2.5: PROT_NONE huge PMD stores the frame inverted in bits 21-51");
	RUN(do_unmap(e, 0x60400000, 2 * M));
	is_u64(ent(e, 1, 0x60400000, L_PD), 0,
	       "thp.md §5.2: munmap of the whole window clears the PDE");
	is_u64(pgt_engine_mm(e, 1)->nr_deposit, 0,
	       "thp.md §5.2/T12: the deposit is freed with the huge PMD");
	is_u64(lf(e, PGT_FL_INVLPG), 1,
	       "thp.md §6.1: munmap of one whole window (PMD table kept): 1 invlpg");
	is_u64(lf(e, PGT_FL_FLUSH_ALL), 0,
	       "thp.md §6.1: ... and no full flush");
	pgt_engine_free(e);
}

/* ======================================================================
 * mm-ops.md §5.4: free_pgtables floor/ceiling; pae.md §3 PDPT changes
 * ==================================================================== */

static void t_free_pgtables(void)
{
	struct pgt_engine *e;
	uint64_t pde, pd1;
	long npt, npd;

	e = eng(NULL);
	RUN(do_alloc(e, 0x10000000, 64 * K, "rw"));
	RUN(do_touch(e, 0x10000000, 64 * K, true));
	RUN(do_alloc(e, 0x10100000, 64 * K, "rw"));
	RUN(do_touch(e, 0x10100000, 64 * K, true));
	pde = ent(e, 1, 0x10000000, L_PD);
	npt = pgt_engine_mm(e, 1)->nr_tables[L_PT];
	RUN(do_unmap(e, 0x10100000, 64 * K));
	ok(ent(e, 1, 0x10000000, L_PD) == pde &&
	   pgt_engine_mm(e, 1)->nr_tables[L_PT] == npt,
	   "mm-ops.md §5.4: a PTE table whose 2 MiB span still covers a VMA stays");
	is_u64(ent(e, 1, 0x10100000, L_PT), 0,
	       "mm-ops.md §5.3: the unmapped PTEs are cleared");
	is_u64(lf(e, PGT_FL_INVLPG), 16,
	       "pae.md §8.2: munmap of 16 pages without table free: 16 invlpg");
	is_u64(lf(e, PGT_FL_FLUSH_ALL), 0, "pae.md §8.2: ... and no full flush");

	/* a table whose span is empty is freed; the range is widened */
	RUN(do_alloc(e, 0x10300000, 64 * K, "rw"));
	RUN(do_touch(e, 0x10300000, 64 * K, true));
	npt = pgt_engine_mm(e, 1)->nr_tables[L_PT];
	RUN(do_unmap(e, 0x10300000, 64 * K));
	is_u64(ent(e, 1, 0x10300000, L_PD), 0,
	       "mm-ops.md §5.4: a PTE table with no VMA left in its 2 MiB span is freed (PDE cleared)");
	is_u64(pgt_engine_mm(e, 1)->nr_tables[L_PT], npt - 1,
	       "mm-ops.md §5.4: ... and its page released");
	is_u64(lf(e, PGT_FL_FLUSH_ALL), 1,
	       "review-6.1.md 9: a freed PTE table widens the range to the table start (272 pages > 33): 1 full flush");
	is_u64(lf(e, PGT_FL_INVLPG), 0, "review-6.1.md 9: ... and no invlpg");
	ok(pdpte_at(e, root(e, 1), 0) != 0,
	   "mm-ops.md §5.4: the PMD stays while its 1 GiB slot holds a VMA");

	/* a PMD whose 1 GiB slot is empty is freed and its PDPTE cleared */
	pd1 = pdpte_at(e, root(e, 1), 1);
	npd = pgt_engine_mm(e, 1)->nr_tables[L_PD];
	RUN(do_alloc(e, 0x50000000, 64 * K, "rw"));
	RUN(do_touch(e, 0x50000000, 64 * K, true));
	ok(pdpte_at(e, root(e, 1), 1) == pd1,
	   "pae.md §4.2: the fault uses the preallocated PMD of slot 1");
	RUN(do_unmap(e, 0x50000000, 64 * K));
	is_u64(pdpte_at(e, root(e, 1), 1), 0,
	       "pae.md §3/mm-ops.md §5.4 (pae-2.6.25): the PMD of an empty 1 GiB slot is freed, PDPT[1] cleared");
	is_u64(pgt_engine_mm(e, 1)->nr_tables[L_PD], npd - 1,
	       "pae.md §3 (pae-2.6.25): the PMD page is released");
	/*
	 * pae.md §3/§8.2 let pud_clear rewrite CR3 (the v3.x code it cites);
	 * the 4.19..6.x pgtable-3level.h stores 0 only ("all places where
	 * pud_clear() is called either have flush_tlb_mm() followed or don't
	 * need TLB flush"), so the one full flush comes from need_flush_all.
	 */
	is_u64(lf(e, PGT_FL_FLUSH_ALL), 1,
	       "pae.md §6 pmd_free_tlb: PMD freed: need_flush_all = 1 full flush (6.1 pud_clear itself does not rewrite CR3)");
	is_u64(lf(e, PGT_FL_INVLPG), 0, "pae.md §6 pmd_free_tlb: need_flush_all, no invlpg");
	RUN(do_alloc(e, 0x50000000, 64 * K, "rw"));
	RUN(do_touch(e, 0x50000000, 4 * K, true));
	ok(pdpte_at(e, root(e, 1), 1) &&
	   (pdpte_at(e, root(e, 1), 1) & 0xfff) == 0x001,
	   "pae.md §3: the next fault re-populates PDPT[1] (PMD|P)");
	is_u64(lf(e, PGT_FL_FLUSH_ALL), 1,
	       "pae.md §3/review-6.1.md 1: pud_populate in a live mm pays flush_tlb_mm (1 flush-all)");
	pgt_engine_free(e);

	/* pae-2.6.24: PDPT entries never change */
	e = eng("profile=pae-2.6.24");
	pd1 = pdpte_at(e, root(e, 1), 1);
	RUN(do_alloc(e, 0x50000000, 64 * K, "rw"));
	RUN(do_touch(e, 0x50000000, 64 * K, true));
	RUN(do_unmap(e, 0x50000000, 64 * K));
	ok(pd1 && pdpte_at(e, root(e, 1), 1) == pd1,
	   "pae.md §3 (pae-2.6.24): PDPT[1] is NOT cleared by munmap (pud_clear a no-op)");
	is_u64(pgt_engine_mm(e, 1)->nr_tables[L_PD], 3,
	       "pae.md §4.1 (pae-2.6.24): the PMD is freed only in pgd_free");
	is_u64(ent(e, 1, 0x50000000, L_PD), 0,
	       "mm-ops.md §5.4 (pae-2.6.24): the PTE table itself is still freed");
	pgt_engine_free(e);

	/* pae-6.16 frees user PMDs like 2.6.25 */
	e = eng("profile=pae-6.16");
	RUN(do_alloc(e, 0x50000000, 64 * K, "rw"));
	RUN(do_touch(e, 0x50000000, 64 * K, true));
	RUN(do_unmap(e, 0x50000000, 64 * K));
	is_u64(pdpte_at(e, root(e, 1), 1), 0,
	       "pae.md §3 (pae-6.16): the empty slot's PMD is freed and PDPT[1] cleared");
	ok(pdpte_at(e, root(e, 1), 3) != 0,
	   "pae.md §3: the kernel PDPT entry never changes");
	pgt_engine_free(e);
}

/* ======================================================================
 * pae.md §8: flush counts; review-6.1.md 2, 3
 * ==================================================================== */

/* a region of n pages, written, then mprotect(PROT_READ) */
static void protect_n(unsigned n, uint64_t want_invlpg, uint64_t want_all)
{
	struct pgt_engine *e = eng(NULL);

	RUN(do_alloc(e, 0x10000000, 64 * 4 * K, "rw"));
	RUN(do_touch(e, 0x10000000, 64 * 4 * K, true));
	RUN(do_protect(e, 0x10000000, n * 4 * K, "r"));
	is_u64(lf(e, PGT_FL_INVLPG), want_invlpg,
	       "pae.md §8.1: mprotect of %u written pages: %llu invlpg", n,
	       (unsigned long long)want_invlpg);
	is_u64(lf(e, PGT_FL_FLUSH_ALL), want_all,
	       "pae.md §8.1: mprotect of %u written pages: %llu flush-all (ceiling 33)",
	       n, (unsigned long long)want_all);
	pgt_engine_free(e);
}

/* two written pages first and last of a span; mprotect the whole region */
static void protect_span(unsigned last, uint64_t want_invlpg,
			 uint64_t want_all)
{
	struct pgt_engine *e = eng(NULL);

	RUN(do_alloc(e, 0x10000000, 64 * 4 * K, "rw"));
	RUN(do_touch(e, 0x10000000, 4 * K, true));
	RUN(do_touch(e, 0x10000000 + last * 4 * K, 4 * K, true));
	RUN(do_protect(e, 0x10000000, 64 * 4 * K, "r"));
	is_u64(lf(e, PGT_FL_INVLPG), want_invlpg,
	       "review-6.1.md 2: PTEs 0 and %u changed (span %u pages incl. holes): %llu invlpg",
	       last, last + 1, (unsigned long long)want_invlpg);
	is_u64(lf(e, PGT_FL_FLUSH_ALL), want_all,
	       "review-6.1.md 2: PTEs 0 and %u changed: %llu flush-all", last,
	       (unsigned long long)want_all);
	pgt_engine_free(e);
}

static void t_flushes(void)
{
	struct pgt_engine *e;
	uint64_t v;

	protect_n(16, 16, 0);
	protect_n(33, 33, 0);
	protect_n(34, 0, 1);
	protect_span(32, 33, 0);
	protect_span(33, 0, 1);

	/* NX-only change (review-6.1.md 3) */
	e = eng("user-nx=on");
	RUN(do_alloc(e, 0x10000000, 64 * K, "rw"));
	RUN(do_touch(e, 0x10000000, 64 * K, true));
	RUN(do_protect(e, 0x10000000, 64 * K, "r"));
	is_u64(ent(e, 1, 0x10000000, L_PT) & ~PFN_MASK, NX | 0x065,
	       "pae.md §2.3 (user-nx=on): mprotect(PROT_READ) = pfn|0x8000000000000065");
	RUN(do_protect(e, 0x10000000, 64 * K, "rx"));
	v = ent(e, 1, 0x10000000, L_PT);
	is_u64(v & ~PFN_MASK, 0x065,
	       "pae.md §2.3 (user-nx=on): mprotect(PROT_READ|PROT_EXEC) clears NX only");
	is_u64(lf(e, PGT_FL_INVLPG) + lf(e, PGT_FL_FLUSH_ALL), 0,
	       "review-6.1.md 3: an NX-only change does not flush (flags compared as 32-bit)");
	pgt_engine_free(e);

	/* fork, COW, exit */
	e = eng(NULL);
	RUN(do_alloc(e, 0x10000000, 64 * K, "rw"));
	RUN(do_touch(e, 0x10000000, 64 * K, true));
	RUN(do_fork(e, 2));
	is_u64(lf(e, PGT_FL_FLUSH_ALL), 1,
	       "pae.md §8.2/mm-ops.md §6.1: fork = 1 flush-all in the parent (flush_tlb_mm)");
	is_u64(lf(e, PGT_FL_INVLPG), 0, "pae.md §8.2: fork issues no invlpg");
	RUN(do_touch(e, 0x10004000, 4 * K, true));
	is_u64(lf(e, PGT_FL_INVLPG), 1,
	       "pae.md §8.2: COW write after fork = 1 invlpg (flush_tlb_page)");
	is_u64(lf(e, PGT_FL_FLUSH_ALL), 0, "pae.md §8.2: COW write: no full flush");
	RUN(do_touch(e, 0x10004000, 4 * K, true));
	is_u64(lf(e, PGT_FL_INVLPG) + lf(e, PGT_FL_FLUSH_ALL), 0,
	       "pae.md §1.4: a write the TLB allows is no fault and no flush");
	RUN(do_exit(e));
	ok(lf(e, PGT_FL_FLUSH_ALL) == 1 && lf(e, PGT_FL_INVLPG) == 0,
	   "mm-ops.md §7/pae.md §8.2: exit = one fullmm gather flush: 1 flush-all, no invlpg");
	ok(pgt_engine_mm(e, 1)->dead, "mm-ops.md §7: exit_mmap tears the mm down");
	is_u64(ev.table_free[L_PDPT], 1, "mm-ops.md §7/pae.md §4.2: pgd_free releases the pgd");
	pgt_engine_free(e);

	/* two CPUs: one IPI per flush (pae.md §8.1 step 3) */
	e = eng("cpus=2");
	RUN(do_alloc(e, 0x10000000, 64 * K, "rw"));
	RUN(do_touch(e, 0x10000000, 64 * K, true));
	RUN(do_protect(e, 0x10000000, 16 * K, "r"));
	is_u64(lf(e, PGT_FL_IPI), 0,
	       "pae.md §8.1 step 3: cpus=2 but the mm only on CPU 0: no ipi");
	RUN(do_cpu_attach(e, 1));
	RUN(do_protect(e, 0x10004000, 16 * K, "r"));
	ok(lf(e, PGT_FL_INVLPG) == 4 && lf(e, PGT_FL_IPI) == 1,
	   "pae.md §8.1 step 3 (cpu attach 1): mprotect of 4 pages = 4 invlpg + 1 ipi");
	RUN(do_fork(e, 2));
	ok(lf(e, PGT_FL_FLUSH_ALL) == 1 && lf(e, PGT_FL_IPI) == 1,
	   "pae.md §8.1 step 3 (cpu attach 1): fork = 1 flush-all + 1 ipi");
	RUN(do_touch(e, 0x10008000, 4 * K, true));
	ok(lf(e, PGT_FL_INVLPG) == 1 && lf(e, PGT_FL_IPI) == 1,
	   "pae.md §8.1 step 3 (cpu attach 1): COW write = 1 invlpg + 1 ipi");
	RUN(do_unmap(e, 0x1000c000, 16 * K));
	ok(lf(e, PGT_FL_INVLPG) == 4 && lf(e, PGT_FL_IPI) == 1,
	   "pae.md §8.1 step 3 (cpu attach 1): munmap of 4 pages = 4 invlpg + 1 ipi");
	RUN(do_protect(e, 0x10000000, 64 * K, "r"));
	is_u64(lf(e, PGT_FL_IPI), 1,
	       "pae.md §8.1 step 3 (cpu attach 1): a flush request of 1 changed PTE still costs 1 ipi");
	pgt_engine_free(e);
}

/* ======================================================================
 * pae.md §8.1 steps 3 and 5, review-6.1.md 9, 10 and "Checked on a real
 * kernel": an idle CPU in lazy-TLB mode (arch/x86/mm/tlb.c on 6.1:
 * native_flush_tlb_multi skips CPUs with cpu_tlbstate_shared.is_lazy
 * unless info->freed_tables; flush_tlb_func on a lazy CPU switches it to
 * init_mm; switch_mm_irqs_off back to the same mm reloads CR3 only when
 * the mm's tlb_gen moved on meanwhile)
 * ==================================================================== */

static void t_lazy_cpu(void)
{
	struct pgt_engine *e;
	struct pgt_mm *mm;

	e = eng("cpus=2 thp=never");
	mm = pgt_engine_mm(e, 1);
	RUN(do_alloc(e, 0x10000000, 4 * M, "rw"));
	RUN(do_touch(e, 0x10000000, 64 * K, true));
	RUN(do_touch(e, 0x10200000, 64 * K, true));
	RUN(do_cpu_attach(e, 1));
	RUN(do_cpu(e, PGT_CPU_IDLE, 1));
	ok(mm->cpumask == 3 && e->m.cpu_mm[1] == mm && e->m.self == 0,
	   "pae.md §8.1 (cpu idle 1): the lazy CPU stays in mm_cpumask with the mm loaded");
	{
		struct pgt_err err = { 0 };

		mm->cpumask = 1;	/* a model that forgot the lazy CPU */
		ok(pgt_engine_check(e, &err) == PGT_ERR_INVARIANT &&
		   strstr(err.msg, "invariant P10 violated"),
		   "invariants.md P10: --check catches a lazy CPU missing from mm_cpumask");
		mm->cpumask = 3;
	}
	RUN(do_protect(e, 0x10000000, 64 * K, "r"));
	ok(lf(e, PGT_FL_INVLPG) == 16 && lf(e, PGT_FL_IPI) == 0,
	   "pae.md §8.1 step 3 / review-6.1.md 10 (lazy CPU 1): mprotect of 16 pages = 16 invlpg, no ipi");
	RUN(do_touch(e, 0x10200000, 4 * K, false));
	RUN(do_fork(e, 2));
	ok(lf(e, PGT_FL_FLUSH_ALL) == 1 && lf(e, PGT_FL_IPI) == 1,
	   "pae.md §8.1 (lazy CPU 1): fork's flush_tlb_mm passes freed_tables: 1 flush-all + 1 ipi");
	ok(mm->cpumask == 1 && e->m.cpu_mm[1] == NULL,
	   "pae.md §8.1 step 5: the lazy CPU receiving the IPI switches to init_mm, leaving mm_cpumask");
	RUN(do_cpu_attach(e, 1));
	RUN(do_cpu(e, PGT_CPU_IDLE, 1));
	RUN(do_touch(e, 0x10201000, 4 * K, true));
	ok(lf(e, PGT_FL_INVLPG) == 1 && lf(e, PGT_FL_IPI) == 0,
	   "pae.md §8.2 (lazy CPU 1): COW flush_tlb_page (freed_tables false) = 1 invlpg, no ipi");
	RUN(do_cpu_attach(e, 1));
	ok(e->m.cpu_mm[1] == mm && !(e->m.cpu_idle & 2) && mm->cpumask == 3,
	   "cpu attach 1 ends the idle task on the same mm");
	RUN(do_protect(e, 0x10000000, 64 * K, "none"));
	ok(lf(e, PGT_FL_INVLPG) == 16 && lf(e, PGT_FL_IPI) == 1,
	   "pae.md §8.1 step 3 (CPU 1 running again): 16 invlpg + 1 ipi");
	RUN(do_cpu(e, PGT_CPU_IDLE, 1));
	RUN(do_unmap(e, 0x10000000, 2 * M));
	ok(lf(e, PGT_FL_INVLPG) == 16 && lf(e, PGT_FL_IPI) == 1 &&
	   lf(e, PGT_FL_FLUSH_ALL) == 0,
	   "review-6.1.md 9 (lazy CPU 1): munmap freeing a PTE table = 16 invlpg + 1 ipi (freed_tables)");
	ok(mm->cpumask == 1 && e->m.cpu_mm[1] == NULL && e->m.self == 0,
	   "pae.md §8.1 step 5: after that IPI CPU 1 holds no mm");
	RUN(do_cpu_attach(e, 1));
	RUN(do_protect(e, 0x10200000, 16 * K, "none"));
	ok(lf(e, PGT_FL_INVLPG) == 4 && lf(e, PGT_FL_IPI) == 1,
	   "pae.md §8.1 step 3: CPU 1 attached again is interrupted again: 4 invlpg + 1 ipi");
	RUN(do_cpu(e, PGT_CPU_IDLE, 1));
	RUN(do_exit(e));
	ok(lf(e, PGT_FL_FLUSH_ALL) == 1 && lf(e, PGT_FL_IPI) == 1,
	   "mm-ops.md §7 (lazy CPU 1): exit's fullmm gather frees tables: 1 flush-all + 1 ipi");
	pgt_engine_free(e);

	/* the lazy CPU's tlb_gen: behind after a skipped flush, not before */
	e = eng("cpus=2 thp=never");
	RUN(do_alloc(e, 0x10000000, 2 * M, "rw"));
	RUN(do_touch(e, 0x10000000, 64 * K, true));
	RUN(do_cpu_attach(e, 1));
	RUN(do_cpu(e, PGT_CPU_IDLE, 1));
	RUN(do_protect(e, 0x10000000, 64 * K, "r"));
	ok(do_cpu(e, PGT_CPU_IDLE, 1) != PGT_OK, "cpu idle of an idle CPU: input error");
	ok(do_cpu(e, PGT_CPU_IDLE, 0) != PGT_OK,
	   "cpu idle of the last CPU running the mm: input error");
	pgt_engine_free(e);
}

/* ======================================================================
 * exec (fs/exec.c exec_mmap on 6.1) and MADV_FREE (mm/madvise.c
 * madvise_free_pte_range, mm/huge_memory.c madvise_free_huge_pmd), with
 * the flush rules of pae.md §8.1
 * ==================================================================== */

static void t_exec_free(void)
{
	struct pgt_engine *e;
	struct pgt_op op = { .kind = PGT_OP_EXEC };
	struct pgt_mm *mm;
	uint64_t old_root;

	e = eng("thp=never");
	RUN(do_alloc(e, 0x10000000, 1 * M, "rw"));
	RUN(do_touch(e, 0x10000000, 64 * K, true));
	old_root = root(e, 1);
	ev_reset();
	RUN(apply(e, &op));
	mm = pgt_engine_mm(e, 1);
	ok(mm && !mm->dead && mm->nvma == 0 && mm->rss == 0 && root(e, 1) != old_root,
	   "exec_mmap: mm 1 is a new, empty address space with a new pgd");
	ok(lf(e, PGT_FL_FLUSH_ALL) == 1 && lf(e, PGT_FL_INVLPG) == 0 &&
	   lf(e, PGT_FL_IPI) == 0,
	   "pae.md §8.1: exec = the CR3 load of activate_mm only; the old mm's exit_mmap runs with it no longer loaded: no flush");
	ok(ev.table_free[L_PT] == 1 && ev.table_free[L_PDPT] == 1 &&
	   ev.table_alloc[L_PDPT] == 1,
	   "mm-ops.md §7: the old mm's PTE table and pgd are freed, a new pgd allocated");

	RUN(do_alloc(e, 0x20000000, 1 * M, "rw"));
	RUN(do_touch(e, 0x20000000, 16 * K, true));
	RUN(do_advise(e, 0x20000000, 16 * K, PGT_ADV_FREE));
	ok(lf(e, PGT_FL_INVLPG) == 4 && lf(e, PGT_FL_FLUSH_ALL) == 0,
	   "pae.md §8.1 / madvise_free_pte_range: 4 young+dirty PTEs = 4 invlpg");
	is_u64(ent(e, 1, 0x20000000, L_PT) & ~PFN_MASK, 0x007,
	       "madvise_free_pte_range: the PTE is made old and clean (A, D cleared): pfn|0x007");
	RUN(do_advise(e, 0x20000000, 16 * K, PGT_ADV_FREE));
	is_u64(lf(e, PGT_FL_INVLPG) + lf(e, PGT_FL_FLUSH_ALL), 0,
	       "madvise_free_pte_range: old and clean PTEs are left alone: no flush");
	RUN(do_touch(e, 0x20001000, 8 * K, true));
	is_u64(ent(e, 1, 0x20001000, L_PT) & ~PFN_MASK, 0x067,
	       "pae.md §1.4: a write sets A and D again (the page is no longer freeable)");
	RUN(do_advise(e, 0x20000000, 16 * K, PGT_ADV_FREE));
	is_u64(lf(e, PGT_FL_INVLPG), 2,
	       "pae.md §8.2 (span rule): 2 pages written again = 2 invlpg");
	RUN(do_touch(e, 0x20010000, 64 * K, false));
	RUN(do_advise(e, 0x20010000, 64 * K, PGT_ADV_FREE));
	is_u64(lf(e, PGT_FL_INVLPG) + lf(e, PGT_FL_FLUSH_ALL), 0,
	       "madvise_free_pte_range: zero-page PTEs (no normal page) are left alone");
	RUN(do_touch(e, 0x20020000, 256 * K, true));
	RUN(do_advise(e, 0x20020000, 256 * K, PGT_ADV_FREE));
	ok(lf(e, PGT_FL_FLUSH_ALL) == 1 && lf(e, PGT_FL_INVLPG) == 0,
	   "pae.md §8.1: MADV_FREE of 64 pages > ceiling 33 = 1 flush-all");
	RUN(do_alloc_f(e, 0x30000000, 64 * K, "rw", PGT_MAP_SHARED));
	RUN(do_advise(e, 0x30000000, 64 * K, PGT_ADV_FREE));
	ok(ev.last_result == -EINVAL,
	       "madvise_free_single_vma: shared anonymous memory (shmem) is EINVAL");
	RUN(do_advise(e, 0x20000000, 2 * M, PGT_ADV_FREE));
	ok(ev.last_result == -ENOMEM, "madvise: a hole in the range is ENOMEM");
	pgt_engine_free(e);

	/* a second CPU: one IPI; idle (lazy), none */
	e = eng("cpus=2 thp=never");
	RUN(do_alloc(e, 0x10000000, 1 * M, "rw"));
	RUN(do_touch(e, 0x10000000, 64 * K, true));
	RUN(do_cpu_attach(e, 1));
	RUN(do_advise(e, 0x10000000, 16 * K, PGT_ADV_FREE));
	ok(lf(e, PGT_FL_INVLPG) == 4 && lf(e, PGT_FL_IPI) == 1,
	   "pae.md §8.1 step 3: MADV_FREE with CPU 1 attached = 4 invlpg + 1 ipi");
	RUN(do_cpu(e, PGT_CPU_IDLE, 1));
	RUN(do_advise(e, 0x10008000, 16 * K, PGT_ADV_FREE));
	ok(lf(e, PGT_FL_INVLPG) == 4 && lf(e, PGT_FL_IPI) == 0,
	   "pae.md §8.1 step 3: MADV_FREE frees no tables: the lazy CPU 1 is skipped");
	pgt_engine_free(e);

	/* a huge PMD wholly in the range */
	e = eng(NULL);
	RUN(do_alloc(e, 0x60000000, 4 * M, "rw"));
	RUN(do_touch(e, 0x60000000, 2 * M, true));
	ok(ent(e, 1, 0x60000000, L_PD) & 0x80, "set-up: a huge PMD");
	RUN(do_advise(e, 0x60000000, 2 * M, PGT_ADV_FREE));
	ok(lf(e, PGT_FL_FLUSH_ALL) == 1 && lf(e, PGT_FL_INVLPG) == 1,
	   "thp.md §6.1 / madvise_free_huge_pmd: pmdp_invalidate (1 flush-all) + the gather's PMD-stride flush (1 invlpg)");
	ok((ent(e, 1, 0x60000000, L_PD) & 0xe1) == 0x81,
	   "madvise_free_huge_pmd: the huge PMD stays present, old and clean (A, D cleared)");
	pgt_engine_free(e);
}

/* ======================================================================
 * mremap (mm/mremap.c on 6.1: move_page_tables, move_ptes,
 * move_normal_pmd with x86's HAVE_MOVE_PMD), pae.md §8.1 flush rules
 * ==================================================================== */

static int do_remap(struct pgt_engine *e, uint64_t a, uint64_t ol,
		    uint64_t nl, uint64_t na)
{
	struct pgt_op op = { .kind = PGT_OP_REMAP, .addr = a, .len = ol,
			     .newlen = nl, .newaddr = na,
			     .flags = na ? PGT_REMAP_FIXED : 0 };

	return apply(e, &op);
}

static void t_remap(void)
{
	struct pgt_engine *e;
	struct pgt_mm *mm;
	uint64_t pte, pde;

	e = eng("thp=never");
	mm = pgt_engine_mm(e, 1);
	RUN(do_alloc(e, 0x10000000, 1 * M, "rw"));
	RUN(do_touch(e, 0x10000000, 64 * K, true));
	pte = ent(e, 1, 0x10001000, L_PT);
	RUN(do_remap(e, 0x10000000, 64 * K, 128 * K, 0x20000000));
	ok(lf(e, PGT_FL_INVLPG) == 16 && lf(e, PGT_FL_FLUSH_ALL) == 0,
	   "move_ptes: 16 present PTEs moved = flush_tlb_range of the old 64 KiB: 16 invlpg");
	is_u64(ent(e, 1, 0x20001000, L_PT), pte, "move_ptes: the PTE is set unchanged at the new address");
	is_u64(ent(e, 1, 0x10001000, L_PT), 0, "move_ptes: the old PTE is cleared");
	ok(mm->rss == 16 && mm->nvma == 2 && mm->vma[1].start == 0x20000000 &&
	   mm->vma[1].end == 0x20020000 && mm->vma[0].start == 0x10010000,
	   "move_vma: a 128 KiB VMA at the new address, the old 64 KiB unmapped, 16 pages still mapped");
	RUN(do_remap(e, 0x20000000, 128 * K, 256 * K, 0));
	ok(mm->vma[1].end == 0x20040000 && lf(e, PGT_FL_INVLPG) + lf(e, PGT_FL_FLUSH_ALL) == 0,
	   "mremap: the room after the VMA is free: it grows in place, no flush");
	RUN(do_remap(e, 0x20000000, 256 * K, 32 * K, 0));
	ok(lf(e, PGT_FL_INVLPG) == 8 && mm->vma[1].end == 0x20008000,
	   "mremap: a shrink unmaps the tail (8 present pages: 8 invlpg)");
	RUN(do_remap(e, 0x20000000, 32 * K, 64 * K, 0x20004000));
	ok(ev.last_result == -EINVAL, "mremap_to: overlapping old and new ranges are EINVAL");
	RUN(do_remap(e, 0x20000000, 64 * K, 64 * K, 0x30000000));
	ok(ev.last_result == -EFAULT, "vma_to_resize: an old range past its VMA is EFAULT");
	RUN(do_remap(e, 0x50000000, 4 * K, 8 * K, 0x60000000));
	ok(ev.last_result == -EFAULT, "mremap: no VMA at the old address is EFAULT");

	/* a whole, aligned PTE table moves by its PMD entry */
	RUN(do_alloc(e, 0x40000000, 4 * M, "rw"));
	RUN(do_touch(e, 0x40000000, 2 * M, true));
	pde = ent(e, 1, 0x40000000, L_PD);
	RUN(do_remap(e, 0x40000000, 2 * M, 2 * M, 0x80000000));
	ok(lf(e, PGT_FL_FLUSH_ALL) == 1 && lf(e, PGT_FL_INVLPG) == 0,
	   "move_normal_pmd (HAVE_MOVE_PMD): flush_tlb_range of 2 MiB > ceiling 33 = 1 flush-all");
	is_u64(ent(e, 1, 0x80000000, L_PD), pde, "move_normal_pmd: the new PMD entry points to the old PTE table");
	is_u64(ent(e, 1, 0x40000000, L_PD), 0, "move_normal_pmd: the old PMD entry is cleared");
	is_u64(ev.table_alloc[L_PT], 3, "move_normal_pmd: no PTE table allocated for the move (3: the faults')");
	pgt_engine_free(e);

	/* two CPUs, then CPU 1 idle: the munmap that frees the old table */
	e = eng("cpus=2 thp=never");
	RUN(do_alloc(e, 0x10000000, 64 * K, "rw"));
	RUN(do_touch(e, 0x10000000, 64 * K, true));
	RUN(do_cpu_attach(e, 1));
	RUN(do_cpu(e, PGT_CPU_IDLE, 1));
	RUN(do_remap(e, 0x10000000, 64 * K, 64 * K, 0x20000000));
	ok(lf(e, PGT_FL_INVLPG) == 17 && lf(e, PGT_FL_IPI) == 1,
	   "review-6.1.md 9 (lazy CPU 1): move_ptes 16 invlpg (lazy CPU skipped) + the munmap freeing the old PTE table: 1 invlpg, 1 ipi");
	pgt_engine_free(e);

	/* what is not modelled says so */
	e = eng(NULL);
	RUN(do_alloc(e, 0x10000000, 64 * K, "rw"));
	RUN(do_touch(e, 0x10000000, 64 * K, true));
	{
		struct pgt_op op = { .kind = PGT_OP_REMAP, .addr = 0x10000000,
				     .len = 64 * K, .newlen = 1 * M };
		struct pgt_err err = { 0 };

		RUN(do_alloc(e, 0x10010000, 64 * K, "r"));
		ok(pgt_engine_apply(e, &op, &err) == PGT_ERR_INPUT &&
		   strstr(err.msg, "expected NEWADDR"),
		   "mremap growing without room and without NEWADDR: input error (get_unmapped_area not modelled)");
	}
	pgt_engine_free(e);

	/* huge PMDs: moved whole (move_huge_pmd), or split first */
	e = eng(NULL);
	mm = pgt_engine_mm(e, 1);
	RUN(do_alloc(e, 0x60000000, 4 * M, "rw"));
	RUN(do_touch(e, 0x60000000, 4 * M, true));
	pde = ent(e, 1, 0x60000000, L_PD);
	ok(pde & 0x80, "set-up: huge PMDs");
	RUN(do_remap(e, 0x60000000, 2 * M, 2 * M, 0x80000000));
	ok(lf(e, PGT_FL_FLUSH_ALL) == 1 && lf(e, PGT_FL_INVLPG) == 0,
	   "move_huge_pmd: flush_pmd_tlb_range of the old 2 MiB = 1 flush-all");
	is_u64(ent(e, 1, 0x80000000, L_PD), pde, "move_huge_pmd: the huge PMD is set unchanged at the new address");
	is_u64(mm->nr_deposit, 2, "move_huge_pmd: the deposited page tables stay (one per huge PMD)");
	RUN(do_remap(e, 0x60200000, 1 * M, 1 * M, 0x90000000));
	ok(!(ent(e, 1, 0x60300000, L_PD) & 0x80) &&
	   (ent(e, 1, 0x60300000, L_PT) & 1) &&
	   (ent(e, 1, 0x90000000, L_PT) & 1) &&
	   pfn_of(ent(e, 1, 0x90000000, L_PT)) + 1 * M ==
	   pfn_of(ent(e, 1, 0x60300000, L_PT)),
	   "move_page_tables: half a huge PMD: split_huge_pmd, then its PTEs move (the other half stays)");
	pgt_engine_free(e);
}

/* ======================================================================
 * MADV_COLLAPSE (mm/khugepaged.c on 6.1: madvise_collapse,
 * collapse_huge_page, the generic pmdp_collapse_flush)
 * ==================================================================== */

static int do_collapse(struct pgt_engine *e, uint64_t a, uint64_t l)
{
	struct pgt_op op = { .kind = PGT_OP_COLLAPSE, .addr = a, .len = l };

	return apply(e, &op);
}

static void t_collapse(void)
{
	struct pgt_engine *e;
	struct pgt_mm *mm;

	e = eng("thp=never cpus=2");
	mm = pgt_engine_mm(e, 1);
	RUN(do_alloc(e, 0x40000000, 4 * M, "rw"));
	RUN(do_touch(e, 0x40000000, 64 * K, true));
	RUN(do_touch(e, 0x40010000, 64 * K, false));
	ev_reset();
	RUN(do_collapse(e, 0x40000000, 2 * M));
	ok(ev.last_result == 0 && lf(e, PGT_FL_FLUSH_ALL) == 1 &&
	   lf(e, PGT_FL_INVLPG) == 0 && lf(e, PGT_FL_IPI) == 0,
	   "collapse_huge_page: pmdp_collapse_flush = flush_pmd_tlb_range of 2 MiB: 1 flush-all (thp=never does not stop MADV_COLLAPSE)");
	ok((ent(e, 1, 0x40000000, L_PD) & 0xe3) == 0xe3 && mm->rss == 512 &&
	   mm->nr_deposit == 1 && ev.table_free[L_PT] == 0,
	   "collapse_huge_page: a huge PMD (PS, dirty, writable), 512 pages, the emptied PTE table deposited");
	RUN(do_collapse(e, 0x40000000, 2 * M));
	ok(ev.last_result == 0 && lf(e, PGT_FL_FLUSH_ALL) == 0,
	   "madvise_collapse: an already huge PMD counts as done (SCAN_PMD_MAPPED), no flush");
	RUN(do_collapse(e, 0x40200000, 2 * M));
	ok(ev.last_result == -EINVAL && lf(e, PGT_FL_FLUSH_ALL) == 0,
	   "madvise_collapse: no page table there (SCAN_PMD_NULL): EINVAL");
	RUN(do_touch(e, 0x40200000, 64 * K, false));
	RUN(do_collapse(e, 0x40200000, 2 * M));
	ok(ev.last_result == -EINVAL && lf(e, PGT_FL_FLUSH_ALL) == 0,
	   "hpage_collapse_scan_pmd: no writable PTE (SCAN_PAGE_RO): EINVAL, nothing changed");
	RUN(do_touch(e, 0x40300000, 4 * K, true));
	RUN(do_cpu_attach(e, 1));
	RUN(do_cpu(e, PGT_CPU_IDLE, 1));
	RUN(do_collapse(e, 0x40200000, 2 * M));
	ok(ev.last_result == 0 && lf(e, PGT_FL_FLUSH_ALL) == 1 && lf(e, PGT_FL_IPI) == 1,
	   "review-6.1.md (flush_pmd_tlb_range passes freed_tables): the lazy CPU 1 gets the IPI too");
	RUN(do_advise(e, 0x40000000, 4 * M, PGT_ADV_NOHUGEPAGE));
	RUN(do_collapse(e, 0x40000000, 2 * M));
	ok(ev.last_result == -EINVAL, "hugepage_vma_check: VM_NOHUGEPAGE is EINVAL");
	pgt_engine_free(e);
}

/* ======================================================================
 * pae.md §5: kernel mapping propagation; invariant P4
 * ==================================================================== */

static void t_kmap(void)
{
	struct pgt_engine *e;
	struct pgt_xlate x1, x2;
	const uint64_t kva = 0xf8000000;

	e = eng("kernel-pmd=unshared");
	RUN(do_fork(e, 2));
	RUN(do_fork(e, 3));
	RUN(do_mm(e, 3));
	RUN(do_exit(e));
	RUN(do_mm(e, 1));
	ev_reset();
	RUN(do_kmap(e, kva, 4 * K, "rw"));
	is_u64(ev.pd_user_mm, 2,
	       "pae.md §5 (unshared): the new kernel PDE is copied into every live pgd on pgd_list (2 of 3; mm 3 exited)");
	is_u64(ev.pd_swapper, 1,
	       "pae.md §5 (unshared): swapper's kernel PMD gets the new PDE first");
	x1 = xl(e, 1, kva);
	x2 = xl(e, 2, kva);
	ok(x1.nsteps == 3 && x2.nsteps == 3 &&
	   x1.step[1].raw == x2.step[1].raw &&
	   (x1.step[1].raw & ~PFN_MASK) == 0x063,
	   "pae.md §2.3/§5: both mms see the same kernel PDE = table|0x063 (_KERNPG_TABLE)");
	ok(x1.step[1].table != x2.step[1].table,
	   "pae.md §5 (unshared): ... through two private kernel PMDs");
	ok(x1.mapped && (x1.flags & PGT_HF_W) && !(x1.flags & PGT_HF_U) &&
	   (x1.flags & PGT_HF_G),
	   "pae.md §5: the kernel page is mapped writable, supervisor, global");
	pgt_engine_free(e);

	e = eng("kernel-pmd=shared");
	RUN(do_fork(e, 2));
	ev_reset();
	RUN(do_kmap(e, kva, 4 * K, "rw"));
	is_u64(ev.pd_user_mm, 0,
	       "pae.md §5 (shared): nothing is copied into the pgds");
	is_u64(ev.pd_swapper, 1,
	       "pae.md §5 (shared): only the shared kernel PMD changes");
	x1 = xl(e, 1, kva);
	x2 = xl(e, 2, kva);
	ok(x1.nsteps == 3 && x2.nsteps == 3 &&
	   x1.step[1].table == x2.step[1].table &&
	   (x1.step[1].raw & ~PFN_MASK) == 0x063 && x1.mapped && x2.mapped,
	   "pae.md §5 (shared): the change is visible at once in every mm (one PMD page)");
	pgt_engine_free(e);
}


/* ======================================================================
 * thp.md §1.2/§1.3 eligibility, §5.2 MADV_DONTNEED and munmap, §5.1 VMA
 * boundary splits
 * ==================================================================== */

static void t_thp_more(void)
{
	struct pgt_engine *e;
	uint64_t f, v;
	long dep;

	/* thp=always (Debian default): only whole, aligned windows */
	e = eng(NULL);
	RUN(do_alloc(e, 0x60100000, 4 * M, "rw"));
	RUN(do_touch(e, 0x60100000, 4 * K, true));
	is_u64(ent(e, 1, 0x60100000, L_PT) & ~PFN_MASK, 0x067,
	       "thp.md §1.3: the partial window 0x60000000 of VMA 0x60100000-0x60500000 uses 4 KiB PTEs");
	RUN(do_touch(e, 0x60200000, 4 * K, true));
	is_u64(ent(e, 1, 0x60200000, L_PD) & 0xfff, 0x0e7,
	       "thp.md §1.3 (thp=always): the whole window 0x60200000 gets a huge PMD without MADV_HUGEPAGE");
	RUN(do_touch(e, 0x604ff000, 4 * K, true));
	is_u64(ent(e, 1, 0x604ff000, L_PT) & ~PFN_MASK, 0x067,
	       "thp.md §1.3: the tail window 0x60400000 (VMA ends at 0x60500000) uses 4 KiB PTEs");
	RUN(do_alloc(e, 0x70000000, 2 * M, "rw"));
	RUN(do_advise(e, 0x70000000, 2 * M, PGT_ADV_NOHUGEPAGE));
	RUN(do_touch(e, 0x70000000, 4 * K, true));
	is_u64(ent(e, 1, 0x70000000, L_PT) & ~PFN_MASK, 0x067,
	       "thp.md §1.2 step 2: VM_NOHUGEPAGE refuses THP even with thp=always");
	RUN(do_alloc_f(e, 0x72000000, 2 * M, "rw", PGT_MAP_SHARED));
	RUN(do_touch(e, 0x72000000, 4 * K, true));
	is_u64(ent(e, 1, 0x72000000, L_PT) & ~PFN_MASK, 0x067,
	       "thp.md §1.2 step 7: shared anonymous memory (shmem) gets no anonymous THP");
	pgt_engine_free(e);

	/* a huge PMD is attempted only on an empty PMD entry */
	e = eng("thp=madvise");
	RUN(do_alloc(e, 0x60400000, 2 * M, "rw"));
	RUN(do_touch(e, 0x60400000, 4 * K, true));
	RUN(do_advise(e, 0x60400000, 2 * M, PGT_ADV_HUGEPAGE));
	RUN(do_touch(e, 0x60401000, 4 * K, true));
	ok((ent(e, 1, 0x60401000, L_PD) & ~PFN_MASK) == 0x067 &&
	   (ent(e, 1, 0x60401000, L_PT) & ~PFN_MASK) == 0x067,
	   "thp.md §1.3: a window that already has a PTE table keeps 4 KiB PTEs after MADV_HUGEPAGE");
	pgt_engine_free(e);

	/* MADV_DONTNEED of part of a window, then of a whole window */
	e = eng("thp=madvise thp-zero-page=off");
	RUN(do_alloc(e, 0x60000000, 64 * K, "rw"));
	RUN(do_alloc(e, 0x60400000, 4 * M, "rw"));
	RUN(do_advise(e, 0x60400000, 4 * M, PGT_ADV_HUGEPAGE));
	RUN(do_touch(e, 0x60400000, 4 * M, true));
	f = ent(e, 1, 0x60400000, L_PD) & HPFN_MASK;
	is_u64(pgt_engine_mm(e, 1)->nr_deposit, 2,
	       "thp.md §2.4: two huge PMDs, two deposits");
	RUN(do_advise(e, 0x60405000, 4 * K, PGT_ADV_DONTNEED));
	ok(ent(e, 1, 0x60405000, L_PT) == 0 &&
	   ent(e, 1, 0x60404000, L_PT) == ((f + 0x4000) | 0x027),
	   "thp.md §5.2: MADV_DONTNEED of one page splits the THP and clears only that PTE");
	is_u64(ent(e, 1, 0x60400000, L_PD) & ~PFN_MASK, 0x067,
	       "thp.md §5.2: the withdrawn deposit stays linked as the PTE table");
	ok(lf(e, PGT_FL_FLUSH_ALL) == 1 && lf(e, PGT_FL_INVLPG) == 1,
	   "thp.md §6.1/§5.2 evidence: MADV_DONTNEED of one page of a THP: 1 full flush (split) + 1 invlpg");
	dep = pgt_engine_mm(e, 1)->nr_deposit;
	RUN(do_advise(e, 0x60600000, 2 * M, PGT_ADV_DONTNEED));
	is_u64(ent(e, 1, 0x60600000, L_PD), 0,
	       "thp.md §5.2: MADV_DONTNEED of a whole window clears the huge PMD (zap_huge_pmd)");
	is_u64(pgt_engine_mm(e, 1)->nr_deposit, dep - 1,
	       "thp.md §5.2/T12: ... and frees its deposit");
	ok(lf(e, PGT_FL_INVLPG) == 1 && lf(e, PGT_FL_FLUSH_ALL) == 0,
	   "thp.md §6.1: MADV_DONTNEED of one whole window: 1 invlpg (2 MiB stride), no full flush");
	pgt_engine_free(e);

	/* munmap of part of a window: VMA split splits the huge PMD */
	e = eng("thp=madvise thp-zero-page=off");
	RUN(do_alloc(e, 0x60000000, 64 * K, "rw"));
	RUN(do_alloc(e, 0x60400000, 2 * M, "rw"));
	RUN(do_advise(e, 0x60400000, 2 * M, PGT_ADV_HUGEPAGE));
	RUN(do_touch(e, 0x60400000, 4 * K, true));
	f = ent(e, 1, 0x60400000, L_PD) & HPFN_MASK;
	RUN(do_unmap(e, 0x60400000, 4 * K));
	ok(ent(e, 1, 0x60400000, L_PT) == 0 &&
	   ent(e, 1, 0x60401000, L_PT) == ((f + 0x1000) | 0x027) &&
	   ent(e, 1, 0x605ff000, L_PT) == ((f + 0x1ff000) | 0x027),
	   "thp.md §5.1/T11: munmap of the first page splits the huge PMD at the new VMA boundary; 511 PTEs 0x027 remain");
	ok(lf(e, PGT_FL_FLUSH_ALL) == 1 && lf(e, PGT_FL_INVLPG) == 1,
	   "thp.md §6.1: partial munmap of a THP: 1 full flush (split) + 1 invlpg (zapped PTE)");
	pgt_engine_free(e);

	/* fork of a huge-zero PMD */
	e = eng("thp=madvise thp-zero-page=on");
	RUN(do_alloc(e, 0x60400000, 2 * M, "rw"));
	RUN(do_advise(e, 0x60400000, 2 * M, PGT_ADV_HUGEPAGE));
	RUN(do_touch(e, 0x60400000, 4 * K, false));
	v = ent(e, 1, 0x60400000, L_PD);
	RUN(do_fork(e, 2));
	is_u64(ent(e, 1, 0x60400000, L_PD), v,
	       "thp.md §3: a huge-zero PMD is already read-only: the parent's is unchanged by fork");
	is_u64(ent(e, 2, 0x60400000, L_PD), (v & HPFN_MASK) | 0x085,
	       "thp.md §3: the child's huge-zero PMD is made old (0x085)");
	is_u64(pgt_engine_mm(e, 2)->nr_deposit, 1,
	       "thp.md §3 step 5: the child's huge-zero PMD gets its own deposit");
	pgt_engine_free(e);
}

/* ======================================================================
 * mm-ops.md §6 fork copying rules, §2/§3 shared memory, §4.1/§3.1 outcomes
 * ==================================================================== */

static void t_mm_ops(void)
{
	struct pgt_engine *e;
	uint64_t z;

	e = eng(NULL);
	RUN(do_alloc(e, 0x10000000, 64 * K, "rw"));
	RUN(do_touch(e, 0x10000000, 64 * K, false));
	RUN(do_alloc(e, 0x20000000, 64 * K, "r"));
	RUN(do_touch(e, 0x20000000, 4 * K, false));
	RUN(do_alloc(e, 0x30000000, 64 * K, "rw"));
	RUN(do_touch(e, 0x30000000, 4 * K, false));
	RUN(do_touch(e, 0x30001000, 4 * K, true));
	z = pfn_of(ent(e, 1, 0x30000000, L_PT));
	RUN(do_fork(e, 2));
	is_u64(ent(e, 2, 0x10000000, L_PD), 0,
	       "mm-ops.md §6.1/§3.3: a VMA with only zero-page reads has no anon_vma: not copied at fork");
	is_u64(ent(e, 2, 0x20000000, L_PD), 0,
	       "mm-ops.md §6.1: a read-only VMA never written has no anon_vma: not copied");
	is_u64(ent(e, 2, 0x30000000, L_PT), z | 0x205,
	       "mm-ops.md §6.2: a zero-page PTE of a copied VMA goes to the child as is, made old (0x205)");
	is_u64(ent(e, 1, 0x30000000, L_PT), z | 0x225,
	       "mm-ops.md §6.2: the parent's zero-page PTE is unchanged");
	pgt_engine_free(e);

	/* shared anonymous memory (pae.md §2.3 protection map: SHARED) */
	e = eng(NULL);
	RUN(do_alloc_f(e, 0x10000000, 64 * K, "rw", PGT_MAP_SHARED));
	RUN(do_touch(e, 0x10000000, 4 * K, true));
	RUN(do_touch(e, 0x10001000, 4 * K, false));
	is_u64(ent(e, 1, 0x10000000, L_PT) & ~PFN_MASK, 0x067,
	       "pae.md §2.3: shared writable mapping, write fault = pfn|0x067");
	is_u64(ent(e, 1, 0x10001000, L_PT) & ~PFN_MASK, 0x027,
	       "pae.md §2.3: shared writable mapping, read fault = PAGE_SHARED pfn|0x027 (RW, not dirty; no zero page)");
	RUN(do_fork(e, 2));
	is_u64(ent(e, 1, 0x10000000, L_PT) & ~PFN_MASK, 0x067,
	       "mm-ops.md §6.2: fork does not write-protect a shared mapping");
	pgt_engine_free(e);

	/* kernel-level outcomes are results, not input errors */
	e = eng(NULL);
	RUN(do_alloc(e, 0x10000000, 64 * K, "rw"));
	RUN(do_alloc(e, 0x10020000, 64 * K, "rw"));
	RUN(do_touch(e, 0x10000000, 64 * K, true));
	RUN(do_protect(e, 0x10000000, 0x30000, "r"));
	is_u64((uint64_t)-ev.last_result, ENOMEM,
	       "mm-ops.md §4.1 step 10: mprotect over a gap returns ENOMEM");
	is_u64(ent(e, 1, 0x10000000, L_PT) & ~PFN_MASK, 0x065,
	       "mm-ops.md §4.1/G15: the VMA before the gap keeps its new protection");
	RUN(do_protect(e, 0x10000000, 64 * K, "none"));
	RUN(do_touch(e, 0x10000000, 4 * K, false));
	is_u64((uint64_t)-ev.last_result, EFAULT,
	       "mm-ops.md §3.1: an access to a PROT_NONE VMA is a SIGSEGV outcome");
	RUN(do_touch(e, 0x50000000, 4 * K, false));
	is_u64((uint64_t)-ev.last_result, EFAULT,
	       "mm-ops.md §3.1: an access outside every VMA is a SIGSEGV outcome");
	pgt_engine_free(e);
}

/* ======================================================================
 * mm-ops.md §5.4: the floor/ceiling trimming at PTE-table granularity
 * ==================================================================== */

static void t_floor_ceiling(void)
{
	struct pgt_engine *e;
	uint64_t pde0;

	/* floor: the first table is shared with the VMA below */
	e = eng(NULL);
	RUN(do_alloc(e, 0x10000000, 64 * K, "rw"));
	RUN(do_touch(e, 0x10000000, 4 * K, true));
	RUN(do_alloc(e, 0x101f0000, 128 * K, "r"));
	RUN(do_protect(e, 0x101f0000, 128 * K, "rw"));
	RUN(do_touch(e, 0x101f0000, 128 * K, true));
	RUN(do_alloc(e, 0x10400000, 64 * K, "rw"));
	pde0 = ent(e, 1, 0x10000000, L_PD);
	ok(ent(e, 1, 0x10200000, L_PD) != 0 && pde0 != 0,
	   "mm-ops.md §5.4 set-up: VMA 0x101f0000-0x10210000 spans two PTE tables");
	RUN(do_unmap(e, 0x101f0000, 128 * K));
	ok(ent(e, 1, 0x10000000, L_PD) == pde0,
	   "mm-ops.md §5.4 step 1: the table below floor (shared with 0x10000000) stays");
	is_u64(ent(e, 1, 0x10200000, L_PD), 0,
	   "mm-ops.md §5.4: the table of window 0x10200000 (no VMA left) is freed");
	pgt_engine_free(e);

	/* ceiling: the last table is shared with the VMA above */
	e = eng(NULL);
	RUN(do_alloc(e, 0x10200000, 64 * K, "rw"));
	RUN(do_touch(e, 0x10200000, 64 * K, true));
	RUN(do_alloc(e, 0x103f0000, 64 * K, "r"));
	pde0 = ent(e, 1, 0x10200000, L_PD);
	RUN(do_unmap(e, 0x10200000, 64 * K));
	ok(pde0 && ent(e, 1, 0x10200000, L_PD) == pde0,
	   "mm-ops.md §5.4 step 3: a table shared with the VMA above the ceiling stays");
	is_u64(lf(e, PGT_FL_INVLPG), 16,
	   "pae.md §8.1: ... and the munmap of 16 pages costs 16 invlpg");
	pgt_engine_free(e);

	/* exit frees everything */
	e = eng(NULL);
	RUN(do_alloc(e, 0x10000000, 64 * K, "rw"));
	RUN(do_touch(e, 0x10000000, 64 * K, true));
	RUN(do_fork(e, 2));
	RUN(do_mm(e, 2));
	ev_reset();
	RUN(do_exit(e));
	ok(ev.table_free[L_PT] == 1 && ev.table_free[L_PD] == 3 &&
	   ev.table_free[L_PDPT] == 1,
	   "mm-ops.md §7/pae.md §4.2: exit of the child frees its PTE table, its 3 PMDs and its pgd");
	is_u64(ent(e, 1, 0x10000000, L_PT) & ~PFN_MASK, 0x065,
	   "mm-ops.md §7: the parent's mapping is untouched by the child's exit");
	RUN(do_mm(e, 1));
	RUN(do_touch(e, 0x10000000, 4 * K, true));
	is_u64(ent(e, 1, 0x10000000, L_PT) & ~PFN_MASK, 0x067,
	   "mm-ops.md §3.4: after the child exited the parent reuses its page (no copy)");
	is_u64(lf(e, PGT_FL_INVLPG) + lf(e, PGT_FL_FLUSH_ALL), 0,
	   "pae.md §8.2: reuse does not flush");
	pgt_engine_free(e);

	/* re-populating a freed PDPT slot on two CPUs */
	e = eng("cpus=2");
	RUN(do_cpu_attach(e, 1));
	RUN(do_alloc(e, 0x50000000, 64 * K, "rw"));
	RUN(do_touch(e, 0x50000000, 4 * K, true));
	RUN(do_unmap(e, 0x50000000, 64 * K));
	ok(lf(e, PGT_FL_FLUSH_ALL) == 1 && lf(e, PGT_FL_IPI) == 1,
	   "pae.md §3/§8.1 (2 CPUs): PMD freed: 1 full flush + 1 ipi (need_flush_all)");
	RUN(do_alloc(e, 0x50000000, 64 * K, "rw"));
	RUN(do_touch(e, 0x50000000, 4 * K, true));
	ok(lf(e, PGT_FL_FLUSH_ALL) == 1 && lf(e, PGT_FL_IPI) == 1,
	   "pae.md §3/review-6.1.md 1 (2 CPUs): pud_populate in the live mm: flush_tlb_mm = 1 flush-all + 1 ipi");
	pgt_engine_free(e);
}

/* ======================================================================
 * more rules: gather strides over huge PMDs, G16, MAP_FIXED, hardware A/D,
 * THP reuse, write upgrade, MADV_DONTNEED on PTEs, kmap in other profiles
 * ==================================================================== */

static void t_misc(void)
{
	struct pgt_engine *e;
	uint64_t f, v;
	long npt;

	/* thp.md §6.1: whole windows: one invlpg per 2 MiB stride */
	e = eng("thp=madvise thp-zero-page=off");
	RUN(do_alloc(e, 0x60000000, 64 * K, "rw"));
	RUN(do_alloc(e, 0x60400000, 4 * M + 64 * K, "rw"));
	RUN(do_advise(e, 0x60400000, 4 * M + 64 * K, PGT_ADV_HUGEPAGE));
	RUN(do_touch(e, 0x60400000, 4 * M + 64 * K, true));
	ok((ent(e, 1, 0x60400000, L_PD) & 0xfff) == 0x0e7 &&
	   (ent(e, 1, 0x60600000, L_PD) & 0xfff) == 0x0e7 &&
	   (ent(e, 1, 0x60800000, L_PT) & ~PFN_MASK) == 0x067,
	   "thp.md §1.3 set-up: two huge windows and a 4 KiB tail");
	RUN(do_protect(e, 0x60400000, 4 * M + 64 * K, "r"));
	ok(lf(e, PGT_FL_FLUSH_ALL) == 1 && lf(e, PGT_FL_INVLPG) == 0,
	   "thp.md §6.1: a gather with huge PMDs and PTEs uses a 4 KiB stride over the union: full flush");
	RUN(do_protect(e, 0x60400000, 4 * M + 64 * K, "rw"));
	ok(lf(e, PGT_FL_INVLPG) == 16 &&
	   (ent(e, 1, 0x60800000, L_PT) & ~PFN_MASK) == 0x067 &&
	   (ent(e, 1, 0x60400000, L_PD) & 0xfff) == 0x0e5,
	   "pae.md §8.2/thp.md T10: back to rw: the 16 dirty PTEs become writable (RO->RW flushes: 16 invlpg), the huge PMDs stay 0x0e5");
	RUN(do_touch(e, 0x60400000, 4 * K, true));
	RUN(do_touch(e, 0x60600000, 4 * K, true));
	RUN(do_protect(e, 0x60400000, 4 * M, "r"));
	ok(lf(e, PGT_FL_INVLPG) == 2 && lf(e, PGT_FL_FLUSH_ALL) == 0,
	   "thp.md §6.1: mprotect of two whole windows: 2 invlpg (2 MiB stride)");
	pgt_engine_free(e);

	/* G16: mprotect and mmap allocate no page tables */
	e = eng(NULL);
	RUN(do_alloc(e, 0x10000000, 4 * M, "rw"));
	RUN(do_touch(e, 0x10000000, 4 * K, true));
	npt = pgt_engine_mm(e, 1)->nr_tables[L_PT];
	RUN(do_protect(e, 0x10000000, 4 * M, "r"));
	RUN(do_alloc(e, 0x20000000, 4 * M, "rw"));
	ok(pgt_engine_mm(e, 1)->nr_tables[L_PT] == npt &&
	   ent(e, 1, 0x10200000, L_PD) == 0 && ent(e, 1, 0x20000000, L_PD) == 0,
	   "mm-ops.md §4.3/§2.2, invariant G16: mprotect and mmap allocate no page tables");
	/* MAP_FIXED over a populated range: munmap semantics */
	RUN(do_alloc(e, 0x30000000, 64 * K, "rw"));
	RUN(do_alloc(e, 0x30100000, 64 * K, "rw"));
	RUN(do_touch(e, 0x30100000, 64 * K, true));
	RUN(do_alloc(e, 0x30100000, 64 * K, "rw"));
	ok(ent(e, 1, 0x30100000, L_PT) == 0 && lf(e, PGT_FL_INVLPG) == 16,
	   "mm-ops.md §2.2 step 2: mmap(MAP_FIXED) over 16 populated pages unmaps them: 16 invlpg");
	pgt_engine_free(e);

	/* hardware A/D bits (pae.md §1.4, mm-ops.md §3.6) */
	e = eng(NULL);
	RUN(do_alloc(e, 0x10000000, 64 * K, "rw"));
	RUN(do_touch(e, 0x10000000, 64 * K, true));
	f = pfn_of(ent(e, 1, 0x10000000, L_PT));
	RUN(do_fork(e, 2));
	RUN(do_mm(e, 2));
	RUN(do_touch(e, 0x10000000, 4 * K, false));
	is_u64(ent(e, 2, 0x10000000, L_PT), f | 0x065,
	       "mm-ops.md §3.6: a read of the child's old PTE sets A in hardware (0x045 -> 0x065)");
	is_u64(lf(e, PGT_FL_INVLPG), 0,
	       "pae.md §1.4: a hardware A update needs no flush");
	RUN(do_mm(e, 1));
	RUN(do_protect(e, 0x10000000, 64 * K, "r"));
	RUN(do_protect(e, 0x10000000, 64 * K, "rw"));
	is_u64(ent(e, 1, 0x10001000, L_PT) & ~PFN_MASK, 0x065,
	       "mm-ops.md §4.3: mprotect never makes a PTE of a page shared with the child writable");
	pgt_engine_free(e);

	/* THP reuse once the child has gone (thp.md §4.1 step 4) */
	e = eng("thp=madvise thp-zero-page=off");
	RUN(do_alloc(e, 0x60000000, 64 * K, "rw"));
	RUN(do_alloc(e, 0x60400000, 2 * M, "rw"));
	RUN(do_advise(e, 0x60400000, 2 * M, PGT_ADV_HUGEPAGE));
	RUN(do_touch(e, 0x60400000, 4 * K, true));
	f = ent(e, 1, 0x60400000, L_PD) & HPFN_MASK;
	RUN(do_fork(e, 2));
	RUN(do_mm(e, 2));
	RUN(do_exit(e));
	RUN(do_mm(e, 1));
	RUN(do_touch(e, 0x60400000, 4 * K, true));
	is_u64(ent(e, 1, 0x60400000, L_PD), f | 0x0e7,
	       "thp.md §4.1 step 4: after the child exited (refcount 1) a write reuses the THP: 0x0e7, no split");
	is_u64(pgt_engine_mm(e, 1)->nr_deposit, 1,
	       "thp.md §4.1: reuse keeps the deposit");
	pgt_engine_free(e);

	/* MADV_DONTNEED on PTEs: the table stays (pae.md §6) */
	e = eng(NULL);
	RUN(do_alloc(e, 0x10000000, 64 * K, "rw"));
	RUN(do_touch(e, 0x10000000, 64 * K, true));
	v = ent(e, 1, 0x10000000, L_PD);
	RUN(do_advise(e, 0x10000000, 64 * K, PGT_ADV_DONTNEED));
	ok(ent(e, 1, 0x10000000, L_PD) == v && ent(e, 1, 0x10000000, L_PT) == 0,
	   "pae.md §6: a PTE table emptied by MADV_DONTNEED stays allocated");
	is_u64(lf(e, PGT_FL_INVLPG), 16,
	       "pae.md §8.2: MADV_DONTNEED of 16 pages: 16 invlpg");
	RUN(do_touch(e, 0x10000000, 4 * K, false));
	is_u64(ent(e, 1, 0x10000000, L_PT) & ~PFN_MASK, 0x225,
	       "mm-ops.md §3.3: after MADV_DONTNEED a read maps the zero page again");
	pgt_engine_free(e);

	/* pae-6.16 and PTI: kernel mappings are always synced (pae.md §4.3, §5) */
	e = eng("profile=pae-6.16");
	RUN(do_fork(e, 2));
	ev_reset();
	RUN(do_kmap(e, 0xf8200000, 4 * K, "rw"));
	is_u64(ev.pd_user_mm, 2,
	       "pae.md §4.3 (pae-6.16): every pgd is on pgd_list: the new kernel PDE reaches both mms");
	pgt_engine_free(e);
	e = eng("pti=on");
	RUN(do_fork(e, 2));
	ev_reset();
	RUN(do_kmap(e, 0xf8200000, 4 * K, "rw"));
	is_u64(ev.pd_user_mm, 2,
	       "pae.md §9/§5 (pti=on): unshared kernel PMDs: the new kernel PDE reaches both mms");
	ok(pdpte_at(e, root(e, 1), 3) != pdpte_at(e, root(e, 1) + 4096, 3),
	   "pae.md §9: the user PDPT's kernel slot still points to the user-visible kernel PMD");
	pgt_engine_free(e);
}

/* ======================================================================
 * edges: half-window mprotect/madvise on a THP, huge-zero zap, kmap
 * before fork, PTI teardown
 * ==================================================================== */

static void t_edges(void)
{
	struct pgt_engine *e;
	uint64_t f;
	long dep;

	/* mprotect of half a window: split + 256 changed PTEs > 33 */
	e = eng("thp=madvise thp-zero-page=off");
	RUN(do_alloc(e, 0x60000000, 64 * K, "rw"));
	RUN(do_alloc(e, 0x60400000, 2 * M, "rw"));
	RUN(do_advise(e, 0x60400000, 2 * M, PGT_ADV_HUGEPAGE));
	RUN(do_touch(e, 0x60400000, 4 * K, true));
	f = ent(e, 1, 0x60400000, L_PD) & HPFN_MASK;
	RUN(do_protect(e, 0x60400000, 1 * M, "r"));
	ok(ent(e, 1, 0x60400000, L_PT) == (f | 0x025) &&
	   ent(e, 1, 0x604ff000, L_PT) == ((f + 0xff000) | 0x025) &&
	   ent(e, 1, 0x60500000, L_PT) == ((f + 0x100000) | 0x027),
	   "thp.md §5.1: mprotect of half a window splits it: 256 x 0x025 then 256 x 0x027");
	is_u64(lf(e, PGT_FL_FLUSH_ALL), 2,
	       "thp.md §6.1: part of a window, 256 PTEs > 33: 1 full flush (split) + 1 full flush (gather)");
	is_u64(lf(e, PGT_FL_INVLPG), 0, "thp.md §6.1: ... and no invlpg");
	pgt_engine_free(e);

	/* MADV_NOHUGEPAGE on half a window splits the VMA and the PMD */
	e = eng("thp=madvise thp-zero-page=off");
	RUN(do_alloc(e, 0x60000000, 64 * K, "rw"));
	RUN(do_alloc(e, 0x60400000, 2 * M, "rw"));
	RUN(do_advise(e, 0x60400000, 2 * M, PGT_ADV_HUGEPAGE));
	RUN(do_touch(e, 0x60400000, 4 * K, true));
	f = ent(e, 1, 0x60400000, L_PD) & HPFN_MASK;
	RUN(do_advise(e, 0x60400000, 1 * M, PGT_ADV_NOHUGEPAGE));
	ok((ent(e, 1, 0x60400000, L_PD) & ~PFN_MASK) == 0x067 &&
	   ent(e, 1, 0x60500000, L_PT) == ((f + 0x100000) | 0x027),
	   "thp.md §1.2/§5.1: MADV_NOHUGEPAGE on half a window splits the VMA and so the huge PMD");
	is_u64(lf(e, PGT_FL_FLUSH_ALL), 1,
	       "thp.md §6.1: that split costs 1 full flush (pmdp_invalidate)");
	pgt_engine_free(e);
	e = eng("thp=madvise thp-zero-page=off");
	RUN(do_alloc(e, 0x60400000, 2 * M, "rw"));
	RUN(do_advise(e, 0x60400000, 2 * M, PGT_ADV_HUGEPAGE));
	RUN(do_touch(e, 0x60400000, 4 * K, true));
	f = ent(e, 1, 0x60400000, L_PD);
	RUN(do_advise(e, 0x60400000, 2 * M, PGT_ADV_NOHUGEPAGE));
	ok(ent(e, 1, 0x60400000, L_PD) == f && lf(e, PGT_FL_FLUSH_ALL) == 0,
	   "thp.md §1.2: MADV_NOHUGEPAGE of the whole window does not touch the huge PMD");
	pgt_engine_free(e);

	/* MADV_DONTNEED of a huge-zero window */
	e = eng("thp=madvise thp-zero-page=on");
	RUN(do_alloc(e, 0x60000000, 64 * K, "rw"));
	RUN(do_alloc(e, 0x60400000, 2 * M, "rw"));
	RUN(do_advise(e, 0x60400000, 2 * M, PGT_ADV_HUGEPAGE));
	RUN(do_touch(e, 0x60400000, 4 * K, false));
	dep = pgt_engine_mm(e, 1)->nr_deposit;
	RUN(do_advise(e, 0x60400000, 2 * M, PGT_ADV_DONTNEED));
	ok(ent(e, 1, 0x60400000, L_PD) == 0 &&
	   pgt_engine_mm(e, 1)->nr_deposit == dep - 1,
	   "thp.md §5.2: zap of a huge-zero PMD clears it and frees its deposit");
	is_u64(lf(e, PGT_FL_INVLPG), 1,
	       "thp.md §6.1: MADV_DONTNEED of a whole huge-zero window: 1 invlpg");
	pgt_engine_free(e);

	/* unshared: a pgd built after a kmap copies swapper's PMD with it */
	e = eng("kernel-pmd=unshared");
	RUN(do_kmap(e, 0xf8000000, 4 * K, "rw"));
	RUN(do_fork(e, 2));
	ok(ent(e, 2, 0xf8000000, L_PD) == ent(e, 1, 0xf8000000, L_PD) &&
	   (ent(e, 2, 0xf8000000, L_PD) & ~PFN_MASK) == 0x063,
	   "pae.md §4.2 (unshared): a new pgd's kernel PMD is a copy of swapper's, later kmaps included");
	pgt_engine_free(e);

	/* PTI: exit frees the user PDPT's kernel PMD too */
	e = eng("pti=on");
	RUN(do_alloc(e, 0x10000000, 64 * K, "rw"));
	RUN(do_touch(e, 0x10000000, 64 * K, true));
	RUN(do_fork(e, 2));
	RUN(do_mm(e, 2));
	ev_reset();
	RUN(do_exit(e));
	ok(ev.table_free[L_PD] == 5 && ev.table_free[L_PDPT] == 1 &&
	   ev.table_free[L_PT] == 1,
	   "pae.md §4.2 pgd_free (pti=on): 4 PMDs + the PTI user kernel PMD + the 8 KiB pgd are freed");
	pgt_engine_free(e);
}


/* ---- the walker's decoding of raw entries (pae.md §2, SDM Vol. 3 §4.4) ---- */

/* a copy whose why may point into the static's whybuf (arch.h: why is
 * read from the struct the arch filled): valid until the next call */
static struct pgt_ent_info dec(int level, uint64_t v)
{
	static struct pgt_ent_info ei;

	memset(&ei, 0x5a, sizeof(ei));	/* every field must be set */
	pgt_arch_pae.entry_decode(level, v, &ei);
	return ei;
}

static const char *desc(int level, uint64_t v)
{
	static char buf[200];

	pgt_arch_pae.entry_describe(level, v, buf, sizeof(buf));
	return buf;
}

/* a swap PTE as 6.1's __swp_entry_to_pte builds it (pgtable-3level.h):
 * the offset complemented into bits 9-58, the type in bits 59-63 */
static uint64_t swp_pte(unsigned type, uint64_t offset)
{
	return ((~offset << 14) >> 5) | ((uint64_t)type << 59);
}

static void t_decode_swap(void)
{
	static const struct { unsigned type; uint64_t off; } c[] = {
		{ 0, 1 }, { 0, 0x1234 }, { 1, 0x7ffffff }, { 31, 0x40 },
		{ 3, 0x2a5a5a5 },
	};
	char want[80];
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		uint64_t v = swp_pte(c[i].type, c[i].off);
		struct pgt_ent_info ei = dec(L_PT, v);

		snprintf(want, sizeof(want), "swap type=%u offset=0x%llx",
			 c[i].type, (unsigned long long)c[i].off);
		ok(ei.kind == PGT_ENT_NOTPRESENT && !ei.linux_present &&
		   ei.what && !strcmp(ei.what, "swap entry") &&
		   !strcmp(desc(L_PT, v), want),
		   "pae.md §2.3 / pgtable-3level.h: swap PTE 0x%016llx is '%s' (L1TF-inverted offset read back), not a frame",
		   (unsigned long long)v, desc(L_PT, v));
	}
	ok(!strcmp(desc(L_PT, swp_pte(2, 5) | 0x80),
		   "swap type=2 offset=0x5 exclusive"),
	   "pgtable-3level.h: bit 7 of a swap PTE is _PAGE_SWP_EXCLUSIVE");
}

static void t_decode_pat(void)
{
	/* memtype.c pat_bp_init: the PAT MSR slots as Linux programs them */
	static const char *const want[8] = { "WB", "WC", "UC-", "UC", "WB",
					     "WP", "UC-", "WT" };
	unsigned i;

	for (i = 0; i < 8; i++) {
		uint64_t bits = (i & 1 ? 0x008ull : 0) | (i & 2 ? 0x010ull : 0);
		uint64_t pte = 0x1000000ull | 0x063 | bits | (i & 4 ? 0x080ull : 0);
		uint64_t pde = 0x1000000ull | 0x0e3 | bits | (i & 4 ? 0x1000ull : 0);
		struct pgt_ent_info a = dec(L_PT, pte), b = dec(L_PD, pde);

		ok(a.kind == PGT_ENT_LEAF && a.memtype && !strcmp(a.memtype, want[i]) &&
		   a.pa == 0x1000000,
		   "memtype.c: PTE with PAT=%u PCD=%u PWT=%u selects slot %u: %s",
		   i >> 2, (i >> 1) & 1, i & 1, i, want[i]);
		ok(b.kind == PGT_ENT_LEAF && b.memtype && !strcmp(b.memtype, want[i]) &&
		   b.pa == 0x1000000 && b.size == 2 * M,
		   "memtype.c: 2 MiB PDE with PAT (bit 12)=%u PCD=%u PWT=%u: %s, frame unchanged",
		   i >> 2, (i >> 1) & 1, i & 1, want[i]);
	}
	ok(!strcmp(desc(L_PT, 0x80000000fed00173ull),
		   "P RW PCD A D G NX frame=0xfed00000 cache=UC-"),
	   "memtype.c: the HPET mapping of the dumps (raw ...fed00173) is UC-: '%s'",
	   desc(L_PT, 0x80000000fed00173ull));
	ok(!strstr(desc(L_PT, 0x8000000003c65067ull), "cache="),
	   "memtype.c: plain WB is not repeated in the decoded bits");
}

static void t_decode_pdpte(void)
{
	struct pgt_ent_info ei = dec(L_PDPT, 0x1e94021);

	ok(ei.kind == PGT_ENT_TABLE && ei.next == 0x1e94000,
	   "SDM Vol. 3 §4.4.1 / dumps README: PDPTE bit 5 (QEMU's walker) is tolerated");
	ok(!strcmp(desc(L_PDPT, 0x1e94021), "P RSVD5(QEMU) table=0x1e94000"),
	   "SDM Vol. 3 Table 4-8: PDPTE bit 5 is reserved, not an accessed bit: '%s'",
	   desc(L_PDPT, 0x1e94021));
	ok(!strstr(desc(L_PDPT, 0x1e94061), " A ") &&
	   !strstr(desc(L_PDPT, 0x1e94061), " D "),
	   "SDM Vol. 3 Table 4-8: a PDPTE has no A or D: '%s'",
	   desc(L_PDPT, 0x1e94061));
	ei = dec(L_PDPT, 0x1e94023);
	ok(ei.kind == PGT_ENT_BAD && ei.why &&
	   !strcmp(ei.why, "reserved bit 1 set in a PDPTE"),
	   "SDM Vol. 3 §4.4.1: a reserved-bit finding names the bit: '%s'",
	   ei.why ? ei.why : "(null)");
	ei = dec(L_PDPT, 0x8000000001e941c7ull);
	ok(ei.kind == PGT_ENT_BAD && ei.why &&
	   !strcmp(ei.why, "reserved bits 1, 2, 6, 7, 8, 63 set in a PDPTE"),
	   "SDM Vol. 3 §4.4.1: every reserved bit is named (NX is reserved in a PDPTE): '%s'",
	   ei.why ? ei.why : "(null)");
	ei = dec(L_PD, 0x2f000e5);
	ok(ei.kind == PGT_ENT_BAD && ei.why &&
	   !strcmp(ei.why, "reserved bit 20 set in a 2 MiB PDE"),
	   "SDM Vol. 3 Table 4-9: bits 13-20 of a 2 MiB PDE are reserved; the finding names bit 20: '%s'",
	   ei.why ? ei.why : "(null)");
	ei = dec(L_PDPT, 0x1e94022);
	ok(ei.kind == PGT_ENT_NOTPRESENT,
	   "SDM Vol. 3 §4.4.1: reserved bits of a PDPTE without P do not matter");
}

static void t_decode_protnone(void)
{
	uint64_t pte = 0x000ffffffeff4160ull, pde = ~0x2e00000ull & HPFN_MASK;
	struct pgt_ent_info ei = dec(L_PT, pte);

	ok(ei.kind == PGT_ENT_LEAF && ei.linux_present && !(ei.hw & PGT_HF_R) &&
	   ei.pa == 0x100b000 && ei.what && !strcmp(ei.what, "PROT_NONE"),
	   "pae.md §2.3: G with P clear is PROT_NONE: present to Linux, frame un-inverted");
	ok(!strcmp(desc(L_PT, pte), "A D PROT_NONE frame=0x100b000"),
	   "pae.md §2.3: decode says PROT_NONE: '%s'", desc(L_PT, pte));
	pde |= 0x1e0;	/* PSE, G (PROTNONE), A, D; P clear */
	ei = dec(L_PD, pde);
	ok(ei.kind == PGT_ENT_LEAF && ei.what && !strcmp(ei.what, "PROT_NONE") &&
	   ei.pa == 0x2e00000 && strstr(desc(L_PD, pde), "PROT_NONE"),
	   "thp.md §2.5: a huge PMD with PROTNONE and P clear is PROT_NONE: '%s'",
	   desc(L_PD, pde));
	ok(strstr(desc(L_PD, 0x30f3167), " G ") != NULL,
	   "pae.md §2: bit 8 of a present table PDE is G, not PROT_NONE");
}

int main(void)
{
	t_levels();
	t_pgd_alloc();
	t_pte_values();
	t_thp();
	t_free_pgtables();
	t_flushes();
	t_lazy_cpu();
	t_exec_free();
	t_remap();
	t_collapse();
	t_kmap();
	t_thp_more();
	t_mm_ops();
	t_floor_ceiling();
	t_misc();
	t_edges();
	t_decode_swap();
	t_decode_pat();
	t_decode_pdpte();
	t_decode_protnone();
	return done_testing();
}
