/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The renderer object, what each format can show, and the records as
 * named fields (shared by JSON and TSV so that a JSON record has the keys
 * its TSV row has columns).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "render-priv.h"
#include "../walk/walk.h"

/* TSV columns: design.md fixes pages and flushes; the others are in
 * pgtctl(1).  NULL: the view has no table form. */
static const char *const columns[PGT_VIEW__COUNT] = {
	[PGT_VIEW_ROOTS] = "name\tvalue\tkind\tdecoded\tsource\tscore\tevidence\tselected",
	[PGT_VIEW_TREE] = "depth\tlevel\tpa\tva\tentries\tbytes",
	[PGT_VIEW_RANGES] = "start\tend\tpages\tpage_size\tlevel\tflags\tpa\tcache\tregion",
	[PGT_VIEW_PAGES] = "va\tpa\tsize\tflags\traw",
	[PGT_VIEW_EVENTS] = "op\tmm\tevent\tlevel\tva\tpa\told\tnew\tcount\ttext",
	[PGT_VIEW_FLUSHES] = "op\tkind\tcount\treason",
	[PGT_VIEW_TRANSITIONS] = "from\tto\tcount",
	[PGT_VIEW_SUMMARY] = NULL,	/* replay and dump differ: below */
	[PGT_VIEW_FINDINGS] = "level\tat\tva\traw\twhy",
	[PGT_VIEW_TRANSLATE] = "va\tlevel\ttable\tindex\tentry\traw\tdecoded",
	[PGT_VIEW_DECODE] = "value\tlevel\tkind\tflags\tpoints_to\tdecoded\tcache",
	[PGT_VIEW_PTOV] = "pa\tva\troot\troots\tsize\tlevel\tflags\tcache",
	[PGT_VIEW_ALIASES] = "group\tpa\tva\troot\troots\tsize\tlevel\tflags\tcache\tmixed",
	[PGT_VIEW_WX] = "root\troots\tstart\tend\tpages\tpage_size\tlevel\tflags\tregion",
	[PGT_VIEW_READ] = "addr\tend\tpa\thex\ttext\twhy",
	[PGT_VIEW_DIFF] = "start\tend\tdiff\tpages_a\tsize_a\tflags_a\tpages_b\tsize_b\tflags_b\tpa_a\tpa_b\traw_a\traw_b\texplain",
};

const char *pgt_view_columns(enum pgt_view v)
{
	return v < PGT_VIEW__COUNT ? columns[v] : NULL;
}

/* the summary's table depends on what it summarises (its first row) */
const char *pgt_summary_columns(enum pgt_rec_kind k)
{
	bool engine = k == PGT_REC_MM || k == PGT_REC_RUN ||
		      k == PGT_REC_STATE || k == PGT_REC_FRAMES ||
		      k == PGT_REC_TALLY;

	return engine ?
	       "mm\tstate\tvmas\tpages\tdeposited\ttables" :
	       "level\tname\ttables\tbytes\tunaligned\tleaves";
}

bool pgt_render_can(enum pgt_format fmt, enum pgt_view v)
{
	switch (fmt) {
	case PGT_FMT_TSV:
		return columns[v] || v == PGT_VIEW_SUMMARY;
	case PGT_FMT_DOT:
		return v == PGT_VIEW_TREE || v == PGT_VIEW_DIFF;
	default:
		return true;
	}
}

const char *pgt_format_name(enum pgt_format fmt)
{
	static const char *const names[] = { "text", "json", "tsv", "dot" };

	return names[fmt];
}

/* bytes of the well-formed UTF-8 sequence at s (1-4), or 0 */
static int utf8_len(const unsigned char *s)
{
	int n, i;

	if (s[0] < 0x80)
		return 1;
	n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 :
	    s[0] >= 0xc2 && s[0] <= 0xdf ? 2 : 0;
	if (!n || (n == 3 && s[0] > 0xef))
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	/* no overlong forms, surrogates or code points past U+10FFFF */
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
		return 0;
	return n;
}

