/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * --format dot: the tree as a Graphviz digraph.  Tables are nodes, table
 * entries edges labelled with their index, leaves merged into runs (one
 * node per run of similar entries).  A run's fill says user (light blue)
 * or kernel (grey), its border writable (red), executable (green) or both
 * (purple); large pages are drawn bold, entries the MMU cannot use
 * (PROT_NONE, swap) dashed.  Tables of half a page (s390 2 KiB page
 * tables) are drawn as the halves of one page node, so that two tables
 * sharing a page are seen to share it.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "render-priv.h"

struct half_page {
	uint64_t page;
	char label[2][64];
};

struct dot_state {
	uint64_t parent[PGT_MAX_LEVELS + 1];	/* table pa per depth */
	bool parent_half[PGT_MAX_LEVELS + 1];
	bool pending;			/* a pointer entry waiting for its table */
	uint64_t pend_from, pend_to;
	bool pend_from_half;
	unsigned pend_index;
	unsigned long runs;
	struct half_page *halves;
	size_t nhalves, chalves;
	bool root_drawn;
	uint64_t root;
};

/* a name from outside (a file name) inside a quoted DOT label */
static void label_text(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		fputc(*s == '\n' ? ' ' : *s, out);
	}
}

static bool is_half(const struct pgt_rec_table *t)
{
	return t->bytes * 2 == 4096;
}

/* the node (and port) of a table */
static void node_id(FILE *out, uint64_t pa, bool half)
{
	if (half)
		fprintf(out, "p_%" PRIx64 ":h%d", (uint64_t)(pa & ~0xfffull),
			(int)((pa >> 11) & 1));
	else
		fprintf(out, "t_%" PRIx64, pa);
}

static void d_begin(struct pgt_render *r)
{
	struct dot_state *d = r->priv;

	free(d->halves);
	memset(d, 0, sizeof(*d));
	fputs("digraph pgtctl {\n"
	      "  rankdir=LR;\n"
	      "  node [fontname=\"monospace\", fontsize=10];\n"
	      "  edge [fontname=\"monospace\", fontsize=9];\n", r->out);
}

static struct half_page *half_of(struct dot_state *d, uint64_t page)
{
	size_t i;

	for (i = d->nhalves; i-- > 0;)
		if (d->halves[i].page == page)
			return &d->halves[i];
	if (d->nhalves == d->chalves) {
		size_t cap = d->chalves ? 2 * d->chalves : 64;
		struct half_page *n = realloc(d->halves, cap * sizeof(*n));

		if (!n)
			return NULL;
		d->halves = n;
		d->chalves = cap;
	}
	memset(&d->halves[d->nhalves], 0, sizeof(*d->halves));
	d->halves[d->nhalves].page = page;
	return &d->halves[d->nhalves++];
}

static void pending_edge(struct pgt_render *r, bool to_half)
{
	struct dot_state *d = r->priv;

	if (!d->pending)
		return;
	d->pending = false;
	fputs("  ", r->out);
	node_id(r->out, d->pend_from, d->pend_from_half);
	fputs(" -> ", r->out);
	node_id(r->out, d->pend_to, to_half);
	fprintf(r->out, " [label=\"%u\"];\n", d->pend_index);
}

static void table(struct pgt_render *r, const struct pgt_rec_table *t)
{
	struct dot_state *d = r->priv;
	bool half = is_half(t);
	int k = t->depth < PGT_MAX_LEVELS ? t->depth : PGT_MAX_LEVELS;

	if (d->pending && d->pend_to == t->pa)
		pending_edge(r, half);
	pending_edge(r, false);		/* its table was not walked */
	d->parent[k] = t->pa;
	d->parent_half[k] = half;
	if (!d->root_drawn && !t->depth) {
		d->root_drawn = true;
		fputs("  root -> ", r->out);
		node_id(r->out, t->pa, half);
		fputs(";\n", r->out);
	}
	if (half) {
		struct half_page *h = half_of(d, t->pa & ~0xfffull);

		if (h)
			snprintf(h->label[(t->pa >> 11) & 1], sizeof(h->label[0]),
				 "%s (%s) 0x%" PRIx64, t->name, t->level, t->pa);
		return;
	}
	fprintf(r->out, "  t_%" PRIx64 " [shape=box, label=\"%s (%s)\\n0x%" PRIx64 "\\n%u entries, %u bytes\"];\n",
		t->pa, t->name, t->level, t->pa, t->entries, t->bytes);
}

