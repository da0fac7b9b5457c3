/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * --scan-roots on PAE: find the pgds no register recorded (a kdump vmcore
 * has no CR3 at all) by scanning memory for PDPTs.  A PDPT is 4 entries
 * (32 bytes, 32-byte aligned) whose present entries have no reserved bits
 * and point at distinct pages in memory; its kernel slot must point at the
 * kernel's PMD or at a copy of it (with PTI every pgd has its own copy:
 * compare contents with swapper_pg_dir's); its user PMDs must hold
 * well-formed entries.  With PTI the user copy is the next page, with the
 * same user slots.  A trial walk of the user half counts pages and
 * findings: stale tables of dead processes show findings.
 *
 * Without PTI (SHARED_KERNEL_PMD) a pgd is a 32-byte object of the
 * pgd_cache slab, up to 128 in a page beside freed ones (pae.md §4.2,
 * arch/x86/mm/pgtable.c, mm/slub.c).  A freed object keeps its kernel
 * entry but no user entry: exit_mmap's free_pgtables and pgd_free's
 * mop-up clear them (pgd_mop_up_pmds), and SLUB stores its free pointer
 * in the middle of the object (offset 16, the low word of slot 2, since
 * Linux 5.7; offset 0, slot 0, before), hardened by a random XOR
 * (CONFIG_SLAB_FREELIST_HARDENED).  So a candidate counts only with a
 * user entry as Linux writes one (pud_populate: the PMD's address | P,
 * nothing else; the accessed bit QEMU's walker sets aside), and a
 * candidate whose one user entry is in the free pointer's slot and names
 * a PMD another candidate holds is a freed object whose free pointer
 * happens to read as a PDPTE (user PMDs belong to one mm; PTI pairs
 * aside): it is left out.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arch.h"
#include "x86-discover.h"

#define PAGE 4096u

#define rd pgt_facts_read

/* a PAE entry at p: the arch loads it in the dump's byte order */
static uint64_t pae_ent(const struct pgt_arch *a, const uint8_t *p)
{
	return pgt_ent_load(a, 0, p);
}

struct pae_ref {
	bool have;
	uint64_t kpmd;		/* swapper's kernel PMD */
	uint64_t ent[512];
	unsigned npresent;
	uint8_t page[PAGE], next[PAGE], tmp[PAGE];	/* scan buffers */
};

/* the table a PDPT slot points at (0: none), by the arch's decoder */
static uint64_t pdpte_table(const struct pgt_arch *a, const uint8_t *pdpt,
			    int slot)
{
	struct pgt_ent_info ei;

	a->entry_decode(0, pae_ent(a, pdpt + 8 * slot), &ei);
	return ei.kind == PGT_ENT_TABLE ? ei.next : 0;
}

/* a PMD page: every entry 0 or a valid table or 2 MiB leaf (the arch's
 * decoder), none with the high bits 52-62 that Linux never sets on PAE
 * (random data does): a cheap, strong filter for the scan */
static int pmd_quality(const struct pgt_dump_facts *d, const struct pgt_arch *a,
		       uint64_t pa, uint8_t *b, unsigned *present)
{
	unsigned i;

	*present = 0;
	if (rd(d, pa, b, PAGE))
		return -1;
	for (i = 0; i < 512; i++) {
		uint64_t e = pgt_ent_load(a, 1, b + 8 * i);
		struct pgt_ent_info ei;

		if (!e)
			continue;
		if (e & 0x7ff0000000000000ull)
			return -1;
		a->entry_decode(1, e, &ei);
		if (ei.kind == PGT_ENT_TABLE ?
		    d->mem->limit && ei.next >= d->mem->limit :
		    ei.kind != PGT_ENT_LEAF)
			return -1;	/* malformed, or a swap entry */
		(*present)++;
	}
	return 0;
}

static unsigned kernel_match(const struct pgt_dump_facts *d, const struct pgt_arch *a,
			     const struct pae_ref *ref, uint64_t kpmd, uint8_t *b)
{
	unsigned i, n = 0;

	if (kpmd == ref->kpmd)
		return ref->npresent;
	if (rd(d, kpmd, b, PAGE))
		return 0;
	for (i = 0; i < 512; i++)
		if (ref->ent[i] && pgt_ent_load(a, 1, b + 8 * i) == ref->ent[i])
			n++;
	return n;
}

static void pae_reference(const struct pgt_dump_facts *d, const struct pgt_arch *a,
			  const struct pgt_dump_roots *r, struct pae_ref *ref)
{
	uint8_t pdpt[32];
	size_t i;
	unsigned k;

	ref->have = false;
	ref->npresent = 0;
	for (i = 0; i < r->n && !ref->have; i++) {
		if (!r->v[i].kernel ||
		    rd(d, r->v[i].value & 0xffffffe0ull, pdpt, sizeof(pdpt)) ||
		    !(ref->kpmd = pdpte_table(a, pdpt, 3)) ||
		    rd(d, ref->kpmd, ref->tmp, PAGE))
			continue;
		for (k = 0; k < 512; k++) {
			ref->ent[k] = pgt_ent_load(a, 1, ref->tmp + 8 * k);
			ref->npresent += !!ref->ent[k];
		}
		ref->have = ref->npresent > 0;
	}
}

/* a trial walk of the user half: pages mapped, findings */
static void trial_walk(const struct pgt_dump_facts *d, const struct pgt_arch *a,
		       uint64_t root, uint64_t end, uint64_t *pages,
		       uint64_t *findings)
{
	*pages = *findings = 0;
	d->trial_walk(d->dump, a, root, end, pages, findings);
}

/* a candidate pgd: its root, its user PMDs */
struct cand {
	struct pgt_dump_root n;
	const char *what;
	uint64_t pmd[3];	/* 0: slot empty */
	unsigned slots;		/* user slots present */
};

/* the user entries of the PDPT at p as Linux writes them (table | P, A
 * tolerated); their PMDs into pmd[], how many into *slots */
static bool user_slots_linux(const struct pgt_arch *a, const uint8_t *p,
			     uint64_t pmd[3], unsigned *slots)
{
	int i;

	*slots = 0;
	for (i = 0; i < 3; i++) {
		uint64_t e = pae_ent(a, p + 8 * i);

		pmd[i] = 0;
		if (!e)
			continue;
		if ((e & 0xfffull & ~0x20ull) != 0x001)
			return false;
		pmd[i] = pdpte_table(a, p, i);
		(*slots)++;
	}
	return *slots > 0;
}

static int pae_consider(const struct pgt_dump_facts *d, const struct pgt_arch *a,
			struct pae_ref *ref, uint64_t pa,
			const uint8_t *p, struct pgt_dump_root *out)
{
	uint64_t pages, findings;
	unsigned kmatch = 0, kpresent, upresent = 0, n;
	uint64_t kpmd = pdpte_table(a, p, 3), t;
	int i, kpct;

	if (pmd_quality(d, a, kpmd, ref->tmp, &kpresent))
		return 0;
	if (ref->have) {
		kmatch = kernel_match(d, a, ref, kpmd, ref->tmp);
		if (2 * kmatch < ref->npresent)
			return 0;
		kpct = (int)(100 * kmatch / ref->npresent);
	} else {
		if (kpresent < 8)
			return 0;
		kpct = 50;
	}
	for (i = 0; i < 3; i++) {
		if (!(t = pdpte_table(a, p, i)))
			continue;
		if (pmd_quality(d, a, t, ref->tmp, &n))
			return 0;
		upresent += n;
	}
	trial_walk(d, a, pa, a->user_limit, &pages, &findings);
	memset(out, 0, sizeof(*out));
	out->value = pa;
	out->cpu = -1;
	out->user = true;
	out->score = (findings ? 0 : 200000) + kpct * 1000L +
		     (long)(pages < 999 ? pages : 999);
	if (!ref->have)
		snprintf(out->evidence, sizeof(out->evidence),
			 "kernel PMD well-formed (%u present entries; no swapper_pg_dir to compare with); %u user PMD entries; user half: %" PRIu64 " pages, %" PRIu64 " findings",
			 kpresent, upresent, pages, findings);
	else
		snprintf(out->evidence, sizeof(out->evidence),
			 "kernel PMD %s (%u of %u entries equal); %u user PMD entries; user half: %" PRIu64 " pages, %" PRIu64 " findings",
			 kpmd == ref->kpmd ?
				"shared with swapper_pg_dir" : "a copy of swapper_pg_dir's",
			 kmatch, ref->npresent, upresent, pages, findings);
	return 1;
}

/* the candidates so far, growing */
struct cands {
	struct cand *v;
	size_t n, cap;
};

static int cand_add(struct cands *c, const struct pgt_dump_root *n,
		    const char *what, const uint64_t pmd[3], unsigned slots)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 32;
		struct cand *v = realloc(c->v, cap * sizeof(*v));

		if (!v)
			return -1;
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n].n = *n;
	c->v[c->n].what = what;
	memcpy(c->v[c->n].pmd, pmd, sizeof(c->v[c->n].pmd));
	c->v[c->n].slots = slots;
	c->n++;
	return 0;
}

