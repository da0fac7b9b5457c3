/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Inside the renderers: the state every format shares, and the fields. */
#ifndef PGT_RENDER_PRIV_H
#define PGT_RENDER_PRIV_H

#include "render.h"
#include "../walk/walk.h"

struct pgt_render;

struct pgt_render_ops {
	void (*doc_begin)(struct pgt_render *r);
	void (*doc_end)(struct pgt_render *r);
	void (*begin)(struct pgt_render *r);
	void (*rec)(struct pgt_render *r, const struct pgt_rec *rec);
	void (*end)(struct pgt_render *r);
	size_t priv_size;
	void (*priv_free)(struct pgt_render *r);
};

struct pgt_render {
	const struct pgt_render_ops *ops;
	struct pgt_sink sink;
	FILE *out;
	enum pgt_format fmt;
	const char *command;
	enum pgt_view view;		/* the open view */
	bool in_view;
	const struct pgt_arch *arch;	/* of the open view, may be NULL */
	int adigits;			/* hex digits of an address column */
	unsigned long nviews;		/* views begun so far */
	unsigned long nrows, nparts;	/* in the open view */
	void *priv;			/* the format's own state */
};

extern const struct pgt_render_ops pgt_render_text, pgt_render_json,
	pgt_render_tsv, pgt_render_dot;

/*
 * A record as named fields: the TSV columns of a row (in order) and the
 * members of its JSON object.  A field marked extra is JSON only.
 */
enum pgt_fld_type {
	PGT_FLD_U64,
	PGT_FLD_I64,
	PGT_FLD_HEX,		/* 0x..., as short as it goes */
	PGT_FLD_HEX8,		/* at least 8 digits (sorts as text) */
	PGT_FLD_HEX16,		/* 16 digits: a raw 64-bit entry */
	PGT_FLD_STR,
	PGT_FLD_BOOL,
	PGT_FLD_NULL,		/* JSON null; TSV: the string s ("-") */
	PGT_FLD_TALLY,		/* JSON object of counters; TSV k=v,... */
};

struct pgt_fld {
	const char *name;
	enum pgt_fld_type type;
	bool extra;
	uint64_t u;
	int64_t i;
	const char *s;
	const struct pgt_rec_tally *t;
};

#define PGT_FLD_MAX 16
struct pgt_flds {
	unsigned n;
	struct pgt_fld f[PGT_FLD_MAX];
	char buf[4][96];		/* strings built for the fields */
	char reason[512];
	struct pgt_rec_tally tally[2];
	uint64_t vals[2][PGT_MAX_LEVELS];
};

/* the fields of rec (a row or a part) */
void pgt_rec_fields(const struct pgt_rec *rec, struct pgt_flds *out);
/* a numeric field (U64, I64, HEX*) as text in buf; false for the others */
bool pgt_fld_number(const struct pgt_fld *f, char *buf, size_t len);

/* the summary's TSV columns, by the kind of its first record */
const char *pgt_summary_columns(enum pgt_rec_kind k);

/* the words of a diff row's what, comma-separated */
void pgt_diff_words(unsigned what, char *buf, size_t len);

/* the kernel-style verdict line of the W+X check */
void pgt_wx_verdict(const struct pgt_rec_wx_result *w, char *buf, size_t len);

/* helpers for text and dot */
void pgt_render_size(uint64_t n, char *buf, size_t len);	/* 4K, 2M */

#endif
