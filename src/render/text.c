/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * --format text: for people.  Aligned columns as wide as the arch's
 * addresses, headings, and the summaries ptdump and crash users expect.
 * Exited mms with nothing left are folded into one line per run of ids.
 */
#include <inttypes.h>
#include <string.h>
#include "render-priv.h"

struct text_state {
	bool xlate_open;	/* a VIRTUAL heading is out */
	/* a run of exited mms with nothing left, not printed yet */
	int dead_first, dead_last, dead_n;
	const char *region;	/* ranges: the last region marked */
	unsigned long group;	/* aliases: the group being listed */
};

/* a memory type worth saying: any but the ordinary write-back */
static const char *odd_memtype(const char *m)
{
	return m && strcmp(m, "WB") ? m : NULL;
}

#define A(r) ((r)->adigits)

static void indent(FILE *out, int depth)
{
	int i;

	for (i = 0; i < depth; i++)
		fputs("  ", out);
}

static void x_begin(struct pgt_render *r)
{
	struct text_state *t = r->priv;

	memset(t, 0, sizeof(*t));
	switch (r->view) {
	case PGT_VIEW_PAGES:
		fprintf(r->out, "%-*s  %-*s  %8s  %-7s  %s\n", A(r) + 2, "va",
			A(r) + 2, "pa", "size", "flags", "raw");
		break;
	case PGT_VIEW_FLUSHES:
		fputs("flushes per operation:\n", r->out);
		break;
	case PGT_VIEW_TRANSITIONS:
		fputs("leaf state transitions (from -> to: count):\n", r->out);
		break;
	case PGT_VIEW_FINDINGS:
		fputs("findings:\n", r->out);
		break;
	case PGT_VIEW_PTOV:
		fprintf(r->out, "%-*s  %-*s  %-18s %4s %-3s %s\n", A(r) + 2, "pa",
			A(r) + 2, "va", "root", "size", "lvl", "flags");
		break;
	default:
		break;
	}
}

/* ---- walks ---- */

static void page(struct pgt_render *r, const struct pgt_rec_page *p)
{
	char fl[8];

	pgt_flags_str(p->flags, fl);
	fprintf(r->out, "0x%0*" PRIx64 "  0x%0*" PRIx64 "  %8" PRIu64 "  %s  0x%016" PRIx64 "%s%s\n",
		A(r), p->va, A(r), p->pa, p->size, fl, p->raw,
		odd_memtype(p->memtype) ? "  " : "",
		odd_memtype(p->memtype) ? p->memtype : "");
}

static void range(struct pgt_render *r, const struct pgt_rec_range *g)
{
	struct text_state *t = r->priv;
	char fl[8], sz[32], pg[32];

	/* ptdump's marker line where a named region begins */
	if (g->region && (!t->region || strcmp(t->region, g->region)))
		fprintf(r->out, "---[ %s ]---\n", g->region);
	t->region = g->region;
	pgt_flags_str(g->flags, fl);
	pgt_render_size(g->end - g->start, sz, sizeof(sz));
	pgt_render_size(g->page_size, pg, sizeof(pg));
	fprintf(r->out, "0x%0*" PRIx64 "-0x%0*" PRIx64, A(r), g->start, A(r),
		g->end);
	/* 16-digit addresses leave no room for the total (n x size says
	 * it): the line stays within 80 columns */
	if (A(r) <= 8)
		fprintf(r->out, "  %6s", sz);
	fprintf(r->out, "  %5" PRIu64 " x %-4s %-3s %s  ", g->pages, pg,
		g->level, fl);
	if (g->contiguous)
		fprintf(r->out, "pa 0x%08" PRIx64, g->pa);
	else
		fputs("pa -", r->out);
	if (odd_memtype(g->memtype))
		fprintf(r->out, "  %s", g->memtype);
	fputc('\n', r->out);
}