/*
 * A JSON string: text from a dump (VMCOREINFO, paths) may hold any
 * bytes, and one invalid byte makes the whole document unreadable, so
 * each byte that is not part of valid UTF-8 becomes U+FFFD.
 */
void pgt_json_str(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int n;

	fputc('"', out);
	while (p && *p) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(out, "\\u%04x", *p);
		else if ((n = utf8_len(p)) > 0) {
			fwrite(p, 1, (size_t)n, out);
			p += n;
			continue;
		} else
			fputs("\\ufffd", out);
		p++;
	}
	fputc('"', out);
}

void pgt_render_size(uint64_t n, char *buf, size_t len)
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

/* ---- the renderer object ---- */

static void r_begin(void *arg, enum pgt_view v, const struct pgt_arch *arch)
{
	struct pgt_render *r = arg;

	if (r->in_view && r->ops->end)
		r->ops->end(r);
	r->view = v;
	r->in_view = true;
	r->arch = arch;
	/* an address column as wide as the arch's addresses, at least 8
	 * digits: s390x VAs above 4 GiB keep the columns aligned; sign-
	 * extended VAs (x86-64's upper half) take all 16 */
	r->adigits = arch && arch->va_signed ? 16 :
		     arch && arch->va_bits > 32 ? (int)(arch->va_bits + 3) / 4 : 8;
	r->nrows = r->nparts = 0;
	if (r->ops->begin)
		r->ops->begin(r);
	r->nviews++;
}

static void r_rec(void *arg, const struct pgt_rec *rec)
{
	struct pgt_render *r = arg;

	if (!r->in_view)
		return;
	r->ops->rec(r, rec);
	if (pgt_rec_is_row(rec->kind))
		r->nrows++;
	else
		r->nparts++;
}

static void r_end(void *arg, enum pgt_view v)
{
	struct pgt_render *r = arg;

	(void)v;
	if (!r->in_view)
		return;
	if (r->ops->end)
		r->ops->end(r);
	r->in_view = false;
}

struct pgt_render *pgt_render_new(enum pgt_format fmt, FILE *out,
				  const char *command)
{
	static const struct pgt_render_ops *const ops[] = {
		[PGT_FMT_TEXT] = &pgt_render_text,
		[PGT_FMT_JSON] = &pgt_render_json,
		[PGT_FMT_TSV] = &pgt_render_tsv,
		[PGT_FMT_DOT] = &pgt_render_dot,
	};
	struct pgt_render *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->ops = ops[fmt];
	r->fmt = fmt;
	r->out = out;
	r->command = command;
	r->adigits = 8;
	if (r->ops->priv_size && !(r->priv = calloc(1, r->ops->priv_size))) {
		free(r);
		return NULL;
	}
	r->sink.begin = r_begin;
	r->sink.rec = r_rec;
	r->sink.end = r_end;
	r->sink.arg = r;
	if (r->ops->doc_begin)
		r->ops->doc_begin(r);
	return r;
}

struct pgt_sink *pgt_render_sink(struct pgt_render *r)
{
	return &r->sink;
}

void pgt_render_finish(struct pgt_render *r)
{
	if (!r)
		return;
	r_end(r, r->view);
	if (r->ops->doc_end)
		r->ops->doc_end(r);
	if (r->ops->priv_free)
		r->ops->priv_free(r);
	free(r->priv);
	free(r);
}

/* ---- records as fields ---- */

static struct pgt_fld *add(struct pgt_flds *o, const char *name,
			   enum pgt_fld_type type)
{
	struct pgt_fld *f = &o->f[o->n++];

	memset(f, 0, sizeof(*f));
	f->name = name;
	f->type = type;
	return f;
}

static void u64(struct pgt_flds *o, const char *name, uint64_t v)
{
	add(o, name, PGT_FLD_U64)->u = v;
}

static void i64(struct pgt_flds *o, const char *name, int64_t v)
{
	add(o, name, PGT_FLD_I64)->i = v;
}

static void hex(struct pgt_flds *o, const char *name, enum pgt_fld_type t,
		uint64_t v)
{
	add(o, name, t)->u = v;
}

