/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * --check: the generic invariants of invariants.md checked after every
 * operation: G1 (VMA list), G2/G3/G6 (every live leaf inside a VMA and
 * never more permissive than it; zero page read-only), G8 (every table
 * reached exactly once), G16 (mmap/mprotect allocate no tables), T1/T3
 * (huge PMDs inside one VMA, one deposit each).  A violation names the
 * invariant, the operation, the mm and the entry.
 *
 * After one full check has passed, the check after an operation looks
 * only at what the operation may have changed (e->m.check_scope): the
 * page tables covering its address range in its mm, every mm whose VMAs
 * or top table changed beside it (compared with a copy of the VMAs the
 * last check saw), both mms of a fork.  Every invariant here is local to
 * an entry, a table or one mm's VMA list, except G8, which is kept across
 * operations in a map from each table to the one entry linking it: a new
 * link to a table whose recorded link still points at it is a second
 * reference, wherever the first one is.  What is outside the scope is
 * what the last check saw, so it still holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine-priv.h"

/* the entry (mm, level, va) linking the table at pa, level = the table's */
struct link {
	uint64_t pa;		/* 0: a free slot */
	uint64_t va;
	int mm;
	int level;
};

/* an mm as the last check saw it */
struct mm_snap {
	bool live;
	int top_level;
	uint64_t top;
	struct pgt_vma *vma;
	size_t nvma, cap;
};

struct pgt_check_state {
	bool baseline;		/* a full check passed and every op since
				 * was checked: the next may be partial */
	int op_mm;		/* the running op's mm when it began */
	bool any_mm;		/* ... or it may change any mm's VMAs */
	struct link *link;	/* open addressing, power-of-two size */
	size_t nlink, clink;
	struct mm_snap *snap;	/* indexed by mm id */
	size_t nsnap;
};

struct chk {
	struct pgt_engine *e;
	struct pgt_err *err;
	struct pgt_mm *mm;
	struct pgt_check_state *st;
	struct pgt_vma *vma;	/* the last leaf's: the next is mostly in it */
	bool full;		/* every entry, the link map rebuilt */
	int rc;
};

static int fail(struct chk *c, const char *id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct chk *c, const char *id, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->rc = pgt_fail(c->err, PGT_ERR_INVARIANT,
			 "invariant %s violated after op %lu (mm %d): %s", id,
			 c->e->m.op_index, c->mm ? c->mm->id : 0, msg);
	return c->rc;
}

static int check_vmas(struct chk *c, struct pgt_mm *mm)
{
	size_t i;

	for (i = 0; i < mm->nvma; i++) {
		const struct pgt_vma *v = &mm->vma[i];

		if ((v->start | v->end) & 4095 || v->start >= v->end)
			return fail(c, "G1", "VMA %zu [0x%llx, 0x%llx) malformed",
				    i, (unsigned long long)v->start,
				    (unsigned long long)v->end);
		if (i && mm->vma[i - 1].end > v->start)
			return fail(c, "G1", "VMAs %zu and %zu overlap or are unsorted",
				    i - 1, i);
	}
	return 0;
}

/* ---- G8: the link map ---- */

static size_t link_hash(uint64_t pa, size_t cap)
{
	return (size_t)((pa >> 10) * 0x9e3779b97f4a7c15ull >> 20) & (cap - 1);
}

static struct link *link_slot(struct pgt_check_state *st, uint64_t pa)
{
	size_t i = link_hash(pa, st->clink);

	while (st->link[i].pa && st->link[i].pa != pa)
		i = (i + 1) & (st->clink - 1);
	return &st->link[i];
}

/* room for one more link; false when memory ran out */
static bool link_reserve(struct pgt_check_state *st)
{
	struct link *old = st->link;
	size_t i, n = st->clink;

	if (st->nlink + 1 <= st->clink / 2)
		return true;
	st->clink = n ? n * 2 : 1024;
	st->link = calloc(st->clink, sizeof(*st->link));
	if (!st->link) {
		st->link = old;
		st->clink = n;
		return false;
	}
	for (i = 0; i < n; i++)
		if (old[i].pa)
			*link_slot(st, old[i].pa) = old[i];
	free(old);
	return true;
}

/* does the entry l names (in a live mm) still link its table? */
static bool link_live(struct pgt_engine *e, const struct link *l)
{
	struct pgt_mm *mm = pgt_engine_mm(e, l->mm);
	uint64_t next;
	void *slot;

	if (!mm || mm->dead || l->level <= mm->top_level)
		return false;
	slot = pt_slot(e, mm, l->va, l->level - 1, NULL);
	return slot && e->m.rules->upper_kind(e, l->level - 1,
					    pgt_ent_load(e->m.arch,
							 l->level - 1, slot),
					    &next) == PGT_ENT_TABLE &&
	       next == l->pa;
}

