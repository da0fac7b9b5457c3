/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Renderers: one per output format, each a sink for the records of the
 * views (walk/record.h).  One renderer serves one invocation: whatever
 * views it is given, JSON comes out as one document (an object keyed by
 * view, with a versioned "schema"), TSV as one table per view with a '#'
 * header.  A renderer writes only to the FILE* it was given.
 */
#ifndef PGT_RENDER_H
#define PGT_RENDER_H

#include <stdio.h>
#include "../walk/record.h"

enum pgt_format { PGT_FMT_TEXT, PGT_FMT_JSON, PGT_FMT_TSV, PGT_FMT_DOT };

/* the JSON document's "schema": bump it when a key changes meaning */
#define PGT_JSON_SCHEMA "pgtctl/1"

struct pgt_render;

/* A renderer of fmt writing to out for command ("replay", "dump" ...);
 * NULL when out of memory. */
struct pgt_render *pgt_render_new(enum pgt_format fmt, FILE *out,
				  const char *command);
/* the sink to hand to the views */
struct pgt_sink *pgt_render_sink(struct pgt_render *r);
/* end the document (a view left open is closed first) and free r */
void pgt_render_finish(struct pgt_render *r);

/* Can fmt show view v?  (TSV: views with a table; dot: the tree) */
bool pgt_render_can(enum pgt_format fmt, enum pgt_view v);
/* the TSV columns of v, tab-separated, or NULL when it has no table */
const char *pgt_view_columns(enum pgt_view v);
const char *pgt_format_name(enum pgt_format fmt);

/* JSON string, quoted and escaped */
void pgt_json_str(FILE *out, const char *s);

#endif