static void str(struct pgt_flds *o, const char *name, const char *s)
{
	add(o, name, PGT_FLD_STR)->s = s ? s : "";
}

static void nul(struct pgt_flds *o, const char *name, const char *tsv)
{
	add(o, name, PGT_FLD_NULL)->s = tsv;
}

static void boolean(struct pgt_flds *o, const char *name, bool b)
{
	add(o, name, PGT_FLD_BOOL)->u = b;
}

static void extra(struct pgt_flds *o)
{
	o->f[o->n - 1].extra = true;
}

static const char *flags(struct pgt_flds *o, int slot, unsigned f)
{
	pgt_flags_str(f, o->buf[slot]);
	return o->buf[slot];
}

static void tally(struct pgt_flds *o, const char *name, int slot,
		  unsigned n, const char *const *names, const uint64_t *vals)
{
	struct pgt_rec_tally *t = &o->tally[slot];

	t->key = name;
	t->n = n;
	t->names = names;
	t->vals = vals;
	add(o, name, PGT_FLD_TALLY)->t = t;
}

static const char *const ent_kinds[] = {
	[PGT_ENT_EMPTY] = "empty", [PGT_ENT_TABLE] = "table",
	[PGT_ENT_LEAF] = "leaf", [PGT_ENT_NOTPRESENT] = "not-present",
	[PGT_ENT_BAD] = "malformed",
};

static void entry_fields(const struct pgt_rec_entry *e, struct pgt_flds *o)
{
	i64(o, "depth", e->depth);
	str(o, "level", e->level);
	str(o, "kind", ent_kinds[e->kind]);
	u64(o, "first", e->first);
	u64(o, "last", e->last);
	hex(o, "va", PGT_FLD_HEX8, e->va);
	hex(o, "end", PGT_FLD_HEX8, e->end);
	hex(o, "raw", PGT_FLD_HEX16, e->raw);
	if (e->kind == PGT_ENT_TABLE)
		hex(o, "table", PGT_FLD_HEX, e->next);
	if (e->kind == PGT_ENT_LEAF) {
		hex(o, "pa", PGT_FLD_HEX8, e->pa);
		u64(o, "size", e->size);
		str(o, "flags", flags(o, 0, e->flags));
	}
	str(o, "decoded", e->decoded);
}

static void event_fields(const struct pgt_rec_event *e, struct pgt_flds *o)
{
	u64(o, "op", e->op);
	i64(o, "mm", e->mm);
	str(o, "event", e->event);
	str(o, "level", e->lname);
	hex(o, "va", PGT_FLD_HEX, e->va);
	hex(o, "pa", PGT_FLD_HEX, e->pa);
	hex(o, "old", PGT_FLD_HEX, e->old);
	hex(o, "new", PGT_FLD_HEX, e->new);
	u64(o, "count", e->count);
	if (e->reason) {
		snprintf(o->reason, sizeof(o->reason), "%s: %s",
			 e->text ? e->text : "", e->reason);
		str(o, "text", o->reason);
	} else {
		str(o, "text", e->text);
	}
}

static void flush_fields(const struct pgt_rec_flush *f, struct pgt_flds *o)
{
	size_t len = 0;
	int i;

	o->reason[0] = '\0';
	for (i = 0; i < PGT_REC_REASONS && f->reason[i] &&
		    len < sizeof(o->reason); i++)
		len += (size_t)snprintf(o->reason + len, sizeof(o->reason) - len,
					"%s%s", i ? "; " : "", f->reason[i]);
	u64(o, "op", f->op);
	str(o, "kind", f->kind);
	u64(o, "count", f->count);
	str(o, "reason", o->reason);
}

static void mm_fields(const struct pgt_rec_mm *m, struct pgt_flds *o)
{
	unsigned i;

	for (i = 0; i < m->nlevels; i++)
		o->vals[0][i] = (uint64_t)m->tables[i];
	i64(o, "mm", m->id);
	str(o, "state", m->live ? "live" : "exited");
	u64(o, "vmas", m->vmas);
	u64(o, "pages", m->pages);
	i64(o, "deposited", m->deposited);
	tally(o, "tables", 0, m->nlevels, m->level, o->vals[0]);
}