static void table(struct pgt_render *r, const struct pgt_rec_table *t)
{
	indent(r->out, t->depth);
	fprintf(r->out, "%s (%s) table 0x%" PRIx64 ", %u entries, %u bytes",
		t->name, t->level, t->pa, t->entries, t->bytes);
	if (t->pa & 0xfff)
		fprintf(r->out, " (fragment at +0x%" PRIx64 " of its page)",
			t->pa & 0xfff);
	else if (t->note)
		fprintf(r->out, " (%s)", t->note);
	fputc('\n', r->out);
}

static void entry(struct pgt_render *r, const struct pgt_rec_entry *e)
{
	unsigned n = e->last - e->first + 1;
	char fl[8];

	indent(r->out, e->depth + 1);
	if (e->kind == PGT_ENT_TABLE) {
		fprintf(r->out, "[%u] 0x%08" PRIx64 " -> 0x%016" PRIx64 " %s\n",
			e->first, e->va, e->raw, e->decoded);
		return;
	}
	pgt_flags_str(e->flags, fl);
	if (n == 1)
		fprintf(r->out, "[%u] 0x%08" PRIx64 " %s %s 0x%016" PRIx64 " %s\n",
			e->first, e->va, e->level, fl, e->raw, e->decoded);
	else
		fprintf(r->out, "[%u..%u] 0x%08" PRIx64 "-0x%08" PRIx64 " %u x %s %s first 0x%016" PRIx64 " %s\n",
			e->first, e->last, e->va, e->end, n, e->level, fl,
			e->raw, e->decoded);
}

static void levels(struct pgt_render *r, const struct pgt_rec_levels *l)
{
	unsigned i;

	fputs("counts:", r->out);
	for (i = 0; i < l->n; i++)
		if (l->tables[i] || l->leaves[i])
			fprintf(r->out, " %s %" PRIu64 " table%s %" PRIu64 " leaves;",
				l->level[i], l->tables[i],
				l->tables[i] == 1 ? "" : "s", l->leaves[i]);
	fputc('\n', r->out);
}

static void source(struct pgt_render *r, const struct pgt_rec_source *s)
{
	if (r->view == PGT_VIEW_TREE)
		fprintf(r->out, "%s root 0x%" PRIx64 "\n", s->name ? s->name : "",
			s->root);
	else if (r->view == PGT_VIEW_SUMMARY)
		fprintf(r->out, "walk of root 0x%" PRIx64 ":\n  %s\n", s->root,
			s->root_decoded ? s->root_decoded : s->name);
}

static void level(struct pgt_render *r, const struct pgt_rec_level *l)
{
	if (!l->tables && !l->leaves)
		return;
	/* the note last, so that the leaves stay in their column */
	fprintf(r->out, "  %-4s %-4s %6" PRIu64 " table%s %8" PRIu64 " bytes  %8" PRIu64 " leaves",
		l->name, l->level, l->tables, l->tables == 1 ? " " : "s",
		l->bytes, l->leaves);
	if (l->unaligned)
		fprintf(r->out, " (%" PRIu64 " not page aligned)", l->unaligned);
	fputc('\n', r->out);
}

static void walk(struct pgt_render *r, const struct pgt_rec_walk *w)
{
	fprintf(r->out, "  present: %" PRIu64 " pages (4 KiB units, %" PRIu64 " KiB); %" PRIu64 " finding%s\n",
		w->pages, w->pages * 4, w->findings,
		w->findings == 1 ? "" : "s");
	if (w->protnone)
		fprintf(r->out, "  and %" PRIu64 " leaves present to Linux only (PROT_NONE)\n",
			w->protnone);
}

/* ---- the engine ---- */