static const char *border(unsigned f)
{
	if ((f & PGT_HF_W) && (f & PGT_HF_X))
		return "purple";
	if (f & PGT_HF_W)
		return "red";
	if (f & PGT_HF_X)
		return "darkgreen";
	return "black";
}

static void run(struct pgt_render *r, const struct pgt_rec_entry *e)
{
	struct dot_state *d = r->priv;
	int k = e->depth < PGT_MAX_LEVELS ? e->depth : PGT_MAX_LEVELS;
	unsigned n = e->last - e->first + 1;
	char fl[8], sz[16];
	bool leaf = e->kind == PGT_ENT_LEAF;

	pgt_flags_str(e->flags, fl);
	pgt_render_size(e->size ? e->size : e->end - e->va, sz, sizeof(sz));
	fprintf(r->out, "  r%lu [shape=box, style=\"filled%s%s\", fillcolor=\"%s\", color=\"%s\", label=\"",
		d->runs, leaf && e->size > 4096 ? ",bold" : "",
		!leaf || !(e->flags & PGT_HF_R) ? ",dashed" : "",
		!leaf ? "white" : e->flags & PGT_HF_U ? "lightblue" : "lightgrey",
		leaf ? border(e->flags) : "gray50");
	if (n == 1)
		fprintf(r->out, "[%u] 0x%08" PRIx64, e->first, e->va);
	else
		fprintf(r->out, "[%u..%u] 0x%08" PRIx64 "-0x%08" PRIx64,
			e->first, e->last, e->va, e->end);
	if (leaf)
		fprintf(r->out, "\\n%u x %s %s %s\"];\n", n, sz, e->level, fl);
	else
		fprintf(r->out, "\\n%u x %s\"];\n", n,
			e->kind == PGT_ENT_BAD ? "malformed" : "not present");
	fputs("  ", r->out);
	node_id(r->out, d->parent[k], d->parent_half[k]);
	fprintf(r->out, " -> r%lu;\n", d->runs++);
}

static void d_rec(struct pgt_render *r, const struct pgt_rec *rec)
{
	struct dot_state *d = r->priv;
	const struct pgt_rec_entry *e = &rec->u.entry;
	int k;

	switch (rec->kind) {
	case PGT_REC_SOURCE:
		fputs("  root [shape=plaintext, label=\"", r->out);
		label_text(r->out, rec->u.source.name);
		fprintf(r->out, "\\nroot 0x%" PRIx64 "\"];\n", rec->u.source.root);
		break;
	case PGT_REC_TABLE:
		table(r, &rec->u.table);
		break;
	case PGT_REC_ENTRY:
		pending_edge(r, false);
		k = e->depth < PGT_MAX_LEVELS ? e->depth : PGT_MAX_LEVELS;
		if (e->kind != PGT_ENT_TABLE) {
			run(r, e);
			break;
		}
		d->pending = true;
		d->pend_from = d->parent[k];
		d->pend_from_half = d->parent_half[k];
		d->pend_to = e->next;
		d->pend_index = e->first;
		break;
	default:
		break;
	}
}

static void d_end(struct pgt_render *r)
{
	struct dot_state *d = r->priv;
	size_t i;

	pending_edge(r, false);
	for (i = 0; i < d->nhalves; i++) {
		struct half_page *h = &d->halves[i];

		fprintf(r->out, "  p_%" PRIx64 " [shape=record, label=\"{page 0x%" PRIx64 "|<h0> %s|<h1> %s}\"];\n",
			h->page, h->page,
			h->label[0][0] ? h->label[0] : "lower half: not in this tree",
			h->label[1][0] ? h->label[1] : "upper half: not in this tree");
	}
	fputs("}\n", r->out);
}

static void d_free(struct pgt_render *r)
{
	struct dot_state *d = r->priv;

	free(d->halves);
	d->halves = NULL;
}

const struct pgt_render_ops pgt_render_dot = {
	.begin = d_begin,
	.rec = d_rec,
	.end = d_end,
	.priv_size = sizeof(struct dot_state),
	.priv_free = d_free,
};
