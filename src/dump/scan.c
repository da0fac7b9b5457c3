/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * --scan-roots: find page-table roots that no register recorded (a kdump
 * vmcore has no CR3 at all) by scanning memory for well-formed top-level
 * tables, each ranked by how plausible it is and shown with the evidence.
 *
 *  PAE: a PDPT is 4 entries (32 bytes, 32-byte aligned) whose present
 *  entries have no reserved bits and point at distinct pages in memory;
 *  its kernel slot must point at the kernel's PMD or at a copy of it (with
 *  PTI every pgd has its own copy: compare contents with swapper_pg_dir's);
 *  its user PMDs must hold well-formed entries.  With PTI the user copy is
 *  the next page, with the same user slots.  A trial walk of the user half
 *  counts pages and findings: stale tables of dead processes show findings.
 *
 *  s390x: region and segment tables are 16 KiB aligned CRSTs of 2048
 *  entries, each either the level's empty value or a valid entry with the
 *  same table type; tables that another candidate points to are not roots.
 *
 * Only memory the file has bytes for is scanned (data_end): the zeros a
 * PT_LOAD adds past its p_filesz hold no table, and a p_memsz of 2^62
 * must not mean 2^50 pages to look at.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dump-priv.h"
#include "../walk/walk.h"

#define CERTAIN 1000000L	/* registers and VMCOREINFO rank above scans */
#define PAGE 4096u

#define rd pgt_dump_read

/* a PAE entry at p: the arch loads it in the dump's byte order */
static uint64_t pae_ent(const struct pgt_arch *a, const uint8_t *p)
{
	return pgt_ent_load(a, 0, p);
}

/* ---- PAE ---- */

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
static int pmd_quality(const struct pgt_dump *d, const struct pgt_arch *a,
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
		    d->pm.limit && ei.next >= d->pm.limit :
		    ei.kind != PGT_ENT_LEAF)
			return -1;	/* malformed, or a swap entry */
		(*present)++;
	}
	return 0;
}

