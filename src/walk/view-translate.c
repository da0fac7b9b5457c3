/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * translate: one address, every level (like crash's vtop); decode: what a
 * raw entry means at each level of a paging format.
 */
#include <inttypes.h>
#include "view.h"

int pgt_view_translate(struct pgt_sink *s, const struct pgt_view_src *src,
		       uint64_t va, struct pgt_err *err)
{
	const struct pgt_arch *a = src->arch;
	struct pgt_rec rec = { .kind = PGT_REC_STEP };
	struct pgt_rec_xlate *x;
	struct pgt_xlate t;
	char desc[160];
	uint8_t byte;
	int i, rc;

	rc = pgt_translate(a, src->mem, src->root, va, &t, err);
	if (rc)
		return rc;
	for (i = 0; i < t.nsteps; i++) {
		struct pgt_xlate_step *st = &t.step[i];

		a->entry_describe(st->level, st->raw, desc, sizeof(desc));
		rec.u.step.va = va;
		rec.u.step.root = src->root;
		rec.u.step.level = a->levels[st->level].lname;
		rec.u.step.name = a->levels[st->level].name;
		rec.u.step.table = st->table;
		rec.u.step.index = st->index;
		rec.u.step.entry = st->slot;
		rec.u.step.raw = st->raw;
		rec.u.step.decoded = desc;
		pgt_sink_rec(s, &rec);
	}
	memset(&rec, 0, sizeof(rec));
	rec.kind = PGT_REC_XLATE;
	x = &rec.u.xlate;
	x->va = va;
	x->root = src->root;
	x->mapped = t.mapped;
	x->pa = t.pa;
	x->flags = t.flags;
	x->memtype = t.memtype;
	x->why = t.why[0] ? t.why : NULL;
	/* a dump may hold the tables but not the data (a slice, a filtered
	 * kdump): say so, as crash would fail to read it */
	x->data_missing = t.mapped && src->data_check &&
			  src->mem->read(src->mem, t.pa, &byte, 1);
	pgt_sink_rec(s, &rec);
	return PGT_OK;
}

static const char *const kind_names[] = {
	[PGT_ENT_EMPTY] = "empty",
	[PGT_ENT_TABLE] = "table",
	[PGT_ENT_LEAF] = "leaf",
	[PGT_ENT_NOTPRESENT] = "not-present",
	[PGT_ENT_BAD] = "malformed",
};

void pgt_view_decode(struct pgt_sink *s, const struct pgt_arch *a, int level,
		     uint64_t value)
{
	struct pgt_rec rec = { .kind = PGT_REC_DECODE };
	struct pgt_rec_decode *d = &rec.u.decode;
	struct pgt_ent_info ei;
	char desc[200];
	int l;
	bool first = true;

	for (l = 0; l < (int)a->nlevels; l++) {
		if (level >= 0 && l != level)
			continue;
		a->entry_decode(l, value, &ei);
		a->entry_describe(l, value, desc, sizeof(desc));
		memset(d, 0, sizeof(*d));
		d->value = value;
		d->level = a->levels[l].lname;
		d->name = a->levels[l].name;
		d->kind = kind_names[ei.kind];
		d->ekind = ei.kind;
		d->decoded = desc;
		d->why = ei.why;
		d->first_level = first;
		d->flags = ei.kind == PGT_ENT_LEAF ? ei.hw : 0;
		d->table = ei.next;
		d->pa = ei.pa;
		d->size = ei.size;
		d->memtype = ei.kind == PGT_ENT_LEAF ? ei.memtype : NULL;
		pgt_sink_rec(s, &rec);
		first = false;
	}
}