static void event(struct pgt_render *r, const struct pgt_rec_event *ev)
{
	FILE *out = r->out;
	char od[160], nd[160];

	if (!strcmp(ev->event, "op")) {
		fprintf(out, "op %lu mm %d: %s\n", ev->op, ev->mm, ev->text);
	} else if (!strcmp(ev->event, "result")) {
		fprintf(out, "  result: %s\n", ev->text);
	} else if (!strcmp(ev->event, "table-alloc") ||
		   !strcmp(ev->event, "table-free")) {
		fprintf(out, "  %s %s 0x%" PRIx64 " (%u bytes",
			ev->event[6] == 'a' ? "alloc" : "free ", ev->hwname,
			ev->pa, ev->size);
		if (ev->half >= 0)
			fprintf(out, ", fragment %d", ev->half);
		fprintf(out, ")%s\n", ev->kernel ? " kernel" : "");
	} else if (!strcmp(ev->event, "entry") && r->arch) {
		r->arch->entry_describe(ev->level, ev->old, od, sizeof(od));
		r->arch->entry_describe(ev->level, ev->new, nd, sizeof(nd));
		fprintf(out, "  %-4s va 0x%0*" PRIx64 " at 0x%" PRIx64 ": 0x%" PRIx64 " -> 0x%" PRIx64 "  [%s] -> [%s]\n",
			ev->hwname, A(r), ev->va, ev->pa, ev->old, ev->new, od, nd);
	} else if (!strcmp(ev->event, "flush")) {
		fprintf(out, "  flush %s x%" PRIu64 ": %s\n", ev->text,
			ev->count, ev->reason ? ev->reason : "");
	} else if (!strcmp(ev->event, "page-state")) {
		fprintf(out, "  page 0x%0*" PRIx64 ": %s\n", A(r), ev->va, ev->text);
	} else {
		fprintf(out, "  %s\n", ev->text ? ev->text : "");
	}
}

static void flush(struct pgt_render *r, const struct pgt_rec_flush *f)
{
	int i;

	fprintf(r->out, "  op %-5lu %-12s %8" PRIu64 "  ", f->op, f->kind,
		f->count);
	for (i = 0; i < PGT_REC_REASONS && f->reason[i]; i++)
		fprintf(r->out, "%s%s", i ? "; " : "", f->reason[i]);
	fputc('\n', r->out);
}

static void tally(struct pgt_render *r, const struct pgt_rec_tally *t)
{
	unsigned i, n = 0;

	fprintf(r->out, "%s:", r->view == PGT_VIEW_FLUSHES ? "total" : t->key);
	for (i = 0; i < t->n; i++)
		if (t->vals[i])
			fprintf(r->out, "%s %s %" PRIu64, n++ ? "," : "",
				t->names[i], t->vals[i]);
	fputs(n ? "\n" : " none\n", r->out);
}

static void dead_flush(struct pgt_render *r)
{
	struct text_state *t = r->priv;

	if (!t->dead_n)
		return;
	if (t->dead_n == 1)
		fprintf(r->out, "mm %d: exited, nothing left\n", t->dead_first);
	else
		fprintf(r->out, "mm %d-%d: %d mms exited, nothing left\n",
			t->dead_first, t->dead_last, t->dead_n);
	t->dead_n = 0;
}

static void mm(struct pgt_render *r, const struct pgt_rec_mm *m)
{
	struct text_state *t = r->priv;
	long tables = 0;
	unsigned l;

	for (l = 0; l < m->nlevels; l++)
		tables += m->tables[l];
	/* hundreds of forked-and-exited mms: one line per run of them */
	if (!m->live && !tables && !m->vmas && !m->pages && !m->deposited) {
		if (!t->dead_n)
			t->dead_first = m->id;
		t->dead_last = m->id;
		t->dead_n++;
		return;
	}
	dead_flush(r);
	fprintf(r->out, "mm %d: %s, %" PRIu64 " VMAs, %" PRIu64 " pages mapped, tables:",
		m->id, m->live ? "live" : "exited", m->vmas, m->pages);
	for (l = 0; l < m->nlevels; l++)
		if (m->tables[l])
			fprintf(r->out, " %s %ld", m->level[l], m->tables[l]);
	if (m->deposited)
		fprintf(r->out, " (%ld deposited)", m->deposited);
	fputc('\n', r->out);
}

static void run(struct pgt_render *r, const struct pgt_rec_run *x)
{
	int n = fprintf(r->out, "arch %s, profile %s", x->arch, x->profile);

	/* the options on a line of their own when they would not fit */
	if (x->options && *x->options)
		fprintf(r->out, n + 2 + (int)strlen(x->options) > 80 ?
			"\n  %s" : ", %s", x->options);
	fprintf(r->out, "\n%lu operations, %" PRIu64 " faults, %" PRIu64 " failed operations\n",
		x->operations, x->faults, x->failed);
}

