/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Two page-table trees of one paging format walked in lockstep (diff):
 * the tables that map the same addresses at the same level are visited
 * together, entry index by entry index, so that a caller sees both sides
 * of every entry at once.  Used for the union tree of `diff --format dot`
 * and to skip, table at once, what two roots of one memory share.
 *
 * A side may lack a table where the other has one (nothing mapped there,
 * or a large leaf): the walk goes on below with that side absent.  A
 * table pair reached a second time (a loop, a table shared by several
 * pointers) is reported once and not walked again, as the walker does,
 * so the work is bounded by the tables of the two trees.  Memory: one
 * table buffer per level and side.
 */
#ifndef PGT_DIFF_PAIR_H
#define PGT_DIFF_PAIR_H

#include "../walk/walk.h"

struct pgt_pair_table {
	int level, depth;
	uint64_t va, span;		/* span 0: to the top */
	bool has[2];			/* the side has this table */
	bool unreadable[2];		/* its pointer led nowhere readable */
	bool again;			/* this pair was walked before */
	uint64_t pa[2];
	uint32_t entries[2];
	unsigned deny[2];		/* rights denied from above */
	const uint8_t *bytes[2];	/* on_table: the tables as read */
};

struct pgt_pair_ent {
	int level, depth;
	unsigned idx;
	uint64_t va, end;		/* what the entry maps (end 0: top) */
	uint64_t raw[2];		/* the level's empty value if none */
	struct pgt_ent_info ei[2];	/* kind EMPTY where a side has none */
	unsigned deny[2];		/* rights denied from above */
	unsigned flags[2];		/* a leaf: its effective letters */
	bool leaf[2];			/* a leaf the diff counts (linux
					 * present, through the filter) */
};

enum {
	PGT_PAIR_DESCEND = 0,		/* walk the table(s) below */
	PGT_PAIR_SKIP = 1,		/* do not */
};

struct pgt_pair_walk {
	const struct pgt_arch *arch;
	struct pgt_physmem *mem[2];
	uint64_t root[2];
	bool has_root[2];
	uint64_t va_start, va_end;	/* end 0: to the top */
	unsigned want, deny;		/* leaf filter (--filter) */
	/* before a table pair's entries: PGT_PAIR_SKIP not to walk them,
	 * -1 to stop the walk (after pgt_fail on the walk's err) */
	int (*on_table)(void *arg, const struct pgt_pair_table *t);
	void (*on_table_end)(void *arg, const struct pgt_pair_table *t);
	/* an index where a side has a non-empty entry: PGT_PAIR_DESCEND
	 * (into the tables below, where a side points to one), SKIP, or -1
	 * to stop (after pgt_fail on the walk's err) */
	int (*on_entry)(void *arg, const struct pgt_pair_ent *e);
	void *arg;
};

/* PGT_ERR_UNSUPPORTED when the two roots designate tables of different
 * levels (no common top to pair from) */
int pgt_pair_walk(struct pgt_pair_walk *w, struct pgt_err *err);

#endif
