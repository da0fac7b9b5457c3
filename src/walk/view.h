/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Views over the walker (tree, ranges, pages, translate) and over the
 * engine's accounting (events, flushes, transitions, summary).  They turn
 * what they see into records (record.h) for a sink; they neither format
 * nor know where the memory came from.  A view function begins and ends
 * its view on the sink, except where said (events, translate, decode:
 * one view over many calls).
 */
#ifndef PGT_VIEW_H
#define PGT_VIEW_H

#include <stdio.h>
#include <string.h>
#include "walk.h"
#include "record.h"

/* the summary view of those counts */
void pgt_view_walk_summary(struct pgt_sink *s, const struct pgt_view_src *src,
			   const struct pgt_walk_stats *st);

int pgt_view_pages(struct pgt_sink *s, const struct pgt_view_src *src,
		   struct pgt_err *err);
int pgt_view_ranges(struct pgt_sink *s, const struct pgt_view_src *src,
		    struct pgt_err *err);
int pgt_view_tree(struct pgt_sink *s, const struct pgt_view_src *src,
		  struct pgt_err *err);
/* the records of one address (inside a translate view the caller began) */
int pgt_view_translate(struct pgt_sink *s, const struct pgt_view_src *src,
		       uint64_t va, struct pgt_err *err);
/* the records of one raw value at one level, or at every level (-1),
 * inside a decode view the caller began */
void pgt_view_decode(struct pgt_sink *s, const struct pgt_arch *a, int level,
		     uint64_t value);

/*
 * Views over several roots of one memory (view-roots.c): src gives the
 * arch, the memory, --range, --filter, the regions and where findings go;
 * its root is not used.
 */
struct pgt_view_root {
	const char *name;	/* "cpu0", "kernel", "mm 2" */
	uint64_t value;
};
/* every (root, VA) mapping each of the npas physical addresses, in the
 * order given; an address no root maps gets one row saying so */
int pgt_view_ptov(struct pgt_sink *s, const struct pgt_view_src *src,
		  const struct pgt_view_root *roots, size_t nroots,
		  const uint64_t *pas, size_t npas, struct pgt_err *err);
/* the groups of leaves whose frames overlap, with more than one mapping */
int pgt_view_aliases(struct pgt_sink *s, const struct pgt_view_src *src,
		     const struct pgt_view_root *roots, size_t nroots,
		     struct pgt_err *err);
/* the writable and executable leaves (effective rights), in runs, and
 * the kernel's verdict; *wx_pages: how many 4 KiB pages */
int pgt_view_wx(struct pgt_sink *s, const struct pgt_view_src *src,
		const struct pgt_view_root *roots, size_t nroots,
		uint64_t *wx_pages, struct pgt_err *err);

/*
 * read (view-read.c): len bytes from addr, a virtual address walked
 * from src->root, or a physical one (phys), as lines of 16 bytes and the
 * holes between them (not mapped, not in the memory); *missing: bytes
 * that could not be read.
 */
int pgt_view_read(struct pgt_sink *s, const struct pgt_view_src *src,
		  uint64_t addr, uint64_t len, bool phys, uint64_t *missing,
		  struct pgt_err *err);

struct pgt_engine;
struct pgt_event;
void pgt_view_flushes(struct pgt_sink *s, struct pgt_engine *e);
void pgt_view_transitions(struct pgt_sink *s, struct pgt_engine *e);
/* the engine summary; state (may be NULL) says which mm the other views
 * show when that is not simply the current one */
void pgt_view_summary(struct pgt_sink *s, struct pgt_engine *e,
		      const struct pgt_rec_state *state);

/* an event as a record, usable as a pgt_event_fn (arg: a struct
 * pgt_evout); the caller begins and ends the events view */
struct pgt_evout {
	struct pgt_sink *sink;
	const struct pgt_arch *arch;
};
void pgt_view_event(void *arg, const struct pgt_event *ev);

/*
 * The leaves of a root in VA order, pulled one at a time: what two walks
 * are merged on (diff).  Leaves present to Linux only, as --pages lists
 * them; --filter and --range of src apply.  Findings are not reported
 * (pgt_walk does that).  The walk is resumed in chunks, so the memory
 * used is bounded whatever the size of the tree.
 */
#define PGT_LEAF_CHUNK 256
struct pgt_leaf_iter {
	struct pgt_view_src src;
	uint64_t next;			/* where the next chunk starts */
	bool done;
	unsigned n, pos;
	struct pgt_walk_leaf buf[PGT_LEAF_CHUNK];
};
void pgt_leaf_iter_init(struct pgt_leaf_iter *it,
			const struct pgt_view_src *src);
/* *got: *leaf is the next leaf (false: no more); returns a status */
int pgt_leaf_iter_next(struct pgt_leaf_iter *it, struct pgt_walk_leaf *leaf,
		       bool *got, struct pgt_err *err);

#endif