static void root_fields(const struct pgt_rec_root *x, struct pgt_flds *o)
{
	str(o, "name", x->name);
	hex(o, "value", PGT_FLD_HEX, x->value);
	str(o, "kind", x->kind);
	str(o, "decoded", x->decoded);
	str(o, "source", x->source);
	i64(o, "score", x->score);
	str(o, "evidence", x->evidence && *x->evidence ? x->evidence : "-");
	boolean(o, "selected", x->selected);
}

/* a string that may be absent: JSON null, TSV "-" */
static void opt_str(struct pgt_flds *o, const char *name, const char *v)
{
	if (v)
		str(o, name, v);
	else
		nul(o, name, "-");
}

static void decode_fields(const struct pgt_rec_decode *d, struct pgt_flds *o)
{
	hex(o, "value", PGT_FLD_HEX16, d->value);
	str(o, "level", d->level);
	str(o, "kind", d->kind);
	str(o, "flags", flags(o, 0, d->flags));
	if (d->ekind == PGT_ENT_TABLE)
		snprintf(o->buf[1], sizeof(o->buf[1]), "table 0x%" PRIx64, d->table);
	else if (d->ekind == PGT_ENT_LEAF)
		snprintf(o->buf[1], sizeof(o->buf[1]), "frame 0x%" PRIx64 " size %" PRIu64,
			 d->pa, d->size);
	else
		strcpy(o->buf[1], "-");
	str(o, "points_to", o->buf[1]);
	str(o, "decoded", d->why ? d->why : d->decoded);
	opt_str(o, "cache", d->memtype);
	str(o, "name", d->name);
	extra(o);
}

static void xlate_fields(const struct pgt_rec_xlate *x, struct pgt_flds *o)
{
	hex(o, "va", PGT_FLD_HEX, x->va);
	hex(o, "root", PGT_FLD_HEX, x->root);
	boolean(o, "mapped", x->mapped);
	if (x->mapped) {
		hex(o, "pa", PGT_FLD_HEX, x->pa);
		str(o, "flags", flags(o, 0, x->flags));
		boolean(o, "data_in_dump", !x->data_missing);
		opt_str(o, "cache", x->memtype);
	} else {
		nul(o, "pa", "");
		str(o, "why", x->why ? x->why : "?");
	}
}

static void overview_fields(const struct pgt_rec_overview *v,
			    struct pgt_flds *o)
{
	size_t len = 0;
	int i;

	str(o, "path", v->path);
	str(o, "format", v->format);
	if (v->elf_class) {
		i64(o, "elf_class", v->elf_class);
		str(o, "byte_order", v->big_endian ? "big" : "little");
	}
	if (v->machine)
		i64(o, "e_machine", v->machine);
	str(o, "arch", v->arch);
	str(o, "arch_how", v->arch_how);
	u64(o, "ranges", v->ranges);
	u64(o, "held", v->held);
	hex(o, "limit", PGT_FLD_HEX, v->limit);
	i64(o, "cpus", v->ncpus);
	o->reason[0] = '\0';
	for (i = 0; i < v->npids; i++)
		if (v->pids[i] >= 0 && len < sizeof(o->reason))
			len += snprintf(o->reason + len, sizeof(o->reason) - len,
					"%scpu%d pid %d", len ? ", " : "", i,
					v->pids[i]);
	str(o, "cpu_pids", o->reason);
	if (v->kernel)
		str(o, "kernel", v->kernel);
	else
		nul(o, "kernel", "-");
	if (v->replay)
		str(o, "replay", v->replay);
}

/* "only-a,rights": the words of what (pgtctl(1) DIFF) */
void pgt_diff_words(unsigned what, char *buf, size_t len)
{
	static const char *const words[] = { "only-a", "only-b", "size",
					     "rights", "pa", "raw" };
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (what & (1u << i))
			n += snprintf(buf + n, n < len ? len - n : 0, "%s%s",
				      n ? "," : "", words[i]);
}

