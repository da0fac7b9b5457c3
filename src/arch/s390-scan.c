/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * --scan-roots on s390x: region and segment tables are 16 KiB aligned
 * CRSTs of 2048 entries, each either the level's empty value or a valid
 * entry with the same table type; tables that another candidate points to
 * are not roots.  A trial walk of each candidate keeps those that map
 * pages without findings.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arch.h"
#include "s390-discover.h"

#define rd pgt_facts_read

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

int pgt_s390x_scan(const struct pgt_dump_facts *d, const struct pgt_arch *a,
		   const struct pgt_dump_roots *r, pgt_scan_found_fn *found,
		   void *ctx, struct pgt_err *err)
{
	uint8_t *b = malloc(CRST_BYTES);
	struct crst *v = NULL;
	size_t n = 0, cap = 0, ri, i;
	uint64_t start, end;
	unsigned k;

	(void)r;	/* a root known already is merged by found */
	if (!b)
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");

	for (ri = 0; d->run(d->dump, ri, &start, &end); ri++) {
		uint64_t pa = (start + CRST_BYTES - 1) & ~(uint64_t)(CRST_BYTES - 1);

		for (; pa + CRST_BYTES <= end; pa += CRST_BYTES) {
			unsigned valid;
			int dt;

			if (rd(d, pa, b, CRST_BYTES) ||
			    (dt = pgt_s390x_crst_type(d, a, b, &valid)) < 0)
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
		uint64_t pages = 0, findings = 0;
		struct pgt_dump_root root = { .cpu = -1, .user = true };
		static const char *const dtn[] = { "segment", "region-third",
						   "region-second", "region-first" };
		char what[64];

		if (v[i].child)
			continue;
		root.value = v[i].pa | (uint64_t)v[i].dt << 2 | 3;
		d->trial_walk(d->dump, a, root.value, 0, &pages, &findings);
		if (!pages || findings)
			continue;	/* stale or not a table tree at all */
		/* Linux gives every user space at least a region-third
		 * table; a lone segment table ranks below */
		root.score = (v[i].dt ? 200000 : 100000) +
			     (long)(pages < 99999 ? pages : 99999);
		snprintf(root.evidence, sizeof(root.evidence),
			 "%s table, %u valid entries, referenced by no other table; walk: %" PRIu64 " pages, %" PRIu64 " findings",
			 dtn[v[i].dt], v[i].valid, pages, findings);
		snprintf(what, sizeof(what), "16 KiB %s table", dtn[v[i].dt]);
		if (found(ctx, &root, what)) {
			free(v);
			free(b);
			return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
		}
	}
	free(v);
	free(b);
	return PGT_OK;
}

