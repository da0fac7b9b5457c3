/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * --check: the generic invariants of invariants.md checked after every
 * operation: G1 (VMA list), G2/G3/G6 (every live leaf inside a VMA and
 * never more permissive than it; zero page read-only), G8 (every table
 * reached exactly once), G16 (mmap/mprotect allocate no tables), T1/T3
 * (huge PMDs inside one VMA, one deposit each).  A violation names the
 * invariant, the operation, the mm and the entry.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine-priv.h"

struct chk {
	struct pgt_engine *e;
	struct pgt_err *err;
	struct pgt_mm *mm;
	uint64_t *seen;		/* tables reached, for G8 */
	size_t nseen, cseen;
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

static int seen_add(struct chk *c, uint64_t pa, int level)
{
	size_t i;

	for (i = 0; i < c->nseen; i++)
		if (c->seen[i] == pa)
			return fail(c, "G8", "table 0x%llx (level %s) is referenced twice",
				    (unsigned long long)pa,
				    c->e->m.arch->levels[level].name);
	if (c->nseen == c->cseen) {
		size_t n = c->cseen ? c->cseen * 2 : 256;
		uint64_t *p = realloc(c->seen, n * sizeof(*p));

		if (!p)
			return 0;	/* best effort */
		c->seen = p;
		c->cseen = n;
	}
	c->seen[c->nseen++] = pa;
	return 0;
}

static int check_leaf(struct chk *c, int level, uint64_t va, uint64_t raw,
		      uint64_t size)
{
	const struct pgt_arch *a = c->e->m.arch;
	const struct pgt_mm_rules *r = c->e->m.rules;
	struct pgt_ent_info ei;
	struct pgt_vma *v = vma_find(c->mm, va);
	enum pgt_pstate st = r->leaf_state(c->e, level, raw);

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

static int walk_table(struct chk *c, int level, uint64_t table, uint64_t base,
		      uint32_t entries, uint64_t limit)
{
	struct pgt_engine *e = c->e;
	const struct pgt_arch *a = e->m.arch;
	const struct pgt_mm_rules *r = e->m.rules;
	const struct pgt_level *L = &a->levels[level];
	int lpmd = pt_level_pmd(e);
	size_t huge = 0;
	uint32_t i;

	if (seen_add(c, table, level))
		return c->rc;
	for (i = 0; i < entries; i++) {
		uint64_t va = base + ((uint64_t)i << L->shift), raw, next;
		uint8_t *slot = (uint8_t *)pgt_phys(e, table) + i * L->entsize;
		enum pgt_ent_kind k;

		if (va >= limit && limit)
			break;
		raw = pgt_ent_load(a, level, slot);
		if (level == pt_level_pte(e)) {
			if (!r->pte_none(raw) && r->pte_present(raw) &&
			    check_leaf(c, level, va, raw, 4096))
				return c->rc;
			continue;
		}
		k = r->upper_kind(e, level, raw, &next);
		if (k == PGT_ENT_TABLE) {
			if (walk_table(c, level + 1, next, va,
				       a->levels[level + 1].nentries, limit))
				return c->rc;
		} else if (k == PGT_ENT_LEAF) {
			huge++;
			if (check_leaf(c, level, va, raw, 1ull << L->shift))
				return c->rc;
		}
	}
	if (level == lpmd && huge != deposit_count(c->mm, table))
		return fail(c, "T3", "PMD table 0x%llx has %zu huge PMDs but %zu deposited tables",
			    (unsigned long long)table, huge,
			    deposit_count(c->mm, table));
	return 0;
}

int check_generic(struct pgt_engine *e, struct pgt_err *err)
{
	struct chk c = { .e = e, .err = err };
	const struct pgt_arch *a = e->m.arch;
	size_t i;

	if (e->m.op && (e->m.op->kind == PGT_OP_PROTECT ||
		      (e->m.op->kind == PGT_OP_ADVISE &&
		       e->m.op->sub != PGT_ADV_DONTNEED)) && e->tables_changed) {
		c.mm = e->m.cur;
		fail(&c, "G16", "'%s' allocated or freed a page table",
		     pgt_op_name(e->m.op->kind));
		goto out;
	}
	for (i = 0; i < e->m.nmms && !c.rc; i++) {
		struct pgt_mm *mm = e->m.mms[i];
		uint32_t top_entries;

		if (!mm || mm->dead)
			continue;
		c.mm = mm;
		if (check_vmas(&c, mm))
			break;
		top_entries = a->levels[mm->top_level].nentries;
		if (mm->top_level == 0 && a->levels[0].nentries * 
		    (1ull << a->levels[0].shift) > a->user_limit &&
		    a->levels[0].shift < 63)
			top_entries = (uint32_t)(a->user_limit >> a->levels[0].shift);
		c.nseen = 0;
		walk_table(&c, mm->top_level, mm->top, 0, top_entries,
			   a->user_limit);
	}
out:
	free(c.seen);
	return c.rc;
}