/* ---- dumps, translate, decode ---- */

static void root(struct pgt_render *r, const struct pgt_rec_root *x)
{
	fprintf(r->out, "%c %-12s 0x%-10" PRIx64 " %-6s %s\n    %s\n",
		x->selected ? '*' : ' ', x->name, x->value, x->kind,
		x->decoded, x->source);
	if (x->evidence && x->evidence[0])
		fprintf(r->out, "    evidence: %s\n", x->evidence);
}

static void finding(struct pgt_render *r, const struct pgt_rec_finding *f)
{
	fprintf(r->out, "  %-4s entry at 0x%09" PRIx64 " va 0x%0*" PRIx64 " raw 0x%016" PRIx64 ": %s\n",
		f->level, f->at, A(r), f->va, f->raw, f->why);
}

static void virtual(struct pgt_render *r, uint64_t va, uint64_t root)
{
	struct text_state *t = r->priv;

	if (t->xlate_open)
		return;
	t->xlate_open = true;
	fprintf(r->out, "VIRTUAL 0x%" PRIx64 " (root 0x%" PRIx64 ")\n", va, root);
}

static void step(struct pgt_render *r, const struct pgt_rec_step *s)
{
	virtual(r, s->va, s->root);
	fprintf(r->out, "  %-4s %-4s table 0x%09" PRIx64 " [%4u] at 0x%09" PRIx64 " = 0x%016" PRIx64 "  %s\n",
		s->name, s->level, s->table, s->index, s->entry, s->raw,
		s->decoded);
}

static void xlate(struct pgt_render *r, const struct pgt_rec_xlate *x)
{
	struct text_state *t = r->priv;
	char fl[8];

	virtual(r, x->va, x->root);
	t->xlate_open = false;
	if (!x->mapped) {
		fprintf(r->out, "  not mapped: %s\n", x->why ? x->why : "?");
		return;
	}
	pgt_flags_str(x->flags, fl);
	fprintf(r->out, "  PAGE 0x%" PRIx64 "  %s%s%s%s\n", x->pa, fl,
		x->memtype ? "  " : "", x->memtype ? x->memtype : "",
		x->data_missing ? "  (data not in this dump)" : "");
}

static void decode(struct pgt_render *r, const struct pgt_rec_decode *d)
{
	char fl[8], where[64] = "";

	if (d->first_level)
		fprintf(r->out, "0x%016" PRIx64 "\n", d->value);
	pgt_flags_str(d->flags, fl);
	if (d->ekind == PGT_ENT_TABLE)
		snprintf(where, sizeof(where), "table 0x%" PRIx64, d->table);
	else if (d->ekind == PGT_ENT_LEAF)
		snprintf(where, sizeof(where), "frame 0x%" PRIx64 " size %" PRIu64 "%s%s",
			 d->pa, d->size, d->memtype ? " " : "",
			 d->memtype ? d->memtype : "");
	fprintf(r->out, "  %-4s %-4s %-11s %s  %s%s%s\n", d->name, d->level,
		d->kind, d->ekind == PGT_ENT_LEAF ? fl : "       ", d->decoded,
		d->why ? "  !! " : where[0] ? "  -> " : "",
		d->why ? d->why : where);
}

