/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Roots of x86-64 (4- and 5-level) and 2-level i386 dumps (discover.h):
 * each CPU's CR3 and its PTI partner, the kernel's pgd from VMCOREINFO,
 * and --scan-roots for x86-64.
 *
 * PTI (arch/x86/mm/pti.c, asm/pgtable.h): a process pgd is an order-1
 * allocation, the kernel copy on the even page and the user copy at
 * +0x1000 (PTI_USER_PGTABLE_BIT = PAGE_SHIFT); the user half of both is
 * the same (the kernel copy's user entries get NX, the CPU may set A in
 * either), the user copy's kernel half maps only the entry trampoline and
 * the cpu_entry_area.  CR3 holds the user copy (and a PCID in bits 11:0)
 * while the CPU runs user code.
 *
 * The kernel root (arch/x86/kernel/crash_core_64.c): VMCOREINFO
 * SYMBOL(init_top_pgt) is the run-time (KASLR-relocated) address in the
 * kernel image, so pa = sym - __START_KERNEL_map + phys_base, phys_base
 * from NUMBER(phys_base) (decimal); swapper_pg_dir is the same table
 * under its generic name (crash_core.c).  If that address holds no top
 * table, the symbol may be a link-time one: KERNELOFFSET (kaslr_offset())
 * is added.  i386 (2-level): SYMBOL(swapper_pg_dir) lies in the direct
 * map, pa = sym - PAGE_OFFSET, PAGE_OFFSET being one of the VMSPLIT
 * choices (as for PAE, x86-discover.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arch.h"
#include "x86-discover.h"

#define PAGE 4096u
#define START_KERNEL_MAP 0xffffffff80000000ull
#define X86_CR0_PG (1ull << 31)
#define ENT_A 0x20ull
#define ENT_NX (1ull << 63)
#define CERTAIN_SCAN 200000L	/* no findings in the trial walk */

/* top-table slots that map user space: [0, user_slots) */
static unsigned user_slots(const struct pgt_arch *a)
{
	return (unsigned)((pgt_va_index(a, a->user_limit - 1) >>
			   a->levels[0].shift) + 1);
}

static uint64_t ent(const struct pgt_arch *a, const uint8_t *b, unsigned i)
{
	return pgt_ent_load(a, 0, b + (size_t)i * a->levels[0].entsize);
}

/* every non-empty entry of [lo, hi) of the top table at b is a table in
 * memory (a leaf where the arch allows one there); *present: how many */
static bool top_ok(const struct pgt_dump_facts *f, const struct pgt_arch *a,
		   const uint8_t *b, unsigned lo, unsigned hi, unsigned *present)
{
	unsigned i;

	*present = 0;
	for (i = lo; i < hi; i++) {
		uint64_t e = ent(a, b, i);
		struct pgt_ent_info ei;

		if (!e)
			continue;
		a->entry_decode(0, e, &ei);
		if (ei.kind == PGT_ENT_TABLE ?
		    f->mem->limit && ei.next >= f->mem->limit :
		    ei.kind != PGT_ENT_LEAF)
			return false;
		(*present)++;
	}
	return true;
}

/* the user halves of two top tables are the same, A and NX aside */
static bool same_user(const struct pgt_arch *a, const uint8_t *x,
		      const uint8_t *y)
{
	unsigned i, n = user_slots(a);

	for (i = 0; i < n; i++)
		if ((ent(a, x, i) & ~(ENT_A | ENT_NX)) !=
		    (ent(a, y, i) & ~(ENT_A | ENT_NX)))
			return false;
	return true;
}

static bool same_kernel(const struct pgt_arch *a, const uint8_t *x,
			const uint8_t *y)
{
	unsigned i, n = a->levels[0].nentries;

	for (i = user_slots(a); i < n; i++)
		if ((ent(a, x, i) & ~ENT_A) != (ent(a, y, i) & ~ENT_A))
			return false;
	return true;
}

/* the PTI partner of the top table t: t ^ 0x1000 when both are top
 * tables with the same user half and different kernel halves */
static bool pti_partner(const struct pgt_dump_facts *f,
			const struct pgt_arch *a, uint64_t t, uint64_t *partner,
			bool *partner_is_user)
{
	uint8_t *x = malloc(2 * PAGE), *y;
	unsigned n = a->levels[0].nentries, us = user_slots(a), kp, up;
	bool ok;

	if (!x)
		return false;
	y = x + PAGE;
	*partner = t ^ 0x1000;
	*partner_is_user = !(t & 0x1000);
	ok = !pgt_facts_read(f, t, x, PAGE) &&
	     !pgt_facts_read(f, *partner, y, PAGE) &&
	     top_ok(f, a, y, 0, us, &up) && top_ok(f, a, y, us, n, &kp) &&
	     kp > 0 && same_user(a, x, y) && !same_kernel(a, x, y);
	free(x);
	return ok;
}

void pgt_x86_cpu_roots(const struct pgt_dump_facts *f,
		       const struct pgt_arch *a, int i,
		       struct pgt_dump_roots *r)
{
	struct pgt_dump_root n = { .cpu = i, .user = true, .score = 1000 };
	struct pgt_root_info ri;
	uint64_t partner, cr[5];
	bool puser;

	if (!pgt_x86_cpu_cr(f, i, cr) || !(cr[0] & X86_CR0_PG))
		return;
	n.value = cr[3];
	snprintf(n.name, sizeof(n.name), "cpu%d", i);
	snprintf(n.source, sizeof(n.source), "CR3 of cpu %d (QEMU CPU-state note)", i);
	pgt_dump_roots_merge(r, &n);
	a->root_decode(cr[3], &ri);
	if (ri.why || !pti_partner(f, a, ri.table, &partner, &puser))
		return;
	n.value = partner;
	snprintf(n.name, sizeof(n.name), "cpu%d-%s", i, puser ? "user" : "kernel");
	snprintf(n.source, sizeof(n.source),
		 "PTI %s copy of cpu %d's pgd (CR3 %s 0x1000; user halves equal)",
		 puser ? "user" : "kernel", i, puser ? "+" : "-");
	pgt_dump_roots_merge(r, &n);
}

/* a top table at pa whose kernel half maps something and whose every
 * entry is well-formed */
static bool kernel_top_at(const struct pgt_dump_facts *f,
			  const struct pgt_arch *a, uint64_t pa)
{
	uint8_t *b = malloc(PAGE);
	unsigned n = a->levels[0].nentries, us = user_slots(a), up, kp;
	bool ok;

	if (!b)
		return false;
	ok = !pgt_facts_read(f, pa, b, PAGE) && top_ok(f, a, b, 0, us, &up) &&
	     top_ok(f, a, b, us, n, &kp) && kp > 0;
	free(b);
	return ok;
}

void pgt_x86_64_kernel_root(const struct pgt_dump_facts *f,
			    const struct pgt_arch *a, struct pgt_dump_roots *r)
{
	struct pgt_dump_root n = { .cpu = -1, .kernel = true, .score = 1000 };
	const char *key = "SYMBOL(init_top_pgt)";
	char sym[24], base[24], off[24];
	uint64_t va, pa;
	int64_t phys_base = 0;

	if (!f->vmcoreinfo(f->dump, key, sym, sizeof(sym))) {
		key = "SYMBOL(swapper_pg_dir)";
		if (!f->vmcoreinfo(f->dump, key, sym, sizeof(sym)))
			return;
	}
	va = strtoull(sym, NULL, 16);
	if (va < START_KERNEL_MAP)
		return;	/* not an address in the kernel image */
	if (f->vmcoreinfo(f->dump, "NUMBER(phys_base)", base, sizeof(base)))
		phys_base = strtoll(base, NULL, 10);	/* "%ld" */
	else
		snprintf(base, sizeof(base), "0 (not recorded)");
	pa = va - START_KERNEL_MAP + (uint64_t)phys_base;
	strcpy(n.name, "kernel");
	if (kernel_top_at(f, a, pa)) {
		n.value = pa;
		snprintf(n.source, sizeof(n.source),
			 "VMCOREINFO %s=%s - __START_KERNEL_map + phys_base %s",
			 key, sym, base);
		pgt_dump_roots_merge(r, &n);
		return;
	}
	if (!f->vmcoreinfo(f->dump, "KERNELOFFSET", off, sizeof(off)))
		return;
	pa += strtoull(off, NULL, 16);
	if (!kernel_top_at(f, a, pa))
		return;
	n.value = pa;
	snprintf(n.source, sizeof(n.source),
		 "VMCOREINFO %s=%s + KERNELOFFSET %s - __START_KERNEL_map + phys_base %s",
		 key, sym, off, base);
	pgt_dump_roots_merge(r, &n);
}

static const uint64_t i386_page_offsets[] = {
	0xc0000000ull,	/* VMSPLIT_3G, the default */
	0x80000000ull,	/* VMSPLIT_2G(_OPT) */
	0x78000000ull,
	0x40000000ull,	/* VMSPLIT_1G */
};

void pgt_i386_kernel_root(const struct pgt_dump_facts *f,
			  const struct pgt_arch *a, struct pgt_dump_roots *r)
{
	struct pgt_dump_root n = { .cpu = -1, .kernel = true, .score = 1000 };
	char sym[40];
	uint64_t va;
	size_t i;

	if (!f->vmcoreinfo(f->dump, "SYMBOL(swapper_pg_dir)", sym, sizeof(sym)))
		return;
	va = strtoull(sym, NULL, 16);
	for (i = 0; i < sizeof(i386_page_offsets) / sizeof(i386_page_offsets[0]); i++) {
		if (va < i386_page_offsets[i] ||
		    !kernel_top_at(f, a, va - i386_page_offsets[i]))
			continue;
		n.value = va - i386_page_offsets[i];
		strcpy(n.name, "kernel");
		snprintf(n.source, sizeof(n.source),
			 "VMCOREINFO SYMBOL(swapper_pg_dir)=%s - PAGE_OFFSET 0x%" PRIx64,
			 sym, i386_page_offsets[i]);
		pgt_dump_roots_merge(r, &n);
		return;
	}
}

/* ---- --scan-roots ---- */

struct scan {
	const struct pgt_dump_facts *f;
	const struct pgt_arch *a;
	uint8_t page[PAGE], next[PAGE];
	uint64_t ref[512];	/* the kernel root's kernel half */
	unsigned nref;		/* its present entries; 0: no kernel root */
};

static void scan_reference(struct scan *s, const struct pgt_dump_roots *r)
{
	const struct pgt_arch *a = s->a;
	struct pgt_root_info ri;
	unsigned i, us = user_slots(a);
	size_t k;

	s->nref = 0;
	for (k = 0; k < r->n && !s->nref; k++) {
		if (!r->v[k].kernel)
			continue;
		a->root_decode(r->v[k].value, &ri);
		if (ri.why || pgt_facts_read(s->f, ri.table, s->page, PAGE))
			continue;
		for (i = us; i < 512; i++) {
			s->ref[i] = ent(a, s->page, i) & ~ENT_A;
			s->nref += !!s->ref[i];
		}
	}
}

/* the top table in s->page at pa: a process pgd?  fills out */
static bool consider(struct scan *s, uint64_t pa, struct pgt_dump_root *out)
{
	const struct pgt_arch *a = s->a;
	unsigned i, us = user_slots(a), up, kp, match = 0;
	uint64_t pages = 0, findings = 0;
	int kpct;

	if (!top_ok(s->f, a, s->page, us, 512, &kp) ||
	    !top_ok(s->f, a, s->page, 0, us, &up) || !up)
		return false;
	if (s->nref) {
		for (i = us; i < 512; i++)
			match += s->ref[i] &&
				 (ent(a, s->page, i) & ~ENT_A) == s->ref[i];
		if (2 * match < s->nref)
			return false;
		kpct = (int)(100 * match / s->nref);
	} else {
		if (kp < 8)
			return false;
		kpct = 50;
	}
	s->f->trial_walk(s->f->dump, a, pa, a->user_limit, &pages, &findings);
	memset(out, 0, sizeof(*out));
	out->value = pa;
	out->cpu = -1;
	out->user = true;
	out->score = (findings ? 0 : CERTAIN_SCAN) + kpct * 1000L +
		     (long)(pages < 999 ? pages : 999);
	if (s->nref)
		snprintf(out->evidence, sizeof(out->evidence),
			 "kernel half equal to the kernel root's in %u of %u entries; %u user entries; user half: %" PRIu64 " pages, %" PRIu64 " findings",
			 match, s->nref, up, pages, findings);
	else
		snprintf(out->evidence, sizeof(out->evidence),
			 "kernel half well-formed (%u present entries; no kernel root to compare with); %u user entries; user half: %" PRIu64 " pages, %" PRIu64 " findings",
			 kp, up, pages, findings);
	return true;
}

int pgt_x86_64_scan(const struct pgt_dump_facts *f, const struct pgt_arch *a,
		    const struct pgt_dump_roots *r, pgt_scan_found_fn *found,
		    void *ctx, struct pgt_err *err)
{
	struct scan *s = malloc(sizeof(*s));
	const char *what = a->nlevels == 5 ? "PML5 (page)" : "PML4 (page)";
	struct pgt_dump_root n;
	uint64_t start, end;
	unsigned kp, us = user_slots(a);
	size_t ri;

	if (!s)
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	s->f = f;
	s->a = a;
	scan_reference(s, r);
	for (ri = 0; f->run(f->dump, ri, &start, &end); ri++) {
		uint64_t pa = (start + PAGE - 1) & ~(uint64_t)(PAGE - 1);

		for (; pa + PAGE <= end; pa += PAGE) {
			if (pgt_facts_read(f, pa, s->page, PAGE) ||
			    !consider(s, pa, &n))
				continue;
			if (found(ctx, &n, what))
				goto oom;
			/* PTI: the user copy is the next page, its user
			 * half the same, its kernel half different */
			if ((pa & 0x1000) ||
			    pgt_facts_read(f, pa + PAGE, s->next, PAGE) ||
			    !top_ok(f, a, s->next, us, 512, &kp) || !kp ||
			    !same_user(a, s->page, s->next) ||
			    same_kernel(a, s->page, s->next))
				continue;
			n.value = pa + PAGE;
			n.score -= 1;
			snprintf(n.evidence, sizeof(n.evidence),
				 "PTI user copy of the pgd at 0x%" PRIx64 " (user halves equal, %u kernel-half entries)",
				 pa, kp);
			if (found(ctx, &n, a->nlevels == 5 ?
				  "PML5 (PTI user copy, pgd + 0x1000)" :
				  "PML4 (PTI user copy, pgd + 0x1000)"))
				goto oom;
		}
	}
	free(s);
	return PGT_OK;
oom:
	free(s);
	return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
}
