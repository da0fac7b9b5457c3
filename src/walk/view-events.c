/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * --events (the engine's event stream as it happens), --flushes (per op
 * and kind, the TSV contract of design.md), --transitions (the from x to
 * matrix of leaf states) and the default summary.
 */
#include <inttypes.h>
#include "view.h"
#include "../engine/engine.h"

static const char *const ev_names[] = {
	[PGT_EV_OP] = "op", [PGT_EV_RESULT] = "result",
	[PGT_EV_TABLE_ALLOC] = "table-alloc", [PGT_EV_TABLE_FREE] = "table-free",
	[PGT_EV_ENTRY] = "entry", [PGT_EV_FLUSH] = "flush",
	[PGT_EV_NOTE] = "note", [PGT_EV_PAGESTATE] = "page-state",
};

void pgt_view_events_begin(struct pgt_evout *o)
{
	if (o->fmt == PGT_FMT_JSON)
		fputs("{\"events\": [", o->out);
	else if (o->fmt == PGT_FMT_TSV)
		fputs("# op\tmm\tevent\tlevel\tva\tpa\told\tnew\tcount\ttext\n", o->out);
}

void pgt_view_events_end(struct pgt_evout *o)
{
	if (o->fmt == PGT_FMT_JSON)
		fputs(o->count ? "\n]}\n" : "]}\n", o->out);
}

static const char *level_name(const struct pgt_arch *a, int level, bool hw)
{
	if (level >= 0 && level < (int)a->nlevels)
		return hw ? a->levels[level].name : a->levels[level].lname;
	if (level == (int)a->nlevels && a->mm && a->mm->aux_level_name)
		return a->mm->aux_level_name;
	return "-";
}

static void ev_text(struct pgt_evout *o, const struct pgt_event *ev)
{
	FILE *out = o->out;
	const char *lname = level_name(o->arch, ev->level, true);
	char od[160], nd[160];

	switch (ev->type) {
	case PGT_EV_OP:
		fprintf(out, "op %lu mm %d: %s\n", ev->op, ev->mm, ev->text);
		break;
	case PGT_EV_RESULT:
		fprintf(out, "  result: %s\n", ev->text);
		break;
	case PGT_EV_TABLE_ALLOC:
	case PGT_EV_TABLE_FREE:
		fprintf(out, "  %s %s 0x%" PRIx64 " (%u bytes", ev->type ==
			PGT_EV_TABLE_ALLOC ? "alloc" : "free ", lname, ev->pa,
			ev->size);
		if (ev->half >= 0)
			fprintf(out, ", fragment %d", ev->half);
		fprintf(out, ")%s\n", ev->mm ? "" : " kernel");
		break;
	case PGT_EV_ENTRY:
		o->arch->entry_describe(ev->level, ev->old, od, sizeof(od));
		o->arch->entry_describe(ev->level, ev->new, nd, sizeof(nd));
		fprintf(out, "  %-4s va 0x%08" PRIx64 " at 0x%" PRIx64 ": 0x%" PRIx64 " -> 0x%" PRIx64 "  [%s] -> [%s]\n",
			lname, ev->va, ev->pa, ev->old, ev->new, od, nd);
		break;
	case PGT_EV_FLUSH:
		fprintf(out, "  flush %s x%" PRIu64 ": %s\n",
			pgt_flush_kind_name(ev->kind), ev->count, ev->text);
		break;
	case PGT_EV_PAGESTATE:
		fprintf(out, "  page 0x%08" PRIx64 ": %s\n", ev->va, ev->text);
		break;
	default:
		fprintf(out, "  %s\n", ev->text ? ev->text : "");
	}
}

