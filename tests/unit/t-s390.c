/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests of the s390 rules (src/arch/s390*.c) driven through the
 * engine.  Every check is named after the reference section it verifies
 * (../shared/reference: s390.md, thp.md, review-6.1.md, invariants.md;
 * ../shared/dumps/README.md for the values seen in the real s390x dump).
 * Operations are built as struct pgt_op and applied with pgt_engine_apply;
 * entries are read back from the simulated memory through the arch's own
 * upper_kind; flushes are the engine's per-kind totals, compared before
 * and after an operation.  Engines run with check on, so the invariants
 * (G*, S*) are verified after every operation as well.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine/engine.h"
#include "arch/s390-priv.h"
#include "../lib/tap.h"
#include "engine-util.h"

#define K 1024ull
#define M (1024ull * 1024ull)
#define T (1024ull * 1024ull * 1024ull * 1024ull)
#define NOENT 0xdeadbeefdeadbeefull

/* ---- events ---- */

#define MAXT 64

struct tab_ev {
	bool alloc;
	int level, half;
	uint64_t pa;
	uint32_t size;
};

static struct {
	struct tab_ev t[MAXT];
	unsigned nt;
	unsigned notes;
	unsigned nstate;
	uint64_t st_old, st_new;
	char st_text[32];
	char note[256];
	int last_result;	/* kind of the last RESULT event (-errno) */
} ev;

static void on_event(void *arg, const struct pgt_event *e)
{
	switch (e->type) {
	case PGT_EV_TABLE_ALLOC:
	case PGT_EV_TABLE_FREE:
		if (ev.nt < MAXT) {
			struct tab_ev *t = &ev.t[ev.nt++];

			t->alloc = e->type == PGT_EV_TABLE_ALLOC;
			t->level = e->level;
			t->half = e->half;
			t->pa = e->pa;
			t->size = e->size;
		}
		break;
	case PGT_EV_RESULT:
		ev.last_result = e->kind;
		break;
	case PGT_EV_NOTE:
		ev.notes++;
		snprintf(ev.note, sizeof(ev.note), "%s", e->text);
		break;
	case PGT_EV_PAGESTATE:
		ev.nstate++;
		ev.st_old = e->old;
		ev.st_new = e->new;
		snprintf(ev.st_text, sizeof(ev.st_text), "%s", e->text);
		break;
	default:
		break;
	}
}

static void ev_reset(void)
{
	memset(&ev, 0, sizeof(ev));
}

/* ---- engines and operations ---- */

static struct pgt_engine *eng(const char *arch, const char *opts)
{
	ev_reset();
	return tu_engine(arch, opts, on_event, NULL);
}

static struct pgt_err last_err;

static int apply(struct pgt_engine *e, struct pgt_op *op)
{
	int rc;

	memset(&last_err, 0, sizeof(last_err));
	op->line = e->m.op_index + 1;
	rc = pgt_engine_apply(e, op, &last_err);
	if (rc && rc != PGT_ERR_INPUT)
		printf("# op %lu failed: %s\n", e->m.op_index, last_err.msg);
	return rc;
}

#define prot_of(s) tu_prot(s)

static int do_alloc(struct pgt_engine *e, uint64_t a, uint64_t l,
		    const char *prot, unsigned flags)
{
	struct pgt_op op = { .kind = PGT_OP_ALLOC, .addr = a, .len = l,
			     .prot = prot_of(prot), .flags = flags };

	return apply(e, &op);
}

static int do_pop(struct pgt_engine *e, uint64_t a, uint64_t l, bool write)
{
	struct pgt_op op = { .kind = PGT_OP_POPULATE, .addr = a, .len = l,
			     .flags = write };

	return apply(e, &op);
}

