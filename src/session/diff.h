/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * diff: two states compared leaf by leaf.  Each side is anything the
 * views walk (a replayed state, a root of a dump); the two VA-ordered
 * leaf streams (pgt_leaf_iter) are merged, and the differences come out
 * as records of the diff view (record.h), runs of equal differences
 * merged as ptdump merges ranges.  Memory is bounded: two leaf chunks
 * and the open run, whatever the size of the trees.
 *
 * What is compared: presence, page size and the hardware letters
 * (rwuxadg); physical addresses and raw entries only when the caller says
 * that both sides are the same memory (two points of one replay, two
 * roots of one dump) -- between a replay and a dump the frames are
 * unrelated.
 *
 * --explain: a history listens to a session while it replays and keeps,
 * per entry ever changed (mm, level, index), the last operation that
 * changed it: memory grows with the entries touched, not with the trace.
 * The library never prints.
 */
#ifndef PGT_DIFF_H
#define PGT_DIFF_H

#include "session.h"
#include "../walk/view.h"

struct pgt_diff_history;

/* listen to s from now on (before the moves that replay) */
int pgt_diff_history_new(struct pgt_session *s, struct pgt_diff_history **out,
			 struct pgt_err *err);
/* stop listening and free (NULL is fine) */
void pgt_diff_history_free(struct pgt_diff_history *h);
/* the last op (1-based) that changed a leaf, or dropped the subtree,
 * covering [start, end) in mm; 0: none */
unsigned long pgt_diff_history_last(const struct pgt_diff_history *h, int mm,
				    uint64_t start, uint64_t end);

struct pgt_diff_side {
	struct pgt_view_src src;	/* arch NULL: an empty state */
	const char *name;		/* what the user gave: "T.trace@5" */
	const char *kind;		/* "replay", "dump" */
	struct pgt_diff_history *hist;	/* --explain, else NULL */
	int mm;				/* hist: the mm walked */
};

struct pgt_diff_opts {
	uint64_t va_start, va_end;	/* end 0: to the top */
	unsigned want, deny;		/* leaf filter (--filter) */
	bool compare_pa;		/* both sides are the same memory */
	/* both sides read the same bytes (two roots of one dump file): a
	 * table frame that both point to at the same place holds the same
	 * subtree, which is equal without being walked */
	bool same_frames;
	/* the view's records are the union tree (diff-tree.c, for
	 * --format dot) instead of the rows; the totals are the same */
	bool union_tree;
	const char *note;		/* why not, said with the result */
};

struct pgt_diff_result {
	uint64_t rows, only_a, only_b, changed;
};

/*
 * Compare a and b into the diff view on s (begun and ended here): the
 * two sides, the rows, the totals.  Both sides must have one paging
 * format (else PGT_ERR_USAGE); only the addresses both walk are compared.
 */
int pgt_diff(struct pgt_sink *s, const struct pgt_diff_side *a,
	     const struct pgt_diff_side *b, const struct pgt_diff_opts *o,
	     struct pgt_diff_result *res, struct pgt_err *err);

/*
 * The union tree of a and b over [start, end) (end 0: the top) as tree
 * records (PGT_REC_TABLE, PGT_REC_ENTRY) carrying what differs (their
 * diff fields), inside the diff view pgt_diff began: diff-tree.c.
 */
int pgt_diff_union_tree(struct pgt_sink *s, const struct pgt_diff_side *a,
			const struct pgt_diff_side *b,
			const struct pgt_diff_opts *o, uint64_t start,
			uint64_t end, struct pgt_err *err);

#endif