/* G8: the table at pa (level) is linked from va of c->mm */
static int link_note(struct chk *c, uint64_t pa, int level, uint64_t va)
{
	struct pgt_check_state *st = c->st;
	struct link *l;

	if (!link_reserve(st))
		return 0;	/* best effort, as before */
	l = link_slot(st, pa);
	if (l->pa && l->mm == c->mm->id &&
	    (c->full || ((l->level != level || l->va != va) &&
			 link_live(c->e, l))))
		return fail(c, "G8", "table 0x%llx (level %s) is referenced twice",
			    (unsigned long long)pa,
			    c->e->m.arch->levels[level].name);
	if (!l->pa)
		st->nlink++;
	l->pa = pa;
	l->va = va;
	l->mm = c->mm->id;
	l->level = level;
	return 0;
}

/* ---- the walk ---- */

static int check_leaf(struct chk *c, int level, uint64_t va, uint64_t raw,
		      uint64_t size)
{
	const struct pgt_arch *a = c->e->m.arch;
	const struct pgt_mm_rules *r = c->e->m.rules;
	struct pgt_ent_info ei;
	struct pgt_vma *v = c->vma;
	enum pgt_pstate st = r->leaf_state(c->e, level, raw);

	if (!v || va < v->start || va >= v->end)
		v = c->vma = vma_find(c->mm, va);

	a->entry_decode(level, raw, &ei);
	if (!v || va + size > v->end)
		return fail(c, level == pt_level_pte(c->e) ? "G2" : "T1",
			    "entry 0x%llx for va 0x%llx (%llu bytes) lies outside every VMA",
			    (unsigned long long)raw, (unsigned long long)va,
			    (unsigned long long)size);
	if ((ei.hw & PGT_HF_W) && !(v->flags & VM_WRITE))
		return fail(c, "G3", "va 0x%llx is writable (0x%llx) in a VMA without write",
			    (unsigned long long)va, (unsigned long long)raw);
	if ((ei.hw & PGT_HF_R) && !(v->flags & VM_ACCESS))
		return fail(c, "G3", "va 0x%llx is accessible (0x%llx) in a PROT_NONE VMA",
			    (unsigned long long)va, (unsigned long long)raw);
	if ((st == PGT_PS_ZERO || st == PGT_PS_HZERO) && (ei.hw & PGT_HF_W))
		return fail(c, "G6", "zero page writable at va 0x%llx (0x%llx)",
			    (unsigned long long)va, (unsigned long long)raw);
	return 0;
}

/* the index of the first entry at or after i that is not the level's
 * empty value (a tight scan: most entries of a table are empty) */
static uint32_t next_used(const struct pgt_arch *a, const struct pgt_level *L,
			  const uint8_t *t, uint32_t i, uint32_t n)
{
	if (L->entsize == 8) {
		uint64_t em = a->big_endian ? __builtin_bswap64(L->empty)
					    : L->empty, v;

		for (; i < n; i++) {
			memcpy(&v, t + 8 * (size_t)i, 8);
			if (v != em)
				break;
		}
	} else {
		uint32_t em = (uint32_t)L->empty, v;

		em = a->big_endian ? __builtin_bswap32(em) : em;
		for (; i < n; i++) {
			memcpy(&v, t + 4 * (size_t)i, 4);
			if (v != em)
				break;
		}
	}
	return i;
}

/*
 * The next used entry at or after i whose range is in the scope (any
 * used one when whole).
 */
static uint32_t next_entry(struct chk *c, const struct pgt_level *L,
			   const uint8_t *t, uint64_t base, uint32_t i,
			   uint32_t n, bool whole)
{
	uint64_t va, nva, last;

	for (;;) {
		i = next_used(c->e->m.arch, L, t, i, n);
		if (whole || i >= n)
			return i;
		va = base + ((uint64_t)i << L->shift);
		nva = pgt_check_next(c->e, c->mm, va, &last);
		if (nva <= va + ((1ull << L->shift) - 1))
			return i;	/* the scope starts within entry i */
		if (nva == UINT64_MAX || ((nva - base) >> L->shift) >= n)
			return n;
		i = (uint32_t)((nva - base) >> L->shift);
	}
}

/*
 * The entries of one table; below it only those whose range is in the
 * scope.  T3 counts the huge PMDs of a whole PMD table, unless the mm
 * has no deposit and the operation pushed or popped none: then there
 * was no huge PMD outside the scope at the last check (T3 held), and
 * there is none now.
 */