/* one side of a diff row: absent (null), or its leaves */
static void diff_side(struct pgt_flds *o, int slot, const char *names[3],
		      uint64_t pages, uint64_t size, unsigned fl)
{
	u64(o, names[0], pages);
	if (!pages) {
		nul(o, names[1], "-");
		nul(o, names[2], "-");
		return;
	}
	u64(o, names[1], size);
	str(o, names[2], flags(o, slot, fl));
}

/* the sides' first frames, then their entries: only where PAs are
 * comparable */
static void diff_pa(struct pgt_flds *o, const struct pgt_rec_diff *d)
{
	bool a = d->pa_compared && d->pages_a, b = d->pa_compared && d->pages_b;

	if (a)
		hex(o, "pa_a", PGT_FLD_HEX8, d->pa_a);
	else
		nul(o, "pa_a", "-");
	if (b)
		hex(o, "pa_b", PGT_FLD_HEX8, d->pa_b);
	else
		nul(o, "pa_b", "-");
	if (a)
		hex(o, "raw_a", PGT_FLD_HEX16, d->raw_a);
	else
		nul(o, "raw_a", "-");
	if (b)
		hex(o, "raw_b", PGT_FLD_HEX16, d->raw_b);
	else
		nul(o, "raw_b", "-");
}

static void diff_fields(const struct pgt_rec_diff *d, struct pgt_flds *o)
{
	static const char *na[3] = { "pages_a", "size_a", "flags_a" };
	static const char *nb[3] = { "pages_b", "size_b", "flags_b" };

	hex(o, "start", PGT_FLD_HEX8, d->start);
	hex(o, "end", PGT_FLD_HEX8, d->end);
	pgt_diff_words(d->what, o->buf[2], sizeof(o->buf[2]));
	str(o, "diff", o->buf[2]);
	diff_side(o, 0, na, d->pages_a, d->size_a, d->flags_a);
	diff_side(o, 1, nb, d->pages_b, d->size_b, d->flags_b);
	diff_pa(o, d);
	snprintf(o->reason, sizeof(o->reason), "%s%s%s%s%s",
		 d->explain_a ? "A: " : "", d->explain_a ? d->explain_a : "",
		 d->explain_a && d->explain_b ? "; " : "",
		 d->explain_b ? "B: " : "", d->explain_b ? d->explain_b : "");
	if (o->reason[0])
		str(o, "explain", o->reason);
	else
		nul(o, "explain", "-");
	if (d->op_a) {
		u64(o, "op_a", d->op_a);
		extra(o);
	}
	if (d->op_b) {
		u64(o, "op_b", d->op_b);
		extra(o);
	}
}

static void side_fields(const struct pgt_rec_side *x, struct pgt_flds *o)
{
	str(o, "name", x->name);
	str(o, "kind", x->kind);
	if (x->empty) {
		nul(o, "root", "-");
	} else {
		hex(o, "root", PGT_FLD_HEX, x->root);
	}
	tally(o, "tables", 0, x->n, x->level, x->tables);
	tally(o, "leaves", 1, x->n, x->level, x->leaves);
	u64(o, "pages", x->pages);
}

static void diff_result_fields(const struct pgt_rec_diff_result *x,
			       struct pgt_flds *o)
{
	boolean(o, "equal", x->equal);
	boolean(o, "pa_compared", x->pa_compared);
	if (x->note)
		str(o, "note", x->note);
	hex(o, "start", PGT_FLD_HEX8, x->start);
	hex(o, "end", PGT_FLD_HEX8, x->end);
	u64(o, "rows", x->rows);
	u64(o, "only_a", x->only_a);
	u64(o, "only_b", x->only_b);
	u64(o, "changed", x->changed);
}