void pgt_view_event(void *arg, const struct pgt_event *ev)
{
	struct pgt_evout *o = arg;
	const char *text = ev->type == PGT_EV_FLUSH ?
			   pgt_flush_kind_name(ev->kind) : ev->text;

	if (o->fmt == PGT_FMT_TEXT) {
		ev_text(o, ev);
	} else if (o->fmt == PGT_FMT_TSV) {
		fprintf(o->out, "%lu\t%d\t%s\t%s\t0x%" PRIx64 "\t0x%" PRIx64 "\t0x%" PRIx64 "\t0x%" PRIx64 "\t%" PRIu64 "\t%s%s%s\n",
			ev->op, ev->mm, ev_names[ev->type],
			level_name(o->arch, ev->level, false),
			ev->va, ev->pa, ev->old, ev->new, ev->count,
			text ? text : "", ev->type == PGT_EV_FLUSH ? ": " : "",
			ev->type == PGT_EV_FLUSH ? ev->text : "");
	} else {
		fprintf(o->out, "%s\n {\"op\": %lu, \"mm\": %d, \"event\": \"%s\", \"level\": \"%s\", \"va\": \"0x%" PRIx64
			"\", \"pa\": \"0x%" PRIx64 "\", \"old\": \"0x%" PRIx64 "\", \"new\": \"0x%" PRIx64 "\", \"count\": %" PRIu64 ", \"text\": ",
			o->count ? "," : "", ev->op, ev->mm, ev_names[ev->type],
			level_name(o->arch, ev->level, false),
			ev->va, ev->pa, ev->old, ev->new, ev->count);
		pgt_json_str(o->out, text);
		if (ev->type == PGT_EV_FLUSH) {
			fputs(", \"reason\": ", o->out);
			pgt_json_str(o->out, ev->text);
		}
		fputc('}', o->out);
	}
	o->count++;
}

static void reasons(FILE *out, const struct pgt_flush_rec *r, const char *sep)
{
	int i;

	for (i = 0; i < PGT_FLUSH_REASONS && r->reason[i]; i++)
		fprintf(out, "%s%s", i ? sep : "", r->reason[i]);
}

void pgt_view_flushes(FILE *out, enum pgt_format fmt, struct pgt_engine *e)
{
	size_t i;
	int k;

	if (fmt == PGT_FMT_TSV) {
		fputs("# op\tkind\tcount\treason\n", out);
		for (i = 0; i < e->nflush; i++) {
			fprintf(out, "%lu\t%s\t%" PRIu64 "\t", e->flush[i].op,
				pgt_flush_kind_name(e->flush[i].kind),
				e->flush[i].count);
			reasons(out, &e->flush[i], "; ");
			fputc('\n', out);
		}
		return;
	}
	if (fmt == PGT_FMT_JSON) {
		fputs("{\"flushes\": [", out);
		for (i = 0; i < e->nflush; i++) {
			int j;

			fprintf(out, "%s\n {\"op\": %lu, \"kind\": \"%s\", \"count\": %" PRIu64 ", \"reasons\": [",
				i ? "," : "", e->flush[i].op,
				pgt_flush_kind_name(e->flush[i].kind),
				e->flush[i].count);
			for (j = 0; j < PGT_FLUSH_REASONS && e->flush[i].reason[j]; j++) {
				if (j)
					fputs(", ", out);
				pgt_json_str(out, e->flush[i].reason[j]);
			}
			fputs("]}", out);
		}
		fputs("\n], \"totals\": {", out);
		for (k = 0, i = 0; k < PGT_FL__COUNT; k++)
			if (e->flush_total[k])
				fprintf(out, "%s\"%s\": %" PRIu64, i++ ? ", " : "",
					pgt_flush_kind_name(k), e->flush_total[k]);
		fputs("}}\n", out);
		return;
	}
	fputs("flushes per operation:\n", out);
	for (i = 0; i < e->nflush; i++) {
		fprintf(out, "  op %-5lu %-12s %8" PRIu64 "  ", e->flush[i].op,
			pgt_flush_kind_name(e->flush[i].kind), e->flush[i].count);
		reasons(out, &e->flush[i], "; ");
		fputc('\n', out);
	}
	fputs("total:", out);
	for (k = 0, i = 0; k < PGT_FL__COUNT; k++)
		if (e->flush_total[k])
			fprintf(out, "%s %s %" PRIu64, i++ ? "," : "",
				pgt_flush_kind_name(k), e->flush_total[k]);
	fputs(i ? "\n" : " none\n", out);
}

void pgt_view_transitions(FILE *out, enum pgt_format fmt,
			  struct pgt_engine *e)
{
	int f, t, n = 0;