/*
 * The entries of one table; below it only those whose range is in the
 * scope.  A PMD table is always read whole: T3 counts all its huge PMDs.
 */
static int walk_table(struct chk *c, int level, uint64_t table, uint64_t base,
		      uint32_t entries, uint64_t limit)
{
	struct pgt_engine *e = c->e;
	const struct pgt_arch *a = e->m.arch;
	const struct pgt_mm_rules *r = e->m.rules;
	const struct pgt_level *L = &a->levels[level];
	int lpmd = pt_level_pmd(e), lpte = pt_level_pte(e);
	uint64_t span = 1ull << L->shift;
	uint8_t *t = pgt_phys(e, table);
	size_t huge = 0;
	uint32_t i;
	bool whole;

	if (level != c->mm->top_level && link_note(c, table, level, base))
		return c->rc;
	if (limit && base < limit && (limit - base - 1) >> L->shift < entries)
		entries = (uint32_t)((limit - base - 1) >> L->shift) + 1;
	else if (limit && base >= limit)
		entries = 0;
	whole = c->full || level == lpte ||
		(level == lpmd && (c->mm->nr_deposit || e->deposits_changed));
	for (i = next_entry(c, L, t, base, 0, entries, whole); i < entries;
	     i = next_entry(c, L, t, base, i + 1, entries, whole)) {
		uint64_t va = base + ((uint64_t)i << L->shift), next;
		uint64_t raw = pgt_ent_load(a, level, t + i * L->entsize);
		enum pgt_ent_kind k;
		bool in;

		if (level == lpte) {
			if (!r->pte_none(raw) && r->pte_present(raw) &&
			    check_leaf(c, level, va, raw, 4096))
				return c->rc;
			continue;
		}
		in = pgt_check_wants(e, c->mm, va, va + (span - 1));
		if (!in && level != lpmd)
			continue;
		k = r->upper_kind(e, level, raw, &next);
		if (k == PGT_ENT_TABLE) {
			if (in && walk_table(c, level + 1, next, va,
					     a->levels[level + 1].nentries,
					     limit))
				return c->rc;
		} else if (k == PGT_ENT_LEAF) {
			huge++;
			if (in && check_leaf(c, level, va, raw, span))
				return c->rc;
		}
	}
	if (level == lpmd && (whole || huge) &&
	    huge != deposit_count(c->mm, table))
		return fail(c, "T3", "PMD table 0x%llx has %zu huge PMDs but %zu deposited tables",
			    (unsigned long long)table, huge,
			    deposit_count(c->mm, table));
	return 0;
}

static struct pgt_check_state *state_of(struct pgt_engine *e)
{
	if (!e->chk)
		e->chk = calloc(1, sizeof(*e->chk));
	return e->chk;
}

int check_generic(struct pgt_engine *e, struct pgt_err *err)
{
	struct chk c = { .e = e, .err = err, .st = state_of(e),
			 .full = e->m.check_scope.all };
	const struct pgt_arch *a = e->m.arch;
	size_t i;

	if (e->m.op && (e->m.op->kind == PGT_OP_PROTECT ||
		      (e->m.op->kind == PGT_OP_ADVISE &&
		       e->m.op->sub != PGT_ADV_DONTNEED)) && e->tables_changed) {
		c.mm = e->m.cur;
		return fail(&c, "G16", "'%s' allocated or freed a page table",
			    pgt_op_name(e->m.op->kind));
	}
	if (!c.st)
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory checking invariants");
	if (c.full && c.st->link) {
		memset(c.st->link, 0, c.st->clink * sizeof(*c.st->link));
		c.st->nlink = 0;
	}
	for (i = 0; i < e->m.nmms && !c.rc; i++) {
		struct pgt_mm *mm = e->m.mms[i];
		uint32_t top_entries;

		if (!mm || mm->dead || !pgt_check_wants(e, mm, 0, UINT64_MAX))
			continue;
		c.mm = mm;
		c.vma = NULL;
		if (check_vmas(&c, mm))
			break;
		top_entries = a->levels[mm->top_level].nentries;
		if (mm->top_level == 0 && a->levels[0].nentries *
		    (1ull << a->levels[0].shift) > a->user_limit &&
		    a->levels[0].shift < 63)
			top_entries = (uint32_t)(a->user_limit >> a->levels[0].shift);
		walk_table(&c, mm->top_level, mm->top, 0, top_entries,
			   a->user_limit);
	}
	return c.rc;
}

/* ---- the scope ---- */