/* x and y are the two copies of one PTI pgd pair */
static bool pti_pair(uint64_t x, uint64_t y)
{
	return !(x & 0xfff) && !(y & 0xfff) && (x ^ y) == 0x1000;
}

/* c is a freed slab object whose free pointer reads as a PDPTE: its only
 * user entry, in slot 2 or slot 0, names a PMD another candidate has */
static bool freed_object(const struct cands *c, size_t k)
{
	const struct cand *x = &c->v[k];
	uint64_t pmd = x->pmd[2] ? x->pmd[2] : x->pmd[0];
	size_t j;
	int s;

	if (x->slots != 1 || x->pmd[1])
		return false;
	for (j = 0; j < c->n; j++) {
		if (j == k || pti_pair(x->n.value, c->v[j].n.value))
			continue;
		for (s = 0; s < 3; s++)
			if (c->v[j].pmd[s] == pmd)
				return true;
	}
	return false;
}

/* an object at the start of a page is a slab object when the page holds
 * others */
static const char *slab_what(const struct cands *c, size_t k)
{
	uint64_t page = c->v[k].n.value & ~0xfffull;
	size_t j;

	if (c->v[k].n.value & 0xfff)
		return c->v[k].what;
	for (j = 0; j < c->n; j++)
		if ((c->v[j].n.value & ~0xfffull) == page &&
		    (c->v[j].n.value & 0xfff))
			return "PAE PDPT (32-byte slab object)";
	return c->v[k].what;
}

