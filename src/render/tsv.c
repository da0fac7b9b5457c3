/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * --format tsv: one table per view, a '#' line naming the columns, then
 * one line per row record.  Parts (totals) are not rows: they are left to
 * text and JSON, but for the walk summary's pages and findings lines.  The
 * tree's table lists its tables (the entries are in
 * --ranges and --pages); translate has one line per level and a "page"
 * line when the address is mapped.
 */
#include <inttypes.h>
#include "render-priv.h"

struct tsv_state {
	bool header;
};

static void t_begin(struct pgt_render *r)
{
	struct tsv_state *t = r->priv;

	t->header = false;
}

static void header(struct pgt_render *r, enum pgt_rec_kind first)
{
	struct tsv_state *t = r->priv;
	const char *cols = pgt_view_columns(r->view);

	if (t->header)
		return;
	t->header = true;
	if (r->view == PGT_VIEW_SUMMARY)
		cols = pgt_summary_columns(first);
	if (cols)
		fprintf(r->out, "# %s\n", cols);
}

static void text(FILE *out, const char *s)
{
	for (; *s; s++)
		fputc(*s == '\t' || *s == '\n' ? ' ' : *s, out);
}

static void value(FILE *out, const struct pgt_fld *f)
{
	unsigned i, n = 0;
	char num[24];

	if (pgt_fld_number(f, num, sizeof(num))) {
		fputs(num, out);
		return;
	}
	switch (f->type) {
	case PGT_FLD_STR:
		text(out, f->s);
		break;
	case PGT_FLD_BOOL:
		fputs(f->u ? "yes" : "no", out);
		break;
	case PGT_FLD_NULL:
		fputs(f->s, out);
		break;
	case PGT_FLD_TALLY:
		for (i = 0; i < f->t->n; i++)
			if (f->t->vals[i])
				fprintf(out, "%s%s=%" PRIu64, n++ ? "," : "",
					f->t->names[i], f->t->vals[i]);
		if (!n)
			fputc('-', out);
		break;
	default:	/* numbers: above */
		break;
	}
}

static void t_rec(struct pgt_render *r, const struct pgt_rec *rec)
{
	struct pgt_flds fl;
	unsigned i, n = 0;

	header(r, rec->kind);
	if (rec->kind == PGT_REC_WALK) {
		/* the walk's totals as two more lines of the level table
		 * (pgtctl(1) has always promised them) */
		fprintf(r->out, "pages\t-\t-\t-\t-\t%" PRIu64 "\nfindings\t-\t-\t-\t-\t%" PRIu64 "\n",
			rec->u.walk.pages, rec->u.walk.findings);
		return;
	}
	if (!pgt_rec_is_row(rec->kind) || rec->kind == PGT_REC_ENTRY)
		return;
	if (rec->kind == PGT_REC_XLATE) {
		char f[8];

		if (!rec->u.xlate.mapped)
			return;
		pgt_flags_str(rec->u.xlate.flags, f);
		fprintf(r->out, "0x%" PRIx64 "\tpage\t0x%" PRIx64 "\t\t\t\t%s\n",
			rec->u.xlate.va, rec->u.xlate.pa, f);
		return;
	}
	pgt_rec_fields(rec, &fl);
	for (i = 0; i < fl.n; i++) {
		if (fl.f[i].extra)
			continue;
		if (n++)
			fputc('\t', r->out);
		value(r->out, &fl.f[i]);
	}
	fputc('\n', r->out);
}

static void t_end(struct pgt_render *r)
{
	header(r, PGT_REC_MM);
}

const struct pgt_render_ops pgt_render_tsv = {
	.begin = t_begin,
	.rec = t_rec,
	.end = t_end,
	.priv_size = sizeof(struct tsv_state),
};