static int do_prot(struct pgt_engine *e, uint64_t a, uint64_t l,
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

static int do_simple(struct pgt_engine *e, enum pgt_op_kind k, int arg,
		     int sub)
{
	struct pgt_op op = { .kind = k, .arg = arg, .sub = sub };

	return apply(e, &op);
}

static int do_range(struct pgt_engine *e, enum pgt_op_kind k, uint64_t a,
		    uint64_t l, int sub)
{
	struct pgt_op op = { .kind = k, .addr = a, .len = l, .sub = sub };

	return apply(e, &op);
}

#define do_fork(e, id) do_simple((e), PGT_OP_FORK, (id), 0)
#define do_mm(e, id) do_simple((e), PGT_OP_MM, (id), 0)
#define do_exit(e) do_simple((e), PGT_OP_EXIT, 0, 0)
#define do_thread(e, d) do_simple((e), PGT_OP_THREAD, (d), 0)
#define do_attach(e, c) do_simple((e), PGT_OP_CPU, (c), PGT_CPU_ATTACH)
#define do_detach(e, c) do_simple((e), PGT_OP_CPU, (c), PGT_CPU_DETACH)
#define do_idle(e, c) do_simple((e), PGT_OP_CPU, (c), PGT_CPU_IDLE)
#define do_sie(e) do_simple((e), PGT_OP_SIE, 0, 0)
#define do_advise(e, a, l, s) do_range((e), PGT_OP_ADVISE, (a), (l), (s))
#define do_essa(e, a, l, s) do_range((e), PGT_OP_ESSA, (a), (l), (s))
#define do_host(e, a, l, s) do_range((e), PGT_OP_HOST, (a), (l), (s))

/* ---- reading the tables ---- */

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

static uint64_t ent(struct pgt_engine *e, int mm, uint64_t va, int level)
{
	void *s = slot_at(e, pgt_engine_mm(e, mm), va, level);

	return s ? pgt_ent_load(e->m.arch, level, s) : NOENT;
}

static void put(struct pgt_engine *e, int mm, uint64_t va, int level,
		uint64_t v)
{
	pgt_ent_store(e->m.arch, level, slot_at(e, pgt_engine_mm(e, mm), va,
					       level), v);
}

#define PTE(e, mm, va) ent((e), (mm), (va), L_PT)
#define PMD(e, mm, va) ent((e), (mm), (va), L_SGT)

static uint64_t root(struct pgt_engine *e, int mm)
{
	return e->m.rules->mm_root(e, pgt_engine_mm(e, mm));
}

/* ---- flush counting ---- */

static uint64_t fsnap[PGT_FL__COUNT];

static void snap(struct pgt_engine *e)
{
	memcpy(fsnap, e->flush_total, sizeof(fsnap));
}

static uint64_t fd(struct pgt_engine *e, enum pgt_flush_kind k)
{
	return e->flush_total[k] - fsnap[k];
}

static uint64_t fd_all(struct pgt_engine *e)
{
	uint64_t n = 0;
	int k;

	for (k = 0; k < PGT_FL__COUNT; k++)
		n += e->flush_total[k] - fsnap[k];
	return n;
}

static int check_ok(struct pgt_engine *e, struct pgt_err *err)
{
	memset(err, 0, sizeof(*err));
	return pgt_engine_check(e, err);
}

static unsigned half_of_pa(uint64_t pa)
{
	return (unsigned)(pa >> 11) & 1;
}

static uint16_t tag_of(struct pgt_engine *e, uint64_t pa)
{
	return *s390_tag(e, pa);
}

/* ---- s390.md §1.2/§1.3, §4.1/§4.3, §2.1: the levels ---- */

static void test_levels(void)
{
	static const char *const n64[] = { "R1", "R2", "R3", "SGT", "PT" };
	static const char *const l64[] = { "pgd", "p4d", "pud", "pmd", "pte" };
	static const unsigned sh64[] = { 53, 42, 31, 20, 12 };
	static const uint64_t em64[] = { 0x2c, 0x28, 0x24, 0x20, 0x400 };
	const struct pgt_arch *a = &pgt_arch_s390x, *b = &pgt_arch_s390;
	int i;

	ok(a->nlevels == 5 && a->big_endian && a->va_bits == 64,
	   "s390.md §1.3: s390x has 5 levels, big-endian entries");
	for (i = 0; i < 5; i++) {
		const struct pgt_level *L = &a->levels[i];

		is_str(L->name, n64[i], "s390.md §1.3: level %d is %s", i, n64[i]);
		is_str(L->lname, l64[i], "s390.md §1.3: level %s is Linux %s",
		       n64[i], l64[i]);
		is_u64(L->shift, sh64[i], "s390.md §1.1: %s entry spans 2^%u",
		       n64[i], sh64[i]);
		is_u64(L->empty, em64[i], "s390.md §4.1/§4.3/§4.5: empty %s entry = 0x%llx",
		       n64[i], (unsigned long long)em64[i]);
		is_u64(L->table_size, i < 4 ? 16384 : 2048,
		       "s390.md §1.2: %s table is %s", n64[i],
		       i < 4 ? "2048 x 8 B = 16 KiB" : "256 x 8 B = 2 KiB");
		is_u64(L->nentries, i < 4 ? 2048 : 256,
		       "s390.md §1.2: %s table entries", n64[i]);
	}
	is_u64(a->user_limit, 0xfffffffffffff000ull,
	       "s390.md §1.3: TASK_SIZE_MAX = 5-level limit minus one page");
	is_u64(a->mm->thp_order, 8, "thp.md units: s390x huge PMD = 256 pages (1 MiB)");
	ok(b->nlevels == 2 && b->levels[0].entsize == 4 &&
	   b->levels[0].table_size == 8192 && b->levels[0].nentries == 2048 &&
	   b->levels[0].empty == 0x20,
	   "s390.md §2.1: 31-bit segment table 2048 x 4 B = 8 KiB, empty 0x20");
	ok(b->levels[1].entsize == 4 && b->levels[1].table_size == 1024 &&
	   b->levels[1].nentries == 256 && b->levels[1].empty == 0x400,
	   "s390.md §2.1: 31-bit page table 256 x 4 B = 1 KiB, empty 0x400");
	is_u64(b->user_limit, 1ull << 31, "s390.md §2.1: 31-bit TASK_SIZE 2 GiB");
}

/* ---- s390.md §1.3/§1.4/§5.1: a new mm ---- */

static void test_new_mm(void)
{
	struct pgt_engine *e = eng("s390x", NULL);
	struct pgt_mm *mm = pgt_engine_mm(e, 1);
	struct pgt_root_info ri;
	uint8_t *top = pgt_phys(e, mm->top);
	unsigned i, bad = 0;

	is_u64(mm->top_level, L_R3, "s390.md §1.3: a new mm starts with 3 levels (top = R3)");
	for (i = 0; i < 2048; i++)
		bad += be64_ld(top + 8 * i) != 0x24;
	is_u64(bad, 0, "s390.md §5.1: the new top table holds 2048 R3-empty entries 0x24");
	ok(ev.nt >= 1 && ev.t[0].alloc && ev.t[0].level == L_R3 &&
	   ev.t[0].size == 16384 && ev.t[0].half == -1,
	   "s390.md §1.2: pgd_alloc is one 16 KiB CRST table (event)");
	ok((mm->top & 0x3fff) == 0, "s390.md §1.2: CRST tables are order-2 blocks (16 KiB aligned)");
	is_u64(root(e, 1), mm->top | 0x1c7, "s390.md §1.4: 3-level user ASCE = origin|0x1c7");
	e->m.arch->root_decode(root(e, 1), &ri);
	ok(ri.top_level == L_R3 && ri.table == mm->top && ri.entries == 2048 &&
	   !ri.why, "s390.md §1.4: root_decode of the ASCE: R3 table, 2048 entries");
	is_u64(S390_MM(mm)->asce_limit, 1ull << 42, "s390.md §1.3: asce_limit 2^42 (4 TiB)");
	pgt_engine_free(e);
}

/* ---- s390.md §5.3: 3 -> 4 -> 5 levels ---- */

static void test_upgrade(void)
{
	struct pgt_engine *e = eng("s390x", "cpus=4");
	struct pgt_mm *mm = pgt_engine_mm(e, 1);
	uint64_t r3 = mm->top, r2, va4 = 5 * T, va5 = 1ull << 54;
	uint8_t *t;
	unsigned i, bad = 0;

	do_alloc(e, 0x10000000, 64 * K, "rw", 0);
	do_pop(e, 0x10000000, 4 * K, true);
	snap(e);
	do_alloc(e, va4, 64 * K, "rw", 0);
	is_u64(mm->top_level, L_R2, "s390.md §5.3: a mapping above 4 TiB upgrades to 4 levels");
	r2 = mm->top;
	is_u64(root(e, 1), r2 | 0x1cb, "s390.md §1.4: 4-level ASCE = origin|0x1cb");
	t = pgt_phys(e, r2);
	is_u64(be64_ld(t), r3 | 0x0b, "s390.md §5.3: entry 0 of the new R2 table links the old R3 table (origin|0x0b)");
	for (i = 1; i < 2048; i++)
		bad += be64_ld(t + 8 * i) != 0x28;
	is_u64(bad, 0, "s390.md §5.3: the other R2 entries are R2-empty 0x28");
	is_u64(fd(e, PGT_FL_PTLB), 1, "s390.md §5.3: the upgrade purges this CPU's TLB with one PTLB");
	is_u64(fd(e, PGT_FL_IPI), 3, "design.md: the other 3 online CPUs are counted as IPIs");
	is_u64(S390_MM(mm)->asce_limit, 1ull << 53, "s390.md §1.3: asce_limit 2^53 after 3 -> 4");
	do_pop(e, va4, 4 * K, true);
	is_u64(PTE(e, 1, va4) & 0xfff, 0x13f, "s390.md §5.2: a fault above 4 TiB walks the new R2 table");
	is_u64(PTE(e, 1, 0x10000000) & 0xfff, 0x13f, "s390.md §5.3: pages below 4 TiB stay reachable through entry 0");
	snap(e);
	do_alloc(e, va5, 64 * K, "rw", 0);
	is_u64(mm->top_level, L_R1, "s390.md §5.3: a mapping above 8 PiB upgrades to 5 levels");
	is_u64(root(e, 1), mm->top | 0x1cf, "s390.md §1.4: 5-level ASCE = origin|0x1cf");
	is_u64(be64_ld(pgt_phys(e, mm->top)), r2 | 0x0f, "s390.md §5.3: entry 0 of the new R1 table links the R2 table (origin|0x0f)");
	is_u64(fd(e, PGT_FL_PTLB), 1, "s390.md §5.3: 4 -> 5 costs one more PTLB here");
	is_u64(S390_MM(mm)->asce_limit, 0xfffffffffffff000ull, "s390.md §1.3: asce_limit TASK_SIZE_MAX after 4 -> 5");
	do_pop(e, va5, 8 * K, true);
	is_u64(PTE(e, 1, va5 + 4096) & 0xfff, 0x13f, "s390.md §5.2: a fault above 8 PiB walks R1 -> R2 -> R3 -> SGT -> PT");
	is_u64(e->m.rules->mm_prepare_range(e, mm, 0xffffffffffffe000ull, 0x2000),
	       (uint64_t)-ENOMEM, "s390.md §5.3: a mapping ending beyond TASK_SIZE is -ENOMEM");
	ok(ev.notes >= 2 && strstr(ev.note, "4 -> 5 levels"),
	   "s390.md §5.3: the upgrade is reported as a note");
	pgt_engine_free(e);

	/* 3 -> 5 in one call: two tables, one PTLB */
	e = eng("s390x", NULL);
	mm = pgt_engine_mm(e, 1);
	r3 = mm->top;
	snap(e);
	ev_reset();
	do_alloc(e, va5, 4 * K, "rw", 0);
	ok(ev.nt == 2 && ev.t[0].level == L_R2 && ev.t[1].level == L_R1,
	   "s390.md §5.3: 3 -> 5 allocates an R2 and an R1 table");
	r2 = be64_ld(pgt_phys(e, mm->top)) & ~0xfffull;
	ok(be64_ld(pgt_phys(e, mm->top)) == (r2 | 0x0f) &&
	   be64_ld(pgt_phys(e, r2)) == (r3 | 0x0b),
	   "s390.md §5.3: R1[0] -> R2, R2[0] -> the old R3");
	is_u64(fd(e, PGT_FL_PTLB), 1, "s390.md §5.3: 3 -> 5 purges with a single PTLB");
	is_u64(fd(e, PGT_FL_IPI), 0, "design.md: no IPI with one online CPU");
	pgt_engine_free(e);
}

/* ---- s390.md §1.3: fork inherits asce_limit ---- */

static void test_fork_limit(void)
{
	struct pgt_engine *e = eng("s390x", NULL);
	struct pgt_mm *c;
	uint8_t *t;
	unsigned i, bad = 0;

	do_alloc(e, 5 * T, 64 * K, "rw", 0);
	do_pop(e, 5 * T, 4 * K, true);
	do_fork(e, 2);
	c = pgt_engine_mm(e, 2);
	is_u64(c->top_level, L_R2, "s390.md §1.3: the fork child inherits the parent's 4 levels");
	is_u64(root(e, 2), c->top | 0x1cb, "s390.md §1.3: the child's ASCE designates an R2 table");
	is_u64(S390_MM(c)->asce_limit, 1ull << 53, "s390.md §1.3: the child's asce_limit is the parent's");
	t = pgt_phys(e, c->top);
	for (i = 0; i < 2048; i++)
		bad += i != 1 && be64_ld(t + 8 * i) != 0x28;
	is_u64(bad, 0, "s390.md §1.3: a fresh top table of the matching type (R2-empty 0x28)");
	is_u64(PTE(e, 2, 5 * T) & 0xfff, 0x71b, "s390.md §4.5: the child's copy is old and write-protected (0x71b)");
	pgt_engine_free(e);
}

/* ---- s390.md §4.5: PTE values ---- */

static void test_pte_values(void)
{
	struct pgt_engine *e = eng("s390x", "thp=never");
	const struct pgt_arch *a = e->m.arch;
	struct s390_priv *p = s390_priv(e);
	uint64_t v;
	int f;

	do_alloc(e, 0x10000000, 64 * K, "rw", 0);
	do_pop(e, 0x10000000, 4 * K, false);
	is_u64(PTE(e, 1, 0x10000000), (p->zero_pfn << 12) | 0x355,
	       "s390.md §4.5: read fault on private anon -> zero page pfn|0x355");
	do_pop(e, 0x10003000, 4 * K, false);
	is_u64(PTE(e, 1, 0x10003000), ((p->zero_pfn + 3) << 12) | 0x355,
	       "s390.md §4.5: the zero page has the colour of the address (va page 3)");
	do_pop(e, 0x10001000, 4 * K, true);
	v = PTE(e, 1, 0x10001000);
	ok((v & 0xfff) == 0x13f && v >> 12 != p->zero_pfn,
	   "s390.md §4.5: write fault -> new page pfn|0x13f");
	snap(e);
	do_pop(e, 0x10000000, 4 * K, true);
	is_u64(PTE(e, 1, 0x10000000) & 0xfff, 0x13f, "s390.md §6.6: write to the zero page copies: pfn|0x13f");
	is_u64(fd(e, PGT_FL_IPTE_LOCAL), 1, "s390.md §6.6: COW of a valid PTE: ptep_clear_flush, one local IPTE");
	do_fork(e, 2);
	is_u64(PTE(e, 1, 0x10001000) & 0xfff, 0x31f, "s390.md §4.5 / dump README: after fork the parent PTE is 0x31f");
	is_u64(PTE(e, 2, 0x10001000) & 0xfff, 0x71b, "s390.md §4.5: the child PTE is old (I set): 0x71b");
	is_u64(PTE(e, 2, 0x10003000) & 0xfff, 0x751, "s390.md §4.5: the child's zero page PTE is old: 0x751");
	pgt_engine_free(e);

	e = eng("s390x", "thp=never");
	do_alloc(e, 0x10000000, 64 * K, "rw", 0);
	do_pop(e, 0x10000000, 8 * K, true);
	do_prot(e, 0x10000000, 4 * K, "r");
	is_u64(PTE(e, 1, 0x10000000) & 0xfff, 0x31f, "s390.md §4.5: mprotect(PROT_READ) of 0x13f -> 0x31f");
	do_prot(e, 0x10001000, 4 * K, "");
	is_u64(PTE(e, 1, 0x10001000) & 0xfff, 0x60f, "s390.md §4.5: mprotect(PROT_NONE) of 0x13f -> 0x60f (I and P set)");
	do_prot(e, 0x10000000, 8 * K, "rw");
	is_u64(PTE(e, 1, 0x10001000) & 0xfff, 0x13f, "mm-ops.md §4.3: mprotect(rw) of an exclusive dirty page writes it back: 0x13f");
	do_alloc(e, 0x20000000, 4 * K, "rx", PGT_MAP_FILE);
	do_pop(e, 0x20000000, 4 * K, false);
	is_u64(PTE(e, 1, 0x20000000) & 0xfff, 0x215, "s390.md §4.5 / dump README: read fault on r-x text -> 0x215");
	do_alloc(e, 0x30000000, 4 * K, "rw", PGT_MAP_SHARED);
	do_pop(e, 0x30000000, 4 * K, true);
	is_u64(PTE(e, 1, 0x30000000) & 0xfff, 0x13f, "s390.md §4.5: write fault on shared anon (PAGE_RW) -> 0x13f");
	pgt_engine_free(e);

	e = eng("s390x", "nx=off thp=never");
	p = s390_priv(e);
	do_alloc(e, 0x10000000, 64 * K, "rw", 0);
	do_pop(e, 0x10000000, 4 * K, true);
	do_pop(e, 0x10001000, 4 * K, false);
	is_u64(PTE(e, 1, 0x10000000) & 0xfff, 0x03f, "s390.md §4.4 / S12: without facility 130 no IEP: 0x03f");
	is_u64(PTE(e, 1, 0x10001000), ((p->zero_pfn + 1) << 12) | 0x255, "s390.md §4.4 / S12: zero page without IEP: 0x255");
	pgt_engine_free(e);

	/* the helpers themselves */
	is_u64(a->mm->pte_mkold(0x13f), 0x53b, "s390.md §4.5: mkold clears YOUNG, sets I");
	is_u64(a->mm->pte_mkyoung(0x71b), 0x31f, "s390.md §4.5: mkyoung sets YOUNG, clears I when READ");
	is_u64(a->mm->pte_mkyoung(0x60f), 0x60f, "s390.md §4.5: mkyoung of PROT_NONE keeps I");
	is_u64(a->mm->pte_mkclean(0x13f), 0x337, "s390.md §4.5: mkclean clears DIRTY, sets P");
	is_u64(a->mm->pte_mkdirty(0x335), 0x13f, "s390.md §4.5: mkdirty sets DIRTY+SOFT_DIRTY, clears P when WRITE");
	is_u64(a->mm->pte_mkdirty(0x315), 0x31f, "s390.md §4.5: mkdirty of a read-only PTE keeps P");
	is_u64(a->mm->pte_wrprotect(0x13f), 0x31f, "s390.md §4.5: wrprotect clears WRITE, sets P");
	is_u64(a->mm->pte_mkwrite(0x31f), 0x13f, "s390.md §4.5: mkwrite of a dirty PTE clears P");
	is_u64(a->mm->pte_mkwrite(0x315), 0x335, "s390.md §4.5: mkwrite of a clean PTE keeps P");
	is_u64(a->mm->mk_pte(NULL, 0x3bb7, 0x611), 0x3bb7215, "s390.md §4.5: mk_pte applies mkyoung (PAGE_RX -> 0x215)");
	e = eng("s390x", NULL);
	{
		static const struct { unsigned f; uint64_t v; const char *n; } pm[] = {
			{ 0, 0x601, "none" }, { VM_READ, 0x711, "R" },
			{ VM_WRITE, 0x711, "W" }, { VM_READ | VM_WRITE, 0x711, "RW" },
			{ VM_EXEC, 0x611, "X" }, { VM_EXEC | VM_READ, 0x611, "XR" },
			{ VM_EXEC | VM_WRITE, 0x611, "XW" },
			{ VM_EXEC | VM_READ | VM_WRITE, 0x611, "XRW" },
			{ VM_SHARED, 0x601, "shared none" },
			{ VM_SHARED | VM_READ, 0x711, "shared R" },
			{ VM_SHARED | VM_WRITE, 0x731, "shared W" },
			{ VM_SHARED | VM_READ | VM_WRITE, 0x731, "shared RW" },
			{ VM_SHARED | VM_EXEC, 0x611, "shared X" },
			{ VM_SHARED | VM_EXEC | VM_READ, 0x611, "shared XR" },
			{ VM_SHARED | VM_EXEC | VM_WRITE, 0x631, "shared XW" },
			{ VM_SHARED | VM_EXEC | VM_READ | VM_WRITE, 0x631, "shared XRW" },
		};

		for (f = 0; f < (int)(sizeof(pm) / sizeof(pm[0])); f++)
			is_u64(a->mm->vm_prot(e, pm[f].f), pm[f].v,
			       "s390.md §4.5: protection_map %s -> 0x%llx",
			       pm[f].n, (unsigned long long)pm[f].v);
	}
	is_u64(a->mm->pte_access_ok(e, 0x31f, false) + 2 * a->mm->pte_access_ok(e, 0x31f, true), 1,
	       "s390.md §4.5: 0x31f allows reads, not writes");
	is_u64(a->mm->pte_access_ok(e, 0x71b, false), 0, "s390.md §4.5: an old PTE (I set) faults on reads");
	is_u64(a->mm->pte_access_ok(e, 0x13f, true), 1, "s390.md §4.5: 0x13f allows writes");
	pgt_engine_free(e);
}

/* ---- dumps/README.md: eight coloured zero pages ---- */

static void test_zero_pages(void)
{
	struct pgt_engine *e = eng("s390x", NULL);
	struct s390_priv *p = s390_priv(e);
	unsigned i, bad = 0;

	is_u64(p->nzero, 8, "dump README: eight coloured zero pages");
	is_u64(p->zero_pfn & 7, 0, "dump README: the zero pages are 8-page aligned (PFN 0x1800-0x1807 in A1)");
	for (i = 0; i < 9; i++) {
		struct sim_frame *f = simmem_frame(&e->m.mem, (p->zero_pfn + (i & 7)) << 12);

		bad += e->m.rules->zero_pfn(e, (uint64_t)i << 12) != p->zero_pfn + (i & 7);
		bad += !(f->flags & SIMF_ZERO);
	}
	is_u64(bad, 0, "s390.md §4.5: zero_pfn(va) = base + ((va >> 12) & 7), frames marked zero");
	pgt_engine_free(e);
}

/* ---- dumps/README.md values through the walker face ---- */

static void test_decode(void)
{
	const struct pgt_arch *a = &pgt_arch_s390x;
	struct pgt_ent_info ei;
	struct pgt_root_info ri;
	char buf[160];

	a->root_decode(0x26941c7, &ri);
	ok(ri.top_level == L_R3 && ri.table == 0x2694000 && ri.entries == 2048 && !ri.why,
	   "dump README: user ASCE 0x26941c7 = R3 table 0x2694000, 2048 entries");
	a->root_decode(0x1290007, &ri);
	ok(ri.top_level == L_R3 && ri.table == 0x1290000 && !ri.why,
	   "dump README: kernel ASCE 0x1290007 = R3 table 0x1290000");
	a->root_decode(0x26941e7, &ri);
	ok(ri.why != NULL, "s390.md §1.4: an ASCE with the real-space bit is malformed");
	a->root_decode(0x26941c5, &ri);
	ok(ri.why != NULL && ri.entries == 1024, "s390.md §1.2: TL != 3 is reported (Linux uses TL 3)");
	a->root_decode(0x26941cf, &ri);
	ok(ri.top_level == L_R1, "s390.md §1.4: DT 3 designates an R1 table");

	a->entry_decode(L_R3, 0x2678007, &ei);
	ok(ei.kind == PGT_ENT_TABLE && ei.next == 0x2678000 && ei.next_entries == 2048,
	   "dump README: R3 entry 0x2678007 -> segment table 0x2678000");
	a->entry_describe(L_R3, 0x2678007, buf, sizeof(buf));
	is_str(buf, "origin=0x2678000 TT=R3 TL=3", "s390.md §4.1: describe an R3 entry");
	a->entry_decode(L_SGT, 0x26b2800, &ei);
	ok(ei.kind == PGT_ENT_TABLE && ei.next == 0x26b2800 && ei.next_entries == 256 && !ei.deny,
	   "dump README: segment entry 0x26b2800 -> upper-half page table 0x26b2800");
	a->entry_describe(L_SGT, 0x26b2800, buf, sizeof(buf));
	is_str(buf, "origin=0x26b2800 TT=SGT", "s390.md §4.3: describe a segment entry");
	a->entry_decode(L_SGT, 0x26b2a00, &ei);
	ok(ei.kind == PGT_ENT_TABLE && ei.deny == PGT_HF_W, "s390.md §4.3: a segment P bit denies writes below");

	a->entry_decode(L_PT, 0x3bb7215, &ei);
	ok(ei.kind == PGT_ENT_LEAF && ei.pa == 0x3bb7000 && ei.size == 4096 &&
	   ei.hw == (PGT_HF_R | PGT_HF_X | PGT_HF_A) && ei.linux_present,
	   "dump README: PTE 0x215 (text) = r-x, young");
	a->entry_describe(L_PT, 0x3bb7215, buf, sizeof(buf));
	is_str(buf, "pfn=0x3bb7 I=0 P=1 IEP=0 sw=present,young,read", "dump README: describe 0x215 as the truth's pte_sw");
	a->entry_decode(L_PT, 0x3bb713f, &ei);
	is_u64(ei.hw, PGT_HF_R | PGT_HF_W | PGT_HF_A | PGT_HF_D, "dump README: PTE 0x13f = rw, young, dirty, no x (IEP)");
	a->entry_describe(L_PT, 0x3bb713f, buf, sizeof(buf));
	is_str(buf, "pfn=0x3bb7 I=0 P=0 IEP=1 sw=present,young,dirty,read,write,soft-dirty",
	       "s390.md §4.4: describe 0x13f");
	a->entry_decode(L_PT, 0x3bb731f, &ei);
	is_u64(ei.hw, PGT_HF_R | PGT_HF_A | PGT_HF_D, "dump README: PTE 0x31f = read-only (P), young, dirty");
	a->entry_decode(L_PT, 0x1800355, &ei);
	is_u64(ei.hw, PGT_HF_R | PGT_HF_A, "dump README: zero page PTE 0x355 = read-only, young");
	a->entry_decode(L_PT, 0x3bb771b, &ei);
	ok(ei.kind == PGT_ENT_LEAF && ei.hw == PGT_HF_D && ei.linux_present,
	   "s390.md §4.5: an old PTE (0x71b) is present to Linux but not to the MMU");
	ok(ei.what && !strcmp(ei.what, "old (invalid until the next access makes it young)"),
	   "s390.md §4.5: translate says why an old PTE is not usable");
	a->entry_decode(L_PT, 0x3bb7601, &ei);
	ok(ei.kind == PGT_ENT_LEAF && ei.linux_present && !ei.hw &&
	   ei.what && !strcmp(ei.what, "PROT_NONE"),
	   "s390.md §4.5: PAGE_NONE (present, invalid, protected, no read bit) is PROT_NONE");
	a->entry_describe(L_PT, 0x3bb7601, buf, sizeof(buf));
	is_str(buf, "pfn=0x3bb7 I=1 P=1 IEP=0 sw=present PROT_NONE",
	       "s390.md §4.5: decode says PROT_NONE");
	a->entry_decode(L_SGT, 0x1100620, &ei);
	ok(ei.kind == PGT_ENT_LEAF && ei.what && !strcmp(ei.what, "PROT_NONE"),
	   "thp.md §2.5: a large segment entry invalid without the read bit is PROT_NONE");
	a->entry_decode(L_PT, 0x5600, &ei);
	ok(ei.kind == PGT_ENT_NOTPRESENT && ei.what && !strcmp(ei.what, "swap entry"),
	   "s390.md §4.5: (pte & 0x201) == 0x200 is a swap entry");
	a->entry_decode(L_PT, 0x400, &ei);
	ok(ei.kind == PGT_ENT_EMPTY, "s390.md §4.5: 0x400 is the empty PTE");
	a->entry_decode(L_PT, 0x3bb7a15, &ei);
	ok(ei.kind == PGT_ENT_BAD && ei.why, "s390.md §4.4: bit 52 set in a valid PTE is bad");
	a->entry_decode(L_SGT, 0x26b2940, &ei);
	ok(ei.kind == PGT_ENT_BAD && ei.why &&
	   !strcmp(ei.why, "reserved bits 55, 57 set in a segment-table entry"),
	   "s390.md §4.3: a reserved-bit finding names the bits (PoP numbering): '%s'",
	   ei.why ? ei.why : "(null)");
	a->entry_decode(L_R3, 0x2678907, &ei);
	ok(ei.kind == PGT_ENT_BAD && ei.why &&
	   !strcmp(ei.why, "reserved bits 52, 55 set in a region entry"),
	   "s390.md §4.1: a region entry's reserved bits named: '%s'",
	   ei.why ? ei.why : "(null)");
	a->entry_decode(L_R3, 0x267800b, &ei);
	ok(ei.kind == PGT_ENT_BAD && ei.why, "s390.md §4.1: an R2-type entry in an R3 table is bad (TT mismatch)");
	a->entry_decode(L_R2, 0x2678007, &ei);
	ok(ei.kind == PGT_ENT_BAD, "s390.md §4.1: an R3-type entry in an R2 table is bad");
	a->entry_decode(L_SGT, 0x26b2820, &ei);
	ok(ei.kind == PGT_ENT_BAD, "s390.md §4.3: a segment entry with I set that is not 0x20 is bad");
	a->entry_decode(L_R3, 0x2678027, &ei);
	ok(ei.kind == PGT_ENT_BAD, "s390.md §4.1: an R3 entry with I set that is not 0x24 is bad");
	a->entry_decode(L_R1, 0x2c, &ei);
	ok(ei.kind == PGT_ENT_EMPTY, "s390.md §4.1: 0x2c is the empty R1 entry");
	a->entry_decode(L_SGT, 0x1107503, &ei);
	ok(ei.kind == PGT_ENT_LEAF && ei.size == M && ei.pa == 0x1100000 &&
	   ei.hw == (PGT_HF_R | PGT_HF_W | PGT_HF_A | PGT_HF_D),
	   "thp.md §2.5: large segment entry 0x7503 = 1 MiB rw, young, dirty");
	a->entry_describe(L_SGT, 0x1107503, buf, sizeof(buf));
	is_str(buf, "frame=0x1100000 FC=1 I=0 P=0 IEP=1 sw=read,write,young,dirty,soft-dirty",
	       "thp.md §2.5: describe a large segment entry");
	is_u64(a->mm->leaf_state(NULL, L_PT, 0x1800355), PGT_PS_ZERO, "dump README: special read-only PTE = the zero page");
	is_u64(a->mm->leaf_state(NULL, L_PT, 0x3bb713f), PGT_PS_RW, "s390.md §4.5: 0x13f is writable");
	is_u64(a->mm->leaf_state(NULL, L_PT, 0x3bb731f), PGT_PS_RO, "s390.md §4.5: 0x31f is read-only");
	is_u64(a->mm->leaf_state(NULL, L_PT, 0x3bb760f), PGT_PS_PROTNONE, "s390.md §4.5: 0x60f is PROT_NONE");
	is_u64(a->mm->leaf_state(NULL, L_PT, 0x5600), PGT_PS_SWAP, "s390.md §4.5: a swap entry");
	is_u64(a->mm->leaf_state(NULL, L_SGT, 0x1107620), PGT_PS_HPROTNONE, "thp.md §2.5: 0x7620 is a PROT_NONE huge PMD");
}

/* ---- s390.md §3.2: 2 KiB fragments (s390-v4.13+) ---- */

static unsigned lev_events(int level, struct tab_ev *out, unsigned max)
{
	unsigned i, n = 0;

	for (i = 0; i < ev.nt && n < max; i++)
		if (ev.t[i].level == level)
			out[n++] = ev.t[i];
	return n;
}

static void test_fragments(void)
{
	struct pgt_engine *e = eng("s390x", "thp=never");
	struct pgt_mm *mm = pgt_engine_mm(e, 1);
	struct s390_mm *sm = S390_MM(mm);
	struct tab_ev t[8];
	struct pgt_gather g;
	struct pgt_err err;
	uint64_t P, Q, R, x, y;
	unsigned n;

	do_alloc(e, 0x10000000, 8 * M, "rw", 0);
	ev_reset();
	do_pop(e, 0x10000000, 4 * K, true);
	do_pop(e, 0x10100000, 4 * K, true);
	do_pop(e, 0x10200000, 4 * K, true);
	n = lev_events(L_PT, t, 8);
	ok(n == 3, "s390.md §3.2: three page tables allocated");
	P = t[0].pa;
	ok(t[0].alloc && t[0].half == 0 && t[0].size == 2048 && !(P & 0xfff),
	   "s390.md §3.2: the first table is the lower 2 KiB half of a fresh page");
	ok(t[1].half == 1 && t[1].pa == P + 2048 && t[1].size == 2048,
	   "s390.md §3.2: the second table is the upper half of the same page");
	Q = t[2].pa;
	ok(t[2].half == 0 && (Q & ~0xfffull) != P && !(Q & 0xfff),
	   "s390.md §3.2: the third table takes a new page");
	is_u64(PMD(e, 1, 0x10100000), P + 2048, "s390.md §4.3: segment entry = origin of the upper half");
	is_u64(tag_of(e, P), TAG_PT | TAG_A(0) | TAG_A(1), "s390.md §3.2: a full page has A0 and A1 set");
	ok(!s390_list_has(sm, P) && s390_list_has(sm, Q),
	   "s390.md §3.2: a full page leaves pgtable_list, a half-used one is on it");
	do_pop(e, 0x10300000, 4 * K, true);
	is_u64(PMD(e, 1, 0x10300000), Q + 2048, "s390.md §3.2: allocation prefers the first listed page");

	/* deferred free of P's upper half: A -> P, no reuse until release */
	x = P + 2048;
	put(e, 1, 0x10100000, L_PT, 0x400);	/* G9: freed tables are empty */
	mm->rss--;
	pgt_gather_init(e, &g, mm, false);
	e->m.rules->upper_clear(e, &g, L_SGT, 0x10100000, slot_at(e, mm, 0x10100000, L_SGT));
	pgt_gather_table(&g, L_PT, x, 0x10100000);
	is_u64(tag_of(e, P), TAG_PT | TAG_A(0) | TAG_P(1), "s390.md §3.2 rule 3: pte_free_tlb clears A1 and sets P1");
	ok(sm->nlist == 1 && sm->list[0] == P, "s390.md §3.2 rule 3: the page is relinked (list_add_tail)");
	ok(sm->flush_mm, "s390.md §5.1: pte_free_tlb sets flush_mm");
	ev_reset();
	e->m.rules->table_alloc(e, mm, L_PT, &R);
	ok((R & ~0xfffull) != P && !(R & 0xfff), "s390.md §3.2 rule 1: a pending half is not reused (new page)");
	snap(e);
	pgt_gather_finish(&g);
	is_u64(fd(e, PGT_FL_IDTE_ASCE), 1, "s390.md §6.6: the gather flushes (IDTE by ASCE) before the release");
	is_u64(tag_of(e, P), TAG_PT | TAG_A(0), "s390.md §3.2 rule 3: the release clears P1");
	ok(ev.nt >= 1 && !ev.t[ev.nt - 1].alloc && ev.t[ev.nt - 1].pa == x &&
	   ev.t[ev.nt - 1].half == 1, "s390.md §3.2: the TABLE_FREE event names the half after the flush");
	e->m.rules->table_alloc(e, mm, L_PT, &y);
	is_u64(y, R + 2048, "s390.md §3.2: the next table is the other half of the first listed page");
	e->m.rules->table_alloc(e, mm, L_PT, &x);
	is_u64(x, P + 2048, "s390.md §3.2: after the release the upper half of P is reused");
	/* immediate free (pte_free): both halves of R go, the page too */
	e->m.rules->table_free(e, mm, L_PT, y);
	is_u64(tag_of(e, R), TAG_PT | TAG_A(0), "s390.md §3.2 rule 2: pte_free clears A at once");
	ok(s390_list_has(sm, R) && sm->list[0] == R, "s390.md §3.2 rule 2: a page with one half left goes to the list head");
	e->m.rules->table_free(e, mm, L_PT, R);
	ok(!s390_list_has(sm, R) && !(simmem_frame(&e->m.mem, R)->flags & SIMF_ALLOCATED),
	   "s390.md §3.2 rule 2: the page is freed when both halves are");
	e->m.rules->table_free(e, mm, L_PT, x);
	ok(check_ok(e, &err) == 0, "invariants.md S5: the fragment bookkeeping is consistent again");
	if (err.status)
		printf("# %s\n", err.msg);

	/* munmap frees a table through the gather (one IDTE), and exit */
	ev_reset();
	snap(e);
	do_unmap(e, 0x10000000, 2 * M);
	n = lev_events(L_PT, t, 8);
	ok(n == 1 && !t[0].alloc && t[0].pa == P, "s390.md §5.1: munmap of 2 MiB frees the table of its first MiB");
	is_u64(fd(e, PGT_FL_IDTE_ASCE), 1, "s390.md §6.6: munmap, one CPU: one IDTE by ASCE");
	is_u64(fd(e, PGT_FL_IPTE) + fd(e, PGT_FL_IPTE_LOCAL), 0, "s390.md §6.6: munmap, one CPU: no IPTE");
	pgt_engine_free(e);
}

/* ---- s390.md §3.2 profile s390-v6.8+, §3.3 PGSTEs ---- */

static void test_whole_tables(void)
{
	struct pgt_engine *e = eng("s390x", "profile=s390-v6.8+ thp=never");
	struct tab_ev t[4];
	uint8_t *p;
	unsigned i, n, nz = 0;

	do_alloc(e, 0x10000000, 4 * M, "rw", 0);
	ev_reset();
	do_pop(e, 0x10000000, 4 * K, true);
	do_pop(e, 0x10100000, 4 * K, true);
	n = lev_events(L_PT, t, 4);
	ok(n == 2 && t[0].half == -1 && t[0].size == 4096 && !(t[0].pa & 0xfff) &&
	   !(t[1].pa & 0xfff) && t[1].pa != t[0].pa,
	   "s390.md §3.2 s390-v6.8+: every page table is a 4 KiB page of its own");
	p = pgt_phys(e, t[0].pa);
	for (i = 2048; i < 4096; i++)
		nz += p[i] != 0;
	is_u64(nz, 0, "s390.md §3.2 s390-v6.8+: the second 2 KiB are zero");
	is_u64(PMD(e, 1, 0x10000000), t[0].pa, "s390.md §4.3: the segment entry is the 4 KiB table's address");
	pgt_engine_free(e);

	e = eng("s390x", "pgste=on thp=never");
	do_alloc(e, 0x10000000, 4 * M, "rw", 0);
	ev_reset();
	do_pop(e, 0x10000000, 4 * K, true);
	do_pop(e, 0x10100000, 4 * K, true);
	n = lev_events(L_PT, t, 4);
	ok(n == 2 && t[0].size == 4096 && t[1].pa != t[0].pa + 2048 && !(t[1].pa & 0xfff),
	   "s390.md §3.2 rule 5: an mm with PGSTEs gets whole 4 KiB tables");
	is_u64(tag_of(e, t[0].pa), TAG_PT | TAG_WHOLE | TAG_A(0) | TAG_A(1),
	       "s390.md §3.2 rule 5: both A bits set, never listed");
	p = pgt_phys(e, t[0].pa);
	for (i = 2048, nz = 0; i < 4096; i++)
		nz += p[i] != 0;
	is_u64(nz, 0, "s390.md §3.3: the 256 PGSTEs start zeroed");
	pgt_engine_free(e);
}

/* ---- s390.md §6.4-§6.6 and review-6.1.md: flush decisions ---- */

static void populated(struct pgt_engine *e, unsigned pages)
{
	do_alloc(e, 0x10000000, 1 * M, "rw", 0);
	do_advise(e, 0x10000000, 1 * M, PGT_ADV_NOHUGEPAGE);
	do_pop(e, 0x10000000, pages * 4 * K, true);
}

static void test_flushes(void)
{
	struct pgt_engine *e;
	struct pgt_mm *mm;

	/* one CPU: mprotect = plain stores + one IDTE by ASCE */
	e = eng("s390x", NULL);
	populated(e, 16);
	snap(e);
	do_prot(e, 0x10000000, 64 * K, "r");
	is_u64(fd(e, PGT_FL_IDTE_ASCE), 1, "s390.md §6.6: mprotect on one CPU: one IDTE by ASCE at tlb_finish_mmu");
	is_u64(fd_all(e), 1, "s390.md §6.6: mprotect on one CPU: plain I stores, no IPTE");
	snap(e);
	do_prot(e, 0x10000000, 64 * K, "r");
	is_u64(fd_all(e), 0, "mm-ops.md §4: mprotect to the same flags changes nothing (mprotect_fixup)");
	do_fork(e, 2);
	do_mm(e, 2);
	snap(e);
	do_prot(e, 0x10000000, 64 * K, "");
	is_u64(fd_all(e), 0, "s390.md §6.4: the child's PTEs are old (I set): no flush at all");
	do_mm(e, 1);
	do_thread(e, 1);
	snap(e);
	do_prot(e, 0x10000000, 64 * K, "rw");
	ok(fd(e, PGT_FL_IPTE) == 0 && fd(e, PGT_FL_IDTE_ASCE) == 1,
	   "review-6.1.md 8: a second thread not running elsewhere changes nothing (one IDTE)");
	pgt_engine_free(e);

	/* two CPUs attached: one IPTE per valid PTE */
	e = eng("s390x", "cpus=2");
	populated(e, 16);
	do_attach(e, 1);
	snap(e);
	do_prot(e, 0x10000000, 64 * K, "r");
	is_u64(fd(e, PGT_FL_IPTE), 16, "s390.md §6.6 / S13: attached on two CPUs: one global IPTE per valid PTE");
	is_u64(fd(e, PGT_FL_IDTE_ASCE), 0, "s390.md §6.6: no deferred flush when every PTE used IPTE");
	snap(e);
	do_fork(e, 2);
	is_u64(fd(e, PGT_FL_IPTE), 0, "s390.md §6.6: fork of read-only PTEs: nothing to write-protect");
	do_prot(e, 0x10000000, 64 * K, "rw");
	do_pop(e, 0x10000000, 4 * K, true);
	snap(e);
	do_pop(e, 0x10001000, 4 * K, true);
	is_u64(fd(e, PGT_FL_IPTE), 1, "s390.md §6.4: COW with another CPU in mm_cpumask: global IPTE (direct)");
	snap(e);
	do_unmap(e, 0x10000000, 1 * M);
	ok(fd(e, PGT_FL_IPTE) == 16 && fd(e, PGT_FL_IDTE_ASCE) == 1,
	   "s390.md §6.6 / review-6.1.md 9: munmap on two CPUs: IPTE per valid PTE, the freed table costs one IDTE");
	pgt_engine_free(e);

	/* fork: lazy write-protect */
	e = eng("s390x", NULL);
	populated(e, 16);
	snap(e);
	do_fork(e, 2);
	ok(fd(e, PGT_FL_IPTE) == 0 && fd(e, PGT_FL_IDTE_ASCE) == 1,
	   "s390.md §6.6: fork on one CPU: plain stores, one IDTE at flush_tlb_mm");
	snap(e);
	do_pop(e, 0x10000000, 4 * K, true);
	is_u64(fd(e, PGT_FL_IPTE_LOCAL), 1, "s390.md §6.4: COW on one CPU: local IPTE (TLB_LC)");
	snap(e);
	do_exit(e);
	ok(fd(e, PGT_FL_IDTE_ASCE) == 1 && fd(e, PGT_FL_IPTE) == 0,
	   "s390.md §6.6: exit_mmap: plain stores, one IDTE before the tables go");
	pgt_engine_free(e);

	e = eng("s390x", "cpus=2");
	populated(e, 16);
	do_attach(e, 1);
	snap(e);
	do_fork(e, 2);
	ok(fd(e, PGT_FL_IPTE) == 16 && fd(e, PGT_FL_IDTE_ASCE) == 0,
	   "s390.md §6.6: fork on two CPUs: one IPTE per writable PTE");
	snap(e);
	do_exit(e);
	ok(fd(e, PGT_FL_IPTE) == 0 && fd(e, PGT_FL_IDTE_ASCE) == 1,
	   "s390.md §6.5: exit (full) stores plainly even with two CPUs");
	pgt_engine_free(e);

	/* no IDTE: CSP */
	e = eng("s390x", "idte=off");
	populated(e, 4);
	snap(e);
	do_prot(e, 0x10000000, 16 * K, "r");
	ok(fd(e, PGT_FL_CSP) == 1 && fd(e, PGT_FL_IDTE_ASCE) == 0,
	   "s390.md §6.5: without IDTE the deferred flush is a CSP purge");
	pgt_engine_free(e);

	/* S10: mm_cpumask over-indicates until the next full flush */
	e = eng("s390x", "cpus=2");
	mm = pgt_engine_mm(e, 1);
	populated(e, 4);
	do_fork(e, 2);
	do_attach(e, 1);
	do_detach(e, 1);
	ok(mm->cpumask == 3 && mm->cpu_attach == 1,
	   "s390.md §6.3 / S10: after switching away CPU 1 stays in mm_cpumask");
	snap(e);
	do_pop(e, 0x10000000, 4 * K, true);
	is_u64(fd(e, PGT_FL_IPTE), 1, "s390.md §6.4: direct path with a stale mm_cpumask bit: global IPTE");
	do_prot(e, 0x10000000, 16 * K, "r");
	is_u64(mm->cpumask, 1, "s390.md §6.5: __tlb_flush_mm resets mm_cpumask to cpu_attach_mask");
	do_prot(e, 0x10000000, 16 * K, "rw");
	snap(e);
	do_pop(e, 0x10001000, 4 * K, true);
	is_u64(fd(e, PGT_FL_IPTE_LOCAL), 1, "s390.md §6.4: then COW is a local IPTE again");
	pgt_engine_free(e);
}

/*
 * review-6.1.md "Checked on a real kernel" / s390.md §6.4: a CPU that went
 * idle keeps the mm in cpu_attach_mask (the idle task has no mm:
 * context_switch only calls enter_lazy_tlb, a no-op on s390), so
 * ptep_flush_lazy (arch/s390/mm/pgtable.c, 6.1) never sees "only this CPU
 * attached": every valid PTE costs a global IPTE instead of the deferred
 * IDTE by ASCE.
 */
static void test_idle_cpu(void)
{
	struct pgt_engine *e;
	struct pgt_mm *mm;

	e = eng("s390x", "cpus=2");
	mm = pgt_engine_mm(e, 1);
	populated(e, 16);
	do_attach(e, 1);
	ok(do_idle(e, 1) == PGT_OK && mm->cpu_attach == 3 && e->m.self == 0,
	   "review-6.1.md (idle CPU): cpu idle 1 keeps CPU 1 in cpu_attach_mask, ops run on CPU 0");
	snap(e);
	do_prot(e, 0x10000000, 64 * K, "r");
	ok(fd(e, PGT_FL_IPTE) == 16 && fd(e, PGT_FL_IDTE_ASCE) == 0,
	   "s390.md §6.4/§6.6 (idle CPU 1): mprotect of 16 valid PTEs = 16 global IPTE, no IDTE");
	snap(e);
	do_advise(e, 0x10000000, 32 * K, PGT_ADV_DONTNEED);
	ok(fd(e, PGT_FL_IPTE) == 8 && fd(e, PGT_FL_IDTE_ASCE) == 0,
	   "s390.md §6.6 (idle CPU 1): MADV_DONTNEED of 8 valid PTEs = 8 global IPTE, no IDTE");
	snap(e);
	do_prot(e, 0x10000000, 64 * K, "none");
	ok(fd(e, PGT_FL_IPTE) == 8 && fd_all(e) == 8,
	   "s390.md §6.4 (idle CPU 1): mprotect(PROT_NONE): 8 IPTE for the 8 valid PTEs left, none for empty ones");
	snap(e);
	do_unmap(e, 0x10000000, 1 * M);
	ok(fd(e, PGT_FL_IPTE) == 0 && fd(e, PGT_FL_IDTE_ASCE) == 1,
	   "s390.md §6.6 (idle CPU 1): munmap of PROT_NONE (invalid) PTEs: no IPTE, the freed tables one IDTE");
	pgt_engine_free(e);

	e = eng("s390x", "cpus=2");
	mm = pgt_engine_mm(e, 1);
	populated(e, 16);
	do_attach(e, 1);
	do_idle(e, 1);
	snap(e);
	do_unmap(e, 0x10000000, 1 * M);
	ok(fd(e, PGT_FL_IPTE) == 16 && fd(e, PGT_FL_IDTE_ASCE) == 1,
	   "s390.md §6.6 / review-6.1.md 9 (idle CPU 1): munmap = 16 global IPTE + 1 IDTE for the freed tables");
	do_alloc(e, 0x10000000, 1 * M, "rw", 0);
	do_advise(e, 0x10000000, 1 * M, PGT_ADV_NOHUGEPAGE);
	do_pop(e, 0x10000000, 64 * K, true);
	ok(do_attach(e, 1) == PGT_OK && !(e->m.cpu_idle & 2) && mm->cpu_attach == 3,
	   "cpu attach 1 ends the idle task: CPU 1 runs mm 1 again");
	ok(do_detach(e, 1) == PGT_OK && mm->cpu_attach == 1,
	   "cpu detach 1: CPU 1 switched to another address space");
	snap(e);
	do_prot(e, 0x10000000, 64 * K, "r");
	ok(fd(e, PGT_FL_IPTE) == 0 && fd(e, PGT_FL_IDTE_ASCE) == 1,
	   "s390.md §6.6: detached (not idle), mprotect is back to plain stores + 1 IDTE");
	/* input errors: the last running CPU, twice, a CPU not running it */
	ok(do_idle(e, 0) == PGT_ERR_INPUT &&
	   strstr(last_err.msg, "last CPU running mm 1"),
	   "cpu idle of the last CPU running the mm: input error");
	do_attach(e, 1);
	do_idle(e, 1);
	ok(do_idle(e, 1) == PGT_ERR_INPUT && strstr(last_err.msg, "already idle"),
	   "cpu idle of an idle CPU: input error");
	pgt_engine_free(e);

	/* switching the current mm does not take an idle CPU's mm away */
	e = eng("s390x", "cpus=2");
	mm = pgt_engine_mm(e, 1);
	populated(e, 16);
	do_attach(e, 1);
	do_idle(e, 1);
	do_fork(e, 2);
	do_mm(e, 2);
	do_mm(e, 1);
	ok(mm->cpu_attach == 3 && e->m.self == 0 && (e->m.cpu_idle & 2),
	   "mm 2 then mm 1: mm 1 runs on CPU 0 again, CPU 1 still idle and attached");
	snap(e);
	do_prot(e, 0x10000000, 16 * K, "none");
	is_u64(fd(e, PGT_FL_IPTE), 4, "s390.md §6.4 (idle CPU 1 still attached): 4 global IPTE");
	pgt_engine_free(e);
}

/*
 * exec (fs/exec.c exec_mmap on 6.1) and MADV_FREE (mm/madvise.c
 * madvise_free_pte_range, mm/huge_memory.c madvise_free_huge_pmd).
 */
static void test_exec_free(void)
{
	struct pgt_engine *e;
	struct pgt_mm *mm;
	uint64_t v;

	/* exec: the old mm purged by ASCE, the new one 3 levels again */
	e = eng("s390x", "thp=never");
	do_alloc(e, 0x10000000, 64 * K, "rw", 0);
	do_pop(e, 0x10000000, 64 * K, true);
	do_alloc(e, 5 * T, 64 * K, "rw", 0);
	ok(pgt_engine_mm(e, 1)->top_level == L_R2, "set-up: a mapping above 4 TiB, 4 levels");
	snap(e);
	ok(do_simple(e, PGT_OP_EXEC, 0, 0) == PGT_OK, "exec applies");
	mm = pgt_engine_mm(e, 1);
	ok(mm && !mm->dead && mm->nvma == 0 && mm->rss == 0 && e->m.cur == mm,
	   "mm-ops.md §7 / exec_mmap: mm 1 is a new, empty address space");
	is_u64(mm->top_level, L_R3, "6.1 init_new_context: an exec'd mm starts with 3 levels (asce_limit 4 TiB)");
	ok(fd(e, PGT_FL_IDTE_ASCE) == 1 && fd_all(e) == 1,
	   "s390.md §6.6: exec: the old mm's exit_mmap (fullmm) costs one IDTE by ASCE, nothing else");
	pgt_engine_free(e);

	/* MADV_FREE on one CPU: plain stores, one deferred IDTE */
	e = eng("s390x", "thp=never");
	populated(e, 16);
	snap(e);
	ok(do_advise(e, 0x10000000, 64 * K, PGT_ADV_FREE) == PGT_OK, "advise free applies");
	ok(fd(e, PGT_FL_IDTE_ASCE) == 1 && fd_all(e) == 1,
	   "s390.md §6.4 (lazy) / madvise_free_pte_range: 16 young+dirty PTEs on one CPU = 1 IDTE by ASCE");
	v = ent(e, 1, 0x10000000, L_PT);
	ok((v & 0x400) && (v & 0x200) && !(v & 0x004) && !(v & 0x008),
	   "s390.md §4.5: after MADV_FREE the PTE is old (I set, young clear) and clean (P set, dirty clear)");
	snap(e);
	do_advise(e, 0x10000000, 64 * K, PGT_ADV_FREE);
	is_u64(fd_all(e), 0, "madvise_free_pte_range: old and clean PTEs are left alone: no flush");
	do_pop(e, 0x10000000, 8 * K, true);
	snap(e);
	do_advise(e, 0x10000000, 64 * K, PGT_ADV_FREE);
	is_u64(fd(e, PGT_FL_IDTE_ASCE), 1, "madvise_free_pte_range: two pages written again: 1 IDTE");
	pgt_engine_free(e);

	/* two CPUs: a global IPTE per young or dirty PTE */
	e = eng("s390x", "cpus=2 thp=never");
	populated(e, 16);
	do_attach(e, 1);
	snap(e);
	do_advise(e, 0x10000000, 64 * K, PGT_ADV_FREE);
	ok(fd(e, PGT_FL_IPTE) == 16 && fd(e, PGT_FL_IDTE_ASCE) == 0,
	   "s390.md §6.4: MADV_FREE attached on two CPUs: 16 global IPTE, no IDTE");
	do_alloc(e, 0x20000000, 64 * K, "rw", PGT_MAP_SHARED);
	ok(do_advise(e, 0x20000000, 64 * K, PGT_ADV_FREE) == PGT_OK &&
	   ev.last_result == -EINVAL,
	   "madvise_free_single_vma: shared anonymous memory (shmem) is EINVAL");
	pgt_engine_free(e);

	/* a huge PMD wholly in the range: pmdp_invalidate (IDTE direct) */
	e = eng("s390x", NULL);
	do_alloc(e, 0x10000000, 2 * M, "rw", 0);
	do_pop(e, 0x10000000, 1 * M, true);
	v = ent(e, 1, 0x10000000, L_SGT);
	snap(e);
	do_advise(e, 0x10000000, 1 * M, PGT_ADV_FREE);
	ok(fd(e, PGT_FL_IDTE_LOCAL) == 1 && fd_all(e) == 1,
	   "thp.md §6.2 / madvise_free_huge_pmd: a whole huge PMD = pmdp_invalidate, 1 local IDTE");
	ok(ent(e, 1, 0x10000000, L_SGT) != v, "madvise_free_huge_pmd: the segment entry is made old and clean");
	pgt_engine_free(e);

	/* the 31-bit profile's kernel has no MADV_FREE */
	e = eng("s390", NULL);
	do_alloc(e, 0x10000000, 64 * K, "rw", 0);
	ok(do_advise(e, 0x10000000, 64 * K, PGT_ADV_FREE) == PGT_OK &&
	   ev.last_result == -EINVAL, "s390-2.6.25: MADV_FREE (Linux 4.5) is an unknown advice: EINVAL");
	pgt_engine_free(e);
}

/* mremap (mm/mremap.c on 6.1): s390 has no HAVE_MOVE_PMD, PTEs move one
 * by one through ptep_get_and_clear (the lazy path, s390.md §6.4) */
static int do_remap(struct pgt_engine *e, uint64_t a, uint64_t ol,
		    uint64_t nl, uint64_t na)
{
	struct pgt_op op = { .kind = PGT_OP_REMAP, .addr = a, .len = ol,
			     .newlen = nl, .newaddr = na,
			     .flags = na ? PGT_REMAP_FIXED : 0 };

	return apply(e, &op);
}

static void test_remap(void)
{
	struct pgt_engine *e;
	uint64_t pte, seg;

	e = eng("s390x", "thp=never");
	populated(e, 16);
	pte = ent(e, 1, 0x10001000, L_PT);
	snap(e);
	do_remap(e, 0x10000000, 64 * K, 64 * K, 0x20000000);
	ok(fd(e, PGT_FL_IDTE_ASCE) == 1 && fd_all(e) == 1,
	   "s390.md §6.4 / move_ptes: 16 PTEs on one CPU: plain stores, flush_tlb_range = 1 IDTE by ASCE");
	is_u64(ent(e, 1, 0x20001000, L_PT), pte, "move_ptes: the PTE is set unchanged at the new address");
	do_alloc(e, 0x30000000, 2 * M, "rw", 0);
	do_pop(e, 0x30000000, 1 * M, true);
	seg = ent(e, 1, 0x30000000, L_SGT);
	snap(e);
	do_remap(e, 0x30000000, 1 * M, 1 * M, 0x40000000);
	ok(fd(e, PGT_FL_IDTE_ASCE) == 2 && fd_all(e) == 2,
	   "move_ptes + munmap: 1 IDTE for the moved PTEs, 1 for the old page table freed");
	ok(ent(e, 1, 0x40000000, L_SGT) != seg,
	   "no HAVE_MOVE_PMD on s390: an aligned 1 MiB moves PTE by PTE into a new page table");
	pgt_engine_free(e);

	e = eng("s390x", "cpus=2 thp=never");
	populated(e, 16);
	do_attach(e, 1);
	snap(e);
	do_remap(e, 0x10000000, 64 * K, 64 * K, 0x20000000);
	ok(fd(e, PGT_FL_IPTE) == 16 && fd(e, PGT_FL_IDTE_ASCE) == 0,
	   "s390.md §6.4: move_ptes attached on two CPUs: 16 global IPTE, flush_tlb_range has nothing deferred");
	pgt_engine_free(e);

	/* a huge PMD moves whole: pmdp_xchg_lazy, then the deferred IDTE */
	e = eng("s390x", NULL);
	do_alloc(e, 0x10000000, 1 * M, "rw", 0);
	do_pop(e, 0x10000000, 1 * M, true);
	seg = ent(e, 1, 0x10000000, L_SGT);
	snap(e);
	do_remap(e, 0x10000000, 1 * M, 1 * M, 0x40000000);
	ok(fd(e, PGT_FL_IDTE_ASCE) == 1 && fd_all(e) == 1,
	   "thp.md §6.2 / move_huge_pmd on one CPU: lazy segment invalidation, flush_pmd_tlb_range = 1 IDTE by ASCE");
	is_u64(ent(e, 1, 0x40000000, L_SGT), seg, "move_huge_pmd: the segment entry is set unchanged at the new address");
	pgt_engine_free(e);

	e = eng("s390", NULL);
	do_alloc(e, 0x10000000, 64 * K, "rw", 0);
	ok(do_remap(e, 0x10000000, 64 * K, 64 * K, 0x20000000) == PGT_ERR_UNSUPPORTED,
	   "remap on the 31-bit profile: not modelled, an error");
	pgt_engine_free(e);
}

static bool violated(struct pgt_engine *e, const char *id);

/* MADV_COLLAPSE: s390's pmdp_collapse_flush is pmdp_huge_get_and_clear
 * (pmdp_xchg_lazy) with no flush of its own (6.1 asm/pgtable.h) */
static void test_collapse(void)
{
	struct pgt_engine *e;
	struct pgt_op op = { .kind = PGT_OP_COLLAPSE, .addr = 0x10000000,
			     .len = 1 * M };

	e = eng("s390x", "thp=never cpus=2");
	do_alloc(e, 0x10000000, 1 * M, "rw", 0);
	do_pop(e, 0x10000000, 64 * K, true);
	do_attach(e, 1);
	snap(e);
	ok(apply(e, &op) == PGT_OK && ev.last_result == 0 &&
	   fd(e, PGT_FL_IDTE) == 1 && fd_all(e) == 1,
	   "thp.md §6.2 / collapse_huge_page on two CPUs: pmdp_xchg_lazy = 1 global IDTE");
	ok((ent(e, 1, 0x10000000, L_SGT) & 0x400) && pgt_engine_mm(e, 1)->rss == 256,
	   "collapse_huge_page: a large segment entry (FC) maps the 256 pages");
	pgt_engine_free(e);

	/* one CPU: the lazy path defers the flush, and nothing runs it */
	e = eng("s390x", "thp=never");
	e->check = false;
	do_alloc(e, 0x10000000, 1 * M, "rw", 0);
	do_pop(e, 0x10000000, 64 * K, true);
	snap(e);
	apply(e, &op);
	ok(fd_all(e) == 0 && violated(e, "S8"),
	   "6.1 MADV_COLLAPSE on one CPU: plain I store, flush_mm left set: --check reports S8 (UNVERIFIED on hardware)");
	pgt_engine_free(e);
}

/* ---- thp.md §2.4-§2.5, §4.3, §6.2: huge PMDs ---- */

static uint64_t link(struct pgt_engine *e, uint64_t pt, unsigned slot)
{
	return be64_ld((uint8_t *)pgt_phys(e, pt) + 8 * slot);
}

static void test_thp(void)
{
	struct pgt_engine *e = eng("s390x", NULL);
	struct tab_ev t[8];
	uint64_t A, B, C, v;
	unsigned n, i, bad;

	do_alloc(e, 0x40000000, 4 * M, "rw", 0);
	ev_reset();
	do_pop(e, 0x40000000, 1 * M, true);
	v = PMD(e, 1, 0x40000000);
	ok((v & 0xfffff) == 0x7503 && v > 0xfffff,
	   "thp.md §2.5: write fault -> large segment entry frame|0x7503");
	n = lev_events(L_PT, t, 8);
	A = t[0].pa;
	ok(n == 1 && t[0].alloc, "thp.md §2.4: the huge fault deposits one page table");
	ok(link(e, A, 0) == A && link(e, A, 1) == A,
	   "thp.md §2.4: a single deposit links to itself in PTE slots 0 and 1");
	do_pop(e, 0x40100000, 1 * M, false);
	is_u64(PMD(e, 1, 0x40100000) & 0xfffff, 0x1701, "thp.md §2.5: read fault -> huge zero page 0x1701");
	B = A + 2048;
	ok(link(e, B, 0) == A && link(e, B, 1) == A && link(e, A, 0) == B,
	   "thp.md §2.4: the second deposit is linked with the first (slots 0-1)");
	do_pop(e, 0x40200000, 1 * M, true);
	n = lev_events(L_PT, t, 8);
	C = t[2].pa;
	ok(link(e, C, 0) == A && link(e, C, 1) == B && link(e, A, 0) == B &&
	   link(e, A, 1) == C && link(e, B, 0) == C && link(e, B, 1) == A,
	   "thp.md §2.4: list order C, A, B (deposit inserts after the head)");
	snap(e);
	do_fork(e, 2);
	is_u64(PMD(e, 1, 0x40000000) & 0xfffff, 0x7701, "thp.md §2.5: the parent after fork: 0x7701");
	is_u64(PMD(e, 2, 0x40000000) & 0xfffff, 0x6721, "thp.md §2.5: the child after fork: 0x6721 (old)");
	ok(fd(e, PGT_FL_IDTE_ASCE) == 1 && fd(e, PGT_FL_IDTE) == 0,
	   "thp.md §6.2: fork: lazy write-protect, one IDTE by ASCE");
	snap(e);
	do_prot(e, 0x40000000, 1 * M, "r");
	is_u64(PMD(e, 1, 0x40000000) & 0xfffff, 0x7701, "thp.md §2.5: mprotect(PROT_READ) of a whole THP: 0x7701");
	is_u64(fd(e, PGT_FL_IDTE_LOCAL), 1, "thp.md §6.2: change_huge_pmd invalidates directly: one local IDTE");
	do_prot(e, 0x40000000, 1 * M, "");
	is_u64(PMD(e, 1, 0x40000000) & 0xfffff, 0x7620, "thp.md §2.5: PROT_NONE huge PMD 0x7620");
	snap(e);
	do_pop(e, 0x40200000, 4 * K, true);
	ok(fd(e, PGT_FL_IDTE_LOCAL) == 1 && fd(e, PGT_FL_IPTE_LOCAL) == 1,
	   "thp.md §6.2: split after fork = one IDTE (pmdp_invalidate) + the COW page's IPTE");
	is_u64(PMD(e, 1, 0x40200000), C, "thp.md §2.4: the split links the list head (C), withdrawn first");
	is_u64(PTE(e, 1, 0x40200000) & 0xfff, 0x13f, "thp.md §4.3: the faulting page is copied: 0x13f");
	for (i = 1, bad = 0; i < 256; i++)
		bad += (PTE(e, 1, 0x40200000 + i * 4 * K) & 0xfff) != 0x317;
	is_u64(bad, 0, "thp.md §4.3: the other 255 PTEs are 0x317 (no dirty bit in 6.1)");
	ok(link(e, A, 0) == B && link(e, A, 1) == B && link(e, B, 0) == A,
	   "thp.md §2.4: after the withdrawal A and B link each other");
	do_unmap(e, 0x40000000, 2 * M);
	is_u64(link(e, B, 0), 0x400, "thp.md §2.4: a withdrawn table gets 0x400 back in its slots");
	pgt_engine_free(e);

	e = eng("s390x", NULL);
	do_alloc(e, 0x40000000, 2 * M, "rw", 0);
	do_pop(e, 0x40000000, 1 * M, true);
	do_prot(e, 0x40080000, 4 * K, "r");
	is_u64(PTE(e, 1, 0x40000000) & 0xfff, 0x337, "thp.md §4.3: exclusive writable split: 0x337 (clean, P set)");
	is_u64(PTE(e, 1, 0x40080000) & 0xfff, 0x317, "thp.md §4.3: the protected page after the split: 0x317");
	pgt_engine_free(e);

	e = eng("s390x", "nx=off");
	do_alloc(e, 0x40000000, 2 * M, "rw", 0);
	do_pop(e, 0x40000000, 1 * M, true);
	do_pop(e, 0x40100000, 1 * M, false);
	is_u64(PMD(e, 1, 0x40000000) & 0xfffff, 0x7403, "thp.md §2.5: without NX the THP entry is 0x7403");
	is_u64(PMD(e, 1, 0x40100000) & 0xfffff, 0x1601, "thp.md §2.5: without NX the huge zero page is 0x1601");
	pgt_engine_free(e);

	e = eng("s390x", "edat=off");
	do_alloc(e, 0x40000000, 2 * M, "rw", 0);
	do_pop(e, 0x40000000, 1 * M, true);
	is_u64(PTE(e, 1, 0x40000000) & 0xfff, 0x13f, "thp.md §1.1: without EDAT-1 no huge PMD: 4 KiB pages");
	pgt_engine_free(e);
}

/* ---- s390.md §7: sie, essa, host ---- */

static void test_cmma(void)
{
	struct pgt_engine *e = eng("s390x", "thp=never");
	uint64_t v, pg;

	ok(do_sie(e) == PGT_ERR_INPUT && strstr(last_err.msg, "sie needs pgste=on"),
	   "s390.md §3.3: 'sie' without vm.allocate_pgste is an input error");
	pgt_engine_free(e);

	e = eng("s390x", "pgste=on thp=never");
	do_alloc(e, 0x10000000, 64 * K, "rw", 0);
	do_pop(e, 0x10000000, 16 * K, true);
	ok(do_essa(e, 0x10000000, 4 * K, PGT_ESSA_UNUSED) == PGT_ERR_INPUT &&
	   strstr(last_err.msg, "sie"), "s390.md §7.4: essa before 'sie' is an input error");
	ok(do_sie(e) == 0, "s390.md §3.3: 'sie' with pgste=on sets has_pgste");
	ev_reset();
	do_essa(e, 0x10000000, 4 * K, PGT_ESSA_UNUSED);
	ok(ev.nstate == 1 && ev.st_old == 0x00 && ev.st_new == 0x04 &&
	   !strcmp(ev.st_text, "Sr -> Ur"), "s390.md §7.2: essa set unused: Sr -> Ur");
	pg = be64_ld((uint8_t *)slot_at(e, pgt_engine_mm(e, 1), 0x10000000, L_PT) + 2048);
	is_u64(pg & PGSTE_USAGE, 0x01000000, "s390.md §3.3: GPS USAGE = 1 (unused) in the PGSTE");
	ok(!(pg & PGSTE_UC), "s390.md §3.3: a PTE stored before 'sie' left the PGSTE alone");
	do_pop(e, 0x10008000, 4 * K, true);
	pg = be64_ld((uint8_t *)slot_at(e, pgt_engine_mm(e, 1), 0x10008000, L_PT) + 2048);
	ok(pg & PGSTE_UC, "s390.md §3.3: with has_pgste a writable valid PTE marks the page user-dirty (UC)");
	ok(do_host(e, 0x10000000, 4 * K, PGT_HOST_SWAPOUT) == PGT_ERR_INPUT &&
	   strstr(last_err.msg, "Ur") && strstr(last_err.msg, "0x10000000"),
	   "s390.md §7.1: swapping out an unused page is refused, naming state and page");
	snap(e);
	do_host(e, 0x10000000, 4 * K, PGT_HOST_DISCARD);
	ok(ev.st_new == 0x07 && PTE(e, 1, 0x10000000) == 0x400,
	   "s390.md §7.2: host discard Ur -> Uz, the PTE becomes empty");
	is_u64(fd(e, PGT_FL_IPTE_LOCAL), 1, "s390.md §6.5: the host unmaps a valid PTE by the direct path");
	do_host(e, 0x10001000, 4 * K, PGT_HOST_SWAPOUT);
	v = PTE(e, 1, 0x10001000);
	ok(ev.st_new == 0x02 && (v & 0x201) == 0x200 && (v & 0x400),
	   "s390.md §7.2: host swapout Sr -> Sp: a swap entry (I, P set, present clear)");
	do_essa(e, 0x10001000, 4 * K, PGT_ESSA_PVOLATILE);
	is_u64(PTE(e, 1, 0x10001000), v, "s390.md §7.2: set potentially volatile on a changed Sp page keeps Sp");
	do_host(e, 0x10001000, 4 * K, PGT_HOST_SWAPIN);
	ok(ev.st_new == 0x00 && (PTE(e, 1, 0x10001000) & 0xfff) == 0x317,
	   "s390.md §7.2: host swapin Sp -> Sr (young, read-only, soft-dirty kept)");
	do_essa(e, 0x10002000, 4 * K, PGT_ESSA_PVOLATILE);
	ok(ev.st_new == 0x08, "s390.md §7.2: set potentially volatile on Sr -> Pr");
	do_host(e, 0x10002000, 4 * K, PGT_HOST_DISCARD);
	ok(ev.st_new == 0x02, "s390.md §7.2: discarding a dirty Pr page swaps it out: Sp");
	do_essa(e, 0x10003000, 4 * K, PGT_ESSA_VOLATILE);
	do_host(e, 0x10003000, 4 * K, PGT_HOST_DISCARD);
	ok(ev.st_new == 0x0f, "s390.md §7.2: Vr -> Vz on discard");
	ev_reset();
	do_host(e, 0x10003000, 4 * K, PGT_HOST_ACCESS);
	ok(ev.nstate == 0 && ev.notes == 1 && strstr(ev.note, "discard fault"),
	   "s390.md §7.2: access to Vz raises a discard fault, no change");
	do_essa(e, 0x10004000, 4 * K, PGT_ESSA_PVOLATILE);
	ok(ev.st_old == 0x03 && ev.st_new == 0x0f, "s390.md §7.2: set potentially volatile on Sz gives Vz (never Pz)");
	do_essa(e, 0x10005000, 4 * K, PGT_ESSA_STABLE);
	do_host(e, 0x10005000, 4 * K, PGT_HOST_ACCESS);
	ok(ev.st_old == 0x03 && ev.st_new == 0x00 &&
	   (PTE(e, 1, 0x10005000) & 0xfff) == 0x13f,
	   "s390.md §7.2: first access to Sz supplies a zeroed frame: Sr");
	ok(do_host(e, 0x10006000, 4 * K, PGT_HOST_SWAPIN) == PGT_ERR_INPUT &&
	   strstr(last_err.msg, "Sz"), "s390.md §7.2: swapin of a page that is not Sp is refused");
	ok(do_host(e, 0x20000000, 4 * K, PGT_HOST_ACCESS) == PGT_ERR_INPUT,
	   "s390.md §7: a guest page outside every VMA is an input error");
	pgt_engine_free(e);
}

/* ---- options ---- */

static void test_options(void)
{
	struct pgt_engine *e;
	struct pgt_err err = { 0 };

	pgt_engine_new("s390x", &e, &err);
	ok(pgt_engine_set(e, "frobnicate", "1", &err) == PGT_ERR_INPUT &&
	   strstr(err.msg, "unknown option 'frobnicate' for arch s390x; expected one of"),
	   "design.md: an unknown s390x option names the arch and the choices");
	ok(pgt_engine_set(e, "nx", "maybe", &err) == PGT_ERR_INPUT && strstr(err.msg, "on or off"),
	   "design.md: a bad on/off value is an input error");
	ok(pgt_engine_set(e, "idte", "off", &err) == 0 && !s390_priv(e)->idte,
	   "s390.md §6.2: idte=off selects a machine without facility 3");
	ok(pgt_engine_set(e, "profile", "s390-v6.8+", &err) == 0 && e->m.profile == S390X_V6_8,
	   "s390.md §0: profile s390-v6.8+ exists");
	ok(strstr(e->m.rules->describe_options(e), "idte=off") != NULL,
	   "describe_options reports the machine");
	pgt_engine_free(e);
	pgt_engine_new("s390", &e, &err);
	ok(pgt_engine_set(e, "nx", "on", &err) == PGT_ERR_INPUT &&
	   strstr(err.msg, "for arch s390;"), "s390.md §2.1: the 31-bit machine has no options of its own");
	ok(pgt_engine_set(e, "profile", "s390-2.6.25", &err) == 0,
	   "s390.md §0: profile s390-2.6.25 for the 31-bit kernel");
	pgt_engine_free(e);
}

/* ---- invariants.md §B: violations are found ---- */

static bool violated(struct pgt_engine *e, const char *id)
{
	struct pgt_err err;
	char key[32];

	snprintf(key, sizeof(key), "%s violated", id);
	if (check_ok(e, &err) != PGT_ERR_INVARIANT || !strstr(err.msg, key)) {
		printf("# check: %s\n", err.msg);
		return false;
	}
	return true;
}

static void test_check(void)
{
	struct pgt_engine *e = eng("s390x", "thp=never");
	struct pgt_mm *mm = pgt_engine_mm(e, 1);
	struct pgt_err err;
	uint64_t v, s, pt;

	populated(e, 4);
	do_pop(e, 0x10100000, 4 * K, true);
	ok(check_ok(e, &err) == 0, "invariants.md §B: a consistent state passes");
	v = PTE(e, 1, 0x10000000);
	put(e, 1, 0x10000000, L_PT, v & ~0x4ull);
	ok(violated(e, "S11"),
	   "invariants.md S11: a valid PTE without YOUNG is found");
	put(e, 1, 0x10000000, L_PT, v);
	put(e, 1, 0x10001000, L_PT, 0x1234);
	ok(violated(e, "S11"), "invariants.md S11: a PTE that is neither none, present nor swap is found");
	put(e, 1, 0x10001000, L_PT, v + 0x1000);
	s = PMD(e, 1, 0x10000000);
	put(e, 1, 0x10000000, L_SGT, s | 0x22);
	ok(violated(e, "S3"), "invariants.md S3: a segment entry with stray bits is found");
	put(e, 1, 0x10000000, L_SGT, s);
	put(e, 1, 0x80000000, L_R3, 0x28);
	ok(violated(e, "S1"), "invariants.md S1: a top-table entry of another type is found");
	put(e, 1, 0x80000000, L_R3, 0x24);
	S390_MM(mm)->flush_mm = true;
	ok(violated(e, "S8"), "invariants.md S8: a pending flush_mm after the op is found");
	S390_MM(mm)->flush_mm = false;
	mm->cpumask = 0;
	ok(violated(e, "S10"), "invariants.md S10: an under-indicating mm_cpumask is found");
	mm->cpumask = 1;
	pt = PMD(e, 1, 0x10000000);
	*s390_tag(e, pt) |= TAG_P(1);
	ok(violated(e, "S5"), "invariants.md S5: a pending-free bit left after the op is found");
	*s390_tag(e, pt) &= ~TAG_P(1);
	*s390_tag(e, pt) &= ~TAG_A(half_of_pa(pt));
	ok(violated(e, "S5"), "invariants.md S5: a linked half without its A bit is found");
	*s390_tag(e, pt) |= TAG_A(half_of_pa(pt));
	ok(check_ok(e, &err) == 0, "invariants.md §B: restored state passes again");
	s390_priv(e)->nx = false;
	ok(violated(e, "S12"), "invariants.md S12: IEP without facility 130 is found");
	s390_priv(e)->nx = true;
	pgt_engine_free(e);

	e = eng("s390x", "pgste=on thp=never");
	populated(e, 1);
	pt = PMD(e, 1, 0x10000000);
	be64_st((uint8_t *)pgt_phys(e, pt) + 2048 + 8, PGSTE_PCL);
	ok(violated(e, "S6"), "invariants.md S6: a PGSTE left locked (PCL) is found");
	pgt_engine_free(e);
}

/* ---- the 31-bit kernel, profile s390-2.6.25 ---- */

static void test_s390_31(void)
{
	struct pgt_engine *e = eng("s390", NULL);
	struct pgt_mm *mm = pgt_engine_mm(e, 1);
	struct s390_priv *p = s390_priv(e);
	const struct pgt_arch *a = e->m.arch;
	struct pgt_ent_info ei;
	struct pgt_root_info ri;
	struct tab_ev t[8];
	unsigned i, n, bad = 0;
	uint64_t P;
	char buf[96];

	ok(ev.t[0].level == 0 && ev.t[0].size == 8192 && !(mm->top & 0x1fff),
	   "s390.md §2.1: the segment table is 8 KiB (order 1)");
	is_u64(root(e, 1), mm->top | 0x800001ff, "s390.md §2.1: STD = origin | space-switch, private, alteration | TL 0x7f");
	a->root_decode(root(e, 1), &ri);
	ok(ri.top_level == 0 && ri.table == mm->top && ri.entries == 2048 && !ri.why,
	   "s390.md §2.1: root_decode of the STD: 2048 segment entries");
	ok(e->m.mem.limit_pfn <= 0x80000, "s390.md §2.1: real memory of a 31-bit machine ends at 2 GiB");
	do_alloc(e, 0x10000000, 8 * M, "rw", 0);
	ev_reset();
	for (i = 0; i < 5; i++)
		do_pop(e, 0x10000000 + i * M, 4 * K, true);
	n = lev_events(1, t, 8);
	for (i = 0, P = t[0].pa; i < 4; i++)
		bad += t[i].pa != P + 1024 * i || t[i].half != (int)i || t[i].size != 1024;
	ok(n == 5 && !bad && !(P & 0xfff), "s390.md §2.1/§3.2: four 1 KiB page tables share one 4 KiB page");
	ok((t[4].pa & ~0xfffull) != P && !(t[4].pa & 0xfff), "s390.md §3.2: the fifth table takes a new page");
	is_u64(ent(e, 1, 0x10200000, 0), (P + 2048) | 0x0f, "s390.md §2.1: segment entry = origin | 0x0f");
	ok(S390_MM(mm)->nlist == 2 && S390_MM(mm)->list[1] == P,
	   "s390.md §3.2 (2.6.25): the full page moved to the list tail");
	is_u64(ent(e, 1, 0x10000000, 1) & 0xfff, 0x000, "s390.md §4.6: write fault -> read-write PTE pfn|0x000");
	do_pop(e, 0x10001000, 4 * K, false);
	/* 2.6.24 - 2.6.31 used no zero page for anonymous read faults */
	is_u64(ent(e, 1, 0x10001000, 1) & 0xfff, 0x200, "s390.md §4.6 (2.6.25, no ZERO_PAGE): read fault -> a new page, read-only |0x200, not special");
	ok((ent(e, 1, 0x10001000, 1) >> 12) != p->zero_pfn, "2.6.25: the read fault did not map the zero page");
	do_prot(e, 0x10000000, 4 * K, "");
	is_u64(ent(e, 1, 0x10000000, 1) & 0xfff, 0x401, "s390.md §4.6: PROT_NONE PTE = pfn|0x401");
	do_prot(e, 0x10000000, 4 * K, "rw");
	is_u64(ent(e, 1, 0x10000000, 1) & 0xfff, 0x200, "s390.md §4.6: back to rw: private = read-only 0x200 (COW)");
	pgt_engine_free(e);

	/* flushes (s390.md §6.7) */
	e = eng("s390", "cpus=2");
	do_alloc(e, 0x10000000, 1 * M, "rw", 0);
	do_pop(e, 0x10000000, 64 * K, true);
	snap(e);
	do_prot(e, 0x10000000, 64 * K, "r");
	ok(fd(e, PGT_FL_IPTE) == 0 && fd(e, PGT_FL_PTLB) == 1 && fd_all(e) == 1,
	   "s390.md §6.7: single-user mm here: plain stores + one PTLB (mm only ran here)");
	do_thread(e, 1);
	snap(e);
	do_prot(e, 0x10000000, 64 * K, "rw");
	snap(e);
	do_prot(e, 0x10000000, 64 * K, "r");
	ok(fd(e, PGT_FL_IPTE) == 16 && fd_all(e) == 16,
	   "s390.md §6.7: mm_users > 1: one IPTE per valid PTE, no flush_tlb_range");
	snap(e);
	do_fork(e, 2);
	is_u64(fd(e, PGT_FL_IPTE), 0, "s390.md §6.7: fork of read-only PTEs: nothing to invalidate");
	do_thread(e, -1);
	do_attach(e, 1);
	snap(e);
	do_unmap(e, 0x10000000, 1 * M);
	ok(fd(e, PGT_FL_CSP) == 1 && fd(e, PGT_FL_IPTE) == 0,
	   "s390.md §6.7: a single-user mm here: fullmm gather, one CSP at its start (mm ran elsewhere)");
	pgt_engine_free(e);

	e = eng("s390", NULL);
	do_alloc(e, 0x10000000, 1 * M, "rw", 0);
	do_pop(e, 0x10000000, 64 * K, true);
	snap(e);
	do_fork(e, 2);
	ok(fd(e, PGT_FL_IPTE) == 0 && fd(e, PGT_FL_PTLB) == 1,
	   "s390.md §6.7: fork: plain write-protect, one PTLB at flush_tlb_mm");
	snap(e);
	do_pop(e, 0x10000000, 4 * K, true);
	is_u64(fd(e, PGT_FL_IPTE), 1, "s390.md §6.7: ptep_clear_flush always uses IPTE");
	snap(e);
	do_exit(e);
	ok(fd(e, PGT_FL_PTLB) == 1 && fd_all(e) == 1, "s390.md §6.7: exit: one PTLB at the start of the fullmm gather");
	pgt_engine_free(e);

	a->entry_decode(1, 0x3bb7000, &ei);
	ok(ei.kind == PGT_ENT_LEAF && ei.hw == (PGT_HF_R | PGT_HF_W | PGT_HF_X),
	   "s390.md §2.1: a 31-bit PTE 0x...000 is valid and writable");
	a->entry_decode(1, 0x3bb7200, &ei);
	ok(ei.kind == PGT_ENT_LEAF && ei.hw == (PGT_HF_R | PGT_HF_X), "s390.md §2.1: P bit 0x200 = read-only");
	a->entry_decode(1, 0x3bb7401, &ei);
	ok(ei.kind == PGT_ENT_LEAF && !ei.hw && ei.linux_present, "s390.md §4.6: 0x401 is PROT_NONE (present to Linux)");
	ok(ei.what && !strcmp(ei.what, "PROT_NONE"), "s390.md §4.6: and translate says PROT_NONE");
	a->entry_describe(1, 0x3bb7401, buf, sizeof(buf));
	ok(strstr(buf, "PROT_NONE") != NULL, "s390.md §4.6: decode says PROT_NONE: '%s'", buf);
	a->entry_decode(1, 0x00001403, &ei);
	ok(ei.kind == PGT_ENT_NOTPRESENT && ei.what && !strcmp(ei.what, "swap entry"),
	   "s390.md §4.6: 0x403 type is a swap entry");
	a->entry_decode(1, 0x3bb7100, &ei);
	ok(ei.kind == PGT_ENT_BAD, "s390.md §2.1: bit 23 set in a valid PTE is a specification exception");
	a->entry_decode(0, 0x123440f, &ei);
	ok(ei.kind == PGT_ENT_TABLE && ei.next == 0x1234400 && ei.next_entries == 256,
	   "s390.md §2.1: segment entry origin|0x0f -> 256-entry page table");
	a->entry_describe(0, 0x123440f, buf, sizeof(buf));
	is_str(buf, "origin=0x1234400 PTL=15", "s390.md §2.1: describe a 31-bit segment entry");
}

int main(void)
{
	test_levels();
	test_new_mm();
	test_upgrade();
	test_fork_limit();
	test_pte_values();
	test_zero_pages();
	test_decode();
	test_fragments();
	test_whole_tables();
	test_flushes();
	test_idle_cpu();
	test_exec_free();
	test_remap();
	test_collapse();
	test_thp();
	test_cmma();
	test_options();
	test_check();
	test_s390_31();
	return done_testing();
}