/* ptov and aliases rows: a leaf of a root that maps the frame */
static void mapping_fields(const struct pgt_rec_mapping *m, bool alias,
			   struct pgt_flds *o)
{
	if (alias)
		u64(o, "group", m->group);
	hex(o, "pa", PGT_FLD_HEX8, m->pa);
	if (!m->mapped) {	/* ptov: no root maps it */
		nul(o, "va", "-");
		nul(o, "root", "-");
		u64(o, "roots", m->roots);
		nul(o, "size", "-");
		nul(o, "level", "-");
		nul(o, "flags", "-");
		nul(o, "cache", "-");
		return;
	}
	hex(o, "va", PGT_FLD_HEX8, m->va);
	str(o, "root", m->root);
	u64(o, "roots", m->roots);
	u64(o, "size", m->size);
	str(o, "level", m->level);
	str(o, "flags", flags(o, 0, m->flags));
	opt_str(o, "cache", m->memtype);
	if (alias)
		boolean(o, "mixed", m->mixed);
	hex(o, "root_value", PGT_FLD_HEX, m->root_value);
	extra(o);
}

static void wx_fields(const struct pgt_rec_wx *w, struct pgt_flds *o)
{
	str(o, "root", w->root);
	u64(o, "roots", w->roots);
	hex(o, "start", PGT_FLD_HEX8, w->start);
	hex(o, "end", PGT_FLD_HEX8, w->end);
	u64(o, "pages", w->pages);
	u64(o, "page_size", w->page_size);
	str(o, "level", w->level);
	str(o, "flags", flags(o, 0, w->flags));
	opt_str(o, "region", w->region);
	hex(o, "root_value", PGT_FLD_HEX, w->root_value);
	extra(o);
}

/* "de ad be ef" and its printable characters */
static void bytes_fields(const struct pgt_rec_bytes *b, struct pgt_flds *o)
{
	size_t p = 0;
	unsigned i;

	hex(o, "addr", PGT_FLD_HEX8, b->addr);
	hex(o, "end", PGT_FLD_HEX8, b->addr + b->n);
	hex(o, "pa", PGT_FLD_HEX8, b->pa);
	o->buf[1][0] = '\0';
	for (i = 0; i < b->n && i < 16; i++) {
		p += (size_t)snprintf(o->buf[1] + p, sizeof(o->buf[1]) - p,
				      "%s%02x", i ? " " : "", b->data[i]);
		o->buf[2][i] = b->data[i] >= 0x20 && b->data[i] < 0x7f ?
			       (char)b->data[i] : '.';
	}
	o->buf[2][i] = '\0';
	str(o, "hex", o->buf[1]);
	str(o, "text", o->buf[2]);
	nul(o, "why", "-");
}

