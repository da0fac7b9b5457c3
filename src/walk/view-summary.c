/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * --summary of one walk: tables per level (with fragments: tables that do
 * not start on a page, s390 2 KiB halves, PAE 32-byte PDPTs), leaves per
 * level, present 4 KiB units ("pages": a 2 MiB leaf counts 512) and
 * findings.  Nothing per page is kept, so it runs in constant memory.
 */
#include <inttypes.h>
#include "view.h"

struct sum_ctx {
	const struct pgt_arch *arch;
	struct pgt_walk_stats *st;
};

static int sum_table(void *arg, const struct pgt_walk_table *t)
{
	struct sum_ctx *c = arg;
	const struct pgt_level *L = &c->arch->levels[t->level];

	c->st->table_bytes[t->level] += (uint64_t)t->entries * L->entsize;
	if (t->pa & 0xfff)
		c->st->fragments[t->level]++;
	return 0;
}

static void print_text(FILE *out, const struct pgt_arch *a,
		       const struct pgt_walk_stats *st)
{
	unsigned i;

	for (i = 0; i < a->nlevels; i++) {
		if (!st->tables[i] && !st->leaves[i])
			continue;
		fprintf(out, "  %-4s %-4s %6" PRIu64 " table%s %8" PRIu64 " bytes",
			a->levels[i].name, a->levels[i].lname, st->tables[i],
			st->tables[i] == 1 ? " " : "s", st->table_bytes[i]);
		if (st->fragments[i])
			fprintf(out, " (%" PRIu64 " not page aligned)",
				st->fragments[i]);
		fprintf(out, "  %8" PRIu64 " leaves\n", st->leaves[i]);
	}
	fprintf(out, "  present: %" PRIu64 " pages (4 KiB units, %" PRIu64 " KiB)",
		st->pages, st->pages * 4);
	if (st->notpresent)
		fprintf(out, "; %" PRIu64 " leaves present to Linux only (PROT_NONE)",
			st->notpresent);
	fprintf(out, "; %" PRIu64 " finding%s\n", st->findings,
		st->findings == 1 ? "" : "s");
}

static void print_json(FILE *out, const struct pgt_arch *a,
		       const struct pgt_view_src *src,
		       const struct pgt_walk_stats *st)
{
	uint64_t tables = 0, leaves = 0;
	unsigned i;

	for (i = 0; i < a->nlevels; i++) {
		tables += st->tables[i];
		leaves += st->leaves[i];
	}
	fprintf(out, "{\"root\": \"0x%" PRIx64 "\", \"arch\": \"%s\", \"tables\": %" PRIu64
		", \"leaves\": %" PRIu64 ", \"pages\": %" PRIu64 ", \"protnone\": %" PRIu64
		", \"findings\": %" PRIu64 ", \"levels\": {",
		src->root, a->name, tables, leaves, st->pages, st->notpresent,
		st->findings);
	for (i = 0; i < a->nlevels; i++)
		fprintf(out, "%s\"%s\": {\"tables\": %" PRIu64 ", \"bytes\": %" PRIu64
			", \"unaligned\": %" PRIu64 ", \"leaves\": %" PRIu64 "}",
			i ? ", " : "", a->levels[i].lname, st->tables[i],
			st->table_bytes[i], st->fragments[i], st->leaves[i]);
	fputs("}}\n", out);
}

int pgt_view_walk_summary(FILE *out, enum pgt_format fmt,
			  const struct pgt_view_src *src,
			  struct pgt_walk_stats *st, struct pgt_err *err)
{
	struct pgt_walk_stats local;
	struct sum_ctx c = { src->arch, st ? st : &local };
	struct pgt_walker w;
	unsigned i;
	int rc;

	memset(c.st, 0, sizeof(*c.st));
	pgt_view_walker(&w, src, &c);
	w.on_table = sum_table;
	rc = pgt_walk(&w, err);
	/* leaves and pages are counted by the walker itself: no call per
	 * leaf (this view runs in the dump benchmark) */
	for (i = 0; i < src->arch->nlevels; i++) {
		c.st->tables[i] = w.tables[i];
		c.st->leaves[i] = w.leaves[i];
	}
	c.st->pages = w.pages;
	c.st->notpresent = w.protnone;
	c.st->findings = w.findings;
	if (rc || !out)
		return rc;
	if (fmt == PGT_FMT_JSON) {
		print_json(out, src->arch, src, c.st);
	} else if (fmt == PGT_FMT_TSV) {
		fputs("# level\tname\ttables\tbytes\tunaligned\tleaves\n", out);
		for (i = 0; i < src->arch->nlevels; i++)
			fprintf(out, "%s\t%s\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\n",
				src->arch->levels[i].lname,
				src->arch->levels[i].name, c.st->tables[i],
				c.st->table_bytes[i], c.st->fragments[i],
				c.st->leaves[i]);
		fprintf(out, "pages\t-\t-\t-\t-\t%" PRIu64 "\nfindings\t-\t-\t-\t-\t%" PRIu64 "\n",
			c.st->pages, c.st->findings);
	} else {
		print_text(out, src->arch, c.st);
	}
	return PGT_OK;
}