/* [lo, last] of mm, rounded out to whole page tables */
static void scope_add(struct pgt_engine *e, int mm, uint64_t lo,
		      uint64_t last)
{
	struct pgt_check_scope *s = &e->m.check_scope;
	uint64_t span = pt_span(e, pt_level_pmd(e));
	unsigned i;

	lo &= ~(span - 1);
	last |= span - 1;
	if (s->all)
		return;
	for (i = 0; i < s->n; i++) {
		struct pgt_check_range *r = &s->r[i];

		if (r->mm != mm)
			continue;
		/* overlapping or adjacent: one range */
		if ((lo <= r->last || r->last == UINT64_MAX || lo - 1 <= r->last) &&
		    (r->lo <= last || last == UINT64_MAX || r->lo - 1 <= last)) {
			r->lo = lo < r->lo ? lo : r->lo;
			r->last = last > r->last ? last : r->last;
			return;
		}
	}
	if (s->n < PGT_CHECK_RANGES) {
		s->r[s->n].mm = mm;
		s->r[s->n].lo = lo;
		s->r[s->n].last = last;
		s->n++;
		return;
	}
	/* full: the hull of this mm's ranges, or everything */
	for (i = s->n; i-- > 0;)
		if (s->r[i].mm == mm) {
			s->r[i].lo = lo < s->r[i].lo ? lo : s->r[i].lo;
			s->r[i].last = last > s->r[i].last ? last : s->r[i].last;
			return;
		}
	s->all = true;
}

/*
 * Where a remap puts the old range: NEWADDR (mremap_to, which unmaps it
 * first), or the tail it grows into in place.  The VMAs after the op do
 * not always show it: a fixed move onto a mapping with the same bounds
 * and flags leaves them alike there, while every entry changed.
 */
static void scope_remap_target(struct pgt_engine *e, int mm,
			       const struct pgt_op *op)
{
	uint64_t to = op->flags & PGT_REMAP_FIXED ? op->newaddr : op->addr;

	if (!op->newlen)
		return;
	if (to + (op->newlen - 1) < to)
		scope_add(e, mm, 0, UINT64_MAX);
	else
		scope_add(e, mm, to, to + (op->newlen - 1));
}

void check_scope_begin(struct pgt_engine *e, const struct pgt_op *op)
{
	struct pgt_check_scope *s = &e->m.check_scope;
	struct pgt_mm *cur = e->m.cur;
	uint64_t lo, last;

	s->n = 0;
	s->all = e->check_full || !e->chk || !e->chk->baseline || !cur;
	if (s->all)
		return;
	e->chk->op_mm = cur->id;
	e->chk->any_mm = op->kind == PGT_OP_FORK || !pgt_op_info(op->kind) ||
			 pgt_op_info(op->kind)->arch_only;
	switch (op->kind) {
	case PGT_OP_MM:
	case PGT_OP_CPU:
	case PGT_OP_THREAD:
	case PGT_OP_EXIT:
		/* no entry of a live mm changes; what the arch keeps per mm
		 * (CPU masks, pending flushes) its check reads for all */
		return;
	case PGT_OP_FORK:
		scope_add(e, cur->id, 0, UINT64_MAX);	/* COW write-protect */
		scope_add(e, op->arg, 0, UINT64_MAX);
		return;
	default:
		break;
	}
	/* the generic range ops, and an arch's own with a range; one
	 * without a range may change all of the mm */
	lo = 0;
	last = UINT64_MAX;
	if (op->len && op->addr + (op->len - 1) >= op->addr) {
		lo = op->addr;
		last = op->addr + (op->len - 1);
	}
	if (op->kind == PGT_OP_REMAP)
		scope_remap_target(e, cur->id, op);
	if (!pgt_op_info(op->kind) || !pgt_op_info(op->kind)->arch_only) {
		scope_add(e, cur->id, lo, last);
		return;
	}
	/* an arch's own may act on every mm (kmap copies a kernel PDE
	 * into every pgd) */
	scope_add(e, PGT_CHECK_EVERY_MM, lo, last);
}

static void snap_free(struct mm_snap *n)
{
	free(n->vma);
	memset(n, 0, sizeof(*n));
}

/* n becomes a copy of mm; false when memory ran out */
static bool snap_take(struct mm_snap *n, const struct pgt_mm *mm)
{
	if (n->cap < mm->nvma) {
		struct pgt_vma *v = realloc(n->vma, mm->nvma * sizeof(*v));

		if (!v)
			return false;
		n->vma = v;
		n->cap = mm->nvma;
	}
	if (mm->nvma)
		memcpy(n->vma, mm->vma, mm->nvma * sizeof(*n->vma));
	n->nvma = mm->nvma;
	n->top = mm->top;
	n->top_level = mm->top_level;
	n->live = true;
	return true;
}

