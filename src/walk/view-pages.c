/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * --pages (one line per present leaf, the TSV contract of design.md) and
 * --ranges (ptdump-style: neighbouring leaves with the same flags and
 * page size merged; the physical column shows the start when the range
 * is physically contiguous, '-' otherwise).
 */
#include <inttypes.h>
#include "view.h"

struct pages_ctx {
	FILE *out;
	enum pgt_format fmt;
	unsigned long n;
};

static int pages_leaf(void *arg, const struct pgt_walk_leaf *l)
{
	struct pages_ctx *c = arg;
	char fl[8];

	if (!l->linux_present)
		return 0;
	pgt_flags_str(l->flags, fl);
	switch (c->fmt) {
	case PGT_FMT_JSON:
		fprintf(c->out, "%s\n  {\"va\": \"0x%08" PRIx64 "\", \"pa\": \"0x%08" PRIx64
			"\", \"size\": %" PRIu64 ", \"flags\": \"%s\", \"raw\": \"0x%016" PRIx64 "\"}",
			c->n ? "," : "", l->va, l->pa, l->size, fl, l->raw);
		break;
	case PGT_FMT_TSV:
		fprintf(c->out, "0x%08" PRIx64 "\t0x%08" PRIx64 "\t%" PRIu64 "\t%s\t0x%016" PRIx64 "\n",
			l->va, l->pa, l->size, fl, l->raw);
		break;
	default:
		fprintf(c->out, "0x%08" PRIx64 "  0x%08" PRIx64 "  %8" PRIu64 "  %s  0x%016" PRIx64 "\n",
			l->va, l->pa, l->size, fl, l->raw);
	}
	c->n++;
	return 0;
}

int pgt_view_pages(FILE *out, enum pgt_format fmt,
		   const struct pgt_view_src *src, struct pgt_err *err)
{
	struct pages_ctx c = { out, fmt, 0 };
	struct pgt_walker w;
	int rc;

	if (fmt == PGT_FMT_JSON)
		fputs("[", out);
	else if (fmt == PGT_FMT_TSV)
		fputs("# va\tpa\tsize\tflags\traw\n", out);
	else
		fputs("va          pa              size  flags    raw\n", out);
	pgt_view_walker(&w, src, &c);
	w.on_leaf = pages_leaf;
	rc = pgt_walk(&w, err);
	if (fmt == PGT_FMT_JSON)
		fputs(c.n ? "\n]\n" : "]\n", out);
	return rc;
}

/* ---- ranges ---- */

struct range {
	bool open;
	uint64_t va, end, pa, size, npages;
	bool contiguous;
	unsigned flags;
	int level;
};

struct ranges_ctx {
	FILE *out;
	enum pgt_format fmt;
	const struct pgt_arch *arch;
	struct range r;
	unsigned long n;
};

static void size_str(uint64_t n, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	int u = -1;

	while (n >= 1024 && !(n & 1023) && u < 5) {
		n >>= 10;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%" PRIu64, n);
	else
		snprintf(buf, len, "%" PRIu64 "%c", n, units[u]);
}

static void range_flush(struct ranges_ctx *c)
{
	struct range *r = &c->r;
	char fl[8], sz[32], pg[32];

	if (!r->open)
		return;
	r->open = false;
	pgt_flags_str(r->flags, fl);
	size_str(r->end - r->va, sz, sizeof(sz));
	size_str(r->size, pg, sizeof(pg));
	switch (c->fmt) {
	case PGT_FMT_JSON:
		fprintf(c->out, "%s\n  {\"start\": \"0x%08" PRIx64 "\", \"end\": \"0x%08" PRIx64
			"\", \"pages\": %" PRIu64 ", \"page_size\": %" PRIu64 ", \"level\": \"%s\", \"flags\": \"%s\", \"pa\": ",
			c->n ? "," : "", r->va, r->end, r->npages, r->size,
			c->arch->levels[r->level].lname, fl);
		if (r->contiguous)
			fprintf(c->out, "\"0x%08" PRIx64 "\"}", r->pa);
		else
			fputs("null}", c->out);
		break;
	case PGT_FMT_TSV:
		fprintf(c->out, "0x%08" PRIx64 "\t0x%08" PRIx64 "\t%" PRIu64 "\t%" PRIu64 "\t%s\t%s\t",
			r->va, r->end, r->npages, r->size,
			c->arch->levels[r->level].lname, fl);
		if (r->contiguous)
			fprintf(c->out, "0x%08" PRIx64 "\n", r->pa);
		else
			fputs("-\n", c->out);
		break;
	default:
		fprintf(c->out, "0x%08" PRIx64 "-0x%08" PRIx64 "  %6s  %5" PRIu64 " x %-4s %-3s %s  ",
			r->va, r->end, sz, r->npages, pg,
			c->arch->levels[r->level].lname, fl);
		if (r->contiguous)
			fprintf(c->out, "pa 0x%08" PRIx64 "\n", r->pa);
		else
			fputs("pa -\n", c->out);
	}
	c->n++;
}

static int ranges_leaf(void *arg, const struct pgt_walk_leaf *l)
{
	struct ranges_ctx *c = arg;
	struct range *r = &c->r;

	if (!l->linux_present)
		return 0;
	if (r->open && r->end == l->va && r->flags == l->flags &&
	    r->size == l->size && r->level == l->level) {
		if (r->contiguous && r->pa + (r->end - r->va) != l->pa)
			r->contiguous = false;
		r->end += l->size;
		r->npages++;
		return 0;
	}
	range_flush(c);
	r->open = true;
	r->va = l->va;
	r->end = l->va + l->size;
	r->pa = l->pa;
	r->size = l->size;
	r->npages = 1;
	r->contiguous = true;
	r->flags = l->flags;
	r->level = l->level;
	return 0;
}

int pgt_view_ranges(FILE *out, enum pgt_format fmt,
		    const struct pgt_view_src *src, struct pgt_err *err)
{
	struct ranges_ctx c = { .out = out, .fmt = fmt, .arch = src->arch };
	struct pgt_walker w;
	int rc;

	if (fmt == PGT_FMT_JSON)
		fputs("[", out);
	else if (fmt == PGT_FMT_TSV)
		fputs("# start\tend\tpages\tpage_size\tlevel\tflags\tpa\n", out);
	pgt_view_walker(&w, src, &c);
	w.on_leaf = ranges_leaf;
	rc = pgt_walk(&w, err);
	range_flush(&c);
	if (fmt == PGT_FMT_JSON)
		fputs(c.n ? "\n]\n" : "]\n", out);
	return rc;
}

void pgt_json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(out, "\\u%04x", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}
