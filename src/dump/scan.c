/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * --scan-roots: find page-table roots that no register recorded (a kdump
 * vmcore has no CR3 at all) by scanning memory for well-formed top-level
 * tables, each ranked by how plausible it is and shown with the evidence.
 * What a top-level table looks like is the arch's to say
 * (pgt_arch_discover.scan); this file names, merges and ranks what it
 * finds.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dump.h"
#include "../arch/arch.h"

#define CERTAIN 1000000L	/* registers and VMCOREINFO rank above scans */

/* the same table at the same level: a root's control bits (an ASCE's
 * DT/TL, a CR3's PCID) do not make another root */
static bool same_root(const struct pgt_arch *arch, uint64_t a, uint64_t b)
{
	struct pgt_root_info x, y;

	if (a == b)
		return true;
	arch->root_decode(a, &x);
	arch->root_decode(b, &y);
	return !x.why && !y.why && x.table == y.table &&
	       x.top_level == y.top_level;
}

struct scan_ctx {
	const struct pgt_arch *arch;
	struct pgt_dump_roots *r;
	unsigned seq;
};

static int add_scanned(void *ctx, struct pgt_dump_root *n, const char *what)
{
	struct scan_ctx *c = ctx;
	struct pgt_dump_roots *r = c->r;
	size_t i;

	for (i = 0; i < r->n; i++)
		if (same_root(c->arch, r->v[i].value, n->value)) {
			/* already known from a register or VMCOREINFO: add
			 * the scan's evidence to it */
			if (!r->v[i].evidence[0])
				snprintf(r->v[i].evidence, sizeof(r->v[i].evidence),
					 "scan: %.200s", n->evidence);
			return 0;
		}
	snprintf(n->name, sizeof(n->name), "scan%u", c->seq++);
	snprintf(n->source, sizeof(n->source), "memory scan: %s", what);
	return pgt_dump_roots_add(r, n);
}

/* ---- ranking ---- */

static int by_score(const void *x, const void *y)
{
	const struct pgt_dump_root *a = x, *b = y;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return a->value < b->value ? -1 : a->value > b->value;
}

/* the arches that have a scan, for the message: "pae and s390x are" */
static const char *scan_arches(char *buf, size_t len)
{
	const struct pgt_arch *a;
	size_t i, n = 0, k = 0, at = 0;

	for (i = 0; (a = pgt_arch_nth(i)); i++)
		n += a->discover && a->discover->scan;
	buf[0] = 0;
	for (i = 0; (a = pgt_arch_nth(i)) && at < len; i++) {
		if (!a->discover || !a->discover->scan)
			continue;
		k++;
		at += (size_t)snprintf(buf + at, len - at, "%s%s",
				       k == 1 ? "" : k == n ? " and " : ", ",
				       a->name);
	}
	if (at < len)
		snprintf(buf + at, len - at, " %s", n == 1 ? "is" : "are");
	return buf;
}

int pgt_dump_scan_roots(const struct pgt_dump *d, const struct pgt_arch *a,
			struct pgt_dump_roots *r, struct pgt_err *err)
{
	struct scan_ctx ctx = { a, r, 0 };
	struct pgt_dump_facts f;
	char names[120];
	size_t first = r->n, i;
	int rc;

	for (i = 0; i < r->n; i++)
		r->v[i].score = CERTAIN;
	if (!a->discover || !a->discover->scan)
		return pgt_fail(err, PGT_ERR_UNSUPPORTED,
				"--scan-roots: not implemented for %s (%s)",
				a->name, scan_arches(names, sizeof(names)));
	pgt_dump_facts(d, &f);
	rc = a->discover->scan(&f, a, r, add_scanned, &ctx, err);
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
