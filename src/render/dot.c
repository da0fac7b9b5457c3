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
 *
 * diff's union tree (the diff view's tree records, diff-tree.c) is drawn
 * the same way, with its marks: a table or a run only A has is red
 * (removed), only B has green (added), leaves both map differently
 * orange (changed), each labelled with what differs; nodes are named by
 * depth and address there (the two sides' tables have their own
 * frames), a legend node gives the totals.
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
	bool diff;			/* the union tree of a diff */
	uint64_t parent[PGT_MAX_LEVELS + 1];	/* table pa (diff: va) per depth */
	bool parent_half[PGT_MAX_LEVELS + 1];
	bool pending;			/* a pointer entry waiting for its table */
	uint64_t pend_from, pend_to;
	bool pend_from_half;
	unsigned pend_index;
	int pend_depth;			/* diff: the parent's depth */
	unsigned pend_diff;
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

/* a union tree's table: its depth and address name it */
static void unode_id(FILE *out, int depth, uint64_t va)
{
	fprintf(out, "u%d_%" PRIx64, depth, va);
}

/* the colours of a diff mark: removed, added, changed, equal */
static const char *mark_color(unsigned diff)
{
	if (diff & PGT_DIFF_ONLY_A)
		return "red3";
	if (diff & PGT_DIFF_ONLY_B)
		return "green4";
	return diff ? "darkorange2" : "black";
}

static const char *mark_fill(unsigned diff)
{
	if (diff & PGT_DIFF_ONLY_A)
		return "mistyrose";
	if (diff & PGT_DIFF_ONLY_B)
		return "honeydew";
	return diff ? "papayawhip" : NULL;
}

static void d_begin(struct pgt_render *r)
{
	struct dot_state *d = r->priv;

	free(d->halves);
	memset(d, 0, sizeof(*d));
	d->diff = r->view == PGT_VIEW_DIFF;
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
	if (d->diff) {
		unode_id(r->out, d->pend_depth, d->pend_from);
		fputs(" -> ", r->out);
		unode_id(r->out, d->pend_depth + 1, d->pend_to);
		fprintf(r->out, " [label=\"%u\", color=\"%s\"];\n",
			d->pend_index, mark_color(d->pend_diff));
		return;
	}
	node_id(r->out, d->pend_from, d->pend_from_half);
	fputs(" -> ", r->out);
	node_id(r->out, d->pend_to, to_half);
	fprintf(r->out, " [label=\"%u\"];\n", d->pend_index);
}

/* a table of the union tree: one node, both frames in its label */
static void utable(struct pgt_render *r, const struct pgt_rec_table *t)
{
	struct dot_state *d = r->priv;
	int k = t->depth < PGT_MAX_LEVELS ? t->depth : PGT_MAX_LEVELS;
	const char *fill = mark_fill(t->diff);

	pending_edge(r, false);
	d->parent[k] = t->va;
	fputs("  ", r->out);
	unode_id(r->out, t->depth, t->va);
	fprintf(r->out, " [shape=box, color=\"%s\"%s%s%s, label=\"%s (%s) 0x%08" PRIx64 "\\n",
		mark_color(t->diff), fill ? ", style=filled, fillcolor=\"" : "",
		fill ? fill : "", fill ? "\"" : "", t->name, t->level, t->va);
	if (t->diff & PGT_DIFF_ONLY_A)
		fprintf(r->out, "only in A: 0x%" PRIx64, t->pa);
	else if (t->diff & PGT_DIFF_ONLY_B)
		fprintf(r->out, "only in B: 0x%" PRIx64, t->pa);
	else
		fprintf(r->out, "A 0x%" PRIx64 ", B 0x%" PRIx64, t->pa, t->pa_b);
	fprintf(r->out, "\\n%u entries\"];\n", t->entries);
	if (!t->depth) {
		if (!(t->diff & PGT_DIFF_ONLY_B)) {
			fputs("  side_a -> ", r->out);
			unode_id(r->out, 0, t->va);
			fputs(";\n", r->out);
		}
		if (!(t->diff & PGT_DIFF_ONLY_A)) {
			fputs("  side_b -> ", r->out);
			unode_id(r->out, 0, t->va);
			fputs(";\n", r->out);
		}
	}
}

