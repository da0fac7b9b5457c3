/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * --tree: the hierarchy from the root, one line per table and per run of
 * similar entries (same kind, same flags, same low bits), with per-level
 * counts at the end.  A table that does not start on a page boundary is a
 * fragment (s390 2 KiB halves, PAE 32-byte PDPTs): its offset is shown.
 */
#include <inttypes.h>
#include <string.h>
#include "view.h"

struct run {
	bool open;
	unsigned first, last;
	uint64_t va, end, raw;
	unsigned flags;
	enum pgt_ent_kind kind;
	int depth, level;
};

struct tree_ctx {
	FILE *out;
	enum pgt_format fmt;
	const struct pgt_arch *arch;
	struct pgt_physmem *mem;
	struct run run;
	unsigned long n;
};

static void indent(FILE *out, int depth)
{
	int i;

	for (i = 0; i < depth; i++)
		fputs("  ", out);
}

static void run_flush(struct tree_ctx *c)
{
	struct run *r = &c->run;
	char fl[8], desc[160];
	unsigned n = r->last - r->first + 1;

	if (!r->open)
		return;
	r->open = false;
	if (c->fmt != PGT_FMT_TEXT)
		return;
	pgt_flags_str(r->flags, fl);
	c->arch->entry_describe(r->level, r->raw, desc, sizeof(desc));
	indent(c->out, r->depth + 1);
	if (n == 1)
		fprintf(c->out, "[%u] 0x%08" PRIx64 " %s %s 0x%016" PRIx64 " %s\n",
			r->first, r->va, c->arch->levels[r->level].lname,
			fl, r->raw, desc);
	else
		fprintf(c->out, "[%u..%u] 0x%08" PRIx64 "-0x%08" PRIx64 " %u x %s %s first 0x%016" PRIx64 " %s\n",
			r->first, r->last, r->va, r->end, n,
			c->arch->levels[r->level].lname, fl, r->raw, desc);
}

static int tree_table(void *arg, const struct pgt_walk_table *t)
{
	struct tree_ctx *c = arg;
	const struct pgt_level *L = &c->arch->levels[t->level];
	uint32_t bytes = t->entries * L->entsize;
	const char *note;

	run_flush(c);
	if (c->fmt == PGT_FMT_JSON) {
		fprintf(c->out, "%s\n  {\"level\": \"%s\", \"name\": \"%s\", \"pa\": \"0x%" PRIx64
			"\", \"va\": \"0x%08" PRIx64 "\", \"entries\": %u, \"bytes\": %u, \"depth\": %d}",
			c->n++ ? "," : "", L->lname, L->name, t->pa, t->va,
			t->entries, bytes, t->depth);
		return 0;
	}
	if (c->fmt == PGT_FMT_TSV) {
		fprintf(c->out, "%d\t%s\t0x%" PRIx64 "\t0x%08" PRIx64 "\t%u\t%u\n",
			t->depth, L->lname, t->pa, t->va, t->entries, bytes);
		return 0;
	}
	indent(c->out, t->depth);
	fprintf(c->out, "%s (%s) table 0x%" PRIx64 ", %u entries, %u bytes", L->name,
		L->lname, t->pa, t->entries, bytes);
	if (t->pa & 0xfff)
		fprintf(c->out, " (fragment at +0x%" PRIx64 " of its page)",
			t->pa & 0xfff);
	else if (c->arch->table_page_note &&
		 (note = c->arch->table_page_note(c->mem, t->level, t->pa, bytes)))
		fprintf(c->out, " (%s)", note);
	fputc('\n', c->out);
	return 0;
}

static int tree_entry(void *arg, const struct pgt_walk_table *t, unsigned idx,
		      uint64_t raw, const struct pgt_ent_info *ei)
{
	struct tree_ctx *c = arg;
	struct run *r = &c->run;
	const struct pgt_level *L = &c->arch->levels[t->level];
	uint64_t va = t->va + ((uint64_t)idx << L->shift);
	uint64_t lowmask = 0xfff | (0xfffull << 52);

	if (ei->kind == PGT_ENT_EMPTY)
		return 0;
	if (ei->kind == PGT_ENT_TABLE) {
		run_flush(c);
		if (c->fmt == PGT_FMT_TEXT) {
			char desc[160];

			c->arch->entry_describe(t->level, raw, desc, sizeof(desc));
			indent(c->out, t->depth + 1);
			fprintf(c->out, "[%u] 0x%08" PRIx64 " -> 0x%016" PRIx64 " %s\n",
				idx, va, raw, desc);
		}
		return 0;
	}
	if (r->open && r->kind == ei->kind && r->depth == t->depth &&
	    r->last + 1 == idx && r->flags == ei->hw &&
	    (r->raw & lowmask) == (raw & lowmask)) {
		r->last = idx;
		r->end = va + (1ull << L->shift);
		return 0;
	}
	run_flush(c);
	r->open = true;
	r->first = r->last = idx;
	r->va = va;
	r->end = va + (1ull << L->shift);
	r->raw = raw;
	r->flags = ei->hw;
	r->kind = ei->kind;
	r->depth = t->depth;
	r->level = t->level;
	return 0;
}

static int tree_table_end(void *arg, const struct pgt_walk_table *t)
{
	run_flush(arg);
	return 0;
}

int pgt_view_tree(FILE *out, enum pgt_format fmt,
		  const struct pgt_view_src *src, struct pgt_err *err)
{
	struct tree_ctx c = { .out = out, .fmt = fmt, .arch = src->arch,
			      .mem = src->mem };
	struct pgt_walker w;
	unsigned i;
	int rc;

	pgt_view_walker(&w, src, &c);
	w.on_table = tree_table;
	w.on_entry = tree_entry;
	w.on_table_end = tree_table_end;

	if (fmt == PGT_FMT_JSON)
		fputs("{\"tables\": [", out);
	else if (fmt == PGT_FMT_TSV)
		fputs("# depth\tlevel\tpa\tva\tentries\tbytes\n", out);
	else
		fprintf(out, "%s root 0x%" PRIx64 "\n", src->name ? src->name : "",
			src->root);
	rc = pgt_walk(&w, err);
	run_flush(&c);
	if (fmt == PGT_FMT_JSON) {
		fputs("\n], \"counts\": {", out);
		for (i = 0; i < src->arch->nlevels; i++)
			fprintf(out, "%s\"%s\": {\"tables\": %" PRIu64 ", \"leaves\": %" PRIu64 "}",
				i ? ", " : "", src->arch->levels[i].lname,
				w.tables[i], w.leaves[i]);
		fputs("}}\n", out);
	} else if (fmt == PGT_FMT_TEXT) {
		fputs("counts:", out);
		for (i = 0; i < src->arch->nlevels; i++)
			if (w.tables[i] || w.leaves[i])
				fprintf(out, " %s %" PRIu64 " table%s %" PRIu64 " leaves;",
					src->arch->levels[i].lname, w.tables[i],
					w.tables[i] == 1 ? "" : "s", w.leaves[i]);
		fputc('\n', out);
	}
	return rc;
}