void pgt_rec_fields(const struct pgt_rec *rec, struct pgt_flds *o)
{
	const struct pgt_rec_levels *lv = &rec->u.levels;

	o->n = 0;
	switch (rec->kind) {
	case PGT_REC_PAGE:
		hex(o, "va", PGT_FLD_HEX8, rec->u.page.va);
		hex(o, "pa", PGT_FLD_HEX8, rec->u.page.pa);
		u64(o, "size", rec->u.page.size);
		str(o, "flags", flags(o, 0, rec->u.page.flags));
		hex(o, "raw", PGT_FLD_HEX16, rec->u.page.raw);
		/* JSON only: the TSV row is design.md's contract (the
		 * memory type is in raw's PWT, PCD and PAT bits) */
		opt_str(o, "cache", rec->u.page.memtype);
		extra(o);
		break;
	case PGT_REC_RANGE:
		hex(o, "start", PGT_FLD_HEX8, rec->u.range.start);
		hex(o, "end", PGT_FLD_HEX8, rec->u.range.end);
		u64(o, "pages", rec->u.range.pages);
		u64(o, "page_size", rec->u.range.page_size);
		str(o, "level", rec->u.range.level);
		str(o, "flags", flags(o, 0, rec->u.range.flags));
		if (rec->u.range.contiguous)
			hex(o, "pa", PGT_FLD_HEX8, rec->u.range.pa);
		else
			nul(o, "pa", "-");
		opt_str(o, "cache", rec->u.range.memtype);
		opt_str(o, "region", rec->u.range.region);
		break;
	case PGT_REC_TABLE:
		i64(o, "depth", rec->u.table.depth);
		str(o, "level", rec->u.table.level);
		hex(o, "pa", PGT_FLD_HEX, rec->u.table.pa);
		hex(o, "va", PGT_FLD_HEX8, rec->u.table.va);
		u64(o, "entries", rec->u.table.entries);
		u64(o, "bytes", rec->u.table.bytes);
		str(o, "name", rec->u.table.name);
		extra(o);
		if (rec->u.table.note) {
			str(o, "note", rec->u.table.note);
			extra(o);
		}
		break;
	case PGT_REC_ENTRY:
		entry_fields(&rec->u.entry, o);
		break;
	case PGT_REC_LEVELS:
		tally(o, "tables", 0, lv->n, lv->level, lv->tables);
		tally(o, "leaves", 1, lv->n, lv->level, lv->leaves);
		break;
	case PGT_REC_EVENT:
		event_fields(&rec->u.event, o);
		break;
	case PGT_REC_FLUSH:
		flush_fields(&rec->u.flush, o);
		break;
	case PGT_REC_TALLY:
		add(o, rec->u.tally.key, PGT_FLD_TALLY)->t = &rec->u.tally;
		break;
	case PGT_REC_TRANSITION:
		str(o, "from", rec->u.transition.from);
		str(o, "to", rec->u.transition.to);
		u64(o, "count", rec->u.transition.count);
		break;
	case PGT_REC_RUN:
		str(o, "arch", rec->u.run.arch);
		str(o, "profile", rec->u.run.profile);
		str(o, "options", rec->u.run.options);
		u64(o, "operations", rec->u.run.operations);
		u64(o, "faults", rec->u.run.faults);
		u64(o, "failed", rec->u.run.failed);
		break;
	case PGT_REC_MM:
		mm_fields(&rec->u.mm, o);
		break;
	case PGT_REC_FRAMES:
		u64(o, "used", rec->u.frames.used);
		u64(o, "peak", rec->u.frames.peak);
		break;
	case PGT_REC_STATE:
		i64(o, "mm", rec->u.state.mm);
		i64(o, "current", rec->u.state.current);
		boolean(o, "current_exited", rec->u.state.current_exited);
		u64(o, "position", rec->u.state.position);
		if (rec->u.state.note)
			str(o, "note", rec->u.state.note);
		break;
	case PGT_REC_LEVEL:
		str(o, "level", rec->u.level.level);
		str(o, "name", rec->u.level.name);
		u64(o, "tables", rec->u.level.tables);
		u64(o, "bytes", rec->u.level.bytes);
		u64(o, "unaligned", rec->u.level.unaligned);
		u64(o, "leaves", rec->u.level.leaves);
		break;
	case PGT_REC_WALK:
		hex(o, "root", PGT_FLD_HEX, rec->u.walk.root);
		str(o, "arch", rec->u.walk.arch);
		u64(o, "tables", rec->u.walk.tables);
		u64(o, "leaves", rec->u.walk.leaves);
		u64(o, "pages", rec->u.walk.pages);
		u64(o, "protnone", rec->u.walk.protnone);
		u64(o, "findings", rec->u.walk.findings);
		break;
	case PGT_REC_ROOT:
		root_fields(&rec->u.root, o);
		break;
	case PGT_REC_FINDING:
		str(o, "level", rec->u.finding.level);
		hex(o, "at", PGT_FLD_HEX, rec->u.finding.at);
		hex(o, "va", PGT_FLD_HEX, rec->u.finding.va);
		hex(o, "raw", PGT_FLD_HEX16, rec->u.finding.raw);
		str(o, "why", rec->u.finding.why);
		break;
	case PGT_REC_STEP:
		hex(o, "va", PGT_FLD_HEX, rec->u.step.va);
		str(o, "level", rec->u.step.level);
		hex(o, "table", PGT_FLD_HEX, rec->u.step.table);
		u64(o, "index", rec->u.step.index);
		hex(o, "entry", PGT_FLD_HEX, rec->u.step.entry);
		hex(o, "raw", PGT_FLD_HEX16, rec->u.step.raw);
		str(o, "decoded", rec->u.step.decoded);
		str(o, "name", rec->u.step.name);
		extra(o);
		break;
	case PGT_REC_XLATE:
		xlate_fields(&rec->u.xlate, o);
		break;
	case PGT_REC_DECODE:
		decode_fields(&rec->u.decode, o);
		break;
	case PGT_REC_OVERVIEW:
		overview_fields(&rec->u.overview, o);
		break;
	case PGT_REC_SOURCE:
		str(o, "name", rec->u.source.name);
		hex(o, "root", PGT_FLD_HEX, rec->u.source.root);
		if (rec->u.source.root_decoded)
			str(o, "root_decoded", rec->u.source.root_decoded);
		break;
	case PGT_REC_DIFF:
		diff_fields(&rec->u.diff, o);
		break;
	case PGT_REC_DIFF_A:
	case PGT_REC_DIFF_B:
		side_fields(&rec->u.side, o);
		break;
	case PGT_REC_DIFF_RESULT:
		diff_result_fields(&rec->u.diff_result, o);
		break;
	case PGT_REC_PTOV:
	case PGT_REC_ALIAS:
		mapping_fields(&rec->u.mapping, rec->kind == PGT_REC_ALIAS, o);
		break;
	case PGT_REC_ALIAS_RESULT:
		u64(o, "groups", rec->u.alias_result.groups);
		u64(o, "mappings", rec->u.alias_result.mappings);
		u64(o, "mixed", rec->u.alias_result.mixed);
		u64(o, "roots", rec->u.alias_result.roots);
		break;
	case PGT_REC_WX:
		wx_fields(&rec->u.wx, o);
		break;
	case PGT_REC_WX_RESULT:
		boolean(o, "passed", !rec->u.wx_result.pages);
		u64(o, "pages", rec->u.wx_result.pages);
		u64(o, "roots", rec->u.wx_result.roots);
		pgt_wx_verdict(&rec->u.wx_result, o->reason, sizeof(o->reason));
		str(o, "message", o->reason);
		break;
	case PGT_REC_BYTES:
		bytes_fields(&rec->u.bytes, o);
		break;
	case PGT_REC_HOLE:
		hex(o, "addr", PGT_FLD_HEX8, rec->u.hole.addr);
		hex(o, "end", PGT_FLD_HEX8, rec->u.hole.end);
		nul(o, "pa", "-");
		nul(o, "hex", "-");
		nul(o, "text", "-");
		snprintf(o->reason, sizeof(o->reason), "%s: %s",
			 rec->u.hole.unmapped ? "not mapped" : "not in the dump",
			 rec->u.hole.why);
		str(o, "why", o->reason);
		boolean(o, "mapped", !rec->u.hole.unmapped);
		extra(o);
		break;
	case PGT_REC__COUNT:
		break;
	}
}