int pgt_pae_scan(const struct pgt_dump_facts *d, const struct pgt_arch *a,
		 const struct pgt_dump_roots *r, pgt_scan_found_fn *found,
		 void *ctx, struct pgt_err *err)
{
	struct pae_ref *ref = malloc(sizeof(*ref));
	struct cands c = { NULL, 0, 0 };
	uint8_t *page, *next;
	struct pgt_dump_root n;
	uint64_t start, end, pmd[3];
	unsigned slots;
	size_t ri, k;
	unsigned o;

	if (!ref)
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	page = ref->page;
	next = ref->next;
	pae_reference(d, a, r, ref);
	for (ri = 0; d->run(d->dump, ri, &start, &end); ri++) {
		uint64_t pa = (start + PAGE - 1) & ~(uint64_t)(PAGE - 1);

		for (; pa + PAGE <= end; pa += PAGE) {
			if (rd(d, pa, page, PAGE))
				continue;
			for (o = 0; o < PAGE; o += 32) {
				if (!pgt_pae_pdpt_ok(d, page + o) ||
				    !user_slots_linux(a, page + o, pmd, &slots) ||
				    !pae_consider(d, a, ref, pa + o, page + o, &n))
					continue;
				if (cand_add(&c, &n, o ? "PAE PDPT (32-byte slab object)" : "PAE PDPT (page)",
					     pmd, slots))
					goto oom;
				/* PTI: the user copy is the next page, its user
				 * slots equal, its kernel slot the PTI PMD */
				if (o || (pa & 0x1000) || rd(d, pa + PAGE, next, 32) ||
				    !pgt_pae_pdpt_ok(d, next) ||
				    !pgt_pae_same_user(page, next))
					continue;
				n.value = pa + PAGE;
				n.score -= 1;
				snprintf(n.evidence, sizeof(n.evidence),
					 "PTI user copy of the pgd at 0x%" PRIx64 " (user slots equal, kernel slot 0x%" PRIx64 ")",
					 pa, pae_ent(a, next + 24));
				if (cand_add(&c, &n, "PAE PDPT (PTI user copy, pgd + 0x1000)",
					     pmd, slots))
					goto oom;
			}
		}
	}
	for (k = 0; k < c.n; k++)
		if (!freed_object(&c, k) &&
		    found(ctx, &c.v[k].n, slab_what(&c, k)))
			goto oom;
	free(c.v);
	free(ref);
	return PGT_OK;
oom:
	free(c.v);
	free(ref);
	return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
}