static void overview(struct pgt_render *r, const struct pgt_rec_overview *v)
{
	FILE *out = r->out;
	int i;

	fprintf(out, "dump:    %s: %s", v->path, v->format);
	if (v->elf_class)
		fprintf(out, ", %d-bit %s-endian", v->elf_class,
			v->big_endian ? "big" : "little");
	if (v->machine)
		fprintf(out, ", e_machine %d", v->machine);
	fprintf(out, "\narch:    %s (%s)\n", v->arch, v->arch_how);
	fprintf(out, "memory:  %" PRIu64 " range%s, %" PRIu64 " KiB held, up to 0x%" PRIx64 "\n",
		v->ranges, v->ranges == 1 ? "" : "s", v->held >> 10, v->limit);
	fprintf(out, "cpus:    %d", v->ncpus);
	for (i = 0; i < v->npids; i++)
		if (v->pids[i] >= 0)
			fprintf(out, "%s cpu%d pid %d", i ? "," : ":", i,
				v->pids[i]);
	fputc('\n', out);
	if (v->kernel)
		fprintf(out, "kernel:  %s (VMCOREINFO)\n", v->kernel);
	else if (v->replay)
		fprintf(out, "kernel:  none: pgtctl replay --save-tables of %s (VMCOREINFO)\n",
			v->replay);
	else if (v->vmcoreinfo)
		fputs("kernel:  not named (VMCOREINFO without OSRELEASE)\n", out);
	else
		fputs("kernel:  no VMCOREINFO\n", out);
	fputs("roots:\n", out);
}

/* ---- diff ---- */

static void diff_leaves(struct pgt_render *r, uint64_t n, uint64_t size)
{
	char sz[32];

	pgt_render_size(size, sz, sizeof(sz));
	fprintf(r->out, "%" PRIu64 " x %s", n, sz);
}

static void diff(struct pgt_render *r, const struct pgt_rec_diff *d)
{
	char fa[8], fb[8];

	pgt_flags_str(d->flags_a, fa);
	pgt_flags_str(d->flags_b, fb);
	fprintf(r->out, "0x%0*" PRIx64 "-0x%0*" PRIx64 "  ", A(r), d->start,
		A(r), d->end);
	if (d->what & (PGT_DIFF_ONLY_A | PGT_DIFF_ONLY_B)) {
		bool a = d->what & PGT_DIFF_ONLY_A;

		diff_leaves(r, a ? d->pages_a : d->pages_b,
			    a ? d->size_a : d->size_b);
		fprintf(r->out, " only in %c %s\n", a ? 'A' : 'B', a ? fa : fb);
		goto explain;
	}
	if (d->what & PGT_DIFF_SIZE) {
		fputs("size ", r->out);
		diff_leaves(r, d->pages_a, d->size_a);
		fputs(" -> ", r->out);
		diff_leaves(r, d->pages_b, d->size_b);
	} else {
		diff_leaves(r, d->pages_a, d->size_a);
	}
	if (d->what & PGT_DIFF_RIGHTS)
		fprintf(r->out, " rights %s -> %s", fa, fb);
	else
		fprintf(r->out, " %s", fa);
	if (d->what & PGT_DIFF_PA)
		fprintf(r->out, " pa 0x%" PRIx64 " -> 0x%" PRIx64, d->pa_a,
			d->pa_b);
	if (d->what & PGT_DIFF_RAW)
		fprintf(r->out, " raw 0x%" PRIx64 " -> 0x%" PRIx64, d->raw_a,
			d->raw_b);
	fputc('\n', r->out);
explain:
	if (d->explain_a)
		fprintf(r->out, "    A: %s\n", d->explain_a);
	if (d->explain_b)
		fprintf(r->out, "    B: %s\n", d->explain_b);
}

static void side(struct pgt_render *r, char which, const struct pgt_rec_side *x)
{
	unsigned i, n = 0;
	uint64_t leaves = 0;

	fprintf(r->out, "%c: %s %s", which, x->kind, x->name);
	if (x->empty) {
		fputs(": empty (every mm has exited)\n", r->out);
		return;
	}
	fprintf(r->out, ", root 0x%" PRIx64 "\n   tables:", x->root);
	for (i = 0; i < x->n; i++) {
		leaves += x->leaves[i];
		if (x->tables[i])
			fprintf(r->out, "%s %s %" PRIu64, n++ ? "," : "",
				x->level[i], x->tables[i]);
	}
	fprintf(r->out, "%s; %" PRIu64 " leaves, %" PRIu64 " pages\n",
		n ? "" : " none", leaves, x->pages);
}

