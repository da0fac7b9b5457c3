/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * --format json: one document per invocation,
 *   {"schema": "pgtctl/1", "command": CMD, VIEW: {"records": [...], PART: {...}}, ...}
 * every view an object: its rows in "records" (each with a "type"), its
 * parts (totals, the run's figures) as keys of their own.
 */
#include <inttypes.h>
#include "render-priv.h"

struct json_state {
	bool doc;		/* the document is begun */
	bool rows_open, rows_done;
	unsigned members;	/* keys written in the view's object */
};

/* begun with the first view: an invocation that shows none (dump
 * --save-tables -) writes nothing on standard output */
static void j_doc_begin(struct pgt_render *r)
{
	struct json_state *j = r->priv;

	if (j->doc)
		return;
	j->doc = true;
	fprintf(r->out, "{\"schema\": \"%s\", \"command\": ", PGT_JSON_SCHEMA);
	pgt_json_str(r->out, r->command);
}

static void j_doc_end(struct pgt_render *r)
{
	struct json_state *j = r->priv;

	if (j->doc)
		fputs("}\n", r->out);
}

static void j_begin(struct pgt_render *r)
{
	struct json_state *j = r->priv;

	j_doc_begin(r);
	j->rows_open = j->rows_done = false;
	j->members = 0;
	fprintf(r->out, ",\n\"%s\": {", pgt_view_name(r->view));
}

static void value(FILE *out, const struct pgt_fld *f)
{
	unsigned i, n = 0;
	char num[24];

	/* hex is a string in JSON: a 64-bit value does not fit a double */
	if (pgt_fld_number(f, num, sizeof(num))) {
		fprintf(out, f->type == PGT_FLD_U64 || f->type == PGT_FLD_I64 ?
			"%s" : "\"%s\"", num);
		return;
	}
	switch (f->type) {
	case PGT_FLD_STR:
		pgt_json_str(out, f->s);
		break;
	case PGT_FLD_BOOL:
		fputs(f->u ? "true" : "false", out);
		break;
	case PGT_FLD_NULL:
		fputs("null", out);
		break;
	case PGT_FLD_TALLY:
		fputc('{', out);
		for (i = 0; i < f->t->n; i++) {
			if (!f->t->vals[i])
				continue;
			fputs(n++ ? ", " : "", out);
			pgt_json_str(out, f->t->names[i]);
			fprintf(out, ": %" PRIu64, f->t->vals[i]);
		}
		fputc('}', out);
		break;
	default:	/* numbers: above */
		break;
	}
}

static void members(FILE *out, const struct pgt_flds *fl, bool first)
{
	unsigned i;

	for (i = 0; i < fl->n; i++) {
		fprintf(out, "%s\"%s\": ", first && !i ? "" : ", ",
			fl->f[i].name);
		value(out, &fl->f[i]);
	}
}

static void j_rec(struct pgt_render *r, const struct pgt_rec *rec)
{
	struct json_state *j = r->priv;
	struct pgt_flds fl;

	pgt_rec_fields(rec, &fl);
	if (pgt_rec_is_row(rec->kind)) {
		if (!j->rows_open) {
			fprintf(r->out, "%s\"records\": [\n  ",
				j->members++ ? ", " : "");
			j->rows_open = true;
		} else {
			fputs(",\n  ", r->out);
		}
		fprintf(r->out, "{\"type\": \"%s\"", pgt_rec_name(rec->kind));
		members(r->out, &fl, false);
		fputc('}', r->out);
		return;
	}
	if (j->rows_open) {
		fputs("\n]", r->out);
		j->rows_open = false;
		j->rows_done = true;
	}
	fputs(j->members++ ? ",\n " : "", r->out);
	if (rec->kind == PGT_REC_TALLY) {
		fprintf(r->out, "\"%s\": ", rec->u.tally.key);
		value(r->out, &fl.f[0]);
		return;
	}
	fprintf(r->out, "\"%s\": {", pgt_rec_name(rec->kind));
	members(r->out, &fl, true);
	fputc('}', r->out);
}

static void j_end(struct pgt_render *r)
{
	struct json_state *j = r->priv;

	if (j->rows_open)
		fputs("\n]", r->out);
	else if (!j->rows_done && r->view != PGT_VIEW_OVERVIEW)
		fprintf(r->out, "%s\"records\": []", j->members ? ", " : "");
	fputc('}', r->out);
}

const struct pgt_render_ops pgt_render_json = {
	.doc_end = j_doc_end,
	.begin = j_begin,
	.rec = j_rec,
	.end = j_end,
	.priv_size = sizeof(struct json_state),
};
