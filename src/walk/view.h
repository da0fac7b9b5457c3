/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Views over the walker (tree, ranges, pages, translate) and over the
 * engine's accounting (events, flushes, transitions).  They write to a
 * FILE*; they do not know where the memory came from.
 */
#ifndef PGT_VIEW_H
#define PGT_VIEW_H

#include <stdio.h>
#include <string.h>
#include "walk.h"

enum pgt_format { PGT_FMT_TEXT, PGT_FMT_JSON, PGT_FMT_TSV };

struct pgt_view_src {
	const struct pgt_arch *arch;
	struct pgt_physmem *mem;
	uint64_t root;
	uint64_t va_start, va_end;	/* end 0: to the top */
	const char *name;		/* "mm 1", a file name ... */
	unsigned want, deny;		/* leaf filter (--filter) */
	bool data_check;		/* translate: say whether the page's
					 * data is in the memory (dumps) */
	/* findings of the walk (may be NULL: only counted) */
	int (*on_finding)(void *arg, int level, uint64_t slot, uint64_t va,
			  uint64_t raw, const char *why);
	void *finding_arg;
};

/* a walker over src reporting to arg */
static inline void pgt_view_walker(struct pgt_walker *w,
				   const struct pgt_view_src *src, void *arg)
{
	memset(w, 0, sizeof(*w));
	w->arch = src->arch;
	w->mem = src->mem;
	w->root = src->root;
	w->va_start = src->va_start;
	w->va_end = src->va_end;
	w->want = src->want;
	w->deny = src->deny;
	w->on_finding = src->on_finding;
	w->finding_arg = src->finding_arg;
	w->arg = arg;
}

/* --summary of a walk: tables and leaves per level, pages, findings */
struct pgt_walk_stats {
	uint64_t tables[PGT_MAX_LEVELS], fragments[PGT_MAX_LEVELS];
	uint64_t table_bytes[PGT_MAX_LEVELS];
	uint64_t leaves[PGT_MAX_LEVELS], pages, notpresent, findings;
};
int pgt_view_walk_summary(FILE *out, enum pgt_format fmt,
			  const struct pgt_view_src *src,
			  struct pgt_walk_stats *st, struct pgt_err *err);

int pgt_view_pages(FILE *out, enum pgt_format fmt,
		   const struct pgt_view_src *src, struct pgt_err *err);
int pgt_view_ranges(FILE *out, enum pgt_format fmt,
		    const struct pgt_view_src *src, struct pgt_err *err);
int pgt_view_tree(FILE *out, enum pgt_format fmt,
		  const struct pgt_view_src *src, struct pgt_err *err);
int pgt_view_translate(FILE *out, enum pgt_format fmt,
		       const struct pgt_view_src *src, uint64_t va,
		       struct pgt_err *err);

struct pgt_engine;
struct pgt_event;
void pgt_view_flushes(FILE *out, enum pgt_format fmt, struct pgt_engine *e);
void pgt_view_transitions(FILE *out, enum pgt_format fmt,
			  struct pgt_engine *e);
void pgt_view_summary(FILE *out, enum pgt_format fmt, struct pgt_engine *e);

/* an event printer usable as a pgt_event_fn; arg is a struct pgt_evout */
struct pgt_evout {
	FILE *out;
	enum pgt_format fmt;
	const struct pgt_arch *arch;
	unsigned long count;
};
void pgt_view_event(void *arg, const struct pgt_event *ev);
void pgt_view_events_begin(struct pgt_evout *o);
void pgt_view_events_end(struct pgt_evout *o);

/* JSON string escaping */
void pgt_json_str(FILE *out, const char *s);

#endif