static void diff_result(struct pgt_render *r,
			const struct pgt_rec_diff_result *x)
{
	if (x->note)
		fprintf(r->out, "note: %s\n", x->note);
	if (x->equal) {
		fputs("no differences\n", r->out);
		return;
	}
	fprintf(r->out, "%" PRIu64 " difference%s: %" PRIu64 " leaves only in A, %" PRIu64 " only in B, %" PRIu64 " changed\n",
		x->rows, x->rows == 1 ? "" : "s", x->only_a, x->only_b,
		x->changed);
}

/* ---- views over every root ---- */

static void mapping(struct pgt_render *r, const struct pgt_rec_mapping *m,
		    bool alias)
{
	struct text_state *t = r->priv;
	char fl[8], sz[32], roots[32] = "";

	if (alias && m->group != t->group) {
		fprintf(r->out, "group %lu:%s\n", m->group,
			m->mixed ? "  MIXED memory types" : "");
		t->group = m->group;
	}
	if (!m->mapped) {
		fprintf(r->out, "0x%0*" PRIx64 "  not mapped by any of %u root%s\n",
			A(r), m->pa, m->roots, m->roots == 1 ? "" : "s");
		return;
	}
	pgt_flags_str(m->flags, fl);
	pgt_render_size(m->size, sz, sizeof(sz));
	if (m->roots > 1)
		snprintf(roots, sizeof(roots), " (+%u)", m->roots - 1);
	fprintf(r->out, "%s0x%0*" PRIx64 "  0x%0*" PRIx64 "  %-12s%-6s %4s %-3s %s%s%s\n",
		alias ? "  " : "", A(r), m->pa, A(r), m->va, m->root, roots, sz,
		m->level, fl, odd_memtype(m->memtype) ? "  " : "",
		odd_memtype(m->memtype) ? m->memtype : "");
}

static void wx(struct pgt_render *r, const struct pgt_rec_wx *w)
{
	char fl[8], pg[32], roots[32] = "";

	pgt_flags_str(w->flags, fl);
	pgt_render_size(w->page_size, pg, sizeof(pg));
	if (w->roots > 1)
		snprintf(roots, sizeof(roots), " (+%u)", w->roots - 1);
	fprintf(r->out, "%-12s%-6s 0x%0*" PRIx64 "-0x%0*" PRIx64 "  %5" PRIu64 " x %-4s %-3s %s%s%s\n",
		w->root, roots, A(r), w->start, A(r), w->end, w->pages, pg,
		w->level, fl, w->region ? "  " : "", w->region ? w->region : "");
}

/* one line of read, built in a buffer: a 16 MiB dump is a million lines */
static void bytes(struct pgt_render *r, const struct pgt_rec_bytes *b)
{
	static const char hexd[] = "0123456789abcdef";
	char line[96], *p = line;
	unsigned i;

	for (i = 0; i < 16; i++) {
		*p++ = ' ';
		if (i == 8)
			*p++ = ' ';
		if (i < b->n) {
			*p++ = hexd[b->data[i] >> 4];
			*p++ = hexd[b->data[i] & 15];
		} else {
			*p++ = ' ';
			*p++ = ' ';
		}
	}
	*p++ = ' ';
	*p++ = ' ';
	*p++ = '|';
	for (i = 0; i < b->n; i++)
		*p++ = b->data[i] >= 0x20 && b->data[i] < 0x7f ?
		       (char)b->data[i] : '.';
	*p++ = '|';
	*p++ = '\n';
	/* the line's own leading blank follows the colon: 80 columns with
	 * 32-bit addresses */
	fprintf(r->out, "0x%0*" PRIx64 ":", A(r), b->addr);
	fwrite(line, 1, (size_t)(p - line), r->out);
}

