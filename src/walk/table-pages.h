/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The set of 4 KiB pages a root's page tables occupy, gathered by walks
 * (a table of several pages, s390's 16 KiB CRST, counts each): what
 * `dump --save-tables` and `replay --save-tables` write.
 */
#ifndef PGT_WALK_TABLE_PAGES_H
#define PGT_WALK_TABLE_PAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "walk.h"

struct pgt_page_set {
	uint64_t *v;		/* page addresses; sorted, once unique */
	size_t n, cap;
	bool oom;		/* an add failed: out of memory */
};

/* add page pg; -1 (oom set) when out of memory */
int pgt_page_set_add(struct pgt_page_set *p, uint64_t pg);

/* walk w (its arch, memory, root, range) adding every page a table
 * touches to p; w->on_table and w->arg are the set's own */
int pgt_page_set_add_tables(struct pgt_page_set *p, struct pgt_walker *w,
			    struct pgt_err *err);

/* sort and drop repeats; the pages left */
size_t pgt_page_set_unique(struct pgt_page_set *p);

void pgt_page_set_free(struct pgt_page_set *p);

#endif
