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

int pgt_pae_scan(const struct pgt_dump_facts *d, const struct pgt_arch *a,
		 const struct pgt_dump_roots *r, pgt_scan_found_fn *found,
		 void *ctx, struct pgt_err *err)
{
	struct pae_ref *ref = malloc(sizeof(*ref));
	uint8_t *page, *next;
	struct pgt_dump_root n;
	uint64_t start, end;
	size_t ri;
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
				    !pae_consider(d, a, ref, pa + o, page + o, &n))
					continue;
				if (found(ctx, &n, o ? "PAE PDPT (32-byte slab object)" : "PAE PDPT (page)"))
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
				if (found(ctx, &n, "PAE PDPT (PTI user copy, pgd + 0x1000)"))
					goto oom;
			}
		}
	}
	free(ref);
	return PGT_OK;
oom:
	free(ref);
	return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
}