static void x_rec(struct pgt_render *r, const struct pgt_rec *rec)
{
	const struct pgt_rec_transition *tr = &rec->u.transition;

	if (rec->kind != PGT_REC_MM)
		dead_flush(r);
	switch (rec->kind) {
	case PGT_REC_PAGE: page(r, &rec->u.page); break;
	case PGT_REC_RANGE: range(r, &rec->u.range); break;
	case PGT_REC_TABLE: table(r, &rec->u.table); break;
	case PGT_REC_ENTRY: entry(r, &rec->u.entry); break;
	case PGT_REC_LEVELS: levels(r, &rec->u.levels); break;
	case PGT_REC_SOURCE: source(r, &rec->u.source); break;
	case PGT_REC_LEVEL: level(r, &rec->u.level); break;
	case PGT_REC_WALK: walk(r, &rec->u.walk); break;
	case PGT_REC_EVENT: event(r, &rec->u.event); break;
	case PGT_REC_FLUSH: flush(r, &rec->u.flush); break;
	case PGT_REC_TALLY: tally(r, &rec->u.tally); break;
	case PGT_REC_TRANSITION:
		fprintf(r->out, "  %-14s -> %-14s %10" PRIu64 "\n", tr->from,
			tr->to, tr->count);
		break;
	case PGT_REC_RUN: run(r, &rec->u.run); break;
	case PGT_REC_MM: mm(r, &rec->u.mm); break;
	case PGT_REC_FRAMES:
		fprintf(r->out, "simulated memory: %" PRIu64 " frames in use, peak %" PRIu64 "\n",
			rec->u.frames.used, rec->u.frames.peak);
		break;
	case PGT_REC_STATE:
		if (rec->u.state.note)
			fprintf(r->out, "note: %s\n", rec->u.state.note);
		break;
	case PGT_REC_ROOT: root(r, &rec->u.root); break;
	case PGT_REC_FINDING: finding(r, &rec->u.finding); break;
	case PGT_REC_STEP: step(r, &rec->u.step); break;
	case PGT_REC_XLATE: xlate(r, &rec->u.xlate); break;
	case PGT_REC_DECODE: decode(r, &rec->u.decode); break;
	case PGT_REC_OVERVIEW: overview(r, &rec->u.overview); break;
	case PGT_REC_DIFF: diff(r, &rec->u.diff); break;
	case PGT_REC_DIFF_A: side(r, 'A', &rec->u.side); break;
	case PGT_REC_DIFF_B: side(r, 'B', &rec->u.side); break;
	case PGT_REC_DIFF_RESULT: diff_result(r, &rec->u.diff_result); break;
	case PGT_REC_PTOV: mapping(r, &rec->u.mapping, false); break;
	case PGT_REC_ALIAS: mapping(r, &rec->u.mapping, true); break;
	case PGT_REC_ALIAS_RESULT:
		fprintf(r->out, "%" PRIu64 " group%s of frames mapped more than once, %" PRIu64 " mappings, %" PRIu64 " with mixed memory types (%" PRIu64 " root%s)\n",
			rec->u.alias_result.groups,
			rec->u.alias_result.groups == 1 ? "" : "s",
			rec->u.alias_result.mappings, rec->u.alias_result.mixed,
			rec->u.alias_result.roots,
			rec->u.alias_result.roots == 1 ? "" : "s");
		break;
	case PGT_REC_WX: wx(r, &rec->u.wx); break;
	case PGT_REC_WX_RESULT: {
		char line[160];

		pgt_wx_verdict(&rec->u.wx_result, line, sizeof(line));
		fprintf(r->out, "%s\n", line);
		break;
	}
	case PGT_REC_BYTES: bytes(r, &rec->u.bytes); break;
	case PGT_REC_HOLE:
		fprintf(r->out, "0x%0*" PRIx64 "-0x%0*" PRIx64 ": %s: %s\n", A(r),
			rec->u.hole.addr, A(r), rec->u.hole.end,
			rec->u.hole.unmapped ? "not mapped" : "not in the dump",
			rec->u.hole.why);
		break;
	case PGT_REC__COUNT: break;
	}
}

static void x_end(struct pgt_render *r)
{
	dead_flush(r);
	if (r->view == PGT_VIEW_ROOTS && !r->nrows)
		fputs("no roots found; --scan-roots looks for them in memory, --root ADDR names one\n", r->out);
	if (r->view == PGT_VIEW_FINDINGS && !r->nrows)
		fputs("  none\n", r->out);
}

const struct pgt_render_ops pgt_render_text = {
	.begin = x_begin,
	.rec = x_rec,
	.end = x_end,
	.priv_size = sizeof(struct text_state),
};