static unsigned kernel_match(const struct pgt_dump *d, const struct pgt_arch *a,
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

static void pae_reference(const struct pgt_dump *d, const struct pgt_arch *a,
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
static void trial_walk(const struct pgt_dump *d, const struct pgt_arch *a,
		       uint64_t root, uint64_t end, struct pgt_walk_stats *st)
{
	struct pgt_view_src src = {
		.arch = a, .mem = (struct pgt_physmem *)&d->pm, .root = root,
		.va_end = end,
	};
	struct pgt_err err = { 0 };

	if (pgt_walk_stats_collect(&src, st, &err))
		st->findings++;
}

static int pae_consider(const struct pgt_dump *d, const struct pgt_arch *a,
			struct pae_ref *ref, uint64_t pa,
			const uint8_t *p, struct pgt_dump_root *out)
{
	struct pgt_walk_stats st;
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
	memset(&st, 0, sizeof(st));
	trial_walk(d, a, pa, a->user_limit, &st);
	memset(out, 0, sizeof(*out));
	out->value = pa;
	out->cpu = -1;
	out->user = true;
	out->score = (st.findings ? 0 : 200000) + kpct * 1000L +
		     (long)(st.pages < 999 ? st.pages : 999);
	if (!ref->have)
		snprintf(out->evidence, sizeof(out->evidence),
			 "kernel PMD well-formed (%u present entries; no swapper_pg_dir to compare with); %u user PMD entries; user half: %" PRIu64 " pages, %" PRIu64 " findings",
			 kpresent, upresent, st.pages, st.findings);
	else
		snprintf(out->evidence, sizeof(out->evidence),
			 "kernel PMD %s (%u of %u entries equal); %u user PMD entries; user half: %" PRIu64 " pages, %" PRIu64 " findings",
			 kpmd == ref->kpmd ?
				"shared with swapper_pg_dir" : "a copy of swapper_pg_dir's",
			 kmatch, ref->npresent, upresent, st.pages, st.findings);
	return 1;
}

/* the same table: an ASCE's control bits do not make another root */
static bool same_root(uint64_t a, uint64_t b)
{
	return a == b || ((a & 0xfff) && (b & 0xfff) &&
			  (a & ~0xfffull) == (b & ~0xfffull));
}

static int add_scanned(struct pgt_dump_roots *r, struct pgt_dump_root *n,
		       unsigned *seq, const char *what)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (same_root(r->v[i].value, n->value)) {
			/* already known from a register or VMCOREINFO: add
			 * the scan's evidence to it */
			if (!r->v[i].evidence[0])
				snprintf(r->v[i].evidence, sizeof(r->v[i].evidence),
					 "scan: %.200s", n->evidence);
			return 0;
		}
	snprintf(n->name, sizeof(n->name), "scan%u", (*seq)++);
	snprintf(n->source, sizeof(n->source), "memory scan: %s", what);
	return pgt_dump_roots_add(r, n);
}

static int pae_scan(const struct pgt_dump *d, const struct pgt_arch *a,
		    struct pgt_dump_roots *r, unsigned *seq,
		    struct pgt_err *err)
{
	struct pae_ref *ref = malloc(sizeof(*ref));
	uint8_t *page, *next;
	struct pgt_dump_root n;
	size_t ri;
	unsigned o;

	if (!ref)
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	page = ref->page;
	next = ref->next;
	pae_reference(d, a, r, ref);
	for (ri = 0; ri < d->nranges; ri++) {
		uint64_t pa = (d->ranges[ri].start + PAGE - 1) & ~(uint64_t)(PAGE - 1);

		for (; pa + PAGE <= d->ranges[ri].data_end; pa += PAGE) {
			if (rd(d, pa, page, PAGE))
				continue;
			for (o = 0; o < PAGE; o += 32) {
				if (!pgt_pdpt_ok(d, a, page + o) ||
				    !pae_consider(d, a, ref, pa + o, page + o, &n))
					continue;
				if (add_scanned(r, &n, seq, o ? "PAE PDPT (32-byte slab object)" : "PAE PDPT (page)"))
					goto oom;
				/* PTI: the user copy is the next page, its user
				 * slots equal, its kernel slot the PTI PMD */
				if (o || (pa & 0x1000) || rd(d, pa + PAGE, next, 32) ||
				    !pgt_pdpt_ok(d, a, next) ||
				    !pgt_pdpt_same_user(a, page, next))
					continue;
				n.value = pa + PAGE;
				n.score -= 1;
				snprintf(n.evidence, sizeof(n.evidence),
					 "PTI user copy of the pgd at 0x%" PRIx64 " (user slots equal, kernel slot 0x%" PRIx64 ")",
					 pa, pae_ent(a, next + 24));
				if (add_scanned(r, &n, seq, "PAE PDPT (PTI user copy, pgd + 0x1000)"))
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

/* ---- s390x ---- */

#define CRST_BYTES PGT_CRST_BYTES
#define CRST_ENTRIES PGT_CRST_ENTRIES

struct crst {
	uint64_t pa;
	int dt;
	unsigned valid;
	bool child;
};

static int cmp_pa(const void *x, const void *y)
{
	uint64_t a = ((const struct crst *)x)->pa, b = ((const struct crst *)y)->pa;

	return a < b ? -1 : a > b;
}

static struct crst *find_crst(struct crst *v, size_t n, uint64_t pa)
{
	struct crst key = { .pa = pa };

	return bsearch(&key, v, n, sizeof(*v), cmp_pa);
}

static int s390x_scan(const struct pgt_dump *d, const struct pgt_arch *a,
		      struct pgt_dump_roots *r, unsigned *seq,
		      struct pgt_err *err)
{
	uint8_t *b = malloc(CRST_BYTES);
	struct crst *v = NULL;
	size_t n = 0, cap = 0, ri, i;
	unsigned k;

	if (!b)
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");

	for (ri = 0; ri < d->nranges; ri++) {
		uint64_t pa = (d->ranges[ri].start + CRST_BYTES - 1) & ~(uint64_t)(CRST_BYTES - 1);

		for (; pa + CRST_BYTES <= d->ranges[ri].data_end; pa += CRST_BYTES) {
			unsigned valid;
			int dt;

			if (rd(d, pa, b, CRST_BYTES) ||
			    (dt = pgt_crst_type(d, a, b, &valid)) < 0)
				continue;
			if (n == cap) {
				struct crst *nv = realloc(v, (cap = cap ? 2 * cap : 64) * sizeof(*v));

				if (!nv) {
					free(v);
					free(b);
					return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
				}
				v = nv;
			}
			v[n++] = (struct crst){ pa, dt, valid, false };
		}
	}
	/* tables a higher candidate points to are not roots */
	for (i = 0; i < n; i++) {
		if (!v[i].dt || rd(d, v[i].pa, b, CRST_BYTES))
			continue;
		for (k = 0; k < CRST_ENTRIES; k++) {
			uint64_t e = pgt_ent_load(a, 0, b + 8 * k);
			struct crst *c;

			if (e == a->levels[3 - v[i].dt].empty)
				continue;
			c = find_crst(v, n, e & ~0xfffull);
			if (c && c->dt == v[i].dt - 1)
				c->child = true;
		}
	}
	for (i = 0; i < n; i++) {
		struct pgt_walk_stats st;
		struct pgt_dump_root root = { .cpu = -1, .user = true };
		static const char *const dtn[] = { "segment", "region-third",
						   "region-second", "region-first" };
		char what[64];

		if (v[i].child)
			continue;
		root.value = v[i].pa | (uint64_t)v[i].dt << 2 | 3;
		memset(&st, 0, sizeof(st));
		trial_walk(d, a, root.value, 0, &st);
		if (!st.pages || st.findings)
			continue;	/* stale or not a table tree at all */
		/* Linux gives every user space at least a region-third
		 * table; a lone segment table ranks below */
		root.score = (v[i].dt ? 200000 : 100000) +
			     (long)(st.pages < 99999 ? st.pages : 99999);
		snprintf(root.evidence, sizeof(root.evidence),
			 "%s table, %u valid entries, referenced by no other table; walk: %" PRIu64 " pages, %" PRIu64 " findings",
			 dtn[v[i].dt], v[i].valid, st.pages, st.findings);
		snprintf(what, sizeof(what), "16 KiB %s table", dtn[v[i].dt]);
		if (add_scanned(r, &root, seq, what)) {
			free(v);
			free(b);
			return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
		}
	}
	free(v);
	free(b);
	return PGT_OK;
}

/* ---- ranking ---- */

static int by_score(const void *x, const void *y)
{
	const struct pgt_dump_root *a = x, *b = y;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return a->value < b->value ? -1 : a->value > b->value;
}

int pgt_dump_scan_roots(const struct pgt_dump *d, const struct pgt_arch *a,
			struct pgt_dump_roots *r, struct pgt_err *err)
{
	size_t first = r->n, i;
	unsigned seq = 0;
	int rc;

	for (i = 0; i < r->n; i++)
		r->v[i].score = CERTAIN;
	if (!strcmp(a->name, "pae"))
		rc = pae_scan(d, a, r, &seq, err);
	else if (!strcmp(a->name, "s390x"))
		rc = s390x_scan(d, a, r, &seq, err);
	else
		return pgt_fail(err, PGT_ERR_UNSUPPORTED,
				"--scan-roots: not implemented for %s (pae and s390x are)",
				a->name);
	if (rc)
		return rc;
	r->scanned = true;
	if (r->n == first)
		return PGT_OK;	/* none found (r->v may be NULL) */
	qsort(r->v + first, r->n - first, sizeof(*r->v), by_score);
	for (i = first; i < r->n; i++)
		snprintf(r->v[i].name, sizeof(r->v[i].name), "scan%zu", i - first);
	return PGT_OK;
}