/* the kernel's one-line summary of its W+X check (ptdump_check_wx) */
void pgt_wx_verdict(const struct pgt_rec_wx_result *w, char *buf, size_t len)
{
	const char *p = w->prefix ? w->prefix : "";
	const char *end = w->period ? "." : "";

	if (w->pages)
		snprintf(buf, len, "%sChecked W+X mappings: FAILED, %" PRIu64 " W+X pages found%s",
			 p, w->pages, end);
	else
		snprintf(buf, len, "%sChecked W+X mappings: passed, no W+X pages found%s",
			 p, end);
}

bool pgt_fld_number(const struct pgt_fld *f, char *buf, size_t len)
{
	switch (f->type) {
	case PGT_FLD_U64:
		snprintf(buf, len, "%" PRIu64, f->u);
		return true;
	case PGT_FLD_I64:
		snprintf(buf, len, "%" PRId64, f->i);
		return true;
	case PGT_FLD_HEX:
		snprintf(buf, len, "0x%" PRIx64, f->u);
		return true;
	case PGT_FLD_HEX8:
		snprintf(buf, len, "0x%08" PRIx64, f->u);
		return true;
	case PGT_FLD_HEX16:
		snprintf(buf, len, "0x%016" PRIx64, f->u);
		return true;
	default:
		return false;
	}
}