static void table(struct pgt_render *r, const struct pgt_rec_table *t)
{
	struct dot_state *d = r->priv;
	bool half = is_half(t);
	int k = t->depth < PGT_MAX_LEVELS ? t->depth : PGT_MAX_LEVELS;

	if (d->diff) {
		utable(r, t);
		return;
	}
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

/* what differs in a union tree's run: "only in A", "A rw -> B r-" */
static void diff_label(struct pgt_render *r, const struct pgt_rec_entry *e)
{
	char words[80], fb[8];

	if (e->diff & PGT_DIFF_ONLY_A) {
		fputs("\\nonly in A", r->out);
		return;
	}
	if (e->diff & PGT_DIFF_ONLY_B) {
		fputs("\\nonly in B", r->out);
		return;
	}
	pgt_diff_words(e->diff, words, sizeof(words));
	pgt_flags_str(e->flags_b, fb);
	fprintf(r->out, "\\n%s: B %s", words, fb);
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
		d->diff && mark_fill(e->diff) ? mark_fill(e->diff) :
		!leaf ? "white" : e->flags & PGT_HF_U ? "lightblue" : "lightgrey",
		d->diff && e->diff ? mark_color(e->diff) :
		leaf ? border(e->flags) : "gray50");
	if (n == 1)
		fprintf(r->out, "[%u] 0x%08" PRIx64, e->first, e->va);
	else
		fprintf(r->out, "[%u..%u] 0x%08" PRIx64 "-0x%08" PRIx64,
			e->first, e->last, e->va, e->end);
	if (leaf)
		fprintf(r->out, "\\n%u x %s %s %s", n, sz, e->level, fl);
	else
		fprintf(r->out, "\\n%u x %s", n,
			e->kind == PGT_ENT_BAD ? "malformed" : "not present");
	if (d->diff && e->diff)
		diff_label(r, e);
	fputs("\"];\n  ", r->out);
	if (d->diff)
		unode_id(r->out, e->depth, d->parent[k]);
	else
		node_id(r->out, d->parent[k], d->parent_half[k]);
	fprintf(r->out, " -> r%lu", d->runs++);
	if (d->diff && e->diff)
		fprintf(r->out, " [color=\"%s\"]", mark_color(e->diff));
	fputs(";\n", r->out);
}

/* a side of a diff: where its root edge starts */
static void side(struct pgt_render *r, const struct pgt_rec *rec)
{
	const struct pgt_rec_side *x = &rec->u.side;
	bool a = rec->kind == PGT_REC_DIFF_A;

	fprintf(r->out, "  side_%c [shape=plaintext, fontcolor=\"%s\", label=\"%c: ",
		a ? 'a' : 'b', a ? "red3" : "green4", a ? 'A' : 'B');
	label_text(r->out, x->name);
	fprintf(r->out, " (%s)", x->kind);
	if (x->empty)
		fputs("\\nno live mm: empty\"];\n", r->out);
	else
		fprintf(r->out, "\\nroot 0x%" PRIx64 "\"];\n", x->root);
}

static void legend(struct pgt_render *r, const struct pgt_rec_diff_result *x)
{
	fputs("  legend [shape=note, label=\"", r->out);
	if (x->equal)
		fputs("no differences", r->out);
	else
		fprintf(r->out, "%" PRIu64 " difference%s: %" PRIu64 " leaves only in A (red), %" PRIu64 " only in B (green), %" PRIu64 " changed (orange)",
			x->rows, x->rows == 1 ? "" : "s", x->only_a, x->only_b,
			x->changed);
	if (x->note) {
		fputs("\\n", r->out);
		label_text(r->out, x->note);
	}
	fputs("\"];\n", r->out);
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
		d->pend_to = d->diff ? e->va : e->next;
		d->pend_index = e->first;
		d->pend_depth = e->depth;
		d->pend_diff = e->diff;
		break;
	case PGT_REC_DIFF_A:
	case PGT_REC_DIFF_B:
		side(r, rec);
		break;
	case PGT_REC_DIFF_RESULT:
		legend(r, &rec->u.diff_result);
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