static bool snap_grow(struct pgt_check_state *st, size_t n)
{
	struct mm_snap *p;

	if (n <= st->nsnap)
		return true;
	p = realloc(st->snap, n * sizeof(*p));
	if (!p)
		return false;
	memset(p + st->nsnap, 0, (n - st->nsnap) * sizeof(*p));
	st->snap = p;
	st->nsnap = n;
	return true;
}

/* the addresses whose VMA (or its flags) differ between n and mm;
 * false when the VMAs are the same */
static bool vma_diff(struct pgt_engine *e, const struct mm_snap *n,
		     const struct pgt_mm *mm)
{
	size_t a = 0, b, m = n->nvma < mm->nvma ? n->nvma : mm->nvma;
	uint64_t lo, last;

	/* memcmp takes no NULL, even for 0 bytes (C11 7.24.1) */
	if (n->nvma == mm->nvma &&
	    (!mm->nvma ||
	     !memcmp(n->vma, mm->vma, mm->nvma * sizeof(*mm->vma))))
		return false;
	while (a < m && n->vma[a].start == mm->vma[a].start &&
	       n->vma[a].end == mm->vma[a].end &&
	       n->vma[a].flags == mm->vma[a].flags)
		a++;
	for (b = 0; b < m - a &&
	     n->vma[n->nvma - 1 - b].start == mm->vma[mm->nvma - 1 - b].start &&
	     n->vma[n->nvma - 1 - b].end == mm->vma[mm->nvma - 1 - b].end &&
	     n->vma[n->nvma - 1 - b].flags == mm->vma[mm->nvma - 1 - b].flags;
	     b++)
		;
	if (a + b >= n->nvma && a + b >= mm->nvma)
		return true;	/* only anon ids differ: nothing checked did */
	lo = UINT64_MAX;
	last = 0;
	if (a < n->nvma - b) {
		lo = n->vma[a].start;
		last = n->vma[n->nvma - 1 - b].end - 1;
	}
	if (a < mm->nvma - b) {
		lo = mm->vma[a].start < lo ? mm->vma[a].start : lo;
		if (mm->vma[mm->nvma - 1 - b].end - 1 > last)
			last = mm->vma[mm->nvma - 1 - b].end - 1;
	}
	scope_add(e, mm->id, lo, last);
	return true;
}

void check_scope_end(struct pgt_engine *e)
{
	struct pgt_check_state *st = e->chk;
	size_t i;

	if (e->m.check_scope.all)
		return;
	if (!snap_grow(st, e->m.nmms)) {
		e->m.check_scope.all = true;
		return;
	}
	if (e->m.op && e->m.op->kind == PGT_OP_ALLOC && e->tables_changed)
		scope_add(e, e->m.cur->id, 0, UINT64_MAX);
	for (i = 0; i < e->m.nmms; i++) {
		struct pgt_mm *mm = e->m.mms[i];
		struct mm_snap *n = &st->snap[i];

		/* a generic op changes the VMAs of the mm it runs on (before
		 * or after 'mm N') and no other; a fork makes one, an arch's
		 * own op may do anything: then every mm is compared */
		if (!st->any_mm && (!mm || (int)i != mm->id ||
				    (mm != e->m.cur && mm->id != st->op_mm)) &&
		    (!mm || n->live))
			continue;

		if (!mm || mm->dead) {
			if (n->live)
				snap_free(n);
			continue;
		}
		if (!n->live || n->top != mm->top ||
		    n->top_level != mm->top_level)
			scope_add(e, mm->id, 0, UINT64_MAX);
		else if (!vma_diff(e, n, mm))
			continue;
		if (!snap_take(n, mm)) {
			e->m.check_scope.all = true;
			return;
		}
	}
}

void check_done(struct pgt_engine *e, bool passed)
{
	struct pgt_check_state *st = e->chk;
	size_t i;

	if (!st)
		return;
	st->baseline = false;
	if (!passed)
		return;
	if (e->m.check_scope.all) {
		/* the copies the next partial check compares with */
		if (!snap_grow(st, e->m.nmms))
			return;
		for (i = 0; i < e->m.nmms; i++) {
			struct pgt_mm *mm = e->m.mms[i];

			if (!mm || mm->dead)
				snap_free(&st->snap[i]);
			else if (!snap_take(&st->snap[i], mm))
				return;
		}
	}
	st->baseline = true;
}

void check_state_free(struct pgt_check_state *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nsnap; i++)
		free(s->snap[i].vma);
	free(s->snap);
	free(s->link);
	free(s);
}
