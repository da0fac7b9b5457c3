/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * --events (the engine's event stream as it happens), --flushes (per op
 * and kind, the TSV contract of design.md), --transitions (the from x to
 * matrix of leaf states) and the engine summary, as records.
 */
#include <inttypes.h>
#include "../walk/view.h"
#include "../engine/engine.h"

static const char *const ev_names[] = {
	[PGT_EV_OP] = "op", [PGT_EV_RESULT] = "result",
	[PGT_EV_TABLE_ALLOC] = "table-alloc", [PGT_EV_TABLE_FREE] = "table-free",
	[PGT_EV_ENTRY] = "entry", [PGT_EV_FLUSH] = "flush",
	[PGT_EV_NOTE] = "note", [PGT_EV_PAGESTATE] = "page-state",
};

static const char *level_name(const struct pgt_arch *a, int level, bool hw)
{
	if (level >= 0 && level < (int)a->nlevels)
		return hw ? a->levels[level].name : a->levels[level].lname;
	if (level == (int)a->nlevels && a->mm && a->mm->aux_level_name)
		return a->mm->aux_level_name;
	return "-";
}

void pgt_view_event(void *arg, const struct pgt_event *ev)
{
	struct pgt_evout *o = arg;
	struct pgt_rec rec = { .kind = PGT_REC_EVENT };
	struct pgt_rec_event *r = &rec.u.event;

	r->op = ev->op;
	r->mm = ev->mm;
	r->event = ev_names[ev->type];
	r->level = ev->level;
	r->lname = level_name(o->arch, ev->level, false);
	r->hwname = level_name(o->arch, ev->level, true);
	r->va = ev->va;
	r->pa = ev->pa;
	r->old = ev->old;
	r->new = ev->new;
	r->count = ev->count;
	r->size = ev->size;
	r->half = ev->half;
	r->kernel = !ev->mm;
	if (ev->type == PGT_EV_FLUSH) {
		r->text = pgt_flush_kind_name(ev->kind);
		r->reason = ev->text ? ev->text : "";
	} else {
		r->text = ev->text;
	}
	pgt_sink_rec(o->sink, &rec);
}

static void flush_totals(struct pgt_sink *s, struct pgt_engine *e)
{
	struct pgt_rec rec = { .kind = PGT_REC_TALLY };
	const char *names[PGT_FL__COUNT];
	int k;

	for (k = 0; k < PGT_FL__COUNT; k++)
		names[k] = pgt_flush_kind_name(k);
	rec.u.tally.key = "flushes";
	rec.u.tally.n = PGT_FL__COUNT;
	rec.u.tally.names = names;
	rec.u.tally.vals = e->flush_total;
	pgt_sink_rec(s, &rec);
}

void pgt_view_flushes(struct pgt_sink *s, struct pgt_engine *e)
{
	struct pgt_rec rec = { .kind = PGT_REC_FLUSH };
	size_t i;
	int j;

	pgt_sink_begin(s, PGT_VIEW_FLUSHES, e->m.arch);
	for (i = 0; i < e->nflush; i++) {
		memset(&rec.u, 0, sizeof(rec.u));
		rec.u.flush.op = e->flush[i].op;
		rec.u.flush.kind = pgt_flush_kind_name(e->flush[i].kind);
		rec.u.flush.count = e->flush[i].count;
		for (j = 0; j < PGT_FLUSH_REASONS && j < PGT_REC_REASONS; j++)
			rec.u.flush.reason[j] = e->flush[i].reason[j];
		pgt_sink_rec(s, &rec);
	}
	flush_totals(s, e);
	pgt_sink_end(s, PGT_VIEW_FLUSHES);
}

void pgt_view_transitions(struct pgt_sink *s, struct pgt_engine *e)
{
	struct pgt_rec rec = { .kind = PGT_REC_TRANSITION };
	int f, t;

	pgt_sink_begin(s, PGT_VIEW_TRANSITIONS, e->m.arch);
	for (f = 0; f < PGT_PS__COUNT; f++)
		for (t = 0; t < PGT_PS__COUNT; t++) {
			uint64_t c = e->m.trans[f][t];

			if (!c || f == t)
				continue;
			rec.u.transition.from = pgt_pstate_name(f);
			rec.u.transition.to = pgt_pstate_name(t);
			rec.u.transition.count = c;
			pgt_sink_rec(s, &rec);
		}
	pgt_sink_end(s, PGT_VIEW_TRANSITIONS);
}

static void summary_mm(struct pgt_sink *s, struct pgt_engine *e,
		       struct pgt_mm *mm)
{
	struct pgt_rec rec = { .kind = PGT_REC_MM };
	struct pgt_rec_mm *m = &rec.u.mm;
	unsigned l;

	m->id = mm->id;
	m->live = !mm->dead;
	m->vmas = mm->nvma;
	m->pages = mm->rss;
	m->deposited = mm->nr_deposit;
	m->nlevels = e->m.arch->nlevels;
	for (l = 0; l < m->nlevels; l++) {
		m->level[l] = e->m.arch->levels[l].lname;
		m->tables[l] = mm->nr_tables[l];
	}
	pgt_sink_rec(s, &rec);
}

void pgt_view_summary(struct pgt_sink *s, struct pgt_engine *e,
		      const struct pgt_rec_state *state)
{
	struct pgt_rec rec = { .kind = PGT_REC_RUN };
	size_t i;

	pgt_sink_begin(s, PGT_VIEW_SUMMARY, e->m.arch);
	rec.u.run.arch = e->m.arch->name;
	rec.u.run.profile = pgt_engine_profile(e);
	rec.u.run.options = e->m.rules->describe_options ?
			    e->m.rules->describe_options(e) : "";
	rec.u.run.operations = e->m.op_index;
	rec.u.run.faults = e->nr_faults;
	rec.u.run.failed = e->nr_errors;
	pgt_sink_rec(s, &rec);
	if (state) {
		rec.kind = PGT_REC_STATE;
		rec.u.state = *state;
		pgt_sink_rec(s, &rec);
	}
	for (i = 0; i < e->m.nmms; i++)
		if (e->m.mms[i])
			summary_mm(s, e, e->m.mms[i]);
	flush_totals(s, e);
	memset(&rec, 0, sizeof(rec));
	rec.kind = PGT_REC_FRAMES;
	rec.u.frames.used = e->m.mem.used;
	rec.u.frames.peak = e->m.mem.peak;
	pgt_sink_rec(s, &rec);
	pgt_sink_end(s, PGT_VIEW_SUMMARY);
}