	if (fmt == PGT_FMT_TSV)
		fputs("# from\tto\tcount\n", out);
	else if (fmt == PGT_FMT_JSON)
		fputs("{\"transitions\": [", out);
	else
		fputs("leaf state transitions (from -> to: count):\n", out);
	for (f = 0; f < PGT_PS__COUNT; f++)
		for (t = 0; t < PGT_PS__COUNT; t++) {
			uint64_t c = e->trans[f][t];

			if (!c || f == t)
				continue;
			if (fmt == PGT_FMT_TSV)
				fprintf(out, "%s\t%s\t%" PRIu64 "\n",
					pgt_pstate_name(f), pgt_pstate_name(t), c);
			else if (fmt == PGT_FMT_JSON)
				fprintf(out, "%s\n {\"from\": \"%s\", \"to\": \"%s\", \"count\": %" PRIu64 "}",
					n ? "," : "", pgt_pstate_name(f),
					pgt_pstate_name(t), c);
			else
				fprintf(out, "  %-14s -> %-14s %10" PRIu64 "\n",
					pgt_pstate_name(f), pgt_pstate_name(t), c);
			n++;
		}
	if (fmt == PGT_FMT_JSON)
		fputs(n ? "\n]}\n" : "]}\n", out);
}

static void summary_json(FILE *out, struct pgt_engine *e)
{
	size_t i, n = 0;
	int k, l;

	fprintf(out, "{\"arch\": \"%s\", \"profile\": \"%s\", \"operations\": %lu, \"faults\": %" PRIu64 ", \"failed\": %" PRIu64 ", \"mms\": [",
		e->arch->name, pgt_engine_profile(e), e->op_index, e->nr_faults,
		e->nr_errors);
	for (i = 0; i < e->nmms; i++) {
		struct pgt_mm *mm = e->mms[i];
		int t = 0;

		if (!mm)
			continue;
		fprintf(out, "%s\n {\"id\": %d, \"live\": %s, \"vmas\": %zu, \"pages\": %" PRIu64 ", \"deposited\": %ld, \"tables\": {",
			n++ ? "," : "", mm->id, mm->dead ? "false" : "true",
			mm->nvma, mm->rss, mm->nr_deposit);
		for (l = 0; l < (int)e->arch->nlevels; l++)
			if (mm->nr_tables[l])
				fprintf(out, "%s\"%s\": %ld", t++ ? ", " : "",
					e->arch->levels[l].lname, mm->nr_tables[l]);
		fputs("}}", out);
	}
	fputs("\n], \"flushes\": {", out);
	for (k = 0, n = 0; k < PGT_FL__COUNT; k++)
		if (e->flush_total[k])
			fprintf(out, "%s\"%s\": %" PRIu64, n++ ? ", " : "",
				pgt_flush_kind_name(k), e->flush_total[k]);
	fprintf(out, "}, \"frames\": {\"used\": %" PRIu64 ", \"peak\": %" PRIu64 "}}\n",
		e->mem.used, e->mem.peak);
}

void pgt_view_summary(FILE *out, enum pgt_format fmt, struct pgt_engine *e)
{
	size_t i;
	int k;

	if (fmt == PGT_FMT_JSON) {
		summary_json(out, e);
		return;
	}

	fprintf(out, "arch %s, profile %s", e->arch->name, pgt_engine_profile(e));
	if (e->rules->describe_options)
		fprintf(out, ", %s", e->rules->describe_options(e));
	fprintf(out, "\n%lu operations, %" PRIu64 " faults, %" PRIu64 " failed operations\n",
		e->op_index, e->nr_faults, e->nr_errors);
	for (i = 0; i < e->nmms; i++) {
		struct pgt_mm *mm = e->mms[i];
		int l;

		if (!mm)
			continue;
		fprintf(out, "mm %d: %s, %zu VMAs, %" PRIu64 " pages mapped, tables:",
			mm->id, mm->dead ? "exited" : "live", mm->nvma, mm->rss);
		for (l = 0; l < (int)e->arch->nlevels; l++)
			if (mm->nr_tables[l])
				fprintf(out, " %s %ld", e->arch->levels[l].lname,
					mm->nr_tables[l]);
		if (mm->nr_deposit)
			fprintf(out, " (of which %ld deposited under huge PMDs)",
				mm->nr_deposit);
		fputc('\n', out);
	}
	fputs("flushes:", out);
	for (k = 0, i = 0; k < PGT_FL__COUNT; k++)
		if (e->flush_total[k])
			fprintf(out, "%s %s %" PRIu64, i++ ? "," : "",
				pgt_flush_kind_name(k), e->flush_total[k]);
	fputs(i ? "\n" : " none\n", out);
	fprintf(out, "simulated memory: %" PRIu64 " frames in use, peak %" PRIu64 "\n",
		e->mem.used, e->mem.peak);
}
